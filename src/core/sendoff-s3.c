/* sendoff-s3.c — your own S3-compatible bucket as a SendoffProvider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-s3"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-error-private.h"
#include "sendoff-http.h"
#include "sendoff-http-provider.h"
#include "sendoff-item-private.h"
#include "sendoff-parts.h"
#include "sendoff-s3.h"
#include "sendoff-s3-parse.h"
#include "sendoff-s3-share-page.h"
#include "sendoff-sigv4.h"
#include "sendoff-transfer-private.h"
#include "sendoff-types.h"

/*
 * How a transfer lands in the bucket. Every object goes under
 * PREFIX/TRANSFER-ID/relative/path. A file of one part or less is one
 * presigned PUT; a larger one a multipart upload whose parts go through
 * presigned PUTs made here (no API round trip per part), their ETags kept
 * for CompleteMultipartUpload. The link is a presigned GET: of the file
 * when there is one, else of a small HTML page uploaded beside the files
 * that links each of them. Requests that are not part PUTs are signed in
 * the Authorization header. No x-amz-checksum-* header anywhere: R2 and
 * B2 refuse them.
 */

#define API_CONNECTIONS     8
#define MAX_ANSWER_BYTES    SENDOFF_S3_MAX_BODY
#define PART_URL_LIFETIME   3600              /* seconds a part URL is valid */
#define PART_URL_MARGIN     60                /* asked again this long before */
#define MAX_KEY_BYTES       1024              /* S3's limit on object keys */
#define ID_LENGTH           12
#define COMPLETE_STALL_WINDOW_MS (10 * 60 * 1000)
#define SHARE_PAGE_NAME     "index.html"

struct _SendoffS3
{
  GObject      parent_instance;

  char        *endpoint;          /* scheme://host[:port], no slash */
  char        *region;
  char        *bucket;
  char        *addressing;
  char        *prefix;
  guint64      link_lifetime;
  guint64      part_size;
  char        *access_key_id;
  char        *secret_access_key;
  SoupSession *session;
};

static void provider_iface_init (SendoffProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SendoffS3, sendoff_s3, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SENDOFF_TYPE_PROVIDER, provider_iface_init))

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_REGION,
  PROP_BUCKET,
  PROP_ADDRESSING,
  PROP_PREFIX,
  PROP_LINK_LIFETIME,
  PROP_PART_SIZE,
  PROP_ACCESS_KEY_ID,
  PROP_SECRET_ACCESS_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- what the backend declares --------------------------------------- */

static const char *const addressing_choices[] = { "path", "virtual", NULL };
static const char *const addressing_labels[] = {
  N_("Path-style (endpoint/bucket/file)"),
  N_("Virtual-hosted (bucket.endpoint/file)"),
  NULL
};

static const SendoffOptionSpec s3_options[] = {
  { .key = "endpoint", .type = SENDOFF_OPTION_URL, .label = N_("Endpoint"),
    .description = N_("The address of the S3 service, without the bucket"),
    .env = "SENDOFF_S3_ENDPOINT", .placeholder = "https://s3.eu-central-1.amazonaws.com" },
  { .key = "region", .type = SENDOFF_OPTION_STRING, .label = N_("Region"),
    .description = N_("The region the bucket is in; “auto” for Cloudflare R2"),
    .default_value = "us-east-1", .env = "SENDOFF_S3_REGION", .placeholder = "us-east-1" },
  { .key = "bucket", .type = SENDOFF_OPTION_STRING, .label = N_("Bucket"),
    .description = N_("The bucket files are sent to"), .env = "SENDOFF_S3_BUCKET",
    .placeholder = "my-transfers" },
  { .key = "addressing", .type = SENDOFF_OPTION_CHOICE, .label = N_("Addressing"),
    .description = N_("How the bucket is named in addresses; path-style works almost everywhere"),
    .default_value = "path", .choices = addressing_choices, .choice_labels = addressing_labels },
  { .key = "prefix", .type = SENDOFF_OPTION_STRING, .label = N_("Folder in the Bucket"),
    .description = N_("Every transfer goes into a folder of its own under this one"),
    .default_value = "sendoff/", .optional = TRUE, .placeholder = "sendoff/" },
  { .key = "link-lifetime", .type = SENDOFF_OPTION_UINT, .label = N_("Link Lifetime"),
    .description = N_("Seconds a link keeps working, from one hour (3600) to seven days (604800)"),
    .default_value = "604800", .min = 3600, .max = SENDOFF_SIGV4_MAX_EXPIRES,
    .placeholder = "604800" },
  { NULL }
};

static const SendoffSecretSpec s3_secrets[] = {
  { .key = "access-key-id", .label = N_("Access Key ID"), .env = "AWS_ACCESS_KEY_ID" },
  { .key = "secret-access-key", .label = N_("Secret Access Key"), .env = "AWS_SECRET_ACCESS_KEY" },
  { NULL }
};

static const SendoffPresetSpec s3_presets[] = {
  { .id = "aws", .label = N_("Amazon S3"),
    .description = N_("Change the region in both fields to your bucket’s region"),
    .assignments = (const char *const[]) { "endpoint=https://s3.us-east-1.amazonaws.com",
                                           "region=us-east-1", "addressing=virtual", NULL } },
  { .id = "r2", .label = N_("Cloudflare R2"),
    .description = N_("Replace ACCOUNT_ID with the account ID shown on the R2 page"),
    .assignments = (const char *const[]) { "endpoint=https://ACCOUNT_ID.r2.cloudflarestorage.com",
                                           "region=auto", "addressing=path", NULL } },
  { .id = "b2", .label = N_("Backblaze B2"),
    .description = N_("Use the endpoint shown beside your bucket; its region is the part after “s3.”"),
    .assignments = (const char *const[]) { "endpoint=https://s3.us-west-004.backblazeb2.com",
                                           "region=us-west-004", "addressing=path", NULL } },
  { .id = "wasabi", .label = N_("Wasabi"),
    .description = N_("Change the region in both fields to your bucket’s region"),
    .assignments = (const char *const[]) { "endpoint=https://s3.us-east-1.wasabisys.com",
                                           "region=us-east-1", "addressing=path", NULL } },
  { .id = "other", .label = N_("Other S3-Compatible Service"),
    .description = N_("Ceph, Garage, MinIO, Hetzner, Scaleway and others: their documentation "
                      "gives the endpoint and region"),
    .assignments = (const char *const[]) { "addressing=path", NULL } },
  { NULL }
};

static const SendoffBackendInfo s3_info = {
  .id = "s3",
  .display_name = N_("S3-Compatible Bucket"),
  .description = N_("Your own bucket at Amazon S3, Cloudflare R2, Backblaze B2, Wasabi or any "
                    "S3-compatible service; links expire after up to seven days"),
  .icon_name = "folder-remote-symbolic",
  .options = s3_options,
  .secrets = s3_secrets,
  .presets = s3_presets,
};

/* ---- provider state -------------------------------------------------- */

/* Per transfer: the id its objects are filed under, and the name of its
 * share page once it is stored */
typedef struct {
  char     *id;
  gboolean  page_stored;
  char     *page_name;
} TransferState;

static void
transfer_state_free (TransferState *state)
{
  g_free (state->id);
  g_free (state->page_name);
  g_free (state);
}

static TransferState *
get_transfer_state (SendoffTransfer *transfer)
{
  return _sendoff_transfer_get_provider_data (transfer);
}

/* Per item: its object key, and for a multipart upload its id and the
 * ETag of every part stored (NULL while not stored). */
typedef struct {
  char      *key;
  char      *upload_id;
  char     **etags;          /* n_parts entries */
  guint      n_parts;
  gboolean   completed;      /* the object exists */
} ItemState;

static void
item_state_free (ItemState *state)
{
  g_free (state->key);
  g_free (state->upload_id);
  for (guint i = 0; state->etags != NULL && i < state->n_parts; i++)
    g_free (state->etags[i]);
  g_free (state->etags);
  g_free (state);
}

static ItemState *
item_state_new (const char *key,
                const char *upload_id,
                guint       n_parts)
{
  ItemState *state = g_new0 (ItemState, 1);

  state->key = g_strdup (key);
  state->upload_id = g_strdup (upload_id);
  state->n_parts = n_parts;
  state->etags = g_new0 (char *, n_parts);
  return state;
}

static ItemState *
get_item_state (SendoffItem *item)
{
  return _sendoff_item_is_registered (item) ? _sendoff_item_get_provider_data (item) : NULL;
}

/* ---- addresses and signatures ---------------------------------------- */

static SendoffSigv4Key
signing_key (SendoffS3 *self)
{
  return (SendoffSigv4Key) {
    .access_key_id = self->access_key_id,
    .secret_access_key = self->secret_access_key,
    .region = self->region != NULL && *self->region != '\0' ? self->region : "us-east-1",
    .service = "s3",
  };
}

static gboolean
virtual_hosted (SendoffS3 *self)
{
  return g_strcmp0 (self->addressing, "virtual") == 0;
}

/* "scheme://host[:port]": with virtual-hosted addressing the bucket is a
 * label in front of the endpoint's host. */
static char *
dup_origin (SendoffS3 *self)
{
  g_autoptr(GUri) uri = NULL;
  int port;

  if (!virtual_hosted (self))
    return g_strdup (self->endpoint);

  uri = g_uri_parse (self->endpoint, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup (self->endpoint);
  port = g_uri_get_port (uri);
  if (port > 0)
    return g_strdup_printf ("%s://%s.%s:%d", g_uri_get_scheme (uri), self->bucket,
                            g_uri_get_host (uri), port);
  return g_strdup_printf ("%s://%s.%s", g_uri_get_scheme (uri), self->bucket,
                          g_uri_get_host (uri));
}

/* The encoded path of @key ("" or NULL: the bucket itself) */
static char *
dup_path (SendoffS3  *self,
          const char *key)
{
  g_autofree char *encoded = sendoff_sigv4_uri_encode (key ? key : "", TRUE);
  g_autofree char *bucket = sendoff_sigv4_uri_encode (self->bucket, FALSE);

  if (virtual_hosted (self))
    return g_strconcat ("/", encoded, NULL);
  return g_strconcat ("/", bucket, (key && *key) ? "/" : "", encoded, NULL);
}

static GDateTime *
now_utc (void)
{
  return g_date_time_new_now_utc ();
}

/* A presigned URL for @method on @key, valid @expires seconds */
static char *
presign (SendoffS3               *self,
         const char              *method,
         const char              *key,
         const SendoffSigv4Pair  *query,
         gsize                    n_query,
         guint                    expires,
         GError                 **error)
{
  SendoffSigv4Key signer = signing_key (self);
  g_autofree char *origin = dup_origin (self);
  g_autofree char *path = dup_path (self, key);
  g_autoptr(GDateTime) now = now_utc ();

  return sendoff_sigv4_presign (&signer, method, origin, path, query, n_query, expires, now, error);
}

/* `attachment; filename="…"; filename*=UTF-8''…` for the last part of @name */
static char *
content_disposition (const char *name)
{
  const char *slash = strrchr (name, '/');
  const char *base = slash ? slash + 1 : name;
  g_autofree char *encoded = sendoff_sigv4_uri_encode (base, FALSE);
  g_autoptr(GString) ascii = g_string_new (NULL);

  /* The quoted form for old clients: ASCII only, no quote or backslash */
  for (const char *p = base; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      g_string_append_c (ascii, (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? (char) c : '_');
    }

  return g_strdup_printf ("attachment; filename=\"%s\"; filename*=UTF-8''%s",
                          ascii->str, encoded);
}

/* ---- one signed API call --------------------------------------------- */

static GError *
s3_error_func (SoupMessage *msg,
               GBytes      *body,
               const char  *what)
{
  const char *retry_after = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                          "Retry-After");
  guint64 seconds = 0;

  if (retry_after == NULL ||
      !g_ascii_string_to_unsigned (retry_after, 10, 0, 3600, &seconds, NULL))
    return sendoff_s3_error_new (body, soup_message_get_status (msg), -1, what);
  return sendoff_s3_error_new (body, soup_message_get_status (msg), (gint64) seconds, what);
}

/* Sends @method to @key (NULL: the bucket) with the already encoded
 * @query ("uploads=", NULL for none), @body (NULL: none) and its
 * @content_type, signed in the Authorization header. */
static void
s3_call_async (SendoffS3           *self,
               const char          *method,
               const char          *key,
               const char          *query,
               GBytes              *body,
               const char          *content_type,
               SoupMessageHeaders  *extra_headers,
               const char          *what,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  SendoffSigv4Key signer = signing_key (self);
  g_autofree char *origin = dup_origin (self);
  g_autofree char *path = dup_path (self, key);
  g_autofree char *url = g_strconcat (origin, path, query ? "?" : "", query ? query : "", NULL);
  g_autofree char *payload_hash = NULL;
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  GError *error = NULL;

  if (msg == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("%s: the endpoint or the bucket name makes no valid address"),
                               what);
      return;
    }

  if (extra_headers != NULL)
    {
      SoupMessageHeadersIter iter;
      const char *name, *value;

      soup_message_headers_iter_init (&iter, extra_headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
    }

  if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, content_type, body);
      payload_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
    }
  else
    payload_hash = g_strdup (SENDOFF_SIGV4_EMPTY_PAYLOAD);

  /* S3 keeps CompleteMultipartUpload alive with a space now and then while
   * it assembles a big object: slow, but not a stalled server */
  if (g_str_equal (method, "POST") && query != NULL && g_str_has_prefix (query, "uploadId="))
    sendoff_http_message_set_stall_window (msg, COMPLETE_STALL_WINDOW_MS);

  if (!sendoff_sigv4_sign_message (&signer, msg, payload_hash, now, &error))
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_return_error (task, error);
      return;
    }

  sendoff_api_call_async (self, self->session, g_steal_pointer (&msg), MAX_ANSWER_BYTES, what,
                          TRUE, s3_error_func, cancellable, callback, user_data);
}

static GBytes *
s3_call_finish (GAsyncResult  *result,
                GError       **error)
{
  /* A failure before the request was sent is a plain GTask */
  if (g_task_get_source_tag (G_TASK (result)) == NULL)
    return g_task_propagate_pointer (G_TASK (result), error);
  return sendoff_api_call_finish (result, NULL, error);
}

/* ---- check ------------------------------------------------------------ */

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendoffS3 *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = s3_call_finish (result, &error);

  if (body != NULL && sendoff_s3_parse_check (body, _("Checking the bucket"), &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH))
    g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_AUTH,
                             _("The server refused the access key: check the access key ID "
                               "and the secret access key (%s)"), error->message);
  else if (error->domain != SENDOFF_ERROR)
    g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK,
                             _("Nothing answers at %s: check the endpoint (%s)"),
                             self->endpoint, error->message);
  else if (g_strcmp0 (_sendoff_error_get_server_code (error), "NoSuchBucket") == 0)
    g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_SERVER,
                             _("There is no bucket “%s” at %s: check the bucket’s name and "
                               "the region"), self->bucket, self->endpoint);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
sendoff_s3_check_async (SendoffProvider     *provider,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  SendoffS3 *self = SENDOFF_S3 (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, sendoff_s3_check_async);
  if (!sendoff_provider_check_configuration (provider, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* ListObjectsV2 of at most one key: cheap, and it needs the bucket */
  s3_call_async (self, "GET", NULL, "list-type=2&max-keys=1", NULL, NULL, NULL,
                 _("Checking the bucket"), cancellable, on_checked, task);
}

static gboolean
boolean_finish (SendoffProvider  *provider,
                GAsyncResult     *result,
                GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
sendoff_s3_has_secret (SendoffProvider *provider,
                       const char      *key)
{
  SendoffS3 *self = SENDOFF_S3 (provider);

  if (g_str_equal (key, "access-key-id"))
    return self->access_key_id != NULL && *self->access_key_id != '\0';
  if (g_str_equal (key, "secret-access-key"))
    return self->secret_access_key != NULL && *self->secret_access_key != '\0';
  return FALSE;
}

/* ---- limits ----------------------------------------------------------- */

static char *
dup_prefix (SendoffS3 *self)
{
  const char *prefix = self->prefix ? self->prefix : "";

  while (*prefix == '/')
    prefix++;
  if (*prefix == '\0' || g_str_has_suffix (prefix, "/"))
    return g_strdup (prefix);
  return g_strconcat (prefix, "/", NULL);
}

static gboolean
plan (SendoffS3    *self,
      SendoffItem  *item,
      guint64      *part_size,
      guint        *n_parts,
      GError      **error)
{
  guint64 size = sendoff_item_get_size (item);

  if (size <= self->part_size)
    {
      /* One PUT; an empty file is one empty part */
      *part_size = MAX (size, 1);
      *n_parts = 1;
      return TRUE;
    }

  return sendoff_plan_parts (sendoff_item_get_name (item), size, self->part_size,
                             SENDOFF_S3_MIN_PART_SIZE, SENDOFF_S3_MAX_PART_SIZE,
                             SENDOFF_S3_MAX_PARTS, part_size, n_parts, error);
}

static gboolean
sendoff_s3_check_limits (SendoffProvider  *provider,
                         SendoffTransfer  *transfer,
                         GError          **error)
{
  SendoffS3 *self = SENDOFF_S3 (provider);
  GListModel *items = sendoff_transfer_get_items (transfer);
  g_autofree char *prefix = dup_prefix (self);
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      const char *name = sendoff_item_get_name (item);
      guint64 part_size;
      guint n_parts;

      if (!plan (self, item, &part_size, &n_parts, error))
        return FALSE;
      if (strlen (prefix) + ID_LENGTH + 1 + strlen (name) > MAX_KEY_BYTES)
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("The name of “%s” is too long for S3 (at most %d bytes with its folders)"),
                       name, MAX_KEY_BYTES);
          return FALSE;
        }
    }

  return TRUE;
}

/* ---- authorize and begin ---------------------------------------------- */

static void
sendoff_s3_authorize_async (SendoffProvider     *provider,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  GError *error = NULL;

  /* Requests are signed here: there is no token to fetch */
  g_task_set_source_tag (task, sendoff_s3_authorize_async);
  if (!sendoff_provider_check_configuration (provider, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static char *
new_transfer_id (void)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  char id[ID_LENGTH + 1];

  for (guint i = 0; i < ID_LENGTH; i++)
    id[i] = alphabet[g_random_int_range (0, 32)];
  id[ID_LENGTH] = '\0';
  return g_strdup (id);
}

static void
sendoff_s3_begin_transfer_async (SendoffProvider     *provider,
                                 SendoffTransfer     *transfer,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  TransferState *state = get_transfer_state (transfer);

  g_task_set_source_tag (task, sendoff_s3_begin_transfer_async);

  /* Nothing to create: the id only names the folder of its objects */
  if (state == NULL)
    {
      state = g_new0 (TransferState, 1);
      state->id = new_transfer_id ();
      _sendoff_transfer_set_provider_data (transfer, state, (GDestroyNotify) transfer_state_free);
    }
  _sendoff_transfer_set_remote_id (transfer, state->id);
  g_task_return_boolean (task, TRUE);
}

/* ---- register items --------------------------------------------------- */

typedef struct {
  SendoffTransfer *transfer;
  GPtrArray       *items;
  guint            next;
} RegisterData;

static void
register_data_free (RegisterData *data)
{
  g_clear_object (&data->transfer);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_free (data);
}

static void register_next (GTask *task);

static char *
item_key (SendoffS3       *self,
          SendoffTransfer *transfer,
          SendoffItem     *item)
{
  g_autofree char *prefix = dup_prefix (self);

  return g_strconcat (prefix, get_transfer_state (transfer)->id, "/",
                      sendoff_item_get_name (item), NULL);
}

static void
on_upload_created (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendoffS3 *self = g_task_get_source_object (task);
  RegisterData *data = g_task_get_task_data (task);
  SendoffItem *item = g_ptr_array_index (data->items, data->next);
  const char *what = _("Starting a multipart upload");
  g_autoptr(GBytes) body = NULL;
  g_autofree char *upload_id = NULL;
  g_autofree char *key = NULL;
  GError *error = NULL;
  guint64 part_size;
  guint n_parts;

  body = s3_call_finish (result, &error);
  if (body == NULL || (upload_id = sendoff_s3_parse_initiate (body, what, &error)) == NULL ||
      !plan (self, item, &part_size, &n_parts, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  key = item_key (self, data->transfer, item);
  _sendoff_item_set_remote (item, key, n_parts, part_size);
  _sendoff_item_set_provider_data (item, item_state_new (key, upload_id, n_parts),
                                   (GDestroyNotify) item_state_free);
  data->next++;
  register_next (g_steal_pointer (&task));
}

static void
register_next (GTask *task)
{
  SendoffS3 *self = g_task_get_source_object (task);
  RegisterData *data = g_task_get_task_data (task);

  for (; data->next < data->items->len; data->next++)
    {
      SendoffItem *item = g_ptr_array_index (data->items, data->next);
      g_autofree char *key = item_key (self, data->transfer, item);
      g_autoptr(GError) error = NULL;
      guint64 part_size;
      guint n_parts;

      if (!plan (self, item, &part_size, &n_parts, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }

      if (sendoff_item_get_size (item) > self->part_size)
        {
          g_autoptr(SoupMessageHeaders) headers =
            soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
          g_autofree char *disposition = content_disposition (sendoff_item_get_name (item));
          const char *type = sendoff_item_get_content_type (item);

          soup_message_headers_replace (headers, "Content-Type",
                                        type ? type : "application/octet-stream");
          soup_message_headers_replace (headers, "Content-Disposition", disposition);
          s3_call_async (self, "POST", key, "uploads=", NULL, NULL, headers,
                         _("Starting a multipart upload"), g_task_get_cancellable (task),
                         on_upload_created, task);
          return;
        }

      /* One PUT: nothing to create first */
      _sendoff_item_set_remote (item, key, n_parts, part_size);
      _sendoff_item_set_provider_data (item, item_state_new (key, NULL, 1),
                                       (GDestroyNotify) item_state_free);
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
sendoff_s3_register_items_async (SendoffProvider     *provider,
                                 SendoffTransfer     *transfer,
                                 GPtrArray           *items,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (provider, cancellable, callback, user_data);
  RegisterData *data = g_new0 (RegisterData, 1);

  g_task_set_source_tag (task, sendoff_s3_register_items_async);
  data->transfer = g_object_ref (transfer);
  data->items = g_ptr_array_ref (items);
  g_task_set_task_data (task, data, (GDestroyNotify) register_data_free);
  register_next (task);
}

/* The test suite and the fault soak must see links and part URLs expire,
 * far below what the option allows: only they set SENDOFF_TEST_S3_LINK_SECONDS
 * and SENDOFF_TEST_S3_PART_SECONDS (1 to 604800), which then win. */
static guint
test_seconds (const char *variable,
              guint       otherwise)
{
  const char *text = g_getenv (variable);
  guint64 seconds;

  if (text != NULL && *text != '\0' &&
      g_ascii_string_to_unsigned (text, 10, 1, SENDOFF_SIGV4_MAX_EXPIRES, &seconds, NULL))
    return (guint) seconds;
  return otherwise;
}

/* ---- parts ------------------------------------------------------------ */

static void
sendoff_s3_get_part_target_async (SendoffProvider     *provider,
                                  SendoffItem         *item,
                                  guint                part_number,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  SendoffS3 *self = SENDOFF_S3 (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  ItemState *state = get_item_state (item);
  g_autofree char *number = g_strdup_printf ("%u", part_number);
  SendoffSigv4Pair query[] = { { "partNumber", number }, { "uploadId", NULL } };
  guint lifetime = test_seconds ("SENDOFF_TEST_S3_PART_SECONDS", PART_URL_LIFETIME);
  g_autofree char *url = NULL;
  SendoffPartTarget *target;
  GError *error = NULL;

  g_task_set_source_tag (task, sendoff_s3_get_part_target_async);

  if (state == NULL)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                               _("“%s” has no upload to send a part to"),
                               sendoff_item_get_name (item));
      return;
    }

  /* Presigned here: no round trip per part */
  query[1].value = state->upload_id;
  url = presign (self, "PUT", state->key, query, state->upload_id ? 2 : 0, lifetime, &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Asked again a little before it expires (half its life when short) */
  target = sendoff_part_target_new (url, g_get_real_time () / G_USEC_PER_SEC + lifetime -
                                         MIN (PART_URL_MARGIN, lifetime / 2));
  if (state->upload_id == NULL)
    {
      /* A single PUT makes the object: it carries what the download shows */
      const char *type = sendoff_item_get_content_type (item);
      g_autofree char *disposition = content_disposition (sendoff_item_get_name (item));

      target->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      soup_message_headers_replace (target->headers, "Content-Type",
                                    type ? type : "application/octet-stream");
      soup_message_headers_replace (target->headers, "Content-Disposition", disposition);
    }

  g_task_return_pointer (task, target, (GDestroyNotify) sendoff_part_target_free);
}

static SendoffPartTarget *
sendoff_s3_get_part_target_finish (SendoffProvider  *provider,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
sendoff_s3_part_stored (SendoffProvider     *provider,
                        SendoffItem         *item,
                        guint                part_number,
                        guint                status,
                        SoupMessageHeaders  *headers,
                        GError             **error)
{
  ItemState *state = get_item_state (item);
  const char *etag = headers ? soup_message_headers_get_one (headers, "ETag") : NULL;

  if (state == NULL || part_number < 1 || part_number > state->n_parts)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                   _("A part of “%s” was stored that was never asked for"),
                   sendoff_item_get_name (item));
      return FALSE;
    }

  if (state->upload_id == NULL)
    return TRUE;

  /* CompleteMultipartUpload needs every part's ETag back */
  if (etag == NULL || *etag == '\0' || strlen (etag) > 256 || !sendoff_header_text_safe (etag))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK,
                   _("The server stored part %u of “%s” without a usable ETag"),
                   part_number, sendoff_item_get_name (item));
      return FALSE;
    }

  g_free (state->etags[part_number - 1]);
  state->etags[part_number - 1] = g_strdup (etag);
  return TRUE;
}

static SendoffStorageVerdict
sendoff_s3_classify_storage_error (SendoffProvider    *provider,
                                   SendoffItem        *item,
                                   guint               status,
                                   SoupMessageHeaders *headers,
                                   GBytes             *body)
{
  g_autoptr(SendoffS3Error) error = body ? sendoff_s3_parse_error (body) : NULL;
  const char *code = error ? error->code : NULL;
  gboolean retryable = FALSE;
  SendoffError kind = sendoff_s3_classify (code, status, &retryable);

  /* A presigned URL that expired on its way is refused with 403: a fresh
   * one will do. Refused keys make every URL fail the same way. */
  if (g_strcmp0 (code, "SignatureDoesNotMatch") == 0 ||
      g_strcmp0 (code, "InvalidAccessKeyId") == 0)
    return SENDOFF_STORAGE_AUTH_REFUSED;
  if (status == SOUP_STATUS_FORBIDDEN)
    return SENDOFF_STORAGE_RETRY_FRESH_TARGET;
  if (retryable || SOUP_STATUS_IS_SUCCESSFUL (status))
    return SENDOFF_STORAGE_RETRY;
  if (kind == SENDOFF_ERROR_AUTH)
    return SENDOFF_STORAGE_AUTH_REFUSED;
  return SENDOFF_STORAGE_FATAL;
}

/* ---- finishing -------------------------------------------------------- */

static void
on_upload_completed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendoffItem *item = g_task_get_task_data (task);
  ItemState *state = get_item_state (item);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SendoffS3Completed) completed = NULL;
  GError *error = NULL;

  body = s3_call_finish (result, &error);
  if (body == NULL ||
      (completed = sendoff_s3_parse_complete (body, _("Completing a multipart upload"),
                                              &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* RGW Pacific may answer an empty <ETag> the first time: the object is
   * there all the same, which is all that counts. */
  if (state != NULL)
    {
      state->completed = TRUE;
      g_clear_pointer (&state->upload_id, g_free);
    }
  g_task_return_boolean (task, TRUE);
}

static void
sendoff_s3_finish_item_async (SendoffProvider     *provider,
                              SendoffTransfer     *transfer,
                              SendoffItem         *item,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SendoffS3 *self = SENDOFF_S3 (provider);
  GTask *task = g_task_new (provider, cancellable, callback, user_data);
  ItemState *state = get_item_state (item);
  g_autofree SendoffS3Part *parts = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *encoded_id = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, sendoff_s3_finish_item_async);
  g_task_set_task_data (task, g_object_ref (item), g_object_unref);

  if (state == NULL || state->upload_id == NULL)
    {
      /* One PUT made the object */
      if (state != NULL)
        state->completed = TRUE;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  parts = g_new0 (SendoffS3Part, state->n_parts);
  for (guint i = 0; i < state->n_parts; i++)
    {
      parts[i].number = i + 1;
      parts[i].etag = state->etags[i];
    }
  xml = sendoff_s3_complete_body_new (parts, state->n_parts, &error);
  if (xml == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  body = g_bytes_new (xml, strlen (xml));
  encoded_id = sendoff_sigv4_uri_encode (state->upload_id, FALSE);
  query = g_strconcat ("uploadId=", encoded_id, NULL);
  s3_call_async (self, "POST", state->key, query, body, "application/xml", NULL,
                 _("Completing a multipart upload"), cancellable, on_upload_completed, task);
}

static guint
link_seconds (SendoffS3 *self)
{
  return test_seconds ("SENDOFF_TEST_S3_LINK_SECONDS", (guint) self->link_lifetime);
}

/* The link of @key: a presigned GET that downloads under @name */
static char *
dup_download_link (SendoffS3   *self,
                   const char  *key,
                   const char  *name,
                   GError     **error)
{
  g_autofree char *disposition = content_disposition (name);
  SendoffSigv4Pair query[] = { { "response-content-disposition", disposition } };

  return presign (self, "GET", key, query, G_N_ELEMENTS (query), link_seconds (self), error);
}

typedef struct {
  SendoffTransfer *transfer;
  char            *link;
  char            *page_name;
  gint64           expires_at;
} FinishData;

static void
finish_data_free (FinishData *data)
{
  g_clear_object (&data->transfer);
  g_free (data->link);
  g_free (data->page_name);
  g_free (data);
}

/* The share page sits beside the files: a file of the transfer called
 * index.html must not be overwritten by it, so it takes the first of
 * index.html, index-2.html, … that no file has. */
static char *
dup_page_name (GListModel *items)
{
  guint n = g_list_model_get_n_items (items);

  for (guint attempt = 1; ; attempt++)
    {
      g_autofree char *name = attempt == 1 ? g_strdup (SHARE_PAGE_NAME)
                                           : g_strdup_printf ("index-%u.html", attempt);
      gboolean taken = FALSE;

      for (guint i = 0; i < n && !taken; i++)
        {
          g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

          taken = g_str_equal (sendoff_item_get_name (item), name);
        }
      if (!taken)
        return g_steal_pointer (&name);
    }
}

static void
finish_transfer_done (GTask *task)
{
  FinishData *data = g_task_get_task_data (task);

  _sendoff_transfer_set_link_expires_at (data->transfer, data->expires_at);
  _sendoff_transfer_set_share_url (data->transfer, data->link);
  _sendoff_transfer_set_result (data->transfer, data->link);
  g_task_return_boolean (task, TRUE);
}

static void
on_page_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FinishData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = s3_call_finish (result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  {
    TransferState *state = get_transfer_state (data->transfer);

    state->page_stored = TRUE;
    g_free (state->page_name);
    state->page_name = g_steal_pointer (&data->page_name);
  }
  finish_transfer_done (task);
}

static void
sendoff_s3_finish_transfer_async (SendoffProvider     *provider,
                                  SendoffTransfer     *transfer,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  SendoffS3 *self = SENDOFF_S3 (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  GListModel *items = sendoff_transfer_get_items (transfer);
  guint n = g_list_model_get_n_items (items);
  g_autoptr(GArray) files = g_array_new (FALSE, TRUE, sizeof (SendoffS3ShareFile));
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *page = NULL;
  g_autofree char *title = NULL;
  g_autofree char *page_key = NULL;
  g_autofree char *prefix = dup_prefix (self);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  FinishData *data = g_new0 (FinishData, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, sendoff_s3_finish_transfer_async);
  data->transfer = g_object_ref (transfer);
  data->expires_at = g_get_real_time () / G_USEC_PER_SEC + (gint64) link_seconds (self);
  g_task_set_task_data (task, data, (GDestroyNotify) finish_data_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      ItemState *state = get_item_state (item);
      SendoffS3ShareFile file = { 0 };
      char *link;

      if (state == NULL)
        {
          g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                                   _("“%s” was never uploaded"), sendoff_item_get_name (item));
          return;
        }
      link = dup_download_link (self, state->key, sendoff_item_get_name (item), &error);
      if (link == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (links, link);
      file.name = sendoff_item_get_name (item);
      file.size = sendoff_item_get_size (item);
      file.url = link;
      g_array_append_val (files, file);
    }

  if (n == 1)
    {
      data->link = g_strdup (g_ptr_array_index (links, 0));
      finish_transfer_done (task);
      return;
    }

  /* Several files: a page linking each, beside them */
  expires = g_date_time_new_from_unix_utc (data->expires_at);
  title = sendoff_transfer_dup_effective_name (transfer);
  page = sendoff_s3_share_page_new (title, sendoff_transfer_get_description (transfer),
                                    (const SendoffS3ShareFile *) files->data, files->len,
                                    expires, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->page_name = dup_page_name (items);
  page_key = g_strconcat (prefix, get_transfer_state (transfer)->id, "/", data->page_name, NULL);
  {
    SendoffSigv4Pair query[] = { { "response-content-type", "text/html; charset=utf-8" } };

    data->link = presign (self, "GET", page_key, query, G_N_ELEMENTS (query),
                          link_seconds (self), &error);
  }
  if (data->link == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_replace (headers, "Content-Disposition", "inline");
  body = g_bytes_new (page, strlen (page));
  s3_call_async (self, "PUT", page_key, NULL, body, "text/html; charset=utf-8", headers,
                 _("Storing the share page"), cancellable, on_page_stored,
                 g_steal_pointer (&task));
}

/* ---- abort ------------------------------------------------------------ */

typedef struct {
  GPtrArray *requests;     /* of char *: "METHOD key\nquery" */
  guint      next;
  GError    *first_error;
} AbortData;

static void
abort_data_free (AbortData *data)
{
  g_clear_pointer (&data->requests, g_ptr_array_unref);
  g_clear_error (&data->first_error);
  g_free (data);
}

static void abort_next (GTask *task);

static void
on_aborted_one (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  AbortData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = s3_call_finish (result, &error);
  const char *code = _sendoff_error_get_server_code (error);

  /* Gone already (NoSuchUpload, NoSuchKey) is what we wanted */
  if (body == NULL && data->first_error == NULL &&
      (code == NULL || !g_str_has_prefix (code, "NoSuch")))
    data->first_error = g_steal_pointer (&error);

  data->next++;
  abort_next (task);
}

static void
abort_next (GTask *task)
{
  SendoffS3 *self = g_task_get_source_object (task);
  AbortData *data = g_task_get_task_data (task);
  g_auto(GStrv) parts = NULL;

  if (data->next >= data->requests->len)
    {
      if (data->first_error != NULL)
        g_task_return_error (task, g_steal_pointer (&data->first_error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  parts = g_strsplit (g_ptr_array_index (data->requests, data->next), "\n", 2);
  s3_call_async (self, "DELETE", parts[0], *parts[1] ? parts[1] : NULL, NULL, NULL, NULL,
                 _("Removing what was uploaded"), g_task_get_cancellable (task),
                 on_aborted_one, task);
}

static void
sendoff_s3_abort_async (SendoffProvider     *provider,
                        SendoffTransfer     *transfer,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  SendoffS3 *self = SENDOFF_S3 (provider);
  GTask *task = g_task_new (provider, cancellable, callback, user_data);
  AbortData *data = g_new0 (AbortData, 1);
  GListModel *items = sendoff_transfer_get_items (transfer);
  TransferState *transfer_state = get_transfer_state (transfer);

  g_task_set_source_tag (task, sendoff_s3_abort_async);
  data->requests = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) abort_data_free);

  /* Unfinished uploads cost storage until aborted; finished objects of a
   * transfer that will never have a link are only clutter. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      ItemState *state = get_item_state (item);

      if (state == NULL)
        continue;
      if (state->upload_id != NULL)
        {
          g_autofree char *encoded = sendoff_sigv4_uri_encode (state->upload_id, FALSE);

          g_ptr_array_add (data->requests, g_strconcat (state->key, "\nuploadId=", encoded, NULL));
        }
      else if (state->completed || _sendoff_item_count_parts_done (item) > 0)
        g_ptr_array_add (data->requests, g_strconcat (state->key, "\n", NULL));
    }
  if (transfer_state != NULL && transfer_state->page_stored)
    {
      g_autofree char *prefix = dup_prefix (self);

      g_ptr_array_add (data->requests,
                       g_strconcat (prefix, transfer_state->id, "/",
                                    transfer_state->page_name ? transfer_state->page_name
                                                              : SHARE_PAGE_NAME,
                                    "\n", NULL));
    }

  abort_next (task);
}

/* ---- reconcile (resume) ---------------------------------------------- */

/* Before a resumed send: what the bucket holds of every unfinished
 * multipart upload (ListParts, page by page) decides which parts are
 * stored, not what the journal remembers. */
typedef struct {
  GPtrArray *items;         /* SendoffItem with an unfinished upload */
  guint      next;
  guint      marker;        /* part-number-marker of the next page */
  guint8    *listed;        /* per part of the current item: held, right size */
} ReconcileData;

static void
reconcile_data_free (ReconcileData *data)
{
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_free (data->listed);
  g_free (data);
}

static void reconcile_next (GTask *task);

static void
reconcile_item_done (ReconcileData *data,
                     SendoffItem   *item)
{
  ItemState *state = get_item_state (item);

  /* A part the journal had that the bucket does not hold is sent again */
  for (guint n = 1; n <= state->n_parts; n++)
    {
      if (!data->listed[n - 1] && _sendoff_item_part_is_done (item, n))
        {
          g_debug ("part %u of “%s” is not in the bucket: sent again", n, state->key);
          _sendoff_item_unmark_part_done (item, n);
          g_clear_pointer (&state->etags[n - 1], g_free);
        }
    }
  g_clear_pointer (&data->listed, g_free);
  data->marker = 0;
  data->next++;
}

static void
on_object_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  ReconcileData *data = g_task_get_task_data (task);
  SendoffItem *item = g_ptr_array_index (data->items, data->next);
  ItemState *state = get_item_state (item);
  g_autoptr(GBytes) body = s3_call_finish (result, NULL);

  if (body == NULL)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_FORGOTTEN,
                               _("The bucket no longer holds the unfinished upload of “%s”: "
                                 "it was aborted, or it expired"),
                               sendoff_item_get_name (item));
      g_object_unref (task);
      return;
    }

  for (guint n = 1; n <= state->n_parts; n++)
    _sendoff_item_mark_part_done (item, n);
  state->completed = TRUE;
  g_clear_pointer (&state->upload_id, g_free);
  g_clear_pointer (&data->listed, g_free);
  data->marker = 0;
  data->next++;
  reconcile_next (task);
}

static void
on_parts_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ReconcileData *data = g_task_get_task_data (task);
  SendoffItem *item = g_ptr_array_index (data->items, data->next);
  ItemState *state = get_item_state (item);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SendoffS3PartList) list = NULL;
  g_autoptr(GError) error = NULL;

  body = s3_call_finish (result, &error);
  if (body == NULL &&
      (g_strcmp0 (_sendoff_error_get_server_code (error), "NoSuchUpload") == 0 ||
       g_strcmp0 (_sendoff_error_get_server_code (error), "NoSuchKey") == 0))
    {
      /* Completed just before the stop, before the journal knew: the
       * object is there (its key holds this transfer's own id) */
      s3_call_async (g_task_get_source_object (task), "HEAD", state->key, NULL, NULL, NULL,
                     NULL, _("Looking for the file"), g_task_get_cancellable (task),
                     on_object_looked_up, task);
      return;
    }
  if (body == NULL ||
      (list = sendoff_s3_parse_list_parts (body, _("Listing the stored parts"), &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < list->parts->len; i++)
    {
      SendoffS3Part *part = &g_array_index (list->parts, SendoffS3Part, i);
      guint64 offset, length;

      if (part->number < 1 || part->number > state->n_parts)
        continue;
      _sendoff_item_get_part_range (item, part->number, &offset, &length);
      /* A part of another size (a file planned otherwise) is not ours */
      if (part->size != 0 && part->size != length)
        continue;
      data->listed[part->number - 1] = 1;
      g_free (state->etags[part->number - 1]);
      state->etags[part->number - 1] = g_strdup (part->etag);
      _sendoff_item_mark_part_done (item, part->number);
    }

  if (list->is_truncated)
    data->marker = list->next_part_number_marker;
  else
    reconcile_item_done (data, item);
  reconcile_next (task);
}

static void
reconcile_next (GTask *task)
{
  SendoffS3 *self = g_task_get_source_object (task);
  ReconcileData *data = g_task_get_task_data (task);
  ItemState *state;
  g_autofree char *encoded = NULL;
  g_autofree char *query = NULL;

  if (data->next >= data->items->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  state = get_item_state (g_ptr_array_index (data->items, data->next));
  if (data->listed == NULL)
    data->listed = g_new0 (guint8, state->n_parts);
  encoded = sendoff_sigv4_uri_encode (state->upload_id, FALSE);
  query = data->marker > 0
            ? g_strdup_printf ("part-number-marker=%u&uploadId=%s", data->marker, encoded)
            : g_strconcat ("uploadId=", encoded, NULL);
  s3_call_async (self, "GET", state->key, query, NULL, NULL, NULL,
                 _("Listing the stored parts"), g_task_get_cancellable (task),
                 on_parts_listed, task);
}

static void
sendoff_s3_reconcile_async (SendoffProvider     *provider,
                            SendoffTransfer     *transfer,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (provider, cancellable, callback, user_data);
  ReconcileData *data = g_new0 (ReconcileData, 1);
  GListModel *items = sendoff_transfer_get_items (transfer);

  g_task_set_source_tag (task, sendoff_s3_reconcile_async);
  data->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) reconcile_data_free);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      ItemState *state = get_item_state (item);

      if (state != NULL && state->upload_id != NULL && !state->completed)
        g_ptr_array_add (data->items, g_steal_pointer (&item));
    }

  reconcile_next (task);
}

/* ---- journal state ---------------------------------------------------- */

static char *
sendoff_s3_save_state (SendoffProvider *provider,
                       SendoffTransfer *transfer,
                       SendoffItem     *item)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (item == NULL)
    {
      TransferState *state = get_transfer_state (transfer);

      if (state == NULL)
        return NULL;
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, state->id);
      json_builder_set_member_name (builder, "page");
      json_builder_add_boolean_value (builder, state->page_stored);
      if (state->page_name != NULL)
        {
          json_builder_set_member_name (builder, "page_name");
          json_builder_add_string_value (builder, state->page_name);
        }
    }
  else
    {
      ItemState *state = get_item_state (item);

      if (state == NULL)
        return NULL;
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, state->key);
      json_builder_set_member_name (builder, "upload_id");
      if (state->upload_id)
        json_builder_add_string_value (builder, state->upload_id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "completed");
      json_builder_add_boolean_value (builder, state->completed);
      json_builder_set_member_name (builder, "etags");
      json_builder_begin_array (builder);
      for (guint i = 0; i < state->n_parts; i++)
        {
          if (state->etags[i] != NULL)
            json_builder_add_string_value (builder, state->etags[i]);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
restore_error (GError **error)
{
  g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                       _("The saved state of the S3 upload is damaged"));
  return FALSE;
}

static gboolean
sendoff_s3_restore_state (SendoffProvider  *provider,
                          SendoffTransfer  *transfer,
                          SendoffItem      *item,
                          const char       *json,
                          GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(JsonNode) root = sendoff_json_parse_object (bytes, _("The saved S3 state"), error);
  JsonObject *object;

  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);

  if (item == NULL)
    {
      const char *id = sendoff_json_get_string (object, "id", 64);
      const char *page_name = sendoff_json_get_string (object, "page_name", 64);
      TransferState *state;

      if (id == NULL || strlen (id) != ID_LENGTH || strspn (id, "abcdefghijklmnopqrstuvwxyz234567") != ID_LENGTH)
        return restore_error (error);
      if (page_name != NULL &&
          (strchr (page_name, '/') != NULL || !g_str_has_suffix (page_name, ".html")))
        return restore_error (error);
      state = g_new0 (TransferState, 1);
      state->id = g_strdup (id);
      state->page_stored = json_object_get_boolean_member_with_default (object, "page", FALSE);
      state->page_name = g_strdup (page_name);
      _sendoff_transfer_set_provider_data (transfer, state, (GDestroyNotify) transfer_state_free);
      _sendoff_transfer_set_remote_id (transfer, id);
      return TRUE;
    }
  else
    {
      const char *key = sendoff_json_get_string (object, "key", 4096);
      const char *upload_id = sendoff_json_get_string (object, "upload_id", 4096);
      JsonArray *etags = json_object_has_member (object, "etags") &&
                         JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "etags"))
                           ? json_object_get_array_member (object, "etags") : NULL;
      guint n_parts = _sendoff_item_get_n_parts (item);
      ItemState *state;

      if (key == NULL || etags == NULL || json_array_get_length (etags) != n_parts || n_parts == 0)
        return restore_error (error);

      state = item_state_new (key, upload_id, n_parts);
      state->completed = json_object_get_boolean_member_with_default (object, "completed", FALSE);
      for (guint i = 0; i < n_parts; i++)
        {
          JsonNode *node = json_array_get_element (etags, i);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
              sendoff_header_text_safe (json_node_get_string (node)))
            state->etags[i] = g_strdup (json_node_get_string (node));
        }
      _sendoff_item_set_provider_data (item, state, (GDestroyNotify) item_state_free);
      return TRUE;
    }
}

static void
provider_iface_init (SendoffProviderInterface *iface)
{
  iface->info = &s3_info;
  iface->has_secret = sendoff_s3_has_secret;
  iface->check_async = sendoff_s3_check_async;
  iface->check_finish = boolean_finish;
  iface->check_limits = sendoff_s3_check_limits;
  iface->authorize_async = sendoff_s3_authorize_async;
  iface->authorize_finish = boolean_finish;
  iface->begin_transfer_async = sendoff_s3_begin_transfer_async;
  iface->begin_transfer_finish = boolean_finish;
  iface->register_items_async = sendoff_s3_register_items_async;
  iface->register_items_finish = boolean_finish;
  iface->get_part_target_async = sendoff_s3_get_part_target_async;
  iface->get_part_target_finish = sendoff_s3_get_part_target_finish;
  iface->part_stored = sendoff_s3_part_stored;
  iface->classify_storage_error = sendoff_s3_classify_storage_error;
  iface->finish_item_async = sendoff_s3_finish_item_async;
  iface->finish_item_finish = boolean_finish;
  iface->finish_transfer_async = sendoff_s3_finish_transfer_async;
  iface->finish_transfer_finish = boolean_finish;
  iface->abort_async = sendoff_s3_abort_async;
  iface->abort_finish = boolean_finish;
  iface->reconcile_async = sendoff_s3_reconcile_async;
  iface->reconcile_finish = boolean_finish;
  iface->save_state = sendoff_s3_save_state;
  iface->restore_state = sendoff_s3_restore_state;
}

/* ---- GObject ---------------------------------------------------------- */

static void
sendoff_s3_finalize (GObject *object)
{
  SendoffS3 *self = SENDOFF_S3 (object);

  g_free (self->endpoint);
  g_free (self->region);
  g_free (self->bucket);
  g_free (self->addressing);
  g_free (self->prefix);
  sendoff_secret_clear (&self->access_key_id);
  sendoff_secret_clear (&self->secret_access_key);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sendoff_s3_parent_class)->finalize (object);
}

static void
sendoff_s3_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SendoffS3 *self = SENDOFF_S3 (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:      g_value_set_string (value, self->endpoint); break;
    case PROP_REGION:        g_value_set_string (value, self->region); break;
    case PROP_BUCKET:        g_value_set_string (value, self->bucket); break;
    case PROP_ADDRESSING:    g_value_set_string (value, self->addressing); break;
    case PROP_PREFIX:        g_value_set_string (value, self->prefix); break;
    case PROP_LINK_LIFETIME: g_value_set_uint64 (value, self->link_lifetime); break;
    case PROP_PART_SIZE:     g_value_set_uint64 (value, self->part_size); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_s3_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SendoffS3 *self = SENDOFF_S3 (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_free (self->endpoint);
      self->endpoint = sendoff_api_url_normalize (g_value_get_string (value));
      break;
    case PROP_REGION:
      g_free (self->region);
      self->region = g_value_dup_string (value);
      break;
    case PROP_BUCKET:
      g_free (self->bucket);
      self->bucket = g_value_dup_string (value);
      break;
    case PROP_ADDRESSING:
      g_free (self->addressing);
      self->addressing = g_value_dup_string (value);
      break;
    case PROP_PREFIX:
      g_free (self->prefix);
      self->prefix = g_value_dup_string (value);
      break;
    case PROP_LINK_LIFETIME:
      self->link_lifetime = g_value_get_uint64 (value);
      break;
    case PROP_PART_SIZE:
      self->part_size = g_value_get_uint64 (value);
      break;
    case PROP_ACCESS_KEY_ID:
      sendoff_secret_replace (&self->access_key_id, g_value_get_string (value), TRUE);
      break;
    case PROP_SECRET_ACCESS_KEY:
      sendoff_secret_replace (&self->secret_access_key, g_value_get_string (value), TRUE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_s3_class_init (SendoffS3Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sendoff_s3_finalize;
  object_class->get_property = sendoff_s3_get_property;
  object_class->set_property = sendoff_s3_set_property;

  properties[PROP_ENDPOINT] = g_param_spec_string ("endpoint", NULL, NULL, NULL, flags);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, "us-east-1", flags);
  properties[PROP_BUCKET] = g_param_spec_string ("bucket", NULL, NULL, NULL, flags);
  properties[PROP_ADDRESSING] = g_param_spec_string ("addressing", NULL, NULL, "path", flags);
  properties[PROP_PREFIX] = g_param_spec_string ("prefix", NULL, NULL, "sendoff/", flags);
  properties[PROP_LINK_LIFETIME] =
    g_param_spec_uint64 ("link-lifetime", NULL, NULL, 1, SENDOFF_SIGV4_MAX_EXPIRES,
                         SENDOFF_SIGV4_MAX_EXPIRES, flags);
  properties[PROP_PART_SIZE] =
    g_param_spec_uint64 ("part-size", NULL, NULL, SENDOFF_S3_MIN_PART_SIZE,
                         SENDOFF_S3_MAX_PART_SIZE, SENDOFF_S3_PART_SIZE, flags);
  properties[PROP_ACCESS_KEY_ID] =
    g_param_spec_string ("access-key-id", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRET_ACCESS_KEY] =
    g_param_spec_string ("secret-access-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sendoff_s3_init (SendoffS3 *self)
{
  self->region = g_strdup ("us-east-1");
  self->addressing = g_strdup ("path");
  self->prefix = g_strdup ("sendoff/");
  self->link_lifetime = SENDOFF_SIGV4_MAX_EXPIRES;
  self->part_size = SENDOFF_S3_PART_SIZE;
  self->session = sendoff_http_session_new (API_CONNECTIONS);
}
