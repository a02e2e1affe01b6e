/* sendoff-provider.c — one transfer service's requests, as the engine's steps
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-provider"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-http.h"
#include "sendoff-provider.h"
#include "sendoff-types.h"

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
  copy->method = g_strdup (target->method);
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
  g_free (target->method);
  g_clear_pointer (&target->headers, soup_message_headers_unref);
  g_free (target);
}

const char *
sendoff_part_target_get_method (const SendoffPartTarget *target)
{
  g_return_val_if_fail (target != NULL, NULL);
  return target->method != NULL ? target->method : "PUT";
}

void
sendoff_part_target_set_method (SendoffPartTarget *target,
                                const char        *method)
{
  g_return_if_fail (target != NULL);
  g_return_if_fail (method == NULL || g_str_equal (method, "PUT") ||
                    g_str_equal (method, "PATCH") || g_str_equal (method, "POST"));

  g_free (target->method);
  target->method = g_strdup (method);
}

/* ---- defaults ---------------------------------------------------------- */

static void
sendoff_provider_real_reset_item (SendoffProvider *self,
                                  SendoffItem     *item)
{
}

static gboolean
sendoff_provider_real_has_secret (SendoffProvider *self,
                                  const char      *key)
{
  return TRUE;
}

static gboolean
option_is_set (SendoffProvider         *self,
               const SendoffOptionSpec *spec,
               char                   **text)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), spec->key);
  g_auto(GValue) value = G_VALUE_INIT;

  *text = NULL;
  if (pspec == NULL || !(pspec->flags & G_PARAM_READABLE))
    return TRUE;   /* nothing to look at: the provider's own check decides */

  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (self), spec->key, &value);

  if (G_VALUE_HOLDS_STRING (&value))
    {
      *text = g_value_dup_string (&value);
      return *text != NULL && **text != '\0';
    }
  if (G_VALUE_HOLDS_UINT64 (&value))
    return g_value_get_uint64 (&value) != 0 || spec->min == 0;
  if (G_VALUE_HOLDS_UINT (&value))
    return g_value_get_uint (&value) != 0 || spec->min == 0;

  return TRUE;
}

static gboolean
sendoff_provider_real_check_configuration (SendoffProvider  *self,
                                           GError          **error)
{
  const SendoffBackendInfo *info = sendoff_provider_get_info (self);

  if (info == NULL)
    return TRUE;

  for (const SendoffOptionSpec *spec = info->options; spec && spec->key; spec++)
    {
      g_autofree char *text = NULL;
      gboolean set = option_is_set (self, spec, &text);

      if (!set && spec->default_value == NULL && !spec->optional)
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("The option “%s” (%s) is required"), _(spec->label), spec->key);
          return FALSE;
        }
      if (set && text != NULL && spec->type == SENDOFF_OPTION_URL &&
          !sendoff_url_check (text, _(spec->label), error))
        return FALSE;
    }

  for (const SendoffSecretSpec *spec = info->secrets; spec && spec->key; spec++)
    if (!SENDOFF_PROVIDER_GET_IFACE (self)->has_secret (self, spec->key))
      {
        g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS,
                     _("The secret “%s” (%s) is not set"), _(spec->label), spec->key);
        return FALSE;
      }

  return TRUE;
}

static void
sendoff_provider_real_check_async (SendoffProvider     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, sendoff_provider_real_check_async);
  if (sendoff_provider_check_configuration (self, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
sendoff_provider_real_check_finish (SendoffProvider  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
sendoff_provider_real_check_limits (SendoffProvider  *self,
                                    SendoffTransfer  *transfer,
                                    GError          **error)
{
  return TRUE;
}

static gboolean
sendoff_provider_real_item_parts_in_order (SendoffProvider *self,
                                           SendoffItem     *item)
{
  return FALSE;
}

static gboolean
sendoff_provider_real_part_stored (SendoffProvider     *self,
                                   SendoffItem         *item,
                                   guint                part_number,
                                   guint                status,
                                   SoupMessageHeaders  *headers,
                                   GError             **error)
{
  return TRUE;
}

static SendoffStorageVerdict
sendoff_provider_real_classify_storage_error (SendoffProvider    *self,
                                              SendoffItem        *item,
                                              guint               status,
                                              SoupMessageHeaders *headers,
                                              GBytes             *body)
{
  /* A presigned URL that expired or is refused: a fresh one will do. A
   * success status with an S3 <Error> document is worth trying again. */
  if (status == SOUP_STATUS_FORBIDDEN)
    return SENDOFF_STORAGE_RETRY_FRESH_TARGET;
  if (SOUP_STATUS_IS_SUCCESSFUL (status) || status == SOUP_STATUS_REQUEST_TIMEOUT ||
      status == 429 || (status >= 500 && status < 600))
    return SENDOFF_STORAGE_RETRY;
  return SENDOFF_STORAGE_FATAL;
}

static char *
sendoff_provider_real_save_state (SendoffProvider *self,
                                  SendoffTransfer *transfer,
                                  SendoffItem     *item)
{
  return NULL;
}

static gboolean
sendoff_provider_real_restore_state (SendoffProvider  *self,
                                     SendoffTransfer  *transfer,
                                     SendoffItem      *item,
                                     const char       *json,
                                     GError          **error)
{
  return TRUE;
}

static void
sendoff_provider_default_init (SendoffProviderInterface *iface)
{
  iface->check_configuration = sendoff_provider_real_check_configuration;
  iface->has_secret = sendoff_provider_real_has_secret;
  iface->check_async = sendoff_provider_real_check_async;
  iface->check_finish = sendoff_provider_real_check_finish;
  iface->check_limits = sendoff_provider_real_check_limits;
  iface->item_parts_in_order = sendoff_provider_real_item_parts_in_order;
  iface->part_stored = sendoff_provider_real_part_stored;
  iface->classify_storage_error = sendoff_provider_real_classify_storage_error;
  iface->reset_item = sendoff_provider_real_reset_item;
  iface->save_state = sendoff_provider_real_save_state;
  iface->restore_state = sendoff_provider_real_restore_state;
}

/* ---- calls ------------------------------------------------------------- */

const SendoffBackendInfo *
sendoff_provider_get_info (SendoffProvider *self)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), NULL);
  return SENDOFF_PROVIDER_GET_IFACE (self)->info;
}

const char *
sendoff_provider_get_id (SendoffProvider *self)
{
  const SendoffBackendInfo *info;

  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), NULL);
  info = SENDOFF_PROVIDER_GET_IFACE (self)->info;
  return info != NULL ? info->id : NULL;
}

gboolean
sendoff_provider_check_configuration (SendoffProvider  *self,
                                      GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->check_configuration (self, error);
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

gboolean
sendoff_provider_check_limits (SendoffProvider  *self,
                               SendoffTransfer  *transfer,
                               GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (transfer), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->check_limits (self, transfer, error);
}

gboolean
sendoff_provider_item_parts_in_order (SendoffProvider *self,
                                      SendoffItem     *item)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (SENDOFF_IS_ITEM (item), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->item_parts_in_order (self, item);
}

gboolean
sendoff_provider_part_stored (SendoffProvider     *self,
                              SendoffItem         *item,
                              guint                part_number,
                              guint                status,
                              SoupMessageHeaders  *headers,
                              GError             **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (SENDOFF_IS_ITEM (item), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->part_stored (self, item, part_number, status,
                                                         headers, error);
}

SendoffStorageVerdict
sendoff_provider_classify_storage_error (SendoffProvider    *self,
                                         SendoffItem        *item,
                                         guint               status,
                                         SoupMessageHeaders *headers,
                                         GBytes             *body)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), SENDOFF_STORAGE_FATAL);
  return SENDOFF_PROVIDER_GET_IFACE (self)->classify_storage_error (self, item, status,
                                                                    headers, body);
}

gboolean
sendoff_provider_can_abort (SendoffProvider *self)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->abort_async != NULL;
}

void
sendoff_provider_abort_async (SendoffProvider     *self,
                              SendoffTransfer     *transfer,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SendoffProviderInterface *iface;

  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  g_return_if_fail (SENDOFF_IS_TRANSFER (transfer));

  iface = SENDOFF_PROVIDER_GET_IFACE (self);
  if (iface->abort_async == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, sendoff_provider_abort_async);
      g_task_return_boolean (task, TRUE);
      return;
    }
  iface->abort_async (self, transfer, cancellable, callback, user_data);
}

gboolean
sendoff_provider_abort_finish (SendoffProvider  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);

  if (g_task_is_valid (result, self) &&
      g_task_get_source_tag (G_TASK (result)) == sendoff_provider_abort_async)
    return g_task_propagate_boolean (G_TASK (result), error);
  return SENDOFF_PROVIDER_GET_IFACE (self)->abort_finish (self, result, error);
}

void
sendoff_provider_reconcile_async (SendoffProvider     *self,
                                  SendoffTransfer     *transfer,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  SendoffProviderInterface *iface;

  g_return_if_fail (SENDOFF_IS_PROVIDER (self));
  g_return_if_fail (SENDOFF_IS_TRANSFER (transfer));

  iface = SENDOFF_PROVIDER_GET_IFACE (self);
  if (iface->reconcile_async == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, sendoff_provider_reconcile_async);
      g_task_return_boolean (task, TRUE);
      return;
    }
  iface->reconcile_async (self, transfer, cancellable, callback, user_data);
}

gboolean
sendoff_provider_reconcile_finish (SendoffProvider  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);

  if (g_task_is_valid (result, self) &&
      g_task_get_source_tag (G_TASK (result)) == sendoff_provider_reconcile_async)
    return g_task_propagate_boolean (G_TASK (result), error);
  return SENDOFF_PROVIDER_GET_IFACE (self)->reconcile_finish (self, result, error);
}

char *
sendoff_provider_save_state (SendoffProvider *self,
                             SendoffTransfer *transfer,
                             SendoffItem     *item)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (transfer), NULL);
  return SENDOFF_PROVIDER_GET_IFACE (self)->save_state (self, transfer, item);
}

gboolean
sendoff_provider_restore_state (SendoffProvider  *self,
                                SendoffTransfer  *transfer,
                                SendoffItem      *item,
                                const char       *json,
                                GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (transfer), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  return SENDOFF_PROVIDER_GET_IFACE (self)->restore_state (self, transfer, item, json, error);
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
