/* sendoff-wetransfer-v1-parse.c — pure parsers of the WeTransfer v1 answers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-wetransfer-v1"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-http.h"
#include "sendoff-types.h"
#include "sendoff-wetransfer-v1-private.h"

#define MAX_ID_LENGTH  1024
#define MAX_URL_LENGTH (16 * 1024)

void
_sendoff_wetransfer_v1_item_free (SendoffWetransferV1Item *item)
{
  if (item == NULL)
    return;
  g_free (item->local_identifier);
  g_free (item->id);
  g_free (item->upload_id);
  g_free (item);
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

/* A non-empty string of printable ASCII without '/', '?' or '#': ids go
 * into URL paths. */
static const char *
get_id (JsonObject *object,
        const char *field)
{
  JsonNode *node = json_object_get_member (object, field);
  const char *value;
  gsize len;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  len = strlen (value);
  if (len == 0 || len > MAX_ID_LENGTH)
    return NULL;

  for (gsize i = 0; i < len; i++)
    if (value[i] <= ' ' || value[i] >= 0x7f || strchr ("/?#%\\", value[i]) != NULL)
      return NULL;

  return value;
}

static gboolean
get_int (JsonObject *object,
         const char *field,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

char *
_sendoff_wetransfer_v1_parse_authorize (GBytes  *body,
                                        GError **error)
{
  const char *what = _("Signing in");
  g_autoptr(JsonNode) root = sendoff_json_parse_object (body, what, error);
  JsonObject *object;
  JsonNode *success;
  const char *token;

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  success = json_object_get_member (object, "success");
  if (success != NULL && JSON_NODE_HOLDS_VALUE (success) &&
      json_node_get_value_type (success) == G_TYPE_BOOLEAN && !json_node_get_boolean (success))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH,
                   _("The service refused the API key"));
      return NULL;
    }

  /* A JWT is printable ASCII; anything else would end up in a header */
  token = get_id (object, "token");
  if (token == NULL)
    {
      protocol_error (error, what, "token");
      return NULL;
    }

  return g_strdup (token);
}

gboolean
_sendoff_wetransfer_v1_parse_transfer (GBytes  *body,
                                       char   **id,
                                       char   **shortened_url,
                                       GError **error)
{
  const char *what = _("Creating the transfer");
  g_autoptr(JsonNode) root = sendoff_json_parse_object (body, what, error);
  JsonObject *object;
  const char *id_value;
  const char *url_value;

  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);

  if ((id_value = get_id (object, "id")) == NULL)
    return protocol_error (error, what, "id");

  url_value = sendoff_json_get_string (object, "shortened_url", MAX_URL_LENGTH);
  if (url_value == NULL || !sendoff_url_check (url_value, _("The share link"), NULL))
    return protocol_error (error, what, "shortened_url");

  *id = g_strdup (id_value);
  *shortened_url = g_strdup (url_value);
  return TRUE;
}

static SendoffWetransferV1Item *
parse_item (JsonNode    *node,
            const char  *what,
            GError     **error)
{
  SendoffWetransferV1Item *item;
  JsonObject *object, *meta;
  JsonNode *meta_node;
  const char *id, *upload_id, *local_id;
  gint64 n_parts;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("%s: the server’s answer lists something that is not a file"), what);
      return NULL;
    }
  object = json_node_get_object (node);

  if ((id = get_id (object, "id")) == NULL)
    return protocol_error (error, what, "id"), NULL;

  meta_node = json_object_get_member (object, "meta");
  if (meta_node == NULL || !JSON_NODE_HOLDS_OBJECT (meta_node))
    return protocol_error (error, what, "meta"), NULL;
  meta = json_node_get_object (meta_node);

  if (!get_int (meta, "multipart_parts", &n_parts) ||
      n_parts < 1 || n_parts > SENDOFF_WETRANSFER_V1_MAX_PARTS)
    return protocol_error (error, what, "multipart_parts"), NULL;

  if ((upload_id = get_id (meta, "multipart_upload_id")) == NULL)
    return protocol_error (error, what, "multipart_upload_id"), NULL;

  local_id = sendoff_json_get_string (object, "local_identifier", MAX_ID_LENGTH);

  item = g_new0 (SendoffWetransferV1Item, 1);
  item->local_identifier = g_strdup (local_id);
  item->id = g_strdup (id);
  item->upload_id = g_strdup (upload_id);
  item->n_parts = (guint) n_parts;
  return item;
}

GPtrArray *
_sendoff_wetransfer_v1_parse_items (GBytes  *body,
                                    GError **error)
{
  const char *what = _("Adding the files");
  g_autoptr(JsonNode) root = sendoff_json_parse (body, what, error);
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *array;
  guint n;

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("%s: the server’s answer is not a list of files"), what);
      return NULL;
    }

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, (GDestroyNotify) _sendoff_wetransfer_v1_item_free);

  for (guint i = 0; i < n; i++)
    {
      SendoffWetransferV1Item *item = parse_item (json_array_get_element (array, i), what, error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }

  return g_steal_pointer (&items);
}

gboolean
_sendoff_wetransfer_v1_parse_part_url (GBytes  *body,
                                       guint    part_number,
                                       char   **upload_url,
                                       gint64  *expires_at,
                                       GError **error)
{
  const char *what = _("Asking for an upload address");
  g_autoptr(JsonNode) root = sendoff_json_parse_object (body, what, error);
  JsonObject *object;
  JsonNode *expires_node;
  const char *url;
  gint64 number, expires = 0;

  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);

  if ((url = sendoff_json_get_string (object, "upload_url", MAX_URL_LENGTH)) == NULL)
    return protocol_error (error, what, "upload_url");

  /* The part number is optional, but a different one is a mix-up */
  if (json_object_has_member (object, "part_number") &&
      (!get_int (object, "part_number", &number) || number != (gint64) part_number))
    return protocol_error (error, what, "part_number");

  expires_node = json_object_get_member (object, "upload_expires_at");
  if (expires_node != NULL && !json_node_is_null (expires_node) &&
      (!get_int (object, "upload_expires_at", &expires) || expires < 0))
    return protocol_error (error, what, "upload_expires_at");

  if (!sendoff_url_check (url, _("The upload address"), error))
    return FALSE;

  *upload_url = g_strdup (url);
  *expires_at = expires;
  return TRUE;
}

guint64
_sendoff_wetransfer_v1_expected_parts (guint64 size,
                                       guint64 chunk_size)
{
  g_return_val_if_fail (chunk_size > 0, 1);

  if (size == 0)
    return 1;
  return size / chunk_size + (size % chunk_size != 0);
}

gboolean
_sendoff_wetransfer_v1_check_parts (const char  *filename,
                                    guint64      size,
                                    guint64      chunk_size,
                                    guint        n_parts,
                                    GError     **error)
{
  guint64 expected = _sendoff_wetransfer_v1_expected_parts (size, chunk_size);

  if ((guint64) n_parts != expected)
    {
      /* A G_GUINT64_FORMAT inside _() would cut the string for xgettext */
      g_autofree char *needed = g_strdup_printf ("%" G_GUINT64_FORMAT, expected);

      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("The server expects “%s” in %u parts, but it needs %s"),
                   filename, n_parts, needed);
      return FALSE;
    }

  return TRUE;
}
