/* audit.c - the hash chain: append and verify. */
#include "app/audit.h"

#include "core/clock.h"
#include "core/xmalloc.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void put_u64(crypto_hash_sha256_state *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
    crypto_hash_sha256_update(h, b, sizeof b);
}

static void put_str(crypto_hash_sha256_state *h, const char *s)
{
    size_t n = strlen(s);
    unsigned char b[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    crypto_hash_sha256_update(h, b, sizeof b);
    crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

void audit_hash(const struct audit_rec *r, unsigned char out[AUDIT_HASH_LEN])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, r->prev_hash, AUDIT_HASH_LEN);
    put_u64(&h, (uint64_t)r->id);
    put_u64(&h, (uint64_t)r->at);
    put_str(&h, r->actor);
    put_str(&h, r->action);
    put_str(&h, r->object);
    put_str(&h, r->summary);
    crypto_hash_sha256_final(&h, out);
}

int audit_append(struct store_conn *c, const struct actor *who, const char *action,
                 const char *object, const char *fmt, ...)
{
    char summary[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(summary, sizeof summary, fmt, ap);
    va_end(ap);

    struct audit_rec r = {.at = clock_now_ms(),
                          .actor = who->name,
                          .action = action,
                          .object = object,
                          .summary = summary};
    int64_t last_id;
    int rc = store_audit_head(c, &last_id, r.prev_hash);
    if (rc)
        return rc;
    r.id = last_id + 1;
    audit_hash(&r, r.hash);
    rc = store_audit_insert(c, &r);
    if (rc)
        return rc;
    store_conn_emit(c, "audit",
                    json_pack("{sI ss ss ss}", "id", (json_int_t)r.id, "action", action, "object",
                              object, "actor", who->name));
    return 0;
}

struct verify_ctx {
    struct audit_verdict *v;
    int64_t expect_id;
    unsigned char prev[AUDIT_HASH_LEN];
};

static int fail(struct verify_ctx *x, int64_t id, const char *why)
{
    x->v->ok = 0;
    x->v->first_bad = id;
    snprintf(x->v->reason, sizeof x->v->reason, "%s", why);
    return 1;
}

static int verify_one(const struct audit_rec *r, void *ctx)
{
    struct verify_ctx *x = ctx;
    unsigned char h[AUDIT_HASH_LEN];
    if (r->id != x->expect_id)
        return fail(x, x->expect_id,
                    r->id > x->expect_id ? "record missing (removed)" : "records out of order");
    if (memcmp(r->prev_hash, x->prev, AUDIT_HASH_LEN) != 0)
        return fail(x, r->id, "previous-hash link broken (a record was removed or reordered)");
    audit_hash(r, h);
    if (memcmp(h, r->hash, AUDIT_HASH_LEN) != 0)
        return fail(x, r->id, "record altered (hash mismatch)");
    memcpy(x->prev, r->hash, AUDIT_HASH_LEN);
    x->expect_id++;
    x->v->records++;
    return 0;
}

struct ckpt_ctx {
    struct verify_ctx *x;
    const unsigned char *pk;
};

/* Each checkpoint: signed by pk, consistent, and continuing where the previous one ended. The
 * chain then starts after the newest one. */
static int ckpt_one(const struct audit_ckpt *cp, void *ctx)
{
    struct ckpt_ctx *k = ctx;
    struct audit_verdict *v = k->x->v;
    char why[120] = "";
    if (!k->pk)
        snprintf(why, sizeof why, "cannot be verified: the signing key %s is missing",
                 AUDIT_KEY_FILE);
    else if (audit_ckpt_check(cp, k->pk, why, sizeof why) == 0 && cp->first_id != k->x->expect_id)
        snprintf(why, sizeof why, "starts at record %lld, not %lld (a checkpoint is missing)",
                 (long long)cp->first_id, (long long)k->x->expect_id);
    if (why[0]) {
        /* The records after it cannot be tied to the removed head: name the first of them. */
        v->ok = 0;
        v->bad_checkpoint = cp->id;
        v->first_bad = cp->last_id > 0 ? cp->last_id + 1 : 1;
        snprintf(v->reason, sizeof v->reason, "checkpoint %lld (records %lld..%lld removed) %s",
                 (long long)cp->id, (long long)cp->first_id, (long long)cp->last_id, why);
        return 1;
    }
    k->x->expect_id = cp->last_id + 1;
    memcpy(k->x->prev, cp->last_hash, AUDIT_HASH_LEN);
    v->checkpoint = cp->id;
    v->removed = cp->last_id;
    return 0;
}

int audit_verify(struct store_conn *c, const unsigned char *pk, struct audit_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->ok = 1;
    struct verify_ctx x = {.v = v, .expect_id = 1};
    struct ckpt_ctx k = {.x = &x, .pk = pk};
    int rc = store_audit_ckpt_scan(c, ckpt_one, &k);
    if (rc < 0)
        return rc;
    if (!v->ok)
        return 0;
    rc = store_audit_scan(c, verify_one, &x);
    if (rc < 0)
        return rc;
    if (!v->ok) {
        if (v->checkpoint && v->first_bad == v->removed + 1)
            snprintf(v->reason + strlen(v->reason), sizeof v->reason - strlen(v->reason),
                     "; it should link to checkpoint %lld", (long long)v->checkpoint);
        return 0;
    }
    int64_t head_id;
    unsigned char head_hash[AUDIT_HASH_LEN];
    rc = store_audit_head(c, &head_id, head_hash);
    if (rc)
        return rc;
    int64_t last = x.expect_id - 1;
    if (head_id != last || memcmp(head_hash, x.prev, AUDIT_HASH_LEN) != 0) {
        /* Name a record in every case: the first one missing, the first one the head does not
         * account for, or the last one when only the head's hash disagrees. */
        v->ok = 0;
        v->first_bad = head_id > last ? last + 1 : head_id < last ? head_id + 1 : last;
        if (head_id == last)
            snprintf(v->reason, sizeof v->reason,
                     "chain head hash does not match record %lld (record replaced)",
                     (long long)last);
        else
            snprintf(v->reason, sizeof v->reason,
                     "chain head names record %lld but the trail ends at %lld (records %s)",
                     (long long)head_id, (long long)last,
                     head_id > last ? "removed" : "added behind the head");
    }
    return 0;
}

int app_audit_list(struct app *a, const char *action, const char *actor, const struct page *pg,
                   json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    json_t *rows = NULL;
    int64_t total = 0;
    int rc = store_audit_list(c, action, actor, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

int app_audit_verify(struct app *a, json_t **out)
{
    struct audit_verdict v;
    unsigned char pk[AUDIT_PK_LEN];
    int have_pk = audit_key_public(a, pk) == 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = audit_verify(c, have_pk ? pk : NULL, &v);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = json_pack("{sb sI}", "ok", v.ok, "records", (json_int_t)v.records);
    if (v.checkpoint)
        json_object_set_new(
            *out, "checkpoint",
            json_pack("{sI sI}", "id", (json_int_t)v.checkpoint, "removed", (json_int_t)v.removed));
    if (v.bad_checkpoint)
        json_object_set_new(*out, "bad_checkpoint", json_integer(v.bad_checkpoint));
    if (!v.ok) {
        json_object_set_new(*out, "first_bad", json_integer(v.first_bad));
        json_object_set_new(*out, "reason", json_string(v.reason));
    }
    return 0;
}
