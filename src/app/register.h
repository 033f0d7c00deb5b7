/* register.h - the control-room entry register (R3.4.12: nobody unrelated enters the centre;
 * every visitor is registered with who authorised it) and the alarm-line / fire-telephone log
 * (R3.4.10: the line is for emergencies; every use is recorded; non-emergency use is flagged
 * for the supervisor). Both write the duty log and the audit trail. */
#ifndef VIGIL_REGISTER_H
#define VIGIL_REGISTER_H

#include "app/app.h"

/* {"name","organisation"?,"purpose","authorised_by"}: authorised_by must be the username of an
 * active shift leader, supervisor or manager, else -EINVAL (an entry without an authoriser is
 * refused). */
int app_room_entry_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                       struct app_err *err);
/* Records the time out (-EEXIST when already out). */
int app_room_entry_out(struct app *a, const struct actor *who, int64_t id, json_t **out);
int app_room_entry_list(struct app *a, int open, const struct page *pg, json_t **out);

/* {"line":"fire_phone"|"alarm_line","direction":"out"|"in","caller","number","reason",
 * "emergency":bool,"incident_id"?}. */
int app_line_use_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                     struct app_err *err);
/* The supervisor's review of a flagged use ({"note"?}); -EEXIST when reviewed before. */
int app_line_use_review(struct app *a, const struct actor *who, int64_t id, json_t *in,
                        json_t **out, struct app_err *err);
int app_line_use_list(struct app *a, int flagged, const struct page *pg, json_t **out);

#endif
