/* runstatus.h - the periodic running-status entry of the duty log (GB 25201-2010 5.2: the
 * operator records the running state of the fire alarm controller and the other equipment every
 * 2 hours; R3.4.11).
 *
 * The local day is cut into periods of duty.status_interval minutes from local midnight (the
 * last one ends at the next midnight). Each period needs at least one entry; a period that has
 * ended without one is "missed". The console prompts with the form while the current period
 * has no entry. Each entry is an ordinary duty-log entry (category routine, written by the
 * operator, append-only) plus its structured form in running_status. */
#ifndef VIGIL_RUNSTATUS_H
#define VIGIL_RUNSTATUS_H

#include "app/app.h"

/* {"fire_controller":"normal"|"fault","linkage_auto":bool,"power":"main"|"backup",
 * "recording":bool,"faults"?:str (required when the controller is in fault),"note"?:str}.
 * Writes the duty-log entry and the form; audited; live events "duty" and "running_status".
 * OUT the stored entry. */
int app_runstatus_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                      struct app_err *err);
/* {"interval_minutes","period_start","period_end","done":bool,"due":bool,"last_at":ISO|null}
 * for the period containing now. */
int app_runstatus_due(struct app *a, json_t **out);
/* Entries with from <= at < to, oldest first, and the missed periods of [from, to):
 * {"items":[…],"total","limit","offset","interval_minutes","missed":[{start,end}]}. */
int app_runstatus_list(struct app *a, int64_t from, int64_t to, json_t **out);

/* Missed periods (for the handover summary and the reports): the periods that ended in
 * (from, min(to, now)] and hold no entry. Works on any connection (a read or inside a writer
 * job). OUT *missed a new array of {"start","end"} (ISO UTC), oldest first; -EDOM when to <= from
 * or the period is longer than 366 days. Callers: app_runstatus_list, the handover summary;
 * the reports may call it over a month. */
int runstatus_missed(struct store_conn *c, const struct conf *cf, int64_t from, int64_t to,
                     int64_t now, json_t **missed);
/* The same over a read connection of a. */
int app_runstatus_missed(struct app *a, int64_t from, int64_t to, json_t **missed);

#endif
