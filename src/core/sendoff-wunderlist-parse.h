/* sendoff-wunderlist-parse.h — pure parsers of the Wunderlist upload API's answers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* S3 multipart rules: every part but the last at least 5 MiB, part
 * numbers 1..10000. Sendoff sends 6 MiB parts unless a file needs more. */
#define SENDOFF_WUNDERLIST_MIN_PART_SIZE     G_GUINT64_CONSTANT (5242880)
#define SENDOFF_WUNDERLIST_DEFAULT_PART_SIZE G_GUINT64_CONSTANT (6291456)
#define SENDOFF_WUNDERLIST_MAX_PART_SIZE     G_GUINT64_CONSTANT (5368709120)
#define SENDOFF_WUNDERLIST_MAX_PARTS         10000

/* An Upload resource: the answer to POST /api/v1/uploads, GET …/parts
 * and PATCH /api/v1/uploads/{id}. The part fields are NULL when the
 * answer has no "part" (PATCH). */
typedef struct {
  guint64  id;
  char    *state;               /* "new", "finished", … or NULL */
  char    *part_url;
  char    *part_date;           /* goes into x-amz-date */
  char    *part_authorization;  /* goes into Authorization */
  gint64   expires_at;          /* Unix time, 0 when unknown */
} SendoffWunderlistUpload;

void     _sendoff_wunderlist_upload_free   (SendoffWunderlistUpload  *upload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffWunderlistUpload, _sendoff_wunderlist_upload_free)

/* Every parser takes the raw body (untrusted: any bytes) and either
 * returns its result or NULL/FALSE with SENDOFF_ERROR_PROTOCOL naming
 * @what. They touch nothing but their arguments: fuzz targets call them
 * directly. With @need_part the answer must carry a usable part: an
 * https (or loopback http) URL and header-safe date and authorization. */
SendoffWunderlistUpload *
         _sendoff_wunderlist_parse_upload  (GBytes                   *body,
                                            const char               *what,
                                            gboolean                  need_part,
                                            GError                  **error);
/* A File resource (POST /api/v1/files): its id; when the answer names
 * an upload_id it must be @upload_id. */
gboolean _sendoff_wunderlist_parse_file    (GBytes                   *body,
                                            guint64                   upload_id,
                                            guint64                  *file_id,
                                            GError                  **error);
/* The message of an error answer {"errors": ["field", "message"]} (or
 * {"error": …}), printable and bounded, or NULL when there is none. */
char    *_sendoff_wunderlist_parse_error   (GBytes                   *body);

/* The part size for a file of @size bytes: sendoff_plan_parts() with
 * 6 MiB preferred and S3's limits (5 MiB..5 GiB, 10000 parts). */
gboolean _sendoff_wunderlist_plan_parts    (const char               *filename,
                                            guint64                   size,
                                            guint64                  *part_size,
                                            guint                    *n_parts,
                                            GError                  **error);

G_END_DECLS
