/* sendoff-sandbox-reaper.h — closes kept-alive connections their client has left
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SandboxReaper SandboxReaper;

SandboxReaper *sandbox_reaper_new          (SoupServer    *server,
                                            GMainContext  *context);
guint          sandbox_reaper_get_n_reaped (SandboxReaper *self);
void           sandbox_reaper_free         (SandboxReaper *self);

G_END_DECLS
