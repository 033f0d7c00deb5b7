/* checklist.c - validating the checklist data, rendering an incident's checklist, recording
 * steps and calls. */
#include "app/checklist.h"

#include "app/alarm.h"
#include "app/audit.h"
#include "app/site.h"
#include "core/clock.h"
#include "store/store_alarm.h"
#include "store/store_model.h"
#include "store/store_response.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int has_langs(json_t *o)
{
    return json_is_string(json_object_get(o, "zh-CN")) && json_is_string(json_object_get(o, "en"));
}

static int check_step(json_t *st, size_t i, const char *type, char *err, size_t errsz)
{
    const char *id = json_string_value(json_object_get(st, "id"));
    if (!id || !*id || !has_langs(json_object_get(st, "text")) ||
        !json_is_boolean(json_object_get(st, "required"))) {
        snprintf(err, errsz, "checklist %s: step %zu needs id, required and text {zh-CN, en}", type,
                 i + 1);
        return -EINVAL;
    }
    const char *contact = json_string_value(json_object_get(st, "contact"));
    if (contact && !str_in(contact, contact_roles)) {
        snprintf(err, errsz, "checklist %s: step %s names unknown contact role %s", type, id,
                 contact);
        return -EINVAL;
    }
    json_t *facts = json_object_get(st, "facts"), *f;
    size_t k;
    json_array_foreach (facts, k, f) {
        if (!json_is_string(json_object_get(f, "id")) || !has_langs(json_object_get(f, "label"))) {
            snprintf(err, errsz, "checklist %s: step %s fact %zu needs id and label", type, id,
                     k + 1);
            return -EINVAL;
        }
    }
    return 0;
}

int app_checklist_add(struct app *a, json_t *cl, char *err, size_t errsz)
{
    const char *type = json_string_value(json_object_get(cl, "type"));
    json_t *steps = json_object_get(cl, "steps");
    if (!type || !str_in(type, incident_types) || !has_langs(json_object_get(cl, "title")) ||
        !json_is_array(steps) || json_array_size(steps) == 0) {
        snprintf(err, errsz, "a checklist needs a known type, a title {zh-CN, en} and steps");
        return -EINVAL;
    }
    size_t i;
    json_t *st;
    json_array_foreach (steps, i, st) {
        int rc = check_step(st, i, type, err, errsz);
        if (rc)
            return rc;
    }
    if (!a->checklists)
        a->checklists = json_object();
    json_object_set(a->checklists, type, cl);
    return 0;
}

int app_checklists_complete(struct app *a, char *err, size_t errsz)
{
    for (const char *const *t = incident_types; *t; t++) {
        if (!json_object_get(a->checklists, *t)) {
            snprintf(err, errsz, "no checklist for incident type %s", *t);
            return -ENOENT;
        }
    }
    return 0;
}

static json_t *find_row(json_t *rows, const char *step)
{
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        const char *s = json_string_value(json_object_get(r, "step"));
        if (s && strcmp(s, step) == 0)
            return r;
    }
    return NULL;
}

static int applies(json_t *st, const char *verdict, int injured)
{
    const char *when = json_string_value(json_object_get(st, "when"));
    const char *flag = json_string_value(json_object_get(st, "when_flag"));
    if (when && (!verdict || strcmp(when, verdict) != 0))
        return 0;
    if (flag && !(strcmp(flag, "injured") == 0 && injured))
        return 0;
    return 1;
}

json_t *checklist_render(struct app *a, const char *type, const char *verdict, int injured,
                         json_t *step_rows)
{
    json_t *out = json_array();
    json_t *cl = json_object_get(a->checklists, type);
    size_t i;
    json_t *st;
    json_array_foreach (json_object_get(cl, "steps"), i, st) {
        json_t *s = json_deep_copy(st);
        json_t *row = find_row(step_rows, json_string_value(json_object_get(st, "id")));
        json_object_set_new(s, "applies", json_boolean(applies(st, verdict, injured)));
        json_object_set_new(
            s, "status", row ? json_incref(json_object_get(row, "status")) : json_string("open"));
        if (row) {
            json_object_set(s, "reason", json_object_get(row, "reason"));
            json_object_set(s, "actor", json_object_get(row, "actor"));
            json_object_set(s, "at", json_object_get(row, "at"));
            const char *facts = json_string_value(json_object_get(row, "facts"));
            json_t *fv = facts ? json_loads(facts, 0, NULL) : NULL;
            json_object_set_new(s, "values", fv ? fv : json_object());
        }
        json_array_append_new(out, s);
    }
    return out;
}

int checklist_check_complete(struct app *a, const char *type, const char *verdict, int injured,
                             json_t *step_rows, struct app_err *err)
{
    json_t *cl = json_object_get(a->checklists, type);
    size_t i;
    json_t *st;
    json_array_foreach (json_object_get(cl, "steps"), i, st) {
        const char *id = json_string_value(json_object_get(st, "id"));
        if (json_is_true(json_object_get(st, "required")) && applies(st, verdict, injured) &&
            !find_row(step_rows, id))
            return app_invalid(err, "checklist",
                               "required step \"%s\" is neither done nor skipped with a reason",
                               id);
    }
    return 0;
}

static json_t *find_step(struct app *a, const char *type, const char *id)
{
    size_t i;
    json_t *st;
    json_array_foreach (json_object_get(json_object_get(a->checklists, type), "steps"), i, st) {
        const char *sid = json_string_value(json_object_get(st, "id"));
        if (sid && strcmp(sid, id) == 0)
            return st;
    }
    return NULL;
}

/* Keeps only the declared facts, as strings of at most 200 bytes. */
static int clean_facts(json_t *def, json_t *in, char **out, struct app_err *err)
{
    *out = NULL;
    if (!in)
        return 0;
    if (!json_is_object(in) || !json_is_array(json_object_get(def, "facts")))
        return app_invalid(err, "facts", "this step collects no facts");
    json_t *clean = json_object();
    const char *k;
    json_t *v;
    json_object_foreach (in, k, v) {
        int known = 0;
        size_t i;
        json_t *f;
        json_array_foreach (json_object_get(def, "facts"), i, f)
            known |= strcmp(json_string_value(json_object_get(f, "id")), k) == 0;
        if (!known || !json_is_string(v) || json_string_length(v) > 200) {
            json_decref(clean);
            return app_invalid(err, "facts", "unknown fact or value over 200 bytes: %.40s", k);
        }
        json_object_set(clean, k, v);
    }
    *out = json_dumps(clean, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(clean);
    return 0;
}

struct step_job {
    const struct actor *who;
    int64_t id;
    const char *step, *status, *reason, *facts;
    int set_flag;
};

static int step_job(struct store_conn *c, void *arg)
{
    struct step_job *j = arg;
    int64_t now = clock_now_ms();
    int rc = store_step_set(c, j->id, j->step, j->status, j->reason, j->facts, j->who->name, now);
    if (!rc && j->set_flag)
        rc = store_incident_set_injured(c, j->id, strcmp(j->status, "done") == 0);
    char note[300];
    snprintf(note, sizeof note, "%s %s%s%s", j->step, j->status, j->reason ? ": " : "",
             j->reason ? j->reason : "");
    if (!rc)
        rc = store_incident_event_add(c, j->id, now, j->who->name, "step", NULL, NULL, note);
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "incident.step", obj, "%s", note);
    if (!rc)
        incident_emit(c, j->id);
    return rc;
}

static int incident_type(struct app *a, int64_t id, char *type, size_t n)
{
    char state[16];
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_incident_state(c, id, state, sizeof state, type, n);
    store_read_end(a->st, c);
    return rc;
}

int app_incident_step(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                      struct app_err *err)
{
    char type[16], state[16];
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_incident_state(c, id, state, sizeof state, type, sizeof type);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    if (strcmp(state, "closed") == 0)
        return app_invalid(err, "", "the incident is closed");
    struct step_job j = {.who = who, .id = id};
    j.step = json_string_value(json_object_get(in, "step"));
    j.status = json_string_value(json_object_get(in, "status"));
    j.reason = json_string_value(json_object_get(in, "reason"));
    json_t *def = j.step ? find_step(a, type, j.step) : NULL;
    if (!def)
        return app_invalid(err, "step", "is not a step of the %s checklist", type);
    if (!j.status || (strcmp(j.status, "done") && strcmp(j.status, "skipped")))
        return app_invalid(err, "status", "must be done or skipped");
    if (strcmp(j.status, "skipped") == 0 && (!j.reason || !*j.reason))
        return app_invalid(err, "reason", "skipping a step needs a reason");
    char *facts = NULL;
    rc = clean_facts(def, json_object_get(in, "facts"), &facts, err);
    if (rc)
        return rc;
    j.facts = facts;
    j.set_flag = json_string_value(json_object_get(def, "flag")) != NULL;
    rc = store_write(a->st, step_job, &j);
    free(facts);
    return rc ? rc : app_incident_get(a, id, out);
}

struct call_job {
    const struct actor *who;
    int64_t id, contact_id;
    const char *note;
};

static int call_job(struct store_conn *c, void *arg)
{
    struct call_job *j = arg;
    json_t *ct = NULL;
    int rc = store_contact_get(c, j->contact_id, &ct);
    if (rc == -ENOENT)
        return -ENODEV;
    if (rc)
        return rc;
    char note[400];
    snprintf(note, sizeof note, "%s %s%s%s", json_string_value(json_object_get(ct, "name")),
             json_string_value(json_object_get(ct, "phone")), j->note ? " — " : "",
             j->note ? j->note : "");
    json_decref(ct);
    int64_t now = clock_now_ms();
    rc = store_incident_event_add(c, j->id, now, j->who->name, "call", NULL, NULL, note);
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "incident.call", obj, "called contact %lld",
                          (long long)j->contact_id);
    if (!rc)
        incident_emit(c, j->id);
    return rc;
}

int app_incident_call(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                      struct app_err *err)
{
    char type[16];
    int rc = incident_type(a, id, type, sizeof type);
    if (rc)
        return rc;
    struct call_job j = {.who = who, .id = id};
    j.contact_id = json_integer_value(json_object_get(in, "contact_id"));
    j.note = json_string_value(json_object_get(in, "note"));
    rc = store_write(a->st, call_job, &j);
    if (rc == -ENODEV)
        return app_invalid(err, "contact_id", "no such contact");
    return rc ? rc : app_incident_get(a, id, out);
}
