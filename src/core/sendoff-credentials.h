/* sendoff-credentials.h — service secrets in the system keyring
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "sendoff-backend.h"

typedef struct _SendoffDestination SendoffDestination;

G_BEGIN_DECLS

/* The kind used when @kind is NULL: a service's single API key. */
#define SENDOFF_CREDENTIALS_KIND_API_KEY "api-key"

const SecretSchema *sendoff_credentials_get_schema    (void);

/* The form of @api_url the keyring items are filed under: lower-case
 * scheme and host, no default port, no trailing slash, no userinfo, query
 * or fragment. "http://x/" and "http://x" give the same string. */
char               *sendoff_credentials_normalize_url (const char *api_url);

/* Secrets are stored under the schema "io.github.sendoff.Sendoff" with
 * the attributes service (e.g. "wetransfer-v1"), api-url and, where a
 * service has several, kind (e.g. "access-token", "client-id").
 * SENDOFF_ERROR_KEYRING when no keyring can be reached. */
void      sendoff_credentials_store_async   (const char          *service,
                                             const char          *api_url,
                                             const char          *kind,
                                             const char          *secret,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  sendoff_credentials_store_finish  (GAsyncResult        *result,
                                             GError             **error);
/* Returns the secret, or NULL without error when none is stored. */
void      sendoff_credentials_lookup_async  (const char          *service,
                                             const char          *api_url,
                                             const char          *kind,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char     *sendoff_credentials_lookup_finish (GAsyncResult        *result,
                                             GError             **error);
void      sendoff_credentials_clear_async   (const char          *service,
                                             const char          *api_url,
                                             const char          *kind,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  sendoff_credentials_clear_finish  (GAsyncResult        *result,
                                             GError             **error);

/* The same for the secrets of @destination (a saved one files them under
 * the attribute destination = its id, see sendoff_destination_get_secret_scope()). */
void      sendoff_credentials_store_for_async (SendoffDestination  *destination,
                                               const char          *kind,
                                               const char          *secret,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
void      sendoff_credentials_clear_for_async (SendoffDestination  *destination,
                                               const char          *kind,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);

/* Every secret @destination's backend declares, as a table key → secret
 * ready for sendoff_destination_create_provider(): each from its
 * environment variable when @use_env and that is set and not empty, else
 * from the keyring. Secrets found nowhere are left out. A keyring that
 * cannot be reached is an error (SENDOFF_ERROR_KEYRING) only when a secret
 * is still missing, so the environment alone is enough without a keyring.
 * The values are wiped when the table frees them. */
void        sendoff_credentials_lookup_all_async  (SendoffDestination  *destination,
                                                   gboolean             use_env,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GHashTable *sendoff_credentials_lookup_all_finish (GAsyncResult             *result,
                                                   GError                  **error);

/* TRUE when every secret of @destination is in the keyring. */
void        sendoff_credentials_has_all_async     (SendoffDestination  *destination,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean    sendoff_credentials_has_all_finish    (GAsyncResult             *result,
                                                   GError                  **error);

G_END_DECLS
