/* sendoff-journal.c — the transfer journal: every send, its files and stored parts, in SQLite
 *
 * This file opens and migrates the database and writes to it; reading is in
 * sendoff-journal-read.c, the records in sendoff-journal-record.c.
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-journal"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "sendoff-journal.h"
#include "sendoff-journal-private.h"

#define BUSY_TIMEOUT_MS 5000
#define MAX_TEXT        (16 * 1024 * 1024)

/* Each entry takes the database from version N to N + 1; never edit one
 * that has shipped, append a new one. */
static const char *const migrations[] = {
  /* 1: transfers, files, parts */
  "CREATE TABLE transfers ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  destination_id TEXT, destination_name TEXT, backend_id TEXT,"
  "  name TEXT, message TEXT,"
  "  state TEXT NOT NULL,"
  "  remote TEXT, link TEXT, link_expires_at INTEGER NOT NULL DEFAULT 0,"
  "  bytes_total INTEGER NOT NULL DEFAULT 0, bytes_sent INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL, started_at INTEGER NOT NULL DEFAULT 0,"
  "  ended_at INTEGER NOT NULL DEFAULT 0, error TEXT);"
  "CREATE TABLE files ("
  "  transfer_id TEXT NOT NULL REFERENCES transfers (id) ON DELETE CASCADE,"
  "  idx INTEGER NOT NULL,"
  "  path BLOB NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,"
  "  mtime INTEGER NOT NULL DEFAULT 0, ctime INTEGER NOT NULL DEFAULT 0,"
  "  device INTEGER NOT NULL DEFAULT 0, inode INTEGER NOT NULL DEFAULT 0,"
  "  content_type TEXT, state TEXT NOT NULL, remote TEXT,"
  "  part_size INTEGER NOT NULL DEFAULT 0, n_parts INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (transfer_id, idx));"
  "CREATE TABLE parts ("
  "  transfer_id TEXT NOT NULL, file_idx INTEGER NOT NULL, number INTEGER NOT NULL,"
  "  size INTEGER NOT NULL, receipt TEXT,"
  "  PRIMARY KEY (transfer_id, file_idx, number),"
  "  FOREIGN KEY (transfer_id, file_idx) REFERENCES files (transfer_id, idx)"
  "    ON DELETE CASCADE);",
  /* 2: a failure is resumable unless its remote state was aborted; history
   * is listed newest first */
  "ALTER TABLE transfers ADD COLUMN resumable INTEGER NOT NULL DEFAULT 1;"
  "CREATE INDEX transfers_by_date ON transfers (created_at);",
};

#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

/* Queued writes. Every statement takes the same numbered parameters:
 * ?1 transfer id, ?2 file index, ?3 part number, ?4…?8 numbers, ?9 text,
 * ?10 a state name. */
typedef enum {
  OP_STATE,
  OP_RESUMABLE,
  OP_REMOTE,
  OP_LINK,
  OP_BYTES_SENT,
  OP_ENDED_AT,
  OP_FILE_STATE,
  OP_FILE_REMOTE,
  OP_FILE_PLAN,
  OP_PART,
  OP_FORGET_PARTS,
  OP_RESET_FILE,
  N_OPS
} OpKind;

static const char *const op_sql[N_OPS] = {
  [OP_STATE] =
    "UPDATE transfers SET state = ?10, error = ?9,"
    " started_at = CASE WHEN ?10 = 'sending' AND started_at = 0 THEN ?4 ELSE started_at END,"
    " ended_at = CASE WHEN ?10 IN ('done', 'failed', 'discarded') THEN ?4 ELSE ended_at END"
    " WHERE id = ?1",
  [OP_RESUMABLE] = "UPDATE transfers SET resumable = ?4 WHERE id = ?1",
  [OP_REMOTE] = "UPDATE transfers SET remote = ?9 WHERE id = ?1",
  [OP_LINK] = "UPDATE transfers SET link = ?9, link_expires_at = ?4 WHERE id = ?1",
  [OP_BYTES_SENT] = "UPDATE transfers SET bytes_sent = ?4 WHERE id = ?1",
  [OP_ENDED_AT] = "UPDATE transfers SET ended_at = ?4 WHERE id = ?1",
  [OP_FILE_STATE] = "UPDATE files SET state = ?10 WHERE transfer_id = ?1 AND idx = ?2",
  [OP_FILE_REMOTE] = "UPDATE files SET remote = ?9 WHERE transfer_id = ?1 AND idx = ?2",
  [OP_FILE_PLAN] =
    "UPDATE files SET part_size = ?4, n_parts = ?5 WHERE transfer_id = ?1 AND idx = ?2",
  [OP_PART] =
    "INSERT OR REPLACE INTO parts (transfer_id, file_idx, number, size, receipt)"
    " VALUES (?1, ?2, ?3, ?4, ?9)",
  [OP_FORGET_PARTS] = "DELETE FROM parts WHERE transfer_id = ?1 AND file_idx = ?2",
  [OP_RESET_FILE] =
    "UPDATE files SET remote = NULL, part_size = 0, n_parts = 0, state = 'sending',"
    " size = coalesce (?4, size), mtime = coalesce (?5, mtime), ctime = coalesce (?6, ctime),"
    " device = coalesce (?7, device), inode = coalesce (?8, inode)"
    " WHERE transfer_id = ?1 AND idx = ?2",
};

typedef struct {
  OpKind   kind;
  char    *id;
  guint    index;
  guint    number;
  guint    n_values;   /* ?4… bound from values[]; the rest are NULL */
  gint64   values[5];
  char    *text;
  const char *state;
} Op;

struct _SendoffJournal
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_OPS];
  GArray       *queue;   /* Op */
  GHashTable   *bytes_ops;  /* transfer id → its queued OP_BYTES_SENT's position */
};

G_DEFINE_FINAL_TYPE (SendoffJournal, sendoff_journal, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (sendoff-journal-error-quark, sendoff_journal_error)

/* --- errors ------------------------------------------------------------- */

gboolean
_sendoff_journal_set_db_error (SendoffJournal  *self,
                               GError         **error)
{
  g_autofree char *where = g_filename_display_name (self->path);
  /* SQLite quotes names from the file's own schema: one line, bounded */
  const char *raw = sqlite3_errmsg (self->db);
  g_autofree char *message = g_utf8_make_valid (raw, MIN (strlen (raw), 400));

  for (char *p = message; *p != '\0'; p++)
    if ((guchar) *p < ' ' || *p == 0x7f)
      *p = ' ';
  g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_DATABASE,
               _("The transfer journal “%s” could not be used: %s"), where, message);
  return FALSE;
}

static gboolean
exec (SendoffJournal  *self,
      const char      *sql,
      GError         **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  return TRUE;
}

/* --- opening ------------------------------------------------------------ */

static gboolean
read_user_version (SendoffJournal  *self,
                   int             *version,
                   GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int (stmt, 0);
  else
    _sendoff_journal_set_db_error (self, &local_error);
  sqlite3_finalize (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_version (SendoffJournal  *self,
               int              version,
               GError         **error)
{
  g_autofree char *where = NULL;

  if (version >= 0 && version <= SCHEMA_VERSION)
    return TRUE;
  where = g_filename_display_name (self->path);
  g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_TOO_NEW,
               _("The transfer journal “%s” was written by a newer version of Sendoff "
                 "(schema %d; this one knows up to %d). It was left as it is."),
               where, version, SCHEMA_VERSION);
  return FALSE;
}

/* Another process may be migrating at the same time: the version is read
 * again inside the write transaction. */
static gboolean
migrate (SendoffJournal  *self,
         GError         **error)
{
  int version = 0;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!read_user_version (self, &version, error) || !check_version (self, version, error))
    goto fail;
  for (; version < SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec (self, migrations[version], error) || !exec (self, bump, error))
        goto fail;
    }
  return exec (self, "COMMIT", error);

fail:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
expect_pragma (SendoffJournal  *self,
               const char      *sql,
               const char      *expected,
               GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  ok = sqlite3_step (stmt) == SQLITE_ROW &&
       g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), expected) == 0;
  sqlite3_finalize (stmt);
  if (!ok)
    return _sendoff_journal_set_db_error (self, error);
  return TRUE;
}

/* The directory 0700 and the file 0600: they say what was sent where.
 * SQLite gives the -wal and -shm files the database file's mode. */
static gboolean
create_file (const char  *path,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      ((fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0))
    {
      int saved = errno;
      g_autofree char *where = g_filename_display_name (path);

      g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_DATABASE,
                   _("The transfer journal “%s” could not be created: %s"),
                   where, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
journal_open (SendoffJournal  *self,
              GError         **error)
{
  int version = 0;

  if (!create_file (self->path, error))
    return FALSE;
  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_limit (self->db, SQLITE_LIMIT_LENGTH, MAX_TEXT);
  /* The file is data, not code: no triggers or views with side effects */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);

  /* Refuse a newer schema before anything (WAL mode too) writes to it */
  if (!read_user_version (self, &version, error) || !check_version (self, version, error))
    return FALSE;

  return expect_pragma (self, "PRAGMA journal_mode = WAL", "wal", error) &&
         exec (self, "PRAGMA synchronous = NORMAL", error) &&
         exec (self, "PRAGMA foreign_keys = ON", error) &&
         migrate (self, error);
}

SendoffJournal *
sendoff_journal_new (const char  *path,
                     GError     **error)
{
  g_autofree char *default_path = NULL;
  g_autoptr(SendoffJournal) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path == NULL)
    path = default_path = g_build_filename (g_get_user_data_dir (), "sendoff", "journal.db",
                                            NULL);
  self = g_object_new (SENDOFF_TYPE_JOURNAL, NULL);
  self->path = g_strdup (path);
  if (!journal_open (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
sendoff_journal_get_path (SendoffJournal *self)
{
  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), NULL);
  return self->path;
}

sqlite3 *
_sendoff_journal_get_db (SendoffJournal *self)
{
  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), NULL);
  return self->db;
}

int
_sendoff_journal_get_schema_version (void)
{
  return SCHEMA_VERSION;
}

/* --- the queue ---------------------------------------------------------- */

static void
op_clear (Op *op)
{
  g_clear_pointer (&op->id, g_free);
  g_clear_pointer (&op->text, g_free);
}

static Op *
queue_op (SendoffJournal *self,
          OpKind          kind,
          const char     *id,
          guint           index)
{
  Op op = { .kind = kind, .id = g_strdup (id), .index = index };

  g_array_append_val (self->queue, op);
  return &g_array_index (self->queue, Op, self->queue->len - 1);
}

static gboolean
run_op (SendoffJournal  *self,
        const Op        *op,
        GError         **error)
{
  sqlite3_stmt *stmt = self->stmts[op->kind];
  int n_params;
  int rc;

  if (stmt == NULL &&
      sqlite3_prepare_v3 (self->db, op_sql[op->kind], -1, SQLITE_PREPARE_PERSISTENT,
                          &self->stmts[op->kind], NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  stmt = self->stmts[op->kind];
  n_params = sqlite3_bind_parameter_count (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  sqlite3_bind_text (stmt, 1, op->id, -1, SQLITE_STATIC);
  if (n_params >= 2)
    sqlite3_bind_int64 (stmt, 2, op->index);
  if (n_params >= 3)
    sqlite3_bind_int64 (stmt, 3, op->number);
  for (guint i = 0; i < op->n_values && (int) i + 4 <= n_params; i++)
    sqlite3_bind_int64 (stmt, i + 4, op->values[i]);
  if (n_params >= 9)
    sqlite3_bind_text (stmt, 9, op->text, -1, SQLITE_STATIC);
  if (n_params >= 10)
    sqlite3_bind_text (stmt, 10, op->state, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _sendoff_journal_set_db_error (self, error);
  return TRUE;
}

gboolean
sendoff_journal_flush (SendoffJournal  *self,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->queue->len == 0)
    return TRUE;
  if (!exec (self, "BEGIN IMMEDIATE", &local_error))
    goto fail;
  ok = TRUE;
  for (guint i = 0; ok && i < self->queue->len; i++)
    ok = run_op (self, &g_array_index (self->queue, Op, i), &local_error);
  if (ok && exec (self, "COMMIT", &local_error))
    {
      g_array_set_size (self->queue, 0);
      g_hash_table_remove_all (self->bytes_ops);
      return TRUE;
    }

fail:
  /* Busy (another Sendoff held the lock too long): try again next tick.
   * Anything else would fail again: drop the batch. */
  if ((sqlite3_errcode (self->db) & 0xff) != SQLITE_BUSY)
    {
      g_array_set_size (self->queue, 0);
      g_hash_table_remove_all (self->bytes_ops);
    }
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
sendoff_journal_set_state (SendoffJournal       *self,
                           const char           *id,
                           SendoffJournalState   state,
                           const char           *error_message,
                           GError              **error)
{
  Op *op;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (state <= SENDOFF_JOURNAL_DISCARDED, FALSE);

  op = queue_op (self, OP_STATE, id, 0);
  op->state = sendoff_journal_state_to_string (state);
  op->text = g_strdup (error_message);
  op->values[0] = now_seconds ();
  op->n_values = 1;
  /* a pause is usually the process about to exit (Ctrl+C, quit) */
  if (state == SENDOFF_JOURNAL_SENDING)
    return TRUE;
  return sendoff_journal_flush (self, error);
}

void
sendoff_journal_set_resumable (SendoffJournal *self,
                               const char     *id,
                               gboolean        resumable)
{
  Op *op;

  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);

  op = queue_op (self, OP_RESUMABLE, id, 0);
  op->values[0] = !!resumable;
  op->n_values = 1;
}

void
sendoff_journal_set_remote (SendoffJournal *self,
                            const char     *id,
                            const char     *remote)
{
  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);

  queue_op (self, OP_REMOTE, id, 0)->text = g_strdup (remote);
}

void
sendoff_journal_set_link (SendoffJournal *self,
                          const char     *id,
                          const char     *link,
                          gint64          expires_at)
{
  Op *op;

  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (expires_at >= 0);

  op = queue_op (self, OP_LINK, id, 0);
  op->text = g_strdup (link);
  op->values[0] = expires_at;
  op->n_values = 1;
}

void
sendoff_journal_set_bytes_sent (SendoffJournal *self,
                                const char     *id,
                                gint64          bytes_sent)
{
  gpointer position;
  Op *op;

  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (bytes_sent >= 0);

  /* called for every part: only the latest count of a batch is written */
  if (g_hash_table_lookup_extended (self->bytes_ops, id, NULL, &position))
    op = &g_array_index (self->queue, Op, GPOINTER_TO_UINT (position));
  else
    {
      op = queue_op (self, OP_BYTES_SENT, id, 0);
      g_hash_table_insert (self->bytes_ops, g_strdup (id),
                           GUINT_TO_POINTER (self->queue->len - 1));
    }
  op->values[0] = bytes_sent;
  op->n_values = 1;
}

void
sendoff_journal_set_ended_at (SendoffJournal *self,
                              const char     *id,
                              gint64          ended_at)
{
  Op *op;

  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (ended_at >= 0);

  op = queue_op (self, OP_ENDED_AT, id, 0);
  op->values[0] = ended_at;
  op->n_values = 1;
}

void
sendoff_journal_set_file_state (SendoffJournal      *self,
                                const char          *id,
                                guint                file_index,
                                SendoffJournalState  state)
{
  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (state <= SENDOFF_JOURNAL_DISCARDED);

  queue_op (self, OP_FILE_STATE, id, file_index)->state = sendoff_journal_state_to_string (state);
}

void
sendoff_journal_set_file_remote (SendoffJournal *self,
                                 const char     *id,
                                 guint           file_index,
                                 const char     *remote)
{
  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);

  queue_op (self, OP_FILE_REMOTE, id, file_index)->text = g_strdup (remote);
}

void
sendoff_journal_set_file_plan (SendoffJournal *self,
                               const char     *id,
                               guint           file_index,
                               gint64          part_size,
                               guint           n_parts)
{
  Op *op;

  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (part_size >= 0);
  g_return_if_fail (n_parts <= SENDOFF_JOURNAL_MAX_PART_NUMBER);

  op = queue_op (self, OP_FILE_PLAN, id, file_index);
  op->values[0] = part_size;
  op->values[1] = n_parts;
  op->n_values = 2;
}

void
sendoff_journal_part_stored (SendoffJournal *self,
                             const char     *id,
                             guint           file_index,
                             guint           part_number,
                             gint64          size,
                             const char     *receipt)
{
  Op *op;

  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (part_number >= 1 && part_number <= SENDOFF_JOURNAL_MAX_PART_NUMBER);
  g_return_if_fail (size >= 0);

  op = queue_op (self, OP_PART, id, file_index);
  op->number = part_number;
  op->values[0] = size;
  op->n_values = 1;
  op->text = g_strdup (receipt);
}

void
sendoff_journal_reset_file (SendoffJournal           *self,
                            const char               *id,
                            guint                     file_index,
                            const SendoffJournalFile *identity)
{
  Op *op;

  g_return_if_fail (SENDOFF_IS_JOURNAL (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (identity == NULL || identity->size >= 0);

  queue_op (self, OP_FORGET_PARTS, id, file_index);
  op = queue_op (self, OP_RESET_FILE, id, file_index);
  if (identity != NULL)
    {
      op->values[0] = identity->size;
      op->values[1] = identity->mtime;
      op->values[2] = identity->ctime;
      op->values[3] = (gint64) identity->device;
      op->values[4] = (gint64) identity->inode;
      op->n_values = 5;
    }
}

/* --- creating and removing ---------------------------------------------- */

/* 60 random bits as 12 lowercase base32 characters (RFC 4648 alphabet) */
static char *
new_id (void)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  guint64 bits = 0;
  char id[13];

  if (getrandom (&bits, sizeof bits, 0) != sizeof bits)
    bits = ((guint64) g_random_int () << 32) | g_random_int ();
  for (guint i = 0; i < 12; i++, bits >>= 5)
    id[i] = alphabet[bits & 31];
  id[12] = '\0';
  return g_strdup (id);
}

static gboolean
insert_transfer (SendoffJournal          *self,
                 SendoffJournalTransfer  *t,
                 GError                 **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO transfers (id, destination_id, destination_name,"
                          " backend_id, name, message, state, resumable, remote, link,"
                          " link_expires_at, bytes_total, bytes_sent, created_at, started_at,"
                          " ended_at, error)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  sqlite3_bind_text (stmt, 1, t->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, t->destination_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, t->destination_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, t->backend_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, t->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, t->message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, sendoff_journal_state_to_string (t->state), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, !!t->resumable);
  sqlite3_bind_text (stmt, 9, t->remote, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, t->link, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 11, t->link_expires_at);
  sqlite3_bind_int64 (stmt, 12, t->bytes_total);
  sqlite3_bind_int64 (stmt, 13, t->bytes_sent);
  sqlite3_bind_int64 (stmt, 14, t->created_at);
  sqlite3_bind_int64 (stmt, 15, t->started_at);
  sqlite3_bind_int64 (stmt, 16, t->ended_at);
  sqlite3_bind_text (stmt, 17, t->error, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _sendoff_journal_set_db_error (self, error);
  return TRUE;
}

static gboolean
insert_files (SendoffJournal          *self,
              SendoffJournalTransfer  *t,
              GError                 **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO files (transfer_id, idx, path, name, size, mtime, ctime,"
                          " device, inode, content_type, state, remote, part_size, n_parts)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  for (guint i = 0; i < t->files->len; i++)
    {
      SendoffJournalFile *f = g_ptr_array_index (t->files, i);

      f->index = i;
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, t->id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, i);
      /* a path is bytes, not text: file names need not be UTF-8 */
      sqlite3_bind_blob (stmt, 3, f->path, strlen (f->path), SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, f->name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, f->size);
      sqlite3_bind_int64 (stmt, 6, f->mtime);
      sqlite3_bind_int64 (stmt, 7, f->ctime);
      sqlite3_bind_int64 (stmt, 8, (gint64) f->device);
      sqlite3_bind_int64 (stmt, 9, (gint64) f->inode);
      sqlite3_bind_text (stmt, 10, f->content_type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, sendoff_journal_state_to_string (f->state), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 12, f->remote, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 13, f->part_size);
      sqlite3_bind_int64 (stmt, 14, f->n_parts);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _sendoff_journal_set_db_error (self, error);
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
valid_record (const SendoffJournalTransfer *t)
{
  if (t->state > SENDOFF_JOURNAL_DISCARDED || t->bytes_total < 0 || t->bytes_sent < 0 ||
      t->link_expires_at < 0)
    return FALSE;
  for (guint i = 0; i < t->files->len; i++)
    {
      const SendoffJournalFile *f = g_ptr_array_index (t->files, i);

      if (f->path == NULL || f->name == NULL || f->size < 0 || f->part_size < 0 ||
          f->n_parts > SENDOFF_JOURNAL_MAX_PART_NUMBER || f->state > SENDOFF_JOURNAL_DISCARDED)
        return FALSE;
    }
  return TRUE;
}

static char *
create (SendoffJournal          *self,
        SendoffJournalTransfer  *transfer,
        SendoffJournalLock     **lock,
        GError                 **error)
{
  if (!sendoff_journal_flush (self, error))
    return NULL;
  if (transfer->created_at == 0)
    transfer->created_at = now_seconds ();
  if (transfer->bytes_total == 0)
    for (guint i = 0; i < transfer->files->len; i++)
      transfer->bytes_total += ((SendoffJournalFile *) g_ptr_array_index (transfer->files, i))->size;

  /* 60 bits make a clash unlikely, not impossible */
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SendoffJournalLock) held = NULL;

      g_free (transfer->id);
      transfer->id = new_id ();
      /* locked before anyone can see it */
      if (lock != NULL && (held = sendoff_journal_lock (self, transfer->id, &local_error)) == NULL)
        {
          if (attempt < 2 &&
              g_error_matches (local_error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (!exec (self, "BEGIN IMMEDIATE", error))
        return NULL;
      if (insert_transfer (self, transfer, &local_error) &&
          insert_files (self, transfer, &local_error) &&
          exec (self, "COMMIT", &local_error))
        {
          if (lock != NULL)
            *lock = g_steal_pointer (&held);
          return g_strdup (transfer->id);
        }
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      if (attempt == 2 ||
          sqlite3_extended_errcode (self->db) != SQLITE_CONSTRAINT_PRIMARYKEY)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

char *
sendoff_journal_create (SendoffJournal          *self,
                        SendoffJournalTransfer  *transfer,
                        GError                 **error)
{
  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (transfer != NULL && transfer->files != NULL, NULL);
  g_return_val_if_fail (valid_record (transfer), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return create (self, transfer, NULL, error);
}

char *
sendoff_journal_create_locked (SendoffJournal          *self,
                               SendoffJournalTransfer  *transfer,
                               SendoffJournalLock     **lock,
                               GError                 **error)
{
  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (transfer != NULL && transfer->files != NULL, NULL);
  g_return_val_if_fail (valid_record (transfer), NULL);
  g_return_val_if_fail (lock != NULL && *lock == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return create (self, transfer, lock, error);
}

gboolean
sendoff_journal_remove (SendoffJournal  *self,
                        const char      *id,
                        GError         **error)
{
  g_autoptr(SendoffJournalLock) lock = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  /* not under a process that works on it; its lock file goes with it */
  if (!sendoff_journal_flush (self, error) ||
      (lock = sendoff_journal_lock (self, id, error)) == NULL)
    return FALSE;
  if (sqlite3_prepare_v2 (self->db, "DELETE FROM transfers WHERE id = ?", -1, &stmt,
                          NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _sendoff_journal_set_db_error (self, error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_autofree char *shown = g_strescape (id, NULL);

      g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND,
                   _("No transfer “%s” in the history"), shown);
      return FALSE;
    }
  return TRUE;
}

/* --- the object --------------------------------------------------------- */

static void
sendoff_journal_finalize (GObject *object)
{
  SendoffJournal *self = (SendoffJournal *) object;

  if (self->db != NULL && self->queue->len > 0)
    {
      g_autoptr(GError) error = NULL;

      if (!sendoff_journal_flush (self, &error))
        g_warning ("%s", error->message);
    }
  for (guint i = 0; i < N_OPS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->queue, g_array_unref);
  g_clear_pointer (&self->bytes_ops, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (sendoff_journal_parent_class)->finalize (object);
}

static void
sendoff_journal_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SendoffJournal *self = SENDOFF_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_journal_class_init (SendoffJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sendoff_journal_finalize;
  object_class->get_property = sendoff_journal_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sendoff_journal_init (SendoffJournal *self)
{
  self->queue = g_array_new (FALSE, TRUE, sizeof (Op));
  g_array_set_clear_func (self->queue, (GDestroyNotify) op_clear);
  self->bytes_ops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
