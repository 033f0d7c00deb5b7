/* register.c - entry register and alarm-line log. */
#include "app/register.h"

#include "app/audit.h"
#include "app/dutylog.h"
#include "core/clock.h"
#include "store/store_auth.h"
#include "store/store_register.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *jstr(json_t *in, const char *k)
{
    return json_string_value(json_object_get(in, k));
}

static int text_ok(const char *v, size_t max)
{
    return v && *v && strlen(v) <= max;
}

struct entry_job {
    const struct actor *who;
    const char *name, *org, *purpose, *auth;
    int64_t id;
    int out;
    struct app_err *err;
};

static int entry_job(struct store_conn *c, void *arg)
{
    struct entry_job *j = arg;
    int64_t now = clock_now_ms();
    char obj[48];
    int rc;
    if (j->out) {
        rc = store_room_entry_out(c, j->id, j->who->name, now);
        snprintf(obj, sizeof obj, "room_entry:%lld", (long long)j->id);
        if (!rc)
            rc = audit_append(c, j->who, "room_entry.out", obj, "visitor left the centre");
        if (!rc)
            rc = dutylog_auto(c, j->who->name, "visitor", 0,
                              "control-room visitor left (register #%lld)", (long long)j->id);
        return rc;
    }
    /* The authoriser is checked inside the transaction: an account disabled a moment ago does
     * not authorise anybody. */
    struct store_user u;
    rc = store_user_by_name(c, j->auth, &u);
    if (rc == -ENOENT ||
        (!rc && (u.disabled || (strcmp(u.role, "shift_leader") && strcmp(u.role, "supervisor") &&
                                strcmp(u.role, "manager")))))
        return app_invalid(j->err, "authorised_by",
                           "must be an active shift leader, supervisor or manager");
    if (rc)
        return rc;
    rc = store_room_entry_insert(c, j->name, j->org, j->purpose, u.username, j->who->name, now,
                                 &j->id);
    snprintf(obj, sizeof obj, "room_entry:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "room_entry.in", obj, "visitor registered, authorised by %s",
                          u.username);
    if (!rc)
        rc = dutylog_auto(c, j->who->name, "visitor", 0,
                          "control-room visitor %s (%s) entered: %s; authorised by %s", j->name,
                          j->org ? j->org : "", j->purpose, u.username);
    return rc;
}

static int read_entry(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_room_entry_get(c, id, out);
    store_read_end(a->st, c);
    return rc;
}

int app_room_entry_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                       struct app_err *err)
{
    struct entry_job j = {.who = who, .err = err};
    j.name = jstr(in, "name");
    j.org = jstr(in, "organisation");
    j.purpose = jstr(in, "purpose");
    j.auth = jstr(in, "authorised_by");
    if (!text_ok(j.name, 64))
        return app_invalid(err, "name", "must be 1 to 64 bytes");
    if (j.org && strlen(j.org) > 100)
        return app_invalid(err, "organisation", "must be at most 100 bytes");
    if (!text_ok(j.purpose, 500))
        return app_invalid(err, "purpose", "must be 1 to 500 bytes");
    if (!text_ok(j.auth, 32))
        return app_invalid(err, "authorised_by", "an entry needs who authorised it");
    int rc = store_write(a->st, entry_job, &j);
    return rc ? rc : read_entry(a, j.id, out);
}

int app_room_entry_out(struct app *a, const struct actor *who, int64_t id, json_t **out)
{
    struct entry_job j = {.who = who, .id = id, .out = 1};
    int rc = store_write(a->st, entry_job, &j);
    if (rc == -EALREADY)
        return -EEXIST;
    return rc ? rc : read_entry(a, id, out);
}

int app_room_entry_list(struct app *a, int open, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_room_entry_list(c, open, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

struct line_job {
    const struct actor *who;
    struct store_line_use u;
    int64_t id;
    const char *note;
    int review;
};

static int line_job(struct store_conn *c, void *arg)
{
    struct line_job *j = arg;
    char obj[48];
    int rc;
    if (j->review) {
        rc = store_line_use_review(c, j->id, j->who->name, j->note, clock_now_ms());
        snprintf(obj, sizeof obj, "line_use:%lld", (long long)j->id);
        return rc ? rc : audit_append(c, j->who, "line_use.review", obj, "reviewed");
    }
    rc = store_line_use_insert(c, &j->u, &j->id);
    snprintf(obj, sizeof obj, "line_use:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "line_use.add", obj, "%s %s use recorded%s", j->u.line,
                          j->u.direction, j->u.emergency ? "" : " (not an emergency: flagged)");
    if (!rc)
        rc = dutylog_auto(c, j->who->name, j->u.emergency ? "alarm" : "abnormal", j->u.incident_id,
                          "%s used (%s, %s %s): %s%s",
                          strcmp(j->u.line, "fire_phone") ? "alarm line" : "fire telephone",
                          j->u.direction, j->u.caller, j->u.number, j->u.reason,
                          j->u.emergency ? "" : " (not an emergency: flagged for the supervisor)");
    if (!rc && !j->u.emergency)
        store_conn_emit(c, "line_use.flagged", json_pack("{sI}", "id", (json_int_t)j->id));
    return rc;
}

static int read_line(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_line_use_get(c, id, out);
    store_read_end(a->st, c);
    return rc;
}

int app_line_use_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                     struct app_err *err)
{
    struct line_job j = {.who = who};
    j.u.at = clock_now_ms();
    j.u.line = jstr(in, "line");
    j.u.direction = jstr(in, "direction");
    j.u.caller = jstr(in, "caller");
    j.u.number = jstr(in, "number");
    j.u.reason = jstr(in, "reason");
    j.u.recorded_by = who->name;
    j.u.incident_id = json_integer_value(json_object_get(in, "incident_id"));
    json_t *em = json_object_get(in, "emergency");
    if (!j.u.line || (strcmp(j.u.line, "fire_phone") && strcmp(j.u.line, "alarm_line")))
        return app_invalid(err, "line", "must be fire_phone or alarm_line");
    if (!j.u.direction || (strcmp(j.u.direction, "out") && strcmp(j.u.direction, "in")))
        return app_invalid(err, "direction", "must be out or in");
    if (!text_ok(j.u.caller, 64))
        return app_invalid(err, "caller", "must be 1 to 64 bytes");
    if (!text_ok(j.u.number, 32))
        return app_invalid(err, "number", "must be 1 to 32 bytes");
    if (!text_ok(j.u.reason, 500))
        return app_invalid(err, "reason", "must be 1 to 500 bytes");
    if (!json_is_boolean(em))
        return app_invalid(err, "emergency", "say whether it was an emergency (true or false)");
    j.u.emergency = json_is_true(em);
    int rc = store_write(a->st, line_job, &j);
    if (rc == -EINVAL)
        return app_invalid(err, "incident_id", "no such incident");
    return rc ? rc : read_line(a, j.id, out);
}

int app_line_use_review(struct app *a, const struct actor *who, int64_t id, json_t *in,
                        json_t **out, struct app_err *err)
{
    struct line_job j = {.who = who, .id = id, .review = 1, .note = jstr(in, "note")};
    if (j.note && strlen(j.note) > 500)
        return app_invalid(err, "note", "must be at most 500 bytes");
    int rc = store_write(a->st, line_job, &j);
    if (rc == -EALREADY)
        return -EEXIST;
    return rc ? rc : read_line(a, id, out);
}

int app_line_use_list(struct app *a, int flagged, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_line_use_list(c, flagged, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}
