/* store_complaint.c - SQL for complaints. */
#include "store/store_complaint.h"

#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>

int store_complaint_insert(struct store_conn *c, const struct store_complaint_new *n, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO complaint(opened_at, channel, resident_id, unit,"
                        " contact_name, contact_phone, category, description, urgency, assignee,"
                        " due_at, state, created_by, updated_at, assigned_at, assigned_by)"
                        " VALUES(?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'open',"
                        " ?12, ?1, CASE WHEN ?10 IS NOT NULL THEN ?1 END, CASE WHEN ?10 IS NOT"
                        " NULL THEN ?12 END)",
                        "isisssssssis", n->opened_at, n->channel, n->resident_id, n->unit,
                        n->contact_name, n->contact_phone, n->category, n->description, n->urgency,
                        n->assignee, n->due_at, n->created_by);
}

int store_complaint_state(struct store_conn *c, int64_t id, char *state, size_t n)
{
    json_t *row = NULL;
    int rc = store_q_row(c, &row, "SELECT state FROM complaint WHERE id = ?1", "i", id);
    if (rc)
        return rc;
    snprintf(state, n, "%s", json_string_value(json_object_get(row, "state")));
    json_decref(row);
    return 0;
}

int store_complaint_assign(struct store_conn *c, int64_t id, const char *assignee, const char *by,
                           int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE complaint SET assignee = ?2, state = 'in_progress', updated_at ="
                        " ?3, assigned_at = ?3, assigned_by = ?4 WHERE id = ?1",
                        "isis", id, assignee, now, by);
}

int store_complaint_resolve(struct store_conn *c, int64_t id, const char *result, const char *by,
                            int64_t now, int64_t rv_due)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE complaint SET state = 'resolved', result = ?2, result_by = ?3,"
                        " result_at = ?4, return_visit_due = ?5, updated_at = ?4 WHERE id = ?1",
                        "issii", id, result, by, now, rv_due);
}

int store_complaint_return_visit(struct store_conn *c, int64_t id, int satisfaction,
                                 const char *note, const char *by, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE complaint SET state = 'closed', satisfaction = ?2,"
                        " return_visit_note = ?3, return_visit_by = ?4, return_visit_at = ?5,"
                        " updated_at = ?5 WHERE id = ?1",
                        "iissi", id, (int64_t)satisfaction, note, by, now);
}

#define COMPLAINT_COLS                                                                             \
    "SELECT id, opened_at AS \"opened_at:time\", channel, resident_id, unit, contact_name,"        \
    " contact_phone, category, description, urgency, assignee, assigned_at AS"                     \
    " \"assigned_at:time\", assigned_by, due_at AS \"due_at:time\","                               \
    " state, result, result_at AS \"result_at:time\", result_by, return_visit_due AS"              \
    " \"return_visit_due:time\", return_visit_at AS \"return_visit_at:time\", return_visit_by,"    \
    " satisfaction, return_visit_note, created_by, updated_at AS \"updated_at:time\","             \
    " (state IN ('open','in_progress') AND due_at < ?9) AS \"overdue:bool\" FROM complaint "

int store_complaint_get(struct store_conn *c, int64_t id, int64_t now, json_t **row)
{
    /* Parameter 9 is "now" in both queries, so they share one column list. */
    return store_q_row(c, row, COMPLAINT_COLS "WHERE id = ?1", "innnnnnni", id, now);
}

int store_complaint_list(struct store_conn *c, const char *state, const char *category, int overdue,
                         int64_t now, int64_t limit, int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM complaint WHERE (?1 IS NULL OR state = ?1) AND"
                         " (?2 IS NULL OR category = ?2) AND (?3 = 0 OR (state IN ('open',"
                         "'in_progress') AND due_at < ?4))",
                         "ssii", state, category, (int64_t)overdue, now);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        COMPLAINT_COLS "WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR"
                                       " category = ?2) AND (?3 = 0 OR (state IN ('open',"
                                       "'in_progress') AND due_at < ?4)) ORDER BY id DESC"
                                       " LIMIT ?5 OFFSET ?6",
                        "ssiiiinni", state, category, (int64_t)overdue, now, limit, offset, now);
}

int store_complaint_stats(struct store_conn *c, int64_t from, int64_t to, int64_t now,
                          json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT category, count(*) AS total, sum(state = 'closed') AS closed,"
                        " sum(state IN ('open','in_progress') AND due_at < ?3) AS overdue,"
                        " round(avg(CASE WHEN result_at IS NOT NULL THEN (result_at -"
                        " opened_at) / 3600000.0 END), 1) AS avg_hours_to_result,"
                        " round(avg(satisfaction), 2) AS avg_satisfaction FROM complaint WHERE"
                        " opened_at >= ?1 AND (?2 = 0 OR opened_at < ?2) GROUP BY category"
                        " ORDER BY total DESC",
                        "iii", from, to, now);
}
