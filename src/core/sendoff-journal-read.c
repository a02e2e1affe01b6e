/* sendoff-journal-read.c — reading the journal: every value is checked, the file may be anything
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-journal"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sendoff-journal-private.h"

static gboolean
set_damaged (GError     **error,
             const char  *what)
{
  g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_DAMAGED,
               _("The transfer journal is damaged (%s)"), what);
  return FALSE;
}

static gboolean
column_text (sqlite3_stmt  *stmt,
             int            col,
             gboolean       required,
             const char    *what,
             char         **out,
             GError       **error)
{
  const char *text;
  int len;

  switch (sqlite3_column_type (stmt, col))
    {
    case SQLITE_NULL:
      if (required)
        return set_damaged (error, what);
      *out = NULL;
      return TRUE;
    case SQLITE_TEXT:
      text = (const char *) sqlite3_column_text (stmt, col);
      len = sqlite3_column_bytes (stmt, col);
      if (text == NULL || memchr (text, '\0', len) != NULL)
        return set_damaged (error, what);
      *out = g_utf8_make_valid (text, len);
      return TRUE;
    default:
      return set_damaged (error, what);
    }
}

static gboolean
column_int (sqlite3_stmt  *stmt,
            int            col,
            gint64         min,
            gint64         max,
            const char    *what,
            gint64        *out,
            GError       **error)
{
  gint64 value;

  if (sqlite3_column_type (stmt, col) != SQLITE_INTEGER)
    return set_damaged (error, what);
  value = sqlite3_column_int64 (stmt, col);
  if (value < min || value > max)
    return set_damaged (error, what);
  *out = value;
  return TRUE;
}

static gboolean
column_state (sqlite3_stmt        *stmt,
              int                  col,
              const char          *what,
              SendoffJournalState *out,
              GError             **error)
{
  g_autofree char *name = NULL;

  if (!column_text (stmt, col, TRUE, what, &name, error))
    return FALSE;
  if (!_sendoff_journal_state_from_string (name, out))
    return set_damaged (error, what);
  return TRUE;
}

static gboolean
column_path (sqlite3_stmt  *stmt,
             int            col,
             char         **out,
             GError       **error)
{
  int type = sqlite3_column_type (stmt, col);
  const char *bytes;
  int len;

  if (type != SQLITE_BLOB && type != SQLITE_TEXT)
    return set_damaged (error, "files.path");
  bytes = sqlite3_column_blob (stmt, col);
  len = sqlite3_column_bytes (stmt, col);
  if (bytes == NULL || len == 0 || memchr (bytes, '\0', len) != NULL)
    return set_damaged (error, "files.path");
  *out = g_strndup (bytes, len);
  return TRUE;
}

#define TRANSFER_COLUMNS \
  "id, destination_id, destination_name, backend_id, name, message, state, resumable," \
  " remote, link, link_expires_at, bytes_total, bytes_sent, created_at, started_at," \
  " ended_at, error"

static SendoffJournalTransfer *
read_transfer (sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr(SendoffJournalTransfer) t = sendoff_journal_transfer_new ();
  gint64 resumable = 0;

  if (!column_text (stmt, 0, TRUE, "transfers.id", &t->id, error) ||
      !column_text (stmt, 1, FALSE, "transfers.destination_id", &t->destination_id, error) ||
      !column_text (stmt, 2, FALSE, "transfers.destination_name", &t->destination_name,
                    error) ||
      !column_text (stmt, 3, FALSE, "transfers.backend_id", &t->backend_id, error) ||
      !column_text (stmt, 4, FALSE, "transfers.name", &t->name, error) ||
      !column_text (stmt, 5, FALSE, "transfers.message", &t->message, error) ||
      !column_state (stmt, 6, "transfers.state", &t->state, error) ||
      !column_int (stmt, 7, 0, 1, "transfers.resumable", &resumable, error) ||
      !column_text (stmt, 8, FALSE, "transfers.remote", &t->remote, error) ||
      !column_text (stmt, 9, FALSE, "transfers.link", &t->link, error) ||
      !column_int (stmt, 10, 0, G_MAXINT64, "transfers.link_expires_at",
                   &t->link_expires_at, error) ||
      !column_int (stmt, 11, 0, G_MAXINT64, "transfers.bytes_total", &t->bytes_total, error) ||
      !column_int (stmt, 12, 0, G_MAXINT64, "transfers.bytes_sent", &t->bytes_sent, error) ||
      !column_int (stmt, 13, 0, G_MAXINT64, "transfers.created_at", &t->created_at, error) ||
      !column_int (stmt, 14, 0, G_MAXINT64, "transfers.started_at", &t->started_at, error) ||
      !column_int (stmt, 15, 0, G_MAXINT64, "transfers.ended_at", &t->ended_at, error) ||
      !column_text (stmt, 16, FALSE, "transfers.error", &t->error, error))
    return NULL;
  t->resumable = resumable;
  return g_steal_pointer (&t);
}

static SendoffJournalFile *
read_file (sqlite3_stmt  *stmt,
           guint          expected_index,
           GError       **error)
{
  g_autoptr(SendoffJournalFile) f = _sendoff_journal_file_new ();
  gint64 index = 0, device = 0, inode = 0, n_parts = 0;

  if (!column_int (stmt, 0, expected_index, expected_index, "files.idx", &index, error) ||
      !column_path (stmt, 1, &f->path, error) ||
      !column_text (stmt, 2, TRUE, "files.name", &f->name, error) ||
      !column_int (stmt, 3, 0, G_MAXINT64, "files.size", &f->size, error) ||
      !column_int (stmt, 4, G_MININT64, G_MAXINT64, "files.mtime", &f->mtime, error) ||
      !column_int (stmt, 5, G_MININT64, G_MAXINT64, "files.ctime", &f->ctime, error) ||
      !column_int (stmt, 6, G_MININT64, G_MAXINT64, "files.device", &device, error) ||
      !column_int (stmt, 7, G_MININT64, G_MAXINT64, "files.inode", &inode, error) ||
      !column_text (stmt, 8, FALSE, "files.content_type", &f->content_type, error) ||
      !column_state (stmt, 9, "files.state", &f->state, error) ||
      !column_text (stmt, 10, FALSE, "files.remote", &f->remote, error) ||
      !column_int (stmt, 11, 0, G_MAXINT64, "files.part_size", &f->part_size, error) ||
      !column_int (stmt, 12, 0, SENDOFF_JOURNAL_MAX_PART_NUMBER, "files.n_parts", &n_parts, error))
    return NULL;
  f->index = index;
  f->device = (guint64) device;
  f->inode = (guint64) inode;
  f->n_parts = n_parts;
  return g_steal_pointer (&f);
}

/* Files must be numbered 0…n-1 without gaps: the engine addresses them so. */
static gboolean
read_files (SendoffJournal          *self,
            SendoffJournalTransfer  *t,
            GError                 **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (_sendoff_journal_get_db (self),
                          "SELECT idx, path, name, size, mtime, ctime, device, inode,"
                          " content_type, state, remote, part_size, n_parts"
                          " FROM files WHERE transfer_id = ? ORDER BY idx",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  sqlite3_bind_text (stmt, 1, t->id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SendoffJournalFile *f = read_file (stmt, t->files->len, error);

      if (f == NULL)
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      g_ptr_array_add (t->files, f);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _sendoff_journal_set_db_error (self, error);
  return TRUE;
}

static gboolean
read_parts (SendoffJournal          *self,
            SendoffJournalTransfer  *t,
            GError                 **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (_sendoff_journal_get_db (self),
                          "SELECT file_idx, number, size, receipt FROM parts"
                          " WHERE transfer_id = ? ORDER BY file_idx, number",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _sendoff_journal_set_db_error (self, error);
  sqlite3_bind_text (stmt, 1, t->id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SendoffJournalPart) part = g_new0 (SendoffJournalPart, 1);
      gint64 file_index = 0, number = 0;

      if (!column_int (stmt, 0, 0, (gint64) t->files->len - 1, "parts.file_idx", &file_index,
                       error) ||
          !column_int (stmt, 1, 1, SENDOFF_JOURNAL_MAX_PART_NUMBER, "parts.number", &number, error) ||
          !column_int (stmt, 2, 0, G_MAXINT64, "parts.size", &part->size, error) ||
          !column_text (stmt, 3, FALSE, "parts.receipt", &part->receipt, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      part->number = number;
      g_ptr_array_add (((SendoffJournalFile *) t->files->pdata[file_index])->parts,
                       g_steal_pointer (&part));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _sendoff_journal_set_db_error (self, error);
  return TRUE;
}

SendoffJournalTransfer *
sendoff_journal_get (SendoffJournal  *self,
                     const char      *id,
                     GError         **error)
{
  g_autoptr(SendoffJournalTransfer) t = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sendoff_journal_flush (self, error))
    return NULL;
  if (sqlite3_prepare_v2 (_sendoff_journal_get_db (self), "SELECT " TRANSFER_COLUMNS " FROM transfers WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _sendoff_journal_set_db_error (self, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    t = read_transfer (stmt, &local_error);
  else if (rc != SQLITE_DONE)
    _sendoff_journal_set_db_error (self, &local_error);
  sqlite3_finalize (stmt);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (t == NULL)
    {
      g_autofree char *shown = g_strescape (id, NULL);

      g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND,
                   _("No transfer “%s” in the history"), shown);
      return NULL;
    }
  if (!read_files (self, t, error) || !read_parts (self, t, error))
    return NULL;
  t->locked = _sendoff_journal_lock_probe (self, t->id, &t->locked_by);
  return g_steal_pointer (&t);
}

GPtrArray *
sendoff_journal_list (SendoffJournal  *self,
                      gboolean         unfinished_only,
                      GError         **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sendoff_journal_flush (self, error))
    return NULL;
  if (sqlite3_prepare_v2 (_sendoff_journal_get_db (self), "SELECT " TRANSFER_COLUMNS " FROM transfers"
                          " ORDER BY created_at DESC, rowid DESC", -1, &stmt, NULL) != SQLITE_OK)
    {
      _sendoff_journal_set_db_error (self, error);
      return NULL;
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) sendoff_journal_transfer_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SendoffJournalTransfer *t = read_transfer (stmt, error);

      if (t == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (unfinished_only && !sendoff_journal_transfer_is_unfinished (t))
        sendoff_journal_transfer_free (t);
      else
        g_ptr_array_add (list, t);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _sendoff_journal_set_db_error (self, error);
      return NULL;
    }
  for (guint i = 0; i < list->len; i++)
    {
      SendoffJournalTransfer *t = g_ptr_array_index (list, i);

      if (!read_files (self, t, error))
        return NULL;
      t->locked = _sendoff_journal_lock_probe (self, t->id, &t->locked_by);
    }
  return g_steal_pointer (&list);
}
