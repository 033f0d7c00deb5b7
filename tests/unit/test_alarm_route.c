/* test_alarm_route.c - the writer's in-memory routing (store/store_route.c): a cached open
 * incident or mapping is never used after it changed - an incident's state change, a mapping
 * change, a rolled-back job, another connection's commit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/alarm.h"
#include "core/clock.h"
#include "lib/testenv.h"
#include "store/store_alarm.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

struct ingest {
    struct alarm_in in;
    struct alarm_result r;
    int fail; /* roll the job back after ingesting (twice: the second one hits the cache) */
};

static int ingest_job(struct store_conn *c, void *arg)
{
    struct ingest *j = arg;
    int rc = alarm_ingest(c, &j->in, clock_now_ms(), &j->r);
    if (!rc && j->fail)
        rc = alarm_ingest(c, &j->in, clock_now_ms(), &j->r);
    return rc ? rc : j->fail ? -EIO : 0;
}

static struct alarm_result ingest(struct testenv *e, const char *zone, int fail)
{
    struct ingest j = {.in = {.protocol = "API", .seq = -1, .kind = ALARM_EVENT}, .fail = fail};
    snprintf(j.in.account, sizeof j.in.account, "R0A1");
    snprintf(j.in.code, sizeof j.in.code, "BA");
    snprintf(j.in.zone, sizeof j.in.zone, "%s", zone);
    snprintf(j.in.source, sizeof j.in.source, "test");
    snprintf(j.in.code_type, sizeof j.in.code_type, "intrusion");
    assert_int_equal(store_write(e->st, ingest_job, &j), fail ? -EIO : 0);
    return j.r;
}

struct close_job {
    int64_t id;
};

static int close_job(struct store_conn *c, void *arg)
{
    struct close_job *j = arg;
    return store_incident_set_state(c, j->id, "closed", "false", "test", clock_now_ms());
}

static int map_job(struct store_conn *c, void *arg)
{
    int64_t id;
    (void)arg;
    return store_map_upsert(c, "R0A1", "*", 0, 0, "elevator", "", &id);
}

/* The incident's type and alarm count as stored. */
static void incident_is(struct testenv *e, int64_t id, const char *type, int64_t count)
{
    struct store_conn *c = store_read_begin(e->st);
    json_t *row = NULL;
    int rc = store_incident_get(c, id, &row);
    store_read_end(e->st, c);
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(row, "type")), type);
    assert_int_equal(json_integer_value(json_object_get(row, "alarm_count")), count);
    json_decref(row);
}

static void test_route_state_change(void **state)
{
    struct testenv *e = *state;
    struct alarm_result a = ingest(e, "1", 0);
    assert_true(a.new_incident);
    struct alarm_result b = ingest(e, "1", 0); /* joins: the open incident is cached now */
    assert_false(b.new_incident);
    assert_int_equal(b.incident_id, a.incident_id);
    struct close_job cj = {a.incident_id};
    assert_int_equal(store_write(e->st, close_job, &cj), 0);
    struct alarm_result c = ingest(e, "1", 0); /* the closed one must not be joined */
    assert_true(c.new_incident);
    assert_true(c.incident_id != a.incident_id);
    incident_is(e, a.incident_id, "intrusion", 2);
    incident_is(e, c.incident_id, "intrusion", 1);
}

static void test_route_mapping_change(void **state)
{
    struct testenv *e = *state;
    struct alarm_result a = ingest(e, "2", 0); /* no mapping: cached as such */
    incident_is(e, a.incident_id, "intrusion", 1);
    assert_int_equal(store_write(e->st, map_job, NULL), 0);
    struct alarm_result b = ingest(e, "2", 0); /* the account's mapping now says elevator */
    assert_true(b.new_incident);
    incident_is(e, b.incident_id, "elevator", 1);
}

static void test_route_rollback(void **state)
{
    struct testenv *e = *state;
    /* The job opens an incident, joins it (caching it) and rolls back: the incident is gone. */
    struct alarm_result a = ingest(e, "3", 1);
    struct alarm_result b = ingest(e, "3", 0);
    assert_true(b.new_incident);
    incident_is(e, b.incident_id, "intrusion", 1);
    (void)a;
}

static void test_route_other_connection(void **state)
{
    struct testenv *e = *state;
    struct alarm_result a = ingest(e, "4", 0);
    assert_int_equal(ingest(e, "4", 0).incident_id, a.incident_id); /* cached */
    /* Another process (vigilctl) closes it behind the writer's back. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE incident SET state = 'closed' WHERE id = %lld",
             (long long)a.incident_id);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct alarm_result b = ingest(e, "4", 0);
    assert_true(b.new_incident);
    assert_true(b.incident_id != a.incident_id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_route_state_change, testenv_setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_route_mapping_change, testenv_setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_route_rollback, testenv_setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_route_other_connection, testenv_setup,
                                        testenv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
