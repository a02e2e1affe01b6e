/* sandbox-fixture.c — start a sendoff-sandbox for a test and inspect its state
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <gio/gio.h>
#include <libsoup/soup.h>

#include "sandbox-fixture.h"

struct _SendoffTestSandbox
{
  GSubprocess *process;
  char        *url;
  char        *data_dir;
};

/* The sandbox dies with the test, even when the test aborts. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
sandbox_binary (void)
{
  const char *root = g_getenv ("SENDOFF_BUILD_ROOT");

  if (root == NULL || *root == '\0')
    g_error ("SENDOFF_BUILD_ROOT is not set; run the test through meson test");
  return g_build_filename (root, "src", "sandbox", "sendoff-sandbox", NULL);
}

SendoffTestSandbox *
sendoff_test_sandbox_start (const char *const *extra_args)
{
  SendoffTestSandbox *sb = g_new0 (SendoffTestSandbox, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = sandbox_binary ();
  g_autofree char *line = NULL;

  sb->data_dir = g_dir_make_tmp ("sendoff-sandbox-test-XXXXXX", &error);
  if (sb->data_dir == NULL)
    g_error ("Cannot make the sandbox's data dir: %s", error->message);

  g_ptr_array_add (argv, binary);
  g_ptr_array_add (argv, (char *) "--port=0");
  g_ptr_array_add (argv, (char *) "--api-key=test-key");
  g_ptr_array_add (argv, (char *) "--access-token=test-token");
  g_ptr_array_add (argv, (char *) "--client-id=test-client");
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, sb->data_dir);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sb->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                              &error);
  if (sb->process == NULL)
    g_error ("Cannot start %s: %s", binary, error->message);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sb->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening http://127.0.0.1:"))
    g_error ("sendoff-sandbox did not start: %s", error != NULL ? error->message : "no listening line");
  sb->url = g_strdup (line + strlen ("listening "));
  return sb;
}

const char *
sendoff_test_sandbox_get_url (SendoffTestSandbox *sb)
{
  return sb->url;
}

const char *
sendoff_test_sandbox_get_api_key (SendoffTestSandbox *sb)
{
  return "test-key";
}

const char *
sendoff_test_sandbox_get_access_token (SendoffTestSandbox *sb)
{
  return "test-token";
}

const char *
sendoff_test_sandbox_get_client_id (SendoffTestSandbox *sb)
{
  return "test-client";
}

const char *
sendoff_test_sandbox_get_data_dir (SendoffTestSandbox *sb)
{
  return sb->data_dir;
}

JsonObject *
sendoff_test_sandbox_get_state (SendoffTestSandbox *sb)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (sb->url, "/_sandbox/state", NULL);
  JsonNode *root;

  /* A private context: works whether or not the test runs a main loop. */
  g_main_context_push_thread_default (context);
  session = soup_session_new ();
  msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);

  if (body == NULL)
    g_error ("GET /_sandbox/state failed: %s", error->message);
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    g_error ("GET /_sandbox/state answered %u", soup_message_get_status (msg));
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), &error))
    g_error ("GET /_sandbox/state is not JSON: %s", error->message);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
remove_tree (GFile *dir)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    {
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_file_delete (child, NULL, NULL);
    }
  g_file_delete (dir, NULL, NULL);
}

void
sendoff_test_sandbox_stop (SendoffTestSandbox *sb)
{
  g_autoptr(GFile) dir = NULL;

  if (sb == NULL)
    return;
  g_subprocess_send_signal (sb->process, SIGTERM);
  g_subprocess_wait (sb->process, NULL, NULL);
  g_object_unref (sb->process);
  dir = g_file_new_for_path (sb->data_dir);
  remove_tree (dir);
  g_free (sb->data_dir);
  g_free (sb->url);
  g_free (sb);
}

char *
sendoff_test_sha256_file (const char *path)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  gssize n;

  in = g_file_read (file, NULL, &error);
  if (in == NULL)
    g_error ("Cannot read %s: %s", path, error->message);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 1024 * 1024, NULL, &error)) > 0)
    g_checksum_update (sum, buffer, n);
  if (n < 0)
    g_error ("Cannot read %s: %s", path, error->message);
  return g_strdup (g_checksum_get_string (sum));
}
