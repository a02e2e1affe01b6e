/* background-portal-fixture.h — start tests/fake-background-portal and read what it was asked
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SendoffTestPortal SendoffTestPortal;

/* Starts the fake portal on the session bus with @args (see its header)
 * and returns once it owns org.freedesktop.portal.Desktop */
SendoffTestPortal *sendoff_test_portal_start        (const char *const  *args);
/* Stops it and returns once the bus name is free again */
void               sendoff_test_portal_stop         (SendoffTestPortal  *portal);
/* What it was asked: a(sa{sv}b), parent window, options, closed */
GVariant          *sendoff_test_portal_get_requests (SendoffTestPortal  *portal);
/* Answers the questions waiting (--answer=wait): "allow" or "deny" */
void               sendoff_test_portal_answer       (SendoffTestPortal  *portal,
                                                     const char         *how);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendoffTestPortal, sendoff_test_portal_stop)

G_END_DECLS
