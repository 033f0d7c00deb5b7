/* store_report.c - SQL of the reports for superiors (R3.4.9): aggregations over a period and
 * the archive of generated reports. */
#include "store/store_report.h"

#include "store/store_int.h"

#include <errno.h>

int store_report_devices(struct store_conn *c, int64_t to, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT d.id, d.name, d.kind, d.status, d.created_at, a.name AS area"
                        " FROM device d JOIN area a ON a.id = d.area_id WHERE d.created_at < ?1"
                        " ORDER BY d.id",
                        "i", to);
}

int store_report_device_changes(struct store_conn *c, int64_t to, json_t **rows)
{
    /* app/site.c writes object "device:ID" and summary "status set to STATUS". */
    return store_q_rows(c, rows,
                        "SELECT CAST(substr(object, 8) AS INTEGER) AS device_id, at,"
                        " substr(summary, 15) AS status FROM audit WHERE action = 'device.status'"
                        " AND at < ?1 AND object LIKE 'device:%' AND summary LIKE 'status set to %'"
                        " ORDER BY id",
                        "i", to);
}

int store_report_alarm_count(struct store_conn *c, int64_t from, int64_t to, int64_t *n)
{
    return store_q_int(c, n,
                       "SELECT count(*) FROM alarm WHERE received_at >= ?1 AND received_at < ?2"
                       " AND kind = 'event'",
                       "ii", from, to);
}

int store_report_alarms_by_type(struct store_conn *c, int64_t from, int64_t to, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT coalesce(i.type, 'other') AS type, count(*) AS alarms FROM alarm a"
                        " LEFT JOIN incident i ON i.id = a.incident_id WHERE a.received_at >= ?1"
                        " AND a.received_at < ?2 AND a.kind = 'event' GROUP BY 1"
                        " ORDER BY 2 DESC, 1",
                        "ii", from, to);
}

int store_report_alarms_by_area(struct store_conn *c, int64_t from, int64_t to, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT i.area_id, ar.name AS area, count(*) AS alarms FROM alarm a"
                        " LEFT JOIN incident i ON i.id = a.incident_id LEFT JOIN area ar ON"
                        " ar.id = i.area_id WHERE a.received_at >= ?1 AND a.received_at < ?2 AND"
                        " a.kind = 'event' GROUP BY i.area_id ORDER BY 3 DESC, 2",
                        "ii", from, to);
}

int store_report_incidents_by_type(struct store_conn *c, int64_t from, int64_t to, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT type, count(*) AS incidents,"
                        " coalesce(sum(verdict = 'real'), 0) AS real,"
                        " coalesce(sum(verdict = 'false'), 0) AS false_alarms,"
                        " coalesce(sum(verdict = 'test'), 0) AS tests FROM incident"
                        " WHERE opened_at >= ?1 AND opened_at < ?2 GROUP BY type"
                        " ORDER BY 2 DESC, 1",
                        "ii", from, to);
}

int store_report_response(struct store_conn *c, int64_t from, int64_t to, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT i.id, i.type, i.priority, i.opened_at, i.acked_at,"
                        " (SELECT min(e.at) FROM incident_event e WHERE e.incident_id = i.id AND"
                        " e.to_state = 'dispatched') AS dispatched_at, i.closed_at FROM incident i"
                        " WHERE i.opened_at >= ?1 AND i.opened_at < ?2 ORDER BY i.id",
                        "ii", from, to);
}

int store_report_complaints(struct store_conn *c, int64_t from, int64_t to, int64_t at,
                            json_t **row)
{
    return store_q_row(
        c, row,
        "SELECT (SELECT count(*) FROM complaint WHERE opened_at >= ?1 AND opened_at < ?2) AS"
        " received, (SELECT count(*) FROM complaint WHERE state = 'closed' AND return_visit_at"
        " >= ?1 AND return_visit_at < ?2) AS closed, (SELECT count(*) FROM complaint WHERE"
        " opened_at < ?3 AND due_at < ?3 AND (result_at IS NULL OR result_at >= ?3)) AS overdue,"
        " count(satisfaction) AS visits, round(avg(satisfaction), 2) AS avg_satisfaction,"
        " coalesce(sum(satisfaction = 1), 0) AS s1, coalesce(sum(satisfaction = 2), 0) AS s2,"
        " coalesce(sum(satisfaction = 3), 0) AS s3, coalesce(sum(satisfaction = 4), 0) AS s4,"
        " coalesce(sum(satisfaction = 5), 0) AS s5 FROM complaint WHERE return_visit_at >= ?1"
        " AND return_visit_at < ?2",
        "iii", from, to, at);
}

int store_report_complaint_close_times(struct store_conn *c, int64_t from, int64_t to,
                                       json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT return_visit_at - opened_at AS ms FROM complaint WHERE state ="
                        " 'closed' AND return_visit_at >= ?1 AND return_visit_at < ?2 ORDER BY 1",
                        "ii", from, to);
}

int store_report_duty(struct store_conn *c, int64_t from, int64_t to, json_t **row)
{
    return store_q_row(
        c, row,
        "SELECT count(*) AS handovers, coalesce(sum(state = 'signed'), 0) AS signed,"
        " coalesce(sum(state = 'forced'), 0) AS forced, coalesce(sum(state = 'pending'), 0) AS"
        " pending, (SELECT count(*) FROM room_entry WHERE time_in >= ?1 AND time_in < ?2) AS"
        " room_entries, (SELECT count(*) FROM room_entry WHERE time_in < ?2 AND (time_out IS"
        " NULL OR time_out >= ?2)) AS room_open_at_end, (SELECT count(*) FROM line_use WHERE"
        " at >= ?1 AND at < ?2) AS line_uses, (SELECT count(*) FROM line_use WHERE at >= ?1 AND"
        " at < ?2 AND emergency = 1) AS emergency, (SELECT count(*) FROM line_use WHERE at >= ?1"
        " AND at < ?2 AND emergency = 0) AS non_emergency, (SELECT count(*) FROM line_use WHERE"
        " at >= ?1 AND at < ?2 AND emergency = 0 AND reviewed_at IS NULL) AS"
        " non_emergency_unreviewed FROM handover WHERE started_at >= ?1 AND started_at < ?2",
        "ii", from, to);
}

int store_report_tickets(struct store_conn *c, int64_t from, int64_t to, int64_t end, json_t **row)
{
    return store_q_row(
        c, row,
        "SELECT count(*) AS opened, coalesce(sum(kind = 'fault'), 0) AS fault,"
        " coalesce(sum(kind = 'check_failure'), 0) AS check_failure,"
        " coalesce(sum(kind = 'camera_health'), 0) AS camera_health,"
        " (SELECT count(*) FROM ticket WHERE closed_at >= ?1 AND closed_at < ?2) AS closed,"
        " (SELECT count(*) FROM ticket WHERE repaired_at >= ?1 AND repaired_at < ?2) AS repaired,"
        " (SELECT count(*) FROM ticket WHERE reported_at < ?3 AND (closed_at IS NULL OR closed_at"
        " >= ?3)) AS open_at_end, (SELECT count(*) FROM ticket WHERE reported_at < ?3 AND due_at"
        " < ?3 AND (repaired_at IS NULL OR repaired_at >= ?3)) AS overdue_at_end FROM ticket"
        " WHERE reported_at >= ?1 AND reported_at < ?2",
        "iii", from, to, end);
}

int store_report_ticket_intervals(struct store_conn *c, int64_t from, int64_t end, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT t.device_id, d.name, a.name AS area, max(t.reported_at, ?1) AS"
                        " start, min(coalesce(t.verified_at, ?2), ?2) AS end FROM ticket t JOIN"
                        " device d ON d.id = t.device_id JOIN area a ON a.id = d.area_id WHERE"
                        " t.reported_at < ?2 AND coalesce(t.verified_at, ?2) > ?1 ORDER BY"
                        " t.device_id, start",
                        "ii", from, end);
}

int store_report_site_created(struct store_conn *c, int64_t *at)
{
    int rc =
        store_q_int(c, at, "SELECT min(created_at) FROM site WHERE created_at IS NOT NULL", "");
    if (rc == -ENOENT) {
        *at = 0;
        return 0;
    }
    return rc;
}

int store_report_insert(struct store_conn *c, const struct store_report_row *r, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO report(kind, period_start, period_end, label, generated_at,"
                        " generated_by, data) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "siisiss", r->kind, r->period_start, r->period_end, r->label,
                        r->generated_at, r->generated_by, r->data);
}

int store_report_exists(struct store_conn *c, const char *kind, int64_t period_start)
{
    int64_t n = 0;
    int rc = store_q_int(c, &n, "SELECT count(*) FROM report WHERE kind = ?1 AND period_start = ?2",
                         "si", kind, period_start);
    return rc ? rc : (n > 0);
}

#define REPORT_COLS                                                                                \
    "SELECT id, kind, label, period_start AS \"period_start:time\", period_end AS"                 \
    " \"period_end:time\", generated_at AS \"generated_at:time\", generated_by"

int store_report_list(struct store_conn *c, const char *kind, int64_t limit, int64_t offset,
                      json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total, "SELECT count(*) FROM report WHERE ?1 IS NULL OR kind = ?1", "s",
                         kind);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        REPORT_COLS " FROM report WHERE ?1 IS NULL OR kind = ?1 ORDER BY"
                                    " period_start DESC, id DESC LIMIT ?2 OFFSET ?3",
                        "sii", kind, limit, offset);
}

int store_report_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, REPORT_COLS ", data FROM report WHERE id = ?1", "i", id);
}
