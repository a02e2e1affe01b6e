/* sendoff-sandbox-reaper.c — closes kept-alive connections their client has left
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-sandbox"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "sendoff-sandbox-reaper.h"

/*
 * libsoup 3.2's SoupServer reads the EOF of a client that closes a
 * kept-alive connection between two requests, then neither closes the
 * socket nor tells anyone: every such connection stays in CLOSE_WAIT and
 * holds a descriptor for good. A sandbox serving many sends (soaks,
 * benchmarks) then runs out of descriptors. The reaper watches the
 * connections between requests and closes the ones whose peer is gone.
 */

#define SWEEP_INTERVAL_MS 1000
/* EOF seen on this many sweeps in a row: libsoup has had its chance */
#define EOF_SWEEPS        2

typedef struct {
  GSocket *socket;
  guint    active;       /* requests under way on it */
  guint    eof_sweeps;
} Conn;

struct _SandboxReaper
{
  SoupServer *server;
  GHashTable *conns;     /* GSocket* → Conn */
  GSource    *sweeper;
  guint       n_reaped;
};

static void
conn_free (Conn *conn)
{
  g_object_unref (conn->socket);
  g_free (conn);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    SandboxReaper     *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Conn *conn;

  if (socket == NULL)
    return;

  conn = g_hash_table_lookup (self->conns, socket);
  if (conn == NULL)
    {
      conn = g_new0 (Conn, 1);
      conn->socket = g_object_ref (socket);
      g_hash_table_insert (self->conns, socket, conn);
    }
  conn->active++;
  conn->eof_sweeps = 0;
}

static void
on_request_ended (SoupServer        *server,
                  SoupServerMessage *msg,
                  SandboxReaper     *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Conn *conn = socket ? g_hash_table_lookup (self->conns, socket) : NULL;

  if (conn != NULL && conn->active > 0)
    conn->active--;
}

/* TRUE when the peer closed and sent nothing more */
static gboolean
peer_is_gone (GSocket *socket)
{
  char byte;
  gssize n;

  if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) == 0)
    return FALSE;

  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static gboolean
sweep (gpointer user_data)
{
  SandboxReaper *self = user_data;
  GHashTableIter iter;
  Conn *conn;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      if (g_socket_is_closed (conn->socket))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (conn->active > 0)
        continue;

      if (!peer_is_gone (conn->socket))
        {
          conn->eof_sweeps = 0;
          continue;
        }

      if (++conn->eof_sweeps >= EOF_SWEEPS)
        {
          g_socket_close (conn->socket, NULL);
          g_hash_table_iter_remove (&iter);
          self->n_reaped++;
        }
    }

  return G_SOURCE_CONTINUE;
}

SandboxReaper *
sandbox_reaper_new (SoupServer   *server,
                    GMainContext *context)
{
  SandboxReaper *self = g_new0 (SandboxReaper, 1);

  self->server = g_object_ref (server);
  self->conns = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) conn_free);
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (server, "request-finished", G_CALLBACK (on_request_ended), self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_request_ended), self);

  self->sweeper = g_timeout_source_new (SWEEP_INTERVAL_MS);
  g_source_set_callback (self->sweeper, sweep, self, NULL);
  g_source_set_static_name (self->sweeper, "[sandbox] reaper");
  g_source_attach (self->sweeper, context);

  return self;
}

guint
sandbox_reaper_get_n_reaped (SandboxReaper *self)
{
  return self->n_reaped;
}

void
sandbox_reaper_free (SandboxReaper *self)
{
  if (self == NULL)
    return;

  g_source_destroy (self->sweeper);
  g_source_unref (self->sweeper);
  g_signal_handlers_disconnect_by_data (self->server, self);
  g_hash_table_unref (self->conns);
  g_object_unref (self->server);
  g_free (self);
}
