/* sendoff-s3-parse.h — S3's XML answers read with GMarkup, and the one body Sendoff sends
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sendoff-types.h"

G_BEGIN_DECLS

/* Answers longer than this are refused (a ListParts page of 1000 parts
 * is about 250 KiB). */
#define SENDOFF_S3_MAX_BODY (4 * 1024 * 1024)

/* Every parser below takes the raw body (untrusted: any bytes, any size),
 * matches elements by local name (with or without a namespace prefix),
 * and touches nothing but its arguments: the fuzz target calls them
 * directly. A malformed answer is SENDOFF_ERROR_PROTOCOL naming @what;
 * an S3 <Error> document (which S3 may send with status 200) is the
 * error sendoff_s3_error_new() makes of it. */

/* An <Error> document; every field sanitised (printable, bounded) or NULL. */
typedef struct {
  char *code;          /* "NoSuchUpload", … */
  char *message;
  char *request_id;
} SendoffS3Error;

void            sendoff_s3_error_free          (SendoffS3Error  *error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffS3Error, sendoff_s3_error_free)

/* NULL when @body is not an S3 <Error> document. */
SendoffS3Error *sendoff_s3_parse_error         (GBytes          *body);

/* The SENDOFF_ERROR code for an S3 error @code (NULL when unknown) at
 * HTTP @status; *@retryable (may be NULL) is TRUE when trying the same
 * request again may succeed (SlowDown, InternalError, 5xx, …), which is
 * exactly when the code is SENDOFF_ERROR_NETWORK. Refused credentials
 * (SignatureDoesNotMatch, InvalidAccessKeyId, ExpiredToken, AccessDenied)
 * are SENDOFF_ERROR_AUTH; anything else the server will repeat is
 * SENDOFF_ERROR_SERVER. */
SendoffError    sendoff_s3_classify            (const char      *code,
                                                guint            status,
                                                gboolean        *retryable);

/* The error for a failed S3 answer at @status: "@what failed: Message
 * (Code, HTTP status)" from the <Error> in @body, or from the status
 * alone. SENDOFF_ERROR with the sendoff_s3_classify() code, carrying
 * @status and @retry_after (seconds, or -1) for the engine. */
GError         *sendoff_s3_error_new           (GBytes          *body,
                                                guint            status,
                                                gint64           retry_after,
                                                const char      *what);

/* CreateMultipartUpload: the UploadId (non-empty, printable, bounded). */
char           *sendoff_s3_parse_initiate      (GBytes          *body,
                                                const char      *what,
                                                GError         **error);

typedef struct {
  char *location;      /* each NULL when absent */
  char *bucket;
  char *key;
  char *etag;          /* may be empty: RGW Pacific answers <ETag></ETag> at first */
} SendoffS3Completed;

void            sendoff_s3_completed_free      (SendoffS3Completed *completed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffS3Completed, sendoff_s3_completed_free)

/* CompleteMultipartUpload: a 200 answer may still be an <Error>. */
SendoffS3Completed *
                sendoff_s3_parse_complete      (GBytes          *body,
                                                const char      *what,
                                                GError         **error);

typedef struct {
  guint    number;     /* 1..10000 */
  char    *etag;       /* as the server gave it, quotes included */
  guint64  size;       /* 0 when unknown (the builder ignores it) */
} SendoffS3Part;

typedef struct {
  GArray   *parts;     /* of SendoffS3Part, in the server's order */
  gboolean  is_truncated;
  guint     next_part_number_marker;  /* ask again from here when truncated */
} SendoffS3PartList;

void            sendoff_s3_part_list_free      (SendoffS3PartList *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffS3PartList, sendoff_s3_part_list_free)

/* ListParts: every part's number, ETag and size; a truncated list must
 * say where to go on (a marker past every part listed). */
SendoffS3PartList *
                sendoff_s3_parse_list_parts    (GBytes          *body,
                                                const char      *what,
                                                GError         **error);

/* ListBuckets (ListAllMyBucketsResult) or ListObjects (ListBucketResult):
 * TRUE when the answer is one, which is all a "check" needs. */
gboolean        sendoff_s3_parse_check         (GBytes          *body,
                                                const char      *what,
                                                GError         **error);

/* The CompleteMultipartUpload request body for @parts (any order: sent
 * sorted by number; numbers 1..10000 and unique; ETags valid UTF-8
 * without control characters, XML-escaped here). NULL with
 * SENDOFF_ERROR_INVALID_INPUT otherwise. */
char           *sendoff_s3_complete_body_new   (const SendoffS3Part *parts,
                                                gsize                n_parts,
                                                GError             **error);

G_END_DECLS
