/* sendoff-window-background.c — a send that goes on after its window is closed
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-format.h"
#include "sendoff-window-private.h"

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
 * says where it is in a notification. GTK 4.8 has no call for the
 * Background portal, and libportal is not a dependency: under Flatpak
 * the hold is all there is. */
void
_sendoff_window_send_in_background (SendoffWindow *self)
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

  if (sendoff_window_is_sending (self) || (!self->in_background && !self->quitting))
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
