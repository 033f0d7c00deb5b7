/* test_ticket.c - fault tickets (S4, R2.3, R3.2, R3.4.4, R3.4.13) against the real daemon: the
 * lifecycle reported -> assigned -> repaired -> (rejected ->) verified -> closed with the right
 * roles, the device's status following its tickets, the timeline, the duty-log links, the
 * handover summary, refusals that write nothing, and an overdue ticket escalated by the
 * daemon's own periodic check into the shared escalation queue. */
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
static char op[TOK], eng[TOK], sup[TOK], guard[TOK], etech[TOK], auditor[TOK];

static int group_setup(void **state)
{
    (void)state;
    return tg_start(&D, NULL,
                    (struct tg_login[]){{"operator", op},
                                        {"engineer", eng},
                                        {"supervisor", sup},
                                        {"guard", guard},
                                        {"elevator_tech", etech},
                                        {"auditor", auditor},
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

/* The id of the demo device with this code. */
static long long device_id(const char *code)
{
    struct th_resp r;
    th_get(D.port, op, "/api/v1/devices?limit=500", &r);
    assert_int_equal(r.status, 200);
    long long id = 0;
    size_t i;
    json_t *d;
    json_array_foreach (json_object_get(r.json, "items"), i, d)
        if (strcmp(th_jstr(d, "code"), code) == 0)
            id = th_jint(d, "id");
    th_resp_free(&r);
    assert_true(id > 0);
    return id;
}

static void device_status_is(long long dev, const char *want)
{
    struct th_resp r;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/devices/%lld/downtime", dev);
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_jstr(r.json, "status"), want);
    th_resp_free(&r);
}

static long act(const char *tok, long long id, const char *what, const char *json, json_t **out)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/tickets/%lld/%s", id, what);
    return post(tok, path, json, out);
}

static const char *state_of(json_t *t)
{
    return th_jstr(t, "state");
}

static void test_lifecycle(void **state)
{
    (void)state;
    long long dev = device_id("CAM-GARDEN");
    char body[256];
    snprintf(body, sizeof body,
             "{\"device_id\":%lld,\"title\":\"中心花园球机画面模糊\",\"detail\":\"夜间图像不清\"}",
             dev);
    json_t *t = NULL;
    assert_int_equal(post(op, "/api/v1/tickets", body, &t), 201);
    long long id = th_jint(t, "id");
    assert_string_equal(state_of(t), "reported");
    assert_string_equal(th_jstr(t, "kind"), "fault");
    assert_string_equal(th_jstr(t, "priority"), "normal");
    assert_non_null(th_jstr(t, "due_at"));
    assert_true(json_is_null(json_object_get(t, "title_en"))); /* typed by a person: as written */
    json_decref(t);
    device_status_is(dev, "fault");
    /* The same fault reported again returns the open ticket. */
    assert_int_equal(post(op, "/api/v1/tickets", body, &t), 200);
    assert_int_equal(th_jint(t, "id"), id);
    json_decref(t);
    /* Assignment: an engineer must be an engineer; an outside maintainer needs a company. */
    assert_int_equal(
        act(op, id, "assign", "{\"assignee_kind\":\"engineer\",\"assignee\":\"operator\"}", NULL),
        400);
    assert_int_equal(
        act(op, id, "assign", "{\"assignee_kind\":\"outside\",\"assignee\":\"张师傅\"}", NULL),
        400);
    assert_int_equal(act(op, id, "repair", "{\"result\":\"repaired\",\"note\":\"x\"}", NULL), 403);
    assert_int_equal(act(eng, id, "repair", "{\"result\":\"repaired\",\"note\":\"x\"}", NULL),
                     400); /* not assigned yet */
    assert_int_equal(
        act(op, id, "assign", "{\"assignee_kind\":\"engineer\",\"assignee\":\"engineer\"}", &t),
        200);
    assert_string_equal(state_of(t), "assigned");
    assert_string_equal(th_jstr(t, "assignee"), "engineer");
    json_decref(t);
    assert_int_equal(act(eng, id, "repair", "{\"result\":\"fixed\",\"note\":\"x\"}", NULL), 400);
    assert_int_equal(act(eng, id, "repair", "{\"result\":\"repaired\"}", NULL), 400);
    assert_int_equal(
        act(eng, id, "repair", "{\"result\":\"repaired\",\"note\":\"清洁镜头，重新对焦\"}", &t),
        200);
    assert_string_equal(state_of(t), "repaired");
    json_decref(t);
    /* The engineer may not verify; the operator rejects with a reason, then verifies. */
    assert_int_equal(act(eng, id, "verify", "{}", NULL), 403);
    assert_int_equal(act(op, id, "reject", "{}", NULL), 400);
    assert_int_equal(act(op, id, "reject", "{\"reason\":\"夜间仍然模糊\"}", &t), 200);
    assert_string_equal(state_of(t), "assigned");
    json_decref(t);
    device_status_is(dev, "fault");
    assert_int_equal(
        act(eng, id, "repair", "{\"result\":\"replaced\",\"note\":\"更换摄像机镜头组件\"}", &t),
        200);
    json_decref(t);
    assert_int_equal(act(op, id, "close", "{}", NULL), 400); /* verify first */
    assert_int_equal(act(op, id, "verify", "{\"note\":\"画面清晰\"}", &t), 200);
    assert_string_equal(state_of(t), "verified");
    assert_non_null(th_jstr(t, "verified_at"));
    json_decref(t);
    device_status_is(dev, "normal");
    assert_int_equal(act(op, id, "close", "{}", &t), 200);
    assert_string_equal(state_of(t), "closed");
    /* The timeline: every transition with actor, time and note. */
    static const char *const want[] = {"reported", "assigned", "repaired", "rejected",
                                       "repaired", "verified", "closed"};
    json_t *tl = json_object_get(t, "timeline");
    assert_int_equal(json_array_size(tl), 7);
    for (size_t i = 0; i < 7; i++) {
        json_t *e = json_array_get(tl, i);
        assert_string_equal(th_jstr(e, "action"), want[i]);
        assert_non_null(th_jstr(e, "at"));
        assert_non_null(th_jstr(e, "actor"));
    }
    assert_string_equal(th_jstr(json_array_get(tl, 3), "note"), "repair rejected: 夜间仍然模糊");
    assert_string_equal(th_jstr(json_array_get(tl, 4), "actor"), "engineer");
    json_decref(t);
    assert_int_equal(act(op, id, "note", "{\"note\":\"late\"}", NULL), 400); /* closed */
    /* Each event is on the duty log, linked to the ticket and the device. */
    struct th_resp r;
    th_get(D.port, op, "/api/v1/duty-log?category=equipment&limit=500", &r);
    size_t i, linked = 0;
    json_t *e;
    json_array_foreach (json_object_get(r.json, "items"), i, e)
        if (th_jint(e, "ticket_id") == id && th_jint(e, "device_id") == dev)
            linked++;
    assert_int_equal(linked, 7);
    th_resp_free(&r);
    th_get(D.port, auditor, "/api/v1/audit?action=ticket.verify", &r);
    assert_int_equal(th_jint(r.json, "total"), 1);
    th_resp_free(&r);
    /* Downtime: one ticket, from report to verification. */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/devices/%lld/downtime", dev);
    th_get(D.port, op, path, &r);
    assert_int_equal(json_array_size(json_object_get(r.json, "tickets")), 1);
    assert_true(th_jint(r.json, "downtime_ms") >= 0);
    th_resp_free(&r);
}

static void test_outside_maintainer_and_own_repair(void **state)
{
    (void)state;
    long long dev = device_id("ELC-1-1");
    char body[160];
    snprintf(body, sizeof body, "{\"device_id\":%lld,\"title\":\"电梯监控终端无信号\"}", dev);
    json_t *t = NULL;
    assert_int_equal(post(op, "/api/v1/tickets", body, &t), 201);
    long long id = th_jint(t, "id");
    json_decref(t);
    assert_int_equal(act(op, id, "assign",
                         "{\"assignee_kind\":\"outside\",\"assignee\":\"张师傅\",\"company\":"
                         "\"某某电梯维保公司\"}",
                         &t),
                     200);
    assert_string_equal(th_jstr(t, "assignee_company"), "某某电梯维保公司");
    json_decref(t);
    /* The elevator technician records the outside maintainer's repair on their behalf (any
     * ticket.repair holder may); the timeline names the maintainer. */
    assert_int_equal(
        act(etech, id, "repair", "{\"result\":\"repaired\",\"note\":\"更换通信模块\"}", &t), 200);
    json_t *tl = json_object_get(t, "timeline");
    assert_string_equal(th_jstr(json_array_get(tl, json_array_size(tl) - 1), "note"),
                        "repaired: 更换通信模块 (on behalf of 张师傅, 某某电梯维保公司)");
    json_decref(t);
    /* Whoever recorded the repair may not also verify it: 409 same-person, nothing written. */
    assert_int_equal(act(op, id, "reject", "{\"reason\":\"复测仍无信号\"}", NULL), 200);
    assert_int_equal(
        act(sup, id, "repair", "{\"result\":\"replaced\",\"note\":\"更换终端\"}", NULL), 200);
    struct th_resp r;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/tickets/%lld/verify", id);
    long long audits = th_total(D.port, auditor, "/api/v1/audit?action=ticket.verify");
    th_send(D.port, "POST", sup, path, "{}", &r);
    th_assert_problem(&r, 409, "/problems/same-person");
    assert_non_null(strstr(th_jstr(r.json, "detail"), "supervisor recorded the repair"));
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, auditor, "/api/v1/audit?action=ticket.verify"), audits);
    snprintf(path, sizeof path, "/api/v1/tickets/%lld", id);
    th_get(D.port, op, path, &r);
    assert_string_equal(th_jstr(r.json, "state"), "repaired");
    th_resp_free(&r);
    assert_int_equal(act(op, id, "verify", "{}", NULL), 200);
    /* The elevator technician may repair but not report. */
    assert_int_equal(post(etech, "/api/v1/tickets", "{\"title\":\"x\"}", NULL), 403);
}

/* A user assignee records their own repair (or a supervisor does); anyone else with
 * ticket.repair is refused with 403 not-assignee and nothing is written. */
static void test_repair_only_by_assignee(void **state)
{
    (void)state;
    long long dev = device_id("CAM-B2-LOBBY");
    char body[160];
    snprintf(body, sizeof body, "{\"device_id\":%lld,\"title\":\"北门摄像机夜间无红外\"}", dev);
    json_t *t = NULL;
    assert_int_equal(post(op, "/api/v1/tickets", body, &t), 201);
    long long id = th_jint(t, "id");
    json_decref(t);
    assert_int_equal(
        act(op, id, "assign", "{\"assignee_kind\":\"engineer\",\"assignee\":\"engineer\"}", NULL),
        200);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/tickets/%lld/repair", id);
    long long duty_before = th_total(D.port, op, "/api/v1/duty-log?category=equipment");
    struct th_resp r;
    th_send(D.port, "POST", etech, path, "{\"result\":\"repaired\",\"note\":\"x\"}", &r);
    th_assert_problem(&r, 403, "/problems/not-assignee");
    assert_non_null(strstr(th_jstr(r.json, "detail"), "assigned to engineer"));
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, op, "/api/v1/duty-log?category=equipment"), duty_before);
    snprintf(path, sizeof path, "/api/v1/tickets/%lld", id);
    th_get(D.port, op, path, &r);
    assert_string_equal(th_jstr(r.json, "state"), "assigned");
    assert_int_equal(json_array_size(json_object_get(r.json, "timeline")), 2);
    th_resp_free(&r);
    /* The supervisor may record it for the engineer. */
    assert_int_equal(
        act(sup, id, "repair", "{\"result\":\"repaired\",\"note\":\"调整红外灯\"}", &t), 200);
    assert_string_equal(state_of(t), "repaired");
    json_decref(t);
    assert_int_equal(act(op, id, "verify", "{}", NULL), 200);
    assert_int_equal(act(op, id, "close", "{}", NULL), 200);
    /* Assigned to the elevator technician: the engineer is refused, the technician records it. */
    assert_int_equal(post(op, "/api/v1/tickets", body, &t), 201);
    id = th_jint(t, "id");
    json_decref(t);
    assert_int_equal(act(op, id, "assign",
                         "{\"assignee_kind\":\"elevator_tech\",\"assignee\":\"elevator_tech\"}",
                         NULL),
                     200);
    snprintf(path, sizeof path, "/api/v1/tickets/%lld/repair", id);
    th_send(D.port, "POST", eng, path, "{\"result\":\"repaired\",\"note\":\"x\"}", &r);
    th_assert_problem(&r, 403, "/problems/not-assignee");
    th_resp_free(&r);
    assert_int_equal(
        act(etech, id, "repair", "{\"result\":\"repaired\",\"note\":\"更换线缆\"}", NULL), 200);
    assert_int_equal(act(op, id, "verify", "{}", NULL), 200);
    assert_int_equal(act(op, id, "close", "{}", NULL), 200);
}

static void test_refusals_write_nothing(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, guard, "/api/v1/tickets", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    long long before = th_total(D.port, op, "/api/v1/tickets");
    long long duty_before = th_total(D.port, op, "/api/v1/duty-log?category=equipment");
    const char *bad[] = {
        "{\"title\":\"\"}",
        "{\"title\":\"x\",\"kind\":\"rumour\"}",
        "{\"title\":\"x\",\"priority\":\"asap\"}",
        "{\"title\":\"x\",\"device_id\":99999}",
        "{\"title\":\"x\",\"incident_id\":99999}",
        "{\"title\":\"x\",\"colour\":\"red\"}",
        "{\"title\":42}",
        "[]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        th_send(D.port, "POST", op, "/api/v1/tickets", bad[i], &r);
        if (r.status != 400)
            fail_msg("accepted (%ld): %s", r.status, bad[i]);
        assert_string_equal(th_header(&r, "Content-Type"), "application/problem+json");
        th_resp_free(&r);
    }
    th_get(D.port, op, "/api/v1/tickets?state=broken", &r);
    th_assert_problem(&r, 400, "/problems/bad-query");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, op, "/api/v1/tickets"), before);
    assert_int_equal(th_total(D.port, op, "/api/v1/duty-log?category=equipment"), duty_before);
    th_get(D.port, op, "/api/v1/tickets/99999", &r);
    th_assert_problem(&r, 404, "/problems/not-found");
    th_resp_free(&r);
}

static void test_handover_and_filters(void **state)
{
    (void)state;
    long long dev = device_id("FACP-1");
    char body[160];
    snprintf(body, sizeof body, "{\"device_id\":%lld,\"title\":\"火灾报警控制器主电故障\"}", dev);
    json_t *t = NULL;
    assert_int_equal(post(op, "/api/v1/tickets", body, &t), 201);
    long long id = th_jint(t, "id");
    assert_string_equal(th_jstr(t, "priority"), "urgent"); /* fire-alarm equipment */
    json_decref(t);
    struct th_resp r;
    th_get(D.port, op, "/api/v1/handovers/preview", &r);
    assert_int_equal(r.status, 200);
    assert_true(th_jint(json_object_get(r.json, "counts"), "open_tickets") >= 1);
    int found = 0;
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(r.json, "open_tickets"), i, e)
        found |= th_jint(e, "id") == id;
    assert_true(found);
    th_resp_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/tickets?state=open&device_id=%lld", dev);
    assert_int_equal(th_total(D.port, op, path), 1);
    /* The lifecycle's ticket, the two of test_repair_only_by_assignee and the demo's. */
    assert_int_equal(th_total(D.port, op, "/api/v1/tickets?state=closed"), 4);
    assert_int_equal(th_total(D.port, op, "/api/v1/tickets?overdue=1"), 0);
}

/* The overdue ticket (its due time moved into the past) is escalated by the daemon itself
 * within a few of its 5-second rounds, into the queue the webhook worker delivers. */
static void test_overdue_escalates(void **state)
{
    (void)state;
    char db_path[TD_PATH + 32];
    snprintf(db_path, sizeof db_path, "%s/vigil.db", D.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE ticket SET due_at = 1000 WHERE title ="
                                  " '火灾报警控制器主电故障'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(th_total(D.port, op, "/api/v1/tickets?overdue=1"), 1);
    struct th_resp r;
    json_t *esc = NULL;
    long long t0 = td_now_ms();
    for (;;) {
        th_get(D.port, op, "/api/v1/tickets?overdue=1", &r);
        long long id = th_jint(json_array_get(json_object_get(r.json, "items"), 0), "id");
        th_resp_free(&r);
        char path[64];
        snprintf(path, sizeof path, "/api/v1/tickets/%lld", id);
        th_get(D.port, op, path, &r);
        esc = json_object_get(r.json, "escalations");
        if (json_array_size(esc) >= 2 || td_now_ms() - t0 > TD_TIMEOUT_MS)
            break;
        th_resp_free(&r);
        td_nap(200);
    }
    /* due_at 1000 is far past both the due time and escalate_major_after. */
    assert_int_equal(json_array_size(esc), 2);
    assert_string_equal(th_jstr(json_array_get(esc, 0), "level"), "shift_leader");
    assert_string_equal(th_jstr(json_array_get(esc, 1), "level"), "major");
    int escalated = 0;
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(r.json, "timeline"), i, e)
        escalated += strcmp(th_jstr(e, "action"), "escalated") == 0;
    assert_int_equal(escalated, 2);
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
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_outside_maintainer_and_own_repair),
        cmocka_unit_test(test_repair_only_by_assignee),
        cmocka_unit_test(test_refusals_write_nothing),
        cmocka_unit_test(test_handover_and_filters),
        cmocka_unit_test(test_overdue_escalates),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
