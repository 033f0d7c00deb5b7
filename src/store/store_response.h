/* store_response.h - SQL for the response to incidents: checklist steps, escalations (and
 * their webhook delivery queue) and hand-offs to posts. */
#ifndef VIGIL_STORE_RESPONSE_H
#define VIGIL_STORE_RESPONSE_H

#include "store/store.h"

/* Records a step (replacing an earlier record of the same step). facts: JSON text or NULL. */
int store_step_set(struct store_conn *c, int64_t incident_id, const char *step, const char *status,
                   const char *reason, const char *facts, const char *actor, int64_t at);
/* Rows [{step, status, reason, facts, actor, at}] of an incident. */
int store_steps(struct store_conn *c, int64_t incident_id, json_t **rows);

int store_incident_set_injured(struct store_conn *c, int64_t id, int injured);
/* Incident fields the escalation rules need: OUT type, state, verdict ("" if none), priority,
 * opened_at, injured. */
struct store_incident_brief {
    char type[16], state[16], verdict[8];
    int priority, injured;
    int64_t opened_at;
};
int store_incident_brief(struct store_conn *c, int64_t id, struct store_incident_brief *b);

/* Incidents still "new" opened before the per-priority deadlines (ms) and not yet escalated to
 * the shift leader: OUT rows [{id, priority, type}]. deadline[p] for priority p (1..4). */
int store_escalation_due_ack(struct store_conn *c, const int64_t deadline[5], json_t **rows);
/* Open incidents that are major and not yet escalated as such: a confirmed fire, an injured
 * person, or an elevator incident open since before entrapment_before. OUT rows
 * [{id, type, reason}]. */
int store_escalation_due_major(struct store_conn *c, int64_t entrapment_before, json_t **rows);
/* Inserts an escalation (ignored when that level exists already); OUT *id (0 if it existed). */
int store_escalation_insert(struct store_conn *c, int64_t incident_id, const char *level,
                            const char *reason, int64_t now, int64_t *id);
/* A complaint's escalation to the supervisor and manager (level major); OUT *id 0 if it
 * existed. */
int store_escalation_insert_complaint(struct store_conn *c, int64_t complaint_id,
                                      const char *reason, int64_t now, int64_t *id);
/* Undelivered escalations due at now: [{id, incident_id, level, reason, created_at,
 * attempts}]. */
int store_escalation_pending(struct store_conn *c, int64_t now, int64_t limit, json_t **rows);
int store_escalation_delivered(struct store_conn *c, int64_t id, int64_t now);
int store_escalation_retry(struct store_conn *c, int64_t id, int64_t next, const char *error);
int store_escalations(struct store_conn *c, int64_t incident_id, json_t **rows);

int store_handoff_insert(struct store_conn *c, int64_t incident_id, int64_t area_id,
                         const char *text, const char *by, int64_t now, int64_t *id);
/* Marks taken (when not yet taken); -ENOENT if no such hand-off, -EALREADY if taken. */
int store_handoff_take(struct store_conn *c, int64_t id, const char *by, int64_t now);
int store_handoff_done(struct store_conn *c, int64_t id, const char *result, int64_t now);
int store_handoff_get(struct store_conn *c, int64_t id, json_t **row);
int store_handoff_list(struct store_conn *c, int open, int64_t incident_id, int64_t limit,
                       int64_t offset, json_t **rows, int64_t *total);

#endif
