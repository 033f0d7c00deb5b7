/* conf.c - table-driven configuration: one row per key (after redis createIntConfig and
 * tmux options_table). */
#include "core/conf.h"

#include "core/log.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum conf_type { CONF_INT, CONF_STR, CONF_LIST };

struct conf_key {
    const char *name;
    enum conf_type type;
    size_t offset;
    long min, max;
    long def_int;
    const char *def_str;
    int (*check)(const char *value); /* optional extra validation for strings */
    const char *help;
};

static int check_level(const char *v)
{
    enum log_level l;
    return log_level_parse(v, &l);
}

static int check_listen(const char *v)
{
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v)
        return -EINVAL;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    return (*end == '\0' && colon[1] != '\0' && port >= 0 && port <= 65535) ? 0 : -EINVAL;
}

static int check_listen_or_empty(const char *v)
{
    return *v ? check_listen(v) : 0;
}

/* "ACCOUNT [key=K] [heartbeat=SECONDS] [name=NAME]": the shape only; the receiver parses the
 * key itself (hex or ASCII) and says which entry is wrong. */
static int check_account(const char *v)
{
    size_t n = strcspn(v, " \t");
    if (n < 3 || n > 16)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'F') ||
              (v[i] >= 'a' && v[i] <= 'f')))
            return -EINVAL;
    for (const char *p = v + n; *p;) {
        p += strspn(p, " \t");
        if (!*p)
            break;
        if (strncmp(p, "key=", 4) && strncmp(p, "heartbeat=", 10) && strncmp(p, "name=", 5))
            return -EINVAL;
        p += strcspn(p, " \t");
    }
    return 0;
}

/* The complaint categories, as in app/complaint.c (a test checks that the two agree). */
static const char *const complaint_cats[] = {"security", "noise",     "facilities", "parking",
                                             "hygiene",  "neighbour", "service",    "other"};

/* One "category=hours" item of complaint.due_hours; *hours 1..720. */
static int due_item(const char *p, size_t n, size_t *cat, long *hours)
{
    const char *eq = memchr(p, '=', n);
    if (!eq)
        return -EINVAL;
    size_t kn = (size_t)(eq - p);
    *cat = sizeof complaint_cats / sizeof complaint_cats[0];
    for (size_t i = 0; i < sizeof complaint_cats / sizeof complaint_cats[0]; i++)
        if (strlen(complaint_cats[i]) == kn && strncmp(complaint_cats[i], p, kn) == 0)
            *cat = i;
    if (*cat == sizeof complaint_cats / sizeof complaint_cats[0] || n - kn - 1 < 1 ||
        n - kn - 1 > 3)
        return -EINVAL;
    *hours = 0;
    for (const char *d = eq + 1; d < p + n; d++) {
        if (*d < '0' || *d > '9')
            return -EINVAL;
        *hours = *hours * 10 + (*d - '0');
    }
    return *hours >= 1 && *hours <= 720 ? 0 : -EINVAL;
}

/* "security=8,noise=24": known categories, each once, hours 1..720; empty is allowed. */
static int check_due_hours(const char *v)
{
    unsigned seen = 0;
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, ",");
        size_t cat;
        long hours;
        if (due_item(p, n, &cat, &hours) || (seen & (1u << cat)))
            return -EINVAL;
        seen |= 1u << cat;
        p += n;
        if (*p == ',' && *++p == '\0')
            return -EINVAL;
    }
    return 0;
}

long conf_complaint_due_hours(const struct conf *c, const char *category)
{
    for (const char *p = c->complaint_due_hours; *p;) {
        size_t n = strcspn(p, ",");
        size_t cat;
        long hours;
        if (!due_item(p, n, &cat, &hours) && strcmp(complaint_cats[cat], category) == 0)
            return hours;
        p += n + (p[n] == ',');
    }
    return c->complaint_due_default;
}

static int check_tz(const char *v)
{
    /* An IANA name: letters, digits, '/', '_', '-', '+'; no "..". */
    if (!*v || strstr(v, ".."))
        return -EINVAL;
    for (const char *p = v; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return -EINVAL;
    }
    return 0;
}

int conf_period_months(const char *v, int *months)
{
    *months = 0;
    if (!*v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *v < '0' || *v > '9' || (strcmp(end, "y") && strcmp(end, "m")))
        return -EINVAL;
    if (n > 1200)
        return -EINVAL;
    n = *end == 'y' ? n * 12 : n;
    if (n > 1200)
        return -EINVAL;
    if (n < 12)
        return -ERANGE;
    *months = (int)n;
    return 0;
}

static int check_period(const char *v)
{
    int m;
    return conf_period_months(v, &m);
}

static int check_profile(const char *v)
{
    return strcmp(v, "regulation") == 0 || strcmp(v, "gb25201") == 0 ? 0 : -EINVAL;
}

#define PERIOD_KEY(key, field, what)                                                               \
    {                                                                                              \
        "retention." key, CONF_STR, OFF(field), 0, 0, 0, "", check_period,                         \
            "keep " what " this long: Ny or Nm, at least 1y (empty: the profile's period)"         \
    }

/* "daily,weekly,monthly" or a subset, or empty. */
static int check_report_kinds(const char *v)
{
    static const char *const kinds[] = {"daily", "weekly", "monthly"};
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, ",");
        int ok = 0;
        for (size_t i = 0; i < 3; i++)
            ok |= strlen(kinds[i]) == n && strncmp(p, kinds[i], n) == 0;
        if (!ok)
            return -EINVAL;
        p += n;
        if (*p == ',' && *++p == '\0')
            return -EINVAL;
    }
    return 0;
}

/* "HH:MM", 00:00..23:59. */
static int check_hhmm(const char *v)
{
    if (strlen(v) != 5 || v[2] != ':')
        return -EINVAL;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (v[i] < '0' || v[i] > '9'))
            return -EINVAL;
    int h = (v[0] - '0') * 10 + (v[1] - '0'), m = (v[3] - '0') * 10 + (v[4] - '0');
    return (h < 24 && m < 60) ? 0 : -EINVAL;
}

#define OFF(f) offsetof(struct conf, f)
static const struct conf_key conf_table[] = {
    {"http.listen", CONF_STR, OFF(http_listen), 0, 0, 0, "127.0.0.1:8080", check_listen,
     "HOST:PORT the console and API listen on (port 0 picks a free one)"},
    {"http.web_root", CONF_STR, OFF(http_web_root), 0, 0, 0, "web", NULL,
     "directory holding the web console's static files"},
    {"http.max_body", CONF_INT, OFF(http_max_body), 1024, 16 << 20, 65536, NULL, NULL,
     "largest accepted request body, bytes"},
    {"http.max_connections", CONF_INT, OFF(http_max_connections), 4, 4096, 256, NULL, NULL,
     "simultaneous HTTP connections"},
    {"site.timezone", CONF_STR, OFF(site_timezone), 0, 0, 0, "Asia/Shanghai", check_tz,
     "IANA time zone the console shows times in (stored times are UTC)"},
    {"session.idle_timeout", CONF_INT, OFF(session_idle_timeout), 60, 86400, 1800, NULL, NULL,
     "seconds of inactivity after which a session expires"},
    {"session.max_lifetime", CONF_INT, OFF(session_max_lifetime), 300, 604800, 43200, NULL, NULL,
     "seconds after which a session expires regardless of activity"},
    {"login.max_failures", CONF_INT, OFF(login_max_failures), 1, 100, 5, NULL, NULL,
     "failed logins for one username before it is locked out"},
    {"login.lockout_base", CONF_INT, OFF(login_lockout_base), 1, 3600, 30, NULL, NULL,
     "first lockout in seconds; doubles with each further failure"},
    {"login.lockout_max", CONF_INT, OFF(login_lockout_max), 1, 86400, 900, NULL, NULL,
     "longest lockout in seconds"},
    {"auth.argon2_memlimit_kib", CONF_INT, OFF(argon2_memlimit_kib), 8192, 1048576, 65536, NULL,
     NULL, "argon2id memory cost for new password hashes, KiB"},
    {"auth.argon2_opslimit", CONF_INT, OFF(argon2_opslimit), 1, 10, 2, NULL, NULL,
     "argon2id time cost for new password hashes"},
    {"log.level", CONF_STR, OFF(log_level), 0, 0, 0, "info", check_level,
     "debug | info | warn | error | off"},
    {"sse.heartbeat", CONF_INT, OFF(sse_heartbeat), 1, 300, 15, NULL, NULL,
     "seconds between keep-alive comments on the event stream"},
    {"sse.ring_size", CONF_INT, OFF(sse_ring_size), 16, 262144, 16384, NULL, NULL,
     "recent events kept for Last-Event-ID replay"},
    {"store.busy_timeout_ms", CONF_INT, OFF(store_busy_timeout_ms), 100, 60000, 5000, NULL, NULL,
     "how long a store access waits for a lock held by another process"},
    {"store.readers", CONF_INT, OFF(store_readers), 1, 64, 4, NULL, NULL,
     "read-only connections in the pool"},
    {"dc09.listen", CONF_STR, OFF(dc09_listen), 0, 0, 0, "", check_listen_or_empty,
     "HOST:PORT of the SIA DC-09 receiver, TCP and UDP (empty = off; --dc09 sets it)"},
    {"dc09.window_past", CONF_INT, OFF(dc09_window_past), 1, 3600, 40, NULL, NULL,
     "seconds a panel's timestamp may lag the receiver's clock (DC-09: 40)"},
    {"dc09.window_future", CONF_INT, OFF(dc09_window_future), 1, 3600, 20, NULL, NULL,
     "seconds a panel's timestamp may lead the receiver's clock (DC-09: 20)"},
    {"dc09.max_connections", CONF_INT, OFF(dc09_max_connections), 16, 100000, 12000, NULL, NULL,
     "simultaneous TCP connections from panels"},
    {"dc09.idle_timeout", CONF_INT, OFF(dc09_idle_timeout), 5, 86400, 300, NULL, NULL,
     "seconds before an idle panel connection (or a half-sent frame) is closed"},
    {"dc09.account", CONF_LIST, OFF(dc09_accounts), 0, 0, 0, NULL, check_account,
     "a panel account, one line each: ACCOUNT [key=HEX32|48|64-or-16|24|32-ASCII] "
     "[heartbeat=SECONDS] [name=TEXT]"},
    {"alarm.supervision_grace", CONF_INT, OFF(alarm_supervision_grace), 0, 3600, 30, NULL, NULL,
     "seconds added to an account's heartbeat before it is reported missing"},
    {"alarm.checklist_dir", CONF_STR, OFF(alarm_checklist_dir), 0, 0, 0, "", NULL,
     "directory of the response checklists, one TYPE.json per incident type (empty: "
     "data/checklists beside the web root)"},
    {"escalation.ack_timeout_p1", CONF_INT, OFF(escalation_ack_p1), 5, 86400, 60, NULL, NULL,
     "seconds a priority-1 incident (fire, panic, elevator) may stay unacknowledged before the "
     "shift leader is alerted"},
    {"escalation.ack_timeout_p2", CONF_INT, OFF(escalation_ack_p2), 5, 86400, 120, NULL, NULL,
     "the same for priority 2 (intrusion)"},
    {"escalation.ack_timeout_p3", CONF_INT, OFF(escalation_ack_p3), 5, 86400, 300, NULL, NULL,
     "the same for priority 3 (tamper, trouble, communication failure)"},
    {"escalation.ack_timeout_p4", CONF_INT, OFF(escalation_ack_p4), 5, 86400, 900, NULL, NULL,
     "the same for priority 4 (other)"},
    {"escalation.entrapment_minutes", CONF_INT, OFF(escalation_entrapment_minutes), 1, 1440, 15,
     NULL, NULL, "minutes an elevator incident may stay open before it is major"},
    {"escalation.webhook_url", CONF_STR, OFF(escalation_webhook_url), 0, 0, 0, "", NULL,
     "URL that receives each escalation as a JSON POST (empty = off); retried until delivered"},
    {"escalation.webhook_timeout", CONF_INT, OFF(escalation_webhook_timeout), 1, 120, 5, NULL, NULL,
     "seconds one webhook delivery may take"},
    {"duty.min_operators", CONF_INT, OFF(duty_min_operators), 1, 20, 2, NULL, NULL,
     "trained operators that must be on duty at every moment (GB 25201-2010 5.2: 2)"},
    {"duty.max_shift_hours", CONF_INT, OFF(duty_max_shift_hours), 1, 24, 8, NULL, NULL,
     "a roster slot longer than this is flagged"},
    {"duty.required_training", CONF_STR, OFF(duty_required_training), 0, 0, 0,
     "system_operation,fire_knowledge", NULL,
     "courses (comma list) an operator must hold, unexpired, to count towards the minimum"},
    {"duty.attendance_grace", CONF_INT, OFF(duty_attendance_grace), 0, 120, 10, NULL, NULL,
     "minutes of lateness or early leave tolerated before attendance flags it"},
    {"retention.profile", CONF_STR, OFF(retention_profile), 0, 0, 0, "regulation", check_profile,
     "retention periods: regulation (one year for every record, R4.1-R4.7) | gb25201 (five years "
     "for test, maintenance and repair records, GB 25201-2010); see docs/retention.md"},
    {"retention.run_at", CONF_STR, OFF(retention_run_at), 0, 0, 0, "03:30", check_hhmm,
     "local time (HH:MM, site time zone) of the nightly retention run"},
    {"retention.batch", CONF_INT, OFF(retention_batch), 10, 10000, 500, NULL, NULL,
     "records removed per write transaction by the retention job"},
    PERIOD_KEY("duty_log", retention_duty_log, "duty-log entries (R4.1)"),
    PERIOD_KEY("incident", retention_incident,
               "closed incidents with their alarms, timeline, steps, escalations and hand-offs"),
    PERIOD_KEY("alarm", retention_alarm, "received alarm messages not linked to an incident"),
    PERIOD_KEY("complaint", retention_complaint, "closed complaints with their escalations"),
    PERIOD_KEY("handover", retention_handover, "signed handovers"),
    PERIOD_KEY("room_entry", retention_room_entry, "control-room entries (R3.4.12)"),
    PERIOD_KEY("recording_request", retention_recording_request,
               "closed requests of the recording access register (R3.4.3)"),
    PERIOD_KEY("line_use", retention_line_use, "alarm-line and fire-telephone uses (R3.4.10)"),
    PERIOD_KEY("handoff", retention_handoff, "hand-offs not linked to an incident"),
    PERIOD_KEY("attendance", retention_attendance, "attendance records"),
    PERIOD_KEY("roster", retention_roster, "roster slots"),
    PERIOD_KEY("training", retention_training, "training records (from their expiry)"),
    PERIOD_KEY("audit", retention_audit, "audit records (a signed checkpoint replaces them)"),
    PERIOD_KEY("ticket", retention_ticket,
               "closed fault tickets with their timeline (repair records: 5 years under gb25201)"),
    PERIOD_KEY(
        "check_record", retention_check_record,
        "filled check sheets R4.2-R4.7 (test and maintenance records: 5 years under gb25201)"),
    PERIOD_KEY("report", retention_report, "stored reports for superiors (R3.4.9)"),
    PERIOD_KEY("camera_history", retention_camera_history,
               "camera-health state changes (S4) not named by a camera's current state"),
    {"report.schedule", CONF_STR, OFF(report_schedule), 0, 0, 0, "daily,weekly,monthly",
     check_report_kinds,
     "reports generated and kept automatically (comma list of daily, weekly, monthly; empty = "
     "none)"},
    {"report.schedule_at", CONF_STR, OFF(report_schedule_at), 0, 0, 0, "00:10", check_hhmm,
     "local time HH:MM after the end of a period (midnight) when its scheduled report is made"},
    {"report.catch_up_days", CONF_INT, OFF(report_catch_up_days), 0, 62, 7, NULL, NULL,
     "after downtime, missed scheduled reports of periods that ended within this many days are "
     "made"},
    {"ticket.due_fault", CONF_INT, OFF(ticket_due_fault), 10, 43200, 1440, NULL, NULL,
     "minutes a reported fault may take to repair before it is overdue and escalated"},
    {"ticket.due_check_failure", CONF_INT, OFF(ticket_due_check_failure), 10, 43200, 1440, NULL,
     NULL, "the same for a fault found by a failed check-sheet item"},
    {"ticket.due_camera_health", CONF_INT, OFF(ticket_due_camera_health), 10, 43200, 2880, NULL,
     NULL, "the same for a camera-health fault (blur, dark, frozen, offline)"},
    {"ticket.due_urgent", CONF_INT, OFF(ticket_due_urgent), 10, 43200, 240, NULL, NULL,
     "the same for urgent tickets: fire-alarm equipment (controller, detectors, the alarm line)"},
    {"ticket.escalate_major_after", CONF_INT, OFF(ticket_escalate_major_after), 10, 43200, 1440,
     NULL, NULL,
     "minutes past due before an unrepaired ticket goes on to the supervisor and manager"},
    {"check.sheet_dir", CONF_STR, OFF(check_sheet_dir), 0, 0, 0, "", NULL,
     "directory of the check-sheet templates, one CODE.json each, imported as new versions at "
     "start when changed (empty: data/checksheets beside the web root)"},
    {"camera.enabled", CONF_INT, OFF(camera_enabled), 0, 1, 1, NULL, NULL,
     "1: fetch and analyse the configured camera snapshots (camera health, S4); 0: off"},
    {"camera.max_in_flight", CONF_INT, OFF(camera_max_in_flight), 1, 1024, 64, NULL, NULL,
     "camera snapshots fetched at the same time"},
    {"camera.max_snapshot_bytes", CONF_INT, OFF(camera_max_snapshot_bytes), 65536, 33554432,
     4194304, NULL, NULL, "a larger snapshot is refused (the camera is reported offline)"},
    {"camera.workers", CONF_INT, OFF(camera_workers), 1, 64, 2, NULL, NULL,
     "threads decoding and analysing camera snapshots"},
    {"duty.status_interval", CONF_INT, OFF(duty_status_interval), 15, 720, 120, NULL, NULL,
     "minutes between running-status entries of the equipment (GB 25201-2010 5.2: every 2 h); "
     "the day is cut into such periods from local midnight and each needs one entry"},
    {"recording.keep_days", CONF_INT, OFF(recording_keep_days), 1, 365, 7, NULL, NULL,
     "days the video recorders keep footage (R3.4.2: 7, overwritten from the 8th day); a request "
     "to view or borrow footage older than this is refused"},
    {"recording.cut_at", CONF_STR, OFF(recording_cut_at), 0, 0, 0, "01:00", check_hhmm,
     "local time HH:MM of the recorders' daily cut (R3.4.2: 01:00): a day's footage runs from one "
     "cut to the next and is overwritten at the cut keep_days later"},
    {"duty.opening_check", CONF_INT, OFF(duty_opening_check), 1, 720, 60, NULL, NULL,
     "minutes after a handover whose roster must hold the minimum of trained operators; below "
     "it, the handover needs a shift leader's override with a reason"},
    {"complaint.due_hours", CONF_STR, OFF(complaint_due_hours), 0, 0, 0, "security=8",
     check_due_hours,
     "hours a normal complaint may take, by category (comma list of category=hours, 1..720; "
     "categories: security noise facilities parking hygiene neighbour service other)"},
    {"complaint.due_hours_default", CONF_INT, OFF(complaint_due_default), 1, 720, 24, NULL, NULL,
     "hours a normal complaint of a category not in complaint.due_hours may take"},
    {"complaint.due_hours_urgent", CONF_INT, OFF(complaint_due_urgent), 1, 720, 4, NULL, NULL,
     "hours an urgent complaint may take, whatever its category"},
    {"complaint.due_hours_major", CONF_INT, OFF(complaint_due_major), 1, 720, 1, NULL, NULL,
     "hours a major complaint may take, whatever its category"},
    {"complaint.return_visit_hours", CONF_INT, OFF(complaint_return_visit_hours), 1, 720, 72, NULL,
     NULL, "hours after the result is given back by which the return visit is due"},
};
#undef OFF
#define CONF_NKEYS (sizeof conf_table / sizeof conf_table[0])

void conf_defaults(struct conf *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < CONF_NKEYS; i++) {
        const struct conf_key *k = &conf_table[i];
        char *field = (char *)c + k->offset;
        if (k->type == CONF_INT)
            *(long *)(void *)field = k->def_int;
        else if (k->type == CONF_STR)
            snprintf(field, CONF_STR_MAX, "%s", k->def_str);
    }
}

static const struct conf_key *find_key(const char *name)
{
    for (size_t i = 0; i < CONF_NKEYS; i++)
        if (strcmp(conf_table[i].name, name) == 0)
            return &conf_table[i];
    return NULL;
}

static int set_value(struct conf *c, const struct conf_key *k, const char *v, char *err,
                     size_t errsz)
{
    char *field = (char *)c + k->offset;
    if (k->type == CONF_INT) {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end != '\0') {
            snprintf(err, errsz, "key %s: \"%s\" is not a whole number", k->name, v);
            return -EINVAL;
        }
        if (n < k->min || n > k->max) {
            snprintf(err, errsz, "key %s: %ld is out of range %ld..%ld", k->name, n, k->min,
                     k->max);
            return -EINVAL;
        }
        *(long *)(void *)field = n;
        return 0;
    }
    if (strlen(v) >= CONF_STR_MAX) {
        snprintf(err, errsz, "key %s: value longer than %d bytes", k->name, CONF_STR_MAX - 1);
        return -EINVAL;
    }
    int bad = k->check ? k->check(v) : 0;
    if (bad == -ERANGE) {
        snprintf(err, errsz,
                 "key %s: \"%.80s\" is shorter than one year; the regulation (R4.1-R4.7) "
                 "requires records to be kept at least one year",
                 k->name, v);
        return -EINVAL;
    }
    if (bad) {
        snprintf(err, errsz, "key %s: invalid value \"%.80s\"", k->name, v);
        return -EINVAL;
    }
    if (k->type == CONF_LIST) {
        struct conf_list *l = (struct conf_list *)(void *)field;
        if (l->n >= CONF_LIST_MAX) {
            snprintf(err, errsz, "key %s: more than %d entries", k->name, CONF_LIST_MAX);
            return -EINVAL;
        }
        snprintf(l->v[l->n++], CONF_STR_MAX, "%s", v);
        return 0;
    }
    snprintf(field, CONF_STR_MAX, "%s", v);
    return 0;
}

int conf_set(struct conf *c, const char *key, const char *value, char *err, size_t errsz)
{
    const struct conf_key *k = find_key(key);
    if (!k) {
        snprintf(err, errsz, "unknown key \"%s\"", key);
        return -ENOENT;
    }
    return set_value(c, k, value, err, errsz);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Strips a trailing comment and, when the value is double-quoted, the quotes: inside quotes '#'
 * is part of the value, and a comment may follow the closing quote. Returns NULL when the quote
 * is not closed or other text follows it. */
static char *unquote(char *val)
{
    if (*val != '"') {
        char *hash = strchr(val, '#');
        if (hash)
            *hash = '\0';
        return trim(val);
    }
    char *close = strchr(val + 1, '"');
    if (!close)
        return NULL;
    const char *rest = close + 1;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (*rest != '\0' && *rest != '#')
        return NULL;
    *close = '\0';
    return val + 1;
}

/* Parses one line in place. Returns 0 (also for blank/comment), -EINVAL with err set. */
static int parse_line(struct conf *c, char *line, int lineno, unsigned char *seen, char *err,
                      size_t errsz)
{
    char *s = trim(line);
    if (*s == '\0' || *s == '#')
        return 0;
    char *eq = strchr(s, '=');
    if (!eq) {
        snprintf(err, errsz, "line %d: expected \"key = value\"", lineno);
        return -EINVAL;
    }
    *eq = '\0';
    char *key = trim(s), *val = unquote(trim(eq + 1));
    const struct conf_key *k = find_key(key);
    if (!k) {
        snprintf(err, errsz, "line %d: unknown key \"%.64s\"", lineno, key);
        return -EINVAL;
    }
    if (!val) {
        snprintf(err, errsz, "line %d: key %s: unbalanced quotes", lineno, k->name);
        return -EINVAL;
    }
    size_t idx = (size_t)(k - conf_table);
    if (seen[idx] && k->type != CONF_LIST) {
        snprintf(err, errsz, "line %d: key %s set twice", lineno, k->name);
        return -EINVAL;
    }
    seen[idx] = 1;
    char sub[256];
    if (set_value(c, k, val, sub, sizeof sub) != 0) {
        snprintf(err, errsz, "line %d: %s", lineno, sub);
        return -EINVAL;
    }
    return 0;
}

int conf_parse(struct conf *c, const char *text, size_t len, char *err, size_t errsz)
{
    unsigned char seen[CONF_NKEYS] = {0};
    int lineno = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        lineno++;
        if (n > 1024) {
            snprintf(err, errsz, "line %d: longer than 1024 bytes", lineno);
            return -EINVAL;
        }
        char line[1025];
        memcpy(line, text + pos, n);
        line[n] = '\0';
        if (memchr(line, '\0', n)) {
            snprintf(err, errsz, "line %d: contains a NUL byte", lineno);
            return -EINVAL;
        }
        int rc = parse_line(c, line, lineno, seen, err, errsz);
        if (rc)
            return rc;
        pos += n + (nl ? 1 : 0);
    }
    return 0;
}

int conf_load_file(struct conf *c, const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errsz, "%s: %s", path, strerror(e));
        return -e;
    }
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    int rc = 0;
    if (ferror(f)) {
        snprintf(err, errsz, "%s: read error", path);
        rc = -EIO;
    } else if (!feof(f)) {
        snprintf(err, errsz, "%s: larger than 64 KiB", path);
        rc = -EINVAL;
    } else {
        char sub[300];
        rc = conf_parse(c, buf, n, sub, sizeof sub);
        if (rc)
            snprintf(err, errsz, "%s: %s", path, sub);
    }
    fclose(f);
    return rc;
}

void conf_print_help(FILE *f)
{
    fprintf(f, "# Vigil configuration keys (file format: key = value)\n");
    for (size_t i = 0; i < CONF_NKEYS; i++) {
        const struct conf_key *k = &conf_table[i];
        fprintf(f, "\n# %s\n", k->help);
        if (k->type == CONF_LIST)
            fprintf(f, "# (repeat the line for each entry; none by default)\n# %s = ...\n",
                    k->name);
        else if (k->type == CONF_INT)
            fprintf(f, "# range %ld..%ld\n%s = %ld\n", k->min, k->max, k->name, k->def_int);
        else
            fprintf(f, "%s = %s\n", k->name, k->def_str);
    }
}
