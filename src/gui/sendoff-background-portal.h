/* sendoff-background-portal.h — asking the Background portal to run on without a window
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  SENDOFF_BACKGROUND_ALLOWED,
  SENDOFF_BACKGROUND_DENIED,
  /* No portal answered (none running, or one without the Background
   * interface): nobody is there to allow or to stop a background run */
  SENDOFF_BACKGROUND_UNAVAILABLE,
} SendoffBackgroundAnswer;

/* TRUE inside Flatpak, where the portal decides whether an application
 * without a window may go on running (SENDOFF_TEST_SANDBOXED overrides) */
gboolean                sendoff_background_portal_is_sandboxed (void);
/* Asks for permission to run in the background (never at login).
 * @parent_window is a portal window identifier ("x11:1a00003") or "";
 * @reason is a sentence the user reads in the portal's question. Fails
 * only when @cancellable is cancelled; a missing portal is an answer. */
void                    sendoff_background_portal_request_async  (GDBusConnection     *connection,
                                                                  const char          *parent_window,
                                                                  const char          *reason,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
SendoffBackgroundAnswer sendoff_background_portal_request_finish (GAsyncResult        *result,
                                                                  GError             **error);

G_END_DECLS
