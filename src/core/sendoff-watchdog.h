/* sendoff-watchdog.h — fails a request whose server moves almost nothing
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* libsoup's I/O timeout restarts with every byte, so a server that drips
 * one byte a second holds a request for ever. A watchdog fails a request
 * that moved fewer than SENDOFF_STALL_MIN_BYTES (either direction) in one
 * window (default SENDOFF_STALL_DEFAULT_SECONDS; SENDOFF_STALL_TIMEOUT in
 * the environment, in seconds, overrides the default). Such a failure is
 * a network error worth another attempt, unless the whole send has made
 * no progress for SENDOFF_STALL_SEND_WINDOWS windows: then it is final. */
#define SENDOFF_STALL_DEFAULT_SECONDS 30
#define SENDOFF_STALL_MIN_BYTES       1024
#define SENDOFF_STALL_SEND_WINDOWS    4

typedef struct _SendoffWatchdog SendoffWatchdog;

/* The window in milliseconds when nothing else is set: the environment's
 * SENDOFF_STALL_TIMEOUT, else the default. */
guint             _sendoff_stall_default_window_ms (void);

/* Sets the window (@window_ms, 0 for the default) of every request made
 * with @send_cancellable or a watchdog chained to it, and starts the
 * clock of the send's progress. */
void              _sendoff_stall_attach            (GCancellable    *send_cancellable,
                                                    guint            window_ms);

/* Starts watching one request. Its cancellable (for the request's I/O)
 * is cancelled with @parent, or when the request stalls. @context: where
 * to cancel an asynchronous request (its own context, since libsoup's
 * asynchronous I/O is not to be cancelled from another thread); NULL
 * cancels at once from the watchdog's thread, for blocking requests. */
SendoffWatchdog  *_sendoff_watchdog_new            (GCancellable    *parent,
                                                    GMainContext    *context);
/* Replaces the window of this request (milliseconds, > 0) */
void              _sendoff_watchdog_set_window     (SendoffWatchdog *self,
                                                    guint            window_ms);
GCancellable     *_sendoff_watchdog_get_cancellable (SendoffWatchdog *self);
/* Counts bytes moved (any thread) */
void              _sendoff_watchdog_add_bytes      (SendoffWatchdog *self,
                                                    gsize            n_bytes);
/* Counts what @msg writes and its status line and headers arriving */
void              _sendoff_watchdog_watch_message  (SendoffWatchdog *self,
                                                    SoupMessage     *msg);
/* Counts only the status line and headers of @msg arriving: the caller
 * counts the body it hands over (_sendoff_watchdog_add_bytes) */
void              _sendoff_watchdog_watch_answer   (SendoffWatchdog *self,
                                                    SoupMessage     *msg);
/* Ends the watch. Returns @error (owned), or in its place the stall error
 * when the watchdog fired and the parent was not cancelled. A request
 * that ended without error counts as progress of the send. */
GError           *_sendoff_watchdog_finish         (SendoffWatchdog *self,
                                                    GError          *error);

G_END_DECLS
