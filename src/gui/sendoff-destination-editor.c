/* sendoff-destination-editor.c — the fields of a destination, built from its backend's declarations
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-destination-editor.h"

#include "sendoff-credentials.h"
#include "sendoff-provider.h"
#include "sendoff-types.h"

struct _SendoffDestinationEditor
{
  GtkBox               parent_instance;

  SendoffDestination  *destination;
  GSettings           *settings;

  AdwPreferencesGroup *preset_group;
  AdwComboRow         *preset_row;
  AdwPreferencesGroup *options_group;
  AdwEntryRow         *name_row;
  GtkLabel            *options_message;
  AdwPreferencesGroup *secrets_group;
  GtkLabel            *secrets_message;
  GtkLabel            *secrets_error;
  GtkWidget           *status_box;
  GtkStack            *status_icon_stack;
  GtkSpinner          *status_spinner;
  GtkImage            *status_icon;
  GtkLabel            *status_label;
  GtkWidget           *check_button;
  GtkWidget           *save_button;

  GPtrArray           *option_rows;   /* one per declared option, in order */
  GPtrArray           *secret_rows;   /* one AdwPasswordEntryRow per declared secret */
  GHashTable          *stored;        /* keys of the secrets found in the keyring */
  GPtrArray           *to_store;      /* (key, secret) pairs Save still has to write */
  char                *keyring_error;
  char                *key_error;
  char                *status;
  GCancellable        *cancellable;
  guint                n_busy;
  guint                checked : 1;
  guint                show_missing : 1;  /* empty required fields count once Check or Save ran */
  guint                filling : 1;
  guint                auto_name : 1;     /* the name follows the preset until it is typed */
};

G_DEFINE_FINAL_TYPE (SendoffDestinationEditor, sendoff_destination_editor, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_DESTINATION,
  PROP_SETTINGS,
  PROP_BUSY,
  PROP_CHECKED,
  PROP_STATUS,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
getenv_nonempty (const char *name)
{
  const char *value = name != NULL ? g_getenv (name) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

static const SendoffBackendInfo *
backend_of (SendoffDestinationEditor *self)
{
  return sendoff_destination_get_backend (self->destination);
}

static void
set_busy (SendoffDestinationEditor *self,
          gboolean                  busy)
{
  guint before = self->n_busy;

  if (busy)
    self->n_busy++;
  else if (self->n_busy > 0)
    self->n_busy--;

  if ((before == 0) == (self->n_busy == 0))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.check", self->n_busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->n_busy == 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_checked (SendoffDestinationEditor *self,
             gboolean                  checked)
{
  if (self->checked == !!checked)
    return;

  self->checked = !!checked;
  /* Check first; once the server said yes, Save is the next step */
  if (checked)
    {
      gtk_widget_remove_css_class (self->check_button, "suggested-action");
      gtk_widget_add_css_class (self->save_button, "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (self->save_button, "suggested-action");
      gtk_widget_add_css_class (self->check_button, "suggested-action");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKED]);
}

/* @kind: "busy", "ok", "error" or NULL to hide */
static void
set_status (SendoffDestinationEditor *self,
            const char               *kind,
            const char               *sentence)
{
  gboolean error = g_strcmp0 (kind, "error") == 0;

  g_free (self->status);
  self->status = kind != NULL ? g_strdup (sentence) : NULL;

  gtk_widget_set_visible (self->status_box, kind != NULL);
  gtk_label_set_text (self->status_label, sentence != NULL ? sentence : "");
  gtk_spinner_set_spinning (self->status_spinner, g_strcmp0 (kind, "busy") == 0);
  gtk_stack_set_visible_child_name (self->status_icon_stack,
                                    g_strcmp0 (kind, "busy") == 0 ? "busy" : "icon");
  gtk_image_set_from_icon_name (self->status_icon,
                                error ? "dialog-error-symbolic" : "emblem-ok-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), error ? "success" : "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), error ? "error" : "success");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
show_caption (GtkLabel   *label,
              const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* ---- option rows ------------------------------------------------------ */

static char *
dup_row_value (GtkWidget               *row,
               const SendoffOptionSpec *spec)
{
  guint selected;

  switch (spec->type)
    {
    case SENDOFF_OPTION_CHOICE:
      selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
      if (spec->choices == NULL || selected >= g_strv_length ((char **) spec->choices))
        return NULL;
      return g_strdup (spec->choices[selected]);
    case SENDOFF_OPTION_BOOLEAN:
      return g_strdup (gtk_switch_get_active (g_object_get_data (G_OBJECT (row), "sendoff-switch"))
                       ? "true" : "false");
    case SENDOFF_OPTION_STRING:
    case SENDOFF_OPTION_URL:
    case SENDOFF_OPTION_UINT:
    default:
      return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
    }
}

static void
set_row_value (GtkWidget               *row,
               const SendoffOptionSpec *spec,
               const char              *value)
{
  switch (spec->type)
    {
    case SENDOFF_OPTION_CHOICE:
      for (guint i = 0; spec->choices != NULL && spec->choices[i] != NULL; i++)
        if (g_strcmp0 (spec->choices[i], value) == 0)
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
      break;
    case SENDOFF_OPTION_BOOLEAN:
      gtk_switch_set_active (g_object_get_data (G_OBJECT (row), "sendoff-switch"),
                             g_strcmp0 (value, "true") == 0);
      break;
    case SENDOFF_OPTION_STRING:
    case SENDOFF_OPTION_URL:
    case SENDOFF_OPTION_UINT:
    default:
      gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
      break;
    }
}

static char *
dup_name (SendoffDestinationEditor *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static void
mark_row (GtkWidget *row,
          gboolean   bad)
{
  if (bad)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

/* The command line names an option by its key too ("Task (task-id): …");
 * here the field is right above, so its label is enough. */
static void
append_option_error (GString                 *messages,
                     const SendoffOptionSpec *spec,
                     const char              *value,
                     const GError            *error)
{
  const char *label = g_dgettext (GETTEXT_PACKAGE, spec->label);
  g_autofree char *prefix = g_strdup_printf ("%s (%s): ", label, spec->key);

  if (value == NULL || *value == '\0')
    /* TRANSLATORS: an option's label ("Server Address") */
    g_string_append_printf (messages, _("Enter the %s."), label);
  else if (g_str_has_prefix (error->message, prefix))
    /* TRANSLATORS: an option's label, then what is wrong with its value */
    g_string_append_printf (messages, _("%s: %s."), label, error->message + strlen (prefix));
  else
    g_string_append (messages, error->message);
}

/* Marks the fields that do not fit their declaration and says why under
 * the group. An empty required field is only an error once the user
 * asked for a Check or a Save. */
static gboolean
validate (SendoffDestinationEditor *self,
          GtkWidget               **first_bad)
{
  const SendoffBackendInfo *backend = backend_of (self);
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autofree char *name = dup_name (self);
  gboolean valid = *name != '\0';

  mark_row (GTK_WIDGET (self->name_row), !valid && self->show_missing);
  if (!valid && self->show_missing)
    {
      g_string_append (messages, _("Give the destination a name."));
      if (first_bad != NULL)
        *first_bad = GTK_WIDGET (self->name_row);
    }

  for (guint i = 0; backend->options != NULL && backend->options[i].key != NULL; i++)
    {
      const SendoffOptionSpec *spec = &backend->options[i];
      GtkWidget *row = g_ptr_array_index (self->option_rows, i);
      g_autofree char *value = dup_row_value (row, spec);
      g_autoptr(GError) error = NULL;
      gboolean shown;

      if (sendoff_option_check (spec, value, &error))
        {
          mark_row (row, FALSE);
          continue;
        }

      valid = FALSE;
      shown = (value != NULL && *value != '\0') || self->show_missing;
      mark_row (row, shown);
      if (!shown)
        continue;
      if (messages->len > 0)
        g_string_append_c (messages, '\n');
      append_option_error (messages, spec, value, error);
      if (first_bad != NULL && *first_bad == NULL)
        *first_bad = row;
    }

  show_caption (self->options_message, messages->str);

  return valid;
}

static void
on_field_changed (SendoffDestinationEditor *self)
{
  if (self->filling)
    return;

  set_checked (self, FALSE);
  if (self->status != NULL && self->n_busy == 0)
    set_status (self, NULL, NULL);
  validate (self, NULL);
}

static void
on_name_changed (SendoffDestinationEditor *self)
{
  if (!self->filling)
    self->auto_name = FALSE;
  on_field_changed (self);
}

static void
on_entry_activated (SendoffDestinationEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), self->checked ? "editor.save" : "editor.check",
                              NULL);
}

static GtkWidget *
create_entry_row (SendoffDestinationEditor *self,
                  const SendoffOptionSpec  *spec)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));

  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row),
                                   spec->type == SENDOFF_OPTION_URL ? GTK_INPUT_PURPOSE_URL :
                                   spec->type == SENDOFF_OPTION_UINT ? GTK_INPUT_PURPOSE_DIGITS :
                                   GTK_INPUT_PURPOSE_FREE_FORM);
  if (spec->placeholder != NULL && GTK_IS_TEXT (text))
    gtk_text_set_placeholder_text (GTK_TEXT (text), spec->placeholder);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_field_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_entry_activated), self,
                           G_CONNECT_SWAPPED);

  return row;
}

static GtkWidget *
create_option_row (SendoffDestinationEditor *self,
                   const SendoffOptionSpec  *spec)
{
  const char *description = spec->description ? g_dgettext (GETTEXT_PACKAGE, spec->description)
                                              : NULL;
  GtkWidget *row;

  if (spec->type == SENDOFF_OPTION_CHOICE)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

      for (guint i = 0; spec->choices != NULL && spec->choices[i] != NULL; i++)
        gtk_string_list_append (labels, g_dgettext (GETTEXT_PACKAGE,
                                                    spec->choice_labels != NULL
                                                      ? spec->choice_labels[i] : spec->choices[i]));
      row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
      if (description != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_field_changed), self,
                               G_CONNECT_SWAPPED);
    }
  else if (spec->type == SENDOFF_OPTION_BOOLEAN)
    {
      /* AdwSwitchRow is libadwaita 1.4; this is its 1.2 form */
      GtkWidget *toggle = gtk_switch_new ();

      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      row = adw_action_row_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      if (description != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
      g_object_set_data (G_OBJECT (row), "sendoff-switch", toggle);
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_field_changed), self,
                               G_CONNECT_SWAPPED);
    }
  else
    {
      row = create_entry_row (self, spec);
      gtk_widget_set_tooltip_text (row, description);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_dgettext (GETTEXT_PACKAGE,
                                                                        spec->label));
  set_row_value (row, spec, sendoff_destination_get_option (self->destination, spec->key));

  return row;
}

/* ---- presets ---------------------------------------------------------- */

static const SendoffPresetSpec *
find_preset (SendoffDestinationEditor *self,
             const char               *id)
{
  for (const SendoffPresetSpec *p = backend_of (self)->presets; p != NULL && p->id != NULL; p++)
    if (g_strcmp0 (p->id, id) == 0)
      return p;

  return NULL;
}

static void
fill_from_preset (SendoffDestinationEditor *self,
                  const SendoffPresetSpec  *preset)
{
  const SendoffBackendInfo *backend = backend_of (self);

  adw_preferences_group_set_description (self->preset_group,
                                         preset->description
                                           ? g_dgettext (GETTEXT_PACKAGE, preset->description)
                                           : NULL);

  for (guint i = 0; preset->assignments != NULL && preset->assignments[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (preset->assignments[i], "=", 2);

      for (guint j = 0; backend->options[j].key != NULL && pair[1] != NULL; j++)
        if (g_str_equal (backend->options[j].key, pair[0]))
          set_row_value (g_ptr_array_index (self->option_rows, j), &backend->options[j], pair[1]);
    }

  if (self->auto_name)
    {
      self->filling = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                             g_dgettext (GETTEXT_PACKAGE, preset->label));
      self->filling = FALSE;
    }
}

static void
on_preset_selected (SendoffDestinationEditor *self)
{
  const SendoffPresetSpec *presets = backend_of (self)->presets;
  guint selected = adw_combo_row_get_selected (self->preset_row);

  if (self->filling || presets == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  fill_from_preset (self, &presets[selected]);
}

gboolean
sendoff_destination_editor_apply_preset (SendoffDestinationEditor *self,
                                         const char               *preset_id)
{
  const SendoffPresetSpec *preset;

  g_return_val_if_fail (SENDOFF_IS_DESTINATION_EDITOR (self), FALSE);

  preset = find_preset (self, preset_id);
  if (preset == NULL)
    return FALSE;

  /* Selecting fills the fields */
  if (adw_combo_row_get_selected (self->preset_row) != (guint) (preset - backend_of (self)->presets))
    adw_combo_row_set_selected (self->preset_row, preset - backend_of (self)->presets);
  else
    fill_from_preset (self, preset);

  return TRUE;
}

/* The preset whose values the destination holds, else the last one
 * (the "other" kind, by convention). */
static guint
guess_preset (SendoffDestinationEditor *self)
{
  const SendoffPresetSpec *presets = backend_of (self)->presets;
  guint n = 0;

  for (; presets[n].id != NULL; n++)
    {
      gboolean all = TRUE;

      for (guint i = 0; presets[n].assignments && presets[n].assignments[i]; i++)
        {
          g_auto(GStrv) pair = g_strsplit (presets[n].assignments[i], "=", 2);

          all = all && g_strcmp0 (sendoff_destination_get_option (self->destination, pair[0]),
                                  pair[1]) == 0;
        }
      if (all)
        return n;
    }

  return n > 0 ? n - 1 : 0;
}

static void
setup_presets (SendoffDestinationEditor *self)
{
  const SendoffPresetSpec *presets = backend_of (self)->presets;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  if (presets == NULL || presets[0].id == NULL)
    return;

  for (guint i = 0; presets[i].id != NULL; i++)
    gtk_string_list_append (labels, g_dgettext (GETTEXT_PACKAGE, presets[i].label));

  self->filling = TRUE;
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (labels));
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->preset_group), TRUE);

  if (sendoff_destination_is_saved (self->destination))
    {
      guint guessed = guess_preset (self);

      self->filling = TRUE;
      adw_combo_row_set_selected (self->preset_row, guessed);
      self->filling = FALSE;
      adw_preferences_group_set_description (self->preset_group,
                                             presets[guessed].description
                                               ? g_dgettext (GETTEXT_PACKAGE,
                                                             presets[guessed].description)
                                               : NULL);
    }
  else
    fill_from_preset (self, &presets[adw_combo_row_get_selected (self->preset_row)]);
}

/* ---- secrets ---------------------------------------------------------- */

static void
show_secret_status (SendoffDestinationEditor *self)
{
  const SendoffBackendInfo *backend = backend_of (self);
  g_autoptr(GString) text = g_string_new (NULL);

  for (const SendoffSecretSpec *spec = backend->secrets; spec && spec->key; spec++)
    {
      const char *label = g_dgettext (GETTEXT_PACKAGE, spec->label);
      g_autofree char *line = NULL;

      if (getenv_nonempty (spec->env) != NULL)
        /* TRANSLATORS: a secret's label, then an environment variable */
        line = g_strdup_printf (_("The %s comes from the environment variable %s while it is set."),
                                label, spec->env);
      /* A refused key is not "stored" as if all were well: the refusal says it */
      else if (self->key_error != NULL)
        continue;
      else if (self->stored != NULL && g_hash_table_contains (self->stored, spec->key))
        /* TRANSLATORS: a secret's label ("API Key") */
        line = g_strdup_printf (_("The %s is stored in the keyring. Type a new one to replace it."),
                                label);
      else if (sendoff_destination_is_saved (self->destination) && self->keyring_error == NULL)
        line = g_strdup_printf (_("No %s is stored yet."), label);

      if (line != NULL)
        g_string_append_printf (text, "%s%s", text->len ? "\n" : "", line);
    }

  show_caption (self->secrets_message, text->str);
  g_string_truncate (text, 0);
  if (self->keyring_error != NULL)
    g_string_append (text, self->keyring_error);
  if (self->key_error != NULL)
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", self->key_error);
  show_caption (self->secrets_error, text->str);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SendoffDestinationEditor) self = user_data;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  secrets = sendoff_credentials_lookup_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  g_clear_pointer (&self->keyring_error, g_free);
  g_hash_table_remove_all (self->stored);
  if (secrets == NULL)
    /* TRANSLATORS: the keyring's error */
    self->keyring_error = g_strdup_printf (_("The keyring cannot be reached (%s). Keys can be saved once it can."),
                                           error->message);
  else
    {
      g_hash_table_iter_init (&iter, secrets);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (self->stored, g_strdup (key));
    }

  show_secret_status (self);
}

static void
refresh_stored (SendoffDestinationEditor *self)
{
  show_secret_status (self);
  if (!sendoff_destination_is_saved (self->destination) ||
      sendoff_backend_count_secrets (backend_of (self)) == 0)
    return;

  set_busy (self, TRUE);
  sendoff_credentials_lookup_all_async (self->destination, FALSE, self->cancellable,
                                        stored_cb, g_object_ref (self));
}

static void
setup_secrets (SendoffDestinationEditor *self)
{
  const SendoffBackendInfo *backend = backend_of (self);

  gtk_widget_set_visible (GTK_WIDGET (self->secrets_group),
                          sendoff_backend_count_secrets (backend) > 0);

  for (const SendoffSecretSpec *spec = backend->secrets; spec && spec->key; spec++)
    {
      GtkWidget *row = adw_password_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     g_dgettext (GETTEXT_PACKAGE, spec->label));
      g_object_set_data (G_OBJECT (row), "sendoff-secret", (gpointer) spec);
      g_signal_connect_object (row, "changed", G_CALLBACK (on_field_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_entry_activated), self,
                               G_CONNECT_SWAPPED);
      g_ptr_array_add (self->secret_rows, row);
      adw_preferences_group_add (self->secrets_group, row);
    }

  refresh_stored (self);
}

/* The typed secret of @row, NULL when it is empty. Wiped by the caller. */
static char *
dup_typed_secret (GtkWidget *row)
{
  char *secret = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*secret != '\0')
    return secret;

  g_free (secret);
  return NULL;
}

static void
wipe_free (gpointer data)
{
  char *secret = data;

  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* ---- check ------------------------------------------------------------ */

/* A destination with the typed values, not saved: what Check talks to. */
static SendoffDestination *
create_probe (SendoffDestinationEditor *self,
              GError                  **error)
{
  const SendoffBackendInfo *backend = backend_of (self);
  g_autofree char *name = dup_name (self);
  g_autoptr(SendoffDestination) probe = sendoff_destination_new (backend, name);

  for (guint i = 0; backend->options != NULL && backend->options[i].key != NULL; i++)
    {
      g_autofree char *value = dup_row_value (g_ptr_array_index (self->option_rows, i),
                                              &backend->options[i]);

      if (!sendoff_destination_set_option (probe, backend->options[i].key, value, error))
        return NULL;
    }

  return g_steal_pointer (&probe);
}

static const char *
first_url (SendoffDestination *destination)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);

  for (const SendoffOptionSpec *spec = backend->options; spec && spec->key; spec++)
    if (spec->type == SENDOFF_OPTION_URL)
      return sendoff_destination_get_option (destination, spec->key);

  return NULL;
}

static char *
dup_check_sentence (SendoffDestinationEditor *self,
                    SendoffDestination       *probe,
                    const GError             *error)
{
  const SendoffBackendInfo *backend = backend_of (self);
  const char *url = first_url (probe);
  const char *secrets = sendoff_backend_count_secrets (backend) == 1
                        ? g_dgettext (GETTEXT_PACKAGE, backend->secrets[0].label)
                        : _("credentials");

  if (error == NULL)
    /* TRANSLATORS: a secret's label ("API Key"), or "credentials" */
    return g_strdup_printf (_("It works: the server accepted the %s."), secrets);

  if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH))
    return g_strdup_printf (_("The server refused the %s. Check it and try again."), secrets);

  if (url != NULL && (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK) ||
                      error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR))
    /* TRANSLATORS: a server address */
    return g_strdup_printf (_("Nothing answers at %s. Check the address, and that the server is running."),
                            url);

  if (url != NULL && (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER) ||
                      g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL)))
    /* TRANSLATORS: a server address, then its answer */
    return g_strdup_printf (_("The server at %s did not answer as this kind of server should (%s). Check the address."),
                            url, error->message);

  return g_strdup (error->message);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SendoffDestinationEditor) self = user_data;
  SendoffProvider *provider = SENDOFF_PROVIDER (object);
  SendoffDestination *probe = g_object_get_data (G_OBJECT (provider), "sendoff-probe");
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;

  if (!sendoff_provider_check_finish (provider, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  sentence = dup_check_sentence (self, probe, error);
  set_busy (self, FALSE);
  set_status (self, error != NULL ? "error" : "ok", sentence);
  set_checked (self, error == NULL);
}

static void
check_secrets_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SendoffDestinationEditor) self = user_data;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffDestination) probe = NULL;
  g_autoptr(SendoffProvider) provider = NULL;

  secrets = sendoff_credentials_lookup_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_error (&error);

  set_busy (self, FALSE);
  if (secrets == NULL)
    secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);

  /* What is typed wins over what is stored */
  for (guint i = 0; i < self->secret_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->secret_rows, i);
      const SendoffSecretSpec *spec = g_object_get_data (G_OBJECT (row), "sendoff-secret");
      char *typed = dup_typed_secret (row);

      if (typed != NULL)
        g_hash_table_replace (secrets, g_strdup (spec->key), typed);
      else if (!g_hash_table_contains (secrets, spec->key))
        {
          g_autofree char *sentence =
            /* TRANSLATORS: a secret's label */
            g_strdup_printf (_("Enter the %s first."), g_dgettext (GETTEXT_PACKAGE, spec->label));

          set_status (self, "error", sentence);
          gtk_widget_grab_focus (row);
          return;
        }
    }

  probe = create_probe (self, &error);
  if (probe != NULL)
    provider = sendoff_destination_create_provider (probe, secrets, &error);
  if (provider == NULL)
    {
      set_status (self, "error", error->message);
      return;
    }

  g_object_set_data_full (G_OBJECT (provider), "sendoff-probe", g_steal_pointer (&probe),
                          g_object_unref);
  set_busy (self, TRUE);
  sendoff_provider_check_async (provider, self->cancellable, check_cb, g_object_ref (self));
}

static void
check_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SendoffDestinationEditor *self = SENDOFF_DESTINATION_EDITOR (widget);
  GtkWidget *first_bad = NULL;

  if (self->n_busy > 0)
    return;

  self->show_missing = TRUE;
  if (!validate (self, &first_bad))
    {
      set_status (self, "error", _("Some fields need a change first: see above."));
      if (first_bad != NULL)
        gtk_widget_grab_focus (first_bad);
      return;
    }

  set_checked (self, FALSE);
  set_status (self, "busy", _("Asking the server…"));
  set_busy (self, TRUE);
  sendoff_credentials_lookup_all_async (self->destination, TRUE, self->cancellable,
                                        check_secrets_cb, g_object_ref (self));
}

/* ---- save ------------------------------------------------------------- */

static void store_next (SendoffDestinationEditor *self);

static void
finish_saving (SendoffDestinationEditor *self,
               const GError             *error)
{
  set_busy (self, FALSE);

  if (error != NULL)
    {
      /* TRANSLATORS: the keyring's error */
      g_autofree char *sentence =
        g_strdup_printf (_("The settings are saved, but the keys could not be stored in the keyring: %s"),
                         error->message);

      set_status (self, "error", sentence);
    }
  else
    {
      for (guint i = 0; i < self->secret_rows->len; i++)
        gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (self->secret_rows, i)), "");
      g_clear_pointer (&self->key_error, g_free);
      set_status (self, "ok", _("Saved."));
    }

  refresh_stored (self);
  g_signal_emit (self, signals[SAVED], 0);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SendoffDestinationEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sendoff_credentials_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish_saving (self, error);
      return;
    }

  store_next (self);
}

static void
store_next (SendoffDestinationEditor *self)
{
  g_autofree char *key = NULL;
  char *secret;

  if (self->to_store->len == 0)
    {
      finish_saving (self, NULL);
      return;
    }

  key = g_ptr_array_steal_index (self->to_store, 0);
  secret = g_ptr_array_steal_index (self->to_store, 0);
  sendoff_credentials_store_for_async (self->destination, key, secret, self->cancellable,
                                       store_cb, g_object_ref (self));
  wipe_free (secret);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SendoffDestinationEditor *self = SENDOFF_DESTINATION_EDITOR (widget);
  const SendoffBackendInfo *backend = backend_of (self);
  g_autofree char *name = dup_name (self);
  g_autoptr(GError) error = NULL;
  GtkWidget *first_bad = NULL;

  if (self->n_busy > 0)
    return;

  self->show_missing = TRUE;
  if (!validate (self, &first_bad))
    {
      set_status (self, "error", _("Some fields need a change first: see above."));
      if (first_bad != NULL)
        gtk_widget_grab_focus (first_bad);
      return;
    }

  for (guint i = 0; backend->options != NULL && backend->options[i].key != NULL; i++)
    {
      g_autofree char *value = dup_row_value (g_ptr_array_index (self->option_rows, i),
                                              &backend->options[i]);

      if (!sendoff_destination_set_option (self->destination, backend->options[i].key, value,
                                           &error))
        break;
    }
  sendoff_destination_set_name (self->destination, name);

  if (error != NULL || !sendoff_destination_save (self->destination, self->settings, &error))
    {
      set_status (self, "error", error->message);
      return;
    }

  g_ptr_array_set_size (self->to_store, 0);
  for (guint i = 0; i < self->secret_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->secret_rows, i);
      const SendoffSecretSpec *spec = g_object_get_data (G_OBJECT (row), "sendoff-secret");
      char *typed = dup_typed_secret (row);

      if (typed == NULL)
        continue;
      g_ptr_array_add (self->to_store, g_strdup (spec->key));
      g_ptr_array_add (self->to_store, typed);
    }

  set_busy (self, TRUE);
  store_next (self);
}

/* ---- the object ------------------------------------------------------- */

static void
sendoff_destination_editor_constructed (GObject *object)
{
  SendoffDestinationEditor *self = SENDOFF_DESTINATION_EDITOR (object);
  const SendoffBackendInfo *backend;

  G_OBJECT_CLASS (sendoff_destination_editor_parent_class)->constructed (object);

  g_assert (SENDOFF_IS_DESTINATION (self->destination));
  backend = backend_of (self);

  self->filling = TRUE;
  self->auto_name = !sendoff_destination_is_saved (self->destination);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         sendoff_destination_get_name (self->destination));
  for (const SendoffOptionSpec *spec = backend->options; spec && spec->key; spec++)
    {
      GtkWidget *row = create_option_row (self, spec);

      g_ptr_array_add (self->option_rows, row);
      adw_preferences_group_add (self->options_group, row);
    }
  self->filling = FALSE;

  setup_presets (self);
  setup_secrets (self);
}

static void
sendoff_destination_editor_dispose (GObject *object)
{
  SendoffDestinationEditor *self = SENDOFF_DESTINATION_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SENDOFF_TYPE_DESTINATION_EDITOR);

  G_OBJECT_CLASS (sendoff_destination_editor_parent_class)->dispose (object);
}

static void
sendoff_destination_editor_finalize (GObject *object)
{
  SendoffDestinationEditor *self = SENDOFF_DESTINATION_EDITOR (object);

  g_clear_object (&self->destination);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->option_rows, g_ptr_array_unref);
  g_clear_pointer (&self->secret_rows, g_ptr_array_unref);
  g_clear_pointer (&self->stored, g_hash_table_unref);
  g_clear_pointer (&self->to_store, g_ptr_array_unref);
  g_free (self->keyring_error);
  g_free (self->key_error);
  g_free (self->status);

  G_OBJECT_CLASS (sendoff_destination_editor_parent_class)->finalize (object);
}

static void
sendoff_destination_editor_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SendoffDestinationEditor *self = SENDOFF_DESTINATION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      g_value_set_object (value, self->destination);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_busy > 0);
      break;
    case PROP_CHECKED:
      g_value_set_boolean (value, self->checked);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_destination_editor_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  SendoffDestinationEditor *self = SENDOFF_DESTINATION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      self->destination = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_destination_editor_class_init (SendoffDestinationEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sendoff_destination_editor_constructed;
  object_class->dispose = sendoff_destination_editor_dispose;
  object_class->finalize = sendoff_destination_editor_finalize;
  object_class->get_property = sendoff_destination_editor_get_property;
  object_class->set_property = sendoff_destination_editor_set_property;

  properties[PROP_DESTINATION] =
    g_param_spec_object ("destination", NULL, NULL, SENDOFF_TYPE_DESTINATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKED] =
    g_param_spec_boolean ("checked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SendoffDestinationEditor::saved:
   *
   * The destination's options were saved (and its typed secrets stored,
   * or the status says why not).
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sendoff/Sendoff/sendoff-destination-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, preset_group);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, preset_row);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, options_group);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, options_message);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, secrets_group);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, secrets_message);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, secrets_error);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, status_box);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, status_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, status_icon);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, check_button);
  gtk_widget_class_bind_template_child (widget_class, SendoffDestinationEditor, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_selected);

  gtk_widget_class_install_action (widget_class, "editor.check", NULL, check_activated);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
}

static void
sendoff_destination_editor_init (SendoffDestinationEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->option_rows = g_ptr_array_new ();
  self->secret_rows = g_ptr_array_new ();
  self->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->to_store = g_ptr_array_new_with_free_func (wipe_free);
}

GtkWidget *
sendoff_destination_editor_new (SendoffDestination *destination,
                                GSettings          *settings)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION (destination), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SENDOFF_TYPE_DESTINATION_EDITOR,
                       "destination", destination,
                       "settings", settings,
                       NULL);
}

SendoffDestination *
sendoff_destination_editor_get_destination (SendoffDestinationEditor *self)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION_EDITOR (self), NULL);

  return self->destination;
}

void
sendoff_destination_editor_show_key_error (SendoffDestinationEditor *self,
                                           const char               *message)
{
  g_return_if_fail (SENDOFF_IS_DESTINATION_EDITOR (self));

  g_clear_pointer (&self->key_error, g_free);
  if (message != NULL)
    /* TRANSLATORS: the server's reason for refusing the stored key */
    self->key_error = g_strdup_printf (_("The server refused the stored key: %s. Enter a valid one."),
                                       message);
  show_secret_status (self);
}

const char *
sendoff_destination_editor_get_status (SendoffDestinationEditor *self)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION_EDITOR (self), NULL);

  return self->status;
}

gboolean
sendoff_destination_editor_get_checked (SendoffDestinationEditor *self)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION_EDITOR (self), FALSE);

  return self->checked;
}

gboolean
sendoff_destination_editor_get_busy (SendoffDestinationEditor *self)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION_EDITOR (self), FALSE);

  return self->n_busy > 0;
}

GtkWidget *
_sendoff_destination_editor_get_row (SendoffDestinationEditor *self,
                                     const char               *key)
{
  const SendoffBackendInfo *backend;

  g_return_val_if_fail (SENDOFF_IS_DESTINATION_EDITOR (self), NULL);

  if (g_str_equal (key, "name"))
    return GTK_WIDGET (self->name_row);

  backend = backend_of (self);
  for (guint i = 0; backend->options != NULL && backend->options[i].key != NULL; i++)
    if (g_str_equal (backend->options[i].key, key))
      return g_ptr_array_index (self->option_rows, i);

  for (guint i = 0; i < self->secret_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->secret_rows, i);
      const SendoffSecretSpec *spec = g_object_get_data (G_OBJECT (row), "sendoff-secret");

      if (g_str_equal (spec->key, key))
        return row;
    }

  return NULL;
}
