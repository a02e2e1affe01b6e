/* sendoff-cli-send.h — one send of sendoff-cli, shared by send, resume and discard
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-cli-input.h"
#include "sendoff-cli-output.h"
#include "sendoff-cli-send-extras.h"
#include "sendoff-destination.h"
#include "sendoff-journal.h"
#include "sendoff-transfer.h"
#include "sendoff-uploader.h"

G_BEGIN_DECLS

/* Exit statuses (documented in --help) */
enum {
  EXIT_SENT        = 0,
  EXIT_FAILED      = 1,
  EXIT_USAGE       = 2,
  EXIT_CREDENTIALS = 3,
  EXIT_INTERRUPTED = 130,
};

typedef struct {
  /* options */
  char            *name;
  char            *message;
  char            *to;
  char            *service_id;
  char           **options;         /* -o KEY=VALUE */
  char            *api_url_override;
  char            *jobs_arg;
  int              jobs;
  char            *retries_arg;
  int              retries;
  char            *timeout_arg;
  int              timeout;          /* stall window in seconds, 0: the default */
  int              secret_fd;
  gboolean         json;
  gboolean         quiet;
  gboolean         dry_run;
  gboolean         verbose;
  char           **excludes;
  char           **paths;
  gboolean         restart;         /* resume --restart */

  /* state */
  GMainLoop       *loop;
  GCancellable    *cancellable;
  GSettings       *settings;
  SendoffDestination *destination;
  SendoffTransfer *transfer;
  SendoffUploader *uploader;
  GHashTable      *secrets;
  guint            progress_id;
  SendoffCliProgress *progress;
  SendoffCliSpool *spool;           /* "-": standard input */
  gboolean         interrupted;
  int              signal;          /* the one that interrupted */
  int              status;

  /* the journal; resume and discard work on its transfer resume_id */
  SendoffJournal  *journal;
  char            *resume_id;
  gboolean         discarding;
  gboolean         keep_secrets;    /* read from --secret-fd once for all */
} SendoffCliSend;

/* sendoff-cli.c: the flow of one send */
void            sendoff_cli_send_clear              (SendoffCliSend *send);
/* What one transfer of `resume` used; the options and the journal stay */
void            sendoff_cli_send_clear_run          (SendoffCliSend *send);
gboolean        sendoff_cli_send_resolve_counts     (SendoffCliSend *send,
                                                     GError        **error);
/* From the secrets on (--secret-fd, the environment, the keyring) to the
 * uploader, then the send, resume or discard; runs the main loop, with
 * SIGINT, SIGTERM and SIGHUP as interrupts, and returns the exit status. */
int             sendoff_cli_send_run                (SendoffCliSend *send);
void            sendoff_cli_send_get_secrets        (SendoffCliSend *send);
void            sendoff_cli_send_start_upload       (SendoffCliSend *send);
void            sendoff_cli_send_finish             (SendoffCliSend *send,
                                                     int             status);
void            sendoff_cli_send_error        (SendoffCliSend *send,
                                                     const GError   *error);
void            sendoff_cli_send_error_kind   (SendoffCliSend *send,
                                                     SendoffCliErrorKind kind,
                                                     const char     *message);
void            sendoff_cli_send_restart_hint (SendoffCliSend *send);
int             sendoff_cli_status_for_error   (const GError   *error);
int             sendoff_cli_send_interrupt_status (SendoffCliSend *send);

/* sendoff-cli-resume.c: the journal's side */
/* The journal at its default place. @optional: a send goes on without it
 * (it then cannot be resumed); resume and discard cannot. */
SendoffJournal *sendoff_cli_open_journal            (gboolean        optional);
void            sendoff_cli_resume_start            (SendoffCliSend *send);
void            sendoff_cli_discard_start           (SendoffCliSend *send);
/* `sendoff-cli resume [ID]` and `sendoff-cli discard ID`; @argv[0] is the
 * command name. Return the exit status. */
int             sendoff_cli_resume                  (int             argc,
                                                     char          **argv);
int             sendoff_cli_discard                 (int             argc,
                                                     char          **argv);

G_END_DECLS
