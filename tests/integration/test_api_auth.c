/* test_api_auth.c - sign-in, sessions (cookie and bearer), sign-out, 401 versus 403, login
 * lockout and localised problem titles, against a real vigild with the demo community. */
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

static int group_setup(void **state)
{
    (void)state;
    struct td_opts o = {.demo = 1};
    int rc = td_daemon_start(&D, &o);
    if (rc)
        print_error("vigild did not start: %d (exit %d)\n", rc, D.exit_status);
    return rc;
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    return 0;
}

static int has_string(const json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach (arr, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return 1;
    return 0;
}

static void test_login_returns_token_user_and_cookie(void **state)
{
    (void)state;
    struct th_resp r;
    th_send(D.port, "POST", NULL, "/api/v1/session",
            "{\"username\":\"admin\",\"password\":\"" PW "\"}", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_header(&r, "Content-Type"), "application/json");
    const char *token = th_jstr(r.json, "token");
    assert_non_null(token);
    assert_true(strncmp(token, "vs_", 3) == 0 && strlen(token) > 20);
    assert_true(th_jint(r.json, "expires_in") > 0);
    json_t *user = json_object_get(r.json, "user");
    assert_string_equal(th_jstr(user, "username"), "admin");
    assert_string_equal(th_jstr(user, "role"), "admin");
    json_t *perms = json_object_get(user, "permissions");
    assert_true(json_is_array(perms));
    assert_true(has_string(perms, "user.write"));
    assert_true(has_string(perms, "site.read"));
    assert_false(has_string(perms, "resident.pii")); /* the admin has no need to know */

    const char *ck = th_header(&r, "Set-Cookie");
    assert_non_null(ck);
    char want[TOK + 32];
    snprintf(want, sizeof want, "vigil_session=%s;", token);
    assert_true(strncmp(ck, want, strlen(want)) == 0);
    assert_non_null(strstr(ck, "; HttpOnly"));
    assert_non_null(strstr(ck, "; SameSite=Strict"));
    assert_non_null(strstr(ck, "; Path=/"));
    th_resp_free(&r);
}

static void test_cookie_authenticates(void **state)
{
    (void)state;
    char tok[TOK], cookie[TOK + 32];
    th_login_ok(D.port, "operator", PW, tok, sizeof tok);
    snprintf(cookie, sizeof cookie, "vigil_session=%s", tok);
    struct th_resp r;
    struct th_req rq = {.path = "/api/v1/me", .cookie = cookie};
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    assert_int_equal(r.status, 200);
    json_t *user = json_object_get(r.json, "user");
    assert_string_equal(th_jstr(user, "username"), "operator");
    assert_true(json_is_array(json_object_get(user, "permissions")));
    assert_non_null(json_object_get(r.json, "site"));
    th_resp_free(&r);

    /* A cookie with another name is no session. */
    snprintf(cookie, sizeof cookie, "other_session=%s", tok);
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
}

static void test_bearer_authenticates(void **state)
{
    (void)state;
    char tok[TOK];
    th_login_ok(D.port, "engineer", PW, tok, sizeof tok);
    struct th_resp r;
    th_get(D.port, tok, "/api/v1/me", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_jstr(json_object_get(r.json, "user"), "username"), "engineer");
    assert_string_equal(th_jstr(json_object_get(r.json, "user"), "role"), "engineer");
    th_resp_free(&r);
    th_get(D.port, tok, "/api/v1/site", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
}

static void test_logout_ends_the_session(void **state)
{
    (void)state;
    char tok[TOK], cookie[TOK + 32];
    th_login_ok(D.port, "shift_leader", PW, tok, sizeof tok);
    snprintf(cookie, sizeof cookie, "vigil_session=%s", tok);
    struct th_resp r;
    th_get(D.port, tok, "/api/v1/me", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);

    th_send(D.port, "DELETE", tok, "/api/v1/session", NULL, &r);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);
    const char *ck = th_header(&r, "Set-Cookie");
    assert_non_null(ck);
    assert_true(strncmp(ck, "vigil_session=;", 15) == 0);
    assert_non_null(strstr(ck, "Max-Age=0"));
    th_resp_free(&r);

    th_get(D.port, tok, "/api/v1/me", &r);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
    struct th_req rq = {.path = "/api/v1/me", .cookie = cookie};
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
    /* Signing out twice is no longer possible either. */
    th_send(D.port, "DELETE", tok, "/api/v1/session", NULL, &r);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
}

static void test_bad_credentials_look_identical(void **state)
{
    (void)state;
    struct th_resp wrong, unknown;
    th_send(D.port, "POST", NULL, "/api/v1/session",
            "{\"username\":\"supervisor\",\"password\":\"not-the-password\"}", &wrong);
    th_send(D.port, "POST", NULL, "/api/v1/session",
            "{\"username\":\"nosuchuser\",\"password\":\"not-the-password\"}", &unknown);
    th_assert_problem(&wrong, 401, "/problems/invalid-credentials");
    th_assert_problem(&unknown, 401, "/problems/invalid-credentials");
    assert_int_equal(wrong.len, unknown.len);
    assert_memory_equal(wrong.body, unknown.body, wrong.len);
    assert_null(th_header(&wrong, "Set-Cookie"));
    assert_null(th_header(&unknown, "Set-Cookie"));
    th_resp_free(&wrong);
    th_resp_free(&unknown);
    /* The right password still works (one failure is far from the lockout). */
    char tok[TOK];
    th_login_ok(D.port, "supervisor", PW, tok, sizeof tok);
}

static void expect_401(const char *token, const char *path)
{
    struct th_resp r;
    th_get(D.port, token, path, &r);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
}

static void test_401_and_403_are_distinct(void **state)
{
    (void)state;
    char forged[48] = "vs_";
    memset(forged + 3, 'A', 43);
    forged[46] = '\0';
    expect_401(NULL, "/api/v1/site");
    expect_401(forged, "/api/v1/site");
    expect_401("garbage", "/api/v1/site");
    expect_401("vk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/api/v1/site");
    expect_401("", "/api/v1/me");
    expect_401(forged, "/api/v1/users");
    struct th_resp r;
    struct th_req rq = {.path = "/api/v1/me", .cookie = "vigil_session=vs_forged"};
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);

    char op[TOK], guard[TOK], admin[TOK], mgr[TOK];
    th_login_ok(D.port, "operator", PW, op, sizeof op);
    th_login_ok(D.port, "guard", PW, guard, sizeof guard);
    th_login_ok(D.port, "admin", PW, admin, sizeof admin);
    th_login_ok(D.port, "manager", PW, mgr, sizeof mgr);
    long long residents = th_total(D.port, mgr, "/api/v1/residents");
    long long audit = th_total(D.port, admin, "/api/v1/audit");

    th_get(D.port, op, "/api/v1/users", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    th_send(D.port, "POST", guard, "/api/v1/residents",
            "{\"unit\":\"9-901\",\"name\":\"Guard Test\",\"phone\":\"13900009999\"}", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    th_get(D.port, admin, "/api/v1/residents/1?reveal=1", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    /* The same routes answer 401, not 403, without a session. */
    expect_401(NULL, "/api/v1/users");
    expect_401(NULL, "/api/v1/residents/1?reveal=1");

    /* Refusals change nothing. */
    assert_int_equal(th_total(D.port, mgr, "/api/v1/residents"), residents);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit);
    /* And the sessions that were refused still work for what their roles allow. */
    th_get(D.port, op, "/api/v1/residents/1", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
}

static void test_titles_follow_accept_language(void **state)
{
    (void)state;
    static const struct {
        const char *lang;
        const char *title;
    } cases[] = {
        {NULL, "请先登录"},
        {"zh-CN,zh;q=0.9", "请先登录"},
        {"en", "Please sign in"},
        {"en-US,en;q=0.9", "Please sign in"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct th_resp r;
        struct th_req rq = {.path = "/api/v1/site", .accept_language = cases[i].lang};
        assert_int_equal(th_request(D.port, &rq, &r), 0);
        th_assert_problem(&r, 401, "/problems/unauthenticated");
        assert_string_equal(th_jstr(r.json, "title"), cases[i].title);
        th_resp_free(&r);
    }
    char op[TOK];
    th_login_ok(D.port, "operator", PW, op, sizeof op);
    struct th_resp r;
    struct th_req rq = {.path = "/api/v1/users", .token = op, .accept_language = "en"};
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    th_assert_problem(&r, 403, "/problems/forbidden");
    assert_string_equal(th_jstr(r.json, "title"), "Your role is not allowed to do this");
    th_resp_free(&r);
    rq.accept_language = NULL;
    assert_int_equal(th_request(D.port, &rq, &r), 0);
    th_assert_problem(&r, 403, "/problems/forbidden");
    assert_string_equal(th_jstr(r.json, "title"), "当前角色无权执行此操作");
    th_resp_free(&r);
}

static void test_lockout_after_repeated_failures(void **state)
{
    (void)state;
    struct td_daemon L = {0};
    struct td_opts o = {.demo = 1,
                        .config_extra = "login.max_failures = 3\nlogin.lockout_base = 30\n"};
    assert_int_equal(td_daemon_start(&L, &o), 0);
    struct th_resp r;
    const char *bad = "{\"username\":\"guard\",\"password\":\"wrong-password\"}";
    for (int i = 1; i <= 2; i++) {
        th_send(L.port, "POST", NULL, "/api/v1/session", bad, &r);
        th_assert_problem(&r, 401, "/problems/invalid-credentials");
        assert_null(th_header(&r, "Retry-After"));
        th_resp_free(&r);
    }
    /* The third failure reaches login.max_failures: it starts the lockout and says so. */
    th_send(L.port, "POST", NULL, "/api/v1/session", bad, &r);
    th_assert_problem(&r, 429, "/problems/locked-out");
    assert_non_null(th_header(&r, "Retry-After"));
    th_resp_free(&r);
    /* The fourth attempt is refused even with the right password. */
    struct th_req rq = {.method = "POST",
                        .path = "/api/v1/session",
                        .accept_language = "en",
                        .body = "{\"username\":\"guard\",\"password\":\"" PW "\"}"};
    assert_int_equal(th_request(L.port, &rq, &r), 0);
    th_assert_problem(&r, 429, "/problems/locked-out");
    assert_string_equal(th_jstr(r.json, "title"), "Too many failed sign-ins; try again later");
    const char *ra = th_header(&r, "Retry-After");
    assert_non_null(ra);
    long secs = strtol(ra, NULL, 10);
    assert_true(secs >= 1 && secs <= 30);
    assert_null(th_header(&r, "Set-Cookie"));
    assert_null(th_jstr(r.json, "token"));
    th_resp_free(&r);
    /* The lockout is per username: others still sign in. */
    char tok[TOK];
    th_login_ok(L.port, "operator", PW, tok, sizeof tok);
    td_daemon_stop_ok(&L);
    td_daemon_cleanup(&L);
}

/* Last: the shared daemon stops on SIGTERM with exit status 0 and a clean stderr. */
static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_returns_token_user_and_cookie),
        cmocka_unit_test(test_cookie_authenticates),
        cmocka_unit_test(test_bearer_authenticates),
        cmocka_unit_test(test_logout_ends_the_session),
        cmocka_unit_test(test_bad_credentials_look_identical),
        cmocka_unit_test(test_401_and_403_are_distinct),
        cmocka_unit_test(test_titles_follow_accept_language),
        cmocka_unit_test(test_lockout_after_repeated_failures),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
