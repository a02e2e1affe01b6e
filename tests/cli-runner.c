/* cli-runner.c — run the built sendoff-cli from a test, and say why when a check fails
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cli-runner.h"

#define NO_BUS "unix:path=/nonexistent/sendoff-test-bus"
/* What g_test_message() shows of each stream: its start and its end */
#define LOG_HEAD (4 * 1024)
#define LOG_TAIL (12 * 1024)

struct _SendoffTestCli
{
  GStrv     environ;
  char     *input;
  gboolean  stdin_open;
  char     *stdout_path;
  gboolean  stdout_closed;
  GArray   *fds;            /* FdPair, taken by the next spawn */
};

typedef struct {
  int source;
  int target;
} FdPair;

struct _SendoffTestCliProcess
{
  GSubprocess *process;
  GStrv        argv;
  GBytes      *input;       /* written to its stdin pipe, then closed */
  int          out_fd;      /* unlinked files the child writes to, -1 if none */
  int          err_fd;
  gboolean     watched;     /* a wait_async is pending on the main context */
  gboolean     done;
};

char *
sendoff_test_cli_path (void)
{
  const char *root = g_getenv ("SENDOFF_BUILD_ROOT");

  if (root == NULL || *root == '\0')
    g_error ("SENDOFF_BUILD_ROOT is not set; run the test through meson test");
  return g_build_filename (root, "src", "cli", "sendoff-cli", NULL);
}

GStrv
sendoff_test_cli_dup_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_return_val_if_fail (args != NULL, NULL);

  g_ptr_array_add (argv, sendoff_test_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return (GStrv) g_ptr_array_free (argv, FALSE);
}

/* ---- how it is started ---------------------------------------------------- */

SendoffTestCli *
sendoff_test_cli_new (void)
{
  SendoffTestCli *cli = g_new0 (SendoffTestCli, 1);

  cli->environ = g_get_environ ();
  cli->fds = g_array_new (FALSE, FALSE, sizeof (FdPair));
  sendoff_test_cli_set_api_key (cli, NULL);
  sendoff_test_cli_setenv (cli, "SENDOFF_API_URL", "");
  sendoff_test_cli_setenv (cli, "SENDOFF_RETRY_BASE_MS", "2");
  sendoff_test_cli_setenv (cli, "LC_ALL", "C.UTF-8");
  sendoff_test_cli_setenv (cli, "DISPLAY", NULL);
  sendoff_test_cli_set_keyring (cli, SENDOFF_TEST_CLI_KEYRING_NONE);
  return cli;
}

void
sendoff_test_cli_free (SendoffTestCli *cli)
{
  g_return_if_fail (cli != NULL);

  for (guint i = 0; i < cli->fds->len; i++)
    close (g_array_index (cli->fds, FdPair, i).source);
  g_array_unref (cli->fds);
  g_strfreev (cli->environ);
  g_free (cli->input);
  g_free (cli->stdout_path);
  g_free (cli);
}

void
sendoff_test_cli_set_api_key (SendoffTestCli *cli,
                              const char     *api_key)
{
  g_return_if_fail (cli != NULL);

  sendoff_test_cli_setenv (cli, "SENDOFF_API_KEY", api_key != NULL ? api_key : "");
}

void
sendoff_test_cli_setenv (SendoffTestCli *cli,
                         const char     *name,
                         const char     *value)
{
  g_return_if_fail (cli != NULL);
  g_return_if_fail (name != NULL);

  if (value != NULL)
    cli->environ = g_environ_setenv (cli->environ, name, value, TRUE);
  else
    cli->environ = g_environ_unsetenv (cli->environ, name);
}

void
sendoff_test_cli_set_keyring (SendoffTestCli        *cli,
                              SendoffTestCliKeyring  keyring)
{
  g_return_if_fail (cli != NULL);

  /* libsecret and GDBus find the session bus through this variable alone */
  sendoff_test_cli_setenv (cli, "DBUS_SESSION_BUS_ADDRESS",
                           keyring == SENDOFF_TEST_CLI_KEYRING_NONE
                             ? NO_BUS : g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
}

void
sendoff_test_cli_set_home (SendoffTestCli *cli,
                           const char     *home)
{
  g_autofree char *config = NULL;
  g_autofree char *keyring = NULL;

  g_return_if_fail (cli != NULL);
  g_return_if_fail (home != NULL);

  config = g_build_filename (home, "config", NULL);
  keyring = g_build_filename (home, "keyring", NULL);
  sendoff_test_cli_setenv (cli, "HOME", home);
  sendoff_test_cli_setenv (cli, "XDG_CONFIG_HOME", config);
  sendoff_test_cli_setenv (cli, "XDG_DATA_HOME", home);
  sendoff_test_cli_setenv (cli, "GSETTINGS_BACKEND", "keyfile");
  sendoff_test_cli_setenv (cli, "SECRET_BACKEND", "file");
  sendoff_test_cli_setenv (cli, "SECRET_FILE_TEST_PATH", keyring);
  sendoff_test_cli_setenv (cli, "SECRET_FILE_TEST_PASSWORD", "sendoff-test");
}

void
sendoff_test_cli_set_input (SendoffTestCli *cli,
                            const char     *input)
{
  g_return_if_fail (cli != NULL);

  g_free (cli->input);
  cli->input = g_strdup (input);
  cli->stdin_open = FALSE;
}

void
sendoff_test_cli_keep_stdin_open (SendoffTestCli *cli)
{
  g_return_if_fail (cli != NULL);

  g_clear_pointer (&cli->input, g_free);
  cli->stdin_open = TRUE;
}

void
sendoff_test_cli_set_stdout_path (SendoffTestCli *cli,
                                  const char     *path)
{
  g_return_if_fail (cli != NULL);

  g_free (cli->stdout_path);
  cli->stdout_path = g_strdup (path);
  cli->stdout_closed = FALSE;
}

void
sendoff_test_cli_close_stdout (SendoffTestCli *cli)
{
  g_return_if_fail (cli != NULL);

  g_clear_pointer (&cli->stdout_path, g_free);
  cli->stdout_closed = TRUE;
}

void
sendoff_test_cli_take_fd (SendoffTestCli *cli,
                          int             source_fd,
                          int             target_fd)
{
  FdPair pair = { source_fd, target_fd };

  g_return_if_fail (cli != NULL);
  g_return_if_fail (source_fd >= 0 && target_fd > 2);

  g_array_append_val (cli->fds, pair);
}

GStrv
sendoff_test_cli_dup_environ (SendoffTestCli *cli)
{
  g_return_val_if_fail (cli != NULL, NULL);

  return g_strdupv (cli->environ);
}

/* ---- starting it ---------------------------------------------------------- */

/* An unlinked file: nothing is left behind when the test aborts */
static int
open_scratch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("sendoff-cli-run-XXXXXX", &path, &error);

  g_assert_no_error (error);
  g_unlink (path);
  return fd;
}

static void
close_stdout (gpointer user_data)
{
  close (STDOUT_FILENO);
}

/* Stdout and stderr go to the process's files (shared with the child) */
static void
set_up_streams (SendoffTestCli        *cli,
                GSubprocessLauncher   *launcher,
                SendoffTestCliProcess *process)
{
  process->err_fd = open_scratch ();
  g_subprocess_launcher_take_stderr_fd (launcher, dup (process->err_fd));
  process->out_fd = -1;
  if (cli->stdout_path != NULL)
    {
      g_subprocess_launcher_set_stdout_file_path (launcher, cli->stdout_path);
      return;
    }
  process->out_fd = open_scratch ();
  g_subprocess_launcher_take_stdout_fd (launcher, dup (process->out_fd));
  if (cli->stdout_closed)
    g_subprocess_launcher_set_child_setup (launcher, close_stdout, NULL, NULL);
}

static SendoffTestCliProcess *
start (SendoffTestCli    *cli,
       const char *const *args)
{
  /* a pipe, as when a user pipes into it */
  gboolean piped = cli->stdin_open || cli->input != NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (piped ? G_SUBPROCESS_FLAGS_STDIN_PIPE : G_SUBPROCESS_FLAGS_NONE);
  SendoffTestCliProcess *process = g_new0 (SendoffTestCliProcess, 1);
  g_autoptr(GError) error = NULL;

  if (cli->input != NULL)
    process->input = g_bytes_new (cli->input, strlen (cli->input));
  process->argv = sendoff_test_cli_dup_argv (args);
  g_subprocess_launcher_set_environ (launcher, cli->environ);
  set_up_streams (cli, launcher, process);
  for (guint i = 0; i < cli->fds->len; i++)
    g_subprocess_launcher_take_fd (launcher, g_array_index (cli->fds, FdPair, i).source,
                                   g_array_index (cli->fds, FdPair, i).target);
  g_array_set_size (cli->fds, 0);

  process->process = g_subprocess_launcher_spawnv (launcher,
                                                   (const char *const *) process->argv, &error);
  g_assert_no_error (error);
  return process;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SendoffTestCliProcess *process = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  process->done = TRUE;
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SendoffTestCliProcess *process = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, NULL, NULL, &error);
  g_assert_no_error (error);
  process->done = TRUE;
}

SendoffTestCliProcess *
sendoff_test_cli_spawn (SendoffTestCli    *cli,
                        const char *const *args)
{
  SendoffTestCliProcess *process;

  g_return_val_if_fail (cli != NULL, NULL);
  g_return_val_if_fail (args != NULL, NULL);

  process = start (cli, args);
  process->watched = TRUE;
  if (process->input != NULL)
    g_subprocess_communicate_async (process->process, process->input, NULL, on_communicated,
                                    process);
  else
    g_subprocess_wait_async (process->process, NULL, on_exited, process);
  return process;
}

gboolean
sendoff_test_cli_process_is_running (SendoffTestCliProcess *process)
{
  g_return_val_if_fail (process != NULL, FALSE);
  g_return_val_if_fail (process->watched, FALSE);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  return !process->done;
}

GPid
sendoff_test_cli_process_get_pid (SendoffTestCliProcess *process)
{
  /* NULL once GLib has reaped it, which may be right after the start */
  const char *id;

  g_return_val_if_fail (process != NULL, 0);

  id = g_subprocess_get_identifier (process->process);
  return id != NULL ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

void
sendoff_test_cli_process_send_signal (SendoffTestCliProcess *process,
                                      int                    signum)
{
  g_return_if_fail (process != NULL);

  g_subprocess_send_signal (process->process, signum);
}

void
sendoff_test_cli_process_freeze (SendoffTestCliProcess *process,
                                 const char            *journal_path)
{
  GPid pid;
  sqlite3 *db = NULL;

  g_return_if_fail (process != NULL);
  g_return_if_fail (journal_path != NULL);

  pid = sendoff_test_cli_process_get_pid (process);
  if (pid == 0)
    {
      g_auto(SendoffTestCliRun) run = { 0 };

      sendoff_test_cli_process_wait (process, &run);
      sendoff_test_cli_run_print (&run);
      g_error ("sendoff-cli ended before it could be frozen");
    }
  g_assert_cmpint (sqlite3_open_v2 (journal_path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  /* stopped again until the write lock is free while it is stopped */
  for (guint attempt = 0; ; attempt++)
    {
      g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
      g_usleep (20 * 1000);
      if (sqlite3_exec (db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL) == SQLITE_OK)
        break;
      g_assert_cmpuint (attempt, <, 50);
      g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
      g_usleep (5 * 1000);
    }
  sqlite3_close (db);
}

/* ---- how it ended --------------------------------------------------------- */

static char *
read_back (int fd)
{
  GString *text = g_string_new (NULL);
  char buffer[16 * 1024];
  gssize n;

  if (fd < 0)
    return g_string_free (text, FALSE);
  g_assert_cmpint (lseek (fd, 0, SEEK_SET), ==, 0);
  while ((n = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (text, buffer, n);
    }
  return g_string_free (text, FALSE);
}

static void
wait_for_end (SendoffTestCliProcess *process)
{
  g_autoptr(GError) error = NULL;

  if (process->watched)
    {
      while (!process->done)
        g_main_context_iteration (NULL, TRUE);
      return;
    }
  if (process->input != NULL)
    g_subprocess_communicate (process->process, process->input, NULL, NULL, NULL, &error);
  else
    g_subprocess_wait (process->process, NULL, &error);
  g_assert_no_error (error);
  process->done = TRUE;
}

void
sendoff_test_cli_process_wait (SendoffTestCliProcess *process,
                               SendoffTestCliRun     *run)
{
  g_return_if_fail (process != NULL);
  g_return_if_fail (run != NULL && run->argv == NULL);

  wait_for_end (process);
  run->argv = g_strdupv (process->argv);
  run->out = read_back (process->out_fd);
  run->err = read_back (process->err_fd);
  run->signaled = !g_subprocess_get_if_exited (process->process);
  run->status = run->signaled ? 128 + g_subprocess_get_term_sig (process->process)
                              : g_subprocess_get_exit_status (process->process);
  sendoff_test_cli_run_log (run);
}

void
sendoff_test_cli_process_free (SendoffTestCliProcess *process)
{
  if (process == NULL)
    return;

  if (!process->done)
    {
      g_subprocess_force_exit (process->process);
      wait_for_end (process);
    }
  if (process->out_fd >= 0)
    close (process->out_fd);
  close (process->err_fd);
  g_strfreev (process->argv);
  g_clear_pointer (&process->input, g_bytes_unref);
  g_object_unref (process->process);
  g_free (process);
}

void
sendoff_test_cli_run (SendoffTestCli    *cli,
                      SendoffTestCliRun *run,
                      const char *const *args)
{
  g_autoptr(SendoffTestCliProcess) process = NULL;

  g_return_if_fail (cli != NULL);
  g_return_if_fail (args != NULL);

  process = start (cli, args);
  sendoff_test_cli_process_wait (process, run);
  sendoff_test_cli_assert_exited (run);
  sendoff_test_cli_assert_utf8 (run);
}

void
sendoff_test_cli_assert_utf8 (const SendoffTestCliRun *run)
{
  g_return_if_fail (run != NULL);

  if (!g_utf8_validate (run->out, -1, NULL) || !g_utf8_validate (run->err, -1, NULL))
    {
      sendoff_test_cli_run_print (run);
      g_error ("sendoff-cli wrote bytes that are not UTF-8 (shown as \\x escapes above)");
    }
}

void
sendoff_test_cli_run_clear (SendoffTestCliRun *run)
{
  g_clear_pointer (&run->argv, g_strfreev);
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  run->status = 0;
  run->signaled = FALSE;
}

/* ---- saying what happened ------------------------------------------------- */

/* The output as text a terminal shows safely: control characters and
 * bytes that are not UTF-8 as escapes, line ends kept. g_test_message()
 * turns what the locale cannot show into "?" (a test that never called
 * setlocale() is in ASCII): there, everything past ASCII is escaped too. */
static void
append_shown (GString    *shown,
              const char *text,
              gsize       len)
{
  const char *end = text + len;
  gboolean ascii = !g_get_charset (NULL);

  for (const char *p = text; p < end; )
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        g_string_append_printf (shown, "\\x%02X", (guchar) *p++);
      else if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c < 0xA0) ||
               (ascii && c >= 0x80))
        {
          const char *named = c == '\r' ? "\\r" : c == 0x1B ? "\\e" : c == 0x07 ? "\\a" : NULL;

          if (named != NULL)
            g_string_append (shown, named);
          else
            g_string_append_printf (shown, "\\u%04X", c);
          p = g_utf8_next_char (p);
        }
      else
        {
          g_string_append_len (shown, p, g_utf8_next_char (p) - p);
          p = g_utf8_next_char (p);
        }
    }
}

static void
append_stream (GString    *report,
               const char *name,
               const char *text,
               gboolean    cut)
{
  gsize len = strlen (text);

  g_string_append_printf (report, "%s (%" G_GSIZE_FORMAT " bytes):\n", name, len);
  if (cut && len > LOG_HEAD + LOG_TAIL)
    {
      append_shown (report, text, LOG_HEAD);
      g_string_append_printf (report, "\n[… %" G_GSIZE_FORMAT " bytes left out …]\n",
                              len - LOG_HEAD - LOG_TAIL);
      append_shown (report, text + len - LOG_TAIL, LOG_TAIL);
    }
  else
    append_shown (report, text, len);
  if (len > 0 && text[len - 1] != '\n')
    g_string_append_c (report, '\n');
}

static char *
describe (const SendoffTestCliRun *run,
          gboolean                 cut)
{
  GString *report = g_string_new ("$");

  for (guint i = 0; run->argv != NULL && run->argv[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (run->argv[i]);

      g_string_append_c (report, ' ');
      append_shown (report, quoted, strlen (quoted));
    }
  if (run->signaled)
    g_string_append_printf (report, "\nkilled by signal %d (%s)\n", run->status - 128,
                            g_strsignal (run->status - 128));
  else
    g_string_append_printf (report, "\nexit status %d\n", run->status);
  append_stream (report, "stdout", run->out ? run->out : "", cut);
  append_stream (report, "stderr", run->err ? run->err : "", cut);
  return g_string_free (report, FALSE);
}

void
sendoff_test_cli_run_log (const SendoffTestCliRun *run)
{
  g_autofree char *report = NULL;

  g_return_if_fail (run != NULL);

  report = describe (run, TRUE);
  g_test_message ("%s", report);
}

void
sendoff_test_cli_run_print (const SendoffTestCliRun *run)
{
  g_autofree char *report = NULL;

  g_return_if_fail (run != NULL);

  report = describe (run, FALSE);
  g_printerr ("\n---- sendoff-cli, as it ran ----\n%s---- end of sendoff-cli's output ----\n",
              report);
}

void
sendoff_test_cli_assertion_failed (const char              *domain,
                                   const char              *file,
                                   int                      line,
                                   const char              *func,
                                   const char              *expr,
                                   const SendoffTestCliRun *run,
                                   const char              *cmp,
                                   int                      expected)
{
  sendoff_test_cli_run_print (run);
  if (run->signaled || cmp == NULL)
    {
      /* how it ended, when that is not what was asked: killed, or (a kill
       * expected) exited */
      g_autofree char *message =
        run->signaled
          ? g_strdup_printf ("assertion failed (%s): sendoff-cli was killed by signal %d (%s)",
                             expr, run->status - 128, g_strsignal (run->status - 128))
          : g_strdup_printf ("assertion failed (%s): sendoff-cli exited with status %d", expr,
                             run->status);

      g_assertion_message (domain, file, line, func, message);
    }
  else
    g_assertion_message_cmpnum (domain, file, line, func, expr, run->status, cmp, expected, 'i');
}
