/* sendoff-file-collect.h — turn dropped files and folders into items
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Longest name the services accept (WeTransfer: under 255 characters). */
#define SENDOFF_MAX_NAME_CHARS 254

/* Checks and expands @files in a worker thread. Folders are walked
 * recursively; their files are named "Folder/sub/file". Files that cannot
 * be sent are left out and described, one translated sentence naming the
 * file each, in @refused. Returns a GPtrArray of new SendoffItem, in order,
 * without duplicates (possibly empty); NULL only when cancelled. */
void       sendoff_collect_files_async  (GFile               **files,
                                         guint                 n_files,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GPtrArray *sendoff_collect_files_finish (GAsyncResult         *result,
                                         GStrv                *refused,
                                         GError              **error);
/* The same, blocking (for the CLI). */
GPtrArray *sendoff_collect_files        (GFile               **files,
                                         guint                 n_files,
                                         GCancellable         *cancellable,
                                         GStrv                *refused,
                                         GError              **error);

/* @name shortened in the middle to SENDOFF_MAX_NAME_CHARS, if longer. */
char      *sendoff_shorten_name         (const char           *name);

G_END_DECLS
