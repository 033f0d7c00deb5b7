/* camera_analyze.h - the picture analysis of a camera snapshot: a pure function of the JPEG
 * bytes, the camera's thresholds and the previous fetch's fingerprint (fuzzed:
 * tests/fuzz/fuzz_camera.c).
 *
 * The JPEG is decoded with libturbojpeg at a reduced scale (DCT scaling: the smallest of 1/8,
 * 1/4, 1/2 whose width is still >= CAMERA_ANALYZE_MIN_WIDTH; full size for small pictures)
 * straight to luma. On that plane it measures: mean and standard deviation, the fraction of
 * clipped pixels (>= 250), the variance of the 4-neighbour Laplacian (sharpness), the fraction of
 * edge pixels, and a 16x16 point-sample fingerprint compared with the previous fetch's. */
#ifndef VIGIL_CAMERA_ANALYZE_H
#define VIGIL_CAMERA_ANALYZE_H

#include "app/camera.h"

#include <stddef.h>
#include <stdint.h>

#define CAMERA_ANALYZE_MIN_WIDTH 320
/* Pictures larger than this (pixels, full size) are refused before decoding. */
#define CAMERA_ANALYZE_MAX_PIXELS (8192L * 8192L)
/* A thumbnail is at most this wide (pixels). */
#define CAMERA_THUMB_MAX_WIDTH 320

/* Per-thread scratch (decoder handles and buffers); not thread-safe, one per worker. */
struct camera_analyzer;
struct camera_analyzer *camera_analyzer_new(void);
void camera_analyzer_free(struct camera_analyzer *az);

/* Analyses the snapshot jpeg[0..len) for job (thresholds, previous fingerprint, run of
 * unchanged pictures so far, whether a thumbnail is wanted) into res: the verdict and detail,
 * the measures, the new fingerprint and run length, and (job->want_thumb) a small JPEG
 * thumbnail owned by res. Not a decodable JPEG -> verdict CAM_OFFLINE, detail "not a JPEG...".
 * az may be NULL (a temporary one is used). Never fails otherwise; returns 0. */
int camera_analyze(struct camera_analyzer *az, const uint8_t *jpeg, size_t len,
                   const struct camera_job *job, struct camera_result *res);

/* The verdict for measures m (mean, stddev, clipped, edges, sharpness, same) under th, with a
 * short English detail. Order: covered, dark, overexposed, frozen, blurred, ok. */
enum camera_state camera_classify(const struct camera_result *m, const struct camera_thresholds *th,
                                  char *detail, size_t n);

#endif
