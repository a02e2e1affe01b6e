/* sendoff-qr.c — a QR code of the share link, as a texture
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <string.h>

#include <qrencode.h>

#include "sendoff-qr.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QRcode, QRcode_free)

GdkTexture *
sendoff_qr_texture_new (const char *text,
                        guint       scale)
{
  g_autoptr(QRcode) code = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels;
  gsize side, stride;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (scale > 0 && scale <= 64, NULL);

  /* Medium error correction: a phone reads it off a screen at an angle */
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, TRUE);
  if (code == NULL)
    return NULL;

  side = ((gsize) code->width + 2 * SENDOFF_QR_QUIET_ZONE) * scale;
  stride = side * 3;
  pixels = g_malloc (stride * side);
  /* White everywhere, then the dark modules: readers want dark on light */
  memset (pixels, 0xff, stride * side);

  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      {
        if (!(code->data[y * code->width + x] & 1))
          continue;

        for (guint dy = 0; dy < scale; dy++)
          {
            gsize row = ((y + SENDOFF_QR_QUIET_ZONE) * scale + dy) * stride;

            memset (pixels + row + (x + SENDOFF_QR_QUIET_ZONE) * scale * 3, 0, scale * 3);
          }
      }

  bytes = g_bytes_new_take (pixels, stride * side);
  return gdk_memory_texture_new (side, side, GDK_MEMORY_R8G8B8, bytes, stride);
}
