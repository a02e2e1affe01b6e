/* test-rgw.c — the local Ceph RGW is a real S3 server, and the tests' client sees it right
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What tells CI that the S3 tests ran against a real server: objects go in
 * and come out byte for byte, multipart uploads are listed until aborted,
 * presigned GETs download and refuse to be tampered with, and a wrong
 * secret is refused.
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "s3-fixture.h"

/* A file of size random bytes in a fresh temporary dir; returns its path. */
static char *
make_random_file (const char *name,
                  gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sendoff-rgw-test-XXXXXX", &error);
  g_autofree guint32 *data = g_malloc (size + sizeof (guint32));
  char *path;

  g_assert_no_error (error);
  for (gsize i = 0; i < size / sizeof (guint32) + 1; i++)
    data[i] = g_random_int ();
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_file_and_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static char *
sha256_of_path (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* GET url with curl into out_path (may be NULL); the HTTP status. */
static int
curl_get (const char *url,
          const char *out_path)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, "curl", "-sS", "--noproxy", "*", "-o",
                           out_path != NULL ? out_path : "/dev/null",
                           "-w", "%{http_code}", url, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("curl %s failed: %s", url, err);
  return atoi (out);
}

static void
test_put_and_sha256 (void)
{
  g_autofree char *bucket = s3_fixture_new_bucket ();
  g_autofree char *path = make_random_file ("payload.bin", 3 * 1024 * 1024 + 12345);
  g_autofree char *expected = sha256_of_path (path);
  const char *key = "folder/a file + ü %.bin";
  g_autofree char *stored = NULL;
  g_autoptr(S3FixtureHead) head = NULL;
  g_auto(GStrv) keys = NULL;

  g_assert_null (s3_fixture_head_object (bucket, key));
  g_assert_cmpuint (g_strv_length (keys = s3_fixture_list_objects (bucket)), ==, 0);
  g_clear_pointer (&keys, g_strfreev);

  s3_fixture_put_object (bucket, key, path);

  stored = s3_fixture_object_sha256 (bucket, key);
  g_assert_cmpstr (stored, ==, expected);
  head = s3_fixture_head_object (bucket, key);
  g_assert_nonnull (head);
  g_assert_cmpint (head->size, ==, 3 * 1024 * 1024 + 12345);
  g_assert_nonnull (head->etag);
  keys = s3_fixture_list_objects (bucket);
  g_assert_cmpuint (g_strv_length (keys), ==, 1);
  g_assert_cmpstr (keys[0], ==, key);
  remove_file_and_dir (path);
}

static void
test_head_shows_headers (void)
{
  g_autofree char *bucket = s3_fixture_new_bucket ();
  g_autofree char *path = make_random_file ("notes.txt", 100);
  g_autoptr(S3FixtureHead) head = NULL;

  g_free (s3_fixture_aws ("s3api", "put-object", "--bucket", bucket, "--key", "notes.txt",
                          "--body", path, "--content-type", "text/plain; charset=utf-8",
                          "--content-disposition",
                          "attachment; filename*=UTF-8''caf%C3%A9.txt", NULL));
  head = s3_fixture_head_object (bucket, "notes.txt");
  g_assert_nonnull (head);
  g_assert_cmpstr (head->content_type, ==, "text/plain; charset=utf-8");
  g_assert_cmpstr (head->content_disposition, ==, "attachment; filename*=UTF-8''caf%C3%A9.txt");
  g_assert_cmpint (head->size, ==, 100);
  remove_file_and_dir (path);
}

static void
test_multipart_listed_until_aborted (void)
{
  g_autofree char *bucket = s3_fixture_new_bucket ();
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *upload_id;

  g_assert_cmpuint (s3_fixture_count_multipart_uploads (bucket), ==, 0);
  out = s3_fixture_aws ("s3api", "create-multipart-upload", "--bucket", bucket,
                        "--key", "big.iso", NULL);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  upload_id = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                             "UploadId");
  g_assert_nonnull (upload_id);
  g_assert_cmpstr (upload_id, !=, "");

  g_assert_cmpuint (s3_fixture_count_multipart_uploads (bucket), ==, 1);
  g_free (s3_fixture_aws ("s3api", "abort-multipart-upload", "--bucket", bucket,
                          "--key", "big.iso", "--upload-id", upload_id, NULL));
  g_assert_cmpuint (s3_fixture_count_multipart_uploads (bucket), ==, 0);
  g_assert_null (s3_fixture_head_object (bucket, "big.iso"));
}

/* Flips the last hex digit of X-Amz-Signature. */
static char *
tamper_signature (const char *url)
{
  char *copy = g_strdup (url);
  char *sig = strstr (copy, "X-Amz-Signature=");
  char *last;

  g_assert_nonnull (sig);
  last = sig + strcspn (sig, "&") - 1;
  *last = *last == '0' ? '1' : '0';
  return copy;
}

static void
test_presigned_get (void)
{
  g_autofree char *bucket = s3_fixture_new_bucket ();
  g_autofree char *path = make_random_file ("report.pdf", 1024 * 1024 + 7);
  g_autofree char *expected = sha256_of_path (path);
  g_autofree char *download = g_strconcat (path, ".download", NULL);
  g_autofree char *url = NULL;
  g_autofree char *got = NULL;
  g_autofree char *tampered = NULL;
  g_autofree char *unsigned_url = NULL;

  s3_fixture_put_object (bucket, "report.pdf", path);
  url = s3_fixture_presign_get (bucket, "report.pdf", 300);
  g_assert_true (g_str_has_prefix (url, s3_fixture_endpoint ()));

  g_assert_cmpint (curl_get (url, download), ==, 200);
  got = sha256_of_path (download);
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpint (g_unlink (download), ==, 0);

  tampered = tamper_signature (url);
  g_assert_cmpint (curl_get (tampered, NULL), ==, 403);
  unsigned_url = g_strndup (url, strcspn (url, "?"));
  g_assert_cmpint (curl_get (unsigned_url, NULL), ==, 403);
  remove_file_and_dir (path);
}

static void
test_presigned_get_expires (void)
{
  g_autofree char *bucket = s3_fixture_new_bucket ();
  g_autofree char *path = make_random_file ("soon.txt", 10);
  g_autofree char *url = NULL;

  s3_fixture_put_object (bucket, "soon.txt", path);
  url = s3_fixture_presign_get (bucket, "soon.txt", 1);
  g_usleep (2500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (curl_get (url, NULL), ==, 403);
  remove_file_and_dir (path);
}

/* s3cmd: awscli 2.9 reports this refusal as "'NoneType' is not iterable" */
static void
test_wrong_secret_refused (void)
{
  g_autofree char *bucket = s3_fixture_new_bucket ();
  g_autofree char *host = g_strdup (s3_fixture_endpoint () + strlen ("http://"));
  g_autofree char *host_arg = g_strconcat ("--host=", host, NULL);
  g_autofree char *key_arg = g_strconcat ("--access_key=", s3_fixture_access_key (), NULL);
  g_autofree char *uri = g_strconcat ("s3://", bucket, NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_str_has_prefix (s3_fixture_endpoint (), "http://"));
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, "s3cmd", "--config=/dev/null", "--no-ssl", host_arg,
                           "--host-bucket=", key_arg, "--secret_key=not-the-secret",
                           "ls", uri, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_successful (proc));
  g_assert_nonnull (strstr (err, "403 (SignatureDoesNotMatch)"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/rgw/put-and-sha256", test_put_and_sha256);
  g_test_add_func ("/sendoff/rgw/head-shows-headers", test_head_shows_headers);
  g_test_add_func ("/sendoff/rgw/multipart-listed-until-aborted",
                   test_multipart_listed_until_aborted);
  g_test_add_func ("/sendoff/rgw/presigned-get", test_presigned_get);
  g_test_add_func ("/sendoff/rgw/presigned-get-expires", test_presigned_get_expires);
  g_test_add_func ("/sendoff/rgw/wrong-secret-refused", test_wrong_secret_refused);

  return g_test_run ();
}
