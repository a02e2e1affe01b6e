/* sendoff-transfer-resume.h — a transfer rebuilt from the journal, to continue where it stopped
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-journal.h"
#include "sendoff-provider.h"
#include "sendoff-transfer.h"

G_BEGIN_DECLS

/* Rebuilds the journaled transfer @id for sendoff_uploader_send_async(),
 * which then sends only what the storage does not hold yet.
 *
 * Every file is checked first (size, mtime, device, inode): one that
 * changed restarts its item alone (the journal forgets its parts and takes
 * its new identity) and its name is added to @restarted; one that is gone
 * fails the whole call with %SENDOFF_ERROR_INVALID_INPUT naming it. Then
 * @provider gets its saved state back: per item the registration and the
 * parts stored (their receipts replayed through part_stored), then
 * restore_state; per transfer the remote id and restore_state.
 *
 * With @restart, nothing remote is kept: every item starts from byte 0
 * (for a transfer the server forgot). Errors: %SENDOFF_JOURNAL_ERROR_NOT_FOUND
 * for an unknown @id; %SENDOFF_ERROR_INVALID_INPUT for a transfer that is
 * done or discarded; %SENDOFF_ERROR_FORGOTTEN (without @restart) for one
 * whose remote state is gone (aborted after a fatal failure, or forgotten
 * by the server). The transfer's journal-id is @id. */
SendoffTransfer *sendoff_transfer_new_from_journal (SendoffJournal   *journal,
                                                    const char       *id,
                                                    SendoffProvider  *provider,
                                                    gboolean          restart,
                                                    GStrv            *restarted,
                                                    GError          **error);

G_END_DECLS
