/* checkperiod.h - the periods of periodic check sheets, in the site's local time (the process
 * TZ; Asia/Shanghai by default, which has no DST).
 *
 * daily: local midnight to midnight; weekly: Monday 00:00 to the next Monday; monthly: the 1st
 * 00:00 to the next 1st; quarterly: Jan/Apr/Jul/Oct 1st; yearly: Jan 1st. A sheet is due by the
 * end of its period, or, with due_days > 0, within the first due_days days of it (the monthly
 * manual/automatic operation test is done at the first check of the month: due_days 1). */
#ifndef VIGIL_CHECKPERIOD_H
#define VIGIL_CHECKPERIOD_H

#include <stdint.h>

extern const char *const check_recurrences[];

/* OUT *start, *end (ms) of the period of recurrence that contains at (ms). Returns 0, or
 * -EINVAL for an unknown recurrence or a time the C library cannot represent. */
int check_period(const char *recurrence, int64_t at, int64_t *start, int64_t *end);
/* The period before the one that starts at start. */
int check_period_prev(const char *recurrence, int64_t start, int64_t *prev_start,
                      int64_t *prev_end);
/* When a period [start, end) is due: end, or start + due_days local days (capped at end). */
int64_t check_period_due(int64_t start, int64_t end, int due_days);

#endif
