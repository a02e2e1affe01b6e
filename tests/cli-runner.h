/* cli-runner.h — run the built sendoff-cli from a test, and say why when a check fails
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SendoffTestCli says how sendoff-cli is started (its environment, its
 * standard input and output); each run ends in a SendoffTestCliRun, logged
 * with g_test_message(). sendoff_test_cli_assert_status() checks the exit
 * status and, when it is not the one expected, prints the command line and
 * everything the child wrote on stderr before failing: a sanitizer's report
 * then reaches the CI log. The environment is never printed (it holds the
 * keys), only the command line.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One run of sendoff-cli, as it ended */
typedef struct {
  GStrv     argv;       /* the command line: the binary, then the arguments */
  char     *out;        /* standard output; "" when it went elsewhere */
  char     *err;        /* standard error */
  int       status;     /* the exit status, or 128 + the signal that killed it */
  gboolean  signaled;   /* killed by a signal instead of exiting */
} SendoffTestCliRun;

typedef enum {
  SENDOFF_TEST_CLI_KEYRING_NONE,      /* no D-Bus session bus, no keyring to ask */
  SENDOFF_TEST_CLI_KEYRING_SESSION,   /* the test's own (tests/run-headless) */
} SendoffTestCliKeyring;

typedef struct _SendoffTestCli        SendoffTestCli;
typedef struct _SendoffTestCliProcess SendoffTestCliProcess;

/* SENDOFF_BUILD_ROOT/src/cli/sendoff-cli, and that path followed by @args */
char                  *sendoff_test_cli_path                (void);
GStrv                  sendoff_test_cli_dup_argv            (const char *const     *args);

/* The environment every test gives it: no API key, no API URL from the
 * developer's, retries 2 ms apart, no display, messages in C.UTF-8, and
 * no keyring (SENDOFF_TEST_CLI_KEYRING_NONE). Standard input is empty,
 * standard output and error are kept in the run. */
SendoffTestCli        *sendoff_test_cli_new                 (void);
void                   sendoff_test_cli_free                (SendoffTestCli        *cli);
/* SENDOFF_API_KEY; NULL or "" is none */
void                   sendoff_test_cli_set_api_key         (SendoffTestCli        *cli,
                                                             const char            *api_key);
/* @value NULL unsets @name */
void                   sendoff_test_cli_setenv              (SendoffTestCli        *cli,
                                                             const char            *name,
                                                             const char            *value);
void                   sendoff_test_cli_set_keyring         (SendoffTestCli        *cli,
                                                             SendoffTestCliKeyring  keyring);
/* A throwaway home: HOME and XDG_DATA_HOME are @home, the settings a
 * keyfile under @home/config, the secrets libsecret's file backend in
 * @home/keyring. Every run with the same @home sees what the last saved. */
void                   sendoff_test_cli_set_home            (SendoffTestCli        *cli,
                                                             const char            *home);
/* Standard input: a pipe that gives @input then ends (NULL: /dev/null), or
 * one that stays open, for as long as the process is not freed */
void                   sendoff_test_cli_set_input           (SendoffTestCli        *cli,
                                                             const char            *input);
void                   sendoff_test_cli_keep_stdin_open     (SendoffTestCli        *cli);
/* Standard output to a file (/dev/full), or closed; the run's out is "" */
void                   sendoff_test_cli_set_stdout_path     (SendoffTestCli        *cli,
                                                             const char            *path);
void                   sendoff_test_cli_close_stdout        (SendoffTestCli        *cli);
/* @source_fd becomes the child's @target_fd; the next run only */
void                   sendoff_test_cli_take_fd             (SendoffTestCli        *cli,
                                                             int                    source_fd,
                                                             int                    target_fd);
/* The environment it would get, for a child started by hand (a pty) */
GStrv                  sendoff_test_cli_dup_environ         (SendoffTestCli        *cli);

/* Runs sendoff-cli with @args (NULL-terminated, without the program) to its
 * end; a death by signal or output that is not UTF-8 fails the test */
void                   sendoff_test_cli_run                 (SendoffTestCli        *cli,
                                                             SendoffTestCliRun     *run,
                                                             const char *const     *args);
#define sendoff_test_cli_run_args(cli, run, ...) \
  sendoff_test_cli_run ((cli), (run), (const char *const[]) { __VA_ARGS__, NULL })

/* Starts it and returns at once, for a test that acts while it runs; its
 * output goes to files, so a chatty child never blocks. Free kills a
 * process not waited for. */
SendoffTestCliProcess *sendoff_test_cli_spawn               (SendoffTestCli        *cli,
                                                             const char *const     *args);
/* Iterates the thread-default main context (where its end is reported) */
gboolean               sendoff_test_cli_process_is_running  (SendoffTestCliProcess *process);
/* Its process id (what "process N" messages name, what kill() takes);
 * 0 once it has ended */
GPid                   sendoff_test_cli_process_get_pid     (SendoffTestCliProcess *process);
void                   sendoff_test_cli_process_send_signal (SendoffTestCliProcess *process,
                                                             int                    signum);
/* Stops it (SIGSTOP) at a moment it holds no write lock on the journal
 * (the SQLite database @journal_path): frozen inside a commit, it would
 * make every other process wait. SIGCONT lets it go on. One that already
 * ended fails the test, its run printed. */
void                   sendoff_test_cli_process_freeze      (SendoffTestCliProcess *process,
                                                             const char            *journal_path);
/* Waits for its end and fills @run (logged), without the checks of
 * sendoff_test_cli_run(): a death by signal is run->signaled, and output
 * cut off by it is the test's to check (sendoff_test_cli_assert_utf8) */
void                   sendoff_test_cli_process_wait        (SendoffTestCliProcess *process,
                                                             SendoffTestCliRun     *run);
void                   sendoff_test_cli_process_free        (SendoffTestCliProcess *process);

void                   sendoff_test_cli_run_clear           (SendoffTestCliRun     *run);
/* The command line, how it ended, stdout and stderr: with g_test_message()
 * (long output cut in the middle), or in full on stderr */
void                   sendoff_test_cli_run_log             (const SendoffTestCliRun *run);
void                   sendoff_test_cli_run_print           (const SendoffTestCliRun *run);

/* Fails the test, after printing the run, unless it exited by itself with
 * a status that compares to @expected with @cmp (==, !=, <, …) */
#define sendoff_test_cli_assert_cmpstatus(run, cmp, expected) \
  G_STMT_START { \
    const SendoffTestCliRun *sendoff_run_ = (run); \
    int sendoff_expected_ = (expected); \
    if (sendoff_run_->signaled || !(sendoff_run_->status cmp sendoff_expected_)) \
      sendoff_test_cli_assertion_failed (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                                         #run ": status " #cmp " " #expected, sendoff_run_, \
                                         #cmp, sendoff_expected_); \
  } G_STMT_END
#define sendoff_test_cli_assert_status(run, expected) \
  sendoff_test_cli_assert_cmpstatus (run, ==, expected)
/* Exited by itself, whatever the status */
#define sendoff_test_cli_assert_exited(run) \
  G_STMT_START { \
    const SendoffTestCliRun *sendoff_run_ = (run); \
    if (sendoff_run_->signaled) \
      sendoff_test_cli_assertion_failed (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                                         #run ": exited, not killed", sendoff_run_, NULL, 0); \
  } G_STMT_END

/* Killed by @signum (not exited, even with 128 + @signum: a signal it
 * catches ends it through its own path) */
#define sendoff_test_cli_assert_killed(run, signum) \
  G_STMT_START { \
    const SendoffTestCliRun *sendoff_run_ = (run); \
    if (!sendoff_run_->signaled || sendoff_run_->status != 128 + (signum)) \
      sendoff_test_cli_assertion_failed (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                                         #run ": killed by " #signum, sendoff_run_, NULL, 0); \
  } G_STMT_END

/* Fails the test, after printing the run, unless its stdout and stderr are
 * UTF-8 (sendoff_test_cli_run() checks that itself) */
void                   sendoff_test_cli_assert_utf8         (const SendoffTestCliRun *run);

void                   sendoff_test_cli_assertion_failed    (const char              *domain,
                                                             const char              *file,
                                                             int                      line,
                                                             const char              *func,
                                                             const char              *expr,
                                                             const SendoffTestCliRun *run,
                                                             const char              *cmp,
                                                             int                      expected);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffTestCli, sendoff_test_cli_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffTestCliProcess, sendoff_test_cli_process_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SendoffTestCliRun, sendoff_test_cli_run_clear)

G_END_DECLS
