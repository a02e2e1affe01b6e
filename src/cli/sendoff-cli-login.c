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

#include "sendoff-cli-destination.h"
#include "sendoff-cli-login.h"

#include "sendoff-cli-output.h"
#include "sendoff-credentials.h"
#include "sendoff-http.h"
#include "sendoff-text.h"
#include "sendoff-provider.h"
#include "sendoff-types.h"

typedef struct {
  char  *to;
  char  *service;
  char  *api_url;
  char **options;
} LoginOptions;

typedef char *SecretStrv;   /* a NULL-terminated array of secrets, wiped when freed */

static void
login_options_clear (LoginOptions *options)
{
  g_clear_pointer (&options->to, g_free);
  g_clear_pointer (&options->service, g_free);
  g_clear_pointer (&options->api_url, g_free);
  g_clear_pointer (&options->options, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LoginOptions, login_options_clear)

SendoffDestination *
sendoff_cli_parse_destination_options (int          *argc,
                                       char       ***argv,
                                       const char   *summary,
                                       int          *status)
{
  g_auto(LoginOptions) options = { NULL, };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) services = g_string_new (_("Services:\n"));
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SendoffDestination) destination = NULL;
  const SendoffBackendInfo *const *list = sendoff_backend_list ();
  GOptionEntry entries[] = {
    { "to", 't', 0, G_OPTION_ARG_STRING, &options.to,
      N_("The saved destination (else the default one)"), N_("NAME") },
    { "service", 's', 0, G_OPTION_ARG_STRING, &options.service,
      N_("A service set up with -o instead of a saved destination"), N_("SERVICE") },
    { "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &options.options,
      N_("An option of the service"), N_("KEY=VALUE") },
    { "api-url", 'u', 0, G_OPTION_ARG_STRING, &options.api_url,
      N_("The same as -o api-url=URL"), N_("URL") },
    { NULL }
  };

  for (guint i = 0; list[i] != NULL; i++)
    g_string_append_printf (services, "  %s — %s\n",
                            list[i]->id, g_dgettext (GETTEXT_PACKAGE, list[i]->display_name));

  *status = 2;
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, services->str);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      sendoff_cli_printerr (error->message);
      return NULL;
    }
  if (*argc > 1)
    {
      g_autofree char *safe = sendoff_str_escape_terminal ((*argv)[1]);

      g_printerr (_("sendoff-cli: Unexpected argument “%s”\n"), safe);
      return NULL;
    }
  settings = sendoff_settings_new_if_available ();
  sendoff_cli_migrate_settings (settings);

  destination = sendoff_cli_choose_destination (settings, options.to, options.service,
                                                options.options, options.api_url, FALSE, &error);
  if (destination == NULL)
    {
      sendoff_cli_printerr (error->message);
      return NULL;
    }

  *status = -1;
  return g_steal_pointer (&destination);
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

void
sendoff_cli_on_result (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

GAsyncResult *
sendoff_cli_wait_for (GAsyncResult **slot)
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

void
sendoff_cli_wipe_secrets (char **secrets)
{
  wipe_strv (secrets);
}

/* Reads every secret before storing any, so a short input stores nothing. */
char **
sendoff_cli_read_secrets (SendoffDestination  *destination,
                          gboolean             use_env,
                          GError             **error)
{
  const SendoffBackendInfo *info = sendoff_destination_get_backend (destination);
  g_autoptr(SecretStrv) secrets = g_new0 (char *, sendoff_backend_count_secrets (info) + 1);
  guint i = 0;

  for (const SendoffSecretSpec *spec = info->secrets; spec && spec->key; spec++, i++)
    {
      const char *label = g_dgettext (GETTEXT_PACKAGE, spec->label);
      const char *env = spec->env ? g_getenv (spec->env) : NULL;
      const char *name = sendoff_destination_get_name (destination);
      g_autofree char *safe = sendoff_str_escape_terminal (name);
      g_autofree char *prompt = g_strdup_printf ("%s %s", safe, label);

      if (use_env && env != NULL && *env != '\0')
        secrets[i] = g_strstrip (g_strdup (env));
      else
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

gboolean
sendoff_cli_store_secrets (SendoffDestination  *destination,
                           char               **secrets,
                           GError             **error)
{
  const SendoffBackendInfo *info = sendoff_destination_get_backend (destination);
  guint i = 0;

  for (const SendoffSecretSpec *spec = info->secrets; spec && spec->key; spec++, i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      sendoff_credentials_store_for_async (destination, spec->key, secrets[i],
                                           NULL, sendoff_cli_on_result, &result);
      if (!sendoff_credentials_store_finish (sendoff_cli_wait_for (&result), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sendoff_cli_clear_secrets (SendoffDestination  *destination,
                           gboolean            *had_any,
                           GError             **error)
{
  const SendoffBackendInfo *info = sendoff_destination_get_backend (destination);
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;

  sendoff_credentials_lookup_all_async (destination, FALSE, NULL, sendoff_cli_on_result, &found);
  stored = sendoff_credentials_lookup_all_finish (sendoff_cli_wait_for (&found), error);
  if (stored == NULL)
    return FALSE;

  for (const SendoffSecretSpec *spec = info->secrets; spec && spec->key; spec++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      sendoff_credentials_clear_for_async (destination, spec->key, NULL,
                                           sendoff_cli_on_result, &result);
      if (!sendoff_credentials_clear_finish (sendoff_cli_wait_for (&result), error))
        return FALSE;
    }

  *had_any = g_hash_table_size (stored) > 0;
  return TRUE;
}

static char *
dup_secret_envs (SendoffDestination *destination)
{
  const SendoffBackendInfo *info = sendoff_destination_get_backend (destination);
  g_autoptr(GString) names = g_string_new (NULL);

  for (const SendoffSecretSpec *spec = info->secrets; spec && spec->key; spec++)
    if (spec->env != NULL)
      g_string_append_printf (names, "%s%s", names->len ? ", " : "", spec->env);

  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* "the key for Sandbox" or "the key for WeTransfer-Compatible Server at https://…" */
static char *
dup_where (SendoffDestination *destination)
{
  const char *service, *api_url, *id;
  g_autofree char *name = sendoff_str_escape_terminal (sendoff_destination_get_name (destination));
  g_autofree char *url = NULL;

  sendoff_destination_get_secret_scope (destination, &service, &api_url, &id);
  if (id != NULL || api_url == NULL || *api_url == '\0')
    return g_strdup_printf ("“%s”", name);
  url = sendoff_str_escape_terminal (api_url);
  /* TRANSLATORS: a service's name, then a server's address */
  return g_strdup_printf (_("%s at %s"), name, url);
}

/* One request with the new secrets before they are stored: a key the
 * server refuses is not kept. A server that cannot be reached (set up
 * before it runs, offline) does not stop the login: it is said. */
static gboolean
check_before_storing (SendoffDestination  *destination,
                      char               **secrets,
                      GError             **error)
{
  const SendoffBackendInfo *info = sendoff_destination_get_backend (destination);
  g_autoptr(GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SendoffProvider) provider = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  guint i = 0;

  for (const SendoffSecretSpec *spec = info->secrets; spec && spec->key; spec++, i++)
    g_hash_table_insert (table, (gpointer) spec->key, secrets[i]);

  provider = sendoff_destination_create_provider (destination, table, &local_error);
  if (provider == NULL)
    {
      /* TRANSLATORS: why the key could not be tried, e.g. a missing option */
      g_autofree char *message = g_strdup_printf (_("The key was not checked: %s"),
                                                  local_error->message);
      sendoff_cli_printerr (message);
      return TRUE;
    }

  sendoff_provider_check_async (provider, NULL, sendoff_cli_on_result, &result);
  if (sendoff_provider_check_finish (provider, sendoff_cli_wait_for (&result), &local_error))
    return TRUE;

  if (g_error_matches (local_error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  {
    g_autofree char *message = g_strdup_printf (_("The key could not be checked (%s); it is "
                                                  "stored all the same"), local_error->message);
    sendoff_cli_printerr (message);
  }
  return TRUE;
}

int
sendoff_cli_login (int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretStrv) secrets = NULL;
  g_autoptr(SendoffDestination) destination = NULL;
  g_autofree char *where = NULL;
  int status;

  destination = sendoff_cli_parse_destination_options (
    &argc, &argv, _("Stores the secrets of a destination (its API key) in the system keyring. "
                    "They are read from standard input."), &status);
  if (destination == NULL)
    return status;

  secrets = sendoff_cli_read_secrets (destination, FALSE, &error);
  if (secrets != NULL && !check_before_storing (destination, secrets, &error))
    {
      /* TRANSLATORS: the server's refusal follows */
      g_autofree char *message = g_strdup_printf (_("Nothing was stored: %s"), error->message);

      sendoff_cli_printerr (message);
      return 3;
    }
  if (secrets == NULL || !sendoff_cli_store_secrets (destination, secrets, &error))
    {
      sendoff_cli_printerr (error->message);
      if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING))
        {
          g_autofree char *names = dup_secret_envs (destination);

          /* TRANSLATORS: %s lists environment variables, e.g. SENDOFF_API_KEY */
          g_printerr (_("Without a keyring, “sendoff-cli send” reads %s.\n"), names);
        }
      return 1;
    }

  where = dup_where (destination);
  /* TRANSLATORS: "Stored the key for “Sandbox” in the keyring" */
  g_printerr (_("Stored the key for %s in the keyring\n"), where);
  return 0;
}

int
sendoff_cli_logout (int    argc,
                    char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffDestination) destination = NULL;
  g_autofree char *where = NULL;
  gboolean had_any = FALSE;
  int status;

  destination = sendoff_cli_parse_destination_options (
    &argc, &argv, _("Removes the stored secrets of a destination from the system keyring."),
    &status);
  if (destination == NULL)
    return status;

  if (!sendoff_cli_clear_secrets (destination, &had_any, &error))
    {
      sendoff_cli_printerr (error->message);
      return 1;
    }

  where = dup_where (destination);
  if (!had_any)
    g_printerr (_("No key was stored for %s\n"), where);
  else
    g_printerr (_("Removed the key for %s from the keyring\n"), where);
  return 0;
}

/* The login command that files secrets where @destination looks for them */
static char *
dup_login_command (SendoffDestination *destination)
{
  const char *service, *api_url, *id;
  g_autofree char *quoted = NULL;
  const SendoffOptionSpec *spec = NULL;

  sendoff_destination_get_secret_scope (destination, &service, &api_url, &id);
  if (id != NULL)
    {
      quoted = g_shell_quote (sendoff_destination_get_name (destination));
      return g_strdup_printf ("sendoff-cli login --to %s", quoted);
    }

  /* An unsaved destination's secrets are filed by its first URL option */
  for (spec = sendoff_destination_get_backend (destination)->options; spec && spec->key; spec++)
    if (spec->type == SENDOFF_OPTION_URL)
      break;
  if (spec == NULL || spec->key == NULL)
    return g_strdup_printf ("sendoff-cli login --service %s", service);
  quoted = api_url && *api_url ? g_shell_quote (api_url) : g_strdup ("URL");
  if (g_str_equal (spec->key, "api-url"))
    return g_strdup_printf ("sendoff-cli login --service %s --api-url %s", service, quoted);
  return g_strdup_printf ("sendoff-cli login --service %s -o %s=%s", service, spec->key, quoted);
}

char *
sendoff_cli_dup_secret_hint (SendoffDestination *destination)
{
  g_autofree char *names = dup_secret_envs (destination);
  g_autofree char *command = dup_login_command (destination);

  /* TRANSLATORS: a command, then environment variables */
  return g_strdup_printf (_("Store it with “%s”, or set %s."), command, names);
}
