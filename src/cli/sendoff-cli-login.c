/* sendoff-cli-login.c — `sendoff-cli login` and `sendoff-cli logout`
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sendoff-cli-login.h"

#include "sendoff-cli-output.h"
#include "sendoff-credentials.h"
#include "sendoff-http.h"
#include "sendoff-service.h"
#include "sendoff-text.h"
#include "sendoff-types.h"

typedef struct {
  char *service;
  char *api_url;
} LoginOptions;

typedef char *SecretStrv;   /* a NULL-terminated array of secrets, wiped when freed */

static void
login_options_clear (LoginOptions *options)
{
  g_clear_pointer (&options->service, g_free);
  g_clear_pointer (&options->api_url, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LoginOptions, login_options_clear)

/* Parses the options and resolves the service and its checked base URL.
 * Returns the exit status to leave with, or -1 to carry on. */
static int
parse_options (int                        argc,
               char                     **argv,
               const char                *summary,
               LoginOptions              *options,
               const SendoffServiceInfo **info,
               char                     **api_url)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) services = g_string_new (NULL);
  const SendoffServiceInfo *const *list = sendoff_service_list ();
  GOptionEntry entries[] = {
    { "service", 's', 0, G_OPTION_ARG_STRING, &options->service,
      N_("The service the key is for"), N_("SERVICE") },
    { "api-url", 'u', 0, G_OPTION_ARG_STRING, &options->api_url,
      N_("The base URL of the service’s API"), N_("URL") },
    { NULL }
  };

  for (guint i = 0; list[i] != NULL; i++)
    g_string_append_printf (services, "%s  %s — %s\n", i == 0 ? "" : "\n",
                            list[i]->id, g_dgettext (GETTEXT_PACKAGE, list[i]->display_name));

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, services->str);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sendoff_cli_printerr (error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_autofree char *safe = sendoff_str_escape_terminal (argv[1]);
      g_printerr (_("sendoff-cli: Unexpected argument “%s”\n"), safe);
      return 2;
    }

  if (options->service == NULL)
    {
      g_autoptr(GSettings) settings = sendoff_settings_new_if_available ();

      options->service = settings ? g_settings_get_string (settings, "service") : NULL;
      if (options->service == NULL || *options->service == '\0')
        {
          g_free (options->service);
          options->service = g_strdup (SENDOFF_DEFAULT_SERVICE);
        }
    }

  *info = sendoff_service_lookup (options->service);
  if (*info == NULL)
    {
      g_autofree char *safe = sendoff_str_escape_terminal (options->service);
      g_printerr (_("sendoff-cli: Unknown service “%s”\n"), safe);
      return 2;
    }

  *api_url = sendoff_service_dup_api_url (*info, options->api_url);
  if (!sendoff_url_check (*api_url, _("The API base URL"), &error))
    {
      sendoff_cli_printerr (error->message);
      return 2;
    }

  return -1;
}

/* No echo on a terminal; restored on every way out, Ctrl+C included. */

static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved_actions[G_N_ELEMENTS (fatal_signals)];
static struct termios saved_termios;
static volatile sig_atomic_t echo_off;

static void
restore_echo (void)
{
  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      echo_off = 0;
    }
}

static void
on_fatal_signal (int signum)
{
  restore_echo ();
  signal (signum, SIG_DFL);
  raise (signum);
}

static void
set_echo (gboolean enable)
{
  if (!enable)
    {
      struct sigaction action = { .sa_handler = on_fatal_signal };
      struct termios quiet;

      if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
        return;
      quiet = saved_termios;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      sigemptyset (&action.sa_mask);
      for (guint i = 0; i < G_N_ELEMENTS (fatal_signals); i++)
        sigaction (fatal_signals[i], &action, &saved_actions[i]);
      if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0)
        echo_off = 1;
    }
  else if (echo_off)
    {
      restore_echo ();
      for (guint i = 0; i < G_N_ELEMENTS (fatal_signals); i++)
        sigaction (fatal_signals[i], &saved_actions[i], NULL);
    }
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  free (secret);
}

/* One line from standard input without its line end and surrounding
 * blanks, or NULL at the end of input. */
static char *
read_secret (const char *prompt)
{
  gboolean tty = isatty (STDIN_FILENO);
  char *line = NULL;
  size_t size = 0;
  ssize_t len;
  char *secret;

  /* Echo goes off before the prompt shows: TCSAFLUSH drops what was typed
   * ahead, and must not drop the answer. */
  if (tty)
    {
      set_echo (FALSE);
      fprintf (stderr, "%s: ", prompt);
      fflush (stderr);
    }
  len = getline (&line, &size, stdin);
  if (tty)
    set_echo (TRUE);

  if (len < 0)
    {
      wipe_free (line);
      return NULL;
    }

  secret = g_strdup (g_strstrip (line));
  explicit_bzero (line, size);
  free (line);
  return secret;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
wipe_strv (char **secrets)
{
  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    explicit_bzero (secrets[i], strlen (secrets[i]));
  g_strfreev (secrets);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretStrv, wipe_strv)

/* Reads every secret before storing any, so a short input stores nothing. */
static char **
read_secrets (const SendoffServiceInfo  *info,
              GError                   **error)
{
  g_autoptr(SecretStrv) secrets = g_new0 (char *, g_strv_length ((char **) info->secret_kinds) + 1);

  for (guint i = 0; info->secret_kinds[i] != NULL; i++)
    {
      const char *label = g_dgettext (GETTEXT_PACKAGE, info->secret_labels[i]);
      g_autofree char *prompt = g_strdup_printf ("%s %s",
                                                 g_dgettext (GETTEXT_PACKAGE, info->display_name),
                                                 label);

      secrets[i] = read_secret (prompt);
      if (secrets[i] == NULL || *secrets[i] == '\0')
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("No %s was given on standard input"), label);
          return NULL;
        }
    }

  return g_steal_pointer (&secrets);
}

static gboolean
store_secrets (const SendoffServiceInfo  *info,
               const char                *api_url,
               char                     **secrets,
               GError                   **error)
{
  for (guint i = 0; info->secret_kinds[i] != NULL; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      sendoff_credentials_store_async (info->id, api_url, info->secret_kinds[i], secrets[i],
                                       NULL, on_result, &result);
      if (!sendoff_credentials_store_finish (wait_for (&result), error))
        return FALSE;
    }
  return TRUE;
}

int
sendoff_cli_login (int    argc,
                   char **argv)
{
  g_auto(LoginOptions) options = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *api_url = NULL;
  g_autoptr(SecretStrv) secrets = NULL;
  const SendoffServiceInfo *info = NULL;
  int status;

  status = parse_options (argc, argv,
                          _("Stores the API key of a service in the system keyring. "
                            "The key is read from standard input."),
                          &options, &info, &api_url);
  if (status >= 0)
    return status;

  secrets = read_secrets (info, &error);
  if (secrets == NULL || !store_secrets (info, api_url, secrets, &error))
    {
      sendoff_cli_printerr (error->message);
      if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING))
        {
          g_autofree char *names = g_strjoinv (", ", (char **) info->secret_env);

          /* TRANSLATORS: %s lists environment variables, e.g. SENDOFF_API_KEY */
          g_printerr (_("Without a keyring, “sendoff-cli send” reads %s.\n"), names);
        }
      return 1;
    }

  /* TRANSLATORS: "Stored the key for WeTransfer (API v1) at https://…" */
  g_printerr (_("Stored the key for %s at %s in the keyring\n"),
              g_dgettext (GETTEXT_PACKAGE, info->display_name), api_url);
  return 0;
}

int
sendoff_cli_logout (int    argc,
                    char **argv)
{
  g_auto(LoginOptions) options = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *api_url = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  const SendoffServiceInfo *info = NULL;
  int status;

  status = parse_options (argc, argv, _("Removes the stored API key of a service from the "
                                        "system keyring."),
                          &options, &info, &api_url);
  if (status >= 0)
    return status;

  sendoff_credentials_lookup_all_async (info, api_url, FALSE, NULL, on_result, &found);
  stored = sendoff_credentials_lookup_all_finish (wait_for (&found), &error);
  if (stored == NULL)
    {
      sendoff_cli_printerr (error->message);
      return 1;
    }

  for (guint i = 0; info->secret_kinds[i] != NULL; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      sendoff_credentials_clear_async (info->id, api_url, info->secret_kinds[i],
                                       NULL, on_result, &result);
      if (!sendoff_credentials_clear_finish (wait_for (&result), &error))
        {
          sendoff_cli_printerr (error->message);
          return 1;
        }
    }

  if (g_hash_table_size (stored) == 0)
    g_printerr (_("No key was stored for %s at %s\n"),
                g_dgettext (GETTEXT_PACKAGE, info->display_name), api_url);
  else
    g_printerr (_("Removed the key for %s at %s from the keyring\n"),
                g_dgettext (GETTEXT_PACKAGE, info->display_name), api_url);
  return 0;
}
