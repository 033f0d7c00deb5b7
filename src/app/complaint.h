/* complaint.h - residents' complaints and inquiries (R3.4.7, S7): intake, assignment with a due
 * time by urgency and category, major ones escalated to the supervisor and manager (the alarm
 * escalation queue), the result given back to the resident, then a return visit (回访) with
 * satisfaction. The contact's name and phone are personal data (S5): masked unless revealed. */
#ifndef VIGIL_COMPLAINT_H
#define VIGIL_COMPLAINT_H

#include "app/app.h"

extern const char *const complaint_categories[];
extern const char *const complaint_states[];

/* {"channel","unit","contact_name","contact_phone"?,"resident_id"?,"category","description",
 * "urgency","assignee"?} -> 201. */
int app_complaint_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                         struct app_err *err);
/* reveal: unmasked contact data for resident.pii holders (audited), else -EACCES. */
int app_complaint_get(struct app *a, const struct actor *who, int64_t id, int reveal, json_t **out);
int app_complaint_list(struct app *a, const char *state, const char *category, int overdue,
                       const struct page *pg, json_t **out);
/* {"assignee"}: an active user; the complaint goes in progress. */
int app_complaint_assign(struct app *a, const struct actor *who, int64_t id, json_t *in,
                         json_t **out, struct app_err *err);
/* {"result"}: what was given back to the resident; a return visit falls due in 3 days. */
int app_complaint_resolve(struct app *a, const struct actor *who, int64_t id, json_t *in,
                          json_t **out, struct app_err *err);
/* {"satisfaction": 1..5, "note"?}: only after the result was given back; closes it. */
int app_complaint_return_visit(struct app *a, const struct actor *who, int64_t id, json_t *in,
                               json_t **out, struct app_err *err);
/* Per category for a period: total, closed, overdue, average hours to result, satisfaction. */
int app_complaint_stats(struct app *a, int64_t from, int64_t to, json_t **out);

#endif
