/* sendoff-window-private.h — what the window's source files share
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-destination.h"
#include "sendoff-setup-page.h"
#include "sendoff-uploader.h"
#include "sendoff-window.h"

G_BEGIN_DECLS

struct _SendoffWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  SendoffTransfer      *transfer;
  GtkNoSelection       *selection;

  /* sending */
  SendoffUploader      *uploader;
  GCancellable         *cancellable;
  GError               *error;
  SendoffDestination   *destination;   /* where the next send goes; NULL when none */
  guint                 inhibit_cookie;
  guint                 starting : 1;
  guint                 sending : 1;
  guint                 close_confirmed : 1;
  guint                 key_missing : 1;
  guint                 key_refused : 1;
  guint                 destinations_known : 1;  /* after the application's migration */
  guint                 needs_setup : 1;
  guint                 n_adding;
  GCancellable         *key_cancellable;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *add_button;
  GtkRevealer          *key_banner;
  GtkLabel             *key_banner_label;
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  SendoffSetupPage     *setup_page;
  GtkWidget            *details_clamp;
  GtkText              *name_text;
  GtkText              *message_text;
  GtkLabel             *total_label;
  GtkSpinner           *adding_spinner;
  GtkListView          *list_view;
  GtkStack             *footer_stack;
  GtkLabel             *footer_total_label;
  GtkButton            *send_button;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  GtkLabel             *speed_label;
  GtkWidget            *cancel_button;
  GtkWidget            *stopped_box;
  AdwStatusPage        *done_page;
  GtkLabel             *link_label;
  AdwStatusPage        *failed_page;
  GtkLabel             *failed_detail_label;
  GtkWidget            *failed_key_button;
  GtkRevealer          *drop_revealer;
};

/* sendoff-window.c */
void     _sendoff_window_set_transfer       (SendoffWindow   *self,
                                             SendoffTransfer *transfer);
void     _sendoff_window_update             (SendoffWindow   *self);
void     _sendoff_window_toast              (SendoffWindow   *self,
                                             const char      *title);

/* sendoff-window-actions.c */
void     _sendoff_window_class_actions_init (GtkWidgetClass  *widget_class);
void     _sendoff_window_update_actions     (SendoffWindow   *self);
void     _sendoff_window_confirm_close      (SendoffWindow   *self);

/* sendoff-window-dnd.c */
void     _sendoff_window_dnd_init           (SendoffWindow   *self);
void     _sendoff_window_paste_files        (SendoffWindow   *self);

/* sendoff-window-send.c */
void     _sendoff_window_send               (SendoffWindow   *self);
void     _sendoff_window_cancel             (SendoffWindow   *self);
void     _sendoff_window_check_key          (SendoffWindow   *self);
void     _sendoff_window_send_finalize      (SendoffWindow   *self);
void     _sendoff_window_class_send_init    (GtkWidgetClass  *widget_class);

G_END_DECLS
