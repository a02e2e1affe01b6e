/* sendoff-file-slice.c — a GInputStream over one byte range of a file
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-file-slice"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sendoff-file-slice.h"
#include "sendoff-types.h"

/* libsoup copies bodies 8 KiB at a time: read ahead in bigger steps so a
 * part costs a few hundred pread() calls, not thousands. */
#define READ_AHEAD_SIZE (256 * 1024)

struct _SendoffFileSlice
{
  GInputStream  parent_instance;

  int           fd;
  guint64       offset;
  guint64       length;
  guint64       position;   /* bytes handed to the reader */

  guint8       *buffer;
  gsize         buffer_start;
  gsize         buffer_end;

  SendoffFileSliceReadFunc read_func;
  gpointer                 read_data;
};

G_DEFINE_FINAL_TYPE (SendoffFileSlice, sendoff_file_slice, G_TYPE_INPUT_STREAM)

static gssize
pread_full (SendoffFileSlice  *self,
            guint8            *dest,
            gsize              count,
            GCancellable      *cancellable,
            GError           **error)
{
  gssize n;

  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      n = pread (self->fd, dest, count, (off_t) (self->offset + self->position));
    }
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not read the file: %s"), g_strerror (saved_errno));
      return -1;
    }

  if (n == 0)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED,
                   _("The file became shorter while it was being sent"));
      return -1;
    }

  return n;
}

static void
handed_over (SendoffFileSlice *self,
             gsize             n)
{
  self->position += n;
  if (self->read_func != NULL)
    self->read_func (n, self->read_data);
}

static gssize
sendoff_file_slice_read (GInputStream  *stream,
                         void          *dest,
                         gsize          count,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SendoffFileSlice *self = SENDOFF_FILE_SLICE (stream);
  guint64 remaining = self->length - self->position;
  gssize n;

  if (remaining == 0 || count == 0)
    return 0;

  count = (gsize) MIN ((guint64) count, remaining);

  if (self->buffer_start == self->buffer_end)
    {
      /* Big reads go straight to the caller */
      if (count >= READ_AHEAD_SIZE / 2)
        {
          n = pread_full (self, dest, count, cancellable, error);
          if (n > 0)
            handed_over (self, n);
          return n;
        }

      if (self->buffer == NULL)
        self->buffer = g_malloc (READ_AHEAD_SIZE);

      n = pread_full (self, self->buffer, (gsize) MIN ((guint64) READ_AHEAD_SIZE, remaining),
                      cancellable, error);
      if (n < 0)
        return -1;
      self->buffer_start = 0;
      self->buffer_end = n;
    }

  count = MIN (count, self->buffer_end - self->buffer_start);
  memcpy (dest, self->buffer + self->buffer_start, count);
  self->buffer_start += count;
  handed_over (self, count);

  return count;
}

static gboolean
sendoff_file_slice_close (GInputStream  *stream,
                          GCancellable  *cancellable,
                          GError       **error)
{
  SendoffFileSlice *self = SENDOFF_FILE_SLICE (stream);

  if (self->fd >= 0)
    {
      g_close (self->fd, NULL);
      self->fd = -1;
    }
  g_clear_pointer (&self->buffer, g_free);

  return TRUE;
}

static void
sendoff_file_slice_finalize (GObject *object)
{
  SendoffFileSlice *self = SENDOFF_FILE_SLICE (object);

  if (self->fd >= 0)
    g_close (self->fd, NULL);
  g_free (self->buffer);

  G_OBJECT_CLASS (sendoff_file_slice_parent_class)->finalize (object);
}

static void
sendoff_file_slice_class_init (SendoffFileSliceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = sendoff_file_slice_finalize;
  stream_class->read_fn = sendoff_file_slice_read;
  stream_class->close_fn = sendoff_file_slice_close;
}

static void
sendoff_file_slice_init (SendoffFileSlice *self)
{
  self->fd = -1;
}

GInputStream *
sendoff_file_slice_new (int       fd,
                        guint64   offset,
                        guint64   length,
                        GError  **error)
{
  SendoffFileSlice *self;
  int copy;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (offset <= G_MAXINT64 && length <= G_MAXINT64 - offset, NULL);

  copy = fcntl (fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not read the file: %s"), g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (SENDOFF_TYPE_FILE_SLICE, NULL);
  self->fd = copy;
  self->offset = offset;
  self->length = length;

  return G_INPUT_STREAM (self);
}

guint64
sendoff_file_slice_get_bytes_read (SendoffFileSlice *self)
{
  g_return_val_if_fail (SENDOFF_IS_FILE_SLICE (self), 0);

  return self->position;
}

void
sendoff_file_slice_set_read_func (SendoffFileSlice         *self,
                                  SendoffFileSliceReadFunc  func,
                                  gpointer                  user_data)
{
  g_return_if_fail (SENDOFF_IS_FILE_SLICE (self));

  self->read_func = func;
  self->read_data = func ? user_data : NULL;
}
