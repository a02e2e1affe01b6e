/* sendoff-sandbox-server.h — state and helpers shared by the sandbox's endpoints
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sendoff-sandbox-reaper.h"
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SANDBOX_WL_MIN_PART_SIZE (5 * 1024 * 1024)
#define SANDBOX_WL_MAX_PARTS     10000
#define SANDBOX_MAX_API_BODY     (1024 * 1024)

typedef struct
{
  int       port;
  char     *data_dir;
  char    **api_keys;
  char    **access_tokens;
  char    **client_ids;
  gint64    chunk_size;
  int       url_ttl;
  int       token_ttl_requests;
  gint64    max_transfer_size;
  double    fail_put_rate;
  double    reset_put_rate;
  double    fail_api_rate;
  double    drop_keepalive_rate;
  int       latency_ms;
  int       drip_bps;         /* 0: no dripped answers */
  int       drip_phase;       /* SandboxDripPhase */
  double    drip_api_rate;
  double    drip_put_rate;
  gboolean  stall;            /* no request is ever answered */
  double    stall_api_rate;
  double    stall_put_rate;
  gint64    seed;
  gboolean  have_seed;
  gboolean  discard;
} SandboxOptions;

typedef enum
{
  SANDBOX_REQ_TOTAL,
  SANDBOX_REQ_AUTHORIZE,
  SANDBOX_REQ_TRANSFERS,
  SANDBOX_REQ_ITEMS,
  SANDBOX_REQ_PART_URLS,
  SANDBOX_REQ_STORAGE_PUTS,
  SANDBOX_REQ_COMPLETE,
  SANDBOX_REQ_SHARE_PAGES,
  SANDBOX_REQ_DOWNLOADS,
  SANDBOX_REQ_WL_UPLOADS,
  SANDBOX_REQ_WL_PARTS,
  SANDBOX_REQ_WL_FINISH,
  SANDBOX_REQ_WL_FILES,
  SANDBOX_REQ_OTHER,
  SANDBOX_REQ_CLIENT_ERRORS,
  SANDBOX_REQ_SERVER_ERRORS,
  SANDBOX_REQ_ABORTED,
  SANDBOX_N_REQ
} SandboxRequestKind;

typedef enum
{
  SANDBOX_FAULT_PUT_500,
  SANDBOX_FAULT_PUT_RESET,
  SANDBOX_FAULT_API_503,
  SANDBOX_FAULT_KEEPALIVE_DROPPED,
  SANDBOX_FAULT_DRIP,
  SANDBOX_FAULT_STALL,
  SANDBOX_N_FAULTS
} SandboxFault;

/* Where a dripped answer starts going slowly */
typedef enum
{
  SANDBOX_DRIP_STATUS,
  SANDBOX_DRIP_HEADERS,
  SANDBOX_DRIP_BODY,
} SandboxDripPhase;

typedef enum
{
  SANDBOX_KIND_WETRANSFER,
  SANDBOX_KIND_WUNDERLIST,
} SandboxKind;

typedef struct
{
  guint    number;
  guint64  size;         /* bytes of the stored copy */
  guint    puts;         /* PUTs that stored it */
  guint    attempts;     /* PUTs started, the key of put faults */
  guint    url_requests; /* part targets handed out, the key of api faults */
  gboolean stored;
  char    *path;         /* NULL with --discard */
  char    *sha256;
} SandboxPart;

typedef struct _SandboxTransfer SandboxTransfer;

typedef struct
{
  SandboxKind      kind;
  char            *id;
  guint64          numeric_id;          /* wunderlist */
  char            *filename;
  guint64          filesize;
  char            *content_type;        /* wunderlist */
  char            *local_identifier;    /* wetransfer */
  char            *multipart_upload_id;
  char            *upload_id;           /* wetransfer item's upload_id */
  guint            n_parts;             /* wetransfer: parts expected */
  GHashTable      *parts;               /* number → SandboxPart */
  SandboxTransfer *transfer;            /* wetransfer */
  char            *owner;               /* API key or access token */
  char            *dir;
  gboolean         finishing;
  gboolean         completed;
  char            *sha256;
  char            *assembled_path;
} SandboxFile;

struct _SandboxTransfer
{
  char      *id;
  char      *name;
  char      *description;
  char      *owner;
  GPtrArray *items;  /* SandboxFile, owned by the server */
  guint64    size;
};

typedef struct
{
  guint64 id;
  guint64 upload_id;
  gint64  task_id;
} SandboxWlFile;

typedef struct
{
  char  *key;
  guint  uses;
} SandboxToken;

typedef struct
{
  SandboxOptions *opts;
  SoupServer     *server;
  GMainContext   *context;
  char           *base_url;
  GRand          *rand;
  guint8          secret[32];

  GHashTable     *tokens;           /* jwt → SandboxToken */
  GPtrArray      *transfers;        /* SandboxTransfer */
  GHashTable     *transfers_by_id;
  GPtrArray      *files;            /* every SandboxFile, both services */
  GHashTable     *wt_files;         /* id → SandboxFile */
  GHashTable     *wl_uploads;       /* id string → SandboxFile */
  GPtrArray      *wl_files;         /* SandboxWlFile */
  guint64         next_wl_id;

  guint64         requests[SANDBOX_N_REQ];
  guint64         faults[SANDBOX_N_FAULTS];
  guint           puts_in_flight;
  guint           max_puts_in_flight;
  guint64         storage_requests_with_secret;
  guint64         put_serial;

  GThreadPool    *writers;
  SandboxReaper  *reaper;
  guint           assembling;       /* files being assembled in the background */
  GQueue          after_assembly;   /* paused requests that read assembled files */
  GHashTable     *answer_counts;    /* part-URL request → times asked, key of faults */
} SandboxServer;

/* sendoff-sandbox-server.c */
/* Completing a file answers at once, as S3 does, and assembles it in the
 * background: what reads assembled files (state, share page, downloads)
 * waits for every assembly under way. */
void           sandbox_server_assembly_started (SandboxServer    *self);
void           sandbox_server_assembly_ended   (SandboxServer    *self);
SandboxServer *sandbox_server_new            (SandboxOptions     *opts,
                                              GError            **error);
void           sandbox_server_free           (SandboxServer      *self);
char          *sandbox_server_new_id         (SandboxServer      *self,
                                              guint               n_bytes);
gboolean       sandbox_server_draw_fault     (SandboxServer      *self,
                                              SandboxFault        fault,
                                              double              rate,
                                              const char         *name,
                                              guint               part,
                                              guint               attempt);
char          *sandbox_server_sign           (SandboxServer      *self,
                                              const char         *text);
void           sandbox_server_respond_later  (SandboxServer      *self,
                                              SoupServerMessage  *msg);
gboolean       sandbox_message_is_finished   (SoupServerMessage  *msg);
GBytes        *sandbox_message_get_body      (SoupServerMessage  *msg);
JsonObject    *sandbox_server_build_state    (SandboxServer      *self);
SandboxFile   *sandbox_file_new              (SandboxServer      *self,
                                              SandboxKind         kind,
                                              const char         *id,
                                              const char         *filename,
                                              guint64             filesize,
                                              const char         *owner);
SandboxPart   *sandbox_file_ensure_part      (SandboxFile        *file,
                                              guint               number);
SandboxPart   *sandbox_file_lookup_part      (SandboxFile        *file,
                                              guint               number);
gboolean       sandbox_parse_uint            (const char         *text,
                                              guint64             max,
                                              guint64            *out);

void           sandbox_reply_json            (SoupServerMessage  *msg,
                                              guint               status,
                                              JsonNode           *node);
void           sandbox_reply_object          (SoupServerMessage  *msg,
                                              guint               status,
                                              JsonObject         *object);
void           sandbox_reply_message         (SoupServerMessage  *msg,
                                              guint               status,
                                              const char         *format,
                                              ...) G_GNUC_PRINTF (3, 4);
void           sandbox_reply_s3_error        (SoupServerMessage  *msg,
                                              guint               status,
                                              const char         *code,
                                              const char         *message);
void           sandbox_reply_method_not_allowed (SoupServerMessage *msg,
                                                 const char        *allow);
JsonObject    *sandbox_parse_json_object     (SoupServerMessage  *msg,
                                              GError            **error);

/* sendoff-sandbox-storage.c */
gboolean       sandbox_storage_is_path       (const char         *path);
void           sandbox_storage_got_headers   (SandboxServer      *self,
                                              SoupServerMessage  *msg,
                                              const char         *path);
void           sandbox_storage_got_body      (SandboxServer      *self,
                                              SoupServerMessage  *msg);
void           sandbox_storage_writer_func   (gpointer            data,
                                              gpointer            user_data);
void           sandbox_storage_after_response (SandboxServer     *self,
                                               SoupServerMessage *msg);
char          *sandbox_storage_wt_url        (SandboxServer      *self,
                                              SandboxFile        *file,
                                              guint               part,
                                              gint64              expires_at);
void           sandbox_storage_wl_part       (SandboxServer      *self,
                                              SandboxFile        *file,
                                              guint               part,
                                              JsonObject         *out);
void           sandbox_file_assemble         (SandboxServer      *self,
                                              SandboxFile        *file,
                                              guint               n_parts);

/* sendoff-sandbox-drip.c */
/* Take @msg's connection from the server (its answer set): the answer is
 * written --drip bytes a second from --drip-phase on, or never. */
void           sandbox_drip_answer           (SandboxServer      *self,
                                              SoupServerMessage  *msg);
void           sandbox_stall_answer          (SandboxServer      *self,
                                              SoupServerMessage  *msg);
/* Draws the stall and drip faults of an answer about @name, @part,
 * @attempt; TRUE when one took the answer over. */
gboolean       sandbox_fault_take_answer     (SandboxServer      *self,
                                              SoupServerMessage  *msg,
                                              gboolean            is_put,
                                              const char         *name,
                                              guint               part,
                                              guint               attempt);

/* sendoff-sandbox-wetransfer.c */
gboolean       sandbox_wetransfer_handle     (SandboxServer      *self,
                                              SoupServerMessage  *msg,
                                              const char         *path);

/* sendoff-sandbox-wunderlist.c */
gboolean       sandbox_wunderlist_handle     (SandboxServer      *self,
                                              SoupServerMessage  *msg,
                                              const char         *path);

G_END_DECLS
