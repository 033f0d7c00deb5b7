/* report.h - reports for superiors (R3.4.9): daily, weekly (Monday to Sunday) and monthly
 * figures over a period of the site's local calendar (the process time zone, which vigild sets
 * to site.timezone), their statistics, the scheduled generation and the archive.
 *
 * The JSON report is the canonical form (docs/reports.md describes every figure); CSV and the
 * printable HTML page are rendered from it (app/report_render.c). */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include "app/app.h"

#include <stddef.h>

enum report_kind { REPORT_DAILY = 0, REPORT_WEEKLY, REPORT_MONTHLY };

extern const char *const report_kinds[]; /* "daily", "weekly", "monthly", NULL */

#define REPORT_MAX_DAYS 31

/* A period of whole local days: [from, to) in ms UTC. day_start[i] is the local midnight
 * beginning day i (day_start[ndays] == to); day_label[i] is its "YYYY-MM-DD". label names the
 * period: "2026-11-27", "2026-W48" (ISO week) or "2026-11". */
struct report_period {
    enum report_kind kind;
    int64_t from, to;
    int ndays;
    int64_t day_start[REPORT_MAX_DAYS + 1];
    char day_label[REPORT_MAX_DAYS][11];
    char label[16];
};

/* Parses a kind name. Returns 0 or -EINVAL. */
int report_kind_parse(const char *s, enum report_kind *out);
/* Parses a strict "YYYY-MM-DD" (a real calendar date, years 1970..2999). Returns 0 or -EINVAL. */
int report_date_parse(const char *s, int *y, int *m, int *d);
/* OUT p: the period of kind that contains the local date y-m-d. Returns 0 or -EINVAL. */
int report_period_of(enum report_kind kind, int y, int m, int d, struct report_period *p);
/* OUT p: the period of kind that contains the instant ms. Returns 0 or -EINVAL. */
int report_period_at(enum report_kind kind, int64_t ms, struct report_period *p);
/* OUT p: the period of the same kind just before cur. */
int report_period_prev(const struct report_period *cur, struct report_period *p);

/* Distribution of n durations in ms (v is sorted in place). median: the middle value, or the
 * mean of the two middle values for an even n; p90: nearest rank (the value at rank
 * ceil(0.9 n)); all 0 when n == 0. */
struct report_dist {
    size_t n;
    double median_ms, p90_ms;
    int64_t max_ms;
};
void report_dist_compute(int64_t *v, size_t n, struct report_dist *out);

/* Builds the report of kind for the period containing the local date "YYYY-MM-DD" (NULL:
 * today). -EINVAL (err names "kind" or "date") for a bad value or a period that has not begun.
 * OUT *out: the report (caller decrefs). */
int app_report_build(struct app *a, const char *kind, const char *date, json_t **out,
                     struct app_err *err);
/* The same for an already computed period, as of now (ms). */
int app_report_build_period(struct app *a, const struct report_period *p, int64_t now,
                            json_t **out);

/* The scheduled reports (conf report.schedule, report.schedule_at, report.catch_up_days): for
 * each scheduled kind, stores the report of every completed period that is missing, newest
 * first: the one that ended most recently once report.schedule_at has passed after its end,
 * and older ones that ended within report.catch_up_days (never before the site existed).
 * Idempotent: one report per kind and period. Called by the daemon's housekeeping. Returns the
 * number of reports stored, or a negative errno. */
int app_report_schedule_run(struct app *a, int64_t now);

/* The archive: list (?kind=) newest period first, without the data. */
int app_report_archive_list(struct app *a, const char *kind, const struct page *pg, json_t **out);
/* One stored report: OUT *out the report itself (the JSON stored), with "archive" {id,
 * generated_at, generated_by} added. -ENOENT when there is none. */
int app_report_archive_get(struct app *a, int64_t id, json_t **out);

#endif
