/* sendoff-file-groups.h — the transfer's files as the list shows them: one row per folder
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sendoff-item.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_FILE_GROUP (sendoff_file_group_get_type ())
#define SENDOFF_TYPE_FILE_GROUPS (sendoff_file_groups_get_type ())

G_DECLARE_FINAL_TYPE (SendoffFileGroup, sendoff_file_group, SENDOFF, FILE_GROUP, GObject)
G_DECLARE_FINAL_TYPE (SendoffFileGroups, sendoff_file_groups, SENDOFF, FILE_GROUPS, GObject)

/* A dropped folder: its files (a GListModel of SendoffItem) and their sums.
 * Notifies "progress" whenever one of its files changes. */
const char   *sendoff_file_group_get_name       (SendoffFileGroup  *self);
GListModel   *sendoff_file_group_get_files      (SendoffFileGroup  *self);
guint64       sendoff_file_group_get_size       (SendoffFileGroup  *self);
guint64       sendoff_file_group_get_bytes_sent (SendoffFileGroup  *self);
/* NEW while every file is; FAILED if one failed; DONE when all are; … */
SendoffState  sendoff_file_group_get_state      (SendoffFileGroup  *self);

/* A GListModel of GObject: a SendoffItem for a file added on its own, a
 * SendoffFileGroup for the files of a folder (items named "folder/…"),
 * in the order of @items. */
SendoffFileGroups *sendoff_file_groups_new       (GListModel        *items);
void               sendoff_file_groups_set_items (SendoffFileGroups *self,
                                                  GListModel        *items);

G_END_DECLS
