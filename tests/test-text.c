/* test-text.c — names made safe for a terminal
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "sendoff-text.h"

static void
test_escape_terminal (void)
{
  const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "report.pdf", "report.pdf" },
    { "photo é 写真.jpg", "photo é 写真.jpg" },
    { "\033]0;owned\007", "\\e]0;owned\\a" },
    { "\033[2Jclear", "\\e[2Jclear" },
    { "a\rb\nc\td", "a\\rb\\nc\\td" },
    { "\001\037\177", "\\x01\\x1F\\x7F" },
    { "\302\233" "31m", "\\u009B31m" },                   /* C1 CSI */
    { "abc\342\200\256gpj.exe", "abc\\u202Egpj.exe" },   /* right-to-left override */
    { "\342\201\246x\342\201\251", "\\u2066x\\u2069" },   /* isolates */
    { "\342\200\216\342\200\217\330\234", "\\u200E\\u200F\\u061C" },
    { "bad\377byte\300", "bad\\xFFbyte\\xC0" },
    { "back\\slash", "back\\\\slash" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = sendoff_str_escape_terminal (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }
  g_assert_null (sendoff_str_escape_terminal (NULL));
}

/* Whatever comes in, nothing a terminal acts on comes out */
static void
test_escape_random (void)
{
  for (guint round = 0; round < 2000; round++)
    {
      char in[33];
      g_autofree char *out = NULL;

      for (guint i = 0; i < sizeof in - 1; i++)
        in[i] = (char) g_test_rand_int_range (1, 256);
      in[sizeof in - 1] = '\0';
      out = sendoff_str_escape_terminal (in);

      g_assert_true (g_utf8_validate (out, -1, NULL));
      for (const char *p = out; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          g_assert_false (c < 0x20 || (c >= 0x7F && c <= 0x9F));
          g_assert_false ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069));
        }
    }
}

static void
test_width (void)
{
  g_assert_cmpuint (sendoff_str_width ("abc"), ==, 3);
  g_assert_cmpuint (sendoff_str_width ("写真"), ==, 4);
  g_assert_cmpuint (sendoff_str_width ("e\314\201"), ==, 1);   /* e + combining acute */
  g_assert_cmpuint (sendoff_str_width (""), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/text/escape-terminal", test_escape_terminal);
  g_test_add_func ("/sendoff/text/escape-random", test_escape_random);
  g_test_add_func ("/sendoff/text/width", test_width);

  return g_test_run ();
}
