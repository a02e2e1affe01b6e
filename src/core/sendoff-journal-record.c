/* sendoff-journal-record.c — the journal's plain records: transfers, files, parts
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-journal"

#include "config.h"

#include "sendoff-journal-private.h"

static const char *const state_names[] = {
  [SENDOFF_JOURNAL_SENDING] = "sending",
  [SENDOFF_JOURNAL_PAUSED] = "paused",
  [SENDOFF_JOURNAL_FAILED] = "failed",
  [SENDOFF_JOURNAL_DONE] = "done",
  [SENDOFF_JOURNAL_DISCARDED] = "discarded",
};

SendoffJournalTransfer *
sendoff_journal_transfer_new (void)
{
  SendoffJournalTransfer *transfer = g_new0 (SendoffJournalTransfer, 1);

  transfer->resumable = TRUE;
  transfer->files = g_ptr_array_new_with_free_func ((GDestroyNotify) sendoff_journal_file_free);
  return transfer;
}

void
sendoff_journal_transfer_free (SendoffJournalTransfer *transfer)
{
  if (transfer == NULL)
    return;
  g_free (transfer->id);
  g_free (transfer->destination_id);
  g_free (transfer->destination_name);
  g_free (transfer->backend_id);
  g_free (transfer->name);
  g_free (transfer->message);
  g_free (transfer->remote);
  g_free (transfer->link);
  g_free (transfer->error);
  g_clear_pointer (&transfer->files, g_ptr_array_unref);
  g_free (transfer);
}

SendoffJournalFile *
_sendoff_journal_file_new (void)
{
  SendoffJournalFile *file = g_new0 (SendoffJournalFile, 1);

  file->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) sendoff_journal_part_free);
  return file;
}

SendoffJournalFile *
sendoff_journal_transfer_add_file (SendoffJournalTransfer *transfer,
                                   const char             *path,
                                   const char             *name,
                                   gint64                  size)
{
  SendoffJournalFile *file;

  g_return_val_if_fail (transfer != NULL, NULL);
  g_return_val_if_fail (path != NULL && name != NULL, NULL);
  g_return_val_if_fail (size >= 0, NULL);

  file = _sendoff_journal_file_new ();
  file->index = transfer->files->len;
  file->path = g_strdup (path);
  file->name = g_strdup (name);
  file->size = size;
  g_ptr_array_add (transfer->files, file);
  return file;
}

gboolean
sendoff_journal_transfer_is_unfinished (const SendoffJournalTransfer *transfer)
{
  g_return_val_if_fail (transfer != NULL, FALSE);

  return transfer->state == SENDOFF_JOURNAL_SENDING ||
         transfer->state == SENDOFF_JOURNAL_PAUSED ||
         (transfer->state == SENDOFF_JOURNAL_FAILED && transfer->resumable);
}

void
sendoff_journal_file_free (SendoffJournalFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->name);
  g_free (file->content_type);
  g_free (file->remote);
  g_clear_pointer (&file->parts, g_ptr_array_unref);
  g_free (file);
}

void
sendoff_journal_part_free (SendoffJournalPart *part)
{
  if (part == NULL)
    return;
  g_free (part->receipt);
  g_free (part);
}

const char *
sendoff_journal_state_to_string (SendoffJournalState state)
{
  g_return_val_if_fail (state <= SENDOFF_JOURNAL_DISCARDED, NULL);
  return state_names[state];
}

gboolean
_sendoff_journal_state_from_string (const char          *name,
                                    SendoffJournalState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (name, state_names[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}
