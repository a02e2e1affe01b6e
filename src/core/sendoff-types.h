/* sendoff-types.h — enums and errors shared by the core, the CLI and the window
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SendoffState:
 * @SENDOFF_STATE_NEW: composed, not sent yet
 * @SENDOFF_STATE_WAITING: queued, waiting for a free upload slot
 * @SENDOFF_STATE_SENDING: bytes are moving
 * @SENDOFF_STATE_RETRYING: a request failed and is being tried again
 * @SENDOFF_STATE_DONE: sent and completed on the server
 * @SENDOFF_STATE_FAILED: gave up; the error says why
 * @SENDOFF_STATE_CANCELLED: stopped by the user
 *
 * The state of a #SendoffItem or a #SendoffTransfer.
 */
typedef enum {
  SENDOFF_STATE_NEW,
  SENDOFF_STATE_WAITING,
  SENDOFF_STATE_SENDING,
  SENDOFF_STATE_RETRYING,
  SENDOFF_STATE_DONE,
  SENDOFF_STATE_FAILED,
  SENDOFF_STATE_CANCELLED,
} SendoffState;

/**
 * SendoffError:
 * @SENDOFF_ERROR_INVALID_INPUT: a file or an argument the user gave is unusable
 * @SENDOFF_ERROR_INSECURE_URL: a URL is neither https nor http on loopback
 * @SENDOFF_ERROR_AUTH: the service refused the credentials (401/403 on authorize)
 * @SENDOFF_ERROR_NO_CREDENTIALS: no key is stored or given
 * @SENDOFF_ERROR_SERVER: the service answered with an error it will repeat (4xx)
 * @SENDOFF_ERROR_NETWORK: the network or the server failed and retries ran out
 * @SENDOFF_ERROR_PROTOCOL: the server's answer is malformed or absurd
 * @SENDOFF_ERROR_CHANGED: a file changed while it was being sent
 * @SENDOFF_ERROR_KEYRING: the system keyring is not available
 * @SENDOFF_ERROR_FORGOTTEN: the server no longer knows the transfer or an
 *   upload that a resume continues (expired, deleted, server restarted)
 */
typedef enum {
  SENDOFF_ERROR_INVALID_INPUT,
  SENDOFF_ERROR_INSECURE_URL,
  SENDOFF_ERROR_AUTH,
  SENDOFF_ERROR_NO_CREDENTIALS,
  SENDOFF_ERROR_SERVER,
  SENDOFF_ERROR_NETWORK,
  SENDOFF_ERROR_PROTOCOL,
  SENDOFF_ERROR_CHANGED,
  SENDOFF_ERROR_KEYRING,
  SENDOFF_ERROR_FORGOTTEN,
} SendoffError;

#define SENDOFF_ERROR (sendoff_error_quark ())
GQuark sendoff_error_quark (void);

G_END_DECLS
