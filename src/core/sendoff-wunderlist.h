/* sendoff-wunderlist.h — the Wunderlist upload API as a SendoffProvider
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-provider.h"

G_BEGIN_DECLS

#define SENDOFF_TYPE_WUNDERLIST (sendoff_wunderlist_get_type ())

G_DECLARE_FINAL_TYPE (SendoffWunderlist, sendoff_wunderlist, SENDOFF, WUNDERLIST, GObject)

/* Properties: api-url (the option, no default), task-id (guint64: the
 * task the sent files are attached to; must be set before sending),
 * access-token and client-id (the secrets: write-only, stripped of the
 * white space a paste brings, wiped when replaced). They go on every API
 * call and nowhere else. sendoff_wunderlist_new() is a convenience. */
SendoffWunderlist *sendoff_wunderlist_new         (const char        *api_url,
                                                   const char        *access_token,
                                                   const char        *client_id);
const char        *sendoff_wunderlist_get_api_url (SendoffWunderlist *self);
guint64            sendoff_wunderlist_get_task_id (SendoffWunderlist *self);
void               sendoff_wunderlist_set_task_id (SendoffWunderlist *self,
                                                   guint64            task_id);

G_END_DECLS
