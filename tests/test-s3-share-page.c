/* test-s3-share-page.c — the HTML share page: what a browser would show, and nothing more
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sendoff-s3-share-page.h"
#include "sendoff-types.h"

/* The page is also well-formed XML, so GMarkup can read it the way a
 * browser would: every element with its attributes and the text inside
 * it (entities decoded). */

typedef struct {
  char    *name;
  char    *class;
  char    *href;
  char    *datetime;
  GString *text;     /* all text inside, descendants included */
} Node;

typedef struct {
  GPtrArray *nodes;  /* every element, in document order */
  GPtrArray *open;
} Page;

static void
node_free (gpointer data)
{
  Node *node = data;

  g_free (node->name);
  g_free (node->class);
  g_free (node->href);
  g_free (node->datetime);
  g_string_free (node->text, TRUE);
  g_free (node);
}

static const char *const allowed_elements[] = {
  "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "p", "br",
  "ul", "li", "a", "span", "time", "footer",
};

static void
on_start (GMarkupParseContext  *context,
          const char           *name,
          const char          **attribute_names,
          const char          **attribute_values,
          gpointer              user_data,
          GError              **error)
{
  Page *page = user_data;
  Node *node = g_new0 (Node, 1);

  g_assert_true (g_strv_contains (allowed_elements, name));
  node->name = g_strdup (name);
  node->text = g_string_new (NULL);
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      /* No event handler, no resource loaded from anywhere */
      g_assert_false (g_ascii_strncasecmp (attribute_names[i], "on", 2) == 0);
      g_assert_cmpstr (attribute_names[i], !=, "src");
      g_assert_cmpstr (attribute_names[i], !=, "style");
      if (strcmp (attribute_names[i], "class") == 0)
        node->class = g_strdup (attribute_values[i]);
      else if (strcmp (attribute_names[i], "href") == 0)
        node->href = g_strdup (attribute_values[i]);
      else if (strcmp (attribute_names[i], "datetime") == 0)
        node->datetime = g_strdup (attribute_values[i]);
    }
  g_ptr_array_add (page->nodes, node);
  g_ptr_array_add (page->open, node);
}

static void
on_end (GMarkupParseContext  *context,
        const char           *name,
        gpointer              user_data,
        GError              **error)
{
  Page *page = user_data;

  g_ptr_array_remove_index (page->open, page->open->len - 1);
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 len,
         gpointer              user_data,
         GError              **error)
{
  Page *page = user_data;

  for (guint i = 0; i < page->open->len; i++)
    g_string_append_len (((Node *) g_ptr_array_index (page->open, i))->text, text, len);
}

static Page *
page_parse (const char *html)
{
  static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Page *page = g_new0 (Page, 1);

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n"));
  g_assert_true (g_utf8_validate (html, -1, NULL));
  page->nodes = g_ptr_array_new_with_free_func (node_free);
  page->open = g_ptr_array_new ();
  context = g_markup_parse_context_new (&parser, 0, page, NULL);
  g_markup_parse_context_parse (context, html, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  return page;
}

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->nodes);
  g_ptr_array_unref (page->open);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

/* Every element called @name (and of @class when not NULL) */
static GPtrArray *
page_find (Page       *page,
           const char *name,
           const char *class)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < page->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (page->nodes, i);

      if (strcmp (node->name, name) == 0 && (class == NULL || g_strcmp0 (node->class, class) == 0))
        g_ptr_array_add (found, node);
    }
  return found;
}

static Node *
page_find_one (Page       *page,
               const char *name,
               const char *class)
{
  g_autoptr(GPtrArray) found = page_find (page, name, class);

  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

static GDateTime *
expiry (void)
{
  return g_date_time_new_utc (2026, 12, 7, 14, 0, 0);
}

static void
test_structure (void)
{
  const SendoffS3ShareFile files[] = {
    { "<img src=x onerror=alert(1)>.txt", 1536,
      "https://s3.example.com/b/sendoff/t/%3Cimg.txt?X-Amz-Signature=1&X-Amz-Date=2" },
    { "Tom & Jerry's \"best\".mkv", G_GUINT64_CONSTANT (3221225472),
      "https://s3.example.com/b/k2?a=\"x\"&b=<y>" },
    { "photos/2026/IMG_0001.jpg", 0, "http://127.0.0.1:7480/b/k3" },
  };
  g_autoptr(GDateTime) expires = expiry ();
  g_autoptr(GError) error = NULL;
  g_autofree char *html = sendoff_s3_share_page_new ("Holiday </title><script>alert(1)</script>",
                                                     "Hi!\nHere are the <b>files</b> & more.",
                                                     files, G_N_ELEMENTS (files), expires,
                                                     &error);
  g_autoptr(Page) page = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) sizes = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) breaks = NULL;
  g_autofree char *total_size = g_format_size (1536 + G_GUINT64_CONSTANT (3221225472));
  g_autofree char *total = g_strdup_printf ("3 files, %s in total", total_size);
  Node *time;

  g_assert_no_error (error);
  page = page_parse (html);

  g_assert_cmpstr (page_find_one (page, "title", NULL)->text->str, ==,
                   "Holiday </title><script>alert(1)</script>");
  g_assert_cmpstr (page_find_one (page, "h1", NULL)->text->str, ==,
                   "Holiday </title><script>alert(1)</script>");
  g_assert_cmpstr (page_find_one (page, "p", "message")->text->str, ==,
                   "Hi!Here are the <b>files</b> & more.");
  breaks = page_find (page, "br", NULL);
  g_assert_cmpuint (breaks->len, ==, 1);

  names = page_find (page, "span", "name");
  sizes = page_find (page, "span", "size");
  links = page_find (page, "a", NULL);
  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (files));
  g_assert_cmpuint (sizes->len, ==, G_N_ELEMENTS (files));
  g_assert_cmpuint (links->len, ==, G_N_ELEMENTS (files));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *size = g_format_size (files[i].size);

      g_assert_cmpstr (((Node *) g_ptr_array_index (names, i))->text->str, ==, files[i].name);
      g_assert_cmpstr (((Node *) g_ptr_array_index (sizes, i))->text->str, ==, size);
      g_assert_cmpstr (((Node *) g_ptr_array_index (links, i))->href, ==, files[i].url);
    }

  g_assert_cmpstr (page_find_one (page, "p", "total")->text->str, ==, total);
  time = page_find_one (page, "time", NULL);
  g_assert_cmpstr (time->datetime, ==, "2026-12-07T14:00:00Z");
  g_assert_cmpstr (time->text->str, ==, "7 December 2026, 14:00 UTC");
  g_assert_cmpstr (page_find_one (page, "p", "expiry")->text->str, ==,
                   "Links expire on 7 December 2026, 14:00 UTC.");
}

/* Nothing loaded from anywhere, nothing run: the page stands alone */
static void
test_self_contained (void)
{
  const SendoffS3ShareFile files[] = {
    { "a.txt", 1, "https://s3.example.com/b/a.txt" },
    { "b.txt", 2, "https://s3.example.com/b/b.txt" },
  };
  g_autoptr(GDateTime) expires = expiry ();
  g_autofree char *html = sendoff_s3_share_page_new (NULL, NULL, files, G_N_ELEMENTS (files),
                                                     expires, NULL);
  g_autoptr(Page) page = page_parse (html);
  const char *forbidden[] = { "<script", "<link", "<img", "<iframe", "url(", "@import",
                              "src=", "//fonts." };
  g_autoptr(GPtrArray) messages = page_find (page, "p", "message");

  for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
    g_assert_null (strstr (html, forbidden[i]));
  g_assert_nonnull (strstr (html, "<meta charset=\"utf-8\" />"));
  g_assert_nonnull (strstr (html, "prefers-color-scheme: dark"));
  g_assert_nonnull (strstr (html, "name=\"viewport\""));
  g_assert_nonnull (strstr (html, "default-src 'none'"));
  /* No name, no message: a title of its own and no empty paragraph */
  g_assert_cmpstr (page_find_one (page, "h1", NULL)->text->str, ==, "Shared Files");
  g_assert_cmpuint (messages->len, ==, 0);
  g_assert_cmpstr (page_find_one (page, "p", "total")->text->str, ==, "2 files, 3 bytes in total");
}

/* Names are data: what could fool the reader is shown as U+FFFD */
static void
test_unsafe_characters (void)
{
  const struct {
    const char *name;
    const char *shown;
  } cases[] = {
    /* RIGHT-TO-LEFT OVERRIDE: would read "invoice_exe.pdf" */
    { "invoice_\xe2\x80\xae" "fdp.exe", "invoice_\xef\xbf\xbd" "fdp.exe" },
    { "a\xe2\x81\xa6" "b\xe2\x81\xa9" "c\xe2\x80\x8f", "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" },
    { "\x1b[31mred\x7f\r\nx", "\xef\xbf\xbd[31mred\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx" },
    { "bad\xff\xfe.bin", "bad\xef\xbf\xbd\xef\xbf\xbd.bin" },
    { "line\xe2\x80\xa8sep", "line\xef\xbf\xbdsep" },
    /* Kept: joined emoji, right-to-left script, combining accents */
    { "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7.png",
      "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7.png" },
    { "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d.txt", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d.txt" },
    { "cafe\xcc\x81 menu.pdf", "cafe\xcc\x81 menu.pdf" },
  };
  g_autoptr(GDateTime) expires = expiry ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SendoffS3ShareFile file = { cases[i].name, 1, "https://s3.example.com/b/k" };
      g_autofree char *html = sendoff_s3_share_page_new (cases[i].name, cases[i].name, &file, 1,
                                                         expires, NULL);
      g_autoptr(Page) page = page_parse (html);

      g_test_message ("case %u", i);
      g_assert_cmpstr (page_find_one (page, "span", "name")->text->str, ==, cases[i].shown);
      g_assert_cmpstr (page_find_one (page, "h1", NULL)->text->str, ==, cases[i].shown);
    }
}

static void
test_refused (void)
{
  const char *urls[] = {
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>", "//evil.example/x",
    "https://h/a b", "https://h/\n", "ftp://h/k", "",
  };
  g_autoptr(GDateTime) expires = expiry ();
  g_autoptr(GError) error = NULL;
  g_autofree char *none = sendoff_s3_share_page_new ("t", NULL, NULL, 0, expires, &error);

  g_assert_null (none);
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      const SendoffS3ShareFile files[] = {
        { "good.txt", 1, "https://s3.example.com/b/good.txt" },
        { "bad.txt", 1, urls[i] },
      };
      g_autoptr(GError) url_error = NULL;
      g_autofree char *html = sendoff_s3_share_page_new ("t", NULL, files, 2, expires, &url_error);

      g_assert_null (html);
      g_assert_error (url_error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
    }
}

/* The date is the same instant whatever zone it was given in */
static void
test_expiry_zone (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("-05:00");
  g_autoptr(GDateTime) expires = g_date_time_new (zone, 2026, 12, 31, 22, 30, 0);
  const SendoffS3ShareFile file = { "a", 1, "https://h/a" };
  g_autofree char *html = sendoff_s3_share_page_new ("t", NULL, &file, 1, expires, NULL);
  g_autoptr(Page) page = page_parse (html);
  Node *time = page_find_one (page, "time", NULL);

  g_assert_cmpstr (time->datetime, ==, "2027-01-01T03:30:00Z");
  g_assert_cmpstr (time->text->str, ==, "1 January 2027, 03:30 UTC");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/s3-share-page/structure", test_structure);
  g_test_add_func ("/sendoff/s3-share-page/self-contained", test_self_contained);
  g_test_add_func ("/sendoff/s3-share-page/unsafe-characters", test_unsafe_characters);
  g_test_add_func ("/sendoff/s3-share-page/refused", test_refused);
  g_test_add_func ("/sendoff/s3-share-page/expiry-zone", test_expiry_zone);

  return g_test_run ();
}
