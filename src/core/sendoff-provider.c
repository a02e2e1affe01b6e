/* sendoff-provider.c — one transfer service's requests, as the engine's steps
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-provider"

#include "config.h"

#include "sendoff-provider.h"

G_DEFINE_BOXED_TYPE (SendoffPartTarget, sendoff_part_target,
                     sendoff_part_target_copy, sendoff_part_target_free)

G_DEFINE_INTERFACE (SendoffProvider, sendoff_provider, G_TYPE_OBJECT)

SendoffPartTarget *
sendoff_part_target_new (const char *url,
                         gint64      expires_at)
{
  SendoffPartTarget *target;

  g_return_val_if_fail (url != NULL, NULL);

  target = g_new0 (SendoffPartTarget, 1);
  target->url = g_strdup (url);
  target->expires_at = expires_at;

  return target;
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

SendoffPartTarget *
sendoff_part_target_copy (const SendoffPartTarget *target)
{
  SendoffPartTarget *copy;

  g_return_val_if_fail (target != NULL, NULL);

  copy = sendoff_part_target_new (target->url, target->expires_at);
  copy->empty_content_type = target->empty_content_type;
  if (target->headers != NULL)
    {
      copy->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      soup_message_headers_foreach (target->headers, copy_header, copy->headers);
    }

  return copy;
}

void
sendoff_part_target_free (SendoffPartTarget *target)
{
  if (target == NULL)
    return;

  g_free (target->url);
  g_clear_pointer (&target->headers, soup_message_headers_unref);
  g_free (target);
}

static void
sendoff_provider_real_reset_item (SendoffProvider *self,
                                  SendoffItem     *item)
{
}

static void
on_check_authorized (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (sendoff_provider_authorize_finish (SENDOFF_PROVIDER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
sendoff_provider_real_check_async (SendoffProvider     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sendoff_provider_real_check_async);
  sendoff_provider_authorize_async (self, cancellable, on_check_authorized, task);
}

static gboolean
sendoff_provider_real_check_finish (SendoffProvider  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sendoff_provider_default_init (SendoffProviderInterface *iface)
{
  iface->reset_item = sendoff_provider_real_reset_item;
  iface->check_async = sendoff_provider_real_check_async;
  iface->check_finish = sendoff_provider_real_check_finish;
}

const SendoffBackendInfo *
sendoff_provider_get_info (SendoffProvider *self)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), NULL);
  return SENDOFF_PROVIDER_GET_IFACE (self)->info;
}

const char *
sendoff_provider_get_id (SendoffProvider *self)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), NULL);
  return SENDOFF_PROVIDER_GET_IFACE (self)->get_id (self);
}

void
sendoff_provider_authorize_async (SendoffProvider     *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  SENDOFF_PROVIDER_GET_IFACE (self)->authorize_async (self, cancellable, callback, user_data);
}

gboolean
sendoff_provider_authorize_finish (SendoffProvider  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->authorize_finish (self, result, error);
}

void
sendoff_provider_begin_transfer_async (SendoffProvider     *self,
                                       SendoffTransfer     *transfer,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  g_return_if_fail (SENDOFF_IS_TRANSFER (transfer));
  SENDOFF_PROVIDER_GET_IFACE (self)->begin_transfer_async (self, transfer, cancellable,
                                                            callback, user_data);
}

gboolean
sendoff_provider_begin_transfer_finish (SendoffProvider  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->begin_transfer_finish (self, result, error);
}

void
sendoff_provider_register_items_async (SendoffProvider     *self,
                                       SendoffTransfer     *transfer,
                                       GPtrArray           *items,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  g_return_if_fail (SENDOFF_IS_TRANSFER (transfer));
  g_return_if_fail (items != NULL);
  SENDOFF_PROVIDER_GET_IFACE (self)->register_items_async (self, transfer, items, cancellable,
                                                            callback, user_data);
}

gboolean
sendoff_provider_register_items_finish (SendoffProvider  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->register_items_finish (self, result, error);
}

void
sendoff_provider_get_part_target_async (SendoffProvider     *self,
                                        SendoffItem         *item,
                                        guint                part_number,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  g_return_if_fail (SENDOFF_IS_ITEM (item));
  g_return_if_fail (part_number >= 1);
  SENDOFF_PROVIDER_GET_IFACE (self)->get_part_target_async (self, item, part_number, cancellable,
                                                             callback, user_data);
}

SendoffPartTarget *
sendoff_provider_get_part_target_finish (SendoffProvider  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), NULL);
  return SENDOFF_PROVIDER_GET_IFACE (self)->get_part_target_finish (self, result, error);
}

void
sendoff_provider_finish_item_async (SendoffProvider     *self,
                                    SendoffTransfer     *transfer,
                                    SendoffItem         *item,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  g_return_if_fail (SENDOFF_IS_ITEM (item));
  SENDOFF_PROVIDER_GET_IFACE (self)->finish_item_async (self, transfer, item, cancellable,
                                                         callback, user_data);
}

gboolean
sendoff_provider_finish_item_finish (SendoffProvider  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->finish_item_finish (self, result, error);
}

void
sendoff_provider_finish_transfer_async (SendoffProvider     *self,
                                        SendoffTransfer     *transfer,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  g_return_if_fail (SENDOFF_IS_TRANSFER (transfer));
  SENDOFF_PROVIDER_GET_IFACE (self)->finish_transfer_async (self, transfer, cancellable,
                                                             callback, user_data);
}

gboolean
sendoff_provider_finish_transfer_finish (SendoffProvider  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->finish_transfer_finish (self, result, error);
}

void
sendoff_provider_reset_item (SendoffProvider *self,
                             SendoffItem     *item)
{
  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  g_return_if_fail (SENDOFF_IS_ITEM (item));
  SENDOFF_PROVIDER_GET_IFACE (self)->reset_item (self, item);
}

void
sendoff_provider_check_async (SendoffProvider     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  SENDOFF_PROVIDER_GET_IFACE (self)->check_async (self, cancellable, callback, user_data);
}

gboolean
sendoff_provider_check_finish (SendoffProvider  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->check_finish (self, result, error);
}
