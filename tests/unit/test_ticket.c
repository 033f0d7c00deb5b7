/* test_ticket.c - fault tickets in process with a pinned clock (app/ticket): the in-transaction
 * interface other modules use (open, de-duplication, notes), due times by kind and priority,
 * escalation of overdue tickets at the shift-leader and major levels exactly once each, and
 * downtime as the union of a device's ticket intervals clipped to a period. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/demo.h"
#include "app/response.h"
#include "app/site.h"
#include "app/ticket.h"
#include "core/clock.h"
#include "lib/testenv.h"

#include <errno.h>
#include <string.h>

#define MIN_MS (60 * 1000LL)
#define HOUR_MS (60 * MIN_MS)

static int setup(void **state)
{
    int rc = testenv_setup_app(state);
    if (rc)
        return rc;
    struct testenv *e = *state;
    app_ticket_configure(&e->conf);
    return app_demo_seed(&e->app) < 0 ? -1 : 0;
}

struct open_job {
    struct ticket_spec spec;
    const char *note;
    int64_t id;
    int created;
};

static int open_job(struct store_conn *c, void *arg)
{
    struct open_job *j = arg;
    if (j->note)
        return app_ticket_note_in(c, "system", j->id, j->note, clock_now_ms());
    return app_ticket_open_in(c, "system", &j->spec, clock_now_ms(), &j->id, &j->created);
}

static int64_t open_ticket(struct testenv *e, int64_t device, const char *kind, int *created)
{
    struct open_job j = {.spec = {.device_id = device, .kind = kind, .title = "画面冻结"}};
    assert_int_equal(store_write(e->st, open_job, &j), 0);
    if (created)
        *created = j.created;
    return j.id;
}

static json_t *get(struct testenv *e, int64_t id)
{
    json_t *t = NULL;
    assert_int_equal(app_ticket_get(&e->app, id, &t), 0);
    return t;
}

static void act(struct testenv *e, int64_t id, const char *what, const char *body, int want)
{
    struct actor who;
    app_actor_system(&who, strcmp(what, "verify") == 0 ? "operator" : "engineer");
    struct app_err err = {0};
    json_t *in = json_loads(body, 0, NULL), *out = NULL;
    assert_int_equal(app_ticket_act(&e->app, &who, id, what, in, &out, &err), want);
    json_decref(in);
    json_decref(out);
}

static void repair_and_verify(struct testenv *e, int64_t id)
{
    act(e, id, "assign", "{\"assignee_kind\":\"engineer\",\"assignee\":\"engineer\"}", 0);
    act(e, id, "repair", "{\"result\":\"repaired\",\"note\":\"重启\"}", 0);
    act(e, id, "verify", "{}", 0);
}

static void test_open_in_dedupes_and_notes(void **state)
{
    struct testenv *e = *state;
    int created = 0;
    int64_t id = open_ticket(e, 1, "camera_health", &created);
    assert_true(id > 0);
    assert_int_equal(created, 1);
    assert_int_equal(open_ticket(e, 1, "camera_health", &created), id);
    assert_int_equal(created, 0);
    /* Another kind on the same device is another ticket. */
    int64_t other = open_ticket(e, 1, "fault", &created);
    assert_int_equal(created, 1);
    assert_true(other != id);
    struct open_job n = {.id = id, .note = "camera recovered"};
    assert_int_equal(store_write(e->st, open_job, &n), 0);
    json_t *t = get(e, id);
    json_t *tl = json_object_get(t, "timeline");
    assert_int_equal(json_array_size(tl), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(tl, 1), "note")),
                        "camera recovered");
    /* Due: camera health 2880 min by default. */
    int64_t due = 0;
    assert_int_equal(clock_parse_iso(json_string_value(json_object_get(t, "due_at")), &due), 0);
    assert_int_equal(due, TESTENV_T0 + 2880 * MIN_MS);
    assert_string_equal(json_string_value(json_object_get(t, "device_status")), "fault");
    json_decref(t);
    /* Bad specs write nothing. */
    struct open_job bad = {.spec = {.device_id = 1, .kind = "rumour", .title = "x"}};
    assert_int_equal(store_write(e->st, open_job, &bad), -EINVAL);
    struct open_job closed = {.id = 999, .note = "x"};
    assert_int_equal(store_write(e->st, open_job, &closed), -ENOENT);
    /* Verifying one ticket leaves the device in fault while the other is open. */
    repair_and_verify(e, id);
    t = get(e, other);
    assert_string_equal(json_string_value(json_object_get(t, "device_status")), "fault");
    json_decref(t);
    repair_and_verify(e, other);
    t = get(e, other);
    assert_string_equal(json_string_value(json_object_get(t, "device_status")), "normal");
    json_decref(t);
}

/* How many escalations of level ticket id has (the demo's own tickets escalate too). */
static int64_t count_level(struct testenv *e, int64_t id, const char *level)
{
    json_t *t = get(e, id), *r;
    int64_t n = 0;
    size_t i;
    json_array_foreach (json_object_get(t, "escalations"), i, r)
        n += strcmp(json_string_value(json_object_get(r, "level")), level) == 0;
    json_decref(t);
    return n;
}

static void test_overdue_escalates_once_per_level(void **state)
{
    struct testenv *e = *state;
    /* Device 2 is an intercom: a normal fault, due in 1440 min. */
    int64_t id = open_ticket(e, 2, "fault", NULL);
    assert_true(app_ticket_escalate(&e->app) >= 0);
    clock_advance(1440 * MIN_MS - 1);
    assert_true(app_ticket_escalate(&e->app) >= 0);
    assert_int_equal(count_level(e, id, "shift_leader"), 0);
    clock_advance(2);
    assert_true(app_ticket_escalate(&e->app) >= 1);
    assert_int_equal(app_ticket_escalate(&e->app), 0); /* nothing twice */
    assert_int_equal(count_level(e, id, "shift_leader"), 1);
    assert_int_equal(count_level(e, id, "major"), 0);
    /* In the delivery queue with the ticket's id. */
    json_t *rows = NULL, *r;
    assert_int_equal(app_escalation_pending(&e->app, 500, &rows), 0);
    int queued = 0;
    size_t i;
    json_array_foreach (rows, i, r)
        queued += json_integer_value(json_object_get(r, "ticket_id")) == id;
    json_decref(rows);
    assert_int_equal(queued, 1);
    clock_advance(1440 * MIN_MS);
    assert_true(app_ticket_escalate(&e->app) >= 1);
    assert_int_equal(count_level(e, id, "major"), 1);
    assert_int_equal(app_ticket_escalate(&e->app), 0);
    json_t *t = get(e, id);
    assert_true(json_is_true(json_object_get(t, "overdue")));
    assert_int_equal(json_array_size(json_object_get(t, "escalations")), 2);
    json_decref(t);
    /* A repaired ticket is no longer overdue and escalates no further. */
    act(e, id, "assign", "{\"assignee_kind\":\"engineer\",\"assignee\":\"engineer\"}", 0);
    act(e, id, "repair", "{\"result\":\"replaced\",\"note\":\"更换主板\"}", 0);
    t = get(e, id);
    assert_false(json_is_true(json_object_get(t, "overdue")));
    json_decref(t);
}

static void test_urgent_fire_equipment_due_sooner(void **state)
{
    struct testenv *e = *state;
    /* The fire-alarm controller of the demo (the first fire_panel). */
    struct device_filter f = {.kind = "fire_panel"};
    struct page pg = {.limit = 1};
    json_t *list = NULL;
    assert_int_equal(app_device_list(&e->app, &f, &pg, &list), 0);
    int64_t dev = json_integer_value(
        json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
    json_decref(list);
    json_t *t = get(e, open_ticket(e, dev, "check_failure", NULL));
    assert_string_equal(json_string_value(json_object_get(t, "priority")), "urgent");
    int64_t due = 0;
    assert_int_equal(clock_parse_iso(json_string_value(json_object_get(t, "due_at")), &due), 0);
    assert_int_equal(due, clock_now_ms() + 240 * MIN_MS);
    json_decref(t);
}

static int64_t downtime(struct testenv *e, int64_t dev, int64_t from, int64_t to)
{
    json_t *d = NULL;
    assert_int_equal(app_device_downtime(&e->app, dev, from, to, &d), 0);
    int64_t ms = json_integer_value(json_object_get(d, "downtime_ms"));
    json_decref(d);
    return ms;
}

static void test_downtime_is_the_union_clipped(void **state)
{
    struct testenv *e = *state;
    int64_t dev = 3, t0 = clock_now_ms();
    /* fault: t0 .. t0+3h; camera health: t0+1h .. t0+5h (overlapping); total 5 h. */
    int64_t a = open_ticket(e, dev, "fault", NULL);
    clock_advance(HOUR_MS);
    int64_t b = open_ticket(e, dev, "camera_health", NULL);
    clock_advance(2 * HOUR_MS);
    repair_and_verify(e, a);
    assert_int_equal(downtime(e, dev, t0, 0), 3 * HOUR_MS); /* b still running: to now */
    clock_advance(2 * HOUR_MS);
    repair_and_verify(e, b);
    clock_advance(10 * HOUR_MS);
    assert_int_equal(downtime(e, dev, t0, 0), 5 * HOUR_MS);
    assert_int_equal(downtime(e, dev, t0 + 2 * HOUR_MS, t0 + 4 * HOUR_MS), 2 * HOUR_MS);
    assert_int_equal(downtime(e, dev, t0 + 6 * HOUR_MS, 0), 0);
    assert_int_equal(downtime(e, dev, t0 - HOUR_MS, t0 + HOUR_MS / 2), HOUR_MS / 2);
    json_t *d = NULL;
    assert_int_equal(app_device_downtime(&e->app, 99999, 0, 0, &d), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_in_dedupes_and_notes, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_overdue_escalates_once_per_level, setup,
                                        testenv_teardown),
        cmocka_unit_test_setup_teardown(test_urgent_fire_equipment_due_sooner, setup,
                                        testenv_teardown),
        cmocka_unit_test_setup_teardown(test_downtime_is_the_union_clipped, setup,
                                        testenv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
