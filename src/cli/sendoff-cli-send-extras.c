/* sendoff-cli-send-extras.c — the parts of `sendoff-cli send` around the upload itself
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sendoff-cli-send-extras.h"

#include "sendoff-cli-destination.h"
#include "sendoff-cli-input.h"
#include "sendoff-cli-output.h"
#include "sendoff-text.h"
#include "sendoff-types.h"

/* What the seed backends use. A backend learns its part size from the
 * server (Wunderlist) or decides it when the transfer starts; there is no
 * way to ask one without the network, so --dry-run says so. */
#define PLAN_PART_SIZE G_GUINT64_CONSTANT (6291456)

gboolean
sendoff_cli_parse_count (const char  *option,
                         const char  *text,
                         int          min,
                         int          max,
                         int         *value,
                         GError     **error)
{
  gint64 number;

  if (!g_ascii_string_to_signed (text, 10, min, max, &number, NULL))
    {
      g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                   _("%s must be a whole number from %d to %d, not “%s”"),
                   option, min, max, text);
      return FALSE;
    }
  *value = (int) number;
  return TRUE;
}

gboolean
sendoff_cli_check_result_written (const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!sendoff_cli_stdout_failed (&error))
    return TRUE;

  if (url != NULL)
    message = g_strdup_printf (_("The files were sent, but the link could not be written to "
                                 "standard output (%s). The link is %s"), error->message, url);
  else
    message = g_strdup_printf (_("The result could not be written to standard output (%s)"),
                               error->message);
  sendoff_cli_printerr (message);
  return FALSE;
}

void
sendoff_cli_exclude_items (SendoffTransfer    *transfer,
                           const char * const *globs)
{
  GListModel *items = sendoff_transfer_get_items (transfer);

  if (globs == NULL)
    return;

  for (guint i = g_list_model_get_n_items (items); i > 0; i--)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i - 1);

      if (sendoff_cli_excluded (sendoff_item_get_name (item), globs))
        {
          g_debug ("Leaving out “%s” (--exclude)", sendoff_item_get_name (item));
          sendoff_transfer_remove_item (transfer, item);
        }
    }
}

static guint64
plan_parts (guint64 size)
{
  return MAX ((size + PLAN_PART_SIZE - 1) / PLAN_PART_SIZE, 1);
}

static void
print_plan_json (SendoffTransfer     *transfer,
                 SendoffDestination  *destination)
{
  g_autoptr(JsonBuilder) builder = sendoff_cli_json_event ("plan");
  g_autofree char *name = sendoff_transfer_dup_effective_name (transfer);
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);
  GListModel *items = sendoff_transfer_get_items (transfer);

  sendoff_cli_json_add_int (builder, "version", SENDOFF_CLI_JSON_VERSION);
  sendoff_cli_json_add_string (builder, "name", name);
  sendoff_cli_json_add_string (builder, "destination", sendoff_destination_get_name (destination));
  sendoff_cli_json_add_string (builder, "service", backend->id);
  sendoff_cli_json_add_string (builder, "api-url",
                               sendoff_backend_find_option (backend, "api-url")
                                 ? sendoff_destination_get_option (destination, "api-url") : NULL);
  json_builder_set_member_name (builder, "options");
  json_builder_begin_object (builder);
  for (const SendoffOptionSpec *spec = backend->options; spec && spec->key; spec++)
    sendoff_cli_json_add_string (builder, spec->key,
                                 sendoff_destination_get_option (destination, spec->key));
  json_builder_end_object (builder);
  sendoff_cli_json_add_int (builder, "size", (gint64) sendoff_transfer_get_size (transfer));
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);

      json_builder_begin_object (builder);
      sendoff_cli_json_add_string (builder, "name", sendoff_item_get_name (item));
      sendoff_cli_json_add_int (builder, "size", (gint64) sendoff_item_get_size (item));
      sendoff_cli_json_add_int (builder, "parts", (gint64) plan_parts (sendoff_item_get_size (item)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  sendoff_cli_json_emit (builder);
}

/* "  Server Address (api-url): https://… (from --api-url)" */
static void
print_plan_options (SendoffDestination  *destination,
                    char               **assignments,
                    const char          *api_url)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);

  for (const SendoffOptionSpec *spec = backend->options; spec && spec->key; spec++)
    {
      const char *value = sendoff_destination_get_option (destination, spec->key);
      g_autofree char *source = sendoff_cli_dup_option_source (destination, spec, assignments,
                                                               api_url);
      g_autofree char *safe = sendoff_str_escape_terminal (value ? value : "");

      /* TRANSLATORS: an option's label and key, its value, where the value came from */
      printf (_("  %s (%s): %s (from %s)\n"), g_dgettext (GETTEXT_PACKAGE, spec->label),
              spec->key, safe, source);
    }
}

void
sendoff_cli_print_plan (SendoffTransfer     *transfer,
                        SendoffDestination  *destination,
                        char               **assignments,
                        const char          *api_url,
                        gboolean             json)
{
  GListModel *items = sendoff_transfer_get_items (transfer);
  guint n = g_list_model_get_n_items (items);
  g_autofree char *total = g_format_size (sendoff_transfer_get_size (transfer));
  g_autofree char *name = sendoff_transfer_dup_effective_name (transfer);
  g_autofree char *safe_name = sendoff_str_escape_terminal (name);
  g_autofree char *safe_dest = NULL;
  g_autofree char *count = NULL;
  guint64 parts = 0;

  if (json)
    {
      print_plan_json (transfer, destination);
      return;
    }

  safe_dest = sendoff_str_escape_terminal (sendoff_destination_get_name (destination));
  printf (g_dngettext (GETTEXT_PACKAGE,
                       /* TRANSLATORS: --dry-run: "Would send 3 files (12.6 MB) as “Holiday”
                          to “Sandbox” (wetransfer-v1):", then the destination's options */
                       "Would send %u file (%s) as “%s” to “%s” (%s):\n",
                       "Would send %u files (%s) as “%s” to “%s” (%s):\n", n),
          n, total, safe_name, safe_dest, sendoff_destination_get_backend (destination)->id);
  print_plan_options (destination, assignments, api_url);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (items, i);
      g_autofree char *size = g_format_size (sendoff_item_get_size (item));
      g_autofree char *item_name = sendoff_str_escape_terminal (sendoff_item_get_name (item));
      guint64 item_parts = plan_parts (sendoff_item_get_size (item));

      /* A G_GUINT64_FORMAT inside _() would cut the string for xgettext */
      g_autofree char *item_count = g_strdup_printf ("%" G_GUINT64_FORMAT, item_parts);

      parts += item_parts;
      printf ("  %s  %s  ", item_name, size);
      /* TRANSLATORS: %s is a number of parts */
      printf (g_dngettext (GETTEXT_PACKAGE, "%s part\n", "%s parts\n", item_parts), item_count);
    }
  count = g_strdup_printf ("%" G_GUINT64_FORMAT, parts);
  /* TRANSLATORS: %s is a number of parts */
  printf (g_dngettext (GETTEXT_PACKAGE,
                       "%s part in all, as the built-in backends cut files "
                       "(the server may choose otherwise). Nothing was sent (--dry-run).\n",
                       "%s parts in all, as the built-in backends cut files "
                       "(the server may choose otherwise). Nothing was sent (--dry-run).\n",
                       parts), count);
}

static void
wipe_free (gpointer secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

GHashTable *
sendoff_cli_secrets_from_fd (SendoffDestination  *destination,
                             int                  fd,
                             GError             **error)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);
  guint n = sendoff_backend_count_secrets (backend);
  char **secrets = sendoff_cli_read_secret_fd (fd, n, error);
  GHashTable *table;
  guint i = 0;

  if (secrets == NULL)
    return NULL;

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  for (const SendoffSecretSpec *spec = backend->secrets; spec && spec->key; spec++, i++)
    g_hash_table_insert (table, g_strdup (spec->key), g_strdup (secrets[i]));
  sendoff_cli_secrets_free (secrets);
  return table;
}

/* ---- --verbose -------------------------------------------------------- */

static GHashTable *verbose_secrets;

static char *
redact (const char *text)
{
  g_autoptr(GString) out = g_string_new (text);
  GHashTableIter iter;
  gpointer value;

  if (verbose_secrets == NULL)
    return g_string_free (g_steal_pointer (&out), FALSE);

  g_hash_table_iter_init (&iter, verbose_secrets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value != NULL && *(const char *) value != '\0')
      g_string_replace (out, value, "[redacted]", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GLogWriterOutput
verbose_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0 && message != NULL &&
      domain != NULL && g_str_has_prefix (domain, "sendoff"))
    {
      g_autofree char *clean = redact (message);
      g_autofree char *safe = sendoff_str_escape_terminal (clean);

      g_printerr ("sendoff-cli: [%s] %s\n", domain, safe);
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

void
sendoff_cli_verbose_enable (void)
{
  g_log_set_writer_func (verbose_writer, NULL, NULL);
}

void
sendoff_cli_verbose_set_secrets (GHashTable *secrets)
{
  if (secrets != NULL)
    g_hash_table_ref (secrets);
  g_clear_pointer (&verbose_secrets, g_hash_table_unref);
  verbose_secrets = secrets;
}

void
sendoff_cli_verbose_secret_sources (SendoffDestination *destination,
                                    const char         *source)
{
  const SendoffBackendInfo *backend = sendoff_destination_get_backend (destination);

  for (const SendoffSecretSpec *spec = backend->secrets; spec && spec->key; spec++)
    {
      const char *env = spec->env ? g_getenv (spec->env) : NULL;

      if (source != NULL)
        g_debug ("%s: from %s", spec->key, source);
      else if (env != NULL && *env != '\0')
        g_debug ("%s: from $%s", spec->key, spec->env);
      else
        g_debug ("%s: from the keyring", spec->key);
    }
}
