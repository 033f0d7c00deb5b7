/* load_sse.c - the frame->SSE latency probe of the load generator: signs in as a demo user,
 * follows GET /api/v1/stream (HTTP/1.1, chunked) and matches every `alarm` event to the oldest
 * frame of its account that was sent but not yet seen (a panel's frames are stored, committed
 * and published in the order it sent them). 127.0.0.1 only. */
#define _GNU_SOURCE /* memmem */
#include "bench/load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RAW_CAP (1 << 20)

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int http_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The value of "key":"..." in a JSON text (no escapes expected), or -1. */
static int json_str(const char *json, const char *key, char *out, size_t cap)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(json, pat);
    if (!p)
        return -1;
    p += strlen(pat);
    p += strspn(p, " :");
    if (*p != '"')
        return -1;
    p++;
    size_t n = strcspn(p, "\"");
    if (n >= cap)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* POST /api/v1/session; OUT token. */
static int login(struct load *L, char *token, size_t cap)
{
    int fd = http_connect(L->o.sse_port);
    if (fd < 0)
        return -1;
    char body[256], req[768], resp[8192];
    int bn = snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", L->o.user,
                      L->o.password);
    int rn = snprintf(req, sizeof req,
                      "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/json\r\nContent-Length: %d\r\n"
                      "Connection: close\r\n\r\n%s",
                      bn, body);
    size_t n = 0;
    if (send_all(fd, req, (size_t)rn) == 0) {
        ssize_t r;
        while (n < sizeof resp - 1 && (r = recv(fd, resp + n, sizeof resp - 1 - n, 0)) > 0)
            n += (size_t)r;
    }
    close(fd);
    resp[n] = '\0';
    if (strncmp(resp, "HTTP/1.1 200", 12) != 0 || json_str(resp, "token", token, cap) != 0) {
        fprintf(stderr, "dc09_load: sign-in as %s failed: %.80s\n", L->o.user, resp);
        return -1;
    }
    return 0;
}

/* ---- the stream ---- */

/* Moves de-chunked bytes from raw to text. */
static void dechunk(struct sse *s)
{
    size_t pos = 0;
    while (pos < s->rawlen) {
        if (!s->chunked || s->chunk_left) {
            size_t n = s->rawlen - pos;
            if (s->chunked && n > s->chunk_left)
                n = s->chunk_left;
            if (s->textlen + n > RAW_CAP)
                n = RAW_CAP - s->textlen; /* cannot happen: events are consumed as they come */
            memcpy(s->text + s->textlen, s->raw + pos, n);
            s->textlen += n;
            pos += n;
            if (s->chunked)
                s->chunk_left -= n;
            continue;
        }
        char *eol = memmem(s->raw + pos, s->rawlen - pos, "\r\n", 2);
        if (!eol)
            break;
        size_t line = (size_t)(eol - (s->raw + pos));
        if (line) { /* a chunk size (an empty line ends the previous chunk's data) */
            s->chunk_left = strtoul(s->raw + pos, NULL, 16);
            if (!s->chunk_left)
                s->ended = 1;
        }
        pos += line + 2;
    }
    memmove(s->raw, s->raw + pos, s->rawlen - pos);
    s->rawlen -= pos;
}

static struct panel *panel_of(struct load *L, const char *acct)
{
    size_t pl = strlen(L->o.prefix);
    if (strlen(acct) != pl + 6 || strncmp(acct, L->o.prefix, pl) != 0)
        return NULL;
    unsigned long idx = strtoul(acct + pl + 2, NULL, 16);
    if (idx >= (unsigned long)L->o.panels)
        return NULL;
    return &L->panels[idx];
}

static void on_alarm(struct load *L, const char *json, int64_t now)
{
    char acct[32];
    if (json_str(json, "account", acct, sizeof acct) != 0)
        return;
    struct panel *p = panel_of(L, acct);
    if (!p)
        return; /* another run's account */
    while (p->sse_n && p->sse[p->sse_head].dead) {
        p->sse_head = (p->sse_head + 1) % SSE_MAX;
        p->sse_n--;
    }
    if (!p->sse_n) {
        L->sse.unmatched++;
        return;
    }
    lat_add(&L->sse.lat, now - p->sse[p->sse_head].t);
    p->sse_head = (p->sse_head + 1) % SSE_MAX;
    p->sse_n--;
}

/* One event block: "id: N\nevent: T\ndata: J". */
static void on_event(struct load *L, char *block, int64_t now)
{
    char *ev = strstr(block, "event: ");
    char *data = strstr(block, "data: ");
    if (!ev || !data)
        return;
    L->sse.events++;
    ev += 7;
    if (strncmp(ev, "alarm\n", 6) == 0)
        on_alarm(L, data + 6, now);
    else if (strncmp(ev, "reset\n", 6) == 0)
        L->sse.resets++;
}

static void parse_events(struct load *L, int64_t now)
{
    struct sse *s = &L->sse;
    size_t pos = 0;
    for (;;) {
        char *end = memmem(s->text + pos, s->textlen - pos, "\n\n", 2);
        if (!end)
            break;
        *end = '\0';
        on_event(L, s->text + pos, now);
        pos = (size_t)(end - s->text) + 2;
    }
    memmove(s->text, s->text + pos, s->textlen - pos);
    s->textlen -= pos;
}

void sse_on_readable(struct load *L, int64_t now)
{
    struct sse *s = &L->sse;
    for (;;) {
        ssize_t r = recv(s->fd, s->raw + s->rawlen, RAW_CAP - s->rawlen, 0);
        if (r <= 0) {
            if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                s->ended = 1;
                epoll_ctl(L->ep, EPOLL_CTL_DEL, s->fd, NULL);
            }
            return;
        }
        s->rawlen += (size_t)r;
        now = now_ns();
        dechunk(s);
        parse_events(L, now);
    }
}

/* Reads the response head (and the hello event) in blocking mode. */
static int read_head(struct sse *s)
{
    while (!memmem(s->raw, s->rawlen, "\r\n\r\n", 4)) {
        ssize_t r = recv(s->fd, s->raw + s->rawlen, RAW_CAP - 1 - s->rawlen, 0);
        if (r <= 0)
            return -1;
        s->rawlen += (size_t)r;
        s->raw[s->rawlen] = '\0';
    }
    if (strncmp(s->raw, "HTTP/1.1 200", 12) != 0)
        return -1;
    char *body = strstr(s->raw, "\r\n\r\n") + 4;
    *(body - 2) = '\0';
    s->chunked = strcasestr(s->raw, "transfer-encoding: chunked") != NULL;
    s->rawlen -= (size_t)(body - s->raw);
    memmove(s->raw, body, s->rawlen);
    return 0;
}

int sse_start(struct load *L)
{
    struct sse *s = &L->sse;
    char token[256], req[512];
    if (login(L, token, sizeof token) != 0)
        return -1;
    s->raw = malloc(RAW_CAP);
    s->text = malloc(RAW_CAP + 1);
    s->fd = http_connect(L->o.sse_port);
    int n = snprintf(req, sizeof req,
                     "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Accept: text/event-stream\r\nAuthorization: Bearer %s\r\n\r\n",
                     token);
    if (!s->raw || !s->text || s->fd < 0 || send_all(s->fd, req, (size_t)n) != 0 ||
        read_head(s) != 0) {
        fprintf(stderr, "dc09_load: cannot open the event stream\n");
        return -1;
    }
    fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
    for (int i = 0; i < L->o.panels; i++) {
        L->panels[i].sse = calloc(SSE_MAX, sizeof *L->panels[i].sse);
        if (!L->panels[i].sse)
            return -1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
    epoll_ctl(L->ep, EPOLL_CTL_ADD, s->fd, &ev);
    s->on = 1;
    dechunk(s);
    parse_events(L, now_ns());
    return 0;
}

void sse_expect(struct load *L, struct panel *p, unsigned seq, int64_t t)
{
    if (p->sse_n == SSE_MAX) {
        L->sse.overflow++;
        return;
    }
    struct sse_wait *w = &p->sse[(p->sse_head + p->sse_n) % SSE_MAX];
    w->seq = seq;
    w->t = t;
    w->dead = 0;
    p->sse_n++;
}

void sse_forget(struct panel *p, unsigned seq)
{
    for (int i = 0; i < p->sse_n; i++) {
        struct sse_wait *w = &p->sse[(p->sse_head + i) % SSE_MAX];
        if (w->seq == seq && !w->dead) {
            w->dead = 1;
            return;
        }
    }
}

static uint64_t waiting(struct load *L)
{
    uint64_t n = 0;
    for (int i = 0; i < L->o.panels; i++) {
        struct panel *p = &L->panels[i];
        for (int k = 0; k < p->sse_n; k++)
            n += !p->sse[(p->sse_head + k) % SSE_MAX].dead;
    }
    return n;
}

/* After the load: waits up to 2 s for the events still on their way. */
void sse_drain(struct load *L)
{
    int64_t deadline = now_ns() + 2000000000LL;
    struct epoll_event evs[64];
    while (!L->sse.ended && waiting(L) && now_ns() < deadline) {
        int k = epoll_wait(L->ep, evs, 64, 50);
        for (int i = 0; i < k; i++)
            if (evs[i].data.ptr == &L->sse)
                sse_on_readable(L, now_ns());
    }
    L->sse.missing = waiting(L);
}

void sse_report(struct load *L)
{
    struct sse *s = &L->sse;
    printf("%-10s frame->SSE: %zu alarm events, ms p50 %.3f p90 %.3f p99 %.3f max %.3f; "
           "missing %llu unmatched %llu reset %llu (events seen %llu)\n",
           L->o.label, s->lat.n, lat_pct(&s->lat, 50), lat_pct(&s->lat, 90), lat_pct(&s->lat, 99),
           lat_pct(&s->lat, 100), s->missing, s->unmatched, s->resets, s->events);
}
