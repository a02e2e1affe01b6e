/* test-window-screenshots.c — takes the screenshots in data/screenshots of the real window
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not part of the suite: run it by hand on a 1280×800 Xvfb screen,
 *   tests/run-headless _build/tests/test-window-screenshots data/screenshots [WIDTH HEIGHT]
 * It drives the window against sendoff-sandbox and saves the empty,
 * compose, sending, stopped, done and error states (and the first run,
 * with nothing set up) of the window alone (`import -window <its X id>`), as
 * Flathub asks. LANGUAGE=de and ADW_DEBUG_COLOR_SCHEME=prefer-dark give the
 * German and dark variants for review.
 *
 *   tests/run-headless _build/tests/test-window-screenshots OUTPUT-DIR destinations
 * saves instead every screen of setting up destinations (setup page,
 * editor, Check's answers, Preferences, the key banner), 360 pixels wide
 * and wide, light and dark, each window on its own.
 *
 *   tests/run-headless _build/tests/test-window-screenshots OUTPUT-DIR journal
 * saves the unfinished transfers' banner, its Discard question and
 * History, 360 pixels wide and wide, light and dark.
 *
 *   tests/run-headless _build/tests/test-window-screenshots OUTPUT-DIR background
 * saves the window closed while sending as inside Flatpak, the Background
 * portal (tests/fake-background-portal) refusing: the whole screen and
 * the dialog alone, 360 pixels wide and wide, light and dark.
 */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>

#include "background-portal-fixture.h"
#include "sandbox-fixture.h"
#include "sendoff-application.h"
#include "sendoff-credentials.h"
#include "sendoff-preferences-window.h"
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

/* One window, without the rest of the screen */
static void
shoot_window (GtkWidget  *window,
              const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", outdir, name);
  g_autofree char *xid = NULL;
  const char *argv[] = { "import", "-window", NULL, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  park_pointer ();
  spin (700);
  xid = g_strdup_printf ("0x%lx", gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))));
  argv[2] = xid;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     NULL, NULL, &status, &error) || status != 0)
    g_error ("import failed: %s", error ? error->message : "exit status");
  g_print ("saved %s\n", path);
}

/* The whole screen: a dialog with the window it belongs to */
static void
shoot_screen (const char *name)
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

static SendoffDestinationEditor *editor_shown;

static gboolean
editor_idle (SendoffWindow *window)
{
  return !sendoff_destination_editor_get_busy (editor_shown);
}

static void
forget_all (GSettings *settings)
{
  g_autoptr(GPtrArray) saved = sendoff_destination_list_saved (settings);

  for (guint i = 0; i < saved->len; i++)
    sendoff_destination_forget (g_ptr_array_index (saved, i), settings);
}

static void
check_with (SendoffWindow *window,
            const char    *url,
            const char    *key)
{
  gtk_editable_set_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor_shown, "name")),
                         "Tom & Jerry <live>");
  gtk_editable_set_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor_shown, "api-url")),
                         url);
  gtk_editable_set_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor_shown, "api-key")),
                         key);
  gtk_widget_activate_action (GTK_WIDGET (editor_shown), "editor.check", NULL);
  spin (50);
  spin_until (editor_idle, window);
}

/* Presets and every option type, as the S3 backend will declare them
 * (no backend in the table has presets yet) */
static const char *const region_choices[] = { "us-east-1", "eu-central-1", NULL };
static const char *const region_labels[] = { "US East", "Europe (Frankfurt)", NULL };
static const char *const r2_values[] = { "endpoint=https://ACCOUNT_ID.r2.cloudflarestorage.com",
                                         "path-style=true", NULL };
static const SendoffOptionSpec preview_options[] = {
  { .key = "endpoint", .type = SENDOFF_OPTION_URL, .label = "Endpoint" },
  { .key = "bucket", .type = SENDOFF_OPTION_STRING, .label = "Bucket" },
  { .key = "region", .type = SENDOFF_OPTION_CHOICE, .label = "Region",
    .choices = region_choices, .choice_labels = region_labels, .default_value = "us-east-1" },
  { .key = "path-style", .type = SENDOFF_OPTION_BOOLEAN, .label = "Path-Style Addresses",
    .description = "Needed by most servers but AWS", .default_value = "false" },
  { NULL }
};
static const SendoffSecretSpec preview_secrets[] = {
  { .key = "access-key-id", .label = "Access Key ID" },
  { .key = "secret-access-key", .label = "Secret Access Key" },
  { NULL }
};
static const SendoffPresetSpec preview_presets[] = {
  { .id = "r2", .label = "Cloudflare R2",
    .description = "The account ID is on the R2 overview page of the Cloudflare dashboard",
    .assignments = r2_values },
  { .id = "other", .label = "Other S3-Compatible" },
  { NULL }
};
static const SendoffBackendInfo preview_backend = {
  .id = "preview", .display_name = "S3-Compatible Storage", .icon_name = "folder-remote-symbolic",
  .options = preview_options, .secrets = preview_secrets, .presets = preview_presets,
};

static void
shoot_presets (GSettings  *settings,
               const char *suffix,
               int         width)
{
  g_autofree char *name = g_strdup_printf ("editor-presets-%s", suffix);
  g_autoptr(SendoffDestination) destination = sendoff_destination_new (&preview_backend, NULL);
  GtkWidget *window = adw_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *editor = sendoff_destination_editor_new (destination, settings);

  gtk_widget_set_margin_top (editor, 24);
  gtk_widget_set_margin_bottom (editor, 24);
  gtk_widget_set_margin_start (editor, 12);
  gtk_widget_set_margin_end (editor, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), editor);
  adw_window_set_content (ADW_WINDOW (window), clamp);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 640);
  gtk_window_present (GTK_WINDOW (window));
  shoot_window (window, name);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every screen of setting up destinations, at one width and scheme */
static void
shoot_destinations (GSettings  *settings,
                    const char *url,
                    const char *key,
                    int         width,
                    gboolean    dark)
{
  g_autofree char *suffix = g_strdup_printf ("%d-%s", width, dark ? "dark" : "light");
  g_autofree char *name = NULL;
  g_autoptr(SendoffDestination) other = NULL;
  g_autoptr(SendoffDestination) saved = NULL;
  SendoffPreferencesWindow *preferences;
  SendoffWindow *window;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", 640);
  forget_all (settings);
  g_setenv ("SENDOFF_API_URL", "", TRUE);
  g_setenv ("SENDOFF_API_KEY", "", TRUE);

  shoot_presets (settings, suffix, width);

  window = open_window ();
  name = g_strdup_printf ("setup-%s", suffix);
  shoot_window (GTK_WIDGET (window), name);

  editor_shown = sendoff_setup_page_choose (window->setup_page, "wetransfer-v1", NULL);
  g_free (name);
  name = g_strdup_printf ("setup-editor-%s", suffix);
  shoot_window (GTK_WIDGET (window), name);

  gtk_editable_set_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor_shown, "api-url")),
                         "http://example.com");
  g_free (name);
  name = g_strdup_printf ("setup-bad-url-%s", suffix);
  shoot_window (GTK_WIDGET (window), name);

  check_with (window, url, "not-the-key");
  g_free (name);
  name = g_strdup_printf ("setup-refused-%s", suffix);
  shoot_window (GTK_WIDGET (window), name);

  check_with (window, "http://127.0.0.1:9", key);
  g_free (name);
  name = g_strdup_printf ("setup-nothing-answers-%s", suffix);
  shoot_window (GTK_WIDGET (window), name);

  check_with (window, url, key);
  g_free (name);
  name = g_strdup_printf ("setup-works-%s", suffix);
  shoot_window (GTK_WIDGET (window), name);

  gtk_widget_activate_action (GTK_WIDGET (editor_shown), "editor.save", NULL);
  spin (600);
  g_free (name);
  name = g_strdup_printf ("after-setup-%s", suffix);
  shoot_window (GTK_WIDGET (window), name);

  /* A second destination, without its key: the banner */
  other = sendoff_destination_new (sendoff_backend_lookup ("wunderlist"), "Office tasks");
  sendoff_destination_set_option (other, "api-url", "https://tasks.example.com", NULL);
  sendoff_destination_set_option (other, "task-id", "4242", NULL);
  sendoff_destination_save (other, settings, NULL);
  sendoff_destination_set_default (settings, other);
  spin (300);
  g_free (name);
  name = g_strdup_printf ("key-banner-%s", suffix);
  shoot_window (GTK_WIDGET (window), name);

  preferences = SENDOFF_PREFERENCES_WINDOW (sendoff_preferences_window_new (GTK_WINDOW (window)));
  gtk_window_set_default_size (GTK_WINDOW (preferences), MIN (width, 600), 560);
  gtk_window_present (GTK_WINDOW (preferences));
  g_free (name);
  name = g_strdup_printf ("preferences-%s", suffix);
  shoot_window (GTK_WIDGET (preferences), name);

  /* Removing asks first */
  gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.remove", "s",
                              sendoff_destination_get_id (other));
  spin (300);
  for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
    {
      g_autoptr(GtkWindow) dialog = g_list_model_get_item (gtk_window_get_toplevels (), i);

      if (!ADW_IS_MESSAGE_DIALOG (dialog))
        continue;
      g_free (name);
      name = g_strdup_printf ("preferences-remove-%s", suffix);
      shoot_window (GTK_WIDGET (dialog), name);
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      gtk_window_destroy (dialog);
      break;
    }

  saved = sendoff_destination_find (settings, "Tom & Jerry <live>");
  editor_shown = sendoff_preferences_window_edit (preferences, saved, NULL);
  g_free (name);
  name = g_strdup_printf ("preferences-edit-%s", suffix);
  shoot_window (GTK_WIDGET (preferences), name);

  gtk_widget_activate_action (GTK_WIDGET (editor_shown), "editor.save", NULL);
  spin (50);
  spin_until (editor_idle, window);
  g_free (name);
  name = g_strdup_printf ("preferences-saved-%s", suffix);
  shoot_window (GTK_WIDGET (preferences), name);

  sendoff_preferences_window_edit (preferences, other, "Forbidden: invalid access token");
  g_free (name);
  name = g_strdup_printf ("preferences-edit-refused-%s", suffix);
  shoot_window (GTK_WIDGET (preferences), name);

  sendoff_preferences_window_add (preferences);
  g_free (name);
  name = g_strdup_printf ("preferences-add-%s", suffix);
  shoot_window (GTK_WIDGET (preferences), name);

  gtk_window_destroy (GTK_WINDOW (preferences));
  window->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  spin (200);
}

static GtkWindow *
visible_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static void
fill_journal (void)
{
  SendoffJournal *journal = sendoff_application_get_journal (app);
  const char *names[] = { "Lisbon trip", "Tom & Jerry <live>", "Project plan", "Budget 2026" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(SendoffJournalTransfer) record = sendoff_journal_transfer_new ();
      g_autofree char *file = g_strdup_printf ("%s.mkv", names[i]);
      g_autofree char *path = g_build_filename ("/nonexistent", file, NULL);
      g_autofree char *id = NULL;

      record->name = g_strdup (names[i]);
      record->backend_id = g_strdup ("wetransfer-v1");
      record->destination_name = g_strdup ("WeTransfer");
      record->bytes_total = 412 * 1000 * 1000;
      sendoff_journal_transfer_add_file (record, path, file, record->bytes_total);
      id = sendoff_journal_create (journal, record, NULL);
      g_assert (id != NULL);
      if (i == 0 || i == 3)
        {
          sendoff_journal_set_link (journal, id, "https://we.tl/t-7fQx2LmZ9v",
                                    g_get_real_time () / G_USEC_PER_SEC + 3 * 86400);
          sendoff_journal_set_bytes_sent (journal, id, record->bytes_total);
          sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_DONE, NULL, NULL);
        }
      else
        sendoff_journal_set_state (journal, id, SENDOFF_JOURNAL_PAUSED, NULL, NULL);
    }
}

static void
shoot_journal (GSettings *settings,
               int        width,
               gboolean   dark)
{
  g_autofree char *suffix = g_strdup_printf ("%d-%s", width, dark ? "dark" : "light");
  g_autofree char *name = NULL;
  SendoffWindow *window;
  GtkWindow *dialog;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_set_int (settings, "window-width", width);
  window = open_window ();
  name = g_strdup_printf ("unfinished-%s", suffix);
  shoot (name);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.discard-unfinished", NULL);
  spin (300);
  dialog = visible_dialog ();
  g_assert (dialog != NULL);
  g_free (name);
  name = g_strdup_printf ("unfinished-discard-%s", suffix);
  shoot_window (GTK_WIDGET (dialog), name);
  gtk_window_destroy (dialog);

  /* The oldest one's file is gone */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.resume-unfinished", NULL);
  spin (500);
  dialog = visible_dialog ();
  g_assert (dialog != NULL);
  g_free (name);
  name = g_strdup_printf ("resume-file-gone-%s", suffix);
  shoot_window (GTK_WIDGET (dialog), name);
  gtk_window_destroy (dialog);

  /* Quitting while sending asks first (the send itself is not needed) */
  window->sending = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  spin (300);
  dialog = visible_dialog ();
  g_assert (dialog != NULL);
  g_free (name);
  name = g_strdup_printf ("quit-while-sending-%s", suffix);
  shoot_window (GTK_WIDGET (dialog), name);
  gtk_window_destroy (dialog);
  window->sending = FALSE;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL);
  gtk_window_set_default_size (window->history_window, width, 640);
  spin (300);
  g_free (name);
  name = g_strdup_printf ("history-%s", suffix);
  shoot_window (GTK_WIDGET (window->history_window), name);

  window->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  spin (200);
}

static gboolean
sending (SendoffWindow *window)
{
  return sendoff_transfer_get_bytes_sent (window->transfer) > 0;
}

static gboolean
refused (SendoffWindow *window)
{
  return window->background_refused != NULL;
}

static void
shoot_background (GSettings   *settings,
                  const char  *dir,
                  const char **names,
                  int          width,
                  gboolean     dark)
{
  g_autofree char *suffix = g_strdup_printf ("%d-%s", width, dark ? "dark" : "light");
  g_autofree char *name = NULL;
  SendoffWindow *window;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_set_int (settings, "window-width", width);
  window = open_window ();
  drop (window, dir, names);
  spin_until (added, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);
  spin_until (sending, window);

  gtk_window_close (GTK_WINDOW (window));
  spin_until (refused, window);
  name = g_strdup_printf ("background-refused-screen-%s", suffix);
  shoot_screen (name);
  g_free (name);
  name = g_strdup_printf ("background-refused-%s", suffix);
  shoot_window (GTK_WIDGET (window->background_refused), name);

  gtk_window_destroy (window->background_refused);
  _sendoff_window_cancel (window);
  spin_until (stopped, window);
  window->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  spin (200);
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

  if (argc != 2 && argc != 3 && argc != 4)
    g_error ("usage: %s OUTPUT-DIR [WIDTH HEIGHT | destinations | journal | background]",
             argv[0]);
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

  if (argc == 3 && g_str_equal (argv[2], "destinations"))
    {
      sandbox = sendoff_test_sandbox_start (NULL);
      for (guint i = 0; i < 4; i++)
        shoot_destinations (settings, sendoff_test_sandbox_get_url (sandbox),
                            sendoff_test_sandbox_get_api_key (sandbox),
                            i % 2 ? 720 : 360, i >= 2);
      sendoff_test_sandbox_stop (sandbox);
      g_clear_object (&app);
      return 0;
    }

  if (argc == 3 && g_str_equal (argv[2], "journal"))
    {
      /* Somewhere to resume to, never reached: the files are gone */
      g_setenv ("SENDOFF_API_URL", "http://127.0.0.1:9", TRUE);
      g_setenv ("SENDOFF_API_KEY", "not-used", TRUE);
      fill_journal ();
      for (guint i = 0; i < 4; i++)
        shoot_journal (settings, i % 2 ? 720 : 360, i >= 2);
      g_clear_object (&app);
      return 0;
    }

  if (argc == 3 && g_str_equal (argv[2], "background"))
    {
      const char *deny[] = { "--answer=deny", NULL };
      SendoffTestPortal *portal = sendoff_test_portal_start (deny);

      sandbox = sendoff_test_sandbox_start (slow);
      g_setenv ("SENDOFF_API_URL", sendoff_test_sandbox_get_url (sandbox), TRUE);
      g_setenv ("SENDOFF_API_KEY", sendoff_test_sandbox_get_api_key (sandbox), TRUE);
      g_setenv ("SENDOFF_TEST_SANDBOXED", "1", TRUE);
      for (guint i = 0; i < 4; i++)
        shoot_background (settings, dir, names, i % 2 ? 720 : 360, i >= 2);
      sendoff_test_sandbox_stop (sandbox);
      sendoff_test_portal_stop (portal);
      g_clear_object (&app);
      return 0;
    }

  /* First run: nothing set up yet */
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
