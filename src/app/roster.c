/* roster.c - roster, coverage, training and attendance. */
#include "app/roster.h"

#include "app/audit.h"
#include "app/coverage.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_auth.h"
#include "store/store_roster.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const courses[] = {"system_operation", "fire_knowledge", "security_awareness",
                                      NULL};

static int is_course(const char *s)
{
    for (const char *const *c = courses; s && *c; c++)
        if (strcmp(*c, s) == 0)
            return 1;
    return 0;
}

static int iso_field(json_t *in, const char *key, int64_t *out, struct app_err *err)
{
    const char *v = json_string_value(json_object_get(in, key));
    if (!v || clock_parse_iso(v, out))
        return app_invalid(err, key, "must be an ISO-8601 UTC time such as 2026-11-27T16:00:00Z");
    return 0;
}

struct roster_job {
    const struct actor *who;
    const char *username, *note, *course;
    int64_t start, end, id, area_id;
    int op; /* 0 slot add, 1 slot delete, 2 training add, 3 clock in, 4 clock out */
    struct app_err *err;
};

static int slot_add(struct store_conn *c, struct roster_job *j)
{
    struct store_user u;
    int rc = store_user_by_name(c, j->username, &u);
    if (rc == -ENOENT ||
        (!rc && (u.disabled || (strcmp(u.role, "operator") && strcmp(u.role, "shift_leader")))))
        return app_invalid(j->err, "username", "must be an active operator or shift leader");
    if (rc)
        return rc;
    /* One person cannot be on two slots at once (coverage counts people). */
    int64_t overlap = 0;
    rc = store_slot_overlaps(c, j->username, j->start, j->end, &overlap);
    if (!rc && overlap)
        return app_invalid(j->err, "start", "overlaps another slot of the same person");
    return rc ? rc
              : store_slot_insert(c, j->username, j->start, j->end, j->note, j->who->name, &j->id);
}

static int roster_job(struct store_conn *c, void *arg)
{
    struct roster_job *j = arg;
    int64_t now = clock_now_ms();
    int rc;
    static const char *const actions[] = {"roster.add", "roster.delete", "training.add",
                                          "attendance.in", "attendance.out"};
    switch (j->op) {
    case 0:
        rc = slot_add(c, j);
        break;
    case 1:
        rc = store_slot_delete(c, j->id);
        break;
    case 2: {
        struct store_user u;
        rc = store_user_by_name(c, j->username, &u);
        if (rc == -ENOENT)
            return app_invalid(j->err, "username", "no such user");
        if (!rc)
            rc = store_training_insert(c, j->username, j->course, j->area_id, j->start, j->end,
                                       j->who->name, &j->id);
        if (rc == -EINVAL)
            return app_invalid(j->err, "area_id", "no such area");
        break;
    }
    case 3:
        rc = store_clock_in(c, j->who->name, now, &j->id);
        break;
    default:
        rc = store_clock_out(c, j->who->name, now);
        break;
    }
    char obj[64];
    snprintf(obj, sizeof obj, "%s:%lld",
             j->op == 2   ? "training"
             : j->op >= 3 ? "user"
                          : "roster",
             (long long)(j->op >= 3 ? j->who->user_id : j->id));
    if (!rc)
        rc = audit_append(c, j->who, actions[j->op], obj, "%s%s%s", actions[j->op],
                          j->username ? " " : "", j->username ? j->username : "");
    if (!rc)
        store_conn_emit(c, "roster", json_pack("{ss}", "action", actions[j->op]));
    return rc;
}

int app_slot_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                 struct app_err *err)
{
    struct roster_job j = {.who = who, .err = err};
    j.username = json_string_value(json_object_get(in, "username"));
    j.note = json_string_value(json_object_get(in, "note"));
    int rc = iso_field(in, "start", &j.start, err);
    if (!rc)
        rc = iso_field(in, "end", &j.end, err);
    if (rc)
        return rc;
    if (!j.username)
        return app_invalid(err, "username", "is required");
    if (j.end <= j.start || j.end - j.start > 24 * 3600 * 1000LL)
        return app_invalid(err, "end", "must be after start, within 24 hours");
    if (j.note && strlen(j.note) > 200)
        return app_invalid(err, "note", "must be at most 200 bytes");
    rc = store_write(a->st, roster_job, &j);
    if (rc)
        return rc;
    *out = json_pack("{sI ss}", "id", (json_int_t)j.id, "username", j.username);
    return 0;
}

int app_slot_delete(struct app *a, const struct actor *who, int64_t id)
{
    struct roster_job j = {.who = who, .id = id, .op = 1};
    return store_write(a->st, roster_job, &j);
}

static int slots(struct app *a, int64_t from, int64_t to, json_t **rows)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_slot_list(c, from, to, a->conf->duty_required_training, rows);
    store_read_end(a->st, c);
    return rc;
}

/* "expired_courses": "a,b" -> ["a","b"] and "training_expired": true (S3: expired training
 * flags the person in the roster); [] and false when none. */
static void expired_flag(json_t *row)
{
    const char *s = json_string_value(json_object_get(row, "expired_courses"));
    json_t *arr = json_array();
    while (s && *s) {
        size_t n = strcspn(s, ",");
        json_array_append_new(arr, json_stringn(s, n));
        s += n + (s[n] == ',');
    }
    json_object_set_new(row, "training_expired", json_boolean(json_array_size(arr) > 0));
    json_object_set_new(row, "expired_courses", arr);
}

int app_roster_list(struct app *a, int64_t from, int64_t to, json_t **out)
{
    json_t *rows = NULL, *row;
    int rc = slots(a, from, to, &rows);
    if (rc)
        return rc;
    size_t i;
    json_array_foreach (rows, i, row)
        expired_flag(row);
    struct page pg = {.limit = (int64_t)json_array_size(rows)};
    *out = app_list_json(rows, (int64_t)json_array_size(rows), &pg);
    return 0;
}

static json_t *ids_json(const int64_t *ids, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_integer(ids[i]));
    return arr;
}

int app_coverage(struct app *a, int64_t from, int64_t to, json_t **out)
{
    if (to <= from || to - from > 62LL * 86400000)
        return -EDOM;
    json_t *rows = NULL, *r;
    int rc = slots(a, from, to, &rows);
    if (rc)
        return rc;
    size_t n = json_array_size(rows), i;
    struct coverage_slot *cs = xcalloc(n ? n : 1, sizeof *cs);
    json_array_foreach (rows, i, r) {
        cs[i].id = json_integer_value(json_object_get(r, "id"));
        cs[i].start = json_integer_value(json_object_get(r, "start_ms"));
        cs[i].end = json_integer_value(json_object_get(r, "end_ms"));
        cs[i].trained = json_is_true(json_object_get(r, "trained"));
    }
    json_decref(rows);
    struct coverage_result res;
    rc = coverage_compute(cs, n, from, to, (int)a->conf->duty_min_operators,
                          a->conf->duty_max_shift_hours * 3600000LL, &res);
    free(cs);
    if (rc)
        return rc;
    json_t *gaps = json_array();
    for (size_t k = 0; k < res.ngaps; k++) {
        char s[CLOCK_ISO_LEN], e[CLOCK_ISO_LEN];
        clock_format_iso(res.gaps[k].start, s, sizeof s);
        clock_format_iso(res.gaps[k].end, e, sizeof e);
        json_array_append_new(
            gaps, json_pack("{ss ss si}", "start", s, "end", e, "staffed", res.gaps[k].staffed));
    }
    *out = json_pack("{si si ss sI sI so so so}", "min_staff", (int)a->conf->duty_min_operators,
                     "max_shift_hours", (int)a->conf->duty_max_shift_hours, "required_training",
                     a->conf->duty_required_training, "covered_ms", (json_int_t)res.covered_ms,
                     "total_ms", (json_int_t)(to - from), "gaps", gaps, "long_slots",
                     ids_json(res.long_slots, res.nlong), "untrained_slots",
                     ids_json(res.untrained_slots, res.nuntrained));
    coverage_result_cleanup(&res);
    return 0;
}

int app_training_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                     struct app_err *err)
{
    struct roster_job j = {.who = who, .op = 2, .err = err};
    j.username = json_string_value(json_object_get(in, "username"));
    j.course = json_string_value(json_object_get(in, "course"));
    int64_t months = json_integer_value(json_object_get(in, "valid_months"));
    json_t *area = json_object_get(in, "area_id");
    j.area_id = json_integer_value(area);
    int rc = iso_field(in, "attended_at", &j.start, err);
    if (rc)
        return rc;
    if (!j.username || !*j.username)
        return app_invalid(err, "username", "is required");
    if (!is_course(j.course))
        return app_invalid(err, "course",
                           "must be system_operation, fire_knowledge or security_awareness");
    if (months < 1 || months > 60)
        return app_invalid(err, "valid_months", "must be 1 to 60");
    if (area && !json_is_null(area) && (!json_is_integer(area) || j.area_id < 1))
        return app_invalid(err, "area_id", "must be the id of an area, or null for the whole site");
    if (j.area_id && strcmp(j.course, "fire_knowledge") != 0)
        return app_invalid(err, "area_id", "only fire_knowledge is trained per area");
    if (j.start > clock_now_ms() + 86400000)
        return app_invalid(err, "attended_at", "cannot be in the future");
    j.end = j.start + months * 30LL * 86400000;
    rc = store_write(a->st, roster_job, &j);
    if (rc)
        return rc;
    *out = json_pack("{sI ss ss so}", "id", (json_int_t)j.id, "username", j.username, "course",
                     j.course, "area_id", j.area_id ? json_integer(j.area_id) : json_null());
    return 0;
}

int app_training_list(struct app *a, const char *username, int64_t area_id, json_t **out)
{
    json_t *rows = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_training_list(c, username, area_id, clock_now_ms(), &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    struct page pg = {.limit = (int64_t)json_array_size(rows)};
    *out = app_list_json(rows, (int64_t)json_array_size(rows), &pg);
    return 0;
}

int app_clock(struct app *a, const struct actor *who, int in, json_t **out)
{
    struct roster_job j = {.who = who, .op = in ? 3 : 4};
    int rc = store_write(a->st, roster_job, &j);
    if (rc)
        return rc;
    char iso[CLOCK_ISO_LEN];
    clock_format_iso(clock_now_ms(), iso, sizeof iso);
    *out = json_pack("{ss ss ss}", "username", who->name, in ? "clock_in" : "clock_out", iso,
                     "state", in ? "in" : "out");
    return 0;
}

/* Attendance rows overlapping the slot, for its person. */
static void judge_slot(json_t *slot, json_t *att, int64_t grace)
{
    const char *user = json_string_value(json_object_get(slot, "username"));
    int64_t s = json_integer_value(json_object_get(slot, "start_ms"));
    int64_t e = json_integer_value(json_object_get(slot, "end_ms"));
    int64_t first_in = 0, last_out = 0;
    int any = 0, open = 0;
    size_t i;
    json_t *r;
    json_array_foreach (att, i, r) {
        const char *u = json_string_value(json_object_get(r, "username"));
        int64_t in = json_integer_value(json_object_get(r, "in_ms"));
        int64_t out = json_integer_value(json_object_get(r, "out_ms"));
        if (!u || strcmp(u, user) != 0 || in >= e || (out && out <= s))
            continue;
        if (!any || in < first_in)
            first_in = in;
        if (!out)
            open = 1;
        else if (out > last_out)
            last_out = out;
        any = 1;
    }
    json_object_set_new(slot, "absent", json_boolean(!any));
    json_object_set_new(slot, "late", json_boolean(any && first_in > s + grace));
    json_object_set_new(slot, "left_early", json_boolean(any && !open && last_out < e - grace));
}

int app_attendance_report(struct app *a, int64_t from, int64_t to, json_t **out)
{
    json_t *rows = NULL, *att = NULL, *slot;
    int rc = slots(a, from, to, &rows);
    struct store_conn *c = store_read_begin(a->st);
    if (!rc)
        rc = store_attendance_list(c, from - 86400000, to + 86400000, &att);
    store_read_end(a->st, c);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    int64_t now = clock_now_ms();
    size_t i;
    json_array_foreach (rows, i, slot) {
        /* A slot still to come is not judged yet. */
        if (json_integer_value(json_object_get(slot, "start_ms")) > now)
            continue;
        judge_slot(slot, att, a->conf->duty_attendance_grace * 60000);
    }
    json_decref(att);
    struct page pg = {.limit = (int64_t)json_array_size(rows)};
    *out = app_list_json(rows, (int64_t)json_array_size(rows), &pg);
    return 0;
}
