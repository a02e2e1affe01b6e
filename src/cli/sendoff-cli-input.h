/* sendoff-cli-input.h — what sendoff-cli reads besides files: standard input, secrets, exclusions
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Standard input spooled to a file in $TMPDIR that is unlinked at once
 * (nothing stays behind, even after kill -9); @path is a link named after
 * the file to send, in a private folder, that reaches it while the
 * program runs. */
typedef struct {
  int   fd;
  char *dir;
  char *path;
} SendoffCliSpool;

SendoffCliSpool *sendoff_cli_spool_stdin (const char       *name,
                                          GCancellable     *cancellable,
                                          GError          **error);
/* The same in a thread; cancelling returns at once (the thread may stay
 * blocked on standard input until the program exits) */
void             sendoff_cli_spool_stdin_async  (const char          *name,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
SendoffCliSpool *sendoff_cli_spool_stdin_finish (GAsyncResult        *result,
                                                 GError             **error);
/* Removes the link and its folder, closes the spooled file */
void             sendoff_cli_spool_free  (SendoffCliSpool  *spool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffCliSpool, sendoff_cli_spool_free)

/* Reads @n_secrets lines from file descriptor @fd (to its end), then
 * closes it. Lines lose their line end and surrounding blanks. Returns a
 * NULL-terminated array to free with sendoff_cli_secrets_free() (wipes). */
char           **sendoff_cli_read_secret_fd (int          fd,
                                             guint        n_secrets,
                                             GError     **error);
void             sendoff_cli_secrets_free   (char       **secrets);

/* TRUE when @relative ("Folder/sub/file.tmp") matches one of @globs:
 * the whole path, any one of its components ("*.tmp", ".git"), or any
 * tail of it from a component on ("sub" "/" "*.tmp"). */
gboolean         sendoff_cli_excluded       (const char         *relative,
                                             const char * const *globs);

G_END_DECLS
