/* audit.h - the tamper-evident audit trail (S5).
 *
 * Each record's hash is SHA-256 over the previous record's hash followed by a canonical
 * encoding of the record (id and time as 8-byte big-endian integers, then actor, action,
 * object and summary, each as a 4-byte big-endian length and its bytes). The first record's
 * previous hash is 32 zero bytes. The head row names the newest record, so removing records
 * at the end is detected as well as altering, removing or reordering any in between.
 *
 * Retention removes the oldest records (app/retention.c); a signed checkpoint then stands for
 * them: it names the last removed record and its hash, the number removed and the time, signed
 * with Ed25519 by the daemon's key (DATA/audit-signing.key). Verification starts from the newest
 * checkpoint: every checkpoint's signature, their continuity, that the first remaining record
 * links to the newest one, and the chain after it (docs/retention.md). */
#ifndef VIGIL_AUDIT_H
#define VIGIL_AUDIT_H

#include "app/app.h"
#include "store/store_audit.h"

/* Appends a record inside a writer job and emits an "audit" event. object names what was
 * acted on ("user:12", "resident:4"); summary is one human line and never holds a secret or
 * an unmasked personal datum. Returns 0 or a store error. */
int audit_append(struct store_conn *c, const struct actor *who, const char *action,
                 const char *object, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Computes r's hash from its fields and r->prev_hash into out. */
void audit_hash(const struct audit_rec *r, unsigned char out[AUDIT_HASH_LEN]);

struct audit_verdict {
    int ok;
    int64_t records;
    int64_t first_bad;      /* id of the first bad record (0 when ok) */
    int64_t checkpoint;     /* the newest checkpoint verified from (0: none) */
    int64_t removed;        /* records removed before it (its last_id) */
    int64_t bad_checkpoint; /* the checkpoint found bad (0: none) */
    char reason[200];
};

/* Walks the chain on a read connection from the newest checkpoint, whose signatures are checked
 * with pk (the daemon's public key; NULL when unavailable, which fails a trail that has
 * checkpoints). Returns 0 (see v->ok) or a store error. */
int audit_verify(struct store_conn *c, const unsigned char *pk, struct audit_verdict *v);

/* ---- checkpoints and the signing key (audit_ckpt.c) ---- */
#define AUDIT_KEY_FILE "audit-signing.key"
/* Signs cp (every field but sig set; pubkey is set from sk) with the Ed25519 secret key sk. */
void audit_ckpt_sign(struct audit_ckpt *cp, const unsigned char sk[64]);
/* 0 when cp is signed by pk and consistent (removed == last_id - first_id + 1), else -EBADMSG
 * with why (size n) saying what is wrong. */
int audit_ckpt_check(const struct audit_ckpt *cp, const unsigned char pk[AUDIT_PK_LEN], char *why,
                     size_t n);
/* The daemon's public key, from DATA/audit-signing.key. -ENOENT when there is none yet (or the
 * app has no data directory). */
int audit_key_public(const struct app *a, unsigned char pk[AUDIT_PK_LEN]);
/* The secret key, creating the key file (mode 0600) on first use. */
int audit_key_secret(const struct app *a, unsigned char sk[64]);

/* The audit list page for the API. */
int app_audit_list(struct app *a, const char *action, const char *actor, const struct page *pg,
                   json_t **out);
/* Verifies and renders {"ok":…, "records":N, "checkpoint":{…}?, "first_bad":ID, "reason":…}. */
int app_audit_verify(struct app *a, json_t **out);

#endif
