/* report.c - reports for superiors (R3.4.9): the local-calendar periods, the statistics and the
 * report model built from the store's aggregations (store/store_report.c). docs/reports.md
 * defines every figure. */
#include "app/report.h"

#include "app/checks.h"
#include "app/runstatus.h"
#include "core/clock.h"
#include "store/store_complaint.h"
#include "store/store_desk.h"
#include "store/store_model.h"
#include "store/store_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const report_kinds[] = {"daily", "weekly", "monthly", NULL};

int report_kind_parse(const char *s, enum report_kind *out)
{
    for (int i = 0; s && report_kinds[i]; i++) {
        if (strcmp(s, report_kinds[i]) == 0) {
            *out = (enum report_kind)i;
            return 0;
        }
    }
    return -EINVAL;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

int report_date_parse(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -EINVAL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -EINVAL;
    int yy = (int)strtol(s, NULL, 10), mm = (int)strtol(s + 5, NULL, 10),
        dd = (int)strtol(s + 8, NULL, 10);
    if (yy < 1970 || yy > 2999 || mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(yy, mm))
        return -EINVAL;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}

/* The local midnight starting y-m-d (d may overflow the month: mktime normalises), and the
 * normalised date in *tm. -EINVAL when it cannot be represented. */
static int local_midnight(int y, int m, int d, struct tm *tm, int64_t *ms)
{
    memset(tm, 0, sizeof *tm);
    tm->tm_year = y - 1900;
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_isdst = -1;
    time_t t = mktime(tm);
    if (t == (time_t)-1)
        return -EINVAL;
    *ms = (int64_t)t * 1000;
    return 0;
}

int report_period_of(enum report_kind kind, int y, int m, int d, struct report_period *p)
{
    struct tm tm;
    int64_t ms;
    memset(p, 0, sizeof *p);
    p->kind = kind;
    if (local_midnight(y, m, d, &tm, &ms))
        return -EINVAL;
    if (kind == REPORT_WEEKLY) {
        d -= (tm.tm_wday + 6) % 7; /* back to Monday */
        p->ndays = 7;
    } else if (kind == REPORT_MONTHLY) {
        d = 1;
        p->ndays = days_in_month(tm.tm_year + 1900, tm.tm_mon + 1);
    } else {
        p->ndays = 1;
    }
    for (int i = 0; i <= p->ndays; i++) {
        if (local_midnight(y, m, d + i, &tm, &p->day_start[i]))
            return -EINVAL;
        if (i < p->ndays)
            strftime(p->day_label[i], sizeof p->day_label[i], "%Y-%m-%d", &tm);
        if (i == 0 && kind == REPORT_WEEKLY)
            strftime(p->label, sizeof p->label, "%G-W%V", &tm);
        else if (i == 0 && kind == REPORT_MONTHLY)
            snprintf(p->label, sizeof p->label, "%.7s", p->day_label[0]);
        else if (i == 0)
            snprintf(p->label, sizeof p->label, "%s", p->day_label[0]);
    }
    p->from = p->day_start[0];
    p->to = p->day_start[p->ndays];
    return 0;
}

int report_period_at(enum report_kind kind, int64_t ms, struct report_period *p)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return -EINVAL;
    return report_period_of(kind, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, p);
}

int report_period_prev(const struct report_period *cur, struct report_period *p)
{
    return report_period_at(cur->kind, cur->from - 1, p);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void report_dist_compute(int64_t *v, size_t n, struct report_dist *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n == 0)
        return;
    qsort(v, n, sizeof v[0], cmp_i64);
    out->median_ms = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
    size_t rank = (9 * n + 9) / 10; /* ceil(0.9 n) */
    out->p90_ms = (double)v[rank - 1];
    out->max_ms = v[n - 1];
}

/* {"n", "median_s", "p90_s", "max_s"} with nulls when there is no value; unit = 1000 for
 * seconds, 3600000 for hours (keys "_h"). */
static json_t *dist_json(int64_t *v, size_t n, double unit, const char *sfx)
{
    struct report_dist d;
    report_dist_compute(v, n, &d);
    json_t *o = json_pack("{sI}", "n", (json_int_t)n);
    const char *names[] = {"median", "p90", "max"};
    double vals[] = {d.median_ms, d.p90_ms, (double)d.max_ms};
    for (int i = 0; i < 3; i++) {
        char key[16];
        snprintf(key, sizeof key, "%s_%s", names[i], sfx);
        /* Rounded to 0.1 of the unit so figures read the same in every format. */
        double x = (double)(int64_t)(vals[i] / unit * 10.0 + 0.5) / 10.0;
        json_object_set_new(o, key, n ? json_real(x) : json_null());
    }
    return o;
}

static int64_t jint(const json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* ---- facility status: devices by state at the end of the period and time out of service,
 * from the device status changes of the audit trail ---- */

static const char *const device_states[] = {"normal",      "fault",    "offline",
                                            "maintenance", "disabled", NULL};

struct dev_acc {
    const char *state; /* at the end of the period */
    int64_t down_ms;   /* fault or offline */
    int64_t maint_ms;  /* maintenance */
};

static void add_overlap(const char *state, int64_t a, int64_t b, int64_t from, int64_t end,
                        struct dev_acc *acc)
{
    a = a < from ? from : a;
    b = b > end ? end : b;
    if (b <= a)
        return;
    if (strcmp(state, "fault") == 0 || strcmp(state, "offline") == 0)
        acc->down_ms += b - a;
    else if (strcmp(state, "maintenance") == 0)
        acc->maint_ms += b - a;
}

/* Before its first recorded change a device is taken to have been normal since its creation;
 * a device without any recorded change has had its current status all along. */
static void device_walk(const json_t *dev, const json_t *changes, int64_t from, int64_t end,
                        struct dev_acc *acc)
{
    int64_t id = jint(dev, "id"), cursor = jint(dev, "created_at");
    size_t i;
    json_t *ch;
    int any = 0;
    json_array_foreach (changes, i, ch)
        any |= jint(ch, "device_id") == id;
    acc->state = any ? "normal" : jstr(dev, "status");
    acc->down_ms = acc->maint_ms = 0;
    json_array_foreach (changes, i, ch) {
        if (jint(ch, "device_id") != id)
            continue;
        add_overlap(acc->state, cursor, jint(ch, "at"), from, end, acc);
        acc->state = jstr(ch, "status");
        cursor = jint(ch, "at");
    }
    add_overlap(acc->state, cursor, end, from, end, acc);
}

static double hours1(int64_t ms)
{
    return (double)(int64_t)((double)ms / 360000.0 + 0.5) / 10.0;
}

static int cmp_down(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int64_t dx = jint(x, "down_ms"), dy = jint(y, "down_ms");
    if (dx != dy)
        return dx < dy ? 1 : -1;
    return cmp_i64(&(int64_t){jint(x, "device_id")}, &(int64_t){jint(y, "device_id")});
}

/* Sorts a JSON array of downtime rows, most downtime first. */
static void sort_down(json_t *rows)
{
    size_t n = json_array_size(rows);
    if (n < 2)
        return;
    json_t **v = calloc(n, sizeof *v);
    if (!v)
        abort();
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(rows, i));
    qsort(v, n, sizeof *v, cmp_down);
    json_array_clear(rows);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(rows, v[i]);
    free(v);
}

static int section_facility(struct store_conn *c, const struct report_period *p, int64_t end,
                            json_t *rep)
{
    json_t *devs = NULL, *changes = NULL;
    int rc = store_report_devices(c, p->to, &devs);
    if (!rc)
        rc = store_report_device_changes(c, p->to, &changes);
    if (rc) {
        json_decref(devs);
        return rc;
    }
    json_t *by_state = json_object(), *down = json_array();
    for (int i = 0; device_states[i]; i++)
        json_object_set_new(by_state, device_states[i], json_integer(0));
    size_t i;
    json_t *d;
    int64_t total_down = 0;
    json_array_foreach (devs, i, d) {
        struct dev_acc acc;
        device_walk(d, changes, p->from, end, &acc);
        json_t *n = json_object_get(by_state, acc.state);
        if (n)
            json_integer_set(n, json_integer_value(n) + 1);
        total_down += acc.down_ms;
        if (acc.down_ms || acc.maint_ms || strcmp(acc.state, "normal") != 0)
            json_array_append_new(
                down,
                json_pack("{sI ss ss ss ss sI sf sI sf}", "device_id", (json_int_t)jint(d, "id"),
                          "name", jstr(d, "name"), "kind", jstr(d, "kind"), "area", jstr(d, "area"),
                          "state_at_end", acc.state, "down_ms", (json_int_t)acc.down_ms,
                          "down_hours", hours1(acc.down_ms), "maintenance_ms",
                          (json_int_t)acc.maint_ms, "maintenance_hours", hours1(acc.maint_ms)));
    }
    sort_down(down);
    json_object_set_new(rep, "facility",
                        json_pack("{sI so sf so sn}", "devices", (json_int_t)json_array_size(devs),
                                  "by_state", by_state, "down_hours_total", hours1(total_down),
                                  "downtime", down, "tickets"));
    json_decref(devs);
    json_decref(changes);
    return 0;
}

/* ---- alarms and incidents ---- */

static int section_alarms(struct store_conn *c, const struct report_period *p, json_t *rep)
{
    json_t *by_type = NULL, *by_area = NULL, *per_day = json_array();
    int64_t total = 0;
    int rc = store_report_alarm_count(c, p->from, p->to, &total);
    if (!rc)
        rc = store_report_alarms_by_type(c, p->from, p->to, &by_type);
    if (!rc)
        rc = store_report_alarms_by_area(c, p->from, p->to, &by_area);
    for (int i = 0; !rc && i < p->ndays; i++) {
        int64_t n = 0;
        rc = store_report_alarm_count(c, p->day_start[i], p->day_start[i + 1], &n);
        json_array_append_new(
            per_day, json_pack("{ss sI}", "date", p->day_label[i], "alarms", (json_int_t)n));
    }
    if (rc) {
        json_decref(by_type);
        json_decref(by_area);
        json_decref(per_day);
        return rc;
    }
    json_object_set_new(rep, "alarms",
                        json_pack("{sI so so so}", "total", (json_int_t)total, "by_type", by_type,
                                  "by_area", by_area, "per_day", per_day));
    return 0;
}

static int section_incidents(struct store_conn *c, const struct report_period *p, json_t *rep)
{
    json_t *rows = NULL;
    int rc = store_report_incidents_by_type(c, p->from, p->to, &rows);
    if (rc)
        return rc;
    int64_t total = 0, real = 0, fals = 0, tests = 0;
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        total += jint(r, "incidents");
        real += jint(r, "real");
        fals += jint(r, "false_alarms");
        tests += jint(r, "tests");
    }
    /* The false-alarm rate: verified false / verified real or false (tests left out). */
    json_t *rate =
        real + fals
            ? json_real((double)(int64_t)((double)fals * 1000.0 / (double)(real + fals) + 0.5) /
                        1000.0)
            : json_null();
    json_object_set_new(rep, "incidents",
                        json_pack("{sI sI sI sI sI so so}", "total", (json_int_t)total, "verified",
                                  (json_int_t)(real + fals), "real", (json_int_t)real,
                                  "false_alarms", (json_int_t)fals, "tests", (json_int_t)tests,
                                  "false_alarm_rate", rate, "by_type", rows));
    return 0;
}

/* Acknowledgement time buckets for the distribution chart (upper bounds, seconds). */
static const struct {
    const char *key;
    int64_t below_ms;
} ack_buckets[] = {{"lt_30s", 30000}, {"30s_1m", 60000},  {"1m_2m", 120000},
                   {"2m_5m", 300000}, {"5m_15m", 900000}, {"ge_15m", INT64_MAX}};
#define N_ACK_BUCKETS (sizeof ack_buckets / sizeof ack_buckets[0])

/* Appends (t - opened_at) to v when the instant t of row r is set. */
static void push_delta(const json_t *r, const char *key, int64_t *v, size_t *n)
{
    const json_t *t = json_object_get(r, key);
    if (json_is_integer(t))
        v[(*n)++] = json_integer_value(t) - jint(r, "opened_at");
}

static int section_response(struct store_conn *c, const struct report_period *p, json_t *rep)
{
    json_t *rows = NULL;
    int rc = store_report_response(c, p->from, p->to, &rows);
    if (rc)
        return rc;
    size_t n = json_array_size(rows), na = 0, nd = 0, nc = 0, i;
    int64_t *ack = calloc(n + 1, sizeof *ack), *disp = calloc(n + 1, sizeof *disp),
            *cls = calloc(n + 1, sizeof *cls);
    if (!ack || !disp || !cls)
        abort();
    json_t *r;
    json_array_foreach (rows, i, r) {
        push_delta(r, "acked_at", ack, &na);
        push_delta(r, "dispatched_at", disp, &nd);
        push_delta(r, "closed_at", cls, &nc);
    }
    json_int_t counts[N_ACK_BUCKETS] = {0};
    for (i = 0; i < na; i++) {
        size_t b = 0;
        while (b + 1 < N_ACK_BUCKETS && ack[i] >= ack_buckets[b].below_ms)
            b++;
        counts[b]++;
    }
    json_t *dist = json_array();
    for (i = 0; i < N_ACK_BUCKETS; i++)
        json_array_append_new(
            dist, json_pack("{ss sI}", "bucket", ack_buckets[i].key, "count", counts[i]));
    json_array_append_new(
        dist, json_pack("{ss sI}", "bucket", "not_acknowledged", "count", (json_int_t)(n - na)));
    json_object_set_new(
        rep, "response",
        json_pack("{sI so so so so}", "incidents", (json_int_t)n, "to_acknowledge",
                  dist_json(ack, na, 1000.0, "s"), "to_dispatch", dist_json(disp, nd, 1000.0, "s"),
                  "to_close", dist_json(cls, nc, 1000.0, "s"), "acknowledge_distribution", dist));
    free(ack);
    free(disp);
    free(cls);
    json_decref(rows);
    return 0;
}

/* ---- complaints and the duty desk ---- */

static int section_complaints(struct store_conn *c, const struct report_period *p, int64_t end,
                              json_t *rep)
{
    json_t *sum = NULL, *times = NULL, *by_cat = NULL;
    int rc = store_report_complaints(c, p->from, p->to, end, &sum);
    if (!rc)
        rc = store_report_complaint_close_times(c, p->from, p->to, &times);
    if (!rc)
        rc = store_complaint_stats(c, p->from, p->to, end, &by_cat);
    if (rc) {
        json_decref(sum);
        json_decref(times);
        return rc;
    }
    size_t n = json_array_size(times), i;
    int64_t *v = calloc(n + 1, sizeof *v);
    if (!v)
        abort();
    json_t *r;
    json_array_foreach (times, i, r)
        v[i] = jint(r, "ms");
    json_t *scores = json_array();
    for (i = 1; i <= 5; i++) {
        char k[4];
        snprintf(k, sizeof k, "s%zu", i);
        json_array_append_new(scores, json_integer(jint(sum, k)));
        json_object_del(sum, k);
    }
    json_t *sat = json_pack("{sO sO so}", "visits", json_object_get(sum, "visits"), "average",
                            json_object_get(sum, "avg_satisfaction"), "by_score", scores);
    json_object_del(sum, "visits");
    json_object_del(sum, "avg_satisfaction");
    json_object_set_new(sum, "time_to_close", dist_json(v, n, 3600000.0, "h"));
    json_object_set_new(sum, "satisfaction", sat);
    json_object_set_new(sum, "by_category", by_cat);
    json_object_set_new(rep, "complaints", sum);
    free(v);
    json_decref(times);
    return 0;
}

static int section_duty(struct store_conn *c, const struct report_period *p, json_t *rep)
{
    json_t *row = NULL;
    int rc = store_report_duty(c, p->from, p->to, &row);
    if (rc)
        return rc;
    json_object_set_new(
        rep, "duty",
        json_pack("{s{sO sO sO sO} s{sO sO} s{sO sO sO sO}}", "handovers", "total",
                  json_object_get(row, "handovers"), "signed", json_object_get(row, "signed"),
                  "forced", json_object_get(row, "forced"), "pending",
                  json_object_get(row, "pending"), "room_entries", "total",
                  json_object_get(row, "room_entries"), "open_at_end",
                  json_object_get(row, "room_open_at_end"), "line_uses", "total",
                  json_object_get(row, "line_uses"), "emergency", json_object_get(row, "emergency"),
                  "non_emergency", json_object_get(row, "non_emergency"),
                  "non_emergency_unreviewed", json_object_get(row, "non_emergency_unreviewed")));
    json_decref(row);
    return 0;
}

/* The running-status entries of the period (GB 25201-2010 5.2: every duty.status_interval
 * minutes) and the periods that ended without one, up to now for a running period. */
static int section_runstatus(struct store_conn *c, const struct conf *cf,
                             const struct report_period *p, int64_t now, json_t *rep)
{
    json_t *rows = NULL, *missed = NULL;
    int rc = store_runstatus_list(c, p->from, p->to, &rows);
    if (!rc)
        rc = runstatus_missed(c, cf, p->from, p->to, now, &missed);
    if (!rc)
        json_object_set_new(
            json_object_get(rep, "duty"), "running_status",
            json_pack("{sI sI sI so}", "interval_minutes", (json_int_t)cf->duty_status_interval,
                      "entries", (json_int_t)json_array_size(rows), "missed",
                      (json_int_t)json_array_size(missed), "missed_periods", missed));
    else
        json_decref(missed);
    json_decref(rows);
    return rc;
}

/* ---- fault tickets and check sheets (equipment care) ---- */

/* Per device, the union of its tickets' intervals (rows ordered by device and start). */
static json_t *ticket_downtime(json_t *rows)
{
    json_t *out = json_array();
    size_t i = 0, n = json_array_size(rows);
    while (i < n) {
        json_t *first = json_array_get(rows, i);
        int64_t dev = jint(first, "device_id"), s = jint(first, "start"), e = jint(first, "end");
        int64_t total = 0, count = 0;
        for (; i < n && jint(json_array_get(rows, i), "device_id") == dev; i++, count++) {
            json_t *r = json_array_get(rows, i);
            if (jint(r, "start") > e) {
                total += e - s;
                s = jint(r, "start");
            }
            e = jint(r, "end") > e ? jint(r, "end") : e;
        }
        total += e - s;
        json_array_append_new(out,
                              json_pack("{sI ss ss sI sI sf}", "device_id", (json_int_t)dev, "name",
                                        jstr(first, "name"), "area", jstr(first, "area"), "tickets",
                                        (json_int_t)count, "down_ms", (json_int_t)total,
                                        "down_hours", hours1(total)));
    }
    sort_down(out);
    return out;
}

static int section_tickets(struct store_conn *c, const struct report_period *p, int64_t end,
                           json_t *rep)
{
    json_t *row = NULL, *iv = NULL;
    int rc = store_report_tickets(c, p->from, p->to, end, &row);
    if (!rc)
        rc = store_report_ticket_intervals(c, p->from, end, &iv);
    if (rc) {
        json_decref(row);
        return rc;
    }
    json_object_set_new(row, "downtime", ticket_downtime(iv));
    json_object_set_new(json_object_get(rep, "facility"), "tickets", row);
    json_decref(iv);
    return 0;
}

/* One sheet's row of the completion table, found or added. */
static json_t *sheet_row(json_t *rows, const json_t *task)
{
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r)
        if (strcmp(jstr(r, "code"), jstr(task, "code")) == 0)
            return r;
    r = json_pack("{ss ss ss ss ss si si si si}", "code", jstr(task, "code"), "name_zh",
                  jstr(task, "name_zh"), "name_en", jstr(task, "name_en"), "clause",
                  jstr(task, "clause"), "recurrence", jstr(task, "recurrence"), "due", 0, "done", 0,
                  "failed", 0, "missed", 0);
    json_array_append_new(rows, r);
    return r;
}

static void bump(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    json_integer_set(v, json_integer_value(v) + 1);
}

/* Whether a sheet's period [s, e) with due time due belongs to the report's period: it lies
 * inside it, or it is longer than the report's and falls due in it. */
static int sheet_counts(const json_t *t, const struct report_period *p)
{
    int64_t s = 0, e = 0, due = 0;
    if (clock_parse_iso(jstr(t, "period_start"), &s) ||
        clock_parse_iso(jstr(t, "period_end"), &e) || clock_parse_iso(jstr(t, "due_at"), &due))
        return 0;
    if (s >= p->from && e <= p->to)
        return 1;
    return e - s > p->to - p->from && due >= p->from && due < p->to;
}

/* The check sheets of the period (sheet_counts): filled (done, or done with failed items),
 * missed (overdue), or not yet due; rate = filled / (filled + missed). */
static int section_checks(struct app *a, const struct report_period *p, json_t *rep)
{
    json_t *cal = NULL, *rows = json_array();
    int rc = app_check_calendar(a, p->from, p->to, &cal, NULL);
    size_t i;
    json_t *t;
    json_array_foreach (json_object_get(cal, "items"), i, t) {
        if (!sheet_counts(t, p))
            continue;
        json_t *r = sheet_row(rows, t);
        const char *st = jstr(t, "status");
        bump(r, "due");
        if (strcmp(st, "done") == 0 || strcmp(st, "failed") == 0)
            bump(r, strcmp(st, "done") == 0 ? "done" : "failed");
        else if (strcmp(st, "overdue") == 0)
            bump(r, "missed");
    }
    json_array_foreach (rows, i, t) {
        int64_t filled = jint(t, "done") + jint(t, "failed"), base = filled + jint(t, "missed");
        json_object_set_new(
            t, "completion_rate",
            base ? json_real((double)(int64_t)((double)filled * 1000.0 / (double)base + 0.5) /
                             1000.0)
                 : json_null());
    }
    json_decref(cal);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    json_object_set_new(rep, "checks", json_pack("{so}", "by_sheet", rows));
    return 0;
}

/* ---- the report ---- */

static json_t *period_json(const struct report_period *p)
{
    char from[CLOCK_ISO_LEN], to[CLOCK_ISO_LEN], lfrom[24], lto[24];
    clock_format_iso(p->from, from, sizeof from);
    clock_format_iso(p->to, to, sizeof to);
    clock_format_local(p->from, lfrom, sizeof lfrom);
    clock_format_local(p->to, lto, sizeof lto);
    const char *tz = getenv("TZ");
    return json_pack("{ss ss ss ss ss si ss}", "from", from, "to", to, "from_local", lfrom,
                     "to_local", lto, "first_day", p->day_label[0], "days", p->ndays, "timezone",
                     tz && *tz ? tz : "localtime");
}

int app_report_build_period(struct app *a, const struct report_period *p, int64_t now, json_t **out)
{
    /* Figures that depend on "so far" (downtime, overdue) stop at now for a running period. */
    int64_t end = now < p->to ? now : p->to;
    char gen[CLOCK_ISO_LEN];
    clock_format_iso(now, gen, sizeof gen);
    json_t *rep =
        json_pack("{ss ss so ss sb}", "kind", report_kinds[p->kind], "label", p->label, "period",
                  period_json(p), "generated_at", gen, "complete", now >= p->to);
    struct store_conn *c = store_read_begin(a->st);
    json_t *site = NULL;
    if (store_site_brief(c, &site) == 0)
        json_object_set(rep, "site", json_object_get(site, "name"));
    json_decref(site);
    int rc = section_facility(c, p, end, rep);
    if (!rc)
        rc = section_alarms(c, p, rep);
    if (!rc)
        rc = section_incidents(c, p, rep);
    if (!rc)
        rc = section_response(c, p, rep);
    if (!rc)
        rc = section_complaints(c, p, end, rep);
    if (!rc)
        rc = section_duty(c, p, rep);
    if (!rc)
        rc = section_runstatus(c, a->conf, p, now, rep);
    if (!rc)
        rc = section_tickets(c, p, end, rep);
    store_read_end(a->st, c);
    if (!rc)
        rc = section_checks(a, p, rep);
    if (rc) {
        json_decref(rep);
        return rc;
    }
    *out = rep;
    return 0;
}

int app_report_build(struct app *a, const char *kind, const char *date, json_t **out,
                     struct app_err *err)
{
    enum report_kind k;
    struct report_period p;
    int y, m, d;
    int64_t now = clock_now_ms();
    if (report_kind_parse(kind, &k))
        return app_invalid(err, "kind", "must be daily, weekly or monthly");
    if (date && report_date_parse(date, &y, &m, &d))
        return app_invalid(err, "date", "must be a calendar date YYYY-MM-DD");
    int rc = date ? report_period_of(k, y, m, d, &p) : report_period_at(k, now, &p);
    if (rc)
        return app_invalid(err, "date", "cannot be represented in the site's time zone");
    if (p.from > now)
        return app_invalid(err, "date", "the %s period of %s has not begun", kind, date);
    return app_report_build_period(a, &p, now, out);
}

/* ---- scheduled reports ---- */

struct store_job_arg {
    struct store_report_row row;
    int64_t id;
};

static int insert_job(struct store_conn *c, void *arg)
{
    struct store_job_arg *j = arg;
    int rc = store_report_exists(c, j->row.kind, j->row.period_start);
    if (rc)
        return rc < 0 ? rc : -EEXIST;
    return store_report_insert(c, &j->row, &j->id);
}

/* Builds and stores the report of p unless it is stored already. Returns 1 when stored, 0 when
 * it was there, or a negative errno. */
static int store_one(struct app *a, const struct report_period *p, int64_t now)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_report_exists(c, report_kinds[p->kind], p->from);
    store_read_end(a->st, c);
    if (rc)
        return rc < 0 ? rc : 0;
    json_t *rep = NULL;
    rc = app_report_build_period(a, p, now, &rep);
    if (rc)
        return rc;
    char *text = json_dumps(rep, JSON_COMPACT);
    json_decref(rep);
    if (!text)
        return -ENOMEM;
    struct store_job_arg j = {.row = {.kind = report_kinds[p->kind],
                                      .label = p->label,
                                      .generated_by = "system",
                                      .data = text,
                                      .period_start = p->from,
                                      .period_end = p->to,
                                      .generated_at = now}};
    rc = store_write(a->st, insert_job, &j);
    free(text);
    if (rc == -EEXIST)
        return 0;
    return rc ? rc : 1;
}

/* Minutes after midnight of conf report.schedule_at ("HH:MM", checked by conf). */
static int64_t schedule_offset_ms(const struct conf *cf)
{
    const char *s = cf->report_schedule_at;
    if (strlen(s) != 5)
        return 0;
    int64_t h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return (h * 60 + m) * 60000;
}

static int kind_scheduled(const struct conf *cf, const char *kind)
{
    size_t n = strlen(kind);
    for (const char *p = cf->report_schedule; *p;) {
        size_t l = strcspn(p, ",");
        if (l == n && strncmp(p, kind, n) == 0)
            return 1;
        p += l + (p[l] == ',');
    }
    return 0;
}

/* The missing reports of one kind, newest first; at most 62 periods are looked at. */
static int schedule_kind(struct app *a, enum report_kind k, int64_t now, int64_t site_created)
{
    struct report_period cur, p;
    int64_t offset = schedule_offset_ms(a->conf);
    int64_t window = now - (int64_t)a->conf->report_catch_up_days * 86400000LL;
    int stored = 0;
    int rc = report_period_at(k, now - offset, &cur);
    if (!rc)
        rc = report_period_prev(&cur, &p);
    for (int i = 0; !rc && i < 62; i++) {
        if (p.to <= site_created || (i > 0 && p.to <= window))
            break;
        rc = store_one(a, &p, now);
        if (rc > 0)
            stored++;
        if (rc >= 0) {
            struct report_period q = p;
            rc = report_period_prev(&q, &p);
        }
    }
    return rc < 0 ? rc : stored;
}

int app_report_schedule_run(struct app *a, int64_t now)
{
    int64_t created = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_report_site_created(c, &created);
    store_read_end(a->st, c);
    int total = 0;
    for (int k = 0; !rc && report_kinds[k]; k++) {
        if (!kind_scheduled(a->conf, report_kinds[k]))
            continue;
        int n = schedule_kind(a, (enum report_kind)k, now, created);
        if (n < 0)
            rc = n;
        else
            total += n;
    }
    return rc ? rc : total;
}

/* ---- the archive ---- */

int app_report_archive_list(struct app *a, const char *kind, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_report_list(c, kind, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

int app_report_archive_get(struct app *a, int64_t id, json_t **out)
{
    json_t *row = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_report_get(c, id, &row);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    json_t *rep = json_loads(jstr(row, "data"), 0, NULL);
    if (!json_is_object(rep)) {
        json_decref(rep);
        json_decref(row);
        return -EIO;
    }
    json_object_del(row, "data");
    json_object_set_new(rep, "archive", row);
    *out = rep;
    return 0;
}
