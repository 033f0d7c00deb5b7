/* cid.c - Ademco Contact ID (SIA DC-05; PROTOCOLS.md §2): the "#acct|QXYZ GG CCC" data of a
 * DC-09 ADM-CID frame and the 16-digit DTMF message with its mod-15 checksum. */
#include "proto/dc09/dc09.h"

#include <string.h>

#define DTMF_DIGITS 16

/* Value of a Contact ID digit: 0 counts as 10, B..F as 11..15; 'A' is not a CID digit. */
static int cid_value(char c)
{
    if (c == '0')
        return 10;
    if (c >= '1' && c <= '9')
        return c - '0';
    if (c >= 'B' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'b' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int cid_checksum_digit(const char *digits15)
{
    int sum = 0;
    for (int i = 0; i < 15; i++) {
        int v = cid_value(digits15[i]);
        if (v < 0)
            return DC09_E_FORMAT;
        sum += v;
    }
    return 15 - sum % 15; /* 15 (sent as F) when the sum is already a multiple of 15 */
}

static unsigned decimal(const char *s, int n)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

static int all_decimal(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Q XYZ GG CCC from 9 decimal digits. */
static int event_fields(const char *d9, struct cid_event *out)
{
    if (!all_decimal(d9, 9))
        return DC09_E_FORMAT;
    out->qualifier = d9[0] - '0';
    out->code = decimal(d9 + 1, 3);
    out->group = decimal(d9 + 4, 2);
    out->zone = decimal(d9 + 6, 3);
    if ((out->qualifier != 1 && out->qualifier != 3 && out->qualifier != 6) || out->code < 100)
        return DC09_E_FORMAT;
    return 0;
}

/* Copies the non-space characters of s into dst (at most max; more is an error). */
static int squeeze(const char *s, size_t len, char *dst, size_t max, size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ')
            continue;
        if (k == max)
            return -1;
        dst[k++] = s[i];
    }
    *n = k;
    return 0;
}

int cid_parse_dc09(const char *data, size_t len, struct cid_event *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    if (len > 0 && data[0] == '#') {
        const char *bar = memchr(data, '|', len);
        size_t n = bar ? (size_t)(bar - data) - 1 : 0;
        if (n == 0 || n >= sizeof out->acct)
            return DC09_E_FORMAT;
        for (size_t k = 1; k <= n; k++)
            if (cid_value(data[k]) < 0 && data[k] != 'A' && data[k] != 'a')
                return DC09_E_FORMAT;
        memcpy(out->acct, data + 1, n);
        i = n + 2;
    } else if (len > 0 && data[0] == '|') {
        i = 1;
    }
    char d[9];
    size_t n;
    int rc = DC09_E_FORMAT;
    if (squeeze(data + i, len - i, d, sizeof d, &n) == 0 && n == sizeof d)
        rc = event_fields(d, out);
    if (rc < 0)
        memset(out, 0, sizeof *out);
    return rc;
}

int cid_parse_dtmf(const char *msg, size_t len, struct cid_event *out)
{
    char d[DTMF_DIGITS];
    size_t n;
    memset(out, 0, sizeof *out);
    if (squeeze(msg, len, d, sizeof d, &n) < 0 || n != DTMF_DIGITS)
        return DC09_E_FORMAT;
    int sum = 0;
    for (size_t k = 0; k < DTMF_DIGITS; k++) {
        int v = cid_value(d[k]);
        if (v < 0)
            return DC09_E_FORMAT;
        sum += v;
    }
    if (sum % 15 != 0)
        return DC09_E_CRC;
    if (!((d[4] == '1' || d[4] == '9') && d[5] == '8'))
        return DC09_E_FORMAT;
    int rc = event_fields(d + 6, out);
    if (rc < 0) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    memcpy(out->acct, d, 4);
    return 0;
}
