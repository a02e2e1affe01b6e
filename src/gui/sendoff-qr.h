/* sendoff-qr.h — a QR code of the share link, as a texture
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The quiet zone around the code, in modules (the standard asks for 4) */
#define SENDOFF_QR_QUIET_ZONE 4

/* @text as a QR code, black on white whatever the style, @scale pixels per
 * module, with its quiet zone; NULL when @text does not fit in a QR code. */
GdkTexture *sendoff_qr_texture_new (const char *text,
                                    guint       scale);

G_END_DECLS
