/* fuzz-sandbox-request.c — libFuzzer target: sendoff-sandbox's handling of raw
 * HTTP requests (routing, headers, JSON bodies, query strings, signed
 * storage URLs), fed to its SoupServer through an in-memory stream.
 *
 * The input is one or more HTTP/1.1 requests. Before they are fed, these
 * placeholders are replaced so that the fuzzer reaches past authentication:
 *   @JWT@     a WeTransfer token issued to the key "fuzz-key"
 *   @TRANSFER@ / @FILE@ / @UPLOAD@  ids of a transfer with one 7 MiB file
 *   @PUTURL@  the path and query of a valid presigned URL for its part 1
 * Wunderlist calls take the access token "fuzz-token" and client id
 * "fuzz-client" as they are.
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "sendoff-sandbox-server.h"

#define ITERATION_LIMIT 2000

static char *api_keys[] = { (char *) "fuzz-key", NULL };
static char *access_tokens[] = { (char *) "fuzz-token", NULL };
static char *client_ids[] = { (char *) "fuzz-client", NULL };

static SandboxOptions opts = {
  .chunk_size = 6291456,
  .url_ttl = 3600,
  .max_transfer_size = G_GINT64_CONSTANT (2147483648),
  .seed = 1,
  .have_seed = TRUE,
  .discard = TRUE,
  .api_keys = api_keys,
  .access_tokens = access_tokens,
  .client_ids = client_ids,
};

static int requests_open;

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  requests_open++;
}

static void
on_request_ended (SoupServer        *server,
                  SoupServerMessage *msg,
                  gpointer           user_data)
{
  requests_open--;
}

static GByteArray *
run_requests (SandboxServer *server,
              const guint8  *data,
              gsize          size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_memdup2 (data, size),
                                                                    size, g_free);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) stream = g_simple_io_stream_new (in, out);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new_from_string ("127.0.0.1", 80);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new_from_string ("127.0.0.1", 4242);
  g_autoptr(GError) error = NULL;
  GByteArray *answer;

  if (!soup_server_accept_iostream (server->server, stream, local, remote, &error))
    g_error ("accept_iostream: %s", error->message);

  /* Done when the stream is closed, or when all input is read, every
   * request started has finished and nothing is left to dispatch; answers
   * that wait for a writer thread need a few turns. */
  for (guint i = 0; i < ITERATION_LIMIT && !g_io_stream_is_closed (stream); i++)
    {
      gboolean busy = g_main_context_iteration (NULL, FALSE);

      if (!busy && requests_open == 0 &&
          g_seekable_tell (G_SEEKABLE (in)) == (goffset) size)
        break;
      if (!busy)
        g_usleep (50);
    }

  answer = g_byte_array_new ();
  g_byte_array_append (answer,
                       g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  return answer;
}

/* The JSON body of the last answer in @answer */
static JsonObject *
answer_object (GByteArray *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *body = g_strstr_len ((const char *) answer->data, answer->len, "\r\n\r\n");
  JsonNode *root;

  g_assert_nonnull (body);
  body += 4;
  if (!json_parser_load_from_data (parser, body, answer->len - (body - (char *) answer->data),
                                   NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    g_error ("not a JSON answer: %.*s", (int) answer->len, answer->data);
  return json_object_ref (json_node_get_object (root));
}

static GByteArray *
request (SandboxServer *server,
         const char    *method,
         const char    *path,
         const char    *jwt,
         const char    *body)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                          "x-api-key: fuzz-key\r\n%s%s%s"
                          "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                          method, path, jwt ? "Authorization: Bearer " : "", jwt ? jwt : "",
                          jwt ? "\r\n" : "", strlen (body), body);
  return run_requests (server, (const guint8 *) text, strlen (text));
}

/* Creates what the placeholders name, through the API itself */
static GHashTable *
set_up (SandboxServer *server)
{
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GByteArray) a1 = request (server, "POST", "/v1/authorize", NULL, "");
  g_autoptr(JsonObject) o1 = answer_object (a1);
  const char *jwt = json_object_get_string_member (o1, "token");
  g_autoptr(GByteArray) a2 = request (server, "POST", "/v1/transfers", jwt,
                                      "{\"name\":\"fuzz\"}");
  g_autoptr(JsonObject) o2 = answer_object (a2);
  const char *transfer = json_object_get_string_member (o2, "id");
  g_autofree char *items_path = g_strdup_printf ("/v1/transfers/%s/items", transfer);
  g_autoptr(GByteArray) a3 = request (server, "POST", items_path, jwt,
                                      "{\"items\":[{\"local_identifier\":\"f1\","
                                      "\"content_identifier\":\"file\",\"filename\":\"a.bin\","
                                      "\"filesize\":7340032}]}");
  g_autoptr(GByteArray) a4 = NULL;
  g_autoptr(JsonObject) o4 = NULL;
  g_autoptr(GUri) put_uri = NULL;
  g_autofree char *url_path = NULL;
  JsonObject *item, *meta;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *body = g_strstr_len ((const char *) a3->data, a3->len, "\r\n\r\n") + 4;
  const char *file, *upload;

  if (!json_parser_load_from_data (parser, body, a3->len - (body - (char *) a3->data), NULL))
    g_error ("items: %.*s", (int) a3->len, a3->data);
  item = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  meta = json_object_get_object_member (item, "meta");
  file = json_object_get_string_member (item, "id");
  upload = json_object_get_string_member (meta, "multipart_upload_id");

  url_path = g_strdup_printf ("/v1/files/%s/uploads/1/%s", file, upload);
  a4 = request (server, "GET", url_path, jwt, "");
  o4 = answer_object (a4);
  put_uri = g_uri_parse (json_object_get_string_member (o4, "upload_url"), G_URI_FLAGS_ENCODED,
                         NULL);
  g_assert_nonnull (put_uri);

  g_hash_table_insert (map, (gpointer) "@JWT@", g_strdup (jwt));
  g_hash_table_insert (map, (gpointer) "@TRANSFER@", g_strdup (transfer));
  g_hash_table_insert (map, (gpointer) "@FILE@", g_strdup (file));
  g_hash_table_insert (map, (gpointer) "@UPLOAD@", g_strdup (upload));
  g_hash_table_insert (map, (gpointer) "@PUTURL@",
                       g_strdup_printf ("%s?%s", g_uri_get_path (put_uri),
                                        g_uri_get_query (put_uri)));
  return map;
}

static GByteArray *
substitute (GHashTable    *map,
            const uint8_t *data,
            size_t         size)
{
  GByteArray *out = g_byte_array_sized_new (size);

  for (size_t i = 0; i < size; )
    {
      const uint8_t *end = data[i] == '@' ? memchr (data + i + 1, '@', MIN (size - i - 1, 12))
                                          : NULL;

      if (end != NULL)
        {
          g_autofree char *name = g_strndup ((const char *) data + i, end - (data + i) + 1);
          const char *value = g_hash_table_lookup (map, name);

          if (value != NULL)
            {
              g_byte_array_append (out, (const guint8 *) value, strlen (value));
              i += strlen (name);
              continue;
            }
        }
      g_byte_array_append (out, data + i, 1);
      i++;
    }
  return out;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static char *data_dir;
  SandboxServer *server;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) map = NULL;
  g_autoptr(GByteArray) input = NULL;
  g_autoptr(GByteArray) answer = NULL;

  if (data_dir == NULL)
    {
      data_dir = g_dir_make_tmp ("sendoff-fuzz-XXXXXX", NULL);
      g_assert_nonnull (data_dir);
      opts.data_dir = data_dir;
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
    }

  /* A fresh server per input: runs do not depend on earlier inputs */
  server = sandbox_server_new (&opts, &error);
  if (server == NULL)
    g_error ("sandbox: %s", error->message);

  requests_open = 0;
  g_signal_connect (server->server, "request-started", G_CALLBACK (on_request_started), NULL);
  g_signal_connect (server->server, "request-finished", G_CALLBACK (on_request_ended), NULL);
  g_signal_connect (server->server, "request-aborted", G_CALLBACK (on_request_ended), NULL);
  map = set_up (server);
  input = substitute (map, data, size);
  answer = run_requests (server, input->data, input->len);
  /* FUZZ_SHOW=1 prints the answers, to check what an input reaches */
  if (g_getenv ("FUZZ_SHOW") != NULL)
    g_printerr ("%.*s\n", (int) answer->len, answer->data);

  sandbox_server_free (server);
  return 0;
}
