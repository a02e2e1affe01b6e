/* sendoff-cli-status.h — `sendoff-cli status`
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* sendoff-cli status [--service S] [--api-url URL]: prints the service and
 * base URL `send` would use, where each came from, and where each secret
 * would come from (environment, keyring, none), never a secret itself.
 * @argv[0] is the command name. Returns the exit status: 0, or 2 on bad
 * usage. */
int sendoff_cli_status (int    argc,
                        char **argv);

G_END_DECLS
