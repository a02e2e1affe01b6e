/* sendoff-wunderlist.c — the Wunderlist upload API as a SendoffProvider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-wunderlist"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-wunderlist.h"

#include "sendoff-http.h"
#include "sendoff-http-provider.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-types.h"
#include "sendoff-wunderlist-parse.h"

#define API_MAX_ANSWER       (256 * 1024)
#define API_CONNECTIONS      4
#define REGISTER_IN_FLIGHT   4
/* A cached part 1 closer than this to its expiry is fetched again */
#define EXPIRY_MARGIN_SEC    30
#define RESULT_MAX_NAMES     20

struct _SendoffWunderlist
{
  GObject      parent_instance;

  SoupSession *session;
  char        *api_url;
  char        *access_token;
  char        *client_id;
  guint64      task_id;
};

/* What the provider remembers of an item's upload */
typedef struct {
  SendoffItem       *item;        /* not a reference: the item owns this */
  gulong             state_id;
  guint64            upload_id;
  SendoffPartTarget *first_part;  /* came with the upload, handed out once */
  gboolean           failed;      /* the item failed: abandon the upload */
  gboolean           finished;    /* PATCH state=finished succeeded */
  guint64            file_id;     /* the File in the task, 0 until created */
} ItemData;

static void
item_data_free (ItemData *data)
{
  if (g_signal_handler_is_connected (data->item, data->state_id))
    g_signal_handler_disconnect (data->item, data->state_id);
  g_clear_pointer (&data->first_part, sendoff_part_target_free);
  g_free (data);
}

static void
on_item_state (SendoffItem *item,
               GParamSpec  *pspec,
               ItemData    *data)
{
  /* Noted now, acted on at the next send: the engine may still hold the
   * item's parts while it stops. */
  if (sendoff_item_get_state (item) == SENDOFF_STATE_FAILED)
    data->failed = TRUE;
}

/* The one place an item's upload state is created (registered, or restored) */
static ItemData *
item_data_attach (SendoffItem *item,
                  guint64      upload_id)
{
  ItemData *data = g_new0 (ItemData, 1);

  data->item = item;
  data->upload_id = upload_id;
  _sendoff_item_set_provider_data (item, data, (GDestroyNotify) item_data_free);
  data->state_id = g_signal_connect (item, "notify::state", G_CALLBACK (on_item_state), data);

  return data;
}

static void sendoff_wunderlist_provider_init (SendoffProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SendoffWunderlist, sendoff_wunderlist, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SENDOFF_TYPE_PROVIDER,
                                                      sendoff_wunderlist_provider_init))

enum {
  PROP_0,
  PROP_API_URL,
  PROP_TASK_ID,
  PROP_ACCESS_TOKEN,
  PROP_CLIENT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SendoffOptionSpec wunderlist_options[] = {
  { .key = "api-url", .type = SENDOFF_OPTION_URL,
    .label = N_("API URL"),
    .description = N_("The address of a server that speaks the Wunderlist API"),
    .env = "SENDOFF_API_URL", .placeholder = "https://a.wunderlist.example.com" },
  { .key = "task-id", .type = SENDOFF_OPTION_UINT,
    .label = N_("Task"),
    .description = N_("The Wunderlist task that sent files are attached to"),
    .min = 1, .max = G_MAXINT64 },
  { NULL }
};

static const SendoffSecretSpec wunderlist_secrets[] = {
  { .key = "access-token", .label = N_("Access Token"), .env = "SENDOFF_ACCESS_TOKEN" },
  { .key = "client-id", .label = N_("Client ID"), .env = "SENDOFF_CLIENT_ID" },
  { NULL }
};

static const SendoffBackendInfo wunderlist_info = {
  .id = "wunderlist",
  .display_name = N_("Wunderlist"),
  .description = N_("A server that speaks the Wunderlist API; files are attached to a task"),
  .icon_name = "checkbox-checked-symbolic",
  .options = wunderlist_options,
  .secrets = wunderlist_secrets,
};

/* ---- API requests --------------------------------------------------------- */

static SoupMessage *
api_message_new (SendoffWunderlist  *self,
                 const char         *method,
                 const char         *path,
                 JsonBuilder        *body,
                 const char         *what,
                 GError            **error)
{
  g_autofree char *url = g_strconcat (self->api_url ? self->api_url : "", path, NULL);
  g_autoptr(GUri) uri = self->api_url ? g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  SoupMessageHeaders *headers;
  SoupMessage *msg;

  if (uri == NULL)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("%s failed: the API base URL is not a valid web address"), what);
      return NULL;
    }

  /* Credentials go into headers: a pasted line break would end one early */
  if (!sendoff_header_token_safe (self->access_token) ||
      !sendoff_header_token_safe (self->client_id))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH,
                   _("The Wunderlist access token or client id contains spaces or "
                     "characters that cannot be sent"));
      return NULL;
    }

  msg = soup_message_new_from_uri (method, uri);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "X-Access-Token", self->access_token);
  soup_message_headers_replace (headers, "X-Client-ID", self->client_id);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = sendoff_json_builder_to_bytes (body);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  return msg;
}

/* The server's answer to an error, with Wunderlist's {"errors": ["field",
 * "message"]} read for its message rather than for the field's name. */
static GError *
api_error_new (SoupMessage *msg,
               GBytes      *body,
               const char  *what)
{
  GError *error = sendoff_http_error_new (msg, body, what);
  guint status = soup_message_get_status (msg);
  g_autofree char *text = NULL;

  if ((status < 300 || status >= 400) && (text = _sendoff_wunderlist_parse_error (body)))
    {
      g_free (error->message);
      error->message = g_strdup_printf (_("%s failed: %s (HTTP %u)"), what, text, status);
    }

  return error;
}

/* Sends @msg (taking it) and returns the body of a 2xx answer; anything
 * else is an error naming @what. */
static void
api_call_async (SendoffWunderlist   *self,
                SoupMessage         *msg,
                const char          *what,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  sendoff_api_call_async (self, self->session, msg, API_MAX_ANSWER, what, FALSE, api_error_new,
                          cancellable, callback, user_data);
}

static GBytes *
api_call_finish (SendoffWunderlist  *self,
                 GAsyncResult       *result,
                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return sendoff_api_call_finish (result, NULL, error);
}

static SendoffPartTarget *
part_target_new (SendoffWunderlistUpload *upload)
{
  SendoffPartTarget *target = sendoff_part_target_new (upload->part_url, upload->expires_at);

  target->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (target->headers, "Authorization", upload->part_authorization);
  soup_message_headers_append (target->headers, "x-amz-date", upload->part_date);
  /* S3 signed the request with an empty Content-Type */
  target->empty_content_type = TRUE;

  return target;
}

static ItemData *
get_item_data (SendoffItem  *item,
               GError      **error)
{
  ItemData *data = _sendoff_item_is_registered (item) ? _sendoff_item_get_provider_data (item)
                                                       : NULL;

  if (data == NULL)
    g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                 _("“%s” has no upload on the server"), sendoff_item_get_name (item));

  return data;
}

/* The seed's failure rule: an upload that failed is left behind (the
 * service collects it) and the next send creates a new one. An upload
 * already marked finished did not fail: only its File is still missing. */
static void
abandon_failed_uploads (SendoffTransfer *transfer)
{
  GListModel *items = sendoff_transfer_get_items (transfer);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      ItemData *data = _sendoff_item_get_provider_data (item);

      if (data == NULL || !data->failed || data->finished || _sendoff_item_is_completed (item))
        continue;

      g_debug ("abandoning failed upload %" G_GUINT64_FORMAT, data->upload_id);
      _sendoff_item_clear_remote (item);
    }
}

/* ---- authorize, begin transfer -------------------------------------------- */

static void
sendoff_wunderlist_authorize_async (SendoffProvider     *provider,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  /* The token and client id go on every call: there is no session to open */
  g_task_set_source_tag (task, sendoff_wunderlist_authorize_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
sendoff_wunderlist_boolean_finish (SendoffProvider  *provider,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sendoff_wunderlist_begin_transfer_async (SendoffProvider     *provider,
                                         SendoffTransfer     *transfer,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, sendoff_wunderlist_begin_transfer_async);

  /* Checked before any upload is created: a file needs a task to land in */
  if (self->task_id == 0)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("No Wunderlist task is chosen to add the files to"));
      return;
    }

  /* Called at the start of every send, before items are registered */
  abandon_failed_uploads (transfer);
  g_task_return_boolean (task, TRUE);
}

/* ---- register items: one upload per file --------------------------------- */

typedef struct {
  GPtrArray *items;
  guint      next;
  guint      in_flight;
  GError    *error;
} RegisterData;

static void
register_data_free (RegisterData *data)
{
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

typedef struct {
  GTask       *task;   /* the register_items task, owned */
  SendoffItem *item;
  guint64      part_size;
  guint        n_parts;
} RegisterOne;

static void register_next (GTask *task);

static char *
dup_mime_type (SendoffItem *item)
{
  const char *content_type = sendoff_item_get_content_type (item);
  g_autofree char *mime = NULL;

  if (content_type != NULL)
    mime = g_content_type_get_mime_type (content_type);
  if (mime == NULL || strchr (mime, '/') == NULL)
    return g_strdup ("application/octet-stream");

  return g_steal_pointer (&mime);
}

static void
register_fail (GTask  *task,
               GError *error)
{
  RegisterData *data = g_task_get_task_data (task);

  if (data->error == NULL)
    data->error = error;
  else
    g_error_free (error);
}

static void
on_upload_created (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (source);
  RegisterOne *one = user_data;
  g_autoptr(GTask) task = one->task;
  g_autoptr(SendoffItem) item = one->item;
  RegisterData *data = g_task_get_task_data (task);
  g_autoptr(SendoffWunderlistUpload) upload = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *what = NULL;
  g_autofree char *remote_id = NULL;
  GError *error = NULL;
  ItemData *item_data;

  data->in_flight--;
  what = g_strdup_printf (_("Creating the upload of “%s”"), sendoff_item_get_name (item));

  if ((body = api_call_finish (self, result, &error)) == NULL ||
      (upload = _sendoff_wunderlist_parse_upload (body, what, TRUE, &error)) == NULL)
    {
      register_fail (task, error);
      g_free (one);
      register_next (g_steal_pointer (&task));
      return;
    }

  remote_id = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->id);
  _sendoff_item_set_remote (item, remote_id, one->n_parts, one->part_size);
  item_data = item_data_attach (item, upload->id);
  item_data->first_part = part_target_new (upload);
  g_debug ("upload %s: %u parts of %" G_GUINT64_FORMAT " bytes",
           remote_id, one->n_parts, one->part_size);

  g_free (one);
  register_next (g_steal_pointer (&task));
}

static gboolean
register_start (GTask        *task,
                SendoffItem  *item,
                GError      **error)
{
  SendoffWunderlist *self = g_task_get_source_object (task);
  RegisterData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *mime = dup_mime_type (item);
  g_autofree char *what = NULL;
  RegisterOne *one;
  SoupMessage *msg;
  guint64 part_size;
  guint n_parts;

  if (!_sendoff_wunderlist_plan_parts (sendoff_item_get_name (item), sendoff_item_get_size (item),
                                       &part_size, &n_parts, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content_type");
  json_builder_add_string_value (builder, mime);
  json_builder_set_member_name (builder, "file_name");
  json_builder_add_string_value (builder, sendoff_item_get_name (item));
  json_builder_set_member_name (builder, "file_size");
  json_builder_add_int_value (builder, (gint64) sendoff_item_get_size (item));
  json_builder_end_object (builder);

  what = g_strdup_printf (_("Creating the upload of “%s”"), sendoff_item_get_name (item));
  msg = api_message_new (self, "POST", "/api/v1/uploads", builder, what, error);
  if (msg == NULL)
    return FALSE;

  one = g_new0 (RegisterOne, 1);
  one->task = g_object_ref (task);
  one->item = g_object_ref (item);
  one->part_size = part_size;
  one->n_parts = n_parts;
  data->in_flight++;
  api_call_async (self, msg, what, g_task_get_cancellable (task), on_upload_created, one);

  return TRUE;
}

static void
register_next (GTask *task)
{
  RegisterData *data = g_task_get_task_data (task);

  while (data->error == NULL && data->in_flight < REGISTER_IN_FLIGHT &&
         data->next < data->items->len)
    {
      SendoffItem *item = g_ptr_array_index (data->items, data->next++);
      GError *error = NULL;

      if (!register_start (task, item, &error))
        register_fail (task, error);
    }

  if (data->in_flight > 0)
    {
      g_object_unref (task);
      return;
    }

  /* Items created before an error keep their upload: a retry skips them */
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
sendoff_wunderlist_register_items_async (SendoffProvider     *provider,
                                         SendoffTransfer     *transfer,
                                         GPtrArray           *items,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  RegisterData *data = g_new0 (RegisterData, 1);

  g_task_set_source_tag (task, sendoff_wunderlist_register_items_async);
  data->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (data->items, g_object_ref (g_ptr_array_index (items, i)));
  g_task_set_task_data (task, data, (GDestroyNotify) register_data_free);

  register_next (g_steal_pointer (&task));
}

/* ---- part targets ---------------------------------------------------------- */

typedef struct {
  SendoffItem *item;
  guint        part_number;
  guint64      upload_id;
} PartData;

static void
part_data_free (PartData *data)
{
  g_clear_object (&data->item);
  g_free (data);
}

static void
on_part_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (source);
  g_autoptr(GTask) task = user_data;
  PartData *data = g_task_get_task_data (task);
  g_autoptr(SendoffWunderlistUpload) upload = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *what = NULL;
  GError *error = NULL;

  what = g_strdup_printf (_("Asking for part %u of “%s”"), data->part_number,
                          sendoff_item_get_name (data->item));

  if ((body = api_call_finish (self, result, &error)) == NULL ||
      (upload = _sendoff_wunderlist_parse_upload (body, what, TRUE, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (upload->id != data->upload_id)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("%s: the server’s answer has no valid “%s”"), what, "id");
      return;
    }

  g_task_return_pointer (task, part_target_new (upload),
                         (GDestroyNotify) sendoff_part_target_free);
}

static void
sendoff_wunderlist_get_part_target_async (SendoffProvider     *provider,
                                          SendoffItem         *item,
                                          guint                part_number,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  g_autofree char *path = NULL;
  g_autofree char *what = NULL;
  GError *error = NULL;
  SoupMessage *msg;
  ItemData *item_data;
  PartData *data;

  g_task_set_source_tag (task, sendoff_wunderlist_get_part_target_async);

  if ((item_data = get_item_data (item, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (part_number > _sendoff_item_get_n_parts (item))
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("“%s” has no part %u"), sendoff_item_get_name (item),
                               part_number);
      return;
    }

  /* Part 1 came with the upload: use it once, while it is fresh */
  if (part_number == 1 && item_data->first_part != NULL)
    {
      g_autoptr(SendoffPartTarget) first = g_steal_pointer (&item_data->first_part);

      if (first->expires_at == 0 ||
          first->expires_at > g_get_real_time () / G_USEC_PER_SEC + EXPIRY_MARGIN_SEC)
        {
          g_task_return_pointer (task, g_steal_pointer (&first),
                                 (GDestroyNotify) sendoff_part_target_free);
          return;
        }
    }

  data = g_new0 (PartData, 1);
  data->item = g_object_ref (item);
  data->part_number = part_number;
  data->upload_id = item_data->upload_id;
  g_task_set_task_data (task, data, (GDestroyNotify) part_data_free);

  path = g_strdup_printf ("/api/v1/uploads/%" G_GUINT64_FORMAT "/parts?part_number=%u",
                          item_data->upload_id, part_number);
  what = g_strdup_printf (_("Asking for part %u of “%s”"), part_number,
                          sendoff_item_get_name (item));
  if ((msg = api_message_new (self, "GET", path, NULL, what, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  api_call_async (self, msg, what, cancellable, on_part_fetched, g_steal_pointer (&task));
}

static SendoffPartTarget *
sendoff_wunderlist_get_part_target_finish (SendoffProvider  *provider,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- finish item: mark the upload finished, then create the File ---------- */

static void finish_item_step (GTask *task);

static void
on_file_created (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (source);
  g_autoptr(GTask) task = user_data;
  SendoffItem *item = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  ItemData *item_data;
  guint64 file_id = 0;

  if ((body = api_call_finish (self, result, &error)) == NULL ||
      (item_data = get_item_data (item, &error)) == NULL ||
      !_sendoff_wunderlist_parse_file (body, item_data->upload_id, &file_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  item_data->file_id = file_id;
  g_task_return_boolean (task, TRUE);
}

static void
on_upload_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (source);
  g_autoptr(GTask) task = user_data;
  SendoffItem *item = g_task_get_task_data (task);
  g_autoptr(SendoffWunderlistUpload) upload = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *what = NULL;
  GError *error = NULL;
  ItemData *item_data;

  what = g_strdup_printf (_("Finishing the upload of “%s”"), sendoff_item_get_name (item));

  if ((body = api_call_finish (self, result, &error)) == NULL ||
      (upload = _sendoff_wunderlist_parse_upload (body, what, FALSE, &error)) == NULL ||
      (item_data = get_item_data (item, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (upload->id != item_data->upload_id ||
      (upload->state != NULL && !g_str_equal (upload->state, "finished")))
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("%s: the server’s answer has no valid “%s”"), what,
                               upload->id != item_data->upload_id ? "id" : "state");
      return;
    }

  item_data->finished = TRUE;
  finish_item_step (g_steal_pointer (&task));
}

/* Each call does what is left: a retry after the PATCH succeeded only
 * creates the File, so the upload is never finished twice. */
static void
finish_item_step (GTask *task)
{
  SendoffWunderlist *self = g_task_get_source_object (task);
  SendoffItem *item = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *path = NULL;
  g_autofree char *what = NULL;
  GError *error = NULL;
  ItemData *item_data;
  SoupMessage *msg;

  if ((item_data = get_item_data (item, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (item_data->file_id != 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  json_builder_begin_object (builder);
  if (!item_data->finished)
    {
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, "finished");
      path = g_strdup_printf ("/api/v1/uploads/%" G_GUINT64_FORMAT, item_data->upload_id);
      what = g_strdup_printf (_("Finishing the upload of “%s”"), sendoff_item_get_name (item));
    }
  else
    {
      json_builder_set_member_name (builder, "upload_id");
      json_builder_add_int_value (builder, (gint64) item_data->upload_id);
      json_builder_set_member_name (builder, "task_id");
      json_builder_add_int_value (builder, (gint64) self->task_id);
      path = g_strdup ("/api/v1/files");
      what = g_strdup_printf (_("Adding “%s” to the task"), sendoff_item_get_name (item));
    }
  json_builder_end_object (builder);

  msg = api_message_new (self, item_data->finished ? "POST" : "PATCH", path, builder, what,
                         &error);
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  api_call_async (self, msg, what, g_task_get_cancellable (task),
                  item_data->finished ? on_file_created : on_upload_finished, task);
}

static void
sendoff_wunderlist_finish_item_async (SendoffProvider     *provider,
                                      SendoffTransfer     *transfer,
                                      SendoffItem         *item,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, sendoff_wunderlist_finish_item_async);
  g_task_set_task_data (task, g_object_ref (item), g_object_unref);

  if (self->task_id == 0)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("No Wunderlist task is chosen to add the files to"));
      return;
    }

  finish_item_step (g_steal_pointer (&task));
}

/* ---- finish transfer: say what was created --------------------------------- */

static void
sendoff_wunderlist_finish_transfer_async (SendoffProvider     *provider,
                                          SendoffTransfer     *transfer,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  GListModel *items = sendoff_transfer_get_items (transfer);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *task_text = NULL;
  g_autofree char *text = NULL;
  guint n_items = g_list_model_get_n_items (items);
  guint n_files = 0;

  g_task_set_source_tag (task, sendoff_wunderlist_finish_transfer_async);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      ItemData *item_data = _sendoff_item_get_provider_data (item);

      if (item_data == NULL || item_data->file_id == 0)
        continue;

      if (++n_files > RESULT_MAX_NAMES)
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append_printf (list, "#%" G_GUINT64_FORMAT " %s", item_data->file_id,
                              sendoff_item_get_name (item));
    }

  if (n_files == 0)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("No file was added to the Wunderlist task"));
      return;
    }

  if (n_files > RESULT_MAX_NAMES)
    g_string_append (list, ", …");

  task_text = g_strdup_printf ("%" G_GUINT64_FORMAT, self->task_id);
  /* Translators: "Created 2 files in task 42: #7 report.pdf, #8 photo.jpg" */
  text = g_strdup_printf (ngettext ("Created %u file in task %s: %s",
                                    "Created %u files in task %s: %s", n_files),
                          n_files, task_text, list->str);

  _sendoff_transfer_set_share_url (transfer, NULL);
  _sendoff_transfer_set_result (transfer, text);
  g_task_return_boolean (task, TRUE);
}

/* ---- reset: the seed's failure rule ------------------------------------------ */

static void
sendoff_wunderlist_reset_item (SendoffProvider *provider,
                               SendoffItem     *item)
{
  /* A failed upload is left behind (the service collects it); the next
   * send creates a new one. */
  if (_sendoff_item_is_registered (item))
    g_debug ("abandoning upload %s", _sendoff_item_get_remote_id (item));
  _sendoff_item_clear_remote (item);
}

/* ---- configuration, limits ------------------------------------------------- */

static gboolean
sendoff_wunderlist_has_secret (SendoffProvider *provider,
                               const char      *key)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (provider);

  if (g_strcmp0 (key, "access-token") == 0)
    return self->access_token != NULL && *self->access_token != '\0';
  if (g_strcmp0 (key, "client-id") == 0)
    return self->client_id != NULL && *self->client_id != '\0';
  return FALSE;
}

static void
on_check_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  body = sendoff_api_call_finish (result, &status, &error);
  /* Upload 0 never exists: 404 means the credentials were accepted */
  if (body != NULL || status == SOUP_STATUS_NOT_FOUND)
    g_task_return_boolean (task, TRUE);
  else if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_AUTH,
                             _("The server refused the access token or the client ID: "
                               "set the right ones"));
  else if (status == 0 && error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED)
    g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK,
                             _("Nothing answers at %s: check the API URL (%s)"),
                             self->api_url, error->message);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* The seed API has no "who am I": asking for a part of an upload that
 * cannot exist is authenticated and cheap. */
static void
sendoff_wunderlist_check_async (SendoffProvider     *provider,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  const char *what = _("Checking the Wunderlist account");
  GError *error = NULL;
  SoupMessage *msg;

  g_task_set_source_tag (task, sendoff_wunderlist_check_async);
  if (!sendoff_provider_check_configuration (provider, &error) ||
      (msg = api_message_new (self, "GET", "/api/v1/uploads/0/parts?part_number=1", NULL,
                              what, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  api_call_async (self, msg, what, cancellable, on_check_answer, g_steal_pointer (&task));
}

/* Nothing is created when a file cannot fit S3's 10,000 parts */
static gboolean
sendoff_wunderlist_check_limits (SendoffProvider  *provider,
                                 SendoffTransfer  *transfer,
                                 GError          **error)
{
  GListModel *items = sendoff_transfer_get_items (transfer);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      guint64 part_size;
      guint n_parts;

      if (!_sendoff_wunderlist_plan_parts (sendoff_item_get_name (item),
                                           sendoff_item_get_size (item),
                                           &part_size, &n_parts, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- journal ------------------------------------------------------------------ */

static char *
sendoff_wunderlist_save_state (SendoffProvider *provider,
                               SendoffTransfer *transfer,
                               SendoffItem     *item)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  ItemData *data;

  if (item == NULL || (data = get_item_data (item, NULL)) == NULL)
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "upload_id");
  json_builder_add_int_value (builder, (gint64) data->upload_id);
  json_builder_set_member_name (builder, "finished");
  json_builder_add_boolean_value (builder, data->finished);
  json_builder_set_member_name (builder, "file_id");
  json_builder_add_int_value (builder, (gint64) data->file_id);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_boolean_value (builder, data->failed);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static gboolean
get_saved_id (JsonObject *object,
              const char *name,
              guint64    *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return FALSE;
  *value = (guint64) json_node_get_int (node);
  return TRUE;
}

static gboolean
sendoff_wunderlist_restore_state (SendoffProvider  *provider,
                                  SendoffTransfer  *transfer,
                                  SendoffItem      *item,
                                  const char       *json,
                                  GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  ItemData *data;
  guint64 upload_id, file_id;

  if (item == NULL)
    return TRUE;   /* nothing is kept per transfer */

  if ((root = sendoff_json_parse_object (bytes, _("The saved state"), error)) == NULL)
    return FALSE;
  object = json_node_get_object (root);
  if (!get_saved_id (object, "upload_id", &upload_id) || upload_id == 0 ||
      !get_saved_id (object, "file_id", &file_id))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("The saved state has no valid “%s”"), "upload_id");
      return FALSE;
    }

  data = item_data_attach (item, upload_id);
  data->file_id = file_id;
  data->finished = json_object_get_boolean_member_with_default (object, "finished", FALSE);
  data->failed = json_object_get_boolean_member_with_default (object, "failed", FALSE);
  return TRUE;
}

static void
sendoff_wunderlist_provider_init (SendoffProviderInterface *iface)
{
  iface->info = &wunderlist_info;
  iface->has_secret = sendoff_wunderlist_has_secret;
  iface->check_async = sendoff_wunderlist_check_async;
  iface->check_finish = sendoff_wunderlist_boolean_finish;
  iface->check_limits = sendoff_wunderlist_check_limits;
  iface->save_state = sendoff_wunderlist_save_state;
  iface->restore_state = sendoff_wunderlist_restore_state;
  iface->authorize_async = sendoff_wunderlist_authorize_async;
  iface->authorize_finish = sendoff_wunderlist_boolean_finish;
  iface->begin_transfer_async = sendoff_wunderlist_begin_transfer_async;
  iface->begin_transfer_finish = sendoff_wunderlist_boolean_finish;
  iface->register_items_async = sendoff_wunderlist_register_items_async;
  iface->register_items_finish = sendoff_wunderlist_boolean_finish;
  iface->get_part_target_async = sendoff_wunderlist_get_part_target_async;
  iface->get_part_target_finish = sendoff_wunderlist_get_part_target_finish;
  iface->finish_item_async = sendoff_wunderlist_finish_item_async;
  iface->finish_item_finish = sendoff_wunderlist_boolean_finish;
  iface->finish_transfer_async = sendoff_wunderlist_finish_transfer_async;
  iface->finish_transfer_finish = sendoff_wunderlist_boolean_finish;
  iface->reset_item = sendoff_wunderlist_reset_item;
}

/* ---- object ---------------------------------------------------------------- */

static void
sendoff_wunderlist_finalize (GObject *object)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->api_url, g_free);
  sendoff_secret_clear (&self->access_token);
  sendoff_secret_clear (&self->client_id);

  G_OBJECT_CLASS (sendoff_wunderlist_parent_class)->finalize (object);
}

static void
sendoff_wunderlist_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (object);

  switch (prop_id)
    {
    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;
    case PROP_TASK_ID:
      g_value_set_uint64 (value, self->task_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_api_url (SendoffWunderlist *self,
             const char        *api_url)
{
  g_autofree char *url = sendoff_api_url_normalize (api_url);

  if (g_strcmp0 (url, self->api_url) == 0)
    return;

  g_free (self->api_url);
  self->api_url = g_steal_pointer (&url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_URL]);
}

static void
sendoff_wunderlist_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SendoffWunderlist *self = SENDOFF_WUNDERLIST (object);

  switch (prop_id)
    {
    case PROP_API_URL:
      set_api_url (self, g_value_get_string (value));
      break;
    case PROP_TASK_ID:
      sendoff_wunderlist_set_task_id (self, g_value_get_uint64 (value));
      break;
    case PROP_ACCESS_TOKEN:
      /* a pasted secret often brings a line break along */
      sendoff_secret_replace (&self->access_token, g_value_get_string (value), TRUE);
      break;
    case PROP_CLIENT_ID:
      sendoff_secret_replace (&self->client_id, g_value_get_string (value), TRUE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_wunderlist_class_init (SendoffWunderlistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sendoff_wunderlist_finalize;
  object_class->get_property = sendoff_wunderlist_get_property;
  object_class->set_property = sendoff_wunderlist_set_property;

  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TASK_ID] =
    g_param_spec_uint64 ("task-id", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* write-only: secrets are never read back */
  properties[PROP_ACCESS_TOKEN] =
    g_param_spec_string ("access-token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sendoff_wunderlist_init (SendoffWunderlist *self)
{
  self->session = sendoff_http_session_new (API_CONNECTIONS);
}

SendoffWunderlist *
sendoff_wunderlist_new (const char *api_url,
                        const char *access_token,
                        const char *client_id)
{
  SendoffWunderlist *self;

  g_return_val_if_fail (api_url != NULL, NULL);
  g_return_val_if_fail (access_token != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (SENDOFF_TYPE_WUNDERLIST,
                       "api-url", api_url,
                       "access-token", access_token,
                       "client-id", client_id,
                       NULL);

  return self;
}

const char *
sendoff_wunderlist_get_api_url (SendoffWunderlist *self)
{
  g_return_val_if_fail (SENDOFF_IS_WUNDERLIST (self), NULL);
  return self->api_url;
}

guint64
sendoff_wunderlist_get_task_id (SendoffWunderlist *self)
{
  g_return_val_if_fail (SENDOFF_IS_WUNDERLIST (self), 0);
  return self->task_id;
}

void
sendoff_wunderlist_set_task_id (SendoffWunderlist *self,
                                guint64            task_id)
{
  g_return_if_fail (SENDOFF_IS_WUNDERLIST (self));

  if (self->task_id == task_id)
    return;

  self->task_id = task_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK_ID]);
}
