/* test-window-format.c — the progress, speed and time-left texts the window shows
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "sendoff-format.h"

static void
assert_text (char       *text,
             const char *expected)
{
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static void
test_progress (void)
{
  assert_text (sendoff_format_progress (1200000000, 3400000000, 120),
               "1.2\u00a0GB of 3.4\u00a0GB — 2 minutes left");
  /* Unknown time left: only the sizes */
  assert_text (sendoff_format_progress (1200000000, 3400000000, -1), "1.2\u00a0GB of 3.4\u00a0GB");
  /* Nothing left to wait for once everything is sent */
  assert_text (sendoff_format_progress (5000, 5000, 0), "5.0\u00a0kB of 5.0\u00a0kB");
  assert_text (sendoff_format_progress (0, 0, -1), "0 bytes of 0 bytes");
}

static void
test_time_left (void)
{
  g_assert_null (sendoff_format_time_left (-1));
  assert_text (sendoff_format_time_left (0), "0 seconds left");
  assert_text (sendoff_format_time_left (1), "1 second left");
  assert_text (sendoff_format_time_left (59), "59 seconds left");
  assert_text (sendoff_format_time_left (60), "1 minute left");
  assert_text (sendoff_format_time_left (89), "1 minute left");
  assert_text (sendoff_format_time_left (90), "2 minutes left");
  assert_text (sendoff_format_time_left (89 * 60), "89 minutes left");
  assert_text (sendoff_format_time_left (3 * 3600), "3 hours left");
  assert_text (sendoff_format_time_left (5 * 86400), "5 days left");
}

static void
test_speed (void)
{
  assert_text (sendoff_format_speed (4500000.0), "4.5\u00a0MB/s");
  assert_text (sendoff_format_speed (0.0), "");
  assert_text (sendoff_format_speed (-3.0), "");
}

static void
test_states (void)
{
  g_assert_cmpstr (sendoff_format_state (SENDOFF_STATE_WAITING), ==, "Waiting");
  g_assert_cmpstr (sendoff_format_state (SENDOFF_STATE_SENDING), ==, "Sending");
  g_assert_cmpstr (sendoff_format_state (SENDOFF_STATE_RETRYING), ==, "Retrying");
  g_assert_cmpstr (sendoff_format_state (SENDOFF_STATE_DONE), ==, "Done");
  g_assert_cmpstr (sendoff_format_state (SENDOFF_STATE_FAILED), ==, "Failed");
}

int
main (int   argc,
      char *argv[])
{
  /* The English texts, whatever the machine's language */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  /* g_format_size() puts a no-break space between number and unit */
  g_test_add_func ("/sendoff/window-format/progress", test_progress);
  g_test_add_func ("/sendoff/window-format/time-left", test_time_left);
  g_test_add_func ("/sendoff/window-format/speed", test_speed);
  g_test_add_func ("/sendoff/window-format/states", test_states);

  return g_test_run ();
}
