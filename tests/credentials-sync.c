/* credentials-sync.c — the keyring calls, blocking, for tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "credentials-sync.h"
#include "sendoff-credentials.h"

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

gboolean
sendoff_test_credentials_store (const char  *service,
                                const char  *url,
                                const char  *kind,
                                const char  *secret,
                                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_credentials_store_async (service, url, kind, secret, NULL, on_result, &result);
  return sendoff_credentials_store_finish (wait_for (&result), error);
}

char *
sendoff_test_credentials_lookup (const char  *service,
                                 const char  *url,
                                 const char  *kind,
                                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_credentials_lookup_async (service, url, kind, NULL, on_result, &result);
  return sendoff_credentials_lookup_finish (wait_for (&result), error);
}

gboolean
sendoff_test_credentials_clear (const char  *service,
                                const char  *url,
                                const char  *kind,
                                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_credentials_clear_async (service, url, kind, NULL, on_result, &result);
  return sendoff_credentials_clear_finish (wait_for (&result), error);
}

GHashTable *
sendoff_test_credentials_lookup_all (SendoffDestination  *destination,
                                     gboolean             use_env,
                                     GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_credentials_lookup_all_async (destination, use_env, NULL, on_result, &result);
  return sendoff_credentials_lookup_all_finish (wait_for (&result), error);
}

gboolean
sendoff_test_credentials_store_for (SendoffDestination  *destination,
                                    const char          *kind,
                                    const char          *secret,
                                    GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_credentials_store_for_async (destination, kind, secret, NULL, on_result, &result);
  return sendoff_credentials_store_finish (wait_for (&result), error);
}
