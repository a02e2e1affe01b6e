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

/**
 * SendoffResumeFlags:
 * @SENDOFF_RESUME_NONE: continue where it stopped
 * @SENDOFF_RESUME_RESTART: keep nothing remote: every item starts from
 *   byte 0 (for a transfer the server forgot)
 * @SENDOFF_RESUME_DISCARD: rebuilt only to be discarded: files are not
 *   looked at (they may be gone) and the journal is not changed
 */
typedef enum {
  SENDOFF_RESUME_NONE    = 0,
  SENDOFF_RESUME_RESTART = 1 << 0,
  SENDOFF_RESUME_DISCARD = 1 << 1,
} SendoffResumeFlags;

/* Rebuilds the journaled transfer @id for sendoff_uploader_send_async(),
 * which then sends only what the storage does not hold yet.
 *
 * Every file not sent whole yet is checked first (size, mtime, device,
 * inode): one that changed restarts its item alone (the journal forgets its
 * parts and takes its new identity; of the same size it keeps its remote
 * upload, else it is registered again) and its name is added to
 * @restarted; one that is gone fails the whole call with
 * %SENDOFF_ERROR_INVALID_INPUT naming it. Then
 * @provider gets its saved state back: per item the registration and the
 * parts stored (their receipts replayed through part_stored), then
 * restore_state; per transfer the remote id and restore_state.
 *
 * The transfer holds @id's journal lock from the start (the engine lets
 * go of it when the send or the discard ends, or the transfer goes).
 *
 * Errors: %SENDOFF_JOURNAL_ERROR_BUSY, before anything is read or changed,
 * while another process works on it; %SENDOFF_JOURNAL_ERROR_NOT_FOUND
 * for an unknown @id; %SENDOFF_ERROR_INVALID_INPUT for a transfer that is
 * done or discarded; %SENDOFF_ERROR_FORGOTTEN (without
 * %SENDOFF_RESUME_RESTART or %SENDOFF_RESUME_DISCARD) for one
 * whose remote state is gone (aborted after a fatal failure, or forgotten
 * by the server). The transfer's journal-id is @id. */
SendoffTransfer *sendoff_transfer_new_from_journal (SendoffJournal   *journal,
                                                    const char       *id,
                                                    SendoffProvider  *provider,
                                                    SendoffResumeFlags flags,
                                                    GStrv            *restarted,
                                                    GError          **error);

G_END_DECLS
