/* test-window-journal.c — the window's sends in the journal: the banner, resume, discard, History, background
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cli-runner.h"
#include "sandbox-fixture.h"
#include "sendoff-application.h"
#include "sendoff-window-private.h"
#include "window-test-util.h"

static SendoffApplication *app;
static GPtrArray *notifications;   /* "summary\nbody\naction labels…" */

typedef struct {
  SendoffWindow      *window;
  SendoffTestSandbox *sandbox;
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

static SendoffJournal *
journal (void)
{
  return sendoff_application_get_journal (app);
}

static SendoffJournalState
journal_state (const char *id)
{
  return sendoff_test_journal_state (journal (), id);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *args[] = { "--latency-ms", "150", NULL };
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 24 * 1024 * 1024;

  g_assert_nonnull (journal ());
  /* Every test starts with nothing left unfinished */
  unfinished = sendoff_journal_list (journal (), TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < unfinished->len; i++)
    sendoff_journal_remove (journal (), ((SendoffJournalTransfer *) unfinished->pdata[i])->id,
                            NULL);

  f->dir = g_dir_make_tmp ("sendoff-test-window-journal-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = sendoff_test_write_file (f->dir, "Tom & Jerry <live>.bin", size, 7, 13);

  f->sandbox = sendoff_test_sandbox_start (args);
  g_setenv ("SENDOFF_API_URL", sendoff_test_sandbox_get_url (f->sandbox), TRUE);
  g_setenv ("SENDOFF_API_KEY", sendoff_test_sandbox_get_api_key (f->sandbox), TRUE);
  g_ptr_array_set_size (notifications, 0);

  f->window = sendoff_test_window_open (app);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sendoff_test_window_close (&f->window);
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
files_listed (Fixture *f)
{
  return sendoff_transfer_get_n_items (f->window->transfer) == 1 && f->window->n_adding == 0;
}

static gboolean
destination_known (Fixture *f)
{
  return f->window->destination != NULL;
}

static gboolean
is_sending (Fixture *f)
{
  return sendoff_transfer_get_state (f->window->transfer) == SENDOFF_STATE_SENDING &&
         sendoff_transfer_get_bytes_sent (f->window->transfer) > 0 &&
         sendoff_transfer_get_journal_id (f->window->transfer) != NULL;
}

static gboolean
on_done_page (Fixture *f)
{
  return g_str_equal (gtk_stack_get_visible_child_name (f->window->stack), "done") &&
         !sendoff_window_is_sending (f->window);
}

static gboolean
window_gone (Fixture *f)
{
  return g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), f->window) == NULL;
}

static gboolean
banner_shown (Fixture *f)
{
  return gtk_revealer_get_reveal_child (f->window->journal_banner);
}

static gboolean
journal_discarded (Fixture *f)
{
  return journal_state (f->id) == SENDOFF_JOURNAL_DISCARDED;
}

static gboolean
notified (Fixture *f)
{
  return notifications->len > 0;
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
  g_free (f->id);
  f->id = g_strdup (sendoff_transfer_get_journal_id (f->window->transfer));
}

/* Quitting while sending asks, then pauses: the journal says PAUSED */
static void
quit_while_sending (Fixture *f)
{
  start_sending (f);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  sendoff_test_spin (50);
  g_assert_true (sendoff_window_is_sending (f->window));
  g_assert_true (sendoff_test_answer_dialog ("quit"));
  wait_until (f, window_gone, "the window goes once the send stopped");
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_PAUSED);
  g_clear_object (&f->window);
}

static void
check_sandbox_holds_file (Fixture *f)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (f->sandbox);
  JsonArray *transfers = json_object_get_array_member (state, "transfers");
  g_autofree char *sha = sendoff_test_sha256_file (f->path);
  gboolean found = FALSE;

  for (guint t = 0; t < json_array_get_length (transfers); t++)
    {
      JsonArray *items = json_object_get_array_member (json_array_get_object_element (transfers, t),
                                                       "items");

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);

          if (json_object_get_boolean_member (item, "completed") &&
              g_strcmp0 (json_object_get_string_member (item, "sha256"), sha) == 0)
            found = TRUE;
        }
    }
  g_assert_true (found);
}

/* ---- tests ------------------------------------------------------------- */

static void
test_quit_pauses (Fixture       *f,
                  gconstpointer  data)
{
  quit_while_sending (f);
}

static void
test_banner_resume (Fixture       *f,
                    gconstpointer  data)
{
  quit_while_sending (f);

  f->window = sendoff_test_window_open (app);
  wait_until (f, banner_shown, "the banner shows");
  g_assert_cmpstr (gtk_label_get_label (f->window->journal_banner_label), ==,
                   "1 unfinished transfer");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.resume-unfinished",
                                             NULL));
  wait_until (f, on_done_page, "the resumed transfer is sent");
  g_assert_cmpstr (sendoff_transfer_get_journal_id (f->window->transfer), ==, f->id);
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_DONE);
  g_assert_nonnull (sendoff_transfer_get_share_url (f->window->transfer));
  g_assert_cmpstr (gtk_label_get_label (f->window->link_label), ==,
                   sendoff_transfer_get_share_url (f->window->transfer));
  check_sandbox_holds_file (f);
  /* Nothing is left: the banner goes */
  g_assert_false (gtk_revealer_get_reveal_child (f->window->journal_banner));
}

static void
test_banner_discard (Fixture       *f,
                     gconstpointer  data)
{
  quit_while_sending (f);

  f->window = sendoff_test_window_open (app);
  wait_until (f, banner_shown, "the banner shows");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.discard-unfinished",
                                             NULL));
  sendoff_test_spin (50);
  /* Asked first */
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_PAUSED);
  g_assert_true (sendoff_test_answer_dialog ("discard"));
  wait_until (f, journal_discarded, "the journal says discarded");
  sendoff_test_spin (50);
  g_assert_false (gtk_revealer_get_reveal_child (f->window->journal_banner));
}

static gboolean
dialog_shown (Fixture *f)
{
  return sendoff_test_visible_dialog () != NULL;
}

/* A file gone since: the resume says which, and offers Discard */
static void
test_resume_missing_file (Fixture       *f,
                          gconstpointer  data)
{
  AdwMessageDialog *dialog;

  quit_while_sending (f);
  g_assert_cmpint (g_unlink (f->path), ==, 0);

  f->window = sendoff_test_window_open (app);
  wait_until (f, banner_shown, "the banner shows");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.resume-unfinished",
                                             NULL));
  wait_until (f, dialog_shown, "the resume is refused");
  dialog = sendoff_test_visible_dialog ();
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Tom & Jerry <live>.bin"));
  g_assert_false (sendoff_window_is_sending (f->window));
  g_assert_true (sendoff_test_answer_dialog ("discard"));
  wait_until (f, journal_discarded, "the journal says discarded");
}

/* A stopped transfer put aside: when its Undo toast goes, it is discarded */
static void
test_stopped_discarded (Fixture       *f,
                        gconstpointer  data)
{
  start_sending (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", NULL));
  sendoff_test_spin (50);
  g_assert_true (sendoff_test_answer_dialog ("stop"));
  while (sendoff_window_is_sending (f->window))
    sendoff_test_spin (10);
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_PAUSED);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-transfer", NULL));
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_PAUSED);
  _sendoff_window_forget_discarded (f->window);   /* as when the toast goes */
  wait_until (f, journal_discarded, "the journal says discarded");
}

static GtkWidget *
find_label_with (GtkWidget  *widget,
                 const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_text (GTK_LABEL (child)), text))
        return child;
      if ((found = find_label_with (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  const char *link;
  GtkWidget *view;

  start_sending (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-history", NULL));
  wait_until (f, on_done_page, "the transfer is sent");
  link = sendoff_transfer_get_share_url (f->window->transfer);
  g_assert_nonnull (f->window->history_window);
  view = g_object_get_data (G_OBJECT (f->window->history_window), "sendoff-history-view");
  /* Opened while sending, it shows the link as soon as the Done page does */
  g_assert_nonnull (find_label_with (view, link));
  g_assert_nonnull (find_label_with (view, "Tom & Jerry <live>"));
  g_assert_true (gtk_widget_activate_action (view, "history.copy-link", "s", f->id));

  gtk_window_close (f->window->history_window);
  sendoff_test_spin (20);
  g_assert_null (f->window->history_window);
}

/* Closing the window while sending: the send goes on, the application
 * stays, the link comes in a notification */
static void
test_background (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(GStrv) lines = NULL;
  GApplication *application = G_APPLICATION (app);

  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  sendoff_test_spin (50);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (sendoff_window_get_in_background (f->window));
  g_assert_true (sendoff_window_is_sending (f->window));
  /* Where it is, before the send ends: the first notification says how
   * far it is (it goes through the session bus, so it is waited for, not
   * expected within a fixed 50 ms: a loaded CI machine missed that) */
  wait_until (f, notified, "a notification says how far it is");
  g_assert_true (g_str_has_prefix (notifications->pdata[0],
                                   "Sending “Tom & Jerry <live>.bin” — "));

  g_application_hold (application);   /* no other window may end it meanwhile */
  wait_until (f, window_gone, "the send ends and the window goes");
  wait_until (f, sent_notification, "the link comes in a notification");
  g_application_release (application);
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_DONE);
  check_sandbox_holds_file (f);

  for (guint i = 0; i < notifications->len; i++)
    if (g_str_has_prefix (notifications->pdata[i], "Transfer Sent\n"))
      lines = g_strsplit (notifications->pdata[i], "\n", -1);
  g_assert_true (g_str_has_prefix (lines[1], sendoff_test_sandbox_get_url (f->sandbox)));
  g_assert_true (g_strv_contains ((const char *const *) lines, "Copy Link"));
  g_clear_object (&f->window);
}

/* Brought back while sending, the window stays once the send is done */
static void
test_background_back (Fixture       *f,
                      gconstpointer  data)
{
  start_sending (f);
  gtk_window_close (GTK_WINDOW (f->window));
  sendoff_test_spin (50);
  g_assert_true (sendoff_window_get_in_background (f->window));

  g_action_group_activate_action (G_ACTION_GROUP (app), "present-window",
                                  g_variant_new_uint32 (gtk_application_window_get_id (
                                    GTK_APPLICATION_WINDOW (f->window))));
  sendoff_test_spin (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_false (sendoff_window_get_in_background (f->window));
  wait_until (f, on_done_page, "the transfer is sent");
  sendoff_test_spin (100);
  g_assert_false (window_gone (f));
}

/* ---- another Sendoff sends it ----------------------------------------- */

static gboolean
locked_elsewhere (Fixture *f)
{
  g_autoptr(SendoffJournalTransfer) record = sendoff_journal_get (journal (), f->id, NULL);

  return record != NULL && record->locked && record->locked_by != getpid ();
}

static gboolean
banner_hidden (Fixture *f)
{
  return !gtk_revealer_get_reveal_child (f->window->journal_banner);
}

/* `sendoff-cli resume ID` in a terminal of the same session (the same
 * journal, keyring and server), frozen once it holds the transfer (outside
 * a journal commit: the window must not wait for it) */
static SendoffTestCliProcess *
resume_in_terminal (Fixture *f)
{
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();
  SendoffTestCliProcess *process;

  sendoff_test_cli_set_api_key (cli, sendoff_test_sandbox_get_api_key (f->sandbox));
  sendoff_test_cli_setenv (cli, "SENDOFF_API_URL", sendoff_test_sandbox_get_url (f->sandbox));
  sendoff_test_cli_set_keyring (cli, SENDOFF_TEST_CLI_KEYRING_SESSION);
  process = sendoff_test_cli_spawn (cli, (const char *const[]) { "resume", "--jobs", "1", f->id,
                                                                 NULL });
  wait_until (f, locked_elsewhere, "the terminal holds the transfer");
  sendoff_test_cli_process_freeze (process, sendoff_journal_get_path (journal ()));
  return process;
}

static char *
journal_row (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffJournalTransfer) record = sendoff_journal_get (journal (), id, &error);

  g_assert_no_error (error);
  return g_strdup_printf ("%s %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                          sendoff_journal_state_to_string (record->state), record->resumable,
                          record->bytes_sent, record->ended_at);
}

/* The banner made before a terminal took the transfer: Resume and Discard
 * look again, say so, and leave it alone; History says where it is; once
 * the terminal is killed, the banner offers it again */
static void
test_sending_elsewhere (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SendoffTestCliProcess) terminal = NULL;
  g_auto(SendoffTestCliRun) killed = { 0 };
  g_autoptr(SendoffWindow) other = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *said = NULL;
  GtkWidget *view;

  quit_while_sending (f);
  f->window = sendoff_test_window_open (app);
  other = sendoff_test_window_open (app);
  wait_until (f, banner_shown, "the banner shows");
  g_assert_true (gtk_revealer_get_reveal_child (other->journal_banner));

  /* A click that comes before the windows hear of the terminal (their
   * banners follow the locks, test_banner_follows_terminal): they do not
   * hear of it here */
  g_signal_handlers_block_matched (f->window->locks_monitor, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                   NULL, f->window);
  g_signal_handlers_block_matched (other->locks_monitor, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   other);
  terminal = resume_in_terminal (f);
  before = journal_row (f->id);
  said = g_strdup_printf ("is being sent by another Sendoff (process %d)",
                          (int) sendoff_test_cli_process_get_pid (terminal));

  /* Resume, from the banner made before */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.resume-unfinished",
                                             NULL));
  sendoff_test_spin (300);
  g_assert_false (sendoff_window_is_sending (f->window));
  g_assert_null (f->window->resume_id);
  g_assert_nonnull (find_label_with (GTK_WIDGET (f->window->toast_overlay), said));
  g_assert_true (banner_hidden (f));

  /* Discard, from the other window's */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (other), "win.discard-unfinished", NULL));
  sendoff_test_spin (50);
  g_assert_true (sendoff_test_answer_dialog ("discard"));
  sendoff_test_spin (300);
  g_assert_nonnull (find_label_with (GTK_WIDGET (other->toast_overlay), said));
  g_assert_false (gtk_revealer_get_reveal_child (other->journal_banner));

  after = journal_row (f->id);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (journal_state (f->id), !=, SENDOFF_JOURNAL_DISCARDED);

  /* History: being sent, not unfinished here */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-history", NULL));
  view = g_object_get_data (G_OBJECT (f->window->history_window), "sendoff-history-view");
  g_assert_nonnull (find_label_with (view, "Sending elsewhere · "));
  gtk_window_close (f->window->history_window);
  sendoff_test_spin (20);

  /* kill -9: nothing holds it; the banner offers it, and it resumes */
  sendoff_test_cli_process_send_signal (terminal, SIGKILL);
  sendoff_test_cli_process_wait (terminal, &killed);
  sendoff_test_cli_assert_killed (&killed, SIGKILL);
  sendoff_window_update_unfinished (f->window);
  g_assert_true (banner_shown (f));
  g_assert_cmpstr (gtk_label_get_label (f->window->journal_banner_label), ==,
                   "1 unfinished transfer");
  sendoff_test_window_close (&other);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.resume-unfinished",
                                             NULL));
  wait_until (f, on_done_page, "the resumed transfer is sent");
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_DONE);
  check_sandbox_holds_file (f);
}

/* The banner follows a terminal with no click in the window: it goes when
 * `sendoff-cli resume` takes the transfer, and comes back when Ctrl+C
 * there lets go of it (paused) */
static void
test_banner_follows_terminal (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(SendoffTestCliProcess) terminal = NULL;
  g_auto(SendoffTestCliRun) stopped = { 0 };

  quit_while_sending (f);
  f->window = sendoff_test_window_open (app);
  wait_until (f, banner_shown, "the banner shows");

  terminal = resume_in_terminal (f);
  wait_until (f, banner_hidden, "the banner goes while the terminal holds the transfer");

  /* Ctrl+C, seen once the terminal runs again */
  sendoff_test_cli_process_send_signal (terminal, SIGINT);
  sendoff_test_cli_process_send_signal (terminal, SIGCONT);
  sendoff_test_cli_process_wait (terminal, &stopped);
  sendoff_test_cli_assert_status (&stopped, 130);
  g_assert_cmpint (journal_state (f->id), ==, SENDOFF_JOURNAL_PAUSED);

  wait_until (f, banner_shown, "the banner offers the transfer again");
  g_assert_cmpstr (gtk_label_get_label (f->window->journal_banner_label), ==,
                   "1 unfinished transfer");
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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  sendoff_test_use_own_data_home ();
  /* Sending on in the background as outside Flatpak, also inside
   * flatpak-builder's sandbox (tests/test-window-background.c asks the
   * portal) */
  g_setenv ("SENDOFF_TEST_SANDBOXED", "0", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_log_set_writer_func (log_writer, NULL, NULL);
  notifications = sendoff_test_notifications_start (SENDOFF_TEST_NOTIFY_IDS_REPLACES);

  app = sendoff_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/sendoff/window-journal/" name, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("quit-pauses", test_quit_pauses);
  ADD ("banner-resume", test_banner_resume);
  ADD ("banner-discard", test_banner_discard);
  ADD ("resume-missing-file", test_resume_missing_file);
  ADD ("stopped-discarded", test_stopped_discarded);
  ADD ("history", test_history);
  ADD ("background", test_background);
  ADD ("background-back", test_background_back);
  ADD ("sending-elsewhere", test_sending_elsewhere);
  ADD ("banner-follows-terminal", test_banner_follows_terminal);
#undef ADD

  ret = g_test_run ();
  g_clear_object (&app);

  return ret;
}
