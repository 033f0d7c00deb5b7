/* http_int.h - request/response types, the route table and helpers shared by the http/ files. */
#ifndef VIGIL_HTTP_INT_H
#define VIGIL_HTTP_INT_H

#include "app/app.h"
#include "core/buf.h"
#include "core/hub.h"
#include "http/http.h"

#include <microhttpd.h>
#include <stdint.h>

enum http_lang { LANG_ZH = 0, LANG_EN = 1 };

struct http_server;

struct http_req {
    struct http_server *srv;
    struct MHD_Connection *conn;
    struct app *app;
    const char *method;
    const char *path;
    int64_t id;       /* the {id} path segment, when the route has one */
    json_t *body;     /* parsed JSON body for routes that take one */
    struct actor who; /* valid when the route needs a permission */
    char token[128];  /* the bearer/cookie token of the request ("" if none) */
    enum http_lang lang;
};

struct http_resp {
    int status;
    char *body; /* heap; NULL = empty */
    size_t len;
    const char *content_type;
    char *set_cookie;         /* heap, optional */
    int retry_after;          /* seconds, 0 = none */
    const char *disposition;  /* Content-Disposition (a static string), optional */
    struct MHD_Response *raw; /* a prepared MHD response (SSE), overrides the rest */
};

/* A handler parses (already done: body/id), calls one app_* function and renders. */
typedef void (*http_handler_fn)(struct http_req *req, struct http_resp *resp);

enum route_auth {
    AUTH_PUBLIC = 0, /* no session needed */
    AUTH_ANY,        /* any valid session or API key */
    AUTH_PERM,       /* requires .perm */
};

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/devices/{id}" */
    enum route_auth auth;
    enum perm perm;
    int body; /* 1: a JSON object body is required */
    http_handler_fn fn;
    const char *name; /* metrics label */
};

extern const struct route http_routes[];
extern const size_t http_nroutes;

/* ---- rendering (render.c) ---- */
/* Sets a JSON body (steals j). */
void http_resp_json(struct http_resp *r, int status, json_t *j);
/* Maps an app error code to a problem+json response (errmap.c: the only such mapping). */
void http_resp_error(struct http_resp *r, const struct http_req *req, int rc,
                     const struct app_err *err);
/* A problem response by slug ("not-found") with an optional detail. */
void http_resp_problem(struct http_resp *r, enum http_lang lang, const char *slug,
                       const char *detail);

/* ---- shared validators (validate.c) ---- */
enum v_type { V_STR, V_INT, V_BOOL, V_OBJ, V_ARR };
struct v_field {
    const char *name;
    enum v_type type;
    int required;
    size_t max_len; /* strings: bytes; 0 = 256 */
};
/* Checks that obj has only known fields of the right types, every required one present and
 * strings within max_len. Returns 0 or -EINVAL with err naming the field. */
int v_object(json_t *obj, const struct v_field *spec, struct app_err *err);
/* Reads ?limit=&offset= into pg (defaults 50/0; limit 1..500). -EINVAL on a bad value. */
int v_page(struct http_req *req, struct page *pg, struct app_err *err);
/* Query argument or NULL. */
const char *v_query(struct http_req *req, const char *key);
/* Optional enum-valued query argument: NULL if absent; -EINVAL if not in list. */
int v_query_enum(struct http_req *req, const char *key, const char *const *list, const char **out,
                 struct app_err *err);
/* Optional positive integer query argument (0 if absent). */
int v_query_id(struct http_req *req, const char *key, int64_t *out, struct app_err *err);

/* ---- server-side pieces ---- */
struct hub *http_server_hub(struct http_server *s);
const struct conf *http_server_conf(struct http_server *s);
/* Metrics (metrics.c). */
struct http_metrics;
struct http_metrics *http_metrics_new(void);
void http_metrics_free(struct http_metrics *m);
void http_metrics_observe(struct http_metrics *m, const char *route, int status, int64_t ns);
struct http_metrics *http_server_metrics(struct http_server *s);
void http_server_metrics_extra(struct http_server *s, struct buf *out);
char *http_metrics_render(struct http_metrics *m, struct app *a, struct hub *hub);

/* Static files (static.c): serves GET/HEAD under web_root, or a 404/400 problem. */
void http_static_serve(struct http_server *s, struct http_req *req, struct http_resp *resp);
const char *http_server_web_root(struct http_server *s);

/* SSE (sse.c). */
void http_sse_open(struct http_req *req, struct http_resp *resp);

/* Renders out with status on rc == 0 (steals out), else the error. */
void http_resp_result(struct http_resp *r, const struct http_req *req, int rc, int status,
                      json_t *out, const struct app_err *err);

#endif
