/* sendoff-application.c — the Sendoff application
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-application.h"
#include "sendoff-preferences-window.h"
#include "sendoff-destination.h"
#include "sendoff-window.h"

struct _SendoffApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  SendoffJournal *journal;
  gboolean        ready;
};

G_DEFINE_FINAL_TYPE (SendoffApplication, sendoff_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
migrated_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SendoffApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sendoff_destination_migrate_finish (result, &error))
    g_warning ("The settings of an older Sendoff could not be moved: %s", error->message);

  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  g_application_release (G_APPLICATION (self));
}

void
_sendoff_application_migrate (SendoffApplication *self)
{
  g_return_if_fail (SENDOFF_IS_APPLICATION (self));

  self->ready = FALSE;
  g_application_hold (G_APPLICATION (self));
  sendoff_destination_migrate_async (self->settings, NULL, migrated_cb, g_object_ref (self));
}

gboolean
sendoff_application_get_ready (SendoffApplication *self)
{
  g_return_val_if_fail (SENDOFF_IS_APPLICATION (self), FALSE);

  return self->ready;
}

static SendoffWindow *
get_window_for_files (SendoffApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SENDOFF_IS_WINDOW (active) && sendoff_window_accepts_files (SENDOFF_WINDOW (active)))
    return SENDOFF_WINDOW (active);

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (SENDOFF_IS_WINDOW (l->data) && sendoff_window_accepts_files (l->data))
      return l->data;

  return sendoff_window_new (self);
}

static void
sendoff_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (sendoff_window_new (SENDOFF_APPLICATION (app)));

  gtk_window_present (window);
}

static void
sendoff_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  SendoffWindow *window = get_window_for_files (SENDOFF_APPLICATION (app));

  sendoff_window_add_files (window, files, (guint) MAX (n_files, 0));
  gtk_window_present (GTK_WINDOW (window));
}

static void
open_journal (SendoffApplication *self)
{
  g_autoptr(GError) error = NULL;

  /* Under Flatpak the user data directory is the app's own */
  self->journal = sendoff_journal_new (NULL, &error);
  if (self->journal == NULL)
    g_warning ("The transfer journal cannot be opened; transfers cannot be resumed: %s",
               error->message);
}

SendoffJournal *
sendoff_application_get_journal (SendoffApplication *self)
{
  g_return_val_if_fail (SENDOFF_IS_APPLICATION (self), NULL);

  return self->journal;
}

static gboolean
is_held_by_a_window (SendoffApplication *self,
                     const char         *id)
{
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (SENDOFF_IS_WINDOW (l->data) && sendoff_window_holds_journal_id (l->data, id))
      return TRUE;

  return FALSE;
}

GPtrArray *
sendoff_application_list_unfinished (SendoffApplication *self)
{
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SENDOFF_IS_APPLICATION (self), NULL);

  if (self->journal == NULL)
    return NULL;

  unfinished = sendoff_journal_list (self->journal, TRUE, &error);
  if (unfinished == NULL)
    {
      g_warning ("The transfer journal cannot be read: %s", error->message);
      return NULL;
    }

  for (guint i = unfinished->len; i > 0; i--)
    {
      SendoffJournalTransfer *transfer = g_ptr_array_index (unfinished, i - 1);

      if (is_held_by_a_window (self, transfer->id))
        g_ptr_array_remove_index (unfinished, i - 1);
    }

  return g_steal_pointer (&unfinished);
}

static void
sendoff_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (sendoff_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  sendoff_window_set_accels (GTK_APPLICATION (app));

  open_journal (SENDOFF_APPLICATION (app));
  /* Before any window reads destinations */
  _sendoff_application_migrate (SENDOFF_APPLICATION (app));
}

static void
pause_and_quit (SendoffApplication *self)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  g_list_foreach (windows, (GFunc) g_object_ref, NULL);
  for (const GList *l = windows; l; l = l->next)
    {
      if (SENDOFF_IS_WINDOW (l->data))
        sendoff_window_pause_and_close (l->data);
      else
        gtk_window_close (l->data);
    }
  g_list_free_full (g_steal_pointer (&windows), g_object_unref);
}

static void
on_quit_response (AdwMessageDialog   *dialog,
                  const char         *response,
                  SendoffApplication *self)
{
  if (g_strcmp0 (response, "quit") == 0)
    pause_and_quit (self);
}

/* Quitting pauses what is being sent (the journal keeps it for the next
 * start), after asking; closing a window only sends on in the background */
static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  SendoffApplication *self = user_data;
  GtkWindow *parent = NULL;
  guint n_sending = 0;
  AdwMessageDialog *dialog;

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (SENDOFF_IS_WINDOW (l->data) && sendoff_window_is_sending (l->data))
      {
        n_sending++;
        if (parent == NULL && gtk_widget_get_visible (l->data))
          parent = l->data;
      }

  if (n_sending == 0)
    {
      pause_and_quit (self);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent,
    ngettext ("Pause Sending and Quit?", "Pause Sending and Quit?", n_sending),
    ngettext ("The transfer is not finished. It stops now and can be resumed the next time "
              "Sendoff starts.",
              "The transfers are not finished. They stop now and can be resumed the next "
              "time Sendoff starts.", n_sending)));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Sending"),
                                    "quit", _("_Pause and Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_quit_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SendoffApplication *self = user_data;
  static const char *developers[] = { "The Sendoff authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Sendoff"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Sendoff authors"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/sendoff/sendoff",
                         "issue-url", "https://github.com/sendoff/sendoff/issues",
                         "developers", developers,
                         "copyright", "© 2026 The Sendoff authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  SendoffApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  GtkWidget *preferences = sendoff_preferences_window_new (parent);

  if (SENDOFF_IS_WINDOW (parent))
    sendoff_window_watch_preferences (SENDOFF_WINDOW (parent), GTK_WINDOW (preferences));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
copy_link_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GdkDisplay *display = gdk_display_get_default ();
  const char *url = g_variant_get_string (parameter, NULL);

  if (display != NULL)
    gdk_clipboard_set_text (gdk_display_get_clipboard (display), url);
}

static void
present_window_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  SendoffApplication *self = user_data;
  GtkWindow *window = gtk_application_get_window_by_id (GTK_APPLICATION (self),
                                                        g_variant_get_uint32 (parameter));

  if (window == NULL)
    window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_window_present (window);
  else
    g_application_activate (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
  { "copy-link", copy_link_activated, "s" },
  { "present-window", present_window_activated, "u" },
};

SendoffApplication *
sendoff_application_new (void)
{
  return g_object_new (SENDOFF_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       /* The same resources serve the Devel build's id */
                       "resource-base-path", "/io/github/sendoff/Sendoff",
                       NULL);
}

GSettings *
sendoff_application_get_settings (SendoffApplication *self)
{
  g_return_val_if_fail (SENDOFF_IS_APPLICATION (self), NULL);

  return self->settings;
}

static void
sendoff_application_dispose (GObject *object)
{
  SendoffApplication *self = (SendoffApplication *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->journal);

  G_OBJECT_CLASS (sendoff_application_parent_class)->dispose (object);
}

static void
sendoff_application_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SendoffApplication *self = SENDOFF_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_application_class_init (SendoffApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sendoff_application_dispose;
  object_class->get_property = sendoff_application_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  app_class->activate = sendoff_application_activate;
  app_class->open = sendoff_application_open;
  app_class->startup = sendoff_application_startup;
}

static void
sendoff_application_init (SendoffApplication *self)
{
  self->settings = sendoff_settings_new_if_available ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}
