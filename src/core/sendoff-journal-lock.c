/* sendoff-journal-lock.c — one process at a time works on a journaled transfer
 *
 * A transfer's lock is an open file description lock (F_OFD_SETLK) on
 * <journal>-locks/<id>.lock, held by the process that sends, resumes or
 * discards it. The kernel holds it, so it goes when its holder exits, is
 * killed or crashes: nothing is ever left locked by a dead process, and a
 * reused pid cannot inherit it (a row with a pid in the database could do
 * both). An OFD lock, unlike a POSIX one (F_SETLK), is not dropped when the
 * same process closes another descriptor of the file, and F_OFD_GETLK tests
 * it without taking it: listing the unfinished transfers never makes
 * somebody's real attempt fail. flock() would do the first but not the
 * second. It is advisory: only Sendoff asks for it.
 *
 * The file says who holds it (pid, host, PID namespace), for the message
 * only: a process is named when it is on this host, in this PID namespace
 * and alive, else it is "another Sendoff". The holder removes the file
 * before it lets go, so files do not pile up (one left by a crash goes with
 * the next lock of its transfer); whoever locks a file checks that it is
 * still the one at its path, and starts over if a holder removed it in
 * between.
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE   /* F_OFD_SETLK */
#define G_LOG_DOMAIN "sendoff-journal"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sendoff-journal-private.h"

#define MAX_ID_LENGTH    64
#define MAX_HOLDER_TEXT  512
#define MAX_ATTEMPTS     8

struct _SendoffJournalLock
{
  char *id;
  char *path;
  int   fd;
};

/* Ids are made of a-z and 2-7; anything else cannot be in the journal, and
 * must not become a path */
static gboolean
valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static char *
lock_dir (SendoffJournal *journal)
{
  return g_strconcat (sendoff_journal_get_path (journal), "-locks", NULL);
}

static char *
lock_path (SendoffJournal *journal,
           const char     *id)
{
  g_autofree char *dir = lock_dir (journal);
  g_autofree char *name = g_strconcat (id, ".lock", NULL);

  return g_build_filename (dir, name, NULL);
}

static gboolean
set_not_found (GError     **error,
               const char  *id)
{
  g_autofree char *shown = g_strescape (id, NULL);

  g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND,
               _("No transfer “%s” in the history"), shown);
  return FALSE;
}

static gboolean
set_io_error (GError     **error,
              const char  *path,
              int          saved_errno)
{
  g_autofree char *where = g_filename_display_name (path);

  g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_DATABASE,
               _("The transfer’s lock “%s” could not be used: %s"), where,
               g_strerror (saved_errno));
  return FALSE;
}

/* private, like the journal beside it */
static gboolean
make_lock_dir (const char  *dir,
               GError     **error)
{
  if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
    return set_io_error (error, dir, errno);
  return TRUE;
}

static gboolean
set_busy (GError     **error,
          const char  *id,
          GPid         holder)
{
  if (holder > 0)
    g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY,
                 /* TRANSLATORS: a transfer's id, then a process id */
                 _("Transfer %s is being sent by another Sendoff (process %d)"), id, (int) holder);
  else
    g_set_error (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY,
                 /* TRANSLATORS: a transfer's id */
                 _("Transfer %s is being sent by another Sendoff"), id);
  return FALSE;
}

/* ---- who holds it ------------------------------------------------------ */

/* "pid:[4026531836]": a pid means something only in its own namespace */
static const char *
own_pid_namespace (void)
{
  static char *ns;

  if (g_once_init_enter (&ns))
    {
      char *link = g_file_read_link ("/proc/self/ns/pid", NULL);

      g_once_init_leave (&ns, link != NULL ? link : g_strdup (""));
    }
  return ns;
}

static void
write_holder (int fd)
{
  g_autofree char *text = g_strdup_printf ("pid=%d\nhost=%s\npidns=%s\n", (int) getpid (),
                                           g_get_host_name (), own_pid_namespace ());
  gsize len = strlen (text);

  /* for the message only: a lock without it still works */
  if (ftruncate (fd, 0) != 0 || pwrite (fd, text, len, 0) != (gssize) len)
    g_debug ("The lock's holder could not be written: %s", g_strerror (errno));
}

/* Its pid, or 0 when it cannot be known for sure */
static GPid
read_holder (int fd)
{
  char buffer[MAX_HOLDER_TEXT];
  g_auto(GStrv) lines = NULL;
  const char *host = NULL, *ns = NULL;
  gint64 pid = 0;
  gssize n;

  n = pread (fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0)
    return 0;   /* just taken: not written yet */
  buffer[n] = '\0';
  lines = g_strsplit (buffer, "\n", 8);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "pid=") &&
          !g_ascii_string_to_signed (lines[i] + 4, 10, 1, G_MAXINT, &pid, NULL))
        pid = 0;
      else if (g_str_has_prefix (lines[i], "host="))
        host = lines[i] + 5;
      else if (g_str_has_prefix (lines[i], "pidns="))
        ns = lines[i] + 6;
    }

  if (pid <= 0 || g_strcmp0 (host, g_get_host_name ()) != 0 || ns == NULL || *ns == '\0' ||
      !g_str_equal (ns, own_pid_namespace ()))
    return 0;
  if (kill ((pid_t) pid, 0) != 0 && errno != EPERM)
    return 0;
  return (GPid) pid;
}

/* ---- the lock ---------------------------------------------------------- */

static gboolean
try_lock (int fd)
{
  struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

  return fcntl (fd, F_OFD_SETLK, &lock) == 0;
}

/* A holder removes the file before it lets go: the file locked must still
 * be the one at @path, or another process may lock a new one there */
static gboolean
still_linked (int         fd,
              const char *path)
{
  struct stat held, linked;

  return fstat (fd, &held) == 0 && g_lstat (path, &linked) == 0 &&
         held.st_dev == linked.st_dev && held.st_ino == linked.st_ino;
}

SendoffJournalLock *
sendoff_journal_lock (SendoffJournal  *self,
                      const char      *id,
                      GError         **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  SendoffJournalLock *lock;
  int fd = -1;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!valid_id (id))
    {
      set_not_found (error, id);
      return NULL;
    }

  dir = lock_dir (self);
  if (!make_lock_dir (dir, error))
    return NULL;
  path = lock_path (self, id);

  for (guint attempt = 0; fd < 0; attempt++)
    {
      if (attempt == MAX_ATTEMPTS)
        {
          set_io_error (error, path, EAGAIN);
          return NULL;
        }
      if ((fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
        {
          set_io_error (error, path, errno);
          return NULL;
        }
      if (!try_lock (fd))
        {
          int saved_errno = errno;

          if (saved_errno == EAGAIN || saved_errno == EACCES)
            set_busy (error, id, read_holder (fd));
          else
            set_io_error (error, path, saved_errno);
          close (fd);
          return NULL;
        }
      if (!still_linked (fd, path))
        {
          close (fd);
          fd = -1;
        }
    }

  write_holder (fd);
  lock = g_new0 (SendoffJournalLock, 1);
  lock->id = g_strdup (id);
  lock->path = g_steal_pointer (&path);
  lock->fd = fd;
  return lock;
}

const char *
sendoff_journal_lock_get_id (SendoffJournalLock *lock)
{
  g_return_val_if_fail (lock != NULL, NULL);
  return lock->id;
}

void
sendoff_journal_lock_free (SendoffJournalLock *lock)
{
  if (lock == NULL)
    return;
  /* removed while still held: see still_linked() */
  if (g_unlink (lock->path) != 0 && errno != ENOENT)
    g_debug ("The lock “%s” could not be removed: %s", lock->path, g_strerror (errno));
  close (lock->fd);
  g_free (lock->path);
  g_free (lock->id);
  g_free (lock);
}

/* ---- looking without taking ------------------------------------------- */

gboolean
_sendoff_journal_lock_probe (SendoffJournal *self,
                             const char     *id,
                             GPid           *holder)
{
  struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  g_autofree char *path = NULL;
  gboolean locked;
  int fd;

  *holder = 0;
  if (!valid_id (id))
    return FALSE;
  path = lock_path (self, id);
  /* no file: never locked, or let go of */
  if ((fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0)) < 0)
    return FALSE;
  locked = fcntl (fd, F_OFD_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  if (locked)
    *holder = read_holder (fd);
  close (fd);
  return locked;
}

gboolean
sendoff_journal_check_unlocked (SendoffJournal  *self,
                                const char      *id,
                                GError         **error)
{
  GPid holder = 0;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_sendoff_journal_lock_probe (self, id, &holder))
    return set_busy (error, id, holder);
  return TRUE;
}

GFileMonitor *
sendoff_journal_monitor_locks (SendoffJournal  *self,
                               GError         **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (SENDOFF_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = lock_dir (self);
  if (!make_lock_dir (dir, error))
    return NULL;
  file = g_file_new_for_path (dir);
  return g_file_monitor_directory (file, G_FILE_MONITOR_NONE, NULL, error);
}
