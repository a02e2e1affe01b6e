/* sendoff-wunderlist-parse.c — pure parsers of the Wunderlist upload API's answers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-wunderlist"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-http.h"
#include "sendoff-types.h"
#include "sendoff-parts.h"
#include "sendoff-wunderlist-parse.h"

#define MAX_URL_LENGTH     (16 * 1024)
#define MAX_HEADER_LENGTH  4096
#define MAX_STATE_LENGTH   64
/* Ids go into URL paths and JSON numbers: keep them exact in a double */
#define MAX_ID             G_GUINT64_CONSTANT (9007199254740991)

void
_sendoff_wunderlist_upload_free (SendoffWunderlistUpload *upload)
{
  if (upload == NULL)
    return;
  g_free (upload->state);
  g_free (upload->part_url);
  g_free (upload->part_date);
  g_free (upload->part_authorization);
  g_free (upload);
}

static gboolean
protocol_error (GError     **error,
                const char  *what,
                const char  *field)
{
  g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
               _("%s: the server’s answer has no valid “%s”"), what, field);
  return FALSE;
}

static gboolean
get_id (JsonObject *object,
        const char *field,
        guint64    *value)
{
  JsonNode *node = json_object_get_member (object, field);
  gint64 number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  number = json_node_get_int (node);
  if (number < 1 || (guint64) number > MAX_ID)
    return FALSE;

  *value = (guint64) number;
  return TRUE;
}

/* Printable ASCII only: the value becomes a request header, and a CR or
 * LF in it would let the server inject headers of its own. */
static const char *
get_header_value (JsonObject *object,
                  const char *field)
{
  const char *value = sendoff_json_get_string (object, field, MAX_HEADER_LENGTH);

  if (value == NULL)
    return NULL;

  for (const char *p = value; *p != '\0'; p++)
    if (*p < ' ' || *p > '~')
      return NULL;

  return value;
}

static gboolean
parse_part (JsonObject               *object,
            SendoffWunderlistUpload  *upload,
            const char               *what,
            GError                  **error)
{
  JsonNode *node = json_object_get_member (object, "part");
  JsonObject *part;
  const char *url, *date, *authorization;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return protocol_error (error, what, "part");
  part = json_node_get_object (node);

  if ((url = sendoff_json_get_string (part, "url", MAX_URL_LENGTH)) == NULL)
    return protocol_error (error, what, "part.url");
  if ((date = get_header_value (part, "date")) == NULL)
    return protocol_error (error, what, "part.date");
  if ((authorization = get_header_value (part, "authorization")) == NULL)
    return protocol_error (error, what, "part.authorization");

  if (!sendoff_url_check (url, _("The upload address"), error))
    return FALSE;

  upload->part_url = g_strdup (url);
  upload->part_date = g_strdup (date);
  upload->part_authorization = g_strdup (authorization);
  return TRUE;
}

SendoffWunderlistUpload *
_sendoff_wunderlist_parse_upload (GBytes      *body,
                                  const char  *what,
                                  gboolean     need_part,
                                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SendoffWunderlistUpload) upload = NULL;
  JsonObject *object;
  JsonNode *expires_node;

  g_return_val_if_fail (what != NULL, NULL);

  if ((root = sendoff_json_parse_object (body, what, error)) == NULL)
    return NULL;
  object = json_node_get_object (root);

  upload = g_new0 (SendoffWunderlistUpload, 1);

  if (!get_id (object, "id", &upload->id))
    return protocol_error (error, what, "id"), NULL;

  if (json_object_has_member (object, "state"))
    {
      const char *state = sendoff_json_get_string (object, "state", MAX_STATE_LENGTH);

      if (state == NULL)
        return protocol_error (error, what, "state"), NULL;
      upload->state = g_strdup (state);
    }

  expires_node = json_object_get_member (object, "expires_at");
  if (expires_node != NULL && !json_node_is_null (expires_node))
    {
      const char *text = sendoff_json_get_string (object, "expires_at", MAX_STATE_LENGTH);
      g_autoptr(GDateTime) when = NULL;

      if (text != NULL)
        when = g_date_time_new_from_iso8601 (text, NULL);
      if (when == NULL)
        return protocol_error (error, what, "expires_at"), NULL;
      upload->expires_at = MAX (g_date_time_to_unix (when), 1);
    }

  if (need_part && !parse_part (object, upload, what, error))
    return NULL;

  return g_steal_pointer (&upload);
}

gboolean
_sendoff_wunderlist_parse_file (GBytes   *body,
                                guint64   upload_id,
                                guint64  *file_id,
                                GError  **error)
{
  const char *what = _("Adding the file to the task");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  guint64 id, echoed;

  g_return_val_if_fail (file_id != NULL, FALSE);

  if ((root = sendoff_json_parse_object (body, what, error)) == NULL)
    return FALSE;
  object = json_node_get_object (root);

  if (!get_id (object, "id", &id))
    return protocol_error (error, what, "id");

  /* Optional, but another upload's file is a mix-up */
  if (json_object_has_member (object, "upload_id") &&
      (!get_id (object, "upload_id", &echoed) || echoed != upload_id))
    return protocol_error (error, what, "upload_id");

  *file_id = id;
  return TRUE;
}

static const char *
node_string (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* ["field", "message"]: the first string names the field, the rest say
 * what is wrong with it; a lone string is the message itself. */
static char *
message_from_array (JsonArray *array)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = json_array_get_length (array);
  guint first = n > 1 ? 1 : 0;

  for (guint i = first; i < n && text->len < 4 * SENDOFF_SERVER_TEXT_MAX_CHARS; i++)
    {
      const char *part = node_string (json_array_get_element (array, i));

      if (part == NULL || *part == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, part);
    }

  return text->len > 0 ? sendoff_server_text_sanitize (text->str, -1) : NULL;
}

char *
_sendoff_wunderlist_parse_error (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *text;

  if (body == NULL || g_bytes_get_size (body) > 64 * 1024)
    return NULL;
  if ((root = sendoff_json_parse_object (body, "error", NULL)) == NULL)
    return NULL;
  object = json_node_get_object (root);

  node = json_object_get_member (object, "errors");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return message_from_array (json_node_get_array (node));
  if ((text = node_string (node)) != NULL)
    return sendoff_server_text_sanitize (text, -1);

  node = json_object_get_member (object, "error");
  if ((text = node_string (node)) != NULL)
    return sendoff_server_text_sanitize (text, -1);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      (text = node_string (json_object_get_member (json_node_get_object (node), "message"))))
    return sendoff_server_text_sanitize (text, -1);

  if ((text = node_string (json_object_get_member (object, "message"))) != NULL)
    return sendoff_server_text_sanitize (text, -1);

  return NULL;
}

gboolean
_sendoff_wunderlist_plan_parts (const char  *filename,
                                guint64      size,
                                guint64     *part_size,
                                guint       *n_parts,
                                GError     **error)
{
  return sendoff_plan_parts (filename, size, SENDOFF_WUNDERLIST_DEFAULT_PART_SIZE,
                             SENDOFF_WUNDERLIST_MIN_PART_SIZE, SENDOFF_WUNDERLIST_MAX_PART_SIZE,
                             SENDOFF_WUNDERLIST_MAX_PARTS, part_size, n_parts, error);
}
