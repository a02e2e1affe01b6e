/* sendoff-s3-share-page.c — the HTML page that lists the files of a transfer sent to S3
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-s3"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sendoff-s3-share-page.h"
#include "sendoff-types.h"

/* Adwaita's palette; no '<', '>' or '&' in here (the page is also XML) */
static const char page_style[] =
  ":root { color-scheme: light dark; --bg: #fafafb; --card: #ffffff; --fg: #1e1e1e;"
  " --dim: #5e5c64; --line: #deddda; --accent: #1c71d8; }\n"
  "@media (prefers-color-scheme: dark) { :root { --bg: #222226; --card: #2e2e32;"
  " --fg: #ffffff; --dim: #c0bfbc; --line: #3d3846; --accent: #78aeed; } }\n"
  "* { box-sizing: border-box; }\n"
  "body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5;"
  " font: 16px/1.5 Cantarell, Inter, system-ui, -apple-system, 'Segoe UI', Roboto,"
  " sans-serif; }\n"
  "main { max-width: 40rem; margin: 0 auto; padding: 2rem 1rem 3rem; }\n"
  "h1 { font-size: 1.6rem; margin: 0 0 0.5rem; overflow-wrap: anywhere; }\n"
  ".message { margin: 0 0 1.5rem; color: var(--dim); overflow-wrap: anywhere; }\n"
  "ul { list-style: none; margin: 0; padding: 0; background: var(--card);"
  " border: 1px solid var(--line); border-radius: 12px; overflow: hidden; }\n"
  "li + li { border-top: 1px solid var(--line); }\n"
  "a { display: flex; gap: 1rem; align-items: baseline; padding: 0.9rem 1rem;"
  " color: var(--fg); text-decoration: none; }\n"
  "a:hover, a:focus { background: color-mix(in srgb, var(--accent) 10%, transparent); }\n"
  ".name { flex: 1; min-width: 0; overflow-wrap: anywhere; color: var(--accent);"
  " font-weight: 600; }\n"
  ".size { color: var(--dim); white-space: nowrap; font-variant-numeric: tabular-nums; }\n"
  ".total, .expiry { margin: 1rem 0 0; color: var(--dim); }\n"
  "footer { margin-top: 2.5rem; font-size: 0.85rem; color: var(--dim); }\n";

static gboolean
is_unsafe (gunichar c,
           gboolean allow_newline)
{
  if (c == '\n')
    return !allow_newline;
  /* Bidirectional embeddings, overrides, isolates and marks: they make
   * "gpj.exe" read as "exe.jpg". Line separators break the layout. */
  return g_unichar_iscntrl (c) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200E || c == 0x200F || c == 0x061C || c == 0x2028 || c == 0x2029;
}

/* @text as HTML text (and attribute value): valid UTF-8, '&<>"\'' as
 * references, anything unsafe as U+FFFD; with @allow_newline, line
 * breaks as <br />. */
static void
append_escaped (GString    *out,
                const char *text,
                gboolean    allow_newline)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\r' && allow_newline && p[1] == '\n')
        continue;
      if (c == '\t' && allow_newline)
        c = ' ';
      if (c == '\n' && allow_newline)
        g_string_append (out, "<br />");
      else if (is_unsafe (c, allow_newline))
        g_string_append_unichar (out, 0xFFFD);
      else if (c == '&')
        g_string_append (out, "&amp;");
      else if (c == '<')
        g_string_append (out, "&lt;");
      else if (c == '>')
        g_string_append (out, "&gt;");
      else if (c == '"')
        g_string_append (out, "&quot;");
      else if (c == '\'')
        g_string_append (out, "&#39;");
      else
        g_string_append_unichar (out, c);
    }
}

static gboolean
url_is_usable (const char *url)
{
  if (url == NULL || !g_utf8_validate (url, -1, NULL))
    return FALSE;
  if (g_ascii_strncasecmp (url, "https://", 8) != 0 && g_ascii_strncasecmp (url, "http://", 7) != 0)
    return FALSE;
  for (const char *p = url; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* "en-GB" for the language the strings are shown in */
static char *
page_language (void)
{
  const char *name = g_get_language_names ()[0];
  GString *lang = g_string_new (NULL);

  for (const char *p = name; *p != '\0' && *p != '.' && *p != '@'; p++)
    {
      if (g_ascii_isalpha (*p))
        g_string_append_c (lang, *p);
      else if (*p == '_' || *p == '-')
        g_string_append_c (lang, '-');
    }
  if (lang->len < 2 || strcmp (lang->str, "C") == 0 || strcmp (lang->str, "POSIX") == 0)
    g_string_assign (lang, "en");
  return g_string_free (lang, FALSE);
}

static void
append_head (GString    *out,
             const char *title)
{
  g_autofree char *lang = page_language ();

  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n", lang);
  g_string_append (out,
                   "<meta charset=\"utf-8\" />\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
                   "<meta name=\"color-scheme\" content=\"light dark\" />\n"
                   /* Defence in depth: even a name that escaped escaping runs nothing */
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                   " style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\" />\n"
                   "<meta name=\"referrer\" content=\"no-referrer\" />\n"
                   "<meta name=\"robots\" content=\"noindex, nofollow\" />\n"
                   "<title>");
  append_escaped (out, title, FALSE);
  g_string_append_printf (out, "</title>\n<style>\n%s</style>\n</head>\n", page_style);
}

static void
append_file (GString                  *out,
             const SendoffS3ShareFile *file)
{
  g_autofree char *size = g_format_size (file->size);

  g_string_append (out, "<li><a href=\"");
  append_escaped (out, file->url, FALSE);
  g_string_append (out, "\"><span class=\"name\" dir=\"auto\">");
  append_escaped (out, file->name, FALSE);
  g_string_append (out, "</span> <span class=\"size\">");
  append_escaped (out, size, FALSE);
  g_string_append (out, "</span></a></li>\n");
}

/* @format (one "%s") escaped as text, with @html put in for the "%s" */
static void
append_sentence (GString    *out,
                 const char *format,
                 const char *html)
{
  const char *mark = strstr (format, "%s");
  g_autofree char *before = NULL;

  if (mark == NULL)
    {
      append_escaped (out, format, FALSE);
      return;
    }
  before = g_strndup (format, mark - format);
  append_escaped (out, before, FALSE);
  g_string_append (out, html);
  append_escaped (out, mark + 2, FALSE);
}

static void
append_footer (GString   *out,
               gsize      n_files,
               guint64    total,
               GDateTime *expires)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (expires);
  g_autofree char *total_size = g_format_size (total);
  /* TRANSLATORS: when the links of a share page stop working, in UTC;
   * the format of g_date_time_format() */
  g_autofree char *date = g_date_time_format (utc, C_("share page", "%-d %B %Y, %H:%M UTC"));
  g_autofree char *iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *files_text = NULL;
  g_autoptr(GString) time_html = g_string_new (NULL);

  files_text = g_strdup_printf (ngettext ("%u file, %s in total", "%u files, %s in total",
                                          n_files),
                                (guint) n_files, total_size);
  g_string_append (out, "</ul>\n<p class=\"total\">");
  append_escaped (out, files_text, FALSE);

  g_string_append_printf (time_html, "<time datetime=\"%s\">", iso);
  append_escaped (time_html, date, FALSE);
  g_string_append (time_html, "</time>");
  g_string_append (out, "</p>\n<p class=\"expiry\">");
  /* TRANSLATORS: %s is a date, "7 December 2026, 14:00 UTC" */
  append_sentence (out, _("Links expire on %s."), time_html->str);

  g_string_append (out, "</p>\n<footer>");
  append_escaped (out, _("Sent with Sendoff"), FALSE);
  g_string_append (out, "</footer>\n</main>\n</body>\n</html>\n");
}

char *
sendoff_s3_share_page_new (const char                *title,
                           const char                *message,
                           const SendoffS3ShareFile  *files,
                           gsize                      n_files,
                           GDateTime                 *expires,
                           GError                   **error)
{
  g_autoptr(GString) out = NULL;
  guint64 total = 0;

  g_return_val_if_fail (n_files == 0 || files != NULL, NULL);
  g_return_val_if_fail (expires != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_files == 0)
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           _("A share page needs at least one file."));
      return NULL;
    }
  for (gsize i = 0; i < n_files; i++)
    {
      if (!url_is_usable (files[i].url))
        {
          g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("A file of the share page has no usable link."));
          return NULL;
        }
      total += files[i].size;
    }

  if (title == NULL || *title == '\0')
    title = _("Shared Files");

  out = g_string_new (NULL);
  append_head (out, title);
  g_string_append (out, "<body>\n<main>\n<header>\n<h1 dir=\"auto\">");
  append_escaped (out, title, FALSE);
  g_string_append (out, "</h1>\n");
  if (message != NULL && *message != '\0')
    {
      g_string_append (out, "<p class=\"message\" dir=\"auto\">");
      append_escaped (out, message, TRUE);
      g_string_append (out, "</p>\n");
    }
  g_string_append (out, "</header>\n<ul>\n");
  for (gsize i = 0; i < n_files; i++)
    append_file (out, &files[i]);
  append_footer (out, n_files, total, expires);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
