/* test-hardening.c — links out of sent folders, files swapped by rename,
 * proxies between Sendoff and a loopback server
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cli-runner.h"
#include "sandbox-fixture.h"
#include "sendoff-file-collect.h"
#include "sendoff-item.h"
#include "sendoff-transfer.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"
#include "sendoff-wetransfer-v1.h"

#define MIB6 6291456

/* ---- helpers ------------------------------------------------------------ */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode) && (dir = g_dir_open (path, 0, NULL)))
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

static char *
write_file (const char *dir,
            const char *name,
            gsize       size,
            guint       seed)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char) (i * 7 + i / 4096 + seed);
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
  return path;
}

static void
symlink_in (const char *dir,
            const char *target,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (symlink (target, path), ==, 0);
}

/* Collects @path as a drop or the command line would */
static GPtrArray *
collect (const char *path,
         GStrv      *refused)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GPtrArray *items = sendoff_collect_files (&file, 1, NULL, refused, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static gboolean
has_item (GPtrArray  *items,
          const char *name)
{
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (sendoff_item_get_name (g_ptr_array_index (items, i)), name))
      return TRUE;
  return FALSE;
}

static gboolean
strv_has (GStrv       strv,
          const char *a,
          const char *b)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (strstr (strv[i], a) != NULL && strstr (strv[i], b) != NULL)
      return TRUE;
  return FALSE;
}

/* ---- links out of a sent folder ----------------------------------------- */

typedef struct {
  char *base;     /* temp dir */
  char *share;    /* base/share: the folder sent */
  char *secret;   /* base/home/.ssh/id_rsa: outside it */
} Tree;

static void
tree_init (Tree *t)
{
  g_autofree char *ssh = NULL;

  t->base = g_dir_make_tmp ("sendoff-hardening-XXXXXX", NULL);
  g_assert_nonnull (t->base);
  t->share = g_build_filename (t->base, "share", NULL);
  ssh = g_build_filename (t->base, "home", ".ssh", NULL);
  g_assert_cmpint (g_mkdir_with_parents (t->share, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (ssh, 0700), ==, 0);
  g_free (write_file (t->share, "report.txt", 100, 1));
  t->secret = write_file (ssh, "id_rsa", 400, 2);
}

static void
tree_clear (Tree *t)
{
  remove_tree (t->base);
  g_free (t->base);
  g_free (t->share);
  g_free (t->secret);
}

static void
test_link_to_outside_file (void)
{
  Tree t;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;

  tree_init (&t);
  symlink_in (t.share, t.secret, "innocent.txt");
  items = collect (t.share, &refused);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_true (has_item (items, "share/report.txt"));
  g_assert_true (strv_has (refused, "innocent.txt”", "link to a file outside the folder"));
  tree_clear (&t);
}

static void
test_link_to_outside_folder (void)
{
  Tree t;
  g_autofree char *ssh = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;

  tree_init (&t);
  ssh = g_path_get_dirname (t.secret);
  symlink_in (t.share, ssh, "keys");
  items = collect (t.share, &refused);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_false (has_item (items, "share/keys/id_rsa"));
  g_assert_true (strv_has (refused, "keys”", "link to a folder outside the folder"));
  tree_clear (&t);
}

static void
test_relative_link_up (void)
{
  Tree t;
  g_autofree char *sub = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;

  tree_init (&t);
  sub = g_build_filename (t.share, "sub", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  symlink_in (sub, "../../home/.ssh/id_rsa", "notes.txt");
  items = collect (t.share, &refused);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_true (strv_has (refused, "notes.txt”", "outside the folder"));
  tree_clear (&t);
}

static void
test_chain_of_links_out (void)
{
  Tree t;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;

  tree_init (&t);
  /* share/a → share/b (inside) → the secret (outside) */
  symlink_in (t.share, t.secret, "b.txt");
  symlink_in (t.share, "b.txt", "a.txt");
  items = collect (t.share, &refused);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_true (strv_has (refused, "a.txt”", "outside the folder"));
  g_assert_true (strv_has (refused, "b.txt”", "outside the folder"));
  tree_clear (&t);
}

static void
test_link_inside_is_sent (void)
{
  Tree t;
  g_autofree char *sub = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;

  tree_init (&t);
  sub = g_build_filename (t.share, "sub", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  symlink_in (sub, "../report.txt", "same-report.txt");
  items = collect (t.share, &refused);
  g_assert_true (refused == NULL || refused[0] == NULL);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_true (has_item (items, "share/sub/same-report.txt"));
  tree_clear (&t);
}

/* The user chose the link itself: it is followed */
static void
test_link_given_directly (void)
{
  Tree t;
  g_autofree char *link = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;

  tree_init (&t);
  symlink_in (t.base, t.secret, "chosen.txt");
  link = g_build_filename (t.base, "chosen.txt", NULL);
  items = collect (link, &refused);
  g_assert_true (refused == NULL || refused[0] == NULL);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpuint (sendoff_item_get_size (g_ptr_array_index (items, 0)), ==, 400);
  tree_clear (&t);
}

/* ---- a file swapped by rename, same size and mtime ---------------------- */

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

/* `cp -p` then `mv`: another file under the old name, with the old size
 * and modification time */
static void
swap_by_rename (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *copy = NULL;
  struct stat st;
  struct timespec times[2];

  g_assert_cmpint (stat (path, &st), ==, 0);
  copy = write_file (dir, ".swap.tmp", (gsize) st.st_size, 99);
  times[0] = st.st_atim;
  times[1] = st.st_mtim;
  g_assert_cmpint (utimensat (AT_FDCWD, copy, times, 0), ==, 0);
  g_assert_cmpint (g_rename (copy, path), ==, 0);
}

typedef struct {
  const char *path;
  gboolean    done;
} SwapData;

static void
on_bytes_sent (SendoffTransfer *transfer,
               GParamSpec      *pspec,
               SwapData        *data)
{
  if (data->done || sendoff_transfer_get_bytes_sent (transfer) == 0)
    return;
  data->done = TRUE;
  swap_by_rename (data->path);
}

static void
assert_nothing_completed (SendoffTestSandbox *sb)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
  JsonArray *transfers = json_object_get_array_member (state, "transfers");

  for (guint i = 0; i < json_array_get_length (transfers); i++)
    {
      JsonObject *transfer = json_array_get_object_element (transfers, i);
      JsonArray *items = json_object_get_array_member (transfer, "items");

      for (guint j = 0; j < json_array_get_length (items); j++)
        g_assert_false (json_object_get_boolean_member (json_array_get_object_element (items, j),
                                                        "completed"));
    }
}

static void
test_swapped_by_rename (void)
{
  const char *args[] = { "--latency-ms", "100", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-hardening-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "big.bin", 4 * MIB6 + 5, 1);
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SendoffWetransferV1) provider = NULL;
  g_autoptr(SendoffUploader) uploader = NULL;
  g_autoptr(SendoffItem) item = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SwapData data = { path, FALSE };

  sendoff_transfer_add_files_async (transfer, &file, 1, NULL, on_done, &result);
  wait_for (&result);
  g_assert_true (sendoff_transfer_add_files_finish (transfer, result, NULL, &error));
  g_clear_object (&result);
  item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);

  provider = sendoff_wetransfer_v1_new (sendoff_test_sandbox_get_url (sb),
                                        sendoff_test_sandbox_get_api_key (sb));
  uploader = sendoff_uploader_new (SENDOFF_PROVIDER (provider));
  sendoff_uploader_set_jobs (uploader, 1);
  g_signal_connect (transfer, "notify::bytes-sent", G_CALLBACK (on_bytes_sent), &data);
  sendoff_uploader_send_async (uploader, transfer, NULL, on_done, &result);
  wait_for (&result);
  g_assert_false (sendoff_uploader_send_finish (uploader, result, &error));
  g_assert_true (data.done);
  g_test_message ("%s", error->message);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, "“big.bin” changed while sending"));
  g_assert_cmpint (sendoff_item_get_state (item), ==, SENDOFF_STATE_FAILED);
  assert_nothing_completed (sb);

  g_signal_handlers_disconnect_by_data (transfer, &data);
  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static guint
puts_started (SendoffTestSandbox *sb)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
  JsonObject *requests = json_object_get_object_member (state, "requests");

  return (guint) json_object_get_int_member (requests, "storage_puts");
}

static void
test_swapped_by_rename_cli (void)
{
  const char *args[] = { "--latency-ms", "300", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-hardening-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "big.bin", 4 * MIB6 + 5, 1);
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();
  g_autoptr(SendoffTestCliProcess) process = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  sendoff_test_cli_set_api_key (cli, sendoff_test_sandbox_get_api_key (sb));
  sendoff_test_cli_setenv (cli, "GSETTINGS_BACKEND", "memory");
  process = sendoff_test_cli_spawn (cli, (const char *const[]) {
    "send", "--jobs", "1", "--api-url", sendoff_test_sandbox_get_url (sb), path, NULL });
  while (puts_started (sb) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_cmpuint (puts_started (sb), >, 0);
  swap_by_rename (path);

  sendoff_test_cli_process_wait (process, &run);
  sendoff_test_cli_assert_utf8 (&run);
  sendoff_test_cli_assert_status (&run, 1);
  g_assert_nonnull (strstr (run.err, "“big.bin” changed while sending"));
  assert_nothing_completed (sb);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* ---- no proxy for loopback --------------------------------------------- */

typedef struct {
  guint    connections;
  GString *seen;        /* every byte sent to the proxy */
} Proxy;

typedef struct {
  Proxy             *proxy;
  GSocketConnection *connection;
  char               buffer[4096];
} ProxyClient;

static void
on_proxy_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ProxyClient *client = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0)
    {
      static const char answer[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));

      /* A quick refusal, so that a client that uses the proxy fails
       * fast instead of waiting for its timeout */
      g_string_append_len (client->proxy->seen, client->buffer, n);
      g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
      g_input_stream_read_async (G_INPUT_STREAM (source), client->buffer, sizeof client->buffer,
                                 G_PRIORITY_DEFAULT, NULL, on_proxy_read, client);
      return;
    }
  g_object_unref (client->connection);
  g_free (client);
}

static gboolean
on_proxy_incoming (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source_object,
                   Proxy             *proxy)
{
  ProxyClient *client = g_new0 (ProxyClient, 1);

  proxy->connections++;
  client->proxy = proxy;
  client->connection = g_object_ref (connection);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             client->buffer, sizeof client->buffer, G_PRIORITY_DEFAULT, NULL,
                             on_proxy_read, client);
  return TRUE;
}

static char *
sandbox_sha256_of_first_file (SendoffTestSandbox *sb)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);
  JsonArray *transfers = json_object_get_array_member (state, "transfers");
  JsonObject *transfer;
  JsonObject *item;

  g_assert_cmpuint (json_array_get_length (transfers), ==, 1);
  transfer = json_array_get_object_element (transfers, 0);
  item = json_array_get_object_element (json_object_get_array_member (transfer, "items"), 0);
  g_assert_true (json_object_get_boolean_member (item, "completed"));
  return g_strdup (json_object_get_string_member (item, "sha256"));
}

/* With http_proxy set, a send to a sandbox on 127.0.0.1 never touches the
 * proxy: the API key would reach it in clear. */
static void
test_no_proxy_for_loopback (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sendoff-hardening-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "file.bin", MIB6 + 5, 3);
  g_autofree char *expected = sendoff_test_sha256_file (path);
  g_autofree char *stored = NULL;
  Proxy proxy = { 0, g_string_new (NULL) };
  SendoffTestSandbox *sb;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any_port, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_proxy_incoming), &proxy);
  g_socket_service_start (service);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u/",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_setenv ("http_proxy", proxy_url, TRUE);
  g_setenv ("HTTP_PROXY", proxy_url, TRUE);
  g_setenv ("all_proxy", proxy_url, TRUE);
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");

  sb = sendoff_test_sandbox_start (NULL);
  {
    g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(SendoffWetransferV1) provider =
      sendoff_wetransfer_v1_new (sendoff_test_sandbox_get_url (sb),
                                 sendoff_test_sandbox_get_api_key (sb));
    g_autoptr(SendoffUploader) uploader = sendoff_uploader_new (SENDOFF_PROVIDER (provider));
    g_autoptr(GAsyncResult) result = NULL;

    sendoff_transfer_add_files_async (transfer, &file, 1, NULL, on_done, &result);
    wait_for (&result);
    g_assert_true (sendoff_transfer_add_files_finish (transfer, result, NULL, &error));
    g_clear_object (&result);
    g_object_set (uploader, "max-retries", 1, NULL);
    sendoff_uploader_send_async (uploader, transfer, NULL, on_done, &result);
    wait_for (&result);
    sendoff_uploader_send_finish (uploader, result, &error);
  }
  /* let a connection that is on its way arrive */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  /* the fixture's own requests to the sandbox would go to the proxy */
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("all_proxy");

  g_test_message ("%u connections to the proxy", proxy.connections);
  g_assert_cmpuint (proxy.connections, ==, 0);
  g_assert_null (strstr (proxy.seen->str, sendoff_test_sandbox_get_api_key (sb)));
  g_assert_no_error (error);
  stored = sandbox_sha256_of_first_file (sb);
  g_assert_cmpstr (stored, ==, expected);
  g_socket_service_stop (service);
  g_string_free (proxy.seen, TRUE);
  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SENDOFF_RETRY_BASE_MS", "1", TRUE);

  /* First: GIO's default proxy resolver is made once, on first use */
  g_test_add_func ("/sendoff/hardening/no-proxy-for-loopback", test_no_proxy_for_loopback);
  g_test_add_func ("/sendoff/hardening/link-to-outside-file", test_link_to_outside_file);
  g_test_add_func ("/sendoff/hardening/link-to-outside-folder", test_link_to_outside_folder);
  g_test_add_func ("/sendoff/hardening/relative-link-up", test_relative_link_up);
  g_test_add_func ("/sendoff/hardening/chain-of-links-out", test_chain_of_links_out);
  g_test_add_func ("/sendoff/hardening/link-inside-is-sent", test_link_inside_is_sent);
  g_test_add_func ("/sendoff/hardening/link-given-directly", test_link_given_directly);
  g_test_add_func ("/sendoff/hardening/swapped-by-rename", test_swapped_by_rename);
  g_test_add_func ("/sendoff/hardening/swapped-by-rename-cli", test_swapped_by_rename_cli);

  return g_test_run ();
}
