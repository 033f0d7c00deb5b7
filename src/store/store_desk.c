/* store_desk.c - SQL for shift patterns, running status, overrides, people and counts. */
#include "store/store_desk.h"

#include "store/store_int.h"

#include <errno.h>

/* The id of the site's pattern: the one it chose, else the first defined (NULL when none). */
#define SITE_PATTERN_SQL                                                                           \
    "coalesce((SELECT shift_pattern_id FROM site WHERE shift_pattern_id IS NOT NULL ORDER BY id"   \
    " LIMIT 1), (SELECT min(id) FROM shift_pattern))"

int store_pattern_list(struct store_conn *c, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, name, printf('%02d:%02d', first_start / 60, first_start % 60)"
                        " AS first_start, shifts, hours, created_by, id = " SITE_PATTERN_SQL
                        " AS \"site:bool\" FROM shift_pattern ORDER BY id",
                        "");
}

int store_site_pattern_set(struct store_conn *c, int64_t pattern_id)
{
    int changes = 0;
    int rc =
        store_q_exec(c, NULL, &changes, "UPDATE site SET shift_pattern_id = ?1", "i", pattern_id);
    return rc ? rc : changes ? 0 : -ENOENT;
}

int store_pattern_get(struct store_conn *c, int64_t id, struct store_pattern *out)
{
    json_t *row = NULL;
    int rc = store_q_row(
        c, &row, "SELECT first_start, shifts, hours FROM shift_pattern WHERE id = ?1", "i", id);
    if (rc)
        return rc;
    out->id = id;
    out->first_start = (int)json_integer_value(json_object_get(row, "first_start"));
    out->shifts = (int)json_integer_value(json_object_get(row, "shifts"));
    out->hours = (int)json_integer_value(json_object_get(row, "hours"));
    json_decref(row);
    return 0;
}

int store_pattern_default(struct store_conn *c, struct store_pattern *out)
{
    int64_t id = 0;
    int rc = store_q_int(c, &id, "SELECT " SITE_PATTERN_SQL, "");
    if (!rc && id == 0)
        rc = -ENOENT;
    return rc ? rc : store_pattern_get(c, id, out);
}

int store_pattern_insert(struct store_conn *c, const char *name, int first_start, int shifts,
                         int hours, const char *by, int64_t now, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO shift_pattern(name, first_start, shifts, hours, created_by,"
                        " created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                        "siiisi", name, (int64_t)first_start, (int64_t)shifts, (int64_t)hours, by,
                        now);
}

int store_runstatus_insert(struct store_conn *c, const struct store_runstatus *r, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO running_status(at, author, duty_log_id, fire_controller,"
                        " linkage_auto, power, recording, faults, note) VALUES(?1, ?2, ?3, ?4, ?5,"
                        " ?6, ?7, coalesce(?8, ''), coalesce(?9, ''))",
                        "isisisiss", r->at, r->author, r->duty_log_id, r->fire_controller,
                        (int64_t)r->linkage_auto, r->power, (int64_t)r->recording, r->faults,
                        r->note);
}

int store_runstatus_list(struct store_conn *c, int64_t from, int64_t to, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT r.id, r.at AS \"at:time\", r.at AS at_ms, r.author, u.display_name"
                        " AS author_name, r.duty_log_id, r.fire_controller, r.linkage_auto AS"
                        " \"linkage_auto:bool\", r.power, r.recording AS \"recording:bool\","
                        " r.faults, r.note FROM running_status r LEFT JOIN user u ON u.username ="
                        " r.author WHERE r.at >= ?1 AND r.at < ?2 ORDER BY r.at, r.id LIMIT 20000",
                        "ii", from, to);
}

int store_runstatus_last(struct store_conn *c, int64_t before, int64_t *at)
{
    return store_q_int(c, at, "SELECT coalesce(max(at), 0) FROM running_status WHERE at < ?1", "i",
                       before);
}

int store_handover_override(struct store_conn *c, int64_t id, const char *by, const char *reason,
                            int staffed, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE handover SET override_by = ?2, override_reason = ?3, override_at"
                        " = ?4, override_staffed = ?5 WHERE id = ?1 AND state = 'pending'",
                        "issii", id, by, reason, now, (int64_t)staffed);
}

int store_handover_overridden(struct store_conn *c, int64_t id, int *overridden)
{
    int64_t n = 0;
    int rc =
        store_q_int(c, &n, "SELECT override_by IS NOT NULL FROM handover WHERE id = ?1", "i", id);
    *overridden = !rc && n;
    return rc;
}

int store_handover_last_done(struct store_conn *c, int64_t *at)
{
    return store_q_int(c, at,
                       "SELECT coalesce(max(in_signed_at), 0) FROM handover WHERE state <>"
                       " 'pending'",
                       "");
}

int store_people_list(struct store_conn *c, const char *roles, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT username, display_name, role FROM user WHERE disabled = 0 AND"
                        " instr(',' || ?1 || ',', ',' || role || ',') > 0 ORDER BY role,"
                        " display_name, username",
                        "s", roles);
}

int store_clock_open(struct store_conn *c, const char *username, json_t **row)
{
    return store_q_row(c, row,
                       "SELECT clock_in AS \"clock_in:time\" FROM attendance WHERE username = ?1"
                       " AND clock_out IS NULL",
                       "s", username);
}

int store_complaint_counts(struct store_conn *c, int64_t now, json_t **row)
{
    return store_q_row(c, row,
                       "SELECT coalesce(sum(state = 'open'), 0) AS open, coalesce(sum(state ="
                       " 'in_progress'), 0) AS in_progress, coalesce(sum(state = 'resolved'), 0)"
                       " AS resolved, coalesce(sum(state = 'closed'), 0) AS closed,"
                       " coalesce(sum(state IN ('open','in_progress') AND due_at < ?1), 0) AS"
                       " overdue, count(*) AS total FROM complaint",
                       "i", now);
}

int store_incident_counts(struct store_conn *c, json_t **row)
{
    return store_q_row(c, row,
                       "SELECT coalesce(sum(state = 'new'), 0) AS new, coalesce(sum(state ="
                       " 'acknowledged'), 0) AS acknowledged, coalesce(sum(state = 'dispatched'),"
                       " 0) AS dispatched, coalesce(sum(state = 'verified'), 0) AS verified,"
                       " coalesce(sum(state = 'resolved'), 0) AS resolved, coalesce(sum(state ="
                       " 'reset'), 0) AS reset, coalesce(sum(state = 'closed'), 0) AS closed,"
                       " coalesce(sum(state <> 'closed'), 0) AS open, count(*) AS total FROM"
                       " incident",
                       "");
}
