/* checks.c - filling check sheets, the tasks due, the calendar. */
#include "app/checks.h"

#include "app/audit.h"
#include "app/checkperiod.h"
#include "app/dutylog.h"
#include "app/site.h"
#include "app/ticket.h"
#include "core/clock.h"
#include "store/store_check.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS (86400 * 1000LL)

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ---- filling ---- */

struct fill_job {
    const struct actor *who;
    int64_t template_id, at, id;
    json_t *answers; /* borrowed: the request's */
    const char *note;
    json_t *tpl;  /* the template row (store) */
    json_t *body; /* its parsed body */
    json_t *out;  /* normalised answers */
    int failed;
    struct app_err *err;
};

static const char *const answer_keys[] = {"result", "value",     "text", "note",
                                          "photo",  "device_id", NULL};

static int answer_shape(json_t *ans, const char *f, struct app_err *err)
{
    if (!json_is_object(ans))
        return app_invalid(err, f, "must be an object");
    const char *key;
    json_t *v;
    json_object_foreach (ans, key, v)
        if (!str_in(key, answer_keys))
            return app_invalid(err, f, "unknown field %s", key);
    const char *note = jstr(ans, "note"), *photo = jstr(ans, "photo");
    json_t *n = json_object_get(ans, "note"), *p = json_object_get(ans, "photo");
    json_t *dev = json_object_get(ans, "device_id");
    if ((n && (!note || strlen(note) > 500)) || (p && (!photo || strlen(photo) > 300)))
        return app_invalid(err, f, "note (≤ 500 bytes) and photo (≤ 300 bytes) are strings");
    if (dev && (!json_is_integer(dev) || json_integer_value(dev) <= 0))
        return app_invalid(err, f, "device_id must be a positive id");
    return 0;
}

/* Checks one answer against its item; OUT *res "pass"/"fail"/NULL (a note). */
static int answer_ok(json_t *item, json_t *ans, const char *f, const char **res,
                     struct app_err *err)
{
    const char *type = jstr(item, "type");
    json_t *val = json_object_get(ans, "value");
    const char *result = jstr(ans, "result"), *text = jstr(ans, "text");
    *res = NULL;
    if (strcmp(type, "note") == 0) {
        if (!text || strlen(text) > 2000 || val || result)
            return app_invalid(err, f, "a note item takes \"text\" (≤ 2000 bytes)");
        return 0;
    }
    if (strcmp(type, "pass_fail") == 0) {
        if (!result || (strcmp(result, "pass") && strcmp(result, "fail")) || val || text)
            return app_invalid(err, f, "answer \"result\": \"pass\" or \"fail\"");
        if (strcmp(result, "fail") == 0 && !jstr(ans, "note"))
            return app_invalid(err, f, "a failed item needs a note saying what is wrong");
        *res = result;
        return 0;
    }
    if (!json_is_number(val) || result || text || !isfinite(json_number_value(val)))
        return app_invalid(err, f, "a reading takes a numeric \"value\" in %s", jstr(item, "unit"));
    double x = json_number_value(val);
    json_t *mn = json_object_get(item, "min"), *mx = json_object_get(item, "max");
    int out = (mn && x < json_number_value(mn)) || (mx && x > json_number_value(mx));
    *res = out ? "fail" : "pass";
    return 0;
}

/* The device a failed item's ticket is about: the answer's, else the only one of the kind. */
static int item_device(struct store_conn *c, json_t *item, json_t *ans, const char *f, int64_t *dev,
                       struct app_err *err)
{
    const char *kind = jstr(item, "device_kind");
    *dev = json_integer_value(json_object_get(ans, "device_id"));
    if (*dev) {
        char k[32];
        if (store_check_device_kind(c, *dev, k, sizeof k) != 0)
            return app_invalid(err, f, "device_id: no such device");
        if (kind && strcmp(kind, k) != 0)
            return app_invalid(err, f, "device_id: this item is about a %s", kind);
        return 0;
    }
    return kind ? store_check_device_of_kind(c, kind, dev) : 0;
}

/* Cuts a string that snprintf may have truncated back to a whole UTF-8 character. */
static void utf8_trim(char *s)
{
    size_t n = strlen(s), k = n;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0 && ((unsigned char)s[k - 1] & 0x80)) {
        unsigned char lead = (unsigned char)s[k - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (n - (k - 1) < want)
            s[k - 1] = '\0';
    }
}

static int open_ticket(struct store_conn *c, struct fill_job *j, json_t *item, json_t *ans,
                       int64_t dev, int64_t now)
{
    char title[200], title_en[200], detail[700];
    json_t *t = json_object_get(item, "text"), *val = json_object_get(ans, "value");
    snprintf(title, sizeof title, "%s：%s", jstr(j->tpl, "name_zh"), jstr(t, "zh-CN"));
    snprintf(title_en, sizeof title_en, "%s: %s", jstr(j->tpl, "name_en"), jstr(t, "en"));
    if (val)
        snprintf(detail, sizeof detail, "%g %s (%s)%s%s", json_number_value(val),
                 jstr(item, "unit"), jstr(t, "en"), jstr(ans, "note") ? "; " : "",
                 jstr(ans, "note") ? jstr(ans, "note") : "");
    else
        snprintf(detail, sizeof detail, "%s: %s", jstr(t, "en"), jstr(ans, "note"));
    utf8_trim(title);
    utf8_trim(title_en);
    utf8_trim(detail);
    struct ticket_spec spec = {.device_id = dev,
                               .kind = "check_failure",
                               .title = title,
                               .title_en = title_en,
                               .detail = detail,
                               .check_record_id = j->id};
    int64_t tid = 0;
    int created = 0;
    int rc = app_ticket_open_in(c, j->who->name, &spec, now, &tid, &created);
    if (!rc && !created) {
        char note[96];
        snprintf(note, sizeof note, "failed again in check record #%lld", (long long)j->id);
        rc = app_ticket_note_in(c, j->who->name, tid, note, now);
    }
    return rc ? rc : store_check_ticket_add(c, j->id, jstr(item, "id"), tid);
}

/* Validates every answer into j->out (and the devices of failed items into devs). */
static int check_answers(struct store_conn *c, struct fill_job *j, json_t *devs)
{
    json_t *items = json_object_get(j->body, "items"), *item;
    const char *key;
    json_t *v;
    json_object_foreach (j->answers, key, v) {
        int known = 0;
        size_t k;
        json_array_foreach (items, k, item)
            known |= strcmp(jstr(item, "id"), key) == 0;
        if (!known)
            return app_invalid(j->err, key, "no such item on this sheet");
    }
    size_t i;
    json_array_foreach (items, i, item) {
        const char *id = jstr(item, "id"), *res = NULL;
        json_t *ans = json_object_get(j->answers, id), *req = json_object_get(item, "required");
        int required = req ? json_is_true(req) : strcmp(jstr(item, "type"), "note") != 0;
        char f[80];
        snprintf(f, sizeof f, "answers.%s", id);
        if (!ans && required)
            return app_invalid(j->err, f, "is not answered");
        if (!ans)
            continue;
        int64_t dev = 0;
        int rc = answer_shape(ans, f, j->err);
        if (!rc)
            rc = answer_ok(item, ans, f, &res, j->err);
        if (!rc)
            rc = item_device(c, item, ans, f, &dev, j->err);
        if (rc)
            return rc;
        json_t *o = json_deep_copy(ans);
        json_object_set_new(o, "item", json_string(id));
        if (res)
            json_object_set_new(o, "result", json_string(res));
        json_array_append_new(j->out, o);
        if (res && strcmp(res, "fail") == 0) {
            j->failed++;
            json_object_set_new(devs, id, json_integer(dev));
        }
    }
    return 0;
}

static int store_record(struct store_conn *c, struct fill_job *j, int64_t now)
{
    int64_t start, end;
    if (check_period(jstr(j->tpl, "recurrence"), j->at, &start, &end) != 0)
        return app_invalid(j->err, "period_at", "cannot place this time in a period");
    char *answers = json_dumps(j->out, JSON_COMPACT);
    struct store_check_record r = {.template_id = j->template_id,
                                   .period_start = start,
                                   .period_end = end,
                                   .filled_at = now,
                                   .failed_items = j->failed,
                                   .code = jstr(j->tpl, "code"),
                                   .filled_by = j->who->name,
                                   .result = j->failed ? "fail" : "pass",
                                   .note = j->note,
                                   .answers = answers};
    int rc = store_check_record_insert(c, &r, &j->id);
    free(answers);
    if (rc == -EEXIST)
        app_invalid(j->err, "period_at", "this sheet is already filled for that period");
    return rc;
}

static int fill_job(struct store_conn *c, void *arg)
{
    struct fill_job *j = arg;
    int64_t now = clock_now_ms();
    int rc = store_check_template_get(c, j->template_id, &j->tpl);
    if (rc == -ENOENT)
        return app_invalid(j->err, "template_id", "no such template");
    if (!rc && !json_is_true(json_object_get(j->tpl, "latest")))
        return app_invalid(j->err, "template_id",
                           "the template has a newer version: reload the sheet");
    if (!rc && j->at < json_integer_value(json_object_get(j->tpl, "since")) - 400 * DAY_MS)
        return app_invalid(j->err, "period_at", "is too far before the template existed");
    j->body = rc ? NULL : json_loads(jstr(j->tpl, "body"), 0, NULL);
    json_t *devs = json_object();
    if (!rc)
        rc = check_answers(c, j, devs);
    if (!rc)
        rc = store_record(c, j, now);
    json_t *items = json_object_get(j->body, "items"), *item;
    size_t i;
    json_array_foreach (items, i, item) {
        json_t *dev = json_object_get(devs, jstr(item, "id"));
        if (!rc && dev)
            rc = open_ticket(c, j, item, json_object_get(j->answers, jstr(item, "id")),
                             json_integer_value(dev), now);
    }
    json_decref(devs);
    char obj[48];
    snprintf(obj, sizeof obj, "check_record:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "check.fill", obj, "%s signed, %d failed item(s)",
                          jstr(j->tpl, "code"), j->failed);
    if (!rc)
        rc = dutylog_auto(c, j->who->name, "equipment", 0, "%s filled and signed: %s",
                          jstr(j->tpl, "name_zh"),
                          j->failed ? "items failed, fault tickets opened" : "all items passed");
    if (!rc)
        store_conn_emit(c, "check",
                        json_pack("{sI ss ss}", "id", (json_int_t)j->id, "code",
                                  jstr(j->tpl, "code"), "result", j->failed ? "fail" : "pass"));
    return rc;
}

int app_check_fill(struct app *a, const struct actor *who, json_t *in, json_t **out,
                   struct app_err *err)
{
    struct fill_job j = {.who = who, .err = err, .at = clock_now_ms(), .out = json_array()};
    j.template_id = json_integer_value(json_object_get(in, "template_id"));
    j.answers = json_object_get(in, "answers");
    j.note = jstr(in, "note");
    const char *pa = jstr(in, "period_at");
    int rc = 0;
    if (pa && (clock_parse_iso(pa, &j.at) != 0 || j.at > clock_now_ms()))
        rc = app_invalid(err, "period_at", "must be an ISO-8601 UTC time, not in the future");
    else if (!json_is_object(j.answers))
        rc = app_invalid(err, "answers", "must be an object of the items' answers");
    else if (j.note && strlen(j.note) > 2000)
        rc = app_invalid(err, "note", "must be at most 2000 bytes");
    if (!rc)
        rc = store_write(a->st, fill_job, &j);
    json_decref(j.tpl);
    json_decref(j.body);
    json_decref(j.out);
    return rc ? rc : app_check_record_get(a, j.id, out);
}

/* ---- reading records ---- */

static void parse_field(json_t *row, const char *key)
{
    json_t *v = json_loads(jstr(row, key), 0, NULL);
    json_object_set_new(row, key, v ? v : json_null());
}

int app_check_record_get(struct app *a, int64_t id, json_t **out)
{
    json_t *row = NULL, *tickets = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_check_record_get(c, id, &row);
    if (!rc)
        rc = store_check_record_tickets(c, id, &tickets);
    store_read_end(a->st, c);
    if (rc) {
        json_decref(row);
        return rc;
    }
    parse_field(row, "answers");
    parse_field(row, "template");
    json_object_set_new(row, "tickets", tickets);
    *out = row;
    return 0;
}

int app_check_record_list(struct app *a, const char *code, int64_t from, int64_t to,
                          const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_check_record_list(c, code, from, to, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

/* ---- tasks and the calendar ---- */

static int due_days(json_t *tpl)
{
    json_t *body = json_loads(jstr(tpl, "body"), 0, NULL);
    int d = (int)json_integer_value(json_object_get(body, "due_days"));
    json_decref(body);
    return d;
}

/* One period of a template as a task row with status at now; record (or NULL) fills it. */
static json_t *task(json_t *tpl, int64_t start, int64_t end, int dd, json_t *record, int64_t now)
{
    int64_t due = check_period_due(start, end, dd);
    const char *status = record ? (strcmp(jstr(record, "result"), "fail") == 0 ? "failed" : "done")
                         : start > now ? "upcoming"
                         : now >= due  ? "overdue"
                                       : "due";
    char s[CLOCK_ISO_LEN], e[CLOCK_ISO_LEN], d[CLOCK_ISO_LEN];
    clock_format_iso(start, s, sizeof s);
    clock_format_iso(end, e, sizeof e);
    clock_format_iso(due, d, sizeof d);
    json_t *t =
        json_pack("{sO sO sO sO sO sO ss ss ss ss}", "template_id", json_object_get(tpl, "id"),
                  "code", json_object_get(tpl, "code"), "name_zh", json_object_get(tpl, "name_zh"),
                  "name_en", json_object_get(tpl, "name_en"), "clause",
                  json_object_get(tpl, "clause"), "recurrence", json_object_get(tpl, "recurrence"),
                  "period_start", s, "period_end", e, "due_at", d, "status", status);
    if (record) {
        json_object_set(t, "record_id", json_object_get(record, "id"));
        json_object_set(t, "filled_by", json_object_get(record, "filled_by"));
    }
    return t;
}

static json_t *record_at(json_t *records, int64_t start)
{
    size_t i;
    json_t *r;
    json_array_foreach (records, i, r)
        if (json_integer_value(json_object_get(r, "period_start")) == start)
            return r;
    return NULL;
}

/* The periods of tpl overlapping [from, to), appended to rows (only_open: due/overdue only). */
static int periods(struct store_conn *c, json_t *tpl, int64_t from, int64_t to, int64_t now,
                   int only_open, json_t *rows)
{
    const char *rec = jstr(tpl, "recurrence");
    int64_t since = json_integer_value(json_object_get(tpl, "since"));
    int dd = due_days(tpl);
    int64_t s, e;
    int rc = check_period(rec, from, &s, &e);
    json_t *records = NULL;
    if (!rc)
        rc = store_check_record_periods(c, jstr(tpl, "code"), s, to, &records);
    for (int guard = 0; !rc && s < to && guard < 400; guard++) {
        json_t *r = record_at(records, s);
        json_t *t = r || e > since ? task(tpl, s, e, dd, r, now) : NULL;
        const char *st = t ? jstr(t, "status") : "";
        if (t && (!only_open || strcmp(st, "due") == 0 || strcmp(st, "overdue") == 0))
            json_array_append(rows, t);
        json_decref(t);
        rc = check_period(rec, e, &s, &e);
    }
    json_decref(records);
    return rc;
}

static int tasks(struct store_conn *c, int64_t from, int64_t to, int64_t now, int only_open,
                 json_t **out)
{
    json_t *tpls = NULL, *tpl;
    int rc = store_check_template_current(c, &tpls);
    json_t *rows = json_array();
    size_t i;
    json_array_foreach (tpls, i, tpl) {
        int64_t f = from, ps, pe, s, e;
        /* Open tasks: the current period and the one before it. */
        if (only_open && !rc && (rc = check_period(jstr(tpl, "recurrence"), now, &s, &e)) == 0 &&
            (rc = check_period_prev(jstr(tpl, "recurrence"), s, &ps, &pe)) == 0)
            f = ps;
        if (!rc)
            rc = periods(c, tpl, f, only_open ? now + 1 : to, now, only_open, rows);
    }
    json_decref(tpls);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    *out = rows;
    return 0;
}

int app_check_due(struct app *a, json_t **out)
{
    json_t *rows = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = tasks(c, 0, 0, clock_now_ms(), 1, &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = json_pack("{so}", "items", rows);
    return 0;
}

int app_check_calendar(struct app *a, int64_t from, int64_t to, json_t **out, struct app_err *err)
{
    if (to <= from || to - from > 400 * DAY_MS)
        return app_invalid(err, "to", "the period must be 1 to 400 days");
    json_t *rows = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = tasks(c, from, to, clock_now_ms(), 0, &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = json_pack("{so}", "items", rows);
    return 0;
}

int app_check_handover_facts(struct store_conn *c, int64_t now, json_t *summary)
{
    json_t *rows = NULL, *r;
    int rc = tasks(c, 0, 0, now, 1, &rows);
    if (rc)
        return rc;
    int64_t overdue = 0;
    size_t i;
    json_array_foreach (rows, i, r)
        overdue += strcmp(jstr(r, "status"), "overdue") == 0;
    json_t *counts = json_object_get(summary, "counts");
    if (counts) {
        json_object_set_new(counts, "checks_due", json_integer((json_int_t)json_array_size(rows)));
        json_object_set_new(counts, "checks_overdue", json_integer(overdue));
    }
    json_object_set_new(summary, "checks_due", rows);
    return 0;
}

/* ---- demo ---- */

/* All-pass answers for a template body (readings at their lower limit, or upper). */
static json_t *demo_answers(json_t *body)
{
    json_t *out = json_array(), *it;
    size_t i;
    json_array_foreach (json_object_get(body, "items"), i, it) {
        const char *type = jstr(it, "type");
        json_t *lim =
            json_object_get(it, "min") ? json_object_get(it, "min") : json_object_get(it, "max");
        if (strcmp(type, "pass_fail") == 0)
            json_array_append_new(out,
                                  json_pack("{ss ss}", "item", jstr(it, "id"), "result", "pass"));
        else if (strcmp(type, "reading") == 0)
            json_array_append_new(out, json_pack("{ss sf ss}", "item", jstr(it, "id"), "value",
                                                 json_number_value(lim), "result", "pass"));
    }
    return out;
}

int app_check_demo_in(struct store_conn *c, const char *signer, int64_t now)
{
    static const char *const codes[] = {"fire_daily",   "center_operation",       "fire_weekly",
                                        "cctv_monthly", "monthly_operation_test", NULL};
    json_t *tpls = NULL, *tpl;
    int rc = store_check_template_current(c, &tpls);
    size_t i;
    json_array_foreach (tpls, i, tpl) {
        if (rc || !str_in(jstr(tpl, "code"), codes))
            continue;
        int64_t s, e, ps, pe;
        rc = check_period(jstr(tpl, "recurrence"), now, &s, &e);
        if (!rc)
            rc = check_period_prev(jstr(tpl, "recurrence"), s, &ps, &pe);
        json_t *body = rc ? NULL : json_loads(jstr(tpl, "body"), 0, NULL);
        json_t *ans = body ? demo_answers(body) : NULL;
        char *text = ans ? json_dumps(ans, JSON_COMPACT) : NULL;
        struct store_check_record r = {.template_id =
                                           json_integer_value(json_object_get(tpl, "id")),
                                       .period_start = ps,
                                       .period_end = pe,
                                       .filled_at = ps + (pe - ps) / 2,
                                       .code = jstr(tpl, "code"),
                                       .filled_by = signer,
                                       .result = "pass",
                                       .answers = text};
        int64_t id;
        if (!rc && text)
            rc = store_check_record_insert(c, &r, &id);
        free(text);
        json_decref(ans);
        json_decref(body);
    }
    json_decref(tpls);
    return rc;
}
