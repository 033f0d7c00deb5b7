/* test_complaint.c - complaints and inquiries (R3.4.7, S7) against the real daemon: intake with
 * masked personal data, due times, a major complaint escalated, assignment, the result given
 * back before the return visit, satisfaction, overdue listing, statistics, reveal audited. */
#include "lib/daemon.h"
#include "lib/group.h"
#include "lib/http.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
static struct td_daemon D;
static char op[TOK], mgr[TOK], guard[TOK], auditor[TOK];

static int group_setup(void **state)
{
    (void)state;
    return tg_start(&D, NULL,
                    (struct tg_login[]){{"operator", op},
                                        {"manager", mgr},
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

static void test_lifecycle(void **state)
{
    (void)state;
    json_t *c = NULL;
    assert_int_equal(post(op, "/api/v1/complaints",
                          "{\"channel\":\"phone\",\"unit\":\"2-301\",\"contact_name\":\"陈建国\","
                          "\"contact_phone\":\"13900002222\",\"category\":\"noise\","
                          "\"description\":\"楼上夜间装修噪音\"}",
                          &c),
                     201);
    long long id = th_jint(c, "id");
    assert_string_equal(th_jstr(c, "state"), "open");
    assert_string_equal(th_jstr(c, "urgency"), "normal");
    assert_string_equal(th_jstr(c, "contact_name"), "陈**"); /* masked (S5) */
    assert_string_equal(th_jstr(c, "contact_phone"), "139****2222");
    assert_non_null(th_jstr(c, "due_at"));
    json_decref(c);
    char path[96];
    /* The return visit needs the result given back first. */
    snprintf(path, sizeof path, "/api/v1/complaints/%lld/return-visit", id);
    assert_int_equal(post(op, path, "{\"satisfaction\":5}", NULL), 400);
    snprintf(path, sizeof path, "/api/v1/complaints/%lld/assign", id);
    assert_int_equal(post(op, path, "{\"assignee\":\"nobody\"}", NULL), 400);
    assert_int_equal(post(op, path, "{\"assignee\":\"shift_leader\"}", &c), 200);
    assert_string_equal(th_jstr(c, "state"), "in_progress");
    json_decref(c);
    snprintf(path, sizeof path, "/api/v1/complaints/%lld/resolve", id);
    assert_int_equal(post(op, path, "{\"result\":\"\"}", NULL), 400);
    assert_int_equal(post(op, path, "{\"result\":\"已联系装修户，22点后停止施工\"}", &c), 200);
    assert_string_equal(th_jstr(c, "state"), "resolved");
    assert_non_null(th_jstr(c, "return_visit_due"));
    json_decref(c);
    assert_int_equal(post(op, path, "{\"result\":\"again\"}", NULL), 400);
    snprintf(path, sizeof path, "/api/v1/complaints/%lld/return-visit", id);
    assert_int_equal(post(op, path, "{\"satisfaction\":6}", NULL), 400);
    assert_int_equal(post(op, path, "{\"satisfaction\":4,\"note\":\"住户表示满意\"}", &c), 200);
    assert_string_equal(th_jstr(c, "state"), "closed");
    assert_int_equal(th_jint(c, "satisfaction"), 4);
    json_decref(c);
    /* Statistics by category. */
    struct th_resp r;
    th_get(D.port, auditor, "/api/v1/complaints/stats", &r);
    assert_int_equal(r.status, 200);
    json_t *row = json_array_get(json_object_get(r.json, "by_category"), 0);
    assert_string_equal(th_jstr(row, "category"), "noise");
    assert_int_equal(th_jint(row, "closed"), 1);
    th_resp_free(&r);
    /* On the duty log. */
    th_get(D.port, op, "/api/v1/duty-log?category=complaint", &r);
    assert_true(th_jint(r.json, "total") >= 3);
    th_resp_free(&r);
}

static void test_major_is_escalated(void **state)
{
    (void)state;
    json_t *c = NULL;
    assert_int_equal(post(op, "/api/v1/complaints",
                          "{\"channel\":\"walk_in\",\"unit\":\"1-602\",\"contact_name\":\"李娜\","
                          "\"category\":\"security\",\"urgency\":\"major\",\"description\":"
                          "\"家中被盗\"}",
                          &c),
                     201);
    long long id = th_jint(c, "id");
    json_decref(c);
    struct th_resp r;
    th_get(D.port, op, "/api/v1/duty-log?category=complaint&limit=500", &r);
    char want[64];
    snprintf(want, sizeof want, "complaint #%lld escalated", id);
    assert_non_null(strstr(r.body, want));
    th_resp_free(&r);
    /* The escalation sits in the same delivery queue as incidents' (one mechanism). */
    char db_path[TD_PATH + 32];
    snprintf(db_path, sizeof db_path, "%s/vigil.db", D.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM escalation WHERE complaint_id = ?1"
                                        " AND level = 'major'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, id);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 1);
    sqlite3_finalize(s);
    /* An overdue complaint is listed as such (its due time moved into the past). */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE complaint SET due_at = 1000 WHERE id = %lld", id);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    th_get(D.port, op, "/api/v1/complaints?overdue=1", &r);
    assert_int_equal(th_jint(r.json, "total"), 1);
    assert_true(json_is_true(
        json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "overdue")));
    th_resp_free(&r);
}

static void test_reveal_and_permissions(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, op, "/api/v1/complaints/1?reveal=1", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    th_get(D.port, mgr, "/api/v1/complaints/1?reveal=1", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_jstr(r.json, "contact_phone"), "13900002222");
    th_resp_free(&r);
    th_get(D.port, auditor, "/api/v1/audit?action=complaint.reveal", &r);
    assert_int_equal(th_jint(r.json, "total"), 1);
    th_resp_free(&r);
    th_get(D.port, guard, "/api/v1/complaints", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    long long before = th_total(D.port, op, "/api/v1/complaints");
    const char *bad[] = {
        "{\"channel\":\"fax\",\"unit\":\"1\",\"contact_name\":\"x\",\"category\":\"noise\","
        "\"description\":\"x\"}",
        "{\"channel\":\"phone\",\"unit\":\"1\",\"contact_name\":\"x\",\"category\":\"aliens\","
        "\"description\":\"x\"}",
        "{\"channel\":\"phone\",\"unit\":\"1\",\"contact_name\":\"x\",\"category\":\"noise\","
        "\"description\":\"x\",\"urgency\":\"whenever\"}",
        "{\"channel\":\"phone\",\"unit\":\"1\",\"contact_name\":\"\",\"category\":\"noise\","
        "\"description\":\"x\"}",
        "{\"channel\":\"phone\",\"unit\":\"1\",\"contact_name\":\"x\",\"category\":\"noise\","
        "\"description\":\"x\",\"resident_id\":99999}",
        "{\"channel\":\"phone\",\"unit\":\"1\",\"contact_name\":\"x\",\"category\":\"noise\","
        "\"description\":\"x\",\"assignee\":\"nobody\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (post(op, "/api/v1/complaints", bad[i], NULL) != 400)
            fail_msg("accepted: %s", bad[i]);
    assert_int_equal(th_total(D.port, op, "/api/v1/complaints"), before);
}

static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_major_is_escalated),
        cmocka_unit_test(test_reveal_and_permissions),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
