/* sendoff-cli.c — send files from the command line
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "sendoff-cli-destination.h"
#include "sendoff-cli-input.h"
#include "sendoff-cli-login.h"
#include "sendoff-cli-output.h"
#include "sendoff-cli-send.h"
#include "sendoff-cli-send-extras.h"
#include "sendoff-cli-status.h"
#include "sendoff-cli-history.h"
#include "sendoff-credentials.h"
#include "sendoff-destination.h"
#include "sendoff-journal.h"
#include "sendoff-text.h"
#include "sendoff-transfer.h"
#include "sendoff-transfer-resume.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"

#define PROGRESS_INTERVAL_MS 500
#define MAX_RETRIES          100


void
sendoff_cli_send_clear (SendoffCliSend *send)
{
  g_clear_pointer (&send->name, g_free);
  g_clear_pointer (&send->message, g_free);
  g_clear_pointer (&send->to, g_free);
  g_clear_pointer (&send->service_id, g_free);
  g_clear_pointer (&send->options, g_strfreev);
  g_clear_pointer (&send->api_url_override, g_free);
  g_clear_pointer (&send->jobs_arg, g_free);
  g_clear_pointer (&send->retries_arg, g_free);
  g_clear_pointer (&send->timeout_arg, g_free);
  g_clear_pointer (&send->excludes, g_strfreev);
  g_clear_pointer (&send->paths, g_strfreev);
  g_clear_pointer (&send->progress, sendoff_cli_progress_free);
  g_clear_pointer (&send->spool, sendoff_cli_spool_free);
  g_clear_pointer (&send->loop, g_main_loop_unref);
  g_clear_object (&send->cancellable);
  g_clear_object (&send->settings);
  g_clear_object (&send->destination);
  g_clear_object (&send->uploader);
  g_clear_object (&send->transfer);
  g_clear_pointer (&send->secrets, g_hash_table_unref);
  sendoff_cli_verbose_set_secrets (NULL);
  g_clear_handle_id (&send->progress_id, g_source_remove);
  g_clear_object (&send->journal);
  g_clear_pointer (&send->resume_id, g_free);
}

/* What one transfer of `resume` used; the options and the journal stay */
void
sendoff_cli_send_clear_run (SendoffCliSend *send)
{
  g_clear_pointer (&send->progress, sendoff_cli_progress_free);
  g_clear_pointer (&send->loop, g_main_loop_unref);
  g_clear_object (&send->cancellable);
  g_clear_object (&send->destination);
  g_clear_object (&send->uploader);
  g_clear_object (&send->transfer);
  if (!send->keep_secrets)
    g_clear_pointer (&send->secrets, g_hash_table_unref);
  g_clear_handle_id (&send->progress_id, g_source_remove);
  g_clear_pointer (&send->resume_id, g_free);
}

/* ---- output ----------------------------------------------------------- */

void
sendoff_cli_send_error_kind (SendoffCliSend      *send,
                             SendoffCliErrorKind  kind,
                             const char          *message)
{
  if (send->json)
    sendoff_cli_json_error (kind, message);

  sendoff_cli_progress_clear (send->progress);
  sendoff_cli_printerr (message);
}

void
sendoff_cli_send_error (SendoffCliSend *send,
                        const GError   *error)
{
  sendoff_cli_send_error_kind (send, sendoff_cli_error_kind_for (error), error->message);
}

static gboolean
on_progress (gpointer user_data)
{
  SendoffCliSend *send = user_data;
  SendoffTransfer *transfer = send->transfer;

  if (send->json)
    {
      g_autoptr(JsonBuilder) builder = sendoff_cli_json_event ("progress");

      sendoff_cli_json_add_int (builder, "bytes-sent",
                                (gint64) sendoff_transfer_get_bytes_sent (transfer));
      sendoff_cli_json_add_int (builder, "size", (gint64) sendoff_transfer_get_size (transfer));
      sendoff_cli_json_add_int (builder, "speed", (gint64) sendoff_transfer_get_speed (transfer));
      sendoff_cli_json_add_known (builder, "eta", sendoff_transfer_get_eta (transfer));
      sendoff_cli_json_emit (builder);
    }
  else if (!send->quiet)
    sendoff_cli_progress_update (send->progress, transfer);

  return G_SOURCE_CONTINUE;
}

/* Retries are said, not kept silent for a minute: "retrying part 12 of
 * report.pdf in 4 s (attempt 3 of 10): HTTP 503", or a JSON retry event */
static void
on_retry (SendoffUploader *uploader,
          SendoffItem     *item,
          guint            part_number,
          guint            attempt,
          guint            max_attempts,
          guint            delay_ms,
          const char      *reason,
          SendoffCliSend  *send)
{
  guint seconds = (delay_ms + 999) / 1000;
  g_autofree char *line = NULL;

  if (send->json)
    {
      g_autoptr(JsonBuilder) builder = sendoff_cli_json_event ("retry");

      sendoff_cli_json_add_string (builder, "name", item ? sendoff_item_get_name (item) : NULL);
      sendoff_cli_json_add_int (builder, "part", part_number);
      sendoff_cli_json_add_int (builder, "attempt", attempt);
      sendoff_cli_json_add_int (builder, "max_attempts", max_attempts);
      sendoff_cli_json_add_int (builder, "delay_ms", delay_ms);
      sendoff_cli_json_add_string (builder, "reason", reason);
      sendoff_cli_json_emit (builder);
      return;
    }
  if (send->quiet)
    return;

  if (item != NULL && part_number > 0)
    /* TRANSLATORS: "retrying part 12 of report.pdf in 4 s (attempt 3 of 10): HTTP 503" */
    line = g_strdup_printf (_("retrying part %u of %s in %u s (attempt %u of %u): %s"),
                            part_number, sendoff_item_get_name (item), seconds, attempt,
                            max_attempts, reason);
  else
    /* TRANSLATORS: "retrying in 2 s (attempt 2 of 11): the service is busy" */
    line = g_strdup_printf (_("retrying in %u s (attempt %u of %u): %s"),
                            seconds, attempt, max_attempts, reason);
  sendoff_cli_progress_clear (send->progress);
  sendoff_cli_printerr (line);
}

static void
on_item_state (SendoffItem    *item,
               GParamSpec     *pspec,
               SendoffCliSend *send)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (sendoff_item_get_state (item) != SENDOFF_STATE_DONE)
    return;

  g_debug ("Sent “%s” (%u retries)", sendoff_item_get_name (item),
           sendoff_item_get_retries (item));
  if (!send->json)
    return;

  builder = sendoff_cli_json_event ("item-done");
  sendoff_cli_json_add_string (builder, "name", sendoff_item_get_name (item));
  sendoff_cli_json_add_int (builder, "size", (gint64) sendoff_item_get_size (item));
  sendoff_cli_json_add_int (builder, "retries", sendoff_item_get_retries (item));
  sendoff_cli_json_emit (builder);
}

/* ---- the flow --------------------------------------------------------- */

int
sendoff_cli_send_interrupt_status (SendoffCliSend *send)
{
  return send->signal > 0 ? 128 + send->signal : EXIT_INTERRUPTED;
}

int
sendoff_cli_status_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_INTERRUPTED;
  if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH) ||
      g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS) ||
      g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING))
    return EXIT_CREDENTIALS;
  /* like one sent or discarded already: not a transfer to work on now */
  if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT) ||
      g_error_matches (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY))
    return EXIT_USAGE;
  return EXIT_FAILED;
}

void
sendoff_cli_send_finish (SendoffCliSend *send,
                         int             status)
{
  send->status = status;
  g_clear_handle_id (&send->progress_id, g_source_remove);
  g_main_loop_quit (send->loop);
}

#define MAX_FAILED_SHOWN 10

/* Which files did not make it, and why (the transfer's error is only the first) */
static void
print_failed_items (SendoffCliSend *send)
{
  GListModel *items = sendoff_transfer_get_items (send->transfer);
  guint n = g_list_model_get_n_items (items), shown = 0, failed = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      g_autofree char *message = NULL;

      if (sendoff_item_get_state (item) != SENDOFF_STATE_FAILED)
        continue;
      if (failed++ >= MAX_FAILED_SHOWN)
        continue;
      /* TRANSLATORS: a file that failed, and why: "“report.pdf” failed: HTTP 500" */
      message = g_strdup_printf (_("“%s” failed: %s"), sendoff_item_get_name (item),
                                 sendoff_item_get_error (item) ? sendoff_item_get_error (item)
                                                               : _("not sent"));
      sendoff_cli_printerr (message);
      shown++;
    }

  if (failed > shown)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "… and %u more file failed",
                                                            "… and %u more files failed",
                                                            failed - shown), failed - shown);
      sendoff_cli_printerr (more);
    }
}

static const char *
journal_id (SendoffCliSend *send)
{
  return send->transfer ? sendoff_transfer_get_journal_id (send->transfer) : NULL;
}

/* An interrupted send says how to continue it, with its journal id */
static void
print_interrupted (SendoffCliSend *send)
{
  const char *id = journal_id (send);
  const char *message = _("Interrupted; nothing more was sent");
  g_autofree char *hint = NULL;

  if (send->json)
    {
      g_autoptr(JsonBuilder) builder = sendoff_cli_json_event ("error");

      sendoff_cli_json_add_string (builder, "kind", sendoff_cli_error_kind_to_string (
                                     SENDOFF_CLI_ERROR_INTERRUPTED));
      sendoff_cli_json_add_string (builder, "message", message);
      sendoff_cli_json_add_string (builder, "journal_id", id);
      sendoff_cli_json_emit (builder);
    }
  sendoff_cli_progress_clear (send->progress);
  sendoff_cli_printerr (message);
  if (id == NULL)
    return;
  /* TRANSLATORS: %s is a transfer's id in the journal, twice */
  hint = g_strdup_printf (_("Transfer %s can continue where it stopped: sendoff-cli resume %s"),
                          id, id);
  sendoff_cli_printerr (hint);
}

/* The server forgot what a resume continues: nothing was re-sent */
void
sendoff_cli_send_restart_hint (SendoffCliSend *send)
{
  g_autofree char *hint = NULL;

  if (send->resume_id == NULL)
    return;
  /* TRANSLATORS: %s is a transfer's id in the journal */
  hint = g_strdup_printf (_("To send it all again from the start: sendoff-cli resume --restart %s"),
                          send->resume_id);
  sendoff_cli_printerr (hint);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendoffCliSend *send = user_data;
  g_autoptr(GError) error = NULL;
  const char *url;

  if (!sendoff_uploader_send_finish (SENDOFF_UPLOADER (source), result, &error))
    {
      if (send->interrupted)
        {
          print_interrupted (send);
          sendoff_cli_send_finish (send, sendoff_cli_send_interrupt_status (send));
          return;
        }
      sendoff_cli_send_error (send, error);
      print_failed_items (send);
      if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_FORGOTTEN))
        sendoff_cli_send_restart_hint (send);
      sendoff_cli_send_finish (send, sendoff_cli_status_for_error (error));
      return;
    }

  sendoff_cli_progress_clear (send->progress);
  url = sendoff_transfer_get_share_url (send->transfer);
  if (url == NULL)
    url = sendoff_transfer_get_result (send->transfer);

  if (send->json)
    {
      g_autoptr(JsonBuilder) builder = sendoff_cli_json_event ("done");

      sendoff_cli_json_add_string (builder, "url", sendoff_transfer_get_share_url (send->transfer));
      sendoff_cli_json_add_string (builder, "result", sendoff_transfer_get_result (send->transfer));
      sendoff_cli_json_add_string (builder, "journal_id", journal_id (send));
      sendoff_cli_json_add_known (builder, "expires_at",
                                  sendoff_transfer_get_link_expires_at (send->transfer) > 0
                                    ? sendoff_transfer_get_link_expires_at (send->transfer) : -1);
      sendoff_cli_json_emit (builder);
    }
  else
    {
      g_autofree char *safe = sendoff_str_escape_terminal (url ? url : "");

      fputs (safe, stdout);
      fputc ('\n', stdout);
    }

  sendoff_cli_send_finish (send, sendoff_cli_check_result_written (url) ? EXIT_SENT : EXIT_FAILED);
}

void
sendoff_cli_send_start_upload (SendoffCliSend *send)
{
  g_autoptr(JsonBuilder) builder = NULL;
  GListModel *items;
  guint n, retries;

  sendoff_uploader_set_jobs (send->uploader, (guint) send->jobs);
  if (send->retries >= 0)
    g_object_set (send->uploader, "max-retries", (guint) send->retries, NULL);
  if (send->timeout > 0)
    sendoff_uploader_set_stall_timeout (send->uploader, (guint) send->timeout);
  g_object_get (send->uploader, "max-retries", &retries, NULL);
  g_debug ("Sending to “%s” (%s): %u parts at a time, up to %u retries a request",
           sendoff_destination_get_name (send->destination),
           sendoff_destination_get_backend (send->destination)->id, (guint) send->jobs, retries);

  items = sendoff_transfer_get_items (send->transfer);
  n = g_list_model_get_n_items (items);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      g_signal_connect (item, "notify::state", G_CALLBACK (on_item_state), send);
    }

  if (send->json)
    {
      g_autofree char *name = sendoff_transfer_dup_effective_name (send->transfer);

      builder = sendoff_cli_json_event ("started");
      sendoff_cli_json_add_int (builder, "version", SENDOFF_CLI_JSON_VERSION);
      sendoff_cli_json_add_string (builder, "name", name);
      sendoff_cli_json_add_string (builder, "service",
                                   sendoff_destination_get_backend (send->destination)->id);
      sendoff_cli_json_add_string (builder, "destination",
                                   sendoff_destination_get_name (send->destination));
      sendoff_cli_json_add_int (builder, "files", n);
      sendoff_cli_json_add_int (builder, "size", (gint64) sendoff_transfer_get_size (send->transfer));
      sendoff_cli_json_emit (builder);
    }

  send->progress = sendoff_cli_progress_new ();
  g_signal_connect (send->uploader, "retry", G_CALLBACK (on_retry), send);
  send->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, on_progress, send);
  sendoff_uploader_send_async (send->uploader, send->transfer, send->cancellable, on_sent, send);
}


/* The secrets are in hand (so --verbose can keep them out of the log):
 * the destination makes the uploader. */
static void
make_uploader (SendoffCliSend *send)
{
  g_autoptr(GError) error = NULL;

  sendoff_cli_verbose_set_secrets (send->secrets);
  send->uploader = sendoff_destination_new_uploader (send->destination, send->secrets, &error);
  if (send->uploader == NULL)
    {
      if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS))
        {
          g_autofree char *hint = sendoff_cli_dup_secret_hint (send->destination);
          g_autofree char *message = g_strdup_printf ("%s %s", error->message, hint);

          sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_AUTH, message);
          sendoff_cli_send_finish (send, EXIT_CREDENTIALS);
          return;
        }
      sendoff_cli_send_error (send, error);
      sendoff_cli_send_finish (send, sendoff_cli_status_for_error (error));
      return;
    }

  sendoff_uploader_set_journal (send->uploader, send->journal);
  if (send->discarding)
    sendoff_cli_discard_start (send);
  else if (send->resume_id != NULL)
    sendoff_cli_resume_start (send);
  else
    sendoff_cli_send_start_upload (send);
}

static void
on_secrets (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SendoffCliSend *send = user_data;
  g_autoptr(GError) error = NULL;

  send->secrets = sendoff_credentials_lookup_all_finish (result, &error);
  if (send->secrets == NULL)
    {
      if (send->interrupted)
        {
          sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_INTERRUPTED,
                                       _("Interrupted; nothing was sent"));
          sendoff_cli_send_finish (send, sendoff_cli_send_interrupt_status (send));
          return;
        }
      sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_AUTH, error->message);
      sendoff_cli_send_finish (send, EXIT_CREDENTIALS);
      return;
    }

  sendoff_cli_verbose_secret_sources (send->destination, NULL);
  make_uploader (send);
}

/* --secret-fd, else the environment and the keyring; then the uploader */
void
sendoff_cli_send_get_secrets (SendoffCliSend *send)
{
  g_autoptr(GError) error = NULL;

  if (send->secret_fd >= 0 && send->secrets != NULL)
    {
      make_uploader (send);   /* a later transfer of `resume` */
      return;
    }
  if (send->secret_fd >= 0)
    {
      send->secrets = sendoff_cli_secrets_from_fd (send->destination, send->secret_fd, &error);
      if (send->secrets == NULL)
        {
          sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_USAGE, error->message);
          sendoff_cli_send_finish (send, EXIT_USAGE);
          return;
        }
      sendoff_cli_verbose_secret_sources (send->destination, "--secret-fd");
      make_uploader (send);
      return;
    }

  sendoff_credentials_lookup_all_async (send->destination, TRUE, send->cancellable,
                                        on_secrets, send);
}

static void
on_files_added (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SendoffCliSend *send = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) refused = NULL;

  if (!sendoff_transfer_add_files_finish (SENDOFF_TRANSFER (source), result, &refused, &error))
    {
      sendoff_cli_send_error (send, error);
      sendoff_cli_send_finish (send, send->interrupted ? sendoff_cli_send_interrupt_status (send)
                                                       : EXIT_USAGE);
      return;
    }

  /* Bad input sends nothing at all: the user fixes the list first */
  if (refused != NULL && refused[0] != NULL)
    {
      for (guint i = 0; refused[i] != NULL; i++)
        sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_INPUT, refused[i]);
      sendoff_cli_send_finish (send, EXIT_USAGE);
      return;
    }

  sendoff_cli_exclude_items (send->transfer, (const char *const *) send->excludes);

  if (sendoff_transfer_get_n_items (send->transfer) == 0)
    {
      sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_INPUT,
                                   send->excludes
                                     ? _("There are no files to send (--exclude left none)")
                                     : _("There are no files to send (the folders are empty)"));
      sendoff_cli_send_finish (send, EXIT_USAGE);
      return;
    }

  if (send->dry_run)
    {
      sendoff_cli_print_plan (send->transfer, send->destination, send->options,
                              send->api_url_override, send->json);
      sendoff_cli_send_finish (send, sendoff_cli_check_result_written (NULL) ? EXIT_SENT
                                                                              : EXIT_FAILED);
      return;
    }

  sendoff_cli_send_get_secrets (send);
}

static void
interrupt (SendoffCliSend *send,
           int             signum)
{
  if (!send->interrupted)
    {
      send->interrupted = TRUE;
      send->signal = signum;
      g_cancellable_cancel (send->cancellable);
    }
}

static void
add_files (SendoffCliSend *send)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; send->paths[i] != NULL; i++)
    {
      if (g_str_equal (send->paths[i], "-"))
        g_ptr_array_add (files, g_file_new_for_path (send->spool->path));
      else
        g_ptr_array_add (files, g_file_new_for_commandline_arg (send->paths[i]));
    }

  sendoff_transfer_add_files_async (send->transfer, (GFile **) files->pdata, files->len,
                                    send->cancellable, on_files_added, send);
}

/* Standard input is read in a thread: a signal stops the wait for it */
static void
on_spooled (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SendoffCliSend *send = user_data;
  g_autoptr(GError) error = NULL;

  send->spool = sendoff_cli_spool_stdin_finish (result, &error);
  if (send->spool == NULL)
    {
      if (send->interrupted)
        {
          sendoff_cli_send_error_kind (send, SENDOFF_CLI_ERROR_INTERRUPTED,
                                       _("Interrupted; nothing was sent"));
          sendoff_cli_send_finish (send, sendoff_cli_send_interrupt_status (send));
          return;
        }
      sendoff_cli_send_error (send, error);
      sendoff_cli_send_finish (send, EXIT_USAGE);
      return;
    }

  add_files (send);
}

static gboolean
on_sigint (gpointer send)
{
  interrupt (send, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer send)
{
  interrupt (send, SIGTERM);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sighup (gpointer send)
{
  interrupt (send, SIGHUP);
  return G_SOURCE_CONTINUE;
}

static const char *
service_ids (void)
{
  static char *ids;

  if (ids == NULL)
    {
      const SendoffBackendInfo *const *list = sendoff_backend_list ();
      GString *text = g_string_new (NULL);

      for (guint i = 0; list[i] != NULL; i++)
        g_string_append_printf (text, "%s%s", i ? ", " : "", list[i]->id);
      ids = g_string_free (text, FALSE);
    }

  return ids;
}

/* "wetransfer-v1: $SENDOFF_API_KEY; wunderlist: $SENDOFF_ACCESS_TOKEN and …",
 * from the backends' declarations */
static char *
dup_secret_variables (void)
{
  const SendoffBackendInfo *const *list = sendoff_backend_list ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_string_append_printf (text, "%s%s:", i ? "; " : "", list[i]->id);
      for (const SendoffSecretSpec *spec = list[i]->secrets; spec && spec->key; spec++)
        if (spec->env != NULL)
          g_string_append_printf (text, "%s $%s", spec == list[i]->secrets ? "" : ",", spec->env);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
parse_send_options (SendoffCliSend   *send,
                    int              *argc,
                    char           ***argv,
                    GError          **error)
{
  g_autofree char *service_help = g_strdup_printf (_("Send through this backend, set up "
                                                     "with -o, instead of a destination: %s"),
                                                   service_ids ());
  g_autofree char *variables = dup_secret_variables ();
  g_autofree char *summary = NULL;
  const GOptionEntry send_entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &send->name,
      N_("Name of the transfer"), N_("TEXT") },
    { "message", 'm', 0, G_OPTION_ARG_STRING, &send->message,
      N_("Message for the recipients"), N_("TEXT") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &send->to,
      N_("Send to this saved destination (else the default one)"), N_("NAME") },
    { "service", 's', 0, G_OPTION_ARG_STRING, &send->service_id, service_help, N_("ID") },
    { "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &send->options,
      N_("Set an option of the backend (see “sendoff-cli destination add --help”)"),
      N_("KEY=VALUE") },
    { "api-url", 0, 0, G_OPTION_ARG_STRING, &send->api_url_override,
      N_("The same as -o api-url=URL (else $SENDOFF_API_URL)"), N_("URL") },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &send->jobs_arg,
      N_("Parts uploaded at the same time (1–32, default 4)"), N_("N") },
    { "retries", 0, 0, G_OPTION_ARG_STRING, &send->retries_arg,
      N_("Times a failed request is tried again (0–100, default 10)"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &send->timeout_arg,
      N_("A request that moves less than 1 KiB in this many seconds is tried again; a send "
         "that moves nothing for four times as long fails (1–3600, default 30)"),
      N_("SECONDS") },
    { "exclude", 'x', 0, G_OPTION_ARG_STRING_ARRAY, &send->excludes,
      N_("Leave out files whose path, name or a folder matches GLOB (repeatable)"),
      N_("GLOB") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &send->dry_run,
      N_("Show the destination, files, sizes and parts that would be sent, and send nothing"),
      NULL },
    { "secret-fd", 0, 0, G_OPTION_ARG_INT, &send->secret_fd,
      N_("Read the backend’s secrets from file descriptor N, one a line"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &send->json,
      N_("Write one JSON object per line on standard output"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &send->quiet,
      N_("Print only the link, or errors"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &send->verbose,
      N_("Describe decisions, retries and files sent on standard error (secrets left out)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &send->paths, NULL,
      N_("FILE|FOLDER|-…") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— send files"));

  /* TRANSLATORS: %s lists each backend's environment variables */
  summary = g_strdup_printf (_("Uploads the files (folders with everything in them) as one "
                               "transfer and prints the share link as the last line. “-” "
                               "reads standard input as one file, named by --name.\n"
                               "The secrets come from --secret-fd, else the environment (%s), "
                               "else the keyring (see “sendoff-cli login”, the safer way)."),
                             variables);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context,
    _("Exit status: 0 sent; 1 failed (network or server), or the link could not be "
      "written; 2 usage or bad input, nothing was created; 3 the service refused the "
      "credentials, or none are stored; 129, 130, 143 interrupted by SIGHUP, SIGINT "
      "(Ctrl+C), SIGTERM.\nSee sendoff-cli(1) for the JSON events."));
  g_option_context_add_main_entries (context, send_entries, GETTEXT_PACKAGE);

  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
resolve_destination (SendoffCliSend  *send,
                     GError         **error)
{
  send->settings = sendoff_settings_new_if_available ();
  sendoff_cli_migrate_settings (send->settings);

  send->destination = sendoff_cli_choose_destination (send->settings, send->to, send->service_id,
                                                      send->options, send->api_url_override,
                                                      TRUE, error);
  return send->destination != NULL && sendoff_cli_send_resolve_counts (send, error);
}

/* --jobs (else the setting) and --retries */
gboolean
sendoff_cli_send_resolve_counts (SendoffCliSend  *send,
                                 GError         **error)
{
  if (send->jobs_arg == NULL)
    send->jobs = send->settings ? (int) g_settings_get_uint (send->settings, "jobs")
                                : SENDOFF_UPLOADER_DEFAULT_JOBS;
  else if (!sendoff_cli_parse_count ("--jobs", send->jobs_arg, 1, SENDOFF_UPLOADER_MAX_JOBS,
                                     &send->jobs, error))
    return FALSE;
  if (send->jobs < 1 || send->jobs > SENDOFF_UPLOADER_MAX_JOBS)
    send->jobs = SENDOFF_UPLOADER_DEFAULT_JOBS;
  if (send->retries_arg != NULL &&
      !sendoff_cli_parse_count ("--retries", send->retries_arg, 0, MAX_RETRIES,
                                &send->retries, error))
    return FALSE;
  if (send->timeout_arg != NULL &&
      !sendoff_cli_parse_count ("--timeout", send->timeout_arg, 1, 3600, &send->timeout, error))
    return FALSE;

  return TRUE;
}

/* What the options and paths say on their own, before anything is read */
static gboolean
check_arguments (SendoffCliSend  *send,
                 GError         **error)
{
  guint n_stdin = 0;

  if (send->api_url_override != NULL && *send->api_url_override == '\0')
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("--api-url is empty; give the service’s base URL, or leave the option out"));
      return FALSE;
    }
  if (send->secret_fd < -1 || (send->secret_fd >= 0 && send->secret_fd <= STDERR_FILENO))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("--secret-fd must name a file descriptor above 2"));
      return FALSE;
    }
  for (guint i = 0; send->excludes != NULL && send->excludes[i] != NULL; i++)
    if (*send->excludes[i] == '\0')
      {
        g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                     _("--exclude was given an empty pattern"));
        return FALSE;
      }

  for (guint i = 0; send->paths != NULL && send->paths[i] != NULL; i++)
    {
      if (*send->paths[i] == '\0')
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("File %u of the command line is an empty path (an unset variable?); "
                         "nothing was sent"), i + 1);
          return FALSE;
        }
      if (g_str_equal (send->paths[i], "-"))
        n_stdin++;
    }
  if (n_stdin > 1)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("“-” (standard input) can be given only once"));
      return FALSE;
    }

  return TRUE;
}

static int
cmd_send (int    argc,
          char **argv)
{
  SendoffCliSend send = { 0 };
  g_autoptr(GError) error = NULL;
  guint sigint_id, sigterm_id, sighup_id;
  int status;

  send.retries = -1;     /* unset: the engine's default */
  send.secret_fd = -1;

  if (!parse_send_options (&send, &argc, &argv, &error) || !check_arguments (&send, &error) ||
      !resolve_destination (&send, &error))
    {
      if (send.json)
        sendoff_cli_json_error (SENDOFF_CLI_ERROR_USAGE, error->message);
      sendoff_cli_printerr (error->message);
      g_printerr (_("Try “sendoff-cli send --help”.\n"));
      sendoff_cli_send_clear (&send);
      return EXIT_USAGE;
    }

  if (send.paths == NULL || send.paths[0] == NULL)
    {
      if (send.json)
        sendoff_cli_json_error (SENDOFF_CLI_ERROR_USAGE, _("No files given"));
      g_printerr ("sendoff-cli: %s\n", _("No files given"));
      g_printerr (_("Try “sendoff-cli send --help”.\n"));
      sendoff_cli_send_clear (&send);
      return EXIT_USAGE;
    }

  if (send.verbose)
    sendoff_cli_verbose_enable ();

  send.journal = sendoff_cli_open_journal (TRUE);
  send.loop = g_main_loop_new (NULL, FALSE);
  send.cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &send);
  sigterm_id = g_unix_signal_add (SIGTERM, on_sigterm, &send);
  sighup_id = g_unix_signal_add (SIGHUP, on_sighup, &send);

  send.transfer = sendoff_transfer_new ();
  if (send.name != NULL)
    sendoff_transfer_set_name (send.transfer, send.name);
  if (send.message != NULL)
    sendoff_transfer_set_description (send.transfer, send.message);

  if (g_strv_contains ((const char *const *) send.paths, "-"))
    sendoff_cli_spool_stdin_async (send.name ? send.name : "stdin", send.cancellable,
                                   on_spooled, &send);
  else
    add_files (&send);
  g_main_loop_run (send.loop);
  status = send.status;

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_source_remove (sighup_id);
  sendoff_cli_send_clear (&send);
  return status;
}

int
sendoff_cli_send_run (SendoffCliSend *send)
{
  guint sigint_id, sigterm_id, sighup_id;

  send->loop = g_main_loop_new (NULL, FALSE);
  send->cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, send);
  sigterm_id = g_unix_signal_add (SIGTERM, on_sigterm, send);
  sighup_id = g_unix_signal_add (SIGHUP, on_sighup, send);

  sendoff_cli_send_get_secrets (send);
  g_main_loop_run (send->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_source_remove (sighup_id);
  return send->status;
}

static gboolean
is_command (const char *name)
{
  static const char *const commands[] = { "send", "login", "logout", "status", "destination",
                                          "resume", "discard" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i]))
      return TRUE;
  return FALSE;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  sendoff-cli send [OPTION…] FILE|FOLDER…   send files, print the share link\n"
             "  sendoff-cli login [OPTION…]               store the API key in the keyring\n"
             "  sendoff-cli logout [OPTION…]              remove the stored API key\n"
             "  sendoff-cli destination list|add|remove|default|check …\n"
             "                                            the places files are sent to\n"
             "  sendoff-cli status [OPTION…]              show the destination and where its "
             "secrets come from\n"
             "  sendoff-cli help [COMMAND]                describe a command\n"
             "  sendoff-cli history [--json] | remove ID  sent transfers and their links\n"
             "  sendoff-cli resume [OPTION…] [ID]         continue unfinished transfers\n"
             "  sendoff-cli discard ID                    give up an unfinished transfer\n"
             "  sendoff-cli --version\n"
             "\n"
             "“sendoff-cli help COMMAND” or “sendoff-cli COMMAND --help” describes each "
             "command.\n"
             "See sendoff-cli(1) for the exit statuses, the environment and the JSON events.\n"));
}

int
main (int    argc,
      char **argv)
{
  const char *command;
  char *help_argv[5];

  sendoff_cli_guard_std_fds ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("sendoff-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  command = argv[1];

  /* "help send" is "send --help", "help destination add" "destination add --help" */
  if (g_str_equal (command, "help") && argc > 2 && is_command (argv[2]))
    {
      gboolean sub = g_str_equal (argv[2], "destination") && argc > 3;

      help_argv[0] = argv[0];
      help_argv[1] = argv[2];
      help_argv[2] = sub ? argv[3] : (char *) "--help";
      help_argv[3] = sub ? (char *) "--help" : NULL;
      help_argv[4] = NULL;
      argv = help_argv;
      argc = sub ? 4 : 3;
      command = argv[1];
    }
  else if (g_str_equal (command, "help") && argc > 2)
    {
      g_autofree char *safe = sendoff_str_escape_terminal (argv[2]);

      g_printerr (_("sendoff-cli: unknown command “%s”\n"), safe);
      print_usage (stderr);
      return EXIT_USAGE;
    }
  else if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
           g_str_equal (command, "help"))
    {
      print_usage (stdout);
      return EXIT_SENT;
    }

  if (g_str_equal (command, "--version"))
    {
      g_print ("sendoff-cli %s\n", PACKAGE_VERSION);
      return EXIT_SENT;
    }

  /* "--help" of a command then reads "Usage: sendoff-cli send [OPTION…] …" */
  if (is_command (command))
    {
      g_autofree char *prgname = g_strdup_printf ("sendoff-cli %s", command);
      g_set_prgname (prgname);
    }

  if (g_str_equal (command, "send"))
    return cmd_send (argc - 1, argv + 1);
  if (g_str_equal (command, "login"))
    return sendoff_cli_login (argc - 1, argv + 1);
  if (g_str_equal (command, "logout"))
    return sendoff_cli_logout (argc - 1, argv + 1);
  if (g_str_equal (command, "status"))
    return sendoff_cli_status (argc - 1, argv + 1);
  if (g_str_equal (command, "destination"))
    return sendoff_cli_destination (argc - 1, argv + 1);
  if (g_str_equal (command, "history"))
    return sendoff_cli_history (argc - 1, argv + 1);
  if (g_str_equal (command, "resume"))
    return sendoff_cli_resume (argc - 1, argv + 1);
  if (g_str_equal (command, "discard"))
    return sendoff_cli_discard (argc - 1, argv + 1);

  {
    g_autofree char *safe = sendoff_str_escape_terminal (command);
    g_printerr (_("sendoff-cli: unknown command “%s”\n"), safe);
  }
  print_usage (stderr);
  return EXIT_USAGE;
}
