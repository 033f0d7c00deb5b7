/* test_auth.c - login, lockout, sessions, API keys, and the S5 rules for residents' personal
 * data (app/auth, app/users, app/site over a temp store). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/audit.h"
#include "app/auth.h"
#include "app/demo.h"
#include "app/site.h"
#include "core/clock.h"
#include "lib/assert_ext.h"
#include "lib/testenv.h"
#include "store/store_auth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"

/* ---- helpers ---- */

static int64_t create_user(struct testenv *e, const char *username, const char *role)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    json_t *in = json_pack("{ss ss ss ss}", "username", username, "display_name", username, "role",
                           role, "password", PW);
    json_t *out = NULL;
    struct app_err err = {0};
    int rc = app_user_create(&e->app, &sys, in, &out, &err);
    json_decref(in);
    if (rc)
        fail_msg("app_user_create %s: %d %s %s", username, rc, err.field, err.message);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    assert_true(id > 0);
    return id;
}

static int login(struct testenv *e, const char *username, const char *password, char *token,
                 struct app_err *err)
{
    json_t *user = NULL;
    memset(err, 0, sizeof *err);
    int rc = app_login(&e->app, username, password, token, &user, err);
    if (rc == 0)
        assert_non_null(user);
    else
        assert_null(user);
    json_decref(user);
    return rc;
}

/* Creates a user of role, signs in and resolves the token: a real actor of that role. */
static void actor_of_role(struct testenv *e, const char *username, const char *role,
                          struct actor *out)
{
    create_user(e, username, role);
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    assert_int_equal(login(e, username, PW, token, &err), 0);
    assert_int_equal(app_authenticate(&e->app, token, out), 0);
}

static int64_t count_audit(struct testenv *e, const char *action)
{
    int64_t n = -1;
    struct store_conn *c = store_read_begin(e->st);
    int rc = action
                 ? store_q_int(c, &n, "SELECT count(*) FROM audit WHERE action = ?1", "s", action)
                 : store_q_int(c, &n, "SELECT count(*) FROM audit", "");
    store_read_end(e->st, c);
    assert_int_equal(rc, 0);
    return n;
}

static void set_disabled(struct testenv *e, int64_t id, int disabled)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    json_t *in = json_pack("{sb}", "disabled", disabled);
    json_t *out = NULL;
    struct app_err err = {0};
    assert_int_equal(app_user_update(&e->app, &sys, id, in, &out, &err), 0);
    assert_int_equal(json_is_true(json_object_get(out, "disabled")), disabled);
    json_decref(in);
    json_decref(out);
}

static int json_has_string(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach (arr, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return 1;
    return 0;
}

/* ---- init and login ---- */

static void test_app_init(void **state)
{
    struct testenv *e = *state;
    /* The dummy hash for unknown users is made at the configured cost. */
    assert_non_null(e->app.dummy_hash);
    assert_contains(e->app.dummy_hash, "$argon2id$");
    assert_contains(e->app.dummy_hash, "m=8192,t=1");
    assert_ptr_equal(e->app.st, e->st);
    assert_ptr_equal(e->app.conf, &e->conf);
    char *h = NULL;
    assert_int_equal(auth_password_hash(&e->conf, PW, &h), 0);
    assert_true(auth_password_verify(h, PW));
    assert_false(auth_password_verify(h, PW "x"));
    free(h);
}

static void test_login_success(void **state)
{
    struct testenv *e = *state;
    int64_t id = create_user(e, "alice", "operator");
    char token[AUTH_TOKEN_MAX] = "", token2[AUTH_TOKEN_MAX] = "";
    json_t *user = NULL;
    struct app_err err = {0};
    assert_int_equal(app_login(&e->app, "alice", PW, token, &user, &err), 0);
    assert_int_equal(strncmp(token, "vs_", 3), 0);
    assert_true(strlen(token) >= 3 + 43); /* 256 random bits */
    assert_int_equal(json_integer_value(json_object_get(user, "id")), id);
    assert_string_equal(json_string_value(json_object_get(user, "username")), "alice");
    assert_string_equal(json_string_value(json_object_get(user, "role")), "operator");
    assert_true(json_is_false(json_object_get(user, "disabled")));
    json_t *perms = json_object_get(user, "permissions");
    json_t *want = perm_mask_json(role_perms("operator"));
    assert_true(json_equal(perms, want));
    json_decref(want);
    assert_true(json_has_string(perms, "resident.read"));
    assert_false(json_has_string(perms, "resident.pii"));
    assert_null(json_object_get(user, "pw_hash"));
    json_decref(user);

    /* The token resolves to the user. */
    struct actor a;
    assert_int_equal(app_authenticate(&e->app, token, &a), 0);
    assert_int_equal(a.user_id, id);
    assert_string_equal(a.name, "alice");
    assert_string_equal(a.role, "operator");
    assert_int_equal(a.perms, role_perms("operator"));
    assert_false(a.is_apikey);

    /* Every login is a new session with a new token, and is audited. */
    assert_int_equal(login(e, "alice", PW, token2, &err), 0);
    assert_string_not_equal(token, token2);
    assert_int_equal(count_audit(e, "auth.login"), 2);
    assert_int_equal(count_audit(e, "auth.login_failed"), 0);
}

static void test_login_rejected(void **state)
{
    struct testenv *e = *state;
    create_user(e, "alice", "operator");
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    memset(token, 'Z', sizeof token);
    assert_int_equal(login(e, "alice", PW "!", token, &err), -EKEYREJECTED);
    assert_int_equal(token[0], 'Z'); /* no token on failure */
    assert_int_equal(login(e, "alice", "", token, &err), -EKEYREJECTED);
    assert_int_equal(login(e, "mallory", PW, token, &err), -EKEYREJECTED);
    assert_int_equal(login(e, "", PW, token, &err), -EKEYREJECTED);
    char longpw[2000];
    memset(longpw, 'p', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\0';
    assert_int_equal(login(e, "alice", longpw, token, &err), -EKEYREJECTED);
    /* Failures against real and unknown names are audited alike. */
    assert_int_equal(count_audit(e, "auth.login_failed"), 3);
    assert_int_equal(count_audit(e, "auth.login"), 0);
    /* The right password still works (below the lockout threshold). */
    assert_int_equal(login(e, "alice", PW, token, &err), 0);
}

static void test_login_disabled(void **state)
{
    struct testenv *e = *state;
    int64_t id = create_user(e, "bob", "guard");
    set_disabled(e, id, 1);
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    assert_int_equal(login(e, "bob", PW, token, &err), -EKEYREJECTED);
    set_disabled(e, id, 0);
    assert_int_equal(login(e, "bob", PW, token, &err), 0);
}

static void test_lockout(void **state)
{
    struct testenv *e = *state;
    e->conf.login_max_failures = 3;
    e->conf.login_lockout_base = 30;
    create_user(e, "alice", "operator");
    create_user(e, "carol", "operator");
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    for (int i = 0; i < 2; i++)
        assert_int_equal(login(e, "alice", "wrong password", token, &err), -EKEYREJECTED);
    /* The failure that reaches the limit locks the name at once ... */
    assert_int_equal(login(e, "alice", "wrong password", token, &err), -EAGAIN);
    assert_int_equal(err.retry_after, 30);
    /* ... and while locked even the right password is refused, without a new failure. */
    assert_int_equal(login(e, "alice", PW, token, &err), -EAGAIN);
    assert_true(err.retry_after > 0);
    assert_int_equal(err.retry_after, 30);
    clock_advance(29000);
    assert_int_equal(login(e, "alice", PW, token, &err), -EAGAIN);
    assert_int_equal(err.retry_after, 1);
    int64_t failed = count_audit(e, "auth.login_failed");
    assert_int_equal(failed, 3);
    /* Other names are not affected. */
    assert_int_equal(login(e, "carol", PW, token, &err), 0);
    /* Past the lockout the right password works, and clears the count. */
    clock_advance(1000);
    assert_int_equal(login(e, "alice", PW, token, &err), 0);
    assert_int_equal(login(e, "alice", "wrong password", token, &err), -EKEYREJECTED);
    assert_int_equal(login(e, "alice", "wrong password", token, &err), -EKEYREJECTED);
}

static void test_lockout_unknown_user(void **state)
{
    struct testenv *e = *state;
    e->conf.login_max_failures = 2;
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    /* A name that does not exist locks the same way, so lockout reveals nothing. */
    assert_int_equal(login(e, "ghost", "whatever1", token, &err), -EKEYREJECTED);
    assert_int_equal(login(e, "ghost", "whatever2", token, &err), -EAGAIN);
    assert_int_equal(err.retry_after, e->conf.login_lockout_base);
}

static void test_backoff_doubles(void **state)
{
    struct testenv *e = *state;
    e->conf.login_max_failures = 2;
    e->conf.login_lockout_base = 10;
    e->conf.login_lockout_max = 35;
    create_user(e, "alice", "operator");
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    assert_int_equal(login(e, "alice", "wrong password", token, &err), -EKEYREJECTED);
    static const int want[] = {10, 20, 35, 35}; /* doubling, capped at lockout_max */
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(login(e, "alice", "wrong password", token, &err), -EAGAIN);
        if (err.retry_after != want[i])
            fail_msg("lockout %zu: %d s, want %d s", i + 1, err.retry_after, want[i]);
        clock_advance((int64_t)want[i] * 1000);
    }
    assert_int_equal(login(e, "alice", PW, token, &err), 0);
    /* A success resets the back-off. */
    assert_int_equal(login(e, "alice", "wrong password", token, &err), -EKEYREJECTED);
    assert_int_equal(login(e, "alice", "wrong password", token, &err), -EAGAIN);
    assert_int_equal(err.retry_after, 10);
}

/* ---- sessions ---- */

static void test_session_idle_timeout(void **state)
{
    struct testenv *e = *state;
    e->conf.session_idle_timeout = 600;
    create_user(e, "alice", "operator");
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    struct actor a;
    assert_int_equal(login(e, "alice", PW, token, &err), 0);
    /* Use keeps it alive: each request within the idle timeout refreshes it. */
    for (int i = 0; i < 5; i++) {
        clock_advance(599 * 1000);
        assert_int_equal(app_authenticate(&e->app, token, &a), 0);
    }
    /* Idle for longer than the timeout: gone, and stays gone. */
    clock_advance(600 * 1000 + 1);
    assert_int_equal(app_authenticate(&e->app, token, &a), -EPERM);
    clock_set_fixed(TESTENV_T0);
    assert_int_equal(app_authenticate(&e->app, token, &a), -EPERM);
}

static void test_session_idle_without_use(void **state)
{
    struct testenv *e = *state;
    create_user(e, "alice", "operator");
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    struct actor a;
    assert_int_equal(login(e, "alice", PW, token, &err), 0);
    clock_advance(e->conf.session_idle_timeout * 1000);
    assert_int_equal(app_authenticate(&e->app, token, &a), 0); /* exactly at the limit */
    clock_advance(e->conf.session_idle_timeout * 1000 + 1);
    assert_int_equal(app_authenticate(&e->app, token, &a), -EPERM);
}

static void test_session_max_lifetime(void **state)
{
    struct testenv *e = *state;
    e->conf.session_idle_timeout = 600;
    e->conf.session_max_lifetime = 1000;
    create_user(e, "alice", "operator");
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    struct actor a;
    assert_int_equal(login(e, "alice", PW, token, &err), 0);
    clock_advance(500 * 1000);
    assert_int_equal(app_authenticate(&e->app, token, &a), 0);
    clock_advance(499 * 1000);
    assert_int_equal(app_authenticate(&e->app, token, &a), 0);
    clock_advance(1000); /* in use, but 1000 s old */
    assert_int_equal(app_authenticate(&e->app, token, &a), -EPERM);
}

static void test_logout(void **state)
{
    struct testenv *e = *state;
    create_user(e, "alice", "operator");
    char t1[AUTH_TOKEN_MAX], t2[AUTH_TOKEN_MAX];
    struct app_err err;
    struct actor a;
    assert_int_equal(login(e, "alice", PW, t1, &err), 0);
    assert_int_equal(login(e, "alice", PW, t2, &err), 0);
    assert_int_equal(app_authenticate(&e->app, t1, &a), 0);
    assert_int_equal(app_logout(&e->app, &a, t1), 0);
    assert_int_equal(app_authenticate(&e->app, t1, &a), -EPERM);
    /* Only that session ended. */
    assert_int_equal(app_authenticate(&e->app, t2, &a), 0);
    assert_int_equal(count_audit(e, "auth.logout"), 1);
}

static int disable_quietly_job(struct store_conn *c, void *arg)
{
    /* Disables the account without ending its sessions, to test the check at authentication
     * on its own. */
    return store_user_update(c, *(int64_t *)arg, NULL, NULL, 1, NULL, clock_now_ms());
}

static void test_session_disabled_user(void **state)
{
    struct testenv *e = *state;
    int64_t id = create_user(e, "alice", "operator");
    char t1[AUTH_TOKEN_MAX], t2[AUTH_TOKEN_MAX];
    struct app_err err;
    struct actor a;
    assert_int_equal(login(e, "alice", PW, t1, &err), 0);
    set_disabled(e, id, 1); /* through the use case: sessions end */
    assert_int_equal(app_authenticate(&e->app, t1, &a), -EPERM);
    set_disabled(e, id, 0);
    assert_int_equal(app_authenticate(&e->app, t1, &a), -EPERM); /* re-enabling revives nothing */
    assert_int_equal(login(e, "alice", PW, t2, &err), 0);
    assert_int_equal(app_authenticate(&e->app, t2, &a), 0);
    assert_int_equal(store_write(e->st, disable_quietly_job, &id), 0);
    assert_int_equal(app_authenticate(&e->app, t2, &a), -EPERM);
}

static void test_bad_tokens(void **state)
{
    struct testenv *e = *state;
    create_user(e, "alice", "operator");
    char token[AUTH_TOKEN_MAX];
    struct app_err err;
    struct actor a;
    assert_int_equal(login(e, "alice", PW, token, &err), 0);
    char bad[AUTH_TOKEN_MAX];
    snprintf(bad, sizeof bad, "%s", token);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';
    assert_int_equal(app_authenticate(&e->app, bad, &a), -EPERM);
    snprintf(bad, sizeof bad, "xx%s", token + 2); /* the right secret under another prefix */
    assert_int_equal(app_authenticate(&e->app, bad, &a), -EPERM);
    assert_int_equal(app_authenticate(&e->app, NULL, &a), -EPERM);
    assert_int_equal(app_authenticate(&e->app, "", &a), -EPERM);
    assert_int_equal(app_authenticate(&e->app, "vs_", &a), -EPERM);
    assert_int_equal(app_authenticate(&e->app, "vk_", &a), -EPERM);
    char huge[4096];
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    memcpy(huge, "vs_", 3);
    assert_int_equal(app_authenticate(&e->app, huge, &a), -EPERM);
    assert_int_equal(app_authenticate(&e->app, token, &a), 0);
}

static void test_every_role(void **state)
{
    struct testenv *e = *state;
    /* Every role of the permission table is accepted by the store and signs in with exactly its
     * permissions. */
    for (int i = 0; i < role_count(); i++) {
        const char *role = role_name(i);
        char name[32];
        snprintf(name, sizeof name, "u_%s", role);
        create_user(e, name, role);
        char token[AUTH_TOKEN_MAX];
        json_t *user = NULL;
        struct app_err err = {0};
        assert_int_equal(app_login(&e->app, name, PW, token, &user, &err), 0);
        json_t *want = perm_mask_json(role_perms(role));
        if (!json_equal(json_object_get(user, "permissions"), want))
            fail_msg("role %s: wrong permissions", role);
        json_decref(want);
        json_decref(user);
        struct actor a;
        assert_int_equal(app_authenticate(&e->app, token, &a), 0);
        assert_string_equal(a.role, role);
        assert_int_equal(a.perms, role_perms(role));
    }
}

static void test_user_create_checks(void **state)
{
    struct testenv *e = *state;
    create_user(e, "alice", "operator");
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    static const struct {
        const char *username, *role, *password, *field;
        int rc;
    } cases[] = {
        {"ALICE", "operator", PW, "username", -EINVAL}, /* upper case is not allowed */
        {"alice", "guard", PW, "username", -EEXIST},     {"dave", "root", PW, "role", -EINVAL},
        {"dave", "guard", "short", "password", -EINVAL}, {"d", "guard", PW, "username", -EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *in = json_pack("{ss ss ss ss}", "username", cases[i].username, "display_name", "D",
                               "role", cases[i].role, "password", cases[i].password);
        json_t *out = NULL;
        struct app_err err = {0};
        int rc = app_user_create(&e->app, &sys, in, &out, &err);
        json_decref(in);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d", i, rc, cases[i].rc);
        assert_string_equal(err.field, cases[i].field);
        assert_null(out);
    }
    assert_int_equal(count_audit(e, "user.create"), 1);
}

/* ---- API keys ---- */

static void test_apikey(void **state)
{
    struct testenv *e = *state;
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    char key[AUTH_TOKEN_MAX] = "";
    struct app_err err = {0};
    assert_int_equal(app_apikey_create(&e->app, &sys, "alarms", "alarm.submit,nope", key, &err),
                     -EINVAL);
    assert_string_equal(err.field, "perms");
    assert_contains(err.message, "nope");
    assert_int_equal(app_apikey_create(&e->app, &sys, "alarms", "", key, &err), -EINVAL);
    assert_int_equal(app_apikey_create(&e->app, &sys, "", "stream.read", key, &err), -EINVAL);
    json_t *list = NULL;
    assert_int_equal(app_apikey_list(&e->app, &list), 0);
    assert_int_equal(json_array_size(list), 0); /* nothing was stored */
    json_decref(list);

    assert_int_equal(
        app_apikey_create(&e->app, &sys, "alarms", "stream.read,alarm.submit", key, &err), 0);
    assert_int_equal(strncmp(key, "vk_", 3), 0);
    assert_true(strlen(key) >= 3 + 43);
    struct actor a;
    assert_int_equal(app_authenticate(&e->app, key, &a), 0);
    assert_true(a.is_apikey);
    assert_int_equal(a.user_id, 0);
    assert_string_equal(a.name, "apikey:alarms");
    assert_int_equal(a.perms, PERM_BIT(PERM_ALARM_SUBMIT) | PERM_BIT(PERM_STREAM_READ));
    assert_int_equal(app_logout(&e->app, &a, key), 0); /* a no-op for keys */
    assert_int_equal(app_authenticate(&e->app, key, &a), 0);

    char key2[AUTH_TOKEN_MAX];
    assert_int_equal(app_apikey_create(&e->app, &sys, "alarms", "stream.read", key2, &err),
                     -EEXIST);
    assert_int_equal(app_apikey_create(&e->app, &sys, "reader", "resident.read", key2, &err), 0);
    assert_string_not_equal(key, key2);

    assert_int_equal(app_apikey_revoke(&e->app, &sys, "alarms"), 0);
    assert_int_equal(app_authenticate(&e->app, key, &a), -EPERM);
    assert_int_equal(app_apikey_revoke(&e->app, &sys, "alarms"), -ENOENT);
    assert_int_equal(app_apikey_revoke(&e->app, &sys, "never"), -ENOENT);
    /* The other key is unaffected. */
    assert_int_equal(app_authenticate(&e->app, key2, &a), 0);
    assert_int_equal(a.perms, PERM_BIT(PERM_RESIDENT_READ));

    assert_int_equal(app_apikey_list(&e->app, &list), 0);
    assert_int_equal(json_array_size(list), 2);
    json_t *first = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "alarms");
    assert_string_equal(json_string_value(json_object_get(first, "perms")),
                        "alarm.submit,stream.read");
    assert_true(json_is_string(json_object_get(first, "revoked_at")));
    assert_null(json_object_get(first, "key_hash"));
    json_decref(list);
    assert_int_equal(count_audit(e, "apikey.create"), 2);
    assert_int_equal(count_audit(e, "apikey.revoke"), 1);
}

/* ---- residents' personal data (S5) ---- */

static void test_mask_phone(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"13812341234", "138****1234"},
        {"+86 138 1234 1234", "+86**********1234"},
        {"021-62345678", "021*****5678"},
        {"62345678", "****5678"},     /* an 8-digit landline keeps only its last four */
        {"0571234567", "******4567"}, /* as does anything shorter than a mobile number */
        {"1234567", "*****67"},       /* short numbers keep two */
        {"110", "*10"},
        {"12", "**"},
        {"1", "*"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *m = mask_phone(cases[i].in), got[64];
        snprintf(got, sizeof got, "%s", m);
        free(m);
        if (strcmp(got, cases[i].out) != 0)
            fail_msg("mask_phone(\"%s\") = \"%s\", want \"%s\"", cases[i].in, got, cases[i].out);
    }
}

static void test_mask_name(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"张三丰", "张**"}, {"张三", "张*"}, {"欧阳娜娜", "欧***"}, {"张", "张*"},
        {"Alice", "A****"}, {"Li", "L*"},    {"A", "A*"},           {"", ""},
        {"Zoë", "Z**"}, /* counted in characters, not bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *m = mask_name(cases[i].in), got[64];
        snprintf(got, sizeof got, "%s", m);
        free(m);
        if (strcmp(got, cases[i].out) != 0)
            fail_msg("mask_name(\"%s\") = \"%s\", want \"%s\"", cases[i].in, got, cases[i].out);
    }
}

static int64_t create_resident(struct testenv *e)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    assert_int_equal(app_site_init(&e->app, &sys, "Test Site"), 0);
    json_t *in = json_pack("{ss ss ss ss ss}", "unit", "1-203", "name", "张三丰", "phone",
                           "13812341234", "phone2", "62345678", "note", "uses a wheelchair");
    json_t *out = NULL;
    struct app_err err = {0};
    assert_int_equal(app_resident_create(&e->app, &sys, in, &out, &err), 0);
    json_decref(in);
    /* What comes back is masked already. */
    assert_string_equal(json_string_value(json_object_get(out, "name")), "张**");
    assert_string_equal(json_string_value(json_object_get(out, "phone")), "138****1234");
    assert_true(json_is_true(json_object_get(out, "masked")));
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return id;
}

static void test_resident_masked(void **state)
{
    struct testenv *e = *state;
    int64_t id = create_resident(e);
    struct actor op;
    actor_of_role(e, "olga", "operator", &op);
    int64_t audits = count_audit(e, NULL);

    json_t *out = NULL;
    assert_int_equal(app_resident_get(&e->app, &op, id, 0, &out), 0);
    assert_string_equal(json_string_value(json_object_get(out, "unit")), "1-203");
    assert_string_equal(json_string_value(json_object_get(out, "name")), "张**");
    assert_string_equal(json_string_value(json_object_get(out, "phone")), "138****1234");
    assert_string_equal(json_string_value(json_object_get(out, "phone2")), "****5678");
    assert_true(json_is_null(json_object_get(out, "note")));
    assert_true(json_is_true(json_object_get(out, "masked")));
    json_decref(out);

    struct page pg = {.limit = 10};
    assert_int_equal(app_resident_list(&e->app, NULL, &pg, &out), 0);
    json_t *item = json_array_get(json_object_get(out, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(item, "name")), "张**");
    assert_string_equal(json_string_value(json_object_get(item, "phone")), "138****1234");
    assert_true(json_is_null(json_object_get(item, "note")));
    json_decref(out);
    assert_int_equal(count_audit(e, NULL), audits); /* masked reads are not audited */
}

static void test_resident_reveal_denied(void **state)
{
    struct testenv *e = *state;
    int64_t id = create_resident(e);
    struct actor op, admin;
    actor_of_role(e, "olga", "operator", &op);
    actor_of_role(e, "adam", "admin", &admin);
    int64_t audits = count_audit(e, NULL);
    static const char *const roles_without[] = {"operator", "admin"};
    const struct actor *who[] = {&op, &admin};
    for (int i = 0; i < 2; i++) {
        json_t *out = (json_t *)(uintptr_t)0x1;
        if (app_resident_get(&e->app, who[i], id, 1, &out) != -EACCES)
            fail_msg("%s could reveal", roles_without[i]);
        assert_true(out == (json_t *)(uintptr_t)0x1);
    }
    /* An API key without resident.pii is refused as well. */
    struct actor sys, key_actor;
    app_actor_system(&sys, "vigilctl");
    char key[AUTH_TOKEN_MAX];
    struct app_err err;
    assert_int_equal(app_apikey_create(&e->app, &sys, "ro", "resident.read", key, &err), 0);
    assert_int_equal(app_authenticate(&e->app, key, &key_actor), 0);
    json_t *out = NULL;
    assert_int_equal(app_resident_get(&e->app, &key_actor, id, 1, &out), -EACCES);
    assert_null(out);
    audits++; /* the key's creation */
    assert_int_equal(count_audit(e, NULL), audits);
    assert_int_equal(count_audit(e, "resident.reveal"), 0);
}

static void test_resident_reveal(void **state)
{
    struct testenv *e = *state;
    int64_t id = create_resident(e);
    struct actor sl;
    actor_of_role(e, "sam", "shift_leader", &sl);
    int64_t audits = count_audit(e, NULL);

    json_t *out = NULL;
    assert_int_equal(app_resident_get(&e->app, &sl, id, 1, &out), 0);
    assert_string_equal(json_string_value(json_object_get(out, "name")), "张三丰");
    assert_string_equal(json_string_value(json_object_get(out, "phone")), "13812341234");
    assert_string_equal(json_string_value(json_object_get(out, "phone2")), "62345678");
    assert_string_equal(json_string_value(json_object_get(out, "note")), "uses a wheelchair");
    assert_true(json_is_false(json_object_get(out, "masked")));
    json_decref(out);

    /* Exactly one audit record, naming who read whose data, and holding none of it. */
    assert_int_equal(count_audit(e, NULL), audits + 1);
    assert_int_equal(count_audit(e, "resident.reveal"), 1);
    struct store_conn *c = store_read_begin(e->st);
    json_t *row = NULL;
    assert_int_equal(store_q_row(c, &row,
                                 "SELECT actor, object, summary FROM audit WHERE action ="
                                 " 'resident.reveal'",
                                 ""),
                     0);
    store_read_end(e->st, c);
    char obj[32];
    snprintf(obj, sizeof obj, "resident:%lld", (long long)id);
    assert_string_equal(json_string_value(json_object_get(row, "actor")), "sam");
    assert_string_equal(json_string_value(json_object_get(row, "object")), obj);
    const char *summary = json_string_value(json_object_get(row, "summary"));
    assert_contains(summary, "1-203");
    assert_not_contains(summary, "13812341234");
    assert_not_contains(summary, "62345678");
    assert_not_contains(summary, "张三丰");
    json_decref(row);

    /* No such resident: nothing revealed, nothing audited. */
    out = NULL;
    assert_int_equal(app_resident_get(&e->app, &sl, id + 100, 1, &out), -ENOENT);
    assert_null(out);
    assert_int_equal(count_audit(e, "resident.reveal"), 1);

    /* The trail is intact after all of this. */
    struct audit_verdict v;
    c = store_read_begin(e->st);
    assert_int_equal(audit_verify(c, NULL, &v), 0);
    store_read_end(e->st, c);
    assert_true(v.ok);
    assert_int_equal(v.records, audits + 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testenv_setup_app, testenv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_app_init),
        T(test_login_success),
        T(test_login_rejected),
        T(test_login_disabled),
        T(test_lockout),
        T(test_lockout_unknown_user),
        T(test_backoff_doubles),
        T(test_session_idle_timeout),
        T(test_session_idle_without_use),
        T(test_session_max_lifetime),
        T(test_logout),
        T(test_session_disabled_user),
        T(test_bad_tokens),
        T(test_every_role),
        T(test_user_create_checks),
        T(test_apikey),
        cmocka_unit_test(test_mask_phone),
        cmocka_unit_test(test_mask_name),
        T(test_resident_masked),
        T(test_resident_reveal_denied),
        T(test_resident_reveal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
