/* test_vigilctl.c - the admin CLI against a data directory that a running vigild serves:
 * init, user add/list/disable/enable/passwd (passwords on stdin or from a file, never argv),
 * API keys, an online backup and the audit chain check before and after tampering. */
#include "lib/daemon.h"
#include "store/store.h"
#include "lib/http.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define TOK 256

static struct td_daemon D;
static struct td_proc init_out; /* what `vigilctl init` printed in group_setup */

static int group_setup(void **state)
{
    (void)state;
    int rc = td_daemon_init_dir(&D, NULL);
    if (rc)
        return rc;
    /* The site is created by vigilctl before vigild ever ran on the directory. */
    td_vigilctl(&D, NULL, &init_out, "init", "--site-name", "Test Court", NULL);
    rc = td_daemon_start(&D, NULL);
    if (rc)
        print_error("vigild did not start: %d (exit %d)\n", rc, D.exit_status);
    return rc;
}

static int group_teardown(void **state)
{
    (void)state;
    td_proc_free(&init_out);
    td_daemon_cleanup(&D);
    td_cleanup_all();
    return 0;
}

static void test_init(void **state)
{
    (void)state;
    assert_int_equal(init_out.status, 0);
    assert_non_null(strstr(init_out.out, "site created"));
    struct td_proc p;
    assert_int_equal(td_vigilctl(&D, NULL, &p, "init", "--site-name", "Other", NULL), 0);
    assert_non_null(strstr(p.out, "already initialised"));
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "init", "--bogus", NULL), 2);
    assert_non_null(strstr(p.err, "usage"));
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "frobnicate", NULL), 2);
    assert_non_null(strstr(p.err, "unknown verb"));
    td_proc_free(&p);
}

static void test_user_add_reads_the_password_from_stdin(void **state)
{
    (void)state;
    struct td_proc p;
    assert_int_equal(td_vigilctl(&D, "alice-password-1\n", &p, "user", "add", "alice", "--role",
                                 "operator", "--name", "Alice A", NULL),
                     0);
    assert_non_null(strstr(p.out, "user alice created"));
    assert_null(strstr(p.out, "alice-password-1"));
    assert_null(strstr(p.err, "alice-password-1"));
    td_proc_free(&p);

    char tok[TOK];
    th_login_ok(D.port, "alice", "alice-password-1", tok, sizeof tok);
    struct th_resp r;
    th_get(D.port, tok, "/api/v1/me", &r);
    assert_int_equal(r.status, 200);
    json_t *u = json_object_get(r.json, "user");
    assert_string_equal(th_jstr(u, "role"), "operator");
    assert_string_equal(th_jstr(u, "display_name"), "Alice A");
    assert_string_equal(th_jstr(json_object_get(r.json, "site"), "name"), "Test Court");
    th_resp_free(&r);

    /* No password, a weak one, an unknown role, a taken name: refused, nothing created. */
    assert_true(td_vigilctl(&D, "", &p, "user", "add", "bob", "--role", "operator", NULL) != 0);
    assert_non_null(strstr(p.err, "no password"));
    td_proc_free(&p);
    assert_true(td_vigilctl(&D, "short\n", &p, "user", "add", "bob", "--role", "operator", NULL) !=
                0);
    assert_non_null(strstr(p.err, "password"));
    td_proc_free(&p);
    assert_true(td_vigilctl(&D, "bob-password-1\n", &p, "user", "add", "bob", "--role", "wizard",
                            NULL) != 0);
    assert_non_null(strstr(p.err, "role"));
    td_proc_free(&p);
    assert_true(td_vigilctl(&D, "other-password-1\n", &p, "user", "add", "alice", "--role", "guard",
                            NULL) != 0);
    assert_non_null(strstr(p.err, "already exists"));
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "user", "add", "bob", NULL), 2);
    td_proc_free(&p);
    assert_int_equal(th_login(D.port, "bob", "bob-password-1", NULL, 0), 401);
    /* alice's password is unchanged by the refused duplicate. */
    th_login_ok(D.port, "alice", "alice-password-1", tok, sizeof tok);
}

static void test_user_list(void **state)
{
    (void)state;
    struct td_proc p;
    assert_int_equal(td_vigilctl(&D, NULL, &p, "user", "list", NULL), 0);
    assert_non_null(strstr(p.out, "USERNAME"));
    const char *line = strstr(p.out, " alice ");
    assert_non_null(line);
    const char *eol = strchr(line, '\n');
    assert_non_null(eol);
    char row[256];
    snprintf(row, sizeof row, "%.*s", (int)(eol - line), line);
    assert_non_null(strstr(row, "operator"));
    assert_non_null(strstr(row, "active"));
    assert_non_null(strstr(row, "Alice A"));
    assert_null(strstr(p.out, "bob"));
    assert_null(strstr(p.out, "argon2"));
    td_proc_free(&p);
}

static void test_user_disable_and_enable(void **state)
{
    (void)state;
    char tok[TOK];
    th_login_ok(D.port, "alice", "alice-password-1", tok, sizeof tok);
    struct td_proc p;
    assert_int_equal(td_vigilctl(&D, NULL, &p, "user", "disable", "alice", NULL), 0);
    td_proc_free(&p);
    assert_int_equal(th_login(D.port, "alice", "alice-password-1", NULL, 0), 401);
    struct th_resp r;
    th_get(D.port, tok, "/api/v1/me", &r);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "user", "list", NULL), 0);
    assert_non_null(strstr(p.out, "disabled"));
    td_proc_free(&p);

    assert_int_equal(td_vigilctl(&D, NULL, &p, "user", "enable", "alice", NULL), 0);
    td_proc_free(&p);
    th_login_ok(D.port, "alice", "alice-password-1", tok, sizeof tok);
    assert_true(td_vigilctl(&D, NULL, &p, "user", "disable", "nobody", NULL) != 0);
    assert_non_null(strstr(p.err, "not found"));
    td_proc_free(&p);
}

static void test_user_passwd_from_file(void **state)
{
    (void)state;
    char tok[TOK], file[TD_PATH + 32];
    th_login_ok(D.port, "alice", "alice-password-1", tok, sizeof tok);
    snprintf(file, sizeof file, "%s/new-password", D.dir);
    assert_int_equal(td_write_file(file, "new-alice-pass-2\n"), 0);
    struct td_proc p;
    assert_int_equal(
        td_vigilctl(&D, NULL, &p, "user", "passwd", "alice", "--password-file", file, NULL), 0);
    td_proc_free(&p);
    assert_int_equal(th_login(D.port, "alice", "alice-password-1", NULL, 0), 401);
    th_login_ok(D.port, "alice", "new-alice-pass-2", NULL, 0);
    /* A new password ends the sessions made with the old one. */
    struct th_resp r;
    th_get(D.port, tok, "/api/v1/me", &r);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);

    assert_true(
        td_vigilctl(&D, NULL, &p, "user", "passwd", "nobody", "--password-file", file, NULL) != 0);
    td_proc_free(&p);
    assert_int_equal(td_write_file(file, "weak\n"), 0);
    assert_true(
        td_vigilctl(&D, NULL, &p, "user", "passwd", "alice", "--password-file", file, NULL) != 0);
    td_proc_free(&p);
    unlink(file);
    assert_true(
        td_vigilctl(&D, NULL, &p, "user", "passwd", "alice", "--password-file", file, NULL) != 0);
    td_proc_free(&p);
    th_login_ok(D.port, "alice", "new-alice-pass-2", NULL, 0);
}

static void test_api_keys(void **state)
{
    (void)state;
    struct td_proc p;
    assert_int_equal(
        td_vigilctl(&D, NULL, &p, "apikey", "add", "feed", "--perms", "site.read", NULL), 0);
    /* stdout is the key alone, on one line. */
    assert_true(strncmp(p.out, "vk_", 3) == 0);
    char key[TOK];
    size_t n = strcspn(p.out, "\n");
    assert_true(n > 20 && n < sizeof key);
    assert_string_equal(p.out + n, "\n");
    snprintf(key, sizeof key, "%.*s", (int)n, p.out);
    td_proc_free(&p);

    struct th_resp r;
    th_get(D.port, key, "/api/v1/site", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_jstr(r.json, "name"), "Test Court");
    th_resp_free(&r);
    th_get(D.port, key, "/api/v1/residents", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    th_get(D.port, key, "/api/v1/users", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);

    assert_int_equal(td_vigilctl(&D, NULL, &p, "apikey", "list", NULL), 0);
    assert_non_null(strstr(p.out, "feed"));
    assert_non_null(strstr(p.out, "active"));
    assert_null(strstr(p.out, key));
    td_proc_free(&p);
    assert_true(
        td_vigilctl(&D, NULL, &p, "apikey", "add", "bad", "--perms", "site.read,root", NULL) != 0);
    assert_non_null(strstr(p.err, "root"));
    td_proc_free(&p);

    assert_int_equal(td_vigilctl(&D, NULL, &p, "apikey", "revoke", "feed", NULL), 0);
    td_proc_free(&p);
    th_get(D.port, key, "/api/v1/site", &r);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "apikey", "list", NULL), 0);
    assert_non_null(strstr(p.out, "revoked"));
    td_proc_free(&p);
    assert_true(td_vigilctl(&D, NULL, &p, "apikey", "revoke", "feed", NULL) != 0);
    td_proc_free(&p);
}

static sqlite3 *db_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

static char *db_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(s, 0);
    char *out = strdup(t ? (const char *)t : "");
    sqlite3_finalize(s);
    return out;
}

static void test_backup_while_running(void **state)
{
    (void)state;
    char file[TD_PATH + 32];
    snprintf(file, sizeof file, "%s/backup.db", D.dir);
    struct td_proc p;
    assert_int_equal(td_vigilctl(&D, NULL, &p, "backup", file, NULL), 0);
    td_proc_free(&p);
    /* vigild still serves after the backup. */
    th_login_ok(D.port, "alice", "new-alice-pass-2", NULL, 0);

    sqlite3 *db = db_open(file);
    char *s = db_text(db, "PRAGMA integrity_check");
    assert_string_equal(s, "ok");
    free(s);
    s = db_text(db, "SELECT group_concat(username) FROM user");
    assert_non_null(strstr(s, "alice"));
    free(s);
    s = db_text(db, "SELECT name FROM site");
    assert_string_equal(s, "Test Court");
    free(s);
    s = db_text(db, "PRAGMA user_version");
    char want[16];
    snprintf(want, sizeof want, "%d", store_schema_version());
    assert_string_equal(s, want);
    free(s);
    sqlite3_close(db);

    /* An existing file is never overwritten. */
    assert_true(td_vigilctl(&D, NULL, &p, "backup", file, NULL) != 0);
    assert_non_null(strstr(p.err, "exists"));
    td_proc_free(&p);
}

static void test_audit_verify_detects_tampering(void **state)
{
    (void)state;
    struct td_proc p;
    assert_int_equal(
        td_vigilctl(&D, NULL, &p, "apikey", "add", "audit-reader", "--perms", "audit.read", NULL),
        0);
    char key[TOK];
    snprintf(key, sizeof key, "%.*s", (int)strcspn(p.out, "\n"), p.out);
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "audit", "verify", NULL), 0);
    assert_non_null(strstr(p.out, "intact"));
    td_proc_free(&p);
    struct th_resp r;
    th_get(D.port, key, "/api/v1/audit/verify", &r);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    assert_true(th_jint(r.json, "records") >= 2);
    th_resp_free(&r);
    td_daemon_stop_ok(&D);

    /* Edit record 2 behind the application's back. */
    char path[TD_PATH + 32];
    snprintf(path, sizeof path, "%s/vigil.db", D.dir);
    sqlite3 *db = db_open(path);
    /* The trigger keeps a casual UPDATE out... */
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE audit SET summary='x' WHERE id=2", NULL, NULL, NULL), SQLITE_OK);
    /* ...but not a determined one. */
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TRIGGER audit_no_update;"
                                  "UPDATE audit SET summary='x' WHERE id=2",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);

    int st = td_vigilctl(&D, NULL, &p, "audit", "verify", NULL);
    if (st == 0 || !strstr(p.out, "record 2"))
        print_error("audit verify: exit %d\n%s%s\n", st, p.out, p.err);
    assert_true(st != 0);
    assert_non_null(strstr(p.out, "BROKEN"));
    assert_non_null(strstr(p.out, "record 2"));
    td_proc_free(&p);

    /* The daemon reports the same through the API. */
    assert_int_equal(td_daemon_restart(&D), 0);
    th_get(D.port, key, "/api/v1/audit/verify", &r);
    assert_int_equal(r.status, 200);
    assert_true(json_is_false(json_object_get(r.json, "ok")));
    assert_int_equal(th_jint(r.json, "first_bad"), 2);
    assert_non_null(th_jstr(r.json, "reason"));
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
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_user_add_reads_the_password_from_stdin),
        cmocka_unit_test(test_user_list),
        cmocka_unit_test(test_user_disable_and_enable),
        cmocka_unit_test(test_user_passwd_from_file),
        cmocka_unit_test(test_api_keys),
        cmocka_unit_test(test_backup_while_running),
        cmocka_unit_test(test_audit_verify_detects_tampering),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
