/* fuzz_sia.c - libFuzzer target for sia_parse (SIA-DCS data), with checks on what parses. */
#include "proto/dc09/dc09.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > DC09_MAX_FRAME)
        return 0;
    char *buf = malloc(size ? size : 1); /* exact size: reads past len are caught */
    memcpy(buf, data, size);
    struct sia_payload p;
    if (sia_parse(buf, size, &p) == 0) {
        if (p.n < 1 || p.n > SIA_MAX_EVENTS || strnlen(p.acct, sizeof p.acct) == sizeof p.acct)
            abort();
        for (int i = 0; i < p.n; i++) {
            const struct sia_event *e = &p.ev[i];
            if (strnlen(e->code, 3) != 2 || strnlen(e->zone, 8) == 8 || strnlen(e->area, 8) == 8 ||
                strnlen(e->text, 64) == 64)
                abort();
        }
    }
    free(buf);
    return 0;
}
