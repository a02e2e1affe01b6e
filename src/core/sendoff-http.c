/* sendoff-http.c — HTTP helpers shared by the providers and the engine
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-http"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-error-private.h"
#include "sendoff-http.h"
#include "sendoff-proxy-resolver.h"
#include "sendoff-types.h"
#include "sendoff-watchdog.h"

#define RETRY_AFTER_MAX_SECONDS  3600
#define SENDOFF_JSON_MAX_DEPTH   64

static gboolean json_depth_ok (const char *data, gsize len);

static gboolean
has_control_or_space (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p <= ' ' || *p == 0x7f)
      return TRUE;
  return FALSE;
}

gboolean
sendoff_url_check (const char  *url,
                   const char  *what,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (what != NULL, FALSE);

  /* A server's URL with spaces or control characters (a line break in
   * the host) would end up in messages and request headers */
  if (url != NULL && !has_control_or_space (url))
    uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      /* The URL itself is not shown: a presigned URL is a credential */
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INSECURE_URL,
                   _("%s is not a valid web address"), what);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && _sendoff_host_is_loopback (host))
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INSECURE_URL,
                 _("%s uses unencrypted http:// for “%s”; only https:// is allowed "
                   "except for this computer"), what, host);
  else
    g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INSECURE_URL,
                 _("%s must start with https://"), what);
  return FALSE;
}

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  GUri *uri = soup_message_get_uri (msg);

  /* A redirect could carry the credentials to another host: never follow,
   * the caller sees the 3xx and reports it. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  /* For `sendoff-cli --verbose`: never the query, which in a presigned
   * URL is a credential, nor any header */
  g_debug ("%s %s://%s:%d%s", soup_message_get_method (msg), g_uri_get_scheme (uri),
           g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri));
}

SoupSession *
sendoff_http_session_new (guint max_conns_per_host)
{
  SoupSession *session;
  g_autoptr(GProxyResolver) proxy_resolver = sendoff_proxy_resolver_new (NULL);
  g_autofree char *user_agent = g_strdup_printf ("Sendoff/%s ", PACKAGE_VERSION);

  max_conns_per_host = MAX (max_conns_per_host, 1);

  /* The trailing space makes libsoup append its own product token */
  session = soup_session_new_with_options ("max-conns-per-host", (int) max_conns_per_host,
                                           "max-conns", (int) MAX (max_conns_per_host + 2, 10),
                                           "user-agent", user_agent,
                                           "timeout", 60,
                                           "idle-timeout", 60,
                                           "proxy-resolver", proxy_resolver,
                                           NULL);
  g_signal_connect (session, "request-queued", G_CALLBACK (on_request_queued), NULL);

  return session;
}

gboolean
sendoff_error_is_retryable (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == SENDOFF_ERROR)
    return error->code == SENDOFF_ERROR_NETWORK && !_sendoff_error_is_final (error);

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_FAILED:
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_BUSY:
        case G_IO_ERROR_WOULD_BLOCK:
        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_CONNECTION_CLOSED: /* also G_IO_ERROR_BROKEN_PIPE */
        case G_IO_ERROR_NOT_CONNECTED:
        case G_IO_ERROR_PARTIAL_INPUT:
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE;

  if (error->domain == SOUP_SESSION_ERROR)
    return error->code == SOUP_SESSION_ERROR_PARSING ||
           error->code == SOUP_SESSION_ERROR_ENCODING;

  /* TLS errors (a bad certificate) and anything unknown: trying again
   * would not help, or would be unsafe. */
  return FALSE;
}

char *
sendoff_server_text_sanitize (const char *text,
                              gssize      len)
{
  g_autofree char *valid = NULL;
  GString *out;
  const char *p;
  guint n_chars = 0;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, len);
  out = g_string_new (NULL);

  for (p = valid; *p != '\0' && n_chars < SENDOFF_SERVER_TEXT_MAX_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        c = ' ';
      if (c == ' ' && (out->len == 0 || out->str[out->len - 1] == ' '))
        continue;
      g_string_append_unichar (out, c);
      n_chars++;
    }

  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  if (*p != '\0')
    g_string_append (out, "…");

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static const char *
json_node_dup_message (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      const char *keys[] = { "message", "error", "detail", "title" };

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          JsonNode *member = json_object_get_member (object, keys[i]);

          if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
              json_node_get_value_type (member) == G_TYPE_STRING)
            return json_node_get_string (member);
        }
    }

  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    return json_node_dup_message (json_array_get_element (json_node_get_array (node), 0));

  return NULL;
}

static char *
server_message_from_json (const char *data,
                          gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  const char *keys[] = { "message", "error", "errors", "detail" };

  if (!json_depth_ok (data, len) || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          const char *text = json_node_dup_message (json_object_get_member (object, keys[i]));

          if (text != NULL)
            return sendoff_server_text_sanitize (text, -1);
        }
      return NULL;
    }

  return sendoff_server_text_sanitize (json_node_dup_message (root), -1);
}

/* S3 answers <Error><Code>…</Code><Message>…</Message></Error> */
static char *
server_message_from_xml (const char *data,
                         gsize       len)
{
  const char *start = g_strstr_len (data, len, "<Message>");
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen ("<Message>");
  end = g_strstr_len (start, len - (start - data), "</Message>");
  if (end == NULL)
    return NULL;

  return sendoff_server_text_sanitize (start, end - start);
}

static char *
server_message (GBytes *body)
{
  const char *data;
  gsize len = 0;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0)
    return NULL;

  /* Bounded: error pages can be large, and nothing past this is shown */
  len = MIN (len, 64 * 1024);

  while (len > 0 && g_ascii_isspace (*data))
    {
      data++;
      len--;
    }
  if (len == 0)
    return NULL;

  if (*data == '{' || *data == '[' || *data == '"')
    return server_message_from_json (data, len);
  if (*data == '<')
    return server_message_from_xml (data, len);

  return NULL;
}

static gint64
parse_retry_after (SoupMessage *msg)
{
  const char *value;
  char *end = NULL;
  gint64 seconds;

  value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;

  if (g_ascii_isdigit (*value))
    {
      guint64 parsed = g_ascii_strtoull (value, &end, 10);

      if (end == value)
        return -1;
      seconds = (gint64) MIN (parsed, (guint64) RETRY_AFTER_MAX_SECONDS);
    }
  else
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
      g_autoptr(GDateTime) now = NULL;

      if (when == NULL)
        return -1;
      now = g_date_time_new_now_utc ();
      seconds = g_date_time_difference (when, now) / G_TIME_SPAN_SECOND;
      seconds = CLAMP (seconds, 0, RETRY_AFTER_MAX_SECONDS);
    }

  return seconds;
}

static SendoffError
code_for_status (guint status)
{
  if (status >= 300 && status < 400)
    return SENDOFF_ERROR_PROTOCOL;
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return SENDOFF_ERROR_AUTH;
  if (status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429 ||
      (status >= 500 && status < 600))
    return SENDOFF_ERROR_NETWORK;
  if (status >= 400 && status < 500)
    return SENDOFF_ERROR_SERVER;
  return SENDOFF_ERROR_PROTOCOL;
}

GError *
sendoff_http_error_new (SoupMessage *msg,
                        GBytes      *body,
                        const char  *what)
{
  g_autofree char *text = NULL;
  GError *error;
  guint status;

  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), NULL);
  g_return_val_if_fail (what != NULL, NULL);

  status = soup_message_get_status (msg);

  if (status >= 300 && status < 400)
    error = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                         _("%s failed: the server redirected elsewhere, which Sendoff does "
                           "not follow (HTTP %u)"), what, status);
  else if ((text = server_message (body)) != NULL)
    error = g_error_new (SENDOFF_ERROR, code_for_status (status),
                         _("%s failed: %s (HTTP %u)"), what, text, status);
  else
    error = g_error_new (SENDOFF_ERROR, code_for_status (status),
                         _("%s failed: %s (HTTP %u)"), what,
                         soup_status_get_phrase (status) ? soup_status_get_phrase (status)
                                                         : _("unexpected answer"),
                         status);

  _sendoff_error_set_http (error, status, parse_retry_after (msg));

  return error;
}

gint64
sendoff_http_error_get_retry_after (const GError *error)
{
  return _sendoff_error_get_retry_after (error);
}

gboolean
sendoff_http_body_is_s3_error (GBytes *body)
{
  const char *data;
  gsize len = 0;

  if (body == NULL || (data = g_bytes_get_data (body, &len)) == NULL)
    return FALSE;

  while (len > 0 && g_ascii_isspace (*data))
    data++, len--;
  if (len >= 5 && memcmp (data, "<?xml", 5) == 0)
    {
      const char *end = g_strstr_len (data, len, "?>");

      if (end == NULL)
        return FALSE;
      len -= end + 2 - data;
      data = end + 2;
      while (len > 0 && g_ascii_isspace (*data))
        data++, len--;
    }

  return len >= 7 && memcmp (data, "<Error>", 7) == 0;
}

/* json-glib recurses once per nesting level: refuse absurd depths before
 * a hostile answer can exhaust the stack. */
static gboolean
json_depth_ok (const char *data,
               gsize       len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > SENDOFF_JSON_MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

JsonNode *
sendoff_json_parse (GBytes      *body,
                    const char  *what,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *data = NULL;
  gsize len = 0;
  JsonNode *root;

  g_return_val_if_fail (what != NULL, NULL);

  if (body != NULL)
    data = g_bytes_get_data (body, &len);

  if (data == NULL || len == 0)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("%s: the server’s answer is empty"), what);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_depth_ok (data, len) || !json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("%s: the server’s answer is not valid JSON"), what);
      return NULL;
    }

  return json_node_ref (root);
}

JsonNode *
sendoff_json_parse_object (GBytes      *body,
                           const char  *what,
                           GError     **error)
{
  g_autoptr(JsonNode) root = sendoff_json_parse (body, what, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("%s: the server’s answer is not a JSON object"), what);
      return NULL;
    }

  return g_steal_pointer (&root);
}

typedef struct {
  GInputStream    *stream;
  GByteArray      *data;
  gsize            max_bytes;
  char            *what;
  SendoffWatchdog *watchdog;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->stream);
  g_clear_pointer (&data->data, g_byte_array_unref);
  g_free (data->what);
  if (data->watchdog != NULL)
    _sendoff_watchdog_finish (g_steal_pointer (&data->watchdog), NULL);
  g_free (data);
}

/* Every answer ends here: a stalled request's error says so */
static void
read_return (GTask  *task,
             GError *error)
{
  ReadData *data = g_task_get_task_data (task);

  error = _sendoff_watchdog_finish (g_steal_pointer (&data->watchdog), error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->data)),
                         (GDestroyNotify) g_bytes_unref);
}

static void read_next (GTask *task);

static void
on_read_bytes (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      read_return (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      read_return (task, NULL);
      return;
    }

  if (data->data->len + g_bytes_get_size (chunk) > data->max_bytes)
    {
      read_return (task, g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                                      _("%s: the server’s answer is too long"), data->what));
      return;
    }

  _sendoff_watchdog_add_bytes (data->watchdog, g_bytes_get_size (chunk));
  g_byte_array_append (data->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, 16 * 1024, G_PRIORITY_DEFAULT,
                                   _sendoff_watchdog_get_cancellable (data->watchdog),
                                   on_read_bytes, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      read_return (task, error);
      return;
    }

  read_next (g_steal_pointer (&task));
}

static GQuark
stall_window_quark (void)
{
  return g_quark_from_static_string ("sendoff-stall-window");
}

void
sendoff_http_message_set_stall_window (SoupMessage *msg,
                                       guint        window_ms)
{
  g_return_if_fail (SOUP_IS_MESSAGE (msg));
  g_return_if_fail (window_ms > 0);

  g_object_set_qdata (G_OBJECT (msg), stall_window_quark (), GUINT_TO_POINTER (window_ms));
}

void
sendoff_http_send_and_read_async (SoupSession         *session,
                                  SoupMessage         *msg,
                                  gsize                max_bytes,
                                  const char          *what,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  ReadData *data;
  guint window;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));
  g_return_if_fail (what != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_http_send_and_read_async);

  data = g_new0 (ReadData, 1);
  data->data = g_byte_array_new ();
  data->max_bytes = max_bytes;
  data->what = g_strdup (what);
  /* A server that drips its answer would hold this request for ever */
  data->watchdog = _sendoff_watchdog_new (cancellable, context);
  if ((window = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (msg), stall_window_quark ()))))
    _sendoff_watchdog_set_window (data->watchdog, window);
  _sendoff_watchdog_watch_message (data->watchdog, msg);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT,
                           _sendoff_watchdog_get_cancellable (data->watchdog),
                           on_sent, g_steal_pointer (&task));
}

GBytes *
sendoff_http_send_and_read_finish (SoupSession   *session,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
sendoff_json_get_string (JsonObject *object,
                         const char *name,
                         gsize       max_len)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  if (*value == '\0' || strlen (value) > max_len)
    return NULL;

  return value;
}
