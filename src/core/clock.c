/* clock.c - wall and monotonic time with a test seam. */
#include "core/clock.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t fixed_ms = -1;

int64_t clock_now_ms(void)
{
    int64_t f = atomic_load(&fixed_ms);
    if (f >= 0)
        return f;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_set_fixed(int64_t ms)
{
    atomic_store(&fixed_ms, ms < 0 ? -1 : ms);
}

void clock_advance(int64_t delta_ms)
{
    int64_t f = atomic_load(&fixed_ms);
    if (f >= 0)
        atomic_store(&fixed_ms, f + delta_ms);
}

int64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t clock_mono_ms(void)
{
    return clock_mono_ns() / 1000000;
}

int clock_format_iso(int64_t ms, char *out, size_t size)
{
    if (size < CLOCK_ISO_LEN || ms < 0)
        return -EINVAL;
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&secs, &tm) || tm.tm_year > 9999 - 1900) /* the format has 4 year digits */
        return -EINVAL;
    int n = snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    return (n > 0 && (size_t)n < size) ? 0 : -EINVAL;
}

/* Howard Hinnant's days_from_civil and civil_from_days: parsing needs neither timegm nor TZ. */
int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void clock_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* 1 if the fields name a real instant from 1970 on (days per month, leap years). */
static int valid_fields(int y, int mo, int d, int h, int mi, int sec)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[mo - 1] + (mo == 2 && leap);
}

int clock_parse_iso(const char *s, int64_t *out_ms)
{
    int y, mo, d, h, mi, sec, frac = 0;
    size_t len = strlen(s);
    if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return -EINVAL;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
        return -EINVAL;
    const char *p = s + 19;
    if (*p == '.') {
        if (len != 24 || digits(p + 1, 3, &frac))
            return -EINVAL;
        p += 4;
    }
    if (strcmp(p, "Z") != 0)
        return -EINVAL;
    if (!valid_fields(y, mo, d, h, mi, sec))
        return -EINVAL;
    int64_t days = clock_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out_ms = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 + frac;
    return 0;
}

int clock_format_local(int64_t ms, char *out, size_t size)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (size < 20 || ms < 0 || !localtime_r(&secs, &tm))
        return -EINVAL;
    int n = snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return (n > 0 && (size_t)n < size) ? 0 : -EINVAL;
}

int64_t clock_local_day_start(int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (ms < 0 || !localtime_r(&secs, &tm))
        return ms;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    return t == (time_t)-1 ? ms : (int64_t)t * 1000;
}

int clock_local_make(int y, int mo, int d, int minute, int64_t *out)
{
    if (!valid_fields(y, mo, d, 0, 0, 0) || minute < 0 || minute >= 1440)
        return -EINVAL;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = minute / 60,
                    .tm_min = minute % 60,
                    .tm_isdst = -1};
    time_t t = mktime(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d)
        return -EINVAL;
    *out = (int64_t)t * 1000;
    return 0;
}

int clock_parse_date(const char *s, int *y, int *mo, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, y) ||
        digits(s + 5, 2, mo) || digits(s + 8, 2, d) || !valid_fields(*y, *mo, *d, 0, 0, 0))
        return -EINVAL;
    return 0;
}
