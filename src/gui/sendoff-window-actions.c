/* sendoff-window-actions.c — what the window's buttons, menu and keys do
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-window-private.h"

static void
add_files_from_list_model (SendoffWindow *self,
                           GListModel    *files)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (files);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (files, i));

  sendoff_window_add_files (self, (GFile **)array->pdata, array->len);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
open_files_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SendoffWindow) self = user_data;
  g_autoptr(GListModel) files = NULL;

  files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (object), result, NULL);
  if (files != NULL)
    add_files_from_list_model (self, files);
}

static void
select_folders_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SendoffWindow) self = user_data;
  g_autoptr(GListModel) files = NULL;

  files = gtk_file_dialog_select_multiple_folders_finish (GTK_FILE_DIALOG (object), result, NULL);
  if (files != NULL)
    add_files_from_list_model (self, files);
}

static void
choose_files (SendoffWindow *self,
              gboolean       folders)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, folders ? _("Add Folders") : _("Add Files"));
  gtk_file_dialog_set_accept_label (dialog, _("_Add"));
  if (folders)
    gtk_file_dialog_select_multiple_folders (dialog, GTK_WINDOW (self), NULL,
                                             select_folders_cb, g_object_ref (self));
  else
    gtk_file_dialog_open_multiple (dialog, GTK_WINDOW (self), NULL,
                                   open_files_cb, g_object_ref (self));
}
#else
static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     SendoffWindow   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      add_files_from_list_model (self, files);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_files (SendoffWindow *self,
              gboolean       folders)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (folders ? _("Add Folders") : _("Add Files"),
                                         GTK_WINDOW (self),
                                         folders ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                 : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
#endif

static void
add_files_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose_files (SENDOFF_WINDOW (widget), FALSE);
}

static void
add_folder_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose_files (SENDOFF_WINDOW (widget), TRUE);
}

static void
paste_files_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _sendoff_window_paste_files (SENDOFF_WINDOW (widget));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _sendoff_window_send (SENDOFF_WINDOW (widget));
}

static void
on_cancel_response (AdwMessageDialog *dialog,
                    const char       *response,
                    SendoffWindow    *self)
{
  if (g_strcmp0 (response, "stop") == 0)
    _sendoff_window_cancel (self);
}

static AdwMessageDialog *
stop_dialog_new (SendoffWindow *self,
                 const char    *heading,
                 const char    *body,
                 const char    *stop_label)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Sending"),
                                    "stop", stop_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");

  return dialog;
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  AdwMessageDialog *dialog;

  dialog = stop_dialog_new (self, _("Stop Sending?"),
                            _("The files sent so far are kept, so the transfer can be resumed later."),
                            _("_Stop Sending"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_sendoff_window_forget_discarded (SendoffWindow *self)
{
  g_autoptr(SendoffTransfer) transfer = g_steal_pointer (&self->undo_transfer);
  g_autoptr(SendoffUploader) uploader = g_steal_pointer (&self->undo_uploader);
  SendoffState state = transfer ? sendoff_transfer_get_state (transfer) : SENDOFF_STATE_NEW;
  const char *id = transfer ? sendoff_transfer_get_journal_id (transfer) : NULL;

  g_clear_error (&self->undo_error);

  /* A stopped or failed transfer given up: what it left on the server
   * is aborted, and the journal says discarded */
  if (id != NULL && state != SENDOFF_STATE_DONE && state != SENDOFF_STATE_NEW)
    _sendoff_window_discard_journaled (self, id, uploader, transfer);

  _sendoff_window_update_actions (self);
}

static void
on_discard_toast_dismissed (SendoffWindow *self,
                            AdwToast      *toast)
{
  /* Only if what this toast offered to bring back is still the one put aside */
  if (self->undo_transfer != NULL &&
      self->undo_transfer == g_object_get_data (G_OBJECT (toast), "sendoff-discarded"))
    _sendoff_window_forget_discarded (self);
}

void
_sendoff_window_discard (SendoffWindow *self)
{
  SendoffState state = sendoff_transfer_get_state (self->transfer);
  g_autoptr(SendoffTransfer) transfer = NULL;
  gboolean worth_keeping;
  AdwToast *toast;

  if (sendoff_window_is_sending (self))
    return;

  worth_keeping = sendoff_transfer_get_n_items (self->transfer) > 0 ||
                  sendoff_transfer_get_name (self->transfer) != NULL ||
                  sendoff_transfer_get_description (self->transfer) != NULL;

  /* The work put aside stays whole (the engine too, for a stopped
   * transfer's parts) until its toast goes or Undo brings it back */
  _sendoff_window_forget_discarded (self);
  if (worth_keeping)
    {
      self->undo_transfer = g_object_ref (self->transfer);
      self->undo_uploader = g_steal_pointer (&self->uploader);
      self->undo_error = g_steal_pointer (&self->error);
    }

  transfer = sendoff_transfer_new ();
  _sendoff_window_set_transfer (self, transfer);

  if (!worth_keeping)
    return;

  toast = _sendoff_window_toast_with_action (self,
                                             state == SENDOFF_STATE_DONE
                                               ? _("New transfer started")
                                               : _("Transfer discarded"),
                                             _("_Undo"), "win.undo-discard");
  g_object_set_data_full (G_OBJECT (toast), "sendoff-discarded",
                          g_object_ref (self->undo_transfer), g_object_unref);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_discard_toast_dismissed), self,
                           G_CONNECT_SWAPPED);
}

static void
new_transfer_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  _sendoff_window_discard (SENDOFF_WINDOW (widget));
}

static void
undo_discard_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  g_autoptr(SendoffTransfer) transfer = g_steal_pointer (&self->undo_transfer);

  if (transfer == NULL || sendoff_window_is_sending (self))
    return;

  _sendoff_window_set_transfer (self, transfer);
  self->uploader = g_steal_pointer (&self->undo_uploader);
  self->error = g_steal_pointer (&self->undo_error);
  if (sendoff_transfer_get_state (transfer) == SENDOFF_STATE_DONE)
    _sendoff_window_update_done_page (self);
  _sendoff_window_update (self);
}

static void
show_refused_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->refused == NULL)
    return;

  body = g_strjoinv ("\n", self->refused);
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   ngettext ("File Not Added", "Files Not Added",
                                             g_strv_length (self->refused)),
                                   body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  const char *url = sendoff_transfer_get_share_url (self->transfer);

  if (url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), url);
  _sendoff_window_toast (self, _("Link copied"));
}

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  const char *url = sendoff_transfer_get_share_url (self->transfer);

  if (url == NULL)
    return;

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (url);

    gtk_uri_launcher_launch (launcher, GTK_WINDOW (self), NULL, NULL, NULL);
  }
#else
  gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
#endif
}

static void
copy_error_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  const char *message = self->error ? self->error->message : sendoff_transfer_get_error (self->transfer);

  if (message == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), message);
  _sendoff_window_toast (self, _("Error copied"));
}

void
_sendoff_window_update_actions (SendoffWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  SendoffState state = sendoff_transfer_get_state (self->transfer);
  gboolean sending = sendoff_window_is_sending (self);
  gboolean accepts = sendoff_window_accepts_files (self);
  gboolean has_link = sendoff_transfer_get_share_url (self->transfer) != NULL;

  gtk_widget_action_set_enabled (widget, "win.add-files", accepts);
  gtk_widget_action_set_enabled (widget, "win.add-folder", accepts);
  gtk_widget_action_set_enabled (widget, "win.paste-files", accepts);
  gtk_widget_action_set_enabled (widget, "win.send",
                                 accepts && self->n_adding == 0 &&
                                 sendoff_transfer_get_n_items (self->transfer) > 0);
  gtk_widget_action_set_enabled (widget, "win.cancel", sending);
  gtk_widget_action_set_enabled (widget, "win.retry",
                                 !sending && (state == SENDOFF_STATE_FAILED ||
                                              state == SENDOFF_STATE_CANCELLED));
  gtk_widget_action_set_enabled (widget, "win.new-transfer", !sending);
  gtk_widget_action_set_enabled (widget, "win.undo-discard",
                                 !sending && self->undo_transfer != NULL);
  gtk_widget_action_set_enabled (widget, "win.copy-link", has_link);
  gtk_widget_action_set_enabled (widget, "win.open-link", has_link);
  gtk_widget_action_set_enabled (widget, "win.resume-unfinished",
                                 !sending && self->resume_id == NULL && self->n_unfinished > 0);
  gtk_widget_action_set_enabled (widget, "win.discard-unfinished", self->n_unfinished > 0);
  gtk_widget_action_set_enabled (widget, "win.show-history", self->journal != NULL);
  gtk_widget_action_set_enabled (widget, "win.copy-error",
                                 self->error != NULL || sendoff_transfer_get_error (self->transfer));
}

void
sendoff_window_set_accels (GtkApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "win.add-files", { "<Control>o", NULL } },
    { "win.add-folder", { "<Control><Shift>o", NULL } },
    { "win.send", { "<Control>Return", "<Control>KP_Enter", NULL } },
    { "win.new-transfer", { "<Control>n", NULL } },
    { "win.copy-link", { "<Control><Shift>c", NULL } },
    { "win.show-history", { "<Control>h", NULL } },
  };

  g_return_if_fail (GTK_IS_APPLICATION (app));

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);
}

void
_sendoff_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-files", NULL, add_files_action);
  gtk_widget_class_install_action (widget_class, "win.add-folder", NULL, add_folder_action);
  gtk_widget_class_install_action (widget_class, "win.paste-files", NULL, paste_files_action);
  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  /* Retry sends again: parts already stored are not sent twice */
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "win.new-transfer", NULL, new_transfer_action);
  gtk_widget_class_install_action (widget_class, "win.undo-discard", NULL, undo_discard_action);
  gtk_widget_class_install_action (widget_class, "win.show-refused", NULL, show_refused_action);
  gtk_widget_class_install_action (widget_class, "win.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "win.open-link", NULL, open_link_action);
  gtk_widget_class_install_action (widget_class, "win.copy-error", NULL, copy_error_action);

  /* A class shortcut runs after the focused entry had its own Ctrl+V */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "win.paste-files", NULL);
}
