/* test_retention.c - retention in-process with the pinned test clock (app/retention over
 * store/store_retention): the one-year boundary in the site's time zone, legal holds, dependents
 * removed with their parent, the retention gate, and the signed audit checkpoint. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/audit.h"
#include "app/retention.h"
#include "core/clock.h"
#include "lib/assert_ext.h"
#include "lib/testenv.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define DAY_MS (86400 * 1000LL)
/* As of 2026-11-27 (TESTENV_T0 is 08:00 that day in Asia/Shanghai), one year keeps everything
 * from local midnight 2025-11-27, that is 2025-11-26T16:00:00Z. */
#define CUTOFF_1Y 1764172800000LL

struct sqljob {
    const char *sql;
    int64_t a, b, c;
    int64_t id;
};

static int sql_job(struct store_conn *c, void *arg)
{
    struct sqljob *j = arg;
    /* Bind as many parameters as the statement has (?1..?3). */
    const char *fmt = strstr(j->sql, "?3") ? "iii" : strstr(j->sql, "?2") ? "ii" : "i";
    return store_q_exec(c, &j->id, NULL, j->sql, fmt, j->a, j->b, j->c);
}

/* Runs sql (a literal, binding ?1..?3) on the writer; returns the new rowid. */
static int64_t exec3(struct testenv *e, const char *sql, int64_t a, int64_t b, int64_t c)
{
    struct sqljob j = {.sql = sql, .a = a, .b = b, .c = c};
    assert_int_equal(store_write(e->st, sql_job, &j), 0);
    return j.id;
}

/* The result of running sql on the writer (for DELETE attempts). */
static int try_exec(struct testenv *e, const char *sql, int64_t a)
{
    struct sqljob j = {.sql = sql, .a = a};
    return store_write(e->st, sql_job, &j);
}

static int64_t count(struct testenv *e, const char *sql)
{
    int64_t n = -1;
    struct store_conn *c = store_read_begin(e->st);
    assert_int_equal(store_q_int(c, &n, sql, ""), 0);
    store_read_end(e->st, c);
    return n;
}

static int64_t duty(struct testenv *e, int64_t at, int64_t incident, int64_t amends)
{
    return exec3(e,
                 "INSERT INTO duty_log(at, author, category, text, incident_id, amends_id)"
                 " VALUES(?1, 'tester', 'routine', 'entry', nullif(?2, 0), nullif(?3, 0))",
                 at, incident, amends);
}

static int64_t alive(struct testenv *e, int64_t id)
{
    int64_t n = -1;
    struct store_conn *c = store_read_begin(e->st);
    assert_int_equal(store_q_int(c, &n, "SELECT count(*) FROM duty_log WHERE id = ?1", "i", id), 0);
    store_read_end(e->st, c);
    return n;
}

static int setup(void **state)
{
    int rc = testenv_setup_app(state);
    if (!rc) {
        struct testenv *e = *state;
        e->app.data_dir = e->dir;
    }
    return rc;
}

static json_t *run(struct testenv *e, const char *as_of, int dry)
{
    struct actor who;
    app_actor_system(&who, "tester");
    struct retention_opts o = {.as_of = as_of, .dry_run = dry};
    json_t *out = NULL;
    struct app_err err = {0};
    assert_int_equal(app_retention_run(&e->app, &who, &o, &out, &err), 0);
    assert_non_null(out);
    return out;
}

static long long type_n(json_t *out, const char *type, const char *key)
{
    return json_integer_value(
        json_object_get(json_object_get(json_object_get(out, "types"), type), key));
}

/* ---- the calendar ---- */

static void test_cutoff_calendar(void **state)
{
    (void)state;
    int64_t cut;
    assert_int_equal(retention_cutoff("2026-11-27", 12, &cut), 0);
    assert_int_equal(cut, CUTOFF_1Y);
    /* Five years, and 29 February clamped to the 28th (a longer keep, never a shorter one). */
    assert_int_equal(retention_cutoff("2031-11-27", 60, &cut), 0);
    char iso[CLOCK_ISO_LEN];
    clock_format_iso(cut, iso, sizeof iso);
    assert_string_equal(iso, "2026-11-26T16:00:00.000Z");
    assert_int_equal(retention_cutoff("2028-02-29", 12, &cut), 0);
    clock_format_iso(cut, iso, sizeof iso);
    assert_string_equal(iso, "2027-02-27T16:00:00.000Z");
    assert_int_equal(retention_cutoff("2026-13-01", 12, &cut), -EINVAL);
    assert_int_equal(retention_cutoff("2026-02-30", 12, &cut), -EINVAL);
    assert_int_equal(retention_cutoff("26-11-27", 12, &cut), -EINVAL);
}

static void test_profile_and_overrides(void **state)
{
    (void)state;
    struct conf cf;
    char err[300];
    conf_defaults(&cf);
    const struct ret_kind *k = retention_kind("duty_log");
    assert_non_null(k);
    const char *src;
    assert_int_equal(retention_months(&cf, k, &src), 12);
    assert_string_equal(src, "regulation");
    assert_int_equal(conf_set(&cf, "retention.profile", "gb25201", err, sizeof err), 0);
    assert_int_equal(retention_months(&cf, k, &src), 12);
    assert_string_equal(src, "gb25201");
    assert_int_equal(conf_set(&cf, "retention.duty_log", "2y", err, sizeof err), 0);
    assert_int_equal(retention_months(&cf, k, &src), 24);
    assert_string_equal(src, "override");
    assert_int_equal(conf_set(&cf, "retention.audit", "18m", err, sizeof err), 0);
    assert_int_equal(retention_months(&cf, retention_kind("audit"), NULL), 18);
    /* Below a year: refused with a message that says why. */
    assert_int_equal(conf_set(&cf, "retention.duty_log", "11m", err, sizeof err), -EINVAL);
    assert_contains(err, "retention.duty_log");
    assert_contains(err, "shorter than one year");
    assert_int_equal(conf_set(&cf, "retention.incident", "0y", err, sizeof err), -EINVAL);
    assert_contains(err, "shorter than one year");
    assert_int_equal(conf_set(&cf, "retention.incident", "1 year", err, sizeof err), -EINVAL);
    assert_int_equal(conf_set(&cf, "retention.profile", "forever", err, sizeof err), -EINVAL);
    assert_int_equal(conf_set(&cf, "retention.run_at", "24:00", err, sizeof err), -EINVAL);
    assert_null(retention_kind("nonsense"));
}

/* ---- removal ---- */

static void test_boundary_just_inside_and_outside(void **state)
{
    struct testenv *e = *state;
    int64_t out1 = duty(e, CUTOFF_1Y - 1, 0, 0);
    int64_t in1 = duty(e, CUTOFF_1Y, 0, 0);
    int64_t recent = duty(e, TESTENV_T0 - DAY_MS, 0, 0);
    json_t *r = run(e, NULL, 0);
    assert_string_equal(json_string_value(json_object_get(r, "as_of")), "2026-11-27");
    assert_int_equal(type_n(r, "duty_log", "removed"), 1);
    json_decref(r);
    assert_int_equal(alive(e, out1), 0);
    assert_int_equal(alive(e, in1), 1);
    assert_int_equal(alive(e, recent), 1);
    /* The next day the record made at the first instant of 2025-11-27 goes too. */
    clock_advance(DAY_MS);
    r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "duty_log", "removed"), 1);
    json_decref(r);
    assert_int_equal(alive(e, in1), 0);
    assert_int_equal(alive(e, recent), 1);
}

static void test_as_of_past_and_future(void **state)
{
    struct testenv *e = *state;
    int64_t old = duty(e, CUTOFF_1Y - 1, 0, 0);
    /* As of an earlier day, the record is still within its year. */
    json_t *r = run(e, "2026-11-26", 0);
    assert_int_equal(type_n(r, "duty_log", "removed"), 0);
    json_decref(r);
    assert_int_equal(alive(e, old), 1);
    struct actor who;
    app_actor_system(&who, "tester");
    struct retention_opts o = {.as_of = "2026-11-28"};
    struct app_err err = {0};
    json_t *out = NULL;
    assert_int_equal(app_retention_run(&e->app, &who, &o, &out, &err), -EINVAL);
    assert_string_equal(err.field, "as_of");
    assert_null(out);
    o.as_of = "2026-11-XX";
    assert_int_equal(app_retention_run(&e->app, &who, &o, &out, &err), -EINVAL);
    assert_null(out);
    assert_int_equal(alive(e, old), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM retention_run"), 1);
}

static void test_dry_run_removes_nothing(void **state)
{
    struct testenv *e = *state;
    int64_t a = duty(e, CUTOFF_1Y - DAY_MS, 0, 0);
    duty(e, CUTOFF_1Y - 2 * DAY_MS, 0, 0);
    json_t *r = run(e, NULL, 1);
    assert_int_equal(type_n(r, "duty_log", "eligible"), 2);
    assert_int_equal(type_n(r, "duty_log", "removed"), 0);
    assert_true(json_is_true(json_object_get(r, "dry_run")));
    json_decref(r);
    assert_int_equal(alive(e, a), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM retention_run WHERE dry_run = 1 AND"
                              " removed = 2 AND trigger = 'manual'"),
                     1);
    assert_int_equal(count(e, "SELECT count(*) FROM audit WHERE action = 'retention.dry_run'"), 1);
}

static void test_legal_hold(void **state)
{
    struct testenv *e = *state;
    int64_t held = duty(e, CUTOFF_1Y - DAY_MS, 0, 0);
    int64_t free1 = duty(e, CUTOFF_1Y - DAY_MS, 0, 0);
    struct actor mgr;
    app_actor_system(&mgr, "manager1");
    struct app_err err = {0};
    json_t *out = NULL;
    json_t *in = json_pack("{ss sI ss}", "record_type", "duty_log", "record_id", (json_int_t)held,
                           "reason", "court case 2026-17");
    assert_int_equal(app_retention_hold_place(&e->app, &mgr, in, &out, &err), 0);
    int64_t hid = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    /* Twice is a conflict; an unknown record or type is refused and writes nothing. */
    assert_int_equal(app_retention_hold_place(&e->app, &mgr, in, &out, &err), -EEXIST);
    json_decref(in);
    in = json_pack("{ss si ss}", "record_type", "duty_log", "record_id", 99999, "reason", "x");
    assert_int_equal(app_retention_hold_place(&e->app, &mgr, in, &out, &err), -EINVAL);
    assert_string_equal(err.field, "record_id");
    json_decref(in);
    in = json_pack("{ss si ss}", "record_type", "letters", "record_id", 1, "reason", "x");
    assert_int_equal(app_retention_hold_place(&e->app, &mgr, in, &out, &err), -EINVAL);
    assert_string_equal(err.field, "record_type");
    json_decref(in);
    assert_int_equal(count(e, "SELECT count(*) FROM legal_hold"), 1);

    json_t *r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "duty_log", "removed"), 1);
    assert_int_equal(type_n(r, "duty_log", "held"), 1);
    assert_int_equal(json_integer_value(json_object_get(r, "held")), 1);
    json_decref(r);
    assert_int_equal(alive(e, held), 1);
    assert_int_equal(alive(e, free1), 0);

    assert_int_equal(app_retention_hold_release(&e->app, &mgr, hid, &out), 0);
    assert_non_null(json_object_get(out, "released_at"));
    json_decref(out);
    assert_int_equal(app_retention_hold_release(&e->app, &mgr, hid, &out), -ENOENT);
    r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "duty_log", "removed"), 1);
    json_decref(r);
    assert_int_equal(alive(e, held), 0);
    /* Each action is audited. */
    assert_int_equal(count(e, "SELECT count(*) FROM audit WHERE action = 'retention.hold' AND"
                              " actor = 'manager1'"),
                     1);
    assert_int_equal(count(e, "SELECT count(*) FROM audit WHERE action = 'retention.release'"), 1);
}

/* A closed incident with every kind of dependent row; returns its id. */
static int64_t incident(struct testenv *e, int64_t closed_at, int64_t area)
{
    int64_t id = exec3(e,
                       "INSERT INTO incident(type, priority, state, title, source, opened_at,"
                       " updated_at, closed_at) VALUES('fire', 1, 'closed', 'smoke', 'test', ?1,"
                       " ?1, ?1)",
                       closed_at, 0, 0);
    exec3(e,
          "INSERT INTO alarm(received_at, protocol, account, code, kind, digest, source,"
          " incident_id) VALUES(?1, 'test', '1234', 'FA', 'event', x'00', 'test', ?2)",
          closed_at, id, 0);
    exec3(e,
          "INSERT INTO incident_event(incident_id, at, actor, kind) VALUES(?1, ?2, 't',"
          " 'call')",
          id, closed_at, 0);
    exec3(e,
          "INSERT INTO incident_step(incident_id, step, status, actor, at) VALUES(?1, 'call_119',"
          " 'done', 't', ?2)",
          id, closed_at, 0);
    exec3(e,
          "INSERT INTO escalation(incident_id, level, reason, created_at, next_attempt_at)"
          " VALUES(?1, 'major', 'r', ?2, ?2)",
          id, closed_at, 0);
    exec3(e,
          "INSERT INTO handoff(incident_id, area_id, text, created_by, created_at) VALUES(?1, ?3,"
          " 'look', 't', ?2)",
          id, closed_at, area);
    return id;
}

static int64_t incident_rows(struct testenv *e)
{
    return count(e, "SELECT (SELECT count(*) FROM incident) + (SELECT count(*) FROM alarm) +"
                    " (SELECT count(*) FROM incident_event) + (SELECT count(*) FROM"
                    " incident_step) + (SELECT count(*) FROM escalation) + (SELECT count(*) FROM"
                    " handoff)");
}

static void test_incident_with_dependents(void **state)
{
    struct testenv *e = *state;
    int64_t site = exec3(e,
                         "INSERT INTO site(name, timezone, created_at) VALUES('s',"
                         " 'Asia/Shanghai', ?1)",
                         0, 0, 0);
    int64_t area = exec3(e,
                         "INSERT INTO area(site_id, kind, name, created_at) VALUES(?1, 'lobby',"
                         " 'a', 0)",
                         site, 0, 0);
    int64_t gone = incident(e, CUTOFF_1Y - DAY_MS, area);
    int64_t held = incident(e, CUTOFF_1Y - DAY_MS, area);
    int64_t young = incident(e, CUTOFF_1Y + DAY_MS, area);
    int64_t referenced = incident(e, CUTOFF_1Y - DAY_MS, area);
    /* A duty-log entry within its year names the last one: it stays while the entry does. */
    duty(e, CUTOFF_1Y + DAY_MS, referenced, 0);
    assert_int_equal(incident_rows(e), 4 * 6);
    struct actor mgr;
    app_actor_system(&mgr, "manager1");
    struct app_err err = {0};
    json_t *out = NULL;
    json_t *in = json_pack("{ss sI ss}", "record_type", "incident", "record_id", (json_int_t)held,
                           "reason", "insurance claim");
    assert_int_equal(app_retention_hold_place(&e->app, &mgr, in, &out, &err), 0);
    json_decref(in);
    json_decref(out);

    json_t *r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "incident", "removed"), 1);
    assert_int_equal(type_n(r, "incident", "held"), 1);
    assert_int_equal(type_n(r, "incident", "kept_referenced"), 1);
    json_decref(r);
    assert_int_equal(incident_rows(e), 3 * 6); /* the removed one went with all its rows */
    int64_t n = -1;
    struct store_conn *c = store_read_begin(e->st);
    assert_int_equal(store_q_int(c, &n,
                                 "SELECT count(*) FROM incident WHERE id IN (?1, ?2, ?3) AND"
                                 " id <> ?4",
                                 "iiii", held, young, referenced, gone),
                     0);
    store_read_end(e->st, c);
    assert_int_equal(n, 3);
}

/* A closed fault ticket and the check sheet whose failed item opened it: both go after a year
 * with the ticket's timeline and the sheet's ticket links; an open ticket stays whatever its
 * age; under the gb25201 profile repair and maintenance records stay five years. */
static void ticket_and_sheet(struct testenv *e, int64_t at, int64_t *ticket, int64_t *record)
{
    int64_t tpl = exec3(e,
                        "INSERT INTO check_template(code, version, recurrence, clause, name_zh,"
                        " name_en, body, created_by, created_at) VALUES('t' || ?1, 1, 'daily',"
                        " 'R4.2', '日检', 'daily', '{}', 'admin', 0)",
                        at, 0, 0);
    *record = exec3(e,
                    "INSERT INTO check_record(template_id, code, period_start, period_end,"
                    " filled_by, filled_at, result, failed_items, answers) VALUES(?1, 'x' || ?2,"
                    " ?2, ?2 + 1000, 'op', ?2, 'fail', 1, '[]')",
                    tpl, at, 0);
    *ticket = exec3(e,
                    "INSERT INTO ticket(kind, priority, title, state, reported_by, reported_at,"
                    " due_at, closed_at, check_record_id, updated_at) VALUES('check_failure',"
                    " 'normal', 't', 'closed', 'op', ?1, ?1, ?1, ?2, ?1)",
                    at, *record, 0);
    exec3(e,
          "INSERT INTO ticket_event(ticket_id, at, actor, action) VALUES(?1, ?2, 'op', 'closed')",
          *ticket, at, 0);
    exec3(e, "INSERT INTO check_ticket(record_id, item, ticket_id) VALUES(?1, 'i1', ?2)", *record,
          *ticket, 0);
}

static void test_ticket_and_check_record(void **state)
{
    struct testenv *e = *state;
    int64_t old_t, old_r, young_t, young_r;
    ticket_and_sheet(e, CUTOFF_1Y - DAY_MS, &old_t, &old_r);
    ticket_and_sheet(e, CUTOFF_1Y + DAY_MS, &young_t, &young_r);
    int64_t open_t = exec3(e,
                           "INSERT INTO ticket(kind, priority, title, state, reported_by,"
                           " reported_at, due_at, updated_at) VALUES('fault', 'normal', 'open',"
                           " 'assigned', 'op', ?1, ?1, ?1)",
                           CUTOFF_1Y - 400 * DAY_MS, 0, 0);
    char err[200];
    /* Five years under GB 25201: nothing goes. */
    assert_int_equal(conf_set(&e->conf, "retention.profile", "gb25201", err, sizeof err), 0);
    json_t *r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "ticket", "removed"), 0);
    assert_int_equal(type_n(r, "check_record", "removed"), 0);
    json_decref(r);
    assert_int_equal(count(e, "SELECT count(*) FROM ticket"), 3);
    /* One year under the regulation's profile: the old pair goes with its rows. */
    assert_int_equal(conf_set(&e->conf, "retention.profile", "regulation", err, sizeof err), 0);
    r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "ticket", "removed"), 1);
    assert_int_equal(type_n(r, "check_record", "removed"), 1);
    json_decref(r);
    int64_t n = -1;
    struct store_conn *c = store_read_begin(e->st);
    assert_int_equal(store_q_int(c, &n, "SELECT count(*) FROM ticket WHERE id IN (?1, ?2)", "ii",
                                 young_t, open_t),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(
        store_q_int(c, &n, "SELECT count(*) FROM check_record WHERE id = ?1", "i", young_r), 0);
    assert_int_equal(n, 1);
    store_read_end(e->st, c);
    assert_int_equal(count(e, "SELECT count(*) FROM ticket"), 2);
    assert_int_equal(count(e, "SELECT count(*) FROM check_record"), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM ticket_event"), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM check_ticket"), 1);
    (void)old_t;
    (void)old_r;
}

/* The recording register (R3.4.3): a closed request goes a year after it was closed (returned,
 * kept, viewed, decided…); one whose copy is still lent out stays, however old; a legal hold
 * keeps a closed one. */
static int64_t recording(struct testenv *e, int64_t at, const char *state)
{
    char sql[600];
    snprintf(sql, sizeof sql,
             "INSERT INTO recording_request(kind, state, requester_name, purpose, cameras,"
             " footage_from, footage_to, expires_at, recorded_by, recorded_at, lent_at, due_back)"
             " VALUES('lend', '%s', 'p', 'p', 'c', ?1 - 7200000, ?1 - 3600000, ?1, 'op', ?1, ?1,"
             " ?1)",
             state);
    struct sqljob j = {.sql = sql, .a = at};
    assert_int_equal(store_write(e->st, sql_job, &j), 0);
    return j.id;
}

static void test_recording_requests(void **state)
{
    struct testenv *e = *state;
    int64_t old_closed = recording(e, CUTOFF_1Y - DAY_MS, "returned");
    int64_t old_lent = recording(e, CUTOFF_1Y - 30 * DAY_MS, "lent");
    int64_t old_held = recording(e, CUTOFF_1Y - DAY_MS, "refused");
    int64_t young = recording(e, CUTOFF_1Y + DAY_MS, "viewed");
    /* Recorded long ago, but returned within the year: its year runs from the return. */
    int64_t late_return = recording(e, CUTOFF_1Y - 60 * DAY_MS, "returned");
    exec3(e, "UPDATE recording_request SET returned_at = ?2 WHERE id = ?1", late_return,
          CUTOFF_1Y + DAY_MS, 0);
    exec3(e,
          "INSERT INTO legal_hold(record_type, record_id, reason, placed_by, placed_at)"
          " VALUES('recording_request', ?1, 'police investigation', 'mgr', ?2)",
          old_held, CUTOFF_1Y, 0);
    json_t *r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "recording_request", "removed"), 1);
    assert_int_equal(type_n(r, "recording_request", "held"), 1);
    json_decref(r);
    int64_t n = -1;
    struct store_conn *c = store_read_begin(e->st);
    assert_int_equal(
        store_q_int(c, &n, "SELECT count(*) FROM recording_request WHERE id = ?1", "i", old_closed),
        0);
    assert_int_equal(n, 0);
    assert_int_equal(store_q_int(c, &n,
                                 "SELECT count(*) FROM recording_request WHERE id IN (?1, ?2, ?3,"
                                 " ?4)",
                                 "iiii", old_lent, old_held, young, late_return),
                     0);
    assert_int_equal(n, 4);
    store_read_end(e->st, c);
}

/* A running-status entry's equipment form goes with its duty-log entry (it names the entry). */
static void test_running_status_goes_with_its_entry(void **state)
{
    struct testenv *e = *state;
    int64_t old = duty(e, CUTOFF_1Y - DAY_MS, 0, 0);
    int64_t young = duty(e, CUTOFF_1Y + DAY_MS, 0, 0);
    exec3(e,
          "INSERT INTO running_status(at, author, duty_log_id, fire_controller, linkage_auto,"
          " power, recording) VALUES(?2, 'op', ?1, 'normal', 1, 'main', 1)",
          old, CUTOFF_1Y - DAY_MS, 0);
    exec3(e,
          "INSERT INTO running_status(at, author, duty_log_id, fire_controller, linkage_auto,"
          " power, recording) VALUES(?2, 'op', ?1, 'normal', 1, 'main', 1)",
          young, CUTOFF_1Y + DAY_MS, 0);
    /* Outside the retention job it stays append-only. */
    assert_int_not_equal(try_exec(e, "DELETE FROM running_status WHERE duty_log_id = ?1", old), 0);
    json_t *r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "duty_log", "removed"), 1);
    json_decref(r);
    assert_int_equal(alive(e, old), 0);
    assert_int_equal(alive(e, young), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM running_status"), 1);
}

static void test_amended_entry_goes_after_its_amendment(void **state)
{
    struct testenv *e = *state;
    int64_t orig = duty(e, CUTOFF_1Y - 3 * DAY_MS, 0, 0);
    int64_t fix = duty(e, CUTOFF_1Y - 2 * DAY_MS, 0, orig);
    int64_t fix2 = duty(e, CUTOFF_1Y + DAY_MS, 0, fix);
    json_t *r = run(e, NULL, 0);
    /* fix is named by fix2 (within its year): fix and orig both stay. */
    assert_int_equal(type_n(r, "duty_log", "removed"), 0);
    assert_int_equal(type_n(r, "duty_log", "kept_referenced"), 2);
    json_decref(r);
    clock_advance(3 * DAY_MS);
    r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "duty_log", "removed"), 3);
    json_decref(r);
    assert_int_equal(alive(e, orig) + alive(e, fix) + alive(e, fix2), 0);
}

/* ---- the audit trail ---- */

static int append_job(struct store_conn *c, void *arg)
{
    int *n = arg;
    struct actor who;
    app_actor_system(&who, "tester");
    for (int i = 0; i < *n; i++) {
        int rc = audit_append(c, &who, "test.old", "thing:1", "record %d", i);
        if (rc)
            return rc;
        clock_advance(1000);
    }
    return 0;
}

/* n audit records at time at (the clock returns to now afterwards). */
static void old_audit(struct testenv *e, int64_t at, int n)
{
    int64_t now = clock_now_ms();
    clock_set_fixed(at);
    assert_int_equal(store_write(e->st, append_job, &n), 0);
    clock_set_fixed(now);
}

static void verify(struct testenv *e, int with_key, struct audit_verdict *v)
{
    unsigned char pk[AUDIT_PK_LEN];
    if (with_key)
        assert_int_equal(audit_key_public(&e->app, pk), 0);
    struct store_conn *c = store_read_begin(e->st);
    assert_int_equal(audit_verify(c, with_key ? pk : NULL, v), 0);
    store_read_end(e->st, c);
}

/* Edits the file as an attacker would (triggers dropped first), reopens, verifies. */
static void tamper(struct testenv *e, const char *sql, struct audit_verdict *v)
{
    testenv_close(e);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "tamper: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(db);
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(testenv_reopen(e), 0);
    e->app.data_dir = e->dir;
    verify(e, 1, v);
}

/* 30 records older than a year, 5 within it; one run. */
static void audit_with_checkpoint(struct testenv *e)
{
    old_audit(e, CUTOFF_1Y - 30 * DAY_MS, 30);
    old_audit(e, CUTOFF_1Y + DAY_MS, 5);
    json_t *r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "audit", "removed"), 30);
    json_decref(r);
}

static void test_audit_checkpoint_verifies(void **state)
{
    struct testenv *e = *state;
    e->conf.retention_batch = 10; /* three batches, three checkpoints */
    audit_with_checkpoint(e);
    assert_int_equal(count(e, "SELECT count(*) FROM audit_checkpoint"), 3);
    assert_int_equal(count(e, "SELECT min(id) FROM audit"), 31);
    struct audit_verdict v;
    verify(e, 1, &v);
    assert_true(v.ok);
    assert_int_equal(v.checkpoint, 3);
    assert_int_equal(v.removed, 30);
    assert_int_equal(v.records, 6); /* the 5 young ones and the run's own record */
    /* The key file: created on first use, readable by the owner only. */
    char path[600];
    snprintf(path, sizeof path, "%s/%s", e->dir, AUDIT_KEY_FILE);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* Without the key, a trail with checkpoints cannot be vouched for. */
    verify(e, 0, &v);
    assert_false(v.ok);
    assert_contains(v.reason, "signing key");
    /* Appending goes on after the checkpoint, and the next run verifies as well. */
    json_t *r = run(e, NULL, 0);
    json_decref(r);
    verify(e, 1, &v);
    assert_true(v.ok);
    assert_int_equal(v.records, 7);
}

static void test_audit_held_record_stops_removal(void **state)
{
    struct testenv *e = *state;
    old_audit(e, CUTOFF_1Y - 30 * DAY_MS, 10);
    struct actor mgr;
    app_actor_system(&mgr, "manager1");
    struct app_err err = {0};
    json_t *out = NULL;
    json_t *in = json_pack("{ss si ss}", "record_type", "audit", "record_id", 4, "reason", "r");
    assert_int_equal(app_retention_hold_place(&e->app, &mgr, in, &out, &err), 0);
    json_decref(in);
    json_decref(out);
    json_t *r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "audit", "removed"), 3); /* 1..3: the chain is cut before 4 */
    assert_int_equal(type_n(r, "audit", "held"), 7);
    json_decref(r);
    struct audit_verdict v;
    verify(e, 1, &v);
    assert_true(v.ok);
    assert_int_equal(v.removed, 3);
}

static void test_plain_delete_still_refused(void **state)
{
    struct testenv *e = *state;
    int64_t d = duty(e, CUTOFF_1Y - DAY_MS, 0, 0);
    old_audit(e, CUTOFF_1Y - DAY_MS, 3);
    int64_t al = exec3(e,
                       "INSERT INTO alarm(received_at, protocol, account, code, kind, digest,"
                       " source) VALUES(?1, 'test', '1234', 'FA', 'event', x'00', 'test')",
                       TESTENV_T0, 0, 0);
    int64_t ho = exec3(e,
                       "INSERT INTO handover(started_at, outgoing, summary, controls_auto,"
                       " out_signed_at, state) VALUES(?1, 'a', '{}', 1, ?1, 'pending')",
                       TESTENV_T0, 0, 0);
    json_t *r = run(e, NULL, 1);
    json_decref(r);
    /* The append-only triggers refuse a DELETE outside the job, before and after runs. */
    assert_int_not_equal(try_exec(e, "DELETE FROM duty_log WHERE id = ?1", d), 0);
    assert_int_not_equal(try_exec(e, "DELETE FROM audit WHERE id = ?1", 1), 0);
    int64_t d2 = duty(e, TESTENV_T0, 0, 0);
    r = run(e, NULL, 0);
    assert_int_equal(type_n(r, "audit", "removed"), 3);
    json_decref(r);
    assert_int_equal(alive(e, d), 0);
    assert_int_equal(count(e, "SELECT count(*) FROM retention_gate"), 0);
    assert_int_equal(count(e, "SELECT count(*) FROM audit_checkpoint"), 1);
    assert_int_not_equal(try_exec(e, "DELETE FROM duty_log WHERE id = ?1", d2), 0);
    assert_int_not_equal(try_exec(e, "DELETE FROM audit WHERE id >= ?1", 0), 0);
    assert_int_not_equal(try_exec(e, "DELETE FROM audit_checkpoint WHERE id >= ?1", 0), 0);
    assert_int_not_equal(try_exec(e, "UPDATE audit_checkpoint SET removed = ?1", 0), 0);
    assert_int_not_equal(try_exec(e, "DELETE FROM alarm WHERE id = ?1", al), 0);
    assert_int_not_equal(try_exec(e, "DELETE FROM handover WHERE id = ?1", ho), 0);
    assert_int_equal(alive(e, d2), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM alarm") + count(e, "SELECT count(*) FROM"
                                                                       " handover"),
                     2);
}

#define DROP_CKPT_TRIGGERS                                                                         \
    "DROP TRIGGER audit_checkpoint_no_update; DROP TRIGGER audit_checkpoint_no_delete;"

static void test_audit_tamper_checkpoint_count(void **state)
{
    struct testenv *e = *state;
    audit_with_checkpoint(e);
    struct audit_verdict v;
    tamper(e, DROP_CKPT_TRIGGERS "UPDATE audit_checkpoint SET removed = 29", &v);
    assert_false(v.ok);
    assert_int_equal(v.bad_checkpoint, 1);
    assert_int_equal(v.first_bad, 31);
    assert_contains(v.reason, "checkpoint 1");
    assert_contains(v.reason, "signature");
}

static void test_audit_tamper_checkpoint_signature(void **state)
{
    struct testenv *e = *state;
    audit_with_checkpoint(e);
    struct audit_verdict v;
    tamper(e, DROP_CKPT_TRIGGERS "UPDATE audit_checkpoint SET signature = zeroblob(64)", &v);
    assert_false(v.ok);
    assert_int_equal(v.bad_checkpoint, 1);
    assert_contains(v.reason, "invalid signature");
}

static void test_audit_tamper_checkpoint_hash(void **state)
{
    struct testenv *e = *state;
    audit_with_checkpoint(e);
    struct audit_verdict v;
    tamper(e, DROP_CKPT_TRIGGERS "UPDATE audit_checkpoint SET last_hash = zeroblob(32)", &v);
    assert_false(v.ok);
    assert_int_equal(v.bad_checkpoint, 1);
}

static void test_audit_tamper_checkpoint_resigned_by_other_key(void **state)
{
    struct testenv *e = *state;
    audit_with_checkpoint(e);
    struct audit_verdict v;
    /* Replacing the public key alone (the attacker cannot sign with ours). */
    tamper(e, DROP_CKPT_TRIGGERS "UPDATE audit_checkpoint SET pubkey = zeroblob(32)", &v);
    assert_false(v.ok);
    assert_contains(v.reason, "another key");
}

static void test_audit_record_after_checkpoint_removed(void **state)
{
    struct testenv *e = *state;
    audit_with_checkpoint(e);
    struct audit_verdict v;
    tamper(e, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 31", &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 31);
    assert_int_equal(v.bad_checkpoint, 0);
    assert_contains(v.reason, "removed");
    assert_contains(v.reason, "checkpoint 1");
}

static void test_audit_checkpoint_deleted(void **state)
{
    struct testenv *e = *state;
    audit_with_checkpoint(e);
    struct audit_verdict v;
    tamper(e, DROP_CKPT_TRIGGERS "DELETE FROM audit_checkpoint", &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 1);
}

/* ---- the nightly schedule ---- */

static void test_tick_runs_once_a_day_after_run_at(void **state)
{
    struct testenv *e = *state;
    duty(e, CUTOFF_1Y - DAY_MS, 0, 0);
    /* 2026-11-27 03:29 local = 2026-11-26T19:29Z: not yet. */
    clock_set_fixed(TESTENV_T0 - 4 * 3600 * 1000LL - 31 * 60 * 1000LL);
    assert_int_equal(app_retention_tick(&e->app), 0);
    assert_int_equal(count(e, "SELECT count(*) FROM retention_run"), 0);
    clock_advance(60 * 1000);
    assert_int_equal(app_retention_tick(&e->app), 1);
    assert_int_equal(app_retention_tick(&e->app), 0);
    assert_int_equal(count(e, "SELECT count(*) FROM retention_run WHERE trigger = 'schedule' AND"
                              " as_of = '2026-11-27' AND removed = 1 AND actor = 'retention'"),
                     1);
    assert_int_equal(count(e, "SELECT count(*) FROM duty_log"), 0);
    clock_advance(DAY_MS);
    assert_int_equal(app_retention_tick(&e->app), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM retention_run"), 2);
    /* Two days on, the daemon is (re)started at 05:30: outside the window, it waits. */
    clock_advance(DAY_MS + 2 * 3600 * 1000LL);
    assert_int_equal(app_retention_tick(&e->app), 0);
    clock_advance(22 * 3600 * 1000LL);
    assert_int_equal(app_retention_tick(&e->app), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM retention_run"), 3);
}

static void test_status(void **state)
{
    struct testenv *e = *state;
    json_t *r = run(e, NULL, 1);
    json_decref(r);
    json_t *out = NULL;
    assert_int_equal(app_retention_status(&e->app, &out), 0);
    assert_string_equal(json_string_value(json_object_get(out, "profile")), "regulation");
    assert_string_equal(json_string_value(json_object_get(out, "run_at")), "03:30");
    json_t *policy = json_object_get(out, "policy");
    assert_true(json_array_size(policy) >= 12);
    json_t *first = json_array_get(policy, 0);
    assert_string_equal(json_string_value(json_object_get(first, "type")), "duty_log");
    assert_int_equal(json_integer_value(json_object_get(first, "months")), 12);
    assert_string_equal(json_string_value(json_object_get(first, "cutoff")),
                        "2025-11-26T16:00:00.000Z");
    assert_int_equal(json_array_size(json_object_get(out, "runs")), 1);
    json_decref(out);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cutoff_calendar),
        cmocka_unit_test(test_profile_and_overrides),
        T(test_boundary_just_inside_and_outside),
        T(test_as_of_past_and_future),
        T(test_dry_run_removes_nothing),
        T(test_legal_hold),
        T(test_incident_with_dependents),
        T(test_ticket_and_check_record),
        T(test_recording_requests),
        T(test_running_status_goes_with_its_entry),
        T(test_amended_entry_goes_after_its_amendment),
        T(test_plain_delete_still_refused),
        T(test_audit_checkpoint_verifies),
        T(test_audit_held_record_stops_removal),
        T(test_audit_tamper_checkpoint_count),
        T(test_audit_tamper_checkpoint_signature),
        T(test_audit_tamper_checkpoint_hash),
        T(test_audit_tamper_checkpoint_resigned_by_other_key),
        T(test_audit_record_after_checkpoint_removed),
        T(test_audit_checkpoint_deleted),
        T(test_tick_runs_once_a_day_after_run_at),
        T(test_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
