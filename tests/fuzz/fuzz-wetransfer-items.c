/* fuzz-wetransfer-items.c — libFuzzer target: the answer to POST /v1/transfers/{id}/items
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "sendoff-wetransfer-v1-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = fuzz_body_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = _sendoff_wetransfer_v1_parse_items (body, &error);
  fuzz_check_outcome (items != NULL, error);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      SendoffWetransferV1Item *item = g_ptr_array_index (items, i);

      fuzz_check_header_safe (item->id);
      fuzz_check_header_safe (item->upload_id);
      /* the engine allocates per part: the count must be bounded */
      g_assert_cmpuint (item->n_parts, >=, 1);
      g_assert_cmpuint (item->n_parts, <=, SENDOFF_WETRANSFER_V1_MAX_PARTS);
      if (item->local_identifier != NULL)
        g_assert_cmpuint (strlen (item->local_identifier), >, 0);

      /* what the provider does next with the count */
      {
        g_autoptr(GError) check_error = NULL;
        gboolean ok = _sendoff_wetransfer_v1_check_parts ("file", (guint64) size * 4096,
                                                          SENDOFF_WETRANSFER_V1_CHUNK_SIZE,
                                                          item->n_parts, &check_error);
        fuzz_check_outcome (ok, check_error);
      }
    }
  return 0;
}
