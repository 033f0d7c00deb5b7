/* camera_fetch.h - fetches camera snapshots on a schedule and analyses them.
 *
 * One fetch thread drives libcurl multi: it asks its source which cameras are due (at most
 * max_in_flight fetches at once; each bounded by the camera's timeout and by max_bytes for the
 * body), hands every snapshot to a pool of analysis threads (camera_analyze.c, scaled decoding)
 * and gives the results back to the source in batches (the daemon's source is app/camera.c:
 * app_camera_due and app_camera_record). A camera is never fetched twice at once. */
#ifndef VIGIL_CAMERA_FETCH_H
#define VIGIL_CAMERA_FETCH_H

#include "app/camera.h"

#include <stddef.h>
#include <stdint.h>

struct camera_fetch;

/* Where jobs come from and results go (called on the fetch thread only). */
struct camera_fetch_ops {
    /* Up to max jobs due at now, skipping busy ids. OUT *jobs (malloc'd, freed by the fetcher). */
    int (*due)(void *ctx, int64_t now, const int64_t *busy, size_t nbusy, size_t max,
               struct camera_job **jobs, size_t *n);
    /* A batch of results (thumbnails owned by the fetcher, freed after the call). */
    int (*record)(void *ctx, struct camera_result *res, size_t n);
    void *ctx;
};

struct camera_fetch_opts {
    int max_in_flight; /* concurrent fetches (>= 1) */
    size_t max_bytes;  /* snapshot body cap */
    int workers;       /* analysis threads (>= 1) */
    int poll_ms;       /* how often to ask for due cameras when idle */
};

struct camera_fetch_stats {
    uint64_t fetched;  /* snapshots received (HTTP 2xx within the cap) */
    uint64_t failed;   /* fetch failures: timeout, refused, HTTP error, too large */
    uint64_t analysed; /* snapshots analysed */
    uint64_t recorded; /* results handed to record */
};

/* Starts the fetch thread and the analysis pool. Returns 0 or -EAGAIN / -ENOMEM. */
int camera_fetch_start(struct camera_fetch **out, const struct camera_fetch_opts *o,
                       const struct camera_fetch_ops *ops);
/* Asks the fetch thread to look for due cameras now. Thread-safe; NULL-safe. */
void camera_fetch_kick(struct camera_fetch *f);
void camera_fetch_stats(struct camera_fetch *f, struct camera_fetch_stats *out);
/* Stops: in-flight fetches are abandoned, analyses in progress finish and are recorded. Frees.
 * NULL-safe. */
void camera_fetch_stop(struct camera_fetch *f);

#endif
