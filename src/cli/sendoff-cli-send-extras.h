/* sendoff-cli-send-extras.h — the parts of `sendoff-cli send` around the upload itself
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sendoff-destination.h"
#include "sendoff-transfer.h"

G_BEGIN_DECLS

/* A whole number in [@min, @max] given to @option, else an error naming it */
gboolean    sendoff_cli_parse_count             (const char               *option,
                                                 const char               *text,
                                                 int                       min,
                                                 int                       max,
                                                 int                      *value,
                                                 GError                  **error);

/* FALSE, after saying so on stderr (with @url, when known, so the link
 * is not lost), when standard output did not take what was written. */
gboolean    sendoff_cli_check_result_written    (const char               *url);

/* Removes the items whose name matches one of @globs (see
 * sendoff_cli_excluded()); @globs may be NULL. */
void        sendoff_cli_exclude_items           (SendoffTransfer          *transfer,
                                                 const char * const       *globs);

/* --dry-run: what would be sent to @destination, on stdout (one "plan"
 * JSON event with @json); @assignments and @api_url are the command line's
 * -o and --api-url, to say where each option came from. Nothing goes over
 * the network. */
void        sendoff_cli_print_plan              (SendoffTransfer          *transfer,
                                                 SendoffDestination       *destination,
                                                 char                    **assignments,
                                                 const char               *api_url,
                                                 gboolean                  json);

/* --secret-fd: the secrets of @destination's backend, in the order it
 * declares them, one a line from @fd; key → secret, wiped when freed */
GHashTable *sendoff_cli_secrets_from_fd         (SendoffDestination       *destination,
                                                 int                       fd,
                                                 GError                  **error);

/* --verbose: debug messages of Sendoff's log domains go to stderr,
 * escaped, with every value of the table given to set_secrets() (kind →
 * secret, may be NULL) replaced by "[redacted]". */
void        sendoff_cli_verbose_enable          (void);
void        sendoff_cli_verbose_set_secrets     (GHashTable               *secrets);
/* Logs where each secret of @destination came from (@source, else the
 * environment or the keyring) */
void        sendoff_cli_verbose_secret_sources  (SendoffDestination       *destination,
                                                 const char               *source);

G_END_DECLS
