/* test-preferences.c — the Preferences window saves and removes keys
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in-process under tests/run-headless (Xvfb, a throwaway keyring).
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <adwaita.h>

#include "credentials-sync.h"
#include "sendoff-credentials.h"
#include "sendoff-preferences-window.h"
#include "sendoff-service.h"
#include "sendoff-types.h"

#define WT "wetransfer-v1"
#define WT_URL "https://dev.wetransfer.com"

static gboolean
timed_out (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static void
wait_idle (SendoffPreferencesWindow *window)
{
  guint id = g_timeout_add_seconds (10, timed_out, (gpointer) "the keyring");

  /* Pending keyring calls first, then the status lookup they start. */
  do
    g_main_context_iteration (NULL, TRUE);
  while (sendoff_preferences_window_get_busy (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_source_remove (id);
}

static char *
keyring_lookup_for (const char *service,
                    const char *url,
                    const char *kind)
{
  g_autoptr(GError) error = NULL;
  char *secret = sendoff_test_credentials_lookup (service, url, kind, &error);

  g_assert_no_error (error);
  return secret;
}

static char *
keyring_lookup (const char *url,
                const char *kind)
{
  return keyring_lookup_for (WT, url, kind);
}

static SendoffPreferencesWindow *
open_window (void)
{
  GtkWidget *window = sendoff_preferences_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  wait_idle (SENDOFF_PREFERENCES_WINDOW (window));
  return SENDOFF_PREFERENCES_WINDOW (window);
}

static GtkWidget *
child (SendoffPreferencesWindow *window,
       const char               *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                    SENDOFF_TYPE_PREFERENCES_WINDOW, name));
}

static void
enter_secret (SendoffPreferencesWindow *window,
              const char               *kind,
              const char               *text)
{
  GtkWidget *row = _sendoff_preferences_window_get_secret_row (window, kind);

  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
  wait_idle (window);
}

static void
enter_key (SendoffPreferencesWindow *window,
           const char               *text)
{
  enter_secret (window, "api-key", text);
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

  g_settings_reset (settings, "service");
  g_settings_reset (settings, "api-url");
  g_settings_reset (settings, "jobs");
  g_settings_reset (settings, "wunderlist-task-id");
}

static void
test_save_and_remove_key (void)
{
  SendoffPreferencesWindow *window;
  GtkWidget *row;
  g_autofree char *before = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *removed = NULL;

  reset_settings ();
  window = open_window ();
  g_assert_false (sendoff_preferences_window_get_key_stored (window));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (window, "key_status_row"))),
                   ==, "No key stored");
  /* Nothing to remove yet. */
  g_assert_false (gtk_widget_get_visible (child (window, "remove_button")));
  before = keyring_lookup (WT_URL, NULL);
  g_assert_null (before);

  enter_key (window, "  pref-window-key-123  ");
  saved = keyring_lookup (WT_URL, NULL);
  g_assert_cmpstr (saved, ==, "pref-window-key-123");
  g_assert_true (sendoff_preferences_window_get_key_stored (window));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (window, "key_status_row"))),
                   ==, "Stored in the keyring");
  g_assert_true (gtk_widget_get_visible (child (window, "remove_button")));

  /* The key is never shown back. */
  row = _sendoff_preferences_window_get_secret_row (window, "api-key");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.remove-key", NULL));
  wait_idle (window);
  removed = keyring_lookup (WT_URL, NULL);
  g_assert_null (removed);
  g_assert_false (sendoff_preferences_window_get_key_stored (window));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (window, "key_status_row"))),
                   ==, "No key stored");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_reopen_shows_stored (void)
{
  SendoffPreferencesWindow *window;
  SendoffPreferencesWindow *again;
  GtkWidget *row;

  reset_settings ();
  window = open_window ();
  enter_key (window, "reopen-key-456");
  g_assert_true (sendoff_preferences_window_get_key_stored (window));
  gtk_window_destroy (GTK_WINDOW (window));

  again = open_window ();
  g_assert_true (sendoff_preferences_window_get_key_stored (again));
  row = _sendoff_preferences_window_get_secret_row (again, "api-key");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (again), "prefs.remove-key", NULL));
  wait_idle (again);
  g_assert_false (sendoff_preferences_window_get_key_stored (again));
  gtk_window_destroy (GTK_WINDOW (again));
}

static void
test_insecure_url_refused (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  SendoffPreferencesWindow *window;
  GtkWidget *url_row;
  GtkWidget *message;
  g_autofree char *stored_url = NULL;

  reset_settings ();
  window = open_window ();
  url_row = child (window, "url_row");
  message = child (window, "url_message");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==, WT_URL);
  g_assert_false (gtk_widget_get_visible (message));

  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://example.com/api");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_test_message ("inline error: %s", gtk_label_get_text (GTK_LABEL (message)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "https"));

  g_signal_emit_by_name (url_row, "apply");
  wait_idle (window);
  stored_url = g_settings_get_string (settings, "api-url");
  g_assert_cmpstr (stored_url, ==, "");

  /* Fixing it clears the message. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://example.com/api");
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A key saved for a loopback base URL is filed under that URL only. */
static void
test_key_follows_url (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  SendoffPreferencesWindow *window;
  GtkWidget *url_row;
  g_autofree char *stored_url = NULL;
  g_autofree char *for_local = NULL;
  g_autofree char *for_default = NULL;

  reset_settings ();
  window = open_window ();
  url_row = child (window, "url_row");
  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://127.0.0.1:8123/");
  g_assert_false (gtk_widget_get_visible (child (window, "url_message")));
  g_signal_emit_by_name (url_row, "apply");
  wait_idle (window);
  stored_url = g_settings_get_string (settings, "api-url");
  g_assert_cmpstr (stored_url, ==, "http://127.0.0.1:8123/");

  enter_key (window, "loopback-key-789");
  for_local = keyring_lookup ("http://127.0.0.1:8123", NULL);
  for_default = keyring_lookup (WT_URL, NULL);
  g_assert_cmpstr (for_local, ==, "loopback-key-789");
  g_assert_null (for_default);

  /* Back to the default: that URL has no key. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "");
  g_signal_emit_by_name (url_row, "apply");
  wait_idle (window);
  g_free (stored_url);
  stored_url = g_settings_get_string (settings, "api-url");
  g_assert_cmpstr (stored_url, ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==, WT_URL);
  g_assert_false (sendoff_preferences_window_get_key_stored (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_jobs_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  SendoffPreferencesWindow *window;
  GtkAdjustment *jobs;

  reset_settings ();
  window = open_window ();
  jobs = GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                        SENDOFF_TYPE_PREFERENCES_WINDOW,
                                                        "jobs_adjustment"));
  g_assert_cmpfloat (gtk_adjustment_get_value (jobs), ==, 4);
  gtk_adjustment_set_value (jobs, 9);
  g_assert_cmpuint (g_settings_get_uint (settings, "jobs"), ==, 9);
  gtk_adjustment_set_value (jobs, 100);
  g_assert_cmpuint (g_settings_get_uint (settings, "jobs"), ==, 32);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_key_error_shown (void)
{
  SendoffPreferencesWindow *window;
  GtkWidget *label;

  reset_settings ();
  window = open_window ();
  label = child (window, "key_error");
  g_assert_false (gtk_widget_get_visible (label));
  sendoff_preferences_window_show_key_error (window, "Forbidden: invalid API key");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Forbidden: invalid API key");

  /* A new key saved clears the reason. */
  enter_key (window, "a-better-key");
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.remove-key", NULL));
  wait_idle (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
select_service (SendoffPreferencesWindow *window,
                const char               *id)
{
  const SendoffServiceInfo *const *list = sendoff_service_list ();

  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (list[i]->id, id))
      adw_combo_row_set_selected (ADW_COMBO_ROW (child (window, "service_row")), i);
  wait_idle (window);
}

static const char *
status_title (SendoffPreferencesWindow *window)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (window, "key_status_row")));
}

/* A service with two secrets: both rows, partly stored, the task ID. */
static void
test_wunderlist (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  const char *url = "https://a.wunderlist.com";
  SendoffPreferencesWindow *window;
  GtkWidget *task_row;
  g_autofree char *service = NULL;
  g_autofree char *token = NULL;
  g_autofree char *client = NULL;
  g_autofree char *token_after = NULL;

  if (sendoff_service_lookup ("wunderlist") == NULL)
    {
      g_test_skip ("Wunderlist is not in the service list");
      return;
    }

  reset_settings ();
  window = open_window ();
  g_assert_false (gtk_widget_get_visible (child (window, "wunderlist_group")));
  select_service (window, "wunderlist");
  service = g_settings_get_string (settings, "service");
  g_assert_cmpstr (service, ==, "wunderlist");
  g_assert_true (gtk_widget_get_visible (child (window, "wunderlist_group")));
  g_assert_null (_sendoff_preferences_window_get_secret_row (window, "api-key"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (window, "url_row"))), ==, url);
  g_assert_cmpstr (status_title (window), ==, "No key stored");

  enter_secret (window, "access-token", "wl-token-1");
  g_assert_cmpstr (status_title (window), ==, "Partly stored in the keyring");
  g_assert_false (sendoff_preferences_window_get_key_stored (window));
  enter_secret (window, "client-id", "wl-client-2");
  g_assert_cmpstr (status_title (window), ==, "Stored in the keyring");
  g_assert_true (sendoff_preferences_window_get_key_stored (window));
  token = keyring_lookup_for ("wunderlist", url, "access-token");
  client = keyring_lookup_for ("wunderlist", url, "client-id");
  g_assert_cmpstr (token, ==, "wl-token-1");
  g_assert_cmpstr (client, ==, "wl-client-2");

  task_row = child (window, "task_row");
  gtk_editable_set_text (GTK_EDITABLE (task_row), "12x");
  g_signal_emit_by_name (task_row, "apply");
  g_assert_true (gtk_widget_get_visible (child (window, "task_error")));
  g_assert_cmpuint (g_settings_get_uint64 (settings, "wunderlist-task-id"), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (task_row), "9876543210");
  g_signal_emit_by_name (task_row, "apply");
  g_assert_false (gtk_widget_get_visible (child (window, "task_error")));
  g_assert_cmpuint (g_settings_get_uint64 (settings, "wunderlist-task-id"), ==, 9876543210);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.remove-key", NULL));
  wait_idle (window);
  token_after = keyring_lookup_for ("wunderlist", url, "access-token");
  g_assert_null (token_after);
  g_assert_cmpstr (status_title (window), ==, "No key stored");

  select_service (window, WT);
  g_assert_false (gtk_widget_get_visible (child (window, "wunderlist_group")));
  g_assert_nonnull (_sendoff_preferences_window_get_secret_row (window, "api-key"));
  g_assert_null (_sendoff_preferences_window_get_secret_row (window, "client-id"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* No Secret Service: the window says so instead of "No key stored". */
static void
test_no_keyring (void)
{
  g_autofree char *bus = NULL;

  if (g_test_subprocess ())
    {
      SendoffPreferencesWindow *window;
      AdwActionRow *status;

      reset_settings ();
      window = open_window ();
      status = ADW_ACTION_ROW (child (window, "key_status_row"));
      g_assert_cmpstr (status_title (window), ==, "Keyring not available");
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (status),
                                "The system keyring is not available"));
      g_assert_false (gtk_widget_get_visible (child (window, "remove_button")));

      enter_key (window, "nowhere-to-go");
      g_assert_false (sendoff_preferences_window_get_key_stored (window));
      g_assert_cmpstr (status_title (window), ==, "Keyring not available");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  /* The child inherits it; this process keeps its connection. */
  bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sendoff-bus", TRUE);
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  if (bus != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sendoff/preferences/save-and-remove-key", test_save_and_remove_key);
  g_test_add_func ("/sendoff/preferences/reopen-shows-stored", test_reopen_shows_stored);
  g_test_add_func ("/sendoff/preferences/insecure-url-refused", test_insecure_url_refused);
  g_test_add_func ("/sendoff/preferences/key-follows-url", test_key_follows_url);
  g_test_add_func ("/sendoff/preferences/jobs-setting", test_jobs_setting);
  g_test_add_func ("/sendoff/preferences/key-error-shown", test_key_error_shown);
  g_test_add_func ("/sendoff/preferences/wunderlist", test_wunderlist);
  g_test_add_func ("/sendoff/preferences/no-keyring", test_no_keyring);

  return g_test_run ();
}
