/* retention.h - keeping records as long as the regulation asks and no longer (R4.1-R4.7: one
 * year; S5: the audit trail stays verifiable).
 *
 * The policy is one table (retention.c): record type -> table, time column, dependent rows,
 * period under the "regulation" profile (one year) and under the "gb25201" profile (five years
 * for test, maintenance and repair records), overridable per type by retention.<type>.
 *
 * "One year" is a calendar year in the site's time zone, counted from the start of the local day:
 * a run as of date D removes a record whose time is before local midnight of D minus the period
 * (the day clamped to the month's end: 29 Feb minus a year is 28 Feb). A record is so kept at
 * least its full period, never less. The nightly run (retention.run_at, local) removes in bounded
 * batches through the store writer, except what is on legal hold; removed audit records are
 * replaced by a signed checkpoint (app/audit.h). */
#ifndef VIGIL_RETENTION_H
#define VIGIL_RETENTION_H

#include "app/app.h"
#include "store/store_retention.h"

/* The policy table, terminated by a row whose name is NULL. */
extern const struct ret_kind retention_kinds[];
/* The row of a record type, or NULL. */
const struct ret_kind *retention_kind(const char *name);
/* The period of k in months under cf (override, else the profile's). OUT *source (optional):
 * "override", "regulation" or "gb25201". */
int retention_months(const struct conf *cf, const struct ret_kind *k, const char **source);
/* The cutoff for a run as of as_of ("YYYY-MM-DD", a local date): local midnight of as_of minus
 * months. Returns 0 or -EINVAL for a malformed date. */
int retention_cutoff(const char *as_of, int months, int64_t *cutoff);
/* The local date of ms as "YYYY-MM-DD" into out (size >= 11). */
int retention_local_date(int64_t ms, char *out, size_t n);

struct retention_opts {
    const char *as_of; /* "YYYY-MM-DD" (not after today), NULL: today */
    int dry_run;       /* count only, remove nothing */
    int scheduled;     /* 1: the nightly run (trigger "schedule"), 0: manual */
};

/* Runs retention now as who. Every run is recorded (retention_run) and audited. OUT *out the run:
 * {"id","as_of","dry_run","removed","held","types":{type:{removed|eligible,held,kept,cutoff}}}.
 * -EINVAL with err for a bad as_of; a failure part-way is recorded ("outcome":"failed") and
 * returned. */
int app_retention_run(struct app *a, const struct actor *who, const struct retention_opts *o,
                      json_t **out, struct app_err *err);
/* The daemon's housekeeping hook: runs the nightly job once per local day, in the two hours from
 * retention.run_at. Returns 1 when it ran, 0 when not due, or a negative errno. */
int app_retention_tick(struct app *a);
/* {"profile","run_at","batch","public_key","policy":[…],"runs":[…],"holds":[…]} */
int app_retention_status(struct app *a, json_t **out);

/* Legal holds (permission retention.manage; every action audited).
 * in: {"record_type","record_id","reason"}; -ENOENT when no such record, -EEXIST when already on
 * hold. */
int app_retention_hold_place(struct app *a, const struct actor *who, json_t *in, json_t **out,
                             struct app_err *err);
int app_retention_hold_release(struct app *a, const struct actor *who, int64_t id, json_t **out);
int app_retention_hold_list(struct app *a, int active, const struct page *pg, json_t **out);

#endif
