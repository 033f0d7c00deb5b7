/* http.c - libcurl client and raw event-stream reader for the integration tests (http.h). */
#include "lib/http.h"

#include "lib/daemon.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define BODY_MAX (32u << 20)

static void curl_once(void)
{
    static int done;
    if (!done) {
        done = 1;
        assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
        atexit(curl_global_cleanup);
    }
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
    struct th_resp *r = ctx;
    size_t n = size * nmemb;
    if (r->len + n > BODY_MAX)
        return 0; /* aborts the transfer */
    char *b = realloc(r->body, r->len + n + 1);
    if (!b)
        return 0;
    memcpy(b + r->len, p, n);
    r->body = b;
    r->len += n;
    r->body[r->len] = '\0';
    return n;
}

static void headers_clear(struct th_resp *r)
{
    for (size_t i = 0; i < r->nhdr; i++) {
        free(r->hdr[i].name);
        free(r->hdr[i].value);
    }
    free(r->hdr);
    r->hdr = NULL;
    r->nhdr = 0;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ctx)
{
    struct th_resp *r = ctx;
    size_t n = size * nmemb;
    if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        headers_clear(r); /* a new response head (after "100 Continue") */
        return n;
    }
    const char *colon = memchr(p, ':', n);
    if (!colon)
        return n;
    size_t nl = (size_t)(colon - p);
    const char *v = colon + 1, *end = p + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    struct th_hdr *h = realloc(r->hdr, (r->nhdr + 1) * sizeof *h);
    if (!h)
        return 0;
    r->hdr = h;
    r->hdr[r->nhdr].name = strndup(p, nl);
    r->hdr[r->nhdr].value = strndup(v, (size_t)(end - v));
    r->nhdr++;
    return n;
}

const char *th_header(const struct th_resp *r, const char *name)
{
    for (size_t i = 0; i < r->nhdr; i++)
        if (strcasecmp(r->hdr[i].name, name) == 0)
            return r->hdr[i].value;
    return NULL;
}

static int is_json_type(const char *ct)
{
    return ct && (strncasecmp(ct, "application/json", 16) == 0 ||
                  strncasecmp(ct, "application/problem+json", 24) == 0);
}

static struct curl_slist *add_header(struct curl_slist *l, const char *name, const char *value)
{
    if (!value)
        return l;
    char line[4096];
    snprintf(line, sizeof line, "%s:%s%s", name, *value ? " " : "", value);
    struct curl_slist *n = curl_slist_append(l, line);
    assert_non_null(n);
    return n;
}

int th_request(int port, const struct th_req *rq, struct th_resp *r)
{
    curl_once();
    memset(r, 0, sizeof *r);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[4096];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, rq->path);
    const char *method = rq->method ? rq->method : "GET";
    char auth[1024];
    struct curl_slist *h = NULL;
    if (rq->token) {
        snprintf(auth, sizeof auth, "Bearer %s", rq->token);
        h = add_header(h, "Authorization", auth);
    }
    h = add_header(h, "Cookie", rq->cookie);
    h = add_header(h, "Accept-Language", rq->accept_language);
    h = add_header(h, "Last-Event-ID", rq->last_event_id);
    h = add_header(h, "Expect", ""); /* no "100-continue" round trip */
    if (rq->body)
        h = add_header(h, "Content-Type", rq->content_type ? rq->content_type : "application/json");

    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)TD_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, rq->path_as_is ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    if (rq->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(rq->body_len ? rq->body_len : strlen(rq->body)));
    }
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0 && !(strcmp(method, "POST") == 0 && rq->body))
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);

    CURLcode cc = curl_easy_perform(c);
    if (cc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
        const char *ct = th_header(r, "Content-Type");
        if (is_json_type(ct) && r->body)
            r->json = json_loadb(r->body, r->len, 0, NULL);
    } else {
        print_error("%s %s: %s\n", method, rq->path, curl_easy_strerror(cc));
    }
    if (!r->body) {
        r->body = calloc(1, 1);
        assert_non_null(r->body);
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return cc == CURLE_OK ? 0 : -EIO;
}

void th_resp_free(struct th_resp *r)
{
    if (!r)
        return;
    free(r->body);
    json_decref(r->json);
    headers_clear(r);
    memset(r, 0, sizeof *r);
}

const char *th_ptype(const struct th_resp *r)
{
    const char *t = th_jstr(r->json, "type");
    return t ? t : "";
}

void th_assert_problem(const struct th_resp *r, long status, const char *type)
{
    const char *ct = th_header(r, "Content-Type");
    if (r->status != status || !ct || strcmp(ct, "application/problem+json") != 0 ||
        strcmp(th_ptype(r), type) != 0)
        print_error("expected %ld %s, got %ld (%s) %s\n", status, type, r->status,
                    ct ? ct : "no content type", r->body);
    assert_int_equal(r->status, status);
    assert_non_null(ct);
    assert_string_equal(ct, "application/problem+json");
    assert_string_equal(th_ptype(r), type);
    assert_int_equal(th_jint(r->json, "status"), status);
    assert_non_null(th_jstr(r->json, "title"));
}

const char *th_jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

long long th_jint(const json_t *obj, const char *key)
{
    return (long long)json_integer_value(json_object_get(obj, key));
}

void th_get(int port, const char *token, const char *path, struct th_resp *r)
{
    struct th_req rq = {.path = path, .token = token};
    assert_int_equal(th_request(port, &rq, r), 0);
}

void th_send(int port, const char *method, const char *token, const char *path, const char *json,
             struct th_resp *r)
{
    struct th_req rq = {.method = method, .path = path, .token = token, .body = json};
    assert_int_equal(th_request(port, &rq, r), 0);
}

long long th_total(int port, const char *token, const char *path)
{
    struct th_resp r;
    th_get(port, token, path, &r);
    if (r.status != 200)
        print_error("GET %s -> %ld %s\n", path, r.status, r.body);
    assert_int_equal(r.status, 200);
    json_t *t = json_object_get(r.json, "total");
    assert_true(json_is_integer(t));
    long long n = (long long)json_integer_value(t);
    th_resp_free(&r);
    return n;
}

long th_login(int port, const char *user, const char *password, char *token, size_t n)
{
    json_t *in = json_pack("{ss ss}", "username", user, "password", password);
    char *body = json_dumps(in, JSON_COMPACT);
    json_decref(in);
    struct th_resp r;
    struct th_req rq = {.method = "POST", .path = "/api/v1/session", .body = body};
    int rc = th_request(port, &rq, &r);
    free(body);
    assert_int_equal(rc, 0);
    long status = r.status;
    const char *t = th_jstr(r.json, "token");
    if (status == 200 && token) {
        assert_non_null(t);
        assert_true(strlen(t) < n);
        snprintf(token, n, "%s", t);
    }
    th_resp_free(&r);
    return status;
}

void th_login_ok(int port, const char *user, const char *password, char *token, size_t n)
{
    long st = th_login(port, user, password, token, n);
    if (st != 200)
        print_error("login as %s gave %ld\n", user, st);
    assert_int_equal(st, 200);
}

/* ---- event stream ---- */

/* Reads what is available within the deadline into s->buf. 1: got bytes, 0: EOF, -1: timeout. */
static int sse_fill(struct th_sse *s, long long deadline)
{
    if (s->eof)
        return 0;
    long long left = deadline - td_now_ms();
    if (left <= 0)
        return -1;
    struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
    int pr = poll(&pfd, 1, (int)left);
    if (pr < 0 && errno == EINTR)
        return 1;
    if (pr <= 0)
        return -1;
    if (s->len + 4096 + 1 > s->cap) {
        s->cap = (s->len + 4096 + 1) * 2;
        s->buf = realloc(s->buf, s->cap);
        assert_non_null(s->buf);
    }
    ssize_t n = read(s->fd, s->buf + s->len, 4096);
    if (n <= 0) {
        s->eof = 1;
        return 0;
    }
    s->len += (size_t)n;
    s->buf[s->len] = '\0';
    return 1;
}

static void frame_add(struct th_sse *s, const char *text, size_t n)
{
    struct th_frame f = {.id = -1};
    const char *p = text, *end = text + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (ln > 4 && strncmp(p, "id: ", 4) == 0) {
            f.id = strtoll(p + 4, NULL, 10);
        } else if (ln > 7 && strncmp(p, "event: ", 7) == 0) {
            snprintf(f.event, sizeof f.event, "%.*s", (int)(ln - 7), p + 7);
        } else if (ln > 6 && strncmp(p, "data: ", 6) == 0) {
            free(f.data);
            f.data = strndup(p + 6, ln - 6);
        }
        p += ln + 1;
    }
    if (!f.event[0] && !f.data)
        return; /* a comment (": hb") or a bare retry: line */
    if (s->nframes == s->frames_cap) {
        s->frames_cap = s->frames_cap ? s->frames_cap * 2 : 16;
        s->frames = realloc(s->frames, s->frames_cap * sizeof *s->frames);
        assert_non_null(s->frames);
    }
    s->frames[s->nframes++] = f;
}

/* Cuts every complete frame ("\n\n"-terminated) off the front of s->buf. */
static void frames_cut(struct th_sse *s)
{
    size_t start = 0;
    for (;;) {
        char *sep = s->len > start ? strstr(s->buf + start, "\n\n") : NULL;
        if (!sep)
            break;
        size_t n = (size_t)(sep - (s->buf + start));
        frame_add(s, s->buf + start, n);
        start += n + 2;
    }
    memmove(s->buf, s->buf + start, s->len - start);
    s->len -= start;
    s->buf[s->len] = '\0';
}

int th_sse_open(int port, const char *token, const char *last_event_id, struct th_sse *s)
{
    memset(s, 0, sizeof *s);
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->fd < 0)
        return -errno;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s->fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        return -errno;
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "GET /api/v1/stream HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                     "Accept: text/event-stream\r\nAuthorization: Bearer %s\r\n%s%s%s\r\n",
                     token, last_event_id ? "Last-Event-ID: " : "",
                     last_event_id ? last_event_id : "", last_event_id ? "\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof req || write(s->fd, req, (size_t)n) != n)
        return -EIO;
    s->cap = 8192;
    s->buf = malloc(s->cap);
    assert_non_null(s->buf);
    s->buf[0] = '\0';
    long long deadline = td_now_ms() + TD_TIMEOUT_MS;
    char *head_end;
    while (!(head_end = strstr(s->buf, "\r\n\r\n"))) {
        if (sse_fill(s, deadline) <= 0)
            return -ETIMEDOUT;
    }
    int status = 0;
    if (sscanf(s->buf, "HTTP/%*d.%*d %d", &status) != 1)
        return -EPROTO;
    *head_end = '\0';
    for (const char *l = strstr(s->buf, "\r\n"); l; l = strstr(l + 2, "\r\n")) {
        if (strncasecmp(l + 2, "Content-Type:", 13) == 0) {
            const char *v = l + 15, *e = strstr(v, "\r\n");
            while (*v == ' ')
                v++;
            snprintf(s->content_type, sizeof s->content_type, "%.*s",
                     (int)(e ? e - v : (long)strlen(v)), v);
        }
    }
    size_t used = (size_t)(head_end + 4 - s->buf);
    memmove(s->buf, s->buf + used, s->len - used);
    s->len -= used;
    s->buf[s->len] = '\0';
    frames_cut(s);
    return status;
}

static const struct th_frame *find_frame(const struct th_sse *s, const char *event,
                                         const char *needle)
{
    for (size_t i = 0; i < s->nframes; i++) {
        const struct th_frame *f = &s->frames[i];
        if (strcmp(f->event, event) == 0 && (!needle || (f->data && strstr(f->data, needle))))
            return f;
    }
    return NULL;
}

const struct th_frame *th_sse_find(struct th_sse *s, const char *event, const char *needle,
                                   int timeout_ms)
{
    long long deadline = td_now_ms() + timeout_ms;
    for (;;) {
        const struct th_frame *f = find_frame(s, event, needle);
        if (f)
            return f;
        if (sse_fill(s, deadline) <= 0)
            return NULL;
        frames_cut(s);
    }
}

int th_sse_wait_eof(struct th_sse *s, int timeout_ms)
{
    long long deadline = td_now_ms() + timeout_ms;
    for (;;) {
        int rc = sse_fill(s, deadline);
        if (rc == 0)
            return 0;
        if (rc < 0)
            return -ETIMEDOUT;
        frames_cut(s);
    }
}

void th_sse_close(struct th_sse *s)
{
    if (!s)
        return;
    if (s->fd > 0)
        close(s->fd);
    for (size_t i = 0; i < s->nframes; i++)
        free(s->frames[i].data);
    free(s->frames);
    free(s->buf);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

long th_post(int port, const char *token, const char *path, const char *json, json_t **out)
{
    struct th_resp r;
    th_send(port, "POST", token, path, json, &r);
    long st = r.status;
    if (out)
        *out = r.json ? json_incref(r.json) : NULL;
    th_resp_free(&r);
    return st;
}
