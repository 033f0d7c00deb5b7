/* store_auth.c - SQL for accounts, sessions, lockout and API keys. */
#include "store/store_auth.h"

#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void copy_col(sqlite3_stmt *s, int col, char *dst, size_t n)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    snprintf(dst, n, "%s", t ? t : "");
}

#define USER_COLS "SELECT id, username, display_name, role, pw_hash, disabled FROM user "
static const char user_by_name_sql[] = USER_COLS "WHERE username = ?1";
static const char user_by_id_sql[] = USER_COLS "WHERE id = ?1";

static int user_query(struct store_conn *c, const char *sql, const char *name, int64_t id,
                      struct store_user *u)
{
    sqlite3_stmt *s = store_stmt(c, sql);
    if (!s)
        return -EIO;
    if (name)
        sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        u->id = sqlite3_column_int64(s, 0);
        copy_col(s, 1, u->username, sizeof u->username);
        copy_col(s, 2, u->display_name, sizeof u->display_name);
        copy_col(s, 3, u->role, sizeof u->role);
        copy_col(s, 4, u->pw_hash, sizeof u->pw_hash);
        u->disabled = sqlite3_column_int(s, 5);
    }
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_user_by_name(struct store_conn *c, const char *username, struct store_user *u)
{
    return user_query(c, user_by_name_sql, username, 0, u);
}

int store_user_by_id(struct store_conn *c, int64_t id, struct store_user *u)
{
    return user_query(c, user_by_id_sql, NULL, id, u);
}

int store_user_insert(struct store_conn *c, const char *username, const char *display_name,
                      const char *role, const char *pw_hash, int64_t now, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO user(username, display_name, role, pw_hash, created_at,"
                        " updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?5)",
                        "ssssi", username, display_name, role, pw_hash, now);
}

int store_user_update(struct store_conn *c, int64_t id, const char *display_name, const char *role,
                      int disabled, const char *pw_hash, int64_t now)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE user SET display_name = coalesce(?2, display_name),"
                          " role = coalesce(?3, role),"
                          " disabled = CASE WHEN ?4 < 0 THEN disabled ELSE ?4 END,"
                          " pw_hash = coalesce(?5, pw_hash), updated_at = ?6 WHERE id = ?1",
                          "issisi", id, display_name, role, (int64_t)disabled, pw_hash, now);
    if (rc)
        return rc;
    return changes ? 0 : -ENOENT;
}

int store_user_list(struct store_conn *c, int64_t limit, int64_t offset, json_t **rows,
                    int64_t *total)
{
    int rc = store_user_count(c, total);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        "SELECT id, username, display_name, role, disabled AS \"disabled:bool\","
                        " created_at AS \"created_at:time\" FROM user ORDER BY id"
                        " LIMIT ?1 OFFSET ?2",
                        "ii", limit, offset);
}

int store_user_count(struct store_conn *c, int64_t *n)
{
    return store_q_int(c, n, "SELECT count(*) FROM user", "");
}

int store_session_insert(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN],
                         int64_t user_id, int64_t now, int64_t expires_at)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO session(token_hash, user_id, created_at, last_seen,"
                        " expires_at) VALUES(?1, ?2, ?3, ?3, ?4)",
                        "biii", (const void *)hash, (size_t)STORE_HASH_LEN, user_id, now,
                        expires_at);
}

int store_session_get(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN],
                      struct store_session *out)
{
    sqlite3_stmt *s = store_stmt(c, "SELECT user_id, last_seen, expires_at FROM session"
                                    " WHERE token_hash = ?1");
    if (!s)
        return -EIO;
    sqlite3_bind_blob(s, 1, hash, STORE_HASH_LEN, SQLITE_TRANSIENT);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        out->user_id = sqlite3_column_int64(s, 0);
        out->last_seen = sqlite3_column_int64(s, 1);
        out->expires_at = sqlite3_column_int64(s, 2);
    }
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_session_touch(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN], int64_t now)
{
    return store_q_exec(c, NULL, NULL, "UPDATE session SET last_seen = ?2 WHERE token_hash = ?1",
                        "bi", (const void *)hash, (size_t)STORE_HASH_LEN, now);
}

int store_session_delete(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN])
{
    return store_q_exec(c, NULL, NULL, "DELETE FROM session WHERE token_hash = ?1", "b",
                        (const void *)hash, (size_t)STORE_HASH_LEN);
}

int store_session_delete_user(struct store_conn *c, int64_t user_id)
{
    return store_q_exec(c, NULL, NULL, "DELETE FROM session WHERE user_id = ?1", "i", user_id);
}

int store_session_purge(struct store_conn *c, int64_t now, int64_t idle_before)
{
    int rc =
        store_q_exec(c, NULL, NULL, "DELETE FROM session WHERE expires_at <= ?1 OR last_seen < ?2",
                     "ii", now, idle_before);
    /* Failure counts of names not tried for a day and not locked: anyone can create these
     * rows by trying names, so they must not pile up. */
    if (!rc)
        rc = store_q_exec(c, NULL, NULL,
                          "DELETE FROM login_failure WHERE locked_until <= ?1 AND last_at < ?2",
                          "ii", now, now - 86400000);
    return rc;
}

int store_login_failure_get(struct store_conn *c, const char *username, int64_t *failures,
                            int64_t *locked_until)
{
    json_t *row = NULL;
    int rc =
        store_q_row(c, &row, "SELECT failures, locked_until FROM login_failure WHERE username = ?1",
                    "s", username);
    if (rc == -ENOENT) {
        *failures = 0;
        *locked_until = 0;
        return 0;
    }
    if (rc)
        return rc;
    *failures = json_integer_value(json_object_get(row, "failures"));
    *locked_until = json_integer_value(json_object_get(row, "locked_until"));
    json_decref(row);
    return 0;
}

int store_login_failure_set(struct store_conn *c, const char *username, int64_t failures,
                            int64_t locked_until, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO login_failure(username, failures, locked_until, last_at)"
                        " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(username) DO UPDATE SET"
                        " failures = ?2, locked_until = ?3, last_at = ?4",
                        "siii", username, failures, locked_until, now);
}

int store_login_failure_clear(struct store_conn *c, const char *username)
{
    return store_q_exec(c, NULL, NULL, "DELETE FROM login_failure WHERE username = ?1", "s",
                        username);
}

int store_apikey_insert(struct store_conn *c, const char *name,
                        const unsigned char hash[STORE_HASH_LEN], const char *perms, int64_t now,
                        int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO apikey(name, key_hash, perms, created_at)"
                        " VALUES(?1, ?2, ?3, ?4)",
                        "sbsi", name, (const void *)hash, (size_t)STORE_HASH_LEN, perms, now);
}

int store_apikey_by_hash(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN],
                         struct store_apikey *k)
{
    sqlite3_stmt *s = store_stmt(c, "SELECT id, name, perms, coalesce(revoked_at, 0) FROM apikey"
                                    " WHERE key_hash = ?1");
    if (!s)
        return -EIO;
    sqlite3_bind_blob(s, 1, hash, STORE_HASH_LEN, SQLITE_TRANSIENT);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        k->id = sqlite3_column_int64(s, 0);
        copy_col(s, 1, k->name, sizeof k->name);
        copy_col(s, 2, k->perms, sizeof k->perms);
        k->revoked_at = sqlite3_column_int64(s, 3);
    }
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_apikey_revoke(struct store_conn *c, const char *name, int64_t now)
{
    int changes = 0;
    int rc =
        store_q_exec(c, NULL, &changes,
                     "UPDATE apikey SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
                     "si", name, now);
    if (rc)
        return rc;
    return changes ? 0 : -ENOENT;
}

int store_apikey_list(struct store_conn *c, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, name, perms, created_at AS \"created_at:time\","
                        " revoked_at AS \"revoked_at:time\" FROM apikey ORDER BY id",
                        "");
}
