/* test_alarm_event.c - the live stream's "alarm" and "incident" events of alarm_ingest (app/alarm)
 * are ready JSON text: valid JSON with the stored values, whatever bytes a panel sent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/alarm.h"
#include "core/clock.h"
#include "lib/testenv.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct seen {
    int n;
    char type[4][16];
    json_t *ev[4];
};

/* Runs on the writer thread: records, asserts nothing (cmocka is not thread-safe). */
static void sink(void *ctx, const char *type, json_t *data, const char *json)
{
    struct seen *s = ctx;
    if ((strcmp(type, "alarm") != 0 && strcmp(type, "incident") != 0) || s->n >= 4)
        return; /* the new incident's audit and duty-log events */
    snprintf(s->type[s->n], sizeof s->type[0], "%s", type);
    s->ev[s->n++] = data ? NULL : json_loads(json, JSON_REJECT_DUPLICATES, NULL);
}

static int ingest_job(struct store_conn *c, void *arg)
{
    struct alarm_result r;
    return alarm_ingest(c, arg, TESTENV_T0, &r);
}

static void test_alarm_event_text(void **state)
{
    struct testenv *e = *state;
    struct alarm_in in = {.protocol = "API", .seq = -1, .kind = ALARM_EVENT};
    snprintf(in.account, sizeof in.account, "AB-12_x");
    snprintf(in.code, sizeof in.code, "B\"\\A");
    /* a control character and UTF-8 (é); the parsers and the API let nothing else through */
    memcpy(in.zone, "z\x01\xc3\xa9", 5);
    snprintf(in.source, sizeof in.source, "test");
    snprintf(in.code_type, sizeof in.code_type, "intrusion");
    struct seen s = {0};
    store_set_event_sink(e->st, sink, &s);
    assert_int_equal(store_write(e->st, ingest_job, &in), 0);
    store_set_event_sink(e->st, NULL, NULL);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.type[0], "alarm");
    assert_string_equal(s.type[1], "incident");
    json_t *a = s.ev[0]; /* NULL when it was not ready text or not JSON */
    assert_non_null(a);
    assert_non_null(s.ev[1]);
    assert_int_equal(json_object_size(a), 6);
    assert_int_equal(json_integer_value(json_object_get(a, "id")), 1);
    assert_string_equal(json_string_value(json_object_get(a, "account")), "AB-12_x");
    assert_string_equal(json_string_value(json_object_get(a, "code")), "B\"\\A");
    assert_string_equal(json_string_value(json_object_get(a, "kind")), "event");
    assert_string_equal(json_string_value(json_object_get(a, "zone")), "z\x01\xc3\xa9");
    int64_t inc = json_integer_value(json_object_get(a, "incident_id"));
    assert_true(inc > 0);
    json_t *i = s.ev[1];
    assert_int_equal(json_integer_value(json_object_get(i, "id")), inc);
    assert_int_equal(json_integer_value(json_object_get(i, "alarm_count")), 1);
    assert_string_equal(json_string_value(json_object_get(i, "type")), "intrusion");
    assert_true(json_is_true(json_object_get(i, "unmapped")));
    assert_string_equal(json_string_value(json_object_get(i, "opened_at")),
                        "2026-11-27T00:00:00.000Z");
    for (int k = 0; k < s.n; k++)
        json_decref(s.ev[k]);
}

/* ---- incident snapshots of repeat alarms are coalesced across commits ---- */

#define REC_MAX 64

/* The alarm counts of the incident events delivered (deferred ones come from the writer thread
 * at any time: everything under the lock). */
struct rec {
    pthread_mutex_t mu;
    int n;
    int64_t count[REC_MAX];
};

static void rec_sink(void *ctx, const char *type, json_t *data, const char *json)
{
    struct rec *r = ctx;
    if (strcmp(type, "incident") != 0 || data)
        return;
    json_t *v = json_loads(json, 0, NULL);
    pthread_mutex_lock(&r->mu);
    if (r->n < REC_MAX)
        r->count[r->n++] = json_integer_value(json_object_get(v, "alarm_count"));
    pthread_mutex_unlock(&r->mu);
    json_decref(v);
}

static int rec_n(struct rec *r, int64_t *last)
{
    pthread_mutex_lock(&r->mu);
    int n = r->n;
    *last = n ? r->count[n - 1] : -1;
    pthread_mutex_unlock(&r->mu);
    return n;
}

static void repeat_in(struct alarm_in *in)
{
    memset(in, 0, sizeof *in);
    in->protocol = "API";
    in->seq = -1;
    in->kind = ALARM_EVENT;
    snprintf(in->account, sizeof in->account, "C0A1");
    snprintf(in->code, sizeof in->code, "BA");
    snprintf(in->zone, sizeof in->zone, "7");
    snprintf(in->source, sizeof in->source, "test");
    snprintf(in->code_type, sizeof in->code_type, "intrusion");
}

static int now_job(struct store_conn *c, void *arg)
{
    struct alarm_result r;
    return alarm_ingest(c, arg, clock_now_ms(), &r);
}

/* A state change stand-in: an immediate snapshot of incident 1. */
static int state_job(struct store_conn *c, void *arg)
{
    (void)arg;
    incident_emit(c, 1);
    return 0;
}

static int failing_job(struct store_conn *c, void *arg)
{
    struct alarm_result r;
    int rc = alarm_ingest(c, arg, clock_now_ms(), &r);
    return rc ? rc : -EIO;
}

/* Waits (bounded, not timed: the writer's timer looks again at least every 200 ms) for n
 * incident events. */
static int rec_wait(struct rec *r, int n, int64_t *last)
{
    for (int i = 0; i < 1000 && rec_n(r, last) < n; i++)
        nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    return rec_n(r, last);
}

static void test_incident_coalesced(void **state)
{
    struct testenv *e = *state;
    struct rec r = {.mu = PTHREAD_MUTEX_INITIALIZER};
    struct alarm_in in;
    repeat_in(&in);
    int64_t last;
    store_set_event_sink(e->st, rec_sink, &r);
    /* The first alarm opens the incident: its snapshot goes out with the commit. */
    assert_int_equal(store_write(e->st, now_job, &in), 0);
    assert_int_equal(rec_n(&r, &last), 1);
    assert_int_equal(last, 1);
    /* Repeats within the window (the clock is pinned) only raise the count: they wait. */
    assert_int_equal(store_write(e->st, now_job, &in), 0);
    assert_int_equal(store_write(e->st, now_job, &in), 0);
    assert_int_equal(rec_n(&r, &last), 1);
    /* At the end of the window one snapshot goes out, with the final count. */
    clock_advance(1000);
    assert_int_equal(rec_wait(&r, 2, &last), 2);
    assert_int_equal(last, 3);
    /* Another repeat waits; a state change publishes at once, with the count, and replaces it. */
    assert_int_equal(store_write(e->st, now_job, &in), 0);
    assert_int_equal(rec_n(&r, &last), 2);
    assert_int_equal(store_write(e->st, state_job, NULL), 0);
    assert_int_equal(rec_n(&r, &last), 3);
    assert_int_equal(last, 4);
    /* Nothing is left waiting: closing the store publishes nothing more. */
    testenv_close(e);
    assert_int_equal(rec_n(&r, &last), 3);
    pthread_mutex_destroy(&r.mu);
}

static void test_incident_coalesced_rollback_close(void **state)
{
    struct testenv *e = *state;
    struct rec r = {.mu = PTHREAD_MUTEX_INITIALIZER};
    struct alarm_in in;
    repeat_in(&in);
    int64_t last;
    store_set_event_sink(e->st, rec_sink, &r);
    assert_int_equal(store_write(e->st, now_job, &in), 0);
    /* A repeat whose job rolls back leaves nothing to publish, not even at close. */
    assert_int_equal(store_write(e->st, failing_job, &in), -EIO);
    assert_int_equal(store_write(e->st, now_job, &in), 0); /* waits: count 2 */
    assert_int_equal(rec_n(&r, &last), 1);
    /* Closing the store publishes the waiting snapshot: the final count, once. */
    testenv_close(e);
    assert_int_equal(rec_n(&r, &last), 2);
    assert_int_equal(last, 2);
    assert_int_equal(testenv_reopen(e), 0);
    store_set_event_sink(e->st, rec_sink, &r);
    assert_int_equal(store_write(e->st, failing_job, &in), -EIO);
    testenv_close(e);
    assert_int_equal(rec_n(&r, &last), 2);
    pthread_mutex_destroy(&r.mu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alarm_event_text, testenv_setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_incident_coalesced, testenv_setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_incident_coalesced_rollback_close, testenv_setup,
                                        testenv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
