/* test_checks.c - check sheets (R4.2-R4.7, R3.1) against the real daemon: the shipped
 * templates imported as version 1, filling a sheet signed by the logged-in user, strict
 * validation that writes nothing, one record per period, a failed item or an out-of-limits
 * reading opening a check_failure ticket in the same transaction, template versioning by an
 * admin with records keeping their version, the tasks due, the calendar and the handover. */
#include "lib/daemon.h"
#include "lib/group.h"
#include "core/clock.h"
#include "lib/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
static struct td_daemon D;
static char op[TOK], admin[TOK], guard[TOK];

static int group_setup(void **state)
{
    (void)state;
    return tg_start(
        &D, NULL,
        (struct tg_login[]){{"operator", op}, {"admin", admin}, {"guard", guard}, {NULL, NULL}});
}

static int group_teardown(void **state)
{
    (void)state;
    return tg_stop(&D);
}

/* The newest version of the template code (new reference). */
static json_t *template(const char *code)
{
    struct th_resp r;
    th_get(D.port, op, "/api/v1/checks/templates", &r);
    assert_int_equal(r.status, 200);
    json_t *found = NULL, *t;
    size_t i;
    json_array_foreach (json_object_get(r.json, "items"), i, t)
        if (strcmp(th_jstr(t, "code"), code) == 0)
            found = json_incref(t);
    th_resp_free(&r);
    assert_non_null(found);
    return found;
}

/* Answers passing every item of tpl. */
static json_t *all_pass(json_t *tpl)
{
    json_t *ans = json_object(), *it;
    size_t i;
    json_array_foreach (json_object_get(tpl, "items"), i, it) {
        const char *type = th_jstr(it, "type");
        if (strcmp(type, "pass_fail") == 0) {
            json_object_set_new(ans, th_jstr(it, "id"), json_pack("{ss}", "result", "pass"));
        } else if (strcmp(type, "reading") == 0) {
            json_t *mn = json_object_get(it, "min");
            double v = mn ? json_number_value(mn) : 0;
            json_object_set_new(ans, th_jstr(it, "id"), json_pack("{sf}", "value", v));
        }
    }
    return ans;
}

static long fill(const char *tok, json_t *tpl, json_t *answers, json_t **out)
{
    json_t *body =
        json_pack("{sO sO}", "template_id", json_object_get(tpl, "id"), "answers", answers);
    char *text = json_dumps(body, JSON_COMPACT);
    long st = th_post(D.port, tok, "/api/v1/checks/records", text, out);
    free(text);
    json_decref(body);
    return st;
}

static void test_templates_shipped(void **state)
{
    (void)state;
    static const char *const codes[][2] = {
        {"fire_daily", "R4.2"},
        {"fire_weekly", "R4.3"},
        {"cctv_monthly", "R4.4"},
        {"fire_quarterly", "R4.5"},
        {"fire_annual", "R4.6"},
        {"center_operation", "R4.7"},
        {"monthly_operation_test", "R3.1"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        json_t *t = template(codes[i][0]);
        assert_string_equal(th_jstr(t, "clause"), codes[i][1]);
        assert_int_equal(th_jint(t, "version"), 1);
        assert_true(json_array_size(json_object_get(t, "items")) >= 5);
        json_decref(t);
    }
    json_t *t = template("monthly_operation_test");
    assert_int_equal(th_jint(t, "due_days"), 1); /* at the first check of the month */
    assert_string_equal(th_jstr(t, "recurrence"), "monthly");
    json_decref(t);
    struct th_resp r;
    th_get(D.port, guard, "/api/v1/checks/templates", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
}

static void test_fill_with_failed_item_opens_ticket(void **state)
{
    (void)state;
    json_t *tpl = template("fire_daily"), *ans = all_pass(tpl), *rec = NULL;
    json_object_set_new(ans, "facp_selftest",
                        json_pack("{ss ss}", "result", "fail", "note", "自检时蜂鸣器不响"));
    json_object_set_new(ans, "remarks", json_pack("{ss}", "text", "其余正常"));
    long long tickets_before = th_total(D.port, op, "/api/v1/tickets");
    assert_int_equal(fill(op, tpl, ans, &rec), 201);
    assert_string_equal(th_jstr(rec, "result"), "fail");
    assert_int_equal(th_jint(rec, "failed_items"), 1);
    assert_string_equal(th_jstr(rec, "filled_by"), "operator");
    assert_int_equal(th_jint(rec, "version"), 1);
    json_t *tk = json_array_get(json_object_get(rec, "tickets"), 0);
    assert_non_null(tk);
    assert_string_equal(th_jstr(tk, "item"), "facp_selftest");
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tickets/%lld", th_jint(tk, "ticket_id"));
    struct th_resp r;
    th_get(D.port, op, path, &r);
    assert_string_equal(th_jstr(r.json, "kind"), "check_failure");
    assert_string_equal(th_jstr(r.json, "device_code"), "FACP-1"); /* the only fire panel */
    assert_int_equal(th_jint(r.json, "check_record_id"), th_jint(rec, "id"));
    /* The title in both languages, so the English console need not show the Chinese one. */
    assert_string_equal(th_jstr(r.json, "title"),
                        "消防设备日检表：火灾报警控制器自检功能正常（声光报警、显示）");
    assert_string_equal(th_jstr(r.json, "title_en"),
                        "Fire equipment daily check: Fire alarm controller self-test passes "
                        "(sound, light, display)");
    th_resp_free(&r);
    assert_string_equal(th_jstr(tk, "title_en"), "Fire equipment daily check: Fire alarm "
                                                 "controller self-test passes (sound, light, "
                                                 "display)");
    /* The duty-log entry of the report carries its ticket's titles for the console. */
    th_get(D.port, op, "/api/v1/duty-log?category=equipment&limit=500", &r);
    json_t *e, *entry = NULL;
    size_t k;
    json_array_foreach (json_object_get(r.json, "items"), k, e)
        if (th_jint(e, "ticket_id") == th_jint(tk, "ticket_id"))
            entry = e;
    assert_non_null(entry);
    assert_string_equal(th_jstr(entry, "ticket_title_en"), "Fire equipment daily check: Fire "
                                                           "alarm controller self-test passes "
                                                           "(sound, light, display)");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, op, "/api/v1/tickets"), tickets_before + 1);
    /* One record per period. */
    assert_int_equal(fill(op, tpl, ans, NULL), 409);
    json_decref(rec);
    json_decref(ans);
    json_decref(tpl);
    /* Done for today: no longer among the tasks due. */
    th_get(D.port, op, "/api/v1/checks/due", &r);
    json_t *t;
    size_t i;
    json_array_foreach (json_object_get(r.json, "items"), i, t)
        if (strcmp(th_jstr(t, "code"), "fire_daily") == 0)
            assert_string_not_equal(th_jstr(t, "status"), "due");
    th_resp_free(&r);
}

static void test_reading_out_of_limits_fails(void **state)
{
    (void)state;
    json_t *tpl = template("fire_weekly"), *ans = all_pass(tpl), *rec = NULL;
    json_object_set_new(ans, "sprinkler_pressure", json_pack("{sf}", "value", 0.05));
    assert_int_equal(fill(op, tpl, ans, &rec), 201);
    assert_string_equal(th_jstr(rec, "result"), "fail");
    json_t *a, *found = NULL;
    size_t i;
    json_array_foreach (json_object_get(rec, "answers"), i, a)
        if (strcmp(th_jstr(a, "item"), "sprinkler_pressure") == 0)
            found = a;
    assert_non_null(found);
    assert_string_equal(th_jstr(found, "result"), "fail");
    assert_int_equal(json_array_size(json_object_get(rec, "tickets")), 1);
    json_decref(rec);
    json_decref(ans);
    json_decref(tpl);
}

static void test_validation_writes_nothing(void **state)
{
    (void)state;
    json_t *tpl = template("cctv_monthly");
    long long recs = th_total(D.port, op, "/api/v1/checks/records");
    long long tickets = th_total(D.port, op, "/api/v1/tickets");
    struct {
        const char *item;
        json_t *answer; /* NULL: leave the item out */
    } bad[] = {
        {"nvr_recording", NULL},
        {"nvr_recording", json_pack("{ss}", "result", "maybe")},
        {"nvr_recording", json_pack("{ss}", "result", "fail")}, /* a failure needs a note */
        {"retention_days", json_pack("{ss}", "value", "thirty")},
        {"retention_days", json_pack("{ss}", "result", "pass")},
        {"ghost_item", json_pack("{ss}", "result", "pass")},
        {"camera_clarity", json_pack("{ss sI}", "result", "pass", "device_id", 99999)},
        {"camera_clarity", json_pack("{ss ss}", "result", "pass", "colour", "red")},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *ans = all_pass(tpl);
        if (bad[i].answer)
            json_object_set_new(ans, bad[i].item, bad[i].answer);
        else
            json_object_del(ans, bad[i].item);
        json_t *err = NULL;
        if (fill(op, tpl, ans, &err) != 400)
            fail_msg("case %zu (%s) accepted", i, bad[i].item);
        assert_string_equal(th_jstr(err, "type"), "/problems/validation");
        json_decref(err);
        json_decref(ans);
    }
    const char *raw[] = {
        "{\"template_id\":99999,\"answers\":{}}",
        "{\"template_id\":1}",
        "{\"template_id\":1,\"answers\":{},\"extra\":1}",
        "{\"template_id\":1,\"answers\":[]}",
        "{\"template_id\":1,\"answers\":{},\"period_at\":\"2099-01-01T00:00:00Z\"}",
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
        struct th_resp r;
        th_send(D.port, "POST", op, "/api/v1/checks/records", raw[i], &r);
        th_assert_problem(&r, 400, "/problems/validation");
        th_resp_free(&r);
    }
    assert_int_equal(th_total(D.port, op, "/api/v1/checks/records"), recs);
    assert_int_equal(th_total(D.port, op, "/api/v1/tickets"), tickets);
    json_decref(tpl);
}

static void test_template_versions(void **state)
{
    (void)state;
    json_t *tpl = template("fire_daily");
    long long v1 = th_jint(tpl, "id");
    json_t *items = json_deep_copy(json_object_get(tpl, "items"));
    json_array_append_new(items, json_pack("{ss ss s{ss ss}}", "id", "key_box", "type", "pass_fail",
                                           "text", "zh-CN", "消防控制室钥匙箱完好", "en",
                                           "Control room key box intact"));
    json_t *body = json_pack("{sO so}", "name", json_object_get(tpl, "name"), "items", items);
    char *text = json_dumps(body, JSON_COMPACT);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/checks/templates/%lld", v1);
    struct th_resp r;
    th_send(D.port, "PUT", op, path, text, &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    th_send(D.port, "PUT", admin, path, "{\"items\":[]}", &r);
    th_assert_problem(&r, 400, "/problems/validation");
    th_resp_free(&r);
    th_send(D.port, "PUT", admin, path, text, &r);
    assert_int_equal(r.status, 201);
    assert_int_equal(th_jint(r.json, "version"), 2);
    assert_int_equal(json_array_size(json_object_get(r.json, "versions")), 2);
    th_resp_free(&r);
    /* Editing the old version again is a conflict. */
    th_send(D.port, "PUT", admin, path, text, &r);
    assert_int_equal(r.status, 409);
    th_resp_free(&r);
    free(text);
    json_decref(body);
    /* A sheet filled against version 1 is refused now; the earlier record keeps version 1. */
    json_t *ans = all_pass(tpl);
    assert_int_equal(fill(op, tpl, ans, NULL), 400);
    json_decref(ans);
    json_decref(tpl);
    th_get(D.port, op, "/api/v1/checks/records?code=fire_daily", &r);
    json_t *rec = json_array_get(json_object_get(r.json, "items"), 0);
    assert_int_equal(th_jint(rec, "version"), 1);
    snprintf(path, sizeof path, "/api/v1/checks/records/%lld", th_jint(rec, "id"));
    th_resp_free(&r);
    th_get(D.port, op, path, &r);
    size_t n = json_array_size(json_object_get(json_object_get(r.json, "template"), "items"));
    th_resp_free(&r);
    tpl = template("fire_daily");
    assert_int_equal(n + 1, json_array_size(json_object_get(tpl, "items")));
    json_decref(tpl);
}

static void test_due_calendar_handover(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, op, "/api/v1/checks/due", &r);
    assert_int_equal(r.status, 200);
    int annual = 0;
    json_t *t;
    size_t i;
    json_array_foreach (json_object_get(r.json, "items"), i, t)
        annual |= strcmp(th_jstr(t, "code"), "fire_annual") == 0;
    assert_true(annual);
    th_resp_free(&r);
    /* The calendar of the last week and the next: today's daily sheet is failed (filled with a
     * failed item), the centre's operation record is due or overdue. */
    char f[CLOCK_ISO_LEN], t2[CLOCK_ISO_LEN], path[160];
    clock_format_iso(clock_now_ms() - 7 * 86400000LL, f, sizeof f);
    clock_format_iso(clock_now_ms() + 7 * 86400000LL, t2, sizeof t2);
    snprintf(path, sizeof path, "/api/v1/checks/calendar?from=%s&to=%s", f, t2);
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    int failed = 0, upcoming = 0, open = 0;
    json_array_foreach (json_object_get(r.json, "items"), i, t) {
        const char *st = th_jstr(t, "status");
        failed += strcmp(th_jstr(t, "code"), "fire_daily") == 0 && strcmp(st, "failed") == 0;
        upcoming += strcmp(st, "upcoming") == 0;
        open += strcmp(th_jstr(t, "code"), "center_operation") == 0 &&
                (strcmp(st, "due") == 0 || strcmp(st, "overdue") == 0);
    }
    assert_int_equal(failed, 1);
    assert_true(upcoming >= 7);
    assert_true(open >= 1);
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/checks/calendar?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
           &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    th_resp_free(&r);
    /* The handover summary lists the sheets due. */
    th_get(D.port, op, "/api/v1/handovers/preview", &r);
    assert_true(th_jint(json_object_get(r.json, "counts"), "checks_due") >= 1);
    assert_true(json_array_size(json_object_get(r.json, "checks_due")) >= 1);
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
        cmocka_unit_test(test_templates_shipped),
        cmocka_unit_test(test_fill_with_failed_item_opens_ticket),
        cmocka_unit_test(test_reading_out_of_limits_fails),
        cmocka_unit_test(test_validation_writes_nothing),
        cmocka_unit_test(test_template_versions),
        cmocka_unit_test(test_due_calendar_handover),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
