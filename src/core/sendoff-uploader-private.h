/* sendoff-uploader-private.h — the engine's parts, shared with its tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdatomic.h>

#include "sendoff-provider.h"

G_BEGIN_DECLS

/* One part of one item on its way to the server. Owned by one place at a
 * time: the pending queue, a part-target request, a worker, or a delay. */
typedef struct {
  gpointer            op;           /* the send it belongs to (engine-private) */
  SendoffItem        *item;
  char               *path;
  guint               number;       /* 1-based */
  guint64             offset;
  guint64             length;
  guint64             item_size;    /* what the file must still be */
  gint64              item_mtime;   /* usec */
  SendoffPartTarget  *target;
  guint               attempt;      /* failed PUTs so far */
  gboolean            in_order;     /* the item's parts go one at a time */

  /* written by the worker, read by the progress timer */
  _Atomic guint64     written;
  guint               restarts;     /* libsoup re-sent the request itself */

  /* the worker's verdict */
  GError             *error;
  gboolean            expired;      /* target too old to use: not sent */
  /* the storage's answer: status, a copy of its headers, and (when it
   * refused the part) its body; error is then set and storage_refused */
  guint               status;
  SoupMessageHeaders *response_headers;
  GBytes             *answer;
  gboolean            storage_refused;
  gboolean            force_retry;  /* the provider rejected the receipt */
} SendoffPart;

void      _sendoff_part_free            (SendoffPart  *part);

/* Sends @part synchronously with @session (a worker thread's own), with
 * the target's method. Sets part->error, or part->expired; on success
 * every byte of the part was written and the server said 2xx. The
 * answer's status and headers are kept in the part either way. */
void      _sendoff_put_part             (SoupSession  *session,
                                         SendoffPart  *part,
                                         GCancellable *cancellable);

/* FALSE with SENDOFF_ERROR_CHANGED (naming @name) when @path is gone, not a
 * regular file, or its size or mtime (usec) differ. */
gboolean  _sendoff_file_check_unchanged (const char   *path,
                                         const char   *name,
                                         guint64       size,
                                         gint64        mtime_usec,
                                         GError      **error);

/* Full-jitter exponential backoff for failed attempt @attempt (1-based),
 * at least @retry_after_s seconds when the server asked for it (>= 0). */
guint     _sendoff_backoff_delay_ms     (guint         attempt,
                                         guint         base_ms,
                                         gint64        retry_after_s);

G_END_DECLS
