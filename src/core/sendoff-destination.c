/* sendoff-destination.c — a named, saved backend configuration
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-destination"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-credentials.h"
#include "sendoff-destination.h"
#include "sendoff-provider.h"
#include "sendoff-types.h"
#include "sendoff-util-private.h"

#define DESTINATION_SCHEMA SCHEMA_ID ".Destination"
#define LEGACY_SCHEMA      SCHEMA_ID ".Legacy"
#define DESTINATIONS_PATH  "/io/github/sendoff/Sendoff/destinations/"

struct _SendoffDestination
{
  GObject                   parent_instance;

  char                     *id;
  char                     *name;
  const SendoffBackendInfo *backend;
  GHashTable               *options;   /* key → value, only what is set */
  gboolean                  saved;
};

G_DEFINE_FINAL_TYPE (SendoffDestination, sendoff_destination, G_TYPE_OBJECT)

static void
sendoff_destination_finalize (GObject *object)
{
  SendoffDestination *self = SENDOFF_DESTINATION (object);

  g_free (self->id);
  g_free (self->name);
  g_hash_table_unref (self->options);

  G_OBJECT_CLASS (sendoff_destination_parent_class)->finalize (object);
}

static void
sendoff_destination_class_init (SendoffDestinationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sendoff_destination_finalize;
}

static void
sendoff_destination_init (SendoffDestination *self)
{
  self->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static char *
new_id (void)
{
  /* lower-case letters and digits: a valid GSettings path element */
  return g_strdup_printf ("d%08x%04x", g_random_int (), g_random_int_range (0, 0x10000));
}

SendoffDestination *
sendoff_destination_new (const SendoffBackendInfo *backend,
                         const char               *name)
{
  SendoffDestination *self;

  g_return_val_if_fail (backend != NULL, NULL);

  self = g_object_new (SENDOFF_TYPE_DESTINATION, NULL);
  self->id = new_id ();
  self->backend = backend;
  self->name = g_strdup (name != NULL && *name != '\0'
                           ? name : g_dgettext (GETTEXT_PACKAGE, backend->display_name));

  return self;
}

const char *
sendoff_destination_get_id (SendoffDestination *self)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), NULL);
  return self->id;
}

const char *
sendoff_destination_get_name (SendoffDestination *self)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), NULL);
  return self->name;
}

void
sendoff_destination_set_name (SendoffDestination *self,
                              const char         *name)
{
  g_return_if_fail (SENDOFF_IS_DESTINATION (self));
  g_return_if_fail (name != NULL);

  _sendoff_set_str (&self->name, name);
}

const SendoffBackendInfo *
sendoff_destination_get_backend (SendoffDestination *self)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), NULL);
  return self->backend;
}

gboolean
sendoff_destination_is_saved (SendoffDestination *self)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), FALSE);
  return self->saved;
}

const char *
sendoff_destination_get_option (SendoffDestination *self,
                                const char         *key)
{
  const SendoffOptionSpec *spec;
  const char *value;

  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if ((value = g_hash_table_lookup (self->options, key)) != NULL)
    return value;
  spec = sendoff_backend_find_option (self->backend, key);

  return spec != NULL ? spec->default_value : NULL;
}

static const SendoffOptionSpec *
find_option_or_error (SendoffDestination  *self,
                      const char          *key,
                      GError             **error)
{
  const SendoffOptionSpec *spec = sendoff_backend_find_option (self->backend, key);
  g_autoptr(GString) known = NULL;

  if (spec != NULL)
    return spec;

  known = g_string_new (NULL);
  for (const SendoffOptionSpec *s = self->backend->options; s && s->key; s++)
    g_string_append_printf (known, "%s%s", known->len ? ", " : "", s->key);

  g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
               /* TRANSLATORS: an option key, a backend, then the keys it has */
               _("“%s” is not an option of %s (it has: %s)"), key,
               g_dgettext (GETTEXT_PACKAGE, self->backend->display_name),
               known->len ? known->str : _("none"));
  return NULL;
}

gboolean
sendoff_destination_set_option (SendoffDestination  *self,
                                const char          *key,
                                const char          *value,
                                GError             **error)
{
  const SendoffOptionSpec *spec;

  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if ((spec = find_option_or_error (self, key, error)) == NULL)
    return FALSE;

  if (value == NULL || *value == '\0')
    {
      g_hash_table_remove (self->options, key);
      return TRUE;
    }

  if (!sendoff_option_check (spec, value, error))
    return FALSE;

  g_hash_table_replace (self->options, g_strdup (key), g_strdup (value));
  return TRUE;
}

gboolean
sendoff_destination_parse_option (SendoffDestination  *self,
                                  const char          *assignment,
                                  GError             **error)
{
  const char *equals;
  g_autofree char *key = NULL;

  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  equals = strchr (assignment, '=');
  if (equals == NULL || equals == assignment)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("“%s” is not of the form KEY=VALUE"), assignment);
      return FALSE;
    }

  key = g_strndup (assignment, equals - assignment);
  if (find_option_or_error (self, key, error) == NULL)
    return FALSE;
  if (equals[1] == '\0')
    {
      const SendoffOptionSpec *spec = sendoff_backend_find_option (self->backend, key);

      /* An explicitly empty value is a mistake (an unset "$VAR"), not "use the default" */
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT, _("%s (%s): %s"),
                   g_dgettext (GETTEXT_PACKAGE, spec->label), spec->key, _("the value is empty"));
      return FALSE;
    }

  return sendoff_destination_set_option (self, key, equals + 1, error);
}

gboolean
sendoff_destination_check_options (SendoffDestination  *self,
                                   GError             **error)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), FALSE);

  for (const SendoffOptionSpec *spec = self->backend->options; spec && spec->key; spec++)
    {
      if (!sendoff_option_check (spec, g_hash_table_lookup (self->options, spec->key), error))
        return FALSE;
    }

  return TRUE;
}

gboolean
sendoff_destination_apply_environment (SendoffDestination  *self,
                                       GError             **error)
{
  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), FALSE);

  for (const SendoffOptionSpec *spec = self->backend->options; spec && spec->key; spec++)
    {
      const char *value = spec->env ? g_getenv (spec->env) : NULL;

      if (value == NULL || *value == '\0')
        continue;
      if (!sendoff_option_check (spec, value, error))
        {
          g_prefix_error (error, "%s: ", spec->env);
          return FALSE;
        }
      g_hash_table_replace (self->options, g_strdup (spec->key), g_strdup (value));
    }

  return TRUE;
}

void
sendoff_destination_get_secret_scope (SendoffDestination  *self,
                                      const char         **service,
                                      const char         **api_url,
                                      const char         **destination_id)
{
  g_return_if_fail (SENDOFF_IS_DESTINATION (self));

  *service = self->backend->id;
  *api_url = NULL;
  *destination_id = self->saved ? self->id : NULL;
  if (self->saved)
    return;

  for (const SendoffOptionSpec *spec = self->backend->options; spec && spec->key; spec++)
    {
      if (spec->type == SENDOFF_OPTION_URL)
        {
          *api_url = sendoff_destination_get_option (self, spec->key);
          break;
        }
    }
  if (*api_url == NULL)
    *api_url = "";
}

/* ---- the provider ----------------------------------------------------- */

static gboolean
option_to_value (const SendoffOptionSpec *spec,
                 const char              *text,
                 GValue                  *value)
{
  guint64 number = 0;

  switch (spec->type)
    {
    case SENDOFF_OPTION_UINT:
      g_value_init (value, G_TYPE_UINT64);
      if (!g_ascii_string_to_unsigned (text, 10, spec->min, spec->max, &number, NULL))
        return FALSE;
      g_value_set_uint64 (value, number);
      return TRUE;
    case SENDOFF_OPTION_BOOLEAN:
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, g_str_equal (text, "true"));
      return TRUE;
    case SENDOFF_OPTION_STRING:
    case SENDOFF_OPTION_URL:
    case SENDOFF_OPTION_CHOICE:
    default:
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, text);
      return TRUE;
    }
}

SendoffProvider *
sendoff_destination_create_provider (SendoffDestination  *self,
                                     GHashTable          *secrets,
                                     GError             **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (GValue));
  guint first_secret;
  GType type;
  GObject *object;

  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), NULL);

  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);

  if (!sendoff_destination_check_options (self, error))
    return NULL;

  for (const SendoffSecretSpec *spec = self->backend->secrets; spec && spec->key; spec++)
    {
      const char *secret = secrets ? g_hash_table_lookup (secrets, spec->key) : NULL;

      if (secret == NULL || *secret == '\0')
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS,
                       /* TRANSLATORS: a secret's label, then the destination */
                       _("No %s is stored for “%s”."),
                       g_dgettext (GETTEXT_PACKAGE, spec->label), self->name);
          return NULL;
        }
    }

  for (const SendoffOptionSpec *spec = self->backend->options; spec && spec->key; spec++)
    {
      const char *text = sendoff_destination_get_option (self, spec->key);
      GValue value = G_VALUE_INIT;

      if (text == NULL || *text == '\0')
        continue;
      /* sendoff_destination_check_options() above let only valid text by */
      if (!option_to_value (spec, text, &value))
        g_assert_not_reached ();
      g_ptr_array_add (names, (gpointer) spec->key);
      g_array_append_val (values, value);
    }

  first_secret = values->len;
  for (const SendoffSecretSpec *spec = self->backend->secrets; spec && spec->key; spec++)
    {
      GValue value = G_VALUE_INIT;

      g_value_init (&value, G_TYPE_STRING);
      g_value_set_string (&value, g_hash_table_lookup (secrets, spec->key));
      g_ptr_array_add (names, (gpointer) spec->key);
      g_array_append_val (values, value);
    }

  type = sendoff_backend_get_provider_type (self->backend);
  object = g_object_new_with_properties (type, names->len, (const char **) names->pdata,
                                         (const GValue *) values->data);

  /* The GValues held copies of the secrets: wipe them before freeing */
  for (guint i = first_secret; i < values->len; i++)
    {
      char *text = (char *) g_value_get_string (&g_array_index (values, GValue, i));

      if (text != NULL)
        explicit_bzero (text, strlen (text));
    }

  /* The backend's own word on the configuration (e.g. a URL it refuses) */
  if (!sendoff_provider_check_configuration (SENDOFF_PROVIDER (object), error))
    {
      g_object_unref (object);
      return NULL;
    }

  return SENDOFF_PROVIDER (object);
}

SendoffUploader *
sendoff_destination_new_uploader (SendoffDestination  *self,
                                  GHashTable          *secrets,
                                  GError             **error)
{
  g_autoptr(SendoffProvider) provider = NULL;
  SendoffUploader *uploader;

  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), NULL);

  provider = sendoff_destination_create_provider (self, secrets, error);
  if (provider == NULL)
    return NULL;

  uploader = sendoff_uploader_new (provider);
  /* what the journal records: a destination not saved has no id */
  sendoff_uploader_set_destination (uploader,
                                    sendoff_destination_is_saved (self)
                                      ? sendoff_destination_get_id (self) : NULL,
                                    sendoff_destination_get_name (self),
                                    sendoff_destination_get_backend (self)->id);
  return uploader;
}

static void
on_secrets_found (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendoffDestination *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(SendoffUploader) uploader = NULL;
  GError *error = NULL;

  secrets = sendoff_credentials_lookup_all_finish (result, &error);
  if (secrets == NULL ||
      (uploader = sendoff_destination_new_uploader (self, secrets, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&uploader), g_object_unref);
}

void
sendoff_destination_new_uploader_async (SendoffDestination  *self,
                                        gboolean             use_env,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (SENDOFF_IS_DESTINATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_destination_new_uploader_async);

  /* Bad options are the user's to fix before any keyring prompt */
  if (!sendoff_destination_check_options (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  sendoff_credentials_lookup_all_async (self, use_env, cancellable, on_secrets_found,
                                        g_steal_pointer (&task));
}

SendoffUploader *
sendoff_destination_new_uploader_finish (SendoffDestination  *self,
                                         GAsyncResult        *result,
                                         GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- saved destinations ----------------------------------------------- */

GSettings *
sendoff_settings_new_if_available (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;

  schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static GSettings *
settings_for (GSettings  *settings,
              const char *schema_id,
              const char *path)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = g_settings_schema_source_lookup (source, schema_id, TRUE);
  g_autoptr(GSettingsBackend) backend = NULL;

  g_return_val_if_fail (schema != NULL, NULL);

  g_object_get (settings, "backend", &backend, NULL);
  return g_settings_new_full (schema, backend, path);
}

static GSettings *
destination_settings (GSettings  *settings,
                      const char *id)
{
  g_autofree char *path = g_strconcat (DESTINATIONS_PATH, id, "/", NULL);

  return settings_for (settings, DESTINATION_SCHEMA, path);
}

static SendoffDestination *
load (GSettings  *settings,
      const char *id)
{
  g_autoptr(GSettings) dest = destination_settings (settings, id);
  g_autofree char *backend_id = g_settings_get_string (dest, "backend");
  g_autoptr(GVariant) options = g_settings_get_value (dest, "options");
  const SendoffBackendInfo *backend = sendoff_backend_lookup (backend_id);
  SendoffDestination *self;
  GVariantIter iter;
  const char *key, *value;

  if (backend == NULL)
    {
      g_warning ("Destination %s names an unknown backend “%s”; ignored", id, backend_id);
      return NULL;
    }

  self = g_object_new (SENDOFF_TYPE_DESTINATION, NULL);
  self->id = g_strdup (id);
  self->backend = backend;
  self->name = g_settings_get_string (dest, "name");
  self->saved = TRUE;

  /* Keys a newer or older version wrote are kept out; values are checked
   * again when the destination is used. */
  g_variant_iter_init (&iter, options);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    {
      if (sendoff_backend_find_option (backend, key) != NULL)
        g_hash_table_replace (self->options, g_strdup (key), g_strdup (value));
    }

  return self;
}

GPtrArray *
sendoff_destination_list_saved (GSettings *settings)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) ids = NULL;

  if (settings == NULL)
    return list;

  ids = g_settings_get_strv (settings, "destinations");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      SendoffDestination *dest = load (settings, ids[i]);

      if (dest != NULL)
        g_ptr_array_add (list, dest);
    }

  return list;
}

SendoffDestination *
sendoff_destination_find (GSettings  *settings,
                          const char *name_or_id)
{
  g_autoptr(GPtrArray) list = sendoff_destination_list_saved (settings);

  g_return_val_if_fail (name_or_id != NULL, NULL);

  for (guint i = 0; i < list->len; i++)
    {
      SendoffDestination *dest = g_ptr_array_index (list, i);

      if (g_str_equal (dest->name, name_or_id) || g_str_equal (dest->id, name_or_id))
        return g_object_ref (dest);
    }

  return NULL;
}

SendoffDestination *
sendoff_destination_get_default (GSettings *settings)
{
  g_autoptr(GPtrArray) list = sendoff_destination_list_saved (settings);
  g_autofree char *id = NULL;

  if (list->len == 0)
    return NULL;

  id = g_settings_get_string (settings, "default-destination");
  for (guint i = 0; i < list->len; i++)
    {
      SendoffDestination *dest = g_ptr_array_index (list, i);

      if (g_str_equal (dest->id, id))
        return g_object_ref (dest);
    }

  /* The default was removed: the first one stands in */
  return g_object_ref (g_ptr_array_index (list, 0));
}

void
sendoff_destination_set_default (GSettings          *settings,
                                 SendoffDestination *self)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (SENDOFF_IS_DESTINATION (self));

  g_settings_set_string (settings, "default-destination", self->id);
}

gboolean
sendoff_destination_save (SendoffDestination  *self,
                          GSettings           *settings,
                          GError             **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GSettings) dest = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  GVariantBuilder options;
  GHashTableIter iter;
  gpointer key, value;
  gboolean listed = FALSE;

  g_return_val_if_fail (SENDOFF_IS_DESTINATION (self), FALSE);
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  if (self->name == NULL || *g_strstrip (self->name) == '\0')
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           _("A destination needs a name"));
      return FALSE;
    }

  list = sendoff_destination_list_saved (settings);
  for (guint i = 0; i < list->len; i++)
    {
      SendoffDestination *other = g_ptr_array_index (list, i);

      g_strv_builder_add (ids, other->id);
      if (g_str_equal (other->id, self->id))
        listed = TRUE;
      else if (g_str_equal (other->name, self->name))
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("There is already a destination called “%s”"), self->name);
          return FALSE;
        }
    }

  g_variant_builder_init (&options, G_VARIANT_TYPE ("a{ss}"));
  g_hash_table_iter_init (&iter, self->options);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (&options, "{ss}", key, value);

  dest = destination_settings (settings, self->id);
  g_settings_delay (dest);
  g_settings_set_string (dest, "name", self->name);
  g_settings_set_string (dest, "backend", self->backend->id);
  g_settings_set_value (dest, "options", g_variant_builder_end (&options));
  g_settings_apply (dest);

  if (!listed)
    {
      g_strv_builder_add (ids, self->id);
      strv = g_strv_builder_end (ids);
      g_settings_set_strv (settings, "destinations", (const char *const *) strv);
      if (list->len == 0)
        sendoff_destination_set_default (settings, self);
    }
  self->saved = TRUE;

  return TRUE;
}

void
sendoff_destination_forget (SendoffDestination *self,
                            GSettings          *settings)
{
  g_autoptr(GSettings) dest = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) kept = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (SENDOFF_IS_DESTINATION (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  ids = g_settings_get_strv (settings, "destinations");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (!g_str_equal (ids[i], self->id))
        g_strv_builder_add (builder, ids[i]);
    }
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "destinations", (const char *const *) kept);

  dest = destination_settings (settings, self->id);
  g_object_get (dest, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (dest, keys[i]);

  {
    g_autofree char *default_id = g_settings_get_string (settings, "default-destination");

    if (g_str_equal (default_id, self->id))
      g_settings_set_string (settings, "default-destination", kept[0] ? kept[0] : "");
  }
  self->saved = FALSE;
}

static char *
dup_names_of_saved (GSettings *settings)
{
  g_autoptr(GPtrArray) list = sendoff_destination_list_saved (settings);
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    {
      SendoffDestination *dest = g_ptr_array_index (list, i);

      g_string_append_printf (names, "%s“%s”", names->len ? ", " : "", dest->name);
    }

  return g_string_free (names, FALSE);
}

SendoffDestination *
sendoff_destination_choose (GSettings   *settings,
                            const char  *to,
                            const char  *service_id,
                            GError     **error)
{
  g_autoptr(SendoffDestination) dest = NULL;

  if (to != NULL)
    {
      dest = settings ? sendoff_destination_find (settings, to) : NULL;
      if (dest == NULL)
        {
          g_autofree char *names = dup_names_of_saved (settings);

          if (*names != '\0')
            g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                         _("There is no destination called “%s” (there are: %s)"), to, names);
          else
            g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                         _("There is no destination called “%s”: none is set up yet"), to);
          return NULL;
        }
    }
  else if (service_id != NULL)
    {
      const SendoffBackendInfo *backend = sendoff_backend_lookup (service_id);

      if (backend == NULL)
        {
          g_autoptr(GString) known = g_string_new (NULL);
          const SendoffBackendInfo *const *list = sendoff_backend_list ();

          for (guint i = 0; list[i] != NULL; i++)
            g_string_append_printf (known, "%s%s", i ? ", " : "", list[i]->id);
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("Unknown service “%s” (known: %s)"), service_id, known->str);
          return NULL;
        }
      dest = sendoff_destination_new (backend, NULL);
    }
  else if (g_getenv ("SENDOFF_SERVICE") != NULL && *g_getenv ("SENDOFF_SERVICE") != '\0')
    {
      /* A destination made of the environment alone (containers, scripts,
       * `build-aux/dev run --s3`): the backend's options read their variables. */
      return sendoff_destination_choose (settings, NULL, g_getenv ("SENDOFF_SERVICE"), error);
    }
  else if (settings != NULL && (dest = sendoff_destination_get_default (settings)) != NULL)
    ;
  else if (g_getenv ("SENDOFF_API_URL") != NULL && *g_getenv ("SENDOFF_API_URL") != '\0')
    dest = sendoff_destination_new (sendoff_backend_lookup (SENDOFF_LEGACY_BACKEND), NULL);
  else
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           _("No destination is set up yet: add one first"));
      return NULL;
    }

  if (!sendoff_destination_apply_environment (dest, error))
    return NULL;

  return g_steal_pointer (&dest);
}

/* ---- migration -------------------------------------------------------- */

typedef struct {
  GSettings          *settings;
  SendoffDestination *dest;
  char               *legacy_url;
  guint               next_secret;
} Migration;

static void
migration_free (Migration *m)
{
  g_clear_object (&m->settings);
  g_clear_object (&m->dest);
  g_free (m->legacy_url);
  g_free (m);
}

static void migrate_next_secret (GTask *task);

static void
on_secret_copied (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sendoff_credentials_store_finish (result, &error))
    g_warning ("Could not move a stored key to its destination: %s", error->message);
  migrate_next_secret (g_steal_pointer (&task));
}

static void
on_legacy_secret (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Migration *m = g_task_get_task_data (task);
  const SendoffSecretSpec *spec = &m->dest->backend->secrets[m->next_secret - 1];
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = sendoff_credentials_lookup_finish (result, &error);

  if (secret == NULL)
    {
      if (error != NULL)
        g_warning ("Could not read a stored key to move it: %s", error->message);
      migrate_next_secret (g_steal_pointer (&task));
      return;
    }

  /* The old item stays: an older Sendoff on the same account still finds it */
  sendoff_credentials_store_for_async (m->dest, spec->key, secret, cancellable,
                                       on_secret_copied, g_steal_pointer (&task));
  explicit_bzero (secret, strlen (secret));
}

static void
migrate_next_secret (GTask *task)
{
  Migration *m = g_task_get_task_data (task);
  const SendoffSecretSpec *spec = &m->dest->backend->secrets[m->next_secret];

  if (spec->key == NULL)
    {
      g_settings_set_boolean (m->settings, "legacy-migrated", TRUE);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  m->next_secret++;
  sendoff_credentials_lookup_async (m->dest->backend->id, m->legacy_url, spec->key,
                                    g_task_get_cancellable (task), on_legacy_secret, task);
}

void
sendoff_destination_migrate_async (GSettings           *settings,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSettings) legacy = NULL;
  g_autofree char *service = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) saved = NULL;
  const SendoffBackendInfo *backend;
  g_autoptr(GError) error = NULL;
  Migration *m;

  g_task_set_source_tag (task, sendoff_destination_migrate_async);

  if (settings == NULL || g_settings_get_boolean (settings, "legacy-migrated"))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  legacy = settings_for (settings, LEGACY_SCHEMA, "/io/github/sendoff/Sendoff/");
  service = g_settings_get_string (legacy, "service");
  url = g_settings_get_string (legacy, "api-url");
  backend = sendoff_backend_lookup (service);
  saved = g_settings_get_strv (settings, "destinations");

  /* Only a server the user chose: the old default was a retired service */
  if (backend == NULL || *url == '\0' || saved[0] != NULL)
    {
      g_settings_set_boolean (settings, "legacy-migrated", TRUE);
      g_task_return_boolean (task, TRUE);
      return;
    }

  m = g_new0 (Migration, 1);
  m->settings = g_object_ref (settings);
  m->legacy_url = g_strdup (url);
  m->dest = sendoff_destination_new (backend, NULL);
  g_task_set_task_data (task, m, (GDestroyNotify) migration_free);

  if (!sendoff_destination_set_option (m->dest, "api-url", url, &error))
    g_warning ("The stored server address could not be kept: %s", error->message);
  if (sendoff_backend_find_option (backend, "task-id") != NULL)
    {
      guint64 task_id = g_settings_get_uint64 (legacy, "wunderlist-task-id");
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, task_id);

      if (task_id > 0)
        sendoff_destination_set_option (m->dest, "task-id", text, NULL);
    }

  if (!sendoff_destination_save (m->dest, settings, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sendoff_destination_set_default (settings, m->dest);

  migrate_next_secret (g_steal_pointer (&task));
}

gboolean
sendoff_destination_migrate_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
