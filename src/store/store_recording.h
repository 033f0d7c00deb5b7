/* store_recording.h - SQL for the recording access register (R3.4.3): requests to view or
 * borrow recorded footage, the manager's decision, the viewing, the loan and its return. */
#ifndef VIGIL_STORE_RECORDING_H
#define VIGIL_STORE_RECORDING_H

#include "store/store.h"

struct store_recording_new {
    const char *kind, *requester_name, *requester_org, *requester_id, *phone, *purpose, *cameras;
    int64_t area_id; /* 0: none */
    int64_t from, to, expires_at;
    const char *by;
    int64_t now;
};
int store_recording_insert(struct store_conn *c, const struct store_recording_new *r, int64_t *id);
/* The row with its raw requester_id and phone (the app masks them). -ENOENT when none. */
int store_recording_get(struct store_conn *c, int64_t id, json_t **row);
/* Newest first; open = 1: requested, approved or lent; state NULL: any. */
int store_recording_list(struct store_conn *c, int open, const char *state, int64_t limit,
                         int64_t offset, json_t **rows, int64_t *total);
/* Moves the request from state `from` to `to`, stamping the step's who / when / note columns
 * (step: "decided", "viewed", "returned", "cancelled", "kept"). -EALREADY when it is not in
 * state `from` (or does not exist: the caller has read it first). */
int store_recording_step(struct store_conn *c, int64_t id, const char *from, const char *to,
                         const char *step, const char *by, int64_t now, const char *note);
/* The loan's details, with the step "lent" (state approved -> lent). */
int store_recording_lend(struct store_conn *c, int64_t id, const char *by, int64_t now,
                         const char *medium, const char *copy_ref, int64_t due_back);
/* Recordings lent and not returned, oldest loan first: {id, requester_name, requester_org,
 * lent_at, due_back, overdue}. */
int store_recording_out(struct store_conn *c, int64_t now, json_t **rows);

#endif
