/* fuzz-s3-xml.c — libFuzzer target: every S3 XML answer parser and the
 * CompleteMultipartUpload body built from what ListParts returned
 *
 * Input: the body of an S3 answer (any status).
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "sendoff-s3-parse.h"

static void
check_text (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (text, -1), <=, 301);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
check_list (SendoffS3PartList *list)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autofree char *body = NULL;
  static const GMarkupParser no_parser = { 0 };
  gboolean unique = TRUE;

  for (guint i = 0; i < list->parts->len; i++)
    {
      SendoffS3Part *part = &g_array_index (list->parts, SendoffS3Part, i);

      g_assert_cmpuint (part->number, >=, 1);
      g_assert_cmpuint (part->number, <=, 10000);
      g_assert_true (part->etag != NULL && *part->etag != '\0');
      for (guint j = 0; j < i; j++)
        unique &= g_array_index (list->parts, SendoffS3Part, j).number != part->number;
    }
  if (list->is_truncated)
    g_assert_cmpuint (list->next_part_number_marker, >=, 1);

  /* What the server listed, sent back: well-formed XML, or refused */
  body = sendoff_s3_complete_body_new ((SendoffS3Part *) list->parts->data, list->parts->len,
                                       &error);
  fuzz_check_outcome (body != NULL, error);
  g_assert_true (body != NULL || !unique || list->parts->len == 0);
  if (body != NULL)
    {
      context = g_markup_parse_context_new (&no_parser, 0, NULL, NULL);
      g_assert_true (g_markup_parse_context_parse (context, body, -1, NULL));
      g_assert_true (g_markup_parse_context_end_parse (context, NULL));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = fuzz_body_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) initiate_error = NULL;
  g_autoptr(GError) complete_error = NULL;
  g_autoptr(GError) list_error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(SendoffS3Error) s3 = NULL;
  g_autoptr(SendoffS3Completed) completed = NULL;
  g_autoptr(SendoffS3PartList) list = NULL;
  g_autofree char *upload_id = NULL;
  gboolean ok;

  s3 = sendoff_s3_parse_error (body);
  if (s3 != NULL)
    {
      check_text (s3->code);
      check_text (s3->message);
      check_text (s3->request_id);
    }
  error = sendoff_s3_error_new (body, 500, -1, "Fuzzing");
  fuzz_check_error (error);
  g_assert_true (error->domain == SENDOFF_ERROR);

  upload_id = sendoff_s3_parse_initiate (body, "Fuzzing", &initiate_error);
  fuzz_check_outcome (upload_id != NULL, initiate_error);
  if (upload_id != NULL)
    fuzz_check_header_safe (upload_id);

  completed = sendoff_s3_parse_complete (body, "Fuzzing", &complete_error);
  fuzz_check_outcome (completed != NULL, complete_error);
  if (completed != NULL)
    {
      check_text (completed->location);
      check_text (completed->key);
      g_assert_true (completed->etag == NULL || g_utf8_validate (completed->etag, -1, NULL));
    }

  list = sendoff_s3_parse_list_parts (body, "Fuzzing", &list_error);
  fuzz_check_outcome (list != NULL, list_error);
  if (list != NULL)
    check_list (list);

  ok = sendoff_s3_parse_check (body, "Fuzzing", &check_error);
  fuzz_check_outcome (ok, check_error);
  return 0;
}
