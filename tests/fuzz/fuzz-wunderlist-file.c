/* fuzz-wunderlist-file.c — libFuzzer target: the File answer of the Wunderlist
 * API (POST /api/v1/files) and the message of its error answers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "sendoff-wunderlist-parse.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = fuzz_body_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint64 file_id = 0;
  gboolean ok;

  ok = _sendoff_wunderlist_parse_file (body, 2000, &file_id, &error);
  fuzz_check_outcome (ok, error);
  if (ok)
    g_assert_cmpuint (file_id, >=, 1);

  /* shown to the user: printable, one line, bounded */
  message = _sendoff_wunderlist_parse_error (body);
  if (message != NULL)
    {
      g_assert_true (g_utf8_validate (message, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (message, -1), <=, 301);
      for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
        g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
    }
  return 0;
}
