/* test_handover.c - the shift handover 交接班 (S2, R3.1) in process (app/handover over a temp
 * store, pinned clock): the summary it compiles, both signatures by password (a wrong one
 * refused, the same person cannot sign both sides), the signed handover in the duty log and
 * immutable in the store, and bad input refused with nothing written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/auth.h"
#include "app/dutylog.h"
#include "app/handover.h"
#include "app/register.h"
#include "app/roster.h"
#include "core/clock.h"
#include "lib/testenv.h"
#include "store/store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PW "correct horse battery"
#define T0 TESTENV_T0
#define HOUR_MS 3600000LL

static void create_user(struct testenv *e, const char *username, const char *role)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    json_t *in = json_pack("{ss ss ss ss}", "username", username, "display_name", username, "role",
                           role, "password", PW);
    json_t *out = NULL;
    struct app_err err = {0};
    int rc = app_user_create(&e->app, &sys, in, &out, &err);
    json_decref(in);
    json_decref(out);
    if (rc)
        fail_msg("app_user_create %s: %d %s %s", username, rc, err.field, err.message);
}

/* Trained and rostered from T0 for 8 h: the incoming shift holds the minimum. */
static void staff(struct testenv *e, const char *user)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    static const char *const courses[] = {"system_operation", "fire_knowledge"};
    json_t *out = NULL;
    struct app_err err = {0};
    for (int i = 0; i < 2; i++) {
        json_t *in = json_pack("{ss ss ss si}", "username", user, "course", courses[i],
                               "attended_at", "2026-11-01T00:00:00Z", "valid_months", 12);
        assert_int_equal(app_training_add(&e->app, &sys, in, &out, &err), 0);
        json_decref(in);
        json_decref(out);
    }
    json_t *in = json_pack("{ss ss ss}", "username", user, "start", "2026-11-27T00:00:00Z", "end",
                           "2026-11-27T08:00:00Z");
    assert_int_equal(app_slot_add(&e->app, &sys, in, &out, &err), 0);
    json_decref(in);
    json_decref(out);
}

static int setup(void **state)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    if (testenv_setup_app(state))
        return -1;
    struct testenv *e = *state;
    create_user(e, "out1", "operator");
    create_user(e, "in1", "operator");
    create_user(e, "in2", "operator");
    create_user(e, "lead", "shift_leader");
    staff(e, "in1");
    staff(e, "in2");
    return 0;
}

static void as(struct actor *who, const char *name)
{
    app_actor_system(who, name);
    snprintf(who->role, sizeof who->role, "operator");
}

static int64_t count_handovers(struct testenv *e)
{
    json_t *out = NULL;
    struct page pg = {.limit = 10};
    assert_int_equal(app_handover_list(&e->app, 0, &pg, &out), 0);
    int64_t n = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    return n;
}

static int64_t count_duty(struct testenv *e, const char *category)
{
    json_t *out = NULL;
    struct page pg = {.limit = 1};
    struct duty_filter f = {.category = category};
    assert_int_equal(app_duty_list(&e->app, &f, &pg, &out), 0);
    int64_t n = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    return n;
}

/* Starts as out1 with password pw; returns app's rc, *id the handover's id. */
static int start(struct testenv *e, const char *pw, int64_t *id, struct app_err *err)
{
    struct actor who;
    as(&who, "out1");
    json_t *in = json_pack("{ss sb ss}", "password", pw, "controls_auto", 1, "note", "all quiet");
    json_t *out = NULL;
    memset(err, 0, sizeof *err);
    int rc = app_handover_start(&e->app, &who, in, &out, err);
    json_decref(in);
    if (!rc)
        *id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return rc;
}

static int sign(struct testenv *e, const char *name, const char *pw, int64_t id,
                struct app_err *err)
{
    struct actor who;
    as(&who, name);
    json_t *in = json_pack("{ss}", "password", pw);
    json_t *out = NULL;
    memset(err, 0, sizeof *err);
    int rc = app_handover_sign(&e->app, &who, id, in, &out, err);
    json_decref(in);
    json_decref(out);
    return rc;
}

static const char *state_of(struct testenv *e, int64_t id, char *buf, size_t n)
{
    json_t *h = NULL;
    assert_int_equal(app_handover_get(&e->app, id, &h), 0);
    snprintf(buf, n, "%s", json_string_value(json_object_get(h, "state")));
    json_decref(h);
    return buf;
}

static int64_t count_of(json_t *summary, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(summary, "counts"), key));
}

/* The summary counts what the next shift must know: here a visitor still in the control room;
 * it also carries the staffing of the incoming shift and the running-status periods missed. */
static void test_summary(void **state)
{
    struct testenv *e = *state;
    json_t *s = NULL;
    assert_int_equal(app_handover_preview(&e->app, &s), 0);
    assert_int_equal(count_of(s, "visitors_in_room"), 0);
    assert_int_equal(json_array_size(json_object_get(s, "visitors_in_room")), 0);
    json_decref(s);

    struct actor who;
    as(&who, "out1");
    json_t *in =
        json_pack("{ss ss ss}", "name", "王师傅", "purpose", "维修空调", "authorised_by", "lead");
    json_t *out = NULL;
    struct app_err err = {0};
    assert_int_equal(app_room_entry_add(&e->app, &who, in, &out, &err), 0);
    json_decref(in);
    json_decref(out);

    assert_int_equal(app_handover_preview(&e->app, &s), 0);
    assert_int_equal(count_of(s, "visitors_in_room"), 1);
    json_t *v = json_array_get(json_object_get(s, "visitors_in_room"), 0);
    assert_string_equal(json_string_value(json_object_get(v, "name")), "王师傅");
    assert_int_equal(count_of(s, "open_incidents"), 0);
    assert_non_null(json_object_get(s, "staffing"));
    assert_non_null(json_object_get(s, "running_status"));
    json_decref(s);

    /* The started handover carries the same summary. */
    int64_t id = 0;
    assert_int_equal(start(e, PW, &id, &err), 0);
    json_t *h = NULL;
    assert_int_equal(app_handover_get(&e->app, id, &h), 0);
    json_t *sum = json_object_get(h, "summary");
    assert_int_equal(count_of(sum, "visitors_in_room"), 1);
    assert_true(json_is_true(json_object_get(h, "controls_auto")));
    json_decref(h);
}

/* A wrong password refuses the outgoing signature and writes nothing. */
static void test_wrong_password_start(void **state)
{
    struct testenv *e = *state;
    struct app_err err;
    int64_t id = 0;
    assert_int_equal(start(e, "not my password", &id, &err), -EINVAL);
    assert_string_equal(err.type, "wrong-signature");
    assert_string_equal(err.field, "password");
    assert_int_equal(count_handovers(e), 0);
    assert_int_equal(count_duty(e, "handover"), 0);
}

/* The same person cannot sign both sides; a wrong incoming password is refused; both leave the
 * handover pending. The right incoming signature completes it, into the duty log. */
static void test_signatures(void **state)
{
    struct testenv *e = *state;
    struct app_err err;
    int64_t id = 0;
    char st[16];
    assert_int_equal(start(e, PW, &id, &err), 0);
    assert_int_equal(count_duty(e, "handover"), 1);

    assert_int_equal(sign(e, "out1", PW, id, &err), -EINVAL);
    assert_string_equal(err.type, "same-signer");
    assert_string_equal(state_of(e, id, st, sizeof st), "pending");

    assert_int_equal(sign(e, "in1", "wrong", id, &err), -EINVAL);
    assert_string_equal(err.type, "wrong-signature");
    assert_string_equal(err.field, "password");
    assert_string_equal(state_of(e, id, st, sizeof st), "pending");
    assert_int_equal(count_duty(e, "handover"), 1);

    clock_set_fixed(T0 + 60000);
    assert_int_equal(sign(e, "in1", PW, id, &err), 0);
    assert_string_equal(state_of(e, id, st, sizeof st), "signed");
    assert_int_equal(count_duty(e, "handover"), 2);

    /* Signed once: a second incoming signature is refused. */
    assert_int_equal(sign(e, "in2", PW, id, &err), -EINVAL);
    assert_string_equal(err.type, "handover-closed");
}

struct sqljob {
    const char *sql;
    int64_t a;
};

static int sql_job(struct store_conn *c, void *arg)
{
    struct sqljob *j = arg;
    return store_q_exec(c, NULL, NULL, j->sql, "i", j->a);
}

/* A signed handover never changes, even in the store. */
static void test_signed_is_immutable(void **state)
{
    struct testenv *e = *state;
    struct app_err err;
    int64_t id = 0;
    char st[16];
    assert_int_equal(start(e, PW, &id, &err), 0);
    assert_int_equal(sign(e, "in1", PW, id, &err), 0);
    struct sqljob up = {"UPDATE handover SET note = 'rewritten' WHERE id = ?1", id};
    assert_int_not_equal(store_write(e->st, sql_job, &up), 0);
    struct sqljob del = {"DELETE FROM handover WHERE id = ?1", id};
    assert_int_not_equal(store_write(e->st, sql_job, &del), 0);
    json_t *h = NULL;
    assert_int_equal(app_handover_get(&e->app, id, &h), 0);
    assert_string_equal(json_string_value(json_object_get(h, "note")), "all quiet");
    json_decref(h);
    assert_string_equal(state_of(e, id, st, sizeof st), "signed");
}

/* Bad input: each refused with its field, nothing written. */
static void test_bad_input(void **state)
{
    struct testenv *e = *state;
    struct actor who;
    as(&who, "out1");
    char big[4100];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    struct {
        json_t *in;
        const char *field;
    } cases[] = {
        {json_pack("{ss}", "password", PW), "controls_auto"},
        {json_pack("{ss ss}", "password", PW, "controls_auto", "yes"), "controls_auto"},
        {json_pack("{ss sb ss}", "password", PW, "controls_auto", 1, "note", big), "note"},
        {json_pack("{sb}", "controls_auto", 1), "password"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *out = NULL;
        struct app_err err = {0};
        assert_int_equal(app_handover_start(&e->app, &who, cases[i].in, &out, &err), -EINVAL);
        assert_null(out);
        assert_string_equal(err.field, cases[i].field);
        json_decref(cases[i].in);
    }
    assert_int_equal(count_handovers(e), 0);
    /* Forcing without a reason, signing what does not exist. */
    int64_t id = 0;
    struct app_err err;
    assert_int_equal(start(e, PW, &id, &err), 0);
    struct actor lead;
    app_actor_system(&lead, "lead");
    snprintf(lead.role, sizeof lead.role, "shift_leader");
    json_t *in = json_pack("{ss}", "reason", "");
    json_t *out = NULL;
    memset(&err, 0, sizeof err);
    assert_int_equal(app_handover_force(&e->app, &lead, id, in, &out, &err), -EINVAL);
    assert_string_equal(err.field, "reason");
    json_decref(in);
    char st[16];
    assert_string_equal(state_of(e, id, st, sizeof st), "pending");
    assert_int_equal(sign(e, "in1", PW, id + 100, &err), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_summary, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_wrong_password_start, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_signatures, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_signed_is_immutable, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, testenv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
