/* sendoff-fake-provider.c — a scripted provider for the engine's contract tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * This file is also the template a new backend starts from: it implements
 * every member of SendoffProviderInterface, each with a comment saying
 * what the engine expects of it. A real backend replaces the script with
 * requests to its service (see sendoff-wunderlist.c for an HTTP one and
 * sendoff-http-provider.h for the shared plumbing) and adds one row to
 * the backend table (sendoff-backend.c).
 *
 * Its "storage" is an in-process SoupServer: part targets point at it, the
 * engine's workers send the bytes there, and it answers with an ETag (the
 * SHA-256 of the body) the way S3 does.
 */

#define G_LOG_DOMAIN "sendoff-fake-provider"

#include "config.h"

#include "sendoff-backend.h"
#include "sendoff-http.h"
#include "sendoff-http-provider.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-types.h"

#include "sendoff-fake-provider.h"

#define DEFAULT_PART_SIZE (64 * 1024)
#define ANSWER_DELAY_MS   20

struct _SendoffFakeProvider
{
  GObject      parent_instance;

  /* options and secrets, as the backend declares them */
  char        *bucket;
  char        *token;

  guint64      part_size;
  gboolean     in_order;
  guint64      max_size;
  char        *method;

  SoupServer  *server;
  char        *base_url;
  GHashTable  *script;       /* key → GQueue of FakeAnswer */
  GPtrArray   *log;
  GHashTable  *stored;       /* "name/N" → GBytes */
  GHashTable  *parallel;     /* name → in flight now */
  GHashTable  *max_parallel; /* name → most in flight */
};

static void provider_iface_init (SendoffProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SendoffFakeProvider, sendoff_fake_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SENDOFF_TYPE_PROVIDER, provider_iface_init))

enum {
  PROP_0,
  PROP_BUCKET,
  PROP_TOKEN,
  PROP_PART_SIZE,
  PROP_IN_ORDER,
  PROP_MAX_SIZE,
  PROP_METHOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the declaration: what Preferences, setup and the CLI are built from */

static const SendoffOptionSpec fake_options[] = {
  { .key = "bucket", .type = SENDOFF_OPTION_STRING, .label = "Bucket",
    .description = "Where the parts go" },
  { NULL }
};

static const SendoffSecretSpec fake_secrets[] = {
  { .key = "token", .label = "Token", .env = "SENDOFF_FAKE_TOKEN" },
  { NULL }
};

static const SendoffBackendInfo fake_info = {
  .id = "fake",
  .display_name = "Fake",
  .description = "A scripted backend for tests",
  .icon_name = "applications-science-symbolic",
  .options = fake_options,
  .secrets = fake_secrets,
};

/* ---- the script -------------------------------------------------------- */

void
sendoff_fake_provider_script (SendoffFakeProvider *self,
                              const char          *key,
                              FakeAnswer           answer)
{
  GQueue *queue = g_hash_table_lookup (self->script, key);

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->script, g_strdup (key), queue);
    }
  g_queue_push_tail (queue, GINT_TO_POINTER (answer));
}

static FakeAnswer
next_answer (SendoffFakeProvider *self,
             const char          *key)
{
  GQueue *queue = g_hash_table_lookup (self->script, key);

  if (queue == NULL || g_queue_is_empty (queue))
    return FAKE_OK;
  return GPOINTER_TO_INT (g_queue_pop_head (queue));
}

static void G_GNUC_PRINTF (2, 3)
log_call (SendoffFakeProvider *self,
          const char          *format,
          ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->log, g_strdup_vprintf (format, args));
  va_end (args);
}

/* An API step's scripted answer as the engine would see a service's */
static gboolean
step_answer (SendoffFakeProvider  *self,
             const char           *key,
             GError              **error)
{
  switch (next_answer (self, key))
    {
    case FAKE_OK:
      return TRUE;
    case FAKE_RETRYABLE:
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK, "%s: the service is busy", key);
      return FALSE;
    case FAKE_UNAUTHORIZED:
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH, "%s: the token expired", key);
      return FALSE;
    case FAKE_FATAL:
    default:
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER, "%s: the service refuses", key);
      return FALSE;
    }
}

static void
return_step (SendoffFakeProvider *self,
             const char          *key,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  if (step_answer (self, key, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
boolean_finish (SendoffProvider  *provider,
                GAsyncResult     *result,
                GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the storage: an in-process server --------------------------------- */

char *
sendoff_fake_etag (GBytes *bytes)
{
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  return g_strdup_printf ("\"%s\"", sum);
}

typedef struct {
  SendoffFakeProvider *self;
  SoupServerMessage   *msg;
  char                *name;
} PendingAnswer;

static gboolean
answer_later (gpointer user_data)
{
  PendingAnswer *pending = user_data;
  guint now = GPOINTER_TO_UINT (g_hash_table_lookup (pending->self->parallel, pending->name));

  g_hash_table_insert (pending->self->parallel, g_strdup (pending->name),
                       GUINT_TO_POINTER (now - 1));
  soup_server_message_unpause (pending->msg);
  g_object_unref (pending->msg);
  g_object_unref (pending->self);
  g_free (pending->name);
  g_free (pending);
  return G_SOURCE_REMOVE;
}

static void
on_storage_request (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  SendoffFakeProvider *self = user_data;
  g_auto(GStrv) parts = g_strsplit (path, "/", 4);   /* "", "store", name, N */
  g_autoptr(GBytes) body = NULL;
  g_autofree char *key = NULL;
  PendingAnswer *pending;
  guint now, most;

  if (g_strv_length (parts) != 4 || !g_str_equal (parts[1], "store"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  log_call (self, "put %s %s", parts[2], parts[3]);
  log_call (self, "%s %s %s", soup_server_message_get_method (msg), parts[2], parts[3]);
  key = g_strdup_printf ("put:%s", parts[3]);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  switch (next_answer (self, key))
    {
    case FAKE_RETRYABLE:
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      break;
    case FAKE_EXPIRED:
      soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
      break;
    case FAKE_AUTH_REFUSED:
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      break;
    case FAKE_FATAL:
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"message\": \"The part is malformed\"}", 36);
      break;
    default:
      {
        g_autofree char *etag = sendoff_fake_etag (body);

        g_hash_table_insert (self->stored, g_strdup_printf ("%s/%s", parts[2], parts[3]),
                             g_bytes_ref (body));
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "ETag", etag);
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      }
    }

  /* Answer a little later: parts sent at once overlap here, and that is
   * what the in-order test looks at. */
  now = GPOINTER_TO_UINT (g_hash_table_lookup (self->parallel, parts[2])) + 1;
  most = GPOINTER_TO_UINT (g_hash_table_lookup (self->max_parallel, parts[2]));
  g_hash_table_insert (self->parallel, g_strdup (parts[2]), GUINT_TO_POINTER (now));
  g_hash_table_insert (self->max_parallel, g_strdup (parts[2]),
                       GUINT_TO_POINTER (MAX (now, most)));

  pending = g_new0 (PendingAnswer, 1);
  pending->self = g_object_ref (self);
  pending->msg = g_object_ref (msg);
  pending->name = g_strdup (parts[2]);
  soup_server_message_pause (msg);
  g_timeout_add (ANSWER_DELAY_MS, answer_later, pending);
}

/* ---- per-item state: one place, the item's provider data --------------- */

/* What a real backend keeps per item: its remote upload's id and the
 * receipts (ETags) of the parts stored, in part order. */
typedef struct {
  GPtrArray *etags;   /* char *, index = part number - 1; NULL until stored */
} ItemState;

static void
item_state_free (ItemState *state)
{
  g_ptr_array_unref (state->etags);
  g_free (state);
}

static ItemState *
item_state_attach (SendoffItem *item,
                   guint        n_parts)
{
  ItemState *state = g_new0 (ItemState, 1);

  state->etags = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (state->etags, n_parts);
  _sendoff_item_set_provider_data (item, state, (GDestroyNotify) item_state_free);
  return state;
}

/* ---- configuration ----------------------------------------------------- */

/* has_secret: secrets are write-only properties; the default
 * check_configuration asks this whether each declared one was given. */
static gboolean
fake_has_secret (SendoffProvider *provider,
                 const char      *key)
{
  return g_str_equal (key, "token") && SENDOFF_FAKE_PROVIDER (provider)->token != NULL;
}

/* check_limits: before anything is created remotely. A real backend
 * refuses files that need more parts than its service takes (see
 * sendoff_plan_parts()) or sizes above a known limit. */
static gboolean
fake_check_limits (SendoffProvider  *provider,
                   SendoffTransfer  *transfer,
                   GError          **error)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);
  GListModel *items = sendoff_transfer_get_items (transfer);

  log_call (self, "check-limits");
  for (guint i = 0; self->max_size > 0 && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      if (sendoff_item_get_size (item) > self->max_size)
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       "“%s” is larger than the service takes", sendoff_item_get_name (item));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- the steps --------------------------------------------------------- */

/* authorize: get a session token; run again after a step fails with
 * SENDOFF_ERROR_AUTH. */
static void
fake_authorize_async (SendoffProvider     *provider,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);

  log_call (self, "authorize");
  return_step (self, "authorize", cancellable, callback, user_data);
}

/* begin_transfer: create the remote transfer (S3: nothing, or the share
 * page's key); state for the whole transfer goes into the transfer's
 * provider data. */
static void
fake_begin_transfer_async (SendoffProvider     *provider,
                           SendoffTransfer     *transfer,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);

  log_call (self, "begin");
  return_step (self, "begin", cancellable, callback, user_data);
}

/* register_items: open a remote upload per item (S3:
 * CreateMultipartUpload), plan its parts, and tell the engine with
 * _sendoff_item_set_remote(). */
static void
fake_register_items_async (SendoffProvider     *provider,
                           SendoffTransfer     *transfer,
                           GPtrArray           *items,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  for (guint i = 0; i < items->len; i++)
    log_call (self, "register %s", sendoff_item_get_name (g_ptr_array_index (items, i)));

  if (!step_answer (self, "register", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      SendoffItem *item = g_ptr_array_index (items, i);
      guint64 size = sendoff_item_get_size (item);
      guint n_parts = (guint) MAX ((size + self->part_size - 1) / self->part_size, 1);

      _sendoff_item_set_remote (item, sendoff_item_get_name (item), n_parts, self->part_size);
      item_state_attach (item, n_parts);
    }
  g_task_return_boolean (task, TRUE);
}

/* get_part_target: where and how to send one part, fresh every call
 * (S3: a presigned URL; tus: PATCH with Upload-Offset). */
static void
fake_get_part_target_async (SendoffProvider     *provider,
                            SendoffItem         *item,
                            guint                part_number,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = g_strdup_printf ("target:%u", part_number);
  g_autofree char *url = NULL;
  g_autofree char *number = NULL;
  SendoffPartTarget *target;
  FakeAnswer answer;
  GError *error = NULL;

  log_call (self, "target %s %u", sendoff_item_get_name (item), part_number);

  answer = next_answer (self, key);
  if (answer != FAKE_OK && answer != FAKE_EXPIRED)
    {
      sendoff_fake_provider_script (self, key, answer);   /* put back for step_answer */
      step_answer (self, key, &error);
      g_task_return_error (task, error);
      return;
    }

  url = g_strdup_printf ("%s/store/%s/%u", self->base_url, sendoff_item_get_name (item),
                         part_number);
  target = sendoff_part_target_new (url, answer == FAKE_EXPIRED ? 1 : 0);
  sendoff_part_target_set_method (target, self->method);
  number = g_strdup_printf ("%u", part_number);
  target->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (target->headers, "X-Fake-Part", number);

  g_task_return_pointer (task, target, (GDestroyNotify) sendoff_part_target_free);
}

static SendoffPartTarget *
fake_get_part_target_finish (SendoffProvider  *provider,
                             GAsyncResult     *result,
                             GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* item_parts_in_order: TRUE for servers that take an item's bytes only
 * in sequence (tus); the engine then sends its parts one at a time. */
static gboolean
fake_item_parts_in_order (SendoffProvider *provider,
                          SendoffItem     *item)
{
  return SENDOFF_FAKE_PROVIDER (provider)->in_order;
}

/* part_stored: storage took a part. Keep its receipt (S3: the ETag) in
 * the item's state before the part counts as stored; FALSE makes it a
 * failed attempt. */
static gboolean
fake_part_stored (SendoffProvider     *provider,
                  SendoffItem         *item,
                  guint                part_number,
                  guint                status,
                  SoupMessageHeaders  *headers,
                  GError             **error)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);
  ItemState *state = _sendoff_item_get_provider_data (item);
  g_autofree char *key = g_strdup_printf ("receipt:%u", part_number);
  const char *etag = headers ? soup_message_headers_get_one (headers, "ETag") : NULL;

  if (next_answer (self, key) == FAKE_RECEIPT_REJECTED || etag == NULL ||
      part_number > state->etags->len)
    {
      log_call (self, "rejected %s %u", sendoff_item_get_name (item), part_number);
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   "The storage gave no usable receipt for part %u", part_number);
      return FALSE;
    }

  log_call (self, "stored %s %u", sendoff_item_get_name (item), part_number);
  g_free (g_ptr_array_index (state->etags, part_number - 1));
  g_ptr_array_index (state->etags, part_number - 1) = g_strdup (etag);
  return TRUE;
}

/* classify_storage_error: what a refusal of the storage means. */
static SendoffStorageVerdict
fake_classify_storage_error (SendoffProvider    *provider,
                             SendoffItem        *item,
                             guint               status,
                             SoupMessageHeaders *headers,
                             GBytes             *body)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);

  log_call (self, "classify %s %u", sendoff_item_get_name (item), status);
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:    return SENDOFF_STORAGE_AUTH_REFUSED;
    case SOUP_STATUS_FORBIDDEN:       return SENDOFF_STORAGE_RETRY_FRESH_TARGET;
    case SOUP_STATUS_SERVICE_UNAVAILABLE: return SENDOFF_STORAGE_RETRY;
    default:                          return SENDOFF_STORAGE_FATAL;
    }
}

/* finish_item: every part is stored; complete the item remotely with the
 * receipts in part order (S3: CompleteMultipartUpload). */
static void
fake_finish_item_async (SendoffProvider     *provider,
                        SendoffTransfer     *transfer,
                        SendoffItem         *item,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);
  ItemState *state = _sendoff_item_get_provider_data (item);
  g_autoptr(GString) etags = g_string_new (NULL);

  for (guint i = 0; i < state->etags->len; i++)
    g_string_append_printf (etags, "%s%s", i > 0 ? "," : "",
                            (char *) g_ptr_array_index (state->etags, i) ?: "MISSING");
  log_call (self, "finish-item %s %s", sendoff_item_get_name (item), etags->str);
  return_step (self, "finish-item", cancellable, callback, user_data);
}

/* finish_transfer: every item is complete: set the link. */
static void
fake_finish_transfer_async (SendoffProvider     *provider,
                            SendoffTransfer     *transfer,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);

  log_call (self, "finish-transfer");
  _sendoff_transfer_set_share_url (transfer, "https://fake.example/t/1");
  _sendoff_transfer_set_result (transfer, "https://fake.example/t/1");
  return_step (self, "finish-transfer", cancellable, callback, user_data);
}

/* abort: the transfer is over for good (discarded, or failed for good):
 * abort what was created (S3: AbortMultipartUpload per item). Not run on
 * an interrupt. The engine forgets the registrations afterwards. */
static void
fake_abort_async (SendoffProvider     *provider,
                  SendoffTransfer     *transfer,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (provider);

  log_call (self, "abort");
  return_step (self, "abort", cancellable, callback, user_data);
}

/* save_state/restore_state: the item's remote state as JSON for the
 * journal (ids, receipts; never a secret). */
static char *
fake_save_state (SendoffProvider *provider,
                 SendoffTransfer *transfer,
                 SendoffItem     *item)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  ItemState *state;

  if (item == NULL || (state = _sendoff_item_get_provider_data (item)) == NULL)
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "etags");
  json_builder_begin_array (builder);
  for (guint i = 0; i < state->etags->len; i++)
    {
      const char *etag = g_ptr_array_index (state->etags, i);

      if (etag != NULL)
        json_builder_add_string_value (builder, etag);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
fake_restore_state (SendoffProvider  *provider,
                    SendoffTransfer  *transfer,
                    SendoffItem      *item,
                    const char       *json,
                    GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(JsonNode) root = NULL;
  JsonArray *etags;
  ItemState *state;

  if (item == NULL)
    return TRUE;
  if ((root = sendoff_json_parse_object (bytes, "The saved state", error)) == NULL)
    return FALSE;
  if ((etags = json_object_get_array_member (json_node_get_object (root), "etags")) == NULL)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL, "No etags");
      return FALSE;
    }

  state = item_state_attach (item, json_array_get_length (etags));
  for (guint i = 0; i < json_array_get_length (etags); i++)
    if (!json_node_is_null (json_array_get_element (etags, i)))
      g_ptr_array_index (state->etags, i) = g_strdup (json_array_get_string_element (etags, i));
  return TRUE;
}

static void
provider_iface_init (SendoffProviderInterface *iface)
{
  iface->info = &fake_info;
  /* check_configuration, check_async: the defaults (required options and
   * secrets set); an HTTP backend makes one cheap authenticated request */
  iface->has_secret = fake_has_secret;
  iface->check_limits = fake_check_limits;
  iface->authorize_async = fake_authorize_async;
  iface->authorize_finish = boolean_finish;
  iface->begin_transfer_async = fake_begin_transfer_async;
  iface->begin_transfer_finish = boolean_finish;
  iface->register_items_async = fake_register_items_async;
  iface->register_items_finish = boolean_finish;
  iface->get_part_target_async = fake_get_part_target_async;
  iface->get_part_target_finish = fake_get_part_target_finish;
  iface->item_parts_in_order = fake_item_parts_in_order;
  iface->part_stored = fake_part_stored;
  iface->classify_storage_error = fake_classify_storage_error;
  iface->finish_item_async = fake_finish_item_async;
  iface->finish_item_finish = boolean_finish;
  iface->finish_transfer_async = fake_finish_transfer_async;
  iface->finish_transfer_finish = boolean_finish;
  /* reset_item: the default (nothing to forget) */
  iface->abort_async = fake_abort_async;
  iface->abort_finish = boolean_finish;
  iface->save_state = fake_save_state;
  iface->restore_state = fake_restore_state;
}

/* ---- GObject: a property per declared option and secret ---------------- */

static void
sendoff_fake_provider_finalize (GObject *object)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (object);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_free (self->base_url);
  g_free (self->bucket);
  g_free (self->method);
  sendoff_secret_clear (&self->token);   /* secrets are wiped, not just freed */
  g_hash_table_unref (self->script);
  g_ptr_array_unref (self->log);
  g_hash_table_unref (self->stored);
  g_hash_table_unref (self->parallel);
  g_hash_table_unref (self->max_parallel);

  G_OBJECT_CLASS (sendoff_fake_provider_parent_class)->finalize (object);
}

static void
sendoff_fake_provider_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_BUCKET:    g_value_set_string (value, self->bucket); break;
    case PROP_PART_SIZE: g_value_set_uint64 (value, self->part_size); break;
    case PROP_IN_ORDER:  g_value_set_boolean (value, self->in_order); break;
    case PROP_MAX_SIZE:  g_value_set_uint64 (value, self->max_size); break;
    case PROP_METHOD:    g_value_set_string (value, self->method); break;
    default:             G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_fake_provider_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SendoffFakeProvider *self = SENDOFF_FAKE_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_BUCKET:
      g_free (self->bucket);
      self->bucket = g_value_dup_string (value);
      break;
    case PROP_TOKEN:
      sendoff_secret_replace (&self->token, g_value_get_string (value), TRUE);
      break;
    case PROP_PART_SIZE:
      self->part_size = g_value_get_uint64 (value);
      break;
    case PROP_IN_ORDER:
      self->in_order = g_value_get_boolean (value);
      break;
    case PROP_MAX_SIZE:
      self->max_size = g_value_get_uint64 (value);
      break;
    case PROP_METHOD:
      g_free (self->method);
      self->method = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_fake_provider_class_init (SendoffFakeProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sendoff_fake_provider_finalize;
  object_class->get_property = sendoff_fake_provider_get_property;
  object_class->set_property = sendoff_fake_provider_set_property;

  properties[PROP_BUCKET] =
    g_param_spec_string ("bucket", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* secrets are write-only */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PART_SIZE] =
    g_param_spec_uint64 ("part-size", NULL, NULL, 1, G_MAXUINT32, DEFAULT_PART_SIZE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IN_ORDER] =
    g_param_spec_boolean ("in-order", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_SIZE] =
    g_param_spec_uint64 ("max-size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* the part targets' method; NULL is PUT */
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sendoff_fake_provider_init (SendoffFakeProvider *self)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->part_size = DEFAULT_PART_SIZE;
  self->script = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_queue_free);
  self->log = g_ptr_array_new_with_free_func (g_free);
  self->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_bytes_unref);
  self->parallel = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->max_parallel = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, "/store", on_storage_request, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("fake storage: %s", error->message);
  uris = soup_server_get_uris (self->server);
  self->base_url = g_uri_to_string (uris->data);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

SendoffFakeProvider *
sendoff_fake_provider_new (void)
{
  return g_object_new (SENDOFF_TYPE_FAKE_PROVIDER, NULL);
}

GPtrArray *
sendoff_fake_provider_get_log (SendoffFakeProvider *self)
{
  return self->log;
}

guint
sendoff_fake_provider_count (SendoffFakeProvider *self,
                             const char          *line)
{
  guint n = 0;

  for (guint i = 0; i < self->log->len; i++)
    n += g_str_equal (g_ptr_array_index (self->log, i), line);
  return n;
}

GBytes *
sendoff_fake_provider_get_stored (SendoffFakeProvider *self,
                                  const char          *name,
                                  guint                number)
{
  g_autofree char *key = g_strdup_printf ("%s/%u", name, number);

  return g_hash_table_lookup (self->stored, key);
}

guint
sendoff_fake_provider_get_max_parallel (SendoffFakeProvider *self,
                                        const char          *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->max_parallel, name));
}
