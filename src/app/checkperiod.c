/* checkperiod.c - check-sheet periods in local time. */
#include "app/checkperiod.h"

#include <errno.h>
#include <string.h>
#include <time.h>

const char *const check_recurrences[] = {"daily", "weekly", "monthly", "quarterly", "yearly", NULL};

/* Local midnight of the day (year, mon 0-based, mday), normalised by mktime. */
static int64_t local_midnight(int year, int mon, int mday)
{
    struct tm tm = {0};
    tm.tm_year = year;
    tm.tm_mon = mon;
    tm.tm_mday = mday;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    return t == (time_t)-1 ? INT64_MIN : (int64_t)t * 1000;
}

int check_period(const char *recurrence, int64_t at, int64_t *start, int64_t *end)
{
    time_t t = (time_t)(at >= 0 ? at / 1000 : (at - 999) / 1000);
    struct tm tm;
    if (!recurrence || !localtime_r(&t, &tm))
        return -EINVAL;
    int y = tm.tm_year, m = tm.tm_mon, d = tm.tm_mday;
    if (strcmp(recurrence, "daily") == 0) {
        *start = local_midnight(y, m, d);
        *end = local_midnight(y, m, d + 1);
    } else if (strcmp(recurrence, "weekly") == 0) {
        int back = (tm.tm_wday + 6) % 7; /* days since Monday */
        *start = local_midnight(y, m, d - back);
        *end = local_midnight(y, m, d - back + 7);
    } else if (strcmp(recurrence, "monthly") == 0) {
        *start = local_midnight(y, m, 1);
        *end = local_midnight(y, m + 1, 1);
    } else if (strcmp(recurrence, "quarterly") == 0) {
        *start = local_midnight(y, m - m % 3, 1);
        *end = local_midnight(y, m - m % 3 + 3, 1);
    } else if (strcmp(recurrence, "yearly") == 0) {
        *start = local_midnight(y, 0, 1);
        *end = local_midnight(y + 1, 0, 1);
    } else {
        return -EINVAL;
    }
    return *start == INT64_MIN || *end == INT64_MIN ? -EINVAL : 0;
}

int check_period_prev(const char *recurrence, int64_t start, int64_t *prev_start, int64_t *prev_end)
{
    /* One second before the start lies in the previous period, whatever its length. */
    return check_period(recurrence, start - 1000, prev_start, prev_end);
}

int64_t check_period_due(int64_t start, int64_t end, int due_days)
{
    if (due_days <= 0)
        return end;
    time_t t = (time_t)(start / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return end;
    int64_t due = local_midnight(tm.tm_year, tm.tm_mon, tm.tm_mday + due_days);
    return due == INT64_MIN || due > end ? end : due;
}
