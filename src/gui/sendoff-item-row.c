/* sendoff-item-row.c — one file in the window's list
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-file-groups.h"
#include "sendoff-format.h"
#include "sendoff-item-row.h"

struct _SendoffItemRow
{
  GtkWidget       parent_instance;

  SendoffItem    *item;
  SendoffFileGroup *group;

  GtkImage       *icon;
  GtkLabel       *name_label;
  GtkLabel       *state_label;
  GtkLabel       *detail_label;
  GtkProgressBar *progress_bar;
  GtkImage       *state_icon;
  GtkButton      *remove_button;
};

G_DEFINE_FINAL_TYPE (SendoffItemRow, sendoff_item_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

enum {
  REMOVE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static void
update_icon (SendoffItemRow *self)
{
  const char *content_type = sendoff_item_get_content_type (self->item);
  g_autoptr(GIcon) icon = NULL;

  if (content_type != NULL)
    icon = g_content_type_get_icon (content_type);
  if (icon == NULL)
    icon = g_themed_icon_new ("text-x-generic");

  gtk_image_set_from_gicon (self->icon, icon);
}

static char *
dup_detail (SendoffItem  *item,
            SendoffState  state)
{
  const char *error = sendoff_item_get_error (item);

  switch (state)
    {
    case SENDOFF_STATE_NEW:
      return g_format_size (sendoff_item_get_size (item));

    case SENDOFF_STATE_FAILED:
      if (error != NULL && *error != '\0')
        return g_strdup (error);
      G_GNUC_FALLTHROUGH;

    case SENDOFF_STATE_WAITING:
    case SENDOFF_STATE_SENDING:
    case SENDOFF_STATE_RETRYING:
    case SENDOFF_STATE_DONE:
    case SENDOFF_STATE_CANCELLED:
    default:
      return sendoff_format_progress (sendoff_item_get_bytes_sent (item),
                                      sendoff_item_get_size (item), -1);
    }
}

/* The name, and whether it is only GLib's readable stand-in for bytes
 * that are not UTF-8 */
static char *
dup_name_tooltip (SendoffItem *item)
{
  g_autofree char *basename = g_file_get_basename (sendoff_item_get_file (item));

  if (basename == NULL || g_utf8_validate (basename, -1, NULL))
    return g_strdup (sendoff_item_get_name (item));

  /* Translators: a file name, then why it looks odd */
  return g_strdup_printf (_("%s\nThe file’s name is not valid UTF-8: it is sent as shown"),
                          sendoff_item_get_name (item));
}

static void
update_state (SendoffItemRow *self)
{
  SendoffState state = sendoff_item_get_state (self->item);
  g_autofree char *detail = dup_detail (self->item, state);
  gboolean failed = state == SENDOFF_STATE_FAILED;
  gboolean done = state == SENDOFF_STATE_DONE;

  g_autofree char *tooltip = dup_name_tooltip (self->item);
  /* All bytes stored, the service not done with the file yet */
  gboolean finishing = state == SENDOFF_STATE_SENDING &&
                       sendoff_item_get_bytes_sent (self->item) >= sendoff_item_get_size (self->item);

  gtk_label_set_label (self->name_label, sendoff_item_get_name (self->item));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), tooltip);
  gtk_label_set_label (self->detail_label, detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_label), failed ? detail : NULL);
  gtk_label_set_label (self->state_label,
                       finishing ? C_("file state", "Finishing") : sendoff_format_state (state));
  gtk_progress_bar_set_fraction (self->progress_bar, sendoff_item_get_fraction (self->item));

  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), state == SENDOFF_STATE_NEW);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->remove_button), _("Remove"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), state != SENDOFF_STATE_NEW);
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), state != SENDOFF_STATE_NEW);
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), done || failed);

  gtk_image_set_from_icon_name (self->state_icon,
                                failed ? "dialog-error-symbolic" : "emblem-ok-symbolic");
  set_css_class (GTK_WIDGET (self->state_icon), "success", done);
  set_css_class (GTK_WIDGET (self->state_icon), "error", failed);
  set_css_class (GTK_WIDGET (self->detail_label), "error", failed);
  set_css_class (GTK_WIDGET (self->progress_bar), "error", failed);
  set_css_class (GTK_WIDGET (self->progress_bar), "success", done);
  set_css_class (GTK_WIDGET (self), "retrying", state == SENDOFF_STATE_RETRYING);
}

static void
update_group (SendoffItemRow *self)
{
  SendoffFileGroup *group = self->group;
  SendoffState state = sendoff_file_group_get_state (group);
  guint n = g_list_model_get_n_items (sendoff_file_group_get_files (group));
  guint64 size = sendoff_file_group_get_size (group);
  guint64 sent = sendoff_file_group_get_bytes_sent (group);
  gboolean failed = state == SENDOFF_STATE_FAILED;
  gboolean done = state == SENDOFF_STATE_DONE;
  g_autofree char *detail = NULL;

  if (state == SENDOFF_STATE_NEW)
    {
      g_autofree char *size_text = g_format_size (size);

      /* Translators: a folder's row, "150 files, 1.2 GB" */
      detail = g_strdup_printf (ngettext ("%u file, %s", "%u files, %s", n), n, size_text);
    }
  else
    detail = sendoff_format_progress (sent, size, -1);

  gtk_image_set_from_icon_name (self->icon, "folder");
  gtk_label_set_label (self->name_label, sendoff_file_group_get_name (group));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), sendoff_file_group_get_name (group));
  gtk_label_set_label (self->detail_label, detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_label), NULL);
  gtk_label_set_label (self->state_label, sendoff_format_state (state));
  gtk_progress_bar_set_fraction (self->progress_bar, size > 0 ? (double) sent / size
                                                              : done ? 1.0 : 0.0);

  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), state == SENDOFF_STATE_NEW);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->remove_button), _("Remove Folder"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), state != SENDOFF_STATE_NEW);
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), state != SENDOFF_STATE_NEW);
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), done || failed);
  gtk_image_set_from_icon_name (self->state_icon,
                                failed ? "dialog-error-symbolic" : "emblem-ok-symbolic");
  set_css_class (GTK_WIDGET (self->state_icon), "success", done);
  set_css_class (GTK_WIDGET (self->state_icon), "error", failed);
  set_css_class (GTK_WIDGET (self->detail_label), "error", failed);
  set_css_class (GTK_WIDGET (self->progress_bar), "error", failed);
  set_css_class (GTK_WIDGET (self->progress_bar), "success", done);
  set_css_class (GTK_WIDGET (self), "retrying", state == SENDOFF_STATE_RETRYING);
}

static void
on_item_notify (SendoffItemRow *self,
                GParamSpec     *pspec,
                SendoffItem    *item)
{
  if (g_strcmp0 (pspec->name, "content-type") == 0)
    update_icon (self);
  update_state (self);
}

static void
on_remove_clicked (SendoffItemRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

GtkWidget *
sendoff_item_row_new (void)
{
  return g_object_new (SENDOFF_TYPE_ITEM_ROW, NULL);
}

SendoffItem *
sendoff_item_row_get_item (SendoffItemRow *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM_ROW (self), NULL);

  return self->item;
}

void
sendoff_item_row_set_item (SendoffItemRow *self,
                           SendoffItem    *item)
{
  g_return_if_fail (SENDOFF_IS_ITEM_ROW (self));
  g_return_if_fail (item == NULL || SENDOFF_IS_ITEM (item));

  if (self->item == item)
    return;

  sendoff_item_row_set_group (self, NULL);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_notify, self);

  g_set_object (&self->item, item);

  if (item != NULL)
    {
      g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify), self,
                               G_CONNECT_SWAPPED);
      update_icon (self);
      update_state (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

SendoffFileGroup *
sendoff_item_row_get_group (SendoffItemRow *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM_ROW (self), NULL);

  return self->group;
}

void
sendoff_item_row_set_group (SendoffItemRow   *self,
                            SendoffFileGroup *group)
{
  g_return_if_fail (SENDOFF_IS_ITEM_ROW (self));
  g_return_if_fail (group == NULL || SENDOFF_IS_FILE_GROUP (group));

  if (self->group == group)
    return;

  if (group != NULL)
    sendoff_item_row_set_item (self, NULL);
  if (self->group != NULL)
    g_signal_handlers_disconnect_by_func (self->group, update_group, self);

  g_set_object (&self->group, group);

  if (group != NULL)
    {
      g_signal_connect_object (group, "notify::progress", G_CALLBACK (update_group), self,
                               G_CONNECT_SWAPPED);
      update_group (self);
    }
}

static void
sendoff_item_row_dispose (GObject *object)
{
  SendoffItemRow *self = (SendoffItemRow *)object;
  GtkWidget *child;

  sendoff_item_row_set_item (self, NULL);
  sendoff_item_row_set_group (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SENDOFF_TYPE_ITEM_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sendoff_item_row_parent_class)->dispose (object);
}

static void
sendoff_item_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SendoffItemRow *self = SENDOFF_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_item_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SendoffItemRow *self = SENDOFF_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      sendoff_item_row_set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_item_row_class_init (SendoffItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sendoff_item_row_dispose;
  object_class->get_property = sendoff_item_row_get_property;
  object_class->set_property = sendoff_item_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         SENDOFF_TYPE_ITEM,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REMOVE] =
    g_signal_new ("remove",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sendoff/Sendoff/sendoff-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SendoffItemRow, icon);
  gtk_widget_class_bind_template_child (widget_class, SendoffItemRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffItemRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffItemRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffItemRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SendoffItemRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SendoffItemRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sendoffitemrow");
}

static void
sendoff_item_row_init (SendoffItemRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
