/* store_camera.c - SQL for camera health. */
#include "store/store_camera.h"

#include "core/xmalloc.h"
#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const camera_states[] = {"unknown",     "ok",     "offline", "blurred", "dark",
                                     "overexposed", "frozen", "covered", NULL};
const char *const camera_auths[] = {"none", "basic", "digest", NULL};

void camera_thresholds_default(struct camera_thresholds *t)
{
    t->sharpness_min = 100;
    t->dark_mean = 35;
    t->bright_mean = 225;
    t->clip_max = 0.5;
    t->covered_stddev = 6;
    t->frozen_tol = 0.1;
    t->frozen_k = 3;
}

void camera_result_clear(struct camera_result *r)
{
    free(r->thumb);
    r->thumb = NULL;
    r->thumb_len = 0;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static int step_done(struct store_conn *c, sqlite3_stmt *s)
{
    int step = sqlite3_step(s);
    int ext = sqlite3_extended_errcode(c->db);
    store_stmt_done(c, s);
    if (step == SQLITE_DONE)
        return 0;
    return (ext & 0xff) == SQLITE_CONSTRAINT ? -EINVAL : -EIO;
}

int store_camera_upsert(struct store_conn *c, const struct store_camera_cfg *cfg, int64_t now)
{
    sqlite3_stmt *s = store_stmt(
        c, "INSERT INTO camera(device_id, url, auth, username, password, interval_s, timeout_ms,"
           " persist, enabled, sharpness_min, dark_mean, bright_mean, clip_max, covered_stddev,"
           " frozen_tol, frozen_k, next_check_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
           " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0, ?17)"
           " ON CONFLICT(device_id) DO UPDATE SET url = excluded.url, auth = excluded.auth,"
           " username = excluded.username, password = coalesce(excluded.password, password),"
           " interval_s = excluded.interval_s, timeout_ms = excluded.timeout_ms,"
           " persist = excluded.persist, enabled = excluded.enabled,"
           " sharpness_min = excluded.sharpness_min, dark_mean = excluded.dark_mean,"
           " bright_mean = excluded.bright_mean, clip_max = excluded.clip_max,"
           " covered_stddev = excluded.covered_stddev, frozen_tol = excluded.frozen_tol,"
           " frozen_k = excluded.frozen_k,"
           " fp = CASE WHEN url = excluded.url THEN fp END,"
           " same = CASE WHEN url = excluded.url THEN same ELSE 0 END,"
           " next_check_at = 0, updated_at = excluded.updated_at");
    if (!s)
        return -EIO;
    sqlite3_bind_int64(s, 1, cfg->device_id);
    bind_text(s, 2, cfg->url);
    bind_text(s, 3, cfg->auth);
    bind_text(s, 4, cfg->username);
    bind_text(s, 5, cfg->password);
    sqlite3_bind_int64(s, 6, cfg->interval_s);
    sqlite3_bind_int64(s, 7, cfg->timeout_ms);
    sqlite3_bind_int64(s, 8, cfg->persist);
    sqlite3_bind_int(s, 9, cfg->enabled);
    sqlite3_bind_double(s, 10, cfg->th.sharpness_min);
    sqlite3_bind_double(s, 11, cfg->th.dark_mean);
    sqlite3_bind_double(s, 12, cfg->th.bright_mean);
    sqlite3_bind_double(s, 13, cfg->th.clip_max);
    sqlite3_bind_double(s, 14, cfg->th.covered_stddev);
    sqlite3_bind_double(s, 15, cfg->th.frozen_tol);
    sqlite3_bind_int(s, 16, cfg->th.frozen_k);
    sqlite3_bind_int64(s, 17, now);
    return step_done(c, s);
}

int store_camera_delete(struct store_conn *c, int64_t id)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes, "DELETE FROM camera WHERE device_id = ?1", "i", id);
    return rc ? rc : changes ? 0 : -ENOENT;
}

int store_camera_check_now(struct store_conn *c, int64_t id)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE camera SET next_check_at = 0 WHERE device_id = ?1", "i", id);
    return rc ? rc : changes ? 0 : -ENOENT;
}

int store_camera_url(struct store_conn *c, int64_t id, char *url, size_t n)
{
    json_t *row = NULL;
    int rc = store_q_row(c, &row, "SELECT url FROM camera WHERE device_id = ?1", "i", id);
    if (!rc)
        snprintf(url, n, "%s", json_string_value(json_object_get(row, "url")));
    json_decref(row);
    return rc;
}

#define CAM_COLS                                                                                   \
    "SELECT d.id, d.name, d.code, d.status AS device_status, d.area_id, a.name AS area_name,"      \
    " c.device_id IS NOT NULL AS \"configured:bool\", c.url, c.auth, c.username,"                  \
    " c.password IS NOT NULL AND c.password <> '' AS \"has_password:bool\", c.interval_s,"         \
    " c.timeout_ms, c.persist, c.enabled AS \"enabled:bool\", c.sharpness_min, c.dark_mean,"       \
    " c.bright_mean, c.clip_max, c.covered_stddev, c.frozen_tol, c.frozen_k,"                      \
    " coalesce(c.state, 'unknown') AS state, c.verdict, c.detail, c.streak,"                       \
    " c.state_since AS \"state_since:time\", c.ticket_id, c.incident_id, c.checks,"                \
    " c.last_check_at AS \"last_check_at:time\", c.last_ok_at AS \"last_ok_at:time\","             \
    " c.metrics, c.thumb_at AS \"thumb_at:time\", c.next_check_at AS \"next_check_at:time\""       \
    " FROM device d JOIN area a ON a.id = d.area_id LEFT JOIN camera c ON c.device_id = d.id "

#define CAM_PROBLEM                                                                                \
    " (coalesce(c.state, 'unknown') NOT IN ('unknown', 'ok') OR"                                   \
    " coalesce(c.verdict, 'ok') <> 'ok')"

int store_camera_list(struct store_conn *c, int problems, int64_t limit, int64_t offset,
                      json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM device d LEFT JOIN camera c ON c.device_id = d.id"
                         " WHERE d.kind = 'camera' AND (?1 = 0 OR" CAM_PROBLEM ")",
                         "i", (int64_t)problems);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        CAM_COLS "WHERE d.kind = 'camera' AND (?1 = 0 OR" CAM_PROBLEM ")"
                                 " ORDER BY d.id LIMIT ?2 OFFSET ?3",
                        "iii", (int64_t)problems, limit, offset);
}

int store_camera_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, CAM_COLS "WHERE d.kind = 'camera' AND d.id = ?1", "i", id);
}

int store_camera_history(struct store_conn *c, int64_t id, int64_t limit, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, at AS \"at:time\", from_state, to_state, detail, ticket_id,"
                        " incident_id FROM camera_history WHERE device_id = ?1 ORDER BY id DESC"
                        " LIMIT ?2",
                        "ii", id, limit);
}

int store_camera_devices(struct store_conn *c, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT d.id, d.code, c.url FROM device d LEFT JOIN camera c ON"
                        " c.device_id = d.id WHERE d.kind = 'camera' ORDER BY d.id",
                        "");
}

int store_camera_thumb(struct store_conn *c, int64_t id, uint8_t **jpeg, size_t *len)
{
    sqlite3_stmt *s = store_stmt(c, "SELECT thumb FROM camera WHERE device_id = ?1 AND thumb IS"
                                    " NOT NULL");
    if (!s)
        return -EIO;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s), rc = -ENOENT;
    if (step == SQLITE_ROW) {
        int n = sqlite3_column_bytes(s, 0);
        const void *p = sqlite3_column_blob(s, 0);
        *jpeg = xmalloc(n > 0 ? (size_t)n : 1);
        if (n > 0)
            memcpy(*jpeg, p, (size_t)n);
        *len = (size_t)n;
        rc = 0;
    } else if (step != SQLITE_DONE) {
        rc = -EIO;
    }
    store_stmt_done(c, s);
    return rc;
}

static void copy_col(sqlite3_stmt *s, int i, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

static int in_list(int64_t id, const int64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == id)
            return 1;
    return 0;
}

static void job_from_row(sqlite3_stmt *s, int64_t now, struct camera_job *j)
{
    memset(j, 0, sizeof *j);
    j->device_id = sqlite3_column_int64(s, 0);
    copy_col(s, 1, j->url, sizeof j->url);
    copy_col(s, 2, j->auth, sizeof j->auth);
    copy_col(s, 3, j->username, sizeof j->username);
    copy_col(s, 4, j->password_stored, sizeof j->password_stored);
    j->timeout_ms = sqlite3_column_int(s, 5);
    j->th.sharpness_min = sqlite3_column_double(s, 6);
    j->th.dark_mean = sqlite3_column_double(s, 7);
    j->th.bright_mean = sqlite3_column_double(s, 8);
    j->th.clip_max = sqlite3_column_double(s, 9);
    j->th.covered_stddev = sqlite3_column_double(s, 10);
    j->th.frozen_tol = sqlite3_column_double(s, 11);
    j->th.frozen_k = sqlite3_column_int(s, 12);
    if (sqlite3_column_bytes(s, 13) == CAMERA_FP_LEN) {
        memcpy(j->fp, sqlite3_column_blob(s, 13), CAMERA_FP_LEN);
        j->has_fp = 1;
    }
    j->same = sqlite3_column_int(s, 14);
    /* A thumbnail at most once a minute, and whenever the state may change (a problem). */
    int64_t thumb_at = sqlite3_column_int64(s, 15);
    j->want_thumb = sqlite3_column_type(s, 15) == SQLITE_NULL || now - thumb_at >= 60000 ||
                    sqlite3_column_int64(s, 16) > 0;
}

int store_camera_due(struct store_conn *c, int64_t now, const int64_t *busy, size_t nbusy,
                     size_t max, struct camera_job **jobs, size_t *n)
{
    sqlite3_stmt *s = store_stmt(
        c, "SELECT device_id, url, auth, username, password, timeout_ms, sharpness_min,"
           " dark_mean, bright_mean, clip_max, covered_stddev, frozen_tol, frozen_k, fp, same,"
           " thumb_at, streak FROM camera WHERE enabled = 1 AND next_check_at <= ?1"
           " ORDER BY next_check_at LIMIT ?2");
    if (!s)
        return -EIO;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, (int64_t)(max + nbusy));
    size_t cap = max ? max : 1, k = 0;
    struct camera_job *v = xcalloc(cap, sizeof *v);
    int step;
    while (k < max && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (in_list(sqlite3_column_int64(s, 0), busy, nbusy))
            continue;
        job_from_row(s, now, &v[k++]);
    }
    store_stmt_done(c, s);
    *jobs = v;
    *n = k;
    return 0;
}

int store_camera_state_get(struct store_conn *c, int64_t id, struct store_camera_state *st)
{
    json_t *r = NULL;
    int rc = store_q_row(c, &r,
                         "SELECT c.state, d.name, d.area_id, c.streak, c.persist, c.interval_s,"
                         " coalesce(c.ticket_id, 0) AS ticket_id, coalesce(c.incident_id, 0) AS"
                         " incident_id, coalesce(c.thumb_at, 0) AS thumb_at,"
                         " coalesce(c.state_since, 0) AS state_since FROM camera c JOIN device d"
                         " ON d.id = c.device_id WHERE c.device_id = ?1",
                         "i", id);
    if (rc)
        return rc;
    snprintf(st->state, sizeof st->state, "%s", json_string_value(json_object_get(r, "state")));
    snprintf(st->name, sizeof st->name, "%s", json_string_value(json_object_get(r, "name")));
    st->area_id = json_integer_value(json_object_get(r, "area_id"));
    st->streak = json_integer_value(json_object_get(r, "streak"));
    st->persist = json_integer_value(json_object_get(r, "persist"));
    st->interval_s = json_integer_value(json_object_get(r, "interval_s"));
    st->ticket_id = json_integer_value(json_object_get(r, "ticket_id"));
    st->incident_id = json_integer_value(json_object_get(r, "incident_id"));
    st->thumb_at = json_integer_value(json_object_get(r, "thumb_at"));
    st->state_since = json_integer_value(json_object_get(r, "state_since"));
    json_decref(r);
    return 0;
}

int store_camera_update(struct store_conn *c, const struct store_camera_update *u)
{
    sqlite3_stmt *s = store_stmt(
        c, "UPDATE camera SET state = ?2, verdict = ?3, detail = ?4, streak = ?5,"
           " ticket_id = nullif(?6, 0), incident_id = nullif(?7, 0), checks = checks + 1,"
           " last_check_at = ?8, last_ok_at = CASE WHEN ?3 = 'ok' THEN ?8 ELSE last_ok_at END,"
           " metrics = ?9, fp = coalesce(?10, fp), same = ?11, next_check_at = ?12,"
           " thumb = coalesce(?13, thumb), thumb_at = CASE WHEN ?13 IS NULL THEN thumb_at ELSE"
           " ?8 END, state_since = nullif(?14, 0), updated_at = ?8 WHERE device_id = ?1");
    if (!s)
        return -EIO;
    sqlite3_bind_int64(s, 1, u->device_id);
    bind_text(s, 2, u->state);
    bind_text(s, 3, u->verdict);
    bind_text(s, 4, u->detail);
    sqlite3_bind_int64(s, 5, u->streak);
    sqlite3_bind_int64(s, 6, u->ticket_id);
    sqlite3_bind_int64(s, 7, u->incident_id);
    sqlite3_bind_int64(s, 8, u->at);
    bind_text(s, 9, u->metrics);
    if (u->fp)
        sqlite3_bind_blob(s, 10, u->fp, CAMERA_FP_LEN, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 10);
    sqlite3_bind_int64(s, 11, u->same);
    sqlite3_bind_int64(s, 12, u->next_check_at);
    if (u->thumb)
        sqlite3_bind_blob(s, 13, u->thumb, (int)u->thumb_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 13);
    sqlite3_bind_int64(s, 14, u->state_since);
    return step_done(c, s);
}

int store_camera_history_add(struct store_conn *c, int64_t id, int64_t at, const char *from,
                             const char *to, const char *detail, int64_t ticket_id,
                             int64_t incident_id)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO camera_history(device_id, at, from_state, to_state, detail,"
                        " ticket_id, incident_id) VALUES(?1, ?2, ?3, ?4, ?5, nullif(?6, 0),"
                        " nullif(?7, 0))",
                        "iisssii", id, at, from, to, detail, ticket_id, incident_id);
}

int store_camera_passwords_unsealed(struct store_conn *c, const char *prefix, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT device_id, password FROM camera WHERE password IS NOT NULL AND"
                        " password <> '' AND substr(password, 1, length(?1)) <> ?1",
                        "s", prefix);
}

int store_camera_password_set(struct store_conn *c, int64_t id, const char *stored)
{
    return store_q_exec(c, NULL, NULL, "UPDATE camera SET password = ?2 WHERE device_id = ?1", "is",
                        id, stored);
}
