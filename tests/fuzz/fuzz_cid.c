/* fuzz_cid.c - libFuzzer target for cid_parse_dc09, cid_parse_dtmf and cid_checksum_digit. */
#include "proto/dc09/dc09.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cid_event *e)
{
    if ((e->qualifier != 1 && e->qualifier != 3 && e->qualifier != 6) || e->code < 100 ||
        e->code > 999 || e->group > 99 || e->zone > 999 ||
        strnlen(e->acct, sizeof e->acct) == sizeof e->acct)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024)
        return 0;
    char *buf = malloc(size ? size : 1); /* exact size: reads past len are caught */
    memcpy(buf, data, size);
    struct cid_event e;
    if (cid_parse_dc09(buf, size, &e) == 0)
        check(&e);
    if (cid_parse_dtmf(buf, size, &e) == 0) {
        check(&e);
        /* A valid message's last digit is the checksum of the first fifteen. */
        char d[16];
        size_t n = 0;
        for (size_t i = 0; i < size && n < 16; i++)
            if (buf[i] != ' ')
                d[n++] = buf[i];
        int s = cid_checksum_digit(d);
        char hi = (char)(d[15] & ~0x20);
        int v = d[15] == '0' ? 10 : d[15] <= '9' ? d[15] - '0' : hi - 'A' + 10;
        if (n != 16 || s != v)
            abort();
    }
    if (size >= 15) {
        int s = cid_checksum_digit(buf);
        if (s != DC09_E_FORMAT && (s < 1 || s > 15))
            abort();
    }
    free(buf);
    return 0;
}
