/* sendoff-cli-send-extras.h — the parts of `sendoff-cli send` around the upload itself
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sendoff-service.h"
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

/* "No API Key is stored for … ; sendoff-cli login …, or set …" */
char       *sendoff_cli_no_credentials_message  (const SendoffServiceInfo *info,
                                                 const char               *api_url,
                                                 GHashTable               *secrets);

/* Removes the items whose name matches one of @globs (see
 * sendoff_cli_excluded()); @globs may be NULL. */
void        sendoff_cli_exclude_items           (SendoffTransfer          *transfer,
                                                 const char * const       *globs);

/* --dry-run: what would be sent, on stdout (one "plan" JSON event with
 * @json). Nothing goes over the network. */
void        sendoff_cli_print_plan              (SendoffTransfer          *transfer,
                                                 const SendoffServiceInfo *info,
                                                 const char               *api_url,
                                                 gboolean                  json);

/* --secret-fd: the secrets of @info, kind → secret, from @fd */
GHashTable *sendoff_cli_secrets_from_fd         (const SendoffServiceInfo *info,
                                                 int                       fd,
                                                 GError                  **error);

/* --verbose: debug messages of Sendoff's log domains go to stderr,
 * escaped, with every value of the table given to set_secrets() (kind →
 * secret, may be NULL) replaced by "[redacted]". */
void        sendoff_cli_verbose_enable          (void);
void        sendoff_cli_verbose_set_secrets     (GHashTable               *secrets);
/* Logs where each secret of @info came from (environment or keyring) */
void        sendoff_cli_verbose_secret_sources  (const SendoffServiceInfo *info,
                                                 const char               *source);

G_END_DECLS
