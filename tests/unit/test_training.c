/* test_training.c - training records per area (S3, R2.1, R3.4.14: "fire alarm knowledge per
 * area") in process: a fire_knowledge record may name the area whose fire system the person was
 * trained on (NULL = the whole site), other courses may not; an unknown area is refused on the
 * field with nothing written; the list filters by area; and the roster counts the course held
 * when any unexpired record of it exists, for the site or for one area. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/auth.h"
#include "app/demo.h"
#include "app/roster.h"
#include "app/site.h"
#include "core/clock.h"
#include "lib/testenv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOUR_MS 3600000LL
#define T0 TESTENV_T0

static int setup(void **state)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    if (testenv_setup_app(state))
        return -1;
    struct testenv *e = *state;
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    return app_site_init(&e->app, &sys, "测试小区") ? -1 : 0;
}

static void create_user(struct testenv *e, const char *username)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    json_t *in = json_pack("{ss ss ss ss}", "username", username, "display_name", username, "role",
                           "operator", "password", "correct horse battery");
    json_t *out = NULL;
    struct app_err err = {0};
    int rc = app_user_create(&e->app, &sys, in, &out, &err);
    json_decref(in);
    json_decref(out);
    if (rc)
        fail_msg("app_user_create %s: %d %s %s", username, rc, err.field, err.message);
}

static int64_t create_area(struct testenv *e, const char *name)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    json_t *in = json_pack("{ss ss}", "kind", "garage", "name", name);
    json_t *out = NULL;
    struct app_err err = {0};
    int rc = app_area_create(&e->app, &sys, in, &out, &err);
    json_decref(in);
    if (rc)
        fail_msg("app_area_create: %d %s %s", rc, err.field, err.message);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return id;
}

/* Records a course for op1 attended a day before T0, valid 12 months; returns app's rc. */
static int train(struct testenv *e, const char *course, json_t *area, struct app_err *err)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    json_t *in = json_pack("{ss ss ss sI}", "username", "op1", "course", course, "attended_at",
                           "2026-11-26T00:00:00Z", "valid_months", (json_int_t)12);
    if (area)
        json_object_set_new(in, "area_id", area);
    json_t *out = NULL;
    memset(err, 0, sizeof *err);
    int rc = app_training_add(&e->app, &sys, in, &out, err);
    json_decref(in);
    json_decref(out);
    return rc;
}

static size_t count(struct testenv *e, int64_t area_id)
{
    json_t *out = NULL;
    assert_int_equal(app_training_list(&e->app, NULL, area_id, &out), 0);
    size_t n = json_array_size(json_object_get(out, "items"));
    json_decref(out);
    return n;
}

static void test_area_recorded_and_filtered(void **state)
{
    struct testenv *e = *state;
    create_user(e, "op1");
    int64_t garage = create_area(e, "地下车库");
    struct app_err err;
    assert_int_equal(train(e, "fire_knowledge", json_integer(garage), &err), 0);
    assert_int_equal(train(e, "fire_knowledge", json_null(), &err), 0);
    assert_int_equal(train(e, "system_operation", NULL, &err), 0);
    assert_int_equal(count(e, 0), 3);
    assert_int_equal(count(e, garage), 1);
    assert_int_equal(count(e, -1), 2);
    json_t *out = NULL;
    assert_int_equal(app_training_list(&e->app, "op1", garage, &out), 0);
    json_t *r = json_array_get(json_object_get(out, "items"), 0);
    assert_int_equal(json_integer_value(json_object_get(r, "area_id")), garage);
    assert_string_equal(json_string_value(json_object_get(r, "area_name")), "地下车库");
    assert_string_equal(json_string_value(json_object_get(r, "course")), "fire_knowledge");
    json_decref(out);
}

/* Unknown area, an area for a site-wide course, a bad value: refused on area_id, nothing
 * written. */
static void test_bad_area_writes_nothing(void **state)
{
    struct testenv *e = *state;
    create_user(e, "op1");
    int64_t garage = create_area(e, "车库");
    struct app_err err;
    assert_int_equal(train(e, "fire_knowledge", json_integer(garage + 100), &err), -EINVAL);
    assert_string_equal(err.field, "area_id");
    assert_int_equal(train(e, "system_operation", json_integer(garage), &err), -EINVAL);
    assert_string_equal(err.field, "area_id");
    assert_int_equal(train(e, "fire_knowledge", json_integer(0), &err), -EINVAL);
    assert_string_equal(err.field, "area_id");
    assert_int_equal(train(e, "fire_knowledge", json_string("garage"), &err), -EINVAL);
    assert_string_equal(err.field, "area_id");
    assert_int_equal(count(e, 0), 0);
}

/* The roster rule: fire_knowledge held for one area only still counts as the course held. */
static void test_area_record_counts_for_roster(void **state)
{
    struct testenv *e = *state;
    create_user(e, "op1");
    int64_t garage = create_area(e, "车库");
    struct app_err err;
    assert_int_equal(train(e, "system_operation", NULL, &err), 0);
    assert_int_equal(train(e, "fire_knowledge", json_integer(garage), &err), 0);
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    json_t *in = json_pack("{ss ss ss}", "username", "op1", "start", "2026-11-27T00:00:00Z", "end",
                           "2026-11-27T08:00:00Z");
    json_t *out = NULL;
    assert_int_equal(app_slot_add(&e->app, &sys, in, &out, &err), 0);
    json_decref(in);
    json_decref(out);
    assert_int_equal(app_roster_list(&e->app, T0, T0 + 8 * HOUR_MS, &out), 0);
    json_t *slot = json_array_get(json_object_get(out, "items"), 0);
    assert_non_null(slot);
    assert_true(json_is_true(json_object_get(slot, "trained")));
    assert_false(json_is_true(json_object_get(slot, "training_expired")));
    json_decref(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_area_recorded_and_filtered, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_bad_area_writes_nothing, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_area_record_counts_for_roster, setup,
                                        testenv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
