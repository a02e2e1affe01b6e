/* sendoff-provider.h — one transfer service's requests, as the engine's steps
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Writing a backend. A backend is one provider file pair plus its parser:
 *
 *   src/core/sendoff-<id>.{c,h}        the provider: a GObject implementing
 *                                      SendoffProviderInterface, its static
 *                                      SendoffBackendInfo, a property per
 *                                      declared option and secret
 *   src/core/sendoff-<id>-parse.{c,h}  pure parsers of the service's
 *                                      answers (fuzzed: they take any bytes)
 *   src/core/sendoff-backend.c         one row in the backend table
 *   src/core/meson.build               its sources
 *   po/POTFILES.in                     its files with translatable strings
 *   tests/test-<id>*.c, tests/meson.build, tests/fuzz/ its tests
 *
 * Nothing in src/gui, src/cli or data/ names a backend: Preferences, setup
 * and the command line are built from the declaration. Start from
 * tests/sendoff-fake-provider.c (every member implemented and commented);
 * sendoff-http-provider.h has the plumbing an HTTP API needs (one call
 * with a bounded answer, secret wiping, header safety) and
 * sendoff-parts.h S3's part-planning rule.
 *
 * The engine's order of calls for one send: check_limits, authorize,
 * begin_transfer, register_items (items not registered yet), then for
 * every part not stored: get_part_target, the request to storage,
 * part_stored (or classify_storage_error on a refusal); finish_item when
 * an item's parts are all stored, finish_transfer when every item is
 * complete. abort runs after a failure that is not retryable and on
 * sendoff_uploader_discard_async(), never on an interrupt.
 */

#pragma once

#include <libsoup/soup.h>

#include "sendoff-backend.h"
#include "sendoff-item.h"
#include "sendoff-transfer.h"

G_BEGIN_DECLS

/**
 * SendoffPartTarget:
 * @url: where to send the part (checked with sendoff_url_check_part())
 * @headers: the headers the service requires on that request and nothing
 *   more (never the API key or the JWT); %NULL for none
 * @empty_content_type: the request must carry a present but empty Content-Type
 * @expires_at: Unix time after which the target must be fetched again, 0 if unknown
 * @method: the HTTP method: "PUT" (the default when %NULL), "PATCH" or "POST"
 *
 * Where and how the engine sends one part: the answer of
 * #SendoffProviderInterface.get_part_target_async.
 */
typedef struct {
  char               *url;
  SoupMessageHeaders *headers;
  gboolean            empty_content_type;
  gint64              expires_at;
  char               *method;
} SendoffPartTarget;

#define SENDOFF_TYPE_PART_TARGET (sendoff_part_target_get_type ())
GType              sendoff_part_target_get_type (void) G_GNUC_CONST;
SendoffPartTarget *sendoff_part_target_new      (const char        *url,
                                                 gint64             expires_at);
SendoffPartTarget *sendoff_part_target_copy     (const SendoffPartTarget *target);
void               sendoff_part_target_free     (SendoffPartTarget *target);
/* "PUT" when @target->method is %NULL */
const char        *sendoff_part_target_get_method (const SendoffPartTarget *target);
void               sendoff_part_target_set_method (SendoffPartTarget *target,
                                                   const char        *method);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffPartTarget, sendoff_part_target_free)

/**
 * SendoffStorageVerdict:
 * @SENDOFF_STORAGE_RETRY_FRESH_TARGET: the target expired or was refused
 *   (a presigned URL's 403): try again with a fresh target
 * @SENDOFF_STORAGE_RETRY: a passing failure (5xx, 429, network): try again
 *   after a delay
 * @SENDOFF_STORAGE_AUTH_REFUSED: the credentials are refused: stop the
 *   whole send at once, no retry
 * @SENDOFF_STORAGE_FATAL: anything else: the item fails with the server's
 *   message
 *
 * What the engine does with a failed answer of the storage to a part.
 */
typedef enum {
  SENDOFF_STORAGE_RETRY_FRESH_TARGET,
  SENDOFF_STORAGE_RETRY,
  SENDOFF_STORAGE_AUTH_REFUSED,
  SENDOFF_STORAGE_FATAL,
} SendoffStorageVerdict;

#define SENDOFF_TYPE_PROVIDER (sendoff_provider_get_type ())

G_DECLARE_INTERFACE (SendoffProvider, sendoff_provider, SENDOFF, PROVIDER, GObject)

/**
 * SendoffProviderInterface:
 * @info: what the backend declares (id, name, options, secrets); set by the
 *   provider's interface init to a static #SendoffBackendInfo in its own
 *   file. The generic code creates a provider with g_object_new() and sets
 *   every option and secret as a property named by its key.
 * @check_configuration: tells whether the options and secrets set are
 *   enough to send. The default checks that every required option and
 *   secret is set and that URL options pass sendoff_url_check(); the error
 *   (%SENDOFF_ERROR_INVALID_INPUT or %SENDOFF_ERROR_NO_CREDENTIALS) names
 *   the option.
 * @has_secret: whether the secret @key was given (secrets are write-only
 *   properties). Used by the default @check_configuration; the default
 *   answers %TRUE.
 * @check_async: one cheap authenticated request telling whether the
 *   configuration works; errors are sentences that say what to change
 *   ("The server refused the API key"). Optional: the default succeeds
 *   when @check_configuration does.
 * @check_finish: finishes @check_async.
 * @check_limits: called before anything is created remotely: a file
 *   needing more parts than the service takes, more files than it takes,
 *   a size above a known limit fail with %SENDOFF_ERROR_INVALID_INPUT
 *   naming the file. The default accepts everything.
 * @authorize_async: obtains (or refreshes, after a 401) whatever
 *   per-session token the service needs. %SENDOFF_ERROR_AUTH when the
 *   credentials are refused.
 * @authorize_finish: finishes @authorize_async.
 * @begin_transfer_async: creates the remote transfer, if the service has
 *   such a thing. Called at the start of every send (also a retry).
 * @begin_transfer_finish: finishes @begin_transfer_async.
 * @register_items_async: registers @items (a #GPtrArray of #SendoffItem
 *   not yet registered) and calls _sendoff_item_set_remote() on each.
 * @register_items_finish: finishes @register_items_async.
 * @get_part_target_async: where and how to send part @part_number
 *   (1-based) of @item: method, URL, headers. A fresh target every call
 *   (the engine asks again for every retry).
 * @get_part_target_finish: finishes @get_part_target_async.
 * @item_parts_in_order: whether the parts of @item must be sent one at a
 *   time, in order (tus-like servers). The default is %FALSE: parts of all
 *   items share the pool of parallel requests.
 * @part_stored: storage accepted part @part_number of @item with
 *   @status and @headers (a copy of the response headers). Runs on the
 *   engine's main context before the part counts as stored: the provider
 *   keeps what it needs (an ETag, an Upload-Offset) in its per-item
 *   state, or returns %FALSE with an error to make this a failed attempt
 *   (tried again). The default accepts.
 * @classify_storage_error: what to do about a failed storage answer
 *   (@status, @headers, @body, which may be %NULL). The default: 403 and a
 *   success status with an S3 error document are a stale target, 408, 429
 *   and 5xx are retried, anything else is fatal for the item.
 * @finish_item_async: every part of @item is stored: complete it on the
 *   server.
 * @finish_item_finish: finishes @finish_item_async.
 * @finish_transfer_async: every item is complete: sets the transfer's
 *   share-url and result.
 * @finish_transfer_finish: finishes @finish_transfer_async.
 * @reset_item: @item failed in a way its remote upload cannot recover
 *   from (its file changed): forget the remote upload so the next send
 *   creates a new one. The default does nothing.
 * @abort_async: the transfer is over for good (discarded, or failed with
 *   an error that is not retryable): abort what was created remotely (S3
 *   AbortMultipartUpload) and forget it. Never run on an interrupt (a
 *   cancelled send keeps its remote state for a resume). %NULL (the
 *   default) when the service needs nothing: unfinished uploads are then
 *   left for the service to collect and nothing is forgotten.
 * @abort_finish: finishes @abort_async.
 * @save_state: the provider's remote state of @item, or of @transfer when
 *   @item is %NULL, as a JSON string (upload ids, ETags; never a secret),
 *   or %NULL when there is none. The journal keeps it.
 * @restore_state: puts back what @save_state returned, after a restart.
 *   %FALSE with %SENDOFF_ERROR_PROTOCOL when @json is not usable. On a
 *   resume (sendoff_transfer_new_from_journal()) the order per item is:
 *   its registration (_sendoff_item_set_remote()) and its parts stored
 *   marked done, then @restore_state, then @part_stored once per stored
 *   part with its receipt as the ETag header (status 200): the provider
 *   gets its receipts back the way they first came.
 * @reconcile_async: a send continues a remote state (resumed from the
 *   journal, or retried): before anything is sent, compare it with what
 *   the server holds. Called once per send, after authorize. S3 lists the
 *   parts of every unfinished upload (ListParts): a part the server holds
 *   but the journal missed can be taken with its ETag through
 *   _sendoff_item_mark_part_done() and its receipt; an upload the server
 *   does not know (NoSuchUpload) fails with %SENDOFF_ERROR_FORGOTTEN,
 *   which the user is told as "the server no longer knows this transfer"
 *   (nothing is sent again unless they restart it). %NULL (the default):
 *   the first request tells (a 404, 410, or ids refused under a fresh
 *   token are taken as a forgotten transfer).
 * @reconcile_finish: finishes @reconcile_async.
 *
 * The extension point of Sendoff: one transfer service's requests as the
 * engine's steps. A backend implements this interface in one file (see
 * tests/sendoff-fake-provider.c for a commented template).
 *
 * Every asynchronous step runs on the thread-default main context of the
 * caller (the engine's); so do the synchronous hooks. Errors are in
 * %SENDOFF_ERROR or %G_IO_ERROR; a step's error is retried when
 * sendoff_error_is_retryable() says so, a %SENDOFF_ERROR_AUTH error of a
 * step other than authorize re-authorizes first.
 *
 * A provider keeps its per-item state in one place, the item's provider
 * data (_sendoff_item_set_provider_data()), and its per-transfer state in
 * the transfer's (_sendoff_transfer_set_provider_data()).
 */
struct _SendoffProviderInterface
{
  GTypeInterface parent_iface;

  const SendoffBackendInfo *info;

  gboolean  (*check_configuration)    (SendoffProvider      *self,
                                       GError              **error);
  gboolean  (*has_secret)             (SendoffProvider      *self,
                                       const char           *key);
  void      (*check_async)            (SendoffProvider      *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*check_finish)           (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);
  gboolean  (*check_limits)           (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GError              **error);

  void      (*authorize_async)        (SendoffProvider      *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*authorize_finish)       (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  void      (*begin_transfer_async)   (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*begin_transfer_finish)  (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  void      (*register_items_async)   (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GPtrArray            *items,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*register_items_finish)  (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

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

  gboolean  (*item_parts_in_order)    (SendoffProvider      *self,
                                       SendoffItem          *item);
  gboolean  (*part_stored)            (SendoffProvider      *self,
                                       SendoffItem          *item,
                                       guint                 part_number,
                                       guint                 status,
                                       SoupMessageHeaders   *headers,
                                       GError              **error);
  SendoffStorageVerdict
            (*classify_storage_error) (SendoffProvider      *self,
                                       SendoffItem          *item,
                                       guint                 status,
                                       SoupMessageHeaders   *headers,
                                       GBytes               *body);

  void      (*finish_item_async)      (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       SendoffItem          *item,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*finish_item_finish)     (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  void      (*finish_transfer_async)  (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*finish_transfer_finish) (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  void      (*reset_item)             (SendoffProvider      *self,
                                       SendoffItem          *item);

  void      (*abort_async)            (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*abort_finish)           (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);

  char     *(*save_state)             (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       SendoffItem          *item);
  gboolean  (*restore_state)          (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       SendoffItem          *item,
                                       const char           *json,
                                       GError              **error);

  void      (*reconcile_async)        (SendoffProvider      *self,
                                       SendoffTransfer      *transfer,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  gboolean  (*reconcile_finish)       (SendoffProvider      *self,
                                       GAsyncResult         *result,
                                       GError              **error);
};

const SendoffBackendInfo *
                   sendoff_provider_get_info              (SendoffProvider      *self);
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

gboolean           sendoff_provider_check_configuration   (SendoffProvider      *self,
                                                           GError              **error);
void               sendoff_provider_check_async           (SendoffProvider      *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_check_finish          (SendoffProvider      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
gboolean           sendoff_provider_check_limits          (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           GError              **error);
gboolean           sendoff_provider_item_parts_in_order   (SendoffProvider      *self,
                                                           SendoffItem          *item);
gboolean           sendoff_provider_part_stored           (SendoffProvider      *self,
                                                           SendoffItem          *item,
                                                           guint                 part_number,
                                                           guint                 status,
                                                           SoupMessageHeaders   *headers,
                                                           GError              **error);
SendoffStorageVerdict
                   sendoff_provider_classify_storage_error (SendoffProvider     *self,
                                                           SendoffItem          *item,
                                                           guint                 status,
                                                           SoupMessageHeaders   *headers,
                                                           GBytes               *body);
/* FALSE when the provider has no abort hook (nothing to abort) */
gboolean           sendoff_provider_can_abort             (SendoffProvider      *self);
void               sendoff_provider_abort_async           (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_abort_finish          (SendoffProvider      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
char              *sendoff_provider_save_state            (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           SendoffItem          *item);
/* Succeeds at once when the provider has no reconcile hook */
void               sendoff_provider_reconcile_async       (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           sendoff_provider_reconcile_finish      (SendoffProvider      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
gboolean           sendoff_provider_restore_state         (SendoffProvider      *self,
                                                           SendoffTransfer      *transfer,
                                                           SendoffItem          *item,
                                                           const char           *json,
                                                           GError              **error);

G_END_DECLS
