/* sendoff-setup-page.c — "Where should files go?": choose a backend, fill it in, check, save
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-setup-page.h"

struct _SendoffSetupPage
{
  GtkBox               parent_instance;

  GSettings           *settings;

  GtkStack            *stack;
  GtkWidget           *intro_icon;
  GtkWidget           *title_label;
  GtkWidget           *intro_label;
  AdwPreferencesGroup *backends_group;
  GtkLabel            *backend_label;
  GtkLabel            *backend_description;
  AdwBin              *editor_bin;
};

G_DEFINE_FINAL_TYPE (SendoffSetupPage, sendoff_setup_page, GTK_TYPE_BOX)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_editor_saved (SendoffSetupPage         *self,
                 SendoffDestinationEditor *editor)
{
  g_signal_emit (self, signals[SAVED], 0, sendoff_destination_editor_get_destination (editor));
}

SendoffDestinationEditor *
sendoff_setup_page_choose (SendoffSetupPage *self,
                           const char       *backend_id,
                           const char       *preset_id)
{
  const SendoffBackendInfo *backend;
  g_autoptr(SendoffDestination) destination = NULL;
  GtkWidget *editor;

  g_return_val_if_fail (SENDOFF_IS_SETUP_PAGE (self), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (self->settings), NULL);

  backend = sendoff_backend_lookup (backend_id);
  g_return_val_if_fail (backend != NULL, NULL);

  destination = sendoff_destination_new (backend, NULL);
  editor = sendoff_destination_editor_new (destination, self->settings);
  if (preset_id != NULL)
    sendoff_destination_editor_apply_preset (SENDOFF_DESTINATION_EDITOR (editor), preset_id);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self,
                           G_CONNECT_SWAPPED);

  gtk_label_set_text (self->backend_label, g_dgettext (GETTEXT_PACKAGE, backend->display_name));
  gtk_label_set_text (self->backend_description,
                      backend->description ? g_dgettext (GETTEXT_PACKAGE, backend->description)
                                           : "");
  adw_bin_set_child (self->editor_bin, editor);
  gtk_stack_set_visible_child_name (self->stack, "edit");
  gtk_widget_grab_focus (_sendoff_destination_editor_get_row (SENDOFF_DESTINATION_EDITOR (editor),
                                                              "name"));

  return SENDOFF_DESTINATION_EDITOR (editor);
}

SendoffDestinationEditor *
sendoff_setup_page_get_editor (SendoffSetupPage *self)
{
  g_return_val_if_fail (SENDOFF_IS_SETUP_PAGE (self), NULL);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "edit"))
    return NULL;

  return SENDOFF_DESTINATION_EDITOR (adw_bin_get_child (self->editor_bin));
}

void
sendoff_setup_page_reset (SendoffSetupPage *self)
{
  g_return_if_fail (SENDOFF_IS_SETUP_PAGE (self));

  gtk_stack_set_visible_child_name (self->stack, "choose");
  adw_bin_set_child (self->editor_bin, NULL);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sendoff_setup_page_reset (SENDOFF_SETUP_PAGE (widget));
}

static void
on_row_activated (SendoffSetupPage *self,
                  AdwActionRow     *row)
{
  sendoff_setup_page_choose (self, g_object_get_data (G_OBJECT (row), "sendoff-backend"),
                             g_object_get_data (G_OBJECT (row), "sendoff-preset"));
}

static void
add_row (SendoffSetupPage *self,
         const char       *backend_id,
         const char       *preset_id,
         const char       *title,
         const char       *subtitle,
         const char       *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  /* Names come from declarations and translations: never markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "sendoff-backend", (gpointer) backend_id);
  g_object_set_data (G_OBJECT (row), "sendoff-preset", (gpointer) preset_id);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_row_activated), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->backends_group, row);
}

/* One row per backend, or per preset where a backend has presets */
static void
fill_backends (SendoffSetupPage *self)
{
  const SendoffBackendInfo *const *list = sendoff_backend_list ();

  for (guint i = 0; list[i] != NULL; i++)
    {
      const SendoffBackendInfo *b = list[i];
      const char *name = g_dgettext (GETTEXT_PACKAGE, b->display_name);

      if (b->presets == NULL || b->presets[0].id == NULL)
        {
          add_row (self, b->id, NULL, name,
                   b->description ? g_dgettext (GETTEXT_PACKAGE, b->description) : NULL,
                   b->icon_name);
          continue;
        }

      for (const SendoffPresetSpec *p = b->presets; p->id != NULL; p++)
        add_row (self, b->id, p->id, g_dgettext (GETTEXT_PACKAGE, p->label), name, b->icon_name);
    }
}

static void
sendoff_setup_page_dispose (GObject *object)
{
  SendoffSetupPage *self = SENDOFF_SETUP_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SENDOFF_TYPE_SETUP_PAGE);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sendoff_setup_page_parent_class)->dispose (object);
}

static void
sendoff_setup_page_class_init (SendoffSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sendoff_setup_page_dispose;

  /**
   * SendoffSetupPage::saved:
   * @destination: the destination just saved
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, SENDOFF_TYPE_DESTINATION);

  g_type_ensure (SENDOFF_TYPE_DESTINATION_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sendoff/Sendoff/sendoff-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SendoffSetupPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SendoffSetupPage, intro_icon);
  gtk_widget_class_bind_template_child (widget_class, SendoffSetupPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffSetupPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffSetupPage, backends_group);
  gtk_widget_class_bind_template_child (widget_class, SendoffSetupPage, backend_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffSetupPage, backend_description);
  gtk_widget_class_bind_template_child (widget_class, SendoffSetupPage, editor_bin);

  gtk_widget_class_install_action (widget_class, "setup.back", NULL, back_activated);
}

static void
sendoff_setup_page_init (SendoffSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_backends (self);
}

GtkWidget *
sendoff_setup_page_new (GSettings *settings)
{
  SendoffSetupPage *self = g_object_new (SENDOFF_TYPE_SETUP_PAGE, NULL);

  sendoff_setup_page_set_settings (self, settings);

  return GTK_WIDGET (self);
}

void
sendoff_setup_page_set_settings (SendoffSetupPage *self,
                                 GSettings        *settings)
{
  g_return_if_fail (SENDOFF_IS_SETUP_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
}

void
sendoff_setup_page_set_intro_visible (SendoffSetupPage *self,
                                      gboolean          visible)
{
  g_return_if_fail (SENDOFF_IS_SETUP_PAGE (self));

  gtk_widget_set_visible (self->intro_icon, visible);
  gtk_widget_set_visible (self->title_label, visible);
  gtk_widget_set_visible (self->intro_label, visible);
}
