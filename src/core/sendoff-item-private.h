/* sendoff-item-private.h — the core's side of SendoffItem
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-file-identity.h"
#include "sendoff-item.h"

G_BEGIN_DECLS

SendoffItem *_sendoff_item_new               (GFile        *file,
                                              const char   *name,
                                              guint64       size,
                                              gint64        mtime_usec,
                                              const char   *content_type);
gint64       _sendoff_item_get_mtime         (SendoffItem  *self);
void         _sendoff_item_set_name          (SendoffItem  *self,
                                              const char   *name);
void         _sendoff_item_set_state         (SendoffItem  *self,
                                              SendoffState  state);
void         _sendoff_item_set_error         (SendoffItem  *self,
                                              const char   *error);
void         _sendoff_item_set_bytes_sent    (SendoffItem  *self,
                                              guint64       bytes_sent);
void         _sendoff_item_add_retry         (SendoffItem  *self);

/* Remote bookkeeping, filled by the provider when items are registered.
 * remote_id: the service's file/upload id. Anything else the provider
 * needs lives in its provider data. Clearing also drops the provider data. */
void         _sendoff_item_set_remote        (SendoffItem  *self,
                                              const char   *remote_id,
                                              guint         n_parts,
                                              guint64       part_size);
void         _sendoff_item_clear_remote      (SendoffItem  *self);
const char  *_sendoff_item_get_remote_id     (SendoffItem  *self);
gboolean     _sendoff_item_is_registered     (SendoffItem  *self);
guint        _sendoff_item_get_n_parts       (SendoffItem  *self);
guint64      _sendoff_item_get_part_size     (SendoffItem  *self);
/* offset and length of part @part_number (1-based) */
void         _sendoff_item_get_part_range    (SendoffItem  *self,
                                              guint         part_number,
                                              guint64      *offset,
                                              guint64      *length);
gboolean     _sendoff_item_part_is_done      (SendoffItem  *self,
                                              guint         part_number);
void         _sendoff_item_mark_part_done    (SendoffItem  *self,
                                              guint         part_number);
/* A part the journal had as stored that the server does not hold */
void         _sendoff_item_unmark_part_done  (SendoffItem  *self,
                                              guint         part_number);
guint        _sendoff_item_count_parts_done  (SendoffItem  *self);
/* bytes of parts already stored on the server */
guint64      _sendoff_item_get_bytes_done    (SendoffItem  *self);
gboolean     _sendoff_item_is_completed      (SendoffItem  *self);
void         _sendoff_item_set_completed     (SendoffItem  *self,
                                              gboolean      completed);

/* The provider's per-item state, in one place (upload ids, receipts). */
gpointer     _sendoff_item_get_provider_data (SendoffItem  *self);
void         _sendoff_item_set_provider_data (SendoffItem  *self,
                                              gpointer      data,
                                              GDestroyNotify destroy);

/* The file as collected (device, inode, size, mtime, ctime). Items made
 * by _sendoff_item_new() know only size and mtime until it is set. Not
 * changed while a send runs: workers read it. */
const SendoffFileIdentity *
             _sendoff_item_get_identity      (SendoffItem  *self);
void         _sendoff_item_set_identity      (SendoffItem  *self,
                                              const SendoffFileIdentity *identity);

G_END_DECLS
