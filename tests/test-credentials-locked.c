/* test-credentials-locked.c — a locked keyring that cannot prompt
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Its own executable: it locks the throwaway keyring of its run-headless
 * session, and nothing can unlock it again without a prompt.
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <libsecret/secret.h>

#include "sendoff-credentials.h"
#include "sendoff-types.h"

#define WT "wetransfer-v1"
#define URL "https://dev.wetransfer.com"

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

static void
lock_default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GList) list = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  list = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, list, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));
}

static void
test_locked_keyring (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) before = NULL;
  g_autoptr(GAsyncResult) looked_up = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  sendoff_credentials_store_async (WT, URL, NULL, "before-lock-key", NULL, on_result, &before);
  g_assert_true (sendoff_credentials_store_finish (wait_for (&before), &error));
  g_assert_no_error (error);

  lock_default_collection ();

  sendoff_credentials_store_async (WT, URL, NULL, "locked-key-77", NULL, on_result, &stored);
  g_assert_false (sendoff_credentials_store_finish (wait_for (&stored), &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING);
  g_assert_cmpstr (error->message, ==, "The system keyring is locked and could not be unlocked");
  g_clear_error (&error);

  /* The stored key cannot be read: that is an error, not "no key". */
  sendoff_credentials_lookup_async (WT, URL, NULL, NULL, on_result, &looked_up);
  secret = sendoff_credentials_lookup_finish (wait_for (&looked_up), &error);
  g_assert_null (secret);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sendoff/credentials/locked-keyring", test_locked_keyring);
  return g_test_run ();
}
