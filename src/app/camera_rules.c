/* camera_rules.c - what a camera check means: the N-persistence rule, the fault ticket and
 * equipment-trouble incident when a problem persists, the recovery record, history and live
 * events. Everything runs inside one writer job per batch of results. */
#include "app/camera.h"

#include "app/alarm.h"
#include "app/audit.h"
#include "app/camera_ticket.h"
#include "app/dutylog.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_alarm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_problem(const char *state)
{
    return strcmp(state, "unknown") != 0 && strcmp(state, "ok") != 0;
}

static int incident_open(struct store_conn *c, int64_t id)
{
    char state[16], type[16];
    return id && store_incident_state(c, id, state, sizeof state, type, sizeof type) == 0 &&
           strcmp(state, "closed") != 0;
}

/* The camera's equipment-trouble incident: the still-open one, or a new one. */
static int open_incident(struct store_conn *c, int64_t dev, const struct store_camera_state *st,
                         const char *problem, const char *detail, int64_t now, int64_t *id)
{
    char title[260];
    snprintf(title, sizeof title, "camera health: %s %s", st->name, problem);
    if (incident_open(c, st->incident_id)) {
        *id = st->incident_id;
        int rc = store_incident_event_add(c, *id, now, "system", "note", NULL, NULL, title);
        if (!rc)
            incident_emit(c, *id);
        return rc;
    }
    struct store_incident_new n = {.type = "trouble",
                                   .priority = incident_priority("trouble"),
                                   .area_id = st->area_id,
                                   .device_id = dev,
                                   .title = title,
                                   .source = "camera_health",
                                   .now = now};
    int rc = store_incident_insert(c, &n, id);
    if (!rc)
        rc = store_incident_event_add(c, *id, now, "system", "opened", NULL, "new", detail);
    struct actor sys;
    app_actor_system(&sys, "system");
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", (long long)*id);
    if (!rc)
        rc = audit_append(c, &sys, "incident.open", obj, "%s (priority %d)", title, n.priority);
    if (!rc)
        incident_emit(c, *id);
    return rc;
}

/* A problem persisted over N checks: incident, ticket, duty log, audit. */
static int act(struct store_conn *c, const struct camera_result *r,
               const struct store_camera_state *st, const char *problem, int64_t now,
               int64_t *ticket_id, int64_t *incident_id)
{
    int rc = open_incident(c, r->device_id, st, problem, r->detail, now, incident_id);
    char title[260];
    snprintf(title, sizeof title, "camera %s: %s", st->name, problem);
    int created = 0;
    if (!rc)
        rc = camera_ticket_open(c, r->device_id, title, r->detail, *incident_id, now, ticket_id,
                                &created);
    struct actor sys;
    app_actor_system(&sys, "system");
    char obj[48];
    snprintf(obj, sizeof obj, "device:%lld", (long long)r->device_id);
    if (!rc)
        rc = audit_append(c, &sys, "camera.problem", obj,
                          "%s over %lld checks: %s (incident #%lld, ticket #%lld)", problem,
                          (long long)st->persist, r->detail, (long long)*incident_id,
                          (long long)*ticket_id);
    if (!rc)
        rc = dutylog_auto(c, "system", "equipment", *incident_id,
                          "camera %s: %s over %lld checks (%s); incident #%lld, fault ticket #%lld",
                          st->name, problem, (long long)st->persist, r->detail,
                          (long long)*incident_id, (long long)*ticket_id);
    return rc;
}

/* The first good check after a problem: noted on the ticket and incident, duty log, audit. */
static int recover(struct store_conn *c, const struct camera_result *r,
                   const struct store_camera_state *st, int64_t now)
{
    char note[300];
    snprintf(note, sizeof note, "camera picture recovered (was %s): %s; awaiting verification",
             st->state, r->detail);
    int rc = 0;
    if (st->ticket_id)
        rc = camera_ticket_note(c, st->ticket_id, note, now);
    if (!rc && incident_open(c, st->incident_id)) {
        rc = store_incident_event_add(c, st->incident_id, now, "system", "restored", NULL, NULL,
                                      note);
        if (!rc)
            incident_emit(c, st->incident_id);
    }
    struct actor sys;
    app_actor_system(&sys, "system");
    char obj[48];
    snprintf(obj, sizeof obj, "device:%lld", (long long)r->device_id);
    if (!rc)
        rc = audit_append(c, &sys, "camera.recovered", obj, "was %s; ticket #%lld incident #%lld",
                          st->state, (long long)st->ticket_id, (long long)st->incident_id);
    if (!rc)
        rc = dutylog_auto(c, "system", "equipment", st->incident_id,
                          "camera %s recovered (was %s); fault ticket #%lld awaits verification",
                          st->name, st->state, (long long)st->ticket_id);
    return rc;
}

static char *metrics_json(const struct camera_result *r)
{
    if (!r->width)
        return NULL;
    json_t *m =
        json_pack("{sf sf sf sf sf sf si si si}", "mean", r->mean, "stddev", r->stddev, "sharpness",
                  r->sharpness, "clipped", r->clipped, "edges", r->edges, "fp_diff", r->fp_diff,
                  "width", r->width, "height", r->height, "same", r->same);
    char *s = m ? json_dumps(m, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
    json_decref(m);
    return s;
}

static void emit(struct store_conn *c, const struct camera_result *r, const char *from,
                 const char *to, const struct store_camera_update *u)
{
    store_conn_emit(c, "camera",
                    json_pack("{sI ss ss ss ss sI sI sI}", "device_id", (json_int_t)r->device_id,
                              "from", from, "state", to, "verdict", camera_states[r->verdict],
                              "detail", r->detail, "ticket_id", (json_int_t)u->ticket_id,
                              "incident_id", (json_int_t)u->incident_id, "checks_at",
                              (json_int_t)r->at));
}

/* Decides the new state and acts on a change. */
static int apply(struct store_conn *c, struct camera_result *r, struct store_camera_state *st,
                 struct store_camera_update *u)
{
    const char *verdict = camera_states[r->verdict];
    const char *to = st->state;
    int rc = 0;
    if (r->verdict == CAM_OK) {
        u->streak = 0;
        if (is_problem(st->state))
            rc = recover(c, r, st, r->at);
        to = "ok";
    } else {
        u->streak = st->streak + 1;
        if (is_problem(st->state))
            to = verdict; /* still a problem, maybe another one: no second ticket */
        else if (u->streak >= st->persist) {
            to = verdict;
            rc = act(c, r, st, verdict, r->at, &u->ticket_id, &u->incident_id);
        }
    }
    u->state = to;
    u->state_since = strcmp(to, st->state) != 0 ? r->at : st->state_since;
    if (!rc && strcmp(to, st->state) != 0) {
        rc = store_camera_history_add(c, r->device_id, r->at, st->state, to, r->detail,
                                      u->ticket_id, u->incident_id);
        emit(c, r, st->state, to, u);
    }
    return rc;
}

static int record_one(struct store_conn *c, struct camera_result *r)
{
    struct store_camera_state st;
    int rc = store_camera_state_get(c, r->device_id, &st);
    if (rc == -ENOENT)
        return 0; /* the configuration was removed while the check ran */
    if (rc)
        return rc;
    char *metrics = metrics_json(r);
    struct store_camera_update u = {.device_id = r->device_id,
                                    .at = r->at,
                                    .verdict = camera_states[r->verdict],
                                    .detail = r->detail,
                                    .metrics = metrics,
                                    .fp = r->has_fp ? r->fp : NULL,
                                    .same = r->same,
                                    .next_check_at = r->at + st.interval_s * 1000,
                                    .ticket_id = st.ticket_id,
                                    .incident_id = st.incident_id,
                                    .thumb = r->thumb,
                                    .thumb_len = r->thumb_len};
    rc = apply(c, r, &st, &u);
    if (!rc)
        rc = store_camera_update(c, &u);
    free(metrics);
    return rc;
}

struct record_job {
    struct camera_result *res;
    size_t n;
};

static int record_job_run(struct store_conn *c, void *arg)
{
    struct record_job *j = arg;
    for (size_t i = 0; i < j->n; i++) {
        int rc = record_one(c, &j->res[i]);
        if (rc)
            return rc;
    }
    return 0;
}

int app_camera_record(struct app *a, struct camera_result *res, size_t n)
{
    struct record_job j = {res, n};
    int rc = n ? store_write(a->st, record_job_run, &j) : 0;
    if (rc == 0 || rc == -EIO || rc == -EBUSY || n == 1)
        return rc;
    /* One result the rules refuse must not hold back the others: one job each. */
    int first = 0;
    for (size_t i = 0; i < n; i++) {
        struct record_job one = {&res[i], 1};
        int r = store_write(a->st, record_job_run, &one);
        if (r && !first)
            first = r;
    }
    return first;
}

/* ---- demo ---- */

struct demo_job {
    int port;
};

/* Which demo picture each demo camera shows: most are fine, a few show problems. */
static const char *demo_picture(const char *code)
{
    static const struct {
        const char *code, *pic;
    } t[] = {{"CAM-GATE-E", "gate-blurred"},
             {"CAM-GARDEN", "garden-dark"},
             {"CAM-GATE-S", "unplugged"}}; /* no such file: HTTP 404, offline */
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (code && strcmp(code, t[i].code) == 0)
            return t[i].pic;
    return NULL;
}

static int demo_job_run(struct store_conn *c, void *arg)
{
    struct demo_job *j = arg;
    json_t *rows = NULL;
    int rc = store_camera_devices(c, &rows);
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        const char *url = json_string_value(json_object_get(r, "url"));
        if (rc || (url && !strstr(url, "/img/demo-cameras/")))
            continue; /* configured by someone: left alone */
        const char *code = json_string_value(json_object_get(r, "code"));
        const char *pic = demo_picture(code);
        char u[200];
        if (pic)
            snprintf(u, sizeof u, "http://127.0.0.1:%d/img/demo-cameras/%s.jpg", j->port, pic);
        else
            snprintf(u, sizeof u, "http://127.0.0.1:%d/img/demo-cameras/scene-%zu.jpg", j->port,
                     i % 4 + 1);
        struct store_camera_cfg cfg = {.device_id = json_integer_value(json_object_get(r, "id")),
                                       .url = u,
                                       .auth = "none",
                                       .interval_s = 60,
                                       .timeout_ms = 3000,
                                       .persist = 30, /* tickets after half an hour: see docs */
                                       .enabled = 1};
        camera_thresholds_default(&cfg.th);
        cfg.th.frozen_k = 100; /* the demo pictures are files: they never change */
        rc = store_camera_upsert(c, &cfg, clock_now_ms());
    }
    json_decref(rows);
    return rc;
}

int app_camera_demo(struct app *a, int port)
{
    struct demo_job j = {port};
    return store_write(a->st, demo_job_run, &j);
}
