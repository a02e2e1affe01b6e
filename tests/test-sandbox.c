/* test-sandbox.c — sendoff-sandbox: every endpoint, every refusal, faults, garbage
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <libsoup/soup.h>

#include "sandbox-fixture.h"

/* ---- helpers --------------------------------------------------------------- */

typedef struct
{
  guint    status;
  GBytes  *body;
  GError  *error;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static SoupSession *session;

/* headers: name, value, name, value, ..., NULL */
static void
request_full (Reply             *reply,
              const char        *method,
              const char        *url,
              const char *const *headers,
              const char        *content_type,
              const void        *body,
              gssize             body_len)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *request_headers;

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

static JsonNode *
reply_json (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (reply->body);
  json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                              g_bytes_get_size (reply->body), &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonObject *
reply_object (Reply *reply)
{
  g_autoptr(JsonNode) node = reply_json (reply);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static char *
reply_text (Reply *reply)
{
  g_assert_nonnull (reply->body);
  return g_strndup (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));
}

static void
assert_message_contains (Reply      *reply,
                         guint       status,
                         const char *needle)
{
  g_autofree char *text = reply_text (reply);

  g_assert_no_error (reply->error);
  if (reply->status != status || strstr (text, needle) == NULL)
    g_error ("expected %u with \"%s\", got %u: %s", status, needle, reply->status, text);
}

static char *
url_for (SendoffTestSandbox *sb,
         const char         *path)
{
  return g_strconcat (sendoff_test_sandbox_get_url (sb), path, NULL);
}

/* ---- WeTransfer client steps ---------------------------------------------------- */

static char *
authorize (SendoffTestSandbox *sb,
           const char         *key)
{
  g_autofree char *url = url_for (sb, "/v1/authorize");
  const char *headers[] = { "x-api-key", key, NULL };
  g_auto(Reply) reply = { 0 };
  g_autoptr(JsonObject) object = NULL;

  request_full (&reply, "POST", url, headers, NULL, NULL, 0);
  g_assert_cmpuint (reply.status, ==, 200);
  object = reply_object (&reply);
  g_assert_true (json_object_get_boolean_member (object, "success"));
  return g_strdup (json_object_get_string_member (object, "token"));
}

typedef struct
{
  SendoffTestSandbox *sb;
  char               *key;
  char               *bearer;
} Client;

static void
client_init (Client             *client,
             SendoffTestSandbox *sb,
             const char         *key)
{
  g_autofree char *token = authorize (sb, key);

  client->sb = sb;
  client->key = g_strdup (key);
  client->bearer = g_strconcat ("Bearer ", token, NULL);
}

static void
client_clear (Client *client)
{
  g_free (client->key);
  g_free (client->bearer);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

static void
api (Client     *client,
     Reply      *reply,
     const char *method,
     const char *path,
     const char *json)
{
  g_autofree char *url = url_for (client->sb, path);
  const char *headers[] = { "x-api-key", client->key, "Authorization", client->bearer, NULL };

  request_full (reply, method, url, headers, "application/json", json, -1);
}

static JsonObject *
create_transfer (Client *client)
{
  g_auto(Reply) reply = { 0 };

  api (client, &reply, "POST", "/v1/transfers",
       "{\"name\": \"Little kittens\", \"description\": \"Meow\"}");
  g_assert_cmpuint (reply.status, ==, 200);
  return reply_object (&reply);
}

static JsonArray *
add_items (Client     *client,
           const char *transfer_id,
           const char *items_json)
{
  g_autofree char *path = g_strdup_printf ("/v1/transfers/%s/items", transfer_id);
  g_autofree char *body = g_strdup_printf ("{\"items\": %s}", items_json);
  g_auto(Reply) reply = { 0 };
  g_autoptr(JsonNode) node = NULL;

  api (client, &reply, "POST", path, body);
  g_assert_cmpuint (reply.status, ==, 200);
  node = reply_json (&reply);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static void
part_url (Client     *client,
          Reply      *reply,
          JsonObject *item,
          guint       part)
{
  JsonObject *meta = json_object_get_object_member (item, "meta");
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/v1/files/%s/uploads/%u/%s", json_object_get_string_member (item, "id"),
                          part, json_object_get_string_member (meta, "multipart_upload_id"));
  api (client, reply, "GET", path, NULL);
}

static char *
get_upload_url (Client     *client,
                JsonObject *item,
                guint       part)
{
  g_auto(Reply) reply = { 0 };
  g_autoptr(JsonObject) object = NULL;

  part_url (client, &reply, item, part);
  g_assert_cmpuint (reply.status, ==, 200);
  object = reply_object (&reply);
  g_assert_cmpint (json_object_get_int_member (object, "part_number"), ==, part);
  g_assert_cmpint (json_object_get_int_member (object, "upload_expires_at"), >,
                   g_get_real_time () / G_USEC_PER_SEC);
  return g_strdup (json_object_get_string_member (object, "upload_url"));
}

static void
put_bytes (Reply      *reply,
           const char *url,
           const void *data,
           gsize       len)
{
  request_full (reply, "PUT", url, NULL, NULL, data, len);
}

static void
complete (Client     *client,
          Reply      *reply,
          JsonObject *item)
{
  g_autofree char *path = g_strdup_printf ("/v1/files/%s/uploads/complete",
                                           json_object_get_string_member (item, "id"));

  api (client, reply, "POST", path, NULL);
}

static JsonObject *
state_item (JsonObject *state,
            const char *file_id)
{
  JsonArray *transfers = json_object_get_array_member (state, "transfers");

  for (guint i = 0; i < json_array_get_length (transfers); i++)
    {
      JsonArray *items = json_object_get_array_member (json_array_get_object_element (transfers, i),
                                                       "items");

      for (guint j = 0; j < json_array_get_length (items); j++)
        {
          JsonObject *item = json_array_get_object_element (items, j);

          if (strcmp (json_object_get_string_member (item, "id"), file_id) == 0)
            return item;
        }
    }
  g_error ("file %s is not in the state", file_id);
}

static gint64
state_count (JsonObject *state,
             const char *group,
             const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (state, group), name);
}

static char *
write_temp_file (const char *data,
                 gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("sendoff-test-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

/* Uploads data as one item of a new transfer, part by part (chunk 10). */
static JsonObject *
upload_whole (Client     *client,
              const char *filename,
              const char *data,
              gsize       len,
              char      **out_transfer_id)
{
  g_autoptr(JsonObject) transfer = create_transfer (client);
  g_autofree char *items = g_strdup_printf ("[{\"content_identifier\": \"file\", \"filename\": \"%s\","
                                            " \"filesize\": %" G_GSIZE_FORMAT ", \"local_identifier\": \"x\"}]",
                                            filename, len);
  g_autoptr(JsonArray) added = add_items (client, json_object_get_string_member (transfer, "id"), items);
  JsonObject *item = json_array_get_object_element (added, 0);
  guint parts = json_object_get_int_member (json_object_get_object_member (item, "meta"),
                                            "multipart_parts");
  g_auto(Reply) done = { 0 };

  g_assert_cmpuint (parts, ==, MAX (1, (len + 9) / 10));
  for (guint p = 1; p <= parts; p++)
    {
      g_autofree char *url = get_upload_url (client, item, p);
      g_auto(Reply) reply = { 0 };
      gsize offset = (p - 1) * 10;

      put_bytes (&reply, url, data + offset, MIN (10, len - offset));
      g_assert_no_error (reply.error);
      g_assert_cmpuint (reply.status, ==, 200);
      g_assert_nonnull (soup_message_headers_get_one (reply.headers, "ETag"));
    }
  complete (client, &done, item);
  g_assert_cmpuint (done.status, ==, 200);
  if (out_transfer_id != NULL)
    *out_transfer_id = g_strdup (json_object_get_string_member (transfer, "id"));
  return json_object_ref (item);
}

/* ---- WeTransfer ---------------------------------------------------------------- */

static void
test_wetransfer_happy_path (void)
{
  static const char data[] = "The quick brown fox jumps over the lazy dog";
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", NULL });
  g_autofree char *local = write_temp_file (data, strlen (data));
  g_autofree char *local_sha = sendoff_test_sha256_file (local);
  g_autofree char *transfer_id = NULL;
  g_autofree char *share = NULL;
  g_autofree char *html = NULL;
  g_autofree char *download = NULL;
  g_autofree char *download_url = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_auto(Reply) page = { 0 };
  g_auto(Reply) bytes = { 0 };
  g_auto(Client) client = { 0 };
  JsonObject *stored;
  JsonArray *parts;

  client_init (&client, sb, sendoff_test_sandbox_get_api_key (sb));
  item = upload_whole (&client, "fox.txt", data, strlen (data), &transfer_id);

  state = sendoff_test_sandbox_get_state (sb);
  stored = state_item (state, json_object_get_string_member (item, "id"));
  g_assert_true (json_object_get_boolean_member (stored, "completed"));
  g_assert_cmpstr (json_object_get_string_member (stored, "sha256"), ==, local_sha);
  parts = json_object_get_array_member (stored, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (parts, 4), "size"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (parts, 0), "puts"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (state, "storage_requests_with_secret"), ==, 0);
  g_assert_cmpint (state_count (state, "requests", "storage_puts"), ==, 5);
  g_assert_cmpint (state_count (state, "requests", "part_urls"), ==, 5);
  g_assert_cmpint (state_count (state, "requests", "complete"), ==, 1);

  /* The share page lists the file with a link that returns the bytes. */
  share = g_strdup_printf ("%s/s-%s", sendoff_test_sandbox_get_url (sb), transfer_id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (state, "transfers"), 0), "shortened_url"), ==, share);
  request_full (&page, "GET", share, NULL, NULL, NULL, 0);
  g_assert_cmpuint (page.status, ==, 200);
  html = reply_text (&page);
  g_assert_nonnull (strstr (html, "fox.txt"));
  g_assert_nonnull (strstr (html, "Little kittens"));
  download = g_strdup_printf ("/downloads/%s/%s", transfer_id, json_object_get_string_member (item, "id"));
  g_assert_nonnull (strstr (html, download));
  download_url = url_for (sb, download);
  request_full (&bytes, "GET", download_url, NULL, NULL, NULL, 0);
  g_assert_cmpuint (bytes.status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (bytes.body, NULL), g_bytes_get_size (bytes.body), data, strlen (data));

  g_unlink (local);
  sendoff_test_sandbox_stop (sb);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  session = soup_session_new ();

  g_test_add_func ("/sandbox/wetransfer/happy-path", test_wetransfer_happy_path);

  ret = g_test_run ();
  g_object_unref (session);
  return ret;
}
