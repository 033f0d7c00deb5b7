/* incident.c - the incident queue, the incident page and its state machine. */
#include "app/alarm.h"
#include "app/audit.h"
#include "app/dutylog.h"
#include "app/checklist.h"
#include "store/store_response.h"
#include "core/clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int app_incident_list(struct app *a, const struct incident_filter *f, const struct page *pg,
                      json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc =
        store_incident_list(c, f->open, f->state, f->type, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

int app_incident_get(struct app *a, int64_t id, json_t **out)
{
    json_t *inc = NULL, *events = NULL, *alarms = NULL, *steps = NULL, *esc = NULL, *hand = NULL;
    int64_t total = 0, htotal = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_incident_get(c, id, &inc);
    if (!rc)
        rc = store_incident_events(c, id, &events);
    if (!rc)
        rc = store_alarm_list(c, NULL, id, 50, 0, &alarms, &total);
    if (!rc)
        rc = store_steps(c, id, &steps);
    if (!rc)
        rc = store_escalations(c, id, &esc);
    if (!rc)
        rc = store_handoff_list(c, 0, id, 50, 0, &hand, &htotal);
    store_read_end(a->st, c);
    if (!rc) {
        /* One read: the checklist's inputs come from the incident row itself. */
        const char *type = json_string_value(json_object_get(inc, "type"));
        const char *verdict = json_string_value(json_object_get(inc, "verdict"));
        int injured = json_is_true(json_object_get(inc, "injured"));
        json_t *cl = json_object_get(a->checklists, type);
        json_object_set(inc, "checklist_title", json_object_get(cl, "title"));
        json_object_set(inc, "checklist_clause", json_object_get(cl, "clause"));
        json_object_set_new(inc, "checklist", checklist_render(a, type, verdict, injured, steps));
        json_object_set_new(inc, "events", events);
        json_object_set_new(inc, "alarms", alarms);
        json_object_set_new(inc, "alarms_total", json_integer(total));
        json_object_set_new(inc, "escalations", esc);
        /* Without a webhook an escalation goes out on the live stream only: the console says
         * so instead of "awaiting delivery" for ever. */
        json_object_set_new(inc, "escalation_webhook",
                            json_boolean(a->conf && a->conf->escalation_webhook_url[0]));
        json_object_set_new(inc, "handoffs", hand);
        events = alarms = esc = hand = NULL;
        *out = inc;
        inc = NULL;
    }
    json_decref(inc);
    json_decref(events);
    json_decref(alarms);
    json_decref(steps);
    json_decref(esc);
    json_decref(hand);
    return rc;
}

/* The allowed moves. "verified" may follow "acknowledged" directly when the operator confirms
 * on camera before a guard is sent. */
static const struct {
    const char *from, *to;
} moves[] = {
    {"new", "acknowledged"},    {"acknowledged", "dispatched"}, {"acknowledged", "verified"},
    {"dispatched", "verified"}, {"verified", "resolved"},       {"resolved", "reset"},
    {"reset", "closed"},
};

static int move_allowed(const char *from, const char *to)
{
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (strcmp(moves[i].from, from) == 0 && strcmp(moves[i].to, to) == 0)
            return 1;
    return 0;
}

static void allowed_from(const char *from, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        if (strcmp(moves[i].from, from) != 0)
            continue;
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%s", l ? ", " : "", moves[i].to);
    }
}

struct move_job {
    struct app *app;
    const struct actor *who;
    int64_t id;
    const char *to, *verdict, *note;
    struct app_err *err;
    char from[16];
};

static int move_job(struct store_conn *c, void *arg)
{
    struct move_job *j = arg;
    char type[16];
    int rc = store_incident_state(c, j->id, j->from, sizeof j->from, type, sizeof type);
    if (rc)
        return rc;
    if (strcmp(j->to, "closed") == 0 && move_allowed(j->from, j->to)) {
        /* Required checklist steps must be done, or skipped with a reason, before closing. */
        struct store_incident_brief b;
        json_t *steps = NULL;
        rc = store_incident_brief(c, j->id, &b);
        if (!rc)
            rc = store_steps(c, j->id, &steps);
        if (!rc)
            rc = checklist_check_complete(j->app, type, b.verdict[0] ? b.verdict : NULL, b.injured,
                                          steps, j->err);
        json_decref(steps);
        if (rc)
            return rc;
    }
    if (!move_allowed(j->from, j->to)) {
        char ok[96];
        allowed_from(j->from, ok, sizeof ok);
        return app_invalid(j->err, "to", "cannot go from %s to %s%s%s", j->from, j->to,
                           ok[0] ? "; allowed: " : " (the incident is closed)", ok);
    }
    int64_t now = clock_now_ms();
    rc = store_incident_set_state(c, j->id, j->to, j->verdict, j->who->name, now);
    if (!rc)
        rc = store_incident_event_add(c, j->id, now, j->who->name, "transition", j->from, j->to,
                                      j->note);
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "incident.transition", obj, "%s -> %s%s%s", j->from, j->to,
                          j->verdict ? " verdict " : "", j->verdict ? j->verdict : "");
    if (!rc)
        rc = dutylog_auto(c, j->who->name, "alarm", j->id, "incident #%lld %s -> %s%s%s%s",
                          (long long)j->id, j->from, j->to, j->verdict ? " (" : "",
                          j->verdict ? j->verdict : "", j->verdict ? ")" : "");
    if (!rc)
        incident_emit(c, j->id);
    return rc;
}

static int read_incident(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_incident_get(c, id, out);
    store_read_end(a->st, c);
    return rc;
}

int app_incident_transition(struct app *a, const struct actor *who, int64_t id, json_t *in,
                            json_t **out, struct app_err *err)
{
    struct move_job j = {.app = a, .who = who, .id = id, .err = err};
    j.to = json_string_value(json_object_get(in, "to"));
    j.verdict = json_string_value(json_object_get(in, "verdict"));
    j.note = json_string_value(json_object_get(in, "note"));
    static const char *const states[] = {"acknowledged", "dispatched", "verified", "resolved",
                                         "reset",        "closed",     NULL};
    int known = 0;
    for (const char *const *s = states; *s && j.to; s++)
        known |= strcmp(*s, j.to) == 0;
    if (!known)
        return app_invalid(err, "to",
                           "must be one of acknowledged, dispatched, verified, "
                           "resolved, reset, closed");
    int is_verify = strcmp(j.to, "verified") == 0;
    if (is_verify && (!j.verdict || (strcmp(j.verdict, "real") && strcmp(j.verdict, "false") &&
                                     strcmp(j.verdict, "test"))))
        return app_invalid(err, "verdict", "verifying needs a verdict: real, false or test");
    if (!is_verify && j.verdict)
        return app_invalid(err, "verdict", "a verdict goes with to = verified");
    int rc = store_write(a->st, move_job, &j);
    return rc ? rc : read_incident(a, id, out);
}

struct note_job {
    const struct actor *who;
    int64_t id;
    const char *note;
};

static int note_job(struct store_conn *c, void *arg)
{
    struct note_job *j = arg;
    char state[16], type[16];
    int rc = store_incident_state(c, j->id, state, sizeof state, type, sizeof type);
    if (!rc)
        rc = store_incident_event_add(c, j->id, clock_now_ms(), j->who->name, "note", NULL, NULL,
                                      j->note);
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "incident.note", obj, "note added");
    if (!rc)
        incident_emit(c, j->id); /* other consoles refresh the timeline */
    return rc;
}

int app_incident_note(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                      struct app_err *err)
{
    struct note_job j = {.who = who, .id = id};
    j.note = json_string_value(json_object_get(in, "note"));
    if (!j.note || !*j.note || strlen(j.note) > 2000)
        return app_invalid(err, "note", "must be 1 to 2000 bytes");
    int rc = store_write(a->st, note_job, &j);
    return rc ? rc : app_incident_get(a, id, out);
}
