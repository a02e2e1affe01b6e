/* sendoff-file-identity.h — what makes a local file the same file
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sys/stat.h>

#include <glib.h>

G_BEGIN_DECLS

/* A file as it was when it was collected. Size and mtime alone miss a
 * file swapped by rename (`cp -p` then `mv`): device and inode change.
 * dev and ino are 0 when unknown (an item made without stat()ing its
 * file); then only size and mtime are compared. */
typedef struct {
  guint64 dev;
  guint64 ino;
  guint64 size;
  gint64  mtime_usec;
  gint64  ctime_usec;
} SendoffFileIdentity;

void      _sendoff_file_identity_from_stat (SendoffFileIdentity       *identity,
                                            const struct stat         *st);
/* TRUE when @st is a regular file matching @identity */
gboolean  _sendoff_file_identity_matches   (const SendoffFileIdentity *identity,
                                            const struct stat         *st);

G_END_DECLS
