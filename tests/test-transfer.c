/* test-transfer.c — the transfer model: adding files, names, progress
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sendoff-file-collect.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"

typedef struct {
  char *dir;
} Fixture;

static void
write_file (const char *dir,
            const char *name,
            gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *data = g_malloc0 (size + 1);
  g_autoptr(GError) error = NULL;

  memset (data, 'x', size);
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sendoff-test-transfer-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autofree char *argv0 = g_strdup_printf ("rm -rf '%s'", path);
  g_assert_true (g_spawn_command_line_sync (argv0, NULL, NULL, NULL, NULL));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* Adds @paths (relative to the fixture dir) and returns what was refused. */
static GStrv
add_paths (SendoffTransfer    *transfer,
           Fixture            *f,
           const char * const *paths)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GStrv refused = NULL;

  for (guint i = 0; paths[i]; i++)
    g_ptr_array_add (files, g_file_new_build_filename (f->dir, paths[i], NULL));

  sendoff_transfer_add_files_async (transfer, (GFile **) files->pdata, files->len, NULL,
                                    added_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (sendoff_transfer_add_files_finish (transfer, result, &refused, &error));
  g_assert_no_error (error);
  g_assert_nonnull (refused);
  return refused;
}

static GStrv
item_names (SendoffTransfer *transfer)
{
  GListModel *items = sendoff_transfer_get_items (transfer);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv names;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      g_strv_builder_add (builder, sendoff_item_get_name (item));
    }

  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

static gboolean
strv_has_substring (const char * const *strv,
                    const char         *needle)
{
  for (guint i = 0; strv[i]; i++)
    if (strstr (strv[i], needle))
      return TRUE;
  return FALSE;
}

static void
test_add_files_and_folders (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_auto(GStrv) refused = NULL;
  g_auto(GStrv) names = NULL;
  const char *paths[] = { "a.txt", "Photos", "a.txt", "missing.txt", NULL };
  const char *expected[] = { "a.txt", "Photos/sub/y.jpg", "Photos/x.jpg", "Photos/zero", NULL };

  write_file (f->dir, "a.txt", 3);
  write_file (f->dir, "Photos/x.jpg", 10);
  write_file (f->dir, "Photos/sub/y.jpg", 20);
  write_file (f->dir, "Photos/zero", 0);

  refused = add_paths (transfer, f, paths);
  names = item_names (transfer);

  g_assert_cmpstrv (names, expected);
  g_assert_cmpuint (sendoff_transfer_get_size (transfer), ==, 33);
  g_assert_cmpuint (g_strv_length (refused), ==, 1);
  g_assert_nonnull (strstr (refused[0], "missing.txt"));
  g_assert_nonnull (strstr (refused[0], "does not exist"));

  /* adding the same file again is a duplicate, silently dropped */
  g_strfreev (refused);
  refused = add_paths (transfer, f, (const char *[]) { "Photos/x.jpg", NULL });
  g_assert_cmpuint (g_strv_length (refused), ==, 0);
  g_assert_cmpuint (sendoff_transfer_get_n_items (transfer), ==, 4);

  g_assert_finalize_object (g_steal_pointer (&transfer));
}

static void
test_refuse_special_files (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autofree char *fifo = g_build_filename (f->dir, "pipe", NULL);
  g_autofree char *loop_link = g_build_filename (f->dir, "Tree", "sub", "up", NULL);
  g_autofree char *self_link = g_build_filename (f->dir, "self", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "Empty", NULL);
  g_auto(GStrv) refused = NULL;
  g_auto(GStrv) names = NULL;
  const char *expected[] = { "Tree/file.txt", "Tree/sub/more.txt", NULL };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  write_file (f->dir, "Tree/file.txt", 5);
  write_file (f->dir, "Tree/sub/more.txt", 6);
  g_assert_cmpint (symlink ("..", loop_link), ==, 0);
  g_assert_cmpint (symlink ("self", self_link), ==, 0);
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);

  refused = add_paths (transfer, f, (const char *[]) { "pipe", "Tree", "self", "Empty", NULL });
  names = item_names (transfer);

  g_assert_cmpstrv (names, expected);
  g_assert_cmpuint (g_strv_length (refused), ==, 4);
  g_assert_true (strv_has_substring ((const char * const *) refused, "pipe” is not a regular file"));
  g_assert_true (strv_has_substring ((const char * const *) refused, "up” links back"));
  g_assert_true (strv_has_substring ((const char * const *) refused, "self” is a symbolic link that leads nowhere"));
  g_assert_true (strv_has_substring ((const char * const *) refused, "Empty” is an empty folder"));
}

static void
test_unreadable_file (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autofree char *path = g_build_filename (f->dir, "secret.txt", NULL);
  g_auto(GStrv) refused = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root can read any file");
      return;
    }

  write_file (f->dir, "secret.txt", 4);
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  refused = add_paths (transfer, f, (const char *[]) { "secret.txt", NULL });
  g_assert_cmpuint (sendoff_transfer_get_n_items (transfer), ==, 0);
  g_assert_true (strv_has_substring ((const char * const *) refused, "secret.txt” cannot be read"));
}

static void
test_unique_names (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_auto(GStrv) refused = NULL;
  g_auto(GStrv) names = NULL;
  const char *expected[] = { "notes.txt", "notes (2).txt", "notes (3).txt", NULL };

  write_file (f->dir, "one/notes.txt", 1);
  write_file (f->dir, "two/notes.txt", 1);
  write_file (f->dir, "three/notes.txt", 1);

  refused = add_paths (transfer, f,
                       (const char *[]) { "one/notes.txt", "two/notes.txt", "three/notes.txt", NULL });
  names = item_names (transfer);
  g_assert_cmpstrv (names, expected);
}

static void
test_effective_name (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_auto(GStrv) refused = NULL;
  g_autofree char *one = NULL, *three = NULL, *set = NULL;

  write_file (f->dir, "Report.pdf", 1);
  write_file (f->dir, "b", 1);
  write_file (f->dir, "c", 1);

  refused = add_paths (transfer, f, (const char *[]) { "Report.pdf", NULL });
  one = sendoff_transfer_dup_effective_name (transfer);
  g_assert_cmpstr (one, ==, "Report.pdf");

  g_strfreev (refused);
  refused = add_paths (transfer, f, (const char *[]) { "b", "c", NULL });
  three = sendoff_transfer_dup_effective_name (transfer);
  g_assert_cmpstr (three, ==, "3 files");

  sendoff_transfer_set_name (transfer, "  Holiday  ");
  set = sendoff_transfer_dup_effective_name (transfer);
  g_assert_cmpstr (set, ==, "Holiday");
}

static void
test_shorten_name (void)
{
  g_autoptr(GString) longname = g_string_new (NULL);
  g_autofree char *shortened = NULL;
  g_autofree char *same = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_unichar (longname, i % 2 ? 'a' : 0x00E9 /* é */);
  g_string_append (longname, ".tar.gz");

  shortened = sendoff_shorten_name (longname->str);
  g_assert_true (g_utf8_validate (shortened, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (shortened, -1), ==, SENDOFF_MAX_NAME_CHARS);
  g_assert_true (g_str_has_suffix (shortened, ".tar.gz"));
  g_assert_nonnull (strstr (shortened, "…"));

  same = sendoff_shorten_name ("short.txt");
  g_assert_cmpstr (same, ==, "short.txt");
}

static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autoptr(SendoffItem) first = NULL;
  g_autoptr(SendoffItem) second = NULL;
  g_auto(GStrv) refused = NULL;

  write_file (f->dir, "a", 100);
  write_file (f->dir, "b", 300);
  refused = add_paths (transfer, f, (const char *[]) { "a", "b", NULL });

  first = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  second = g_list_model_get_item (sendoff_transfer_get_items (transfer), 1);

  _sendoff_transfer_set_state (transfer, SENDOFF_STATE_SENDING);
  _sendoff_item_set_bytes_sent (first, 100);
  _sendoff_item_set_bytes_sent (second, 100);
  _sendoff_transfer_update_progress (transfer);
  g_assert_cmpuint (sendoff_transfer_get_bytes_sent (transfer), ==, 200);
  g_assert_cmpfloat_with_epsilon (sendoff_transfer_get_fraction (transfer), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (sendoff_item_get_fraction (second), 1.0 / 3, 1e-9);

  /* a retried part takes its bytes back */
  _sendoff_item_set_bytes_sent (second, 0);
  _sendoff_transfer_update_progress (transfer);
  g_assert_cmpfloat_with_epsilon (sendoff_transfer_get_fraction (transfer), 0.25, 1e-9);

  /* bytes-sent cannot exceed the size */
  _sendoff_item_set_bytes_sent (second, 1000);
  g_assert_cmpuint (sendoff_item_get_bytes_sent (second), ==, 300);

  _sendoff_transfer_set_state (transfer, SENDOFF_STATE_DONE);
  g_assert_cmpfloat (sendoff_transfer_get_fraction (transfer), ==, 1.0);
  g_assert_cmpint (sendoff_transfer_get_eta (transfer), ==, -1);
}

static void
test_parts (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent");
  g_autoptr(SendoffItem) item = _sendoff_item_new (file, "f", 13, 0, NULL);
  guint64 offset, length;

  _sendoff_item_set_remote (item, "id", 3, 6);
  _sendoff_item_get_part_range (item, 1, &offset, &length);
  g_assert_cmpuint (offset, ==, 0);
  g_assert_cmpuint (length, ==, 6);
  _sendoff_item_get_part_range (item, 3, &offset, &length);
  g_assert_cmpuint (offset, ==, 12);
  g_assert_cmpuint (length, ==, 1);

  _sendoff_item_mark_part_done (item, 3);
  _sendoff_item_mark_part_done (item, 3);
  g_assert_cmpuint (_sendoff_item_count_parts_done (item), ==, 1);
  g_assert_cmpuint (_sendoff_item_get_bytes_done (item), ==, 1);
  g_assert_true (_sendoff_item_part_is_done (item, 3));
  g_assert_false (_sendoff_item_part_is_done (item, 1));

  _sendoff_item_clear_remote (item);
  g_assert_false (_sendoff_item_is_registered (item));
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autoptr(SendoffItem) item = NULL;
  g_auto(GStrv) refused = NULL;

  write_file (f->dir, "a", 1);
  write_file (f->dir, "b", 2);
  refused = add_paths (transfer, f, (const char *[]) { "a", "b", NULL });
  item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  sendoff_transfer_remove_item (transfer, item);
  g_assert_cmpuint (sendoff_transfer_get_n_items (transfer), ==, 1);
  g_assert_cmpuint (sendoff_transfer_get_size (transfer), ==, 2);

  /* once removed, the same file can be added again */
  g_strfreev (refused);
  refused = add_paths (transfer, f, (const char *[]) { "a", NULL });
  g_assert_cmpuint (sendoff_transfer_get_n_items (transfer), ==, 2);

  sendoff_transfer_remove_all (transfer);
  g_assert_cmpuint (sendoff_transfer_get_n_items (transfer), ==, 0);
  g_assert_cmpuint (sendoff_transfer_get_size (transfer), ==, 0);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GPtrArray *names = user_data;

  g_ptr_array_add (names, g_strdup (pspec->name));
}

static void
test_retry_status (void)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reason = NULL;
  gint64 at = 0;
  guint attempt = 0, max = 0;

  g_assert_cmpint (sendoff_transfer_get_retry_at (transfer), ==, 0);
  g_assert_null (sendoff_transfer_get_retry_reason (transfer));
  g_signal_connect (transfer, "notify", G_CALLBACK (count_notify), names);

  _sendoff_transfer_set_retry (transfer, 123456789, 3, 10, "HTTP 503");
  g_object_get (transfer, "retry-at", &at, "retry-attempt", &attempt,
                "retry-max-attempts", &max, "retry-reason", &reason, NULL);
  g_assert_cmpint (at, ==, 123456789);
  g_assert_cmpuint (attempt, ==, 3);
  g_assert_cmpuint (max, ==, 10);
  g_assert_cmpstr (reason, ==, "HTTP 503");
  g_assert_cmpuint (names->len, ==, 4);

  /* The same status again notifies nothing */
  _sendoff_transfer_set_retry (transfer, 123456789, 3, 10, "HTTP 503");
  g_assert_cmpuint (names->len, ==, 4);

  _sendoff_transfer_clear_retry (transfer);
  g_assert_cmpint (sendoff_transfer_get_retry_at (transfer), ==, 0);
  g_assert_cmpuint (sendoff_transfer_get_retry_attempt (transfer), ==, 0);
  g_assert_cmpuint (sendoff_transfer_get_retry_max_attempts (transfer), ==, 0);
  g_assert_null (sendoff_transfer_get_retry_reason (transfer));
  g_assert_cmpuint (names->len, ==, 8);
}

static void
test_link_expiry (void)
{
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gint64 expires = -1;

  g_object_get (transfer, "link-expires-at", &expires, NULL);
  g_assert_cmpint (expires, ==, 0);
  g_signal_connect (transfer, "notify", G_CALLBACK (count_notify), names);

  _sendoff_transfer_set_link_expires_at (transfer, 1796515200);
  g_assert_cmpint (sendoff_transfer_get_link_expires_at (transfer), ==, 1796515200);
  _sendoff_transfer_set_link_expires_at (transfer, 1796515200);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (names->pdata[0], ==, "link-expires-at");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sendoff/transfer/add-files-and-folders", test_add_files_and_folders);
  ADD ("/sendoff/transfer/refuse-special-files", test_refuse_special_files);
  ADD ("/sendoff/transfer/unreadable-file", test_unreadable_file);
  ADD ("/sendoff/transfer/unique-names", test_unique_names);
  ADD ("/sendoff/transfer/effective-name", test_effective_name);
  ADD ("/sendoff/transfer/progress", test_progress);
  ADD ("/sendoff/transfer/remove", test_remove);
#undef ADD
  g_test_add_func ("/sendoff/transfer/shorten-name", test_shorten_name);
  g_test_add_func ("/sendoff/transfer/parts", test_parts);
  g_test_add_func ("/sendoff/transfer/retry-status", test_retry_status);
  g_test_add_func ("/sendoff/transfer/link-expiry", test_link_expiry);

  return g_test_run ();
}
