/* sendoff-text.c — text that is safe to show
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-text"

#include "config.h"

#include <string.h>

#include "sendoff-text.h"

static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200E || c == 0x200F || c == 0x061C;
}

static void
append_c0 (GString *out,
           guchar   c)
{
  switch (c)
    {
    case 0x1B: g_string_append (out, "\\e"); break;
    case '\a': g_string_append (out, "\\a"); break;
    case '\r': g_string_append (out, "\\r"); break;
    case '\n': g_string_append (out, "\\n"); break;
    case '\t': g_string_append (out, "\\t"); break;
    default:   g_string_append_printf (out, "\\x%02X", c); break;
    }
}

char *
sendoff_str_escape_terminal (const char *text)
{
  GString *out;
  const char *p, *end;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  end = text + strlen (text);
  for (p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guchar) *p);
          p++;
          continue;
        }

      if (c < 0x20 || c == 0x7F)
        append_c0 (out, (guchar) c);
      else if (c == '\\')
        g_string_append (out, "\\\\");
      else if ((c >= 0x80 && c <= 0x9F) || is_bidi_control (c))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

gsize
sendoff_unichar_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

gsize
sendoff_str_width (const char *text)
{
  gsize width = 0;

  g_return_val_if_fail (text != NULL, 0);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += sendoff_unichar_width (g_utf8_get_char (p));

  return width;
}
