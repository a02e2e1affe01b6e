/* test-s3-parse.c — S3's XML answers, good and hostile, and the CompleteMultipartUpload body
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sendoff-error-private.h"
#include "sendoff-s3-parse.h"

#define S3_NS "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""
#define PROLOG "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

static GBytes *
text (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

/* ---- <Error> ----------------------------------------------------------- */

/* The NoSuchUpload example of the S3 API reference (ErrorResponses) */
static void
test_error_aws (void)
{
  g_autoptr(GBytes) body = text (PROLOG
    "<Error>\n"
    "  <Code>NoSuchUpload</Code>\n"
    "  <Message>The specified upload does not exist. The upload ID may be invalid, "
    "or the upload may have been aborted or completed.</Message>\n"
    "  <UploadId>VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>\n"
    "  <RequestId>4442587FB7D0A2F9</RequestId>\n"
    "  <HostId>HostIdExample</HostId>\n"
    "</Error>");
  g_autoptr(SendoffS3Error) s3 = sendoff_s3_parse_error (body);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (s3);
  g_assert_cmpstr (s3->code, ==, "NoSuchUpload");
  g_assert_cmpstr (s3->request_id, ==, "4442587FB7D0A2F9");

  error = sendoff_s3_error_new (body, 404, -1, "Completing the upload");
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==,
                   "Completing the upload failed: The specified upload does not exist. The "
                   "upload ID may be invalid, or the upload may have been aborted or completed. "
                   "(NoSuchUpload, HTTP 404)");
  g_assert_cmpuint (_sendoff_error_get_http_status (error), ==, 404);
  /* the code travels with the error, for callers to decide by (and survives a copy) */
  g_assert_cmpstr (_sendoff_error_get_server_code (error), ==, "NoSuchUpload");
  {
    g_autoptr(GError) copy = g_error_copy (error);

    g_assert_cmpstr (_sendoff_error_get_server_code (copy), ==, "NoSuchUpload");
  }
}

/* RGW answers without a Message; a namespace prefix changes nothing */
static void
test_error_rgw (void)
{
  g_autoptr(GBytes) body = text (PROLOG
    "<Error><Code>NoSuchBucket</Code><BucketName>sendoff</BucketName>"
    "<RequestId>tx00000a1b2c3d4e5f-0065-1234-default</RequestId>"
    "<HostId>1234-default-default</HostId></Error>");
  g_autoptr(GBytes) prefixed = text ("<s3:Error xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                     "<s3:Code>SlowDown</s3:Code>"
                                     "<s3:Message>Please reduce your request rate.</s3:Message>"
                                     "</s3:Error>");
  g_autoptr(GError) error = sendoff_s3_error_new (body, 404, -1, "Sending the file");
  g_autoptr(GError) slow = sendoff_s3_error_new (prefixed, 503, 2, "Sending part 3");

  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==,
                   "Sending the file failed: the storage refused it (NoSuchBucket, HTTP 404)");
  g_assert_error (slow, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_cmpstr (slow->message, ==,
                   "Sending part 3 failed: Please reduce your request rate. (SlowDown, HTTP 503)");
  g_assert_cmpint (_sendoff_error_get_retry_after (slow), ==, 2);
}

static void
test_error_not_xml (void)
{
  const struct {
    const char *body;
    guint       status;
    SendoffError code;
    const char *message;
  } cases[] = {
    { "<html><body><h1>502 Bad Gateway</h1></body></html>", 502, SENDOFF_ERROR_NETWORK,
      "Sending failed: Bad Gateway (HTTP 502)" },
    { "{\"message\": \"<Error><Code>x</Code></Error>\"}", 400, SENDOFF_ERROR_SERVER,
      "Sending failed: Bad Request (HTTP 400)" },
    { "", 403, SENDOFF_ERROR_AUTH, "Sending failed: Forbidden (HTTP 403)" },
    { "<Error><Code>AccessDenied</Code>", 403, SENDOFF_ERROR_AUTH,
      "Sending failed: Forbidden (HTTP 403)" },
    { "<NotAnError><Code>AccessDenied</Code></NotAnError>", 200, SENDOFF_ERROR_SERVER,
      "Sending failed: unexpected answer (HTTP 200)" },
    { "<Error><Code>Moved</Code></Error>", 301, SENDOFF_ERROR_PROTOCOL,
      "Sending failed: the storage refused it (Moved, HTTP 301)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = sendoff_s3_error_new (body, cases[i].status, -1, "Sending");

      g_assert_error (error, SENDOFF_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
  g_assert_null (sendoff_s3_parse_error (NULL));
}

/* What the server says reaches the user as one short printable line */
static void
test_error_hostile_text (void)
{
  g_autoptr(GString) long_message = g_string_new ("<Error><Code>Internal\nError</Code><Message>");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) controls = text ("<Error><Code>AccessDenied</Code><Message>a\x1b[31mred"
                                     "\t\r\nline</Message></Error>");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) red = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append (long_message, "blah ");
  g_string_append (long_message, "</Message></Error>");
  body = text (long_message->str);

  error = sendoff_s3_error_new (body, 500, -1, "Sending");
  /* "Internal Error" is not the code InternalError: classified by status */
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 400);
  g_assert_true (g_str_has_suffix (error->message, "… (Internal Error, HTTP 500)"));

  red = sendoff_s3_error_new (controls, 403, -1, "Sending");
  g_assert_error (red, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  g_assert_cmpstr (red->message, ==, "Sending failed: a [31mred line (AccessDenied, HTTP 403)");
}

static void
test_classify (void)
{
  const struct {
    const char  *code;
    guint        status;
    SendoffError error;
  } cases[] = {
    { "NoSuchUpload", 404, SENDOFF_ERROR_SERVER },
    { "NoSuchBucket", 404, SENDOFF_ERROR_SERVER },
    { "AccessDenied", 403, SENDOFF_ERROR_AUTH },
    { "SignatureDoesNotMatch", 403, SENDOFF_ERROR_AUTH },
    { "InvalidAccessKeyId", 403, SENDOFF_ERROR_AUTH },
    { "ExpiredToken", 400, SENDOFF_ERROR_AUTH },
    { "RequestTimeTooSkewed", 403, SENDOFF_ERROR_SERVER },
    { "SlowDown", 503, SENDOFF_ERROR_NETWORK },
    { "InternalError", 500, SENDOFF_ERROR_NETWORK },
    { "InternalError", 200, SENDOFF_ERROR_NETWORK },   /* inside a 200 Complete answer */
    { "ServiceUnavailable", 503, SENDOFF_ERROR_NETWORK },
    { "RequestTimeout", 400, SENDOFF_ERROR_NETWORK },
    { "NotImplemented", 501, SENDOFF_ERROR_SERVER },    /* R2 refusing a checksum header */
    { "EntityTooSmall", 400, SENDOFF_ERROR_SERVER },
    { "InvalidPart", 400, SENDOFF_ERROR_SERVER },
    { "SomethingNew", 502, SENDOFF_ERROR_NETWORK },
    { "SomethingNew", 429, SENDOFF_ERROR_NETWORK },
    { "SomethingNew", 401, SENDOFF_ERROR_AUTH },
    { "SomethingNew", 409, SENDOFF_ERROR_SERVER },
    { "SomethingNew", 200, SENDOFF_ERROR_SERVER },
    { NULL, 503, SENDOFF_ERROR_NETWORK },
    { NULL, 404, SENDOFF_ERROR_SERVER },
    { NULL, 307, SENDOFF_ERROR_PROTOCOL },
    { "accessdenied", 400, SENDOFF_ERROR_SERVER },      /* codes are case-sensitive */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean retryable = cases[i].error != SENDOFF_ERROR_NETWORK;  /* must be set */
      SendoffError code = sendoff_s3_classify (cases[i].code, cases[i].status, &retryable);

      g_test_message ("%s %u", cases[i].code, cases[i].status);
      g_assert_cmpint (code, ==, cases[i].error);
      g_assert_cmpint (retryable, ==, cases[i].error == SENDOFF_ERROR_NETWORK);
    }
}

/* ---- answers ----------------------------------------------------------- */

/* The CreateMultipartUpload example of the S3 API reference */
static void
test_initiate (void)
{
  g_autoptr(GBytes) body = text (PROLOG
    "<InitiateMultipartUploadResult " S3_NS ">\n"
    "  <Bucket>example-bucket</Bucket>\n"
    "  <Key>example-object</Key>\n"
    "  <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>\n"
    "</InitiateMultipartUploadResult>");
  g_autoptr(GError) error = NULL;
  g_autofree char *upload_id = sendoff_s3_parse_initiate (body, "Starting the upload", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (upload_id, ==, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
}

static void
test_initiate_hostile (void)
{
  const char *bodies[] = {
    "<InitiateMultipartUploadResult><Bucket>b</Bucket></InitiateMultipartUploadResult>",
    "<InitiateMultipartUploadResult><UploadId></UploadId></InitiateMultipartUploadResult>",
    "<InitiateMultipartUploadResult><UploadId>a b</UploadId></InitiateMultipartUploadResult>",
    "<InitiateMultipartUploadResult><UploadId>caf\xc3\xa9</UploadId>"
      "</InitiateMultipartUploadResult>",
    "<InitiateMultipartUploadResult><UploadId><UploadId>x</UploadId></UploadId>"
      "</InitiateMultipartUploadResult>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = text (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *upload_id = sendoff_s3_parse_initiate (body, "Starting the upload", &error);

      g_assert_null (upload_id);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==,
                       "Starting the upload failed: the storage’s answer has no usable “UploadId”");
    }
}

static void
test_complete (void)
{
  g_autoptr(GBytes) body = text (PROLOG
    "<CompleteMultipartUploadResult " S3_NS ">\n"
    "  <Location>https://example-bucket.s3.amazonaws.com/a%20b.bin</Location>\n"
    "  <Bucket>example-bucket</Bucket>\n"
    "  <Key>a b.bin</Key>\n"
    "  <ETag>\"3858f62230ac3c915f300c664312c11f-9\"</ETag>\n"
    "</CompleteMultipartUploadResult>");
  /* Ceph RGW (Pacific) answers the first Complete with an empty ETag */
  g_autoptr(GBytes) rgw = text ("<CompleteMultipartUploadResult " S3_NS "><Location>"
                                "http://127.0.0.1:7480/b/k</Location><Bucket>b</Bucket>"
                                "<Key>k</Key><ETag></ETag></CompleteMultipartUploadResult>");
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffS3Completed) done = sendoff_s3_parse_complete (body, "Completing", &error);
  g_autoptr(SendoffS3Completed) rgw_done = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (done->key, ==, "a b.bin");
  g_assert_cmpstr (done->bucket, ==, "example-bucket");
  g_assert_cmpstr (done->location, ==, "https://example-bucket.s3.amazonaws.com/a%20b.bin");
  g_assert_cmpstr (done->etag, ==, "\"3858f62230ac3c915f300c664312c11f-9\"");

  rgw_done = sendoff_s3_parse_complete (rgw, "Completing", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rgw_done->etag, ==, "");
}

/* S3 may answer 200 and then an <Error> once the parts are assembled */
static void
test_complete_error_in_200 (void)
{
  g_autoptr(GBytes) body = text (PROLOG "\n\n\n"
    "<Error>\n"
    "<Code>InternalError</Code>\n"
    "<Message>We encountered an internal error. Please try again.</Message>\n"
    "<RequestId>656c76696e6727732072657175657374</RequestId>\n"
    "</Error>");
  g_autoptr(GBytes) part = text ("<Error><Code>InvalidPart</Code><Message>One or more of the "
                                 "specified parts could not be found.</Message></Error>");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) part_error = NULL;
  g_autoptr(SendoffS3Completed) done = sendoff_s3_parse_complete (body, "Completing", &error);
  g_autoptr(SendoffS3Completed) part_done = NULL;

  g_assert_null (done);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_NETWORK);
  g_assert_cmpstr (error->message, ==, "Completing failed: We encountered an internal error. "
                                       "Please try again. (InternalError, HTTP 200)");

  part_done = sendoff_s3_parse_complete (part, "Completing", &part_error);
  g_assert_null (part_done);
  g_assert_error (part_error, SENDOFF_ERROR, SENDOFF_ERROR_SERVER);
  g_assert_nonnull (strstr (part_error->message, "(InvalidPart, HTTP 200)"));
}

/* The ListParts example of the S3 API reference, shortened */
#define LIST_PARTS(truncated, marker, parts) \
  PROLOG "<ListPartsResult " S3_NS ">" \
  "<Bucket>example-bucket</Bucket><Key>example-object</Key>" \
  "<UploadId>XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA</UploadId>" \
  "<Initiator><ID>arn:aws:iam::111122223333:user/some-user</ID></Initiator>" \
  "<StorageClass>STANDARD</StorageClass><PartNumberMarker>1</PartNumberMarker>" \
  "<NextPartNumberMarker>" marker "</NextPartNumberMarker><MaxPartsx>2</MaxPartsx>" \
  "<IsTruncated>" truncated "</IsTruncated>" parts "</ListPartsResult>"
#define PART(n, etag, size) \
  "<Part><PartNumber>" n "</PartNumber><LastModified>2010-11-10T20:48:34.000Z</LastModified>" \
  "<ETag>" etag "</ETag><Size>" size "</Size></Part>"

static void
test_list_parts (void)
{
  g_autoptr(GBytes) body = text (LIST_PARTS ("true", "3",
    PART ("2", "\"7778aef83f66abc1fa1e8477f296d394\"", "10485760")
    PART ("3", "&quot;aaaa18db4cc2f85cedef654fccc4a4x8&quot;", "10485760")));
  g_autoptr(GBytes) last = text (LIST_PARTS ("false", "", PART ("4", "\"e\"", "1")));
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffS3PartList) list = sendoff_s3_parse_list_parts (body, "Listing", &error);
  g_autoptr(SendoffS3PartList) last_list = NULL;
  SendoffS3Part *parts;

  g_assert_no_error (error);
  g_assert_cmpuint (list->parts->len, ==, 2);
  parts = (SendoffS3Part *) list->parts->data;
  g_assert_cmpuint (parts[0].number, ==, 2);
  g_assert_cmpstr (parts[0].etag, ==, "\"7778aef83f66abc1fa1e8477f296d394\"");
  g_assert_cmpuint (parts[0].size, ==, 10485760);
  g_assert_cmpuint (parts[1].number, ==, 3);
  g_assert_cmpstr (parts[1].etag, ==, "\"aaaa18db4cc2f85cedef654fccc4a4x8\"");
  g_assert_true (list->is_truncated);
  g_assert_cmpuint (list->next_part_number_marker, ==, 3);

  last_list = sendoff_s3_parse_list_parts (last, "Listing", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last_list->parts->len, ==, 1);
  g_assert_false (last_list->is_truncated);
}

static void
test_list_parts_empty (void)
{
  g_autoptr(GBytes) body = text ("<ListPartsResult><IsTruncated>false</IsTruncated>"
                                 "</ListPartsResult>");
  g_autoptr(GError) error = NULL;
  g_autoptr(SendoffS3PartList) list = sendoff_s3_parse_list_parts (body, "Listing", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->parts->len, ==, 0);
  g_assert_false (list->is_truncated);
}

static void
test_list_parts_hostile (void)
{
  const struct {
    const char *body;
    const char *field;
  } cases[] = {
    { LIST_PARTS ("false", "", PART ("abc", "\"e\"", "1")), "Part" },
    { LIST_PARTS ("false", "", PART ("0", "\"e\"", "1")), "Part" },
    { LIST_PARTS ("false", "", PART ("10001", "\"e\"", "1")), "Part" },
    { LIST_PARTS ("false", "", PART ("-1", "\"e\"", "1")), "Part" },
    { LIST_PARTS ("false", "", PART ("+1", "\"e\"", "1")), "Part" },
    { LIST_PARTS ("false", "", PART ("18446744073709551617", "\"e\"", "1")), "Part" },
    { LIST_PARTS ("false", "", PART ("1", "", "1")), "Part" },
    { LIST_PARTS ("false", "", PART ("1", "\"e\"", "1e3")), "Part" },
    { LIST_PARTS ("false", "", PART ("1", "\"e\"", "5368709121")), "Part" },
    { LIST_PARTS ("false", "", PART ("1", "\"a&#x9;b\"", "1")), "Part" },
    { LIST_PARTS ("false", "", "<Part><ETag>\"e\"</ETag></Part>"), "Part" },
    { LIST_PARTS ("maybe", "", PART ("1", "\"e\"", "1")), "IsTruncated" },
    { LIST_PARTS ("true", "", PART ("1", "\"e\"", "1")), "NextPartNumberMarker" },
    { LIST_PARTS ("true", "0", PART ("1", "\"e\"", "1")), "NextPartNumberMarker" },
    { LIST_PARTS ("true", "1", PART ("1", "\"e\"", "1") PART ("2", "\"e\"", "1")),
      "NextPartNumberMarker" },
    { LIST_PARTS ("true", "7", ""), "NextPartNumberMarker" },
    { LIST_PARTS ("false", "x", ""), "NextPartNumberMarker" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(SendoffS3PartList) list = sendoff_s3_parse_list_parts (body, "Listing", &error);
      g_autofree char *expected = g_strdup_printf ("Listing failed: the storage’s answer has "
                                                   "no usable “%s”", cases[i].field);

      g_test_message ("case %u", i);
      g_assert_null (list);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

static void
test_check (void)
{
  g_autoptr(GBytes) buckets = text (PROLOG "<ListAllMyBucketsResult " S3_NS "><Owner><ID>x</ID>"
                                    "</Owner><Buckets><Bucket><Name>b</Name></Bucket></Buckets>"
                                    "</ListAllMyBucketsResult>");
  g_autoptr(GBytes) objects = text ("<ListBucketResult " S3_NS "><Name>b</Name><KeyCount>0"
                                    "</KeyCount><IsTruncated>false</IsTruncated>"
                                    "</ListBucketResult>");
  g_autoptr(GBytes) refused = text ("<Error><Code>SignatureDoesNotMatch</Code><Message>The request "
                                    "signature we calculated does not match the signature you "
                                    "provided.</Message></Error>");
  g_autoptr(GBytes) html = text ("<html><head><title>Captive portal</title></head></html>");
  g_autoptr(GError) error = NULL;

  g_assert_true (sendoff_s3_parse_check (buckets, "Checking", &error));
  g_assert_no_error (error);
  g_assert_true (sendoff_s3_parse_check (objects, "Checking", &error));
  g_assert_no_error (error);

  g_assert_false (sendoff_s3_parse_check (refused, "Checking", &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "(SignatureDoesNotMatch, HTTP 200)"));
  g_clear_error (&error);

  g_assert_false (sendoff_s3_parse_check (html, "Checking", &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==,
                   "Checking failed: the storage’s answer is not the XML document expected");
}

/* Structure that no S3 sends: refused quickly, without a crash */
static void
test_hostile_structure (void)
{
  g_autoptr(GString) deep = g_string_new ("<ListPartsResult>");
  g_autoptr(GString) huge = g_string_new ("<ListPartsResult>");
  g_autoptr(GString) long_text = g_string_new ("<InitiateMultipartUploadResult><UploadId>");
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GTimer) timer = g_timer_new ();

  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "<Part>");
  while (huge->len <= SENDOFF_S3_MAX_BODY)
    g_string_append (huge, PART ("1", "\"e\"", "1"));
  g_string_append (huge, "</ListPartsResult>");
  for (guint i = 0; i < 20000; i++)
    g_string_append_c (long_text, 'a');
  g_string_append (long_text, "</UploadId></InitiateMultipartUploadResult>");

  g_ptr_array_add (bodies, text (deep->str));
  g_ptr_array_add (bodies, text (huge->str));
  g_ptr_array_add (bodies, text (long_text->str));
  /* No entity expansion: GMarkup knows no DTDs */
  g_ptr_array_add (bodies, text ("<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
                                 "<ListPartsResult><UploadId>&b;</UploadId></ListPartsResult>"));
  g_ptr_array_add (bodies, text ("<ListPartsResult><X>&unknown;</X></ListPartsResult>"));
  g_ptr_array_add (bodies, text ("<ListPartsResult>\xff\xfe</ListPartsResult>"));
  g_ptr_array_add (bodies, g_bytes_new ("<ListPartsResult>\0</ListPartsResult>", 36));
  g_ptr_array_add (bodies, text ("<ListPartsResult></ListPartsResult><ListPartsResult>"));
  g_ptr_array_add (bodies, text ("<ListPartsResult>"));
  g_ptr_array_add (bodies, text ("   "));
  g_ptr_array_add (bodies, text ("ListPartsResult"));

  for (guint i = 0; i < bodies->len; i++)
    {
      GBytes *body = g_ptr_array_index (bodies, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) initiate_error = NULL;
      g_autoptr(SendoffS3PartList) list = sendoff_s3_parse_list_parts (body, "Listing", &error);
      g_autofree char *upload_id = sendoff_s3_parse_initiate (body, "Starting", &initiate_error);

      g_test_message ("body %u", i);
      g_assert_null (list);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
      g_assert_null (upload_id);
      g_assert_error (initiate_error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL);
      g_assert_null (sendoff_s3_parse_error (body));
    }
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 5.0);
}

/* ---- the CompleteMultipartUpload body --------------------------------- */

static void
test_complete_body (void)
{
  const SendoffS3Part parts[] = {
    { 3, (char *) "\"c3\"", 0 },
    { 1, (char *) "\"a&b<c>'\"", 0 },
    { 2, (char *) "plain-etag", 0 },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *body = sendoff_s3_complete_body_new (parts, G_N_ELEMENTS (parts), &error);
  g_autoptr(GMarkupParseContext) context = NULL;
  static const GMarkupParser no_parser = { 0 };

  g_assert_no_error (error);
  g_assert_cmpstr (body, ==,
                   "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                   "<Part><PartNumber>1</PartNumber>"
                   "<ETag>&quot;a&amp;b&lt;c&gt;&apos;&quot;</ETag></Part>"
                   "<Part><PartNumber>2</PartNumber><ETag>plain-etag</ETag></Part>"
                   "<Part><PartNumber>3</PartNumber><ETag>&quot;c3&quot;</ETag></Part>"
                   "</CompleteMultipartUpload>");

  /* Well-formed XML */
  context = g_markup_parse_context_new (&no_parser, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (context, body, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
}

static void
test_complete_body_refused (void)
{
  const SendoffS3Part duplicate[] = { { 1, (char *) "\"a\"", 0 }, { 1, (char *) "\"b\"", 0 } };
  const SendoffS3Part zero[] = { { 0, (char *) "\"a\"", 0 } };
  const SendoffS3Part too_far[] = { { 10001, (char *) "\"a\"", 0 } };
  const SendoffS3Part no_etag[] = { { 1, NULL, 0 } };
  const SendoffS3Part empty_etag[] = { { 1, (char *) "", 0 } };
  const SendoffS3Part control[] = { { 1, (char *) "\"a\x01\"", 0 } };
  const SendoffS3Part not_utf8[] = { { 1, (char *) "\"a\xff\"", 0 } };
  const struct {
    const SendoffS3Part *parts;
    gsize                n;
  } cases[] = {
    { duplicate, 2 }, { zero, 1 }, { too_far, 1 }, { no_etag, 1 }, { empty_etag, 1 },
    { control, 1 }, { not_utf8, 1 }, { NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *body = sendoff_s3_complete_body_new (cases[i].parts, cases[i].n, &error);

      g_assert_null (body);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/s3-parse/error-aws", test_error_aws);
  g_test_add_func ("/sendoff/s3-parse/error-rgw", test_error_rgw);
  g_test_add_func ("/sendoff/s3-parse/error-not-xml", test_error_not_xml);
  g_test_add_func ("/sendoff/s3-parse/error-hostile-text", test_error_hostile_text);
  g_test_add_func ("/sendoff/s3-parse/classify", test_classify);
  g_test_add_func ("/sendoff/s3-parse/initiate", test_initiate);
  g_test_add_func ("/sendoff/s3-parse/initiate-hostile", test_initiate_hostile);
  g_test_add_func ("/sendoff/s3-parse/complete", test_complete);
  g_test_add_func ("/sendoff/s3-parse/complete-error-in-200", test_complete_error_in_200);
  g_test_add_func ("/sendoff/s3-parse/list-parts", test_list_parts);
  g_test_add_func ("/sendoff/s3-parse/list-parts-empty", test_list_parts_empty);
  g_test_add_func ("/sendoff/s3-parse/list-parts-hostile", test_list_parts_hostile);
  g_test_add_func ("/sendoff/s3-parse/check", test_check);
  g_test_add_func ("/sendoff/s3-parse/hostile-structure", test_hostile_structure);
  g_test_add_func ("/sendoff/s3-parse/complete-body", test_complete_body);
  g_test_add_func ("/sendoff/s3-parse/complete-body-refused", test_complete_body_refused);

  return g_test_run ();
}
