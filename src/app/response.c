/* response.c - escalation rules and hand-offs to posts. */
#include "app/response.h"

#include "app/audit.h"
#include "app/dutylog.h"
#include "core/clock.h"
#include "store/store_alarm.h"
#include "store/store_response.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void escalation_rules_from_conf(const struct conf *cf, struct escalation_rules *r)
{
    r->ack_timeout_ms[0] = 0;
    r->ack_timeout_ms[1] = cf->escalation_ack_p1 * 1000;
    r->ack_timeout_ms[2] = cf->escalation_ack_p2 * 1000;
    r->ack_timeout_ms[3] = cf->escalation_ack_p3 * 1000;
    r->ack_timeout_ms[4] = cf->escalation_ack_p4 * 1000;
    r->entrapment_ms = cf->escalation_entrapment_minutes * 60000;
}

struct esc_job {
    const struct escalation_rules *r;
    int64_t now;
    int raised;
};

static int raise_one(struct store_conn *c, struct esc_job *j, int64_t incident_id,
                     const char *level, const char *reason)
{
    int64_t id = 0;
    int rc = store_escalation_insert(c, incident_id, level, reason, j->now, &id);
    if (rc || !id)
        return rc;
    const char *to = strcmp(level, "major") == 0 ? "supervisor and manager" : "shift leader";
    char note[200];
    snprintf(note, sizeof note, "escalated to the %s: %s", to, reason);
    rc = store_incident_event_add(c, incident_id, j->now, "system", "escalated", NULL, NULL, note);
    struct actor sys;
    app_actor_system(&sys, "system");
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", (long long)incident_id);
    if (!rc)
        rc = audit_append(c, &sys, "incident.escalate", obj, "%s", note);
    if (!rc)
        rc = dutylog_auto(c, "system", "alarm", incident_id, "incident #%lld %s",
                          (long long)incident_id, note);
    if (!rc) {
        store_conn_emit(c, "escalation",
                        json_pack("{sI sI ss ss ss}", "id", (json_int_t)id, "incident_id",
                                  (json_int_t)incident_id, "level", level, "to", to, "reason",
                                  reason));
        j->raised++;
    }
    return rc;
}

static int esc_job(struct store_conn *c, void *arg)
{
    struct esc_job *j = arg;
    int64_t deadline[5];
    for (int p = 0; p < 5; p++)
        deadline[p] = j->now - j->r->ack_timeout_ms[p];
    json_t *due = NULL, *major = NULL, *row;
    int rc = store_escalation_due_ack(c, deadline, &due);
    if (!rc)
        rc = store_escalation_due_major(c, j->now - j->r->entrapment_ms, &major);
    size_t i;
    json_array_foreach (due, i, row) {
        if (rc)
            break;
        char reason[96];
        snprintf(
            reason, sizeof reason, "not acknowledged within %llds (priority %lld)",
            (long long)(j->r->ack_timeout_ms[json_integer_value(json_object_get(row, "priority"))] /
                        1000),
            (long long)json_integer_value(json_object_get(row, "priority")));
        rc =
            raise_one(c, j, json_integer_value(json_object_get(row, "id")), "shift_leader", reason);
    }
    json_array_foreach (major, i, row) {
        if (rc)
            break;
        rc = raise_one(c, j, json_integer_value(json_object_get(row, "id")), "major",
                       json_string_value(json_object_get(row, "reason")));
    }
    json_decref(due);
    json_decref(major);
    return rc;
}

int app_escalation_check(struct app *a, const struct escalation_rules *r)
{
    struct esc_job j = {.r = r, .now = clock_now_ms()};
    int rc = store_write(a->st, esc_job, &j);
    return rc ? rc : j.raised;
}

int app_escalation_pending(struct app *a, int64_t limit, json_t **rows)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_escalation_pending(c, clock_now_ms(), limit, rows);
    store_read_end(a->st, c);
    return rc;
}

struct mark_job {
    int64_t id, attempts;
    int ok;
    const char *error;
};

static int mark_job(struct store_conn *c, void *arg)
{
    struct mark_job *j = arg;
    int64_t now = clock_now_ms();
    if (j->ok)
        return store_escalation_delivered(c, j->id, now);
    /* Back-off: 5 s, 10 s, 20 s … capped at 10 minutes; never given up. */
    int64_t delay = 5000;
    for (int64_t k = 0; k < j->attempts && delay < 600000; k++)
        delay *= 2;
    if (delay > 600000)
        delay = 600000;
    return store_escalation_retry(c, j->id, now + delay, j->error);
}

int app_escalation_mark(struct app *a, int64_t id, int ok, int64_t attempts, const char *error)
{
    struct mark_job j = {.id = id, .attempts = attempts, .ok = ok, .error = error};
    return store_write(a->st, mark_job, &j);
}

/* ---- hand-offs ---- */

struct handoff_job {
    const struct actor *who;
    int64_t id, incident_id, area_id;
    const char *text, *result;
    int op; /* 0 create, 1 take, 2 done */
};

static int handoff_job(struct store_conn *c, void *arg)
{
    struct handoff_job *j = arg;
    int64_t now = clock_now_ms();
    int rc;
    const char *action;
    if (j->op == 0) {
        rc =
            store_handoff_insert(c, j->incident_id, j->area_id, j->text, j->who->name, now, &j->id);
        action = "handoff.create";
        if (!rc && j->incident_id)
            rc = store_incident_event_add(c, j->incident_id, now, j->who->name, "handoff", NULL,
                                          NULL, j->text);
        json_t *h = NULL;
        if (!rc)
            rc = store_handoff_get(c, j->id, &h);
        if (!rc)
            rc = dutylog_auto(c, j->who->name, "abnormal", j->incident_id,
                              "passed to the guard post %s: %s",
                              json_string_value(json_object_get(h, "area_name")), j->text);
        json_decref(h);
    } else if (j->op == 1) {
        rc = store_handoff_take(c, j->id, j->who->name, now);
        action = "handoff.take";
    } else {
        rc = store_handoff_done(c, j->id, j->result, now);
        action = "handoff.done";
    }
    char obj[48];
    snprintf(obj, sizeof obj, "handoff:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, action, obj, "%s",
                          j->op == 0   ? "passed to the post"
                          : j->op == 1 ? "taken up"
                                       : "result reported");
    json_t *row = NULL;
    if (!rc && store_handoff_get(c, j->id, &row) == 0)
        store_conn_emit(c, "handoff", row);
    return rc;
}

static int read_handoff(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_handoff_get(c, id, out);
    store_read_end(a->st, c);
    return rc;
}

int app_handoff_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                       struct app_err *err)
{
    struct handoff_job j = {.who = who};
    j.area_id = json_integer_value(json_object_get(in, "area_id"));
    j.incident_id = json_integer_value(json_object_get(in, "incident_id"));
    j.text = json_string_value(json_object_get(in, "text"));
    if (j.area_id <= 0)
        return app_invalid(err, "area_id", "name the post (area) to pass it to");
    if (!j.text || !*j.text || strlen(j.text) > 1000)
        return app_invalid(err, "text", "must be 1 to 1000 bytes");
    int rc = store_write(a->st, handoff_job, &j);
    if (rc == -EINVAL)
        return app_invalid(err, j.incident_id ? "incident_id" : "area_id", "does not exist");
    return rc ? rc : read_handoff(a, j.id, out);
}

int app_handoff_list(struct app *a, int open, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_handoff_list(c, open, 0, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

int app_handoff_take(struct app *a, const struct actor *who, int64_t id, json_t **out)
{
    struct handoff_job j = {.who = who, .id = id, .op = 1};
    int rc = store_write(a->st, handoff_job, &j);
    if (rc == -EALREADY)
        return -EEXIST;
    return rc ? rc : read_handoff(a, id, out);
}

int app_handoff_done(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                     struct app_err *err)
{
    struct handoff_job j = {.who = who, .id = id, .op = 2};
    j.result = json_string_value(json_object_get(in, "result"));
    json_t *h = NULL;
    int rc0 = read_handoff(a, id, &h);
    if (rc0)
        return rc0;
    const char *taker = json_string_value(json_object_get(h, "taken_by"));
    /* The guard who took it up reports the result (or a shift leader on their behalf). */
    int mine = taker && strcmp(taker, who->name) == 0;
    json_decref(h);
    if (taker && !mine && !(who->perms & PERM_BIT(PERM_INCIDENT_HANDLE)))
        return -EACCES;
    if (!j.result || !*j.result || strlen(j.result) > 1000)
        return app_invalid(err, "result", "must be 1 to 1000 bytes");
    int rc = store_write(a->st, handoff_job, &j);
    if (rc == -EALREADY)
        return app_invalid(err, "", "take the hand-off up first (or it is already done)");
    return rc ? rc : read_handoff(a, id, out);
}
