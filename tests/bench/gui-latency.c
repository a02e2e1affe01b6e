/* gui-latency.c — how late a 10 ms main-loop timeout fires while Sendoff's window sends
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: tests/bench/run starts it under tests/run-headless (Xvfb)
 * with SENDOFF_API_URL and SENDOFF_API_KEY pointing at a sandbox:
 *
 *   bench-gui-latency FILE…
 *
 * It runs the real application as `sendoff FILE…` would (the files open in
 * a new window), presses Send through the window's "win.send" action, and
 * from then until the transfer ends a 10 ms timeout on the same main loop
 * records how late each firing is. Prints one line:
 *
 *   state done samples N p50-ms X p99-ms Y max-ms Z seconds S
 */

#define G_LOG_DOMAIN "sendoff-bench"

#include "config.h"

#include <stdlib.h>

#include "sendoff-application.h"
#include "sendoff-enums.h"
#include "sendoff-window.h"

#define INTERVAL_MS 10

typedef struct {
  GApplication    *app;
  SendoffWindow   *window;
  SendoffTransfer *transfer;
  GArray          *delays_us;
  gint64           last_us;
  gint64           start_us;
  gint64           end_us;
  guint            timer_id;
  int              status;
} Probe;

static gboolean
on_tick (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - (probe->last_us + INTERVAL_MS * 1000);

  g_array_append_val (probe->delays_us, late);
  probe->last_us = now;
  return G_SOURCE_CONTINUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
percentile_ms (GArray *sorted,
               double  p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  /* nearest rank */
  index = (guint) MIN ((double) sorted->len - 1, (p / 100.0) * sorted->len);
  return MAX (g_array_index (sorted, gint64, index), 0) / 1000.0;
}

static void
report (Probe *probe)
{
  SendoffState state = sendoff_transfer_get_state (probe->transfer);
  GEnumClass *klass = g_type_class_ref (SENDOFF_TYPE_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_array_sort (probe->delays_us, compare_int64);
  g_print ("state %s samples %u p50-ms %.2f p99-ms %.2f max-ms %.2f seconds %.3f\n",
           value ? value->value_nick : "unknown", probe->delays_us->len,
           percentile_ms (probe->delays_us, 50), percentile_ms (probe->delays_us, 99),
           percentile_ms (probe->delays_us, 100),
           (probe->end_us - probe->start_us) / (double) G_USEC_PER_SEC);
  probe->status = state == SENDOFF_STATE_DONE ? EXIT_SUCCESS : EXIT_FAILURE;
  g_type_class_unref (klass);
}

static void
on_state_changed (SendoffTransfer *transfer,
                  GParamSpec      *pspec,
                  Probe           *probe)
{
  SendoffState state = sendoff_transfer_get_state (transfer);

  if (state != SENDOFF_STATE_DONE && state != SENDOFF_STATE_FAILED &&
      state != SENDOFF_STATE_CANCELLED)
    return;
  if (probe->timer_id == 0)
    return;

  probe->end_us = g_get_monotonic_time ();
  g_clear_handle_id (&probe->timer_id, g_source_remove);
  report (probe);
  g_application_quit (probe->app);
}

static gboolean
press_send (gpointer user_data)
{
  Probe *probe = user_data;

  SendoffTransfer *transfer = sendoff_window_get_transfer (probe->window);

  if (sendoff_transfer_get_n_items (transfer) == 0)
    return G_SOURCE_CONTINUE;   /* the files are still being added */

  probe->transfer = g_object_ref (transfer);

  g_signal_connect (probe->transfer, "notify::state", G_CALLBACK (on_state_changed), probe);
  probe->start_us = probe->last_us = g_get_monotonic_time ();
  probe->timer_id = g_timeout_add (INTERVAL_MS, on_tick, probe);
  if (!gtk_widget_activate_action (GTK_WIDGET (probe->window), "win.send", NULL))
    {
      g_printerr ("bench-gui-latency: the window has no win.send action\n");
      probe->status = EXIT_FAILURE;
      g_application_quit (probe->app);
    }
  return G_SOURCE_REMOVE;
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 Probe          *probe)
{
  if (probe->window != NULL || !SENDOFF_IS_WINDOW (window))
    return;
  probe->window = SENDOFF_WINDOW (window);
  /* Let it map and draw once before the clock starts */
  g_timeout_add (500, press_send, probe);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SendoffApplication) app = NULL;
  Probe probe = { 0 };

  if (argc < 2)
    {
      g_printerr ("usage: %s FILE…\n", argv[0]);
      return 2;
    }

  app = sendoff_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  probe.app = G_APPLICATION (app);
  probe.delays_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe.status = EXIT_FAILURE;
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), &probe);

  g_application_run (G_APPLICATION (app), argc, argv);

  if (probe.timer_id == 0 && probe.end_us == 0)
    g_printerr ("bench-gui-latency: the transfer never ended\n");
  g_clear_object (&probe.transfer);
  g_array_unref (probe.delays_us);
  return probe.status;
}
