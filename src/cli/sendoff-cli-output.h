/* sendoff-cli-output.h — what sendoff-cli writes: messages, JSON events, the progress line
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "sendoff-transfer.h"

G_BEGIN_DECLS

/* Version of the --json event format: raised when a field changes meaning
 * or goes away (new events and fields do not raise it). */
#define SENDOFF_CLI_JSON_VERSION 1

/* The stable "kind" of a JSON "error" event */
typedef enum {
  SENDOFF_CLI_ERROR_USAGE,
  SENDOFF_CLI_ERROR_INPUT,
  SENDOFF_CLI_ERROR_AUTH,
  SENDOFF_CLI_ERROR_NETWORK,
  SENDOFF_CLI_ERROR_SERVER,
  SENDOFF_CLI_ERROR_INTERRUPTED,
} SendoffCliErrorKind;

const char          *sendoff_cli_error_kind_to_string (SendoffCliErrorKind  kind);
SendoffCliErrorKind  sendoff_cli_error_kind_for       (const GError        *error);

/* "sendoff-cli: MESSAGE\n" on stderr, control characters in @message
 * escaped (sendoff_str_escape_terminal()). */
void         sendoff_cli_printerr       (const char  *message);

/* JSON lines on stdout: json_event() opens {"event": NAME; emit closes it,
 * prints it as one line and flushes. */
JsonBuilder *sendoff_cli_json_event     (const char  *event);
void         sendoff_cli_json_add_string (JsonBuilder *builder,
                                          const char  *name,
                                          const char  *value);
void         sendoff_cli_json_add_int   (JsonBuilder *builder,
                                         const char  *name,
                                         gint64       value);
/* @value < 0 (unknown) is written as null */
void         sendoff_cli_json_add_known (JsonBuilder *builder,
                                         const char  *name,
                                         gint64       value);
void         sendoff_cli_json_emit      (JsonBuilder *builder);
void         sendoff_cli_json_error     (SendoffCliErrorKind  kind,
                                         const char          *message);

/* fflush (stdout), remembering why it failed the first time */
void         sendoff_cli_flush_stdout   (void);
/* Standard output could not take what was written (full disk, closed,
 * broken pipe); @error says why. Checked once everything is written. */
gboolean     sendoff_cli_stdout_failed  (GError     **error);
/* Call first thing in main: a closed stdin, stdout or stderr gets
 * /dev/null, so that no file the program opens lands on it, and a closed
 * stdout is remembered as a failure for sendoff_cli_stdout_failed(). */
void         sendoff_cli_guard_std_fds  (void);

/* The progress line on stderr. On a terminal it is redrawn in place and
 * never wider than the terminal; with TERM=dumb it is a plain line every
 * few seconds, without escape sequences; elsewhere (a pipe, a file) there
 * is none. */
typedef struct _SendoffCliProgress SendoffCliProgress;

SendoffCliProgress *sendoff_cli_progress_new    (void);
void                sendoff_cli_progress_update (SendoffCliProgress *progress,
                                                 SendoffTransfer    *transfer);
/* Removes a line drawn in place, before anything else is printed */
void                sendoff_cli_progress_clear  (SendoffCliProgress *progress);
void                sendoff_cli_progress_free   (SendoffCliProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffCliProgress, sendoff_cli_progress_free)

/* The text of the line for @transfer, at most @columns wide (no escapes) */
char               *sendoff_cli_progress_format (SendoffTransfer    *transfer,
                                                 gsize               columns);

G_END_DECLS
