/* sendoff-wetransfer-v1.c — the WeTransfer public API v1 as a SendoffProvider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-wetransfer-v1"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-http.h"
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
#define SHARE_URL_KEY       "sendoff-wetransfer-v1-shortened-url"

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

static void
wipe_and_free (char **secret)
{
  if (*secret != NULL)
    {
      volatile char *p = *secret;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (secret, g_free);
    }
}

/* ---- one API call ---------------------------------------------------- */

typedef struct {
  SoupMessage *msg;
  char        *what;
} CallData;

static void
call_data_free (CallData *data)
{
  g_clear_object (&data->msg);
  g_free (data->what);
  g_free (data);
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status;

  body = sendoff_http_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = soup_message_get_status (data->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || sendoff_http_body_is_s3_error (body))
    {
      g_task_return_error (task, sendoff_http_error_new (data->msg, body, data->what));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

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
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->api_url, path, NULL);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;
  CallData *data;
  SoupMessage *msg;

  g_task_set_source_tag (task, api_call_async);

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("%s: the API base URL is not valid"), what);
      return;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "x-api-key", self->api_key);
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

  data = g_new0 (CallData, 1);
  data->msg = msg;
  data->what = g_strdup (what);
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  sendoff_http_send_and_read_async (self->session, msg, MAX_ANSWER_BYTES, what, cancellable,
                                    on_call_done, g_steal_pointer (&task));
}

static GBytes *
api_call_finish (SendoffWetransferV1  *self,
                 GAsyncResult         *result,
                 guint                *status,
                 GError              **error)
{
  CallData *data = g_task_get_task_data (G_TASK (result));

  if (status != NULL)
    *status = data->msg ? soup_message_get_status (data->msg) : 0;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* ---- authorize ------------------------------------------------------- */

static const SendoffOptionSpec wetransfer_options[] = {
  { .key = "api-url", .type = SENDOFF_OPTION_URL, .label = N_("Server Address"),
    .description = N_("The address of a server that speaks the WeTransfer public API v1"),
    .env = "SENDOFF_API_URL", .placeholder = "https://transfer.example.com" },
  { NULL }
};

static const SendoffSecretSpec wetransfer_secrets[] = {
  { .key = "api-key", .label = N_("API Key"), .env = "SENDOFF_API_KEY" },
  { NULL }
};

static const SendoffBackendInfo wetransfer_info = {
  .id = "wetransfer-v1",
  .display_name = N_("WeTransfer-Compatible Server"),
  .description = N_("A server speaking the WeTransfer public API v1, such as sendoff-sandbox"),
  .icon_name = "network-server-symbolic",
  .options = wetransfer_options,
  .secrets = wetransfer_secrets,
};

static const char *
sendoff_wetransfer_v1_get_id (SendoffProvider *provider)
{
  return wetransfer_info.id;
}

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

  wipe_and_free (&self->token);
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

  /* The key goes into a header: refuse what would break the request */
  for (const char *p = self->api_key; *p != '\0'; p++)
    if ((guchar) *p < ' ' || *p == 0x7f)
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
  g_object_set_data_full (G_OBJECT (transfer), SHARE_URL_KEY, g_steal_pointer (&url), g_free);
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

      _sendoff_item_set_remote (match_item (data, answer, i), answer->id, answer->upload_id,
                                answer->n_parts, self->chunk_size);
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

  if (!_sendoff_item_is_registered (item) || _sendoff_item_get_upload_id (item) == NULL)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("“%s” was not added to the transfer"),
                               sendoff_item_get_name (item));
      return;
    }

  file_id = escape_segment (_sendoff_item_get_remote_id (item));
  upload_id = escape_segment (_sendoff_item_get_upload_id (item));
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
  const char *url = g_object_get_data (G_OBJECT (transfer), SHARE_URL_KEY);

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

static void
provider_iface_init (SendoffProviderInterface *iface)
{
  iface->info = &wetransfer_info;
  iface->get_id = sendoff_wetransfer_v1_get_id;
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
  wipe_and_free (&self->api_key);
  wipe_and_free (&self->token);
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
  const char *url;
  gsize len;

  switch (prop_id)
    {
    case PROP_API_URL:
      url = g_value_get_string (value);
      url = url ? url : "";
      len = strlen (url);
      while (len > 0 && url[len - 1] == '/')
        len--;
      g_free (self->api_url);
      self->api_url = g_strndup (url, len);
      break;
    case PROP_API_KEY:
      g_free (self->api_key);
      self->api_key = g_value_dup_string (value);
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
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
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
