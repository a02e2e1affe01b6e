/* sendoff-window-background.c — a send that goes on after its window is closed
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-background-portal.h"
#include "sendoff-format.h"
#include "sendoff-window-private.h"

/* After GTK's headers, which say which backends there are */
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/* A notification replaced in place now and then, not one per tick */
#define PROGRESS_INTERVAL_USEC (5 * G_USEC_PER_SEC)

static char *
dup_progress_id (SendoffWindow *self)
{
  return g_strdup_printf ("transfer-progress-%u",
                          gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self)));
}

static void
notify_progress (SendoffWindow *self,
                 int            percent)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *name = sendoff_transfer_dup_effective_name (self->transfer);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = dup_progress_id (self);
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL)
    return;

  /* Translators: a notification's title: a transfer's name, how much is sent */
  title = g_strdup_printf (_("Sending “%s” — %d %%"), name, percent);
  body = sendoff_format_progress (sendoff_transfer_get_bytes_sent (self->transfer),
                                  sendoff_transfer_get_size (self->transfer),
                                  sendoff_transfer_get_eta (self->transfer));
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_LOW);
  g_notification_set_default_action_and_target (notification, "app.present-window", "u",
                                                gtk_application_window_get_id (
                                                  GTK_APPLICATION_WINDOW (self)));
  g_application_send_notification (app, id, notification);

  self->progress_notified_at = g_get_monotonic_time ();
  self->progress_notified_percent = percent;
}

void
_sendoff_window_background_progress (SendoffWindow *self)
{
  int percent;

  if (!self->in_background || self->quitting)
    return;

  percent = (int) (sendoff_transfer_get_fraction (self->transfer) * 100.0);
  if (percent != self->progress_notified_percent &&
      g_get_monotonic_time () - self->progress_notified_at >= PROGRESS_INTERVAL_USEC)
    notify_progress (self, percent);
}

/* Closing the window does not stop the send: the window only hides until
 * the engine is done (the application holds itself meanwhile), and
 * says where it is in a notification */
static void
send_in_background (SendoffWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (self->in_background || app == NULL)
    return;

  self->in_background = TRUE;
  g_application_hold (app);
  if (self->history_window != NULL)
    gtk_window_close (self->history_window);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  notify_progress (self, (int) (sendoff_transfer_get_fraction (self->transfer) * 100.0));
}

static void
on_refused_response (AdwMessageDialog *dialog,
                     const char       *response,
                     SendoffWindow    *self)
{
  /* The dialog goes by itself */
  g_clear_weak_pointer (&self->background_refused);
  if (g_str_equal (response, "pause"))
    sendoff_window_pause_and_close (self);
}

/* The user does not let Sendoff run without a window: hidden, it could be
 * stopped any moment. The window stays; pausing is the way to close it. */
static void
say_background_refused (SendoffWindow *self)
{
  AdwMessageDialog *dialog;

  if (self->background_refused != NULL)
    {
      gtk_window_present (self->background_refused);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
    _("Sendoff Cannot Run in the Background"),
    _("The transfer goes on only while the window is open. Keep it open until the transfer "
      "is sent, or pause the transfer and resume it later.\n\n"
      "Running in the background can be allowed in the app settings.")));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Sending"),
                                    "pause", _("_Pause and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "pause", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_refused_response), self, 0);
  g_set_weak_pointer (&self->background_refused, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
background_answered_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(SendoffWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SendoffBackgroundAnswer answer;

  answer = sendoff_background_portal_request_finish (result, &error);
  /* Withdrawn (by whoever cleared the question): the window may be gone */
  if (error != NULL)
    return;

  g_clear_object (&self->background_question);
  if (!sendoff_window_is_sending (self) || self->quitting)
    return;

  if (answer == SENDOFF_BACKGROUND_DENIED)
    say_background_refused (self);
  else
    send_in_background (self);
}

/* The portal's identifier of the window its question belongs to; on
 * Wayland that would be an exported xdg-foreign handle, which GTK 4.8
 * gives only asynchronously: the question is then just not attached */
static char *
dup_parent_window (SendoffWindow *self)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));

  if (GDK_IS_X11_SURFACE (surface))
    return g_strdup_printf ("x11:%lx", (gulong) gdk_x11_surface_get_xid (surface));
#endif

  return g_strdup ("");
}

void
_sendoff_window_close_while_sending (SendoffWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  /* Translators: below the system's "Allow Sendoff to Run in the Background?" */
  const char *reason = _("Sendoff can finish sending your files after its window is closed.");
  g_autofree char *parent_window = NULL;

  if (self->in_background || self->background_question != NULL)
    return;

  /* Outside Flatpak nothing stops an application without windows */
  if (!sendoff_background_portal_is_sandboxed ())
    {
      send_in_background (self);
      return;
    }

  /* Asked each time: the portal remembers the user's answer, and
   * answers at once when the user changed it in the app settings */
  parent_window = dup_parent_window (self);
  self->background_question = g_cancellable_new ();
  sendoff_background_portal_request_async (app != NULL ? g_application_get_dbus_connection (app)
                                                       : NULL,
                                           parent_window, reason, self->background_question,
                                           background_answered_cb, g_object_ref (self));
}

static void
withdraw_question (SendoffWindow *self)
{
  g_cancellable_cancel (self->background_question);
  g_clear_object (&self->background_question);
  if (self->background_refused != NULL)
    gtk_window_destroy (self->background_refused);
}

/* Brought back (the application activated, the notification clicked)
 * while still sending: a window like any other again */
static void
on_show (SendoffWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *id = dup_progress_id (self);

  if (!self->in_background || self->quitting)
    return;

  self->in_background = FALSE;
  if (app != NULL)
    {
      g_application_withdraw_notification (app, id);
      g_application_release (app);
    }
}

void
_sendoff_window_background_init (SendoffWindow *self)
{
  g_signal_connect (self, "show", G_CALLBACK (on_show), NULL);
}

gboolean
sendoff_window_get_in_background (SendoffWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_WINDOW (self), FALSE);

  return self->in_background;
}

void
_sendoff_window_background_ended (SendoffWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *id = NULL;

  if (sendoff_window_is_sending (self))
    return;

  /* Whether it may go on without the window no longer matters */
  withdraw_question (self);
  if (!self->in_background && !self->quitting)
    return;

  if (app != NULL)
    {
      id = dup_progress_id (self);
      g_application_withdraw_notification (app, id);
    }

  /* The window is gone for the user already; the last one ends the application */
  self->close_confirmed = TRUE;
  g_object_ref (self);
  gtk_window_destroy (GTK_WINDOW (self));
  if (self->in_background && app != NULL)
    {
      self->in_background = FALSE;
      g_application_release (app);
    }
  g_object_unref (self);
}

void
sendoff_window_pause_and_close (SendoffWindow *self)
{
  g_return_if_fail (SENDOFF_IS_WINDOW (self));

  self->close_confirmed = TRUE;
  withdraw_question (self);
  if (!sendoff_window_is_sending (self))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  /* The engine writes PAUSED in the journal as it stops; until then the
   * window (and so the application) stays, hidden */
  self->quitting = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  _sendoff_window_cancel (self);
}

void
_sendoff_window_background_dispose (SendoffWindow *self)
{
  withdraw_question (self);
  if (self->in_background)
    {
      self->in_background = FALSE;
      g_application_release (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
    }
}
