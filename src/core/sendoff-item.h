/* sendoff-item.h — one file of a transfer
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sendoff-types.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_ITEM (sendoff_item_get_type ())

G_DECLARE_FINAL_TYPE (SendoffItem, sendoff_item, SENDOFF, ITEM, GObject)

/* Properties (all notify-able, read-only from outside the core):
 *   file (GFile), name (string: shown and sent name, may contain '/' for
 *   files from a dropped folder), size (guint64), content-type (string),
 *   state (SendoffState), bytes-sent (guint64), fraction (double 0..1),
 *   error (string or NULL), retries (guint: PUT retries so far)
 */
GFile        *sendoff_item_get_file         (SendoffItem *self);
const char   *sendoff_item_get_name         (SendoffItem *self);
guint64       sendoff_item_get_size         (SendoffItem *self);
const char   *sendoff_item_get_content_type (SendoffItem *self);
SendoffState  sendoff_item_get_state        (SendoffItem *self);
guint64       sendoff_item_get_bytes_sent   (SendoffItem *self);
double        sendoff_item_get_fraction     (SendoffItem *self);
const char   *sendoff_item_get_error        (SendoffItem *self);
guint         sendoff_item_get_retries      (SendoffItem *self);

G_END_DECLS
