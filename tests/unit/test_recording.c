/* test_recording.c - the recording register's pure parts (app/recording): when footage is
 * overwritten (R3.4.2: kept 7 days, the daily cut at 01:00, in the site's time zone) across
 * the cut, month and year ends, the oldest footage kept, and the masking of contact data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/recording.h"
#include "core/clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t at(int y, int mo, int d, int hh, int mm)
{
    int64_t t;
    assert_int_equal(clock_local_make(y, mo, d, hh * 60 + mm, &t), 0);
    return t;
}

static void test_expires_at_the_cut_a_week_later(void **state)
{
    (void)state;
    /* 00:30 still belongs to the previous day's recording (the cut is at 01:00). */
    assert_true(recording_expires_at(at(2026, 12, 4, 0, 30), 7, 60) == at(2026, 12, 10, 1, 0));
    assert_true(recording_expires_at(at(2026, 12, 4, 0, 59), 7, 60) == at(2026, 12, 10, 1, 0));
    assert_true(recording_expires_at(at(2026, 12, 4, 1, 0), 7, 60) == at(2026, 12, 11, 1, 0));
    assert_true(recording_expires_at(at(2026, 12, 4, 23, 59), 7, 60) == at(2026, 12, 11, 1, 0));
    /* Across the month and the year. */
    assert_true(recording_expires_at(at(2026, 12, 28, 10, 0), 7, 60) == at(2027, 1, 4, 1, 0));
    assert_true(recording_expires_at(at(2028, 2, 25, 12, 0), 7, 60) == at(2028, 3, 3, 1, 0));
    /* Other recorders: 30 days, cut at midnight. */
    assert_true(recording_expires_at(at(2026, 11, 15, 0, 0), 30, 0) == at(2026, 12, 15, 0, 0));
}

static void test_oldest_kept(void **state)
{
    (void)state;
    int64_t now = at(2026, 12, 10, 12, 0);
    int64_t oldest = recording_oldest_kept(now, 7, 60);
    assert_true(oldest == at(2026, 12, 4, 1, 0));
    assert_true(recording_expires_at(oldest, 7, 60) > now);
    assert_true(recording_expires_at(oldest - 1, 7, 60) <= now);
    /* Just before and at the cut. */
    now = at(2026, 12, 10, 0, 59);
    assert_true(recording_oldest_kept(now, 7, 60) == at(2026, 12, 3, 1, 0));
    now = at(2026, 12, 10, 1, 0);
    assert_true(recording_oldest_kept(now, 7, 60) == at(2026, 12, 4, 1, 0));
}

static void test_mask(void **state)
{
    (void)state;
    char out[64];
    recording_mask("110101199001011234", out, sizeof out);
    assert_string_equal(out, "1101**********1234");
    recording_mask("13800138000", out, sizeof out);
    assert_string_equal(out, "13*******00");
    recording_mask("12345", out, sizeof out); /* too short to show any of it */
    assert_string_equal(out, "*****");
    recording_mask("1234", out, sizeof out);
    assert_string_equal(out, "****");
    /* Characters, not bytes: a Chinese document name is never cut in half. */
    recording_mask("护照E1234567", out, sizeof out);
    assert_string_equal(out, "护照******67");
    recording_mask("警官证PS110023", out, sizeof out);
    assert_string_equal(out, "警官*******23");
    recording_mask("", out, sizeof out);
    assert_string_equal(out, "");
    char small[6];
    recording_mask("110101199001011234", small, sizeof small);
    assert_string_equal(small, "1101*");
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expires_at_the_cut_a_week_later),
        cmocka_unit_test(test_oldest_kept),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
