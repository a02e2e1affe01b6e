/* sendoff-s3.h — your own S3-compatible bucket as a SendoffProvider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-provider.h"

G_BEGIN_DECLS

/* Parts of 8 MiB, grown so that no file needs more than 10,000 */
#define SENDOFF_S3_PART_SIZE (8 * 1024 * 1024)

#define SENDOFF_TYPE_S3 (sendoff_s3_get_type ())

G_DECLARE_FINAL_TYPE (SendoffS3, sendoff_s3, SENDOFF, S3, GObject)

/* Properties: the options endpoint, region, bucket, addressing ("path" or
 * "virtual"), prefix, link-lifetime (seconds); the secrets access-key-id
 * and secret-access-key (write-only); part-size (guint64, for tests). */

G_END_DECLS
