/* fuzz-wetransfer-authorize.c — libFuzzer target: the answer to POST /v1/authorize
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
  g_autofree char *token = NULL;

  token = _sendoff_wetransfer_v1_parse_authorize (body, &error);
  fuzz_check_outcome (token != NULL, error);
  /* the token goes into "Authorization: Bearer …" */
  if (token != NULL)
    fuzz_check_header_safe (token);
  return 0;
}
