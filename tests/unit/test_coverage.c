/* test_coverage.c - the coverage computation: day boundaries, overlapping shifts, gaps, long
 * shifts, untrained people. */
#include "app/coverage.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define H (3600 * 1000LL)
/* 2026-11-27 00:00 Asia/Shanghai = 2026-11-26T16:00:00Z. */
#define DAY0 1795708800000LL

static void test_two_operators_three_shifts(void **state)
{
    (void)state;
    /* 3 x 8 h, two trained operators each: fully covered. */
    struct coverage_slot s[6];
    for (int i = 0; i < 6; i++)
        s[i] = (struct coverage_slot){i + 1, DAY0 + (i / 2) * 8 * H, DAY0 + (i / 2 + 1) * 8 * H, 1};
    struct coverage_result r;
    assert_int_equal(coverage_compute(s, 6, DAY0, DAY0 + 24 * H, 2, 8 * H, &r), 0);
    assert_int_equal(r.ngaps, 0);
    assert_int_equal(r.nlong, 0);
    assert_int_equal(r.covered_ms, 24 * H);
    coverage_result_cleanup(&r);
}

static void test_gap_and_under_staffed(void **state)
{
    (void)state;
    /* Night shift has one person; nobody 16:00-17:00. */
    struct coverage_slot s[] = {
        {1, DAY0, DAY0 + 8 * H, 1},           {2, DAY0 + 8 * H, DAY0 + 16 * H, 1},
        {3, DAY0 + 8 * H, DAY0 + 16 * H, 1},  {4, DAY0 + 17 * H, DAY0 + 24 * H, 1},
        {5, DAY0 + 17 * H, DAY0 + 24 * H, 1},
    };
    struct coverage_result r;
    assert_int_equal(coverage_compute(s, 5, DAY0, DAY0 + 24 * H, 2, 8 * H, &r), 0);
    assert_int_equal(r.ngaps, 2);
    assert_int_equal(r.gaps[0].start, DAY0);
    assert_int_equal(r.gaps[0].end, DAY0 + 8 * H);
    assert_int_equal(r.gaps[0].staffed, 1);
    assert_int_equal(r.gaps[1].start, DAY0 + 16 * H);
    assert_int_equal(r.gaps[1].end, DAY0 + 17 * H);
    assert_int_equal(r.gaps[1].staffed, 0);
    assert_int_equal(r.covered_ms, 15 * H);
    coverage_result_cleanup(&r);
}

static void test_overlaps_and_handover_instant(void **state)
{
    (void)state;
    /* Shifts that end exactly when the next starts leave no gap at the instant; overlapping
     * 12 h shifts count each person once at a time. */
    struct coverage_slot s[] = {
        {1, DAY0, DAY0 + 12 * H, 1},
        {2, DAY0, DAY0 + 12 * H, 1},
        {3, DAY0 + 12 * H, DAY0 + 24 * H, 1},
        {4, DAY0 + 11 * H, DAY0 + 24 * H, 1},
    };
    struct coverage_result r;
    assert_int_equal(coverage_compute(s, 4, DAY0, DAY0 + 24 * H, 2, 8 * H, &r), 0);
    assert_int_equal(r.ngaps, 0);
    assert_int_equal(r.nlong, 4); /* 12 h and 13 h shifts are over the 8 h maximum */
    coverage_result_cleanup(&r);
}

static void test_day_boundaries(void **state)
{
    (void)state;
    /* A night shift 22:00-06:00 crosses local midnight: counted in both days, clipped. */
    struct coverage_slot s[] = {
        {1, DAY0 - 2 * H, DAY0 + 6 * H, 1},
        {2, DAY0 - 2 * H, DAY0 + 6 * H, 1},
    };
    struct coverage_result r;
    assert_int_equal(coverage_compute(s, 2, DAY0, DAY0 + 24 * H, 2, 0, &r), 0);
    assert_int_equal(r.ngaps, 1);
    assert_int_equal(r.gaps[0].start, DAY0 + 6 * H);
    assert_int_equal(r.gaps[0].end, DAY0 + 24 * H);
    assert_int_equal(r.covered_ms, 6 * H);
    coverage_result_cleanup(&r);
    assert_int_equal(coverage_compute(s, 2, DAY0 - 24 * H, DAY0, 2, 0, &r), 0);
    assert_int_equal(r.covered_ms, 2 * H);
    coverage_result_cleanup(&r);
}

static void test_untrained_do_not_count(void **state)
{
    (void)state;
    struct coverage_slot s[] = {
        {1, DAY0, DAY0 + 24 * H, 1},
        {2, DAY0, DAY0 + 24 * H, 0},
    };
    struct coverage_result r;
    assert_int_equal(coverage_compute(s, 2, DAY0, DAY0 + 24 * H, 2, 0, &r), 0);
    assert_int_equal(r.nuntrained, 1);
    assert_int_equal(r.untrained_slots[0], 2);
    assert_int_equal(r.ngaps, 1);
    assert_int_equal(r.gaps[0].staffed, 1);
    coverage_result_cleanup(&r);
    assert_int_equal(coverage_compute(s, 2, DAY0, DAY0, 2, 0, &r), -22);
    assert_int_equal(coverage_compute(NULL, 0, DAY0, DAY0 + H, 1, 0, &r), 0);
    assert_int_equal(r.ngaps, 1); /* nobody at all */
    coverage_result_cleanup(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_operators_three_shifts),
        cmocka_unit_test(test_gap_and_under_staffed),
        cmocka_unit_test(test_overlaps_and_handover_instant),
        cmocka_unit_test(test_day_boundaries),
        cmocka_unit_test(test_untrained_do_not_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
