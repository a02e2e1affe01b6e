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
#include "sendoff-item-private.h"
#include "sendoff-types.h"
#include "sendoff-uploader-private.h"
#include "sendoff-watchdog.h"

/* Storage answers are short (empty, or a small XML error) */
#define MAX_STORAGE_ANSWER (64 * 1024)

static void
set_changed_error (GError     **error,
                   const char  *name)
{
  g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED,
               _("“%s” changed while sending; add it again to send the new version"), name);
}

gboolean
_sendoff_file_check_unchanged (const char                *path,
                               const char                *name,
                               const SendoffFileIdentity *identity,
                               GError                   **error)
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

  if (!_sendoff_file_identity_matches (identity, &st))
    {
      set_changed_error (error, name);
      return FALSE;
    }

  return TRUE;
}

typedef struct {
  SendoffPart     *part;
  int              fd;
  SendoffWatchdog *watchdog;
  GInputStream    *body;      /* the slice of this attempt */
} PutContext;

/* Counted as libsoup takes the bytes, at most its 8 KiB splice buffer
 * ahead of the socket: a slice calls this directly, where
 * SoupMessage::wrote-body-data would cost a signal emission per 8 KiB. */
static void
on_body_read (gsize    n_bytes,
              gpointer user_data)
{
  PutContext *ctx = user_data;

  atomic_fetch_add (&ctx->part->written, n_bytes);
  if (ctx->watchdog != NULL)
    _sendoff_watchdog_add_bytes (ctx->watchdog, n_bytes);
}

static void
drop_body (PutContext *ctx)
{
  if (ctx->body == NULL)
    return;
  sendoff_file_slice_set_read_func (SENDOFF_FILE_SLICE (ctx->body), NULL, NULL);
  g_clear_object (&ctx->body);
}

/* A fresh slice for this attempt; FALSE when the file cannot be read,
 * with no body set (caught by the length check) */
static gboolean
set_body (PutContext   *ctx,
          SoupMessage  *msg,
          GError      **error)
{
  SendoffPart *part = ctx->part;

  drop_body (ctx);
  ctx->body = sendoff_file_slice_new (ctx->fd, part->offset, part->length, error);
  if (ctx->body == NULL)
    {
      soup_message_set_request_body (msg, NULL, NULL, 0);
      return FALSE;
    }
  sendoff_file_slice_set_read_func (SENDOFF_FILE_SLICE (ctx->body), on_body_read, ctx);
  soup_message_set_request_body (msg, NULL, ctx->body, (gssize) part->length);
  return TRUE;
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
  atomic_store (&ctx->part->written, 0);
  ctx->part->restarts++;
  set_body (ctx, msg, NULL);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static GBytes *
read_answer (GInputStream     *stream,
             SendoffWatchdog  *watchdog,
             GError          **error)
{
  g_autofree guint8 *buffer = g_malloc (MAX_STORAGE_ANSWER);
  GCancellable *cancellable = _sendoff_watchdog_get_cancellable (watchdog);
  gsize n = 0;

  /* Counted as it comes: a server may drip its answer */
  while (n < MAX_STORAGE_ANSWER)
    {
      gssize got = g_input_stream_read (stream, buffer + n, MIN (MAX_STORAGE_ANSWER - n, 4096),
                                        cancellable, error);

      if (got < 0)
        return NULL;
      if (got == 0)
        break;
      _sendoff_watchdog_add_bytes (watchdog, (gsize) got);
      n += (gsize) got;
    }
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
  g_autoptr(GInputStream) response = NULL;
  g_autoptr(GBytes) answer = NULL;
  SoupMessageHeaders *headers;
  PutContext ctx = { part, fd, NULL, NULL };
  SendoffWatchdog *watchdog;
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

  if (!set_body (&ctx, msg, &part->error))
    return;

  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), &ctx);
  g_signal_connect (msg, "restarted", G_CALLBACK (on_restarted), &ctx);

  /* A server that takes the body or answers at a trickle would hold
   * this worker for ever: libsoup's timeout restarts with every byte */
  watchdog = _sendoff_watchdog_new (cancellable, NULL);
  _sendoff_watchdog_watch_answer (watchdog, msg);
  ctx.watchdog = watchdog;
  response = soup_session_send (session, msg, _sendoff_watchdog_get_cancellable (watchdog),
                                &error);
  if (response != NULL)
    answer = read_answer (response, watchdog, &error);
  ctx.watchdog = NULL;
  error = _sendoff_watchdog_finish (watchdog, error);

  g_signal_handlers_disconnect_by_data (msg, &ctx);
  drop_body (&ctx);

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
  const SendoffFileIdentity *identity = _sendoff_item_get_identity (part->item);
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
  if (fd < 0 || fstat (fd, &st) != 0 || !_sendoff_file_identity_matches (identity, &st))
    {
      set_changed_error (&part->error, sendoff_item_get_name (part->item));
      if (fd >= 0)
        g_close (fd, NULL);
      return;
    }

  put_with_fd (session, part, fd, cancellable);

  /* A file that changed under the PUT may have sent mixed content: that
   * outranks whatever else happened. */
  if (fstat (fd, &st) != 0 || !_sendoff_file_identity_matches (identity, &st) ||
      g_error_matches (part->error, SENDOFF_ERROR, SENDOFF_ERROR_CHANGED))
    {
      g_clear_error (&part->error);
      set_changed_error (&part->error, sendoff_item_get_name (part->item));
    }

  g_close (fd, NULL);
}
