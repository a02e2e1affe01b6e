/* sendoff-item-row.h — one file in the window's list
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sendoff-file-groups.h"
#include "sendoff-item.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_ITEM_ROW (sendoff_item_row_get_type ())

G_DECLARE_FINAL_TYPE (SendoffItemRow, sendoff_item_row, SENDOFF, ITEM_ROW, GtkWidget)

/* Signals: "remove" (the user asked to take the item out of the list) */
GtkWidget   *sendoff_item_row_new      (void);
SendoffItem *sendoff_item_row_get_item (SendoffItemRow *self);
void         sendoff_item_row_set_item (SendoffItemRow *self,
                                        SendoffItem    *item);
/* A folder's row instead of a file's: its files counted and summed */
SendoffFileGroup *sendoff_item_row_get_group (SendoffItemRow   *self);
void              sendoff_item_row_set_group (SendoffItemRow   *self,
                                              SendoffFileGroup *group);

G_END_DECLS
