/* http.h - the HTTP server: JSON API, SSE stream, metrics and the static console.
 *
 * libmicrohttpd in thread-per-connection mode: each connection has its own thread, so a
 * handler may block on the store and an SSE stream may block on the hub. */
#ifndef VIGIL_HTTP_H
#define VIGIL_HTTP_H

#include "app/app.h"
#include "core/hub.h"

struct http_server;

struct http_opts {
    const char *listen; /* HOST:PORT, port 0 = any free port */
    const char *web_root;
};

/* Starts listening. OUT *out (stop with http_server_stop). Returns 0 or a negative errno
 * with a message in err. a, hub and conf must outlive the server. */
int http_server_start(struct http_server **out, const struct http_opts *o, struct app *a,
                      struct hub *hub, char *err, size_t errsz);
/* Adds lines to /metrics: fn appends Prometheus text to out (called on a request thread). */
struct buf;
void http_server_set_metrics_hook(struct http_server *s, void (*fn)(void *ctx, struct buf *out),
                                  void *ctx);

/* The bound port. */
int http_server_port(struct http_server *s);
/* Stops accepting, lets in-flight requests finish, ends SSE streams, frees. NULL-safe.
 * The hub must have been shut down (hub_shutdown) first so streams return. */
void http_server_stop(struct http_server *s);

#endif
