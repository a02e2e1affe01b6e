/* sendoff-destination.h — a named, saved backend configuration
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sendoff-backend.h"
#include "sendoff-uploader.h"

G_BEGIN_DECLS

/* What SENDOFF_API_URL and --api-url alone always meant, from before
 * destinations existed: a server speaking the WeTransfer API v1. */
#define SENDOFF_LEGACY_BACKEND "wetransfer-v1"

#define SENDOFF_TYPE_DESTINATION (sendoff_destination_get_type ())

G_DECLARE_FINAL_TYPE (SendoffDestination, sendoff_destination, SENDOFF, DESTINATION, GObject)

/* A destination not saved yet (or never: `sendoff-cli send --service`).
 * Its id is made up here; it names its settings path and keyring items. */
SendoffDestination       *sendoff_destination_new            (const SendoffBackendInfo *backend,
                                                              const char               *name);
const char               *sendoff_destination_get_id         (SendoffDestination       *self);
const char               *sendoff_destination_get_name       (SendoffDestination       *self);
void                      sendoff_destination_set_name       (SendoffDestination       *self,
                                                              const char               *name);
const SendoffBackendInfo *sendoff_destination_get_backend    (SendoffDestination       *self);
gboolean                  sendoff_destination_is_saved       (SendoffDestination       *self);

/* The value set for @key, else the declared default, else NULL. */
const char               *sendoff_destination_get_option     (SendoffDestination       *self,
                                                              const char               *key);
/* Checks @key exists and @value fits its declaration (exit 2 material:
 * the message names the option). NULL or "" clears the value. */
gboolean                  sendoff_destination_set_option     (SendoffDestination       *self,
                                                              const char               *key,
                                                              const char               *value,
                                                              GError                  **error);
/* "KEY=VALUE", as `-o` takes it */
gboolean                  sendoff_destination_parse_option   (SendoffDestination       *self,
                                                              const char               *assignment,
                                                              GError                  **error);
/* Every option has a usable value (required ones set, all valid). */
gboolean                  sendoff_destination_check_options  (SendoffDestination       *self,
                                                              GError                  **error);
/* Options whose declaration names an environment variable take its value
 * when it is set and not empty (SENDOFF_API_URL). Not saved. */
gboolean                  sendoff_destination_apply_environment (SendoffDestination    *self,
                                                              GError                  **error);

/* Where its secrets are filed in the keyring: a saved destination by its
 * id; one that is not saved by its backend and first URL option. */
void                      sendoff_destination_get_secret_scope (SendoffDestination     *self,
                                                              const char              **service,
                                                              const char              **api_url,
                                                              const char              **destination_id);

/* A provider configured from the options and @secrets (key → value).
 * SENDOFF_ERROR_NO_CREDENTIALS names a missing secret. */
SendoffProvider          *sendoff_destination_create_provider (SendoffDestination     *self,
                                                              GHashTable              *secrets,
                                                              GError                 **error);

/* The one way from a destination to a ready uploader, for the window and
 * the command line alike: looks up the secrets (environment first when
 * @use_env, then the keyring), creates the provider and its uploader. */
void                      sendoff_destination_new_uploader_async  (SendoffDestination  *self,
                                                                   gboolean             use_env,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
SendoffUploader          *sendoff_destination_new_uploader_finish (SendoffDestination  *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);
/* The same with @secrets found elsewhere (key → value; the command
 * line's --secret-fd, or a lookup it made to keep them out of its log) */
SendoffUploader          *sendoff_destination_new_uploader        (SendoffDestination  *self,
                                                                   GHashTable          *secrets,
                                                                   GError             **error);

/* ---- saved destinations (GSettings) ---------------------------------- */

/* The app's settings when the schema is installed (or found through
 * GSETTINGS_SCHEMA_DIR), else NULL: the CLI then has no saved destinations. */
GSettings                *sendoff_settings_new_if_available  (void);

/* Saved destinations in the order they were added (GPtrArray of
 * SendoffDestination); an empty array without settings. */
GPtrArray                *sendoff_destination_list_saved     (GSettings                *settings);
/* By name (case-sensitive) or id; NULL when there is none. */
SendoffDestination       *sendoff_destination_find           (GSettings                *settings,
                                                              const char               *name_or_id);
SendoffDestination       *sendoff_destination_get_default    (GSettings                *settings);
void                      sendoff_destination_set_default    (GSettings                *settings,
                                                              SendoffDestination       *self);
/* Adds or updates it; the first one saved becomes the default. A name
 * another destination has is SENDOFF_ERROR_INVALID_INPUT. */
gboolean                  sendoff_destination_save           (SendoffDestination       *self,
                                                              GSettings                *settings,
                                                              GError                  **error);
/* Forgets its settings (not its keyring items: see sendoff-credentials.h) */
void                      sendoff_destination_forget         (SendoffDestination       *self,
                                                              GSettings                *settings);

/* Which destination to send to: the one named @to, else a new unsaved one
 * of backend @service_id (or of $SENDOFF_SERVICE), else the default; with nothing saved and
 * SENDOFF_API_URL set, an unsaved WeTransfer v1 destination at that URL
 * (what that variable always meant). Environment overrides are applied.
 * SENDOFF_ERROR_INVALID_INPUT when nothing fits, with a sentence that
 * says what to do. */
SendoffDestination       *sendoff_destination_choose         (GSettings                *settings,
                                                              const char               *to,
                                                              const char               *service_id,
                                                              GError                  **error);

/* Moves the settings of before destinations existed (service, api-url,
 * task) into a first destination, with its stored secrets. Runs once. */
void                      sendoff_destination_migrate_async  (GSettings                *settings,
                                                              GCancellable             *cancellable,
                                                              GAsyncReadyCallback       callback,
                                                              gpointer                  user_data);
gboolean                  sendoff_destination_migrate_finish (GAsyncResult             *result,
                                                              GError                  **error);

G_END_DECLS
