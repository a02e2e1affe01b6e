/* sendoff-preferences-window.h — service, API base URL, keys and sending settings
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SENDOFF_TYPE_PREFERENCES_WINDOW (sendoff_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SendoffPreferencesWindow, sendoff_preferences_window,
                      SENDOFF, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *sendoff_preferences_window_new       (GtkWindow                *parent);

/* TRUE once every secret of the chosen service is in the keyring. */
gboolean   sendoff_preferences_window_get_key_stored (SendoffPreferencesWindow *self);

/* TRUE while the keyring is being read or written. */
gboolean   sendoff_preferences_window_get_busy  (SendoffPreferencesWindow *self);

/* Shows why the service refused the stored key (e.g. the server's reason
 * for a 403 on authorize) under the key entry, until a new key is saved. */
void       sendoff_preferences_window_show_key_error (SendoffPreferencesWindow *self,
                                                      const char               *message);

/* For tests: the entry row of the secret @kind of the chosen service. */
GtkWidget *_sendoff_preferences_window_get_secret_row (SendoffPreferencesWindow *self,
                                                       const char               *kind);

G_END_DECLS
