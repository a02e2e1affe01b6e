/* sendoff-history-view.h — the journal's transfers: links, expiry, files
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sendoff-journal.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_HISTORY_VIEW (sendoff_history_view_get_type ())

G_DECLARE_FINAL_TYPE (SendoffHistoryView, sendoff_history_view, SENDOFF, HISTORY_VIEW, AdwBin)

/* Widget actions (parameter: the transfer id): "history.copy-link",
 * "history.open-link", "history.remove". */
GtkWidget      *sendoff_history_view_new         (SendoffJournal     *journal);
SendoffJournal *sendoff_history_view_get_journal (SendoffHistoryView *self);
/* Reads the journal again (after a send, or another Sendoff wrote to it) */
void            sendoff_history_view_refresh     (SendoffHistoryView *self);

G_END_DECLS
