/* test-wunderlist.c — the Wunderlist provider's steps against sendoff-sandbox
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "sandbox-fixture.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-wunderlist.h"
#include "test-wunderlist-common.h"

/* ---- driving the steps by hand ------------------------------------------ */

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
run_register (SendoffProvider  *provider,
              SendoffTransfer  *transfer,
              GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = sendoff_transfer_get_items (transfer);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (model, i);

      if (!_sendoff_item_is_registered (item))
        g_ptr_array_add (items, g_steal_pointer (&item));
    }

  sendoff_provider_register_items_async (provider, transfer, items, NULL, store_result, &result);
  return sendoff_provider_register_items_finish (provider, wait_result (&result), error);
}

static gboolean
run_begin (SendoffProvider  *provider,
           SendoffTransfer  *transfer,
           GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_provider_authorize_async (provider, NULL, store_result, &result);
  if (!sendoff_provider_authorize_finish (provider, wait_result (&result), error))
    return FALSE;
  g_clear_object (&result);

  sendoff_provider_begin_transfer_async (provider, transfer, NULL, store_result, &result);
  return sendoff_provider_begin_transfer_finish (provider, wait_result (&result), error);
}

static SendoffPartTarget *
run_get_target (SendoffProvider  *provider,
                SendoffItem      *item,
                guint             part_number,
                GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_provider_get_part_target_async (provider, item, part_number, NULL,
                                          store_result, &result);
  return sendoff_provider_get_part_target_finish (provider, wait_result (&result), error);
}

static gboolean
run_finish_item (SendoffProvider  *provider,
                 SendoffTransfer  *transfer,
                 SendoffItem      *item,
                 GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_provider_finish_item_async (provider, transfer, item, NULL, store_result, &result);
  return sendoff_provider_finish_item_finish (provider, wait_result (&result), error);
}

static gboolean
run_finish_transfer (SendoffProvider  *provider,
                     SendoffTransfer  *transfer,
                     GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_provider_finish_transfer_async (provider, transfer, NULL, store_result, &result);
  return sendoff_provider_finish_transfer_finish (provider, wait_result (&result), error);
}

/* The PUT as a client following the seed makes it; @with_empty_content_type
 * FALSE leaves the header out. Returns the HTTP status. */
static guint
put_part (SendoffItem       *item,
          guint              part_number,
          SendoffPartTarget *target,
          gboolean           with_empty_content_type)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", target->url);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint64 offset, length;

  whole = g_file_load_bytes (sendoff_item_get_file (item), NULL, NULL, &error);
  g_assert_no_error (error);
  _sendoff_item_get_part_range (item, part_number, &offset, &length);
  body = g_bytes_new_from_bytes (whole, offset, length);

  soup_message_headers_iter_init (&iter, target->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (headers, name, value);
  if (with_empty_content_type)
    soup_message_headers_replace (headers, "Content-Type", "");
  soup_message_set_request_body_from_bytes (msg, NULL, body);

  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
send_all_parts (SendoffProvider *provider,
                SendoffItem     *item)
{
  for (guint part = 1; part <= _sendoff_item_get_n_parts (item); part++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SendoffPartTarget) target = run_get_target (provider, item, part, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (put_part (item, part, target, TRUE), ==, 200);
      _sendoff_item_mark_part_done (item, part);
    }
}

static SendoffItem *
item_at (SendoffTransfer *transfer,
         guint            position)
{
  /* the transfer keeps it alive */
  g_autoptr(SendoffItem) item = g_list_model_get_item (sendoff_transfer_get_items (transfer),
                                                      position);
  return item;
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_steps_multi_and_single (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 13 * MIB + 17, 1000 }, 2);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 42);
  SendoffProvider *provider = SENDOFF_PROVIDER (wunderlist);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  SendoffItem *big = item_at (transfer, 0);
  SendoffItem *small = item_at (transfer, 1);

  g_assert_true (run_begin (provider, transfer, &error));
  g_assert_no_error (error);
  g_assert_true (run_register (provider, transfer, &error));
  g_assert_no_error (error);

  /* 6 MiB parts: S3's 5 MiB minimum with room, 10000 at most */
  g_assert_cmpuint (_sendoff_item_get_n_parts (big), ==, 3);
  g_assert_cmpuint (_sendoff_item_get_part_size (big), >=, 5 * MIB);
  g_assert_cmpuint (_sendoff_item_get_n_parts (small), ==, 1);
  g_assert_cmpstr (_sendoff_item_get_remote_id (big), !=, _sendoff_item_get_remote_id (small));

  for (guint part = 1; part <= 3; part++)
    {
      g_autoptr(SendoffPartTarget) target = run_get_target (provider, big, part, &error);

      g_assert_no_error (error);
      /* exactly what the seed demands on the PUT, and no API credential */
      g_assert_true (target->empty_content_type);
      g_assert_nonnull (soup_message_headers_get_one (target->headers, "Authorization"));
      g_assert_nonnull (soup_message_headers_get_one (target->headers, "x-amz-date"));
      g_assert_null (soup_message_headers_get_one (target->headers, "X-Access-Token"));
      g_assert_null (soup_message_headers_get_one (target->headers, "X-Client-ID"));
      g_assert_cmpuint (put_part (big, part, target, TRUE), ==, 200);
      _sendoff_item_mark_part_done (big, part);
    }
  send_all_parts (provider, small);

  g_assert_true (run_finish_item (provider, transfer, big, &error));
  g_assert_no_error (error);
  g_assert_true (run_finish_item (provider, transfer, small, &error));
  g_assert_no_error (error);
  g_assert_true (run_finish_transfer (provider, transfer, &error));
  g_assert_no_error (error);

  state = sendoff_test_sandbox_get_state (sb);
  wl_test_assert_arrived (state, files, 42);

  /* The result names the created files by the ids the server gave */
  expected = wl_test_expected_result (state, files, 42);
  g_assert_cmpstr (sendoff_transfer_get_result (transfer), ==, expected);
  g_assert_null (sendoff_transfer_get_share_url (transfer));

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_steps_part_one_refetched (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 100 }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 7);
  SendoffProvider *provider = SENDOFF_PROVIDER (wunderlist);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(SendoffPartTarget) first = NULL;
  g_autoptr(SendoffPartTarget) second = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  SendoffItem *item = item_at (transfer, 0);

  g_assert_true (run_begin (provider, transfer, &error));
  g_assert_true (run_register (provider, transfer, &error));
  g_assert_no_error (error);

  /* Part 1 comes with the upload; asking again (a retry) fetches a fresh one */
  first = run_get_target (provider, item, 1, &error);
  g_assert_no_error (error);
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (wl_test_request_count (state, "wl_parts"), ==, 0);
  g_clear_pointer (&state, json_object_unref);

  second = run_get_target (provider, item, 1, &error);
  g_assert_no_error (error);
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (wl_test_request_count (state, "wl_parts"), ==, 1);

  g_assert_cmpuint (put_part (item, 1, second, TRUE), ==, 200);

  /* there is no part 2 of a 100-byte file */
  g_clear_pointer (&first, sendoff_part_target_free);
  first = run_get_target (provider, item, 2, &error);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
  g_assert_null (first);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_steps_put_without_content_type (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 4096 }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 7);
  SendoffProvider *provider = SENDOFF_PROVIDER (wunderlist);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(SendoffPartTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  SendoffItem *item = item_at (transfer, 0);

  g_assert_true (run_begin (provider, transfer, &error));
  g_assert_true (run_register (provider, transfer, &error));
  g_assert_no_error (error);

  /* The signature covers an empty Content-Type: without it, S3 refuses */
  target = run_get_target (provider, item, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (put_part (item, 1, target, FALSE), ==, 403);
  g_clear_pointer (&target, sendoff_part_target_free);

  target = run_get_target (provider, item, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (put_part (item, 1, target, TRUE), ==, 200);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_steps_finish_without_parts (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 2048 }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 7);
  SendoffProvider *provider = SENDOFF_PROVIDER (wunderlist);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  SendoffItem *item = item_at (transfer, 0);

  g_assert_true (run_begin (provider, transfer, &error));
  g_assert_true (run_register (provider, transfer, &error));
  g_assert_no_error (error);

  /* The seed's 400, reported with the server's own words and the file */
  g_assert_false (run_finish_item (provider, transfer, item, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "There are no parts upload to finish it"));
  g_assert_nonnull (strstr (error->message, sendoff_item_get_name (item)));
  g_assert_nonnull (strstr (error->message, "400"));
  g_assert_null (strstr (error->message, "test-token"));

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (wl_test_n_files (state), ==, 0);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_steps_reset_creates_new_upload (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 7 * MIB }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 5);
  SendoffProvider *provider = SENDOFF_PROVIDER (wunderlist);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(SendoffPartTarget) target = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *abandoned = NULL;
  SendoffItem *item = item_at (transfer, 0);

  g_assert_true (run_begin (provider, transfer, &error));
  g_assert_true (run_register (provider, transfer, &error));
  g_assert_no_error (error);
  abandoned = g_strdup (_sendoff_item_get_remote_id (item));

  /* one part stored, then the upload fails: it is left behind */
  target = run_get_target (provider, item, 1, &error);
  g_assert_cmpuint (put_part (item, 1, target, TRUE), ==, 200);
  sendoff_provider_reset_item (provider, item);
  g_assert_false (_sendoff_item_is_registered (item));

  g_assert_true (run_register (provider, transfer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (_sendoff_item_get_remote_id (item), !=, abandoned);
  send_all_parts (provider, item);
  g_assert_true (run_finish_item (provider, transfer, item, &error));
  g_assert_no_error (error);
  g_assert_true (run_finish_transfer (provider, transfer, &error));
  g_assert_no_error (error);

  state = sendoff_test_sandbox_get_state (sb);
  wl_test_assert_abandoned_then_new (state, abandoned, _sendoff_item_get_remote_id (item));
  wl_test_assert_arrived (state, files, 5);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_steps_finish_item_retry (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 10 }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 5);
  SendoffProvider *provider = SENDOFF_PROVIDER (wunderlist);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  SendoffItem *item = item_at (transfer, 0);

  g_assert_true (run_begin (provider, transfer, &error));
  g_assert_true (run_register (provider, transfer, &error));
  send_all_parts (provider, item);

  /* Finishing twice (an engine retry) creates one File, not two */
  g_assert_true (run_finish_item (provider, transfer, item, &error));
  g_assert_true (run_finish_item (provider, transfer, item, &error));
  g_assert_no_error (error);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (wl_test_n_files (state), ==, 1);
  g_assert_cmpint (wl_test_request_count (state, "wl_finish"), ==, 1);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_steps_no_task (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 10 }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 0);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;

  /* Refused before anything is created on the server */
  g_assert_false (run_begin (SENDOFF_PROVIDER (wunderlist), transfer, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "task"));

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (wl_test_request_count (state, "wl_uploads"), ==, 0);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_steps_refused_credentials (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 10 }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = NULL;
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(GError) error = NULL;

  wunderlist = sendoff_wunderlist_new (sendoff_test_sandbox_get_url (sb), "wrong-token-secret",
                                       sendoff_test_sandbox_get_client_id (sb));
  sendoff_wunderlist_set_task_id (wunderlist, 3);

  g_assert_true (run_begin (SENDOFF_PROVIDER (wunderlist), transfer, &error));
  g_assert_false (run_register (SENDOFF_PROVIDER (wunderlist), transfer, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  g_assert_null (strstr (error->message, "wrong-token-secret"));
  g_assert_false (_sendoff_item_is_registered (item_at (transfer, 0)));

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_steps_pasted_token (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 10 }, 1);
  g_autoptr(SendoffWunderlist) pasted = NULL;
  g_autoptr(SendoffWunderlist) broken = NULL;
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(SendoffTransfer) other = wl_test_transfer_new (files);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_strdup_printf ("%s\n", sendoff_test_sandbox_get_access_token (sb));

  /* A line break pasted along with the token is not part of it */
  pasted = sendoff_wunderlist_new (sendoff_test_sandbox_get_url (sb), token,
                                   sendoff_test_sandbox_get_client_id (sb));
  sendoff_wunderlist_set_task_id (pasted, 3);
  g_assert_true (run_register (SENDOFF_PROVIDER (pasted), transfer, &error));
  g_assert_no_error (error);

  /* One inside it would end the header early: refused, and not shown */
  broken = sendoff_wunderlist_new (sendoff_test_sandbox_get_url (sb), "test\r\nX-Injected: 1",
                                   sendoff_test_sandbox_get_client_id (sb));
  sendoff_wunderlist_set_task_id (broken, 3);
  g_assert_false (run_register (SENDOFF_PROVIDER (broken), other, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  g_assert_null (strstr (error->message, "X-Injected"));

  g_clear_object (&transfer);
  g_clear_object (&other);
  sendoff_test_sandbox_stop (sb);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/wunderlist/steps/multi-and-single", test_steps_multi_and_single);
  g_test_add_func ("/sendoff/wunderlist/steps/part-one-refetched", test_steps_part_one_refetched);
  g_test_add_func ("/sendoff/wunderlist/steps/put-without-content-type",
                   test_steps_put_without_content_type);
  g_test_add_func ("/sendoff/wunderlist/steps/finish-without-parts",
                   test_steps_finish_without_parts);
  g_test_add_func ("/sendoff/wunderlist/steps/reset-creates-new-upload",
                   test_steps_reset_creates_new_upload);
  g_test_add_func ("/sendoff/wunderlist/steps/finish-item-retry", test_steps_finish_item_retry);
  g_test_add_func ("/sendoff/wunderlist/steps/no-task", test_steps_no_task);
  g_test_add_func ("/sendoff/wunderlist/steps/refused-credentials", test_steps_refused_credentials);
  g_test_add_func ("/sendoff/wunderlist/steps/pasted-token", test_steps_pasted_token);

  return g_test_run ();
}
