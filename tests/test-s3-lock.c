/* test-s3-lock.c — a discard must never abort the multipart upload a live send is filling
 *
 * The real sendoff-cli against the RGW (tests/rgw/with-rgw): a send of one
 * big file is frozen half-way (SIGSTOP) while it holds its transfer, and
 * discard ID and resume ID are run beside it.
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <sqlite3.h>

#include "cli-runner.h"
#include "s3-fixture.h"
#include "sqlite-rows.h"

#define MiB (1024 * 1024)

typedef struct {
  char           *dir;      /* its home: the journal is dir/sendoff/journal.db */
  char           *bucket;
  char           *path;
  SendoffTestCli *cli;
} Ctx;

static void
ctx_init (Ctx *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint32 *data = g_malloc (96 * MiB);

  c->dir = g_dir_make_tmp ("sendoff-s3-lock-XXXXXX", &error);
  g_assert_no_error (error);
  c->bucket = s3_fixture_new_bucket ();
  c->path = g_build_filename (c->dir, "big.bin", NULL);
  for (gsize i = 0; i < 96 * MiB / 4; i++)
    data[i] = (guint32) (i * 2654435761u);
  g_file_set_contents (c->path, (char *) data, 96 * MiB, &error);
  g_assert_no_error (error);
  c->cli = sendoff_test_cli_new ();
  sendoff_test_cli_set_home (c->cli, c->dir);
  sendoff_test_cli_setenv (c->cli, "AWS_ACCESS_KEY_ID", s3_fixture_access_key ());
  sendoff_test_cli_setenv (c->cli, "AWS_SECRET_ACCESS_KEY", s3_fixture_secret_key ());
}

static void
ctx_clear (Ctx *c)
{
  g_autofree char *quoted = g_shell_quote (c->dir);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (c->dir);
  g_free (c->bucket);
  g_free (c->path);
  g_clear_pointer (&c->cli, sendoff_test_cli_free);
}

static void
run_cli (Ctx               *c,
         SendoffTestCliRun *run,
         const char        *command,
         const char        *id)
{
  g_autofree char *endpoint = g_strconcat ("endpoint=", s3_fixture_endpoint (), NULL);
  g_autofree char *bucket = g_strconcat ("bucket=", c->bucket, NULL);

  sendoff_test_cli_run_args (c->cli, run, command, "-o", endpoint, "-o", bucket, id);
}

/* ---- the journal, read beside the CLI -------------------------------------- */

static char *
journal_path (Ctx *c)
{
  return g_build_filename (c->dir, "sendoff", "journal.db", NULL);
}

static sqlite3 *
journal_open (Ctx *c)
{
  g_autofree char *path = journal_path (c);
  sqlite3 *db = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static char *
query (Ctx        *c,
       const char *sql)
{
  GString *rows = g_string_new (NULL);
  sqlite3 *db = journal_open (c);

  if (db != NULL)
    {
      /* tables not made yet count as nothing */
      sendoff_test_sqlite_rows (db, sql, rows);
      sqlite3_close (db);
    }
  return g_string_free (rows, FALSE);
}

#define DUMP "SELECT * FROM transfers; SELECT * FROM files; SELECT * FROM parts"

/* Started, and frozen once storage holds a part of it (outside a journal
 * commit, or every other process would wait for it) */
static SendoffTestCliProcess *
send_and_freeze (Ctx *c)
{
  g_autofree char *endpoint = g_strconcat ("endpoint=", s3_fixture_endpoint (), NULL);
  g_autofree char *bucket = g_strconcat ("bucket=", c->bucket, NULL);
  g_autofree char *journal = journal_path (c);
  SendoffTestCliProcess *sender = sendoff_test_cli_spawn (c->cli, (const char *const[]) {
    "send", "--jobs", "1", "--service", "s3", "-o", endpoint, "-o", bucket, c->path, NULL });
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *parts = query (c, "SELECT count(*) FROM parts");

      if (*parts != '\0' && !g_str_has_prefix (parts, "0|"))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5 * 1000);
    }
  sendoff_test_cli_process_freeze (sender, journal);
  return sender;
}

static char *
transfer_id (Ctx *c)
{
  g_autofree char *rows = query (c, "SELECT id FROM transfers");
  g_auto(GStrv) ids = g_strsplit (rows, "|\n", -1);

  g_assert_cmpuint (g_strv_length (ids), ==, 2);   /* one, then "" */
  return g_strdup (ids[0]);
}

static char *
object_key (Ctx *c)
{
  g_auto(GStrv) keys = s3_fixture_list_objects (c->bucket);

  for (guint i = 0; keys[i] != NULL; i++)
    if (g_str_has_suffix (keys[i], "big.bin"))
      return g_strdup (keys[i]);
  g_error ("big.bin is not in the bucket");
}

/* discard ID and resume ID beside a live send: refused, the multipart
 * upload and the journal untouched; the send then ends well */
static void
test_discard_beside_send (void)
{
  Ctx c = { 0 };
  g_autoptr(SendoffTestCliProcess) sender = NULL;
  g_autofree char *id = NULL;
  g_autofree char *busy = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *key = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *contents = NULL;
  g_auto(SendoffTestCliRun) discarded = { 0 };
  g_auto(SendoffTestCliRun) resumed = { 0 };
  g_auto(SendoffTestCliRun) sent = { 0 };
  gsize len = 0;
  GPid pid;

  ctx_init (&c);
  sender = send_and_freeze (&c);
  pid = sendoff_test_cli_process_get_pid (sender);
  id = transfer_id (&c);
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (c.bucket), ==, 1);
  before = query (&c, DUMP);
  busy = g_strdup_printf ("sendoff-cli: Transfer %s is being sent by another Sendoff "
                          "(process %d)\n", id, (int) pid);

  run_cli (&c, &discarded, "discard", id);
  sendoff_test_cli_assert_status (&discarded, 2);
  g_assert_cmpstr (discarded.err, ==, busy);
  run_cli (&c, &resumed, "resume", id);
  sendoff_test_cli_assert_status (&resumed, 2);
  g_assert_cmpstr (resumed.err, ==, busy);

  /* not aborted under it, nothing written */
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (c.bucket), ==, 1);
  after = query (&c, DUMP);
  g_assert_cmpstr (after, ==, before);

  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
  sendoff_test_cli_process_wait (sender, &sent);
  sendoff_test_cli_assert_utf8 (&sent);
  sendoff_test_cli_assert_status (&sent, 0);
  key = object_key (&c);
  g_assert_true (g_file_get_contents (c.path, &contents, &len, NULL));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
  stored = s3_fixture_object_sha256 (c.bucket, key);
  g_assert_cmpstr (stored, ==, sha);
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (c.bucket), ==, 0);
  ctx_clear (&c);
}

/* kill -9: nothing holds it any more, and discard aborts the upload */
static void
test_discard_after_kill (void)
{
  Ctx c = { 0 };
  g_autoptr(SendoffTestCliProcess) sender = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *state = NULL;
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_auto(SendoffTestCliRun) discarded = { 0 };

  ctx_init (&c);
  sender = send_and_freeze (&c);
  id = transfer_id (&c);
  sendoff_test_cli_process_send_signal (sender, SIGKILL);
  sendoff_test_cli_process_wait (sender, &killed);
  sendoff_test_cli_assert_utf8 (&killed);
  sendoff_test_cli_assert_killed (&killed, SIGKILL);
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (c.bucket), ==, 1);

  run_cli (&c, &discarded, "discard", id);
  sendoff_test_cli_assert_status (&discarded, 0);
  expected = g_strdup_printf ("Discarded transfer %s\n", id);
  g_assert_cmpstr (discarded.out, ==, expected);
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (c.bucket), ==, 0);
  state = query (&c, "SELECT state FROM transfers");
  g_assert_cmpstr (state, ==, "discarded|\n");
  ctx_clear (&c);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/s3-lock/discard-beside-send", test_discard_beside_send);
  g_test_add_func ("/sendoff/s3-lock/discard-after-kill", test_discard_after_kill);

  return g_test_run ();
}
