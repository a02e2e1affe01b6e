/* test-cli-destination.c — `sendoff-cli destination …` and `send --to` as a user runs them
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Settings persist between runs through GLib's keyfile backend and secrets
 * through libsecret's file backend, both in a throwaway home: every run of
 * the real binary sees what the previous one saved.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cli-runner.h"
#include "sandbox-fixture.h"

static char *home;

/* Runs sendoff-cli in the throwaway home with @api_key (NULL: none) and
 * @input (may be NULL) on its standard input */
static void
run_cli (SendoffTestCliRun *run,
         const char        *api_key,
         const char        *input,
         const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();

  sendoff_test_cli_set_home (cli, home);
  sendoff_test_cli_set_api_key (cli, api_key);
  sendoff_test_cli_set_input (cli, input);
  sendoff_test_cli_run (cli, run, args);
}

#define CLI(run, api_key, input, ...) \
  run_cli (run, api_key, input, (const char *const[]) { __VA_ARGS__, NULL })

static char *
make_file (const char *name,
           gsize       size)
{
  char *path = g_build_filename (home, name, NULL);
  g_autofree char *data = g_malloc (size + 1);

  for (gsize i = 0; i < size; i++)
    data[i] = (char) g_random_int ();
  g_assert_true (g_file_set_contents (path, data, size, NULL));
  return path;
}

/* The sandbox got every transfer's file with the file's SHA-256 */
static guint
count_arrived (SendoffTestSandbox *sb,
               const char         *sha)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
  JsonArray *transfers = json_object_get_array_member (state, "transfers");
  guint found = 0;

  for (guint i = 0; i < json_array_get_length (transfers); i++)
    {
      JsonArray *items = json_object_get_array_member (json_array_get_object_element (transfers, i),
                                                       "items");

      for (guint j = 0; j < json_array_get_length (items); j++)
        if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, j),
                                                      "sha256"), sha) == 0)
          found++;
    }
  return found;
}

static void
test_lifecycle (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  const char *url = sendoff_test_sandbox_get_url (sb);
  g_autofree char *url_option = g_strconcat ("api-url=", url, NULL);
  const char *key = sendoff_test_sandbox_get_api_key (sb);
  g_autofree char *file = make_file ("report.bin", 300 * 1024);
  g_autofree char *sha = sendoff_test_sha256_file (file);
  g_autofree char *keyring = g_build_filename (home, "keyring", NULL);
  g_autofree char *keyring_text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *list;

  /* nothing yet: a sentence that says what to do */
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "destination", "list");
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, "destination add"));
  }
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "send", file);
    sendoff_test_cli_assert_status (&run, 2);
    g_assert_nonnull (strstr (run.err, "No destination"));
  }

  /* added with the key from the environment */
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, key, NULL, "destination", "add", "Sandbox", "--service", "wetransfer-v1",
         "-o", url_option);
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_nonnull (strstr (run.err, "Added the destination “Sandbox”"));
    g_assert_null (strstr (run.err, sendoff_test_sandbox_get_api_key (sb)));
  }
  /* the key is in the keyring file, not in clear anywhere in the settings */
  {
    g_autofree char *settings_path = g_build_filename (home, "config", "glib-2.0", "settings",
                                                       "keyfile", NULL);
    g_autofree char *settings_text = NULL;

    g_assert_true (g_file_get_contents (settings_path, &settings_text, NULL, NULL));
    g_assert_nonnull (strstr (settings_text, "Sandbox"));
    g_assert_null (strstr (settings_text, sendoff_test_sandbox_get_api_key (sb)));
    g_assert_true (g_file_get_contents (keyring, &keyring_text, NULL, NULL));
    g_assert_null (strstr (keyring_text, sendoff_test_sandbox_get_api_key (sb)));
  }

  /* refusals name what is wrong and save nothing */
  {
    struct { const char *args[10]; const char *expect; } cases[] = {
      { { "destination", "add", "Sandbox", "--service", "wetransfer-v1", "-o", url_option }, "already" },
      { { "destination", "add", "Pigeon", "--service", "carrier-pigeon" }, "carrier-pigeon" },
      { { "destination", "add", "Bucket", "--service", "wetransfer-v1", "-o", url_option,
          "-o", "bucket=photos" }, "“bucket”" },
      { { "destination", "add", "Tasks", "--service", "wunderlist", "-o", url_option }, "task-id" },
      { { "destination", "add", "Plain", "--service", "wetransfer-v1",
          "-o", "api-url=http://example.com" }, "http" },
      { { "destination", "add", "NoService" }, "--service" },
      { { "send", "--to", "Nowhere", file }, "“Sandbox”" },
      { { "send", "--to", "Sandbox", "--service", "wunderlist", file }, "--to and --service" },
      { { "destination", "default", "Nowhere" }, "Nowhere" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_auto(SendoffTestCliRun) run = { 0 };

        g_test_message ("case %u: %s", i, cases[i].args[2]);
        run_cli (&run, key, NULL, cases[i].args);
        sendoff_test_cli_assert_status (&run, 2);
        g_assert_nonnull (strstr (run.err, cases[i].expect));
      }
  }

  /* listed, as text, as names and as JSON */
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "destination", "list");
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_nonnull (strstr (run.out, "* Sandbox"));
    g_assert_nonnull (strstr (run.out, url));
  }
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "destination", "list", "--names");
    g_assert_cmpstr (run.out, ==, "Sandbox\n");
  }
  {
    g_auto(SendoffTestCliRun) run = { 0 };
    JsonObject *first;

    CLI (&run, NULL, NULL, "destination", "list", "--json");
    g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
    list = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    first = json_array_get_object_element (list, 0);
    g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Sandbox");
    g_assert_cmpstr (json_object_get_string_member (first, "service"), ==, "wetransfer-v1");
    g_assert_true (json_object_get_boolean_member (first, "default"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "options"),
                                                    "api-url"), ==, url);
  }

  /* check: one request, a sentence */
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "destination", "check", "Sandbox");
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_nonnull (strstr (run.out, "“Sandbox” works"));
  }

  /* sent to the default destination with the key from the keyring only */
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "send", "--name", "Default", file);
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_cmpuint (count_arrived (sb, sha), ==, 1);
  }

  /* a second destination with a key the server refuses */
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, "not-the-key", NULL, "destination", "add", "Wrong & <odd>", "--service",
         "wetransfer-v1", "-o", url_option);
    sendoff_test_cli_assert_status (&run, 0);
  }
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "destination", "check", "Wrong & <odd>");
    sendoff_test_cli_assert_status (&run, 3);
    g_assert_nonnull (strstr (run.err, "“Wrong & <odd>” does not work"));
    g_assert_null (strstr (run.err, "not-the-key"));
  }

  /* the default decides where a plain send goes */
  {
    g_auto(SendoffTestCliRun) made_default = { 0 };
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&made_default, NULL, NULL, "destination", "default", "Wrong & <odd>");
    sendoff_test_cli_assert_status (&made_default, 0);
    CLI (&run, NULL, NULL, "send", file);
    sendoff_test_cli_assert_status (&run, 3);
    g_assert_cmpuint (count_arrived (sb, sha), ==, 1);
  }
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "send", "--to", "Sandbox", file);
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_cmpuint (count_arrived (sb, sha), ==, 2);
  }

  /* login replaces a destination's key from standard input */
  {
    g_autofree char *input = g_strconcat (sendoff_test_sandbox_get_api_key (sb), "\n", NULL);
    g_auto(SendoffTestCliRun) login = { 0 };
    g_auto(SendoffTestCliRun) check = { 0 };

    CLI (&login, NULL, input, "login", "--to", "Wrong & <odd>");
    sendoff_test_cli_assert_status (&login, 0);
    g_assert_nonnull (strstr (login.err, "Stored the key"));
    CLI (&check, NULL, NULL, "destination", "check", "Wrong & <odd>");
    sendoff_test_cli_assert_status (&check, 0);
  }

  /* removed: gone from the list, its key gone too */
  {
    g_auto(SendoffTestCliRun) run = { 0 };
    g_auto(SendoffTestCliRun) listed = { 0 };
    g_auto(SendoffTestCliRun) logout = { 0 };

    CLI (&run, NULL, NULL, "destination", "remove", "Wrong & <odd>");
    sendoff_test_cli_assert_status (&run, 0);
    CLI (&listed, NULL, NULL, "destination", "list", "--names");
    g_assert_cmpstr (listed.out, ==, "Sandbox\n");
    CLI (&logout, NULL, NULL, "logout", "--to", "Sandbox");
    sendoff_test_cli_assert_status (&logout, 0);
    g_assert_nonnull (strstr (logout.err, "Removed the key"));
  }
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    /* no key left anywhere: the message says how to give one */
    CLI (&run, NULL, NULL, "send", file);
    sendoff_test_cli_assert_status (&run, 3);
    g_assert_nonnull (strstr (run.err, "sendoff-cli login --to 'Sandbox'"));
    g_assert_nonnull (strstr (run.err, "SENDOFF_API_KEY"));
  }

  sendoff_test_sandbox_stop (sb);
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

#define ODD_NAME "Odd \033]0;owned\007 & <name>"
#define ODD_SHOWN "Odd \\e]0;owned\\a & <name>"

/* Nothing a terminal would act on: no ESC, BEL or C1 control */
static void
assert_terminal_safe (const char *text)
{
  g_assert_null (strchr (text, '\033'));
  g_assert_null (strchr (text, '\007'));
  g_assert_null (strstr (text, "\302\233"));
}

/* issue 17's habits on a saved destination: status, --dry-run, the missing
 * key, help, all with a name that could steer a terminal */
static void
test_habits (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  const char *url = sendoff_test_sandbox_get_url (sb);
  const char *key = sendoff_test_sandbox_get_api_key (sb);
  g_autofree char *url_option = g_strconcat ("api-url=", url, NULL);
  g_autofree char *saved_home = g_steal_pointer (&home);
  g_autofree char *file = NULL;

  home = g_dir_make_tmp ("sendoff-cli-habits-XXXXXX", NULL);
  file = make_file ("report.bin", 13 * 1024 * 1024);

  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, key, NULL, "destination", "add", ODD_NAME, "--service", "wetransfer-v1",
         "-o", url_option);
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_nonnull (strstr (run.err, ODD_SHOWN));
    assert_terminal_safe (run.err);
  }
  {
    g_auto(SendoffTestCliRun) list = { 0 };
    g_auto(SendoffTestCliRun) names = { 0 };

    CLI (&list, NULL, NULL, "destination", "list");
    CLI (&names, NULL, NULL, "destination", "list", "--names");
    g_assert_nonnull (strstr (list.out, ODD_SHOWN));
    g_assert_cmpstr (names.out, ==, ODD_SHOWN "\n");
    assert_terminal_safe (list.out);
  }

  /* status: the destination, its backend, where the option and key come from */
  {
    g_auto(SendoffTestCliRun) run = { 0 };
    g_auto(SendoffTestCliRun) env = { 0 };
    g_autofree char *from = g_strdup_printf ("%s (from the saved destination)", url);

    CLI (&run, NULL, NULL, "status");
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_nonnull (strstr (run.out, "Destination: " ODD_SHOWN));
    g_assert_nonnull (strstr (run.out, "Backend: wetransfer-v1"));
    g_assert_nonnull (strstr (run.out, from));
    g_assert_nonnull (strstr (run.out, "API Key: from the keyring"));
    g_assert_null (strstr (run.out, key));
    assert_terminal_safe (run.out);

    CLI (&env, key, NULL, "status", "--to", ODD_NAME, "--api-url", url);
    sendoff_test_cli_assert_status (&env, 0);
    g_assert_nonnull (strstr (env.out, "(from --api-url)"));
    g_assert_nonnull (strstr (env.out, "API Key: from the environment ($SENDOFF_API_KEY)"));
    g_assert_null (strstr (env.out, key));
  }

  /* --dry-run: the destination and the parts, nothing sent */
  {
    g_auto(SendoffTestCliRun) run = { 0 };
    g_auto(SendoffTestCliRun) json = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *plan;

    CLI (&run, NULL, NULL, "send", "--dry-run", "--to", ODD_NAME, file);
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_nonnull (strstr (run.out, "“" ODD_SHOWN "” (wetransfer-v1)"));
    g_assert_nonnull (strstr (run.out, url));
    g_assert_nonnull (strstr (run.out, "3 parts"));
    assert_terminal_safe (run.out);

    CLI (&json, NULL, NULL, "send", "--dry-run", "--json", file);
    sendoff_test_cli_assert_status (&json, 0);
    g_assert_true (json_parser_load_from_data (parser, json.out, -1, NULL));
    plan = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (plan, "destination"), ==, ODD_NAME);
    g_assert_cmpstr (json_object_get_string_member (plan, "service"), ==, "wetransfer-v1");
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (plan, "options"), "api-url"), ==, url);
  }

  /* sent with the key from the keyring; the started event names the destination */
  {
    g_auto(SendoffTestCliRun) run = { 0 };

    CLI (&run, NULL, NULL, "send", "--json", "--to", ODD_NAME, file);
    sendoff_test_cli_assert_status (&run, 0);
    g_assert_nonnull (strstr (run.out, "\"destination\":\"Odd \\u001b]0;owned\\u0007 & <name>\""));
  }

  /* no key: one message naming the login command and the variable, escaped */
  {
    g_auto(SendoffTestCliRun) logout = { 0 };
    g_auto(SendoffTestCliRun) run = { 0 };
    g_auto(SendoffTestCliRun) status = { 0 };

    CLI (&logout, NULL, NULL, "logout", "--to", ODD_NAME);
    sendoff_test_cli_assert_status (&logout, 0);
    assert_terminal_safe (logout.err);
    CLI (&run, NULL, NULL, "send", "--to", ODD_NAME, file);
    sendoff_test_cli_assert_status (&run, 3);
    g_assert_nonnull (strstr (run.err, "sendoff-cli login --to '" ODD_SHOWN "'"));
    g_assert_nonnull (strstr (run.err, "SENDOFF_API_KEY"));
    assert_terminal_safe (run.err);
    CLI (&status, NULL, NULL, "status", "--to", ODD_NAME);
    sendoff_test_cli_assert_status (&status, 0);
    g_assert_nonnull (strstr (status.out, "API Key: none"));
    g_assert_nonnull (strstr (status.out, "sendoff-cli login --to '" ODD_SHOWN "'"));
  }

  /* a destination that is not saved: the hint names --service and --api-url */
  {
    g_auto(SendoffTestCliRun) run = { 0 };
    g_autofree char *expect = g_strdup_printf ("sendoff-cli login --service wetransfer-v1 "
                                               "--api-url '%s'", url);

    CLI (&run, NULL, NULL, "send", "--service", "wetransfer-v1", "--api-url", url, file);
    sendoff_test_cli_assert_status (&run, 3);
    g_assert_nonnull (strstr (run.err, expect));
  }

  /* help for the destination commands */
  {
    g_auto(SendoffTestCliRun) help = { 0 };
    g_auto(SendoffTestCliRun) add = { 0 };
    g_auto(SendoffTestCliRun) check = { 0 };

    CLI (&help, NULL, NULL, "help", "destination");
    sendoff_test_cli_assert_status (&help, 0);
    g_assert_nonnull (strstr (help.out, "destination add NAME"));
    CLI (&add, NULL, NULL, "help", "destination", "add");
    sendoff_test_cli_assert_status (&add, 0);
    g_assert_nonnull (strstr (add.out, "-o task-id="));
    g_assert_nonnull (strstr (add.out, "SENDOFF_ACCESS_TOKEN"));
    CLI (&check, NULL, NULL, "help", "destination", "check");
    sendoff_test_cli_assert_status (&check, 0);
    g_assert_nonnull (strstr (check.out, "destination check NAME"));
  }

  remove_tree (home);
  g_free (home);
  home = g_steal_pointer (&saved_home);
  sendoff_test_sandbox_stop (sb);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  home = g_dir_make_tmp ("sendoff-cli-destination-XXXXXX", NULL);

  g_test_add_func ("/sendoff/cli/destination/lifecycle", test_lifecycle);
  g_test_add_func ("/sendoff/cli/destination/habits", test_habits);

  status = g_test_run ();
  remove_tree (home);
  g_free (home);
  return status;
}
