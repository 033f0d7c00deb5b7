/* test_response.c - incident response through the real daemon: the regulation's checklists
 * (fire R3.4.5 with the six facts of a 119 call, elevator R3.4.6 with the "injured" flag),
 * closing only once the required steps are recorded, escalation on an acknowledgement timeout
 * and for major incidents, delivery to a webhook (tests/lib/webhook_rx.c) with retries that
 * survive a restart, call logging, hand-offs to a gate post (R3.4.15) and the roles that may
 * not act.
 *
 * One daemon serves every test (escalation.ack_timeout_p1 = 5 s; it checks every 5 s). To
 * keep the file fast, the group setup opens the incidents of the acknowledgement-timeout test,
 * which runs after the quick tests and the webhook test: by then the escalation is due. */
#include "lib/daemon.h"
#include "lib/http.h"
#include "lib/webhook_rx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "lib/assert_ext.h"

#define PW "vigil-demo"
#define TOK 256

static struct td_daemon D;
static char admin[TOK], manager[TOK], operator[TOK], engineer[TOK], guard[TOK], gw[TOK];
static json_t *fire_cl; /* data/checklists/fire.json */
/* The acknowledgement-timeout test's incidents: A is left alone, B acknowledged at once. */
static long long ack_a, ack_b, ack_a_opened_ms;

/* ---- API helpers ---- */

/* Sends a request and returns its status; *out (optional) gets the JSON body (decref it). */
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

/* Submits an alarm with the gateway's API key; returns the new incident's id. */
static long long raise_alarm(const char *account, const char *zone, const char *type)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"account\":\"%s\",\"code\":\"E110\",\"zone\":\"%s\",\"type\":\"%s\"}", account,
             zone, type);
    json_t *j = NULL;
    assert_int_equal(call(gw, "POST", "/api/v1/alarms", body, &j), 201);
    assert_true(json_is_true(json_object_get(j, "new_incident")));
    long long id = th_jint(j, "incident_id");
    json_decref(j);
    assert_true(id > 0);
    return id;
}

static json_t *incident(long long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/incidents/%lld", id);
    json_t *j = NULL;
    assert_int_equal(call(operator, "GET", path, NULL, &j), 200);
    return j;
}

/* POST /transition as tok; returns the status (the detail goes to *detail when wanted). */
static long move_as(const char *tok, long long id, const char *to, const char *verdict,
                    char *detail, size_t n)
{
    char path[64], body[128];
    snprintf(path, sizeof path, "/api/v1/incidents/%lld/transition", id);
    if (verdict)
        snprintf(body, sizeof body, "{\"to\":\"%s\",\"verdict\":\"%s\"}", to, verdict);
    else
        snprintf(body, sizeof body, "{\"to\":\"%s\"}", to);
    json_t *j = NULL;
    long st = call(tok, "POST", path, body, &j);
    if (detail)
        snprintf(detail, n, "%s", th_jstr(j, "detail") ? th_jstr(j, "detail") : "");
    json_decref(j);
    return st;
}

static void move(long long id, const char *to, const char *verdict)
{
    assert_int_equal(move_as(operator, id, to, verdict, NULL, 0), 200);
}

/* POST /steps as tok with body; returns the status, *out the answer. */
static long step_as(const char *tok, long long id, const char *body, json_t **out)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/incidents/%lld/steps", id);
    return call(tok, "POST", path, body, out);
}

/* Records a step as the operator: done, or skipped with a reason. */
static void record(long long id, const char *step, int skip)
{
    char body[192];
    if (skip)
        snprintf(body, sizeof body,
                 "{\"step\":\"%s\",\"status\":\"skipped\",\"reason\":\"not needed: drill\"}", step);
    else
        snprintf(body, sizeof body, "{\"step\":\"%s\",\"status\":\"done\"}", step);
    assert_int_equal(step_as(operator, id, body, NULL), 200);
}

/* Asserts a 400 validation problem whose errors[0].field is field (NULL: any). */
static void expect_invalid(long long id, const char *body, const char *field)
{
    json_t *j = NULL;
    assert_int_equal(step_as(operator, id, body, &j), 400);
    assert_string_equal(th_jstr(j, "type"), "/problems/validation");
    if (field)
        assert_string_equal(th_jstr(json_array_get(json_object_get(j, "errors"), 0), "field"),
                            field);
    json_decref(j);
}

/* The checklist entry of step id (borrowed from inc), asserted present. */
static json_t *cl_step(json_t *inc, const char *id)
{
    size_t i;
    json_t *s;
    json_array_foreach (json_object_get(inc, "checklist"), i, s) {
        if (strcmp(th_jstr(s, "id"), id) == 0)
            return s;
    }
    fail_msg("no step %s in the checklist", id);
    return NULL;
}

static int applies(json_t *inc, const char *id)
{
    json_t *a = json_object_get(cl_step(inc, id), "applies");
    assert_true(json_is_boolean(a));
    return json_is_true(a);
}

/* The escalation of this level (borrowed from inc), or NULL; *count gets how many there are. */
static json_t *esc_of(json_t *inc, const char *level, int *count)
{
    json_t *found = NULL, *e;
    size_t i;
    int n = 0;
    json_array_foreach (json_object_get(inc, "escalations"), i, e) {
        if (strcmp(th_jstr(e, "level"), level) == 0) {
            found = e;
            n++;
        }
    }
    if (count)
        *count = n;
    return found;
}

/* Timeline events of kind whose note contains needle (NULL: any). */
static int count_events(json_t *inc, const char *kind, const char *needle)
{
    int n = 0;
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(inc, "events"), i, e) {
        const char *note = th_jstr(e, "note");
        n += strcmp(th_jstr(e, "kind"), kind) == 0 &&
             (!needle || (note && strstr(note, needle) != NULL));
    }
    return n;
}

enum esc_wait { ESC_EXISTS, ESC_ATTEMPTED, ESC_DELIVERED };

/* Polls the incident (every 200 ms, at most timeout_ms) until its escalation of this level
 * exists / has been attempted / has been delivered. Returns the incident or NULL. */
static json_t *wait_escalation(long long id, const char *level, enum esc_wait what, int timeout_ms)
{
    long long deadline = td_now_ms() + timeout_ms;
    for (;;) {
        json_t *inc = incident(id);
        json_t *e = esc_of(inc, level, NULL);
        if (e && (what == ESC_EXISTS || (what == ESC_ATTEMPTED && th_jint(e, "attempts") >= 1) ||
                  (what == ESC_DELIVERED && th_jstr(e, "delivered_at"))))
            return inc;
        json_decref(inc);
        if (td_now_ms() >= deadline)
            return NULL;
        td_nap(200);
    }
}

/* Audit records with this action about object (as admin). */
static int count_audit(const char *action, const char *object, const char *actor)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/audit?action=%s&limit=200", action);
    json_t *j = NULL;
    assert_int_equal(call(admin, "GET", path, NULL, &j), 200);
    int n = 0;
    size_t i;
    json_t *r;
    json_array_foreach (json_object_get(j, "items"), i, r) {
        assert_string_equal(th_jstr(r, "action"), action);
        n += strcmp(th_jstr(r, "object"), object) == 0 &&
             (!actor || strcmp(th_jstr(r, "actor"), actor) == 0);
    }
    json_decref(j);
    return n;
}

/* ---- fixtures ---- */

static int group_setup(void **state)
{
    (void)state;
    int rc = wrx_start(0);
    if (rc) {
        print_error("webhook receiver did not start: %d\n", rc);
        return rc;
    }
    char extra[256];
    snprintf(extra, sizeof extra,
             "escalation.ack_timeout_p1 = 5\n"
             "escalation.webhook_url = http://127.0.0.1:%d/hook\n"
             "escalation.webhook_timeout = 3\n",
             wrx_port());
    struct td_opts o = {.demo = 1, .config_extra = extra};
    rc = td_daemon_start(&D, &o);
    if (rc) {
        print_error("vigild did not start: %d (exit %d)\n", rc, D.exit_status);
        return rc;
    }
    char path[TD_PATH + 64];
    snprintf(path, sizeof path, "%s/../data/checklists/fire.json", td_env("VIGIL_WEB"));
    fire_cl = json_load_file(path, 0, NULL);
    assert_non_null(fire_cl);
    th_login_ok(D.port, "admin", PW, admin, sizeof admin);
    th_login_ok(D.port, "manager", PW, manager, sizeof manager);
    th_login_ok(D.port, "operator", PW, operator, sizeof operator);
    th_login_ok(D.port, "engineer", PW, engineer, sizeof engineer);
    th_login_ok(D.port, "guard", PW, guard, sizeof guard);
    struct td_proc p;
    assert_int_equal(
        td_vigilctl(&D, NULL, &p, "apikey", "add", "gw", "--perms", "alarm.submit", NULL), 0);
    size_t n = strcspn(p.out, "\n");
    assert_true(n > 20 && n < sizeof gw);
    snprintf(gw, sizeof gw, "%.*s", (int)n, p.out);
    td_proc_free(&p);

    ack_a_opened_ms = td_now_ms();
    ack_a = raise_alarm("ACK1", "11", "fire");
    ack_b = raise_alarm("ACK1", "12", "fire");
    move(ack_b, "acknowledged", NULL);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    wrx_cleanup();
    json_decref(fire_cl);
    fire_cl = NULL;
    return 0;
}

/* ---- checklists ---- */

static const char *const facts119[] = {"address", "location",    "material",
                                       "size",    "caller_name", "caller_phone"};

/* The fire checklist is the data file's, step for step; "real" steps apply once verified
 * real; call_119 collects the six facts; malformed steps are refused. */
static void test_fire_checklist_follows_the_data_file(void **state)
{
    (void)state;
    long long id = raise_alarm("RSP1", "101", "fire");
    json_t *inc = incident(id);
    json_t *cl = json_object_get(inc, "checklist"), *steps = json_object_get(fire_cl, "steps");
    assert_int_equal(json_array_size(cl), json_array_size(steps));
    assert_true(json_array_size(cl) >= 10);
    size_t i;
    json_t *st;
    json_array_foreach (steps, i, st) {
        json_t *s = json_array_get(cl, i);
        assert_string_equal(th_jstr(s, "id"), th_jstr(st, "id"));
        assert_true(json_equal(json_object_get(s, "required"), json_object_get(st, "required")));
        assert_true(json_equal(json_object_get(s, "text"), json_object_get(st, "text")));
        assert_string_equal(th_jstr(s, "status"), "open");
        int real_only = th_jstr(st, "when") && strcmp(th_jstr(st, "when"), "real") == 0;
        assert_int_equal(applies(inc, th_jstr(st, "id")), !real_only);
    }
    assert_false(applies(inc, "call_119"));
    json_t *facts = json_object_get(cl_step(inc, "call_119"), "facts");
    assert_int_equal(json_array_size(facts), 6);
    for (size_t k = 0; k < 6; k++)
        assert_string_equal(th_jstr(json_array_get(facts, k), "id"), facts119[k]);
    json_decref(inc);

    move(id, "acknowledged", NULL);
    move(id, "verified", "real");
    inc = incident(id);
    json_array_foreach (steps, i, st)
        assert_true(applies(inc, th_jstr(st, "id")));
    json_decref(inc);

    /* The six facts of a 119 call (GB 25506-2010 §4.2.2) come back as the step's values. */
    const char *body = "{\"step\":\"call_119\",\"status\":\"done\",\"facts\":{"
                       "\"address\":\"阳光花园 幸福路 8 号\",\"location\":\"3 栋 12 层 1201\","
                       "\"material\":\"厨房油锅\",\"size\":\"明火，约 2 平方米\","
                       "\"caller_name\":\"王静\",\"caller_phone\":\"13900001000\"}}";
    assert_int_equal(step_as(operator, id, body, &inc), 200);
    json_t *s = cl_step(inc, "call_119");
    assert_string_equal(th_jstr(s, "status"), "done");
    assert_string_equal(th_jstr(s, "actor"), "operator");
    assert_non_null(th_jstr(s, "at"));
    json_t *sent = json_loads(body, 0, NULL);
    json_t *values = json_object_get(s, "values");
    assert_int_equal(json_object_size(values), 6);
    assert_true(json_equal(values, json_object_get(sent, "facts")));
    json_decref(sent);
    json_decref(inc);

    expect_invalid(id, "{\"step\":\"call_119\",\"status\":\"done\",\"facts\":{\"colour\":\"red\"}}",
                   "facts");
    expect_invalid(id, "{\"step\":\"call_119\",\"status\":\"done\",\"facts\":{\"size\":7}}",
                   "facts");
    expect_invalid(id, "{\"step\":\"locate\",\"status\":\"done\",\"facts\":{\"address\":\"x\"}}",
                   "facts");
    expect_invalid(id, "{\"step\":\"locate\",\"status\":\"skipped\"}", "reason");
    expect_invalid(id, "{\"step\":\"locate\",\"status\":\"skipped\",\"reason\":\"\"}", NULL);
    expect_invalid(id, "{\"step\":\"no_such_step\",\"status\":\"done\"}", "step");
    expect_invalid(id, "{\"step\":\"locate\",\"status\":\"maybe\"}", "status");
    expect_invalid(id, "{\"status\":\"done\"}", "step");
    /* Nothing of that was recorded; the earlier values stand. */
    inc = incident(id);
    assert_string_equal(th_jstr(cl_step(inc, "locate"), "status"), "open");
    assert_int_equal(json_object_size(json_object_get(cl_step(inc, "call_119"), "values")), 6);
    assert_int_equal(count_events(inc, "step", NULL), 1);
    json_decref(inc);
}

static int is_real_only(json_t *st)
{
    const char *when = th_jstr(st, "when");
    return when && strcmp(when, "real") == 0;
}

/* From reset to closed: refused, naming the first missing required step, until each one that
 * applies is done or skipped with a reason. Returns how many steps were recorded. */
static int close_step_by_step(long long id, int real)
{
    char detail[512], quoted[96];
    int recorded = 0;
    size_t i;
    json_t *st;
    json_array_foreach (json_object_get(fire_cl, "steps"), i, st) {
        if (!json_is_true(json_object_get(st, "required")) || (!real && is_real_only(st)))
            continue;
        assert_int_equal(move_as(operator, id, "closed", NULL, detail, sizeof detail), 400);
        snprintf(quoted, sizeof quoted, "\"%s\"", th_jstr(st, "id"));
        assert_contains(detail, quoted);
        record(id, th_jstr(st, "id"), recorded % 3 == 2);
        recorded++;
    }
    assert_int_equal(move_as(operator, id, "closed", NULL, NULL, 0), 200);
    return recorded;
}

static void test_fire_closes_only_with_the_required_steps(void **state)
{
    (void)state;
    long long id = raise_alarm("RSP1", "102", "fire");
    move(id, "acknowledged", NULL);
    move(id, "verified", "real");
    move(id, "resolved", NULL);
    move(id, "reset", NULL);
    int n = close_step_by_step(id, 1);
    assert_int_equal(n, 13);

    json_t *inc = incident(id);
    assert_string_equal(th_jstr(inc, "state"), "closed");
    /* Every step is on the timeline and in the audit trail. */
    assert_int_equal(count_events(inc, "step", NULL), n);
    assert_int_equal(count_events(inc, "step", "locate done"), 1);
    assert_int_equal(count_events(inc, "step", "skipped: not needed: drill"), n / 3);
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", id);
    assert_int_equal(count_audit("incident.step", obj, "operator"), n);
    size_t i;
    json_t *st;
    json_array_foreach (json_object_get(inc, "checklist"), i, st) {
        assert_true(strcmp(th_jstr(st, "status"), "done") == 0 ||
                    (strcmp(th_jstr(st, "status"), "skipped") == 0 &&
                     strcmp(th_jstr(st, "reason"), "not needed: drill") == 0));
    }
    json_decref(inc);
    /* Closed is final. */
    assert_int_equal(move_as(operator, id, "reset", NULL, NULL, 0), 400);
}

static void test_false_alarm_closes_without_the_real_steps(void **state)
{
    (void)state;
    long long id = raise_alarm("RSP1", "103", "fire");
    move(id, "acknowledged", NULL);
    move(id, "verified", "false");
    json_t *inc = incident(id);
    assert_string_equal(th_jstr(inc, "verdict"), "false");
    assert_false(applies(inc, "call_119"));
    assert_false(applies(inc, "organise_firefighting"));
    assert_true(applies(inc, "record"));
    json_decref(inc);
    move(id, "resolved", NULL);
    move(id, "reset", NULL);
    assert_int_equal(close_step_by_step(id, 0), 7);
    inc = incident(id);
    assert_string_equal(th_jstr(inc, "state"), "closed");
    assert_string_equal(th_jstr(cl_step(inc, "call_119"), "status"), "open");
    /* No "confirmed fire" escalation for a false alarm. */
    assert_null(esc_of(inc, "major", NULL));
    json_decref(inc);
}

/* ---- elevator: the injured flag ---- */

static void test_injured_person_makes_a_major_incident(void **state)
{
    (void)state;
    struct th_sse s;
    assert_int_equal(th_sse_open(D.port, manager, NULL, &s), 200);
    assert_non_null(th_sse_find(&s, "hello", NULL, 5000));

    long long id = raise_alarm("RSP2", "L3", "elevator");
    move(id, "acknowledged", NULL);
    json_t *inc = incident(id);
    assert_false(json_is_true(json_object_get(inc, "injured")));
    assert_false(applies(inc, "call_120"));
    assert_false(json_is_true(json_object_get(cl_step(inc, "injured"), "required")));
    json_decref(inc);

    long long t0 = td_now_ms();
    assert_int_equal(step_as(operator, id, "{\"step\":\"injured\",\"status\":\"done\"}", &inc),
                     200);
    assert_true(json_is_true(json_object_get(inc, "injured")));
    assert_true(applies(inc, "call_120"));
    assert_string_equal(th_jstr(cl_step(inc, "injured"), "status"), "done");
    json_decref(inc);

    /* The next check (every 5 s) escalates it to the supervisor and the manager. */
    inc = wait_escalation(id, "major", ESC_EXISTS, 12000);
    assert_non_null(inc);
    int n;
    json_t *e = esc_of(inc, "major", &n);
    assert_int_equal(n, 1);
    assert_string_equal(th_jstr(e, "reason"), "injured person");
    assert_non_null(th_jstr(e, "created_at"));
    assert_int_equal(count_events(inc, "escalated", "supervisor and manager"), 1);
    json_decref(inc);

    char needle[96];
    snprintf(needle, sizeof needle, "\"incident_id\":%lld,\"level\":\"major\"", id);
    int left = (int)(t0 + 14000 - td_now_ms());
    const struct th_frame *f = th_sse_find(&s, "escalation", needle, left > 500 ? left : 500);
    assert_non_null(f);
    assert_contains(f->data, "injured person");
    th_sse_close(&s);

    /* Closing now also needs call_120 (it applies since the flag was set). */
    move(id, "verified", "real");
    move(id, "resolved", NULL);
    move(id, "reset", NULL);
    static const char *const others[] = {
        "identify",  "talk",   "notify_leader",     "notify_elevator_tech",
        "follow_up", "record", "notify_engineering"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        record(id, others[i], 0);
    char detail[512];
    assert_int_equal(move_as(operator, id, "closed", NULL, detail, sizeof detail), 400);
    assert_contains(detail, "\"call_120\"");
    record(id, "call_120", 0);
    assert_int_equal(move_as(operator, id, "closed", NULL, NULL, 0), 200);
}

/* ---- calls, hand-offs, permissions ---- */

static void test_calls_are_logged_on_the_timeline(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(call(operator, "GET", "/api/v1/contacts?limit=100", NULL, &j), 200);
    long long fire = 0;
    size_t i;
    json_t *c;
    json_array_foreach (json_object_get(j, "items"), i, c) {
        if (th_jstr(c, "phone") && strcmp(th_jstr(c, "phone"), "119") == 0)
            fire = th_jint(c, "id");
    }
    json_decref(j);
    assert_true(fire > 0);

    long long id = raise_alarm("RSP6", "201", "fire");
    move(id, "acknowledged", NULL);
    char path[64], body[128];
    snprintf(path, sizeof path, "/api/v1/incidents/%lld/calls", id);
    snprintf(body, sizeof body, "{\"contact_id\":%lld,\"note\":\"六项已讲清\"}", fire);
    assert_int_equal(call(operator, "POST", path, body, &j), 201);
    assert_int_equal(count_events(j, "call", "火警 119"), 1);
    assert_int_equal(count_events(j, "call", "六项已讲清"), 1);
    json_decref(j);

    assert_int_equal(call(operator, "POST", path, "{\"contact_id\":999999}", &j), 400);
    assert_string_equal(th_jstr(json_array_get(json_object_get(j, "errors"), 0), "field"),
                        "contact_id");
    json_decref(j);
    assert_int_equal(call(operator, "POST", path, "{\"note\":\"who?\"}", NULL), 400);
    j = incident(id);
    assert_int_equal(count_events(j, "call", NULL), 1);
    json_decref(j);
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", id);
    assert_int_equal(count_audit("incident.call", obj, "operator"), 1);
}

/* Whether the open hand-off list (as guard) holds id. */
static int in_open_list(long long id)
{
    json_t *j = NULL;
    assert_int_equal(call(guard, "GET", "/api/v1/handoffs?open=1&limit=200", NULL, &j), 200);
    int found = 0;
    size_t i;
    json_t *h;
    json_array_foreach (json_object_get(j, "items"), i, h) {
        found |= th_jint(h, "id") == id;
        assert_true(json_is_null(json_object_get(h, "done_at")));
    }
    json_decref(j);
    return found;
}

static void test_handoffs_to_a_gate_post(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(call(operator, "GET", "/api/v1/areas?kind=gate", NULL, &j), 200);
    long long gate = th_jint(json_array_get(json_object_get(j, "items"), 0), "id");
    json_decref(j);
    assert_true(gate > 0);

    long long inc = raise_alarm("RSP7", "301", "intrusion");
    char body[256];
    snprintf(body, sizeof body,
             "{\"area_id\":%lld,\"text\":\"东门外有可疑人员，请核查\",\"incident_id\":%lld}", gate,
             inc);
    assert_int_equal(call(operator, "POST", "/api/v1/handoffs", body, &j), 201);
    long long h = th_jint(j, "id");
    assert_true(h > 0);
    assert_int_equal(th_jint(j, "area_id"), gate);
    assert_int_equal(th_jint(j, "incident_id"), inc);
    assert_string_equal(th_jstr(j, "created_by"), "operator");
    assert_true(json_is_null(json_object_get(j, "taken_by")));
    json_decref(j);
    assert_true(in_open_list(h));
    json_t *i = incident(inc);
    assert_int_equal(count_events(i, "handoff", "可疑人员"), 1);
    assert_int_equal(json_array_size(json_object_get(i, "handoffs")), 1);
    json_decref(i);

    /* Refused: an unknown area or incident, no text, the engineer creating or taking. */
    snprintf(body, sizeof body, "{\"area_id\":999999,\"text\":\"x\"}");
    assert_int_equal(call(operator, "POST", "/api/v1/handoffs", body, NULL), 400);
    snprintf(body, sizeof body, "{\"area_id\":%lld,\"text\":\"x\",\"incident_id\":999999}", gate);
    assert_int_equal(call(operator, "POST", "/api/v1/handoffs", body, NULL), 400);
    snprintf(body, sizeof body, "{\"area_id\":%lld,\"text\":\"\"}", gate);
    assert_int_equal(call(operator, "POST", "/api/v1/handoffs", body, NULL), 400);
    snprintf(body, sizeof body, "{\"area_id\":%lld,\"text\":\"x\"}", gate);
    assert_int_equal(call(engineer, "POST", "/api/v1/handoffs", body, NULL), 403);
    char take[64], done[64];
    snprintf(take, sizeof take, "/api/v1/handoffs/%lld/take", h);
    snprintf(done, sizeof done, "/api/v1/handoffs/%lld/done", h);
    assert_int_equal(call(engineer, "POST", take, NULL, NULL), 403);
    assert_int_equal(call(operator, "POST", take, NULL, NULL), 403);
    assert_int_equal(call(guard, "POST", "/api/v1/handoffs/999999/take", NULL, NULL), 404);
    /* Done before it was taken up. */
    assert_int_equal(call(guard, "POST", done, "{\"result\":\"nothing\"}", NULL), 400);

    assert_int_equal(call(guard, "POST", take, NULL, &j), 200);
    assert_string_equal(th_jstr(j, "taken_by"), "guard");
    assert_non_null(th_jstr(j, "taken_at"));
    assert_true(json_is_null(json_object_get(j, "done_at")));
    json_decref(j);
    assert_int_equal(call(guard, "POST", take, NULL, &j), 409);
    assert_string_equal(th_jstr(j, "type"), "/problems/conflict");
    json_decref(j);
    assert_true(in_open_list(h));

    assert_int_equal(call(guard, "POST", done, "{}", NULL), 400);
    assert_int_equal(call(guard, "POST", done, "{\"result\":\"已核查，为快递员，无异常\"}", &j),
                     200);
    assert_non_null(th_jstr(j, "done_at"));
    assert_string_equal(th_jstr(j, "result"), "已核查，为快递员，无异常");
    assert_string_equal(th_jstr(j, "taken_by"), "guard");
    json_decref(j);
    assert_false(in_open_list(h));
    assert_int_equal(call(guard, "POST", done, "{\"result\":\"again\"}", NULL), 400);
    /* Still listed without the open filter. */
    assert_int_equal(call(guard, "GET", "/api/v1/handoffs?limit=200", NULL, &j), 200);
    assert_true(th_jint(j, "total") >= 1);
    json_decref(j);
    char obj[48];
    snprintf(obj, sizeof obj, "handoff:%lld", h);
    assert_int_equal(count_audit("handoff.create", obj, "operator"), 1);
    assert_int_equal(count_audit("handoff.take", obj, "guard"), 1);
    assert_int_equal(count_audit("handoff.done", obj, "guard"), 1);
    move(inc, "acknowledged", NULL);
}

static void test_roles_that_may_not_act(void **state)
{
    (void)state;
    long long id = raise_alarm("RSP8", "401", "other");
    char path[64];
    assert_int_equal(move_as(engineer, id, "acknowledged", NULL, NULL, 0), 403);
    assert_int_equal(move_as(guard, id, "acknowledged", NULL, NULL, 0), 403);
    assert_int_equal(step_as(engineer, id, "{\"step\":\"record\",\"status\":\"done\"}", NULL), 403);
    assert_int_equal(step_as(guard, id, "{\"step\":\"record\",\"status\":\"done\"}", NULL), 403);
    snprintf(path, sizeof path, "/api/v1/incidents/%lld/calls", id);
    assert_int_equal(call(engineer, "POST", path, "{\"contact_id\":1}", NULL), 403);
    /* The engineer still reads it, unchanged. */
    json_t *j = NULL;
    snprintf(path, sizeof path, "/api/v1/incidents/%lld", id);
    assert_int_equal(call(engineer, "GET", path, NULL, &j), 200);
    assert_string_equal(th_jstr(j, "state"), "new");
    assert_int_equal(count_events(j, "step", NULL), 0);
    assert_int_equal(count_events(j, "call", NULL), 0);
    json_decref(j);
    move(id, "acknowledged", NULL);
}

/* ---- escalation and the webhook ---- */

/* Milliseconds from ISO-8601 time a to b ("2026-11-27T22:33:24.123Z", the same day or the
 * next). */
static long long iso_diff_ms(const char *a, const char *b)
{
    int t[2][4];
    assert_true(a && strlen(a) == 24 && b && strlen(b) == 24);
    assert_int_equal(sscanf(a + 11, "%2d:%2d:%2d.%3d", &t[0][0], &t[0][1], &t[0][2], &t[0][3]), 4);
    assert_int_equal(sscanf(b + 11, "%2d:%2d:%2d.%3d", &t[1][0], &t[1][1], &t[1][2], &t[1][3]), 4);
    long long ms[2];
    for (int i = 0; i < 2; i++)
        ms[i] = ((t[i][0] * 60LL + t[i][1]) * 60 + t[i][2]) * 1000 + t[i][3];
    return (ms[1] - ms[0] + 86400000LL) % 86400000LL;
}

/* The incident opened in the group setup and left alone goes to the shift leader once its
 * 5 s are up (at the next check, so within 15 s); the one acknowledged at once does not. */
static void test_unacknowledged_incident_goes_to_the_shift_leader(void **state)
{
    (void)state;
    int left = (int)(ack_a_opened_ms + 15000 - td_now_ms());
    json_t *inc = wait_escalation(ack_a, "shift_leader", ESC_EXISTS, left > 0 ? left : 0);
    assert_non_null(inc);
    int n;
    json_t *e = esc_of(inc, "shift_leader", &n);
    assert_int_equal(n, 1);
    long long after = iso_diff_ms(th_jstr(inc, "opened_at"), th_jstr(e, "created_at"));
    assert_in_range(after, 5000, 15000);
    assert_string_equal(th_jstr(e, "reason"), "not acknowledged within 5s (priority 1)");
    assert_string_equal(th_jstr(inc, "state"), "new");
    assert_int_equal(count_events(inc, "escalated", "shift leader"), 1);
    json_decref(inc);
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", ack_a);
    assert_int_equal(count_audit("incident.escalate", obj, "system"), 1);

    /* The one acknowledged at once (as old, same priority) is not escalated. */
    inc = incident(ack_b);
    assert_string_equal(th_jstr(inc, "state"), "acknowledged");
    assert_int_equal(json_array_size(json_object_get(inc, "escalations")), 0);
    assert_int_equal(count_events(inc, "escalated", NULL), 0);
    json_decref(inc);
}

/* A delivery answered 500 is kept and retried (back-off 5 s) until a 2xx. */
static void test_webhook_retries_until_delivered(void **state)
{
    (void)state;
    long long id = raise_alarm("RSP4", "W1", "fire");
    wrx_fail(id);
    move(id, "acknowledged", NULL);
    move(id, "verified", "real");

    json_t *inc = wait_escalation(id, "major", ESC_ATTEMPTED, 12000);
    assert_non_null(inc);
    json_t *e = esc_of(inc, "major", NULL);
    long long eid = th_jint(e, "id");
    assert_string_equal(th_jstr(e, "reason"), "confirmed fire");
    assert_true(th_jint(e, "attempts") >= 1);
    assert_string_equal(th_jstr(e, "last_error"), "HTTP 500");
    assert_true(json_is_null(json_object_get(e, "delivered_at")));
    json_decref(inc);
    assert_true(wrx_count(id, 500) >= 1);
    assert_int_equal(wrx_count(id, 200), 0);

    wrx_fail(0);
    inc = wait_escalation(id, "major", ESC_DELIVERED, 20000);
    assert_non_null(inc);
    e = esc_of(inc, "major", NULL);
    assert_int_equal(th_jint(e, "id"), eid);
    assert_true(th_jint(e, "attempts") >= 2);
    assert_true(json_is_null(json_object_get(e, "last_error")));
    json_decref(inc);
    assert_int_equal(wrx_count(id, 200), 1);
    json_t *b = wrx_body(id);
    assert_non_null(b);
    assert_int_equal(th_jint(b, "incident_id"), id);
    assert_int_equal(th_jint(b, "id"), eid);
    assert_string_equal(th_jstr(b, "level"), "major");
    assert_string_equal(th_jstr(b, "reason"), "confirmed fire");
    assert_string_equal(th_jstr(b, "type"), "fire");
    json_decref(b);
}

/* Escalation rows and undelivered webhook deliveries outlive the daemon. */
static void test_escalations_and_deliveries_survive_a_restart(void **state)
{
    (void)state;
    json_t *inc = wait_escalation(ack_a, "shift_leader", ESC_EXISTS, 15000);
    assert_non_null(inc);
    long long a_esc = th_jint(esc_of(inc, "shift_leader", NULL), "id");
    json_decref(inc);

    /* The receiver is down when the escalation is raised: the first attempt fails. */
    int port = wrx_port();
    wrx_stop();
    long long id = raise_alarm("RSP5", "W2", "fire");
    move(id, "acknowledged", NULL);
    move(id, "verified", "real");
    inc = wait_escalation(id, "major", ESC_ATTEMPTED, 12000);
    assert_non_null(inc);
    json_t *e = esc_of(inc, "major", NULL);
    long long eid = th_jint(e, "id");
    assert_true(json_is_null(json_object_get(e, "delivered_at")));
    assert_non_null(th_jstr(e, "last_error"));
    json_decref(inc);

    td_daemon_stop_ok(&D);
    assert_int_equal(wrx_start(port), 0);
    assert_int_equal(td_daemon_restart(&D), 0);

    int n;
    inc = incident(ack_a);
    assert_int_equal(th_jint(esc_of(inc, "shift_leader", &n), "id"), a_esc);
    assert_int_equal(n, 1);
    json_decref(inc);

    /* A check cycle runs after the restart (it escalates this one) and raises no duplicates. */
    long long lift = raise_alarm("RSP5", "L9", "elevator");
    move(lift, "acknowledged", NULL);
    record(lift, "injured", 0);
    inc = wait_escalation(lift, "major", ESC_EXISTS, 12000);
    assert_non_null(inc);
    json_decref(inc);
    inc = incident(ack_a);
    assert_int_equal(th_jint(esc_of(inc, "shift_leader", &n), "id"), a_esc);
    assert_int_equal(n, 1);
    assert_int_equal(json_array_size(json_object_get(inc, "escalations")), 1);
    assert_true(json_is_true(json_object_get(inc, "escalation_webhook"))); /* one is set here */
    assert_int_equal(count_events(inc, "escalated", NULL), 1);
    json_decref(inc);

    /* The pending delivery arrives from the queue. */
    inc = wait_escalation(id, "major", ESC_DELIVERED, 20000);
    assert_non_null(inc);
    e = esc_of(inc, "major", &n);
    assert_int_equal(n, 1);
    assert_int_equal(th_jint(e, "id"), eid);
    assert_int_equal(json_array_size(json_object_get(inc, "escalations")), 1);
    json_decref(inc);
    json_t *b = wrx_body(id);
    assert_non_null(b);
    assert_int_equal(th_jint(b, "id"), eid);
    assert_string_equal(th_jstr(b, "level"), "major");
    json_decref(b);
    assert_int_equal(wrx_count(id, 200), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fire_checklist_follows_the_data_file),
        cmocka_unit_test(test_fire_closes_only_with_the_required_steps),
        cmocka_unit_test(test_false_alarm_closes_without_the_real_steps),
        cmocka_unit_test(test_injured_person_makes_a_major_incident),
        cmocka_unit_test(test_calls_are_logged_on_the_timeline),
        cmocka_unit_test(test_handoffs_to_a_gate_post),
        cmocka_unit_test(test_roles_that_may_not_act),
        cmocka_unit_test(test_webhook_retries_until_delivered),
        cmocka_unit_test(test_unacknowledged_incident_goes_to_the_shift_leader),
        cmocka_unit_test(test_escalations_and_deliveries_survive_a_restart),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
