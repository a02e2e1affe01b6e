/* test-window.c — the real window, driven through its actions and its drop target
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "credentials-sync.h"
#include "sandbox-fixture.h"
#include "sendoff-application.h"
#include "sendoff-item-row.h"
#include "sendoff-preferences-window.h"
#include "sendoff-window-private.h"
#include "window-test-util.h"

static SendoffApplication *app;

typedef struct {
  SendoffWindow            *window;
  SendoffTestSandbox       *sandbox;
  SendoffTestSandbox       *other_sandbox;
  SendoffDestinationEditor *editor;
  char                     *dir;
} Fixture;

static GPtrArray *notifications;   /* "summary\nbody\naction labels…" */

/* ---- helpers -------------------------------------------------------- */

typedef gboolean (*Condition) (Fixture *f);

static void
wait_until (Fixture    *f,
            Condition   condition,
            const char *what)
{
  sendoff_test_wait_until ((SendoffTestCondition) condition, f, 30, what);
}

/* Each file's bytes follow from its name */
static char *
write_file (const char *dir,
            const char *name,
            gsize       size)
{
  return sendoff_test_write_file (dir, name, size, g_str_hash (name), 7);
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (f->window->stack);
}

static GtkDropTarget *get_drop_target (Fixture *f);

static void
drop_paths (Fixture           *f,
            const char *const *paths)
{
  GtkDropTarget *target = get_drop_target (f);
  GSList *list = NULL;
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  for (guint i = 0; paths[i] != NULL; i++)
    list = g_slist_append (list, g_file_new_for_path (paths[i]));

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_slist_free_full (list, g_object_unref);

  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  g_value_unset (&value);
  g_assert_true (handled);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (SENDOFF_IS_ITEM_ROW (child))
        g_ptr_array_add (rows, child);
      else
        collect_rows (child, rows);
    }
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)))
        return found;
    }

  return NULL;
}

static void
use_sandbox (Fixture           *f,
             const char *const *extra_args,
             const char        *api_key)
{
  f->sandbox = sendoff_test_sandbox_start (extra_args);
  g_setenv ("SENDOFF_API_URL", sendoff_test_sandbox_get_url (f->sandbox), TRUE);
  g_setenv ("SENDOFF_API_KEY", api_key ? api_key : sendoff_test_sandbox_get_api_key (f->sandbox),
            TRUE);
  /* As when Sendoff starts with them set */
  _sendoff_window_check_key (f->window);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sendoff-test-window-XXXXXX", &error);
  g_assert_no_error (error);

  g_setenv ("SENDOFF_API_URL", "", TRUE);
  g_setenv ("SENDOFF_API_KEY", "", TRUE);

  f->window = sendoff_test_window_open (app);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_object_ref (f->window->settings);
  g_autoptr(GPtrArray) saved = NULL;

  sendoff_test_window_close (&f->window);

  /* Every test starts with nothing set up */
  saved = sendoff_destination_list_saved (settings);
  for (guint i = 0; i < saved->len; i++)
    sendoff_destination_forget (g_ptr_array_index (saved, i), settings);

  g_clear_pointer (&f->sandbox, sendoff_test_sandbox_stop);
  g_clear_pointer (&f->other_sandbox, sendoff_test_sandbox_stop);
  g_ptr_array_set_size (notifications, 0);
  sendoff_test_remove_tree (f->dir);
  g_free (f->dir);
  g_setenv ("SENDOFF_API_URL", "", TRUE);
  g_setenv ("SENDOFF_API_KEY", "", TRUE);
}

/* ---- conditions ------------------------------------------------------ */

static gboolean
three_items (Fixture *f)
{
  return sendoff_transfer_get_n_items (f->window->transfer) == 3;
}

static gboolean
on_transfer_page (Fixture *f)
{
  return g_str_equal (visible_page (f), "transfer");
}

static gboolean
on_done_page (Fixture *f)
{
  return g_str_equal (visible_page (f), "done");
}

static gboolean
on_failed_page (Fixture *f)
{
  return g_str_equal (visible_page (f), "failed") && !sendoff_window_is_sending (f->window);
}

static gboolean
is_sending (Fixture *f)
{
  return sendoff_transfer_get_state (f->window->transfer) == SENDOFF_STATE_SENDING &&
         sendoff_transfer_get_bytes_sent (f->window->transfer) > 0;
}

static gboolean
is_cancelled (Fixture *f)
{
  return sendoff_transfer_get_state (f->window->transfer) == SENDOFF_STATE_CANCELLED &&
         !sendoff_window_is_sending (f->window);
}

static gboolean
banner_shown (Fixture *f)
{
  return gtk_revealer_get_reveal_child (f->window->key_banner);
}

static gboolean
banner_hidden (Fixture *f)
{
  return !gtk_revealer_get_reveal_child (f->window->key_banner);
}

static gboolean
adding_done (Fixture *f)
{
  return f->window->n_adding == 0;
}

static gboolean
on_setup_page (Fixture *f)
{
  return g_str_equal (visible_page (f), "setup");
}

static gboolean
on_empty_page (Fixture *f)
{
  return g_str_equal (visible_page (f), "empty");
}

static gboolean
editor_idle (Fixture *f)
{
  return !sendoff_destination_editor_get_busy (f->editor);
}

/* A destination saved as Preferences would save it; the first is the default */
static SendoffDestination *
save_destination (Fixture           *f,
                  const char        *backend_id,
                  const char        *name,
                  const char *const *options)
{
  g_autoptr(SendoffDestination) destination =
    sendoff_destination_new (sendoff_backend_lookup (backend_id), name);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      sendoff_destination_parse_option (destination, options[i], &error);
      g_assert_no_error (error);
    }
  sendoff_destination_save (destination, f->window->settings, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&destination);
}

/* Types into an editor's row as the user would */
static void
type_into (Fixture    *f,
           const char *key,
           const char *text)
{
  GtkWidget *row = _sendoff_destination_editor_get_row (f->editor, key);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SendoffDestination) destination =
    save_destination (f, "wetransfer-v1", "Sandbox", (const char *[]) { "api-url=http://127.0.0.1:9", NULL });

  wait_until (f, on_empty_page, "a destination is set up");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (f->window->empty_page), ==, "Drop Files to Send");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window->empty_page)));
  g_assert_true (sendoff_window_accepts_files (f->window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Sendoff");
  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APPLICATION_ID);
  g_assert_true (g_application_get_flags (G_APPLICATION (app)) & G_APPLICATION_HANDLES_OPEN);
}

static void
test_missing_key (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SendoffDestination) destination =
    save_destination (f, "wetransfer-v1", "Sandbox", (const char *[]) { "api-url=http://127.0.0.1:9", NULL });

  /* No key in the environment nor the keyring: the window says so */
  wait_until (f, banner_shown, "the missing key is explained");
  g_assert_nonnull (strstr (gtk_label_get_label (f->window->key_banner_label), "API Key"));
  g_assert_nonnull (strstr (gtk_label_get_label (f->window->key_banner_label), "“Sandbox”"));

  g_setenv ("SENDOFF_API_KEY", "some-key", TRUE);
  _sendoff_window_check_key (f->window);
  wait_until (f, banner_hidden, "a key in the environment is enough");
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *a = write_file (f->dir, "a.txt", 1000);
  g_autofree char *b = write_file (f->dir, "b.png", 2000);
  g_autofree char *c = write_file (f->dir, "c.bin", 3000);
  const char *paths[] = { a, b, c, NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  drop_paths (f, paths);
  wait_until (f, three_items, "the dropped files are listed");
  wait_until (f, adding_done, "adding ends");
  wait_until (f, on_transfer_page, "the list is shown");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->selection)), ==, 3);
  g_assert_cmpstr (gtk_label_get_label (f->window->total_label), ==, "3 files");
  g_assert_cmpstr (gtk_label_get_label (f->window->footer_total_label), ==, "6.0\u00a0kB");
  g_assert_cmpstr (gtk_text_get_placeholder_text (f->window->name_text), ==, "3 files");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (f->window->send_button)));

  sendoff_test_spin (100);
  collect_rows (GTK_WIDGET (f->window->list_view), rows);
  g_assert_cmpuint (rows->len, ==, 3);

  /* The same files again change nothing */
  drop_paths (f, paths);
  wait_until (f, adding_done, "adding ends");
  g_assert_cmpuint (sendoff_transfer_get_n_items (f->window->transfer), ==, 3);
}

static gboolean
label_shows (GtkWidget  *widget,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          strstr (gtk_label_get_label (GTK_LABEL (child)), text) != NULL)
        return TRUE;
      if (label_shows (child, text))
        return TRUE;
    }

  return FALSE;
}

static GtkDropTarget *
get_drop_target (Fixture *f)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  g_assert_not_reached ();
}

static void
test_drop_highlight (Fixture       *f,
                     gconstpointer  data)
{
  GtkDropTarget *target = get_drop_target (f);
  GdkDragAction action = 0;

  g_assert_false (gtk_revealer_get_reveal_child (f->window->drop_revealer));
  g_signal_emit_by_name (target, "enter", 100.0, 100.0, &action);
  g_assert_cmpint (action, ==, GDK_ACTION_COPY);
  g_assert_true (gtk_revealer_get_reveal_child (f->window->drop_revealer));
  g_signal_emit_by_name (target, "leave");
  g_assert_false (gtk_revealer_get_reveal_child (f->window->drop_revealer));
}

static gboolean
one_item (Fixture *f)
{
  return sendoff_transfer_get_n_items (f->window->transfer) == 1;
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *good = write_file (f->dir, "good.txt", 10);
  g_autofree char *fifo = g_build_filename (f->dir, "a-pipe", NULL);
  const char *paths[] = { good, fifo, NULL };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  drop_paths (f, paths);
  wait_until (f, adding_done, "adding ends");
  wait_until (f, one_item, "the good file is listed");
  sendoff_test_spin (200);
  /* The toast names the refused file */
  g_assert_true (label_shows (GTK_WIDGET (f->window->toast_overlay), "a-pipe"));
}

static gboolean
clipboard_has_files (Fixture *f)
{
  return sendoff_transfer_get_n_items (f->window->transfer) == 2 && f->window->n_adding == 0;
}

static void
test_paste (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *a = write_file (f->dir, "copied-a.txt", 10);
  g_autofree char *b = write_file (f->dir, "copied-b.txt", 20);
  GSList *list = NULL;
  GdkFileList *file_list;

  list = g_slist_append (list, g_file_new_for_path (a));
  list = g_slist_append (list, g_file_new_for_path (b));
  file_list = gdk_file_list_new_from_list (list);
  g_slist_free_full (list, g_object_unref);

  /* As a file manager's Copy puts them */
  gdk_clipboard_set (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), GDK_TYPE_FILE_LIST,
                     file_list);
  g_boxed_free (GDK_TYPE_FILE_LIST, file_list);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.paste-files", NULL));
  wait_until (f, clipboard_has_files, "the copied files are listed");
}

static void
expand_row (Fixture *f,
            guint    position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (f->window->selection),
                                                         position);

  g_assert_true (gtk_tree_list_row_is_expandable (row));
  gtk_tree_list_row_set_expanded (row, TRUE);
}

static gboolean
many_items (Fixture *f)
{
  return sendoff_transfer_get_n_items (f->window->transfer) == 3000 && f->window->n_adding == 0;
}

static void
test_many_files (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->dir, "many", NULL);
  const char *paths[] = { folder, NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkAdjustment *vadjustment;
  gint64 start;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%04u.txt", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_assert_true (g_file_set_contents (path, "x", 1, NULL));
    }

  start = g_get_monotonic_time ();
  drop_paths (f, paths);
  wait_until (f, many_items, "3000 files are listed");
  g_test_message ("3000 files listed in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  sendoff_test_spin (200);

  /* One row for the folder; opened, its 3000 files */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->selection)), ==, 1);
  expand_row (f, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->selection)), ==, 3001);
  sendoff_test_spin (200);

  /* Rows are recycled: GtkListView keeps a couple of hundred, not 3000 */
  collect_rows (GTK_WIDGET (f->window->list_view), rows);
  g_assert_cmpuint (rows->len, >, 3);
  g_assert_cmpuint (rows->len, <, 300);

  /* Scrolling to the end is quick */
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->window->list_view));
  start = g_get_monotonic_time ();
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  sendoff_test_spin (100);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_ptr_array_set_size (rows, 0);
  collect_rows (GTK_WIDGET (f->window->list_view), rows);
  g_assert_cmpuint (rows->len, <, 300);
}

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
          g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), text) == 0)
        return GTK_LABEL (child);
      if ((found = find_label (child, text)))
        return found;
    }

  return NULL;
}

/* A dropped folder is one row: its name, how many files and their size;
 * it opens to show them, and goes away as a whole */
static void
test_folder_row (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->dir, "photos", NULL);
  g_autofree char *x = write_file (folder, "x.jpg", 100);
  g_autofree char *y = write_file (folder, "trip/y.jpg", 200);
  g_autofree char *z = write_file (folder, "trip/z.jpg", 300);
  g_autofree char *loose = write_file (f->dir, "loose.txt", 50);
  const char *paths[] = { loose, folder, NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *button;

  drop_paths (f, paths);
  wait_until (f, adding_done, "adding ends");
  g_assert_cmpuint (sendoff_transfer_get_n_items (f->window->transfer), ==, 4);
  sendoff_test_spin (100);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->selection)), ==, 2);
  collect_rows (GTK_WIDGET (f->window->list_view), rows);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_nonnull (find_label (GTK_WIDGET (f->window->list_view), "photos"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->window->list_view), "3 files, 600 bytes"));

  expand_row (f, 1);
  sendoff_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->selection)), ==, 5);
  g_assert_nonnull (find_label (GTK_WIDGET (f->window->list_view), "photos/trip/y.jpg"));

  /* The folder's remove button takes its three files, not the loose one */
  g_ptr_array_set_size (rows, 0);
  collect_rows (GTK_WIDGET (f->window->list_view), rows);
  for (guint i = 0; i < rows->len; i++)
    if (sendoff_item_row_get_group (rows->pdata[i]) != NULL)
      {
        button = find_descendant (rows->pdata[i], GTK_TYPE_BUTTON);
        g_assert_true (gtk_widget_get_visible (button));
        g_signal_emit_by_name (button, "clicked");
        break;
      }
  g_assert_cmpuint (sendoff_transfer_get_n_items (f->window->transfer), ==, 1);
  g_assert_cmpuint (sendoff_transfer_get_size (f->window->transfer), ==, 50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->selection)), ==, 1);
}

/* Files added to a long list are scrolled into view */
static void
test_scroll_to_new (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *late = NULL;
  const char *paths[2] = { NULL, NULL };
  GtkAdjustment *adjustment;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%02u.txt", i);

      g_ptr_array_add (first, write_file (f->dir, name, 10));
    }
  g_ptr_array_add (first, NULL);
  drop_paths (f, (const char *const *) first->pdata);
  wait_until (f, adding_done, "adding ends");
  sendoff_test_spin (300);

  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->window->list_view));
  gtk_adjustment_set_value (adjustment, 0);
  sendoff_test_spin (100);

  late = write_file (f->dir, "late.txt", 10);
  paths[0] = late;
  drop_paths (f, paths);
  wait_until (f, adding_done, "adding ends");
  sendoff_test_spin (700);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment),
                     >=, gtk_adjustment_get_upper (adjustment) - 1);
  g_assert_nonnull (find_label (GTK_WIDGET (f->window->list_view), "late.txt"));
}

static void
test_drop_folder (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->dir, "photos", NULL);
  g_autofree char *x = write_file (folder, "x.jpg", 100);
  g_autofree char *y = write_file (folder, "trip/y.jpg", 200);
  g_autofree char *z = write_file (folder, "trip/z.jpg", 300);
  const char *paths[] = { folder, NULL };
  GListModel *items = sendoff_transfer_get_items (f->window->transfer);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  drop_paths (f, paths);
  wait_until (f, three_items, "the folder is expanded");
  wait_until (f, adding_done, "adding ends");

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      g_ptr_array_add (names, (gpointer) sendoff_item_get_name (item));
      g_assert_true (g_str_has_prefix (sendoff_item_get_name (item), "photos/"));
    }
  g_assert_cmpuint (sendoff_transfer_get_size (f->window->transfer), ==, 600);
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = write_file (f->dir, "a.txt", 10);
  const char *paths[] = { a, NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(SendoffDestination) destination =
    save_destination (f, "wetransfer-v1", "Sandbox", (const char *[]) { "api-url=http://127.0.0.1:9", NULL });
  GtkWidget *button;

  drop_paths (f, paths);
  wait_until (f, adding_done, "adding ends");
  wait_until (f, on_transfer_page, "the list is shown");
  sendoff_test_spin (100);

  collect_rows (GTK_WIDGET (f->window->list_view), rows);
  g_assert_cmpuint (rows->len, ==, 1);
  button = find_descendant (rows->pdata[0], GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");

  g_assert_cmpuint (sendoff_transfer_get_n_items (f->window->transfer), ==, 0);
  g_assert_cmpstr (visible_page (f), ==, "empty");
}

static gboolean clipboard_text_cb_done;
static char *clipboard_text;

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  clipboard_text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  clipboard_text_cb_done = TRUE;
}

static char *
read_clipboard (Fixture *f)
{
  clipboard_text_cb_done = FALSE;
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), NULL,
                                 read_text_cb, NULL);
  while (!clipboard_text_cb_done)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (&clipboard_text);
}

static void
drop_three_files (Fixture *f,
                  gsize    size)
{
  g_autofree char *a = write_file (f->dir, "report.pdf", size);
  g_autofree char *b = write_file (f->dir, "notes.txt", size / 3 + 1);
  g_autofree char *c = write_file (f->dir, "data/table.csv", size / 2 + 7);
  const char *paths[] = { a, b, c, NULL };

  drop_paths (f, paths);
  wait_until (f, three_items, "the dropped files are listed");
  wait_until (f, adding_done, "adding ends");
  wait_until (f, on_transfer_page, "the list is shown");
}

static void
test_send (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *clipboard = NULL;
  const char *link;
  JsonArray *transfers, *items;

  use_sandbox (f, NULL, NULL);
  drop_three_files (f, 7 * 1024 * 1024);
  gtk_editable_set_text (GTK_EDITABLE (f->window->name_text), "Quarterly report");
  gtk_editable_set_text (GTK_EDITABLE (f->window->message_text), "Here you go");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (f, on_done_page, "the transfer is sent");

  /* Every row ends with a full bar */
  collect_rows (GTK_WIDGET (f->window->list_view), rows);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkProgressBar *bar = GTK_PROGRESS_BAR (find_descendant (rows->pdata[i],
                                                               GTK_TYPE_PROGRESS_BAR));

      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
      g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, 1.0);
    }
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (f->window->progress_bar), ==, 1.0);

  /* The link is shown, selectable, and on the clipboard */
  link = gtk_label_get_label (f->window->link_label);
  g_assert_true (g_str_has_prefix (link, sendoff_test_sandbox_get_url (f->sandbox)));
  g_assert_cmpstr (link, ==, sendoff_transfer_get_share_url (f->window->transfer));
  g_assert_true (gtk_label_get_selectable (f->window->link_label));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window->link_label)));
  clipboard = read_clipboard (f);
  g_assert_cmpstr (clipboard, ==, link);
  /* The window was in front: no notification */
  g_assert_true (gtk_window_is_active (GTK_WINDOW (f->window)));
  g_assert_cmpuint (notifications->len, ==, 0);

  /* And the server holds the files, named as the user asked */
  state = sendoff_test_sandbox_get_state (f->sandbox);
  transfers = json_object_get_array_member (state, "transfers");
  g_assert_cmpuint (json_array_get_length (transfers), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (transfers, 0),
                                                  "name"), ==, "Quarterly report");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (transfers, 0),
                                                  "description"), ==, "Here you go");
  items = json_object_get_array_member (json_array_get_object_element (transfers, 0), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *filename = json_object_get_string_member (item, "filename");
      g_autofree char *path = g_build_filename (f->dir, filename, NULL);
      g_autofree char *sha = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_free (path);
          path = g_build_filename (f->dir, "data", filename, NULL);
        }
      sha = sendoff_test_sha256_file (path);
      g_assert_true (json_object_get_boolean_member (item, "completed"));
      g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, sha);
    }

  /* New Transfer starts over */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-transfer", NULL));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->window->name_text)), ==, "");
}

/* The Wunderlist service from Preferences: files land in the chosen task */
static void
test_send_wunderlist (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) state = NULL;
  JsonArray *files;
  const char *shown;

  g_autoptr(SendoffDestination) destination = NULL;
  g_autofree char *url_option = NULL;

  use_sandbox (f, NULL, NULL);
  g_setenv ("SENDOFF_ACCESS_TOKEN", "test-token", TRUE);
  g_setenv ("SENDOFF_CLIENT_ID", "test-client", TRUE);
  url_option = g_strdup_printf ("api-url=%s", sendoff_test_sandbox_get_url (f->sandbox));
  destination = save_destination (f, "wunderlist", "Tasks",
                                  (const char *[]) { url_option, "task-id=4242", NULL });

  drop_three_files (f, 6 * 1024 * 1024);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (f, on_done_page, "the files are sent to Wunderlist");

  state = sendoff_test_sandbox_get_state (f->sandbox);
  files = json_object_get_array_member (json_object_get_object_member (state, "wunderlist"),
                                        "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, i),
                                                 "task_id"), ==, 4242);

  /* No share link on Wunderlist: the created files are what is shown */
  g_assert_null (sendoff_transfer_get_share_url (f->window->transfer));
  shown = gtk_label_get_label (f->window->link_label);
  g_assert_nonnull (strstr (shown, "4242"));
  g_assert_cmpstr (shown, ==, sendoff_transfer_get_result (f->window->transfer));

  g_setenv ("SENDOFF_ACCESS_TOKEN", "", TRUE);
  g_setenv ("SENDOFF_CLIENT_ID", "", TRUE);
}

static gboolean
window_inactive (Fixture *f)
{
  return !gtk_window_is_active (GTK_WINDOW (f->window));
}

static gboolean
one_notification (Fixture *f)
{
  return notifications->len == 1;
}

static void
test_notification (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *other = gtk_window_new ();
  g_auto(GStrv) lines = NULL;

  use_sandbox (f, NULL, NULL);
  drop_three_files (f, 1000);
  g_ptr_array_set_size (notifications, 0);

  /* Another window covers Sendoff while it sends */
  gtk_window_set_default_size (GTK_WINDOW (other), 1280, 800);
  gtk_window_present (GTK_WINDOW (other));
  wait_until (f, window_inactive, "another window is in front");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (f, on_done_page, "the transfer is sent");
  wait_until (f, one_notification, "a notification is shown");

  lines = g_strsplit (notifications->pdata[0], "\n", -1);
  g_assert_cmpstr (lines[0], ==, "Transfer Sent");
  g_assert_cmpstr (lines[1], ==, sendoff_transfer_get_share_url (f->window->transfer));
  g_assert_true (g_strv_contains ((const char *const *) lines, "Copy Link"));
  /* Clicking it brings the window back */
  g_assert_true (g_strv_contains ((const char *const *) lines, "default"));

  gtk_window_destroy (GTK_WINDOW (other));
}

static guint
count_puts (JsonObject *state)
{
  JsonArray *transfers = json_object_get_array_member (state, "transfers");
  guint puts = 0;

  for (guint t = 0; t < json_array_get_length (transfers); t++)
    {
      JsonArray *items = json_object_get_array_member (json_array_get_object_element (transfers, t),
                                                       "items");

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonArray *parts = json_object_get_array_member (json_array_get_object_element (items, i),
                                                           "parts");

          for (guint p = 0; p < json_array_get_length (parts); p++)
            puts += json_object_get_int_member (json_array_get_object_element (parts, p), "puts");
        }
    }

  return puts;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *args[] = { "--latency-ms", "300", NULL };
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;

  use_sandbox (f, args, NULL);
  drop_three_files (f, 20 * 1024 * 1024);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (f, is_sending, "bytes move");

  /* Cancel asks too, then stops */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", NULL));
  sendoff_test_spin (50);
  g_assert_true (sendoff_window_is_sending (f->window));
  g_assert_true (sendoff_test_answer_dialog ("stop"));
  wait_until (f, is_cancelled, "the transfer stops");

  g_assert_cmpstr (visible_page (f), ==, "transfer");
  g_assert_true (gtk_widget_get_visible (f->window->stopped_box));
  g_assert_false (gtk_widget_get_visible (f->window->cancel_button));
  g_assert_cmpfloat (sendoff_transfer_get_fraction (f->window->transfer), <, 1.0);

  /* Nothing moves any more */
  sendoff_test_spin (500);
  before = sendoff_test_sandbox_get_state (f->sandbox);
  sendoff_test_spin (700);
  after = sendoff_test_sandbox_get_state (f->sandbox);
  g_assert_cmpuint (count_puts (before), ==, count_puts (after));

  /* Resume finishes it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.retry", NULL));
  wait_until (f, on_done_page, "the resumed transfer is sent");
}

static void
test_failure (Fixture       *f,
              gconstpointer  data)
{
  const char *args[] = { "--fail-put-rate", "1", NULL };
  g_autofree char *clipboard = NULL;
  const char *description;

  /* Retries run out at once */
  g_setenv ("SENDOFF_RETRY_BASE_MS", "1", TRUE);
  use_sandbox (f, args, NULL);
  drop_three_files (f, 100 * 1024);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (f, on_failed_page, "the failure is shown");

  /* A plain sentence, and the error itself to copy */
  description = adw_status_page_get_description (f->window->failed_page);
  g_assert_nonnull (strstr (description, "retry"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->failed_detail_label)));
  g_assert_nonnull (strstr (gtk_label_get_label (f->window->failed_detail_label), "500"));
  g_assert_false (gtk_widget_get_visible (f->window->failed_key_button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.copy-error", NULL));
  clipboard = read_clipboard (f);
  g_assert_cmpstr (clipboard, ==, gtk_label_get_label (f->window->failed_detail_label));

  /* Retry goes at it again, and fails the same way */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.retry", NULL));
  g_assert_true (sendoff_window_is_sending (f->window));
  g_assert_cmpstr (visible_page (f), ==, "transfer");
  wait_until (f, on_failed_page, "the failure is shown again");
}

static void
test_refused_key (Fixture       *f,
                  gconstpointer  data)
{
  use_sandbox (f, NULL, "not-the-key");
  drop_three_files (f, 1000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (f, on_failed_page, "the failure is shown");

  g_assert_true (g_error_matches (f->window->error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH));
  /* Worded from what the backend declares */
  g_assert_cmpstr (adw_status_page_get_description (f->window->failed_page), ==,
                   "The server refused the API Key. Enter a valid one, then retry.");
  g_assert_true (gtk_widget_get_visible (f->window->failed_key_button));
  g_assert_true (gtk_revealer_get_reveal_child (f->window->key_banner));
  /* The server's reason is shown */
  g_assert_nonnull (strstr (gtk_label_get_label (f->window->key_banner_label),
                            f->window->error->message));

  /* Enter Key… opens the editor of where files go, saying why */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.enter-key", NULL));
  sendoff_test_spin (100);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    SendoffPreferencesWindow *preferences = NULL;
    GtkWidget *editor;
    GtkLabel *reason;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && preferences == NULL; i++)
      {
        g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

        if (SENDOFF_IS_PREFERENCES_WINDOW (window))
          preferences = SENDOFF_PREFERENCES_WINDOW (window);
      }
    g_assert_nonnull (preferences);
    editor = _sendoff_preferences_window_get_subpage (preferences);
    g_assert_true (SENDOFF_IS_DESTINATION_EDITOR (editor));
    reason = GTK_LABEL (gtk_widget_get_template_child (editor, SENDOFF_TYPE_DESTINATION_EDITOR,
                                                       "secrets_error"));
    g_assert_nonnull (strstr (gtk_label_get_label (reason), f->window->error->message));
    gtk_window_destroy (GTK_WINDOW (preferences));
  }
}

static void
test_no_key_asks (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SendoffDestination) destination =
    save_destination (f, "wetransfer-v1", "Sandbox", (const char *[]) { "api-url=http://127.0.0.1:9", NULL });

  drop_three_files (f, 1000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  sendoff_test_spin (300);
  /* No failure: the window asks for a key instead */
  g_assert_cmpstr (visible_page (f), ==, "transfer");
  g_assert_cmpint (sendoff_transfer_get_state (f->window->transfer), ==, SENDOFF_STATE_NEW);
  g_assert_true (sendoff_test_answer_dialog ("cancel"));
  g_assert_true (gtk_revealer_get_reveal_child (f->window->key_banner));
}

/* ---- destinations ------------------------------------------------------ */

static guint n_setup_saved;

static void
on_setup_saved (void)
{
  n_setup_saved++;
}

static gboolean
setup_saved (Fixture *f)
{
  return n_setup_saved > 0;
}

static guint
count_transfers (SendoffTestSandbox *sandbox)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sandbox);

  return json_array_get_length (json_object_get_array_member (state, "transfers"));
}

static void
send_three_files (Fixture *f)
{
  drop_three_files (f, 1000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (f, on_done_page, "the files are sent");
}

/* First run: no destination, so the setup page; through it to a first send */
static void
test_setup (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;
  SendoffDestination *destination;
  const char *url;

  f->sandbox = sendoff_test_sandbox_start (NULL);
  url = sendoff_test_sandbox_get_url (f->sandbox);
  wait_until (f, on_setup_page, "the setup page is offered");
  g_assert_false (gtk_revealer_get_reveal_child (f->window->key_banner));

  n_setup_saved = 0;
  g_signal_connect (f->window->setup_page, "saved", G_CALLBACK (on_setup_saved), NULL);
  f->editor = sendoff_setup_page_choose (f->window->setup_page, "wetransfer-v1", NULL);
  type_into (f, "name", "Tom & Jerry <live>");
  type_into (f, "api-url", url);
  type_into (f, "api-key", sendoff_test_sandbox_get_api_key (f->sandbox));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.check", NULL));
  wait_until (f, editor_idle, "the server answered");
  g_assert_cmpstr (sendoff_destination_editor_get_status (f->editor), ==,
                   "It works: the server accepted the API Key.");
  g_assert_true (sendoff_destination_editor_get_checked (f->editor));
  /* Checked is not saved */
  saved = sendoff_destination_list_saved (f->window->settings);
  g_assert_cmpuint (saved->len, ==, 0);
  g_clear_pointer (&saved, g_ptr_array_unref);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL));
  wait_until (f, setup_saved, "the destination is saved");
  f->editor = NULL;
  wait_until (f, on_empty_page, "the window is ready for files");
  wait_until (f, banner_hidden, "the stored key is found");

  saved = sendoff_destination_list_saved (f->window->settings);
  g_assert_cmpuint (saved->len, ==, 1);
  destination = g_ptr_array_index (saved, 0);
  g_assert_cmpstr (sendoff_destination_get_name (destination), ==, "Tom & Jerry <live>");
  g_assert_cmpstr (sendoff_destination_get_option (destination, "api-url"), ==, url);
  secrets = sendoff_test_credentials_lookup_all (destination, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (secrets, "api-key"), ==,
                   sendoff_test_sandbox_get_api_key (f->sandbox));

  send_three_files (f);
  g_assert_cmpuint (count_transfers (f->sandbox), ==, 1);
}

/* Check with a wrong key says so in a sentence, and nothing is saved */
static void
test_check_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_way = NULL;
  const char *url;

  f->sandbox = sendoff_test_sandbox_start (NULL);
  url = sendoff_test_sandbox_get_url (f->sandbox);
  wait_until (f, on_setup_page, "the setup page is offered");

  f->editor = sendoff_setup_page_choose (f->window->setup_page, "wetransfer-v1", NULL);
  type_into (f, "api-url", url);
  type_into (f, "api-key", "not-the-key");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.check", NULL));
  wait_until (f, editor_idle, "the server answered");

  g_assert_cmpstr (sendoff_destination_editor_get_status (f->editor), ==,
                   "The server refused the API Key. Check it and try again.");
  g_assert_false (sendoff_destination_editor_get_checked (f->editor));

  saved = sendoff_destination_list_saved (f->window->settings);
  g_assert_cmpuint (saved->len, ==, 0);
  g_assert_cmpstr (visible_page (f), ==, "setup");
  /* Nor is the key stored anywhere */
  old_way = sendoff_test_credentials_lookup ("wetransfer-v1", url, "api-key", &error);
  g_assert_no_error (error);
  g_assert_null (old_way);

  /* Nothing answering is said too */
  type_into (f, "api-url", "http://127.0.0.1:9");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.check", NULL));
  wait_until (f, editor_idle, "the check gave up");
  g_test_message ("status: %s", sendoff_destination_editor_get_status (f->editor));
  g_assert_true (g_str_has_prefix (sendoff_destination_editor_get_status (f->editor),
                                   "Nothing answers at http://127.0.0.1:9."));
}

/* Two destinations in Preferences; the default decides where files go */
static void
test_default_destination (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(SendoffDestination) first = NULL;
  g_autoptr(SendoffDestination) second = NULL;
  g_autofree char *first_url = NULL;
  g_autofree char *second_url = NULL;
  g_autofree char *default_id = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *preferences;

  f->sandbox = sendoff_test_sandbox_start (NULL);
  f->other_sandbox = sendoff_test_sandbox_start (NULL);
  first_url = g_strdup_printf ("api-url=%s", sendoff_test_sandbox_get_url (f->sandbox));
  second_url = g_strdup_printf ("api-url=%s", sendoff_test_sandbox_get_url (f->other_sandbox));
  first = save_destination (f, "wetransfer-v1", "First", (const char *[]) { first_url, NULL });
  second = save_destination (f, "wetransfer-v1", "Tom & Jerry <live>",
                             (const char *[]) { second_url, NULL });
  g_assert_true (sendoff_test_credentials_store_for (first, "api-key",
                                                     sendoff_test_sandbox_get_api_key (f->sandbox),
                                                     &error));
  g_assert_true (sendoff_test_credentials_store_for (second, "api-key",
                                                     sendoff_test_sandbox_get_api_key (f->other_sandbox),
                                                     &error));
  g_assert_no_error (error);

  preferences = sendoff_preferences_window_new (GTK_WINDOW (f->window));
  sendoff_window_watch_preferences (f->window, GTK_WINDOW (preferences));
  gtk_window_present (GTK_WINDOW (preferences));
  sendoff_test_spin (50);
  g_assert_nonnull (_sendoff_preferences_window_get_row (SENDOFF_PREFERENCES_WINDOW (preferences),
                                                         sendoff_destination_get_id (first)));
  g_assert_nonnull (_sendoff_preferences_window_get_row (SENDOFF_PREFERENCES_WINDOW (preferences),
                                                         sendoff_destination_get_id (second)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     _sendoff_preferences_window_get_row (SENDOFF_PREFERENCES_WINDOW (preferences),
                                                          sendoff_destination_get_id (second)))),
                   ==, "Tom & Jerry <live>");

  g_assert_true (gtk_widget_activate_action (preferences, "prefs.make-default", "s",
                                             sendoff_destination_get_id (second)));
  default_id = g_settings_get_string (f->window->settings, "default-destination");
  g_assert_cmpstr (default_id, ==, sendoff_destination_get_id (second));
  gtk_window_destroy (GTK_WINDOW (preferences));
  wait_until (f, banner_hidden, "both have their keys");

  send_three_files (f);
  g_assert_cmpuint (count_transfers (f->other_sandbox), ==, 1);
  g_assert_cmpuint (count_transfers (f->sandbox), ==, 0);
}

static gboolean
app_ready (Fixture *f)
{
  return sendoff_application_get_ready (app);
}

/* Settings and a key of before destinations become a first destination
 * that sends without the key being typed again */
static void
test_migrate (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GSettings) legacy = g_settings_new (SCHEMA_ID ".Legacy");
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *url;

  f->sandbox = sendoff_test_sandbox_start (NULL);
  url = sendoff_test_sandbox_get_url (f->sandbox);
  g_settings_set_string (legacy, "service", "wetransfer-v1");
  g_settings_set_string (legacy, "api-url", url);
  g_assert_true (sendoff_test_credentials_store ("wetransfer-v1", url, "api-key",
                                                 sendoff_test_sandbox_get_api_key (f->sandbox),
                                                 &error));
  g_assert_no_error (error);
  g_settings_set_boolean (f->window->settings, "legacy-migrated", FALSE);

  _sendoff_application_migrate (app);
  wait_until (f, app_ready, "the old settings are moved");
  g_assert_true (g_settings_get_boolean (f->window->settings, "legacy-migrated"));
  wait_until (f, on_empty_page, "no setup is needed");
  wait_until (f, banner_hidden, "the moved key is found");

  saved = sendoff_destination_list_saved (f->window->settings);
  g_assert_cmpuint (saved->len, ==, 1);
  g_assert_cmpstr (sendoff_destination_get_option (g_ptr_array_index (saved, 0), "api-url"),
                   ==, url);

  send_three_files (f);
  g_assert_cmpuint (count_transfers (f->sandbox), ==, 1);

  g_settings_reset (legacy, "service");
  g_settings_reset (legacy, "api-url");
  sendoff_test_credentials_clear ("wetransfer-v1", url, "api-key", NULL);
}

/* Without a session manager (Xvfb), GTK warns that it cannot inhibit
 * logout; that is the test machine, not the window. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, ".Inhibit failed") != NULL)
      return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  sendoff_test_use_own_data_home ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_log_set_writer_func (log_writer, NULL, NULL);
  notifications = sendoff_test_notifications_start (SENDOFF_TEST_NOTIFY_IDS_COUNT);

  app = sendoff_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/sendoff/window/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("empty", test_empty);
  ADD ("missing-key", test_missing_key);
  ADD ("setup", test_setup);
  ADD ("check-refused", test_check_refused);
  ADD ("default-destination", test_default_destination);
  ADD ("migrate", test_migrate);
  ADD ("drop", test_drop);
  ADD ("drop-folder", test_drop_folder);
  ADD ("drop-highlight", test_drop_highlight);
  ADD ("refused", test_refused);
  ADD ("paste", test_paste);
  ADD ("many-files", test_many_files);
  ADD ("remove", test_remove);
  ADD ("folder-row", test_folder_row);
  ADD ("scroll-to-new", test_scroll_to_new);
  ADD ("no-key-asks", test_no_key_asks);
  ADD ("send", test_send);
  ADD ("send-wunderlist", test_send_wunderlist);
  ADD ("notification", test_notification);
  ADD ("cancel", test_cancel);
  ADD ("failure", test_failure);
  ADD ("refused-key", test_refused_key);
#undef ADD

  ret = g_test_run ();
  g_clear_object (&app);

  return ret;
}
