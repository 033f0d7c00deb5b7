/* alarm.c - ingest (supervision, dedup, mapping, incident, record), the alarms API, accounts,
 * mappings and supervision. */
#include "app/alarm.h"

#include "app/audit.h"
#include "app/dutylog.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_model.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

void alarm_set_digest(struct alarm_in *a, const void *content, size_t len)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, content, len);
    memcpy(a->digest, h, ALARM_DIGEST_LEN);
}

static char *incident_snapshot(struct store_conn *c, int64_t id)
{
    char *json = NULL;
    return store_incident_json(c, id, &json) == 0 ? json : NULL;
}

void incident_emit(struct store_conn *c, int64_t id)
{
    store_conn_emit_lazy(c, "incident", id, incident_snapshot);
}

/* A message after silence closes the account's communication-failure incident as restored. */
static int restore_comm(struct store_conn *c, const char *account, int64_t now)
{
    int64_t id;
    int rc = store_incident_find_open(c, account, "", "comm_failure", &id);
    if (rc == -ENOENT)
        return 0;
    if (rc)
        return rc;
    char state[16], type[16];
    rc = store_incident_state(c, id, state, sizeof state, type, sizeof type);
    if (!rc)
        rc = store_incident_set_state(c, id, "closed", NULL, "system", now);
    if (!rc)
        rc = store_incident_event_add(c, id, now, "system", "restored", state, "closed",
                                      "communication restored");
    if (!rc)
        rc = dutylog_auto(c, "system", "alarm", id,
                          "incident #%lld: account %s communication "
                          "restored, closed",
                          (long long)id, account);
    if (!rc)
        incident_emit(c, id);
    return rc;
}

static void make_title(char *out, size_t n, const struct alarm_in *in, const char *type)
{
    if (in->zone[0])
        snprintf(out, n, "%s %s %s zone %s", type, in->protocol, in->code, in->zone);
    else
        snprintf(out, n, "%s %s %s", type, in->protocol, in->code);
}

static int open_incident(struct store_conn *c, const struct alarm_in *in, const char *type,
                         int64_t device_id, int64_t area_id, int64_t now, int64_t *id)
{
    char title[160];
    make_title(title, sizeof title, in, type);
    struct store_incident_new n = {.type = type,
                                   .priority = incident_priority(type),
                                   .account = in->account,
                                   .zone = in->zone,
                                   .area_id = area_id,
                                   .device_id = device_id,
                                   .unmapped = area_id == 0 && device_id == 0,
                                   .title = title,
                                   .source = in->source,
                                   .now = now};
    int rc = store_incident_insert(c, &n, id);
    if (!rc)
        rc = store_incident_event_add(c, *id, now, "system", "opened", NULL, "new", title);
    if (rc)
        return rc;
    struct actor sys;
    app_actor_system(&sys, "system");
    char obj[48];
    snprintf(obj, sizeof obj, "incident:%lld", (long long)*id);
    rc = audit_append(c, &sys, "incident.open", obj, "%s (priority %d)%s", title, n.priority,
                      n.unmapped ? ", unmapped" : "");
    if (!rc)
        rc = dutylog_auto(c, "system", "alarm", *id, "incident #%lld opened: %s (priority %d)%s",
                          (long long)*id, title, n.priority, n.unmapped ? ", unmapped" : "");
    return rc;
}

/* Decides the incident an event joins or opens; restores are noted on the open one. */
static int route(struct store_conn *c, const struct alarm_in *in, int64_t now,
                 struct alarm_result *out)
{
    int64_t device_id = 0, area_id = 0;
    char mtype[INCIDENT_TYPE_MAX] = "";
    int rc = store_map_lookup(c, in->account, in->zone, &device_id, &area_id, mtype, sizeof mtype);
    if (rc && rc != -ENOENT)
        return rc;
    /* An explicit type (integrations) wins; then the mapping (an elevator controller's zone
     * says "elevator" whatever code the panel uses); then the event code's class. */
    const char *type = in->type[0]        ? in->type
                       : mtype[0]         ? mtype
                       : in->code_type[0] ? in->code_type
                                          : NULL;
    enum alarm_kind kind = in->kind;
    if (kind == ALARM_RESTORE) {
        rc = store_incident_find_open_zone(c, in->account, in->zone, &out->incident_id);
        if (rc == -ENOENT)
            return 0;
        if (!rc)
            rc = store_incident_event_add(c, out->incident_id, now, "system", "restore", NULL, NULL,
                                          in->code);
        return rc;
    }
    if (kind != ALARM_EVENT && kind != ALARM_STATUS)
        return 0;
    if (!type)
        type = "other";
    rc = store_incident_find_open(c, in->account, in->zone, type, &out->incident_id);
    if (rc == -ENOENT && kind == ALARM_EVENT) {
        rc = open_incident(c, in, type, device_id, area_id, now, &out->incident_id);
        out->new_incident = rc == 0;
    } else if (rc == -ENOENT) {
        out->incident_id = 0;
        return 0;
    }
    if (!rc)
        rc = store_incident_count_alarm(c, out->incident_id, now);
    return rc;
}

/* Supervision needs an account's last message to the second, not to the alarm: during a storm
 * the same account is marked seen at most once a second. The cache lives on the writer thread
 * only (all ingest runs there); supervision forgets an account when it marks it missing, so the
 * next message always takes the full path and closes the communication failure. A rolled-back
 * job can leave an entry whose update did not commit: last_seen is then at most 1 s old. */
#define SEEN_SLOTS 4096
static struct {
    const struct store_conn *conn;
    char account[17];
    int64_t at;
} seen_cache[SEEN_SLOTS];

static size_t seen_slot(const struct store_conn *c, const char *account)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)c;
    for (const char *p = account; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return (size_t)(h % SEEN_SLOTS);
}

static void seen_forget(const struct store_conn *c, const char *account)
{
    size_t i = seen_slot(c, account);
    if (seen_cache[i].conn == c && strcmp(seen_cache[i].account, account) == 0)
        seen_cache[i].conn = NULL;
}

static int account_seen(struct store_conn *c, const char *account, int64_t now, int *was_missing)
{
    size_t i = seen_slot(c, account);
    *was_missing = 0;
    if (seen_cache[i].conn == c && strcmp(seen_cache[i].account, account) == 0 &&
        now - seen_cache[i].at < 1000 && now >= seen_cache[i].at)
        return 0;
    int rc = store_account_seen(c, account, now, was_missing);
    if (!rc) {
        seen_cache[i].conn = c;
        snprintf(seen_cache[i].account, sizeof seen_cache[i].account, "%s", account);
        seen_cache[i].at = now;
    }
    return rc;
}

/* Appends s as a JSON string at out + at; returns the new end. out must have room for 6 bytes
 * per input byte plus the quotes. Bytes that are not UTF-8 become U+FFFD. */
static size_t json_str(char *out, size_t at, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    out[at++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned char ch = *p;
        if (ch < 0x80) {
            if (ch == '"' || ch == '\\') {
                out[at++] = '\\';
                out[at++] = (char)ch;
            } else if (ch < 0x20) {
                memcpy(out + at, "\\u00", 4);
                out[at + 4] = hex[ch >> 4];
                out[at + 5] = hex[ch & 15];
                at += 6;
            } else {
                out[at++] = (char)ch;
            }
            p++;
            continue;
        }
        int more = ch >= 0xF0 && ch <= 0xF4   ? 3
                   : ch >= 0xE0 && ch <= 0xEF ? 2
                   : ch >= 0xC2 && ch <= 0xDF ? 1
                                              : 0;
        int ok = more > 0;
        for (int k = 1; ok && k <= more; k++)
            ok = (p[k] & 0xC0) == 0x80;
        if (!ok) {
            memcpy(out + at, "\\ufffd", 6);
            at += 6;
            p++;
            continue;
        }
        memcpy(out + at, p, (size_t)more + 1);
        at += (size_t)more + 1;
        p += more + 1;
    }
    out[at++] = '"';
    return at;
}

/* The live stream's "alarm" event as JSON text: no jansson values on the writer or the pump. */
static char *alarm_event(const struct alarm_in *in, int64_t alarm_id, int64_t incident_id)
{
    char *out = xmalloc(512); /* at worst 6 bytes per byte of account, code and zone: < 300 */
    size_t at = (size_t)snprintf(out, 48, "{\"id\":%lld,\"account\":", (long long)alarm_id);
    at = json_str(out, at, in->account);
    memcpy(out + at, ",\"code\":", 8);
    at = json_str(out, at + 8, in->code);
    memcpy(out + at, ",\"kind\":", 8);
    at = json_str(out, at + 8, alarm_kind_name(in->kind));
    memcpy(out + at, ",\"zone\":", 8);
    at = json_str(out, at + 8, in->zone);
    snprintf(out + at, 48, ",\"incident_id\":%lld}", (long long)incident_id);
    return out;
}

int alarm_ingest(struct store_conn *c, const struct alarm_in *in, int64_t now,
                 struct alarm_result *out)
{
    memset(out, 0, sizeof *out);
    int was_missing = 0;
    int rc = account_seen(c, in->account, now, &was_missing);
    if (!rc && was_missing)
        rc = restore_comm(c, in->account, now);
    if (rc || in->kind == ALARM_SUPERVISION)
        return rc;
    if (in->seq >= 0) {
        rc = store_alarm_find_retx(c, in->account, in->seq, in->digest, now - ALARM_RETX_WINDOW_MS,
                                   &out->alarm_id, &out->incident_id);
        if (rc == 0) {
            out->duplicate = 1;
            return 0;
        }
        if (rc != -ENOENT)
            return rc;
    }
    rc = route(c, in, now, out);
    if (rc)
        return rc;
    struct store_alarm_row row = {.received_at = now,
                                  .protocol = in->protocol,
                                  .account = in->account,
                                  .receiver = in->receiver,
                                  .line = in->line,
                                  .seq = in->seq,
                                  .code = in->code,
                                  .kind = alarm_kind_name(in->kind),
                                  .zone = in->zone,
                                  .partition = in->partition,
                                  .text = in->text,
                                  .event_time = in->event_time,
                                  .digest = in->digest,
                                  .source = in->source,
                                  .incident_id = out->incident_id};
    rc = store_alarm_insert(c, &row, &out->alarm_id);
    if (rc)
        return rc;
    store_conn_emit_text(c, "alarm", alarm_event(in, out->alarm_id, out->incident_id));
    /* A new incident (and a restore noted on one) goes out right after the commit; a repeat
     * alarm joining an open incident only raises its count: at most one snapshot per incident
     * per 200 ms, the last one always. */
    if (out->incident_id && (out->new_incident || in->kind == ALARM_RESTORE))
        incident_emit(c, out->incident_id);
    else if (out->incident_id)
        store_conn_emit_coalesced(c, "incident", out->incident_id, incident_snapshot);
    return 0;
}

/* ---- POST /api/v1/alarms ---- */

struct ingest_job {
    const struct alarm_in *in;
    struct alarm_result res;
};

static int ingest_job(struct store_conn *c, void *arg)
{
    struct ingest_job *j = arg;
    return alarm_ingest(c, j->in, clock_now_ms(), &j->res);
}

static int copy_field(char *dst, size_t n, json_t *in, const char *key, int required,
                      struct app_err *err)
{
    const char *v = json_string_value(json_object_get(in, key));
    if (!v)
        return required ? app_invalid(err, key, "is required") : 0;
    if (strlen(v) >= n || (required && !*v))
        return app_invalid(err, key, "must be 1 to %zu bytes", n - 1);
    snprintf(dst, n, "%s", v);
    return 0;
}

static int check_account(const char *s, struct app_err *err)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_'))
            return app_invalid(err, "account", "may hold only letters, digits, '-' and '_'");
    return 0;
}

static int api_alarm_from_json(json_t *in, struct alarm_in *a, struct app_err *err)
{
    memset(a, 0, sizeof *a);
    a->protocol = "API";
    a->seq = -1;
    int rc = copy_field(a->account, sizeof a->account, in, "account", 1, err);
    if (!rc)
        rc = check_account(a->account, err);
    if (!rc)
        rc = copy_field(a->code, sizeof a->code, in, "code", 1, err);
    if (!rc)
        rc = copy_field(a->zone, sizeof a->zone, in, "zone", 0, err);
    if (!rc)
        rc = copy_field(a->text, sizeof a->text, in, "text", 0, err);
    if (!rc)
        rc = copy_field(a->type, sizeof a->type, in, "type", 0, err);
    if (rc)
        return rc;
    int found = 0;
    for (const char *const *t = incident_types; *t; t++)
        found |= strcmp(*t, a->type) == 0;
    if (a->type[0] && !found)
        return app_invalid(err, "type",
                           "must be one of fire, smoke_heat, intrusion, panic, "
                           "elevator, trouble, tamper, comm_failure, other");
    const char *kind = json_string_value(json_object_get(in, "kind"));
    if (kind && (alarm_kind_parse(kind, &a->kind) || a->kind == ALARM_SUPERVISION))
        return app_invalid(err, "kind", "must be event, restore, status, test or log");
    json_t *seq = json_object_get(in, "seq");
    if (seq) {
        a->seq = json_integer_value(seq);
        if (a->seq < 0 || a->seq > 2000000000)
            return app_invalid(err, "seq", "must be 0 to 2000000000");
    }
    return 0;
}

int app_alarm_submit(struct app *a, const struct actor *who, json_t *in, json_t **out,
                     int *duplicate, struct app_err *err)
{
    struct alarm_in al;
    int rc = api_alarm_from_json(in, &al, err);
    if (rc)
        return rc;
    snprintf(al.source, sizeof al.source, "%s", who->name);
    /* The content that identifies a retransmission: everything but time and source. */
    char content[320];
    int n = snprintf(content, sizeof content, "%s|%s|%s|%s|%s|%s", al.account, al.code,
                     alarm_kind_name(al.kind), al.zone, al.type, al.text);
    alarm_set_digest(&al, content, (size_t)n < sizeof content ? (size_t)n : sizeof content - 1);
    struct ingest_job j = {.in = &al};
    rc = store_write(a->st, ingest_job, &j);
    if (rc)
        return rc;
    *duplicate = j.res.duplicate;
    *out = json_pack("{sI sI sb sb}", "alarm_id", (json_int_t)j.res.alarm_id, "incident_id",
                     (json_int_t)j.res.incident_id, "duplicate", j.res.duplicate, "new_incident",
                     j.res.new_incident);
    return 0;
}

int app_alarm_list(struct app *a, const char *account, int64_t incident_id, const struct page *pg,
                   json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_alarm_list(c, account, incident_id, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

/* ---- supervision ---- */

struct supervise_job {
    int64_t now, grace;
    int opened;
};

static int supervise_job(struct store_conn *c, void *arg)
{
    struct supervise_job *j = arg;
    json_t *rows = NULL;
    int rc = store_account_lapsed(c, j->now, j->grace, &rows);
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        if (rc)
            break;
        struct alarm_in in = {.protocol = "SUPERVISION", .seq = -1, .kind = ALARM_EVENT};
        snprintf(in.account, sizeof in.account, "%s",
                 json_string_value(json_object_get(r, "account")));
        snprintf(in.code, sizeof in.code, "SILENT");
        snprintf(in.source, sizeof in.source, "supervision");
        int64_t id;
        rc = store_account_set_missing(c, in.account, 1);
        seen_forget(c, in.account);
        if (!rc && store_incident_find_open(c, in.account, "", "comm_failure", &id) == -ENOENT)
            rc = open_incident(c, &in, "comm_failure", 0, 0, j->now, &id);
        if (!rc) {
            store_incident_count_alarm(c, id, j->now);
            incident_emit(c, id);
            j->opened++;
        }
    }
    json_decref(rows);
    return rc;
}

int app_alarm_supervise(struct app *a, int64_t grace_ms)
{
    struct supervise_job j = {.now = clock_now_ms(), .grace = grace_ms};
    int rc = store_write(a->st, supervise_job, &j);
    return rc ? rc : j.opened;
}

struct account_job {
    const char *account, *name;
    int64_t hb;
};

static int account_job(struct store_conn *c, void *arg)
{
    struct account_job *j = arg;
    return store_account_set(c, j->account, j->name, j->hb);
}

int app_alarm_account_set(struct app *a, const char *account, const char *name, int64_t heartbeat_s)
{
    struct account_job j = {account, name ? name : "", heartbeat_s};
    return store_write(a->st, account_job, &j);
}

/* ---- mapping ---- */

struct map_job {
    const struct actor *who;
    const char *account, *zone, *type, *note;
    int64_t device_id, area_id, id;
};

static int map_job(struct store_conn *c, void *arg)
{
    struct map_job *j = arg;
    int rc = store_map_upsert(c, j->account, j->zone, j->device_id, j->area_id, j->type, j->note,
                              &j->id);
    if (rc)
        return rc;
    char obj[96];
    snprintf(obj, sizeof obj, "alarm_map:%lld", (long long)j->id);
    return audit_append(c, j->who, "alarm_map.set", obj,
                        "account %s zone %s -> device %lld area %lld", j->account, j->zone,
                        (long long)j->device_id, (long long)j->area_id);
}

int app_alarm_map_set(struct app *a, const struct actor *who, json_t *in, json_t **out,
                      struct app_err *err)
{
    struct map_job j = {.who = who};
    j.account = json_string_value(json_object_get(in, "account"));
    j.zone = json_string_value(json_object_get(in, "zone"));
    j.type = json_string_value(json_object_get(in, "type"));
    j.note = json_string_value(json_object_get(in, "note"));
    j.device_id = json_integer_value(json_object_get(in, "device_id"));
    j.area_id = json_integer_value(json_object_get(in, "area_id"));
    if (!j.zone)
        j.zone = "*";
    int rc = j.account && *j.account ? check_account(j.account, err)
                                     : app_invalid(err, "account", "is required");
    if (rc)
        return rc;
    if (!j.device_id && !j.area_id && !j.type)
        return app_invalid(err, "", "give device_id, area_id or type");
    int found = !j.type;
    for (const char *const *t = incident_types; *t && j.type; t++)
        found |= strcmp(*t, j.type) == 0;
    if (!found)
        return app_invalid(err, "type", "is not an incident type");
    rc = store_write(a->st, map_job, &j);
    if (rc == -EINVAL)
        return app_invalid(err, j.device_id ? "device_id" : "area_id", "no such device or area");
    if (rc)
        return rc;
    *out = json_pack("{sI ss ss}", "id", (json_int_t)j.id, "account", j.account, "zone", j.zone);
    return 0;
}

int app_alarm_map_list(struct app *a, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    json_t *rows = NULL;
    int rc = store_map_list(c, &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    struct page pg = {.limit = (int64_t)json_array_size(rows), .offset = 0};
    *out = app_list_json(rows, (int64_t)json_array_size(rows), &pg);
    return 0;
}
