/* sendoff-sandbox-server.c — the sandbox's HTTP server, routing, state and helpers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-sandbox"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "sendoff-sandbox-server.h"

static const char * const request_names[SANDBOX_N_REQ] = {
  "total", "authorize", "transfers", "items", "part_urls", "storage_puts", "complete",
  "share_pages", "downloads", "wl_uploads", "wl_parts", "wl_finish", "wl_files", "other",
  "client_errors", "server_errors", "aborted",
};

static const char * const fault_names[SANDBOX_N_FAULTS] = {
  "put_500", "put_reset", "api_503", "keepalive_dropped", "drip", "stall",
};

/* ---- replies ----------------------------------------------------------- */

void
sandbox_reply_json (SoupServerMessage *msg,
                    guint              status,
                    JsonNode          *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  char *text;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

void
sandbox_reply_object (SoupServerMessage *msg,
                      guint              status,
                      JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  sandbox_reply_json (msg, status, node);
}

void
sandbox_reply_message (SoupServerMessage *msg,
                       guint              status,
                       const char        *format,
                       ...)
{
  g_autoptr(JsonObject) object = json_object_new ();
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_object_set_boolean_member (object, "success", FALSE);
  json_object_set_string_member (object, "message", message);
  g_free (message);
  sandbox_reply_object (msg, status, object);
}

void
sandbox_reply_s3_error (SoupServerMessage *msg,
                        guint              status,
                        const char        *code,
                        const char        *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  char *text;

  text = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<Error><Code>%s</Code><Message>%s</Message>"
                          "<RequestId>sendoff-sandbox</RequestId></Error>\n",
                          code, escaped);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

void
sandbox_reply_method_not_allowed (SoupServerMessage *msg,
                                  const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  sandbox_reply_message (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                         "Method %s is not allowed here (allowed: %s)",
                         soup_server_message_get_method (msg), allow);
}

/* ---- request bodies ---------------------------------------------------- */

#define BODY_KEY "sandbox-body"
#define BODY_OVERFLOW_KEY "sandbox-body-overflow"
#define FINISHED_KEY "sandbox-finished"

static void
api_got_chunk (SoupServerMessage *msg,
               GBytes            *chunk,
               gpointer           user_data)
{
  GByteArray *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);
  gsize size = g_bytes_get_size (chunk);

  if (body == NULL)
    return;
  if (body->len + size > SANDBOX_MAX_API_BODY)
    {
      g_object_set_data (G_OBJECT (msg), BODY_OVERFLOW_KEY, GINT_TO_POINTER (1));
      g_byte_array_set_size (body, 0);
      return;
    }
  g_byte_array_append (body, g_bytes_get_data (chunk, NULL), size);
}

/* Every body is consumed chunk by chunk (accumulate off): API bodies are kept
 * up to a limit, storage bodies go to disk. */
static void
api_collect_body (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > SANDBOX_MAX_API_BODY)
    {
      sandbox_reply_message (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                             "Request body is larger than %d bytes", SANDBOX_MAX_API_BODY);
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), BODY_KEY, g_byte_array_new (),
                          (GDestroyNotify) g_byte_array_unref);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (api_got_chunk), NULL);
}

/* Returns NULL when the body was too large. */
GBytes *
sandbox_message_get_body (SoupServerMessage *msg)
{
  GByteArray *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);

  if (g_object_get_data (G_OBJECT (msg), BODY_OVERFLOW_KEY))
    return NULL;
  if (body == NULL)
    return g_bytes_new (NULL, 0);
  return g_bytes_new (body->data, body->len);
}

/* json-glib parses recursively: a deeply nested body would exhaust the stack. */
static gboolean
json_nesting_ok (const char *data,
                 gsize       len,
                 guint       max_depth)
{
  gboolean in_string = FALSE, escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '[' || c == '{') && ++depth > max_depth)
        return FALSE;
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

JsonObject *
sandbox_parse_json_object (SoupServerMessage *msg,
                           GError           **error)
{
  g_autoptr(GBytes) body = sandbox_message_get_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize len = 0;
  const char *data;

  if (body == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "Request body is too large");
      return NULL;
    }
  data = g_bytes_get_data (body, &len);
  if (len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Request body is empty");
      return NULL;
    }
  if (!json_nesting_ok (data, len, 32))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Request body is not valid JSON: nested too deeply");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Request body is not valid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Request body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

gboolean
sandbox_parse_uint (const char *text,
                    guint64     max,
                    guint64    *out)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0' || strlen (text) > 20)
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}

/* ---- ids, signatures, faults ------------------------------------------ */

char *
sandbox_server_new_id (SandboxServer *self,
                       guint          n_bytes)
{
  GString *id = g_string_sized_new (n_bytes * 2);

  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (id, "%02x", (guint) g_rand_int_range (self->rand, 0, 256));
  return g_string_free (id, FALSE);
}

char *
sandbox_server_sign (SandboxServer *self,
                     const char    *text)
{
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, self->secret, sizeof self->secret,
                                    text, -1);
}

/* A fault is decided by hashing the seed with what the request is about
 * (file name, part, attempt), so it does not depend on the order in which
 * parallel requests happen to arrive. */
gboolean
sandbox_server_draw_fault (SandboxServer *self,
                           SandboxFault   fault,
                           double         rate,
                           const char    *name,
                           guint          part,
                           guint          attempt)
{
  g_autoptr(GChecksum) sum = NULL;
  g_autofree char *key = NULL;
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 value = 0;

  if (rate <= 0.0)
    return FALSE;
  if (rate >= 1.0)
    return TRUE;

  key = g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s|%u|%u", self->opts->seed,
                         fault_names[fault], name, part, attempt);
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *) key, -1);
  g_checksum_get_digest (sum, digest, &len);
  for (guint i = 0; i < 8; i++)
    value = (value << 8) | digest[i];
  return (value >> 11) * (1.0 / 9007199254740992.0) < rate;
}

/* ---- files ------------------------------------------------------------- */

static void
sandbox_part_free (SandboxPart *part)
{
  g_free (part->path);
  g_free (part->sha256);
  g_free (part);
}

static void
sandbox_file_free (SandboxFile *file)
{
  g_free (file->id);
  g_free (file->filename);
  g_free (file->content_type);
  g_free (file->local_identifier);
  g_free (file->multipart_upload_id);
  g_free (file->upload_id);
  g_clear_pointer (&file->parts, g_hash_table_unref);
  g_free (file->owner);
  g_free (file->dir);
  g_free (file->sha256);
  g_free (file->assembled_path);
  g_free (file);
}

static void
sandbox_transfer_free (SandboxTransfer *transfer)
{
  g_free (transfer->id);
  g_free (transfer->name);
  g_free (transfer->description);
  g_free (transfer->owner);
  g_ptr_array_unref (transfer->items);
  g_free (transfer);
}

SandboxFile *
sandbox_file_new (SandboxServer *self,
                  SandboxKind    kind,
                  const char    *id,
                  const char    *filename,
                  guint64        filesize,
                  const char    *owner)
{
  SandboxFile *file = g_new0 (SandboxFile, 1);

  file->kind = kind;
  file->id = g_strdup (id);
  file->filename = g_strdup (filename);
  file->filesize = filesize;
  file->owner = g_strdup (owner);
  file->parts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sandbox_part_free);
  file->dir = g_build_filename (self->opts->data_dir,
                                kind == SANDBOX_KIND_WETRANSFER ? "wetransfer" : "wunderlist",
                                id, NULL);
  g_ptr_array_add (self->files, file);
  return file;
}

SandboxPart *
sandbox_file_lookup_part (SandboxFile *file,
                          guint        number)
{
  return g_hash_table_lookup (file->parts, GUINT_TO_POINTER (number));
}

SandboxPart *
sandbox_file_ensure_part (SandboxFile *file,
                          guint        number)
{
  SandboxPart *part = sandbox_file_lookup_part (file, number);

  if (part == NULL)
    {
      part = g_new0 (SandboxPart, 1);
      part->number = number;
      g_hash_table_insert (file->parts, GUINT_TO_POINTER (number), part);
    }
  return part;
}

/* ---- state ------------------------------------------------------------- */

static int
compare_parts (gconstpointer a,
               gconstpointer b)
{
  const SandboxPart *pa = *(SandboxPart **) a;
  const SandboxPart *pb = *(SandboxPart **) b;

  return pa->number < pb->number ? -1 : pa->number > pb->number;
}

static JsonArray *
build_parts (SandboxFile *file)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  JsonArray *array = json_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, file->parts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (parts, value);

  g_ptr_array_sort (parts, compare_parts);
  for (guint i = 0; i < parts->len; i++)
    {
      SandboxPart *part = g_ptr_array_index (parts, i);
      JsonObject *object;

      if (!part->stored)
        continue;
      object = json_object_new ();
      json_object_set_int_member (object, "part_number", part->number);
      json_object_set_int_member (object, "size", part->size);
      json_object_set_int_member (object, "puts", part->puts);
      json_object_set_string_member (object, "sha256", part->sha256);
      json_array_add_object_element (array, object);
    }
  return array;
}

static void
set_nullable_string (JsonObject *object,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonObject *
build_wt_item (SandboxFile *file)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", file->id);
  json_object_set_string_member (object, "filename", file->filename);
  json_object_set_string_member (object, "local_identifier", file->local_identifier);
  json_object_set_int_member (object, "filesize", file->filesize);
  json_object_set_int_member (object, "multipart_parts", file->n_parts);
  json_object_set_string_member (object, "multipart_upload_id", file->multipart_upload_id);
  json_object_set_boolean_member (object, "completed", file->completed);
  set_nullable_string (object, "sha256", file->sha256);
  json_object_set_array_member (object, "parts", build_parts (file));
  return object;
}

static JsonArray *
build_transfers (SandboxServer *self)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < self->transfers->len; i++)
    {
      SandboxTransfer *transfer = g_ptr_array_index (self->transfers, i);
      JsonObject *object = json_object_new ();
      JsonArray *items = json_array_new ();
      g_autofree char *url = g_strdup_printf ("%s/s-%s", self->base_url, transfer->id);

      json_object_set_string_member (object, "id", transfer->id);
      json_object_set_string_member (object, "name", transfer->name);
      set_nullable_string (object, "description", transfer->description);
      json_object_set_string_member (object, "shortened_url", url);
      json_object_set_int_member (object, "size", transfer->size);
      for (guint j = 0; j < transfer->items->len; j++)
        json_array_add_object_element (items,
                                       build_wt_item (g_ptr_array_index (transfer->items, j)));
      json_object_set_array_member (object, "items", items);
      json_array_add_object_element (array, object);
    }
  return array;
}

static JsonObject *
build_wunderlist (SandboxServer *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *uploads = json_array_new ();
  JsonArray *files = json_array_new ();

  for (guint i = 0; i < self->files->len; i++)
    {
      SandboxFile *file = g_ptr_array_index (self->files, i);
      JsonObject *upload;

      if (file->kind != SANDBOX_KIND_WUNDERLIST)
        continue;
      upload = json_object_new ();
      json_object_set_int_member (upload, "id", file->numeric_id);
      json_object_set_string_member (upload, "file_name", file->filename);
      json_object_set_int_member (upload, "file_size", file->filesize);
      json_object_set_string_member (upload, "content_type", file->content_type);
      json_object_set_string_member (upload, "state", file->completed ? "finished" : "new");
      json_object_set_boolean_member (upload, "completed", file->completed);
      json_object_set_array_member (upload, "parts", build_parts (file));
      set_nullable_string (upload, "sha256", file->sha256);
      json_array_add_object_element (uploads, upload);
    }
  for (guint i = 0; i < self->wl_files->len; i++)
    {
      SandboxWlFile *wl_file = g_ptr_array_index (self->wl_files, i);
      JsonObject *file = json_object_new ();

      json_object_set_int_member (file, "id", wl_file->id);
      json_object_set_int_member (file, "upload_id", wl_file->upload_id);
      json_object_set_int_member (file, "task_id", wl_file->task_id);
      json_array_add_object_element (files, file);
    }
  json_object_set_array_member (object, "uploads", uploads);
  json_object_set_array_member (object, "files", files);
  return object;
}

JsonObject *
sandbox_server_build_state (SandboxServer *self)
{
  JsonObject *state = json_object_new ();
  JsonObject *requests = json_object_new ();
  JsonObject *faults = json_object_new ();

  for (guint i = 0; i < SANDBOX_N_REQ; i++)
    json_object_set_int_member (requests, request_names[i], self->requests[i]);
  for (guint i = 0; i < SANDBOX_N_FAULTS; i++)
    json_object_set_int_member (faults, fault_names[i], self->faults[i]);

  json_object_set_array_member (state, "transfers", build_transfers (self));
  json_object_set_object_member (state, "wunderlist", build_wunderlist (self));
  json_object_set_object_member (state, "requests", requests);
  json_object_set_int_member (state, "puts_in_flight", self->puts_in_flight);
  json_object_set_int_member (state, "max_puts_in_flight", self->max_puts_in_flight);
  json_object_set_int_member (state, "connections_reaped",
                              self->reaper ? sandbox_reaper_get_n_reaped (self->reaper) : 0);
  json_object_set_int_member (state, "storage_requests_with_secret",
                              self->storage_requests_with_secret);
  json_object_set_object_member (state, "faults", faults);
  json_object_set_boolean_member (state, "discard", self->opts->discard);
  json_object_set_int_member (state, "chunk_size", self->opts->chunk_size);
  return state;
}

/* ---- latency and message life ----------------------------------------- */

gboolean
sandbox_message_is_finished (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), FINISHED_KEY) != NULL;
}

static gboolean
unpause_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  if (!sandbox_message_is_finished (msg))
    soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* For a message that a handler paused: answers it now, or after
 * --latency-ms. */
void
sandbox_server_respond_later (SandboxServer     *self,
                              SoupServerMessage *msg)
{
  GSource *source;

  if (self->opts->latency_ms <= 0)
    {
      unpause_cb (msg);
      return;
    }
  source = g_timeout_source_new (self->opts->latency_ms);
  g_source_set_callback (source, unpause_cb, g_object_ref (msg), g_object_unref);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
request_done_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 SandboxServer     *self)
{
  guint status = soup_server_message_get_status (msg);

  g_object_set_data (G_OBJECT (msg), FINISHED_KEY, GINT_TO_POINTER (1));
  if (status >= 500)
    self->requests[SANDBOX_REQ_SERVER_ERRORS]++;
  else if (status >= 400)
    self->requests[SANDBOX_REQ_CLIENT_ERRORS]++;
  sandbox_storage_after_response (self, msg);
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    SandboxServer     *self)
{
  g_object_set_data (G_OBJECT (msg), FINISHED_KEY, GINT_TO_POINTER (1));
  self->requests[SANDBOX_REQ_ABORTED]++;
}

/* ---- routing ----------------------------------------------------------- */

static gboolean
is_internal_path (const char *path)
{
  return g_str_has_prefix (path, "/_sandbox/");
}

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SandboxServer *self = user_data;

  if (!is_internal_path (path))
    self->requests[SANDBOX_REQ_TOTAL]++;

  if (self->opts->stall && !is_internal_path (path))
    {
      /* --stall: the connection is accepted, the request never answered */
      self->faults[SANDBOX_FAULT_STALL]++;
      sandbox_stall_answer (self, msg);
      return;
    }

  if (sandbox_storage_is_path (path))
    sandbox_storage_got_headers (self, msg, path);
  else
    api_collect_body (msg);
}

static void
handle_state (SandboxServer     *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) state = NULL;

  if (strcmp (soup_server_message_get_method (msg), "GET") != 0)
    {
      sandbox_reply_method_not_allowed (msg, "GET");
      return;
    }
  state = sandbox_server_build_state (self);
  sandbox_reply_object (msg, SOUP_STATUS_OK, state);
}

static void
handle_index (SandboxServer     *self,
              SoupServerMessage *msg)
{
  static const char text[] =
    "sendoff-sandbox: a local stand-in for the WeTransfer v1 and Wunderlist upload APIs.\n"
    "API: /v1/... and /api/v1/...; inspection: GET /_sandbox/state\n";

  self->requests[SANDBOX_REQ_OTHER]++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                    text, strlen (text));
}

static gboolean
reads_assembled_files (const char *path)
{
  return strcmp (path, "/_sandbox/state") == 0 || g_str_has_prefix (path, "/s-") ||
         g_str_has_prefix (path, "/downloads/");
}

/* Drip and stall faults of API answers: every answer with --drip alone,
 * else a share of the part-URL answers (the engine asks for those again
 * with no harm done), keyed by the request and how often it came. */
static gboolean
maybe_take_api_answer (SandboxServer     *self,
                       SoupServerMessage *msg,
                       guint64            part_urls_before)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *key = NULL;
  guint count;

  if (self->opts->drip_bps > 0 && self->opts->drip_api_rate <= 0.0 &&
      self->opts->drip_put_rate <= 0.0)
    {
      self->faults[SANDBOX_FAULT_DRIP]++;
      sandbox_drip_answer (self, msg);
      return TRUE;
    }
  if (self->requests[SANDBOX_REQ_PART_URLS] + self->requests[SANDBOX_REQ_WL_PARTS] ==
      part_urls_before)
    return FALSE;

  key = g_strdup_printf ("%s?%s", g_uri_get_path (uri),
                         g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->answer_counts, key)) + 1;
  g_hash_table_replace (self->answer_counts, g_strdup (key), GUINT_TO_POINTER (count));
  return sandbox_fault_take_answer (self, msg, FALSE, key, 0, count);
}

static void main_handler (SoupServer        *server,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          gpointer           user_data);

void
sandbox_server_assembly_started (SandboxServer *self)
{
  self->assembling++;
}

void
sandbox_server_assembly_ended (SandboxServer *self)
{
  g_assert (self->assembling > 0);
  if (--self->assembling > 0)
    return;

  while (!g_queue_is_empty (&self->after_assembly) && self->assembling == 0)
    {
      g_autoptr(SoupServerMessage) msg = g_queue_pop_head (&self->after_assembly);
      GUri *uri = soup_server_message_get_uri (msg);

      if (sandbox_message_is_finished (msg))
        continue;
      main_handler (self->server, msg, g_uri_get_path (uri), NULL, self);
      soup_server_message_unpause (msg);
    }
}

static void
main_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SandboxServer *self = user_data;
  guint64 part_urls_before;

  if (sandbox_storage_is_path (path))
    {
      sandbox_storage_got_body (self, msg);
      return;
    }

  if (self->assembling > 0 && reads_assembled_files (path))
    {
      soup_server_message_pause (msg);
      g_queue_push_tail (&self->after_assembly, g_object_ref (msg));
      return;
    }

  part_urls_before = self->requests[SANDBOX_REQ_PART_URLS] + self->requests[SANDBOX_REQ_WL_PARTS];
  if (strcmp (path, "/_sandbox/state") == 0)
    handle_state (self, msg);
  else if (strcmp (path, "/") == 0)
    handle_index (self, msg);
  else if (!sandbox_wetransfer_handle (self, msg, path) &&
           !sandbox_wunderlist_handle (self, msg, path))
    {
      self->requests[SANDBOX_REQ_OTHER]++;
      sandbox_reply_message (msg, SOUP_STATUS_NOT_FOUND, "No such endpoint: %s", path);
    }

  if (!is_internal_path (path) && soup_server_message_get_status (msg) != 0 &&
      maybe_take_api_answer (self, msg, part_urls_before))
    return;

  if (self->opts->latency_ms > 0 && !is_internal_path (path) &&
      soup_server_message_get_status (msg) != 0)
    {
      soup_server_message_pause (msg);
      sandbox_server_respond_later (self, msg);
    }
}

/* ---- life cycle -------------------------------------------------------- */

static void
sandbox_token_free (SandboxToken *token)
{
  g_free (token->key);
  g_free (token);
}

SandboxServer *
sandbox_server_new (SandboxOptions *opts,
                    GError        **error)
{
  SandboxServer *self = g_new0 (SandboxServer, 1);
  g_autoslist(GUri) uris = NULL;
  g_autoptr(GRand) secret_rand = g_rand_new ();

  self->opts = opts;
  self->context = g_main_context_ref_thread_default ();
  self->rand = g_rand_new_with_seed ((guint32) opts->seed);
  for (guint i = 0; i < sizeof self->secret; i++)
    self->secret[i] = (guint8) g_rand_int_range (secret_rand, 0, 256);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) sandbox_token_free);
  self->transfers = g_ptr_array_new_with_free_func ((GDestroyNotify) sandbox_transfer_free);
  self->transfers_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) sandbox_file_free);
  self->wt_files = g_hash_table_new (g_str_hash, g_str_equal);
  self->wl_uploads = g_hash_table_new (g_str_hash, g_str_equal);
  self->wl_files = g_ptr_array_new_with_free_func (g_free);
  self->next_wl_id = 2000;
  self->answer_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->writers = g_thread_pool_new (sandbox_storage_writer_func, self,
                                     CLAMP (g_get_num_processors (), 2, 8), FALSE, NULL);

  self->server = soup_server_new ("server-header", "sendoff-sandbox ", NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, main_handler, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_aborted_cb), self);

  if (!soup_server_listen_local (self->server, opts->port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      sandbox_server_free (self);
      return NULL;
    }
  self->reaper = sandbox_reaper_new (self->server, self->context);
  uris = soup_server_get_uris (self->server);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  return self;
}

void
sandbox_server_free (SandboxServer *self)
{
  g_clear_pointer (&self->reaper, sandbox_reaper_free);
  g_queue_clear_full (&self->after_assembly, g_object_unref);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_thread_pool_free (self->writers, FALSE, TRUE);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->transfers_by_id, g_hash_table_unref);
  g_clear_pointer (&self->wt_files, g_hash_table_unref);
  g_clear_pointer (&self->wl_uploads, g_hash_table_unref);
  g_clear_pointer (&self->answer_counts, g_hash_table_unref);
  g_clear_pointer (&self->transfers, g_ptr_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->wl_files, g_ptr_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->base_url);
  g_free (self);
}
