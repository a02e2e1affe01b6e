/* sqlite-rows.c — what an SQL query gives, as text a test can compare and print
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-test"

#include "config.h"

#include "sqlite-rows.h"

static int
append_row (void  *user_data,
            int    n_columns,
            char **values,
            char **columns)
{
  for (int i = 0; i < n_columns; i++)
    g_string_append_printf (user_data, "%s|", values[i] ? values[i] : "NULL");
  g_string_append_c (user_data, '\n');
  return 0;
}

int
sendoff_test_sqlite_rows (sqlite3    *db,
                          const char *sql,
                          GString    *rows)
{
  return sqlite3_exec (db, sql, append_row, rows, NULL);
}
