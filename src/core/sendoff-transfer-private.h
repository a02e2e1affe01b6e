/* sendoff-transfer-private.h — the core's side of SendoffTransfer
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-journal.h"
#include "sendoff-transfer.h"

G_BEGIN_DECLS

void         _sendoff_transfer_set_state      (SendoffTransfer *self,
                                               SendoffState     state);
void         _sendoff_transfer_set_error      (SendoffTransfer *self,
                                               const char      *error);
void         _sendoff_transfer_set_share_url  (SendoffTransfer *self,
                                               const char      *share_url);
void         _sendoff_transfer_set_result     (SendoffTransfer *self,
                                               const char      *result);
/* Unix seconds, 0 when unknown */
void         _sendoff_transfer_set_link_expires_at (SendoffTransfer *self,
                                                    gint64           expires_at);
/* The engine waits until @at (monotonic µs) before attempt @attempt of
 * @max_attempts, because of @reason; cleared when the attempt starts. */
void         _sendoff_transfer_set_retry      (SendoffTransfer *self,
                                               gint64           at,
                                               guint            attempt,
                                               guint            max_attempts,
                                               const char      *reason);
void         _sendoff_transfer_clear_retry    (SendoffTransfer *self);
void         _sendoff_transfer_set_journal_id (SendoffTransfer *self,
                                               const char      *journal_id);
/* The journal's lock on it while this process works on it (sends,
 * resumes, discards it); the transfer owns @lock. NULL lets go. */
SendoffJournalLock *_sendoff_transfer_get_journal_lock (SendoffTransfer    *self);
void         _sendoff_transfer_set_journal_lock (SendoffTransfer    *self,
                                                 SendoffJournalLock *lock);
const char  *_sendoff_transfer_get_remote_id  (SendoffTransfer *self);
void         _sendoff_transfer_set_remote_id  (SendoffTransfer *self,
                                               const char      *remote_id);
/* The provider's per-transfer state (WeTransfer's share link, ...),
 * freed with @destroy when replaced or when the transfer goes. */
gpointer     _sendoff_transfer_get_provider_data (SendoffTransfer *self);
void         _sendoff_transfer_set_provider_data (SendoffTransfer *self,
                                                  gpointer         data,
                                                  GDestroyNotify   destroy);
/* Recomputes bytes-sent, fraction, speed and ETA from the items and
 * notifies what changed; the engine calls it a few times a second. */
void         _sendoff_transfer_update_progress (SendoffTransfer *self);
/* Forget the speed window (on a new send or a retry). */
void         _sendoff_transfer_reset_speed    (SendoffTransfer *self);
void         _sendoff_transfer_append_items   (SendoffTransfer *self,
                                               GPtrArray       *items);

G_END_DECLS
