/* handover.h - shift handover with both signatures (S2, R3.1).
 *
 * The outgoing operator starts it: Vigil compiles the summary (open incidents, faulty devices,
 * visitors in the control room, open and overdue complaints, return visits due, alarm-line uses
 * awaiting review, open hand-offs), the operator confirms that every control handle is in the
 * automatic position (R3.1) and adds a note, and signs by re-entering their password. The
 * incoming operator signs with their own password; the same person cannot sign both sides. A
 * shift leader can force a handover when the incoming person is absent, with a reason. A signed
 * handover never changes (database trigger) and goes to the duty log. */
#ifndef VIGIL_HANDOVER_H
#define VIGIL_HANDOVER_H

#include "app/app.h"

/* {"password","controls_auto":bool,"note"?} by the outgoing operator. -EKEYREJECTED for a
 * wrong password ("wrong-signature"); "handover-pending" when one is already pending. The
 * summary also carries "staffing" and the missed running-status periods (shift_handover_facts). */
int app_handover_start(struct app *a, const struct actor *who, json_t *in, json_t **out,
                       struct app_err *err);
/* {"password","override_reason"?} by the incoming operator. Problem types: "wrong-signature",
 * "same-signer", "handover-closed"; when the incoming shift is below the minimum of trained
 * operators (shift_opening_check) and the handover carries no override: "below-minimum", unless
 * override_reason is given by a handover.force holder (else "override-not-allowed"). */
int app_handover_sign(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                      struct app_err *err);
/* {"password","reason"} by a shift leader or supervisor (handover.force): lets the pending
 * handover complete although the incoming shift is below the minimum; recorded on the handover
 * (override_by, override_reason, override_at, override_staffed), in the audit trail and the duty
 * log. "override-not-needed" when it is not below or already overridden. */
int app_handover_override(struct app *a, const struct actor *who, int64_t id, json_t *in,
                          json_t **out, struct app_err *err);
/* {"reason","override_reason"?} by a shift leader or supervisor; below the minimum, the
 * override reason is needed as for signing. */
int app_handover_force(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                       struct app_err *err);
int app_handover_get(struct app *a, int64_t id, json_t **out);
int app_handover_list(struct app *a, int pending, const struct page *pg, json_t **out);
/* The summary the handover would carry now (a preview for the form). */
int app_handover_preview(struct app *a, json_t **out);

#endif
