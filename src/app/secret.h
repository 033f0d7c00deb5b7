/* secret.h - short secrets the daemon must use again in clear (a camera's password for basic or
 * digest authentication) are stored sealed: XSalsa20-Poly1305 (libsodium secretbox) under a key
 * kept in the data directory (SECRET_KEY_FILE, mode 0600, created on first use), so a copy of
 * the database alone (a backup, a support bundle) does not reveal them.
 *
 * Stored form: "v1:" then hex(nonce || box). A stored value without the prefix is a legacy clear
 * value (written before sealing existed); secret_open passes it through and
 * app_secret_seal_legacy reseals such values at start. */
#ifndef VIGIL_APP_SECRET_H
#define VIGIL_APP_SECRET_H

#include <stddef.h>

struct app;

#define SECRET_KEY_FILE "secret.key"
#define SECRET_PREFIX "v1:"
#define SECRET_PLAIN_MAX 255 /* longest secret sealed */
/* Length of the stored form of a secret of n bytes, without the NUL. */
#define SECRET_SEALED_LEN(n) (3 + 2 * (24 + 16 + (n)))

/* Seals plain (at most SECRET_PLAIN_MAX bytes) under the data directory's key, creating the key
 * when there is none. Returns 0 and *out (caller frees), -EINVAL for a secret too long, -ENOKEY
 * when the app has no data directory, or another negative errno from the key file. */
int secret_seal(const struct app *a, const char *plain, char **out);

/* Opens a stored value into out (n bytes, NUL-terminated). A value without SECRET_PREFIX is
 * copied as it is. Returns 0, -EBADMSG when the value is malformed or does not open with this
 * key (tampered, or the key file is not the one that sealed it), -ENOKEY when the key file is
 * missing, -ENOSPC when out is too small. out is zeroed on every error. */
int secret_open(const struct app *a, const char *stored, char *out, size_t n);

/* The same, for many values under one reading of the key file: secret_key_load (0, -ENOKEY
 * or the key file's error), then secret_open_with for each; key NULL (no key could be loaded)
 * opens clear values and refuses sealed ones with -ENOKEY. Callers zero the key after use. */
#define SECRET_KEY_BYTES 32
int secret_key_load(const struct app *a, unsigned char key[SECRET_KEY_BYTES]);
int secret_open_with(const unsigned char *key, const char *stored, char *out, size_t n);

/* 1 when stored is in the sealed form. */
int secret_is_sealed(const char *stored);

#endif
