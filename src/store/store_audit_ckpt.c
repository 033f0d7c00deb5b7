/* store_audit_ckpt.c - SQL for the signed checkpoints of the audit trail (retention, S5). */
#include "store/store_audit.h"

#include "store/store_int.h"

#include <errno.h>
#include <string.h>

int store_audit_ckpt_next_id(struct store_conn *c, int64_t *next_id)
{
    return store_q_int(c, next_id, "SELECT coalesce(max(id), 0) + 1 FROM audit_checkpoint", "");
}

int store_audit_ckpt_insert(struct store_conn *c, const struct audit_ckpt *cp)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO audit_checkpoint(id, at, first_id, last_id, removed,"
                        " last_hash, pubkey, signature) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        "iiiiibbb", cp->id, cp->at, cp->first_id, cp->last_id, cp->removed,
                        (const void *)cp->last_hash, (size_t)AUDIT_HASH_LEN,
                        (const void *)cp->pubkey, (size_t)AUDIT_PK_LEN, (const void *)cp->sig,
                        (size_t)AUDIT_SIG_LEN);
}

/* Copies a blob column into out (n bytes), zero-filled; returns 1 when its length was exactly n. */
static int blob(sqlite3_stmt *s, int col, unsigned char *out, int n)
{
    memset(out, 0, (size_t)n);
    int len = sqlite3_column_bytes(s, col);
    const void *p = sqlite3_column_blob(s, col);
    if (p)
        memcpy(out, p, (size_t)(len < n ? len : n));
    return len == n;
}

int store_audit_ckpt_scan(struct store_conn *c, int (*fn)(const struct audit_ckpt *cp, void *ctx),
                          void *ctx)
{
    sqlite3_stmt *s = store_stmt(c, "SELECT id, at, first_id, last_id, removed, last_hash, pubkey,"
                                    " signature FROM audit_checkpoint ORDER BY id");
    if (!s)
        return -EIO;
    int step, rc = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct audit_ckpt cp = {
            .id = sqlite3_column_int64(s, 0),
            .at = sqlite3_column_int64(s, 1),
            .first_id = sqlite3_column_int64(s, 2),
            .last_id = sqlite3_column_int64(s, 3),
            .removed = sqlite3_column_int64(s, 4),
        };
        /* A blob of the wrong length cannot verify: the signature check reports it. */
        int ok = blob(s, 5, cp.last_hash, AUDIT_HASH_LEN);
        ok &= blob(s, 6, cp.pubkey, AUDIT_PK_LEN);
        ok &= blob(s, 7, cp.sig, AUDIT_SIG_LEN);
        if (!ok)
            memset(cp.sig, 0, AUDIT_SIG_LEN);
        rc = fn(&cp, ctx);
        if (rc)
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = -EIO;
    store_stmt_done(c, s);
    return rc;
}
