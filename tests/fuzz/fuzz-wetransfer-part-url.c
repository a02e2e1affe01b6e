/* fuzz-wetransfer-part-url.c — libFuzzer target: the answer to
 * GET /v1/files/{file_id}/uploads/{part}/{multipart_upload_id}
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
  g_autofree char *url = NULL;
  gint64 expires_at = -1;
  gboolean ok;

  ok = _sendoff_wetransfer_v1_parse_part_url (body, 1, &url, &expires_at, &error);
  fuzz_check_outcome (ok, error);
  if (ok)
    {
      /* never plain http:// to another host, never another scheme */
      fuzz_check_url (url);
      g_assert_cmpint (expires_at, >=, 0);
    }
  return 0;
}
