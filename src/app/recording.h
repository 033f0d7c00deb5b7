/* recording.h - the recording access register (R3.4.2, R3.4.3).
 *
 * Viewing or borrowing recorded footage — police included — needs the manager's consent and a
 * procedure; the duty staff record it and follow it until the copy is returned. A request
 * (kind view or lend) goes requested -> approved | refused (the manager, with a note when
 * refusing) -> viewed (view) or lent -> returned (lend), or lent -> kept when the requester keeps
 * the copy for good (police evidence: the manager, with a note); requested and approved ones can
 * be cancelled. Every step is stamped, written to the duty log and the audit trail, and published
 * on the live stream ("recording"). The recorders keep footage recording.keep_days days from a
 * daily cut at recording.cut_at (R3.4.2: 7 days, 01:00); a request for footage already
 * overwritten is refused (problem recording-overwritten). The requester's ID number and phone
 * are masked everywhere except GET .../contact (the manager; audited). */
#ifndef VIGIL_APP_RECORDING_H
#define VIGIL_APP_RECORDING_H

#include "app/app.h"

/* When the footage recorded at instant t is overwritten: at the cut (minute of the local day)
 * keep_days local days after the day whose recording holds t (which runs from one cut to the
 * next). Uses the process's time zone (the site's). */
int64_t recording_expires_at(int64_t t, int keep_days, int cut_minute);
/* The oldest instant whose footage is still kept at now. */
int64_t recording_oldest_kept(int64_t now, int keep_days, int cut_minute);
/* "1101**********1234": all but the first and last four (two for short values) hidden. */
void recording_mask(const char *v, char *out, size_t n);

/* GET /recordings: open (requested, approved, lent) or by state, newest first. */
int app_recording_list(struct app *a, int open, const char *state, const struct page *pg,
                       json_t **out);
int app_recording_get(struct app *a, int64_t id, json_t **out);
/* POST /recordings: {"kind","requester_name","requester_org"?,"requester_id"?,"phone"?,
 * "purpose","area_id"?,"cameras","from","to"}. */
int app_recording_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                         struct app_err *err);
/* POST /recordings/{id}/<step>: step is "decide" ({"approve","note"}), "view" ({"note"?}),
 * "lend" ({"medium","copy_ref","due_back"}), "return" ({"note"?}), "keep" ({"note"}) or
 * "cancel" ({"note"}).
 * -ENOENT for no such request; a step the state does not allow is a conflict. */
int app_recording_step(struct app *a, const struct actor *who, int64_t id, const char *step,
                       json_t *in, json_t **out, struct app_err *err);
/* GET /recordings/{id}/contact: {"requester_id","phone"} in full. Audited. */
int app_recording_contact(struct app *a, const struct actor *who, int64_t id, json_t **out);
/* Demo data (inside the demo seed's transaction): a police station's request to borrow
 * yesterday evening's garage footage, waiting for the manager. */
int app_recording_demo_in(struct store_conn *c, int64_t now);

/* Adds "recordings_out" (lent and not returned), "recordings_lent" and "recordings_overdue"
 * (counts) to a handover summary. */
int app_recording_handover_facts(struct store_conn *c, int64_t now, json_t *summary);

#endif
