/* handover.c - shift handover. */
#include "app/handover.h"

#include "app/audit.h"
#include "app/recording.h"
#include "app/auth.h"
#include "app/dutylog.h"
#include "app/equipment.h"
#include "app/shift.h"
#include "core/clock.h"
#include "store/store_auth.h"
#include "store/store_handover.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Verifies who's own password (an electronic signature, checked like a login). */
static int signature_ok(struct app *a, const struct actor *who, const char *password)
{
    struct store_user u;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_user_by_name(c, who->name, &u);
    store_read_end(a->st, c);
    if (rc || u.disabled || !password || strlen(password) > 1024)
        return 0;
    return auth_password_verify(u.pw_hash, password);
}

struct ho_job {
    const struct actor *who;
    const struct conf *cf;
    int64_t id;
    const char *note, *reason, *override_reason;
    int controls_auto;
    int op; /* 0 start, 1 sign, 2 force, 3 override (shift_opening_check writes its records) */
    struct app_err *err;
};

/* The summary: the store's facts plus equipment care's (open tickets, checks due). */
static int compile(struct store_conn *c, int64_t now, json_t **summary)
{
    int rc = store_handover_facts(c, now, summary);
    if (!rc && ((rc = app_equipment_handover_facts(c, now, *summary)) != 0 ||
                (rc = app_recording_handover_facts(c, now, *summary)) != 0)) {
        json_decref(*summary);
        *summary = NULL;
    }
    return rc;
}

static int start(struct store_conn *c, struct ho_job *j, int64_t now)
{
    json_t *summary = NULL;
    int rc = compile(c, now, &summary);
    if (rc)
        return rc;
    rc = shift_handover_facts(c, j->cf, now, summary);
    if (rc) {
        json_decref(summary);
        return rc;
    }
    char *text = json_dumps(summary, JSON_COMPACT);
    json_decref(summary);
    rc = store_handover_insert(c, now, j->who->name, text, j->note, j->controls_auto, &j->id);
    free(text);
    if (rc == -EEXIST)
        return app_refuse(j->err, "handover-pending", "",
                          "a handover is already waiting for its incoming signature");
    return rc;
}

static int finish(struct store_conn *c, struct ho_job *j, int64_t now)
{
    char state[16], outgoing[64];
    int rc = store_handover_state(c, j->id, state, sizeof state, outgoing, sizeof outgoing);
    if (rc)
        return rc;
    if (strcmp(state, "pending") != 0)
        return app_refuse(j->err, "handover-closed", "", "this handover is already %s", state);
    if (j->op == 1 && strcmp(outgoing, j->who->name) == 0)
        return app_refuse(j->err, "same-signer", "password",
                          "the same person cannot sign both sides of a handover");
    rc = shift_opening_check(c, j->cf, j->who, j->id, j->override_reason, j->op == 3, now, j->err);
    if (rc || j->op == 3)
        return rc;
    return j->op == 1 ? store_handover_sign_in(c, j->id, j->who->name, now)
                      : store_handover_force(c, j->id, j->who->name, j->reason, now);
}

static int ho_job(struct store_conn *c, void *arg)
{
    struct ho_job *j = arg;
    int64_t now = clock_now_ms();
    int rc = j->op == 0 ? start(c, j, now) : finish(c, j, now);
    static const char *const actions[] = {"handover.start", "handover.sign", "handover.force",
                                          "handover.override"};
    char obj[48];
    snprintf(obj, sizeof obj, "handover:%lld", (long long)j->id);
    if (!rc && j->op == 3) {
        store_conn_emit(c, "handover",
                        json_pack("{sI ss}", "id", (json_int_t)j->id, "action", "override"));
        return 0;
    }
    if (!rc)
        rc = audit_append(c, j->who, actions[j->op], obj, "%s",
                          j->op == 0   ? "outgoing signature"
                          : j->op == 1 ? "incoming signature"
                                       : "forced without the incoming signature");
    if (!rc)
        rc =
            dutylog_auto(c, j->who->name, "handover", 0, "handover #%lld: %s%s%s", (long long)j->id,
                         j->op == 0   ? "signed by the outgoing operator"
                         : j->op == 1 ? "signed by the incoming operator: shift taken over"
                                      : "forced by the shift leader: ",
                         j->op == 2 ? j->reason : "",
                         j->op == 0 && !j->controls_auto
                             ? " (NOT all control handles confirmed in automatic position)"
                             : "");
    if (!rc)
        store_conn_emit(
            c, "handover",
            json_pack("{sI ss}", "id", (json_int_t)j->id, "action", actions[j->op] + 9));
    return rc;
}

static int run(struct app *a, struct ho_job *j, json_t **out)
{
    j->cf = a->conf;
    int rc = store_write(a->st, ho_job, j);
    return rc ? rc : app_handover_get(a, j->id, out);
}

int app_handover_start(struct app *a, const struct actor *who, json_t *in, json_t **out,
                       struct app_err *err)
{
    struct ho_job j = {.who = who, .err = err};
    json_t *ca = json_object_get(in, "controls_auto");
    j.note = json_string_value(json_object_get(in, "note"));
    if (!json_is_boolean(ca))
        return app_invalid(err, "controls_auto",
                           "confirm whether every control handle is in the automatic position");
    j.controls_auto = json_is_true(ca);
    if (j.note && strlen(j.note) > 4000)
        return app_invalid(err, "note", "must be at most 4000 bytes");
    if (!signature_ok(a, who, json_string_value(json_object_get(in, "password"))))
        return app_refuse(err, "wrong-signature", "password",
                          "the signature (your password) is wrong");
    return run(a, &j, out);
}

/* The optional override reason of a sign or force request. */
static int override_field(json_t *in, const char **reason, struct app_err *err)
{
    *reason = json_string_value(json_object_get(in, "override_reason"));
    if (*reason && (!**reason || strlen(*reason) > 500))
        return app_invalid(err, "override_reason", "must be 1 to 500 bytes");
    return 0;
}

int app_handover_sign(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                      struct app_err *err)
{
    struct ho_job j = {.who = who, .id = id, .op = 1, .err = err};
    int rc = override_field(in, &j.override_reason, err);
    if (rc)
        return rc;
    if (!signature_ok(a, who, json_string_value(json_object_get(in, "password"))))
        return app_refuse(err, "wrong-signature", "password",
                          "the signature (your password) is wrong");
    return run(a, &j, out);
}

int app_handover_force(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                       struct app_err *err)
{
    struct ho_job j = {.who = who, .id = id, .op = 2, .err = err};
    j.reason = json_string_value(json_object_get(in, "reason"));
    if (!j.reason || !*j.reason || strlen(j.reason) > 500)
        return app_invalid(err, "reason", "forcing a handover needs a reason (1 to 500 bytes)");
    int rc = override_field(in, &j.override_reason, err);
    return rc ? rc : run(a, &j, out);
}

int app_handover_override(struct app *a, const struct actor *who, int64_t id, json_t *in,
                          json_t **out, struct app_err *err)
{
    struct ho_job j = {.who = who, .id = id, .op = 3, .err = err};
    j.override_reason = json_string_value(json_object_get(in, "reason"));
    if (!j.override_reason || !*j.override_reason || strlen(j.override_reason) > 500)
        return app_invalid(err, "reason", "an override needs a reason (1 to 500 bytes)");
    if (!signature_ok(a, who, json_string_value(json_object_get(in, "password"))))
        return app_refuse(err, "wrong-signature", "password",
                          "the signature (your password) is wrong");
    return run(a, &j, out);
}

static void parse_summary(json_t *row)
{
    const char *s = json_string_value(json_object_get(row, "summary"));
    json_t *v = s ? json_loads(s, 0, NULL) : NULL;
    json_object_set_new(row, "summary", v ? v : json_object());
}

int app_handover_get(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_handover_get(c, id, out);
    /* While pending: the staffing the incoming shift would open with now. */
    json_t *st = NULL;
    if (!rc && strcmp(json_string_value(json_object_get(*out, "state")), "pending") == 0 &&
        shift_staffing(c, a->conf, clock_now_ms(), &st) == 0)
        json_object_set_new(*out, "staffing", st);
    store_read_end(a->st, c);
    if (!rc)
        parse_summary(*out);
    return rc;
}

static int app_staffing(struct app *a, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = shift_staffing(c, a->conf, clock_now_ms(), out);
    store_read_end(a->st, c);
    return rc;
}

int app_handover_list(struct app *a, int pending, const struct page *pg, json_t **out)
{
    json_t *rows = NULL, *row;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_handover_list(c, pending, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    size_t i;
    json_array_foreach (rows, i, row) {
        parse_summary(row);
        json_t *st = NULL;
        /* The pending one: the staffing the incoming shift would open with now. */
        if (strcmp(json_string_value(json_object_get(row, "state")), "pending") == 0 &&
            app_staffing(a, &st) == 0)
            json_object_set_new(row, "staffing", st);
    }
    *out = app_list_json(rows, total, pg);
    return 0;
}

int app_handover_preview(struct app *a, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int64_t now = clock_now_ms();
    int rc = compile(c, now, out);
    if (!rc) {
        rc = shift_handover_facts(c, a->conf, now, *out);
        if (rc)
            json_decref(*out);
    }
    store_read_end(a->st, c);
    return rc;
}
