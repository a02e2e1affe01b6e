/* sendoff-util-private.h — small helpers shared inside the core
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Replaces *@str with a copy of @value; TRUE when it changed. (GLib's
 * g_set_str() arrived in 2.76; Debian 12 has 2.74.) */
static inline gboolean
_sendoff_set_str (char       **str,
                  const char  *value)
{
  if (g_strcmp0 (*str, value) == 0)
    return FALSE;
  g_free (*str);
  *str = g_strdup (value);
  return TRUE;
}

G_END_DECLS
