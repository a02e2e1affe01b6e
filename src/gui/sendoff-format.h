/* sendoff-format.h — sizes, progress and time left as the window shows them
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sendoff-types.h"

#include "sendoff-text.h"

G_BEGIN_DECLS

/* "2 minutes left", or NULL while @seconds is unknown (< 0) */
char *sendoff_format_time_left      (gint64        seconds);
/* "1.2 GB of 3.4 GB — 2 minutes left" (the time part only when known) */
char *sendoff_format_progress       (guint64       sent,
                                     guint64       size,
                                     gint64        seconds_left);
/* "4.5 MB/s", or an empty string when nothing moves */
char *sendoff_format_speed          (double        bytes_per_second);
/* "Waiting", "Sending", … for an item's state */
const char *sendoff_format_state    (SendoffState  state);
/* "Retrying in 8 s (attempt 3 of 10): HTTP 503" */
char *sendoff_format_retry          (gint64        seconds,
                                     guint         attempt,
                                     guint         max_attempts,
                                     const char   *reason);

G_END_DECLS
