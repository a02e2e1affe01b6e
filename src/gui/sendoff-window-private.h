/* sendoff-window-private.h — what the window's source files share
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-file-groups.h"
#include "sendoff-history-view.h"
#include "sendoff-journal.h"
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

  /* the journal (the application's) and what the window does with it */
  SendoffJournal       *journal;
  char                 *resume_id;      /* being made ready to resume */
  guint                 n_unfinished;   /* on the banner */
  GStrv                 unfinished_ids; /* the banner's, newest first */
  guint                 in_background : 1;   /* closed while sending */
  guint                 quitting : 1;
  GCancellable         *background_question; /* while the Background portal is asked */
  GtkWindow            *background_refused;  /* weak: its answer, said to the user */
  gint64                progress_notified_at;
  int                   progress_notified_percent;
  GtkWindow            *history_window;  /* weak */
  GFileMonitor         *locks_monitor;   /* others taking or letting go of transfers */
  guint                 locks_changed_id;

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
  GtkRevealer          *journal_banner;
  GtkLabel             *journal_banner_label;
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

/* sendoff-window-journal.c: the unfinished transfers' banner, resume,
 * discard, History */
void     _sendoff_window_journal_init       (SendoffWindow   *self);
void     _sendoff_window_class_journal_init (GtkWidgetClass  *widget_class);
void     _sendoff_window_journal_finalize   (SendoffWindow   *self);
/* Aborts what the journaled transfer @id left on the server and marks it
 * discarded; with @uploader (its own engine) it is used, else one is made */
void     _sendoff_window_discard_journaled  (SendoffWindow   *self,
                                             const char      *id,
                                             SendoffUploader *uploader,
                                             SendoffTransfer *transfer);
/* A finished send appears in History at once */
void     _sendoff_window_refresh_history    (SendoffWindow   *self);

/* sendoff-window-background.c: a send that goes on with the window closed */
void     _sendoff_window_background_init    (SendoffWindow   *self);
void     _sendoff_window_background_dispose (SendoffWindow   *self);
/* Closed while sending: goes on in the background where it may (inside
 * Flatpak the Background portal is asked first) */
void     _sendoff_window_close_while_sending (SendoffWindow  *self);
void     _sendoff_window_background_progress (SendoffWindow  *self);
/* The send ended (done, failed or stopped): a window in the background goes */
void     _sendoff_window_background_ended   (SendoffWindow   *self);

/* sendoff-window-send.c */
void     _sendoff_window_send               (SendoffWindow   *self);
/* Sends self->transfer with self->uploader (given the journal) */
void     _sendoff_window_start_upload       (SendoffWindow   *self);
/* A notification when the window is not in front; @link adds Copy Link */
void     _sendoff_window_notify             (SendoffWindow   *self,
                                             const char      *title,
                                             const char      *body,
                                             const char      *link);
void     _sendoff_window_cancel             (SendoffWindow   *self);
void     _sendoff_window_check_key          (SendoffWindow   *self);
void     _sendoff_window_send_finalize      (SendoffWindow   *self);
/* Shows self->error on the Failed page */
void     _sendoff_window_show_failed        (SendoffWindow   *self);
void     _sendoff_window_class_send_init    (GtkWidgetClass  *widget_class);

G_END_DECLS
