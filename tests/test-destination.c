/* test-destination.c — backend declarations, option checks, saved destinations
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "sendoff-credentials.h"
#include "sendoff-destination.h"
#include "sendoff-provider.h"
#include "sendoff-types.h"

static GSettings *
fresh_settings (void)
{
  GSettings *settings = sendoff_settings_new_if_available ();
  g_autoptr(GPtrArray) list = NULL;

  g_assert_nonnull (settings);
  list = sendoff_destination_list_saved (settings);
  for (guint i = 0; i < list->len; i++)
    sendoff_destination_forget (g_ptr_array_index (list, i), settings);
  g_settings_reset (settings, "default-destination");
  g_settings_reset (settings, "legacy-migrated");

  return settings;
}

static void
test_registry (void)
{
  const SendoffBackendInfo *const *list = sendoff_backend_list ();
  guint n = 0;

  for (; list[n] != NULL; n++)
    {
      /* every declaration is complete and names a provider type */
      g_assert_nonnull (list[n]->display_name);
      g_assert_true (g_type_is_a (sendoff_backend_get_provider_type (list[n]),
                                  SENDOFF_TYPE_PROVIDER));
      g_assert_true (sendoff_backend_lookup (list[n]->id) == list[n]);
      for (const SendoffOptionSpec *spec = list[n]->options; spec && spec->key; spec++)
        {
          GParamSpec *pspec = g_object_class_find_property (
            g_type_class_peek (sendoff_backend_get_provider_type (list[n])), spec->key);

          /* an option is a property of the provider with the same name */
          g_assert_nonnull (pspec);
          g_assert_nonnull (spec->label);
        }
      for (const SendoffSecretSpec *spec = list[n]->secrets; spec && spec->key; spec++)
        g_assert_nonnull (spec->env);
    }
  g_assert_cmpuint (n, >=, 2);
  g_assert_nonnull (sendoff_backend_lookup ("wetransfer-v1"));
  g_assert_nonnull (sendoff_backend_lookup ("wunderlist"));
  g_assert_null (sendoff_backend_lookup ("carrier-pigeon"));

  /* No dead default: the retired services' addresses are defaults nowhere */
  for (guint i = 0; list[i] != NULL; i++)
    for (const SendoffOptionSpec *spec = list[i]->options; spec && spec->key; spec++)
      g_assert_null (spec->type == SENDOFF_OPTION_URL ? spec->default_value : NULL);
}

static void
test_option_checks (void)
{
  static const char *const choices[] = { "path", "virtual", NULL };
  const SendoffOptionSpec url = { .key = "endpoint", .type = SENDOFF_OPTION_URL, .label = "Endpoint" };
  const SendoffOptionSpec uint = { .key = "lifetime", .type = SENDOFF_OPTION_UINT, .label = "Lifetime",
                                   .min = 3600, .max = 604800 };
  const SendoffOptionSpec choice = { .key = "addressing", .type = SENDOFF_OPTION_CHOICE,
                                     .label = "Addressing", .choices = choices };
  const SendoffOptionSpec boolean = { .key = "public", .type = SENDOFF_OPTION_BOOLEAN, .label = "Public" };
  const SendoffOptionSpec optional = { .key = "prefix", .type = SENDOFF_OPTION_STRING, .label = "Prefix",
                                       .optional = TRUE };
  GError *error = NULL;

  g_assert_true (sendoff_option_check (&url, "https://s3.example.com", NULL));
  g_assert_true (sendoff_option_check (&url, "http://127.0.0.1:7480", NULL));
  g_assert_false (sendoff_option_check (&url, "http://example.com", &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, "Endpoint"));
  g_clear_error (&error);

  /* missing and required: the message names the label and the key */
  g_assert_false (sendoff_option_check (&url, NULL, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Endpoint (endpoint)"));
  g_clear_error (&error);
  g_assert_true (sendoff_option_check (&optional, NULL, NULL));

  g_assert_true (sendoff_option_check (&uint, "3600", NULL));
  g_assert_true (sendoff_option_check (&uint, "604800", NULL));
  for (guint i = 0; i < 5; i++)
    {
      const char *bad[] = { "3599", "604801", "-1", "1h", " 3600" };

      g_assert_false (sendoff_option_check (&uint, bad[i], &error));
      g_assert_nonnull (strstr (error->message, "lifetime"));
      g_assert_nonnull (strstr (error->message, "604800"));
      g_clear_error (&error);
    }

  g_assert_true (sendoff_option_check (&choice, "virtual", NULL));
  g_assert_false (sendoff_option_check (&choice, "Virtual", &error));
  g_assert_nonnull (strstr (error->message, "path, virtual"));
  g_clear_error (&error);

  g_assert_true (sendoff_option_check (&boolean, "true", NULL));
  g_assert_false (sendoff_option_check (&boolean, "yes", &error));
  g_clear_error (&error);

  g_assert_false (sendoff_option_check (&optional, "two\nlines", &error));
  g_clear_error (&error);
}

static void
test_parse_option (void)
{
  g_autoptr(SendoffDestination) dest =
    sendoff_destination_new (sendoff_backend_lookup ("wunderlist"), "Tasks");
  GError *error = NULL;

  g_assert_true (sendoff_destination_parse_option (dest, "task-id=42", NULL));
  g_assert_cmpstr (sendoff_destination_get_option (dest, "task-id"), ==, "42");
  /* "=" inside the value stays in the value */
  g_assert_true (sendoff_destination_parse_option (dest, "api-url=https://x.example/a?b=c", NULL));
  g_assert_cmpstr (sendoff_destination_get_option (dest, "api-url"), ==, "https://x.example/a?b=c");

  g_assert_false (sendoff_destination_parse_option (dest, "bucket=photos", &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“bucket”"));
  g_assert_nonnull (strstr (error->message, "task-id"));   /* what it has instead */
  g_clear_error (&error);

  g_assert_false (sendoff_destination_parse_option (dest, "task-id=", &error));
  g_assert_nonnull (strstr (error->message, "task-id"));
  g_clear_error (&error);
  g_assert_false (sendoff_destination_parse_option (dest, "task-id=0", &error));
  g_assert_nonnull (strstr (error->message, "task-id"));
  g_clear_error (&error);
  g_assert_false (sendoff_destination_parse_option (dest, "task-id", &error));
  g_assert_nonnull (strstr (error->message, "KEY=VALUE"));
  g_clear_error (&error);
  g_assert_cmpstr (sendoff_destination_get_option (dest, "task-id"), ==, "42");

  /* missing required options are named */
  {
    g_autoptr(SendoffDestination) empty =
      sendoff_destination_new (sendoff_backend_lookup ("wunderlist"), NULL);

    g_assert_cmpstr (sendoff_destination_get_name (empty), !=, "");
    g_assert_false (sendoff_destination_check_options (empty, &error));
    g_assert_nonnull (strstr (error->message, "api-url"));
    g_clear_error (&error);
  }
}

static void
test_saved (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(SendoffDestination) one =
    sendoff_destination_new (sendoff_backend_lookup ("wetransfer-v1"), "Sandbox");
  g_autoptr(SendoffDestination) two =
    sendoff_destination_new (sendoff_backend_lookup ("wunderlist"), "Tom & Jerry <live>");
  g_autoptr(SendoffDestination) clash =
    sendoff_destination_new (sendoff_backend_lookup ("wunderlist"), "Sandbox");
  g_autoptr(SendoffDestination) found = NULL;
  g_autoptr(SendoffDestination) by_default = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GError *error = NULL;

  g_assert_null (sendoff_destination_get_default (settings));

  g_assert_true (sendoff_destination_set_option (one, "api-url", "http://127.0.0.1:9/", NULL));
  g_assert_true (sendoff_destination_save (one, settings, &error));
  g_assert_no_error (error);
  g_assert_true (sendoff_destination_is_saved (one));
  g_assert_true (sendoff_destination_set_option (two, "api-url", "https://wl.example", NULL));
  g_assert_true (sendoff_destination_set_option (two, "task-id", "4242", NULL));
  g_assert_true (sendoff_destination_save (two, settings, NULL));

  g_assert_false (sendoff_destination_save (clash, settings, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Sandbox"));
  g_clear_error (&error);

  list = sendoff_destination_list_saved (settings);
  g_assert_cmpuint (list->len, ==, 2);

  /* found again by name, with its backend and options */
  found = sendoff_destination_find (settings, "Tom & Jerry <live>");
  g_assert_nonnull (found);
  g_assert_cmpstr (sendoff_destination_get_backend (found)->id, ==, "wunderlist");
  g_assert_cmpstr (sendoff_destination_get_option (found, "task-id"), ==, "4242");
  g_assert_cmpstr (sendoff_destination_get_id (found), ==, sendoff_destination_get_id (two));

  /* the first one saved is the default until another is chosen */
  by_default = sendoff_destination_get_default (settings);
  g_assert_cmpstr (sendoff_destination_get_id (by_default), ==, sendoff_destination_get_id (one));
  g_clear_object (&by_default);
  sendoff_destination_set_default (settings, two);
  by_default = sendoff_destination_get_default (settings);
  g_assert_cmpstr (sendoff_destination_get_id (by_default), ==, sendoff_destination_get_id (two));
  g_clear_object (&by_default);

  /* forgetting the default makes the other one the default */
  sendoff_destination_forget (two, settings);
  g_assert_null (sendoff_destination_find (settings, "Tom & Jerry <live>"));
  by_default = sendoff_destination_get_default (settings);
  g_assert_cmpstr (sendoff_destination_get_id (by_default), ==, sendoff_destination_get_id (one));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sendoff_destination_list_saved (settings);
  g_assert_cmpuint (list->len, ==, 1);

  sendoff_destination_forget (one, settings);
}

static void
test_choose (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(SendoffDestination) saved =
    sendoff_destination_new (sendoff_backend_lookup ("wetransfer-v1"), "Office");
  SendoffDestination *dest;
  GError *error = NULL;

  /* nothing saved, nothing in the environment: a sentence, not a dead default */
  g_setenv ("SENDOFF_API_URL", "", TRUE);
  g_assert_null (sendoff_destination_choose (settings, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "No destination"));
  g_clear_error (&error);

  /* SENDOFF_API_URL alone still means a WeTransfer v1 server there */
  g_setenv ("SENDOFF_API_URL", "http://127.0.0.1:7001", TRUE);
  dest = sendoff_destination_choose (settings, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sendoff_destination_get_backend (dest)->id, ==, "wetransfer-v1");
  g_assert_cmpstr (sendoff_destination_get_option (dest, "api-url"), ==, "http://127.0.0.1:7001");
  g_assert_false (sendoff_destination_is_saved (dest));
  g_object_unref (dest);

  g_setenv ("SENDOFF_API_URL", "http://example.com", TRUE);
  g_assert_null (sendoff_destination_choose (settings, NULL, "wunderlist", &error));
  g_assert_nonnull (strstr (error->message, "SENDOFF_API_URL"));
  g_clear_error (&error);
  g_setenv ("SENDOFF_API_URL", "", TRUE);

  g_assert_null (sendoff_destination_choose (settings, NULL, "carrier-pigeon", &error));
  g_assert_nonnull (strstr (error->message, "carrier-pigeon"));
  g_assert_nonnull (strstr (error->message, "wetransfer-v1"));
  g_clear_error (&error);

  g_assert_true (sendoff_destination_set_option (saved, "api-url", "https://office.example", NULL));
  g_assert_true (sendoff_destination_save (saved, settings, NULL));

  g_assert_null (sendoff_destination_choose (settings, "Home", NULL, &error));
  g_assert_nonnull (strstr (error->message, "“Home”"));
  g_assert_nonnull (strstr (error->message, "“Office”"));
  g_clear_error (&error);

  /* the default, with SENDOFF_API_URL overriding its address */
  g_setenv ("SENDOFF_API_URL", "http://127.0.0.1:7002", TRUE);
  dest = sendoff_destination_choose (settings, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sendoff_destination_get_name (dest), ==, "Office");
  g_assert_cmpstr (sendoff_destination_get_option (dest, "api-url"), ==, "http://127.0.0.1:7002");
  g_object_unref (dest);
  g_setenv ("SENDOFF_API_URL", "", TRUE);

  dest = sendoff_destination_choose (settings, "Office", NULL, &error);
  g_assert_cmpstr (sendoff_destination_get_option (dest, "api-url"), ==, "https://office.example");
  g_object_unref (dest);

  sendoff_destination_forget (saved, settings);
}

static void
test_create_provider (void)
{
  g_autoptr(SendoffDestination) dest =
    sendoff_destination_new (sendoff_backend_lookup ("wunderlist"), "Tasks");
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SendoffProvider) provider = NULL;
  g_autofree char *url = NULL;
  guint64 task = 0;
  GError *error = NULL;

  g_assert_true (sendoff_destination_set_option (dest, "api-url", "http://127.0.0.1:9", NULL));
  g_assert_true (sendoff_destination_set_option (dest, "task-id", "77", NULL));

  g_hash_table_insert (secrets, (gpointer) "access-token", (gpointer) "token");
  g_assert_null (sendoff_destination_create_provider (dest, secrets, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "Client ID"));
  g_assert_nonnull (strstr (error->message, "Tasks"));
  g_clear_error (&error);

  g_hash_table_insert (secrets, (gpointer) "client-id", (gpointer) "client");
  provider = sendoff_destination_create_provider (dest, secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sendoff_provider_get_id (provider), ==, "wunderlist");
  g_object_get (provider, "api-url", &url, "task-id", &task, NULL);
  g_assert_cmpstr (url, ==, "http://127.0.0.1:9");
  g_assert_cmpuint (task, ==, 77);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Settings and a key of a version before destinations become a first
 * destination whose key is found without typing it again. Through
 * libsecret's file backend: no D-Bus needed. */
static void
test_migration (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(GSettingsSchema) schema =
    g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                     SCHEMA_ID ".Legacy", TRUE);
  g_autoptr(GSettings) legacy = g_settings_new_full (schema, NULL, NULL);
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) migrated = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(SendoffDestination) dest = NULL;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GError *error = NULL;

  g_settings_set_string (legacy, "service", "wunderlist");
  g_settings_set_string (legacy, "api-url", "https://wl.example.org/");
  g_settings_set_uint64 (legacy, "wunderlist-task-id", 4242);
  sendoff_credentials_store_async ("wunderlist", "https://wl.example.org/", "access-token",
                                   "old-token", NULL, on_result, &stored);
  g_assert_true (sendoff_credentials_store_finish (wait_for (&stored), &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  sendoff_credentials_store_async ("wunderlist", "https://wl.example.org", "client-id",
                                   "old-client", NULL, on_result, &stored);
  g_assert_true (sendoff_credentials_store_finish (wait_for (&stored), NULL));

  sendoff_destination_migrate_async (settings, NULL, on_result, &migrated);
  g_assert_true (sendoff_destination_migrate_finish (wait_for (&migrated), &error));
  g_assert_no_error (error);

  dest = sendoff_destination_get_default (settings);
  g_assert_nonnull (dest);
  g_assert_cmpstr (sendoff_destination_get_backend (dest)->id, ==, "wunderlist");
  g_assert_cmpstr (sendoff_destination_get_option (dest, "api-url"), ==, "https://wl.example.org/");
  g_assert_cmpstr (sendoff_destination_get_option (dest, "task-id"), ==, "4242");

  sendoff_credentials_lookup_all_async (dest, FALSE, NULL, on_result, &found);
  secrets = sendoff_credentials_lookup_all_finish (wait_for (&found), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (secrets, "access-token"), ==, "old-token");
  g_assert_cmpstr (g_hash_table_lookup (secrets, "client-id"), ==, "old-client");

  /* once only */
  sendoff_destination_migrate_async (settings, NULL, on_result, &again);
  g_assert_true (sendoff_destination_migrate_finish (wait_for (&again), NULL));
  list = sendoff_destination_list_saved (settings);
  g_assert_cmpuint (list->len, ==, 1);

  g_settings_reset (legacy, "service");
  g_settings_reset (legacy, "api-url");
  g_settings_reset (legacy, "wunderlist-task-id");
  sendoff_destination_forget (dest, settings);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("sendoff-destination-XXXXXX", NULL);
  int status;

  /* the file keyring and anything else lands in a throwaway home */
  g_autofree char *keyring = g_build_filename (home, "keyring", NULL);

  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "sendoff-test", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/destination/registry", test_registry);
  g_test_add_func ("/sendoff/destination/option-checks", test_option_checks);
  g_test_add_func ("/sendoff/destination/parse-option", test_parse_option);
  g_test_add_func ("/sendoff/destination/saved", test_saved);
  g_test_add_func ("/sendoff/destination/choose", test_choose);
  g_test_add_func ("/sendoff/destination/create-provider", test_create_provider);
  g_test_add_func ("/sendoff/destination/migration", test_migration);

  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", home);
    (void) !system (command);
  }
  return status;
}
