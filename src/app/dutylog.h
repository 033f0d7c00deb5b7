/* dutylog.h - the duty log 值班日志 (R3.4.11, R4.1): append-only entries written by the
 * people on duty and automatically by the other modules (incidents, escalations, hand-offs…).
 * Nothing can be edited or deleted; a mistake is corrected by an amending entry that points at
 * the original, which stays readable. */
#ifndef VIGIL_DUTYLOG_H
#define VIGIL_DUTYLOG_H

#include "app/app.h"

/* Categories, NULL-terminated. */
extern const char *const duty_categories[];

/* Inside a writer job: appends an automatic entry (author = who wrote the change). */
int dutylog_auto(struct store_conn *c, const char *author, const char *category,
                 int64_t incident_id, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A person's entry: {"category","text","incident_id"?,"device_id"?,"amends_id"?}. Audited. */
int app_duty_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                 struct app_err *err);
/* One entry (with "amended_by"). */
int app_duty_get(struct app *a, int64_t id, json_t **out);
/* Entries with from <= at < to (ms; to 0 = now), oldest first. */
int app_duty_list(struct app *a, int64_t from, int64_t to, const char *category,
                  const struct page *pg, json_t **out);
/* The same period as CSV (UTF-8 with BOM, local time of the site), for export and printing.
 * OUT *csv (caller frees). */
int app_duty_csv(struct app *a, int64_t from, int64_t to, const char *category, char **csv);

#endif
