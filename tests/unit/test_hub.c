/* test_hub.c - event fan-out with the replay ring (core/hub). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/clock.h"
#include "core/hub.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Takes the next event after `after` and checks it. */
static void expect_next(struct hub *h, uint64_t after, uint64_t want_id, const char *want_type,
                        const char *want_json)
{
    uint64_t id = 0;
    char *type = NULL, *json = NULL;
    assert_int_equal(hub_next(h, after, 0, &id, &type, &json), 0);
    assert_int_equal(id, want_id);
    assert_string_equal(type, want_type);
    assert_string_equal(json, want_json);
    free(type);
    free(json);
}

static void test_publish_order(void **state)
{
    (void)state;
    struct hub *h = hub_new(8);
    assert_int_equal(hub_last_id(h), 0);
    char type[32], json[32];
    for (int i = 1; i <= 5; i++) {
        snprintf(type, sizeof type, "t%d", i);
        snprintf(json, sizeof json, "{\"n\":%d}", i);
        assert_int_equal(hub_publish(h, type, json), (uint64_t)i);
        /* The hub copies: changing our buffers afterwards changes nothing. */
        memset(type, 'X', 4);
    }
    assert_int_equal(hub_last_id(h), 5);
    /* Each call returns the oldest event after `after`, so a subscriber sees them in order. */
    uint64_t after = 0;
    for (int i = 1; i <= 5; i++) {
        char t[32], j[32];
        snprintf(t, sizeof t, "t%d", i);
        snprintf(j, sizeof j, "{\"n\":%d}", i);
        expect_next(h, after, (uint64_t)i, t, j);
        after = (uint64_t)i;
    }
    /* Any subscriber may start anywhere in the ring. */
    expect_next(h, 3, 4, "t4", "{\"n\":4}");
    hub_free(h);
    hub_free(NULL);
}

static void test_timeout(void **state)
{
    (void)state;
    struct hub *h = hub_new(4);
    hub_publish(h, "a", "{}");
    uint64_t id = 77;
    char *type = NULL, *json = NULL;
    int64_t t0 = clock_mono_ms();
    assert_int_equal(hub_next(h, 1, 10, &id, &type, &json), -ETIMEDOUT);
    assert_true(clock_mono_ms() - t0 >= 9); /* it did wait */
    assert_int_equal(hub_next(h, 1, 0, &id, &type, &json), -ETIMEDOUT);
    assert_int_equal(hub_next(h, 5, 0, &id, &type, &json), -ETIMEDOUT); /* ahead of the hub */
    assert_int_equal(id, 77);                                           /* untouched */
    assert_null(type);
    assert_null(json);
    hub_free(h);
}

static void test_overflow(void **state)
{
    (void)state;
    struct hub *h = hub_new(4);
    char json[16];
    for (int i = 1; i <= 10; i++) {
        snprintf(json, sizeof json, "%d", i);
        hub_publish(h, "e", json);
    }
    /* The ring holds 7..10. A subscriber that saw 2 has missed 3..6. */
    uint64_t id = 0;
    char *type = NULL, *json_out = NULL;
    assert_int_equal(hub_next(h, 2, 0, &id, &type, &json_out), -ERANGE);
    assert_int_equal(id, 6);
    assert_null(type);
    assert_int_equal(hub_next(h, 0, 0, &id, &type, &json_out), -ERANGE);
    assert_int_equal(id, 6);
    assert_int_equal(hub_next(h, 5, 0, &id, &type, &json_out), -ERANGE);
    assert_int_equal(id, 6);
    /* Resuming from the id given back works and yields the oldest event still held. */
    expect_next(h, 6, 7, "e", "7");
    expect_next(h, 9, 10, "e", "10");
    hub_free(h);
}

static void test_ring_exactly_full(void **state)
{
    (void)state;
    struct hub *h = hub_new(4);
    for (int i = 1; i <= 4; i++)
        hub_publish(h, "e", i == 1 ? "first" : "later");
    /* Four events in a ring of four: the first one is still there. */
    expect_next(h, 0, 1, "e", "first");
    hub_publish(h, "e", "fifth");
    uint64_t id = 0;
    char *type = NULL, *json = NULL;
    assert_int_equal(hub_next(h, 0, 0, &id, &type, &json), -ERANGE);
    assert_int_equal(id, 1);
    expect_next(h, 4, 5, "e", "fifth");
    hub_free(h);
}

struct waiter {
    struct hub *h;
    uint64_t after;
    int timeout_ms;
    int rc;
    uint64_t id;
    char *type, *json;
    int64_t waited_ms;
    atomic_int started;
};

static void *waiter_main(void *arg)
{
    struct waiter *w = arg;
    atomic_store(&w->started, 1);
    int64_t t0 = clock_mono_ms();
    w->rc = hub_next(w->h, w->after, w->timeout_ms, &w->id, &w->type, &w->json);
    w->waited_ms = clock_mono_ms() - t0;
    return NULL;
}

static void test_wakes_on_publish(void **state)
{
    (void)state;
    struct hub *h = hub_new(16);
    struct waiter w = {.h = h, .after = 0, .timeout_ms = 60000};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, waiter_main, &w), 0);
    while (!atomic_load(&w.started))
        sched_yield();
    hub_publish(h, "alarm", "{\"zone\":3}");
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(w.rc, 0);
    assert_int_equal(w.id, 1);
    assert_string_equal(w.type, "alarm");
    assert_string_equal(w.json, "{\"zone\":3}");
    assert_true(w.waited_ms < 30000); /* woken by the publish, not by the timeout */
    free(w.type);
    free(w.json);
    hub_free(h);
}

static void test_shutdown_wakes_waiter(void **state)
{
    (void)state;
    struct hub *h = hub_new(16);
    hub_publish(h, "a", "{}");
    struct waiter w[3];
    pthread_t t[3];
    for (int i = 0; i < 3; i++) {
        w[i] = (struct waiter){.h = h, .after = 1, .timeout_ms = 60000, .id = 99};
        assert_int_equal(pthread_create(&t[i], NULL, waiter_main, &w[i]), 0);
    }
    /* Correct in either order (hub_next checks the flag first); this makes waiting likely. */
    for (int i = 0; i < 3; i++)
        while (!atomic_load(&w[i].started))
            sched_yield();
    hub_shutdown(h);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(w[i].rc, -ESHUTDOWN);
        assert_true(w[i].waited_ms < 30000); /* woken, not timed out */
        assert_int_equal(w[i].id, 99);
        assert_null(w[i].type);
    }
    /* From then on every hub_next says so at once, even with events to read. */
    uint64_t id;
    char *type = NULL, *json = NULL;
    assert_int_equal(hub_next(h, 0, 60000, &id, &type, &json), -ESHUTDOWN);
    hub_free(h);
}

static void test_clients(void **state)
{
    (void)state;
    struct hub *h = hub_new(0); /* 0 picks the default size */
    assert_int_equal(hub_clients(h), 0);
    hub_client_add(h, 1);
    hub_client_add(h, 1);
    hub_client_add(h, -1);
    assert_int_equal(hub_clients(h), 1);
    for (int i = 0; i < 1024; i++)
        hub_publish(h, "e", "{}");
    uint64_t id;
    char *type = NULL, *json = NULL;
    assert_int_equal(hub_next(h, 0, 0, &id, &type, &json), 0); /* 1024 fit */
    free(type);
    free(json);
    hub_publish(h, "e", "{}");
    assert_int_equal(hub_next(h, 0, 0, &id, &type, &json), -ERANGE);
    hub_free(h);
}

struct producer {
    struct hub *h;
    int n;
};

static void *producer_main(void *arg)
{
    struct producer *p = arg;
    for (int i = 0; i < p->n; i++)
        hub_publish(p->h, "p", "{}");
    return NULL;
}

static void test_concurrent_publish(void **state)
{
    (void)state;
    /* Ids stay unique and dense under concurrent producers; a consumer reads them all in order. */
    enum { PRODUCERS = 4, EACH = 500 };
    struct hub *h = hub_new(PRODUCERS * EACH);
    struct producer p = {.h = h, .n = EACH};
    pthread_t t[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, producer_main, &p), 0);
    uint64_t after = 0;
    while (after < PRODUCERS * EACH) {
        uint64_t id;
        char *type = NULL, *json = NULL;
        int rc = hub_next(h, after, 10000, &id, &type, &json);
        assert_int_equal(rc, 0);
        assert_int_equal(id, after + 1);
        free(type);
        free(json);
        after = id;
    }
    for (int i = 0; i < PRODUCERS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(hub_last_id(h), PRODUCERS * EACH);
    hub_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_order),    cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_overflow),         cmocka_unit_test(test_ring_exactly_full),
        cmocka_unit_test(test_wakes_on_publish), cmocka_unit_test(test_shutdown_wakes_waiter),
        cmocka_unit_test(test_clients),          cmocka_unit_test(test_concurrent_publish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
