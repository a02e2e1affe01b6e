/* sendoff-destination-editor.h — the fields of a destination, built from its backend's declarations
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sendoff-destination.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_DESTINATION_EDITOR (sendoff_destination_editor_get_type ())

G_DECLARE_FINAL_TYPE (SendoffDestinationEditor, sendoff_destination_editor,
                      SENDOFF, DESTINATION_EDITOR, GtkBox)

/* Edits @destination (saved or not). Nothing is written until Save:
 * options then go to @settings, typed secrets to the keyring. */
GtkWidget          *sendoff_destination_editor_new             (SendoffDestination       *destination,
                                                                GSettings                *settings);
SendoffDestination *sendoff_destination_editor_get_destination (SendoffDestinationEditor *self);

/* Fills the options from one of the backend's presets (its id). */
gboolean            sendoff_destination_editor_apply_preset    (SendoffDestinationEditor *self,
                                                                const char               *preset_id);

/* Why the server refused the stored secrets, shown until new ones are saved. */
void                sendoff_destination_editor_show_key_error  (SendoffDestinationEditor *self,
                                                                const char               *message);

/* The last answer of Check or Save, as shown; NULL before either. */
const char         *sendoff_destination_editor_get_status      (SendoffDestinationEditor *self);
/* TRUE after a Check that succeeded with the values as they are now. */
gboolean            sendoff_destination_editor_get_checked     (SendoffDestinationEditor *self);
/* TRUE while checking, saving or reading the keyring. */
gboolean            sendoff_destination_editor_get_busy        (SendoffDestinationEditor *self);

/* For tests: the row of option or secret @key, the name row. */
GtkWidget          *_sendoff_destination_editor_get_row        (SendoffDestinationEditor *self,
                                                                const char               *key);

G_END_DECLS
