/* sendoff-journal-private.h — what the journal's files share, and the tests may see
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "sendoff-journal.h"

G_BEGIN_DECLS

/* S3's limit, and so the engine's */
#define SENDOFF_JOURNAL_MAX_PART_NUMBER 10000

sqlite3            *_sendoff_journal_get_db             (SendoffJournal       *self);
int                 _sendoff_journal_get_schema_version (void);
/* Sets @error from SQLite's last error, in one bounded line; FALSE */
gboolean            _sendoff_journal_set_db_error       (SendoffJournal       *self,
                                                         GError              **error);
gboolean            _sendoff_journal_state_from_string  (const char           *name,
                                                         SendoffJournalState  *state);
SendoffJournalFile *_sendoff_journal_file_new           (void);
/* TRUE when a lock holds @id; @holder gets its pid, 0 when unknown */
gboolean            _sendoff_journal_lock_probe         (SendoffJournal       *self,
                                                         const char           *id,
                                                         GPid                 *holder);

G_END_DECLS
