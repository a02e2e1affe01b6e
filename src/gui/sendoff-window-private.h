/* sendoff-window-private.h — what the window's source files share
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-file-groups.h"
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
  GSignalGroup         *transfer_signals;   /* follow whichever transfer is shown */
  GBindingGroup        *transfer_bindings;
  GtkNoSelection       *selection;
  SendoffFileGroups    *groups;

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

  /* what the last toast can bring back or explain */
  GStrv                 refused;
  SendoffTransfer      *undo_transfer;
  SendoffUploader      *undo_uploader;
  GError               *undo_error;
  guint                 retry_tick_id;

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
  GtkLabel             *retry_label;
  GtkLabel             *footer_total_label;
  GtkButton            *send_button;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  GtkLabel             *speed_label;
  GtkWidget            *cancel_button;
  GtkWidget            *stopped_box;
  AdwStatusPage        *done_page;
  GtkLabel             *link_label;
  GtkWidget            *qr_box;
  GtkImage             *qr_picture;
  GtkLabel             *expiry_label;
  AdwStatusPage        *failed_page;
  GtkLabel             *failed_detail_label;
  GtkWidget            *failed_key_button;
  GtkWidget            *failed_retry_button;
  GtkRevealer          *drop_revealer;
};

/* sendoff-window.c */
void     _sendoff_window_set_transfer       (SendoffWindow   *self,
                                             SendoffTransfer *transfer);
void     _sendoff_window_update             (SendoffWindow   *self);
void     _sendoff_window_toast              (SendoffWindow   *self,
                                             const char      *title);
/* A toast with a button that activates @action_name on the window; the
 * toast is the overlay's */
AdwToast *_sendoff_window_toast_with_action (SendoffWindow   *self,
                                             const char      *title,
                                             const char      *button_label,
                                             const char      *action_name);

/* sendoff-window-actions.c */
void     _sendoff_window_class_actions_init (GtkWidgetClass  *widget_class);
void     _sendoff_window_update_actions     (SendoffWindow   *self);
void     _sendoff_window_confirm_close      (SendoffWindow   *self);
/* Puts the current transfer aside (Undo brings it back) and starts a new one */
void     _sendoff_window_discard            (SendoffWindow   *self);
/* The transfer put aside is gone for good (its toast went without Undo,
 * or another discard came): what it left on the server may be dropped */
void     _sendoff_window_forget_discarded   (SendoffWindow   *self);

/* sendoff-window-dnd.c */
void     _sendoff_window_dnd_init           (SendoffWindow   *self);
void     _sendoff_window_paste_files        (SendoffWindow   *self);

/* sendoff-window-done.c */
void     _sendoff_window_done_init          (SendoffWindow   *self);
void     _sendoff_window_update_done_page   (SendoffWindow   *self);

/* sendoff-window-send.c */
void     _sendoff_window_send               (SendoffWindow   *self);
void     _sendoff_window_cancel             (SendoffWindow   *self);
void     _sendoff_window_check_key          (SendoffWindow   *self);
void     _sendoff_window_send_finalize      (SendoffWindow   *self);
/* Shows self->error on the Failed page */
void     _sendoff_window_show_failed        (SendoffWindow   *self);
void     _sendoff_window_class_send_init    (GtkWidgetClass  *widget_class);

G_END_DECLS
