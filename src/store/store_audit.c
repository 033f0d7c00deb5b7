/* store_audit.c - SQL for the audit trail. */
#include "store/store_audit.h"

#include "store/store_int.h"

#include <errno.h>
#include <string.h>

int store_audit_head(struct store_conn *c, int64_t *last_id, unsigned char hash[AUDIT_HASH_LEN])
{
    sqlite3_stmt *s = store_stmt(c, "SELECT last_id, last_hash FROM audit_head WHERE one = 1");
    if (!s)
        return -EIO;
    int step = sqlite3_step(s), rc = 0;
    if (step == SQLITE_ROW && sqlite3_column_bytes(s, 1) == AUDIT_HASH_LEN) {
        *last_id = sqlite3_column_int64(s, 0);
        memcpy(hash, sqlite3_column_blob(s, 1), AUDIT_HASH_LEN);
    } else if (step == SQLITE_DONE) {
        *last_id = 0;
        memset(hash, 0, AUDIT_HASH_LEN);
    } else {
        rc = -EIO;
    }
    store_stmt_done(c, s);
    return rc;
}

int store_audit_insert(struct store_conn *c, const struct audit_rec *r)
{
    int rc = store_q_exec(c, NULL, NULL,
                          "INSERT INTO audit(id, at, actor, action, object, summary, prev_hash,"
                          " hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          "iissssbb", r->id, r->at, r->actor, r->action, r->object, r->summary,
                          (const void *)r->prev_hash, (size_t)AUDIT_HASH_LEN, (const void *)r->hash,
                          (size_t)AUDIT_HASH_LEN);
    if (rc)
        return rc;
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO audit_head(one, last_id, last_hash) VALUES(1, ?1, ?2)"
                        " ON CONFLICT(one) DO UPDATE SET last_id = ?1, last_hash = ?2",
                        "ib", r->id, (const void *)r->hash, (size_t)AUDIT_HASH_LEN);
}

static void copy_hash(sqlite3_stmt *s, int col, unsigned char out[AUDIT_HASH_LEN])
{
    memset(out, 0, AUDIT_HASH_LEN);
    int n = sqlite3_column_bytes(s, col);
    const void *p = sqlite3_column_blob(s, col);
    if (p)
        memcpy(out, p, n < AUDIT_HASH_LEN ? (size_t)n : AUDIT_HASH_LEN);
}

static const char *col_text(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    return t ? t : "";
}

int store_audit_scan(struct store_conn *c, int (*fn)(const struct audit_rec *r, void *ctx),
                     void *ctx)
{
    sqlite3_stmt *s = store_stmt(c, "SELECT id, at, actor, action, object, summary, prev_hash, hash"
                                    " FROM audit ORDER BY id");
    if (!s)
        return -EIO;
    int step, rc = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct audit_rec r = {
            .id = sqlite3_column_int64(s, 0),
            .at = sqlite3_column_int64(s, 1),
            .actor = col_text(s, 2),
            .action = col_text(s, 3),
            .object = col_text(s, 4),
            .summary = col_text(s, 5),
        };
        copy_hash(s, 6, r.prev_hash);
        copy_hash(s, 7, r.hash);
        rc = fn(&r, ctx);
        if (rc)
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = -EIO;
    store_stmt_done(c, s);
    return rc;
}

int store_audit_list(struct store_conn *c, const char *action, const char *actor, int64_t limit,
                     int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM audit WHERE (?1 IS NULL OR action = ?1)"
                         " AND (?2 IS NULL OR actor = ?2)",
                         "ss", action, actor);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        "SELECT id, at AS \"at:time\", actor, action, object, summary, hash"
                        " FROM audit WHERE (?1 IS NULL OR action = ?1) AND (?2 IS NULL OR"
                        " actor = ?2) ORDER BY id DESC LIMIT ?3 OFFSET ?4",
                        "ssii", action, actor, limit, offset);
}
