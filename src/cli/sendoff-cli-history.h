/* sendoff-cli-history.h — `sendoff-cli history`: the journal's transfers
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* sendoff-cli history [--json] | history remove ID. @argv[0] is the
 * command name. Returns the exit status: 0 done, 1 the journal could not
 * be read or the output not written, 2 usage or an unknown id. */
int   sendoff_cli_history         (int         argc,
                                   char      **argv);

/* @text with control characters, bidi controls, backslashes and invalid
 * UTF-8 written as escapes, safe to print on a terminal. */
char *sendoff_cli_escape_terminal (const char *text);

G_END_DECLS
