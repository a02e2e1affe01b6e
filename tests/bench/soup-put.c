/* soup-put.c — libsoup alone sending one file in one PUT: the floor under Sendoff's client CPU
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   ninja -C _build tests/bench-soup-put && _build/tests/bench-soup-put FILE URL
 *
 * What tests/bench/run's S3 section times beside `curl -T`: one blocking
 * soup_session_send() of FILE (a GFileInputStream) to URL, a presigned
 * PUT, with no signal handler, no watchdog, no parts and nothing else of
 * Sendoff. libsoup 3.2 copies a request body 8 KiB at a time
 * (g_output_stream_splice) and emits its own signals per step; whatever
 * this costs per GiB no client built on libsoup's body writing gets
 * under. Exits 1 unless the server answered 2xx.
 */

#include "config.h"

#include <libsoup/soup.h>

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) body = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;

  if (argc != 3)
    {
      g_printerr ("usage: %s FILE URL\n", argv[0]);
      return 2;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            NULL, &error);
  if (info != NULL)
    body = g_file_read (file, NULL, &error);
  msg = soup_message_new ("PUT", argv[2]);
  if (body == NULL || msg == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "not a valid URL");
      return 1;
    }

  /* like curl --noproxy '*' beside it */
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  soup_message_set_request_body (msg, NULL, G_INPUT_STREAM (body), g_file_info_get_size (info));
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_printerr ("%u %s\n", soup_message_get_status (msg), error ? error->message : "");
      return 1;
    }

  return 0;
}
