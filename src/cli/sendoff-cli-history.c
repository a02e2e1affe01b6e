/* sendoff-cli-history.c — `sendoff-cli history`: the journal's transfers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "sendoff-cli-history.h"

#include "sendoff-journal.h"
#include "sendoff-text.h"

enum {
  HISTORY_EXIT_OK = 0,
  HISTORY_EXIT_FAILED = 1,
  HISTORY_EXIT_USAGE = 2,
};

#define NAME_COLUMNS 40

/* Escaped, and cut to @max columns with an ellipsis */
static char *
cell_text (const char *text,
           guint       max)
{
  g_autofree char *escaped = sendoff_str_escape_terminal (text != NULL ? text : "");
  GString *out;
  guint width = 0;

  if (sendoff_str_width (escaped) <= max)
    return g_steal_pointer (&escaped);
  out = g_string_new (NULL);
  for (const char *p = escaped; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint w = (guint) sendoff_unichar_width (c);

      if (width + w > max - 1)
        break;
      width += w;
      g_string_append_unichar (out, c);
    }
  g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/* A process that works on it holds its lock; one that died does not */
static gboolean
is_being_sent (const SendoffJournalTransfer *t)
{
  return t->locked && sendoff_journal_transfer_is_unfinished (t);
}

static const char *
state_text (const SendoffJournalTransfer *t)
{
  if (is_being_sent (t))
    return C_("transfer state", "sending");

  switch (t->state)
    {
    case SENDOFF_JOURNAL_SENDING:
      /* the journal says "sending", but nothing holds it: cut off */
      return C_("transfer state", "interrupted");
    case SENDOFF_JOURNAL_PAUSED:
      return C_("transfer state", "paused");
    case SENDOFF_JOURNAL_FAILED:
      return C_("transfer state", "failed");
    case SENDOFF_JOURNAL_DONE:
      return C_("transfer state", "done");
    case SENDOFF_JOURNAL_DISCARDED:
      return C_("transfer state", "discarded");
    default:
      g_assert_not_reached ();
    }
}

static char *
date_text (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
link_text (const SendoffJournalTransfer *t,
           gint64                        now)
{
  g_autofree char *link = NULL;
  g_autofree char *expiry = NULL;

  if (t->link == NULL)
    return g_strdup ("—");
  link = sendoff_str_escape_terminal (t->link);
  expiry = sendoff_format_expiry (t->link_expires_at, now);
  if (expiry == NULL)
    return g_steal_pointer (&link);
  /* TRANSLATORS: a share link and when it expires: "https://… (expires in 3 days)" */
  return g_strdup_printf (_("%s (%s)"), link, expiry);
}

/* One row of cells; the last (the link) is not padded */
static GPtrArray *
row_new (const SendoffJournalTransfer *t,
         gint64                        now)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (row, sendoff_str_escape_terminal (t->id));
  g_ptr_array_add (row, date_text (t->created_at));
  g_ptr_array_add (row, cell_text (t->name != NULL && *t->name != '\0' ? t->name : _("Untitled"),
                                   NAME_COLUMNS));
  g_ptr_array_add (row, g_strdup_printf ("%u", t->files->len));
  g_ptr_array_add (row, g_format_size (t->bytes_total));
  g_ptr_array_add (row, cell_text (t->destination_name != NULL ? t->destination_name
                                                                : t->backend_id,
                                   NAME_COLUMNS));
  g_ptr_array_add (row, g_strdup (state_text (t)));
  g_ptr_array_add (row, link_text (t, now));
  return row;
}

static void
print_table (GPtrArray *transfers)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *header = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint widths[8] = { 0 };

  g_ptr_array_add (header, g_strdup (_("ID")));
  g_ptr_array_add (header, g_strdup (_("DATE")));
  g_ptr_array_add (header, g_strdup (_("NAME")));
  g_ptr_array_add (header, g_strdup (_("FILES")));
  g_ptr_array_add (header, g_strdup (_("SIZE")));
  g_ptr_array_add (header, g_strdup (_("DESTINATION")));
  g_ptr_array_add (header, g_strdup (_("STATE")));
  g_ptr_array_add (header, g_strdup (_("LINK")));
  g_ptr_array_add (rows, header);
  for (guint i = 0; i < transfers->len; i++)
    g_ptr_array_add (rows, row_new (g_ptr_array_index (transfers, i), now));

  for (guint r = 0; r < rows->len; r++)
    for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
      widths[c] = MAX (widths[c], sendoff_str_width (((GPtrArray *) rows->pdata[r])->pdata[c]));

  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = rows->pdata[r];
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
        {
          const char *cell = row->pdata[c];

          g_string_append (line, cell);
          if (c + 1 < G_N_ELEMENTS (widths))
            {
              for (guint w = sendoff_str_width (cell); w < widths[c] + 2; w++)
                g_string_append_c (line, ' ');
            }
        }
      printf ("%s\n", line->str);
    }
}

static void
json_member_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Unix seconds, or null when unknown */
static void
json_member_time (JsonBuilder *builder,
                  const char  *name,
                  gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value > 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
json_add_transfer (JsonBuilder                  *builder,
                   const SendoffJournalTransfer *t)
{
  json_builder_begin_object (builder);
  json_member_string (builder, "id", t->id);
  json_member_string (builder, "name", t->name);
  json_member_string (builder, "message", t->message);
  json_member_string (builder, "destination_id", t->destination_id);
  json_member_string (builder, "destination", t->destination_name);
  json_member_string (builder, "backend", t->backend_id);
  json_member_string (builder, "state", sendoff_journal_state_to_string (t->state));
  json_builder_set_member_name (builder, "resumable");
  json_builder_add_boolean_value (builder, sendoff_journal_transfer_is_unfinished (t) &&
                                           !is_being_sent (t));
  /* a process sends, resumes or discards it now; its pid when known */
  json_builder_set_member_name (builder, "locked");
  json_builder_add_boolean_value (builder, t->locked);
  json_builder_set_member_name (builder, "locked_by");
  if (t->locked && t->locked_by > 0)
    json_builder_add_int_value (builder, t->locked_by);
  else
    json_builder_add_null_value (builder);
  json_member_string (builder, "link", t->link);
  json_member_time (builder, "expires_at", t->link_expires_at);
  json_member_time (builder, "created_at", t->created_at);
  json_member_time (builder, "started_at", t->started_at);
  json_member_time (builder, "ended_at", t->ended_at);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, t->bytes_total);
  json_builder_set_member_name (builder, "bytes_sent");
  json_builder_add_int_value (builder, t->bytes_sent);
  json_member_string (builder, "error", t->error);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < t->files->len; i++)
    {
      const SendoffJournalFile *f = g_ptr_array_index (t->files, i);

      json_builder_begin_object (builder);
      json_member_string (builder, "name", f->name);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, f->size);
      json_member_string (builder, "state", sendoff_journal_state_to_string (f->state));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_json (GPtrArray *transfers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "transfers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < transfers->len; i++)
    json_add_transfer (builder, g_ptr_array_index (transfers, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  printf ("%s\n", text);
}

/* A lost result is a failure, not a silent success (`> /dev/full`) */
static int
finish_output (void)
{
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      g_printerr (_("sendoff-cli: could not write the history: %s\n"), g_strerror (errno));
      return HISTORY_EXIT_FAILED;
    }
  return HISTORY_EXIT_OK;
}

static SendoffJournal *
open_journal (void)
{
  g_autoptr(GError) error = NULL;
  SendoffJournal *journal = sendoff_journal_new (NULL, &error);

  if (journal == NULL)
    g_printerr ("sendoff-cli: %s\n", error->message);
  return journal;
}

static int
history_list (gboolean json)
{
  g_autoptr(SendoffJournal) journal = open_journal ();
  g_autoptr(GPtrArray) transfers = NULL;
  g_autoptr(GError) error = NULL;

  if (journal == NULL)
    return HISTORY_EXIT_FAILED;
  transfers = sendoff_journal_list (journal, FALSE, &error);
  if (transfers == NULL)
    {
      g_printerr ("sendoff-cli: %s\n", error->message);
      return HISTORY_EXIT_FAILED;
    }
  if (json)
    print_json (transfers);
  else if (transfers->len == 0)
    printf ("%s\n", _("No transfers yet."));
  else
    print_table (transfers);
  return finish_output ();
}

static int
history_remove (const char *id)
{
  g_autoptr(SendoffJournal) journal = open_journal ();
  g_autoptr(SendoffJournalTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) busy = NULL;
  g_autofree char *shown = sendoff_str_escape_terminal (id);

  if (journal == NULL)
    return HISTORY_EXIT_FAILED;
  transfer = sendoff_journal_get (journal, id, &error);
  if (transfer != NULL && !sendoff_journal_check_unlocked (journal, transfer->id, &busy))
    {
      g_autofree char *message = sendoff_str_escape_terminal (busy->message);

      g_printerr ("sendoff-cli: %s\n", message);
      return HISTORY_EXIT_USAGE;
    }
  if (transfer != NULL && sendoff_journal_transfer_is_unfinished (transfer))
    {
      /* forgetting it here would leave its upload on the server for good */
      g_printerr (_("sendoff-cli: transfer %s is unfinished; resume it or discard it "
                    "(“sendoff-cli discard %s”) first\n"), shown, shown);
      return HISTORY_EXIT_USAGE;
    }
  if (transfer == NULL || !sendoff_journal_remove (journal, id, &error))
    {
      g_autofree char *message = sendoff_str_escape_terminal (error->message);

      g_printerr ("sendoff-cli: %s\n", message);
      return g_error_matches (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND)
             ? HISTORY_EXIT_USAGE : HISTORY_EXIT_FAILED;
    }
  printf (_("Removed %s from the history\n"), shown);
  return finish_output ();
}

int
sendoff_cli_history (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the history as JSON"), NULL },
    { NULL }
  };

  g_set_prgname ("sendoff-cli history");
  context = g_option_context_new (_("[remove ID]"));
  g_option_context_set_summary (context,
                                _("Lists the transfers sent, newest first, with their links; "
                                  "“remove ID” forgets one."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sendoff-cli history: %s\n", error->message);
      return HISTORY_EXIT_USAGE;
    }

  if (argc == 3 && g_str_equal (argv[1], "remove") && !json)
    return history_remove (argv[2]);
  if (argc == 1)
    return history_list (json);

  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    g_printerr ("%s\n", _("Usage: sendoff-cli history remove ID"));
  else
    g_printerr ("%s\n", _("Usage: sendoff-cli history [--json] | sendoff-cli history remove ID"));
  return HISTORY_EXIT_USAGE;
}
