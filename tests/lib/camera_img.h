/* camera_img.h - real JPEG pictures for the camera-health tests, the benchmark and the demo
 * snapshots (libturbojpeg): a detailed synthetic street scene and its degraded variants. */
#ifndef VIGIL_TEST_CAMERA_IMG_H
#define VIGIL_TEST_CAMERA_IMG_H

#include <stddef.h>
#include <stdint.h>

enum cimg_kind {
    CIMG_SHARP,   /* buildings, windows, a road, trees: many edges */
    CIMG_BLURRED, /* the same scene, heavily defocused */
    CIMG_DARK,    /* the same scene at night without light */
    CIMG_BRIGHT,  /* the same scene overexposed (mostly clipped) */
    CIMG_COVERED, /* an almost uniform dark frame (a hand or tape over the lens) */
};

/* Renders kind at w x h; seed varies the sensor noise (two seeds = two live frames of the same
 * scene) and, by hundreds, the scene (seed 101 and 201 are two other streets). OUT *jpeg (caller
 * frees with free()) and *len. Returns 0 or -1. */
int cimg_make(enum cimg_kind kind, int w, int h, unsigned seed, int quality, uint8_t **jpeg,
              size_t *len);

#endif
