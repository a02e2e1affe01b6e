/* sendoff-types.c — the error domain
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-core"

#include "config.h"

#include "sendoff-types.h"
#include "sendoff-error-private.h"

typedef struct {
  guint    http_status;
  gint64   retry_after;
  gboolean final;
  char    *server_code;
} SendoffErrorPrivate;

static void
sendoff_error_private_init (SendoffErrorPrivate *priv)
{
  priv->http_status = 0;
  priv->retry_after = -1;
  priv->final = FALSE;
  priv->server_code = NULL;
}

static void
sendoff_error_private_copy (const SendoffErrorPrivate *src,
                            SendoffErrorPrivate       *dest)
{
  *dest = *src;
  dest->server_code = g_strdup (src->server_code);
}

static void
sendoff_error_private_clear (SendoffErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_code, g_free);
}

G_DEFINE_EXTENDED_ERROR (SendoffError, sendoff_error)

void
_sendoff_error_set_http (GError *error,
                         guint   status,
                         gint64  retry_after)
{
  SendoffErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == SENDOFF_ERROR);

  priv = sendoff_error_get_private (error);
  priv->http_status = status;
  priv->retry_after = retry_after;
}

guint
_sendoff_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != SENDOFF_ERROR)
    return 0;
  return sendoff_error_get_private (error)->http_status;
}

gint64
_sendoff_error_get_retry_after (const GError *error)
{
  if (error == NULL || error->domain != SENDOFF_ERROR)
    return -1;
  return sendoff_error_get_private (error)->retry_after;
}

void
_sendoff_error_set_final (GError *error)
{
  g_return_if_fail (error != NULL && error->domain == SENDOFF_ERROR);

  sendoff_error_get_private (error)->final = TRUE;
}

gboolean
_sendoff_error_is_final (const GError *error)
{
  if (error == NULL || error->domain != SENDOFF_ERROR)
    return FALSE;
  return sendoff_error_get_private (error)->final;
}

void
_sendoff_error_set_server_code (GError     *error,
                                const char *code)
{
  SendoffErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == SENDOFF_ERROR);

  priv = sendoff_error_get_private (error);
  g_free (priv->server_code);
  priv->server_code = g_strdup (code);
}

const char *
_sendoff_error_get_server_code (const GError *error)
{
  if (error == NULL || error->domain != SENDOFF_ERROR)
    return NULL;
  return sendoff_error_get_private (error)->server_code;
}
