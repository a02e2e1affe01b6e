/* sendoff-http-provider.c — plumbing shared by the providers that speak HTTP APIs
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-http"

#include "config.h"

#include <string.h>

#include "sendoff-http.h"
#include "sendoff-http-provider.h"

void
sendoff_secret_clear (char **secret)
{
  volatile char *p;

  if (secret == NULL || *secret == NULL)
    return;

  /* volatile: the compiler may not drop stores to memory about to be freed */
  for (p = *secret; *p != '\0'; p++)
    *p = '\0';
  g_clear_pointer (secret, g_free);
}

void
sendoff_secret_replace (char       **slot,
                        const char  *value,
                        gboolean     strip)
{
  g_return_if_fail (slot != NULL);

  sendoff_secret_clear (slot);
  if (value == NULL)
    return;

  *slot = g_strdup (value);
  if (strip)
    g_strstrip (*slot);
}

gboolean
sendoff_header_token_safe (const char *value)
{
  if (value == NULL || *value == '\0')
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (*p < '!' || *p > '~')
      return FALSE;
  return TRUE;
}

gboolean
sendoff_header_text_safe (const char *value)
{
  if (value == NULL)
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < ' ' || *p == 0x7f)
      return FALSE;
  return TRUE;
}

char *
sendoff_api_url_normalize (const char *url)
{
  gsize len;

  if (url == NULL || *url == '\0')
    return NULL;

  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    len--;
  return g_strndup (url, len);
}

GBytes *
sendoff_json_builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

typedef struct {
  SoupMessage         *msg;
  char                *what;
  gboolean             s3_error_fails;
  SendoffApiErrorFunc  error_func;
} CallData;

static void
call_data_free (CallData *data)
{
  g_clear_object (&data->msg);
  g_free (data->what);
  g_free (data);
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status;

  body = sendoff_http_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = soup_message_get_status (data->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) ||
      (data->s3_error_fails && sendoff_http_body_is_s3_error (body)))
    {
      g_task_return_error (task, data->error_func (data->msg, body, data->what));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

void
sendoff_api_call_async (gpointer             source,
                        SoupSession         *session,
                        SoupMessage         *msg,
                        gsize                max_bytes,
                        const char          *what,
                        gboolean             s3_error_fails,
                        SendoffApiErrorFunc  error_func,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  CallData *data = g_new0 (CallData, 1);

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  g_task_set_source_tag (task, sendoff_api_call_async);
  data->msg = msg;
  data->what = g_strdup (what);
  data->s3_error_fails = s3_error_fails;
  data->error_func = error_func != NULL ? error_func : sendoff_http_error_new;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  sendoff_http_send_and_read_async (session, msg, max_bytes, what, cancellable,
                                    on_call_done, g_steal_pointer (&task));
}

GBytes *
sendoff_api_call_finish (GAsyncResult  *result,
                         guint         *status,
                         GError       **error)
{
  CallData *data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sendoff_api_call_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = data->msg ? soup_message_get_status (data->msg) : 0;
  return g_task_propagate_pointer (G_TASK (result), error);
}
