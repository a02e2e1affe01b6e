/* sendoff-format.c — sizes, progress and time left as the window shows them
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-format.h"

char *
sendoff_format_time_left (gint64 seconds)
{
  gint64 minutes, hours;

  /* "0 seconds left" reads as stuck: nothing is said at the very end */
  if (seconds <= 0)
    return NULL;

  if (seconds < 60)
    /* Translators: time left in a transfer */
    return g_strdup_printf (ngettext ("%d second left", "%d seconds left", (gulong) seconds),
                            (int) seconds);

  minutes = (seconds + 30) / 60;
  if (minutes < 90)
    return g_strdup_printf (ngettext ("%d minute left", "%d minutes left", (gulong) minutes),
                            (int) minutes);

  hours = (minutes + 30) / 60;
  if (hours < 48)
    return g_strdup_printf (ngettext ("%d hour left", "%d hours left", (gulong) hours),
                            (int) hours);

  return g_strdup_printf (ngettext ("%d day left", "%d days left", (gulong) ((hours + 12) / 24)),
                          (int) ((hours + 12) / 24));
}

char *
sendoff_format_progress (guint64 sent,
                         guint64 size,
                         gint64  seconds_left)
{
  g_autofree char *sent_str = g_format_size (sent);
  g_autofree char *size_str = g_format_size (size);
  g_autofree char *left = sendoff_format_time_left (seconds_left);

  if (left != NULL && sent < size)
    /* Translators: "1.2 GB of 3.4 GB — 2 minutes left" */
    return g_strdup_printf (_("%s of %s — %s"), sent_str, size_str, left);

  /* Translators: "1.2 GB of 3.4 GB" */
  return g_strdup_printf (_("%s of %s"), sent_str, size_str);
}

char *
sendoff_format_speed (double bytes_per_second)
{
  g_autofree char *size = NULL;

  if (!(bytes_per_second >= 1.0))
    return g_strdup ("");

  size = g_format_size ((guint64) bytes_per_second);
  /* Translators: a speed, "4.5 MB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

const char *
sendoff_format_state (SendoffState state)
{
  switch (state)
    {
    case SENDOFF_STATE_NEW:       return "";
    case SENDOFF_STATE_WAITING:   return C_("file state", "Waiting");
    case SENDOFF_STATE_SENDING:   return C_("file state", "Sending");
    case SENDOFF_STATE_RETRYING:  return C_("file state", "Retrying");
    case SENDOFF_STATE_DONE:      return C_("file state", "Done");
    case SENDOFF_STATE_FAILED:    return C_("file state", "Failed");
    case SENDOFF_STATE_CANCELLED: return C_("file state", "Stopped");
    default:                      return "";
    }
}


char *
sendoff_format_retry (gint64      seconds,
                      guint       attempt,
                      guint       max_attempts,
                      const char *reason)
{
  seconds = MAX (0, seconds);

  if (reason == NULL || *reason == '\0')
    /* Translators: "Retrying in 8 s (attempt 3 of 10)" */
    return g_strdup_printf (_("Retrying in %d s (attempt %u of %u)"),
                            (int) seconds, attempt, max_attempts);

  /* Translators: "Retrying in 8 s (attempt 3 of 10): HTTP 503" */
  return g_strdup_printf (_("Retrying in %d s (attempt %u of %u): %s"),
                          (int) seconds, attempt, max_attempts, reason);
}
