/* sendoff-application.h — the Sendoff application
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sendoff-journal.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_APPLICATION (sendoff_application_get_type ())

G_DECLARE_FINAL_TYPE (SendoffApplication, sendoff_application, SENDOFF, APPLICATION, AdwApplication)

SendoffApplication *sendoff_application_new          (void);
/* The app's settings, or NULL when the schema is not installed */
GSettings          *sendoff_application_get_settings (SendoffApplication *self);
/* TRUE once the settings of older versions are moved into destinations
 * (see sendoff_destination_migrate_async()); windows read destinations
 * only then. Notified as "ready". */
gboolean            sendoff_application_get_ready    (SendoffApplication *self);
/* The transfer journal, opened once at startup in the user's data
 * directory (the app's own under Flatpak); NULL when it cannot be opened
 * (sends then go unrecorded). Every window's uploader gets it. */
SendoffJournal     *sendoff_application_get_journal  (SendoffApplication *self);
/* The journal's unfinished transfers that no window holds (shows,
 * sends or can bring back with Undo), newest first; NULL without a
 * journal. Those another process works on are there, locked. */
GPtrArray          *sendoff_application_list_unfinished (SendoffApplication *self);

/* For tests: runs the migration again (it does nothing once done). */
void                _sendoff_application_migrate     (SendoffApplication *self);

G_END_DECLS
