/* sendoff-cli-status.c — `sendoff-cli status`
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "sendoff-cli-status.h"

#include "sendoff-cli-destination.h"
#include "sendoff-cli-login.h"
#include "sendoff-cli-output.h"
#include "sendoff-cli-send-extras.h"
#include "sendoff-credentials.h"
#include "sendoff-destination.h"
#include "sendoff-text.h"
#include "sendoff-types.h"

typedef struct {
  char  *to;
  char  *service;
  char **options;
  char  *api_url;
} StatusOptions;

static void
status_options_clear (StatusOptions *options)
{
  g_clear_pointer (&options->to, g_free);
  g_clear_pointer (&options->service, g_free);
  g_clear_pointer (&options->options, g_strfreev);
  g_clear_pointer (&options->api_url, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StatusOptions, status_options_clear)

static const char *
how_chosen (SendoffDestination  *destination,
            const StatusOptions *options)
{
  if (options->to != NULL)
    return _("saved, chosen with --to");
  if (options->service != NULL)
    return _("not saved, set up with --service");
  if (sendoff_destination_is_saved (destination))
    return _("saved, the default destination");
  return _("not saved, set up with --api-url or $SENDOFF_API_URL");
}

static void
print_destination (SendoffDestination  *destination,
                   const StatusOptions *options)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);
  g_autofree char *name = sendoff_str_escape_terminal (sendoff_destination_get_name (destination));

  printf (_("Destination: %s (%s)\n"), name, how_chosen (destination, options));
  printf (_("Backend: %s (%s)\n"), backend->id,
          g_dgettext (GETTEXT_PACKAGE, backend->display_name));
  for (const SendoffOptionSpec *spec = backend->options; spec && spec->key; spec++)
    {
      const char *value = sendoff_destination_get_option (destination, spec->key);
      g_autofree char *source = sendoff_cli_dup_option_source (destination, spec, options->options,
                                                               options->api_url);
      g_autofree char *safe = sendoff_str_escape_terminal (value);

      if (value == NULL && spec->optional)
        /* TRANSLATORS: an option's label and key */
        printf (_("%s (%s): not set\n"), g_dgettext (GETTEXT_PACKAGE, spec->label), spec->key);
      else if (value == NULL)
        /* TRANSLATORS: an option's label and key, then the key again */
        printf (_("%s (%s): not set, and sending needs it (-o %s=…)\n"),
                g_dgettext (GETTEXT_PACKAGE, spec->label), spec->key, spec->key);
      else
        /* TRANSLATORS: an option's label and key, its value, where the value came from */
        printf (_("%s (%s): %s (from %s)\n"), g_dgettext (GETTEXT_PACKAGE, spec->label),
                spec->key, safe, source);
    }
}

/* Where each secret would come from: the environment, else the keyring.
 * TRUE when one would come from nowhere. */
static gboolean
print_secrets (SendoffDestination *destination)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  gboolean missing = FALSE;

  /* The keyring is asked once, and only when the environment is not enough */
  for (const SendoffSecretSpec *spec = backend->secrets; spec && spec->key; spec++)
    {
      const char *env = spec->env ? g_getenv (spec->env) : NULL;

      if ((env == NULL || *env == '\0') && result == NULL)
        {
          sendoff_credentials_lookup_all_async (destination, FALSE, NULL, sendoff_cli_on_result,
                                                &result);
          stored = sendoff_credentials_lookup_all_finish (sendoff_cli_wait_for (&result), &error);
        }
    }

  for (const SendoffSecretSpec *spec = backend->secrets; spec && spec->key; spec++)
    {
      const char *env = spec->env ? g_getenv (spec->env) : NULL;
      g_autofree char *source = NULL;
      g_autofree char *safe = NULL;

      if (env != NULL && *env != '\0')
        /* TRANSLATORS: where a secret comes from: "from the environment ($SENDOFF_API_KEY)" */
        source = g_strdup_printf (_("from the environment ($%s)"), spec->env);
      else if (stored != NULL && g_hash_table_contains (stored, spec->key))
        source = g_strdup (_("from the keyring"));
      else
        {
          missing = TRUE;
          if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING))
            source = g_strdup_printf (_("none (the keyring cannot be reached: %s)"),
                                      error->message);
          else if (error != NULL)
            source = g_strdup_printf (_("none (%s)"), error->message);
          else
            source = g_strdup_printf (_("none (use “sendoff-cli login”, or set $%s)"), spec->env);
        }

      safe = sendoff_str_escape_terminal (source);
      /* TRANSLATORS: "API Key: from the keyring" */
      printf (_("%s: %s\n"), g_dgettext (GETTEXT_PACKAGE, spec->label), safe);
    }

  return missing;
}

int
sendoff_cli_status (int    argc,
                    char **argv)
{
  g_auto(StatusOptions) options = { NULL, };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "to", 't', 0, G_OPTION_ARG_STRING, &options.to,
      N_("The saved destination to describe (else the one “send” uses)"), N_("NAME") },
    { "service", 's', 0, G_OPTION_ARG_STRING, &options.service,
      N_("A backend set up with -o instead of a saved destination"), N_("ID") },
    { "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &options.options,
      N_("An option of the backend"), N_("KEY=VALUE") },
    { "api-url", 'u', 0, G_OPTION_ARG_STRING, &options.api_url,
      N_("The same as -o api-url=URL"), N_("URL") },
    { NULL }
  };

  g_option_context_set_summary (context,
    _("Shows the destination “sendoff-cli send” would use: its backend, its options and "
      "where they come from, and where each of its secrets would come from. Never shows "
      "a secret."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sendoff_cli_printerr (error->message);
      return 2;
    }
  if (argc > 1)
    {
      sendoff_cli_printerr (_("status takes no arguments"));
      return 2;
    }

  settings = sendoff_settings_new_if_available ();
  sendoff_cli_migrate_settings (settings);
  destination = sendoff_cli_choose_destination (settings, options.to, options.service,
                                                options.options, options.api_url, FALSE, &error);
  if (destination == NULL)
    {
      sendoff_cli_printerr (error->message);
      return 2;
    }

  print_destination (destination, &options);
  if (print_secrets (destination))
    {
      g_autofree char *hint = sendoff_cli_dup_secret_hint (destination);
      g_autofree char *safe = sendoff_str_escape_terminal (hint);

      printf ("%s\n", safe);
    }

  if (!sendoff_cli_check_result_written (NULL))
    return 1;
  return 0;
}
