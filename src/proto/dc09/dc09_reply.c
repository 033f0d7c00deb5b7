/* dc09_reply.c - building DC-09 frames: the receiver's replies (ACK, DUH, NAK; PROTOCOLS.md
 * §1.3) and PE->CSR frames for the load generator, tests and fuzz corpora. */
#include "proto/dc09/dc09.h"
#include "proto/dc09/dc09_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define REGION_MAX 0xFFF
#define PLAIN_MAX (REGION_MAX / 2)

struct w {
    char *p;
    size_t cap, len;
    int full;
};

static void put(struct w *w, const void *s, size_t n)
{
    if (w->full || n > w->cap - w->len) {
        w->full = 1;
        return;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
}

static void puts_(struct w *w, const char *s)
{
    put(w, s, strlen(s));
}

/* 1..max characters of [A-Z0-9-] (token) or hex digits (addresses). */
static int valid_field(const char *s, size_t min, size_t max, int token)
{
    size_t n = s ? strnlen(s, max + 1) : 0;
    if (n < min || n > max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = token ? (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                       : dc09_hexval(c) >= 0;
        if (!ok)
            return 0;
    }
    return 1;
}

/* Pseudo-random pad characters: alphanumerics only, so never '|', '[' or ']' (and printable for
 * receivers that decode the plaintext as text). Deterministic in the seed. */
static void make_pad(char *dst, size_t n, uint32_t seed)
{
    static const char set[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (size_t i = 0; i < n; i++) {
        uint32_t x = seed + (uint32_t)(i + 1) * 0x9E3779B9u;
        x = (x ^ (x >> 16)) * 0x85EBCA6Bu;
        x = (x ^ (x >> 13)) * 0xC2B2AE35u;
        x ^= x >> 16;
        dst[i] = set[x % (sizeof set - 1)];
    }
}

/* pad '|' inner, encrypted, as upper-case hex. */
static int put_cipher(struct w *w, const struct dc09_out *o)
{
    uint8_t plain[PLAIN_MAX];
    size_t m = 1 + o->inner_len;
    size_t pad = 16 - m % 16; /* 1..16: a full block when already aligned */
    if (m + pad > sizeof plain)
        return -ENOSPC;
    make_pad((char *)plain, pad, o->pad_seed);
    plain[pad] = '|';
    memcpy(plain + pad + 1, o->inner, o->inner_len);
    size_t n = m + pad;
    if (dc09_aes_cbc(1, o->key, o->keylen, plain, n, plain) < 0)
        return -EINVAL;
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        char h[2] = {hex[plain[i] >> 4], hex[plain[i] & 0xF]};
        put(w, h, 2);
    }
    return 0;
}

static int valid_out(const struct dc09_out *o)
{
    if (!valid_field(o->token, 1, 15, 1) || o->seq > 9999)
        return 0;
    if ((o->rcvr && *o->rcvr && !valid_field(o->rcvr, 1, 6, 0)) ||
        (o->line && *o->line && !valid_field(o->line, 1, 6, 0)) ||
        (o->acct && *o->acct && !valid_field(o->acct, 1, 16, 0)))
        return 0;
    return o->inner || o->inner_len == 0;
}

int dc09_emit(char *out, size_t cap, const struct dc09_out *o)
{
    if (!valid_out(o))
        return -EINVAL;
    if (cap < 10)
        return -ENOSPC;
    struct w w = {out + 9, cap - 10, 0, 0};
    char seq[8];
    snprintf(seq, sizeof seq, "%04u", o->seq);
    puts_(&w, o->key ? "\"*" : "\"");
    puts_(&w, o->token);
    puts_(&w, "\"");
    puts_(&w, seq);
    if (o->rcvr && *o->rcvr) {
        puts_(&w, "R");
        puts_(&w, o->rcvr);
    }
    if (o->line && *o->line) {
        puts_(&w, "L");
        puts_(&w, o->line);
    }
    if (o->acct && *o->acct) {
        put(&w, &o->acct_prefix, 1);
        puts_(&w, o->acct);
    }
    puts_(&w, "[");
    if (o->key) {
        int rc = put_cipher(&w, o);
        if (rc < 0)
            return rc;
    } else {
        put(&w, o->inner, o->inner_len);
    }
    if (w.full || w.len > REGION_MAX)
        return -ENOSPC;
    char head[10];
    snprintf(head, sizeof head, "%04X0%03X", (unsigned)dc09_crc(w.p, w.len), (unsigned)w.len);
    out[0] = '\n';
    memcpy(out + 1, head, 8);
    out[9 + w.len] = '\r';
    return (int)(w.len + 10);
}

int dc09_reply_build(char *out, size_t cap, enum dc09_token tok, const struct dc09_frame *req,
                     int64_t now_ms, const uint8_t *key, size_t keylen, uint32_t pad_seed)
{
    char inner[3 + DC09_TS_LEN] = "]_";
    if (dc09_time_format(now_ms, inner + 2) < 0)
        return -EINVAL;
    struct dc09_out o = {.inner = inner, .inner_len = 2 + DC09_TS_LEN, .acct_prefix = '#'};
    switch (tok) {
    case DC09_TOK_NAK:
        o.token = "NAK";
        o.rcvr = "0";
        o.line = "0";
        o.acct = "0";
        o.acct_prefix = 'A';
        break;
    case DC09_TOK_ACK:
    case DC09_TOK_DUH:
        if (!req)
            return -EINVAL;
        o.token = tok == DC09_TOK_ACK ? "ACK" : "DUH";
        o.seq = req->seq;
        o.rcvr = req->rcvr;
        o.line = req->line;
        o.acct = req->acct;
        if (req->encrypted && key) {
            o.key = key;
            o.keylen = keylen;
            o.pad_seed = pad_seed;
        }
        break;
    default:
        return -EINVAL;
    }
    return dc09_emit(out, cap, &o);
}

int dc09_frame_build(char *out, size_t cap, const char *token, unsigned seq, const char *rcvr,
                     const char *line, const char *acct, const char *data, int64_t time_ms,
                     const uint8_t *key, size_t keylen, uint32_t pad_seed)
{
    char inner[REGION_MAX + 3 + DC09_TS_LEN]; /* data ']' '_' stamp NUL */
    size_t dlen = data ? strnlen(data, REGION_MAX + 1) : 0;
    if (dlen > REGION_MAX) /* dc09_emit checks the exact limit */
        return -ENOSPC;
    if (memchr(data ? data : "", ']', dlen)) /* would end the data block early */
        return -EINVAL;
    memcpy(inner, data ? data : "", dlen);
    size_t n = dlen;
    inner[n++] = ']';
    if (time_ms >= 0) {
        inner[n++] = '_';
        if (dc09_time_format(time_ms, inner + n) < 0)
            return -EINVAL;
        n += DC09_TS_LEN;
    }
    struct dc09_out o = {.token = token,
                         .seq = seq,
                         .rcvr = rcvr,
                         .line = line,
                         .acct = acct,
                         .acct_prefix = '#',
                         .inner = inner,
                         .inner_len = n,
                         .key = key,
                         .keylen = keylen,
                         .pad_seed = pad_seed};
    return dc09_emit(out, cap, &o);
}
