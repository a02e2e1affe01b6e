/* sendoff-proxy-resolver.c — no proxy between Sendoff and this computer
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-http"

#include "config.h"

#include <string.h>

#include "sendoff-proxy-resolver.h"

struct _SendoffProxyResolver
{
  GObject         parent_instance;

  GProxyResolver *fallback;
};

static void proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SendoffProxyResolver, sendoff_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      proxy_resolver_iface_init))

gboolean
_sendoff_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *lower = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;

  lower = g_ascii_strdown (host, -1);
  if (g_str_equal (lower, "localhost") || g_str_equal (lower, "localhost."))
    return TRUE;

  /* GUri keeps the brackets of an IPv6 literal out of the host */
  address = g_inet_address_new_from_string (lower);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
uri_is_loopback (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  if (host != NULL && host[0] == '[')
    {
      g_autofree char *bare = g_strndup (host + 1, strlen (host) - 2);

      return _sendoff_host_is_loopback (bare);
    }
  return _sendoff_host_is_loopback (host);
}

static char **
direct (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");
  return proxies;
}

static gboolean
resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
resolver_lookup (GProxyResolver  *resolver,
                 const char      *uri,
                 GCancellable    *cancellable,
                 GError         **error)
{
  SendoffProxyResolver *self = SENDOFF_PROXY_RESOLVER (resolver);

  if (uri_is_loopback (uri))
    return direct ();
  return g_proxy_resolver_lookup (self->fallback, uri, cancellable, error);
}

static void
on_fallback_lookup (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result, &error);

  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
resolver_lookup_async (GProxyResolver      *resolver,
                       const char          *uri,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  SendoffProxyResolver *self = SENDOFF_PROXY_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, resolver_lookup_async);
  if (uri_is_loopback (uri))
    g_task_return_pointer (task, direct (), (GDestroyNotify) g_strfreev);
  else
    g_proxy_resolver_lookup_async (self->fallback, uri, cancellable, on_fallback_lookup,
                                   g_steal_pointer (&task));
}

static char **
resolver_lookup_finish (GProxyResolver  *resolver,
                        GAsyncResult    *result,
                        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = resolver_is_supported;
  iface->lookup = resolver_lookup;
  iface->lookup_async = resolver_lookup_async;
  iface->lookup_finish = resolver_lookup_finish;
}

static void
sendoff_proxy_resolver_dispose (GObject *object)
{
  SendoffProxyResolver *self = SENDOFF_PROXY_RESOLVER (object);

  g_clear_object (&self->fallback);

  G_OBJECT_CLASS (sendoff_proxy_resolver_parent_class)->dispose (object);
}

static void
sendoff_proxy_resolver_class_init (SendoffProxyResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sendoff_proxy_resolver_dispose;
}

static void
sendoff_proxy_resolver_init (SendoffProxyResolver *self)
{
}

GProxyResolver *
sendoff_proxy_resolver_new (GProxyResolver *fallback)
{
  SendoffProxyResolver *self;

  g_return_val_if_fail (fallback == NULL || G_IS_PROXY_RESOLVER (fallback), NULL);

  self = g_object_new (SENDOFF_TYPE_PROXY_RESOLVER, NULL);
  self->fallback = g_object_ref (fallback ? fallback : g_proxy_resolver_get_default ());
  return G_PROXY_RESOLVER (self);
}
