/* sendoff-sandbox-drip.c — answers dripped a few bytes a second, or never
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-sandbox"

#include "config.h"

#include <string.h>

#include "sendoff-sandbox-server.h"

/* SoupServer writes the status line and headers in one go, so a dripped
 * answer is written by hand on the connection taken from it. */
typedef struct {
  SandboxServer *self;
  GIOStream     *stream;     /* keeps the connection */
  GSocket       *socket;
  GBytes        *answer;     /* NULL: never answer */
  gsize          sent;
  gsize          step;       /* bytes a tick */
  GSource       *tick;
  GSource       *watch;      /* notices the client leaving */
} Drip;

static void
drip_free (Drip *drip)
{
  if (drip->tick != NULL)
    g_source_destroy (drip->tick);
  g_clear_pointer (&drip->tick, g_source_unref);
  if (drip->watch != NULL)
    g_source_destroy (drip->watch);
  g_clear_pointer (&drip->watch, g_source_unref);
  if (drip->socket != NULL)
    g_socket_close (drip->socket, NULL);
  g_clear_object (&drip->socket);
  if (drip->stream != NULL)
    g_io_stream_close (drip->stream, NULL, NULL);
  g_clear_object (&drip->stream);
  g_clear_pointer (&drip->answer, g_bytes_unref);
  g_free (drip);
}

/* Writes up to @len bytes; FALSE when the client is gone */
static gboolean
drip_write (Drip  *drip,
            gsize  len)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (drip->answer, &size);

  len = MIN (len, size - drip->sent);
  while (len > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (drip->socket, data + drip->sent, len, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return TRUE;
      if (n <= 0)
        return FALSE;
      drip->sent += (gsize) n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gboolean
drip_tick_cb (gpointer data)
{
  Drip *drip = data;

  if (!drip_write (drip, drip->step) || drip->sent == g_bytes_get_size (drip->answer))
    {
      drip_free (drip);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The client closed (or sent more, which is ignored) */
static gboolean
drip_readable_cb (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      data)
{
  Drip *drip = data;
  char buffer[4096];
  gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

  if (n > 0)
    return G_SOURCE_CONTINUE;
  drip_free (drip);
  return G_SOURCE_REMOVE;
}

static GBytes *
serialize_answer (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) content = soup_message_body_flatten (body);
  guint status = soup_server_message_get_status (msg);
  const char *reason = soup_server_message_get_reason_phrase (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "HTTP/1.1 %u %s\r\n", status,
                          reason ? reason : soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Length") != 0 &&
        g_ascii_strcasecmp (name, "Connection") != 0 &&
        g_ascii_strcasecmp (name, "Transfer-Encoding") != 0)
      g_string_append_printf (out, "%s: %s\r\n", name, value);
  g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n", g_bytes_get_size (content));
  g_string_append_len (out, g_bytes_get_data (content, NULL), g_bytes_get_size (content));

  return g_string_free_to_bytes (out);
}

/* Offset in @answer where @phase starts */
static gsize
phase_offset (GBytes           *answer,
              SandboxDripPhase  phase)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (answer, &size);
  const char *mark;

  if (phase == SANDBOX_DRIP_STATUS)
    return 0;
  if (phase == SANDBOX_DRIP_HEADERS)
    {
      mark = g_strstr_len (data, size, "\r\n");
      return mark ? (gsize) (mark + 2 - data) : 0;
    }
  mark = g_strstr_len (data, size, "\r\n\r\n");
  return mark ? (gsize) (mark + 4 - data) : 0;
}

static Drip *
take_over (SandboxServer     *self,
           SoupServerMessage *msg)
{
  Drip *drip = g_new0 (Drip, 1);
  GSocket *socket;

  drip->self = self;
  drip->stream = soup_server_message_steal_connection (msg);
  socket = drip->stream ? g_object_get_data (G_OBJECT (drip->stream), "GSocket") : NULL;
  if (socket == NULL)
    {
      drip_free (drip);
      return NULL;
    }
  drip->socket = g_object_ref (socket);
  drip->watch = g_socket_create_source (drip->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (drip->watch, G_SOURCE_FUNC (drip_readable_cb), drip, NULL);
  g_source_attach (drip->watch, self->context);
  return drip;
}

void
sandbox_drip_answer (SandboxServer     *self,
                     SoupServerMessage *msg)
{
  g_autoptr(GBytes) answer = serialize_answer (msg);
  guint bps = (guint) MAX (self->opts->drip_bps, 1);
  guint period_ms = MAX (1000 / bps, 100);
  Drip *drip = take_over (self, msg);

  if (drip == NULL)
    return;
  drip->answer = g_steal_pointer (&answer);
  drip->step = MAX ((gsize) bps * period_ms / 1000, 1);
  if (!drip_write (drip, phase_offset (drip->answer, self->opts->drip_phase)))
    {
      drip_free (drip);
      return;
    }
  drip->tick = g_timeout_source_new (period_ms);
  g_source_set_callback (drip->tick, drip_tick_cb, drip, NULL);
  g_source_attach (drip->tick, self->context);
}

void
sandbox_stall_answer (SandboxServer     *self,
                      SoupServerMessage *msg)
{
  /* kept until the client goes */
  take_over (self, msg);
}

gboolean
sandbox_fault_take_answer (SandboxServer     *self,
                           SoupServerMessage *msg,
                           gboolean           is_put,
                           const char        *name,
                           guint              part,
                           guint              attempt)
{
  double stall_rate = is_put ? self->opts->stall_put_rate : self->opts->stall_api_rate;
  double drip_rate = is_put ? self->opts->drip_put_rate : self->opts->drip_api_rate;

  if (sandbox_server_draw_fault (self, SANDBOX_FAULT_STALL, stall_rate, name, part, attempt))
    {
      self->faults[SANDBOX_FAULT_STALL]++;
      sandbox_stall_answer (self, msg);
      return TRUE;
    }
  if (self->opts->drip_bps > 0 &&
      sandbox_server_draw_fault (self, SANDBOX_FAULT_DRIP, drip_rate, name, part, attempt))
    {
      self->faults[SANDBOX_FAULT_DRIP]++;
      sandbox_drip_answer (self, msg);
      return TRUE;
    }
  return FALSE;
}
