/* fake-background-portal.c — an org.freedesktop.portal.Background that answers as it is told
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: a helper the tests start on their private session bus.
 *
 *   fake-background-portal [--answer=allow|deny|other|wait] [--early] [--old-path]
 *                          [--no-background]
 *
 * It owns org.freedesktop.portal.Desktop and prints "ready" once it does.
 * Every RequestBackground is kept with its parent window and options;
 * the tests read them back with GetRequests() on
 * /io/github/sendoff/Test/FakePortal (io.github.sendoff.Test.FakePortal),
 * each with whether it was closed. --answer=wait answers only when the
 * test calls Answer("allow"|"deny"). --early sends the Response before the
 * method's reply (the race the Request documentation warns of);
 * --old-path answers on a path of its own, as portals before 0.9 did;
 * --no-background exports no Background interface at all.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>

#define REQUEST_PREFIX "/org/freedesktop/portal/desktop/request/"

static const char background_xml[] =
  "<node>"
  " <interface name='org.freedesktop.portal.Background'>"
  "  <method name='RequestBackground'>"
  "   <arg type='s' name='parent_window' direction='in'/>"
  "   <arg type='a{sv}' name='options' direction='in'/>"
  "   <arg type='o' name='handle' direction='out'/>"
  "  </method>"
  "  <property name='version' type='u' access='read'/>"
  " </interface>"
  " <interface name='org.freedesktop.portal.Request'>"
  "  <method name='Close'/>"
  "  <signal name='Response'>"
  "   <arg type='u' name='response'/><arg type='a{sv}' name='results'/>"
  "  </signal>"
  " </interface>"
  " <interface name='io.github.sendoff.Test.FakePortal'>"
  "  <method name='GetRequests'><arg type='a(sa{sv}b)' direction='out'/></method>"
  "  <method name='Answer'><arg type='s' direction='in'/></method>"
  " </interface>"
  "</node>";

typedef struct {
  char     *parent_window;
  GVariant *options;
  char     *handle;
  guint     object_id;   /* the Request object, while it waits */
  gboolean  closed;
} Request;

static GDBusConnection *bus;
static GDBusNodeInfo *info;
static GPtrArray *requests;
static const char *answer = "allow";
static gboolean early;
static gboolean old_path;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->parent_window);
  g_variant_unref (request->options);
  g_free (request->handle);
  g_free (request);
}

static void
unexport (Request *request)
{
  if (request->object_id != 0)
    g_dbus_connection_unregister_object (bus, request->object_id);
  request->object_id = 0;
}

static void
respond (Request    *request,
         const char *how)
{
  guint32 response = 0;
  gboolean background = TRUE;

  if (request->object_id == 0)
    return;

  if (g_str_equal (how, "deny"))
    response = 1, background = FALSE;
  else if (g_str_equal (how, "other"))
    response = 2, background = FALSE;

  /* As xdg-desktop-portal does: to whoever listens, then the object goes */
  g_dbus_connection_emit_signal (bus, NULL, request->handle, "org.freedesktop.portal.Request",
                                 "Response",
                                 g_variant_new_parsed ("(%u, {'background': <%b>, "
                                                       "'autostart': <false>})",
                                                       response, background),
                                 NULL);
  unexport (request);
}

static gboolean
respond_later (gpointer data)
{
  respond (data, answer);
  return G_SOURCE_REMOVE;
}

static void
request_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  Request *request = user_data;

  /* Close: the question goes, no Response follows */
  request->closed = TRUE;
  g_dbus_method_invocation_return_value (invocation, NULL);
  unexport (request);
}

static char *
make_handle (const char *sender,
             GVariant   *options)
{
  g_autofree char *name = g_strdelimit (g_strdup (sender + 1), ".", '_');
  const char *token = NULL;

  if (old_path)
    return g_strdup_printf (REQUEST_PREFIX "old/%u", requests->len);

  if (!g_variant_lookup (options, "handle_token", "&s", &token))
    return g_strdup_printf (REQUEST_PREFIX "%s/t%u", name, requests->len);

  return g_strdup_printf (REQUEST_PREFIX "%s/%s", name, token);
}

static void
request_background (const char            *sender,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation)
{
  static const GDBusInterfaceVTable vtable = { request_method_call, NULL, NULL, { 0 } };
  Request *request = g_new0 (Request, 1);
  g_autoptr(GError) error = NULL;

  g_variant_get (parameters, "(s@a{sv})", &request->parent_window, &request->options);
  request->handle = make_handle (sender, request->options);
  g_ptr_array_add (requests, request);
  g_printerr ("fake-background-portal: RequestBackground (%s) at %s\n",
              request->parent_window, request->handle);

  request->object_id = g_dbus_connection_register_object (bus, request->handle,
                                                          info->interfaces[1], &vtable,
                                                          request, NULL, &error);
  g_assert_no_error (error);

  if (early && !g_str_equal (answer, "wait"))
    respond (request, answer);

  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(o)", request->handle));

  if (!early && !g_str_equal (answer, "wait"))
    g_timeout_add (20, respond_later, request);
}

static GVariant *
list_requests (void)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sa{sv}b)"));
  for (guint i = 0; i < requests->len; i++)
    {
      Request *request = requests->pdata[i];

      g_variant_builder_add (&builder, "(s@a{sv}b)", request->parent_window, request->options,
                             request->closed);
    }

  return g_variant_new ("(a(sa{sv}b))", &builder);
}

static void
portal_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_str_equal (method_name, "RequestBackground"))
    request_background (sender, parameters, invocation);
  else if (g_str_equal (method_name, "GetRequests"))
    g_dbus_method_invocation_return_value (invocation, list_requests ());
  else if (g_str_equal (method_name, "Answer"))
    {
      const char *how;

      g_variant_get (parameters, "(&s)", &how);
      for (guint i = 0; i < requests->len; i++)
        respond (requests->pdata[i], how);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
}

static GVariant *
portal_get_property (GDBusConnection  *connection,
                     const char       *sender,
                     const char       *object_path,
                     const char       *interface_name,
                     const char       *property_name,
                     GError          **error,
                     gpointer          user_data)
{
  return g_variant_new_uint32 (1);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  g_print ("ready\n");
  fflush (stdout);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  g_printerr ("fake-background-portal: %s is not ours\n", name);
  exit (1);
}

int
main (int   argc,
      char *argv[])
{
  static const GDBusInterfaceVTable vtable = { portal_method_call, portal_get_property, NULL,
                                               { 0 } };
  gboolean no_background = FALSE;
  g_autofree char *answer_option = NULL;
  const GOptionEntry entries[] = {
    { "answer", 0, 0, G_OPTION_ARG_STRING, &answer_option, "allow, deny, other or wait", NULL },
    { "early", 0, 0, G_OPTION_ARG_NONE, &early, "Respond before replying", NULL },
    { "old-path", 0, 0, G_OPTION_ARG_NONE, &old_path, "Ignore handle_token", NULL },
    { "no-background", 0, 0, G_OPTION_ARG_NONE, &no_background, "No Background interface",
      NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (answer_option != NULL)
    answer = answer_option;

  requests = g_ptr_array_new_with_free_func (request_free);
  info = g_dbus_node_info_new_for_xml (background_xml, &error);
  g_assert_no_error (error);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  if (!no_background)
    g_dbus_connection_register_object (bus, "/org/freedesktop/portal/desktop",
                                       info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/io/github/sendoff/Test/FakePortal",
                                     info->interfaces[2], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.freedesktop.portal.Desktop",
                                G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                on_name_acquired, on_name_lost, NULL, NULL);

  g_main_loop_run (loop);

  return 0;
}
