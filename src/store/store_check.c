/* store_check.c - SQL for check sheets. */
#include "store/store_check.h"

#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>

int store_check_template_insert(struct store_conn *c, const struct store_check_template *t,
                                int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO check_template(code, version, recurrence, clause, name_zh,"
                        " name_en, body, created_by, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
                        " ?7, ?8, ?9)",
                        "sissssssi", t->code, t->version, t->recurrence, t->clause, t->name_zh,
                        t->name_en, t->body, t->created_by, t->created_at);
}

int store_check_template_state(struct store_conn *c, const char *code, const char *body,
                               int64_t *version, int *seen)
{
    json_t *row = NULL;
    int rc = store_q_row(c, &row,
                         "SELECT coalesce(max(version), 0) AS v, coalesce(max(body = ?2), 0) AS"
                         " seen FROM check_template WHERE code = ?1",
                         "ss", code, body);
    if (rc)
        return rc;
    *version = json_integer_value(json_object_get(row, "v"));
    *seen = json_integer_value(json_object_get(row, "seen")) != 0;
    json_decref(row);
    return 0;
}

#define TEMPLATE_COLS                                                                              \
    "SELECT t.id, t.code, t.version, t.recurrence, t.clause, t.name_zh, t.name_en, t.body,"        \
    " t.created_by, t.created_at AS \"created_at:time\", (SELECT min(x.created_at) FROM"           \
    " check_template x WHERE x.code = t.code) AS since, t.version = (SELECT max(x.version) FROM"   \
    " check_template x WHERE x.code = t.code) AS \"latest:bool\" FROM check_template t "

int store_check_template_current(struct store_conn *c, json_t **rows)
{
    return store_q_rows(c, rows,
                        TEMPLATE_COLS "WHERE t.version = (SELECT max(x.version) FROM"
                                      " check_template x WHERE x.code = t.code) ORDER BY t.code",
                        "");
}

int store_check_template_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, TEMPLATE_COLS "WHERE t.id = ?1", "i", id);
}

int store_check_template_versions(struct store_conn *c, const char *code, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, version, created_by, created_at AS \"created_at:time\" FROM"
                        " check_template WHERE code = ?1 ORDER BY version DESC",
                        "s", code);
}

int store_check_record_insert(struct store_conn *c, const struct store_check_record *r, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO check_record(template_id, code, period_start, period_end,"
                        " filled_by, filled_at, result, failed_items, note, answers) VALUES(?1,"
                        " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        "isiisisiss", r->template_id, r->code, r->period_start, r->period_end,
                        r->filled_by, r->filled_at, r->result, r->failed_items, r->note,
                        r->answers);
}

int store_check_ticket_add(struct store_conn *c, int64_t record_id, const char *item,
                           int64_t ticket_id)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO check_ticket(record_id, item, ticket_id) VALUES(?1, ?2, ?3)",
                        "isi", record_id, item, ticket_id);
}

#define RECORD_COLS                                                                                \
    "SELECT r.id, r.template_id, t.version, r.code, t.name_zh, t.name_en, t.recurrence,"           \
    " r.period_start AS \"period_start:time\", r.period_end AS \"period_end:time\", r.filled_by,"  \
    " u.display_name AS filled_by_name, r.filled_at AS \"filled_at:time\", r.result,"              \
    " r.failed_items, r.note"

int store_check_record_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row,
                       RECORD_COLS ", r.answers, t.body AS template FROM check_record r JOIN"
                                   " check_template t ON t.id = r.template_id LEFT JOIN user u ON"
                                   " u.username = r.filled_by WHERE r.id = ?1",
                       "i", id);
}

int store_check_record_tickets(struct store_conn *c, int64_t record_id, json_t **rows)
{
    return store_q_rows(
        c, rows,
        "SELECT k.item, k.ticket_id, t.state, t.title, t.title_en FROM check_ticket k JOIN"
        " ticket t ON t.id = k.ticket_id WHERE k.record_id = ?1 ORDER BY"
        " k.ticket_id",
        "i", record_id);
}

int store_check_record_list(struct store_conn *c, const char *code, int64_t from, int64_t to,
                            int64_t limit, int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM check_record WHERE (?1 IS NULL OR code = ?1) AND"
                         " period_start >= ?2 AND (?3 = 0 OR period_start < ?3)",
                         "sii", code, from, to);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        RECORD_COLS " FROM check_record r JOIN check_template t ON t.id ="
                                    " r.template_id LEFT JOIN user u ON u.username = r.filled_by"
                                    " WHERE (?1 IS NULL OR r.code = ?1) AND r.period_start >= ?2"
                                    " AND (?3 = 0 OR r.period_start < ?3) ORDER BY"
                                    " r.period_start DESC, r.code LIMIT ?4 OFFSET ?5",
                        "siiii", code, from, to, limit, offset);
}

int store_check_record_periods(struct store_conn *c, const char *code, int64_t from, int64_t to,
                               json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, period_start, result, filled_by, filled_at AS"
                        " \"filled_at:time\" FROM check_record WHERE code = ?1 AND period_start"
                        " >= ?2 AND period_start < ?3 ORDER BY period_start",
                        "sii", code, from, to);
}

int store_check_device_of_kind(struct store_conn *c, const char *kind, int64_t *id)
{
    json_t *row = NULL;
    int rc = store_q_row(c, &row,
                         "SELECT count(*) AS n, min(id) AS id FROM device WHERE kind = ?1 AND"
                         " status <> 'disabled'",
                         "s", kind);
    if (rc)
        return rc;
    *id = json_integer_value(json_object_get(row, "n")) == 1
              ? json_integer_value(json_object_get(row, "id"))
              : 0;
    json_decref(row);
    return 0;
}

int store_check_device_kind(struct store_conn *c, int64_t id, char *kind, size_t n)
{
    json_t *row = NULL;
    int rc = store_q_row(c, &row, "SELECT kind FROM device WHERE id = ?1", "i", id);
    if (rc)
        return rc;
    snprintf(kind, n, "%s", json_string_value(json_object_get(row, "kind")));
    json_decref(row);
    return 0;
}
