/* sendoff-sandbox-storage.c — the S3-like storage endpoint: presigned PUTs streamed to disk
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-sandbox"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sendoff-sandbox-server.h"

#define WT_PREFIX "/storage/wt/"
#define WL_PREFIX "/storage/wl/"
#define PUT_KEY "sandbox-put"
#define DOOMED_KEY "sandbox-doomed"
#define WL_ACCESS_KEY "SANDBOXACCESSKEY"

/* Bytes queued for the disk before the connection stops being read. */
#define QUEUE_HIGH (8 * 1024 * 1024)
#define QUEUE_LOW  (2 * 1024 * 1024)

typedef struct
{
  gatomicrefcount    ref_count;
  SandboxServer     *self;
  SoupServerMessage *msg;       /* weak */
  SandboxFile       *file;
  guint              part_number;
  guint              attempt;
  guint64            expected;
  guint64            received;
  guint64            reset_at;
  char              *tmp_path;
  int                fd;
  GChecksum         *checksum;
  gboolean           bp_paused;
  gboolean           reset_fired;

  /* shared with the writer thread */
  GMutex             mutex;
  GQueue             queue;
  gsize              queued;
  gboolean           scheduled;
  gboolean           body_done;
  gboolean           notified;
  gboolean           cancelled;
  gboolean           want_resume;
  int                write_errno;
  guint64            written;
} SandboxPut;

static SandboxPut *
put_ref (SandboxPut *put)
{
  g_atomic_ref_count_inc (&put->ref_count);
  return put;
}

static void
put_unref (SandboxPut *put)
{
  if (!g_atomic_ref_count_dec (&put->ref_count))
    return;
  if (put->msg != NULL)
    g_object_remove_weak_pointer (G_OBJECT (put->msg), (gpointer *) &put->msg);
  g_queue_clear_full (&put->queue, (GDestroyNotify) g_bytes_unref);
  if (put->fd >= 0)
    close (put->fd);
  if (put->tmp_path != NULL)
    g_unlink (put->tmp_path);
  g_free (put->tmp_path);
  g_checksum_free (put->checksum);
  g_mutex_clear (&put->mutex);
  g_free (put);
}

gboolean
sandbox_storage_is_path (const char *path)
{
  return g_str_has_prefix (path, "/storage/");
}

static char *
part_path (SandboxFile *file,
           guint        number)
{
  g_autofree char *name = g_strdup_printf ("part-%05u", number);

  return g_build_filename (file->dir, name, NULL);
}

/* ---- secrets ----------------------------------------------------------- */

static gboolean
value_contains_any (const char  *value,
                    char       **needles)
{
  for (guint i = 0; needles != NULL && needles[i] != NULL; i++)
    if (*needles[i] != '\0' && strstr (value, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
headers_carry_secret (SandboxServer      *self,
                      SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      GHashTableIter tokens;
      gpointer token;

      if (g_ascii_strcasecmp (name, "x-api-key") == 0 ||
          g_ascii_strcasecmp (name, "x-access-token") == 0 ||
          g_ascii_strncasecmp (value, "Bearer ", 7) == 0 ||
          value_contains_any (value, self->opts->api_keys) ||
          value_contains_any (value, self->opts->access_tokens))
        return TRUE;

      g_hash_table_iter_init (&tokens, self->tokens);
      while (g_hash_table_iter_next (&tokens, &token, NULL))
        if (strstr (value, token) != NULL)
          return TRUE;
    }
  return FALSE;
}

/* ---- signing ------------------------------------------------------------ */

char *
sandbox_storage_wt_url (SandboxServer *self,
                        SandboxFile   *file,
                        guint          part,
                        gint64         expires_at)
{
  g_autofree char *path = g_strconcat (WT_PREFIX, file->id, NULL);
  g_autofree char *query = NULL;
  g_autofree char *to_sign = NULL;
  g_autofree char *signature = NULL;

  query = g_strdup_printf ("partNumber=%u&uploadId=%s&X-Amz-Algorithm=SANDBOX-HMAC-SHA256"
                           "&X-Amz-Expires-At=%" G_GINT64_FORMAT,
                           part, file->multipart_upload_id, expires_at);
  to_sign = g_strdup_printf ("PUT\n%s\n%s", path, query);
  signature = sandbox_server_sign (self, to_sign);
  return g_strdup_printf ("%s%s?%s&X-Amz-Signature=%s", self->base_url, path, query, signature);
}

static char *
wl_signature (SandboxServer *self,
              const char    *content_type,
              const char    *date,
              const char    *resource)
{
  g_autofree char *to_sign = NULL;
  g_autofree char *hex = NULL;

  /* AWS signature v2: verb, Content-MD5, Content-Type, Date, x-amz headers, resource */
  to_sign = g_strdup_printf ("PUT\n\n%s\n\nx-amz-date:%s\n%s", content_type, date, resource);
  hex = sandbox_server_sign (self, to_sign);
  return g_strdup_printf ("AWS %s:%s", WL_ACCESS_KEY, hex);
}

void
sandbox_storage_wl_part (SandboxServer *self,
                         SandboxFile   *file,
                         guint          part,
                         JsonObject    *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  g_autofree char *resource = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *url = NULL;

  resource = g_strdup_printf (WL_PREFIX "%s?partNumber=%u&uploadId=%s",
                              file->id, part, file->multipart_upload_id);
  authorization = wl_signature (self, "", date, resource);
  url = g_strconcat (self->base_url, resource, NULL);
  json_object_set_string_member (out, "url", url);
  json_object_set_string_member (out, "date", date);
  json_object_set_string_member (out, "authorization", authorization);
}

static gboolean
strings_equal_ct (const char *a,
                  const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint8 diff = la != lb;

  for (gsize i = 0; i < MIN (la, lb); i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

static gboolean
lookup_part_number (GHashTable *params,
                    guint      *out)
{
  guint64 value;

  if (!sandbox_parse_uint (g_hash_table_lookup (params, "partNumber"),
                           SANDBOX_WL_MAX_PARTS, &value) || value < 1)
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

static SandboxFile *
check_upload (SandboxServer     *self,
              SoupServerMessage *msg,
              GHashTable        *table,
              const char        *id,
              GHashTable        *params)
{
  SandboxFile *file = g_hash_table_lookup (table, id);

  if (file == NULL || file->completed || file->finishing ||
      g_strcmp0 (g_hash_table_lookup (params, "uploadId"), file->multipart_upload_id) != 0)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchUpload",
                              "The specified upload does not exist. The upload ID may be invalid, "
                              "or the upload may have been aborted or completed.");
      return NULL;
    }
  return file;
}

static SandboxFile *
check_wt_request (SandboxServer     *self,
                  SoupServerMessage *msg,
                  const char        *path,
                  guint             *part)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  const char *sig;
  g_autofree char *signed_part = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GHashTable) params = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  guint64 expires_at;
  SandboxFile *file;

  sig = query != NULL ? strstr (query, "&X-Amz-Signature=") : NULL;
  if (sig == NULL || strchr (sig + 1, '&') != NULL)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied",
                              "Query-string authentication requires the Signature, Expires and "
                              "AWSAccessKeyId parameters");
      return NULL;
    }
  signed_part = g_strdup_printf ("%s\n%s\n%.*s", soup_server_message_get_method (msg), path,
                                 (int) (sig - query), query);
  expected = sandbox_server_sign (self, signed_part);
  if (!strings_equal_ct (expected, sig + strlen ("&X-Amz-Signature=")))
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_FORBIDDEN, "SignatureDoesNotMatch",
                              "The request signature we calculated does not match the signature "
                              "you provided. Check your key and signing method.");
      return NULL;
    }
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL ||
      !sandbox_parse_uint (g_hash_table_lookup (params, "X-Amz-Expires-At"), G_MAXINT64,
                           &expires_at) ||
      g_get_real_time () / G_USEC_PER_SEC >= (gint64) expires_at)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied", "Request has expired");
      return NULL;
    }
  /* S3 refuses a second auth mechanism next to a presigned query */
  if (soup_message_headers_get_one (headers, "Authorization") != NULL)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_BAD_REQUEST, "InvalidArgument",
                              "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                              "parameter, Signature query string parameter or the Authorization "
                              "header should be specified");
      return NULL;
    }
  file = check_upload (self, msg, self->wt_files, path + strlen (WT_PREFIX), params);
  if (file == NULL)
    return NULL;
  if (!lookup_part_number (params, part) || *part > file->n_parts)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_BAD_REQUEST, "InvalidArgument",
                              "Part number must be an integer between 1 and the file's parts");
      return NULL;
    }
  return file;
}

static gboolean
check_wl_date (SandboxServer *self,
               const char    *date)
{
  g_autoptr(GDateTime) signed_at = soup_date_time_new_from_http_string (date);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return signed_at != NULL &&
         g_date_time_difference (now, signed_at) < (GTimeSpan) self->opts->url_ttl * G_USEC_PER_SEC;
}

static SandboxFile *
check_wl_request (SandboxServer     *self,
                  SoupServerMessage *msg,
                  const char        *path,
                  guint             *part)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *date = soup_message_headers_get_one (headers, "x-amz-date");
  const char *content_type = soup_message_headers_get_one (headers, "Content-Type");
  g_autofree char *resource = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GHashTable) params = NULL;
  SandboxFile *file;

  if (authorization == NULL || date == NULL)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied",
                              authorization == NULL ? "Anonymous access is forbidden for this operation"
                              : "AWS authentication requires a valid Date or x-amz-date header");
      return NULL;
    }
  resource = g_strdup_printf ("%s?%s", path, query != NULL ? query : "");
  expected = wl_signature (self, content_type != NULL ? content_type : "", date, resource);
  /* The seed: without an empty Content-Type "Amazon will reject the request
   * because of an invalid signature". */
  if (content_type == NULL || !strings_equal_ct (expected, authorization))
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_FORBIDDEN, "SignatureDoesNotMatch",
                              content_type == NULL
                              ? "The request signature we calculated does not match the signature "
                                "you provided: the Content-Type header must be present and empty."
                              : "The request signature we calculated does not match the signature "
                                "you provided. Check your key and signing method.");
      return NULL;
    }
  if (!check_wl_date (self, date))
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied", "Request has expired");
      return NULL;
    }
  params = g_uri_parse_params (query != NULL ? query : "", -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    params = g_hash_table_new (g_str_hash, g_str_equal);
  file = check_upload (self, msg, self->wl_uploads, path + strlen (WL_PREFIX), params);
  if (file == NULL)
    return NULL;
  if (!lookup_part_number (params, part))
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_BAD_REQUEST, "InvalidArgument",
                              "Part number must be an integer between 1 and 10000, inclusive");
      return NULL;
    }
  return file;
}

/* ---- streaming ---------------------------------------------------------- */

static gboolean
put_resume_main (gpointer data)
{
  SandboxPut *put = data;

  if (put->bp_paused && put->msg != NULL && !sandbox_message_is_finished (put->msg))
    {
      put->bp_paused = FALSE;
      soup_server_message_unpause (put->msg);
    }
  return G_SOURCE_REMOVE;
}

static void
put_invoke (SandboxPut  *put,
            GSourceFunc  func)
{
  g_main_context_invoke_full (put->self->context, G_PRIORITY_DEFAULT, func, put_ref (put),
                              (GDestroyNotify) put_unref);
}

static void
write_chunk (SandboxPut *put,
             GBytes     *chunk)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (chunk, &size);

  g_checksum_update (put->checksum, data, size);
  while (put->fd >= 0 && size > 0)
    {
      gssize n = write (put->fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          put->write_errno = errno;
          return;
        }
      data += n;
      size -= n;
    }
  put->written += g_bytes_get_size (chunk);
}

static gboolean put_complete_main (gpointer data);

void
sandbox_storage_writer_func (gpointer data,
                             gpointer user_data)
{
  SandboxPut *put = data;
  gboolean notify = FALSE;

  for (;;)
    {
      GBytes *chunk;
      gboolean skip, resume = FALSE;

      g_mutex_lock (&put->mutex);
      chunk = g_queue_pop_head (&put->queue);
      if (chunk == NULL)
        {
          put->scheduled = FALSE;
          notify = put->body_done && !put->notified;
          put->notified |= notify;
          g_mutex_unlock (&put->mutex);
          break;
        }
      skip = put->cancelled || put->write_errno != 0;
      g_mutex_unlock (&put->mutex);

      if (!skip)
        write_chunk (put, chunk);

      g_mutex_lock (&put->mutex);
      put->queued -= g_bytes_get_size (chunk);
      if (put->want_resume && put->queued <= QUEUE_LOW)
        {
          put->want_resume = FALSE;
          resume = TRUE;
        }
      g_mutex_unlock (&put->mutex);
      g_bytes_unref (chunk);
      if (resume)
        put_invoke (put, put_resume_main);
    }

  if (notify)
    put_invoke (put, put_complete_main);
  put_unref (put);
}


/* Kills the connection the way a dead peer does: a reset, not a polite
 * half-close. shutdown() alone leaves the socket open and unread, so the
 * client's body fills the window and it stalls until its own timeout
 * instead of failing at once. Linger 0 makes the close send RST; /dev/null
 * takes over the descriptor so that libsoup, still holding it, reads EOF
 * and lets the connection go instead of polling a number that may be
 * reused. */
static void
kill_connection (GSocket *socket)
{
  struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };
  int fd, null_fd;

  if (socket == NULL)
    return;

  fd = g_socket_get_fd (socket);
  setsockopt (fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  null_fd = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0 || dup2 (null_fd, fd) < 0)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  if (null_fd >= 0)
    close (null_fd);
}

static void
put_got_chunk (SoupServerMessage *msg,
               GBytes            *chunk,
               SandboxPut        *put)
{
  gsize size = g_bytes_get_size (chunk);
  gboolean schedule = FALSE, pause = FALSE;

  put->received += size;
  g_mutex_lock (&put->mutex);
  if (!put->cancelled)
    {
      g_queue_push_tail (&put->queue, g_bytes_ref (chunk));
      put->queued += size;
      schedule = !put->scheduled;
      put->scheduled = TRUE;
      if (put->queued > QUEUE_HIGH && !put->bp_paused)
        put->want_resume = pause = TRUE;
    }
  g_mutex_unlock (&put->mutex);

  if (schedule)
    g_thread_pool_push (put->self->writers, put_ref (put), NULL);
  if (pause)
    {
      put->bp_paused = TRUE;
      soup_server_message_pause (msg);
    }
  if (put->received >= put->reset_at)
    {
      put->reset_at = G_MAXUINT64;
      put->reset_fired = TRUE;
      put->self->faults[SANDBOX_FAULT_PUT_RESET]++;
      kill_connection (soup_server_message_get_socket (msg));
    }
}

static void
storage_msg_finished (SoupServerMessage *msg,
                      SandboxServer     *self)
{
  SandboxPut *put = g_object_get_data (G_OBJECT (msg), PUT_KEY);

  self->puts_in_flight--;
  if (put == NULL)
    return;
  g_mutex_lock (&put->mutex);
  put->cancelled = TRUE;
  g_mutex_unlock (&put->mutex);
}

static gboolean
put_open (SandboxPut  *put,
          GError     **error)
{
  SandboxServer *self = put->self;
  g_autofree char *name = NULL;

  put->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  if (self->opts->discard)
    return TRUE;
  if (g_mkdir_with_parents (put->file->dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  name = g_strdup_printf ("part-%05u.put-%" G_GUINT64_FORMAT ".tmp", put->part_number,
                          ++self->put_serial);
  put->tmp_path = g_build_filename (put->file->dir, name, NULL);
  put->fd = g_open (put->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (put->fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      g_clear_pointer (&put->tmp_path, g_free);
      return FALSE;
    }
  return TRUE;
}

static void
start_put (SandboxServer     *self,
           SoupServerMessage *msg,
           SandboxFile       *file,
           guint              number,
           guint64            length)
{
  SandboxPart *part = sandbox_file_ensure_part (file, number);
  SandboxPut *put = g_new0 (SandboxPut, 1);
  g_autoptr(GError) error = NULL;

  g_atomic_ref_count_init (&put->ref_count);
  g_mutex_init (&put->mutex);
  put->self = self;
  put->file = file;
  put->part_number = number;
  put->attempt = ++part->attempts;
  put->expected = length;
  put->fd = -1;
  put->reset_at = G_MAXUINT64;
  put->msg = msg;
  g_object_add_weak_pointer (G_OBJECT (msg), (gpointer *) &put->msg);
  g_object_set_data_full (G_OBJECT (msg), PUT_KEY, put, (GDestroyNotify) put_unref);

  if (sandbox_server_draw_fault (self, SANDBOX_FAULT_PUT_500, self->opts->fail_put_rate,
                                 file->filename, number, put->attempt))
    {
      self->faults[SANDBOX_FAULT_PUT_500]++;
      sandbox_reply_s3_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "InternalError",
                              "We encountered an internal error. Please try again.");
      return;
    }
  if (!put_open (put, &error))
    {
      g_warning ("Cannot store a part: %s", error->message);
      sandbox_reply_s3_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "InternalError",
                              "The part could not be stored.");
      return;
    }
  if (sandbox_server_draw_fault (self, SANDBOX_FAULT_PUT_RESET, self->opts->reset_put_rate,
                                 file->filename, number, put->attempt))
    put->reset_at = length / 2;
  g_signal_connect (msg, "got-chunk", G_CALLBACK (put_got_chunk), put);
  if (put->reset_at == 0)
    {
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

      put_got_chunk (msg, empty, put);
    }
}

void
sandbox_storage_got_headers (SandboxServer     *self,
                             SoupServerMessage *msg,
                             const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  gboolean is_put = strcmp (soup_server_message_get_method (msg), "PUT") == 0;
  SandboxFile *file = NULL;
  guint part = 0;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (headers_carry_secret (self, headers))
    self->storage_requests_with_secret++;
  if (!is_put)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "PUT");
      sandbox_reply_s3_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed",
                              "The specified method is not allowed against this resource.");
      return;
    }

  self->requests[SANDBOX_REQ_STORAGE_PUTS]++;
  self->puts_in_flight++;
  self->max_puts_in_flight = MAX (self->max_puts_in_flight, self->puts_in_flight);
  g_signal_connect (msg, "finished", G_CALLBACK (storage_msg_finished), self);

  if (socket != NULL && g_object_get_data (G_OBJECT (socket), DOOMED_KEY))
    {
      /* --drop-keepalive-rate: the kept-alive connection dies under this
       * request before any response byte */
      g_object_set_data (G_OBJECT (socket), DOOMED_KEY, NULL);
      self->faults[SANDBOX_FAULT_KEEPALIVE_DROPPED]++;
      kill_connection (socket);
      return;
    }

  if (g_str_has_prefix (path, WT_PREFIX))
    file = check_wt_request (self, msg, path, &part);
  else if (g_str_has_prefix (path, WL_PREFIX))
    file = check_wl_request (self, msg, path, &part);
  else
    sandbox_reply_s3_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchBucket",
                            "The specified bucket does not exist");
  if (file == NULL)
    return;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "MissingContentLength",
                              "You must provide the Content-Length HTTP header.");
      return;
    }
  start_put (self, msg, file, part, soup_message_headers_get_content_length (headers));
}

/* --drip / --stall faults of a PUT's answer (the part is stored): the
 * connection leaves the server, so the message never finishes */
static gboolean
take_put_answer (SandboxServer *self,
                 SandboxPut    *put)
{
  SoupServerMessage *msg = put->msg;
  gboolean every = self->opts->drip_bps > 0 && self->opts->drip_api_rate <= 0.0 &&
                   self->opts->drip_put_rate <= 0.0;

  if (!every && !sandbox_server_draw_fault (self, SANDBOX_FAULT_STALL,
                                            self->opts->stall_put_rate, put->file->filename,
                                            put->part_number, put->attempt) &&
      (self->opts->drip_bps <= 0 ||
       !sandbox_server_draw_fault (self, SANDBOX_FAULT_DRIP, self->opts->drip_put_rate,
                                   put->file->filename, put->part_number, put->attempt)))
    return FALSE;

  g_signal_handlers_disconnect_by_func (msg, storage_msg_finished, self);
  storage_msg_finished (msg, self);
  if (every)
    {
      self->faults[SANDBOX_FAULT_DRIP]++;
      sandbox_drip_answer (self, msg);
    }
  else
    sandbox_fault_take_answer (self, msg, TRUE, put->file->filename, put->part_number,
                               put->attempt);
  return TRUE;
}

static void
put_complete_main_impl (SandboxPut *put)
{
  SandboxServer *self = put->self;
  SoupServerMessage *msg = put->msg;
  SandboxPart *part;
  g_autofree char *final_path = NULL;
  g_autofree char *etag = NULL;

  if (msg == NULL || sandbox_message_is_finished (msg))
    return;
  if (put->write_errno != 0 || put->written != put->expected)
    {
      g_warning ("Cannot store a part: %s", g_strerror (put->write_errno));
      sandbox_reply_s3_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "InternalError",
                              "The part could not be stored.");
      sandbox_server_respond_later (self, msg);
      return;
    }
  if (put->file->completed || put->file->finishing)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchUpload",
                              "The upload was completed while this part was being sent.");
      sandbox_server_respond_later (self, msg);
      return;
    }
  if (put->tmp_path != NULL)
    {
      close (put->fd);
      put->fd = -1;
      final_path = part_path (put->file, put->part_number);
      if (g_rename (put->tmp_path, final_path) != 0)
        {
          sandbox_reply_s3_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "InternalError",
                                  "The part could not be stored.");
          sandbox_server_respond_later (self, msg);
          return;
        }
      g_clear_pointer (&put->tmp_path, g_free);
    }

  part = sandbox_file_ensure_part (put->file, put->part_number);
  part->stored = TRUE;
  part->size = put->written;
  part->puts++;
  g_free (part->sha256);
  part->sha256 = g_strdup (g_checksum_get_string (put->checksum));
  g_free (part->path);
  part->path = g_steal_pointer (&final_path);

  etag = g_strdup_printf ("\"%.32s\"", part->sha256);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  if (take_put_answer (self, put))
    return;
  sandbox_server_respond_later (self, msg);
}

static gboolean
put_complete_main (gpointer data)
{
  put_complete_main_impl (data);
  return G_SOURCE_REMOVE;
}

void
sandbox_storage_got_body (SandboxServer     *self,
                          SoupServerMessage *msg)
{
  SandboxPut *put = g_object_get_data (G_OBJECT (msg), PUT_KEY);
  gboolean notify;

  if (put == NULL)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "InternalError",
                              "The request was not prepared.");
      return;
    }
  if (put->reset_fired)
    {
      /* the connection is gone; an empty body may still have arrived whole */
      sandbox_reply_s3_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "InternalError",
                              "The connection was reset.");
      return;
    }
  if (put->received != put->expected)
    {
      sandbox_reply_s3_error (msg, SOUP_STATUS_BAD_REQUEST, "IncompleteBody",
                              "You did not provide the number of bytes specified by the "
                              "Content-Length HTTP header.");
      return;
    }

  soup_server_message_pause (msg);
  g_mutex_lock (&put->mutex);
  put->body_done = TRUE;
  notify = !put->scheduled && !put->notified;
  put->notified |= notify;
  g_mutex_unlock (&put->mutex);
  if (notify)
    put_complete_main_impl (put);
}

void
sandbox_storage_after_response (SandboxServer     *self,
                                SoupServerMessage *msg)
{
  SandboxPut *put = g_object_get_data (G_OBJECT (msg), PUT_KEY);
  GSocket *socket;

  if (put == NULL || soup_server_message_get_status (msg) != SOUP_STATUS_OK)
    return;
  if (!sandbox_server_draw_fault (self, SANDBOX_FAULT_KEEPALIVE_DROPPED,
                                  self->opts->drop_keepalive_rate,
                                  put->file->filename, put->part_number, put->attempt))
    return;
  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_object_set_data (G_OBJECT (socket), DOOMED_KEY, GINT_TO_POINTER (1));
}

/* ---- assembling ---------------------------------------------------------- */

typedef struct
{
  SandboxServer *self;
  SandboxFile *file;
  GPtrArray *paths;
  char      *output;
  char      *sha256;
} AssembleData;

static void
assemble_data_free (AssembleData *data)
{
  g_ptr_array_unref (data->paths);
  g_free (data->output);
  g_free (data->sha256);
  g_free (data);
}

static gboolean
copy_part (const char  *path,
           int          out,
           GChecksum   *sum,
           guint8      *buffer,
           gsize        buffer_size,
           GError     **error)
{
  int in = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gssize n;

  if (in < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  while ((n = read (in, buffer, buffer_size)) != 0)
    {
      gssize done = 0;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      g_checksum_update (sum, buffer, n);
      while (done < n)
        {
          gssize w = write (out, buffer + done, n - done);

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              n = -1;
              break;
            }
          done += w;
        }
      if (n < 0)
        break;
    }
  close (in);
  if (n < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
assemble_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AssembleData *data = task_data;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  GError *error = NULL;
  int out;

  out = g_open (data->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errno), "%s",
                               g_strerror (errno));
      return;
    }
  for (guint i = 0; i < data->paths->len; i++)
    if (!copy_part (g_ptr_array_index (data->paths, i), out, sum, buffer, 1024 * 1024, &error))
      break;
  close (out);
  if (error != NULL)
    {
      g_unlink (data->output);
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < data->paths->len; i++)
    g_unlink (g_ptr_array_index (data->paths, i));
  data->sha256 = g_strdup (g_checksum_get_string (sum));
  g_task_return_boolean (task, TRUE);
}

static void assembled_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

/* Marks the file completed at once (a repeated complete is answered as
 * done) and puts its bytes together in a thread. Parts 1..n_parts must
 * all be stored (the caller checked). */
void
sandbox_file_assemble (SandboxServer *self,
                       SandboxFile   *file,
                       guint          n_parts)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, assembled_cb, NULL);
  AssembleData *data = g_new0 (AssembleData, 1);

  g_task_set_source_tag (task, sandbox_file_assemble);
  data->file = file;
  data->paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; i <= n_parts; i++)
    {
      SandboxPart *part = sandbox_file_lookup_part (file, i);

      if (part != NULL && part->stored && part->path != NULL)
        g_ptr_array_add (data->paths, g_strdup (part->path));
    }
  data->output = g_build_filename (file->dir, "assembled", NULL);
  data->self = self;
  g_task_set_task_data (task, data, (GDestroyNotify) assemble_data_free);
  file->finishing = TRUE;
  file->completed = TRUE;
  sandbox_server_assembly_started (self);

  if (self->opts->discard)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_run_in_thread (task, assemble_thread);
}

/* Records the SHA-256 of the file's bytes, unless discarded. */
static void
assembled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = G_TASK (result);
  AssembleData *data = g_task_get_task_data (task);
  SandboxFile *file = data->file;
  g_autoptr(GError) error = NULL;

  file->finishing = FALSE;
  if (!g_task_propagate_boolean (task, &error))
    {
      g_printerr ("sendoff-sandbox: “%s” could not be assembled: %s\n",
                  file->filename, error->message);
      file->completed = FALSE;
      sandbox_server_assembly_ended (data->self);
      return;
    }
  g_free (file->sha256);
  file->sha256 = g_steal_pointer (&data->sha256);
  if (file->sha256 != NULL)
    {
      g_free (file->assembled_path);
      file->assembled_path = g_strdup (data->output);
    }
  for (guint i = 1; i <= data->paths->len; i++)
    {
      SandboxPart *part = sandbox_file_lookup_part (file, i);

      if (part != NULL)
        g_clear_pointer (&part->path, g_free);
    }
  sandbox_server_assembly_ended (data->self);
}
