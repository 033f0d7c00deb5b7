/* dutylog.c - the duty log. */
#include "app/dutylog.h"

#include "app/audit.h"
#include "app/site.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_desk.h"
#include "store/store_duty.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_MS 3600000LL

const char *const duty_categories[] = {"routine",   "abnormal", "equipment", "alarm", "visitor",
                                       "complaint", "handover", "other",     NULL};

/* The period of pattern p containing at: the day's periods start at first_start local time. */
static void pattern_period(const struct store_pattern *p, int64_t at, int64_t *start, int64_t *end)
{
    int64_t len = (int64_t)p->hours * HOUR_MS, day = clock_local_day_start(at);
    int64_t base = day + p->first_start * 60000LL;
    if (base > at) /* before the first shift of the local day: the previous day's last one */
        base = clock_local_day_start(day - 1) + p->first_start * 60000LL;
    *start = base + (at - base) / len * len;
    *end = *start + len;
}

int dutylog_shift(struct store_conn *c, const char *author, int64_t at, int64_t *start,
                  int64_t *end)
{
    *start = *end = 0;
    if (author && strcmp(author, "system") != 0) {
        int rc = store_duty_author_slot(c, author, at, start, end);
        if (rc != -ENOENT)
            return rc;
    }
    struct store_pattern p;
    int rc = store_pattern_default(c, &p);
    if (rc == -ENOENT)
        return 0;
    if (!rc)
        pattern_period(&p, at, start, end);
    return rc;
}

int dutylog_insert(struct store_conn *c, struct store_duty_entry *e, int64_t *id)
{
    int rc = dutylog_shift(c, e->author, e->at, &e->shift_start, &e->shift_end);
    return rc ? rc : store_duty_insert(c, e, id);
}

int dutylog_auto(struct store_conn *c, const char *author, const char *category,
                 int64_t incident_id, const char *fmt, ...)
{
    char text[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    struct store_duty_entry e = {.at = clock_now_ms(),
                                 .author = author,
                                 .category = category,
                                 .text = text,
                                 .incident_id = incident_id,
                                 .automatic = 1};
    int64_t id;
    int rc = dutylog_insert(c, &e, &id);
    json_t *row = NULL;
    if (!rc && store_duty_get(c, id, &row) == 0)
        store_conn_emit(c, "duty", row);
    return rc;
}

struct add_job {
    const struct actor *who;
    struct store_duty_entry e;
    int64_t id;
};

static int add_job(struct store_conn *c, void *arg)
{
    struct add_job *j = arg;
    int rc = dutylog_insert(c, &j->e, &j->id);
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "duty_log:%lld", (long long)j->id);
    rc = audit_append(c, j->who, j->e.amends_id ? "duty.amend" : "duty.add", obj, "%s entry%s",
                      j->e.category, j->e.amends_id ? " amending an earlier one" : "");
    json_t *row = NULL;
    if (!rc && store_duty_get(c, j->id, &row) == 0)
        store_conn_emit(c, "duty", row);
    return rc;
}

int app_duty_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                 struct app_err *err)
{
    struct add_job j = {.who = who};
    j.e.at = clock_now_ms();
    j.e.author = who->name;
    j.e.category = json_string_value(json_object_get(in, "category"));
    j.e.text = json_string_value(json_object_get(in, "text"));
    j.e.incident_id = json_integer_value(json_object_get(in, "incident_id"));
    j.e.device_id = json_integer_value(json_object_get(in, "device_id"));
    j.e.amends_id = json_integer_value(json_object_get(in, "amends_id"));
    if (!str_in(j.e.category, duty_categories))
        return app_invalid(err, "category",
                           "must be one of routine, abnormal, equipment, alarm, "
                           "visitor, complaint, handover, other");
    if (!j.e.text || !*j.e.text || strlen(j.e.text) > 4000)
        return app_invalid(err, "text", "must be 1 to 4000 bytes");
    int rc = store_write(a->st, add_job, &j);
    if (rc == -EINVAL)
        return app_invalid(err,
                           j.e.amends_id     ? "amends_id"
                           : j.e.incident_id ? "incident_id"
                                             : "device_id",
                           "refers to nothing");
    if (rc)
        return rc;
    struct store_conn *c = store_read_begin(a->st);
    rc = store_duty_get(c, j.id, out);
    store_read_end(a->st, c);
    return rc;
}

int app_duty_get(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_duty_get(c, id, out);
    store_read_end(a->st, c);
    return rc;
}

int app_duty_list(struct app *a, const struct duty_filter *f, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_duty_list(c, f->from, f->to, f->category, f->shift_start, pg->limit, pg->offset,
                             &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

/* One CSV field: quoted, with quotes doubled; formula-leading characters defused (a CSV
 * opened in a spreadsheet must not run what someone typed). */
static void csv_field(struct buf *b, const char *s, int last)
{
    buf_append_str(b, "\"");
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
        buf_append_str(b, "'");
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            buf_append_str(b, "\"\"");
        else
            buf_append(b, p, 1);
    }
    buf_append_str(b, last ? "\"\r\n" : "\",");
}

/* The local form of the ISO time r[key] into out ("" when absent). */
static void local_of(json_t *r, const char *key, char *out, size_t size)
{
    int64_t at;
    const char *iso = json_string_value(json_object_get(r, key));
    out[0] = 0;
    if (iso && clock_parse_iso(iso, &at) == 0)
        clock_format_local(at, out, size);
}

int app_duty_csv(struct app *a, const struct duty_filter *f, char **csv)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc =
        store_duty_list(c, f->from, f->to, f->category, f->shift_start, 1000000, 0, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    buf_append_str(&b, "\xEF\xBB\xBF"); /* BOM: spreadsheets then read UTF-8 Chinese right */
    buf_append_str(&b, "id,time_local,time_utc,author,category,text,incident_id,device,"
                       "amends_id,automatic,shift_start_local,shift_end_local\r\n");
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        char local[32], ss[32], se[32], num[3][24];
        const char *iso = json_string_value(json_object_get(r, "at"));
        local_of(r, "at", local, sizeof local);
        local_of(r, "shift_start", ss, sizeof ss);
        local_of(r, "shift_end", se, sizeof se);
        snprintf(num[0], sizeof num[0], "%lld",
                 (long long)json_integer_value(json_object_get(r, "id")));
        snprintf(num[1], sizeof num[1], "%lld",
                 (long long)json_integer_value(json_object_get(r, "incident_id")));
        snprintf(num[2], sizeof num[2], "%lld",
                 (long long)json_integer_value(json_object_get(r, "amends_id")));
        csv_field(&b, num[0], 0);
        csv_field(&b, local, 0);
        csv_field(&b, iso, 0);
        csv_field(&b, json_string_value(json_object_get(r, "author")), 0);
        csv_field(&b, json_string_value(json_object_get(r, "category")), 0);
        csv_field(&b, json_string_value(json_object_get(r, "text")), 0);
        csv_field(&b, strcmp(num[1], "0") ? num[1] : "", 0);
        csv_field(&b, json_string_value(json_object_get(r, "device_name")), 0);
        csv_field(&b, strcmp(num[2], "0") ? num[2] : "", 0);
        csv_field(&b, json_is_true(json_object_get(r, "auto")) ? "yes" : "no", 0);
        csv_field(&b, ss, 0);
        csv_field(&b, se, 1);
    }
    json_decref(rows);
    *csv = buf_take(&b);
    return 0;
}

/* Adds the shift [s, e) to items unless one with that start and end is there. */
static json_t *shift_item(json_t *items, int64_t s, int64_t e)
{
    size_t i;
    json_t *it;
    json_array_foreach (items, i, it) {
        if (json_integer_value(json_object_get(it, "start_ms")) == s &&
            json_integer_value(json_object_get(it, "end_ms")) == e)
            return it;
    }
    it = json_pack("{sI sI sI}", "start_ms", (json_int_t)s, "end_ms", (json_int_t)e, "entries",
                   (json_int_t)0);
    json_array_append_new(items, it);
    return it;
}

static int by_start(const void *x, const void *y)
{
    json_t *const *a = x, *const *b = y;
    int64_t p = json_integer_value(json_object_get(*a, "start_ms"));
    int64_t q = json_integer_value(json_object_get(*b, "start_ms"));
    return p < q ? -1 : p > q;
}

/* Sorts items by start and gives each its ISO start and end. */
static json_t *shift_items_finish(json_t *items)
{
    size_t n = json_array_size(items);
    json_t **v = xmalloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(items, i));
    qsort(v, n, sizeof *v, by_start);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        char s[CLOCK_ISO_LEN], e[CLOCK_ISO_LEN];
        clock_format_iso(json_integer_value(json_object_get(v[i], "start_ms")), s, sizeof s);
        clock_format_iso(json_integer_value(json_object_get(v[i], "end_ms")), e, sizeof e);
        json_object_set_new(v[i], "start", json_string(s));
        json_object_set_new(v[i], "end", json_string(e));
        json_array_append_new(out, v[i]);
    }
    free(v);
    json_decref(items);
    return out;
}

int app_duty_shifts(struct app *a, int64_t from, int64_t to, json_t **out)
{
    if (to <= from || to - from > 62 * 24 * HOUR_MS)
        return -EDOM;
    json_t *rows = NULL, *items = json_array();
    struct store_pattern p;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_pattern_default(c, &p);
    for (int64_t at = from, s, e; !rc && at < to; at = e) {
        pattern_period(&p, at, &s, &e);
        shift_item(items, s, e);
    }
    if (rc == -ENOENT)
        rc = 0;
    if (!rc)
        rc = store_duty_shifts(c, from, to, &rows);
    store_read_end(a->st, c);
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        json_t *it = shift_item(items, json_integer_value(json_object_get(r, "start_ms")),
                                json_integer_value(json_object_get(r, "end_ms")));
        json_object_set(it, "entries", json_object_get(r, "entries"));
    }
    json_decref(rows);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{so}", "items", shift_items_finish(items));
    return 0;
}
