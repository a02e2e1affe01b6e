/* sendoff-preferences-window.h — destinations and sending settings
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sendoff-destination-editor.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_PREFERENCES_WINDOW (sendoff_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SendoffPreferencesWindow, sendoff_preferences_window,
                      SENDOFF, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *sendoff_preferences_window_new     (GtkWindow                *parent);

/* Opens the editor of @destination (saved or not, e.g. one the
 * environment names) in a subpage; @key_error, when not NULL, is why the
 * server refused its stored key. */
SendoffDestinationEditor *
           sendoff_preferences_window_edit    (SendoffPreferencesWindow *self,
                                               SendoffDestination       *destination,
                                               const char               *key_error);
/* Opens "Add Destination": the list of backends, then the editor. */
void       sendoff_preferences_window_add     (SendoffPreferencesWindow *self);

/* TRUE while the keyring is being written. */
gboolean   sendoff_preferences_window_get_busy (SendoffPreferencesWindow *self);

/* For tests: the row of the saved destination @id, the editor or setup
 * page shown in the subpage (NULL when none). */
GtkWidget *_sendoff_preferences_window_get_row     (SendoffPreferencesWindow *self,
                                                    const char               *id);
GtkWidget *_sendoff_preferences_window_get_subpage (SendoffPreferencesWindow *self);

G_END_DECLS
