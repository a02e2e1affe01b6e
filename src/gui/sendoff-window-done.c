/* sendoff-window-done.c — the Done page: the link, its QR code and its expiry
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-format.h"
#include "sendoff-qr.h"
#include "sendoff-window-private.h"

/* Pixels per module: crisp at an integer scale, about 160 px for a link */
#define QR_SCALE 4

static void
update_link_label (SendoffWindow *self,
                   const char    *text)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  /* A link wrapped by character must not gain hyphens that are not in it */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->link_label, attrs);
  gtk_label_set_wrap_mode (self->link_label, PANGO_WRAP_CHAR);
  gtk_label_set_use_markup (self->link_label, FALSE);
  gtk_label_set_label (self->link_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->link_label), text != NULL);
}

static void
update_qr (SendoffWindow *self,
           const char    *url)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self->qr_picture));
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *expiry = NULL;

  /* One device pixel per texture pixel on any screen: modules stay sharp */
  if (url != NULL)
    texture = sendoff_qr_texture_new (url, QR_SCALE * scale);
  /* An image draws its paintable at pixel-size logical pixels, whatever
   * the texture's own size: a 2× texture on a 2× screen is pixel-exact */
  gtk_image_set_from_paintable (self->qr_picture, GDK_PAINTABLE (texture));
  if (texture != NULL)
    gtk_image_set_pixel_size (self->qr_picture, gdk_texture_get_width (texture) / scale);

  expiry = sendoff_format_expiry (sendoff_transfer_get_link_expires_at (self->transfer),
                                  g_get_real_time () / G_USEC_PER_SEC);
  gtk_label_set_label (self->expiry_label, expiry != NULL ? expiry : "");
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_label), expiry != NULL);
  /* Its cell of the flow box goes with it, or an empty column stays */
  gtk_widget_set_visible (gtk_widget_get_parent (self->qr_box), texture != NULL || expiry != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->qr_picture), texture != NULL);
}

static void
on_scale_factor_changed (SendoffWindow *self)
{
  update_qr (self, sendoff_transfer_get_share_url (self->transfer));
}

void
_sendoff_window_done_init (SendoffWindow *self)
{
  g_signal_connect_object (self->qr_picture, "notify::scale-factor",
                           G_CALLBACK (on_scale_factor_changed), self, G_CONNECT_SWAPPED);
}

void
_sendoff_window_update_done_page (SendoffWindow *self)
{
  const char *url = sendoff_transfer_get_share_url (self->transfer);
  const char *result = sendoff_transfer_get_result (self->transfer);
  g_autofree char *name = sendoff_transfer_dup_effective_name (self->transfer);
  g_autofree char *description = NULL;
  g_autofree char *markup = NULL;

  update_link_label (self, url != NULL ? url : result);
  update_qr (self, url);

  if (url != NULL)
    /* Translators: the transfer's name */
    description = g_strdup_printf (_("Anyone with this link can download “%s”"), name);
  else
    description = g_strdup_printf (_("“%s” was sent"), name);

  /* A status page's description is Pango markup; the name is the user's text */
  markup = g_markup_escape_text (description, -1);
  adw_status_page_set_description (self->done_page, markup);
}
