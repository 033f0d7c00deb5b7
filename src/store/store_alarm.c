/* store_alarm.c - SQL for alarms and incidents. Hot-path statements are string literals so the
 * statement cache keeps them prepared. */
#include "store/store_alarm.h"

#include "store/store_int.h"

#include "core/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int store_alarm_insert(struct store_conn *c, const struct store_alarm_row *r, int64_t *id)
{
    return store_q_exec(
        c, id, NULL,
        "INSERT INTO alarm(received_at, protocol, account, receiver, line, seq, code, kind, zone,"
        " partition, text, event_time, digest, source, incident_id) VALUES(?1, ?2, ?3,"
        " nullif(?4, ''), nullif(?5, ''), CASE WHEN ?6 < 0 THEN NULL ELSE ?6 END, ?7, ?8,"
        " nullif(?9, ''), nullif(?10, ''), nullif(?11, ''), nullif(?12, 0), ?13, ?14,"
        " nullif(?15, 0))",
        "issssisssssibsi", r->received_at, r->protocol, r->account, r->receiver, r->line, r->seq,
        r->code, r->kind, r->zone, r->partition, r->text, r->event_time, (const void *)r->digest,
        (size_t)ALARM_DIGEST_LEN, r->source, r->incident_id);
}

int store_alarm_find_retx(struct store_conn *c, const char *account, int64_t seq,
                          const unsigned char *digest, int64_t since, int64_t *alarm_id,
                          int64_t *incident_id)
{
    /* min(id) rather than ORDER BY id LIMIT 1: the same row, without a temporary b-tree for
     * the sort on every frame (the index yields rows in received_at order, not id order). */
    sqlite3_stmt *s = store_stmt(c, "SELECT id, coalesce(incident_id, 0) FROM alarm WHERE id ="
                                    " (SELECT min(id) FROM alarm WHERE account = ?1 AND seq = ?2"
                                    " AND received_at >= ?3 AND digest = ?4)");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, seq);
    sqlite3_bind_int64(s, 3, since);
    sqlite3_bind_blob(s, 4, digest, ALARM_DIGEST_LEN, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *alarm_id = sqlite3_column_int64(s, 0);
        *incident_id = sqlite3_column_int64(s, 1);
    }
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_alarm_list(struct store_conn *c, const char *account, int64_t incident_id, int64_t limit,
                     int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM alarm WHERE (?1 IS NULL OR account = ?1)"
                         " AND (?2 = 0 OR incident_id = ?2)",
                         "si", account, incident_id);
    if (rc)
        return rc;
    return store_q_rows(
        c, rows,
        "SELECT id, received_at AS \"received_at:time\", protocol, account, receiver, line, seq,"
        " code, kind, zone, partition, text, event_time AS \"event_time:time\", source,"
        " incident_id FROM alarm WHERE (?1 IS NULL OR account = ?1) AND (?2 = 0 OR"
        " incident_id = ?2) ORDER BY id DESC LIMIT ?3 OFFSET ?4",
        "siii", account, incident_id, limit, offset);
}

int store_account_seen(struct store_conn *c, const char *account, int64_t now, int *was_missing)
{
    /* The usual case, a known account that is not missing, in one statement; it leaves the row
     * exactly as the upsert below would. */
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE alarm_account SET last_seen = ?2 WHERE account = ?1 AND"
                          " missing = 0",
                          "si", account, now);
    if (rc || changes) {
        *was_missing = 0;
        return rc;
    }
    int64_t missing = 0;
    rc = store_q_int(c, &missing, "SELECT missing FROM alarm_account WHERE account = ?1", "s",
                     account);
    if (rc && rc != -ENOENT)
        return rc;
    *was_missing = rc == 0 && missing;
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO alarm_account(account, last_seen) VALUES(?1, ?2)"
                        " ON CONFLICT(account) DO UPDATE SET last_seen = ?2, missing = 0",
                        "si", account, now);
}

int store_account_set(struct store_conn *c, const char *account, const char *name,
                      int64_t heartbeat_s)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO alarm_account(account, name, heartbeat_s) VALUES(?1, ?2, ?3)"
                        " ON CONFLICT(account) DO UPDATE SET name = ?2, heartbeat_s = ?3",
                        "ssi", account, name, heartbeat_s);
}

int store_account_lapsed(struct store_conn *c, int64_t now, int64_t grace_ms, json_t **rows)
{
    /* An account never heard from is measured from now on (last_seen NULL): it becomes missing
     * one interval after it was configured, not at once. */
    return store_q_rows(c, rows,
                        "SELECT account, name, last_seen AS \"last_seen:time\" FROM alarm_account"
                        " WHERE heartbeat_s > 0 AND missing = 0 AND last_seen IS NOT NULL AND"
                        " last_seen + heartbeat_s * 1000 + ?2 < ?1",
                        "ii", now, grace_ms);
}

int store_account_set_missing(struct store_conn *c, const char *account, int missing)
{
    return store_q_exec(c, NULL, NULL, "UPDATE alarm_account SET missing = ?2 WHERE account = ?1",
                        "si", account, (int64_t)missing);
}

/* The mapping row of exactly (account, zone): a point lookup on UNIQUE(account, zone). */
static int map_row(struct store_conn *c, const char *account, const char *zone, int64_t *device_id,
                   int64_t *area_id, char *type, size_t typesz)
{
    sqlite3_stmt *s = store_stmt(
        c, "SELECT coalesce(m.device_id, 0), coalesce(m.area_id, d.area_id, 0),"
           " coalesce(m.type, '') FROM alarm_map m LEFT JOIN device d ON d.id = m.device_id"
           " WHERE m.account = ?1 AND m.zone = ?2");
    if (!s)
        return -EIO;
    sqlite3_bind_text(s, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zone, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *device_id = sqlite3_column_int64(s, 0);
        *area_id = sqlite3_column_int64(s, 1);
        const char *t = (const char *)sqlite3_column_text(s, 2);
        snprintf(type, typesz, "%s", t ? t : "");
    }
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_map_lookup(struct store_conn *c, const char *account, const char *zone,
                     int64_t *device_id, int64_t *area_id, char *type, size_t typesz)
{
    /* The zone's own row, else the account's default '*'. Two point lookups instead of
     * "zone IN (?2, '*') ORDER BY zone = '*' LIMIT 1", which sorted in a temporary b-tree on
     * every alarm. */
    int rc = store_route_map_get(c, account, zone, device_id, area_id, type, typesz);
    if (rc <= 0)
        return rc;
    rc = map_row(c, account, zone, device_id, area_id, type, typesz);
    if (rc == -ENOENT && strcmp(zone, "*") != 0)
        rc = map_row(c, account, "*", device_id, area_id, type, typesz);
    store_route_map_put(c, account, zone, rc, *device_id, *area_id, rc == 0 ? type : "");
    return rc;
}

int store_map_upsert(struct store_conn *c, const char *account, const char *zone, int64_t device_id,
                     int64_t area_id, const char *type, const char *note, int64_t *id)
{
    int rc = store_q_exec(c, NULL, NULL,
                          "INSERT INTO alarm_map(account, zone, device_id, area_id, type, note)"
                          " VALUES(?1, ?2, nullif(?3, 0), nullif(?4, 0), ?5, ?6)"
                          " ON CONFLICT(account, zone) DO UPDATE SET device_id = nullif(?3, 0),"
                          " area_id = nullif(?4, 0), type = ?5, note = ?6",
                          "ssiiss", account, zone, device_id, area_id, type, note);
    if (rc)
        return rc;
    return store_q_int(c, id, "SELECT id FROM alarm_map WHERE account = ?1 AND zone = ?2", "ss",
                       account, zone);
}

int store_map_list(struct store_conn *c, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT m.id, m.account, m.zone, m.device_id, d.name AS device_name,"
                        " coalesce(m.area_id, d.area_id) AS area_id, a.name AS area_name, m.type,"
                        " m.note FROM alarm_map m LEFT JOIN device d ON d.id = m.device_id"
                        " LEFT JOIN area a ON a.id = coalesce(m.area_id, d.area_id)"
                        " ORDER BY m.account, m.zone",
                        "");
}

int store_incident_insert(struct store_conn *c, const struct store_incident_new *n, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO incident(type, priority, state, account, zone, area_id,"
                        " device_id, unmapped, title, source, alarm_count, opened_at,"
                        " last_alarm_at, updated_at) VALUES(?1, ?2, 'new', ?3, ?4, nullif(?5, 0),"
                        " nullif(?6, 0), ?7, ?8, ?9, 0, ?10, ?10, ?10)",
                        "sissiiissi", n->type, (int64_t)n->priority, n->account, n->zone,
                        n->area_id, n->device_id, (int64_t)n->unmapped, n->title, n->source,
                        n->now);
}

int store_incident_find_open(struct store_conn *c, const char *account, const char *zone,
                             const char *type, int64_t *id)
{
    if (store_route_inc_get(c, account, zone, type, id) == 0)
        return 0;
    int rc = store_q_int(c, id,
                         "SELECT id FROM incident WHERE account = ?1 AND zone = ?2 AND type = ?3"
                         " AND state <> 'closed' ORDER BY id DESC LIMIT 1",
                         "sss", account, zone, type);
    if (rc == 0)
        store_route_inc_put(c, account, zone, type, *id);
    return rc;
}

int store_incident_find_open_zone(struct store_conn *c, const char *account, const char *zone,
                                  int64_t *id)
{
    return store_q_int(c, id,
                       "SELECT id FROM incident WHERE account = ?1 AND zone = ?2"
                       " AND state <> 'closed' ORDER BY priority, id DESC LIMIT 1",
                       "ss", account, zone);
}

int store_incident_count_alarm(struct store_conn *c, int64_t id, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE incident SET alarm_count = alarm_count + 1, last_alarm_at = ?2,"
                        " updated_at = ?2 WHERE id = ?1",
                        "ii", id, now);
}

int store_incident_state(struct store_conn *c, int64_t id, char *state, size_t n, char *type,
                         size_t tn)
{
    sqlite3_stmt *s = store_stmt(c, "SELECT state, type FROM incident WHERE id = ?1");
    if (!s)
        return -EIO;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        snprintf(state, n, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(type, tn, "%s", (const char *)sqlite3_column_text(s, 1));
    }
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_incident_set_state(struct store_conn *c, int64_t id, const char *state,
                             const char *verdict, const char *actor, int64_t now)
{
    int changes = 0;
    int rc = store_q_exec(
        c, NULL, &changes,
        "UPDATE incident SET state = ?2, verdict = coalesce(?3, verdict), updated_at = ?5,"
        " acked_at = CASE WHEN ?2 = 'acknowledged' THEN ?5 ELSE acked_at END,"
        " acked_by = CASE WHEN ?2 = 'acknowledged' THEN ?4 ELSE acked_by END,"
        " closed_at = CASE WHEN ?2 = 'closed' THEN ?5 ELSE closed_at END WHERE id = ?1",
        "isssi", id, state, verdict, actor, now);
    if (rc)
        return rc;
    return changes ? 0 : -ENOENT;
}

int store_incident_event_add(struct store_conn *c, int64_t incident_id, int64_t at,
                             const char *actor, const char *kind, const char *from, const char *to,
                             const char *note)
{
    return store_q_exec(c, NULL, NULL,
                        "INSERT INTO incident_event(incident_id, at, actor, kind, from_state,"
                        " to_state, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "iisssss", incident_id, at, actor, kind, from, to, note);
}

#define INCIDENT_COLS                                                                              \
    "SELECT i.id, i.type, i.priority, i.state, i.verdict, i.account, i.zone, i.area_id,"           \
    " a.name AS area_name, a.kind AS area_kind, a.building, a.floor, a.elevator_no,"               \
    " i.device_id, d.name AS device_name, d.kind AS device_kind, i.unmapped AS \"unmapped:bool\"," \
    " i.title, i.source, i.alarm_count, i.opened_at AS \"opened_at:time\","                        \
    " i.last_alarm_at AS \"last_alarm_at:time\", i.updated_at AS \"updated_at:time\","             \
    " i.acked_at AS \"acked_at:time\", i.acked_by, i.closed_at AS \"closed_at:time\","             \
    " i.injured AS \"injured:bool\""                                                               \
    " FROM incident i LEFT JOIN area a ON a.id = i.area_id LEFT JOIN device d"                     \
    " ON d.id = i.device_id "

int store_incident_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, INCIDENT_COLS "WHERE i.id = ?1", "i", id);
}

/* Keys, order and types exactly as INCIDENT_COLS through row_json (a unit test compares); times
 * by vigil_iso (store.c), which is clock_format_iso. */
static const char incident_json_sql[] =
    "SELECT json_object('id', i.id, 'type', i.type, 'priority', i.priority, 'state', i.state,"
    " 'verdict', i.verdict, 'account', i.account, 'zone', i.zone, 'area_id', i.area_id,"
    " 'area_name', a.name, 'area_kind', a.kind, 'building', a.building, 'floor', a.floor,"
    " 'elevator_no', a.elevator_no, 'device_id', i.device_id, 'device_name', d.name,"
    " 'device_kind', d.kind, 'unmapped', json(CASE WHEN i.unmapped THEN 'true' ELSE 'false' END),"
    " 'title', i.title, 'source', i.source, 'alarm_count', i.alarm_count,"
    " 'opened_at', vigil_iso(i.opened_at), 'last_alarm_at', vigil_iso(i.last_alarm_at),"
    " 'updated_at', vigil_iso(i.updated_at), 'acked_at', vigil_iso(i.acked_at),"
    " 'acked_by', i.acked_by, 'closed_at', vigil_iso(i.closed_at),"
    " 'injured', json(CASE WHEN i.injured THEN 'true' ELSE 'false' END))"
    " FROM incident i LEFT JOIN area a ON a.id = i.area_id LEFT JOIN device d ON d.id = i.device_id"
    " WHERE i.id = ?1";

int store_incident_json(struct store_conn *c, int64_t id, char **json)
{
    sqlite3_stmt *s = store_stmt(c, incident_json_sql);
    if (!s)
        return -EIO;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        *json = t ? xstrdup(t) : NULL;
    }
    store_stmt_done(c, s);
    if (step == SQLITE_ROW && !*json)
        return -EIO;
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_incident_events(struct store_conn *c, int64_t id, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, at AS \"at:time\", actor, kind, from_state, to_state, note"
                        " FROM incident_event WHERE incident_id = ?1 ORDER BY id",
                        "i", id);
}

int store_incident_list(struct store_conn *c, int open, const char *state, const char *type,
                        int64_t limit, int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM incident WHERE (?1 = 0 OR state <> 'closed')"
                         " AND (?2 IS NULL OR state = ?2) AND (?3 IS NULL OR type = ?3)",
                         "iss", (int64_t)open, state, type);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        INCIDENT_COLS
                        "WHERE (?1 = 0 OR i.state <> 'closed') AND (?2 IS NULL OR i.state = ?2)"
                        " AND (?3 IS NULL OR i.type = ?3) ORDER BY CASE WHEN ?1 = 1 THEN"
                        " i.priority ELSE 0 END, CASE WHEN ?1 = 1 THEN i.opened_at ELSE"
                        " -i.id END LIMIT ?4 OFFSET ?5",
                        "issii", (int64_t)open, state, type, limit, offset);
}
