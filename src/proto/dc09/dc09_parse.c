/* dc09_parse.c - DC-09 frame and body parsing (PROTOCOLS.md §1.1). Pure: pointers into the
 * caller's buffer, no allocation, every read bounded by len. */
#include "proto/dc09/dc09.h"
#include "proto/dc09/dc09_int.h"

#include <string.h>

#define TOKEN_MAX 15 /* longest token we call well-formed */
#define ADDR_MAX 6   /* R and L: 1..6 hex digits */
#define ACCT_MAX 16  /* # account: 1..16 hex digits */

static const struct {
    const char *name;
    enum dc09_token tok;
} tokens[] = {
    {"SIA-DCS", DC09_TOK_SIA_DCS}, {"ADM-CID", DC09_TOK_ADM_CID}, {"NULL", DC09_TOK_NULL},
    {"ACK", DC09_TOK_ACK},         {"NAK", DC09_TOK_NAK},         {"DUH", DC09_TOK_DUH},
    {"RSP", DC09_TOK_RSP},
};

/* Body bytes must be printable (a wrong AES key leaves control bytes almost surely). */
static int bad_byte(unsigned char c)
{
    return c < 0x20 || c == 0x7F;
}

static int check_bytes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (bad_byte((unsigned char)s[i]))
            return -1;
    return 0;
}

int dc09_body_parse(const char *buf, size_t len, struct dc09_body *out)
{
    memset(out, 0, sizeof *out);
    if (check_bytes(buf, len) < 0)
        return DC09_E_FORMAT;
    const char *end = memchr(buf, ']', len);
    if (!end)
        return DC09_E_FORMAT;
    out->data = buf;
    out->data_len = (size_t)(end - buf);
    size_t i = out->data_len + 1;
    while (i < len && buf[i] == '[') {
        const char *close = memchr(buf + i + 1, ']', len - i - 1);
        if (!close)
            return DC09_E_FORMAT;
        size_t blen = (size_t)(close - (buf + i + 1));
        char letter = buf[i + 1];
        if (blen == 0 || letter < 'A' || letter > 'Z')
            return DC09_E_FORMAT;
        if (out->next < DC09_MAX_EXT) { /* further blocks are checked, then dropped */
            out->ext[out->next].letter = letter;
            out->ext[out->next].value = buf + i + 2;
            out->ext[out->next].len = blen - 1;
            out->next++;
        }
        i += blen + 2;
    }
    if (i == len)
        return 0;
    if (buf[i] != '_' || len - i - 1 != DC09_TS_LEN)
        return DC09_E_FORMAT;
    if (dc09_time_parse(buf + i + 1, &out->time_ms) < 0)
        return DC09_E_FORMAT;
    out->has_time = 1;
    return 0;
}

/* Parses "id" at r[*i], with its optional '*'. */
static int parse_token(const char *r, size_t n, size_t *i, struct dc09_frame *f)
{
    size_t p = *i;
    if (p >= n || r[p] != '"')
        return DC09_E_FORMAT;
    p++;
    if (p < n && r[p] == '*') {
        f->encrypted = 1;
        p++;
    }
    size_t start = p;
    while (p < n && r[p] != '"') {
        char c = r[p];
        if (p - start == TOKEN_MAX ||
            !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return DC09_E_FORMAT;
        p++;
    }
    size_t tlen = p - start;
    if (p >= n || r[p] != '"' || tlen == 0)
        return DC09_E_FORMAT;
    f->token = DC09_TOK_OTHER;
    for (size_t k = 0; k < sizeof tokens / sizeof tokens[0]; k++)
        if (strlen(tokens[k].name) == tlen && memcmp(tokens[k].name, r + start, tlen) == 0)
            f->token = tokens[k].tok;
    if (f->token == DC09_TOK_NAK && f->encrypted) /* NAK is never encrypted */
        return DC09_E_FORMAT;
    *i = p + 1;
    return 0;
}

/* Copies the hex run after a field letter (1..max digits) into dst. In a NAK the run stops
 * before 'A', which starts the account there ("L0A0"). */
static int parse_hexfield(const char *r, size_t n, size_t *i, char *dst, size_t max, int stop_a)
{
    size_t p = *i + 1, k = 0;
    while (p < n && dc09_hexval(r[p]) >= 0 && !(stop_a && (r[p] == 'A' || r[p] == 'a'))) {
        if (k == max)
            return DC09_E_FORMAT;
        dst[k++] = r[p++];
    }
    if (k == 0)
        return DC09_E_FORMAT;
    dst[k] = '\0';
    *i = p;
    return 0;
}

/* seq [Rrcvr] [Lpref] [#acct] up to the '[' that opens the data. */
static int parse_header(const char *r, size_t n, size_t *i, struct dc09_frame *f)
{
    size_t p = *i;
    if (n - p < 4 || dc09_digits(r + p, 4) != 4)
        return DC09_E_FORMAT;
    f->seq = (unsigned)((r[p] - '0') * 1000 + (r[p + 1] - '0') * 100 + (r[p + 2] - '0') * 10 +
                        (r[p + 3] - '0'));
    p += 4;
    int nak = f->token == DC09_TOK_NAK;
    if (p < n && r[p] == 'R' && parse_hexfield(r, n, &p, f->rcvr, ADDR_MAX, nak) < 0)
        return DC09_E_FORMAT;
    if (p < n && r[p] == 'L' && parse_hexfield(r, n, &p, f->line, ADDR_MAX, nak) < 0)
        return DC09_E_FORMAT;
    if (p < n && (r[p] == '#' || (nak && r[p] == 'A')) &&
        parse_hexfield(r, n, &p, f->acct, ACCT_MAX, 0) < 0)
        return DC09_E_FORMAT;
    if (p >= n || r[p] != '[')
        return DC09_E_FORMAT;
    *i = p + 1;
    return 0;
}

int dc09_frame_parse(const char *buf, size_t len, struct dc09_frame *out)
{
    unsigned crc, flen;
    memset(out, 0, sizeof *out);
    if (len < 8)
        return DC09_E_FORMAT;
    if (len > DC09_MAX_FRAME - 2)
        return DC09_E_LEN;
    if (dc09_hexn(buf, 4, &crc) < 0)
        return DC09_E_CRC;
    if (dc09_hexn(buf + 4, 4, &flen) < 0 || flen != len - 8)
        return DC09_E_LEN;
    const char *r = buf + 8;
    size_t n = len - 8;
    if (dc09_crc(r, n) != crc)
        return DC09_E_CRC;
    out->crc = (uint16_t)crc;
    out->len = flen;
    size_t i = 0;
    int rc = parse_token(r, n, &i, out);
    if (rc == 0)
        rc = parse_header(r, n, &i, out);
    if (rc < 0)
        return rc;
    if (!out->encrypted)
        return dc09_body_parse(r + i, n - i, &out->body);
    /* Encrypted: hex, whole AES blocks, at least one. */
    if (n - i == 0 || (n - i) % 32 != 0)
        return DC09_E_FORMAT;
    for (size_t k = i; k < n; k++)
        if (dc09_hexval(r[k]) < 0)
            return DC09_E_FORMAT;
    out->cipher = r + i;
    out->cipher_len = n - i;
    return 0;
}
