/* test-wunderlist-send.c — whole Wunderlist sends through the engine and sendoff-sandbox
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-fixture.h"
#include "sendoff-item-private.h"
#include "sendoff-uploader.h"
#include "sendoff-wunderlist.h"
#include "test-wunderlist-common.h"

/* ---- a provider that forgets the empty Content-Type ----------------------
 * It passes every step to a real SendoffWunderlist but clears
 * empty_content_type on the part targets: what a client that does not
 * follow the seed would send. */

#define TEST_TYPE_NO_CT_PROVIDER (test_no_ct_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestNoCtProvider, test_no_ct_provider, TEST, NO_CT_PROVIDER, GObject)

struct _TestNoCtProvider
{
  GObject          parent_instance;
  SendoffProvider *inner;
};

static void test_no_ct_provider_iface_init (SendoffProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNoCtProvider, test_no_ct_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SENDOFF_TYPE_PROVIDER,
                                                      test_no_ct_provider_iface_init))

static SendoffProvider *
inner_of (SendoffProvider *provider)
{
  return TEST_NO_CT_PROVIDER (provider)->inner;
}

typedef gboolean (*BoolFinish) (SendoffProvider *, GAsyncResult *, GError **);

static void
on_inner_bool (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BoolFinish finish = (BoolFinish) g_task_get_task_data (task);
  GError *error = NULL;

  if (finish (SENDOFF_PROVIDER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GTask *
bool_task (SendoffProvider     *provider,
           BoolFinish           finish,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_task_data (task, (gpointer) finish, NULL);
  return task;
}

static gboolean
no_ct_bool_finish (SendoffProvider  *provider,
                   GAsyncResult     *result,
                   GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
no_ct_authorize_async (SendoffProvider     *provider,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  sendoff_provider_authorize_async (inner_of (provider), cancellable, on_inner_bool,
                                    bool_task (provider, sendoff_provider_authorize_finish,
                                               cancellable, callback, user_data));
}

static void
no_ct_begin_transfer_async (SendoffProvider     *provider,
                            SendoffTransfer     *transfer,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  sendoff_provider_begin_transfer_async (inner_of (provider), transfer, cancellable, on_inner_bool,
                                         bool_task (provider,
                                                    sendoff_provider_begin_transfer_finish,
                                                    cancellable, callback, user_data));
}

static void
no_ct_register_items_async (SendoffProvider     *provider,
                            SendoffTransfer     *transfer,
                            GPtrArray           *items,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  sendoff_provider_register_items_async (inner_of (provider), transfer, items, cancellable,
                                         on_inner_bool,
                                         bool_task (provider,
                                                    sendoff_provider_register_items_finish,
                                                    cancellable, callback, user_data));
}

static void
no_ct_finish_item_async (SendoffProvider     *provider,
                         SendoffTransfer     *transfer,
                         SendoffItem         *item,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  sendoff_provider_finish_item_async (inner_of (provider), transfer, item, cancellable,
                                      on_inner_bool,
                                      bool_task (provider, sendoff_provider_finish_item_finish,
                                                 cancellable, callback, user_data));
}

static void
no_ct_finish_transfer_async (SendoffProvider     *provider,
                             SendoffTransfer     *transfer,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  sendoff_provider_finish_transfer_async (inner_of (provider), transfer, cancellable,
                                          on_inner_bool,
                                          bool_task (provider,
                                                     sendoff_provider_finish_transfer_finish,
                                                     cancellable, callback, user_data));
}

static void
on_inner_target (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendoffPartTarget *target;
  GError *error = NULL;

  target = sendoff_provider_get_part_target_finish (SENDOFF_PROVIDER (source), result, &error);
  if (target == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* the real provider asks for it; this client forgets */
  g_assert_true (target->empty_content_type);
  target->empty_content_type = FALSE;
  g_task_return_pointer (task, target, (GDestroyNotify) sendoff_part_target_free);
}

static void
no_ct_get_part_target_async (SendoffProvider     *provider,
                             SendoffItem         *item,
                             guint                part_number,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  sendoff_provider_get_part_target_async (inner_of (provider), item, part_number, cancellable,
                                          on_inner_target,
                                          g_task_new (provider, cancellable, callback, user_data));
}

static SendoffPartTarget *
no_ct_get_part_target_finish (SendoffProvider  *provider,
                              GAsyncResult     *result,
                              GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
no_ct_reset_item (SendoffProvider *provider,
                  SendoffItem     *item)
{
  sendoff_provider_reset_item (inner_of (provider), item);
}

static void
test_no_ct_provider_iface_init (SendoffProviderInterface *iface)
{
  g_autoptr(GTypeClass) inner_class = g_type_class_ref (SENDOFF_TYPE_WUNDERLIST);
  SendoffProviderInterface *inner_iface = g_type_interface_peek (inner_class,
                                                                 SENDOFF_TYPE_PROVIDER);

  iface->info = inner_iface->info;
  iface->authorize_async = no_ct_authorize_async;
  iface->authorize_finish = no_ct_bool_finish;
  iface->begin_transfer_async = no_ct_begin_transfer_async;
  iface->begin_transfer_finish = no_ct_bool_finish;
  iface->register_items_async = no_ct_register_items_async;
  iface->register_items_finish = no_ct_bool_finish;
  iface->get_part_target_async = no_ct_get_part_target_async;
  iface->get_part_target_finish = no_ct_get_part_target_finish;
  iface->finish_item_async = no_ct_finish_item_async;
  iface->finish_item_finish = no_ct_bool_finish;
  iface->finish_transfer_async = no_ct_finish_transfer_async;
  iface->finish_transfer_finish = no_ct_bool_finish;
  iface->reset_item = no_ct_reset_item;
}

static void
test_no_ct_provider_finalize (GObject *object)
{
  g_clear_object (&TEST_NO_CT_PROVIDER (object)->inner);
  G_OBJECT_CLASS (test_no_ct_provider_parent_class)->finalize (object);
}

static void
test_no_ct_provider_class_init (TestNoCtProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_no_ct_provider_finalize;
}

static void
test_no_ct_provider_init (TestNoCtProvider *self)
{
}

static SendoffProvider *
no_ct_provider_new (SendoffWunderlist *inner)
{
  TestNoCtProvider *self = g_object_new (TEST_TYPE_NO_CT_PROVIDER, NULL);

  self->inner = g_object_ref (SENDOFF_PROVIDER (inner));
  return SENDOFF_PROVIDER (self);
}

/* ---- sending ---------------------------------------------------------------- */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
send_transfer (SendoffProvider  *provider,
               SendoffTransfer  *transfer,
               guint             max_retries,
               GError          **error)
{
  g_autoptr(SendoffUploader) uploader = sendoff_uploader_new (provider);
  g_autoptr(GAsyncResult) result = NULL;

  if (max_retries > 0)
    g_object_set (uploader, "max-retries", max_retries, NULL);

  sendoff_uploader_send_async (uploader, transfer, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sendoff_uploader_send_finish (uploader, result, error);
}

static gint64
fault_count (JsonObject *state,
             const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (state, "faults"), name);
}

/* ---- tests -------------------------------------------------------------------- */

static void
test_send_multi_and_single (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 20 * MIB + 3, 1000 }, 2);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 42);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (send_transfer (SENDOFF_PROVIDER (wunderlist), transfer, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_DONE);

  state = sendoff_test_sandbox_get_state (sb);
  wl_test_assert_arrived (state, files, 42);
  expected = wl_test_expected_result (state, files, 42);
  g_assert_cmpstr (sendoff_transfer_get_result (transfer), ==, expected);
  g_assert_null (sendoff_transfer_get_share_url (transfer));

  /* Every storage PUT carried the empty Content-Type, Authorization and
   * x-amz-date the signature covers: the sandbox refused none of them. */
  g_assert_cmpint (wl_test_request_count (state, "client_errors"), ==, 0);
  g_assert_cmpint (wl_test_request_count (state, "storage_puts"), ==, 4 + 1);
  g_assert_cmpint (json_object_get_int_member (state, "storage_requests_with_secret"), ==, 0);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_send_empty_file (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 0 }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 9);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;

  /* One empty part: the upload has a part to finish with */
  g_assert_true (send_transfer (SENDOFF_PROVIDER (wunderlist), transfer, 0, &error));
  g_assert_no_error (error);

  state = sendoff_test_sandbox_get_state (sb);
  wl_test_assert_arrived (state, files, 9);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_send_without_content_type_refused (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 7 * MIB }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 42);
  g_autoptr(SendoffProvider) forgetful = no_ct_provider_new (wunderlist);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *abandoned = NULL;
  g_autoptr(SendoffItem) item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);

  /* Without the empty Content-Type every PUT is refused, retries and all */
  g_assert_false (send_transfer (forgetful, transfer, 2, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "403"));
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_FAILED);
  g_assert_cmpint (sendoff_item_get_state (item), ==, SENDOFF_STATE_FAILED);
  abandoned = g_strdup (_sendoff_item_get_remote_id (item));
  g_assert_nonnull (abandoned);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (wl_test_request_count (state, "client_errors"), >=, 3);
  g_assert_cmpuint (wl_test_n_files (state), ==, 0);
  g_clear_pointer (&state, json_object_unref);
  g_clear_error (&error);

  /* The same provider sending it as the seed says: the failed upload is
   * left behind, a new one is created and finished, the bytes arrive. */
  g_assert_true (send_transfer (SENDOFF_PROVIDER (wunderlist), transfer, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (_sendoff_item_get_remote_id (item), !=, abandoned);

  state = sendoff_test_sandbox_get_state (sb);
  wl_test_assert_abandoned_then_new (state, abandoned, _sendoff_item_get_remote_id (item));
  wl_test_assert_arrived (state, files, 42);

  g_clear_object (&item);
  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_send_survives_faults (void)
{
  /* --fail-api-rate is there for when the sandbox draws it on the
   * Wunderlist part requests too; the PUT faults are the ones counted.
   * (--drop-keepalive-rate is left out: it sometimes stalls a PUT for
   * libsoup's 60 s timeout, whatever the service.) */
  const char *const args[] = {
    "--fail-put-rate", "0.3", "--reset-put-rate", "0.2", "--fail-api-rate", "0.25",
    "--seed", "1", NULL
  };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 31 * MIB + 5, 6 * MIB,
                                                                       13 * MIB, 123, 0 }, 5);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 77);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (send_transfer (SENDOFF_PROVIDER (wunderlist), transfer, 0, &error));
  g_assert_no_error (error);

  state = sendoff_test_sandbox_get_state (sb);
  g_test_message ("faults: put_500 %" G_GINT64_FORMAT ", put_reset %" G_GINT64_FORMAT
                  ", api_503 %" G_GINT64_FORMAT ", keepalive_dropped %" G_GINT64_FORMAT,
                  fault_count (state, "put_500"), fault_count (state, "put_reset"),
                  fault_count (state, "api_503"), fault_count (state, "keepalive_dropped"));
  /* the faults happened, and were survived with identical bytes */
  g_assert_cmpint (fault_count (state, "put_500"), >, 0);
  g_assert_cmpint (fault_count (state, "put_reset"), >, 0);
  wl_test_assert_arrived (state, files, 77);
  g_assert_cmpuint (wl_test_n_files (state), ==, files->n);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

static void
test_send_short_lived_parts (void)
{
  const char *const args[] = { "--url-ttl", "8", "--latency-ms", "20", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autoptr(WlTestFiles) files = wl_test_files_new ((const guint64[]) { 25 * MIB }, 1);
  g_autoptr(SendoffWunderlist) wunderlist = wl_test_provider_new (sb, 3);
  g_autoptr(SendoffTransfer) transfer = wl_test_transfer_new (files);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;

  /* Signed headers that expire soon: part 1 from the upload is too old to
   * trust, so it is fetched again like every other part. */
  g_assert_true (send_transfer (SENDOFF_PROVIDER (wunderlist), transfer, 0, &error));
  g_assert_no_error (error);

  state = sendoff_test_sandbox_get_state (sb);
  wl_test_assert_arrived (state, files, 3);
  g_assert_cmpint (wl_test_request_count (state, "wl_parts"), >=, 5);

  g_clear_object (&transfer);
  sendoff_test_sandbox_stop (sb);
}

int
main (int   argc,
      char *argv[])
{
  /* Retries back off in milliseconds here, not seconds */
  g_setenv ("SENDOFF_RETRY_BASE_MS", "5", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/wunderlist/send/multi-and-single", test_send_multi_and_single);
  g_test_add_func ("/sendoff/wunderlist/send/empty-file", test_send_empty_file);
  g_test_add_func ("/sendoff/wunderlist/send/without-content-type-refused",
                   test_send_without_content_type_refused);
  g_test_add_func ("/sendoff/wunderlist/send/survives-faults", test_send_survives_faults);
  g_test_add_func ("/sendoff/wunderlist/send/short-lived-parts", test_send_short_lived_parts);

  return g_test_run ();
}
