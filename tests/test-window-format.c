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
  /* Never "0 seconds left": at the end the time is not said */
  g_assert_null (sendoff_format_time_left (0));
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

static void
test_expiry (void)
{
  /* 2026-11-29 12:00 UTC */
  gint64 now = 1795953600;

  g_assert_null (sendoff_format_expiry (0, now));
  assert_text (sendoff_format_expiry (now + 7 * 86400, now), "Link expires in 7 days");
  assert_text (sendoff_format_expiry (now + 7 * 86400 - 5, now), "Link expires in 7 days");
  assert_text (sendoff_format_expiry (now + 86400, now), "Link expires in 24 hours");
  assert_text (sendoff_format_expiry (now + 3 * 3600, now), "Link expires in 3 hours");
  assert_text (sendoff_format_expiry (now + 600, now), "Link expires in 10 minutes");
  assert_text (sendoff_format_expiry (now + 20, now), "Link expires in 1 minute");
  assert_text (sendoff_format_expiry (now - 1, now), "The link has expired");
  /* Far off: the date (2027-01-06 in any time zone from UTC-11 to UTC+11) */
  assert_text (sendoff_format_expiry (now + 38 * 86400, now), "Expires on 6 January");
}

static void
test_retry (void)
{
  assert_text (sendoff_format_retry (8, 3, 10, "HTTP 503"),
               "Retrying in 8 s (attempt 3 of 10): HTTP 503");
  assert_text (sendoff_format_retry (-2, 1, 10, NULL), "Retrying in 0 s (attempt 1 of 10)");
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
  g_test_add_func ("/sendoff/window-format/expiry", test_expiry);
  g_test_add_func ("/sendoff/window-format/retry", test_retry);

  return g_test_run ();
}
