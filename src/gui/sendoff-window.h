/* sendoff-window.h — the main window: compose, send, share the link
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sendoff-application.h"
#include "sendoff-transfer.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_WINDOW (sendoff_window_get_type ())

G_DECLARE_FINAL_TYPE (SendoffWindow, sendoff_window, SENDOFF, WINDOW, AdwApplicationWindow)

SendoffWindow   *sendoff_window_new                (SendoffApplication *application);
/* The transfer being composed, sent or shown */
SendoffTransfer *sendoff_window_get_transfer       (SendoffWindow      *self);
/* TRUE while files can still be added (nothing sent yet) */
gboolean         sendoff_window_accepts_files      (SendoffWindow      *self);
/* TRUE from Send until the transfer ends */
gboolean         sendoff_window_is_sending         (SendoffWindow      *self);
void             sendoff_window_add_files          (SendoffWindow      *self,
                                                    GFile             **files,
                                                    guint               n_files);
/* The service's reason for refusing the key, or NULL */
const char      *sendoff_window_get_key_error      (SendoffWindow      *self);
/* Checks the stored key again once @preferences stores one or closes */
void             sendoff_window_watch_preferences  (SendoffWindow      *self,
                                                    GtkWindow          *preferences);
void             sendoff_window_set_accels         (GtkApplication     *application);
/* TRUE when the journaled transfer @id is the window's: shown, being
 * sent, or put aside for Undo */
gboolean         sendoff_window_holds_journal_id   (SendoffWindow      *self,
                                                    const char         *id);
/* TRUE while a send goes on with the window closed */
gboolean         sendoff_window_get_in_background  (SendoffWindow      *self);
/* Quitting: a send is interrupted (the journal keeps it PAUSED, to be
 * resumed) and the window goes once the engine has stopped */
void             sendoff_window_pause_and_close    (SendoffWindow      *self);
/* Reads the journal's unfinished transfers again for the banner */
void             sendoff_window_update_unfinished  (SendoffWindow      *self);

G_END_DECLS
