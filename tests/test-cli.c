/* test-cli.c — sendoff-cli as a user runs it, against sendoff-sandbox
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cli-runner.h"
#include "sandbox-fixture.h"

/* Runs sendoff-cli with @api_key (NULL: none) and no keyring to ask */
static void
run_cli (SendoffTestCliRun *run,
         const char        *api_key,
         const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();

  sendoff_test_cli_set_api_key (cli, api_key);
  sendoff_test_cli_run (cli, run, args);
}

static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  while (n > 0 && *lines[n - 1] == '\0')
    n--;
  return n > 0 ? g_strdup (lines[n - 1]) : g_strdup ("");
}

static char *
make_file (const char *dir,
           const char *name,
           gsize       size)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char) g_random_int ();
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

static JsonArray *
transfers_of (JsonObject *state)
{
  return json_object_get_array_member (state, "transfers");
}

static void
assert_nothing_created (SendoffTestSandbox *sb)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);

  g_assert_cmpuint (json_array_get_length (transfers_of (state)), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (state, "requests"),
                                               "transfers"), ==, 0);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_help_version (void)
{
  SendoffTestCliRun run = { 0 };
  const char *help[] = { "--help", NULL };
  const char *version[] = { "--version", NULL };
  const char *send_help[] = { "send", "--help", NULL };
  const char *nothing[] = { NULL };
  const char *unknown[] = { "frobnicate", NULL };

  run_cli (&run, NULL, help);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "sendoff-cli send"));
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, NULL, version);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_cmpstr (run.out, ==, "sendoff-cli " PACKAGE_VERSION "\n");
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, NULL, send_help);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "--jobs"));
  g_assert_nonnull (strstr (run.out, "wetransfer-v1"));
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, NULL, nothing);
  sendoff_test_cli_assert_status (&run, 2);
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, NULL, unknown);
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "frobnicate"));
  sendoff_test_cli_run_clear (&run);
}

static void
test_send (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *big = make_file (dir, "photo é.jpg", 7 * 1024 * 1024 + 3);
  g_autofree char *empty = make_file (dir, "empty", 0);
  g_autofree char *sha_big = sendoff_test_sha256_file (big);
  const char *args[] = {
    "send", "--api-url", sendoff_test_sandbox_get_url (sb), "--name", "Holiday",
    "--message", "Hi there", "--jobs", "2", big, empty, NULL
  };
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *link = NULL;
  JsonObject *transfer, *item;
  JsonArray *items;
  SendoffTestCliRun run = { 0 };

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), args);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_cmpstr (run.err, ==, "");

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (json_array_get_length (transfers_of (state)), ==, 1);
  transfer = json_array_get_object_element (transfers_of (state), 0);
  link = last_line (run.out);
  g_assert_cmpstr (link, ==, json_object_get_string_member (transfer, "shortened_url"));
  g_assert_cmpstr (json_object_get_string_member (transfer, "name"), ==, "Holiday");
  g_assert_cmpstr (json_object_get_string_member (transfer, "description"), ==, "Hi there");

  items = json_object_get_array_member (transfer, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      item = json_array_get_object_element (items, i);
      g_assert_true (json_object_get_boolean_member (item, "completed"));
      if (g_str_equal (json_object_get_string_member (item, "filename"), "photo é.jpg"))
        g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, sha_big);
      else
        g_assert_cmpstr (json_object_get_string_member (item, "filename"), ==, "empty");
    }
  g_assert_cmpint (json_object_get_int_member (state, "storage_requests_with_secret"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (state, "max_puts_in_flight"), <=, 2);

  sendoff_test_cli_run_clear (&run);
  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_json (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *a = make_file (dir, "a.txt", 100);
  g_autofree char *b = make_file (dir, "b.txt", 200);
  const char *args[] = { "send", "--json", "--api-url", sendoff_test_sandbox_get_url (sb),
                         a, b, NULL };
  g_autoptr(JsonObject) state = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines, item_done = 0;
  const char *first_event = NULL, *last_event = NULL;
  g_autofree char *url = NULL;
  SendoffTestCliRun run = { 0 };

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), args);
  sendoff_test_cli_assert_status (&run, 0);

  lines = g_strsplit (g_strchomp (run.out), "\n", -1);
  n_lines = g_strv_length (lines);
  g_assert_cmpuint (n_lines, >=, 4);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;
      const char *event;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      event = json_object_get_string_member (object, "event");
      if (i == 0)
        first_event = g_intern_string (event);
      last_event = g_intern_string (event);
      if (g_str_equal (event, "item-done"))
        item_done++;
      if (g_str_equal (event, "done"))
        url = g_strdup (json_object_get_string_member (object, "url"));
    }

  g_assert_cmpstr (first_event, ==, "started");
  g_assert_cmpstr (last_event, ==, "done");
  g_assert_cmpuint (item_done, ==, 2);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpstr (url, ==, json_object_get_string_member (
                     json_array_get_object_element (transfers_of (state), 0), "shortened_url"));

  sendoff_test_cli_run_clear (&run);
  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* Each bad input: status 2, a message naming the problem, nothing created */
static void
test_bad_input (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *good = make_file (dir, "good.txt", 10);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  g_autofree char *fifo = g_build_filename (dir, "a-fifo", NULL);
  g_autofree char *empty_dir = g_build_filename (dir, "empty-folder", NULL);
  const char *url = sendoff_test_sandbox_get_url (sb);
  struct {
    const char *args[10];
    const char *expect;
  } cases[] = {
    { { "send", "--api-url", url, good, missing, NULL }, "missing.txt" },
    { { "send", "--api-url", url, fifo, NULL }, "a-fifo" },
    { { "send", "--api-url", url, empty_dir, NULL }, "empty-folder" },
    { { "send", "--api-url", url, NULL }, "No files" },
    { { "send", "--api-url", url, "--jobs", "0", good, NULL }, "--jobs" },
    { { "send", "--api-url", url, "--jobs", "33", good, NULL }, "--jobs" },
    { { "send", "--api-url", url, "--service", "nope", good, NULL }, "nope" },
    { { "send", "--api-url", "http://example.com", good, NULL }, "http://" },
    { { "send", "--api-url", url, "--bogus", good, NULL }, "--bogus" },
  };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (empty_dir, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SendoffTestCliRun run = { 0 };

      g_test_message ("case %u", i);
      run_cli (&run, sendoff_test_sandbox_get_api_key (sb), cases[i].args);
      sendoff_test_cli_assert_status (&run, 2);
      g_assert_nonnull (strstr (run.err, cases[i].expect));
      g_assert_cmpstr (run.out, ==, "");
      sendoff_test_cli_run_clear (&run);
    }

  assert_nothing_created (sb);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_credentials (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *good = make_file (dir, "good.txt", 10);
  const char *args[] = { "send", "--api-url", sendoff_test_sandbox_get_url (sb), good, NULL };
  SendoffTestCliRun run = { 0 };

  run_cli (&run, "wrong-key-value", args);
  sendoff_test_cli_assert_status (&run, 3);
  g_assert_nonnull (strstr (run.err, "refused"));
  g_assert_null (strstr (run.err, "wrong-key-value"));
  g_assert_cmpstr (run.out, ==, "");
  sendoff_test_cli_run_clear (&run);

  /* No key at all (and no keyring to ask) */
  run_cli (&run, "", args);
  sendoff_test_cli_assert_status (&run, 3);
  g_assert_cmpstr (run.out, ==, "");
  sendoff_test_cli_run_clear (&run);

  assert_nothing_created (sb);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_network_failure (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *good = make_file (dir, "good.txt", 10);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;
  SendoffTestCliRun run = { 0 };

  /* A port that was free a moment ago: connections are refused */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  {
    const char *args[] = { "send", "--api-url", url, good, NULL };
    run_cli (&run, "some-key", args);
  }
  sendoff_test_cli_assert_status (&run, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_null (strstr (run.err, "some-key"));
  sendoff_test_cli_run_clear (&run);

  remove_tree (dir);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Ctrl+C stops cleanly with 130, at once: the parts in flight are not
 * waited for (every storage answer drips at a byte a second, so waiting
 * for one would take minutes; the bound below has room for a slow,
 * sanitized exit on a loaded machine) */
static void
test_interrupt (void)
{
  const char *sb_args[] = { "--drip", "1", "--drip-phase", "status", "--drip-put-rate", "1",
                            NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (sb_args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *big = make_file (dir, "big.bin", 40 * 1024 * 1024);
  const char *args[] = { "send", "--jobs", "2", "--api-url", sendoff_test_sandbox_get_url (sb),
                         big, NULL };
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();
  g_autoptr(SendoffTestCliProcess) process = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  gboolean waited = FALSE;
  gint64 started;

  sendoff_test_cli_set_api_key (cli, sendoff_test_sandbox_get_api_key (sb));
  process = sendoff_test_cli_spawn (cli, args);

  g_timeout_add (1500, on_timeout, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);

  started = g_get_monotonic_time ();
  sendoff_test_cli_process_send_signal (process, SIGINT);
  sendoff_test_cli_process_wait (process, &run);

  sendoff_test_cli_assert_status (&run, 130);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "Interrupted"));

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/cli/help-version", test_help_version);
  g_test_add_func ("/sendoff/cli/send", test_send);
  g_test_add_func ("/sendoff/cli/json", test_json);
  g_test_add_func ("/sendoff/cli/bad-input", test_bad_input);
  g_test_add_func ("/sendoff/cli/credentials", test_credentials);
  g_test_add_func ("/sendoff/cli/network-failure", test_network_failure);
  g_test_add_func ("/sendoff/cli/interrupt", test_interrupt);

  return g_test_run ();
}
