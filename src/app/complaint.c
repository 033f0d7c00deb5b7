/* complaint.c - complaints and inquiries. */
#include "app/complaint.h"

#include "app/audit.h"
#include "app/dutylog.h"
#include "app/site.h"
#include "core/clock.h"
#include "store/store_auth.h"
#include "store/store_complaint.h"
#include "store/store_response.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const complaint_categories[] = {
    "security", "noise", "facilities", "parking", "hygiene", "neighbour", "service", "other", NULL};
const char *const complaint_states[] = {"open", "in_progress", "resolved", "closed", NULL};
static const char *const channels[] = {"phone", "intercom", "walk_in", "other", NULL};
static const char *const urgencies[] = {"normal", "urgent", "major", NULL};

#define HOUR_MS (3600 * 1000LL)

/* How long a complaint may take before it is overdue (complaint.due_hours* keys). */
static int64_t due_in(const struct conf *cf, const char *urgency, const char *category)
{
    if (strcmp(urgency, "major") == 0)
        return cf->complaint_due_major * HOUR_MS;
    if (strcmp(urgency, "urgent") == 0)
        return cf->complaint_due_urgent * HOUR_MS;
    return conf_complaint_due_hours(cf, category) * HOUR_MS;
}

static const char *jstr(json_t *in, const char *k)
{
    return json_string_value(json_object_get(in, k));
}

static void mask(json_t *row)
{
    const char *n = json_string_value(json_object_get(row, "contact_name"));
    const char *p = json_string_value(json_object_get(row, "contact_phone"));
    if (n) {
        char *m = mask_name(n);
        json_object_set_new(row, "contact_name", json_string(m));
        free(m);
    }
    if (p) {
        char *m = mask_phone(p);
        json_object_set_new(row, "contact_phone", json_string(m));
        free(m);
    }
    json_object_set_new(row, "masked", json_true());
}

static int user_active(struct store_conn *c, const char *username)
{
    struct store_user u;
    return store_user_by_name(c, username, &u) == 0 && !u.disabled;
}

struct cjob {
    const struct actor *who;
    const struct conf *cf;
    struct store_complaint_new n;
    int64_t id;
    const char *text;
    int satisfaction;
    int op; /* 0 create, 1 assign, 2 resolve, 3 return visit */
    struct app_err *err;
};

static int escalate(struct store_conn *c, struct cjob *j, int64_t now)
{
    int64_t eid = 0;
    int rc = store_escalation_insert_complaint(c, j->id, "major complaint", now, &eid);
    if (rc || !eid)
        return rc;
    store_conn_emit(c, "escalation",
                    json_pack("{sI sI ss ss ss}", "id", (json_int_t)eid, "complaint_id",
                              (json_int_t)j->id, "level", "major", "to", "supervisor and manager",
                              "reason", "major complaint"));
    return dutylog_auto(c, "system", "complaint", 0,
                        "complaint #%lld escalated to the supervisor and manager (major)",
                        (long long)j->id);
}

static int create(struct store_conn *c, struct cjob *j, int64_t now)
{
    if (j->n.assignee && !user_active(c, j->n.assignee))
        return app_invalid(j->err, "assignee", "is not an active user");
    j->n.opened_at = now;
    j->n.due_at = now + due_in(j->cf, j->n.urgency, j->n.category);
    int rc = store_complaint_insert(c, &j->n, &j->id);
    if (rc == -EINVAL)
        return app_invalid(j->err, "resident_id", "no such resident");
    if (!rc)
        rc = dutylog_auto(c, j->who->name, "complaint", 0, "complaint #%lld (%s, %s) from unit %s",
                          (long long)j->id, j->n.category, j->n.urgency, j->n.unit);
    if (!rc && strcmp(j->n.urgency, "major") == 0)
        rc = escalate(c, j, now);
    return rc;
}

/* The allowed moves: assign from open/in_progress; resolve from open/in_progress; return visit
 * from resolved only (the result must have been given back first). */
static int check_state(struct store_conn *c, struct cjob *j)
{
    char state[16];
    int rc = store_complaint_state(c, j->id, state, sizeof state);
    if (rc)
        return rc;
    int ok = j->op == 3 ? strcmp(state, "resolved") == 0
                        : (strcmp(state, "open") == 0 || strcmp(state, "in_progress") == 0);
    if (!ok)
        return app_invalid(j->err, "state",
                           j->op == 3 ? "the result must be given back to the resident first"
                                      : "the complaint is already %s",
                           state);
    return 0;
}

static int cjob_run(struct store_conn *c, void *arg)
{
    struct cjob *j = arg;
    int64_t now = clock_now_ms();
    int rc;
    static const char *const actions[] = {"complaint.create", "complaint.assign",
                                          "complaint.resolve", "complaint.return_visit"};
    if (j->op == 0) {
        rc = create(c, j, now);
    } else {
        rc = check_state(c, j);
        if (!rc && j->op == 1)
            rc = user_active(c, j->text)
                     ? store_complaint_assign(c, j->id, j->text, j->who->name, now)
                     : app_invalid(j->err, "assignee", "is not an active user");
        else if (!rc && j->op == 2)
            rc = store_complaint_resolve(c, j->id, j->text, j->who->name, now,
                                         now + j->cf->complaint_return_visit_hours * HOUR_MS);
        else if (!rc)
            rc =
                store_complaint_return_visit(c, j->id, j->satisfaction, j->text, j->who->name, now);
        if (!rc && j->op >= 2)
            rc = dutylog_auto(c, j->who->name, "complaint", 0, "complaint #%lld %s",
                              (long long)j->id,
                              j->op == 2 ? "resolved: result given back to the resident"
                                         : "return visit done, closed");
    }
    char obj[48];
    snprintf(obj, sizeof obj, "complaint:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, actions[j->op], obj, "%s", actions[j->op] + 10);
    if (!rc)
        store_conn_emit(c, "complaint", json_pack("{sI}", "id", (json_int_t)j->id));
    return rc;
}

struct reveal_job {
    const struct actor *who;
    int64_t id;
    json_t *row;
};

/* The read and its audit record are one transaction: no record, no data (S5). */
static int reveal_job(struct store_conn *c, void *arg)
{
    struct reveal_job *j = arg;
    int rc = store_complaint_get(c, j->id, clock_now_ms(), &j->row);
    char obj[48];
    snprintf(obj, sizeof obj, "complaint:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "complaint.reveal", obj, "contact data read");
    if (rc) {
        json_decref(j->row);
        j->row = NULL;
    }
    return rc;
}

int app_complaint_get(struct app *a, const struct actor *who, int64_t id, int reveal, json_t **out)
{
    if (reveal) {
        if (!(who->perms & PERM_BIT(PERM_RESIDENT_PII)))
            return -EACCES;
        struct reveal_job j = {.who = who, .id = id};
        int rc = store_write(a->st, reveal_job, &j);
        if (rc)
            return rc;
        json_object_set_new(j.row, "masked", json_false());
        *out = j.row;
        return 0;
    }
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_complaint_get(c, id, clock_now_ms(), out);
    store_read_end(a->st, c);
    if (!rc)
        mask(*out);
    return rc;
}

static int run(struct app *a, struct cjob *j, json_t **out)
{
    j->cf = a->conf;
    int rc = store_write(a->st, cjob_run, j);
    return rc ? rc : app_complaint_get(a, j->who, j->id, 0, out);
}

int app_complaint_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                         struct app_err *err)
{
    struct cjob j = {.who = who, .err = err};
    j.n.channel = jstr(in, "channel");
    j.n.unit = jstr(in, "unit");
    j.n.contact_name = jstr(in, "contact_name");
    j.n.contact_phone = jstr(in, "contact_phone");
    j.n.category = jstr(in, "category");
    j.n.description = jstr(in, "description");
    j.n.urgency = jstr(in, "urgency") ? jstr(in, "urgency") : "normal";
    j.n.assignee = jstr(in, "assignee");
    j.n.resident_id = json_integer_value(json_object_get(in, "resident_id"));
    j.n.created_by = who->name;
    if (!str_in(j.n.channel, channels))
        return app_invalid(err, "channel", "must be phone, intercom, walk_in or other");
    if (!str_in(j.n.category, complaint_categories))
        return app_invalid(err, "category", "is not a complaint category");
    if (!str_in(j.n.urgency, urgencies))
        return app_invalid(err, "urgency", "must be normal, urgent or major");
    if (!j.n.unit || !*j.n.unit || strlen(j.n.unit) > 32)
        return app_invalid(err, "unit", "must be 1 to 32 bytes");
    if (!j.n.contact_name || !*j.n.contact_name || strlen(j.n.contact_name) > 64)
        return app_invalid(err, "contact_name", "must be 1 to 64 bytes");
    if (j.n.contact_phone && strlen(j.n.contact_phone) > 20)
        return app_invalid(err, "contact_phone", "must be at most 20 bytes");
    if (!j.n.description || !*j.n.description || strlen(j.n.description) > 4000)
        return app_invalid(err, "description", "must be 1 to 4000 bytes");
    return run(a, &j, out);
}

int app_complaint_assign(struct app *a, const struct actor *who, int64_t id, json_t *in,
                         json_t **out, struct app_err *err)
{
    struct cjob j = {.who = who, .id = id, .op = 1, .err = err, .text = jstr(in, "assignee")};
    if (!j.text || !*j.text)
        return app_invalid(err, "assignee", "is required");
    return run(a, &j, out);
}

int app_complaint_resolve(struct app *a, const struct actor *who, int64_t id, json_t *in,
                          json_t **out, struct app_err *err)
{
    struct cjob j = {.who = who, .id = id, .op = 2, .err = err, .text = jstr(in, "result")};
    if (!j.text || !*j.text || strlen(j.text) > 2000)
        return app_invalid(err, "result",
                           "say what was given back to the resident (1 to 2000 "
                           "bytes)");
    return run(a, &j, out);
}

int app_complaint_return_visit(struct app *a, const struct actor *who, int64_t id, json_t *in,
                               json_t **out, struct app_err *err)
{
    struct cjob j = {.who = who, .id = id, .op = 3, .err = err, .text = jstr(in, "note")};
    json_t *s = json_object_get(in, "satisfaction");
    j.satisfaction = (int)json_integer_value(s);
    if (!json_is_integer(s) || j.satisfaction < 1 || j.satisfaction > 5)
        return app_invalid(err, "satisfaction", "must be 1 (very unhappy) to 5 (very happy)");
    if (j.text && strlen(j.text) > 2000)
        return app_invalid(err, "note", "must be at most 2000 bytes");
    return run(a, &j, out);
}

int app_complaint_list(struct app *a, const char *state, const char *category, int overdue,
                       const struct page *pg, json_t **out)
{
    json_t *rows = NULL, *row;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_complaint_list(c, state, category, overdue, clock_now_ms(), pg->limit,
                                  pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    size_t i;
    json_array_foreach (rows, i, row)
        mask(row);
    *out = app_list_json(rows, total, pg);
    return 0;
}

int app_complaint_stats(struct app *a, int64_t from, int64_t to, json_t **out)
{
    json_t *rows = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_complaint_stats(c, from, to, clock_now_ms(), &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = json_pack("{so}", "by_category", rows);
    return 0;
}
