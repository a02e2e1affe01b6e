/* test-uploader.c — whole transfers through SendoffUploader against sendoff-sandbox
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sandbox-fixture.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"
#include "sendoff-uploader-private.h"
#include "sendoff-wetransfer-v1.h"

#define MIB6 6291456

/* The part size the sandbox and the provider agree on. Some tests use
 * small parts: the sandbox kills a "dead" kept-alive connection with a
 * shutdown, under which a multi-MiB body can stall until the 60 s timeout. */
static guint64 chunk_size = MIB6;

/* ---- helpers ---------------------------------------------------------- */

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sendoff-uploader-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

/* Writes @size pseudo-random bytes (from @seed) to @dir/@relative */
static char *
make_file (const char *dir,
           const char *relative,
           gsize       size,
           guint32     seed)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint32 *block = g_new (guint32, 16384);
  FILE *f;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  f = fopen (path, "wb");
  g_assert_nonnull (f);
  while (size > 0)
    {
      gsize n = MIN (size, 16384 * sizeof (guint32));

      for (guint i = 0; i < 16384; i++)
        block[i] = g_rand_int (rand);
      g_assert_cmpuint (fwrite (block, 1, n, f), ==, n);
      size -= n;
    }
  g_assert_cmpint (fclose (f), ==, 0);

  return g_steal_pointer (&path);
}

static gboolean
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return TRUE;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static SendoffTransfer *
transfer_for (const char *const *paths)
{
  SendoffTransfer *transfer = sendoff_transfer_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) refused = NULL;

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_path (paths[i]));

  sendoff_transfer_add_files_async (transfer, (GFile **) files->pdata, files->len, NULL,
                                    on_done, &result);
  wait_for (&result);
  g_assert_true (sendoff_transfer_add_files_finish (transfer, result, &refused, &error));
  g_assert_no_error (error);
  g_assert_true (refused == NULL || refused[0] == NULL);

  return transfer;
}

static SendoffUploader *
uploader_for (SendoffTestSandbox *sb,
              guint               jobs)
{
  g_autoptr(SendoffWetransferV1) provider =
    sendoff_wetransfer_v1_new (sendoff_test_sandbox_get_url (sb),
                               sendoff_test_sandbox_get_api_key (sb));
  SendoffUploader *uploader = sendoff_uploader_new (SENDOFF_PROVIDER (provider));

  g_object_set (provider, "chunk-size", chunk_size, NULL);
  sendoff_uploader_set_jobs (uploader, jobs);
  return uploader;
}

static gboolean
send_transfer (SendoffUploader  *uploader,
               SendoffTransfer  *transfer,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_uploader_send_async (uploader, transfer, cancellable, on_done, &result);
  wait_for (&result);
  return sendoff_uploader_send_finish (uploader, result, error);
}

static JsonArray *
state_transfers (JsonObject *state)
{
  return json_object_get_array_member (state, "transfers");
}

static gint64
state_request_count (JsonObject *state,
                     const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (state, "requests"), name);
}

static void
assert_no_secret_sent_to_storage (JsonObject *state)
{
  g_assert_cmpint (json_object_get_int_member (state, "storage_requests_with_secret"), ==, 0);
}

/* Every item of @transfer arrived complete, byte for byte, and every part
 * was stored with its exact size. */
static void
assert_arrived (SendoffTestSandbox *sb,
                SendoffTransfer    *transfer)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
  JsonArray *transfers = state_transfers (state);
  GListModel *items = sendoff_transfer_get_items (transfer);
  JsonObject *remote;
  JsonArray *remote_items;
  guint n = g_list_model_get_n_items (items);

  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_DONE);
  g_assert_cmpuint (json_array_get_length (transfers), ==, 1);
  remote = json_array_get_object_element (transfers, 0);
  g_assert_cmpstr (json_object_get_string_member (remote, "shortened_url"), ==,
                   sendoff_transfer_get_share_url (transfer));

  remote_items = json_object_get_array_member (remote, "items");
  g_assert_cmpuint (json_array_get_length (remote_items), ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      g_autofree char *path = g_file_get_path (sendoff_item_get_file (item));
      g_autofree char *sha = sendoff_test_sha256_file (path);
      JsonObject *match = NULL;
      JsonArray *parts;
      guint64 size = sendoff_item_get_size (item);

      for (guint j = 0; j < n && match == NULL; j++)
        {
          JsonObject *candidate = json_array_get_object_element (remote_items, j);
          if (g_str_equal (json_object_get_string_member (candidate, "filename"),
                           sendoff_item_get_name (item)))
            match = candidate;
        }

      g_assert_nonnull (match);
      g_assert_true (json_object_get_boolean_member (match, "completed"));
      g_assert_cmpstr (json_object_get_string_member (match, "sha256"), ==, sha);
      g_assert_cmpint (sendoff_item_get_state (item), ==, SENDOFF_STATE_DONE);
      g_assert_cmpuint (sendoff_item_get_bytes_sent (item), ==, size);

      parts = json_object_get_array_member (match, "parts");
      g_assert_cmpuint (json_array_get_length (parts), ==, size == 0 ? 1 : (size + chunk_size - 1) / chunk_size);
      for (guint p = 0; p < json_array_get_length (parts); p++)
        {
          JsonObject *part = json_array_get_object_element (parts, p);
          guint64 expected = MIN (chunk_size, size - (guint64) p * chunk_size);

          g_assert_cmpint (json_object_get_int_member (part, "size"), ==, (gint64) expected);
        }
    }

  g_assert_cmpuint (sendoff_transfer_get_bytes_sent (transfer), ==,
                    sendoff_transfer_get_size (transfer));
  assert_no_secret_sent_to_storage (state);
}

static void
send_and_check (SendoffTestSandbox *sb,
                const char *const  *paths,
                guint               jobs)
{
  g_autoptr(SendoffTransfer) transfer = transfer_for (paths);
  g_autoptr(SendoffUploader) uploader = uploader_for (sb, jobs);
  g_autoptr(GError) error = NULL;

  g_assert_true (send_transfer (uploader, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_arrived (sb, transfer);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_sizes (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = make_dir ();
  g_autofree char *f0 = make_file (dir, "empty", 0, 1);
  g_autofree char *f1 = make_file (dir, "one", 1, 2);
  g_autofree char *f6 = make_file (dir, "six", MIB6, 3);
  g_autofree char *f61 = make_file (dir, "six-and-one", MIB6 + 1, 4);
  const char *paths[] = { f0, f1, f6, f61, NULL };

  send_and_check (sb, paths, 4);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* ~50 MiB in parallel; the pool really runs several PUTs, never more than jobs */
static void
test_large_parallel (void)
{
  const char *args[] = { "--latency-ms", "30", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = make_dir ();
  g_autofree char *big = make_file (dir, "big.bin", 50 * 1024 * 1024 + 12345, 5);
  const char *paths[] = { big, NULL };
  g_autoptr(JsonObject) state = NULL;

  send_and_check (sb, paths, 3);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (json_object_get_int_member (state, "max_puts_in_flight"), ==, 3);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_jobs_one (void)
{
  const char *args[] = { "--latency-ms", "20", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = make_dir ();
  g_autofree char *a = make_file (dir, "a", 2 * MIB6 + 10, 6);
  g_autofree char *b = make_file (dir, "b", 100, 7);
  const char *paths[] = { a, b, NULL };
  g_autoptr(JsonObject) state = NULL;

  send_and_check (sb, paths, 1);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (json_object_get_int_member (state, "max_puts_in_flight"), ==, 1);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_many_small (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = make_dir ();
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("small-%03u.txt", i);
      g_ptr_array_add (paths, make_file (dir, name, (i * 37) % 5000, 100 + i));
    }
  g_ptr_array_add (paths, NULL);

  send_and_check (sb, (const char *const *) paths->pdata, 4);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* A dropped folder: nested, with non-ASCII names */
static void
test_folder (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = make_dir ();
  g_autofree char *top = g_build_filename (dir, "Dossier été", NULL);
  g_autofree char *a = make_file (top, "ü ñ.txt", 1000, 8);
  g_autofree char *b = make_file (top, "日本/データ.bin", MIB6 + 3, 9);
  g_autofree char *c = make_file (top, "a/b/c/deep ✓.dat", 7, 10);
  const char *paths[] = { top, NULL };

  g_assert_true (g_file_test (a, G_FILE_TEST_IS_REGULAR) && g_file_test (b, G_FILE_TEST_IS_REGULAR) &&
                 g_file_test (c, G_FILE_TEST_IS_REGULAR));
  g_autoptr(SendoffTransfer) transfer = transfer_for (paths);
  g_autoptr(SendoffUploader) uploader = uploader_for (sb, 4);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (sendoff_transfer_get_n_items (transfer), ==, 3);
  g_assert_true (send_transfer (uploader, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_arrived (sb, transfer);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* Every fault the sandbox can inject, at once: the bytes still arrive
 * identical and no part is stored empty or short. */
static void
test_faults (void)
{
  const char *args[] = {
    "--fail-put-rate", "0.2", "--reset-put-rate", "0.15", "--drop-keepalive-rate", "0.3",
    "--fail-api-rate", "0.2", "--url-ttl", "2", "--token-ttl-requests", "5", "--seed", "42",
    "--chunk-size", "1048576", NULL
  };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = make_dir ();
  g_autofree char *a = make_file (dir, "a.bin", 20 * 1048576 + 77, 11);
  g_autofree char *b = make_file (dir, "b.bin", 1048576, 12);
  g_autofree char *c = make_file (dir, "c.txt", 10, 13);
  g_autofree char *d = make_file (dir, "d.txt", 0, 14);
  const char *paths[] = { a, b, c, d, NULL };
  g_autoptr(JsonObject) state = NULL;
  JsonObject *faults;

  chunk_size = 1048576;
  send_and_check (sb, paths, 4);
  chunk_size = MIB6;

  state = sendoff_test_sandbox_get_state (sb);
  faults = json_object_get_object_member (state, "faults");
  /* The faults really happened */
  g_assert_cmpint (json_object_get_int_member (faults, "put_500"), >, 0);
  g_assert_cmpint (json_object_get_int_member (faults, "api_503"), >, 0);
  g_assert_cmpint (json_object_get_int_member (faults, "put_reset") +
                   json_object_get_int_member (faults, "keepalive_dropped"), >, 0);
  g_assert_cmpint (state_request_count (state, "authorize"), >, 1);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* libsoup re-sends a PUT by itself when a kept-alive connection died, and
 * would send it empty: the engine gives it its body again. */
static void
test_dead_keepalive (void)
{
  const char *args[] = { "--drop-keepalive-rate", "0.6", "--seed", "7",
                         "--chunk-size", "262144", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = make_dir ();
  g_autofree char *a = make_file (dir, "a.bin", 30 * 262144 + 1, 20);
  g_autofree char *b = make_file (dir, "b.bin", 3000, 21);
  const char *paths[] = { a, b, NULL };
  g_autoptr(JsonObject) state = NULL;

  chunk_size = 262144;
  send_and_check (sb, paths, 2);
  chunk_size = MIB6;

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (state, "faults"),
                                               "keepalive_dropped"), >, 0);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_wrong_key (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = make_dir ();
  g_autofree char *a = make_file (dir, "a", 10, 15);
  const char *paths[] = { a, NULL };
  g_autoptr(SendoffTransfer) transfer = transfer_for (paths);
  g_autoptr(SendoffWetransferV1) provider =
    sendoff_wetransfer_v1_new (sendoff_test_sandbox_get_url (sb), "not-the-key");
  g_autoptr(SendoffUploader) uploader = sendoff_uploader_new (SENDOFF_PROVIDER (provider));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;

  g_assert_false (send_transfer (uploader, transfer, NULL, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  g_assert_null (strstr (error->message, "not-the-key"));
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_FAILED);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (json_array_get_length (state_transfers (state)), ==, 0);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* A file that changed after it was added is refused before anything is
 * created on the server. */
static void
test_changed_before_send (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = make_dir ();
  g_autofree char *a = make_file (dir, "a", 1000, 16);
  const char *paths[] = { a, NULL };
  g_autoptr(SendoffTransfer) transfer = transfer_for (paths);
  g_autoptr(SendoffUploader) uploader = uploader_for (sb, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;
  /* the file changes after it was added, before Send */
  g_autofree char *rewritten = make_file (dir, "a", 999, 17);

  g_assert_cmpstr (rewritten, ==, a);
  g_assert_false (send_transfer (uploader, transfer, NULL, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“a”"));

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (json_array_get_length (state_transfers (state)), ==, 0);
  g_assert_cmpint (state_request_count (state, "total"), ==, 0);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

typedef struct {
  const char *path;
  gboolean    done;
} ChangeData;

static void
on_bytes_sent_change_file (SendoffTransfer *transfer,
                           GParamSpec      *pspec,
                           ChangeData      *data)
{
  FILE *f;

  if (data->done || sendoff_transfer_get_bytes_sent (transfer) == 0)
    return;

  data->done = TRUE;
  f = fopen (data->path, "ab");
  g_assert_nonnull (f);
  fputs ("more", f);
  fclose (f);
}

static void
test_changed_while_sending (void)
{
  const char *args[] = { "--latency-ms", "100", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = make_dir ();
  g_autofree char *a = make_file (dir, "growing.log", 6 * MIB6, 18);
  const char *paths[] = { a, NULL };
  g_autoptr(SendoffTransfer) transfer = transfer_for (paths);
  g_autoptr(SendoffUploader) uploader = uploader_for (sb, 1);
  g_autoptr(SendoffItem) item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  g_autoptr(GError) error = NULL;
  ChangeData data = { a, FALSE };

  g_signal_connect (transfer, "notify::bytes-sent", G_CALLBACK (on_bytes_sent_change_file), &data);
  g_assert_false (send_transfer (uploader, transfer, NULL, &error));
  g_assert_true (data.done);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, "changed while sending"));
  g_assert_cmpint (sendoff_item_get_state (item), ==, SENDOFF_STATE_FAILED);
  g_assert_cmpstr (sendoff_item_get_error (item), ==, error->message);
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_FAILED);

  g_signal_handlers_disconnect_by_data (transfer, &data);
  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

typedef struct {
  GCancellable *cancellable;
  gint64        cancelled_at;
  guint64       sent_at_cancel;
} CancelData;

static void
on_bytes_sent_cancel (SendoffTransfer *transfer,
                      GParamSpec      *pspec,
                      CancelData      *data)
{
  if (data->cancelled_at == 0 && sendoff_transfer_get_bytes_sent (transfer) > 2 * MIB6)
    {
      data->cancelled_at = g_get_monotonic_time ();
      data->sent_at_cancel = sendoff_transfer_get_bytes_sent (transfer);
      g_cancellable_cancel (data->cancellable);
    }
}

/* The server notices closed connections on its own time */
static JsonObject *
state_when_idle (SendoffTestSandbox *sb)
{
  for (guint i = 0; i < 100; i++)
    {
      JsonObject *state = sendoff_test_sandbox_get_state (sb);

      if (json_object_get_int_member (state, "puts_in_flight") == 0)
        return state;
      json_object_unref (state);
      g_usleep (20000);
    }
  g_assert_not_reached ();
}

static gint64
total_puts (JsonObject *state)
{
  JsonArray *transfers = state_transfers (state);
  gint64 total = 0;

  for (guint t = 0; t < json_array_get_length (transfers); t++)
    {
      JsonArray *items = json_object_get_array_member (json_array_get_object_element (transfers, t),
                                                       "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonArray *parts = json_object_get_array_member (json_array_get_object_element (items, i),
                                                           "parts");
          for (guint p = 0; p < json_array_get_length (parts); p++)
            total += json_object_get_int_member (json_array_get_object_element (parts, p), "puts");
        }
    }

  return total;
}

/* Cancel stops at once; sending again continues where it stopped */
static void
test_cancel_and_resume (void)
{
  const char *args[] = { "--latency-ms", "200", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = make_dir ();
  g_autofree char *a = make_file (dir, "a.bin", 12 * MIB6 + 5, 19);
  const char *paths[] = { a, NULL };
  g_autoptr(SendoffTransfer) transfer = transfer_for (paths);
  g_autoptr(SendoffUploader) uploader = uploader_for (sb, 2);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelData data = { cancellable, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  gint64 puts_before;
  gulong id;

  id = g_signal_connect (transfer, "notify::bytes-sent", G_CALLBACK (on_bytes_sent_cancel),
                         &data);
  g_assert_false (send_transfer (uploader, transfer, cancellable, &error));
  g_signal_handler_disconnect (transfer, id);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_CANCELLED);
  /* At once, not after the parts in flight are answered (each answer
   * waits 200 ms): a part in flight at the cancel is not counted as
   * stored, its bytes are taken back. (No clock is asserted against
   * those 200 ms: on a loaded machine the cancel itself can take longer;
   * the bound below only catches a cancel that hangs.) */
  g_assert_cmpint (data.cancelled_at, >, 0);
  g_assert_cmpuint (sendoff_transfer_get_bytes_sent (transfer), <, data.sent_at_cancel);
  g_assert_cmpint (g_get_monotonic_time () - data.cancelled_at, <, 10 * G_USEC_PER_SEC);

  before = state_when_idle (sb);
  puts_before = total_puts (before);
  g_assert_cmpint (puts_before, >, 0);
  g_assert_cmpint (puts_before, <, 13);

  g_clear_error (&error);
  g_assert_true (send_transfer (uploader, transfer, NULL, &error));
  g_assert_no_error (error);
  assert_arrived (sb, transfer);

  /* Parts stored before the cancel were not sent again (only those in
   * flight at the cancel may be) */
  after = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (state_request_count (after, "storage_puts") -
                   state_request_count (before, "storage_puts"), <=, 13 - puts_before + 2);
  g_assert_cmpuint (json_array_get_length (state_transfers (after)), ==, 1);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_backoff (void)
{
  for (guint attempt = 1; attempt <= 12; attempt++)
    for (guint i = 0; i < 200; i++)
      {
        guint64 ceiling = MIN ((guint64) 250 << (attempt - 1), 20000);
        guint delay = _sendoff_backoff_delay_ms (attempt, 250, -1);

        g_assert_cmpuint (delay, <=, ceiling);
      }

  /* Full jitter really spreads the delays */
  {
    guint low = 0;

    for (guint i = 0; i < 200; i++)
      if (_sendoff_backoff_delay_ms (5, 250, -1) < 2000)
        low++;
    g_assert_cmpuint (low, >, 20);
    g_assert_cmpuint (low, <, 180);
  }

  g_assert_cmpuint (_sendoff_backoff_delay_ms (1, 250, 7), >=, 7000);
  g_assert_cmpuint (_sendoff_backoff_delay_ms (1, 250, 3600), <=, 60000);
  g_assert_cmpuint (_sendoff_backoff_delay_ms (3, 0, -1), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Fault tests should not wait for real backoff delays */
  g_setenv ("SENDOFF_RETRY_BASE_MS", "5", TRUE);

  g_test_add_func ("/sendoff/uploader/backoff", test_backoff);
  g_test_add_func ("/sendoff/uploader/sizes", test_sizes);
  g_test_add_func ("/sendoff/uploader/large-parallel", test_large_parallel);
  g_test_add_func ("/sendoff/uploader/jobs-one", test_jobs_one);
  g_test_add_func ("/sendoff/uploader/many-small", test_many_small);
  g_test_add_func ("/sendoff/uploader/folder", test_folder);
  g_test_add_func ("/sendoff/uploader/faults", test_faults);
  g_test_add_func ("/sendoff/uploader/dead-keepalive", test_dead_keepalive);
  g_test_add_func ("/sendoff/uploader/wrong-key", test_wrong_key);
  g_test_add_func ("/sendoff/uploader/changed-before-send", test_changed_before_send);
  g_test_add_func ("/sendoff/uploader/changed-while-sending", test_changed_while_sending);
  g_test_add_func ("/sendoff/uploader/cancel-and-resume", test_cancel_and_resume);

  return g_test_run ();
}
