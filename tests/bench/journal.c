/* journal.c — what journaling costs a send of many small files
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   ninja -C _build tests/bench-journal && _build/tests/bench-journal [DIR] [RUNS]
 *
 * Records what the engine would record for 2,000 files of one part each
 * (the transfer created with its files, then per file: part plan, the part
 * stored with its ETag, the file done, bytes sent; the transfer done), in a
 * fresh journal in DIR (default: the temporary directory), flushing every
 * BATCH files. 255 files is one 250 ms progress tick at the 1,020 files/s
 * Sendoff reaches on 2,000 files of 10 KiB (README, Performance); 1 is a
 * commit per file, the unbatched worst case. "None" runs the same loop
 * without a journal. Prints the median of RUNS (default 5) per batch size.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/resource.h>

#include "sendoff-journal.h"

#define N_FILES 2000

static const guint batches[] = { 0, 1, 25, 255, N_FILES };

static gint64 sink;

/* CPU time (user + system) of this process so far, µs: the machine may be
 * busy with other work, which wall time would count */
static gint64
cpu_time (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* Microseconds (wall, and CPU in *@cpu) for one whole send's records;
 * batch 0: no journal */
static gint64
run_once (const char *dir,
          guint       batch,
          gint64     *cpu)
{
  g_autofree char *path = g_build_filename (dir, "bench-journal.db", NULL);
  g_autoptr(SendoffJournal) journal = NULL;
  g_autoptr(SendoffJournalTransfer) t = sendoff_journal_transfer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint64 start;

  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);

      g_unlink (p);
    }

  *cpu = cpu_time ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("small/file-%04u.bin", i);
      g_autofree char *file_path = g_strdup_printf ("/home/user/%s", name);
      SendoffJournalFile *f = sendoff_journal_transfer_add_file (t, file_path, name, 10240);

      f->mtime = 1700000000000000 + i;
      f->inode = 100000 + i;
      f->content_type = g_strdup ("application/octet-stream");
    }
  if (batch > 0)
    {
      journal = sendoff_journal_new (path, &error);
      g_assert_no_error (error);
      id = sendoff_journal_create (journal, t, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N_FILES; i++)
    {
      sink += i;
      if (batch == 0)
        continue;
      sendoff_journal_set_file_plan (journal, id, i, 10240, 1);
      sendoff_journal_part_stored (journal, id, i, 1, 10240,
                                   "\"0123456789abcdef0123456789abcdef\"");
      sendoff_journal_set_file_state (journal, id, i, SENDOFF_JOURNAL_DONE);
      sendoff_journal_set_bytes_sent (journal, id, (gint64) (i + 1) * 10240);
      if ((i + 1) % batch == 0 && !sendoff_journal_flush (journal, &error))
        g_error ("%s", error->message);
    }
  if (batch > 0)
    {
      sendoff_journal_set_link (journal, id, "https://we.tl/t-0123456789", 1800000000);
      if (!sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_DONE, NULL, &error))
        g_error ("%s", error->message);
      g_clear_object (&journal);   /* closing checkpoints the WAL */
    }
  *cpu = cpu_time () - *cpu;
  return g_get_monotonic_time () - start;
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  const char *dir = argc > 1 ? argv[1] : g_get_tmp_dir ();
  guint runs = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 5;

  setlocale (LC_ALL, "");
  runs = CLAMP (runs, 1, 100);
  g_print ("| files per flush | whole send (ms) | per file (µs) | CPU per file (µs) |\n");
  g_print ("| --- | --- | --- | --- |\n");
  for (guint b = 0; b < G_N_ELEMENTS (batches); b++)
    {
      g_autofree gint64 *times = g_new (gint64, runs);
      g_autofree gint64 *cpu = g_new (gint64, runs);
      g_autofree char *label = NULL;

      for (guint r = 0; r < runs; r++)
        times[r] = run_once (dir, batches[b], &cpu[r]);
      qsort (times, runs, sizeof *times, compare);
      qsort (cpu, runs, sizeof *cpu, compare);
      label = batches[b] == 0 ? g_strdup ("no journal") : g_strdup_printf ("%u", batches[b]);
      g_print ("| %s | %.1f | %.1f | %.1f |\n", label, times[runs / 2] / 1000.0,
               (double) times[runs / 2] / N_FILES, (double) cpu[runs / 2] / N_FILES);
    }
  return sink == 42;
}
