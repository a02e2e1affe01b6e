/* test-window-screenshots.c — takes the screenshots in data/screenshots of the real window
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not part of the suite: run it by hand on a 1280×800 Xvfb screen,
 *   tests/run-headless _build/tests/test-window-screenshots data/screenshots
 * It drives the window against sendoff-sandbox and saves the empty,
 * compose, sending, done and error states (and the first run, without a
 * key) with `import -window root`.
 */

#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>

#include "sandbox-fixture.h"
#include "sendoff-application.h"
#include "sendoff-service.h"
#include "sendoff-window-private.h"

static SendoffApplication *app;
static const char *outdir;

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

static void
spin_until (gboolean (*condition) (SendoffWindow *), SendoffWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!condition (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The pointer rests in a corner, away from tooltips and hover effects */
static void
park_pointer (void)
{
  Display *display = gdk_x11_display_get_xdisplay (gdk_display_get_default ());

  XWarpPointer (display, None, DefaultRootWindow (display), 0, 0, 0, 0, 1279, 799);
  XFlush (display);
}

static void
shoot (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", outdir, name);
  const char *argv[] = { "import", "-window", "root", path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  park_pointer ();
  spin (700);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     NULL, NULL, &status, &error) || status != 0)
    g_error ("import failed: %s", error ? error->message : "exit status");
  g_print ("saved %s\n", path);
}

static char *
make_file (const char *dir,
           const char *name,
           goffset     size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  int fd;

  g_mkdir_with_parents (parent, 0700);
  fd = g_open (path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
  g_assert (fd >= 0);
  g_assert (ftruncate (fd, size) == 0);
  close (fd);

  return g_steal_pointer (&path);
}

static void
drop (SendoffWindow *window,
      const char    *dir,
      const char   **names)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_ptr_array_add (files, g_file_new_for_path (path));
    }

  sendoff_window_add_files (window, (GFile **) files->pdata, files->len);
}

static gboolean
added (SendoffWindow *window)
{
  return window->n_adding == 0 && sendoff_transfer_get_n_items (window->transfer) > 0;
}

static gboolean
well_under_way (SendoffWindow *window)
{
  return sendoff_transfer_get_fraction (window->transfer) > 0.38 &&
         sendoff_transfer_get_eta (window->transfer) >= 0;
}

static gboolean
page_is_done (SendoffWindow *window)
{
  return g_str_equal (gtk_stack_get_visible_child_name (window->stack), "done");
}

static gboolean
page_is_failed (SendoffWindow *window)
{
  return g_str_equal (gtk_stack_get_visible_child_name (window->stack), "failed");
}

static SendoffWindow *
open_window (void)
{
  SendoffWindow *window = sendoff_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  spin (300);

  return window;
}

int
main (int   argc,
      char *argv[])
{
  const char *slow[] = { "--latency-ms", "250", "--discard", NULL };
  const char *broken[] = { "--fail-put-rate", "1", NULL };
  const char *names[] = { "Summer in Lisbon.mp4", "Project plan.pdf", "Budget 2026.ods",
                          "Photos", "Interview.ogg", NULL };
  g_autofree char *dir = g_dir_make_tmp ("sendoff-screenshots-XXXXXX", NULL);
  g_autoptr(GSettings) settings = NULL;
  SendoffTestSandbox *sandbox;
  SendoffWindow *window;

  if (argc != 2)
    g_error ("usage: %s OUTPUT-DIR", argv[0]);
  outdir = argv[1];

  g_setenv ("SENDOFF_RETRY_BASE_MS", "1", TRUE);
  gtk_init ();
  adw_init ();

  make_file (dir, names[0], 412 * 1000 * 1000);
  make_file (dir, names[1], 2400 * 1000);
  make_file (dir, names[2], 86 * 1000);
  make_file (dir, "Photos/Tram 28.jpg", 6100 * 1000);
  make_file (dir, "Photos/Belém at dusk.jpg", 5800 * 1000);
  make_file (dir, "Photos/Alfama.jpg", 7300 * 1000);
  make_file (dir, names[4], 31 * 1000 * 1000);

  app = sendoff_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN |
                           G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  settings = sendoff_settings_new_if_available ();
  g_assert (settings != NULL);
  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 800);

  /* First run: no key anywhere yet */
  g_setenv ("SENDOFF_API_KEY", "", TRUE);
  window = open_window ();
  spin (500);
  shoot ("first-run");
  gtk_window_destroy (GTK_WINDOW (window));

  /* Empty: a fresh start, a key in the environment */
  sandbox = sendoff_test_sandbox_start (slow);
  g_setenv ("SENDOFF_API_URL", sendoff_test_sandbox_get_url (sandbox), TRUE);
  g_setenv ("SENDOFF_API_KEY", sendoff_test_sandbox_get_api_key (sandbox), TRUE);
  window = open_window ();
  shoot ("empty");

  drop (window, dir, names);
  spin_until (added, window);
  gtk_editable_set_text (GTK_EDITABLE (window->name_text), "Lisbon trip");
  gtk_editable_set_text (GTK_EDITABLE (window->message_text), "The photos and the video from our trip!");
  shoot ("compose");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);
  spin_until (well_under_way, window);
  shoot ("sending");

  spin_until (page_is_done, window);
  spin (300);
  shoot ("done");
  window->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  sendoff_test_sandbox_stop (sandbox);

  /* Error: a service whose storage fails every upload */
  sandbox = sendoff_test_sandbox_start (broken);
  g_setenv ("SENDOFF_API_URL", sendoff_test_sandbox_get_url (sandbox), TRUE);
  window = open_window ();
  drop (window, dir, names + 1);
  spin_until (added, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);
  spin_until (page_is_failed, window);
  shoot ("error");
  gtk_window_destroy (GTK_WINDOW (window));
  sendoff_test_sandbox_stop (sandbox);

  g_clear_object (&app);
  return 0;
}
