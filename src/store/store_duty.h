/* store_duty.h - SQL for the duty log (append-only). */
#ifndef VIGIL_STORE_DUTY_H
#define VIGIL_STORE_DUTY_H

#include "store/store.h"

struct store_duty_entry {
    int64_t at;
    const char *author, *category, *text;
    int64_t incident_id, device_id, amends_id; /* 0 = none */
    int64_t ticket_id;                         /* 0 = none */
    int automatic;
};
/* -EINVAL when a referenced incident, device or entry does not exist. */
int store_duty_insert(struct store_conn *c, const struct store_duty_entry *e, int64_t *id);
int store_duty_get(struct store_conn *c, int64_t id, json_t **row);
/* Entries with from <= at < to (0 = open end), oldest first; category filter when non-NULL.
 * Each row carries "amended_by": the ids of entries that amend it. */
int store_duty_list(struct store_conn *c, int64_t from, int64_t to, const char *category,
                    int64_t limit, int64_t offset, json_t **rows, int64_t *total);

#endif
