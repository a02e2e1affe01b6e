/* test-stall.c — servers that drip their answers or never answer: the
 * attempt fails after the stall window and the send recovers, or fails
 * with a sentence when nothing ever moves; never a hang
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sandbox-fixture.h"
#include "sendoff-http.h"
#include "sendoff-item.h"
#include "sendoff-transfer.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"
#include "sendoff-wetransfer-v1.h"

#define MIB6 6291456
/* SENDOFF_STALL_TIMEOUT, set in main() */
#define WINDOW_S 2

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

static char *
write_file (const char *dir,
            gsize       size)
{
  char *path = g_build_filename (dir, "data.bin", NULL);
  g_autofree char *data = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char) (i * 13 + i / 1000);
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
  return path;
}

typedef struct {
  gboolean  ok;
  GError   *error;
  double    seconds;
  guint     retries;
} Outcome;

/* Sends a file of three parts to a sandbox started with @args */
static void
send_through (SendoffTestSandbox *sb,
              const char         *path,
              Outcome            *outcome)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SendoffWetransferV1) provider =
    sendoff_wetransfer_v1_new (sendoff_test_sandbox_get_url (sb),
                               sendoff_test_sandbox_get_api_key (sb));
  g_autoptr(SendoffUploader) uploader = sendoff_uploader_new (SENDOFF_PROVIDER (provider));
  g_autoptr(SendoffItem) item = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  sendoff_transfer_add_files_async (transfer, &file, 1, NULL, on_done, &result);
  wait_for (&result);
  g_assert_true (sendoff_transfer_add_files_finish (transfer, result, NULL, &error));
  g_clear_object (&result);

  sendoff_uploader_set_jobs (uploader, 2);
  start = g_get_monotonic_time ();
  sendoff_uploader_send_async (uploader, transfer, NULL, on_done, &result);
  wait_for (&result);
  outcome->ok = sendoff_uploader_send_finish (uploader, result, &outcome->error);
  outcome->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  outcome->retries = sendoff_item_get_retries (item);
  g_test_message ("%s after %.1f s, %u retries%s%s", outcome->ok ? "sent" : "failed",
                  outcome->seconds, outcome->retries, outcome->error ? ": " : "",
                  outcome->error ? outcome->error->message : "");
}

static gint64
fault_count (SendoffTestSandbox *sb,
             const char         *name)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);

  return json_object_get_int_member (json_object_get_object_member (state, "faults"), name);
}

static void
assert_stored (SendoffTestSandbox *sb,
               const char         *path)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
  JsonArray *transfers = json_object_get_array_member (state, "transfers");
  g_autofree char *expected = sendoff_test_sha256_file (path);
  JsonObject *item;

  g_assert_cmpuint (json_array_get_length (transfers), ==, 1);
  item = json_array_get_object_element (
    json_object_get_array_member (json_array_get_object_element (transfers, 0), "items"), 0);
  g_assert_true (json_object_get_boolean_member (item, "completed"));
  g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, expected);
}

typedef struct {
  const char *args[12];
  const char *fault;     /* the sandbox's count that must have fired */
} Case;

/* Some answers drip or never come: those attempts fail after the window,
 * and the file arrives whole */
static void
test_recovers (gconstpointer data)
{
  const Case *c = data;
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (c->args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-stall-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, 2 * MIB6 + 5);
  Outcome outcome = { 0 };

  send_through (sb, path, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_cmpint (fault_count (sb, c->fault), >=, 1);
  assert_stored (sb, path);
  /* every stalled attempt costs about one window, not libsoup's minute */
  g_assert_cmpfloat (outcome.seconds, <, 12 * WINDOW_S);

  sendoff_test_sandbox_stop (sb);
  g_unlink (path);
  g_rmdir (dir);
}

/* Nothing ever moves: the send fails with the sentence, in bounded time */
static void
test_gives_up (gconstpointer data)
{
  const Case *c = data;
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (c->args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-stall-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, 10);
  Outcome outcome = { 0 };

  send_through (sb, path, &outcome);
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_nonnull (strstr (outcome.error->message, "The server sent nothing for 2 seconds"));
  g_assert_nonnull (strstr (outcome.error->message, "giving up"));
  g_assert_cmpint (fault_count (sb, c->fault), >=, 1);
  /* 4 windows without progress, plus a tick and the retry delays */
  g_assert_cmpfloat (outcome.seconds, >=, 4 * WINDOW_S - 1);
  g_assert_cmpfloat (outcome.seconds, <, 8 * WINDOW_S);

  g_clear_error (&outcome.error);
  sendoff_test_sandbox_stop (sb);
  g_unlink (path);
  g_rmdir (dir);
}

static const Case api_body_dripped = {
  { "--drip", "2", "--drip-phase", "body", "--drip-api-rate", "0.5", "--seed", "7", NULL },
  "drip" };
static const Case api_status_dripped = {
  { "--drip", "2", "--drip-phase", "status", "--drip-api-rate", "0.5", "--seed", "7", NULL },
  "drip" };
static const Case put_headers_dripped = {
  { "--drip", "2", "--drip-phase", "headers", "--drip-put-rate", "0.5", "--seed", "7", NULL },
  "drip" };
static const Case put_stalled = {
  { "--stall-put-rate", "0.5", "--seed", "7", NULL }, "stall" };
static const Case api_stalled = {
  { "--stall-api-rate", "0.5", "--seed", "1", NULL }, "stall" };
static const Case server_stalled = { { "--stall", NULL }, "stall" };
static const Case every_answer_dripped = { { "--drip", "2", NULL }, "drip" };

/* The API helper alone: a dripped answer fails after the window, unless
 * the request was given a longer one (S3's slow CompleteMultipartUpload) */
static GBytes *
get_index (SendoffTestSandbox  *sb,
           guint                window_ms,
           GError             **error)
{
  g_autoptr(SoupSession) session = sendoff_http_session_new (1);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", sendoff_test_sandbox_get_url (sb));
  g_autoptr(GAsyncResult) result = NULL;

  if (window_ms > 0)
    sendoff_http_message_set_stall_window (msg, window_ms);
  sendoff_http_send_and_read_async (session, msg, 4096, "Reading the index", NULL, on_done,
                                    &result);
  wait_for (&result);
  return sendoff_http_send_and_read_finish (session, result, error);
}

static void
test_http_window (void)
{
  const char *args[] = { "--drip", "40", "--drip-phase", "body", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  body = get_index (sb, 0, &error);
  g_assert_null (body);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_cmpstr (error->message, ==, "The server sent nothing for 2 seconds");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  g_clear_error (&error);

  body = get_index (sb, 30 * 1000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (body, NULL), "sendoff-sandbox:"));
  g_assert_cmpint (fault_count (sb, "drip"), ==, 2);

  sendoff_test_sandbox_stop (sb);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SENDOFF_RETRY_BASE_MS", "1", TRUE);
  g_setenv ("SENDOFF_STALL_TIMEOUT", G_STRINGIFY (WINDOW_S), TRUE);

  g_test_add_func ("/sendoff/stall/http-window", test_http_window);
  g_test_add_data_func ("/sendoff/stall/api-body-dripped", &api_body_dripped, test_recovers);
  g_test_add_data_func ("/sendoff/stall/api-status-dripped", &api_status_dripped,
                        test_recovers);
  g_test_add_data_func ("/sendoff/stall/put-headers-dripped", &put_headers_dripped,
                        test_recovers);
  g_test_add_data_func ("/sendoff/stall/put-stalled", &put_stalled, test_recovers);
  g_test_add_data_func ("/sendoff/stall/api-stalled", &api_stalled, test_recovers);
  g_test_add_data_func ("/sendoff/stall/server-stalled", &server_stalled, test_gives_up);
  g_test_add_data_func ("/sendoff/stall/every-answer-dripped", &every_answer_dripped,
                        test_gives_up);

  return g_test_run ();
}
