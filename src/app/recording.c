/* recording.c - the recording access register (see recording.h). */
#include "app/recording.h"

#include "app/audit.h"
#include "app/dutylog.h"
#include "core/clock.h"
#include "core/conf.h"
#include "store/store_model.h"
#include "store/store_recording.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MINUTE_MS 60000LL
#define DAY_MS 86400000LL

/* The local calendar day (as days since the epoch) of the recording holding instant t. */
static int64_t recording_day(int64_t t, int cut_minute)
{
    char local[32];
    int y, mo, d;
    if (clock_format_local(t - cut_minute * MINUTE_MS, local, sizeof local) != 0 ||
        sscanf(local, "%d-%d-%d", &y, &mo, &d) != 3)
        return (t - cut_minute * MINUTE_MS) / DAY_MS;
    return clock_days_from_civil(y, (unsigned)mo, (unsigned)d);
}

/* The instant of the cut on local day `day` (days since the epoch). */
static int64_t cut_of(int64_t day, int cut_minute)
{
    int y, mo, d;
    clock_civil_from_days(day, &y, &mo, &d);
    int64_t at;
    if (clock_local_make(y, mo, d, cut_minute, &at) != 0)
        at = day * DAY_MS + cut_minute * MINUTE_MS;
    return at;
}

int64_t recording_expires_at(int64_t t, int keep_days, int cut_minute)
{
    return cut_of(recording_day(t, cut_minute) + keep_days, cut_minute);
}

int64_t recording_oldest_kept(int64_t now, int keep_days, int cut_minute)
{
    /* The recording of day D is overwritten at the cut of day D + keep_days: the oldest one
     * still kept is the one of today's recording day minus keep_days - 1. */
    return cut_of(recording_day(now, cut_minute) - keep_days + 1, cut_minute);
}

/* The length in bytes of the UTF-8 character starting at p (1 for a stray byte). */
static size_t char_len(const unsigned char *p)
{
    size_t n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

void recording_mask(const char *v, char *out, size_t n)
{
    size_t chars = 0, at = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p += char_len(p))
        chars++;
    /* A quarter at each end (the usual 1101**********1234 of an 18-digit ID), none when short. */
    size_t keep = chars >= 6 ? chars / 4 : 0, i = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; i++) {
        size_t cl = char_len(p);
        int shown = i < keep || i >= chars - keep;
        size_t need = shown ? cl : 1;
        if (at + need >= n)
            break;
        if (shown)
            memcpy(out + at, p, cl);
        else
            out[at] = '*';
        at += need;
        p += cl;
    }
    out[at] = '\0';
}

static int cut_minute_of(const struct app *a)
{
    const char *s = a->conf ? a->conf->recording_cut_at : "01:00";
    int h = 1, m = 0;
    if (sscanf(s, "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return 60;
    return h * 60 + m;
}

static int keep_days_of(const struct app *a)
{
    return a->conf ? (int)a->conf->recording_keep_days : 7;
}

static const char *const closed_states[] = {"refused",   "viewed", "returned",
                                            "cancelled", "kept",   NULL};

/* The API's view of a row: contact data masked, derived flags added. */
static void shape(json_t *r, int64_t now)
{
    const char *keys[] = {"requester_id", "phone"};
    const char *masked[] = {"requester_id_masked", "phone_masked"};
    for (int k = 0; k < 2; k++) {
        const char *v = json_string_value(json_object_get(r, keys[k]));
        char m[64];
        if (v)
            recording_mask(v, m, sizeof m);
        json_object_set_new(r, masked[k], v ? json_string(m) : json_null());
        json_object_del(r, keys[k]);
    }
    const char *state = json_string_value(json_object_get(r, "state"));
    int closed = 0;
    for (const char *const *s = closed_states; state && *s; s++)
        closed |= strcmp(state, *s) == 0;
    int64_t exp = json_integer_value(json_object_get(r, "expires_ms"));
    int64_t due = json_integer_value(json_object_get(r, "due_back_ms"));
    json_object_set_new(r, "closed", json_boolean(closed));
    json_object_set_new(r, "expired", json_boolean(exp <= now));
    json_object_set_new(r, "overdue",
                        json_boolean(state && strcmp(state, "lent") == 0 && due && due < now));
    json_object_del(r, "expires_ms");
    json_object_del(r, "due_back_ms");
}

int app_recording_list(struct app *a, int open, const char *state, const struct page *pg,
                       json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_recording_list(c, open, state, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    int64_t now = clock_now_ms();
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r)
        shape(r, now);
    *out = app_list_json(rows, total, pg);
    return 0;
}

int app_recording_get(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_recording_get(c, id, out);
    store_read_end(a->st, c);
    if (!rc)
        shape(*out, clock_now_ms());
    return rc;
}

static const char *jstr(json_t *in, const char *k)
{
    return json_string_value(json_object_get(in, k));
}

static int text(json_t *in, const char *k, size_t min, size_t max, const char **out,
                struct app_err *err)
{
    json_t *v = json_object_get(in, k);
    *out = json_is_null(v) ? NULL : json_string_value(v);
    if (v && !json_is_null(v) && !*out)
        return app_invalid(err, k, "must be text");
    size_t n = *out ? strlen(*out) : 0, blank = 1;
    for (const unsigned char *p = (const unsigned char *)*out; p && *p; p++) {
        /* Line breaks and other control characters would forge lines in the duty log. */
        if (*p < 0x20 || *p == 0x7F)
            return app_invalid(err, k, "must not contain line breaks or control characters");
        blank &= *p == ' ';
    }
    if (n < min || n > max || (min && blank))
        return min ? app_invalid(err, k, "is required, 1 to %zu bytes", max)
                   : app_invalid(err, k, "must be at most %zu bytes", max);
    return 0;
}

static int instant(json_t *in, const char *k, int64_t *out, struct app_err *err)
{
    const char *s = jstr(in, k);
    if (!s || clock_parse_iso(s, out) != 0)
        return app_invalid(err, k, "must be a time such as 2026-11-28T08:00:00Z");
    return 0;
}

struct create_job {
    const struct actor *who;
    struct store_recording_new r;
    int64_t id;
    struct app_err *err;
};

static void obj_of(int64_t id, char *obj, size_t n)
{
    snprintf(obj, n, "recording:%lld", (long long)id);
}

static int create_job(struct store_conn *c, void *arg)
{
    struct create_job *j = arg;
    if (j->r.area_id) {
        json_t *area = NULL;
        int rc = store_area_get(c, j->r.area_id, &area);
        json_decref(area);
        if (rc == -ENOENT)
            return app_invalid(j->err, "area_id", "no area has this id");
        if (rc)
            return rc;
    }
    int rc = store_recording_insert(c, &j->r, &j->id);
    char obj[48];
    obj_of(j->id, obj, sizeof obj);
    if (!rc)
        rc = audit_append(c, j->who, "recording.request", obj, "%s request by %s%s%s", j->r.kind,
                          j->r.requester_name, j->r.requester_org[0] ? ", " : "",
                          j->r.requester_org);
    if (!rc)
        rc = dutylog_auto(c, j->who->name, "other", 0,
                          "recording %s request #%lld recorded for %s%s%s (cameras: %s); "
                          "awaiting the manager's decision",
                          j->r.kind, (long long)j->id, j->r.requester_name,
                          j->r.requester_org[0] ? " / " : "", j->r.requester_org, j->r.cameras);
    if (!rc)
        store_conn_emit(c, "recording",
                        json_pack("{sI ss}", "id", (json_int_t)j->id, "state", "requested"));
    return rc;
}

static int phone_ok(const char *p)
{
    for (; p && *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == ' '))
            return 0;
    return 1;
}

/* The request's fields from the body, checked one by one (the footage period apart). */
static int parse_request(json_t *in, struct store_recording_new *r, struct app_err *err)
{
    r->kind = jstr(in, "kind");
    if (!r->kind || (strcmp(r->kind, "view") && strcmp(r->kind, "lend")))
        return app_invalid(err, "kind", "must be view or lend");
    int rc = text(in, "requester_name", 1, 64, &r->requester_name, err);
    if (!rc)
        rc = text(in, "requester_org", 0, 100, &r->requester_org, err);
    if (!rc)
        rc = text(in, "requester_id", 0, 32, &r->requester_id, err);
    if (!rc)
        rc = text(in, "phone", 0, 20, &r->phone, err);
    if (!rc && !phone_ok(r->phone))
        rc = app_invalid(err, "phone", "may hold only digits, spaces, '+' and '-'");
    if (!rc)
        rc = text(in, "purpose", 1, 500, &r->purpose, err);
    if (!rc)
        rc = text(in, "cameras", 1, 200, &r->cameras, err);
    if (!rc)
        rc = instant(in, "from", &r->from, err);
    if (!rc)
        rc = instant(in, "to", &r->to, err);
    if (rc)
        return rc;
    if (!r->requester_org)
        r->requester_org = "";
    json_t *area = json_object_get(in, "area_id");
    if (area && !json_is_null(area) && (!json_is_integer(area) || json_integer_value(area) < 1))
        return app_invalid(err, "area_id", "must be the id of an area");
    r->area_id = area ? json_integer_value(area) : 0;
    return 0;
}

int app_recording_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                         struct app_err *err)
{
    struct create_job j = {.who = who, .err = err};
    struct store_recording_new *r = &j.r;
    int64_t now = clock_now_ms();
    int rc = parse_request(in, r, err);
    if (rc)
        return rc;
    if (r->to <= r->from)
        return app_invalid(err, "to", "must be after from");
    if (r->to > now + MINUTE_MS)
        return app_invalid(err, "to", "must not be in the future: footage that exists");
    if (r->to - r->from > DAY_MS)
        return app_invalid(err, "to", "a request covers at most 24 hours");
    int keep = keep_days_of(a), cut = cut_minute_of(a);
    r->expires_at = recording_expires_at(r->from, keep, cut);
    if (r->expires_at <= now) {
        int64_t oldest = recording_oldest_kept(now, keep, cut);
        char iso[CLOCK_ISO_LEN], local[32];
        clock_format_iso(oldest, iso, sizeof iso);
        clock_format_local(oldest, local, sizeof local);
        snprintf(err->extra_key, sizeof err->extra_key, "oldest_kept");
        snprintf(err->extra_val, sizeof err->extra_val, "%s", iso);
        return app_refuse(err, "recording-overwritten", "from",
                          "the footage at this time has been overwritten (kept %d days, cut at "
                          "%s); the oldest footage kept is from %s",
                          keep, a->conf ? a->conf->recording_cut_at : "01:00", local);
    }
    r->by = who->name;
    r->now = now;
    rc = store_write(a->st, create_job, &j);
    if (rc)
        return rc;
    return app_recording_get(a, j.id, out);
}

struct step_job {
    const struct actor *who;
    int64_t id;
    const char *step;
    int approve;
    const char *note, *medium, *copy_ref;
    int64_t due_back;
    char state[16], kind[8];
    struct app_err *err;
};

/* The transition a step makes from the request's state: -EALREADY when not allowed. */
static int transition(const struct step_job *j, const char **from, const char **to,
                      const char **column)
{
    const char *s = j->state;
    int view = strcmp(j->kind, "view") == 0;
    *from = s;
    if (strcmp(j->step, "decide") == 0 && strcmp(s, "requested") == 0) {
        *to = j->approve ? "approved" : "refused";
        *column = "decided";
    } else if (strcmp(j->step, "view") == 0 && view && strcmp(s, "approved") == 0) {
        *to = "viewed";
        *column = "viewed";
    } else if (strcmp(j->step, "lend") == 0 && !view && strcmp(s, "approved") == 0) {
        *to = "lent";
        *column = "lent";
    } else if (strcmp(j->step, "return") == 0 && strcmp(s, "lent") == 0) {
        *to = "returned";
        *column = "returned";
    } else if (strcmp(j->step, "keep") == 0 && strcmp(s, "lent") == 0) {
        *to = "kept";
        *column = "kept";
    } else if (strcmp(j->step, "cancel") == 0 &&
               (strcmp(s, "requested") == 0 || strcmp(s, "approved") == 0)) {
        *to = "cancelled";
        *column = "cancelled";
    } else {
        return -EALREADY;
    }
    return 0;
}

static int step_job(struct store_conn *c, void *arg)
{
    struct step_job *j = arg;
    json_t *row = NULL;
    int rc = store_recording_get(c, j->id, &row);
    if (rc)
        return rc;
    snprintf(j->state, sizeof j->state, "%s", json_string_value(json_object_get(row, "state")));
    snprintf(j->kind, sizeof j->kind, "%s", json_string_value(json_object_get(row, "kind")));
    char who_asked[160];
    snprintf(who_asked, sizeof who_asked, "%s",
             json_string_value(json_object_get(row, "requester_name")));
    json_decref(row);
    const char *from, *to, *column;
    if (transition(j, &from, &to, &column))
        return app_refuse(j->err, "conflict", "state", "a %s request that is %s cannot be %s",
                          j->kind, j->state, strcmp(j->step, "decide") == 0 ? "decided" : j->step);
    int64_t now = clock_now_ms();
    if (strcmp(column, "lent") == 0)
        rc = store_recording_lend(c, j->id, j->who->name, now, j->medium, j->copy_ref, j->due_back);
    else
        rc = store_recording_step(c, j->id, from, to, column, j->who->name, now, j->note);
    if (rc == -EALREADY)
        return app_refuse(j->err, "conflict", "state", "the request changed meanwhile");
    char obj[48];
    obj_of(j->id, obj, sizeof obj);
    if (!rc)
        rc = audit_append(c, j->who, "recording.step", obj, "%s -> %s%s%s", from, to,
                          j->note && *j->note ? ": " : "", j->note ? j->note : "");
    if (!rc && strcmp(to, "lent") == 0)
        rc = dutylog_auto(c, j->who->name, "other", 0,
                          "recording request #%lld (%s): copy %s lent on %s, due back as agreed",
                          (long long)j->id, who_asked, j->copy_ref, j->medium);
    else if (!rc)
        rc = dutylog_auto(c, j->who->name, "other", 0, "recording request #%lld (%s): %s -> %s%s%s",
                          (long long)j->id, who_asked, from, to, j->note && *j->note ? ": " : "",
                          j->note ? j->note : "");
    if (!rc)
        store_conn_emit(c, "recording", json_pack("{sI ss}", "id", (json_int_t)j->id, "state", to));
    return rc;
}

int app_recording_step(struct app *a, const struct actor *who, int64_t id, const char *step,
                       json_t *in, json_t **out, struct app_err *err)
{
    struct step_job j = {.who = who, .id = id, .step = step, .err = err};
    int rc = text(in, "note", 0, 500, &j.note, err);
    if (rc)
        return rc;
    if (strcmp(step, "decide") == 0) {
        json_t *ap = json_object_get(in, "approve");
        if (!json_is_boolean(ap))
            return app_invalid(err, "approve", "must be true or false");
        j.approve = json_is_true(ap);
        if (!j.approve && (!j.note || !*j.note))
            return app_invalid(err, "note", "a refusal needs a reason");
    } else if (strcmp(step, "cancel") == 0 || strcmp(step, "keep") == 0) {
        if (!j.note || !*j.note)
            return app_invalid(err, "note",
                               strcmp(step, "keep") == 0 ? "say why the copy is not coming back"
                                                         : "a cancellation needs a reason");
    } else if (strcmp(step, "lend") == 0) {
        j.medium = jstr(in, "medium");
        if (!j.medium ||
            (strcmp(j.medium, "usb") && strcmp(j.medium, "disc") && strcmp(j.medium, "other")))
            return app_invalid(err, "medium", "must be usb, disc or other");
        rc = text(in, "copy_ref", 1, 64, &j.copy_ref, err);
        if (!rc)
            rc = instant(in, "due_back", &j.due_back, err);
        if (rc)
            return rc;
        if (j.due_back <= clock_now_ms())
            return app_invalid(err, "due_back", "must be in the future");
    } else if (strcmp(step, "view") && strcmp(step, "return")) {
        return -ENOENT;
    }
    rc = store_write(a->st, step_job, &j);
    if (rc)
        return rc;
    return app_recording_get(a, id, out);
}

struct contact_job {
    const struct actor *who;
    int64_t id;
    json_t *out;
};

static int contact_job(struct store_conn *c, void *arg)
{
    struct contact_job *j = arg;
    json_t *row = NULL;
    int rc = store_recording_get(c, j->id, &row);
    if (rc)
        return rc;
    j->out = json_pack("{sO sO}", "requester_id", json_object_get(row, "requester_id"), "phone",
                       json_object_get(row, "phone"));
    json_decref(row);
    char obj[48];
    obj_of(j->id, obj, sizeof obj);
    return audit_append(c, j->who, "recording.reveal", obj, "requester's ID and phone read");
}

int app_recording_contact(struct app *a, const struct actor *who, int64_t id, json_t **out)
{
    struct contact_job j = {.who = who, .id = id};
    int rc = store_write(a->st, contact_job, &j);
    if (rc) {
        json_decref(j.out);
        return rc;
    }
    *out = j.out;
    return 0;
}

int app_recording_handover_facts(struct store_conn *c, int64_t now, json_t *summary)
{
    json_t *rows = NULL;
    int rc = store_recording_out(c, now, &rows);
    if (rc)
        return rc;
    /* The counts are the list's: every copy lent out, and those past their date. */
    size_t i, overdue = 0;
    json_t *r;
    json_array_foreach (rows, i, r)
        overdue += json_is_true(json_object_get(r, "overdue"));
    json_object_set_new(summary, "recordings_lent",
                        json_integer((json_int_t)json_array_size(rows)));
    json_object_set_new(summary, "recordings_overdue", json_integer((json_int_t)overdue));
    json_object_set_new(summary, "recordings_out", rows);
    return 0;
}

int app_recording_demo_in(struct store_conn *c, int64_t now)
{
    struct store_recording_new r = {.kind = "lend",
                                    .requester_name = "王警官",
                                    .requester_org = "滨湖派出所",
                                    .requester_id = "PS110023",
                                    .phone = "13900002001",
                                    .purpose = "调查地库车辆被刮擦一案，需复制当晚录像",
                                    .cameras = "地库摄像机02、地库摄像机04",
                                    .from = now - 26 * 3600000LL,
                                    .to = now - 25 * 3600000LL,
                                    .by = "operator",
                                    .now = now};
    r.expires_at = recording_expires_at(r.from, 7, 60);
    int64_t id;
    return store_recording_insert(c, &r, &id);
}
