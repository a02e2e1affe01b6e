/* sendoff-uploader-steps.c — the engine's provider steps, their retries and the flow between them
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

#define MAX_DELAY_MS          (20 * 1000)
#define MAX_RETRY_AFTER_MS    (60 * 1000)
#define MAX_REAUTHORIZE       3

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

void
_sendoff_source_destroy_and_unref (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

void
_sendoff_op_schedule (SendOp         *op,
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

/* ---- the kinds of step ------------------------------------------------- */

/* One row per kind: its name for the log, how it starts the provider's
 * call, how it reads the answer (a target for STEP_TARGET, else TRUE),
 * and what comes next when it worked. */
typedef struct {
  const char *name;
  void      (*run)       (Step *step);
  gpointer  (*finish)    (Step *step, GAsyncResult *result, GError **error);
  void      (*succeeded) (Step *step, gpointer value);
} StepClass;

static void on_step_done (GObject *source, GAsyncResult *result, gpointer user_data);
static void on_reauthorized (Step *auth_step);
static void register_or_start (SendOp *op);
static void begin_or_register (SendOp *op);
static void item_completed (SendOp *op, SendoffItem *item);

#define OK(b) ((b) ? GINT_TO_POINTER (TRUE) : NULL)

/* authorize */
static void
authorize_run (Step *step)
{
  sendoff_provider_authorize_async (step->op->provider, step->op->cancellable,
                                    on_step_done, step);
}

static gpointer
authorize_finish (Step *step, GAsyncResult *result, GError **error)
{
  return OK (sendoff_provider_authorize_finish (step->op->provider, result, error));
}

static void
authorize_succeeded (Step *step, gpointer value)
{
  SendOp *op = step->op;

  if (step->reauthorizing)
    {
      on_reauthorized (step);
      return;
    }
  op->auth_generation++;
  if (op->resumed && !op->reconciled)
    _sendoff_step_run (_sendoff_step_new (op, STEP_RECONCILE));
  else
    begin_or_register (op);
}

static void
begin_or_register (SendOp *op)
{
  if (_sendoff_transfer_get_remote_id (op->transfer) == NULL)
    _sendoff_step_run (_sendoff_step_new (op, STEP_BEGIN));
  else
    register_or_start (op);
}

/* reconcile: what the journal says against what the server holds */
static void
reconcile_run (Step *step)
{
  sendoff_provider_reconcile_async (step->op->provider, step->op->transfer,
                                    step->op->cancellable, on_step_done, step);
}

static gpointer
reconcile_finish (Step *step, GAsyncResult *result, GError **error)
{
  return OK (sendoff_provider_reconcile_finish (step->op->provider, result, error));
}

static void
reconcile_succeeded (Step *step, gpointer value)
{
  step->op->reconciled = TRUE;
  begin_or_register (step->op);
}

/* begin transfer */
static void
begin_run (Step *step)
{
  sendoff_provider_begin_transfer_async (step->op->provider, step->op->transfer,
                                         step->op->cancellable, on_step_done, step);
}

static gpointer
begin_finish (Step *step, GAsyncResult *result, GError **error)
{
  return OK (sendoff_provider_begin_transfer_finish (step->op->provider, result, error));
}

static void
begin_succeeded (Step *step, gpointer value)
{
  _sendoff_op_journal_begun (step->op);
  register_or_start (step->op);
}

/* register items */
static void
register_run (Step *step)
{
  sendoff_provider_register_items_async (step->op->provider, step->op->transfer, step->items,
                                         step->op->cancellable, on_step_done, step);
}

static gpointer
register_finish (Step *step, GAsyncResult *result, GError **error)
{
  return OK (sendoff_provider_register_items_finish (step->op->provider, result, error));
}

static void
register_succeeded (Step *step, gpointer value)
{
  _sendoff_op_journal_registered (step->op, step->items);
  _sendoff_op_start_parts (step->op);
}

/* part target */
static void
target_run (Step *step)
{
  step->op->fetching++;
  sendoff_provider_get_part_target_async (step->op->provider, step->part->item,
                                          step->part->number, step->op->cancellable,
                                          on_step_done, step);
}

static gpointer
target_finish (Step *step, GAsyncResult *result, GError **error)
{
  step->op->fetching--;
  return sendoff_provider_get_part_target_finish (step->op->provider, result, error);
}

static void
target_succeeded (Step *step, gpointer value)
{
  SendoffPart *part = g_steal_pointer (&step->part);

  part->target = value;
  _sendoff_op_part_ready (step->op, part);
}

/* finish item */
static void
finish_item_run (Step *step)
{
  sendoff_provider_finish_item_async (step->op->provider, step->op->transfer, step->item,
                                      step->op->cancellable, on_step_done, step);
}

static gpointer
finish_item_finish (Step *step, GAsyncResult *result, GError **error)
{
  return OK (sendoff_provider_finish_item_finish (step->op->provider, result, error));
}

static void
finish_item_succeeded (Step *step, gpointer value)
{
  item_completed (step->op, step->item);
}

/* finish transfer */
static void
finish_transfer_run (Step *step)
{
  sendoff_provider_finish_transfer_async (step->op->provider, step->op->transfer,
                                          step->op->cancellable, on_step_done, step);
}

static gpointer
finish_transfer_finish (Step *step, GAsyncResult *result, GError **error)
{
  return OK (sendoff_provider_finish_transfer_finish (step->op->provider, result, error));
}

static void
finish_transfer_succeeded (Step *step, gpointer value)
{
  SendOp *op = step->op;

  _sendoff_op_fold_progress (op);
  op->succeeded = TRUE;
  op->stopping = TRUE;   /* nothing left to do: complete */
}

static const StepClass step_classes[] = {
  [STEP_AUTHORIZE]       = { "authorize", authorize_run, authorize_finish, authorize_succeeded },
  [STEP_RECONCILE]       = { "reconcile", reconcile_run, reconcile_finish, reconcile_succeeded },
  [STEP_BEGIN]           = { "begin transfer", begin_run, begin_finish, begin_succeeded },
  [STEP_REGISTER]        = { "register items", register_run, register_finish,
                             register_succeeded },
  [STEP_TARGET]          = { "part target", target_run, target_finish, target_succeeded },
  [STEP_FINISH_ITEM]     = { "finish item", finish_item_run, finish_item_finish,
                             finish_item_succeeded },
  [STEP_FINISH_TRANSFER] = { "finish transfer", finish_transfer_run, finish_transfer_finish,
                             finish_transfer_succeeded },
};

/* ---- running a step, with retries --------------------------------------- */

Step *
_sendoff_step_new (SendOp   *op,
                   StepKind  kind)
{
  Step *step = g_new0 (Step, 1);

  step->op = op;
  step->kind = kind;
  return step;
}

void
_sendoff_step_free (Step *step)
{
  g_clear_object (&step->item);
  g_clear_pointer (&step->part, _sendoff_part_free);
  g_clear_pointer (&step->items, g_ptr_array_unref);
  g_free (step);
}

static gboolean
step_run_cb (gpointer data)
{
  _sendoff_step_run (data);
  return G_SOURCE_REMOVE;
}

static void
op_reauthorize (SendOp *op)
{
  Step *auth;

  if (op->authorizing)
    return;

  op->authorizing = TRUE;
  auth = _sendoff_step_new (op, STEP_AUTHORIZE);
  auth->reauthorizing = TRUE;
  _sendoff_step_run (auth);
}

/* A 401 on a step other than authorize: TRUE when the step now waits for
 * a fresh token (or runs again with one) */
static gboolean
step_wait_for_token (Step *step)
{
  SendOp *op = step->op;

  g_debug ("%s: refused credentials, authorizing again", step_classes[step->kind].name);
  if (step->auth_generation != op->auth_generation)
    {
      /* Someone else got a fresh token since this step started */
      _sendoff_step_run (step);
      return TRUE;
    }
  if (op->authorizing)
    {
      g_ptr_array_add (op->auth_waiters, step);
      return TRUE;
    }
  /* Short-lived tokens may run out under busy steps more than once; a
   * streak of fresh tokens refused with no call succeeding in between
   * means the service refuses us (a refused key fails authorize). */
  if (op->reauth_streak < MAX_REAUTHORIZE)
    {
      op->reauth_streak++;
      g_ptr_array_add (op->auth_waiters, step);
      op_reauthorize (op);
      return TRUE;
    }
  return FALSE;
}

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
      _sendoff_step_free (step);
      _sendoff_op_stop (op);
      return;
    }

  if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH) && step->kind != STEP_AUTHORIZE &&
      step_wait_for_token (step))
    {
      g_error_free (error);
      return;
    }

  if (sendoff_error_is_retryable (error) && step->attempt < op->max_retries)
    {
      step->attempt++;
      delay = _sendoff_backoff_delay_ms (step->attempt, op->base_delay_ms,
                                         sendoff_http_error_get_retry_after (error));
      g_debug ("%s: %s; trying again in %u ms", step_classes[step->kind].name, error->message,
               delay);
      _sendoff_op_emit_retry (op, item, 0, step->attempt, delay, error->message);
      g_error_free (error);
      if (item != NULL && step->kind == STEP_TARGET)
        _sendoff_item_set_state (item, SENDOFF_STATE_RETRYING);
      _sendoff_op_schedule (op, delay, step_run_cb, step, (GDestroyNotify) _sendoff_step_free);
      return;
    }

  if (step->reauthorizing)
    op->authorizing = FALSE;

  error = _sendoff_op_journal_forgotten (op, step->kind, error);
  if (item != NULL)
    item = g_object_ref (item);
  _sendoff_step_free (step);
  _sendoff_op_fail (op, error, item);
  g_clear_object (&item);
}

static void
on_step_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Step *step = user_data;
  SendOp *op = step->op;
  const StepClass *klass = &step_classes[step->kind];
  GError *error = NULL;
  gpointer value;

  op->outstanding--;
  value = klass->finish (step, result, &error);

  if (value == NULL)
    {
      step_failed (step, error);
      return;
    }

  if (op->stopping)
    {
      if (step->kind == STEP_TARGET)
        sendoff_part_target_free (value);
      if (step->reauthorizing)
        op->authorizing = FALSE;
      _sendoff_step_free (step);
      _sendoff_op_maybe_complete (op);
      return;
    }

  if (step->kind != STEP_AUTHORIZE)
    op->reauth_streak = 0;

  klass->succeeded (step, value);
  _sendoff_step_free (step);

  if (op->stopping)
    _sendoff_op_maybe_complete (op);   /* the transfer is finished */
  else
    _sendoff_op_pump (op);
}

void
_sendoff_step_run (Step *step)
{
  SendOp *op = step->op;

  if (op->stopping)
    {
      _sendoff_step_free (step);
      _sendoff_op_maybe_complete (op);
      return;
    }

  step->auth_generation = op->auth_generation;
  op->outstanding++;
  step_classes[step->kind].run (step);
}

static void
on_reauthorized (Step *auth_step)
{
  SendOp *op = auth_step->op;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&op->auth_waiters);

  op->authorizing = FALSE;
  op->auth_generation++;
  op->auth_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) _sendoff_step_free);

  g_ptr_array_set_free_func (waiters, NULL);
  for (guint i = 0; i < waiters->len; i++)
    _sendoff_step_run (g_ptr_array_index (waiters, i));
}

/* ---- the flow --------------------------------------------------------- */

void
_sendoff_op_finish_item (SendOp      *op,
                         SendoffItem *item)
{
  Step *step = _sendoff_step_new (op, STEP_FINISH_ITEM);

  /* every part is on record before the server is asked to assemble them */
  _sendoff_op_journal_flush (op);
  step->item = g_object_ref (item);
  _sendoff_step_run (step);
}

static void
item_completed (SendOp      *op,
                SendoffItem *item)
{
  _sendoff_item_set_completed (item, TRUE);
  _sendoff_item_set_bytes_sent (item, sendoff_item_get_size (item));
  _sendoff_item_set_error (item, NULL);
  _sendoff_item_set_state (item, SENDOFF_STATE_DONE);
  _sendoff_op_journal_item_done (op, item);

  g_assert (op->items_left > 0);
  if (--op->items_left == 0)
    _sendoff_step_run (_sendoff_step_new (op, STEP_FINISH_TRANSFER));
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
      _sendoff_op_start_parts (op);
      return;
    }

  step = _sendoff_step_new (op, STEP_REGISTER);
  step->items = g_steal_pointer (&items);
  _sendoff_step_run (step);
}
