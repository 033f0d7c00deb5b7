/* ticket.c - fault tickets: the state machine, due times, escalation and downtime. */
#include "app/ticket.h"

#include "app/alarm.h"
#include "app/audit.h"
#include "app/dutylog.h"
#include "app/site.h"
#include "core/clock.h"
#include "store/store_alarm.h"
#include "store/store_auth.h"
#include "store/store_duty.h"
#include "store/store_model.h"
#include "store/store_ticket.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ticket_kinds[] = {"fault", "check_failure", "camera_health", NULL};
const char *const ticket_states[] = {"reported", "assigned", "repaired",
                                     "verified", "closed",   NULL};
static const char *const assignee_kinds[] = {"engineer", "elevator_tech", "outside", NULL};
static const char *const priorities[] = {"normal", "urgent", NULL};

#define MIN_MS (60 * 1000LL)

/* Minutes; the defaults equal the configuration's. */
static struct {
    long fault, check_failure, camera_health, urgent, major_after;
} rules = {1440, 1440, 2880, 240, 1440};

void app_ticket_configure(const struct conf *cf)
{
    rules.fault = cf->ticket_due_fault;
    rules.check_failure = cf->ticket_due_check_failure;
    rules.camera_health = cf->ticket_due_camera_health;
    rules.urgent = cf->ticket_due_urgent;
    rules.major_after = cf->ticket_escalate_major_after;
}

static int64_t due_in(const char *kind, const char *priority)
{
    if (strcmp(priority, "urgent") == 0)
        return rules.urgent * MIN_MS;
    if (strcmp(kind, "check_failure") == 0)
        return rules.check_failure * MIN_MS;
    if (strcmp(kind, "camera_health") == 0)
        return rules.camera_health * MIN_MS;
    return rules.fault * MIN_MS;
}

/* Fire-alarm equipment is repaired urgently (GB 25201-2010: a fault of the fire alarm system
 * must not wait). */
static const char *default_priority(struct store_conn *c, int64_t device_id)
{
    json_t *d = NULL;
    if (!device_id || store_device_get(c, device_id, &d) != 0)
        return "normal";
    const char *k = json_string_value(json_object_get(d, "kind"));
    int urgent = k && (strcmp(k, "fire_panel") == 0 || strcmp(k, "fire_detector") == 0 ||
                       strcmp(k, "alarm_line") == 0);
    json_decref(d);
    return urgent ? "urgent" : "normal";
}

/* A duty-log entry (category equipment) linked to the ticket and its device. */
static int duty(struct store_conn *c, const char *author, int64_t ticket_id, int64_t device_id,
                int64_t incident_id, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int duty(struct store_conn *c, const char *author, int64_t ticket_id, int64_t device_id,
                int64_t incident_id, const char *fmt, ...)
{
    char text[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    struct store_duty_entry e = {.at = clock_now_ms(),
                                 .author = author,
                                 .category = "equipment",
                                 .text = text,
                                 .incident_id = incident_id,
                                 .device_id = device_id,
                                 .ticket_id = ticket_id,
                                 .automatic = 1};
    int64_t did;
    int rc = dutylog_insert(c, &e, &did);
    json_t *row = NULL;
    if (!rc && store_duty_get(c, did, &row) == 0)
        store_conn_emit(c, "duty", row);
    return rc;
}

static int audit(struct store_conn *c, const char *actor, const char *action, int64_t id,
                 const char *summary)
{
    struct actor who;
    app_actor_system(&who, actor);
    char obj[48];
    snprintf(obj, sizeof obj, "ticket:%lld", (long long)id);
    return audit_append(c, &who, action, obj, "%s", summary);
}

static void emit(struct store_conn *c, int64_t id, int64_t now)
{
    json_t *row = NULL;
    if (store_ticket_get(c, id, now, &row) == 0)
        store_conn_emit(c, "ticket", row);
}

static int set_device_status(struct store_conn *c, int64_t device_id, const char *status,
                             int64_t now)
{
    int rc = store_device_set_status(c, device_id, status, now);
    json_t *row = NULL;
    if (!rc && store_device_get(c, device_id, &row) == 0)
        store_conn_emit(c, "device.status", row);
    return rc;
}

static int open_in(struct store_conn *c, const char *actor, const struct ticket_spec *t,
                   const char *priority, int64_t now, int64_t *id, int *created)
{
    *created = 0;
    int rc = store_ticket_find_open(c, t->device_id, t->kind, t->title, id);
    if (rc || *id)
        return rc;
    struct store_ticket_new n = {.device_id = t->device_id,
                                 .check_record_id = t->check_record_id,
                                 .incident_id = t->incident_id,
                                 .kind = t->kind,
                                 .priority =
                                     priority ? priority : default_priority(c, t->device_id),
                                 .title = t->title,
                                 .title_en = t->title_en,
                                 .detail = t->detail,
                                 .reported_by = actor,
                                 .reported_at = now};
    n.due_at = now + due_in(t->kind, n.priority);
    rc = store_ticket_insert(c, &n, id);
    if (!rc)
        rc = store_ticket_event_add(c, *id, now, actor, "reported", NULL, "reported", t->detail);
    char status[16] = "";
    if (!rc && t->device_id)
        rc = store_ticket_device_status(c, t->device_id, status, sizeof status);
    if (!rc && strcmp(status, "normal") == 0)
        rc = set_device_status(c, t->device_id, "fault", now);
    if (!rc)
        rc = duty(c, actor, *id, t->device_id, t->incident_id, "ticket #%lld reported (%s, %s): %s",
                  (long long)*id, t->kind, n.priority, t->title);
    char summary[300];
    snprintf(summary, sizeof summary, "%s ticket reported: %s", t->kind, t->title);
    if (!rc)
        rc = audit(c, actor, "ticket.report", *id, summary);
    if (!rc) {
        emit(c, *id, now);
        *created = 1;
    }
    return rc;
}

int app_ticket_open_in(struct store_conn *c, const char *actor, const struct ticket_spec *t,
                       int64_t now, int64_t *id, int *created)
{
    if (!t || !str_in(t->kind, ticket_kinds) || !t->title || !*t->title || strlen(t->title) > 200)
        return -EINVAL;
    return open_in(c, actor, t, NULL, now, id, created);
}

int app_ticket_note_in(struct store_conn *c, const char *actor, int64_t id, const char *note,
                       int64_t now)
{
    struct store_ticket_brief b;
    if (!note || !*note || strlen(note) > 2000)
        return -EINVAL;
    int rc = store_ticket_brief(c, id, &b);
    if (rc)
        return rc;
    if (strcmp(b.state, "closed") == 0)
        return -EINVAL;
    rc = store_ticket_event_add(c, id, now, actor, "note", NULL, NULL, note);
    if (!rc)
        rc = duty(c, actor, id, b.device_id, 0, "ticket #%lld: %s", (long long)id, note);
    if (!rc)
        rc = audit(c, actor, "ticket.note", id, "note added");
    if (!rc)
        emit(c, id, now);
    return rc;
}

/* ---- the API side ---- */

enum tk_op { OP_CREATE, OP_ASSIGN, OP_REPAIR, OP_VERIFY, OP_REJECT, OP_CLOSE, OP_NOTE };

static const struct {
    const char *name;   /* the route's last segment */
    const char *from;   /* allowed states, "|"-separated; NULL = any but closed */
    const char *to;     /* NULL = unchanged */
    const char *event;  /* timeline action */
    const char *action; /* audit action */
} moves[] = {
    [OP_CREATE] = {"create", NULL, NULL, NULL, NULL},
    [OP_ASSIGN] = {"assign", "reported|assigned", "assigned", "assigned", "ticket.assign"},
    [OP_REPAIR] = {"repair", "assigned", "repaired", "repaired", "ticket.repair"},
    [OP_VERIFY] = {"verify", "repaired", "verified", "verified", "ticket.verify"},
    [OP_REJECT] = {"reject", "repaired", "assigned", "rejected", "ticket.reject"},
    [OP_CLOSE] = {"close", "verified", "closed", "closed", "ticket.close"},
    [OP_NOTE] = {"note", NULL, NULL, "note", "ticket.note"},
};

struct tjob {
    const struct actor *who;
    enum tk_op op;
    int64_t id;
    struct ticket_spec spec;
    const char *priority;
    const char *akind, *assignee, *company, *result, *note;
    int created;
    struct app_err *err;
};

static int state_allows(const char *from, const char *state)
{
    if (!from)
        return strcmp(state, "closed") != 0;
    size_t n = strlen(state);
    for (const char *p = from; *p;) {
        size_t len = strcspn(p, "|");
        if (len == n && strncmp(p, state, n) == 0)
            return 1;
        p += len + (p[len] == '|');
    }
    return 0;
}

static int check_assignee(struct store_conn *c, struct tjob *j)
{
    if (strcmp(j->akind, "outside") == 0)
        return j->company && *j->company
                   ? 0
                   : app_invalid(j->err, "company", "name the outside maintainer's company");
    struct store_user u;
    if (store_user_by_name(c, j->assignee, &u) != 0 || u.disabled)
        return app_invalid(j->err, "assignee", "is not an active user");
    if (strcmp(u.role, j->akind) != 0)
        return app_invalid(j->err, "assignee", "is not an %s",
                           strcmp(j->akind, "engineer") == 0 ? "engineer" : "elevator technician");
    j->company = NULL;
    return 0;
}

/* Who may record the repair: a user assignee (engineer, elevator technician) records their own,
 * or a supervisor does; an outside maintainer's repair is recorded on their behalf by any
 * ticket.repair holder. */
static int may_repair(const struct tjob *j, const struct store_ticket_brief *b)
{
    if (strcmp(b->assignee_kind, "outside") == 0 || strcmp(b->assignee, j->who->name) == 0 ||
        strcmp(j->who->role, "supervisor") == 0)
        return 0;
    return app_refuse(j->err, "not-assignee", "",
                      "ticket #%lld is assigned to %s; only they or a supervisor may record its "
                      "repair",
                      (long long)j->id, b->assignee);
}

/* The change itself, once the state allows it. */
static int apply(struct store_conn *c, struct tjob *j, const struct store_ticket_brief *b,
                 int64_t now)
{
    switch (j->op) {
    case OP_ASSIGN: {
        int rc = check_assignee(c, j);
        return rc ? rc : store_ticket_assign(c, j->id, j->akind, j->assignee, j->company, now);
    }
    case OP_REPAIR: {
        int rc = may_repair(j, b);
        return rc ? rc : store_ticket_repair(c, j->id, j->result, j->note, j->who->name, now);
    }
    case OP_VERIFY:
        if (strcmp(b->repaired_by, j->who->name) == 0)
            return app_refuse(j->err, "same-person", "",
                              "%s recorded the repair, so someone else must verify it",
                              j->who->name);
        return store_ticket_verify(c, j->id, j->who->name, now);
    case OP_REJECT:
        return store_ticket_reject(c, j->id, now);
    case OP_CLOSE:
        return store_ticket_close(c, j->id, j->who->name, now);
    default:
        return 0;
    }
}

/* After a verification: the device is back to normal unless another ticket still holds it. */
static int device_back(struct store_conn *c, int64_t ticket_id, int64_t device_id, int64_t now)
{
    int64_t others = 0;
    char status[16];
    int rc = store_ticket_device_unverified(c, device_id, ticket_id, &others);
    if (!rc)
        rc = store_ticket_device_status(c, device_id, status, sizeof status);
    if (rc || others)
        return rc;
    if (strcmp(status, "fault") == 0 || strcmp(status, "offline") == 0)
        rc = set_device_status(c, device_id, "normal", now);
    return rc;
}

/* A camera-health ticket verified: its equipment-trouble incident, if still open, is closed by
 * the system, naming the ticket and the verifier (timeline, audit, duty log). */
static int incident_done(struct store_conn *c, const struct tjob *j,
                         const struct store_ticket_brief *b, int64_t now)
{
    char state[16], type[16], note[160];
    int rc = store_incident_state(c, b->incident_id, state, sizeof state, type, sizeof type);
    if (rc == -ENOENT)
        return 0;
    if (rc || strcmp(state, "closed") == 0)
        return rc;
    snprintf(note, sizeof note, "fault ticket #%lld verified by %s", (long long)j->id,
             j->who->name);
    rc = store_incident_set_state(c, b->incident_id, "closed", NULL, "system", now);
    if (!rc)
        rc = store_incident_event_add(c, b->incident_id, now, "system", "transition", state,
                                      "closed", note);
    struct actor sys;
    app_actor_system(&sys, "system");
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", (long long)b->incident_id);
    if (!rc)
        rc = audit_append(c, &sys, "incident.transition", obj, "%s -> closed: %s", state, note);
    if (!rc)
        rc = duty(c, "system", j->id, b->device_id, b->incident_id, "incident #%lld closed: %s",
                  (long long)b->incident_id, note);
    if (!rc)
        incident_emit(c, b->incident_id);
    return rc;
}

static void describe(const struct tjob *j, const struct store_ticket_brief *b, char *out, size_t n)
{
    switch (j->op) {
    case OP_ASSIGN:
        snprintf(out, n, "assigned to %s%s%s%s", j->assignee, j->company ? " (" : "",
                 j->company ? j->company : "", j->company ? ")" : "");
        break;
    case OP_REPAIR:
        if (strcmp(b->assignee_kind, "outside") == 0)
            snprintf(out, n, "%s: %s (on behalf of %s%s%s)", j->result, j->note, b->assignee,
                     b->company[0] ? ", " : "", b->company);
        else
            snprintf(out, n, "%s: %s", j->result, j->note);
        break;
    case OP_REJECT:
        snprintf(out, n, "repair rejected: %s", j->note);
        break;
    default:
        snprintf(out, n, "%s%s%s", moves[j->op].event, j->note ? ": " : "", j->note ? j->note : "");
    }
}

static int move(struct store_conn *c, struct tjob *j, int64_t now)
{
    struct store_ticket_brief b;
    int rc = store_ticket_brief(c, j->id, &b);
    if (rc)
        return rc;
    if (!state_allows(moves[j->op].from, b.state))
        return app_invalid(j->err, "state", "a %s ticket cannot be %s", b.state,
                           j->op == OP_NOTE ? "annotated" : moves[j->op].name);
    rc = apply(c, j, &b, now);
    if (rc)
        return rc;
    char text[700];
    describe(j, &b, text, sizeof text);
    const char *tl_note =
        j->op == OP_ASSIGN || j->op == OP_REPAIR || j->op == OP_REJECT ? text : j->note;
    rc = store_ticket_event_add(c, j->id, now, j->who->name, moves[j->op].event,
                                moves[j->op].to ? b.state : NULL, moves[j->op].to, tl_note);
    if (!rc && j->op == OP_VERIFY && b.device_id)
        rc = device_back(c, j->id, b.device_id, now);
    if (!rc && j->op == OP_VERIFY && b.incident_id && strcmp(b.kind, "camera_health") == 0)
        rc = incident_done(c, j, &b, now);
    if (!rc)
        rc = duty(c, j->who->name, j->id, b.device_id, 0, "ticket #%lld (%s) %s", (long long)j->id,
                  b.title, text);
    char obj[48];
    snprintf(obj, sizeof obj, "ticket:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, moves[j->op].action, obj, "%s", moves[j->op].event);
    if (!rc)
        emit(c, j->id, now);
    return rc;
}

static int tjob_run(struct store_conn *c, void *arg)
{
    struct tjob *j = arg;
    int64_t now = clock_now_ms();
    if (j->op != OP_CREATE)
        return move(c, j, now);
    char status[16];
    if (j->spec.device_id &&
        store_ticket_device_status(c, j->spec.device_id, status, sizeof status) != 0)
        return app_invalid(j->err, "device_id", "no such device");
    int rc = open_in(c, j->who->name, &j->spec, j->priority, now, &j->id, &j->created);
    if (rc == -EINVAL)
        return app_invalid(j->err, "incident_id", "no such incident");
    return rc;
}

static int read_ticket(struct store_conn *c, int64_t id, json_t **out)
{
    json_t *row = NULL, *tl = NULL, *esc = NULL;
    int rc = store_ticket_get(c, id, clock_now_ms(), &row);
    if (!rc)
        rc = store_ticket_events(c, id, &tl);
    if (!rc)
        rc = store_ticket_escalations(c, id, &esc);
    if (rc) {
        json_decref(row);
        json_decref(tl);
        json_decref(esc);
        return rc;
    }
    json_object_set_new(row, "timeline", tl);
    json_object_set_new(row, "escalations", esc);
    *out = row;
    return 0;
}

int app_ticket_get(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = read_ticket(c, id, out);
    store_read_end(a->st, c);
    return rc;
}

static const char *jstr(json_t *in, const char *k)
{
    return json_string_value(json_object_get(in, k));
}

static int text_ok(const char *s, size_t max)
{
    return s && *s && strlen(s) <= max;
}

int app_ticket_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                      int *created, struct app_err *err)
{
    struct tjob j = {.who = who, .op = OP_CREATE, .err = err};
    j.spec.device_id = json_integer_value(json_object_get(in, "device_id"));
    j.spec.incident_id = json_integer_value(json_object_get(in, "incident_id"));
    j.spec.kind = jstr(in, "kind") ? jstr(in, "kind") : "fault";
    j.spec.title = jstr(in, "title");
    j.spec.detail = jstr(in, "detail");
    j.priority = jstr(in, "priority");
    if (!str_in(j.spec.kind, ticket_kinds))
        return app_invalid(err, "kind", "must be fault, check_failure or camera_health");
    if (j.priority && !str_in(j.priority, priorities))
        return app_invalid(err, "priority", "must be normal or urgent");
    if (!text_ok(j.spec.title, 200))
        return app_invalid(err, "title", "must be 1 to 200 bytes");
    if (j.spec.detail && strlen(j.spec.detail) > 4000)
        return app_invalid(err, "detail", "must be at most 4000 bytes");
    if (j.spec.device_id < 0 || j.spec.incident_id < 0)
        return app_invalid(err, j.spec.device_id < 0 ? "device_id" : "incident_id",
                           "must be a positive id");
    int rc = store_write(a->st, tjob_run, &j);
    if (!rc)
        *created = j.created;
    return rc ? rc : app_ticket_get(a, j.id, out);
}

/* Reads and checks the body of a transition into j. */
static int parse_move(struct tjob *j, json_t *in)
{
    j->note = jstr(in, j->op == OP_REJECT ? "reason" : "note");
    if (j->note && strlen(j->note) > 2000)
        return app_invalid(j->err, j->op == OP_REJECT ? "reason" : "note",
                           "must be at most 2000 bytes");
    switch (j->op) {
    case OP_ASSIGN:
        j->akind = jstr(in, "assignee_kind");
        j->assignee = jstr(in, "assignee");
        j->company = jstr(in, "company");
        if (!str_in(j->akind, assignee_kinds))
            return app_invalid(j->err, "assignee_kind",
                               "must be engineer, elevator_tech or outside");
        if (!text_ok(j->assignee, 64))
            return app_invalid(j->err, "assignee", "must be 1 to 64 bytes");
        if (j->company && strlen(j->company) > 100)
            return app_invalid(j->err, "company", "must be at most 100 bytes");
        return 0;
    case OP_REPAIR:
        j->result = jstr(in, "result");
        if (!j->result || (strcmp(j->result, "repaired") && strcmp(j->result, "replaced")))
            return app_invalid(j->err, "result", "must be repaired or replaced");
        return text_ok(j->note, 2000) ? 0 : app_invalid(j->err, "note", "say what was done");
    case OP_REJECT:
        return text_ok(j->note, 2000) ? 0
                                      : app_invalid(j->err, "reason", "say why it is not fixed");
    case OP_NOTE:
        return text_ok(j->note, 2000) ? 0 : app_invalid(j->err, "note", "must be 1 to 2000 bytes");
    default:
        return 0;
    }
}

int app_ticket_act(struct app *a, const struct actor *who, int64_t id, const char *action,
                   json_t *in, json_t **out, struct app_err *err)
{
    struct tjob j = {.who = who, .id = id, .op = OP_CREATE, .err = err};
    for (int k = OP_ASSIGN; k <= OP_NOTE; k++)
        if (strcmp(action, moves[k].name) == 0)
            j.op = (enum tk_op)k;
    if (j.op == OP_CREATE)
        return -ENOENT;
    int rc = parse_move(&j, in);
    if (!rc)
        rc = store_write(a->st, tjob_run, &j);
    return rc ? rc : app_ticket_get(a, id, out);
}

int app_ticket_list(struct app *a, const struct ticket_filter *f, const struct page *pg,
                    json_t **out)
{
    struct store_ticket_filter sf = {.state = f->state,
                                     .kind = f->kind,
                                     .assignee = f->assignee,
                                     .device_id = f->device_id,
                                     .overdue = f->overdue};
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_ticket_list(c, &sf, clock_now_ms(), pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

/* ---- escalation of overdue tickets ---- */

struct esc_job {
    int64_t now;
    int raised;
};

static int raise_one(struct store_conn *c, struct esc_job *j, json_t *row, const char *level)
{
    int64_t tid = json_integer_value(json_object_get(row, "id"));
    int64_t late_min = (j->now - json_integer_value(json_object_get(row, "due_at"))) / MIN_MS;
    const char *to = strcmp(level, "major") == 0 ? "supervisor and manager" : "shift leader";
    char reason[160];
    snprintf(reason, sizeof reason, "not repaired by its due time (%lld min late)",
             (long long)late_min);
    int64_t eid = 0;
    int rc = store_escalation_insert_ticket(c, tid, level, reason, j->now, &eid);
    if (rc || !eid)
        return rc;
    char note[220];
    snprintf(note, sizeof note, "escalated to the %s: %s", to, reason);
    rc = store_ticket_event_add(c, tid, j->now, "system", "escalated", NULL, NULL, note);
    if (!rc)
        rc = audit(c, "system", "ticket.escalate", tid, note);
    if (!rc)
        rc = duty(c, "system", tid, 0, 0, "ticket #%lld (%s) %s", (long long)tid,
                  json_string_value(json_object_get(row, "title")), note);
    if (!rc) {
        store_conn_emit(c, "escalation",
                        json_pack("{sI sI ss ss ss}", "id", (json_int_t)eid, "ticket_id",
                                  (json_int_t)tid, "level", level, "to", to, "reason", reason));
        emit(c, tid, j->now);
        j->raised++;
    }
    return rc;
}

static int esc_job(struct store_conn *c, void *arg)
{
    struct esc_job *j = arg;
    json_t *first = NULL, *major = NULL, *row;
    int rc = store_ticket_due_escalation(c, "shift_leader", j->now, &first);
    if (!rc)
        rc = store_ticket_due_escalation(c, "major", j->now - rules.major_after * MIN_MS, &major);
    size_t i;
    json_array_foreach (first, i, row) {
        if (!rc)
            rc = raise_one(c, j, row, "shift_leader");
    }
    json_array_foreach (major, i, row) {
        if (!rc)
            rc = raise_one(c, j, row, "major");
    }
    json_decref(first);
    json_decref(major);
    return rc;
}

int app_ticket_escalate(struct app *a)
{
    struct esc_job j = {.now = clock_now_ms()};
    int rc = store_write(a->st, esc_job, &j);
    return rc ? rc : j.raised;
}

/* ---- downtime and the handover ---- */

static int cmp_start(const void *x, const void *y)
{
    const int64_t *a = x, *b = y;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* The length of the union of the rows' [start, end) intervals. */
static int64_t union_ms(json_t *rows)
{
    size_t n = json_array_size(rows);
    if (!n)
        return 0;
    int64_t(*iv)[2] = calloc(n, sizeof *iv);
    if (!iv)
        abort();
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(rows, i);
        iv[i][0] = json_integer_value(json_object_get(r, "start"));
        iv[i][1] = json_integer_value(json_object_get(r, "end"));
    }
    qsort(iv, n, sizeof *iv, cmp_start);
    int64_t total = 0, s = iv[0][0], e = iv[0][1];
    for (size_t i = 1; i < n; i++) {
        if (iv[i][0] > e) {
            total += e - s;
            s = iv[i][0];
            e = iv[i][1];
        } else if (iv[i][1] > e) {
            e = iv[i][1];
        }
    }
    total += e - s;
    free(iv);
    return total;
}

int app_device_downtime(struct app *a, int64_t device_id, int64_t from, int64_t to, json_t **out)
{
    int64_t now = clock_now_ms();
    if (!to || to > now)
        to = now;
    json_t *rows = NULL;
    char status[16];
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_ticket_device_status(c, device_id, status, sizeof status);
    if (!rc)
        rc = store_ticket_downtime(c, device_id, from, to, now, &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    char f[32], t[32];
    clock_format_iso(from, f, sizeof f);
    clock_format_iso(to, t, sizeof t);
    *out =
        json_pack("{sI ss ss ss sI so}", "device_id", (json_int_t)device_id, "status", status,
                  "from", f, "to", t, "downtime_ms", (json_int_t)union_ms(rows), "tickets", rows);
    return 0;
}

int app_ticket_handover_facts(struct store_conn *c, int64_t now, json_t *summary)
{
    json_t *rows = NULL;
    int64_t total = 0, overdue = 0;
    int rc = store_ticket_open_summary(c, now, &rows, &total, &overdue);
    if (rc)
        return rc;
    json_t *counts = json_object_get(summary, "counts");
    if (counts) {
        json_object_set_new(counts, "open_tickets", json_integer(total));
        json_object_set_new(counts, "overdue_tickets", json_integer(overdue));
    }
    json_object_set_new(summary, "open_tickets", rows);
    return 0;
}

/* ---- demo ---- */

/* A ticket on the device with code, opened at t0 and moved through the steps up to state. */
static int demo_ticket(struct store_conn *c, const char *code, const char *kind, const char *title,
                       const char *upto, int64_t t0)
{
    json_t *rows = NULL;
    int64_t dev = 0, id = 0, h = 3600 * 1000LL;
    int created = 0;
    int rc = store_device_list(c, 0, NULL, NULL, 500, 0, &rows, &id);
    size_t i;
    json_t *d;
    json_array_foreach (rows, i, d) {
        const char *dc = json_string_value(json_object_get(d, "code"));
        if (dc && strcmp(dc, code) == 0)
            dev = json_integer_value(json_object_get(d, "id"));
    }
    json_decref(rows);
    struct ticket_spec spec = {.device_id = dev, .kind = kind, .title = title};
    if (!rc)
        rc = open_in(c, strcmp(kind, "fault") == 0 ? "operator" : "system", &spec, NULL, t0, &id,
                     &created);
    int steps = strcmp(upto, "assigned") == 0 ? 1 : strcmp(upto, "closed") == 0 ? 4 : 0;
    if (!rc && steps >= 1 &&
        !(rc = store_ticket_assign(c, id, "engineer", "engineer", NULL, t0 + h)))
        rc = store_ticket_event_add(c, id, t0 + h, "operator", "assigned", "reported", "assigned",
                                    "assigned to engineer");
    if (!rc && steps >= 4 &&
        !(rc = store_ticket_repair(c, id, "replaced", "更换对射探头", "engineer", t0 + 5 * h)))
        rc = store_ticket_event_add(c, id, t0 + 5 * h, "engineer", "repaired", "assigned",
                                    "repaired", "replaced: 更换对射探头");
    if (!rc && steps >= 4 && !(rc = store_ticket_verify(c, id, "operator", t0 + 6 * h)))
        rc = store_ticket_event_add(c, id, t0 + 6 * h, "operator", "verified", "repaired",
                                    "verified", "报警测试正常");
    if (!rc && steps >= 4 && !(rc = store_ticket_close(c, id, "operator", t0 + 6 * h)))
        rc = store_ticket_event_add(c, id, t0 + 6 * h, "operator", "closed", "verified", "closed",
                                    NULL);
    if (!rc && steps >= 4 && dev)
        rc = store_device_set_status(c, dev, "normal", t0 + 6 * h);
    return rc;
}

int app_ticket_demo_in(struct store_conn *c, int64_t now)
{
    int64_t day = 86400 * 1000LL;
    int rc = demo_ticket(c, "IR-P2", "fault", "周界红外对射2区误报频繁", "closed", now - 3 * day);
    if (!rc)
        rc = demo_ticket(c, "CAM-G03", "fault", "地库摄像机03无图像", "assigned",
                         now - 6 * 3600 * 1000LL);
    if (!rc)
        rc = demo_ticket(c, "CAM-GATE-S", "camera_health", "南门摄像机离线", "reported",
                         now - 2 * 3600 * 1000LL);
    return rc;
}
