/* store_ticket.h - SQL for fault tickets (报修单) and their timeline. */
#ifndef VIGIL_STORE_TICKET_H
#define VIGIL_STORE_TICKET_H

#include "store/store.h"

struct store_ticket_new {
    int64_t device_id, check_record_id, incident_id; /* 0 = none */
    const char *kind, *priority, *title, *detail, *reported_by;
    const char *title_en; /* NULL: the title is the same in every language */
    int64_t reported_at, due_at;
};
int store_ticket_insert(struct store_conn *c, const struct store_ticket_new *n, int64_t *id);
/* The open (not closed) ticket of kind for device_id, or for a site-wide ticket (device 0) of
 * the same kind and title: OUT *id (0 when there is none). */
int store_ticket_find_open(struct store_conn *c, int64_t device_id, const char *kind,
                           const char *title, int64_t *id);

/* What the state machine needs. */
struct store_ticket_brief {
    char state[16];
    char kind[16];
    char repaired_by[72];
    char title[208];
    char assignee_kind[16]; /* "" while unassigned */
    char assignee[72];
    char company[104];
    int64_t device_id;   /* 0 = none */
    int64_t incident_id; /* 0 = none */
};
int store_ticket_brief(struct store_conn *c, int64_t id, struct store_ticket_brief *b);

/* The transitions; each sets state and updated_at = now. */
int store_ticket_assign(struct store_conn *c, int64_t id, const char *akind, const char *assignee,
                        const char *company, int64_t now);
int store_ticket_repair(struct store_conn *c, int64_t id, const char *result, const char *note,
                        const char *by, int64_t now);
int store_ticket_verify(struct store_conn *c, int64_t id, const char *by, int64_t now);
/* Back to assigned: the repair is undone (repaired_* cleared). */
int store_ticket_reject(struct store_conn *c, int64_t id, int64_t now);
int store_ticket_close(struct store_conn *c, int64_t id, const char *by, int64_t now);

/* Appends to the timeline. from/to/note may be NULL. */
int store_ticket_event_add(struct store_conn *c, int64_t ticket_id, int64_t at, const char *actor,
                           const char *action, const char *from, const char *to, const char *note);
/* Rows [{id, at, actor, actor_name, action, from_state, to_state, note}] oldest first. */
int store_ticket_events(struct store_conn *c, int64_t ticket_id, json_t **rows);

/* One ticket with device and area names, "overdue" and "downtime_ms" computed at now. */
int store_ticket_get(struct store_conn *c, int64_t id, int64_t now, json_t **row);

struct store_ticket_filter {
    const char *state; /* a state, "open" (not closed), or NULL */
    const char *kind;
    const char *assignee;
    int64_t device_id; /* 0 = any */
    int overdue;       /* 1: reported or assigned past due_at */
};
int store_ticket_list(struct store_conn *c, const struct store_ticket_filter *f, int64_t now,
                      int64_t limit, int64_t offset, json_t **rows, int64_t *total);

/* Tickets still not repaired (reported, assigned) whose due time is before due_before and that
 * have no escalation of level yet: OUT rows [{id, title, due_at (ms), device_name}]. */
int store_ticket_due_escalation(struct store_conn *c, const char *level, int64_t due_before,
                                json_t **rows);
/* Inserts a ticket's escalation (ignored when that level exists); OUT *id 0 if it existed. */
int store_escalation_insert_ticket(struct store_conn *c, int64_t ticket_id, const char *level,
                                   const char *reason, int64_t now, int64_t *id);
int store_ticket_escalations(struct store_conn *c, int64_t ticket_id, json_t **rows);

/* Device status: OUT status (cap 16); -ENOENT if no such device. */
int store_ticket_device_status(struct store_conn *c, int64_t device_id, char *status, size_t n);
/* Tickets of the device not yet verified (reported, assigned, repaired), besides except_id. */
int store_ticket_device_unverified(struct store_conn *c, int64_t device_id, int64_t except_id,
                                   int64_t *n);

/* The tickets of a device that overlap [from, to) (to 0 = now): rows [{id, kind, title, state,
 * reported_at, verified_at (times), start, end}] oldest first, where start..end (ms) is the
 * ticket's reported..verified interval (now while unverified) clipped to the period. The app
 * merges overlapping intervals. */
int store_ticket_downtime(struct store_conn *c, int64_t device_id, int64_t from, int64_t to,
                          int64_t now, json_t **rows);

/* For the handover summary: open (not closed) tickets, oldest first, capped at 50:
 * [{id, kind, priority, title, state, device_name, due_at, overdue}]; *overdue how many are
 * past due. */
int store_ticket_open_summary(struct store_conn *c, int64_t now, json_t **rows, int64_t *total,
                              int64_t *overdue);

#endif
