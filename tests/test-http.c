/* test-http.c — URL checks, sessions, error messages and classification
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sendoff-error-private.h"
#include "sendoff-http.h"
#include "sendoff-types.h"

static void
test_url_check (void)
{
  const char *good[] = {
    "https://dev.wetransfer.com", "https://example.com:8443/x?y=1", "http://127.0.0.1:8080/",
    "http://127.3.4.5/", "http://localhost:1234/v1", "http://LOCALHOST/", "http://[::1]:99/",
  };
  const char *insecure[] = {
    "http://example.com/", "http://10.0.0.1/", "http://[::2]/", "ftp://example.com/",
    "file:///etc/passwd", "http://127.0.0.1.example.com/", "http://localhost.evil.com/",
  };
  const char *invalid[] = { "", "not a url", "https://", "https:///path", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (sendoff_url_check (good[i], "The address", &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (insecure); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (sendoff_url_check (insecure[i], "The upload address", &error));
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INSECURE_URL);
      g_assert_true (g_str_has_prefix (error->message, "The upload address"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (sendoff_url_check (invalid[i], "The address", &error));
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INSECURE_URL);
    }
}

/* The signature of a presigned URL is a credential: never in a message */
static void
test_url_check_hides_query (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sendoff_url_check ("http://storage.example.com/p?X-Signature=s3cr3t",
                                     "The upload address", &error));
  g_assert_null (strstr (error->message, "s3cr3t"));
}

static void
test_retryable (void)
{
  struct { GQuark domain; int code; gboolean retry; } cases[] = {
    { SENDOFF_ERROR, SENDOFF_ERROR_NETWORK, TRUE },
    { SENDOFF_ERROR, SENDOFF_ERROR_SERVER, FALSE },
    { SENDOFF_ERROR, SENDOFF_ERROR_AUTH, FALSE },
    { SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL, FALSE },
    { SENDOFF_ERROR, SENDOFF_ERROR_CHANGED, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, TRUE },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, TRUE },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, TRUE },
    { G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, TRUE },
    { G_IO_ERROR, G_IO_ERROR_NOT_FOUND, FALSE },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, FALSE },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, TRUE },
  };

  g_assert_false (sendoff_error_is_retryable (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code, "x");
      g_assert_cmpint (sendoff_error_is_retryable (error), ==, cases[i].retry);
    }
}

/* ---- against an in-process server ------------------------------------- */

typedef struct {
  SoupServer *server;
  char       *base;
  guint       redirect_target_hits;
  char       *last_authorization;
} Fixture;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fx = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  g_free (fx->last_authorization);
  fx->last_authorization = g_strdup (auth);

  if (g_str_equal (path, "/json-error"))
    {
      const char *body = "{\"message\": \"Transfer name is\\nmissing\", \"code\": 7}";
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        body, strlen (body));
    }
  else if (g_str_equal (path, "/xml-error"))
    {
      const char *body = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code>"
                         "<Message>Request has expired</Message></Error>";
      soup_server_message_set_status (msg, 403, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                        body, strlen (body));
    }
  else if (g_str_equal (path, "/busy"))
    {
      soup_server_message_set_status (msg, 429, NULL);
      soup_message_headers_replace (headers, "Retry-After", "7");
    }
  else if (g_str_equal (path, "/down"))
    soup_server_message_set_status (msg, 503, NULL);
  else if (g_str_equal (path, "/unauthorized"))
    soup_server_message_set_status (msg, 401, NULL);
  else if (g_str_equal (path, "/garbage"))
    {
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "\xff\xfe<html>", 8);
    }
  else if (g_str_equal (path, "/redirect"))
    {
      g_autofree char *to = g_strconcat (fx->base, "/target", NULL);
      soup_server_message_set_redirect (msg, 302, to);
    }
  else if (g_str_equal (path, "/target"))
    {
      fx->redirect_target_hits++;
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (path, "/big"))
    {
      gsize len = 2 * 1024 * 1024;
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_malloc0 (len), len);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  fx->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fx->server, NULL, handler, fx, NULL);
  soup_server_listen_local (fx->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fx->server);
  fx->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->server);
  g_free (fx->base);
  g_free (fx->last_authorization);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

/* Fetches @path; returns the body or NULL with @error */
static GBytes *
fetch (Fixture      *fx,
       const char   *path,
       gsize         max_bytes,
       SoupMessage **msg_out,
       GError      **error)
{
  g_autoptr(SoupSession) session = sendoff_http_session_new (4);
  g_autofree char *url = g_strconcat (fx->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Authorization", "Bearer jwt-secret");
  sendoff_http_send_and_read_async (session, msg, max_bytes, "Fetching", NULL, on_read, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  body = sendoff_http_send_and_read_finish (session, result, error);
  *msg_out = g_steal_pointer (&msg);
  return body;
}

static GError *
error_for (Fixture    *fx,
           const char *path)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = fetch (fx, path, 64 * 1024, &msg, &error);
  g_assert_no_error (error);
  g_assert_false (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)));
  return sendoff_http_error_new (msg, body, "Creating the transfer");
}

static void
test_error_messages (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) json = error_for (fx, "/json-error");
  g_autoptr(GError) xml = error_for (fx, "/xml-error");
  g_autoptr(GError) busy = error_for (fx, "/busy");
  g_autoptr(GError) down = error_for (fx, "/down");
  g_autoptr(GError) unauthorized = error_for (fx, "/unauthorized");
  g_autoptr(GError) garbage = error_for (fx, "/garbage");

  g_assert_error (json, SENDOFF_ERROR, SENDOFF_ERROR_SERVER);
  g_assert_cmpstr (json->message, ==,
                   "Creating the transfer failed: Transfer name is missing (HTTP 400)");
  g_assert_false (sendoff_error_is_retryable (json));

  g_assert_nonnull (strstr (xml->message, "Request has expired"));
  g_assert_cmpuint (_sendoff_error_get_http_status (xml), ==, 403);

  g_assert_error (busy, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_true (sendoff_error_is_retryable (busy));
  g_assert_cmpint (sendoff_http_error_get_retry_after (busy), ==, 7);
  g_assert_cmpint (sendoff_http_error_get_retry_after (down), ==, -1);
  g_assert_true (sendoff_error_is_retryable (down));

  g_assert_error (unauthorized, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  g_assert_error (garbage, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_true (g_utf8_validate (garbage->message, -1, NULL));

  /* The retry hint survives a copy */
  {
    g_autoptr(GError) copy = g_error_copy (busy);
    g_assert_cmpint (sendoff_http_error_get_retry_after (copy), ==, 7);
  }

  /* Never a request header in a message */
  g_assert_null (strstr (json->message, "jwt-secret"));
  g_assert_null (strstr (busy->message, "jwt-secret"));
}

static void
test_no_redirect (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = error_for (fx, "/redirect");

  g_assert_cmpuint (fx->redirect_target_hits, ==, 0);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
  g_assert_false (sendoff_error_is_retryable (error));
}

static void
test_bounded_read (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = fetch (fx, "/big", 64 * 1024, &msg, &error);
  g_assert_null (body);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
}

static void
test_json_parse (void)
{
  const char *bad[] = { "", "nul", "{", "[1,2]", "\"text\"", "<html></html>", "{\"a\":1}x" };
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bad[i], strlen (bad[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = sendoff_json_parse_object (body, "Signing in", &error);

      g_assert_null (node);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
      g_assert_true (g_str_has_prefix (error->message, "Signing in"));
    }

  /* Deep nesting must not exhaust the stack */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr(GBytes) body = g_bytes_new (deep->str, deep->len);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = sendoff_json_parse (body, "Adding the files", &error);

    g_assert_null (node);
    g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
  }

  {
    g_autoptr(GBytes) body = g_bytes_new_static ("{\"token\":\"x\"}", 13);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = sendoff_json_parse_object (body, "Signing in", &error);

    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/http/url-check", test_url_check);
  g_test_add_func ("/sendoff/http/url-check-hides-query", test_url_check_hides_query);
  g_test_add_func ("/sendoff/http/retryable", test_retryable);
  g_test_add_func ("/sendoff/http/json-parse", test_json_parse);
  g_test_add ("/sendoff/http/error-messages", Fixture, NULL,
              fixture_setup, test_error_messages, fixture_teardown);
  g_test_add ("/sendoff/http/no-redirect", Fixture, NULL,
              fixture_setup, test_no_redirect, fixture_teardown);
  g_test_add ("/sendoff/http/bounded-read", Fixture, NULL,
              fixture_setup, test_bounded_read, fixture_teardown);

  return g_test_run ();
}
