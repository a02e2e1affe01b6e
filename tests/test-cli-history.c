/* test-cli-history.c — `sendoff-cli history` as a user runs it, on a journal prepared here
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli-runner.h"
#include "sendoff-journal.h"

/* A name that tries to retitle the terminal, clear it, and break markup */
static const char hostile_name[] = "Tom & Jerry <live>\x1b]0;pwned\x07\x1b[2J\r\nend";
/* C0, C1, a bidi override and a backslash, short enough for its column */
static const char control_name[] = "a\x1b[2J\r\n\xc2\x9b\xe2\x80\xae" "b\\";
static const char control_shown[] = "a\\e[2J\\r\\n\\u009B\\u202Eb\\\\";

/* Runs sendoff-cli, its standard output to @stdout_path (NULL: kept in @run) */
static void
run_cli_to (SendoffTestCliRun *run,
            const char        *stdout_path,
            const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();

  sendoff_test_cli_set_stdout_path (cli, stdout_path);
  sendoff_test_cli_run (cli, run, args);
}

#define run_cli(run, ...) \
  run_cli_to ((run), NULL, (const char *const[]) { __VA_ARGS__, NULL })

static void
reset_journal (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "sendoff", NULL);
  g_autofree char *quoted = g_shell_quote (dir);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

static char *
add_transfer (SendoffJournal      *journal,
              const char          *name,
              SendoffJournalState  state,
              gint64               created_at,
              gint64               expires_at)
{
  g_autoptr(SendoffJournalTransfer) t = sendoff_journal_transfer_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  t->name = g_strdup (name);
  t->destination_name = g_strdup ("Sandbox & <co>");
  t->backend_id = g_strdup ("wetransfer-v1");
  t->created_at = created_at;
  sendoff_journal_transfer_add_file (t, "/tmp/a", "a.txt", 1500000);
  sendoff_journal_transfer_add_file (t, "/tmp/b", "dir/b.txt", 500000);
  id = sendoff_journal_create (journal, t, &error);
  g_assert_no_error (error);
  if (expires_at != 0)
    sendoff_journal_set_link (journal, id, "https://we.tl/t-abc123", expires_at);
  sendoff_journal_set_state (journal, id, state, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sendoff_journal_flush (journal, &error));
  return id;
}

static SendoffJournal *
journal_open (void)
{
  g_autoptr(GError) error = NULL;
  SendoffJournal *journal = sendoff_journal_new (NULL, &error);

  g_assert_no_error (error);
  return journal;
}

static void
assert_terminal_safe (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p != '\n')
      g_assert_cmpint ((guchar) *p, >=, 0x20);
  g_assert_null (strchr (text, 0x7f));
}

static void
test_empty (void)
{
  g_auto(SendoffTestCliRun) run = { 0 };
  g_auto(SendoffTestCliRun) json_run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  reset_journal ();
  run_cli (&run, "history");
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_cmpstr (run.out, ==, "No transfers yet.\n");
  g_assert_cmpstr (run.err, ==, "");

  run_cli (&json_run, "history", "--json");
  sendoff_test_cli_assert_status (&json_run, 0);
  g_assert_true (json_parser_load_from_data (parser, json_run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "transfers")),
                    ==, 0);
}

static void
test_table (void)
{
  g_autoptr(SendoffJournal) journal = NULL;
  g_autofree char *done = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *failed = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_auto(GStrv) lines = NULL;

  reset_journal ();
  journal = journal_open ();
  expired = add_transfer (journal, "Old photos", SENDOFF_JOURNAL_DONE, now - 900000, now - 5);
  failed = add_transfer (journal, control_name, SENDOFF_JOURNAL_FAILED, now - 600, 0);
  done = add_transfer (journal, hostile_name, SENDOFF_JOURNAL_DONE, now - 60,
                       now + 3 * 86400);
  g_clear_object (&journal);

  run_cli (&run, "history");
  g_test_message ("%s", run.out);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_cmpstr (run.err, ==, "");
  assert_terminal_safe (run.out);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);   /* header, 3 rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "ID "));
  g_assert_nonnull (strstr (lines[0], "LINK"));

  /* newest first */
  g_assert_true (g_str_has_prefix (lines[1], done));
  g_assert_true (g_str_has_prefix (lines[2], failed));
  g_assert_true (g_str_has_prefix (lines[3], expired));

  /* the hostile name shown escaped (cut to its column), & and < as they are */
  g_assert_nonnull (strstr (lines[1], "Tom & Jerry <live>\\e]0;pwned\\a"));
  g_assert_nonnull (strstr (lines[1], "…"));
  g_assert_nonnull (strstr (lines[2], control_shown));
  g_assert_nonnull (strstr (lines[1], "Sandbox & <co>"));
  g_assert_nonnull (strstr (lines[1], "2.0\xc2\xa0MB"));
  g_assert_nonnull (strstr (lines[1], "  2  "));
  g_assert_nonnull (strstr (lines[1], "done"));
  g_assert_nonnull (strstr (lines[1], "https://we.tl/t-abc123 (Link expires in 3 days)"));
  g_assert_nonnull (strstr (lines[2], "failed"));
  g_assert_nonnull (strstr (lines[2], "—"));
  g_assert_nonnull (strstr (lines[3], "https://we.tl/t-abc123 (The link has expired)"));
}

static void
test_json (void)
{
  g_autoptr(SendoffJournal) journal = NULL;
  g_autofree char *done = NULL;
  g_autofree char *paused = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonArray *transfers, *files;
  JsonObject *t;

  reset_journal ();
  journal = journal_open ();
  paused = add_transfer (journal, "Half", SENDOFF_JOURNAL_PAUSED, now - 100, 0);
  done = add_transfer (journal, hostile_name, SENDOFF_JOURNAL_DONE, now - 50, now + 86400);
  g_clear_object (&journal);

  run_cli (&run, "history", "--json");
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_cmpstr (run.err, ==, "");
  assert_terminal_safe (run.out);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  transfers = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "transfers");
  g_assert_cmpuint (json_array_get_length (transfers), ==, 2);

  t = json_array_get_object_element (transfers, 0);
  g_assert_cmpstr (json_object_get_string_member (t, "id"), ==, done);
  /* JSON carries the exact name; escaping is the reader's business */
  g_assert_cmpstr (json_object_get_string_member (t, "name"), ==, hostile_name);
  g_assert_cmpstr (json_object_get_string_member (t, "destination"), ==, "Sandbox & <co>");
  g_assert_cmpstr (json_object_get_string_member (t, "state"), ==, "done");
  g_assert_false (json_object_get_boolean_member (t, "resumable"));
  g_assert_cmpstr (json_object_get_string_member (t, "link"), ==, "https://we.tl/t-abc123");
  g_assert_cmpint (json_object_get_int_member (t, "expires_at"), ==, now + 86400);
  g_assert_cmpint (json_object_get_int_member (t, "created_at"), ==, now - 50);
  g_assert_cmpint (json_object_get_int_member (t, "size"), ==, 2000000);
  g_assert_true (json_object_get_null_member (t, "message"));
  files = json_object_get_array_member (t, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 1),
                                                  "name"), ==, "dir/b.txt");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 1),
                                               "size"), ==, 500000);

  t = json_array_get_object_element (transfers, 1);
  g_assert_cmpstr (json_object_get_string_member (t, "id"), ==, paused);
  g_assert_cmpstr (json_object_get_string_member (t, "state"), ==, "paused");
  g_assert_true (json_object_get_boolean_member (t, "resumable"));
  g_assert_true (json_object_get_null_member (t, "link"));
  g_assert_true (json_object_get_null_member (t, "expires_at"));
}

static void
test_remove (void)
{
  g_autoptr(SendoffJournal) journal = NULL;
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  g_autofree char *paused = NULL;
  g_autofree char *expected = NULL;
  g_auto(SendoffTestCliRun) removed = { 0 };
  g_auto(SendoffTestCliRun) unknown = { 0 };
  g_auto(SendoffTestCliRun) hostile = { 0 };
  g_auto(SendoffTestCliRun) unfinished = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  reset_journal ();
  journal = journal_open ();
  done = add_transfer (journal, "Done", SENDOFF_JOURNAL_DONE, now - 100, now + 10);
  paused = add_transfer (journal, "Paused", SENDOFF_JOURNAL_PAUSED, now - 50, 0);
  g_clear_object (&journal);

  run_cli (&removed, "history", "remove", done);
  sendoff_test_cli_assert_status (&removed, 0);
  expected = g_strdup_printf ("Removed %s from the history\n", done);
  g_assert_cmpstr (removed.out, ==, expected);
  g_assert_cmpstr (removed.err, ==, "");

  run_cli (&unknown, "history", "remove", done);
  sendoff_test_cli_assert_status (&unknown, 2);
  g_assert_cmpstr (unknown.out, ==, "");
  g_assert_nonnull (strstr (unknown.err, done));
  g_assert_nonnull (strstr (unknown.err, "No transfer"));

  run_cli (&hostile, "history", "remove", "\x1b]0;x\x07");
  sendoff_test_cli_assert_status (&hostile, 2);
  assert_terminal_safe (hostile.err);

  /* forgetting an unfinished one would orphan its upload */
  run_cli (&unfinished, "history", "remove", paused);
  sendoff_test_cli_assert_status (&unfinished, 2);
  g_assert_nonnull (strstr (unfinished.err, "unfinished"));
  g_assert_nonnull (strstr (unfinished.err, "discard"));

  journal = journal_open ();
  got = sendoff_journal_get (journal, done, &error);
  g_assert_null (got);
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  left = sendoff_journal_list (journal, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_cmpstr (((SendoffJournalTransfer *) left->pdata[0])->id, ==, paused);
}

static void
test_usage (void)
{
  g_auto(SendoffTestCliRun) bogus = { 0 };
  g_auto(SendoffTestCliRun) no_id = { 0 };
  g_auto(SendoffTestCliRun) option = { 0 };

  run_cli (&bogus, "history", "bogus");
  sendoff_test_cli_assert_status (&bogus, 2);
  g_assert_cmpstr (bogus.out, ==, "");
  g_assert_nonnull (strstr (bogus.err, "Usage"));
  run_cli (&no_id, "history", "remove");
  sendoff_test_cli_assert_status (&no_id, 2);
  g_assert_nonnull (strstr (no_id.err, "remove ID"));
  run_cli (&option, "history", "--frobnicate");
  sendoff_test_cli_assert_status (&option, 2);
  g_assert_nonnull (strstr (option.err, "frobnicate"));
}

static void
test_full_stdout (void)
{
  g_autoptr(SendoffJournal) journal = NULL;
  g_autofree char *id = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };

  reset_journal ();
  journal = journal_open ();
  id = add_transfer (journal, "x", SENDOFF_JOURNAL_DONE, 1700000000, 0);
  g_clear_object (&journal);

  run_cli_to (&run, "/dev/full", (const char *const[]) { "history", NULL });
  sendoff_test_cli_assert_status (&run, 1);
  g_assert_nonnull (strstr (run.err, "could not write the history"));
}

static void
test_too_new (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "sendoff", "journal.db",
                                            NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autofree char *command = NULL;
  g_autofree char *quoted = g_shell_quote (path);

  reset_journal ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  command = g_strdup_printf ("sqlite3 %s 'PRAGMA user_version = 42; CREATE TABLE t (x);'",
                             quoted);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));

  run_cli (&run, "history");
  sendoff_test_cli_assert_status (&run, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "newer version of Sendoff"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_dir_make_tmp ("sendoff-test-cli-history-XXXXXX", &error);
  g_autofree char *quoted = NULL;
  g_autofree char *command = NULL;
  int status;

  g_assert_no_error (error);
  /* before GLib caches it; the CLI inherits it */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/cli-history/empty", test_empty);
  g_test_add_func ("/sendoff/cli-history/table", test_table);
  g_test_add_func ("/sendoff/cli-history/json", test_json);
  g_test_add_func ("/sendoff/cli-history/remove", test_remove);
  g_test_add_func ("/sendoff/cli-history/usage", test_usage);
  g_test_add_func ("/sendoff/cli-history/full-stdout", test_full_stdout);
  g_test_add_func ("/sendoff/cli-history/too-new", test_too_new);

  status = g_test_run ();
  quoted = g_shell_quote (data_home);
  command = g_strdup_printf ("rm -rf %s", quoted);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  return status;
}
