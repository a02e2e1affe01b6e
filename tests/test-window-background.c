/* test-window-background.c — closing the window while sending, inside Flatpak: the Background portal asked
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window sends to sendoff-sandbox; a fake portal
 * (tests/fake-background-portal) answers on a bus of the test's own,
 * where nothing is activatable: "no portal" holds on any desktop.
 * SENDOFF_TEST_SANDBOXED says whether Sendoff is to behave as inside
 * Flatpak. (Outside it, tests/test-window-journal.c covers sending on
 * in the background.)
 */

#include "config.h"

#include <string.h>

#include "background-portal-fixture.h"
#include "sandbox-fixture.h"
#include "window-test-util.h"
#include "sendoff-application.h"
#include "sendoff-window-private.h"

static SendoffApplication *app;
static GPtrArray *notifications;   /* "summary\nbody\naction labels…" */

typedef struct {
  SendoffWindow      *window;
  SendoffTestSandbox *sandbox;
  SendoffTestPortal  *portal;
  char               *dir;
  char               *path;
  char               *id;
} Fixture;

typedef gboolean (*Condition) (Fixture *f);

/* ---- helpers ---------------------------------------------------------- */

static void
wait_until (Fixture    *f,
            Condition   condition,
            const char *what)
{
  sendoff_test_wait_until ((SendoffTestCondition) condition, f, 60, what);
}

static SendoffJournalState
journal_state (const char *id)
{
  return sendoff_test_journal_state (sendoff_application_get_journal (app), id);
}

static void
start_portal (Fixture    *f,
              const char *answer)
{
  const char *args[] = { answer, NULL };

  f->portal = sendoff_test_portal_start (args);
}

static guint
n_requests (Fixture *f)
{
  g_autoptr(GVariant) requests = sendoff_test_portal_get_requests (f->portal);

  return (guint) g_variant_n_children (requests);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *args[] = { "--latency-ms", "150", NULL };
  g_autoptr(GError) error = NULL;
  gsize size = 24 * 1024 * 1024;

  f->dir = g_dir_make_tmp ("sendoff-test-window-background-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = sendoff_test_write_file (f->dir, "Holiday & friends.bin", size, 7, 13);

  f->sandbox = sendoff_test_sandbox_start (args);
  g_setenv ("SENDOFF_API_URL", sendoff_test_sandbox_get_url (f->sandbox), TRUE);
  g_setenv ("SENDOFF_API_KEY", sendoff_test_sandbox_get_api_key (f->sandbox), TRUE);
  g_setenv ("SENDOFF_TEST_SANDBOXED", "1", TRUE);
  g_ptr_array_set_size (notifications, 0);

  f->window = sendoff_test_window_open (app);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  AdwMessageDialog *dialog;

  while ((dialog = sendoff_test_visible_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  sendoff_test_window_close (&f->window);
  g_clear_pointer (&f->portal, sendoff_test_portal_stop);
  g_clear_pointer (&f->sandbox, sendoff_test_sandbox_stop);
  sendoff_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->id);
  g_setenv ("SENDOFF_API_URL", "", TRUE);
  g_setenv ("SENDOFF_API_KEY", "", TRUE);
}

/* ---- conditions -------------------------------------------------------- */

static gboolean
destination_known (Fixture *f)
{
  return f->window->destination != NULL;
}

static gboolean
files_listed (Fixture *f)
{
  return sendoff_transfer_get_n_items (f->window->transfer) == 1 && f->window->n_adding == 0;
}

static gboolean
is_sending (Fixture *f)
{
  return sendoff_transfer_get_state (f->window->transfer) == SENDOFF_STATE_SENDING &&
         sendoff_transfer_get_bytes_sent (f->window->transfer) > 0 &&
         sendoff_transfer_get_journal_id (f->window->transfer) != NULL;
}

static gboolean
in_background (Fixture *f)
{
  return sendoff_window_get_in_background (f->window);
}

static gboolean
asked (Fixture *f)
{
  return n_requests (f) == 1;
}

static gboolean
question_closed (Fixture *f)
{
  g_autoptr(GVariant) requests = sendoff_test_portal_get_requests (f->portal);
  gboolean closed = FALSE;

  g_variant_get_child (requests, 0, "(&s@a{sv}b)", NULL, NULL, &closed);
  return closed;
}

static gboolean
dialog_shown (Fixture *f)
{
  return sendoff_test_visible_dialog () != NULL;
}

static gboolean
window_gone (Fixture *f)
{
  return g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), f->window) == NULL;
}

static gboolean
on_done_page (Fixture *f)
{
  return g_str_equal (gtk_stack_get_visible_child_name (f->window->stack), "done") &&
         !sendoff_window_is_sending (f->window);
}

static gboolean
sent_notification (Fixture *f)
{
  for (guint i = 0; i < notifications->len; i++)
    if (g_str_has_prefix (notifications->pdata[i], "Transfer Sent\n"))
      return TRUE;
  return FALSE;
}

/* ---- steps ------------------------------------------------------------- */

static void
start_sending (Fixture *f)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->path);

  wait_until (f, destination_known, "the destination is known");
  sendoff_window_add_files (f->window, &file, 1);
  wait_until (f, files_listed, "the file is listed");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (f, is_sending, "bytes move");
  f->id = g_strdup (sendoff_transfer_get_journal_id (f->window->transfer));
}

/* What a window that went on in the background does: it goes when the
 * send is done, and the link comes in a notification */
static void
check_sent_in_background (Fixture *f)
{
  g_application_hold (G_APPLICATION (app));   /* no other window may end it meanwhile */
  wait_until (f, window_gone, "the send ends and the window goes");
  wait_until (f, sent_notification, "the link comes in a notification");
  g_application_release (G_APPLICATION (app));
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_DONE);
  g_clear_object (&f->window);
}

static gboolean
notified (Fixture *f)
{
  return notifications->len > 0;
}

static void
check_hidden_and_sending (Fixture *f)
{
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (sendoff_window_is_sending (f->window));
  /* Where it is, at once */
  wait_until (f, notified, "a notification says how far it is");
  g_assert_true (g_str_has_prefix (notifications->pdata[0],
                                   "Sending “Holiday & friends.bin” — "));
}

/* ---- tests ------------------------------------------------------------- */

/* Allowed: the window goes and the send goes on, as outside Flatpak */
static void
test_allowed (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GVariant) requests = NULL;
  g_autoptr(GVariant) options = NULL;
  g_autofree char *printed = NULL;
  const char *parent, *reason;
  gboolean autostart = TRUE;

  start_portal (f, "--answer=allow");
  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (f, in_background, "the portal allows it");
  check_hidden_and_sending (f);

  requests = sendoff_test_portal_get_requests (f->portal);
  g_assert_cmpuint (g_variant_n_children (requests), ==, 1);
  g_variant_get_child (requests, 0, "(&s@a{sv}b)", &parent, &options, NULL);
  printed = g_variant_print (options, FALSE);
  g_test_message ("parent window %s, options %s", parent, printed);
  g_assert_true (g_str_has_prefix (parent, "x11:"));
  g_assert_true (g_variant_lookup (options, "reason", "&s", &reason));
  g_assert_cmpuint (strlen (reason), >, 0);
  g_assert_true (g_variant_lookup (options, "autostart", "b", &autostart));
  g_assert_false (autostart);

  check_sent_in_background (f);
}

/* Denied: the window stays and says why; closing again asks again */
static void
test_denied_keep (Fixture       *f,
                  gconstpointer  data)
{
  AdwMessageDialog *dialog;

  start_portal (f, "--answer=deny");
  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (f, dialog_shown, "the refusal is explained");
  dialog = sendoff_test_visible_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Sendoff Cannot Run in the Background");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_false (sendoff_window_get_in_background (f->window));
  g_assert_true (sendoff_window_is_sending (f->window));

  g_assert_true (sendoff_test_answer_dialog ("keep"));
  sendoff_test_spin (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (sendoff_window_is_sending (f->window));

  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (f, dialog_shown, "the refusal is explained again");
  g_assert_cmpuint (n_requests (f), ==, 2);
  g_assert_true (sendoff_test_answer_dialog ("keep"));

  wait_until (f, on_done_page, "the transfer is sent with the window open");
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_DONE);
  sendoff_test_spin (100);
  g_assert_false (window_gone (f));
}

/* Denied, then Pause and Close: the journal keeps it to be resumed */
static void
test_denied_pause (Fixture       *f,
                   gconstpointer  data)
{
  start_portal (f, "--answer=deny");
  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (f, dialog_shown, "the refusal is explained");

  g_application_hold (G_APPLICATION (app));
  g_assert_true (sendoff_test_answer_dialog ("pause"));
  wait_until (f, window_gone, "the window goes once the send stopped");
  g_application_release (G_APPLICATION (app));
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_PAUSED);
  g_assert_false (sent_notification (f));
  g_clear_object (&f->window);
}

/* Inside Flatpak without a portal: nothing to ask, the send goes on */
static void
test_no_portal (Fixture       *f,
                gconstpointer  data)
{
  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (f, in_background, "it goes on in the background");
  check_hidden_and_sending (f);
  check_sent_in_background (f);
}

/* Outside Flatpak the portal is not asked, whatever is on the bus */
static void
test_not_sandboxed (Fixture       *f,
                    gconstpointer  data)
{
  start_portal (f, "--answer=deny");
  g_setenv ("SENDOFF_TEST_SANDBOXED", "0", TRUE);
  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (sendoff_window_get_in_background (f->window));
  check_hidden_and_sending (f);
  g_assert_cmpuint (n_requests (f), ==, 0);
  check_sent_in_background (f);
}

/* The send is done before the user answers: the question is withdrawn
 * and the window shows the link */
static void
test_done_while_asking (Fixture       *f,
                        gconstpointer  data)
{
  start_portal (f, "--answer=wait");
  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (f, asked, "the portal is asked");
  gtk_window_close (GTK_WINDOW (f->window));   /* asked once */
  sendoff_test_spin (50);
  g_assert_cmpuint (n_requests (f), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  wait_until (f, on_done_page, "the transfer is sent");
  wait_until (f, question_closed, "the question is withdrawn");
  sendoff_test_portal_answer (f->portal, "allow");   /* too late: changes nothing */
  sendoff_test_spin (100);
  g_assert_false (window_gone (f));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_false (sendoff_window_get_in_background (f->window));
}

/* Quitting while the user is asked pauses, and withdraws the question */
static void
test_quit_while_asking (Fixture       *f,
                        gconstpointer  data)
{
  start_portal (f, "--answer=wait");
  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  wait_until (f, asked, "the portal is asked");

  g_application_hold (G_APPLICATION (app));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  wait_until (f, dialog_shown, "quitting asks");
  g_assert_true (sendoff_test_answer_dialog ("quit"));
  wait_until (f, window_gone, "the window goes once the send stopped");
  wait_until (f, question_closed, "the question is withdrawn");
  g_application_release (G_APPLICATION (app));
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_PAUSED);
  g_clear_object (&f->window);
}

/* Without a session manager (Xvfb), GTK warns that it cannot inhibit */
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

static void
on_activate (GApplication *application)
{
}

/* Before anything connects to the session bus: one of the test's own,
 * where no real portal can be started */
static GTestDBus *
start_bus (void)
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  g_autofree char *runtime_dir = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

  /* It unsets these, which the window needs */
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  if (runtime_dir != NULL)
    g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);

  return bus;
}

int
main (int   argc,
      char *argv[])
{
  static GTestDBus *bus;
  g_autoptr(GError) error = NULL;
  int ret;

  sendoff_test_use_own_data_home ();
  bus = start_bus ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_log_set_writer_func (log_writer, NULL, NULL);
  notifications = sendoff_test_notifications_start (SENDOFF_TEST_NOTIFY_IDS_COUNT);

  app = sendoff_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/sendoff/window-background/" name, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("allowed", test_allowed);
  ADD ("denied-keep", test_denied_keep);
  ADD ("denied-pause", test_denied_pause);
  ADD ("no-portal", test_no_portal);
  ADD ("not-sandboxed", test_not_sandboxed);
  ADD ("done-while-asking", test_done_while_asking);
  ADD ("quit-while-asking", test_quit_while_asking);
#undef ADD

  ret = g_test_run ();
  g_clear_object (&app);
  /* GTK and libadwaita keep the bus's connection to the end: the bus is
   * only stopped (g_test_dbus_down(), also on its last unref, would wait
   * for that connection to go) */
  g_test_dbus_stop (bus);

  return ret;
}
