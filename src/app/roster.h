/* roster.h - who is on duty when (S1), the 24-hour coverage check (S1, S3; GB 25201-2010 §5.2),
 * training records (S3, R2.1, R3.4.14) and attendance (S8). */
#ifndef VIGIL_ROSTER_H
#define VIGIL_ROSTER_H

#include "app/app.h"

/* {"username","start","end","note"?} (ISO-8601 UTC): the person must be an active operator or
 * shift leader. */
int app_slot_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                 struct app_err *err);
int app_slot_delete(struct app *a, const struct actor *who, int64_t id);
/* Slots overlapping [from, to) with "trained", "training_expired" and "expired_courses" (the
 * required or other courses whose every record had expired by the slot's start). */
int app_roster_list(struct app *a, int64_t from, int64_t to, json_t **out);
/* {"min_staff","max_shift_hours","required_training","covered_ms","total_ms","gaps":[{start,
 * end,staffed}],"long_slots":[…],"untrained_slots":[…]} for [from, to). */
int app_coverage(struct app *a, int64_t from, int64_t to, json_t **out);

/* {"username","course","attended_at","valid_months","area_id"?}. area_id names the area
 * (building, garage…) whose fire alarm system the person was trained on and is accepted only
 * for the fire_knowledge course (fire alarm knowledge per area, S3); without it the record
 * covers the whole site. An unknown area is -EINVAL on "area_id", nothing written.
 * For the roster and coverage a course is held when any unexpired record of it exists, whether
 * for the whole site or for one area. */
int app_training_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                     struct app_err *err);
/* Records of username (NULL = everyone) and area_id (0 = any, -1 = whole-site records only). */
int app_training_list(struct app *a, const char *username, int64_t area_id, json_t **out);

/* The actor clocks in / out. -EEXIST when already in; -ENOENT when not in. */
int app_clock(struct app *a, const struct actor *who, int in, json_t **out);
/* Per roster slot in [from, to): late, left early, absent (derived from clock-in/out). */
int app_attendance_report(struct app *a, int64_t from, int64_t to, json_t **out);

#endif
