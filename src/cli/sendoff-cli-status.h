/* sendoff-cli-status.h — `sendoff-cli status`
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* sendoff-cli status [--to NAME | --service ID [-o KEY=VALUE]…] [--api-url URL]:
 * prints the destination `send` would use (its name, backend, each option
 * and where its value came from) and where each secret would come from
 * (environment, keyring, none), never a secret itself. @argv[0] is the
 * command name. Returns the exit status: 0, 1 when stdout fails, or 2 on
 * bad usage or when no destination fits. */
int sendoff_cli_status (int    argc,
                        char **argv);

G_END_DECLS
