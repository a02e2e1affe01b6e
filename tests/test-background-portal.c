/* test-background-portal.c — asking the Background portal, against a fake one on a bus of the test's own
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "background-portal-fixture.h"
#include "sendoff-background-portal.h"
#include "window-test-util.h"

#define REASON "Sendoff can finish sending your files after its window is closed."

typedef struct {
  gboolean                 done;
  SendoffBackgroundAnswer  answer;
  GError                  *error;
} Result;

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Result *r = user_data;

  r->answer = sendoff_background_portal_request_finish (result, &r->error);
  r->done = TRUE;
}

static void
wait_for (Result *r)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!r->done)
    {
      /* A missed Response would wait forever */
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static SendoffBackgroundAnswer
ask (const char   *parent_window,
     GCancellable *cancellable)
{
  Result r = { 0 };

  sendoff_background_portal_request_async (NULL, parent_window, REASON, cancellable,
                                           request_cb, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  return r.answer;
}

static void
test_allowed (void)
{
  const char *args[] = { "--answer=allow", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);
  g_autoptr(GVariant) requests = NULL;
  g_autoptr(GVariant) options = NULL;
  const char *parent, *reason, *token;
  gboolean autostart = TRUE, closed;
  g_autofree char *path = NULL;

  g_assert_cmpint (ask ("x11:1a00003", NULL), ==, SENDOFF_BACKGROUND_ALLOWED);

  requests = sendoff_test_portal_get_requests (portal);
  g_assert_cmpuint (g_variant_n_children (requests), ==, 1);
  g_variant_get_child (requests, 0, "(&s@a{sv}b)", &parent, &options, &closed);
  g_assert_cmpstr (parent, ==, "x11:1a00003");
  g_assert_false (closed);
  g_assert_true (g_variant_lookup (options, "reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, REASON);
  g_assert_true (g_variant_lookup (options, "autostart", "b", &autostart));
  g_assert_false (autostart);
  g_assert_true (g_variant_lookup (options, "handle_token", "&s", &token));
  path = g_strconcat ("/", token, NULL);
  g_assert_true (g_variant_is_object_path (path));
}

static void
test_denied (void)
{
  const char *args[] = { "--answer=deny", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);

  g_assert_cmpint (ask ("", NULL), ==, SENDOFF_BACKGROUND_DENIED);
}

/* The portal could not ask (response 2): nobody said no */
static void
test_other (void)
{
  const char *args[] = { "--answer=other", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);

  g_assert_cmpint (ask ("", NULL), ==, SENDOFF_BACKGROUND_UNAVAILABLE);
}

/* The Response comes before the reply that names the Request: it is
 * heard all the same, on the path predicted from the token */
static void
test_answer_before_reply (void)
{
  const char *args[] = { "--answer=deny", "--early", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);

  g_assert_cmpint (ask ("", NULL), ==, SENDOFF_BACKGROUND_DENIED);
}

static guint n_requests (SendoffTestPortal *portal);

/* A portal older than 0.9 ignores the token: its own path is followed.
 * Listening there can start only with its reply, so the answer is given
 * once that reply has surely been read (real portals wait for the user) */
static void
test_old_portal_path (void)
{
  const char *args[] = { "--answer=wait", "--old-path", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);
  Result r = { 0 };

  sendoff_background_portal_request_async (NULL, "", REASON, NULL, request_cb, &r);
  while (n_requests (portal) == 0)
    sendoff_test_spin (10);
  sendoff_test_spin (300);
  g_assert_false (r.done);
  sendoff_test_portal_answer (portal, "deny");
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_cmpint (r.answer, ==, SENDOFF_BACKGROUND_DENIED);
}

static void
test_no_portal (void)
{
  g_assert_cmpint (ask ("", NULL), ==, SENDOFF_BACKGROUND_UNAVAILABLE);
}

static void
test_no_background_interface (void)
{
  const char *args[] = { "--no-background", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);

  g_assert_cmpint (ask ("", NULL), ==, SENDOFF_BACKGROUND_UNAVAILABLE);
}

static gboolean
closed_after (SendoffTestPortal *portal,
              guint              ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GVariant) requests = sendoff_test_portal_get_requests (portal);
      gboolean closed = FALSE;

      if (g_variant_n_children (requests) == 1)
        g_variant_get_child (requests, 0, "(&s@a{sv}b)", NULL, NULL, &closed);
      if (closed)
        return TRUE;
      sendoff_test_spin (10);
    }
  return FALSE;
}

static guint
n_requests (SendoffTestPortal *portal)
{
  g_autoptr(GVariant) requests = sendoff_test_portal_get_requests (portal);

  return (guint) g_variant_n_children (requests);
}

/* Withdrawn while the user is asked: the portal's question is closed */
static void
test_cancel_while_asking (void)
{
  const char *args[] = { "--answer=wait", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };

  sendoff_background_portal_request_async (NULL, "", REASON, cancellable, request_cb, &r);
  while (n_requests (portal) == 0)
    sendoff_test_spin (10);
  sendoff_test_spin (50);
  g_assert_false (r.done);

  g_cancellable_cancel (cancellable);
  wait_for (&r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_true (closed_after (portal, 5000));

  /* An answer that comes anyway changes nothing */
  sendoff_test_portal_answer (portal, "allow");
  sendoff_test_spin (50);
}

/* Withdrawn before the portal replied: closed as soon as it has */
static void
test_cancel_before_reply (void)
{
  const char *args[] = { "--answer=wait", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  Result r = { 0 };

  /* With the connection given, the call is on its way at once */
  sendoff_background_portal_request_async (connection, "", REASON, cancellable, request_cb, &r);
  g_cancellable_cancel (cancellable);
  wait_for (&r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_true (closed_after (portal, 5000));
}

static void
test_cancelled_already (void)
{
  const char *args[] = { "--answer=allow", NULL };
  g_autoptr(SendoffTestPortal) portal = sendoff_test_portal_start (args);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };

  g_cancellable_cancel (cancellable);
  sendoff_background_portal_request_async (NULL, "", REASON, cancellable, request_cb, &r);
  wait_for (&r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  sendoff_test_spin (50);
  g_assert_cmpuint (n_requests (portal), ==, 0);
}

static void
test_sandboxed (void)
{
  g_setenv ("SENDOFF_TEST_SANDBOXED", "1", TRUE);
  g_assert_true (sendoff_background_portal_is_sandboxed ());
  g_setenv ("SENDOFF_TEST_SANDBOXED", "0", TRUE);
  g_assert_false (sendoff_background_portal_is_sandboxed ());
  g_unsetenv ("SENDOFF_TEST_SANDBOXED");
  g_assert_cmpint (sendoff_background_portal_is_sandboxed (), ==,
                   g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* A bus of its own, where nothing is activatable: "no portal" is true
   * even on a desktop that has one */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add_func ("/sendoff/background-portal/allowed", test_allowed);
  g_test_add_func ("/sendoff/background-portal/denied", test_denied);
  g_test_add_func ("/sendoff/background-portal/other", test_other);
  g_test_add_func ("/sendoff/background-portal/answer-before-reply", test_answer_before_reply);
  g_test_add_func ("/sendoff/background-portal/old-portal-path", test_old_portal_path);
  g_test_add_func ("/sendoff/background-portal/no-portal", test_no_portal);
  g_test_add_func ("/sendoff/background-portal/no-background-interface",
                   test_no_background_interface);
  g_test_add_func ("/sendoff/background-portal/cancel-while-asking", test_cancel_while_asking);
  g_test_add_func ("/sendoff/background-portal/cancel-before-reply", test_cancel_before_reply);
  g_test_add_func ("/sendoff/background-portal/cancelled-already", test_cancelled_already);
  g_test_add_func ("/sendoff/background-portal/sandboxed", test_sandboxed);

  ret = g_test_run ();
  g_test_dbus_down (bus);

  return ret;
}
