/* load.h - state shared by the load generator's files (dc09_load.c: panels, frames, replies;
 * load_sse.c: the frame->SSE latency probe). Benchmark code: not part of libvigil. */
#ifndef VIGIL_BENCH_LOAD_H
#define VIGIL_BENCH_LOAD_H

#include "proto/dc09/dc09.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>

#define WINDOW_MAX 64 /* outstanding frames per panel */
#define DUE_MAX 256   /* rate mode: frames a panel may fall behind its schedule */
#define SSE_MAX 1024  /* frames per panel sent but not yet seen on the stream */

enum mode { M_TCP, M_TCPCONN, M_UDP };
enum pstate { PS_DOWN, PS_CONNECTING, PS_UP };

struct load_opts {
    enum mode mode;
    int port, panels, window, timeout_ms, sse_port, idle;
    double rate, seconds;
    uint64_t frames;
    char prefix[8];
    const char *user, *password, *ready_file, *label;
};

/* Latency samples in ns (exact percentiles: a run holds at most a few million). */
struct lat {
    int64_t *v;
    size_t n, alloc;
    int sorted;
};
void lat_add(struct lat *l, int64_t ns);
/* Percentile p (0..100) in ms; sorts the samples on first use. */
double lat_pct(struct lat *l, double p);

struct inflight {
    unsigned seq;
    int done;
    int64_t t;  /* sent (tcpconn: the connect started) */
    int64_t ts; /* rate mode: when it was due (max mode: = t) */
};

struct sse_wait {
    unsigned seq;
    int dead; /* the frame failed: no event will come */
    int64_t t;
};

struct panel {
    int idx, fd;
    enum pstate state;
    int want_out, busy;
    unsigned seq, gen;
    char acct[17];
    int64_t conn_t0, conn_ts;
    struct inflight fl[WINDOW_MAX];
    int fl_head, fl_n;
    int64_t due[DUE_MAX];
    int due_head, due_n;
    struct sse_wait *sse; /* SSE_MAX entries when the probe is on */
    int sse_head, sse_n;
    char rx[1024];
    size_t rxlen;
    char tx[4096];
    size_t txlen, txoff;
};

struct sse {
    int on, fd, chunked, ended;
    size_t chunk_left;
    char *raw, *text; /* received bytes; de-chunked event text */
    size_t rawlen, textlen;
    struct lat lat;
    unsigned long long missing, resets, unmatched, overflow, events;
};

struct load {
    struct load_opts o;
    struct sockaddr_in addr;
    int ep;
    struct panel *panels;
    int64_t t0, t_stop, next_due, last_ack;
    int stopping;
    uint64_t sent, acked, outstanding, scheduled, connected;
    unsigned long long naks, duhs, timeouts, lost, bad_replies, conn_errors, send_errors, behind;
    struct lat ack;       /* frame->ACK from the send */
    struct lat ack_sched; /* rate mode: frame->ACK from the scheduled send */
    struct lat late;      /* rate mode: how late the generator sent each frame */
    struct sse sse;
};

void panel_pump(struct load *L, struct panel *p, int64_t now);

/* load_sse.c */
int sse_start(struct load *L);
void sse_expect(struct load *L, struct panel *p, unsigned seq, int64_t t);
void sse_forget(struct panel *p, unsigned seq);
void sse_on_readable(struct load *L, int64_t now);
void sse_drain(struct load *L);
void sse_report(struct load *L);

#endif
