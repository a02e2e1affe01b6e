/* test-wunderlist-parse.c — the Wunderlist answers, good and hostile
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sendoff-types.h"
#include "sendoff-wunderlist-parse.h"

#define SEED_PART \
  "\"part\": {\"url\": \"https://s3.amazonaws.com/b/k?partNumber=1&uploadId=x\"," \
  " \"date\": \"Wed, 30 Apr 2014 14:44:48 UTC +00:00\"," \
  " \"authorization\": \"AWS SOME-KEY-HERE:SOME-SIGNATURE-HERE\"}"

static GBytes *
text (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

static SendoffWunderlistUpload *
parse_upload (const char  *body,
              gboolean     need_part,
              GError     **error)
{
  g_autoptr(GBytes) bytes = text (body);

  return _sendoff_wunderlist_parse_upload (bytes, "Test", need_part, error);
}

static void
test_upload_seed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffWunderlistUpload) upload = NULL;
  g_autoptr(GDateTime) expected = g_date_time_new_utc (2014, 4, 30, 14, 44, 48);

  /* The seed's own example answer */
  upload = parse_upload ("{\"id\": 2000, \"user_id\": 1337, \"state\": \"new\", \"type\": \"upload\","
                         " \"expires_at\": \"2014-04-30T14:44:48Z\", " SEED_PART "}",
                         TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (upload);
  g_assert_cmpuint (upload->id, ==, 2000);
  g_assert_cmpstr (upload->state, ==, "new");
  g_assert_cmpstr (upload->part_url, ==, "https://s3.amazonaws.com/b/k?partNumber=1&uploadId=x");
  g_assert_cmpstr (upload->part_date, ==, "Wed, 30 Apr 2014 14:44:48 UTC +00:00");
  g_assert_cmpstr (upload->part_authorization, ==, "AWS SOME-KEY-HERE:SOME-SIGNATURE-HERE");
  g_assert_cmpint (upload->expires_at, ==, g_date_time_to_unix (expected));
}

static void
test_upload_finished (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffWunderlistUpload) upload = NULL;

  /* The PATCH answer has no part and needs none */
  upload = parse_upload ("{\"id\": 2000, \"user_id\": 1337, \"state\": \"finished\","
                         " \"type\": \"upload\"}", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (upload->id, ==, 2000);
  g_assert_cmpstr (upload->state, ==, "finished");
  g_assert_null (upload->part_url);
  g_assert_cmpint (upload->expires_at, ==, 0);

  g_clear_pointer (&upload, _sendoff_wunderlist_upload_free);
  upload = parse_upload ("{\"id\": 2000, \"state\": \"finished\"}", TRUE, &error);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
  g_assert_null (upload);
  g_assert_nonnull (strstr (error->message, "part"));
}

static void
test_upload_hostile (void)
{
  const char *bodies[] = {
    "",
    "not json",
    "[]",
    "{}",
    "{\"id\": \"2000\", " SEED_PART "}",
    "{\"id\": 0, " SEED_PART "}",
    "{\"id\": -5, " SEED_PART "}",
    "{\"id\": 1e300, " SEED_PART "}",
    "{\"id\": 99999999999999999999, " SEED_PART "}",
    "{\"id\": 1, \"state\": 3, " SEED_PART "}",
    "{\"id\": 1, \"expires_at\": \"tomorrow\", " SEED_PART "}",
    "{\"id\": 1, \"expires_at\": 12, " SEED_PART "}",
    "{\"id\": 1, \"part\": null}",
    "{\"id\": 1, \"part\": []}",
    "{\"id\": 1, \"part\": {\"url\": \"https://s3/x\", \"date\": \"d\"}}",
    "{\"id\": 1, \"part\": {\"url\": \"https://s3/x\", \"authorization\": \"a\"}}",
    "{\"id\": 1, \"part\": {\"date\": \"d\", \"authorization\": \"a\"}}",
    /* a header value must not smuggle in headers of its own */
    "{\"id\": 1, \"part\": {\"url\": \"https://s3/x\", \"date\": \"d\","
    " \"authorization\": \"AWS k:s\\r\\nX-Evil: 1\"}}",
    "{\"id\": 1, \"part\": {\"url\": \"https://s3/x\", \"date\": \"d\\n\","
    " \"authorization\": \"a\"}}",
    "{\"id\": 1, \"part\": {\"url\": \"https://s3/x\", \"date\": \"d\","
    " \"authorization\": \"caf\xc3\xa9\"}}",
    "{\"id\": 1, \"part\": {\"url\": \"https://s3/x\", \"date\": \"\", \"authorization\": \"a\"}}",
    /* plain http only for this computer */
    "{\"id\": 1, \"part\": {\"url\": \"http://s3.example.com/x\", \"date\": \"d\","
    " \"authorization\": \"a\"}}",
    "{\"id\": 1, \"part\": {\"url\": \"ftp://127.0.0.1/x\", \"date\": \"d\","
    " \"authorization\": \"a\"}}",
    "{\"id\": 1, \"part\": {\"url\": 7, \"date\": \"d\", \"authorization\": \"a\"}}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SendoffWunderlistUpload) upload = parse_upload (bodies[i], TRUE, &error);

      g_test_message ("body %u: %s", i, bodies[i]);
      g_assert_null (upload);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SENDOFF_ERROR);
      g_assert_true (error->code == SENDOFF_ERROR_PROTOCOL ||
                     error->code == SENDOFF_ERROR_INSECURE_URL);
      /* the message names the step, never the header values */
      g_assert_true (g_str_has_prefix (error->message, "Test") ||
                     error->code == SENDOFF_ERROR_INSECURE_URL);
      g_assert_null (strstr (error->message, "X-Evil"));
    }
}

static void
test_upload_loopback (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffWunderlistUpload) upload = NULL;

  upload = parse_upload ("{\"id\": 7, \"part\": {\"url\": \"http://127.0.0.1:8080/storage/wl/7\","
                         " \"date\": \"Mon, 01 Jan 2026 00:00:00 GMT\", \"authorization\": \"AWS a:b\"}}",
                         TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (upload->part_url, ==, "http://127.0.0.1:8080/storage/wl/7");
}

static void
test_file (void)
{
  const char *good = "{\"id\": 9, \"upload_id\": 2000, \"task_id\": 42, \"type\": \"file\"}";
  const char *bad[] = {
    "{\"upload_id\": 2000}",
    "{\"id\": 9, \"upload_id\": 2001}",
    "{\"id\": 9, \"upload_id\": \"2000\"}",
    "{\"id\": \"9\"}",
    "{\"id\": 0}",
    "9",
    "",
  };
  g_autoptr(GBytes) body = text (good);
  g_autoptr(GError) error = NULL;
  guint64 file_id = 0;

  g_assert_true (_sendoff_wunderlist_parse_file (body, 2000, &file_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_id, ==, 9);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bad_body = text (bad[i]);
      g_autoptr(GError) bad_error = NULL;

      file_id = 0;
      g_assert_false (_sendoff_wunderlist_parse_file (bad_body, 2000, &file_id, &bad_error));
      g_assert_error (bad_error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
      g_assert_cmpuint (file_id, ==, 0);
    }
}

static void
test_error_message (void)
{
  struct {
    const char *body;
    const char *message;
  } cases[] = {
    /* the seed's answer: the field first, then what is wrong */
    { "{\"errors\": [\"state\", \"There are no parts upload to finish it\"]}",
      "There are no parts upload to finish it" },
    { "{\"errors\": [\"Something broke\"]}", "Something broke" },
    { "{\"errors\": \"Plain\"}", "Plain" },
    { "{\"error\": {\"type\": \"not_found\", \"message\": \"The upload does not exist\"}}",
      "The upload does not exist" },
    { "{\"error\": \"denied\"}", "denied" },
    { "{\"errors\": [\"f\", \"line\\none\\u0007two\"]}", "line one two" },
    { "{\"errors\": []}", NULL },
    { "{\"errors\": [1, 2]}", NULL },
    { "{}", NULL },
    { "<html>", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autofree char *message = _sendoff_wunderlist_parse_error (body);

      g_assert_cmpstr (message, ==, cases[i].message);
    }
}

static void
test_error_message_bounded (void)
{
  g_autoptr(GString) long_body = g_string_new ("{\"errors\": [\"f\", \"");
  g_autoptr(GBytes) body = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (long_body, "x");
  g_string_append (long_body, "\"]}");
  body = g_bytes_new (long_body->str, long_body->len);

  message = _sendoff_wunderlist_parse_error (body);
  g_assert_nonnull (message);
  g_assert_cmpuint (g_utf8_strlen (message, -1), <=, 301);
  g_assert_true (g_str_has_suffix (message, "…"));
}

static void
check_plan (guint64 size)
{
  g_autoptr(GError) error = NULL;
  guint64 part_size = 0;
  guint n_parts = 0;

  g_assert_true (_sendoff_wunderlist_plan_parts ("f", size, &part_size, &n_parts, &error));
  g_assert_no_error (error);

  /* S3's rules, and every byte in exactly one part */
  g_assert_cmpuint (part_size, >=, SENDOFF_WUNDERLIST_MIN_PART_SIZE);
  g_assert_cmpuint (part_size, <=, SENDOFF_WUNDERLIST_MAX_PART_SIZE);
  g_assert_cmpuint (n_parts, >=, 1);
  g_assert_cmpuint (n_parts, <=, SENDOFF_WUNDERLIST_MAX_PARTS);
  g_assert_cmpuint ((guint64) n_parts * part_size, >=, size);
  if (size > 0)
    g_assert_cmpuint ((guint64) (n_parts - 1) * part_size, <, size);
  else
    g_assert_cmpuint (n_parts, ==, 1);
}

static void
test_plan_parts (void)
{
  const guint64 mib = 1024 * 1024;
  const guint64 sizes[] = {
    0, 1, 6 * mib - 1, 6 * mib, 6 * mib + 1, 1024 * mib,
    10000 * 6 * mib, 10000 * 6 * mib + 1, 100 * 1024 * mib, 1024 * 1024 * mib,
    SENDOFF_WUNDERLIST_MAX_PARTS * SENDOFF_WUNDERLIST_MAX_PART_SIZE,
  };
  guint64 part_size;
  guint n_parts;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_plan (sizes[i]);

  /* small files keep 6 MiB parts; huge ones grow them */
  g_assert_true (_sendoff_wunderlist_plan_parts ("f", 13 * mib, &part_size, &n_parts, NULL));
  g_assert_cmpuint (part_size, ==, SENDOFF_WUNDERLIST_DEFAULT_PART_SIZE);
  g_assert_cmpuint (n_parts, ==, 3);
  g_assert_true (_sendoff_wunderlist_plan_parts ("f", 100 * 1024 * mib, &part_size, &n_parts,
                                                 NULL));
  g_assert_cmpuint (part_size, >, SENDOFF_WUNDERLIST_DEFAULT_PART_SIZE);
  g_assert_cmpuint (part_size % mib, ==, 0);
}

static void
test_plan_too_large (void)
{
  g_autoptr(GError) error = NULL;
  guint64 part_size = 0;
  guint n_parts = 0;

  g_assert_false (_sendoff_wunderlist_plan_parts ("huge.img",
                                                  SENDOFF_WUNDERLIST_MAX_PARTS *
                                                  SENDOFF_WUNDERLIST_MAX_PART_SIZE + 1,
                                                  &part_size, &n_parts, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "huge.img"));

  g_clear_error (&error);
  g_assert_false (_sendoff_wunderlist_plan_parts ("max", G_MAXUINT64, &part_size, &n_parts,
                                                  &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/wunderlist-parse/upload-seed", test_upload_seed);
  g_test_add_func ("/sendoff/wunderlist-parse/upload-finished", test_upload_finished);
  g_test_add_func ("/sendoff/wunderlist-parse/upload-hostile", test_upload_hostile);
  g_test_add_func ("/sendoff/wunderlist-parse/upload-loopback", test_upload_loopback);
  g_test_add_func ("/sendoff/wunderlist-parse/file", test_file);
  g_test_add_func ("/sendoff/wunderlist-parse/error-message", test_error_message);
  g_test_add_func ("/sendoff/wunderlist-parse/error-message-bounded", test_error_message_bounded);
  g_test_add_func ("/sendoff/wunderlist-parse/plan-parts", test_plan_parts);
  g_test_add_func ("/sendoff/wunderlist-parse/plan-too-large", test_plan_too_large);

  return g_test_run ();
}
