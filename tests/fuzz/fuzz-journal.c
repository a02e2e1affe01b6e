/* fuzz-journal.c — libFuzzer target: the journal opened on any bytes as its
 * database file (a damaged disk, a hostile file put in its place), then
 * listed and every transfer read with its files and parts.
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "sendoff-journal.h"

static char *db_path;

static void
remove_files (void)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

static void
check_transfer (const SendoffJournalTransfer *t)
{
  g_assert_nonnull (t->id);
  g_assert_true (g_utf8_validate (t->id, -1, NULL));
  g_assert_true (t->name == NULL || g_utf8_validate (t->name, -1, NULL));
  g_assert_cmpint (t->bytes_total, >=, 0);
  g_assert_cmpint (t->bytes_sent, >=, 0);
  for (guint i = 0; i < t->files->len; i++)
    {
      const SendoffJournalFile *f = g_ptr_array_index (t->files, i);

      g_assert_cmpuint (f->index, ==, i);
      g_assert_nonnull (f->path);
      g_assert_cmpuint (strlen (f->path), >, 0);
      g_assert_true (g_utf8_validate (f->name, -1, NULL));
      g_assert_cmpint (f->size, >=, 0);
      g_assert_cmpuint (f->n_parts, <=, 10000);
      for (guint p = 0; p < f->parts->len; p++)
        {
          const SendoffJournalPart *part = g_ptr_array_index (f->parts, p);

          g_assert_cmpuint (part->number, >=, 1);
          g_assert_cmpuint (part->number, <=, 10000);
          g_assert_cmpint (part->size, >=, 0);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SendoffJournal) journal = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  if (db_path == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("sendoff-fuzz-journal-XXXXXX", NULL);

      g_assert_nonnull (dir);
      db_path = g_build_filename (dir, "journal.db", NULL);
    }
  remove_files ();
  g_assert_true (g_file_set_contents (db_path, (const char *) data, size, NULL));

  journal = sendoff_journal_new (db_path, &error);
  fuzz_check_outcome (journal != NULL, error);
  if (journal == NULL)
    return 0;

  list = sendoff_journal_list (journal, FALSE, &error);
  fuzz_check_outcome (list != NULL, error);
  g_clear_error (&error);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const SendoffJournalTransfer *listed = g_ptr_array_index (list, i);
      g_autoptr(SendoffJournalTransfer) t = NULL;

      check_transfer (listed);
      t = sendoff_journal_get (journal, listed->id, &error);
      fuzz_check_outcome (t != NULL, error);
      g_clear_error (&error);
      if (t != NULL)
        check_transfer (t);
    }
  return 0;
}
