/* sendoff-sandbox-wunderlist.c — the Wunderlist upload API (seed 002)
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-sandbox"

#include "config.h"

#include <string.h>

#include "sendoff-sandbox-server.h"

/* S3 holds at most 10,000 parts of at most 5 GiB */
#define MAX_FILE_SIZE (G_GINT64_CONSTANT (10000) * 5 * 1024 * 1024 * 1024)

static void
reply_errors (SoupServerMessage *msg,
              guint              status,
              const char        *field,
              const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *errors = json_array_new ();

  json_array_add_string_element (errors, field);
  json_array_add_string_element (errors, message);
  json_object_set_array_member (object, "errors", errors);
  sandbox_reply_object (msg, status, object);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *type,
             const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "type", type);
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (object, "error", error);
  sandbox_reply_object (msg, status, object);
}

static gint
find_string (char       **list,
             const char  *value)
{
  for (guint i = 0; value != NULL && list != NULL && list[i] != NULL; i++)
    if (strcmp (list[i], value) == 0)
      return (gint) i;
  return -1;
}

/* Returns the access token (owned by the options), or NULL after replying. */
static const char *
authenticate (SandboxServer     *self,
              SoupServerMessage *msg,
              gint64            *user_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  gint token = find_string (self->opts->access_tokens,
                            soup_message_headers_get_one (headers, "X-Access-Token"));
  gint client = find_string (self->opts->client_ids,
                             soup_message_headers_get_one (headers, "X-Client-ID"));
  g_autoptr(GBytes) body = NULL;
  const char *type;

  if (token < 0 || client < 0)
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                   "X-Access-Token and X-Client-ID headers with valid values are required");
      return NULL;
    }
  body = sandbox_message_get_body (msg);
  type = soup_message_headers_get_content_type (headers, NULL);
  if (body == NULL)
    {
      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "request_too_large",
                   "Request body is too large");
      return NULL;
    }
  if (g_bytes_get_size (body) > 0 && (type == NULL || g_ascii_strcasecmp (type, "application/json")))
    {
      reply_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                   "Content-Type must be application/json");
      return NULL;
    }
  *user_id = 1337 + token;
  return self->opts->access_tokens[token];
}

static JsonObject *
parse_body (SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = sandbox_parse_json_object (msg, &error);

  if (object == NULL)
    reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
  return object;
}

static gboolean
member_is (JsonObject *object,
           const char *name,
           GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static JsonObject *
upload_to_json (SandboxServer *self,
                SandboxFile   *file,
                gint64         user_id,
                gboolean       with_expiry)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", file->numeric_id);
  json_object_set_int_member (object, "user_id", user_id);
  json_object_set_string_member (object, "state", file->completed ? "finished" : "new");
  json_object_set_string_member (object, "type", "upload");
  if (with_expiry)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) expires = g_date_time_add_seconds (now, self->opts->url_ttl);
      g_autofree char *text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");

      json_object_set_string_member (object, "expires_at", text);
    }
  return object;
}

static void
reply_part (SandboxServer     *self,
            SoupServerMessage *msg,
            SandboxFile       *file,
            gint64             user_id,
            guint              status,
            guint              number)
{
  g_autoptr(JsonObject) reply = upload_to_json (self, file, user_id, TRUE);
  JsonObject *part = json_object_new ();

  sandbox_storage_wl_part (self, file, number, part);
  json_object_set_object_member (reply, "part", part);
  sandbox_reply_object (msg, status, reply);
}

static void
handle_create_upload (SandboxServer     *self,
                      SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *id = NULL;
  g_autofree char *mp = NULL;
  const char *token, *file_name, *content_type;
  gint64 user_id, file_size, part_number = 1;
  SandboxFile *file;

  self->requests[SANDBOX_REQ_WL_UPLOADS]++;
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "POST");
      return;
    }
  if ((token = authenticate (self, msg, &user_id)) == NULL || (body = parse_body (msg)) == NULL)
    return;

  content_type = member_is (body, "content_type", G_TYPE_STRING)
                 ? json_object_get_string_member (body, "content_type") : NULL;
  file_name = member_is (body, "file_name", G_TYPE_STRING)
              ? json_object_get_string_member (body, "file_name") : NULL;
  if (content_type == NULL || *content_type == '\0')
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "content_type", "is required");
      return;
    }
  if (file_name == NULL || *file_name == '\0' || g_utf8_strlen (file_name, -1) > 255)
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "file_name",
                             "is required and must be 1 to 255 characters");
      return;
    }
  if (!member_is (body, "file_size", G_TYPE_INT64) ||
      (file_size = json_object_get_int_member (body, "file_size")) < 0 ||
      file_size > MAX_FILE_SIZE)
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "file_size",
                             "is required and must be an integer from 0 to 5 TiB");
      return;
    }
  if (json_object_has_member (body, "part_number") &&
      (!member_is (body, "part_number", G_TYPE_INT64) ||
       (part_number = json_object_get_int_member (body, "part_number")) < 1 ||
       part_number > SANDBOX_WL_MAX_PARTS))
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "part_number",
                             "must be an integer from 1 to 10000");
      return;
    }

  id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->next_wl_id);
  file = sandbox_file_new (self, SANDBOX_KIND_WUNDERLIST, id, file_name, file_size, token);
  file->numeric_id = self->next_wl_id++;
  file->content_type = g_strdup (content_type);
  mp = sandbox_server_new_id (self, 24);
  file->multipart_upload_id = g_strconcat ("wl.", mp, NULL);
  g_hash_table_insert (self->wl_uploads, file->id, file);
  reply_part (self, msg, file, user_id, SOUP_STATUS_CREATED, (guint) part_number);
}

static SandboxFile *
lookup_upload (SandboxServer     *self,
               SoupServerMessage *msg,
               const char        *token,
               const char        *id)
{
  SandboxFile *file = g_hash_table_lookup (self->wl_uploads, id);

  if (file == NULL || strcmp (file->owner, token) != 0)
    {
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "The upload does not exist");
      return NULL;
    }
  return file;
}

static void
handle_parts (SandboxServer     *self,
              SoupServerMessage *msg,
              const char        *id,
              GHashTable        *query)
{
  const char *token;
  SandboxFile *file;
  SandboxPart *part;
  gint64 user_id;
  guint64 number;

  self->requests[SANDBOX_REQ_WL_PARTS]++;
  if (strcmp (soup_server_message_get_method (msg), "GET") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "GET");
      return;
    }
  if ((token = authenticate (self, msg, &user_id)) == NULL ||
      (file = lookup_upload (self, msg, token, id)) == NULL)
    return;
  if (!sandbox_parse_uint (query != NULL ? g_hash_table_lookup (query, "part_number") : NULL,
                           SANDBOX_WL_MAX_PARTS, &number) || number < 1)
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "part_number",
                             "is required and must be an integer from 1 to 10000");
      return;
    }
  if (file->completed || file->finishing)
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "state", "The upload is already finished");
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
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "service_unavailable",
                   "Service Unavailable");
      return;
    }
  reply_part (self, msg, file, user_id, SOUP_STATUS_OK, (guint) number);
}

/* Returns the number of parts, or 0 after replying. */
static guint
check_parts (SoupServerMessage *msg,
             SandboxFile       *file)
{
  guint last = 0, count = 0;
  guint64 total = 0;
  GHashTableIter iter;
  SandboxPart *part;
  g_autofree char *problem = NULL;

  g_hash_table_iter_init (&iter, file->parts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &part))
    if (part->stored)
      {
        last = MAX (last, part->number);
        count++;
      }
  if (count == 0)
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "state", "There are no parts upload to finish it");
      return 0;
    }
  for (guint i = 1; i <= last; i++)
    {
      part = sandbox_file_lookup_part (file, i);
      if (part == NULL || !part->stored)
        problem = g_strdup_printf ("Expected part %u to be uploaded", i);
      else if (i < last && part->size < SANDBOX_WL_MIN_PART_SIZE)
        problem = g_strdup_printf ("Expected part %u size %" G_GUINT64_FORMAT " to be at least %d "
                                   "(EntityTooSmall)", i, part->size, SANDBOX_WL_MIN_PART_SIZE);
      if (problem != NULL)
        {
          reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "parts", problem);
          return 0;
        }
      total += part->size;
    }
  if (total != file->filesize)
    {
      problem = g_strdup_printf ("Expected %" G_GUINT64_FORMAT " to be %" G_GUINT64_FORMAT,
                                 total, file->filesize);
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "file_size", problem);
      return 0;
    }
  return last;
}

static void
handle_finish (SandboxServer     *self,
               SoupServerMessage *msg,
               const char        *id)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  const char *token;
  SandboxFile *file;
  gint64 user_id;
  guint n_parts;

  self->requests[SANDBOX_REQ_WL_FINISH]++;
  if (strcmp (soup_server_message_get_method (msg), "PATCH") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "PATCH");
      return;
    }
  if ((token = authenticate (self, msg, &user_id)) == NULL ||
      (file = lookup_upload (self, msg, token, id)) == NULL ||
      (body = parse_body (msg)) == NULL)
    return;
  if (!member_is (body, "state", G_TYPE_STRING) ||
      strcmp (json_object_get_string_member (body, "state"), "finished") != 0)
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "state", "must be \"finished\"");
      return;
    }
  if (!file->completed)
    {
      if ((n_parts = check_parts (msg, file)) == 0)
        return;
      /* Answered at once, as S3 does; the bytes are put together behind it */
      sandbox_file_assemble (self, file, n_parts);
    }

  reply = upload_to_json (self, file, user_id, FALSE);
  sandbox_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
handle_create_file (SandboxServer     *self,
                    SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *upload_key = NULL;
  SandboxWlFile *wl_file;
  const char *token;
  SandboxFile *upload;
  gint64 user_id, upload_id, task_id;

  self->requests[SANDBOX_REQ_WL_FILES]++;
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "POST");
      return;
    }
  if ((token = authenticate (self, msg, &user_id)) == NULL || (body = parse_body (msg)) == NULL)
    return;
  if (!member_is (body, "upload_id", G_TYPE_INT64))
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "upload_id", "is required and must be an integer");
      return;
    }
  if (!member_is (body, "task_id", G_TYPE_INT64) ||
      (task_id = json_object_get_int_member (body, "task_id")) < 1)
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "task_id",
                             "is required and must be a positive integer");
      return;
    }
  upload_id = json_object_get_int_member (body, "upload_id");
  upload_key = g_strdup_printf ("%" G_GINT64_FORMAT, upload_id);
  if ((upload = lookup_upload (self, msg, token, upload_key)) == NULL)
    return;
  if (!upload->completed)
    {
      reply_errors (msg, SOUP_STATUS_BAD_REQUEST, "upload_id", "The upload is not finished");
      return;
    }

  wl_file = g_new0 (SandboxWlFile, 1);
  wl_file->id = self->next_wl_id++;
  wl_file->upload_id = upload->numeric_id;
  wl_file->task_id = task_id;
  g_ptr_array_add (self->wl_files, wl_file);

  reply = json_object_new ();
  json_object_set_int_member (reply, "id", wl_file->id);
  json_object_set_int_member (reply, "upload_id", wl_file->upload_id);
  json_object_set_int_member (reply, "task_id", wl_file->task_id);
  json_object_set_int_member (reply, "user_id", user_id);
  json_object_set_string_member (reply, "type", "file");
  json_object_set_string_member (reply, "file_name", upload->filename);
  json_object_set_int_member (reply, "file_size", upload->filesize);
  json_object_set_string_member (reply, "content_type", upload->content_type);
  json_object_set_int_member (reply, "revision", 1);
  sandbox_reply_object (msg, SOUP_STATUS_CREATED, reply);
}

gboolean
sandbox_wunderlist_handle (SandboxServer     *self,
                           SoupServerMessage *msg,
                           const char        *path)
{
  g_auto(GStrv) seg = NULL;
  guint n;

  if (!g_str_has_prefix (path, "/api/v1/"))
    return FALSE;
  seg = g_strsplit (path, "/", 8);
  n = g_strv_length (seg);

  if (n == 4 && strcmp (seg[3], "uploads") == 0)
    handle_create_upload (self, msg);
  else if (n == 4 && strcmp (seg[3], "files") == 0)
    handle_create_file (self, msg);
  else if (n == 5 && strcmp (seg[3], "uploads") == 0)
    handle_finish (self, msg, seg[4]);
  else if (n == 6 && strcmp (seg[3], "uploads") == 0 && strcmp (seg[5], "parts") == 0)
    {
      const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));
      g_autoptr(GHashTable) query = NULL;

      if (raw != NULL)
        query = g_uri_parse_params (raw, -1, "&", G_URI_PARAMS_NONE, NULL);
      handle_parts (self, msg, seg[4], query);
    }
  else
    return FALSE;
  return TRUE;
}
