/* sendoff-uploader-journal.c — what the engine writes to the journal, and when
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-uploader"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sendoff-error-private.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-types.h"
#include "sendoff-uploader-private.h"

/*
 * Written ahead of acting, never per network chunk: the record when the
 * send starts, the remote state after begin and register, a part only
 * after the provider accepted its receipt, progress once per progress
 * tick (one transaction), and the end states at once. A journal that
 * cannot be written does not stop a send: it is said once in the log.
 */

static void
journal_warn (const GError *error)
{
  static gboolean warned;

  if (!warned)
    g_message ("The journal could not be written: %s", error->message);
  warned = TRUE;
}

/* {"id": the engine's remote id, "state": the provider's own JSON} */
char *
_sendoff_journal_remote_wrap (const char *remote_id,
                              const char *state)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) state_node = NULL;

  if (remote_id == NULL && state == NULL)
    return NULL;
  if (state != NULL && (state_node = json_from_string (state, NULL)) == NULL)
    state_node = NULL;   /* the provider's text is not JSON: keep it as text */

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  if (remote_id != NULL)
    json_builder_add_string_value (builder, remote_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "state");
  if (state_node != NULL)
    json_builder_add_value (builder, g_steal_pointer (&state_node));
  else if (state != NULL)
    json_builder_add_string_value (builder, state);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

gboolean
_sendoff_journal_remote_unwrap (const char  *text,
                                char       **remote_id,
                                char       **state,
                                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;

  *remote_id = NULL;
  *state = NULL;
  if (text == NULL || *text == '\0')
    return TRUE;

  root = json_from_string (text, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("The journal’s remote state is not readable"));
      return FALSE;
    }
  object = json_node_get_object (root);

  node = json_object_get_member (object, "id");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    *remote_id = g_strdup (json_node_get_string (node));
  node = json_object_get_member (object, "state");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    *state = g_strdup (json_node_get_string (node));
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    *state = json_to_string (node, FALSE);
  return TRUE;
}

static guint
item_index (SendOp      *op,
            SendoffItem *item)
{
  gpointer index = g_hash_table_lookup (op->journal_index, item);

  g_assert (index != NULL);
  return GPOINTER_TO_UINT (index) - 1;
}

static char *
dup_item_remote (SendOp      *op,
                 SendoffItem *item)
{
  g_autofree char *state = sendoff_provider_save_state (op->provider, op->transfer, item);

  return _sendoff_journal_remote_wrap (_sendoff_item_get_remote_id (item), state);
}

static SendoffJournalTransfer *
record_new (SendOp            *op,
            const char *const *destination)
{
  g_autoptr(SendoffJournalTransfer) record = sendoff_journal_transfer_new ();
  GListModel *items = sendoff_transfer_get_items (op->transfer);

  record->destination_id = g_strdup (destination[0]);
  record->destination_name = g_strdup (destination[1]);
  record->backend_id = g_strdup (destination[2] ? destination[2]
                                                : sendoff_provider_get_id (op->provider));
  record->name = sendoff_transfer_dup_effective_name (op->transfer);
  record->message = g_strdup (sendoff_transfer_get_description (op->transfer));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      g_autofree char *path = g_file_get_path (sendoff_item_get_file (item));
      const SendoffFileIdentity *identity = _sendoff_item_get_identity (item);
      SendoffJournalFile *file;

      file = sendoff_journal_transfer_add_file (record, path ? path : "",
                                                sendoff_item_get_name (item),
                                                (gint64) sendoff_item_get_size (item));
      file->mtime = identity->mtime_usec;
      file->ctime = identity->ctime_usec;
      file->device = identity->dev;
      file->inode = identity->ino;
      file->content_type = g_strdup (sendoff_item_get_content_type (item));
    }

  return g_steal_pointer (&record);
}

/* A transfer made here is recorded locked; one rebuilt from the journal
 * holds its lock already, unless a send of it ended (a retry takes it
 * again). A lock that cannot be had stops the send: another process may
 * be sending the same parts. */
static gboolean
hold_lock (SendoffJournal   *journal,
           SendoffTransfer  *transfer,
           const char       *id,
           GError          **error)
{
  SendoffJournalLock *lock = _sendoff_transfer_get_journal_lock (transfer);

  if (lock != NULL && g_str_equal (sendoff_journal_lock_get_id (lock), id))
    return TRUE;
  _sendoff_transfer_set_journal_lock (transfer, NULL);
  if ((lock = sendoff_journal_lock (journal, id, error)) == NULL)
    return FALSE;
  _sendoff_transfer_set_journal_lock (transfer, lock);
  return TRUE;
}

/* @destination: its id (NULL when not saved), name and backend id */
gboolean
_sendoff_op_journal_start (SendOp            *op,
                           SendoffJournal    *journal,
                           const char *const *destination,
                           GError           **error)
{
  GListModel *items = sendoff_transfer_get_items (op->transfer);
  const char *id = sendoff_transfer_get_journal_id (op->transfer);
  g_autofree char *new_id = NULL;
  g_autoptr(GError) local_error = NULL;

  op->resumed = _sendoff_transfer_get_remote_id (op->transfer) != NULL;
  for (guint i = 0; i < g_list_model_get_n_items (items) && !op->resumed; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      op->resumed = _sendoff_item_is_registered (item);
    }

  if (journal == NULL)
    return TRUE;

  if (id == NULL)
    {
      g_autoptr(SendoffJournalTransfer) record = record_new (op, destination);
      SendoffJournalLock *lock = NULL;

      _sendoff_transfer_set_journal_lock (op->transfer, NULL);
      if ((new_id = sendoff_journal_create_locked (journal, record, &lock, &local_error)) == NULL)
        {
          journal_warn (local_error);
          return TRUE;   /* sent all the same, not journaled */
        }
      _sendoff_transfer_set_journal_id (op->transfer, new_id);
      _sendoff_transfer_set_journal_lock (op->transfer, lock);
      id = new_id;
    }
  else if (!hold_lock (journal, op->transfer, id, error))
    return FALSE;

  op->journal = g_object_ref (journal);
  op->journal_id = g_strdup (id);
  op->journal_index = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      g_hash_table_insert (op->journal_index, item, GUINT_TO_POINTER (i + 1));
    }

  sendoff_journal_set_resumable (journal, id, TRUE);
  if (!sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_SENDING, NULL, &local_error))
    journal_warn (local_error);
  return TRUE;
}

/* The transfer exists remotely: what resumes it is written now */
void
_sendoff_op_journal_begun (SendOp *op)
{
  g_autofree char *state = NULL;
  g_autofree char *remote = NULL;
  g_autoptr(GError) error = NULL;

  if (op->journal == NULL)
    return;

  state = sendoff_provider_save_state (op->provider, op->transfer, NULL);
  remote = _sendoff_journal_remote_wrap (_sendoff_transfer_get_remote_id (op->transfer), state);
  sendoff_journal_set_remote (op->journal, op->journal_id, remote);
  if (!sendoff_journal_flush (op->journal, &error))
    journal_warn (error);
}

void
_sendoff_op_journal_registered (SendOp    *op,
                                GPtrArray *items)
{
  g_autoptr(GError) error = NULL;

  if (op->journal == NULL)
    return;

  for (guint i = 0; i < items->len; i++)
    {
      SendoffItem *item = g_ptr_array_index (items, i);
      g_autofree char *remote = NULL;
      guint index = item_index (op, item);

      if (!_sendoff_item_is_registered (item))
        continue;
      remote = dup_item_remote (op, item);
      sendoff_journal_set_file_remote (op->journal, op->journal_id, index, remote);
      sendoff_journal_set_file_plan (op->journal, op->journal_id, index,
                                     (gint64) _sendoff_item_get_part_size (item),
                                     _sendoff_item_get_n_parts (item));
    }
  /* the registration is what a resume needs first: not left to the tick */
  if (!sendoff_journal_flush (op->journal, &error))
    journal_warn (error);
}

/* Called once the provider accepted the part's receipt */
void
_sendoff_op_journal_part (SendOp      *op,
                          SendoffPart *part)
{
  const char *etag = NULL;

  if (op->journal == NULL)
    return;

  if (part->response_headers != NULL)
    etag = soup_message_headers_get_one (part->response_headers, "ETag");
  sendoff_journal_part_stored (op->journal, op->journal_id, item_index (op, part->item),
                               part->number, (gint64) part->length, etag ? etag : "");
  /* At once, not at the next tick: a kill then sends again only the parts
   * that were in flight. A WAL commit without fsync costs tens of µs. */
  _sendoff_op_journal_flush (op);
}

void
_sendoff_op_journal_tick (SendOp *op)
{
  g_autoptr(GError) error = NULL;

  if (op->journal == NULL)
    return;

  sendoff_journal_set_bytes_sent (op->journal, op->journal_id,
                                  (gint64) sendoff_transfer_get_bytes_sent (op->transfer));
  if (!sendoff_journal_flush (op->journal, &error))
    journal_warn (error);
}

void
_sendoff_op_journal_flush (SendOp *op)
{
  g_autoptr(GError) error = NULL;

  if (op->journal != NULL && !sendoff_journal_flush (op->journal, &error))
    journal_warn (error);
}

void
_sendoff_op_journal_item_done (SendOp      *op,
                               SendoffItem *item)
{
  g_autofree char *remote = NULL;

  if (op->journal == NULL)
    return;

  /* what completing it made (a file id) belongs to the transfer's result */
  remote = dup_item_remote (op, item);
  sendoff_journal_set_file_remote (op->journal, op->journal_id, item_index (op, item), remote);
  sendoff_journal_set_file_state (op->journal, op->journal_id, item_index (op, item),
                                  SENDOFF_JOURNAL_DONE);
}

/* Before the task returns: DONE, PAUSED (an interrupt) or FAILED */
void
_sendoff_op_journal_end (SendOp *op)
{
  g_autoptr(GError) error = NULL;
  SendoffJournalState state;
  const char *message = NULL;

  if (op->journal == NULL)
    {
      _sendoff_transfer_set_journal_lock (op->transfer, NULL);
      return;
    }

  sendoff_journal_set_bytes_sent (op->journal, op->journal_id,
                                  (gint64) sendoff_transfer_get_bytes_sent (op->transfer));
  if (op->error != NULL)
    {
      state = SENDOFF_JOURNAL_FAILED;
      message = op->error->message;
      /* nothing is left remotely to continue from */
      if (op->remote_gone)
        sendoff_journal_set_resumable (op->journal, op->journal_id, FALSE);
    }
  else if (!op->succeeded)
    state = SENDOFF_JOURNAL_PAUSED;
  else
    {
      /* only a share link: a result like "Created 4 files in task 7" is not one */
      state = SENDOFF_JOURNAL_DONE;
      sendoff_journal_set_link (op->journal, op->journal_id,
                                sendoff_transfer_get_share_url (op->transfer),
                                sendoff_transfer_get_link_expires_at (op->transfer));
    }

  if (!sendoff_journal_set_state (op->journal, op->journal_id, state, message, &error))
    journal_warn (error);
  /* written: another process may take it on now */
  _sendoff_transfer_set_journal_lock (op->transfer, NULL);
}

gboolean
_sendoff_journal_lock_for_discard (SendoffJournal   *journal,
                                   SendoffTransfer  *transfer,
                                   GError          **error)
{
  const char *id = sendoff_transfer_get_journal_id (transfer);

  if (journal == NULL || id == NULL)
    return TRUE;
  return hold_lock (journal, transfer, id, error);
}

/* Lets go of the lock too */
void
_sendoff_journal_discarded (SendoffJournal  *journal,
                            SendoffTransfer *transfer)
{
  const char *id = sendoff_transfer_get_journal_id (transfer);
  g_autoptr(GError) error = NULL;

  if (journal != NULL && id != NULL)
    {
      sendoff_journal_set_resumable (journal, id, FALSE);
      if (!sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_DISCARDED, NULL, &error))
        journal_warn (error);
    }
  _sendoff_transfer_set_journal_lock (transfer, NULL);
}

/* A send that continues a remote state meets a server that does not know
 * it (404, 410, or ids refused under a fresh token: expired, deleted, or
 * the server lost it): that is said as such, and nothing is sent again
 * behind the user's back. */
GError *
_sendoff_op_journal_forgotten (SendOp   *op,
                               StepKind  kind,
                               GError   *error)
{
  guint status = _sendoff_error_get_http_status (error);
  /* A refusal that outlived fresh tokens (authorize itself worked) is a
   * server that does not count those ids among ours any more */
  gboolean refused = g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  GError *forgotten;

  /* Stopped while the files were being added: the server may hold some of
   * them already, and an API without a way to list them (WeTransfer v1)
   * refuses them a second time. Only a new transfer can tell. */
  if (op->resumed && kind == STEP_REGISTER && status >= 400 && status < 500 &&
      status != SOUP_STATUS_UNAUTHORIZED && status != SOUP_STATUS_FORBIDDEN &&
      status != 429 && status != SOUP_STATUS_REQUEST_TIMEOUT)
    {
      g_debug ("Resumed while its files were being added: %s", error->message);
      forgotten = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_FORGOTTEN,
                               _("The transfer stopped while its files were being added, and "
                                 "the server will not take them twice; nothing was sent "
                                 "again"));
      g_error_free (error);
      op->remote_gone = TRUE;
      return forgotten;
    }

  if (!op->resumed || kind == STEP_AUTHORIZE || kind == STEP_BEGIN ||
      (status != SOUP_STATUS_NOT_FOUND && status != SOUP_STATUS_GONE && !refused))
    return error;

  g_debug ("Resumed, and the server does not know it: %s", error->message);
  forgotten = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_FORGOTTEN,
                           _("The server no longer knows this transfer (it expired, was "
                             "deleted, or the server lost it); nothing was sent again"));
  g_error_free (error);
  op->remote_gone = TRUE;
  return forgotten;
}
