/* store_camera.h - SQL for camera health: configuration, state, thumbnails, history. */
#ifndef VIGIL_STORE_CAMERA_H
#define VIGIL_STORE_CAMERA_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* The types shared by the rules (app/camera.c), the fetcher and analyser (proto/camera) and
 * this SQL. */
enum camera_state {
    CAM_UNKNOWN = 0,
    CAM_OK,
    CAM_OFFLINE,
    CAM_BLURRED,
    CAM_DARK,
    CAM_OVEREXPOSED,
    CAM_FROZEN,
    CAM_COVERED,
    CAM__COUNT
};
/* "unknown", "ok", ... (NULL-terminated, indexed by enum camera_state). */
extern const char *const camera_states[];
extern const char *const camera_auths[];

/* Thresholds of one camera (defaults: camera_thresholds_default). Measures are taken on the
 * luma plane decoded at a reduced scale (320 to 640 pixels wide). */
struct camera_thresholds {
    double sharpness_min;  /* variance of the Laplacian below this: blurred */
    double dark_mean;      /* mean luma (0..255) below this: too dark */
    double bright_mean;    /* mean luma above this: overexposed */
    double clip_max;       /* fraction of pixels >= 250 above this: overexposed */
    double covered_stddev; /* luma standard deviation below this (and almost no edges): covered */
    double frozen_tol;     /* fingerprints closer than this (mean abs difference): unchanged */
    int frozen_k;          /* this many identical fetches in a row: frozen (>= 2) */
};
void camera_thresholds_default(struct camera_thresholds *t);

#define CAMERA_FP_SIDE 16
#define CAMERA_FP_LEN (CAMERA_FP_SIDE * CAMERA_FP_SIDE)

/* One camera the fetcher should check now (app_camera_due). */
struct camera_job {
    int64_t device_id;
    char url[1024];
    char auth[8]; /* none | basic | digest */
    char username[128];
    char password[128];        /* in clear, for the fetcher (app_camera_due opens it) */
    char password_stored[384]; /* as stored: sealed (app/secret.h); app_camera_due zeroes it */
    int timeout_ms;
    struct camera_thresholds th;
    uint8_t fp[CAMERA_FP_LEN]; /* fingerprint of the previous fetch (has_fp) */
    int has_fp;
    int same;       /* consecutive unchanged fetches so far */
    int want_thumb; /* 1: the result should carry a thumbnail */
};

/* What a check found (filled by the fetcher, consumed by app_camera_record). */
struct camera_result {
    int64_t device_id;
    enum camera_state verdict;
    char detail[160]; /* "timeout", "HTTP 401", "sharpness 12.3 < 40" ... */
    double mean, stddev, sharpness, clipped, edges, fp_diff;
    int width, height; /* of the snapshot (0 when none) */
    uint8_t fp[CAMERA_FP_LEN];
    int has_fp;
    int same;       /* consecutive unchanged fetches, this one included */
    uint8_t *thumb; /* a small JPEG or NULL (owned by the result; camera_result_clear) */
    size_t thumb_len;
    int64_t at; /* when the check finished (ms) */
};
void camera_result_clear(struct camera_result *r);

/* A configuration as written by PUT /cameras/{id}. password NULL keeps the stored one. */
struct store_camera_cfg {
    int64_t device_id;
    const char *url, *auth, *username, *password;
    int64_t interval_s, timeout_ms, persist;
    int enabled;
    struct camera_thresholds th;
};
/* Inserts or replaces the configuration; the health state of an existing row is kept (a
 * changed URL resets the fingerprint and asks for a check now). */
int store_camera_upsert(struct store_conn *c, const struct store_camera_cfg *cfg, int64_t now);
/* -ENOENT when the camera has no configuration. */
int store_camera_delete(struct store_conn *c, int64_t id);

/* Rows {device_id, password} of the cameras whose stored password is not sealed yet (not
 * starting with prefix, and not empty). */
int store_camera_passwords_unsealed(struct store_conn *c, const char *prefix, json_t **rows);
/* Replaces a camera's stored password (the sealed form of the same secret). */
int store_camera_password_set(struct store_conn *c, int64_t id, const char *stored);
int store_camera_check_now(struct store_conn *c, int64_t id);
/* OUT *url (cap n) of the stored configuration, -ENOENT when none. */
int store_camera_url(struct store_conn *c, int64_t id, char *url, size_t n);

/* Rows: the device (id, name, code, status, area) with its configuration (no password:
 * has_password) and health; cameras without configuration too (configured false). */
int store_camera_list(struct store_conn *c, int problems, int64_t limit, int64_t offset,
                      json_t **rows, int64_t *total);
int store_camera_get(struct store_conn *c, int64_t id, json_t **row);
int store_camera_history(struct store_conn *c, int64_t id, int64_t limit, json_t **rows);
/* OUT *jpeg (caller frees) and *len; -ENOENT when none. */
int store_camera_thumb(struct store_conn *c, int64_t id, uint8_t **jpeg, size_t *len);
/* Demo cameras: OUT rows {id, code, url} of every camera device. */
int store_camera_devices(struct store_conn *c, json_t **rows);

/* Due checks (enabled, next_check_at <= now, not in busy), at most max. OUT *jobs (caller
 * frees), *n. */
int store_camera_due(struct store_conn *c, int64_t now, const int64_t *busy, size_t nbusy,
                     size_t max, struct camera_job **jobs, size_t *n);

/* The health state the rules work from. */
struct store_camera_state {
    char state[16];
    char name[204];
    int64_t area_id, streak, persist, interval_s, ticket_id, incident_id, thumb_at, state_since;
};
/* -ENOENT when the camera has no configuration (removed while a check was in flight). */
int store_camera_state_get(struct store_conn *c, int64_t id, struct store_camera_state *s);

/* One check's result applied to the row. */
struct store_camera_update {
    int64_t device_id, at, streak, next_check_at, ticket_id, incident_id, state_since;
    const char *state, *verdict, *detail, *metrics; /* metrics: JSON text or NULL */
    const uint8_t *fp;                              /* NULL keeps the stored fingerprint */
    int64_t same;
    const uint8_t *thumb; /* NULL keeps the stored thumbnail */
    size_t thumb_len;
};
int store_camera_update(struct store_conn *c, const struct store_camera_update *u);
int store_camera_history_add(struct store_conn *c, int64_t id, int64_t at, const char *from,
                             const char *to, const char *detail, int64_t ticket_id,
                             int64_t incident_id);

#endif
