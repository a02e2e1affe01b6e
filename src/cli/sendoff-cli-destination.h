/* sendoff-cli-destination.h — `sendoff-cli destination`, and choosing one
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sendoff-destination.h"

G_BEGIN_DECLS

int       sendoff_cli_destination        (int                  argc,
                                          char               **argv);

/* Runs the one-time move of old settings into a first destination */
void      sendoff_cli_migrate_settings   (GSettings           *settings);

/* Applies `-o KEY=VALUE` assignments, then --api-url (the same as
 * -o api-url=URL); an empty --api-url is refused, not ignored. */
gboolean  sendoff_cli_apply_options      (SendoffDestination  *destination,
                                          char               **assignments,
                                          const char          *api_url,
                                          GError             **error);

/* --to / --service / -o / --api-url, or the default destination. Every
 * value given is checked; with @complete every required option must have
 * one too (send), without it not (login, logout and status need only
 * what says where the secrets are filed, not a Wunderlist task). */
SendoffDestination *sendoff_cli_choose_destination (GSettings   *settings,
                                                    const char  *to,
                                                    const char  *service,
                                                    char       **assignments,
                                                    const char  *api_url,
                                                    gboolean     complete,
                                                    GError     **error);

/* Where the value of @spec in a destination chosen with -o @assignments
 * and --api-url @api_url came from: "--api-url", "-o", "$SENDOFF_API_URL",
 * "the saved destination", "the default"; NULL when it has no value. */
char     *sendoff_cli_dup_option_source  (SendoffDestination       *destination,
                                          const SendoffOptionSpec  *spec,
                                          char                    **assignments,
                                          const char               *api_url);

/* "Store it with “sendoff-cli login --to Sandbox”, or set SENDOFF_API_KEY." */
char     *sendoff_cli_dup_secret_hint    (SendoffDestination  *destination);

G_END_DECLS
