/* test_recording.c - the recording access register (R3.4.2, R3.4.3) against the real daemon: a
 * police loan from request to return (the manager's consent, the masked and revealed contact
 * data, the handover summary's lent-out list, the duty log and the audit trail), a viewing, a
 * refusal and a cancellation, the state machine's refusals, the footage already overwritten,
 * permissions and bad input that writes nothing. */
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
static char op[TOK], mgr[TOK], guard[TOK], auditor[TOK], sup[TOK];
static long long area_id;

static int group_setup(void **state)
{
    (void)state;
    int rc = tg_start(&D, NULL,
                      (struct tg_login[]){{"operator", op},
                                          {"manager", mgr},
                                          {"guard", guard},
                                          {"auditor", auditor},
                                          {"supervisor", sup},
                                          {NULL, NULL}});
    if (rc)
        return rc;
    struct th_resp r;
    th_get(D.port, op, "/api/v1/areas?limit=1", &r);
    area_id = th_jint(json_array_get(json_object_get(r.json, "items"), 0), "id");
    th_resp_free(&r);
    return area_id > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return tg_stop(&D);
}

/* An ISO instant `secs` from now. */
static void iso_in(long secs, char *out, size_t n)
{
    time_t t = time(NULL) + secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static long send(const char *tok, const char *method, const char *path, const char *body,
                 json_t **out)
{
    struct th_resp r;
    th_send(D.port, method, tok, path, body, &r);
    long status = r.status;
    if (out)
        *out = json_incref(r.json);
    th_resp_free(&r);
    return status;
}

static void refused(const char *tok, const char *path, const char *body, long status,
                    const char *type, const char *field)
{
    struct th_resp r;
    th_send(D.port, "POST", tok, path, body, &r);
    th_assert_problem(&r, status, type);
    if (field)
        assert_string_equal(th_jstr(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                            field);
    th_resp_free(&r);
}

/* A new request by the operator; returns its id. */
static long long request(const char *kind, const char *who)
{
    char from[32], to[32], body[700];
    iso_in(-3600, from, sizeof from);
    iso_in(-1800, to, sizeof to);
    snprintf(body, sizeof body,
             "{\"kind\":\"%s\",\"requester_name\":\"%s\",\"requester_org\":\"XX 派出所\","
             "\"requester_id\":\"110101199001011234\",\"phone\":\"13800138000\","
             "\"purpose\":\"车辆剐蹭取证\",\"area_id\":%lld,\"cameras\":\"地库 B1-03\","
             "\"from\":\"%s\",\"to\":\"%s\"}",
             kind, who, area_id, from, to);
    json_t *o = NULL;
    assert_int_equal(send(op, "POST", "/api/v1/recordings", body, &o), 201);
    long long id = th_jint(o, "id");
    assert_string_equal(th_jstr(o, "state"), "requested");
    assert_string_equal(th_jstr(o, "kind"), kind);
    json_decref(o);
    return id;
}

static json_t *get(const char *tok, long long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/recordings/%lld", id);
    json_t *o = NULL;
    assert_int_equal(send(tok, "GET", path, NULL, &o), 200);
    return o;
}

static void step(const char *tok, long long id, const char *name, const char *body, long status,
                 const char *state)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/recordings/%lld/%s", id, name);
    json_t *o = NULL;
    long got = send(tok, "POST", path, body, &o);
    if (got != status)
        fail_msg("%s #%lld: %ld (wanted %ld)", name, id, got, status);
    if (state)
        assert_string_equal(th_jstr(o, "state"), state);
    json_decref(o);
}

static int summary_lists(long long id)
{
    json_t *o = NULL;
    assert_int_equal(send(op, "GET", "/api/v1/handovers/preview", NULL, &o), 200);
    json_t *out = json_object_get(json_object_get(o, "summary") ? json_object_get(o, "summary") : o,
                                  "recordings_out");
    assert_non_null(out);
    size_t i;
    json_t *it;
    int found = 0;
    json_array_foreach (out, i, it)
        found |= th_jint(it, "id") == id;
    json_decref(o);
    return found;
}

/* How many audit records of this action name the request. */
static int audited(const char *action, long long id)
{
    char path[128], obj[48];
    snprintf(path, sizeof path, "/api/v1/audit?action=%s&limit=500", action);
    snprintf(obj, sizeof obj, "recording:%lld", id);
    json_t *a = NULL;
    assert_int_equal(send(mgr, "GET", path, NULL, &a), 200);
    size_t i;
    json_t *it;
    int n = 0;
    json_array_foreach (json_object_get(a, "items"), i, it) {
        assert_string_equal(th_jstr(it, "action"), action);
        n += strcmp(th_jstr(it, "object"), obj) == 0;
    }
    json_decref(a);
    return n;
}

static void test_loan_from_request_to_return(void **state)
{
    (void)state;
    long long id = request("lend", "王警官");
    json_t *r = get(op, id);
    /* Contact data masked; the footage's overwrite time is a week ahead. */
    assert_string_equal(th_jstr(r, "requester_id_masked"), "1101**********1234");
    assert_string_equal(th_jstr(r, "phone_masked"), "13*******00");
    assert_null(json_object_get(r, "requester_id"));
    assert_null(json_object_get(r, "phone"));
    assert_false(json_is_true(json_object_get(r, "expired")));
    assert_false(json_is_true(json_object_get(r, "closed")));
    assert_non_null(th_jstr(r, "expires_at"));
    assert_non_null(th_jstr(r, "area"));
    json_decref(r);

    /* Only the manager decides, and reads the contact data (audited). */
    step(op, id, "decide", "{\"approve\":true}", 403, NULL);
    step(sup, id, "decide", "{\"approve\":true}", 403, NULL);
    char path[160];
    snprintf(path, sizeof path, "/api/v1/recordings/%lld/contact", id);
    assert_int_equal(send(op, "GET", path, NULL, NULL), 403);
    json_t *c = NULL;
    assert_int_equal(send(mgr, "GET", path, NULL, &c), 200);
    assert_string_equal(th_jstr(c, "requester_id"), "110101199001011234");
    assert_string_equal(th_jstr(c, "phone"), "13800138000");
    json_decref(c);
    /* Lending before the decision is a conflict. */
    char due[32], body[200];
    iso_in(3 * 86400, due, sizeof due);
    snprintf(body, sizeof body, "{\"medium\":\"usb\",\"copy_ref\":\"U-07\",\"due_back\":\"%s\"}",
             due);
    snprintf(path, sizeof path, "/api/v1/recordings/%lld/lend", id);
    refused(op, path, body, 409, "/problems/conflict", "state");
    step(mgr, id, "decide", "{\"approve\":true,\"note\":\"同意，复制一份\"}", 200, "approved");
    step(mgr, id, "decide", "{\"approve\":true}", 409, NULL);
    /* A viewing is not what was asked for; bad loans write nothing. */
    step(op, id, "view", "{}", 409, NULL);
    refused(op, path,
            "{\"medium\":\"tape\",\"copy_ref\":\"U-07\",\"due_back\":\"2099-01-01T00:00:00Z\"}",
            400, "/problems/validation", "medium");
    refused(op, path,
            "{\"medium\":\"usb\",\"copy_ref\":\"U-07\",\"due_back\":\"2020-01-01T00:00:00Z\"}", 400,
            "/problems/validation", "due_back");
    refused(op, path, "{\"medium\":\"usb\",\"due_back\":\"2099-01-01T00:00:00Z\"}", 400,
            "/problems/validation", "copy_ref");
    r = get(op, id);
    assert_string_equal(th_jstr(r, "state"), "approved");
    json_decref(r);
    assert_false(summary_lists(id));

    step(op, id, "lend", body, 200, "lent");
    r = get(op, id);
    assert_string_equal(th_jstr(r, "medium"), "usb");
    assert_string_equal(th_jstr(r, "copy_ref"), "U-07");
    assert_string_equal(th_jstr(r, "lent_by"), "operator");
    assert_false(json_is_true(json_object_get(r, "overdue")));
    json_decref(r);
    /* Followed until it is returned: in the handover summary meanwhile. */
    assert_true(summary_lists(id));
    assert_int_equal(th_total(D.port, op, "/api/v1/recordings?open=1") >= 1, 1);
    step(op, id, "return", "{\"note\":\"U 盘已收回\"}", 200, "returned");
    step(op, id, "return", "{}", 409, NULL);
    assert_false(summary_lists(id));
    r = get(auditor, id);
    assert_true(json_is_true(json_object_get(r, "closed")));
    assert_string_equal(th_jstr(r, "returned_by"), "operator");
    assert_string_equal(th_jstr(r, "decided_by"), "manager");
    json_decref(r);

    /* Every step in the duty log and the audit trail. */
    assert_int_equal(audited("recording.request", id), 1);
    assert_int_equal(audited("recording.reveal", id), 1);
    assert_int_equal(audited("recording.step", id), 3); /* decided, lent, returned */
    char from[32], to[32];
    iso_in(-600, from, sizeof from);
    iso_in(600, to, sizeof to);
    snprintf(path, sizeof path, "/api/v1/duty-log?from=%s&to=%s&limit=500", from, to);
    json_t *d = NULL;
    assert_int_equal(send(op, "GET", path, NULL, &d), 200);
    char needle[48];
    snprintf(needle, sizeof needle, "recording request #%lld", id);
    size_t i, n = 0;
    json_t *e;
    json_array_foreach (json_object_get(d, "items"), i, e)
        n += strstr(th_jstr(e, "text"), needle) != NULL;
    assert_int_equal(n, 3); /* decided, lent, returned (the request itself says "lend request") */
    json_decref(d);
}

static void test_view_refusal_and_cancel(void **state)
{
    (void)state;
    long long v = request("view", "业主张先生");
    char path[160];
    step(mgr, v, "decide", "{\"approve\":true}", 200, "approved");
    snprintf(path, sizeof path, "/api/v1/recordings/%lld/lend", v);
    refused(op, path,
            "{\"medium\":\"usb\",\"copy_ref\":\"U-1\",\"due_back\":\"2099-01-01T00:00:00Z\"}", 409,
            "/problems/conflict", "state");
    step(op, v, "view", "{\"note\":\"在监控中心陪同查看\"}", 200, "viewed");
    step(op, v, "cancel", "{\"note\":\"x\"}", 409, NULL);

    /* A refusal needs a reason; then it is closed. */
    long long f = request("view", "无关人员");
    snprintf(path, sizeof path, "/api/v1/recordings/%lld/decide", f);
    refused(mgr, path, "{\"approve\":false}", 400, "/problems/validation", "note");
    refused(mgr, path, "{\"approve\":\"yes\"}", 400, "/problems/validation", "approve");
    step(mgr, f, "decide", "{\"approve\":false,\"note\":\"与本人无关\"}", 200, "refused");
    step(op, f, "view", "{}", 409, NULL);

    /* A cancellation needs a reason too. */
    long long k = request("lend", "李女士");
    snprintf(path, sizeof path, "/api/v1/recordings/%lld/cancel", k);
    refused(op, path, "{}", 400, "/problems/validation", "note");
    step(op, k, "cancel", "{\"note\":\"申请人撤回\"}", 200, "cancelled");
    json_t *r = get(op, k);
    assert_true(json_is_true(json_object_get(r, "closed")));
    json_decref(r);

    assert_int_equal(send(op, "GET", "/api/v1/recordings?state=bogus", NULL, NULL), 400);
    json_t *l = NULL;
    assert_int_equal(send(op, "GET", "/api/v1/recordings?state=refused", NULL, &l), 200);
    size_t i;
    json_t *it;
    json_array_foreach (json_object_get(l, "items"), i, it)
        assert_string_equal(th_jstr(it, "state"), "refused");
    json_decref(l);
    assert_int_equal(send(op, "POST", "/api/v1/recordings/999999/view", "{}", NULL), 404);
    assert_int_equal(send(op, "GET", "/api/v1/recordings/999999", NULL, NULL), 404);
}

/* tpl with @F and @T replaced by from and to. */
static void subst(const char *tpl, const char *from, const char *to, char *out, size_t n)
{
    size_t at = 0;
    for (const char *p = tpl; *p && at + 1 < n; p++) {
        const char *v = p[0] == '@' && p[1] == 'F' ? from : p[0] == '@' && p[1] == 'T' ? to : NULL;
        if (v) {
            at += (size_t)snprintf(out + at, n - at, "%s", v);
            p++;
        } else {
            out[at++] = *p;
        }
    }
    out[at < n ? at : n - 1] = '\0';
}

/* A copy the requester keeps for good (police evidence): only the manager closes the loan, with
 * the reason; it leaves the handover's lent-out list and counts. */
static void test_copy_kept_by_the_requester(void **state)
{
    (void)state;
    long long id = request("lend", "刑警队 周警官");
    step(mgr, id, "decide", "{\"approve\":true}", 200, "approved");
    char due[32], body[200], path[160];
    iso_in(-60, due, sizeof due); /* not accepted: in the past */
    snprintf(body, sizeof body, "{\"medium\":\"disc\",\"copy_ref\":\"D-3\",\"due_back\":\"%s\"}",
             due);
    snprintf(path, sizeof path, "/api/v1/recordings/%lld/lend", id);
    refused(op, path, body, 400, "/problems/validation", "due_back");
    iso_in(3, due, sizeof due);
    snprintf(body, sizeof body, "{\"medium\":\"disc\",\"copy_ref\":\"D-3\",\"due_back\":\"%s\"}",
             due);
    step(op, id, "lend", body, 200, "lent");
    /* Overdue three seconds later: counted on the handover. */
    long long t0 = td_now_ms();
    json_t *p = NULL;
    for (;;) {
        assert_int_equal(send(op, "GET", "/api/v1/handovers/preview", NULL, &p), 200);
        json_t *sum = json_object_get(p, "summary") ? json_object_get(p, "summary") : p;
        if (th_jint(sum, "recordings_overdue") >= 1)
            break;
        json_decref(p);
        assert_true(td_now_ms() - t0 < TD_TIMEOUT_MS);
        td_nap(200);
    }
    json_t *sum = json_object_get(p, "summary") ? json_object_get(p, "summary") : p;
    assert_true(th_jint(sum, "recordings_lent") >= 1);
    json_decref(p);
    step(op, id, "keep", "{\"note\":\"x\"}", 403, NULL);
    snprintf(path, sizeof path, "/api/v1/recordings/%lld/keep", id);
    refused(mgr, path, "{}", 400, "/problems/validation", "note");
    step(mgr, id, "keep", "{\"note\":\"作为证据留存，已收回执\"}", 200, "kept");
    step(op, id, "return", "{}", 409, NULL);
    json_t *r = get(op, id);
    assert_true(json_is_true(json_object_get(r, "closed")));
    assert_false(json_is_true(json_object_get(r, "overdue")));
    assert_string_equal(th_jstr(r, "kept_by"), "manager");
    json_decref(r);
    assert_false(summary_lists(id));
}

static void test_overwritten_and_bad_input(void **state)
{
    (void)state;
    long long before = th_total(D.port, op, "/api/v1/recordings");
    char from[32], to[32], body[600];
    /* Nine days ago: kept 7 days, overwritten. */
    iso_in(-9 * 86400, from, sizeof from);
    iso_in(-9 * 86400 + 600, to, sizeof to);
    snprintf(body, sizeof body,
             "{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
             "\"from\":\"%s\",\"to\":\"%s\"}",
             from, to);
    struct th_resp r;
    th_send(D.port, "POST", op, "/api/v1/recordings", body, &r);
    th_assert_problem(&r, 409, "/problems/recording-overwritten");
    assert_non_null(th_jstr(r.json, "oldest_kept"));
    assert_non_null(strstr(th_jstr(r.json, "detail"), "kept 7 days"));
    th_resp_free(&r);

    iso_in(-600, from, sizeof from);
    iso_in(-60, to, sizeof to);
    static const struct {
        const char *tpl, *field;
    } bad[] = {
        {"{\"kind\":\"copy\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
         "\"from\":\"@F\",\"to\":\"@T\"}",
         "kind"},
        {"{\"kind\":\"view\",\"requester_name\":\"\",\"purpose\":\"p\",\"cameras\":\"c\","
         "\"from\":\"@F\",\"to\":\"@T\"}",
         "requester_name"},
        {"{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
         "\"phone\":\"call me\",\"from\":\"@F\",\"to\":\"@T\"}",
         "phone"},
        {"{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
         "\"area_id\":999999,\"from\":\"@F\",\"to\":\"@T\"}",
         "area_id"},
        {"{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
         "\"from\":\"@T\",\"to\":\"@F\"}",
         "to"},
        {"{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
         "\"from\":\"@F\",\"to\":\"2099-01-01T00:00:00Z\"}",
         "to"},
        {"{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
         "\"from\":\"yesterday\",\"to\":\"@T\"}",
         "from"},
        {"{\"kind\":\"view\",\"requester_name\":\"   \",\"purpose\":\"p\",\"cameras\":\"c\","
         "\"from\":\"@F\",\"to\":\"@T\"}",
         "requester_name"},
        {"{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\\nfake "
         "line\",\"cameras\":\"c\","
         "\"from\":\"@F\",\"to\":\"@T\"}",
         "purpose"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        subst(bad[i].tpl, from, to, body, sizeof body);
        refused(op, "/api/v1/recordings", body, 400, "/problems/validation", bad[i].field);
    }
    /* An end ten minutes ahead (within 24 h): only the future check refuses it. */
    char soon[32];
    iso_in(600, soon, sizeof soon);
    subst("{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
          "\"from\":\"@F\",\"to\":\"@T\"}",
          from, soon, body, sizeof body);
    refused(op, "/api/v1/recordings", body, 400, "/problems/validation", "to");
    assert_int_equal(th_total(D.port, op, "/api/v1/recordings"), before);
    /* Who may do what. */
    assert_int_equal(send(guard, "GET", "/api/v1/recordings", NULL, NULL), 403);
    snprintf(body, sizeof body,
             "{\"kind\":\"view\",\"requester_name\":\"a\",\"purpose\":\"p\",\"cameras\":\"c\","
             "\"from\":\"%s\",\"to\":\"%s\"}",
             from, to);
    assert_int_equal(send(auditor, "POST", "/api/v1/recordings", body, NULL), 403);
    assert_int_equal(send(mgr, "POST", "/api/v1/recordings", body, NULL), 403);
    assert_int_equal(send(auditor, "GET", "/api/v1/recordings", NULL, NULL), 200);
}

static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loan_from_request_to_return),
        cmocka_unit_test(test_view_refusal_and_cancel),
        cmocka_unit_test(test_copy_kept_by_the_requester),
        cmocka_unit_test(test_overwritten_and_bad_input),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
