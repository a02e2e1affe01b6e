/* test-wunderlist-common.h — files, transfers and sandbox checks shared by the Wunderlist tests
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "sandbox-fixture.h"
#include "sendoff-transfer.h"
#include "sendoff-wunderlist.h"

G_BEGIN_DECLS

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

typedef struct {
  char     *dir;
  guint     n;
  char    **names;
  char    **paths;
  guint64  *sizes;
} WlTestFiles;

/* @n files of random bytes of the given sizes in a fresh temporary dir */
WlTestFiles       *wl_test_files_new        (const guint64      *sizes,
                                             guint               n);
void               wl_test_files_free       (WlTestFiles        *files);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlTestFiles, wl_test_files_free)

SendoffTransfer   *wl_test_transfer_new     (WlTestFiles        *files);
SendoffWunderlist *wl_test_provider_new     (SendoffTestSandbox *sb,
                                             guint64             task_id);

gint64             wl_test_request_count    (JsonObject         *state,
                                             const char         *name);
guint              wl_test_n_files          (JsonObject         *state);
/* Every file arrived whole (sha256), with its name, size and content
 * type, and was added to @task_id once. */
void               wl_test_assert_arrived   (JsonObject         *state,
                                             WlTestFiles        *files,
                                             guint64             task_id);
/* What the user should read: the created files by the server's ids */
char              *wl_test_expected_result  (JsonObject         *state,
                                             WlTestFiles        *files,
                                             guint64             task_id);
/* @old_id was never finished nor added; @new_id was */
void               wl_test_assert_abandoned_then_new (JsonObject *state,
                                                      const char *old_id,
                                                      const char *new_id);

G_END_DECLS
