/* fuzz-common.h — what every libFuzzer target checks about a parser's outcome
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* An error a user may read: present, valid UTF-8, one line, bounded. */
static inline void
fuzz_check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_cmpuint (strlen (error->message), <, 4096);
}

/* Exactly one of a result and an error. */
#define fuzz_check_outcome(ok, error)                   \
  G_STMT_START {                                        \
    if (ok)                                             \
      g_assert_null (error);                            \
    else                                                \
      fuzz_check_error (error);                         \
  } G_STMT_END

/* Goes into a request header or a URL path: printable ASCII only. */
static inline void
fuzz_check_header_safe (const char *value)
{
  g_assert_nonnull (value);
  g_assert_cmpuint (strlen (value), >, 0);
  for (const char *p = value; *p != '\0'; p++)
    g_assert_true (*p > ' ' && *p < 0x7f);
}

/* A URL the client will use: accepted by sendoff_url_check(), and
 * without spaces or control characters. */
#define fuzz_check_url(url)                                        \
  G_STMT_START {                                                   \
    g_assert_true (sendoff_url_check ((url), "URL", NULL));        \
    for (const char *p_ = (url); *p_ != '\0'; p_++)                \
      g_assert_true ((guchar) *p_ > ' ' && *p_ != 0x7f);           \
  } G_STMT_END

/* The body as a server would hand it: an exact-size copy, not NUL
 * terminated, so any read past it is caught by AddressSanitizer. */
static inline GBytes *
fuzz_body_new (const uint8_t *data,
               size_t         size)
{
  return g_bytes_new (data, size);
}
