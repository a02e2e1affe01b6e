/* sendoff-uploader-private.h — the engine's parts, shared by its files and its tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdatomic.h>

#include "sendoff-file-identity.h"
#include "sendoff-journal.h"
#include "sendoff-provider.h"
#include "sendoff-uploader.h"

G_BEGIN_DECLS

/* One part of one item on its way to the server. Owned by one place at a
 * time: the pending queue, a part-target request, a worker, or a delay. */
typedef struct {
  gpointer            op;           /* the send it belongs to (engine-private) */
  SendoffItem        *item;
  char               *path;
  guint               number;       /* 1-based */
  guint64             offset;
  guint64             length;
  guint64             item_size;    /* what the file must still be */
  gint64              item_mtime;   /* usec */
  SendoffPartTarget  *target;
  guint               attempt;      /* failed PUTs so far */
  gboolean            in_order;     /* the item's parts go one at a time */

  /* written by the worker, read by the progress timer: the bytes of
   * this attempt libsoup took from the file to send */
  _Atomic guint64     written;
  guint               restarts;     /* libsoup re-sent the request itself */

  /* the worker's verdict */
  GError             *error;
  gboolean            expired;      /* target too old to use: not sent */
  /* the storage's answer: status, a copy of its headers, and (when it
   * refused the part) its body; error is then set and storage_refused */
  guint               status;
  SoupMessageHeaders *response_headers;
  GBytes             *answer;
  gboolean            storage_refused;
  gboolean            force_retry;  /* the provider rejected the receipt */
  gpointer            worker;       /* the worker waiting for it to be recorded */
} SendoffPart;

void      _sendoff_part_free            (SendoffPart  *part);

typedef enum {
  STEP_AUTHORIZE,
  STEP_RECONCILE,
  STEP_BEGIN,
  STEP_REGISTER,
  STEP_TARGET,
  STEP_FINISH_ITEM,
  STEP_FINISH_TRANSFER,
} StepKind;

/* One send of one transfer: shared by the engine's files, owned by the
 * GTask of sendoff_uploader_send_async() and by the workers. */
typedef struct _SendOp SendOp;

struct _SendOp
{
  gint             ref_count;        /* atomic */

  SendoffUploader *uploader;
  SendoffProvider *provider;
  SendoffTransfer *transfer;
  GTask           *task;
  GMainContext    *context;
  GCancellable    *cancellable;      /* ours: cancelled on stop */
  GCancellable    *user_cancellable;
  gulong           user_cancelled_id;

  guint            jobs;
  guint            max_retries;
  guint            base_delay_ms;

  gboolean         stopping;
  gboolean         succeeded;
  GError          *error;            /* the first fatal error */
  SendoffItem     *failed_item;

  guint            outstanding;      /* provider calls + parts held by workers */
  GQueue           pending;          /* SendoffPart waiting for a target */
  guint            fetching;         /* part targets being asked for */
  GAsyncQueue     *ready;            /* SendoffPart with a target, for the workers */
  GPtrArray       *active;           /* SendoffPart held by workers, for progress */
  GPtrArray       *timers;           /* GSource of backoff delays */
  GPtrArray       *threads;
  GPtrArray       *workers;          /* their states; freed with the send */

  guint            auth_generation;
  guint            reauth_streak;    /* re-authorizations since a call last worked */
  gboolean         authorizing;
  GPtrArray       *auth_waiters;     /* Step waiting for a fresh token */

  guint            items_left;       /* items not completed yet */
  GSource         *progress_source;

  GHashTable      *in_order_busy;    /* item → the one part of it under way */
  gboolean         aborting;         /* the abort hook runs before the task returns */
  GCancellable    *abort_cancellable;
  gboolean         remote_gone;      /* aborted, or forgotten by the server */

  /* the journal (sendoff-uploader-journal.c); NULL: not journaled */
  SendoffJournal  *journal;
  char            *journal_id;
  GHashTable      *journal_index;    /* item → its file index + 1 */
  gboolean         resumed;          /* the send continues a remote state */
  gboolean         reconciled;       /* the provider compared it with the server's */
};

/* One call of the provider, retried as one */
typedef struct {
  SendOp      *op;
  StepKind     kind;
  SendoffItem *item;
  SendoffPart *part;
  GPtrArray   *items;
  guint        attempt;
  guint        auth_generation;
  gboolean     reauthorizing;        /* an AUTHORIZE step run after a 401 */
} Step;

/* sendoff-uploader.c: the object and the send's life */
SendOp   *_sendoff_op_ref               (SendOp       *op);
void      _sendoff_op_unref             (SendOp       *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendOp, _sendoff_op_unref)
void      _sendoff_op_fail              (SendOp       *op,
                                         GError       *error,
                                         SendoffItem  *item);
void      _sendoff_op_stop              (SendOp       *op);
void      _sendoff_op_maybe_complete    (SendOp       *op);
/* emits SendoffUploader::retry; @attempt: failed attempts so far */
void      _sendoff_op_emit_retry        (SendOp       *op,
                                         SendoffItem  *item,
                                         guint         part_number,
                                         guint         attempt,
                                         guint         delay_ms,
                                         const char   *reason);

/* sendoff-uploader-journal.c: what the journal learns, and when. Each
 * does nothing for a send without a journal. The start takes the
 * transfer's lock (a new one is recorded locked); FALSE when another
 * process works on it, or its lock cannot be had: nothing is sent. The
 * end lets go of it. */
gboolean  _sendoff_op_journal_start     (SendOp       *op,
                                         SendoffJournal *journal,
                                         const char   *const *destination,
                                         GError      **error);
void      _sendoff_op_journal_begun     (SendOp       *op);
void      _sendoff_op_journal_registered (SendOp      *op,
                                         GPtrArray    *items);
void      _sendoff_op_journal_part      (SendOp       *op,
                                         SendoffPart  *part);
void      _sendoff_op_journal_tick      (SendOp       *op);
void      _sendoff_op_journal_flush     (SendOp       *op);
void      _sendoff_op_journal_item_done (SendOp       *op,
                                         SendoffItem  *item);
void      _sendoff_op_journal_end       (SendOp       *op);
/* The journal's "remote" text of a transfer or file: the engine's remote
 * id and the provider's saved state together. */
char     *_sendoff_journal_remote_wrap  (const char   *remote_id,
                                         const char   *state);
gboolean  _sendoff_journal_remote_unwrap (const char  *text,
                                         char        **remote_id,
                                         char        **state,
                                         GError      **error);
/* the transfer was discarded (not being sent) */
/* The lock a discard needs: the transfer's own, else taken now */
gboolean  _sendoff_journal_lock_for_discard (SendoffJournal  *journal,
                                             SendoffTransfer *transfer,
                                             GError         **error);
void      _sendoff_journal_discarded    (SendoffJournal  *journal,
                                         SendoffTransfer *transfer);
/* turns a resumed send's "404" into SENDOFF_ERROR_FORGOTTEN; takes @error */
GError   *_sendoff_op_journal_forgotten (SendOp       *op,
                                         StepKind      kind,
                                         GError       *error);

/* sendoff-uploader-steps.c: provider steps, retries, the flow */
Step     *_sendoff_step_new             (SendOp       *op,
                                         StepKind      kind);
void      _sendoff_step_free            (Step         *step);
void      _sendoff_step_run             (Step         *step);
void      _sendoff_op_finish_item       (SendOp       *op,
                                         SendoffItem  *item);
void      _sendoff_op_schedule          (SendOp       *op,
                                         guint         delay_ms,
                                         GSourceFunc   func,
                                         gpointer      data,
                                         GDestroyNotify destroy);
void      _sendoff_source_destroy_and_unref (gpointer  source);

/* sendoff-uploader-parts.c: the part queue, workers, progress */
void      _sendoff_op_start_parts       (SendOp       *op);
void      _sendoff_op_pump              (SendOp       *op);
void      _sendoff_op_part_ready        (SendOp       *op,
                                         SendoffPart  *part);
void      _sendoff_op_start_workers     (SendOp       *op);
void      _sendoff_op_join_workers      (SendOp       *op);
void      _sendoff_worker_free          (gpointer      worker);
void      _sendoff_op_fold_progress     (SendOp       *op);


/* Sends @part synchronously with @session (a worker thread's own), with
 * the target's method. Sets part->error, or part->expired; on success
 * every byte of the part was written and the server said 2xx. The
 * answer's status and headers are kept in the part either way. */
void      _sendoff_put_part             (SoupSession  *session,
                                         SendoffPart  *part,
                                         GCancellable *cancellable);

/* FALSE with SENDOFF_ERROR_CHANGED (naming @name) when @path is gone, not a
 * regular file, or not the file @identity describes any more (another
 * device or inode, as after a swap by rename; another size, mtime or
 * ctime). */
gboolean  _sendoff_file_check_unchanged (const char   *path,
                                         const char   *name,
                                         const SendoffFileIdentity *identity,
                                         GError      **error);

/* Full-jitter exponential backoff for failed attempt @attempt (1-based),
 * at least @retry_after_s seconds when the server asked for it (>= 0). */
guint     _sendoff_backoff_delay_ms     (guint         attempt,
                                         guint         base_ms,
                                         gint64        retry_after_s);

G_END_DECLS
