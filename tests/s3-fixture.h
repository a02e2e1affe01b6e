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
 * The helpers talk to it through tests/rgw/s3-client: Debian's awscli as a
 * library (its botocore) in one process per test, since /usr/bin/aws takes
 * over a second to start; s3_fixture_aws() runs /usr/bin/aws itself. The
 * credentials go in the children's environment only. A failed request is a
 * g_error() with the server's code and message. */

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
/* Presigned URLs (path-style, SigV4, UNSIGNED-PAYLOAD) valid for
 * expires_in seconds; awscli 2.9's `aws s3 presign` makes only GETs. */
char          *s3_fixture_presign_get             (const char  *bucket,
                                                   const char  *key,
                                                   guint        expires_in);
char          *s3_fixture_presign_put             (const char  *bucket,
                                                   const char  *key,
                                                   guint        expires_in);
/* Runs /usr/bin/aws --endpoint-url ENDPOINT --output json ARGS… (NULL
 * terminated); its stdout. A failure is a g_error() with its stderr and the
 * server's <Error> answer (awscli 2.9 shows most RGW errors as "argument of
 * type 'NoneType' is not iterable"). */
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
