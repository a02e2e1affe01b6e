/* sendoff-transfer-resume.c — a transfer rebuilt from the journal, to continue where it stopped
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-resume"

#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-transfer-resume.h"
#include "sendoff-types.h"
#include "sendoff-uploader-private.h"

static gboolean
check_resumable (const SendoffJournalTransfer *record,
                 gboolean                      restart,
                 GError                      **error)
{
  if (record->state == SENDOFF_JOURNAL_DONE)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("Transfer %s was sent already"), record->id);
      return FALSE;
    }
  if (record->state == SENDOFF_JOURNAL_DISCARDED)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("Transfer %s was discarded"), record->id);
      return FALSE;
    }
  if (!restart && !record->resumable)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_FORGOTTEN,
                   _("Transfer %s cannot continue: what was sent of it is gone from the "
                     "server (aborted after a failure, or forgotten by the server)"),
                   record->id);
      return FALSE;
    }
  return TRUE;
}

/* The journal's identity of @file is what the brief of a resume compares:
 * size, mtime, device and inode (a chmod alone changes nothing sent). */
static gboolean
file_unchanged (const SendoffJournalFile *file,
                const struct stat        *st)
{
  SendoffFileIdentity now;

  _sendoff_file_identity_from_stat (&now, st);
  return S_ISREG (st->st_mode) && (gint64) now.size == file->size &&
         now.mtime_usec == file->mtime &&
         (file->inode == 0 || (now.dev == file->device && now.ino == file->inode));
}

/* @st NULL: the journal's identity (the file is not looked at) */
static SendoffItem *
item_new (const SendoffJournalFile *file,
          const struct stat        *st)
{
  g_autoptr(GFile) gfile = g_file_new_for_path (file->path);
  SendoffFileIdentity identity = {
    .dev = file->device, .ino = file->inode, .size = (guint64) file->size,
    .mtime_usec = file->mtime, .ctime_usec = file->ctime,
  };
  SendoffItem *item;

  if (st != NULL)
    _sendoff_file_identity_from_stat (&identity, st);
  item = _sendoff_item_new (gfile, file->name, identity.size, identity.mtime_usec,
                            file->content_type);
  _sendoff_item_set_identity (item, &identity);
  return item;
}

/* A receipt goes back to the provider the way it first came: as the
 * storage's answer to the part. */
static gboolean
replay_receipt (SendoffProvider          *provider,
                SendoffItem              *item,
                const SendoffJournalPart *part,
                GError                  **error)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  if (part->receipt != NULL && *part->receipt != '\0')
    soup_message_headers_replace (headers, "ETag", part->receipt);
  return sendoff_provider_part_stored (provider, item, part->number, SOUP_STATUS_OK, headers,
                                       error);
}

/* Registration, done parts, then the provider's own state (its contract) */
static gboolean
restore_item (SendoffProvider          *provider,
              SendoffTransfer          *transfer,
              SendoffItem              *item,
              const SendoffJournalFile *file,
              GError                  **error)
{
  g_autofree char *remote_id = NULL;
  g_autofree char *state = NULL;

  if (!_sendoff_journal_remote_unwrap (file->remote, &remote_id, &state, error))
    return FALSE;
  if (remote_id == NULL || file->part_size <= 0 || file->n_parts == 0)
    return TRUE;   /* not registered yet: it will be */

  _sendoff_item_set_remote (item, remote_id, file->n_parts, (guint64) file->part_size);
  for (guint i = 0; file->parts != NULL && i < file->parts->len; i++)
    {
      SendoffJournalPart *part = g_ptr_array_index (file->parts, i);

      if (part->number >= 1 && part->number <= file->n_parts)
        _sendoff_item_mark_part_done (item, part->number);
    }
  if (state != NULL && !sendoff_provider_restore_state (provider, transfer, item, state, error))
    return FALSE;
  for (guint i = 0; file->parts != NULL && i < file->parts->len; i++)
    {
      SendoffJournalPart *part = g_ptr_array_index (file->parts, i);

      if (part->number >= 1 && part->number <= file->n_parts &&
          !replay_receipt (provider, item, part, error))
        return FALSE;
    }

  if (file->state == SENDOFF_JOURNAL_DONE)
    {
      _sendoff_item_set_completed (item, TRUE);
      _sendoff_item_set_bytes_sent (item, sendoff_item_get_size (item));
      _sendoff_item_set_state (item, SENDOFF_STATE_DONE);
    }
  return TRUE;
}

static gboolean
restore_transfer (SendoffProvider              *provider,
                  SendoffTransfer              *transfer,
                  const SendoffJournalTransfer *record,
                  GError                      **error)
{
  g_autofree char *remote_id = NULL;
  g_autofree char *state = NULL;

  if (!_sendoff_journal_remote_unwrap (record->remote, &remote_id, &state, error))
    return FALSE;
  _sendoff_transfer_set_remote_id (transfer, remote_id);
  return state == NULL || sendoff_provider_restore_state (provider, transfer, NULL, state, error);
}

/* Every file is looked at before anything is changed in the journal */
static GPtrArray *
check_files (const SendoffJournalTransfer *record,
             gboolean                      restart,
             GArray                       *stats,
             GError                      **error)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();

  for (guint i = 0; i < record->files->len; i++)
    {
      SendoffJournalFile *file = g_ptr_array_index (record->files, i);
      struct stat *st = &g_array_index (stats, struct stat, i);

      gboolean found;
      int saved_errno;

      /* sent whole before it stopped: nothing of it is read again */
      if (file->state == SENDOFF_JOURNAL_DONE && !restart)
        continue;
      found = g_stat (file->path, st) == 0;
      saved_errno = errno;

      if (!found || !S_ISREG (st->st_mode))
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("“%s” is gone (%s), so the transfer cannot continue. Put the file "
                         "back, or discard the transfer."),
                       file->name, found ? _("not a regular file") : g_strerror (saved_errno));
          return NULL;
        }
      if (!file_unchanged (file, st))
        g_ptr_array_add (changed, file);
    }

  return g_steal_pointer (&changed);
}

/* @file changed (or everything restarts): its parts are sent again. Of
 * the same size, it keeps its registration (the part plan still fits;
 * some services take a file name once per transfer); else, or with
 * @forget_remote, it is registered again. */
static void
reset_file (SendoffJournal     *journal,
            const char         *id,
            SendoffJournalFile *file,
            const struct stat  *st,
            gboolean            forget_remote)
{
  SendoffJournalFile identity = { 0 };
  SendoffFileIdentity now;
  gboolean keep;

  _sendoff_file_identity_from_stat (&now, st);
  keep = !forget_remote && file->remote != NULL && file->n_parts > 0 &&
         (gint64) now.size == file->size;
  identity.size = (gint64) now.size;
  identity.mtime = now.mtime_usec;
  identity.ctime = now.ctime_usec;
  identity.device = now.dev;
  identity.inode = now.ino;
  sendoff_journal_reset_file (journal, id, file->index, &identity);
  g_clear_pointer (&file->parts, g_ptr_array_unref);
  file->state = SENDOFF_JOURNAL_SENDING;
  if (keep)
    {
      sendoff_journal_set_file_remote (journal, id, file->index, file->remote);
      sendoff_journal_set_file_plan (journal, id, file->index, file->part_size, file->n_parts);
      return;
    }

  g_clear_pointer (&file->remote, g_free);
  file->part_size = 0;
  file->n_parts = 0;
}

SendoffTransfer *
sendoff_transfer_new_from_journal (SendoffJournal   *journal,
                                   const char       *id,
                                   SendoffProvider  *provider,
                                   SendoffResumeFlags flags,
                                   GStrv            *restarted,
                                   GError          **error)
{
  g_autoptr(SendoffJournalLock) lock = NULL;
  g_autoptr(SendoffJournalTransfer) record = NULL;
  g_autoptr(SendoffTransfer) transfer = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GArray) stats = NULL;
  gboolean restart = (flags & SENDOFF_RESUME_RESTART) != 0;
  gboolean discard = (flags & SENDOFF_RESUME_DISCARD) != 0;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Locked before it is read: what another process wrote last is seen,
   * and nothing is changed under one that still works on it */
  if ((lock = sendoff_journal_lock (journal, id, error)) == NULL ||
      (record = sendoff_journal_get (journal, id, error)) == NULL ||
      !check_resumable (record, restart || discard, error))
    return NULL;

  stats = g_array_sized_new (FALSE, TRUE, sizeof (struct stat), record->files->len);
  g_array_set_size (stats, record->files->len);
  if (discard)
    changed = g_ptr_array_new ();
  else if ((changed = check_files (record, restart, stats, error)) == NULL)
    return NULL;

  for (guint i = 0; i < record->files->len; i++)
    {
      SendoffJournalFile *file = g_ptr_array_index (record->files, i);
      gboolean looked = !discard && (restart || file->state != SENDOFF_JOURNAL_DONE);
      const struct stat *st = looked ? &g_array_index (stats, struct stat, i) : NULL;

      if (!discard && (restart || g_ptr_array_find (changed, file, NULL)))
        reset_file (journal, record->id, file, st, restart);
      if (!restart && g_ptr_array_find (changed, file, NULL))
        g_strv_builder_add (names, file->name);
      g_ptr_array_add (items, item_new (file, st));
    }
  if (restart && !discard)
    {
      sendoff_journal_set_remote (journal, record->id, NULL);
      sendoff_journal_set_resumable (journal, record->id, TRUE);
      g_clear_pointer (&record->remote, g_free);
    }
  if (!sendoff_journal_flush (journal, error))
    return NULL;

  transfer = sendoff_transfer_new ();
  sendoff_transfer_set_name (transfer, record->name);
  sendoff_transfer_set_description (transfer, record->message);
  _sendoff_transfer_append_items (transfer, items);
  if (sendoff_transfer_get_n_items (transfer) != record->files->len)
    {
      g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_DAMAGED,
                   _("Transfer %s lists the same file twice"), record->id);
      return NULL;
    }

  if (!restore_transfer (provider, transfer, record, error))
    return NULL;
  for (guint i = 0; i < items->len; i++)
    if (!restore_item (provider, transfer, g_ptr_array_index (items, i),
                       g_ptr_array_index (record->files, i), error))
      return NULL;

  _sendoff_transfer_set_journal_id (transfer, record->id);
  _sendoff_transfer_set_journal_lock (transfer, g_steal_pointer (&lock));
  if (restarted != NULL)
    *restarted = g_strv_builder_end (names);
  return g_steal_pointer (&transfer);
}
