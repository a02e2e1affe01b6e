/* test-file-slice.c — a stream over exactly one byte range of a file
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sendoff-file-slice.h"
#include "sendoff-types.h"

#define FILE_SIZE (1024 * 1024 + 17)

typedef struct {
  char   *path;
  guint8 *data;
  int     fd;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fx->data = g_malloc (FILE_SIZE);
  for (gsize i = 0; i < FILE_SIZE; i++)
    fx->data[i] = (guint8) (i * 7 + i / 251);
  fx->fd = g_file_open_tmp ("sendoff-slice-XXXXXX", &fx->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (fx->fd, fx->data, FILE_SIZE), ==, FILE_SIZE);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  user_data)
{
  close (fx->fd);
  g_unlink (fx->path);
  g_free (fx->path);
  g_free (fx->data);
}

/* Reads to the end in steps of @step, like libsoup's splice */
static GBytes *
read_all (GInputStream *stream,
          gsize         step,
          GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *buffer = g_malloc (step);
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, step, NULL, error)) > 0)
    g_byte_array_append (out, buffer, n);
  if (n < 0)
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
check_range (Fixture *fx,
             guint64  offset,
             guint64  length,
             gsize    step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = sendoff_file_slice_new (fx->fd, offset, length, &error);
  g_autoptr(GBytes) got = NULL;

  g_assert_no_error (error);
  got = read_all (stream, step, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                   fx->data + offset, length);
  g_assert_cmpuint (sendoff_file_slice_get_bytes_read (SENDOFF_FILE_SLICE (stream)), ==, length);
}

static void
test_ranges (Fixture       *fx,
             gconstpointer  user_data)
{
  gsize steps[] = { 1, 8192, 100000, 4 * 1024 * 1024 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      check_range (fx, 0, FILE_SIZE, steps[i]);
      check_range (fx, 0, 0, steps[i]);
      check_range (fx, FILE_SIZE, 0, steps[i]);
      check_range (fx, 1, 1, steps[i]);
      check_range (fx, 300000, 262144 + 5, steps[i]);
      check_range (fx, FILE_SIZE - 17, 17, steps[i]);
    }
}

/* A slice ends at its length even though the file goes on */
static void
test_bounded (Fixture       *fx,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = sendoff_file_slice_new (fx->fd, 10, 100, &error);
  guint8 buffer[1000];
  gsize n = 0;

  g_assert_true (g_input_stream_read_all (stream, buffer, sizeof buffer, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 100);
  g_assert_cmpint (g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error), ==, 0);
}

static void
test_shrunk (Fixture       *fx,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = sendoff_file_slice_new (fx->fd, 1000, 50000, &error);
  g_autoptr(GBytes) got = NULL;

  g_assert_cmpint (ftruncate (fx->fd, 2000), ==, 0);
  got = read_all (stream, 8192, &error);
  g_assert_null (got);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED);
}

/* The caller's descriptor stays its own */
static void
test_fd_duplicated (Fixture       *fx,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  GInputStream *stream = sendoff_file_slice_new (fx->fd, 0, 10, &error);

  g_assert_true (g_input_stream_close (stream, NULL, &error));
  g_object_unref (stream);
  g_assert_cmpint (fcntl (fx->fd, F_GETFD), >=, 0);
}

static void
count_read (gsize    n_bytes,
            gpointer user_data)
{
  guint64 *counted = user_data;

  g_assert_cmpuint (n_bytes, >, 0);
  *counted += n_bytes;
}

/* What the reader takes is counted as it takes it, and no longer once
 * the function is taken away */
static void
test_read_func (Fixture       *fx,
                gconstpointer  user_data)
{
  gsize steps[] = { 1, 8192, 100000, 4 * 1024 * 1024 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GInputStream) stream = sendoff_file_slice_new (fx->fd, 5, FILE_SIZE - 10, &error);
      g_autofree guint8 *buffer = g_malloc (steps[i]);
      guint64 counted = 0;
      gssize n;

      g_assert_no_error (error);
      sendoff_file_slice_set_read_func (SENDOFF_FILE_SLICE (stream), count_read, &counted);
      n = g_input_stream_read (stream, buffer, steps[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (counted, ==, n);
      g_assert_cmpuint (counted, ==,
                        sendoff_file_slice_get_bytes_read (SENDOFF_FILE_SLICE (stream)));

      while ((n = g_input_stream_read (stream, buffer, steps[i], NULL, &error)) > 0)
        g_assert_cmpuint (counted, ==,
                          sendoff_file_slice_get_bytes_read (SENDOFF_FILE_SLICE (stream)));
      g_assert_no_error (error);
      g_assert_cmpuint (counted, ==, FILE_SIZE - 10);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GInputStream) stream = sendoff_file_slice_new (fx->fd, 0, 100, &error);
    guint8 buffer[10];
    guint64 counted = 0;

    sendoff_file_slice_set_read_func (SENDOFF_FILE_SLICE (stream), count_read, &counted);
    g_assert_cmpint (g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error), ==, 10);
    sendoff_file_slice_set_read_func (SENDOFF_FILE_SLICE (stream), NULL, NULL);
    g_assert_cmpint (g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error), ==, 10);
    g_assert_no_error (error);
    g_assert_cmpuint (counted, ==, 10);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sendoff/file-slice/ranges", Fixture, NULL,
              fixture_setup, test_ranges, fixture_teardown);
  g_test_add ("/sendoff/file-slice/bounded", Fixture, NULL,
              fixture_setup, test_bounded, fixture_teardown);
  g_test_add ("/sendoff/file-slice/shrunk", Fixture, NULL,
              fixture_setup, test_shrunk, fixture_teardown);
  g_test_add ("/sendoff/file-slice/fd-duplicated", Fixture, NULL,
              fixture_setup, test_fd_duplicated, fixture_teardown);
  g_test_add ("/sendoff/file-slice/read-func", Fixture, NULL,
              fixture_setup, test_read_func, fixture_teardown);

  return g_test_run ();
}
