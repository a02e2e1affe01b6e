/* sendoff-sandbox.c — sendoff-sandbox: a strict local stand-in for the seed APIs
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-sandbox"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>

#include "sendoff-sandbox-server.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_rate (const char *name,
            double      rate,
            GError    **error)
{
  if (rate >= 0.0 && rate <= 1.0)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s must be between 0 and 1"), name);
  return FALSE;
}

static gboolean
check_options (SandboxOptions  *opts,
               GError         **error)
{
  if (opts->port < 0 || opts->port > 65535 || opts->chunk_size < 1 || opts->url_ttl < 0 ||
      opts->token_ttl_requests < 0 || opts->max_transfer_size < 0 || opts->latency_ms < 0 ||
      opts->drip_bps < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("A numeric option is out of range"));
      return FALSE;
    }
  return check_rate ("--fail-put-rate", opts->fail_put_rate, error) &&
         check_rate ("--reset-put-rate", opts->reset_put_rate, error) &&
         check_rate ("--fail-api-rate", opts->fail_api_rate, error) &&
         check_rate ("--drop-keepalive-rate", opts->drop_keepalive_rate, error) &&
         check_rate ("--drip-api-rate", opts->drip_api_rate, error) &&
         check_rate ("--drip-put-rate", opts->drip_put_rate, error) &&
         check_rate ("--stall-api-rate", opts->stall_api_rate, error) &&
         check_rate ("--stall-put-rate", opts->stall_put_rate, error);
}

static gboolean
parse_drip_phase (const char      *text,
                  SandboxOptions  *opts,
                  GError         **error)
{
  static const char * const names[] = { "status", "headers", "body" };

  if (text == NULL)
    {
      opts->drip_phase = SANDBOX_DRIP_HEADERS;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        opts->drip_phase = (int) i;
        return TRUE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--drip-phase must be status, headers or body"));
  return FALSE;
}

static void
default_list (char       ***list,
              const char   *value)
{
  if (*list != NULL && (*list)[0] != NULL)
    return;
  g_strfreev (*list);
  *list = g_new0 (char *, 2);
  (*list)[0] = g_strdup (value);
}

int
main (int   argc,
      char *argv[])
{
  SandboxOptions opts = {
    .chunk_size = 6291456,
    .url_ttl = 3600,
    .max_transfer_size = G_GINT64_CONSTANT (2147483648),
    .seed = -1,
  };
  g_autofree char *drip_phase = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &opts.port, N_("Port on 127.0.0.1 (0: any free port)"), "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opts.data_dir, N_("Where parts and files are stored"), "DIR" },
    { "api-key", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts.api_keys, N_("An accepted WeTransfer API key (repeatable; default sandbox-api-key)"), "KEY" },
    { "access-token", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts.access_tokens, N_("An accepted Wunderlist access token (repeatable; default sandbox-access-token)"), "TOKEN" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts.client_ids, N_("An accepted Wunderlist client id (repeatable; default sandbox-client-id)"), "ID" },
    { "chunk-size", 0, 0, G_OPTION_ARG_INT64, &opts.chunk_size, N_("WeTransfer part size (default 6291456)"), "BYTES" },
    { "url-ttl", 0, 0, G_OPTION_ARG_INT, &opts.url_ttl, N_("Lifetime of part URLs and signed part headers (default 3600)"), "SECONDS" },
    { "token-ttl-requests", 0, 0, G_OPTION_ARG_INT, &opts.token_ttl_requests, N_("A token expires after N requests (default: never)"), "N" },
    { "max-transfer-size", 0, 0, G_OPTION_ARG_INT64, &opts.max_transfer_size, N_("Size limit of a transfer (default 2 GiB)"), "BYTES" },
    { "fail-put-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.fail_put_rate, N_("Share of storage PUTs answered 500"), "F" },
    { "reset-put-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.reset_put_rate, N_("Share of storage PUTs whose connection is closed half-way through the body"), "F" },
    { "fail-api-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.fail_api_rate, N_("Share of part-URL requests answered 503"), "F" },
    { "drop-keepalive-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.drop_keepalive_rate, N_("Share of answered PUTs whose kept-alive connection then dies under the next PUT"), "F" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &opts.latency_ms, N_("Delay before every answer"), "MS" },
    { "drip", 0, 0, G_OPTION_ARG_INT, &opts.drip_bps, N_("Write dripped answers this many bytes a second (alone: every answer)"), "BYTES_PER_SEC" },
    { "drip-phase", 0, 0, G_OPTION_ARG_STRING, &drip_phase, N_("Where a dripped answer turns slow: status, headers (default) or body"), "PHASE" },
    { "drip-api-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.drip_api_rate, N_("Share of part-URL answers dripped"), "F" },
    { "drip-put-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.drip_put_rate, N_("Share of storage PUT answers dripped"), "F" },
    { "stall", 0, 0, G_OPTION_ARG_NONE, &opts.stall, N_("Accept every request and never answer"), NULL },
    { "stall-api-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.stall_api_rate, N_("Share of part-URL requests never answered"), "F" },
    { "stall-put-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.stall_put_rate, N_("Share of storage PUTs (stored) never answered"), "F" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts.seed, N_("Seed of ids and faults (default: random)"), "N" },
    { "discard", 0, 0, G_OPTION_ARG_NONE, &opts.discard, N_("Count and hash bodies but store nothing"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *own_dir = NULL;
  SandboxServer *server;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("A local server that speaks the WeTransfer v1 and Wunderlist "
                                  "upload APIs strictly, for tests, benchmarks and trying Sendoff."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !check_options (&opts, &error) ||
      !parse_drip_phase (drip_phase, &opts, &error))
    {
      g_printerr ("sendoff-sandbox: %s\n", error->message);
      return 2;
    }
  if (opts.seed < 0)
    opts.seed = g_random_int ();
  opts.have_seed = TRUE;
  default_list (&opts.api_keys, "sandbox-api-key");
  default_list (&opts.access_tokens, "sandbox-access-token");
  default_list (&opts.client_ids, "sandbox-client-id");
  if (opts.data_dir == NULL)
    {
      own_dir = g_dir_make_tmp ("sendoff-sandbox-XXXXXX", &error);
      if (own_dir == NULL)
        {
          g_printerr ("sendoff-sandbox: %s\n", error->message);
          return 1;
        }
      opts.data_dir = g_strdup (own_dir);
    }
  else if (g_mkdir_with_parents (opts.data_dir, 0700) != 0)
    {
      g_printerr ("sendoff-sandbox: %s: %s\n", opts.data_dir, g_strerror (errno));
      return 1;
    }

  server = sandbox_server_new (&opts, &error);
  if (server == NULL)
    {
      g_printerr ("sendoff-sandbox: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_print ("listening %s\n", server->base_url);
  fflush (stdout);
  g_main_loop_run (loop);

  sandbox_server_free (server);
  if (own_dir != NULL)
    {
      g_autoptr(GSubprocess) rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf",
                                                    own_dir, NULL);
      if (rm != NULL)
        g_subprocess_wait (rm, NULL, NULL);
    }
  g_strfreev (opts.api_keys);
  g_strfreev (opts.access_tokens);
  g_strfreev (opts.client_ids);
  g_free (opts.data_dir);
  return 0;
}
