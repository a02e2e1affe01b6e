/* sandbox-fixture.h — start a sendoff-sandbox for a test and inspect its state
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _SendoffTestSandbox SendoffTestSandbox;

/* Starts sendoff-sandbox --port 0 --api-key test-key --access-token test-token
 * --client-id test-client --data-dir <fresh temp dir> plus extra_args
 * (NULL-terminated, may be NULL); waits for its "listening" line; g_error()s
 * if it cannot. */
SendoffTestSandbox *sendoff_test_sandbox_start            (const char *const  *extra_args);
const char         *sendoff_test_sandbox_get_url          (SendoffTestSandbox *sb);
const char         *sendoff_test_sandbox_get_api_key      (SendoffTestSandbox *sb);
const char         *sendoff_test_sandbox_get_access_token (SendoffTestSandbox *sb);
const char         *sendoff_test_sandbox_get_client_id    (SendoffTestSandbox *sb);
const char         *sendoff_test_sandbox_get_data_dir     (SendoffTestSandbox *sb);
/* GET /_sandbox/state, parsed; caller owns the returned object (json_object_unref) */
JsonObject         *sendoff_test_sandbox_get_state        (SendoffTestSandbox *sb);
/* Stops the process, removes the data dir, frees. */
void                sendoff_test_sandbox_stop             (SendoffTestSandbox *sb);
/* SHA-256 (lowercase hex) of a local file, for comparing with the state's sha256 */
char               *sendoff_test_sha256_file              (const char         *path);

G_END_DECLS
