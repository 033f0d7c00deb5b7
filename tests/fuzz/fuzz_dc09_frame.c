/* fuzz_dc09_frame.c - libFuzzer target for dc09_frame_parse and dc09_body_parse (the bytes
 * between LF and CR), with the payload parsers and reply round trips on what parses.
 * Each input is parsed as is, then again with its CRC and length fields recomputed, so that
 * mutations reach the parser past the CRC check. */
#include "proto/dc09/dc09.h"
#include "proto/dc09/dc09_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_clear(const struct dc09_frame *f, const char *buf, size_t len)
{
    const struct dc09_body *b = &f->body;
    if (!b->data || b->data < buf || b->data + b->data_len > buf + len || b->next > DC09_MAX_EXT)
        abort();
    if (b->has_time) { /* the stamp formats back to the bytes it came from */
        char ts[DC09_TS_LEN + 1];
        if (dc09_time_format(b->time_ms, ts) != 0 ||
            memcmp(buf + len - DC09_TS_LEN, ts, DC09_TS_LEN))
            abort();
    }
    struct sia_payload sp;
    struct cid_event ce;
    if (f->token == DC09_TOK_SIA_DCS && sia_parse(b->data, b->data_len, &sp) == 0 &&
        (sp.n < 1 || sp.n > SIA_MAX_EVENTS))
        abort();
    if (f->token == DC09_TOK_ADM_CID && cid_parse_dc09(b->data, b->data_len, &ce) == 0 &&
        (ce.code < 100 || ce.code > 999 || ce.group > 99 || ce.zone > 999))
        abort();
}

/* An ACK to anything that parses must parse back with the same addressing. */
static void check_reply(const struct dc09_frame *f)
{
    char out[256];
    struct dc09_frame r;
    int n = dc09_reply_build(out, sizeof out, DC09_TOK_ACK, f, 1795163415000LL, NULL, 0, 0);
    if (n < 10 || dc09_frame_parse(out + 1, (size_t)n - 2, &r) != 0)
        abort();
    if (r.seq != f->seq || strcmp(r.rcvr, f->rcvr) || strcmp(r.line, f->line) ||
        strcmp(r.acct, f->acct) || r.body.time_ms != 1795163415000LL)
        abort();
}

static void one(const char *buf, size_t len)
{
    struct dc09_frame f;
    if (dc09_frame_parse(buf, len, &f) != 0)
        return;
    if (f.len != len - 8)
        abort();
    if (f.encrypted) {
        if (!f.cipher || f.cipher_len % 32 || f.cipher + f.cipher_len != buf + len)
            abort();
    } else {
        check_clear(&f, buf, len);
    }
    check_reply(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > DC09_MAX_FRAME)
        return 0;
    /* Exact-size copies: any read past len is a heap overflow. */
    char *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    one(buf, size);
    struct dc09_body b;
    (void)dc09_body_parse(buf, size, &b);
    if (size >= 8) {
        char head[9];
        snprintf(head, sizeof head, "%04X%04X", dc09_crc(buf + 8, size - 8),
                 (unsigned)(size - 8) & 0xFFFF);
        memcpy(buf, head, 8);
        one(buf, size);
    }
    free(buf);
    return 0;
}
