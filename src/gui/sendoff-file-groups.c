/* sendoff-file-groups.c — the transfer's files as the list shows them: one row per folder
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <string.h>

#include "sendoff-file-groups.h"

/* ---- one folder ----------------------------------------------------- */

struct _SendoffFileGroup
{
  GObject     parent_instance;

  char       *name;
  GListStore *files;
};

G_DEFINE_FINAL_TYPE (SendoffFileGroup, sendoff_file_group, G_TYPE_OBJECT)

enum {
  GROUP_PROP_0,
  GROUP_PROP_PROGRESS,
  GROUP_N_PROPS
};

static GParamSpec *group_properties[GROUP_N_PROPS];

static void
on_file_notify (SendoffFileGroup *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), group_properties[GROUP_PROP_PROGRESS]);
}

static void
sendoff_file_group_dispose (GObject *object)
{
  SendoffFileGroup *self = (SendoffFileGroup *)object;
  guint n = self->files ? g_list_model_get_n_items (G_LIST_MODEL (self->files)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      g_signal_handlers_disconnect_by_func (item, on_file_notify, self);
    }
  g_clear_object (&self->files);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (sendoff_file_group_parent_class)->dispose (object);
}

static void
sendoff_file_group_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case GROUP_PROP_PROGRESS:
      g_value_set_uint64 (value, sendoff_file_group_get_bytes_sent (SENDOFF_FILE_GROUP (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_file_group_class_init (SendoffFileGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sendoff_file_group_dispose;
  object_class->get_property = sendoff_file_group_get_property;

  group_properties[GROUP_PROP_PROGRESS] =
    g_param_spec_uint64 ("progress", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, GROUP_N_PROPS, group_properties);
}

static void
sendoff_file_group_init (SendoffFileGroup *self)
{
  self->files = g_list_store_new (SENDOFF_TYPE_ITEM);
}

static SendoffFileGroup *
sendoff_file_group_new (const char *name)
{
  SendoffFileGroup *self = g_object_new (SENDOFF_TYPE_FILE_GROUP, NULL);

  self->name = g_strdup (name);
  return self;
}

static void
sendoff_file_group_set_files (SendoffFileGroup *self,
                              GPtrArray        *files)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));
  gboolean same = n == files->len;

  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      same = item == g_ptr_array_index (files, i);
    }
  /* Unchanged: the expanded rows stay as they are */
  if (same)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      g_signal_handlers_disconnect_by_func (item, on_file_notify, self);
    }
  for (guint i = 0; i < files->len; i++)
    g_signal_connect_object (g_ptr_array_index (files, i), "notify",
                             G_CALLBACK (on_file_notify), self, G_CONNECT_SWAPPED);

  g_list_store_splice (self->files, 0, n, files->pdata, files->len);
  on_file_notify (self);
}

const char *
sendoff_file_group_get_name (SendoffFileGroup *self)
{
  g_return_val_if_fail (SENDOFF_IS_FILE_GROUP (self), NULL);
  return self->name;
}

GListModel *
sendoff_file_group_get_files (SendoffFileGroup *self)
{
  g_return_val_if_fail (SENDOFF_IS_FILE_GROUP (self), NULL);
  return G_LIST_MODEL (self->files);
}

guint64
sendoff_file_group_get_size (SendoffFileGroup *self)
{
  guint64 size = 0;

  g_return_val_if_fail (SENDOFF_IS_FILE_GROUP (self), 0);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->files)); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      size += sendoff_item_get_size (item);
    }
  return size;
}

guint64
sendoff_file_group_get_bytes_sent (SendoffFileGroup *self)
{
  guint64 sent = 0;

  g_return_val_if_fail (SENDOFF_IS_FILE_GROUP (self), 0);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->files)); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      sent += sendoff_item_get_bytes_sent (item);
    }
  return sent;
}

SendoffState
sendoff_file_group_get_state (SendoffFileGroup *self)
{
  guint n_new = 0, n_done = 0, n_moving = 0, n_retrying = 0, n_stopped = 0, n_failed = 0;
  guint n;

  g_return_val_if_fail (SENDOFF_IS_FILE_GROUP (self), SENDOFF_STATE_NEW);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->files));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      switch (sendoff_item_get_state (item))
        {
        case SENDOFF_STATE_NEW:       n_new++; break;
        case SENDOFF_STATE_DONE:      n_done++; break;
        case SENDOFF_STATE_SENDING:   n_moving++; break;
        case SENDOFF_STATE_RETRYING:  n_retrying++; break;
        case SENDOFF_STATE_CANCELLED: n_stopped++; break;
        case SENDOFF_STATE_FAILED:    n_failed++; break;
        case SENDOFF_STATE_WAITING:
        default:                      break;
        }
    }

  if (n_failed > 0)
    return SENDOFF_STATE_FAILED;
  if (n_retrying > 0)
    return SENDOFF_STATE_RETRYING;
  if (n_moving > 0)
    return SENDOFF_STATE_SENDING;
  if (n_stopped > 0)
    return SENDOFF_STATE_CANCELLED;
  if (n_done == n && n > 0)
    return SENDOFF_STATE_DONE;
  if (n_new == n)
    return SENDOFF_STATE_NEW;
  return SENDOFF_STATE_WAITING;
}

/* ---- the list of rows ------------------------------------------------- */

struct _SendoffFileGroups
{
  GObject     parent_instance;

  GListModel *items;
  GPtrArray  *rows;     /* SendoffItem or SendoffFileGroup */
};

static void sendoff_file_groups_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SendoffFileGroups, sendoff_file_groups, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sendoff_file_groups_list_model_init))

static GType
sendoff_file_groups_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
sendoff_file_groups_get_n_items (GListModel *model)
{
  return SENDOFF_FILE_GROUPS (model)->rows->len;
}

static gpointer
sendoff_file_groups_get_item (GListModel *model,
                              guint       position)
{
  SendoffFileGroups *self = SENDOFF_FILE_GROUPS (model);

  if (position >= self->rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
sendoff_file_groups_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sendoff_file_groups_get_item_type;
  iface->get_n_items = sendoff_file_groups_get_n_items;
  iface->get_item = sendoff_file_groups_get_item;
}

/* "photos/trip/y.jpg" → "photos"; NULL for a file on its own */
static char *
dup_folder_name (SendoffItem *item)
{
  const char *name = sendoff_item_get_name (item);
  const char *slash = strchr (name, '/');

  return slash != NULL ? g_strndup (name, slash - name) : NULL;
}

static SendoffFileGroup *
find_group (GPtrArray  *rows,
            const char *name)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GObject *row = g_ptr_array_index (rows, i);

      if (SENDOFF_IS_FILE_GROUP (row) &&
          g_str_equal (sendoff_file_group_get_name (SENDOFF_FILE_GROUP (row)), name))
        return SENDOFF_FILE_GROUP (row);
    }
  return NULL;
}

/* The rows are rebuilt on every change of the list (adding, removing),
 * never on progress; a folder keeps its row object, so its expander too. */
static void
rebuild (SendoffFileGroups *self)
{
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->rows);
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  guint n = self->items ? g_list_model_get_n_items (self->items) : 0;
  guint first_change = 0;

  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (self->items, i);
      g_autofree char *folder = dup_folder_name (item);
      GPtrArray *group_files;

      if (folder == NULL)
        {
          g_ptr_array_add (self->rows, g_object_ref (item));
          continue;
        }

      group_files = g_hash_table_lookup (files, folder);
      if (group_files == NULL)
        {
          SendoffFileGroup *group = find_group (old, folder);

          group = group != NULL ? g_object_ref (group) : sendoff_file_group_new (folder);
          g_ptr_array_add (self->rows, group);
          group_files = g_ptr_array_new ();
          g_hash_table_insert (files, g_strdup (folder), group_files);
        }
      g_ptr_array_add (group_files, item);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->rows, i);

      if (SENDOFF_IS_FILE_GROUP (row))
        sendoff_file_group_set_files (SENDOFF_FILE_GROUP (row),
                                      g_hash_table_lookup (files,
                                                           SENDOFF_FILE_GROUP (row)->name));
    }

  /* Rows before the first difference stay: adding files keeps the list still */
  while (first_change < old->len && first_change < self->rows->len &&
         g_ptr_array_index (old, first_change) == g_ptr_array_index (self->rows, first_change))
    first_change++;

  if (first_change < old->len || first_change < self->rows->len)
    g_list_model_items_changed (G_LIST_MODEL (self), first_change, old->len - first_change,
                                self->rows->len - first_change);
}

static void
on_items_changed (SendoffFileGroups *self)
{
  rebuild (self);
}

static void
sendoff_file_groups_dispose (GObject *object)
{
  SendoffFileGroups *self = (SendoffFileGroups *)object;

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, on_items_changed, self);
  g_clear_object (&self->items);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sendoff_file_groups_parent_class)->dispose (object);
}

static void
sendoff_file_groups_class_init (SendoffFileGroupsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sendoff_file_groups_dispose;
}

static void
sendoff_file_groups_init (SendoffFileGroups *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

SendoffFileGroups *
sendoff_file_groups_new (GListModel *items)
{
  SendoffFileGroups *self = g_object_new (SENDOFF_TYPE_FILE_GROUPS, NULL);

  sendoff_file_groups_set_items (self, items);
  return self;
}

void
sendoff_file_groups_set_items (SendoffFileGroups *self,
                               GListModel        *items)
{
  g_return_if_fail (SENDOFF_IS_FILE_GROUPS (self));
  g_return_if_fail (items == NULL || G_IS_LIST_MODEL (items));

  if (self->items == items)
    return;

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, on_items_changed, self);
  g_set_object (&self->items, items);
  if (items != NULL)
    g_signal_connect_object (items, "items-changed", G_CALLBACK (on_items_changed), self,
                             G_CONNECT_SWAPPED);
  rebuild (self);
}
