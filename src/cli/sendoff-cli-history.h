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
 * be read or the output not written, 2 usage, an unknown id, or an
 * unfinished transfer to remove (it is resumed or discarded instead).
 *
 * --json prints one object, newest transfer first:
 *   {"version": 1, "transfers": [{"id", "name", "message", "destination_id",
 *    "destination", "backend", "state" (sending|paused|failed|done|discarded),
 *    "resumable" (unfinished: can be resumed), "link", "expires_at",
 *    "created_at", "started_at", "ended_at" (Unix seconds or null), "size",
 *    "bytes_sent", "error", "files": [{"name", "size", "state"}]}]}
 * Names are exact there (JSON escapes them); in the table, control and
 * bidi characters are escaped by sendoff_str_escape_terminal(). */
int   sendoff_cli_history         (int         argc,
                                   char      **argv);


G_END_DECLS
