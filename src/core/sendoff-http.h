/* sendoff-http.h — HTTP helpers shared by the providers and the engine
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* https://, or http:// only for loopback hosts (127.0.0.0/8, ::1,
 * localhost). SENDOFF_ERROR_INSECURE_URL naming @what otherwise. */
gboolean     sendoff_url_check           (const char   *url,
                                          const char   *what,
                                          GError      **error);

/* A session for API calls: no redirects followed with credentials, TLS
 * errors never ignored, a user agent naming Sendoff. */
SoupSession *sendoff_http_session_new    (guint         max_conns_per_host);

/* TRUE for errors worth trying again (network, 5xx, 429, storage 403). */
gboolean     sendoff_error_is_retryable  (const GError *error);

/* Builds the GError for an HTTP answer that is not a success: the
 * server's own message when the body has one (JSON "message"/"error"/
 * "errors", or S3 XML <Message>), never any request header. Sets the
 * retry-after hint (seconds, or -1) for 429/503. */
GError      *sendoff_http_error_new      (SoupMessage  *msg,
                                          GBytes       *body,
                                          const char   *what);
gint64       sendoff_http_error_get_retry_after (const GError *error);

/* TRUE when @body is an S3 error document (<Error>…</Error>): S3 answers
 * some failures with 200, so a success status alone is not enough. */
gboolean     sendoff_http_body_is_s3_error (GBytes      *body);

/* Parses @body as a JSON object; SENDOFF_ERROR_PROTOCOL naming @what on
 * anything else. Returns a new reference to the root node. */
JsonNode    *sendoff_json_parse_object   (GBytes       *body,
                                          const char   *what,
                                          GError      **error);

/* Parses @body as JSON of any shape (depth-limited); SENDOFF_ERROR_PROTOCOL
 * naming @what on anything else. Returns a new reference to the root. */
JsonNode    *sendoff_json_parse          (GBytes       *body,
                                          const char   *what,
                                          GError      **error);

/* Like soup_session_send_and_read_async(), but an answer longer than
 * @max_bytes is cut off with SENDOFF_ERROR_PROTOCOL naming @what: a
 * hostile server cannot make the client buffer without bound. */
void         sendoff_http_send_and_read_async  (SoupSession         *session,
                                                SoupMessage         *msg,
                                                gsize                max_bytes,
                                                const char          *what,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GBytes      *sendoff_http_send_and_read_finish (SoupSession         *session,
                                                GAsyncResult        *result,
                                                GError             **error);

/* sendoff_http_send_and_read_async() fails an attempt that moves less
 * than 1 KiB in the stall window (30 s by default; the uploader's
 * stall-timeout). A request that may rightly take long with almost no
 * traffic (S3's CompleteMultipartUpload sends a space now and then for
 * minutes) gets its own window here, in milliseconds (> 0). */
void         sendoff_http_message_set_stall_window (SoupMessage     *msg,
                                                    guint            window_ms);

#define SENDOFF_SERVER_TEXT_MAX_CHARS 300

/* A printable, bounded, valid UTF-8 copy of text that came from the
 * network (at most @len bytes of it, or all with -1); NULL when nothing
 * printable is left. */
char        *sendoff_server_text_sanitize (const char  *text,
                                           gssize       len);

/* The string member @name of @object when it is one, not empty and at
 * most @max_len bytes long; NULL otherwise (missing, another type). */
const char  *sendoff_json_get_string      (JsonObject  *object,
                                           const char  *name,
                                           gsize        max_len);

G_END_DECLS
