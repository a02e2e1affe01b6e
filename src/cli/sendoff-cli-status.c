/* sendoff-cli-status.c — `sendoff-cli status`
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sendoff-cli-status.h"

#include "sendoff-cli-output.h"
#include "sendoff-cli-send-extras.h"
#include "sendoff-credentials.h"
#include "sendoff-service.h"
#include "sendoff-text.h"

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static const char *
url_source (const SendoffServiceInfo *info,
            const char               *option,
            const char               *api_url)
{
  const char *env = g_getenv ("SENDOFF_API_URL");

  if (option != NULL)
    return _("--api-url");
  if (env != NULL && *env != '\0')
    return "$SENDOFF_API_URL";
  if (g_str_equal (api_url, info->default_api_url))
    return _("the service’s default");
  return _("the setting");
}

/* Where secret @i would come from: the environment, else the keyring */
static char *
secret_source (const SendoffServiceInfo *info,
               const char               *api_url,
               guint                     i)
{
  const char *env = g_getenv (info->secret_env[i]);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  if (env != NULL && *env != '\0')
    /* TRANSLATORS: where a secret comes from: "from the environment ($SENDOFF_API_KEY)" */
    return g_strdup_printf (_("from the environment ($%s)"), info->secret_env[i]);

  sendoff_credentials_lookup_async (info->id, api_url, info->secret_kinds[i], NULL,
                                    on_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  secret = sendoff_credentials_lookup_finish (result, &error);
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      return g_strdup (_("from the keyring"));
    }
  if (error != NULL)
    return g_strdup_printf (_("none (the keyring cannot be reached: %s)"), error->message);
  return g_strdup_printf (_("none (use “sendoff-cli login”, or set $%s)"), info->secret_env[i]);
}

int
sendoff_cli_status (int    argc,
                    char **argv)
{
  g_autofree char *service_id = NULL, *api_url_option = NULL, *api_url = NULL;
  g_autofree char *setting_service = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GSettings) settings = sendoff_settings_new_if_available ();
  g_autoptr(GError) error = NULL;
  const SendoffServiceInfo *info;
  const char *id;
  g_autofree char *safe_url = NULL;
  GOptionEntry entries[] = {
    { "service", 's', 0, G_OPTION_ARG_STRING, &service_id,
      N_("The service to describe (else the one “send” uses)"), N_("SERVICE") },
    { "api-url", 'u', 0, G_OPTION_ARG_STRING, &api_url_option,
      N_("The base URL of the service’s API"), N_("URL") },
    { NULL }
  };

  g_option_context_set_summary (context,
    _("Shows the service and API base URL “sendoff-cli send” would use, and where each "
      "of its secrets would come from. Never shows a secret."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sendoff_cli_printerr (error->message);
      return 2;
    }
  if (argc > 1 || (api_url_option != NULL && *api_url_option == '\0'))
    {
      sendoff_cli_printerr (argc > 1 ? _("status takes no arguments") : _("--api-url is empty"));
      return 2;
    }

  id = service_id;
  if (id == NULL && settings != NULL)
    id = setting_service = g_settings_get_string (settings, "service");
  if (id == NULL || *id == '\0')
    id = SENDOFF_DEFAULT_SERVICE;
  info = sendoff_service_lookup (id);
  if (info == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Unknown service “%s”"), id);
      sendoff_cli_printerr (message);
      return 2;
    }

  api_url = sendoff_service_dup_api_url (info, api_url_option);
  safe_url = sendoff_str_escape_terminal (api_url);
  printf (_("Service: %s (%s)\n"), info->id, g_dgettext (GETTEXT_PACKAGE, info->display_name));
  printf (_("API URL: %s (from %s)\n"), safe_url, url_source (info, api_url_option, api_url));
  for (guint i = 0; info->secret_kinds[i] != NULL; i++)
    {
      g_autofree char *source = secret_source (info, api_url, i);
      g_autofree char *safe = sendoff_str_escape_terminal (source);

      /* TRANSLATORS: "API Key: from the keyring" */
      printf (_("%s: %s\n"), g_dgettext (GETTEXT_PACKAGE, info->secret_labels[i]), safe);
    }

  if (!sendoff_cli_check_result_written (NULL))
    return 1;
  return 0;
}
