/* test_daemon.c - vigild as a process: options, configuration errors, the ready file,
 * /healthz and /metrics, the event stream (with Last-Event-ID replay), a prompt clean stop
 * with a stream open, persistence across a restart and refusing a newer schema. */
#include "lib/daemon.h"
#include "lib/http.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define PW "vigil-demo"
#define TOK 256

static struct td_daemon D;

static int group_setup(void **state)
{
    (void)state;
    /* A one-second heartbeat: a stream client that went away is noticed (and uncounted) by
     * the next heartbeat write, so the client counts below settle quickly. A 16-event replay
     * ring, so a client can fall behind it. */
    struct td_opts o = {.demo = 1, .config_extra = "sse.heartbeat = 1\nsse.ring_size = 16"};
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

static void test_help_and_version(void **state)
{
    (void)state;
    struct td_proc p;
    const char *vigild = td_env("VIGILD"), *vigilctl = td_env("VIGILCTL");
    const char *help[] = {vigild, "--help", NULL};
    assert_int_equal(td_run(help, NULL, &p), 0);
    assert_non_null(strstr(p.out, "usage: vigild"));
    assert_non_null(strstr(p.out, "--check-config"));
    td_proc_free(&p);
    const char *version[] = {vigild, "--version", NULL};
    assert_int_equal(td_run(version, NULL, &p), 0);
    assert_true(strncmp(p.out, "vigild ", 7) == 0);
    assert_true(p.out[7] >= '0' && p.out[7] <= '9');
    td_proc_free(&p);
    const char *bad[] = {vigild, "--no-such-option", NULL};
    assert_int_equal(td_run(bad, NULL, &p), 2);
    assert_non_null(strstr(p.err, "usage: vigild"));
    td_proc_free(&p);
    const char *ctl_help[] = {vigilctl, "--help", NULL};
    assert_int_equal(td_run(ctl_help, NULL, &p), 0);
    assert_non_null(strstr(p.out, "usage: vigilctl"));
    td_proc_free(&p);
    const char *ctl_version[] = {vigilctl, "--version", NULL};
    assert_int_equal(td_run(ctl_version, NULL, &p), 0);
    assert_true(strncmp(p.out, "vigilctl ", 9) == 0);
    td_proc_free(&p);
}

static void test_unknown_config_key_stops_startup(void **state)
{
    (void)state;
    struct td_daemon X = {0};
    struct td_opts o = {.config_extra = "# a comment\nbogus.key = 1"};
    /* The config file: comment, argon2 x2, comment, then the bad key on line 5. */
    int rc = td_daemon_start(&X, &o);
    assert_int_equal(rc, -ECHILD);
    assert_true(X.exit_status != 0);
    assert_int_equal(access(X.ready, F_OK), -1);
    char *log = td_daemon_log(&X);
    if (!strstr(log, "bogus.key") || !strstr(log, "line 5"))
        print_error("vigild said: %s\n", log);
    assert_non_null(strstr(log, "bogus.key"));
    assert_non_null(strstr(log, "line 5"));
    assert_false(td_has_sanitizer_report(log));
    free(log);
    td_daemon_cleanup(&X);
}

static void test_check_config(void **state)
{
    (void)state;
    char dir[TD_PATH], conf[TD_PATH + 32], data[TD_PATH + 32];
    assert_int_equal(td_tmpdir(dir, sizeof dir), 0);
    snprintf(conf, sizeof conf, "%s/c.conf", dir);
    snprintf(data, sizeof data, "%s/never-created", dir);
    const char *vigild = td_env("VIGILD");
    const char *argv[] = {vigild, "--config", conf, "--data", data, "--check-config", NULL};
    struct td_proc p;

    assert_int_equal(td_write_file(conf, "# ok\nlog.level = warn\nsse.heartbeat = 5\n"
                                         "http.listen = \"127.0.0.1:0\"\n"),
                     0);
    assert_int_equal(td_run(argv, NULL, &p), 0);
    assert_non_null(strstr(p.out, "configuration ok"));
    td_proc_free(&p);
    /* Checking touches nothing. */
    assert_int_equal(access(data, F_OK), -1);

    static const struct {
        const char *text, *needle1, *needle2;
    } bad[] = {
        {"sse.heartbeat = 0\n", "sse.heartbeat", "line 1"},
        {"log.level = loud\n", "log.level", "loud"},
        {"\nsession.idle_timeout = ten\n", "session.idle_timeout", "line 2"},
        {"store.readers = 2\nstore.readers = 3\n", "store.readers", "line 2"},
        {"no equals sign here\n", "line 1", "key = value"},
        {"nope = 1\n", "nope", "line 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(td_write_file(conf, bad[i].text), 0);
        int st = td_run(argv, NULL, &p);
        if (st == 0 || !strstr(p.err, bad[i].needle1) || !strstr(p.err, bad[i].needle2))
            print_error("config \"%s\": exit %d, stderr: %s\n", bad[i].text, st, p.err);
        assert_true(st != 0);
        assert_non_null(strstr(p.err, bad[i].needle1));
        assert_non_null(strstr(p.err, bad[i].needle2));
        td_proc_free(&p);
    }
    td_rmtree(dir);
}

static void test_ready_file_and_healthz(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *ready = json_load_file(D.ready, 0, &jerr);
    assert_non_null(ready);
    assert_true(json_is_integer(json_object_get(ready, "http")));
    assert_int_equal(th_jint(ready, "http"), D.port);
    assert_true(D.port > 0 && D.port < 65536);
    json_decref(ready);

    struct th_resp r;
    th_get(D.port, NULL, "/healthz", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_jstr(r.json, "status"), "ok");
    assert_non_null(th_jstr(r.json, "version"));
    assert_string_equal(th_header(&r, "Cache-Control"), "no-store");
    assert_string_equal(th_header(&r, "X-Content-Type-Options"), "nosniff");
    th_resp_free(&r);
}

static void test_metrics(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, NULL, "/healthz", &r); /* at least one request to count */
    th_resp_free(&r);
    th_get(D.port, NULL, "/metrics", &r);
    assert_int_equal(r.status, 200);
    assert_true(strncmp(th_header(&r, "Content-Type"), "text/plain", 10) == 0);
    static const char *const names[] = {
        "# TYPE vigil_http_requests_total counter",
        "vigil_http_requests_total{route=\"api_healthz\",status=\"200\"} ",
        "vigil_http_request_duration_seconds_bucket{",
        "# TYPE vigil_store_commit_seconds summary",
        "vigil_store_commit_seconds_sum ",
        "vigil_store_commit_seconds_count ",
        "# TYPE vigil_sse_clients gauge",
        "\nvigil_sse_clients 0\n",
        "\nvigil_store_healthy 1\n",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!strstr(r.body, names[i]))
            print_error("/metrics lacks \"%s\":\n%s\n", names[i], r.body);
        assert_non_null(strstr(r.body, names[i]));
    }
    th_resp_free(&r);
}

/* Polls /metrics (bounded) until it shows n event-stream clients. */
static void wait_sse_clients(int n)
{
    char want[64];
    snprintf(want, sizeof want, "\nvigil_sse_clients %d\n", n);
    long long deadline = td_now_ms() + 5000;
    for (;;) {
        struct th_resp r;
        th_get(D.port, NULL, "/metrics", &r);
        int ok = strstr(r.body, want) != NULL;
        th_resp_free(&r);
        if (ok)
            return;
        if (td_now_ms() > deadline)
            fail_msg("/metrics never showed%s", want);
        td_nap(10);
    }
}

static void patch_device(const char *token, int id, const char *status)
{
    char path[64], body[64];
    snprintf(path, sizeof path, "/api/v1/devices/%d", id);
    snprintf(body, sizeof body, "{\"status\":\"%s\"}", status);
    struct th_resp r;
    th_send(D.port, "PATCH", token, path, body, &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
}

static void test_event_stream_and_replay(void **state)
{
    (void)state;
    char tok[TOK];
    /* admin: may change devices and read the audit trail, so it sees both kinds of event. */
    th_login_ok(D.port, "admin", PW, tok, sizeof tok);
    struct th_sse s;
    assert_int_equal(th_sse_open(D.port, "vs_forged", NULL, &s), 401);
    th_sse_close(&s);

    assert_int_equal(th_sse_open(D.port, tok, NULL, &s), 200);
    assert_true(strncmp(s.content_type, "text/event-stream", 17) == 0);
    assert_non_null(th_sse_find(&s, "hello", "server_time", 5000));
    wait_sse_clients(1);

    patch_device(tok, 5, "fault");
    const struct th_frame *dev = th_sse_find(&s, "device.status", "\"status\":\"fault\"", 5000);
    const struct th_frame *aud = th_sse_find(&s, "audit", "\"action\":\"device.status\"", 5000);
    assert_non_null(dev);
    assert_non_null(aud);
    long long dev_id = dev->id, aud_id = aud->id;
    assert_true(aud_id > 0 && dev_id > 0 && aud_id != dev_id);
    json_t *dj = json_loads(dev->data, 0, NULL);
    assert_int_equal(th_jint(dj, "id"), 5);
    json_decref(dj);
    json_t *aj = json_loads(aud->data, 0, NULL);
    assert_string_equal(th_jstr(aj, "object"), "device:5");
    assert_string_equal(th_jstr(aj, "actor"), "admin");
    assert_true(th_jint(aj, "id") > 0);
    json_decref(aj);
    th_sse_close(&s);
    wait_sse_clients(0);

    /* Reconnecting from before both events replays them with the same ids. */
    long long first = aud_id < dev_id ? aud_id : dev_id;
    char lei[32];
    snprintf(lei, sizeof lei, "%lld", first - 1);
    assert_int_equal(th_sse_open(D.port, tok, lei, &s), 200);
    dev = th_sse_find(&s, "device.status", "\"status\":\"fault\"", 5000);
    aud = th_sse_find(&s, "audit", "\"action\":\"device.status\"", 5000);
    assert_non_null(dev);
    assert_non_null(aud);
    assert_int_equal(dev->id, dev_id);
    assert_int_equal(aud->id, aud_id);
    th_sse_close(&s);

    /* From the newest id nothing old comes back: the next device frame is the new change. */
    snprintf(lei, sizeof lei, "%lld", aud_id > dev_id ? aud_id : dev_id);
    assert_int_equal(th_sse_open(D.port, tok, lei, &s), 200);
    assert_non_null(th_sse_find(&s, "hello", NULL, 5000));
    patch_device(tok, 5, "normal");
    dev = th_sse_find(&s, "device.status", NULL, 5000);
    assert_non_null(dev);
    assert_true(dev->id > dev_id);
    assert_non_null(strstr(dev->data, "\"status\":\"normal\""));
    th_sse_close(&s);
}

static long long user_id(const char *admin_tok, const char *username)
{
    struct th_resp r;
    th_get(D.port, admin_tok, "/api/v1/users?limit=500", &r);
    assert_int_equal(r.status, 200);
    long long id = 0;
    size_t i;
    json_t *u;
    json_array_foreach (json_object_get(r.json, "items"), i, u) {
        if (strcmp(th_jstr(u, "username"), username) == 0)
            id = th_jint(u, "id");
    }
    th_resp_free(&r);
    assert_true(id > 0);
    return id;
}

static void set_disabled(const char *admin_tok, long long id, int disabled)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld", id);
    struct th_resp r;
    th_send(D.port, "PATCH", admin_tok, path,
            disabled ? "{\"disabled\":true}" : "{\"disabled\":false}", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
}

/* A role without audit.read gets device events but no audit events; disabling the user ends
 * a stream that is already open (checked at the next heartbeat, 1 s here). */
static void test_stream_permissions_and_disable(void **state)
{
    (void)state;
    char eng[TOK], adm[TOK];
    th_login_ok(D.port, "engineer", PW, eng, sizeof eng);
    th_login_ok(D.port, "admin", PW, adm, sizeof adm);
    struct th_sse s;
    assert_int_equal(th_sse_open(D.port, eng, NULL, &s), 200);
    assert_non_null(th_sse_find(&s, "hello", NULL, 5000));
    patch_device(adm, 6, "maintenance");
    assert_non_null(th_sse_find(&s, "device.status", "\"status\":\"maintenance\"", 5000));
    /* The audit record was published before the device event: had it been sent, it is here. */
    assert_null(th_sse_find(&s, "audit", NULL, 300));

    long long id = user_id(adm, "engineer");
    set_disabled(adm, id, 1);
    assert_int_equal(th_sse_wait_eof(&s, 5000), 0);
    th_sse_close(&s);
    set_disabled(adm, id, 0);
    patch_device(adm, 6, "normal");
}

/* The duty desk's and equipment care's events reach only the roles that may read the same
 * records through the API: the guard (no duty.read, complaint.read, ticket.read) gets none of
 * them, the engineer gets the ticket but not the duty log, the complaint or its escalation.
 * A device change after them is the sentinel: had they been sent, they would be here. */
static void test_stream_filters_desk_and_equipment_events(void **state)
{
    (void)state;
    char guard[TOK], eng[TOK], sup[TOK], adm[TOK];
    th_login_ok(D.port, "guard", PW, guard, sizeof guard);
    th_login_ok(D.port, "engineer", PW, eng, sizeof eng);
    th_login_ok(D.port, "supervisor", PW, sup, sizeof sup);
    th_login_ok(D.port, "admin", PW, adm, sizeof adm);
    struct th_sse g, e;
    assert_int_equal(th_sse_open(D.port, guard, NULL, &g), 200);
    assert_int_equal(th_sse_open(D.port, eng, NULL, &e), 200);
    assert_non_null(th_sse_find(&g, "hello", NULL, 5000));
    assert_non_null(th_sse_find(&e, "hello", NULL, 5000));
    assert_int_equal(th_post(D.port, sup, "/api/v1/duty-log",
                             "{\"category\":\"routine\",\"text\":\"巡查正常 stream-filter\"}",
                             NULL),
                     201);
    assert_int_equal(th_post(D.port, sup, "/api/v1/complaints",
                             "{\"channel\":\"walk_in\",\"unit\":\"1-602\",\"contact_name\":"
                             "\"李娜\",\"category\":\"security\",\"urgency\":\"major\","
                             "\"description\":\"家中被盗 stream-filter\"}",
                             NULL),
                     201);
    assert_int_equal(th_post(D.port, sup, "/api/v1/tickets",
                             "{\"device_id\":6,\"title\":\"stream-filter ticket\"}", NULL),
                     201);
    assert_non_null(th_sse_find(&e, "ticket", "stream-filter ticket", 5000));
    patch_device(adm, 6, "maintenance");
    assert_non_null(th_sse_find(&g, "device.status", "\"status\":\"maintenance\"", 5000));
    assert_non_null(th_sse_find(&e, "device.status", "\"status\":\"maintenance\"", 5000));
    const char *hidden[] = {"duty", "complaint", "escalation", "ticket"};
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        assert_null(th_sse_find(&g, hidden[i], NULL, 100));
    assert_null(th_sse_find(&e, "duty", NULL, 100));
    assert_null(th_sse_find(&e, "complaint", NULL, 100));
    assert_null(th_sse_find(&e, "escalation", "complaint_id", 100));
    th_sse_close(&g);
    th_sse_close(&e);
    patch_device(adm, 6, "normal");
}

static void test_stream_reset_when_behind_the_ring(void **state)
{
    (void)state;
    char tok[TOK];
    /* admin sees every event type, so the ids it receives have no gaps. */
    th_login_ok(D.port, "admin", PW, tok, sizeof tok);
    struct th_sse s;
    assert_int_equal(th_sse_open(D.port, tok, NULL, &s), 200);
    const struct th_frame *hello = th_sse_find(&s, "hello", NULL, 5000);
    assert_non_null(hello);
    json_t *h = json_loads(hello->data, 0, NULL);
    long long start = th_jint(h, "last_id");
    json_decref(h);
    th_sse_close(&s);
    /* 12 changes = 24 events (audit + device.status each): more than the ring holds. */
    for (int i = 0; i < 12; i++)
        patch_device(tok, 7, i % 2 ? "normal" : "offline");

    char lei[32];
    snprintf(lei, sizeof lei, "%lld", start);
    assert_int_equal(th_sse_open(D.port, tok, lei, &s), 200);
    const struct th_frame *reset = th_sse_find(&s, "reset", NULL, 5000);
    assert_non_null(reset);
    json_t *rj = json_loads(reset->data, 0, NULL);
    long long resume = th_jint(rj, "resume_from");
    json_decref(rj);
    assert_true(resume > start);
    assert_int_equal(reset->id, resume);
    /* After the reset the stream goes on from the oldest event still held, without gaps. */
    assert_non_null(th_sse_find(&s, "device.status", "\"status\":\"normal\"", 5000));
    long long expect = resume + 1;
    for (size_t i = 0; i < s.nframes; i++) {
        if (s.frames[i].id <= resume)
            continue;
        assert_int_equal(s.frames[i].id, expect);
        expect++;
    }
    assert_true(expect > resume + 1);
    th_sse_close(&s);
}

static sqlite3 *db_open(const char *dir)
{
    char path[TD_PATH + 32];
    snprintf(path, sizeof path, "%s/vigil.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

static void test_restart_keeps_data(void **state)
{
    (void)state;
    struct td_daemon P = {0};
    struct td_opts o = {.demo = 1};
    assert_int_equal(td_daemon_start(&P, &o), 0);
    char admin[TOK];
    th_login_ok(P.port, "admin", PW, admin, sizeof admin);
    struct th_resp r;
    th_send(P.port, "POST", admin, "/api/v1/areas",
            "{\"kind\":\"public\",\"name\":\"Persist Hall\",\"code\":\"PERSIST\"}", &r);
    assert_int_equal(r.status, 201);
    long long area = th_jint(r.json, "id");
    th_resp_free(&r);
    th_send(P.port, "POST", admin, "/api/v1/users",
            "{\"username\":\"keeper\",\"display_name\":\"Keeper\",\"role\":\"guard\","
            "\"password\":\"keep-me-safe\"}",
            &r);
    assert_int_equal(r.status, 201);
    th_resp_free(&r);
    long long audit = th_total(P.port, admin, "/api/v1/audit");
    td_daemon_stop_ok(&P);

    /* A clean stop folds the WAL back into the database file. */
    char wal[TD_PATH + 32];
    snprintf(wal, sizeof wal, "%s/vigil.db-wal", P.dir);
    struct stat sb;
    assert_true(stat(wal, &sb) != 0 || sb.st_size == 0);

    /* Restart on the very port it had: rebinding works at once after a stop. */
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", P.port);
    int old_port = P.port;
    P.opts.http = listen;
    assert_int_equal(td_daemon_restart(&P), 0);
    assert_int_equal(P.port, old_port);
    /* The session survived too (sessions live in the store). */
    assert_int_equal(th_total(P.port, admin, "/api/v1/audit"), audit);
    th_get(P.port, admin, "/api/v1/areas?kind=public", &r);
    assert_int_equal(r.status, 200);
    int found = 0;
    size_t i;
    json_t *row;
    json_array_foreach (json_object_get(r.json, "items"), i, row)
        found |= th_jint(row, "id") == area && strcmp(th_jstr(row, "code"), "PERSIST") == 0;
    assert_true(found);
    th_resp_free(&r);
    char tok[TOK];
    th_login_ok(P.port, "keeper", "keep-me-safe", tok, sizeof tok);
    th_get(P.port, admin, "/api/v1/audit/verify", &r);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    assert_int_equal(th_jint(r.json, "records"), audit + 1); /* + keeper's login */
    th_resp_free(&r);
    /* --demo on an existing community adds nothing. */
    th_get(P.port, admin, "/api/v1/site", &r);
    assert_int_equal(th_jint(json_object_get(r.json, "counts"), "areas"), 37);
    th_resp_free(&r);
    td_daemon_stop_ok(&P);
    td_daemon_cleanup(&P);
}

static void test_newer_schema_is_refused(void **state)
{
    (void)state;
    struct td_daemon N = {0};
    assert_int_equal(td_daemon_start(&N, NULL), 0);
    td_daemon_stop_ok(&N);
    sqlite3 *db = db_open(N.dir);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(td_daemon_restart(&N), -ECHILD);
    assert_true(N.exit_status != 0);
    char *log = td_daemon_log(&N);
    if (!strstr(log, "schema") || !strstr(log, "999"))
        print_error("vigild said: %s\n", log);
    assert_non_null(strstr(log, "schema is version 999"));
    assert_false(td_has_sanitizer_report(log));
    free(log);

    /* vigilctl refuses it the same way, and neither touched the version. */
    struct td_proc p;
    assert_true(td_vigilctl(&N, NULL, &p, "user", "list", NULL) != 0);
    assert_non_null(strstr(p.err, "999"));
    td_proc_free(&p);
    db = db_open(N.dir);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 999);
    sqlite3_finalize(st);
    sqlite3_close(db);
    td_daemon_cleanup(&N);
}

static void test_port_in_use_is_refused(void **state)
{
    (void)state;
    char dir[TD_PATH], listen[32];
    assert_int_equal(td_tmpdir(dir, sizeof dir), 0);
    snprintf(listen, sizeof listen, "127.0.0.1:%d", D.port);
    const char *argv[] = {
        td_env("VIGILD"),    "--data", dir, "--http", listen, "--config", D.conf, "--web",
        td_env("VIGIL_WEB"), NULL};
    struct td_proc p;
    int st = td_run(argv, NULL, &p);
    if (st != 1)
        print_error("a second vigild on port %d: exit %d\n%s\n", D.port, st, p.err);
    assert_int_equal(st, 1);
    assert_non_null(strstr(p.err, "cannot listen"));
    td_proc_free(&p);
    td_rmtree(dir);
    /* The first one still answers. */
    struct th_resp r;
    th_get(D.port, NULL, "/healthz", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
}

/* SIGTERM with event-stream clients connected stops at once and cleanly. This daemon keeps
 * the default 15 s heartbeat, so a stream reader that only noticed the stop at its next
 * heartbeat would make the stop take far longer than allowed here. */
static void test_sigterm_with_stream_open(void **state)
{
    (void)state;
    struct td_daemon S = {0};
    struct td_opts o = {.demo = 1};
    assert_int_equal(td_daemon_start(&S, &o), 0);
    char tok[TOK];
    th_login_ok(S.port, "guard", PW, tok, sizeof tok);
    struct th_sse s1, s2;
    assert_int_equal(th_sse_open(S.port, tok, NULL, &s1), 200);
    assert_int_equal(th_sse_open(S.port, tok, "1", &s2), 200);
    assert_non_null(th_sse_find(&s1, "hello", NULL, 5000));
    assert_non_null(th_sse_find(&s2, "hello", NULL, 5000));
    long long t0 = td_now_ms();
    td_daemon_stop_ok(&S);
    long long ms = td_now_ms() - t0;
    if (ms > 5000)
        print_error("stopping took %lld ms\n", ms);
    assert_true(ms < 5000);
    assert_int_equal(th_sse_wait_eof(&s1, 2000), 0);
    assert_int_equal(th_sse_wait_eof(&s2, 2000), 0);
    th_sse_close(&s1);
    th_sse_close(&s2);
    td_daemon_cleanup(&S);
}

/* Last: the shared daemon, with a stream client still connected, stops cleanly. */
static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    char tok[TOK];
    th_login_ok(D.port, "operator", PW, tok, sizeof tok);
    struct th_sse s;
    assert_int_equal(th_sse_open(D.port, tok, NULL, &s), 200);
    assert_non_null(th_sse_find(&s, "hello", NULL, 5000));
    td_daemon_stop_ok(&D);
    assert_int_equal(th_sse_wait_eof(&s, 2000), 0);
    th_sse_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_unknown_config_key_stops_startup),
        cmocka_unit_test(test_check_config),
        cmocka_unit_test(test_ready_file_and_healthz),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_event_stream_and_replay),
        cmocka_unit_test(test_stream_permissions_and_disable),
        cmocka_unit_test(test_stream_filters_desk_and_equipment_events),
        cmocka_unit_test(test_stream_reset_when_behind_the_ring),
        cmocka_unit_test(test_restart_keeps_data),
        cmocka_unit_test(test_newer_schema_is_refused),
        cmocka_unit_test(test_port_in_use_is_refused),
        cmocka_unit_test(test_sigterm_with_stream_open),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
