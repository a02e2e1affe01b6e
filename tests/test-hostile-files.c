/* test-hostile-files.c — odd files: they vanish, shrink or grow while being
 * sent, cannot be read, are pipes, loop, or have names no service takes
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sandbox-fixture.h"
#include "sendoff-file-collect.h"
#include "sendoff-transfer.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"
#include "sendoff-wetransfer-v1.h"

#define MIB6 6291456

static char *
make_dir (void)
{
  char *dir = g_dir_make_tmp ("sendoff-hostile-files-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return dir;
}

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
  g_chmod (path, 0700);
  g_remove (path);
}

static char *
make_file (const char *dir,
           const char *name,
           gsize       size)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char) (i * 7 + i / 4096);
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
  return path;
}

/* Collects @path as a drop would; returns the items, sets @refused */
static GPtrArray *
collect (const char  *path,
         GStrv       *refused)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  items = sendoff_collect_files (&file, 1, NULL, refused, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static gboolean
strv_has_match (GStrv       strv,
                const char *a,
                const char *b)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (strstr (strv[i], a) != NULL && (b == NULL || strstr (strv[i], b) != NULL))
      return TRUE;
  return FALSE;
}

static void
test_fifo (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;
  gint64 start;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* nobody writes to it: opening it for reading would block forever */
  start = g_get_monotonic_time ();
  items = collect (fifo, &refused);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_true (strv_has_match (refused, "pipe”", "not a regular file"));
  remove_tree (dir);
}

static void
test_unreadable (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = make_file (dir, "secret.txt", 10);
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;

  if (geteuid () == 0)
    {
      /* root reads everything: there is nothing to refuse */
      g_test_skip ("running as root: permissions do not apply");
      remove_tree (dir);
      return;
    }

  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  items = collect (path, &refused);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_true (strv_has_match (refused, "secret.txt”", "permission denied"));
  remove_tree (dir);
}

static void
test_symlink_loop_in_folder (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *folder = g_build_filename (dir, "Photos", NULL);
  g_autofree char *a = g_build_filename (folder, "a", NULL);
  g_autofree char *b = g_build_filename (folder, "b", NULL);
  g_autofree char *up = g_build_filename (folder, "up", NULL);
  g_autofree char *good = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  good = make_file (folder, "good.jpg", 100);
  g_assert_cmpint (symlink ("b", a), ==, 0);
  g_assert_cmpint (symlink ("a", b), ==, 0);
  g_assert_cmpint (symlink ("..", up), ==, 0);   /* a folder loop too */

  items = collect (folder, &refused);
  /* the good file is kept, each loop is named; nothing hangs or repeats */
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (sendoff_item_get_name (g_ptr_array_index (items, 0)), ==, "Photos/good.jpg");
  g_assert_true (strv_has_match (refused, "Photos/a", "loop"));
  g_assert_true (strv_has_match (refused, "Photos/b", "loop"));
  g_assert_true (strv_has_match (refused, "Photos/up", NULL));
  remove_tree (dir);
}

/* ---- whole sends against the sandbox --------------------------------- */

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
transfer_for (const char *path,
              GStrv      *refused)
{
  SendoffTransfer *transfer = sendoff_transfer_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sendoff_transfer_add_files_async (transfer, &file, 1, NULL, on_done, &result);
  wait_for (&result);
  g_assert_true (sendoff_transfer_add_files_finish (transfer, result, refused, &error));
  g_assert_no_error (error);
  return transfer;
}

static gboolean
send_transfer (SendoffTestSandbox  *sb,
               SendoffTransfer     *transfer,
               GError             **error)
{
  g_autoptr(SendoffWetransferV1) provider =
    sendoff_wetransfer_v1_new (sendoff_test_sandbox_get_url (sb),
                               sendoff_test_sandbox_get_api_key (sb));
  g_autoptr(SendoffUploader) uploader = sendoff_uploader_new (SENDOFF_PROVIDER (provider));
  g_autoptr(GAsyncResult) result = NULL;

  sendoff_uploader_set_jobs (uploader, 1);
  sendoff_uploader_send_async (uploader, transfer, NULL, on_done, &result);
  wait_for (&result);
  return sendoff_uploader_send_finish (uploader, result, error);
}

typedef enum {
  CHANGE_VANISH,
  CHANGE_SHRINK,
  CHANGE_GROW,
  CHANGE_REPLACE,
} Change;

typedef struct {
  const char *path;
  Change      change;
  gboolean    done;
} ChangeData;

static void
on_bytes_sent (SendoffTransfer *transfer,
               GParamSpec      *pspec,
               ChangeData      *data)
{
  if (data->done || sendoff_transfer_get_bytes_sent (transfer) == 0)
    return;
  data->done = TRUE;

  switch (data->change)
    {
    case CHANGE_VANISH:
      g_assert_cmpint (g_unlink (data->path), ==, 0);
      break;
    case CHANGE_SHRINK:
      g_assert_cmpint (truncate (data->path, MIB6 + 10), ==, 0);
      break;
    case CHANGE_GROW:
      g_assert_cmpint (truncate (data->path, 7 * MIB6 + 1), ==, 0);
      break;
    case CHANGE_REPLACE:
      {
        /* same size, new content, a new file under the old name */
        g_autofree char *dir = g_path_get_dirname (data->path);
        g_autofree char *made = make_file (dir, "big.bin.new", 5 * MIB6 + 5);

        g_assert_cmpint (g_rename (made, data->path), ==, 0);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
changed_while_sending (gconstpointer user_data)
{
  const char *args[] = { "--latency-ms", "100", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = make_dir ();
  g_autofree char *path = make_file (dir, "big.bin", 5 * MIB6 + 5);
  g_autoptr(SendoffTransfer) transfer = transfer_for (path, NULL);
  g_autoptr(SendoffItem) item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  ChangeData data = { path, GPOINTER_TO_INT (user_data), FALSE };
  JsonArray *transfers;

  g_signal_connect (transfer, "notify::bytes-sent", G_CALLBACK (on_bytes_sent), &data);
  g_assert_false (send_transfer (sb, transfer, &error));
  g_assert_true (data.done);
  g_test_message ("%s", error->message);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, "“big.bin”"));
  g_assert_cmpint (sendoff_item_get_state (item), ==, SENDOFF_STATE_FAILED);
  g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_FAILED);

  /* never completed with mixed content */
  state = sendoff_test_sandbox_get_state (sb);
  transfers = json_object_get_array_member (state, "transfers");
  for (guint i = 0; i < json_array_get_length (transfers); i++)
    {
      JsonArray *items = json_object_get_array_member (json_array_get_object_element (transfers, i),
                                                       "items");

      for (guint j = 0; j < json_array_get_length (items); j++)
        g_assert_false (json_object_get_boolean_member (json_array_get_object_element (items, j),
                                                        "completed"));
    }

  g_signal_handlers_disconnect_by_data (transfer, &data);
  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_vanished_before_send (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = make_dir ();
  g_autofree char *path = make_file (dir, "gone.txt", 1000);
  g_autoptr(SendoffTransfer) transfer = transfer_for (path, NULL);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_false (send_transfer (sb, transfer, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "“gone.txt”"));
  /* checked before anything is created remotely */
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "transfers")),
                    ==, 0);
  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* Names the services cannot take as they are still send, and arrive
 * under a name that is valid UTF-8 and short enough. */
static void
test_odd_names (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = make_dir ();
  g_autofree char *top = g_build_filename (dir, "Folder", NULL);
  g_autofree char *long1 = g_strnfill (120, 'a');
  g_autofree char *long2 = g_strnfill (120, 'b');
  g_autofree char *c100 = g_strnfill (100, 'c');
  g_autofree char *long3 = g_strconcat ("\xc3\xa9t\xc3\xa9", c100, ".txt", NULL);
  g_autofree char *deep = g_build_filename (top, long1, long2, NULL);
  g_autofree char *long_path = NULL;
  g_autofree char *bad_path = NULL;
  g_autoptr(SendoffTransfer) transfer = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) refused = NULL;
  GListModel *items;
  JsonArray *remote;

  g_assert_cmpint (g_mkdir_with_parents (deep, 0700), ==, 0);
  long_path = make_file (deep, long3, 3000);
  /* not UTF-8: Latin-1 "café", as an old archive may leave behind */
  bad_path = make_file (top, "caf\xe9 \xff.txt", 2000);

  transfer = transfer_for (top, &refused);
  g_assert_true (refused == NULL || refused[0] == NULL);
  items = sendoff_transfer_get_items (transfer);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      const char *name = sendoff_item_get_name (item);

      g_assert_true (g_utf8_validate (name, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (name, -1), <=, SENDOFF_MAX_NAME_CHARS);
      g_assert_true (g_str_has_prefix (name, "Folder/"));
    }

  g_assert_true (send_transfer (sb, transfer, &error));
  g_assert_no_error (error);

  state = sendoff_test_sandbox_get_state (sb);
  remote = json_object_get_array_member (json_array_get_object_element (
             json_object_get_array_member (state, "transfers"), 0), "items");
  g_assert_cmpuint (json_array_get_length (remote), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *file = json_array_get_object_element (remote, i);
      const char *name = json_object_get_string_member (file, "filename");
      const char *path = json_object_get_int_member (file, "filesize") == 3000 ? long_path
                                                                                : bad_path;
      g_autofree char *sha = sendoff_test_sha256_file (path);

      g_assert_true (g_utf8_validate (name, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (name, -1), <=, SENDOFF_MAX_NAME_CHARS);
      g_assert_cmpstr (json_object_get_string_member (file, "sha256"), ==, sha);
    }
  g_assert_cmpint (json_object_get_int_member (state, "storage_requests_with_secret"), ==, 0);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SENDOFF_RETRY_BASE_MS", "1", TRUE);

  g_test_add_func ("/sendoff/hostile-files/fifo", test_fifo);
  g_test_add_func ("/sendoff/hostile-files/unreadable", test_unreadable);
  g_test_add_func ("/sendoff/hostile-files/symlink-loop-in-folder", test_symlink_loop_in_folder);
  g_test_add_func ("/sendoff/hostile-files/vanished-before-send", test_vanished_before_send);
  g_test_add_data_func ("/sendoff/hostile-files/vanished-while-sending",
                        GINT_TO_POINTER (CHANGE_VANISH), changed_while_sending);
  g_test_add_data_func ("/sendoff/hostile-files/shrunk-while-sending",
                        GINT_TO_POINTER (CHANGE_SHRINK), changed_while_sending);
  g_test_add_data_func ("/sendoff/hostile-files/grown-while-sending",
                        GINT_TO_POINTER (CHANGE_GROW), changed_while_sending);
  g_test_add_data_func ("/sendoff/hostile-files/replaced-while-sending",
                        GINT_TO_POINTER (CHANGE_REPLACE), changed_while_sending);
  g_test_add_func ("/sendoff/hostile-files/odd-names", test_odd_names);

  return g_test_run ();
}
