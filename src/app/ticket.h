/* ticket.h - fault tickets 报修单 (S4, R2.3, R3.2, R3.4.4, R3.4.13).
 *
 * A ticket moves reported -> assigned (an engineer, an elevator technician, or an outside
 * maintainer named with their company) -> repaired (repaired or replaced, saying what was done)
 * -> verified by the operator (or rejected back to assigned with a reason) -> closed. Every
 * transition and note is a row of the ticket's timeline (actor, time, note), a duty-log entry
 * linked to the ticket and its device, an audit record and a "ticket" event on the live stream.
 *
 * A device with an open ticket shows status "fault" (when it was "normal"); it returns to
 * "normal" when its last unverified ticket is verified. Its downtime is the union of its
 * tickets' reported..verified intervals. Each ticket has a due time (ticket.due_* by kind;
 * ticket.due_urgent for fire-alarm equipment); a ticket not repaired by then is escalated to the
 * shift leader, and ticket.escalate_major_after minutes later to the supervisor and manager,
 * through the shared escalation queue (the webhook worker delivers it). */
#ifndef VIGIL_TICKET_H
#define VIGIL_TICKET_H

#include "app/app.h"

extern const char *const ticket_kinds[];
extern const char *const ticket_states[];

struct ticket_spec {
    int64_t device_id;       /* 0: none (site-wide) */
    const char *kind;        /* "fault" | "check_failure" | "camera_health" */
    const char *title;       /* short, shown in lists */
    const char *title_en;    /* NULL, or the title in English when the daemon composed it */
    const char *detail;      /* may be NULL */
    int64_t check_record_id; /* 0 unless opened by a failed check item */
    int64_t incident_id;     /* 0 unless linked to an incident */
};
/* Inside a write job: opens a ticket in state "reported", or, when a ticket of the same kind for
 * the same device is still open (not closed), returns that one with *created = 0. Writes the
 * duty-log entry and audit record and emits the "ticket" event. actor is a username or "system".
 * Returns 0 or a negative errno. */
int app_ticket_open_in(struct store_conn *c, const char *actor, const struct ticket_spec *t,
                       int64_t now, int64_t *id, int *created);
/* Inside a write job: appends a note to the ticket's timeline (e.g. "camera recovered"). */
int app_ticket_note_in(struct store_conn *c, const char *actor, int64_t id, const char *note,
                       int64_t now);

/* Due-time rules from the configuration (once at start; the defaults equal conf's). */
void app_ticket_configure(const struct conf *cf);

/* {"device_id"?, "kind"? ("fault"), "title", "detail"?, "priority"? ("normal"|"urgent"; default
 * urgent for fire-alarm equipment), "incident_id"?}. *created 0 when the device already had an
 * open ticket of that kind (which is returned). */
int app_ticket_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                      int *created, struct app_err *err);
/* The ticket with "timeline" and "escalations". */
int app_ticket_get(struct app *a, int64_t id, json_t **out);

struct ticket_filter {
    const char *state; /* a state, "open", or NULL */
    const char *kind;
    const char *assignee;
    int64_t device_id;
    int overdue;
};
int app_ticket_list(struct app *a, const struct ticket_filter *f, const struct page *pg,
                    json_t **out);

/* The transitions, by name: "assign" {"assignee_kind","assignee","company"?,"note"?},
 * "repair" {"result":"repaired"|"replaced","note"}, "verify" {"note"?}, "reject" {"reason"},
 * "close" {"note"?}, "note" {"note"}. A move the state does not allow is -EINVAL (field
 * "state"); the repairer cannot verify their own repair. */
int app_ticket_act(struct app *a, const struct actor *who, int64_t id, const char *action,
                   json_t *in, json_t **out, struct app_err *err);

/* Raises the escalations of overdue tickets. Returns how many, or a negative error. */
int app_ticket_escalate(struct app *a);

/* {"device_id", "from", "to", "downtime_ms", "tickets": [...]} over [from, to) (to 0 = now). */
int app_device_downtime(struct app *a, int64_t device_id, int64_t from, int64_t to, json_t **out);

/* Inside a read or write: adds "open_tickets" (rows) and counts "open_tickets" and
 * "overdue_tickets" to a handover summary {"counts":{...}, ...}. */
int app_ticket_handover_facts(struct store_conn *c, int64_t now, json_t *summary);

/* Inside the demo seed: tickets in several states (closed, assigned, reported). */
int app_ticket_demo_in(struct store_conn *c, int64_t now);

#endif
