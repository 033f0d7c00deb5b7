/* store_retention.c - SQL of the retention job. The statements over a record type are built from
 * the constant strings of its policy row (see store_retention.h), so they are prepared here
 * directly rather than through the statement cache (whose key is a literal's address). */
#include "store/store_retention.h"

#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX 2048
#define HELD_SQL                                                                                   \
    "EXISTS (SELECT 1 FROM legal_hold h WHERE h.record_type = ?2 AND h.record_id = r.id"           \
    " AND h.released_at IS NULL)"

static int step_error(struct store_conn *c)
{
    int ext = sqlite3_extended_errcode(c->db);
    if ((ext & 0xff) == SQLITE_CONSTRAINT)
        return -EINVAL;
    if ((ext & 0xff) == SQLITE_BUSY)
        return -EBUSY;
    return -EIO;
}

/* Prepares sql (built by snprintf into a buffer of SQL_MAX). */
static int prep(struct store_conn *c, const char *sql, int n, sqlite3_stmt **s)
{
    if (n <= 0 || n >= SQL_MAX)
        return -ENAMETOOLONG;
    return sqlite3_prepare_v2(c->db, sql, -1, s, NULL) == SQLITE_OK ? 0 : -EIO;
}

int store_ret_gate(struct store_conn *c, int open, int64_t now)
{
    if (open)
        return store_q_exec(c, NULL, NULL,
                            "INSERT INTO retention_gate(one, opened_at) VALUES(1, ?1)", "i", now);
    return store_q_exec(c, NULL, NULL, "DELETE FROM retention_gate", "");
}

int store_ret_candidates(struct store_conn *c, const struct ret_kind *k, int64_t cutoff,
                         int64_t limit, char **ids, int64_t *n)
{
    char sql[SQL_MAX];
    int len = snprintf(sql, sizeof sql,
                       "SELECT json_group_array(id), count(*) FROM (SELECT r.id AS id FROM %s AS"
                       " r WHERE %s < ?1 AND (%s) AND NOT (%s) AND NOT " HELD_SQL
                       " ORDER BY r.id LIMIT ?3)",
                       k->table, k->time_col, k->finished, k->keep ? k->keep : "0");
    sqlite3_stmt *s = NULL;
    int rc = prep(c, sql, len, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, cutoff);
    sqlite3_bind_text(s, 2, k->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, limit);
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        *ids = strdup(t ? t : "[]");
        *n = sqlite3_column_int64(s, 1);
        rc = *ids ? 0 : -ENOMEM;
    } else {
        rc = step_error(c);
    }
    sqlite3_finalize(s);
    return rc;
}

static int delete_in(struct store_conn *c, const char *table, int tlen, const char *col,
                     const char *ids, int64_t *changes)
{
    char sql[SQL_MAX];
    int len =
        snprintf(sql, sizeof sql, "DELETE FROM %.*s WHERE %s IN (SELECT value FROM json_each(?1))",
                 tlen, table, col);
    sqlite3_stmt *s = NULL;
    int rc = prep(c, sql, len, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, ids, -1, SQLITE_STATIC);
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : step_error(c);
    if (!rc && changes)
        *changes = sqlite3_changes(c->db);
    sqlite3_finalize(s);
    return rc;
}

int store_ret_delete(struct store_conn *c, const struct ret_kind *k, const char *ids,
                     int64_t *removed)
{
    for (int i = 0; i < RET_MAX_DEPS && k->deps[i]; i++) {
        const char *dot = strchr(k->deps[i], '.');
        if (!dot)
            return -EINVAL;
        int rc = delete_in(c, k->deps[i], (int)(dot - k->deps[i]), dot + 1, ids, NULL);
        if (rc)
            return rc;
    }
    return delete_in(c, k->table, (int)strlen(k->table), "id", ids, removed);
}

int store_ret_count(struct store_conn *c, const struct ret_kind *k, int64_t cutoff,
                    int64_t *eligible, int64_t *held, int64_t *kept)
{
    char sql[SQL_MAX];
    int len = snprintf(sql, sizeof sql,
                       "SELECT coalesce(sum(NOT h AND NOT k), 0), coalesce(sum(h), 0),"
                       " coalesce(sum(NOT h AND k), 0) FROM (SELECT " HELD_SQL " AS h, (%s) AS k"
                       " FROM %s AS r WHERE %s < ?1 AND (%s))",
                       k->keep ? k->keep : "0", k->table, k->time_col, k->finished);
    sqlite3_stmt *s = NULL;
    int rc = prep(c, sql, len, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, cutoff);
    sqlite3_bind_text(s, 2, k->name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
        *eligible = sqlite3_column_int64(s, 0);
        *held = sqlite3_column_int64(s, 1);
        *kept = sqlite3_column_int64(s, 2);
    } else {
        rc = step_error(c);
    }
    sqlite3_finalize(s);
    return rc;
}

int store_ret_exists(struct store_conn *c, const struct ret_kind *k, int64_t id)
{
    char sql[SQL_MAX];
    int len = snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?1", k->table);
    sqlite3_stmt *s = NULL;
    int rc = prep(c, sql, len, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : step_error(c);
    sqlite3_finalize(s);
    return rc;
}

/* The lowest audit id on hold, or INT64_MAX. */
static int audit_first_held(struct store_conn *c, int64_t *out)
{
    return store_q_int(c, out,
                       "SELECT coalesce(min(record_id), 9223372036854775807) FROM legal_hold"
                       " WHERE record_type = 'audit' AND released_at IS NULL",
                       "");
}

int store_audit_removable(struct store_conn *c, int64_t cutoff, int64_t limit, int64_t *first,
                          int64_t *last, unsigned char hash[32], int64_t *held)
{
    int64_t stop;
    *first = *last = *held = 0;
    int rc = audit_first_held(c, &stop);
    if (!rc)
        rc = store_q_int(c, held, "SELECT count(*) FROM audit WHERE at < ?1 AND id >= ?2", "ii",
                         cutoff, stop);
    if (rc)
        return rc;
    sqlite3_stmt *s =
        store_stmt(c, "SELECT id, at, hash FROM audit WHERE id < ?2 ORDER BY id LIMIT ?1");
    if (!s)
        return -EIO;
    sqlite3_bind_int64(s, 1, limit);
    sqlite3_bind_int64(s, 2, stop);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW && sqlite3_column_int64(s, 1) < cutoff) {
        if (!*first)
            *first = sqlite3_column_int64(s, 0);
        *last = sqlite3_column_int64(s, 0);
        memset(hash, 0, 32);
        if (sqlite3_column_bytes(s, 2) == 32)
            memcpy(hash, sqlite3_column_blob(s, 2), 32);
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = -EIO;
    store_stmt_done(c, s);
    return rc;
}

int store_audit_remove(struct store_conn *c, int64_t first, int64_t last, int64_t *removed)
{
    int n = 0;
    int rc = store_q_exec(c, NULL, &n, "DELETE FROM audit WHERE id BETWEEN ?1 AND ?2", "ii", first,
                          last);
    *removed = n;
    return rc;
}

int store_hold_insert(struct store_conn *c, const struct ret_hold_new *h, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO legal_hold(record_type, record_id, reason, placed_by,"
                        " placed_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                        "sissi", h->record_type, h->record_id, h->reason, h->by, h->at);
}

#define HOLD_COLS                                                                                  \
    "SELECT id, record_type, record_id, reason, placed_by, placed_at AS \"placed_at:time\","       \
    " released_by, released_at AS \"released_at:time\" FROM legal_hold"

int store_hold_release(struct store_conn *c, int64_t id, const char *by, int64_t at, json_t **row)
{
    int n = 0;
    int rc = store_q_exec(c, NULL, &n,
                          "UPDATE legal_hold SET released_by = ?2, released_at = ?3 WHERE id = ?1"
                          " AND released_at IS NULL",
                          "isi", id, by, at);
    if (!rc && n == 0)
        rc = -ENOENT;
    if (!rc)
        rc = store_q_row(c, row, HOLD_COLS " WHERE id = ?1", "i", id);
    return rc;
}

int store_hold_list(struct store_conn *c, int active, int64_t limit, int64_t offset, json_t **rows,
                    int64_t *total)
{
    int rc =
        store_q_int(c, total, "SELECT count(*) FROM legal_hold WHERE ?1 = 0 OR released_at IS NULL",
                    "i", (int64_t)active);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        HOLD_COLS " WHERE ?1 = 0 OR released_at IS NULL ORDER BY id DESC"
                                  " LIMIT ?2 OFFSET ?3",
                        "iii", (int64_t)active, limit, offset);
}

int store_ret_run_insert(struct store_conn *c, const struct ret_run *r, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO retention_run(started_at, finished_at, as_of, trigger, actor,"
                        " dry_run, outcome, removed, held, detail, error) VALUES(?1, ?2, ?3, ?4,"
                        " ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        "iisssisiiss", r->started_at, r->finished_at, r->as_of, r->trigger,
                        r->actor, (int64_t)r->dry_run, r->outcome, r->removed, r->held, r->detail,
                        r->error);
}

int store_ret_run_list(struct store_conn *c, int64_t limit, json_t **rows)
{
    int rc = store_q_rows(c, rows,
                          "SELECT id, started_at AS \"started_at:time\", finished_at AS"
                          " \"finished_at:time\", as_of, trigger, actor, dry_run AS"
                          " \"dry_run:bool\", outcome, removed, held, detail, error FROM"
                          " retention_run ORDER BY id DESC LIMIT ?1",
                          "i", limit);
    if (rc)
        return rc;
    size_t i;
    json_t *row;
    json_array_foreach (*rows, i, row) {
        json_t *d = json_loads(json_string_value(json_object_get(row, "detail")), 0, NULL);
        json_object_set_new(row, "detail", d ? d : json_object());
    }
    return 0;
}

int store_ret_run_done(struct store_conn *c, const char *as_of, int64_t *ok, int64_t *failed)
{
    int rc = store_q_int(c, ok,
                         "SELECT count(*) FROM retention_run WHERE trigger = 'schedule' AND"
                         " as_of = ?1 AND dry_run = 0 AND outcome = 'ok'",
                         "s", as_of);
    if (!rc)
        rc = store_q_int(c, failed,
                         "SELECT count(*) FROM retention_run WHERE trigger = 'schedule' AND"
                         " as_of = ?1 AND dry_run = 0 AND outcome = 'failed'",
                         "s", as_of);
    return rc;
}
