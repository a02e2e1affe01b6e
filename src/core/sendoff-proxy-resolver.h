/* sendoff-proxy-resolver.h — no proxy between Sendoff and this computer
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SENDOFF_TYPE_PROXY_RESOLVER (sendoff_proxy_resolver_get_type ())

G_DECLARE_FINAL_TYPE (SendoffProxyResolver, sendoff_proxy_resolver,
                      SENDOFF, PROXY_RESOLVER, GObject)

/* A GProxyResolver that answers "direct://" for loopback hosts
 * (127.0.0.0/8, ::1, localhost) and asks @fallback (NULL: GIO's default
 * resolver, which reads http_proxy and the GNOME proxy settings) about
 * every other host. Plain http:// is allowed only to loopback; a proxy
 * would see such a request, secrets included, in clear. */
GProxyResolver *sendoff_proxy_resolver_new       (GProxyResolver *fallback);

/* TRUE for "localhost" and loopback address literals */
gboolean        _sendoff_host_is_loopback        (const char     *host);

G_END_DECLS
