/* background-portal-fixture.c — start tests/fake-background-portal and read what it was asked
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "background-portal-fixture.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"

struct _SendoffTestPortal
{
  GSubprocess     *process;
  GDBusConnection *bus;
};

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
name_has_owner (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", PORTAL_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

SendoffTestPortal *
sendoff_test_portal_start (const char *const *args)
{
  SendoffTestPortal *portal = g_new0 (SendoffTestPortal, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *dir = g_getenv ("SENDOFF_TEST_BUILDDIR");

  if (dir == NULL || *dir == '\0')
    g_error ("SENDOFF_TEST_BUILDDIR is not set; run the test through meson test");

  g_ptr_array_add (argv, g_build_filename (dir, "fake-background-portal", NULL));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  portal->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Its own warnings are not the test's */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  portal->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (portal->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");

  return portal;
}

void
sendoff_test_portal_stop (SendoffTestPortal *portal)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (portal->process, SIGTERM);
  g_subprocess_wait (portal->process, NULL, &error);
  g_assert_no_error (error);
  /* The next test's portal cannot own the name before the bus let it go */
  while (name_has_owner (portal->bus))
    g_usleep (1000);

  g_object_unref (portal->process);
  g_object_unref (portal->bus);
  g_free (portal);
}

static GVariant *
call (SendoffTestPortal  *portal,
      const char         *method,
      GVariant           *parameters,
      const GVariantType *reply_type)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (portal->bus, PORTAL_NAME,
                                       "/io/github/sendoff/Test/FakePortal",
                                       "io.github.sendoff.Test.FakePortal", method, parameters,
                                       reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  return reply;
}

GVariant *
sendoff_test_portal_get_requests (SendoffTestPortal *portal)
{
  g_autoptr(GVariant) reply = call (portal, "GetRequests", NULL,
                                    G_VARIANT_TYPE ("(a(sa{sv}b))"));

  return g_variant_get_child_value (reply, 0);
}

void
sendoff_test_portal_answer (SendoffTestPortal *portal,
                            const char        *how)
{
  g_autoptr(GVariant) reply = call (portal, "Answer", g_variant_new ("(s)", how), NULL);
}
