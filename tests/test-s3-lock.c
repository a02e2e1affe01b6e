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

#include "s3-fixture.h"

#define MiB (1024 * 1024)

typedef struct {
  char *dir;
  char *bucket;
  char *path;
} Ctx;

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

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
}

static GSubprocess *
spawn_cli (Ctx               *c,
           const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("SENDOFF_BUILD_ROOT"), "src", "cli",
                                           "sendoff-cli", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "AWS_ACCESS_KEY_ID", s3_fixture_access_key (), TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_SECRET_ACCESS_KEY", s3_fixture_secret_key (),
                                TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", c->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", c->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", c->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/sendoff-test-bus", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
wait_cli (GSubprocess *process,
          Run         *run)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_signaled (process)
                ? 128 + g_subprocess_get_term_sig (process)
                : g_subprocess_get_exit_status (process);
}

static void
run_cli (Ctx        *c,
         Run        *run,
         const char *command,
         const char *id)
{
  g_autofree char *endpoint = g_strconcat ("endpoint=", s3_fixture_endpoint (), NULL);
  g_autofree char *bucket = g_strconcat ("bucket=", c->bucket, NULL);
  g_autoptr(GSubprocess) process = spawn_cli (c, (const char *const[]) {
    command, "-o", endpoint, "-o", bucket, id, NULL });

  wait_cli (process, run);
}

/* ---- the journal, read beside the CLI -------------------------------------- */

static sqlite3 *
journal_open (Ctx *c)
{
  g_autofree char *path = g_build_filename (c->dir, "sendoff", "journal.db", NULL);
  sqlite3 *db = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static int
append_row (void  *user_data,
            int    n_columns,
            char **values,
            char **columns)
{
  for (int i = 0; i < n_columns; i++)
    g_string_append_printf (user_data, "%s|", values[i] ? values[i] : "NULL");
  g_string_append_c (user_data, '\n');
  return 0;
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
      sqlite3_exec (db, sql, append_row, rows, NULL);
      sqlite3_close (db);
    }
  return g_string_free (rows, FALSE);
}

#define DUMP "SELECT * FROM transfers; SELECT * FROM files; SELECT * FROM parts"

/* Started, and frozen once storage holds a part of it (outside a journal
 * commit, or every other process would wait for it) */
static GSubprocess *
send_and_freeze (Ctx  *c,
                 GPid *pid)
{
  g_autofree char *endpoint = g_strconcat ("endpoint=", s3_fixture_endpoint (), NULL);
  g_autofree char *bucket = g_strconcat ("bucket=", c->bucket, NULL);
  GSubprocess *sender = spawn_cli (c, (const char *const[]) {
    "send", "--jobs", "1", "--service", "s3", "-o", endpoint, "-o", bucket, c->path, NULL });
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  sqlite3 *db;

  *pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (sender), NULL, 10);
  for (;;)
    {
      g_autofree char *parts = query (c, "SELECT count(*) FROM parts");

      if (*parts != '\0' && !g_str_has_prefix (parts, "0|"))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5 * 1000);
    }

  db = journal_open (c);
  for (guint attempt = 0; ; attempt++)
    {
      g_assert_cmpint (kill (*pid, SIGSTOP), ==, 0);
      g_usleep (20 * 1000);
      if (sqlite3_exec (db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL) == SQLITE_OK)
        break;
      g_assert_cmpuint (attempt, <, 50);
      g_assert_cmpint (kill (*pid, SIGCONT), ==, 0);
      g_usleep (5 * 1000);
    }
  sqlite3_close (db);
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
  g_autoptr(GSubprocess) sender = NULL;
  g_autofree char *id = NULL;
  g_autofree char *busy = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *key = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *contents = NULL;
  g_auto(Run) discarded = { 0 };
  g_auto(Run) resumed = { 0 };
  g_auto(Run) sent = { 0 };
  gsize len = 0;
  GPid pid;

  ctx_init (&c);
  sender = send_and_freeze (&c, &pid);
  id = transfer_id (&c);
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (c.bucket), ==, 1);
  before = query (&c, DUMP);
  busy = g_strdup_printf ("sendoff-cli: Transfer %s is being sent by another Sendoff "
                          "(process %d)\n", id, (int) pid);

  run_cli (&c, &discarded, "discard", id);
  g_assert_cmpint (discarded.status, ==, 2);
  g_assert_cmpstr (discarded.err, ==, busy);
  run_cli (&c, &resumed, "resume", id);
  g_assert_cmpint (resumed.status, ==, 2);
  g_assert_cmpstr (resumed.err, ==, busy);

  /* not aborted under it, nothing written */
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (c.bucket), ==, 1);
  after = query (&c, DUMP);
  g_assert_cmpstr (after, ==, before);

  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
  wait_cli (sender, &sent);
  g_assert_cmpint (sent.status, ==, 0);
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
  g_autoptr(GSubprocess) sender = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *state = NULL;
  g_auto(Run) killed = { 0 };
  g_auto(Run) discarded = { 0 };
  GPid pid;

  ctx_init (&c);
  sender = send_and_freeze (&c, &pid);
  id = transfer_id (&c);
  g_subprocess_force_exit (sender);
  wait_cli (sender, &killed);
  g_assert_cmpint (killed.status, ==, 128 + SIGKILL);
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (c.bucket), ==, 1);

  run_cli (&c, &discarded, "discard", id);
  g_assert_cmpint (discarded.status, ==, 0);
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
