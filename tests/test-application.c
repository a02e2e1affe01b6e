/* test-application.c — the application: opening files, shortcuts, About, Preferences
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "sendoff-application.h"
#include "sendoff-preferences-window.h"
#include "sendoff-window-private.h"

static SendoffApplication *app;

static void
spin_until (gboolean (*condition) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
toplevel_of_type (gpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return TRUE;
    }

  return FALSE;
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

static gboolean
window_has_two_items (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  return SENDOFF_IS_WINDOW (window) &&
         sendoff_transfer_get_n_items (sendoff_window_get_transfer (SENDOFF_WINDOW (window))) == 2;
}

static void
close_all (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  spin_until (no_windows, NULL);
}

static gboolean
app_ready (gpointer data)
{
  return sendoff_application_get_ready (app);
}

static gboolean
window_on_setup (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  return SENDOFF_IS_WINDOW (window) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (SENDOFF_WINDOW (window)->stack), "setup") == 0;
}

/* Startup moves older settings once; with nothing to move and nothing
 * set up, the first window asks where files should go */
static void
test_first_window (void)
{
  GSettings *settings = sendoff_application_get_settings (app);

  spin_until (app_ready, NULL);
  g_assert_true (g_settings_get_boolean (settings, "legacy-migrated"));

  g_application_activate (G_APPLICATION (app));
  spin_until (window_on_setup, NULL);
  close_all ();
}

static void
test_open_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sendoff-test-app-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (dir, "b.txt", NULL);
  g_autoptr(GFile) fa = g_file_new_for_path (a);
  g_autoptr(GFile) fb = g_file_new_for_path (b);
  GFile *files[] = { fa, fb };
  GtkWindow *window;

  g_assert_true (g_file_set_contents (a, "aaa", 3, NULL));
  g_assert_true (g_file_set_contents (b, "bbbb", 4, NULL));

  /* As a file manager's "Open With" or the command line does */
  g_application_open (G_APPLICATION (app), files, 2, "");
  spin_until (window_has_two_items, NULL);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (SENDOFF_WINDOW (window)->stack), ==,
                   "transfer");
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);

  close_all ();
  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
}

static void
test_accels (void)
{
  static const struct { const char *action; const char *accel; } expected[] = {
    { "win.add-files", "<Control>o" },
    { "win.send", "<Control>Return" },
    { "app.preferences", "<Control>comma" },
    { "app.quit", "<Control>q" },
    { "win.show-help-overlay", "<Control>question" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    expected[i].action);

      g_assert_true (g_strv_contains ((const char *const *) accels, expected[i].accel));
    }
}

static void
test_about_and_shortcuts (void)
{
  SendoffWindow *window = sendoff_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  spin_until (toplevel_of_type, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  spin_until (toplevel_of_type, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW));

  /* Ctrl+, and the "Enter Key…" buttons */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  spin_until (toplevel_of_type, GSIZE_TO_POINTER (SENDOFF_TYPE_PREFERENCES_WINDOW));

  close_all ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = sendoff_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/sendoff/application/first-window", test_first_window);
  g_test_add_func ("/sendoff/application/open-files", test_open_files);
  g_test_add_func ("/sendoff/application/accels", test_accels);
  g_test_add_func ("/sendoff/application/about-and-shortcuts", test_about_and_shortcuts);

  ret = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  return ret;
}
