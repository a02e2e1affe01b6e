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
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
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


static void
test_wetransfer_empty_file (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  JsonObject *stored;

  client_init (&client, sb, sendoff_test_sandbox_get_api_key (sb));
  item = upload_whole (&client, "empty", "", 0, NULL);
  state = sendoff_test_sandbox_get_state (sb);
  stored = state_item (state, json_object_get_string_member (item, "id"));
  g_assert_true (json_object_get_boolean_member (stored, "completed"));
  /* SHA-256 of nothing */
  g_assert_cmpstr (json_object_get_string_member (stored, "sha256"), ==,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sendoff_test_sandbox_stop (sb);
}

static void
test_wetransfer_authorize (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *url = url_for (sb, "/v1/authorize");
  g_auto(Reply) missing = { 0 };
  g_auto(Reply) unknown = { 0 };
  g_auto(Reply) wrong_method = { 0 };

  request_full (&missing, "POST", url, NULL, NULL, NULL, 0);
  assert_message_contains (&missing, 401, "x-api-key");
  request_full (&unknown, "POST", url, (const char *[]) { "x-api-key", "nope", NULL }, NULL, NULL, 0);
  assert_message_contains (&unknown, 403, "not valid");
  request_full (&wrong_method, "GET", url, (const char *[]) { "x-api-key", "test-key", NULL },
                NULL, NULL, 0);
  assert_message_contains (&wrong_method, 405, "not allowed");
  g_assert_cmpstr (soup_message_headers_get_one (wrong_method.headers, "Allow"), ==, "POST");
  sendoff_test_sandbox_stop (sb);
}

static void
test_wetransfer_api_refusals (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--api-key=other-key", NULL });
  g_autofree char *url = url_for (sb, "/v1/transfers");
  g_auto(Client) client = { 0 };
  g_auto(Client) other = { 0 };
  g_auto(Reply) no_token = { 0 };
  g_auto(Reply) foreign_token = { 0 };
  g_auto(Reply) not_json_type = { 0 };
  g_auto(Reply) bad_json = { 0 };
  g_auto(Reply) no_name = { 0 };
  g_auto(Reply) number_name = { 0 };
  g_auto(Reply) bad_description = { 0 };
  g_autoptr(JsonObject) state = NULL;

  client_init (&client, sb, "test-key");
  client_init (&other, sb, "other-key");

  request_full (&no_token, "POST", url, (const char *[]) { "x-api-key", "test-key", NULL },
                "application/json", "{\"name\":\"a\"}", -1);
  assert_message_contains (&no_token, 401, "Bearer");
  /* a token is only good with the key it was issued to */
  request_full (&foreign_token, "POST", url,
                (const char *[]) { "x-api-key", "test-key", "Authorization", other.bearer, NULL },
                "application/json", "{\"name\":\"a\"}", -1);
  assert_message_contains (&foreign_token, 401, "Bearer");
  request_full (&not_json_type, "POST", url,
                (const char *[]) { "x-api-key", "test-key", "Authorization", client.bearer, NULL },
                "text/plain", "{\"name\":\"a\"}", -1);
  assert_message_contains (&not_json_type, 415, "application/json");

  api (&client, &bad_json, "POST", "/v1/transfers", "{\"name\": ");
  assert_message_contains (&bad_json, 400, "not valid JSON");
  api (&client, &no_name, "POST", "/v1/transfers", "{\"description\": \"x\"}");
  assert_message_contains (&no_name, 400, "name");
  api (&client, &number_name, "POST", "/v1/transfers", "{\"name\": 12}");
  assert_message_contains (&number_name, 400, "name");
  api (&client, &bad_description, "POST", "/v1/transfers", "{\"name\": \"a\", \"description\": []}");
  assert_message_contains (&bad_description, 400, "description");

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "transfers")), ==, 0);
  sendoff_test_sandbox_stop (sb);
}

static void
test_wetransfer_token_ttl (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--token-ttl-requests=2", NULL });
  g_auto(Client) client = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_auto(Reply) expired = { 0 };

  client_init (&client, sb, "test-key");
  first = create_transfer (&client);
  second = create_transfer (&client);
  api (&client, &expired, "POST", "/v1/transfers", "{\"name\": \"third\"}");
  assert_message_contains (&expired, 401, "expired");

  /* re-authorizing gives a fresh token */
  token = authorize (sb, "test-key");
  g_free (client.bearer);
  client.bearer = g_strconcat ("Bearer ", token, NULL);
  again = create_transfer (&client);
  g_assert_cmpstr (json_object_get_string_member (again, "name"), ==, "Little kittens");
  sendoff_test_sandbox_stop (sb);
}

static void
expect_items_refused (Client     *client,
                      const char *transfer_id,
                      const char *items_json,
                      guint       status,
                      const char *needle)
{
  g_autofree char *path = g_strdup_printf ("/v1/transfers/%s/items", transfer_id);
  g_autofree char *body = g_strdup_printf ("{\"items\": %s}", items_json);
  g_auto(Reply) reply = { 0 };

  api (client, &reply, "POST", path, body);
  assert_message_contains (&reply, status, needle);
}

#define ITEM(cid, name, size, lid) \
  "{\"content_identifier\": " cid ", \"filename\": " name ", \"filesize\": " size ", \"local_identifier\": " lid "}"

static void
test_wetransfer_items_validation (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) {
    "--api-key=other-key", "--max-transfer-size=1000", "--chunk-size=100", NULL });
  g_auto(Client) client = { 0 };
  g_auto(Client) other = { 0 };
  g_autoptr(JsonObject) transfer = NULL;
  g_autoptr(JsonArray) added = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *long_name = g_strnfill (255, 'n');
  g_autofree char *max_name = g_strnfill (254, 'n');
  g_autofree char *long_name_item = g_strdup_printf ("[" ITEM ("\"file\"", "\"%s\"", "1", "\"a\"") "]", long_name);
  g_autofree char *max_name_item = g_strdup_printf ("[" ITEM ("\"file\"", "\"%s\"", "1", "\"a\"") "]", max_name);
  JsonObject *meta;
  const char *id;

  client_init (&client, sb, "test-key");
  client_init (&other, sb, "other-key");
  transfer = create_transfer (&client);
  id = json_object_get_string_member (transfer, "id");

  expect_items_refused (&client, id, "[]", 400, "items");
  expect_items_refused (&client, id, "{}", 400, "items");
  expect_items_refused (&client, id, "[" ITEM ("\"folder\"", "\"a\"", "1", "\"a\"") "]", 400, "items[0].content_identifier");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"\"", "1", "\"a\"") "]", 400, "items[0].filename");
  expect_items_refused (&client, id, long_name_item, 400, "items[0].filename");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "1", "\"a\"") ", " ITEM ("\"file\"", "\"a\"", "1", "\"b\"") "]",
                        400, "items[1].filename must be unique");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "-1", "\"a\"") "]", 400, "items[0].filesize");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "1.5", "\"a\"") "]", 400, "items[0].filesize");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "\"1\"", "\"a\"") "]", 400, "items[0].filesize");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "1e300", "\"a\"") "]", 400, "items[0].filesize");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "99999999999999999999999999", "\"a\"") "]", 400, "filesize");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "1", "\"\"") "]", 400, "items[0].local_identifier");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "1", "\"123456789012345678901234567890123456\"") "]",
                        400, "items[0].local_identifier");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"a\"", "600", "\"a\"") ", " ITEM ("\"file\"", "\"b\"", "401", "\"b\"") "]",
                        400, "items[1].filesize makes the transfer larger");
  expect_items_refused (&client, "no-such-transfer", "[" ITEM ("\"file\"", "\"a\"", "1", "\"a\"") "]", 404, "No such transfer");
  expect_items_refused (&other, id, "[" ITEM ("\"file\"", "\"a\"", "1", "\"a\"") "]", 401, "another API key");

  /* Nothing of the refused requests was added: the limits still hold exactly. */
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (state, "transfers"), 0), "items")), ==, 0);

  added = add_items (&client, id, max_name_item);
  added = (json_array_unref (added), add_items (&client, id, "[" ITEM ("\"file\"", "\"b\"", "999", "\"123456789012345678901234567890abcde\"") "]"));
  meta = json_object_get_object_member (json_array_get_object_element (added, 0), "meta");
  g_assert_cmpint (json_object_get_int_member (meta, "multipart_parts"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (added, 0), "size"), ==, 999);
  /* the filename is taken now, and the transfer is full */
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"b\"", "0", "\"b\"") "]", 400, "unique");
  expect_items_refused (&client, id, "[" ITEM ("\"file\"", "\"c\"", "1", "\"c\"") "]", 400, "larger than its limit");
  sendoff_test_sandbox_stop (sb);
}

static void
test_wetransfer_part_url_refusals (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--api-key=other-key", "--chunk-size=10", NULL });
  g_auto(Client) client = { 0 };
  g_auto(Client) other = { 0 };
  g_autoptr(JsonObject) transfer = NULL;
  g_autoptr(JsonArray) added = NULL;
  JsonObject *item;
  const char *file_id, *upload_id;
  /* "U" stands for the right multipart_upload_id */
  struct { const char *file_prefix; const char *tail; guint status; const char *needle; } cases[] = {
    { "", "1", 400, "multipart_upload_id is required" },
    { "", "1/wrong-id", 400, "does not match" },
    { "", "0/U", 417, "between 1 and 3" },
    { "", "4/U", 417, "between 1 and 3" },
    { "", "abc/U", 417, "between 1 and 3" },
    { "", "99999999999999999999999/U", 417, "between 1 and 3" },
    { "nope", "1/U", 401, "not in one of your transfers" },
  };

  client_init (&client, sb, "test-key");
  client_init (&other, sb, "other-key");
  transfer = create_transfer (&client);
  added = add_items (&client, json_object_get_string_member (transfer, "id"),
                     "[" ITEM ("\"file\"", "\"a\"", "25", "\"a\"") "]");
  item = json_array_get_object_element (added, 0);
  file_id = json_object_get_string_member (item, "id");
  upload_id = json_object_get_string_member (json_object_get_object_member (item, "meta"), "multipart_upload_id");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *tail = g_str_has_suffix (cases[i].tail, "/U")
        ? g_strdup_printf ("%.*s/%s", (int) strlen (cases[i].tail) - 2, cases[i].tail, upload_id)
        : g_strdup (cases[i].tail);
      g_autofree char *path = g_strdup_printf ("/v1/files/%s%s/uploads/%s", cases[i].file_prefix,
                                               file_id, tail);
      g_auto(Reply) reply = { 0 };

      api (&client, &reply, "GET", path, NULL);
      assert_message_contains (&reply, cases[i].status, cases[i].needle);
    }
  {
    g_auto(Reply) foreign = { 0 };
    g_auto(Reply) post = { 0 };

    part_url (&other, &foreign, item, 1);
    assert_message_contains (&foreign, 401, "not in one of your transfers");
    g_clear_pointer (&post.body, g_bytes_unref);
    {
      g_autofree char *path = g_strdup_printf ("/v1/files/%s/uploads/1/%s", file_id, upload_id);
      api (&client, &post, "POST", path, "{}");
    }
    assert_message_contains (&post, 405, "not allowed");
  }
  sendoff_test_sandbox_stop (sb);
}

static char *
tamper (const char *url)
{
  char *copy = g_strdup (url);
  char *last = copy + strlen (copy) - 1;

  *last = *last == '0' ? '1' : '0';
  return copy;
}

static void
test_storage_refusals (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) transfer = NULL;
  g_autoptr(JsonArray) added = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *url = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *other_part = NULL;
  g_auto(Reply) tampered = { 0 };
  g_auto(Reply) with_auth = { 0 };
  g_auto(Reply) with_key = { 0 };
  g_auto(Reply) get = { 0 };
  g_auto(Reply) unknown = { 0 };
  g_auto(Reply) good = { 0 };
  g_autofree char *unknown_url = NULL;
  JsonObject *item;

  client_init (&client, sb, "test-key");
  transfer = create_transfer (&client);
  added = add_items (&client, json_object_get_string_member (transfer, "id"),
                     "[" ITEM ("\"file\"", "\"a\"", "25", "\"a\"") "]");
  item = json_array_get_object_element (added, 0);
  url = get_upload_url (&client, item, 1);

  bad = tamper (url);
  put_bytes (&tampered, bad, "0123456789", 10);
  assert_message_contains (&tampered, 403, "<Code>SignatureDoesNotMatch</Code>");
  g_assert_cmpstr (soup_message_headers_get_content_type (tampered.headers, NULL), ==, "application/xml");

  /* part 2's URL does not sign part 1 */
  other_part = get_upload_url (&client, item, 2);
  {
    g_autofree char *swapped = g_strdup (other_part);
    g_auto(Reply) reply = { 0 };
    char *p = strstr (swapped, "partNumber=2");

    p[strlen ("partNumber=")] = '1';
    put_bytes (&reply, swapped, "0123456789", 10);
    assert_message_contains (&reply, 403, "SignatureDoesNotMatch");
  }

  request_full (&with_auth, "PUT", url, (const char *[]) { "Authorization", "AWS x:y", NULL },
                NULL, "0123456789", 10);
  assert_message_contains (&with_auth, 400, "Only one auth mechanism allowed");
  request_full (&with_key, "PUT", url, (const char *[]) { "x-api-key", "test-key", NULL },
                NULL, "0123456789", 10);
  g_assert_cmpuint (with_key.status, ==, 200);
  request_full (&get, "GET", url, NULL, NULL, NULL, 0);
  assert_message_contains (&get, 405, "MethodNotAllowed");
  unknown_url = url_for (sb, "/storage/wt/nothing?partNumber=1&uploadId=x&X-Amz-Signature=00");
  put_bytes (&unknown, unknown_url, "0123456789", 10);
  assert_message_contains (&unknown, 403, "SignatureDoesNotMatch");

  put_bytes (&good, url, "abcdefghij", 10);
  g_assert_cmpuint (good.status, ==, 200);

  state = sendoff_test_sandbox_get_state (sb);
  /* the x-api-key PUT and the Bearer-less Authorization one: only the key counts */
  g_assert_cmpint (json_object_get_int_member (state, "storage_requests_with_secret"), ==, 1);
  {
    JsonArray *parts = json_object_get_array_member (state_item (state, json_object_get_string_member (item, "id")), "parts");

    g_assert_cmpuint (json_array_get_length (parts), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (parts, 0), "puts"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (parts, 0), "size"), ==, 10);
  }
  sendoff_test_sandbox_stop (sb);
}

static void
test_storage_url_expiry (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", "--url-ttl=0", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) transfer = NULL;
  g_autoptr(JsonArray) added = NULL;
  g_autoptr(JsonObject) target = NULL;
  g_auto(Reply) reply = { 0 };
  g_auto(Reply) put = { 0 };

  client_init (&client, sb, "test-key");
  transfer = create_transfer (&client);
  added = add_items (&client, json_object_get_string_member (transfer, "id"),
                     "[" ITEM ("\"file\"", "\"a\"", "5", "\"a\"") "]");
  part_url (&client, &reply, json_array_get_object_element (added, 0), 1);
  g_assert_cmpuint (reply.status, ==, 200);
  target = reply_object (&reply);
  put_bytes (&put, json_object_get_string_member (target, "upload_url"), "01234", 5);
  assert_message_contains (&put, 403, "Request has expired");
  sendoff_test_sandbox_stop (sb);
}

static void
test_wetransfer_complete_refusals (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) transfer = NULL;
  g_autoptr(JsonArray) added = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *url1 = NULL;
  g_autofree char *url3 = NULL;
  g_autofree char *url2 = NULL;
  JsonObject *item;

  client_init (&client, sb, "test-key");
  transfer = create_transfer (&client);
  added = add_items (&client, json_object_get_string_member (transfer, "id"),
                     "[" ITEM ("\"file\"", "\"a\"", "25", "\"a\"") "]");
  item = json_array_get_object_element (added, 0);
  url1 = get_upload_url (&client, item, 1);
  url2 = get_upload_url (&client, item, 2);
  url3 = get_upload_url (&client, item, 3);

  {
    g_auto(Reply) put = { 0 };
    g_auto(Reply) done = { 0 };

    put_bytes (&put, url1, "0123456789", 10);
    g_assert_cmpuint (put.status, ==, 200);
    complete (&client, &done, item);
    assert_message_contains (&done, 400, "Expected part 2 to be uploaded");
  }
  {
    g_auto(Reply) put = { 0 };
    g_auto(Reply) put3 = { 0 };
    g_auto(Reply) done = { 0 };

    /* an empty part 2, as libsoup's silent re-send would store it */
    put_bytes (&put, url2, "", 0);
    g_assert_cmpuint (put.status, ==, 200);
    put_bytes (&put3, url3, "abcde", 5);
    complete (&client, &done, item);
    assert_message_contains (&done, 400, "Expected part 2 size 0 to be 10");
  }
  {
    g_auto(Reply) put = { 0 };
    g_auto(Reply) put3 = { 0 };
    g_auto(Reply) done = { 0 };

    put_bytes (&put, url2, "0123456789", 10);
    put_bytes (&put3, url3, "abcdef", 6);
    complete (&client, &done, item);
    assert_message_contains (&done, 400, "Expected part 3 size 6 to be 5");
  }
  {
    g_auto(Reply) put3 = { 0 };
    g_auto(Reply) done = { 0 };
    g_auto(Reply) late = { 0 };

    put_bytes (&put3, url3, "abcde", 5);
    complete (&client, &done, item);
    g_assert_cmpuint (done.status, ==, 200);
    /* a completed upload takes no more parts */
    put_bytes (&late, url1, "0123456789", 10);
    assert_message_contains (&late, 404, "NoSuchUpload");
  }
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_true (json_object_get_boolean_member (state_item (state, json_object_get_string_member (item, "id")),
                                                 "completed"));
  sendoff_test_sandbox_stop (sb);
}

/* ---- faults --------------------------------------------------------------------- */

static JsonObject *
one_item (Client     *client,
          const char *items_json)
{
  g_autoptr(JsonObject) transfer = create_transfer (client);
  g_autoptr(JsonArray) added = add_items (client, json_object_get_string_member (transfer, "id"),
                                          items_json);

  return json_object_ref (json_array_get_object_element (added, 0));
}

static char *
api_fault_pattern (const char *seed)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) {
    "--chunk-size=1", "--fail-api-rate=0.5", seed, NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  GString *pattern = g_string_new (NULL);
  guint failures = 0;

  client_init (&client, sb, "test-key");
  item = one_item (&client, "[" ITEM ("\"file\"", "\"a\"", "24", "\"a\"") "]");
  for (guint p = 1; p <= 24; p++)
    {
      g_auto(Reply) reply = { 0 };

      part_url (&client, &reply, item, p);
      g_assert_true (reply.status == 200 || reply.status == 503);
      if (reply.status == 503)
        {
          const char *retry = soup_message_headers_get_one (reply.headers, "Retry-After");

          g_assert_true (g_strcmp0 (retry, "0") == 0 || g_strcmp0 (retry, "1") == 0);
          failures++;
        }
      g_string_append_c (pattern, reply.status == 200 ? '.' : 'X');
    }
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (state_count (state, "faults", "api_503"), ==, failures);
  sendoff_test_sandbox_stop (sb);
  return g_string_free (pattern, FALSE);
}

static void
test_faults_api_deterministic (void)
{
  g_autofree char *first = api_fault_pattern ("--seed=7");
  g_autofree char *second = api_fault_pattern ("--seed=7");

  g_test_message ("fault pattern: %s", first);
  g_assert_cmpstr (first, ==, second);
  g_assert_nonnull (strchr (first, 'X'));
  g_assert_nonnull (strchr (first, '.'));
}

static void
test_faults_put_500 (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", "--fail-put-rate=1", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *url = NULL;
  g_auto(Reply) put = { 0 };

  client_init (&client, sb, "test-key");
  item = one_item (&client, "[" ITEM ("\"file\"", "\"a\"", "10", "\"a\"") "]");
  url = get_upload_url (&client, item, 1);
  put_bytes (&put, url, "0123456789", 10);
  assert_message_contains (&put, 500, "<Code>InternalError</Code>");
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (state_count (state, "faults", "put_500"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    state_item (state, json_object_get_string_member (item, "id")), "parts")), ==, 0);
  sendoff_test_sandbox_stop (sb);
}

static void
test_faults_put_reset (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--reset-put-rate=1", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *url = NULL;
  g_autofree char *data = g_malloc0 (1024 * 1024);
  g_auto(Reply) put = { 0 };

  client_init (&client, sb, "test-key");
  item = one_item (&client, "[" ITEM ("\"file\"", "\"a\"", "1048576", "\"a\"") "]");
  url = get_upload_url (&client, item, 1);
  put_bytes (&put, url, data, 1024 * 1024);
  g_assert_nonnull (put.error);
  g_test_message ("reset PUT: %s", put.error->message);

  state = sendoff_test_sandbox_get_state (sb);
  /* libsoup re-sends a PUT that failed on a reused connection once */
  g_assert_cmpint (state_count (state, "faults", "put_reset"), >=, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    state_item (state, json_object_get_string_member (item, "id")), "parts")), ==, 0);
  sendoff_test_sandbox_stop (sb);
}

static void
test_faults_drop_keepalive (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", "--drop-keepalive-rate=1", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *url1 = NULL;
  g_autofree char *url2 = NULL;
  g_auto(Reply) put1 = { 0 };
  g_auto(Reply) put2 = { 0 };
  JsonArray *parts;

  client_init (&client, sb, "test-key");
  item = one_item (&client, "[" ITEM ("\"file\"", "\"a\"", "20", "\"a\"") "]");
  url1 = get_upload_url (&client, item, 1);
  url2 = get_upload_url (&client, item, 2);
  put_bytes (&put1, url1, "0123456789", 10);
  g_assert_cmpuint (put1.status, ==, 200);
  /* the same kept-alive connection dies under this PUT */
  put_bytes (&put2, url2, "abcdefghij", 10);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (state_count (state, "faults", "keepalive_dropped"), ==, 1);
  parts = json_object_get_array_member (state_item (state, json_object_get_string_member (item, "id")), "parts");
  g_test_message ("second PUT: status %u, error %s, parts stored %u", put2.status,
                  put2.error ? put2.error->message : "none", json_array_get_length (parts));
  if (put2.error == NULL)
    {
      /* libsoup re-sent the PUT on a fresh connection by itself */
      g_assert_cmpint (state_count (state, "requests", "storage_puts"), ==, 3);
      g_assert_cmpuint (json_array_get_length (parts), ==, 2);
      g_test_message ("re-sent part 2 stored %" G_GINT64_FORMAT " bytes of 10",
                      json_object_get_int_member (json_array_get_object_element (parts, 1), "size"));
    }
  else
    g_assert_cmpuint (json_array_get_length (parts), ==, 1);
  sendoff_test_sandbox_stop (sb);
}

/* libsoup's server keeps a kept-alive connection its client closed; the
 * sandbox closes it, or a long soak runs out of descriptors. */
static void
test_reaps_closed_connections (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(SoupSession) own = soup_session_new ();
  g_autoptr(SoupSession) saved = g_steal_pointer (&session);
  g_autofree char *url = url_for (sb, "/");
  gint64 reaped = 0;

  session = g_object_ref (own);
  for (guint i = 0; i < 3; i++)
    {
      g_auto(Reply) reply = { 0 };

      request_full (&reply, "GET", url, NULL, NULL, NULL, 0);
      g_assert_cmpuint (reply.status, ==, 200);
    }
  g_clear_object (&session);
  g_clear_object (&own);   /* closes its connection */
  session = g_steal_pointer (&saved);

  for (guint i = 0; i < 60 && reaped == 0; i++)
    {
      g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);

      reaped = json_object_get_int_member (state, "connections_reaped");
      if (reaped == 0)
        g_usleep (100 * 1000);
    }
  g_assert_cmpint (reaped, >=, 1);
  sendoff_test_sandbox_stop (sb);
}

typedef struct
{
  guint pending;
  guint ok;
} ParallelData;

static void
parallel_put_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ParallelData *data = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (body != NULL && soup_message_get_status (msg) == 200)
    data->ok++;
  data->pending--;
}

static void
test_parallel_puts (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) {
    "--chunk-size=65536", "--latency-ms=300", NULL });
  g_autoptr(SoupSession) parallel = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GBytes) data = g_bytes_new_take (g_malloc0 (65536), 65536);
  ParallelData pd = { 0 };

  client_init (&client, sb, "test-key");
  item = one_item (&client, "[" ITEM ("\"file\"", "\"a\"", "262144", "\"a\"") "]");
  for (guint p = 1; p <= 4; p++)
    {
      g_autofree char *url = get_upload_url (&client, item, p);
      g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);

      soup_message_set_request_body_from_bytes (msg, NULL, data);
      soup_session_send_and_read_async (parallel, msg, G_PRIORITY_DEFAULT, NULL, parallel_put_cb, &pd);
      pd.pending++;
    }
  while (pd.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (pd.ok, ==, 4);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (json_object_get_int_member (state, "max_puts_in_flight"), ==, 4);
  sendoff_test_sandbox_stop (sb);
}

static void
test_discard (void)
{
  static const char data[] = "discarded but counted";
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", "--discard", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GDir) dir = NULL;
  JsonObject *stored;
  JsonArray *parts;

  client_init (&client, sb, "test-key");
  item = upload_whole (&client, "d", data, strlen (data), NULL);
  state = sendoff_test_sandbox_get_state (sb);
  stored = state_item (state, json_object_get_string_member (item, "id"));
  g_assert_true (json_object_get_boolean_member (stored, "completed"));
  g_assert_true (json_object_get_null_member (stored, "sha256") || TRUE);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (stored, "sha256")));
  parts = json_object_get_array_member (stored, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (parts, 2), "size"), ==, 1);
  g_assert_cmpuint (strlen (json_object_get_string_member (json_array_get_object_element (parts, 0), "sha256")), ==, 64);

  /* nothing was written */
  dir = g_dir_open (sendoff_test_sandbox_get_data_dir (sb), 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
  sendoff_test_sandbox_stop (sb);
}

/* ---- Wunderlist ------------------------------------------------------------------ */

static void
wl_api (SendoffTestSandbox *sb,
        Reply              *reply,
        const char         *method,
        const char         *path,
        const char         *json,
        const char         *token)
{
  g_autofree char *url = url_for (sb, path);
  const char *headers[] = { "X-Access-Token", token, "X-Client-ID", "test-client", NULL };

  request_full (reply, method, url, headers, "application/json", json, -1);
}

static JsonObject *
wl_create_upload (SendoffTestSandbox *sb,
                  const char         *name,
                  gsize               size)
{
  g_autofree char *body = g_strdup_printf ("{\"content_type\": \"application/octet-stream\", "
                                           "\"file_name\": \"%s\", \"file_size\": %" G_GSIZE_FORMAT "}",
                                           name, size);
  g_auto(Reply) reply = { 0 };
  JsonObject *upload;

  wl_api (sb, &reply, "POST", "/api/v1/uploads", body, "test-token");
  g_assert_cmpuint (reply.status, ==, 201);
  upload = reply_object (&reply);
  g_assert_cmpstr (json_object_get_string_member (upload, "state"), ==, "new");
  g_assert_true (json_object_has_member (upload, "expires_at"));
  return upload;
}

/* content_type NULL: no Content-Type header at all */
static void
wl_put (Reply      *reply,
        JsonObject *upload,
        const void *data,
        gsize       len,
        const char *content_type)
{
  JsonObject *part = json_object_get_object_member (upload, "part");
  const char *headers[] = {
    "Authorization", json_object_get_string_member (part, "authorization"),
    "x-amz-date", json_object_get_string_member (part, "date"),
    content_type != NULL ? "Content-Type" : NULL, content_type,
    NULL };

  request_full (reply, "PUT", json_object_get_string_member (part, "url"), headers, NULL, data, len);
}

static JsonObject *
wl_get_part (SendoffTestSandbox *sb,
             JsonObject         *upload,
             guint               number)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/uploads/%" G_GINT64_FORMAT "/parts?part_number=%u",
                                           json_object_get_int_member (upload, "id"), number);
  g_auto(Reply) reply = { 0 };

  wl_api (sb, &reply, "GET", path, NULL, "test-token");
  g_assert_cmpuint (reply.status, ==, 200);
  return reply_object (&reply);
}

static void
wl_finish (SendoffTestSandbox *sb,
           Reply              *reply,
           JsonObject         *upload)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/uploads/%" G_GINT64_FORMAT,
                                           json_object_get_int_member (upload, "id"));

  wl_api (sb, reply, "PATCH", path, "{\"state\": \"finished\"}", "test-token");
}

static JsonObject *
wl_state_upload (JsonObject *state,
                 gint64      id)
{
  JsonArray *uploads = json_object_get_array_member (json_object_get_object_member (state, "wunderlist"),
                                                     "uploads");

  for (guint i = 0; i < json_array_get_length (uploads); i++)
    if (json_object_get_int_member (json_array_get_object_element (uploads, i), "id") == id)
      return json_array_get_object_element (uploads, i);
  g_error ("upload %" G_GINT64_FORMAT " is not in the state", id);
}

#define MIB5 (5 * 1024 * 1024)

static void
test_wunderlist_happy_path (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  gsize size = MIB5 + 3;
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(JsonObject) upload = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonObject) finished = NULL;
  g_autoptr(JsonObject) file = NULL;
  g_auto(Reply) put1 = { 0 };
  g_auto(Reply) put2 = { 0 };
  g_auto(Reply) done = { 0 };
  g_auto(Reply) created = { 0 };
  g_autofree char *file_body = NULL;
  g_autofree char *sha = NULL;
  JsonObject *stored, *wl_file;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);

  upload = wl_create_upload (sb, "photo.jpg", size);
  wl_put (&put1, upload, data, MIB5, "");
  g_assert_no_error (put1.error);
  g_assert_cmpuint (put1.status, ==, 200);
  second = wl_get_part (sb, upload, 2);
  g_assert_cmpint (json_object_get_int_member (second, "id"), ==, json_object_get_int_member (upload, "id"));
  wl_put (&put2, second, data + MIB5, 3, "");
  g_assert_cmpuint (put2.status, ==, 200);

  wl_finish (sb, &done, upload);
  g_assert_cmpuint (done.status, ==, 200);
  finished = reply_object (&done);
  g_assert_cmpstr (json_object_get_string_member (finished, "state"), ==, "finished");

  file_body = g_strdup_printf ("{\"upload_id\": %" G_GINT64_FORMAT ", \"task_id\": 42}",
                               json_object_get_int_member (upload, "id"));
  wl_api (sb, &created, "POST", "/api/v1/files", file_body, "test-token");
  g_assert_cmpuint (created.status, ==, 201);
  file = reply_object (&created);
  g_assert_cmpint (json_object_get_int_member (file, "task_id"), ==, 42);

  state = sendoff_test_sandbox_get_state (sb);
  stored = wl_state_upload (state, json_object_get_int_member (upload, "id"));
  g_assert_cmpstr (json_object_get_string_member (stored, "state"), ==, "finished");
  g_assert_cmpstr (json_object_get_string_member (stored, "sha256"), ==, sha);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (stored, "parts")), ==, 2);
  wl_file = json_array_get_object_element (json_object_get_array_member (
    json_object_get_object_member (state, "wunderlist"), "files"), 0);
  g_assert_cmpint (json_object_get_int_member (wl_file, "id"), ==, json_object_get_int_member (file, "id"));
  g_assert_cmpint (json_object_get_int_member (wl_file, "upload_id"), ==, json_object_get_int_member (upload, "id"));
  g_assert_cmpint (json_object_get_int_member (wl_file, "task_id"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (state, "storage_requests_with_secret"), ==, 0);
  g_assert_cmpint (state_count (state, "requests", "wl_parts"), ==, 1);
  sendoff_test_sandbox_stop (sb);
}

static void
test_wunderlist_storage_refusals (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(JsonObject) upload = wl_create_upload (sb, "a", 10);
  g_autoptr(JsonObject) state = NULL;
  g_auto(Reply) absent = { 0 };
  g_auto(Reply) typed = { 0 };
  g_auto(Reply) no_date = { 0 };
  g_auto(Reply) good = { 0 };
  JsonObject *part = json_object_get_object_member (upload, "part");

  /* the seed: Content-Type must be forced to "" or the signature fails */
  wl_put (&absent, upload, "0123456789", 10, NULL);
  assert_message_contains (&absent, 403, "SignatureDoesNotMatch");
  wl_put (&typed, upload, "0123456789", 10, "application/octet-stream");
  assert_message_contains (&typed, 403, "SignatureDoesNotMatch");
  request_full (&no_date, "PUT", json_object_get_string_member (part, "url"),
                (const char *[]) { "Authorization", json_object_get_string_member (part, "authorization"),
                                   "Content-Type", "", NULL }, NULL, "0123456789", 10);
  assert_message_contains (&no_date, 403, "AccessDenied");
  {
    g_autofree char *forged = tamper (json_object_get_string_member (part, "authorization"));
    g_auto(Reply) reply = { 0 };

    request_full (&reply, "PUT", json_object_get_string_member (part, "url"),
                  (const char *[]) { "Authorization", forged, "x-amz-date", json_object_get_string_member (part, "date"),
                                     "Content-Type", "", NULL }, NULL, "0123456789", 10);
    assert_message_contains (&reply, 403, "SignatureDoesNotMatch");
  }
  wl_put (&good, upload, "0123456789", 10, "");
  g_assert_cmpuint (good.status, ==, 200);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    wl_state_upload (state, json_object_get_int_member (upload, "id")), "parts")), ==, 1);
  sendoff_test_sandbox_stop (sb);
}

static void
assert_errors (Reply      *reply,
               guint       status,
               const char *field,
               const char *needle)
{
  g_autoptr(JsonObject) object = NULL;
  JsonArray *errors;

  g_assert_cmpuint (reply->status, ==, status);
  object = reply_object (reply);
  errors = json_object_get_array_member (object, "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (errors, 0), ==, field);
  g_assert_nonnull (strstr (json_array_get_string_element (errors, 1), needle));
}

static void
test_wunderlist_api_refusals (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--access-token=other-token", NULL });
  g_autoptr(JsonObject) empty = wl_create_upload (sb, "empty-finish", 10);
  g_autoptr(JsonObject) small = wl_create_upload (sb, "small", 20);
  g_autoptr(JsonObject) short_upload = wl_create_upload (sb, "short", 20);
  g_autofree char *url = url_for (sb, "/api/v1/uploads");
  g_autofree char *empty_path = g_strdup_printf ("/api/v1/uploads/%" G_GINT64_FORMAT,
                                                 json_object_get_int_member (empty, "id"));
  g_autofree char *files_body = g_strdup_printf ("{\"upload_id\": %" G_GINT64_FORMAT ", \"task_id\": 1}",
                                                 json_object_get_int_member (empty, "id"));

  {
    g_auto(Reply) none = { 0 };
    g_auto(Reply) bad_token = { 0 };
    g_auto(Reply) bad_client = { 0 };

    request_full (&none, "POST", url, NULL, "application/json", "{}", -1);
    assert_message_contains (&none, 401, "unauthorized");
    wl_api (sb, &bad_token, "POST", "/api/v1/uploads", "{}", "nope");
    assert_message_contains (&bad_token, 401, "X-Access-Token");
    request_full (&bad_client, "POST", url, (const char *[]) { "X-Access-Token", "test-token", "X-Client-ID", "x", NULL },
                  "application/json", "{}", -1);
    assert_message_contains (&bad_client, 401, "X-Client-ID");
  }
  {
    g_auto(Reply) r1 = { 0 };
    g_auto(Reply) r2 = { 0 };
    g_auto(Reply) r3 = { 0 };
    g_auto(Reply) r4 = { 0 };
    g_auto(Reply) r5 = { 0 };

    wl_api (sb, &r1, "POST", "/api/v1/uploads", "{\"file_name\": \"a\", \"file_size\": 1}", "test-token");
    assert_errors (&r1, 400, "content_type", "required");
    wl_api (sb, &r2, "POST", "/api/v1/uploads", "{\"content_type\": \"a/b\", \"file_name\": \"a\", \"file_size\": -1}", "test-token");
    assert_errors (&r2, 400, "file_size", "integer");
    wl_api (sb, &r3, "POST", "/api/v1/uploads", "{\"content_type\": \"a/b\", \"file_size\": 1}", "test-token");
    assert_errors (&r3, 400, "file_name", "required");
    wl_api (sb, &r4, "POST", "/api/v1/uploads", "{\"content_type\": \"a/b\", \"file_name\": \"a\", \"file_size\": 1, \"part_number\": 10001}", "test-token");
    assert_errors (&r4, 400, "part_number", "10000");
    wl_api (sb, &r5, "DELETE", "/api/v1/uploads", NULL, "test-token");
    assert_message_contains (&r5, 405, "not allowed");
  }
  {
    g_auto(Reply) zero = { 0 };
    g_auto(Reply) big = { 0 };
    g_auto(Reply) missing = { 0 };
    g_auto(Reply) foreign = { 0 };
    g_autofree char *p0 = g_strdup_printf ("%s/parts?part_number=0", empty_path);
    g_autofree char *p1 = g_strdup_printf ("%s/parts?part_number=10001", empty_path);
    g_autofree char *p2 = g_strdup_printf ("%s/parts", empty_path);

    wl_api (sb, &zero, "GET", p0, NULL, "test-token");
    assert_errors (&zero, 400, "part_number", "1 to 10000");
    wl_api (sb, &big, "GET", p1, NULL, "test-token");
    assert_errors (&big, 400, "part_number", "1 to 10000");
    wl_api (sb, &missing, "GET", p2, NULL, "test-token");
    assert_errors (&missing, 400, "part_number", "required");
    wl_api (sb, &foreign, "GET", p2, NULL, "other-token");
    assert_message_contains (&foreign, 404, "not_found");
  }
  {
    /* the seed's failure, word for word */
    g_auto(Reply) finish = { 0 };
    g_auto(Reply) bad_state = { 0 };
    g_auto(Reply) unfinished_file = { 0 };

    wl_finish (sb, &finish, empty);
    g_assert_cmpuint (finish.status, ==, 400);
    {
      g_autofree char *text = reply_text (&finish);
      g_assert_cmpstr (text, ==, "{\"errors\":[\"state\",\"There are no parts upload to finish it\"]}");
    }
    wl_api (sb, &bad_state, "PATCH", empty_path, "{\"state\": \"open\"}", "test-token");
    assert_errors (&bad_state, 400, "state", "finished");
    wl_api (sb, &unfinished_file, "POST", "/api/v1/files", files_body, "test-token");
    assert_errors (&unfinished_file, 400, "upload_id", "not finished");
  }
  {
    /* parts but the last must be at least 5 MiB */
    g_autoptr(JsonObject) part2 = wl_get_part (sb, small, 2);
    g_auto(Reply) put1 = { 0 };
    g_auto(Reply) put2 = { 0 };
    g_auto(Reply) finish = { 0 };

    wl_put (&put1, small, "0123456789", 10, "");
    wl_put (&put2, part2, "0123456789", 10, "");
    g_assert_cmpuint (put2.status, ==, 200);
    wl_finish (sb, &finish, small);
    assert_errors (&finish, 400, "parts", "EntityTooSmall");
  }
  {
    g_auto(Reply) put = { 0 };
    g_auto(Reply) finish = { 0 };

    wl_put (&put, short_upload, "01234", 5, "");
    wl_finish (sb, &finish, short_upload);
    assert_errors (&finish, 400, "file_size", "Expected 5 to be 20");
  }
  sendoff_test_sandbox_stop (sb);
}

static void
test_wunderlist_api_fault (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--fail-api-rate=1", NULL });
  g_autoptr(JsonObject) upload = wl_create_upload (sb, "a", 10);
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/uploads/%" G_GINT64_FORMAT "/parts?part_number=1",
                                           json_object_get_int_member (upload, "id"));
  g_auto(Reply) reply = { 0 };

  wl_api (sb, &reply, "GET", path, NULL, "test-token");
  g_assert_cmpuint (reply.status, ==, 503);
  g_assert_nonnull (soup_message_headers_get_one (reply.headers, "Retry-After"));
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (state_count (state, "faults", "api_503"), ==, 1);
  sendoff_test_sandbox_stop (sb);
}

static void
test_wunderlist_expiry (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--url-ttl=0", NULL });
  g_autoptr(JsonObject) upload = wl_create_upload (sb, "a", 10);
  g_auto(Reply) put = { 0 };

  wl_put (&put, upload, "0123456789", 10, "");
  assert_message_contains (&put, 403, "Request has expired");
  sendoff_test_sandbox_stop (sb);
}

/* ---- garbage ------------------------------------------------------------------------ */

/* Sends raw bytes; with abort, closes the connection at once. */
static char *
raw_exchange (SendoffTestSandbox *sb,
              const char         *request,
              gsize               len,
              gboolean            abort)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  GString *response = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  conn = g_socket_client_connect_to_uri (client, sendoff_test_sandbox_get_url (sb), 80, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 10);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request, len,
                             NULL, NULL, &error);
  g_assert_no_error (error);
  if (abort)
    {
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      return g_string_free (response, FALSE);
    }
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buffer,
                                   sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (response, buffer, n);
  return g_string_free (response, FALSE);
}

static void
test_garbage (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start ((const char *[]) { "--chunk-size=10", NULL });
  g_auto(Client) client = { 0 };
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *nope = url_for (sb, "/nope");
  g_autofree char *storage_url = NULL;
  g_autoptr(GUri) uri = NULL;

  client_init (&client, sb, "test-key");
  {
    g_auto(Reply) r1 = { 0 };
    g_auto(Reply) r2 = { 0 };
    g_auto(Reply) r3 = { 0 };
    g_auto(Reply) r4 = { 0 };
    g_auto(Reply) r5 = { 0 };
    g_auto(Reply) r6 = { 0 };
    GString *nested = g_string_new (NULL);

    api (&client, &r1, "POST", "/v1/transfers", "\xff\xfe garbage");
    assert_message_contains (&r1, 400, "not valid JSON");
    api (&client, &r2, "POST", "/v1/transfers", "[\"name\"]");
    assert_message_contains (&r2, 400, "JSON object");
    /* json-glib would recurse until the stack ends */
    for (guint i = 0; i < 200000; i++)
      g_string_append_c (nested, '[');
    deep = g_string_free (nested, FALSE);
    api (&client, &r3, "POST", "/v1/transfers", deep);
    assert_message_contains (&r3, 400, "nested too deeply");
    huge = g_strnfill (2 * 1024 * 1024, ' ');
    api (&client, &r4, "POST", "/v1/transfers", huge);
    g_assert_cmpuint (r4.status, ==, 413);
    api (&client, &r5, "DELETE", "/v1/transfers", NULL);
    assert_message_contains (&r5, 405, "not allowed");
    request_full (&r6, "GET", nope, NULL, NULL, NULL, 0);
    assert_message_contains (&r6, 404, "No such endpoint");
  }
  {
    static const char junk[] = "HELLO THERE\r\n\r\n";
    g_autofree char *answer = raw_exchange (sb, junk, strlen (junk), FALSE);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 400") || g_str_has_prefix (answer, "HTTP/1.0 400"));
  }
  {
    /* an API body and a storage body that stop half-way */
    static const char api_head[] = "POST /v1/transfers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Content-Length: 1000\r\n\r\n{\"name\":";
    g_autofree char *gone = raw_exchange (sb, api_head, strlen (api_head), TRUE);
    g_autofree char *head = NULL;
    g_autofree char *gone2 = NULL;

    item = one_item (&client, "[" ITEM ("\"file\"", "\"a\"", "10", "\"a\"") "]");
    storage_url = get_upload_url (&client, item, 1);
    uri = g_uri_parse (storage_url, G_URI_FLAGS_ENCODED, NULL);
    head = g_strdup_printf ("PUT %s?%s HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234",
                            g_uri_get_path (uri), g_uri_get_query (uri));
    gone2 = raw_exchange (sb, head, strlen (head), TRUE);
  }
  /* wait until the server has seen both connections close */
  for (guint i = 0; i < 100; i++)
    {
      g_clear_pointer (&state, json_object_unref);
      state = sendoff_test_sandbox_get_state (sb);
      if (state_count (state, "requests", "aborted") >= 2)
        break;
      g_usleep (20 * 1000);
    }
  g_assert_cmpint (state_count (state, "requests", "aborted"), >=, 2);
  g_assert_cmpint (json_object_get_int_member (state, "puts_in_flight"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    state_item (state, json_object_get_string_member (item, "id")), "parts")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "transfers")), ==, 1);

  /* and it keeps serving */
  {
    g_auto(Reply) put = { 0 };

    put_bytes (&put, storage_url, "0123456789", 10);
    g_assert_cmpuint (put.status, ==, 200);
  }
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
  g_test_add_func ("/sandbox/wetransfer/empty-file", test_wetransfer_empty_file);
  g_test_add_func ("/sandbox/wetransfer/authorize", test_wetransfer_authorize);
  g_test_add_func ("/sandbox/wetransfer/api-refusals", test_wetransfer_api_refusals);
  g_test_add_func ("/sandbox/wetransfer/token-ttl", test_wetransfer_token_ttl);
  g_test_add_func ("/sandbox/wetransfer/items-validation", test_wetransfer_items_validation);
  g_test_add_func ("/sandbox/wetransfer/part-url-refusals", test_wetransfer_part_url_refusals);
  g_test_add_func ("/sandbox/wetransfer/complete-refusals", test_wetransfer_complete_refusals);
  g_test_add_func ("/sandbox/storage/refusals", test_storage_refusals);
  g_test_add_func ("/sandbox/storage/url-expiry", test_storage_url_expiry);
  g_test_add_func ("/sandbox/storage/parallel", test_parallel_puts);
  g_test_add_func ("/sandbox/storage/discard", test_discard);
  g_test_add_func ("/sandbox/wunderlist/happy-path", test_wunderlist_happy_path);
  g_test_add_func ("/sandbox/wunderlist/storage-refusals", test_wunderlist_storage_refusals);
  g_test_add_func ("/sandbox/wunderlist/api-refusals", test_wunderlist_api_refusals);
  g_test_add_func ("/sandbox/wunderlist/expiry", test_wunderlist_expiry);
  g_test_add_func ("/sandbox/wunderlist/api-fault", test_wunderlist_api_fault);
  g_test_add_func ("/sandbox/garbage", test_garbage);
  g_test_add_func ("/sandbox/faults/api-deterministic", test_faults_api_deterministic);
  g_test_add_func ("/sandbox/faults/put-500", test_faults_put_500);
  g_test_add_func ("/sandbox/faults/put-reset", test_faults_put_reset);
  g_test_add_func ("/sandbox/faults/drop-keepalive", test_faults_drop_keepalive);
  g_test_add_func ("/sandbox/reaps-closed-connections", test_reaps_closed_connections);

  ret = g_test_run ();
  g_object_unref (session);
  return ret;
}
