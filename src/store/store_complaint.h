/* store_complaint.h - SQL for complaints and inquiries. */
#ifndef VIGIL_STORE_COMPLAINT_H
#define VIGIL_STORE_COMPLAINT_H

#include "store/store.h"

struct store_complaint_new {
    int64_t opened_at, resident_id, due_at;
    const char *channel, *unit, *contact_name, *contact_phone, *category, *description, *urgency,
        *assignee, *created_by;
};
int store_complaint_insert(struct store_conn *c, const struct store_complaint_new *n, int64_t *id);
/* OUT state (cap 16). */
int store_complaint_state(struct store_conn *c, int64_t id, char *state, size_t n);
/* Records who assigned it (by) and when (now). */
int store_complaint_assign(struct store_conn *c, int64_t id, const char *assignee, const char *by,
                           int64_t now);
/* The result given back to the resident: state resolved, return visit due at rv_due. */
int store_complaint_resolve(struct store_conn *c, int64_t id, const char *result, const char *by,
                            int64_t now, int64_t rv_due);
/* The return visit (回访): satisfaction 1..5; state closed. */
int store_complaint_return_visit(struct store_conn *c, int64_t id, int satisfaction,
                                 const char *note, const char *by, int64_t now);
/* With "overdue" computed at now. */
int store_complaint_get(struct store_conn *c, int64_t id, int64_t now, json_t **row);
/* overdue = 1: open or in progress past due_at (now); state/category filters when non-NULL. */
int store_complaint_list(struct store_conn *c, const char *state, const char *category, int overdue,
                         int64_t now, int64_t limit, int64_t offset, json_t **rows, int64_t *total);
/* By category: count, closed, median-free average hours to close, average satisfaction. */
int store_complaint_stats(struct store_conn *c, int64_t from, int64_t to, int64_t now,
                          json_t **rows);

#endif
