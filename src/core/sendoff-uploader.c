/* sendoff-uploader.c — the engine: sends a transfer through a provider
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
#include "sendoff-util-private.h"
#include "sendoff-watchdog.h"

/*
 * How it works. Everything that touches the model runs on the caller's
 * main context: the provider's API calls (authorize, create, register,
 * part targets, complete), the scheduling and the retries. The PUTs run on
 * `jobs` worker threads, each with its own SoupSession sending
 * synchronously: one main loop tops out near 0.5 GB/s, threads reach
 * several times that. Workers take parts whose target is known from one
 * queue and hand each back to the main context when done. They count the
 * bytes written into an atomic; a timer folds those into the model a few
 * times a second.
 */

#define DEFAULT_MAX_RETRIES   10
#define DEFAULT_BASE_DELAY_MS 250
/* An abort hook gets this long before the failure is reported anyway */
#define ABORT_TIMEOUT_MS      (30 * 1000)

struct _SendoffUploader
{
  GObject          parent_instance;

  SendoffProvider *provider;
  guint            jobs;
  guint            max_retries;
  guint            stall_timeout;
  SendoffJournal  *journal;
  char            *destination[3];   /* id, name, backend id */
};

G_DEFINE_FINAL_TYPE (SendoffUploader, sendoff_uploader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_JOBS,
  PROP_MAX_RETRIES,
  PROP_STALL_TIMEOUT,
  PROP_JOURNAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- one send --------------------------------------------------------- */

SendOp *
_sendoff_op_ref (SendOp *op)
{
  g_atomic_int_inc (&op->ref_count);
  return op;
}

void
_sendoff_op_unref (SendOp *op)
{
  if (!g_atomic_int_dec_and_test (&op->ref_count))
    return;

  g_assert (op->outstanding == 0);
  g_assert (op->threads == NULL || op->threads->len == 0);

  if (op->user_cancelled_id != 0)
    g_cancellable_disconnect (op->user_cancellable, op->user_cancelled_id);
  g_clear_object (&op->user_cancellable);
  g_queue_clear_full (&op->pending, (GDestroyNotify) _sendoff_part_free);
  g_clear_pointer (&op->ready, g_async_queue_unref);
  g_clear_pointer (&op->active, g_ptr_array_unref);
  g_clear_pointer (&op->timers, g_ptr_array_unref);
  g_clear_pointer (&op->threads, g_ptr_array_unref);
  g_clear_pointer (&op->workers, g_ptr_array_unref);
  g_clear_pointer (&op->auth_waiters, g_ptr_array_unref);
  g_clear_pointer (&op->in_order_busy, g_hash_table_unref);
  g_clear_object (&op->abort_cancellable);
  g_clear_object (&op->journal);
  g_clear_pointer (&op->journal_id, g_free);
  g_clear_pointer (&op->journal_index, g_hash_table_unref);
  g_clear_error (&op->error);
  g_clear_object (&op->failed_item);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->transfer);
  g_clear_object (&op->provider);
  g_clear_object (&op->uploader);
  g_clear_pointer (&op->context, g_main_context_unref);
  g_free (op);
}

/* ---- retries, as the signal tells them -------------------------------- */

/* @attempt: failed attempts so far; the signal counts the one to come */
void
_sendoff_op_emit_retry (SendOp      *op,
                        SendoffItem *item,
                        guint        part_number,
                        guint        attempt,
                        guint        delay_ms,
                        const char  *reason)
{
  /* The window says "Retrying in 8 s (attempt 3 of 10): reason" */
  _sendoff_transfer_set_retry (op->transfer, g_get_monotonic_time () + (gint64) delay_ms * 1000,
                               attempt + 1, op->max_retries + 1, reason);
  g_signal_emit (op->uploader, signals[SIGNAL_RETRY], 0, item, part_number, attempt + 1,
                 op->max_retries + 1, delay_ms, reason);
}

/* ---- stopping and finishing ------------------------------------------- */

static void
set_unfinished_items_state (SendOp       *op,
                            SendoffState  state)
{
  GListModel *items = sendoff_transfer_get_items (op->transfer);
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      SendoffState item_state = sendoff_item_get_state (item);

      if (item == op->failed_item || item_state == SENDOFF_STATE_DONE)
        continue;
      if (item_state == SENDOFF_STATE_WAITING || item_state == SENDOFF_STATE_SENDING ||
          item_state == SENDOFF_STATE_RETRYING || item_state == SENDOFF_STATE_NEW)
        _sendoff_item_set_state (item, state);
    }
}

/* After an abort the remote state is gone: the next send starts afresh */
static void
forget_remote_state (SendoffTransfer *transfer)
{
  GListModel *items = sendoff_transfer_get_items (transfer);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      if (!_sendoff_item_is_completed (item))
        _sendoff_item_clear_remote (item);
    }
  _sendoff_transfer_set_remote_id (transfer, NULL);
}

/* A discarded transfer is over: what was not sent is cancelled for good */
static void
discard_model (SendoffTransfer *transfer)
{
  GListModel *items = sendoff_transfer_get_items (transfer);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      if (sendoff_item_get_state (item) != SENDOFF_STATE_DONE)
        _sendoff_item_set_state (item, SENDOFF_STATE_CANCELLED);
    }
  _sendoff_transfer_set_state (transfer, SENDOFF_STATE_CANCELLED);
}

static gboolean
transfer_has_remote_state (SendoffTransfer *transfer)
{
  GListModel *items = sendoff_transfer_get_items (transfer);

  if (_sendoff_transfer_get_remote_id (transfer) != NULL)
    return TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      if (_sendoff_item_is_registered (item) && !_sendoff_item_is_completed (item))
        return TRUE;
    }
  return FALSE;
}

static gboolean
on_abort_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs the provider's abort hook for @transfer, bounded in time; @callback
 * gets the result of sendoff_provider_abort_finish(). */
static void
run_abort_hook (SendoffProvider     *provider,
                SendoffTransfer     *transfer,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GSource *timeout = g_timeout_source_new (ABORT_TIMEOUT_MS);

  g_source_set_callback (timeout, on_abort_timeout, g_object_ref (cancellable), g_object_unref);
  g_source_set_static_name (timeout, "[sendoff] abort timeout");
  g_source_attach (timeout, g_main_context_get_thread_default ());
  g_object_set_data_full (G_OBJECT (cancellable), "sendoff-abort-timeout", timeout,
                          (GDestroyNotify) _sendoff_source_destroy_and_unref);

  sendoff_provider_abort_async (provider, transfer, cancellable, callback, user_data);
}

static void op_return (SendOp *op);

static void
on_fatal_abort_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SendOp *op = user_data;
  g_autoptr(GError) error = NULL;

  if (sendoff_provider_abort_finish (SENDOFF_PROVIDER (source), result, &error))
    {
      forget_remote_state (op->transfer);
      op->remote_gone = TRUE;
    }
  else
    /* the send's own error is what the user sees */
    g_message ("Aborting the failed transfer remotely: %s", error->message);

  g_object_set_data (G_OBJECT (op->abort_cancellable), "sendoff-abort-timeout", NULL);
  op->aborting = FALSE;
  op_return (op);
  _sendoff_op_unref (op);
}

/* A failure that another send would meet again (not a passing network
 * failure, not an interrupt): the remote state is of no use any more. */
static gboolean
op_failed_for_good (SendOp *op)
{
  return op->error != NULL && !sendoff_error_is_retryable (op->error) && !op->remote_gone &&
         !g_error_matches (op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         sendoff_provider_can_abort (op->provider) && transfer_has_remote_state (op->transfer);
}

static void
op_complete (SendOp *op)
{
  _sendoff_op_join_workers (op);

  if (op->progress_source != NULL)
    {
      g_source_destroy (op->progress_source);
      g_clear_pointer (&op->progress_source, g_source_unref);
    }
  g_ptr_array_set_size (op->auth_waiters, 0);
  _sendoff_op_fold_progress (op);
  _sendoff_transfer_clear_retry (op->transfer);

  if (op_failed_for_good (op))
    {
      op->aborting = TRUE;
      op->abort_cancellable = g_cancellable_new ();
      run_abort_hook (op->provider, op->transfer, op->abort_cancellable,
                      on_fatal_abort_done, _sendoff_op_ref (op));
      return;
    }

  op_return (op);
}

static void
op_return (SendOp *op)
{
  g_autoptr(GTask) task = g_steal_pointer (&op->task);

  /* The handler holds a reference on the send: keeping it until the
   * caller's cancellable goes would keep the send (and the uploader)
   * alive as long as the cancellable, which the task itself holds. */
  if (op->user_cancelled_id != 0)
    {
      g_cancellable_disconnect (op->user_cancellable, op->user_cancelled_id);
      op->user_cancelled_id = 0;
    }

  if (op->error != NULL)
    {
      set_unfinished_items_state (op, SENDOFF_STATE_CANCELLED);
      _sendoff_transfer_set_error (op->transfer, op->error->message);
      _sendoff_transfer_set_state (op->transfer, SENDOFF_STATE_FAILED);
      _sendoff_op_journal_end (op);
      g_task_return_error (task, g_steal_pointer (&op->error));
    }
  else if (!op->succeeded)
    {
      set_unfinished_items_state (op, SENDOFF_STATE_CANCELLED);
      _sendoff_transfer_set_state (op->transfer, SENDOFF_STATE_CANCELLED);
      _sendoff_op_journal_end (op);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The transfer was cancelled"));
    }
  else
    {
      _sendoff_transfer_set_error (op->transfer, NULL);
      _sendoff_transfer_set_state (op->transfer, SENDOFF_STATE_DONE);
      _sendoff_op_journal_end (op);
      g_task_return_boolean (task, TRUE);
    }
}

void
_sendoff_op_maybe_complete (SendOp *op)
{
  if (op->task == NULL || !op->stopping || op->outstanding > 0 || op->aborting)
    return;
  op_complete (op);
}

/* Stops everything at once. @error NULL is a cancel by the user. */
void
_sendoff_op_stop (SendOp *op)
{
  /* The last step to end may be one cancelled after the stop: it must
   * still complete the send. */
  if (op->stopping)
    {
      _sendoff_op_maybe_complete (op);
      return;
    }

  op->stopping = TRUE;
  g_cancellable_cancel (op->cancellable);

  /* Parts in a delay or still waiting for a target go away now */
  g_ptr_array_set_size (op->timers, 0);
  g_queue_clear_full (&op->pending, (GDestroyNotify) _sendoff_part_free);
  g_queue_init (&op->pending);

  _sendoff_op_maybe_complete (op);
}

void
_sendoff_op_fail (SendOp      *op,
                  GError      *error,
                  SendoffItem *item)
{
  if (op->stopping)
    {
      g_error_free (error);
      _sendoff_op_maybe_complete (op);
      return;
    }

  g_debug ("Transfer failed: %s", error->message);

  if (item != NULL)
    {
      g_set_object (&op->failed_item, item);
      _sendoff_item_set_error (item, error->message);
      _sendoff_item_set_state (item, SENDOFF_STATE_FAILED);
      if (error->domain == SENDOFF_ERROR && error->code == SENDOFF_ERROR_CHANGED)
        sendoff_provider_reset_item (op->provider, item);
    }

  op->error = error;
  _sendoff_op_stop (op);
}

static gboolean
on_user_cancelled_idle (gpointer user_data)
{
  _sendoff_op_stop (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_user_cancelled (GCancellable *cancellable,
                   SendOp       *op)
{
  GSource *source;

  /* Any thread may cancel: abort the requests now, stop on our context.
   * A cancel during the abort hook stops waiting for it. */
  g_cancellable_cancel (op->cancellable);
  if (op->abort_cancellable != NULL)
    g_cancellable_cancel (op->abort_cancellable);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, on_user_cancelled_idle, _sendoff_op_ref (op), (GDestroyNotify) _sendoff_op_unref);
  g_source_attach (source, op->context);
  g_source_unref (source);
}

/* ---- sending ---------------------------------------------------------- */

/* Before anything is created remotely: every file still is what was added */
static gboolean
check_items (SendOp  *op,
             GError **error)
{
  GListModel *items = sendoff_transfer_get_items (op->transfer);
  guint n = g_list_model_get_n_items (items);

  if (n == 0)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("There are no files to send"));
      return FALSE;
    }

  op->items_left = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      g_autofree char *path = g_file_get_path (sendoff_item_get_file (item));

      if (_sendoff_item_is_completed (item))
        continue;

      op->items_left++;
      if (!_sendoff_file_check_unchanged (path, sendoff_item_get_name (item),
                                          _sendoff_item_get_identity (item), error))
        {
          /* Not a transfer failure of this item: the input is stale */
          if (error != NULL && *error != NULL)
            (*error)->code = SENDOFF_ERROR_INVALID_INPUT;
          _sendoff_item_set_error (item, error && *error ? (*error)->message : NULL);
          return FALSE;
        }
    }

  return TRUE;
}

static guint
read_base_delay (void)
{
  const char *value = g_getenv ("SENDOFF_RETRY_BASE_MS");
  guint64 parsed;

  if (value != NULL && *value != '\0' &&
      g_ascii_string_to_unsigned (value, 10, 0, 60 * 1000, &parsed, NULL))
    return (guint) parsed;

  return DEFAULT_BASE_DELAY_MS;
}

void
sendoff_uploader_send_async (SendoffUploader     *self,
                             SendoffTransfer     *transfer,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SendOp) op = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *items;
  SendoffState state;

  g_return_if_fail (SENDOFF_IS_UPLOADER (self));
  g_return_if_fail (SENDOFF_IS_TRANSFER (transfer));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_uploader_send_async);

  state = sendoff_transfer_get_state (transfer);
  if (state != SENDOFF_STATE_NEW && state != SENDOFF_STATE_FAILED &&
      state != SENDOFF_STATE_CANCELLED)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               state == SENDOFF_STATE_DONE
                                 ? _("The transfer was already sent")
                                 : _("The transfer is being sent already"));
      return;
    }

  op = g_new0 (SendOp, 1);
  op->ref_count = 1;
  op->uploader = g_object_ref (self);
  op->provider = g_object_ref (self->provider);
  op->transfer = g_object_ref (transfer);
  op->context = g_main_context_ref_thread_default ();
  op->cancellable = g_cancellable_new ();
  _sendoff_stall_attach (op->cancellable, self->stall_timeout * 1000);
  op->jobs = self->jobs;
  op->max_retries = self->max_retries;
  op->base_delay_ms = read_base_delay ();
  op->ready = g_async_queue_new ();
  op->active = g_ptr_array_new ();
  op->timers = g_ptr_array_new_with_free_func (_sendoff_source_destroy_and_unref);
  op->threads = g_ptr_array_new ();
  op->workers = g_ptr_array_new_with_free_func (_sendoff_worker_free);
  op->auth_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) _sendoff_step_free);
  op->in_order_busy = g_hash_table_new (NULL, NULL);
  g_queue_init (&op->pending);

  /* Nothing is created remotely for a transfer the service cannot take */
  if (!check_items (op, &error) ||
      !sendoff_provider_check_limits (op->provider, transfer, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Nor for one that another process works on */
  if (!_sendoff_op_journal_start (op, self->journal, (const char *const *) self->destination,
                                  &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A retry starts clean: errors and states of what is left are reset */
  items = sendoff_transfer_get_items (transfer);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      if (sendoff_item_get_state (item) == SENDOFF_STATE_DONE)
        continue;
      _sendoff_item_set_error (item, NULL);
      _sendoff_item_set_state (item, SENDOFF_STATE_WAITING);
    }
  _sendoff_transfer_set_error (transfer, NULL);
  _sendoff_transfer_reset_speed (transfer);
  _sendoff_transfer_set_state (transfer, SENDOFF_STATE_WAITING);

  op->task = g_object_ref (task);
  g_task_set_task_data (task, _sendoff_op_ref (op), (GDestroyNotify) _sendoff_op_unref);

  if (cancellable != NULL)
    {
      op->user_cancellable = g_object_ref (cancellable);
      op->user_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled),
                                                     _sendoff_op_ref (op), (GDestroyNotify) _sendoff_op_unref);
      if (op->user_cancelled_id == 0)
        {
          /* Already cancelled: the handler ran and will stop us */
          return;
        }
    }

  _sendoff_step_run (_sendoff_step_new (op, STEP_AUTHORIZE));
}

gboolean
sendoff_uploader_send_finish (SendoffUploader  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_UPLOADER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- discard ------------------------------------------------------------ */

static void
on_discard_aborted (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendoffTransfer *transfer = g_task_get_task_data (task);
  GCancellable *cancellable = g_object_get_data (G_OBJECT (task), "sendoff-abort-cancellable");
  GError *error = NULL;

  g_object_set_data (G_OBJECT (cancellable), "sendoff-abort-timeout", NULL);
  if (!sendoff_provider_abort_finish (SENDOFF_PROVIDER (source), result, &error))
    {
      _sendoff_transfer_set_journal_lock (transfer, NULL);   /* it stays unfinished */
      g_task_return_error (task, error);
      return;
    }

  forget_remote_state (transfer);
  discard_model (transfer);
  _sendoff_journal_discarded (SENDOFF_UPLOADER (g_task_get_source_object (task))->journal,
                              transfer);
  g_task_return_boolean (task, TRUE);
}

void
sendoff_uploader_discard_async (SendoffUploader     *self,
                                SendoffTransfer     *transfer,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) abort_cancellable = NULL;
  g_autoptr(GError) error = NULL;
  SendoffState state;

  g_return_if_fail (SENDOFF_IS_UPLOADER (self));
  g_return_if_fail (SENDOFF_IS_TRANSFER (transfer));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_uploader_discard_async);
  g_task_set_task_data (task, g_object_ref (transfer), g_object_unref);

  state = sendoff_transfer_get_state (transfer);
  if (state == SENDOFF_STATE_WAITING || state == SENDOFF_STATE_SENDING ||
      state == SENDOFF_STATE_RETRYING)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("The transfer is being sent; stop it before discarding it"));
      return;
    }
  if (state == SENDOFF_STATE_DONE)
    {
      g_task_return_boolean (task, TRUE);   /* nothing is left half-made */
      return;
    }
  /* Not under another process that sends it: it would go on, or abort
   * what this one aborts */
  if (!_sendoff_journal_lock_for_discard (self->journal, transfer, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!sendoff_provider_can_abort (self->provider) || !transfer_has_remote_state (transfer))
    {
      discard_model (transfer);
      _sendoff_journal_discarded (self->journal, transfer);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The caller's cancellable stops it; the timeout bounds it */
  abort_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             abort_cancellable, G_CONNECT_SWAPPED);
  g_object_set_data_full (G_OBJECT (task), "sendoff-abort-cancellable",
                          g_object_ref (abort_cancellable), g_object_unref);
  run_abort_hook (self->provider, transfer, abort_cancellable, on_discard_aborted,
                  g_steal_pointer (&task));
}

gboolean
sendoff_uploader_discard_finish (SendoffUploader  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_UPLOADER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---------------------------------------------------------- */

static void
sendoff_uploader_finalize (GObject *object)
{
  SendoffUploader *self = SENDOFF_UPLOADER (object);

  g_clear_object (&self->provider);
  g_clear_object (&self->journal);
  for (guint i = 0; i < G_N_ELEMENTS (self->destination); i++)
    g_clear_pointer (&self->destination[i], g_free);

  G_OBJECT_CLASS (sendoff_uploader_parent_class)->finalize (object);
}

static void
sendoff_uploader_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SendoffUploader *self = SENDOFF_UPLOADER (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_JOBS:
      g_value_set_uint (value, self->jobs);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;
    case PROP_STALL_TIMEOUT:
      g_value_set_uint (value, self->stall_timeout);
      break;
    case PROP_JOURNAL:
      g_value_set_object (value, self->journal);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_uploader_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SendoffUploader *self = SENDOFF_UPLOADER (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    case PROP_JOBS:
      sendoff_uploader_set_jobs (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRIES:
      if (self->max_retries != g_value_get_uint (value))
        {
          self->max_retries = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_STALL_TIMEOUT:
      sendoff_uploader_set_stall_timeout (self, g_value_get_uint (value));
      break;
    case PROP_JOURNAL:
      sendoff_uploader_set_journal (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_uploader_class_init (SendoffUploaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sendoff_uploader_finalize;
  object_class->get_property = sendoff_uploader_get_property;
  object_class->set_property = sendoff_uploader_set_property;

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, SENDOFF_TYPE_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOBS] =
    g_param_spec_uint ("jobs", NULL, NULL,
                       1, SENDOFF_UPLOADER_MAX_JOBS, SENDOFF_UPLOADER_DEFAULT_JOBS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL,
                       0, 1000, DEFAULT_MAX_RETRIES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STALL_TIMEOUT] =
    g_param_spec_uint ("stall-timeout", NULL, NULL,
                       0, SENDOFF_UPLOADER_MAX_STALL_TIMEOUT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOURNAL] =
    g_param_spec_object ("journal", NULL, NULL, SENDOFF_TYPE_JOURNAL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SendoffUploader::retry:
   * @self: the uploader
   * @item: (nullable): the item concerned, %NULL for a transfer-wide step
   * @part_number: the part being tried again, 0 for an API step
   * @attempt: the attempt about to be made (the first try is 1)
   * @max_attempts: how many attempts there are at most
   * @delay_ms: how long the engine waits before it
   * @reason: why the last attempt failed, a sentence
   *
   * A retry was scheduled. Emitted on the main context of the send.
   */
  signals[SIGNAL_RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 6,
                  SENDOFF_TYPE_ITEM, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT,
                  G_TYPE_STRING);
}

static void
sendoff_uploader_init (SendoffUploader *self)
{
  self->jobs = SENDOFF_UPLOADER_DEFAULT_JOBS;
  self->max_retries = DEFAULT_MAX_RETRIES;
}

SendoffUploader *
sendoff_uploader_new (SendoffProvider *provider)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (provider), NULL);

  return g_object_new (SENDOFF_TYPE_UPLOADER, "provider", provider, NULL);
}

SendoffProvider *
sendoff_uploader_get_provider (SendoffUploader *self)
{
  g_return_val_if_fail (SENDOFF_IS_UPLOADER (self), NULL);

  return self->provider;
}

guint
sendoff_uploader_get_jobs (SendoffUploader *self)
{
  g_return_val_if_fail (SENDOFF_IS_UPLOADER (self), 0);

  return self->jobs;
}

void
sendoff_uploader_set_jobs (SendoffUploader *self,
                           guint            jobs)
{
  g_return_if_fail (SENDOFF_IS_UPLOADER (self));

  jobs = CLAMP (jobs, 1, SENDOFF_UPLOADER_MAX_JOBS);
  if (self->jobs == jobs)
    return;

  self->jobs = jobs;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOBS]);
}

guint
sendoff_uploader_get_stall_timeout (SendoffUploader *self)
{
  g_return_val_if_fail (SENDOFF_IS_UPLOADER (self), 0);

  return self->stall_timeout;
}

void
sendoff_uploader_set_stall_timeout (SendoffUploader *self,
                                    guint            seconds)
{
  g_return_if_fail (SENDOFF_IS_UPLOADER (self));

  seconds = MIN (seconds, SENDOFF_UPLOADER_MAX_STALL_TIMEOUT);
  if (self->stall_timeout == seconds)
    return;

  self->stall_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALL_TIMEOUT]);
}

SendoffJournal *
sendoff_uploader_get_journal (SendoffUploader *self)
{
  g_return_val_if_fail (SENDOFF_IS_UPLOADER (self), NULL);

  return self->journal;
}

void
sendoff_uploader_set_journal (SendoffUploader *self,
                              SendoffJournal  *journal)
{
  g_return_if_fail (SENDOFF_IS_UPLOADER (self));
  g_return_if_fail (!journal || SENDOFF_IS_JOURNAL (journal));

  if (g_set_object (&self->journal, journal))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOURNAL]);
}

void
sendoff_uploader_set_destination (SendoffUploader *self,
                                  const char      *id,
                                  const char      *name,
                                  const char      *backend_id)
{
  g_return_if_fail (SENDOFF_IS_UPLOADER (self));

  _sendoff_set_str (&self->destination[0], id);
  _sendoff_set_str (&self->destination[1], name);
  _sendoff_set_str (&self->destination[2], backend_id);
}
