/* camera.h - automatic camera health (S4: clarity and stability of the picture).
 *
 * Each camera device may have a snapshot URL (HTTP, as IP cameras and ONVIF GetSnapshotUri
 * expose it; no auth, basic or digest). proto/camera fetches the snapshots on a schedule and
 * analyses them (camera_analyze.c); this module owns the rules:
 *
 *   - every check gives a verdict: ok, offline (no answer, timeout, HTTP error, not a JPEG),
 *     blurred, dark, overexposed, frozen (the same picture over frozen_k fetches) or covered;
 *   - a problem that persists over `persist` (N) consecutive checks becomes the camera's state:
 *     an equipment-trouble incident (type "trouble") and a fault ticket (kind "camera_health")
 *     are opened, on the duty log and the audit trail;
 *   - the first good check after that is a recovery: noted on the ticket and the incident, the
 *     duty log and the audit trail; the ticket then waits for the operator's verification.
 *   - transitions (not every check) go to camera_history and out as "camera" live events; the
 *     last snapshot is kept as a small JPEG thumbnail.
 *
 * Passwords are stored for the fetcher and never returned by the API. */
#ifndef VIGIL_CAMERA_H
#define VIGIL_CAMERA_H

#include "app/app.h"
#include "store/store_camera.h"

#include <stddef.h>
#include <stdint.h>

/* GET /api/v1/cameras: every camera device with its configuration (no password) and health.
 * problems = 1: only cameras whose state or last verdict is a problem. */
int app_camera_list(struct app *a, int problems, const struct page *pg, json_t **out);
/* One camera (device id) with its recent transitions ("history"). -ENOENT when the device is
 * not a camera. */
int app_camera_get(struct app *a, int64_t id, json_t **out);
/* PUT /api/v1/cameras/{id}: {"url","auth"?,"username"?,"password"?,"interval_s"?,
 * "timeout_ms"?,"persist"?,"enabled"?,"thresholds"?:{...}}. Creates or replaces the
 * configuration (an omitted password keeps the stored one when the URL's host is unchanged).
 * Audited (without the password). */
int app_camera_configure(struct app *a, const struct actor *who, int64_t id, json_t *in,
                         json_t **out, struct app_err *err);
/* Removes the configuration (the history stays). Audited. */
int app_camera_unconfigure(struct app *a, const struct actor *who, int64_t id);
/* Asks for a check as soon as possible. */
int app_camera_check_now(struct app *a, const struct actor *who, int64_t id);
/* The last snapshot thumbnail (image/jpeg; caller frees *jpeg). -ENOENT when none. */
int app_camera_thumb(struct app *a, int64_t id, uint8_t **jpeg, size_t *len);

/* For the fetcher: up to max cameras due at now, skipping the ids in busy (nbusy). OUT jobs
 * (caller frees) and *n. Returns 0 or a negative errno. */
/* Seals the camera passwords stored in clear by earlier versions (app/secret.h); run at start. */
int app_camera_seal_passwords(struct app *a);

int app_camera_due(struct app *a, int64_t now, const int64_t *busy, size_t nbusy, size_t max,
                   struct camera_job **jobs, size_t *n);
/* Applies the rules to n check results in one write: state, streak, history, tickets,
 * incidents, recovery, live events, next check time. Returns 0 or a negative errno. */
int app_camera_record(struct app *a, struct camera_result *res, size_t n);

/* Demo: points every demo camera without a configuration (or with a demo URL) at the
 * daemon's own snapshots on http://127.0.0.1:port/img/demo-cameras/. */
int app_camera_demo(struct app *a, int port);

#endif
