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
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "sendoff-cli-login.h"
#include "sendoff-cli-history.h"
#include "sendoff-credentials.h"
#include "sendoff-service.h"
#include "sendoff-transfer.h"
#include "sendoff-types.h"
#include "sendoff-uploader.h"
#include "sendoff-wunderlist.h"

/* Exit statuses (documented in --help) */
enum {
  EXIT_SENT        = 0,
  EXIT_FAILED      = 1,
  EXIT_USAGE       = 2,
  EXIT_CREDENTIALS = 3,
  EXIT_INTERRUPTED = 130,
};

#define PROGRESS_INTERVAL_MS 500

typedef struct {
  /* options */
  char            *name;
  char            *message;
  char            *service_id;
  char            *api_url_override;
  int              jobs;
  gboolean         json;
  gboolean         quiet;
  char           **paths;
  /* Service-specific options go here, each filled by its own
   * GOptionEntry in send_entries[] and applied in apply_service_options(). */
  char            *task_id_arg;     /* wunderlist */
  guint64          task_id;

  /* state */
  GMainLoop       *loop;
  GCancellable    *cancellable;
  GSettings       *settings;
  const SendoffServiceInfo *info;
  char            *api_url;
  SendoffTransfer *transfer;
  SendoffUploader *uploader;
  GHashTable      *secrets;
  guint            progress_id;
  gboolean         interrupted;
  gboolean         live_line;       /* a progress line is on stderr */
  int              status;
} Send;

static void
send_clear (Send *send)
{
  g_clear_pointer (&send->name, g_free);
  g_clear_pointer (&send->message, g_free);
  g_clear_pointer (&send->service_id, g_free);
  g_clear_pointer (&send->api_url_override, g_free);
  g_clear_pointer (&send->task_id_arg, g_free);
  g_clear_pointer (&send->paths, g_strfreev);
  g_clear_pointer (&send->loop, g_main_loop_unref);
  g_clear_object (&send->cancellable);
  g_clear_object (&send->settings);
  g_clear_pointer (&send->api_url, g_free);
  g_clear_object (&send->uploader);
  g_clear_object (&send->transfer);
  g_clear_pointer (&send->secrets, g_hash_table_unref);
  g_clear_handle_id (&send->progress_id, g_source_remove);
}

/* ---- output ----------------------------------------------------------- */

static void
emit_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  line = json_to_string (root, FALSE);
  g_print ("%s\n", line);
  fflush (stdout);
}

static JsonBuilder *
json_event (const char *event)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  return builder;
}

static void
json_add_string (JsonBuilder *builder,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
json_add_int (JsonBuilder *builder,
              const char  *name,
              gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
clear_live_line (Send *send)
{
  if (send->live_line)
    {
      g_printerr ("\r\033[K");
      send->live_line = FALSE;
    }
}

static void
print_error (Send       *send,
             const char *message)
{
  if (send->json)
    {
      g_autoptr(JsonBuilder) builder = json_event ("error");

      json_add_string (builder, "message", message);
      emit_json (builder);
    }

  clear_live_line (send);
  g_printerr ("sendoff-cli: %s\n", message);
}

static char *
format_eta (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("");
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second left", "%d seconds left",
                                         (gulong) seconds), (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute left", "%d minutes left",
                                         (gulong) (seconds / 60)), (int) (seconds / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour left", "%d hours left",
                                       (gulong) (seconds / 3600)), (int) (seconds / 3600));
}

static gboolean
on_progress (gpointer user_data)
{
  Send *send = user_data;
  SendoffTransfer *transfer = send->transfer;
  guint64 sent = sendoff_transfer_get_bytes_sent (transfer);
  guint64 size = sendoff_transfer_get_size (transfer);
  double speed = sendoff_transfer_get_speed (transfer);
  gint64 eta = sendoff_transfer_get_eta (transfer);

  if (send->json)
    {
      g_autoptr(JsonBuilder) builder = json_event ("progress");

      json_add_int (builder, "bytes-sent", (gint64) sent);
      json_add_int (builder, "size", (gint64) size);
      json_add_int (builder, "speed", (gint64) speed);
      json_add_int (builder, "eta", eta);
      emit_json (builder);
    }
  else if (!send->quiet && isatty (STDERR_FILENO))
    {
      g_autofree char *sent_text = g_format_size (sent);
      g_autofree char *size_text = g_format_size (size);
      g_autofree char *speed_text = g_format_size ((guint64) speed);
      g_autofree char *eta_text = format_eta (eta);

      /* TRANSLATORS: progress line: percent, bytes sent, total, speed, time left */
      g_printerr ("\r\033[K%3d%%  %s of %s  %s/s  %s",
                  (int) (sendoff_transfer_get_fraction (transfer) * 100),
                  sent_text, size_text, speed_text, eta_text);
      send->live_line = TRUE;
    }

  return G_SOURCE_CONTINUE;
}

static void
on_item_state (SendoffItem *item,
               GParamSpec  *pspec,
               Send        *send)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!send->json || sendoff_item_get_state (item) != SENDOFF_STATE_DONE)
    return;

  builder = json_event ("item-done");
  json_add_string (builder, "name", sendoff_item_get_name (item));
  json_add_int (builder, "size", (gint64) sendoff_item_get_size (item));
  json_add_int (builder, "retries", sendoff_item_get_retries (item));
  emit_json (builder);
}

/* ---- the flow --------------------------------------------------------- */

static int
status_for_send_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_INTERRUPTED;
  if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_AUTH) ||
      g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS) ||
      g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_KEYRING))
    return EXIT_CREDENTIALS;
  if (g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT))
    return EXIT_USAGE;
  return EXIT_FAILED;
}

static void
finish (Send *send,
        int   status)
{
  send->status = status;
  g_clear_handle_id (&send->progress_id, g_source_remove);
  g_main_loop_quit (send->loop);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;
  const char *url;

  if (!sendoff_uploader_send_finish (SENDOFF_UPLOADER (source), result, &error))
    {
      if (send->interrupted)
        {
          clear_live_line (send);
          print_error (send, _("Interrupted; nothing more was sent"));
          finish (send, EXIT_INTERRUPTED);
          return;
        }
      print_error (send, error->message);
      finish (send, status_for_send_error (error));
      return;
    }

  clear_live_line (send);
  url = sendoff_transfer_get_share_url (send->transfer);
  if (url == NULL)
    url = sendoff_transfer_get_result (send->transfer);

  if (send->json)
    {
      g_autoptr(JsonBuilder) builder = json_event ("done");

      json_add_string (builder, "url", sendoff_transfer_get_share_url (send->transfer));
      json_add_string (builder, "result", sendoff_transfer_get_result (send->transfer));
      emit_json (builder);
    }
  else
    {
      g_print ("%s\n", url ? url : "");
      fflush (stdout);
    }

  finish (send, EXIT_SENT);
}

static void
apply_service_options (Send            *send,
                       SendoffProvider *provider)
{
  /* Service-specific options (e.g. a Wunderlist task id) are set on the
   * provider here. */
  if (SENDOFF_IS_WUNDERLIST (provider))
    sendoff_wunderlist_set_task_id (SENDOFF_WUNDERLIST (provider), send->task_id);
}

static void
start_upload (Send *send)
{
  g_autoptr(SendoffProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  GListModel *items;
  guint n;

  provider = sendoff_service_create_provider (send->info, send->api_url, send->secrets, &error);
  if (provider == NULL)
    {
      print_error (send, error->message);
      finish (send, g_error_matches (error, SENDOFF_ERROR, SENDOFF_ERROR_NO_CREDENTIALS)
                      ? EXIT_CREDENTIALS : EXIT_USAGE);
      return;
    }
  apply_service_options (send, provider);

  send->uploader = sendoff_uploader_new (provider);
  sendoff_uploader_set_jobs (send->uploader, (guint) send->jobs);

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

      builder = json_event ("started");
      json_add_string (builder, "name", name);
      json_add_string (builder, "service", send->info->id);
      json_add_int (builder, "files", n);
      json_add_int (builder, "size", (gint64) sendoff_transfer_get_size (send->transfer));
      emit_json (builder);
    }

  send->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, on_progress, send);
  sendoff_uploader_send_async (send->uploader, send->transfer, send->cancellable, on_sent, send);
}

static void
on_secrets (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;

  send->secrets = sendoff_credentials_lookup_all_finish (result, &error);
  if (send->secrets == NULL)
    {
      if (send->interrupted)
        {
          finish (send, EXIT_INTERRUPTED);
          return;
        }
      print_error (send, error->message);
      finish (send, EXIT_CREDENTIALS);
      return;
    }

  start_upload (send);
}

static void
on_files_added (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) refused = NULL;

  if (!sendoff_transfer_add_files_finish (SENDOFF_TRANSFER (source), result, &refused, &error))
    {
      print_error (send, error->message);
      finish (send, send->interrupted ? EXIT_INTERRUPTED : EXIT_USAGE);
      return;
    }

  /* Bad input sends nothing at all: the user fixes the list first */
  if (refused != NULL && refused[0] != NULL)
    {
      for (guint i = 0; refused[i] != NULL; i++)
        print_error (send, refused[i]);
      finish (send, EXIT_USAGE);
      return;
    }

  if (sendoff_transfer_get_n_items (send->transfer) == 0)
    {
      print_error (send, _("There are no files to send (the folders are empty)"));
      finish (send, EXIT_USAGE);
      return;
    }

  sendoff_credentials_lookup_all_async (send->info, send->api_url, TRUE, send->cancellable,
                                        on_secrets, send);
}

static gboolean
on_signal (gpointer user_data)
{
  Send *send = user_data;

  if (!send->interrupted)
    {
      send->interrupted = TRUE;
      g_cancellable_cancel (send->cancellable);
    }

  return G_SOURCE_CONTINUE;
}

static const char *
service_ids (void)
{
  static char *ids;

  if (ids == NULL)
    {
      const SendoffServiceInfo *const *list = sendoff_service_list ();
      GString *text = g_string_new (NULL);

      for (guint i = 0; list[i] != NULL; i++)
        g_string_append_printf (text, "%s%s", i ? ", " : "", list[i]->id);
      ids = g_string_free (text, FALSE);
    }

  return ids;
}

static gboolean
parse_send_options (Send    *send,
                    int     *argc,
                    char  ***argv,
                    GError **error)
{
  g_autofree char *service_help = g_strdup_printf (_("Service to send through: %s"),
                                                   service_ids ());
  const GOptionEntry send_entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &send->name,
      N_("Name of the transfer"), N_("TEXT") },
    { "message", 'm', 0, G_OPTION_ARG_STRING, &send->message,
      N_("Message for the recipients"), N_("TEXT") },
    { "service", 's', 0, G_OPTION_ARG_STRING, &send->service_id, service_help, N_("ID") },
    { "api-url", 0, 0, G_OPTION_ARG_STRING, &send->api_url_override,
      N_("Base URL of the service’s API (else $SENDOFF_API_URL, else the setting)"), N_("URL") },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &send->jobs,
      N_("Parts uploaded at the same time (1–32, default 4)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &send->json,
      N_("Write one JSON object per line on standard output"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &send->quiet,
      N_("Print only the link, or errors"), NULL },
    /* Service-specific options: add them here (see Send) */
    { "task-id", 0, 0, G_OPTION_ARG_STRING, &send->task_id_arg,
      N_("Wunderlist: the task the files are added to (else the setting)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &send->paths, NULL,
      N_("FILE|FOLDER…") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— send files"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Uploads the files (folders with everything in them) as one transfer and prints "
      "the share link as the last line.\n"
      "The API key comes from $SENDOFF_API_KEY, else from the keyring "
      "(see “sendoff-cli login”)."));
  g_option_context_set_description (context,
    _("Exit status: 0 sent; 1 failed (network or server); 2 usage or bad input, "
      "nothing was created; 3 the service refused the credentials, or none are stored; "
      "130 interrupted."));
  g_option_context_add_main_entries (context, send_entries, GETTEXT_PACKAGE);

  return g_option_context_parse (context, argc, argv, error);
}

/* Wunderlist files land in a task: --task-id, else the setting */
static gboolean
resolve_task_id (Send    *send,
                 GError **error)
{
  gboolean wunderlist = g_str_equal (send->info->id, "wunderlist");

  if (send->task_id_arg != NULL && !wunderlist)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("--task-id is for --service wunderlist only"));
      return FALSE;
    }
  if (!wunderlist)
    return TRUE;

  if (send->task_id_arg != NULL)
    {
      if (!g_ascii_string_to_unsigned (send->task_id_arg, 10, 1, G_MAXINT64, &send->task_id, NULL))
        {
          g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                       _("--task-id must be a task number, not “%s”"), send->task_id_arg);
          return FALSE;
        }
    }
  else if (send->settings != NULL)
    send->task_id = g_settings_get_uint64 (send->settings, "wunderlist-task-id");

  if (send->task_id == 0)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("Wunderlist needs the task to add the files to: give --task-id N, "
                     "or choose it in Preferences"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
resolve_settings (Send    *send,
                  GError **error)
{
  const char *service_id = send->service_id;
  g_autofree char *setting_service = NULL;

  send->settings = sendoff_settings_new_if_available ();

  if (service_id == NULL && send->settings != NULL)
    service_id = setting_service = g_settings_get_string (send->settings, "service");
  if (service_id == NULL || *service_id == '\0')
    service_id = SENDOFF_DEFAULT_SERVICE;

  send->info = sendoff_service_lookup (service_id);
  if (send->info == NULL)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("Unknown service “%s”; known services: %s"), service_id, service_ids ());
      return FALSE;
    }

  if (!resolve_task_id (send, error))
    return FALSE;

  if (send->jobs == -1)
    send->jobs = send->settings ? (int) g_settings_get_uint (send->settings, "jobs")
                                : SENDOFF_UPLOADER_DEFAULT_JOBS;
  if (send->jobs < 1 || send->jobs > SENDOFF_UPLOADER_MAX_JOBS)
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("--jobs must be between 1 and %d"), SENDOFF_UPLOADER_MAX_JOBS);
      return FALSE;
    }

  send->api_url = sendoff_service_dup_api_url (send->info, send->api_url_override);
  return TRUE;
}

static int
cmd_send (int    argc,
          char **argv)
{
  Send send = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  guint sigint_id, sigterm_id;
  int status;

  send.jobs = -1;   /* unset: the setting, else the default */

  if (!parse_send_options (&send, &argc, &argv, &error) || !resolve_settings (&send, &error))
    {
      g_printerr ("sendoff-cli: %s\n", error->message);
      g_printerr (_("Try “sendoff-cli send --help”.\n"));
      send_clear (&send);
      return EXIT_USAGE;
    }

  if (send.paths == NULL || send.paths[0] == NULL)
    {
      g_printerr ("sendoff-cli: %s\n", _("No files given"));
      g_printerr (_("Try “sendoff-cli send --help”.\n"));
      send_clear (&send);
      return EXIT_USAGE;
    }

  for (guint i = 0; send.paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (send.paths[i]));

  send.loop = g_main_loop_new (NULL, FALSE);
  send.cancellable = g_cancellable_new ();
  send.transfer = sendoff_transfer_new ();
  if (send.name != NULL)
    sendoff_transfer_set_name (send.transfer, send.name);
  if (send.message != NULL)
    sendoff_transfer_set_description (send.transfer, send.message);

  sigint_id = g_unix_signal_add (SIGINT, on_signal, &send);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &send);

  sendoff_transfer_add_files_async (send.transfer, (GFile **) files->pdata, files->len,
                                    send.cancellable, on_files_added, &send);
  g_main_loop_run (send.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  status = send.status;
  send_clear (&send);
  return status;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  sendoff-cli send [OPTION…] FILE|FOLDER…   send files, print the share link\n"
             "  sendoff-cli login [OPTION…]               store the API key in the keyring\n"
             "  sendoff-cli logout [OPTION…]              remove the stored API key\n"
             "  sendoff-cli history [--json] | remove ID  sent transfers and their links\n"
             "  sendoff-cli --version\n"
             "\n"
             "“sendoff-cli COMMAND --help” describes each command.\n"));
}

int
main (int    argc,
      char **argv)
{
  const char *command;

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

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
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
  if (g_str_equal (command, "send") || g_str_equal (command, "login") ||
      g_str_equal (command, "logout"))
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
  if (g_str_equal (command, "history"))
    return sendoff_cli_history (argc - 1, argv + 1);

  g_printerr (_("sendoff-cli: unknown command “%s”\n"), command);
  print_usage (stderr);
  return EXIT_USAGE;
}
