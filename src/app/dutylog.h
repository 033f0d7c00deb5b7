/* dutylog.h - the duty log 值班日志 (R3.4.11, R4.1): append-only entries written by the
 * people on duty and automatically by the other modules (incidents, escalations, hand-offs…).
 * Nothing can be edited or deleted; a mistake is corrected by an amending entry that points at
 * the original, which stays readable. */
#ifndef VIGIL_DUTYLOG_H
#define VIGIL_DUTYLOG_H

#include "app/app.h"

/* Categories, NULL-terminated. */
extern const char *const duty_categories[];

struct store_duty_entry;

/* The shift an entry written by author at `at` belongs to: the author's roster slot covering at
 * when there is one (never for "system"), else the period of the site's shift pattern (the first
 * defined, the seeded 3 x 8 h from 08:00 local) containing at. OUT *start, *end (ms); both 0
 * when no pattern exists. */
int dutylog_shift(struct store_conn *c, const char *author, int64_t at, int64_t *start,
                  int64_t *end);
/* Inside a writer job: inserts e after filling its shift (dutylog_shift). Every writer of the
 * duty log goes through here. -EINVAL as store_duty_insert. */
int dutylog_insert(struct store_conn *c, struct store_duty_entry *e, int64_t *id);

/* Inside a writer job: appends an automatic entry (author = who wrote the change). */
int dutylog_auto(struct store_conn *c, const char *author, const char *category,
                 int64_t incident_id, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A person's entry: {"category","text","incident_id"?,"device_id"?,"amends_id"?}. Audited. */
int app_duty_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                 struct app_err *err);
/* One entry (with "amended_by"). */
int app_duty_get(struct app *a, int64_t id, json_t **out);
/* Which entries: from <= at < to (ms; to 0 = open end), category when non-NULL, and only those
 * recorded in the shift starting at shift_start when non-zero. */
struct duty_filter {
    int64_t from, to, shift_start;
    const char *category;
};
/* Entries of the filter, oldest first. */
int app_duty_list(struct app *a, const struct duty_filter *f, const struct page *pg, json_t **out);
/* The same entries as CSV (UTF-8 with BOM, local time of the site, with the shift's local
 * start and end), for export and printing. OUT *csv (caller frees). */
int app_duty_csv(struct app *a, const struct duty_filter *f, char **csv);
/* The shifts of [from, to) (to > from): the periods of the site's shift pattern overlapping it
 * and any other shift recorded on an entry of the period (a roster slot), by start. OUT
 * {"items":[{"start","end","entries"}]}. */
int app_duty_shifts(struct app *a, int64_t from, int64_t to, json_t **out);

#endif
