/* sendoff-sandbox-wetransfer.c — the WeTransfer public API v1 (seeds 000 and 001), share pages
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-sandbox"

#include "config.h"

#include <string.h>

#include "sendoff-sandbox-server.h"

#define MAX_ITEMS_PER_TRANSFER 10000

/* ---- authentication ------------------------------------------------------ */

static const char *
known_key (SandboxServer *self,
           const char    *key)
{
  for (guint i = 0; key != NULL && self->opts->api_keys[i] != NULL; i++)
    if (strcmp (self->opts->api_keys[i], key) == 0)
      return self->opts->api_keys[i];
  return NULL;
}

static char *
base64url (const guint8 *data,
           gsize         len)
{
  char *text = g_base64_encode (data, len);

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  g_strdelimit (text, "=", '\0');
  return text;
}

static char *
new_jwt (SandboxServer *self)
{
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autofree char *jti = sandbox_server_new_id (self, 12);
  g_autofree char *payload = NULL;
  g_autofree char *h64 = base64url ((const guint8 *) header, strlen (header));
  g_autofree char *p64 = NULL;
  g_autofree char *unsigned_part = NULL;
  g_autofree char *signature = NULL;

  payload = g_strdup_printf ("{\"iss\":\"sendoff-sandbox\",\"jti\":\"%s\",\"iat\":%" G_GINT64_FORMAT "}",
                             jti, g_get_real_time () / G_USEC_PER_SEC);
  p64 = base64url ((const guint8 *) payload, strlen (payload));
  unsigned_part = g_strconcat (h64, ".", p64, NULL);
  signature = sandbox_server_sign (self, unsigned_part);
  return g_strconcat (unsigned_part, ".", signature, NULL);
}

static gboolean
is_json_content_type (SoupMessageHeaders *headers)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0;
}

/* Every call but authorize: the key, a token issued to it, JSON bodies. */
static const char *
authenticate (SandboxServer     *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = known_key (self, soup_message_headers_get_one (headers, "x-api-key"));
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  SandboxToken *token = NULL;
  g_autoptr(GBytes) body = NULL;

  if (key == NULL)
    {
      sandbox_reply_message (msg, SOUP_STATUS_UNAUTHORIZED, "A valid x-api-key header is required");
      return NULL;
    }
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    token = g_hash_table_lookup (self->tokens, authorization + 7);
  if (token == NULL || strcmp (token->key, key) != 0)
    {
      sandbox_reply_message (msg, SOUP_STATUS_UNAUTHORIZED,
                             "A valid Authorization: Bearer token is required");
      return NULL;
    }
  token->uses++;
  if (self->opts->token_ttl_requests > 0 && token->uses > (guint) self->opts->token_ttl_requests)
    {
      sandbox_reply_message (msg, SOUP_STATUS_UNAUTHORIZED, "The token has expired");
      return NULL;
    }
  body = sandbox_message_get_body (msg);
  if (body == NULL)
    {
      sandbox_reply_message (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Request body is too large");
      return NULL;
    }
  if (g_bytes_get_size (body) > 0 && !is_json_content_type (headers))
    {
      sandbox_reply_message (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                             "Content-Type must be application/json");
      return NULL;
    }
  return key;
}

static void
handle_authorize (SandboxServer     *self,
                  SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "x-api-key");
  const char *key = known_key (self, header);
  g_autoptr(JsonObject) object = NULL;
  SandboxToken *token;
  char *jwt;

  self->requests[SANDBOX_REQ_AUTHORIZE]++;
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "POST");
      return;
    }
  if (header == NULL || *header == '\0')
    {
      sandbox_reply_message (msg, SOUP_STATUS_UNAUTHORIZED, "The x-api-key header is missing");
      return;
    }
  if (key == NULL)
    {
      sandbox_reply_message (msg, SOUP_STATUS_FORBIDDEN, "The API key is not valid");
      return;
    }
  jwt = new_jwt (self);
  token = g_new0 (SandboxToken, 1);
  token->key = g_strdup (key);
  g_hash_table_insert (self->tokens, g_strdup (jwt), token);

  object = json_object_new ();
  json_object_set_boolean_member (object, "success", TRUE);
  json_object_set_string_member (object, "token", jwt);
  g_free (jwt);
  sandbox_reply_object (msg, SOUP_STATUS_OK, object);
}

/* ---- transfers and items --------------------------------------------------- */

static JsonObject *
parse_body (SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = sandbox_parse_json_object (msg, &error);

  if (object == NULL)
    sandbox_reply_message (msg, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
                           ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE : SOUP_STATUS_BAD_REQUEST,
                           "%s", error->message);
  return object;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *name,
         gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static JsonObject *
transfer_to_json (SandboxServer   *self,
                  SandboxTransfer *transfer)
{
  JsonObject *object = json_object_new ();
  g_autofree char *url = g_strdup_printf ("%s/s-%s", self->base_url, transfer->id);

  json_object_set_string_member (object, "id", transfer->id);
  json_object_set_null_member (object, "version_identifier");
  json_object_set_string_member (object, "state", "uploading");
  json_object_set_string_member (object, "shortened_url", url);
  json_object_set_string_member (object, "name", transfer->name);
  if (transfer->description != NULL)
    json_object_set_string_member (object, "description", transfer->description);
  else
    json_object_set_null_member (object, "description");
  json_object_set_int_member (object, "size", transfer->size);
  json_object_set_int_member (object, "total_items", transfer->items->len);
  json_object_set_array_member (object, "items", json_array_new ());
  return object;
}

static void
handle_create_transfer (SandboxServer     *self,
                        SoupServerMessage *msg)
{
  const char *key;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonNode *description;
  SandboxTransfer *transfer;
  const char *name;

  self->requests[SANDBOX_REQ_TRANSFERS]++;
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "POST");
      return;
    }
  if ((key = authenticate (self, msg)) == NULL || (body = parse_body (msg)) == NULL)
    return;

  name = get_string (body, "name");
  if (name == NULL || *name == '\0')
    {
      sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST, "name is required and must be a string");
      return;
    }
  description = json_object_get_member (body, "description");
  if (description != NULL && !JSON_NODE_HOLDS_NULL (description) &&
      get_string (body, "description") == NULL)
    {
      sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST, "description must be a string");
      return;
    }

  transfer = g_new0 (SandboxTransfer, 1);
  transfer->id = sandbox_server_new_id (self, 16);
  transfer->name = g_strdup (name);
  transfer->description = g_strdup (get_string (body, "description"));
  transfer->owner = g_strdup (key);
  transfer->items = g_ptr_array_new ();
  g_ptr_array_add (self->transfers, transfer);
  g_hash_table_insert (self->transfers_by_id, transfer->id, transfer);

  reply = transfer_to_json (self, transfer);
  sandbox_reply_object (msg, SOUP_STATUS_OK, reply);
}

static gboolean
transfer_has_filename (SandboxTransfer *transfer,
                       const char      *filename)
{
  for (guint i = 0; i < transfer->items->len; i++)
    {
      SandboxFile *file = g_ptr_array_index (transfer->items, i);

      if (strcmp (file->filename, filename) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Returns a message naming the field, or NULL when the item is valid. */
static char *
validate_item (SandboxServer   *self,
               SandboxTransfer *transfer,
               GHashTable      *names,
               JsonNode        *node,
               guint            index,
               guint64         *total)
{
  JsonObject *item;
  const char *content_identifier, *filename, *local_identifier;
  gint64 filesize;
  glong len;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup_printf ("items[%u] must be an object", index);
  item = json_node_get_object (node);

  content_identifier = get_string (item, "content_identifier");
  if (g_strcmp0 (content_identifier, "file") != 0)
    return g_strdup_printf ("items[%u].content_identifier must be \"file\"", index);

  filename = get_string (item, "filename");
  len = filename != NULL ? g_utf8_strlen (filename, -1) : 0;
  if (len < 1 || len > 254)
    return g_strdup_printf ("items[%u].filename must be a string of 1 to 254 characters", index);
  if (transfer_has_filename (transfer, filename) || g_hash_table_contains (names, filename))
    return g_strdup_printf ("items[%u].filename must be unique within the transfer", index);
  g_hash_table_add (names, (gpointer) filename);

  if (!get_int (item, "filesize", &filesize) || filesize < 0)
    return g_strdup_printf ("items[%u].filesize must be an integer of at least 0", index);

  local_identifier = get_string (item, "local_identifier");
  len = local_identifier != NULL ? g_utf8_strlen (local_identifier, -1) : 0;
  if (len < 1 || len > 35)
    return g_strdup_printf ("items[%u].local_identifier must be a string of 1 to 35 characters",
                            index);

  *total += (guint64) filesize;
  if (*total > (guint64) self->opts->max_transfer_size)
    return g_strdup_printf ("items[%u].filesize makes the transfer larger than its limit of %"
                            G_GINT64_FORMAT " bytes", index, self->opts->max_transfer_size);
  return NULL;
}

static SandboxFile *
add_item (SandboxServer   *self,
          SandboxTransfer *transfer,
          JsonObject      *item)
{
  g_autofree char *id = sandbox_server_new_id (self, 16);
  guint64 size = json_object_get_int_member (item, "filesize");
  guint64 chunk = self->opts->chunk_size;
  SandboxFile *file = sandbox_file_new (self, SANDBOX_KIND_WETRANSFER, id,
                                        json_object_get_string_member (item, "filename"),
                                        size, transfer->owner);
  g_autofree char *mp = sandbox_server_new_id (self, 24);
  g_autofree char *up = sandbox_server_new_id (self, 12);

  file->local_identifier = g_strdup (json_object_get_string_member (item, "local_identifier"));
  file->n_parts = MAX (1, (size + chunk - 1) / chunk);
  file->multipart_upload_id = g_strconcat ("mpu.", mp, "--", NULL);
  file->upload_id = g_strconcat ("up.", up, "--", NULL);
  file->transfer = transfer;
  g_ptr_array_add (transfer->items, file);
  g_hash_table_insert (self->wt_files, file->id, file);
  transfer->size += size;
  return file;
}

static JsonObject *
item_to_json (SandboxServer *self,
              SandboxFile   *file)
{
  JsonObject *object = json_object_new ();
  JsonObject *meta = json_object_new ();

  json_object_set_string_member (object, "id", file->id);
  json_object_set_string_member (object, "content_identifier", "file");
  json_object_set_string_member (object, "local_identifier", file->local_identifier);
  json_object_set_int_member (meta, "multipart_parts", file->n_parts);
  json_object_set_string_member (meta, "multipart_upload_id", file->multipart_upload_id);
  json_object_set_object_member (object, "meta", meta);
  json_object_set_string_member (object, "name", file->filename);
  json_object_set_int_member (object, "size", file->filesize);
  json_object_set_string_member (object, "upload_id", file->upload_id);
  json_object_set_int_member (object, "upload_expires_at",
                              g_get_real_time () / G_USEC_PER_SEC + self->opts->url_ttl);
  return object;
}

static void
handle_items (SandboxServer     *self,
              SoupServerMessage *msg,
              const char        *transfer_id)
{
  SandboxTransfer *transfer = g_hash_table_lookup (self->transfers_by_id, transfer_id);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) reply = json_node_new (JSON_NODE_ARRAY);
  JsonArray *items, *out;
  JsonNode *items_node;
  const char *key;
  guint64 total;

  self->requests[SANDBOX_REQ_ITEMS]++;
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "POST");
      return;
    }
  if ((key = authenticate (self, msg)) == NULL)
    return;
  if (transfer == NULL)
    {
      sandbox_reply_message (msg, SOUP_STATUS_NOT_FOUND, "No such transfer");
      return;
    }
  if (strcmp (transfer->owner, key) != 0)
    {
      sandbox_reply_message (msg, SOUP_STATUS_UNAUTHORIZED,
                             "The transfer belongs to another API key");
      return;
    }
  if ((body = parse_body (msg)) == NULL)
    return;

  items_node = json_object_get_member (body, "items");
  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node) ||
      json_array_get_length (json_node_get_array (items_node)) == 0)
    {
      sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST, "items must be a non-empty array");
      return;
    }
  items = json_node_get_array (items_node);
  if (transfer->items->len + json_array_get_length (items) > MAX_ITEMS_PER_TRANSFER)
    {
      sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST,
                             "items: a transfer holds at most %d items", MAX_ITEMS_PER_TRANSFER);
      return;
    }

  total = transfer->size;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *problem = validate_item (self, transfer, names,
                                                json_array_get_element (items, i), i, &total);

      if (problem != NULL)
        {
          sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST, "%s", problem);
          return;
        }
    }

  out = json_array_new ();
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      SandboxFile *file = add_item (self, transfer, json_array_get_object_element (items, i));

      json_array_add_object_element (out, item_to_json (self, file));
    }
  json_node_take_array (reply, out);
  sandbox_reply_json (msg, SOUP_STATUS_OK, reply);
}

/* ---- parts ----------------------------------------------------------------- */

static SandboxFile *
lookup_own_file (SandboxServer     *self,
                 SoupServerMessage *msg,
                 const char        *key,
                 const char        *file_id)
{
  SandboxFile *file = g_hash_table_lookup (self->wt_files, file_id);

  if (file == NULL || strcmp (file->owner, key) != 0)
    {
      sandbox_reply_message (msg, SOUP_STATUS_UNAUTHORIZED,
                             "The file is not in one of your transfers");
      return NULL;
    }
  return file;
}

static void
handle_part_url (SandboxServer     *self,
                 SoupServerMessage *msg,
                 const char        *file_id,
                 const char        *part_text,
                 const char        *upload_id)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *url = NULL;
  SandboxFile *file;
  SandboxPart *part;
  const char *key;
  guint64 number;
  gint64 expires_at;

  self->requests[SANDBOX_REQ_PART_URLS]++;
  if (strcmp (soup_server_message_get_method (msg), "GET") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "GET");
      return;
    }
  if ((key = authenticate (self, msg)) == NULL ||
      (file = lookup_own_file (self, msg, key, file_id)) == NULL)
    return;
  if (upload_id == NULL || *upload_id == '\0')
    {
      sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST,
                             "multipart_upload_id is required: all parts of a file are uploaded "
                             "with the same multipart_upload_id");
      return;
    }
  if (strcmp (upload_id, file->multipart_upload_id) != 0)
    {
      sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST,
                             "multipart_upload_id does not match the file's");
      return;
    }
  if (!sandbox_parse_uint (part_text, G_MAXUINT32, &number) || number < 1 || number > file->n_parts)
    {
      sandbox_reply_message (msg, SOUP_STATUS_EXPECTATION_FAILED,
                             "part_number must be between 1 and %u", file->n_parts);
      return;
    }
  if (file->completed || file->finishing)
    {
      sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST, "The file is already complete");
      return;
    }

  part = sandbox_file_ensure_part (file, (guint) number);
  part->url_requests++;
  if (sandbox_server_draw_fault (self, SANDBOX_FAULT_API_503, self->opts->fail_api_rate,
                                 file->filename, part->number, part->url_requests))
    {
      self->faults[SANDBOX_FAULT_API_503]++;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", part->url_requests % 2 ? "1" : "0");
      sandbox_reply_message (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Service Unavailable");
      return;
    }

  expires_at = g_get_real_time () / G_USEC_PER_SEC + self->opts->url_ttl;
  url = sandbox_storage_wt_url (self, file, part->number, expires_at);
  reply = json_object_new ();
  json_object_set_string_member (reply, "upload_url", url);
  json_object_set_int_member (reply, "part_number", part->number);
  json_object_set_string_member (reply, "upload_id", file->multipart_upload_id);
  json_object_set_int_member (reply, "upload_expires_at", expires_at);
  sandbox_reply_object (msg, SOUP_STATUS_OK, reply);
}

/* ---- completion ------------------------------------------------------------- */

static char *
check_parts (SandboxServer *self,
             SandboxFile   *file)
{
  guint64 chunk = self->opts->chunk_size;

  for (guint i = 1; i <= file->n_parts; i++)
    {
      SandboxPart *part = sandbox_file_lookup_part (file, i);
      guint64 expected = i < file->n_parts ? chunk : file->filesize - (guint64) (i - 1) * chunk;

      if (part == NULL || !part->stored)
        return g_strdup_printf ("Expected part %u to be uploaded", i);
      if (part->size != expected)
        return g_strdup_printf ("Expected part %u size %" G_GUINT64_FORMAT " to be %"
                                G_GUINT64_FORMAT, i, part->size, expected);
    }
  return NULL;
}

static void
reply_completed (SoupServerMessage *msg,
                 SandboxFile       *file)
{
  g_autoptr(JsonObject) reply = json_object_new ();

  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_string_member (reply, "message", "File is marked as complete.");
  json_object_set_string_member (reply, "id", file->id);
  json_object_set_string_member (reply, "name", file->filename);
  json_object_set_int_member (reply, "size", file->filesize);
  sandbox_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
handle_complete (SandboxServer     *self,
                 SoupServerMessage *msg,
                 const char        *file_id)
{
  g_autofree char *problem = NULL;
  SandboxFile *file;
  const char *key;

  self->requests[SANDBOX_REQ_COMPLETE]++;
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "POST");
      return;
    }
  if ((key = authenticate (self, msg)) == NULL ||
      (file = lookup_own_file (self, msg, key, file_id)) == NULL)
    return;
  if (file->completed)
    {
      reply_completed (msg, file);
      return;
    }
  if ((problem = check_parts (self, file)) != NULL)
    {
      sandbox_reply_message (msg, SOUP_STATUS_BAD_REQUEST, "%s", problem);
      return;
    }

  /* Answered at once, as S3 does; the bytes are put together behind it */
  sandbox_file_assemble (self, file, file->n_parts);
  reply_completed (msg, file);
}

/* ---- share page and downloads ---------------------------------------------- */

static void
reply_html (SoupServerMessage *msg,
            guint              status,
            GString           *html)
{
  gsize len = html->len;

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_string_free (html, FALSE), len);
}

static void
handle_share_page (SandboxServer     *self,
                   SoupServerMessage *msg,
                   const char        *transfer_id)
{
  SandboxTransfer *transfer = g_hash_table_lookup (self->transfers_by_id, transfer_id);
  GString *html = g_string_new ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">");
  g_autofree char *name = NULL;

  self->requests[SANDBOX_REQ_SHARE_PAGES]++;
  if (transfer == NULL)
    {
      g_string_append (html, "<title>Not found</title></head><body>"
                             "<h1>This transfer does not exist</h1></body></html>\n");
      reply_html (msg, SOUP_STATUS_NOT_FOUND, html);
      return;
    }
  name = g_markup_escape_text (transfer->name, -1);
  g_string_append_printf (html, "<title>%s</title></head><body><h1>%s</h1>\n", name, name);
  if (transfer->description != NULL)
    {
      g_autofree char *description = g_markup_escape_text (transfer->description, -1);

      g_string_append_printf (html, "<p class=\"description\">%s</p>\n", description);
    }
  g_string_append (html, "<ul class=\"files\">\n");
  for (guint i = 0; i < transfer->items->len; i++)
    {
      SandboxFile *file = g_ptr_array_index (transfer->items, i);
      g_autofree char *filename = g_markup_escape_text (file->filename, -1);
      g_autofree char *size = g_format_size (file->filesize);

      if (file->assembled_path != NULL)
        g_string_append_printf (html, "<li><a href=\"/downloads/%s/%s\">%s</a> (%s)</li>\n",
                                transfer->id, file->id, filename, size);
      else
        g_string_append_printf (html, "<li>%s (%s, %s)</li>\n", filename, size,
                                file->completed ? "not stored" : "uploading");
    }
  g_string_append (html, "</ul></body></html>\n");
  reply_html (msg, SOUP_STATUS_OK, html);
}

static void
handle_download (SandboxServer     *self,
                 SoupServerMessage *msg,
                 const char        *transfer_id,
                 const char        *file_id)
{
  SandboxFile *file = g_hash_table_lookup (self->wt_files, file_id);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  self->requests[SANDBOX_REQ_DOWNLOADS]++;
  if (strcmp (soup_server_message_get_method (msg), "GET") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "GET");
      return;
    }
  if (file == NULL || strcmp (file->transfer->id, transfer_id) != 0 ||
      file->assembled_path == NULL ||
      (mapped = g_mapped_file_new (file->assembled_path, FALSE, NULL)) == NULL)
    {
      sandbox_reply_message (msg, SOUP_STATUS_NOT_FOUND, "No such file");
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, "filename", file->filename);
  soup_message_headers_set_content_disposition (headers, "attachment", params);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

/* ---- routing ------------------------------------------------------------------ */

gboolean
sandbox_wetransfer_handle (SandboxServer     *self,
                           SoupServerMessage *msg,
                           const char        *path)
{
  g_auto(GStrv) seg = NULL;
  guint n;

  if (g_str_has_prefix (path, "/s-") && strchr (path + 1, '/') == NULL)
    {
      handle_share_page (self, msg, path + 3);
      return TRUE;
    }
  seg = g_strsplit (path, "/", 8);
  n = g_strv_length (seg);

  if (n == 4 && strcmp (seg[1], "downloads") == 0)
    handle_download (self, msg, seg[2], seg[3]);
  else if (n < 3 || strcmp (seg[1], "v1") != 0)
    return FALSE;
  else if (n == 3 && strcmp (seg[2], "authorize") == 0)
    handle_authorize (self, msg);
  else if (n == 3 && strcmp (seg[2], "transfers") == 0)
    handle_create_transfer (self, msg);
  else if (n == 5 && strcmp (seg[2], "transfers") == 0 && strcmp (seg[4], "items") == 0)
    handle_items (self, msg, seg[3]);
  else if (n == 6 && strcmp (seg[2], "files") == 0 && strcmp (seg[4], "uploads") == 0 &&
           strcmp (seg[5], "complete") == 0)
    handle_complete (self, msg, seg[3]);
  else if ((n == 6 || n == 7) && strcmp (seg[2], "files") == 0 && strcmp (seg[4], "uploads") == 0)
    handle_part_url (self, msg, seg[3], seg[5], n == 7 ? seg[6] : NULL);
  else
    return FALSE;
  return TRUE;
}
