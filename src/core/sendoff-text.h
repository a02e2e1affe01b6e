/* sendoff-text.h — text that is safe to show
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A copy of @text that a terminal shows as is, and cannot be steered by:
 * C0 controls and DEL (ESC, BEL, CR, LF, TAB…) become \e, \a, \r, \n, \t or
 * \xNN; C1 controls and the bidirectional controls (U+202A–U+202E,
 * U+2066–U+2069, U+200E, U+200F, U+061C) become \uNNNN; bytes that are not
 * UTF-8 become \xNN; a backslash becomes \\ so that an escape cannot be
 * faked. NULL gives NULL. */
char *sendoff_str_escape_terminal (const char *text);

/* The number of terminal columns @text (valid UTF-8) takes: wide (East
 * Asian) characters count two, combining marks none. */
gsize sendoff_str_width           (const char *text);
/* The same for one character: 0, 1 or 2 */
gsize sendoff_unichar_width       (gunichar    c);

G_END_DECLS
