/* retention.c - the retention policy table, the calendar arithmetic and the run. Holds and the
 * status page are in retention_hold.c. */
#include "app/retention.h"

#include "app/audit.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_audit.h"

#include <errno.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define C(f) offsetof(struct conf, f)
#define YEAR 12
#define GB_TEST_MAINT_REPAIR 60 /* GB 25201-2010: test, maintenance and repair records, 5 years */

/* THE retention policy: one row per record type. Order matters: a type whose rows reference
 * another's comes first (duty-log entries and line uses name incidents), so one run removes
 * both; the audit trail comes last, so the run's own records stay after the checkpoint.
 * To add a type (check-sheet records, fault tickets, stored reports): one row here, its period
 * key in core/conf.c, its name in legal_hold's CHECK (a migration), docs/retention.md. */
const struct ret_kind retention_kinds[] = {
    {"duty_log",
     "R4.1",
     "duty_log",
     "r.at",
     "1",
     "EXISTS (SELECT 1 FROM duty_log a WHERE a.amends_id = r.id)",
     {"running_status.duty_log_id", NULL},
     YEAR,
     YEAR,
     C(retention_duty_log),
     0},
    {"line_use",
     "R3.4.10",
     "line_use",
     "r.at",
     "1",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_line_use),
     0},
    {"room_entry",
     "R3.4.12",
     "room_entry",
     "r.time_in",
     "r.time_out IS NOT NULL",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_room_entry),
     0},
    {"recording_request",
     "R3.4.3",
     "recording_request",
     "coalesce(r.returned_at, r.kept_at, r.cancelled_at, r.viewed_at, r.decided_at,"
     " r.recorded_at)",
     "r.state IN ('refused', 'viewed', 'returned', 'cancelled', 'kept')",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_recording_request),
     0},
    {"handoff",
     "R3.4.15",
     "handoff",
     "r.created_at",
     "r.incident_id IS NULL",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_handoff),
     0},
    {"camera_history",
     "S4",
     "camera_history",
     "r.at",
     "1",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_camera_history),
     0},
    {"ticket",
     "R3.4.13",
     "ticket",
     "r.closed_at",
     "r.state = 'closed'",
     "EXISTS (SELECT 1 FROM duty_log d WHERE d.ticket_id = r.id)"
     " OR EXISTS (SELECT 1 FROM camera k WHERE k.ticket_id = r.id)"
     " OR EXISTS (SELECT 1 FROM camera_history k WHERE k.ticket_id = r.id)",
     {"ticket_event.ticket_id", "escalation.ticket_id", "check_ticket.ticket_id", NULL},
     YEAR,
     GB_TEST_MAINT_REPAIR,
     C(retention_ticket),
     0},
    {"check_record",
     "R4.2",
     "check_record",
     "r.filled_at",
     "1",
     "EXISTS (SELECT 1 FROM ticket t WHERE t.check_record_id = r.id)",
     {"check_ticket.record_id", NULL},
     YEAR,
     GB_TEST_MAINT_REPAIR,
     C(retention_check_record),
     0},
    {"incident",
     "R3.4.5",
     "incident",
     "r.closed_at",
     "r.state = 'closed'",
     "EXISTS (SELECT 1 FROM duty_log d WHERE d.incident_id = r.id)"
     " OR EXISTS (SELECT 1 FROM line_use l WHERE l.incident_id = r.id)"
     " OR EXISTS (SELECT 1 FROM ticket t WHERE t.incident_id = r.id)"
     " OR EXISTS (SELECT 1 FROM camera k WHERE k.incident_id = r.id)"
     " OR EXISTS (SELECT 1 FROM camera_history k WHERE k.incident_id = r.id)"
     " OR EXISTS (SELECT 1 FROM legal_hold h WHERE h.released_at IS NULL AND"
     " ((h.record_type = 'alarm' AND h.record_id IN (SELECT id FROM alarm WHERE incident_id ="
     " r.id)) OR (h.record_type = 'handoff' AND h.record_id IN (SELECT id FROM handoff WHERE"
     " incident_id = r.id))))",
     {"incident_event.incident_id", "incident_step.incident_id", "escalation.incident_id",
      "handoff.incident_id", "alarm.incident_id", NULL},
     YEAR,
     YEAR,
     C(retention_incident),
     0},
    {"alarm",
     "R3.3",
     "alarm",
     "r.received_at",
     "r.incident_id IS NULL",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_alarm),
     0},
    {"complaint",
     "R3.4.7",
     "complaint",
     "r.updated_at",
     "r.state = 'closed'",
     NULL,
     {"escalation.complaint_id", NULL},
     YEAR,
     YEAR,
     C(retention_complaint),
     0},
    {"handover",
     "R3.1",
     "handover",
     "r.started_at",
     "r.state <> 'pending'",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_handover),
     0},
    {"attendance",
     "R3.4.14",
     "attendance",
     "r.clock_in",
     "r.clock_out IS NOT NULL",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_attendance),
     0},
    {"roster",
     "S1",
     "roster_slot",
     "r.end_at",
     "1",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_roster),
     0},
    {"training",
     "S3",
     "training_record",
     "r.expires_at",
     "1",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_training),
     0},
    {"report",
     "R3.4.9",
     "report",
     "r.generated_at",
     "1",
     NULL,
     {NULL},
     YEAR,
     YEAR,
     C(retention_report),
     0},
    {"audit", "S5", "audit", "r.at", "1", NULL, {NULL}, YEAR, YEAR, C(retention_audit), 1},
    {NULL, NULL, NULL, NULL, NULL, NULL, {NULL}, 0, 0, 0, 0},
};

const struct ret_kind *retention_kind(const char *name)
{
    for (const struct ret_kind *k = retention_kinds; name && k->name; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

int retention_months(const struct conf *cf, const struct ret_kind *k, const char **source)
{
    const char *over = (const char *)cf + k->conf_off;
    int months = 0;
    if (conf_period_months(over, &months) == 0 && months >= YEAR) {
        if (source)
            *source = "override";
        return months;
    }
    int gb = strcmp(cf->retention_profile, "gb25201") == 0;
    if (source)
        *source = gb ? "gb25201" : "regulation";
    months = gb ? k->gb_months : k->months;
    return months < YEAR ? YEAR : months; /* never less than the regulation's year */
}

static int days_in_month(int year, int mon0)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return d[mon0] + (mon0 == 1 && leap);
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -EINVAL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -EINVAL;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    if (*y < 1970 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m - 1))
        return -EINVAL;
    return 0;
}

int retention_cutoff(const char *as_of, int months, int64_t *cutoff)
{
    int y, m, d;
    if (parse_date(as_of, &y, &m, &d))
        return -EINVAL;
    int total = y * 12 + (m - 1) - months;
    struct tm tm = {.tm_year = total / 12 - 1900, .tm_mon = total % 12, .tm_isdst = -1};
    int dim = days_in_month(total / 12, total % 12);
    tm.tm_mday = d > dim ? dim : d;
    time_t t = mktime(&tm); /* local midnight in the site's zone (TZ) */
    if (t == (time_t)-1)
        return -EINVAL;
    *cutoff = (int64_t)t * 1000;
    return 0;
}

int retention_local_date(int64_t ms, char *out, size_t n)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return -EINVAL;
    int len = snprintf(out, n, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return len == 10 ? 0 : -EINVAL;
}

/* ---- the run ---- */

struct batch {
    const struct ret_kind *k;
    int64_t cutoff, limit;
    const unsigned char *sk; /* audit: the signing key */
    int64_t removed;
};

static int batch_rows(struct store_conn *c, void *arg)
{
    struct batch *b = arg;
    char *ids = NULL;
    int64_t n = 0;
    b->removed = 0;
    int rc = store_ret_candidates(c, b->k, b->cutoff, b->limit, &ids, &n);
    if (!rc && n > 0) {
        rc = store_ret_gate(c, 1, clock_now_ms());
        if (!rc)
            rc = store_ret_delete(c, b->k, ids, &b->removed);
        if (!rc)
            rc = store_ret_gate(c, 0, 0);
    }
    free(ids);
    return rc;
}

/* Removes the oldest audit records and records the signed checkpoint that replaces them, in one
 * transaction: the chain is never without its head. */
static int batch_audit(struct store_conn *c, void *arg)
{
    struct batch *b = arg;
    struct audit_ckpt cp = {.at = clock_now_ms()};
    int64_t held;
    b->removed = 0;
    int rc = store_audit_removable(c, b->cutoff, b->limit, &cp.first_id, &cp.last_id, cp.last_hash,
                                   &held);
    if (rc || cp.last_id == 0)
        return rc;
    cp.removed = cp.last_id - cp.first_id + 1;
    rc = store_audit_ckpt_next_id(c, &cp.id);
    if (!rc)
        rc = store_ret_gate(c, 1, cp.at);
    if (!rc)
        rc = store_audit_remove(c, cp.first_id, cp.last_id, &b->removed);
    if (!rc && b->removed != cp.removed)
        rc = -EIO; /* the ids are not contiguous: refuse rather than sign a wrong count */
    if (!rc)
        rc = store_ret_gate(c, 0, 0);
    if (rc)
        return rc;
    audit_ckpt_sign(&cp, b->sk);
    return store_audit_ckpt_insert(c, &cp);
}

struct run {
    struct app *a;
    const struct actor *who;
    const struct retention_opts *o;
    char as_of[11];
    int64_t started, removed, held;
    json_t *types;
    char error[200];
};

/* Counts what is past cutoff: removable, on hold, or still referenced by a kept record. */
struct counts {
    int64_t eligible, held, kept;
};

static int count_kind(struct run *r, const struct ret_kind *k, int64_t cutoff, struct counts *n)
{
    struct store_conn *c = store_read_begin(r->a->st);
    int rc;
    if (k->audit) {
        int64_t first, last;
        unsigned char h[AUDIT_HASH_LEN];
        rc = store_audit_removable(c, cutoff, INT64_MAX, &first, &last, h, &n->held);
        n->eligible = last ? last - first + 1 : 0;
        n->kept = 0;
    } else {
        rc = store_ret_count(c, k, cutoff, &n->eligible, &n->held, &n->kept);
    }
    store_read_end(r->a->st, c);
    return rc;
}

static int remove_kind(struct run *r, const struct ret_kind *k, int64_t cutoff, int64_t *removed)
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    struct batch b = {.k = k, .cutoff = cutoff, .limit = r->a->conf->retention_batch, .sk = sk};
    int rc = 0;
    *removed = 0;
    if (k->audit && (rc = audit_key_secret(r->a, sk)) != 0) {
        snprintf(r->error, sizeof r->error, "audit: no signing key for the checkpoint (%s)",
                 strerror(-rc));
        return rc;
    }
    /* Bounded batches, each its own write job, until a batch removes nothing (a record kept only
     * by a reference from one removed in this run goes in a later batch). */
    do {
        rc = store_write(r->a->st, k->audit ? batch_audit : batch_rows, &b);
        *removed += rc ? 0 : b.removed;
    } while (!rc && b.removed > 0);
    sodium_memzero(sk, sizeof sk);
    if (rc && !r->error[0])
        snprintf(r->error, sizeof r->error, "%s: removal failed (%s)", k->name, strerror(-rc));
    return rc;
}

static int run_kind(struct run *r, const struct ret_kind *k)
{
    int64_t cutoff, removed = 0;
    struct counts n = {0};
    int months = retention_months(r->a->conf, k, NULL);
    int rc = retention_cutoff(r->as_of, months, &cutoff);
    if (!rc && !r->o->dry_run)
        rc = remove_kind(r, k, cutoff, &removed);
    if (!rc)
        rc = count_kind(r, k, cutoff, &n);
    if (rc) {
        if (!r->error[0])
            snprintf(r->error, sizeof r->error, "%s: %s", k->name, strerror(-rc));
        return rc;
    }
    char iso[CLOCK_ISO_LEN];
    clock_format_iso(cutoff, iso, sizeof iso);
    /* A dry run says what would go ("eligible"); every run says what stays past its period. */
    json_t *t =
        json_pack("{ss sI sI sI sI}", "cutoff", iso, "held", (json_int_t)n.held, "kept_referenced",
                  (json_int_t)n.kept, "months", (json_int_t)months, "removed", (json_int_t)removed);
    if (r->o->dry_run)
        json_object_set_new(t, "eligible", json_integer(n.eligible));
    json_object_set_new(r->types, k->name, t);
    r->removed += r->o->dry_run ? n.eligible : removed;
    r->held += n.held;
    return 0;
}

static int record_run(struct store_conn *c, void *arg)
{
    struct run *r = arg;
    char *detail = json_dumps(r->types, JSON_COMPACT | JSON_SORT_KEYS);
    struct ret_run rr = {.started_at = r->started,
                         .finished_at = clock_now_ms(),
                         .as_of = r->as_of,
                         .trigger = r->o->scheduled ? "schedule" : "manual",
                         .actor = r->who->name,
                         .outcome = r->error[0] ? "failed" : "ok",
                         .detail = detail ? detail : "{}",
                         .error = r->error[0] ? r->error : NULL,
                         .dry_run = r->o->dry_run,
                         .removed = r->removed,
                         .held = r->held};
    int64_t id = 0;
    int rc = store_ret_run_insert(c, &rr, &id);
    free(detail);
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "retention_run:%lld", (long long)id);
    rc = audit_append(c, r->who, r->o->dry_run ? "retention.dry_run" : "retention.run", obj,
                      "retention as of %s: %s %lld records, %lld held back%s%s", r->as_of,
                      r->o->dry_run ? "would remove" : "removed", (long long)r->removed,
                      (long long)r->held, r->error[0] ? "; failed: " : "", r->error);
    return rc ? rc : (int)(id & 0x3fffffff);
}

static int check_as_of(struct run *r, struct app_err *err)
{
    char today[11];
    int y, m, d;
    if (retention_local_date(clock_now_ms(), today, sizeof today))
        return -EINVAL;
    if (!r->o->as_of) {
        snprintf(r->as_of, sizeof r->as_of, "%s", today);
        return 0;
    }
    if (parse_date(r->o->as_of, &y, &m, &d))
        return app_invalid(err, "as_of", "must be a date YYYY-MM-DD");
    if (strcmp(r->o->as_of, today) > 0)
        return app_invalid(err, "as_of",
                           "must not be after today (%s): records are kept at least their period",
                           today);
    snprintf(r->as_of, sizeof r->as_of, "%s", r->o->as_of);
    return 0;
}

int app_retention_run(struct app *a, const struct actor *who, const struct retention_opts *o,
                      json_t **out, struct app_err *err)
{
    struct run r = {.a = a, .who = who, .o = o, .started = clock_now_ms()};
    int rc = check_as_of(&r, err);
    if (rc)
        return rc;
    r.types = json_object();
    int failed = 0;
    for (const struct ret_kind *k = retention_kinds; k->name && !failed; k++)
        failed = run_kind(&r, k);
    int id = store_write(a->st, record_run, &r);
    if (id < 0) {
        json_decref(r.types);
        return id;
    }
    *out =
        json_pack("{si ss sb sI sI so}", "id", id, "as_of", r.as_of, "dry_run", o->dry_run,
                  "removed", (json_int_t)r.removed, "held", (json_int_t)r.held, "types", r.types);
    json_object_set_new(*out, "outcome", json_string(failed ? "failed" : "ok"));
    if (failed)
        json_object_set_new(*out, "error", json_string(r.error));
    return failed;
}

#define TICK_WINDOW_MIN 120

/* The hour and minute of run_at ("HH:MM", validated by the config). */
static int run_at_minutes(const struct conf *cf)
{
    const char *s = cf->retention_run_at;
    return ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
}

int app_retention_tick(struct app *a)
{
    int64_t now = clock_now_ms();
    time_t t = (time_t)(now / 1000);
    struct tm tm;
    char today[11];
    if (!localtime_r(&t, &tm) || retention_local_date(now, today, sizeof today))
        return -EINVAL;
    /* Within two hours after run_at only: a daemon started in the daytime does not begin
     * removing at once; a night it was down is made up the next night (later, never sooner). */
    if ((tm.tm_hour * 60 + tm.tm_min - run_at_minutes(a->conf) + 1440) % 1440 >= TICK_WINDOW_MIN)
        return 0;
    int64_t ok = 0, failed = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_ret_run_done(c, today, &ok, &failed);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    if (ok > 0 || failed >= 3) /* done today, or given up until tomorrow (the runs say why) */
        return 0;
    struct actor sys;
    app_actor_system(&sys, "retention");
    struct retention_opts o = {.as_of = today, .scheduled = 1};
    json_t *out = NULL;
    rc = app_retention_run(a, &sys, &o, &out, NULL);
    json_decref(out);
    return rc < 0 ? rc : 1;
}
