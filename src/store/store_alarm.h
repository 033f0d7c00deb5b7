/* store_alarm.h - SQL for received alarms, incidents, their timeline, mappings and accounts.
 * The rules (classification, dedup window, state machine) live in app/alarm.c. */
#ifndef VIGIL_STORE_ALARM_H
#define VIGIL_STORE_ALARM_H

#include "store/store.h"

#define ALARM_DIGEST_LEN 16

struct store_alarm_row {
    int64_t received_at;
    const char *protocol, *account, *receiver, *line;
    int64_t seq; /* < 0: none */
    const char *code, *kind, *zone, *partition, *text;
    int64_t event_time; /* 0: none */
    const unsigned char *digest;
    const char *source;
    int64_t incident_id; /* 0: none */
};
int store_alarm_insert(struct store_conn *c, const struct store_alarm_row *r, int64_t *id);
/* A message with this account, seq and digest received since `since`: OUT ids. -ENOENT if none. */
int store_alarm_find_retx(struct store_conn *c, const char *account, int64_t seq,
                          const unsigned char *digest, int64_t since, int64_t *alarm_id,
                          int64_t *incident_id);
int store_alarm_list(struct store_conn *c, const char *account, int64_t incident_id, int64_t limit,
                     int64_t offset, json_t **rows, int64_t *total);

/* Account supervision. Marks the account seen at now (creating it); OUT *was_missing. */
int store_account_seen(struct store_conn *c, const char *account, int64_t now, int *was_missing);
int store_account_set(struct store_conn *c, const char *account, const char *name,
                      int64_t heartbeat_s);
/* Accounts whose heartbeat has lapsed (last_seen + heartbeat + grace < now) and that are not yet
 * marked missing: OUT rows [{account, name, last_seen}]. */
int store_account_lapsed(struct store_conn *c, int64_t now, int64_t grace_ms, json_t **rows);
int store_account_set_missing(struct store_conn *c, const char *account, int missing);

/* Mapping: the most specific row for account + zone (zone, then '*'). OUT ids (0 = none) and
 * type ("" = none, cap 16). -ENOENT when nothing maps. */
int store_map_lookup(struct store_conn *c, const char *account, const char *zone,
                     int64_t *device_id, int64_t *area_id, char *type, size_t typesz);
int store_map_upsert(struct store_conn *c, const char *account, const char *zone, int64_t device_id,
                     int64_t area_id, const char *type, const char *note, int64_t *id);
int store_map_list(struct store_conn *c, json_t **rows);

struct store_incident_new {
    const char *type;
    int priority;
    const char *account, *zone;
    int64_t area_id, device_id; /* 0 = none */
    int unmapped;
    const char *title, *source;
    int64_t now;
};
int store_incident_insert(struct store_conn *c, const struct store_incident_new *n, int64_t *id);
/* The open (not closed) incident for account + zone + type. -ENOENT if none. */
int store_incident_find_open(struct store_conn *c, const char *account, const char *zone,
                             const char *type, int64_t *id);
/* Any open incident for account + zone (restores attach to it). */
int store_incident_find_open_zone(struct store_conn *c, const char *account, const char *zone,
                                  int64_t *id);
int store_incident_count_alarm(struct store_conn *c, int64_t id, int64_t now);
/* OUT state (cap 16) and type (cap 16). */
int store_incident_state(struct store_conn *c, int64_t id, char *state, size_t n, char *type,
                         size_t tn);
/* Moves to state; verdict/acked_by may be NULL. */
int store_incident_set_state(struct store_conn *c, int64_t id, const char *state,
                             const char *verdict, const char *actor, int64_t now);
int store_incident_event_add(struct store_conn *c, int64_t incident_id, int64_t at,
                             const char *actor, const char *kind, const char *from, const char *to,
                             const char *note);
/* The incident with area/device names. */
int store_incident_get(struct store_conn *c, int64_t id, json_t **row);
/* The same object as store_incident_get, as compact JSON text made by SQLite's json_object
 * (the live stream's incident snapshot: no per-field JSON values on the writer or the pump).
 * OUT *json (malloc'd, caller frees). -ENOENT when there is no such incident. */
int store_incident_json(struct store_conn *c, int64_t id, char **json);
int store_incident_events(struct store_conn *c, int64_t id, json_t **rows);
/* open = 1: every state but closed, ordered by priority then age (the operator's queue);
 * open = 0: newest first. state/type filter when non-NULL. */
int store_incident_list(struct store_conn *c, int open, const char *state, const char *type,
                        int64_t limit, int64_t offset, json_t **rows, int64_t *total);

#endif
