/* sendoff-preferences-window.c — destinations and sending settings
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-preferences-window.h"

#include "sendoff-credentials.h"
#include "sendoff-setup-page.h"

struct _SendoffPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwPreferencesGroup  *destinations_group;
  GtkAdjustment        *jobs_adjustment;

  GSettings            *settings;
  GPtrArray            *rows;          /* the destination rows shown */
  GtkWidget            *subpage_child; /* the editor or setup page of the open subpage */
  GCancellable         *cancellable;
  guint                 n_pending;
};

G_DEFINE_FINAL_TYPE (SendoffPreferencesWindow, sendoff_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  DESTINATION_SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_busy (SendoffPreferencesWindow *self,
          gboolean                  busy)
{
  guint before = self->n_pending;

  if (busy)
    self->n_pending++;
  else if (self->n_pending > 0)
    self->n_pending--;

  if ((before == 0) != (self->n_pending == 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* @title is plain text (it holds destination names): toasts take markup */
static void
toast (SendoffPreferencesWindow *self,
       const char               *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 3);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), t);
}

/* ---- the list of destinations ------------------------------------------ */

/* "<the backend's display name> · <its first address>" */
static char *
dup_where (SendoffDestination *destination)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);
  const char *name = g_dgettext (GETTEXT_PACKAGE, backend->display_name);

  for (const SendoffOptionSpec *spec = backend->options; spec && spec->key; spec++)
    {
      const char *value = sendoff_destination_get_option (destination, spec->key);

      if (spec->type == SENDOFF_OPTION_URL && value != NULL && *value != '\0')
        /* TRANSLATORS: a kind of server, then its address */
        return g_strdup_printf (_("%s · %s"), name, value);
    }

  return g_strdup (name);
}

static GMenuModel *
create_row_menu (SendoffDestination *destination,
                 gboolean            is_default)
{
  GMenu *menu = g_menu_new ();
  const char *id = sendoff_destination_get_id (destination);
  g_autoptr(GMenuItem) make_default = g_menu_item_new (_("Make _Default"), NULL);
  g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Remove…"), NULL);

  g_menu_item_set_action_and_target (make_default, "prefs.make-default", "s", id);
  g_menu_item_set_action_and_target (remove, "prefs.remove", "s", id);
  if (!is_default)
    g_menu_append_item (menu, make_default);
  g_menu_append_item (menu, remove);

  return G_MENU_MODEL (menu);
}

static void
on_row_activated (SendoffPreferencesWindow *self,
                  AdwActionRow             *row)
{
  g_autoptr(SendoffDestination) destination =
    sendoff_destination_find (self->settings, g_object_get_data (G_OBJECT (row), "sendoff-id"));

  if (destination != NULL)
    sendoff_preferences_window_edit (self, destination, NULL);
}

static GtkWidget *
create_row (SendoffPreferencesWindow *self,
            SendoffDestination       *destination,
            gboolean                  is_default)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);
  g_autofree char *where = dup_where (destination);
  g_autoptr(GMenuModel) menu = create_row_menu (destination, is_default);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_menu_button_new ();

  /* A name is the user's text: never markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 sendoff_destination_get_name (destination));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), backend->icon_name);
  gtk_widget_set_tooltip_text (row, where);

  if (is_default)
    {
      GtkWidget *label = gtk_label_new (_("Default"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_tooltip_text (button, _("More"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "sendoff-id",
                          g_strdup (sendoff_destination_get_id (destination)), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_row_activated), self,
                           G_CONNECT_SWAPPED);

  return row;
}

static void
reload_destinations (SendoffPreferencesWindow *self)
{
  g_autoptr(GPtrArray) list = sendoff_destination_list_saved (self->settings);
  g_autofree char *default_id = g_settings_get_string (self->settings, "default-destination");

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->destinations_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < list->len; i++)
    {
      SendoffDestination *destination = g_ptr_array_index (list, i);
      GtkWidget *row = create_row (self, destination,
                                   g_str_equal (default_id, sendoff_destination_get_id (destination)));

      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (self->destinations_group, row);
    }

  if (list->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No destination yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Add one to say where files should go"));
      gtk_widget_add_css_class (row, "dim-label");
      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (self->destinations_group, row);
    }
}

/* ---- subpages ---------------------------------------------------------- */

static void
close_subpage (SendoffPreferencesWindow *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  self->subpage_child = NULL;
}

static void
present_subpage (SendoffPreferencesWindow *self,
                 const char               *title,
                 GtkWidget                *child,
                 gboolean                  scrolled)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *window_title = adw_window_title_new (title, NULL);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");

  gtk_widget_set_tooltip_text (back, _("Back"));
  g_signal_connect_object (back, "clicked", G_CALLBACK (close_subpage), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), window_title);
  gtk_box_append (GTK_BOX (box), header);

  if (scrolled)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();
      GtkWidget *clamp = adw_clamp_new ();

      gtk_widget_set_margin_top (child, 24);
      gtk_widget_set_margin_bottom (child, 24);
      gtk_widget_set_margin_start (child, 12);
      gtk_widget_set_margin_end (child, 12);
      adw_clamp_set_child (ADW_CLAMP (clamp), child);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
      gtk_widget_set_vexpand (scroller, TRUE);
      gtk_box_append (GTK_BOX (box), scroller);
    }
  else
    {
      gtk_widget_set_vexpand (child, TRUE);
      gtk_box_append (GTK_BOX (box), child);
    }

  self->subpage_child = child;
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), box);
}

static void
on_editor_saved (SendoffPreferencesWindow *self,
                 SendoffDestinationEditor *editor)
{
  SendoffDestination *destination = sendoff_destination_editor_get_destination (editor);
  g_autofree char *text =
    /* TRANSLATORS: a destination's name */
    g_strdup_printf (_("“%s” saved"), sendoff_destination_get_name (destination));

  reload_destinations (self);
  toast (self, text);
  g_signal_emit (self, signals[DESTINATION_SAVED], 0, destination);
}

SendoffDestinationEditor *
sendoff_preferences_window_edit (SendoffPreferencesWindow *self,
                                 SendoffDestination       *destination,
                                 const char               *key_error)
{
  GtkWidget *editor;

  g_return_val_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (SENDOFF_IS_DESTINATION (destination), NULL);

  editor = sendoff_destination_editor_new (destination, self->settings);
  if (key_error != NULL)
    sendoff_destination_editor_show_key_error (SENDOFF_DESTINATION_EDITOR (editor), key_error);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self,
                           G_CONNECT_SWAPPED);
  present_subpage (self, sendoff_destination_get_name (destination), editor, TRUE);

  if (key_error != NULL)
    {
      const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);

      if (backend->secrets != NULL && backend->secrets[0].key != NULL)
        gtk_widget_grab_focus (_sendoff_destination_editor_get_row (SENDOFF_DESTINATION_EDITOR (editor),
                                                                    backend->secrets[0].key));
    }

  return SENDOFF_DESTINATION_EDITOR (editor);
}

static void
on_added (SendoffPreferencesWindow *self,
          SendoffDestination       *destination,
          SendoffSetupPage         *page)
{
  g_autofree char *text =
    /* TRANSLATORS: a destination's name */
    g_strdup_printf (_("“%s” added"), sendoff_destination_get_name (destination));

  close_subpage (self);
  reload_destinations (self);
  toast (self, text);
  g_signal_emit (self, signals[DESTINATION_SAVED], 0, destination);
}

void
sendoff_preferences_window_add (SendoffPreferencesWindow *self)
{
  GtkWidget *page;

  g_return_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self));

  page = sendoff_setup_page_new (self->settings);
  sendoff_setup_page_set_intro_visible (SENDOFF_SETUP_PAGE (page), FALSE);
  g_signal_connect_object (page, "saved", G_CALLBACK (on_added), self, G_CONNECT_SWAPPED);
  present_subpage (self, _("Add Destination"), page, FALSE);
}

/* ---- actions ----------------------------------------------------------- */

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sendoff_preferences_window_add (SENDOFF_PREFERENCES_WINDOW (widget));
}

static void
make_default_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (widget);
  g_autoptr(SendoffDestination) destination =
    sendoff_destination_find (self->settings, g_variant_get_string (parameter, NULL));

  if (destination != NULL)
    sendoff_destination_set_default (self->settings, destination);
}

typedef struct {
  SendoffPreferencesWindow *self;
  SendoffDestination       *destination;
  guint                     n_left;
  GError                   *error;
} Removal;

static void
removal_done (Removal *removal)
{
  SendoffPreferencesWindow *self = removal->self;
  g_autofree char *text = NULL;

  /* Forgotten only now: its keyring items are filed under its id while it is saved */
  sendoff_destination_forget (removal->destination, self->settings);
  if (removal->error != NULL)
    /* TRANSLATORS: a destination, then the keyring's error */
    text = g_strdup_printf (_("“%s” removed, but its keys stay in the keyring: %s"),
                            sendoff_destination_get_name (removal->destination),
                            removal->error->message);
  else
    text = g_strdup_printf (_("“%s” removed"), sendoff_destination_get_name (removal->destination));
  toast (self, text);
  set_busy (self, FALSE);

  g_clear_error (&removal->error);
  g_object_unref (removal->destination);
  g_object_unref (removal->self);
  g_free (removal);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Removal *removal = user_data;
  g_autoptr(GError) error = NULL;

  if (!sendoff_credentials_clear_finish (result, &error) && removal->error == NULL)
    removal->error = g_steal_pointer (&error);

  if (--removal->n_left == 0)
    removal_done (removal);
}

static void
remove_destination (SendoffPreferencesWindow *self,
                    SendoffDestination       *destination)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);
  Removal *removal = g_new0 (Removal, 1);

  removal->self = g_object_ref (self);
  removal->destination = g_object_ref (destination);
  removal->n_left = 1;
  set_busy (self, TRUE);

  for (const SendoffSecretSpec *spec = backend->secrets; spec && spec->key; spec++)
    {
      removal->n_left++;
      sendoff_credentials_clear_for_async (destination, spec->key, self->cancellable,
                                           clear_cb, removal);
    }

  if (--removal->n_left == 0)
    removal_done (removal);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  SendoffDestination *destination = user_data;

  if (g_str_equal (response, "remove"))
    remove_destination (self, destination);
}

static void
remove_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (widget);
  g_autoptr(SendoffDestination) destination =
    sendoff_destination_find (self->settings, g_variant_get_string (parameter, NULL));
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (destination == NULL)
    return;

  /* TRANSLATORS: a destination's name */
  heading = g_strdup_printf (_("Remove “%s”?"), sendoff_destination_get_name (destination));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Its settings and the keys stored for it in the keyring are removed. Files already sent stay where they are."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_remove_response),
                         g_steal_pointer (&destination), (GClosureNotify) (void (*) (void)) g_object_unref,
                         0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the object -------------------------------------------------------- */

static void
sendoff_preferences_window_dispose (GObject *object)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sendoff_preferences_window_parent_class)->dispose (object);
}

static void
sendoff_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SendoffPreferencesWindow *self = SENDOFF_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_preferences_window_class_init (SendoffPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sendoff_preferences_window_dispose;
  object_class->get_property = sendoff_preferences_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SendoffPreferencesWindow::destination-saved:
   * @destination: a destination just added or changed
   */
  signals[DESTINATION_SAVED] =
    g_signal_new ("destination-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SENDOFF_TYPE_DESTINATION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sendoff/Sendoff/sendoff-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, destinations_group);
  gtk_widget_class_bind_template_child (widget_class, SendoffPreferencesWindow, jobs_adjustment);

  gtk_widget_class_install_action (widget_class, "prefs.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "prefs.make-default", "s",
                                   make_default_activated);
  gtk_widget_class_install_action (widget_class, "prefs.remove", "s", remove_activated);
}

static void
sendoff_preferences_window_init (SendoffPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (SCHEMA_ID);
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_settings_bind (self->settings, "jobs", self->jobs_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::destinations",
                           G_CALLBACK (reload_destinations), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::default-destination",
                           G_CALLBACK (reload_destinations), self, G_CONNECT_SWAPPED);
  reload_destinations (self);
}

GtkWidget *
sendoff_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (SENDOFF_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

gboolean
sendoff_preferences_window_get_busy (SendoffPreferencesWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->n_pending > 0;
}

GtkWidget *
_sendoff_preferences_window_get_row (SendoffPreferencesWindow *self,
                                     const char               *id)
{
  g_return_val_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (g_object_get_data (row, "sendoff-id"), id) == 0)
        return GTK_WIDGET (row);
    }

  return NULL;
}

GtkWidget *
_sendoff_preferences_window_get_subpage (SendoffPreferencesWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_PREFERENCES_WINDOW (self), NULL);

  return self->subpage_child;
}
