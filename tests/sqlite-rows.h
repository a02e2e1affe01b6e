/* sqlite-rows.h — what an SQL query gives, as text a test can compare and print
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Runs @sql (one statement or more) on @db and appends each row it gives to
 * @rows: every value followed by "|" (NULL as "NULL"), then "\n". Returns
 * what sqlite3_exec() returns. */
int sendoff_test_sqlite_rows (sqlite3    *db,
                              const char *sql,
                              GString    *rows);

G_END_DECLS
