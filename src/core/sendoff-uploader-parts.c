/* sendoff-uploader-parts.c — the engine's part queue, its workers and progress
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-uploader"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-http.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"
#include "sendoff-uploader-private.h"

#define PROGRESS_INTERVAL_MS  250

/* Pushed once per worker to end it */
static SendoffPart quit_marker;

/* ---- parts ------------------------------------------------------------ */

void
_sendoff_part_free (SendoffPart *part)
{
  if (part == NULL || part == &quit_marker)
    return;
  g_clear_object (&part->item);
  g_clear_pointer (&part->path, g_free);
  g_clear_pointer (&part->target, sendoff_part_target_free);
  g_clear_error (&part->error);
  g_clear_pointer (&part->response_headers, soup_message_headers_unref);
  g_clear_pointer (&part->answer, g_bytes_unref);
  g_free (part);
}

static SendoffPart *
part_new (SendoffItem *item,
          const char  *path,
          guint        number)
{
  SendoffPart *part = g_new0 (SendoffPart, 1);

  part->item = g_object_ref (item);
  part->path = g_strdup (path);
  part->number = number;
  part->item_size = sendoff_item_get_size (item);
  part->item_mtime = _sendoff_item_get_mtime (item);
  _sendoff_item_get_part_range (item, number, &part->offset, &part->length);

  return part;
}

/* ---- progress --------------------------------------------------------- */

void
_sendoff_op_fold_progress (SendOp *op)
{
  GListModel *items = sendoff_transfer_get_items (op->transfer);
  g_autoptr(GHashTable) in_flight = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < op->active->len; i++)
    {
      SendoffPart *part = g_ptr_array_index (op->active, i);
      guint64 sent = GPOINTER_TO_SIZE (g_hash_table_lookup (in_flight, part->item));

      sent += MIN (atomic_load (&part->written), part->length);
      g_hash_table_insert (in_flight, part->item, GSIZE_TO_POINTER (sent));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      if (_sendoff_item_is_completed (item))
        _sendoff_item_set_bytes_sent (item, sendoff_item_get_size (item));
      else if (_sendoff_item_is_registered (item))
        _sendoff_item_set_bytes_sent (item, _sendoff_item_get_bytes_done (item) +
                                      GPOINTER_TO_SIZE (g_hash_table_lookup (in_flight, item)));
    }

  _sendoff_transfer_update_progress (op->transfer);

  /* The attempt a retry waited for has started */
  if (sendoff_transfer_get_retry_at (op->transfer) != 0 &&
      g_get_monotonic_time () >= sendoff_transfer_get_retry_at (op->transfer))
    _sendoff_transfer_clear_retry (op->transfer);
}

static gboolean
on_progress_tick (gpointer user_data)
{
  _sendoff_op_fold_progress (user_data);
  _sendoff_op_journal_tick (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---- workers ---------------------------------------------------------- */

static gboolean on_part_returned (gpointer user_data);

static void
post_part_back (SendOp      *op,
                SendoffPart *part)
{
  GSource *source = g_idle_source_new ();

  part->op = op;
  g_source_set_callback (source, on_part_returned, part, NULL);
  g_source_attach (source, op->context);
  g_source_unref (source);
}

/* A worker with a journal hands a part back and waits until it is on
 * record before it sends the next: a kill then finds at most one part per
 * worker stored by the server and unknown to the journal (sent again).
 * Its state lives as long as the send: a part handed back may release it
 * after the workers were joined. */
typedef struct {
  SendOp  *op;
  GMutex   lock;
  GCond    cond;
  gboolean waiting;
} Worker;

static void
worker_release (Worker *worker)
{
  if (worker == NULL)
    return;
  g_mutex_lock (&worker->lock);
  worker->waiting = FALSE;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
}

void
_sendoff_worker_free (gpointer data)
{
  Worker *worker = data;

  g_mutex_clear (&worker->lock);
  g_cond_clear (&worker->cond);
  g_free (worker);
}

static gpointer
worker_main (gpointer user_data)
{
  Worker *worker = user_data;
  SendOp *op = worker->op;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  SendoffPart *part;

  g_main_context_push_thread_default (context);
  session = sendoff_http_session_new (2);

  while ((part = g_async_queue_pop (op->ready)) != &quit_marker)
    {
      _sendoff_put_part (session, part, op->cancellable);
      if (op->journal == NULL)
        {
          post_part_back (op, part);
          continue;
        }
      g_mutex_lock (&worker->lock);
      worker->waiting = TRUE;
      g_mutex_unlock (&worker->lock);
      part->worker = worker;
      post_part_back (op, part);
      g_mutex_lock (&worker->lock);
      while (worker->waiting)
        g_cond_wait (&worker->cond, &worker->lock);
      g_mutex_unlock (&worker->lock);
    }

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  _sendoff_op_unref (op);

  return NULL;
}

void
_sendoff_op_start_workers (SendOp *op)
{
  if (op->threads->len > 0)
    return;

  for (guint i = 0; i < op->jobs; i++)
    {
      Worker *worker = g_new0 (Worker, 1);

      worker->op = _sendoff_op_ref (op);
      g_mutex_init (&worker->lock);
      g_cond_init (&worker->cond);
      g_ptr_array_add (op->workers, worker);
      g_ptr_array_add (op->threads, g_thread_new ("sendoff-put", worker_main, worker));
    }
}

void
_sendoff_op_join_workers (SendOp *op)
{
  /* the send may end while a part handed back is being handled */
  for (guint i = 0; i < op->workers->len; i++)
    worker_release (g_ptr_array_index (op->workers, i));
  for (guint i = 0; i < op->threads->len; i++)
    g_async_queue_push (op->ready, &quit_marker);
  for (guint i = 0; i < op->threads->len; i++)
    g_thread_join (g_ptr_array_index (op->threads, i));
  g_ptr_array_set_size (op->threads, 0);
}

/* ---- the queue -------------------------------------------------------- */

/* Keeps the workers fed: a few targets are asked for ahead of time so
 * the API round trips overlap with the PUTs. */
static gboolean
part_may_start (SendOp      *op,
                SendoffPart *part)
{
  gpointer number;

  if (!part->in_order ||
      !g_hash_table_lookup_extended (op->in_order_busy, part->item, NULL, &number))
    return TRUE;
  return GPOINTER_TO_UINT (number) == part->number;
}

void
_sendoff_op_pump (SendOp *op)
{
  guint ahead = op->jobs * 2;
  GList *link = op->pending.head;

  /* Parts of an item sent in order wait until the one before is stored */
  while (!op->stopping && link != NULL &&
         op->fetching + (guint) MAX (g_async_queue_length (op->ready), 0) < ahead)
    {
      GList *next = link->next;
      SendoffPart *part = link->data;

      if (part_may_start (op, part))
        {
          Step *step = _sendoff_step_new (op, STEP_TARGET);

          g_queue_delete_link (&op->pending, link);
          if (part->in_order)
            g_hash_table_insert (op->in_order_busy, part->item, GUINT_TO_POINTER (part->number));
          step->part = part;
          _sendoff_step_run (step);
        }
      link = next;
    }
}

/* A part with its target goes to the workers */
void
_sendoff_op_part_ready (SendOp      *op,
                        SendoffPart *part)
{
  if (sendoff_item_get_state (part->item) != SENDOFF_STATE_SENDING)
    _sendoff_item_set_state (part->item, SENDOFF_STATE_SENDING);
  op->outstanding++;
  g_ptr_array_add (op->active, part);
  g_async_queue_push (op->ready, part);
}

static gboolean
requeue_part (gpointer data)
{
  SendoffPart *part = data;
  SendOp *op = part->op;

  g_queue_push_head (&op->pending, part);
  _sendoff_op_pump (op);
  return G_SOURCE_REMOVE;
}

static void
part_failed (SendOp      *op,
             SendoffPart *part)
{
  g_autoptr(GError) error = g_steal_pointer (&part->error);
  guint delay;

  if ((part->force_retry || sendoff_error_is_retryable (error)) &&
      part->attempt < op->max_retries)
    {
      part->attempt++;
      part->force_retry = FALSE;
      _sendoff_item_add_retry (part->item);
      _sendoff_item_set_state (part->item, SENDOFF_STATE_RETRYING);
      delay = _sendoff_backoff_delay_ms (part->attempt, op->base_delay_ms,
                                         sendoff_http_error_get_retry_after (error));
      g_debug ("Part %u of “%s”: %s; trying again in %u ms",
               part->number, sendoff_item_get_name (part->item), error->message, delay);
      _sendoff_op_emit_retry (op, part->item, part->number, part->attempt, delay, error->message);
      g_clear_pointer (&part->target, sendoff_part_target_free);
      _sendoff_op_schedule (op, delay, requeue_part, part, (GDestroyNotify) _sendoff_part_free);
      return;
    }

  {
    g_autoptr(SendoffItem) item = g_object_ref (part->item);

    _sendoff_part_free (part);
    _sendoff_op_fail (op, g_steal_pointer (&error), item);
  }
}

/* The provider reads the receipt (ETag, Upload-Offset) before the part
 * counts as stored; a rejected receipt is a failed attempt. */
static gboolean
receipt_accepted (SendOp      *op,
                  SendoffPart *part)
{
  GError *error = NULL;

  if (sendoff_provider_part_stored (op->provider, part->item, part->number, part->status,
                                    part->response_headers, &error))
    return TRUE;

  if (error == NULL)
    error = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                         _("The storage’s answer for a part of “%s” was not accepted"),
                         sendoff_item_get_name (part->item));
  part->error = error;
  part->force_retry = TRUE;
  return FALSE;
}

/* The storage answered with a failure: the provider says what it means */
static void
storage_refused (SendOp      *op,
                 SendoffPart *part)
{
  SendoffStorageVerdict verdict;

  verdict = sendoff_provider_classify_storage_error (op->provider, part->item, part->status,
                                                     part->response_headers, part->answer);
  switch (verdict)
    {
    case SENDOFF_STORAGE_RETRY_FRESH_TARGET:
    case SENDOFF_STORAGE_RETRY:
      /* every retry asks for a fresh target anyway */
      part->error->domain = SENDOFF_ERROR;
      part->error->code = SENDOFF_ERROR_NETWORK;
      part_failed (op, part);
      break;

    case SENDOFF_STORAGE_AUTH_REFUSED:
      {
        g_autoptr(SendoffItem) item = g_object_ref (part->item);
        GError *error = g_steal_pointer (&part->error);

        error->domain = SENDOFF_ERROR;
        error->code = SENDOFF_ERROR_AUTH;
        _sendoff_part_free (part);
        _sendoff_op_fail (op, error, item);
      }
      break;

    case SENDOFF_STORAGE_FATAL:
    default:
      if (sendoff_error_is_retryable (part->error))
        {
          part->error->domain = SENDOFF_ERROR;
          part->error->code = SENDOFF_ERROR_SERVER;
        }
      part_failed (op, part);
      break;
    }
}

static void
part_returned (SendoffPart *part)
{
  SendOp *op = part->op;
  SendoffItem *item = part->item;

  op->outstanding--;
  g_ptr_array_remove_fast (op->active, part);

  if (op->stopping)
    {
      _sendoff_part_free (part);
      _sendoff_op_maybe_complete (op);
      return;
    }

  if (part->expired && part->attempt < op->max_retries)
    {
      /* Waited too long in the queue: ask for a fresh target at once. It
       * counts as an attempt, so targets that are always stale end. */
      part->expired = FALSE;
      part->attempt++;
      _sendoff_op_emit_retry (op, item, part->number, part->attempt, 0,
                              _("the upload address expired before it was used"));
      g_clear_pointer (&part->target, sendoff_part_target_free);
      g_queue_push_head (&op->pending, part);
    }
  else if (part->expired)
    {
      part->error = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                                 _("The service keeps giving upload addresses that have expired"));
      part_failed (op, part);
    }
  else if (part->error != NULL && part->storage_refused)
    {
      storage_refused (op, part);
    }
  else if (part->error != NULL)
    {
      part_failed (op, part);
    }
  else if (!receipt_accepted (op, part))
    {
      part_failed (op, part);
    }
  else
    {
      if (part->in_order)
        g_hash_table_remove (op->in_order_busy, item);
      _sendoff_item_mark_part_done (item, part->number);
      _sendoff_op_journal_part (op, part);
      if (_sendoff_item_count_parts_done (item) == _sendoff_item_get_n_parts (item))
        _sendoff_op_finish_item (op, item);
      else if (sendoff_item_get_state (item) == SENDOFF_STATE_RETRYING)
        _sendoff_item_set_state (item, SENDOFF_STATE_SENDING);
      _sendoff_part_free (part);
    }

  _sendoff_op_pump (op);
}

static gboolean
on_part_returned (gpointer user_data)
{
  SendoffPart *part = user_data;
  Worker *worker = g_steal_pointer (&part->worker);
  /* the send may end (and be let go) while the part is handled */
  g_autoptr(SendOp) op = _sendoff_op_ref (part->op);

  part_returned (part);
  worker_release (worker);
  return G_SOURCE_REMOVE;
}

void
_sendoff_op_start_parts (SendOp *op)
{
  GListModel *items = sendoff_transfer_get_items (op->transfer);
  guint n = g_list_model_get_n_items (items);
  g_autoptr(GPtrArray) todo = g_ptr_array_new_with_free_func (g_object_unref);
  guint max_parts = 0;

  for (guint i = 0; i < n; i++)
    {
      SendoffItem *item = g_list_model_get_item (items, i);

      if (_sendoff_item_is_completed (item))
        {
          g_object_unref (item);
          continue;
        }

      if (_sendoff_item_count_parts_done (item) == _sendoff_item_get_n_parts (item))
        _sendoff_op_finish_item (op, item);
      max_parts = MAX (max_parts, _sendoff_item_get_n_parts (item));
      g_ptr_array_add (todo, item);
    }

  /* Round-robin over the files: a small file does not wait behind a big one */
  for (guint number = 1; number <= max_parts; number++)
    for (guint i = 0; i < todo->len; i++)
      {
        SendoffItem *item = g_ptr_array_index (todo, i);
        g_autofree char *path = NULL;
        SendoffPart *part;

        if (number > _sendoff_item_get_n_parts (item) || _sendoff_item_part_is_done (item, number))
          continue;

        path = g_file_get_path (sendoff_item_get_file (item));
        part = part_new (item, path, number);
        part->in_order = sendoff_provider_item_parts_in_order (op->provider, item);
        g_queue_push_tail (&op->pending, part);
      }

  if (!g_queue_is_empty (&op->pending))
    _sendoff_op_start_workers (op);

  op->progress_source = g_timeout_source_new (PROGRESS_INTERVAL_MS);
  g_source_set_callback (op->progress_source, on_progress_tick, op, NULL);
  g_source_set_static_name (op->progress_source, "[sendoff] progress");
  g_source_attach (op->progress_source, op->context);

  _sendoff_transfer_set_state (op->transfer, SENDOFF_STATE_SENDING);
  _sendoff_op_pump (op);
}
