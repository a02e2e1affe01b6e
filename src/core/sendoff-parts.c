/* sendoff-parts.c — how a file is cut into parts (S3's multipart rule)
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-parts"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-parts.h"
#include "sendoff-types.h"

#define MIB G_GUINT64_CONSTANT (1048576)

static guint64
div_round_up (guint64 a,
              guint64 b)
{
  return a / b + (a % b != 0);
}

gboolean
sendoff_plan_parts (const char  *name,
                    guint64      size,
                    guint64      preferred,
                    guint64      minimum,
                    guint64      maximum,
                    guint        max_parts,
                    guint64     *part_size,
                    guint       *n_parts,
                    GError     **error)
{
  guint64 chosen = MAX (preferred, minimum);
  guint64 needed;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (max_parts >= 1 && maximum >= 1, FALSE);
  g_return_val_if_fail (part_size != NULL && n_parts != NULL, FALSE);

  chosen = MIN (MAX (chosen, 1), maximum);

  /* the smallest part size that keeps the count at max_parts */
  needed = div_round_up (size, max_parts);
  if (needed > maximum)
    {
      g_autofree char *limit = NULL;

      /* maximum × max_parts cannot overflow here: it is below size */
      limit = g_format_size (maximum * max_parts);
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("“%s” is too large to send: the limit is %s"), name, limit);
      return FALSE;
    }

  if (needed > chosen)
    chosen = MIN (div_round_up (needed, MIB) * MIB, maximum);

  *part_size = chosen;
  *n_parts = (guint) MAX (div_round_up (size, chosen), 1);
  return TRUE;
}
