/* dc09_load.c - load generator for the SIA DC-09 receiver (vigild or bench/dc09_bare).
 *
 * Plays N alarm panels against 127.0.0.1 only, each with its own account and an increasing
 * sequence number (1..9999; on wrap the account changes, so no (account, seq) repeats within a
 * run). Transports: TCP on persistent connections, TCP with one connection per message, UDP.
 * Offered load: a fixed total rate (--rate R, open loop: latency counts from the scheduled send
 * time, so a receiver that falls behind shows it) or max throughput (--rate 0: each panel keeps
 * --window frames outstanding and sends the next one when an answer arrives).
 *
 * Every reply is parsed with dc09_frame_parse and must be an ACK with the right seq and account;
 * NAK, DUH, bad replies and timeouts are counted apart. Reports frames/s and frame->ACK latency
 * percentiles; with --sse HTTP_PORT it also signs in, follows GET /api/v1/stream and measures
 * frame->SSE latency (the time from sending a frame to seeing its `alarm` event).
 * --idle N only opens N TCP connections and holds them (memory measurements).
 *
 * One thread, epoll, non-blocking sockets; output ends with one RESULT line of key=value pairs
 * for bench/run.sh. */
#define _GNU_SOURCE /* epoll_pwait2 */
#include "bench/load.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define TICK_NS 50000000LL /* timeout scan and max-mode wake-up */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- latency samples ---- */

void lat_add(struct lat *l, int64_t ns)
{
    if (l->n == l->alloc) {
        l->alloc = l->alloc ? l->alloc * 2 : 65536;
        l->v = realloc(l->v, l->alloc * sizeof *l->v);
        if (!l->v) {
            fprintf(stderr, "dc09_load: out of memory\n");
            exit(1);
        }
    }
    l->v[l->n++] = ns < 0 ? 0 : ns;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

double lat_pct(struct lat *l, double p)
{
    if (!l->n)
        return 0;
    if (!l->sorted) {
        qsort(l->v, l->n, sizeof *l->v, cmp_i64);
        l->sorted = 1;
    }
    size_t i = (size_t)(p / 100.0 * (double)l->n);
    if (i >= l->n)
        i = l->n - 1;
    return (double)l->v[i] / 1e6;
}

/* ---- panels ---- */

static void panel_account(struct load *L, struct panel *p)
{
    snprintf(p->acct, sizeof p->acct, "%s%02X%04X", L->o.prefix, p->gen & 0xFF, p->idx & 0xFFFF);
}

static void fl_push(struct panel *p, unsigned seq, int64_t t, int64_t ts)
{
    struct inflight *f = &p->fl[(p->fl_head + p->fl_n) % WINDOW_MAX];
    f->seq = seq;
    f->t = t;
    f->ts = ts;
    f->done = 0;
    p->fl_n++;
}

static void fl_compact(struct panel *p)
{
    while (p->fl_n && p->fl[p->fl_head].done) {
        p->fl_head = (p->fl_head + 1) % WINDOW_MAX;
        p->fl_n--;
    }
}

/* The outstanding frame with this seq (NULL when none). */
static struct inflight *fl_find(struct panel *p, unsigned seq)
{
    for (int i = 0; i < p->fl_n; i++) {
        struct inflight *f = &p->fl[(p->fl_head + i) % WINDOW_MAX];
        if (!f->done && f->seq == seq)
            return f;
    }
    return NULL;
}

static struct inflight *fl_oldest(struct panel *p)
{
    for (int i = 0; i < p->fl_n; i++) {
        struct inflight *f = &p->fl[(p->fl_head + i) % WINDOW_MAX];
        if (!f->done)
            return f;
    }
    return NULL;
}

/* The frame failed (NAK, timeout, lost connection): it will not show up on the stream. */
static void fl_fail(struct load *L, struct panel *p, struct inflight *f)
{
    f->done = 1;
    L->outstanding--;
    if (L->sse.on)
        sse_forget(p, f->seq);
}

/* Another frame may leave now (rate mode: one is due; max mode: until the end). */
static int has_credit(struct load *L, struct panel *p)
{
    if (L->stopping || (L->o.frames && L->sent >= L->o.frames))
        return 0;
    return L->o.rate > 0 ? p->due_n > 0 : 1;
}

static int64_t take_origin(struct load *L, struct panel *p, int64_t now)
{
    if (L->o.rate <= 0)
        return now;
    int64_t t = p->due[p->due_head];
    lat_add(&L->late, now - t);
    p->due_head = (p->due_head + 1) % DUE_MAX;
    p->due_n--;
    return t;
}

/* Builds the next frame of p into out; returns its length. */
static int next_frame(struct load *L, struct panel *p, char *out, size_t cap)
{
    if (++p->seq > 9999) {
        p->seq = 1;
        p->gen++;
        panel_account(L, p);
    }
    char data[64];
    snprintf(data, sizeof data, "#%s|Nri1/BA001", p->acct);
    int n = dc09_frame_build(out, cap, "SIA-DCS", p->seq, "", "0", p->acct, data, -1, NULL, 0, 0);
    if (n <= 0) {
        fprintf(stderr, "dc09_load: dc09_frame_build failed\n");
        exit(1);
    }
    return n;
}

/* Records a frame as sent at t (scheduled for ts). */
static void frame_sent(struct load *L, struct panel *p, int64_t t, int64_t ts)
{
    fl_push(p, p->seq, t, ts);
    L->sent++;
    L->outstanding++;
    if (L->sse.on)
        sse_expect(L, p, p->seq, t);
}

static void ep_mod(struct load *L, struct panel *p, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = p};
    epoll_ctl(L->ep, EPOLL_CTL_MOD, p->fd, &ev);
}

static void tcp_flush(struct load *L, struct panel *p)
{
    while (p->txoff < p->txlen) {
        ssize_t w = send(p->fd, p->tx + p->txoff, p->txlen - p->txoff, MSG_NOSIGNAL);
        if (w > 0) {
            p->txoff += (size_t)w;
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        return; /* the read side sees the error */
    }
    int pending = p->txoff < p->txlen;
    if (!pending)
        p->txoff = p->txlen = 0;
    if (pending != p->want_out) {
        p->want_out = pending;
        ep_mod(L, p, EPOLLIN | (pending ? EPOLLOUT : 0));
    }
}

static void pump_stream(struct load *L, struct panel *p, int64_t now)
{
    if (p->state != PS_UP)
        return;
    int queued = 0;
    while (p->fl_n < L->o.window && has_credit(L, p) && p->txlen + 200 < sizeof p->tx) {
        int64_t ts = take_origin(L, p, now);
        char fr[256];
        int n = next_frame(L, p, fr, sizeof fr);
        int64_t t = now_ns();
        if (L->o.mode == M_UDP) {
            if (send(p->fd, fr, (size_t)n, 0) != n) {
                L->send_errors++; /* the socket buffer is full: try again on the next event */
                break;
            }
        } else {
            memcpy(p->tx + p->txlen, fr, (size_t)n);
            p->txlen += (size_t)n;
            queued = 1;
        }
        frame_sent(L, p, t, ts);
    }
    if (queued)
        tcp_flush(L, p);
}

static int new_socket(struct load *L, int type)
{
    int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        L->conn_errors++;
        return -1;
    }
    if (type == SOCK_STREAM) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

/* Starts a TCP connection (or opens the UDP socket) for p. */
static int panel_connect(struct load *L, struct panel *p, int64_t origin)
{
    int udp = L->o.mode == M_UDP;
    p->fd = new_socket(L, udp ? SOCK_DGRAM : SOCK_STREAM);
    if (p->fd < 0)
        return -1;
    int rc = connect(p->fd, (struct sockaddr *)&L->addr, sizeof L->addr);
    if (rc != 0 && errno != EINPROGRESS) {
        L->conn_errors++;
        close(p->fd);
        p->fd = -1;
        return -1;
    }
    p->conn_t0 = now_ns();
    p->conn_ts = origin;
    p->rxlen = p->txlen = p->txoff = 0;
    p->want_out = 0;
    p->state = udp || rc == 0 ? PS_UP : PS_CONNECTING;
    struct epoll_event ev = {.events = EPOLLIN | (p->state == PS_CONNECTING ? EPOLLOUT : 0),
                             .data.ptr = p};
    epoll_ctl(L->ep, EPOLL_CTL_ADD, p->fd, &ev);
    return 0;
}

static void panel_close(struct load *L, struct panel *p)
{
    if (p->fd >= 0) {
        epoll_ctl(L->ep, EPOLL_CTL_DEL, p->fd, NULL);
        close(p->fd);
    }
    p->fd = -1;
    p->state = PS_DOWN;
    p->busy = 0;
}

/* One connection per message: connect when a frame may leave; the frame goes out once the
 * connection is up; latency counts from the start of the connect. */
static void pump_conn(struct load *L, struct panel *p, int64_t now)
{
    if (p->state == PS_DOWN && has_credit(L, p)) {
        int64_t ts = take_origin(L, p, now);
        if (panel_connect(L, p, ts) != 0)
            return;
    }
    if (p->state == PS_UP && !p->busy) {
        char fr[256];
        int n = next_frame(L, p, fr, sizeof fr);
        memcpy(p->tx, fr, (size_t)n);
        p->txlen = (size_t)n;
        p->busy = 1;
        frame_sent(L, p, p->conn_t0, p->conn_ts);
        tcp_flush(L, p);
    }
}

void panel_pump(struct load *L, struct panel *p, int64_t now)
{
    if (L->o.mode == M_TCPCONN)
        pump_conn(L, p, now);
    else
        pump_stream(L, p, now);
}

/* ---- replies ---- */

static void on_reply(struct load *L, struct panel *p, const char *buf, size_t len, int64_t now)
{
    struct dc09_frame f;
    if (dc09_frame_parse(buf, len, &f) != 0) {
        L->bad_replies++;
        return;
    }
    if (f.token == DC09_TOK_NAK) {
        /* A NAK carries seq 0000: it answers the oldest frame. */
        struct inflight *o = fl_oldest(p);
        L->naks++;
        if (o)
            fl_fail(L, p, o);
        fl_compact(p);
        return;
    }
    struct inflight *o = fl_find(p, f.seq);
    if (!o || strcmp(f.acct, p->acct) != 0) {
        L->bad_replies++;
        return;
    }
    if (f.token == DC09_TOK_ACK) {
        o->done = 1;
        L->outstanding--;
        L->acked++;
        L->last_ack = now;
        lat_add(&L->ack, now - o->t);
        if (L->o.rate > 0)
            lat_add(&L->ack_sched, now - o->ts);
    } else {
        if (f.token == DC09_TOK_DUH)
            L->duhs++;
        else
            L->bad_replies++;
        fl_fail(L, p, o);
    }
    fl_compact(p);
}

/* Splits p->rx into LF...CR replies. */
static void rx_frames(struct load *L, struct panel *p, int64_t now)
{
    size_t pos = 0;
    while (pos < p->rxlen) {
        char *lf = memchr(p->rx + pos, '\n', p->rxlen - pos);
        if (!lf) {
            pos = p->rxlen;
            break;
        }
        size_t s = (size_t)(lf - p->rx) + 1;
        char *cr = memchr(p->rx + s, '\r', p->rxlen - s);
        if (!cr) {
            pos = s - 1;
            break;
        }
        on_reply(L, p, p->rx + s, (size_t)(cr - (p->rx + s)), now);
        pos = (size_t)(cr - p->rx) + 1;
    }
    memmove(p->rx, p->rx + pos, p->rxlen - pos);
    p->rxlen -= pos;
}

/* The connection broke: its outstanding frames are lost. */
static void panel_lost(struct load *L, struct panel *p)
{
    for (int i = 0; i < p->fl_n; i++) {
        struct inflight *f = &p->fl[(p->fl_head + i) % WINDOW_MAX];
        if (!f->done) {
            L->lost++;
            fl_fail(L, p, f);
        }
    }
    fl_compact(p);
    panel_close(L, p);
}

static void on_readable(struct load *L, struct panel *p, int64_t now)
{
    for (;;) {
        if (p->rxlen == sizeof p->rx)
            p->rxlen = 0; /* garbage without frames: drop it */
        ssize_t r = recv(p->fd, p->rx + p->rxlen, sizeof p->rx - p->rxlen, 0);
        if (r > 0) {
            now = now_ns();
            if (L->o.mode == M_UDP) {
                p->rxlen = (size_t)r;
                if (p->rx[0] != '\n') /* tolerate a datagram without LF */
                    on_reply(L, p, p->rx, p->rx[r - 1] == '\r' ? (size_t)r - 1 : (size_t)r, now);
                else
                    rx_frames(L, p, now);
                p->rxlen = 0;
                continue;
            }
            p->rxlen += (size_t)r;
            rx_frames(L, p, now);
            continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (r < 0 && errno == EINTR)
            continue;
        if (L->o.mode != M_UDP) {
            if (L->o.mode != M_TCPCONN || p->fl_n)
                L->conn_errors++;
            panel_lost(L, p);
        }
        return;
    }
}

static void on_connected(struct load *L, struct panel *p)
{
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err) {
        L->conn_errors++;
        panel_close(L, p);
        return;
    }
    p->state = PS_UP;
    L->connected++;
    ep_mod(L, p, EPOLLIN);
}

static void on_panel_event(struct load *L, struct panel *p, uint32_t ev, int64_t now)
{
    if (p->state == PS_CONNECTING && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        on_connected(L, p);
        if (p->state != PS_UP)
            return;
    } else if (ev & EPOLLOUT) {
        tcp_flush(L, p);
    }
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP))
        on_readable(L, p, now);
    if (L->o.mode == M_TCPCONN && p->busy && p->fl_n == 0)
        panel_close(L, p); /* answered: the panel hangs up */
    if (p->state == PS_DOWN && L->o.mode == M_TCP && !L->stopping)
        panel_connect(L, p, now);
    panel_pump(L, p, now);
}

/* ---- schedule and timeouts ---- */

/* Rate mode: global send k is due at t0 + k / rate and belongs to panel k mod N. */
static void schedule(struct load *L, int64_t now)
{
    while (!L->stopping && L->next_due <= now) {
        if (L->o.frames && L->scheduled >= L->o.frames)
            return;
        struct panel *p = &L->panels[L->scheduled % (uint64_t)L->o.panels];
        if (p->due_n == DUE_MAX) {
            L->behind++; /* the panel is more than DUE_MAX frames behind: not sent */
        } else {
            p->due[(p->due_head + p->due_n) % DUE_MAX] = L->next_due;
            p->due_n++;
        }
        L->scheduled++;
        L->next_due = L->t0 + (int64_t)((double)L->scheduled * 1e9 / L->o.rate);
        panel_pump(L, p, now);
    }
}

static void expire(struct load *L, struct panel *p, int64_t now)
{
    int64_t limit = (int64_t)L->o.timeout_ms * 1000000LL;
    for (int i = 0; i < p->fl_n; i++) {
        struct inflight *f = &p->fl[(p->fl_head + i) % WINDOW_MAX];
        if (!f->done && now - f->t > limit) {
            L->timeouts++;
            fl_fail(L, p, f);
        }
    }
    fl_compact(p);
    if (L->o.mode == M_TCPCONN && p->state != PS_DOWN && p->fl_n == 0 && now - p->conn_t0 > limit) {
        if (p->state == PS_CONNECTING)
            L->timeouts++;
        panel_close(L, p);
    }
    panel_pump(L, p, now);
}

/* ---- setup and main loop ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dc09_load --port P [options]   (target is always 127.0.0.1)\n"
            "  --mode tcp|tcpconn|udp  persistent TCP, one TCP connection per message, UDP\n"
            "  --panels N        concurrent panels (default 100)\n"
            "  --rate R          offered frames/s in total; 0 = max throughput (default 0)\n"
            "  --window W        outstanding frames per panel, 1..%d (default 1)\n"
            "  --seconds S       sending time (default 5)\n"
            "  --frames N        stop after N frames (default: no limit)\n"
            "  --timeout-ms T    unanswered after T ms: a timeout (TCP 10000, UDP 2000)\n"
            "  --prefix HEX      account prefix, 1-6 hex digits (default: from the clock)\n"
            "  --sse HTTP_PORT   also measure frame->SSE latency on GET /api/v1/stream\n"
            "  --user U --password P   credentials for --sse (operator / vigil-demo)\n"
            "  --idle N          open N idle TCP connections, hold them --seconds, no frames\n"
            "  --ready-file F    --idle: touch F once every connection is up\n"
            "  --label TEXT      name printed in the RESULT line\n",
            WINDOW_MAX);
}

static int parse_mode(const char *s, enum mode *m)
{
    if (strcmp(s, "tcp") == 0)
        *m = M_TCP;
    else if (strcmp(s, "tcpconn") == 0)
        *m = M_TCPCONN;
    else if (strcmp(s, "udp") == 0)
        *m = M_UDP;
    else
        return -1;
    return 0;
}

static long num(const char *s, long lo, long hi, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi) {
        fprintf(stderr, "dc09_load: %s must be %ld..%ld\n", what, lo, hi);
        exit(2);
    }
    return v;
}

static int check_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 6)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
            return -1;
    return 0;
}

static void parse_args(int argc, char **argv, struct load_opts *o)
{
    static const struct option lo[] = {
        {"port", 1, NULL, 'p'},   {"mode", 1, NULL, 'm'},       {"panels", 1, NULL, 'n'},
        {"rate", 1, NULL, 'r'},   {"window", 1, NULL, 'w'},     {"seconds", 1, NULL, 's'},
        {"frames", 1, NULL, 'f'}, {"timeout-ms", 1, NULL, 't'}, {"prefix", 1, NULL, 'x'},
        {"sse", 1, NULL, 'e'},    {"user", 1, NULL, 'u'},       {"password", 1, NULL, 'P'},
        {"idle", 1, NULL, 'i'},   {"ready-file", 1, NULL, 'R'}, {"label", 1, NULL, 'l'},
        {"help", 0, NULL, 'h'},   {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->port = (int)num(optarg, 1, 65535, "--port");
            break;
        case 'm':
            if (parse_mode(optarg, &o->mode)) {
                usage(stderr);
                exit(2);
            }
            break;
        case 'n':
            o->panels = (int)num(optarg, 1, 60000, "--panels");
            break;
        case 'r':
            o->rate = (double)num(optarg, 0, 10000000, "--rate");
            break;
        case 'w':
            o->window = (int)num(optarg, 1, WINDOW_MAX, "--window");
            break;
        case 's':
            o->seconds = (double)num(optarg, 1, 3600, "--seconds");
            break;
        case 'f':
            o->frames = (uint64_t)num(optarg, 0, 1000000000L, "--frames");
            break;
        case 't':
            o->timeout_ms = (int)num(optarg, 10, 600000, "--timeout-ms");
            break;
        case 'x':
            if (check_prefix(optarg)) {
                fprintf(stderr, "dc09_load: --prefix must be 1-6 upper-case hex digits\n");
                exit(2);
            }
            snprintf(o->prefix, sizeof o->prefix, "%s", optarg);
            break;
        case 'e':
            o->sse_port = (int)num(optarg, 1, 65535, "--sse");
            break;
        case 'u':
            o->user = optarg;
            break;
        case 'P':
            o->password = optarg;
            break;
        case 'i':
            o->idle = (int)num(optarg, 1, 60000, "--idle");
            break;
        case 'R':
            o->ready_file = optarg;
            break;
        case 'l':
            o->label = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            exit(2);
        }
    }
    if (!o->port) {
        usage(stderr);
        exit(2);
    }
    if (o->mode == M_TCPCONN)
        o->window = 1;
    if (!o->timeout_ms)
        o->timeout_ms = o->mode == M_UDP ? 2000 : 10000;
}

static void raise_nofile(int need)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)need) {
        rl.rlim_cur = rl.rlim_max < (rlim_t)need ? rl.rlim_max : (rlim_t)need;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Connects every panel (persistent TCP, UDP) before the clock starts. */
static int connect_all(struct load *L, int n)
{
    int64_t deadline = now_ns() + 20000000000LL;
    for (int i = 0; i < n; i++) {
        struct panel *p = &L->panels[i];
        if (panel_connect(L, p, 0) == 0 && p->state == PS_UP)
            L->connected++;
    }
    struct epoll_event evs[512];
    while (L->connected < (uint64_t)n && now_ns() < deadline) {
        int k = epoll_wait(L->ep, evs, 512, 100);
        for (int i = 0; i < k; i++) {
            struct panel *p = evs[i].data.ptr;
            if (evs[i].data.ptr == &L->sse)
                sse_on_readable(L, now_ns());
            else if (p->state == PS_CONNECTING)
                on_connected(L, p);
            else if (evs[i].events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP))
                panel_lost(L, p);
        }
        if (L->conn_errors)
            break;
    }
    return L->connected == (uint64_t)n ? 0 : -1;
}

static void dispatch(struct load *L, struct epoll_event *ev, int64_t now)
{
    if (ev->data.ptr == &L->sse) {
        sse_on_readable(L, now);
        return;
    }
    on_panel_event(L, ev->data.ptr, ev->events, now);
}

static void run_loop(struct load *L)
{
    struct epoll_event evs[512];
    int64_t last_tick = L->t0, t_end = L->t0 + (int64_t)(L->o.seconds * 1e9);
    for (;;) {
        int64_t now = now_ns();
        int done_sending = L->o.frames && L->sent >= L->o.frames;
        if (!L->stopping && (now >= t_end || done_sending)) {
            L->stopping = 1;
            L->t_stop = now;
        }
        if (L->stopping && (L->outstanding == 0 || now - L->t_stop > L->o.timeout_ms * 1000000LL))
            break;
        if (L->o.rate > 0)
            schedule(L, now);
        if (now - last_tick >= TICK_NS) {
            last_tick = now;
            for (int i = 0; i < L->o.panels; i++)
                expire(L, &L->panels[i], now);
        }
        int64_t wait = TICK_NS - (now - last_tick);
        if (L->o.rate > 0 && !L->stopping && L->next_due - now < wait)
            wait = L->next_due - now > 0 ? L->next_due - now : 0;
        struct timespec ts = {.tv_sec = wait / 1000000000LL, .tv_nsec = wait % 1000000000LL};
        int k = epoll_pwait2(L->ep, evs, 512, &ts, NULL);
        now = now_ns();
        for (int i = 0; i < k; i++)
            dispatch(L, &evs[i], now);
    }
    if (L->sse.on)
        sse_drain(L);
}

static void report(struct load *L)
{
    static const char *const names[] = {"tcp", "tcpconn", "udp"};
    double secs = (double)((L->last_ack ? L->last_ack : now_ns()) - L->t0) / 1e9;
    double fps = secs > 0 ? (double)L->acked / secs : 0;
    printf("%-10s %-8s panels=%d rate=%.0f window=%d: %llu sent, %llu ACK, %.0f ACK/s, "
           "frame->ACK ms p50 %.3f p90 %.3f p99 %.3f max %.3f; NAK %llu DUH %llu timeout %llu "
           "lost %llu bad %llu conn_err %llu send_err %llu behind %llu\n",
           L->o.label, names[L->o.mode], L->o.panels, L->o.rate, L->o.window,
           (unsigned long long)L->sent, (unsigned long long)L->acked, fps, lat_pct(&L->ack, 50),
           lat_pct(&L->ack, 90), lat_pct(&L->ack, 99), lat_pct(&L->ack, 100),
           (unsigned long long)L->naks, (unsigned long long)L->duhs,
           (unsigned long long)L->timeouts, (unsigned long long)L->lost,
           (unsigned long long)L->bad_replies, (unsigned long long)L->conn_errors,
           (unsigned long long)L->send_errors, (unsigned long long)L->behind);
    if (L->o.rate > 0)
        printf("%-10s from the schedule: frame->ACK ms p50 %.3f p99 %.3f max %.3f; generator "
               "lateness ms p50 %.3f p99 %.3f max %.3f\n",
               L->o.label, lat_pct(&L->ack_sched, 50), lat_pct(&L->ack_sched, 99),
               lat_pct(&L->ack_sched, 100), lat_pct(&L->late, 50), lat_pct(&L->late, 99),
               lat_pct(&L->late, 100));
    if (L->sse.on)
        sse_report(L);
    printf("RESULT label=%s mode=%s panels=%d rate=%.0f window=%d seconds=%.2f sent=%llu "
           "acked=%llu fps=%.0f p50=%.3f p90=%.3f p99=%.3f max=%.3f nak=%llu duh=%llu "
           "timeout=%llu lost=%llu bad=%llu conn_err=%llu send_err=%llu behind=%llu",
           L->o.label, names[L->o.mode], L->o.panels, L->o.rate, L->o.window, secs,
           (unsigned long long)L->sent, (unsigned long long)L->acked, fps, lat_pct(&L->ack, 50),
           lat_pct(&L->ack, 90), lat_pct(&L->ack, 99), lat_pct(&L->ack, 100),
           (unsigned long long)L->naks, (unsigned long long)L->duhs,
           (unsigned long long)L->timeouts, (unsigned long long)L->lost,
           (unsigned long long)L->bad_replies, (unsigned long long)L->conn_errors,
           (unsigned long long)L->send_errors, (unsigned long long)L->behind);
    if (L->o.rate > 0)
        printf(" sched_p99=%.3f late_p99=%.3f", lat_pct(&L->ack_sched, 99), lat_pct(&L->late, 99));
    if (L->sse.on)
        printf(" sse_n=%zu sse_p50=%.3f sse_p90=%.3f sse_p99=%.3f sse_max=%.3f sse_missing=%llu "
               "sse_reset=%llu",
               L->sse.lat.n, lat_pct(&L->sse.lat, 50), lat_pct(&L->sse.lat, 90),
               lat_pct(&L->sse.lat, 99), lat_pct(&L->sse.lat, 100),
               (unsigned long long)L->sse.missing, (unsigned long long)L->sse.resets);
    printf("\n");
}

/* --idle: hold N connections open for --seconds (memory of the receiver per panel). */
static int run_idle(struct load *L)
{
    int n = L->o.idle;
    L->panels = calloc((size_t)n, sizeof *L->panels);
    if (!L->panels)
        return 1;
    for (int i = 0; i < n; i++) {
        L->panels[i].fd = -1;
        L->panels[i].idx = i;
    }
    int rc = connect_all(L, n);
    printf("idle: %llu of %d connections up\n", (unsigned long long)L->connected, n);
    fflush(stdout);
    if (rc == 0 && L->o.ready_file) {
        FILE *f = fopen(L->o.ready_file, "w");
        if (f) {
            fprintf(f, "%llu\n", (unsigned long long)L->connected);
            fclose(f);
        }
    }
    struct timespec ts = {.tv_sec = (time_t)L->o.seconds};
    while (rc == 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    for (int i = 0; i < n; i++)
        panel_close(L, &L->panels[i]);
    printf("RESULT label=%s idle=%d connected=%llu\n", L->o.label, n,
           (unsigned long long)L->connected);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct load *L = calloc(1, sizeof *L);
    if (!L)
        return 1;
    L->o = (struct load_opts){.mode = M_TCP,
                              .panels = 100,
                              .window = 1,
                              .seconds = 5,
                              .timeout_ms = 0,
                              .user = "operator",
                              .password = "vigil-demo",
                              .label = "load"};
    snprintf(L->o.prefix, sizeof L->o.prefix, "%06X", (unsigned)time(NULL) & 0xFFFFFF);
    parse_args(argc, argv, &L->o);
    signal(SIGPIPE, SIG_IGN);
    raise_nofile((L->o.idle ? L->o.idle : L->o.panels) + 64);
    L->addr.sin_family = AF_INET;
    L->addr.sin_port = htons((uint16_t)L->o.port);
    L->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* never anything else */
    L->ep = epoll_create1(EPOLL_CLOEXEC);
    if (L->o.idle)
        return run_idle(L);
    L->panels = calloc((size_t)L->o.panels, sizeof *L->panels);
    if (!L->panels)
        return 1;
    for (int i = 0; i < L->o.panels; i++) {
        L->panels[i].fd = -1;
        L->panels[i].idx = i;
        panel_account(L, &L->panels[i]);
    }
    if (L->o.sse_port && sse_start(L) != 0)
        return 1;
    if (L->o.mode != M_TCPCONN && connect_all(L, L->o.panels) != 0) {
        fprintf(stderr, "dc09_load: only %llu of %d panels connected\n",
                (unsigned long long)L->connected, L->o.panels);
        return 1;
    }
    L->t0 = now_ns();
    L->next_due = L->t0;
    for (int i = 0; i < L->o.panels && L->o.rate <= 0; i++)
        panel_pump(L, &L->panels[i], L->t0);
    run_loop(L);
    report(L);
    return 0;
}
