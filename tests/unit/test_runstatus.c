/* test_runstatus.c - the periodic running-status entry (GB 25201-2010 5.2, R3.4.11): periods of
 * duty.status_interval minutes from local midnight (Asia/Shanghai), which periods count as
 * missed, and which one is due (app/runstatus over a temp store, pinned clock). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/runstatus.h"
#include "core/clock.h"
#include "lib/testenv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_MS 60000LL
#define HOUR_MS (60 * MIN_MS)
/* TESTENV_T0 is 2026-11-27T00:00:00Z = 08:00 in Asia/Shanghai; local midnight is 8 h earlier. */
#define MIDNIGHT (TESTENV_T0 - 8 * HOUR_MS)

static int setup(void **state)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    return testenv_setup_app(state);
}

/* Records an entry at the pinned time at (controller normal, all fine). */
static void record_at(struct testenv *e, int64_t at)
{
    clock_set_fixed(at);
    struct actor who;
    app_actor_system(&who, "operator");
    struct app_err err = {0};
    json_t *in = json_pack("{ss sb ss sb}", "fire_controller", "normal", "linkage_auto", 1, "power",
                           "main", "recording", 1);
    json_t *out = NULL;
    assert_int_equal(app_runstatus_add(&e->app, &who, in, &out, &err), 0);
    json_decref(in);
    json_decref(out);
}

/* Asserts missed == the periods [starts[i], ends[i]) (ms). */
static void assert_periods(json_t *missed, const int64_t *starts, const int64_t *ends, size_t n)
{
    if (json_array_size(missed) != n) {
        char *dump = json_dumps(missed, JSON_COMPACT);
        fail_msg("%zu missed periods, want %zu: %s", json_array_size(missed), n, dump);
    }
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(missed, i);
        int64_t s = 0, t = 0;
        assert_int_equal(clock_parse_iso(json_string_value(json_object_get(p, "start")), &s), 0);
        assert_int_equal(clock_parse_iso(json_string_value(json_object_get(p, "end")), &t), 0);
        assert_int_equal(s, starts[i]);
        assert_int_equal(t, ends[i]);
    }
}

/* Every 2 h from local midnight: an entry in 08-10; one exactly at 12:00 belongs to 12-14, so
 * 10-12 stays missed; the period now (12-14) has not ended and is not missed. */
static void test_missed_periods(void **state)
{
    struct testenv *e = *state;
    assert_int_equal(e->conf.duty_status_interval, 120);
    record_at(e, MIDNIGHT + 8 * HOUR_MS + 30 * MIN_MS);
    record_at(e, MIDNIGHT + 12 * HOUR_MS);
    clock_set_fixed(MIDNIGHT + 13 * HOUR_MS);
    json_t *missed = NULL;
    /* From local 05:00: 04-06 is cut by from but ends after it, so it counts; 06-08 and 10-12. */
    assert_int_equal(
        app_runstatus_missed(&e->app, MIDNIGHT + 5 * HOUR_MS, MIDNIGHT + 24 * HOUR_MS, &missed), 0);
    const int64_t s1[] = {MIDNIGHT + 4 * HOUR_MS, MIDNIGHT + 6 * HOUR_MS, MIDNIGHT + 10 * HOUR_MS};
    const int64_t e1[] = {MIDNIGHT + 6 * HOUR_MS, MIDNIGHT + 8 * HOUR_MS, MIDNIGHT + 12 * HOUR_MS};
    assert_periods(missed, s1, e1, 3);
    json_decref(missed);
    /* A window ending at 10:00 sees only what had ended by then. */
    assert_int_equal(
        app_runstatus_missed(&e->app, MIDNIGHT + 6 * HOUR_MS, MIDNIGHT + 10 * HOUR_MS, &missed), 0);
    assert_periods(missed, s1 + 1, e1 + 1, 1);
    json_decref(missed);
    /* Bad windows. */
    assert_int_equal(app_runstatus_missed(&e->app, MIDNIGHT, MIDNIGHT, &missed), -EDOM);
    assert_int_equal(
        app_runstatus_missed(&e->app, MIDNIGHT, MIDNIGHT + 367 * 24 * HOUR_MS, &missed), -EDOM);
}

/* An interval that does not divide the day: the last period ends at local midnight. */
static void test_periods_end_at_midnight(void **state)
{
    struct testenv *e = *state;
    e->conf.duty_status_interval = 300; /* 00-05 05-10 10-15 15-20 20-24 */
    clock_set_fixed(MIDNIGHT + 30 * HOUR_MS);
    json_t *missed = NULL;
    assert_int_equal(app_runstatus_missed(&e->app, MIDNIGHT, MIDNIGHT + 24 * HOUR_MS, &missed), 0);
    const int64_t s[] = {MIDNIGHT, MIDNIGHT + 5 * HOUR_MS, MIDNIGHT + 10 * HOUR_MS,
                         MIDNIGHT + 15 * HOUR_MS, MIDNIGHT + 20 * HOUR_MS};
    const int64_t t[] = {MIDNIGHT + 5 * HOUR_MS, MIDNIGHT + 10 * HOUR_MS, MIDNIGHT + 15 * HOUR_MS,
                         MIDNIGHT + 20 * HOUR_MS, MIDNIGHT + 24 * HOUR_MS};
    assert_periods(missed, s, t, 5);
    json_decref(missed);
}

/* Due while the period now has no entry; done after one. */
static void test_due(void **state)
{
    struct testenv *e = *state;
    clock_set_fixed(MIDNIGHT + 14 * HOUR_MS + 1);
    json_t *out = NULL;
    assert_int_equal(app_runstatus_due(&e->app, &out), 0);
    assert_true(json_is_true(json_object_get(out, "due")));
    assert_false(json_is_true(json_object_get(out, "done")));
    int64_t ps = 0, pe = 0;
    assert_int_equal(clock_parse_iso(json_string_value(json_object_get(out, "period_start")), &ps),
                     0);
    assert_int_equal(clock_parse_iso(json_string_value(json_object_get(out, "period_end")), &pe),
                     0);
    assert_int_equal(ps, MIDNIGHT + 14 * HOUR_MS);
    assert_int_equal(pe, MIDNIGHT + 16 * HOUR_MS);
    json_decref(out);
    record_at(e, MIDNIGHT + 15 * HOUR_MS);
    assert_int_equal(app_runstatus_due(&e->app, &out), 0);
    assert_false(json_is_true(json_object_get(out, "due")));
    assert_true(json_is_true(json_object_get(out, "done")));
    json_decref(out);
    /* The next period is due again. */
    clock_set_fixed(MIDNIGHT + 16 * HOUR_MS);
    assert_int_equal(app_runstatus_due(&e->app, &out), 0);
    assert_true(json_is_true(json_object_get(out, "due")));
    json_decref(out);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_missed_periods),
        T(test_periods_end_at_midnight),
        T(test_due),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
