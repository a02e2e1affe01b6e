/* sendoff-setup-page.h — "Where should files go?": choose a backend, fill it in, check, save
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sendoff-destination-editor.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_SETUP_PAGE (sendoff_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (SendoffSetupPage, sendoff_setup_page, SENDOFF, SETUP_PAGE, GtkBox)

GtkWidget                *sendoff_setup_page_new          (GSettings        *settings);
void                      sendoff_setup_page_set_settings (SendoffSetupPage *self,
                                                           GSettings        *settings);
/* Goes on to the editor of a new destination of backend @backend_id,
 * filled from its preset @preset_id (or none). */
SendoffDestinationEditor *sendoff_setup_page_choose       (SendoffSetupPage *self,
                                                           const char       *backend_id,
                                                           const char       *preset_id);
/* The editor shown, or NULL while the backends are listed. */
SendoffDestinationEditor *sendoff_setup_page_get_editor   (SendoffSetupPage *self);
/* The welcome above the list (first run); Preferences has its own title. */
void                      sendoff_setup_page_set_intro_visible (SendoffSetupPage *self,
                                                                gboolean          visible);
/* Back to the list of backends; what was typed is dropped. */
void                      sendoff_setup_page_reset        (SendoffSetupPage *self);

G_END_DECLS
