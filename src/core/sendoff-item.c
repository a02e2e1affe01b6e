/* sendoff-item.c — one file of a transfer
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-item"

#include "config.h"

#include "sendoff-enums.h"
#include "sendoff-item-private.h"
#include "sendoff-util-private.h"

struct _SendoffItem
{
  GObject        parent_instance;

  GFile         *file;
  char          *name;
  char          *content_type;
  guint64        size;
  gint64         mtime_usec;

  SendoffState   state;
  guint64        bytes_sent;
  char          *error;
  guint          retries;

  char          *remote_id;
  guint          n_parts;
  guint64        part_size;
  guint8        *parts_done;   /* one byte a part: simple and fast enough for 10,000 parts */
  guint          n_parts_done;
  gboolean       completed;

  gpointer       provider_data;
  GDestroyNotify provider_data_destroy;

  SendoffFileIdentity identity;
};

G_DEFINE_FINAL_TYPE (SendoffItem, sendoff_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_NAME,
  PROP_SIZE,
  PROP_CONTENT_TYPE,
  PROP_STATE,
  PROP_BYTES_SENT,
  PROP_FRACTION,
  PROP_ERROR,
  PROP_RETRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sendoff_item_finalize (GObject *object)
{
  SendoffItem *self = (SendoffItem *)object;

  _sendoff_item_set_provider_data (self, NULL, NULL);
  g_clear_object (&self->file);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->remote_id, g_free);
  g_clear_pointer (&self->parts_done, g_free);

  G_OBJECT_CLASS (sendoff_item_parent_class)->finalize (object);
}

static void
sendoff_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SendoffItem *self = SENDOFF_ITEM (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, self->bytes_sent);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, sendoff_item_get_fraction (self));
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_RETRIES:
      g_value_set_uint (value, self->retries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sendoff_item_class_init (SendoffItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sendoff_item_finalize;
  object_class->get_property = sendoff_item_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SENDOFF_TYPE_STATE, SENDOFF_STATE_NEW, flags);
  properties[PROP_BYTES_SENT] =
    g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_RETRIES] =
    g_param_spec_uint ("retries", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sendoff_item_init (SendoffItem *self)
{
}

SendoffItem *
_sendoff_item_new (GFile      *file,
                   const char *name,
                   guint64     size,
                   gint64      mtime_usec,
                   const char *content_type)
{
  SendoffItem *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (SENDOFF_TYPE_ITEM, NULL);
  self->file = g_object_ref (file);
  self->name = g_strdup (name);
  self->size = size;
  self->mtime_usec = mtime_usec;
  self->identity.size = size;
  self->identity.mtime_usec = mtime_usec;
  self->content_type = g_strdup (content_type ? content_type : "application/octet-stream");

  return self;
}

GFile *
sendoff_item_get_file (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), NULL);
  return self->file;
}

const char *
sendoff_item_get_name (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), NULL);
  return self->name;
}

guint64
sendoff_item_get_size (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), 0);
  return self->size;
}

const char *
sendoff_item_get_content_type (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), NULL);
  return self->content_type;
}

SendoffState
sendoff_item_get_state (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), SENDOFF_STATE_NEW);
  return self->state;
}

guint64
sendoff_item_get_bytes_sent (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), 0);
  return self->bytes_sent;
}

double
sendoff_item_get_fraction (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), 0.0);

  if (self->state == SENDOFF_STATE_DONE)
    return 1.0;
  if (self->size == 0)
    return 0.0;
  return MIN (1.0, (double)self->bytes_sent / (double)self->size);
}

const char *
sendoff_item_get_error (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), NULL);
  return self->error;
}

guint
sendoff_item_get_retries (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), 0);
  return self->retries;
}

gint64
_sendoff_item_get_mtime (SendoffItem *self)
{
  return self->mtime_usec;
}

void
_sendoff_item_set_name (SendoffItem *self,
                        const char  *name)
{
  g_return_if_fail (SENDOFF_IS_ITEM (self));

  if (_sendoff_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

void
_sendoff_item_set_state (SendoffItem  *self,
                         SendoffState  state)
{
  g_return_if_fail (SENDOFF_IS_ITEM (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  /* fraction reads 1.0 once done, whatever bytes-sent says */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

void
_sendoff_item_set_error (SendoffItem *self,
                         const char  *error)
{
  g_return_if_fail (SENDOFF_IS_ITEM (self));

  if (_sendoff_set_str (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

void
_sendoff_item_set_bytes_sent (SendoffItem *self,
                              guint64      bytes_sent)
{
  g_return_if_fail (SENDOFF_IS_ITEM (self));

  bytes_sent = MIN (bytes_sent, self->size);
  if (self->bytes_sent == bytes_sent)
    return;

  self->bytes_sent = bytes_sent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

void
_sendoff_item_add_retry (SendoffItem *self)
{
  g_return_if_fail (SENDOFF_IS_ITEM (self));

  self->retries++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRIES]);
}

void
_sendoff_item_set_remote (SendoffItem *self,
                          const char  *remote_id,
                          guint        n_parts,
                          guint64      part_size)
{
  g_return_if_fail (SENDOFF_IS_ITEM (self));
  g_return_if_fail (remote_id != NULL);
  g_return_if_fail (n_parts >= 1);
  g_return_if_fail (part_size > 0);

  _sendoff_set_str (&self->remote_id, remote_id);
  self->n_parts = n_parts;
  self->part_size = part_size;
  g_clear_pointer (&self->parts_done, g_free);
  self->parts_done = g_new0 (guint8, n_parts);
  self->n_parts_done = 0;
  self->completed = FALSE;
}

void
_sendoff_item_clear_remote (SendoffItem *self)
{
  g_return_if_fail (SENDOFF_IS_ITEM (self));

  g_clear_pointer (&self->remote_id, g_free);
  g_clear_pointer (&self->parts_done, g_free);
  self->n_parts = 0;
  self->n_parts_done = 0;
  self->part_size = 0;
  self->completed = FALSE;
  _sendoff_item_set_provider_data (self, NULL, NULL);
}

const char *
_sendoff_item_get_remote_id (SendoffItem *self)
{
  return self->remote_id;
}

gboolean
_sendoff_item_is_registered (SendoffItem *self)
{
  return self->remote_id != NULL;
}

guint
_sendoff_item_get_n_parts (SendoffItem *self)
{
  return self->n_parts;
}

guint64
_sendoff_item_get_part_size (SendoffItem *self)
{
  return self->part_size;
}

void
_sendoff_item_get_part_range (SendoffItem *self,
                              guint        part_number,
                              guint64     *offset,
                              guint64     *length)
{
  guint64 start;

  g_return_if_fail (SENDOFF_IS_ITEM (self));
  g_return_if_fail (part_number >= 1 && part_number <= self->n_parts);

  start = (guint64)(part_number - 1) * self->part_size;
  if (offset)
    *offset = start;
  if (length)
    *length = start >= self->size ? 0 : MIN (self->part_size, self->size - start);
}

gboolean
_sendoff_item_part_is_done (SendoffItem *self,
                            guint        part_number)
{
  g_return_val_if_fail (part_number >= 1 && part_number <= self->n_parts, FALSE);
  return self->parts_done[part_number - 1] != 0;
}

void
_sendoff_item_mark_part_done (SendoffItem *self,
                              guint        part_number)
{
  g_return_if_fail (part_number >= 1 && part_number <= self->n_parts);

  if (self->parts_done[part_number - 1])
    return;
  self->parts_done[part_number - 1] = 1;
  self->n_parts_done++;
}

void
_sendoff_item_unmark_part_done (SendoffItem *self,
                                guint        part_number)
{
  g_return_if_fail (part_number >= 1 && part_number <= self->n_parts);

  if (!self->parts_done[part_number - 1])
    return;
  self->parts_done[part_number - 1] = 0;
  self->n_parts_done--;
}

guint
_sendoff_item_count_parts_done (SendoffItem *self)
{
  return self->n_parts_done;
}

guint64
_sendoff_item_get_bytes_done (SendoffItem *self)
{
  guint64 total = 0;

  for (guint i = 1; i <= self->n_parts; i++)
    {
      if (self->parts_done[i - 1])
        {
          guint64 length;

          _sendoff_item_get_part_range (self, i, NULL, &length);
          total += length;
        }
    }

  return total;
}

gboolean
_sendoff_item_is_completed (SendoffItem *self)
{
  return self->completed;
}

void
_sendoff_item_set_completed (SendoffItem *self,
                             gboolean     completed)
{
  self->completed = !!completed;
}

gpointer
_sendoff_item_get_provider_data (SendoffItem *self)
{
  return self->provider_data;
}

void
_sendoff_item_set_provider_data (SendoffItem    *self,
                                 gpointer        data,
                                 GDestroyNotify  destroy)
{
  gpointer old = self->provider_data;
  GDestroyNotify old_destroy = self->provider_data_destroy;

  self->provider_data = data;
  self->provider_data_destroy = destroy;

  if (old != NULL && old_destroy != NULL && old != data)
    old_destroy (old);
}

const SendoffFileIdentity *
_sendoff_item_get_identity (SendoffItem *self)
{
  g_return_val_if_fail (SENDOFF_IS_ITEM (self), NULL);
  return &self->identity;
}

void
_sendoff_item_set_identity (SendoffItem               *self,
                            const SendoffFileIdentity *identity)
{
  g_return_if_fail (SENDOFF_IS_ITEM (self));
  g_return_if_fail (identity != NULL);

  self->identity = *identity;
  self->size = identity->size;
  self->mtime_usec = identity->mtime_usec;
}
