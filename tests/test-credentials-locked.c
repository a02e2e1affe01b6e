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

#include "credentials-sync.h"
#include "sendoff-credentials.h"
#include "sendoff-types.h"

#define WT "wetransfer-v1"
#define URL "https://transfer.example.com"

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
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  g_assert_true (sendoff_test_credentials_store (WT, URL, NULL, "before-lock-key", &error));
  g_assert_no_error (error);

  lock_default_collection ();

  g_assert_false (sendoff_test_credentials_store (WT, URL, NULL, "locked-key-77", &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING);
  g_assert_cmpstr (error->message, ==, "The system keyring is locked and could not be unlocked");
  g_clear_error (&error);

  /* The stored key cannot be read: that is an error, not "no key". */
  secret = sendoff_test_credentials_lookup (WT, URL, NULL, &error);
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
