/* test-window-states.c — the window in each state, as narrow as a phone, with hostile text
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs once in English and once in German (LANGUAGE=de, see tests/meson.build).
 * The states are set on the model directly, the way the engine sets them.
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <qrencode.h>

#include "sendoff-application.h"
#include "sendoff-format.h"
#include "sendoff-item-private.h"
#include "sendoff-item-row.h"
#include "sendoff-qr.h"
#include "sendoff-transfer-private.h"
#include "sendoff-window-private.h"
#include "window-test-util.h"

#define LINK "https://we.tl/t-7fQx2LmZ9vR3kP8wYb4cN1dHs6JtE0aUg5oViKeXr2"

static SendoffApplication *app;

typedef struct {
  SendoffWindow *window;
  char          *dir;
} Fixture;

/* All zeros */
static char *
write_file (const char *dir,
            const char *name,
            gsize       size)
{
  return sendoff_test_write_file (dir, name, size, 0, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("sendoff-test-window-states-XXXXXX", NULL);
  g_assert_nonnull (f->dir);

  f->window = sendoff_test_window_open (app);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sendoff_test_window_close (&f->window);
  sendoff_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
add_paths (Fixture           *f,
           const char *const *paths)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_path (paths[i]));

  sendoff_window_add_files (f->window, (GFile **) files->pdata, files->len);
  while (f->window->n_adding > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  sendoff_test_spin (50);
}

/* A label under @widget, shown, whose text (markup removed) contains @text */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL)
        return GTK_LABEL (child);
      if ((found = find_label (child, text)))
        return found;
    }

  return NULL;
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (f->window->stack);
}

static void
add_files (Fixture *f)
{
  g_autofree char *a = write_file (f->dir, "Quarterly report for the board meeting (final, revised).pdf",
                                   3000);
  g_autofree char *b = write_file (f->dir, "notes.txt", 1000);
  const char *paths[] = { a, b, NULL };

  add_paths (f, paths);
  g_assert_cmpuint (sendoff_transfer_get_n_items (f->window->transfer), ==, 2);
}

static void
set_items_state (Fixture      *f,
                 SendoffState  state,
                 gboolean      all_sent)
{
  GListModel *items = sendoff_transfer_get_items (f->window->transfer);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      _sendoff_item_set_state (item, state);
      _sendoff_item_set_bytes_sent (item, all_sent ? sendoff_item_get_size (item) : 0);
    }
  _sendoff_transfer_update_progress (f->window->transfer);
}

static void
to_done (Fixture    *f,
         const char *name)
{
  SendoffTransfer *transfer = f->window->transfer;

  sendoff_transfer_set_name (transfer, name);
  set_items_state (f, SENDOFF_STATE_DONE, TRUE);
  _sendoff_transfer_set_share_url (transfer, LINK);
  _sendoff_transfer_set_link_expires_at (transfer,
                                         g_get_real_time () / G_USEC_PER_SEC + 7 * 86400);
  _sendoff_transfer_set_state (transfer, SENDOFF_STATE_DONE);
  _sendoff_window_update_done_page (f->window);
  _sendoff_window_update (f->window);
  sendoff_test_spin (50);
  g_assert_cmpstr (visible_page (f), ==, "done");
}

static void
to_failed (Fixture      *f,
           SendoffError  code,
           const char   *message)
{
  set_items_state (f, SENDOFF_STATE_FAILED, FALSE);
  g_clear_error (&f->window->error);
  f->window->error = g_error_new_literal (SENDOFF_ERROR, code, message);
  _sendoff_transfer_set_state (f->window->transfer, SENDOFF_STATE_FAILED);
  _sendoff_window_show_failed (f->window);
  _sendoff_window_update (f->window);
  sendoff_test_spin (50);
  g_assert_cmpstr (visible_page (f), ==, "failed");
}

static int
min_width (Fixture *f)
{
  int minimum = 0;

  gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  return minimum;
}

/* Says which widgets are too wide, down to the one that is */
static void
report_wide (GtkWidget *widget,
             guint      depth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int minimum = 0;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      if (minimum <= 340)
        continue;
      g_test_message ("%*s%s %s: %d px", depth * 2, "", G_OBJECT_TYPE_NAME (child),
                      GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child))
                                           : gtk_widget_get_css_name (child),
                      minimum);
      report_wide (child, depth + 1);
    }
}

static void
assert_narrow (Fixture    *f,
               const char *state)
{
  int width = min_width (f);

  g_test_message ("%s: minimum width %d px", state, width);
  if (width > 360)
    report_wide (GTK_WIDGET (f->window), 0);
  if (width > 360)
    g_error ("The window needs %d px in the %s state, more than 360", width, state);
}

/* ---- tests ------------------------------------------------------------ */

/* A phone is 360 px wide: every state fits, in every language */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  assert_narrow (f, "empty");

  add_files (f);
  gtk_editable_set_text (GTK_EDITABLE (f->window->name_text), "Quarterly report for the board");
  assert_narrow (f, "files");

  _sendoff_transfer_set_state (f->window->transfer, SENDOFF_STATE_SENDING);
  set_items_state (f, SENDOFF_STATE_SENDING, FALSE);
  _sendoff_transfer_set_retry (f->window->transfer, g_get_monotonic_time () + 8 * G_USEC_PER_SEC,
                               3, 10, "HTTP 503: the service is busy, try again later");
  assert_narrow (f, "sending");
  _sendoff_transfer_clear_retry (f->window->transfer);

  _sendoff_transfer_set_state (f->window->transfer, SENDOFF_STATE_CANCELLED);
  sendoff_test_spin (50);
  g_assert_true (gtk_widget_get_visible (f->window->stopped_box));
  assert_narrow (f, "stopped");

  to_failed (f, SENDOFF_ERROR_NETWORK,
             "Error resolving “storage.example.com”: Name or service not known");
  assert_narrow (f, "failed");

  to_done (f, "Quarterly report for the board");
  assert_narrow (f, "done");
}

/* Names are text, not markup: "&" and "<" are shown, not swallowed */
static void
test_markup_done (Fixture       *f,
                  gconstpointer  data)
{
  add_files (f);
  to_done (f, "Holiday & report <2026> 100%s");

  g_assert_nonnull (find_label (GTK_WIDGET (f->window->done_page), "Holiday & report <2026> 100%s"));
  /* The window's title too */
  g_assert_cmpstr (adw_window_title_get_subtitle (f->window->window_title), ==,
                   "Holiday & report <2026> 100%s");
  g_assert_nonnull (find_label (GTK_WIDGET (f->window->window_title), "Holiday & report"));
}

static void
test_markup_failed (Fixture       *f,
                    gconstpointer  data)
{
  add_files (f);
  to_failed (f, SENDOFF_ERROR_INVALID_INPUT, "Expected <size> & got %s");

  g_assert_nonnull (find_label (GTK_WIDGET (f->window->failed_page), "Expected <size> & got %s"));
}

/* The files are looked at in a thread: once they all were, the refused
 * ones are said (a toast) */
static gboolean
refusals_said (gpointer data)
{
  Fixture *f = data;

  return f->window->n_adding == 0 && f->window->refused != NULL;
}

static void
test_markup_toast (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "Tom & Jerry <live>", NULL);
  g_autofree char *good = write_file (f->dir, "good.txt", 10);
  const char *paths[] = { good, fifo, NULL };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  add_paths (f, paths);
  sendoff_test_wait_until (refusals_said, f, 30, "the refused file is said");
  g_assert_nonnull (find_label (GTK_WIDGET (f->window->toast_overlay), "Tom & Jerry <live>"));
}

/* Two refused files: the toast counts them, Details lists each in full */
static void
test_refused_details (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a = g_build_filename (f->dir, "pipe one with a rather long name.txt", NULL);
  g_autofree char *b = g_build_filename (f->dir, "pipe two with a rather long name.txt", NULL);
  g_autofree char *good = write_file (f->dir, "good.txt", 10);
  const char *paths[] = { good, a, b, NULL };
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;

  g_assert_cmpint (mkfifo (a, 0600), ==, 0);
  g_assert_cmpint (mkfifo (b, 0600), ==, 0);
  add_paths (f, paths);
  sendoff_test_wait_until (refusals_said, f, 30, "the refused files are said");
  g_assert_cmpuint (g_strv_length (f->window->refused), ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-refused", NULL));
  sendoff_test_spin (100);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        dialog = ADW_MESSAGE_DIALOG (window);
    }
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "pipe one with a rather long name.txt"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "pipe two with a rather long name.txt"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* No toast covers the buttons at the bottom of the window */
static void
test_toast_clear_of_footer (Fixture       *f,
                            gconstpointer  data)
{
  graphene_rect_t overlay, send;

  add_files (f);
  _sendoff_window_toast (f->window, "Something to say");
  sendoff_test_spin (100);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window->send_button)));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (f->window->toast_overlay),
                                            GTK_WIDGET (f->window), &overlay));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (f->window->send_button),
                                            GTK_WIDGET (f->window), &send));
  g_assert_cmpfloat (send.origin.y, >=, overlay.origin.y + overlay.size.height);
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (f->window->send_button),
                                          GTK_WIDGET (f->window->toast_overlay)));
  g_assert_false (gtk_widget_is_ancestor (f->window->stopped_box,
                                          GTK_WIDGET (f->window->toast_overlay)));
}

/* The link is shown as it is: wrapped by character, no hyphen added */
static void
test_link (Fixture       *f,
           gconstpointer  data)
{
  GtkLabel *label = f->window->link_label;
  PangoLayout *layout;
  PangoLayoutIter *iter;
  g_autoptr(GString) shown = g_string_new (NULL);
  gboolean hyphens_off = FALSE;
  int start, end;

  add_files (f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  to_done (f, NULL);
  sendoff_test_spin (200);

  g_assert_cmpstr (gtk_label_get_label (label), ==, LINK);
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_cmpint (gtk_label_get_wrap_mode (label), ==, PANGO_WRAP_CHAR);
  for (GSList *l = pango_attr_list_get_attributes (gtk_label_get_attributes (label));
       l != NULL; l = l->next)
    {
      PangoAttribute *attr = l->data;

      if (attr->klass->type == PANGO_ATTR_INSERT_HYPHENS &&
          !((PangoAttrInt *) attr)->value)
        hyphens_off = TRUE;
      pango_attribute_destroy (attr);
    }
  g_assert_true (hyphens_off);

  /* At 360 px it takes more than one line, and the lines joined are the link */
  layout = gtk_label_get_layout (label);
  g_assert_cmpint (pango_layout_get_line_count (layout), >, 1);
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);

      g_string_append_len (shown, pango_layout_get_text (layout) + line->start_index,
                           line->length);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  g_assert_cmpstr (shown->str, ==, LINK);

  /* Selecting all selects the link exactly */
  gtk_label_select_region (label, 0, -1);
  g_assert_true (gtk_label_get_selection_bounds (label, &start, &end));
  g_assert_cmpint (end - start, ==, g_utf8_strlen (LINK, -1));
}

/* Nothing sent yet says so; the end does not count down "0 seconds" */
static void
test_progress_texts (Fixture       *f,
                     gconstpointer  data)
{
  add_files (f);
  _sendoff_transfer_set_state (f->window->transfer, SENDOFF_STATE_SENDING);
  set_items_state (f, SENDOFF_STATE_SENDING, FALSE);
  sendoff_test_spin (50);
  g_assert_cmpstr (gtk_label_get_label (f->window->progress_label), ==, _("Preparing…"));

  /* Every byte stored, the service still finishing: rows and footer say so */
  set_items_state (f, SENDOFF_STATE_SENDING, TRUE);
  sendoff_test_spin (50);
  g_assert_cmpstr (gtk_label_get_label (f->window->progress_label), ==, _("Finishing…"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->window->list_view),
                                C_("file state", "Finishing")));
  g_assert_null (find_label (GTK_WIDGET (f->window->list_view), C_("file state", "Sending")));
}

/* The engine waits before another attempt: the window counts down and says why */
static void
test_retry_status (Fixture       *f,
                   gconstpointer  data)
{
  SendoffTransfer *transfer;
  g_autofree char *expected = NULL;

  add_files (f);
  transfer = f->window->transfer;
  _sendoff_transfer_set_state (transfer, SENDOFF_STATE_RETRYING);
  _sendoff_transfer_set_retry (transfer, g_get_monotonic_time () + 8 * G_USEC_PER_SEC - 1000,
                               3, 10, "HTTP 503 <busy> & more");
  sendoff_test_spin (50);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window->retry_label)));
  expected = sendoff_format_retry (8, 3, 10, "HTTP 503 <busy> & more");
  g_assert_cmpstr (gtk_label_get_text (f->window->retry_label), ==, expected);
  if (g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "C"))
    g_assert_cmpstr (expected, ==, "Retrying in 8 s (attempt 3 of 10): HTTP 503 <busy> & more");

  /* A second later, a second less */
  sendoff_test_spin (1100);
  g_free (expected);
  expected = sendoff_format_retry (7, 3, 10, "HTTP 503 <busy> & more");
  g_assert_cmpstr (gtk_label_get_text (f->window->retry_label), ==, expected);

  _sendoff_transfer_clear_retry (transfer);
  sendoff_test_spin (50);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->retry_label)));
}

static gboolean
dark_module (QRcode *code,
             int     x,
             int     y)
{
  if (x < 0 || y < 0 || x >= code->width || y >= code->width)
    return FALSE;
  return code->data[y * code->width + x] & 1;
}

/* The QR code is the link's, pixel for module, dark on light with a quiet zone */
static void
test_qr (void)
{
  const guint scale = 3;
  g_autoptr(GdkTexture) texture = sendoff_qr_texture_new (LINK, scale);
  QRcode *code = QRcode_encodeString (LINK, 0, QR_ECLEVEL_M, QR_MODE_8, TRUE);
  int side = (code->width + 2 * SENDOFF_QR_QUIET_ZONE) * scale;
  g_autofree guint32 *pixels = g_new (guint32, side * side);

  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, side);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, side);
  gdk_texture_download (texture, (guchar *) pixels, side * 4);

  for (int py = 0; py < side; py++)
    for (int px = 0; px < side; px++)
      {
        int mx = px / (int) scale - SENDOFF_QR_QUIET_ZONE;
        int my = py / (int) scale - SENDOFF_QR_QUIET_ZONE;
        guint32 expected = dark_module (code, mx, my) ? 0xff000000 : 0xffffffff;

        if (pixels[py * side + px] != expected)
          g_error ("pixel %d,%d is %08x, module %d,%d wants %08x", px, py,
                   pixels[py * side + px], mx, my, expected);
      }

  QRcode_free (code);
}

static void
test_done_qr_and_expiry (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *expiry = NULL;
  GdkPaintable *paintable;

  add_files (f);
  to_done (f, NULL);
  sendoff_test_spin (300);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window->qr_picture)));
  paintable = gtk_image_get_paintable (f->window->qr_picture);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  /* Drawn at its own size, a texture pixel per device pixel: crisp */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window->qr_picture)) *
                   gtk_widget_get_scale_factor (GTK_WIDGET (f->window->qr_picture)), ==,
                   gdk_paintable_get_intrinsic_width (paintable));

  expiry = sendoff_format_expiry (sendoff_transfer_get_link_expires_at (f->window->transfer),
                                  g_get_real_time () / G_USEC_PER_SEC);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window->expiry_label)));
  g_assert_cmpstr (gtk_label_get_label (f->window->expiry_label), ==, expiry);
}

static void
test_undo_discard (Fixture       *f,
                   gconstpointer  data)
{
  SendoffTransfer *before;

  add_files (f);
  gtk_editable_set_text (GTK_EDITABLE (f->window->name_text), "Holiday");
  gtk_editable_set_text (GTK_EDITABLE (f->window->message_text), "For you");
  before = f->window->transfer;

  /* Ctrl+N */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-transfer", NULL));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_true (f->window->transfer != before);
  sendoff_test_spin (100);
  g_assert_nonnull (find_label (GTK_WIDGET (f->window->toast_overlay), _("Transfer discarded")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-discard", NULL));
  g_assert_true (f->window->transfer == before);
  g_assert_cmpstr (visible_page (f), ==, "transfer");
  g_assert_cmpuint (sendoff_transfer_get_n_items (f->window->transfer), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->name_text)), ==, "Holiday");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->message_text)), ==, "For you");

  /* New Transfer from the Done page brings the link back too */
  to_done (f, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-transfer", NULL));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-discard", NULL));
  g_assert_cmpstr (visible_page (f), ==, "done");
  g_assert_cmpstr (gtk_label_get_label (f->window->link_label), ==, LINK);

  /* An empty window has nothing to undo */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-transfer", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-transfer", NULL));
  g_assert_null (f->window->undo_transfer);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-discard", NULL);
  g_assert_cmpstr (visible_page (f), ==, "empty");
}

static void
collect_item_rows (GtkWidget *widget,
                   GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (SENDOFF_IS_ITEM_ROW (child))
        g_ptr_array_add (rows, child);
      else
        collect_item_rows (child, rows);
    }
}

/* A name that is not UTF-8 is shown as GLib shows it; the tooltip says why */
static void
test_invalid_utf8_tooltip (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *bad = write_file (f->dir, "caf\xe9.txt", 10);
  g_autofree char *good = write_file (f->dir, "plain.txt", 10);
  g_autofree char *display = g_filename_display_name ("caf\xe9.txt");
  const char *paths[] = { bad, good, NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint checked = 0;

  add_paths (f, paths);
  sendoff_test_spin (100);
  collect_item_rows (GTK_WIDGET (f->window->list_view), rows);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkLabel *name = find_label (rows->pdata[i], ".txt");
      const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (name));

      if (g_str_equal (gtk_label_get_label (name), display))
        {
          g_assert_nonnull (strstr (tooltip, "UTF-8"));
          g_assert_true (g_str_has_prefix (tooltip, display));
          checked++;
        }
      else
        {
          g_assert_cmpstr (gtk_label_get_label (name), ==, "plain.txt");
          g_assert_cmpstr (tooltip, ==, "plain.txt");
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 2);
}

/* Once the Undo toast has gone, what was put aside is gone too */
static void
test_undo_expires (Fixture       *f,
                   gconstpointer  data)
{
  add_files (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-transfer", NULL));
  g_assert_nonnull (f->window->undo_transfer);
  sendoff_test_spin (6000);
  g_assert_null (f->window->undo_transfer);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-discard", NULL);
  g_assert_cmpstr (visible_page (f), ==, "empty");
}

/* The refused key: one sentence, one way on, and that way is the suggested one */
static void
test_refused_key_page (Fixture       *f,
                       gconstpointer  data)
{
  add_files (f);
  to_failed (f, SENDOFF_ERROR_AUTH, "The service refused the API key (HTTP 403)");

  g_assert_true (gtk_widget_get_mapped (f->window->failed_key_button));
  g_assert_true (gtk_widget_has_css_class (f->window->failed_key_button, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (f->window->failed_retry_button, "suggested-action"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->window->failed_detail_label)));
  /* The banner's Enter Key… is not shown beside the page's */
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->window->key_banner_label)));

  /* Any other failure: Retry is the way on */
  to_failed (f, SENDOFF_ERROR_NETWORK, "Connection refused");
  g_assert_false (gtk_widget_get_mapped (f->window->failed_key_button));
  g_assert_true (gtk_widget_has_css_class (f->window->failed_retry_button, "suggested-action"));
}

static void
collect_focusable (GtkWidget *widget,
                   GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_focusable (child))
        g_ptr_array_add (out, child);
      collect_focusable (child, out);
    }
}

/* Tab goes from field to field, not to the rows around them */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkApplication *gtk_app = GTK_APPLICATION (app);
  g_auto(GStrv) accels = NULL;

  add_files (f);
  collect_focusable (f->window->details_clamp, rows);
  g_assert_cmpuint (rows->len, ==, 0);

  gtk_widget_grab_focus (GTK_WIDGET (f->window->name_text));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f->window->message_text)));

  accels = gtk_application_get_accels_for_action (gtk_app, "win.copy-link");
  g_assert_true (g_strv_contains ((const char *const *) accels, "<Shift><Control>c") ||
                 g_strv_contains ((const char *const *) accels, "<Control><Shift>c"));
}

/* The shortcuts window names keys as a person reads them */
/* Unfinished transfers in the journal: the banner fits at 360 px; History
 * too, with a hostile name */
static void
test_journal (Fixture       *f,
              gconstpointer  data)
{
  SendoffJournal *journal = sendoff_application_get_journal (app);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GtkWindow *history;
  int minimum = 0;

  g_assert_nonnull (journal);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SendoffJournalTransfer) record = sendoff_journal_transfer_new ();
      g_autoptr(GError) error = NULL;
      char *id;

      record->name = g_strdup ("Tom & Jerry <live>");
      record->backend_id = g_strdup ("wetransfer-v1");
      record->bytes_total = 3000;
      sendoff_journal_transfer_add_file (record, "/nonexistent/Tom & Jerry <live>.mkv",
                                         "Tom & Jerry <live>.mkv", 3000);
      id = sendoff_journal_create (journal, record, &error);
      g_assert_no_error (error);
      sendoff_journal_set_state (journal, id, i == 0 ? SENDOFF_JOURNAL_DONE
                                                     : SENDOFF_JOURNAL_PAUSED, NULL, &error);
      g_assert_no_error (error);
      if (i == 0)
        sendoff_journal_set_link (journal, id, LINK, 0);
      g_ptr_array_add (ids, id);
    }

  sendoff_window_update_unfinished (f->window);
  sendoff_test_spin (300);
  g_assert_true (gtk_revealer_get_reveal_child (f->window->journal_banner));
  if (g_strcmp0 (g_getenv ("LANGUAGE"), "C") == 0)
    g_assert_cmpstr (gtk_label_get_label (f->window->journal_banner_label), ==,
                     "3 unfinished transfers");
  assert_narrow (f, "unfinished");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-history", NULL));
  history = f->window->history_window;
  g_assert_nonnull (history);
  sendoff_test_spin (100);
  g_assert_nonnull (find_label (GTK_WIDGET (history), "Tom & Jerry <live>"));
  gtk_widget_measure (GTK_WIDGET (history), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  g_test_message ("history: minimum width %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_destroy (history);

  for (guint i = 0; i < ids->len; i++)
    sendoff_journal_remove (journal, ids->pdata[i], NULL);
  sendoff_window_update_unfinished (f->window);
  g_assert_false (gtk_revealer_get_reveal_child (f->window->journal_banner));
}

static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/sendoff/Sendoff/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");
  GtkWidget *window = GTK_WIDGET (overlay);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  gboolean copy_link = FALSE;
  gboolean history = FALSE;

  g_ptr_array_add (stack, window);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
        {
          g_autofree char *accel = NULL;
          g_autofree char *action = NULL;

          g_object_get (widget, "accelerator", &accel, "action-name", &action, NULL);
          g_assert_true (accel == NULL || strstr (accel, "KP_") == NULL);
          /* An action lists all its accelerators, keypad ones too */
          g_assert_true (g_strcmp0 (action, "win.send") != 0);
          copy_link |= g_strcmp0 (action, "win.copy-link") == 0;
          history |= g_strcmp0 (action, "win.show-history") == 0;
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_assert_true (copy_link);
  g_assert_true (history);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The About window's icon is there even when run from the build folder */
static void
test_app_icon (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;
  g_autofree char *localedir = g_build_filename (g_getenv ("SENDOFF_BUILD_ROOT"), "po", NULL);

  sendoff_test_use_own_data_home ();
  /* The translations as built, in the language the test runs in */
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() asks for en_US.UTF-8; the language under test it is */
  setlocale (LC_ALL, "");
  adw_init ();
  /* The window notifies when it is not in front, which under Xvfb it never is */
  sendoff_test_notifications_start (SENDOFF_TEST_NOTIFY_IDS_COUNT);
  /* The German run must be German, or it proves nothing */
  if (g_strcmp0 (g_getenv ("LANGUAGE"), "de") == 0)
    g_assert_cmpstr (_("Transfer Sent"), ==, "Übertragung gesendet");

  /* A destination to send to (nothing here sends): these are the states
   * after the first run, whose setup page test-window covers */
  g_setenv ("SENDOFF_API_URL", "http://127.0.0.1:9", TRUE);

  app = sendoff_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  sendoff_window_set_accels (GTK_APPLICATION (app));

#define ADD(name, func) \
  g_test_add ("/sendoff/window-states/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("narrow", test_narrow);
  ADD ("markup-done", test_markup_done);
  ADD ("markup-failed", test_markup_failed);
  ADD ("markup-toast", test_markup_toast);
  ADD ("refused-details", test_refused_details);
  ADD ("toast-clear-of-footer", test_toast_clear_of_footer);
  ADD ("link", test_link);
  ADD ("progress-texts", test_progress_texts);
  ADD ("retry-status", test_retry_status);
  ADD ("done-qr-and-expiry", test_done_qr_and_expiry);
  ADD ("undo-discard", test_undo_discard);
  ADD ("undo-expires", test_undo_expires);
  ADD ("invalid-utf8-tooltip", test_invalid_utf8_tooltip);
  ADD ("refused-key-page", test_refused_key_page);
  ADD ("keyboard", test_keyboard);
  ADD ("journal", test_journal);
#undef ADD
  g_test_add_func ("/sendoff/window-states/qr", test_qr);
  g_test_add_func ("/sendoff/window-states/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/sendoff/window-states/app-icon", test_app_icon);

  ret = g_test_run ();
  g_clear_object (&app);

  return ret;
}
