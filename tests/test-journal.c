/* test-journal.c — the transfer journal on real database files
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE   /* memmem */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sendoff-journal-private.h"

/* The schema as Sendoff 0.1 wrote it (version 1), kept here verbatim: a
 * migration test must start from what was shipped, not from the code. */
#define SCHEMA_V1 \
  "CREATE TABLE transfers (" \
  "  id TEXT PRIMARY KEY NOT NULL," \
  "  destination_id TEXT, destination_name TEXT, backend_id TEXT," \
  "  name TEXT, message TEXT," \
  "  state TEXT NOT NULL," \
  "  remote TEXT, link TEXT, link_expires_at INTEGER NOT NULL DEFAULT 0," \
  "  bytes_total INTEGER NOT NULL DEFAULT 0, bytes_sent INTEGER NOT NULL DEFAULT 0," \
  "  created_at INTEGER NOT NULL, started_at INTEGER NOT NULL DEFAULT 0," \
  "  ended_at INTEGER NOT NULL DEFAULT 0, error TEXT);" \
  "CREATE TABLE files (" \
  "  transfer_id TEXT NOT NULL REFERENCES transfers (id) ON DELETE CASCADE," \
  "  idx INTEGER NOT NULL," \
  "  path BLOB NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL," \
  "  mtime INTEGER NOT NULL DEFAULT 0, ctime INTEGER NOT NULL DEFAULT 0," \
  "  device INTEGER NOT NULL DEFAULT 0, inode INTEGER NOT NULL DEFAULT 0," \
  "  content_type TEXT, state TEXT NOT NULL, remote TEXT," \
  "  part_size INTEGER NOT NULL DEFAULT 0, n_parts INTEGER NOT NULL DEFAULT 0," \
  "  PRIMARY KEY (transfer_id, idx));" \
  "CREATE TABLE parts (" \
  "  transfer_id TEXT NOT NULL, file_idx INTEGER NOT NULL, number INTEGER NOT NULL," \
  "  size INTEGER NOT NULL, receipt TEXT," \
  "  PRIMARY KEY (transfer_id, file_idx, number)," \
  "  FOREIGN KEY (transfer_id, file_idx) REFERENCES files (transfer_id, idx)" \
  "    ON DELETE CASCADE);" \
  "PRAGMA user_version = 1;"

static const char non_utf8_path[] = "/home/u/caf\xe9 \xff\x01.bin";

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sendoff-test-journal-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

static SendoffJournal *
open_journal (const char *path)
{
  g_autoptr(GError) error = NULL;
  SendoffJournal *journal = sendoff_journal_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (journal);
  return journal;
}

/* A transfer with two files, one of them with a name that is not UTF-8 */
static SendoffJournalTransfer *
sample_transfer (void)
{
  SendoffJournalTransfer *t = sendoff_journal_transfer_new ();
  SendoffJournalFile *f;

  t->destination_id = g_strdup ("dest-1");
  t->destination_name = g_strdup ("My R2 bucket");
  t->backend_id = g_strdup ("s3");
  t->name = g_strdup ("Holiday & <report>");
  t->message = g_strdup ("Line one\nline two ✓");
  t->state = SENDOFF_JOURNAL_SENDING;
  t->started_at = 1700000001;

  f = sendoff_journal_transfer_add_file (t, non_utf8_path, "café.bin", 13000000);
  f->mtime = 1700000000123456;
  f->ctime = 1700000000654321;
  f->device = G_GUINT64_CONSTANT (0xfffffffffffffff0);
  f->inode = 1234567890123;
  f->content_type = g_strdup ("application/octet-stream");
  f->part_size = 8388608;
  f->n_parts = 2;
  f = sendoff_journal_transfer_add_file (t, "/home/u/empty", "sub/empty", 0);
  f->state = SENDOFF_JOURNAL_DONE;
  return t;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
check_integrity (const char *path)
{
  sqlite3 *db = NULL;
  g_autofree char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  result = query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (result, ==, "ok");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  sqlite3_close (db);
}

/* Runs @sql on the database file directly, as something other than Sendoff */
static void
tamper (const char *path,
        const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "nested", "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *parent = g_path_get_dirname (path);
  SendoffJournalFile *f, *g;
  GStatBuf st;

  id = sendoff_journal_create (journal, t, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (id), ==, 12);
  g_assert_cmpuint (strspn (id, "abcdefghijklmnopqrstuvwxyz234567"), ==, 12);
  g_assert_cmpstr (id, ==, t->id);
  g_assert_cmpint (t->bytes_total, ==, 13000000);

  sendoff_journal_set_remote (journal, id, "{\"upload\":\"abc\"}");
  sendoff_journal_set_file_remote (journal, id, 0, "upload-id-0");
  sendoff_journal_part_stored (journal, id, 0, 1, 8388608, "\"etag-1\"");
  sendoff_journal_part_stored (journal, id, 0, 2, 13000000 - 8388608, "\"etag-2\"");
  sendoff_journal_set_file_state (journal, id, 0, SENDOFF_JOURNAL_DONE);
  sendoff_journal_set_bytes_sent (journal, id, 13000000);
  sendoff_journal_set_link (journal, id, "https://example.com/s/x?sig=1&b=2", 1800000000);
  sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_DONE, NULL, &error);
  g_assert_no_error (error);
  sendoff_journal_set_ended_at (journal, id, 1700000099);
  g_assert_true (sendoff_journal_flush (journal, &error));
  g_assert_no_error (error);

  /* read back through a second, fresh instance */
  g_clear_object (&journal);
  journal = open_journal (path);
  got = sendoff_journal_get (journal, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, id);
  g_assert_cmpstr (got->destination_id, ==, "dest-1");
  g_assert_cmpstr (got->destination_name, ==, "My R2 bucket");
  g_assert_cmpstr (got->backend_id, ==, "s3");
  g_assert_cmpstr (got->name, ==, "Holiday & <report>");
  g_assert_cmpstr (got->message, ==, "Line one\nline two ✓");
  g_assert_cmpint (got->state, ==, SENDOFF_JOURNAL_DONE);
  g_assert_true (got->resumable);
  g_assert_cmpstr (got->remote, ==, "{\"upload\":\"abc\"}");
  g_assert_cmpstr (got->link, ==, "https://example.com/s/x?sig=1&b=2");
  g_assert_cmpint (got->link_expires_at, ==, 1800000000);
  g_assert_cmpint (got->bytes_total, ==, 13000000);
  g_assert_cmpint (got->bytes_sent, ==, 13000000);
  g_assert_cmpint (got->created_at, ==, t->created_at);
  g_assert_cmpint (ABS (got->created_at - g_get_real_time () / G_USEC_PER_SEC), <, 60);
  g_assert_cmpint (got->started_at, ==, 1700000001);
  g_assert_cmpint (got->ended_at, ==, 1700000099);
  g_assert_null (got->error);

  g_assert_cmpuint (got->files->len, ==, 2);
  f = g_ptr_array_index (got->files, 0);
  g_assert_cmpuint (f->index, ==, 0);
  g_assert_cmpmem (f->path, strlen (f->path), non_utf8_path, sizeof non_utf8_path - 1);
  g_assert_cmpstr (f->name, ==, "café.bin");
  g_assert_cmpint (f->size, ==, 13000000);
  g_assert_cmpint (f->mtime, ==, 1700000000123456);
  g_assert_cmpint (f->ctime, ==, 1700000000654321);
  g_assert_cmpuint (f->device, ==, G_GUINT64_CONSTANT (0xfffffffffffffff0));
  g_assert_cmpuint (f->inode, ==, 1234567890123);
  g_assert_cmpstr (f->content_type, ==, "application/octet-stream");
  g_assert_cmpint (f->state, ==, SENDOFF_JOURNAL_DONE);
  g_assert_cmpstr (f->remote, ==, "upload-id-0");
  g_assert_cmpint (f->part_size, ==, 8388608);
  g_assert_cmpuint (f->n_parts, ==, 2);
  g_assert_cmpuint (f->parts->len, ==, 2);
  g_assert_cmpuint (((SendoffJournalPart *) f->parts->pdata[0])->number, ==, 1);
  g_assert_cmpint (((SendoffJournalPart *) f->parts->pdata[0])->size, ==, 8388608);
  g_assert_cmpstr (((SendoffJournalPart *) f->parts->pdata[0])->receipt, ==, "\"etag-1\"");
  g_assert_cmpuint (((SendoffJournalPart *) f->parts->pdata[1])->number, ==, 2);
  g_assert_cmpint (((SendoffJournalPart *) f->parts->pdata[1])->size, ==, 13000000 - 8388608);
  g = g_ptr_array_index (got->files, 1);
  g_assert_cmpstr (g->path, ==, "/home/u/empty");
  g_assert_cmpstr (g->name, ==, "sub/empty");
  g_assert_cmpint (g->state, ==, SENDOFF_JOURNAL_DONE);
  g_assert_null (g->remote);
  g_assert_null (g->content_type);
  g_assert_cmpuint (g->parts->len, ==, 0);

  /* what it says about the user stays the user's */
  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_clear_object (&journal);
  remove_tree (dir);
}

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "sendoff", "journal.db",
                                                NULL);
  g_autoptr(SendoffJournal) journal = open_journal (NULL);
  GStatBuf st;

  g_assert_cmpstr (sendoff_journal_get_path (journal), ==, expected);
  g_assert_cmpint (g_stat (expected, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_wal (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sendoff_journal_create (journal, t, &error);
  sqlite3 *db = _sendoff_journal_get_db (journal);
  g_autofree char *mode = query_text (db, "PRAGMA journal_mode");
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 1);   /* NORMAL */
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==,
                   _sendoff_journal_get_schema_version ());
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  check_integrity (path);

  g_clear_object (&journal);
  remove_tree (dir);
}

static int
count_commit (void *data)
{
  (*(int *) data)++;
  return 0;
}

static void
test_batching (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sendoff_journal_transfer_new ();
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int commits = 0;
  int changes;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", i);
      g_autofree char *file_path = g_strdup_printf ("/tmp/f%u", i);

      sendoff_journal_transfer_add_file (t, file_path, name, 1000);
    }
  sqlite3_commit_hook (_sendoff_journal_get_db (journal), count_commit, &commits);

  /* creating is written at once, in one transaction */
  id = sendoff_journal_create (journal, t, &error);
  g_assert_no_error (error);
  g_assert_cmpint (commits, ==, 1);

  changes = sqlite3_total_changes (_sendoff_journal_get_db (journal));
  sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_SENDING, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      sendoff_journal_part_stored (journal, id, i, 1, 1000, "etag");
      sendoff_journal_set_file_state (journal, id, i, SENDOFF_JOURNAL_DONE);
      sendoff_journal_set_bytes_sent (journal, id, (i + 1) * 1000);
    }
  /* nothing reached the file before the flush… */
  g_assert_cmpint (commits, ==, 1);
  g_assert_cmpint (sqlite3_total_changes (_sendoff_journal_get_db (journal)), ==, changes);
  /* …then all of it in one transaction; of the 300 byte counts only the
   * last is written */
  g_assert_true (sendoff_journal_flush (journal, &error));
  g_assert_no_error (error);
  g_assert_cmpint (commits, ==, 2);
  g_assert_cmpint (sqlite3_total_changes (_sendoff_journal_get_db (journal)) - changes, ==,
                   1 + 2 * 300 + 1);
  /* an empty flush writes nothing */
  g_assert_true (sendoff_journal_flush (journal, &error));
  g_assert_cmpint (commits, ==, 2);

  /* a pause is written at once (the process is usually about to exit) */
  sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_PAUSED, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (commits, ==, 3);
  sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_SENDING, NULL, &error);
  g_assert_cmpint (commits, ==, 3);

  /* a terminal state is written at once, with what was queued before it */
  sendoff_journal_set_link (journal, id, "https://example.com/l", 0);
  sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_DONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (commits, ==, 4);

  sqlite3_commit_hook (_sendoff_journal_get_db (journal), NULL, NULL);
  got = sendoff_journal_get (journal, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, SENDOFF_JOURNAL_DONE);
  g_assert_cmpint (got->bytes_sent, ==, 300000);
  g_assert_cmpint (got->started_at, >, 0);
  g_assert_cmpint (got->ended_at, >=, got->started_at);
  g_assert_cmpstr (got->link, ==, "https://example.com/l");
  for (guint i = 0; i < 300; i++)
    {
      SendoffJournalFile *f = g_ptr_array_index (got->files, i);

      g_assert_cmpint (f->state, ==, SENDOFF_JOURNAL_DONE);
      g_assert_cmpuint (f->parts->len, ==, 1);
    }

  g_clear_object (&journal);
  remove_tree (dir);
}

#define KILL_BATCH 7

/* The child stores parts and bytes in batches of KILL_BATCH as fast as it
 * can until it is killed. */
static void G_GNUC_NORETURN
kill_child (const char *path,
            const char *id,
            int         ready_fd)
{
  g_autoptr(GError) error = NULL;
  SendoffJournal *journal = sendoff_journal_new (path, &error);
  guint part = 0;
  gint64 sum = 0;

  if (journal == NULL)
    _exit (3);
  if (write (ready_fd, "r", 1) != 1)
    _exit (4);
  for (;;)
    {
      for (guint i = 0; i < KILL_BATCH; i++)
        {
          part++;
          sum += 100 + part % 13;
          sendoff_journal_part_stored (journal, id, (part - 1) / 10000, (part - 1) % 10000 + 1,
                                       100 + part % 13, "\"etag\"");
        }
      /* bytes_sent is the sum of the stored parts' sizes */
      sendoff_journal_set_bytes_sent (journal, id, sum);
      if (!sendoff_journal_flush (journal, NULL))
        _exit (5);
    }
}

static void
test_killed (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sendoff_journal_transfer_new ();
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int fds[2];
  char c;
  int status;
  guint n_parts = 0;
  gint64 sum = 0;
  pid_t pid;

  for (guint i = 0; i < 50; i++)
    sendoff_journal_transfer_add_file (t, "/tmp/x", "x", 1 << 30);
  id = sendoff_journal_create (journal, t, &error);
  g_assert_no_error (error);
  g_clear_object (&journal);

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    kill_child (path, id, fds[1]);
  g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
  g_usleep (200000 + g_random_int_range (0, 100000));
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  close (fds[0]);
  close (fds[1]);

  check_integrity (path);
  journal = open_journal (path);
  got = sendoff_journal_get (journal, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < got->files->len; i++)
    {
      SendoffJournalFile *f = g_ptr_array_index (got->files, i);

      for (guint p = 0; p < f->parts->len; p++)
        {
          SendoffJournalPart *part = g_ptr_array_index (f->parts, p);

          n_parts++;
          sum += part->size;
          g_assert_cmpstr (part->receipt, ==, "\"etag\"");
        }
    }
  g_test_message ("killed after %u parts", n_parts);
  g_assert_cmpuint (n_parts, >, 0);
  /* whole batches only, and the bytes agree with the parts */
  g_assert_cmpuint (n_parts % KILL_BATCH, ==, 0);
  g_assert_cmpint (got->bytes_sent, ==, sum);

  g_clear_object (&journal);
  remove_tree (dir);
}

static void
test_migration (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = NULL;
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GError) error = NULL;

  tamper (path, SCHEMA_V1
          "INSERT INTO transfers (id, name, state, created_at, bytes_total)"
          " VALUES ('aaaaaaaaaaaa', 'old', 'failed', 1600000000, 5);"
          "INSERT INTO files (transfer_id, idx, path, name, size, state)"
          " VALUES ('aaaaaaaaaaaa', 0, '/tmp/old', 'old', 5, 'sending');"
          "INSERT INTO parts VALUES ('aaaaaaaaaaaa', 0, 1, 5, 'e1');");

  journal = open_journal (path);
  g_assert_cmpint (query_int (_sendoff_journal_get_db (journal), "PRAGMA user_version"), ==,
                   _sendoff_journal_get_schema_version ());
  got = sendoff_journal_get (journal, "aaaaaaaaaaaa", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->name, ==, "old");
  g_assert_cmpint (got->state, ==, SENDOFF_JOURNAL_FAILED);
  g_assert_true (got->resumable);   /* the new column's default */
  g_assert_cmpuint (got->files->len, ==, 1);
  g_assert_cmpuint (((SendoffJournalFile *) got->files->pdata[0])->parts->len, ==, 1);
  unfinished = sendoff_journal_list (journal, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 1);

  g_clear_object (&journal);
  check_integrity (path);
  remove_tree (dir);
}

static void
test_too_new (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(SendoffJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  gsize len, after_len;

  tamper (path, SCHEMA_V1 "CREATE TABLE future (x); PRAGMA user_version = 99;");
  g_assert_true (g_file_get_contents (path, &before, &len, NULL));

  journal = sendoff_journal_new (path, &error);
  g_assert_null (journal);
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Sendoff"));
  g_assert_nonnull (strstr (error->message, "99"));

  /* not damaged: byte for byte the same, and not switched to WAL */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, len, after, after_len);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *junk = g_strnfill (4096, 'J');

  g_assert_true (g_file_set_contents (path, junk, -1, NULL));
  journal = sendoff_journal_new (path, &error);
  g_assert_null (journal);
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "journal.db"));
  g_assert_nonnull (strstr (error->message, "not a database"));
  remove_tree (dir);
}

/* Each line is done to a good journal by something else; reading must give
 * a clear error, not a crash nor a silently absurd record. */
static void
test_damaged (void)
{
  static const struct {
    const char *sql;
    const char *what;
  } cases[] = {
    { "UPDATE files SET size = -5", "files.size" },
    { "UPDATE files SET size = 'lots'", "files.size" },
    { "UPDATE files SET mtime = 1.5", "files.mtime" },
    { "UPDATE files SET n_parts = 4000000000", "files.n_parts" },
    { "UPDATE files SET path = x''", "files.path" },
    { "UPDATE files SET path = x'2f6100'", "files.path" },
    { "UPDATE files SET idx = 7 WHERE idx = 1", "files.idx" },
    { "UPDATE files SET state = 'flying'", "files.state" },
    { "UPDATE transfers SET state = 'flying'", "transfers.state" },
    { "UPDATE transfers SET name = x'00ff'", "transfers.name" },
    { "UPDATE transfers SET link = x'41'", "transfers.link" },
    { "UPDATE transfers SET bytes_sent = -1", "transfers.bytes_sent" },
    { "UPDATE transfers SET resumable = 9", "transfers.resumable" },
    { "UPDATE transfers SET created_at = NULL", "transfers.created_at" },
    { "INSERT INTO parts VALUES ((SELECT id FROM transfers), 0, 0, 5, 'e')", "parts.number" },
    { "INSERT INTO parts VALUES ((SELECT id FROM transfers), 0, 99999, 5, 'e')",
      "parts.number" },
    { "UPDATE parts SET size = 9e99", "parts.size" },
  };
  g_autofree char *dir = temp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/journal-%u.db", dir, i);
      g_autoptr(SendoffJournal) journal = open_journal (path);
      g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
      g_autoptr(SendoffJournalTransfer) got = NULL;
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *id = sendoff_journal_create (journal, t, &error);
      g_autofree char *expected = g_strdup_printf ("(%s)", cases[i].what);

      g_assert_no_error (error);
      sendoff_journal_part_stored (journal, id, 0, 1, 5, "e");
      g_assert_true (sendoff_journal_flush (journal, &error));
      g_clear_object (&journal);
      {
        sqlite3 *db = NULL;

        g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
        if (strstr (cases[i].sql, "NULL") != NULL)
          {
            /* NOT NULL cannot be switched off: rebuild the table without it */
            g_assert_cmpint (sqlite3_exec (db,
              "CREATE TABLE t2 AS SELECT * FROM transfers; DROP TABLE transfers;"
              " ALTER TABLE t2 RENAME TO transfers;", NULL, NULL, NULL), ==, SQLITE_OK);
          }
        g_assert_cmpint (sqlite3_exec (db, cases[i].sql, NULL, NULL, NULL), ==, SQLITE_OK);
        sqlite3_close (db);
      }

      g_test_message ("%s", cases[i].sql);
      journal = open_journal (path);
      got = sendoff_journal_get (journal, id, &error);
      g_assert_null (got);
      g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_DAMAGED);
      g_assert_nonnull (strstr (error->message, expected));
      g_clear_error (&error);
      list = sendoff_journal_list (journal, FALSE, &error);
      if (!g_str_has_prefix (cases[i].what, "parts."))
        {
          g_assert_null (list);
          g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_DAMAGED);
        }
    }
  remove_tree (dir);
}

static void
test_remove (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) a = sample_transfer ();
  g_autoptr(SendoffJournalTransfer) b = sample_transfer ();
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_a = sendoff_journal_create (journal, a, &error);
  g_autofree char *id_b = sendoff_journal_create (journal, b, &error);
  sqlite3 *db = _sendoff_journal_get_db (journal);

  g_assert_no_error (error);
  g_assert_cmpstr (id_a, !=, id_b);
  sendoff_journal_part_stored (journal, id_a, 0, 1, 10, "e");
  sendoff_journal_part_stored (journal, id_b, 0, 1, 10, "e");

  g_assert_true (sendoff_journal_remove (journal, id_a, &error));
  g_assert_no_error (error);
  got = sendoff_journal_get (journal, id_a, &error);
  g_assert_null (got);
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* its files and parts went with it; the other transfer's stayed */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM files"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM parts"), ==, 1);
  list = sendoff_journal_list (journal, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((SendoffJournalTransfer *) list->pdata[0])->id, ==, id_b);

  g_assert_false (sendoff_journal_remove (journal, id_a, &error));
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, id_a));

  g_clear_object (&journal);
  remove_tree (dir);
}

static void
test_unfinished (void)
{
  static const struct {
    SendoffJournalState state;
    gboolean            resumable;
    gboolean            unfinished;
  } cases[] = {
    { SENDOFF_JOURNAL_SENDING, TRUE, TRUE },
    { SENDOFF_JOURNAL_PAUSED, TRUE, TRUE },
    { SENDOFF_JOURNAL_FAILED, TRUE, TRUE },
    { SENDOFF_JOURNAL_FAILED, FALSE, FALSE },
    { SENDOFF_JOURNAL_DONE, TRUE, FALSE },
    { SENDOFF_JOURNAL_DISCARDED, TRUE, FALSE },
  };
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
      char *id;

      t->created_at = 1700000000 + i * 10;
      id = sendoff_journal_create (journal, t, &error);
      g_assert_no_error (error);
      sendoff_journal_set_resumable (journal, id, cases[i].resumable);
      sendoff_journal_set_state (journal, id, cases[i].state, "it broke", &error);
      g_assert_no_error (error);
      g_ptr_array_add (ids, id);
    }

  all = sendoff_journal_list (journal, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (cases));
  for (guint i = 0; i < all->len; i++)
    {
      SendoffJournalTransfer *t = g_ptr_array_index (all, i);
      guint c = G_N_ELEMENTS (cases) - 1 - i;   /* newest first */

      g_assert_cmpstr (t->id, ==, ids->pdata[c]);
      g_assert_cmpint (t->state, ==, cases[c].state);
      g_assert_cmpstr (t->error, ==, "it broke");
      g_assert_cmpuint (t->files->len, ==, 2);
      g_assert_cmpint (sendoff_journal_transfer_is_unfinished (t), ==, cases[c].unfinished);
    }
  unfinished = sendoff_journal_list (journal, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 3);
  g_assert_cmpstr (((SendoffJournalTransfer *) unfinished->pdata[0])->id, ==, ids->pdata[2]);
  g_assert_cmpstr (((SendoffJournalTransfer *) unfinished->pdata[1])->id, ==, ids->pdata[1]);
  g_assert_cmpstr (((SendoffJournalTransfer *) unfinished->pdata[2])->id, ==, ids->pdata[0]);

  g_clear_object (&journal);
  remove_tree (dir);
}

static void
test_reset_file (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sendoff_journal_create (journal, t, &error);
  SendoffJournalFile now = { .size = 99, .mtime = 5, .ctime = 6, .device = 7, .inode = 8 };
  SendoffJournalFile *f;

  g_assert_no_error (error);
  sendoff_journal_set_file_remote (journal, id, 0, "u0");
  sendoff_journal_set_file_remote (journal, id, 1, "u1");
  sendoff_journal_part_stored (journal, id, 0, 1, 10, "a");
  sendoff_journal_part_stored (journal, id, 0, 2, 10, "b");
  sendoff_journal_part_stored (journal, id, 1, 1, 10, "c");
  sendoff_journal_reset_file (journal, id, 0, &now);

  got = sendoff_journal_get (journal, id, &error);
  g_assert_no_error (error);
  f = g_ptr_array_index (got->files, 0);
  g_assert_cmpuint (f->parts->len, ==, 0);
  g_assert_null (f->remote);
  g_assert_cmpint (f->part_size, ==, 0);
  g_assert_cmpuint (f->n_parts, ==, 0);
  g_assert_cmpint (f->size, ==, 99);
  g_assert_cmpint (f->mtime, ==, 5);
  g_assert_cmpint (f->ctime, ==, 6);
  g_assert_cmpuint (f->device, ==, 7);
  g_assert_cmpuint (f->inode, ==, 8);
  /* the other file is not touched */
  f = g_ptr_array_index (got->files, 1);
  g_assert_cmpuint (f->parts->len, ==, 1);
  g_assert_cmpstr (f->remote, ==, "u1");

  /* without an identity only the remote state goes */
  sendoff_journal_part_stored (journal, id, 1, 2, 10, "d");
  sendoff_journal_reset_file (journal, id, 1, NULL);
  g_clear_pointer (&got, sendoff_journal_transfer_free);
  got = sendoff_journal_get (journal, id, &error);
  g_assert_no_error (error);
  f = g_ptr_array_index (got->files, 1);
  g_assert_cmpuint (f->parts->len, ==, 0);
  g_assert_null (f->remote);
  g_assert_cmpint (f->size, ==, 0);
  g_assert_cmpstr (f->path, ==, "/home/u/empty");

  g_clear_object (&journal);
  remove_tree (dir);
}

/* One writer of test_concurrent(): 0 when all went well */
static char
concurrent_writer (const char *path)
{
  g_autoptr(SendoffJournal) mine = sendoff_journal_new (path, NULL);

  if (mine == NULL)
    return 3;
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
      g_autofree char *id = sendoff_journal_create (mine, t, NULL);

      if (id == NULL)
        return 4;
      for (guint n = 1; n <= 20; n++)
        sendoff_journal_part_stored (mine, id, 0, n, 10, "e");
      if (!sendoff_journal_flush (mine, NULL) ||
          !sendoff_journal_set_state (mine, id, SENDOFF_JOURNAL_DONE, NULL, NULL))
        return 5;
    }
  return 0;
}

/* A second Sendoff (the app and the CLI at once) writes to the same file.
 * The writers answer through a pipe: under valgrind a forked child's exit
 * status carries the leak check of the parent's memory it inherited. */
static void
test_concurrent (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  pid_t pids[2];
  int fds[2];

  g_clear_object (&journal);
  g_assert_cmpint (pipe (fds), ==, 0);
  for (guint p = 0; p < G_N_ELEMENTS (pids); p++)
    {
      pids[p] = fork ();
      g_assert_cmpint (pids[p], >=, 0);
      if (pids[p] == 0)
        {
          char result = concurrent_writer (path);

          _exit (write (fds[1], &result, 1) == 1 ? 0 : 6);
        }
    }
  close (fds[1]);
  for (guint p = 0; p < G_N_ELEMENTS (pids); p++)
    {
      char result = -1;
      int status;

      g_assert_cmpint (read (fds[0], &result, 1), ==, 1);
      g_assert_cmpint (result, ==, 0);
      g_assert_cmpint (waitpid (pids[p], &status, 0), ==, pids[p]);
      g_assert_true (WIFEXITED (status));
    }
  close (fds[0]);

  journal = open_journal (path);
  list = sendoff_journal_list (journal, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 80);
  g_assert_cmpint (query_int (_sendoff_journal_get_db (journal), "SELECT count(*) FROM parts"),
                   ==, 80 * 20);
  g_clear_object (&journal);
  check_integrity (path);
  remove_tree (dir);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

/* A send's records with a secret in the environment, as the CLI has it */
static void
test_no_secret (void)
{
  static const char sentinel[] = "SENTINEL-s3cr3t-9f8e7d6c";
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_setenv ("SENDOFF_API_KEY", sentinel, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", sentinel, TRUE);
  id = sendoff_journal_create (journal, t, &error);
  g_assert_no_error (error);
  sendoff_journal_set_remote (journal, id, "{\"upload_id\":\"2~abc\"}");
  sendoff_journal_set_file_remote (journal, id, 0, "2~abc");
  sendoff_journal_set_file_plan (journal, id, 0, 8388608, 2);
  sendoff_journal_part_stored (journal, id, 0, 1, 8388608, "\"9b2cf535f27731c974343645a3985328\"");
  sendoff_journal_set_link (journal, id, "https://bucket.example.com/k?X-Amz-Signature=ab12", 1);
  sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_DONE, NULL, &error);
  g_assert_no_error (error);

  /* the file really is what was written: the sentinel's neighbours are there */
  g_assert_true (file_contains (wal, "X-Amz-Signature=ab12") ||
                 file_contains (path, "X-Amz-Signature=ab12"));
  g_assert_false (file_contains (path, sentinel));
  g_assert_false (file_contains (wal, sentinel));
  g_clear_object (&journal);
  g_assert_false (file_contains (path, sentinel));
  g_unsetenv ("SENDOFF_API_KEY");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  remove_tree (dir);
}

/* ---- locks: one process at a time works on a transfer ------------------- */

static char *
lock_file (const char *journal_path,
           const char *id)
{
  return g_strdup_printf ("%s-locks/%s.lock", journal_path, id);
}

static void
assert_busy (SendoffJournal *journal,
             const char     *id,
             pid_t           holder)
{
  g_autoptr(SendoffJournalLock) lock = NULL;
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  if (holder > 0)
    expected = g_strdup_printf ("Transfer %s is being sent by another Sendoff (process %d)", id,
                                (int) holder);
  else
    expected = g_strdup_printf ("Transfer %s is being sent by another Sendoff", id);

  lock = sendoff_journal_lock (journal, id, &error);
  g_assert_null (lock);
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_false (sendoff_journal_check_unlocked (journal, id, &error));
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  got = sendoff_journal_get (journal, id, &error);
  g_assert_no_error (error);
  g_assert_true (got->locked);
  g_assert_cmpint (got->locked_by, ==, holder);
}

/* In a child: 0 when @id is locked by someone else, 1 when it was free */
static int
child_tries_lock (const char *path,
                  const char *id)
{
  pid_t pid = fork ();
  int status;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      SendoffJournal *journal = sendoff_journal_new (path, &error);
      SendoffJournalLock *lock;

      if (journal == NULL)
        _exit (3);
      lock = sendoff_journal_lock (journal, id, &error);
      _exit (lock == NULL && g_error_matches (error, SENDOFF_JOURNAL_ERROR,
                                              SENDOFF_JOURNAL_ERROR_BUSY) ? 0 : 1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_lock (void)
{
  static const char sentinel[] = "SENTINEL-lock-4c1d2e";
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autofree char *locks = g_strconcat (path, "-locks", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(SendoffJournalLock) lock = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *file = NULL;
  g_autofree char *mine = g_strdup_printf ("pid=%d\n", (int) getpid ());
  g_autofree char *escape = g_strconcat (dir, "/x.lock", NULL);
  struct stat st;

  g_setenv ("SENDOFF_API_KEY", sentinel, TRUE);
  id = sendoff_journal_create_locked (journal, t, &lock, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  g_assert_cmpstr (sendoff_journal_lock_get_id (lock), ==, id);

  /* private, like the journal; the holder's pid, never a secret */
  file = lock_file (path, id);
  g_assert_cmpint (g_stat (locks, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (file_contains (file, mine));
  g_assert_false (file_contains (file, sentinel));
  g_unsetenv ("SENDOFF_API_KEY");

  /* another lock of this process is another holder too */
  assert_busy (journal, id, getpid ());
  g_assert_false (sendoff_journal_remove (journal, id, &error));
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY);
  g_clear_error (&error);
  unfinished = sendoff_journal_list (journal, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 1);
  g_assert_true (((SendoffJournalTransfer *) unfinished->pdata[0])->locked);

  /* looking (above) let go of nothing: another process cannot take it */
  g_assert_cmpint (child_tries_lock (path, id), ==, 0);

  /* let go of: the file goes, anyone may take it */
  g_clear_pointer (&lock, sendoff_journal_lock_free);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_true (sendoff_journal_check_unlocked (journal, id, &error));
  g_assert_no_error (error);
  got = sendoff_journal_get (journal, id, &error);
  g_assert_false (got->locked);
  g_assert_cmpint (got->locked_by, ==, 0);
  g_assert_cmpint (child_tries_lock (path, id), ==, 1);
  lock = sendoff_journal_lock (journal, id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&lock, sendoff_journal_lock_free);

  /* removed with its lock file */
  g_assert_true (sendoff_journal_remove (journal, id, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  /* what cannot be an id never becomes a path */
  lock = sendoff_journal_lock (journal, "../x", &error);
  g_assert_null (lock);
  g_assert_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (escape, G_FILE_TEST_EXISTS));
  g_assert_true (sendoff_journal_check_unlocked (journal, "../x", &error));

  g_clear_object (&journal);
  remove_tree (dir);
}

/* Held by another process: named while it lives, not guessed, and the
 * system lets go when it is killed */
static void
on_lock_event (GFileMonitor      *monitor,
               GFile             *file,
               GFile             *other,
               GFileMonitorEvent  event,
               GPtrArray         *seen)
{
  g_autofree char *name = g_file_get_basename (file);

  if (event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_DELETED)
    g_ptr_array_add (seen, g_strdup_printf ("%s %s",
                                            event == G_FILE_MONITOR_EVENT_CREATED ? "+" : "-",
                                            name));
}

static void
wait_for_events (GPtrArray *seen,
                 guint      n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (seen->len < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* What the window watches: a transfer taken, then let go of, in the folder
 * of the locks (made private before any lock, so it can be watched first) */
static void
test_lock_monitor (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autofree char *locks = g_strconcat (path, "-locks", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  SendoffJournalLock *lock = NULL;
  g_autofree char *id = NULL;
  g_autofree char *taken = NULL;
  g_autofree char *let_go = NULL;
  struct stat st;

  monitor = sendoff_journal_monitor_locks (journal, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (locks, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_signal_connect (monitor, "changed", G_CALLBACK (on_lock_event), seen);

  id = sendoff_journal_create_locked (journal, t, &lock, &error);
  g_assert_no_error (error);
  taken = g_strdup_printf ("+ %s.lock", id);
  wait_for_events (seen, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, taken);

  sendoff_journal_lock_free (lock);
  let_go = g_strdup_printf ("- %s.lock", id);
  wait_for_events (seen, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, seen->len - 1), ==, let_go);

  g_file_monitor_cancel (monitor);
  g_clear_object (&journal);
  remove_tree (dir);
}

static void
test_lock_dead_holder (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(SendoffJournal) journal = open_journal (path);
  g_autoptr(SendoffJournalTransfer) t = sample_transfer ();
  g_autoptr(SendoffJournalTransfer) got = NULL;
  g_autoptr(SendoffJournalLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *file = NULL;
  g_autofree char *mine = g_strdup_printf ("pid=%d\n", (int) getpid ());
  FILE *written;
  int fds[2];
  int status;
  char c;
  pid_t pid;

  id = sendoff_journal_create (journal, t, &error);
  g_assert_no_error (error);
  file = lock_file (path, id);

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      SendoffJournalLock *held = sendoff_journal_lock (journal, id, NULL);

      if (held == NULL || write (fds[1], "l", 1) != 1)
        _exit (3);
      for (;;)
        pause ();
    }
  g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
  assert_busy (journal, id, pid);

  /* a holder of another host (or namespace) is not named: rewritten in
   * place, the file the child holds */
  written = fopen (file, "w");
  g_assert_nonnull (written);
  fputs ("pid=1\nhost=elsewhere.invalid\npidns=pid:[1]\n", written);
  g_assert_cmpint (fclose (written), ==, 0);
  assert_busy (journal, id, 0);

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  close (fds[0]);
  close (fds[1]);

  /* its file is left, but nothing holds it */
  g_assert_true (sendoff_journal_check_unlocked (journal, id, &error));
  g_assert_no_error (error);
  got = sendoff_journal_get (journal, id, &error);
  g_assert_false (got->locked);
  lock = sendoff_journal_lock (journal, id, &error);
  g_assert_no_error (error);
  g_assert_true (file_contains (file, mine));
  g_clear_pointer (&lock, sendoff_journal_lock_free);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  g_clear_object (&journal);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = temp_dir ();
  int status;

  /* before GLib caches the user data directory */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/journal/round-trip", test_round_trip);
  g_test_add_func ("/sendoff/journal/default-path", test_default_path);
  g_test_add_func ("/sendoff/journal/wal", test_wal);
  g_test_add_func ("/sendoff/journal/batching", test_batching);
  g_test_add_func ("/sendoff/journal/killed", test_killed);
  g_test_add_func ("/sendoff/journal/migration", test_migration);
  g_test_add_func ("/sendoff/journal/too-new", test_too_new);
  g_test_add_func ("/sendoff/journal/not-a-database", test_not_a_database);
  g_test_add_func ("/sendoff/journal/damaged", test_damaged);
  g_test_add_func ("/sendoff/journal/remove", test_remove);
  g_test_add_func ("/sendoff/journal/unfinished", test_unfinished);
  g_test_add_func ("/sendoff/journal/reset-file", test_reset_file);
  g_test_add_func ("/sendoff/journal/concurrent", test_concurrent);
  g_test_add_func ("/sendoff/journal/no-secret", test_no_secret);
  g_test_add_func ("/sendoff/journal/lock", test_lock);
  g_test_add_func ("/sendoff/journal/lock-monitor", test_lock_monitor);
  g_test_add_func ("/sendoff/journal/lock-dead-holder", test_lock_dead_holder);

  status = g_test_run ();
  remove_tree (data_home);
  return status;
}
