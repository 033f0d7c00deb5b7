/* runstatus.c - the periodic running-status entry. */
#include "app/runstatus.h"

#include "app/audit.h"
#include "app/dutylog.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_desk.h"
#include "store/store_duty.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000LL

/* The period [*ps, *pe) containing t. */
static void period_of(const struct conf *cf, int64_t t, int64_t *ps, int64_t *pe)
{
    int64_t step = cf->duty_status_interval * 60000LL;
    int64_t day = clock_local_day_start(t);
    int64_t next = clock_local_day_start(day + DAY_MS + DAY_MS / 2);
    *ps = day + (t - day) / step * step;
    *pe = *ps + step < next ? *ps + step : next;
}

static json_t *iso_json(int64_t ms)
{
    char s[CLOCK_ISO_LEN];
    clock_format_iso(ms, s, sizeof s);
    return json_string(s);
}

int runstatus_missed(struct store_conn *c, const struct conf *cf, int64_t from, int64_t to,
                     int64_t now, json_t **missed)
{
    if (to <= from || to - from > 366 * DAY_MS)
        return -EDOM;
    int64_t end = to < now ? to : now;
    json_t *rows = NULL;
    int64_t first_s, first_e;
    period_of(cf, from, &first_s, &first_e);
    int rc = store_runstatus_list(c, first_s, end, &rows);
    if (rc)
        return rc;
    *missed = json_array();
    size_t i = 0, n = json_array_size(rows);
    for (int64_t ps = first_s, pe = first_e; pe <= end; period_of(cf, pe, &ps, &pe)) {
        int found = 0;
        for (; i < n; i++) {
            int64_t at = json_integer_value(json_object_get(json_array_get(rows, i), "at_ms"));
            if (at >= pe)
                break;
            if (at >= ps)
                found = 1;
        }
        if (!found && pe > from)
            json_array_append_new(*missed,
                                  json_pack("{so so}", "start", iso_json(ps), "end", iso_json(pe)));
    }
    json_decref(rows);
    return 0;
}

int app_runstatus_missed(struct app *a, int64_t from, int64_t to, json_t **missed)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = runstatus_missed(c, a->conf, from, to, clock_now_ms(), missed);
    store_read_end(a->st, c);
    return rc;
}

struct rs_job {
    const struct actor *who;
    struct store_runstatus r;
    int64_t id;
};

static int rs_job(struct store_conn *c, void *arg)
{
    struct rs_job *j = arg;
    char text[2400];
    snprintf(text, sizeof text,
             "running status: fire alarm controller %s; linkage %s; power %s; recording %s%s%s%s%s",
             j->r.fire_controller, j->r.linkage_auto ? "automatic" : "NOT automatic", j->r.power,
             j->r.recording ? "on" : "OFF", j->r.faults && *j->r.faults ? "; faults: " : "",
             j->r.faults ? j->r.faults : "", j->r.note && *j->r.note ? "; note: " : "",
             j->r.note ? j->r.note : "");
    /* The text is composed by the system from the form (the console says it in its language,
     * web/js/duty-ui.js), so the entry is automatic, by the operator who filled the form. */
    struct store_duty_entry e = {
        .at = j->r.at, .author = j->who->name, .category = "routine", .text = text, .automatic = 1};
    int rc = dutylog_insert(c, &e, &j->r.duty_log_id);
    if (!rc)
        rc = store_runstatus_insert(c, &j->r, &j->id);
    char obj[48];
    snprintf(obj, sizeof obj, "duty_log:%lld", (long long)j->r.duty_log_id);
    if (!rc)
        rc = audit_append(c, j->who, "duty.running_status", obj, "running-status entry%s",
                          strcmp(j->r.fire_controller, "fault") == 0 ? " (controller fault)" : "");
    json_t *row = NULL;
    if (!rc && store_duty_get(c, j->r.duty_log_id, &row) == 0)
        store_conn_emit(c, "duty", row);
    if (!rc)
        store_conn_emit(c, "running_status",
                        json_pack("{sI sI}", "id", (json_int_t)j->id, "duty_log_id",
                                  (json_int_t)j->r.duty_log_id));
    return rc;
}

static int one_of(const char *v, const char *x, const char *y)
{
    return v && (strcmp(v, x) == 0 || strcmp(v, y) == 0);
}

int app_runstatus_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                      struct app_err *err)
{
    struct rs_job j = {.who = who};
    json_t *la = json_object_get(in, "linkage_auto"), *rec = json_object_get(in, "recording");
    j.r.fire_controller = json_string_value(json_object_get(in, "fire_controller"));
    j.r.power = json_string_value(json_object_get(in, "power"));
    j.r.faults = json_string_value(json_object_get(in, "faults"));
    j.r.note = json_string_value(json_object_get(in, "note"));
    if (!one_of(j.r.fire_controller, "normal", "fault"))
        return app_invalid(err, "fire_controller", "must be normal or fault");
    if (!json_is_boolean(la))
        return app_invalid(err, "linkage_auto", "say whether linkage is in automatic mode");
    if (!one_of(j.r.power, "main", "backup"))
        return app_invalid(err, "power", "must be main or backup");
    if (!json_is_boolean(rec))
        return app_invalid(err, "recording", "say whether surveillance is recording");
    if (j.r.faults && strlen(j.r.faults) > 1000)
        return app_invalid(err, "faults", "must be at most 1000 bytes");
    if (strcmp(j.r.fire_controller, "fault") == 0 && (!j.r.faults || !*j.r.faults))
        return app_invalid(err, "faults", "say which fault the controller shows");
    if (j.r.note && strlen(j.r.note) > 1000)
        return app_invalid(err, "note", "must be at most 1000 bytes");
    j.r.linkage_auto = json_is_true(la);
    j.r.recording = json_is_true(rec);
    j.r.at = clock_now_ms();
    j.r.author = who->name;
    int rc = store_write(a->st, rs_job, &j);
    if (rc)
        return rc;
    json_t *rows = NULL;
    *out = NULL;
    struct store_conn *c = store_read_begin(a->st);
    rc = store_runstatus_list(c, j.r.at, j.r.at + 1, &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r)
        if (json_integer_value(json_object_get(r, "id")) == j.id)
            *out = json_incref(r);
    json_decref(rows);
    return *out ? 0 : -EIO;
}

int app_runstatus_due(struct app *a, json_t **out)
{
    int64_t now = clock_now_ms(), ps, pe, last = 0;
    period_of(a->conf, now, &ps, &pe);
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_runstatus_last(c, now + 1, &last);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    int done = last >= ps;
    *out = json_pack("{si so so sb sb so}", "interval_minutes", (int)a->conf->duty_status_interval,
                     "period_start", iso_json(ps), "period_end", iso_json(pe), "done", done, "due",
                     !done, "last_at", last ? iso_json(last) : json_null());
    return 0;
}

int app_runstatus_list(struct app *a, int64_t from, int64_t to, json_t **out)
{
    if (to <= from || to - from > 366 * DAY_MS)
        return -EDOM;
    json_t *rows = NULL, *missed = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_runstatus_list(c, from, to, &rows);
    if (!rc)
        rc = runstatus_missed(c, a->conf, from, to, clock_now_ms(), &missed);
    store_read_end(a->st, c);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    struct page pg = {.limit = (int64_t)json_array_size(rows)};
    *out = app_list_json(rows, (int64_t)json_array_size(rows), &pg);
    json_object_set_new(*out, "interval_minutes", json_integer(a->conf->duty_status_interval));
    json_object_set_new(*out, "missed", missed);
    return 0;
}
