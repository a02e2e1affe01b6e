/* test-soak.c — files of 0 B to 20 MiB through sendoff-cli while
 * sendoff-sandbox fails PUTs, resets connections, refuses part URLs and
 * lets URLs and tokens expire; two seeds. (tests/soak/run is the long one.)
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cli-runner.h"
#include "sandbox-fixture.h"

#define MIB6 G_GUINT64_CONSTANT (6291456)

static const guint64 sizes[] = {
  0, 1, 100 * 1024, MIB6 - 1, MIB6, MIB6 + 1, 20 * 1024 * 1024 + 3,
  1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20,
};

typedef struct {
  char  *name;
  char  *path;
  char  *sha256;
  guint  n_parts;
  gint64 retries;
  gboolean done;
} SoakFile;

typedef struct {
  guint64 put_500, put_reset, api_503, keepalive_dropped;
  guint64 drip, stall, stored_again;  /* answers dripped, withheld; parts stored twice */
  guint64 storage_puts, client_errors;
  gint64  retries;
  guint   parts;
} SoakCounts;

static char *
make_file (const char *dir,
           const char *name,
           guint64     size,
           guint32     seed)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint32 *block = g_new (guint32, 16384);
  FILE *f = fopen (path, "wb");

  g_assert_nonnull (f);
  while (size > 0)
    {
      gsize n = MIN (size, 16384 * sizeof (guint32));

      for (guint i = 0; i < 16384; i++)
        block[i] = g_rand_int (rand);
      g_assert_cmpuint (fwrite (block, 1, n, f), ==, n);
      size -= n;
    }
  g_assert_cmpint (fclose (f), ==, 0);
  return path;
}

static gint64
member_int (JsonObject *object,
            const char *group,
            const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (object, group), name);
}

/* Reads sendoff-cli's --json events: every file done, with its retries */
static void
read_events (const char *out,
             SoakFile   *files,
             guint       n_files,
             gboolean   *done)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  *done = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *event;
      const char *kind;

      if (*lines[i] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      event = json_node_get_object (json_parser_get_root (parser));
      kind = json_object_get_string_member (event, "event");
      if (g_str_equal (kind, "done"))
        *done = TRUE;
      if (!g_str_equal (kind, "item-done"))
        continue;
      for (guint j = 0; j < n_files; j++)
        if (g_str_equal (files[j].name, json_object_get_string_member (event, "name")))
          {
            g_assert_false (files[j].done);
            files[j].done = TRUE;
            files[j].retries = json_object_get_int_member (event, "retries");
          }
    }
}

static void
run_soak (guint32     seed,
          SoakCounts *counts)
{
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  const char *args[] = {
    "--fail-put-rate", "0.1", "--reset-put-rate", "0.05", "--fail-api-rate", "0.1",
    "--url-ttl", "1", "--token-ttl-requests", "10", "--latency-ms", "30",
    "--drip", "16", "--drip-api-rate", "0.05", "--drip-put-rate", "0.05",
    "--stall-api-rate", "0.05", "--stall-put-rate", "0.05",
    "--seed", seed_text, NULL
  };
  SendoffTestSandbox *sb = sendoff_test_sandbox_start (args);
  g_autofree char *dir = g_dir_make_tmp ("sendoff-soak-XXXXXX", NULL);
  g_autoptr(SendoffTestCli) cli = sendoff_test_cli_new ();
  g_auto(SendoffTestCliRun) run = { 0 };
  g_autoptr(GPtrArray) cli_args = g_ptr_array_new ();
  g_autoptr(JsonObject) state = NULL;
  SoakFile files[G_N_ELEMENTS (sizes)] = { { 0 } };
  JsonArray *transfers, *items;
  gboolean done;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      files[i].name = g_strdup_printf ("soak-%u-%" G_GUINT64_FORMAT ".bin", i, sizes[i]);
      files[i].path = make_file (dir, files[i].name, sizes[i], seed * 100 + i);
      files[i].sha256 = sendoff_test_sha256_file (files[i].path);
      files[i].n_parts = sizes[i] == 0 ? 1 : (guint) ((sizes[i] + MIB6 - 1) / MIB6);
    }

  sendoff_test_cli_set_api_key (cli, sendoff_test_sandbox_get_api_key (sb));
  sendoff_test_cli_setenv (cli, "SENDOFF_RETRY_BASE_MS", "20");
  /* dripped and unanswered requests fail after 2 s, not 30 */
  sendoff_test_cli_setenv (cli, "SENDOFF_STALL_TIMEOUT", "2");
  sendoff_test_cli_setenv (cli, "GSETTINGS_BACKEND", "memory");
  g_ptr_array_add (cli_args, (gpointer) "send");
  g_ptr_array_add (cli_args, (gpointer) "--json");
  g_ptr_array_add (cli_args, (gpointer) "--jobs=3");
  g_ptr_array_add (cli_args, (gpointer) "--service=wetransfer-v1");
  g_ptr_array_add (cli_args, (gpointer) "--api-url");
  g_ptr_array_add (cli_args, (gpointer) sendoff_test_sandbox_get_url (sb));
  g_ptr_array_add (cli_args, (gpointer) "--name=soak");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_ptr_array_add (cli_args, files[i].path);
  g_ptr_array_add (cli_args, NULL);

  g_test_message ("seed %u", seed);
  sendoff_test_cli_run (cli, &run, (const char *const *) cli_args->pdata);
  sendoff_test_cli_assert_status (&run, 0);

  read_events (run.out, files, G_N_ELEMENTS (files), &done);
  g_assert_true (done);

  state = sendoff_test_sandbox_get_state (sb);
  g_assert_cmpint (json_object_get_int_member (state, "storage_requests_with_secret"), ==, 0);
  transfers = json_object_get_array_member (state, "transfers");
  g_assert_cmpuint (json_array_get_length (transfers), ==, 1);
  items = json_object_get_array_member (json_array_get_object_element (transfers, 0), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, G_N_ELEMENTS (files));

  memset (counts, 0, sizeof *counts);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *name = json_object_get_string_member (item, "filename");
      JsonArray *parts = json_object_get_array_member (item, "parts");
      SoakFile *file = NULL;

      for (guint j = 0; j < G_N_ELEMENTS (files); j++)
        if (g_str_equal (files[j].name, name))
          file = &files[j];
      g_assert_nonnull (file);
      g_assert_true (file->done);

      /* every byte arrived, in order */
      g_assert_true (json_object_get_boolean_member (item, "completed"));
      g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, file->sha256);

      /* each part stored exactly once: a retry never re-sends a part
       * that was already stored */
      g_assert_cmpuint (json_array_get_length (parts), ==, file->n_parts);
      for (guint k = 0; k < json_array_get_length (parts); k++)
        {
          gint64 puts = json_object_get_int_member (json_array_get_object_element (parts, k),
                                                    "puts");

          g_assert_cmpint (puts, >=, 1);
          counts->stored_again += (guint64) (puts - 1);
        }
      counts->parts += file->n_parts;
      counts->retries += file->retries;
    }

  counts->put_500 = member_int (state, "faults", "put_500");
  counts->put_reset = member_int (state, "faults", "put_reset");
  counts->api_503 = member_int (state, "faults", "api_503");
  counts->keepalive_dropped = member_int (state, "faults", "keepalive_dropped");
  counts->drip = member_int (state, "faults", "drip");
  counts->stall = member_int (state, "faults", "stall");
  counts->storage_puts = member_int (state, "requests", "storage_puts");
  counts->client_errors = member_int (state, "requests", "client_errors");
  g_test_message ("seed %u: %u parts, %" G_GUINT64_FORMAT " PUTs, %" G_GINT64_FORMAT
                  " retries; faults: %" G_GUINT64_FORMAT " PUT 500, %" G_GUINT64_FORMAT
                  " resets, %" G_GUINT64_FORMAT " part-URL 503, %" G_GUINT64_FORMAT
                  " client errors (expired URLs and tokens), %" G_GUINT64_FORMAT " dripped and %"
                  G_GUINT64_FORMAT " unanswered requests",
                  seed, counts->parts, counts->storage_puts, counts->retries, counts->put_500,
                  counts->put_reset, counts->api_503, counts->client_errors, counts->drip,
                  counts->stall);

  /* a part is stored again only when its first PUT's answer never came
   * (dripped or withheld): a retry never re-sends a part whose answer
   * arrived */
  g_assert_cmpuint (counts->stored_again, <=, counts->drip + counts->stall);

  /* every PUT answered 500 was tried again, and nothing more was sent:
   * PUTs beyond one per part are the client's retries, or libsoup's own
   * re-send (with the body set again) of a PUT whose kept-alive
   * connection died under it: a reset or a dropped connection */
  g_assert_cmpint (counts->retries, >=, (gint64) counts->put_500);
  g_assert_cmpuint (counts->storage_puts, <=,
                    counts->parts + (guint64) counts->retries + counts->put_reset +
                    counts->keepalive_dropped + counts->drip + counts->stall);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_unlink (files[i].path);
      g_free (files[i].name);
      g_free (files[i].path);
      g_free (files[i].sha256);
    }
  g_rmdir (dir);
  sendoff_test_sandbox_stop (sb);
}

static void
test_soak (void)
{
  const char *env = g_getenv ("SOAK_SEEDS");
  g_auto(GStrv) seed_list = g_strsplit (env ? env : "9,11", ",", -1);
  guint32 seeds[8];

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    seeds[i] = i < g_strv_length (seed_list) ? (guint32) atoi (seed_list[i]) : 0;
  SoakCounts total = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (seeds) && seeds[i] != 0; i++)
    {
      SoakCounts counts;

      run_soak (seeds[i], &counts);
      total.put_500 += counts.put_500;
      total.put_reset += counts.put_reset;
      total.api_503 += counts.api_503;
      total.client_errors += counts.client_errors;
      total.drip += counts.drip;
      total.stall += counts.stall;
    }

  /* the faults really happened (the seeds are chosen so they do) */
  g_assert_cmpuint (total.put_500, >, 0);
  g_assert_cmpuint (total.put_reset, >, 0);
  g_assert_cmpuint (total.api_503, >, 0);
  /* expired part URLs (403) and tokens (401) */
  g_assert_cmpuint (total.client_errors, >, 0);
  /* answers dripped and withheld, each failed by the watchdog */
  g_assert_cmpuint (total.drip, >, 0);
  g_assert_cmpuint (total.stall, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sendoff/soak/faults", test_soak);
  return g_test_run ();
}
