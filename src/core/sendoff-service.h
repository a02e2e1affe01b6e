/* sendoff-service.h — the services Sendoff can send through, and how to reach them
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-provider.h"

G_BEGIN_DECLS

typedef struct {
  const char        *id;               /* "wetransfer-v1" */
  const char        *display_name;     /* translatable, N_() */
  const char        *default_api_url;  /* "https://dev.wetransfer.com" */
  const char *const *secret_kinds;     /* keyring "kind" attribute of each secret */
  const char *const *secret_env;       /* environment variable of each secret, same order */
  const char *const *secret_labels;    /* N_() label of each secret, same order */
} SendoffServiceInfo;

#define SENDOFF_DEFAULT_SERVICE "wetransfer-v1"

/* NULL-terminated list of every service */
const SendoffServiceInfo *const *sendoff_service_list   (void);
const SendoffServiceInfo        *sendoff_service_lookup (const char *id);

/* The GSettings of the app when its schema is installed (or found through
 * GSETTINGS_SCHEMA_DIR), else NULL: the CLI then uses the defaults. */
GSettings       *sendoff_settings_new_if_available (void);

/* Base URL: @override (e.g. --api-url), else $SENDOFF_API_URL, else the
 * "api-url" setting when it is set for @service, else the service's default. */
char            *sendoff_service_dup_api_url       (const SendoffServiceInfo *info,
                                                    const char               *override);

/* Creates the provider for @info. @secrets maps each secret kind to its
 * value; a missing one is SENDOFF_ERROR_NO_CREDENTIALS naming it. The URL
 * is checked with sendoff_url_check(). */
SendoffProvider *sendoff_service_create_provider   (const SendoffServiceInfo *info,
                                                    const char               *api_url,
                                                    GHashTable               *secrets,
                                                    GError                  **error);

/* The secrets themselves (environment first, then the keyring) come from
 * sendoff_credentials_lookup_all_async() in sendoff-credentials.h. */

G_END_DECLS
