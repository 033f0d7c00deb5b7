/* test_clock.c - ISO-8601 formatting and parsing, local days and dates in the process time zone,
 * and the injectable clock (core/clock). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
    const char *iso;
    int64_t ms;
} known[] = {{"1970-01-01T00:00:00.000Z", 0},
             {"1970-01-01T00:00:00.001Z", 1},
             {"2000-02-29T12:00:00.000Z", 951825600000},     /* leap: divisible by 400 */
             {"2024-02-29T00:00:00.000Z", 1709164800000},    /* leap: divisible by 4 */
             {"2024-02-29T23:59:59.999Z", 1709251199999},    /* last ms of a leap day */
             {"2024-03-01T00:00:00.000Z", 1709251200000},    /* the day after it */
             {"2026-11-27T22:33:24.123Z", 1795818804123},    /* the example in clock.h */
             {"2038-01-19T03:14:08.000Z", 2147483648000},    /* past 32-bit time_t */
             {"9999-12-31T23:59:59.999Z", 253402300799999}}; /* the last representable instant */

static void test_format_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        char out[CLOCK_ISO_LEN];
        assert_int_equal(clock_format_iso(known[i].ms, out, sizeof out), 0);
        assert_string_equal(out, known[i].iso);
    }
}

static void test_parse_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        int64_t ms = -1;
        assert_int_equal(clock_parse_iso(known[i].iso, &ms), 0);
        assert_int_equal(ms, known[i].ms);
    }
    /* The milliseconds are optional. */
    int64_t ms = -1;
    assert_int_equal(clock_parse_iso("2024-02-29T00:00:00Z", &ms), 0);
    assert_int_equal(ms, 1709164800000);
}

static void test_round_trip(void **state)
{
    (void)state;
    /* Every day of four centuries (leap rules for 2000, 2100, 2200, 2300, 2400 included), at a
     * time of day and millisecond that change from day to day. */
    const int64_t day = 86400000;
    for (int64_t d = 0; d < 146097 + 11000; d++) {
        int64_t ms = d * day + (d * 7919) % day;
        char out[CLOCK_ISO_LEN];
        int64_t back = -1;
        assert_int_equal(clock_format_iso(ms, out, sizeof out), 0);
        assert_int_equal(strlen(out), CLOCK_ISO_LEN - 1);
        assert_int_equal(clock_parse_iso(out, &back), 0);
        assert_int_equal(back, ms);
    }
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void test_calendar(void **state)
{
    (void)state;
    /* Walks every (year, month, day 1..31) and checks parse against a day counter kept here:
     * a date must parse exactly when it exists, to the next day after the previous one. */
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t day = 0;
    for (int y = 1970; y <= 2401; y++) {
        for (int m = 1; m <= 12; m++) {
            int dim = mdays[m - 1] + (m == 2 && is_leap(y));
            for (int d = 1; d <= 31; d++) {
                char s[64];
                snprintf(s, sizeof s, "%04d-%02d-%02dT00:00:00Z", y, m, d);
                int64_t ms = -7;
                int rc = clock_parse_iso(s, &ms);
                if (d > dim) {
                    if (rc != -EINVAL)
                        fail_msg("%s should be rejected", s);
                    assert_int_equal(ms, -7); /* output untouched on error */
                    continue;
                }
                if (rc != 0)
                    fail_msg("%s should parse", s);
                assert_int_equal(ms, day * 86400000);
                day++;
            }
        }
    }
}

static void test_parse_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2024",
        "2024-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-00-10T00:00:00Z",
        "2024-01-00T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:60Z",
        "1969-12-31T23:59:59Z",
        "2024-01-01 00:00:00Z",
        "2024-01-01t00:00:00Z",
        "2024-01-01T00:00:00",
        "2024-01-01T00:00:00z",
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.12Z",
        "2024-01-01T00:00:00.1234Z",
        "2024-01-01T00:00:00.abcZ",
        "2024-01-01T00:00:00+08:00",
        "2024-01-01T00:00:00.000+00:00",
        "2024-01-01T00:00:00ZZ",
        "2024-01-01T00:00:00Z ",
        " 2024-01-01T00:00:00Z",
        "2024-1-01T00:00:00Z",
        "2024/01/01T00:00:00Z",
        "+024-01-01T00:00:00Z",
        "20x4-01-01T00:00:00Z",
        "2024-01-01T0a:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = 42;
        if (clock_parse_iso(bad[i], &ms) != -EINVAL)
            fail_msg("\"%s\" should be rejected", bad[i]);
        assert_int_equal(ms, 42);
    }
}

static void test_format_invalid(void **state)
{
    (void)state;
    char out[64];
    memset(out, 'x', sizeof out);
    assert_int_equal(clock_format_iso(-1, out, sizeof out), -EINVAL);
    assert_int_equal(clock_format_iso(0, out, CLOCK_ISO_LEN - 1), -EINVAL);
    /* Year 10000 does not fit the fixed-width format. */
    assert_int_equal(clock_format_iso(253402300800000, out, sizeof out), -EINVAL);
    assert_int_equal(clock_format_iso(INT64_MAX, out, sizeof out), -EINVAL);
    assert_int_equal(clock_format_iso(0, out, CLOCK_ISO_LEN), 0);
    assert_string_equal(out, "1970-01-01T00:00:00.000Z");
}

static void test_fixed_clock(void **state)
{
    (void)state;
    clock_set_fixed(1709164800000);
    assert_int_equal(clock_now_ms(), 1709164800000);
    assert_int_equal(clock_now_ms(), 1709164800000); /* pinned: does not move by itself */
    clock_advance(1500);
    assert_int_equal(clock_now_ms(), 1709164801500);
    clock_advance(86400000);
    assert_int_equal(clock_now_ms(), 1709251201500);
    clock_set_fixed(0);
    assert_int_equal(clock_now_ms(), 0);
    clock_advance(1);
    assert_int_equal(clock_now_ms(), 1);

    /* Back to the real clock; advancing it is a no-op. */
    clock_set_fixed(-1);
    int64_t real = (int64_t)time(NULL) * 1000;
    int64_t now = clock_now_ms();
    assert_true(now >= real - 1000 && now <= real + 60000);
    clock_advance(365LL * 86400000);
    assert_true(clock_now_ms() < real + 60000);
}

static void test_monotonic(void **state)
{
    (void)state;
    clock_set_fixed(5);
    int64_t a = clock_mono_ns(), b = clock_mono_ns();
    assert_true(a > 0);
    assert_true(b >= a);
    assert_true(clock_mono_ms() >= a / 1000000);
    clock_set_fixed(-1);
}

static void use_zone(const char *tz)
{
    assert_int_equal(setenv("TZ", tz, 1), 0);
    tzset();
}

/* Local days in the site's zone (the process TZ): Asia/Shanghai has no DST, a day is 24 h and
 * starts at 16:00Z the day before. */
static void test_local_days_shanghai(void **state)
{
    (void)state;
    use_zone("Asia/Shanghai");
    int64_t ms = -1;
    assert_int_equal(clock_local_make(2026, 11, 28, 0, &ms), 0);
    assert_int_equal(ms, 1795795200000); /* 2026-11-27T16:00:00Z */
    assert_int_equal(clock_local_make(2026, 11, 28, 1439, &ms), 0);
    assert_int_equal(ms, 1795881540000); /* 2026-11-28T15:59:00Z */
    assert_int_equal(clock_local_make(2024, 2, 29, 0, &ms), 0);
    assert_int_equal(ms, 1709136000000); /* a leap day */
    /* Bad minutes and dates are refused, out untouched. */
    ms = 7;
    assert_int_equal(clock_local_make(2026, 11, 28, 1440, &ms), -EINVAL);
    assert_int_equal(clock_local_make(2026, 11, 28, -1, &ms), -EINVAL);
    assert_int_equal(clock_local_make(2026, 2, 29, 0, &ms), -EINVAL);
    assert_int_equal(clock_local_make(2026, 13, 1, 0, &ms), -EINVAL);
    assert_int_equal(clock_local_make(2026, 4, 31, 0, &ms), -EINVAL);
    assert_int_equal(clock_local_make(1969, 12, 31, 0, &ms), -EINVAL);
    assert_int_equal(ms, 7);
    /* The day start: at or before, on both sides of the boundary. */
    assert_int_equal(clock_local_day_start(1795795200000), 1795795200000);
    assert_int_equal(clock_local_day_start(1795795200000 - 1), 1795708800000);
    assert_int_equal(clock_local_day_start(1795795199000), 1795708800000);
    assert_int_equal(clock_local_day_start(1795881540000), 1795795200000);
    assert_int_equal(clock_local_day_start(1795795200000 + 86399999), 1795795200000);
    /* Before the epoch it gives the input back. */
    assert_int_equal(clock_local_day_start(-5), -5);
}

/* A zone with DST: the spring-forward day is 23 h; a minute in the skipped hour moves on. */
static void test_local_days_dst(void **state)
{
    (void)state;
    use_zone("America/New_York");
    int64_t ms = -1;
    assert_int_equal(clock_local_make(2026, 3, 8, 0, &ms), 0);
    assert_int_equal(ms, 1772946000000); /* 2026-03-08T05:00:00Z (EST) */
    assert_int_equal(clock_local_make(2026, 3, 9, 0, &ms), 0);
    assert_int_equal(ms, 1773028800000); /* 2026-03-09T04:00:00Z (EDT): 23 h later */
    assert_int_equal(clock_local_make(2026, 3, 8, 180, &ms), 0);
    assert_int_equal(ms, 1772953200000); /* 03:00 EDT */
    assert_int_equal(clock_local_day_start(1772971200000), 1772946000000);
    assert_int_equal(clock_local_day_start(1773028800000 - 1), 1772946000000);
    assert_int_equal(clock_local_day_start(1773028800000), 1773028800000);
    use_zone("UTC");
}

static void test_parse_date(void **state)
{
    (void)state;
    int y = 0, mo = 0, d = 0;
    assert_int_equal(clock_parse_date("2026-11-28", &y, &mo, &d), 0);
    assert_int_equal(y, 2026);
    assert_int_equal(mo, 11);
    assert_int_equal(d, 28);
    assert_int_equal(clock_parse_date("2024-02-29", &y, &mo, &d), 0);
    assert_int_equal(clock_parse_date("1970-01-01", &y, &mo, &d), 0);
    static const char *const bad[] = {
        "2026-02-29", "2026-13-01", "2026-00-10",           "2026-11-00",  "2026-11-31",
        "1969-12-31", "2026-1-28",  "2026/11/28",           "2026-11-28x", "2026-11-2",
        "",           "+026-11-28", "2026-11-28T00:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (clock_parse_date(bad[i], &y, &mo, &d) != -EINVAL)
            fail_msg("clock_parse_date(\"%s\") accepted", bad[i]);
    assert_int_equal(clock_parse_date(NULL, &y, &mo, &d), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_known),        cmocka_unit_test(test_parse_known),
        cmocka_unit_test(test_round_trip),          cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_parse_invalid),       cmocka_unit_test(test_format_invalid),
        cmocka_unit_test(test_fixed_clock),         cmocka_unit_test(test_monotonic),
        cmocka_unit_test(test_local_days_shanghai), cmocka_unit_test(test_local_days_dst),
        cmocka_unit_test(test_parse_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
