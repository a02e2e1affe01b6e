/* sendoff-provider.h — one transfer service's requests, as the engine's steps
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sendoff-backend.h"
#include "sendoff-item.h"
#include "sendoff-transfer.h"

G_BEGIN_DECLS

/**
 * SendoffPartTarget:
 * @url: where to PUT the part (checked with sendoff_url_check_part())
 * @headers: the headers the service requires on that PUT and nothing more
 *   (never the API key or the JWT); %NULL for none
 * @empty_content_type: the PUT must carry a present but empty Content-Type
 * @expires_at: Unix time after which the target must be fetched again, 0 if unknown
 */
typedef struct {
  char               *url;
  SoupMessageHeaders *headers;
  gboolean            empty_content_type;
  gint64              expires_at;
} SendoffPartTarget;

#define SENDOFF_TYPE_PART_TARGET (sendoff_part_target_get_type ())
GType              sendoff_part_target_get_type (void) G_GNUC_CONST;
SendoffPartTarget *sendoff_part_target_new      (const char        *url,
                                                 gint64             expires_at);
SendoffPartTarget *sendoff_part_target_copy     (const SendoffPartTarget *target);
void               sendoff_part_target_free     (SendoffPartTarget *target);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffPartTarget, sendoff_part_target_free)

#define SENDOFF_TYPE_PROVIDER (sendoff_provider_get_type ())

G_DECLARE_INTERFACE (SendoffProvider, sendoff_provider, SENDOFF, PROVIDER, GObject)

/* Every step is asynchronous on the thread-default main context of the
 * caller (the engine's). Errors are in SENDOFF_ERROR or G_IO_ERROR; a
 * step's error is retryable when sendoff_error_is_retryable() says so. */
struct _SendoffProviderInterface
{
  GTypeInterface parent_iface;

  /* What the backend declares about itself (set in its iface_init) */
  const SendoffBackendInfo *info;

  /* Stable id ("wetransfer-v1", "wunderlist") */
  const char *(*get_id)               (SendoffProvider      *self);

  /* Obtain (or refresh, after a 401) whatever per-session token the
   * service needs. SENDOFF_ERROR_AUTH when the credentials are refused. */
  void      (*authorize_async)        (SendoffProvider      *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*authorize_finish)       (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  /* Create the remote transfer (WeTransfer) or nothing (Wunderlist). */
  void      (*begin_transfer_async)   (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*begin_transfer_finish)  (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  /* Register @items (a GPtrArray of SendoffItem not yet registered) and
   * call _sendoff_item_set_remote() on each. */
  void      (*register_items_async)   (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GPtrArray            *items,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*register_items_finish)  (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  /* Where and how to PUT part @part_number (1-based) of @item. A fresh
   * target every call (the engine asks again for every retry). */
  void      (*get_part_target_async)  (SendoffProvider      *self,
                                       SendoffItem          *item,
                                       guint                 part_number,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  SendoffPartTarget *
            (*get_part_target_finish) (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  /* Every part of @item is stored: complete it on the server. */
  void      (*finish_item_async)      (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       SendoffItem          *item,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*finish_item_finish)     (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  /* Every item is complete: set the transfer's share-url and result. */
  void      (*finish_transfer_async)  (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*finish_transfer_finish) (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  /* An item failed in a way its remote upload cannot recover from
   * (Wunderlist: abandon the upload and create a new one next time).
   * Optional; the default clears nothing. */
  void      (*reset_item)             (SendoffProvider      *self,
                                       SendoffItem          *item);

  /* One cheap authenticated request telling whether the configuration
   * works, with errors as sentences that say what to change. Optional:
   * the default authorizes. */
  void      (*check_async)            (SendoffProvider      *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*check_finish)           (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);
};

const SendoffBackendInfo *sendoff_provider_get_info      (SendoffProvider      *self);
const char        *sendoff_provider_get_id                (SendoffProvider      *self);
void               sendoff_provider_authorize_async       (SendoffProvider      *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_authorize_finish      (SendoffProvider      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               sendoff_provider_begin_transfer_async  (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_begin_transfer_finish (SendoffProvider      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               sendoff_provider_register_items_async  (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           GPtrArray            *items,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_register_items_finish (SendoffProvider      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               sendoff_provider_get_part_target_async (SendoffProvider      *self,
                                                           SendoffItem          *item,
                                                           guint                 part_number,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
SendoffPartTarget *sendoff_provider_get_part_target_finish (SendoffProvider     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               sendoff_provider_finish_item_async     (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           SendoffItem          *item,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_finish_item_finish    (SendoffProvider      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               sendoff_provider_finish_transfer_async (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_finish_transfer_finish (SendoffProvider     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               sendoff_provider_reset_item            (SendoffProvider      *self,
                                                           SendoffItem          *item);
void               sendoff_provider_check_async           (SendoffProvider      *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_check_finish          (SendoffProvider      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
