/* dc09_crc.c - CRC-16/ARC for DC-09 frames and the small hex/decimal helpers of the module. */
#include "proto/dc09/dc09.h"
#include "proto/dc09/dc09_int.h"

/* CRC-16/ARC of one nibble: reflected polynomial 0xA001, four shifts (PROTOCOLS.md §1.2). */
static const uint16_t nibble_tab[16] = {0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00,
                                        0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401,
                                        0x5000, 0x9C01, 0x8801, 0x4400};

uint16_t dc09_crc(const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint16_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (uint16_t)((crc >> 4) ^ nibble_tab[crc & 0xF]);
        crc = (uint16_t)((crc >> 4) ^ nibble_tab[crc & 0xF]);
    }
    return crc;
}

int dc09_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int dc09_hexn(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    if (n == 0 || n > 7)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int d = dc09_hexval(s[i]);
        if (d < 0)
            return -1;
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 0;
}

size_t dc09_digits(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}
