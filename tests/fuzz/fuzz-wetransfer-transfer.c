/* fuzz-wetransfer-transfer.c — libFuzzer target: the answer to POST /v1/transfers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "sendoff-http.h"
#include "sendoff-wetransfer-v1-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = fuzz_body_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  gboolean ok;

  ok = _sendoff_wetransfer_v1_parse_transfer (body, &id, &url, &error);
  fuzz_check_outcome (ok, error);
  if (ok)
    {
      /* the id goes into URL paths, the link is shown and opened */
      fuzz_check_header_safe (id);
      fuzz_check_url (url);
    }
  else
    {
      g_assert_null (id);
      g_assert_null (url);
    }
  return 0;
}
