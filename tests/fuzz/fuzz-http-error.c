/* fuzz-http-error.c — libFuzzer target: sendoff-http's reading of answers
 * that are not a success (JSON or S3 XML error bodies, Retry-After), and of
 * any JSON answer. The answer to POST /v1/files/{id}/uploads/complete is
 * read only this way: on success its body is not looked at.
 *
 * Input: the Retry-After header value, a newline, then the body.
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "sendoff-http.h"
#include "sendoff-types.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static SoupMessage *msg;
  const uint8_t *newline = memchr (data, '\n', size);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  SoupMessageHeaders *headers;
  gint64 retry_after;

  if (msg == NULL)
    msg = soup_message_new ("POST", "https://127.0.0.1/v1/files/x/uploads/complete");
  headers = soup_message_get_response_headers (msg);
  soup_message_headers_remove (headers, "Retry-After");
  if (newline != NULL)
    {
      g_autofree char *value = g_strndup ((const char *) data, newline - data);

      /* libsoup itself refuses header values with line breaks */
      if (*value != '\0' && strpbrk (value, "\r\n") == NULL)
        soup_message_headers_replace (headers, "Retry-After", value);
      size -= newline + 1 - data;
      data = newline + 1;
    }
  body = fuzz_body_new (data, size);

  error = sendoff_http_error_new (msg, body, "Completing the file");
  fuzz_check_error (error);
  g_assert_true (error->domain == SENDOFF_ERROR);
  retry_after = sendoff_http_error_get_retry_after (error);
  g_assert_true (retry_after == -1 || (retry_after >= 0 && retry_after <= 3600));

  root = sendoff_json_parse (body, "Fuzzing", &parse_error);
  fuzz_check_outcome (root != NULL, parse_error);
  return 0;
}
