/* store_ticket.c - SQL for fault tickets. */
#include "store/store_ticket.h"

#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>

int store_ticket_insert(struct store_conn *c, const struct store_ticket_new *n, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO ticket(device_id, kind, priority, title, detail, state,"
                        " reported_by, reported_at, due_at, check_record_id, incident_id,"
                        " updated_at, title_en) VALUES(nullif(?1, 0), ?2, ?3, ?4, ?5, 'reported',"
                        " ?6, ?7, ?8, nullif(?9, 0), nullif(?10, 0), ?7, ?11)",
                        "isssssiiiis", n->device_id, n->kind, n->priority, n->title, n->detail,
                        n->reported_by, n->reported_at, n->due_at, n->check_record_id,
                        n->incident_id, n->title_en);
}

int store_ticket_find_open(struct store_conn *c, int64_t device_id, const char *kind,
                           const char *title, int64_t *id)
{
    int rc = store_q_int(c, id,
                         "SELECT id FROM ticket WHERE state <> 'closed' AND kind = ?2 AND"
                         " ((?1 <> 0 AND device_id = ?1) OR (?1 = 0 AND device_id IS NULL AND"
                         " title = ?3)) ORDER BY id LIMIT 1",
                         "iss", device_id, kind, title);
    if (rc == -ENOENT) {
        *id = 0;
        rc = 0;
    }
    return rc;
}

static void copy_str(json_t *row, const char *key, char *dst, size_t n)
{
    const char *v = json_string_value(json_object_get(row, key));
    snprintf(dst, n, "%s", v ? v : "");
}

int store_ticket_brief(struct store_conn *c, int64_t id, struct store_ticket_brief *b)
{
    json_t *row = NULL;
    int rc =
        store_q_row(c, &row,
                    "SELECT state, kind, repaired_by, title, coalesce(device_id, 0) AS device_id,"
                    " coalesce(incident_id, 0) AS incident_id, assignee_kind, assignee,"
                    " assignee_company FROM ticket WHERE id = ?1",
                    "i", id);
    if (rc)
        return rc;
    copy_str(row, "state", b->state, sizeof b->state);
    copy_str(row, "repaired_by", b->repaired_by, sizeof b->repaired_by);
    copy_str(row, "title", b->title, sizeof b->title);
    copy_str(row, "kind", b->kind, sizeof b->kind);
    copy_str(row, "assignee_kind", b->assignee_kind, sizeof b->assignee_kind);
    copy_str(row, "assignee", b->assignee, sizeof b->assignee);
    copy_str(row, "assignee_company", b->company, sizeof b->company);
    b->device_id = json_integer_value(json_object_get(row, "device_id"));
    b->incident_id = json_integer_value(json_object_get(row, "incident_id"));
    json_decref(row);
    return 0;
}

int store_ticket_assign(struct store_conn *c, int64_t id, const char *akind, const char *assignee,
                        const char *company, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE ticket SET state = 'assigned', assignee_kind = ?2, assignee = ?3,"
                        " assignee_company = ?4, assigned_at = ?5, updated_at = ?5 WHERE id = ?1",
                        "isssi", id, akind, assignee, company, now);
}

int store_ticket_repair(struct store_conn *c, int64_t id, const char *result, const char *note,
                        const char *by, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE ticket SET state = 'repaired', repair_result = ?2, repair_note ="
                        " ?3, repaired_by = ?4, repaired_at = ?5, updated_at = ?5 WHERE id = ?1",
                        "isssi", id, result, note, by, now);
}

int store_ticket_verify(struct store_conn *c, int64_t id, const char *by, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE ticket SET state = 'verified', verified_by = ?2, verified_at = ?3,"
                        " updated_at = ?3 WHERE id = ?1",
                        "isi", id, by, now);
}

int store_ticket_reject(struct store_conn *c, int64_t id, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE ticket SET state = 'assigned', repair_result = NULL, repair_note ="
                        " NULL, repaired_by = NULL, repaired_at = NULL, updated_at = ?2 WHERE id"
                        " = ?1",
                        "ii", id, now);
}

int store_ticket_close(struct store_conn *c, int64_t id, const char *by, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE ticket SET state = 'closed', closed_by = ?2, closed_at = ?3,"
                        " updated_at = ?3 WHERE id = ?1",
                        "isi", id, by, now);
}

int store_ticket_event_add(struct store_conn *c, int64_t ticket_id, int64_t at, const char *actor,
                           const char *action, const char *from, const char *to, const char *note)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO ticket_event(ticket_id, at, actor, action, from_state,"
                        " to_state, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "iisssss", ticket_id, at, actor, action, from, to, note);
}

int store_ticket_events(struct store_conn *c, int64_t ticket_id, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT e.id, e.at AS \"at:time\", e.actor, u.display_name AS actor_name,"
                        " e.action, e.from_state, e.to_state, e.note FROM ticket_event e LEFT"
                        " JOIN user u ON u.username = e.actor WHERE e.ticket_id = ?1 ORDER BY"
                        " e.id",
                        "i", ticket_id);
}

/* Parameter 9 is "now" wherever this column list is used. */
#define TICKET_COLS                                                                                \
    "SELECT t.id, t.device_id, d.name AS device_name, d.kind AS device_kind, d.code AS"            \
    " device_code, d.status AS device_status, a.name AS area_name, t.kind, t.priority, t.title,"   \
    " t.title_en, t.detail, t.state, t.reported_by, t.reported_at AS \"reported_at:time\","        \
    " t.due_at AS \"due_at:time\", t.assignee_kind, t.assignee, t.assignee_company,"               \
    " t.assigned_at AS \"assigned_at:time\", t.repair_result, t.repair_note, t.repaired_by,"       \
    " t.repaired_at AS \"repaired_at:time\", t.verified_by, t.verified_at AS"                      \
    " \"verified_at:time\", t.closed_by, t.closed_at AS \"closed_at:time\", t.check_record_id,"    \
    " t.incident_id, t.updated_at AS \"updated_at:time\", (t.state IN ('reported','assigned')"     \
    " AND t.due_at < ?9) AS \"overdue:bool\", coalesce(t.verified_at, ?9) - t.reported_at AS"      \
    " downtime_ms FROM ticket t LEFT JOIN device d ON d.id = t.device_id LEFT JOIN area a ON"      \
    " a.id = d.area_id "

int store_ticket_get(struct store_conn *c, int64_t id, int64_t now, json_t **row)
{
    return store_q_row(c, row, TICKET_COLS "WHERE t.id = ?1", "innnnnnni", id, now);
}

#define TICKET_WHERE                                                                               \
    "WHERE (?1 IS NULL OR (?1 = 'open' AND t.state <> 'closed') OR t.state = ?1) AND (?2 IS NULL"  \
    " OR t.kind = ?2) AND (?3 IS NULL OR t.assignee = ?3) AND (?4 = 0 OR t.device_id = ?4) AND"    \
    " (?5 = 0 OR (t.state IN ('reported','assigned') AND t.due_at < ?9)) "

int store_ticket_list(struct store_conn *c, const struct store_ticket_filter *f, int64_t now,
                      int64_t limit, int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total, "SELECT count(*) FROM ticket t " TICKET_WHERE, "sssiinnni",
                         f->state, f->kind, f->assignee, f->device_id, (int64_t)f->overdue, now);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        TICKET_COLS TICKET_WHERE "ORDER BY t.state = 'closed', t.id DESC LIMIT ?6"
                                                 " OFFSET ?7",
                        "sssiiiini", f->state, f->kind, f->assignee, f->device_id,
                        (int64_t)f->overdue, limit, offset, now);
}

int store_ticket_due_escalation(struct store_conn *c, const char *level, int64_t due_before,
                                json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT t.id, t.title, t.due_at, d.name AS device_name FROM ticket t"
                        " LEFT JOIN device d ON d.id = t.device_id WHERE t.state IN"
                        " ('reported','assigned') AND t.due_at < ?2 AND NOT EXISTS (SELECT 1"
                        " FROM escalation e WHERE e.ticket_id = t.id AND e.level = ?1) ORDER BY"
                        " t.id LIMIT 500",
                        "si", level, due_before);
}

int store_escalation_insert_ticket(struct store_conn *c, int64_t ticket_id, const char *level,
                                   const char *reason, int64_t now, int64_t *id)
{
    int changes = 0;
    int rc = store_q_exec(c, id, &changes,
                          "INSERT INTO escalation(ticket_id, level, reason, created_at,"
                          " next_attempt_at) VALUES(?1, ?2, ?3, ?4, ?4)"
                          " ON CONFLICT(ticket_id, level) DO NOTHING",
                          "issi", ticket_id, level, reason, now);
    if (!rc && !changes)
        *id = 0;
    return rc;
}

int store_ticket_escalations(struct store_conn *c, int64_t ticket_id, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, level, reason, created_at AS \"created_at:time\","
                        " delivered_at AS \"delivered_at:time\", attempts, last_error FROM"
                        " escalation WHERE ticket_id = ?1 ORDER BY id",
                        "i", ticket_id);
}

int store_ticket_device_status(struct store_conn *c, int64_t device_id, char *status, size_t n)
{
    json_t *row = NULL;
    int rc = store_q_row(c, &row, "SELECT status FROM device WHERE id = ?1", "i", device_id);
    if (rc)
        return rc;
    snprintf(status, n, "%s", json_string_value(json_object_get(row, "status")));
    json_decref(row);
    return 0;
}

int store_ticket_device_unverified(struct store_conn *c, int64_t device_id, int64_t except_id,
                                   int64_t *n)
{
    return store_q_int(c, n,
                       "SELECT count(*) FROM ticket WHERE device_id = ?1 AND id <> ?2 AND state"
                       " IN ('reported','assigned','repaired')",
                       "ii", device_id, except_id);
}

int store_ticket_downtime(struct store_conn *c, int64_t device_id, int64_t from, int64_t to,
                          int64_t now, json_t **rows)
{
    return store_q_rows(
        c, rows,
        "SELECT id, kind, title, title_en, state, reported_at AS \"reported_at:time\","
        " verified_at AS \"verified_at:time\", max(reported_at, ?2) AS start,"
        " min(coalesce(verified_at, ?4), ?3) AS end FROM ticket WHERE device_id ="
        " ?1 AND reported_at < ?3 AND coalesce(verified_at, ?4) > ?2 ORDER BY"
        " reported_at, id",
        "iiii", device_id, from, to ? to : now, now);
}

int store_ticket_open_summary(struct store_conn *c, int64_t now, json_t **rows, int64_t *total,
                              int64_t *overdue)
{
    int rc = store_q_int(c, total, "SELECT count(*) FROM ticket WHERE state <> 'closed'", "");
    if (!rc)
        rc = store_q_int(c, overdue,
                         "SELECT count(*) FROM ticket WHERE state IN ('reported','assigned') AND"
                         " due_at < ?1",
                         "i", now);
    if (rc)
        return rc;
    return store_q_rows(
        c, rows,
        "SELECT t.id, t.kind, t.priority, t.title, t.title_en, t.state, d.name AS device_name,"
        " t.assignee, t.due_at AS \"due_at:time\", (t.state IN"
        " ('reported','assigned') AND t.due_at < ?1) AS \"overdue:bool\" FROM"
        " ticket t LEFT JOIN device d ON d.id = t.device_id WHERE t.state <>"
        " 'closed' ORDER BY t.id LIMIT 50",
        "i", now);
}
