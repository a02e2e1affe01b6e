/* sendoff-cli-output.c — what sendoff-cli writes: messages, JSON events, the progress line
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "sendoff-cli-output.h"

#include "sendoff-journal.h"
#include "sendoff-text.h"
#include "sendoff-types.h"

#define PLAIN_INTERVAL_US (5 * G_USEC_PER_SEC)

static const char *const kind_names[] = {
  [SENDOFF_CLI_ERROR_USAGE]       = "usage",
  [SENDOFF_CLI_ERROR_INPUT]       = "input",
  [SENDOFF_CLI_ERROR_AUTH]        = "auth",
  [SENDOFF_CLI_ERROR_NETWORK]     = "network",
  [SENDOFF_CLI_ERROR_SERVER]      = "server",
  [SENDOFF_CLI_ERROR_INTERRUPTED] = "interrupted",
};

const char *
sendoff_cli_error_kind_to_string (SendoffCliErrorKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), "server");
  return kind_names[kind];
}

SendoffCliErrorKind
sendoff_cli_error_kind_for (const GError *error)
{
  g_return_val_if_fail (error != NULL, SENDOFF_CLI_ERROR_SERVER);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return SENDOFF_CLI_ERROR_INTERRUPTED;
  if (error->domain == SENDOFF_ERROR)
    switch ((SendoffError) error->code)
      {
      case SENDOFF_ERROR_INVALID_INPUT:
      case SENDOFF_ERROR_CHANGED:
        return SENDOFF_CLI_ERROR_INPUT;
      case SENDOFF_ERROR_INSECURE_URL:
        return SENDOFF_CLI_ERROR_USAGE;
      case SENDOFF_ERROR_AUTH:
      case SENDOFF_ERROR_NO_CREDENTIALS:
      case SENDOFF_ERROR_KEYRING:
        return SENDOFF_CLI_ERROR_AUTH;
      case SENDOFF_ERROR_NETWORK:
        return SENDOFF_CLI_ERROR_NETWORK;
      case SENDOFF_ERROR_SERVER:
      case SENDOFF_ERROR_PROTOCOL:
      default:
        return SENDOFF_CLI_ERROR_SERVER;
      }
  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
      error->domain == G_TLS_ERROR)
    return SENDOFF_CLI_ERROR_NETWORK;
  /* another process sends it: as for `resume ID` checked before it starts */
  if (g_error_matches (error, SENDOFF_JOURNAL_ERROR, SENDOFF_JOURNAL_ERROR_BUSY))
    return SENDOFF_CLI_ERROR_USAGE;
  return SENDOFF_CLI_ERROR_SERVER;
}

void
sendoff_cli_printerr (const char *message)
{
  g_autofree char *safe = sendoff_str_escape_terminal (message);

  g_printerr ("sendoff-cli: %s\n", safe);
}

/* ---- JSON ------------------------------------------------------------- */

JsonBuilder *
sendoff_cli_json_event (const char *event)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  return builder;
}

void
sendoff_cli_json_add_string (JsonBuilder *builder,
                             const char  *name,
                             const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
sendoff_cli_json_add_int (JsonBuilder *builder,
                          const char  *name,
                          gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
sendoff_cli_json_add_known (JsonBuilder *builder,
                            const char  *name,
                            gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
sendoff_cli_json_emit (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  line = json_to_string (root, FALSE);
  fputs (line, stdout);
  fputc ('\n', stdout);
  sendoff_cli_flush_stdout ();
}

void
sendoff_cli_json_error (SendoffCliErrorKind  kind,
                        const char          *message)
{
  g_autoptr(JsonBuilder) builder = sendoff_cli_json_event ("error");

  sendoff_cli_json_add_string (builder, "kind", sendoff_cli_error_kind_to_string (kind));
  sendoff_cli_json_add_string (builder, "message", message);
  sendoff_cli_json_emit (builder);
}

/* ---- standard output -------------------------------------------------- */

static gboolean stdout_was_closed;
static int stdout_errno;     /* of the first write that failed */

void
sendoff_cli_flush_stdout (void)
{
  errno = 0;
  if (fflush (stdout) != 0 && stdout_errno == 0)
    stdout_errno = errno != 0 ? errno : EIO;
}

void
sendoff_cli_guard_std_fds (void)
{
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    {
      int null_fd;

      if (fcntl (fd, F_GETFD) != -1 || errno != EBADF)
        continue;
      if (fd == STDOUT_FILENO)
        stdout_was_closed = TRUE;
      null_fd = open ("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);
      if (null_fd >= 0 && null_fd != fd)
        {
          dup2 (null_fd, fd);
          close (null_fd);
        }
    }
}

gboolean
sendoff_cli_stdout_failed (GError **error)
{
  int saved;

  if (stdout_was_closed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("standard output is closed"));
      return TRUE;
    }

  sendoff_cli_flush_stdout ();
  if (stdout_errno == 0 && !ferror (stdout))
    return FALSE;

  saved = stdout_errno != 0 ? stdout_errno : EIO;
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
  return TRUE;
}

/* ---- the progress line ------------------------------------------------ */

typedef enum {
  PROGRESS_NONE,
  PROGRESS_LIVE,    /* a terminal: redrawn in place */
  PROGRESS_PLAIN,   /* TERM=dumb: a line now and then */
} ProgressMode;

struct _SendoffCliProgress {
  ProgressMode mode;
  gboolean     drawn;
  gint64       last_plain;
};

SendoffCliProgress *
sendoff_cli_progress_new (void)
{
  SendoffCliProgress *progress = g_new0 (SendoffCliProgress, 1);
  const char *term = g_getenv ("TERM");

  if (!isatty (STDERR_FILENO))
    progress->mode = PROGRESS_NONE;
  else if (term == NULL || *term == '\0' || g_str_equal (term, "dumb"))
    progress->mode = PROGRESS_PLAIN;
  else
    progress->mode = PROGRESS_LIVE;

  return progress;
}

static gsize
terminal_columns (void)
{
  struct winsize size = { 0 };
  const char *env;
  guint64 columns;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  env = g_getenv ("COLUMNS");
  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 10000, &columns, NULL))
    return (gsize) columns;
  return 80;
}

static char *
format_eta (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("");
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second left", "%d seconds left",
                                         (gulong) seconds), (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute left", "%d minutes left",
                                         (gulong) (seconds / 60)), (int) (seconds / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour left", "%d hours left",
                                       (gulong) (seconds / 3600)), (int) (seconds / 3600));
}

/* The file being sent (the first one moving, else the first one
 * waiting), and how many are finished */
static SendoffItem *
current_item (SendoffTransfer *transfer,
              guint           *n_done)
{
  GListModel *items = sendoff_transfer_get_items (transfer);
  guint n = g_list_model_get_n_items (items);
  SendoffItem *moving = NULL, *waiting = NULL;

  *n_done = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      SendoffState state = sendoff_item_get_state (item);

      if (state == SENDOFF_STATE_DONE)
        (*n_done)++;
      else if (moving == NULL &&
               (state == SENDOFF_STATE_SENDING || state == SENDOFF_STATE_RETRYING))
        moving = item;
      else if (waiting == NULL && state == SENDOFF_STATE_WAITING)
        waiting = item;
    }

  return moving != NULL ? moving : waiting;
}

/* @text cut to @columns, in the middle, with an ellipsis */
static char *
fit_middle (const char *text,
            gsize       columns)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GString) tail = g_string_new (NULL);
  gsize head_width = 0, tail_width = 0, budget;
  const char *p, *q;

  if (sendoff_str_width (text) <= columns)
    return g_strdup (text);
  if (columns == 0)
    return g_strdup ("");

  budget = columns - 1;   /* the ellipsis */
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gsize w = sendoff_unichar_width (g_utf8_get_char (p));

      if (head_width + w > (budget + 1) / 2)
        break;
      g_string_append_unichar (head, g_utf8_get_char (p));
      head_width += w;
    }
  for (q = text + strlen (text); q > p;)
    {
      const char *prev = g_utf8_prev_char (q);
      gsize w = sendoff_unichar_width (g_utf8_get_char (prev));

      if (head_width + tail_width + w > budget)
        break;
      g_string_prepend_unichar (tail, g_utf8_get_char (prev));
      tail_width += w;
      q = prev;
    }

  return g_strdup_printf ("%s…%s", head->str, tail->str);
}

enum { PIECE_PERCENT, PIECE_AMOUNT, PIECE_SPEED, PIECE_ETA, PIECE_FILES, PIECE_NAME, N_PIECES };

/* A name squeezed below this says nothing */
#define MIN_NAME_COLUMNS 8

char *
sendoff_cli_progress_format (SendoffTransfer *transfer,
                             gsize            columns)
{
  /* What goes first when the line is short: the least useful */
  static const guint priority[] = {
    PIECE_PERCENT, PIECE_FILES, PIECE_NAME, PIECE_AMOUNT, PIECE_SPEED, PIECE_ETA
  };
  guint n_items = sendoff_transfer_get_n_items (transfer);
  g_autofree char *sent = g_format_size (sendoff_transfer_get_bytes_sent (transfer));
  g_autofree char *size = g_format_size (sendoff_transfer_get_size (transfer));
  g_autofree char *speed = g_format_size ((guint64) sendoff_transfer_get_speed (transfer));
  char *pieces[N_PIECES] = { NULL, };
  gboolean shown[N_PIECES] = { FALSE, };
  g_autoptr(GString) line = g_string_new (NULL);
  gsize used = 0, name_width = 0;
  SendoffItem *item;
  guint n_done;

  item = current_item (transfer, &n_done);
  pieces[PIECE_PERCENT] = g_strdup_printf ("%3d%%",
                                           (int) (sendoff_transfer_get_fraction (transfer) * 100));
  /* TRANSLATORS: progress line: "1.2 GB of 3.4 GB" */
  pieces[PIECE_AMOUNT] = g_strdup_printf (_("%s of %s"), sent, size);
  /* TRANSLATORS: progress line: speed, "5.1 MB/s" */
  pieces[PIECE_SPEED] = g_strdup_printf (_("%s/s"), speed);
  pieces[PIECE_ETA] = format_eta (sendoff_transfer_get_eta (transfer));
  if (n_items > 1)
    /* TRANSLATORS: progress line: the file being sent, "3 of 12 files" */
    pieces[PIECE_FILES] = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u file",
                                                        "%u of %u files", n_items),
                                           MIN (n_done + 1, n_items), n_items);
  if (item != NULL)
    pieces[PIECE_NAME] = sendoff_str_escape_terminal (sendoff_item_get_name (item));

  for (guint i = 0; i < N_PIECES; i++)
    {
      guint piece = priority[i];
      gsize width;

      if (pieces[piece] == NULL || *pieces[piece] == '\0')
        continue;
      width = sendoff_str_width (pieces[piece]);
      if (piece == PIECE_NAME)
        width = MIN (width, MIN_NAME_COLUMNS);
      if (used + (used ? 2 : 0) + width > columns)
        break;
      used += (used ? 2 : 0) + width;
      shown[piece] = TRUE;
    }

  /* The name takes what is left, up to its whole width */
  if (shown[PIECE_NAME])
    {
      g_autofree char *fitted = NULL;

      name_width = MIN (sendoff_str_width (pieces[PIECE_NAME]),
                        columns - used + MIN (sendoff_str_width (pieces[PIECE_NAME]),
                                              MIN_NAME_COLUMNS));
      fitted = fit_middle (pieces[PIECE_NAME], name_width);
      g_free (pieces[PIECE_NAME]);
      pieces[PIECE_NAME] = g_steal_pointer (&fitted);
    }

  for (guint piece = 0; piece < N_PIECES; piece++)
    if (shown[piece])
      {
        if (line->len > 0)
          g_string_append (line, "  ");
        g_string_append (line, pieces[piece]);
      }
  for (guint piece = 0; piece < N_PIECES; piece++)
    g_free (pieces[piece]);

  return fit_middle (line->str, columns);
}

void
sendoff_cli_progress_update (SendoffCliProgress *progress,
                             SendoffTransfer    *transfer)
{
  g_autofree char *text = NULL;
  gint64 now;

  g_return_if_fail (progress != NULL);

  switch (progress->mode)
    {
    case PROGRESS_NONE:
      return;

    case PROGRESS_LIVE:
      /* One column short of the width: a full line wraps on some terminals */
      text = sendoff_cli_progress_format (transfer, MAX (terminal_columns (), 2) - 1);
      g_printerr ("\r\033[K%s", text);
      progress->drawn = TRUE;
      return;

    case PROGRESS_PLAIN:
      now = g_get_monotonic_time ();
      if (progress->last_plain != 0 && now - progress->last_plain < PLAIN_INTERVAL_US)
        return;
      progress->last_plain = now;
      text = sendoff_cli_progress_format (transfer, MAX (terminal_columns (), 2) - 1);
      g_printerr ("%s\n", text);
      return;

    default:
      g_assert_not_reached ();
    }
}

void
sendoff_cli_progress_clear (SendoffCliProgress *progress)
{
  if (progress != NULL && progress->drawn)
    {
      g_printerr ("\r\033[K");
      progress->drawn = FALSE;
    }
}

void
sendoff_cli_progress_free (SendoffCliProgress *progress)
{
  if (progress == NULL)
    return;
  sendoff_cli_progress_clear (progress);
  g_free (progress);
}
