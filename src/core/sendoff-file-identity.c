/* sendoff-file-identity.c — what makes a local file the same file
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sendoff-identity"

#include "config.h"

#include "sendoff-file-identity.h"

static gint64
timespec_usec (const struct timespec *ts)
{
  return (gint64) ts->tv_sec * G_USEC_PER_SEC + ts->tv_nsec / 1000;
}

void
_sendoff_file_identity_from_stat (SendoffFileIdentity *identity,
                                  const struct stat   *st)
{
  g_return_if_fail (identity != NULL);
  g_return_if_fail (st != NULL);

  identity->dev = (guint64) st->st_dev;
  identity->ino = (guint64) st->st_ino;
  identity->size = (guint64) st->st_size;
  identity->mtime_usec = timespec_usec (&st->st_mtim);
  identity->ctime_usec = timespec_usec (&st->st_ctim);
}

gboolean
_sendoff_file_identity_matches (const SendoffFileIdentity *identity,
                                const struct stat         *st)
{
  g_return_val_if_fail (identity != NULL, FALSE);
  g_return_val_if_fail (st != NULL, FALSE);

  if (!S_ISREG (st->st_mode) || (guint64) st->st_size != identity->size ||
      timespec_usec (&st->st_mtim) != identity->mtime_usec)
    return FALSE;

  /* Unknown identity: size and mtime are all there is to compare */
  if (identity->ino == 0)
    return TRUE;

  return (guint64) st->st_dev == identity->dev && (guint64) st->st_ino == identity->ino &&
         timespec_usec (&st->st_ctim) == identity->ctime_usec;
}
