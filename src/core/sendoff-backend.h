/* sendoff-backend.h — what a backend declares, and the table of backends
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SendoffOptionType:
 * @SENDOFF_OPTION_STRING: free text
 * @SENDOFF_OPTION_URL: an https URL, or http on loopback
 * @SENDOFF_OPTION_UINT: an unsigned number between @min and @max
 * @SENDOFF_OPTION_BOOLEAN: "true" or "false"
 * @SENDOFF_OPTION_CHOICE: one of @choices
 *
 * The type of a backend option. Values travel as strings (settings,
 * `-o KEY=VALUE`) and are checked against the declaration.
 */
typedef enum {
  SENDOFF_OPTION_STRING,
  SENDOFF_OPTION_URL,
  SENDOFF_OPTION_UINT,
  SENDOFF_OPTION_BOOLEAN,
  SENDOFF_OPTION_CHOICE,
} SendoffOptionType;

/**
 * SendoffOptionSpec:
 * @key: the option's key, also the name of the provider's property it sets
 *   ("api-url", "bucket")
 * @type: how the value is checked
 * @label: N_() label for Preferences and setup ("Bucket")
 * @description: N_() one sentence under the field, or %NULL
 * @default_value: the value when none is given, or %NULL (then the option
 *   is required unless @optional)
 * @optional: no value is fine (the provider has a sensible behaviour)
 * @choices: for %SENDOFF_OPTION_CHOICE, %NULL-terminated values
 * @choice_labels: N_() labels of @choices, same order
 * @min: for %SENDOFF_OPTION_UINT, the smallest value
 * @max: for %SENDOFF_OPTION_UINT, the largest value
 * @env: an environment variable that overrides the value, or %NULL
 * @placeholder: an example value shown in an empty field, or %NULL
 *
 * One option a backend needs, declared in its provider class.
 */
typedef struct {
  const char        *key;
  SendoffOptionType  type;
  const char        *label;
  const char        *description;
  const char        *default_value;
  gboolean           optional;
  const char *const *choices;
  const char *const *choice_labels;
  guint64            min;
  guint64            max;
  const char        *env;
  const char        *placeholder;
} SendoffOptionSpec;

/**
 * SendoffSecretSpec:
 * @key: the secret's key: the keyring's "kind" attribute and the name of
 *   the provider's property it sets ("api-key", "secret-access-key")
 * @label: N_() label ("API Key")
 * @env: environment variable the command line reads it from, or %NULL
 *
 * One secret a backend needs. Secrets live only in the keyring, the
 * environment or a file descriptor given to the command line.
 */
typedef struct {
  const char *key;
  const char *label;
  const char *env;
} SendoffSecretSpec;

/**
 * SendoffPresetSpec:
 * @id: stable id ("aws", "r2")
 * @label: N_() name of the provider ("Cloudflare R2")
 * @description: N_() one sentence: where to find the values to fill in
 * @assignments: %NULL-terminated "KEY=VALUE" option values the preset
 *   fills in; a value may hold a part in capitals for the user to replace
 *   ("https://ACCOUNT_ID.r2.cloudflarestorage.com")
 *
 * A ready set of option values for a well-known service speaking the
 * same protocol, offered by first-run setup.
 */
typedef struct {
  const char        *id;
  const char        *label;
  const char        *description;
  const char *const *assignments;
} SendoffPresetSpec;

/**
 * SendoffBackendInfo:
 * @id: stable id ("wetransfer-v1", "s3")
 * @display_name: N_() name shown to people
 * @description: N_() one sentence for the setup page
 * @icon_name: a symbolic icon name
 * @options: the options, ended by an entry with a %NULL key
 * @secrets: the secrets, ended by an entry with a %NULL key
 * @presets: presets for first-run setup, ended by an entry with a %NULL
 *   id; %NULL for none
 *
 * What a backend declares about itself. Each provider class points its
 * #SendoffProviderInterface.info at one of these; Preferences, first-run
 * setup and the command line are built from it.
 */
typedef struct _SendoffBackendInfo {
  const char              *id;
  const char              *display_name;
  const char              *description;
  const char              *icon_name;
  const SendoffOptionSpec *options;
  const SendoffSecretSpec *secrets;
  const SendoffPresetSpec *presets;
} SendoffBackendInfo;

/* NULL-terminated, in the order of the backend table */
const SendoffBackendInfo *const *sendoff_backend_list          (void);
const SendoffBackendInfo        *sendoff_backend_lookup        (const char               *id);
GType                            sendoff_backend_get_provider_type (const SendoffBackendInfo *info);

const SendoffOptionSpec         *sendoff_backend_find_option   (const SendoffBackendInfo *info,
                                                                const char               *key);
guint                            sendoff_backend_count_secrets (const SendoffBackendInfo *info);

/* Checks @value against @spec. SENDOFF_ERROR_INVALID_INPUT naming the
 * option (by its label and key) when it does not fit. */
gboolean                         sendoff_option_check          (const SendoffOptionSpec  *spec,
                                                                const char               *value,
                                                                GError                  **error);

G_END_DECLS
