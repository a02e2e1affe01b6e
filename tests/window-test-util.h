/* window-test-util.h — what the window tests share: a notification server, the main loop, windows, files
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests that run the real window under tests/run-headless (a private
 * session bus, Xvfb). Each test keeps its own timeouts: they are arguments.
 */

#pragma once

#include <adwaita.h>

#include "sendoff-application.h"
#include "sendoff-journal.h"
#include "sendoff-window.h"

G_BEGIN_DECLS

/* What a Notify answers */
typedef enum {
  SENDOFF_TEST_NOTIFY_IDS_COUNT,     /* the number of notifications so far */
  SENDOFF_TEST_NOTIFY_IDS_REPLACES,  /* as a real server: the id it replaces, if any */
} SendoffTestNotifyIds;

typedef gboolean (*SendoffTestCondition) (gpointer data);

/* A data folder (where the journal lives) of this test program's own,
 * inside the run's (tests/run-headless removes it): the window tests run
 * side by side under one run-headless, and would see each other's
 * unfinished transfers. First thing in main(), before GLib reads
 * XDG_DATA_HOME; the sendoff-cli processes a test starts share it. */
void                 sendoff_test_use_own_data_home   (void);

/* Owns org.freedesktop.Notifications on the session bus; each Notify is
 * recorded as "summary\nbody\naction labels…" in the returned array (the
 * test's for the whole run; it may empty it) */
GPtrArray           *sendoff_test_notifications_start (SendoffTestNotifyIds  ids);

/* Iterates the default main context for @ms milliseconds */
void                 sendoff_test_spin                (guint                 ms);
/* Iterates it until @condition (@data) holds; g_error()s after @seconds */
void                 sendoff_test_wait_until          (SendoffTestCondition  condition,
                                                       gpointer              data,
                                                       guint                 seconds,
                                                       const char           *what);

/* A new window of @app, presented, 50 ms later; a reference the test owns */
SendoffWindow       *sendoff_test_window_open         (SendoffApplication   *app);
/* Destroys *@window without asking and drops the reference; NULL is nothing */
void                 sendoff_test_window_close        (SendoffWindow       **window);
/* The message dialog shown, if any */
AdwMessageDialog    *sendoff_test_visible_dialog      (void);
/* Answers the dialog shown with @response (which it must offer), as the
 * user would, and closes it; FALSE when none is shown */
gboolean             sendoff_test_answer_dialog       (const char           *response);

SendoffJournalState  sendoff_test_journal_state       (SendoffJournal       *journal,
                                                       const char           *id);

/* @dir/@name, its folders made: @size bytes, byte i is @seed + i × @step */
char                *sendoff_test_write_file          (const char           *dir,
                                                       const char           *name,
                                                       gsize                 size,
                                                       guint                 seed,
                                                       guint                 step);
/* rm -rf @dir */
void                 sendoff_test_remove_tree         (const char           *dir);

G_END_DECLS
