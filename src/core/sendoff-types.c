/* sendoff-types.c — the error domain
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-core"

#include "config.h"

#include "sendoff-types.h"

G_DEFINE_QUARK (sendoff-error-quark, sendoff_error)
