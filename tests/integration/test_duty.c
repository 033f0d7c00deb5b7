/* test_duty.c - the duty log (R3.4.11, R4.1) against the real daemon: entries by the people on
 * duty, automatic entries from incidents, amendments that leave the original readable, no way
 * to edit or delete (API and database), CSV export in the site's local time, permissions and
 * bad input that writes nothing. */
#include "lib/daemon.h"
#include "lib/group.h"
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
static struct td_daemon D;
static char op[TOK], leader[TOK], auditor[TOK], guard[TOK], admin[TOK];

static int group_setup(void **state)
{
    (void)state;
    return tg_start(&D, NULL,
                    (struct tg_login[]){{"operator", op},
                                        {"shift_leader", leader},
                                        {"auditor", auditor},
                                        {"guard", guard},
                                        {"admin", admin},
                                        {NULL, NULL}});
}

static int group_teardown(void **state)
{
    (void)state;
    return tg_stop(&D);
}

static long long add(const char *tok, const char *json, long want_status)
{
    struct th_resp r;
    th_send(D.port, "POST", tok, "/api/v1/duty-log", json, &r);
    if (r.status != want_status)
        fail_msg("POST %s: %ld, want %ld: %s", json, r.status, want_status, r.body);
    long long id = want_status == 201 ? th_jint(r.json, "id") : 0;
    th_resp_free(&r);
    return id;
}

static void test_entries_and_amendments(void **state)
{
    (void)state;
    long long a = add(op, "{\"category\":\"routine\",\"text\":\"接班：设备运行正常\"}", 201);
    long long b =
        add(leader, "{\"category\":\"abnormal\",\"text\":\"东门外有可疑车辆停留\",\"device_id\":1}",
            201);
    assert_true(a > 0 && b > a);
    /* The correction points at the original; the original stays as it was. */
    char body[160];
    snprintf(body, sizeof body,
             "{\"category\":\"routine\",\"text\":\"更正：接班时间 08:00\",\"amends_id\":%lld}", a);
    long long c = add(op, body, 201);
    struct th_resp r;
    th_get(D.port, auditor, "/api/v1/duty-log?limit=500", &r);
    assert_int_equal(r.status, 200);
    json_t *row;
    size_t i;
    int seen = 0;
    json_array_foreach (json_object_get(r.json, "items"), i, row) {
        if (th_jint(row, "id") == a) {
            assert_string_equal(th_jstr(row, "text"), "接班：设备运行正常");
            char want[24];
            snprintf(want, sizeof want, "%lld", c);
            assert_string_equal(th_jstr(row, "amended_by"), want);
            assert_string_equal(th_jstr(row, "author"), "operator");
            seen |= 1;
        }
        if (th_jint(row, "id") == c) {
            assert_int_equal(th_jint(row, "amends_id"), a);
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
    th_resp_free(&r);
}

static void test_nothing_can_be_edited_or_deleted(void **state)
{
    (void)state;
    long long id = add(op, "{\"category\":\"equipment\",\"text\":\"3号摄像机画面模糊\"}", 201);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/duty-log/%lld", id);
    const char *methods[] = {"PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < 3; i++) {
        struct th_resp r;
        th_send(D.port, methods[i], op, "/api/v1/duty-log", "{}", &r);
        assert_int_equal(r.status, 405);
        th_resp_free(&r);
        th_send(D.port, methods[i], op, path, "{}", &r);
        assert_true(r.status == 404 || r.status == 405);
        th_resp_free(&r);
    }
    /* Not even through SQL on the file: the triggers refuse. */
    char db_path[TD_PATH + 32];
    snprintf(db_path, sizeof db_path, "%s/vigil.db", D.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE duty_log SET text = 'x' WHERE id = %lld", id);
    assert_int_not_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    snprintf(sql, sizeof sql, "DELETE FROM duty_log WHERE id = %lld", id);
    assert_int_not_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_incidents_write_their_own_entries(void **state)
{
    (void)state;
    struct td_proc p;
    assert_int_equal(
        td_vigilctl(&D, NULL, &p, "apikey", "add", "gw", "--perms", "alarm.submit", NULL), 0);
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)strcspn(p.out, "\n"), p.out);
    td_proc_free(&p);
    struct th_resp r;
    th_send(D.port, "POST", key, "/api/v1/alarms",
            "{\"account\":\"D1\",\"code\":\"FA\",\"zone\":\"3\",\"type\":\"fire\"}", &r);
    assert_int_equal(r.status, 201);
    long long inc = th_jint(r.json, "incident_id");
    th_resp_free(&r);
    char path[80];
    snprintf(path, sizeof path, "/api/v1/incidents/%lld/transition", inc);
    th_send(D.port, "POST", op, path, "{\"to\":\"acknowledged\"}", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/duty-log?category=alarm&limit=500", &r);
    int opened = 0, acked = 0;
    json_t *row;
    size_t i;
    json_array_foreach (json_object_get(r.json, "items"), i, row) {
        if (th_jint(row, "incident_id") != inc)
            continue;
        assert_true(json_is_true(json_object_get(row, "auto")));
        opened |= strstr(th_jstr(row, "text"), "opened") != NULL;
        if (strstr(th_jstr(row, "text"), "new -> acknowledged")) {
            acked = 1;
            assert_string_equal(th_jstr(row, "author"), "operator");
        }
    }
    th_resp_free(&r);
    assert_true(opened && acked);
}

static void test_csv_export(void **state)
{
    (void)state;
    add(op, "{\"category\":\"visitor\",\"text\":\"=HYPERLINK(\\\"x\\\") 访客 \\\"张\\\"\"}", 201);
    struct th_resp r;
    th_get(D.port, auditor, "/api/v1/duty-log/export", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(th_header(&r, "Content-Type"), "text/csv"));
    assert_non_null(strstr(th_header(&r, "Content-Disposition"), "attachment"));
    assert_true(strncmp(r.body, "\xEF\xBB\xBFid,time_local,time_utc", 24) == 0);
    /* A formula is defused and quotes are doubled. */
    assert_non_null(strstr(r.body, "\"'=HYPERLINK(\"\"x\"\") 访客 \"\"张\"\"\""));
    /* Local time is the site's (Asia/Shanghai, UTC+8): the UTC column is 8 hours behind. */
    const char *line = strstr(r.body, "\r\n") + 2;
    int lh = 0, uh = 0;
    assert_int_equal(sscanf(line, "\"%*d\",\"%*d-%*d-%*d %d:", &lh), 1);
    const char *t = strstr(line, "T");
    assert_non_null(t);
    assert_int_equal(sscanf(t + 1, "%d", &uh), 1);
    assert_int_equal((uh + 8) % 24, lh);
    th_resp_free(&r);
    th_get(D.port, auditor, "/api/v1/duty-log/export?from=bogus", &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    th_resp_free(&r);
}

/* Each entry records its shift; the list, the CSV and the day's shifts take one shift. */
static void test_per_shift(void **state)
{
    (void)state;
    long long id = add(op, "{\"category\":\"routine\",\"text\":\"本班巡查正常\"}", 201);
    struct th_resp r;
    char path[200];
    snprintf(path, sizeof path, "/api/v1/duty-log/%lld", id);
    th_get(D.port, auditor, path, &r);
    assert_int_equal(r.status, 200);
    char start[40], end[40];
    assert_non_null(th_jstr(r.json, "shift_start"));
    snprintf(start, sizeof start, "%s", th_jstr(r.json, "shift_start"));
    snprintf(end, sizeof end, "%s", th_jstr(r.json, "shift_end"));
    assert_true(strcmp(end, start) > 0);
    th_resp_free(&r);

    snprintf(path, sizeof path, "/api/v1/duty-log?limit=500&shift_start=%s", start);
    th_get(D.port, auditor, path, &r);
    assert_int_equal(r.status, 200);
    json_t *items = json_object_get(r.json, "items"), *it;
    size_t i, found = 0;
    json_array_foreach (items, i, it) {
        assert_string_equal(th_jstr(it, "shift_start"), start);
        found += th_jint(it, "id") == id;
    }
    assert_int_equal(found, 1);
    th_resp_free(&r);

    snprintf(path, sizeof path, "/api/v1/duty-log/export?shift_start=%s", start);
    th_get(D.port, auditor, path, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "shift_start_local,shift_end_local\r\n"));
    assert_non_null(strstr(r.body, "本班巡查正常"));
    th_resp_free(&r);

    snprintf(path, sizeof path, "/api/v1/duty-log/shifts?from=%s&to=%s", start, end);
    th_get(D.port, auditor, path, &r);
    assert_int_equal(r.status, 200);
    found = 0;
    json_array_foreach (json_object_get(r.json, "items"), i, it)
        found += strcmp(th_jstr(it, "start"), start) == 0 && th_jint(it, "entries") >= 1;
    assert_int_equal(found, 1);
    th_resp_free(&r);

    th_get(D.port, auditor, "/api/v1/duty-log?shift_start=yesterday", &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    assert_string_equal(th_jstr(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                        "shift_start");
    th_resp_free(&r);
    th_get(D.port, auditor, "/api/v1/duty-log/shifts", &r);
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    th_get(D.port, guard, "/api/v1/duty-log/shifts", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
}

static void test_permissions_and_bad_input(void **state)
{
    (void)state;
    long long before;
    before = th_total(D.port, op, "/api/v1/duty-log");
    add(guard, "{\"category\":\"routine\",\"text\":\"x\"}", 403);
    add(auditor, "{\"category\":\"routine\",\"text\":\"x\"}", 403);
    add(admin, "{\"category\":\"routine\",\"text\":\"x\"}", 403);
    add(op, "{\"category\":\"gossip\",\"text\":\"x\"}", 400);
    add(op, "{\"category\":\"routine\",\"text\":\"\"}", 400);
    add(op, "{\"category\":\"routine\"}", 400);
    add(op, "{\"category\":\"routine\",\"text\":\"x\",\"amends_id\":999999}", 400);
    add(op, "{\"category\":\"routine\",\"text\":\"x\",\"incident_id\":999999}", 400);
    add(op, "{\"category\":\"routine\",\"text\":\"x\",\"author\":\"manager\"}", 400);
    add(op, "{\"category\":\"routine\",\"text\":\"x\"", 400);
    assert_int_equal(th_total(D.port, op, "/api/v1/duty-log"), before);
    struct th_resp r;
    th_get(D.port, guard, "/api/v1/duty-log", &r);
    assert_int_equal(r.status, 403);
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
        cmocka_unit_test(test_entries_and_amendments),
        cmocka_unit_test(test_nothing_can_be_edited_or_deleted),
        cmocka_unit_test(test_incidents_write_their_own_entries),
        cmocka_unit_test(test_csv_export),
        cmocka_unit_test(test_per_shift),
        cmocka_unit_test(test_permissions_and_bad_input),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
