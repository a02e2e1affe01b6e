/* sendoff-cli-resume.c — `sendoff-cli resume` and `discard`: the journal's unfinished transfers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>

#include "sendoff-cli-destination.h"
#include "sendoff-cli-send.h"
#include "sendoff-text.h"
#include "sendoff-transfer-resume.h"
#include "sendoff-types.h"

SendoffJournal *
sendoff_cli_open_journal (gboolean optional)
{
  g_autoptr(GError) error = NULL;
  SendoffJournal *journal = sendoff_journal_new (NULL, &error);
  g_autofree char *message = NULL;

  if (journal != NULL)
    return journal;
  if (optional)
    /* TRANSLATORS: %s says why the journal cannot be opened */
    message = g_strdup_printf (_("The journal cannot be opened (%s); this transfer could not "
                                 "be resumed after an interruption"), error->message);
  sendoff_cli_printerr (message ? message : error->message);
  return NULL;
}

void
sendoff_cli_resume_start (SendoffCliSend *send)
{
  SendoffProvider *provider = sendoff_uploader_get_provider (send->uploader);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) restarted = NULL;

  send->transfer = sendoff_transfer_new_from_journal (send->journal, send->resume_id, provider,
                                                      send->restart ? SENDOFF_RESUME_RESTART
                                                                    : SENDOFF_RESUME_NONE,
                                                      &restarted, &error);
  if (send->transfer == NULL)
    {
      sendoff_cli_send_error (send, error);
      if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_FORGOTTEN))
        sendoff_cli_send_restart_hint (send);
      sendoff_cli_send_finish (send, sendoff_cli_status_for_error (error));
      return;
    }

  for (guint i = 0; restarted[i] != NULL; i++)
    {
      /* TRANSLATORS: a file that changed since its transfer stopped */
      g_autofree char *message = g_strdup_printf (_("“%s” changed since the transfer stopped; "
                                                    "it is sent again from the start"),
                                                  restarted[i]);

      if (send->json)
        {
          g_autoptr(JsonBuilder) builder = sendoff_cli_json_event ("restarted");

          sendoff_cli_json_add_string (builder, "name", restarted[i]);
          sendoff_cli_json_emit (builder);
        }
      sendoff_cli_printerr (message);
    }

  sendoff_cli_send_start_upload (send);
}

static void
on_discarded (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendoffCliSend *send = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!sendoff_uploader_discard_finish (SENDOFF_UPLOADER (source), result, &error))
    {
      sendoff_cli_send_error (send, error);
      sendoff_cli_send_finish (send, send->interrupted ? sendoff_cli_send_interrupt_status (send)
                                                       : EXIT_FAILED);
      return;
    }

  if (!send->quiet)
    {
      /* TRANSLATORS: %s is a transfer's id in the journal */
      message = g_strdup_printf (_("Discarded transfer %s"), send->resume_id);
      fputs (message, stdout);
      fputc ('\n', stdout);
    }
  sendoff_cli_send_finish (send, sendoff_cli_check_result_written (NULL) ? EXIT_SENT
                                                                          : EXIT_FAILED);
}

void
sendoff_cli_discard_start (SendoffCliSend *send)
{
  SendoffProvider *provider = sendoff_uploader_get_provider (send->uploader);
  g_autoptr(GError) error = NULL;

  send->transfer = sendoff_transfer_new_from_journal (send->journal, send->resume_id, provider,
                                                      SENDOFF_RESUME_DISCARD, NULL, &error);
  if (send->transfer == NULL)
    {
      sendoff_cli_send_error (send, error);
      sendoff_cli_send_finish (send, g_error_matches (error, SENDOFF_JOURNAL_ERROR,
                                                      SENDOFF_JOURNAL_ERROR_BUSY)
                                     ? EXIT_USAGE : EXIT_FAILED);
      return;
    }
  sendoff_uploader_discard_async (send->uploader, send->transfer, send->cancellable,
                                  on_discarded, send);
}

/* The destination the transfer was sent to: saved ones by their id, else
 * its backend set up from the environment (and -o, --api-url) */
static gboolean
resume_destination (SendoffCliSend                *send,
                    const SendoffJournalTransfer  *record,
                    GError                       **error)
{
  if (send->settings == NULL)
    {
      send->settings = sendoff_settings_new_if_available ();
      sendoff_cli_migrate_settings (send->settings);
    }

  if (record->destination_id == NULL)
    {
      send->destination = sendoff_cli_choose_destination (send->settings, NULL, record->backend_id,
                                                          send->options, send->api_url_override,
                                                          TRUE, error);
      return send->destination != NULL;
    }

  if (send->settings != NULL)
    send->destination = sendoff_destination_find (send->settings, record->destination_id);
  if (send->destination == NULL)
    {
      g_autofree char *name = sendoff_str_escape_terminal (record->destination_name
                                                             ? record->destination_name : "");

      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("Transfer %s went to “%s”, which is no longer a saved destination; add it "
                     "again, or discard the transfer"), record->id, name);
      return FALSE;
    }
  return sendoff_cli_apply_options (send->destination, send->options, send->api_url_override,
                                    error) &&
         sendoff_destination_check_options (send->destination, error);
}

/* Another process sends, resumes or discards it: nothing is asked for
 * (no key), sent or written. Given by its id, that is an error; met by
 * `resume` without one, it is left to that process. */
static int
refuse_locked (SendoffCliSend *send,
               const char     *id,
               gboolean        chosen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *skipped = NULL;

  if (sendoff_journal_check_unlocked (send->journal, id, &error))
    return -1;   /* let go of since it was listed */
  if (chosen)
    {
      sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_USAGE, error->message);
      return EXIT_USAGE;
    }

  /* TRANSLATORS: %s says which transfer another process sends */
  skipped = g_strdup_printf (_("%s; skipped"), error->message);
  if (send->json)
    {
      g_autoptr(JsonBuilder) builder = sendoff_cli_json_event ("skipped");

      sendoff_cli_json_add_string (builder, "journal_id", id);
      sendoff_cli_json_add_string (builder, "message", skipped);
      sendoff_cli_json_emit (builder);
    }
  sendoff_cli_printerr (skipped);
  return EXIT_SENT;
}

/* One journaled transfer: resumed, or discarded; @chosen: given by its id */
static int
run_journaled (SendoffCliSend *send,
               const char     *id,
               gboolean        chosen)
{
  g_autoptr(SendoffJournalTransfer) record = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  record = sendoff_journal_get (send->journal, id, &error);
  if (record == NULL)
    {
      g_autofree char *shown = sendoff_str_escape_terminal (id);
      g_autofree char *message = NULL;

      if (!g_error_matches (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_NOT_FOUND))
        {
          sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_SERVER, error->message);
          return EXIT_FAILED;
        }
      /* TRANSLATORS: %s is what was given as a transfer's id */
      message = g_strdup_printf (_("There is no transfer %s in the journal (see “sendoff-cli "
                                   "history”)"), shown);
      sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_USAGE, message);
      return EXIT_USAGE;
    }
  if (record->locked && (status = refuse_locked (send, record->id, chosen)) >= 0)
    return status;
  if (send->discarding && record->state == SENDOFF_JOURNAL_DISCARDED)
    {
      if (!send->quiet)
        g_print (_("Transfer %s was discarded already\n"), record->id);
      return EXIT_SENT;
    }
  if (!resume_destination (send, record, &error))
    {
      sendoff_cli_send_error (send, error);
      return sendoff_cli_status_for_error (error);
    }

  send->resume_id = g_strdup (record->id);
  status = sendoff_cli_send_run (send);
  sendoff_cli_send_clear_run (send);
  return status;
}

static gboolean
parse_journal_options (SendoffCliSend   *send,
                       gboolean          discard,
                       int              *argc,
                       char           ***argv,
                       GError          **error)
{
  const GOptionEntry entries[] = {
    { "restart", 0, 0, G_OPTION_ARG_NONE, &send->restart,
      N_("Send everything again from the start (when the server forgot the transfer)"), NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &send->jobs_arg,
      N_("Parts uploaded at the same time (1–32, default 4)"), N_("N") },
    { "retries", 0, 0, G_OPTION_ARG_STRING, &send->retries_arg,
      N_("Times a failed request is tried again (0–100, default 10)"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &send->timeout_arg,
      N_("A request that moves less than 1 KiB in this many seconds is tried again; a send "
         "that moves nothing for four times as long fails (1–3600, default 30)"),
      N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &send->json,
      N_("Write one JSON object per line on standard output"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &send->quiet,
      N_("Print only the link, or errors"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &send->verbose,
      N_("Describe decisions, retries and files sent on standard error (secrets left out)"), NULL },
    { NULL }
  };
  const GOptionEntry common[] = {
    { "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &send->options,
      N_("Set an option of the backend (see “sendoff-cli destination add --help”)"),
      N_("KEY=VALUE") },
    { "api-url", 0, 0, G_OPTION_ARG_STRING, &send->api_url_override,
      N_("The same as -o api-url=URL (else $SENDOFF_API_URL)"), N_("URL") },
    { "secret-fd", 0, 0, G_OPTION_ARG_INT, &send->secret_fd,
      N_("Read the backend’s secrets from file descriptor N, one a line"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;

  context = g_option_context_new (discard ? _("ID — give up an unfinished transfer")
                                          : _("[ID] — continue unfinished transfers"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, discard
    ? _("Aborts what the backend can abort of transfer ID on the server and marks it "
        "discarded in the journal (see “sendoff-cli history”).")
    : _("Continues transfer ID from the journal, or every unfinished one, one after the "
        "other, sending only what the server does not hold yet. Every file is checked "
        "first: a changed file is sent again from the start, a missing one stops the "
        "resume. The destination is the one the transfer was sent to (a destination not "
        "saved is set up from the environment, -o and --api-url)."));
  g_option_context_set_description (context, discard
    ? _("Exit status: 0 discarded; 1 the abort failed; 2 usage, no such transfer, or "
        "another Sendoff is sending it; 3 no credentials.")
    : _("Exit status: 0 sent; 1 failed, or the server no longer knows the transfer "
        "(“--restart” sends it again); 2 usage, no such transfer, another Sendoff is "
        "sending it, or a file is gone; 3 credentials; 129, 130, 143 interrupted. "
        "Without ID, a transfer another Sendoff is sending is left to it."));
  if (!discard)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);

  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
check_journal_arguments (SendoffCliSend  *send,
                         int              argc,
                         GError         **error)
{
  if (argc > 2 || (send->discarding && argc != 2))
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           send->discarding ? _("Give the id of one transfer to discard")
                                            : _("Give at most one transfer id"));
      return FALSE;
    }
  if (send->secret_fd >= 0 && send->secret_fd <= STDERR_FILENO)
    {
      g_set_error_literal (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                           _("--secret-fd must name a file descriptor above 2"));
      return FALSE;
    }
  return TRUE;
}

/* `resume [ID]` and `discard ID` */
static int
cmd_journaled (int        argc,
               char     **argv,
               gboolean   discard)
{
  SendoffCliSend send = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int status = EXIT_SENT;

  send.retries = -1;
  send.secret_fd = -1;
  send.discarding = discard;

  if (!parse_journal_options (&send, discard, &argc, &argv, &error) ||
      !check_journal_arguments (&send, argc, &error) ||
      !sendoff_cli_send_resolve_counts (&send, &error))
    {
      if (send.json)
        sendoff_cli_json_error (SENDOFF_CLI_ERROR_USAGE, error->message);
      sendoff_cli_printerr (error->message);
      g_printerr (discard ? _("Try “sendoff-cli discard --help”.\n")
                          : _("Try “sendoff-cli resume --help”.\n"));
      sendoff_cli_send_clear (&send);
      return EXIT_USAGE;
    }
  if (send.verbose)
    sendoff_cli_verbose_enable ();
  send.keep_secrets = send.secret_fd >= 0;

  if ((send.journal = sendoff_cli_open_journal (FALSE)) == NULL)
    {
      sendoff_cli_send_clear (&send);
      return EXIT_FAILED;
    }

  if (argc == 2)
    g_ptr_array_add (ids, g_strdup (argv[1]));
  else
    {
      g_autoptr(GPtrArray) unfinished = sendoff_journal_list (send.journal, TRUE, &error);

      if (unfinished == NULL)
        {
          sendoff_cli_printerr (error->message);
          sendoff_cli_send_clear (&send);
          return EXIT_FAILED;
        }
      /* oldest first */
      for (guint i = unfinished->len; i > 0; i--)
        g_ptr_array_add (ids, g_strdup (((SendoffJournalTransfer *)
                                         g_ptr_array_index (unfinished, i - 1))->id));
      if (ids->len == 0 && !send.quiet)
        g_print ("%s\n", _("No unfinished transfers."));
    }

  for (guint i = 0; i < ids->len && !send.interrupted; i++)
    {
      int one = run_journaled (&send, g_ptr_array_index (ids, i), argc == 2);

      if (status == EXIT_SENT)
        status = one;
    }

  sendoff_cli_send_clear (&send);
  return status;
}

int
sendoff_cli_resume (int    argc,
                    char **argv)
{
  return cmd_journaled (argc, argv, FALSE);
}

int
sendoff_cli_discard (int    argc,
                     char **argv)
{
  return cmd_journaled (argc, argv, TRUE);
}
