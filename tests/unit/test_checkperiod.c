/* test_checkperiod.c - check-sheet periods in the site's time zone (app/checkperiod):
 * day, week (Monday), month, quarter and year boundaries in Asia/Shanghai (UTC+8, no DST),
 * instants just either side of local midnight, the previous period, and the due time of the
 * monthly operation test done at the first check of the month. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/checkperiod.h"
#include "core/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t iso(const char *s)
{
    int64_t ms = 0;
    assert_int_equal(clock_parse_iso(s, &ms), 0);
    return ms;
}

static void period_is(const char *rec, const char *at, const char *start, const char *end)
{
    int64_t s = 0, e = 0;
    assert_int_equal(check_period(rec, iso(at), &s, &e), 0);
    char got_s[CLOCK_ISO_LEN], got_e[CLOCK_ISO_LEN];
    clock_format_iso(s, got_s, sizeof got_s);
    clock_format_iso(e, got_e, sizeof got_e);
    if (strcmp(got_s, start) != 0 || strcmp(got_e, end) != 0)
        fail_msg("%s at %s: got %s..%s, want %s..%s", rec, at, got_s, got_e, start, end);
}

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    return 0;
}

static void test_daily_local_midnight(void **state)
{
    (void)state;
    /* 2026-11-28 07:59:59 local is still the 28th; 16:00Z is the 29th local. */
    period_is("daily", "2026-11-27T23:59:59.000Z", "2026-11-27T16:00:00.000Z",
              "2026-11-28T16:00:00.000Z");
    period_is("daily", "2026-11-27T16:00:00.000Z", "2026-11-27T16:00:00.000Z",
              "2026-11-28T16:00:00.000Z");
    period_is("daily", "2026-11-27T15:59:59.999Z", "2026-11-26T16:00:00.000Z",
              "2026-11-27T16:00:00.000Z");
}

static void test_weekly_starts_monday(void **state)
{
    (void)state;
    /* 2026-11-30 is a Monday. Sunday 29th 23:59 local belongs to the week of the 23rd. */
    period_is("weekly", "2026-11-29T15:59:00.000Z", "2026-11-22T16:00:00.000Z",
              "2026-11-29T16:00:00.000Z");
    period_is("weekly", "2026-11-29T16:00:00.000Z", "2026-11-29T16:00:00.000Z",
              "2026-12-06T16:00:00.000Z");
    /* A week across the year's end. */
    period_is("weekly", "2027-01-01T04:00:00.000Z", "2026-12-27T16:00:00.000Z",
              "2027-01-03T16:00:00.000Z");
}

static void test_month_quarter_year(void **state)
{
    (void)state;
    /* 2026-12-01 00:30 local is 2026-11-30 16:30Z: December already. */
    period_is("monthly", "2026-11-30T16:30:00.000Z", "2026-11-30T16:00:00.000Z",
              "2026-12-31T16:00:00.000Z");
    period_is("monthly", "2026-11-30T15:30:00.000Z", "2026-10-31T16:00:00.000Z",
              "2026-11-30T16:00:00.000Z");
    /* February of a common and of a leap year. */
    period_is("monthly", "2027-02-15T00:00:00.000Z", "2027-01-31T16:00:00.000Z",
              "2027-02-28T16:00:00.000Z");
    period_is("monthly", "2028-02-15T00:00:00.000Z", "2028-01-31T16:00:00.000Z",
              "2028-02-29T16:00:00.000Z");
    period_is("quarterly", "2026-11-28T00:00:00.000Z", "2026-09-30T16:00:00.000Z",
              "2026-12-31T16:00:00.000Z");
    period_is("quarterly", "2026-12-31T16:00:00.000Z", "2026-12-31T16:00:00.000Z",
              "2027-03-31T16:00:00.000Z");
    period_is("quarterly", "2026-03-31T15:59:59.000Z", "2025-12-31T16:00:00.000Z",
              "2026-03-31T16:00:00.000Z");
    period_is("yearly", "2026-12-31T15:59:59.000Z", "2025-12-31T16:00:00.000Z",
              "2026-12-31T16:00:00.000Z");
    period_is("yearly", "2026-12-31T16:00:00.000Z", "2026-12-31T16:00:00.000Z",
              "2027-12-31T16:00:00.000Z");
}

static void test_previous_period_and_due(void **state)
{
    (void)state;
    int64_t s, e, ps, pe;
    assert_int_equal(check_period("monthly", iso("2027-03-10T00:00:00.000Z"), &s, &e), 0);
    assert_int_equal(check_period_prev("monthly", s, &ps, &pe), 0);
    assert_int_equal(ps, iso("2027-01-31T16:00:00.000Z"));
    assert_int_equal(pe, s);
    /* The monthly operation test is due at the first check of the month: by the end of the
     * 1st, local. */
    assert_int_equal(check_period_due(s, e, 1), iso("2027-03-01T16:00:00.000Z"));
    assert_int_equal(check_period_due(s, e, 0), e);
    assert_int_equal(check_period_due(s, e, 40), e); /* capped at the period's end */
    assert_int_equal(check_period("fortnightly", s, &ps, &pe), -EINVAL);
    assert_int_equal(check_period(NULL, s, &ps, &pe), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_local_midnight),
        cmocka_unit_test(test_weekly_starts_monday),
        cmocka_unit_test(test_month_quarter_year),
        cmocka_unit_test(test_previous_period_and_due),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
