/* store_roster.h - SQL for roster slots, training records and attendance. */
#ifndef VIGIL_STORE_ROSTER_H
#define VIGIL_STORE_ROSTER_H

#include "store/store.h"

int store_slot_insert(struct store_conn *c, const char *username, int64_t start, int64_t end,
                      const char *note, const char *by, int64_t *id);
/* OUT *count of the person's slots overlapping [start, end). */
int store_slot_overlaps(struct store_conn *c, const char *username, int64_t start, int64_t end,
                        int64_t *count);
int store_slot_delete(struct store_conn *c, int64_t id);
/* Slots overlapping [from, to), each with "trained": whether the person held every course of
 * required (a comma list) at the slot's start, and "expired_courses": a comma list of the
 * courses the person had attended whose every record had expired by the slot's start (NULL when
 * none). */
int store_slot_list(struct store_conn *c, int64_t from, int64_t to, const char *required,
                    json_t **rows);

/* area_id: the area whose fire system the course covered (0 = the whole site). -EINVAL when
 * the area does not exist. */
int store_training_insert(struct store_conn *c, const char *username, const char *course,
                          int64_t area_id, int64_t attended, int64_t expires, const char *by,
                          int64_t *id);
/* Records of username (NULL = everyone) and of area_id (0 = any; -1 = the whole site only),
 * each with "area_id", "area_name" and "expired" at now. */
int store_training_list(struct store_conn *c, const char *username, int64_t area_id, int64_t now,
                        json_t **rows);

/* -EEXIST when the person is already clocked in. */
int store_clock_in(struct store_conn *c, const char *username, int64_t now, int64_t *id);
/* -ENOENT when not clocked in. */
int store_clock_out(struct store_conn *c, const char *username, int64_t now);
int store_attendance_list(struct store_conn *c, int64_t from, int64_t to, json_t **rows);

#endif
