/* sendoff-credentials.c — service secrets in the system keyring
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "sendoff-credentials.h"
#include "sendoff-destination.h"
#include "sendoff-types.h"

static const SecretSchema sendoff_schema = {
  "io.github.sendoff.Sendoff", SECRET_SCHEMA_NONE,
  {
    { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "api-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "destination", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

const SecretSchema *
sendoff_credentials_get_schema (void)
{
  return &sendoff_schema;
}

static char *
strip_trailing_slashes (const char *s)
{
  gsize len = strlen (s);

  while (len > 0 && s[len - 1] == '/')
    len--;

  return g_strndup (s, len);
}

char *
sendoff_credentials_normalize_url (const char *api_url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  int port;

  g_return_val_if_fail (api_url != NULL, NULL);

  stripped = g_strstrip (g_strdup (api_url));
  uri = g_uri_parse (stripped, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return strip_trailing_slashes (stripped);

  /* Userinfo, query and fragment never reach the keyring: they say nothing
   * about which service the key is for, and userinfo may hold a password. */
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  path = strip_trailing_slashes (g_uri_get_path (uri));
  port = g_uri_get_port (uri);
  if ((port == 80 && g_str_equal (scheme, "http")) ||
      (port == 443 && g_str_equal (scheme, "https")))
    port = -1;

  if (port > 0)
    return g_strdup_printf ("%s://%s%s%s:%d%s", scheme,
                            strchr (host, ':') ? "[" : "", host,
                            strchr (host, ':') ? "]" : "", port, path);
  return g_strdup_printf ("%s://%s%s%s%s", scheme,
                          strchr (host, ':') ? "[" : "", host,
                          strchr (host, ':') ? "]" : "", path);
}

static const char *
effective_kind (const char *kind)
{
  return (kind != NULL && *kind != '\0') ? kind : SENDOFF_CREDENTIALS_KIND_API_KEY;
}

/* A saved destination's secrets are filed by its id; others by the
 * service and its normalised URL, as before destinations existed. */
static GHashTable *
attributes_new (const char *service,
                const char *api_url,
                const char *destination,
                const char *kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "service", g_strdup (service));
  if (destination != NULL)
    g_hash_table_insert (attributes, (gpointer) "destination", g_strdup (destination));
  else
    g_hash_table_insert (attributes, (gpointer) "api-url",
                         sendoff_credentials_normalize_url (api_url));
  g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (effective_kind (kind)));

  return attributes;
}

static char *
item_label (const char *service,
            const char *api_url,
            const char *destination_name,
            const char *kind)
{
  const SendoffBackendInfo *info = sendoff_backend_lookup (service);
  g_autofree char *where = destination_name ? g_strdup (destination_name)
                                            : sendoff_credentials_normalize_url (api_url);
  const char *service_name = service;
  const char *secret_name = effective_kind (kind);

  if (info != NULL)
    {
      service_name = g_dgettext (GETTEXT_PACKAGE, info->display_name);
      for (const SendoffSecretSpec *spec = info->secrets; spec && spec->key; spec++)
        {
          if (g_strcmp0 (spec->key, effective_kind (kind)) == 0)
            secret_name = g_dgettext (GETTEXT_PACKAGE, spec->label);
        }
    }

  /* TRANSLATORS: the name of a keyring item, e.g. "Sendoff: WeTransfer-
   * Compatible Server API Key for My server" */
  return g_strdup_printf (_("Sendoff: %s %s for %s"), service_name, secret_name, where);
}

/* Every failure to reach or open the keyring becomes SENDOFF_ERROR_KEYRING
 * with a sentence a user can act on; the D-Bus detail goes to the debug log
 * only (it never holds the secret). Our own cancellation stays as it is. */
static GError *
keyring_error_new (const GError *error,
                   GCancellable *cancellable)
{
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    return g_error_copy (error);

  if (error != NULL)
    g_debug ("Keyring error: %s (%s %d)", error->message,
             g_quark_to_string (error->domain), error->code);

  if (error != NULL &&
      (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
       g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED)))
    return g_error_new_literal (SENDOFF_ERROR, SENDOFF_ERROR_KEYRING,
                                _("The system keyring is locked and could not be unlocked"));

  if (error == NULL)
    return g_error_new_literal (SENDOFF_ERROR, SENDOFF_ERROR_KEYRING,
                                _("The system keyring is locked and could not be unlocked"));

  return g_error_new_literal (SENDOFF_ERROR, SENDOFF_ERROR_KEYRING,
                              _("The system keyring is not available: no Secret Service "
                                "(such as GNOME Keyring) is running"));
}

static gboolean
check_args (const char *service,
            const char *api_url,
            const char *destination,
            GError    **error)
{
  if (service == NULL || *service == '\0')
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           _("No service was given for the key"));
      return FALSE;
    }
  if (destination == NULL && (api_url == NULL || *api_url == '\0'))
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           _("No API base URL was given for the key"));
      return FALSE;
    }
  return TRUE;
}

/* Inside Flatpak (or a Snap) libsecret 0.20 keeps secrets in its file
 * backend behind the Secret portal, and SECRET_BACKEND=file chooses it
 * too; only the Secret Service has collections that can be locked. The
 * plain secret_password_*() calls work with either backend. */
static gboolean
uses_secret_service (void)
{
  const char *backend = g_getenv ("SECRET_BACKEND");

  if (backend != NULL && *backend != '\0')
    return g_str_equal (backend, "service");

  return !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) && g_getenv ("SNAP_NAME") == NULL;
}

/* store */

typedef struct {
  GHashTable    *attributes;
  char          *label;
  char          *secret;
  SecretService *service;
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *store = data;

  g_clear_pointer (&store->attributes, g_hash_table_unref);
  g_free (store->label);
  if (store->secret != NULL)
    explicit_bzero (store->secret, strlen (store->secret));
  g_free (store->secret);
  g_clear_object (&store->service);
  g_free (store);
}

static void
on_store (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error_new (error, g_task_get_cancellable (task)));
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_now (GTask *task)
{
  StoreData *store = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  secret_password_storev (&sendoff_schema, store->attributes, SECRET_COLLECTION_DEFAULT,
                          store->label, store->secret, cancellable, on_store, task);
}

static void
on_store_unlock (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  int n_unlocked;

  n_unlocked = secret_service_unlock_finish (SECRET_SERVICE (source), result, NULL, &error);
  if (n_unlocked <= 0)
    g_task_return_error (task, keyring_error_new (error, g_task_get_cancellable (task)));
  else
    store_now (g_steal_pointer (&task));
}

/* A locked collection is unlocked first: storing into it directly makes
 * libsecret 0.20 return a NULL error when the unlock prompt fails. */
static void
on_store_collection (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  StoreData *store = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GList) list = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error_new (error, cancellable));
      return;
    }

  /* No default collection yet: libsecret creates it while storing. */
  if (collection == NULL || !secret_collection_get_locked (collection))
    {
      store_now (g_steal_pointer (&task));
      return;
    }

  list = g_list_append (NULL, collection);
  secret_service_unlock (store->service, list, cancellable, on_store_unlock,
                         g_steal_pointer (&task));
}

static void
on_store_service (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  StoreData *store = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  store->service = secret_service_get_finish (result, &error);
  if (store->service == NULL)
    {
      g_task_return_error (task, keyring_error_new (error, cancellable));
      return;
    }

  secret_collection_for_alias (store->service, SECRET_COLLECTION_DEFAULT,
                               SECRET_COLLECTION_NONE, cancellable,
                               on_store_collection, g_steal_pointer (&task));
}

static void
store_scoped_async (const char          *service,
                    const char          *api_url,
                    SendoffDestination  *destination,
                    const char          *kind,
                    const char          *secret,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *destination_id = NULL;
  StoreData *store;
  GError *error = NULL;

  g_return_if_fail (secret != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_credentials_store_async);

  if (destination != NULL)
    sendoff_destination_get_secret_scope (destination, &service, &api_url, &destination_id);

  if (!check_args (service, api_url, destination_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (*secret == '\0')
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("The key is empty"));
      return;
    }

  store = g_new0 (StoreData, 1);
  store->attributes = attributes_new (service, api_url, destination_id, kind);
  store->label = item_label (service, api_url,
                             destination_id ? sendoff_destination_get_name (destination) : NULL,
                             kind);
  store->secret = g_strdup (secret);
  g_task_set_task_data (task, store, store_data_free);

  if (uses_secret_service ())
    secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable,
                        on_store_service, g_steal_pointer (&task));
  else
    store_now (g_steal_pointer (&task));
}

void
sendoff_credentials_store_async (const char          *service,
                                 const char          *api_url,
                                 const char          *kind,
                                 const char          *secret,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  store_scoped_async (service, api_url, NULL, kind, secret, cancellable, callback, user_data);
}

void
sendoff_credentials_store_for_async (SendoffDestination  *destination,
                                     const char          *kind,
                                     const char          *secret,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (SENDOFF_IS_DESTINATION (destination));

  store_scoped_async (NULL, NULL, destination, kind, secret, cancellable, callback, user_data);
}

gboolean
sendoff_credentials_store_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sendoff_credentials_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* lookup */

/* Not secret_password_lookup(): it answers "nothing stored" when the
 * collection is locked and the unlock prompt fails, and the user would be
 * asked for a key that is in fact there. */
static void
on_lookup_search (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autolist(SecretItem) items = NULL;
  gboolean locked = FALSE;

  items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error_new (error, g_task_get_cancellable (task)));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);
      const char *text = value ? secret_value_get_text (value) : NULL;

      if (secret_item_get_locked (l->data))
        locked = TRUE;
      else if (text != NULL)
        {
          g_task_return_pointer (task, g_strdup (text), g_free);
          return;
        }
    }

  if (locked)
    g_task_return_error (task, keyring_error_new (NULL, NULL));
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
on_password_lookup (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error_new (error, g_task_get_cancellable (task)));
      return;
    }

  g_task_return_pointer (task, g_strdup (secret), g_free);
  if (secret != NULL)
    secret_password_free (secret);
}

static void
on_lookup_service (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  GHashTable *attributes = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_task_return_error (task, keyring_error_new (error, cancellable));
      return;
    }

  secret_service_search (service, &sendoff_schema, attributes,
                         SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         cancellable, on_lookup_search, g_steal_pointer (&task));
}

static void
lookup_scoped_async (const char          *service,
                     const char          *api_url,
                     const char          *destination_id,
                     const char          *kind,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GHashTable *attributes;
  GError *error = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_credentials_lookup_async);

  if (!check_args (service, api_url, destination_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  attributes = attributes_new (service, api_url, destination_id, kind);
  g_task_set_task_data (task, attributes, (GDestroyNotify) g_hash_table_unref);
  if (uses_secret_service ())
    secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable,
                        on_lookup_service, g_steal_pointer (&task));
  else
    secret_password_lookupv (&sendoff_schema, attributes, cancellable,
                             on_password_lookup, g_steal_pointer (&task));
}

void
sendoff_credentials_lookup_async (const char          *service,
                                  const char          *api_url,
                                  const char          *kind,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  lookup_scoped_async (service, api_url, NULL, kind, cancellable, callback, user_data);
}

char *
sendoff_credentials_lookup_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sendoff_credentials_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* clear */

static void
on_clear (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means nothing was stored. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, keyring_error_new (error, g_task_get_cancellable (task)));
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_scoped_async (const char          *service,
                    const char          *api_url,
                    const char          *destination_id,
                    const char          *kind,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GError *error = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_credentials_clear_async);

  if (!check_args (service, api_url, destination_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  attributes = attributes_new (service, api_url, destination_id, kind);
  secret_password_clearv (&sendoff_schema, attributes, cancellable,
                          on_clear, g_steal_pointer (&task));
}

void
sendoff_credentials_clear_async (const char          *service,
                                 const char          *api_url,
                                 const char          *kind,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  clear_scoped_async (service, api_url, NULL, kind, cancellable, callback, user_data);
}

void
sendoff_credentials_clear_for_async (SendoffDestination  *destination,
                                     const char          *kind,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  const char *service, *api_url, *destination_id;

  g_return_if_fail (SENDOFF_IS_DESTINATION (destination));

  sendoff_destination_get_secret_scope (destination, &service, &api_url, &destination_id);
  clear_scoped_async (service, api_url, destination_id, kind, cancellable, callback, user_data);
}

gboolean
sendoff_credentials_clear_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sendoff_credentials_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* lookup_all */

typedef struct {
  const SendoffBackendInfo *info;
  char                     *api_url;
  char                     *destination_id;
  gboolean                  use_env;
  guint                     index;
  GHashTable               *secrets;
  GError                   *keyring_error;
} LookupAll;

static void
lookup_all_free (gpointer data)
{
  LookupAll *state = data;

  g_free (state->api_url);
  g_free (state->destination_id);
  g_clear_pointer (&state->secrets, g_hash_table_unref);
  g_clear_error (&state->keyring_error);
  g_free (state);
}

static void
secret_wipe_free (gpointer data)
{
  char *secret = data;

  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void lookup_all_next (GTask *task);

static void
on_lookup_all_one (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupAll *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = sendoff_credentials_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (error != NULL && state->keyring_error == NULL)
    state->keyring_error = g_steal_pointer (&error);
  else if (secret != NULL)
    g_hash_table_insert (state->secrets,
                         g_strdup (state->info->secrets[state->index].key), secret);

  state->index++;
  lookup_all_next (g_steal_pointer (&task));
}

static void
lookup_all_next (GTask *task)
{
  LookupAll *state = g_task_get_task_data (task);
  const char *kind;

  g_assert (G_IS_TASK (task));

  for (; (kind = state->info->secrets[state->index].key) != NULL; state->index++)
    {
      const char *env_name = state->info->secrets[state->index].env;
      const char *value = env_name ? g_getenv (env_name) : NULL;

      if (state->use_env && value != NULL && *value != '\0')
        {
          g_hash_table_insert (state->secrets, g_strdup (kind), g_strdup (value));
          continue;
        }

      /* Once the keyring failed, asking it again would only repeat the
       * wait; the missing secret makes the error below. */
      if (state->keyring_error != NULL)
        continue;

      lookup_scoped_async (state->info->id, state->api_url, state->destination_id, kind,
                           g_task_get_cancellable (task), on_lookup_all_one, task);
      return;
    }

  if (state->keyring_error != NULL &&
      g_hash_table_size (state->secrets) < sendoff_backend_count_secrets (state->info))
    g_task_return_error (task, g_steal_pointer (&state->keyring_error));
  else
    g_task_return_pointer (task, g_steal_pointer (&state->secrets),
                           (GDestroyNotify) g_hash_table_unref);
  g_object_unref (task);
}

void
sendoff_credentials_lookup_all_async (SendoffDestination  *destination,
                                      gboolean             use_env,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  LookupAll *state;
  const char *service, *api_url, *destination_id;

  g_return_if_fail (SENDOFF_IS_DESTINATION (destination));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  sendoff_destination_get_secret_scope (destination, &service, &api_url, &destination_id);
  state = g_new0 (LookupAll, 1);
  state->info = sendoff_destination_get_backend (destination);
  state->api_url = g_strdup (api_url);
  state->destination_id = g_strdup (destination_id);
  state->use_env = use_env;
  state->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, secret_wipe_free);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_credentials_lookup_all_async);
  g_task_set_task_data (task, state, lookup_all_free);
  lookup_all_next (task);
}

GHashTable *
sendoff_credentials_lookup_all_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sendoff_credentials_lookup_all_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* has_all */

static void
on_has_all (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendoffDestination *destination = g_task_get_task_data (task);
  g_autoptr(GHashTable) secrets = NULL;
  GError *error = NULL;

  secrets = sendoff_credentials_lookup_all_finish (result, &error);
  if (secrets == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, g_hash_table_size (secrets) ==
                                 sendoff_backend_count_secrets (
                                   sendoff_destination_get_backend (destination)));
}

void
sendoff_credentials_has_all_async (SendoffDestination  *destination,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SENDOFF_IS_DESTINATION (destination));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_credentials_has_all_async);
  g_task_set_task_data (task, g_object_ref (destination), g_object_unref);
  sendoff_credentials_lookup_all_async (destination, FALSE, cancellable, on_has_all, task);
}

gboolean
sendoff_credentials_has_all_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sendoff_credentials_has_all_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
