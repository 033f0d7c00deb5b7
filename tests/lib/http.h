/* http.h - a small HTTP client for the integration tests (libcurl), plus a raw-socket reader
 * for the event stream. Every request is bounded by TD_TIMEOUT_MS and goes straight to
 * 127.0.0.1 (proxies from the environment are ignored). Functions that "assert" fail the
 * running cmocka test. */
#ifndef VIGIL_TEST_HTTP_H
#define VIGIL_TEST_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct th_req {
    const char *method;          /* NULL: GET */
    const char *path;            /* "/api/v1/me?x=1", sent as is */
    const char *token;           /* Authorization: Bearer TOKEN */
    const char *cookie;          /* Cookie: header value */
    const char *content_type;    /* NULL: application/json when there is a body */
    const char *accept_language; /* Accept-Language: header value */
    const char *last_event_id;   /* Last-Event-ID: header value */
    const char *body;            /* raw bytes, or NULL for no body */
    size_t body_len;             /* 0: strlen(body) */
    int path_as_is;              /* 1: CURLOPT_PATH_AS_IS (no "/../" squashing) */
};

struct th_hdr {
    char *name;
    char *value;
};

struct th_resp {
    long status;
    char *body; /* NUL-terminated (the body may hold other NULs; len is exact) */
    size_t len;
    json_t *json; /* parsed body when the content type is JSON or problem+json, else NULL */
    struct th_hdr *hdr;
    size_t nhdr;
};

/* Sends rq to 127.0.0.1:port. Returns 0 with r filled (free with th_resp_free), or -EIO when
 * no HTTP response came back. */
int th_request(int port, const struct th_req *rq, struct th_resp *r);
void th_resp_free(struct th_resp *r);
/* Value of the response header name (case-insensitive), or NULL. Borrowed from r. */
const char *th_header(const struct th_resp *r, const char *name);
/* The problem "type" of a problem+json response, or "" (borrowed from r). */
const char *th_ptype(const struct th_resp *r);

/* Asserts an application/problem+json answer with this status and type ("/problems/…"),
 * whose body repeats the status. */
void th_assert_problem(const struct th_resp *r, long status, const char *type);

/* Asserting shortcuts: the transport must work; the status is left to the caller. */
void th_get(int port, const char *token, const char *path, struct th_resp *r);
void th_send(int port, const char *method, const char *token, const char *path, const char *json,
             struct th_resp *r);
/* POSTs json (NULL: no body) and returns the status; OUT *out (optional) a new reference to
 * the parsed JSON answer, or NULL. Transport errors fail the test. */
long th_post(int port, const char *token, const char *path, const char *json, json_t **out);

/* GET path (a list) and return its "total"; asserts a 200 with an integer total. */
long long th_total(int port, const char *token, const char *path);

/* POST /api/v1/session. Returns the HTTP status; on 200 copies the token into token. */
long th_login(int port, const char *user, const char *password, char *token, size_t n);
/* Asserting login: a 200 is required. */
void th_login_ok(int port, const char *user, const char *password, char *token, size_t n);

/* Shortcuts for JSON values (NULL/0 when absent or of another type). */
const char *th_jstr(const json_t *obj, const char *key);
long long th_jint(const json_t *obj, const char *key);

/* ---- the event stream over a raw socket (HTTP/1.0: no chunking, EOF ends it) ---- */

struct th_frame {
    long long id; /* -1 without an id: line */
    char event[64];
    char *data; /* the data: line(s) */
};

struct th_sse {
    int fd;
    int eof;
    char content_type[128]; /* of the response head */
    char *buf;              /* bytes after the response headers not yet cut into frames */
    size_t len, cap;
    struct th_frame *frames; /* every frame received so far */
    size_t nframes, frames_cap;
};

/* Connects to GET /api/v1/stream with token and an optional Last-Event-ID and reads the
 * response head. Returns the HTTP status (200 on success) or -errno. */
int th_sse_open(int port, const char *token, const char *last_event_id, struct th_sse *s);
/* Waits (at most timeout_ms) until a frame of type event whose data contains needle (NULL:
 * any) has arrived since the stream opened; returns it (borrowed) or NULL on timeout/EOF. */
const struct th_frame *th_sse_find(struct th_sse *s, const char *event, const char *needle,
                                   int timeout_ms);
/* Waits (at most timeout_ms) for the server to end the stream. Returns 0 at EOF, -ETIMEDOUT. */
int th_sse_wait_eof(struct th_sse *s, int timeout_ms);
void th_sse_close(struct th_sse *s);

#endif
