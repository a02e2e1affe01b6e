/* test-cli-login.c — `sendoff-cli login`, `logout`, and `send` with the stored key
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/run-headless: the CLI talks to the same throwaway
 * keyring as this test. The upload cases start a sendoff-sandbox.
 */

#define G_LOG_DOMAIN "sendoff-test"
#define _GNU_SOURCE   /* memmem */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-runner.h"
#include "sandbox-fixture.h"
#include "credentials-sync.h"
#include "sendoff-credentials.h"
#include "sendoff-types.h"

#define WT "wetransfer-v1"

/* A sendoff-cli that finds this test's keyring */
static SendoffTestCli *
cli_new (void)
{
  SendoffTestCli *cli = sendoff_test_cli_new ();

  sendoff_test_cli_set_keyring (cli, SENDOFF_TEST_CLI_KEYRING_SESSION);
  return cli;
}

/* Runs sendoff-cli with @args, @input (may be NULL) on its standard input */
static void
run_cli (SendoffTestCliRun *run,
         const char        *input,
         const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = cli_new ();

  sendoff_test_cli_set_input (cli, input);
  sendoff_test_cli_run (cli, run, args);
}

static char *
keyring_lookup (const char *service,
                const char *url,
                const char *kind)
{
  g_autoptr(GError) error = NULL;
  char *secret = sendoff_test_credentials_lookup (service, url, kind, &error);

  g_assert_no_error (error);
  return secret;
}

static char *
random_key (const char *prefix)
{
  return g_strdup_printf ("%s-%08x%08x", prefix, g_random_int (), g_random_int ());
}

static void
test_login_logout (void)
{
  g_autofree char *key = random_key ("cli-login");
  g_autofree char *input = g_strdup_printf ("%s\n", key);
  g_autofree char *stored = NULL;
  g_autofree char *after = NULL;
  g_auto(SendoffTestCliRun) login = { 0 };
  g_auto(SendoffTestCliRun) logout = { 0 };
  g_auto(SendoffTestCliRun) again = { 0 };
  const char *url_args[] = { "--api-url", "http://127.0.0.1:7001/", NULL };
  const char *login_args[] = { "login", url_args[0], url_args[1], NULL };
  const char *logout_args[] = { "logout", url_args[0], url_args[1], NULL };

  run_cli (&login, input, login_args);
  sendoff_test_cli_assert_status (&login, 0);
  g_assert_null (strstr (login.out, key));
  g_assert_null (strstr (login.err, key));
  g_assert_nonnull (strstr (login.err, "Stored the key"));

  /* "…:7001/" and "…:7001" are one entry. */
  stored = keyring_lookup (WT, "http://127.0.0.1:7001", NULL);
  g_assert_cmpstr (stored, ==, key);

  run_cli (&logout, NULL, logout_args);
  sendoff_test_cli_assert_status (&logout, 0);
  g_assert_nonnull (strstr (logout.err, "Removed the key"));
  after = keyring_lookup (WT, "http://127.0.0.1:7001", NULL);
  g_assert_null (after);

  run_cli (&again, NULL, logout_args);
  sendoff_test_cli_assert_status (&again, 0);
  g_assert_nonnull (strstr (again.err, "No key was stored"));
}

/* Several secrets: one line each, in the service's order. */
static void
test_login_two_secrets (void)
{
  g_autofree char *token = NULL;
  g_autofree char *client = NULL;
  g_autofree char *after = NULL;
  g_autofree char *after_short = NULL;
  g_auto(SendoffTestCliRun) login = { 0 };
  g_auto(SendoffTestCliRun) short_input = { 0 };
  g_auto(SendoffTestCliRun) logout = { 0 };
  const char *login_args[] = { "login", "--service", "wunderlist",
                               "--api-url", "http://127.0.0.1:7005", NULL };
  const char *logout_args[] = { "logout", "--service", "wunderlist",
                                "--api-url", "http://127.0.0.1:7005", NULL };

  run_cli (&login, "wl-token-abc\nwl-client-def\n", login_args);
  sendoff_test_cli_assert_status (&login, 0);
  token = keyring_lookup ("wunderlist", "http://127.0.0.1:7005", "access-token");
  client = keyring_lookup ("wunderlist", "http://127.0.0.1:7005", "client-id");
  g_assert_cmpstr (token, ==, "wl-token-abc");
  g_assert_cmpstr (client, ==, "wl-client-def");

  run_cli (&logout, NULL, logout_args);
  sendoff_test_cli_assert_status (&logout, 0);
  after = keyring_lookup ("wunderlist", "http://127.0.0.1:7005", "client-id");
  g_assert_null (after);

  /* The second one missing is an error naming it, and nothing is stored. */
  run_cli (&short_input, "only-the-token\n", login_args);
  sendoff_test_cli_assert_status (&short_input, 1);
  g_assert_nonnull (strstr (short_input.err, "Client ID"));
  after_short = keyring_lookup ("wunderlist", "http://127.0.0.1:7005", "access-token");
  g_assert_null (after_short);
}

static void
test_login_refusals (void)
{
  g_autofree char *stored = NULL;
  g_auto(SendoffTestCliRun) insecure = { 0 };
  g_auto(SendoffTestCliRun) empty = { 0 };
  g_auto(SendoffTestCliRun) unknown = { 0 };
  const char *insecure_args[] = { "login", "--api-url", "http://example.com", NULL };
  const char *empty_args[] = { "login", "--api-url", "http://127.0.0.1:7002", NULL };
  const char *unknown_args[] = { "login", "--service", "carrier-pigeon", NULL };

  run_cli (&insecure, "insecure-key\n", insecure_args);
  sendoff_test_cli_assert_status (&insecure, 2);
  g_assert_nonnull (strstr (insecure.err, "http"));
  stored = keyring_lookup (WT, "http://example.com", NULL);
  g_assert_null (stored);

  run_cli (&empty, "\n", empty_args);
  sendoff_test_cli_assert_status (&empty, 1);
  g_assert_nonnull (strstr (empty.err, "was given"));

  run_cli (&unknown, "k\n", unknown_args);
  sendoff_test_cli_assert_status (&unknown, 2);
  g_assert_nonnull (strstr (unknown.err, "carrier-pigeon"));
}

/* On a terminal the key is not echoed: run the CLI on a pseudo-terminal
 * and read back everything the terminal shows. */
static void
test_login_no_echo (void)
{
  g_autofree char *key = random_key ("tty-key");
  const char *args[] = { "login", "--api-url", "http://127.0.0.1:7003", NULL };
  g_autoptr(SendoffTestCli) cli = cli_new ();
  g_auto(GStrv) env = sendoff_test_cli_dup_environ (cli);
  g_auto(SendoffTestCliRun) run = { 0 };
  GString *screen = g_string_new (NULL);
  g_autofree char *stored = NULL;
  gboolean answered = FALSE;
  int master;
  int status;
  pid_t pid;

  run.argv = sendoff_test_cli_dup_argv (args);
  pid = forkpty (&master, NULL, NULL, NULL);
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      execve (run.argv[0], run.argv, env);
      _exit (127);
    }

  for (;;)
    {
      struct pollfd pfd = { master, POLLIN, 0 };
      char buf[256];
      ssize_t n;

      if (poll (&pfd, 1, 20000) == 0)
        g_error ("sendoff-cli login stalled; the terminal shows: %s", screen->str);
      n = read (master, buf, sizeof buf);

      if (n <= 0)
        break;
      g_string_append_len (screen, buf, n);
      if (!answered && strstr (screen->str, "API Key: "))
        {
          g_autofree char *line = g_strdup_printf ("%s\n", key);

          g_assert_cmpint (write (master, line, strlen (line)), ==, (ssize_t) strlen (line));
          answered = TRUE;
        }
    }
  close (master);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  /* stdout and stderr both went to the terminal */
  run.out = g_string_free (screen, FALSE);
  run.err = g_strdup ("");
  run.signaled = !WIFEXITED (status);
  run.status = run.signaled ? 128 + WTERMSIG (status) : WEXITSTATUS (status);
  sendoff_test_cli_run_log (&run);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_true (answered);
  g_assert_null (strstr (run.out, key));

  stored = keyring_lookup (WT, "http://127.0.0.1:7003", NULL);
  g_assert_cmpstr (stored, ==, key);
}

static void
test_no_keyring (void)
{
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();    /* no keyring */
  g_auto(SendoffTestCliRun) login = { 0 };
  const char *args[] = { "login", "--api-url", "http://127.0.0.1:7004", NULL };

  sendoff_test_cli_set_input (cli, "no-keyring-key\n");
  sendoff_test_cli_run (cli, &login, args);
  sendoff_test_cli_assert_status (&login, 1);
  g_assert_nonnull (strstr (login.err, "The system keyring is not available"));
  g_assert_nonnull (strstr (login.err, "SENDOFF_API_KEY"));
  g_assert_null (strstr (login.err, "no-keyring-key"));
}

static char *
write_file (gsize size)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = g_malloc (size);
  char *path = NULL;
  int fd;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  fd = g_file_open_tmp ("sendoff-login-XXXXXX", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, (char *) data, size, &error);
  g_assert_no_error (error);
  return path;
}

static const char *
last_line (const char *text)
{
  static char line[4096];
  g_auto(GStrv) lines = g_strsplit (g_strchomp (g_strdup (text)), "\n", -1);
  guint n = g_strv_length (lines);

  g_strlcpy (line, n > 0 ? lines[n - 1] : "", sizeof line);
  return line;
}

/* Every regular file under @dir whose bytes contain @needle. */
static void
find_in_files (const char *dir,
               const char *needle,
               GPtrArray  *hits)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_in_files (path, needle, hits);
      else if (g_file_get_contents (path, &contents, &len, NULL) &&
               memmem (contents, len, needle, strlen (needle)) != NULL)
        g_ptr_array_add (hits, g_steal_pointer (&path));
    }
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      n += g_file_test (path, G_FILE_TEST_IS_DIR) ? count_files (path) : 1;
    }
  return n;
}

/* login, then send with SENDOFF_API_KEY empty: the stored key is used; then
 * the key is nowhere on disk nor in the debug output. */
static void
test_login_then_send (void)
{
  g_autofree char *key = random_key ("sandbox-login");
  g_autofree char *key_arg = g_strdup_printf ("--api-key=%s", key);
  const char *extra[] = { key_arg, NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (extra);
  const char *url = sendoff_test_sandbox_get_url (sb);
  g_autofree char *input = g_strdup_printf ("%s\n", key);
  g_autofree char *file = write_file (7 * 1024 * 1024 + 123);
  g_autofree char *local_sha = sendoff_test_sha256_file (file);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SendoffTestCli) cli = cli_new ();
  g_auto(SendoffTestCliRun) login = { 0 };
  g_auto(SendoffTestCliRun) send = { 0 };
  g_auto(SendoffTestCliRun) logout = { 0 };
  g_auto(SendoffTestCliRun) without = { 0 };
  const char *login_args[] = { "login", "--api-url", url, NULL };
  const char *send_args[] = { "send", "--api-url", url, "--name", "Login test", file, NULL };
  const char *logout_args[] = { "logout", "--api-url", url, NULL };
  const char *xdg[] = { "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME" };
  JsonArray *transfers;
  JsonArray *items;
  const char *share;

  sendoff_test_cli_setenv (cli, "G_MESSAGES_DEBUG", "all");
  sendoff_test_cli_setenv (cli, "GSETTINGS_BACKEND", "keyfile");
  sendoff_test_cli_set_input (cli, input);
  sendoff_test_cli_run (cli, &login, login_args);
  sendoff_test_cli_assert_status (&login, 0);

  sendoff_test_cli_set_input (cli, NULL);
  sendoff_test_cli_run (cli, &send, send_args);
  sendoff_test_cli_assert_status (&send, 0);

  state = sendoff_test_sandbox_get_state (sb);
  transfers = json_object_get_array_member (state, "transfers");
  g_assert_cmpuint (json_array_get_length (transfers), ==, 1);
  items = json_object_get_array_member (json_array_get_object_element (transfers, 0), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "sha256"),
                   ==, local_sha);
  share = json_object_get_string_member (json_array_get_object_element (transfers, 0),
                                         "shortened_url");
  g_assert_cmpstr (last_line (send.out), ==, share);

  /* The key: not in any output, even with every debug message on ... */
  g_assert_null (strstr (login.out, key));
  g_assert_null (strstr (login.err, key));
  g_assert_null (strstr (send.out, key));
  g_assert_null (strstr (send.err, key));
  /* GLib writes debug messages to stdout. */
  g_assert_true (strstr (send.out, "DEBUG") != NULL || strstr (send.err, "DEBUG") != NULL);

  /* ... nor in the settings, cache, data or state folders (the keyring's
   * own file is there, encrypted). */
  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      const char *dir = g_getenv (xdg[i]);

      g_assert_nonnull (dir);
      g_assert_true (g_str_has_prefix (dir, g_get_tmp_dir ()));
      g_test_message ("%s: %u files", xdg[i], count_files (dir));
      find_in_files (dir, key, hits);
    }
  g_assert_cmpuint (count_files (g_getenv ("XDG_DATA_HOME")), >, 0);
  for (guint i = 0; i < hits->len; i++)
    g_test_message ("key found in %s", (char *) g_ptr_array_index (hits, i));
  g_assert_cmpuint (hits->len, ==, 0);

  /* Logged out, send has no key and says so. */
  sendoff_test_cli_run (cli, &logout, logout_args);
  sendoff_test_cli_assert_status (&logout, 0);
  sendoff_test_cli_run (cli, &without, send_args);
  sendoff_test_cli_assert_status (&without, 3);
  g_assert_nonnull (strstr (without.err, "SENDOFF_API_KEY"));

  g_unlink (file);
  sendoff_test_sandbox_stop (sb);
}

/* No keyring at all: the environment variable is enough. */
static void
test_send_env_without_keyring (void)
{
  g_autofree char *key = random_key ("env-only");
  g_autofree char *key_arg = g_strdup_printf ("--api-key=%s", key);
  const char *extra[] = { key_arg, NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (extra);
  const char *url = sendoff_test_sandbox_get_url (sb);
  g_autofree char *file = write_file (1000);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();    /* no keyring */
  g_auto(SendoffTestCliRun) send = { 0 };
  g_auto(SendoffTestCliRun) no_key = { 0 };
  const char *send_args[] = { "send", "--api-url", url, file, NULL };

  sendoff_test_cli_set_api_key (cli, key);
  sendoff_test_cli_run (cli, &send, send_args);
  sendoff_test_cli_assert_status (&send, 0);
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpstr (last_line (send.out), ==,
                   json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (state, "transfers"), 0), "shortened_url"));

  /* Neither: the keyring's own message, not a crash or a hang. */
  sendoff_test_cli_set_api_key (cli, NULL);
  sendoff_test_cli_run (cli, &no_key, send_args);
  sendoff_test_cli_assert_cmpstatus (&no_key, !=, 0);
  g_assert_nonnull (strstr (no_key.err, "keyring"));

  g_unlink (file);
  sendoff_test_sandbox_stop (sb);
}

/* A key the server refuses is not stored; the right one is, after one
 * request that says so. */
static void
test_login_checks_key (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  const char *url = sendoff_test_sandbox_get_url (sb);
  g_autofree char *good = g_strdup_printf ("%s\n", sendoff_test_sandbox_get_api_key (sb));
  const char *login_args[] = { "login", "--api-url", url, NULL };
  const char *logout_args[] = { "logout", "--api-url", url, NULL };
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(SendoffTestCliRun) refused = { 0 };
  g_auto(SendoffTestCliRun) accepted = { 0 };
  g_auto(SendoffTestCliRun) logout = { 0 };

  run_cli (&refused, "not-the-key\n", login_args);
  sendoff_test_cli_assert_status (&refused, 3);
  g_assert_nonnull (strstr (refused.err, "Nothing was stored"));
  g_assert_null (strstr (refused.err, "not-the-key"));
  stored = sendoff_test_credentials_lookup ("wetransfer-v1", url, "api-key", &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  run_cli (&accepted, good, login_args);
  sendoff_test_cli_assert_status (&accepted, 0);
  g_assert_nonnull (strstr (accepted.err, "Stored the key"));
  stored = sendoff_test_credentials_lookup ("wetransfer-v1", url, "api-key", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, sendoff_test_sandbox_get_api_key (sb));

  run_cli (&logout, NULL, logout_args);
  sendoff_test_cli_assert_status (&logout, 0);
  sendoff_test_sandbox_stop (sb);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/cli-login/login-logout", test_login_logout);
  g_test_add_func ("/sendoff/cli-login/two-secrets", test_login_two_secrets);
  g_test_add_func ("/sendoff/cli-login/refusals", test_login_refusals);
  g_test_add_func ("/sendoff/cli-login/no-echo", test_login_no_echo);
  g_test_add_func ("/sendoff/cli-login/no-keyring", test_no_keyring);
  g_test_add_func ("/sendoff/cli-login/login-then-send", test_login_then_send);
  g_test_add_func ("/sendoff/cli-login/checks-key", test_login_checks_key);
  g_test_add_func ("/sendoff/cli-login/env-without-keyring", test_send_env_without_keyring);

  return g_test_run ();
}
