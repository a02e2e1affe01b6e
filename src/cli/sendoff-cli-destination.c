/* sendoff-cli-destination.c — `sendoff-cli destination`, and choosing one
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sendoff-cli-destination.h"
#include "sendoff-cli-login.h"
#include "sendoff-cli-output.h"
#include "sendoff-credentials.h"
#include "sendoff-provider.h"
#include "sendoff-text.h"
#include "sendoff-types.h"

void
sendoff_cli_migrate_settings (GSettings *settings)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (settings == NULL)
    return;

  sendoff_destination_migrate_async (settings, NULL, sendoff_cli_on_result, &result);
  if (!sendoff_destination_migrate_finish (sendoff_cli_wait_for (&result), &error))
    sendoff_cli_printerr (error->message);
}

gboolean
sendoff_cli_apply_options (SendoffDestination  *destination,
                           char               **assignments,
                           const char          *api_url,
                           GError             **error)
{
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    {
      if (!sendoff_destination_parse_option (destination, assignments[i], error))
        return FALSE;
    }

  if (api_url == NULL)
    return TRUE;

  if (sendoff_backend_find_option (sendoff_destination_get_backend (destination), "api-url") == NULL)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("--api-url is not an option of %s"),
                   sendoff_destination_get_name (destination));
      return FALSE;
    }
  if (*api_url == '\0')
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           _("--api-url is empty"));
      return FALSE;
    }

  return sendoff_destination_set_option (destination, "api-url", api_url, error);
}

SendoffDestination *
sendoff_cli_choose_destination (GSettings   *settings,
                                const char  *to,
                                const char  *service,
                                char       **assignments,
                                const char  *api_url,
                                gboolean     complete,
                                GError     **error)
{
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(SendoffDestination) fallback = NULL;

  if (to != NULL && service != NULL)
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           _("--to and --service cannot be used together"));
      return NULL;
    }

  /* Options without a service and nothing saved: what they always meant
   * before destinations existed ("--api-url URL") */
  if (to == NULL && service == NULL && (api_url != NULL || assignments != NULL) &&
      (fallback = sendoff_destination_get_default (settings)) == NULL)
    service = SENDOFF_LEGACY_BACKEND;

  destination = sendoff_destination_choose (settings, to, service, error);
  if (destination == NULL ||
      !sendoff_cli_apply_options (destination, assignments, api_url, error) ||
      (complete && !sendoff_destination_check_options (destination, error)))
    return NULL;

  return g_steal_pointer (&destination);
}

char *
sendoff_cli_dup_option_source (SendoffDestination       *destination,
                               const SendoffOptionSpec  *spec,
                               char                    **assignments,
                               const char               *api_url)
{
  const char *value = sendoff_destination_get_option (destination, spec->key);
  const char *env = spec->env ? g_getenv (spec->env) : NULL;
  g_autofree char *prefix = g_strconcat (spec->key, "=", NULL);

  if (value == NULL)
    return NULL;
  /* The order sendoff_cli_choose_destination() applies them in, last first */
  if (api_url != NULL && g_str_equal (spec->key, "api-url"))
    return g_strdup ("--api-url");
  for (guint i = assignments ? g_strv_length (assignments) : 0; i > 0; i--)
    if (g_str_has_prefix (assignments[i - 1], prefix))
      return g_strdup ("-o");
  if (env != NULL && *env != '\0')
    return g_strconcat ("$", spec->env, NULL);
  if (sendoff_destination_is_saved (destination) &&
      g_strcmp0 (value, spec->default_value) != 0)
    /* TRANSLATORS: where an option's value comes from */
    return g_strdup (_("the saved destination"));
  /* TRANSLATORS: where an option's value comes from: the backend's default */
  return g_strdup (_("the default"));
}

/* ---- the subcommands -------------------------------------------------- */

static GSettings *
settings_or_error (void)
{
  GSettings *settings = sendoff_settings_new_if_available ();

  if (settings == NULL)
    g_printerr (_("sendoff-cli: Saved destinations need Sendoff’s settings schema (%s); "
                  "install Sendoff, or use --service and -o instead\n"), SCHEMA_ID);
  else
    sendoff_cli_migrate_settings (settings);

  return settings;
}

static SendoffDestination *
find_or_error (GSettings  *settings,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  SendoffDestination *destination = sendoff_destination_choose (settings, name, NULL, &error);

  if (destination == NULL)
    sendoff_cli_printerr (error->message);
  return destination;
}

static const char *
summary_option (SendoffDestination *destination)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);

  /* The first option says best where files go: the server or the bucket */
  for (const SendoffOptionSpec *spec = backend->options; spec && spec->key; spec++)
    {
      const char *value = sendoff_destination_get_option (destination, spec->key);

      if (value != NULL)
        return value;
    }
  return "";
}

static int
cmd_list (GSettings *settings,
          gboolean   json,
          gboolean   names)
{
  g_autoptr(GPtrArray) list = sendoff_destination_list_saved (settings);
  g_autoptr(SendoffDestination) fallback = sendoff_destination_get_default (settings);
  const char *default_id = fallback ? sendoff_destination_get_id (fallback) : "";

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        {
          SendoffDestination *dest = g_ptr_array_index (list, i);
          const SendoffBackendInfo *backend = sendoff_destination_get_backend (dest);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, sendoff_destination_get_id (dest));
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, sendoff_destination_get_name (dest));
          json_builder_set_member_name (builder, "service");
          json_builder_add_string_value (builder, backend->id);
          json_builder_set_member_name (builder, "default");
          json_builder_add_boolean_value (builder,
                                          g_str_equal (default_id, sendoff_destination_get_id (dest)));
          json_builder_set_member_name (builder, "options");
          json_builder_begin_object (builder);
          for (const SendoffOptionSpec *spec = backend->options; spec && spec->key; spec++)
            {
              const char *value = sendoff_destination_get_option (dest, spec->key);

              if (value == NULL)
                continue;
              json_builder_set_member_name (builder, spec->key);
              json_builder_add_string_value (builder, value);
            }
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
      return 0;
    }

  /* Names are the user's and options may be anything: both are escaped */
  for (guint i = 0; i < list->len; i++)
    {
      SendoffDestination *dest = g_ptr_array_index (list, i);
      g_autofree char *name = sendoff_str_escape_terminal (sendoff_destination_get_name (dest));
      g_autofree char *summary = sendoff_str_escape_terminal (summary_option (dest));

      if (names)
        g_print ("%s\n", name);
      else
        g_print ("%s %-20s  %-14s  %s\n",
                 g_str_equal (default_id, sendoff_destination_get_id (dest)) ? "*" : " ",
                 name, sendoff_destination_get_backend (dest)->id, summary);
    }
  if (list->len == 0 && !names)
    g_printerr (_("No destination is set up yet. Add one with "
                  "“sendoff-cli destination add NAME --service ID -o KEY=VALUE…”.\n"));

  return 0;
}

static char *
describe_backends (void)
{
  const SendoffBackendInfo *const *list = sendoff_backend_list ();
  GString *text = g_string_new (_("Services and their options:\n"));

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_string_append_printf (text, "\n  %s — %s\n", list[i]->id,
                              g_dgettext (GETTEXT_PACKAGE, list[i]->display_name));
      for (const SendoffOptionSpec *spec = list[i]->options; spec && spec->key; spec++)
        {
          g_string_append_printf (text, "    -o %s=%s  %s", spec->key,
                                  spec->placeholder ? spec->placeholder : "…",
                                  g_dgettext (GETTEXT_PACKAGE, spec->label));
          if (spec->default_value != NULL)
            g_string_append_printf (text, _(" (default %s)"), spec->default_value);
          else if (spec->optional)
            g_string_append (text, _(" (optional)"));
          if (spec->env != NULL)
            g_string_append_printf (text, " [$%s]", spec->env);
          g_string_append_c (text, '\n');
        }
      for (const SendoffSecretSpec *spec = list[i]->secrets; spec && spec->key; spec++)
        g_string_append_printf (text, _("    secret: %s [$%s]\n"),
                                g_dgettext (GETTEXT_PACKAGE, spec->label), spec->env);
    }

  return g_string_free (text, FALSE);
}

static int
cmd_add (GSettings *settings,
         int        argc,
         char     **argv)
{
  g_autofree char *service = NULL;
  g_auto(GStrv) options = NULL;
  gboolean make_default = FALSE;
  GOptionEntry entries[] = {
    { "service", 's', 0, G_OPTION_ARG_STRING, &service,
      N_("The service files are sent through"), N_("ID") },
    { "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &options,
      N_("An option of the service (repeat for each)"), N_("KEY=VALUE") },
    { "default", 0, 0, G_OPTION_ARG_NONE, &make_default,
      N_("Make it the default destination"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autofree char *description = describe_backends ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(SendoffDestination) existing = NULL;
  g_autofree char *name = NULL;
  char **secrets = NULL;
  const SendoffBackendInfo *backend;

  g_option_context_set_summary (context,
    _("Saves a destination: a service and its options under a name. Its secrets are read "
      "from their environment variables, else asked for (not shown as you type), and "
      "stored in the keyring."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sendoff_cli_printerr (error->message);
      return 2;
    }
  if (argc != 2 || *g_strstrip (argv[1]) == '\0')
    {
      g_printerr ("sendoff-cli: %s\n", _("Give the new destination’s name"));
      return 2;
    }
  if (service == NULL || (backend = sendoff_backend_lookup (service)) == NULL)
    {
      /* sendoff_destination_choose() words the unknown-service error */
      if (service == NULL)
        g_printerr ("sendoff-cli: %s\n", _("Give the service with --service ID"));
      else
        {
          sendoff_destination_choose (NULL, NULL, service, &error);
          sendoff_cli_printerr (error->message);
        }
      return 2;
    }
  if ((existing = sendoff_destination_find (settings, argv[1])) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is already a destination called “%s”"),
                                                  argv[1]);

      sendoff_cli_printerr (message);
      return 2;
    }

  destination = sendoff_destination_new (backend, argv[1]);
  if (!sendoff_cli_apply_options (destination, options, NULL, &error) ||
      !sendoff_destination_check_options (destination, &error))
    {
      sendoff_cli_printerr (error->message);
      return 2;
    }

  secrets = sendoff_cli_read_secrets (destination, TRUE, &error);
  if (secrets == NULL)
    {
      sendoff_cli_printerr (error->message);
      return 2;
    }

  /* Saved first so the keyring items are filed under its id; taken back
   * when the keyring refuses, so nothing is left half-made. */
  if (!sendoff_destination_save (destination, settings, &error) ||
      !sendoff_cli_store_secrets (destination, secrets, &error))
    {
      sendoff_cli_wipe_secrets (secrets);
      if (sendoff_destination_is_saved (destination))
        sendoff_destination_forget (destination, settings);
      sendoff_cli_printerr (error->message);
      return g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT) ? 2 : 1;
    }
  sendoff_cli_wipe_secrets (secrets);

  if (make_default)
    sendoff_destination_set_default (settings, destination);

  name = sendoff_str_escape_terminal (sendoff_destination_get_name (destination));
  g_printerr (_("Added the destination “%s”\n"), name);
  return 0;
}

static int
cmd_remove (GSettings  *settings,
            const char *name)
{
  g_autoptr(SendoffDestination) destination = find_or_error (settings, name);
  g_autoptr(GError) error = NULL;
  g_autofree char *safe = NULL;
  gboolean had_any;

  if (destination == NULL)
    return 2;

  /* The settings go even when the keyring cannot be reached: say so */
  if (!sendoff_cli_clear_secrets (destination, &had_any, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The keys of “%s” could not be removed: %s"),
                                                  name, error->message);

      sendoff_cli_printerr (message);
    }
  sendoff_destination_forget (destination, settings);

  safe = sendoff_str_escape_terminal (sendoff_destination_get_name (destination));
  g_printerr (_("Removed the destination “%s”\n"), safe);
  return error != NULL ? 1 : 0;
}

static int
cmd_default (GSettings  *settings,
             const char *name)
{
  g_autoptr(SendoffDestination) destination = find_or_error (settings, name);
  g_autofree char *safe = NULL;

  if (destination == NULL)
    return 2;

  sendoff_destination_set_default (settings, destination);
  safe = sendoff_str_escape_terminal (sendoff_destination_get_name (destination));
  g_printerr (_("Files are now sent to “%s” unless you choose another destination\n"), safe);
  return 0;
}

static int
cmd_check (GSettings  *settings,
           const char *name)
{
  g_autoptr(SendoffDestination) destination = find_or_error (settings, name);
  g_autoptr(SendoffUploader) uploader = NULL;
  g_autoptr(GAsyncResult) made = NULL;
  g_autoptr(GAsyncResult) checked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *safe = NULL;
  SendoffProvider *provider;

  if (destination == NULL)
    return 2;
  safe = sendoff_str_escape_terminal (sendoff_destination_get_name (destination));

  sendoff_destination_new_uploader_async (destination, TRUE, NULL, sendoff_cli_on_result, &made);
  uploader = sendoff_destination_new_uploader_finish (destination, sendoff_cli_wait_for (&made),
                                                      &error);
  if (uploader == NULL)
    {
      g_autofree char *hint = NULL;
      g_autofree char *message = NULL;

      if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS))
        hint = sendoff_cli_dup_secret_hint (destination);
      message = g_strdup_printf ("%s%s%s", error->message, hint ? " " : "", hint ? hint : "");
      sendoff_cli_printerr (message);
      return g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT) ? 2 : 3;
    }

  provider = sendoff_uploader_get_provider (uploader);
  sendoff_provider_check_async (provider, NULL, sendoff_cli_on_result, &checked);
  if (!sendoff_provider_check_finish (provider, sendoff_cli_wait_for (&checked), &error))
    {
      g_autofree char *why = sendoff_str_escape_terminal (error->message);

      /* TRANSLATORS: a destination, then what went wrong */
      g_printerr (_("“%s” does not work: %s\n"), safe, why);
      return g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH) ? 3 : 1;
    }

  g_print (_("“%s” works: the server accepted the credentials.\n"), safe);
  return 0;
}

static void
print_destination_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  sendoff-cli destination list [--json|--names]\n"
             "  sendoff-cli destination add NAME --service ID [-o KEY=VALUE]… [--default]\n"
             "  sendoff-cli destination remove NAME\n"
             "  sendoff-cli destination default NAME\n"
             "  sendoff-cli destination check NAME\n"
             "\n"
             "A destination is a service and its options saved under a name; its secrets "
             "are in the keyring.\n"
             "“sendoff-cli destination add --help” lists the services and their options.\n"));
}

int
sendoff_cli_destination (int    argc,
                         char **argv)
{
  g_autoptr(GSettings) settings = NULL;
  const char *command = argc > 1 ? argv[1] : NULL;

  if (command == NULL || g_str_equal (command, "--help") || g_str_equal (command, "-h"))
    {
      print_destination_usage (command ? stdout : stderr);
      return command ? 0 : 2;
    }

  /* "destination add --help" is GOption's; the others share the usage */
  if (!g_str_equal (command, "add") && argc > 2 &&
      (g_str_equal (argv[2], "--help") || g_str_equal (argv[2], "-h")))
    {
      print_destination_usage (stdout);
      return 0;
    }

  if (g_str_equal (command, "list"))
    {
      gboolean json = FALSE, names = FALSE;

      for (int i = 2; i < argc; i++)
        {
          if (g_str_equal (argv[i], "--json"))
            json = TRUE;
          else if (g_str_equal (argv[i], "--names"))
            names = TRUE;
          else
            {
              g_autofree char *safe = sendoff_str_escape_terminal (argv[i]);

              g_printerr (_("sendoff-cli: Unexpected argument “%s”\n"), safe);
              return 2;
            }
        }
      settings = sendoff_settings_new_if_available ();
      if (settings != NULL)
        sendoff_cli_migrate_settings (settings);
      return cmd_list (settings, json, names);
    }

  if ((settings = settings_or_error ()) == NULL)
    return 2;

  /* "Usage: sendoff-cli destination add [OPTION…] NAME" */
  if (g_str_equal (command, "add"))
    {
      g_set_prgname ("sendoff-cli destination add");
      return cmd_add (settings, argc - 1, argv + 1);
    }

  if (g_str_equal (command, "remove") || g_str_equal (command, "default") ||
      g_str_equal (command, "check"))
    {
      if (argc != 3)
        {
          g_printerr (_("sendoff-cli: “destination %s” takes one destination name\n"),
                      command);
          return 2;
        }
      if (g_str_equal (command, "remove"))
        return cmd_remove (settings, argv[2]);
      if (g_str_equal (command, "default"))
        return cmd_default (settings, argv[2]);
      return cmd_check (settings, argv[2]);
    }

  {
    g_autofree char *safe = sendoff_str_escape_terminal (command);

    g_printerr (_("sendoff-cli: Unknown destination command “%s”\n"), safe);
  }
  print_destination_usage (stderr);
  return 2;
}
