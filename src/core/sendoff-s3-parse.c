/* sendoff-s3-parse.c — S3's XML answers read with GMarkup, and the one body Sendoff sends
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-s3"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "sendoff-error-private.h"
#include "sendoff-http.h"
#include "sendoff-s3-parse.h"

/* S3 documents are three levels deep; anything much deeper is hostile */
#define MAX_DEPTH      8
#define MAX_ELEMENTS   50000
#define MAX_TEXT       (16 * 1024)
#define MAX_ID_LENGTH  1024
#define MAX_PARTS      10000
#define MAX_PART_SIZE  G_GUINT64_CONSTANT (5368709120)

/* ---- a small element tree --------------------------------------------- */

typedef struct {
  char    *name;       /* local name: any "prefix:" dropped */
  GString *text;
} Element;

typedef struct {
  GNode *document;
  GNode *current;
  guint  depth;
  guint  n_elements;
} TreeBuilder;

static gboolean
element_free (GNode    *node,
              gpointer  data)
{
  Element *element = node->data;

  if (element != NULL)
    {
      g_free (element->name);
      g_string_free (element->text, TRUE);
      g_free (element);
    }
  return FALSE;
}

static void
tree_free (GNode *document)
{
  if (document == NULL)
    return;
  g_node_traverse (document, G_IN_ORDER, G_TRAVERSE_ALL, -1, element_free, NULL);
  g_node_destroy (document);
}

/* GNode has a cleanup of its own that would not free the elements */
typedef GNode Tree;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tree, tree_free)

static void
on_start (GMarkupParseContext  *context,
          const char           *name,
          const char          **attribute_names,
          const char          **attribute_values,
          gpointer              user_data,
          GError              **error)
{
  TreeBuilder *builder = user_data;
  const char *colon = strrchr (name, ':');
  Element *element;

  if (builder->depth >= MAX_DEPTH || builder->n_elements >= MAX_ELEMENTS)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too deep");
      return;
    }
  element = g_new0 (Element, 1);
  element->name = g_strdup (colon != NULL ? colon + 1 : name);
  element->text = g_string_new (NULL);
  builder->current = g_node_append_data (builder->current, element);
  builder->depth++;
  builder->n_elements++;
}

static void
on_end (GMarkupParseContext  *context,
        const char           *name,
        gpointer              user_data,
        GError              **error)
{
  TreeBuilder *builder = user_data;

  builder->current = builder->current->parent;
  builder->depth--;
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 len,
         gpointer              user_data,
         GError              **error)
{
  TreeBuilder *builder = user_data;
  Element *element = builder->current->data;

  if (element == NULL)
    return;  /* between the prolog and the root: only white space */
  if (element->text->len + len > MAX_TEXT)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too long");
      return;
    }
  g_string_append_len (element->text, text, len);
}

static const GMarkupParser tree_parser = { on_start, on_end, on_text, NULL, NULL };

/* The document node (its one child is the root element), or NULL */
static GNode *
tree_parse (GBytes *body)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  TreeBuilder builder = { 0 };
  const char *data;
  gsize len = 0;

  if (body == NULL || (data = g_bytes_get_data (body, &len)) == NULL || len == 0 ||
      len > SENDOFF_S3_MAX_BODY)
    return NULL;
  /* XML has no NUL; GMarkup would take it and every string would end there */
  if (memchr (data, '\0', len) != NULL)
    return NULL;

  builder.document = builder.current = g_node_new (NULL);
  context = g_markup_parse_context_new (&tree_parser, G_MARKUP_TREAT_CDATA_AS_TEXT,
                                        &builder, NULL);
  if (!g_markup_parse_context_parse (context, data, len, NULL) ||
      !g_markup_parse_context_end_parse (context, NULL) ||
      builder.document->children == NULL)
    {
      tree_free (builder.document);
      return NULL;
    }
  return builder.document;
}

static const char *
node_name (GNode *node)
{
  return ((Element *) node->data)->name;
}

/* The root element when it is called @name */
static GNode *
tree_root (GNode      *document,
           const char *name)
{
  if (document == NULL || strcmp (node_name (document->children), name) != 0)
    return NULL;
  return document->children;
}

static GNode *
child (GNode      *node,
       const char *name)
{
  for (GNode *c = node->children; c != NULL; c = c->next)
    if (strcmp (node_name (c), name) == 0)
      return c;
  return NULL;
}

/* The text of the child @name with white space around it dropped, or
 * NULL when there is no such child. Points into the tree. */
static const char *
child_text (GNode      *node,
            const char *name)
{
  GNode *c = child (node, name);

  if (c == NULL)
    return NULL;
  return g_strstrip (((Element *) c->data)->text->str);
}

/* ---- errors ----------------------------------------------------------- */

void
sendoff_s3_error_free (SendoffS3Error *error)
{
  if (error == NULL)
    return;
  g_free (error->code);
  g_free (error->message);
  g_free (error->request_id);
  g_free (error);
}

static char *
sanitized_child (GNode      *node,
                 const char *name)
{
  return sendoff_server_text_sanitize (child_text (node, name), -1);
}

static SendoffS3Error *
error_from_tree (GNode *document)
{
  GNode *root = tree_root (document, "Error");
  SendoffS3Error *error;

  if (root == NULL)
    return NULL;
  error = g_new0 (SendoffS3Error, 1);
  error->code = sanitized_child (root, "Code");
  error->message = sanitized_child (root, "Message");
  error->request_id = sanitized_child (root, "RequestId");
  return error;
}

SendoffS3Error *
sendoff_s3_parse_error (GBytes *body)
{
  g_autoptr(Tree) document = tree_parse (body);

  return error_from_tree (document);
}

static const struct {
  const char   *code;
  SendoffError  error;
} s3_codes[] = {
  /* The credentials, or what they may do */
  { "AccessDenied", SENDOFF_ERROR_AUTH },
  { "AccountProblem", SENDOFF_ERROR_AUTH },
  { "AllAccessDisabled", SENDOFF_ERROR_AUTH },
  { "ExpiredToken", SENDOFF_ERROR_AUTH },
  { "InvalidAccessKeyId", SENDOFF_ERROR_AUTH },
  { "InvalidToken", SENDOFF_ERROR_AUTH },
  { "SignatureDoesNotMatch", SENDOFF_ERROR_AUTH },
  { "TokenRefreshRequired", SENDOFF_ERROR_AUTH },
  /* Worth trying again, after a pause */
  { "InternalError", SENDOFF_ERROR_NETWORK },
  { "OperationAborted", SENDOFF_ERROR_NETWORK },
  { "RequestTimeout", SENDOFF_ERROR_NETWORK },
  { "ServiceUnavailable", SENDOFF_ERROR_NETWORK },
  { "SlowDown", SENDOFF_ERROR_NETWORK },
  { "Throttling", SENDOFF_ERROR_NETWORK },
  /* The same request will get the same answer */
  { "NoSuchUpload", SENDOFF_ERROR_SERVER },
  { "NoSuchBucket", SENDOFF_ERROR_SERVER },
  { "NoSuchKey", SENDOFF_ERROR_SERVER },
  { "RequestTimeTooSkewed", SENDOFF_ERROR_SERVER },
  { "EntityTooSmall", SENDOFF_ERROR_SERVER },
  { "EntityTooLarge", SENDOFF_ERROR_SERVER },
  { "InvalidPart", SENDOFF_ERROR_SERVER },
  { "InvalidPartOrder", SENDOFF_ERROR_SERVER },
  { "NotImplemented", SENDOFF_ERROR_SERVER },       /* R2 on x-amz-checksum-*: 501 */
  { "PermanentRedirect", SENDOFF_ERROR_SERVER },
  { "AuthorizationHeaderMalformed", SENDOFF_ERROR_SERVER },  /* the wrong region */
  { "QuotaExceeded", SENDOFF_ERROR_SERVER },
};

SendoffError
sendoff_s3_classify (const char *code,
                     guint       status,
                     gboolean   *retryable)
{
  SendoffError result;
  guint i;

  for (i = 0; code != NULL && i < G_N_ELEMENTS (s3_codes); i++)
    if (strcmp (code, s3_codes[i].code) == 0)
      break;

  if (code != NULL && i < G_N_ELEMENTS (s3_codes))
    result = s3_codes[i].error;
  else if (status == 408 || status == 429 || (status >= 500 && status < 600))
    result = SENDOFF_ERROR_NETWORK;
  else if (status == 401 || status == 403)
    result = SENDOFF_ERROR_AUTH;
  else if (status >= 300 && status < 400)
    result = SENDOFF_ERROR_PROTOCOL;
  else
    result = SENDOFF_ERROR_SERVER;

  if (retryable != NULL)
    *retryable = result == SENDOFF_ERROR_NETWORK;
  return result;
}

GError *
sendoff_s3_error_new (GBytes     *body,
                      guint       status,
                      gint64      retry_after,
                      const char *what)
{
  g_autoptr(SendoffS3Error) s3 = NULL;
  const char *phrase;
  GError *error;
  SendoffError code;

  g_return_val_if_fail (what != NULL, NULL);

  s3 = sendoff_s3_parse_error (body);
  code = sendoff_s3_classify (s3 != NULL ? s3->code : NULL, status, NULL);
  phrase = soup_status_get_phrase (status);

  if (s3 != NULL && s3->code != NULL && s3->message != NULL)
    error = g_error_new (SENDOFF_ERROR, code, _("%s failed: %s (%s, HTTP %u)"),
                         what, s3->message, s3->code, status);
  else if (s3 != NULL && s3->code != NULL)
    error = g_error_new (SENDOFF_ERROR, code, _("%s failed: the storage refused it (%s, HTTP %u)"),
                         what, s3->code, status);
  else if (s3 != NULL && s3->message != NULL)
    error = g_error_new (SENDOFF_ERROR, code, _("%s failed: %s (HTTP %u)"),
                         what, s3->message, status);
  else
    error = g_error_new (SENDOFF_ERROR, code, _("%s failed: %s (HTTP %u)"),
                         what, phrase != NULL && status >= 300 ? phrase : _("unexpected answer"),
                         status);

  if (s3 != NULL && s3->request_id != NULL)
    g_debug ("%s: request id %s", what, s3->request_id);
  _sendoff_error_set_http (error, status, retry_after);
  if (s3 != NULL)
    _sendoff_error_set_server_code (error, s3->code);
  return error;
}

/* ---- answers ---------------------------------------------------------- */

static gboolean
malformed (GError     **error,
           const char  *what,
           const char  *field)
{
  if (field != NULL)
    g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                 _("%s failed: the storage’s answer has no usable “%s”"), what, field);
  else
    g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_PROTOCOL,
                 _("%s failed: the storage’s answer is not the XML document expected"), what);
  return FALSE;
}

/* The root element @name of @body; an <Error> (even with status 200) or
 * anything else is an error. */
static GNode *
parse_answer (GBytes      *body,
              const char  *name,
              const char  *what,
              GError     **error)
{
  GNode *document = tree_parse (body);
  g_autoptr(SendoffS3Error) s3 = error_from_tree (document);

  if (s3 != NULL)
    {
      tree_free (document);
      g_propagate_error (error, sendoff_s3_error_new (body, SOUP_STATUS_OK, -1, what));
      return NULL;
    }
  if (tree_root (document, name) == NULL)
    {
      tree_free (document);
      malformed (error, what, NULL);
      return NULL;
    }
  return document;
}

/* Printable, without spaces or controls: an id that goes into a URL */
static gboolean
id_is_usable (const char *id)
{
  gsize len;

  if (id == NULL || (len = strlen (id)) == 0 || len > MAX_ID_LENGTH)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f)
      return FALSE;
  return TRUE;
}

/* Valid UTF-8 (GMarkup saw to it), bounded, without control characters */
static gboolean
etag_is_usable (const char *etag,
                gboolean    may_be_empty)
{
  if (etag == NULL || strlen (etag) > MAX_ID_LENGTH || (!may_be_empty && *etag == '\0'))
    return FALSE;
  for (const char *p = etag; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

char *
sendoff_s3_parse_initiate (GBytes      *body,
                           const char  *what,
                           GError     **error)
{
  g_autoptr(Tree) document = NULL;
  const char *upload_id;

  g_return_val_if_fail (what != NULL, NULL);

  if ((document = parse_answer (body, "InitiateMultipartUploadResult", what, error)) == NULL)
    return NULL;
  upload_id = child_text (document->children, "UploadId");
  if (!id_is_usable (upload_id))
    return malformed (error, what, "UploadId"), NULL;
  return g_strdup (upload_id);
}

void
sendoff_s3_completed_free (SendoffS3Completed *completed)
{
  if (completed == NULL)
    return;
  g_free (completed->location);
  g_free (completed->bucket);
  g_free (completed->key);
  g_free (completed->etag);
  g_free (completed);
}

SendoffS3Completed *
sendoff_s3_parse_complete (GBytes      *body,
                           const char  *what,
                           GError     **error)
{
  g_autoptr(Tree) document = NULL;
  SendoffS3Completed *completed;
  GNode *root;
  const char *etag;

  g_return_val_if_fail (what != NULL, NULL);

  if ((document = parse_answer (body, "CompleteMultipartUploadResult", what, error)) == NULL)
    return NULL;
  root = document->children;
  etag = child_text (root, "ETag");
  if (etag != NULL && !etag_is_usable (etag, TRUE))
    return malformed (error, what, "ETag"), NULL;

  completed = g_new0 (SendoffS3Completed, 1);
  completed->location = sanitized_child (root, "Location");
  completed->bucket = sanitized_child (root, "Bucket");
  completed->key = sanitized_child (root, "Key");
  completed->etag = g_strdup (etag);
  return completed;
}

static void
part_clear (gpointer data)
{
  g_free (((SendoffS3Part *) data)->etag);
}

void
sendoff_s3_part_list_free (SendoffS3PartList *list)
{
  if (list == NULL)
    return;
  g_clear_pointer (&list->parts, g_array_unref);
  g_free (list);
}

static gboolean
parse_uint (const char *text,
            guint64     min,
            guint64     max,
            guint64    *out)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, min, max, out, NULL);
}

static gboolean
parse_part (GNode         *node,
            SendoffS3Part *part)
{
  const char *etag = child_text (node, "ETag");
  const char *size = child_text (node, "Size");
  guint64 number;

  if (!parse_uint (child_text (node, "PartNumber"), 1, MAX_PARTS, &number) ||
      !etag_is_usable (etag, FALSE) ||
      (size != NULL && !parse_uint (size, 0, MAX_PART_SIZE, &part->size)))
    return FALSE;
  part->number = number;
  part->etag = g_strdup (etag);
  return TRUE;
}

SendoffS3PartList *
sendoff_s3_parse_list_parts (GBytes      *body,
                             const char  *what,
                             GError     **error)
{
  g_autoptr(Tree) document = NULL;
  g_autoptr(SendoffS3PartList) list = NULL;
  const char *truncated, *marker;
  guint max_number = 0;
  guint64 next = 0;
  GNode *root;

  g_return_val_if_fail (what != NULL, NULL);

  if ((document = parse_answer (body, "ListPartsResult", what, error)) == NULL)
    return NULL;
  root = document->children;

  list = g_new0 (SendoffS3PartList, 1);
  list->parts = g_array_new (FALSE, TRUE, sizeof (SendoffS3Part));
  g_array_set_clear_func (list->parts, part_clear);
  for (GNode *c = root->children; c != NULL; c = c->next)
    {
      SendoffS3Part part = { 0 };

      if (strcmp (node_name (c), "Part") != 0)
        continue;
      if (list->parts->len >= MAX_PARTS || !parse_part (c, &part))
        return malformed (error, what, "Part"), NULL;
      g_array_append_val (list->parts, part);
      max_number = MAX (max_number, part.number);
    }

  truncated = child_text (root, "IsTruncated");
  if (truncated != NULL && strcmp (truncated, "true") != 0 && strcmp (truncated, "false") != 0)
    return malformed (error, what, "IsTruncated"), NULL;
  list->is_truncated = g_strcmp0 (truncated, "true") == 0;

  marker = child_text (root, "NextPartNumberMarker");
  if (marker != NULL && *marker != '\0' && !parse_uint (marker, 0, MAX_PARTS, &next))
    return malformed (error, what, "NextPartNumberMarker"), NULL;
  /* A truncated list that would not move on would be asked for forever */
  if (list->is_truncated && (next == 0 || next < max_number || list->parts->len == 0))
    return malformed (error, what, "NextPartNumberMarker"), NULL;
  list->next_part_number_marker = next;
  return g_steal_pointer (&list);
}

gboolean
sendoff_s3_parse_check (GBytes      *body,
                        const char  *what,
                        GError     **error)
{
  g_autoptr(Tree) document = NULL;
  g_autoptr(SendoffS3Error) s3 = NULL;

  g_return_val_if_fail (what != NULL, FALSE);

  document = tree_parse (body);
  if ((s3 = error_from_tree (document)) != NULL)
    {
      g_propagate_error (error, sendoff_s3_error_new (body, SOUP_STATUS_OK, -1, what));
      return FALSE;
    }
  if (tree_root (document, "ListAllMyBucketsResult") == NULL &&
      tree_root (document, "ListBucketResult") == NULL)
    return malformed (error, what, NULL);
  return TRUE;
}

/* ---- the CompleteMultipartUpload body --------------------------------- */

static int
part_compare (gconstpointer a,
              gconstpointer b)
{
  guint na = (*(const SendoffS3Part **) a)->number;
  guint nb = (*(const SendoffS3Part **) b)->number;

  return (na > nb) - (na < nb);
}

char *
sendoff_s3_complete_body_new (const SendoffS3Part  *parts,
                              gsize                 n_parts,
                              GError              **error)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (n_parts == 0 || parts != NULL, NULL);

  if (n_parts == 0 || n_parts > MAX_PARTS)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("An upload must have between 1 and %u parts."), MAX_PARTS);
      return NULL;
    }

  sorted = g_ptr_array_sized_new (n_parts);
  for (gsize i = 0; i < n_parts; i++)
    g_ptr_array_add (sorted, (gpointer) &parts[i]);
  g_ptr_array_sort (sorted, part_compare);

  out = g_string_new ("<CompleteMultipartUpload "
                      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
  for (guint i = 0; i < sorted->len; i++)
    {
      const SendoffS3Part *part = g_ptr_array_index (sorted, i);
      g_autofree char *etag = NULL;

      if (part->number < 1 || part->number > MAX_PARTS ||
          (i > 0 && part->number == ((SendoffS3Part *) g_ptr_array_index (sorted, i - 1))->number) ||
          part->etag == NULL || !g_utf8_validate (part->etag, -1, NULL) ||
          !etag_is_usable (part->etag, FALSE))
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("Part %u cannot be completed: its number or its ETag is not usable."),
                       part->number);
          return NULL;
        }
      etag = g_markup_escape_text (part->etag, -1);
      g_string_append_printf (out, "<Part><PartNumber>%u</PartNumber><ETag>%s</ETag></Part>",
                              part->number, etag);
    }
  g_string_append (out, "</CompleteMultipartUpload>");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
