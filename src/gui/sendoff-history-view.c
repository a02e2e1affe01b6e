/* sendoff-history-view.c — the journal's transfers: links, expiry, files
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "sendoff-history-view.h"

#include "sendoff-text.h"

/* A transfer of thousands of files lists the first ones and a count */
#define MAX_FILE_ROWS 50

struct _SendoffHistoryView
{
  AdwBin           parent_instance;

  SendoffJournal  *journal;
  GPtrArray       *transfers;   /* SendoffJournalTransfer, as listed */

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  GtkListBox      *list_box;
};

G_DEFINE_FINAL_TYPE (SendoffHistoryView, sendoff_history_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_JOURNAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SendoffJournalTransfer *
find_transfer (SendoffHistoryView *self,
               GVariant           *parameter)
{
  const char *id = g_variant_get_string (parameter, NULL);

  for (guint i = 0; self->transfers != NULL && i < self->transfers->len; i++)
    {
      const SendoffJournalTransfer *t = g_ptr_array_index (self->transfers, i);

      if (g_str_equal (t->id, id))
        return t;
    }
  return NULL;
}

static void
toast (SendoffHistoryView *self,
       const char         *title)
{
  /* a toast's title is markup; an error message is not */
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static const char *
state_text (const SendoffJournalTransfer *t)
{
  /* a process holds its lock: this one (a window sends it), or another */
  if (t->locked && sendoff_journal_transfer_is_unfinished (t))
    return t->locked_by == getpid () ? C_("history state", "Sending")
                                     /* Translators: another Sendoff process sends it */
                                     : C_("history state", "Sending elsewhere");

  switch (t->state)
    {
    case SENDOFF_JOURNAL_SENDING:
      /* nobody holds it: its process was stopped short */
      return C_("history state", "Interrupted");
    case SENDOFF_JOURNAL_PAUSED:
      return C_("history state", "Paused");
    case SENDOFF_JOURNAL_FAILED:
      return C_("history state", "Failed");
    case SENDOFF_JOURNAL_DISCARDED:
      return C_("history state", "Discarded");
    case SENDOFF_JOURNAL_DONE:
    default:
      return NULL;
    }
}

/* "29 Nov 2026 14:05 · 2 files, 2.0 MB · My bucket", with the state first
 * when it is not done */
static char *
summary_text (const SendoffJournalTransfer *t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t->created_at);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  /* TRANSLATORS: the date of a transfer in the history, a g_date_time_format() format */
  g_autofree char *date = local != NULL ? g_date_time_format (local, _("%e %b %Y %H:%M"))
                                        : g_strdup ("?");
  g_autofree char *size = g_format_size (t->bytes_total);
  g_autofree char *files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file, %s",
                                                         "%u files, %s", t->files->len),
                                            t->files->len, size);
  const char *destination = t->destination_name != NULL ? t->destination_name : t->backend_id;
  const char *state = state_text (t);
  g_autofree char *text = NULL;

  g_strstrip (date);
  /* TRANSLATORS: a transfer in the history: its date, "2 files, 2.0 MB", where it went */
  text = destination != NULL ? g_strdup_printf (_("%s · %s · %s"), date, files, destination)
                             : g_strdup_printf (_("%s · %s"), date, files);
  if (state == NULL)
    return g_steal_pointer (&text);
  /* TRANSLATORS: a transfer's state ("Failed") before its summary */
  return g_strdup_printf (_("%s · %s"), state, text);
}

static GtkWidget *
icon_button (const char *icon_name,
             const char *tooltip,
             const char *action,
             const char *id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  return button;
}

/* Rows never read their text as markup: names are data */
static GtkWidget *
plain_row_new (const char *title,
               const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
add_link_row (AdwExpanderRow               *expander,
              const SendoffJournalTransfer *t)
{
  GtkWidget *row = plain_row_new (t->link, _("Share Link"));

  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             icon_button ("edit-copy-symbolic", _("Copy Link"),
                                          "history.copy-link", t->id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             icon_button ("web-browser-symbolic", _("Open in Browser"),
                                          "history.open-link", t->id));
  adw_expander_row_add_row (expander, row);
}

static void
add_file_rows (AdwExpanderRow               *expander,
               const SendoffJournalTransfer *t)
{
  guint shown = MIN (t->files->len, MAX_FILE_ROWS);

  for (guint i = 0; i < shown; i++)
    {
      const SendoffJournalFile *f = g_ptr_array_index (t->files, i);
      g_autofree char *size = g_format_size (f->size);

      adw_expander_row_add_row (expander, plain_row_new (f->name, size));
    }
  if (t->files->len > shown)
    {
      guint more = t->files->len - shown;
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more file",
                                                            "and %u more files", more), more);

      adw_expander_row_add_row (expander, plain_row_new (text, NULL));
    }
}

static GtkWidget *
transfer_row_new (const SendoffJournalTransfer *t,
                  gint64                        now)
{
  GtkWidget *row = adw_expander_row_new ();
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (row);
  g_autofree char *summary = summary_text (t);
  g_autofree char *expiry = t->link != NULL ? sendoff_format_expiry (t->link_expires_at, now) : NULL;
  const char *name = t->name != NULL && *t->name != '\0' ? t->name : _("Untitled Transfer");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_expander_row_set_subtitle (expander, summary);
  gtk_widget_set_name (row, t->id);
  if (expiry != NULL)
    {
      GtkWidget *label = gtk_label_new (expiry);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
#if ADW_CHECK_VERSION (1, 4, 0)
      adw_expander_row_add_suffix (expander, label);
#else
      adw_expander_row_add_action (expander, label);
#endif
    }
  if (t->link_expires_at != 0 && t->link_expires_at <= now)
    gtk_widget_add_css_class (row, "dim-label");

  if (t->link != NULL)
    add_link_row (expander, t);
  if (t->error != NULL)
    adw_expander_row_add_row (expander, plain_row_new (t->error, _("Error")));
  add_file_rows (expander, t);
  /* an unfinished one is resumed or discarded, not forgotten */
  if (!sendoff_journal_transfer_is_unfinished (t))
    {
      GtkWidget *remove = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remove), _("Remove from History"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (remove), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "history.remove");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove),
                                              g_variant_new_string (t->id));
      gtk_widget_add_css_class (remove, "error");
      adw_expander_row_add_row (expander, remove);
    }
  return row;
}

void
sendoff_history_view_refresh (SendoffHistoryView *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_if_fail (SENDOFF_IS_HISTORY_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_clear_pointer (&self->transfers, g_ptr_array_unref);

  self->transfers = sendoff_journal_list (self->journal, FALSE, &error);
  if (self->transfers == NULL)
    {
      /* the description is markup */
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  for (guint i = 0; i < self->transfers->len; i++)
    gtk_list_box_append (self->list_box,
                         transfer_row_new (g_ptr_array_index (self->transfers, i), now));
  gtk_stack_set_visible_child_name (self->stack, self->transfers->len > 0 ? "list" : "empty");
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SendoffHistoryView *self = SENDOFF_HISTORY_VIEW (widget);
  const SendoffJournalTransfer *t = find_transfer (self, parameter);

  if (t == NULL || t->link == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), t->link);
  toast (self, _("Link copied"));
}

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SendoffHistoryView *self = SENDOFF_HISTORY_VIEW (widget);
  const SendoffJournalTransfer *t = find_transfer (self, parameter);
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (widget));

  if (t == NULL || t->link == NULL)
    return;
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (t->link);

    gtk_uri_launcher_launch (launcher, window, NULL, NULL, NULL);
  }
#else
  gtk_show_uri (window, t->link, GDK_CURRENT_TIME);
#endif
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SendoffHistoryView *self = SENDOFF_HISTORY_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (!sendoff_journal_remove (self->journal, g_variant_get_string (parameter, NULL), &error))
    toast (self, error->message);
  sendoff_history_view_refresh (self);
}

SendoffJournal *
sendoff_history_view_get_journal (SendoffHistoryView *self)
{
  g_return_val_if_fail (SENDOFF_IS_HISTORY_VIEW (self), NULL);
  return self->journal;
}

GtkWidget *
sendoff_history_view_new (SendoffJournal *journal)
{
  g_return_val_if_fail (SENDOFF_IS_JOURNAL (journal), NULL);
  return g_object_new (SENDOFF_TYPE_HISTORY_VIEW, "journal", journal, NULL);
}

static void
sendoff_history_view_constructed (GObject *object)
{
  SendoffHistoryView *self = SENDOFF_HISTORY_VIEW (object);

  G_OBJECT_CLASS (sendoff_history_view_parent_class)->constructed (object);
  if (self->journal != NULL)
    sendoff_history_view_refresh (self);
}

static void
sendoff_history_view_dispose (GObject *object)
{
  SendoffHistoryView *self = SENDOFF_HISTORY_VIEW (object);

  /* no gtk_widget_dispose_template(): AdwBin unparents its child itself */
  g_clear_pointer (&self->transfers, g_ptr_array_unref);
  g_clear_object (&self->journal);

  G_OBJECT_CLASS (sendoff_history_view_parent_class)->dispose (object);
}

static void
sendoff_history_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SendoffHistoryView *self = SENDOFF_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_JOURNAL:
      g_value_set_object (value, self->journal);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_history_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SendoffHistoryView *self = SENDOFF_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_JOURNAL:
      self->journal = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_history_view_class_init (SendoffHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sendoff_history_view_constructed;
  object_class->dispose = sendoff_history_view_dispose;
  object_class->get_property = sendoff_history_view_get_property;
  object_class->set_property = sendoff_history_view_set_property;

  properties[PROP_JOURNAL] =
    g_param_spec_object ("journal", NULL, NULL, SENDOFF_TYPE_JOURNAL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sendoff/Sendoff/sendoff-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SendoffHistoryView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SendoffHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, SendoffHistoryView, error_page);
  gtk_widget_class_bind_template_child (widget_class, SendoffHistoryView, list_box);

  gtk_widget_class_install_action (widget_class, "history.copy-link", "s", copy_link_action);
  gtk_widget_class_install_action (widget_class, "history.open-link", "s", open_link_action);
  gtk_widget_class_install_action (widget_class, "history.remove", "s", remove_action);
}

static void
sendoff_history_view_init (SendoffHistoryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
