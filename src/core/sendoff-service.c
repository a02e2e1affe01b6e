/* sendoff-service.c — the services Sendoff can send through, and how to reach them
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-service"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-http.h"
#include "sendoff-service.h"
#include "sendoff-wetransfer-v1.h"
#include "sendoff-wunderlist.h"

static const char *const wetransfer_kinds[] = { "api-key", NULL };
static const char *const wetransfer_env[] = { "SENDOFF_API_KEY", NULL };
static const char *const wetransfer_labels[] = { N_("API Key"), NULL };

static const SendoffServiceInfo wetransfer_v1 = {
  .id = "wetransfer-v1",
  .display_name = N_("WeTransfer (API v1)"),
  .default_api_url = "https://dev.wetransfer.com",
  .secret_kinds = wetransfer_kinds,
  .secret_env = wetransfer_env,
  .secret_labels = wetransfer_labels,
};

static const char *const wunderlist_kinds[] = { "access-token", "client-id", NULL };
static const char *const wunderlist_env[] = { "SENDOFF_ACCESS_TOKEN", "SENDOFF_CLIENT_ID", NULL };
static const char *const wunderlist_labels[] = { N_("Access Token"), N_("Client ID"), NULL };

/* The task the files go to is not a secret: callers set the provider's
 * "task-id" property (the CLI's --task-id, the "wunderlist-task-id" key). */
static const SendoffServiceInfo wunderlist = {
  .id = "wunderlist",
  .display_name = N_("Wunderlist"),
  .default_api_url = "https://a.wunderlist.com",
  .secret_kinds = wunderlist_kinds,
  .secret_env = wunderlist_env,
  .secret_labels = wunderlist_labels,
};

static const SendoffServiceInfo *const services[] = {
  &wetransfer_v1,
  &wunderlist,
  NULL
};

const SendoffServiceInfo *const *
sendoff_service_list (void)
{
  return services;
}

const SendoffServiceInfo *
sendoff_service_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; services[i] != NULL; i++)
    {
      if (g_str_equal (services[i]->id, id))
        return services[i];
    }

  return NULL;
}

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

static const char *
getenv_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

char *
sendoff_service_dup_api_url (const SendoffServiceInfo *info,
                             const char               *override)
{
  g_autoptr(GSettings) settings = NULL;
  const char *env;

  g_return_val_if_fail (info != NULL, NULL);

  if (override != NULL && *override != '\0')
    return g_strdup (override);

  if ((env = getenv_nonempty ("SENDOFF_API_URL")))
    return g_strdup (env);

  /* the stored URL belongs to the stored service */
  settings = sendoff_settings_new_if_available ();
  if (settings != NULL)
    {
      g_autofree char *service = g_settings_get_string (settings, "service");
      g_autofree char *url = g_settings_get_string (settings, "api-url");

      if (g_str_equal (service, info->id) && *url != '\0')
        return g_steal_pointer (&url);
    }

  return g_strdup (info->default_api_url);
}

SendoffProvider *
sendoff_service_create_provider (const SendoffServiceInfo  *info,
                                 const char                *api_url,
                                 GHashTable                *secrets,
                                 GError                   **error)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (api_url != NULL, NULL);

  if (!sendoff_url_check (api_url, _("The API base URL"), error))
    return NULL;

  for (guint i = 0; info->secret_kinds[i] != NULL; i++)
    {
      const char *secret = secrets ? g_hash_table_lookup (secrets, info->secret_kinds[i]) : NULL;

      if (secret == NULL || *secret == '\0')
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS,
                       _("No %s is stored for %s. Enter it in Preferences, or set %s."),
                       g_dgettext (GETTEXT_PACKAGE, info->secret_labels[i]),
                       g_dgettext (GETTEXT_PACKAGE, info->display_name),
                       info->secret_env[i]);
          return NULL;
        }
    }

  if (info == &wetransfer_v1)
    return SENDOFF_PROVIDER (sendoff_wetransfer_v1_new (api_url,
                                                        g_hash_table_lookup (secrets, "api-key")));
  if (info == &wunderlist)
    return SENDOFF_PROVIDER (sendoff_wunderlist_new (api_url,
                                                     g_hash_table_lookup (secrets, "access-token"),
                                                     g_hash_table_lookup (secrets, "client-id")));

  g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
               _("Unknown service “%s”"), info->id);
  return NULL;
}
