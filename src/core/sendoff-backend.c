/* sendoff-backend.c — the table of backends, and checks of their options
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-backend"

#include "config.h"

#include <glib/gi18n.h>

#include "sendoff-backend.h"
#include "sendoff-http.h"
#include "sendoff-provider.h"
#include "sendoff-s3.h"
#include "sendoff-types.h"
#include "sendoff-wetransfer-v1.h"
#include "sendoff-wunderlist.h"

/* A new backend is its provider file, its parser, and one row here. */
static GType (*const backend_types[]) (void) = {
  sendoff_s3_get_type,               /* first: what most people have */
  sendoff_wetransfer_v1_get_type,
  sendoff_wunderlist_get_type,
};

typedef struct {
  const SendoffBackendInfo *info;
  GType                     type;
} Backend;

static const Backend *
backends (void)
{
  static Backend *table;

  if (g_once_init_enter (&table))
    {
      Backend *new_table = g_new0 (Backend, G_N_ELEMENTS (backend_types) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (backend_types); i++)
        {
          GType type = backend_types[i] ();
          g_autoptr(GTypeClass) klass = g_type_class_ref (type);
          SendoffProviderInterface *iface = g_type_interface_peek (klass, SENDOFF_TYPE_PROVIDER);

          g_assert (iface != NULL && iface->info != NULL);
          new_table[i].info = iface->info;
          new_table[i].type = type;
        }
      g_once_init_leave (&table, new_table);
    }

  return table;
}

const SendoffBackendInfo *const *
sendoff_backend_list (void)
{
  static const SendoffBackendInfo **list;

  if (g_once_init_enter (&list))
    {
      const Backend *table = backends ();
      const SendoffBackendInfo **new_list = g_new0 (const SendoffBackendInfo *,
                                                    G_N_ELEMENTS (backend_types) + 1);

      for (guint i = 0; table[i].info != NULL; i++)
        new_list[i] = table[i].info;
      g_once_init_leave (&list, new_list);
    }

  return list;
}

const SendoffBackendInfo *
sendoff_backend_lookup (const char *id)
{
  const Backend *table = backends ();

  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; table[i].info != NULL; i++)
    {
      if (g_str_equal (table[i].info->id, id))
        return table[i].info;
    }

  return NULL;
}

GType
sendoff_backend_get_provider_type (const SendoffBackendInfo *info)
{
  const Backend *table = backends ();

  g_return_val_if_fail (info != NULL, G_TYPE_INVALID);

  for (guint i = 0; table[i].info != NULL; i++)
    {
      if (table[i].info == info)
        return table[i].type;
    }

  return G_TYPE_INVALID;
}

const SendoffOptionSpec *
sendoff_backend_find_option (const SendoffBackendInfo *info,
                             const char               *key)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (const SendoffOptionSpec *spec = info->options; spec && spec->key; spec++)
    {
      if (g_str_equal (spec->key, key))
        return spec;
    }

  return NULL;
}

guint
sendoff_backend_count_secrets (const SendoffBackendInfo *info)
{
  guint n = 0;

  g_return_val_if_fail (info != NULL, 0);

  for (const SendoffSecretSpec *spec = info->secrets; spec && spec->key; spec++)
    n++;

  return n;
}

static void
set_option_error (GError                  **error,
                  const SendoffOptionSpec  *spec,
                  const char               *why)
{
  /* TRANSLATORS: "Bucket (bucket): must not be empty" */
  g_set_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT, _("%s (%s): %s"),
               g_dgettext (GETTEXT_PACKAGE, spec->label), spec->key, why);
}

gboolean
sendoff_option_check (const SendoffOptionSpec  *spec,
                      const char               *value,
                      GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  guint64 number;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (value == NULL || *value == '\0')
    {
      if (spec->optional || spec->default_value != NULL)
        return TRUE;
      set_option_error (error, spec, _("a value is needed"));
      return FALSE;
    }

  switch (spec->type)
    {
    case SENDOFF_OPTION_STRING:
      if (!g_utf8_validate (value, -1, NULL) || strpbrk (value, "\r\n\t") != NULL)
        {
          set_option_error (error, spec, _("must be one line of text"));
          return FALSE;
        }
      return TRUE;

    case SENDOFF_OPTION_URL:
      if (!sendoff_url_check (value, g_dgettext (GETTEXT_PACKAGE, spec->label), &local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;

    case SENDOFF_OPTION_UINT:
      if (!g_ascii_string_to_unsigned (value, 10, spec->min, spec->max, &number, NULL))
        {
          /* A G_GUINT64_FORMAT inside _() would cut the string for xgettext */
          g_autofree char *min = g_strdup_printf ("%" G_GUINT64_FORMAT, spec->min);
          g_autofree char *max = g_strdup_printf ("%" G_GUINT64_FORMAT, spec->max);
          g_autofree char *why =
            g_strdup_printf (_("must be a whole number from %s to %s"), min, max);
          set_option_error (error, spec, why);
          return FALSE;
        }
      return TRUE;

    case SENDOFF_OPTION_BOOLEAN:
      if (!g_str_equal (value, "true") && !g_str_equal (value, "false"))
        {
          set_option_error (error, spec, _("must be “true” or “false”"));
          return FALSE;
        }
      return TRUE;

    case SENDOFF_OPTION_CHOICE:
      if (spec->choices == NULL || !g_strv_contains ((const char *const *) spec->choices, value))
        {
          g_autofree char *list = spec->choices ? g_strjoinv (", ", (char **) spec->choices)
                                                : g_strdup ("");
          g_autofree char *why = g_strdup_printf (_("must be one of: %s"), list);
          set_option_error (error, spec, why);
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}
