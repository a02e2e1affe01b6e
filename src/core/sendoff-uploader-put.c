/* sendoff-uploader-put.c — the engine's worker side: one part, one PUT
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-uploader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sendoff-error-private.h"
#include "sendoff-file-slice.h"
#include "sendoff-http.h"
#include "sendoff-item.h"
#include "sendoff-types.h"
#include "sendoff-uploader-private.h"

/* Storage answers are short (empty, or a small XML error) */
#define MAX_STORAGE_ANSWER (64 * 1024)

static gint64
stat_mtime_usec (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000;
}

static gboolean
stat_matches (const struct stat *st,
              guint64            size,
              gint64             mtime_usec)
{
  return S_ISREG (st->st_mode) && (guint64) st->st_size == size &&
         stat_mtime_usec (st) == mtime_usec;
}

static void
set_changed_error (GError     **error,
                   const char  *name)
{
  g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED,
               _("“%s” changed while sending; add it again to send the new version"), name);
}

gboolean
_sendoff_file_check_unchanged (const char  *path,
                               const char  *name,
                               guint64      size,
                               gint64       mtime_usec,
                               GError     **error)
{
  struct stat st;

  if (path == NULL)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED,
                   _("“%s” is not a local file"), name);
      return FALSE;
    }

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED,
                   _("“%s” can no longer be read: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }

  if (!stat_matches (&st, size, mtime_usec))
    {
      set_changed_error (error, name);
      return FALSE;
    }

  return TRUE;
}

typedef struct {
  SendoffPart *part;
  int          fd;
} PutContext;

static void
on_wrote_body_data (SoupMessage *msg,
                    guint        chunk_size,
                    PutContext  *ctx)
{
  atomic_fetch_add (&ctx->part->written, chunk_size);
}

/* Counted per attempt: whatever an earlier attempt of this message wrote
 * says nothing about what the server gets now. */
static void
on_wrote_headers (SoupMessage *msg,
                  PutContext  *ctx)
{
  atomic_store (&ctx->part->written, 0);
}

/* libsoup re-sends an idempotent request by itself when a kept-alive
 * connection turns out dead, but drops the body stream: without a new one
 * the PUT goes out with Content-Length: 0 and the part is stored empty. */
static void
on_restarted (SoupMessage *msg,
              PutContext  *ctx)
{
  g_autoptr(GInputStream) body = NULL;

  atomic_store (&ctx->part->written, 0);
  ctx->part->restarts++;

  body = sendoff_file_slice_new (ctx->fd, ctx->part->offset, ctx->part->length, NULL);
  if (body != NULL)
    soup_message_set_request_body (msg, NULL, body, (gssize) ctx->part->length);
  else
    soup_message_set_request_body (msg, NULL, NULL, 0); /* caught by the length check */
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static GBytes *
read_answer (GInputStream  *stream,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree guint8 *buffer = g_malloc (MAX_STORAGE_ANSWER);
  gsize n = 0;

  if (!g_input_stream_read_all (stream, buffer, MAX_STORAGE_ANSWER, &n, cancellable, error))
    return NULL;
  /* Whatever is left is dropped with the connection */
  g_input_stream_close (stream, NULL, NULL);

  return g_bytes_new_take (g_steal_pointer (&buffer), n);
}

/* Kept for the main context: the provider reads receipts (ETag,
 * Upload-Offset) and classifies refusals there, not on this thread. */
static void
keep_answer (SendoffPart *part,
             SoupMessage *msg)
{
  part->status = soup_message_get_status (msg);
  g_clear_pointer (&part->response_headers, soup_message_headers_unref);
  part->response_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_foreach (soup_message_get_response_headers (msg), copy_header,
                                part->response_headers);
}

static void
put_with_fd (SoupSession  *session,
             SendoffPart  *part,
             int           fd,
             GCancellable *cancellable)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GInputStream) response = NULL;
  g_autoptr(GBytes) answer = NULL;
  SoupMessageHeaders *headers;
  PutContext ctx = { part, fd };
  GError *error = NULL;
  guint status;

  msg = soup_message_new (sendoff_part_target_get_method (part->target), part->target->url);
  if (msg == NULL)
    {
      part->error = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                                 _("The upload address is not valid"));
      return;
    }

  /* Only what the service asks for: never the API key or the token */
  headers = soup_message_get_request_headers (msg);
  if (part->target->headers != NULL)
    soup_message_headers_foreach (part->target->headers, copy_header, headers);
  if (part->target->empty_content_type)
    soup_message_headers_replace (headers, "Content-Type", "");

  body = sendoff_file_slice_new (fd, part->offset, part->length, &part->error);
  if (body == NULL)
    return;
  soup_message_set_request_body (msg, NULL, body, (gssize) part->length);

  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), &ctx);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), &ctx);
  g_signal_connect (msg, "restarted", G_CALLBACK (on_restarted), &ctx);

  response = soup_session_send (session, msg, cancellable, &error);
  if (response != NULL)
    answer = read_answer (response, cancellable, &error);

  g_signal_handlers_disconnect_by_data (msg, &ctx);

  if (error != NULL)
    {
      part->error = error;
      return;
    }

  keep_answer (part, msg);
  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || sendoff_http_body_is_s3_error (answer))
    {
      /* what to do about it is the provider's call (the engine asks it) */
      part->error = sendoff_http_error_new (msg, answer, _("Uploading a part"));
      part->answer = g_steal_pointer (&answer);
      part->storage_refused = TRUE;
      return;
    }

  if (atomic_load (&part->written) != part->length)
    part->error = g_error_new (SENDOFF_ERROR, SENDOFF_ERROR_NETWORK,
                               _("A part of “%s” was not sent completely"),
                               sendoff_item_get_name (part->item));
}

void
_sendoff_put_part (SoupSession  *session,
                   SendoffPart  *part,
                   GCancellable *cancellable)
{
  struct stat st;
  int fd;

  g_assert (part->target != NULL);
  g_assert (part->error == NULL);

  atomic_store (&part->written, 0);
  part->status = 0;
  part->storage_refused = FALSE;
  g_clear_pointer (&part->answer, g_bytes_unref);
  g_clear_pointer (&part->response_headers, soup_message_headers_unref);

  if (g_cancellable_set_error_if_cancelled (cancellable, &part->error))
    return;

  /* Expired while queued: the server would only answer 403 */
  if (part->target->expires_at > 0 &&
      g_get_real_time () / G_USEC_PER_SEC >= part->target->expires_at)
    {
      part->expired = TRUE;
      return;
    }

  fd = g_open (part->path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &st) != 0 || !stat_matches (&st, part->item_size, part->item_mtime))
    {
      set_changed_error (&part->error, sendoff_item_get_name (part->item));
      if (fd >= 0)
        g_close (fd, NULL);
      return;
    }

  put_with_fd (session, part, fd, cancellable);

  /* A file that changed under the PUT may have sent mixed content: that
   * outranks whatever else happened. */
  if (fstat (fd, &st) != 0 || !stat_matches (&st, part->item_size, part->item_mtime) ||
      g_error_matches (part->error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED))
    {
      g_clear_error (&part->error);
      set_changed_error (&part->error, sendoff_item_get_name (part->item));
    }

  g_close (fd, NULL);
}
