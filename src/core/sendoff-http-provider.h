/* sendoff-http-provider.h — plumbing shared by the providers that speak HTTP APIs
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* ---- secrets ---------------------------------------------------------- */

/* Overwrites the secret's bytes, then frees it and sets *@secret to NULL */
void         sendoff_secret_clear           (char        **secret);
/* Wipes the old value of *@slot and stores a copy of @value, with
 * @strip the white space a paste brings along (a line break) removed. */
void         sendoff_secret_replace         (char        **slot,
                                             const char   *value,
                                             gboolean      strip);

/* ---- header safety ---------------------------------------------------- */

/* A value that can go into a header as a token: non-empty, visible ASCII
 * only (no space, no line break that would end the header early). */
gboolean     sendoff_header_token_safe      (const char   *value);
/* Text without control characters (spaces and UTF-8 allowed) */
gboolean     sendoff_header_text_safe       (const char   *value);

/* ---- properties ------------------------------------------------------- */

/* A copy of @url without trailing slashes, or NULL for NULL or "" */
char        *sendoff_api_url_normalize      (const char   *url);

/* ---- JSON ------------------------------------------------------------- */

GBytes      *sendoff_json_builder_to_bytes  (JsonBuilder  *builder);

/* ---- one API call ----------------------------------------------------- */

/* Builds the error for an answer that is not a success */
typedef GError *(*SendoffApiErrorFunc) (SoupMessage *msg,
                                        GBytes      *body,
                                        const char  *what);

/* Sends @msg (taken) with @session, reads at most @max_bytes of the
 * answer, and returns its body when the status is 2xx (and, with
 * @s3_error_fails, the body is no S3 error document). Anything else is
 * the error @error_func builds (sendoff_http_error_new() when NULL)
 * naming @what. The task's source object is @source. */
void         sendoff_api_call_async         (gpointer              source,
                                             SoupSession          *session,
                                             SoupMessage          *msg,
                                             gsize                 max_bytes,
                                             const char           *what,
                                             gboolean              s3_error_fails,
                                             SendoffApiErrorFunc   error_func,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
/* @status: the HTTP status, 0 when no answer came */
GBytes      *sendoff_api_call_finish        (GAsyncResult         *result,
                                             guint                *status,
                                             GError              **error);

G_END_DECLS
