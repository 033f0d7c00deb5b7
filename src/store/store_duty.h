/* store_duty.h - SQL for the duty log (append-only). */
#ifndef VIGIL_STORE_DUTY_H
#define VIGIL_STORE_DUTY_H

#include "store/store.h"

struct store_duty_entry {
    int64_t at;
    const char *author, *category, *text;
    int64_t incident_id, device_id, amends_id; /* 0 = none */
    int64_t ticket_id;                         /* 0 = none */
    int64_t shift_start, shift_end;            /* the shift the entry belongs to; 0 = none */
    int automatic;
};
/* -EINVAL when a referenced incident, device or entry does not exist. */
int store_duty_insert(struct store_conn *c, const struct store_duty_entry *e, int64_t *id);
int store_duty_get(struct store_conn *c, int64_t id, json_t **row);
/* Entries with from <= at < to (0 = open end), oldest first; category filter when non-NULL;
 * shift_start filter (the entry's recorded shift starts then) when non-zero. Each row carries
 * "amended_by": the ids of entries that amend it, and "shift_start"/"shift_end" (null for
 * entries written before shifts were recorded). */
int store_duty_list(struct store_conn *c, int64_t from, int64_t to, const char *category,
                    int64_t shift_start, int64_t limit, int64_t offset, json_t **rows,
                    int64_t *total);
/* OUT *start, *end (ms) of the roster slot of username covering at (start <= at < end; the
 * earliest starting when several do), or -ENOENT. */
int store_duty_author_slot(struct store_conn *c, const char *username, int64_t at, int64_t *start,
                           int64_t *end);
/* OUT *rows [{start_ms,end_ms,entries}]: the distinct shifts recorded on entries with
 * from <= at < to, by start. */
int store_duty_shifts(struct store_conn *c, int64_t from, int64_t to, json_t **rows);

#endif
