/* sendoff-fake-provider.h — a scripted provider for the engine's contract tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sendoff-provider.h"

G_BEGIN_DECLS

/* What the fake answers to one step, one part target, one part or one
 * receipt. Scripted answers are used in order; when none is left the
 * step succeeds. */
typedef enum {
  FAKE_OK,
  FAKE_RETRYABLE,        /* API step: network error; storage: HTTP 503 */
  FAKE_UNAUTHORIZED,     /* API step: SENDOFF_ERROR_AUTH (the engine re-authorizes) */
  FAKE_EXPIRED,          /* part target: already expired; storage: HTTP 403 */
  FAKE_RECEIPT_REJECTED, /* receipt: part_stored() says no */
  FAKE_AUTH_REFUSED,     /* storage: HTTP 401, classified AUTH_REFUSED */
  FAKE_FATAL,            /* API step: SENDOFF_ERROR_SERVER; storage: HTTP 400 */
} FakeAnswer;

#define SENDOFF_TYPE_FAKE_PROVIDER (sendoff_fake_provider_get_type ())

G_DECLARE_FINAL_TYPE (SendoffFakeProvider, sendoff_fake_provider, SENDOFF, FAKE_PROVIDER, GObject)

/* Starts an in-process SoupServer on the thread-default main context: the
 * part targets point at it. Properties: base-url (option), token (secret),
 * part-size (guint64), in-order (gboolean), can-abort (gboolean),
 * max-size (guint64, 0 = none: check_limits refuses bigger files),
 * method (the part targets' method, NULL = PUT). */
SendoffFakeProvider *sendoff_fake_provider_new      (void);

/* @key: "authorize", "begin", "register", "finish-item", "finish-transfer",
 * "abort", "target:N", "put:N", "receipt:N" (N a part number, any item) */
void         sendoff_fake_provider_script           (SendoffFakeProvider *self,
                                                     const char          *key,
                                                     FakeAnswer           answer);

/* Every call in order, one line each: "authorize", "begin", "register a",
 * "target a 1", "put a 1" (then the method: "PUT a 1"), "stored a 1",
 * "finish-item a <etags>",
 * "finish-transfer", "abort" */
GPtrArray   *sendoff_fake_provider_get_log          (SendoffFakeProvider *self);
guint        sendoff_fake_provider_count            (SendoffFakeProvider *self,
                                                     const char          *line);
/* The bytes storage holds for part @number of @name, or NULL */
GBytes      *sendoff_fake_provider_get_stored       (SendoffFakeProvider *self,
                                                     const char          *name,
                                                     guint                number);
/* Most parts of one item the storage saw under way at once */
guint        sendoff_fake_provider_get_max_parallel (SendoffFakeProvider *self,
                                                     const char          *name);
/* The ETag storage gave for a body: "\"<sha256 hex>\"" */
char        *sendoff_fake_etag                      (GBytes              *bytes);

G_END_DECLS
