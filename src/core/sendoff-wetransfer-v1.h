/* sendoff-wetransfer-v1.h — the WeTransfer public API v1 as a SendoffProvider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-provider.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_WETRANSFER_V1 (sendoff_wetransfer_v1_get_type ())

G_DECLARE_FINAL_TYPE (SendoffWetransferV1, sendoff_wetransfer_v1, SENDOFF, WETRANSFER_V1, GObject)

/* Properties: api-url (the option, no default), api-key (the secret,
 * write-only, wiped when replaced), chunk-size (guint64, default 6291456:
 * the service's part size). sendoff_wetransfer_v1_new() is a convenience
 * for g_object_new() with the two set. */
SendoffWetransferV1 *sendoff_wetransfer_v1_new (const char *api_url,
                                                const char *api_key);

G_END_DECLS
