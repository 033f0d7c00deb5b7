/* dc09_time.c - the DC-09 time stamp "HH:MM:SS,MM-DD-YYYY" (UTC) to and from ms since the epoch,
 * with our own proleptic Gregorian civil-date arithmetic (no gmtime, no time zone). */
#include "core/clock.h"
#include "proto/dc09/dc09_int.h"

#include <string.h>

#define MS_PER_DAY 86400000LL
#define YEAR_MIN 1970
#define YEAR_MAX 9999

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/* n decimal digits at s, or -1. */
static int dec(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int dc09_time_parse(const char *s, int64_t *out_ms)
{
    /* 0123456789012345678
     * HH:MM:SS,MM-DD-YYYY */
    if (s[2] != ':' || s[5] != ':' || s[8] != ',' || s[11] != '-' || s[14] != '-')
        return -1;
    int hh = dec(s, 2), mi = dec(s + 3, 2), ss = dec(s + 6, 2);
    int mo = dec(s + 9, 2), dd = dec(s + 12, 2), yy = dec(s + 15, 4);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59)
        return -1;
    if (yy < YEAR_MIN || yy > YEAR_MAX || mo < 1 || mo > 12)
        return -1;
    if (dd < 1 || dd > days_in_month(yy, mo))
        return -1;
    int64_t days = clock_days_from_civil(yy, (unsigned)mo, (unsigned)dd);
    *out_ms = days * MS_PER_DAY + ((int64_t)hh * 3600 + mi * 60 + ss) * 1000;
    return 0;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

int dc09_time_format(int64_t ms, char out[DC09_TS_LEN + 1])
{
    /* 10000-01-01T00:00:00Z */
    if (ms < 0 || ms >= 253402300800000LL)
        return -1;
    int64_t days = ms / MS_PER_DAY;
    int sod = (int)(ms % MS_PER_DAY / 1000);
    int y, m, d;
    clock_civil_from_days(days, &y, &m, &d);
    memcpy(out, "00:00:00,00-00-0000", DC09_TS_LEN + 1);
    put2(out, sod / 3600);
    put2(out + 3, sod / 60 % 60);
    put2(out + 6, sod % 60);
    put2(out + 9, m);
    put2(out + 12, d);
    put2(out + 15, y / 100);
    put2(out + 17, y % 100);
    return 0;
}
