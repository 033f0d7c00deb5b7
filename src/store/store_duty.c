/* store_duty.c - SQL for the duty log. */
#include "store/store_duty.h"

#include "store/store_int.h"

int store_duty_insert(struct store_conn *c, const struct store_duty_entry *e, int64_t *id)
{
    return store_q_exec(
        c, id, NULL,
        "INSERT INTO duty_log(at, author, category, text, incident_id, device_id,"
        " amends_id, auto, ticket_id, shift_start, shift_end) VALUES(?1, ?2, ?3, ?4,"
        " nullif(?5, 0), nullif(?6, 0), nullif(?7, 0), ?8, nullif(?9, 0),"
        " nullif(?10, 0), nullif(?11, 0))",
        "isssiiiiiii", e->at, e->author, e->category, e->text, e->incident_id, e->device_id,
        e->amends_id, (int64_t)e->automatic, e->ticket_id, e->shift_start, e->shift_end);
}

#define DUTY_COLS                                                                                  \
    "SELECT d.id, d.at AS \"at:time\", d.author, u.display_name AS author_name, d.category,"       \
    " d.text, d.incident_id, d.device_id, v.name AS device_name, d.amends_id, d.ticket_id,"        \
    " d.auto AS \"auto:bool\", d.shift_start AS \"shift_start:time\", d.shift_end AS"              \
    " \"shift_end:time\", (SELECT group_concat(x.id) FROM duty_log x WHERE x.amends_id ="          \
    " d.id) AS amended_by, k.title AS ticket_title, k.title_en AS ticket_title_en FROM duty_log d" \
    " LEFT JOIN user u ON u.username = d.author LEFT JOIN device v ON v.id = d.device_id LEFT"     \
    " JOIN ticket k ON k.id = d.ticket_id "

int store_duty_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, DUTY_COLS "WHERE d.id = ?1", "i", id);
}

int store_duty_list(struct store_conn *c, int64_t from, int64_t to, const char *category,
                    int64_t shift_start, int64_t limit, int64_t offset, json_t **rows,
                    int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM duty_log WHERE at >= ?1 AND (?2 = 0 OR at < ?2)"
                         " AND (?3 IS NULL OR category = ?3) AND (?4 = 0 OR shift_start = ?4)",
                         "iisi", from, to, category, shift_start);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        DUTY_COLS "WHERE d.at >= ?1 AND (?2 = 0 OR d.at < ?2) AND (?3 IS NULL OR"
                                  " d.category = ?3) AND (?6 = 0 OR d.shift_start = ?6) ORDER BY"
                                  " d.at, d.id LIMIT ?4 OFFSET ?5",
                        "iisiii", from, to, category, limit, offset, shift_start);
}

int store_duty_author_slot(struct store_conn *c, const char *username, int64_t at, int64_t *start,
                           int64_t *end)
{
    json_t *row = NULL;
    int rc = store_q_row(c, &row,
                         "SELECT start_at, end_at FROM roster_slot WHERE username = ?1 AND"
                         " start_at <= ?2 AND end_at > ?2 ORDER BY start_at, id LIMIT 1",
                         "si", username, at);
    if (rc)
        return rc;
    *start = json_integer_value(json_object_get(row, "start_at"));
    *end = json_integer_value(json_object_get(row, "end_at"));
    json_decref(row);
    return 0;
}

int store_duty_shifts(struct store_conn *c, int64_t from, int64_t to, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT shift_start AS start_ms, shift_end AS end_ms, count(*) AS entries"
                        " FROM duty_log WHERE at >= ?1 AND at < ?2 AND shift_start IS NOT NULL"
                        " GROUP BY shift_start, shift_end ORDER BY shift_start, shift_end",
                        "ii", from, to);
}
