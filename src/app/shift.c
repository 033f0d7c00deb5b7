/* shift.c - shift patterns, roster generation, the opening staffing check, desk lookups. */
#include "app/shift.h"

#include "app/audit.h"
#include "app/coverage.h"
#include "app/dutylog.h"
#include "app/runstatus.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_auth.h"
#include "store/store_desk.h"
#include "store/store_roster.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_MS 3600000LL
#define DAY_MS 86400000LL
#define MAX_DAYS 62
#define MAX_TEAMS 8
#define MAX_TEAM 6

int app_pattern_list(struct app *a, json_t **out)
{
    json_t *rows = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_pattern_list(c, &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    struct page pg = {.limit = (int64_t)json_array_size(rows)};
    *out = app_list_json(rows, (int64_t)json_array_size(rows), &pg);
    return 0;
}

/* "HH:MM" -> minute of the day. */
static int parse_hhmm(const char *s, int *minute)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -EINVAL;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -EINVAL;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -EINVAL;
    *minute = h * 60 + m;
    return 0;
}

struct pattern_job {
    const struct actor *who;
    const char *name;
    int first_start, shifts, hours;
    int64_t id;
};

static int pattern_job(struct store_conn *c, void *arg)
{
    struct pattern_job *j = arg;
    int rc = store_pattern_insert(c, j->name, j->first_start, j->shifts, j->hours, j->who->name,
                                  clock_now_ms(), &j->id);
    char obj[48];
    snprintf(obj, sizeof obj, "shift_pattern:%lld", (long long)j->id);
    if (!rc)
        rc = audit_append(c, j->who, "roster.pattern", obj, "pattern %s: %d x %d h", j->name,
                          j->shifts, j->hours);
    return rc;
}

int app_pattern_add(struct app *a, const struct actor *who, json_t *in, json_t **out,
                    struct app_err *err)
{
    struct pattern_job j = {.who = who};
    j.name = json_string_value(json_object_get(in, "name"));
    json_t *sh = json_object_get(in, "shifts"), *hr = json_object_get(in, "hours");
    if (!j.name || !*j.name || strlen(j.name) > 32)
        return app_invalid(err, "name", "must be 1 to 32 bytes");
    if (parse_hhmm(json_string_value(json_object_get(in, "first_start")), &j.first_start))
        return app_invalid(err, "first_start", "must be a local time HH:MM such as 08:00");
    j.shifts = (int)json_integer_value(sh);
    j.hours = (int)json_integer_value(hr);
    if (!json_is_integer(sh) || j.shifts < 1 || j.shifts > 6)
        return app_invalid(err, "shifts", "must be 1 to 6");
    if (!json_is_integer(hr) || j.hours < 1 || j.hours > 24 || j.shifts * j.hours != 24)
        return app_invalid(err, "hours", "shifts times hours must make 24");
    int rc = store_write(a->st, pattern_job, &j);
    if (rc == -EEXIST)
        return app_refuse(err, "conflict", "name", "a pattern of that name exists");
    if (rc)
        return rc;
    *out = json_pack("{sI ss}", "id", (json_int_t)j.id, "name", j.name);
    return 0;
}

struct site_pattern_job {
    const struct actor *who;
    int64_t id;
};

static int site_pattern_job(struct store_conn *c, void *arg)
{
    struct site_pattern_job *j = arg;
    struct store_pattern p;
    int rc = store_pattern_get(c, j->id, &p);
    if (rc)
        return rc;
    rc = store_site_pattern_set(c, j->id);
    if (rc == -ENOENT)
        return -ENXIO; /* no site yet */
    char obj[48];
    snprintf(obj, sizeof obj, "shift_pattern:%lld", (long long)j->id);
    if (!rc)
        rc =
            audit_append(c, j->who, "roster.site_pattern", obj,
                         "the site works pattern #%lld: %d x %d h from %02d:%02d", (long long)j->id,
                         p.shifts, p.hours, p.first_start / 60, p.first_start % 60);
    if (!rc)
        store_conn_emit(c, "roster", json_pack("{sI}", "site_pattern", (json_int_t)j->id));
    return rc;
}

int app_site_pattern_set(struct app *a, const struct actor *who, json_t *in, json_t **out,
                         struct app_err *err)
{
    struct site_pattern_job j = {.who = who};
    j.id = json_integer_value(json_object_get(in, "pattern_id"));
    if (j.id < 1)
        return app_invalid(err, "pattern_id", "must be the id of a shift pattern");
    int rc = store_write(a->st, site_pattern_job, &j);
    if (rc == -ENOENT)
        return app_invalid(err, "pattern_id", "no shift pattern has this id");
    if (rc == -ENXIO)
        return app_refuse(err, "conflict", "pattern_id", "the site is not set up yet");
    if (rc)
        return rc;
    return app_pattern_list(a, out);
}

struct gen_job {
    const struct actor *who;
    int64_t pattern_id;
    int y, mo, d, ndays;
    json_t *teams; /* borrowed */
    json_t *made;  /* [{id,username,start,end}] */
    struct app_err *err;
};

static int rosterable(struct store_conn *c, const char *username)
{
    struct store_user u;
    return store_user_by_name(c, username, &u) == 0 && !u.disabled &&
           (strcmp(u.role, "operator") == 0 || strcmp(u.role, "shift_leader") == 0);
}

/* One slot of the generation: checked like a single slot (app_slot_add), then inserted. */
static int gen_slot(struct store_conn *c, struct gen_job *j, const char *user, int64_t s, int64_t e)
{
    char iso[CLOCK_ISO_LEN];
    clock_format_iso(s, iso, sizeof iso);
    if (!rosterable(c, user))
        return app_invalid(j->err, "teams", "%s is not an active operator or shift leader", user);
    int64_t overlap = 0, id = 0;
    int rc = store_slot_overlaps(c, user, s, e, &overlap);
    if (!rc && overlap)
        return app_refuse(j->err, "roster-overlap", "teams",
                          "%s already holds a slot overlapping the shift starting %s", user, iso);
    if (!rc)
        rc = store_slot_insert(c, user, s, e, NULL, j->who->name, &id);
    char end[CLOCK_ISO_LEN];
    clock_format_iso(e, end, sizeof end);
    if (!rc)
        json_array_append_new(j->made, json_pack("{sI ss ss ss}", "id", (json_int_t)id, "username",
                                                 user, "start", iso, "end", end));
    return rc;
}

static int gen_job(struct store_conn *c, void *arg)
{
    struct gen_job *j = arg;
    struct store_pattern p;
    int rc = store_pattern_get(c, j->pattern_id, &p);
    if (rc == -ENOENT)
        return app_invalid(j->err, "pattern_id", "no such shift pattern");
    size_t nteams = json_array_size(j->teams), n = 0;
    int64_t noon = 0;
    if (!rc)
        rc = clock_local_make(j->y, j->mo, j->d, 720, &noon);
    for (int day = 0; !rc && day < j->ndays; day++) {
        /* Local noon of each day stays inside that day whatever the offset does. */
        int64_t base =
            clock_local_day_start(noon + (int64_t)day * DAY_MS) + p.first_start * 60000LL;
        for (int k = 0; !rc && k < p.shifts; k++, n++) {
            int64_t s = base + (int64_t)k * p.hours * HOUR_MS, e = s + p.hours * HOUR_MS;
            json_t *team = json_array_get(j->teams, n % nteams), *m;
            size_t i;
            json_array_foreach (team, i, m) {
                rc = gen_slot(c, j, json_string_value(m), s, e);
                if (rc)
                    break;
            }
        }
    }
    char obj[48];
    snprintf(obj, sizeof obj, "shift_pattern:%lld", (long long)j->pattern_id);
    if (!rc)
        rc = audit_append(c, j->who, "roster.generate", obj,
                          "%zu slots over %d days from %d-%02d-%02d", json_array_size(j->made),
                          j->ndays, j->y, j->mo, j->d);
    if (!rc)
        store_conn_emit(c, "roster", json_pack("{ss}", "action", "roster.generate"));
    return rc;
}

static int check_teams(json_t *teams, struct app_err *err)
{
    size_t i, k;
    json_t *t, *m;
    if (!json_is_array(teams) || json_array_size(teams) < 1 || json_array_size(teams) > MAX_TEAMS)
        return app_invalid(err, "teams", "give 1 to %d teams, each a list of usernames", MAX_TEAMS);
    json_array_foreach (teams, i, t) {
        if (!json_is_array(t) || json_array_size(t) < 1 || json_array_size(t) > MAX_TEAM)
            return app_invalid(err, "teams", "each team has 1 to %d people", MAX_TEAM);
        json_array_foreach (t, k, m) {
            const char *u = json_string_value(m);
            if (!u || !*u || strlen(u) > 32)
                return app_invalid(err, "teams", "each member is a username");
        }
    }
    return 0;
}

/* Days from..to inclusive (both local dates). */
static int days_between(struct gen_job *j, const char *to, struct app_err *err)
{
    int y, mo, d;
    int64_t a = 0, b = 0;
    if (clock_parse_date(to, &y, &mo, &d) || clock_local_make(y, mo, d, 720, &b))
        return app_invalid(err, "to", "must be a date YYYY-MM-DD");
    if (clock_local_make(j->y, j->mo, j->d, 720, &a))
        return app_invalid(err, "from", "must be a date YYYY-MM-DD");
    int64_t n = (b - a + 12 * HOUR_MS) / DAY_MS + 1;
    if (b < a || n > MAX_DAYS)
        return app_invalid(err, "to", "must be on or after from, at most %d days", MAX_DAYS);
    j->ndays = (int)n;
    return 0;
}

int app_roster_generate(struct app *a, const struct actor *who, json_t *in, json_t **out,
                        struct app_err *err)
{
    struct gen_job j = {.who = who, .err = err, .teams = json_object_get(in, "teams")};
    json_t *pid = json_object_get(in, "pattern_id");
    j.pattern_id = json_integer_value(pid);
    if (!json_is_integer(pid) || j.pattern_id < 1)
        return app_invalid(err, "pattern_id", "is required");
    if (clock_parse_date(json_string_value(json_object_get(in, "from")), &j.y, &j.mo, &j.d))
        return app_invalid(err, "from", "must be a date YYYY-MM-DD");
    int rc = days_between(&j, json_string_value(json_object_get(in, "to")), err);
    if (!rc)
        rc = check_teams(j.teams, err);
    if (rc)
        return rc;
    j.made = json_array();
    rc = store_write(a->st, gen_job, &j);
    if (rc) {
        json_decref(j.made);
        return rc;
    }
    *out = json_pack("{sI so}", "created", (json_int_t)json_array_size(j.made), "items", j.made);
    return 0;
}

int shift_staffing(struct store_conn *c, const struct conf *cf, int64_t now, json_t **out)
{
    int64_t to = now + cf->duty_opening_check * 60000LL;
    json_t *rows = NULL, *r;
    int rc = store_slot_list(c, now, to, cf->duty_required_training, &rows);
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
    rc = coverage_compute(cs, n, now, to, (int)cf->duty_min_operators,
                          cf->duty_max_shift_hours * HOUR_MS, &res);
    free(cs);
    if (rc)
        return rc;
    int staffed = (int)cf->duty_min_operators;
    json_t *gaps = json_array();
    for (size_t k = 0; k < res.ngaps; k++) {
        char s[CLOCK_ISO_LEN], e[CLOCK_ISO_LEN];
        clock_format_iso(res.gaps[k].start, s, sizeof s);
        clock_format_iso(res.gaps[k].end, e, sizeof e);
        if (res.gaps[k].staffed < staffed)
            staffed = res.gaps[k].staffed;
        json_array_append_new(
            gaps, json_pack("{ss ss si}", "start", s, "end", e, "staffed", res.gaps[k].staffed));
    }
    char f[CLOCK_ISO_LEN], t[CLOCK_ISO_LEN];
    clock_format_iso(now, f, sizeof f);
    clock_format_iso(to, t, sizeof t);
    *out = json_pack("{si si sb ss ss so}", "min_staff", (int)cf->duty_min_operators, "staffed",
                     staffed, "below", res.ngaps > 0, "from", f, "to", t, "gaps", gaps);
    coverage_result_cleanup(&res);
    return 0;
}

int app_people_list(struct app *a, const char *purpose, json_t **out)
{
    const char *roles = NULL;
    if (purpose && strcmp(purpose, "entry_authorisers") == 0)
        roles = "shift_leader,supervisor,manager";
    else if (purpose && strcmp(purpose, "rosterable") == 0)
        roles = "operator,shift_leader";
    else
        return -EDOM;
    json_t *rows = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_people_list(c, roles, &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    struct page pg = {.limit = (int64_t)json_array_size(rows)};
    *out = app_list_json(rows, (int64_t)json_array_size(rows), &pg);
    return 0;
}

int app_clock_state(struct app *a, const struct actor *who, json_t **out)
{
    json_t *row = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_clock_open(c, who->name, &row);
    store_read_end(a->st, c);
    if (rc && rc != -ENOENT)
        return rc;
    json_t *since = row ? json_incref(json_object_get(row, "clock_in")) : json_null();
    json_decref(row);
    *out = json_pack("{ss sb so}", "username", who->name, "clocked_in", !rc, "since", since);
    return 0;
}

int app_complaint_counts(struct app *a, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_complaint_counts(c, clock_now_ms(), out);
    store_read_end(a->st, c);
    return rc;
}

int app_incident_counts(struct app *a, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_incident_counts(c, out);
    store_read_end(a->st, c);
    return rc;
}

int shift_opening_check(struct store_conn *c, const struct conf *cf, const struct actor *who,
                        int64_t handover_id, const char *override_reason, int explicit, int64_t now,
                        struct app_err *err)
{
    int over = 0;
    int rc = store_handover_overridden(c, handover_id, &over);
    if (rc || (over && !explicit))
        return rc;
    if (over)
        return app_refuse(err, "override-not-needed", "", "this handover already has an override");
    json_t *st = NULL;
    rc = shift_staffing(c, cf, now, &st);
    if (rc)
        return rc;
    int below = json_is_true(json_object_get(st, "below"));
    int staffed = (int)json_integer_value(json_object_get(st, "staffed"));
    int min = (int)cf->duty_min_operators;
    json_decref(st);
    if (!below)
        return explicit
                   ? app_refuse(err, "override-not-needed", "",
                                "the incoming shift has the minimum of %d trained operators", min)
                   : 0;
    if (!override_reason)
        return app_refuse(err, "below-minimum", "",
                          "only %d of the %d trained operators are rostered for the next %ld "
                          "minutes; a shift leader must override with a reason",
                          staffed, min, cf->duty_opening_check);
    if (!(who->perms & PERM_BIT(PERM_HANDOVER_FORCE)))
        return app_refuse(err, "override-not-allowed", "override_reason",
                          "only a shift leader or supervisor may override the minimum");
    rc = store_handover_override(c, handover_id, who->name, override_reason, staffed, now);
    char obj[48];
    snprintf(obj, sizeof obj, "handover:%lld", (long long)handover_id);
    if (!rc)
        rc = audit_append(c, who, "handover.override", obj,
                          "shift opened below the minimum: %d of %d trained operators", staffed,
                          min);
    if (!rc)
        rc = dutylog_auto(c, who->name, "handover", 0,
                          "handover #%lld: shift opened below the minimum (%d of %d trained "
                          "operators rostered) on the override of %s: %s",
                          (long long)handover_id, staffed, min, who->name, override_reason);
    return rc;
}

int shift_handover_facts(struct store_conn *c, const struct conf *cf, int64_t now, json_t *summary)
{
    int64_t since = 0;
    json_t *st = NULL, *missed = NULL;
    int rc = store_handover_last_done(c, &since);
    if (!rc && (since <= 0 || since < now - DAY_MS))
        since = now - DAY_MS;
    if (!rc && since >= now)
        since = now - 1;
    if (!rc)
        rc = shift_staffing(c, cf, now, &st);
    if (!rc)
        rc = runstatus_missed(c, cf, since, now, now, &missed);
    if (rc) {
        json_decref(st);
        return rc;
    }
    char s[CLOCK_ISO_LEN];
    clock_format_iso(since, s, sizeof s);
    json_t *counts = json_object_get(summary, "counts");
    if (json_is_object(counts))
        json_object_set_new(counts, "running_status_missed",
                            json_integer((json_int_t)json_array_size(missed)));
    json_object_set_new(summary, "staffing", st);
    json_object_set_new(summary, "running_status",
                        json_pack("{si ss so}", "interval_minutes", (int)cf->duty_status_interval,
                                  "since", s, "missed", missed));
    return 0;
}
