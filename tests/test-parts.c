/* test-parts.c — S3's part-planning rule (sendoff_plan_parts)
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sendoff-parts.h"
#include "sendoff-types.h"

#define MIB  G_GUINT64_CONSTANT (1048576)
#define PREF (6 * MIB)

static void
plan (guint64  size,
      guint64 *part_size,
      guint   *n_parts)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sendoff_plan_parts ("f", size, PREF, SENDOFF_S3_MIN_PART_SIZE,
                                     SENDOFF_S3_MAX_PART_SIZE, SENDOFF_S3_MAX_PARTS,
                                     part_size, n_parts, &error));
  g_assert_no_error (error);
  /* whatever the size: the parts cover it, and no part is wasted */
  g_assert_cmpuint ((guint64) *n_parts * *part_size, >=, size);
  g_assert_cmpuint (*n_parts, <=, SENDOFF_S3_MAX_PARTS);
  g_assert_cmpuint (*part_size, >=, SENDOFF_S3_MIN_PART_SIZE);
  if (size > 0)
    g_assert_cmpuint ((guint64) (*n_parts - 1) * *part_size, <, size);
}

static void
test_small (void)
{
  guint64 part_size;
  guint n_parts;

  plan (0, &part_size, &n_parts);
  g_assert_cmpuint (n_parts, ==, 1);
  g_assert_cmpuint (part_size, ==, PREF);

  plan (1, &part_size, &n_parts);
  g_assert_cmpuint (n_parts, ==, 1);
  g_assert_cmpuint (part_size, ==, PREF);
}

static void
test_multiples (void)
{
  guint64 part_size;
  guint n_parts;

  plan (PREF, &part_size, &n_parts);
  g_assert_cmpuint (n_parts, ==, 1);
  plan (PREF + 1, &part_size, &n_parts);
  g_assert_cmpuint (n_parts, ==, 2);
  plan (3 * PREF, &part_size, &n_parts);
  g_assert_cmpuint (n_parts, ==, 3);
  g_assert_cmpuint (part_size, ==, PREF);
}

static void
test_ten_thousand (void)
{
  guint64 part_size;
  guint n_parts;

  /* exactly 10,000 preferred parts: no growth */
  plan (10000 * PREF, &part_size, &n_parts);
  g_assert_cmpuint (part_size, ==, PREF);
  g_assert_cmpuint (n_parts, ==, 10000);

  /* one byte more: parts grow by a whole MiB */
  plan (10000 * PREF + 1, &part_size, &n_parts);
  g_assert_cmpuint (part_size, ==, 7 * MIB);
  g_assert_cmpuint (n_parts, ==, 8572);

  /* the largest file: 10,000 parts of 5 GiB */
  plan (10000 * SENDOFF_S3_MAX_PART_SIZE, &part_size, &n_parts);
  g_assert_cmpuint (part_size, ==, SENDOFF_S3_MAX_PART_SIZE);
  g_assert_cmpuint (n_parts, ==, 10000);
}

static void
test_too_large (void)
{
  const guint64 sizes[] = { 10000 * SENDOFF_S3_MAX_PART_SIZE + 1, G_MAXUINT64,
                            G_MAXUINT64 - MIB };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 part_size = 0;
      guint n_parts = 0;

      g_assert_false (sendoff_plan_parts ("big.iso", sizes[i], PREF, SENDOFF_S3_MIN_PART_SIZE,
                                          SENDOFF_S3_MAX_PART_SIZE, SENDOFF_S3_MAX_PARTS,
                                          &part_size, &n_parts, &error));
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "big.iso"));
      g_assert_cmpuint (n_parts, ==, 0);
    }
}

/* No cap on the part size: huge sizes must not overflow either */
static void
test_huge_unbounded (void)
{
  g_autoptr(GError) error = NULL;
  guint64 part_size;
  guint n_parts;

  g_assert_true (sendoff_plan_parts ("f", G_MAXUINT64, PREF, 1, G_MAXUINT64, 10000,
                                     &part_size, &n_parts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_parts, <=, 10000);
  g_assert_cmpuint (part_size, >=, G_MAXUINT64 / 10000);
  g_assert_cmpuint ((guint64) (n_parts - 1) * part_size, <, G_MAXUINT64);
}

static void
test_minimum_wins (void)
{
  guint64 part_size;
  guint n_parts;

  /* a preferred size under the minimum is raised to it */
  g_assert_true (sendoff_plan_parts ("f", 11 * MIB, MIB, SENDOFF_S3_MIN_PART_SIZE,
                                     SENDOFF_S3_MAX_PART_SIZE, SENDOFF_S3_MAX_PARTS,
                                     &part_size, &n_parts, NULL));
  g_assert_cmpuint (part_size, ==, SENDOFF_S3_MIN_PART_SIZE);
  g_assert_cmpuint (n_parts, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/parts/small", test_small);
  g_test_add_func ("/sendoff/parts/multiples", test_multiples);
  g_test_add_func ("/sendoff/parts/ten-thousand", test_ten_thousand);
  g_test_add_func ("/sendoff/parts/too-large", test_too_large);
  g_test_add_func ("/sendoff/parts/huge-unbounded", test_huge_unbounded);
  g_test_add_func ("/sendoff/parts/minimum-wins", test_minimum_wins);

  return g_test_run ();
}
