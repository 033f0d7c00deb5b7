/* shift.h - shift patterns and roster generation (S1), the staffing check a shift opens with
 * (S1, S3; GB 25201-2010 5.2), and the small desk lookups the console needs: the people who may
 * authorise a control-room entry or be rostered, the caller's clock-in state, counts by state. */
#ifndef VIGIL_SHIFT_H
#define VIGIL_SHIFT_H

#include "app/app.h"

/* {"items":[{"id","name","first_start":"HH:MM","shifts","hours","site"}]}; 3x8 and 2x12 are
 * seeded; "site" is true for the site's pattern (app_site_pattern_set). */
int app_pattern_list(struct app *a, json_t **out);
/* {"pattern_id"}: the site works this pattern from now on. Duty-log entries written outside any
 * roster slot (and the system's) take its periods as their shift; entries already written keep
 * theirs. Audited. A pattern that does not exist is a field error. */
int app_site_pattern_set(struct app *a, const struct actor *who, json_t *in, json_t **out,
                         struct app_err *err);
/* {"name","first_start":"HH:MM","shifts":1..6,"hours":1..24} with shifts * hours = 24. -EEXIST
 * when the name is taken. */
int app_pattern_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                    struct app_err *err);
/* {"pattern_id","from":"YYYY-MM-DD","to":"YYYY-MM-DD","teams":[["user",...],...]}: for every
 * local day from..to (inclusive, at most 62) and every shift of the pattern in order, one slot
 * per member of the next team in rotation (shift n of the period goes to team n mod teams).
 * All or nothing: a person who is not an active operator or shift leader, or a slot that would
 * overlap one the person already holds, refuses the whole request ("roster-overlap" names the
 * person and time). OUT {"created":n,"items":[{id,username,start,end}]}. */
int app_roster_generate(struct app *a, const struct actor *who, json_t *in, json_t **out,
                        struct app_err *err);

/* Inside a job (or a read): the trained staffing rostered over [now, now + duty.opening_check
 * minutes). OUT {"min_staff","staffed" (fewest trained on duty at any moment),"below":bool,
 * "from","to","gaps":[{start,end,staffed}]}. */
int shift_staffing(struct store_conn *c, const struct conf *cf, int64_t now, json_t **out);

/* Inside a handover job: the handover may complete only when the incoming shift holds the
 * minimum (shift_staffing), or carries a leader's override. When below and override_reason is
 * given by a handover.force holder, records the override (who, reason, when, staffed) on the
 * handover, in the audit trail and the duty log. explicit = 1 for the override action itself
 * (refused "override-not-needed" when the shift is not below or already overridden).
 * Refusals: "below-minimum", "override-not-allowed", "override-not-needed" (app_refuse). */
int shift_opening_check(struct store_conn *c, const struct conf *cf, const struct actor *who,
                        int64_t handover_id, const char *override_reason, int explicit, int64_t now,
                        struct app_err *err);
/* Adds the desk's facts to a handover summary compiled at now: "staffing" (shift_staffing),
 * "running_status" {"interval_minutes","since","missed":[…]} since the last completed handover
 * (at most 24 h back) and counts.running_status_missed. */
int shift_handover_facts(struct store_conn *c, const struct conf *cf, int64_t now, json_t *summary);

/* Active people by purpose, names and roles only: "entry_authorisers" (shift leaders,
 * supervisors, managers: who may authorise a control-room entry) or "rosterable" (operators
 * and shift leaders). -EDOM for another purpose. */
int app_people_list(struct app *a, const char *purpose, json_t **out);
/* {"username","clocked_in":bool,"since":ISO|null} for the actor. */
int app_clock_state(struct app *a, const struct actor *who, json_t **out);
/* {"open","in_progress","resolved","closed","overdue","total"} of complaints at now. */
int app_complaint_counts(struct app *a, json_t **out);
/* {"new",…,"closed","open","total"} of incidents by state. */
int app_incident_counts(struct app *a, json_t **out);

#endif
