/* test_register.c - the control-room entry register (R3.4.12) and the alarm-line /
 * fire-telephone log (R3.4.10) against the real daemon. */
#include "lib/daemon.h"
#include "lib/group.h"
#include "lib/http.h"

#include <stdio.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
static struct td_daemon D;
static char op[TOK], sup[TOK], guard[TOK], auditor[TOK];

static int group_setup(void **state)
{
    (void)state;
    return tg_start(&D, NULL,
                    (struct tg_login[]){{"operator", op},
                                        {"supervisor", sup},
                                        {"guard", guard},
                                        {"auditor", auditor},
                                        {NULL, NULL}});
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

static void test_entry_register(void **state)
{
    (void)state;
    long long before = th_total(D.port, op, "/api/v1/room-entries");
    /* Refused without an authoriser, with an unknown one, or with one who may not authorise
     * (an operator); nothing is written. */
    assert_int_equal(
        post(op, "/api/v1/room-entries", "{\"name\":\"刘工\",\"purpose\":\"维修录像机\"}", NULL),
        400);
    assert_int_equal(post(op, "/api/v1/room-entries",
                          "{\"name\":\"刘工\",\"purpose\":\"维修\",\"authorised_by\":\"nobody\"}",
                          NULL),
                     400);
    assert_int_equal(post(op, "/api/v1/room-entries",
                          "{\"name\":\"刘工\",\"purpose\":\"维修\",\"authorised_by\":\"operator\"}",
                          NULL),
                     400);
    assert_int_equal(th_total(D.port, op, "/api/v1/room-entries"), before);
    json_t *e = NULL;
    assert_int_equal(post(op, "/api/v1/room-entries",
                          "{\"name\":\"刘工\",\"organisation\":\"安防维保公司\",\"purpose\":"
                          "\"维修2号硬盘录像机\",\"authorised_by\":\"supervisor\"}",
                          &e),
                     201);
    long long id = th_jint(e, "id");
    assert_string_equal(th_jstr(e, "authorised_by"), "supervisor");
    assert_string_equal(th_jstr(e, "registered_by"), "operator");
    assert_non_null(th_jstr(e, "time_in"));
    assert_null(th_jstr(e, "time_out"));
    json_decref(e);
    /* Open entries are listed until the visitor leaves. */
    assert_int_equal(th_total(D.port, op, "/api/v1/room-entries?open=1"), 1);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/room-entries/%lld/out", id);
    assert_int_equal(post(op, path, NULL, &e), 200);
    assert_non_null(th_jstr(e, "time_out"));
    json_decref(e);
    assert_int_equal(post(op, path, NULL, NULL), 409);
    assert_int_equal(th_total(D.port, op, "/api/v1/room-entries?open=1"), 0);
    /* On the duty log and the audit trail. */
    struct th_resp r;
    th_get(D.port, auditor, "/api/v1/duty-log?category=visitor", &r);
    assert_non_null(strstr(r.body, "刘工"));
    th_resp_free(&r);
    th_get(D.port, auditor, "/api/v1/audit?action=room_entry.in", &r);
    assert_int_equal(th_jint(r.json, "total"), 1);
    th_resp_free(&r);
    /* Guards neither read nor write the register. */
    th_get(D.port, guard, "/api/v1/room-entries", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
}

static void test_alarm_line_log(void **state)
{
    (void)state;
    json_t *u = NULL;
    assert_int_equal(post(op, "/api/v1/line-uses",
                          "{\"line\":\"fire_phone\",\"direction\":\"out\",\"caller\":\"王静\","
                          "\"number\":\"119\",\"reason\":\"3号楼火警报警\",\"emergency\":true}",
                          &u),
                     201);
    assert_false(json_is_true(json_object_get(u, "flagged")));
    json_decref(u);
    assert_int_equal(post(op, "/api/v1/line-uses",
                          "{\"line\":\"alarm_line\",\"direction\":\"out\",\"caller\":\"王静\","
                          "\"number\":\"13900001004\",\"reason\":\"问工程班下班时间\","
                          "\"emergency\":false}",
                          &u),
                     201);
    long long id = th_jint(u, "id");
    assert_true(json_is_true(json_object_get(u, "flagged")));
    json_decref(u);
    /* The supervisor sees it flagged, reviews it once. */
    assert_int_equal(th_total(D.port, sup, "/api/v1/line-uses?flagged=1"), 1);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/line-uses/%lld/review", id);
    assert_int_equal(post(op, path, "{}", NULL), 403);
    assert_int_equal(post(sup, path, "{\"note\":\"已提醒：报警专线仅用于紧急情况\"}", &u), 200);
    assert_string_equal(th_jstr(u, "reviewed_by"), "supervisor");
    json_decref(u);
    assert_int_equal(post(sup, path, "{}", NULL), 409);
    assert_int_equal(th_total(D.port, sup, "/api/v1/line-uses?flagged=1"), 0);
    /* Every use must say whether it was an emergency; bad input writes nothing. */
    long long before = th_total(D.port, op, "/api/v1/line-uses");
    const char *bad[] = {
        "{\"line\":\"fire_phone\",\"direction\":\"out\",\"caller\":\"x\",\"number\":\"119\","
        "\"reason\":\"x\"}",
        "{\"line\":\"tv\",\"direction\":\"out\",\"caller\":\"x\",\"number\":\"1\",\"reason\":\"x\","
        "\"emergency\":true}",
        "{\"line\":\"fire_phone\",\"direction\":\"up\",\"caller\":\"x\",\"number\":\"1\","
        "\"reason\":\"x\",\"emergency\":true}",
        "{\"line\":\"fire_phone\",\"direction\":\"out\",\"caller\":\"\",\"number\":\"1\","
        "\"reason\":\"x\",\"emergency\":true}",
        "{\"line\":\"fire_phone\",\"direction\":\"out\",\"caller\":\"x\",\"number\":\"1\","
        "\"reason\":\"x\",\"emergency\":\"yes\"}",
        "{\"line\":\"fire_phone\",\"direction\":\"out\",\"caller\":\"x\",\"number\":\"1\","
        "\"reason\":\"x\",\"emergency\":true,\"incident_id\":99999}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (post(op, "/api/v1/line-uses", bad[i], NULL) != 400)
            fail_msg("accepted: %s", bad[i]);
    assert_int_equal(th_total(D.port, op, "/api/v1/line-uses"), before);
}

static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_register),
        cmocka_unit_test(test_alarm_line_log),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
