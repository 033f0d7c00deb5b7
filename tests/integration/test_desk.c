/* test_desk.c - the duty desk's second part against the real daemon: shift patterns and roster
 * generation (S1), the expired-training flag (S3), the running-status entry every 2 h with missed
 * periods (GB 25201-2010 5.2, R3.4.11), the handover that opens a shift below the minimum only on
 * a leader's override (S1, S2), handover refusals as problem types, people lists, clock-in
 * state, counts by state, complaints' assigned at/by. Every bad input writes nothing. */
#include "core/clock.h"
#include "lib/daemon.h"
#include "lib/group.h"
#include "lib/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
static struct td_daemon D;
static char op[TOK], leader[TOK], sup[TOK], guard[TOK];

static int group_setup(void **state)
{
    (void)state;
    /* Complaint due times and the return-visit delay from the configuration (R3.4.7). */
    struct td_opts o = {.demo = 1,
                        .config_extra = "complaint.due_hours = noise=6,security=2\n"
                                        "complaint.return_visit_hours = 10\n"};
    return tg_start(&D, &o,
                    (struct tg_login[]){{"operator", op},
                                        {"shift_leader", leader},
                                        {"supervisor", sup},
                                        {"guard", guard},
                                        {NULL, NULL}});
}

static int group_teardown(void **state)
{
    (void)state;
    return tg_stop(&D);
}

static long post(const char *tok, const char *path, const char *json, json_t **out)
{
    return th_post(D.port, tok, path, json, out);
}

/* POST that must be refused with this status and problem type. */
static void refused(const char *tok, const char *path, const char *json, long status,
                    const char *type)
{
    struct th_resp r;
    th_send(D.port, "POST", tok, path, json, &r);
    th_assert_problem(&r, status, type);
    th_resp_free(&r);
}

/* The local date (site time zone, the daemon's) of now + days, "YYYY-MM-DD". */
static void local_date(int days, char *out, size_t n)
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    localtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%d", &tm);
}

static void iso(time_t t, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void test_patterns_and_generation(void **state)
{
    (void)state;
    /* Seeded patterns: 3x8 and 2x12 from 08:00. */
    struct th_resp r;
    th_get(D.port, op, "/api/v1/shift-patterns", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(th_jint(r.json, "total"), 2);
    json_t *p0 = json_array_get(json_object_get(r.json, "items"), 0);
    assert_string_equal(th_jstr(p0, "name"), "3x8");
    assert_string_equal(th_jstr(p0, "first_start"), "08:00");
    th_resp_free(&r);
    /* A new pattern must make 24 h; operators may not add one. */
    refused(leader, "/api/v1/shift-patterns",
            "{\"name\":\"bad\",\"first_start\":\"07:00\",\"shifts\":4,\"hours\":5}", 400,
            "/problems/validation");
    refused(leader, "/api/v1/shift-patterns",
            "{\"name\":\"bad\",\"first_start\":\"25:00\",\"shifts\":4,\"hours\":6}", 400,
            "/problems/validation");
    refused(op, "/api/v1/shift-patterns",
            "{\"name\":\"4x6\",\"first_start\":\"06:00\",\"shifts\":4,\"hours\":6}", 403,
            "/problems/forbidden");
    assert_int_equal(th_total(D.port, op, "/api/v1/shift-patterns"), 2);
    json_t *out = NULL;
    assert_int_equal(post(leader, "/api/v1/shift-patterns",
                          "{\"name\":\"4x6\",\"first_start\":\"06:00\",\"shifts\":4,\"hours\":6}",
                          &out),
                     201);
    json_decref(out);
    refused(leader, "/api/v1/shift-patterns",
            "{\"name\":\"4x6\",\"first_start\":\"06:00\",\"shifts\":4,\"hours\":6}", 409,
            "/problems/conflict");

    /* Generation: 2x12 over two days starting 30 days ahead, two teams alternating. */
    char from[16], to[16], body[400];
    local_date(30, from, sizeof from);
    local_date(31, to, sizeof to);
    snprintf(body, sizeof body,
             "{\"pattern_id\":2,\"from\":\"%s\",\"to\":\"%s\",\"teams\":[[\"operator\"],"
             "[\"shift_leader\"]]}",
             from, to);
    assert_int_equal(post(leader, "/api/v1/roster/generate", body, &out), 201);
    assert_int_equal(th_jint(out, "created"), 4);
    json_t *items = json_object_get(out, "items");
    assert_string_equal(th_jstr(json_array_get(items, 0), "username"), "operator");
    assert_string_equal(th_jstr(json_array_get(items, 1), "username"), "shift_leader");
    assert_string_equal(th_jstr(json_array_get(items, 2), "username"), "operator");
    /* 08:00 local in Asia/Shanghai is 00:00 UTC; the second shift starts at 20:00 local. */
    assert_non_null(strstr(th_jstr(json_array_get(items, 0), "start"), "T00:00:00.000Z"));
    assert_non_null(strstr(th_jstr(json_array_get(items, 1), "start"), "T12:00:00.000Z"));
    char first[32];
    snprintf(first, sizeof first, "%s", th_jstr(json_array_get(items, 0), "start"));
    json_decref(out);
    char q[160], last[32];
    snprintf(last, sizeof last, "%sT23:59:59Z", to);
    snprintf(q, sizeof q, "/api/v1/roster?from=%.19sZ&to=%s", first, last);
    long long before = th_total(D.port, op, q);
    assert_int_equal(before, 4);
    /* The same again overlaps: refused as a whole, nothing written. */
    refused(leader, "/api/v1/roster/generate", body, 409, "/problems/roster-overlap");
    assert_int_equal(th_total(D.port, op, q), before);
    /* All or nothing: from the day before, whose two shifts are free, into the taken days; the
     * free day's slots are not kept either. */
    char eve[16], q2[160];
    local_date(29, eve, sizeof eve);
    snprintf(q2, sizeof q2, "/api/v1/roster?from=%sT00:00:00Z&to=%s", eve, last);
    long long wide = th_total(D.port, op, q2);
    snprintf(body, sizeof body,
             "{\"pattern_id\":2,\"from\":\"%s\",\"to\":\"%s\",\"teams\":[[\"operator\"],"
             "[\"shift_leader\"]]}",
             eve, to);
    refused(leader, "/api/v1/roster/generate", body, 409, "/problems/roster-overlap");
    assert_int_equal(th_total(D.port, op, q2), wide);
    /* A guard cannot be rostered; unknown pattern; bad dates; too long; empty teams. */
    snprintf(body, sizeof body,
             "{\"pattern_id\":1,\"from\":\"%s\",\"to\":\"%s\",\"teams\":[[\"guard\"]]}", from,
             from);
    refused(leader, "/api/v1/roster/generate", body, 400, "/problems/validation");
    snprintf(body, sizeof body,
             "{\"pattern_id\":99,\"from\":\"%s\",\"to\":\"%s\",\"teams\":[[\"operator\"]]}", from,
             from);
    refused(leader, "/api/v1/roster/generate", body, 400, "/problems/validation");
    refused(leader, "/api/v1/roster/generate",
            "{\"pattern_id\":1,\"from\":\"2026-02-30\",\"to\":\"2026-03-01\",\"teams\":[[\"a\"]]}",
            400, "/problems/validation");
    refused(leader, "/api/v1/roster/generate",
            "{\"pattern_id\":1,\"from\":\"2027-01-01\",\"to\":\"2027-06-01\",\"teams\":[[\"a\"]]}",
            400, "/problems/validation");
    refused(leader, "/api/v1/roster/generate",
            "{\"pattern_id\":1,\"from\":\"2027-01-01\",\"to\":\"2027-01-01\",\"teams\":[]}", 400,
            "/problems/validation");
    refused(leader, "/api/v1/roster/generate",
            "{\"pattern_id\":1,\"from\":\"2027-01-01\",\"to\":\"2027-01-01\",\"teams\":\"x\"}", 400,
            "/problems/validation");
    refused(op, "/api/v1/roster/generate",
            "{\"pattern_id\":1,\"from\":\"2027-01-01\",\"to\":\"2027-01-01\",\"teams\":[[\"a\"]]}",
            403, "/problems/forbidden");
    assert_int_equal(th_total(D.port, op, q), before);
}

static void test_expired_training_flag(void **state)
{
    (void)state;
    /* fire_knowledge attended 14 months ago for 12 months: expired before the slot. */
    time_t now = time(NULL);
    char att[32], s[32], e[32], body[300];
    iso(now - 14 * 30 * 86400, att, sizeof att);
    iso(now + 40 * 86400, s, sizeof s);
    iso(now + 40 * 86400 + 8 * 3600, e, sizeof e);
    snprintf(body, sizeof body,
             "{\"username\":\"shift_leader\",\"course\":\"fire_knowledge\",\"attended_at\":\"%s\","
             "\"valid_months\":12}",
             att);
    assert_int_equal(post(leader, "/api/v1/training", body, NULL), 201);
    snprintf(body, sizeof body, "{\"username\":\"shift_leader\",\"start\":\"%s\",\"end\":\"%s\"}",
             s, e);
    assert_int_equal(post(leader, "/api/v1/roster", body, NULL), 201);
    snprintf(body, sizeof body, "{\"username\":\"operator\",\"start\":\"%s\",\"end\":\"%s\"}", s,
             e);
    assert_int_equal(post(leader, "/api/v1/roster", body, NULL), 201);
    char q[120];
    snprintf(q, sizeof q, "/api/v1/roster?from=%s&to=%s", s, e);
    struct th_resp r;
    th_get(D.port, op, q, &r);
    assert_int_equal(r.status, 200);
    size_t i;
    json_t *row;
    int seen = 0;
    json_array_foreach (json_object_get(r.json, "items"), i, row) {
        const char *u = th_jstr(row, "username");
        int expired = json_is_true(json_object_get(row, "training_expired"));
        if (strcmp(u, "shift_leader") == 0) {
            assert_true(expired);
            assert_string_equal(
                json_string_value(json_array_get(json_object_get(row, "expired_courses"), 0)),
                "fire_knowledge");
        } else {
            assert_false(expired); /* never trained is not "expired" */
        }
        seen++;
    }
    assert_int_equal(seen, 2);
    th_resp_free(&r);
}

static void test_running_status(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, op, "/api/v1/running-status/due", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(th_jint(r.json, "interval_minutes"), 120);
    assert_true(json_is_true(json_object_get(r.json, "due")));
    th_resp_free(&r);
    long long log_before = th_total(D.port, op, "/api/v1/duty-log");
    /* Bad inputs write nothing. */
    static const char *const bad[] = {
        "{\"fire_controller\":\"ok\",\"linkage_auto\":true,\"power\":\"main\",\"recording\":true}",
        "{\"fire_controller\":\"normal\",\"power\":\"main\",\"recording\":true}",
        "{\"fire_controller\":\"normal\",\"linkage_auto\":true,\"power\":\"solar\","
        "\"recording\":true}",
        "{\"fire_controller\":\"normal\",\"linkage_auto\":true,\"power\":\"main\","
        "\"recording\":\"yes\"}",
        "{\"fire_controller\":\"fault\",\"linkage_auto\":true,\"power\":\"main\","
        "\"recording\":true}",
        "{\"fire_controller\":\"normal\",\"linkage_auto\":true,\"power\":\"main\","
        "\"recording\":true,\"extra\":1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(op, "/api/v1/running-status", bad[i], 400, "/problems/validation");
    refused(guard, "/api/v1/running-status", bad[0], 403, "/problems/forbidden");
    assert_int_equal(th_total(D.port, op, "/api/v1/duty-log"), log_before);
    json_t *out = NULL;
    assert_int_equal(post(op, "/api/v1/running-status",
                          "{\"fire_controller\":\"fault\",\"linkage_auto\":true,\"power\":"
                          "\"backup\",\"recording\":true,\"faults\":\"3号楼回路故障\"}",
                          &out),
                     201);
    assert_string_equal(th_jstr(out, "fire_controller"), "fault");
    assert_string_equal(th_jstr(out, "power"), "backup");
    long long dl = th_jint(out, "duty_log_id");
    json_decref(out);
    /* It is a duty-log entry too, by the operator. */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/duty-log/%lld", dl);
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_jstr(r.json, "author"), "operator");
    /* Composed by the system in the shape the console translates (web/js/duty-ui.js). */
    assert_true(json_is_true(json_object_get(r.json, "auto")));
    assert_string_equal(th_jstr(r.json, "text"),
                        "running status: fire alarm controller fault; linkage automatic; power "
                        "backup; recording on; faults: 3号楼回路故障");
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/running-status/due", &r);
    assert_true(json_is_true(json_object_get(r.json, "done")));
    assert_false(json_is_true(json_object_get(r.json, "due")));
    th_resp_free(&r);
    /* Missed periods over the last day: the period now is done, earlier ones were missed. */
    time_t now = time(NULL);
    char f[32], t[32], q[120];
    iso(now - 86400, f, sizeof f);
    iso(now + 60, t, sizeof t);
    snprintf(q, sizeof q, "/api/v1/running-status?from=%s&to=%s", f, t);
    th_get(D.port, op, q, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(th_jint(r.json, "total"), 1);
    size_t missed = json_array_size(json_object_get(r.json, "missed"));
    assert_true(missed >= 11 && missed <= 12);
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/running-status?from=x&to=y", &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    th_resp_free(&r);
}

static void test_override_below_minimum(void **state)
{
    (void)state;
    /* Nobody trained is rostered now: the incoming shift is below the minimum. */
    json_t *h = NULL;
    assert_int_equal(
        post(op, "/api/v1/handovers", "{\"password\":\"vigil-demo\",\"controls_auto\":true}", &h),
        201);
    long long id = th_jint(h, "id");
    json_t *staffing = json_object_get(json_object_get(h, "summary"), "staffing");
    assert_true(json_is_true(json_object_get(staffing, "below")));
    assert_true(json_is_true(json_object_get(json_object_get(h, "staffing"), "below")));
    assert_non_null(json_object_get(json_object_get(h, "summary"), "running_status"));
    json_decref(h);
    refused(leader, "/api/v1/handovers", "{\"password\":\"vigil-demo\",\"controls_auto\":true}",
            409, "/problems/handover-pending");
    char sign[64], force[64], over[64];
    snprintf(sign, sizeof sign, "/api/v1/handovers/%lld/sign", id);
    snprintf(force, sizeof force, "/api/v1/handovers/%lld/force", id);
    snprintf(over, sizeof over, "/api/v1/handovers/%lld/override", id);
    refused(op, sign, "{\"password\":\"vigil-demo\"}", 400, "/problems/same-signer");
    refused(sup, sign, "{\"password\":\"not-mine\"}", 400, "/problems/wrong-signature");
    refused(sup, sign, "{\"password\":\"vigil-demo\"}", 409, "/problems/below-minimum");
    refused(leader, force, "{\"reason\":\"接班人未到\"}", 409, "/problems/below-minimum");
    /* An operator (no handover.force) cannot override, inline or by the action. */
    th_login_ok(D.port, "operator", "vigil-demo", op, sizeof op);
    refused(op, over, "{\"password\":\"vigil-demo\",\"reason\":\"x\"}", 403, "/problems/forbidden");
    refused(leader, over, "{\"password\":\"wrong\",\"reason\":\"x\"}", 400,
            "/problems/wrong-signature");
    refused(leader, over, "{\"password\":\"vigil-demo\",\"reason\":\"\"}", 400,
            "/problems/validation");
    struct th_resp r;
    th_get(D.port, op, "/api/v1/duty-log?category=handover", &r);
    assert_null(strstr(r.body, "below the minimum"));
    th_resp_free(&r);
    /* The leader's override with a reason; then the incoming signature goes through. */
    assert_int_equal(
        post(leader, over, "{\"password\":\"vigil-demo\",\"reason\":\"王某病假，主管顶岗\"}", &h),
        200);
    assert_string_equal(th_jstr(h, "override_by"), "shift_leader");
    assert_string_equal(th_jstr(h, "override_reason"), "王某病假，主管顶岗");
    assert_int_equal(th_jint(h, "override_staffed"), 0);
    json_decref(h);
    refused(leader, over, "{\"password\":\"vigil-demo\",\"reason\":\"again\"}", 409,
            "/problems/override-not-needed");
    assert_int_equal(post(sup, sign, "{\"password\":\"vigil-demo\"}", &h), 200);
    assert_string_equal(th_jstr(h, "state"), "signed");
    assert_string_equal(th_jstr(h, "override_by"), "shift_leader");
    json_decref(h);
    refused(sup, sign, "{\"password\":\"vigil-demo\"}", 409, "/problems/handover-closed");
    th_get(D.port, op, "/api/v1/duty-log?category=handover", &r);
    assert_non_null(strstr(r.body, "below the minimum"));
    assert_non_null(strstr(r.body, "王某病假，主管顶岗"));
    th_resp_free(&r);
    char mgr[TOK];
    th_login_ok(D.port, "manager", "vigil-demo", mgr, sizeof mgr);
    th_get(D.port, mgr, "/api/v1/audit?limit=500", &r);
    assert_non_null(strstr(r.body, "handover.override"));
    th_resp_free(&r);

    /* Inline: a second handover, the operator's own override reason is refused (not a leader);
     * the leader signs in with an override reason in one step. */
    assert_int_equal(
        post(sup, "/api/v1/handovers", "{\"password\":\"vigil-demo\",\"controls_auto\":true}", &h),
        201);
    id = th_jint(h, "id");
    json_decref(h);
    snprintf(sign, sizeof sign, "/api/v1/handovers/%lld/sign", id);
    refused(op, sign, "{\"password\":\"vigil-demo\",\"override_reason\":\"我自己批\"}", 403,
            "/problems/override-not-allowed");
    assert_int_equal(
        post(leader, sign, "{\"password\":\"vigil-demo\",\"override_reason\":\"夜班缺一人\"}", &h),
        200);
    assert_string_equal(th_jstr(h, "override_reason"), "夜班缺一人");
    json_decref(h);
}

static void test_people_clock_counts(void **state)
{
    (void)state;
    struct th_resp r;
    /* The operator lacks user.read but may list who authorises an entry: names and roles. */
    th_get(D.port, op, "/api/v1/users", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/people?purpose=entry_authorisers", &r);
    assert_int_equal(r.status, 200);
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    assert_int_equal(json_object_size(first), 3);
    assert_null(strstr(r.body, "\"operator\""));
    assert_non_null(strstr(r.body, "shift_leader"));
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/people?purpose=rosterable", &r);
    assert_non_null(strstr(r.body, "\"operator\""));
    assert_null(strstr(r.body, "supervisor"));
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/people?purpose=everyone", &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    th_resp_free(&r);
    /* Clock-in state. */
    th_get(D.port, op, "/api/v1/attendance/me", &r);
    assert_false(json_is_true(json_object_get(r.json, "clocked_in")));
    assert_true(json_is_null(json_object_get(r.json, "since")));
    th_resp_free(&r);
    assert_int_equal(post(op, "/api/v1/attendance/clock-in", NULL, NULL), 200);
    th_get(D.port, op, "/api/v1/attendance/me", &r);
    assert_true(json_is_true(json_object_get(r.json, "clocked_in")));
    assert_non_null(th_jstr(r.json, "since"));
    th_resp_free(&r);
    /* Complaints: assigned at/by, counts by state, configurable due times. */
    json_t *c = NULL;
    assert_int_equal(post(op, "/api/v1/complaints",
                          "{\"channel\":\"phone\",\"unit\":\"3-2-501\",\"contact_name\":\"张三\","
                          "\"category\":\"noise\",\"description\":\"楼上装修噪音\"}",
                          &c),
                     201);
    long long cid = th_jint(c, "id");
    assert_true(json_is_null(json_object_get(c, "assigned_at")));
    /* Due after the configured 6 h for noise (the default would be 24 h). */
    int64_t opened = 0, due = 0;
    assert_int_equal(clock_parse_iso(th_jstr(c, "opened_at"), &opened), 0);
    assert_int_equal(clock_parse_iso(th_jstr(c, "due_at"), &due), 0);
    assert_int_equal(due - opened, 6 * 3600 * 1000LL);
    json_decref(c);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/complaints/%lld/assign", cid);
    assert_int_equal(post(leader, path, "{\"assignee\":\"guard\"}", &c), 200);
    assert_string_equal(th_jstr(c, "assigned_by"), "shift_leader");
    assert_non_null(th_jstr(c, "assigned_at"));
    json_decref(c);
    /* Resolved: the return visit falls due after the configured 10 h. */
    snprintf(path, sizeof path, "/api/v1/complaints/%lld/resolve", cid);
    assert_int_equal(post(leader, path, "{\"result\":\"已协调楼上住户\"}", &c), 200);
    int64_t res_at = 0, visit = 0;
    assert_int_equal(clock_parse_iso(th_jstr(c, "result_at"), &res_at), 0);
    assert_int_equal(clock_parse_iso(th_jstr(c, "return_visit_due"), &visit), 0);
    assert_int_equal(visit - res_at, 10 * 3600 * 1000LL);
    json_decref(c);
    th_get(D.port, op, "/api/v1/complaints/counts", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(th_jint(r.json, "resolved"), 1);
    assert_int_equal(th_jint(r.json, "in_progress"), 0);
    assert_int_equal(th_jint(r.json, "total"), 1);
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/incidents/counts", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(json_object_get(r.json, "new"));
    th_resp_free(&r);
    th_get(D.port, guard, "/api/v1/complaints/counts", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
}

/* The roster form's person dropdown (GET /people?purpose=rosterable) offers only active operators
 * and shift leaders; the server still refuses anyone else on the username field, and writes
 * nothing. */
static void test_roster_refuses_non_rosterable(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, leader, "/api/v1/people?purpose=rosterable", &r);
    assert_int_equal(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    size_t i;
    json_t *p;
    json_array_foreach (items, i, p) {
        const char *role = th_jstr(p, "role");
        assert_true(strcmp(role, "operator") == 0 || strcmp(role, "shift_leader") == 0);
        assert_int_equal(json_object_size(p), 3); /* username, display_name, role only */
    }
    assert_non_null(strstr(r.body, "\"shift_leader\""));
    assert_null(strstr(r.body, "\"guard\""));
    th_resp_free(&r);
    const char *who[] = {"guard", "supervisor", "manager", "nobody"};
    for (size_t k = 0; k < sizeof who / sizeof who[0]; k++) {
        char body[200];
        snprintf(body, sizeof body,
                 "{\"username\":\"%s\",\"start\":\"2031-03-05T00:00:00Z\","
                 "\"end\":\"2031-03-05T08:00:00Z\"}",
                 who[k]);
        th_send(D.port, "POST", leader, "/api/v1/roster", body, &r);
        th_assert_problem(&r, 400, "/problems/validation");
        json_t *e0 = json_array_get(json_object_get(r.json, "errors"), 0);
        assert_string_equal(th_jstr(e0, "field"), "username");
        th_resp_free(&r);
    }
    th_get(D.port, leader, "/api/v1/roster?from=2031-03-04T00:00:00Z&to=2031-03-06T00:00:00Z", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(th_jint(r.json, "total"), 0); /* nothing written */
    th_resp_free(&r);
}

/* PUT /site/shift-pattern that must be refused with this status and problem type. */
static void pattern_refused(const char *tok, const char *json, long status, const char *type)
{
    struct th_resp r;
    th_send(D.port, "PUT", tok, "/api/v1/site/shift-pattern", json, &r);
    th_assert_problem(&r, status, type);
    th_resp_free(&r);
}

/* The id of the pattern named name, and whether it is the site's. */
static long long pattern_id(const char *name, int *site)
{
    struct th_resp r;
    th_get(D.port, op, "/api/v1/shift-patterns", &r);
    assert_int_equal(r.status, 200);
    size_t i;
    json_t *it;
    long long id = 0;
    json_array_foreach (json_object_get(r.json, "items"), i, it)
        if (strcmp(th_jstr(it, "name"), name) == 0) {
            id = th_jint(it, "id");
            *site = json_is_true(json_object_get(it, "site"));
        }
    th_resp_free(&r);
    assert_true(id > 0);
    return id;
}

/* A duty-log entry by the supervisor (no roster slot): the length of the shift it recorded, in
 * hours, from the day's shifts; its id in *id. */
static long long entry_shift_hours(const char *text, long long *id)
{
    char body[200], path[200], start[40], end[40];
    snprintf(body, sizeof body, "{\"category\":\"routine\",\"text\":\"%s\"}", text);
    json_t *e = NULL;
    assert_int_equal(post(sup, "/api/v1/duty-log", body, &e), 201);
    *id = th_jint(e, "id");
    snprintf(start, sizeof start, "%s", th_jstr(e, "shift_start"));
    snprintf(end, sizeof end, "%s", th_jstr(e, "shift_end"));
    json_decref(e);
    snprintf(path, sizeof path, "/api/v1/duty-log/shifts?from=%s&to=%s", start, end);
    struct th_resp r;
    th_get(D.port, sup, path, &r);
    assert_int_equal(r.status, 200);
    size_t i;
    json_t *it;
    long long hours = 0;
    json_array_foreach (json_object_get(r.json, "items"), i, it)
        if (strcmp(th_jstr(it, "start"), start) == 0 && strcmp(th_jstr(it, "end"), end) == 0)
            hours = (th_jint(it, "end_ms") - th_jint(it, "start_ms")) / 3600000;
    th_resp_free(&r);
    return hours;
}

/* S1, R3.4.11: the site chooses its shift pattern (a 2 x 12 h site); entries written outside any
 * roster slot take its periods from then on, entries already written keep theirs; only a roster
 * writer may choose, and only an existing pattern. */
static void test_site_pattern(void **state)
{
    (void)state;
    int site = 0;
    long long p38 = pattern_id("3x8", &site);
    assert_true(site); /* the first pattern defined, until one is chosen */
    long long p212 = pattern_id("2x12", &site);
    assert_false(site);
    char body[64];
    snprintf(body, sizeof body, "{\"pattern_id\":%lld}", p212);
    pattern_refused(op, body, 403, "/problems/forbidden");
    pattern_refused(leader, "{\"pattern_id\":99999}", 400, "/problems/validation");
    pattern_refused(leader, "{\"pattern_id\":0}", 400, "/problems/validation");
    pattern_refused(leader, "{\"pattern_id\":\"2\"}", 400, "/problems/validation");
    pattern_refused(leader, "{}", 400, "/problems/validation");
    pattern_id("2x12", &site);
    assert_false(site); /* nothing was written */

    long long before_id = 0, after_id = 0;
    assert_int_equal(entry_shift_hours("site pattern: before", &before_id), 8);
    struct th_resp r;
    th_send(D.port, "PUT", leader, "/api/v1/site/shift-pattern", body, &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    pattern_id("2x12", &site);
    assert_true(site);
    pattern_id("3x8", &site);
    assert_false(site);
    assert_int_equal(entry_shift_hours("site pattern: after", &after_id), 12);
    /* The earlier entry keeps the shift it recorded. */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/duty-log/%lld", before_id);
    th_get(D.port, sup, path, &r);
    assert_int_equal(r.status, 200);
    json_t *e = json_incref(r.json);
    th_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/duty-log/%lld", after_id);
    th_get(D.port, sup, path, &r);
    assert_string_not_equal(th_jstr(e, "shift_end"), th_jstr(r.json, "shift_end"));
    th_resp_free(&r);
    json_decref(e);

    /* Back to 3 x 8 h for the tests after this one. */
    snprintf(body, sizeof body, "{\"pattern_id\":%lld}", p38);
    th_send(D.port, "PUT", leader, "/api/v1/site/shift-pattern", body, &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    assert_int_equal(entry_shift_hours("site pattern: back", &after_id), 8);
}

static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    assert_int_equal(td_daemon_stop(&D), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns_and_generation),
        cmocka_unit_test(test_expired_training_flag),
        cmocka_unit_test(test_running_status),
        cmocka_unit_test(test_override_below_minimum),
        cmocka_unit_test(test_people_clock_counts),
        cmocka_unit_test(test_roster_refuses_non_rosterable),
        cmocka_unit_test(test_site_pattern),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
