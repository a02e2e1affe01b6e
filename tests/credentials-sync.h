/* credentials-sync.h — the keyring calls, blocking, for tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sendoff-destination.h"

G_BEGIN_DECLS

/* Each runs the async call to its end on the thread-default main context. */
gboolean  sendoff_test_credentials_store  (const char  *service,
                                           const char  *url,
                                           const char  *kind,
                                           const char  *secret,
                                           GError     **error);
char     *sendoff_test_credentials_lookup (const char  *service,
                                           const char  *url,
                                           const char  *kind,
                                           GError     **error);
gboolean  sendoff_test_credentials_clear  (const char  *service,
                                           const char  *url,
                                           const char  *kind,
                                           GError     **error);

GHashTable *sendoff_test_credentials_lookup_all (SendoffDestination  *destination,
                                                gboolean             use_env,
                                                GError             **error);

/* The secrets of a destination, filed where sendoff_credentials_store_for_async() files them */
gboolean    sendoff_test_credentials_store_for  (SendoffDestination  *destination,
                                                 const char          *kind,
                                                 const char          *secret,
                                                 GError             **error);

G_END_DECLS
