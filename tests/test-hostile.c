/* test-hostile.c — whole transfers against a server that answers what no
 * honest server would: an in-process SoupServer speaking WeTransfer v1 with
 * one answer replaced per test.
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sendoff-transfer.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"
#include "sendoff-wetransfer-v1.h"

#define MIB6 6291456

typedef enum {
  STEP_AUTHORIZE,
  STEP_TRANSFER,
  STEP_ITEMS,
  STEP_PART_URL,
  STEP_PUT,
  STEP_COMPLETE,
  N_STEPS
} Step;

typedef struct {
  SoupServer *server;
  char       *url;
  /* the replaced answer: for @step, @status with @body (and @location) */
  Step        step;
  guint       status;
  const char *body;
  const char *content_type;
  const char *location;
  guint       hits[N_STEPS];
  guint       elsewhere_hits;
  guint       put_bytes;
  gboolean    put_with_secret;
} Hostile;

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *type,
       const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* The honest answer of each step */
static void
honest (Hostile           *h,
        Step               step,
        SoupServerMessage *msg,
        const char        *path)
{
  g_autofree char *text = NULL;

  switch (step)
    {
    case STEP_AUTHORIZE:
      reply (msg, 200, "application/json", "{\"success\":true,\"token\":\"jwt.hostile.test\"}");
      break;
    case STEP_TRANSFER:
      reply (msg, 200, "application/json",
             "{\"id\":\"t1\",\"shortened_url\":\"https://we.tl/t-hostile\"}");
      break;
    case STEP_ITEMS:
      /* the test files are all under 6 MiB: one part each */
      reply (msg, 200, "application/json",
             "[{\"id\":\"f1\",\"local_identifier\":\"sendoff-0\",\"content_identifier\":\"file\","
             "\"meta\":{\"multipart_parts\":1,\"multipart_upload_id\":\"u1\"}}]");
      break;
    case STEP_PART_URL:
      text = g_strdup_printf ("{\"upload_url\":\"%s/storage/f1/1?sig=x\",\"part_number\":1,"
                              "\"upload_expires_at\":%" G_GINT64_FORMAT "}",
                              h->url, g_get_real_time () / G_USEC_PER_SEC + 3600);
      reply (msg, 200, "application/json", text);
      break;
    case STEP_PUT:
      reply (msg, 200, "text/plain", "");
      break;
    case STEP_COMPLETE:
      reply (msg, 200, "application/json", "{\"id\":\"f1\",\"retries\":0}");
      break;
    case N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

static Step
step_for (SoupServerMessage *msg,
          const char        *path)
{
  const char *method = soup_server_message_get_method (msg);

  if (strcmp (path, "/v1/authorize") == 0)
    return STEP_AUTHORIZE;
  if (strcmp (path, "/v1/transfers") == 0)
    return STEP_TRANSFER;
  if (g_str_has_prefix (path, "/v1/transfers/") && g_str_has_suffix (path, "/items"))
    return STEP_ITEMS;
  if (g_str_has_prefix (path, "/v1/files/") && g_str_has_suffix (path, "/complete"))
    return STEP_COMPLETE;
  if (g_str_has_prefix (path, "/v1/files/") && strcmp (method, "GET") == 0)
    return STEP_PART_URL;
  if (g_str_has_prefix (path, "/storage/") && strcmp (method, "PUT") == 0)
    return STEP_PUT;
  return N_STEPS;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Hostile *h = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Step step;

  if (strcmp (path, "/elsewhere") == 0)
    {
      h->elsewhere_hits++;
      reply (msg, 200, "application/json", "{\"success\":true,\"token\":\"stolen\"}");
      return;
    }

  step = step_for (msg, path);
  if (step == N_STEPS)
    {
      reply (msg, 404, "application/json", "{\"message\":\"no such endpoint\"}");
      return;
    }
  h->hits[step]++;

  if (step == STEP_PUT)
    {
      h->put_bytes += soup_server_message_get_request_body (msg)->length;
      if (soup_message_headers_get_one (headers, "x-api-key") != NULL ||
          soup_message_headers_get_one (headers, "Authorization") != NULL)
        h->put_with_secret = TRUE;
    }

  if (step != h->step)
    {
      honest (h, step, msg, path);
      return;
    }

  if (h->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                  h->location);
  reply (msg, h->status, h->content_type ? h->content_type : "application/json", h->body);
}

static void
hostile_start (Hostile    *h,
               Step        step,
               guint       status,
               const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  memset (h, 0, sizeof *h);
  h->step = step;
  h->status = status;
  h->body = body;
  h->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (h->server, NULL, handler, h, NULL);
  soup_server_listen_local (h->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (h->server);
  h->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
hostile_stop (Hostile *h)
{
  soup_server_disconnect (h->server);
  g_assert_finalize_object (h->server);
  g_free (h->url);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static char *
make_file (const char *dir,
           const char *name,
           gsize       size)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char) ('a' + i % 26);
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
  return path;
}

/* Sends one small file to @h; returns the error the user would see */
static GError *
send_to (Hostile    *h,
         SendoffState *item_state)
{
  g_autofree char *dir = g_dir_make_tmp ("sendoff-hostile-XXXXXX", NULL);
  g_autofree char *path = make_file (dir, "note.txt", 1000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();
  g_autoptr(SendoffWetransferV1) provider = sendoff_wetransfer_v1_new (h->url, "hostile-key");
  g_autoptr(SendoffUploader) uploader = sendoff_uploader_new (SENDOFF_PROVIDER (provider));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(SendoffItem) item = NULL;
  g_auto(GStrv) refused = NULL;
  GError *error = NULL;

  g_object_set (uploader, "max-retries", 2, NULL);
  sendoff_transfer_add_files_async (transfer, &file, 1, NULL, on_done, &result);
  wait_for (&result);
  g_assert_true (sendoff_transfer_add_files_finish (transfer, result, &refused, &error));
  g_assert_no_error (error);

  sendoff_uploader_send_async (uploader, transfer, NULL, on_done, &sent);
  wait_for (&sent);
  sendoff_uploader_send_finish (uploader, sent, &error);

  item = g_list_model_get_item (sendoff_transfer_get_items (transfer), 0);
  if (item_state != NULL)
    *item_state = sendoff_item_get_state (item);
  if (error != NULL)
    {
      /* a failure shows on the transfer, in words a user can read */
      g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_FAILED);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strchr (error->message, '\n'));
      g_assert_null (strstr (error->message, "hostile-key"));
      g_assert_null (strstr (error->message, "jwt.hostile.test"));
    }
  else
    g_assert_cmpint (sendoff_transfer_get_state (transfer), ==, SENDOFF_STATE_DONE);

  g_assert_false (h->put_with_secret);
  g_unlink (path);
  g_rmdir (dir);
  return error;
}

static void
assert_fails_with (Step         step,
                   guint        status,
                   const char  *body,
                   SendoffError code,
                   const char  *words)
{
  Hostile h;
  g_autoptr(GError) error = NULL;

  hostile_start (&h, step, status, body);
  error = send_to (&h, NULL);
  g_test_message ("answer %s → %s", body, error ? error->message : "(sent)");
  g_assert_error (error, SENDOFF_ERROR, (gint) code);
  g_assert_nonnull (strstr (error->message, words));
  /* a protocol error stops there: nothing is stored after it */
  if (step < STEP_PUT)
    g_assert_cmpuint (h.hits[STEP_PUT], ==, 0);
  hostile_stop (&h);
}

static void
test_honest (void)
{
  Hostile h;
  g_autoptr(GError) error = NULL;

  /* the stand-in itself works: every failure below is the replaced answer */
  hostile_start (&h, N_STEPS, 0, NULL);
  error = send_to (&h, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (h.hits[STEP_PUT], ==, 1);
  g_assert_cmpuint (h.put_bytes, ==, 1000);
  g_assert_cmpuint (h.hits[STEP_COMPLETE], ==, 1);
  hostile_stop (&h);
}

static void
test_not_json (void)
{
  assert_fails_with (STEP_AUTHORIZE, 200, "<html><body>Welcome to nginx!</body></html>",
                     SENDOFF_ERROR_PROTOCOL, "not valid JSON");
  assert_fails_with (STEP_TRANSFER, 200, "", SENDOFF_ERROR_PROTOCOL, "empty");
  assert_fails_with (STEP_ITEMS, 200, "[{\"id\":\"f1\",\"meta\":{\"multipart_parts\":1,",
                     SENDOFF_ERROR_PROTOCOL, "not valid JSON");
  assert_fails_with (STEP_PART_URL, 200, "\"https://example.com/x\"", SENDOFF_ERROR_PROTOCOL,
                     "not a JSON object");
}

static void
test_missing_fields (void)
{
  assert_fails_with (STEP_AUTHORIZE, 200, "{\"success\":true}", SENDOFF_ERROR_PROTOCOL,
                     "“token”");
  assert_fails_with (STEP_TRANSFER, 200, "{\"shortened_url\":\"https://we.tl/x\"}",
                     SENDOFF_ERROR_PROTOCOL, "“id”");
  assert_fails_with (STEP_TRANSFER, 200, "{\"id\":\"t1\"}", SENDOFF_ERROR_PROTOCOL,
                     "“shortened_url”");
  assert_fails_with (STEP_ITEMS, 200, "[{\"id\":\"f1\"}]", SENDOFF_ERROR_PROTOCOL, "“meta”");
  assert_fails_with (STEP_ITEMS, 200, "[]", SENDOFF_ERROR_PROTOCOL, "");
  assert_fails_with (STEP_PART_URL, 200, "{\"part_number\":1}", SENDOFF_ERROR_PROTOCOL,
                     "“upload_url”");
}

static void
test_wrong_types (void)
{
  assert_fails_with (STEP_AUTHORIZE, 200, "{\"success\":true,\"token\":42}",
                     SENDOFF_ERROR_PROTOCOL, "“token”");
  assert_fails_with (STEP_TRANSFER, 200, "{\"id\":[\"t1\"],\"shortened_url\":\"https://we.tl/x\"}",
                     SENDOFF_ERROR_PROTOCOL, "“id”");
  assert_fails_with (STEP_ITEMS, 200, "{\"id\":\"f1\"}", SENDOFF_ERROR_PROTOCOL,
                     "not a list of files");
  assert_fails_with (STEP_ITEMS, 200,
                     "[{\"id\":\"f1\",\"meta\":{\"multipart_parts\":\"1\","
                     "\"multipart_upload_id\":\"u1\"}}]",
                     SENDOFF_ERROR_PROTOCOL, "“multipart_parts”");
  assert_fails_with (STEP_ITEMS, 200,
                     "[{\"id\":\"f1\",\"meta\":{\"multipart_parts\":1.5,"
                     "\"multipart_upload_id\":\"u1\"}}]",
                     SENDOFF_ERROR_PROTOCOL, "“multipart_parts”");
  assert_fails_with (STEP_PART_URL, 200, "{\"upload_url\":{\"href\":\"https://s3/x\"}}",
                     SENDOFF_ERROR_PROTOCOL, "“upload_url”");
  assert_fails_with (STEP_PART_URL, 200,
                     "{\"upload_url\":\"https://s3/x\",\"upload_expires_at\":\"soon\"}",
                     SENDOFF_ERROR_PROTOCOL, "“upload_expires_at”");
}

static void
test_absurd_parts (void)
{
  const char *counts[] = { "-1", "0", "2", "1000000000", "9223372036854775807",
                           "18446744073709551616", "1e9" };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autofree char *body =
        g_strdup_printf ("[{\"id\":\"f1\",\"local_identifier\":\"sendoff-0\",\"meta\":"
                         "{\"multipart_parts\":%s,\"multipart_upload_id\":\"u1\"}}]", counts[i]);

      /* "2" is a sane number, but not what a 1000-byte file needs */
      assert_fails_with (STEP_ITEMS, 200, body, SENDOFF_ERROR_PROTOCOL,
                         i == 2 ? "parts" : "“multipart_parts”");
    }
}

static void
test_part_url_scheme (void)
{
  assert_fails_with (STEP_PART_URL, 200,
                     "{\"upload_url\":\"ftp://127.0.0.1/storage/f1/1\",\"part_number\":1}",
                     SENDOFF_ERROR_INSECURE_URL, "https://");
  assert_fails_with (STEP_PART_URL, 200,
                     "{\"upload_url\":\"file:///etc/passwd\",\"part_number\":1}",
                     SENDOFF_ERROR_INSECURE_URL, "");
  assert_fails_with (STEP_PART_URL, 200,
                     "{\"upload_url\":\"http://192.0.2.7/storage/f1/1\",\"part_number\":1}",
                     SENDOFF_ERROR_INSECURE_URL, "unencrypted http://");
  assert_fails_with (STEP_PART_URL, 200,
                     "{\"upload_url\":\"http://localhost.example.com/x\",\"part_number\":1}",
                     SENDOFF_ERROR_INSECURE_URL, "unencrypted http://");
  assert_fails_with (STEP_PART_URL, 200, "{\"upload_url\":\"not a url\",\"part_number\":1}",
                     SENDOFF_ERROR_INSECURE_URL, "not a valid web address");
  /* a line break in the host: never into a message or a Host header */
  assert_fails_with (STEP_PART_URL, 200,
                     "{\"upload_url\":\"https://s3.example.com\\r\\nX-Evil: 1/x\",\"part_number\":1}",
                     SENDOFF_ERROR_INSECURE_URL, "not a valid web address");
  assert_fails_with (STEP_PART_URL, 200,
                     "{\"upload_url\":\"http://10.0.0.1\\n90/x\",\"part_number\":1}",
                     SENDOFF_ERROR_INSECURE_URL, "not a valid web address");
}

/* S3 may answer 200 with an <Error> document (CompleteMultipartUpload
 * does, when it fails late): that is not a success. */
static void
test_s3_error_with_200 (void)
{
  static const char xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>"
    "<Message>We encountered an internal error. Please try again.</Message>"
    "<RequestId>656c76696e6727732072657175657374</RequestId></Error>";

  assert_fails_with (STEP_TRANSFER, 200, xml, SENDOFF_ERROR_PROTOCOL,
                     "We encountered an internal error");
  assert_fails_with (STEP_COMPLETE, 200, xml, SENDOFF_ERROR_PROTOCOL,
                     "We encountered an internal error");
}

/* The same on a part PUT: tried again, and reported when it never stops */
static void
test_s3_error_with_200_on_put (void)
{
  static const char xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
    "<Message>Please reduce your request rate.</Message></Error>";
  Hostile h;
  g_autoptr(GError) error = NULL;
  SendoffState state;

  hostile_start (&h, STEP_PUT, 200, xml);
  h.content_type = "application/xml";
  error = send_to (&h, &state);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Please reduce your request rate"));
  g_assert_cmpint (state, ==, SENDOFF_STATE_FAILED);
  g_assert_cmpuint (h.hits[STEP_PUT], ==, 3);   /* max-retries 2 */
  g_assert_cmpuint (h.hits[STEP_COMPLETE], ==, 0);
  hostile_stop (&h);
}

static void
test_redirect (void)
{
  const guint statuses[] = { 301, 302, 307, 308 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      Hostile h;
      g_autoptr(GError) error = NULL;
      g_autofree char *elsewhere = NULL;

      hostile_start (&h, i % 2 ? STEP_AUTHORIZE : STEP_ITEMS, statuses[i], "");
      elsewhere = g_strdup_printf ("%s/elsewhere", h.url);
      h.location = elsewhere;
      error = send_to (&h, NULL);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "redirected"));
      /* never followed, with or without the key */
      g_assert_cmpuint (h.elsewhere_hits, ==, 0);
      hostile_stop (&h);
    }
}

static void
test_server_message_shown (void)
{
  /* a JSON error message is shown, bounded and on one line */
  g_autofree char *long_message = g_strnfill (5000, 'x');
  g_autofree char *body = g_strdup_printf ("{\"message\":\"Line one\\nline two %s\"}",
                                           long_message);
  Hostile h;
  g_autoptr(GError) error = NULL;

  hostile_start (&h, STEP_TRANSFER, 400, body);
  error = send_to (&h, NULL);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Line one line two"));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 500);
  hostile_stop (&h);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("SENDOFF_RETRY_BASE_MS", "1", TRUE);

  g_test_add_func ("/sendoff/hostile/honest", test_honest);
  g_test_add_func ("/sendoff/hostile/not-json", test_not_json);
  g_test_add_func ("/sendoff/hostile/missing-fields", test_missing_fields);
  g_test_add_func ("/sendoff/hostile/wrong-types", test_wrong_types);
  g_test_add_func ("/sendoff/hostile/absurd-parts", test_absurd_parts);
  g_test_add_func ("/sendoff/hostile/part-url-scheme", test_part_url_scheme);
  g_test_add_func ("/sendoff/hostile/s3-error-with-200", test_s3_error_with_200);
  g_test_add_func ("/sendoff/hostile/s3-error-with-200-on-put", test_s3_error_with_200_on_put);
  g_test_add_func ("/sendoff/hostile/redirect", test_redirect);
  g_test_add_func ("/sendoff/hostile/server-message", test_server_message_shown);

  return g_test_run ();
}
