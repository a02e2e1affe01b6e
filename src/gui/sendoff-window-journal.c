/* sendoff-window-journal.c — unfinished transfers (resume, discard) and History in the window
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-provider.h"
#include "sendoff-transfer-resume.h"
#include "sendoff-types.h"
#include "sendoff-window-private.h"

static void resume_journaled (SendoffWindow      *self,
                              const char         *id,
                              SendoffResumeFlags  flags);

gboolean
sendoff_window_holds_journal_id (SendoffWindow *self,
                                 const char    *id)
{
  g_return_val_if_fail (SENDOFF_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return (self->transfer != NULL &&
          g_strcmp0 (sendoff_transfer_get_journal_id (self->transfer), id) == 0) ||
         (self->undo_transfer != NULL &&
          g_strcmp0 (sendoff_transfer_get_journal_id (self->undo_transfer), id) == 0) ||
         g_strcmp0 (self->resume_id, id) == 0;
}

static GPtrArray *
list_unfinished (SendoffWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!SENDOFF_IS_APPLICATION (app))
    return NULL;
  return sendoff_application_list_unfinished (SENDOFF_APPLICATION (app));
}

/* Those another process works on (locked) are not offered */
void
sendoff_window_update_unfinished (SendoffWindow *self)
{
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *text = NULL;

  g_return_if_fail (SENDOFF_IS_WINDOW (self));

  if (self->transfer == NULL)
    return;

  unfinished = list_unfinished (self);
  for (guint i = 0; unfinished != NULL && i < unfinished->len; i++)
    {
      SendoffJournalTransfer *t = g_ptr_array_index (unfinished, i);

      if (!t->locked)
        g_strv_builder_add (ids, t->id);
    }
  g_strfreev (self->unfinished_ids);
  self->unfinished_ids = g_strv_builder_end (ids);
  self->n_unfinished = g_strv_length (self->unfinished_ids);
  text = g_strdup_printf (ngettext ("%u unfinished transfer", "%u unfinished transfers",
                                    self->n_unfinished), self->n_unfinished);
  gtk_label_set_label (self->journal_banner_label, text);
  gtk_revealer_set_reveal_child (self->journal_banner, self->n_unfinished > 0);
  _sendoff_window_update_actions (self);
}

/* Another process works on it (checked when the banner is made, and
 * again when it is used): said, and the banner follows */
static void
toast_elsewhere (SendoffWindow *self,
                 const char    *id)
{
  g_autoptr(SendoffJournalTransfer) record = sendoff_journal_get (self->journal, id, NULL);
  const char *name = record != NULL && record->name != NULL && *record->name != '\0'
                     ? record->name : _("Untitled Transfer");
  g_autofree char *title = NULL;

  if (record != NULL && record->locked_by > 0)
    /* Translators: a transfer's name, then a process id */
    title = g_strdup_printf (_("“%s” is being sent by another Sendoff (process %d)"), name,
                             (int) record->locked_by);
  else
    /* Translators: a transfer's name */
    title = g_strdup_printf (_("“%s” is being sent by another Sendoff"), name);
  if (self->transfer != NULL)
    _sendoff_window_toast (self, title);
  sendoff_window_update_unfinished (self);
  _sendoff_window_refresh_history (self);
}

static gboolean
is_busy_error (const GError *error)
{
  return g_error_matches (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY);
}

/* ---- the destination a journaled transfer went to --------------------- */

static SendoffDestination *
find_destination (SendoffWindow                *self,
                  const SendoffJournalTransfer *record,
                  GError                      **error)
{
  g_autoptr(SendoffDestination) found = NULL;
  SendoffDestination *destination;

  if (record->destination_id != NULL)
    {
      if ((found = sendoff_destination_find (self->settings, record->destination_id)) == NULL)
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       /* Translators: a transfer's name, then a destination's */
                       _("“%s” went to “%s”, which is no longer set up. Add it again in "
                         "Preferences, or discard the transfer."),
                       record->name ? record->name : "", record->destination_name
                                                         ? record->destination_name : "");
          return NULL;
        }
      /* Chosen again for the environment's overrides, as a send does */
      return sendoff_destination_choose (self->settings, record->destination_id, NULL, error);
    }

  /* Not saved: set up from the environment, as it was sent */
  destination = sendoff_destination_choose (self->settings, NULL, record->backend_id, error);
  return destination;
}

/* ---- resume ----------------------------------------------------------- */

typedef struct {
  SendoffWindow      *window;
  char               *id;
  SendoffResumeFlags  flags;
} Resume;

static void
resume_free (Resume *resume)
{
  g_object_unref (resume->window);
  g_free (resume->id);
  g_free (resume);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Resume, resume_free)

static void
on_cannot_resume_response (AdwMessageDialog *dialog,
                           const char       *response,
                           SendoffWindow    *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "sendoff-journal-id");

  if (g_strcmp0 (response, "send-again") == 0)
    resume_journaled (self, id, SENDOFF_RESUME_RESTART);
  else if (g_strcmp0 (response, "discard") == 0)
    _sendoff_window_discard_journaled (self, id, NULL, NULL);
}

/* A forgotten transfer may be sent again from the start; any other
 * refusal (a file gone) may be discarded */
static void
show_cannot_resume (SendoffWindow *self,
                    const char    *id,
                    const GError  *error)
{
  gboolean forgotten = g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_FORGOTTEN);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       forgotten ? _("Transfer Forgotten")
                                                                 : _("Cannot Resume"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_add_response (dialog, "discard", _("_Discard"));
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  if (forgotten)
    {
      adw_message_dialog_add_response (dialog, "send-again", _("_Send Again"));
      adw_message_dialog_set_response_appearance (dialog, "send-again", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "send-again");
    }
  adw_message_dialog_set_close_response (dialog, "close");
  g_object_set_data_full (G_OBJECT (dialog), "sendoff-journal-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cannot_resume_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stop_resuming (SendoffWindow *self,
               const char    *id,
               const GError  *error)
{
  self->starting = FALSE;
  g_clear_pointer (&self->resume_id, g_free);
  g_clear_object (&self->cancellable);
  _sendoff_window_update (self);
  sendoff_window_update_unfinished (self);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !self->quitting)
    {
      /* not for this window to discard either */
      if (is_busy_error (error))
        toast_elsewhere (self, id);
      else
        show_cannot_resume (self, id, error);
    }
  _sendoff_window_background_ended (self);
}

static void
toast_restarted (SendoffWindow *self,
                 GStrv          restarted)
{
  guint n = restarted ? g_strv_length (restarted) : 0;
  g_autofree char *names = NULL;
  g_autofree char *title = NULL;

  if (n == 0)
    return;

  names = g_strjoinv (", ", restarted);
  /* Translators: the names of files that changed after their transfer stopped */
  title = g_strdup_printf (ngettext ("“%s” changed and is sent again from the start",
                                     "Changed, so sent again from the start: %s", n), names);
  _sendoff_window_toast (self, title);
}

static void
resume_uploader_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Resume) resume = user_data;
  SendoffWindow *self = resume->window;
  g_autoptr(SendoffUploader) uploader = NULL;
  g_autoptr(SendoffTransfer) transfer = NULL;
  g_auto(GStrv) restarted = NULL;
  g_autoptr(GError) error = NULL;

  uploader = sendoff_destination_new_uploader_finish (SENDOFF_DESTINATION (object), result,
                                                      &error);
  if (self->transfer == NULL)
    return;
  if (uploader != NULL)
    transfer = sendoff_transfer_new_from_journal (self->journal, resume->id,
                                                  sendoff_uploader_get_provider (uploader),
                                                  resume->flags, &restarted, &error);
  if (transfer == NULL)
    {
      stop_resuming (self, resume->id, error);
      return;
    }

  if (self->settings != NULL)
    sendoff_uploader_set_jobs (uploader, g_settings_get_uint (self->settings, "jobs"));
  _sendoff_window_set_transfer (self, transfer);
  self->uploader = g_steal_pointer (&uploader);
  g_clear_pointer (&self->resume_id, g_free);
  _sendoff_window_start_upload (self);
  toast_restarted (self, restarted);
  sendoff_window_update_unfinished (self);
}

/* Nothing of the user's is in the way: the window is empty or done */
static gboolean
is_free (SendoffWindow *self)
{
  SendoffState state = sendoff_transfer_get_state (self->transfer);

  if (sendoff_window_is_sending (self) || self->resume_id != NULL)
    return FALSE;
  return state == SENDOFF_STATE_DONE ||
         (state == SENDOFF_STATE_NEW && sendoff_transfer_get_n_items (self->transfer) == 0 &&
          self->n_adding == 0);
}

static void
resume_journaled (SendoffWindow      *self,
                  const char         *id,
                  SendoffResumeFlags  flags)
{
  g_autoptr(SendoffJournalTransfer) record = NULL;
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  Resume *resume;

  if (!is_free (self))
    {
      /* What the user has in this window stays: the resume gets its own */
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      SendoffWindow *other = sendoff_window_new (SENDOFF_APPLICATION (app));

      gtk_window_present (GTK_WINDOW (other));
      resume_journaled (other, id, flags);
      return;
    }

  if ((record = sendoff_journal_get (self->journal, id, &error)) == NULL)
    {
      stop_resuming (self, id, error);
      return;
    }
  /* Before a key is asked for; taking it (sendoff_transfer_new_from_journal)
   * is what decides */
  if (record->locked)
    {
      toast_elsewhere (self, id);
      return;
    }
  if ((destination = find_destination (self, record, &error)) == NULL)
    {
      stop_resuming (self, id, error);
      return;
    }

  self->resume_id = g_strdup (id);
  self->starting = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  resume = g_new0 (Resume, 1);
  resume->window = g_object_ref (self);
  resume->id = g_strdup (id);
  resume->flags = flags;
  sendoff_destination_new_uploader_async (destination, TRUE, self->cancellable,
                                          resume_uploader_cb, resume);
  _sendoff_window_update (self);
}

/* What the banner offered that is still unfinished, read again now:
 * another process may have taken some on since (they are locked) */
static GPtrArray *
list_offered (SendoffWindow *self)
{
  g_autoptr(GPtrArray) unfinished = list_unfinished (self);

  for (guint i = unfinished != NULL ? unfinished->len : 0; i > 0; i--)
    {
      SendoffJournalTransfer *t = g_ptr_array_index (unfinished, i - 1);

      if (self->unfinished_ids == NULL ||
          !g_strv_contains ((const char *const *) self->unfinished_ids, t->id))
        g_ptr_array_remove_index (unfinished, i - 1);
    }
  return g_steal_pointer (&unfinished);
}

/* The oldest first, as the command line does */
static void
resume_unfinished_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  g_autoptr(GPtrArray) offered = NULL;

  if (sendoff_window_is_sending (self) || (offered = list_offered (self)) == NULL)
    return;

  for (guint i = offered->len; i > 0; i--)
    {
      SendoffJournalTransfer *t = g_ptr_array_index (offered, i - 1);

      if (!t->locked)
        {
          resume_journaled (self, t->id, SENDOFF_RESUME_NONE);
          return;
        }
      toast_elsewhere (self, t->id);
    }
  sendoff_window_update_unfinished (self);
}

/* ---- discard ---------------------------------------------------------- */

typedef struct {
  SendoffWindow   *window;
  char            *id;
  char            *name;
  SendoffUploader *uploader;
} Discard;

static void
discard_free (Discard *discard)
{
  g_object_unref (discard->window);
  g_free (discard->id);
  g_free (discard->name);
  g_clear_object (&discard->uploader);
  g_free (discard);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Discard, discard_free)

static void
discarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Discard) discard = user_data;
  g_autoptr(GError) error = NULL;

  if (!sendoff_uploader_discard_finish (SENDOFF_UPLOADER (object), result, &error) &&
      is_busy_error (error))
    toast_elsewhere (discard->window, discard->id);
  else if (error != NULL)
    {
      /* Translators: a transfer's name, then why the server refused */
      g_autofree char *title = g_strdup_printf (_("“%s” could not be deleted from the server: %s"),
                                                discard->name, error->message);

      if (discard->window->transfer != NULL)
        _sendoff_window_toast (discard->window, title);
    }

  sendoff_window_update_unfinished (discard->window);
}

static void
discard_with (Discard         *discard,
              SendoffTransfer *transfer)
{
  SendoffUploader *uploader = discard->uploader;

  if (discard->window->journal != NULL && sendoff_uploader_get_journal (uploader) == NULL)
    sendoff_uploader_set_journal (uploader, discard->window->journal);
  sendoff_uploader_discard_async (uploader, transfer, NULL, discarded_cb, discard);
}

/* What cannot be reached (no destination, no key) cannot be aborted: it
 * is marked discarded all the same, and said */
static void
discard_locally (Discard      *discard,
                 const GError *why)
{
  SendoffWindow *self = discard->window;
  g_autoptr(SendoffJournalLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  if ((lock = sendoff_journal_lock (self->journal, discard->id, &error)) == NULL)
    {
      if (is_busy_error (error))
        toast_elsewhere (self, discard->id);
      else
        g_warning ("The journal could not be written: %s", error->message);
      discard_free (discard);
      return;
    }
  if (!sendoff_journal_set_state (self->journal, discard->id, SENDOFF_JOURNAL_DISCARDED, NULL,
                                  &error))
    g_warning ("The journal could not be written: %s", error->message);
  if (why != NULL && self->transfer != NULL)
    {
      /* Translators: a transfer's name, then why its server could not be reached */
      g_autofree char *title = g_strdup_printf (_("“%s” is discarded, but what it left on the "
                                                  "server could not be deleted: %s"),
                                                discard->name, why->message);

      _sendoff_window_toast (self, title);
    }
  sendoff_window_update_unfinished (self);
  discard_free (discard);
}

static void
discard_uploader_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Discard *discard = user_data;
  g_autoptr(SendoffTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;

  discard->uploader = sendoff_destination_new_uploader_finish (SENDOFF_DESTINATION (object),
                                                               result, &error);
  if (discard->uploader != NULL)
    transfer = sendoff_transfer_new_from_journal (discard->window->journal, discard->id,
                                                  sendoff_uploader_get_provider (discard->uploader),
                                                  SENDOFF_RESUME_DISCARD, NULL, &error);
  if (transfer == NULL && is_busy_error (error))
    {
      toast_elsewhere (discard->window, discard->id);
      discard_free (discard);
    }
  else if (transfer == NULL)
    discard_locally (discard, error);
  else
    discard_with (discard, transfer);
}

void
_sendoff_window_discard_journaled (SendoffWindow   *self,
                                   const char      *id,
                                   SendoffUploader *uploader,
                                   SendoffTransfer *transfer)
{
  g_autoptr(SendoffJournalTransfer) record = NULL;
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  Discard *discard;

  g_assert (SENDOFF_IS_WINDOW (self));

  if (self->journal == NULL || (record = sendoff_journal_get (self->journal, id, NULL)) == NULL)
    return;
  /* one of this window's own is locked by the engine, which decides */
  if (transfer == NULL && record->locked)
    {
      toast_elsewhere (self, id);
      return;
    }

  discard = g_new0 (Discard, 1);
  discard->window = g_object_ref (self);
  discard->id = g_strdup (id);
  discard->name = g_strdup (record->name ? record->name : "");

  if (uploader != NULL && transfer != NULL)
    {
      discard->uploader = g_object_ref (uploader);
      discard_with (discard, transfer);
      return;
    }

  if ((destination = find_destination (self, record, &error)) == NULL)
    {
      discard_locally (discard, error);
      return;
    }
  sendoff_destination_new_uploader_async (destination, TRUE, NULL, discard_uploader_cb, discard);
}

static void
on_discard_unfinished_response (AdwMessageDialog *dialog,
                                const char       *response,
                                SendoffWindow    *self)
{
  g_autoptr(GPtrArray) offered = NULL;

  if (g_strcmp0 (response, "discard") != 0 || (offered = list_offered (self)) == NULL)
    return;

  /* one locked since is said, and left alone */
  for (guint i = 0; i < offered->len; i++)
    _sendoff_window_discard_journaled (self, ((SendoffJournalTransfer *) offered->pdata[i])->id,
                                       NULL, NULL);
}

static void
discard_unfinished_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (self->n_unfinished == 0)
    return;

  heading = g_strdup_printf (ngettext ("Discard Unfinished Transfer?",
                                       "Discard %u Unfinished Transfers?", self->n_unfinished),
                             self->n_unfinished);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
    _("What was sent so far is deleted from the server. This cannot be undone.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_unfinished_response),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- History ---------------------------------------------------------- */

void
_sendoff_window_refresh_history (SendoffWindow *self)
{
  SendoffHistoryView *view;

  if (self->history_window == NULL)
    return;

  view = g_object_get_data (G_OBJECT (self->history_window), "sendoff-history-view");
  sendoff_history_view_refresh (view);
}

static GtkWindow *
history_window_new (SendoffWindow *self)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *view = sendoff_history_view_new (self->journal);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("History"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 600);
  gtk_widget_set_size_request (window, 360, 300);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), view);
  adw_window_set_content (ADW_WINDOW (window), box);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);
  g_object_set_data (G_OBJECT (window), "sendoff-history-view", view);

  return GTK_WINDOW (window);
}

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SendoffWindow *self = SENDOFF_WINDOW (widget);

  if (self->journal == NULL)
    return;

  if (self->history_window == NULL)
    {
      self->history_window = history_window_new (self);
      g_object_add_weak_pointer (G_OBJECT (self->history_window),
                                 (gpointer *) &self->history_window);
    }
  else
    _sendoff_window_refresh_history (self);

  gtk_window_present (self->history_window);
}

/* ---- set-up ----------------------------------------------------------- */

/* A burst of changes (a lock file made, written, removed) is looked at once */
#define LOCKS_SETTLE_MS 150

static gboolean
locks_settled_cb (gpointer user_data)
{
  SendoffWindow *self = user_data;

  self->locks_changed_id = 0;
  sendoff_window_update_unfinished (self);
  _sendoff_window_refresh_history (self);
  return G_SOURCE_REMOVE;
}

/* A terminal (or another window's process) took a transfer, or let go of
 * it: the banner and History follow without waiting for a click */
static void
on_locks_changed (GFileMonitor      *monitor,
                  GFile             *file,
                  GFile             *other_file,
                  GFileMonitorEvent  event,
                  SendoffWindow     *self)
{
  if (event != G_FILE_MONITOR_EVENT_CREATED && event != G_FILE_MONITOR_EVENT_DELETED &&
      event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
    return;
  if (self->locks_changed_id == 0)
    self->locks_changed_id = g_timeout_add (LOCKS_SETTLE_MS, locks_settled_cb, self);
}

void
_sendoff_window_journal_init (SendoffWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (SENDOFF_IS_APPLICATION (app))
    g_set_object (&self->journal, sendoff_application_get_journal (SENDOFF_APPLICATION (app)));
  if (self->journal != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->locks_monitor = sendoff_journal_monitor_locks (self->journal, &error);
      if (self->locks_monitor != NULL)
        g_signal_connect (self->locks_monitor, "changed", G_CALLBACK (on_locks_changed), self);
      else
        g_warning ("Transfers taken by other processes are not followed: %s", error->message);
    }
  sendoff_window_update_unfinished (self);
}

void
_sendoff_window_journal_finalize (SendoffWindow *self)
{
  if (self->history_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->history_window),
                                    (gpointer *) &self->history_window);
      gtk_window_destroy (self->history_window);
      self->history_window = NULL;
    }
  g_clear_handle_id (&self->locks_changed_id, g_source_remove);
  if (self->locks_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->locks_monitor, self);
      g_file_monitor_cancel (self->locks_monitor);
      g_clear_object (&self->locks_monitor);
    }
  g_clear_pointer (&self->resume_id, g_free);
  g_clear_pointer (&self->unfinished_ids, g_strfreev);
  g_clear_object (&self->journal);
}

void
_sendoff_window_class_journal_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.resume-unfinished", NULL,
                                   resume_unfinished_action);
  gtk_widget_class_install_action (widget_class, "win.discard-unfinished", NULL,
                                   discard_unfinished_action);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
}
