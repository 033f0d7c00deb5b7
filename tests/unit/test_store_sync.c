/* test_store_sync.c - the WAL sync thread (store/store_sync.c): a commit's events and its
 * completion wait for an fsync that started after it; the file synced is SQLite's own WAL (also
 * through a symlinked path); a WAL unlinked or replaced behind the store's back fails the write,
 * and the failure sticks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/testenv.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int create_table_job(struct store_conn *c, void *arg)
{
    (void)arg;
    return store_q_exec(c, NULL, NULL, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
                        "");
}

static void create_table(struct store *st)
{
    assert_int_equal(store_write(st, create_table_job, NULL), 0);
}

struct insert_job {
    const char *v;
};

static int insert_job(struct store_conn *c, void *arg)
{
    struct insert_job *j = arg;
    return store_q_exec(c, NULL, NULL, "INSERT INTO t(v) VALUES(?1)", "s", j->v);
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

/* A commit's events go out (and its jobs complete) only after a WAL fsync that started after
 * the commit (store_sync.c): the job notes the fsync count while it runs, the sink when the
 * event arrives, and the sink's must be higher. Sequential writes: no other commit's fsync can
 * stand in for this one's. */
static struct store *g_sync_store;
static uint64_t g_syncs_at_event;

static uint64_t syncs_now(void)
{
    struct store_stats s;
    store_stats_get(g_sync_store, &s);
    return s.syncs;
}

static int sync_job(struct store_conn *c, void *arg)
{
    *(uint64_t *)arg = syncs_now();
    store_conn_emit(c, "t.sync", json_object());
    return 0;
}

static void sync_sink(void *ctx, const char *type, json_t *data, const char *json)
{
    (void)ctx, (void)type, (void)data, (void)json;
    g_syncs_at_event = syncs_now();
}

static void test_completion_after_wal_sync(void **state)
{
    struct testenv *e = *state;
    g_sync_store = e->st;
    store_set_event_sink(e->st, sync_sink, NULL);
    for (int i = 0; i < 5; i++) {
        uint64_t at_job = 0;
        g_syncs_at_event = 0;
        assert_int_equal(store_write(e->st, sync_job, &at_job), 0);
        assert_true(g_syncs_at_event > at_job); /* the event waited for an fsync */
        assert_true(syncs_now() > at_job);      /* so did the completion */
    }
    store_set_event_sink(e->st, NULL, NULL);
    struct store_stats s;
    store_stats_get(e->st, &s);
    assert_int_equal(s.sync_failures, 0);
}

/* A WAL file that is no longer the database's (unlinked behind the store's back, or replaced by
 * another file of that name) never stands in for the real one: the write is not reported done,
 * the failure is counted and sticks: later writes are refused before they commit, and the store
 * stays unhealthy. */
static void dead_wal(struct testenv *e, int recreate)
{
    create_table(e->st);
    struct insert_job a = {.v = "a"};
    assert_int_equal(store_write(e->st, insert_job, &a), 0);
    char wal[TMPDIR_PATH_MAX + 8];
    snprintf(wal, sizeof wal, "%s-wal", e->path);
    assert_int_equal(unlink(wal), 0);
    if (recreate) {
        FILE *f = fopen(wal, "w");
        assert_non_null(f);
        fclose(f);
    }
    struct insert_job b = {.v = "b"};
    assert_true(store_write(e->st, insert_job, &b) < 0);
    struct insert_job c = {.v = "c"};
    assert_int_equal(store_write(e->st, insert_job, &c), -EIO);
    assert_false(has_row(e->st, "c")); /* refused before it was committed */
    struct store_stats s;
    store_stats_get(e->st, &s);
    assert_true(s.sync_failures >= 1);
    assert_int_equal(s.healthy, 0);
}

static void test_sync_refuses_a_dead_wal(void **state)
{
    dead_wal(*state, 0);
}

static void test_sync_refuses_a_replaced_wal(void **state)
{
    dead_wal(*state, 1);
}

/* Opened through a symlink, the store syncs the WAL SQLite writes: beside the real database. */
static void test_sync_through_a_symlink(void **state)
{
    struct testenv *e = *state;
    char real[TMPDIR_PATH_MAX + 16], link[TMPDIR_PATH_MAX + 16], err[512] = "";
    snprintf(real, sizeof real, "%s/real", e->dir);
    snprintf(link, sizeof link, "%s/link.db", e->dir);
    assert_int_equal(mkdir(real, 0700), 0);
    char target[TMPDIR_PATH_MAX + 32];
    snprintf(target, sizeof target, "%s/v.db", real);
    assert_int_equal(symlink(target, link), 0);
    struct store *st = NULL;
    if (store_open(&st, link, NULL, err, sizeof err) != 0)
        fail_msg("store_open through a symlink: %s", err);
    create_table(st);
    struct insert_job a = {.v = "a"};
    assert_int_equal(store_write(st, insert_job, &a), 0);
    struct store_stats s;
    store_stats_get(st, &s);
    assert_true(s.syncs >= 1);
    assert_int_equal(s.sync_failures, 0);
    store_close(st);
    unlink(link);
    char f[TMPDIR_PATH_MAX + 48];
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s%s", target, suffix[i]);
        unlink(f);
    }
    assert_int_equal(rmdir(real), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testenv_setup, testenv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_completion_after_wal_sync),
        T(test_sync_refuses_a_dead_wal),
        T(test_sync_refuses_a_replaced_wal),
        T(test_sync_through_a_symlink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
