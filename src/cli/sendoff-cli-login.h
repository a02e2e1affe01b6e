/* sendoff-cli-login.h — `sendoff-cli login` and `sendoff-cli logout`
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-destination.h"

G_BEGIN_DECLS

/* sendoff-cli login [--service S] [--api-url URL]: reads each secret of the
 * service from standard input (without echo on a terminal) and stores it in
 * the keyring. @argv[0] is the command name. Returns the exit status. */
int sendoff_cli_login  (int    argc,
                        char **argv);

/* sendoff-cli logout [--service S] [--api-url URL]: removes the stored
 * secrets of the service for that base URL. */
int sendoff_cli_logout (int    argc,
                        char **argv);

/* Picks the destination of login/logout/check from --to, --service,
 * --api-url and -o, or the default one. Exit status 2 on a bad choice. */
SendoffDestination *sendoff_cli_parse_destination_options (int          *argc,
                                                           char       ***argv,
                                                           const char   *summary,
                                                           int          *status);

/* The secrets of @destination's backend: each from its environment
 * variable when @use_env and it is set, else read from standard input
 * (no echo on a terminal). Every one is read before any is used. */
char         **sendoff_cli_read_secrets (SendoffDestination  *destination,
                                         gboolean             use_env,
                                         GError             **error);
/* Wipes and frees what sendoff_cli_read_secrets() returned */
void           sendoff_cli_wipe_secrets (char               **secrets);
/* Stores @secrets (in the backend's order) for @destination */
gboolean       sendoff_cli_store_secrets (SendoffDestination *destination,
                                          char              **secrets,
                                          GError            **error);
/* Removes every stored secret of @destination; *@had_any tells whether
 * there was one. */
gboolean       sendoff_cli_clear_secrets (SendoffDestination *destination,
                                          gboolean           *had_any,
                                          GError            **error);

/* Blocks on the default main context until *@slot is set by
 * sendoff_cli_on_result() (passed &slot as user data). */
GAsyncResult  *sendoff_cli_wait_for     (GAsyncResult       **slot);
void           sendoff_cli_on_result    (GObject             *source,
                                         GAsyncResult        *result,
                                         gpointer             user_data);

G_END_DECLS
