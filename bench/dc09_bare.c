/* dc09_bare.c - the baseline for the DC-09 benchmarks: a receiver that stores nothing.
 *
 * One thread, epoll, TCP and UDP on one port of 127.0.0.1 (like vigild's receiver): frames each
 * connection's bytes on LF...CR, parses every frame with dc09_frame_parse and answers at once with
 * dc09_reply_build (ACK; NAK for a malformed frame; nothing on a CRC error). Whatever vigild does
 * beyond this (validation, the store, the group commit) is what the comparison measures.
 *
 * usage: dc09_bare [--port P] [--ready-file F]   (F receives {"dc09": PORT}); stops on SIGTERM
 * or SIGINT and prints its counters. */
#define _GNU_SOURCE /* accept4 */
#include "proto/dc09/dc09.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_CAP (2 * DC09_MAX_FRAME)
#define OUT_CAP 16384
#define UDP_RCVBUF (4 << 20)

struct bconn {
    int fd;
    size_t inlen, outlen, outoff;
    int want_out;
    char in[IN_CAP];
    char out[OUT_CAP];
};

static volatile sig_atomic_t stop;
static int tcp_fd = -1, udp_fd = -1, ep = -1;
static unsigned long long n_frames, n_acks, n_naks, n_crc, n_conns;
static uint32_t pad_seed;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The reply to one frame into out; returns its length (0: no answer). */
static int answer(const char *buf, size_t len, char *out, size_t cap)
{
    struct dc09_frame f;
    n_frames++;
    int rc = dc09_frame_parse(buf, len, &f);
    if (rc == DC09_E_CRC) {
        n_crc++;
        return 0;
    }
    enum dc09_token tok = rc ? DC09_TOK_NAK : DC09_TOK_ACK;
    int n = dc09_reply_build(out, cap, tok, rc ? NULL : &f, now_ms(), NULL, 0, pad_seed++);
    if (n <= 0)
        return 0;
    if (rc)
        n_naks++;
    else
        n_acks++;
    return n;
}

static void conn_close(struct bconn *c)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

/* Returns -1 when the connection is gone. */
static int conn_flush(struct bconn *c)
{
    while (c->outoff < c->outlen) {
        ssize_t w = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
        if (w > 0) {
            c->outoff += (size_t)w;
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        conn_close(c);
        return -1;
    }
    if (c->outoff == c->outlen)
        c->outoff = c->outlen = 0;
    int want = c->outlen > 0;
    if (want != c->want_out) {
        c->want_out = want;
        struct epoll_event ev = {.events = EPOLLIN | (want ? EPOLLOUT : 0), .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    }
    return 0;
}

/* Answers every complete LF...CR frame in c->in; keeps a partial one. */
static void extract(struct bconn *c)
{
    size_t pos = 0;
    while (pos < c->inlen) {
        char *lf = memchr(c->in + pos, '\n', c->inlen - pos);
        if (!lf) {
            pos = c->inlen;
            break;
        }
        size_t s = (size_t)(lf - c->in) + 1;
        size_t avail = c->inlen - s;
        char *cr = memchr(c->in + s, '\r', avail < DC09_MAX_FRAME ? avail : DC09_MAX_FRAME);
        if (!cr) {
            pos = avail >= DC09_MAX_FRAME ? s : s - 1;
            if (avail < DC09_MAX_FRAME)
                break;
            continue;
        }
        if (c->outlen + 512 <= OUT_CAP)
            c->outlen += (size_t)answer(c->in + s, (size_t)(cr - (c->in + s)), c->out + c->outlen,
                                        OUT_CAP - c->outlen);
        pos = (size_t)(cr - c->in) + 1;
    }
    memmove(c->in, c->in + pos, c->inlen - pos);
    c->inlen -= pos;
}

static void on_readable(struct bconn *c)
{
    for (int rounds = 0; rounds < 4; rounds++) {
        if (c->inlen == IN_CAP)
            c->inlen = 0;
        ssize_t r = recv(c->fd, c->in + c->inlen, IN_CAP - c->inlen, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            conn_close(c);
            return;
        }
        if (r < 0)
            break;
        c->inlen += (size_t)r;
        extract(c);
        if (c->outlen + 512 > OUT_CAP)
            break; /* the peer is not reading its replies: wait for EPOLLOUT */
    }
    conn_flush(c);
}

static void on_accept(void)
{
    for (;;) {
        int fd = accept4(tcp_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        struct bconn *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        n_conns++;
    }
}

static void on_udp(void)
{
    char buf[DC09_MAX_FRAME + 2], out[512];
    for (int i = 0; i < 256; i++) {
        struct sockaddr_storage peer;
        socklen_t pl = sizeof peer;
        ssize_t r = recvfrom(udp_fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &pl);
        if (r <= 0)
            return;
        size_t a = 0, b = (size_t)r;
        if (b && buf[0] == '\n')
            a = 1;
        if (b > a && buf[b - 1] == '\r')
            b--;
        int n = answer(buf + a, b - a, out, sizeof out);
        if (n > 0)
            sendto(udp_fd, out, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&peer, pl);
    }
}

/* TCP and UDP on the same port of 127.0.0.1 (port 0: the kernel's TCP pick, retried until the
 * UDP port is free too). Returns the port or -1. */
static int bind_both(int port)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t al = sizeof a;
        int one = 1;
        tcp_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        setsockopt(tcp_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(tcp_fd, (struct sockaddr *)&a, al) != 0 || listen(tcp_fd, 1024) != 0)
            return -1;
        getsockname(tcp_fd, (struct sockaddr *)&a, &al);
        udp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int rcvbuf = UDP_RCVBUF; /* as vigild: room for a burst from every panel at once */
        setsockopt(udp_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        if (bind(udp_fd, (struct sockaddr *)&a, al) == 0)
            return ntohs(a.sin_port);
        close(udp_fd);
        close(tcp_fd);
        if (port)
            return -1;
    }
    return -1;
}

static void loop(void)
{
    struct epoll_event evs[256];
    while (!stop) {
        int n = epoll_wait(ep, evs, 256, 200);
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == &tcp_fd) {
                on_accept();
            } else if (p == &udp_fd) {
                on_udp();
            } else {
                struct bconn *c = p;
                if ((evs[i].events & EPOLLOUT) && conn_flush(c) != 0)
                    continue;
                if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                    on_readable(c);
            }
        }
    }
}

static int write_ready(const char *path, int port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "{\"dc09\": %d}\n", port);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    int port = 0;
    const char *ready = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            port = (int)strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--ready-file") == 0 && i + 1 < argc) {
            ready = argv[++i];
        } else {
            fprintf(stderr, "usage: dc09_bare [--port P] [--ready-file F]\n");
            return 2;
        }
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    port = bind_both(port);
    if (port < 0) {
        fprintf(stderr, "dc09_bare: cannot listen: %s\n", strerror(errno));
        return 1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &tcp_fd};
    epoll_ctl(ep, EPOLL_CTL_ADD, tcp_fd, &ev);
    ev.data.ptr = &udp_fd;
    epoll_ctl(ep, EPOLL_CTL_ADD, udp_fd, &ev);
    if (ready && write_ready(ready, port) != 0) {
        fprintf(stderr, "dc09_bare: cannot write %s\n", ready);
        return 1;
    }
    loop();
    fprintf(stderr,
            "dc09_bare: %llu frames, %llu ACK, %llu NAK, %llu CRC errors, %llu connections\n",
            n_frames, n_acks, n_naks, n_crc, n_conns);
    return 0;
}
