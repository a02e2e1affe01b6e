/* test-wetransfer-parse.c — the WeTransfer v1 answers, good and hostile
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sendoff-types.h"
#include "sendoff-wetransfer-v1-private.h"

#define MIB6 SENDOFF_WETRANSFER_V1_CHUNK_SIZE

static GBytes *
bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
test_authorize (void)
{
  g_autoptr(GBytes) good = bytes ("{\"success\": true, \"token\": \"eyJhbGciOi.J9.x-y_z\"}");
  const char *bad[] = {
    "{\"success\": true}", "{\"token\": 42}", "{\"token\": \"\"}", "{\"token\": \"a\\nb\"}",
    "{\"token\": \"has space\"}", "[]", "<html>", "",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *token = _sendoff_wetransfer_v1_parse_authorize (good, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "eyJhbGciOi.J9.x-y_z");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = bytes (bad[i]);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *none = _sendoff_wetransfer_v1_parse_authorize (body, &local_error);

      g_assert_null (none);
      g_assert_error (local_error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
    }

  {
    g_autoptr(GBytes) body = bytes ("{\"success\": false, \"token\": \"t\"}");
    g_autoptr(GError) local_error = NULL;
    g_autofree char *none = _sendoff_wetransfer_v1_parse_authorize (body, &local_error);

    g_assert_null (none);
    g_assert_error (local_error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  }
}

static void
test_transfer (void)
{
  g_autoptr(GBytes) good = bytes ("{\"id\": \"random-hash\", \"state\": \"uploading\", "
                                  "\"shortened_url\": \"https://we.tl/s-random-hash\", "
                                  "\"items\": []}");
  const char *bad[] = {
    "{\"shortened_url\": \"https://we.tl/s-x\"}",
    "{\"id\": \"x\"}",
    "{\"id\": \"../x\", \"shortened_url\": \"https://we.tl/s-x\"}",
    "{\"id\": \"x\", \"shortened_url\": \"javascript:alert(1)\"}",
    "{\"id\": \"x\", \"shortened_url\": \"http://we.tl/s-x\"}",
    "{\"id\": 5, \"shortened_url\": \"https://we.tl/s-x\"}",
    "{\"id\": null, \"shortened_url\": null}",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;

  g_assert_true (_sendoff_wetransfer_v1_parse_transfer (good, &id, &url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "random-hash");
  g_assert_cmpstr (url, ==, "https://we.tl/s-random-hash");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = bytes (bad[i]);
      g_autoptr(GError) local_error = NULL;
      char *no_id = NULL, *no_url = NULL;

      g_assert_false (_sendoff_wetransfer_v1_parse_transfer (body, &no_id, &no_url, &local_error));
      g_assert_error (local_error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
      g_assert_null (no_id);
      g_assert_null (no_url);
    }
}

static void
test_items (void)
{
  g_autoptr(GBytes) good = bytes (
    "[{\"id\": \"f1\", \"content_identifier\": \"file\", \"local_identifier\": \"sendoff-0\","
    "  \"meta\": {\"multipart_parts\": 3, \"multipart_upload_id\": \"some.random-id--\"},"
    "  \"name\": \"kittie.gif\", \"size\": 195906, \"upload_expires_at\": 1520410633},"
    " {\"id\": \"f2\", \"meta\": {\"multipart_parts\": 1, \"multipart_upload_id\": \"u2\"}}]");
  const char *bad[] = {
    "{\"id\": \"f1\"}",
    "[1]",
    "[{\"id\": \"f1\"}]",
    "[{\"id\": \"f1\", \"meta\": {\"multipart_parts\": 1000000000, \"multipart_upload_id\": \"u\"}}]",
    "[{\"id\": \"f1\", \"meta\": {\"multipart_parts\": 0, \"multipart_upload_id\": \"u\"}}]",
    "[{\"id\": \"f1\", \"meta\": {\"multipart_parts\": -3, \"multipart_upload_id\": \"u\"}}]",
    "[{\"id\": \"f1\", \"meta\": {\"multipart_parts\": 2.5, \"multipart_upload_id\": \"u\"}}]",
    "[{\"id\": \"f1\", \"meta\": {\"multipart_parts\": \"3\", \"multipart_upload_id\": \"u\"}}]",
    "[{\"id\": \"f1\", \"meta\": {\"multipart_parts\": 3}}]",
    "[{\"id\": \"f1\", \"meta\": {\"multipart_parts\": 3, \"multipart_upload_id\": \"a/b\"}}]",
    "[{\"id\": \"f1\", \"meta\": []}]",
    "not json",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = _sendoff_wetransfer_v1_parse_items (good, &error);
  SendoffWetransferV1Item *first, *second;

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  first = g_ptr_array_index (items, 0);
  second = g_ptr_array_index (items, 1);
  g_assert_cmpstr (first->id, ==, "f1");
  g_assert_cmpstr (first->local_identifier, ==, "sendoff-0");
  g_assert_cmpstr (first->upload_id, ==, "some.random-id--");
  g_assert_cmpuint (first->n_parts, ==, 3);
  g_assert_null (second->local_identifier);
  g_assert_cmpuint (second->n_parts, ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = bytes (bad[i]);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) none = _sendoff_wetransfer_v1_parse_items (body, &local_error);

      g_assert_null (none);
      g_assert_error (local_error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
    }
}

static void
test_part_url (void)
{
  g_autoptr(GBytes) good = bytes ("{\"upload_url\": \"https://s3.example.com/p?X-Amz-Signature=ab\","
                                  " \"part_number\": 2, \"upload_id\": \"u\","
                                  " \"upload_expires_at\": 1519988329}");
  g_autoptr(GBytes) minimal = bytes ("{\"upload_url\": \"http://127.0.0.1:9/p\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *url2 = NULL;
  gint64 expires = -1;

  g_assert_true (_sendoff_wetransfer_v1_parse_part_url (good, 2, &url, &expires, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://s3.example.com/p?X-Amz-Signature=ab");
  g_assert_cmpint (expires, ==, 1519988329);

  g_assert_true (_sendoff_wetransfer_v1_parse_part_url (minimal, 1, &url2, &expires, &error));
  g_assert_cmpint (expires, ==, 0);

  {
    /* A part URL outside https (and not on loopback) is refused */
    g_autoptr(GBytes) body = bytes ("{\"upload_url\": \"http://s3.example.com/p\"}");
    g_autoptr(GError) local_error = NULL;
    char *none = NULL;

    g_assert_false (_sendoff_wetransfer_v1_parse_part_url (body, 1, &none, &expires, &local_error));
    g_assert_error (local_error, SENDOFF_ERROR, SENDOFF_ERROR_INSECURE_URL);
  }

  {
    const char *bad[] = {
      "{\"upload_url\": \"https://s3/p\", \"part_number\": 3}",
      "{\"upload_url\": \"https://s3/p\", \"upload_expires_at\": \"soon\"}",
      "{\"upload_url\": 7}",
      "{}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GBytes) body = bytes (bad[i]);
        g_autoptr(GError) local_error = NULL;
        char *none = NULL;

        g_assert_false (_sendoff_wetransfer_v1_parse_part_url (body, 2, &none, &expires,
                                                               &local_error));
        g_assert_error (local_error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
        g_assert_null (none);
      }
  }
}

static void
test_parts (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (_sendoff_wetransfer_v1_expected_parts (0, MIB6), ==, 1);
  g_assert_cmpuint (_sendoff_wetransfer_v1_expected_parts (1, MIB6), ==, 1);
  g_assert_cmpuint (_sendoff_wetransfer_v1_expected_parts (MIB6, MIB6), ==, 1);
  g_assert_cmpuint (_sendoff_wetransfer_v1_expected_parts (MIB6 + 1, MIB6), ==, 2);
  g_assert_cmpuint (_sendoff_wetransfer_v1_expected_parts (G_GUINT64_CONSTANT (1) << 30, MIB6),
                    ==, 171);

  g_assert_true (_sendoff_wetransfer_v1_check_parts ("a", MIB6 + 1, MIB6, 2, &error));
  g_assert_no_error (error);
  g_assert_false (_sendoff_wetransfer_v1_check_parts ("a", MIB6 + 1, MIB6, 3, &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "“a”"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/wetransfer-parse/authorize", test_authorize);
  g_test_add_func ("/sendoff/wetransfer-parse/transfer", test_transfer);
  g_test_add_func ("/sendoff/wetransfer-parse/items", test_items);
  g_test_add_func ("/sendoff/wetransfer-parse/part-url", test_part_url);
  g_test_add_func ("/sendoff/wetransfer-parse/parts", test_parts);

  return g_test_run ();
}
