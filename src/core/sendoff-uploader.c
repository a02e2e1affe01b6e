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
#define MAX_DELAY_MS          (20 * 1000)
#define MAX_RETRY_AFTER_MS    (60 * 1000)
#define PROGRESS_INTERVAL_MS  250
#define MAX_REAUTHORIZE       3
/* An abort hook gets this long before the failure is reported anyway */
#define ABORT_TIMEOUT_MS      (30 * 1000)

struct _SendoffUploader
{
  GObject          parent_instance;

  SendoffProvider *provider;
  guint            jobs;
  guint            max_retries;
};

G_DEFINE_FINAL_TYPE (SendoffUploader, sendoff_uploader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_JOBS,
  PROP_MAX_RETRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- one send --------------------------------------------------------- */

typedef enum {
  STEP_AUTHORIZE,
  STEP_BEGIN,
  STEP_REGISTER,
  STEP_TARGET,
  STEP_FINISH_ITEM,
  STEP_FINISH_TRANSFER,
} StepKind;

typedef struct _SendOp SendOp;

struct _SendOp
{
  gint             ref_count;        /* atomic */

  SendoffUploader *uploader;
  SendoffProvider *provider;
  SendoffTransfer *transfer;
  GTask           *task;
  GMainContext    *context;
  GCancellable    *cancellable;      /* ours: cancelled on stop */
  GCancellable    *user_cancellable;
  gulong           user_cancelled_id;

  guint            jobs;
  guint            max_retries;
  guint            base_delay_ms;

  gboolean         stopping;
  gboolean         succeeded;
  GError          *error;            /* the first fatal error */
  SendoffItem     *failed_item;

  guint            outstanding;      /* provider calls + parts held by workers */
  GQueue           pending;          /* SendoffPart waiting for a target */
  guint            fetching;         /* part targets being asked for */
  GAsyncQueue     *ready;            /* SendoffPart with a target, for the workers */
  GPtrArray       *active;           /* SendoffPart held by workers, for progress */
  GPtrArray       *timers;           /* GSource of backoff delays */
  GPtrArray       *threads;

  guint            auth_generation;
  guint            reauth_streak;    /* re-authorizations since a call last worked */
  gboolean         authorizing;
  GPtrArray       *auth_waiters;     /* Step waiting for a fresh token */

  guint            items_left;       /* items not completed yet */
  GSource         *progress_source;

  GHashTable      *in_order_busy;    /* item → the one part of it under way */
  gboolean         aborting;         /* the abort hook runs before the task returns */
  GCancellable    *abort_cancellable;
};

typedef struct {
  SendOp      *op;
  StepKind     kind;
  SendoffItem *item;
  SendoffPart *part;
  GPtrArray   *items;
  guint        attempt;
  guint        auth_generation;
  gboolean     reauthorizing;        /* an AUTHORIZE step run after a 401 */
} Step;

/* Pushed once per worker to end it */
static SendoffPart quit_marker;

static void step_run          (Step *step);
static void op_fail           (SendOp *op, GError *error, SendoffItem *item);
static void op_maybe_complete (SendOp *op);
static void pump              (SendOp *op);

static SendOp *
op_ref (SendOp *op)
{
  g_atomic_int_inc (&op->ref_count);
  return op;
}

static void
op_unref (SendOp *op)
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
  g_clear_pointer (&op->auth_waiters, g_ptr_array_unref);
  g_clear_pointer (&op->in_order_busy, g_hash_table_unref);
  g_clear_object (&op->abort_cancellable);
  g_clear_error (&op->error);
  g_clear_object (&op->failed_item);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->transfer);
  g_clear_object (&op->provider);
  g_clear_object (&op->uploader);
  g_clear_pointer (&op->context, g_main_context_unref);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendOp, op_unref)

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

/* ---- delays ----------------------------------------------------------- */

guint
_sendoff_backoff_delay_ms (guint  attempt,
                           guint  base_ms,
                           gint64 retry_after_s)
{
  guint64 ceiling = base_ms;
  guint delay;

  /* Full jitter: uniform in [0, min(cap, base × 2^(attempt-1))] */
  for (guint i = 1; i < attempt && ceiling < MAX_DELAY_MS; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, MAX_DELAY_MS);
  delay = ceiling > 0 ? (guint) g_random_int_range (0, (gint32) ceiling + 1) : 0;

  if (retry_after_s >= 0)
    delay = MAX (delay, (guint) MIN (retry_after_s * 1000, MAX_RETRY_AFTER_MS));

  return delay;
}

typedef struct {
  SendOp         *op;
  GSourceFunc     func;
  gpointer        data;
  GDestroyNotify  destroy;
  GSource        *source;
} Timer;

static gboolean
timer_fired (gpointer user_data)
{
  Timer *timer = user_data;
  GSourceFunc func = timer->func;
  gpointer data = g_steal_pointer (&timer->data);

  /* Leaves the array at once; the Timer itself is freed after dispatch */
  g_ptr_array_remove_fast (timer->op->timers, timer->source);
  func (data);

  return G_SOURCE_REMOVE;
}

static void
timer_free (Timer *timer)
{
  if (timer->data != NULL && timer->destroy != NULL)
    timer->destroy (timer->data);
  g_free (timer);
}

static void
source_destroy_and_unref (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static void
op_schedule (SendOp         *op,
             guint           delay_ms,
             GSourceFunc     func,
             gpointer        data,
             GDestroyNotify  destroy)
{
  Timer *timer = g_new0 (Timer, 1);

  timer->op = op;
  timer->func = func;
  timer->data = data;
  timer->destroy = destroy;
  timer->source = g_timeout_source_new (delay_ms);
  g_source_set_callback (timer->source, timer_fired, timer, (GDestroyNotify) timer_free);
  g_source_set_static_name (timer->source, "[sendoff] retry delay");
  g_source_attach (timer->source, op->context);
  g_ptr_array_add (op->timers, timer->source);
}

/* ---- progress --------------------------------------------------------- */

static void
op_fold_progress (SendOp *op)
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
}

static gboolean
on_progress_tick (gpointer user_data)
{
  op_fold_progress (user_data);
  return G_SOURCE_CONTINUE;
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

static void
op_join_workers (SendOp *op)
{
  for (guint i = 0; i < op->threads->len; i++)
    g_async_queue_push (op->ready, &quit_marker);
  for (guint i = 0; i < op->threads->len; i++)
    g_thread_join (g_ptr_array_index (op->threads, i));
  g_ptr_array_set_size (op->threads, 0);
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
                          (GDestroyNotify) source_destroy_and_unref);

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
    forget_remote_state (op->transfer);
  else
    /* the send's own error is what the user sees */
    g_message ("Aborting the failed transfer remotely: %s", error->message);

  g_object_set_data (G_OBJECT (op->abort_cancellable), "sendoff-abort-timeout", NULL);
  op->aborting = FALSE;
  op_return (op);
  op_unref (op);
}

/* A failure that another send would meet again (not a passing network
 * failure, not an interrupt): the remote state is of no use any more. */
static gboolean
op_failed_for_good (SendOp *op)
{
  return op->error != NULL && !sendoff_error_is_retryable (op->error) &&
         !g_error_matches (op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         sendoff_provider_can_abort (op->provider) && transfer_has_remote_state (op->transfer);
}

static void
op_complete (SendOp *op)
{
  op_join_workers (op);

  if (op->progress_source != NULL)
    {
      g_source_destroy (op->progress_source);
      g_clear_pointer (&op->progress_source, g_source_unref);
    }
  g_ptr_array_set_size (op->auth_waiters, 0);
  op_fold_progress (op);

  if (op_failed_for_good (op))
    {
      op->aborting = TRUE;
      op->abort_cancellable = g_cancellable_new ();
      run_abort_hook (op->provider, op->transfer, op->abort_cancellable,
                      on_fatal_abort_done, op_ref (op));
      return;
    }

  op_return (op);
}

static void
op_return (SendOp *op)
{
  g_autoptr(GTask) task = g_steal_pointer (&op->task);

  if (op->error != NULL)
    {
      set_unfinished_items_state (op, SENDOFF_STATE_CANCELLED);
      _sendoff_transfer_set_error (op->transfer, op->error->message);
      _sendoff_transfer_set_state (op->transfer, SENDOFF_STATE_FAILED);
      g_task_return_error (task, g_steal_pointer (&op->error));
    }
  else if (!op->succeeded)
    {
      set_unfinished_items_state (op, SENDOFF_STATE_CANCELLED);
      _sendoff_transfer_set_state (op->transfer, SENDOFF_STATE_CANCELLED);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The transfer was cancelled"));
    }
  else
    {
      _sendoff_transfer_set_error (op->transfer, NULL);
      _sendoff_transfer_set_state (op->transfer, SENDOFF_STATE_DONE);
      g_task_return_boolean (task, TRUE);
    }
}

static void
op_maybe_complete (SendOp *op)
{
  if (op->task == NULL || !op->stopping || op->outstanding > 0 || op->aborting)
    return;
  op_complete (op);
}

/* Stops everything at once. @error NULL is a cancel by the user. */
static void
op_stop (SendOp *op)
{
  /* The last step to end may be one cancelled after the stop: it must
   * still complete the send. */
  if (op->stopping)
    {
      op_maybe_complete (op);
      return;
    }

  op->stopping = TRUE;
  g_cancellable_cancel (op->cancellable);

  /* Parts in a delay or still waiting for a target go away now */
  g_ptr_array_set_size (op->timers, 0);
  g_queue_clear_full (&op->pending, (GDestroyNotify) _sendoff_part_free);
  g_queue_init (&op->pending);

  op_maybe_complete (op);
}

static void
op_fail (SendOp      *op,
         GError      *error,
         SendoffItem *item)
{
  if (op->stopping)
    {
      g_error_free (error);
      op_maybe_complete (op);
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
  op_stop (op);
}

static gboolean
on_user_cancelled_idle (gpointer user_data)
{
  op_stop (user_data);
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
  g_source_set_callback (source, on_user_cancelled_idle, op_ref (op), (GDestroyNotify) op_unref);
  g_source_attach (source, op->context);
  g_source_unref (source);
}

/* ---- workers ---------------------------------------------------------- */

static gboolean
on_part_returned (gpointer user_data);

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

static gpointer
worker_main (gpointer user_data)
{
  SendOp *op = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  SendoffPart *part;

  g_main_context_push_thread_default (context);
  session = sendoff_http_session_new (2);

  while ((part = g_async_queue_pop (op->ready)) != &quit_marker)
    {
      _sendoff_put_part (session, part, op->cancellable);
      post_part_back (op, part);
    }

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  op_unref (op);

  return NULL;
}

static void
op_start_workers (SendOp *op)
{
  if (op->threads->len > 0)
    return;

  for (guint i = 0; i < op->jobs; i++)
    g_ptr_array_add (op->threads, g_thread_new ("sendoff-put", worker_main, op_ref (op)));
}

/* ---- provider steps with retries -------------------------------------- */

/* @attempt: failed attempts so far; the signal counts the one to come */
static void
op_emit_retry (SendOp      *op,
               SendoffItem *item,
               guint        part_number,
               guint        attempt,
               guint        delay_ms,
               const char  *reason)
{
  g_signal_emit (op->uploader, signals[SIGNAL_RETRY], 0, item, part_number, attempt + 1,
                 op->max_retries + 1, delay_ms, reason);
}

static Step *
step_new (SendOp   *op,
          StepKind  kind)
{
  Step *step = g_new0 (Step, 1);

  step->op = op;
  step->kind = kind;
  return step;
}

static void
step_free (Step *step)
{
  g_clear_object (&step->item);
  g_clear_pointer (&step->part, _sendoff_part_free);
  g_clear_pointer (&step->items, g_ptr_array_unref);
  g_free (step);
}

static const char *
step_describe (Step *step)
{
  switch (step->kind)
    {
    case STEP_AUTHORIZE:       return "authorize";
    case STEP_BEGIN:           return "begin transfer";
    case STEP_REGISTER:        return "register items";
    case STEP_TARGET:          return "part target";
    case STEP_FINISH_ITEM:     return "finish item";
    case STEP_FINISH_TRANSFER: return "finish transfer";
    default:                   g_assert_not_reached ();
    }
}

static gboolean
step_run_cb (gpointer data)
{
  step_run (data);
  return G_SOURCE_REMOVE;
}

static void on_reauthorized (Step *auth_step, gboolean success);

static void
op_reauthorize (SendOp *op)
{
  Step *auth;

  if (op->authorizing)
    return;

  op->authorizing = TRUE;
  auth = step_new (op, STEP_AUTHORIZE);
  auth->reauthorizing = TRUE;
  step_run (auth);
}

static void step_succeeded (Step *step, gpointer result);

/* Called with the step's error; takes both */
static void
step_failed (Step   *step,
             GError *error)
{
  SendOp *op = step->op;
  SendoffItem *item = step->part ? step->part->item : step->item;
  guint delay;

  if (op->stopping || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (step->reauthorizing)
        op->authorizing = FALSE;
      g_error_free (error);
      step_free (step);
      op_stop (op);
      return;
    }

  if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH) && step->kind != STEP_AUTHORIZE)
    {
      g_debug ("%s: refused credentials, authorizing again", step_describe (step));
      if (step->auth_generation != op->auth_generation)
        {
          /* Someone else got a fresh token since this step started */
          g_error_free (error);
          step_run (step);
          return;
        }
      if (op->authorizing)
        {
          g_error_free (error);
          g_ptr_array_add (op->auth_waiters, step);
          return;
        }
      /* Short-lived tokens may run out under busy steps more than once; a
       * streak of fresh tokens refused with no call succeeding in between
       * means the service refuses us (a refused key fails authorize). */
      if (op->reauth_streak < MAX_REAUTHORIZE)
        {
          g_error_free (error);
          op->reauth_streak++;
          g_ptr_array_add (op->auth_waiters, step);
          op_reauthorize (op);
          return;
        }
    }

  if (sendoff_error_is_retryable (error) && step->attempt < op->max_retries)
    {
      step->attempt++;
      delay = _sendoff_backoff_delay_ms (step->attempt, op->base_delay_ms,
                                         sendoff_http_error_get_retry_after (error));
      g_debug ("%s: %s; trying again in %u ms", step_describe (step), error->message, delay);
      op_emit_retry (op, item, 0, step->attempt, delay, error->message);
      g_error_free (error);
      if (item != NULL && step->kind == STEP_TARGET)
        _sendoff_item_set_state (item, SENDOFF_STATE_RETRYING);
      op_schedule (op, delay, step_run_cb, step, (GDestroyNotify) step_free);
      return;
    }

  if (step->reauthorizing)
    op->authorizing = FALSE;

  if (item != NULL)
    item = g_object_ref (item);
  step_free (step);
  op_fail (op, error, item);
  g_clear_object (&item);
}

static void
on_step_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Step *step = user_data;
  SendOp *op = step->op;
  SendoffProvider *provider = SENDOFF_PROVIDER (source);
  GError *error = NULL;
  gpointer value = NULL;
  gboolean ok = FALSE;

  op->outstanding--;

  switch (step->kind)
    {
    case STEP_AUTHORIZE:
      ok = sendoff_provider_authorize_finish (provider, result, &error);
      break;
    case STEP_BEGIN:
      ok = sendoff_provider_begin_transfer_finish (provider, result, &error);
      break;
    case STEP_REGISTER:
      ok = sendoff_provider_register_items_finish (provider, result, &error);
      break;
    case STEP_TARGET:
      value = sendoff_provider_get_part_target_finish (provider, result, &error);
      ok = value != NULL;
      op->fetching--;
      break;
    case STEP_FINISH_ITEM:
      ok = sendoff_provider_finish_item_finish (provider, result, &error);
      break;
    case STEP_FINISH_TRANSFER:
      ok = sendoff_provider_finish_transfer_finish (provider, result, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok && op->stopping)
    {
      g_clear_pointer (&value, sendoff_part_target_free);
      if (step->reauthorizing)
        op->authorizing = FALSE;
      step_free (step);
      op_maybe_complete (op);
      return;
    }

  if (!ok)
    {
      step_failed (step, error);
      return;
    }

  step_succeeded (step, value);
}

static void
step_run (Step *step)
{
  SendOp *op = step->op;

  if (op->stopping)
    {
      step_free (step);
      op_maybe_complete (op);
      return;
    }

  step->auth_generation = op->auth_generation;
  op->outstanding++;

  switch (step->kind)
    {
    case STEP_AUTHORIZE:
      sendoff_provider_authorize_async (op->provider, op->cancellable, on_step_done, step);
      break;
    case STEP_BEGIN:
      sendoff_provider_begin_transfer_async (op->provider, op->transfer, op->cancellable,
                                             on_step_done, step);
      break;
    case STEP_REGISTER:
      sendoff_provider_register_items_async (op->provider, op->transfer, step->items,
                                             op->cancellable, on_step_done, step);
      break;
    case STEP_TARGET:
      op->fetching++;
      sendoff_provider_get_part_target_async (op->provider, step->part->item, step->part->number,
                                              op->cancellable, on_step_done, step);
      break;
    case STEP_FINISH_ITEM:
      sendoff_provider_finish_item_async (op->provider, op->transfer, step->item,
                                          op->cancellable, on_step_done, step);
      break;
    case STEP_FINISH_TRANSFER:
      sendoff_provider_finish_transfer_async (op->provider, op->transfer, op->cancellable,
                                              on_step_done, step);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
on_reauthorized (Step     *auth_step,
                 gboolean  success)
{
  SendOp *op = auth_step->op;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&op->auth_waiters);

  op->authorizing = FALSE;
  op->auth_generation++;
  op->auth_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);

  g_ptr_array_set_free_func (waiters, NULL);
  for (guint i = 0; i < waiters->len; i++)
    step_run (g_ptr_array_index (waiters, i));
}

/* ---- the flow --------------------------------------------------------- */

static void start_parts (SendOp *op);

static void
finish_item (SendOp      *op,
             SendoffItem *item)
{
  Step *step = step_new (op, STEP_FINISH_ITEM);

  step->item = g_object_ref (item);
  step_run (step);
}

static void
item_completed (SendOp      *op,
                SendoffItem *item)
{
  _sendoff_item_set_completed (item, TRUE);
  _sendoff_item_set_bytes_sent (item, sendoff_item_get_size (item));
  _sendoff_item_set_error (item, NULL);
  _sendoff_item_set_state (item, SENDOFF_STATE_DONE);

  g_assert (op->items_left > 0);
  if (--op->items_left == 0)
    step_run (step_new (op, STEP_FINISH_TRANSFER));
}

static GPtrArray *
unregistered_items (SendOp *op)
{
  GListModel *items = sendoff_transfer_get_items (op->transfer);
  guint n = g_list_model_get_n_items (items);
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      SendoffItem *item = g_list_model_get_item (items, i);

      if (!_sendoff_item_is_registered (item))
        g_ptr_array_add (array, item);
      else
        g_object_unref (item);
    }

  return array;
}

static void
register_or_start (SendOp *op)
{
  g_autoptr(GPtrArray) items = unregistered_items (op);
  Step *step;

  if (items->len == 0)
    {
      start_parts (op);
      return;
    }

  step = step_new (op, STEP_REGISTER);
  step->items = g_steal_pointer (&items);
  step_run (step);
}

static void
step_succeeded (Step     *step,
                gpointer  result)
{
  SendOp *op = step->op;
  SendoffPart *part;

  if (step->kind != STEP_AUTHORIZE)
    op->reauth_streak = 0;

  switch (step->kind)
    {
    case STEP_AUTHORIZE:
      if (step->reauthorizing)
        {
          on_reauthorized (step, TRUE);
          break;
        }
      op->auth_generation++;
      if (_sendoff_transfer_get_remote_id (op->transfer) == NULL)
        step_run (step_new (op, STEP_BEGIN));
      else
        register_or_start (op);
      break;

    case STEP_BEGIN:
      register_or_start (op);
      break;

    case STEP_REGISTER:
      start_parts (op);
      break;

    case STEP_TARGET:
      part = g_steal_pointer (&step->part);
      part->target = result;
      if (sendoff_item_get_state (part->item) != SENDOFF_STATE_SENDING)
        _sendoff_item_set_state (part->item, SENDOFF_STATE_SENDING);
      op->outstanding++;
      g_ptr_array_add (op->active, part);
      g_async_queue_push (op->ready, part);
      break;

    case STEP_FINISH_ITEM:
      item_completed (op, step->item);
      break;

    case STEP_FINISH_TRANSFER:
      op_fold_progress (op);
      op->succeeded = TRUE;
      op->stopping = TRUE;   /* nothing left to do: complete */
      step_free (step);
      op_maybe_complete (op);
      return;

    default:
      g_assert_not_reached ();
    }

  step_free (step);
  pump (op);
}

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

static void
pump (SendOp *op)
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
          Step *step = step_new (op, STEP_TARGET);

          g_queue_delete_link (&op->pending, link);
          if (part->in_order)
            g_hash_table_insert (op->in_order_busy, part->item, GUINT_TO_POINTER (part->number));
          step->part = part;
          step_run (step);
        }
      link = next;
    }
}

static gboolean
requeue_part (gpointer data)
{
  SendoffPart *part = data;
  SendOp *op = part->op;

  g_queue_push_head (&op->pending, part);
  pump (op);
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
      op_emit_retry (op, part->item, part->number, part->attempt, delay, error->message);
      g_clear_pointer (&part->target, sendoff_part_target_free);
      op_schedule (op, delay, requeue_part, part, (GDestroyNotify) _sendoff_part_free);
      return;
    }

  {
    g_autoptr(SendoffItem) item = g_object_ref (part->item);

    _sendoff_part_free (part);
    op_fail (op, g_steal_pointer (&error), item);
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
        op_fail (op, error, item);
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

static gboolean
on_part_returned (gpointer user_data)
{
  SendoffPart *part = user_data;
  SendOp *op = part->op;
  SendoffItem *item = part->item;

  op->outstanding--;
  g_ptr_array_remove_fast (op->active, part);

  if (op->stopping)
    {
      _sendoff_part_free (part);
      op_maybe_complete (op);
      return G_SOURCE_REMOVE;
    }

  if (part->expired && part->attempt < op->max_retries)
    {
      /* Waited too long in the queue: ask for a fresh target at once. It
       * counts as an attempt, so targets that are always stale end. */
      part->expired = FALSE;
      op_emit_retry (op, item, part->number, part->attempt, 0,
                     _("the upload address expired before it was used"));
      part->attempt++;
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
      if (_sendoff_item_count_parts_done (item) == _sendoff_item_get_n_parts (item))
        finish_item (op, item);
      else if (sendoff_item_get_state (item) == SENDOFF_STATE_RETRYING)
        _sendoff_item_set_state (item, SENDOFF_STATE_SENDING);
      _sendoff_part_free (part);
    }

  pump (op);
  return G_SOURCE_REMOVE;
}

static void
start_parts (SendOp *op)
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
        finish_item (op, item);
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
    op_start_workers (op);

  op->progress_source = g_timeout_source_new (PROGRESS_INTERVAL_MS);
  g_source_set_callback (op->progress_source, on_progress_tick, op, NULL);
  g_source_set_static_name (op->progress_source, "[sendoff] progress");
  g_source_attach (op->progress_source, op->context);

  _sendoff_transfer_set_state (op->transfer, SENDOFF_STATE_SENDING);
  pump (op);
}

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
                                          sendoff_item_get_size (item),
                                          _sendoff_item_get_mtime (item), error))
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
  op->jobs = self->jobs;
  op->max_retries = self->max_retries;
  op->base_delay_ms = read_base_delay ();
  op->ready = g_async_queue_new ();
  op->active = g_ptr_array_new ();
  op->timers = g_ptr_array_new_with_free_func (source_destroy_and_unref);
  op->threads = g_ptr_array_new ();
  op->auth_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  op->in_order_busy = g_hash_table_new (NULL, NULL);
  g_queue_init (&op->pending);

  /* Nothing is created remotely for a transfer the service cannot take */
  if (!check_items (op, &error) ||
      !sendoff_provider_check_limits (op->provider, transfer, &error))
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
  g_task_set_task_data (task, op_ref (op), (GDestroyNotify) op_unref);

  if (cancellable != NULL)
    {
      op->user_cancellable = g_object_ref (cancellable);
      op->user_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled),
                                                     op_ref (op), (GDestroyNotify) op_unref);
      if (op->user_cancelled_id == 0)
        {
          /* Already cancelled: the handler ran and will stop us */
          return;
        }
    }

  step_run (step_new (op, STEP_AUTHORIZE));
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
      g_task_return_error (task, error);
      return;
    }

  forget_remote_state (transfer);
  discard_model (transfer);
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

  if (!sendoff_provider_can_abort (self->provider) || !transfer_has_remote_state (transfer))
    {
      discard_model (transfer);
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
