/* test-credentials.c — service secrets in the system keyring
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/run-headless: a private D-Bus session with a throwaway,
 * unlocked gnome-keyring.
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "credentials-sync.h"
#include "sendoff-credentials.h"
#include "sendoff-destination.h"
#include "sendoff-types.h"

#define WT "wetransfer-v1"

/* A fresh URL per test keeps the cases apart in the one keyring. */
static char *
unique_url (const char *base)
{
  static guint counter;

  return g_strdup_printf ("%s/t%u-%d", base, ++counter, (int) getpid ());
}

static void
test_store_lookup_replace_clear (void)
{
  g_autofree char *url = unique_url ("https://transfer.example.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *after_clear = NULL;

  none = sendoff_test_credentials_lookup (WT, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (sendoff_test_credentials_store (WT, url, NULL, "key-one-123", &error));
  g_assert_no_error (error);
  first = sendoff_test_credentials_lookup (WT, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "key-one-123");

  /* Storing again replaces: one item, the new value. */
  g_assert_true (sendoff_test_credentials_store (WT, url, NULL, "key-two-456", &error));
  g_assert_no_error (error);
  second = sendoff_test_credentials_lookup (WT, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "key-two-456");

  g_assert_true (sendoff_test_credentials_clear (WT, url, NULL, &error));
  g_assert_no_error (error);
  after_clear = sendoff_test_credentials_lookup (WT, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (after_clear);

  /* Clearing what is not there is not an error. */
  g_assert_true (sendoff_test_credentials_clear (WT, url, NULL, &error));
  g_assert_no_error (error);
}

static void
test_one_item_after_replace (void)
{
  g_autofree char *url = unique_url ("https://replace.example");
  g_autofree char *norm = sendoff_credentials_normalize_url (url);
  g_autoptr(GError) error = NULL;
  GList *items;

  g_assert_true (sendoff_test_credentials_store (WT, url, NULL, "aaa-first", &error));
  g_assert_true (sendoff_test_credentials_store (WT, url, NULL, "bbb-second", &error));
  g_assert_no_error (error);

  items = secret_password_search_sync (sendoff_credentials_get_schema (),
                                       SECRET_SEARCH_ALL, NULL, &error,
                                       "service", WT, "api-url", norm, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);
}

static void
test_two_base_urls_stay_apart (void)
{
  g_autofree char *a = unique_url ("https://transfer.example.com");
  g_autofree char *b = unique_url ("http://127.0.0.1:8080");
  g_autoptr(GError) error = NULL;
  g_autofree char *got_a = NULL;
  g_autofree char *got_b = NULL;
  g_autofree char *got_a_after = NULL;
  g_autofree char *got_b_after = NULL;

  g_assert_true (sendoff_test_credentials_store (WT, a, NULL, "real-endpoint-key", &error));
  g_assert_true (sendoff_test_credentials_store (WT, b, NULL, "sandbox-key", &error));
  g_assert_no_error (error);

  got_a = sendoff_test_credentials_lookup (WT, a, NULL, &error);
  got_b = sendoff_test_credentials_lookup (WT, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got_a, ==, "real-endpoint-key");
  g_assert_cmpstr (got_b, ==, "sandbox-key");

  g_assert_true (sendoff_test_credentials_clear (WT, a, NULL, &error));
  got_a_after = sendoff_test_credentials_lookup (WT, a, NULL, &error);
  got_b_after = sendoff_test_credentials_lookup (WT, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (got_a_after);
  g_assert_cmpstr (got_b_after, ==, "sandbox-key");
  sendoff_test_credentials_clear (WT, b, NULL, NULL);
}

static void
test_trailing_slash_same_entry (void)
{
  g_autofree char *url = unique_url ("http://localhost:9000");
  g_autofree char *slash = g_strconcat (url, "/", NULL);
  g_autofree char *upper = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  g_autofree char *got_upper = NULL;
  g_autofree char *after = NULL;

  g_assert_true (sendoff_test_credentials_store (WT, slash, NULL, "slash-key", &error));
  g_assert_no_error (error);
  got = sendoff_test_credentials_lookup (WT, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, "slash-key");

  /* Scheme and host are case-insensitive. */
  upper = g_strconcat ("HTTP://LOCALHOST:9000", url + strlen ("http://localhost:9000"), NULL);
  got_upper = sendoff_test_credentials_lookup (WT, upper, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got_upper, ==, "slash-key");

  g_assert_true (sendoff_test_credentials_clear (WT, url, NULL, &error));
  after = sendoff_test_credentials_lookup (WT, slash, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (after);
}

static void
test_normalize_url (void)
{
  struct { const char *in, *out; } cases[] = {
    { "http://x/", "http://x" },
    { "http://x", "http://x" },
    { "https://transfer.example.com///", "https://transfer.example.com" },
    { "HTTPS://Transfer.Example.com:443/", "https://transfer.example.com" },
    { "http://127.0.0.1:8080/api/", "http://127.0.0.1:8080/api" },
    { "http://127.0.0.1:80", "http://127.0.0.1" },
    { "http://[::1]:3000/", "http://[::1]:3000" },
    { "https://user:pw@host.example/v?q=1#f", "https://host.example/v" },
    { "  https://a.example/  ", "https://a.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = sendoff_credentials_normalize_url (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_kinds_stay_apart (void)
{
  g_autofree char *url = unique_url ("https://a.wunderlist.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *client = NULL;

  g_assert_true (sendoff_test_credentials_store ("wunderlist", url, "access-token", "the-token", &error));
  g_assert_true (sendoff_test_credentials_store ("wunderlist", url, "client-id", "the-client", &error));
  g_assert_no_error (error);
  token = sendoff_test_credentials_lookup ("wunderlist", url, "access-token", &error);
  client = sendoff_test_credentials_lookup ("wunderlist", url, "client-id", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "the-token");
  g_assert_cmpstr (client, ==, "the-client");
  sendoff_test_credentials_clear ("wunderlist", url, "access-token", NULL);
  sendoff_test_credentials_clear ("wunderlist", url, "client-id", NULL);
}

static void
test_label_names_service_not_secret (void)
{
  g_autoptr(GError) error = NULL;
  const char *url = "https://transfer.example.com/";
  const char *secret = "label-check-secret-789";
  g_autolist(GObject) items = NULL;
  g_autofree char *label = NULL;

  g_assert_true (sendoff_test_credentials_store (WT, url, NULL, secret, &error));
  g_assert_no_error (error);

  items = secret_password_search_sync (sendoff_credentials_get_schema (),
                                       SECRET_SEARCH_ALL, NULL, &error,
                                       "service", WT,
                                       "api-url", "https://transfer.example.com",
                                       "kind", SENDOFF_CREDENTIALS_KIND_API_KEY, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_test_message ("label: %s", label);
  g_assert_true (g_str_has_prefix (label, "Sendoff: "));
  g_assert_true (g_str_has_suffix (label, " for https://transfer.example.com"));
  g_assert_nonnull (strstr (label, "WeTransfer"));
  g_assert_null (strstr (label, secret));
  sendoff_test_credentials_clear (WT, url, NULL, NULL);
}

static void
test_empty_secret_refused (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sendoff_test_credentials_store (WT, "https://transfer.example.com", NULL, "", &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
}

static void
test_lookup_all (void)
{
  const SendoffBackendInfo *info = sendoff_backend_lookup (WT);
  g_autofree char *url = unique_url ("https://all.example");
  g_autoptr(SendoffDestination) destination = sendoff_destination_new (info, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) empty = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GHashTable) from_env = NULL;
  g_autoptr(GHashTable) env_ignored = NULL;

  g_assert_nonnull (info);
  g_assert_true (sendoff_destination_set_option (destination, "api-url", url, NULL));
  empty = sendoff_test_credentials_lookup_all (destination, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (empty), ==, 0);

  g_assert_true (sendoff_test_credentials_store (WT, url, info->secrets[0].key, "stored-all-key", &error));
  g_assert_no_error (error);
  stored = sendoff_test_credentials_lookup_all (destination, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (stored, info->secrets[0].key), ==, "stored-all-key");

  g_setenv (info->secrets[0].env, "env-all-key", TRUE);
  from_env = sendoff_test_credentials_lookup_all (destination, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (from_env, info->secrets[0].key), ==, "env-all-key");
  env_ignored = sendoff_test_credentials_lookup_all (destination, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (env_ignored, info->secrets[0].key), ==, "stored-all-key");
  g_unsetenv (info->secrets[0].env);
  sendoff_test_credentials_clear (WT, url, info->secrets[0].key, NULL);
}

/* No Secret Service: the session bus points nowhere. A fresh process, since
 * GDBus and libsecret keep their first connection. */
static void
test_no_keyring (void)
{
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      g_test_skip ("The file backend needs no Secret Service");
      return;
    }

  if (g_test_subprocess ())
    {
      const SendoffBackendInfo *info = sendoff_backend_lookup (WT);
      g_autoptr(SendoffDestination) destination = sendoff_destination_new (info, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) secrets = NULL;
      g_autofree char *got = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sendoff-bus", TRUE);
      g_assert_true (sendoff_destination_set_option (destination, "api-url",
                                                     "https://transfer.example.com", NULL));

      g_assert_false (sendoff_test_credentials_store (WT, "https://transfer.example.com", NULL, "no-bus-key-42", &error));
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING);
      g_assert_null (strstr (error->message, "no-bus-key-42"));
      g_print ("store: %s\n", error->message);
      g_clear_error (&error);

      got = sendoff_test_credentials_lookup (WT, "https://transfer.example.com", NULL, &error);
      g_assert_null (got);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING);
      g_clear_error (&error);

      g_assert_false (sendoff_test_credentials_clear (WT, "https://transfer.example.com", NULL, &error));
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING);
      g_clear_error (&error);

      /* A secret still missing makes the keyring error ... */
      g_unsetenv (info->secrets[0].env);
      secrets = sendoff_test_credentials_lookup_all (destination, TRUE, &error);
      g_assert_null (secrets);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING);
      g_clear_error (&error);

      /* ... but the environment alone is enough. */
      g_setenv (info->secrets[0].env, "env-only-key", TRUE);
      secrets = sendoff_test_credentials_lookup_all (destination, TRUE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (g_hash_table_lookup (secrets, info->secrets[0].key), ==, "env-only-key");
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*store: The system keyring is not available*");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *file_dir = NULL;
  int status;

  /* SECRET_BACKEND=file: libsecret's file backend, as inside Flatpak, in a
   * throwaway file and with no D-Bus at all. */
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      g_autofree char *path = NULL;

      file_dir = g_dir_make_tmp ("sendoff-secret-file-XXXXXX", NULL);
      g_assert_nonnull (file_dir);
      path = g_build_filename (file_dir, "keyring", NULL);
      g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "sendoff-test", TRUE);
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sendoff-bus", TRUE);
    }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/credentials/store-lookup-replace-clear", test_store_lookup_replace_clear);
  g_test_add_func ("/sendoff/credentials/one-item-after-replace", test_one_item_after_replace);
  g_test_add_func ("/sendoff/credentials/two-base-urls-stay-apart", test_two_base_urls_stay_apart);
  g_test_add_func ("/sendoff/credentials/trailing-slash-same-entry", test_trailing_slash_same_entry);
  g_test_add_func ("/sendoff/credentials/normalize-url", test_normalize_url);
  g_test_add_func ("/sendoff/credentials/kinds-stay-apart", test_kinds_stay_apart);
  g_test_add_func ("/sendoff/credentials/label", test_label_names_service_not_secret);
  g_test_add_func ("/sendoff/credentials/empty-secret-refused", test_empty_secret_refused);
  g_test_add_func ("/sendoff/credentials/lookup-all", test_lookup_all);
  g_test_add_func ("/sendoff/credentials/no-keyring", test_no_keyring);

  status = g_test_run ();
  if (file_dir != NULL)
    {
      g_autofree char *path = g_build_filename (file_dir, "keyring", NULL);

      g_unlink (path);
      g_rmdir (file_dir);
    }
  return status;
}
