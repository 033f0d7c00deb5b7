/* dc09_crypt.c - DC-09 encryption (PROTOCOLS.md §1.4): AES-CBC with a zero IV through OpenSSL's
 * EVP interface, key parsing, and decryption of a received frame with removal of the pad. */
#include "proto/dc09/dc09.h"
#include "proto/dc09/dc09_int.h"

#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

static const EVP_CIPHER *cipher_for(size_t keylen)
{
    switch (keylen) {
    case 16:
        return EVP_aes_128_cbc();
    case 24:
        return EVP_aes_192_cbc();
    case 32:
        return EVP_aes_256_cbc();
    default:
        return NULL;
    }
}

int dc09_aes_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t *in, size_t n,
                 uint8_t *out)
{
    static const uint8_t iv[16];
    const EVP_CIPHER *c = cipher_for(keylen);
    if (!c || !key || n % 16 != 0 || n > (size_t)0x7FFFFFF0)
        return -1;
    /* The context is allocated by OpenSSL (opaque type) and freed before returning. */
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx)
        return -1;
    int ok = 0, outl = 0, fin = 0;
    if (EVP_CipherInit_ex(ctx, c, NULL, key, iv, encrypt ? 1 : 0) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
        EVP_CipherUpdate(ctx, out, &outl, in, (int)n) == 1 &&
        EVP_CipherFinal_ex(ctx, out + outl, &fin) == 1 && (size_t)(outl + fin) == n)
        ok = 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? 0 : -1;
}

int dc09_key_parse(const char *s, uint8_t key[32], size_t *keylen)
{
    if (!s)
        return -EINVAL;
    size_t n = strnlen(s, 65);
    int hex = n == 32 || n == 48 || n == 64;
    for (size_t i = 0; hex && i < n; i++)
        hex = dc09_hexval(s[i]) >= 0;
    if (hex) {
        for (size_t i = 0; i < n / 2; i++)
            key[i] = (uint8_t)(dc09_hexval(s[2 * i]) << 4 | dc09_hexval(s[2 * i + 1]));
        *keylen = n / 2;
        return 0;
    }
    if (n != 16 && n != 24 && n != 32)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
            return -EINVAL;
    memcpy(key, s, n);
    *keylen = n;
    return 0;
}

/* Where the body starts in the decrypted text p (n bytes), or -1. The pad never contains '|',
 * '[' or ']', so a '|' before the first ']' ends the pad (the standard form). Without one the
 * device omitted it (Hikvision/Ajax): data cannot be told from pad, so the body is taken to
 * start at the first ']' with empty data. A device that omits the '|' before "#acct|..." data is
 * recognised by the frame's own account just before the first '|'. */
static long body_start(const char *p, size_t n, const char *acct)
{
    const char *close = memchr(p, ']', n);
    if (!close)
        return -1;
    size_t b = (size_t)(close - p);
    const char *bar = memchr(p, '|', b);
    if (!bar)
        return (long)b;
    size_t i = (size_t)(bar - p), alen = strnlen(acct, 16);
    if (alen > 0 && i > alen && p[i - alen - 1] == '#' && memcmp(p + i - alen, acct, alen) == 0)
        return (long)(i - alen - 1);
    return (long)i + 1;
}

int dc09_decrypt(struct dc09_frame *f, const uint8_t *key, size_t keylen, char *plain, size_t cap)
{
    size_t n = f->cipher_len / 2;
    if (!f->encrypted || !f->cipher || f->cipher_len == 0 || f->cipher_len % 32 != 0 || n > cap ||
        !cipher_for(keylen))
        return DC09_E_FORMAT;
    uint8_t *u = (uint8_t *)plain;
    for (size_t i = 0; i < n; i++) {
        int hi = dc09_hexval(f->cipher[2 * i]), lo = dc09_hexval(f->cipher[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return DC09_E_FORMAT;
        u[i] = (uint8_t)(hi << 4 | lo);
    }
    if (dc09_aes_cbc(0, key, keylen, u, n, u) < 0)
        return DC09_E_FORMAT;
    long s = body_start(plain, n, f->acct);
    if (s < 0)
        return DC09_E_FORMAT;
    int rc = dc09_body_parse(plain + s, n - (size_t)s, &f->body);
    if (rc == 0 && !f->body.has_time) /* required in encrypted messages (the replay defence) */
        rc = DC09_E_FORMAT;
    if (rc < 0)
        memset(&f->body, 0, sizeof f->body);
    return rc;
}
