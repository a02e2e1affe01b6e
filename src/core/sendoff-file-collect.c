/* sendoff-file-collect.c — turn dropped files and folders into items
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-collect"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sendoff-file-collect.h"
#include "sendoff-item-private.h"

#define QUERY_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC "," \
  G_FILE_ATTRIBUTE_ACCESS_CAN_READ "," \
  G_FILE_ATTRIBUTE_UNIX_DEVICE "," \
  G_FILE_ATTRIBUTE_UNIX_INODE

typedef struct {
  GPtrArray  *items;
  GPtrArray  *refused;
  GHashTable *seen_files;    /* path → NULL */
  GHashTable *seen_dirs;     /* "dev:inode" → NULL, catches symlink loops */
  char       *root;          /* resolved path of the folder being walked */
} Collect;

typedef struct {
  GFile **files;
  guint   n_files;
  GStrv   refused;
} CollectTask;

static void
collect_task_free (CollectTask *ct)
{
  for (guint i = 0; i < ct->n_files; i++)
    g_object_unref (ct->files[i]);
  g_free (ct->files);
  g_strfreev (ct->refused);
  g_free (ct);
}

char *
sendoff_shorten_name (const char *name)
{
  glong len = g_utf8_strlen (name, -1);
  glong keep_head, keep_tail;
  const char *tail;

  if (len <= SENDOFF_MAX_NAME_CHARS)
    return g_strdup (name);

  /* keep the end, where the extension is, and the start; "…" between */
  keep_tail = (SENDOFF_MAX_NAME_CHARS - 1) / 3;
  keep_head = SENDOFF_MAX_NAME_CHARS - 1 - keep_tail;
  tail = g_utf8_offset_to_pointer (name, len - keep_tail);

  {
    g_autofree char *head = g_utf8_substring (name, 0, keep_head);

    return g_strconcat (head, "…", tail, NULL);
  }
}

/* A macro, so that the format stays a literal the compiler can check */
#define refuse(c, file, format) \
  G_STMT_START { \
    g_autofree char *shown_ = g_file_get_parse_name (file); \
    g_ptr_array_add ((c)->refused, g_strdup_printf (format, shown_)); \
  } G_STMT_END

static void
refuse_error (Collect      *c,
              GFile        *file,
              const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    refuse (c, file, _("“%s” does not exist"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS))
    refuse (c, file, _("“%s” is a loop of symbolic links"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    refuse (c, file, _("“%s” cannot be read: permission denied"));
  else
    {
      g_autofree char *shown = g_file_get_parse_name (file);

      g_ptr_array_add (c->refused,
                       g_strdup_printf (_("“%s” cannot be read: %s"), shown, error->message));
    }
}

static char *
file_key (GFile *file)
{
  char *path = g_file_get_path (file);

  return path ? path : g_file_get_uri (file);
}

static int
compare_infos (gconstpointer a,
               gconstpointer b)
{
  GFileInfo *ia = *(GFileInfo **) a;
  GFileInfo *ib = *(GFileInfo **) b;

  return g_utf8_collate (g_file_info_get_display_name (ia), g_file_info_get_display_name (ib));
}

/* A link inside a sent folder may lead anywhere (`ln -s ~/.ssh/id_rsa
 * share/notes.txt`): what it resolves to must lie inside the folder the
 * user chose. Refuses and returns TRUE when it does not. A broken link is
 * left to collect_one(), which says so. */
static gboolean
link_leaves_root (Collect *c,
                  GFile   *link)
{
  g_autofree char *path = g_file_get_path (link);
  g_autofree char *target = NULL;
  gsize root_len;

  if (c->root == NULL || path == NULL || (target = realpath (path, NULL)) == NULL)
    return FALSE;

  root_len = strlen (c->root);
  if (g_str_equal (c->root, "/") ||
      (strncmp (target, c->root, root_len) == 0 &&
       (target[root_len] == '\0' || target[root_len] == '/')))
    return FALSE;

  if (g_file_test (target, G_FILE_TEST_IS_DIR))
    refuse (c, link, _("“%s” is a link to a folder outside the folder; it is not sent"));
  else
    refuse (c, link, _("“%s” is a link to a file outside the folder; it is not sent"));
  return TRUE;
}

static void collect_one (Collect      *c,
                         GFile        *file,
                         const char   *name,
                         GCancellable *cancellable);

static void
collect_dir (Collect      *c,
             GFile        *dir,
             GFileInfo    *info,
             const char   *name,
             GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_id = NULL;
  guint n_before = c->items->len;
  guint n_refused_before = c->refused->len;
  GFileInfo *child;

  dir_id = g_strdup_printf ("%u:%" G_GUINT64_FORMAT,
                            g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_DEVICE),
                            g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE));
  if (g_hash_table_contains (c->seen_dirs, dir_id))
    {
      /* a symbolic link back up the tree; the same folder given twice is
       * just a duplicate */
      if (strchr (name, '/') != NULL)
        refuse (c, dir, _("“%s” links back to a folder that is already being sent"));
      return;
    }
  g_hash_table_add (c->seen_dirs, g_steal_pointer (&dir_id));

  enumerator = g_file_enumerate_children (dir,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK,
                                          G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (enumerator == NULL)
    {
      refuse_error (c, dir, error);
      return;
    }

  while ((child = g_file_enumerator_next_file (enumerator, cancellable, &error)))
    g_ptr_array_add (children, child);
  if (error != NULL)
    {
      refuse_error (c, dir, error);
      return;
    }

  g_ptr_array_sort (children, compare_infos);
  for (guint i = 0; i < children->len; i++)
    {
      GFileInfo *ci = g_ptr_array_index (children, i);
      g_autoptr(GFile) cf = g_file_get_child (dir, g_file_info_get_name (ci));
      g_autofree char *child_name = g_strdup_printf ("%s/%s", name,
                                                     g_file_info_get_display_name (ci));

      if (g_cancellable_is_cancelled (cancellable))
        return;
      if (g_file_info_get_is_symlink (ci) && link_leaves_root (c, cf))
        continue;
      collect_one (c, cf, child_name, cancellable);
    }

  if (c->items->len == n_before && c->refused->len == n_refused_before &&
      strchr (name, '/') == NULL)
    refuse (c, dir, _("“%s” is an empty folder"));
}

static void
collect_one (Collect      *c,
             GFile        *file,
             const char   *name,
             GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  info = g_file_query_info (file, QUERY_ATTRIBUTES, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        refuse_error (c, file, error);
      return;
    }

  if (name == NULL)
    name = g_file_info_get_display_name (info);

  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_DIRECTORY:
      if (c->root == NULL)
        {
          /* A folder the user chose: links may not lead out of it. The
           * folder itself may be a link; the user chose that too. */
          g_autofree char *path = g_file_get_path (file);

          c->root = path ? realpath (path, NULL) : NULL;
          collect_dir (c, file, info, name, cancellable);
          g_clear_pointer (&c->root, free);
        }
      else
        collect_dir (c, file, info, name, cancellable);
      return;

    case G_FILE_TYPE_REGULAR:
      break;

    case G_FILE_TYPE_SYMBOLIC_LINK:
      /* following it failed: dangling, or a loop of links */
      refuse (c, file, _("“%s” is a symbolic link that leads nowhere (broken or a loop)"));
      return;

    case G_FILE_TYPE_SPECIAL:
      refuse (c, file, _("“%s” is not a regular file (a pipe, device or socket)"));
      return;

    default:
      refuse (c, file, _("“%s” is not a regular file"));
      return;
    }

  key = file_key (file);
  if (g_hash_table_contains (c->seen_files, key))
    return;

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      refuse (c, file, _("“%s” cannot be read: permission denied"));
      return;
    }

  {
    g_autofree char *shown_name = sendoff_shorten_name (name);
    gint64 mtime = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED)
                   * G_USEC_PER_SEC
                   + g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
    const char *content_type = g_file_info_get_content_type (info);
    g_autofree char *mime = content_type ? g_content_type_get_mime_type (content_type) : NULL;

    g_autofree char *path = g_file_get_path (file);
    SendoffItem *item;
    struct stat st;

    item = _sendoff_item_new (file, shown_name, (guint64) g_file_info_get_size (info),
                              mtime, mime);
    /* Device and inode tell a file swapped by rename from the original */
    if (path != NULL && g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
      {
        SendoffFileIdentity identity;

        _sendoff_file_identity_from_stat (&identity, &st);
        _sendoff_item_set_identity (item, &identity);
      }
    g_hash_table_add (c->seen_files, g_steal_pointer (&key));
    g_ptr_array_add (c->items, item);
  }
}

GPtrArray *
sendoff_collect_files (GFile        **files,
                       guint          n_files,
                       GCancellable  *cancellable,
                       GStrv         *refused,
                       GError       **error)
{
  Collect c = {
    .items = g_ptr_array_new_with_free_func (g_object_unref),
    .refused = g_ptr_array_new_with_free_func (g_free),
    .seen_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .seen_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };

  for (guint i = 0; i < n_files; i++)
    collect_one (&c, files[i], NULL, cancellable);

  g_hash_table_unref (c.seen_files);
  g_hash_table_unref (c.seen_dirs);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_ptr_array_unref (c.items);
      g_ptr_array_unref (c.refused);
      return NULL;
    }

  g_ptr_array_add (c.refused, NULL);
  if (refused != NULL)
    *refused = (GStrv) g_ptr_array_free (c.refused, FALSE);
  else
    g_ptr_array_unref (c.refused);

  return c.items;
}

static void
collect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CollectTask *ct = task_data;
  GError *error = NULL;
  GPtrArray *items;

  items = sendoff_collect_files (ct->files, ct->n_files, cancellable, &ct->refused, &error);
  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

void
sendoff_collect_files_async (GFile               **files,
                             guint                 n_files,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CollectTask *ct = g_new0 (CollectTask, 1);

  ct->files = g_new (GFile *, MAX (n_files, 1));
  ct->n_files = n_files;
  for (guint i = 0; i < n_files; i++)
    ct->files[i] = g_object_ref (files[i]);

  g_task_set_source_tag (task, sendoff_collect_files_async);
  g_task_set_task_data (task, ct, (GDestroyNotify) collect_task_free);
  g_task_run_in_thread (task, collect_thread);
}

GPtrArray *
sendoff_collect_files_finish (GAsyncResult  *result,
                              GStrv         *refused,
                              GError       **error)
{
  GPtrArray *items;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  items = g_task_propagate_pointer (G_TASK (result), error);
  if (items != NULL && refused != NULL)
    {
      CollectTask *ct = g_task_get_task_data (G_TASK (result));
      *refused = g_steal_pointer (&ct->refused);
    }

  return items;
}
