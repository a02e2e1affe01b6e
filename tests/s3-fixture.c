/* s3-fixture.c — a real S3 server (Ceph RGW) and an independent client for tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "s3-fixture.h"

/* Debian's awscli; a pyenv or pip `aws` may come first in PATH. */
#define AWS_CLIENT "/usr/bin/aws"

static struct
{
  char *endpoint;
  char *access_key;
  char *secret_key;
  char *region;
  char *script;     /* set when this process started the cluster */
  char *state_dir;
} server;

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  return g_strndup (data != NULL ? data : "", len);
}

static void
stop_own_cluster (void)
{
  const char *argv[] = { server.script, "stop", server.state_dir, NULL };
  g_autoptr(GError) error = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, NULL, &error))
    g_printerr ("# could not stop the test cluster in %s: %s\n", server.state_dir,
                error->message);
}

/* STATE_DIR/env: NAME=VALUE lines */
static void
read_env_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("rgw-fixture wrote no %s: %s", path, error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq == NULL)
        continue;
      *eq = '\0';
      g_setenv (lines[i], eq + 1, TRUE);
    }
}

static void
start_own_cluster (void)
{
  const char *root = g_getenv ("SENDOFF_SOURCE_ROOT");
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *owner = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *env_file = NULL;

  if (root == NULL || *root == '\0')
    g_error ("No SENDOFF_TEST_S3_ENDPOINT and no SENDOFF_SOURCE_ROOT to find "
             "tests/rgw/rgw-fixture: run the test through meson test");
  server.script = g_build_filename (root, "tests", "rgw", "rgw-fixture", NULL);
  server.state_dir = g_dir_make_tmp ("sendoff-rgw-XXXXXX", &error);
  if (server.state_dir == NULL)
    g_error ("Cannot make the cluster's state dir: %s", error->message);

  /* stdout silenced: it is the TAP stream */
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, server.script, "start", server.state_dir, "--owner", owner,
                           NULL);
  if (proc == NULL || !g_subprocess_communicate (proc, NULL, NULL, NULL, &err_bytes, &error))
    g_error ("Cannot run %s: %s", server.script, error->message);
  err = bytes_to_string (err_bytes);
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    g_error ("The local Ceph RGW did not start:\n%s", err);
  g_test_message ("%s", g_strstrip (err));
  atexit (stop_own_cluster);

  env_file = g_build_filename (server.state_dir, "env", NULL);
  read_env_file (env_file);
}

static const char *
required_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set although SENDOFF_TEST_S3_ENDPOINT is", name);
  return value;
}

static void
ensure_server (void)
{
  const char *endpoint;

  if (server.endpoint != NULL)
    return;
  endpoint = g_getenv ("SENDOFF_TEST_S3_ENDPOINT");
  if (endpoint == NULL || *endpoint == '\0')
    start_own_cluster ();
  server.endpoint = g_strdup (required_env ("SENDOFF_TEST_S3_ENDPOINT"));
  server.access_key = g_strdup (required_env ("SENDOFF_TEST_S3_ACCESS_KEY"));
  server.secret_key = g_strdup (required_env ("SENDOFF_TEST_S3_SECRET_KEY"));
  server.region = g_strdup (required_env ("SENDOFF_TEST_S3_REGION"));
}

const char *
s3_fixture_endpoint (void)
{
  ensure_server ();
  return server.endpoint;
}

const char *
s3_fixture_access_key (void)
{
  ensure_server ();
  return server.access_key;
}

const char *
s3_fixture_secret_key (void)
{
  ensure_server ();
  return server.secret_key;
}

const char *
s3_fixture_region (void)
{
  ensure_server ();
  return server.region;
}

GStrv
s3_fixture_client_environ (void)
{
  static const char *const drop[] = {
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
    "PYTHONHOME", "PYTHONPATH", NULL,
  };
  char **env = g_get_environ ();

  ensure_server ();
  for (guint i = 0; drop[i] != NULL; i++)
    env = g_environ_unsetenv (env, drop[i]);
  env = g_environ_setenv (env, "AWS_ACCESS_KEY_ID", server.access_key, TRUE);
  env = g_environ_setenv (env, "AWS_SECRET_ACCESS_KEY", server.secret_key, TRUE);
  env = g_environ_setenv (env, "AWS_DEFAULT_REGION", server.region, TRUE);
  env = g_environ_setenv (env, "AWS_REGION", server.region, TRUE);
  /* nothing from the developer's ~/.aws, no pager, no metadata service */
  env = g_environ_setenv (env, "AWS_CONFIG_FILE", "/nonexistent", TRUE);
  env = g_environ_setenv (env, "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", TRUE);
  env = g_environ_setenv (env, "AWS_PAGER", "", TRUE);
  env = g_environ_setenv (env, "AWS_EC2_METADATA_DISABLED", "true", TRUE);
  return env;
}

gboolean
s3_fixture_aws_try (const char *const *args,
                    char             **out,
                    char             **err_out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = s3_fixture_client_environ ();

  g_ptr_array_add (argv, (char *) AWS_CLIENT);
  g_ptr_array_add (argv, (char *) "--endpoint-url");
  g_ptr_array_add (argv, server.endpoint);
  g_ptr_array_add (argv, (char *) "--output");
  g_ptr_array_add (argv, (char *) "json");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  if (proc == NULL || !g_subprocess_communicate (proc, NULL, NULL, &out_bytes, &err_bytes,
                                                 &error))
    g_error ("Cannot run %s: %s", AWS_CLIENT, error->message);
  if (out != NULL)
    *out = bytes_to_string (out_bytes);
  if (err_out != NULL)
    *err_out = bytes_to_string (err_bytes);
  return g_subprocess_get_if_exited (proc) && g_subprocess_get_exit_status (proc) == 0;
}

/* awscli 2.9 turns most RGW errors into "argument of type 'NoneType' is not
 * iterable"; its --debug log still has the server's <Error> answer. */
static char *
server_error_of (const char *const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) debug_args = NULL;
  g_autofree char *err = NULL;
  const char *start, *end;

  g_strv_builder_add (builder, "--debug");
  g_strv_builder_addv (builder, (const char **) args);
  debug_args = g_strv_builder_end (builder);
  s3_fixture_aws_try ((const char *const *) debug_args, NULL, &err);
  start = g_strrstr (err, "<Error>");
  end = start != NULL ? strstr (start, "</Error>") : NULL;
  if (end == NULL)
    return g_strdup ("(no <Error> in the --debug log)");
  return g_strndup (start, end + strlen ("</Error>") - start);
}

static char *
aws_or_die (const char *const *args)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *answer = NULL;

  if (s3_fixture_aws_try (args, &out, &err))
    return g_steal_pointer (&out);
  joined = g_strjoinv (" ", (char **) args);
  answer = server_error_of (args);
  g_error ("aws %s failed:\n%s\nServer answer: %s", joined, g_strstrip (err), answer);
}

char *
s3_fixture_aws (const char *first_arg,
                ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  va_list ap;

  ensure_server ();
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);
  args = g_strv_builder_end (builder);
  return aws_or_die ((const char *const *) args);
}

/* The answer's JSON object; NULL for an empty answer (awscli prints
 * nothing for an empty listing). */
static JsonObject *
parse_answer (const char *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (*out == '\0' || strspn (out, " \t\r\n") == strlen (out))
    return NULL;
  if (!json_parser_load_from_data (parser, out, -1, &error))
    g_error ("awscli printed no JSON (%s): %s", error->message, out);
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    g_error ("awscli printed no JSON object: %s", out);
  return json_object_ref (json_node_get_object (root));
}

char *
s3_fixture_new_bucket (void)
{
  static guint counter;
  char *name;

  name = g_strdup_printf ("sendoff-test-%d-%u-%08x", (int) getpid (), counter++,
                          g_random_int ());
  g_free (s3_fixture_aws ("s3api", "create-bucket", "--bucket", name, NULL));
  return name;
}

void
s3_fixture_put_object (const char *bucket,
                       const char *key,
                       const char *path)
{
  g_free (s3_fixture_aws ("s3api", "put-object", "--bucket", bucket, "--key", key,
                          "--body", path, NULL));
}

static char *
sha256_of_file (const char *path)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buffer = g_malloc (1 << 20);
  gssize n;

  in = g_file_read (file, NULL, &error);
  if (in == NULL)
    g_error ("Cannot read %s: %s", path, error->message);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 1 << 20, NULL, &error)) > 0)
    g_checksum_update (sum, buffer, n);
  if (n < 0)
    g_error ("Cannot read %s: %s", path, error->message);
  return g_strdup (g_checksum_get_string (sum));
}

char *
s3_fixture_object_sha256 (const char *bucket,
                          const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  char *sha256;
  int fd;

  fd = g_file_open_tmp ("sendoff-s3-object-XXXXXX", &path, &error);
  if (fd < 0)
    g_error ("Cannot make a temporary file: %s", error->message);
  close (fd);
  g_free (s3_fixture_aws ("s3api", "get-object", "--bucket", bucket, "--key", key, path,
                          NULL));
  sha256 = sha256_of_file (path);
  g_unlink (path);
  return sha256;
}

static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

S3FixtureHead *
s3_fixture_head_object (const char *bucket,
                        const char *key)
{
  const char *args[] = { "s3api", "head-object", "--bucket", bucket, "--key", key, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;
  S3FixtureHead *head;

  ensure_server ();
  if (!s3_fixture_aws_try (args, &out, &err))
    {
      if (strstr (err, "(404)") != NULL)
        return NULL;
      g_error ("aws s3api head-object %s %s failed:\n%s", bucket, key, err);
    }
  answer = parse_answer (out);
  if (answer == NULL || !json_object_has_member (answer, "ContentLength"))
    g_error ("aws s3api head-object %s %s: no ContentLength in %s", bucket, key, out);
  head = g_new0 (S3FixtureHead, 1);
  head->content_type = dup_member_string (answer, "ContentType");
  head->content_disposition = dup_member_string (answer, "ContentDisposition");
  head->etag = dup_member_string (answer, "ETag");
  head->size = json_object_get_int_member (answer, "ContentLength");
  return head;
}

void
s3_fixture_head_free (S3FixtureHead *head)
{
  if (head == NULL)
    return;
  g_free (head->content_type);
  g_free (head->content_disposition);
  g_free (head->etag);
  g_free (head);
}

/* The named array of an answer, or NULL when the listing is empty. */
static JsonArray *
answer_array (JsonObject *answer,
              const char *name)
{
  JsonNode *node;

  if (answer == NULL || (node = json_object_get_member (answer, name)) == NULL ||
      JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    g_error ("awscli's %s is not an array", name);
  return json_node_get_array (node);
}

GStrv
s3_fixture_list_objects (const char *bucket)
{
  g_autofree char *out = s3_fixture_aws ("s3api", "list-objects-v2", "--bucket", bucket, NULL);
  g_autoptr(JsonObject) answer = parse_answer (out);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  JsonArray *contents = answer_array (answer, "Contents");

  for (guint i = 0; contents != NULL && i < json_array_get_length (contents); i++)
    {
      JsonObject *entry = json_array_get_object_element (contents, i);
      g_autofree char *key = entry != NULL ? dup_member_string (entry, "Key") : NULL;

      if (key == NULL)
        g_error ("An entry of list-objects-v2 has no Key: %s", out);
      g_strv_builder_add (keys, key);
    }
  return g_strv_builder_end (keys);
}

guint
s3_fixture_count_multipart_uploads (const char *bucket)
{
  g_autofree char *out = s3_fixture_aws ("s3api", "list-multipart-uploads", "--bucket",
                                         bucket, NULL);
  g_autoptr(JsonObject) answer = parse_answer (out);
  JsonArray *uploads = answer_array (answer, "Uploads");

  return uploads != NULL ? json_array_get_length (uploads) : 0;
}

char *
s3_fixture_presign_get (const char *bucket,
                        const char *key,
                        guint       expires_in)
{
  g_autofree char *uri = g_strdup_printf ("s3://%s/%s", bucket, key);
  g_autofree char *seconds = g_strdup_printf ("%u", expires_in);
  char *out = s3_fixture_aws ("s3", "presign", uri, "--expires-in", seconds, NULL);

  return g_strstrip (out);
}
