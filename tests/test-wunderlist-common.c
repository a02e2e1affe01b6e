/* test-wunderlist-common.c — files, transfers and sandbox checks shared by the Wunderlist tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "test-wunderlist-common.h"

WlTestFiles *
wl_test_files_new (const guint64 *sizes,
                   guint          n)
{
  WlTestFiles *files = g_new0 (WlTestFiles, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new ();

  files->dir = g_dir_make_tmp ("sendoff-wunderlist-XXXXXX", &error);
  g_assert_no_error (error);
  files->n = n;
  files->names = g_new0 (char *, n + 1);
  files->paths = g_new0 (char *, n + 1);
  files->sizes = g_new0 (guint64, n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree guint32 *data = g_new (guint32, sizes[i] / 4 + 1);

      for (guint64 j = 0; j < sizes[i] / 4 + 1; j++)
        data[j] = g_rand_int (rand);
      files->names[i] = g_strdup_printf ("notes %u.txt", i + 1);
      files->paths[i] = g_build_filename (files->dir, files->names[i], NULL);
      files->sizes[i] = sizes[i];
      g_file_set_contents (files->paths[i], (const char *) data, sizes[i], &error);
      g_assert_no_error (error);
    }

  return files;
}

void
wl_test_files_free (WlTestFiles *files)
{
  for (guint i = 0; i < files->n; i++)
    g_unlink (files->paths[i]);
  g_rmdir (files->dir);
  g_strfreev (files->names);
  g_strfreev (files->paths);
  g_free (files->sizes);
  g_free (files->dir);
  g_free (files);
}

SendoffTransfer *
wl_test_transfer_new (WlTestFiles *files)
{
  SendoffTransfer *transfer = sendoff_transfer_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < files->n; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (files->paths[i]);
      g_autoptr(GFileInfo) info = NULL;
      g_autofree char *type = g_content_type_guess (files->names[i], NULL, 0, NULL);
      GDateTime *mtime;

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                G_FILE_QUERY_INFO_NONE, NULL, NULL);
      g_assert_nonnull (info);
      mtime = g_file_info_get_modification_date_time (info);
      g_ptr_array_add (items, _sendoff_item_new (file, files->names[i], files->sizes[i],
                                                 g_date_time_to_unix (mtime) * G_USEC_PER_SEC +
                                                 g_date_time_get_microsecond (mtime),
                                                 type));
      g_date_time_unref (mtime);
    }
  _sendoff_transfer_append_items (transfer, items);

  return transfer;
}

SendoffWunderlist *
wl_test_provider_new (SendoffTestSandbox *sb,
                      guint64             task_id)
{
  SendoffWunderlist *wunderlist;

  wunderlist = sendoff_wunderlist_new (sendoff_test_sandbox_get_url (sb),
                                       sendoff_test_sandbox_get_access_token (sb),
                                       sendoff_test_sandbox_get_client_id (sb));
  sendoff_wunderlist_set_task_id (wunderlist, task_id);
  return wunderlist;
}

gint64
wl_test_request_count (JsonObject *state,
                       const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (state, "requests"), name);
}

static JsonArray *
wl_array (JsonObject *state,
          const char *name)
{
  return json_object_get_array_member (json_object_get_object_member (state, "wunderlist"),
                                       name);
}

guint
wl_test_n_files (JsonObject *state)
{
  return json_array_get_length (wl_array (state, "files"));
}

static JsonObject *
find_by_id (JsonArray  *array,
            const char *member,
            gint64      id)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (json_object_get_int_member (object, member) == id)
        {
          g_assert_null (found);
          found = object;
        }
    }
  return found;
}

/* The finished upload of @name; there must be exactly one */
static JsonObject *
finished_upload (JsonObject *state,
                 const char *name)
{
  JsonArray *uploads = wl_array (state, "uploads");
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      JsonObject *upload = json_array_get_object_element (uploads, i);

      if (g_str_equal (json_object_get_string_member (upload, "file_name"), name) &&
          g_str_equal (json_object_get_string_member (upload, "state"), "finished"))
        {
          g_assert_null (found);
          found = upload;
        }
    }
  g_assert_nonnull (found);
  return found;
}

void
wl_test_assert_arrived (JsonObject  *state,
                        WlTestFiles *files,
                        guint64      task_id)
{
  for (guint i = 0; i < files->n; i++)
    {
      JsonObject *upload = finished_upload (state, files->names[i]);
      g_autofree char *sha256 = sendoff_test_sha256_file (files->paths[i]);
      g_autofree char *type = g_content_type_guess (files->names[i], NULL, 0, NULL);
      g_autofree char *mime = g_content_type_get_mime_type (type);
      JsonObject *file;

      g_assert_cmpstr (json_object_get_string_member (upload, "sha256"), ==, sha256);
      g_assert_cmpint (json_object_get_int_member (upload, "file_size"), ==, files->sizes[i]);
      g_assert_cmpstr (json_object_get_string_member (upload, "content_type"), ==, mime);

      file = find_by_id (wl_array (state, "files"), "upload_id",
                         json_object_get_int_member (upload, "id"));
      g_assert_nonnull (file);
      g_assert_cmpint (json_object_get_int_member (file, "task_id"), ==, task_id);
    }
}

char *
wl_test_expected_result (JsonObject  *state,
                         WlTestFiles *files,
                         guint64      task_id)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "Created %u %s in task %" G_GUINT64_FORMAT ": ", files->n,
                          files->n == 1 ? "file" : "files", task_id);
  for (guint i = 0; i < files->n; i++)
    {
      JsonObject *upload = finished_upload (state, files->names[i]);
      JsonObject *file = find_by_id (wl_array (state, "files"), "upload_id",
                                     json_object_get_int_member (upload, "id"));

      g_string_append_printf (text, "%s#%" G_GINT64_FORMAT " %s", i > 0 ? ", " : "",
                              json_object_get_int_member (file, "id"), files->names[i]);
    }

  return g_string_free (text, FALSE);
}

void
wl_test_assert_abandoned_then_new (JsonObject *state,
                                   const char *old_id,
                                   const char *new_id)
{
  JsonArray *uploads = wl_array (state, "uploads");
  JsonArray *created = wl_array (state, "files");
  gint64 old_number = g_ascii_strtoll (old_id, NULL, 10);
  gint64 new_number = g_ascii_strtoll (new_id, NULL, 10);
  JsonObject *old_upload = find_by_id (uploads, "id", old_number);
  JsonObject *new_upload = find_by_id (uploads, "id", new_number);

  g_assert_cmpint (old_number, !=, new_number);
  g_assert_nonnull (old_upload);
  g_assert_nonnull (new_upload);
  g_assert_cmpstr (json_object_get_string_member (old_upload, "state"), ==, "new");
  g_assert_cmpstr (json_object_get_string_member (new_upload, "state"), ==, "finished");
  g_assert_null (find_by_id (created, "upload_id", old_number));
  g_assert_nonnull (find_by_id (created, "upload_id", new_number));
}
