/* test-preferences.c — the Preferences window: destinations, their keys, sending settings
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
#include "sendoff-setup-page.h"
#include "sendoff-types.h"

#define WT "wetransfer-v1"
#define WT_URL "https://transfer.example.com"

static gboolean
timed_out (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
is_busy (SendoffPreferencesWindow *window,
         SendoffDestinationEditor *editor)
{
  return (window != NULL && sendoff_preferences_window_get_busy (window)) ||
         (editor != NULL && sendoff_destination_editor_get_busy (editor));
}

/* Keyring calls in flight first, then what they start. */
static void
wait_idle (SendoffPreferencesWindow *window,
           SendoffDestinationEditor *editor)
{
  guint id = g_timeout_add_seconds (10, timed_out, (gpointer) "the keyring");

  do
    g_main_context_iteration (NULL, TRUE);
  while (is_busy (window, editor));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_source_remove (id);
}

static GSettings *
get_settings (void)
{
  return g_settings_new (SCHEMA_ID);
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = get_settings ();
  g_autoptr(GPtrArray) saved = sendoff_destination_list_saved (settings);

  for (guint i = 0; i < saved->len; i++)
    sendoff_destination_forget (g_ptr_array_index (saved, i), settings);
  g_settings_reset (settings, "jobs");
}

static SendoffDestination *
save_destination (const char *backend_id,
                  const char *name,
                  const char *url)
{
  g_autoptr(GSettings) settings = get_settings ();
  g_autoptr(SendoffDestination) destination =
    sendoff_destination_new (sendoff_backend_lookup (backend_id), name);
  g_autoptr(GError) error = NULL;

  sendoff_destination_set_option (destination, "api-url", url, &error);
  g_assert_no_error (error);
  if (g_str_equal (backend_id, "wunderlist"))
    sendoff_destination_set_option (destination, "task-id", "1", &error);
  sendoff_destination_save (destination, settings, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&destination);
}

/* What the keyring holds for @destination (use_env FALSE) */
static char *
keyring_lookup (SendoffDestination *destination,
                const char         *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) secrets = sendoff_test_credentials_lookup_all (destination, FALSE, &error);

  g_assert_no_error (error);
  return g_strdup (g_hash_table_lookup (secrets, kind));
}

static SendoffPreferencesWindow *
open_window (void)
{
  GtkWidget *window = sendoff_preferences_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  wait_idle (SENDOFF_PREFERENCES_WINDOW (window), NULL);
  return SENDOFF_PREFERENCES_WINDOW (window);
}

static SendoffDestinationEditor *
edit (SendoffPreferencesWindow *window,
      SendoffDestination       *destination,
      const char               *key_error)
{
  SendoffDestinationEditor *editor = sendoff_preferences_window_edit (window, destination,
                                                                      key_error);

  g_assert_true (GTK_WIDGET (editor) == _sendoff_preferences_window_get_subpage (window));
  wait_idle (window, editor);
  return editor;
}

static GtkWidget *
editor_child (SendoffDestinationEditor *editor,
              const char               *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                    SENDOFF_TYPE_DESTINATION_EDITOR, name));
}

static const char *
caption (SendoffDestinationEditor *editor,
         const char               *name)
{
  GtkWidget *label = editor_child (editor, name);

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : "";
}

/* What is said about the secrets: how they are stored, and what is wrong */
static const char *
secrets_message (SendoffDestinationEditor *editor)
{
  return caption (editor, "secrets_message");
}

static const char *
secrets_error (SendoffDestinationEditor *editor)
{
  return caption (editor, "secrets_error");
}

static void
type_into (SendoffDestinationEditor *editor,
           const char               *key,
           const char               *text)
{
  GtkWidget *row = _sendoff_destination_editor_get_row (editor, key);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
save (SendoffPreferencesWindow *window,
      SendoffDestinationEditor *editor)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  wait_idle (window, editor);
}

/* The confirmation Preferences shows, answered as the user would */
static void
answer_dialog (const char *response)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) dialog = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (dialog) && gtk_widget_get_visible (GTK_WIDGET (dialog)))
        {
          g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), response));
          adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
          gtk_window_destroy (dialog);
          return;
        }
    }

  g_error ("No dialog to answer");
}

static void
test_save_and_remove_key (void)
{
  g_autoptr(GSettings) settings = get_settings ();
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(GPtrArray) left = NULL;
  SendoffPreferencesWindow *window;
  SendoffDestinationEditor *editor;
  g_autofree char *before = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *removed = NULL;

  reset_settings ();
  destination = save_destination (WT, "Sandbox", WT_URL);
  window = open_window ();
  editor = edit (window, destination, NULL);
  g_assert_cmpstr (secrets_message (editor), ==, "No API Key is stored yet.");
  before = keyring_lookup (destination, "api-key");
  g_assert_null (before);

  type_into (editor, "api-key", "  pref-window-key-123  ");
  save (window, editor);
  saved = keyring_lookup (destination, "api-key");
  g_assert_cmpstr (saved, ==, "pref-window-key-123");
  g_assert_cmpstr (secrets_message (editor), ==,
                   "The API Key is stored in the keyring. Type a new one to replace it.");
  /* The key is never shown back. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor, "api-key"))),
                   ==, "");

  /* Removing the destination asks first, then takes its key along */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.remove", "s",
                                             sendoff_destination_get_id (destination)));
  answer_dialog ("cancel");
  wait_idle (window, NULL);
  g_assert_nonnull (_sendoff_preferences_window_get_row (window, sendoff_destination_get_id (destination)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.remove", "s",
                                             sendoff_destination_get_id (destination)));
  answer_dialog ("remove");
  wait_idle (window, NULL);
  removed = keyring_lookup (destination, "api-key");
  g_assert_null (removed);
  left = sendoff_destination_list_saved (settings);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_null (_sendoff_preferences_window_get_row (window, sendoff_destination_get_id (destination)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_reopen_shows_stored (void)
{
  g_autoptr(SendoffDestination) destination = NULL;
  SendoffPreferencesWindow *window;
  SendoffDestinationEditor *editor;

  reset_settings ();
  destination = save_destination (WT, "Sandbox", WT_URL);
  window = open_window ();
  editor = edit (window, destination, NULL);
  type_into (editor, "api-key", "reopen-key-456");
  save (window, editor);
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_window ();
  editor = edit (window, destination, NULL);
  g_assert_cmpstr (secrets_message (editor), ==,
                   "The API Key is stored in the keyring. Type a new one to replace it.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor, "api-key"))),
                   ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_insecure_url_refused (void)
{
  g_autoptr(GSettings) settings = get_settings ();
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(SendoffDestination) reread = NULL;
  SendoffPreferencesWindow *window;
  SendoffDestinationEditor *editor;
  GtkWidget *url_row;
  GtkWidget *message;

  reset_settings ();
  destination = save_destination (WT, "Sandbox", WT_URL);
  window = open_window ();
  editor = edit (window, destination, NULL);
  url_row = _sendoff_destination_editor_get_row (editor, "api-url");
  message = editor_child (editor, "options_message");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==, WT_URL);
  g_assert_false (gtk_widget_get_visible (message));

  /* Said as it is typed, under the group, and the row is marked */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://example.com/api");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_test_message ("inline error: %s", gtk_label_get_text (GTK_LABEL (message)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "https"));

  save (window, editor);
  reread = sendoff_destination_find (settings, sendoff_destination_get_id (destination));
  g_assert_cmpstr (sendoff_destination_get_option (reread, "api-url"), ==, WT_URL);
  g_assert_nonnull (sendoff_destination_editor_get_status (editor));

  /* Fixing it clears the message. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://example.com/api");
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A key belongs to its destination: a new address keeps it */
static void
test_key_stays_with_destination (void)
{
  g_autoptr(GSettings) settings = get_settings ();
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(SendoffDestination) reread = NULL;
  SendoffPreferencesWindow *window;
  SendoffDestinationEditor *editor;
  g_autofree char *key = NULL;
  g_autofree char *old_way = NULL;
  g_autoptr(GError) error = NULL;

  reset_settings ();
  destination = save_destination (WT, "Sandbox", WT_URL);
  window = open_window ();
  editor = edit (window, destination, NULL);
  type_into (editor, "api-key", "loopback-key-789");
  save (window, editor);
  type_into (editor, "api-url", "http://127.0.0.1:8123/");
  save (window, editor);

  reread = sendoff_destination_find (settings, sendoff_destination_get_id (destination));
  g_assert_cmpstr (sendoff_destination_get_option (reread, "api-url"), ==, "http://127.0.0.1:8123/");
  key = keyring_lookup (reread, "api-key");
  g_assert_cmpstr (key, ==, "loopback-key-789");
  /* Not filed the old way, under the address */
  old_way = sendoff_test_credentials_lookup (WT, "http://127.0.0.1:8123", "api-key", &error);
  g_assert_no_error (error);
  g_assert_null (old_way);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_jobs_setting (void)
{
  g_autoptr(GSettings) settings = get_settings ();
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
  g_autoptr(SendoffDestination) destination = NULL;
  SendoffPreferencesWindow *window;
  SendoffDestinationEditor *editor;

  reset_settings ();
  destination = save_destination (WT, "Sandbox", WT_URL);
  g_assert_true (sendoff_test_credentials_store_for (destination, "api-key", "refused-key", NULL));
  window = open_window ();
  editor = edit (window, destination, "Forbidden: invalid API key");
  /* Not "stored" next to "refused" */
  g_assert_nonnull (strstr (secrets_error (editor), "Forbidden: invalid API key"));
  g_assert_true (gtk_widget_has_css_class (editor_child (editor, "secrets_error"), "error"));
  g_assert_cmpstr (secrets_message (editor), ==, "");

  /* A new key saved clears the reason. */
  type_into (editor, "api-key", "a-better-key");
  save (window, editor);
  g_assert_null (strstr (secrets_error (editor), "Forbidden"));
  g_assert_cmpstr (secrets_message (editor), ==,
                   "The API Key is stored in the keyring. Type a new one to replace it.");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A backend with two secrets and a task: every row from its declaration */
static void
test_wunderlist (void)
{
  g_autoptr(GSettings) settings = get_settings ();
  g_autoptr(SendoffDestination) destination = NULL;
  g_autoptr(SendoffDestination) reread = NULL;
  const char *url = "https://a.wunderlist.example.com";
  SendoffPreferencesWindow *window;
  SendoffDestinationEditor *editor;
  GtkWidget *task_row;
  g_autofree char *token = NULL;
  g_autofree char *client = NULL;

  reset_settings ();
  destination = save_destination ("wunderlist", "Tasks", url);
  window = open_window ();
  editor = edit (window, destination, NULL);
  g_assert_null (_sendoff_destination_editor_get_row (editor, "api-key"));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (_sendoff_destination_editor_get_row (editor, "access-token")));
  /* As the backend declares it */
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (_sendoff_destination_editor_get_row (editor, "client-id")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor, "api-url"))),
                   ==, url);
  g_assert_cmpstr (secrets_message (editor), ==,
                   "No Access Token is stored yet.\nNo Client ID is stored yet.");

  type_into (editor, "access-token", "wl-token-1");
  save (window, editor);
  g_assert_cmpstr (secrets_message (editor), ==,
                   "The Access Token is stored in the keyring. Type a new one to replace it.\n"
                   "No Client ID is stored yet.");
  type_into (editor, "client-id", "wl-client-2");
  save (window, editor);
  token = keyring_lookup (destination, "access-token");
  client = keyring_lookup (destination, "client-id");
  g_assert_cmpstr (token, ==, "wl-token-1");
  g_assert_cmpstr (client, ==, "wl-client-2");

  task_row = _sendoff_destination_editor_get_row (editor, "task-id");
  gtk_editable_set_text (GTK_EDITABLE (task_row), "12x");
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "options_message")));
  g_assert_true (gtk_widget_has_css_class (task_row, "error"));
  save (window, editor);
  reread = sendoff_destination_find (settings, sendoff_destination_get_id (destination));
  g_assert_cmpstr (sendoff_destination_get_option (reread, "task-id"), ==, "1");
  g_clear_object (&reread);

  gtk_editable_set_text (GTK_EDITABLE (task_row), "9876543210");
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "options_message")));
  save (window, editor);
  reread = sendoff_destination_find (settings, sendoff_destination_get_id (destination));
  g_assert_cmpstr (sendoff_destination_get_option (reread, "task-id"), ==, "9876543210");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A key from the environment is said to come from there, not "missing" */
static void
test_key_from_environment (void)
{
  g_autoptr(SendoffDestination) destination = NULL;
  SendoffPreferencesWindow *window;
  SendoffDestinationEditor *editor;

  reset_settings ();
  destination = save_destination (WT, "Sandbox", WT_URL);
  g_setenv ("SENDOFF_API_KEY", "env-key", TRUE);
  window = open_window ();
  editor = edit (window, destination, NULL);
  g_assert_cmpstr (secrets_message (editor), ==,
                   "The API Key comes from the environment variable SENDOFF_API_KEY while it is set.");
  g_setenv ("SENDOFF_API_KEY", "", TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Two destinations listed with where they go; the first is the default */
static void
test_list (void)
{
  g_autoptr(GSettings) settings = get_settings ();
  g_autoptr(SendoffDestination) first = NULL;
  g_autoptr(SendoffDestination) second = NULL;
  SendoffPreferencesWindow *window;
  AdwActionRow *row;
  g_autofree char *default_id = NULL;
  g_autofree char *where = NULL;

  reset_settings ();
  first = save_destination (WT, "Sandbox", WT_URL);
  second = save_destination ("wunderlist", "Tom & Jerry <live>", "https://tasks.example.com");
  window = open_window ();

  row = ADW_ACTION_ROW (_sendoff_preferences_window_get_row (window, sendoff_destination_get_id (second)));
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Tom & Jerry <live>");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  where = g_strdup_printf ("%s · https://tasks.example.com",
                           sendoff_backend_lookup ("wunderlist")->display_name);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, where);
  g_assert_nonnull (_sendoff_preferences_window_get_row (window, sendoff_destination_get_id (first)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.make-default", "s",
                                             sendoff_destination_get_id (second)));
  default_id = g_settings_get_string (settings, "default-destination");
  g_assert_cmpstr (default_id, ==, sendoff_destination_get_id (second));
  /* The list is rebuilt; the rows are still there */
  g_assert_nonnull (_sendoff_preferences_window_get_row (window, sendoff_destination_get_id (second)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_saved (SendoffPreferencesWindow *window,
          SendoffDestination       *destination,
          gpointer                  user_data)
{
  g_set_object ((SendoffDestination **) user_data, destination);
}

/* Add Destination: choose a backend, fill it in, save */
static void
test_add (void)
{
  g_autoptr(SendoffDestination) added = NULL;
  g_autofree char *key = NULL;
  SendoffPreferencesWindow *window;
  SendoffSetupPage *page;
  SendoffDestinationEditor *editor;

  reset_settings ();
  window = open_window ();
  g_signal_connect (window, "destination-saved", G_CALLBACK (on_saved), &added);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.add", NULL));
  page = SENDOFF_SETUP_PAGE (_sendoff_preferences_window_get_subpage (window));
  g_assert_true (SENDOFF_IS_SETUP_PAGE (page));
  editor = sendoff_setup_page_choose (page, WT, NULL);
  type_into (editor, "name", "Office");
  type_into (editor, "api-url", WT_URL);
  type_into (editor, "api-key", "added-key");
  /* Saved, the subpage closes and takes the editor along */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  while (added == NULL)
    g_main_context_iteration (NULL, TRUE);
  wait_idle (window, NULL);

  g_assert_nonnull (added);
  g_assert_null (_sendoff_preferences_window_get_subpage (window));
  g_assert_cmpstr (sendoff_destination_get_name (added), ==, "Office");
  g_assert_nonnull (_sendoff_preferences_window_get_row (window, sendoff_destination_get_id (added)));
  key = keyring_lookup (added, "api-key");
  g_assert_cmpstr (key, ==, "added-key");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A backend the table does not hold: every option type and presets, as
 * the S3 backend will declare them */
static const char *const region_choices[] = { "us-east-1", "eu-central-1", NULL };
static const char *const region_labels[] = { "US East", "Europe (Frankfurt)", NULL };
static const char *const aws_values[] = { "endpoint=https://s3.amazonaws.com", "path-style=false", NULL };
static const char *const r2_values[] = { "endpoint=https://ACCOUNT_ID.r2.cloudflarestorage.com",
                                         "region=eu-central-1", "path-style=true", NULL };

static const SendoffOptionSpec fake_options[] = {
  { .key = "endpoint", .type = SENDOFF_OPTION_URL, .label = "Endpoint" },
  { .key = "bucket", .type = SENDOFF_OPTION_STRING, .label = "Bucket" },
  { .key = "region", .type = SENDOFF_OPTION_CHOICE, .label = "Region",
    .choices = region_choices, .choice_labels = region_labels, .default_value = "us-east-1" },
  { .key = "path-style", .type = SENDOFF_OPTION_BOOLEAN, .label = "Path-Style Addresses",
    .default_value = "false" },
  { .key = "part-mib", .type = SENDOFF_OPTION_UINT, .label = "Part Size", .min = 5, .max = 5120,
    .default_value = "8" },
  { NULL }
};

static const SendoffSecretSpec fake_secrets[] = {
  { .key = "access-key-id", .label = "Access Key ID" },
  { .key = "secret-access-key", .label = "Secret Access Key" },
  { NULL }
};

static const SendoffPresetSpec fake_presets[] = {
  { .id = "aws", .label = "Amazon S3", .assignments = aws_values },
  { .id = "r2", .label = "Cloudflare R2", .description = "The account ID is on the R2 page",
    .assignments = r2_values },
  { .id = "other", .label = "Other S3-Compatible" },
  { NULL }
};

static const SendoffBackendInfo fake_backend = {
  .id = "fake-s3", .display_name = "Fake Storage", .icon_name = "folder-remote-symbolic",
  .options = fake_options, .secrets = fake_secrets, .presets = fake_presets,
};

static void
test_editor_types_and_presets (void)
{
  g_autoptr(GSettings) settings = get_settings ();
  g_autoptr(SendoffDestination) destination = sendoff_destination_new (&fake_backend, NULL);
  GtkWidget *window = gtk_window_new ();
  SendoffDestinationEditor *editor =
    SENDOFF_DESTINATION_EDITOR (sendoff_destination_editor_new (destination, settings));
  GtkWidget *path_style;
  GtkWidget *part;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (ADW_IS_ENTRY_ROW (_sendoff_destination_editor_get_row (editor, "endpoint")));
  g_assert_true (ADW_IS_ENTRY_ROW (_sendoff_destination_editor_get_row (editor, "bucket")));
  g_assert_true (ADW_IS_COMBO_ROW (_sendoff_destination_editor_get_row (editor, "region")));
  path_style = _sendoff_destination_editor_get_row (editor, "path-style");
  g_assert_true (ADW_IS_ACTION_ROW (path_style) && !ADW_IS_COMBO_ROW (path_style));
  g_assert_true (GTK_IS_SWITCH (g_object_get_data (G_OBJECT (path_style), "sendoff-switch")));
  part = _sendoff_destination_editor_get_row (editor, "part-mib");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (part)), ==, "8");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (_sendoff_destination_editor_get_row (editor, "secret-access-key")));

  /* A new destination starts from the first preset, named after it */
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "preset_group")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor, "endpoint"))),
                   ==, "https://s3.amazonaws.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor, "name"))),
                   ==, "Amazon S3");

  g_assert_true (sendoff_destination_editor_apply_preset (editor, "r2"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor, "endpoint"))),
                   ==, "https://ACCOUNT_ID.r2.cloudflarestorage.com");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (_sendoff_destination_editor_get_row (editor, "region"))),
                    ==, 1);
  g_assert_true (gtk_switch_get_active (g_object_get_data (G_OBJECT (path_style), "sendoff-switch")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor, "name"))),
                   ==, "Cloudflare R2");
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (editor_child (editor, "preset_group"))),
                   ==, "The account ID is on the R2 page");

  /* A name typed by the user stays */
  type_into (editor, "name", "My bucket");
  g_assert_true (sendoff_destination_editor_apply_preset (editor, "aws"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_sendoff_destination_editor_get_row (editor, "name"))),
                   ==, "My bucket");
  g_assert_false (sendoff_destination_editor_apply_preset (editor, "no-such-preset"));

  /* Numbers are checked as they are typed; an empty required field only once asked */
  g_assert_false (gtk_widget_has_css_class (_sendoff_destination_editor_get_row (editor, "bucket"), "error"));
  gtk_editable_set_text (GTK_EDITABLE (part), "2");
  g_assert_true (gtk_widget_has_css_class (part, "error"));
  g_assert_cmpstr (caption (editor, "options_message"), ==,
                   "Part Size: must be a whole number from 5 to 5120.");
  gtk_editable_set_text (GTK_EDITABLE (part), "64");
  g_assert_false (gtk_widget_has_css_class (part, "error"));
  g_assert_cmpstr (caption (editor, "options_message"), ==, "");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.check", NULL));
  g_assert_true (gtk_widget_has_css_class (_sendoff_destination_editor_get_row (editor, "bucket"), "error"));
  g_assert_cmpstr (sendoff_destination_editor_get_status (editor), ==,
                   "Some fields need a change first: see above.");
  g_assert_cmpstr (caption (editor, "options_message"), ==, "Enter the Bucket.");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* No Secret Service: the editor says so instead of "No key stored". */
static void
test_no_keyring (void)
{
  g_autofree char *bus = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(SendoffDestination) destination = NULL;
      SendoffPreferencesWindow *window;
      SendoffDestinationEditor *editor;

      reset_settings ();
      destination = save_destination (WT, "Sandbox", WT_URL);
      window = open_window ();
      editor = edit (window, destination, NULL);
      g_assert_nonnull (strstr (secrets_error (editor), "The keyring cannot be reached"));
      g_assert_null (strstr (secrets_message (editor), "No API Key"));

      type_into (editor, "api-key", "nowhere-to-go");
      save (window, editor);
      g_assert_nonnull (strstr (sendoff_destination_editor_get_status (editor),
                                "could not be stored in the keyring"));
      g_assert_null (strstr (sendoff_destination_editor_get_status (editor), "nowhere-to-go"));
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
  g_test_add_func ("/sendoff/preferences/key-stays-with-destination",
                   test_key_stays_with_destination);
  g_test_add_func ("/sendoff/preferences/jobs-setting", test_jobs_setting);
  g_test_add_func ("/sendoff/preferences/key-error-shown", test_key_error_shown);
  g_test_add_func ("/sendoff/preferences/wunderlist", test_wunderlist);
  g_test_add_func ("/sendoff/preferences/key-from-environment", test_key_from_environment);
  g_test_add_func ("/sendoff/preferences/list", test_list);
  g_test_add_func ("/sendoff/preferences/add", test_add);
  g_test_add_func ("/sendoff/preferences/editor-types-and-presets", test_editor_types_and_presets);
  g_test_add_func ("/sendoff/preferences/no-keyring", test_no_keyring);

  return g_test_run ();
}
