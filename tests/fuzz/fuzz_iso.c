/* fuzz_iso.c - libFuzzer target for clock_parse_iso, with a round-trip check. */
#include "core/clock.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64)
        return 0;
    char s[65];
    memcpy(s, data, size);
    s[size] = '\0';
    int64_t ms;
    if (clock_parse_iso(s, &ms) == 0 && ms >= 0) {
        char out[CLOCK_ISO_LEN];
        int64_t back;
        /* Whatever parses must format and parse back to the same instant. */
        if (clock_format_iso(ms, out, sizeof out) == 0 &&
            (clock_parse_iso(out, &back) != 0 || back != ms))
            abort();
    }
    return 0;
}
