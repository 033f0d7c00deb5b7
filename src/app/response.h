/* response.h - escalation (R2.2) and hand-offs to posts (R3.4.15).
 *
 * Escalation: an incident still "new" after its priority's acknowledgement timeout goes to the
 * shift leader; a major incident (confirmed fire, an injured person, an elevator incident open
 * past the entrapment limit) goes to the supervisor and the manager. Each escalation is a row
 * (so a restart forgets none), an entry on the incident's timeline, an audit record, an
 * "escalation" event on the live stream, and a webhook delivery with retries (webhook.c). */
#ifndef VIGIL_RESPONSE_H
#define VIGIL_RESPONSE_H

#include "app/app.h"

struct escalation_rules {
    int64_t ack_timeout_ms[5]; /* by priority 1..4 ([0] unused) */
    int64_t entrapment_ms;
};
/* Fills rules from the configuration. */
void escalation_rules_from_conf(const struct conf *cf, struct escalation_rules *r);
/* Raises every escalation now due. Returns how many, or a negative error. */
int app_escalation_check(struct app *a, const struct escalation_rules *r);
/* Undelivered escalations due now (for the webhook worker): new JSON array. */
int app_escalation_pending(struct app *a, int64_t limit, json_t **rows);
/* Records a delivery attempt: ok, or a failure to retry later with back-off. */
int app_escalation_mark(struct app *a, int64_t id, int ok, int64_t attempts, const char *error);

/* Hand-offs: {"area_id", "text", "incident_id"?} -> the guard post's queue. */
int app_handoff_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                       struct app_err *err);
int app_handoff_list(struct app *a, int open, const struct page *pg, json_t **out);
/* The guard takes it up (-EALREADY when already taken). */
int app_handoff_take(struct app *a, const struct actor *who, int64_t id, json_t **out);
/* The guard reports the result ({"result"}) and it is done. */
int app_handoff_done(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                     struct app_err *err);

#endif
