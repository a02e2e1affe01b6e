/* sendoff-error-private.h — what an HTTP error remembers besides its message
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-types.h"

G_BEGIN_DECLS

/* SENDOFF_ERROR is an extended error domain: each error can carry the
 * HTTP status that caused it (0 for none) and a Retry-After hint in
 * seconds (-1 for none). Errors of other domains read as 0 / -1. */
void    _sendoff_error_set_http        (GError       *error,
                                        guint         status,
                                        gint64        retry_after);
guint   _sendoff_error_get_http_status (const GError *error);
gint64  _sendoff_error_get_retry_after (const GError *error);

/* A network error that trying again will not cure (a send that has made
 * no progress for too long): sendoff_error_is_retryable() says FALSE. */
void     _sendoff_error_set_final      (GError       *error);
gboolean _sendoff_error_is_final       (const GError *error);

/* The server's own name for the error ("NoSuchUpload" in an S3 <Error>),
 * so callers decide by it rather than by the words of the message. */
void        _sendoff_error_set_server_code (GError       *error,
                                            const char   *code);
const char *_sendoff_error_get_server_code (const GError *error);

G_END_DECLS
