/* test_alarm_event.c - the live stream's "alarm" and "incident" events of alarm_ingest (app/alarm)
 * are ready JSON text: valid JSON with the stored values, whatever bytes a panel sent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/alarm.h"
#include "lib/testenv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alarm_event_text, testenv_setup, testenv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
