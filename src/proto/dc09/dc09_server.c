/* dc09_server.c - session glue for SIA DC-09: sockets, framing (LF … CR, capped), replies.
 * Everything about the bytes themselves is in the pure parsers (dc09_parse.c, sia.c, cid.c). */
#define _GNU_SOURCE /* accept4 */
#include "proto/dc09/dc09_server.h"

#include "app/alarm.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "proto/dc09/dc09.h"

#include "core/thread.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define IN_CAP (2 * DC09_MAX_FRAME) /* a frame plus the start of the next */
#define OUT_CAP 65536               /* replies a slow peer has not read yet */
#define MAX_PENDING 256             /* frames of one connection awaiting their commit */
#define REPLY_MAX 512
#define UDP_RCVBUF (4 << 20) /* bytes */

struct conn {
    int fd;
    struct buf in, out;
    size_t out_off;
    int pending;     /* jobs in flight for this connection */
    int closed;      /* the socket is gone; freed by reap() once pending is 0 */
    int paused;      /* reading stopped until replies drain (back-pressure) */
    uint32_t events; /* the epoll interest set registered now */
    int64_t last_rx;
    size_t slot;             /* index in srv->conns */
    struct conn *flush_next; /* on srv->flushq: replies appended, not sent yet */
    int queued;              /* 1 while on srv->flushq */
    char peer[64];
};

/* One frame: what its ACK needs and the alarms it carries. */
struct dc09_job {
    int rc;            /* after the commit: 0 stored (ACK), else no answer */
    struct conn *conn; /* NULL for UDP */
    struct sockaddr_storage peer;
    socklen_t peerlen;
    struct dc09_frame req; /* addressing to echo (body pointers cleared) */
    const struct dc09_account *acct;
    int n;
    struct alarm_in in[SIA_MAX_EVENTS];
    struct dc09_job *next;
};

/* The frames parsed in one pass of the event loop, stored by ONE store job: one SAVEPOINT and one
 * completion for all of them instead of one each. */
struct dc09_batch {
    struct store_job sj;
    struct dc09_server *srv;
    struct dc09_job *head, *tail;
    int n;
};
#define BATCH_MAX 512 /* frames per store job */

struct dc09_server {
    struct app *app;
    struct dc09_opts o;
    struct dc09_account *accounts;
    int epfd, tcp_fd, udp_fd, evfd;
    int port;
    pthread_t thr;
    atomic_int stop;
    pthread_mutex_t cq_mu;
    struct dc09_job *cq_head, *cq_tail;
    struct dc09_batch *batch; /* frames parsed in this pass, not yet submitted (loop thread) */
    struct dc09_job *spare;   /* finished jobs kept for reuse (loop thread only) */
    size_t nspare;
    atomic_int inflight;
    struct conn **conns;
    size_t nconns, conns_alloc;
    int reap; /* a closed connection may be ready to free */
    /* While completions are drained: replies are appended and each connection is sent once,
     * after the whole drain (one send per connection per pass, not one per ACK). */
    int defer_flush;
    struct conn *flushq;
    uint32_t pad_seed;
    struct dc09_stats st;
    pthread_mutex_t st_mu;
};

/* ---- accounts ---- */

int dc09_account_parse(const char *spec, struct dc09_account *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    size_t n = strcspn(spec, " \t");
    if (n < 3 || n >= sizeof out->acct) {
        snprintf(err, errsz, "account \"%.*s\": 3 to 16 hex digits", (int)(n < 20 ? n : 20), spec);
        return -EINVAL;
    }
    memcpy(out->acct, spec, n);
    for (char *p = out->acct; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    for (const char *p = spec + n; *p;) {
        p += strspn(p, " \t");
        size_t m = strcspn(p, " \t");
        char tok[CONF_STR_MAX];
        if (!m)
            break;
        snprintf(tok, sizeof tok, "%.*s", (int)m, p);
        p += m;
        if (strncmp(tok, "key=", 4) == 0) {
            if (dc09_key_parse(tok + 4, out->key, &out->keylen)) {
                snprintf(err, errsz,
                         "account %s: key must be 32/48/64 hex digits or 16/24/32 characters",
                         out->acct);
                return -EINVAL;
            }
        } else if (strncmp(tok, "heartbeat=", 10) == 0) {
            char *end;
            out->heartbeat_s = strtol(tok + 10, &end, 10);
            if (*end || out->heartbeat_s < 0 || out->heartbeat_s > 86400 * 7) {
                snprintf(err, errsz, "account %s: heartbeat must be 0..604800 seconds", out->acct);
                return -EINVAL;
            }
        } else if (strncmp(tok, "name=", 5) == 0) {
            snprintf(out->name, sizeof out->name, "%.63s", tok + 5);
        } else {
            snprintf(err, errsz, "account %s: unknown option \"%.32s\"", out->acct, tok);
            return -EINVAL;
        }
    }
    return 0;
}

static const struct dc09_account *find_account(struct dc09_server *s, const char *acct)
{
    for (size_t i = 0; i < s->o.naccounts; i++)
        if (strcasecmp(s->accounts[i].acct, acct) == 0)
            return &s->accounts[i];
    return NULL;
}

/* ---- stats ---- */

#define STAT(s, field)                                                                             \
    (pthread_mutex_lock(&(s)->st_mu), (s)->st.field++, pthread_mutex_unlock(&(s)->st_mu))

void dc09_server_stats(struct dc09_server *s, struct dc09_stats *out)
{
    pthread_mutex_lock(&s->st_mu);
    *out = s->st;
    pthread_mutex_unlock(&s->st_mu);
}

/* ---- connections ---- */

static void conn_free(struct dc09_server *s, struct conn *c)
{
    s->conns[c->slot] = s->conns[--s->nconns];
    s->conns[c->slot]->slot = c->slot;
    buf_cleanup(&c->in);
    buf_cleanup(&c->out);
    free(c);
}

/* Closes the socket. The struct stays until reap(): callers up the stack (and the rest of the
 * epoll batch) may still hold c. */
static void conn_close(struct dc09_server *s, struct conn *c)
{
    if (!c->closed) {
        epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->closed = 1;
    }
    s->reap = 1;
}

/* Between event batches: frees the closed connections no job refers to any more. */
static void reap(struct dc09_server *s)
{
    s->reap = 0;
    for (size_t i = 0; i < s->nconns;) {
        struct conn *c = s->conns[i];
        if (c->closed && c->pending == 0)
            conn_free(s, c); /* the slot now holds another connection */
        else
            i++;
    }
}

/* Updates the epoll interest set; no system call when it is unchanged (the common case: every
 * reply is flushed at once, and this runs after each). */
static void conn_events(struct dc09_server *s, struct conn *c)
{
    struct epoll_event ev = {.data.ptr = c};
    ev.events = (c->paused ? 0 : EPOLLIN) | EPOLLRDHUP | (c->out.len > c->out_off ? EPOLLOUT : 0);
    if (ev.events == c->events)
        return;
    c->events = ev.events;
    epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void conn_flush(struct dc09_server *s, struct conn *c)
{
    while (c->out.len > c->out_off) {
        ssize_t w = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
        if (w > 0) {
            c->out_off += (size_t)w;
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        conn_close(s, c);
        return;
    }
    if (c->out_off == c->out.len) {
        buf_reset(&c->out);
        c->out_off = 0;
    }
    conn_events(s, c);
}

/* Sends one reply to a TCP connection or a UDP peer. */
static void send_reply(struct dc09_server *s, struct conn *c, const struct sockaddr_storage *peer,
                       socklen_t peerlen, const char *r, size_t n)
{
    if (!c) {
        sendto(s->udp_fd, r, n, MSG_NOSIGNAL, (const struct sockaddr *)peer, peerlen);
        return;
    }
    if (c->closed)
        return;
    if (buf_append(&c->out, r, n) != 0) { /* the peer stopped reading its replies */
        conn_close(s, c);
        return;
    }
    if (!s->defer_flush) {
        conn_flush(s, c);
    } else if (!c->queued) {
        c->queued = 1;
        c->flush_next = s->flushq;
        s->flushq = c;
    }
}

/* Sends what the drain appended: one send per connection. */
static void flush_queued(struct dc09_server *s)
{
    while (s->flushq) {
        struct conn *c = s->flushq;
        s->flushq = c->flush_next;
        c->queued = 0;
        if (!c->closed)
            conn_flush(s, c);
    }
}

static void reply(struct dc09_server *s, struct conn *c, const struct sockaddr_storage *peer,
                  socklen_t peerlen, enum dc09_token tok, const struct dc09_frame *req,
                  const struct dc09_account *acct)
{
    char out[REPLY_MAX];
    int enc = req && req->encrypted && acct && acct->keylen;
    int n = dc09_reply_build(out, sizeof out, tok, req, clock_now_ms(), enc ? acct->key : NULL,
                             enc ? acct->keylen : 0, s->pad_seed++);
    if (n > 0)
        send_reply(s, c, peer, peerlen, out, (size_t)n);
    if (tok == DC09_TOK_ACK)
        STAT(s, acks);
    else if (tok == DC09_TOK_NAK)
        STAT(s, naks);
    else
        STAT(s, duhs);
}

/* ---- from frame to alarm ---- */

static void fill_common(struct alarm_in *a, const struct dc09_frame *f, const char *proto,
                        const char *src)
{
    memset(a, 0, sizeof *a);
    a->protocol = proto;
    /* Accounts are hex: one spelling (upper case) so "5eed" and "5EED" are one panel for
     * supervision, dedup and mapping. */
    snprintf(a->account, sizeof a->account, "%s", f->acct);
    for (char *p = a->account; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    snprintf(a->receiver, sizeof a->receiver, "%s", f->rcvr);
    snprintf(a->line, sizeof a->line, "%s", f->line);
    a->seq = (int64_t)f->seq;
    a->event_time = f->body.has_time ? f->body.time_ms : 0;
    snprintf(a->source, sizeof a->source, "%s", src);
}

static void digest(struct alarm_in *a, const struct dc09_frame *f, int index)
{
    char content[DC09_MAX_FRAME + 64];
    int n = snprintf(content, sizeof content, "%d|%s|%d|%.*s", (int)f->token, f->acct, index,
                     (int)f->body.data_len, f->body.data);
    alarm_set_digest(a, content, n > 0 && (size_t)n < sizeof content ? (size_t)n : 0);
}

/* Fills j->in from the frame. Returns 0, or the token to answer with instead (NAK/DUH). */
static enum dc09_token build_alarms(struct dc09_job *j, const struct dc09_frame *f, const char *src)
{
    if (f->token == DC09_TOK_NULL) {
        fill_common(&j->in[0], f, "NULL", src);
        j->in[0].kind = ALARM_SUPERVISION;
        snprintf(j->in[0].code, sizeof j->in[0].code, "NULL");
        j->n = 1;
        return 0;
    }
    if (f->token == DC09_TOK_ADM_CID) {
        struct cid_event ev;
        if (cid_parse_dc09(f->body.data, f->body.data_len, &ev))
            return DC09_TOK_NAK;
        struct alarm_in *a = &j->in[0];
        fill_common(a, f, "ADM-CID", src);
        const char *type;
        alarm_classify_cid(ev.qualifier, ev.code, &a->kind, &type);
        snprintf(a->code_type, sizeof a->code_type, "%s", type);
        snprintf(a->code, sizeof a->code, "%03u", ev.code);
        snprintf(a->zone, sizeof a->zone, "%03u", ev.zone);
        snprintf(a->partition, sizeof a->partition, "%02u", ev.group);
        digest(a, f, 0);
        j->n = 1;
        return 0;
    }
    struct sia_payload p;
    if (sia_parse(f->body.data, f->body.data_len, &p) || p.n == 0)
        return DC09_TOK_NAK;
    for (int i = 0; i < p.n; i++) {
        struct alarm_in *a = &j->in[i];
        fill_common(a, f, "SIA-DCS", src);
        const char *type;
        if (alarm_classify_sia(p.ev[i].code, &a->kind, &type))
            return DC09_TOK_DUH; /* an event code we do not know: "cannot process" */
        snprintf(a->code_type, sizeof a->code_type, "%s", type);
        snprintf(a->code, sizeof a->code, "%s", p.ev[i].code);
        snprintf(a->zone, sizeof a->zone, "%s", p.ev[i].zone);
        snprintf(a->partition, sizeof a->partition, "%s", p.ev[i].area);
        snprintf(a->text, sizeof a->text, "%s", p.ev[i].text);
        digest(a, f, i);
    }
    j->n = p.n;
    return 0;
}

static int job_run(struct store_conn *c, void *arg)
{
    struct dc09_job *j = arg;
    int64_t now = clock_now_ms();
    for (int i = 0; i < j->n; i++) {
        struct alarm_result r;
        int rc = alarm_ingest(c, &j->in[i], now, &r);
        if (rc)
            return rc;
    }
    return 0;
}

static int frames_run(struct store_conn *c, void *arg)
{
    struct dc09_batch *b = arg;
    for (struct dc09_job *j = b->head; j; j = j->next) {
        int rc = job_run(c, j);
        if (rc)
            return rc;
    }
    return 0;
}

/* Writer thread: every frame of the batch in one savepoint; if one of them fails, each frame in
 * a savepoint of its own, so only the failing one goes unanswered (the panel sends it again). */
static int batch_run(struct store_conn *c, void *arg)
{
    struct dc09_batch *b = arg;
    int rc = b->n > 1 ? store_nested(c, frames_run, b) : -1;
    for (struct dc09_job *j = b->head; j; j = j->next)
        j->rc = rc >= 0 ? 0 : store_nested(c, job_run, j);
    return 0;
}

/* Hands frames (a list ending at tail) to the loop: one lock and at most one wake-up. */
static void complete(struct dc09_server *s, struct dc09_job *head, struct dc09_job *tail)
{
    pthread_mutex_lock(&s->cq_mu);
    int was_empty = !s->cq_head;
    if (s->cq_tail)
        s->cq_tail->next = head;
    else
        s->cq_head = head;
    s->cq_tail = tail;
    /* One wake-up per non-empty queue: the loop takes the whole queue each time it wakes, so a
     * queue that was not empty already has a wake-up pending. Written under the lock: once the
     * loop has answered the last frame it may stop and free s, and dc09_server_stop takes this
     * lock before it does, so no completion is still touching s then. */
    if (was_empty) {
        uint64_t one = 1;
        ssize_t w = write(s->evfd, &one, sizeof one);
        (void)w;
    }
    pthread_mutex_unlock(&s->cq_mu);
}

/* WAL sync thread, once the commit is on disk (or it failed): a failed commit or fsync fails
 * every frame. */
static void batch_done(struct store_job *sj)
{
    struct dc09_batch *b = (struct dc09_batch *)sj;
    for (struct dc09_job *j = b->head; j; j = j->next)
        if (sj->rc < 0)
            j->rc = sj->rc;
    complete(b->srv, b->head, b->tail);
    free(b);
}

/* Loop thread: submits the frames gathered so far as one store job. */
static void batch_flush(struct dc09_server *s)
{
    struct dc09_batch *b = s->batch;
    if (!b)
        return;
    s->batch = NULL;
    b->sj.fn = batch_run;
    b->sj.arg = b;
    b->sj.done = batch_done;
    if (store_submit(s->app->st, &b->sj) != 0) {
        b->sj.rc = -ESHUTDOWN;
        batch_done(&b->sj);
    }
}

static void batch_add(struct dc09_server *s, struct dc09_job *j)
{
    if (!s->batch) {
        s->batch = xcalloc(1, sizeof *s->batch);
        s->batch->srv = s;
    }
    struct dc09_batch *b = s->batch;
    j->next = NULL;
    if (b->tail)
        b->tail->next = j;
    else
        b->head = j;
    b->tail = j;
    if (++b->n >= BATCH_MAX)
        batch_flush(s);
}

/* Checks time, key and token; returns 0 when the frame may be stored, else the reply token
 * (0 with *silent set for a CRC error). */
static enum dc09_token validate(struct dc09_server *s, struct dc09_frame *f, char *plain,
                                size_t cap, const struct dc09_account **acct)
{
    *acct = find_account(s, f->acct);
    if (f->token == DC09_TOK_OTHER || f->token == DC09_TOK_ACK || f->token == DC09_TOK_NAK ||
        f->token == DC09_TOK_DUH || f->token == DC09_TOK_RSP)
        return DC09_TOK_DUH;
    if (f->encrypted) {
        if (!*acct || !(*acct)->keylen ||
            dc09_decrypt(f, (*acct)->key, (*acct)->keylen, plain, cap) != 0)
            return DC09_TOK_NAK;
        if (!f->body.has_time)
            return DC09_TOK_NAK; /* the timestamp is mandatory when encrypted */
    } else if (*acct && (*acct)->keylen) {
        return DC09_TOK_NAK; /* this account must encrypt */
    }
    if (f->body.has_time) {
        int64_t d = f->body.time_ms - clock_now_ms();
        if (d > s->o.window_future_ms || -d > s->o.window_past_ms)
            return DC09_TOK_NAK;
    }
    if (!f->acct[0] && f->token != DC09_TOK_NULL)
        return DC09_TOK_NAK;
    return 0;
}

/* Jobs are a few KiB each and made at the frame rate: reuse them instead of going through
 * malloc's large-chunk paths every time (both ends run on the loop thread). */
#define MAX_SPARE 4096

static struct dc09_job *job_get(struct dc09_server *s)
{
    struct dc09_job *j = s->spare;
    if (!j)
        return xcalloc(1, sizeof *j);
    s->spare = j->next;
    s->nspare--;
    memset(j, 0, sizeof *j);
    return j;
}

static void job_put(struct dc09_server *s, struct dc09_job *j)
{
    if (s->nspare >= MAX_SPARE) {
        free(j);
        return;
    }
    j->next = s->spare;
    s->spare = j;
    s->nspare++;
}

static void handle_frame(struct dc09_server *s, struct conn *c, const struct sockaddr_storage *peer,
                         socklen_t peerlen, const char *buf, size_t len)
{
    STAT(s, frames);
    struct dc09_frame f;
    int rc = dc09_frame_parse(buf, len, &f);
    if (rc == DC09_E_CRC) {
        STAT(s, crc_errors); /* no answer: the panel retries */
        return;
    }
    if (rc) {
        reply(s, c, peer, peerlen, DC09_TOK_NAK, NULL, NULL);
        return;
    }
    char plain[DC09_MAX_FRAME];
    const struct dc09_account *acct;
    enum dc09_token bad = validate(s, &f, plain, sizeof plain, &acct);
    if (bad) {
        reply(s, c, peer, peerlen, bad, bad == DC09_TOK_NAK ? NULL : &f, acct);
        return;
    }
    if (f.token == DC09_TOK_NULL && !f.acct[0]) {
        reply(s, c, peer, peerlen, DC09_TOK_ACK, &f, acct); /* nothing to supervise */
        return;
    }
    struct dc09_job *j = job_get(s);
    char src[80];
    snprintf(src, sizeof src, "dc09-%s:%s", c ? "tcp" : "udp", c ? c->peer : "udp");
    bad = build_alarms(j, &f, src);
    if (bad) {
        job_put(s, j);
        reply(s, c, peer, peerlen, bad, bad == DC09_TOK_NAK ? NULL : &f, acct);
        return;
    }
    j->conn = c;
    if (peer)
        memcpy(&j->peer, peer, peerlen);
    j->peerlen = peerlen;
    j->req = f;
    j->req.body.data = NULL;
    j->req.body.data_len = 0;
    j->req.body.next = 0;
    j->req.cipher = NULL;
    j->acct = acct;
    atomic_fetch_add(&s->inflight, 1);
    if (c && ++c->pending >= MAX_PENDING && !c->paused) {
        c->paused = 1;
        conn_events(s, c);
    }
    batch_add(s, j);
}

/* Writes the answers of committed (or failed) jobs. */
static void drain_completions(struct dc09_server *s)
{
    uint64_t v;
    ssize_t r = read(s->evfd, &v, sizeof v);
    (void)r;
    pthread_mutex_lock(&s->cq_mu);
    struct dc09_job *j = s->cq_head;
    s->cq_head = s->cq_tail = NULL;
    pthread_mutex_unlock(&s->cq_mu);
    s->defer_flush = 1;
    while (j) {
        struct dc09_job *next = j->next;
        struct conn *c = j->conn;
        if (j->rc == 0) {
            reply(s, c, &j->peer, j->peerlen, DC09_TOK_ACK, &j->req, j->acct);
        } else {
            /* No answer: the panel keeps the event and sends it again. */
            STAT(s, store_failures);
            log_warn("dc09", "store_failed rc=%d account=%s seq=%u action=no_ack", j->rc,
                     j->req.acct, j->req.seq);
        }
        if (c) {
            c->pending--;
            if (c->closed && c->pending == 0) {
                s->reap = 1;
            } else if (c->paused && c->pending < MAX_PENDING / 2 && !c->closed) {
                c->paused = 0;
                conn_events(s, c);
            }
        }
        atomic_fetch_sub(&s->inflight, 1);
        job_put(s, j);
        j = next;
    }
    s->defer_flush = 0;
    flush_queued(s);
}

/* Splits c->in into LF…CR frames. Bytes outside frames are dropped; an LF without a CR within
 * DC09_MAX_FRAME is dropped with its frame. */
static void extract_frames(struct dc09_server *s, struct conn *c)
{
    size_t pos = 0;
    while (pos < c->in.len && !c->closed) {
        const char *lf = memchr(c->in.data + pos, '\n', c->in.len - pos);
        if (!lf) {
            pos = c->in.len;
            break;
        }
        size_t start = (size_t)(lf - c->in.data) + 1;
        size_t avail = c->in.len - start;
        size_t look = avail < DC09_MAX_FRAME ? avail : DC09_MAX_FRAME;
        const char *cr = memchr(c->in.data + start, '\r', look);
        if (!cr) {
            if (avail >= DC09_MAX_FRAME) {
                pos = start; /* too long: resynchronise on the next LF */
                reply(s, c, NULL, 0, DC09_TOK_NAK, NULL, NULL);
                continue;
            }
            pos = start - 1; /* keep the partial frame */
            break;
        }
        size_t flen = (size_t)(cr - (c->in.data + start));
        handle_frame(s, c, NULL, 0, c->in.data + start, flen);
        pos = start + flen + 1;
    }
    if (c->closed)
        return;
    size_t rest = c->in.len - pos;
    memmove(c->in.data, c->in.data + pos, rest);
    c->in.len = rest;
    c->in.data[rest] = '\0';
}

static void on_readable(struct dc09_server *s, struct conn *c)
{
    char tmp[16384];
    for (int rounds = 0; rounds < 4 && !c->closed && !c->paused; rounds++) {
        ssize_t r = recv(c->fd, tmp, sizeof tmp, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            conn_close(s, c);
            return;
        }
        if (r < 0)
            return;
        c->last_rx = clock_mono_ms();
        size_t off = 0;
        while (off < (size_t)r && !c->closed) {
            size_t room = c->in.cap - c->in.len;
            size_t n = (size_t)r - off < room ? (size_t)r - off : room;
            buf_append(&c->in, tmp + off, n);
            off += n;
            extract_frames(s, c);
            if (!c->closed && c->in.len == c->in.cap)
                buf_reset(&c->in); /* cannot happen with a frame cap below IN_CAP */
        }
        if ((size_t)r < sizeof tmp)
            break; /* drained: saves the recv that would say EAGAIN (epoll is level-triggered) */
    }
}

static void on_accept(struct dc09_server *s)
{
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept4(s->tcp_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        if (s->nconns >= (size_t)s->o.max_connections) {
            close(fd);
            continue;
        }
        struct conn *c = xcalloc(1, sizeof *c);
        c->fd = fd;
        buf_init(&c->in, IN_CAP);
        buf_init(&c->out, OUT_CAP);
        c->last_rx = clock_mono_ms();
        char host[48] = "?", port[8] = "?";
        getnameinfo((struct sockaddr *)&ss, sl, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV);
        snprintf(c->peer, sizeof c->peer, "%s:%s", host, port);
        if (s->nconns == s->conns_alloc) {
            s->conns_alloc = s->conns_alloc ? s->conns_alloc * 2 : 64;
            s->conns = xrealloc(s->conns, s->conns_alloc * sizeof *s->conns);
        }
        c->slot = s->nconns;
        s->conns[s->nconns++] = c;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
        c->events = ev.events;
        epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev);
        STAT(s, connections);
    }
}

static void on_udp(struct dc09_server *s)
{
    char buf[DC09_MAX_FRAME + 2];
    for (int i = 0; i < 256; i++) {
        struct sockaddr_storage peer;
        socklen_t pl = sizeof peer;
        ssize_t r = recvfrom(s->udp_fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &pl);
        if (r <= 0)
            return;
        /* One datagram, one frame: LF … CR (tolerate a missing LF or CR). */
        size_t a = 0, b = (size_t)r;
        if (b && buf[0] == '\n')
            a = 1;
        if (b > a && buf[b - 1] == '\r')
            b--;
        handle_frame(s, NULL, &peer, pl, buf + a, b - a);
    }
}

/* Closes connections idle longer than the timeout (this also ends half-sent frames). */
static void sweep(struct dc09_server *s)
{
    int64_t now = clock_mono_ms();
    for (size_t i = 0; i < s->nconns; i++) {
        struct conn *c = s->conns[i];
        if (!c->closed && now - c->last_rx > s->o.idle_timeout_ms)
            conn_close(s, c);
    }
}

static void *loop_main(void *arg)
{
    struct dc09_server *s = arg;
    thread_name_set("vigil-dc09");
    struct epoll_event evs[256];
    int64_t last_sweep = clock_mono_ms(), stop_at = 0;
    for (;;) {
        int stopping = atomic_load(&s->stop);
        if (stopping && !stop_at) {
            stop_at = clock_mono_ms();
            epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->tcp_fd, NULL);
            epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->udp_fd, NULL);
        }
        /* On stop: answer every frame already submitted, then leave. The writer finishes every
         * queued job (failing ones fail fast), so this ends; leaving earlier would let a late
         * completion touch freed memory. */
        if (stopping && atomic_load(&s->inflight) == 0)
            break;
        int n = epoll_wait(s->epfd, evs, 256, 200);
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == &s->tcp_fd) {
                on_accept(s);
            } else if (p == &s->udp_fd) {
                on_udp(s);
            } else if (p == &s->evfd) {
                drain_completions(s);
            } else {
                struct conn *c = p;
                if (c->closed)
                    continue;
                if (evs[i].events & EPOLLOUT)
                    conn_flush(s, c);
                if (!c->closed && (evs[i].events & EPOLLIN))
                    on_readable(s, c);
                if (!c->closed && (evs[i].events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) &&
                    !(evs[i].events & EPOLLIN))
                    conn_close(s, c);
            }
        }
        batch_flush(s); /* everything this pass parsed: one store job */
        if (clock_mono_ms() - last_sweep >= 1000) {
            sweep(s);
            last_sweep = clock_mono_ms();
        }
        if (s->reap)
            reap(s);
    }
    return NULL;
}

/* ---- start / stop ---- */

static int bind_pair(struct dc09_server *s, const struct addrinfo *ai, char *err, size_t errsz)
{
    /* Port 0: take the TCP port the kernel picks and bind UDP to the same one; retry if that
     * UDP port happens to be taken. */
    for (int attempt = 0; attempt < 20; attempt++) {
        s->tcp_fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(s->tcp_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        struct sockaddr_storage ss;
        memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
        if (bind(s->tcp_fd, (struct sockaddr *)&ss, ai->ai_addrlen) != 0 ||
            listen(s->tcp_fd, 1024) != 0) {
            snprintf(err, errsz, "cannot listen (TCP): %s", strerror(errno));
            return -errno;
        }
        socklen_t sl = sizeof ss;
        getsockname(s->tcp_fd, (struct sockaddr *)&ss, &sl);
        s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
        s->udp_fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        /* The default receive buffer (~200 small datagrams) overflows when many panels send at
         * once while the loop is busy; a dropped datagram costs the panel a retry timeout. The
         * kernel caps this at net.core.rmem_max. */
        int rcvbuf = UDP_RCVBUF;
        setsockopt(s->udp_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        if (bind(s->udp_fd, (struct sockaddr *)&ss, sl) == 0)
            return 0;
        int e = errno;
        close(s->udp_fd);
        close(s->tcp_fd);
        s->udp_fd = s->tcp_fd = -1;
        int requested = ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port);
        if (requested != 0) {
            snprintf(err, errsz, "cannot bind UDP port %d: %s", s->port, strerror(e));
            return -e;
        }
    }
    snprintf(err, errsz, "no port free for both TCP and UDP");
    return -EADDRINUSE;
}

static int resolve(const char *listen, struct addrinfo **res)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return -EINVAL;
    size_t hl = (size_t)(colon - listen);
    const char *h = listen;
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    return getaddrinfo(hl ? host : NULL, colon + 1, &hints, res) == 0 ? 0 : -EINVAL;
}

int dc09_server_start(struct dc09_server **out, const struct dc09_opts *o, struct app *a, char *err,
                      size_t errsz)
{
    struct addrinfo *ai = NULL;
    if (resolve(o->listen, &ai)) {
        snprintf(err, errsz, "cannot parse DC-09 address \"%s\" (want HOST:PORT)", o->listen);
        return -EINVAL;
    }
    struct dc09_server *s = xcalloc(1, sizeof *s);
    s->app = a;
    s->o = *o;
    s->accounts = xcalloc(o->naccounts ? o->naccounts : 1, sizeof *s->accounts);
    if (o->naccounts)
        memcpy(s->accounts, o->accounts, o->naccounts * sizeof *s->accounts);
    s->o.accounts = s->accounts;
    s->tcp_fd = s->udp_fd = s->epfd = s->evfd = -1;
    pthread_mutex_init(&s->cq_mu, NULL);
    pthread_mutex_init(&s->st_mu, NULL);
    s->pad_seed = (uint32_t)clock_mono_ns();
    int rc = bind_pair(s, ai, err, errsz);
    freeaddrinfo(ai);
    if (rc)
        goto out;
    s->epfd = epoll_create1(EPOLL_CLOEXEC);
    s->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN};
    ev.data.ptr = &s->tcp_fd;
    epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->tcp_fd, &ev);
    ev.data.ptr = &s->udp_fd;
    epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->udp_fd, &ev);
    ev.data.ptr = &s->evfd;
    epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->evfd, &ev);
    if (pthread_create(&s->thr, NULL, loop_main, s) != 0) {
        snprintf(err, errsz, "cannot start the DC-09 thread");
        rc = -EAGAIN;
    }
out:
    if (rc) {
        s->thr = 0;
        dc09_server_stop(s);
        return rc;
    }
    *out = s;
    return 0;
}

int dc09_server_port(struct dc09_server *s)
{
    return s->port;
}

void dc09_server_stop(struct dc09_server *s)
{
    if (!s)
        return;
    if (s->thr) {
        atomic_store(&s->stop, 1);
        uint64_t one = 1;
        ssize_t w = write(s->evfd, &one, sizeof one);
        (void)w;
        pthread_join(s->thr, NULL);
    }
    /* The last complete() may still be inside its critical section (see complete). */
    pthread_mutex_lock(&s->cq_mu);
    pthread_mutex_unlock(&s->cq_mu);
    while (s->nconns) {
        struct conn *c = s->conns[0];
        conn_close(s, c);
        conn_free(s, c);
    }
    free(s->conns);
    while (s->spare) {
        struct dc09_job *next = s->spare->next;
        free(s->spare);
        s->spare = next;
    }
    int fds[] = {s->tcp_fd, s->udp_fd, s->epfd, s->evfd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    pthread_mutex_destroy(&s->cq_mu);
    pthread_mutex_destroy(&s->st_mu);
    free(s->accounts);
    free(s);
}
