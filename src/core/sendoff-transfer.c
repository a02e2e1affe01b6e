/* sendoff-transfer.c — a set of files sent together, and its progress
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-transfer"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sendoff-enums.h"
#include "sendoff-file-collect.h"
#include "sendoff-item-private.h"
#include "sendoff-transfer-private.h"
#include "sendoff-util-private.h"

/* The speed is measured over this window; long enough to smooth out
 * parts finishing in bursts, short enough to follow a changing network. */
#define SPEED_WINDOW_USEC (5 * G_USEC_PER_SEC)
#define N_SAMPLES 64

typedef struct {
  gint64  time;
  guint64 bytes;
} Sample;

struct _SendoffTransfer
{
  GObject       parent_instance;

  char         *name;
  char         *description;
  GListStore   *items;
  GHashTable   *paths;       /* path or uri → SendoffItem (unowned), for duplicates */

  SendoffState  state;
  guint64       size;
  guint64       bytes_sent;
  double        speed;
  gint64        eta;
  char         *share_url;
  char         *result;
  char         *error;
  char         *remote_id;
  char         *journal_id;
  SendoffJournalLock *journal_lock;   /* while this process works on it */
  gpointer      provider_data;
  GDestroyNotify provider_data_destroy;
  gint64        link_expires_at;

  gint64        retry_at;
  guint         retry_attempt;
  guint         retry_max_attempts;
  char         *retry_reason;

  Sample        samples[N_SAMPLES];
  guint         sample_head;
  guint         n_samples;
};

G_DEFINE_FINAL_TYPE (SendoffTransfer, sendoff_transfer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_ITEMS,
  PROP_N_ITEMS,
  PROP_STATE,
  PROP_SIZE,
  PROP_BYTES_SENT,
  PROP_FRACTION,
  PROP_SPEED,
  PROP_ETA,
  PROP_SHARE_URL,
  PROP_RESULT,
  PROP_ERROR,
  PROP_LINK_EXPIRES_AT,
  PROP_RETRY_AT,
  PROP_RETRY_ATTEMPT,
  PROP_RETRY_MAX_ATTEMPTS,
  PROP_RETRY_REASON,
  PROP_JOURNAL_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify (SendoffTransfer *self,
        guint            prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static char *
dup_item_key (SendoffItem *item)
{
  GFile *file = sendoff_item_get_file (item);
  char *path = g_file_get_path (file);

  return path ? path : g_file_get_uri (file);
}

static void
on_items_changed (SendoffTransfer *self,
                  guint            position,
                  guint            removed,
                  guint            added,
                  GListModel      *model)
{
  guint n = g_list_model_get_n_items (model);
  guint64 size = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (model, i);
      size += sendoff_item_get_size (item);
    }

  notify (self, PROP_N_ITEMS);
  if (size != self->size)
    {
      self->size = size;
      notify (self, PROP_SIZE);
    }
  /* the effective name may have changed with the first item */
  if (self->name == NULL || *self->name == '\0')
    notify (self, PROP_NAME);
  _sendoff_transfer_update_progress (self);
}

static void
sendoff_transfer_finalize (GObject *object)
{
  SendoffTransfer *self = (SendoffTransfer *)object;

  g_clear_pointer (&self->paths, g_hash_table_unref);
  g_clear_object (&self->items);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->share_url, g_free);
  g_clear_pointer (&self->result, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->remote_id, g_free);
  g_clear_pointer (&self->journal_id, g_free);
  g_clear_pointer (&self->journal_lock, sendoff_journal_lock_free);
  _sendoff_transfer_set_provider_data (self, NULL, NULL);
  g_clear_pointer (&self->retry_reason, g_free);

  G_OBJECT_CLASS (sendoff_transfer_parent_class)->finalize (object);
}

static void
sendoff_transfer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SendoffTransfer *self = SENDOFF_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_ITEMS:
      g_value_set_object (value, self->items);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, sendoff_transfer_get_n_items (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, self->bytes_sent);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, sendoff_transfer_get_fraction (self));
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, self->eta);
      break;
    case PROP_SHARE_URL:
      g_value_set_string (value, self->share_url);
      break;
    case PROP_RESULT:
      g_value_set_string (value, self->result);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_LINK_EXPIRES_AT:
      g_value_set_int64 (value, self->link_expires_at);
      break;
    case PROP_RETRY_AT:
      g_value_set_int64 (value, self->retry_at);
      break;
    case PROP_RETRY_ATTEMPT:
      g_value_set_uint (value, self->retry_attempt);
      break;
    case PROP_RETRY_MAX_ATTEMPTS:
      g_value_set_uint (value, self->retry_max_attempts);
      break;
    case PROP_RETRY_REASON:
      g_value_set_string (value, self->retry_reason);
      break;
    case PROP_JOURNAL_ID:
      g_value_set_string (value, self->journal_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_transfer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SendoffTransfer *self = SENDOFF_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      sendoff_transfer_set_name (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      sendoff_transfer_set_description (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_transfer_class_init (SendoffTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sendoff_transfer_finalize;
  object_class->get_property = sendoff_transfer_get_property;
  object_class->set_property = sendoff_transfer_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, rw);
  properties[PROP_ITEMS] = g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SENDOFF_TYPE_STATE, SENDOFF_STATE_NEW, ro);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_SENT] =
    g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_SPEED] = g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_ETA] = g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_SHARE_URL] = g_param_spec_string ("share-url", NULL, NULL, NULL, ro);
  properties[PROP_RESULT] = g_param_spec_string ("result", NULL, NULL, NULL, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_LINK_EXPIRES_AT] =
    g_param_spec_int64 ("link-expires-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_RETRY_AT] = g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_RETRY_ATTEMPT] =
    g_param_spec_uint ("retry-attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RETRY_MAX_ATTEMPTS] =
    g_param_spec_uint ("retry-max-attempts", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RETRY_REASON] = g_param_spec_string ("retry-reason", NULL, NULL, NULL, ro);
  properties[PROP_JOURNAL_ID] = g_param_spec_string ("journal-id", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sendoff_transfer_init (SendoffTransfer *self)
{
  self->items = g_list_store_new (SENDOFF_TYPE_ITEM);
  self->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->eta = -1;
  g_signal_connect_object (self->items, "items-changed",
                           G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
}

SendoffTransfer *
sendoff_transfer_new (void)
{
  return g_object_new (SENDOFF_TYPE_TRANSFER, NULL);
}

const char *
sendoff_transfer_get_name (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->name;
}

void
sendoff_transfer_set_name (SendoffTransfer *self,
                           const char      *name)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  if (_sendoff_set_str (&self->name, name))
    notify (self, PROP_NAME);
}

const char *
sendoff_transfer_get_description (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->description;
}

void
sendoff_transfer_set_description (SendoffTransfer *self,
                                  const char      *description)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  if (_sendoff_set_str (&self->description, description))
    notify (self, PROP_DESCRIPTION);
}

char *
sendoff_transfer_dup_effective_name (SendoffTransfer *self)
{
  guint n;

  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);

  if (self->name != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (self->name));

      if (*stripped != '\0')
        return g_steal_pointer (&stripped);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  if (n == 1)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), 0);
      const char *name = sendoff_item_get_name (item);
      const char *slash = strrchr (name, '/');

      return g_strdup (slash ? slash + 1 : name);
    }

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files", n), n);
}

GListModel *
sendoff_transfer_get_items (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return G_LIST_MODEL (self->items);
}

guint
sendoff_transfer_get_n_items (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

SendoffState
sendoff_transfer_get_state (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), SENDOFF_STATE_NEW);
  return self->state;
}

guint64
sendoff_transfer_get_size (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0);
  return self->size;
}

guint64
sendoff_transfer_get_bytes_sent (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0);
  return self->bytes_sent;
}

double
sendoff_transfer_get_fraction (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0.0);

  if (self->state == SENDOFF_STATE_DONE)
    return 1.0;
  if (self->size == 0)
    return 0.0;
  return MIN (1.0, (double)self->bytes_sent / (double)self->size);
}

double
sendoff_transfer_get_speed (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0.0);
  return self->speed;
}

gint64
sendoff_transfer_get_eta (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), -1);
  return self->eta;
}

const char *
sendoff_transfer_get_share_url (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->share_url;
}

const char *
sendoff_transfer_get_result (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->result;
}

const char *
sendoff_transfer_get_error (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->error;
}

gint64
sendoff_transfer_get_link_expires_at (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0);
  return self->link_expires_at;
}

gint64
sendoff_transfer_get_retry_at (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0);
  return self->retry_at;
}

guint
sendoff_transfer_get_retry_attempt (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0);
  return self->retry_attempt;
}

guint
sendoff_transfer_get_retry_max_attempts (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), 0);
  return self->retry_max_attempts;
}

const char *
sendoff_transfer_get_retry_reason (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->retry_reason;
}

void
_sendoff_transfer_set_link_expires_at (SendoffTransfer *self,
                                       gint64           expires_at)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));
  g_return_if_fail (expires_at >= 0);

  if (self->link_expires_at == expires_at)
    return;

  self->link_expires_at = expires_at;
  notify (self, PROP_LINK_EXPIRES_AT);
}

void
_sendoff_transfer_set_retry (SendoffTransfer *self,
                             gint64           at,
                             guint            attempt,
                             guint            max_attempts,
                             const char      *reason)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));
  g_return_if_fail (at >= 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->retry_at != at)
    {
      self->retry_at = at;
      notify (self, PROP_RETRY_AT);
    }
  if (self->retry_attempt != attempt)
    {
      self->retry_attempt = attempt;
      notify (self, PROP_RETRY_ATTEMPT);
    }
  if (self->retry_max_attempts != max_attempts)
    {
      self->retry_max_attempts = max_attempts;
      notify (self, PROP_RETRY_MAX_ATTEMPTS);
    }
  if (_sendoff_set_str (&self->retry_reason, reason))
    notify (self, PROP_RETRY_REASON);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_sendoff_transfer_clear_retry (SendoffTransfer *self)
{
  _sendoff_transfer_set_retry (self, 0, 0, 0, NULL);
}

void
_sendoff_transfer_set_state (SendoffTransfer *self,
                             SendoffState     state)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  if (self->state == state)
    return;

  self->state = state;
  notify (self, PROP_STATE);
  notify (self, PROP_FRACTION);
  if (state != SENDOFF_STATE_SENDING && state != SENDOFF_STATE_RETRYING)
    {
      self->speed = 0;
      self->eta = -1;
      notify (self, PROP_SPEED);
      notify (self, PROP_ETA);
    }
}

void
_sendoff_transfer_set_error (SendoffTransfer *self,
                             const char      *error)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  if (_sendoff_set_str (&self->error, error))
    notify (self, PROP_ERROR);
}

void
_sendoff_transfer_set_share_url (SendoffTransfer *self,
                                 const char      *share_url)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  if (_sendoff_set_str (&self->share_url, share_url))
    notify (self, PROP_SHARE_URL);
}

const char *
sendoff_transfer_get_journal_id (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->journal_id;
}

void
_sendoff_transfer_set_journal_id (SendoffTransfer *self,
                                  const char      *journal_id)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  if (_sendoff_set_str (&self->journal_id, journal_id))
    notify (self, PROP_JOURNAL_ID);
}

SendoffJournalLock *
_sendoff_transfer_get_journal_lock (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->journal_lock;
}

void
_sendoff_transfer_set_journal_lock (SendoffTransfer    *self,
                                    SendoffJournalLock *lock)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));
  g_return_if_fail (lock == NULL || self->journal_lock == NULL);

  if (lock == NULL)
    g_clear_pointer (&self->journal_lock, sendoff_journal_lock_free);
  else
    self->journal_lock = lock;
}

void
_sendoff_transfer_set_result (SendoffTransfer *self,
                              const char      *result)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  if (_sendoff_set_str (&self->result, result))
    notify (self, PROP_RESULT);
}

const char *
_sendoff_transfer_get_remote_id (SendoffTransfer *self)
{
  return self->remote_id;
}

void
_sendoff_transfer_set_remote_id (SendoffTransfer *self,
                                 const char      *remote_id)
{
  _sendoff_set_str (&self->remote_id, remote_id);
}

gpointer
_sendoff_transfer_get_provider_data (SendoffTransfer *self)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), NULL);
  return self->provider_data;
}

void
_sendoff_transfer_set_provider_data (SendoffTransfer *self,
                                     gpointer         data,
                                     GDestroyNotify   destroy)
{
  gpointer old = self->provider_data;
  GDestroyNotify old_destroy = self->provider_data_destroy;

  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  self->provider_data = data;
  self->provider_data_destroy = destroy;
  if (old != NULL && old != data && old_destroy != NULL)
    old_destroy (old);
}

void
_sendoff_transfer_reset_speed (SendoffTransfer *self)
{
  self->n_samples = 0;
  self->sample_head = 0;
  self->speed = 0;
  self->eta = -1;
  notify (self, PROP_SPEED);
  notify (self, PROP_ETA);
}

static void
update_speed (SendoffTransfer *self,
              gint64           now)
{
  const Sample *oldest = NULL;
  double speed = 0;
  gint64 eta = -1;

  self->samples[self->sample_head] = (Sample) { now, self->bytes_sent };
  self->sample_head = (self->sample_head + 1) % N_SAMPLES;
  self->n_samples = MIN (self->n_samples + 1, N_SAMPLES);

  /* the oldest sample still inside the window */
  for (guint i = self->n_samples; i > 0; i--)
    {
      const Sample *s = &self->samples[(self->sample_head + N_SAMPLES - i) % N_SAMPLES];

      if (now - s->time <= SPEED_WINDOW_USEC)
        {
          oldest = s;
          break;
        }
    }

  if (oldest != NULL && now - oldest->time >= G_USEC_PER_SEC / 2 &&
      self->bytes_sent >= oldest->bytes)
    speed = (double)(self->bytes_sent - oldest->bytes) * G_USEC_PER_SEC / (now - oldest->time);

  if (speed > 0)
    eta = (gint64)((self->size - self->bytes_sent) / speed + 0.5);

  if (speed != self->speed)
    {
      self->speed = speed;
      notify (self, PROP_SPEED);
    }
  if (eta != self->eta)
    {
      self->eta = eta;
      notify (self, PROP_ETA);
    }
}

void
_sendoff_transfer_update_progress (SendoffTransfer *self)
{
  GListModel *model = G_LIST_MODEL (self->items);
  guint n = g_list_model_get_n_items (model);
  guint64 sent = 0;

  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (model, i);
      sent += sendoff_item_get_bytes_sent (item);
    }

  if (sent != self->bytes_sent)
    {
      self->bytes_sent = sent;
      notify (self, PROP_BYTES_SENT);
      notify (self, PROP_FRACTION);
    }

  if (self->state == SENDOFF_STATE_SENDING || self->state == SENDOFF_STATE_RETRYING)
    update_speed (self, g_get_monotonic_time ());
}

/* Two files may share a name (x.txt from two folders): the service wants
 * names unique within a transfer, so later ones become "x (2).txt". */
static char *
unique_name (SendoffTransfer *self,
             GHashTable      *taken,
             const char      *name)
{
  g_autofree char *stem = NULL;
  const char *dot, *slash;

  if (!g_hash_table_contains (taken, name))
    return g_strdup (name);

  slash = strrchr (name, '/');
  dot = strrchr (slash ? slash : name, '.');
  if (dot == name || (slash && dot == slash + 1))
    dot = NULL;
  stem = dot ? g_strndup (name, dot - name) : g_strdup (name);

  for (guint i = 2; ; i++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s (%u)%s", stem, i, dot ? dot : "");

      if (!g_hash_table_contains (taken, candidate))
        return g_steal_pointer (&candidate);
    }
}

void
_sendoff_transfer_append_items (SendoffTransfer *self,
                                GPtrArray       *items)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SendoffItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      g_hash_table_add (taken, g_strdup (sendoff_item_get_name (item)));
    }

  for (guint i = 0; i < items->len; i++)
    {
      SendoffItem *item = g_ptr_array_index (items, i);
      char *key = dup_item_key (item);
      g_autofree char *name = NULL;

      if (g_hash_table_contains (self->paths, key))
        {
          g_free (key);
          continue;
        }

      g_hash_table_insert (self->paths, key, item);
      name = unique_name (self, taken, sendoff_item_get_name (item));
      _sendoff_item_set_name (item, name);
      g_hash_table_add (taken, g_steal_pointer (&name));
      g_ptr_array_add (added, item);
    }

  g_list_store_splice (self->items, n, 0, added->pdata, added->len);
}

static void
add_files_collected (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendoffTransfer *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) refused = NULL;
  g_autoptr(GError) error = NULL;

  items = sendoff_collect_files_finish (result, &refused, &error);
  if (items == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->state != SENDOFF_STATE_NEW)
    {
      g_task_return_new_error (task, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT,
                               _("Files cannot be added to a transfer that was sent"));
      return;
    }

  _sendoff_transfer_append_items (self, items);
  g_task_set_task_data (task, g_steal_pointer (&refused), (GDestroyNotify)g_strfreev);
  g_task_return_boolean (task, TRUE);
}

void
sendoff_transfer_add_files_async (SendoffTransfer      *self,
                                  GFile               **files,
                                  guint                 n_files,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SENDOFF_IS_TRANSFER (self));
  g_return_if_fail (files != NULL || n_files == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sendoff_transfer_add_files_async);
  sendoff_collect_files_async (files, n_files, cancellable,
                               add_files_collected, g_steal_pointer (&task));
}

gboolean
sendoff_transfer_add_files_finish (SendoffTransfer  *self,
                                   GAsyncResult     *result,
                                   GStrv            *refused,
                                   GError          **error)
{
  g_return_val_if_fail (SENDOFF_IS_TRANSFER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (refused != NULL)
    {
      GStrv list = g_task_get_task_data (G_TASK (result));
      *refused = g_strdupv (list);
    }

  return TRUE;
}

void
sendoff_transfer_remove_item (SendoffTransfer *self,
                              SendoffItem     *item)
{
  guint position;

  g_return_if_fail (SENDOFF_IS_TRANSFER (self));
  g_return_if_fail (SENDOFF_IS_ITEM (item));

  if (self->state != SENDOFF_STATE_NEW)
    return;

  if (g_list_store_find (self->items, item, &position))
    {
      g_autofree char *key = dup_item_key (item);

      g_hash_table_remove (self->paths, key);
      g_list_store_remove (self->items, position);
    }
}

void
sendoff_transfer_remove_all (SendoffTransfer *self)
{
  g_return_if_fail (SENDOFF_IS_TRANSFER (self));

  if (self->state != SENDOFF_STATE_NEW)
    return;

  g_hash_table_remove_all (self->paths);
  g_list_store_remove_all (self->items);
}
