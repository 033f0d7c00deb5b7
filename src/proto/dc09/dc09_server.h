/* dc09_server.h - the SIA DC-09 receiver: one event-loop thread owning TCP and UDP sockets on
 * the same port. Frames are parsed and validated on the loop; each good frame becomes one
 * asynchronous store job, and the ACK is written only when that job's transaction has
 * committed (store_submit's done callback wakes the loop through an eventfd). A frame that
 * fails its CRC gets no answer (the panel retries), a malformed one or one outside the time
 * window a NAK, an unsupported one a DUH; a store failure gets no answer either, so the panel
 * retries — never DUH for a transient fault. */
#ifndef VIGIL_DC09_SERVER_H
#define VIGIL_DC09_SERVER_H

#include "app/app.h"

#include <stdint.h>

struct dc09_server;

struct dc09_account {
    char acct[17];
    uint8_t key[32];
    size_t keylen; /* 0 = no encryption configured */
    long heartbeat_s;
    char name[64];
};

/* Parses a "dc09.account" entry ("ACCOUNT [key=K] [heartbeat=S] [name=N]"). Returns 0 or
 * -EINVAL with a message in err. */
int dc09_account_parse(const char *spec, struct dc09_account *out, char *err, size_t errsz);

struct dc09_opts {
    const char *listen;       /* HOST:PORT; port 0 = any free port (TCP and UDP share it) */
    int64_t window_past_ms;   /* timestamps older than this are refused (NAK) */
    int64_t window_future_ms; /* timestamps newer than this are refused (NAK) */
    int max_connections;
    int idle_timeout_ms;
    const struct dc09_account *accounts; /* copied */
    size_t naccounts;
};

/* Binds and starts the loop thread. OUT *out. Returns 0 or a negative errno (message in err). */
int dc09_server_start(struct dc09_server **out, const struct dc09_opts *o, struct app *a, char *err,
                      size_t errsz);
int dc09_server_port(struct dc09_server *s);
/* Stops accepting, waits (bounded) until every submitted frame has been answered, closes all
 * sockets and frees. NULL-safe. Call before the store is closed. */
void dc09_server_stop(struct dc09_server *s);

struct dc09_stats {
    uint64_t frames, acks, naks, duhs, crc_errors, store_failures, duplicates, connections;
};
void dc09_server_stats(struct dc09_server *s, struct dc09_stats *out);

#endif
