/* test_report.c - reports for superiors (R3.4.9) against the real daemon: alarms injected over
 * POST /api/v1/alarms, incidents walked through their states (instants then pinned in the
 * database so the response times are exact), a complaint and a line use; the daily report's
 * figures checked exactly; JSON, CSV (BOM) and HTML (SVG); the archive; permissions; bad input. */
#include "core/clock.h"
#include "lib/daemon.h"
#include "lib/http.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
#define PW "vigil-demo"
static struct td_daemon D;
static char op[TOK], mgr[TOK], auditor[TOK], admin[TOK], gw[TOK];
static char today[16];        /* the local date of the daemon's "today" */
static long long day_from_ms; /* its first instant, ms UTC */

static long call(const char *tok, const char *method, const char *path, const char *body,
                 json_t **out)
{
    struct th_resp r;
    th_send(D.port, method, tok, path, body, &r);
    long st = r.status;
    if (out)
        *out = json_incref(r.json);
    th_resp_free(&r);
    return st;
}

static json_t *report(const char *query)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/reports?%s", query);
    json_t *j = NULL;
    assert_int_equal(call(mgr, "GET", path, NULL, &j), 200);
    return j;
}

static long long iso_ms(const char *s)
{
    int y, mo, d, h, mi, sec, ms = 0;
    assert_true(sscanf(s, "%d-%d-%dT%d:%d:%d.%dZ", &y, &mo, &d, &h, &mi, &sec, &ms) >= 6);
    /* days from civil (Howard Hinnant) */
    y -= mo <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    return ((days * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL + ms;
}

static int group_setup(void **state)
{
    (void)state;
    struct td_opts o = {.demo = 1};
    int rc = td_daemon_start(&D, &o);
    if (rc)
        return rc;
    th_login_ok(D.port, "operator", PW, op, sizeof op);
    th_login_ok(D.port, "manager", PW, mgr, sizeof mgr);
    th_login_ok(D.port, "auditor", PW, auditor, sizeof auditor);
    th_login_ok(D.port, "admin", PW, admin, sizeof admin);
    struct td_proc p;
    assert_int_equal(
        td_vigilctl(&D, NULL, &p, "apikey", "add", "gw", "--perms", "alarm.submit", NULL), 0);
    size_t n = strcspn(p.out, "\n");
    assert_true(n > 20 && n < sizeof gw);
    snprintf(gw, sizeof gw, "%.*s", (int)n, p.out);
    td_proc_free(&p);
    json_t *r = report("kind=daily");
    snprintf(today, sizeof today, "%s", th_jstr(r, "label"));
    day_from_ms = iso_ms(th_jstr(json_object_get(r, "period"), "from"));
    json_decref(r);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    return 0;
}

static long long raise_alarm(const char *zone, const char *type, int new_incident)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"account\":\"RPT1\",\"code\":\"E110\",\"zone\":\"%s\",\"type\":\"%s\"}", zone,
             type);
    json_t *j = NULL;
    assert_int_equal(call(gw, "POST", "/api/v1/alarms", body, &j), 201);
    assert_int_equal(json_is_true(json_object_get(j, "new_incident")), new_incident);
    long long id = th_jint(j, "incident_id");
    json_decref(j);
    return id;
}

static void move(long long id, const char *to, const char *verdict)
{
    char path[64], body[128];
    snprintf(path, sizeof path, "/api/v1/incidents/%lld/transition", id);
    if (verdict)
        snprintf(body, sizeof body, "{\"to\":\"%s\",\"verdict\":\"%s\"}", to, verdict);
    else
        snprintf(body, sizeof body, "{\"to\":\"%s\"}", to);
    assert_int_equal(call(op, "POST", path, body, NULL), 200);
}

static void db_exec(const char *sql)
{
    char path[TD_PATH + 16];
    snprintf(path, sizeof path, "%s/vigil.db", D.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static json_t *find(json_t *arr, const char *key, const char *val)
{
    size_t i;
    json_t *x;
    json_array_foreach (arr, i, x) {
        const json_t *v = json_object_get(x, key);
        if ((!val && json_is_null(v)) ||
            (val && json_is_string(v) && !strcmp(json_string_value(v), val)))
            return x;
    }
    fail_msg("no %s = %s", key, val ? val : "null");
    return NULL;
}

static double dnum(json_t *o, const char *a, const char *b)
{
    json_t *v = json_object_get(o, a);
    if (b)
        v = json_object_get(v, b);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void test_daily_figures(void **state)
{
    (void)state;
    /* Zone 1 of RPT1 is the garage's. */
    json_t *areas = NULL;
    assert_int_equal(call(mgr, "GET", "/api/v1/areas?kind=garage", NULL, &areas), 200);
    json_t *garage = json_array_get(json_object_get(areas, "items"), 0);
    long long garage_id = th_jint(garage, "id");
    char garage_name[128];
    snprintf(garage_name, sizeof garage_name, "%s", th_jstr(garage, "name"));
    json_decref(areas);
    char body[256];
    snprintf(body, sizeof body, "{\"account\":\"RPT1\",\"zone\":\"1\",\"area_id\":%lld}",
             garage_id);
    assert_int_equal(call(admin, "PUT", "/api/v1/alarm-map", body, NULL), 200);

    long long fire = raise_alarm("1", "fire", 1);
    assert_int_equal(raise_alarm("1", "fire", 0), fire); /* a repeat on the open incident */
    long long in1 = raise_alarm("2", "intrusion", 1), in2 = raise_alarm("3", "intrusion", 1);
    long long pan = raise_alarm("4", "panic", 1);
    (void)pan;
    move(fire, "acknowledged", NULL);
    move(fire, "dispatched", NULL);
    move(fire, "verified", "real");
    move(in1, "acknowledged", NULL);
    move(in1, "verified", "false");
    move(in2, "acknowledged", NULL);
    move(in2, "dispatched", NULL);
    move(in2, "verified", "false");
    /* Pin the instants: opened one hour into the day, acknowledged after 10, 20 and 40 s,
     * dispatched after 60 and 100 s, the fire closed after 600 s. */
    long long t = day_from_ms + 3600000;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "UPDATE incident SET opened_at = %lld WHERE account = 'RPT1';"
             "UPDATE incident SET acked_at = %lld, closed_at = %lld WHERE id = %lld;"
             "UPDATE incident SET acked_at = %lld WHERE id = %lld;"
             "UPDATE incident SET acked_at = %lld WHERE id = %lld;"
             "UPDATE incident_event SET at = %lld WHERE incident_id = %lld AND to_state ="
             " 'dispatched';"
             "UPDATE incident_event SET at = %lld WHERE incident_id = %lld AND to_state ="
             " 'dispatched';",
             t, t + 10000, t + 600000, fire, t + 20000, in1, t + 40000, in2, t + 60000, fire,
             t + 100000, in2);
    db_exec(sql);
    /* A complaint received, given a result and visited back (satisfaction 4); a non-emergency
     * use of the alarm line. */
    json_t *c = NULL;
    assert_int_equal(call(op, "POST", "/api/v1/complaints",
                          "{\"channel\":\"phone\",\"unit\":\"3-502\",\"contact_name\":\"王芳\","
                          "\"category\":\"parking\",\"description\":\"车位被占\"}",
                          &c),
                     201);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/complaints/%lld/resolve", th_jint(c, "id"));
    assert_int_equal(call(op, "POST", path, "{\"result\":\"已挪车\"}", NULL), 200);
    snprintf(path, sizeof path, "/api/v1/complaints/%lld/return-visit", th_jint(c, "id"));
    assert_int_equal(call(op, "POST", path, "{\"satisfaction\":4}", NULL), 200);
    json_decref(c);
    assert_int_equal(call(op, "POST", "/api/v1/line-uses",
                          "{\"line\":\"alarm_line\",\"direction\":\"out\",\"caller\":\"operator\","
                          "\"number\":\"119\",\"reason\":\"测试线路\",\"emergency\":false}",
                          NULL),
                     201);

    char q[64];
    /* One running-status entry now (GB 25201-2010 5.2); every 2 h period of today that has
     * ended so far went without one. */
    assert_int_equal(call(op, "POST", "/api/v1/running-status",
                          "{\"fire_controller\":\"normal\",\"linkage_auto\":true,"
                          "\"power\":\"main\",\"recording\":true}",
                          NULL),
                     201);
    long long periods_ended = (clock_now_ms() - day_from_ms) / (120 * 60000LL);
    snprintf(q, sizeof q, "kind=daily&date=%s", today);
    json_t *r = report(q);
    assert_string_equal(th_jstr(r, "kind"), "daily");
    json_t *al = json_object_get(r, "alarms");
    assert_int_equal(th_jint(al, "total"), 5);
    assert_int_equal(th_jint(find(json_object_get(al, "by_type"), "type", "fire"), "alarms"), 2);
    assert_int_equal(th_jint(find(json_object_get(al, "by_type"), "type", "intrusion"), "alarms"),
                     2);
    assert_int_equal(th_jint(find(json_object_get(al, "by_type"), "type", "panic"), "alarms"), 1);
    assert_int_equal(th_jint(find(json_object_get(al, "by_area"), "area", garage_name), "alarms"),
                     2);
    assert_int_equal(th_jint(find(json_object_get(al, "by_area"), "area", NULL), "alarms"), 3);
    json_t *inc = json_object_get(r, "incidents");
    assert_int_equal(th_jint(inc, "total"), 4);
    assert_int_equal(th_jint(inc, "verified"), 3);
    assert_int_equal(th_jint(inc, "false_alarms"), 2);
    assert_true(dnum(inc, "false_alarm_rate", NULL) == 0.667);
    json_t *rs = json_object_get(r, "response");
    assert_true(dnum(rs, "to_acknowledge", "median_s") == 20.0);
    assert_true(dnum(rs, "to_acknowledge", "p90_s") == 40.0);
    assert_true(dnum(rs, "to_dispatch", "median_s") == 80.0);
    assert_true(dnum(rs, "to_dispatch", "p90_s") == 100.0);
    assert_true(dnum(rs, "to_close", "median_s") == 600.0);
    assert_int_equal(
        th_jint(find(json_object_get(rs, "acknowledge_distribution"), "bucket", "not_acknowledged"),
                "count"),
        1);
    json_t *cp = json_object_get(r, "complaints");
    assert_int_equal(th_jint(cp, "received"), 1);
    assert_int_equal(th_jint(cp, "closed"), 1);
    assert_true(dnum(json_object_get(cp, "satisfaction"), "average", NULL) == 4.0);
    json_t *lu = json_object_get(json_object_get(r, "duty"), "line_uses");
    assert_int_equal(th_jint(lu, "non_emergency"), 1);
    assert_int_equal(th_jint(lu, "non_emergency_unreviewed"), 1);
    json_t *rst = json_object_get(json_object_get(r, "duty"), "running_status");
    assert_int_equal(th_jint(rst, "entries"), 1);
    assert_int_equal(th_jint(rst, "missed"), periods_ended);
    assert_int_equal(json_array_size(json_object_get(rst, "missed_periods")), periods_ended);
    assert_int_equal(th_jint(json_object_get(r, "facility"), "devices") > 0, 1);
    json_decref(r);
    /* The same figures in the weekly and monthly reports holding today. */
    snprintf(q, sizeof q, "kind=weekly&date=%s", today);
    r = report(q);
    assert_int_equal(th_jint(json_object_get(r, "alarms"), "total"), 5);
    assert_int_equal(json_array_size(json_object_get(json_object_get(r, "alarms"), "per_day")), 7);
    json_decref(r);
    snprintf(q, sizeof q, "kind=monthly&date=%s", today);
    r = report(q);
    assert_int_equal(th_jint(json_object_get(r, "incidents"), "total"), 4);
    json_decref(r);
}

static void test_formats(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, mgr, "/api/v1/reports?kind=daily&format=csv&lang=en", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(th_header(&r, "Content-Type"), "text/csv"));
    assert_non_null(strstr(th_header(&r, "Content-Disposition"), "attachment"));
    assert_true(r.len > 3 && memcmp(r.body,
                                    "\xEF\xBB\xBF"
                                    "Report\r\nItem,Value\r\n",
                                    21) == 0);
    assert_non_null(strstr(r.body, "\r\nAlarms by type\r\nAlarm type,Alarms\r\n"));
    th_resp_free(&r);
    th_get(D.port, mgr, "/api/v1/reports?kind=weekly&format=csv", &r);
    assert_non_null(strstr(r.body, "报警按类型\r\n报警类型,报警数\r\n"));
    th_resp_free(&r);
    th_get(D.port, auditor, "/api/v1/reports?kind=monthly&format=html&lang=zh-CN", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(th_header(&r, "Content-Type"), "text/html"));
    assert_non_null(strstr(r.body, "<html lang=\"zh-CN\">"));
    assert_non_null(strstr(r.body, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(r.body, "监控中心月报"));
    th_resp_free(&r);
    struct th_req rq = {
        .path = "/api/v1/reports?format=html", .token = mgr, .accept_language = "en"};
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    assert_non_null(strstr(r.body, "<html lang=\"en\">"));
    th_resp_free(&r);
}

static void test_archive(void **state)
{
    (void)state;
    assert_int_equal(th_total(D.port, mgr, "/api/v1/reports/archive"), 0);
    /* A stored report (as the scheduler stores them) reads back in every format. */
    json_t *r = report("kind=daily");
    char *data = json_dumps(r, JSON_COMPACT);
    json_decref(r);
    char *sql = NULL;
    size_t n = strlen(data) * 2 + 512;
    sql = calloc(1, n);
    assert_non_null(sql);
    char *q = sqlite3_snprintf((int)n, sql,
                               "INSERT INTO report(kind, period_start, period_end, label,"
                               " generated_at, generated_by, data) VALUES('daily', %lld, %lld,"
                               " %Q, %lld, 'system', %Q)",
                               day_from_ms, day_from_ms + 86400000, today, day_from_ms, data);
    db_exec(q);
    free(sql);
    free(data);
    json_t *list = NULL;
    assert_int_equal(call(auditor, "GET", "/api/v1/reports/archive?kind=daily", NULL, &list), 200);
    assert_int_equal(th_jint(list, "total"), 1);
    json_t *item = json_array_get(json_object_get(list, "items"), 0);
    assert_string_equal(th_jstr(item, "label"), today);
    assert_null(json_object_get(item, "data"));
    long long id = th_jint(item, "id");
    json_decref(list);
    assert_int_equal(th_total(D.port, mgr, "/api/v1/reports/archive?kind=weekly"), 0);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/reports/archive/%lld", id);
    json_t *a = NULL;
    assert_int_equal(call(mgr, "GET", path, NULL, &a), 200);
    assert_string_equal(th_jstr(a, "label"), today);
    assert_string_equal(th_jstr(json_object_get(a, "archive"), "generated_by"), "system");
    json_decref(a);
    struct th_resp h;
    snprintf(path, sizeof path, "/api/v1/reports/archive/%lld?format=html&lang=en", id);
    th_get(D.port, mgr, path, &h);
    assert_int_equal(h.status, 200);
    assert_non_null(strstr(h.body, "<svg"));
    th_resp_free(&h);
    snprintf(path, sizeof path, "/api/v1/reports/archive/%lld?format=csv", id);
    th_get(D.port, mgr, path, &h);
    assert_true(memcmp(h.body, "\xEF\xBB\xBF", 3) == 0);
    th_resp_free(&h);
    th_get(D.port, mgr, "/api/v1/reports/archive/99999", &h);
    th_assert_problem(&h, 404, "/problems/not-found");
    th_resp_free(&h);
}

static void test_permissions_and_bad_input(void **state)
{
    (void)state;
    struct th_resp r;
    const char *forbidden[] = {"/api/v1/reports", "/api/v1/reports/archive",
                               "/api/v1/reports/archive/1", NULL};
    for (int i = 0; forbidden[i]; i++) {
        th_get(D.port, op, forbidden[i], &r);
        th_assert_problem(&r, 403, "/problems/forbidden");
        th_resp_free(&r);
        th_get(D.port, NULL, forbidden[i], &r);
        th_assert_problem(&r, 401, "/problems/unauthenticated");
        th_resp_free(&r);
    }
    long long before = th_total(D.port, mgr, "/api/v1/reports/archive");
    static const struct {
        const char *query, *field;
    } bad[] = {
        {"kind=yearly", "kind"},
        {"kind=daily&date=2026-02-30", "date"},
        {"date=2026-11-5", "date"},
        {"date=2999-01-01", "date"},
        {"date=%27%3B--", "date"},
        {"format=pdf", "format"},
        {"lang=fr", "lang"},
        {"format=html&lang=zh", "lang"},
        {NULL, NULL},
    };
    for (int i = 0; bad[i].query; i++) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/reports?%s", bad[i].query);
        th_get(D.port, mgr, path, &r);
        th_assert_problem(&r, 400, "/problems/bad-query");
        assert_string_equal(th_jstr(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                            bad[i].field);
        th_resp_free(&r);
    }
    th_get(D.port, mgr, "/api/v1/reports/archive?kind=hourly", &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    th_resp_free(&r);
    th_get(D.port, mgr, "/api/v1/reports/archive?limit=0", &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    th_resp_free(&r);
    th_send(D.port, "POST", mgr, "/api/v1/reports", "{}", &r);
    th_assert_problem(&r, 405, "/problems/method-not-allowed");
    th_resp_free(&r);
    /* Nothing was written. */
    assert_int_equal(th_total(D.port, mgr, "/api/v1/reports/archive"), before);
}

static void test_clean_shutdown(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D); /* exit 0, no sanitizer report from the report code paths */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_figures),  cmocka_unit_test(test_formats),
        cmocka_unit_test(test_archive),        cmocka_unit_test(test_permissions_and_bad_input),
        cmocka_unit_test(test_clean_shutdown),
    };
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    return rc;
}
