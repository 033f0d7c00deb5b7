/* store_register.h - SQL for the control-room entry register and the alarm-line log. */
#ifndef VIGIL_STORE_REGISTER_H
#define VIGIL_STORE_REGISTER_H

#include "store/store.h"

int store_room_entry_insert(struct store_conn *c, const char *name, const char *org,
                            const char *purpose, const char *authorised_by,
                            const char *registered_by, int64_t now, int64_t *id);
/* Records the time out; -EALREADY when already out, -ENOENT when there is no such entry. */
int store_room_entry_out(struct store_conn *c, int64_t id, const char *by, int64_t now);
int store_room_entry_get(struct store_conn *c, int64_t id, json_t **row);
int store_room_entry_list(struct store_conn *c, int open, int64_t limit, int64_t offset,
                          json_t **rows, int64_t *total);

struct store_line_use {
    int64_t at;
    const char *line, *direction, *caller, *number, *reason, *recorded_by;
    int emergency;
    int64_t incident_id;
};
int store_line_use_insert(struct store_conn *c, const struct store_line_use *u, int64_t *id);
/* -EALREADY when reviewed before. */
int store_line_use_review(struct store_conn *c, int64_t id, const char *by, const char *note,
                          int64_t now);
int store_line_use_get(struct store_conn *c, int64_t id, json_t **row);
/* flagged = 1: non-emergency uses not yet reviewed by a supervisor. */
int store_line_use_list(struct store_conn *c, int flagged, int64_t limit, int64_t offset,
                        json_t **rows, int64_t *total);

#endif
