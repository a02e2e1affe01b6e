/* window-test-util.c — what the window tests share: a notification server, the main loop, windows, files
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include "window-test-util.h"
#include "sendoff-window-private.h"

/* ---- a notification server on the session bus ------------------------- */

static GPtrArray *notifications;
static SendoffTestNotifyIds notify_ids;

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  " <method name='Notify'>"
  "  <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "  <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "  <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "  <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "  <arg type='u' direction='out'/>"
  " </method>"
  " <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  " <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "</interface></node>";

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary, *body;
      guint replaces;
      g_autofree const char **actions = NULL;
      g_autofree char *joined = NULL;

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, &replaces, NULL, &summary,
                     &body, &actions, NULL, NULL);
      joined = g_strjoinv ("\n", (char **) actions);
      g_ptr_array_add (notifications, g_strdup_printf ("%s\n%s\n%s", summary, body, joined));
      if (notify_ids != SENDOFF_TEST_NOTIFY_IDS_REPLACES || replaces == 0)
        replaces = notifications->len;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", replaces));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

GPtrArray *
sendoff_test_notifications_start (SendoffTestNotifyIds ids)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert (notifications == NULL);
  notifications = g_ptr_array_new_with_free_func (g_free);
  notify_ids = ids;
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  return notifications;
}

/* ---- the main loop ---------------------------------------------------- */

void
sendoff_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
sendoff_test_wait_until (SendoffTestCondition  condition,
                         gpointer              data,
                         guint                 seconds,
                         const char           *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting until %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* ---- windows and dialogs ---------------------------------------------- */

SendoffWindow *
sendoff_test_window_open (SendoffApplication *app)
{
  SendoffWindow *window = g_object_ref (sendoff_window_new (app));

  gtk_window_present (GTK_WINDOW (window));
  sendoff_test_spin (50);
  return window;
}

void
sendoff_test_window_close (SendoffWindow **window)
{
  if (*window == NULL)
    return;
  (*window)->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (*window));
  sendoff_test_spin (20);
  g_clear_object (window);
}

AdwMessageDialog *
sendoff_test_visible_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

gboolean
sendoff_test_answer_dialog (const char *response)
{
  AdwMessageDialog *dialog = sendoff_test_visible_dialog ();

  if (dialog == NULL)
    return FALSE;
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

SendoffJournalState
sendoff_test_journal_state (SendoffJournal *journal,
                            const char     *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffJournalTransfer) record = sendoff_journal_get (journal, id, &error);

  g_assert_no_error (error);
  return record->state;
}

/* ---- files ------------------------------------------------------------ */

char *
sendoff_test_write_file (const char *dir,
                         const char *name,
                         gsize       size,
                         guint       seed,
                         guint       step)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *data = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char) (seed + i * step);
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

void
sendoff_test_remove_tree (const char *dir)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

void
sendoff_test_use_own_data_home (void)
{
  const char *run_home = g_getenv ("XDG_DATA_HOME");
  g_autofree char *template = g_build_filename (run_home != NULL ? run_home : g_get_tmp_dir (),
                                                "sendoff-test-XXXXXX", NULL);

  g_assert_nonnull (g_mkdtemp_full (template, 0700));
  g_setenv ("XDG_DATA_HOME", template, TRUE);
}
