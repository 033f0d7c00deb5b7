/* checks.h - periodic check sheets (R4.2-R4.7) and the monthly manual/automatic operation test
 * (R3.1).
 *
 * A template (data/checksheets/CODE.json) is {"code","recurrence","clause","name":{"zh-CN",
 * "en"},"due_days"?,"items":[{"id","type":"pass_fail"|"reading"|"note","text":{"zh-CN","en"},
 * "unit"?,"min"?,"max"?,"device_kind"?,"required"?}]}. Templates are versioned in the database:
 * at start a data file whose content differs from every stored version of its code becomes a
 * new version, and an admin's edit (check.template) makes a new version too. A record keeps
 * the version it was filled against.
 *
 * Filling a sheet answers every required item (pass/fail; a numeric reading, failed when out
 * of its limits; a note), signed by the logged-in user, for the current period (or a past one
 * filled late). Each failed item opens a fault ticket of kind "check_failure" in the same
 * transaction, linked to the device the answer names, or else the only device of the item's
 * device_kind. */
#ifndef VIGIL_CHECKS_H
#define VIGIL_CHECKS_H

#include "app/app.h"

/* Imports every *.json of dir. Returns how many new versions were stored, or a negative errno
 * with a message naming the file in err. */
int app_check_import(struct app *a, const char *dir, char *err, size_t errsz);
/* Checks a template's JSON; OUT *norm a normalised copy (caller decrefs). -EINVAL with err. */
int app_check_template_validate(json_t *in, json_t **norm, struct app_err *err);

/* The newest version of every template, with items. */
int app_check_template_list(struct app *a, json_t **out);
/* One version with "items", "latest" and "versions". */
int app_check_template_get(struct app *a, int64_t id, json_t **out);
/* {"name","items","due_days"?,"clause"?}: a new version of the template whose version id is
 * given (which must be the newest, else -EEXIST). */
int app_check_template_update(struct app *a, const struct actor *who, int64_t id, json_t *in,
                              json_t **out, struct app_err *err);

/* {"template_id","answers":{ITEM:{"result"?,"value"?,"text"?,"note"?,"photo"?,
 * "device_id"?}},"note"?,"period_at"?} -> 201 the record with "tickets". */
int app_check_fill(struct app *a, const struct actor *who, json_t *in, json_t **out,
                   struct app_err *err);
int app_check_record_get(struct app *a, int64_t id, json_t **out);
int app_check_record_list(struct app *a, const char *code, int64_t from, int64_t to,
                          const struct page *pg, json_t **out);

/* Tasks now: for every template the current period and the previous one when they have no
 * record: {"items":[{"template_id","code","name_zh","name_en","clause","recurrence",
 * "period_start","period_end","due_at","status":"due"|"overdue"}]}; periods that ended before
 * the template existed do not count. */
int app_check_due(struct app *a, json_t **out);
/* Every period of every template overlapping [from, to) (at most 400 days) with "status"
 * done/failed/due/overdue/upcoming and "record_id". */
int app_check_calendar(struct app *a, int64_t from, int64_t to, json_t **out, struct app_err *err);
/* Inside a read or write: adds "checks_due" (the due/overdue tasks) and the counts
 * "checks_due", "checks_overdue" to a handover summary. */
int app_check_handover_facts(struct store_conn *c, int64_t now, json_t *summary);

/* Inside the demo seed: all-pass records of the previous period of a few sheets, by signer. */
int app_check_demo_in(struct store_conn *c, const char *signer, int64_t now);

#endif
