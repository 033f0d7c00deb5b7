/* store_response.c - SQL for checklist steps, escalations and hand-offs. */
#include "store/store_response.h"

#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int store_step_set(struct store_conn *c, int64_t incident_id, const char *step, const char *status,
                   const char *reason, const char *facts, const char *actor, int64_t at)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO incident_step(incident_id, step, status, reason, facts,"
                        " actor, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(incident_id,"
                        " step) DO UPDATE SET status = ?3, reason = ?4, facts = ?5, actor = ?6,"
                        " at = ?7",
                        "isssssi", incident_id, step, status, reason, facts, actor, at);
}

int store_steps(struct store_conn *c, int64_t incident_id, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT step, status, reason, facts, actor, at AS \"at:time\" FROM"
                        " incident_step WHERE incident_id = ?1",
                        "i", incident_id);
}

int store_incident_set_injured(struct store_conn *c, int64_t id, int injured)
{
    return store_q_exec(c, NULL, NULL, "UPDATE incident SET injured = ?2 WHERE id = ?1", "ii", id,
                        (int64_t)injured);
}

int store_incident_brief(struct store_conn *c, int64_t id, struct store_incident_brief *b)
{
    sqlite3_stmt *s = store_stmt(c, "SELECT type, state, coalesce(verdict, ''), priority,"
                                    " opened_at, injured FROM incident WHERE id = ?1");
    if (!s)
        return -EIO;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        snprintf(b->type, sizeof b->type, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(b->state, sizeof b->state, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(b->verdict, sizeof b->verdict, "%s", (const char *)sqlite3_column_text(s, 2));
        b->priority = sqlite3_column_int(s, 3);
        b->opened_at = sqlite3_column_int64(s, 4);
        b->injured = sqlite3_column_int(s, 5);
    }
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_escalation_due_ack(struct store_conn *c, const int64_t deadline[5], json_t **rows)
{
    return store_q_rows(
        c, rows,
        "SELECT i.id, i.priority, i.type FROM incident i WHERE i.state = 'new' AND"
        " i.opened_at < CASE i.priority WHEN 1 THEN ?1 WHEN 2 THEN ?2 WHEN 3 THEN ?3 ELSE ?4 END"
        " AND NOT EXISTS (SELECT 1 FROM escalation e WHERE e.incident_id = i.id AND"
        " e.level = 'shift_leader') ORDER BY i.priority, i.id LIMIT 500",
        "iiii", deadline[1], deadline[2], deadline[3], deadline[4]);
}

int store_escalation_due_major(struct store_conn *c, int64_t entrapment_before, json_t **rows)
{
    return store_q_rows(
        c, rows,
        "SELECT i.id, i.type, CASE WHEN i.injured = 1 THEN 'injured person' WHEN i.type ="
        " 'elevator' THEN 'entrapment over the time limit' ELSE"
        " 'confirmed fire' END AS reason FROM incident i WHERE i.state <> 'closed' AND"
        " (i.injured = 1 OR (i.type IN ('fire','smoke_heat') AND i.verdict = 'real') OR"
        " (i.type = 'elevator' AND i.opened_at < ?1)) AND NOT EXISTS (SELECT 1 FROM escalation"
        " e WHERE e.incident_id = i.id AND e.level = 'major') ORDER BY i.id LIMIT 500",
        "i", entrapment_before);
}

int store_escalation_insert(struct store_conn *c, int64_t incident_id, const char *level,
                            const char *reason, int64_t now, int64_t *id)
{
    int changes = 0;
    int rc = store_q_exec(c, id, &changes,
                          "INSERT INTO escalation(incident_id, level, reason, created_at,"
                          " next_attempt_at) VALUES(?1, ?2, ?3, ?4, ?4)"
                          " ON CONFLICT(incident_id, level) DO NOTHING",
                          "issi", incident_id, level, reason, now);
    if (!rc && !changes)
        *id = 0;
    return rc;
}

int store_escalation_pending(struct store_conn *c, int64_t now, int64_t limit, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT e.id, e.incident_id, e.complaint_id, e.ticket_id, e.level,"
                        " e.reason, e.created_at AS \"created_at:time\", e.attempts, i.type,"
                        " i.priority, i.title, a.name AS area_name, k.category AS"
                        " complaint_category, k.unit AS complaint_unit, t.title AS ticket_title,"
                        " t.kind AS ticket_kind FROM escalation e LEFT JOIN incident i ON i.id ="
                        " e.incident_id LEFT JOIN area a ON a.id = i.area_id LEFT JOIN complaint"
                        " k ON k.id = e.complaint_id LEFT JOIN ticket t ON t.id = e.ticket_id"
                        " WHERE e.delivered_at IS NULL AND"
                        " e.next_attempt_at <= ?1 ORDER BY e.id LIMIT ?2",
                        "ii", now, limit);
}

int store_escalation_insert_complaint(struct store_conn *c, int64_t complaint_id,
                                      const char *reason, int64_t now, int64_t *id)
{
    int changes = 0;
    int rc = store_q_exec(c, id, &changes,
                          "INSERT INTO escalation(complaint_id, level, reason, created_at,"
                          " next_attempt_at) VALUES(?1, 'major', ?2, ?3, ?3)"
                          " ON CONFLICT(complaint_id, level) DO NOTHING",
                          "isi", complaint_id, reason, now);
    if (!rc && !changes)
        *id = 0;
    return rc;
}

int store_escalation_delivered(struct store_conn *c, int64_t id, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE escalation SET delivered_at = ?2, attempts = attempts + 1,"
                        " last_error = NULL WHERE id = ?1",
                        "ii", id, now);
}

int store_escalation_retry(struct store_conn *c, int64_t id, int64_t next, const char *error)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE escalation SET attempts = attempts + 1, next_attempt_at = ?2,"
                        " last_error = ?3 WHERE id = ?1",
                        "iis", id, next, error);
}

int store_escalations(struct store_conn *c, int64_t incident_id, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, level, reason, created_at AS \"created_at:time\","
                        " delivered_at AS \"delivered_at:time\", attempts, last_error FROM"
                        " escalation WHERE incident_id = ?1 ORDER BY id",
                        "i", incident_id);
}

int store_handoff_insert(struct store_conn *c, int64_t incident_id, int64_t area_id,
                         const char *text, const char *by, int64_t now, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO handoff(incident_id, area_id, text, created_by, created_at)"
                        " VALUES(nullif(?1, 0), ?2, ?3, ?4, ?5)",
                        "iissi", incident_id, area_id, text, by, now);
}

int store_handoff_take(struct store_conn *c, int64_t id, const char *by, int64_t now)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE handoff SET taken_by = ?2, taken_at = ?3 WHERE id = ?1 AND"
                          " taken_at IS NULL",
                          "isi", id, by, now);
    if (rc || changes)
        return rc;
    int64_t n = 0;
    rc = store_q_int(c, &n, "SELECT count(*) FROM handoff WHERE id = ?1", "i", id);
    return rc ? rc : n ? -EALREADY : -ENOENT;
}

int store_handoff_done(struct store_conn *c, int64_t id, const char *result, int64_t now)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE handoff SET result = ?2, done_at = ?3 WHERE id = ?1 AND"
                          " taken_at IS NOT NULL AND done_at IS NULL",
                          "isi", id, result, now);
    return rc ? rc : changes ? 0 : -EALREADY;
}

#define HANDOFF_COLS                                                                               \
    "SELECT h.id, h.incident_id, h.area_id, a.name AS area_name, h.text, h.created_by,"            \
    " cu.display_name AS created_by_name, h.created_at AS \"created_at:time\", h.taken_by,"        \
    " tu.display_name AS taken_by_name, h.taken_at AS \"taken_at:time\", h.result,"                \
    " h.done_at AS \"done_at:time\" FROM handoff h JOIN area a ON a.id = h.area_id"                \
    " LEFT JOIN user cu ON cu.username = h.created_by LEFT JOIN user tu ON tu.username ="          \
    " h.taken_by "

int store_handoff_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, HANDOFF_COLS "WHERE h.id = ?1", "i", id);
}

int store_handoff_list(struct store_conn *c, int open, int64_t incident_id, int64_t limit,
                       int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM handoff WHERE (?1 = 0 OR done_at IS NULL) AND"
                         " (?2 = 0 OR incident_id = ?2)",
                         "ii", (int64_t)open, incident_id);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        HANDOFF_COLS "WHERE (?1 = 0 OR h.done_at IS NULL) AND (?2 = 0 OR"
                                     " h.incident_id = ?2) ORDER BY h.id DESC LIMIT ?3 OFFSET ?4",
                        "iiii", (int64_t)open, incident_id, limit, offset);
}
