/* store_check.h - SQL for check-sheet templates (versioned) and filled records. */
#ifndef VIGIL_STORE_CHECK_H
#define VIGIL_STORE_CHECK_H

#include "store/store.h"

struct store_check_template {
    const char *code, *recurrence, *clause, *name_zh, *name_en, *body, *created_by;
    int64_t version, created_at;
};
int store_check_template_insert(struct store_conn *c, const struct store_check_template *t,
                                int64_t *id);
/* OUT *version: the newest version of code (0 when none); *seen 1 when some version of code
 * has exactly this body. */
int store_check_template_state(struct store_conn *c, const char *code, const char *body,
                               int64_t *version, int *seen);
/* The newest version of every template: [{id, code, version, recurrence, clause, name_zh,
 * name_en, body (text), created_at, since (ms: when version 1 was made)}] by code. */
int store_check_template_current(struct store_conn *c, json_t **rows);
/* One version (any): {id, code, version, ..., body (text), latest (bool)}. */
int store_check_template_get(struct store_conn *c, int64_t id, json_t **row);
/* Every version of code, newest first: [{id, version, created_by, created_at}]. */
int store_check_template_versions(struct store_conn *c, const char *code, json_t **rows);

struct store_check_record {
    int64_t template_id, period_start, period_end, filled_at;
    int64_t failed_items;
    const char *code, *filled_by, *result, *note, *answers;
};
/* -EEXIST when the period of that sheet already has a record. */
int store_check_record_insert(struct store_conn *c, const struct store_check_record *r,
                              int64_t *id);
int store_check_ticket_add(struct store_conn *c, int64_t record_id, const char *item,
                           int64_t ticket_id);
/* {id, template_id, version, code, name_zh, name_en, period_start, period_end, filled_by,
 * filled_by_name, filled_at, result, failed_items, note, answers (text), template (text)}. */
int store_check_record_get(struct store_conn *c, int64_t id, json_t **row);
/* [{item, ticket_id, state, title}] */
int store_check_record_tickets(struct store_conn *c, int64_t record_id, json_t **rows);
/* Records (without answers) with from <= period_start < to (to 0 = open), code filter when
 * non-NULL, newest period first. */
int store_check_record_list(struct store_conn *c, const char *code, int64_t from, int64_t to,
                            int64_t limit, int64_t offset, json_t **rows, int64_t *total);
/* Records of code with from <= period_start < to: [{id, period_start (ms), result, filled_by,
 * filled_at}]. */
int store_check_record_periods(struct store_conn *c, const char *code, int64_t from, int64_t to,
                               json_t **rows);
/* The only device of kind: OUT *id, 0 when there is none or more than one. */
int store_check_device_of_kind(struct store_conn *c, const char *kind, int64_t *id);
/* OUT kind (cap n) of a device; -ENOENT when there is none. */
int store_check_device_kind(struct store_conn *c, int64_t id, char *kind, size_t n);

#endif
