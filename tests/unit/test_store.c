/* test_store.c - opening and migrating, group commit, events, query helpers and backup
 * (store/store). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/assert_ext.h"
#include "lib/testenv.h"
#include "store/store.h"
#include "store/store_alarm.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

/* ---- helpers ---- */

/* Runs sql on the database file with a connection of our own (the store must be closed, or
 * the statement must not conflict with it). */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static int create_table_job(struct store_conn *c, void *arg)
{
    (void)arg;
    return store_q_exec(c, NULL, NULL,
                        "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE,"
                        " n INTEGER CHECK(n >= 0), at INTEGER, flag INTEGER, b BLOB)",
                        "");
}

static void create_table(struct store *st)
{
    assert_int_equal(store_write(st, create_table_job, NULL), 0);
}

struct insert_job {
    const char *v;
    int64_t n;
    int rc;       /* what the job returns after inserting (unless the insert fails) */
    int64_t id;   /* OUT: rowid */
    int emit;     /* emit an event "t.insert" {"v": v} after the insert */
    int in_order; /* OUT: 1 when no sink call happened while the job ran */
};

static int insert_job(struct store_conn *c, void *arg);

static int64_t count_rows(struct store *st, const char *where)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t WHERE %s", where);
    int64_t n = -1;
    struct store_conn *c = store_read_begin(st);
    int rc = store_q_int(c, &n, sql, "");
    store_read_end(st, c);
    assert_int_equal(rc, 0);
    return n;
}

static int has_row(struct store *st, const char *v)
{
    int64_t n = -1;
    struct store_conn *c = store_read_begin(st);
    int rc = store_q_int(c, &n, "SELECT count(*) FROM t WHERE v = ?1", "s", v);
    store_read_end(st, c);
    assert_int_equal(rc, 0);
    return n > 0;
}

/* ---- the event sink: records what it is given, and checks it runs after the commit ---- */

#define SINK_MAX 256

struct sink {
    pthread_mutex_t mu;
    sqlite3 *db; /* a connection of our own: sees only committed data */
    int n;
    char type[SINK_MAX][32];
    char v[SINK_MAX][32];
    int visible[SINK_MAX]; /* 1 when the row was committed when the event arrived */
};

static struct sink *sink_new(const char *path)
{
    struct sink *s = calloc(1, sizeof *s);
    assert_non_null(s);
    pthread_mutex_init(&s->mu, NULL);
    assert_int_equal(sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return s;
}

static void sink_free(struct sink *s)
{
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static int sink_count(struct sink *s)
{
    pthread_mutex_lock(&s->mu);
    int n = s->n;
    pthread_mutex_unlock(&s->mu);
    return n;
}

static int committed(sqlite3 *db, const char *v)
{
    sqlite3_stmt *q = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM t WHERE v = ?1", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, v, -1, SQLITE_TRANSIENT);
        found = sqlite3_step(q) == SQLITE_ROW;
    }
    sqlite3_finalize(q);
    return found;
}

static void sink_fn(void *ctx, const char *type, json_t *data, const char *json)
{
    struct sink *s = ctx;
    json_t *parsed = data ? NULL : json_loads(json, 0, NULL); /* a ready-text event */
    const char *v = json_string_value(json_object_get(data ? data : parsed, "v"));
    pthread_mutex_lock(&s->mu);
    if (s->n < SINK_MAX) {
        snprintf(s->type[s->n], sizeof s->type[0], "%s", type);
        snprintf(s->v[s->n], sizeof s->v[0], "%s", v ? v : "");
        s->visible[s->n] = v && committed(s->db, v);
        s->n++;
    }
    pthread_mutex_unlock(&s->mu);
    json_decref(parsed);
}

/* Index of the event for v, -1 if none; fails when there are two. */
static int sink_find(struct sink *s, const char *v)
{
    int at = -1;
    for (int i = 0; i < s->n; i++) {
        if (strcmp(s->v[i], v) == 0) {
            if (at >= 0)
                fail_msg("event for %s delivered twice", v);
            at = i;
        }
    }
    return at;
}

static struct sink *g_sink; /* the sink insert_job compares against, when set */

static int insert_job(struct store_conn *c, void *arg)
{
    struct insert_job *j = arg;
    int before = g_sink ? sink_count(g_sink) : 0;
    int rc = store_q_exec(c, &j->id, NULL, "INSERT INTO t(v, n) VALUES(?1, ?2)", "si", j->v, j->n);
    if (rc)
        return rc;
    if (j->emit)
        store_conn_emit(c, "t.insert", json_pack("{ss}", "v", j->v));
    j->in_order = !g_sink || sink_count(g_sink) == before;
    return j->rc;
}

/* ---- opening and migrations ---- */

static void test_open_fresh(void **state)
{
    struct testenv *e = *state;
    assert_true(store_schema_version() >= 1);
    int v = -1;
    assert_int_equal(store_peek_version(e->path, &v), 0);
    assert_int_equal(v, store_schema_version());
    /* The schema is there. */
    int64_t n = -1;
    struct store_conn *c = store_read_begin(e->st);
    assert_int_equal(store_q_int(c, &n,
                                 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                                 " name IN ('user', 'session', 'audit', 'audit_head', 'resident')",
                                 ""),
                     0);
    store_read_end(e->st, c);
    assert_int_equal(n, 5);
    struct store_stats s;
    store_stats_get(e->st, &s);
    assert_int_equal(s.healthy, 1);
    assert_int_equal(s.commit_failures, 0);
}

static void test_reopen(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    struct insert_job j = {.v = "kept", .n = 1};
    assert_int_equal(store_write(e->st, insert_job, &j), 0);
    /* Reopening must not re-run migrations (they would fail on existing tables). */
    for (int i = 0; i < 2; i++)
        assert_int_equal(testenv_reopen(e), 0);
    assert_true(has_row(e->st, "kept"));
    int v = -1;
    assert_int_equal(store_peek_version(e->path, &v), 0);
    assert_int_equal(v, store_schema_version());
}

/* 1 if the decimal number n appears in s as a whole number (not inside a longer one). */
static int has_number(const char *s, long n)
{
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || (p > s && p[-1] >= '0' && p[-1] <= '9'))
            continue;
        char *end;
        if (strtol(p, &end, 10) == n)
            return 1;
    }
    return 0;
}

static void test_newer_schema_refused(void **state)
{
    struct testenv *e = *state;
    testenv_close(e);
    char sql[64];
    int newer = store_schema_version() + 4242;
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newer);
    raw_exec(e->path, sql);

    struct store *st = (struct store *)(uintptr_t)0x1;
    char err[512] = "";
    assert_int_equal(store_open(&st, e->path, NULL, err, sizeof err), -EPROTO);
    assert_true(st == (struct store *)(uintptr_t)0x1); /* untouched on error */
    if (!has_number(err, newer) || !has_number(err, store_schema_version()))
        fail_msg("message should name versions %d and %d: %s", newer, store_schema_version(), err);
    /* The file is left as it was. */
    int v = -1;
    assert_int_equal(store_peek_version(e->path, &v), 0);
    assert_int_equal(v, newer);
}

static void test_open_failure(void **state)
{
    struct testenv *e = *state;
    char path[TMPDIR_PATH_MAX + 32], err[512] = "";
    snprintf(path, sizeof path, "%s/no/such/dir/x.db", e->dir);
    struct store *st = NULL;
    assert_true(store_open(&st, path, NULL, err, sizeof err) < 0);
    assert_null(st);
    assert_contains(err, path);
    int v;
    assert_int_equal(store_peek_version(path, &v), -ENOENT);
}

/* ---- jobs and group commit ---- */

static void test_job_rollback(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    struct insert_job ok = {.v = "ok", .n = 1};
    struct insert_job bad = {.v = "bad", .n = 2, .rc = -EINVAL};
    struct insert_job pos = {.v = "positive", .n = 3, .rc = 7};
    assert_int_equal(store_write(e->st, insert_job, &ok), 0);
    assert_int_equal(store_write(e->st, insert_job, &bad), -EINVAL);
    assert_int_equal(store_write(e->st, insert_job, &pos), 7); /* kept, result passed back */
    assert_true(has_row(e->st, "ok"));
    assert_false(has_row(e->st, "bad"));
    assert_true(has_row(e->st, "positive"));
    assert_int_equal(count_rows(e->st, "1"), 2);
    struct store_stats s;
    store_stats_get(e->st, &s);
    assert_true(s.commits >= 3);
    assert_true(s.jobs >= 4);
    assert_int_equal(s.healthy, 1);
}

static int two_inserts_then_fail_job(struct store_conn *c, void *arg)
{
    (void)arg;
    int rc = store_q_exec(c, NULL, NULL, "INSERT INTO t(v, n) VALUES('first', 1)", "");
    if (!rc)
        rc = store_q_exec(c, NULL, NULL, "UPDATE t SET n = 99 WHERE v = 'ok'", "");
    if (!rc) /* a UNIQUE violation after two changes: all of the job must go */
        rc = store_q_exec(c, NULL, NULL, "INSERT INTO t(v, n) VALUES('ok', 2)", "");
    return rc;
}

static void test_job_rollback_whole_job(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    struct insert_job ok = {.v = "ok", .n = 1};
    assert_int_equal(store_write(e->st, insert_job, &ok), 0);
    assert_int_equal(store_write(e->st, two_inserts_then_fail_job, NULL), -EEXIST);
    assert_false(has_row(e->st, "first"));
    assert_int_equal(count_rows(e->st, "v = 'ok' AND n = 1"), 1);
}

/* The concurrent scenario: a blocker job holds the writer until every worker thread is about
 * to call store_write, so the workers' jobs queue up and share a transaction. */
enum { WORKERS = 12 };

struct round {
    struct store *st;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started;
    struct insert_job jobs[WORKERS];
    int rc[WORKERS];
    char names[WORKERS][32];
};

struct worker {
    struct round *r;
    int i;
};

static int blocker_job(struct store_conn *c, void *arg)
{
    (void)c;
    struct round *r = arg;
    pthread_mutex_lock(&r->mu);
    while (r->started < WORKERS)
        pthread_cond_wait(&r->cv, &r->mu);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static void *blocker_main(void *arg)
{
    struct round *r = arg;
    store_write(r->st, blocker_job, r);
    return NULL;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct round *r = w->r;
    pthread_mutex_lock(&r->mu);
    r->started++;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    r->rc[w->i] = store_write(r->st, insert_job, &r->jobs[w->i]);
    return NULL;
}

/* Worker i's job: every third one fails after inserting (-EINVAL), one collides with an
 * existing row (-EEXIST), the rest succeed. */
static int expected_rc(int i)
{
    if (i == 5)
        return -EEXIST;
    return i % 3 == 0 ? -EINVAL : 0;
}

static void run_round(struct store *st, struct sink *sink, int round)
{
    struct round r = {.st = st};
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    for (int i = 0; i < WORKERS; i++) {
        snprintf(r.names[i], sizeof r.names[i], "r%d-w%d", round, i);
        r.jobs[i] = (struct insert_job){
            .v = i == 5 ? "existing" : r.names[i], .n = i, .rc = expected_rc(i), .emit = 1};
    }
    pthread_t blocker, t[WORKERS];
    struct worker w[WORKERS];
    assert_int_equal(pthread_create(&blocker, NULL, blocker_main, &r), 0);
    for (int i = 0; i < WORKERS; i++) {
        w[i] = (struct worker){.r = &r, .i = i};
        assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(pthread_join(blocker, NULL), 0);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);

    for (int i = 0; i < WORKERS; i++) {
        int want = expected_rc(i);
        if (r.rc[i] != want)
            fail_msg("worker %d: store_write gave %d, want %d", i, r.rc[i], want);
        if (i == 5)
            continue;
        int present = has_row(st, r.names[i]);
        if (present != (want == 0))
            fail_msg("row %s is %s", r.names[i], present ? "stored" : "missing");
        int ev = sink_find(sink, r.names[i]);
        if ((ev >= 0) != (want == 0))
            fail_msg("event for %s %s", r.names[i], ev >= 0 ? "delivered" : "missing");
        if (ev >= 0 && !sink->visible[ev])
            fail_msg("event for %s delivered before its commit", r.names[i]);
    }
}

static void test_group_commit_concurrent(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    struct insert_job existing = {.v = "existing"};
    assert_int_equal(store_write(e->st, insert_job, &existing), 0);
    struct sink *sink = sink_new(e->path);
    store_set_event_sink(e->st, sink_fn, sink);
    g_sink = sink;
    enum { ROUNDS = 5 };
    for (int round = 0; round < ROUNDS; round++)
        run_round(e->st, sink, round);
    g_sink = NULL;
    store_set_event_sink(e->st, NULL, NULL);

    /* Only the successful jobs' events arrived, each once, all of type t.insert. */
    int ok_per_round = 0;
    for (int i = 0; i < WORKERS; i++)
        ok_per_round += expected_rc(i) == 0;
    assert_int_equal(sink->n, ROUNDS * ok_per_round);
    for (int i = 0; i < sink->n; i++)
        assert_string_equal(sink->type[i], "t.insert");
    assert_int_equal(count_rows(e->st, "v LIKE 'r%'"), ROUNDS * ok_per_round);
    assert_int_equal(count_rows(e->st, "v = 'existing'"), 1);
    /* The workers' jobs did share transactions (that is what the blocker arranged). */
    struct store_stats s;
    store_stats_get(e->st, &s);
    assert_true(s.batch_max >= 2);
    assert_true(s.commits < s.jobs);
    assert_int_equal(s.healthy, 1);
    sink_free(sink);
}

struct emit_job {
    const char *type;
    int n;
    int rc;
};

static int emit_job(struct store_conn *c, void *arg)
{
    struct emit_job *j = arg;
    for (int i = 0; i < j->n; i++)
        store_conn_emit(c, j->type, json_pack("{si}", "i", i));
    return j->rc;
}

static void test_events(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    struct sink *sink = sink_new(e->path);
    store_set_event_sink(e->st, sink_fn, sink);
    g_sink = sink;

    struct insert_job a = {.v = "a", .emit = 1};
    assert_int_equal(store_write(e->st, insert_job, &a), 0);
    /* Delivered by the time store_write returns, after the commit, not during the job. */
    assert_int_equal(sink->n, 1);
    assert_string_equal(sink->type[0], "t.insert");
    assert_string_equal(sink->v[0], "a");
    assert_true(sink->visible[0]);
    assert_true(a.in_order);

    struct insert_job b = {.v = "b", .emit = 1, .rc = -EIO};
    assert_int_equal(store_write(e->st, insert_job, &b), -EIO);
    assert_int_equal(sink->n, 1); /* a failed job's events are dropped */

    /* Many events from one job arrive in order; a NULL payload becomes an empty object. */
    struct emit_job many = {.type = "many", .n = 40};
    assert_int_equal(store_write(e->st, emit_job, &many), 0);
    assert_int_equal(sink->n, 41);
    for (int i = 1; i < 41; i++)
        assert_string_equal(sink->type[i], "many");
    struct emit_job failing = {.type = "never", .n = 40, .rc = -EINVAL};
    assert_int_equal(store_write(e->st, emit_job, &failing), -EINVAL);
    assert_int_equal(sink->n, 41);

    /* Emitting on a read connection is dropped (and frees the payload). */
    struct store_conn *c = store_read_begin(e->st);
    store_conn_emit(c, "read", json_pack("{ss}", "v", "x"));
    store_read_end(e->st, c);
    struct emit_job one = {.type = "after", .n = 1};
    assert_int_equal(store_write(e->st, emit_job, &one), 0);
    assert_int_equal(sink->n, 42);
    assert_string_equal(sink->type[41], "after");

    g_sink = NULL;
    store_set_event_sink(e->st, NULL, NULL);
    sink_free(sink);
}

static int deferred_table_job(struct store_conn *c, void *arg)
{
    (void)arg;
    /* A deferred foreign key is checked at COMMIT: a way to make a commit fail on purpose. */
    return store_q_exec(c, NULL, NULL,
                        "CREATE TABLE d(id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id)"
                        " DEFERRABLE INITIALLY DEFERRED)",
                        "");
}

static int dangling_job(struct store_conn *c, void *arg)
{
    (void)arg;
    int rc = store_q_exec(c, NULL, NULL, "INSERT INTO d(t_id) VALUES(12345)", "");
    if (!rc)
        rc = store_q_exec(c, NULL, NULL, "INSERT INTO t(v, n) VALUES('doomed', 1)", "");
    if (!rc)
        store_conn_emit(c, "t.insert", json_pack("{ss}", "v", "doomed"));
    return rc;
}

static void test_commit_failure(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    assert_int_equal(store_write(e->st, deferred_table_job, NULL), 0);
    struct sink *sink = sink_new(e->path);
    store_set_event_sink(e->st, sink_fn, sink);
    /* The job succeeds but the transaction cannot commit: nothing of it is stored, its events
     * are dropped, and the caller learns it. */
    int rc = store_write(e->st, dangling_job, NULL);
    assert_true(rc == -EIO || rc == -EBUSY);
    assert_false(has_row(e->st, "doomed"));
    assert_int_equal(sink->n, 0);
    struct store_stats s;
    store_stats_get(e->st, &s);
    assert_int_equal(s.healthy, 0);
    assert_int_equal(s.commit_failures, 1);
    /* The writer recovers with the next transaction. */
    struct insert_job j = {.v = "after", .emit = 1};
    assert_int_equal(store_write(e->st, insert_job, &j), 0);
    assert_true(has_row(e->st, "after"));
    assert_int_equal(sink->n, 1);
    store_stats_get(e->st, &s);
    assert_int_equal(s.healthy, 1);
    store_set_event_sink(e->st, NULL, NULL);
    sink_free(sink);
}

/* ---- query helpers ---- */

static int exec_cases_job(struct store_conn *c, void *arg)
{
    int *results = arg;
    static const char *const sql[] = {
        "INSERT INTO t(v, n) VALUES('u', 1)",               /* ok */
        "INSERT INTO t(v, n) VALUES('u', 2)",               /* UNIQUE */
        "INSERT INTO t(id, v, n) VALUES(1, 'other', 3)",    /* PRIMARY KEY */
        "INSERT INTO t(v, n) VALUES('neg', -1)",            /* CHECK */
        "INSERT INTO t(v, n) VALUES(NULL, 1)",              /* NOT NULL */
        "INSERT INTO area(site_id, kind, name, created_at)" /* FOREIGN KEY */
        " VALUES(999, 'building', 'B', 0)",
        "INSERT INTO no_such_table VALUES(1)", /* anything else */
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        results[i] = store_q_exec(c, NULL, NULL, sql[i], "");
    return 0;
}

static void test_q_exec_errors(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    int results[7];
    assert_int_equal(store_write(e->st, exec_cases_job, results), 0);
    assert_int_equal(results[0], 0);
    assert_int_equal(results[1], -EEXIST);
    assert_int_equal(results[2], -EEXIST);
    assert_int_equal(results[3], -EINVAL);
    assert_int_equal(results[4], -EINVAL);
    assert_int_equal(results[5], -EINVAL);
    assert_int_equal(results[6], -EIO);
    /* The failed statements left the job's successful one in place. */
    assert_int_equal(count_rows(e->st, "1"), 1);
    assert_true(has_row(e->st, "u"));
}

struct exec_out {
    int64_t last_id;
    int changes;
};

static int exec_out_job(struct store_conn *c, void *arg)
{
    struct exec_out *o = arg;
    int rc = store_q_exec(c, NULL, NULL, "INSERT INTO t(v, n) VALUES('a', 1), ('b', 1)", "");
    if (!rc)
        rc = store_q_exec(c, &o->last_id, NULL, "INSERT INTO t(v, n) VALUES(?1, ?2)", "si", "c",
                          (int64_t)5);
    if (!rc)
        rc = store_q_exec(c, NULL, &o->changes, "UPDATE t SET n = n + 1 WHERE n = ?1", "i",
                          (int64_t)1);
    return rc;
}

static int fill_job(struct store_conn *c, void *arg)
{
    (void)arg;
    static const unsigned char blob[3] = {0x00, 0xab, 0xff};
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO t(v, n, at, flag, b) VALUES(?1, ?2, ?3, ?4, ?5),"
                        " ('nulls', ?6, NULL, NULL, NULL)",
                        "siiibn", "full", (int64_t)7, (int64_t)1709164800123, (int64_t)1,
                        (const void *)blob, sizeof blob);
}

static void test_q_helpers(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    struct exec_out o = {0};
    assert_int_equal(store_write(e->st, exec_out_job, &o), 0);
    assert_int_equal(o.last_id, 3);
    assert_int_equal(o.changes, 2);
    assert_int_equal(store_write(e->st, fill_job, NULL), 0);

    struct store_conn *c = store_read_begin(e->st);
    json_t *row = NULL, *rows = NULL;
    assert_int_equal(store_q_row(c, &row,
                                 "SELECT v, n, at AS \"at:time\", flag AS \"flag:bool\", b"
                                 " FROM t WHERE v = ?1",
                                 "s", "full"),
                     0);
    assert_string_equal(json_string_value(json_object_get(row, "v")), "full");
    assert_int_equal(json_integer_value(json_object_get(row, "n")), 7);
    assert_string_equal(json_string_value(json_object_get(row, "at")), "2024-02-29T00:00:00.123Z");
    assert_true(json_is_true(json_object_get(row, "flag")));
    assert_string_equal(json_string_value(json_object_get(row, "b")), "00abff");
    assert_null(json_object_get(row, "at:time")); /* the suffix is dropped from the key */
    json_decref(row);

    assert_int_equal(store_q_row(c, &row,
                                 "SELECT n, at AS \"at:time\", flag AS \"flag:bool\" FROM t"
                                 " WHERE v = 'nulls'",
                                 ""),
                     0);
    assert_true(json_is_null(json_object_get(row, "at")));
    assert_true(json_is_null(json_object_get(row, "flag")));
    assert_true(json_is_null(json_object_get(row, "n")));
    json_decref(row);

    row = (json_t *)(uintptr_t)0x1;
    assert_int_equal(store_q_row(c, &row, "SELECT v FROM t WHERE v = 'none'", ""), -ENOENT);
    assert_true(row == (json_t *)(uintptr_t)0x1);
    int64_t n = -1;
    assert_int_equal(store_q_int(c, &n, "SELECT n FROM t WHERE v = 'none'", ""), -ENOENT);
    assert_int_equal(store_q_int(c, &n, "SELECT count(*) FROM t WHERE n >= ?1", "i", (int64_t)2),
                     0);
    assert_int_equal(n, 4); /* a, b (now 2), c (5), full (7) */

    assert_int_equal(store_q_rows(c, &rows, "SELECT v FROM t ORDER BY id", ""), 0);
    assert_int_equal(json_array_size(rows), 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 2), "v")), "c");
    json_decref(rows);
    assert_int_equal(store_q_rows(c, &rows, "SELECT v FROM t WHERE 0", ""), 0);
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);

    /* Bad SQL and a bad format letter are errors, not crashes. */
    assert_int_equal(store_q_rows(c, &rows, "SELEC nonsense", ""), -EIO);
    assert_int_equal(store_q_int(c, &n, "SELECT ?1", "x", (int64_t)1), -EINVAL);
    /* A read connection cannot write. */
    assert_true(store_q_exec(c, NULL, NULL, "INSERT INTO t(v, n) VALUES('ro', 1)", "") < 0);
    store_read_end(e->st, c);
    assert_false(has_row(e->st, "ro"));
}

static void test_read_snapshot(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    struct insert_job a = {.v = "a"};
    assert_int_equal(store_write(e->st, insert_job, &a), 0);
    struct store_conn *c = store_read_begin(e->st);
    int64_t n = -1;
    assert_int_equal(store_q_int(c, &n, "SELECT count(*) FROM t", ""), 0);
    assert_int_equal(n, 1);
    /* A commit made while the snapshot is open is not seen through it ... */
    struct insert_job b = {.v = "b"};
    assert_int_equal(store_write(e->st, insert_job, &b), 0);
    assert_int_equal(store_q_int(c, &n, "SELECT count(*) FROM t", ""), 0);
    assert_int_equal(n, 1);
    store_read_end(e->st, c);
    /* ... but by the next one. */
    assert_int_equal(count_rows(e->st, "1"), 2);
}

/* ---- backup ---- */

static off_t file_size(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_size;
}

static void test_backup(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    for (int i = 0; i < 50; i++) {
        char v[16];
        snprintf(v, sizeof v, "row%d", i);
        struct insert_job j = {.v = v, .n = i};
        assert_int_equal(store_write(e->st, insert_job, &j), 0);
    }
    /* Backed up while the store is open (the WAL holds the recent commits). */
    char dest[TMPDIR_PATH_MAX], err[512] = "";
    tmpdir_path(e->dir, "backup.db", dest);
    assert_int_equal(store_backup(e->path, dest, err, sizeof err), 0);
    struct insert_job later = {.v = "later"};
    assert_int_equal(store_write(e->st, insert_job, &later), 0);

    struct store *copy = NULL;
    assert_int_equal(store_open(&copy, dest, NULL, err, sizeof err), 0);
    int64_t n = -1, sum = -1;
    struct store_conn *c = store_read_begin(copy);
    assert_int_equal(store_q_int(c, &n, "SELECT count(*) FROM t", ""), 0);
    assert_int_equal(store_q_int(c, &sum, "SELECT sum(n) FROM t", ""), 0);
    int64_t later_n = -1;
    assert_int_equal(store_q_int(c, &later_n, "SELECT count(*) FROM t WHERE v = 'later'", ""), 0);
    store_read_end(copy, c);
    store_close(copy);
    assert_int_equal(n, 50);
    assert_int_equal(sum, 49 * 50 / 2);
    assert_int_equal(later_n, 0); /* a snapshot of the moment of the backup */
    int v = -1;
    assert_int_equal(store_peek_version(dest, &v), 0);
    assert_int_equal(v, store_schema_version());

    /* It never overwrites: an existing file stays as it was. */
    off_t size = file_size(dest);
    err[0] = '\0';
    assert_int_equal(store_backup(e->path, dest, err, sizeof err), -EEXIST);
    assert_contains(err, dest);
    assert_int_equal(file_size(dest), size);
    char other[TMPDIR_PATH_MAX];
    tmpdir_path(e->dir, "notes.txt", other);
    FILE *f = fopen(other, "w");
    assert_non_null(f);
    fputs("keep me\n", f);
    fclose(f);
    assert_int_equal(store_backup(e->path, other, err, sizeof err), -EEXIST);
    assert_int_equal(file_size(other), 8);
}

static void test_backup_missing_source(void **state)
{
    struct testenv *e = *state;
    char src[TMPDIR_PATH_MAX], dest[TMPDIR_PATH_MAX], err[512] = "";
    tmpdir_path(e->dir, "absent.db", src);
    tmpdir_path(e->dir, "out.db", dest);
    assert_true(store_backup(src, dest, err, sizeof err) < 0);
    assert_true(err[0] != '\0');
    FILE *f = fopen(dest, "r"); /* no half-made backup is left behind */
    assert_null(f);
}

/* ---- ready-text and lazy events; the incident snapshot in SQL ---- */

static char *lazy_build(struct store_conn *c, int64_t key)
{
    (void)c;
    char buf[64];
    snprintf(buf, sizeof buf, "{\"v\":\"lazy%lld\"}", (long long)key);
    return key == 99 ? NULL : strdup(buf); /* 99: dropped */
}

static int text_events_job(struct store_conn *c, void *arg)
{
    (void)arg;
    store_conn_emit_text(c, "text", strdup("{\"v\":\"t1\"}"));
    store_conn_emit_lazy(c, "lazy", 7, lazy_build);
    store_conn_emit_lazy(c, "lazy", 8, lazy_build);
    store_conn_emit_lazy(c, "lazy", 7, lazy_build); /* the same key: only this one is kept */
    store_conn_emit_lazy(c, "lazy", 99, lazy_build);
    return 0;
}

static int text_failing_job(struct store_conn *c, void *arg)
{
    (void)arg;
    store_conn_emit_text(c, "never", strdup("{\"v\":\"x\"}"));
    store_conn_emit_lazy(c, "never", 1, lazy_build);
    return -EINVAL;
}

static void test_text_and_lazy_events(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    struct sink *sink = sink_new(e->path);
    store_set_event_sink(e->st, sink_fn, sink);
    assert_int_equal(store_write(e->st, text_events_job, NULL), 0);
    assert_int_equal(store_write(e->st, text_failing_job, NULL), -EINVAL);
    store_set_event_sink(e->st, NULL, NULL);
    /* In order: the text event, lazy 8, lazy 7 (in the place of its last emit); 99 dropped. */
    assert_int_equal(sink->n, 3);
    assert_string_equal(sink->type[0], "text");
    assert_string_equal(sink->v[0], "t1");
    assert_string_equal(sink->v[1], "lazy8");
    assert_string_equal(sink->v[2], "lazy7");
    /* Emitting text on a read connection frees it (LeakSanitizer checks). */
    struct store_conn *c = store_read_begin(e->st);
    store_conn_emit_text(c, "read", strdup("{}"));
    store_read_end(e->st, c);
    sink_free(sink);
}

static void test_incident_json(void **state)
{
    struct testenv *e = *state;
    /* Every kind of value: names that need escaping, NULLs, booleans, times at the edges
     * of what clock_format_iso renders (negative and past year 9999: null). */
    raw_exec(e->path,
             "INSERT INTO site(id, name, timezone, created_at) VALUES(1, 's', 'UTC', 0);"
             "INSERT INTO area(id, site_id, kind, name, building, floor, elevator_no, created_at)"
             " VALUES(5, 1, 'elevator', 'Lift \"A\" \u00e9' || char(10), 'B1', 3, 'E2', 0);"
             "INSERT INTO device(id, area_id, kind, name, created_at)"
             " VALUES(6, 5, 'elevator_controller', 'ctl\\1', 0);"
             "INSERT INTO incident(id, type, priority, state, verdict, account, zone, area_id,"
             " device_id, unmapped, title, source, alarm_count, opened_at, last_alarm_at,"
             " updated_at, acked_at, acked_by, closed_at, injured) VALUES(1, 'elevator', 2,"
             " 'closed', 'real', 'AB12', '003', 5, 6, 0, 'title', 'dc09-tcp:1.2.3.4:5', 7,"
             " 1795737600123, 1795737601000, 1795737602999, 0, 'op', 253402300799999, 1),"
             " (2, 'other', 5, 'new', NULL, NULL, NULL, NULL, NULL, 1, 't2', 's', 0, 86399999,"
             " NULL, -5, NULL, NULL, 253402300800000, 0);");
    struct store_conn *c = store_read_begin(e->st);
    for (int64_t id = 1; id <= 2; id++) {
        json_t *row = NULL;
        char *text = NULL;
        assert_int_equal(store_incident_get(c, id, &row), 0);
        assert_int_equal(store_incident_json(c, id, &text), 0);
        /* The same text as the API's object serialised: keys, order, types and values. */
        char *want = json_dumps(row, JSON_COMPACT);
        assert_string_equal(text, want);
        free(want);
        free(text);
        json_decref(row);
    }
    char *text = NULL;
    assert_int_equal(store_incident_json(c, 3, &text), -ENOENT);
    store_read_end(e->st, c);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testenv_setup, testenv_teardown)

static int blob_job(struct store_conn *c, void *arg)
{
    char v[32];
    snprintf(v, sizeof v, "blob%d", *(int *)arg);
    return store_q_exec(c, NULL, NULL, "INSERT INTO t(v, b) VALUES(?1, zeroblob(200000))", "s", v);
}

/* The WAL is checkpointed by the checkpoint thread (store_ckpt.c): SQLite's automatic
 * checkpoint inside COMMIT is off, and the writer's inline fallback only starts at 4,000 pages
 * of WAL, so the database file grows only if the thread did its work. */
static void test_wal_checkpointed_off_writer(void **state)
{
    struct testenv *e = *state;
    create_table(e->st);
    for (int i = 0; i < 40; i++) /* 8 MB: some 2,000 pages of WAL */
        assert_int_equal(store_write(e->st, blob_job, &i), 0);
    struct stat sb = {0};
    for (int i = 0; i < 1000; i++) { /* bounded wait, not a timing assertion */
        assert_int_equal(stat(e->path, &sb), 0);
        if (sb.st_size >= 4 * 1000 * 1000)
            break;
        nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    }
    assert_true(sb.st_size >= 4 * 1000 * 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_open_fresh),
        T(test_reopen),
        T(test_newer_schema_refused),
        T(test_open_failure),
        T(test_job_rollback),
        T(test_job_rollback_whole_job),
        T(test_group_commit_concurrent),
        T(test_events),
        T(test_commit_failure),
        T(test_q_exec_errors),
        T(test_q_helpers),
        T(test_read_snapshot),
        T(test_backup),
        T(test_backup_missing_source),
        T(test_text_and_lazy_events),
        T(test_incident_json),
        T(test_wal_checkpointed_off_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
