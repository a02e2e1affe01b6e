/* sendoff-journal-private.h — what the tests may see of the journal
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "sendoff-journal.h"

G_BEGIN_DECLS

sqlite3 *_sendoff_journal_get_db             (SendoffJournal *self);
int      _sendoff_journal_get_schema_version (void);

G_END_DECLS
