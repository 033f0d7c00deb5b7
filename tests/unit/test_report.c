/* test_report.c - reports for superiors (R3.4.9): local-calendar periods in Asia/Shanghai (day,
 * ISO week from Monday, month; month ends, leap years, the year end), median and p90, the SVG
 * chart writer, the figures of a report over known data, CSV and HTML, and the scheduled
 * generation with a clock the test controls. */
#include "app/demo.h"
#include "app/report.h"
#include "app/report_render.h"
#include "app/site.h"
#include "core/clock.h"
#include "core/svg.h"
#include "lib/testenv.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define S 1000LL
#define MIN (60 * S)
#define H (60 * MIN)
#define DAY (24 * H)
/* 2026-11-27 00:00 Asia/Shanghai = 2026-11-26T16:00:00Z. */
#define D1127 1795708800000LL

static int64_t iso(const char *s)
{
    int64_t ms = 0;
    assert_int_equal(clock_parse_iso(s, &ms), 0);
    return ms;
}

/* ---- periods ---- */

static void test_day_period(void **state)
{
    (void)state;
    struct report_period p;
    assert_int_equal(report_period_of(REPORT_DAILY, 2026, 11, 27, &p), 0);
    assert_int_equal(p.from, D1127);
    assert_int_equal(p.to, D1127 + DAY);
    assert_int_equal(p.ndays, 1);
    assert_string_equal(p.label, "2026-11-27");
    /* The instant of local midnight belongs to the new day; one ms before, to the old. */
    assert_int_equal(report_period_at(REPORT_DAILY, iso("2026-11-27T16:00:00Z"), &p), 0);
    assert_string_equal(p.label, "2026-11-28");
    assert_int_equal(report_period_at(REPORT_DAILY, iso("2026-11-27T15:59:59.999Z"), &p), 0);
    assert_string_equal(p.label, "2026-11-27");
    /* The year end. */
    assert_int_equal(report_period_of(REPORT_DAILY, 2026, 12, 31, &p), 0);
    assert_int_equal(p.from, iso("2026-12-30T16:00:00Z"));
    assert_int_equal(p.to, iso("2026-12-31T16:00:00Z"));
    struct report_period q;
    assert_int_equal(report_period_at(REPORT_DAILY, p.to, &q), 0);
    assert_string_equal(q.label, "2027-01-01");
    assert_int_equal(report_period_prev(&q, &p), 0);
    assert_string_equal(p.label, "2026-12-31");
}

static void test_week_period(void **state)
{
    (void)state;
    struct report_period p;
    /* Saturday 2026-11-28 lies in the week of Monday 2026-11-23 (ISO 2026-W48). */
    assert_int_equal(report_period_of(REPORT_WEEKLY, 2026, 11, 28, &p), 0);
    assert_string_equal(p.label, "2026-W48");
    assert_int_equal(p.ndays, 7);
    assert_int_equal(p.from, iso("2026-11-22T16:00:00Z"));
    assert_int_equal(p.to, iso("2026-11-29T16:00:00Z"));
    assert_string_equal(p.day_label[0], "2026-11-23");
    assert_string_equal(p.day_label[6], "2026-11-29");
    /* Monday itself and Sunday give the same week. */
    struct report_period m, s;
    assert_int_equal(report_period_of(REPORT_WEEKLY, 2026, 11, 23, &m), 0);
    assert_int_equal(report_period_of(REPORT_WEEKLY, 2026, 11, 29, &s), 0);
    assert_int_equal(m.from, p.from);
    assert_int_equal(s.to, p.to);
    /* Across the year end: 2026-12-28 .. 2027-01-03 is ISO week 2026-W53. */
    assert_int_equal(report_period_of(REPORT_WEEKLY, 2027, 1, 1, &p), 0);
    assert_string_equal(p.label, "2026-W53");
    assert_string_equal(p.day_label[0], "2026-12-28");
    assert_string_equal(p.day_label[6], "2027-01-03");
    assert_int_equal(p.to - p.from, 7 * DAY);
    /* A week across a month end. */
    assert_int_equal(report_period_of(REPORT_WEEKLY, 2026, 12, 2, &p), 0);
    assert_string_equal(p.day_label[0], "2026-11-30");
    assert_string_equal(p.label, "2026-W49");
}

static void test_month_period(void **state)
{
    (void)state;
    struct report_period p;
    assert_int_equal(report_period_of(REPORT_MONTHLY, 2026, 11, 30, &p), 0);
    assert_string_equal(p.label, "2026-11");
    assert_int_equal(p.ndays, 30);
    assert_int_equal(p.from, iso("2026-10-31T16:00:00Z"));
    assert_int_equal(p.to, iso("2026-11-30T16:00:00Z"));
    assert_int_equal(report_period_of(REPORT_MONTHLY, 2026, 2, 10, &p), 0);
    assert_int_equal(p.ndays, 28);
    assert_int_equal(report_period_of(REPORT_MONTHLY, 2028, 2, 29, &p), 0);
    assert_int_equal(p.ndays, 29);
    assert_string_equal(p.day_label[28], "2028-02-29");
    /* December ends at the local new year; the month before January is December. */
    assert_int_equal(report_period_of(REPORT_MONTHLY, 2026, 12, 1, &p), 0);
    assert_int_equal(p.ndays, 31);
    assert_int_equal(p.to, iso("2026-12-31T16:00:00Z"));
    struct report_period q;
    assert_int_equal(report_period_of(REPORT_MONTHLY, 2027, 1, 15, &q), 0);
    assert_int_equal(q.from, p.to);
    assert_int_equal(report_period_prev(&q, &p), 0);
    assert_string_equal(p.label, "2026-12");
}

static void test_date_and_kind_parse(void **state)
{
    (void)state;
    int y, m, d;
    assert_int_equal(report_date_parse("2028-02-29", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20280229);
    const char *bad[] = {"2026-02-29", "2026-2-01",  "2026-13-01",  "2026-00-10",
                         "2026-11-31", "abcd-ef-gh", "2026-11-27x", "",
                         "1969-12-31", "+026-11-27", "2026-11-00",  NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(report_date_parse(bad[i], &y, &m, &d), -EINVAL);
    assert_int_equal(report_date_parse(NULL, &y, &m, &d), -EINVAL);
    enum report_kind k;
    assert_int_equal(report_kind_parse("weekly", &k), 0);
    assert_int_equal(k, REPORT_WEEKLY);
    assert_int_equal(report_kind_parse("yearly", &k), -EINVAL);
    assert_int_equal(report_kind_parse(NULL, &k), -EINVAL);
}

/* ---- statistics ---- */

static void test_median_and_p90(void **state)
{
    (void)state;
    struct report_dist d;
    report_dist_compute(NULL, 0, &d);
    assert_int_equal(d.n, 0);
    int64_t one[] = {5};
    report_dist_compute(one, 1, &d);
    assert_true(d.median_ms == 5 && d.p90_ms == 5 && d.max_ms == 5);
    int64_t four[] = {4, 1, 3, 2}; /* unsorted on purpose */
    report_dist_compute(four, 4, &d);
    assert_true(d.median_ms == 2.5); /* mean of the two middle values */
    assert_true(d.p90_ms == 4);      /* rank ceil(3.6) = 4 */
    int64_t six[] = {6, 5, 4, 3, 2, 1};
    report_dist_compute(six, 6, &d);
    assert_true(d.median_ms == 3.5);
    assert_true(d.p90_ms == 6); /* rank ceil(5.4) = 6, not the nearest-integer 5 */
    int64_t ten[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    report_dist_compute(ten, 10, &d);
    assert_true(d.median_ms == 5.5);
    assert_true(d.p90_ms == 9); /* rank 9 */
    assert_int_equal(d.max_ms, 10);
    int64_t eleven[11];
    for (int i = 0; i < 11; i++)
        eleven[i] = (i + 1) * 1000;
    report_dist_compute(eleven, 11, &d);
    assert_true(d.median_ms == 6000);
    assert_true(d.p90_ms == 10000); /* rank ceil(9.9) = 10 */
}

/* ---- the SVG writer ---- */

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Every element opened is closed (or self-closed), in order: a tiny XML well-formedness
 * check for the writer's output (no comments, no CDATA). */
static int balanced(const char *s)
{
    char stack[64][16];
    int depth = 0;
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        const char *end = strchr(p, '>');
        if (!end)
            return 0;
        if (p[1] == '/') {
            size_t n = strcspn(p + 2, " >");
            if (depth == 0 || strlen(stack[depth - 1]) != n || strncmp(stack[depth - 1], p + 2, n))
                return 0;
            depth--;
        } else if (end[-1] != '/') {
            size_t n = strcspn(p + 1, " >");
            if (depth == 64 || n >= 16)
                return 0;
            snprintf(stack[depth++], 16, "%.*s", (int)n, p + 1);
        }
    }
    return depth == 0;
}

static void test_svg_hbar(void **state)
{
    (void)state;
    struct svg_item it[] = {{"火警", 3}, {"<script>alert('x')</script> & \"q\"", 1}, {"zero", 0}};
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(svg_hbar(&b, "报警按类型 <b>", it, 3, "none"), 0);
    assert_true(strncmp(b.data, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    assert_int_equal(count(b.data, "<rect class=\"bar\""), 3);
    assert_int_equal(count(b.data, "class=\"value\""), 3);
    assert_non_null(strstr(b.data, "<title>报警按类型 &lt;b&gt;</title>"));
    assert_null(strstr(b.data, "<script"));
    assert_null(strstr(b.data, "<b>"));
    assert_non_null(strstr(b.data, "&lt;script&gt;alert(&#39;x&#39;)…</text>"));
    /* The longest bar is the largest value; a zero draws a zero-width bar. */
    assert_non_null(strstr(b.data, "width=\"410.0\""));
    assert_non_null(strstr(b.data, "width=\"0.0\""));
    assert_true(balanced(b.data));
    buf_cleanup(&b);
}

static void test_svg_columns_and_labels(void **state)
{
    (void)state;
    struct svg_item it[31];
    char labels[31][16];
    for (int i = 0; i < 31; i++) {
        snprintf(labels[i], sizeof labels[i], "12-%02d", i + 1);
        it[i] = (struct svg_item){labels[i], i % 3};
    }
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(svg_columns(&b, "每日报警数", it, 31, "none"), 0);
    assert_int_equal(count(b.data, "<rect class=\"bar\""), 31);
    /* Many columns: every fifth label and the last (days 1, 6, ... 31). */
    assert_int_equal(count(b.data, "class=\"label\""), 7);
    assert_true(balanced(b.data));
    buf_reset(&b);
    /* A label is cut on a character boundary: 20 Chinese characters -> 18 and "…". */
    struct svg_item longer = {"一二三四五六七八九十一二三四五六七八九十", 1};
    assert_int_equal(svg_hbar(&b, "t", &longer, 1, "none"), 0);
    assert_non_null(strstr(b.data, ">一二三四五六七八九十一二三四五六七八…</text>"));
    buf_reset(&b);
    /* No data: a short chart that says so. */
    assert_int_equal(svg_columns(&b, "t", NULL, 0, "本期无数据 & <none>"), 0);
    assert_int_equal(count(b.data, "<rect"), 0);
    assert_non_null(strstr(b.data, "class=\"empty\""));
    assert_non_null(strstr(b.data, "本期无数据 &amp; &lt;none&gt;"));
    assert_true(balanced(b.data));
    buf_reset(&b);
    /* Control bytes are dropped; the cap is honoured. */
    assert_int_equal(svg_escape(&b, "a\x01"
                                    "b\x1f"
                                    "c"),
                     0);
    assert_string_equal(b.data, "abc");
    struct buf tiny;
    buf_init(&tiny, 64);
    assert_int_equal(svg_hbar(&tiny, "t", it, 31, "none"), -E2BIG);
    buf_cleanup(&tiny);
    buf_cleanup(&b);
}

/* ---- figures over known data (in-process, pinned clock) ---- */

static struct actor sys;

static int64_t create(struct testenv *e,
                      int (*fn)(struct app *, const struct actor *, json_t *, json_t **,
                                struct app_err *),
                      const char *json)
{
    json_t *in = json_loads(json, 0, NULL), *out = NULL;
    struct app_err err = {0};
    assert_non_null(in);
    assert_int_equal(fn(&e->app, &sys, in, &out, &err), 0);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(in);
    json_decref(out);
    return id;
}

static void set_status(struct testenv *e, int64_t dev, const char *status)
{
    char body[64];
    snprintf(body, sizeof body, "{\"status\":\"%s\"}", status);
    json_t *in = json_loads(body, 0, NULL), *out = NULL;
    struct app_err err = {0};
    assert_int_equal(app_device_set_status(&e->app, &sys, dev, in, &out, &err), 0);
    json_decref(in);
    json_decref(out);
}

static void sql(struct testenv *e, const char *q)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(db, q, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", q, msg ? msg : "?");
    sqlite3_close(db);
}

static int64_t area_id, cam_id;

/* The site at TESTENV_T0 (2026-11-27 08:00 local), an area and a camera. */
static int setup_site(void **state)
{
    if (testenv_setup_app(state))
        return -1;
    struct testenv *e = *state;
    app_actor_system(&sys, "test");
    if (app_site_init(&e->app, &sys, "测试小区") != 0)
        return -1;
    area_id = create(e, app_area_create, "{\"kind\":\"garage\",\"name\":\"地库B1\"}");
    char dev[128];
    snprintf(dev, sizeof dev, "{\"area_id\":%lld,\"kind\":\"camera\",\"name\":\"地库摄像机01\"}",
             (long long)area_id);
    cam_id = create(e, app_device_create, dev);
    return 0;
}

static json_t *build_day(struct testenv *e, int y, int m, int d)
{
    struct report_period p;
    assert_int_equal(report_period_of(REPORT_DAILY, y, m, d, &p), 0);
    json_t *rep = NULL;
    assert_int_equal(app_report_build_period(&e->app, &p, clock_now_ms(), &rep), 0);
    return rep;
}

static json_t *path(json_t *o, const char *a, const char *b)
{
    json_t *x = json_object_get(o, a);
    return b ? json_object_get(x, b) : x;
}

static void test_downtime_from_status_changes(void **state)
{
    struct testenv *e = *state;
    /* Fault 09:00-11:00 local on the 27th; offline from 04:00 on the 28th, still at 06:00. */
    clock_set_fixed(TESTENV_T0 + 1 * H);
    set_status(e, cam_id, "fault");
    clock_set_fixed(TESTENV_T0 + 3 * H);
    set_status(e, cam_id, "normal");
    clock_set_fixed(TESTENV_T0 + 4 * H);
    set_status(e, cam_id, "maintenance");
    clock_set_fixed(TESTENV_T0 + 4 * H + 30 * MIN);
    set_status(e, cam_id, "normal");
    clock_set_fixed(TESTENV_T0 + 20 * H);
    set_status(e, cam_id, "offline");
    clock_set_fixed(TESTENV_T0 + 22 * H);
    json_t *rep = build_day(e, 2026, 11, 27);
    assert_true(json_is_true(json_object_get(rep, "complete")));
    json_t *down = json_array_get(path(rep, "facility", "downtime"), 0);
    assert_int_equal(json_integer_value(json_object_get(down, "down_ms")), 2 * H);
    assert_int_equal(json_integer_value(json_object_get(down, "maintenance_ms")), 30 * MIN);
    assert_string_equal(json_string_value(json_object_get(down, "state_at_end")), "normal");
    assert_int_equal(json_integer_value(path(rep, "facility", "devices")), 1);
    json_decref(rep);
    /* The running day stops at now: offline 04:00-06:00 so far. */
    rep = build_day(e, 2026, 11, 28);
    assert_false(json_is_true(json_object_get(rep, "complete")));
    down = json_array_get(path(rep, "facility", "downtime"), 0);
    assert_int_equal(json_integer_value(json_object_get(down, "down_ms")), 2 * H);
    assert_string_equal(json_string_value(json_object_get(down, "state_at_end")), "offline");
    assert_int_equal(
        json_integer_value(json_object_get(path(rep, "facility", "by_state"), "offline")), 1);
    json_decref(rep);
}

/* Incidents opened on the 27th at 10:00 local (02:00Z) with known response instants. */
static void seed_incidents(struct testenv *e)
{
    char q[4096];
    const long long t = TESTENV_T0 + 2 * H;
    snprintf(q, sizeof q,
             "INSERT INTO incident(id,type,priority,state,verdict,area_id,title,source,opened_at,"
             "updated_at,acked_at,closed_at) VALUES"
             "(1,'fire',1,'closed','real',%lld,'f','t',%lld,%lld,%lld,%lld),"
             "(2,'intrusion',2,'verified','false',NULL,'i','t',%lld,%lld,%lld,NULL),"
             "(3,'intrusion',2,'verified','false',NULL,'i','t',%lld,%lld,%lld,NULL),"
             "(4,'panic',1,'new',NULL,NULL,'p','t',%lld,%lld,NULL,NULL),"
             "(5,'fire',1,'verified','test',%lld,'x','t',%lld,%lld,%lld,NULL),"
             "(6,'fire',1,'new',NULL,NULL,'late','t',%lld,%lld,NULL,NULL);"
             "INSERT INTO incident_event(incident_id,at,actor,kind,from_state,to_state) VALUES"
             "(1,%lld,'op','transition','acknowledged','dispatched'),"
             "(3,%lld,'op','transition','acknowledged','dispatched'),"
             "(3,%lld,'op','transition','dispatched','dispatched');",
             (long long)area_id, t, t, t + 10 * S, t + 600 * S, t, t, t + 20 * S, t, t, t + 40 * S,
             t, t, (long long)area_id, t, t, t + 5 * MIN, D1127 + DAY, D1127 + DAY, t + 60 * S,
             t + 100 * S, t + 200 * S);
    sql(e, q);
    /* Alarms: 2 on the fire incident, 1 on each other, a restore (not counted), one at the
     * first instant of the day (counted) and one at the first instant of the next (not). */
    snprintf(q, sizeof q,
             "INSERT INTO alarm(received_at,protocol,account,code,kind,digest,source,incident_id)"
             " VALUES(%lld,'api','A','E110','event',x'01','t',1),(%lld,'api','A','E110','event',"
             "x'02','t',1),(%lld,'api','A','E130','event',x'03','t',2),(%lld,'api','A','E130',"
             "'event',x'04','t',3),(%lld,'api','A','E120','event',x'05','t',4),(%lld,'api','A',"
             "'R110','restore',x'06','t',1),(%lld,'api','A','E110','event',x'07','t',5),"
             "(%lld,'api','A','E110','event',x'08','t',6)",
             t, t + S, t, t, t, t + 2 * S, D1127, D1127 + DAY);
    sql(e, q);
}

static json_t *find(json_t *arr, const char *key, const char *val)
{
    size_t i;
    json_t *x;
    json_array_foreach (arr, i, x) {
        const char *s = json_string_value(json_object_get(x, key));
        if ((!val && json_is_null(json_object_get(x, key))) || (val && s && strcmp(s, val) == 0))
            return x;
    }
    fail_msg("no %s = %s", key, val ? val : "null");
    return NULL;
}

static double num(json_t *o, const char *a, const char *b)
{
    json_t *v = path(o, a, b);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void test_alarm_and_response_figures(void **state)
{
    struct testenv *e = *state;
    seed_incidents(e);
    json_t *rep = build_day(e, 2026, 11, 27);
    json_t *al = json_object_get(rep, "alarms");
    assert_int_equal(json_integer_value(json_object_get(al, "total")), 6);
    json_t *bt = json_object_get(al, "by_type");
    assert_int_equal(json_integer_value(json_object_get(find(bt, "type", "fire"), "alarms")), 3);
    assert_int_equal(json_integer_value(json_object_get(find(bt, "type", "intrusion"), "alarms")),
                     2);
    json_t *ba = json_object_get(al, "by_area");
    assert_int_equal(json_integer_value(json_object_get(find(ba, "area", "地库B1"), "alarms")), 3);
    assert_int_equal(json_integer_value(json_object_get(find(ba, "area", NULL), "alarms")), 3);
    json_t *inc = json_object_get(rep, "incidents");
    assert_int_equal(num(rep, "incidents", "total"), 5); /* the 6th opened the next day */
    assert_int_equal(num(rep, "incidents", "verified"), 3);
    assert_int_equal(num(rep, "incidents", "false_alarms"), 2);
    assert_int_equal(num(rep, "incidents", "tests"), 1);
    assert_true(json_real_value(json_object_get(inc, "false_alarm_rate")) == 0.667);
    /* Acknowledged after 10, 20, 40 s and 5 min; dispatched after 60 and 100 s (the first
     * transition to dispatched counts); closed after 600 s. */
    json_t *r = json_object_get(rep, "response");
    assert_int_equal(num(r, "incidents", NULL), 5);
    assert_true(num(r, "to_acknowledge", "median_s") == 30.0);
    assert_true(num(r, "to_acknowledge", "p90_s") == 300.0);
    assert_int_equal(num(r, "to_acknowledge", "n"), 4);
    assert_true(num(r, "to_dispatch", "median_s") == 80.0);
    assert_true(num(r, "to_dispatch", "p90_s") == 100.0);
    assert_true(num(r, "to_close", "median_s") == 600.0);
    json_t *dist = json_object_get(r, "acknowledge_distribution");
    assert_int_equal(json_integer_value(json_object_get(find(dist, "bucket", "lt_30s"), "count")),
                     2);
    assert_int_equal(json_integer_value(json_object_get(find(dist, "bucket", "30s_1m"), "count")),
                     1);
    assert_int_equal(json_integer_value(json_object_get(find(dist, "bucket", "5m_15m"), "count")),
                     1);
    assert_int_equal(
        json_integer_value(json_object_get(find(dist, "bucket", "not_acknowledged"), "count")), 1);
    json_t *pd = json_array_get(path(rep, "alarms", "per_day"), 0);
    assert_int_equal(json_integer_value(json_object_get(pd, "alarms")), 6);
    json_decref(rep);
    /* The weekly report holds both days; per day splits them at local midnight. */
    struct report_period p;
    assert_int_equal(report_period_of(REPORT_WEEKLY, 2026, 11, 27, &p), 0);
    assert_int_equal(app_report_build_period(&e->app, &p, clock_now_ms(), &rep), 0);
    assert_int_equal(num(rep, "alarms", "total"), 7);
    json_t *days = path(rep, "alarms", "per_day");
    assert_int_equal(json_array_size(days), 7);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(days, 4), "alarms")), 6);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(days, 5), "alarms")), 1);
    json_decref(rep);
}

static void test_complaint_figures(void **state)
{
    struct testenv *e = *state;
    const long long t = TESTENV_T0; /* 08:00 local on the 27th */
    char q[2048];
    /* 1: closed the same day after 6 h with satisfaction 4; 2: closed after 2 h, 5; 3: overdue
     * at the end of the day (due 12:00, no result); 4: result in time, return visit pending. */
    snprintf(q, sizeof q,
             "INSERT INTO complaint(opened_at,channel,unit,contact_name,category,description,"
             "urgency,due_at,state,result_at,return_visit_at,satisfaction,created_by,updated_at)"
             " VALUES(%lld,'phone','1-101','a','noise','d','normal',%lld,'closed',%lld,%lld,4,"
             "'t',%lld),(%lld,'phone','1-102','b','noise','d','normal',%lld,'closed',%lld,%lld,5,"
             "'t',%lld),(%lld,'phone','1-103','c','parking','d','normal',%lld,'open',NULL,NULL,"
             "NULL,'t',%lld),(%lld,'phone','1-104','d','parking','d','normal',%lld,'resolved',"
             "%lld,NULL,NULL,'t',%lld)",
             t, t + DAY, t + 5 * H, t + 6 * H, t, t, t + DAY, t + H, t + 2 * H, t, t, t + 4 * H, t,
             t, t + 4 * H, t + 3 * H, t);
    sql(e, q);
    clock_set_fixed(TESTENV_T0 + DAY); /* the day is over */
    json_t *rep = build_day(e, 2026, 11, 27);
    json_t *c = json_object_get(rep, "complaints");
    assert_int_equal(num(c, "received", NULL), 4);
    assert_int_equal(num(c, "closed", NULL), 2);
    assert_int_equal(num(c, "overdue", NULL), 1);
    assert_true(num(c, "time_to_close", "median_h") == 4.0);
    assert_true(num(c, "time_to_close", "p90_h") == 6.0);
    json_t *sat = json_object_get(c, "satisfaction");
    assert_int_equal(num(sat, "visits", NULL), 2);
    assert_true(num(sat, "average", NULL) == 4.5);
    json_t *sc = json_object_get(sat, "by_score");
    assert_int_equal(json_integer_value(json_array_get(sc, 3)), 1);
    assert_int_equal(json_integer_value(json_array_get(sc, 4)), 1);
    json_t *noise = find(json_object_get(c, "by_category"), "category", "noise");
    assert_int_equal(json_integer_value(json_object_get(noise, "closed")), 2);
    json_decref(rep);
}

static void test_csv_and_html(void **state)
{
    struct testenv *e = *state;
    seed_incidents(e);
    json_t *rep = build_day(e, 2026, 11, 27);
    char *csv = NULL, *html = NULL;
    assert_int_equal(report_render_csv(rep, 1, &csv), 0);
    assert_true(strncmp(csv,
                        "\xEF\xBB\xBF"
                        "Report\r\nItem,Value\r\n",
                        21) == 0);
    assert_non_null(strstr(csv, "\r\nAlarms by type\r\nAlarm type,Alarms\r\nFire alarm,3\r\n"));
    assert_non_null(strstr(csv, "False-alarm rate,66.7%\r\n"));
    assert_non_null(strstr(csv, "Arrival → acknowledged,4,30,300,300\r\n"));
    assert_non_null(strstr(csv, "Fault tickets\r\nItem,Value\r\nReported,0\r\n"));
    free(csv);
    assert_int_equal(report_render_csv(rep, 0, &csv), 0);
    assert_non_null(strstr(csv, "报警按类型\r\n报警类型,报警数\r\n火警,3\r\n"));
    free(csv);
    assert_int_equal(report_render_html(rep, 0, &html), 0);
    assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35) == 0);
    assert_int_equal(count(html, "<svg "), 8);
    assert_non_null(strstr(html, "<title>测试小区 监控中心日报 2026-11-27</title>"));
    assert_true(balanced(strstr(html, "<html")));
    free(html);
    assert_int_equal(report_render_html(rep, 1, &html), 0);
    assert_non_null(strstr(html, "<html lang=\"en\">"));
    free(html);
    json_decref(rep);
}

static int64_t local(int y, int m, int d, int hh, int mm);

static void test_ticket_and_check_figures(void **state)
{
    struct testenv *e = *state;
    const long long t = TESTENV_T0; /* 08:00 local on the 27th */
    char q[4096];
    /* A fault 09:00-11:00 (verified), then a failed check item at 13:00, overdue from 14:00 and
     * still not repaired at the end of the day. */
    snprintf(q, sizeof q,
             "INSERT INTO ticket(device_id,kind,priority,title,state,reported_by,reported_at,"
             "due_at,repaired_at,verified_at,closed_at,updated_at) VALUES"
             "(%lld,'fault','normal','黑屏','closed','op',%lld,%lld,%lld,%lld,%lld,%lld),"
             "(%lld,'check_failure','normal','镜头脏污','reported','op',%lld,%lld,NULL,NULL,NULL,"
             "%lld)",
             (long long)cam_id, t + H, t + 25 * H, t + 2 * H, t + 3 * H, t + 4 * H, t + 4 * H,
             (long long)cam_id, t + 5 * H, t + 6 * H, t + 5 * H);
    sql(e, q);
    clock_set_fixed(TESTENV_T0 + DAY);
    json_t *rep = build_day(e, 2026, 11, 27);
    json_t *tk = path(rep, "facility", "tickets");
    assert_int_equal(num(tk, "opened", NULL), 2);
    assert_int_equal(num(tk, "check_failure", NULL), 1);
    assert_int_equal(num(tk, "repaired", NULL), 1);
    assert_int_equal(num(tk, "closed", NULL), 1);
    assert_int_equal(num(tk, "open_at_end", NULL), 1);
    assert_int_equal(num(tk, "overdue_at_end", NULL), 1);
    json_t *d = json_array_get(json_object_get(tk, "downtime"), 0);
    assert_int_equal(num(d, "down_ms", NULL), 13 * H); /* 2 h + 13:00 to midnight */
    assert_int_equal(num(d, "tickets", NULL), 2);
    json_decref(rep);

    /* The daily fire check since Tuesday the 24th: done on the 24th and 27th, failed items on
     * the 25th, missed on the 26th and 28th, Sunday the 29th still open at 12:00. The monthly
     * CCTV sheet is due at the end of the month: not in the week, pending in the month. */
    snprintf(q, sizeof q,
             "INSERT INTO check_template(id,code,version,recurrence,clause,name_zh,name_en,body,"
             "created_by,created_at) VALUES(1,'fire_daily',1,'daily','R4.2','消防设施每日检查',"
             "'Fire daily','{}','t',%lld),(2,'cctv_monthly',1,'monthly','R4.4','监控月度维护',"
             "'CCTV monthly','{}','t',%lld);"
             "INSERT INTO check_record(template_id,code,period_start,period_end,filled_by,"
             "filled_at,result,failed_items,answers) VALUES"
             "(1,'fire_daily',%lld,%lld,'op',%lld,'pass',0,'{}'),"
             "(1,'fire_daily',%lld,%lld,'op',%lld,'fail',1,'{}'),"
             "(1,'fire_daily',%lld,%lld,'op',%lld,'pass',0,'{}')",
             (long long)local(2026, 11, 24, 0, 0), (long long)local(2026, 11, 1, 0, 0),
             (long long)local(2026, 11, 24, 0, 0), (long long)local(2026, 11, 25, 0, 0),
             (long long)local(2026, 11, 24, 9, 0), (long long)local(2026, 11, 25, 0, 0),
             (long long)local(2026, 11, 26, 0, 0), (long long)local(2026, 11, 25, 9, 0),
             (long long)local(2026, 11, 27, 0, 0), (long long)local(2026, 11, 28, 0, 0),
             (long long)local(2026, 11, 27, 9, 0));
    sql(e, q);
    clock_set_fixed(local(2026, 11, 29, 12, 0));
    struct report_period p;
    assert_int_equal(report_period_of(REPORT_WEEKLY, 2026, 11, 29, &p), 0);
    assert_int_equal(app_report_build_period(&e->app, &p, clock_now_ms(), &rep), 0);
    json_t *sheets = path(rep, "checks", "by_sheet");
    assert_int_equal(json_array_size(sheets), 1);
    json_t *fd = find(sheets, "code", "fire_daily");
    assert_int_equal(num(fd, "due", NULL), 6);
    assert_int_equal(num(fd, "done", NULL), 2);
    assert_int_equal(num(fd, "failed", NULL), 1);
    assert_int_equal(num(fd, "missed", NULL), 2);
    assert_true(num(fd, "completion_rate", NULL) == 0.6);
    char *csv = NULL;
    assert_int_equal(report_render_csv(rep, 1, &csv), 0);
    assert_non_null(strstr(csv, "Fire daily,R4.2,6,2,1,2,60.0%,60\r\n"));
    free(csv);
    json_decref(rep);
    assert_int_equal(report_period_of(REPORT_MONTHLY, 2026, 11, 29, &p), 0);
    assert_int_equal(app_report_build_period(&e->app, &p, clock_now_ms(), &rep), 0);
    json_t *cm = find(path(rep, "checks", "by_sheet"), "code", "cctv_monthly");
    assert_int_equal(num(cm, "due", NULL), 1);
    assert_int_equal(num(cm, "missed", NULL), 0);
    assert_true(json_is_null(json_object_get(cm, "completion_rate")));
    json_decref(rep);
}

/* ---- scheduled reports ---- */

static int64_t local(int y, int m, int d, int hh, int mm)
{
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = m - 1,
                    .tm_mday = d,
                    .tm_hour = hh,
                    .tm_min = mm,
                    .tm_isdst = -1};
    return (int64_t)mktime(&tm) * 1000;
}

static int64_t archived(struct testenv *e, const char *kind)
{
    json_t *out = NULL;
    struct page pg = {.limit = 500, .offset = 0};
    assert_int_equal(app_report_archive_list(&e->app, kind, &pg, &out), 0);
    int64_t n = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    return n;
}

static void test_schedule(void **state)
{
    struct testenv *e = *state;
    /* The site exists since 2026-11-27 08:00 local: no report of a period that ended before. */
    assert_int_equal(app_report_schedule_run(&e->app, clock_now_ms()), 0);
    assert_int_equal(app_report_schedule_run(&e->app, local(2026, 11, 28, 0, 9)), 0);
    assert_int_equal(app_report_schedule_run(&e->app, local(2026, 11, 28, 0, 10)), 1);
    assert_int_equal(app_report_schedule_run(&e->app, local(2026, 11, 28, 0, 11)), 0);
    assert_int_equal(archived(e, "daily"), 1);
    /* Monday 00:10: Saturday, Sunday and the week. */
    assert_int_equal(app_report_schedule_run(&e->app, local(2026, 11, 30, 0, 10)), 3);
    assert_int_equal(archived(e, "weekly"), 1);
    /* The 1st: Monday the 30th and November. */
    assert_int_equal(app_report_schedule_run(&e->app, local(2026, 12, 1, 0, 10)), 2);
    assert_int_equal(archived(e, "monthly"), 1);
    assert_int_equal(archived(e, NULL), 6);
    /* Down from the 1st to the 20th: the last 7 days and the last week are caught up. */
    assert_int_equal(app_report_schedule_run(&e->app, local(2026, 12, 20, 0, 10)), 8);
    assert_int_equal(archived(e, "daily"), 11);
    assert_int_equal(archived(e, "weekly"), 2);
    /* Only what report.schedule names. */
    snprintf(e->conf.report_schedule, sizeof e->conf.report_schedule, "monthly");
    assert_int_equal(app_report_schedule_run(&e->app, local(2027, 1, 1, 0, 10)), 1);
    assert_int_equal(archived(e, "daily"), 11);
    e->conf.report_schedule[0] = '\0';
    assert_int_equal(app_report_schedule_run(&e->app, local(2027, 2, 1, 0, 10)), 0);
    /* A stored report reads back whole, marked complete, with its archive facts. */
    json_t *list = NULL, *rep = NULL;
    struct page pg = {.limit = 1, .offset = 0};
    assert_int_equal(app_report_archive_list(&e->app, "monthly", &pg, &list), 0);
    int64_t id = json_integer_value(
        json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
    json_decref(list);
    assert_int_equal(app_report_archive_get(&e->app, id, &rep), 0);
    assert_string_equal(json_string_value(json_object_get(rep, "label")), "2026-12");
    assert_true(json_is_true(json_object_get(rep, "complete")));
    assert_string_equal(json_string_value(path(rep, "archive", "generated_by")), "system");
    json_decref(rep);
    assert_int_equal(app_report_archive_get(&e->app, 9999, &rep), -ENOENT);
}

static void test_build_rejects_bad_input(void **state)
{
    struct testenv *e = *state;
    json_t *rep = NULL;
    struct app_err err = {0};
    assert_int_equal(app_report_build(&e->app, "yearly", NULL, &rep, &err), -EINVAL);
    assert_string_equal(err.field, "kind");
    assert_int_equal(app_report_build(&e->app, "daily", "2026-11-31", &rep, &err), -EINVAL);
    assert_string_equal(err.field, "date");
    /* Tomorrow has not begun; today has. */
    assert_int_equal(app_report_build(&e->app, "daily", "2026-11-28", &rep, &err), -EINVAL);
    assert_int_equal(app_report_build(&e->app, "monthly", "2026-11-28", &rep, &err), 0);
    json_decref(rep);
    assert_null(NULL);
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_period),
        cmocka_unit_test(test_week_period),
        cmocka_unit_test(test_month_period),
        cmocka_unit_test(test_date_and_kind_parse),
        cmocka_unit_test(test_median_and_p90),
        cmocka_unit_test(test_svg_hbar),
        cmocka_unit_test(test_svg_columns_and_labels),
        cmocka_unit_test_setup_teardown(test_downtime_from_status_changes, setup_site,
                                        testenv_teardown),
        cmocka_unit_test_setup_teardown(test_alarm_and_response_figures, setup_site,
                                        testenv_teardown),
        cmocka_unit_test_setup_teardown(test_complaint_figures, setup_site, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_csv_and_html, setup_site, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_ticket_and_check_figures, setup_site,
                                        testenv_teardown),
        cmocka_unit_test_setup_teardown(test_schedule, setup_site, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_build_rejects_bad_input, setup_site, testenv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
