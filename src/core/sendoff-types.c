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
} SendoffErrorPrivate;

static void
sendoff_error_private_init (SendoffErrorPrivate *priv)
{
  priv->http_status = 0;
  priv->retry_after = -1;
  priv->final = FALSE;
}

static void
sendoff_error_private_copy (const SendoffErrorPrivate *src,
                            SendoffErrorPrivate       *dest)
{
  *dest = *src;
}

static void
sendoff_error_private_clear (SendoffErrorPrivate *priv)
{
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
