/* sendoff-cli-input.c — what sendoff-cli reads besides files: standard input, secrets, exclusions
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sendoff-cli-input.h"

#include "sendoff-types.h"

#define SPOOL_CHUNK (256 * 1024)

static gboolean
copy_stdin (int            fd,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *buffer = g_malloc (SPOOL_CHUNK);

  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, buffer, SPOOL_CHUNK);
      ssize_t done = 0;

      if (n < 0 && errno == EINTR && !g_cancellable_is_cancelled (cancellable))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (n == 0)
        return TRUE;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not read standard input: %s"), g_strerror (saved));
          return FALSE;
        }
      while (done < n)
        {
          ssize_t w = write (fd, buffer + done, n - done);

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              int saved = errno;
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           _("Could not keep standard input in %s: %s"),
                           g_get_tmp_dir (), g_strerror (saved));
              return FALSE;
            }
          done += w;
        }
    }
}

SendoffCliSpool *
sendoff_cli_spool_stdin (const char    *name,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(SendoffCliSpool) spool = g_new0 (SendoffCliSpool, 1);
  g_autofree char *file = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  spool->fd = -1;
  if (*name == '\0' || strchr (name, '/') != NULL || g_str_equal (name, ".") ||
      g_str_equal (name, ".."))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("“%s” cannot name the file read from standard input"), name);
      return NULL;
    }

  spool->fd = g_file_open_tmp ("sendoff-stdin-XXXXXX", &file, error);
  if (spool->fd < 0)
    return NULL;
  g_unlink (file);

  if (!copy_stdin (spool->fd, cancellable, error))
    return NULL;

  spool->dir = g_dir_make_tmp ("sendoff-stdin-XXXXXX", error);
  if (spool->dir == NULL)
    return NULL;
  spool->path = g_build_filename (spool->dir, name, NULL);
  target = g_strdup_printf ("/proc/%d/fd/%d", (int) getpid (), spool->fd);
  if (symlink (target, spool->path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not keep standard input in %s: %s"), spool->dir, g_strerror (saved));
      return NULL;
    }

  return g_steal_pointer (&spool);
}

static void
spool_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  SendoffCliSpool *spool = sendoff_cli_spool_stdin (task_data, cancellable, &error);

  if (spool == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, spool, (GDestroyNotify) sendoff_cli_spool_free);
}

void
sendoff_cli_spool_stdin_async (const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sendoff_cli_spool_stdin_async);
  g_task_set_task_data (task, g_strdup (name), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, spool_thread);
}

SendoffCliSpool *
sendoff_cli_spool_stdin_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sendoff_cli_spool_free (SendoffCliSpool *spool)
{
  if (spool == NULL)
    return;
  if (spool->path != NULL)
    g_unlink (spool->path);
  if (spool->dir != NULL)
    g_rmdir (spool->dir);
  if (spool->fd >= 0)
    close (spool->fd);
  g_free (spool->path);
  g_free (spool->dir);
  g_free (spool);
}

void
sendoff_cli_secrets_free (char **secrets)
{
  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    explicit_bzero (secrets[i], strlen (secrets[i]));
  g_strfreev (secrets);
}

char **
sendoff_cli_read_secret_fd (int      fd,
                            guint    n_secrets,
                            GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char **secrets = NULL;
  char buffer[1024];
  char **lines;
  guint found = 0;

  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          explicit_bzero (text->str, text->len);
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("Could not read the secrets from file descriptor %d: %s"),
                       fd, g_strerror (saved));
          return NULL;
        }
      if (n == 0 || text->len > 64 * 1024)
        break;
      g_string_append_len (text, buffer, n);
    }
  explicit_bzero (buffer, sizeof buffer);
  close (fd);

  lines = g_strsplit (text->str, "\n", -1);
  explicit_bzero (text->str, text->len);
  secrets = g_new0 (char *, n_secrets + 1);
  for (guint i = 0; lines[i] != NULL && found < n_secrets; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        secrets[found++] = g_strdup (lines[i]);
    }
  sendoff_cli_secrets_free (lines);

  if (found < n_secrets)
    {
      sendoff_cli_secrets_free (secrets);
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "File descriptor %d gave %u of the %u secret needed, one a line",
                                "File descriptor %d gave %u of the %u secrets needed, one a line",
                                n_secrets),
                   fd, found, n_secrets);
      return NULL;
    }

  return secrets;
}

gboolean
sendoff_cli_excluded (const char         *relative,
                      const char * const *globs)
{
  if (globs == NULL)
    return FALSE;

  for (guint i = 0; globs[i] != NULL; i++)
    {
      g_autoptr(GPatternSpec) spec = g_pattern_spec_new (globs[i]);
      g_auto(GStrv) parts = g_strsplit (relative, "/", -1);

      /* Every tail of the path from a component on */
      for (const char *p = relative; p != NULL; p = strchr (p, '/') ? strchr (p, '/') + 1 : NULL)
        if (g_pattern_spec_match_string (spec, p))
          return TRUE;
      for (guint j = 0; parts[j] != NULL; j++)
        if (g_pattern_spec_match_string (spec, parts[j]))
          return TRUE;
    }

  return FALSE;
}
