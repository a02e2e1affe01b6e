/* sendoff-wetransfer-v1.c — the WeTransfer public API v1 as a SendoffProvider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-wetransfer-v1"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-http.h"
#include "sendoff-http-provider.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-types.h"
#include "sendoff-wetransfer-v1.h"
#include "sendoff-wetransfer-v1-private.h"

/* Items are registered in batches: one request for thousands of files
 * would be a huge body and a huge answer. */
#define ITEMS_PER_REQUEST   100
#define MAX_ANSWER_BYTES    (4 * 1024 * 1024)
#define API_CONNECTIONS     8

struct _SendoffWetransferV1
{
  GObject      parent_instance;

  char        *api_url;     /* without a trailing slash */
  char        *api_key;
  char        *token;       /* JWT from /v1/authorize */
  guint64      chunk_size;
  SoupSession *session;
};

static void provider_iface_init (SendoffProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SendoffWetransferV1, sendoff_wetransfer_v1, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SENDOFF_TYPE_PROVIDER, provider_iface_init))

enum {
  PROP_0,
  PROP_API_URL,
  PROP_API_KEY,
  PROP_CHUNK_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SendoffOptionSpec wetransfer_v1_options[] = {
  { .key = "api-url", .type = SENDOFF_OPTION_URL,
    .label = N_("API URL"),
    .description = N_("The address of a server that speaks the WeTransfer v1 API"),
    .env = "SENDOFF_API_URL", .placeholder = "https://transfer.example.com" },
  { NULL }
};

static const SendoffSecretSpec wetransfer_v1_secrets[] = {
  { .key = "api-key", .label = N_("API Key"), .env = "SENDOFF_API_KEY" },
  { NULL }
};

static const SendoffBackendInfo wetransfer_v1_info = {
  .id = "wetransfer-v1",
  .display_name = N_("WeTransfer (API v1)"),
  .description = N_("A server that speaks the public WeTransfer API v1; "
                    "you get a link to share"),
  .icon_name = "send-to-symbolic",
  .options = wetransfer_v1_options,
  .secrets = wetransfer_v1_secrets,
};

/* ---- provider state -------------------------------------------------- */

/* Per item: the multipart upload the service opened for it */
typedef struct {
  char *upload_id;
} ItemState;

static void
item_state_free (ItemState *state)
{
  g_free (state->upload_id);
  g_free (state);
}

static void
set_item_state (SendoffItem *item,
                const char  *upload_id)
{
  ItemState *state = g_new0 (ItemState, 1);

  state->upload_id = g_strdup (upload_id);
  _sendoff_item_set_provider_data (item, state, (GDestroyNotify) item_state_free);
}

static const char *
get_upload_id (SendoffItem *item)
{
  ItemState *state = _sendoff_item_is_registered (item) ? _sendoff_item_get_provider_data (item)
                                                         : NULL;

  return state != NULL ? state->upload_id : NULL;
}

/* Per transfer: the link the service gave when creating it */
static const char *
get_share_url (SendoffTransfer *transfer)
{
  return _sendoff_transfer_get_provider_data (transfer);
}

static void
set_share_url (SendoffTransfer *transfer,
               const char      *url)
{
  _sendoff_transfer_set_provider_data (transfer, g_strdup (url), g_free);
}

/* ---- one API call ---------------------------------------------------- */

/* @path is already escaped; @json_body NULL sends an empty body */
static void
api_call_async (SendoffWetransferV1 *self,
                const char          *method,
                const char          *path,
                const char          *json_body,
                const char          *what,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autofree char *url = g_strconcat (self->api_url ? self->api_url : "", path, NULL);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *msg;

  msg = self->api_url != NULL ? soup_message_new (method, url) : NULL;
  if (msg == NULL)
    {
      g_task_report_new_error (self, callback, user_data, api_call_async,
                               SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("%s: the API base URL is not valid"), what);
      return;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "x-api-key", self->api_key ? self->api_key : "");
  if (self->token != NULL && !g_str_equal (path, "/v1/authorize"))
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", bearer);
    }
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (json_body != NULL)
    bytes = g_bytes_new (json_body, strlen (json_body));
  else
    bytes = g_bytes_new_static ("", 0);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  sendoff_api_call_async (self, self->session, msg, MAX_ANSWER_BYTES, what, TRUE, NULL,
                          cancellable, callback, user_data);
}

static GBytes *
api_call_finish (SendoffWetransferV1  *self,
                 GAsyncResult         *result,
                 guint                *status,
                 GError              **error)
{
  if (g_task_get_source_tag (G_TASK (result)) == api_call_async)
    {
      if (status != NULL)
        *status = 0;
      return g_task_propagate_pointer (G_TASK (result), error);
    }
  return sendoff_api_call_finish (result, status, error);
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* ---- authorize ------------------------------------------------------- */

static void
on_authorized (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  char *token;

  body = api_call_finish (self, result, &status, &error);
  if (body == NULL)
    {
      /* A bad key gets 403, a missing one 401 */
      if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_AUTH,
                                 _("The service refused the API key (HTTP %u)"), status);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  token = _sendoff_wetransfer_v1_parse_authorize (body, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sendoff_secret_clear (&self->token);
  self->token = token;
  g_task_return_boolean (task, TRUE);
}

static void
sendoff_wetransfer_v1_authorize_async (SendoffProvider     *provider,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sendoff_wetransfer_v1_authorize_async);

  if (self->api_key == NULL)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS,
                               _("No API key is set"));
      return;
    }

  /* The key goes into a header: refuse what would break the request */
  if (!sendoff_header_text_safe (self->api_key))
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_AUTH,
                               _("The API key contains characters that cannot be sent"));
      return;
    }

  api_call_async (self, "POST", "/v1/authorize", NULL, _("Signing in"), cancellable,
                  on_authorized, g_steal_pointer (&task));
}

static gboolean
boolean_finish (SendoffProvider  *provider,
                GAsyncResult     *result,
                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- begin transfer -------------------------------------------------- */

static void
on_transfer_created (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (source);
  g_autoptr(GTask) task = user_data;
  SendoffTransfer *transfer = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;

  body = api_call_finish (self, result, NULL, &error);
  if (body == NULL || !_sendoff_wetransfer_v1_parse_transfer (body, &id, &url, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  _sendoff_transfer_set_remote_id (transfer, id);
  set_share_url (transfer, url);
  g_task_return_boolean (task, TRUE);
}

static void
sendoff_wetransfer_v1_begin_transfer_async (SendoffProvider     *provider,
                                            SendoffTransfer     *transfer,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name = sendoff_transfer_dup_effective_name (transfer);
  g_autofree char *json = NULL;
  const char *description = sendoff_transfer_get_description (transfer);

  g_task_set_source_tag (task, sendoff_wetransfer_v1_begin_transfer_async);
  g_task_set_task_data (task, g_object_ref (transfer), g_object_unref);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name ? name : "");
  if (description != NULL && *description != '\0')
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);

  api_call_async (self, "POST", "/v1/transfers", json, _("Creating the transfer"), cancellable,
                  on_transfer_created, g_steal_pointer (&task));
}

/* ---- register items -------------------------------------------------- */

typedef struct {
  SendoffTransfer *transfer;
  GPtrArray       *items;
  guint            next;      /* first item of the batch in flight */
  guint            n_batch;
} RegisterData;

static void
register_data_free (RegisterData *data)
{
  g_clear_object (&data->transfer);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_free (data);
}

static void register_next_batch (GTask *task);

static SendoffItem *
match_item (RegisterData            *data,
            SendoffWetransferV1Item *answer,
            guint                    position)
{
  guint index = position;

  if (answer->local_identifier != NULL)
    {
      guint64 parsed;

      if (!g_str_has_prefix (answer->local_identifier, "sendoff-") ||
          !g_ascii_string_to_unsigned (answer->local_identifier + strlen ("sendoff-"), 10,
                                       0, G_MAXUINT, &parsed, NULL))
        return NULL;
      index = (guint) parsed;
    }

  if (index >= data->n_batch)
    return NULL;
  return g_ptr_array_index (data->items, data->next + index);
}

static gboolean
apply_items (SendoffWetransferV1  *self,
             RegisterData         *data,
             GPtrArray            *answers,
             GError              **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  if (answers->len != data->n_batch)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("Adding the files: the server answered for %u files instead of %u"),
                   answers->len, data->n_batch);
      return FALSE;
    }

  for (guint i = 0; i < answers->len; i++)
    {
      SendoffWetransferV1Item *answer = g_ptr_array_index (answers, i);
      SendoffItem *item = match_item (data, answer, i);

      if (item == NULL || !g_hash_table_add (seen, item))
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                       _("Adding the files: the server’s answer does not match the files sent"));
          return FALSE;
        }

      if (!_sendoff_wetransfer_v1_check_parts (sendoff_item_get_name (item),
                                               sendoff_item_get_size (item),
                                               self->chunk_size, answer->n_parts, error))
        return FALSE;
    }

  for (guint i = 0; i < answers->len; i++)
    {
      SendoffWetransferV1Item *answer = g_ptr_array_index (answers, i);

      SendoffItem *item = match_item (data, answer, i);

      _sendoff_item_set_remote (item, answer->id, answer->n_parts, self->chunk_size);
      set_item_state (item, answer->upload_id);
    }

  return TRUE;
}

static void
on_items_registered (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (source);
  g_autoptr(GTask) task = user_data;
  RegisterData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = api_call_finish (self, result, NULL, &error);
  if (body == NULL ||
      (answers = _sendoff_wetransfer_v1_parse_items (body, &error)) == NULL ||
      !apply_items (self, data, answers, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data->next += data->n_batch;
  register_next_batch (g_steal_pointer (&task));
}

static char *
build_items_json (RegisterData *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < data->n_batch; i++)
    {
      SendoffItem *item = g_ptr_array_index (data->items, data->next + i);
      g_autofree char *local_id = g_strdup_printf ("sendoff-%u", i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "local_identifier");
      json_builder_add_string_value (builder, local_id);
      json_builder_set_member_name (builder, "content_identifier");
      json_builder_add_string_value (builder, "file");
      json_builder_set_member_name (builder, "filename");
      json_builder_add_string_value (builder, sendoff_item_get_name (item));
      json_builder_set_member_name (builder, "filesize");
      json_builder_add_int_value (builder, (gint64) sendoff_item_get_size (item));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
register_next_batch (GTask *task)
{
  SendoffWetransferV1 *self = g_task_get_source_object (task);
  RegisterData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;

  if (data->next >= data->items->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  data->n_batch = MIN (ITEMS_PER_REQUEST, data->items->len - data->next);
  json = build_items_json (data);
  id = escape_segment (_sendoff_transfer_get_remote_id (data->transfer));
  path = g_strdup_printf ("/v1/transfers/%s/items", id);

  api_call_async (self, "POST", path, json, _("Adding the files"),
                  g_task_get_cancellable (task), on_items_registered, task);
}

static void
sendoff_wetransfer_v1_register_items_async (SendoffProvider     *provider,
                                            SendoffTransfer     *transfer,
                                            GPtrArray           *items,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RegisterData *data;

  g_task_set_source_tag (task, sendoff_wetransfer_v1_register_items_async);

  if (_sendoff_transfer_get_remote_id (transfer) == NULL)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("Adding the files: the transfer was not created"));
      return;
    }

  data = g_new0 (RegisterData, 1);
  data->transfer = g_object_ref (transfer);
  data->items = g_ptr_array_ref (items);
  g_task_set_task_data (task, data, (GDestroyNotify) register_data_free);

  register_next_batch (g_steal_pointer (&task));
}

/* ---- part targets ---------------------------------------------------- */

static void
on_part_url (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (source);
  g_autoptr(GTask) task = user_data;
  guint part_number = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  gint64 expires_at = 0;
  GError *error = NULL;

  body = api_call_finish (self, result, NULL, &error);
  if (body == NULL ||
      !_sendoff_wetransfer_v1_parse_part_url (body, part_number, &url, &expires_at, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, sendoff_part_target_new (url, expires_at),
                         (GDestroyNotify) sendoff_part_target_free);
}

static void
sendoff_wetransfer_v1_get_part_target_async (SendoffProvider     *provider,
                                             SendoffItem         *item,
                                             guint                part_number,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *file_id = NULL;
  g_autofree char *upload_id = NULL;
  g_autofree char *path = NULL;

  g_task_set_source_tag (task, sendoff_wetransfer_v1_get_part_target_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (part_number), NULL);

  if (get_upload_id (item) == NULL)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("“%s” was not added to the transfer"),
                               sendoff_item_get_name (item));
      return;
    }

  file_id = escape_segment (_sendoff_item_get_remote_id (item));
  upload_id = escape_segment (get_upload_id (item));
  path = g_strdup_printf ("/v1/files/%s/uploads/%u/%s", file_id, part_number, upload_id);

  api_call_async (self, "GET", path, NULL, _("Asking for an upload address"), cancellable,
                  on_part_url, g_steal_pointer (&task));
}

static SendoffPartTarget *
sendoff_wetransfer_v1_get_part_target_finish (SendoffProvider  *provider,
                                              GAsyncResult     *result,
                                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- finishing ------------------------------------------------------- */

static void
on_item_completed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  /* The answer's content is not needed: a success status is the fact */
  body = api_call_finish (SENDOFF_WETRANSFER_V1 (source), result, NULL, &error);
  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
sendoff_wetransfer_v1_finish_item_async (SendoffProvider     *provider,
                                         SendoffTransfer     *transfer,
                                         SendoffItem         *item,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *file_id = NULL;
  g_autofree char *path = NULL;

  g_task_set_source_tag (task, sendoff_wetransfer_v1_finish_item_async);

  if (!_sendoff_item_is_registered (item))
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("“%s” was not added to the transfer"),
                               sendoff_item_get_name (item));
      return;
    }

  file_id = escape_segment (_sendoff_item_get_remote_id (item));
  path = g_strdup_printf ("/v1/files/%s/uploads/complete", file_id);

  api_call_async (self, "POST", path, NULL, _("Completing the file"), cancellable,
                  on_item_completed, g_steal_pointer (&task));
}

static void
sendoff_wetransfer_v1_finish_transfer_async (SendoffProvider     *provider,
                                             SendoffTransfer     *transfer,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  const char *url = get_share_url (transfer);

  g_task_set_source_tag (task, sendoff_wetransfer_v1_finish_transfer_async);

  if (url == NULL)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("The service gave no share link for the transfer"));
      return;
    }

  /* v1 has no "finish transfer" call: a transfer whose files are all
   * complete is ready, and its shortened_url is the link to share. */
  _sendoff_transfer_set_share_url (transfer, url);
  _sendoff_transfer_set_result (transfer, url);
  g_task_return_boolean (task, TRUE);
}

/* ---- configuration check --------------------------------------------- */

static gboolean
sendoff_wetransfer_v1_has_secret (SendoffProvider *provider,
                                  const char      *key)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (provider);

  return g_strcmp0 (key, "api-key") == 0 && self->api_key != NULL && *self->api_key != '\0';
}

static void
on_check_authorized (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (sendoff_provider_authorize_finish (SENDOFF_PROVIDER (self), result, &error))
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH))
    g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_AUTH,
                             _("The server refused the API key: set the right one"));
  else if (error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED)
    g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK,
                             _("Nothing answers at %s: check the API URL (%s)"),
                             self->api_url, error->message);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* One request: POST /v1/authorize tells whether the URL and key work */
static void
sendoff_wetransfer_v1_check_async (SendoffProvider     *provider,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, sendoff_wetransfer_v1_check_async);
  if (!sendoff_provider_check_configuration (provider, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  sendoff_wetransfer_v1_authorize_async (provider, cancellable, on_check_authorized,
                                         g_steal_pointer (&task));
}

/* ---- journal --------------------------------------------------------- */

static char *
sendoff_wetransfer_v1_save_state (SendoffProvider *provider,
                                  SendoffTransfer *transfer,
                                  SendoffItem     *item)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  const char *value = item != NULL ? get_upload_id (item) : get_share_url (transfer);

  if (value == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, item != NULL ? "upload_id" : "shortened_url");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static gboolean
sendoff_wetransfer_v1_restore_state (SendoffProvider  *provider,
                                     SendoffTransfer  *transfer,
                                     SendoffItem      *item,
                                     const char       *json,
                                     GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(JsonNode) root = sendoff_json_parse_object (bytes, _("The saved state"), error);
  const char *name = item != NULL ? "upload_id" : "shortened_url";
  const char *value;

  if (root == NULL)
    return FALSE;

  value = sendoff_json_get_string (json_node_get_object (root), name, 4096);
  if (value == NULL || (item != NULL && !sendoff_header_token_safe (value)))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("The saved state has no valid “%s”"), name);
      return FALSE;
    }

  if (item != NULL)
    set_item_state (item, value);
  else
    set_share_url (transfer, value);
  return TRUE;
}

static void
provider_iface_init (SendoffProviderInterface *iface)
{
  iface->info = &wetransfer_v1_info;
  iface->has_secret = sendoff_wetransfer_v1_has_secret;
  iface->check_async = sendoff_wetransfer_v1_check_async;
  iface->check_finish = boolean_finish;
  iface->save_state = sendoff_wetransfer_v1_save_state;
  iface->restore_state = sendoff_wetransfer_v1_restore_state;
  iface->authorize_async = sendoff_wetransfer_v1_authorize_async;
  iface->authorize_finish = boolean_finish;
  iface->begin_transfer_async = sendoff_wetransfer_v1_begin_transfer_async;
  iface->begin_transfer_finish = boolean_finish;
  iface->register_items_async = sendoff_wetransfer_v1_register_items_async;
  iface->register_items_finish = boolean_finish;
  iface->get_part_target_async = sendoff_wetransfer_v1_get_part_target_async;
  iface->get_part_target_finish = sendoff_wetransfer_v1_get_part_target_finish;
  iface->finish_item_async = sendoff_wetransfer_v1_finish_item_async;
  iface->finish_item_finish = boolean_finish;
  iface->finish_transfer_async = sendoff_wetransfer_v1_finish_transfer_async;
  iface->finish_transfer_finish = boolean_finish;
}

/* ---- GObject --------------------------------------------------------- */

static void
sendoff_wetransfer_v1_finalize (GObject *object)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (object);

  g_clear_pointer (&self->api_url, g_free);
  sendoff_secret_clear (&self->api_key);
  sendoff_secret_clear (&self->token);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sendoff_wetransfer_v1_parent_class)->finalize (object);
}

static void
sendoff_wetransfer_v1_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (object);

  switch (prop_id)
    {
    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;
    case PROP_CHUNK_SIZE:
      g_value_set_uint64 (value, self->chunk_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_wetransfer_v1_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SendoffWetransferV1 *self = SENDOFF_WETRANSFER_V1 (object);
  g_autofree char *url = NULL;

  switch (prop_id)
    {
    case PROP_API_URL:
      url = sendoff_api_url_normalize (g_value_get_string (value));
      if (g_strcmp0 (url, self->api_url) != 0)
        {
          g_free (self->api_url);
          self->api_url = g_steal_pointer (&url);
          /* a new server does not know the old token */
          sendoff_secret_clear (&self->token);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_API_KEY:
      sendoff_secret_replace (&self->api_key, g_value_get_string (value), FALSE);
      sendoff_secret_clear (&self->token);
      break;
    case PROP_CHUNK_SIZE:
      if (self->chunk_size != g_value_get_uint64 (value))
        {
          self->chunk_size = g_value_get_uint64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_wetransfer_v1_class_init (SendoffWetransferV1Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sendoff_wetransfer_v1_finalize;
  object_class->get_property = sendoff_wetransfer_v1_get_property;
  object_class->set_property = sendoff_wetransfer_v1_set_property;

  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* write-only: a secret is never read back */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHUNK_SIZE] =
    g_param_spec_uint64 ("chunk-size", NULL, NULL,
                         1, G_MAXINT64, SENDOFF_WETRANSFER_V1_CHUNK_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sendoff_wetransfer_v1_init (SendoffWetransferV1 *self)
{
  self->chunk_size = SENDOFF_WETRANSFER_V1_CHUNK_SIZE;
  self->session = sendoff_http_session_new (API_CONNECTIONS);
}

SendoffWetransferV1 *
sendoff_wetransfer_v1_new (const char *api_url,
                           const char *api_key)
{
  g_return_val_if_fail (api_url != NULL, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);

  return g_object_new (SENDOFF_TYPE_WETRANSFER_V1,
                       "api-url", api_url,
                       "api-key", api_key,
                       NULL);
}
