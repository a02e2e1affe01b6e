/* sendoff-s3-share-page.h — the HTML page that lists the files of a transfer sent to S3
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One file on the page. */
typedef struct {
  const char *name;    /* shown as it is: any bytes, escaped by the page */
  guint64     size;
  const char *url;     /* its own (presigned) link: http:// or https:// */
} SendoffS3ShareFile;

/* A self-contained HTML document (UTF-8, no external resource, no script;
 * readable on a phone, light or dark as the reader's system is) with the
 * transfer's @title and @message (either may be NULL or empty), every
 * file with its size and link, the total and the date the links expire
 * (@expires, shown in UTC). Every text is escaped; control characters,
 * invalid UTF-8 and bidirectional overrides are shown as U+FFFD. NULL
 * with SENDOFF_ERROR_INVALID_INPUT when there is no file or a link is
 * not http(s). */
char *sendoff_s3_share_page_new (const char               *title,
                                 const char               *message,
                                 const SendoffS3ShareFile *files,
                                 gsize                     n_files,
                                 GDateTime                *expires,
                                 GError                  **error);

G_END_DECLS
