/* test_retention.c - retention against the real daemon and vigilctl (R4.1-R4.7, S5): the
 * configuration refused below a year, the API (policy, runs, holds) with its permission and its
 * bad inputs, `vigilctl retention`, and the audit trail verified from a signed checkpoint after
 * old records are removed (the records are aged by editing the file, as the daemon's clock cannot
 * be moved), then a tampered checkpoint caught by both `vigilctl audit verify` and the API. */
#include "app/audit.h"
#include "lib/assert_ext.h"
#include "lib/daemon.h"
#include "lib/group.h"
#include "lib/http.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
#define YEAR_MS (366 * 86400 * 1000LL)
static struct td_daemon D;
static char mgr[TOK], op[TOK], admin[TOK];

static int group_setup(void **state)
{
    (void)state;
    return tg_start(
        &D, NULL,
        (struct tg_login[]){{"manager", mgr}, {"operator", op}, {"admin", admin}, {NULL, NULL}});
}

static int group_teardown(void **state)
{
    (void)state;
    return tg_stop(&D);
}

static sqlite3 *db_open(void)
{
    char path[TD_PATH + 16];
    snprintf(path, sizeof path, "%s/vigil.db", D.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    return db;
}

static long long db_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void db_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "sql: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

/* vigild refuses to start with cfg, exits 2 and names the problem. */
static void refused(const char *cfg, const char *needle)
{
    struct td_daemon d = {0};
    struct td_opts o = {.config_extra = cfg};
    assert_int_equal(td_daemon_start(&d, &o), -ECHILD);
    assert_int_equal(d.exit_status, 2);
    char *log = td_daemon_log(&d);
    assert_contains(log, needle);
    free(log);
    td_daemon_cleanup(&d);
}

static void test_config_validation(void **state)
{
    (void)state;
    refused("retention.profile = forever\n", "retention.profile");
    refused("retention.duty_log = 11m\n", "shorter than one year");
    refused("retention.audit = 0y\n", "retention.audit");
    refused("retention.incident = 12 months\n", "retention.incident");
    refused("retention.run_at = 3:30\n", "retention.run_at");
    /* A longer period and the GB 25201 profile are fine. */
    struct td_daemon d = {0};
    struct td_opts o = {.demo = 1,
                        .config_extra = "retention.profile = gb25201\nretention.duty_log = 5y\n"};
    assert_int_equal(td_daemon_start(&d, &o), 0);
    json_t *out = NULL;
    char tok[TOK];
    th_login_ok(d.port, "admin", "vigil-demo", tok, sizeof tok);
    struct th_resp r;
    th_get(d.port, tok, "/api/v1/retention", &r);
    assert_int_equal(r.status, 200);
    out = r.json;
    assert_string_equal(th_jstr(out, "profile"), "gb25201");
    json_t *first = json_array_get(json_object_get(out, "policy"), 0);
    assert_string_equal(th_jstr(first, "type"), "duty_log");
    assert_int_equal(th_jint(first, "months"), 60);
    assert_string_equal(th_jstr(first, "source"), "override");
    th_resp_free(&r);
    td_daemon_stop_ok(&d);
    td_daemon_cleanup(&d);
}

static void test_api_policy_and_permission(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, op, "/api/v1/retention", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    th_get(D.port, mgr, "/api/v1/retention", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_jstr(r.json, "profile"), "regulation");
    assert_string_equal(th_jstr(r.json, "run_at"), "03:30");
    assert_true(json_array_size(json_object_get(r.json, "policy")) >= 12);
    assert_true(json_is_array(json_object_get(r.json, "runs")));
    th_resp_free(&r);
    assert_int_equal(th_post(D.port, op, "/api/v1/retention/holds",
                             "{\"record_type\":\"duty_log\",\"record_id\":1,\"reason\":\"x\"}",
                             NULL),
                     403);
}

static void test_api_holds(void **state)
{
    (void)state;
    assert_int_equal(th_post(D.port, op, "/api/v1/duty-log",
                             "{\"category\":\"routine\",\"text\":\"巡视正常\"}", NULL),
                     201);
    sqlite3 *db = db_open();
    long long before = db_int(db, "SELECT count(*) FROM legal_hold");
    long long audits = db_int(db, "SELECT count(*) FROM audit");
    long long duty = db_int(db, "SELECT max(id) FROM duty_log");
    assert_true(duty > 0);
    struct th_resp r;
    static const char *const bad[] = {
        "{\"record_type\":\"letters\",\"record_id\":1,\"reason\":\"x\"}",
        "{\"record_type\":\"duty_log\",\"record_id\":0,\"reason\":\"x\"}",
        "{\"record_type\":\"duty_log\",\"record_id\":999999,\"reason\":\"x\"}",
        "{\"record_type\":\"duty_log\",\"record_id\":1,\"reason\":\"\"}",
        "{\"record_type\":\"duty_log\",\"record_id\":\"1\",\"reason\":\"x\"}",
        "{\"record_type\":\"duty_log\",\"record_id\":1}",
        "{\"record_type\":\"duty_log\",\"record_id\":1,\"reason\":\"x\",\"until\":\"never\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        th_send(D.port, "POST", mgr, "/api/v1/retention/holds", bad[i], &r);
        th_assert_problem(&r, 400, "/problems/validation");
        th_resp_free(&r);
    }
    assert_int_equal(db_int(db, "SELECT count(*) FROM legal_hold"), before);
    char body[160];
    snprintf(body, sizeof body,
             "{\"record_type\":\"duty_log\",\"record_id\":%lld,\"reason\":\"公安机关调查\"}", duty);
    json_t *out = NULL;
    assert_int_equal(th_post(D.port, mgr, "/api/v1/retention/holds", body, &out), 201);
    long long hid = th_jint(out, "id");
    json_decref(out);
    th_send(D.port, "POST", mgr, "/api/v1/retention/holds", body, &r);
    th_assert_problem(&r, 409, "/problems/conflict");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, mgr, "/api/v1/retention/holds"), before + 1);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/retention/holds/%lld/release", hid);
    assert_int_equal(th_post(D.port, mgr, path, NULL, &out), 200);
    assert_non_null(th_jstr(out, "released_at"));
    json_decref(out);
    th_send(D.port, "POST", mgr, path, NULL, &r);
    th_assert_problem(&r, 404, "/problems/not-found");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, mgr, "/api/v1/retention/holds"), before);
    assert_int_equal(th_total(D.port, mgr, "/api/v1/retention/holds?all=1"), before + 1);
    /* Placing and releasing are audited. */
    assert_int_equal(db_int(db, "SELECT count(*) FROM audit"), audits + 2);
    sqlite3_close(db);
}

static void test_api_run(void **state)
{
    (void)state;
    struct th_resp r;
    th_send(D.port, "POST", mgr, "/api/v1/retention/run", "{\"as_of\":\"2999-01-01\"}", &r);
    th_assert_problem(&r, 400, "/problems/validation");
    th_resp_free(&r);
    th_send(D.port, "POST", mgr, "/api/v1/retention/run", "{\"dry\":true}", &r);
    th_assert_problem(&r, 400, "/problems/validation");
    th_resp_free(&r);
    json_t *out = NULL;
    assert_int_equal(th_post(D.port, mgr, "/api/v1/retention/run", "{\"dry_run\":true}", &out),
                     200);
    assert_true(json_is_true(json_object_get(out, "dry_run")));
    assert_string_equal(th_jstr(out, "outcome"), "ok");
    assert_non_null(json_object_get(json_object_get(out, "types"), "incident"));
    json_decref(out);
}

/* Ages the first n audit records by more than a year and re-links the whole chain, so that it
 * still verifies: what a year of operation would have left. Run with the daemon stopped. */
static void age_audit(sqlite3 *db, int n)
{
    db_exec(db, "DROP TRIGGER audit_no_update");
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE audit SET at = at - %lld WHERE id <= %d", YEAR_MS, n);
    db_exec(db, sql);
    sqlite3_stmt *s, *u;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT id, at, actor, action, object, summary FROM audit"
                                        " ORDER BY id",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
                                        -1, &u, NULL),
                     SQLITE_OK);
    struct audit_rec rec = {0};
    while (sqlite3_step(s) == SQLITE_ROW) {
        rec.id = sqlite3_column_int64(s, 0);
        rec.at = sqlite3_column_int64(s, 1);
        rec.actor = (const char *)sqlite3_column_text(s, 2);
        rec.action = (const char *)sqlite3_column_text(s, 3);
        rec.object = (const char *)sqlite3_column_text(s, 4);
        rec.summary = (const char *)sqlite3_column_text(s, 5);
        audit_hash(&rec, rec.hash);
        sqlite3_bind_int64(u, 1, rec.id);
        sqlite3_bind_blob(u, 2, rec.prev_hash, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
        sqlite3_bind_blob(u, 3, rec.hash, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(u), SQLITE_DONE);
        sqlite3_reset(u);
        memcpy(rec.prev_hash, rec.hash, AUDIT_HASH_LEN);
    }
    sqlite3_finalize(s);
    sqlite3_finalize(u);
    sqlite3_stmt *h;
    assert_int_equal(
        sqlite3_prepare_v2(db, "UPDATE audit_head SET last_id = ?1, last_hash = ?2", -1, &h, NULL),
        SQLITE_OK);
    sqlite3_bind_int64(h, 1, rec.id);
    sqlite3_bind_blob(h, 2, rec.hash, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(h), SQLITE_DONE);
    sqlite3_finalize(h);
    db_exec(db, "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
                " BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;");
}

static void test_cli_run_and_checkpoint(void **state)
{
    (void)state;
    struct td_proc p;
    td_daemon_stop_ok(&D);
    sqlite3 *db = db_open();
    age_audit(db, 5);
    /* An old duty-log entry and one within its year. */
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO duty_log(at, author, category, text) VALUES"
             " ((strftime('%%s','now') * 1000) - %lld, 'old', 'routine', 'last year'),"
             " ((strftime('%%s','now') * 1000) - 86400000, 'new', 'routine', 'yesterday')",
             YEAR_MS);
    db_exec(db, sql);
    sqlite3_close(db);
    assert_int_equal(td_daemon_restart(&D), 0);
    th_login_ok(D.port, "manager", "vigil-demo", mgr, sizeof mgr);

    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "run", "--dry-run", NULL), 0);
    assert_contains(p.out, "(dry run)");
    assert_contains(p.out, "duty_log");
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "run", "--as-of", "2999-01-01", NULL),
                     1);
    assert_contains(p.err, "as_of");
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "run", "--bogus", NULL), 2);
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "run", NULL), 0);
    assert_contains(p.out, "removed");
    td_proc_free(&p);
    db = db_open();
    assert_int_equal(db_int(db, "SELECT count(*) FROM duty_log WHERE author = 'old'"), 0);
    assert_int_equal(db_int(db, "SELECT count(*) FROM duty_log WHERE author = 'new'"), 1);
    assert_int_equal(db_int(db, "SELECT count(*) FROM audit_checkpoint"), 1);
    assert_int_equal(db_int(db, "SELECT last_id FROM audit_checkpoint"), 5);
    sqlite3_close(db);
    /* The key: in the data directory, owner-only. */
    char key[TD_PATH + 32];
    snprintf(key, sizeof key, "%s/%s", D.dir, AUDIT_KEY_FILE);
    struct stat sb;
    assert_int_equal(stat(key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    assert_int_equal(td_vigilctl(&D, NULL, &p, "audit", "verify", NULL), 0);
    assert_contains(p.out, "signed checkpoint 1");
    td_proc_free(&p);
    struct th_resp r;
    th_get(D.port, mgr, "/api/v1/audit/verify", &r);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    assert_int_equal(th_jint(json_object_get(r.json, "checkpoint"), "removed"), 5);
    th_resp_free(&r);
    db = db_open();
    char id[32];
    snprintf(id, sizeof id, "%lld", db_int(db, "SELECT id FROM duty_log WHERE author = 'new'"));
    sqlite3_close(db);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "hold", "duty_log", id, "案件", NULL),
                     0);
    assert_contains(p.out, "legal hold");
    char hold[32];
    assert_int_equal(sscanf(p.out, "legal hold %31s", hold), 1);
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "hold", "duty_log", id, "x", NULL), 1);
    assert_contains(p.err, "already exists");
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "status", NULL), 0);
    assert_contains(p.out, "profile regulation");
    assert_contains(p.out, "audit signing key: ");
    assert_contains(p.out, "active legal holds: 1");
    assert_contains(p.out, "案件");
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "release", hold, NULL), 0);
    td_proc_free(&p);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "retention", "release", hold, NULL), 1);
    td_proc_free(&p);
    th_get(D.port, mgr, "/api/v1/retention", &r);
    assert_true(json_array_size(json_object_get(r.json, "runs")) >= 2);
    assert_int_equal(strlen(th_jstr(r.json, "public_key")), 64);
    th_resp_free(&r);

    /* A tampered checkpoint is reported, naming the checkpoint and the record after it. */
    db = db_open();
    db_exec(db, "DROP TRIGGER audit_checkpoint_no_update;"
                "UPDATE audit_checkpoint SET removed = 4, first_id = 2");
    sqlite3_close(db);
    assert_int_equal(td_vigilctl(&D, NULL, &p, "audit", "verify", NULL), 1);
    assert_contains(p.out, "BROKEN at record 6");
    assert_contains(p.out, "checkpoint 1");
    td_proc_free(&p);
    th_get(D.port, mgr, "/api/v1/audit/verify", &r);
    assert_int_equal(r.status, 200);
    assert_false(json_is_true(json_object_get(r.json, "ok")));
    assert_int_equal(th_jint(r.json, "bad_checkpoint"), 1);
    assert_int_equal(th_jint(r.json, "first_bad"), 6);
    th_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_validation),
        cmocka_unit_test(test_api_policy_and_permission),
        cmocka_unit_test(test_api_holds),
        cmocka_unit_test(test_api_run),
        cmocka_unit_test(test_cli_run_and_checkpoint),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
