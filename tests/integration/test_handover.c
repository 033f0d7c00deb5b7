/* test_handover.c - shift handover with both signatures (S2, R3.1) against the real daemon:
 * the compiled summary, the R3.1 controls confirmation, signatures by password (wrong ones
 * refused, one person cannot sign both sides), one pending handover at a time, forcing with a
 * reason, immutability, duty log. */
#include "lib/daemon.h"
#include "lib/group.h"
#include "lib/http.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
static struct td_daemon D;
static char op[TOK], leader[TOK], sup[TOK], eng[TOK];

static int group_setup(void **state)
{
    (void)state;
    int rc = tg_start(&D, NULL,
                      (struct tg_login[]){{"operator", op},
                                          {"shift_leader", leader},
                                          {"supervisor", sup},
                                          {"engineer", eng},
                                          {NULL, NULL}});
    if (rc)
        return rc;
    /* The incoming shift holds the minimum (two trained operators rostered around now), so these
     * handovers need no override; test_desk.c covers the override. */
    time_t now = time(NULL);
    struct tm a, b, t;
    time_t s = now - 3600, e = now + 10 * 3600, tr = now - 86400;
    char from[32], to[32], att[32], body[256];
    gmtime_r(&s, &a);
    gmtime_r(&e, &b);
    gmtime_r(&tr, &t);
    strftime(from, sizeof from, "%Y-%m-%dT%H:%M:%SZ", &a);
    strftime(to, sizeof to, "%Y-%m-%dT%H:%M:%SZ", &b);
    strftime(att, sizeof att, "%Y-%m-%dT%H:%M:%SZ", &t);
    static const char *const people[] = {"operator", "shift_leader"};
    static const char *const courses[] = {"system_operation", "fire_knowledge"};
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body, "{\"username\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}",
                 people[i], from, to);
        if (th_post(D.port, leader, "/api/v1/roster", body, NULL) != 201)
            return -1;
        for (int k = 0; k < 2; k++) {
            snprintf(body, sizeof body,
                     "{\"username\":\"%s\",\"course\":\"%s\",\"attended_at\":\"%s\","
                     "\"valid_months\":12}",
                     people[i], courses[k], att);
            if (th_post(D.port, leader, "/api/v1/training", body, NULL) != 201)
                return -1;
        }
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return tg_stop(&D);
}

/* POST on the group's daemon. */
static long post(const char *tok, const char *path, const char *json, json_t **out)
{
    return th_post(D.port, tok, path, json, out);
}

static void test_both_signatures(void **state)
{
    (void)state;
    /* The outgoing signature is the operator's own password; the R3.1 confirmation is asked. */
    assert_int_equal(
        post(op, "/api/v1/handovers", "{\"password\":\"wrong-pass\",\"controls_auto\":true}", NULL),
        400);
    assert_int_equal(post(op, "/api/v1/handovers", "{\"password\":\"vigil-demo\"}", NULL), 400);
    assert_int_equal(post(eng, "/api/v1/handovers",
                          "{\"password\":\"vigil-demo\",\"controls_auto\":true}", NULL),
                     403);
    assert_int_equal(th_total(D.port, op, "/api/v1/handovers"), 0);
    json_t *h = NULL;
    assert_int_equal(post(op, "/api/v1/handovers",
                          "{\"password\":\"vigil-demo\",\"controls_auto\":true,\"note\":"
                          "\"2号楼4层烟感维护中\"}",
                          &h),
                     201);
    long long id = th_jint(h, "id");
    assert_string_equal(th_jstr(h, "state"), "pending");
    assert_string_equal(th_jstr(h, "outgoing"), "operator");
    /* The summary was compiled: the demo has two devices in fault or offline. */
    json_t *counts = json_object_get(json_object_get(h, "summary"), "counts");
    assert_int_equal(th_jint(counts, "faulty_devices"), 2);
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(h, "summary"), "faulty_devices")), 2);
    json_decref(h);
    /* One pending handover at a time. */
    assert_int_equal(post(leader, "/api/v1/handovers",
                          "{\"password\":\"vigil-demo\",\"controls_auto\":true}", NULL),
                     409);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/handovers/%lld/sign", id);
    /* The same person cannot sign both sides; a wrong password is refused. */
    assert_int_equal(post(op, path, "{\"password\":\"vigil-demo\"}", NULL), 400);
    assert_int_equal(post(leader, path, "{\"password\":\"not-mine\"}", NULL), 400);
    assert_int_equal(post(leader, path, "{\"password\":\"vigil-demo\"}", &h), 200);
    assert_string_equal(th_jstr(h, "state"), "signed");
    assert_string_equal(th_jstr(h, "incoming"), "shift_leader");
    assert_non_null(th_jstr(h, "in_signed_at"));
    json_decref(h);
    /* Signed is final. */
    assert_int_equal(post(sup, path, "{\"password\":\"vigil-demo\"}", NULL), 409);
    char db_path[TD_PATH + 32];
    snprintf(db_path, sizeof db_path, "%s/vigil.db", D.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE handover SET note = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM handover", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    /* On the duty log, both signatures. */
    struct th_resp r;
    th_get(D.port, op, "/api/v1/duty-log?category=handover", &r);
    assert_int_equal(th_jint(r.json, "total"), 2);
    th_resp_free(&r);
}

static void test_forced_handover(void **state)
{
    (void)state;
    json_t *h = NULL;
    assert_int_equal(
        post(op, "/api/v1/handovers", "{\"password\":\"vigil-demo\",\"controls_auto\":false}", &h),
        201);
    long long id = th_jint(h, "id");
    json_decref(h);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/handovers/%lld/force", id);
    assert_int_equal(post(op, path, "{\"reason\":\"接班人未到\"}", NULL), 403);
    assert_int_equal(post(leader, path, "{\"reason\":\"\"}", NULL), 400);
    assert_int_equal(post(leader, path, "{\"reason\":\"接班人王某病假未到岗\"}", &h), 200);
    assert_string_equal(th_jstr(h, "state"), "forced");
    assert_string_equal(th_jstr(h, "forced_by"), "shift_leader");
    assert_false(json_is_true(json_object_get(h, "controls_auto")));
    json_decref(h);
    struct th_resp r;
    th_get(D.port, op, "/api/v1/duty-log?category=handover", &r);
    assert_non_null(strstr(r.body, "NOT all control handles"));
    assert_non_null(strstr(r.body, "接班人王某病假未到岗"));
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/handovers?pending=1", &r);
    assert_int_equal(th_jint(r.json, "total"), 0);
    th_resp_free(&r);
}

static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_signatures),
        cmocka_unit_test(test_forced_handover),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
