/* sendoff-parts.h — how a file is cut into parts (S3's multipart rule)
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* S3 multipart: every part but the last 5 MiB to 5 GiB, at most 10,000 */
#define SENDOFF_S3_MIN_PART_SIZE G_GUINT64_CONSTANT (5242880)
#define SENDOFF_S3_MAX_PART_SIZE G_GUINT64_CONSTANT (5368709120)
#define SENDOFF_S3_MAX_PARTS     10000

/* Plans equal parts (the last may be shorter) for @size bytes: @preferred
 * bytes (at least @minimum), grown in whole MiB when that would make more
 * than @max_parts parts. A file of 0 bytes is one empty part. FALSE with
 * SENDOFF_ERROR_INVALID_INPUT naming @name when even @maximum-byte parts
 * are not enough. */
gboolean sendoff_plan_parts (const char  *name,
                             guint64      size,
                             guint64      preferred,
                             guint64      minimum,
                             guint64      maximum,
                             guint        max_parts,
                             guint64     *part_size,
                             guint       *n_parts,
                             GError     **error);

G_END_DECLS
