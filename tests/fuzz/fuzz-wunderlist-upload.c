/* fuzz-wunderlist-upload.c — libFuzzer target: the Upload answers of the
 * Wunderlist API (POST /api/v1/uploads, GET …/parts, PATCH …/uploads/{id})
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "sendoff-http.h"
#include "sendoff-wunderlist-parse.h"

static void
parse (GBytes   *body,
       gboolean  need_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffWunderlistUpload) upload = NULL;

  upload = _sendoff_wunderlist_parse_upload (body, "Fuzzing", need_part, &error);
  fuzz_check_outcome (upload != NULL, error);
  if (upload == NULL)
    return;

  g_assert_cmpuint (upload->id, >=, 1);
  g_assert_cmpint (upload->expires_at, >=, 0);
  if (need_part)
    {
      /* these go into the PUT's request line and headers */
      fuzz_check_url (upload->part_url);
      for (const char *p = upload->part_date; *p != '\0'; p++)
        g_assert_true (*p >= ' ' && *p <= '~');
      for (const char *p = upload->part_authorization; *p != '\0'; p++)
        g_assert_true (*p >= ' ' && *p <= '~');
    }
  else
    g_assert_null (upload->part_url);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = fuzz_body_new (data, size);

  parse (body, TRUE);
  parse (body, FALSE);
  return 0;
}
