/* test-cli-habits.c — sendoff-cli's defects and habits: arguments, signals, output, terminals
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cli-runner.h"
#include "sandbox-fixture.h"

#define HOSTILE_NAME "\033]0;owned\007x\033[2Jy\342\200\256cod.exe"

/* A sendoff-cli with @api_key (NULL: none) and no keyring to ask */
static SendoffTestCli *
cli_new (const char *api_key)
{
  SendoffTestCli *cli = sendoff_test_cli_new ();

  sendoff_test_cli_set_api_key (cli, api_key);
  return cli;
}

static void
run_cli (SendoffTestCliRun *run,
         const char        *api_key,
         const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = cli_new (api_key);

  sendoff_test_cli_run (cli, run, args);
}

static char *
make_file (const char *dir,
           const char *name,
           gsize       size)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (path);

  g_mkdir_with_parents (parent, 0700);
  for (gsize i = 0; i < size; i++)
    data[i] = (char) g_random_int ();
  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

static JsonArray *
transfers_of (JsonObject *state)
{
  return json_object_get_array_member (state, "transfers");
}

static gint64
requests_of (JsonObject *state,
             const char *kind)
{
  return json_object_get_int_member (json_object_get_object_member (state, "requests"), kind);
}

static void
assert_no_request (SendoffTestSandbox *sb)
{
  g_autoptr(JsonObject) state = sendoff_test_sandbox_get_state (sb);

  g_assert_cmpuint (json_array_get_length (transfers_of (state)), ==, 0);
  /* the state request itself is not counted before it is answered */
  g_assert_cmpint (requests_of (state, "authorize"), ==, 0);
  g_assert_cmpint (requests_of (state, "transfers"), ==, 0);
  g_assert_cmpint (requests_of (state, "storage_puts"), ==, 0);
  g_assert_cmpint (requests_of (state, "total"), <=, 1);
}

/* Nothing a terminal would act on: no C0 control but the line end, no
 * C1 control, no bidirectional override */
static void
assert_terminal_safe (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if ((c < 0x20 && c != '\n') || c == 0x7F)
        g_error ("raw control character 0x%02x in: %s", c, text);
    }
  g_assert_null (strstr (text, "\342\200\256"));   /* U+202E */
  g_assert_null (strstr (text, "\302\233"));       /* U+009B, CSI */
}

/* ---- arguments -------------------------------------------------------- */

static void
test_bad_arguments (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *good = make_file (dir, "good.txt", 10);
  const char *url = sendoff_test_sandbox_get_url (sb);
  struct {
    const char *args[10];
    const char *expect;
  } cases[] = {
    { { "send", "--api-url", url, "", NULL }, "empty path" },
    { { "send", "--api-url", url, good, "", NULL }, "empty path" },
    { { "send", "--api-url", url, "--jobs", "-1", good, NULL }, "--jobs" },
    { { "send", "--api-url", url, "--jobs", "0", good, NULL }, "--jobs" },
    { { "send", "--api-url", url, "--jobs", "99999999999", good, NULL }, "--jobs" },
    { { "send", "--api-url", url, "--jobs", "four", good, NULL }, "--jobs" },
    { { "send", "--api-url", url, "--retries", "-1", good, NULL }, "--retries" },
    { { "send", "--api-url", url, "--retries", "100000", good, NULL }, "--retries" },
    { { "send", "--api-url", "", good, NULL }, "--api-url" },
    { { "send", "--api-url", url, "--exclude", "", good, NULL }, "--exclude" },
    { { "send", "--api-url", url, "--secret-fd", "1", good, NULL }, "--secret-fd" },
    { { "send", "--api-url", url, "-", "-", NULL }, "“-”" },
  };

  /* Would the empty path count as ".", the whole folder would go */
  g_assert_cmpint (g_chdir (dir), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SendoffTestCliRun run = { 0 };

      g_test_message ("case %u", i);
      run_cli (&run, sendoff_test_sandbox_get_api_key (sb), cases[i].args);
      sendoff_test_cli_assert_status (&run, 2);
      g_assert_nonnull (strstr (run.err, cases[i].expect));
      g_assert_cmpstr (run.out, ==, "");
      sendoff_test_cli_run_clear (&run);
    }

  assert_no_request (sb);
  sendoff_test_sandbox_stop (sb);
  g_chdir ("/");
  remove_tree (dir);
}

static void
test_help (void)
{
  struct {
    const char *args[4];
    const char *expect;
    const char *unexpected;
  } cases[] = {
    { { "help", "send", NULL }, "--jobs", "sendoff-cli logout" },
    { { "send", "--help", NULL }, "--exclude", "sendoff-cli logout" },
    { { "help", "login", NULL }, "sendoff-cli login", "--jobs" },
    { { "help", "logout", NULL }, "sendoff-cli logout", "--jobs" },
    { { "help", "status", NULL }, "sendoff-cli status", "--jobs" },
    { { "help", NULL }, "sendoff-cli status", NULL },
  };
  const char *unknown[] = { "help", "frobnicate", NULL };
  SendoffTestCliRun run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      run_cli (&run, NULL, cases[i].args);
      sendoff_test_cli_assert_status (&run, 0);
      g_assert_nonnull (strstr (run.out, cases[i].expect));
      if (cases[i].unexpected != NULL)
        g_assert_null (strstr (run.out, cases[i].unexpected));
      sendoff_test_cli_run_clear (&run);
    }

  run_cli (&run, NULL, unknown);
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "frobnicate"));
  sendoff_test_cli_run_clear (&run);
}

/* ---- standard output that fails --------------------------------------- */

static void
test_stdout_fails (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *good = make_file (dir, "good.txt", 1000);
  const char *args[] = { "send", "--api-url", sendoff_test_sandbox_get_url (sb), good, NULL };
  const char *json_args[] = { "send", "--json", "--api-url", sendoff_test_sandbox_get_url (sb),
                              good, NULL };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SendoffTestCli) cli = cli_new (sendoff_test_sandbox_get_api_key (sb));
      g_autoptr(JsonObject) state = NULL;
      JsonObject *transfer;
      SendoffTestCliRun run = { 0 };

      if (i == 1)
        sendoff_test_cli_close_stdout (cli);
      else
        sendoff_test_cli_set_stdout_path (cli, "/dev/full");
      sendoff_test_cli_run (cli, &run, i == 2 ? json_args : args);

      sendoff_test_cli_assert_status (&run, 1);
      g_assert_nonnull (strstr (run.err, "were sent"));
      g_assert_nonnull (strstr (run.err, "standard output"));
      state = sendoff_test_sandbox_get_state (sb);
      g_assert_cmpuint (json_array_get_length (transfers_of (state)), ==, i + 1);
      transfer = json_array_get_object_element (transfers_of (state), i);
      /* the link is not lost: it is in the message */
      g_assert_nonnull (strstr (run.err, json_object_get_string_member (transfer,
                                                                        "shortened_url")));
      g_assert_null (strstr (run.err, sendoff_test_sandbox_get_api_key (sb)));
      sendoff_test_cli_run_clear (&run);
    }

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* ---- signals ---------------------------------------------------------- */

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_ms (guint ms)
{
  gboolean waited = FALSE;

  g_timeout_add (ms, on_timeout, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_signals (void)
{
  /* every storage answer drips at a byte a second: a signal that waited
   * for the parts in flight would take minutes */
  const char *sb_args[] = { "--drip", "1", "--drip-phase", "status", "--drip-put-rate", "1",
                            NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (sb_args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *big = make_file (dir, "big.bin", 40 * 1024 * 1024);
  const char *args[] = { "send", "--jobs", "2", "--api-url", sendoff_test_sandbox_get_url (sb),
                         big, NULL };
  const struct { int signum; int status; } cases[] = {
    { SIGTERM, 143 }, { SIGHUP, 129 }, { SIGINT, 130 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SendoffTestCli) cli = cli_new (sendoff_test_sandbox_get_api_key (sb));
      g_autoptr(SendoffTestCliProcess) process = NULL;
      g_auto(SendoffTestCliRun) run = { 0 };
      gint64 started;

      process = sendoff_test_cli_spawn (cli, args);
      wait_ms (1500);

      g_test_message ("signal %d", cases[i].signum);
      started = g_get_monotonic_time ();
      sendoff_test_cli_process_send_signal (process, cases[i].signum);
      sendoff_test_cli_process_wait (process, &run);

      /* it exited (cleanly, through its own path), it was not killed */
      sendoff_test_cli_assert_status (&run, cases[i].status);
      g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, "Interrupted"));
    }

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* ---- terminal safety -------------------------------------------------- */

static void
test_terminal_escapes (void)
{
  const char *sb_args[] = { "--fail-put-rate", "1", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  SendoffTestSandbox *failing = sendoff_test_sandbox_start (sb_args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *hostile = make_file (dir, HOSTILE_NAME, 100);
  g_autofree char *missing = g_build_filename (dir, "gone" HOSTILE_NAME, NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo" HOSTILE_NAME, NULL);
  const char *ok[] = { "send", "--api-url", sendoff_test_sandbox_get_url (sb), hostile, NULL };
  const char *dry[] = { "send", "--dry-run", "--api-url", sendoff_test_sandbox_get_url (sb),
                        hostile, NULL };
  const char *refused[] = { "send", "--api-url", sendoff_test_sandbox_get_url (sb),
                            missing, fifo, NULL };
  const char *server_fails[] = { "send", "--retries", "0", "--api-url",
                                 sendoff_test_sandbox_get_url (failing), hostile, NULL };
  const char *bad_command[] = { HOSTILE_NAME, NULL };
  const char *bad_service[] = { "login", "--service", HOSTILE_NAME, NULL };
  const char *bad_argument[] = { "logout", HOSTILE_NAME, NULL };
  g_autoptr(JsonObject) state = NULL;
  SendoffTestCliRun run = { 0 };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), ok);
  sendoff_test_cli_assert_status (&run, 0);
  assert_terminal_safe (run.out);
  assert_terminal_safe (run.err);
  sendoff_test_cli_run_clear (&run);
  /* The name itself reached the server as it is */
  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (
                         json_array_get_object_element (transfers_of (state), 0), "items"), 0),
                     "filename"), ==, HOSTILE_NAME);

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), dry);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "\\e]0;owned\\ax\\e[2Jy\\u202Ecod.exe"));
  assert_terminal_safe (run.out);
  sendoff_test_cli_run_clear (&run);

  /* The core names these files as URIs; what is left must be escaped here */
  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), refused);
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "gone"));
  g_assert_nonnull (strstr (run.err, "fifo"));
  g_assert_nonnull (strstr (run.err, "\\u202Ecod.exe"));
  assert_terminal_safe (run.err);
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, sendoff_test_sandbox_get_api_key (failing), server_fails);
  sendoff_test_cli_assert_status (&run, 1);
  g_assert_nonnull (strstr (run.err, "\\e[2J"));
  assert_terminal_safe (run.err);
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, NULL, bad_command);
  sendoff_test_cli_assert_status (&run, 2);
  assert_terminal_safe (run.err);
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, NULL, bad_service);
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "\\e[2J"));
  assert_terminal_safe (run.err);
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, NULL, bad_argument);
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "\\e[2J"));
  assert_terminal_safe (run.err);
  sendoff_test_cli_run_clear (&run);

  sendoff_test_sandbox_stop (sb);
  sendoff_test_sandbox_stop (failing);
  remove_tree (dir);
}

/* ---- the progress line on a terminal ---------------------------------- */

/* Runs sendoff-cli on a pseudo-terminal @columns wide; run->err is all the
 * terminal showed (its stdout goes to /dev/null) */
static void
run_on_pty (SendoffTestCliRun *run,
            const char        *term,
            unsigned short     columns,
            const char        *api_key,
            const char *const *args)
{
  g_autoptr(SendoffTestCli) cli = cli_new (api_key);
  g_auto(GStrv) env = NULL;
  struct winsize size = { .ws_row = 24, .ws_col = columns };
  GString *screen = g_string_new (NULL);
  int master, wait_status;
  pid_t pid;

  sendoff_test_cli_setenv (cli, "TERM", term);
  sendoff_test_cli_setenv (cli, "COLUMNS", "500");     /* the terminal's own width wins */
  env = sendoff_test_cli_dup_environ (cli);
  run->argv = sendoff_test_cli_dup_argv (args);
  g_test_message ("TERM=%s, %u columns", term, columns);

  pid = forkpty (&master, NULL, NULL, &size);
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null_fd = open ("/dev/null", O_WRONLY);

      /* Only what goes to the terminal's stderr: the link is not progress */
      dup2 (null_fd, STDOUT_FILENO);
      execve (run->argv[0], run->argv, env);
      _exit (127);
    }

  for (;;)
    {
      struct pollfd pfd = { master, POLLIN, 0 };
      char buf[4096];
      ssize_t n;

      if (poll (&pfd, 1, 60000) == 0)
        g_error ("sendoff-cli stalled; the terminal shows: %s", screen->str);
      n = read (master, buf, sizeof buf);
      if (n <= 0)
        break;
      g_string_append_len (screen, buf, n);
    }
  close (master);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  run->out = g_strdup ("");
  run->err = g_string_free (screen, FALSE);
  run->signaled = !WIFEXITED (wait_status);
  run->status = run->signaled ? 128 + WTERMSIG (wait_status) : WEXITSTATUS (wait_status);
  sendoff_test_cli_run_log (run);
}

static gsize
columns_of (const char *text)
{
  gsize width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

static void
test_progress_line (void)
{
  const char *sb_args[] = { "--latency-ms", "150", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (sb_args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *a = make_file (dir, "a rather long file name that cannot fit in forty columns.bin",
                                  7 * 1024 * 1024);
  g_autofree char *b = make_file (dir, "b.bin", 7 * 1024 * 1024);
  g_autofree char *c = make_file (dir, "c" HOSTILE_NAME, 7 * 1024 * 1024);
  const char *args[] = { "send", "--jobs", "1", "--api-url", sendoff_test_sandbox_get_url (sb),
                         a, b, c, NULL };
  g_auto(SendoffTestCliRun) live = { 0 };
  g_auto(SendoffTestCliRun) dumb = { 0 };
  g_auto(GStrv) lines = NULL;
  guint drawn = 0;

  run_on_pty (&live, "xterm-256color", 40, sendoff_test_sandbox_get_api_key (sb), args);
  sendoff_test_cli_assert_status (&live, 0);
  g_assert_nonnull (strstr (live.err, "of 3 files"));
  g_assert_null (strstr (live.err, "\033]"));
  g_assert_null (strstr (live.err, "\033[2J"));
  g_assert_null (strstr (live.err, "\342\200\256"));

  /* Every redraw fits in 39 columns: split on the redraw sequence */
  g_assert_nonnull (strstr (live.err, "\r\033[K"));
  lines = g_strsplit (live.err, "\r\033[K", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *end = strpbrk (lines[i], "\r\n");

      if (end != NULL)
        *end = '\0';
      if (*lines[i] == '\0')
        continue;
      drawn++;
      g_assert_cmpuint (columns_of (lines[i]), <, 40);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
    }
  g_assert_cmpuint (drawn, >=, 1);
  /* the file being sent is named (shortened to fit) */
  g_assert_true (strstr (live.err, "files  a rath") != NULL ||
                 strstr (live.err, "files  b.bin") != NULL ||
                 strstr (live.err, "files  c\\e]") != NULL);

  run_on_pty (&dumb, "dumb", 40, sendoff_test_sandbox_get_api_key (sb), args);
  sendoff_test_cli_assert_status (&dumb, 0);
  g_assert_null (strchr (dumb.err, '\033'));
  g_assert_nonnull (strstr (dumb.err, "of 3 files"));

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* ---- dry run, exclusions, retries, verbose ----------------------------- */

static void
test_dry_run (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *big = make_file (dir, "big.bin", 13 * 1024 * 1024);
  g_autofree char *tmp = make_file (dir, "scratch.tmp", 5);
  const char *args[] = { "send", "--dry-run", "--exclude", "*.tmp", "--api-url",
                         sendoff_test_sandbox_get_url (sb), big, tmp, NULL };
  const char *json_args[] = { "send", "--dry-run", "--json", "--api-url",
                              sendoff_test_sandbox_get_url (sb), big, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *plan, *file;
  SendoffTestCliRun run = { 0 };

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), args);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "big.bin"));
  g_assert_nonnull (strstr (run.out, "13.6"));  /* g_format_size(): 13.6 MB */
  g_assert_nonnull (strstr (run.out, "3 parts"));
  g_assert_nonnull (strstr (run.out, "wetransfer-v1"));
  g_assert_nonnull (strstr (run.out, sendoff_test_sandbox_get_url (sb)));
  g_assert_null (strstr (run.out, "scratch.tmp"));
  sendoff_test_cli_run_clear (&run);

  /* Without any key: a dry run needs none */
  run_cli (&run, "", json_args);
  sendoff_test_cli_assert_status (&run, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  plan = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (plan, "event"), ==, "plan");
  g_assert_cmpint (json_object_get_int_member (plan, "version"), ==, 1);
  file = json_array_get_object_element (json_object_get_array_member (plan, "files"), 0);
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, 13 * 1024 * 1024);
  g_assert_cmpint (json_object_get_int_member (file, "parts"), ==, 3);
  sendoff_test_cli_run_clear (&run);

  assert_no_request (sb);
  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_exclude (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (dir, "project", NULL);
  g_autofree char *keep = make_file (folder, "src/main.c", 300);
  g_autofree char *sha = sendoff_test_sha256_file (keep);
  const char *args[] = { "send", "--exclude", "*.tmp", "--exclude", ".git", "--api-url",
                         sendoff_test_sandbox_get_url (sb), folder, NULL };
  const char *all_out[] = { "send", "-x", "*", "--api-url",
                            sendoff_test_sandbox_get_url (sb), folder, NULL };
  g_autoptr(JsonObject) state = NULL;
  JsonArray *items;
  JsonObject *item;
  SendoffTestCliRun run = { 0 };

  /* what --exclude leaves out */
  g_free (make_file (folder, ".git/HEAD", 20));
  g_free (make_file (folder, ".git/objects/ab", 20));
  g_free (make_file (folder, "src/cache.tmp", 20));

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), all_out);
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "--exclude"));
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), args);
  sendoff_test_cli_assert_status (&run, 0);
  sendoff_test_cli_run_clear (&run);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpuint (json_array_get_length (transfers_of (state)), ==, 1);
  items = json_object_get_array_member (json_array_get_object_element (transfers_of (state), 0),
                                        "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "filename"), ==, "project/src/main.c");
  g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, sha);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_retries (void)
{
  const char *sb_args[] = { "--fail-put-rate", "1", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (sb_args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *small = make_file (dir, "small.bin", 1000);
  const char *retries[] = { "0", "3" };

  for (guint i = 0; i < G_N_ELEMENTS (retries); i++)
    {
      const char *args[] = { "send", "--retries", retries[i], "--api-url",
                             sendoff_test_sandbox_get_url (sb), small, NULL };
      g_autoptr(JsonObject) state = NULL;
      SendoffTestCliRun run = { 0 };
      gint64 before;

      state = sendoff_test_sandbox_get_state (sb);
      before = requests_of (state, "storage_puts");
      g_clear_pointer (&state, json_object_unref);

      run_cli (&run, sendoff_test_sandbox_get_api_key (sb), args);
      sendoff_test_cli_assert_status (&run, 1);
      g_assert_nonnull (strstr (run.err, "small.bin"));

      state = sendoff_test_sandbox_get_state (sb);
      /* one try, then N more */
      g_assert_cmpint (requests_of (state, "storage_puts") - before, ==, 1 + (i == 0 ? 0 : 3));
      /* each retry said when it comes and why */
      if (i == 0)
        g_assert_null (strstr (run.err, "retrying"));
      else
        {
          g_assert_nonnull (strstr (run.err, "retrying part 1 of small.bin in "));
          g_assert_nonnull (strstr (run.err, "(attempt 2 of 4): "));
          g_assert_nonnull (strstr (run.err, "(attempt 4 of 4): "));
        }
      sendoff_test_cli_run_clear (&run);
    }

  /* in JSON: a retry event each */
  {
    const char *args[] = { "send", "--json", "--retries", "2", "--api-url",
                           sendoff_test_sandbox_get_url (sb), small, NULL };
    g_auto(GStrv) lines = NULL;
    guint retry_events = 0;
    SendoffTestCliRun run = { 0 };

    run_cli (&run, sendoff_test_sandbox_get_api_key (sb), args);
    sendoff_test_cli_assert_status (&run, 1);
    lines = g_strsplit (run.out, "\n", -1);
    for (guint l = 0; lines[l] != NULL; l++)
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        JsonObject *event;

        if (*lines[l] == '\0')
          continue;
        g_assert_true (json_parser_load_from_data (parser, lines[l], -1, NULL));
        event = json_node_get_object (json_parser_get_root (parser));
        if (g_strcmp0 (json_object_get_string_member (event, "event"), "retry") != 0)
          continue;
        retry_events++;
        g_assert_cmpstr (json_object_get_string_member (event, "name"), ==, "small.bin");
        g_assert_cmpint (json_object_get_int_member (event, "part"), ==, 1);
        g_assert_cmpint (json_object_get_int_member (event, "attempt"), ==, retry_events + 1);
        g_assert_cmpint (json_object_get_int_member (event, "max_attempts"), ==, 3);
        g_assert_nonnull (strstr (json_object_get_string_member (event, "reason"), "500"));
      }
    g_assert_cmpuint (retry_events, ==, 2);
    sendoff_test_cli_run_clear (&run);
  }

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_verbose (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *file = make_file (dir, "file.bin", 7 * 1024 * 1024);
  const char *args[] = { "send", "--verbose", "--api-url", sendoff_test_sandbox_get_url (sb),
                         file, NULL };
  SendoffTestCliRun run = { 0 };

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), args);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.err, "wetransfer-v1"));
  g_assert_nonnull (strstr (run.err, "SENDOFF_API_KEY"));
  g_assert_nonnull (strstr (run.err, "file.bin"));
  /* the requests, without the query (a presigned URL's is a credential) */
  g_assert_nonnull (strstr (run.err, "POST http://127.0.0.1:"));
  g_assert_nonnull (strstr (run.err, "/v1/authorize"));
  g_assert_nonnull (strstr (run.err, "PUT http://127.0.0.1:"));
  g_assert_null (strstr (run.err, "X-Amz-Signature"));
  g_assert_null (strstr (run.err, sendoff_test_sandbox_get_api_key (sb)));
  g_assert_null (strstr (run.out, sendoff_test_sandbox_get_api_key (sb)));
  sendoff_test_cli_run_clear (&run);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* --timeout reaches the engine's stall watchdog: a server that never
 * answers fails the send in seconds, with a sentence; a bad value is usage */
static void
test_timeout (void)
{
  const char *extra[] = { "--stall", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (extra);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *file = make_file (dir, "file.bin", 1024);
  const char *args[] = { "send", "--timeout", "1", "--retries", "0", "--api-url",
                         sendoff_test_sandbox_get_url (sb), file, NULL };
  const char *zero[] = { "send", "--timeout", "0", "--api-url",
                         sendoff_test_sandbox_get_url (sb), file, NULL };
  gint64 start = g_get_monotonic_time ();
  SendoffTestCliRun run = { 0 };

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), args);
  sendoff_test_cli_assert_status (&run, 1);
  g_assert_nonnull (strstr (run.err, "sent nothing for 1 second"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  sendoff_test_cli_run_clear (&run);

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), zero);
  sendoff_test_cli_assert_status (&run, 2);
  g_assert_nonnull (strstr (run.err, "--timeout"));
  sendoff_test_cli_run_clear (&run);

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* ---- standard input and secrets on a file descriptor ------------------- */

static void
test_stdin (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autoptr(SendoffTestCli) cli = cli_new (sendoff_test_sandbox_get_api_key (sb));
  g_autofree char *tmpdir = g_dir_make_tmp ("sendoff-cli-tmp-XXXXXX", NULL);
  g_autoptr(GString) input = g_string_new (NULL);
  g_autofree char *sha = NULL;
  const char *args[] = { "send", "--name", "report.csv", "--api-url",
                         sendoff_test_sandbox_get_url (sb), "-", NULL };
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GDir) left = NULL;
  JsonObject *transfer, *item;
  SendoffTestCliRun run = { 0 };

  /* Text (communicate_utf8), more than one part */
  for (guint i = 0; input->len < 7 * 1024 * 1024; i++)
    g_string_append_printf (input, "%u,%08x,row\n", i, g_random_int ());
  sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input->str, input->len);

  sendoff_test_cli_setenv (cli, "TMPDIR", tmpdir);
  sendoff_test_cli_set_input (cli, input->str);
  sendoff_test_cli_run (cli, &run, args);
  sendoff_test_cli_assert_status (&run, 0);

  state = sendoff_test_sandbox_get_state (sb);
  transfer = json_array_get_object_element (transfers_of (state), 0);
  item = json_array_get_object_element (json_object_get_array_member (transfer, "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "filename"), ==, "report.csv");
  g_assert_cmpint (json_object_get_int_member (item, "filesize"), ==, (gint64) input->len);
  g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, sha);

  /* The spool in $TMPDIR is gone */
  left = g_dir_open (tmpdir, 0, NULL);
  g_assert_null (g_dir_read_name (left));
  sendoff_test_cli_run_clear (&run);

  sendoff_test_sandbox_stop (sb);
  g_rmdir (tmpdir);
}

/* Waiting for standard input is interrupted like the rest */
static void
test_stdin_interrupt (void)
{
  const char *args[] = { "send", "--api-url", "http://127.0.0.1:7009", "-", NULL };
  g_autoptr(SendoffTestCli) cli = cli_new ("key");
  g_autoptr(SendoffTestCliProcess) process = NULL;
  g_auto(SendoffTestCliRun) run = { 0 };
  gint64 started;

  /* Standard input stays open (the writer is still there): only the
   * signal can end the wait */
  sendoff_test_cli_keep_stdin_open (cli);
  process = sendoff_test_cli_spawn (cli, args);
  wait_ms (500);

  started = g_get_monotonic_time ();
  sendoff_test_cli_process_send_signal (process, SIGINT);
  while (sendoff_test_cli_process_is_running (process) &&
         g_get_monotonic_time () - started < 5 * G_USEC_PER_SEC)
    g_usleep (10 * 1000);
  if (sendoff_test_cli_process_is_running (process))
    {
      sendoff_test_cli_process_send_signal (process, SIGKILL);
      sendoff_test_cli_process_wait (process, &run);
      sendoff_test_cli_run_print (&run);
      g_error ("sendoff-cli send - did not stop on SIGINT while reading standard input");
    }
  /* it stopped within the 5 s the loop above gives it (the same bound as
   * a signal during a send), through its own path */
  sendoff_test_cli_process_wait (process, &run);
  sendoff_test_cli_assert_status (&run, 130);
}

static void
test_secret_fd (void)
{
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *file = make_file (dir, "file.bin", 1000);
  const char *args[] = { "send", "--secret-fd", "5", "--api-url",
                         sendoff_test_sandbox_get_url (sb), file, NULL };
  const char *inputs[] = { NULL, "\n" };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SendoffTestCli) cli = cli_new ("");
      g_autofree char *text = i == 0 ? g_strdup_printf ("%s\n", sendoff_test_sandbox_get_api_key (sb))
                                     : g_strdup (inputs[i - 1] ? inputs[i - 1] : "");
      int fds[2];
      SendoffTestCliRun run = { 0 };

      g_assert_cmpint (pipe (fds), ==, 0);
      g_assert_cmpint (write (fds[1], text, strlen (text)), ==, (ssize_t) strlen (text));
      close (fds[1]);
      sendoff_test_cli_take_fd (cli, fds[0], 5);
      sendoff_test_cli_run (cli, &run, args);
      if (i == 0)
        {
          sendoff_test_cli_assert_status (&run, 0);
          g_assert_true (g_str_has_prefix (run.out, "http://"));
        }
      else
        {
          sendoff_test_cli_assert_status (&run, 2);
          g_assert_nonnull (strstr (run.err, "descriptor 5"));
        }
      sendoff_test_cli_run_clear (&run);
    }

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

/* ---- JSON, status, the missing key ------------------------------------ */

static JsonObject *
last_event (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint n = g_strv_length (lines);

  while (n > 0 && *lines[n - 1] == '\0')
    n--;
  g_assert_cmpuint (n, >, 0);
  json_parser_load_from_data (parser, lines[n - 1], -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_json_format (void)
{
  const char *sb_args[] = { "--latency-ms", "100", NULL };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (sb_args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-XXXXXX", NULL);
  g_autofree char *file = make_file (dir, "file.bin", 13 * 1024 * 1024);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  const char *url = sendoff_test_sandbox_get_url (sb);
  const char *ok[] = { "send", "--json", "--jobs", "1", "--api-url", url, file, NULL };
  struct {
    const char *key;
    const char *args[8];
    int         status;
    const char *kind;
  } cases[] = {
    { "wrong-key", { "send", "--json", "--api-url", url, file, NULL }, 3, "auth" },
    { NULL, { "send", "--json", "--api-url", url, missing, NULL }, 2, "input" },
    { NULL, { "send", "--json", "--jobs", "0", "--api-url", url, file, NULL }, 2, "usage" },
  };
  g_auto(GStrv) lines = NULL;
  gboolean saw_started = FALSE, saw_progress = FALSE;
  SendoffTestCliRun run = { 0 };

  run_cli (&run, sendoff_test_sandbox_get_api_key (sb), ok);
  sendoff_test_cli_assert_status (&run, 0);
  lines = g_strsplit (g_strchomp (run.out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *event;
      JsonNode *eta;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      event = json_node_get_object (json_parser_get_root (parser));
      if (g_str_equal (json_object_get_string_member (event, "event"), "started"))
        {
          g_assert_cmpint (json_object_get_int_member (event, "version"), ==, 1);
          saw_started = TRUE;
        }
      if (g_str_equal (json_object_get_string_member (event, "event"), "progress"))
        {
          eta = json_object_get_member (event, "eta");
          g_assert_nonnull (eta);
          /* unknown is null, never a negative sentinel */
          g_assert_true (json_node_is_null (eta) || json_node_get_int (eta) >= 0);
          saw_progress = TRUE;
        }
    }
  g_assert_true (saw_started);
  g_assert_true (saw_progress);
  sendoff_test_cli_run_clear (&run);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) event = NULL;

      run_cli (&run, cases[i].key ? cases[i].key : sendoff_test_sandbox_get_api_key (sb),
               cases[i].args);
      sendoff_test_cli_assert_status (&run, cases[i].status);
      event = last_event (run.out);
      g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "error");
      g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, cases[i].kind);
      g_assert_nonnull (json_object_get_string_member (event, "message"));
      sendoff_test_cli_run_clear (&run);
    }

  sendoff_test_sandbox_stop (sb);
  remove_tree (dir);
}

static void
test_status (void)
{
  const char *args[] = { "status", "--api-url", "http://127.0.0.1:7009", NULL };
  const char *send_args[] = { "send", "--api-url", "http://127.0.0.1:7009", "/etc/hostname",
                              NULL };
  SendoffTestCliRun run = { 0 };

  run_cli (&run, "a-secret-that-must-not-show", args);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "wetransfer-v1"));
  g_assert_nonnull (strstr (run.out, "http://127.0.0.1:7009 (from --api-url)"));
  g_assert_nonnull (strstr (run.out, "environment ($SENDOFF_API_KEY)"));
  g_assert_null (strstr (run.out, "a-secret-that-must-not-show"));
  g_assert_null (strstr (run.err, "a-secret-that-must-not-show"));
  sendoff_test_cli_run_clear (&run);

  /* No key in the environment, no keyring to ask */
  run_cli (&run, "", args);
  sendoff_test_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "API Key: none"));
  sendoff_test_cli_run_clear (&run);

  /* A keyring that answers and holds nothing (libsecret's file backend):
   * the messages name the command that stores a key */
  {
    const char *stored_args[] = { "status", "--api-url", "http://127.0.0.1:7009", NULL };
    g_autofree char *dir = g_dir_make_tmp ("sendoff-cli-keyring-XXXXXX", NULL);

    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(SendoffTestCli) cli = cli_new ("");

        sendoff_test_cli_set_home (cli, dir);
        sendoff_test_cli_run (cli, &run, i == 0 ? send_args : stored_args);
        if (i == 0)
          {
            sendoff_test_cli_assert_status (&run, 3);
            g_assert_nonnull (strstr (run.err, "sendoff-cli login"));
            g_assert_null (strstr (run.err, "Preferences"));
            g_assert_cmpstr (run.out, ==, "");
          }
        else
          {
            sendoff_test_cli_assert_status (&run, 0);
            g_assert_nonnull (strstr (run.out, "API Key: none (use “sendoff-cli login”"));
          }
        sendoff_test_cli_run_clear (&run);
      }
    remove_tree (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/cli-habits/bad-arguments", test_bad_arguments);
  g_test_add_func ("/sendoff/cli-habits/help", test_help);
  g_test_add_func ("/sendoff/cli-habits/stdout-fails", test_stdout_fails);
  g_test_add_func ("/sendoff/cli-habits/signals", test_signals);
  g_test_add_func ("/sendoff/cli-habits/terminal-escapes", test_terminal_escapes);
  g_test_add_func ("/sendoff/cli-habits/progress-line", test_progress_line);
  g_test_add_func ("/sendoff/cli-habits/dry-run", test_dry_run);
  g_test_add_func ("/sendoff/cli-habits/exclude", test_exclude);
  g_test_add_func ("/sendoff/cli-habits/retries", test_retries);
  g_test_add_func ("/sendoff/cli-habits/verbose", test_verbose);
  g_test_add_func ("/sendoff/cli-habits/timeout", test_timeout);
  g_test_add_func ("/sendoff/cli-habits/stdin", test_stdin);
  g_test_add_func ("/sendoff/cli-habits/stdin-interrupt", test_stdin_interrupt);
  g_test_add_func ("/sendoff/cli-habits/secret-fd", test_secret_fd);
  g_test_add_func ("/sendoff/cli-habits/json-format", test_json_format);
  g_test_add_func ("/sendoff/cli-habits/status", test_status);

  return g_test_run ();
}
