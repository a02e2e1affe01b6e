/* sendoff-file-slice.h — a GInputStream over one byte range of a file
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SENDOFF_TYPE_FILE_SLICE (sendoff_file_slice_get_type ())

G_DECLARE_FINAL_TYPE (SendoffFileSlice, sendoff_file_slice, SENDOFF, FILE_SLICE, GInputStream)

/* Called on the reading thread with the bytes each read handed over */
typedef void (*SendoffFileSliceReadFunc) (gsize    n_bytes,
                                          gpointer user_data);

/* Reads exactly [@offset, @offset + @length) of @fd with pread(), then
 * reports end of stream: libsoup reads a request body stream to its end
 * whatever the Content-Length. @fd is duplicated; the caller keeps its
 * own. A file that ends early gives SENDOFF_ERROR_CHANGED. Not seekable,
 * not pollable; meant for blocking reads on a worker thread. */
GInputStream *sendoff_file_slice_new            (int               fd,
                                                 guint64           offset,
                                                 guint64           length,
                                                 GError          **error);
guint64       sendoff_file_slice_get_bytes_read (SendoffFileSlice *self);
/* Counting here instead of with SoupMessage::wrote-body-data spares a
 * signal emission per 8 KiB libsoup writes. @func: NULL to stop. */
void          sendoff_file_slice_set_read_func  (SendoffFileSlice         *self,
                                                 SendoffFileSliceReadFunc  func,
                                                 gpointer                  user_data);

G_END_DECLS
