/* test-wunderlist-cli.c — `sendoff-cli send --service wunderlist` against sendoff-sandbox
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-runner.h"
#include "sandbox-fixture.h"
#include "test-wunderlist-common.h"

/* Runs sendoff-cli with @args; the credentials only from the environment */
static void
run_cli (SendoffTestCliRun *run,
         const char        *access_token,
         const char        *client_id,
         const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();

  sendoff_test_cli_setenv (cli, "SENDOFF_ACCESS_TOKEN", access_token);
  sendoff_test_cli_setenv (cli, "SENDOFF_CLIENT_ID", client_id);
  sendoff_test_cli_run (cli, run, args);
}

static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint n = g_strv_length (lines); n > 0; n--)
    if (*lines[n - 1] != '\0')
      return g_strdup (lines[n - 1]);
  return g_strdup ("");
}

static void
test_cli_send (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 9 * MIB + 1, 300 }, 2);
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *last = NULL;

  run_cli (&run, sendoff_test_sandbox_get_access_token (sb),
           sendoff_test_sandbox_get_client_id (sb),
           (const char *const[]) { "send", "--quiet", "--service", "wunderlist",
                                   "-o", "task-id=42", "--api-url",
                                   sendoff_test_sandbox_get_url (sb),
                                   files->paths[0], files->paths[1], NULL });
  sendoff_test_cli_assert_status (&run, 0);

  state = sendoff_test_sandbox_get_state (sb);
  wl_test_assert_arrived (state, files, 42);

  /* What was created, as the last line: there is no link to print */
  expected = wl_test_expected_result (state, files, 42);
  last = last_line (run.out);
  g_assert_cmpstr (last, ==, expected);
  g_assert_null (strstr (run.err, sendoff_test_sandbox_get_access_token (sb)));

  sendoff_test_sandbox_stop (sb);
}

static void
test_cli_json (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 1234 }, 1);
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *last = NULL;
  JsonObject *done;

  run_cli (&run, sendoff_test_sandbox_get_access_token (sb),
           sendoff_test_sandbox_get_client_id (sb),
           (const char *const[]) { "send", "--json", "--service", "wunderlist",
                                   "-o", "task-id=5", "--api-url",
                                   sendoff_test_sandbox_get_url (sb), files->paths[0], NULL });
  sendoff_test_cli_assert_status (&run, 0);

  state = sendoff_test_sandbox_get_state (sb);
  expected = wl_test_expected_result (state, files, 5);

  /* The last event: no share link, the created file as the result */
  last = last_line (run.out);
  json_parser_load_from_data (parser, last, -1, &error);
  g_assert_no_error (error);
  done = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (done, "event"), ==, "done");
  g_assert_true (json_node_is_null (json_object_get_member (done, "url")));
  g_assert_cmpstr (json_object_get_string_member (done, "result"), ==, expected);

  sendoff_test_sandbox_stop (sb);
}

static void
test_cli_needs_task (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 10 }, 1);
  g_autoptr(JsonObject) state = NULL;
  const char *bad[] = { NULL, "0", "abc", "-3", "12x" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(SendoffTestCliRun) run = { 0 };
      g_autofree char *assignment = g_strconcat ("task-id=", bad[i], NULL);
      const char *args_with[] = { "send", "--service", "wunderlist", "-o", assignment,
                                  "--api-url", sendoff_test_sandbox_get_url (sb),
                                  files->paths[0], NULL };
      const char *args_without[] = { "send", "--service", "wunderlist",
                                     "--api-url", sendoff_test_sandbox_get_url (sb),
                                     files->paths[0], NULL };

      run_cli (&run, sendoff_test_sandbox_get_access_token (sb),
               sendoff_test_sandbox_get_client_id (sb),
               bad[i] != NULL ? args_with : args_without);

      /* A usage error naming the option, before anything is created */
      sendoff_test_cli_assert_status (&run, 2);
      g_assert_nonnull (strstr (run.err, "task-id"));
    }

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (wl_test_request_count (state, "wl_uploads"), ==, 0);

  sendoff_test_sandbox_stop (sb);
}

static void
test_cli_task_for_other_service (void)
{
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 10 }, 1);
  g_auto(SendoffTestCliRun) run = { 0 };

  run_cli (&run, "", "",
           (const char *const[]) { "send", "--service", "wetransfer-v1", "-o", "task-id=4",
                                   files->paths[0], NULL });
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "“task-id” is not an option"));
}

static void
test_cli_no_credentials (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 10 }, 1);
  g_autoptr(JsonObject) state = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };

  /* The client id is there, the token is not (empty counts as unset) */
  run_cli (&run, "", sendoff_test_sandbox_get_client_id (sb),
           (const char *const[]) { "send", "--service", "wunderlist", "-o", "task-id=4",
                                   "--api-url", sendoff_test_sandbox_get_url (sb),
                                   files->paths[0], NULL });
  sendoff_test_cli_assert_status (&run, 3);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (wl_test_request_count (state, "wl_uploads"), ==, 0);

  sendoff_test_sandbox_stop (sb);
}

static void
test_cli_refused_token (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 10 }, 1);
  g_auto(SendoffTestCliRun) run = { 0 };

  run_cli (&run, "not-the-token-secret", sendoff_test_sandbox_get_client_id (sb),
           (const char *const[]) { "send", "--service", "wunderlist", "-o", "task-id=4",
                                   "--api-url", sendoff_test_sandbox_get_url (sb),
                                   files->paths[0], NULL });
  sendoff_test_cli_assert_status (&run, 3);
  g_assert_null (strstr (run.err, "not-the-token-secret"));
  g_assert_null (strstr (run.out, "not-the-token-secret"));

  sendoff_test_sandbox_stop (sb);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/wunderlist/cli/send", test_cli_send);
  g_test_add_func ("/sendoff/wunderlist/cli/json", test_cli_json);
  g_test_add_func ("/sendoff/wunderlist/cli/needs-task", test_cli_needs_task);
  g_test_add_func ("/sendoff/wunderlist/cli/task-for-other-service",
                   test_cli_task_for_other_service);
  g_test_add_func ("/sendoff/wunderlist/cli/no-credentials", test_cli_no_credentials);
  g_test_add_func ("/sendoff/wunderlist/cli/refused-token", test_cli_refused_token);

  return g_test_run ();
}
