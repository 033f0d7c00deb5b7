/* fuzz_dc09_crypt.c - libFuzzer target for the decryption path (dc09_decrypt) with a fixed
 * AES-128 key (the one of the first encrypted frame in dc09-vectors.txt).
 * 1. The input as a frame, CRC and length recomputed, decrypted when it is encrypted.
 * 2. The input as decrypted plain text: encrypted with the key into a frame, parsed and
 *    decrypted again, which drives the pad removal over arbitrary plain text. */
#include "proto/dc09/dc09.h"
#include "proto/dc09/dc09_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

static void decrypt(struct dc09_frame *f)
{
    char plain[DC09_MAX_FRAME / 2];
    if (dc09_decrypt(f, key, sizeof key, plain, sizeof plain) != 0)
        return;
    const struct dc09_body *b = &f->body;
    if (!b->has_time || !b->data || b->data < plain ||
        b->data + b->data_len > plain + f->cipher_len / 2)
        abort();
}

static void as_frame(char *buf, size_t size)
{
    if (size < 8)
        return;
    char head[9];
    snprintf(head, sizeof head, "%04X%04X", dc09_crc(buf + 8, size - 8),
             (unsigned)(size - 8) & 0xFFFF);
    memcpy(buf, head, 8);
    struct dc09_frame f;
    if (dc09_frame_parse(buf, size, &f) == 0 && f.encrypted)
        decrypt(&f);
}

static void as_plain(const uint8_t *data, size_t size)
{
    static const char head[] = "\"*SIA-DCS\"0001L0#1234[";
    uint8_t p[1024];
    size_t n = size < sizeof p ? size : sizeof p;
    n = n < 16 ? 16 : n - n % 16;
    memset(p, 0, sizeof p);
    memcpy(p, data, size < n ? size : n);
    if (dc09_aes_cbc(1, key, sizeof key, p, n, p) != 0)
        abort();
    size_t hl = sizeof head - 1, len = 8 + hl + 2 * n;
    char *frame = malloc(len);
    memcpy(frame + 8, head, hl);
    for (size_t i = 0; i < n; i++) {
        frame[8 + hl + 2 * i] = "0123456789ABCDEF"[p[i] >> 4];
        frame[8 + hl + 2 * i + 1] = "0123456789ABCDEF"[p[i] & 15];
    }
    char h[9];
    snprintf(h, sizeof h, "%04X%04X", dc09_crc(frame + 8, len - 8), (unsigned)(len - 8));
    memcpy(frame, h, 8);
    struct dc09_frame f;
    if (dc09_frame_parse(frame, len, &f) != 0)
        abort();
    decrypt(&f);
    free(frame);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > DC09_MAX_FRAME)
        return 0;
    char *buf = malloc(size ? size : 1); /* exact size: reads past len are caught */
    memcpy(buf, data, size);
    as_frame(buf, size);
    free(buf);
    as_plain(data, size);
    return 0;
}
