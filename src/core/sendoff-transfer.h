/* sendoff-transfer.h — a set of files sent together, and its progress
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sendoff-item.h"
#include "sendoff-types.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_TRANSFER (sendoff_transfer_get_type ())

G_DECLARE_FINAL_TYPE (SendoffTransfer, sendoff_transfer, SENDOFF, TRANSFER, GObject)

/* Properties (notify-able):
 *   name (string, read-write), description (string, read-write),
 *   items (GListModel of SendoffItem), n-items (guint),
 *   state (SendoffState), size (guint64), bytes-sent (guint64),
 *   fraction (double), speed (double, bytes/s over a moving window),
 *   eta (gint64 seconds left, -1 while unknown), share-url (string),
 *   result (string: what the service made, e.g. the share link or the
 *   created files; shown to the user when done), error (string),
 *   link-expires-at (gint64 Unix seconds when the link stops working, 0 unknown),
 *   retry-at (gint64 monotonic µs of the next attempt, 0 while none is waited for),
 *   retry-attempt, retry-max-attempts (guint: "attempt 3 of 10"),
 *   retry-reason (string: why the last attempt failed),
 *   journal-id (string: the transfer's id in the journal once a send
 *   recorded it, or the one it was resumed from; NULL before)
 */
SendoffTransfer *sendoff_transfer_new             (void);

const char      *sendoff_transfer_get_name        (SendoffTransfer  *self);
void             sendoff_transfer_set_name        (SendoffTransfer  *self,
                                                   const char       *name);
const char      *sendoff_transfer_get_description (SendoffTransfer  *self);
void             sendoff_transfer_set_description (SendoffTransfer  *self,
                                                   const char       *description);
/* The name to send: the name set, else the first item's name, else "N files" */
char            *sendoff_transfer_dup_effective_name (SendoffTransfer *self);

GListModel      *sendoff_transfer_get_items       (SendoffTransfer  *self);
guint            sendoff_transfer_get_n_items     (SendoffTransfer  *self);
SendoffState     sendoff_transfer_get_state       (SendoffTransfer  *self);
guint64          sendoff_transfer_get_size        (SendoffTransfer  *self);
guint64          sendoff_transfer_get_bytes_sent  (SendoffTransfer  *self);
double           sendoff_transfer_get_fraction    (SendoffTransfer  *self);
double           sendoff_transfer_get_speed       (SendoffTransfer  *self);
gint64           sendoff_transfer_get_eta         (SendoffTransfer  *self);
const char      *sendoff_transfer_get_share_url   (SendoffTransfer  *self);
const char      *sendoff_transfer_get_result      (SendoffTransfer  *self);
const char      *sendoff_transfer_get_error       (SendoffTransfer  *self);
gint64           sendoff_transfer_get_link_expires_at    (SendoffTransfer *self);
gint64           sendoff_transfer_get_retry_at           (SendoffTransfer *self);
guint            sendoff_transfer_get_retry_attempt      (SendoffTransfer *self);
guint            sendoff_transfer_get_retry_max_attempts (SendoffTransfer *self);
const char      *sendoff_transfer_get_retry_reason       (SendoffTransfer *self);
const char      *sendoff_transfer_get_journal_id  (SendoffTransfer  *self);

/* Adds files and folders (expanded recursively, in a worker thread).
 * Duplicates are dropped silently; files that cannot be sent (missing,
 * unreadable, FIFOs, devices, sockets, symlink loops) are refused, and
 * @refused (if not NULL) receives one translated message per refused path,
 * each naming the file. Items are appended only while the state is NEW. */
void             sendoff_transfer_add_files_async  (SendoffTransfer     *self,
                                                    GFile              **files,
                                                    guint                n_files,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean         sendoff_transfer_add_files_finish (SendoffTransfer     *self,
                                                    GAsyncResult        *result,
                                                    GStrv               *refused,
                                                    GError             **error);
void             sendoff_transfer_remove_item      (SendoffTransfer     *self,
                                                    SendoffItem         *item);
void             sendoff_transfer_remove_all       (SendoffTransfer     *self);

G_END_DECLS
