/* test-s3.c — sendoff-cli sends to a real Ceph RGW, and an independent client checks what arrived
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test runs the real sendoff-cli binary against the local RGW
 * (s3-fixture.h), each in a bucket of its own, and checks the outcome
 * only with clients that share no code with Sendoff: curl (its own SigV4,
 * --aws-sigv4, for reading the bucket; plain curl for the links) and
 * /usr/bin/aws where a second opinion matters (multipart uploads left
 * behind). Some sends go through a loopback TCP relay started here: it
 * records every byte between the CLI and RGW (the secret key must never
 * be among them), can slow the upload down so that a test can act while
 * it runs, and keeps RGW's answers to look at.
 *
 * The big file is 40 MiB (5 parts); `-m slow` (meson test --suite s3
 * --test-args '-m slow') makes it 200 MiB.
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cli-runner.h"
#include "s3-fixture.h"

#define MiB (1024 * 1024)
#define PART_SIZE (8 * MiB)               /* Sendoff's part size */
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char *work_dir;       /* files made by the tests, removed at the end */
static char *home_dir;       /* the CLI's HOME, settings and file keyring */

/* ---- files ------------------------------------------------------------- */

static char *
sha256_of_file (const char *path)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (MiB);
  FILE *in = fopen (path, "rb");
  size_t n;

  if (in == NULL)
    g_error ("Cannot read %s: %s", path, g_strerror (errno));
  while ((n = fread (buffer, 1, MiB, in)) > 0)
    g_checksum_update (sum, buffer, n);
  fclose (in);
  return g_strdup (g_checksum_get_string (sum));
}

/* A fresh directory under the work dir */
static char *
new_dir (const char *what)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", what);
  char *dir = g_build_filename (work_dir, template, NULL);

  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

/* @size random bytes (printable ones when @text) at dir/name; its path */
static char *
make_file (const char *dir,
           const char *name,
           gsize       size,
           gboolean    text)
{
  static const char printable[] = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n";
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree guint32 *block = g_malloc (MiB);
  FILE *out;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  out = fopen (path, "wb");
  g_assert_nonnull (out);
  for (gsize done = 0; done < size; )
    {
      gsize n = MIN (size - done, (gsize) MiB);

      for (gsize i = 0; i < (n + sizeof (guint32) - 1) / sizeof (guint32); i++)
        block[i] = g_random_int ();
      if (text)
        for (gsize i = 0; i < n; i++)
          ((guchar *) block)[i] = printable[((guchar *) block)[i] % (sizeof printable - 1)];
      g_assert_cmpuint (fwrite (block, 1, n, out), ==, n);
      done += n;
    }
  g_assert_cmpint (fclose (out), ==, 0);
  return path;
}

/* ---- running sendoff-cli ------------------------------------------------ */

/* sendoff-cli with the test user's keys (AWS_* as a user sets them) and a
 * throwaway home; @env: NULL or NAME, VALUE pairs (VALUE NULL unsets) */
static SendoffTestCli *
cli_new (const char *const *env)
{
  SendoffTestCli *cli = sendoff_test_cli_new ();

  sendoff_test_cli_set_home (cli, home_dir);
  sendoff_test_cli_setenv (cli, "AWS_ACCESS_KEY_ID", s3_fixture_access_key ());
  sendoff_test_cli_setenv (cli, "AWS_SECRET_ACCESS_KEY", s3_fixture_secret_key ());
  sendoff_test_cli_setenv (cli, "SENDOFF_TEST_S3_LINK_SECONDS", NULL);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    sendoff_test_cli_setenv (cli, env[i], env[i + 1]);
  return cli;
}

/* Starts sendoff-cli ARGS and returns at once; its output goes to files:
 * a chatty child never blocks on a pipe. */
static SendoffTestCliProcess *
cli_start (const char *const *env,
           const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = cli_new (env);

  return sendoff_test_cli_spawn (cli, args);
}

static void
run_cli (SendoffTestCliRun *run,
         const char *const *env,
         const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = cli_new (env);

  sendoff_test_cli_run (cli, run, args);
}

#define ARGS(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* The link: sendoff-cli prints it as the last line of stdout */
static char *
last_line (const char *out)
{
  g_autofree char *copy = g_strdup (out);
  g_auto(GStrv) lines = g_strsplit (g_strchomp (copy), "\n", -1);
  guint n = g_strv_length (lines);

  return n > 0 ? g_strdup (lines[n - 1]) : g_strdup ("");
}

/* ---- the independent client: curl ------------------------------------------ */

typedef struct {
  int   status;
  char *headers;     /* the response's header block */
  char *body;        /* NULL when it went to a file */
  gsize body_len;
} Http;

static void
http_clear (Http *http)
{
  g_clear_pointer (&http->headers, g_free);
  g_clear_pointer (&http->body, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Http, http_clear)

/* curl ARGS… URL; the body goes to @body_path (NULL: kept in memory).
 * @signed: with the test user's SigV4 signature (curl's own, not ours). */
static void
curl (Http              *http,
      gboolean           sign,
      const char        *method,
      const char        *url,
      const char        *body_path,
      const char *const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *err = NULL;
  g_autofree char *headers_path = NULL;
  g_autofree char *memory_path = NULL;
  int fd = g_file_open_tmp ("sendoff-s3-headers-XXXXXX", &headers_path, &error);

  g_assert_no_error (error);
  close (fd);
  if (body_path == NULL)
    {
      fd = g_file_open_tmp ("sendoff-s3-body-XXXXXX", &memory_path, &error);
      g_assert_no_error (error);
      close (fd);
    }

  g_ptr_array_add (argv, g_strdup ("curl"));
  g_ptr_array_add (argv, g_strdup ("-sS"));
  g_ptr_array_add (argv, g_strdup ("--noproxy"));
  g_ptr_array_add (argv, g_strdup ("*"));
  g_ptr_array_add (argv, g_strdup ("-X"));
  g_ptr_array_add (argv, g_strdup (method));
  if (g_str_equal (method, "HEAD"))
    g_ptr_array_add (argv, g_strdup ("-I"));
  if (sign)
    {
      g_ptr_array_add (argv, g_strdup ("--aws-sigv4"));
      g_ptr_array_add (argv, g_strdup_printf ("aws:amz:%s:s3", s3_fixture_region ()));
      g_ptr_array_add (argv, g_strdup ("--user"));
      g_ptr_array_add (argv, g_strdup_printf ("%s:%s", s3_fixture_access_key (),
                                              s3_fixture_secret_key ()));
      /* RGW wants it; curl 7.88 does not add it by itself */
      g_ptr_array_add (argv, g_strdup ("-H"));
      g_ptr_array_add (argv, g_strdup ("x-amz-content-sha256: " EMPTY_SHA256));
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (headers_path));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (body_path ? body_path : memory_path));
  g_ptr_array_add (argv, g_strdup ("-w"));
  g_ptr_array_add (argv, g_strdup ("%{http_code}"));
  g_ptr_array_add (argv, g_strdup (url));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &status, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("curl %s %s failed: %s", method, url, err);

  http->status = atoi (status);
  g_file_get_contents (headers_path, &http->headers, NULL, NULL);
  g_unlink (headers_path);
  if (memory_path != NULL)
    {
      g_file_get_contents (memory_path, &http->body, &http->body_len, NULL);
      g_unlink (memory_path);
    }
}

/* The value of the last @name header in a header block, or NULL */
static char *
header_value (const char *headers,
              const char *name)
{
  g_auto(GStrv) lines = g_strsplit (headers, "\n", -1);
  char *value = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL || (gsize) (colon - lines[i]) != strlen (name) ||
          g_ascii_strncasecmp (lines[i], name, strlen (name)) != 0)
        continue;
      g_free (value);
      value = g_strdup (g_strstrip (colon + 1));
    }
  return value;
}

/* http://endpoint/bucket/key, the key encoded as S3 expects */
static char *
object_url (const char *bucket,
            const char *key,
            const char *query)
{
  g_autofree char *path = g_uri_escape_string (key ? key : "", "/", FALSE);

  return g_strdup_printf ("%s/%s%s%s%s%s", s3_fixture_endpoint (), bucket,
                          key ? "/" : "", path, query ? "?" : "", query ? query : "");
}

/* A fresh bucket, made with curl: awscli takes seconds to start here */
static char *
new_bucket (void)
{
  static guint counter;
  char *name = g_strdup_printf ("sendoff-s3-%d-%u-%08x", (int) getpid (), counter++,
                                g_random_int ());
  g_autofree char *url = object_url (name, NULL, NULL);
  g_auto(Http) http = { 0 };

  curl (&http, TRUE, "PUT", url, NULL, NULL);
  g_assert_cmpint (http.status, ==, 200);
  return name;
}

typedef struct {
  char   *key;
  char   *etag;
  gint64  size;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_free (entry->etag);
  g_free (entry);
}

typedef struct {
  GPtrArray *entries;      /* of Entry: <Contents>, or <Upload> */
  const char *element;     /* "Contents" or "Upload" */
  Entry     *current;
  GString   *text;
  char      *next_token;
  gboolean   truncated;
} ListParse;

static void
list_start (GMarkupParseContext  *context,
            const char           *element,
            const char          **names,
            const char          **values,
            gpointer              user_data,
            GError              **error)
{
  ListParse *parse = user_data;

  if (g_str_equal (element, parse->element))
    parse->current = g_new0 (Entry, 1);
  g_string_truncate (parse->text, 0);
}

static void
list_end (GMarkupParseContext  *context,
          const char           *element,
          gpointer              user_data,
          GError              **error)
{
  ListParse *parse = user_data;

  if (g_str_equal (element, parse->element) && parse->current != NULL)
    g_ptr_array_add (parse->entries, g_steal_pointer (&parse->current));
  else if (parse->current != NULL && g_str_equal (element, "Key"))
    parse->current->key = g_strdup (parse->text->str);
  else if (parse->current != NULL && g_str_equal (element, "ETag"))
    parse->current->etag = g_strdup (parse->text->str);
  else if (parse->current != NULL && g_str_equal (element, "Size"))
    parse->current->size = g_ascii_strtoll (parse->text->str, NULL, 10);
  else if (g_str_equal (element, "NextContinuationToken"))
    parse->next_token = g_strdup (parse->text->str);
  else if (g_str_equal (element, "IsTruncated"))
    parse->truncated = g_str_equal (parse->text->str, "true");
}

static void
list_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 len,
           gpointer              user_data,
           GError              **error)
{
  g_string_append_len (((ListParse *) user_data)->text, text, len);
}

static void
parse_list (ListParse  *parse,
            const char *xml,
            gsize       len)
{
  static const GMarkupParser parser = { list_start, list_end, list_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, parse, NULL);
  g_autoptr(GError) error = NULL;
  const char *start = memchr (xml, '>', len);

  /* GMarkup does not take the <?xml?> declaration's attributes kindly */
  start = g_str_has_prefix (xml, "<?xml") && start != NULL ? start + 1 : xml;
  if (!g_markup_parse_context_parse (context, start, len - (start - xml), &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("RGW's listing is no XML (%s): %.*s", error->message, (int) len, xml);
}

/* Every object in the bucket (ListObjectsV2, every page), by key */
static GPtrArray *
list_objects (const char *bucket)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autofree char *token = NULL;

  do
    {
      g_autofree char *encoded = token ? g_uri_escape_string (token, NULL, FALSE) : NULL;
      g_autofree char *query = g_strconcat ("list-type=2&max-keys=1000",
                                            encoded ? "&continuation-token=" : "",
                                            encoded ? encoded : "", NULL);
      g_autofree char *url = object_url (bucket, NULL, query);
      g_autoptr(GString) text = g_string_new (NULL);
      g_auto(Http) http = { 0 };
      ListParse parse = { entries, "Contents", NULL, text, NULL, FALSE };

      curl (&http, TRUE, "GET", url, NULL, NULL);
      g_assert_cmpint (http.status, ==, 200);
      parse_list (&parse, http.body, http.body_len);
      g_clear_pointer (&token, g_free);
      if (parse.truncated)
        token = g_steal_pointer (&parse.next_token);
      g_free (parse.next_token);
      g_assert_null (parse.current);
    }
  while (token != NULL);

  return g_steal_pointer (&entries);
}

static Entry *
find_entry (GPtrArray  *entries,
            const char *key)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((Entry *) g_ptr_array_index (entries, i))->key, key))
      return g_ptr_array_index (entries, i);
  return NULL;
}

/* Multipart uploads started and neither completed nor aborted, as curl
 * sees them (the tests confirm an empty list with awscli as well) */
static guint
count_uploads (const char *bucket)
{
  g_autofree char *url = object_url (bucket, NULL, "uploads=");
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(Http) http = { 0 };
  ListParse parse = { entries, "Upload", NULL, text, NULL, FALSE };

  curl (&http, TRUE, "GET", url, NULL, NULL);
  g_assert_cmpint (http.status, ==, 200);
  parse_list (&parse, http.body, http.body_len);
  g_free (parse.next_token);
  return entries->len;
}

/* SHA-256 of the object as downloaded with a signed GET */
static char *
object_sha256 (const char *bucket,
               const char *key)
{
  g_autofree char *url = object_url (bucket, key, NULL);
  g_autofree char *path = g_build_filename (work_dir, "object.download", NULL);
  g_auto(Http) http = { 0 };
  char *sha;

  curl (&http, TRUE, "GET", url, path, NULL);
  g_assert_cmpint (http.status, ==, 200);
  sha = sha256_of_file (path);
  g_unlink (path);
  return sha;
}

/* The response headers of a HEAD of the object (200 asserted) */
static char *
object_headers (const char *bucket,
                const char *key)
{
  g_autofree char *url = object_url (bucket, key, NULL);
  g_auto(Http) http = { 0 };

  curl (&http, TRUE, "HEAD", url, NULL, NULL);
  g_assert_cmpint (http.status, ==, 200);
  return g_steal_pointer (&http.headers);
}

/* Downloads every key in one curl (a config file of url/output pairs,
 * --fail: any answer but 2xx fails it), 8 at a time: one by one, RGW's
 * small answers wait 40 ms each for a delayed ACK. Returns key → SHA-256
 * of what came. */
static GHashTable *
download_all (const char *bucket,
              GPtrArray  *entries)
{
  g_autofree char *dir = new_dir ("download");
  g_autofree char *config_path = g_build_filename (dir, "curl.config", NULL);
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *region = g_strdup_printf ("aws:amz:%s:s3", s3_fixture_region ());
  g_autofree char *user = g_strdup_printf ("%s:%s", s3_fixture_access_key (),
                                           s3_fixture_secret_key ());
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      g_autofree char *url = object_url (bucket, entry->key, NULL);

      g_string_append_printf (config, "url = \"%s\"\noutput = \"%s/%u\"\n", url, dir, i);
    }
  g_assert_true (g_file_set_contents (config_path, config->str, -1, NULL));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, "curl", "-sS", "--no-progress-meter", "--fail",
                              "--noproxy", "*", "--parallel", "--parallel-max", "8",
                              "--aws-sigv4", region, "--user", user,
                              "-H", "x-amz-content-sha256: " EMPTY_SHA256,
                              "-K", config_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("curl could not download every object of %s: %s", bucket, err);

  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_hash_table_insert (sums, g_strdup (((Entry *) g_ptr_array_index (entries, i))->key),
                           sha256_of_file (path));
      g_unlink (path);
    }
  g_unlink (config_path);
  g_rmdir (dir);
  return g_steal_pointer (&sums);
}

/* ---- what S3 says about a transfer --------------------------------------- */

/* The transfer's folder from its link: PREFIX/ID/ with ID 12 letters of
 * base32 */
static char *
transfer_folder (const char *link,
                 const char *bucket)
{
  g_autofree char *expected_start = g_strdup_printf ("%s/%s/sendoff/", s3_fixture_endpoint (),
                                                     bucket);
  const char *id;

  if (!g_str_has_prefix (link, expected_start))
    g_error ("The link %s is not in bucket %s at %s", link, bucket, s3_fixture_endpoint ());
  id = link + strlen (expected_start);
  g_assert_cmpuint (strspn (id, "abcdefghijklmnopqrstuvwxyz234567"), ==, 12);
  g_assert_cmpint (id[12], ==, '/');
  return g_strdup_printf ("sendoff/%.12s/", id);
}

/* The name in a Content-Disposition's filename*=UTF-8''… */
static char *
disposition_name (const char *disposition)
{
  const char *star;
  g_autofree char *encoded = NULL;
  char *end;

  g_assert_nonnull (disposition);
  g_assert_true (g_str_has_prefix (disposition, "attachment"));
  star = strstr (disposition, "filename*=UTF-8''");
  g_assert_nonnull (star);
  encoded = g_strdup (star + strlen ("filename*=UTF-8''"));
  if ((end = strchr (encoded, ';')) != NULL)
    *end = '\0';
  return g_uri_unescape_string (g_strstrip (encoded), NULL);
}

/* The media type of a Content-Type, without parameters */
static char *
media_type (const char *content_type)
{
  g_autofree char *copy = g_strdup (content_type);
  char *semicolon;

  g_assert_nonnull (content_type);
  if ((semicolon = strchr (copy, ';')) != NULL)
    *semicolon = '\0';
  return g_ascii_strdown (g_strstrip (copy), -1);
}

/* The number of parts an S3 ETag says the object was assembled from;
 * 0 for an object stored by one PUT */
static guint
etag_parts (const char *etag)
{
  const char *dash = strrchr (etag, '-');

  return dash != NULL ? (guint) g_ascii_strtoull (dash + 1, NULL, 10) : 0;
}

/* The object @key was stored as @path: its bytes, how it was stored (one
 * PUT up to a part, else parts of 8 MiB), and the headers its download
 * carries. */
static void
assert_object (const char *bucket,
               GPtrArray  *entries,
               const char *key,
               const char *path,
               const char *expected_type)
{
  Entry *entry = find_entry (entries, key);
  g_autofree char *local = sha256_of_file (path);
  g_autofree char *stored = object_sha256 (bucket, key);
  g_autofree char *headers = object_headers (bucket, key);
  g_autofree char *type = header_value (headers, "Content-Type");
  g_autofree char *disposition = header_value (headers, "Content-Disposition");
  g_autofree char *downloaded_as = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *mime = NULL;
  GStatBuf st;

  if (entry == NULL)
    g_error ("No object %s in bucket %s", key, bucket);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (entry->size, ==, st.st_size);
  g_assert_cmpstr (stored, ==, local);

  if (st.st_size <= PART_SIZE)
    g_assert_cmpuint (etag_parts (entry->etag), ==, 0);
  else
    g_assert_cmpuint (etag_parts (entry->etag), ==, (st.st_size + PART_SIZE - 1) / PART_SIZE);

  mime = media_type (type);
  g_assert_cmpstr (mime, ==, expected_type);
  downloaded_as = disposition_name (disposition);
  if (g_utf8_validate (base, -1, NULL))
    g_assert_cmpstr (downloaded_as, ==, base);
  else
    g_assert_true (g_utf8_validate (downloaded_as, -1, NULL));
}

/* The link downloads to @path's bytes under @path's name; tampered with,
 * it is refused */
static void
assert_link_downloads (const char *link,
                       const char *path)
{
  g_autofree char *download = g_build_filename (work_dir, "link.download", NULL);
  g_autofree char *local = sha256_of_file (path);
  g_autofree char *got = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *name = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tampered = g_strdup (link);
  char *signature = strstr (tampered, "X-Amz-Signature=");
  g_auto(Http) http = { 0 };
  g_auto(Http) refused = { 0 };

  curl (&http, FALSE, "GET", link, download, NULL);
  g_assert_cmpint (http.status, ==, 200);
  got = sha256_of_file (download);
  g_unlink (download);
  g_assert_cmpstr (got, ==, local);
  disposition = header_value (http.headers, "Content-Disposition");
  name = disposition_name (disposition);
  g_assert_cmpstr (name, ==, base);

  /* one hex digit of the signature changed */
  g_assert_nonnull (signature);
  signature += strlen ("X-Amz-Signature=");
  g_assert_true (g_ascii_isxdigit (*signature));
  *signature = *signature == '0' ? '1' : '0';
  curl (&refused, FALSE, "GET", tampered, NULL, NULL);
  g_assert_cmpint (refused.status, ==, 403);
  g_assert_null (strstr (refused.body ? refused.body : "", "<Contents>"));
}

/* ---- a recording, throttling relay ------------------------------------------ */

typedef struct {
  GMutex     lock;
  int        listen_fd;
  guint16    port;
  struct sockaddr_in upstream;
  GThread   *accept_thread;
  GPtrArray *threads;
  gint       stopping;
  guint64    bytes_up;          /* client → server */
  gint64     start_us;          /* of the first byte up: a slow start is no credit */
  guint64    rate;              /* bytes per second up, 0: as fast as it goes */
  char      *needles[2];        /* the access key ID and the secret key */
  guint      hits[2];
  GString   *answers;           /* server → client, the first 4 MiB */
  guint      connections;
} Relay;

typedef struct {
  Relay *relay;
  int    client_fd;
} Conn;

#define ANSWERS_KEPT (4 * MiB)

static const guint8 *
find_bytes (const guint8 *haystack,
            gsize         len,
            const char   *needle,
            gsize         needle_len)
{
  for (const guint8 *p = haystack; needle_len <= len && p <= haystack + len - needle_len; p++)
    {
      p = memchr (p, needle[0], haystack + len - needle_len + 1 - p);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, needle_len) == 0)
        return p;
    }
  return NULL;
}

/* Counts the needles in @tail + @data that end inside @data, then keeps
 * the last bytes as the next tail */
static void
relay_scan (Relay      *relay,
            GByteArray *tail,
            const char *data,
            gsize       len)
{
  gsize keep = MAX (strlen (relay->needles[0]), strlen (relay->needles[1]));
  gsize old = tail->len;

  g_byte_array_append (tail, (const guint8 *) data, len);
  for (guint n = 0; n < G_N_ELEMENTS (relay->needles); n++)
    {
      gsize needle_len = strlen (relay->needles[n]);
      const guint8 *at = tail->data;
      const guint8 *end = tail->data + tail->len;
      const guint8 *found;

      while ((found = find_bytes (at, end - at, relay->needles[n], needle_len)) != NULL)
        {
          if ((gsize) (found - tail->data) + needle_len > old)
            {
              g_mutex_lock (&relay->lock);
              relay->hits[n]++;
              g_mutex_unlock (&relay->lock);
            }
          at = found + 1;
        }
    }
  if (tail->len > keep)
    g_byte_array_remove_range (tail, 0, tail->len - keep);
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static void
relay_throttle (Relay *relay,
                gsize  len)
{
  gint64 due_us;

  g_mutex_lock (&relay->lock);
  if (relay->start_us == 0)
    relay->start_us = g_get_monotonic_time ();
  relay->bytes_up += len;
  due_us = relay->rate == 0 ? 0
         : relay->start_us + (gint64) (relay->bytes_up * G_USEC_PER_SEC / relay->rate);
  g_mutex_unlock (&relay->lock);
  if (due_us > g_get_monotonic_time ())
    g_usleep (due_us - g_get_monotonic_time ());
}

static gpointer
relay_pump (gpointer user_data)
{
  Conn *conn = user_data;
  Relay *relay = conn->relay;
  int fds[2] = { conn->client_fd, socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) };
  g_autoptr(GByteArray) up_tail = g_byte_array_new ();
  g_autoptr(GByteArray) down_tail = g_byte_array_new ();
  g_autofree char *buffer = g_malloc (64 * 1024);

  if (fds[1] < 0 ||
      connect (fds[1], (struct sockaddr *) &relay->upstream, sizeof relay->upstream) != 0)
    goto out;

  while (!g_atomic_int_get (&relay->stopping))
    {
      struct pollfd polls[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 } };
      int ready = poll (polls, 2, 100);

      if (ready < 0 && errno == EINTR)
        continue;
      if (ready < 0)
        break;
      for (guint from = 0; from < 2; from++)
        {
          ssize_t n;

          if (polls[from].revents == 0)
            continue;
          n = read (fds[from], buffer, 64 * 1024);
          if (n <= 0 || !write_all (fds[1 - from], buffer, n))
            goto out;
          relay_scan (relay, from == 0 ? up_tail : down_tail, buffer, n);
          if (from == 0)
            relay_throttle (relay, n);
          else
            {
              g_mutex_lock (&relay->lock);
              if (relay->answers->len < ANSWERS_KEPT)
                g_string_append_len (relay->answers, buffer, n);
              g_mutex_unlock (&relay->lock);
            }
        }
    }

out:
  close (fds[0]);
  if (fds[1] >= 0)
    close (fds[1]);
  g_free (conn);
  return NULL;
}

static gpointer
relay_accept (gpointer user_data)
{
  Relay *relay = user_data;

  for (;;)
    {
      int fd = accept (relay->listen_fd, NULL, NULL);
      Conn *conn;

      if (fd < 0 && errno == EINTR)
        continue;
      if (fd < 0 || g_atomic_int_get (&relay->stopping))
        {
          if (fd >= 0)
            close (fd);
          return NULL;
        }
      fcntl (fd, F_SETFD, FD_CLOEXEC);
      conn = g_new0 (Conn, 1);
      conn->relay = relay;
      conn->client_fd = fd;
      g_mutex_lock (&relay->lock);
      relay->connections++;
      g_ptr_array_add (relay->threads, g_thread_new ("relay-pump", relay_pump, conn));
      g_mutex_unlock (&relay->lock);
    }
}

/* A relay on 127.0.0.1 in front of the RGW; @rate bytes per second up
 * (0: no limit) */
static Relay *
relay_start (guint64 rate)
{
  g_autoptr(GUri) uri = g_uri_parse (s3_fixture_endpoint (), G_URI_FLAGS_NONE, NULL);
  Relay *relay = g_new0 (Relay, 1);
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t length = sizeof address;

  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  relay->upstream.sin_family = AF_INET;
  relay->upstream.sin_port = htons (g_uri_get_port (uri));
  relay->upstream.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  g_mutex_init (&relay->lock);
  relay->threads = g_ptr_array_new ();
  relay->answers = g_string_new (NULL);
  relay->needles[0] = g_strdup (s3_fixture_access_key ());
  relay->needles[1] = g_strdup (s3_fixture_secret_key ());
  relay->rate = rate;

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  relay->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (relay->listen_fd, >=, 0);
  g_assert_cmpint (bind (relay->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (relay->listen_fd, 64), ==, 0);
  g_assert_cmpint (getsockname (relay->listen_fd, (struct sockaddr *) &address, &length), ==, 0);
  relay->port = ntohs (address.sin_port);
  relay->accept_thread = g_thread_new ("relay-accept", relay_accept, relay);
  return relay;
}

static char *
relay_endpoint (Relay *relay)
{
  return g_strdup_printf ("http://127.0.0.1:%u", relay->port);
}

static guint64
relay_bytes_up (Relay *relay)
{
  guint64 bytes;

  g_mutex_lock (&relay->lock);
  bytes = relay->bytes_up;
  g_mutex_unlock (&relay->lock);
  return bytes;
}

/* Lifts the speed limit: what the CLI does after the test acted (abort,
 * exit) goes at full speed */
static void
relay_unthrottle (Relay *relay)
{
  g_mutex_lock (&relay->lock);
  relay->rate = 0;
  g_mutex_unlock (&relay->lock);
}

/* Waits until @bytes went up through the relay, or the CLI ended */
static void
relay_wait_for_bytes (Relay                 *relay,
                      SendoffTestCliProcess *cli,
                      guint64                bytes)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (relay_bytes_up (relay) < bytes && sendoff_test_cli_process_is_running (cli))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  if (!sendoff_test_cli_process_is_running (cli))
    {
      g_auto(SendoffTestCliRun) run = { 0 };

      sendoff_test_cli_process_wait (cli, &run);
      sendoff_test_cli_run_print (&run);
      g_error ("sendoff-cli ended after %" G_GUINT64_FORMAT " bytes, before %" G_GUINT64_FORMAT,
               relay_bytes_up (relay), bytes);
    }
}

/* Stops the relay; asserts that the secret key never crossed it while the
 * access key ID (in every signature) did, so the scan saw the traffic. */
static void
relay_stop (Relay *relay)
{
  g_atomic_int_set (&relay->stopping, 1);
  shutdown (relay->listen_fd, SHUT_RDWR);
  g_thread_join (relay->accept_thread);
  close (relay->listen_fd);
  for (guint i = 0; i < relay->threads->len; i++)
    g_thread_join (g_ptr_array_index (relay->threads, i));

  g_assert_cmpuint (relay->connections, >, 0);
  g_assert_cmpuint (relay->hits[0], >, 0);
  g_assert_cmpuint (relay->hits[1], ==, 0);

  g_ptr_array_unref (relay->threads);
  g_string_free (relay->answers, TRUE);
  g_free (relay->needles[0]);
  g_free (relay->needles[1]);
  g_mutex_clear (&relay->lock);
  g_free (relay);
}

/* ---- the sends ----------------------------------------------------------- */

static char *
endpoint_option (const char *endpoint)
{
  return g_strconcat ("endpoint=", endpoint ? endpoint : s3_fixture_endpoint (), NULL);
}

static char *
bucket_option (const char *bucket)
{
  return g_strconcat ("bucket=", bucket, NULL);
}

/* One file, one PUT: the object is the file, served as what it is under
 * its own name, and the link downloads it; tampered with, it does not. */
static void
test_one_file (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("one");
  const char *name = "Grüße, 1+1 = 2 (100% sure) 🎉.txt";
  g_autofree char *path = make_file (dir, name, 300 * 1024 + 7, TRUE);
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *link = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };

  run_cli (&run, NULL, ARGS ("send", "--service", "s3", "-o", endpoint, "-o", bucket_opt, path));
  sendoff_test_cli_assert_status (&run, 0);
  link = last_line (run.out);
  folder = transfer_folder (link, bucket);
  key = g_strconcat (folder, name, NULL);

  entries = list_objects (bucket);
  g_assert_cmpuint (entries->len, ==, 1);
  assert_object (bucket, entries, key, path, "text/plain");
  assert_link_downloads (link, path);
  g_assert_cmpuint (count_uploads (bucket), ==, 0);
}

/* 0 B, exactly one part, one part and a byte, and a big file (5 parts;
 * 25 with -m slow) in one transfer: every object has the file's bytes,
 * type and name, stored by one PUT up to 8 MiB and in 8 MiB parts above */
static void
test_sizes (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("sizes");
  gsize big = g_test_slow () ? 200 * MiB : 40 * MiB;
  struct { const char *name; gsize size; const char *type; } files[] = {
    { "empty.txt", 0, "text/plain" },
    { "one part.mp4", PART_SIZE, "video/mp4" },
    { "one part and a byte.mp4", PART_SIZE + 1, "video/mp4" },
    { "big video.mp4", big, "video/mp4" },
  };
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *link = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) paths = g_new0 (char *, G_N_ELEMENTS (files) + 1);
  g_auto(SendoffTestCliRun) run = { 0 };

  g_ptr_array_add (argv, g_strdup ("send"));
  g_ptr_array_add (argv, g_strdup ("--service=s3"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (endpoint));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (bucket_opt));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      paths[i] = make_file (dir, files[i].name, files[i].size, FALSE);
      g_ptr_array_add (argv, g_strdup (paths[i]));
    }
  g_ptr_array_add (argv, NULL);

  run_cli (&run, NULL, (const char *const *) argv->pdata);
  sendoff_test_cli_assert_status (&run, 0);
  link = last_line (run.out);
  folder = transfer_folder (link, bucket);

  entries = list_objects (bucket);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (files) + 1);    /* + the share page */
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *key = g_strconcat (folder, files[i].name, NULL);

      assert_object (bucket, entries, key, paths[i], files[i].type);
    }
  g_assert_cmpuint (count_uploads (bucket), ==, 0);
}

/* An empty file alone: its link downloads nothing, with 200 */
static void
test_empty_file_link (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("empty");
  g_autofree char *path = make_file (dir, "nothing.txt", 0, TRUE);
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *link = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };

  run_cli (&run, NULL, ARGS ("send", "-q", "--service", "s3", "-o", endpoint, "-o", bucket_opt,
                             path));
  sendoff_test_cli_assert_status (&run, 0);
  link = last_line (run.out);
  assert_link_downloads (link, path);
}

/* ---- the share page ------------------------------------------------------ */

static char *
html_unescape (const char *text)
{
  static const struct { const char *entity; const char *text; } entities[] = {
    { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
    { "&#39;", "'" }, { "&#x27;", "'" }, { "&apos;", "'" },
  };
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; )
    {
      gboolean replaced = FALSE;

      for (guint i = 0; *p == '&' && i < G_N_ELEMENTS (entities); i++)
        if (g_str_has_prefix (p, entities[i].entity))
          {
            g_string_append (out, entities[i].text);
            p += strlen (entities[i].entity);
            replaced = TRUE;
            break;
          }
      if (*p == '&' && !replaced)
        g_error ("An entity this test does not know in %s", p);
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Every href="…" on the page, unescaped */
static GPtrArray *
page_hrefs (const char *page)
{
  GPtrArray *hrefs = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = strstr (page, "href=\""); p != NULL; p = strstr (p, "href=\""))
    {
      const char *end;
      g_autofree char *raw = NULL;

      p += strlen ("href=\"");
      end = strchr (p, '"');
      g_assert_nonnull (end);
      raw = g_strndup (p, end - p);
      g_ptr_array_add (hrefs, html_unescape (raw));
      p = end;
    }
  return hrefs;
}

/* Several files, hostile names among them: the link is a page whose every
 * link downloads one of the files, every file once, and whose names,
 * title and message are text, not markup. A file of the transfer called
 * index.html stays itself beside the page. */
static void
test_share_page (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("page");
  const char *names[] = {
    "<img src=x onerror=alert(1)>.txt",
    "a b+c%.txt",
    "ü 🎉 \"quoted\" & 'single'.txt",
    "index.html",
  };
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *link = NULL;
  g_autofree char *type = NULL;
  g_autoptr(GPtrArray) hrefs = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) by_sha = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) paths = g_new0 (char *, G_N_ELEMENTS (names) + 1);
  g_auto(SendoffTestCliRun) run = { 0 };
  g_auto(Http) page = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      paths[i] = make_file (dir, names[i], 1000 + i, TRUE);
      g_hash_table_insert (by_sha, sha256_of_file (paths[i]), g_strdup (names[i]));
    }

  run_cli (&run, NULL, ARGS ("send", "--service", "s3", "-o", endpoint, "-o", bucket_opt,
                             "--name", "<b>Party</b> & pics",
                             "--message", "<script>alert(2)</script>",
                             paths[0], paths[1], paths[2], paths[3]));
  sendoff_test_cli_assert_status (&run, 0);
  link = last_line (run.out);
  g_free (transfer_folder (link, bucket));
  entries = list_objects (bucket);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (names) + 1);

  curl (&page, FALSE, "GET", link, NULL, NULL);
  g_assert_cmpint (page.status, ==, 200);
  type = header_value (page.headers, "Content-Type");
  g_assert_true (g_str_has_prefix (type, "text/html"));
  g_assert_true (g_utf8_validate (page.body, page.body_len, NULL));

  /* markup in names, title and message shows as text */
  g_assert_null (strstr (page.body, "<img"));
  g_assert_null (strstr (page.body, "<script>alert"));
  g_assert_null (strstr (page.body, "<b>Party"));
  g_assert_nonnull (strstr (page.body, "&lt;img src=x onerror=alert(1)&gt;.txt"));
  g_assert_nonnull (strstr (page.body, "&lt;script&gt;alert(2)&lt;/script&gt;"));
  g_assert_nonnull (strstr (page.body, "&lt;b&gt;Party&lt;/b&gt; &amp; pics"));

  hrefs = page_hrefs (page.body);
  g_assert_cmpuint (hrefs->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < hrefs->len; i++)
    {
      const char *href = g_ptr_array_index (hrefs, i);
      g_autofree char *path = g_build_filename (work_dir, "href.download", NULL);
      g_autofree char *sha = NULL;
      g_autofree char *disposition = NULL;
      g_autofree char *downloaded_as = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *stolen_sha = NULL;
      g_auto(Http) http = { 0 };

      curl (&http, FALSE, "GET", href, path, NULL);
      g_assert_cmpint (http.status, ==, 200);
      sha = sha256_of_file (path);
      g_unlink (path);
      /* each file exactly once */
      if (!g_hash_table_steal_extended (by_sha, sha, (gpointer *) &stolen_sha,
                                        (gpointer *) &expected))
        g_error ("%s downloads bytes of no file sent, or of one linked twice", href);
      disposition = header_value (http.headers, "Content-Disposition");
      downloaded_as = disposition_name (disposition);
      g_assert_cmpstr (downloaded_as, ==, expected);
    }
  g_assert_cmpuint (g_hash_table_size (by_sha), ==, 0);
}

/* A folder: its tree under the transfer's folder, every name as it is
 * (spaces, +, %, emoji, a name that is not UTF-8) */
static void
test_folder (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("folder");
  const char *names[] = {
    "album/a b+c%.txt",
    "album/sub/ü 🎉.txt",
    "album/sub/deeper/100% + more.txt",
    "album/bad\xff\xfename.txt",
  };
  g_autofree char *album = g_build_filename (dir, "album", NULL);
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *link = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) paths = g_new0 (char *, G_N_ELEMENTS (names) + 1);
  g_auto(SendoffTestCliRun) run = { 0 };
  Entry *bad = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    paths[i] = make_file (dir, names[i], 500 + i, TRUE);

  run_cli (&run, NULL, ARGS ("send", "--service", "s3", "-o", endpoint, "-o", bucket_opt, album));
  sendoff_test_cli_assert_status (&run, 0);
  link = last_line (run.out);
  folder = transfer_folder (link, bucket);

  entries = list_objects (bucket);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (names) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (names) - 1; i++)
    {
      g_autofree char *key = g_strconcat (folder, names[i], NULL);

      assert_object (bucket, entries, key, paths[i], "text/plain");
    }

  /* S3 keys are UTF-8: the name that is not is shown in the nearest
   * UTF-8 it has, in the album, with its bytes */
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      g_assert_true (g_utf8_validate (entry->key, -1, NULL));
      if (strstr (entry->key, "/album/bad") != NULL)
        bad = entry;
    }
  g_assert_nonnull (bad);
  g_assert_true (g_str_has_prefix (bad->key, folder));
  assert_object (bucket, entries, bad->key, paths[G_N_ELEMENTS (names) - 1], "text/plain");
}

/* 500 small files in one transfer: 500 objects with the right bytes and
 * a page that links each */
static void
test_many_files (void)
{
  const guint n = 500;
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("many");
  g_autofree char *top = g_build_filename (dir, "many", NULL);
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *link = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GHashTable) sums = NULL;
  g_autoptr(GPtrArray) hrefs = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  g_auto(Http) page = { 0 };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("many/file %03u.bin", i);
      g_autofree char *path = make_file (dir, name, 100 + g_random_int_range (0, 2000), FALSE);
      Entry *file = g_new0 (Entry, 1);

      file->key = g_steal_pointer (&name);
      file->etag = sha256_of_file (path);     /* here: the expected SHA-256 */
      g_ptr_array_add (files, file);
    }

  run_cli (&run, NULL, ARGS ("send", "-q", "--service", "s3", "-o", endpoint, "-o", bucket_opt,
                             top));
  sendoff_test_cli_assert_status (&run, 0);
  link = last_line (run.out);
  folder = transfer_folder (link, bucket);

  entries = list_objects (bucket);
  g_assert_cmpuint (entries->len, ==, n + 1);
  sums = download_all (bucket, entries);
  for (guint i = 0; i < n; i++)
    {
      Entry *file = g_ptr_array_index (files, i);
      g_autofree char *key = g_strconcat (folder, file->key, NULL);
      const char *stored = g_hash_table_lookup (sums, key);

      if (stored == NULL)
        g_error ("No object %s", key);
      g_assert_cmpstr (stored, ==, file->etag);
    }

  curl (&page, FALSE, "GET", link, NULL, NULL);
  g_assert_cmpint (page.status, ==, 200);
  hrefs = page_hrefs (page.body);
  g_assert_cmpuint (hrefs->len, ==, n);
}

/* ---- links that stop working ---------------------------------------------- */

static gint64
link_signed_at (const char *link)
{
  const char *date = strstr (link, "X-Amz-Date=");
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) time = NULL;

  g_assert_nonnull (date);
  date += strlen ("X-Amz-Date=");
  /* 20261130T010203Z */
  iso = g_strdup_printf ("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", date, date + 4, date + 6, date + 9,
                         date + 11, date + 13);
  time = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

/* A link made to live 4 seconds works at once and is refused after */
static void
test_expired_link (void)
{
  const guint lifetime = 4;
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("expire");
  g_autofree char *path = make_file (dir, "soon gone.txt", 2000, TRUE);
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *seconds = g_strdup_printf ("%u", lifetime);
  g_autofree char *link = NULL;
  g_autofree char *expires = g_strdup_printf ("X-Amz-Expires=%u&", lifetime);
  gint64 dead_at;
  g_auto(SendoffTestCliRun) run = { 0 };
  g_auto(Http) late = { 0 };

  run_cli (&run, ARGS ("SENDOFF_TEST_S3_LINK_SECONDS", seconds),
           ARGS ("send", "-q", "--service", "s3", "-o", endpoint, "-o", bucket_opt, path));
  sendoff_test_cli_assert_status (&run, 0);
  link = last_line (run.out);
  g_assert_nonnull (strstr (link, expires));
  assert_link_downloads (link, path);

  dead_at = link_signed_at (link) + lifetime + 1;
  while (g_get_real_time () / G_USEC_PER_SEC <= dead_at)
    g_usleep (200 * 1000);
  curl (&late, FALSE, "GET", link, NULL, NULL);
  g_assert_cmpint (late.status, ==, 403);
  g_assert_nonnull (strstr (late.body, "AccessDenied"));
}

/* Without the test variable the option is what counts: an hour at least */
static void
test_link_lifetime_option (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("lifetime");
  g_autofree char *path = make_file (dir, "an hour.txt", 10, TRUE);
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *link = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  g_auto(SendoffTestCliRun) too_short = { 0 };

  run_cli (&run, NULL, ARGS ("send", "-q", "--service", "s3", "-o", endpoint, "-o", bucket_opt,
                             "-o", "link-lifetime=3600", path));
  sendoff_test_cli_assert_status (&run, 0);
  link = last_line (run.out);
  g_assert_nonnull (strstr (link, "X-Amz-Expires=3600&"));

  run_cli (&too_short, NULL, ARGS ("send", "-q", "--service", "s3", "-o", endpoint, "-o",
                                   bucket_opt, "-o", "link-lifetime=5", path));
  /* refused before anything is sent: the bucket holds the first file only */
  sendoff_test_cli_assert_status (&too_short, 2);
  g_assert_nonnull (strstr (too_short.err, "link-lifetime"));
  entries = list_objects (bucket);
  g_assert_cmpuint (entries->len, ==, 1);
}

/* ---- failures ------------------------------------------------------------- */

/* A file that changes while it is sent fails the transfer for good: the
 * multipart upload is aborted and nothing of the transfer is left */
static void
test_fatal_failure_aborts (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("fatal");
  g_autofree char *path = make_file (dir, "changing.mp4", 48 * MiB, FALSE);
  g_autofree char *small = make_file (dir, "fine.txt", 1000, TRUE);
  Relay *relay = relay_start (16 * MiB);
  g_autofree char *relayed = relay_endpoint (relay);
  g_autofree char *endpoint = endpoint_option (relayed);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autoptr(SendoffTestCliProcess) cli = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *aws_uploads = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  FILE *append;

  cli = cli_start (NULL, ARGS ("send", "--jobs", "2", "--service", "s3", "-o", endpoint,
                               "-o", bucket_opt, path, small));
  relay_wait_for_bytes (relay, cli, 12 * MiB);
  /* the upload is there while it runs: the empty list below means aborted */
  g_assert_cmpuint (count_uploads (bucket), ==, 1);

  append = fopen (path, "ab");
  g_assert_nonnull (append);
  fputs ("one more line", append);
  g_assert_cmpint (fclose (append), ==, 0);
  relay_unthrottle (relay);

  sendoff_test_cli_process_wait (cli, &run);
  sendoff_test_cli_assert_status (&run, 1);
  g_assert_nonnull (strstr (run.err, "changing.mp4"));
  g_assert_nonnull (strstr (run.err, "changed"));
  g_assert_null (strstr (run.out, "http"));

  g_assert_cmpuint (count_uploads (bucket), ==, 0);
  aws_uploads = s3_fixture_aws ("s3api", "list-multipart-uploads", "--bucket", bucket, NULL);
  g_assert_null (strstr (aws_uploads, "UploadId"));
  entries = list_objects (bucket);
  g_assert_cmpuint (entries->len, ==, 0);
  relay_stop (relay);
}

/* Ctrl+C in the middle of a 100 MB file: the CLI stops at once, exits 130
 * and prints no link */
static void
test_interrupt (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("interrupt");
  g_autofree char *path = g_build_filename (dir, "hundred.bin", NULL);
  Relay *relay = relay_start (8 * MiB);
  g_autofree char *relayed = relay_endpoint (relay);
  g_autofree char *endpoint = endpoint_option (relayed);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autoptr(SendoffTestCliProcess) cli = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  gint64 interrupted_at;
  FILE *out = fopen (path, "wb");

  /* a sparse file: its bytes do not matter here */
  g_assert_nonnull (out);
  g_assert_cmpint (ftruncate (fileno (out), 100 * 1000 * 1000), ==, 0);
  g_assert_cmpint (fclose (out), ==, 0);

  cli = cli_start (NULL, ARGS ("send", "--service", "s3", "-o", endpoint, "-o", bucket_opt, path));
  relay_wait_for_bytes (relay, cli, 4 * MiB);
  interrupted_at = g_get_monotonic_time ();
  sendoff_test_cli_process_send_signal (cli, SIGINT);
  relay_unthrottle (relay);
  sendoff_test_cli_process_wait (cli, &run);

  sendoff_test_cli_assert_status (&run, 130);
  g_assert_cmpint (g_get_monotonic_time () - interrupted_at, <, 10 * G_USEC_PER_SEC);
  g_assert_null (strstr (run.out, "http"));
  g_assert_nonnull (strstr (run.err, "Interrupted"));
  g_test_message ("multipart uploads left after Ctrl+C (kept for a resume): %u",
                  count_uploads (bucket));
  relay_stop (relay);
}

/* ---- secrets --------------------------------------------------------------- */

/* Every kind of request (single PUT, multipart start, presigned parts,
 * complete, the share page) through the recording relay with all debug
 * output on: the secret key is in no byte sent or received, in no output
 * and in no link. RGW's answers to CompleteMultipartUpload are shown
 * (Pacific may leave the first <ETag> empty). */
static void
test_secret_never_sent (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *dir = new_dir ("secret");
  g_autofree char *big = make_file (dir, "parts.mp4", 2 * PART_SIZE + 5, FALSE);
  g_autofree char *small = make_file (dir, "small.txt", 5000, TRUE);
  Relay *relay = relay_start (0);
  g_autofree char *relayed = relay_endpoint (relay);
  g_autofree char *endpoint = endpoint_option (relayed);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *json_out = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  g_auto(SendoffTestCliRun) json = { 0 };
  const char *answer;

  run_cli (&run, ARGS ("G_MESSAGES_DEBUG", "all"),
           ARGS ("send", "--service", "s3", "-o", endpoint, "-o", bucket_opt, big, small));
  sendoff_test_cli_assert_status (&run, 0);
  run_cli (&json, ARGS ("G_MESSAGES_DEBUG", "all"),
           ARGS ("send", "--json", "--service", "s3", "-o", endpoint, "-o", bucket_opt, small));
  sendoff_test_cli_assert_status (&json, 0);

  g_assert_null (strstr (run.out, s3_fixture_secret_key ()));
  g_assert_null (strstr (run.err, s3_fixture_secret_key ()));
  g_assert_null (strstr (json.out, s3_fixture_secret_key ()));
  g_assert_null (strstr (json.err, s3_fixture_secret_key ()));
  /* the links name the key ID, as every presigned URL does */
  g_assert_nonnull (strstr (run.out, s3_fixture_access_key ()));

  entries = list_objects (bucket);
  g_assert_cmpuint (entries->len, ==, 4);  /* 2 files + page, 1 file */

  for (answer = strstr (relay->answers->str, "<CompleteMultipartUploadResult"); answer != NULL;
       answer = strstr (answer + 1, "<CompleteMultipartUploadResult"))
    {
      const char *etag = strstr (answer, "<ETag>");
      const char *end = etag != NULL ? strstr (etag, "</ETag>") : NULL;

      if (etag == NULL || end == NULL)
        g_test_message ("RGW completed a multipart upload without an <ETag>");
      else
        g_test_message ("RGW completed a multipart upload with <ETag>%.*s</ETag>%s",
                        (int) (end - etag - 6), etag + 6, end == etag + 6 ? " (empty)" : "");
    }
  relay_stop (relay);
}

/* ---- destinations ---------------------------------------------------------- */

/* `destination check` as a user meets it: a good destination works, a
 * wrong secret is refused in a sentence with status 3, a bucket that is
 * not there is named */
static void
test_destination_check (void)
{
  g_autofree char *bucket = new_bucket ();
  g_autofree char *endpoint = endpoint_option (NULL);
  g_autofree char *bucket_opt = bucket_option (bucket);
  g_autofree char *missing = g_strconcat (bucket, "-missing", NULL);
  g_autofree char *missing_opt = bucket_option (missing);
  g_autofree char *dir = new_dir ("check");
  g_autofree char *path = make_file (dir, "check.txt", 100, TRUE);
  const char *wrong_secret[] = { "AWS_SECRET_ACCESS_KEY", "wrong-secret-of-forty-characters-000000", NULL };
  const char *no_env[] = { "AWS_ACCESS_KEY_ID", NULL, "AWS_SECRET_ACCESS_KEY", NULL, NULL };

  {
    g_auto(SendoffTestCliRun) good = { 0 };
    g_auto(SendoffTestCliRun) check = { 0 };

    run_cli (&good, NULL, ARGS ("destination", "add", "rgw-good", "--service", "s3",
                                "-o", endpoint, "-o", bucket_opt));
    sendoff_test_cli_assert_status (&good, 0);
    /* the keys come from the keyring now */
    run_cli (&check, no_env, ARGS ("destination", "check", "rgw-good"));
    sendoff_test_cli_assert_status (&check, 0);
    g_assert_nonnull (strstr (check.out, "works"));
  }

  {
    g_auto(SendoffTestCliRun) add = { 0 };
    g_auto(SendoffTestCliRun) check = { 0 };
    g_auto(SendoffTestCliRun) send = { 0 };

    run_cli (&add, wrong_secret, ARGS ("destination", "add", "rgw-wrong", "--service", "s3",
                                       "-o", endpoint, "-o", bucket_opt));
    sendoff_test_cli_assert_status (&add, 0);
    run_cli (&check, no_env, ARGS ("destination", "check", "rgw-wrong"));
    sendoff_test_cli_assert_status (&check, 3);
    g_assert_nonnull (strstr (check.err, "rgw-wrong"));
    g_assert_nonnull (strstr (check.err, "secret access key"));
    g_assert_null (strstr (check.err, "wrong-secret"));
    g_assert_true (g_str_has_suffix (g_strstrip (check.err), ")") ||
                   g_str_has_suffix (check.err, "."));

    /* a send with it stops at the refusal, nothing stored */
    run_cli (&send, no_env, ARGS ("send", "-q", "--to", "rgw-wrong", path));
    sendoff_test_cli_assert_status (&send, 3);
    g_assert_null (strstr (send.out, "http"));
  }

  {
    g_auto(SendoffTestCliRun) add = { 0 };
    g_auto(SendoffTestCliRun) check = { 0 };

    run_cli (&add, NULL, ARGS ("destination", "add", "rgw-missing", "--service", "s3",
                               "-o", endpoint, "-o", missing_opt));
    sendoff_test_cli_assert_status (&add, 0);
    run_cli (&check, no_env, ARGS ("destination", "check", "rgw-missing"));
    sendoff_test_cli_assert_cmpstatus (&check, !=, 0);
    g_assert_nonnull (strstr (check.err, "no bucket"));
    g_assert_nonnull (strstr (check.err, missing));
  }

  {
    g_autoptr(GPtrArray) entries = list_objects (bucket);

    g_assert_cmpuint (entries->len, ==, 0);
  }
}

/* ---- main ---------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_dir = g_dir_make_tmp ("sendoff-test-s3-XXXXXX", &error);
  g_assert_no_error (error);
  home_dir = g_build_filename (work_dir, "home", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home_dir, 0700), ==, 0);
  /* the server now, not in the middle of the first test */
  s3_fixture_endpoint ();

  g_test_add_func ("/s3/send/one-file", test_one_file);
  g_test_add_func ("/s3/send/sizes", test_sizes);
  g_test_add_func ("/s3/send/empty-file-link", test_empty_file_link);
  g_test_add_func ("/s3/send/share-page", test_share_page);
  g_test_add_func ("/s3/send/folder", test_folder);
  g_test_add_func ("/s3/send/many-files", test_many_files);
  g_test_add_func ("/s3/link/expires", test_expired_link);
  g_test_add_func ("/s3/link/lifetime-option", test_link_lifetime_option);
  g_test_add_func ("/s3/failure/fatal-aborts", test_fatal_failure_aborts);
  g_test_add_func ("/s3/failure/interrupt", test_interrupt);
  g_test_add_func ("/s3/secret/never-sent", test_secret_never_sent);
  g_test_add_func ("/s3/destination/check", test_destination_check);

  status = g_test_run ();
  remove_tree (work_dir);
  g_free (work_dir);
  g_free (home_dir);
  return status;
}
