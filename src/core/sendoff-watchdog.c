/* sendoff-watchdog.c — fails a request whose server moves almost nothing
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-http"

#include "config.h"

#include <stdatomic.h>

#include <glib/gi18n.h>

#include "sendoff-error-private.h"
#include "sendoff-watchdog.h"

/* The send's side: one per send, kept on its cancellable */
typedef struct {
  gint64         window_usec;
  _Atomic gint64 last_progress;   /* monotonic usec */
} SendLimits;

struct _SendoffWatchdog
{
  gint            ref_count;      /* atomic */

  GCancellable   *cancellable;
  GCancellable   *parent;
  gulong          parent_id;
  GMainContext   *context;
  GSource        *source;
  SoupMessage    *msg;
  SendLimits     *limits;         /* NULL: not part of a send */

  _Atomic gint64  window_usec;
  _Atomic guint64 bytes;

  /* the ticks' own (the watchdog thread) */
  guint64         baseline_bytes;
  gint64          baseline_time;

  _Atomic gboolean fired;
  _Atomic gboolean final;
};

static GQuark
limits_quark (void)
{
  return g_quark_from_static_string ("sendoff-stall-limits");
}

guint
_sendoff_stall_default_window_ms (void)
{
  const char *value = g_getenv ("SENDOFF_STALL_TIMEOUT");
  double seconds;

  if (value != NULL && *value != '\0')
    {
      char *end = NULL;

      seconds = g_ascii_strtod (value, &end);
      if (end != value && *end == '\0' && seconds >= 0.1 && seconds <= 24 * 3600)
        return (guint) (seconds * 1000);
      g_warning ("SENDOFF_STALL_TIMEOUT=%s is not a number of seconds; ignored", value);
    }
  return SENDOFF_STALL_DEFAULT_SECONDS * 1000;
}

void
_sendoff_stall_attach (GCancellable *send_cancellable,
                       guint         window_ms)
{
  SendLimits *limits;

  g_return_if_fail (G_IS_CANCELLABLE (send_cancellable));

  limits = g_new0 (SendLimits, 1);
  limits->window_usec = (gint64) (window_ms ? window_ms : _sendoff_stall_default_window_ms ())
                        * 1000;
  atomic_store (&limits->last_progress, g_get_monotonic_time ());
  g_object_set_qdata_full (G_OBJECT (send_cancellable), limits_quark (), limits, g_free);
}

/* One thread ticks every watchdog: a worker blocked in a synchronous
 * send cannot, and the caller's main context may be busy. */
static gpointer
watchdog_thread (gpointer data)
{
  GMainContext *context = data;

  g_main_context_push_thread_default (context);
  for (;;)
    g_main_context_iteration (context, TRUE);
  return NULL;
}

static GMainContext *
watchdog_context (void)
{
  static GMainContext *context;

  if (g_once_init_enter (&context))
    {
      GMainContext *made = g_main_context_new ();

      g_thread_unref (g_thread_new ("sendoff-watchdog", watchdog_thread, made));
      g_once_init_leave (&context, made);
    }
  return context;
}

static SendoffWatchdog *
watchdog_ref (SendoffWatchdog *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

static void
watchdog_unref (SendoffWatchdog *self)
{
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->parent);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self);
}

static gboolean
cancel_cb (gpointer data)
{
  SendoffWatchdog *self = data;

  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
fire (SendoffWatchdog *self,
      gint64           now)
{
  gboolean final = self->limits != NULL &&
    now - atomic_load (&self->limits->last_progress) >=
      SENDOFF_STALL_SEND_WINDOWS * self->limits->window_usec;

  atomic_store (&self->final, final);
  atomic_store (&self->fired, TRUE);

  if (self->context != NULL)
    g_main_context_invoke_full (self->context, G_PRIORITY_HIGH, cancel_cb,
                                watchdog_ref (self), (GDestroyNotify) watchdog_unref);
  else
    g_cancellable_cancel (self->cancellable);
}

static gboolean
tick_cb (gpointer data)
{
  SendoffWatchdog *self = data;
  gint64 now = g_get_monotonic_time ();
  guint64 bytes = atomic_load (&self->bytes);

  if (bytes - self->baseline_bytes >= SENDOFF_STALL_MIN_BYTES)
    {
      self->baseline_bytes = bytes;
      self->baseline_time = now;
      if (self->limits != NULL)
        atomic_store (&self->limits->last_progress, now);
      return G_SOURCE_CONTINUE;
    }

  if (now - self->baseline_time < atomic_load (&self->window_usec))
    return G_SOURCE_CONTINUE;

  fire (self, now);
  return G_SOURCE_REMOVE;
}

static void
on_parent_cancelled (GCancellable    *parent,
                     SendoffWatchdog *self)
{
  g_cancellable_cancel (self->cancellable);
}

SendoffWatchdog *
_sendoff_watchdog_new (GCancellable *parent,
                       GMainContext *context)
{
  SendoffWatchdog *self = g_new0 (SendoffWatchdog, 1);
  guint tick_ms;

  self->ref_count = 1;
  self->cancellable = g_cancellable_new ();
  self->context = context ? g_main_context_ref (context) : NULL;
  if (parent != NULL)
    {
      self->parent = g_object_ref (parent);
      self->limits = g_object_get_qdata (G_OBJECT (parent), limits_quark ());
      self->parent_id = g_cancellable_connect (parent, G_CALLBACK (on_parent_cancelled),
                                               self, NULL);
    }
  self->window_usec = self->limits ? self->limits->window_usec
                                   : (gint64) _sendoff_stall_default_window_ms () * 1000;
  self->baseline_time = g_get_monotonic_time ();

  /* A quarter window: a stall is caught at most that late */
  tick_ms = (guint) CLAMP (self->window_usec / 4000, 50, 5000);
  self->source = g_timeout_source_new (tick_ms);
  g_source_set_static_name (self->source, "sendoff-watchdog");
  g_source_set_callback (self->source, tick_cb, watchdog_ref (self),
                         (GDestroyNotify) watchdog_unref);
  g_source_attach (self->source, watchdog_context ());

  return self;
}

void
_sendoff_watchdog_set_window (SendoffWatchdog *self,
                              guint            window_ms)
{
  g_return_if_fail (window_ms > 0);

  atomic_store (&self->window_usec, (gint64) window_ms * 1000);
}

GCancellable *
_sendoff_watchdog_get_cancellable (SendoffWatchdog *self)
{
  return self->cancellable;
}

void
_sendoff_watchdog_add_bytes (SendoffWatchdog *self,
                             gsize            n_bytes)
{
  atomic_fetch_add (&self->bytes, n_bytes);
}

static void
on_wrote_body_data (SoupMessage     *msg,
                    guint            chunk_size,
                    SendoffWatchdog *self)
{
  _sendoff_watchdog_add_bytes (self, chunk_size);
}

/* libsoup reads the status line and headers itself: they count once
 * complete, as a window's worth. A server dripping them never gets there. */
static void
on_got_headers (SoupMessage     *msg,
                SendoffWatchdog *self)
{
  _sendoff_watchdog_add_bytes (self, SENDOFF_STALL_MIN_BYTES);
}

void
_sendoff_watchdog_watch_answer (SendoffWatchdog *self,
                                SoupMessage     *msg)
{
  g_return_if_fail (self->msg == NULL);

  self->msg = g_object_ref (msg);
  g_signal_connect (msg, "got-informational", G_CALLBACK (on_got_headers), self);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), self);
}

void
_sendoff_watchdog_watch_message (SendoffWatchdog *self,
                                 SoupMessage     *msg)
{
  _sendoff_watchdog_watch_answer (self, msg);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), self);
}

static GError *
stall_error (SendoffWatchdog *self)
{
  gint64 window_usec = atomic_load (&self->window_usec);
  guint seconds = (guint) MAX (1, (window_usec + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC);
  GError *error;

  if (atomic_load (&self->final))
    {
      guint total = (guint) MAX (1, (SENDOFF_STALL_SEND_WINDOWS * self->limits->window_usec +
                                     G_USEC_PER_SEC / 2) / G_USEC_PER_SEC);

      error = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_NETWORK,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The server sent nothing for %u second, and the "
                                        "transfer has not moved for %u seconds: giving up",
                                        "The server sent nothing for %u seconds, and the "
                                        "transfer has not moved for %u seconds: giving up",
                                        seconds),
                           seconds, total);
      _sendoff_error_set_final (error);
    }
  else
    error = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_NETWORK,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "The server sent nothing for %u second",
                                      "The server sent nothing for %u seconds", seconds),
                         seconds);
  return error;
}

GError *
_sendoff_watchdog_finish (SendoffWatchdog *self,
                          GError          *error)
{
  g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
  if (self->parent_id != 0)
    g_cancellable_disconnect (self->parent, self->parent_id);
  self->parent_id = 0;
  if (self->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->msg, self);
      g_clear_object (&self->msg);
    }

  if (error == NULL && self->limits != NULL)
    atomic_store (&self->limits->last_progress, g_get_monotonic_time ());

  if (error != NULL && atomic_load (&self->fired) &&
      !g_cancellable_is_cancelled (self->parent))
    {
      g_debug ("Stalled request: %s", error->message);
      g_error_free (error);
      error = stall_error (self);
    }

  watchdog_unref (self);
  return error;
}
