/* audit_ckpt.c - signed checkpoints of the audit trail and the daemon's signing key.
 *
 * The signed message (docs/retention.md): the 25 ASCII bytes "vigil.audit.checkpoint.v1", then
 * id, at, first_id, last_id and removed as 8-byte big-endian integers, then last_hash (32 bytes)
 * and the signer's public key (32 bytes). The key file holds the 32-byte Ed25519 seed as hex. */
#include "app/audit.h"

#include "core/keyfile.h"
#include "core/xmalloc.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOMAIN "vigil.audit.checkpoint.v1"
#define MSG_LEN (sizeof DOMAIN - 1 + 5 * 8 + AUDIT_HASH_LEN + AUDIT_PK_LEN)

static unsigned char *put_be(unsigned char *p, int64_t v)
{
    uint64_t u = (uint64_t)v;
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(u & 0xff);
        u >>= 8;
    }
    return p + 8;
}

static void message(const struct audit_ckpt *cp, unsigned char out[MSG_LEN])
{
    unsigned char *p = out;
    memcpy(p, DOMAIN, sizeof DOMAIN - 1);
    p += sizeof DOMAIN - 1;
    p = put_be(p, cp->id);
    p = put_be(p, cp->at);
    p = put_be(p, cp->first_id);
    p = put_be(p, cp->last_id);
    p = put_be(p, cp->removed);
    memcpy(p, cp->last_hash, AUDIT_HASH_LEN);
    memcpy(p + AUDIT_HASH_LEN, cp->pubkey, AUDIT_PK_LEN);
}

void audit_ckpt_sign(struct audit_ckpt *cp, const unsigned char sk[64])
{
    unsigned char msg[MSG_LEN];
    crypto_sign_ed25519_sk_to_pk(cp->pubkey, sk);
    message(cp, msg);
    crypto_sign_detached(cp->sig, NULL, msg, sizeof msg, sk);
}

int audit_ckpt_check(const struct audit_ckpt *cp, const unsigned char pk[AUDIT_PK_LEN], char *why,
                     size_t n)
{
    unsigned char msg[MSG_LEN];
    if (sodium_memcmp(cp->pubkey, pk, AUDIT_PK_LEN) != 0) {
        snprintf(why, n, "is signed by another key than this daemon's (%s)", AUDIT_KEY_FILE);
        return -EBADMSG;
    }
    message(cp, msg);
    if (crypto_sign_verify_detached(cp->sig, msg, sizeof msg, pk) != 0) {
        snprintf(why, n, "has an invalid signature (checkpoint altered)");
        return -EBADMSG;
    }
    if (cp->first_id < 1 || cp->last_id < cp->first_id ||
        cp->removed != cp->last_id - cp->first_id + 1) {
        snprintf(why, n, "is inconsistent (removed %lld for records %lld..%lld)",
                 (long long)cp->removed, (long long)cp->first_id, (long long)cp->last_id);
        return -EBADMSG;
    }
    return 0;
}

static char *key_path(const struct app *a)
{
    return xasprintf("%s/%s", a->data_dir, AUDIT_KEY_FILE);
}

static int load_seed(const struct app *a, unsigned char seed[crypto_sign_SEEDBYTES])
{
    if (!a->data_dir)
        return -ENOENT;
    char *path = key_path(a);
    int rc = keyfile_read(path, seed, crypto_sign_SEEDBYTES);
    free(path);
    return rc;
}

int audit_key_public(const struct app *a, unsigned char pk[AUDIT_PK_LEN])
{
    unsigned char seed[crypto_sign_SEEDBYTES], sk[crypto_sign_SECRETKEYBYTES];
    int rc = load_seed(a, seed);
    if (!rc)
        crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    return rc;
}

int audit_key_secret(const struct app *a, unsigned char sk[64])
{
    unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    int rc = load_seed(a, seed);
    if (rc == -ENOENT && a->data_dir) {
        randombytes_buf(seed, sizeof seed);
        char *path = key_path(a);
        rc = keyfile_create(path, seed, sizeof seed);
        if (rc == -EEXIST) /* another process created it first: use theirs */
            rc = keyfile_read(path, seed, sizeof seed);
        free(path);
    }
    if (!rc)
        crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
    return rc;
}
