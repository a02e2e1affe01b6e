/* sendoff-window-dnd.c — files dropped on the window or pasted into it
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-window-private.h"

static void
add_file_slist (SendoffWindow *self,
                GSList        *list)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  for (const GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);

  sendoff_window_add_files (self, (GFile **)files->pdata, files->len);
}

static GdkDragAction
on_drop_enter (GtkDropTarget *target,
               double         x,
               double         y,
               SendoffWindow *self)
{
  if (!sendoff_window_accepts_files (self))
    return 0;

  gtk_revealer_set_reveal_child (self->drop_revealer, TRUE);
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               SendoffWindow *self)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SendoffWindow *self)
{
  GdkFileList *file_list;
  g_autoptr(GSList) files = NULL;

  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || !sendoff_window_accepts_files (self))
    return FALSE;

  file_list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (file_list);
  if (files == NULL)
    return FALSE;

  add_file_slist (self, files);
  return TRUE;
}

void
_sendoff_window_dnd_init (SendoffWindow *self)
{
  GtkDropTarget *target;

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (target), "sendoff-drop-target");
  g_signal_connect (target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* File managers copy files as a file list (text/uri-list); older ones
 * only offer GNOME's own "x-special/gnome-copied-files". */
static void
splice_gnome_copied_files_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (object);
  g_autoptr(SendoffWindow) self = user_data;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (memory), result, NULL) < 0)
    return;

  bytes = g_memory_output_stream_steal_as_bytes (memory);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);

  /* The first line says "copy" or "cut"; the rest are URIs */
  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "file://"))
      g_ptr_array_add (files, g_file_new_for_uri (g_strstrip (lines[i])));

  if (files->len > 0)
    sendoff_window_add_files (self, (GFile **)files->pdata, files->len);
  else
    _sendoff_window_toast (self, _("There are no files to paste"));
}

static void
read_gnome_copied_files_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(SendoffWindow) self = user_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) memory = NULL;

  stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), result, NULL, NULL);
  if (stream == NULL)
    return;

  memory = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (memory, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL,
                                splice_gnome_copied_files_cb, g_steal_pointer (&self));
}

static void
read_file_list_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GdkClipboard *clipboard = GDK_CLIPBOARD (object);
  g_autoptr(SendoffWindow) self = user_data;
  const GValue *value;
  g_autoptr(GSList) files = NULL;

  value = gdk_clipboard_read_value_finish (clipboard, result, NULL);
  if (value != NULL && G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    files = gdk_file_list_get_files (g_value_get_boxed (value));

  if (files != NULL)
    add_file_slist (self, files);
  else
    _sendoff_window_toast (self, _("There are no files to paste"));
}

void
_sendoff_window_paste_files (SendoffWindow *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);
  static const char *gnome_mime_types[] = { "x-special/gnome-copied-files", NULL };

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST) ||
      gdk_content_formats_contain_mime_type (formats, "text/uri-list"))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                    read_file_list_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_mime_type (formats, gnome_mime_types[0]))
    gdk_clipboard_read_async (clipboard, gnome_mime_types, G_PRIORITY_DEFAULT, NULL,
                              read_gnome_copied_files_cb, g_object_ref (self));
  else
    _sendoff_window_toast (self, _("There are no files to paste"));
}
