/* test-provider-contract.c — the engine ↔ provider contract, driven by a scripted provider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"

#include "sendoff-fake-provider.h"

#define PART (64 * 1024)

typedef struct {
  char                *dir;
  SendoffFakeProvider *fake;
  SendoffUploader     *uploader;
  GPtrArray           *retries;   /* "item part attempt/max delay reason" */
} Fixture;

static void
on_retry (SendoffUploader *uploader,
          SendoffItem     *item,
          guint            part,
          guint            attempt,
          guint            max_attempts,
          guint            delay_ms,
          const char      *reason,
          Fixture         *f)
{
  g_ptr_array_add (f->retries, g_strdup_printf ("%s %u %u/%u %s",
                                                item ? sendoff_item_get_name (item) : "-",
                                                part, attempt, max_attempts, reason));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sendoff-contract-XXXXXX", &error);
  g_assert_no_error (error);
  f->fake = sendoff_fake_provider_new ();
  f->uploader = sendoff_uploader_new (SENDOFF_PROVIDER (f->fake));
  g_object_set (f->uploader, "max-retries", 4, NULL);
  f->retries = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->uploader, "retry", G_CALLBACK (on_retry), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->retries);

  /* the storage's delayed answers to requests cut off by a cancel */
  for (gint64 end = g_get_monotonic_time () + 200 * 1000; g_get_monotonic_time () < end; )
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);

  g_assert_finalize_object (f->uploader);
  g_assert_finalize_object (f->fake);
}

static char *
make_file (Fixture    *f,
           const char *name,
           gsize       size,
           guint32     seed)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint8 *data = g_malloc (MAX (size, 1));
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  g_file_set_contents (path, (char *) data, (gssize) size, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static SendoffTransfer *
transfer_for (Fixture            *f,
              const char *const  *names,
              const gsize        *sizes)
{
  SendoffTransfer *transfer = sendoff_transfer_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) refused = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = make_file (f, names[i], sizes[i], i + 1);

      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  sendoff_transfer_add_files_async (transfer, (GFile **) files->pdata, files->len, NULL,
                                    on_done, &result);
  wait_for (&result);
  g_assert_true (sendoff_transfer_add_files_finish (transfer, result, &refused, &error));
  g_assert_no_error (error);
  return transfer;
}

static gboolean
send (Fixture          *f,
      SendoffTransfer  *transfer,
      GCancellable     *cancellable,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_uploader_send_async (f->uploader, transfer, cancellable, on_done, &result);
  wait_for (&result);
  return sendoff_uploader_send_finish (f->uploader, result, error);
}

/* Storage holds exactly the file's bytes, part by part */
static void
assert_stored (Fixture    *f,
               const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint n;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  n = (guint) MAX ((length + PART - 1) / PART, 1);
  for (guint i = 1; i <= n; i++)
    {
      GBytes *stored = sendoff_fake_provider_get_stored (f->fake, name, i);
      gsize offset = (i - 1) * PART;
      g_autoptr(GBytes) expected = g_bytes_new (contents + offset, MIN (PART, length - offset));
      g_autofree char *want = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, expected);
      g_autofree char *got = NULL;

      g_assert_nonnull (stored);
      got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, stored);
      g_assert_cmpstr (got, ==, want);
    }
  g_assert_null (sendoff_fake_provider_get_stored (f->fake, name, n + 1));
}

/* The ETags finish_item got, in part order, are the SHA-256 of each part */
static char *
expected_finish (Fixture    *f,
                 const char *name)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "finish-item %s ", name);
  for (guint i = 1; sendoff_fake_provider_get_stored (f->fake, name, i) != NULL; i++)
    {
      g_autofree char *etag = sendoff_fake_etag (sendoff_fake_provider_get_stored (f->fake,
                                                                                   name, i));
      g_string_append_printf (line, "%s%s", i > 1 ? "," : "", etag);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static guint
log_index (Fixture    *f,
           const char *line)
{
  GPtrArray *log = sendoff_fake_provider_get_log (f->fake);

  for (guint i = 0; i < log->len; i++)
    if (g_str_equal (g_ptr_array_index (log, i), line))
      return i;
  return G_MAXUINT;
}

/* ---- cases ------------------------------------------------------------- */

static void
test_receipts_in_order (Fixture       *f,
                        gconstpointer  data)
{
  const char *names[] = { "a.bin", "b.bin", NULL };
  const gsize sizes[] = { 5 * PART + 17, 1 };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;
  g_autofree char *finish_a = NULL;
  g_autofree char *finish_b = NULL;

  g_assert_true (send (f, transfer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_DONE);
  g_assert_cmpstr (sendoff_transfer_get_share_url (transfer), ==, "https://fake.example/t/1");
  assert_stored (f, "a.bin");
  assert_stored (f, "b.bin");

  finish_a = expected_finish (f, "a.bin");
  finish_b = expected_finish (f, "b.bin");
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, finish_a), ==, 1);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, finish_b), ==, 1);
  /* every receipt was taken before the item was completed */
  g_assert_cmpuint (log_index (f, "stored a.bin 6"), <, log_index (f, finish_a));
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "abort"), ==, 0);
  g_assert_cmpuint (f->retries->len, ==, 0);
}

static void
test_retry_reported (Fixture       *f,
                     gconstpointer  data)
{
  const char *names[] = { "r.bin", NULL };
  const gsize sizes[] = { 3 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;

  sendoff_fake_provider_script (f->fake, "put:2", FAKE_RETRYABLE);
  sendoff_fake_provider_script (f->fake, "put:2", FAKE_RETRYABLE);
  sendoff_fake_provider_script (f->fake, "register", FAKE_RETRYABLE);

  g_assert_true (send (f, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, "r.bin");

  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "put r.bin 2"), ==, 3);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "classify r.bin 503"), ==, 2);
  /* a fresh target for every retry */
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "target r.bin 2"), ==, 3);
  g_assert_cmpuint (f->retries->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->retries, 0), ==,
                   "- 0 2/5 register: the service is busy");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->retries, 1), "r.bin 2 2/5 "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->retries, 2), "r.bin 2 3/5 "));
  g_assert_nonnull (strstr (g_ptr_array_index (f->retries, 2), "HTTP 503"));
}

static void
test_reauthorize (Fixture       *f,
                  gconstpointer  data)
{
  const char *names[] = { "t.bin", NULL };
  const gsize sizes[] = { 2 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;

  sendoff_fake_provider_script (f->fake, "target:2", FAKE_UNAUTHORIZED);

  g_assert_true (send (f, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, "t.bin");
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "authorize"), ==, 2);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "target t.bin 2"), ==, 2);
}

static void
test_expired_target (Fixture       *f,
                     gconstpointer  data)
{
  const char *names[] = { "e.bin", NULL };
  const gsize sizes[] = { 2 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;

  sendoff_fake_provider_script (f->fake, "target:1", FAKE_EXPIRED);   /* stale before use */
  sendoff_fake_provider_script (f->fake, "put:2", FAKE_EXPIRED);      /* storage says 403 */

  g_assert_true (send (f, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, "e.bin");
  /* the stale target was never used, the refused one was replaced */
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "put e.bin 1"), ==, 1);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "target e.bin 1"), ==, 2);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "classify e.bin 403"), ==, 1);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "target e.bin 2"), ==, 2);
  g_assert_cmpuint (f->retries->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (f->retries,
                                                  "e.bin 1 2/5 the upload address expired "
                                                  "before it was used", g_str_equal, NULL));
}

static void
test_receipt_rejected (Fixture       *f,
                       gconstpointer  data)
{
  const char *names[] = { "c.bin", NULL };
  const gsize sizes[] = { 3 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;
  g_autofree char *finish = NULL;

  sendoff_fake_provider_script (f->fake, "receipt:3", FAKE_RECEIPT_REJECTED);

  g_assert_true (send (f, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, "c.bin");
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "rejected c.bin 3"), ==, 1);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "put c.bin 3"), ==, 2);
  finish = expected_finish (f, "c.bin");
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, finish), ==, 1);
  g_assert_cmpuint (f->retries->len, ==, 1);
}

static void
test_receipt_always_rejected (Fixture       *f,
                              gconstpointer  data)
{
  const char *names[] = { "x.bin", NULL };
  const gsize sizes[] = { PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    sendoff_fake_provider_script (f->fake, "receipt:1", FAKE_RECEIPT_REJECTED);

  g_assert_false (send (f, transfer, NULL, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "put x.bin 1"), ==, 5);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "finish-item x.bin MISSING"), ==, 0);
  /* not retryable: the remote upload is aborted */
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "abort"), ==, 1);
}

static void
test_in_order (Fixture       *f,
               gconstpointer  data)
{
  const char *names[] = { "o.bin", NULL };
  const gsize sizes[] = { 6 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;
  guint previous = 0;

  g_object_set (f->fake, "in-order", TRUE, NULL);
  sendoff_fake_provider_script (f->fake, "put:3", FAKE_RETRYABLE);

  g_assert_true (send (f, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, "o.bin");
  g_assert_cmpuint (sendoff_fake_provider_get_max_parallel (f->fake, "o.bin"), ==, 1);

  /* the storage saw the parts strictly in order, the retried one again first */
  for (guint i = 0; i < sendoff_fake_provider_get_log (f->fake)->len; i++)
    {
      const char *line = g_ptr_array_index (sendoff_fake_provider_get_log (f->fake), i);
      guint number;

      if (!g_str_has_prefix (line, "put o.bin "))
        continue;
      number = (guint) g_ascii_strtoull (line + strlen ("put o.bin "), NULL, 10);
      g_assert_true (number == previous || number == previous + 1);
      previous = number;
    }
  g_assert_cmpuint (previous, ==, 6);
}

/* The same file without in-order does overlap: the case above can fail */
static void
test_parallel_without_order (Fixture       *f,
                             gconstpointer  data)
{
  const char *names[] = { "p.bin", NULL };
  const gsize sizes[] = { 6 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;

  g_assert_true (send (f, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, "p.bin");
  g_assert_cmpuint (sendoff_fake_provider_get_max_parallel (f->fake, "p.bin"), >, 1);
}

static void
test_method (Fixture       *f,
             gconstpointer  data)
{
  const char *names[] = { "m.bin", NULL };
  const gsize sizes[] = { 2 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;

  g_object_set (f->fake, "method", "PATCH", NULL);

  g_assert_true (send (f, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, "m.bin");
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "PATCH m.bin 1"), ==, 1);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "PATCH m.bin 2"), ==, 1);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "PUT m.bin 1"), ==, 0);
}

static void
test_auth_refused_by_storage (Fixture       *f,
                              gconstpointer  data)
{
  const char *names[] = { "k.bin", NULL };
  const gsize sizes[] = { PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;

  sendoff_fake_provider_script (f->fake, "put:1", FAKE_AUTH_REFUSED);

  g_assert_false (send (f, transfer, NULL, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  /* at once: no retry, no re-authorization */
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "put k.bin 1"), ==, 1);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "authorize"), ==, 1);
  g_assert_cmpuint (f->retries->len, ==, 0);
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_FAILED);
}

static void
test_fatal_aborts (Fixture       *f,
                   gconstpointer  data)
{
  const char *names[] = { "f.bin", "g.bin", NULL };
  const gsize sizes[] = { 2 * PART, PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(SendoffItem) item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  g_autoptr(GError) error = NULL;

  sendoff_fake_provider_script (f->fake, "put:2", FAKE_FATAL);

  g_assert_false (send (f, transfer, NULL, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "The part is malformed"));
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "put f.bin 2"), ==, 1);
  g_assert_cmpint (sendoff_item_get_state (item), ==, SENDOFF_STATE_FAILED);
  /* the abort hook ran before the send returned, and the engine forgot
   * what it aborted */
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "abort"), ==, 1);
  g_assert_false (_sendoff_item_is_registered (item));
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_interrupt_keeps_remote_state (Fixture       *f,
                                   gconstpointer  data)
{
  const char *names[] = { "i.bin", NULL };
  const gsize sizes[] = { 40 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(SendoffItem) item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (f->fake, "in-order", TRUE, NULL);   /* slow enough to interrupt */
  g_timeout_add (100, cancel_soon, cancellable);
  g_assert_false (send (f, transfer, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_CANCELLED);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "abort"), ==, 0);
  g_assert_true (_sendoff_item_is_registered (item));
  g_assert_cmpuint (_sendoff_item_count_parts_done (item), <, 40);

  /* Discard is "for good": now the abort hook runs */
  sendoff_uploader_discard_async (f->uploader, transfer, NULL, on_done, &result);
  wait_for (&result);
  g_assert_true (sendoff_uploader_discard_finish (f->uploader, result, &error));
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "abort"), ==, 1);
  g_assert_false (_sendoff_item_is_registered (item));
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_CANCELLED);
}

static void
test_discard_failed_abort (Fixture       *f,
                           gconstpointer  data)
{
  const char *names[] = { "d.bin", NULL };
  const gsize sizes[] = { 2 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(SendoffItem) item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* retries run out on a passing failure: the remote state is kept */
  for (guint i = 0; i < 5; i++)
    sendoff_fake_provider_script (f->fake, "put:2", FAKE_RETRYABLE);
  g_assert_false (send (f, transfer, NULL, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_cmpuint (sendoff_fake_provider_count (f->fake, "abort"), ==, 0);
  g_assert_true (_sendoff_item_is_registered (item));
  g_clear_error (&error);

  /* an abort that fails leaves the state for another try */
  sendoff_fake_provider_script (f->fake, "abort", FAKE_FATAL);
  sendoff_uploader_discard_async (f->uploader, transfer, NULL, on_done, &result);
  wait_for (&result);
  g_assert_false (sendoff_uploader_discard_finish (f->uploader, result, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER);
  g_assert_true (_sendoff_item_is_registered (item));
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_FAILED);
}

static void
test_limits_create_nothing (Fixture       *f,
                            gconstpointer  data)
{
  const char *names[] = { "small.bin", "huge.bin", NULL };
  const gsize sizes[] = { 10, 3 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(GError) error = NULL;
  GPtrArray *log = sendoff_fake_provider_get_log (f->fake);

  g_object_set (f->fake, "max-size", (guint64) PART, NULL);

  g_assert_false (send (f, transfer, NULL, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "huge.bin"));
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log, 0), ==, "check-limits");
  g_assert_null (sendoff_fake_provider_get_stored (f->fake, "small.bin", 1));
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_NEW);
}

static void
test_configuration (Fixture       *f,
                    gconstpointer  data)
{
  SendoffProvider *provider = SENDOFF_PROVIDER (f->fake);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (sendoff_provider_get_id (provider), ==, "fake");
  g_assert_false (sendoff_provider_check_configuration (provider, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "bucket"));
  g_clear_error (&error);

  g_object_set (f->fake, "bucket", "b", NULL);
  g_assert_false (sendoff_provider_check_configuration (provider, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "token"));
  g_clear_error (&error);

  g_object_set (f->fake, "token", " secret\n", NULL);
  g_assert_true (sendoff_provider_check_configuration (provider, &error));
  g_assert_no_error (error);
}

static void
test_state_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  const char *names[] = { "s.bin", NULL };
  const gsize sizes[] = { 2 * PART };
  g_autoptr(SendoffTransfer) transfer = transfer_for (f, names, sizes);
  g_autoptr(SendoffItem) item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *again = NULL;

  g_assert_true (send (f, transfer, NULL, &error));
  saved = sendoff_provider_save_state (SENDOFF_PROVIDER (f->fake), transfer, item);
  g_assert_nonnull (strstr (saved, "\"etags\""));

  _sendoff_item_set_provider_data (item, NULL, NULL);
  g_assert_true (sendoff_provider_restore_state (SENDOFF_PROVIDER (f->fake), transfer, item,
                                                 saved, &error));
  g_assert_no_error (error);
  again = sendoff_provider_save_state (SENDOFF_PROVIDER (f->fake), transfer, item);
  g_assert_cmpstr (again, ==, saved);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SENDOFF_RETRY_BASE_MS", "1", TRUE);

#define ADD(path, func) \
  g_test_add ("/sendoff/provider-contract/" path, Fixture, NULL, \
              fixture_set_up, func, fixture_tear_down)
  ADD ("receipts-in-order", test_receipts_in_order);
  ADD ("retry-reported", test_retry_reported);
  ADD ("reauthorize", test_reauthorize);
  ADD ("expired-target", test_expired_target);
  ADD ("receipt-rejected", test_receipt_rejected);
  ADD ("receipt-always-rejected", test_receipt_always_rejected);
  ADD ("in-order", test_in_order);
  ADD ("parallel-without-order", test_parallel_without_order);
  ADD ("method", test_method);
  ADD ("auth-refused-by-storage", test_auth_refused_by_storage);
  ADD ("fatal-aborts", test_fatal_aborts);
  ADD ("interrupt-keeps-remote-state", test_interrupt_keeps_remote_state);
  ADD ("discard-failed-abort", test_discard_failed_abort);
  ADD ("limits-create-nothing", test_limits_create_nothing);
  ADD ("configuration", test_configuration);
  ADD ("state-round-trip", test_state_round_trip);
#undef ADD

  return g_test_run ();
}
