/* test_api_input.c - hostile and broken input: every bad body gets a clear 4xx problem and
 * writes nothing (audit and list totals are compared before and after); SQL metacharacters
 * are stored literally; static paths do not escape web_root; query parameters, routes and
 * methods are checked. */
#include "lib/daemon.h"
#include "lib/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define PW "vigil-demo"
#define TOK 256

static struct td_daemon D;
static char admin[TOK], manager[TOK], engineer[TOK];

static int group_setup(void **state)
{
    (void)state;
    struct td_opts o = {.demo = 1};
    int rc = td_daemon_start(&D, &o);
    if (rc) {
        print_error("vigild did not start: %d (exit %d)\n", rc, D.exit_status);
        return rc;
    }
    /* Tokens are obtained beforehand so the checks below count only what bad input wrote. */
    th_login_ok(D.port, "admin", PW, admin, sizeof admin);
    th_login_ok(D.port, "manager", PW, manager, sizeof manager);
    th_login_ok(D.port, "engineer", PW, engineer, sizeof engineer);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    return 0;
}

/* Totals of everything a bad request could have written to. */
struct snap {
    long long audit, residents, contacts, areas, devices, normal, users;
};

static void snap_take(struct snap *s)
{
    s->audit = th_total(D.port, admin, "/api/v1/audit");
    s->residents = th_total(D.port, admin, "/api/v1/residents");
    s->contacts = th_total(D.port, admin, "/api/v1/contacts");
    s->areas = th_total(D.port, admin, "/api/v1/areas");
    s->devices = th_total(D.port, admin, "/api/v1/devices");
    s->normal = th_total(D.port, admin, "/api/v1/devices?status=normal");
    s->users = th_total(D.port, admin, "/api/v1/users");
}

static void snap_same(const struct snap *before, const char *what)
{
    struct snap now;
    snap_take(&now);
    if (memcmp(&now, before, sizeof now) != 0)
        print_error("%s wrote something: audit %lld->%lld residents %lld->%lld contacts "
                    "%lld->%lld areas %lld->%lld devices %lld->%lld normal %lld->%lld users "
                    "%lld->%lld\n",
                    what, before->audit, now.audit, before->residents, now.residents,
                    before->contacts, now.contacts, before->areas, now.areas, before->devices,
                    now.devices, before->normal, now.normal, before->users, now.users);
    assert_memory_equal(&now, before, sizeof now);
}

struct bad_case {
    const char *what;
    const char *method, *path;
    const char *body;
    size_t len; /* 0: strlen */
    const char *content_type;
    long status;
    const char *type;
    const char *field; /* errors[0].field for validation problems, or NULL */
};

static void run_bad(const struct bad_case *c, const char *token)
{
    struct snap before;
    snap_take(&before);
    struct th_resp r;
    struct th_req rq = {.method = c->method,
                        .path = c->path,
                        .token = token,
                        .body = c->body,
                        .body_len = c->len,
                        .content_type = c->content_type};
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    if (r.status != c->status || strcmp(th_ptype(&r), c->type) != 0)
        print_error("case \"%s\": %s %s gave %ld %s\n", c->what, c->method, c->path, r.status,
                    r.body);
    th_assert_problem(&r, c->status, c->type);
    if (c->field) {
        json_t *e0 = json_array_get(json_object_get(r.json, "errors"), 0);
        assert_non_null(e0);
        assert_string_equal(th_jstr(e0, "field"), c->field);
        assert_non_null(th_jstr(e0, "message"));
    }
    th_resp_free(&r);
    snap_same(&before, c->what);
}

#define RES "/api/v1/residents"
#define OKRES "\"unit\":\"8-801\",\"name\":\"Test\",\"phone\":\"13900008888\""

static void test_bad_json_bodies_write_nothing(void **state)
{
    (void)state;
    static const char bad_utf8[] = "{\"unit\":\"8-801\",\"name\":\"T\xff\xfe\xc3\",\"phone\":"
                                   "\"13900008888\"}";
    static const char nul_inside[] = "{\"unit\":\"8-801\",\"name\":\"a\\u0000b\",\"phone\":"
                                     "\"13900008888\"}";
    static const char raw_nul[] = "{\"unit\":\"8-801\",\"name\":\"a\0b\",\"phone\":\"139\"}";
    const struct bad_case cases[] = {
        {"malformed", "POST", RES, "{unit: 8-801}", 0, NULL, 400, "/problems/malformed-json", NULL},
        {"truncated", "POST", RES, "{\"unit\":\"8-801\",\"name\":\"Te", 0, NULL, 400,
         "/problems/malformed-json", NULL},
        {"empty body", "POST", RES, "", 0, NULL, 400, "/problems/malformed-json", NULL},
        {"trailing garbage", "POST", RES, "{" OKRES "} x", 0, NULL, 400, "/problems/malformed-json",
         NULL},
        {"duplicate key", "POST", RES, "{" OKRES ",\"unit\":\"1-101\"}", 0, NULL, 400,
         "/problems/malformed-json", NULL},
        {"invalid UTF-8", "POST", RES, bad_utf8, 0, NULL, 400, "/problems/malformed-json", NULL},
        {"raw NUL byte", "POST", RES, raw_nul, sizeof raw_nul - 1, NULL, 400,
         "/problems/malformed-json", NULL},
        {"huge integer", "POST", "/api/v1/devices",
         "{\"area_id\":123456789012345678901234567890,\"kind\":\"camera\",\"name\":\"x\"}", 0, NULL,
         400, "/problems/malformed-json", NULL},
        {"lone surrogate", "POST", RES,
         "{\"unit\":\"8-801\",\"name\":\"\\ud800\",\"phone\":\"13900008888\"}", 0, NULL, 400,
         "/problems/malformed-json", NULL},
        {"JSON array", "POST", RES, "[{" OKRES "}]", 0, NULL, 400, "/problems/validation", NULL},
        {"JSON string", "POST", RES, "\"hello\"", 0, NULL, 400, "/problems/validation", NULL},
        {"wrong type", "POST", RES, "{\"unit\":801,\"name\":\"Test\",\"phone\":\"13900008888\"}", 0,
         NULL, 400, "/problems/validation", "unit"},
        {"object for a string", "POST", RES,
         "{\"unit\":\"8-801\",\"name\":{\"x\":1},\"phone\":\"13900008888\"}", 0, NULL, 400,
         "/problems/validation", "name"},
        {"unknown field", "POST", RES, "{" OKRES ",\"is_admin\":true}", 0, NULL, 400,
         "/problems/validation", "is_admin"},
        {"missing field", "POST", RES, "{\"unit\":\"8-801\",\"name\":\"Test\"}", 0, NULL, 400,
         "/problems/validation", "phone"},
        {"null for a required field", "POST", RES,
         "{\"unit\":null,\"name\":\"Test\",\"phone\":\"13900008888\"}", 0, NULL, 400,
         "/problems/validation", "unit"},
        {"too long", "POST", RES,
         "{\"unit\":\"8-801\",\"name\":\"" /* 65 bytes: one over the limit */
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "\",\"phone\":\"13900008888\"}",
         0, NULL, 400, "/problems/validation", "name"},
        {"bad phone", "POST", RES, "{\"unit\":\"8-801\",\"name\":\"Test\",\"phone\":\"call me\"}",
         0, NULL, 400, "/problems/validation", "phone"},
        {"text/plain", "POST", RES, "{" OKRES "}", 0, "text/plain", 415,
         "/problems/unsupported-media-type", NULL},
        {"form encoding", "POST", RES, "{" OKRES "}", 0, "application/x-www-form-urlencoded", 415,
         "/problems/unsupported-media-type", NULL},
        {"no content type", "POST", RES, "{" OKRES "}", 0, "", 415,
         "/problems/unsupported-media-type", NULL},
        {"json look-alike type", "POST", RES, "{" OKRES "}", 0, "application/jsonp", 415,
         "/problems/unsupported-media-type", NULL},
        {"device status wrong type", "PATCH", "/api/v1/devices/1", "{\"status\":1}", 0, NULL, 400,
         "/problems/validation", "status"},
        {"device status unknown", "PATCH", "/api/v1/devices/1", "{\"status\":\"exploded\"}", 0,
         NULL, 400, "/problems/validation", "status"},
        {"device status extra field", "PATCH", "/api/v1/devices/1",
         "{\"status\":\"fault\",\"name\":\"x\"}", 0, NULL, 400, "/problems/validation", "name"},
        {"area without name", "POST", "/api/v1/areas", "{\"kind\":\"public\"}", 0, NULL, 400,
         "/problems/validation", "name"},
        {"user bool for string", "POST", "/api/v1/users",
         "{\"username\":true,\"display_name\":\"x\",\"role\":\"guard\",\"password\":"
         "\"long-enough-pw\"}",
         0, NULL, 400, "/problems/validation", "username"},
        {"user unknown role", "POST", "/api/v1/users",
         "{\"username\":\"zed\",\"display_name\":\"x\",\"role\":\"root\",\"password\":"
         "\"long-enough-pw\"}",
         0, NULL, 400, "/problems/validation", "role"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_bad(&cases[i], strncmp(cases[i].path, RES, strlen(RES)) == 0 ? manager : admin);

    /* "\u0000" is valid JSON but no field may hold a NUL: a 400 either way. */
    struct snap before;
    snap_take(&before);
    struct th_resp r;
    th_send(D.port, "POST", manager, RES, nul_inside, &r);
    assert_int_equal(r.status, 400);
    assert_true(strcmp(th_ptype(&r), "/problems/malformed-json") == 0 ||
                strcmp(th_ptype(&r), "/problems/validation") == 0);
    th_resp_free(&r);
    snap_same(&before, "\\u0000");
}

static void test_oversized_body_is_413(void **state)
{
    (void)state;
    /* Valid JSON of 70 KiB, over the 64 KiB default limit. */
    size_t n = 70 * 1024;
    char *body = malloc(n + 1);
    assert_non_null(body);
    int head = snprintf(body, n, "{" OKRES ",\"note\":\"");
    memset(body + head, 'x', n - (size_t)head - 2);
    memcpy(body + n - 2, "\"}", 3);
    const struct bad_case cases[] = {
        {"oversized resident", "POST", RES, body, n, NULL, 413, "/problems/payload-too-large",
         NULL},
        {"oversized login", "POST", "/api/v1/session", body, n, NULL, 413,
         "/problems/payload-too-large", NULL},
        {"oversized static POST", "POST", "/index.html", body, n, NULL, 413,
         "/problems/payload-too-large", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_bad(&cases[i], manager);

    /* Exactly at the limit the body is read and judged on its content (the note is far over
     * its 500 bytes); one byte more is refused unread. */
    n = 64 * 1024;
    memset(body + head, 'x', n - (size_t)head - 2);
    memcpy(body + n - 2, "\"}", 3);
    const struct bad_case edge[] = {
        {"64 KiB exactly", "POST", RES, body, n, NULL, 400, "/problems/validation", "note"},
        {"64 KiB + 1", "POST", RES, body, n + 1, NULL, 413, "/problems/payload-too-large", NULL},
    };
    memcpy(body + n - 2, "x\"}", 4);
    run_bad(&edge[1], manager);
    memcpy(body + n - 2, "\"}", 3);
    run_bad(&edge[0], manager);
    free(body);
    /* The connection-level state is per request: a normal request right after works. */
    struct th_resp r;
    th_get(D.port, manager, "/api/v1/me", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
}

static void test_login_rejects_bad_bodies(void **state)
{
    (void)state;
    const struct bad_case cases[] = {
        {"login malformed", "POST", "/api/v1/session", "{\"username\":\"admin\",", 0, NULL, 400,
         "/problems/malformed-json", NULL},
        {"login invalid UTF-8", "POST", "/api/v1/session",
         "{\"username\":\"adm\xc0\xafin\",\"password\":\"" PW "\"}", 0, NULL, 400,
         "/problems/malformed-json", NULL},
        {"login array", "POST", "/api/v1/session", "[\"admin\",\"" PW "\"]", 0, NULL, 400,
         "/problems/validation", NULL},
        {"login number password", "POST", "/api/v1/session",
         "{\"username\":\"admin\",\"password\":12345678}", 0, NULL, 400, "/problems/validation",
         "password"},
        {"login extra field", "POST", "/api/v1/session",
         "{\"username\":\"admin\",\"password\":\"" PW "\",\"role\":\"admin\"}", 0, NULL, 400,
         "/problems/validation", "role"},
        {"login form", "POST", "/api/v1/session", "username=admin&password=" PW, 0,
         "application/x-www-form-urlencoded", 415, "/problems/unsupported-media-type", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_bad(&cases[i], NULL);
}

static const char *const SQL1 = "'; DROP TABLE user; --";
static const char *const SQL2 = "\" OR 1=1 -- %_";
static const char *const SQL3 = "Robert'); DROP TABLE resident;-- \" OR \"\"=\" \\ %_ ' OR '1'='1";

static void test_sql_metacharacters_are_stored_literally(void **state)
{
    (void)state;
    long long users = th_total(D.port, admin, "/api/v1/users");
    /* Residents (by the manager, who may also reveal them). Phones admit only digits, spaces,
     * '+' and '-', so they carry the comment marker "--". */
    json_t *in = json_pack("{ss ss ss ss ss}", "unit", SQL1, "name", SQL2, "phone",
                           "+86 138--0013 8000", "phone2", "139 -- 0 -- 1", "note", SQL3);
    char *body = json_dumps(in, JSON_COMPACT);
    struct th_resp r;
    th_send(D.port, "POST", manager, RES, body, &r);
    free(body);
    assert_int_equal(r.status, 201);
    long long rid = th_jint(r.json, "id");
    assert_true(rid > 0);
    assert_true(json_is_true(json_object_get(r.json, "masked")));
    th_resp_free(&r);

    char path[128];
    snprintf(path, sizeof path, RES "/%lld?reveal=1", rid);
    th_get(D.port, manager, path, &r);
    assert_int_equal(r.status, 200);
    const char *keys[] = {"unit", "name", "phone", "phone2", "note"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(th_jstr(r.json, keys[i]), th_jstr(in, keys[i]));
    th_resp_free(&r);
    json_decref(in);
    /* The search treats '%' and '_' as plain characters, and a quote as a quote. */
    assert_int_equal(th_total(D.port, manager, RES "?q=%25_"), 1);
    assert_int_equal(th_total(D.port, manager, RES "?q=%27%3B%20DROP"), 1);
    assert_int_equal(th_total(D.port, manager, RES "?q=%27%20OR%20%271%27%3D%271"), 0);

    /* Contacts (by the admin); the list shows them unmasked. */
    in = json_pack("{ss ss ss ss ss}", "scope", "internal", "role", "other", "name", SQL1, "phone",
                   "+1 --- 555", "note", SQL3);
    body = json_dumps(in, JSON_COMPACT);
    th_send(D.port, "POST", admin, "/api/v1/contacts", body, &r);
    free(body);
    assert_int_equal(r.status, 201);
    long long cid = th_jint(r.json, "id");
    th_resp_free(&r);
    th_get(D.port, admin, "/api/v1/contacts?scope=internal&limit=500", &r);
    assert_int_equal(r.status, 200);
    json_t *found = NULL, *row;
    size_t i;
    json_array_foreach (json_object_get(r.json, "items"), i, row)
        if (th_jint(row, "id") == cid)
            found = row;
    assert_non_null(found);
    for (size_t k = 0; k < 5; k++) {
        const char *ck[] = {"scope", "role", "name", "phone", "note"};
        assert_string_equal(th_jstr(found, ck[k]), th_jstr(in, ck[k]));
    }
    th_resp_free(&r);
    json_decref(in);

    /* Metacharacters in enum fields are refused, not interpreted. */
    const struct bad_case c = {"enum injection",
                               "POST",
                               "/api/v1/contacts",
                               "{\"scope\":\"internal' OR '1'='1\",\"role\":\"other\",\"name\":"
                               "\"x\",\"phone\":\"110\"}",
                               0,
                               NULL,
                               400,
                               "/problems/validation",
                               "scope"};
    run_bad(&c, admin);

    /* Every table is still there and intact. */
    assert_int_equal(th_total(D.port, admin, "/api/v1/users"), users);
    assert_true(th_total(D.port, admin, RES) > 0);
    assert_true(th_total(D.port, admin, "/api/v1/contacts") > 0);
    char tok[TOK];
    th_login_ok(D.port, "operator", PW, tok, sizeof tok);
    th_get(D.port, admin, "/api/v1/audit/verify", &r);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    th_resp_free(&r);
}

static void test_static_paths_do_not_escape(void **state)
{
    (void)state;
    struct th_resp r;
    /* The console itself is served, so the 404s below are not for want of a web root. */
    th_get(D.port, NULL, "/", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<html"));
    th_resp_free(&r);
    static const char *const paths[] = {
        "/../etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/.git/config",
        "/../.git/config",
        "/%2e%2e/.git/config",
        "/js/../../.git/config",
        "/js/%2e%2e/%2e%2e/.git/config",
        "/..\\..\\etc\\passwd",
        "//etc/passwd",
        "/./index.html",
        "/index.html/../../.git/config",
        "/no-such-file.html",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct th_req rq = {.path = paths[i], .path_as_is = 1};
        assert_int_equal(th_request(D.port, &rq, &r), 0);
        if (r.status != 404)
            print_error("%s gave %ld\n", paths[i], r.status);
        assert_int_equal(r.status, 404);
        assert_null(strstr(r.body, "root:"));
        assert_null(strstr(r.body, "[core]"));
        assert_null(strstr(r.body, "repositoryformatversion"));
        th_resp_free(&r);
    }
}

static void test_bad_query_parameters(void **state)
{
    (void)state;
    static const struct {
        const char *path, *field;
    } cases[] = {
        {"/api/v1/areas?limit=0", "limit"},
        {"/api/v1/areas?limit=abc", "limit"},
        {"/api/v1/areas?limit=501", "limit"},
        {"/api/v1/areas?limit=-5", "limit"},
        {"/api/v1/areas?limit=", "limit"},
        {"/api/v1/areas?limit=99999999999999999999999", "limit"},
        {"/api/v1/areas?offset=-1", "offset"},
        {"/api/v1/areas?offset=1e3", "offset"},
        {"/api/v1/areas?kind=nonsense", "kind"},
        {"/api/v1/areas?parent_id=0", "parent_id"},
        {"/api/v1/devices?kind=nonsense", "kind"},
        {"/api/v1/devices?status=exploded", "status"},
        {"/api/v1/devices?area_id=abc", "area_id"},
        {"/api/v1/contacts?scope=everyone", "scope"},
        {"/api/v1/users?limit=0", "limit"},
        {"/api/v1/audit?offset=-1", "offset"},
        {"/api/v1/residents?limit=abc", "limit"},
        {"/api/v1/residents?q=0123456789012345678901234567890123456789012345678901234567890123"
         "4",
         "q"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct th_resp r;
        th_get(D.port, admin, cases[i].path, &r);
        if (r.status != 400)
            print_error("%s gave %ld %s\n", cases[i].path, r.status, r.body);
        th_assert_problem(&r, 400, "/problems/bad-query");
        json_t *e0 = json_array_get(json_object_get(r.json, "errors"), 0);
        assert_string_equal(th_jstr(e0, "field"), cases[i].field);
        th_resp_free(&r);
    }
    /* The boundaries themselves are fine, and a charset parameter on the type is accepted. */
    struct th_resp r;
    struct th_req rq = {.method = "POST",
                        .path = "/api/v1/contacts",
                        .token = admin,
                        .content_type = "application/json; charset=utf-8",
                        .body = "{\"scope\":\"external\",\"role\":\"fire\",\"name\":\"Station "
                                "2\",\"phone\":\"119\"}"};
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    assert_int_equal(r.status, 201);
    th_resp_free(&r);
    assert_true(th_total(D.port, admin, "/api/v1/areas?limit=1&offset=0") > 0);
    assert_true(th_total(D.port, admin, "/api/v1/areas?limit=500") > 0);
}

static void test_unknown_routes_and_methods(void **state)
{
    (void)state;
    static const struct {
        const char *method, *path, *body;
        long status;
        const char *type;
    } cases[] = {
        {"GET", "/api/v1/nope", NULL, 404, "/problems/not-found"},
        {"GET", "/api/v2/site", NULL, 404, "/problems/not-found"},
        {"GET", "/api/v1/site/", NULL, 404, "/problems/not-found"},
        {"GET", "/api/v1/residents/abc", NULL, 404, "/problems/not-found"},
        {"GET", "/api/v1/residents/0", NULL, 404, "/problems/not-found"},
        {"GET", "/api/v1/residents/999999", NULL, 404, "/problems/not-found"},
        {"PATCH", "/api/v1/devices/999999", "{\"status\":\"fault\"}", 404, "/problems/not-found"},
        {"PATCH", "/api/v1/users/999999", "{\"disabled\":true}", 404, "/problems/not-found"},
        {"DELETE", "/api/v1/site", NULL, 405, "/problems/method-not-allowed"},
        {"PUT", "/api/v1/areas", "{}", 405, "/problems/method-not-allowed"},
        {"DELETE", "/api/v1/devices/1", NULL, 405, "/problems/method-not-allowed"},
        {"POST", "/healthz", "{}", 405, "/problems/method-not-allowed"},
        {"POST", "/index.html", "{}", 405, "/problems/method-not-allowed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct snap before;
        snap_take(&before);
        struct th_resp r;
        th_send(D.port, cases[i].method, admin, cases[i].path, cases[i].body, &r);
        if (r.status != cases[i].status)
            print_error("%s %s gave %ld %s\n", cases[i].method, cases[i].path, r.status, r.body);
        th_assert_problem(&r, cases[i].status, cases[i].type);
        th_resp_free(&r);
        snap_same(&before, cases[i].path);
    }
}

static void test_overlong_path_is_400(void **state)
{
    (void)state;
    char path[3100] = "/api/v1/areas/";
    size_t n = strlen(path);
    memset(path + n, 'a', sizeof path - n - 1);
    path[sizeof path - 1] = '\0';
    struct th_resp r;
    th_get(D.port, admin, path, &r);
    th_assert_problem(&r, 400, "/problems/bad-path");
    th_resp_free(&r);
    /* The limit is on the path; static paths have it too. */
    memcpy(path, "/js/aaaaaaaaaa", 14);
    th_get(D.port, NULL, path, &r);
    th_assert_problem(&r, 400, "/problems/bad-path");
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
        cmocka_unit_test(test_bad_json_bodies_write_nothing),
        cmocka_unit_test(test_oversized_body_is_413),
        cmocka_unit_test(test_login_rejects_bad_bodies),
        cmocka_unit_test(test_sql_metacharacters_are_stored_literally),
        cmocka_unit_test(test_static_paths_do_not_escape),
        cmocka_unit_test(test_bad_query_parameters),
        cmocka_unit_test(test_unknown_routes_and_methods),
        cmocka_unit_test(test_overlong_path_is_400),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
