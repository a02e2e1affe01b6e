/* sendoff-window.c — the main window: compose, send, share the link
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-format.h"
#include "sendoff-item-row.h"
#include "sendoff-window-private.h"

G_DEFINE_FINAL_TYPE (SendoffWindow, sendoff_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *
page_for_state (SendoffWindow *self,
                SendoffState   state)
{
  /* A retry shows the files at once, before the engine says so */
  if (sendoff_window_is_sending (self))
    return "transfer";

  switch (state)
    {
    case SENDOFF_STATE_DONE:
      return "done";
    case SENDOFF_STATE_FAILED:
      return "failed";
    case SENDOFF_STATE_NEW:
      if (sendoff_transfer_get_n_items (self->transfer) == 0 && self->n_adding == 0)
        return self->needs_setup ? "setup" : "empty";
      return "transfer";
    case SENDOFF_STATE_WAITING:
    case SENDOFF_STATE_SENDING:
    case SENDOFF_STATE_RETRYING:
    case SENDOFF_STATE_CANCELLED:
    default:
      return "transfer";
    }
}

static void
update_name_placeholder (SendoffWindow *self)
{
  g_autofree char *effective = NULL;

  /* Only the name the service would get when the field stays empty */
  if (sendoff_transfer_get_n_items (self->transfer) > 0)
    effective = sendoff_transfer_dup_effective_name (self->transfer);

  if (g_strcmp0 (gtk_text_get_placeholder_text (self->name_text), effective) != 0)
    gtk_text_set_placeholder_text (self->name_text, effective);
}

static gboolean
retry_tick (gpointer user_data)
{
  SendoffWindow *self = user_data;

  self->retry_tick_id = 0;
  _sendoff_window_update (self);
  return G_SOURCE_REMOVE;
}

/* "Retrying in 8 s (attempt 3 of 10): HTTP 503", counted down each second */
static void
update_retry (SendoffWindow *self,
              gboolean       moving)
{
  gint64 retry_at = sendoff_transfer_get_retry_at (self->transfer);
  gint64 until = retry_at - g_get_monotonic_time ();
  gboolean waiting = moving && retry_at > 0;

  g_clear_handle_id (&self->retry_tick_id, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_label), waiting);
  if (!waiting)
    return;

  {
    gint64 left = MAX (0, (until + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    g_autofree char *text =
      sendoff_format_retry (left, sendoff_transfer_get_retry_attempt (self->transfer),
                            sendoff_transfer_get_retry_max_attempts (self->transfer),
                            sendoff_transfer_get_retry_reason (self->transfer));

    gtk_label_set_label (self->retry_label, text);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_label), text);
    /* Next when the whole seconds left change */
    if (until > 0)
      self->retry_tick_id = g_timeout_add ((guint) ((until - 1) % G_USEC_PER_SEC / 1000) + 2,
                                           retry_tick, self);
  }
}

static void
update_progress (SendoffWindow *self,
                 SendoffState   state)
{
  guint64 size = sendoff_transfer_get_size (self->transfer);
  guint64 sent = sendoff_transfer_get_bytes_sent (self->transfer);
  gboolean moving = state == SENDOFF_STATE_WAITING || state == SENDOFF_STATE_SENDING ||
                    state == SENDOFF_STATE_RETRYING || self->starting;
  g_autofree char *progress = NULL;
  g_autofree char *speed = NULL;

  if (state == SENDOFF_STATE_CANCELLED)
    {
      g_autofree char *sent_text = sendoff_format_progress (sent, size, -1);
      /* Translators: "Stopped — 1.2 GB of 3.4 GB sent" */
      progress = g_strdup_printf (_("Stopped — %s sent"), sent_text);
    }
  else if (moving && sent == 0)
    /* Nothing sent yet: the service is being asked, not stuck */
    progress = g_strdup (_("Preparing…"));
  else if (moving && sent >= size)
    /* Every byte is there; the service puts the files together */
    progress = g_strdup (_("Finishing…"));
  else
    progress = sendoff_format_progress (sent, size,
                                        moving ? sendoff_transfer_get_eta (self->transfer) : -1);

  speed = sendoff_format_speed (moving ? sendoff_transfer_get_speed (self->transfer) : 0.0);

  gtk_label_set_label (self->progress_label, progress);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_label), progress);
  gtk_label_set_label (self->speed_label, speed);
  update_retry (self, moving);
}

static void
update_labels (SendoffWindow *self)
{
  guint n_items = sendoff_transfer_get_n_items (self->transfer);
  g_autofree char *size = g_format_size (sendoff_transfer_get_size (self->transfer));
  g_autofree char *count = g_strdup_printf (ngettext ("%u file", "%u files", n_items), n_items);

  gtk_label_set_label (self->total_label, count);
  gtk_label_set_label (self->footer_total_label, size);
  gtk_widget_set_visible (GTK_WIDGET (self->adding_spinner), self->n_adding > 0);
  gtk_spinner_set_spinning (self->adding_spinner, self->n_adding > 0);
}

static void
update_title (SendoffWindow *self,
              SendoffState   state)
{
  g_autofree char *name = NULL;

  if (state != SENDOFF_STATE_NEW)
    name = sendoff_transfer_dup_effective_name (self->transfer);

  adw_window_title_set_subtitle (self->window_title, name);
}

void
_sendoff_window_update (SendoffWindow *self)
{
  SendoffState state = sendoff_transfer_get_state (self->transfer);
  gboolean composing = state == SENDOFF_STATE_NEW;
  const char *page = page_for_state (self, state);

  gtk_stack_set_visible_child_name (self->stack, page);
  /* The footer sits outside the toasts' area, so no toast covers its buttons */
  gtk_widget_set_visible (GTK_WIDGET (self->footer_stack), g_str_equal (page, "transfer"));
  /* The Failed page says what is wrong with the key once, with its own action */
  gtk_widget_set_visible (GTK_WIDGET (self->key_banner), !g_str_equal (page, "failed"));

  gtk_stack_set_visible_child_name (self->footer_stack,
                                    composing && !self->starting ? "compose" : "sending");
  gtk_widget_set_visible (self->details_clamp, composing);
  gtk_widget_set_visible (self->add_button, composing);
  gtk_widget_set_visible (self->cancel_button, state != SENDOFF_STATE_CANCELLED);
  gtk_widget_set_visible (self->stopped_box, state == SENDOFF_STATE_CANCELLED);

  update_title (self, state);
  update_labels (self);
  update_progress (self, state);
  update_name_placeholder (self);
  _sendoff_window_update_actions (self);
}

void
_sendoff_window_toast (SendoffWindow *self,
                       const char    *title)
{
  /* A toast's title is Pango markup; ours are plain text with names in them */
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

AdwToast *
_sendoff_window_toast_with_action (SendoffWindow *self,
                                   const char    *title,
                                   const char    *button_label,
                                   const char    *action_name)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return toast;
}

/* One handler per concern: the progress ticks a few times a second and
 * must not redraw the pages, the title or the actions each time. The
 * state and the list of files decide the page: they update everything. */
static void
on_state_changed (SendoffWindow *self)
{
  _sendoff_window_update (self);
}

static void
on_progress_changed (SendoffWindow *self)
{
  update_progress (self, sendoff_transfer_get_state (self->transfer));
  _sendoff_window_background_progress (self);
}

static void
on_transfer_name_changed (SendoffWindow *self)
{
  update_title (self, sendoff_transfer_get_state (self->transfer));
}

static void
follow_transfers (SendoffWindow *self)
{
  static const char *const progress[] = {
    "notify::bytes-sent", "notify::speed", "notify::eta", "notify::retry-at",
    "notify::retry-attempt", "notify::retry-reason",
  };

  self->transfer_signals = g_signal_group_new (SENDOFF_TYPE_TRANSFER);
  g_signal_group_connect_swapped (self->transfer_signals, "notify::state",
                                  G_CALLBACK (on_state_changed), self);
  for (guint i = 0; i < G_N_ELEMENTS (progress); i++)
    g_signal_group_connect_swapped (self->transfer_signals, progress[i],
                                    G_CALLBACK (on_progress_changed), self);
  g_signal_group_connect_swapped (self->transfer_signals, "notify::n-items",
                                  G_CALLBACK (on_state_changed), self);
  g_signal_group_connect_swapped (self->transfer_signals, "notify::size",
                                  G_CALLBACK (on_state_changed), self);
  g_signal_group_connect_swapped (self->transfer_signals, "notify::name",
                                  G_CALLBACK (on_transfer_name_changed), self);

  self->transfer_bindings = g_binding_group_new ();
  g_binding_group_bind (self->transfer_bindings, "fraction", self->progress_bar, "fraction",
                        G_BINDING_SYNC_CREATE);
}

static void
on_name_changed (SendoffWindow *self,
                 GtkText       *text)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (text));

  if (sendoff_transfer_get_state (self->transfer) == SENDOFF_STATE_NEW)
    sendoff_transfer_set_name (self->transfer, *name != '\0' ? name : NULL);
}

static void
on_message_changed (SendoffWindow *self,
                    GtkText       *text)
{
  const char *message = gtk_editable_get_text (GTK_EDITABLE (text));

  if (sendoff_transfer_get_state (self->transfer) == SENDOFF_STATE_NEW)
    sendoff_transfer_set_description (self->transfer, *message != '\0' ? message : NULL);
}

void
_sendoff_window_set_transfer (SendoffWindow   *self,
                              SendoffTransfer *transfer)
{
  g_assert (SENDOFF_IS_WINDOW (self));
  g_assert (SENDOFF_IS_TRANSFER (transfer));

  g_set_object (&self->transfer, transfer);
  g_clear_object (&self->uploader);
  g_clear_error (&self->error);

  g_signal_group_set_target (self->transfer_signals, transfer);
  g_binding_group_set_source (self->transfer_bindings, transfer);
  sendoff_file_groups_set_items (self->groups, sendoff_transfer_get_items (transfer));

  gtk_editable_set_text (GTK_EDITABLE (self->name_text),
                         sendoff_transfer_get_name (transfer) ? sendoff_transfer_get_name (transfer) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->message_text),
                         sendoff_transfer_get_description (transfer)
                           ? sendoff_transfer_get_description (transfer) : "");

  _sendoff_window_update (self);
}

static void
on_row_remove (SendoffWindow  *self,
               SendoffItemRow *row)
{
  SendoffItem *item = sendoff_item_row_get_item (row);
  SendoffFileGroup *group = sendoff_item_row_get_group (row);

  if (sendoff_transfer_get_state (self->transfer) != SENDOFF_STATE_NEW)
    return;

  if (item != NULL)
    sendoff_transfer_remove_item (self->transfer, item);
  else if (group != NULL)
    {
      /* The folder goes as a whole: its files, last first */
      g_autoptr(GListModel) files = g_object_ref (sendoff_file_group_get_files (group));
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (items, g_list_model_get_item (files, i));
      for (guint i = items->len; i > 0; i--)
        sendoff_transfer_remove_item (self->transfer, g_ptr_array_index (items, i - 1));
    }
}

static void
setup_row (GtkListItemFactory *factory,
           GtkListItem        *list_item,
           SendoffWindow      *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *row = sendoff_item_row_new ();

  g_signal_connect_object (row, "remove", G_CALLBACK (on_row_remove), self, G_CONNECT_SWAPPED);
  gtk_widget_set_margin_start (expander, 6);
  gtk_widget_set_hexpand (expander, TRUE);
  gtk_widget_set_hexpand (row, TRUE);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), row);
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, expander);
}

static SendoffItemRow *
get_item_row (GtkListItem *list_item)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));

  return SENDOFF_ITEM_ROW (gtk_tree_expander_get_child (expander));
}

static void
bind_row (GtkListItemFactory *factory,
          GtkListItem        *list_item,
          SendoffWindow      *self)
{
  GtkTreeListRow *list_row = gtk_list_item_get_item (list_item);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  GObject *object = gtk_tree_list_row_get_item (list_row);
  SendoffItemRow *row = get_item_row (list_item);

  gtk_tree_expander_set_list_row (expander, list_row);
  if (SENDOFF_IS_FILE_GROUP (object))
    sendoff_item_row_set_group (row, SENDOFF_FILE_GROUP (object));
  else
    sendoff_item_row_set_item (row, SENDOFF_ITEM (object));
  g_object_unref (object);
}

static void
unbind_row (GtkListItemFactory *factory,
            GtkListItem        *list_item,
            SendoffWindow      *self)
{
  SendoffItemRow *row = get_item_row (list_item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
  sendoff_item_row_set_item (row, NULL);
  sendoff_item_row_set_group (row, NULL);
}

typedef struct {
  SendoffWindow *window;
  guint          tries;
} ScrollToEnd;

static void
scroll_to_end_free (gpointer data)
{
  ScrollToEnd *scroll = data;

  g_object_unref (scroll->window);
  g_free (scroll);
}

/* GtkListView measures rows as they come into view, so the end moves
 * while it is scrolled to: follow it for a few frames */
static gboolean
scroll_to_end_cb (gpointer user_data)
{
  ScrollToEnd *scroll = user_data;
  GtkAdjustment *adjustment =
    gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (scroll->window->list_view));
  double end;

  if (adjustment == NULL)
    return G_SOURCE_REMOVE;

  end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  if (gtk_adjustment_get_value (adjustment) < end)
    gtk_adjustment_set_value (adjustment, end);

  return ++scroll->tries < 10 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* New rows come at the end: show them, once the list has measured them */
static void
on_rows_changed (SendoffWindow *self,
                 guint          position,
                 guint          removed,
                 guint          added,
                 GListModel    *rows)
{
  if (added > 0 && position + added == g_list_model_get_n_items (rows) &&
      sendoff_transfer_get_state (self->transfer) == SENDOFF_STATE_NEW)
    {
      ScrollToEnd *scroll = g_new0 (ScrollToEnd, 1);

      scroll->window = g_object_ref (self);
      g_timeout_add_full (G_PRIORITY_DEFAULT, 40, scroll_to_end_cb, scroll, scroll_to_end_free);
    }
}

static GListModel *
create_folder_model (gpointer item,
                     gpointer user_data)
{
  if (SENDOFF_IS_FILE_GROUP (item))
    return g_object_ref (sendoff_file_group_get_files (SENDOFF_FILE_GROUP (item)));
  return NULL;
}

static void
setup_list (SendoffWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkTreeListModel *tree;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);

  /* The model stays one item per file; folders are grouped for the eye only */
  self->groups = sendoff_file_groups_new (NULL);
  g_signal_connect_object (self->groups, "items-changed", G_CALLBACK (on_rows_changed), self,
                           G_CONNECT_SWAPPED);
  tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->groups)), FALSE, FALSE,
                                  create_folder_model, NULL, NULL);
  self->selection = gtk_no_selection_new (G_LIST_MODEL (tree));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  gtk_list_view_set_factory (self->list_view, factory);
}

static void
save_window_state (SendoffWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static void
restore_window_state (SendoffWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
sendoff_window_close_request (GtkWindow *window)
{
  SendoffWindow *self = SENDOFF_WINDOW (window);

  /* The send goes on without the window; quitting is what pauses it */
  if (sendoff_window_is_sending (self) && !self->close_confirmed)
    {
      save_window_state (self);
      _sendoff_window_close_while_sending (self);
      return TRUE;
    }

  save_window_state (self);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (sendoff_window_parent_class)->close_request (window);
}

static void
sendoff_window_constructed (GObject *object)
{
  SendoffWindow *self = (SendoffWindow *)object;
  g_autoptr(SendoffTransfer) transfer = sendoff_transfer_new ();

  G_OBJECT_CLASS (sendoff_window_parent_class)->constructed (object);

  _sendoff_window_set_transfer (self, transfer);
}

/* GtkWindow:application is not a construct property: the settings come
 * once the window knows its application. */
static void
on_destinations_known (SendoffWindow *self)
{
  SendoffApplication *application = SENDOFF_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  self->destinations_known = application == NULL || sendoff_application_get_ready (application);
  _sendoff_window_check_key (self);
}

static void
attach_settings (SendoffWindow      *self,
                 SendoffApplication *application)
{
  g_set_object (&self->settings, sendoff_application_get_settings (application));
  restore_window_state (self);
  sendoff_setup_page_set_settings (self->setup_page, self->settings);

  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::destinations",
                               G_CALLBACK (_sendoff_window_check_key), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::default-destination",
                               G_CALLBACK (_sendoff_window_check_key), self, G_CONNECT_SWAPPED);
    }

  /* Destinations are read once the settings of older versions are moved */
  g_signal_connect_object (application, "notify::ready", G_CALLBACK (on_destinations_known),
                           self, G_CONNECT_SWAPPED);
  if (sendoff_application_get_ready (application))
    on_destinations_known (self);
}

static void
on_setup_saved (SendoffWindow      *self,
                SendoffDestination *destination)
{
  self->key_refused = FALSE;
  _sendoff_window_check_key (self);
  sendoff_setup_page_reset (self->setup_page);
}

static void
sendoff_window_dispose (GObject *object)
{
  SendoffWindow *self = (SendoffWindow *)object;

  _sendoff_window_send_finalize (self);
  _sendoff_window_journal_finalize (self);
  _sendoff_window_background_dispose (self);
  g_clear_handle_id (&self->retry_tick_id, g_source_remove);
  g_clear_pointer (&self->refused, g_strfreev);
  g_clear_object (&self->undo_transfer);
  g_clear_object (&self->undo_uploader);
  g_clear_error (&self->undo_error);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SENDOFF_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->groups);
  g_clear_object (&self->transfer_signals);
  g_clear_object (&self->transfer_bindings);
  g_clear_object (&self->transfer);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sendoff_window_parent_class)->dispose (object);
}

static void
sendoff_window_class_init (SendoffWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sendoff_window_constructed;
  object_class->dispose = sendoff_window_dispose;
  window_class->close_request = sendoff_window_close_request;

  g_type_ensure (SENDOFF_TYPE_ITEM_ROW);
  g_type_ensure (SENDOFF_TYPE_SETUP_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sendoff/Sendoff/sendoff-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, key_banner);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, key_banner_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, journal_banner);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, journal_banner_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, details_clamp);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, name_text);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, message_text);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, adding_spinner);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, footer_stack);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, retry_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, footer_total_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, send_button);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, speed_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, stopped_box);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, done_page);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, link_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, qr_box);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, failed_page);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, failed_detail_label);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, failed_key_button);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, failed_retry_button);
  gtk_widget_class_bind_template_child (widget_class, SendoffWindow, drop_revealer);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_message_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_saved);

  _sendoff_window_class_actions_init (widget_class);
  _sendoff_window_class_send_init (widget_class);
  _sendoff_window_class_journal_init (widget_class);
}

static void
sendoff_window_init (SendoffWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#ifdef DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  follow_transfers (self);
  setup_list (self);
  _sendoff_window_dnd_init (self);
  _sendoff_window_done_init (self);
  _sendoff_window_background_init (self);
}

SendoffWindow *
sendoff_window_new (SendoffApplication *application)
{
  SendoffWindow *self;

  g_return_val_if_fail (SENDOFF_IS_APPLICATION (application), NULL);

  self = g_object_new (SENDOFF_TYPE_WINDOW,
                       "application", application,
                       NULL);
  attach_settings (self, application);
  _sendoff_window_journal_init (self);

  return self;
}

SendoffTransfer *
sendoff_window_get_transfer (SendoffWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_WINDOW (self), NULL);

  return self->transfer;
}

gboolean
sendoff_window_accepts_files (SendoffWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_WINDOW (self), FALSE);

  return sendoff_transfer_get_state (self->transfer) == SENDOFF_STATE_NEW && !self->starting;
}

gboolean
sendoff_window_is_sending (SendoffWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_WINDOW (self), FALSE);

  return self->sending || self->starting;
}

static void
add_files_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendoffTransfer *transfer = SENDOFF_TRANSFER (object);
  g_autoptr(SendoffWindow) self = user_data;
  g_auto(GStrv) refused = NULL;
  g_autoptr(GError) error = NULL;

  self->n_adding--;

  if (!sendoff_transfer_add_files_finish (transfer, result, &refused, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sendoff_window_toast (self, error->message);
    }
  else if (refused != NULL && refused[0] != NULL)
    {
      guint n = g_strv_length (refused);
      g_autofree char *title = NULL;

      /* A long reason is cut in a toast: Details shows every one in full */
      if (n == 1)
        title = g_strdup (refused[0]);
      else
        /* Translators: a toast; its Details button lists every refused file and why */
        title = g_strdup_printf (ngettext ("%u file could not be added",
                                           "%u files could not be added", n), n);

      g_strfreev (self->refused);
      self->refused = g_steal_pointer (&refused);
      _sendoff_window_toast_with_action (self, title, _("_Details"), "win.show-refused");
    }

  if (transfer == self->transfer)
    _sendoff_window_update (self);
}

void
sendoff_window_add_files (SendoffWindow  *self,
                          GFile         **files,
                          guint           n_files)
{
  g_return_if_fail (SENDOFF_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;

  if (!sendoff_window_accepts_files (self))
    {
      _sendoff_window_toast (self, _("Files cannot be added while a transfer is on its way"));
      return;
    }

  self->n_adding++;
  sendoff_transfer_add_files_async (self->transfer, files, n_files, NULL,
                                    add_files_cb, g_object_ref (self));
  _sendoff_window_update (self);
}

const char *
sendoff_window_get_key_error (SendoffWindow *self)
{
  g_return_val_if_fail (SENDOFF_IS_WINDOW (self), NULL);

  if (self->key_refused && self->error != NULL)
    return self->error->message;

  return NULL;
}

static void
on_destination_saved (SendoffWindow *self)
{
  /* New settings or a new key deserve a new try */
  self->key_refused = FALSE;
  _sendoff_window_check_key (self);
}

void
sendoff_window_watch_preferences (SendoffWindow *self,
                                  GtkWindow     *preferences)
{
  g_return_if_fail (SENDOFF_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WINDOW (preferences));

  if (g_signal_lookup ("destination-saved", G_OBJECT_TYPE (preferences)) != 0)
    g_signal_connect_object (preferences, "destination-saved", G_CALLBACK (on_destination_saved),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (preferences, "destroy", G_CALLBACK (_sendoff_window_check_key), self,
                           G_CONNECT_SWAPPED);
}
