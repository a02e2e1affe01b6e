/* test-window-screenshots.c — takes the screenshots in data/screenshots of the real window
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not part of the suite: run it by hand on a 1280×800 Xvfb screen,
 *   tests/run-headless _build/tests/test-window-screenshots data/screenshots [WIDTH HEIGHT]
 * It drives the window against sendoff-sandbox and saves the empty,
 * compose, sending, stopped, done and error states (and the first run,
 * without a key) of the window alone (`import -window <its X id>`), as
 * Flathub asks. LANGUAGE=de and ADW_DEBUG_COLOR_SCHEME=prefer-dark give the
 * German and dark variants for review.
 */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>

#include "sandbox-fixture.h"
#include "sendoff-application.h"
#include "sendoff-service.h"
#include "sendoff-transfer-private.h"
#include "sendoff-window-private.h"

static SendoffApplication *app;
static const char *outdir;
static GtkWindow *current;

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
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (current));
  g_autofree char *xid = g_strdup_printf ("0x%lx", gdk_x11_surface_get_xid (surface));
  const char *argv[] = { "import", "-window", xid, path, NULL };
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
stopped (SendoffWindow *window)
{
  return sendoff_transfer_get_state (window->transfer) == SENDOFF_STATE_CANCELLED &&
         !sendoff_window_is_sending (window);
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

  current = GTK_WINDOW (window);
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

  if (argc != 2 && argc != 4)
    g_error ("usage: %s OUTPUT-DIR [WIDTH HEIGHT]", argv[0]);
  outdir = argv[1];

  g_setenv ("SENDOFF_RETRY_BASE_MS", "1", TRUE);
  /* The translations as built, for LANGUAGE=de and the others */
  if (g_getenv ("SENDOFF_BUILD_ROOT") != NULL)
    {
      g_autofree char *localedir = g_build_filename (g_getenv ("SENDOFF_BUILD_ROOT"), "po", NULL);

      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
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
  /* Flathub wants the window alone, at a size people use */
  g_settings_set_int (settings, "window-width", argc == 4 ? atoi (argv[2]) : 860);
  g_settings_set_int (settings, "window-height", argc == 4 ? atoi (argv[3]) : 640);

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

  /* The engine's retry status, as it would show a busy service */
  _sendoff_transfer_set_retry (window->transfer, g_get_monotonic_time () + 8 * G_USEC_PER_SEC,
                               3, 10, "HTTP 503");
  shoot ("retrying");
  _sendoff_transfer_clear_retry (window->transfer);

  _sendoff_window_cancel (window);
  spin_until (stopped, window);
  shoot ("stopped");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.retry", NULL);

  spin_until (page_is_done, window);
  /* The sandbox's link is on 127.0.0.1; show one as a real service gives */
  _sendoff_transfer_set_share_url (window->transfer, "https://we.tl/t-7fQx2LmZ9v");
  _sendoff_transfer_set_link_expires_at (window->transfer,
                                         g_get_real_time () / G_USEC_PER_SEC + 7 * 86400);
  _sendoff_window_update_done_page (window);
  /* "Link copied" has said its piece */
  spin (3500);
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

  /* For review, not the store: the key the service refuses */
  g_setenv ("SENDOFF_API_KEY", "not-the-key", TRUE);
  window = open_window ();
  drop (window, dir, names + 1);
  spin_until (added, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);
  spin_until (page_is_failed, window);
  shoot ("refused-key");
  gtk_window_destroy (GTK_WINDOW (window));
  sendoff_test_sandbox_stop (sandbox);

  g_clear_object (&app);
  return 0;
}
