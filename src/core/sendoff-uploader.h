/* sendoff-uploader.h — the engine: sends a transfer through a provider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-journal.h"
#include "sendoff-provider.h"
#include "sendoff-transfer.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_UPLOADER (sendoff_uploader_get_type ())

G_DECLARE_FINAL_TYPE (SendoffUploader, sendoff_uploader, SENDOFF, UPLOADER, GObject)

#define SENDOFF_UPLOADER_DEFAULT_JOBS 4
#define SENDOFF_UPLOADER_MAX_JOBS     32
#define SENDOFF_UPLOADER_MAX_STALL_TIMEOUT (24 * 60 * 60)

/* Properties: provider (construct-only), jobs (guint, parallel PUTs,
 * 1..SENDOFF_UPLOADER_MAX_JOBS, default 4), max-retries (guint per part). */
SendoffUploader *sendoff_uploader_new         (SendoffProvider     *provider);
SendoffProvider *sendoff_uploader_get_provider (SendoffUploader    *self);
guint            sendoff_uploader_get_jobs    (SendoffUploader     *self);
void             sendoff_uploader_set_jobs    (SendoffUploader     *self,
                                               guint                jobs);

/* journal (SendoffJournal, optional): every send is recorded in it (the
 * record is made when a transfer without a journal-id starts; parts only
 * once storage accepted them), so that it can be resumed after a crash
 * with sendoff_transfer_new_from_journal(). NULL: nothing is recorded. */
SendoffJournal  *sendoff_uploader_get_journal (SendoffUploader     *self);
void             sendoff_uploader_set_journal (SendoffUploader     *self,
                                               SendoffJournal      *journal);
/* What the journal records as the destination: its id (NULL when it is not
 * saved), its name and its backend id (NULL: the provider's). Set by
 * sendoff_destination_new_uploader(). */
void             sendoff_uploader_set_destination (SendoffUploader *self,
                                                   const char      *id,
                                                   const char      *name,
                                                   const char      *backend_id);

/* stall-timeout (guint seconds, 0: the default, 30 s or the environment's
 * SENDOFF_STALL_TIMEOUT): a request that moves less than 1 KiB in that
 * long fails as a network error and is tried again; a send that moves
 * nothing for 4 times that long fails. */
guint            sendoff_uploader_get_stall_timeout (SendoffUploader *self);
void             sendoff_uploader_set_stall_timeout (SendoffUploader *self,
                                                     guint            seconds);

/* Sends @transfer: check the provider's limits (nothing is created when
 * they fail), authorize, create, register, send every part not yet
 * stored, complete every item, finish. Calling it again on a FAILED or
 * CANCELLED transfer retries: parts already stored are not sent again.
 * Cancelling @cancellable stops every request at once (an interrupt: the
 * remote state is kept); the transfer then ends CANCELLED and the finish
 * function returns G_IO_ERROR_CANCELLED. A failure that is not retryable
 * runs the provider's abort hook (bounded in time) before the task
 * returns; the remote state is then forgotten.
 *
 * Signal "retry" (item or NULL, part number or 0 for an API step,
 * attempt, max attempts, delay ms, reason) on every scheduled retry. */
void             sendoff_uploader_send_async  (SendoffUploader     *self,
                                               SendoffTransfer     *transfer,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean         sendoff_uploader_send_finish (SendoffUploader     *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Gives @transfer up for good: runs the provider's abort hook (bounded in
 * time) for what was created remotely, forgets it, and leaves the
 * transfer and its unfinished items CANCELLED. The transfer must not be
 * being sent (stop it first: an interrupt keeps the remote state for a
 * resume); a DONE transfer is left alone. When the abort fails the
 * transfer keeps its remote state and the error says why. */
void             sendoff_uploader_discard_async  (SendoffUploader     *self,
                                                  SendoffTransfer     *transfer,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         sendoff_uploader_discard_finish (SendoffUploader     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
