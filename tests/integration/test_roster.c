/* test_roster.c - roster, coverage (two trained operators at every moment), training and
 * attendance against the real daemon. */
#include "lib/daemon.h"
#include "lib/group.h"
#include "lib/http.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
static struct td_daemon D;
static char op[TOK], leader[TOK], guard[TOK];

static int group_setup(void **state)
{
    (void)state;
    return tg_start(
        &D, NULL,
        (struct tg_login[]){
            {"operator", op}, {"shift_leader", leader}, {"guard", guard}, {NULL, NULL}});
}

static int group_teardown(void **state)
{
    (void)state;
    return tg_stop(&D);
}

static long post(const char *tok, const char *path, const char *json)
{
    return th_post(D.port, tok, path, json, NULL);
}

static void slot(const char *user, const char *start, const char *end, long want)
{
    char body[200];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}", user,
             start, end);
    long st = post(leader, "/api/v1/roster", body);
    if (st != want)
        fail_msg("slot %s %s-%s: %ld, want %ld", user, start, end, st, want);
}

static void test_coverage_and_training(void **state)
{
    (void)state;
    /* 2030-01-01 local day (Asia/Shanghai) = 2029-12-31T16:00Z .. 2030-01-01T16:00Z. */
    const char *d0 = "2029-12-31T16:00:00Z", *d8 = "2030-01-01T00:00:00Z",
               *d16 = "2030-01-01T08:00:00Z", *d24 = "2030-01-01T16:00:00Z";
    slot("operator", d0, d8, 201);
    slot("shift_leader", d0, d8, 201);
    slot("operator", d8, d16, 201);
    slot("shift_leader", d8, "2030-01-01T02:00:00Z", 201); /* local 08-10: one alone 10-16 */
    slot("operator", d16, d24, 201);
    slot("operator", d0, d8, 400);                          /* the same person twice at once */
    slot("guard", d16, d24, 400);                           /* not a control-room role */
    slot("operator", d8, "2029-12-31T00:00:00Z", 400);      /* ends before it starts */
    slot("shift_leader", d16, "2030-01-02T06:00:00Z", 201); /* 14 h: over the 8 h maximum */
    assert_int_equal(post(op, "/api/v1/roster",
                          "{\"username\":\"operator\",\"start\":\""
                          "2030-01-01T00:00:00Z\",\"end\":\""
                          "2030-01-01T08:00:00Z\"}"),
                     403);
    char path[160];
    snprintf(path, sizeof path, "/api/v1/coverage?from=%s&to=%s", d0, d24);
    struct th_resp r;
    /* Nobody is trained yet: the whole day is a gap (untrained people do not count). */
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(th_jint(r.json, "min_staff"), 2);
    assert_int_equal(th_jint(r.json, "covered_ms"), 0);
    assert_int_equal(json_array_size(json_object_get(r.json, "untrained_slots")), 6);
    assert_int_equal(json_array_size(json_object_get(r.json, "long_slots")), 1);
    th_resp_free(&r);
    /* Train both in the two required courses. */
    const char *users[] = {"operator", "shift_leader"};
    const char *courses[] = {"system_operation", "fire_knowledge"};
    for (int u = 0; u < 2; u++)
        for (int c = 0; c < 2; c++) {
            char body[200];
            snprintf(body, sizeof body,
                     "{\"username\":\"%s\",\"course\":\"%s\",\"attended_at\":"
                     "\"2026-01-01T00:00:00Z\",\"valid_months\":60}",
                     users[u], courses[c]);
            assert_int_equal(post(leader, "/api/v1/training", body), 201);
        }
    assert_int_equal(post(leader, "/api/v1/training",
                          "{\"username\":\"nobody\",\"course\":\"fire_knowledge\","
                          "\"attended_at\":\"2026-01-01T00:00:00Z\",\"valid_months\":6}"),
                     400);
    assert_int_equal(post(leader, "/api/v1/training",
                          "{\"username\":\"operator\",\"course\":\"juggling\",\"attended_at\":"
                          "\"2026-01-01T00:00:00Z\",\"valid_months\":60}"),
                     400);
    /* Fire alarm knowledge per area: an unknown area, or an area on a site-wide course, is
     * refused on area_id and writes nothing; a known area is recorded and filtered by. */
    long long before = th_total(D.port, op, "/api/v1/training");
    struct th_resp ar;
    th_send(D.port, "POST", leader, "/api/v1/training",
            "{\"username\":\"operator\",\"course\":\"fire_knowledge\",\"attended_at\":"
            "\"2026-01-01T00:00:00Z\",\"valid_months\":60,\"area_id\":999999}",
            &ar);
    assert_int_equal(ar.status, 400);
    assert_string_equal(th_jstr(json_array_get(json_object_get(ar.json, "errors"), 0), "field"),
                        "area_id");
    th_resp_free(&ar);
    assert_int_equal(post(leader, "/api/v1/training",
                          "{\"username\":\"operator\",\"course\":\"system_operation\","
                          "\"attended_at\":\"2026-01-01T00:00:00Z\",\"valid_months\":60,"
                          "\"area_id\":1}"),
                     400);
    assert_int_equal(th_total(D.port, op, "/api/v1/training"), before);
    assert_int_equal(post(leader, "/api/v1/training",
                          "{\"username\":\"operator\",\"course\":\"fire_knowledge\","
                          "\"attended_at\":\"2026-01-01T00:00:00Z\",\"valid_months\":60,"
                          "\"area_id\":1}"),
                     201);
    th_get(D.port, op, "/api/v1/training?area_id=1", &ar);
    assert_int_equal(ar.status, 200);
    assert_int_equal(json_array_size(json_object_get(ar.json, "items")), 1);
    assert_int_equal(th_jint(json_array_get(json_object_get(ar.json, "items"), 0), "area_id"), 1);
    th_resp_free(&ar);
    assert_int_equal(th_total(D.port, op, "/api/v1/training?area_id=site"), before);
    th_get(D.port, op, path, &r);
    /* Covered 0-8 and 8-10 (two trained people); 10-16 one person; 16-24 two. */
    assert_int_equal(th_jint(r.json, "covered_ms"), 18LL * 3600 * 1000);
    json_t *gaps = json_object_get(r.json, "gaps");
    assert_int_equal(json_array_size(gaps), 1);
    assert_string_equal(th_jstr(json_array_get(gaps, 0), "start"), "2030-01-01T02:00:00.000Z");
    assert_string_equal(th_jstr(json_array_get(gaps, 0), "end"), "2030-01-01T08:00:00.000Z");
    assert_int_equal(th_jint(json_array_get(gaps, 0), "staffed"), 1);
    assert_int_equal(json_array_size(json_object_get(r.json, "untrained_slots")), 0);
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/coverage?from=2030-01-01T00:00:00Z", &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    th_resp_free(&r);
}

static void test_attendance(void **state)
{
    (void)state;
    /* A slot that started an hour ago: clocking in now is late; a slot nobody clocked for is
     * absent. */
    time_t now = time(NULL);
    char a[32], b[32], c[32];
    struct tm tm;
    time_t t = now - 3600;
    gmtime_r(&t, &tm);
    strftime(a, sizeof a, "%Y-%m-%dT%H:%M:%SZ", &tm);
    t = now + 3600;
    gmtime_r(&t, &tm);
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    t = now + 7200;
    gmtime_r(&t, &tm);
    strftime(c, sizeof c, "%Y-%m-%dT%H:%M:%SZ", &tm);
    slot("operator", a, b, 201);
    slot("shift_leader", a, b, 201);
    assert_int_equal(post(op, "/api/v1/attendance/clock-in", NULL), 200);
    assert_int_equal(post(op, "/api/v1/attendance/clock-in", NULL), 409);
    char path[160];
    snprintf(path, sizeof path, "/api/v1/attendance?from=%s&to=%s", a, c);
    struct th_resp r;
    th_get(D.port, leader, path, &r);
    assert_int_equal(r.status, 200);
    int seen = 0;
    size_t i;
    json_t *row;
    json_array_foreach (json_object_get(r.json, "items"), i, row) {
        const char *u = th_jstr(row, "username");
        if (strcmp(u, "operator") == 0) {
            assert_true(json_is_true(json_object_get(row, "late")));
            assert_false(json_is_true(json_object_get(row, "absent")));
            seen |= 1;
        } else if (strcmp(u, "shift_leader") == 0) {
            assert_true(json_is_true(json_object_get(row, "absent")));
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
    th_resp_free(&r);
    assert_int_equal(post(op, "/api/v1/attendance/clock-out", NULL), 200);
    assert_int_equal(post(op, "/api/v1/attendance/clock-out", NULL), 404);
    th_get(D.port, leader, path, &r);
    json_array_foreach (json_object_get(r.json, "items"), i, row)
        if (strcmp(th_jstr(row, "username"), "operator") == 0)
            assert_true(json_is_true(json_object_get(row, "left_early")));
    th_resp_free(&r);
    assert_int_equal(post(guard, "/api/v1/attendance/clock-in", NULL), 403);
}

static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage_and_training),
        cmocka_unit_test(test_attendance),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
