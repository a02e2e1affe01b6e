/* s3-fixture.h — a real S3 server (Ceph RGW) and an independent client for tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The server comes from SENDOFF_TEST_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY
 * and _REGION (tests/rgw/with-rgw, which `build-aux/dev test` and .ci/run
 * use); without them the first call starts a cluster with
 * tests/rgw/rgw-fixture for this process and stops it at exit. Nothing is
 * ever skipped: a server that cannot be had is a g_error().
 *
 * Every other call runs /usr/bin/aws (Debian's awscli), the credentials in
 * the child's environment only, and g_error()s with the client's stderr
 * (and RGW's answer, which awscli 2.9 hides) when it fails. */

typedef struct
{
  char   *content_type;
  char   *content_disposition;   /* NULL when the object has none */
  char   *etag;                  /* as the server sends it, quotes included */
  gint64  size;
} S3FixtureHead;

const char    *s3_fixture_endpoint                (void);
const char    *s3_fixture_access_key              (void);
const char    *s3_fixture_secret_key              (void);
const char    *s3_fixture_region                  (void);

/* Creates a fresh, uniquely named, empty bucket; returns its name. */
char          *s3_fixture_new_bucket              (void);
/* Uploads the local file at path as bucket/key (aws s3 cp). */
void           s3_fixture_put_object              (const char  *bucket,
                                                   const char  *key,
                                                   const char  *path);
/* Downloads the object; lowercase hex SHA-256 of its bytes. */
char          *s3_fixture_object_sha256           (const char  *bucket,
                                                   const char  *key);
/* HEAD of the object, or NULL if there is none (404). */
S3FixtureHead *s3_fixture_head_object             (const char  *bucket,
                                                   const char  *key);
void           s3_fixture_head_free               (S3FixtureHead *head);
/* Every key in the bucket, sorted (UTF-8 order of the server). */
GStrv          s3_fixture_list_objects            (const char  *bucket);
/* Multipart uploads started and neither completed nor aborted. */
guint          s3_fixture_count_multipart_uploads (const char  *bucket);
/* A presigned GET (aws s3 presign) valid for expires_in seconds. */
char          *s3_fixture_presign_get             (const char  *bucket,
                                                   const char  *key,
                                                   guint        expires_in);
/* Runs /usr/bin/aws --endpoint-url ENDPOINT --output json ARGS… (NULL
 * terminated); its stdout. */
char          *s3_fixture_aws                     (const char  *first_arg,
                                                   ...) G_GNUC_NULL_TERMINATED;
/* Same, but returns FALSE with the client's stderr in *err_out instead of
 * failing the test (for requests that are meant to be refused). */
gboolean       s3_fixture_aws_try                 (const char *const *args,
                                                   char       **out,
                                                   char       **err_out);
/* The environment a child needs to reach the server with the test user
 * (AWS_ACCESS_KEY_ID and friends; no config file of the developer's). */
GStrv          s3_fixture_client_environ          (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (S3FixtureHead, s3_fixture_head_free)

G_END_DECLS
