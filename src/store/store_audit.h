/* store_audit.h - rows of the hash-chained audit trail. The chain logic is in app/audit.c. */
#ifndef VIGIL_STORE_AUDIT_H
#define VIGIL_STORE_AUDIT_H

#include "store/store.h"

#define AUDIT_HASH_LEN 32

struct audit_rec {
    int64_t id;
    int64_t at;
    const char *actor, *action, *object, *summary; /* borrowed, valid during the callback */
    unsigned char prev_hash[AUDIT_HASH_LEN];
    unsigned char hash[AUDIT_HASH_LEN];
};

/* OUT: the newest record's id and hash per audit_head (id 0 and zero hash when empty). */
int store_audit_head(struct store_conn *c, int64_t *last_id, unsigned char hash[AUDIT_HASH_LEN]);
/* Inserts r (with r->id set by the caller) and moves the head to it. Writer only. */
int store_audit_insert(struct store_conn *c, const struct audit_rec *r);
/* Calls fn for every record in id order; stops early when fn returns non-zero (returned). */
int store_audit_scan(struct store_conn *c, int (*fn)(const struct audit_rec *r, void *ctx),
                     void *ctx);
/* A page of records, newest first, filtered by action/actor when non-NULL. OUT *rows, *total. */
int store_audit_list(struct store_conn *c, const char *action, const char *actor, int64_t limit,
                     int64_t offset, json_t **rows, int64_t *total);

/* A signed checkpoint: audit records first_id..last_id were removed by retention; the last of
 * them had hash last_hash. app/audit.c signs and verifies it (docs/retention.md). */
#define AUDIT_PK_LEN 32
#define AUDIT_SIG_LEN 64
struct audit_ckpt {
    int64_t id, at, first_id, last_id, removed;
    unsigned char last_hash[AUDIT_HASH_LEN];
    unsigned char pubkey[AUDIT_PK_LEN];
    unsigned char sig[AUDIT_SIG_LEN];
};
/* OUT *next_id: the id the next checkpoint gets. */
int store_audit_ckpt_next_id(struct store_conn *c, int64_t *next_id);
/* Inserts cp (cp->id set by the caller). Writer only. */
int store_audit_ckpt_insert(struct store_conn *c, const struct audit_ckpt *cp);
/* Calls fn for every checkpoint in id order; stops when fn returns non-zero (returned). */
int store_audit_ckpt_scan(struct store_conn *c, int (*fn)(const struct audit_ckpt *cp, void *ctx),
                          void *ctx);

#endif
