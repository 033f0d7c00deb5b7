/* checklist.h - the regulation's response checklists (R3.4.5 fire/infrared, R3.4.6 elevator,
 * …), one per incident type, shipped as data files (data/checklists/TYPE.json, zh-CN and en).
 *
 * A checklist: {"type", "title": {"zh-CN","en"}, "steps": [{"id", "required", "text": {…},
 * "contact"?: contact role, "when"?: "real" (applies only once verified real), "when_flag"?:
 * flag name (applies once that flag step is done), "flag"?: name (doing this step sets the
 * flag, e.g. "injured"), "facts"?: [{"id","label":{…}}] (values the operator collects, such as
 * the six facts of a 119 call)}]}. */
#ifndef VIGIL_CHECKLIST_H
#define VIGIL_CHECKLIST_H

#include "app/app.h"

/* Validates cl and adds it (takes a reference). -EINVAL with a message naming the problem. */
int app_checklist_add(struct app *a, json_t *cl, char *err, size_t errsz);
/* Every incident type has a checklist? Returns 0 or -ENOENT naming the first missing type. */
int app_checklists_complete(struct app *a, char *err, size_t errsz);

/* Records a step for an incident: {"step", "status": "done"|"skipped", "reason"?, "facts"?}.
 * Skipping a required step needs a reason. Audited and on the timeline. */
int app_incident_step(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                      struct app_err *err);
/* Logs a call to a directory contact on the incident's timeline ({"contact_id", "note"?}). */
int app_incident_call(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                      struct app_err *err);

/* The checklist of an incident with each step's state: a new JSON array. */
json_t *checklist_render(struct app *a, const char *type, const char *verdict, int injured,
                         json_t *step_rows);
/* 0 when every applicable required step is done or skipped; else -EINVAL with err naming the
 * first missing step. */
int checklist_check_complete(struct app *a, const char *type, const char *verdict, int injured,
                             json_t *step_rows, struct app_err *err);

#endif
