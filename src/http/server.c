/* server.c - libmicrohttpd glue: body collection with a cap, routing, authentication,
 * permission checks, response headers, request logs and metrics. */
#include "app/auth.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "http/http_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct http_server {
    struct MHD_Daemon *d;
    struct app *app;
    struct hub *hub;
    struct http_metrics *metrics;
    char web_root[PATH_MAX];
    int port;
    MHD_socket quiesced;
    void (*metrics_hook)(void *ctx, struct buf *out);
    void *metrics_ctx;
};

void http_server_set_metrics_hook(struct http_server *s, void (*fn)(void *ctx, struct buf *out),
                                  void *ctx)
{
    s->metrics_hook = fn;
    s->metrics_ctx = ctx;
}

void http_server_metrics_extra(struct http_server *s, struct buf *out)
{
    if (s->metrics_hook)
        s->metrics_hook(s->metrics_ctx, out);
}

struct conn_ctx {
    struct buf body;
    int too_big;
    int64_t t0;
};

struct hub *http_server_hub(struct http_server *s)
{
    return s->hub;
}

const struct conf *http_server_conf(struct http_server *s)
{
    return s->app->conf;
}

struct http_metrics *http_server_metrics(struct http_server *s)
{
    return s->metrics;
}

const char *http_server_web_root(struct http_server *s)
{
    return s->web_root;
}

int http_server_port(struct http_server *s)
{
    return s->port;
}

static enum http_lang pick_lang(struct MHD_Connection *c)
{
    const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    if (!al)
        return LANG_ZH;
    /* The first language listed wins; only en and zh are offered. */
    while (*al == ' ')
        al++;
    return (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N') ? LANG_EN : LANG_ZH;
}

/* Copies the session token from "Authorization: Bearer T" or the vigil_session cookie. */
static void read_token(struct MHD_Connection *c, char *out, size_t n)
{
    out[0] = '\0';
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (h && strncmp(h, "Bearer ", 7) == 0) {
        if (strlen(h + 7) < n)
            snprintf(out, n, "%s", h + 7);
        return;
    }
    const char *ck = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "vigil_session");
    if (ck && strlen(ck) < n)
        snprintf(out, n, "%s", ck);
}

/* Matches pattern against path; "{id}" matches a positive decimal segment into *id. */
static int match(const char *pattern, const char *path, int64_t *id)
{
    while (*pattern && *path) {
        if (strncmp(pattern, "{id}", 4) == 0) {
            const char *end = path;
            int64_t v = 0;
            while (*end >= '0' && *end <= '9' && end - path < 18)
                v = v * 10 + (*end++ - '0');
            if (end == path || (*end && *end != '/') || v <= 0)
                return 0;
            *id = v;
            pattern += 4;
            path = end;
            continue;
        }
        if (*pattern++ != *path++)
            return 0;
    }
    return *pattern == '\0' && *path == '\0';
}

static const struct route *find_route(const char *method, const char *path, int64_t *id,
                                      int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < http_nroutes; i++) {
        if (!match(http_routes[i].pattern, path, id))
            continue;
        *path_known = 1;
        if (strcmp(http_routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(http_routes[i].method, "GET") == 0))
            return &http_routes[i];
    }
    return NULL;
}

static int is_json_type(struct MHD_Connection *c)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!ct)
        return 0;
    size_t n = strlen("application/json");
    return strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';');
}

/* Authentication, permission and body parsing; returns 1 when the handler may run. */
static int prepare(struct http_req *req, const struct route *rt, struct conn_ctx *cx,
                   struct http_resp *resp)
{
    read_token(req->conn, req->token, sizeof req->token);
    if (rt->auth != AUTH_PUBLIC) {
        int rc = req->token[0] ? app_authenticate(req->app, req->token, &req->who) : -EPERM;
        if (rc) {
            http_resp_error(resp, req, rc == -EPERM ? -EPERM : rc, NULL);
            return 0;
        }
        if (rt->auth == AUTH_PERM && !(req->who.perms & PERM_BIT(rt->perm))) {
            http_resp_error(resp, req, -EACCES, NULL);
            return 0;
        }
    }
    if (!rt->body)
        return 1;
    if (cx->too_big) {
        http_resp_problem(resp, req->lang, "payload-too-large", NULL);
        return 0;
    }
    if (!is_json_type(req->conn)) {
        http_resp_problem(resp, req->lang, "unsupported-media-type", NULL);
        return 0;
    }
    json_error_t jerr;
    req->body = json_loadb(cx->body.data ? cx->body.data : "", cx->body.len,
                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!req->body) {
        http_resp_problem(resp, req->lang, "malformed-json", jerr.text);
        return 0;
    }
    if (!json_is_object(req->body)) {
        struct app_err e = {.field = "", .message = "the body must be a JSON object"};
        http_resp_error(resp, req, -EINVAL, &e);
        return 0;
    }
    return 1;
}

static void dispatch(struct http_server *s, struct http_req *req, struct conn_ctx *cx,
                     struct http_resp *resp, const char **route_name)
{
    int is_api = strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/healthz") == 0 ||
                 strcmp(req->path, "/metrics") == 0;
    if (!is_api) {
        *route_name = "static";
        if (cx->too_big)
            http_resp_problem(resp, req->lang, "payload-too-large", NULL);
        else if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
            http_resp_problem(resp, req->lang, "method-not-allowed", NULL);
        else
            http_static_serve(s, req, resp);
        return;
    }
    int known = 0;
    const struct route *rt = find_route(req->method, req->path, &req->id, &known);
    if (!rt) {
        *route_name = "unmatched";
        http_resp_problem(resp, req->lang, known ? "method-not-allowed" : "not-found", NULL);
        return;
    }
    *route_name = rt->name;
    if (prepare(req, rt, cx, resp))
        rt->fn(req, resp);
}

static void add_common_headers(struct MHD_Response *r, int api)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                            "frame-ancestors 'none'");
    /* API answers are never cached; console files are revalidated so an upgrade shows at once. */
    MHD_add_response_header(r, "Cache-Control", api ? "no-store" : "no-cache");
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct http_resp *resp, int api)
{
    struct MHD_Response *r = resp->raw;
    if (!r) {
        r = MHD_create_response_from_buffer(resp->len, resp->body ? resp->body : (char *)"",
                                            resp->body ? MHD_RESPMEM_MUST_FREE
                                                       : MHD_RESPMEM_PERSISTENT);
        resp->body = NULL;
        if (resp->content_type)
            MHD_add_response_header(r, "Content-Type", resp->content_type);
        add_common_headers(r, api);
    }
    if (resp->set_cookie)
        MHD_add_response_header(r, "Set-Cookie", resp->set_cookie);
    if (resp->disposition)
        MHD_add_response_header(r, "Content-Disposition", resp->disposition);
    if (resp->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%d", resp->retry_after);
        MHD_add_response_header(r, "Retry-After", ra);
    }
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct http_server *s = cls;
    struct conn_ctx *cx = *con_cls;
    if (!cx) {
        cx = xcalloc(1, sizeof *cx);
        buf_init(&cx->body, (size_t)s->app->conf->http_max_body);
        cx->t0 = clock_mono_ns();
        *con_cls = cx;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cx->too_big && buf_append(&cx->body, upload_data, *upload_size) != 0) {
            cx->too_big = 1;
            buf_cleanup(&cx->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    struct http_req req = {.srv = s, .conn = c, .app = s->app, .method = method, .path = url};
    req.lang = pick_lang(c);
    struct http_resp resp = {.status = 500};
    const char *route_name = "unmatched";
    if (strlen(url) > 2048)
        http_resp_problem(&resp, req.lang, "bad-path", NULL);
    else
        dispatch(s, &req, cx, &resp, &route_name);
    json_decref(req.body);
    int api = strcmp(route_name, "static") != 0;
    int status = resp.status;
    enum MHD_Result ret = send_resp(c, &resp, api);
    free(resp.body);
    free(resp.set_cookie);
    int64_t ns = clock_mono_ns() - cx->t0;
    http_metrics_observe(s->metrics, route_name, status, ns);
    log_info("http", "request method=%s path=\"%.200s\" route=%s status=%d ms=%.1f actor=%s",
             method, url, route_name, status, (double)ns / 1e6,
             req.who.name[0] ? req.who.name : "-");
    memset(req.token, 0, sizeof req.token);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct conn_ctx *cx = *con_cls;
    if (!cx)
        return;
    buf_cleanup(&cx->body);
    free(cx);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    log_warn("http", "mhd msg=\"%s\"", msg);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sl)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return -EINVAL;
    const char *h = listen;
    size_t hl = (size_t)(colon - listen);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    if (getaddrinfo(hl ? host : NULL, colon + 1, &hints, &res) != 0 || !res)
        return -EINVAL;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *sl = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

int http_server_start(struct http_server **out, const struct http_opts *o, struct app *a,
                      struct hub *hub, char *err, size_t errsz)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    if (parse_listen(o->listen, &ss, &sl)) {
        snprintf(err, errsz, "cannot parse listen address \"%s\" (want HOST:PORT)", o->listen);
        return -EINVAL;
    }
    struct http_server *s = xcalloc(1, sizeof *s);
    s->app = a;
    s->hub = hub;
    s->quiesced = MHD_INVALID_SOCKET;
    if (!realpath(o->web_root, s->web_root)) {
        log_warn("http", "web_root_missing path=\"%s\" msg=\"the console will not be served\"",
                 o->web_root);
        snprintf(s->web_root, sizeof s->web_root, "%s", o->web_root);
    }
    s->metrics = http_metrics_new();
    /* No MHD_OPTION_LISTENING_ADDRESS_REUSE: it sets SO_REUSEPORT, which lets a second vigild
     * bind the same port and take half the connections. MHD's default (SO_REUSEADDR) still
     * allows a prompt restart. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ERROR_LOG | MHD_USE_POLL;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
                            on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)a->conf->http_max_connections,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errsz, "cannot listen on %s: %s", o->listen, strerror(errno));
        http_metrics_free(s->metrics);
        free(s);
        return -EADDRINUSE;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    *out = s;
    return 0;
}

void http_server_stop(struct http_server *s)
{
    if (!s)
        return;
    /* Stop accepting first; MHD_stop_daemon then joins every connection thread, each of which
     * finishes the request it is serving. */
    s->quiesced = MHD_quiesce_daemon(s->d);
    MHD_stop_daemon(s->d);
    if (s->quiesced != MHD_INVALID_SOCKET)
        close(s->quiesced);
    http_metrics_free(s->metrics);
    free(s);
}
