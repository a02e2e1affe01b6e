/* sendoff-background-portal.c — asking the Background portal to run on without a window
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-background-portal.h"

/* GTK 4.8 has no call for this portal and libportal is not a dependency:
 * the interface is small enough to speak over GDBus. */
#define PORTAL_BUS_NAME     "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH  "/org/freedesktop/portal/desktop"
#define BACKGROUND_IFACE    "org.freedesktop.portal.Background"
#define REQUEST_IFACE       "org.freedesktop.portal.Request"

/* org.freedesktop.portal.Request's Response codes */
enum {
  RESPONSE_SUCCESS   = 0,
  RESPONSE_CANCELLED = 1,
  RESPONSE_OTHER     = 2,
};

typedef enum {
  REQUEST_PENDING,
  REQUEST_ANSWERED,
  REQUEST_CANCELLED,
} RequestState;

typedef struct {
  GDBusConnection *connection;
  char            *parent_window;
  char            *reason;
  char            *handle;        /* the Request object's path: predicted, then as told */
  guint            response_id;
  gulong           cancelled_id;
  guint            called : 1;    /* RequestBackground has replied */
  RequestState     state;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_assert (request->response_id == 0);
  g_assert (request->cancelled_id == 0);

  g_clear_object (&request->connection);
  g_free (request->parent_window);
  g_free (request->reason);
  g_free (request->handle);
  g_free (request);
}

gboolean
sendoff_background_portal_is_sandboxed (void)
{
  /* SENDOFF_TEST_SANDBOXED=1 makes Sendoff behave as inside Flatpak, =0 as
   * outside it, whatever the truth: the tests set it, and bring a fake
   * portal on a private bus for the first */
  const char *test = g_getenv ("SENDOFF_TEST_SANDBOXED");

  if (test != NULL && *test != '\0')
    return g_str_equal (test, "1");

  /* Flatpak's documented mark of its sandbox */
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* Takes the portal's question off the screen; no Response follows */
static void
close_request (Request *request)
{
  g_dbus_connection_call (request->connection, PORTAL_BUS_NAME, request->handle, REQUEST_IFACE,
                          "Close", NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          NULL, NULL, NULL);
}

/* @answer is a SendoffBackgroundAnswer, or -1 for cancelled */
static void
complete (GTask *task,
          int    answer)
{
  g_autoptr(GTask) hold = g_object_ref (task);
  Request *request = g_task_get_task_data (task);

  if (request->state != REQUEST_PENDING)
    return;

  request->state = answer < 0 ? REQUEST_CANCELLED : REQUEST_ANSWERED;
  if (request->response_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
      request->response_id = 0;
    }
  g_cancellable_disconnect (g_task_get_cancellable (task), request->cancelled_id);
  request->cancelled_id = 0;

  if (answer >= 0)
    {
      g_task_return_int (task, answer);
      return;
    }

  /* Before its reply the Request may not exist yet: closed once it does */
  if (request->called)
    close_request (request);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "The Background portal's question was withdrawn");
}

static gboolean
complete_cancelled (gpointer data)
{
  complete (data, -1);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              GTask        *task)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  /* A handler cannot disconnect itself: the rest happens in the task's context */
  g_source_set_callback (source, complete_cancelled, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[sendoff] background portal cancelled");
  g_source_attach (source, g_task_get_context (task));
}

static void
on_response (GDBusConnection *connection,
             const char      *sender_name,
             const char      *object_path,
             const char      *interface_name,
             const char      *signal_name,
             GVariant        *parameters,
             gpointer         user_data)
{
  GTask *task = user_data;
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;
  guint32 response;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &background);
  g_debug ("The Background portal answers %u, background %s", response,
           background ? "allowed" : "not allowed");

  /* 2 is a question the portal could not ask (no dialog on this desktop):
   * nobody said no, nor is anybody there to stop a background run */
  if (response == RESPONSE_OTHER)
    complete (task, SENDOFF_BACKGROUND_UNAVAILABLE);
  else if (response == RESPONSE_SUCCESS && background)
    complete (task, SENDOFF_BACKGROUND_ALLOWED);
  else
    complete (task, SENDOFF_BACKGROUND_DENIED);
}

static void
subscribe (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  request->response_id =
    g_dbus_connection_signal_subscribe (request->connection, PORTAL_BUS_NAME, REQUEST_IFACE,
                                        "Response", request->handle, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_response,
                                        g_object_ref (task), g_object_unref);
}

static void
request_background_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *handle;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  request->called = TRUE;
  if (reply == NULL)
    {
      /* No portal on the bus, or one without the Background interface */
      g_debug ("No Background portal: %s", error->message);
      complete (task, SENDOFF_BACKGROUND_UNAVAILABLE);
      return;
    }

  g_variant_get (reply, "(&o)", &handle);
  if (!g_str_equal (handle, request->handle))
    {
      /* A portal older than 0.9 makes its own path up */
      g_free (request->handle);
      request->handle = g_strdup (handle);
      if (request->state == REQUEST_PENDING)
        {
          g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
          subscribe (task);
        }
    }

  if (request->state == REQUEST_CANCELLED)
    close_request (request);
}

static void
call_portal (GTask           *task_in,
             GDBusConnection *connection)
{
  g_autoptr(GTask) task = task_in;
  Request *request = g_task_get_task_data (task);
  const char *unique_name = g_dbus_connection_get_unique_name (connection);
  g_autofree char *token = g_strdup_printf ("sendoff%u", g_random_int ());
  g_autofree char *sender = NULL;
  GVariantBuilder options;

  if (unique_name == NULL)   /* not a message bus */
    {
      complete (task, SENDOFF_BACKGROUND_UNAVAILABLE);
      return;
    }

  /* Listen where the Response will come before asking, or a quick answer
   * is missed: ":1.42" asking with token T is answered on …/request/1_42/T */
  request->connection = g_object_ref (connection);
  sender = g_strdelimit (g_strdup (unique_name + 1), ".", '_');
  request->handle = g_strdup_printf (PORTAL_OBJECT_PATH "/request/%s/%s", sender, token);
  subscribe (task);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason", g_variant_new_string (request->reason));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  /* As the desktop file says; it would matter only for autostart */
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (TRUE));

  g_dbus_connection_call (connection, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, BACKGROUND_IFACE,
                          "RequestBackground",
                          g_variant_new ("(sa{sv})", request->parent_window, &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          request_background_cb, g_steal_pointer (&task));
}

static void
bus_get_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_bus_get_finish (result, &error);
  if (request->state != REQUEST_PENDING)
    return;

  if (connection == NULL)
    {
      g_debug ("No session bus for the Background portal: %s", error->message);
      complete (task, SENDOFF_BACKGROUND_UNAVAILABLE);
      return;
    }

  call_portal (g_steal_pointer (&task), connection);
}

void
sendoff_background_portal_request_async (GDBusConnection     *connection,
                                         const char          *parent_window,
                                         const char          *reason,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection));
  g_return_if_fail (parent_window != NULL);
  g_return_if_fail (reason != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_background_portal_request_async);
  request = g_new0 (Request, 1);
  request->parent_window = g_strdup (parent_window);
  request->reason = g_strdup (reason);
  g_task_set_task_data (task, request, request_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                   g_object_ref (task), g_object_unref);

  if (connection != NULL)
    call_portal (g_steal_pointer (&task), connection);
  else
    g_bus_get (G_BUS_TYPE_SESSION, NULL, bus_get_cb, g_steal_pointer (&task));
}

SendoffBackgroundAnswer
sendoff_background_portal_request_finish (GAsyncResult  *result,
                                          GError       **error)
{
  gssize answer;

  g_return_val_if_fail (g_task_is_valid (result, NULL), SENDOFF_BACKGROUND_UNAVAILABLE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sendoff_background_portal_request_async,
                        SENDOFF_BACKGROUND_UNAVAILABLE);

  answer = g_task_propagate_int (G_TASK (result), error);

  return answer < 0 ? SENDOFF_BACKGROUND_UNAVAILABLE : (SendoffBackgroundAnswer) answer;
}
