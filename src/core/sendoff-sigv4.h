/* sendoff-sigv4.h — AWS Signature Version 4 for S3 requests and presigned URLs
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define SENDOFF_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
/* SHA-256 of zero bytes: the payload hash of a request without a body */
#define SENDOFF_SIGV4_EMPTY_PAYLOAD \
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* S3 refuses presigned URLs that live longer than 7 days */
#define SENDOFF_SIGV4_MAX_EXPIRES 604800

/* A name and a value: a query parameter or a header. A NULL value is
 * the empty string (`?uploads` is `uploads=`). */
typedef struct {
  const char *name;
  const char *value;
} SendoffSigv4Pair;

/* Who signs, and for which scope. The secret is only read: every buffer
 * derived from it is wiped before the functions below return. */
typedef struct {
  const char *access_key_id;
  const char *secret_access_key;
  const char *region;              /* "us-east-1", "auto" on R2, … */
  const char *service;             /* "s3" */
} SendoffSigv4Key;

/* What a header-signed request covers. S3 does not normalize paths
 * ("//a/./b" is signed as it is), so neither does this. */
typedef struct {
  const char             *method;
  const char             *host;          /* as sent in Host: with :PORT unless default */
  const char             *path;          /* URI-encoded: sendoff_sigv4_uri_encode (key, TRUE) */
  const SendoffSigv4Pair *query;         /* raw (not encoded), any order */
  gsize                   n_query;
  const SendoffSigv4Pair *headers;       /* besides host and x-amz-date; any case or order */
  gsize                   n_headers;
  const char             *payload_hash;  /* hex SHA-256, or SENDOFF_SIGV4_UNSIGNED_PAYLOAD */
} SendoffSigv4Request;

/* Every byte but A-Za-z0-9-_.~ as %XX (uppercase hex), `/` kept when
 * @keep_slash. Any bytes, UTF-8 or not. */
char     *sendoff_sigv4_uri_encode         (const char                *s,
                                            gboolean                   keep_slash);

/* "20150830T123600Z" for @time (in any zone; converted to UTC). */
char     *sendoff_sigv4_format_date        (GDateTime                 *time);

/* The Host header libsoup sends for @uri: "host", "[v6addr]" or
 * punycode, then ":PORT" when the port is not the scheme's default. */
char     *sendoff_sigv4_host_for_uri       (GUri                      *uri);

/* The steps, for tests and for debugging a SignatureDoesNotMatch (S3
 * answers with the canonical request it computed). With @amz_date NULL
 * no x-amz-date header is added (presigned URLs carry it in the query). */
char     *sendoff_sigv4_canonical_request  (const SendoffSigv4Request *request,
                                            const char                *amz_date);
char     *sendoff_sigv4_string_to_sign     (const SendoffSigv4Key     *key,
                                            const char                *amz_date,
                                            const char                *canonical_request);

/* Signs @request at @time: returns the Authorization header value and
 * sets *@amz_date to the x-amz-date header value, which must be sent
 * (with every header of @request) exactly as signed. */
char     *sendoff_sigv4_sign               (const SendoffSigv4Key     *key,
                                            const SendoffSigv4Request *request,
                                            GDateTime                 *time,
                                            char                     **amz_date);

/* Signs @msg in place, just before it is sent: sets Host (to what is
 * signed, so libsoup does not pick another form), x-amz-date,
 * x-amz-content-sha256 (@payload_hash) and Authorization. Signs host,
 * every x-amz-* header and Content-Type, Content-MD5, Content-Disposition
 * and Range when present. FALSE with SENDOFF_ERROR_INVALID_INPUT when
 * the URI's path or query is not validly percent-encoded. */
gboolean  sendoff_sigv4_sign_message       (const SendoffSigv4Key     *key,
                                            SoupMessage               *msg,
                                            const char                *payload_hash,
                                            GDateTime                 *time,
                                            GError                   **error);

/* A presigned URL: @origin is "scheme://host[:port]" (no path), @path is
 * URI-encoded, @query raw extra parameters (response-content-disposition,
 * uploadId, partNumber, …); signed header `host` only, payload
 * UNSIGNED-PAYLOAD, valid @expires seconds (1..SENDOFF_SIGV4_MAX_EXPIRES)
 * from @time. NULL with SENDOFF_ERROR_INVALID_INPUT for a bad origin. */
char     *sendoff_sigv4_presign            (const SendoffSigv4Key     *key,
                                            const char                *method,
                                            const char                *origin,
                                            const char                *path,
                                            const SendoffSigv4Pair    *query,
                                            gsize                      n_query,
                                            guint                      expires,
                                            GDateTime                 *time,
                                            GError                   **error);

G_END_DECLS
