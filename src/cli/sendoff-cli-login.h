/* sendoff-cli-login.h — `sendoff-cli login` and `sendoff-cli logout`
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

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

G_END_DECLS
