/* secret.c - sealing short secrets for storage (see secret.h). */
#include "app/secret.h"

#include "app/app.h"
#include "core/keyfile.h"
#include "core/xmalloc.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(SECRET_KEY_BYTES == crypto_secretbox_KEYBYTES, "secretbox key size");

static int load_key(const struct app *a, unsigned char key[crypto_secretbox_KEYBYTES], int create)
{
    if (!a->data_dir)
        return -ENOKEY;
    char *path = xasprintf("%s/%s", a->data_dir, SECRET_KEY_FILE);
    int rc = keyfile_read(path, key, crypto_secretbox_KEYBYTES);
    if (rc == -ENOENT && create) {
        crypto_secretbox_keygen(key);
        rc = keyfile_create(path, key, crypto_secretbox_KEYBYTES);
        if (rc == -EEXIST) /* another process created it first: use theirs */
            rc = keyfile_read(path, key, crypto_secretbox_KEYBYTES);
    }
    free(path);
    if (rc == -ENOENT)
        rc = -ENOKEY;
    if (rc)
        sodium_memzero(key, crypto_secretbox_KEYBYTES);
    return rc;
}

int secret_is_sealed(const char *stored)
{
    return stored && strncmp(stored, SECRET_PREFIX, strlen(SECRET_PREFIX)) == 0;
}

int secret_seal(const struct app *a, const char *plain, char **out)
{
    size_t len = strlen(plain);
    if (len > SECRET_PLAIN_MAX)
        return -EINVAL;
    unsigned char key[crypto_secretbox_KEYBYTES];
    int rc = load_key(a, key, 1);
    if (rc)
        return rc;
    unsigned char raw[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SECRET_PLAIN_MAX];
    randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len, raw,
                          key);
    sodium_memzero(key, sizeof key);
    size_t rawlen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    char *s = xmalloc(SECRET_SEALED_LEN(len) + 1);
    memcpy(s, SECRET_PREFIX, 3);
    sodium_bin2hex(s + 3, 2 * rawlen + 1, raw, rawlen);
    *out = s;
    return 0;
}

int secret_key_load(const struct app *a, unsigned char key[SECRET_KEY_BYTES])
{
    return load_key(a, key, 0);
}

int secret_open_with(const unsigned char *key, const char *stored, char *out, size_t n)
{
    if (!secret_is_sealed(stored)) {
        if (strlen(stored) >= n) {
            memset(out, 0, n);
            return -ENOSPC;
        }
        memcpy(out, stored, strlen(stored) + 1);
        return 0;
    }
    memset(out, 0, n);
    const char *hex = stored + 3;
    size_t hexlen = strlen(hex);
    unsigned char raw[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SECRET_PLAIN_MAX];
    size_t rawlen = 0;
    if (hexlen % 2 || hexlen / 2 > sizeof raw ||
        sodium_hex2bin(raw, sizeof raw, hex, hexlen, NULL, &rawlen, NULL) != 0 ||
        rawlen != hexlen / 2 || rawlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return -EBADMSG;
    size_t len = rawlen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (len >= n)
        return -ENOSPC;
    if (!key)
        return -ENOKEY;
    int rc = crypto_secretbox_open_easy((unsigned char *)out, raw + crypto_secretbox_NONCEBYTES,
                                        rawlen - crypto_secretbox_NONCEBYTES, raw, key)
                 ? -EBADMSG
                 : 0;
    sodium_memzero(raw, sizeof raw);
    if (rc)
        memset(out, 0, n);
    else
        out[len] = '\0';
    return rc;
}

int secret_open(const struct app *a, const char *stored, char *out, size_t n)
{
    unsigned char key[SECRET_KEY_BYTES];
    int krc = secret_is_sealed(stored) ? secret_key_load(a, key) : -ENOKEY;
    int rc = secret_open_with(krc ? NULL : key, stored, out, n);
    sodium_memzero(key, sizeof key);
    return rc == -ENOKEY ? krc : rc; /* the key file's own error, when that was the trouble */
}
