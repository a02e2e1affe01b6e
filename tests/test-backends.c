/* test-backends.c — the seed backends' declarations, configuration checks and saved state
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-fixture.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-types.h"
#include "sendoff-wetransfer-v1.h"
#include "sendoff-wunderlist.h"

static SendoffTestSandbox *sb;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
check (SendoffProvider  *provider,
       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_provider_check_async (provider, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sendoff_provider_check_finish (provider, result, error);
}

/* An address where nothing listens: a port that was free a moment ago */
static char *
dead_url (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static void
test_declarations (void)
{
  g_autoptr(SendoffProvider) wt = g_object_new (SENDOFF_TYPE_WETRANSFER_V1, NULL);
  g_autoptr(SendoffProvider) wl = g_object_new (SENDOFF_TYPE_WUNDERLIST, NULL);
  const SendoffBackendInfo *info;
  g_autoptr(GError) error = NULL;

  info = sendoff_provider_get_info (wt);
  g_assert_cmpstr (sendoff_provider_get_id (wt), ==, "wetransfer-v1");
  g_assert_cmpstr (info->options[0].key, ==, "api-url");
  g_assert_null (info->options[0].default_value);
  g_assert_cmpstr (info->options[0].env, ==, "SENDOFF_API_URL");
  g_assert_cmpstr (info->secrets[0].key, ==, "api-key");
  g_assert_cmpstr (info->secrets[0].env, ==, "SENDOFF_API_KEY");

  info = sendoff_provider_get_info (wl);
  g_assert_cmpstr (sendoff_provider_get_id (wl), ==, "wunderlist");
  g_assert_cmpstr (info->options[1].key, ==, "task-id");
  g_assert_cmpint (info->options[1].type, ==, SENDOFF_OPTION_UINT);
  g_assert_cmpuint (info->options[1].min, ==, 1);
  g_assert_cmpstr (info->secrets[0].key, ==, "access-token");
  g_assert_cmpstr (info->secrets[1].key, ==, "client-id");

  /* nothing set: the first required option is named */
  g_assert_false (sendoff_provider_check_configuration (wt, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "api-url"));
  g_clear_error (&error);

  g_object_set (wl, "api-url", "http://example.com", NULL);
  g_assert_false (sendoff_provider_check_configuration (wl, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INSECURE_URL);
  g_clear_error (&error);

  g_object_set (wl, "api-url", "https://example.com/", NULL);
  g_assert_false (sendoff_provider_check_configuration (wl, &error));
  g_assert_nonnull (strstr (error->message, "task-id"));
  g_clear_error (&error);

  g_object_set (wl, "task-id", (guint64) 42, NULL);
  g_assert_false (sendoff_provider_check_configuration (wl, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "access-token"));
  g_clear_error (&error);

  g_object_set (wl, "access-token", "t", "client-id", "c", NULL);
  g_assert_true (sendoff_provider_check_configuration (wl, &error));
  g_assert_no_error (error);
}

static void
test_wetransfer_check (void)
{
  g_autoptr(SendoffProvider) good = NULL;
  g_autoptr(SendoffProvider) bad = NULL;
  g_autoptr(SendoffProvider) dead = NULL;
  g_autofree char *nowhere = dead_url ();
  g_autoptr(GError) error = NULL;

  good = g_object_new (SENDOFF_TYPE_WETRANSFER_V1, "api-url", sendoff_test_sandbox_get_url (sb),
                       "api-key", sendoff_test_sandbox_get_api_key (sb), NULL);
  g_assert_true (check (good, &error));
  g_assert_no_error (error);

  bad = SENDOFF_PROVIDER (sendoff_wetransfer_v1_new (sendoff_test_sandbox_get_url (sb), "nope"));
  g_assert_false (check (bad, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (error->message, "The server refused the API key"));
  g_clear_error (&error);

  dead = SENDOFF_PROVIDER (sendoff_wetransfer_v1_new (nowhere, "k"));
  g_assert_false (check (dead, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "Nothing answers at http://127.0.0.1:"));
}

static void
test_wunderlist_check (void)
{
  g_autoptr(SendoffWunderlist) good = NULL;
  g_autoptr(SendoffWunderlist) bad = NULL;
  g_autoptr(GError) error = NULL;

  good = sendoff_wunderlist_new (sendoff_test_sandbox_get_url (sb),
                                 sendoff_test_sandbox_get_access_token (sb),
                                 sendoff_test_sandbox_get_client_id (sb));
  sendoff_wunderlist_set_task_id (good, 1);
  g_assert_true (check (SENDOFF_PROVIDER (good), &error));
  g_assert_no_error (error);

  bad = sendoff_wunderlist_new (sendoff_test_sandbox_get_url (sb), "wrong",
                                sendoff_test_sandbox_get_client_id (sb));
  sendoff_wunderlist_set_task_id (bad, 1);
  g_assert_false (check (SENDOFF_PROVIDER (bad), &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (error->message, "The server refused the access token"));
}

static void
round_trip (SendoffProvider *provider,
            SendoffTransfer *transfer,
            SendoffItem     *item,
            const char      *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  g_assert_true (sendoff_provider_restore_state (provider, transfer, item, json, &error));
  g_assert_no_error (error);
  saved = sendoff_provider_save_state (provider, transfer, item);
  g_assert_cmpstr (saved, ==, json);
}

static void
refused (SendoffProvider *provider,
         SendoffTransfer *transfer,
         SendoffItem     *item,
         const char      *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sendoff_provider_restore_state (provider, transfer, item, json, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
}

static void
test_state (void)
{
  g_autoptr(SendoffProvider) wt = g_object_new (SENDOFF_TYPE_WETRANSFER_V1, NULL);
  g_autoptr(SendoffProvider) wl = g_object_new (SENDOFF_TYPE_WUNDERLIST, NULL);
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent");
  g_autoptr(SendoffItem) item = _sendoff_item_new (file, "f", 13, 0, NULL);

  /* the journal restores the item's registration, then the provider's part */
  _sendoff_item_set_remote (item, "file-1", 3, 6);
  g_assert_null (sendoff_provider_save_state (wt, transfer, item));
  round_trip (wt, transfer, item, "{\"upload_id\":\"u.1-x\"}");
  round_trip (wt, transfer, NULL, "{\"shortened_url\":\"https://we.tl/t-abc\"}");
  refused (wt, transfer, item, "{\"upload_id\":\"a b\"}");
  refused (wt, transfer, item, "[1]");
  refused (wt, transfer, NULL, "{}");

  _sendoff_item_set_provider_data (item, NULL, NULL);
  round_trip (wl, transfer, item, "{\"upload_id\":7,\"finished\":true,\"file_id\":9,\"failed\":false}");
  g_assert_null (sendoff_provider_save_state (wl, transfer, NULL));
  refused (wl, transfer, item, "{\"upload_id\":0,\"file_id\":0}");
  refused (wl, transfer, item, "{\"upload_id\":\"7\",\"file_id\":0}");
  refused (wl, transfer, item, "not json");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sendoff/backends/declarations", test_declarations);
  g_test_add_func ("/sendoff/backends/wetransfer-check", test_wetransfer_check);
  g_test_add_func ("/sendoff/backends/wunderlist-check", test_wunderlist_check);
  g_test_add_func ("/sendoff/backends/state", test_state);

  sb = sendoff_test_sandbox_start (NULL);
  status = g_test_run ();
  sendoff_test_sandbox_stop (sb);

  return status;
}
