/* dc09_int.h - helpers shared by the dc09_*.c files (not part of the public contract). */
#ifndef VIGIL_DC09_INT_H
#define VIGIL_DC09_INT_H

#include <stddef.h>
#include <stdint.h>

/* Length of the DC-09 time stamp "HH:MM:SS,MM-DD-YYYY" (without the leading '_'). */
#define DC09_TS_LEN 19

/* Value of one hex digit (either case), or -1. */
int dc09_hexval(char c);
/* Parses exactly n hex digits (n <= 7). Returns 0 or -1. */
int dc09_hexn(const char *s, size_t n, unsigned *out);
/* Number of leading decimal digits of s (at most len). */
size_t dc09_digits(const char *s, size_t len);

/* Parses the 19 bytes at s as "HH:MM:SS,MM-DD-YYYY" (UTC, years 1970..9999, days per month
 * checked). Returns 0 or -1. */
int dc09_time_parse(const char *s, int64_t *out_ms);
/* Formats ms (0 .. year 9999) as "HH:MM:SS,MM-DD-YYYY" into out (DC09_TS_LEN + 1 bytes, NUL
 * terminated). Returns 0 or -1 when ms is out of range. */
int dc09_time_format(int64_t ms, char out[DC09_TS_LEN + 1]);

/* AES-CBC with a zero IV and no padding over n bytes (a multiple of 16); in and out may be the
 * same buffer. keylen 16, 24 or 32. Returns 0 or -1. */
int dc09_aes_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t *in, size_t n,
                 uint8_t *out);

/* What goes into one frame: the header fields and "inner", the text after the opening '[' of the
 * data block ("data]" "[ext]"... "_ts") before any padding or encryption. */
struct dc09_out {
    const char *token; /* without quotes and without '*' */
    unsigned seq;
    const char *rcvr, *line, *acct; /* "" or NULL to omit */
    char acct_prefix;               /* '#' normally, 'A' for the canonical NAK */
    const char *inner;
    size_t inner_len;
    const uint8_t *key; /* non-NULL: encrypt ("*" token, pad, '|') */
    size_t keylen;
    uint32_t pad_seed;
};

/* Writes LF crc 0LLL region CR into out. Returns the length, -ENOSPC or -EINVAL. */
int dc09_emit(char *out, size_t cap, const struct dc09_out *o);

#endif
