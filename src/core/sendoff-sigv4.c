/* sendoff-sigv4.c — AWS Signature Version 4 for S3 requests and presigned URLs
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-sigv4"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sendoff-sigv4.h"
#include "sendoff-types.h"

#define ALGORITHM   "AWS4-HMAC-SHA256"
#define DIGEST_LEN  32

static void
append_encoded (GString      *out,
                const guchar *data,
                gsize         len,
                gboolean      keep_slash)
{
  static const char hex[] = "0123456789ABCDEF";

  for (gsize i = 0; i < len; i++)
    {
      guchar c = data[i];

      if (g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~' ||
          (keep_slash && c == '/'))
        {
          g_string_append_c (out, c);
        }
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
}

char *
sendoff_sigv4_uri_encode (const char *s,
                          gboolean    keep_slash)
{
  GString *out;

  g_return_val_if_fail (s != NULL, NULL);

  out = g_string_sized_new (strlen (s) + 16);
  append_encoded (out, (const guchar *) s, strlen (s), keep_slash);
  return g_string_free (out, FALSE);
}

char *
sendoff_sigv4_format_date (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

char *
sendoff_sigv4_host_for_uri (GUri *uri)
{
  const char *scheme, *host;
  g_autofree char *name = NULL;
  int port;

  g_return_val_if_fail (uri != NULL, NULL);

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  g_return_val_if_fail (scheme != NULL && host != NULL && *host != '\0', NULL);

  /* Browsers send the host in lower case: a presigned link must match */
  if (strchr (host, ':') != NULL)
    {
      g_autofree char *down = g_ascii_strdown (host, -1);

      name = g_strdup_printf ("[%s]", down);
    }
  else if (g_hostname_is_non_ascii (host))
    {
      g_autofree char *ascii = g_hostname_to_ascii (host);

      if (ascii == NULL)
        return NULL;
      name = g_ascii_strdown (ascii, -1);
    }
  else
    {
      name = g_ascii_strdown (host, -1);
    }

  port = g_uri_get_port (uri);
  if (port == -1 ||
      (port == 80 && g_ascii_strcasecmp (scheme, "http") == 0) ||
      (port == 443 && g_ascii_strcasecmp (scheme, "https") == 0))
    return g_steal_pointer (&name);
  return g_strdup_printf ("%s:%d", name, port);
}

/* ---- canonical request ---------------------------------------------- */

typedef struct {
  char  *name;
  char  *value;
  guint  index;     /* keeps the given order of equal header names */
} Pair;

static void
pair_free (gpointer data)
{
  Pair *pair = data;

  g_free (pair->name);
  g_free (pair->value);
  g_free (pair);
}

static int
pair_compare (gconstpointer a,
              gconstpointer b)
{
  const Pair *pa = *(const Pair **) a;
  const Pair *pb = *(const Pair **) b;
  int c = strcmp (pa->name, pb->name);

  return c != 0 ? c : strcmp (pa->value, pb->value);
}

static int
pair_compare_name (gconstpointer a,
                   gconstpointer b)
{
  const Pair *pa = *(const Pair **) a;
  const Pair *pb = *(const Pair **) b;
  int c = strcmp (pa->name, pb->name);

  return c != 0 ? c : (pa->index > pb->index) - (pa->index < pb->index);
}

/* name=value&… with both sides encoded, sorted by name then value */
static char *
canonical_query (const SendoffSigv4Pair *query,
                 gsize                   n_query)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (pair_free);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < n_query; i++)
    {
      Pair *pair = g_new0 (Pair, 1);

      pair->name = sendoff_sigv4_uri_encode (query[i].name, FALSE);
      pair->value = sendoff_sigv4_uri_encode (query[i].value ? query[i].value : "", FALSE);
      g_ptr_array_add (pairs, pair);
    }
  g_ptr_array_sort (pairs, pair_compare);

  for (guint i = 0; i < pairs->len; i++)
    {
      Pair *pair = g_ptr_array_index (pairs, i);

      g_string_append_printf (out, "%s%s=%s", i > 0 ? "&" : "", pair->name, pair->value);
    }
  return g_string_free (out, FALSE);
}

/* Trimmed, with every run of spaces inside made one */
static char *
header_value_trim (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value ? value : ""; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t')
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static void
add_header (GPtrArray  *headers,
            const char *name,
            const char *value)
{
  Pair *pair = g_new0 (Pair, 1);

  pair->name = g_ascii_strdown (name, -1);
  pair->value = header_value_trim (value);
  pair->index = headers->len;
  g_ptr_array_add (headers, pair);
}

/* Sorted by name; several values of one name joined with ',' in the
 * order given. Appends "name:value\n"… to @out, returns "a;b;c". */
static char *
canonical_headers (const SendoffSigv4Request *request,
                   const char                *amz_date,
                   GString                   *out)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (pair_free);
  GString *signed_headers = g_string_new (NULL);

  add_header (headers, "host", request->host);
  if (amz_date != NULL)
    add_header (headers, "x-amz-date", amz_date);
  for (gsize i = 0; i < request->n_headers; i++)
    add_header (headers, request->headers[i].name, request->headers[i].value);
  g_ptr_array_sort (headers, pair_compare_name);

  for (guint i = 0; i < headers->len; i++)
    {
      Pair *pair = g_ptr_array_index (headers, i);
      const char *value = pair->value;

      if (i > 0 && strcmp (pair->name, ((Pair *) g_ptr_array_index (headers, i - 1))->name) == 0)
        {
          g_string_truncate (out, out->len - 1);
          g_string_append_printf (out, ",%s\n", value);
          continue;
        }
      g_string_append_printf (out, "%s:%s\n", pair->name, value);
      g_string_append_printf (signed_headers, "%s%s", signed_headers->len > 0 ? ";" : "",
                              pair->name);
    }
  return g_string_free (signed_headers, FALSE);
}

static gboolean
request_is_valid (const SendoffSigv4Request *request)
{
  return request != NULL && request->method != NULL && request->host != NULL &&
         request->path != NULL && request->payload_hash != NULL &&
         (request->n_query == 0 || request->query != NULL) &&
         (request->n_headers == 0 || request->headers != NULL);
}

/* The canonical request, and the list of signed headers it names */
static char *
build_canonical_request (const SendoffSigv4Request  *request,
                         const char                 *amz_date,
                         char                      **signed_headers)
{
  g_autofree char *query = canonical_query (request->query, request->n_query);
  g_autofree char *names = NULL;
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s\n%s\n%s\n", request->method,
                          *request->path != '\0' ? request->path : "/", query);
  names = canonical_headers (request, amz_date, out);
  g_string_append_printf (out, "\n%s\n%s", names, request->payload_hash);
  if (signed_headers != NULL)
    *signed_headers = g_steal_pointer (&names);
  return g_string_free (out, FALSE);
}

char *
sendoff_sigv4_canonical_request (const SendoffSigv4Request *request,
                                 const char                *amz_date)
{
  g_return_val_if_fail (request_is_valid (request), NULL);

  return build_canonical_request (request, amz_date, NULL);
}

static char *
scope_for (const SendoffSigv4Key *key,
           const char            *amz_date)
{
  return g_strdup_printf ("%.8s/%s/%s/aws4_request", amz_date, key->region, key->service);
}

char *
sendoff_sigv4_string_to_sign (const SendoffSigv4Key *key,
                              const char            *amz_date,
                              const char            *canonical_request)
{
  g_autofree char *scope = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (key != NULL && key->region != NULL && key->service != NULL, NULL);
  g_return_val_if_fail (amz_date != NULL && strlen (amz_date) == 16, NULL);
  g_return_val_if_fail (canonical_request != NULL, NULL);

  scope = scope_for (key, amz_date);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical_request, -1);
  return g_strdup_printf (ALGORITHM "\n%s\n%s\n%s", amz_date, scope, hash);
}

static void
hmac_sha256 (const guchar *key,
             gsize         key_len,
             const char   *data,
             guchar        digest[DIGEST_LEN])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = DIGEST_LEN;

  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, digest, &len);
  g_assert (len == DIGEST_LEN);
}

/* HMAC chain "AWS4"+secret → date → region → service → "aws4_request" →
 * string to sign. Every intermediate key is derived from the secret and
 * is wiped, like the secret's own copy. */
static char *
signature_for (const SendoffSigv4Key *key,
               const char            *amz_date,
               const char            *string_to_sign)
{
  g_autofree char *date = g_strndup (amz_date, 8);
  gsize secret_len = strlen (key->secret_access_key);
  gsize k_secret_len = secret_len + 4;
  guchar *k_secret = g_malloc (k_secret_len);
  guchar k[DIGEST_LEN], k2[DIGEST_LEN];
  char hex[2 * DIGEST_LEN + 1];

  memcpy (k_secret, "AWS4", 4);
  memcpy (k_secret + 4, key->secret_access_key, secret_len);
  hmac_sha256 (k_secret, k_secret_len, date, k);
  explicit_bzero (k_secret, k_secret_len);
  g_free (k_secret);

  hmac_sha256 (k, DIGEST_LEN, key->region, k2);
  hmac_sha256 (k2, DIGEST_LEN, key->service, k);
  hmac_sha256 (k, DIGEST_LEN, "aws4_request", k2);
  hmac_sha256 (k2, DIGEST_LEN, string_to_sign, k);
  for (guint i = 0; i < DIGEST_LEN; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", k[i]);
  explicit_bzero (k, sizeof k);
  explicit_bzero (k2, sizeof k2);
  return g_strdup (hex);
}

static gboolean
key_is_valid (const SendoffSigv4Key *key)
{
  return key != NULL && key->access_key_id != NULL && key->secret_access_key != NULL &&
         key->region != NULL && *key->region != '\0' &&
         key->service != NULL && *key->service != '\0';
}

char *
sendoff_sigv4_sign (const SendoffSigv4Key     *key,
                    const SendoffSigv4Request *request,
                    GDateTime                 *time,
                    char                     **amz_date)
{
  g_autofree char *date = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *to_sign = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *signed_headers = NULL;

  g_return_val_if_fail (key_is_valid (key), NULL);
  g_return_val_if_fail (request_is_valid (request) && time != NULL, NULL);

  date = sendoff_sigv4_format_date (time);
  canonical = build_canonical_request (request, date, &signed_headers);
  to_sign = sendoff_sigv4_string_to_sign (key, date, canonical);
  signature = signature_for (key, date, to_sign);
  scope = scope_for (key, date);

  if (amz_date != NULL)
    *amz_date = g_steal_pointer (&date);
  return g_strdup_printf (ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                          key->access_key_id, scope, signed_headers, signature);
}

/* ---- a SoupMessage ---------------------------------------------------- */

static gboolean
bad_uri (GError **error)
{
  g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("The request address is not validly encoded."));
  return FALSE;
}

/* The path as the server will decode it, encoded again the SigV4 way:
 * segment by segment, so an encoded "/" (%2F) inside a name stays one. */
static char *
canonical_path_from_raw (const char  *raw,
                         GError     **error)
{
  g_auto(GStrv) segments = g_strsplit (*raw != '\0' ? raw : "/", "/", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autoptr(GBytes) bytes = g_uri_unescape_bytes (segments[i], -1, NULL, NULL);
      gsize len;
      const guchar *data;

      if (bytes == NULL)
        {
          g_string_free (out, TRUE);
          bad_uri (error);
          return NULL;
        }
      data = g_bytes_get_data (bytes, &len);
      if (i > 0)
        g_string_append_c (out, '/');
      append_encoded (out, data, len, FALSE);
    }
  return g_string_free (out, FALSE);
}

static char *
unescape_string (const char *s,
                 gssize      len)
{
  g_autoptr(GBytes) bytes = g_uri_unescape_bytes (s, len, NULL, NULL);
  gsize size;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (size > 0 && memchr (data, '\0', size) != NULL)
    return NULL;
  return g_strndup (data != NULL ? data : "", size);
}

/* Raw name/value pairs of a query string; NULL on a bad escape. The
 * strings live in @strings. */
static GArray *
query_pairs_from_raw (const char *raw,
                      GPtrArray  *strings)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, TRUE, sizeof (SendoffSigv4Pair));
  g_auto(GStrv) parts = g_strsplit (raw != NULL ? raw : "", "&", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      SendoffSigv4Pair pair;
      char *name, *value;

      if (*parts[i] == '\0')
        continue;
      name = unescape_string (parts[i], eq != NULL ? eq - parts[i] : -1);
      value = unescape_string (eq != NULL ? eq + 1 : "", -1);
      g_ptr_array_add (strings, name);
      g_ptr_array_add (strings, value);
      if (name == NULL || value == NULL)
        return NULL;
      pair.name = name;
      pair.value = value;
      g_array_append_val (pairs, pair);
    }
  return g_steal_pointer (&pairs);
}

static gboolean
header_is_signed (const char *name)
{
  static const char *const names[] = {
    "content-type", "content-md5", "content-disposition", "range",
  };

  if (g_ascii_strncasecmp (name, "x-amz-", 6) == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
sendoff_sigv4_sign_message (const SendoffSigv4Key  *key,
                            SoupMessage            *msg,
                            const char             *payload_hash,
                            GDateTime              *time,
                            GError                **error)
{
  GUri *uri;
  SoupMessageHeaders *headers;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *amz_date = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) query = NULL;
  g_autoptr(GArray) signed_headers = g_array_new (FALSE, TRUE, sizeof (SendoffSigv4Pair));
  SendoffSigv4Request request = { 0 };

  g_return_val_if_fail (key_is_valid (key), FALSE);
  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);
  g_return_val_if_fail (payload_hash != NULL && time != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  uri = soup_message_get_uri (msg);
  headers = soup_message_get_request_headers (msg);
  if ((host = sendoff_sigv4_host_for_uri (uri)) == NULL ||
      (path = canonical_path_from_raw (g_uri_get_path (uri), error)) == NULL)
    return host == NULL ? bad_uri (error) : FALSE;
  if ((query = query_pairs_from_raw (g_uri_get_query (uri), strings)) == NULL)
    return bad_uri (error);

  /* Signing again (a retry) replaces the previous signature */
  soup_message_headers_remove (headers, "Authorization");
  soup_message_headers_remove (headers, "x-amz-date");
  soup_message_headers_replace (headers, "x-amz-content-sha256", payload_hash);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (header_is_signed (name))
      g_array_append_val (signed_headers, ((SendoffSigv4Pair) { name, value }));

  request.method = soup_message_get_method (msg);
  request.host = host;
  request.path = path;
  request.query = (const SendoffSigv4Pair *) query->data;
  request.n_query = query->len;
  request.headers = (const SendoffSigv4Pair *) signed_headers->data;
  request.n_headers = signed_headers->len;
  request.payload_hash = payload_hash;
  authorization = sendoff_sigv4_sign (key, &request, time, &amz_date);

  /* libsoup writes its own Host only when none is set: set the signed one */
  soup_message_headers_replace (headers, "Host", host);
  soup_message_headers_replace (headers, "x-amz-date", amz_date);
  soup_message_headers_replace (headers, "Authorization", authorization);
  return TRUE;
}

/* ---- presigned URLs --------------------------------------------------- */

char *
sendoff_sigv4_presign (const SendoffSigv4Key   *key,
                       const char              *method,
                       const char              *origin,
                       const char              *path,
                       const SendoffSigv4Pair  *query,
                       gsize                    n_query,
                       guint                    expires,
                       GDateTime               *time,
                       GError                 **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GArray) params = NULL;
  g_autofree char *host = NULL;
  g_autofree char *date = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *to_sign = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *query_text = NULL;
  g_autofree char *base = NULL;
  SendoffSigv4Request request = { 0 };

  g_return_val_if_fail (key_is_valid (key), NULL);
  g_return_val_if_fail (method != NULL && origin != NULL && path != NULL && *path == '/', NULL);
  g_return_val_if_fail (n_query == 0 || query != NULL, NULL);
  g_return_val_if_fail (expires >= 1 && expires <= SENDOFF_SIGV4_MAX_EXPIRES, NULL);
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = g_uri_parse (origin, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "http") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (*g_uri_get_path (uri) != '\0' && strcmp (g_uri_get_path (uri), "/") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL ||
      (host = sendoff_sigv4_host_for_uri (uri)) == NULL)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("“%s” is not a storage address (scheme://host[:port])."), origin);
      return NULL;
    }

  date = sendoff_sigv4_format_date (time);
  scope = scope_for (key, date);
  credential = g_strdup_printf ("%s/%s", key->access_key_id, scope);
  expires_text = g_strdup_printf ("%u", expires);

  params = g_array_new (FALSE, TRUE, sizeof (SendoffSigv4Pair));
  if (n_query > 0)
    g_array_append_vals (params, query, n_query);
  g_array_append_val (params, ((SendoffSigv4Pair) { "X-Amz-Algorithm", ALGORITHM }));
  g_array_append_val (params, ((SendoffSigv4Pair) { "X-Amz-Credential", credential }));
  g_array_append_val (params, ((SendoffSigv4Pair) { "X-Amz-Date", date }));
  g_array_append_val (params, ((SendoffSigv4Pair) { "X-Amz-Expires", expires_text }));
  g_array_append_val (params, ((SendoffSigv4Pair) { "X-Amz-SignedHeaders", "host" }));

  request.method = method;
  request.host = host;
  request.path = path;
  request.query = (const SendoffSigv4Pair *) params->data;
  request.n_query = params->len;
  request.payload_hash = SENDOFF_SIGV4_UNSIGNED_PAYLOAD;
  canonical = sendoff_sigv4_canonical_request (&request, NULL);
  to_sign = sendoff_sigv4_string_to_sign (key, date, canonical);
  signature = signature_for (key, date, to_sign);

  query_text = canonical_query (request.query, request.n_query);
  base = g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), host);
  return g_strdup_printf ("%s%s?%s&X-Amz-Signature=%s", base, request.path, query_text,
                          signature);
}
