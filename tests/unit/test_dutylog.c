/* test_dutylog.c - the duty log 值班日志 (R3.4.11, R4.1) in process (app/dutylog over a temp
 * store, pinned clock, Asia/Shanghai): each entry records its shift (the author's roster slot,
 * else the period of the site's shift pattern), the log per shift (list, shifts of a day, CSV),
 * append-only at the store level (UPDATE and DELETE refused), amendments that point at the
 * original which stays readable, and bad input refused with the field named and nothing
 * written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/auth.h"
#include "app/dutylog.h"
#include "app/roster.h"
#include "core/clock.h"
#include "lib/testenv.h"
#include "store/store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOUR_MS 3600000LL
/* TESTENV_T0 is 2026-11-27T00:00:00Z = 08:00 in Asia/Shanghai: the first shift of the seeded
 * 3 x 8 h pattern (08-16, 16-24, 00-08 local) starts then. */
#define T0 TESTENV_T0

static int setup(void **state)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    return testenv_setup_app(state);
}

static void create_user(struct testenv *e, const char *username, const char *role)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    json_t *in = json_pack("{ss ss ss ss}", "username", username, "display_name", username, "role",
                           role, "password", "correct horse battery");
    json_t *out = NULL;
    struct app_err err = {0};
    int rc = app_user_create(&e->app, &sys, in, &out, &err);
    json_decref(in);
    json_decref(out);
    if (rc)
        fail_msg("app_user_create %s: %d %s %s", username, rc, err.field, err.message);
}

static void actor_of(struct actor *who, const char *name)
{
    app_actor_system(who, name);
    snprintf(who->role, sizeof who->role, "operator");
}

/* Adds an entry by name at the pinned time at; returns the new row (caller decrefs). */
static json_t *add_at(struct testenv *e, const char *name, int64_t at, const char *text)
{
    clock_set_fixed(at);
    struct actor who;
    actor_of(&who, name);
    json_t *in = json_pack("{ss ss}", "category", "routine", "text", text);
    json_t *out = NULL;
    struct app_err err = {0};
    int rc = app_duty_add(&e->app, &who, in, &out, &err);
    json_decref(in);
    if (rc)
        fail_msg("app_duty_add: %d %s %s", rc, err.field, err.message);
    return out;
}

static int64_t iso_ms(json_t *row, const char *key)
{
    int64_t ms = -1;
    const char *s = json_string_value(json_object_get(row, key));
    if (!s)
        return 0;
    assert_int_equal(clock_parse_iso(s, &ms), 0);
    return ms;
}

static void assert_shift(json_t *row, int64_t start, int64_t end)
{
    assert_int_equal(iso_ms(row, "shift_start"), start);
    assert_int_equal(iso_ms(row, "shift_end"), end);
}

static void add_slot(struct testenv *e, const char *user, int64_t s, int64_t t)
{
    struct actor sys;
    app_actor_system(&sys, "vigilctl");
    char a[CLOCK_ISO_LEN], b[CLOCK_ISO_LEN];
    clock_format_iso(s, a, sizeof a);
    clock_format_iso(t, b, sizeof b);
    json_t *in = json_pack("{ss ss ss}", "username", user, "start", a, "end", b);
    json_t *out = NULL;
    struct app_err err = {0};
    int rc = app_slot_add(&e->app, &sys, in, &out, &err);
    json_decref(in);
    json_decref(out);
    if (rc)
        fail_msg("app_slot_add: %d %s %s", rc, err.field, err.message);
}

static int64_t count_entries(struct testenv *e)
{
    json_t *out = NULL;
    struct page pg = {.limit = 1, .offset = 0};
    struct duty_filter f = {0};
    assert_int_equal(app_duty_list(&e->app, &f, &pg, &out), 0);
    int64_t n = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    return n;
}

/* Without a roster slot the entry takes the pattern's period containing its time: 09:00 is in
 * 08-16, 07:00 in 00-08 (before the day's first shift), 23:00 the day before in 16-24. */
static void test_shift_from_pattern(void **state)
{
    struct testenv *e = *state;
    json_t *r = add_at(e, "system", T0 + HOUR_MS, "nine o'clock");
    assert_shift(r, T0, T0 + 8 * HOUR_MS);
    json_decref(r);
    r = add_at(e, "system", T0 - HOUR_MS, "seven o'clock");
    assert_shift(r, T0 - 8 * HOUR_MS, T0);
    json_decref(r);
    r = add_at(e, "system", T0 - 9 * HOUR_MS, "eleven at night");
    assert_shift(r, T0 - 16 * HOUR_MS, T0 - 8 * HOUR_MS);
    json_decref(r);
    /* The boundary belongs to the shift it starts. */
    r = add_at(e, "system", T0 + 8 * HOUR_MS, "sixteen o'clock");
    assert_shift(r, T0 + 8 * HOUR_MS, T0 + 16 * HOUR_MS);
    json_decref(r);
}

/* A person's entry takes their roster slot covering its time (10:00-18:00 here), and the
 * pattern's period outside it; an automatic entry by the system takes the pattern's. */
static void test_shift_from_slot(void **state)
{
    struct testenv *e = *state;
    create_user(e, "op1", "operator");
    add_slot(e, "op1", T0 + 2 * HOUR_MS, T0 + 10 * HOUR_MS);
    json_t *r = add_at(e, "op1", T0 + 3 * HOUR_MS, "in my slot");
    assert_shift(r, T0 + 2 * HOUR_MS, T0 + 10 * HOUR_MS);
    json_decref(r);
    r = add_at(e, "op1", T0 + 11 * HOUR_MS, "after my slot");
    assert_shift(r, T0 + 8 * HOUR_MS, T0 + 16 * HOUR_MS);
    json_decref(r);
    r = add_at(e, "system", T0 + 3 * HOUR_MS, "automatic");
    assert_shift(r, T0, T0 + 8 * HOUR_MS);
    json_decref(r);
}

/* The log per shift: the day's shifts (the pattern's three and the slot's), the list and the
 * CSV of one shift. */
static void test_log_per_shift(void **state)
{
    struct testenv *e = *state;
    create_user(e, "op1", "operator");
    add_slot(e, "op1", T0 + 2 * HOUR_MS, T0 + 10 * HOUR_MS);
    json_decref(add_at(e, "system", T0 + HOUR_MS, "morning one"));
    json_decref(add_at(e, "system", T0 + 9 * HOUR_MS, "afternoon one"));
    json_decref(add_at(e, "op1", T0 + 3 * HOUR_MS, "slot one"));
    json_decref(add_at(e, "system", T0 + 4 * HOUR_MS, "morning two"));

    json_t *out = NULL;
    int64_t day = T0 - 8 * HOUR_MS; /* local midnight */
    assert_int_equal(app_duty_shifts(&e->app, day, day + 24 * HOUR_MS, &out), 0);
    json_t *items = json_object_get(out, "items");
    /* 00-08 (the day's first hours), 08-16, 10-18 (the slot), 16-24. */
    assert_int_equal(json_array_size(items), 4);
    const int64_t starts[] = {day, T0, T0 + 2 * HOUR_MS, T0 + 8 * HOUR_MS};
    const int64_t counts[] = {0, 2, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(iso_ms(json_array_get(items, i), "start"), starts[i]);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(items, i), "entries")),
                         counts[i]);
    }
    json_decref(out);
    assert_int_equal(app_duty_shifts(&e->app, day, day, &out), -EDOM);

    struct page pg = {.limit = 50, .offset = 0};
    struct duty_filter f = {.from = day, .to = day + 24 * HOUR_MS, .shift_start = T0};
    assert_int_equal(app_duty_list(&e->app, &f, &pg, &out), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 2);
    json_t *it = json_array_get(json_object_get(out, "items"), 1);
    assert_string_equal(json_string_value(json_object_get(it, "text")), "morning two");
    json_decref(out);

    char *csv = NULL;
    assert_int_equal(app_duty_csv(&e->app, &f, &csv), 0);
    assert_non_null(strstr(csv, "shift_start_local,shift_end_local"));
    assert_non_null(strstr(csv, "\"morning one\""));
    assert_non_null(strstr(csv, "\"2026-11-27 08:00:00\",\"2026-11-27 16:00:00\""));
    assert_null(strstr(csv, "afternoon one"));
    assert_null(strstr(csv, "slot one"));
    free(csv);
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

/* UPDATE and DELETE of an entry are refused by the store itself (not only by the API), and the
 * entry reads the same afterwards. */
static void test_append_only_in_store(void **state)
{
    struct testenv *e = *state;
    json_t *r = add_at(e, "system", T0, "as written");
    int64_t id = json_integer_value(json_object_get(r, "id"));
    json_decref(r);
    struct sqljob up = {"UPDATE duty_log SET text = 'rewritten' WHERE id = ?1", id};
    assert_int_not_equal(store_write(e->st, sql_job, &up), 0);
    struct sqljob sh = {"UPDATE duty_log SET shift_start = NULL WHERE id = ?1", id};
    assert_int_not_equal(store_write(e->st, sql_job, &sh), 0);
    struct sqljob del = {"DELETE FROM duty_log WHERE id = ?1", id};
    assert_int_not_equal(store_write(e->st, sql_job, &del), 0);
    assert_int_equal(app_duty_get(&e->app, id, &r), 0);
    assert_string_equal(json_string_value(json_object_get(r, "text")), "as written");
    assert_shift(r, T0, T0 + 8 * HOUR_MS);
    json_decref(r);
    assert_int_equal(count_entries(e), 1);
}

/* An amendment points at the original, which stays readable and lists its amendments. */
static void test_amendment(void **state)
{
    struct testenv *e = *state;
    json_t *r = add_at(e, "system", T0, "pump room 3 checked");
    int64_t id = json_integer_value(json_object_get(r, "id"));
    json_decref(r);
    struct actor who;
    actor_of(&who, "system");
    json_t *in = json_pack("{ss ss sI}", "category", "routine", "text", "it was pump room 2",
                           "amends_id", (json_int_t)id);
    json_t *out = NULL;
    struct app_err err = {0};
    assert_int_equal(app_duty_add(&e->app, &who, in, &out, &err), 0);
    json_decref(in);
    int64_t am = json_integer_value(json_object_get(out, "id"));
    assert_int_equal(json_integer_value(json_object_get(out, "amends_id")), id);
    json_decref(out);
    assert_int_equal(app_duty_get(&e->app, id, &r), 0);
    assert_string_equal(json_string_value(json_object_get(r, "text")), "pump room 3 checked");
    char want[24];
    snprintf(want, sizeof want, "%lld", (long long)am);
    assert_string_equal(json_string_value(json_object_get(r, "amended_by")), want);
    json_decref(r);
}

/* Each bad input is refused with the field named, and nothing is written. */
static void test_bad_input(void **state)
{
    struct testenv *e = *state;
    json_decref(add_at(e, "system", T0, "the one good entry"));
    char big[4100];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    struct {
        json_t *in;
        const char *field;
    } cases[] = {
        {json_pack("{ss ss}", "category", "gossip", "text", "x"), "category"},
        {json_pack("{ss}", "text", "no category"), "category"},
        {json_pack("{ss ss}", "category", "routine", "text", ""), "text"},
        {json_pack("{ss}", "category", "routine"), "text"},
        {json_pack("{ss ss}", "category", "routine", "text", big), "text"},
        {json_pack("{ss ss sI}", "category", "routine", "text", "x", "amends_id", (json_int_t)99),
         "amends_id"},
        {json_pack("{ss ss sI}", "category", "alarm", "text", "x", "incident_id", (json_int_t)99),
         "incident_id"},
        {json_pack("{ss ss sI}", "category", "equipment", "text", "x", "device_id", (json_int_t)99),
         "device_id"},
    };
    struct actor who;
    actor_of(&who, "system");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *out = NULL;
        struct app_err err = {0};
        assert_int_equal(app_duty_add(&e->app, &who, cases[i].in, &out, &err), -EINVAL);
        assert_null(out);
        assert_string_equal(err.field, cases[i].field);
        assert_true(err.message[0] != 0);
        json_decref(cases[i].in);
    }
    assert_int_equal(count_entries(e), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shift_from_pattern, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_shift_from_slot, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_log_per_shift, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_append_only_in_store, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_amendment, setup, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, testenv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
