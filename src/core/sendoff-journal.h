/* sendoff-journal.h — the transfer journal: every send, its files and stored parts, in SQLite
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SendoffJournalState:
 * @SENDOFF_JOURNAL_SENDING: being sent (or the process died while it was)
 * @SENDOFF_JOURNAL_PAUSED: interrupted (Stop, Ctrl+C, quit); the remote state is kept
 * @SENDOFF_JOURNAL_FAILED: gave up; resumable unless the failure was fatal
 * @SENDOFF_JOURNAL_DONE: completed; the link is known
 * @SENDOFF_JOURNAL_DISCARDED: given up for good by the user
 *
 * The state of a journaled transfer or of one of its files.
 */
typedef enum {
  SENDOFF_JOURNAL_SENDING,
  SENDOFF_JOURNAL_PAUSED,
  SENDOFF_JOURNAL_FAILED,
  SENDOFF_JOURNAL_DONE,
  SENDOFF_JOURNAL_DISCARDED,
} SendoffJournalState;

/**
 * SendoffJournalError:
 * @SENDOFF_JOURNAL_ERROR_NOT_FOUND: no transfer (or file) with that id
 * @SENDOFF_JOURNAL_ERROR_TOO_NEW: written by a newer Sendoff; left untouched
 * @SENDOFF_JOURNAL_ERROR_DAMAGED: the database holds values that cannot be right
 * @SENDOFF_JOURNAL_ERROR_DATABASE: SQLite or the file system failed
 * @SENDOFF_JOURNAL_ERROR_BUSY: another process is sending, resuming or
 *   discarding the transfer (it holds its lock)
 */
typedef enum {
  SENDOFF_JOURNAL_ERROR_NOT_FOUND,
  SENDOFF_JOURNAL_ERROR_TOO_NEW,
  SENDOFF_JOURNAL_ERROR_DAMAGED,
  SENDOFF_JOURNAL_ERROR_DATABASE,
  SENDOFF_JOURNAL_ERROR_BUSY,
} SendoffJournalError;

#define SENDOFF_JOURNAL_ERROR (sendoff_journal_error_quark ())
GQuark sendoff_journal_error_quark (void);

/* One part stored by the storage, with what it answered (an ETag). */
typedef struct {
  guint  number;
  gint64 size;
  char  *receipt;
} SendoffJournalPart;

/* One file of a transfer. @path is the absolute path in the file system's
 * encoding (any bytes but NUL); @name is the UTF-8 relative name sent. */
typedef struct {
  guint                index;
  char                *path;
  char                *name;
  gint64               size;
  gint64               mtime;          /* µs since the epoch */
  gint64               ctime;          /* µs since the epoch */
  guint64              device;
  guint64              inode;
  char                *content_type;
  SendoffJournalState  state;
  char                *remote;         /* the provider's own text, opaque */
  gint64               part_size;      /* 0: not planned yet */
  guint                n_parts;
  GPtrArray           *parts;          /* SendoffJournalPart, by number */
} SendoffJournalFile;

typedef struct {
  char                *id;             /* 12 lowercase base32 characters */
  char                *destination_id;
  char                *destination_name;
  char                *backend_id;
  char                *name;
  char                *message;
  SendoffJournalState  state;
  gboolean             resumable;      /* FALSE once remote state is aborted */
  char                *remote;         /* the provider's own text, opaque */
  char                *link;
  gint64               link_expires_at; /* Unix seconds, 0: unknown */
  gint64               bytes_total;
  gint64               bytes_sent;
  gint64               created_at;     /* Unix seconds */
  gint64               started_at;     /* Unix seconds, 0: not yet */
  gint64               ended_at;       /* Unix seconds, 0: not yet */
  char                *error;
  GPtrArray           *files;          /* SendoffJournalFile, by index */
  /* Not stored: when it was read, a process held its lock (this one too) */
  gboolean             locked;
  GPid                 locked_by;      /* that process; 0: cannot be known */
} SendoffJournalTransfer;

SendoffJournalTransfer *sendoff_journal_transfer_new  (void);
void                    sendoff_journal_transfer_free (SendoffJournalTransfer *transfer);
SendoffJournalFile     *sendoff_journal_transfer_add_file (SendoffJournalTransfer *transfer,
                                                           const char             *path,
                                                           const char             *name,
                                                           gint64                  size);
gboolean                sendoff_journal_transfer_is_unfinished (const SendoffJournalTransfer *transfer);
void                    sendoff_journal_file_free     (SendoffJournalFile     *file);
void                    sendoff_journal_part_free     (SendoffJournalPart     *part);
const char             *sendoff_journal_state_to_string (SendoffJournalState   state);

/* One process at a time works on a transfer: the one that sends, resumes
 * or discards it holds its lock from before it changes anything until it
 * stops, and the system lets go of it if the process dies (kill -9, a
 * crash). Locks are files beside the journal, private like it; they hold a
 * pid, never a secret. */
typedef struct _SendoffJournalLock SendoffJournalLock;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffJournalTransfer, sendoff_journal_transfer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffJournalFile, sendoff_journal_file_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffJournalPart, sendoff_journal_part_free)

#define SENDOFF_TYPE_JOURNAL (sendoff_journal_get_type ())
G_DECLARE_FINAL_TYPE (SendoffJournal, sendoff_journal, SENDOFF, JOURNAL, GObject)

SendoffJournal *sendoff_journal_new              (const char              *path,
                                                  GError                 **error);
const char     *sendoff_journal_get_path         (SendoffJournal          *self);

/* Written at once; fills in @transfer's id, created_at and file indexes
 * and returns a copy of the id. */
char           *sendoff_journal_create           (SendoffJournal          *self,
                                                  SendoffJournalTransfer  *transfer,
                                                  GError                 **error);
/* The same, the new transfer locked (@lock) before it is written: no other
 * process ever sees it unlocked. */
char           *sendoff_journal_create_locked    (SendoffJournal          *self,
                                                  SendoffJournalTransfer  *transfer,
                                                  SendoffJournalLock     **lock,
                                                  GError                 **error);

/* %SENDOFF_JOURNAL_ERROR_BUSY when another lock holds @id (another
 * process's, or another one of this process's), naming the process when
 * it can be known; %SENDOFF_JOURNAL_ERROR_NOT_FOUND for what cannot be an
 * id. An id not in the journal can be locked. */
SendoffJournalLock *sendoff_journal_lock         (SendoffJournal          *self,
                                                  const char              *id,
                                                  GError                 **error);
/* Lets go of it, and removes its file */
void            sendoff_journal_lock_free        (SendoffJournalLock      *lock);
const char     *sendoff_journal_lock_get_id      (SendoffJournalLock      *lock);
/* Looks without taking it: %SENDOFF_JOURNAL_ERROR_BUSY, as
 * sendoff_journal_lock() says it, when a lock holds @id */
gboolean        sendoff_journal_check_unlocked   (SendoffJournal          *self,
                                                  const char              *id,
                                                  GError                 **error);
/* Watches the folder of the locks: a process taking or letting go of a
 * transfer (in this process or another) changes it. A holder that dies
 * leaves its file, and the kernel lets go without a sign: what this shows
 * is the common case, not every one. */
GFileMonitor   *sendoff_journal_monitor_locks    (SendoffJournal          *self,
                                                  GError                 **error);

/* PAUSED, DONE, FAILED and DISCARDED are written at once, with everything
 * queued before them; SENDING is queued. The first SENDING stamps
 * started_at, DONE, FAILED and DISCARDED stamp ended_at (now). */
gboolean        sendoff_journal_set_state        (SendoffJournal          *self,
                                                  const char              *id,
                                                  SendoffJournalState      state,
                                                  const char              *error_message,
                                                  GError                 **error);

/* Queued until sendoff_journal_flush(). */
void            sendoff_journal_set_resumable    (SendoffJournal          *self,
                                                  const char              *id,
                                                  gboolean                 resumable);
void            sendoff_journal_set_remote       (SendoffJournal          *self,
                                                  const char              *id,
                                                  const char              *remote);
void            sendoff_journal_set_link         (SendoffJournal          *self,
                                                  const char              *id,
                                                  const char              *link,
                                                  gint64                   expires_at);
void            sendoff_journal_set_bytes_sent   (SendoffJournal          *self,
                                                  const char              *id,
                                                  gint64                   bytes_sent);
void            sendoff_journal_set_ended_at     (SendoffJournal          *self,
                                                  const char              *id,
                                                  gint64                   ended_at);
void            sendoff_journal_set_file_state   (SendoffJournal          *self,
                                                  const char              *id,
                                                  guint                    file_index,
                                                  SendoffJournalState      state);
void            sendoff_journal_set_file_remote  (SendoffJournal          *self,
                                                  const char              *id,
                                                  guint                    file_index,
                                                  const char              *remote);
void            sendoff_journal_set_file_plan    (SendoffJournal          *self,
                                                  const char              *id,
                                                  guint                    file_index,
                                                  gint64                   part_size,
                                                  guint                    n_parts);
/* Call only after storage accepted the part and @receipt is known. */
void            sendoff_journal_part_stored      (SendoffJournal          *self,
                                                  const char              *id,
                                                  guint                    file_index,
                                                  guint                    part_number,
                                                  gint64                   size,
                                                  const char              *receipt);
/* Forgets the file's parts, remote and plan (it restarts alone); with
 * @identity, takes its size, mtime, ctime, device and inode. */
void            sendoff_journal_reset_file       (SendoffJournal          *self,
                                                  const char              *id,
                                                  guint                    file_index,
                                                  const SendoffJournalFile *identity);

/* Writes everything queued in one transaction. */
gboolean        sendoff_journal_flush            (SendoffJournal          *self,
                                                  GError                 **error);

/* Reading flushes first, and looks at the locks. */
SendoffJournalTransfer *sendoff_journal_get      (SendoffJournal          *self,
                                                  const char              *id,
                                                  GError                 **error);
/* Newest first, with their files but not their parts. */
GPtrArray      *sendoff_journal_list             (SendoffJournal          *self,
                                                  gboolean                 unfinished_only,
                                                  GError                 **error);
/* %SENDOFF_JOURNAL_ERROR_BUSY while another process works on it */
gboolean        sendoff_journal_remove           (SendoffJournal          *self,
                                                  const char              *id,
                                                  GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffJournalLock, sendoff_journal_lock_free)

G_END_DECLS
