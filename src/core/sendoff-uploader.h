/* sendoff-uploader.h — the engine: sends a transfer through a provider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-provider.h"
#include "sendoff-transfer.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_UPLOADER (sendoff_uploader_get_type ())

G_DECLARE_FINAL_TYPE (SendoffUploader, sendoff_uploader, SENDOFF, UPLOADER, GObject)

#define SENDOFF_UPLOADER_DEFAULT_JOBS 4
#define SENDOFF_UPLOADER_MAX_JOBS     32

/* Properties: provider (construct-only), jobs (guint, parallel PUTs,
 * 1..SENDOFF_UPLOADER_MAX_JOBS, default 4), max-retries (guint per part). */
SendoffUploader *sendoff_uploader_new         (SendoffProvider     *provider);
SendoffProvider *sendoff_uploader_get_provider (SendoffUploader    *self);
guint            sendoff_uploader_get_jobs    (SendoffUploader     *self);
void             sendoff_uploader_set_jobs    (SendoffUploader     *self,
                                               guint                jobs);

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
