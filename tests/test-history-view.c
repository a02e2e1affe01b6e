/* test-history-view.c — the History view on a real journal
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With SENDOFF_TEST_SCREENSHOT=FILE.png it also saves the screen (run it
 * under Xvfb, tests/run-headless) with `import -window root`;
 * SENDOFF_TEST_SCREENSHOT_WIDTH=360 makes the window that wide first.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sendoff-history-view.h"

static const char hostile_name[] = "Tom & Jerry <live>";
static const char share_link[] = "https://we.tl/t-ZmFrZS1saW5r?a=1&b=2";

typedef struct {
  char           *dir;
  SendoffJournal *journal;
  char           *done_id;
  char           *expired_id;
  char           *paused_id;
} Fixture;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static char *
add_transfer (SendoffJournal      *journal,
              const char          *name,
              SendoffJournalState  state,
              gint64               created_at,
              gint64               expires_at)
{
  g_autoptr(SendoffJournalTransfer) t = sendoff_journal_transfer_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  t->name = g_strdup (name);
  t->destination_name = g_strdup ("Sandbox & <co>");
  t->created_at = created_at;
  sendoff_journal_transfer_add_file (t, "/tmp/a", "a.txt", 1500000);
  sendoff_journal_transfer_add_file (t, "/tmp/b", "dir/<b>.txt", 500000);
  id = sendoff_journal_create (journal, t, &error);
  g_assert_no_error (error);
  if (expires_at != 0)
    sendoff_journal_set_link (journal, id, share_link, expires_at);
  sendoff_journal_set_state (journal, id, state, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sendoff_journal_flush (journal, &error));
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  f->dir = g_dir_make_tmp ("sendoff-test-history-view-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "journal.db", NULL);
  f->journal = sendoff_journal_new (path, &error);
  g_assert_no_error (error);
  if (data == NULL)
    return;
  f->expired_id = add_transfer (f->journal, "Old photos", SENDOFF_JOURNAL_DONE, now - 900000,
                                now - 10);
  f->paused_id = add_transfer (f->journal, "Half sent", SENDOFF_JOURNAL_PAUSED, now - 600, 0);
  f->done_id = add_transfer (f->journal, hostile_name, SENDOFF_JOURNAL_DONE, now - 60,
                             now + 3 * 86400);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *quoted = g_shell_quote (f->dir);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

  g_assert_finalize_object (f->journal);
  g_free (f->done_id);
  g_free (f->expired_id);
  g_free (f->paused_id);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (f->dir);
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

/* Visible labels whose text is exactly @text */
static guint
count_labels (GtkWidget  *root,
              const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint n = 0;

  collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      n++;
  return n;
}

static gboolean
has_label_containing (GtkWidget  *root,
                      const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (labels->pdata[i]), text) != NULL)
      return TRUE;
  return FALSE;
}

static GPtrArray *
transfer_rows (GtkWidget *view)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect (view, ADW_TYPE_EXPANDER_ROW, rows);
  return rows;
}

static GtkWindow *
window_new (GtkWidget *view)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 720, 640);
  gtk_window_set_child (window, view);
  gtk_window_present (window);
  spin (100);
  return window;
}

static const char *
visible_page (GtkWidget *view)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  collect (view, GTK_TYPE_STACK, stacks);
  g_assert_cmpuint (stacks->len, >=, 1);
  return gtk_stack_get_visible_child_name (stacks->pdata[0]);
}

static void
screenshot (void)
{
  const char *path = g_getenv ("SENDOFF_TEST_SCREENSHOT");
  const char *argv[] = { "import", "-window", "root", path, NULL };
  int status = 0;

  if (path == NULL || *path == '\0')
    return;
  spin (700);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_test_message ("saved %s", path);
}

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *view = sendoff_history_view_new (f->journal);
  GtkWindow *window = window_new (view);
  g_autoptr(GPtrArray) rows = transfer_rows (view);
  GtkWidget *focus;
  int min_width = 0;

  g_assert_cmpstr (visible_page (view), ==, "list");
  g_assert_cmpuint (rows->len, ==, 3);
  /* newest first, names as they are: no markup, nothing dropped */
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[0]), ==, hostile_name);
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[1]), ==, "Half sent");
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[2]), ==, "Old photos");
  g_assert_cmpuint (count_labels (view, hostile_name), ==, 1);
  g_assert_true (has_label_containing (view, "2 files, 2.0\xc2\xa0MB · Sandbox & <co>"));
  g_assert_true (has_label_containing (view, "Paused · "));

  /* the link, its expiry; the expired transfer dimmed */
  g_assert_cmpuint (count_labels (view, share_link), ==, 2);
  g_assert_cmpuint (count_labels (view, "Expires in 3 days"), ==, 1);
  g_assert_cmpuint (count_labels (view, "Expired"), ==, 1);
  g_assert_false (gtk_widget_has_css_class (rows->pdata[0], "dim-label"));
  g_assert_false (gtk_widget_has_css_class (rows->pdata[1], "dim-label"));
  g_assert_true (gtk_widget_has_css_class (rows->pdata[2], "dim-label"));

  /* its files; Remove only where it forgets nothing unfinished */
  g_assert_cmpuint (count_labels (view, "dir/<b>.txt"), ==, 3);
  g_assert_cmpuint (count_labels (view, "Remove from History"), ==, 2);

  /* the keyboard reaches the first transfer, then the next */
  if (gtk_window_get_focus (window) == NULL)
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  focus = gtk_window_get_focus (window);
  g_assert_nonnull (focus);
  g_assert_true (focus == rows->pdata[0] || gtk_widget_is_ancestor (focus, rows->pdata[0]));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  focus = gtk_window_get_focus (window);
  g_assert_true (gtk_widget_is_ancestor (focus, rows->pdata[1]));

  /* it fits a phone-wide window (the metainfo promises 360 px), expanded too */
  adw_expander_row_set_expanded (rows->pdata[0], TRUE);
  spin (50);
  gtk_widget_measure (view, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);

  if (g_getenv ("SENDOFF_TEST_SCREENSHOT_WIDTH") != NULL)
    gtk_window_set_default_size (window, atoi (g_getenv ("SENDOFF_TEST_SCREENSHOT_WIDTH")), 640);
  screenshot ();
  gtk_window_destroy (window);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
test_copy_and_remove (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *view = sendoff_history_view_new (f->journal);
  GtkWindow *window = window_new (view);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;

  g_assert_true (gtk_widget_activate_action (view, "history.copy-link", "s", f->done_id));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (view), NULL, read_text_cb, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, share_link);

  g_assert_true (gtk_widget_activate_action (view, "history.remove", "s", f->done_id));
  spin (50);
  rows = transfer_rows (view);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpuint (count_labels (view, hostile_name), ==, 0);
  left = sendoff_journal_list (f->journal, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 2);

  g_assert_true (gtk_widget_activate_action (view, "history.remove", "s", f->expired_id));
  g_assert_true (sendoff_journal_remove (f->journal, f->paused_id, &error));
  sendoff_history_view_refresh (SENDOFF_HISTORY_VIEW (view));
  g_assert_cmpstr (visible_page (view), ==, "empty");
  gtk_window_destroy (window);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *view = sendoff_history_view_new (f->journal);
  GtkWindow *window = window_new (view);
  g_autoptr(GPtrArray) rows = transfer_rows (view);

  g_assert_cmpstr (visible_page (view), ==, "empty");
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpuint (count_labels (view, "No Transfers Yet"), ==, 1);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/sendoff/history-view/rows", Fixture, "full", fixture_set_up, test_rows,
              fixture_tear_down);
  g_test_add ("/sendoff/history-view/copy-and-remove", Fixture, "full", fixture_set_up,
              test_copy_and_remove, fixture_tear_down);
  g_test_add ("/sendoff/history-view/empty", Fixture, NULL, fixture_set_up, test_empty,
              fixture_tear_down);

  return g_test_run ();
}
