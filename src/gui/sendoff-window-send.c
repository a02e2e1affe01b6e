/* sendoff-window-send.c — sending the window's transfer, and what comes after
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-credentials.h"
#include "sendoff-preferences-window.h"
#include "sendoff-provider.h"
#include "sendoff-window-private.h"

/* "To send files to “Sandbox”, enter its API Key." */
static char *
dup_key_needed_sentence (SendoffDestination *destination,
                         GHashTable         *secrets)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);

  for (const SendoffSecretSpec *spec = backend->secrets; spec && spec->key; spec++)
    {
      const char *secret = secrets ? g_hash_table_lookup (secrets, spec->key) : NULL;

      if (secret == NULL || *secret == '\0')
        /* Translators: a destination's name, then what it needs ("API Key") */
        return g_strdup_printf (_("To send files to “%s”, enter its %s."),
                                sendoff_destination_get_name (destination),
                                g_dgettext (GETTEXT_PACKAGE, spec->label));
    }

  return NULL;
}

static void
show_key_banner (SendoffWindow *self,
                 const char    *sentence)
{
  self->key_missing = sentence != NULL;
  if (sentence != NULL)
    gtk_label_set_label (self->key_banner_label, sentence);
  gtk_revealer_set_reveal_child (self->key_banner, sentence != NULL);
}

static void
check_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SendoffWindow) self = user_data;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;

  secrets = sendoff_credentials_lookup_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->transfer == NULL ||
      self->destination == NULL)
    return;

  if (error != NULL)
    show_key_banner (self, error->message);
  else if ((sentence = dup_key_needed_sentence (self->destination, secrets)) != NULL)
    show_key_banner (self, sentence);
  /* A key the service refused stays in question until a new one is stored */
  else if (!self->key_refused)
    show_key_banner (self, NULL);
}

/* Which destination the next send goes to, and whether it has what it
 * needs; with none at all, the window offers the setup page. */
void
_sendoff_window_check_key (SendoffWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);
  g_clear_object (&self->destination);

  if (!self->destinations_known)
    return;

  self->destination = sendoff_destination_choose (self->settings, NULL, NULL, &error);
  if (self->destination == NULL && self->settings != NULL)
    {
      g_auto(GStrv) saved = g_settings_get_strv (self->settings, "destinations");

      self->needs_setup = saved[0] == NULL;
    }
  else
    self->needs_setup = FALSE;
  _sendoff_window_update (self);

  if (self->destination == NULL)
    {
      show_key_banner (self, self->needs_setup ? NULL : error->message);
      return;
    }

  self->key_cancellable = g_cancellable_new ();
  sendoff_credentials_lookup_all_async (self->destination, TRUE, self->key_cancellable,
                                        check_key_cb, g_object_ref (self));
}

static SendoffPreferencesWindow *
open_preferences (SendoffWindow *self)
{
  GtkWidget *preferences = sendoff_preferences_window_new (GTK_WINDOW (self));

  sendoff_window_watch_preferences (self, GTK_WINDOW (preferences));
  gtk_window_present (GTK_WINDOW (preferences));

  return SENDOFF_PREFERENCES_WINDOW (preferences);
}

/* "Enter Key…": the editor of the destination the next send goes to */
static void
enter_key_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  SendoffPreferencesWindow *preferences = open_preferences (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffDestination) destination =
    sendoff_destination_choose (self->settings, NULL, NULL, &error);

  if (destination != NULL)
    sendoff_preferences_window_edit (preferences, destination,
                                     sendoff_window_get_key_error (self));
  else
    sendoff_preferences_window_add (preferences);
}

static void
on_key_dialog_response (AdwMessageDialog *dialog,
                        const char       *response,
                        SendoffWindow    *self)
{
  if (g_strcmp0 (response, "enter-key") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.enter-key", NULL);
}

static void
ask_for_key (SendoffWindow *self,
             const char    *heading,
             const char    *body,
             const char    *button)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "enter-key", button,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "enter-key",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "enter-key");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_key_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_cannot_send (SendoffWindow *self,
                  const GError  *error)
{
  GtkWidget *dialog;

  if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS) ||
      g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING))
    {
      ask_for_key (self, _("Key Needed"), error->message, _("_Enter Key…"));
      return;
    }

  /* Nothing set up and files already in the window (opened with Sendoff) */
  if (self->needs_setup)
    {
      ask_for_key (self, _("Where Should Files Go?"),
                   _("No destination is set up yet. Add one, then send."),
                   _("_Add Destination…"));
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Send"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_inhibited (SendoffWindow *self,
               gboolean       inhibit)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (inhibit && self->inhibit_cookie == 0 && app != NULL)
    self->inhibit_cookie = gtk_application_inhibit (app, GTK_WINDOW (self),
                                                    GTK_APPLICATION_INHIBIT_LOGOUT |
                                                    GTK_APPLICATION_INHIBIT_SUSPEND,
                                                    _("Sending files"));
  else if (!inhibit && self->inhibit_cookie != 0)
    {
      if (app != NULL)
        gtk_application_uninhibit (app, self->inhibit_cookie);
      self->inhibit_cookie = 0;
    }
}

void
_sendoff_window_notify (SendoffWindow *self,
                        const char    *title,
                        const char    *body,
                        const char    *link)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;
  guint id = gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self));

  /* A hidden window may still count as active */
  if (app == NULL || (gtk_window_is_active (GTK_WINDOW (self)) &&
                      gtk_widget_get_visible (GTK_WIDGET (self))))
    return;

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.present-window", "u", id);
  if (link != NULL)
    g_notification_add_button_with_target (notification, _("Copy Link"), "app.copy-link",
                                           "s", link);

  g_application_send_notification (app, "transfer-finished", notification);
}

static void
show_done (SendoffWindow *self)
{
  const char *url = sendoff_transfer_get_share_url (self->transfer);
  g_autofree char *name = sendoff_transfer_dup_effective_name (self->transfer);
  g_autofree char *body = NULL;

  _sendoff_window_update_done_page (self);

  if (url != NULL)
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
      _sendoff_window_toast (self, _("Link copied"));
    }
  else
    body = g_strdup_printf (_("“%s” was sent"), name);

  _sendoff_window_notify (self, _("Transfer Sent"), url != NULL ? url : body, url);
}

/* A plain sentence: what went wrong and what to do. The error itself
 * is shown below it, smaller. NULL when the error says it all. */
static const char *
get_failure_sentence (const GError *error)
{
  if (error->domain != SENDOFF_ERROR)
    return NULL;

  switch ((SendoffError)error->code)
    {
    case SENDOFF_ERROR_AUTH:
      return _("The service refused the API key. Enter a valid key, then retry.");
    case SENDOFF_ERROR_NO_CREDENTIALS:
      return _("No API key is stored for the service. Enter one, then retry.");
    case SENDOFF_ERROR_NETWORK:
      return _("The service could not be reached, or kept failing. Check the network connection, then retry: the parts already sent are kept.");
    case SENDOFF_ERROR_CHANGED:
      return _("A file changed while it was being sent. Retry to send it as it is now.");
    case SENDOFF_ERROR_SERVER:
    case SENDOFF_ERROR_PROTOCOL:
      return _("The service did not accept the transfer. Retry later, or start a new transfer.");
    case SENDOFF_ERROR_INVALID_INPUT:
    case SENDOFF_ERROR_INSECURE_URL:
    case SENDOFF_ERROR_KEYRING:
    default:
      return NULL;
    }
}

/* The refusal worded from what the backend declares it needs */
static char *
dup_auth_sentence (SendoffWindow *self)
{
  const SendoffBackendInfo *info;
  const char *needed;

  if (self->uploader == NULL ||
      (info = sendoff_provider_get_info (sendoff_uploader_get_provider (self->uploader))) == NULL ||
      sendoff_backend_count_secrets (info) == 0)
    return NULL;

  needed = sendoff_backend_count_secrets (info) == 1
           ? g_dgettext (GETTEXT_PACKAGE, info->secrets[0].label) : _("credentials");
  if (g_error_matches (self->error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH))
    /* Translators: a secret's label ("API Key"), or "credentials" */
    return g_strdup_printf (_("The server refused the %s. Enter a valid one, then retry."), needed);

  return g_strdup_printf (_("No %s is stored for this destination. Enter it, then retry."), needed);
}

void
_sendoff_window_show_failed (SendoffWindow *self)
{
  gboolean auth = g_error_matches (self->error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH) ||
                  g_error_matches (self->error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS);
  g_autofree char *auth_sentence = auth ? dup_auth_sentence (self) : NULL;
  const char *sentence = auth_sentence ? auth_sentence : get_failure_sentence (self->error);
  g_autofree char *markup = g_markup_escape_text (sentence != NULL ? sentence
                                                                   : self->error->message, -1);

  adw_status_page_set_description (self->failed_page, markup);
  gtk_label_set_label (self->failed_detail_label, sentence != NULL ? self->error->message : "");
  /* A refused key is said once; Copy Error still has the service's words */
  gtk_widget_set_visible (GTK_WIDGET (self->failed_detail_label), sentence != NULL && !auth);
  gtk_widget_set_visible (self->failed_key_button, auth);
  /* Retrying with the same key cannot work: entering one is the way on */
  if (auth)
    {
      gtk_widget_add_css_class (self->failed_key_button, "suggested-action");
      gtk_widget_remove_css_class (self->failed_retry_button, "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (self->failed_key_button, "suggested-action");
      gtk_widget_add_css_class (self->failed_retry_button, "suggested-action");
    }

  if (auth)
    {
      g_autofree char *banner = NULL;

      /* Translators: the service's reason for refusing the key */
      banner = g_strdup_printf (_("%s. Enter a valid key to send files."), self->error->message);
      self->key_refused = g_error_matches (self->error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
      show_key_banner (self, banner);
      /* A new key needs a new provider */
      g_clear_object (&self->uploader);
    }

  _sendoff_window_notify (self, _("Transfer Failed"),
                     sentence != NULL ? sentence : self->error->message, NULL);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SendoffWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = sendoff_uploader_send_finish (SENDOFF_UPLOADER (object), result, &error);

  if (self->transfer == NULL)
    return;

  self->sending = FALSE;
  g_clear_object (&self->cancellable);
  set_inhibited (self, FALSE);

  if (ok)
    {
      self->key_refused = FALSE;
      show_done (self);
      _sendoff_window_refresh_history (self);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _sendoff_window_toast (self, _("Sending stopped"));
  else
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      _sendoff_window_show_failed (self);
    }

  _sendoff_window_update (self);
  _sendoff_window_background_ended (self);
}

void
_sendoff_window_start_upload (SendoffWindow *self)
{
  g_assert (SENDOFF_IS_UPLOADER (self->uploader));

  if (self->journal != NULL && sendoff_uploader_get_journal (self->uploader) == NULL)
    sendoff_uploader_set_journal (self->uploader, self->journal);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  self->starting = FALSE;
  self->sending = TRUE;
  g_clear_error (&self->error);
  set_inhibited (self, TRUE);

  sendoff_uploader_send_async (self->uploader, self->transfer, self->cancellable,
                               send_cb, g_object_ref (self));
  _sendoff_window_update (self);
}

static void
stop_starting (SendoffWindow *self,
               const GError  *error)
{
  self->starting = FALSE;
  g_clear_object (&self->cancellable);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !self->in_background)
    show_cannot_send (self, error);
  _sendoff_window_update (self);
  _sendoff_window_background_ended (self);
}

static void
new_uploader_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SendoffDestination *destination = SENDOFF_DESTINATION (object);
  g_autoptr(SendoffWindow) self = user_data;
  g_autoptr(SendoffUploader) uploader = NULL;
  g_autoptr(GError) error = NULL;

  uploader = sendoff_destination_new_uploader_finish (destination, result, &error);
  if (self->transfer == NULL)
    return;

  if (uploader == NULL)
    {
      if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS))
        {
          g_autofree char *sentence = dup_key_needed_sentence (destination, NULL);

          show_key_banner (self, sentence);
          stop_starting (self, NULL);
          ask_for_key (self, _("Key Needed"), sentence ? sentence : error->message,
                       _("_Enter Key…"));
          return;
        }
      stop_starting (self, error);
      return;
    }

  self->uploader = g_steal_pointer (&uploader);
  if (self->settings != NULL)
    sendoff_uploader_set_jobs (self->uploader, g_settings_get_uint (self->settings, "jobs"));

  _sendoff_window_start_upload (self);
}

void
_sendoff_window_send (SendoffWindow *self)
{
  SendoffState state = sendoff_transfer_get_state (self->transfer);
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(GError) error = NULL;

  if (self->starting || self->sending || state == SENDOFF_STATE_DONE)
    return;
  if (state == SENDOFF_STATE_NEW && (sendoff_transfer_get_n_items (self->transfer) == 0 ||
                                     self->n_adding > 0))
    return;

  self->starting = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* A retry goes on with the same engine, where the transfer was first
   * sent: parts already stored stay */
  if (self->uploader != NULL)
    {
      _sendoff_window_start_upload (self);
      return;
    }

  destination = sendoff_destination_choose (self->settings, NULL, NULL, &error);
  if (destination == NULL)
    {
      stop_starting (self, error);
      return;
    }

  sendoff_destination_new_uploader_async (destination, TRUE, self->cancellable,
                                          new_uploader_cb, g_object_ref (self));
  _sendoff_window_update (self);
}

void
_sendoff_window_cancel (SendoffWindow *self)
{
  g_cancellable_cancel (self->cancellable);
}

void
_sendoff_window_send_finalize (SendoffWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->key_cancellable);
  set_inhibited (self, FALSE);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->key_cancellable);
  g_clear_object (&self->uploader);
  g_clear_error (&self->error);
  g_clear_object (&self->destination);
}

void
_sendoff_window_class_send_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.enter-key", NULL, enter_key_action);
}
