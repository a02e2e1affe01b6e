/* sendoff-preferences-window.c — service, API base URL, keys and sending settings
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-preferences-window.h"

#include "sendoff-credentials.h"
#include "sendoff-http.h"
#include "sendoff-service.h"
#include "sendoff-types.h"

struct _SendoffPreferencesWindow
{
  AdwPreferencesWindow      parent_instance;

  AdwComboRow              *service_row;
  AdwEntryRow              *url_row;
  GtkLabel                 *url_message;
  AdwPreferencesGroup      *key_group;
  GtkLabel                 *key_error;
  AdwActionRow             *key_status_row;
  GtkWidget                *remove_button;
  GtkImage                 *key_status_icon;
  AdwPreferencesGroup      *wunderlist_group;
  AdwEntryRow              *task_row;
  GtkLabel                 *task_error;
  GtkAdjustment            *jobs_adjustment;

  GSettings                *settings;
  const SendoffServiceInfo *info;
  char                     *api_url;       /* the saved base URL the keys are filed under */
  GPtrArray                *secret_rows;   /* AdwPasswordEntryRow per secret kind */
  GCancellable             *cancellable;   /* keyring writes; cancelled when the window goes */
  GCancellable             *status_cancellable;  /* the one status lookup in flight */
  guint                     n_pending;      /* writes and lookups in flight */
  gboolean                  key_stored;
  gboolean                  loading;
};

G_DEFINE_FINAL_TYPE (SendoffPreferencesWindow, sendoff_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_KEY_STORED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh_key_status (SendoffPreferencesWindow *self);

static const char *
getenv_nonempty (const char *name)
{
  const char *value = name ? g_getenv (name) : NULL;

  return (value != NULL && *value != '\0') ? value : NULL;
}

static void
set_busy (SendoffPreferencesWindow *self,
          gboolean                  busy)
{
  guint before = self->n_pending;

  if (busy)
    self->n_pending++;
  else if (self->n_pending > 0)
    self->n_pending--;

  if ((before == 0) != (self->n_pending == 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_key_stored (SendoffPreferencesWindow *self,
                gboolean                  stored)
{
  if (self->key_stored == stored)
    return;

  self->key_stored = stored;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_STORED]);
}

static void
toast (SendoffPreferencesWindow *self,
       const char               *title)
{
  AdwToast *t = adw_toast_new (title);

  adw_toast_set_timeout (t, 3);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), t);
}

static void
show_label (GtkLabel   *label,
            const char *text)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static const char *
secret_label (SendoffPreferencesWindow *self,
              guint                     i)
{
  return g_dgettext (GETTEXT_PACKAGE, self->info->secret_labels[i]);
}

/* key status */

static void
set_status (SendoffPreferencesWindow *self,
            const char               *title,
            const char               *subtitle,
            const char               *icon_name,
            const char               *style)
{
  GtkWidget *icon = GTK_WIDGET (self->key_status_icon);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_status_row), title);
  adw_action_row_set_subtitle (self->key_status_row, subtitle ? subtitle : "");
  gtk_image_set_from_icon_name (self->key_status_icon, icon_name);
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "warning");
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_add_css_class (icon, style);
}

static char *
dup_env_note (SendoffPreferencesWindow *self)
{
  for (guint i = 0; self->info->secret_kinds[i] != NULL; i++)
    {
      const char *name = self->info->secret_env ? self->info->secret_env[i] : NULL;

      if (getenv_nonempty (name))
        /* TRANSLATORS: %s is an environment variable, e.g. SENDOFF_API_KEY */
        return g_strdup_printf (_("%s is set and is used instead"), name);
    }
  return NULL;
}

static void
show_stored (SendoffPreferencesWindow *self,
             GHashTable               *secrets)
{
  guint n_kinds = g_strv_length ((char **) self->info->secret_kinds);
  guint n_stored = g_hash_table_size (secrets);
  g_autofree char *note = dup_env_note (self);
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint i = 0; i < n_kinds; i++)
    if (!g_hash_table_contains (secrets, self->info->secret_kinds[i]))
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", secret_label (self, i));

  if (n_stored == n_kinds)
    set_status (self, _("Stored in the keyring"), note, "emblem-ok-symbolic", "success");
  else if (n_stored == 0)
    set_status (self, _("No key stored"),
                note ? note : ngettext ("Enter it above and press Enter",
                                        "Enter them above and press Enter", n_kinds),
                "dialog-warning-symbolic", "warning");
  else
    {
      /* TRANSLATORS: %s lists what is missing, e.g. "Client ID" */
      g_autofree char *subtitle = g_strdup_printf (_("Missing: %s"), missing->str);

      set_status (self, _("Partly stored in the keyring"), subtitle,
                  "dialog-warning-symbolic", "warning");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.remove-key", n_stored > 0);
  gtk_widget_set_visible (self->remove_button, n_stored > 0);
  set_key_stored (self, n_stored == n_kinds);
}

static void
show_keyring_error (SendoffPreferencesWindow *self,
                    const GError             *error)
{
  set_status (self, _("Keyring not available"), error->message, "dialog-error-symbolic", "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.remove-key", FALSE);
  gtk_widget_set_visible (self->remove_button, FALSE);
  set_key_stored (self, FALSE);
}

static void
lookup_all_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SendoffPreferencesWindow) self = user_data;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;

  secrets = sendoff_credentials_lookup_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->status_cancellable);
  set_busy (self, FALSE);
  if (secrets == NULL)
    show_keyring_error (self, error);
  else
    show_stored (self, secrets);
}

static void
refresh_key_status (SendoffPreferencesWindow *self)
{
  /* A newer lookup replaces the one in flight, which then never reports. */
  if (self->status_cancellable != NULL)
    {
      g_cancellable_cancel (self->status_cancellable);
      g_clear_object (&self->status_cancellable);
      set_busy (self, FALSE);
    }
  self->status_cancellable = g_cancellable_new ();

  set_busy (self, TRUE);
  sendoff_credentials_lookup_all_async (self->info, self->api_url, FALSE,
                                        self->status_cancellable,
                                        lookup_all_cb, g_object_ref (self));
}

/* saving and removing keys */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(SendoffPreferencesWindow) self = g_object_steal_data (G_OBJECT (row), "sendoff-window");
  g_autoptr(GError) error = NULL;

  if (!sendoff_credentials_store_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (error != NULL)
    {
      toast (self, error->message);
      show_keyring_error (self, error);
      return;
    }

  /* The entry never shows the key back once it is saved. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  show_label (self->key_error, NULL);
  toast (self, _("Key saved in the keyring"));
  refresh_key_status (self);
}

static void
on_secret_apply (AdwEntryRow              *row,
                 SendoffPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *secret = g_strstrip (g_strdup (text));
  const char *kind = g_object_get_data (G_OBJECT (row), "sendoff-kind");

  if (*secret == '\0' || g_object_get_data (G_OBJECT (row), "sendoff-window") != NULL)
    return;

  set_busy (self, TRUE);
  g_object_set_data (G_OBJECT (row), "sendoff-window", g_object_ref (self));
  sendoff_credentials_store_async (self->info->id, self->api_url, kind, secret,
                                   self->cancellable, store_cb, g_object_ref (row));
  explicit_bzero (secret, strlen (secret));
}

typedef struct {
  SendoffPreferencesWindow *self;
  guint                     n_left;
  GError                   *error;
} RemoveKey;

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  RemoveKey *state = user_data;
  g_autoptr(GError) error = NULL;
  SendoffPreferencesWindow *self = state->self;

  if (!sendoff_credentials_clear_finish (result, &error) && state->error == NULL)
    state->error = g_steal_pointer (&error);

  if (--state->n_left > 0)
    return;

  if (!g_error_matches (state->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (self, FALSE);
      if (state->error != NULL)
        {
          toast (self, state->error->message);
          show_keyring_error (self, state->error);
        }
      else
        {
          toast (self, _("Key removed from the keyring"));
          refresh_key_status (self);
        }
    }
  g_clear_error (&state->error);
  g_object_unref (state->self);
  g_free (state);
}

static void
remove_key_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (widget);
  RemoveKey *state = g_new0 (RemoveKey, 1);

  state->self = g_object_ref (self);
  state->n_left = g_strv_length ((char **) self->info->secret_kinds);
  set_busy (self, TRUE);
  gtk_widget_action_set_enabled (widget, "prefs.remove-key", FALSE);
  for (guint i = 0; self->info->secret_kinds[i] != NULL; i++)
    sendoff_credentials_clear_async (self->info->id, self->api_url, self->info->secret_kinds[i],
                                     self->cancellable, clear_cb, state);
}

/* the chosen service */

static void
rebuild_secret_rows (SendoffPreferencesWindow *self)
{
  g_autofree char *description = NULL;
  guint n_kinds;

  for (guint i = 0; i < self->secret_rows->len; i++)
    adw_preferences_group_remove (self->key_group, g_ptr_array_index (self->secret_rows, i));
  g_ptr_array_set_size (self->secret_rows, 0);

  /* The status row goes last: out, and back in after the entries. */
  g_object_ref (self->key_status_row);
  adw_preferences_group_remove (self->key_group, GTK_WIDGET (self->key_status_row));

  for (guint i = 0; self->info->secret_kinds[i] != NULL; i++)
    {
      GtkWidget *row = adw_password_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), secret_label (self, i));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "sendoff-kind",
                              g_strdup (self->info->secret_kinds[i]), g_free);
      g_signal_connect (row, "apply", G_CALLBACK (on_secret_apply), self);
      g_signal_connect (row, "entry-activated", G_CALLBACK (on_secret_apply), self);
      adw_preferences_group_add (self->key_group, row);
      g_ptr_array_add (self->secret_rows, row);
    }

  adw_preferences_group_add (self->key_group, GTK_WIDGET (self->key_status_row));
  g_object_unref (self->key_status_row);

  n_kinds = self->secret_rows->len;
  adw_preferences_group_set_title (self->key_group,
                                   n_kinds > 1 ? _("Credentials") : secret_label (self, 0));
  /* TRANSLATORS: %s is a service, e.g. "WeTransfer (API v1)" */
  description = g_strdup_printf (ngettext ("Sendoff needs this to send files through %s. It is "
                                           "kept in the system keyring and never shown again.",
                                           "Sendoff needs these to send files through %s. They "
                                           "are kept in the system keyring and never shown again.",
                                           n_kinds),
                                 g_dgettext (GETTEXT_PACKAGE, self->info->display_name));
  adw_preferences_group_set_description (self->key_group, description);
}

static void
load_url (SendoffPreferencesWindow *self)
{
  const char *env = getenv_nonempty ("SENDOFF_API_URL");

  g_free (self->api_url);
  self->api_url = sendoff_service_dup_api_url (self->info, NULL);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), self->api_url);
  self->loading = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), env == NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_message), "error");
  show_label (self->url_message,
              env ? _("Set by the SENDOFF_API_URL environment variable") : NULL);
}

static void
load_task_id (SendoffPreferencesWindow *self)
{
  guint64 task_id = g_settings_get_uint64 (self->settings, "wunderlist-task-id");
  g_autofree char *text = task_id ? g_strdup_printf ("%" G_GUINT64_FORMAT, task_id) : g_strdup ("");

  gtk_widget_set_visible (GTK_WIDGET (self->wunderlist_group),
                          g_str_equal (self->info->id, "wunderlist"));
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->task_row), text);
  self->loading = FALSE;
  show_label (self->task_error, NULL);
}

static void
load_service (SendoffPreferencesWindow *self,
              const SendoffServiceInfo *info)
{
  self->info = info;
  rebuild_secret_rows (self);
  load_url (self);
  load_task_id (self);
  show_label (self->key_error, NULL);
  refresh_key_status (self);
}

static void
on_service_selected (SendoffPreferencesWindow *self)
{
  const SendoffServiceInfo *const *list = sendoff_service_list ();
  guint selected = adw_combo_row_get_selected (self->service_row);

  if (self->loading || selected == GTK_INVALID_LIST_POSITION || list[selected] == self->info)
    return;

  /* The saved base URL belongs to the service it was saved for. */
  g_settings_set_string (self->settings, "service", list[selected]->id);
  g_settings_set_string (self->settings, "api-url", "");
  load_service (self, list[selected]);
}

/* base URL */

static gboolean
check_url (SendoffPreferencesWindow *self,
           const char               *url)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = sendoff_url_check (url, _("The API base URL"), &error);

  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->url_message), "error");
  show_label (self->url_message, ok ? NULL : error->message);
  return ok;
}

static void
on_url_changed (SendoffPreferencesWindow *self)
{
  g_autofree char *url = NULL;

  if (self->loading)
    return;

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  if (*url != '\0')
    check_url (self, url);
  else
    show_label (self->url_message, NULL);
}

static void
on_url_apply (SendoffPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));

  if (*url != '\0' && !check_url (self, url))
    return;

  /* Empty, or the service's own default, is stored as "use the default". */
  if (*url == '\0' || g_str_equal (url, self->info->default_api_url))
    g_settings_set_string (self->settings, "api-url", "");
  else
    g_settings_set_string (self->settings, "api-url", url);
  g_settings_set_string (self->settings, "service", self->info->id);

  load_url (self);
  refresh_key_status (self);
}

/* Wunderlist task */

static void
on_task_apply (SendoffPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->task_row));
  guint64 task_id = 0;

  if (*text != '\0' &&
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, &task_id, NULL))
    {
      show_label (self->task_error, _("The task ID is a positive whole number"));
      gtk_widget_add_css_class (GTK_WIDGET (self->task_row), "error");
      return;
    }

  show_label (self->task_error, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->task_row), "error");
  g_settings_set_uint64 (self->settings, "wunderlist-task-id", task_id);
}

/* GObject */

static void
sendoff_preferences_window_dispose (GObject *object)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->status_cancellable);
  g_clear_object (&self->status_cancellable);

  G_OBJECT_CLASS (sendoff_preferences_window_parent_class)->dispose (object);
}

static void
sendoff_preferences_window_finalize (GObject *object)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->api_url, g_free);
  g_clear_pointer (&self->secret_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sendoff_preferences_window_parent_class)->finalize (object);
}

static void
sendoff_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KEY_STORED:
      g_value_set_boolean (value, self->key_stored);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_preferences_window_class_init (SendoffPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sendoff_preferences_window_dispose;
  object_class->finalize = sendoff_preferences_window_finalize;
  object_class->get_property = sendoff_preferences_window_get_property;

  properties[PROP_KEY_STORED] =
    g_param_spec_boolean ("key-stored", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sendoff/Sendoff/sendoff-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, service_row);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, url_message);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, key_group);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, key_error);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, key_status_row);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, key_status_icon);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, wunderlist_group);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, task_row);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, task_error);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, jobs_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, on_service_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_url_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_task_apply);

  gtk_widget_class_install_action (widget_class, "prefs.remove-key", NULL, remove_key_activated);
}

static void
sendoff_preferences_window_init (SendoffPreferencesWindow *self)
{
  const SendoffServiceInfo *const *list = sendoff_service_list ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *service = NULL;
  const SendoffServiceInfo *info = NULL;
  guint selected = 0;

  self->secret_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (SCHEMA_ID);

  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  service = g_settings_get_string (self->settings, "service");
  for (guint i = 0; list[i] != NULL; i++)
    {
      gtk_string_list_append (names, g_dgettext (GETTEXT_PACKAGE, list[i]->display_name));
      if (g_str_equal (list[i]->id, service))
        selected = i;
    }
  info = list[selected];
  adw_combo_row_set_model (self->service_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->service_row, selected);
  self->loading = FALSE;

  g_settings_bind (self->settings, "jobs", self->jobs_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.remove-key", FALSE);

  load_service (self, info);
}

GtkWidget *
sendoff_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (SENDOFF_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

gboolean
sendoff_preferences_window_get_key_stored (SendoffPreferencesWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->key_stored;
}

gboolean
sendoff_preferences_window_get_busy (SendoffPreferencesWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->n_pending > 0;
}

void
sendoff_preferences_window_show_key_error (SendoffPreferencesWindow *self,
                                           const char               *message)
{
  g_return_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self));

  show_label (self->key_error, message);
  if (message != NULL && self->secret_rows->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->secret_rows, 0));
}

GtkWidget *
_sendoff_preferences_window_get_secret_row (SendoffPreferencesWindow *self,
                                            const char               *kind)
{
  g_return_val_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self), NULL);

  for (guint i = 0; i < self->secret_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->secret_rows, i);

      if (g_strcmp0 (g_object_get_data (row, "sendoff-kind"), kind) == 0)
        return GTK_WIDGET (row);
    }
  return NULL;
}
