/* test-resume.c — the journal written by sends, and resume after a kill, as a user meets it
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
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sendoff-journal.h"
#include "sendoff-transfer-resume.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"

#include "cli-runner.h"
#include "sandbox-fixture.h"
#include "sendoff-fake-provider.h"
#include "sqlite-rows.h"

/* Planted as the API key: it must never reach the journal's files */
#define PLANTED_KEY "planted-secret-5b1e0c9f77d2"
#define JOBS        "2"

/* ---- files ---------------------------------------------------------------- */

static char *
make_file (const char *dir,
           const char *name,
           gsize       size,
           guint32     seed)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint32 *data = g_malloc (MAX (size, 4) + 4);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size / 4 + 1; i++)
    data[i] = g_rand_int (rand);
  g_file_set_contents (path, (char *) data, (gssize) size, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
remove_tree (const char *path)
{
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

/* ---- the command line, as a user runs it ----------------------------------- */

typedef struct {
  char               *dir;        /* the files sent */
  char               *data_home;  /* XDG_DATA_HOME: the journal */
  SendoffTestSandbox *sb;
  SendoffTestCli     *cli;        /* sendoff-cli, sending to sb */
  char              **paths;      /* big, mid, empty, small */
} Ctx;

static const char *const names[] = { "big.bin", "mid.bin", "empty.bin", "small.txt" };
static const gsize sizes[] = { 30 * 1000 * 1000, 7 * 1000 * 1000, 0, 3 };

/* A sandbox that takes the planted key, and sendoff-cli pointed at it */
static void
ctx_start_sandbox (Ctx        *c,
                   const char *latency_ms)
{
  g_autofree char *latency = g_strconcat ("--latency-ms=", latency_ms, NULL);
  const char *const args[] = { "--api-key=" PLANTED_KEY, latency, NULL };

  g_clear_pointer (&c->sb, sendoff_test_sandbox_stop);
  c->sb = sendoff_test_sandbox_start (args);
  sendoff_test_cli_setenv (c->cli, "SENDOFF_ACCESS_TOKEN",
                           sendoff_test_sandbox_get_access_token (c->sb));
  sendoff_test_cli_setenv (c->cli, "SENDOFF_CLIENT_ID",
                           sendoff_test_sandbox_get_client_id (c->sb));
}

static void
ctx_init (Ctx *c)
{
  g_autoptr(GError) error = NULL;

  c->dir = g_dir_make_tmp ("sendoff-resume-XXXXXX", &error);
  g_assert_no_error (error);
  c->data_home = g_build_filename (c->dir, "data", NULL);
  c->paths = g_new0 (char *, G_N_ELEMENTS (names) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    c->paths[i] = make_file (c->dir, names[i], sizes[i], i + 7);
  c->cli = sendoff_test_cli_new ();
  sendoff_test_cli_set_api_key (c->cli, PLANTED_KEY);
  sendoff_test_cli_setenv (c->cli, "XDG_DATA_HOME", c->data_home);
  ctx_start_sandbox (c, "40");
}

static void
ctx_clear (Ctx *c)
{
  g_clear_pointer (&c->sb, sendoff_test_sandbox_stop);
  g_clear_pointer (&c->cli, sendoff_test_cli_free);
  remove_tree (c->dir);
  g_free (c->dir);
  g_free (c->data_home);
  g_strfreev (c->paths);
}

/* ---- what the sandbox holds -------------------------------------------------- */

static guint
count_stored_parts (SendoffTestSandbox *sb,
                    guint              *extra_puts)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
  JsonArray *transfers = json_object_get_array_member (state, "transfers");
  guint stored = 0;

  if (extra_puts != NULL)
    *extra_puts = 0;
  for (guint t = 0; t < json_array_get_length (transfers); t++)
    {
      JsonArray *items = json_object_get_array_member (json_array_get_object_element (transfers, t),
                                                       "items");

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonArray *parts = json_object_get_array_member (json_array_get_object_element (items, i),
                                                           "parts");

          stored += json_array_get_length (parts);
          for (guint p = 0; extra_puts && p < json_array_get_length (parts); p++)
            *extra_puts += json_object_get_int_member (json_array_get_object_element (parts, p),
                                                       "puts") - 1;
        }
    }
  return stored;
}

static gint64
storage_puts (SendoffTestSandbox *sb)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);

  return json_object_get_int_member (json_object_get_object_member (state, "requests"),
                                     "storage_puts");
}

/* Every file is complete on the sandbox with the bytes it has now */
static void
assert_files_intact (Ctx *c)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (c->sb);
  JsonArray *transfers = json_object_get_array_member (state, "transfers");

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *sha = sendoff_test_sha256_file (c->paths[f]);
      gboolean found = FALSE;

      for (guint t = 0; t < json_array_get_length (transfers); t++)
        {
          JsonArray *items = json_object_get_array_member (
            json_array_get_object_element (transfers, t), "items");

          for (guint i = 0; i < json_array_get_length (items); i++)
            {
              JsonObject *item = json_array_get_object_element (items, i);

              if (g_str_equal (json_object_get_string_member (item, "filename"), names[f]) &&
                  json_object_get_boolean_member (item, "completed") &&
                  g_strcmp0 (json_object_get_string_member (item, "sha256"), sha) == 0)
                found = TRUE;
            }
        }
      if (!found)
        g_error ("%s is not on the sandbox intact", names[f]);
    }
}

/* ---- what the journal holds ---------------------------------------------- */

static char *
journal_path (Ctx        *c,
              const char *suffix)
{
  return g_strconcat (c->data_home, "/sendoff/journal.db", suffix, NULL);
}

static void
assert_journal_sound (Ctx *c)
{
  g_autofree char *path = journal_path (c, "");
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gboolean
contains (const char *data,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_no_secret (Ctx *c)
{
  const char *const suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = journal_path (c, suffixes[i]);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &data, &len, NULL))
        continue;
      g_assert_false (contains (data, len, PLANTED_KEY));
    }
}

/* The only transfer of history --json, as an object the caller owns */
static JsonObject *
history_transfer (Ctx *c)
{
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *transfers;

  sendoff_test_cli_run_args (c->cli, &run, "history", "--json");
  sendoff_test_cli_assert_status (&run, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  transfers = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "transfers");
  g_assert_cmpuint (json_array_get_length (transfers), ==, 1);
  return json_object_ref (json_array_get_object_element (transfers, 0));
}

/* ---- a send cut off ------------------------------------------------------------ */

/* Starts a send of every file and waits until storage holds @min_parts of
 * its 9 parts (@stored: how many it held then) */
static SendoffTestCliProcess *
start_send (Ctx   *c,
            guint  min_parts,
            guint *stored)
{
  const char *const args[] = { "send", "--json", "--jobs", JOBS, "--api-url",
                               sendoff_test_sandbox_get_url (c->sb), c->paths[0], c->paths[1],
                               c->paths[2], c->paths[3], NULL };
  SendoffTestCliProcess *process = sendoff_test_cli_spawn (c->cli, args);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while ((*stored = count_stored_parts (c->sb, NULL)) < min_parts)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  return process;
}

/* That send, sent @signum once storage holds @min_parts. Returns the
 * journal id. */
static char *
send_and_stop (Ctx               *c,
               guint              min_parts,
               int                signum,
               SendoffTestCliRun *run)
{
  g_autoptr(SendoffTestCliProcess) process = NULL;
  g_autoptr(JsonObject) transfer = NULL;
  guint stored = 0;

  process = start_send (c, min_parts, &stored);
  /* the point is a send cut off half-way: it must not have finished */
  g_assert_cmpuint (stored, <, 9);
  sendoff_test_cli_process_send_signal (process, signum);
  sendoff_test_cli_process_wait (process, run);
  sendoff_test_cli_assert_utf8 (run);
  /* any other signal it catches, and exits 128 + it, saying so */
  if (signum == SIGKILL)
    sendoff_test_cli_assert_killed (run, SIGKILL);
  else
    sendoff_test_cli_assert_status (run, 128 + signum);

  assert_journal_sound (c);
  assert_no_secret (c);
  transfer = history_transfer (c);
  g_assert_true (json_object_get_boolean_member (transfer, "resumable"));
  return g_strdup (json_object_get_string_member (transfer, "id"));
}

static void
resume (Ctx               *c,
        SendoffTestCliRun *run,
        const char        *id)
{
  sendoff_test_cli_run_args (c->cli, run, "resume", "--jobs", JOBS,
                             "--api-url", sendoff_test_sandbox_get_url (c->sb), id);
}

/* The link printed last is the one history keeps */
static void
assert_done_with_link (Ctx        *c,
                       const char *out)
{
  g_autoptr(JsonObject) transfer = history_transfer (c);
  g_auto(GStrv) lines = g_strsplit (g_strchomp ((char *) out), "\n", -1);
  const char *link = json_object_get_string_member (transfer, "link");

  g_assert_cmpstr (json_object_get_string_member (transfer, "state"), ==, "done");
  g_assert_nonnull (link);
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, link);
}

static void
test_kill_and_resume (void)
{
  Ctx c = { 0 };
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autofree char *id = NULL;
  guint extra = 0;

  ctx_init (&c);
  id = send_and_stop (&c, 3, SIGKILL, &killed);

  resume (&c, &run, id);
  sendoff_test_cli_assert_status (&run, 0);
  assert_files_intact (&c);
  count_stored_parts (c.sb, &extra);
  g_test_message ("parts sent again after the kill: %u", extra);
  g_assert_cmpuint (extra, <=, atoi (JOBS));
  assert_journal_sound (&c);
  assert_no_secret (&c);
  assert_done_with_link (&c, run.out);

  /* nothing is left to resume */
  sendoff_test_cli_run_clear (&run);
  sendoff_test_cli_run_args (c.cli, &run, "resume");
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "No unfinished transfers"));
  ctx_clear (&c);
}

static void
test_interrupted (void)
{
  Ctx c = { 0 };
  g_auto(SendoffTestCliRun) stopped = { 0 };
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autoptr(JsonObject) transfer = NULL;
  g_autofree char *id = NULL;
  g_autofree char *command = NULL;
  g_autofree char *event = NULL;

  ctx_init (&c);
  id = send_and_stop (&c, 1, SIGTERM, &stopped);

  /* the id and the exact command, on stderr and in the JSON error event */
  command = g_strdup_printf ("sendoff-cli resume %s\n", id);
  g_assert_nonnull (strstr (stopped.err, command));
  event = g_strdup_printf ("\"kind\":\"interrupted\",\"message\":\"Interrupted; nothing more "
                           "was sent\",\"journal_id\":\"%s\"", id);
  g_assert_nonnull (strstr (stopped.out, event));
  transfer = history_transfer (&c);
  g_assert_cmpstr (json_object_get_string_member (transfer, "state"), ==, "paused");

  /* with no id: every unfinished transfer */
  sendoff_test_cli_run_args (c.cli, &run, "resume", "--json",
                             "--api-url", sendoff_test_sandbox_get_url (c.sb));
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "\"event\":\"done\""));
  g_assert_nonnull (strstr (run.out, "\"expires_at\":null"));
  assert_files_intact (&c);
  ctx_clear (&c);
}

static void
test_changed_file (void)
{
  Ctx c = { 0 };
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  ctx_init (&c);
  /* Answers 300 ms apart: mid.bin (sent after big.bin's five parts) is still far
   * from whole when the third part is stored and the kill lands, even on
   * a loaded machine (at 40 ms, a slow test let the sender complete it
   * first: a file the server holds whole cannot be sent into the same
   * transfer again) */
  ctx_start_sandbox (&c, "300");
  id = send_and_stop (&c, 3, SIGKILL, &killed);

  /* mid.bin is rewritten with other bytes (a new inode, a new mtime) */
  g_assert_cmpint (g_unlink (c.paths[1]), ==, 0);
  path = make_file (c.dir, "mid.bin", sizes[1], 99);
  resume (&c, &run, id);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.err, "“mid.bin” changed since the transfer stopped; it is sent "
                                     "again from the start"));
  g_assert_null (strstr (run.err, "big.bin"));
  assert_files_intact (&c);
  assert_done_with_link (&c, run.out);
  ctx_clear (&c);
}

static void
test_deleted_file (void)
{
  Ctx c = { 0 };
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autofree char *id = NULL;
  gint64 puts;

  ctx_init (&c);
  id = send_and_stop (&c, 2, SIGKILL, &killed);

  /* big.bin (5 parts) cannot be sent whole yet */
  g_assert_cmpint (g_unlink (c.paths[0]), ==, 0);
  puts = storage_puts (c.sb);
  resume (&c, &run, id);
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "“big.bin” is gone"));
  g_assert_cmpint (storage_puts (c.sb), ==, puts);
  ctx_clear (&c);
}

static void
test_forgotten (void)
{
  Ctx c = { 0 };
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_auto(SendoffTestCliRun) run = { 0 };
  g_auto(SendoffTestCliRun) restart = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *hint = NULL;

  ctx_init (&c);
  id = send_and_stop (&c, 3, SIGKILL, &killed);

  /* the server restarted and lost everything */
  ctx_start_sandbox (&c, "40");
  resume (&c, &run, id);
  sendoff_test_cli_assert_status (&run, 1);
  g_assert_nonnull (strstr (run.err, "The server no longer knows this transfer"));
  hint = g_strdup_printf ("sendoff-cli resume --restart %s\n", id);
  g_assert_nonnull (strstr (run.err, hint));
  g_assert_cmpint (storage_puts (c.sb), ==, 0);

  sendoff_test_cli_run_args (c.cli, &restart, "resume", "--restart", "--api-url",
                             sendoff_test_sandbox_get_url (c.sb), id);
  sendoff_test_cli_assert_status (&restart, 0);
  assert_files_intact (&c);
  assert_done_with_link (&c, restart.out);
  assert_journal_sound (&c);
  ctx_clear (&c);
}

static void
test_discard (void)
{
  Ctx c = { 0 };
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_auto(SendoffTestCliRun) run = { 0 };
  g_auto(SendoffTestCliRun) unknown = { 0 };
  g_auto(SendoffTestCliRun) again = { 0 };
  g_autoptr(JsonObject) transfer = NULL;
  g_autofree char *id = NULL;

  ctx_init (&c);
  id = send_and_stop (&c, 2, SIGKILL, &killed);

  sendoff_test_cli_run_args (c.cli, &run, "discard",
                             "--api-url", sendoff_test_sandbox_get_url (c.sb), id);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, id));
  transfer = history_transfer (&c);
  g_assert_cmpstr (json_object_get_string_member (transfer, "state"), ==, "discarded");
  g_assert_false (json_object_get_boolean_member (transfer, "resumable"));

  sendoff_test_cli_run_args (c.cli, &unknown, "discard", "aaaaaaaaaaaa");
  sendoff_test_cli_assert_status (&unknown, 2);
  g_assert_nonnull (strstr (unknown.err, "no transfer aaaaaaaaaaaa"));
  resume (&c, &again, id);
  sendoff_test_cli_assert_status (&again, 2);
  g_assert_nonnull (strstr (again.err, "was discarded"));
  ctx_clear (&c);
}

/* ---- one process at a time: a send that is still alive is left alone ------- */

/* Every row that says what the journal knows of the transfers, as text */
static char *
journal_dump (Ctx *c)
{
  g_autofree char *path = journal_path (c, "");
  GString *dump = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sendoff_test_sqlite_rows (db,
                                             "SELECT * FROM transfers ORDER BY id;"
                                             "SELECT * FROM files ORDER BY transfer_id, idx;"
                                             "SELECT * FROM parts"
                                             " ORDER BY transfer_id, file_idx, number",
                                             dump), ==, SQLITE_OK);
  sqlite3_close (db);
  return g_string_free (dump, FALSE);
}

/* What the sandbox was asked, once the requests already on their way are in */
static char *
settled_requests (SendoffTestSandbox *sb)
{
  g_autofree char *last = NULL;

  for (;;)
    {
      g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
      g_autoptr(JsonNode) transfers = json_node_init_array (json_node_alloc (),
        json_object_get_array_member (state, "transfers"));
      g_autofree char *stored = json_to_string (transfers, FALSE);
      /* what a client asked, not what the server does on its own (reaping
       * idle connections); the inspection itself is not counted */
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT " %s",
        json_object_get_int_member (json_object_get_object_member (state, "requests"), "total"),
        stored);

      if (g_strcmp0 (now, last) == 0)
        return g_steal_pointer (&now);
      g_free (last);
      last = g_steal_pointer (&now);
      g_usleep (300 * 1000);
    }
}

/* resume ID and discard ID fail at once, say who sends it, and change
 * nothing; resume without an id leaves it alone */
static void
assert_refused (Ctx        *c,
                const char *id,
                GPid        sender)
{
  g_autofree char *busy = g_strdup_printf ("sendoff-cli: Transfer %s is being sent by another "
                                           "Sendoff (process %d)\n", id, (int) sender);
  g_autofree char *skipped = g_strdup_printf ("sendoff-cli: Transfer %s is being sent by "
                                              "another Sendoff (process %d); skipped\n", id,
                                              (int) sender);
  g_auto(SendoffTestCliRun) resumed = { 0 };
  g_auto(SendoffTestCliRun) json = { 0 };
  g_auto(SendoffTestCliRun) discarded = { 0 };
  g_auto(SendoffTestCliRun) all = { 0 };
  g_auto(SendoffTestCliRun) removed = { 0 };

  resume (c, &resumed, id);
  sendoff_test_cli_assert_status (&resumed, 2);
  g_assert_cmpstr (resumed.err, ==, busy);
  g_assert_cmpstr (resumed.out, ==, "");

  sendoff_test_cli_run_args (c->cli, &json, "resume", "--json",
                             "--api-url", sendoff_test_sandbox_get_url (c->sb), id);
  sendoff_test_cli_assert_status (&json, 2);
  g_assert_nonnull (strstr (json.out, "{\"event\":\"error\",\"kind\":\"usage\",\"message\":"
                                      "\"Transfer "));

  sendoff_test_cli_run_args (c->cli, &discarded, "discard",
                             "--api-url", sendoff_test_sandbox_get_url (c->sb), id);
  sendoff_test_cli_assert_status (&discarded, 2);
  g_assert_cmpstr (discarded.err, ==, busy);
  g_assert_cmpstr (discarded.out, ==, "");

  sendoff_test_cli_run_args (c->cli, &all, "resume",
                             "--api-url", sendoff_test_sandbox_get_url (c->sb));
  sendoff_test_cli_assert_status (&all, 0);
  g_assert_cmpstr (all.err, ==, skipped);
  g_assert_cmpstr (all.out, ==, "");

  sendoff_test_cli_run_args (c->cli, &removed, "history", "remove", id);
  sendoff_test_cli_assert_status (&removed, 2);
  g_assert_nonnull (strstr (removed.err, "is being sent by another Sendoff"));
}

static char *
lock_file (Ctx        *c,
           const char *id)
{
  g_autofree char *name = g_strconcat ("-locks/", id, ".lock", NULL);

  return journal_path (c, name);
}

static void
test_locked_while_stopped (void)
{
  Ctx c = { 0 };
  g_autoptr(SendoffTestCliProcess) sender = NULL;
  g_autoptr(JsonObject) transfer = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *id = NULL;
  g_autofree char *requests = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *lock_text = NULL;
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_auto(SendoffTestCliRun) table = { 0 };
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autofree char *journal_db = NULL;
  GPid pid;
  struct stat st;
  guint extra = 0, stored = 0;

  ctx_init (&c);
  sender = start_send (&c, 2, &stored);
  pid = sendoff_test_cli_process_get_pid (sender);
  /* frozen half-way: it holds the transfer as much as when it runs */
  journal_db = journal_path (&c, "");
  sendoff_test_cli_process_freeze (sender, journal_db);
  requests = settled_requests (c.sb);

  transfer = history_transfer (&c);
  id = g_strdup (json_object_get_string_member (transfer, "id"));
  g_assert_cmpstr (json_object_get_string_member (transfer, "state"), ==, "sending");
  g_assert_true (json_object_get_boolean_member (transfer, "locked"));
  g_assert_cmpint (json_object_get_int_member (transfer, "locked_by"), ==, pid);
  g_assert_false (json_object_get_boolean_member (transfer, "resumable"));
  sendoff_test_cli_run_args (c.cli, &table, "history");
  g_assert_nonnull (strstr (table.out, " sending "));

  /* its lock: private, no secret in it */
  lock = lock_file (&c, id);
  dir = g_path_get_dirname (lock);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (lock, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (lock, &lock_text, NULL, NULL));
  g_assert_null (strstr (lock_text, PLANTED_KEY));

  journal = journal_dump (&c);
  assert_refused (&c, id, pid);
  {
    g_autofree char *requests_after = settled_requests (c.sb);
    g_autofree char *journal_after = journal_dump (&c);

    /* nothing asked of the server, nothing written */
    g_assert_cmpstr (requests_after, ==, requests);
    g_assert_cmpstr (journal_after, ==, journal);
  }

  /* kill -9: the system lets go, and the transfer is there to resume */
  sendoff_test_cli_process_send_signal (sender, SIGKILL);
  sendoff_test_cli_process_wait (sender, &killed);
  sendoff_test_cli_assert_utf8 (&killed);
  sendoff_test_cli_assert_killed (&killed, SIGKILL);
  after = history_transfer (&c);
  g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "sending");
  g_assert_false (json_object_get_boolean_member (after, "locked"));
  g_assert_true (json_object_get_boolean_member (after, "resumable"));
  sendoff_test_cli_run_clear (&table);
  sendoff_test_cli_run_args (c.cli, &table, "history");
  g_assert_nonnull (strstr (table.out, " interrupted "));

  resume (&c, &run, id);
  sendoff_test_cli_assert_status (&run, 0);
  assert_files_intact (&c);
  count_stored_parts (c.sb, &extra);
  g_test_message ("parts sent again after the kill: %u", extra);
  g_assert_cmpuint (extra, <=, atoi (JOBS));
  assert_done_with_link (&c, run.out);
  assert_journal_sound (&c);
  /* let go of, and gone */
  g_assert_false (g_file_test (lock, G_FILE_TEST_EXISTS));
  ctx_clear (&c);
}

/* Refused while the first one really sends, which then ends as if nothing
 * had happened */
static void
test_locked_while_sending (void)
{
  Ctx c = { 0 };
  g_autoptr(SendoffTestCliProcess) sender = NULL;
  g_autoptr(JsonObject) transfer = NULL;
  g_autofree char *id = NULL;
  g_autofree char *lock = NULL;
  g_auto(SendoffTestCliRun) sent = { 0 };
  guint stored = 0;

  ctx_init (&c);
  ctx_start_sandbox (&c, "300");
  sender = start_send (&c, 2, &stored);

  transfer = history_transfer (&c);
  id = g_strdup (json_object_get_string_member (transfer, "id"));
  /* Each refusal names the sender's pid, which a lock file only gives
   * for a holder still alive: the sender held the lock, sending, at every
   * one of them. (How many parts it had stored by then is the machine's
   * speed: counting them failed under ASan on a loaded machine.) */
  assert_refused (&c, id, sendoff_test_cli_process_get_pid (sender));

  sendoff_test_cli_process_wait (sender, &sent);
  sendoff_test_cli_assert_utf8 (&sent);
  sendoff_test_cli_assert_status (&sent, 0);
  assert_files_intact (&c);
  g_clear_pointer (&transfer, json_object_unref);
  transfer = history_transfer (&c);
  g_assert_cmpstr (json_object_get_string_member (transfer, "state"), ==, "done");
  g_assert_false (json_object_get_boolean_member (transfer, "locked"));
  lock = lock_file (&c, id);
  g_assert_false (g_file_test (lock, G_FILE_TEST_EXISTS));
  assert_journal_sound (&c);
  ctx_clear (&c);
}

/* Wunderlist: no transfer on the server, one upload per file, then a file
 * in a task for each; after a kill, resume ends with every file there once */
static guint
count_wunderlist_parts (SendoffTestSandbox *sb,
                        guint              *extra_puts)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
  JsonArray *uploads = json_object_get_array_member (json_object_get_object_member (state,
                                                                                    "wunderlist"),
                                                     "uploads");
  guint stored = 0;

  *extra_puts = 0;
  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      JsonObject *upload = json_array_get_object_element (uploads, i);
      JsonArray *parts = json_object_get_array_member (upload, "parts");

      stored += json_array_get_length (parts);
      for (guint p = 0; p < json_array_get_length (parts); p++)
        *extra_puts += json_object_get_int_member (json_array_get_object_element (parts, p),
                                                   "puts") - 1;
    }
  return stored;
}

static void
assert_wunderlist_intact (Ctx *c)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (c->sb);
  JsonObject *wl = json_object_get_object_member (state, "wunderlist");
  JsonArray *uploads = json_object_get_array_member (wl, "uploads");
  JsonArray *files = json_object_get_array_member (wl, "files");

  /* one file per source file in the task, each from a complete upload */
  g_assert_cmpuint (json_array_get_length (files), ==, G_N_ELEMENTS (names));
  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *sha = sendoff_test_sha256_file (c->paths[f]);
      guint found = 0;

      for (guint i = 0; i < json_array_get_length (uploads); i++)
        {
          JsonObject *upload = json_array_get_object_element (uploads, i);

          if (g_str_equal (json_object_get_string_member (upload, "file_name"), names[f]) &&
              json_object_get_boolean_member (upload, "completed") &&
              g_strcmp0 (json_object_get_string_member (upload, "sha256"), sha) == 0)
            found++;
        }
      g_assert_cmpuint (found, ==, 1);
    }
}

static void
test_wunderlist (void)
{
  Ctx c = { 0 };
  g_autofree char *api_url = NULL;
  g_autofree char *id = NULL;
  g_autoptr(SendoffTestCliProcess) process = NULL;
  g_autoptr(JsonObject) transfer = NULL;
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_auto(SendoffTestCliRun) run = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint stored, extra = 0;

  ctx_init (&c);
  api_url = g_strdup_printf ("api-url=%s", sendoff_test_sandbox_get_url (c.sb));
  process = sendoff_test_cli_spawn (c.cli, (const char *const[]) {
    "send", "--service", "wunderlist", "-o", api_url, "-o", "task-id=1", "--jobs", JOBS,
    c.paths[0], c.paths[1], c.paths[2], c.paths[3], NULL });
  while ((stored = count_wunderlist_parts (c.sb, &extra)) < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  g_assert_cmpuint (stored, <, 8);
  sendoff_test_cli_process_send_signal (process, SIGKILL);
  sendoff_test_cli_process_wait (process, &killed);
  sendoff_test_cli_assert_utf8 (&killed);
  transfer = history_transfer (&c);
  id = g_strdup (json_object_get_string_member (transfer, "id"));

  sendoff_test_cli_run_args (c.cli, &run, "resume", "-o", api_url, "-o", "task-id=1", id);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "Created 4 files in task 1"));
  assert_wunderlist_intact (&c);
  count_wunderlist_parts (c.sb, &extra);
  g_assert_cmpuint (extra, <=, atoi (JOBS));
  assert_journal_sound (&c);
  ctx_clear (&c);
}

/* ---- the engine, with a provider that keeps receipts (S3-like) ------------- */

#define FAKE_PART (64 * 1024)

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
send_sync (SendoffUploader  *uploader,
           SendoffTransfer  *transfer,
           GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_uploader_send_async (uploader, transfer, NULL, on_done, &result);
  wait_for (&result);
  return sendoff_uploader_send_finish (uploader, result, error);
}

static SendoffUploader *
fake_uploader (SendoffFakeProvider *fake,
               SendoffJournal      *journal)
{
  SendoffUploader *uploader = sendoff_uploader_new (SENDOFF_PROVIDER (fake));

  g_object_set (fake, "part-size", (guint64) FAKE_PART, NULL);
  g_object_set (uploader, "max-retries", 0, "journal", journal, NULL);
  sendoff_uploader_set_destination (uploader, NULL, "Fake", NULL);
  return uploader;
}

static char *
expected_etags (const char *path,
                guint       n_parts)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr(GBytes) all = g_mapped_file_get_bytes (mapped);
  g_autoptr(GString) etags = g_string_new (NULL);

  for (guint i = 0; i < n_parts; i++)
    {
      gsize offset = (gsize) i * FAKE_PART;
      gsize len = MIN (FAKE_PART, g_bytes_get_size (all) - offset);
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (all, offset, len);
      g_autofree char *etag = sendoff_fake_etag (part);

      g_string_append_printf (etags, "%s%s", i > 0 ? "," : "", etag);
    }
  return g_string_free (g_steal_pointer (&etags), FALSE);
}

static void
test_engine_receipts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sendoff-resume-engine-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "journal.db", NULL);
  g_autofree char *path = make_file (dir, "a", 4 * FAKE_PART - 100, 3);
  g_autofree char *etags = expected_etags (path, 4);
  g_autofree char *finish = g_strdup_printf ("finish-item a %s", etags);
  g_autoptr(SendoffJournal) journal = sendoff_journal_new (db, &error);
  g_autoptr(SendoffJournalTransfer) record = NULL;
  g_autoptr(SendoffTransfer) first = sendoff_transfer_new ();
  g_autoptr(SendoffTransfer) again = NULL;
  g_autoptr(SendoffFakeProvider) fake = sendoff_fake_provider_new ();
  g_autoptr(SendoffFakeProvider) fake2 = sendoff_fake_provider_new ();
  g_autoptr(SendoffUploader) uploader = fake_uploader (fake, journal);
  g_autoptr(SendoffUploader) uploader2 = NULL;
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(GStrv) restarted = NULL;
  GPtrArray *parts;

  g_assert_no_error (error);
  sendoff_transfer_add_files_async (first, &file, 1, NULL, on_done, &added);
  wait_for (&added);
  g_assert_true (sendoff_transfer_add_files_finish (first, added, NULL, &error));

  /* part 3 fails for a passing reason with no retry left: the send stops,
   * the remote state stays (no abort), the journal keeps what was stored */
  sendoff_fake_provider_script (fake, "put:3", FAKE_RETRYABLE);
  g_assert_false (send_sync (uploader, first, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (sendoff_fake_provider_count (fake, "abort"), ==, 0);
  g_assert_nonnull (sendoff_transfer_get_journal_id (first));

  record = sendoff_journal_get (journal, sendoff_transfer_get_journal_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->state, ==, SENDOFF_JOURNAL_FAILED);
  g_assert_true (record->resumable);
  parts = ((SendoffJournalFile *) g_ptr_array_index (record->files, 0))->parts;
  for (guint i = 0; i < parts->len; i++)
    g_assert_cmpuint (((SendoffJournalPart *) g_ptr_array_index (parts, i))->number, !=, 3);

  /* another process: a fresh provider gets the upload and receipts back */
  uploader2 = fake_uploader (fake2, journal);
  again = sendoff_transfer_new_from_journal (journal, record->id, SENDOFF_PROVIDER (fake2),
                                             SENDOFF_RESUME_NONE, &restarted, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (restarted), ==, 0);
  g_assert_true (send_sync (uploader2, again, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < parts->len; i++)
    {
      g_autofree char *line = g_strdup_printf ("PUT a %u",
        ((SendoffJournalPart *) g_ptr_array_index (parts, i))->number);

      g_assert_cmpuint (sendoff_fake_provider_count (fake2, line), ==, 0);
    }
  g_assert_cmpuint (sendoff_fake_provider_count (fake2, "PUT a 3"), ==, 1);
  g_assert_cmpuint (sendoff_fake_provider_count (fake2, "register a"), ==, 0);
  g_assert_cmpuint (sendoff_fake_provider_count (fake2, finish), ==, 1);

  g_clear_pointer (&record, sendoff_journal_transfer_free);
  record = sendoff_journal_get (journal, sendoff_transfer_get_journal_id (again), &error);
  g_assert_cmpint (record->state, ==, SENDOFF_JOURNAL_DONE);
  g_assert_cmpint (((SendoffJournalFile *) g_ptr_array_index (record->files, 0))->state, ==,
                   SENDOFF_JOURNAL_DONE);
  remove_tree (dir);
}

/* Discard runs the provider's abort and marks the transfer discarded */
static void
test_engine_discard (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sendoff-resume-engine-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "journal.db", NULL);
  g_autofree char *path = make_file (dir, "a", 3 * FAKE_PART, 5);
  g_autoptr(SendoffJournal) journal = sendoff_journal_new (db, &error);
  g_autoptr(SendoffJournalTransfer) record = NULL;
  g_autoptr(SendoffTransfer) first = sendoff_transfer_new ();
  g_autoptr(SendoffTransfer) again = NULL;
  g_autoptr(SendoffFakeProvider) fake = sendoff_fake_provider_new ();
  g_autoptr(SendoffFakeProvider) fake2 = sendoff_fake_provider_new ();
  g_autoptr(SendoffUploader) uploader = fake_uploader (fake, journal);
  g_autoptr(SendoffUploader) uploader2 = NULL;
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) discarded = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);

  sendoff_transfer_add_files_async (first, &file, 1, NULL, on_done, &added);
  wait_for (&added);
  g_assert_true (sendoff_transfer_add_files_finish (first, added, NULL, &error));
  sendoff_fake_provider_script (fake, "put:2", FAKE_RETRYABLE);
  g_assert_false (send_sync (uploader, first, &error));
  g_clear_error (&error);

  /* the file may be gone by then: discarding does not look at it */
  g_assert_cmpint (g_unlink (path), ==, 0);
  uploader2 = fake_uploader (fake2, journal);
  again = sendoff_transfer_new_from_journal (journal, sendoff_transfer_get_journal_id (first),
                                             SENDOFF_PROVIDER (fake2), SENDOFF_RESUME_DISCARD,
                                             NULL, &error);
  g_assert_no_error (error);
  sendoff_uploader_discard_async (uploader2, again, NULL, on_done, &discarded);
  wait_for (&discarded);
  g_assert_true (sendoff_uploader_discard_finish (uploader2, discarded, &error));
  g_assert_cmpuint (sendoff_fake_provider_count (fake2, "abort"), ==, 1);

  record = sendoff_journal_get (journal, sendoff_transfer_get_journal_id (again), &error);
  g_assert_cmpint (record->state, ==, SENDOFF_JOURNAL_DISCARDED);
  g_assert_false (record->resumable);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/resume/engine-receipts", test_engine_receipts);
  g_test_add_func ("/sendoff/resume/engine-discard", test_engine_discard);
  g_test_add_func ("/sendoff/resume/kill-and-resume", test_kill_and_resume);
  g_test_add_func ("/sendoff/resume/interrupted", test_interrupted);
  g_test_add_func ("/sendoff/resume/changed-file", test_changed_file);
  g_test_add_func ("/sendoff/resume/deleted-file", test_deleted_file);
  g_test_add_func ("/sendoff/resume/forgotten", test_forgotten);
  g_test_add_func ("/sendoff/resume/discard", test_discard);
  g_test_add_func ("/sendoff/resume/wunderlist", test_wunderlist);
  g_test_add_func ("/sendoff/resume/locked-while-stopped", test_locked_while_stopped);
  g_test_add_func ("/sendoff/resume/locked-while-sending", test_locked_while_sending);

  return g_test_run ();
}
