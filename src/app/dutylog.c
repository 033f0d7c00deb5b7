/* dutylog.c - the duty log. */
#include "app/dutylog.h"

#include "app/audit.h"
#include "app/site.h"
#include "core/buf.h"
#include "core/clock.h"
#include "store/store_duty.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const duty_categories[] = {"routine",   "abnormal", "equipment", "alarm", "visitor",
                                       "complaint", "handover", "other",     NULL};

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
    int rc = store_duty_insert(c, &e, &id);
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
    int rc = store_duty_insert(c, &j->e, &j->id);
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

int app_duty_list(struct app *a, int64_t from, int64_t to, const char *category,
                  const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_duty_list(c, from, to, category, pg->limit, pg->offset, &rows, &total);
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

int app_duty_csv(struct app *a, int64_t from, int64_t to, const char *category, char **csv)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_duty_list(c, from, to, category, 1000000, 0, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    buf_append_str(&b, "\xEF\xBB\xBF"); /* BOM: spreadsheets then read UTF-8 Chinese right */
    buf_append_str(&b, "id,time_local,time_utc,author,category,text,incident_id,device,"
                       "amends_id,automatic\r\n");
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        char local[32] = "", num[3][24];
        int64_t at;
        const char *iso = json_string_value(json_object_get(r, "at"));
        if (iso && clock_parse_iso(iso, &at) == 0)
            clock_format_local(at, local, sizeof local);
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
        csv_field(&b, json_is_true(json_object_get(r, "auto")) ? "yes" : "no", 1);
    }
    json_decref(rows);
    *csv = buf_take(&b);
    return 0;
}
