/* sendoff-wetransfer-v1-private.h — pure parsers of the WeTransfer v1 answers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Parts are 6 MiB except the last; S3 allows at most 10000 parts. */
#define SENDOFF_WETRANSFER_V1_CHUNK_SIZE G_GUINT64_CONSTANT (6291456)
#define SENDOFF_WETRANSFER_V1_MAX_PARTS  10000

typedef struct {
  char  *local_identifier;   /* NULL when the server did not echo it */
  char  *id;
  char  *upload_id;
  guint  n_parts;
} SendoffWetransferV1Item;

void       _sendoff_wetransfer_v1_item_free      (SendoffWetransferV1Item *item);

/* Every parser takes the raw body (untrusted: any bytes) and either fills
 * its results or returns FALSE/NULL with SENDOFF_ERROR_PROTOCOL. They never
 * touch anything but their arguments: the fuzz targets call them directly. */
char      *_sendoff_wetransfer_v1_parse_authorize (GBytes       *body,
                                                   GError      **error);
gboolean   _sendoff_wetransfer_v1_parse_transfer  (GBytes       *body,
                                                   char        **id,
                                                   char        **shortened_url,
                                                   GError      **error);
/* A GPtrArray of SendoffWetransferV1Item, in the answer's order. */
GPtrArray *_sendoff_wetransfer_v1_parse_items     (GBytes       *body,
                                                   GError      **error);
gboolean   _sendoff_wetransfer_v1_parse_part_url  (GBytes       *body,
                                                   guint         part_number,
                                                   char        **upload_url,
                                                   gint64       *expires_at,
                                                   GError      **error);

/* ceil(@size / @chunk_size), at least 1 */
guint64    _sendoff_wetransfer_v1_expected_parts  (guint64       size,
                                                   guint64       chunk_size);
/* The server's part count must be the one the 6 MiB rule gives */
gboolean   _sendoff_wetransfer_v1_check_parts     (const char   *filename,
                                                   guint64       size,
                                                   guint64       chunk_size,
                                                   guint         n_parts,
                                                   GError      **error);

G_END_DECLS
