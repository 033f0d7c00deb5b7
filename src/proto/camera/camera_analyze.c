/* camera_analyze.c - decode (scaled, luma only) and measure a camera snapshot. */
#include "proto/camera/camera_analyze.h"

#include "core/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

struct camera_analyzer {
    tjhandle dec, enc;
    uint8_t *luma;
    size_t luma_cap;
};

struct camera_analyzer *camera_analyzer_new(void)
{
    struct camera_analyzer *az = xcalloc(1, sizeof *az);
    az->dec = tjInitDecompress();
    az->enc = tjInitCompress();
    if (!az->dec || !az->enc) {
        camera_analyzer_free(az);
        return NULL;
    }
    return az;
}

void camera_analyzer_free(struct camera_analyzer *az)
{
    if (!az)
        return;
    if (az->dec)
        tjDestroy(az->dec);
    if (az->enc)
        tjDestroy(az->enc);
    free(az->luma);
    free(az);
}

/* The smallest scale whose width stays >= min_w (or the largest scale <= max_w when max_w > 0). */
static tjscalingfactor pick_scale(int w, int min_w, int max_w)
{
    int n = 0;
    tjscalingfactor *sf = tjGetScalingFactors(&n);
    tjscalingfactor best = {1, 1};
    int best_w = w;
    for (int i = 0; i < n; i++) {
        if (sf[i].num > sf[i].denom)
            continue;
        int sw = TJSCALED(w, sf[i]);
        int ok = max_w > 0 ? sw <= max_w : sw >= min_w;
        int better = max_w > 0 ? (best_w > max_w || sw > best_w) : sw < best_w;
        if (ok && better) {
            best = sf[i];
            best_w = sw;
        }
    }
    return best;
}

struct plane {
    const uint8_t *p;
    int w, h;
};

/* Mean, standard deviation, clipped fraction. */
static void stats(const struct plane *pl, struct camera_result *r)
{
    uint64_t sum = 0, sq = 0, clip = 0;
    size_t n = (size_t)pl->w * (size_t)pl->h;
    for (size_t i = 0; i < n; i++) {
        unsigned v = pl->p[i];
        sum += v;
        sq += v * v;
        clip += v >= 250;
    }
    double mean = (double)sum / (double)n;
    double var = (double)sq / (double)n - mean * mean;
    r->mean = mean;
    r->stddev = var > 0 ? sqrt(var) : 0;
    r->clipped = (double)clip / (double)n;
}

/* Variance of the 4-neighbour Laplacian and the fraction of edge pixels (|gx| + |gy| > 32). */
static void sharpness(const struct plane *pl, struct camera_result *r)
{
    r->sharpness = 0;
    r->edges = 0;
    if (pl->w < 3 || pl->h < 3)
        return;
    double sum = 0, sq = 0;
    uint64_t edges = 0, n = 0;
    for (int y = 1; y < pl->h - 1; y++) {
        const uint8_t *row = pl->p + (size_t)y * (size_t)pl->w;
        const uint8_t *up = row - pl->w, *dn = row + pl->w;
        int64_t rs = 0, rq = 0;
        for (int x = 1; x < pl->w - 1; x++) {
            int l = 4 * row[x] - row[x - 1] - row[x + 1] - up[x] - dn[x];
            rs += l;
            rq += (int64_t)l * l;
            int gx = row[x + 1] - row[x - 1], gy = dn[x] - up[x];
            edges += abs(gx) + abs(gy) > 32;
        }
        sum += (double)rs;
        sq += (double)rq;
        n += (uint64_t)(pl->w - 2);
    }
    double mean = sum / (double)n;
    r->sharpness = sq / (double)n - mean * mean;
    r->edges = (double)edges / (double)n;
}

/* Point samples at the centres of a 16x16 grid; compared with the previous fetch's. */
static void fingerprint(const struct plane *pl, const struct camera_job *job,
                        struct camera_result *r)
{
    uint64_t diff = 0;
    for (int by = 0; by < CAMERA_FP_SIDE; by++)
        for (int bx = 0; bx < CAMERA_FP_SIDE; bx++) {
            int x = (int)(((int64_t)bx * 2 + 1) * pl->w / (2 * CAMERA_FP_SIDE));
            int y = (int)(((int64_t)by * 2 + 1) * pl->h / (2 * CAMERA_FP_SIDE));
            uint8_t v = pl->p[(size_t)y * (size_t)pl->w + (size_t)x];
            int i = by * CAMERA_FP_SIDE + bx;
            r->fp[i] = v;
            if (job->has_fp)
                diff += (uint64_t)abs((int)v - (int)job->fp[i]);
        }
    r->has_fp = 1;
    r->fp_diff = job->has_fp ? (double)diff / CAMERA_FP_LEN : -1;
    int unchanged = job->has_fp && r->fp_diff <= job->th.frozen_tol;
    r->same = unchanged ? (job->same > 0 ? job->same : 1) + 1 : 1;
}

enum camera_state camera_classify(const struct camera_result *m, const struct camera_thresholds *th,
                                  char *detail, size_t n)
{
    if (m->stddev < th->covered_stddev && m->edges < 0.005) {
        snprintf(detail, n, "almost uniform picture (stddev %.1f < %.1f)", m->stddev,
                 th->covered_stddev);
        return CAM_COVERED;
    }
    if (m->mean < th->dark_mean) {
        snprintf(detail, n, "too dark (mean luma %.0f < %.0f)", m->mean, th->dark_mean);
        return CAM_DARK;
    }
    if (m->mean > th->bright_mean || m->clipped > th->clip_max) {
        snprintf(detail, n, "overexposed (mean luma %.0f, %.0f%% clipped)", m->mean,
                 m->clipped * 100);
        return CAM_OVEREXPOSED;
    }
    if (th->frozen_k >= 2 && m->same >= th->frozen_k) {
        snprintf(detail, n, "picture unchanged over %d fetches", m->same);
        return CAM_FROZEN;
    }
    if (m->sharpness < th->sharpness_min) {
        snprintf(detail, n, "blurred (sharpness %.1f < %.1f)", m->sharpness, th->sharpness_min);
        return CAM_BLURRED;
    }
    snprintf(detail, n, "ok (sharpness %.0f, mean luma %.0f)", m->sharpness, m->mean);
    return CAM_OK;
}

/* A colour thumbnail at most CAMERA_THUMB_MAX_WIDTH wide (best effort: none on failure). */
static void make_thumb(struct camera_analyzer *az, const uint8_t *jpeg, size_t len, int w, int h,
                       struct camera_result *r)
{
    tjscalingfactor sf = pick_scale(w, 0, CAMERA_THUMB_MAX_WIDTH);
    int tw = TJSCALED(w, sf), th = TJSCALED(h, sf);
    if (tw > CAMERA_THUMB_MAX_WIDTH * 2 || th > CAMERA_THUMB_MAX_WIDTH * 2)
        return; /* a tiny-scale-proof cap: the picture is oddly shaped */
    uint8_t *rgb = xmalloc((size_t)tw * (size_t)th * 3);
    unsigned char *out = NULL;
    unsigned long outlen = 0;
    if (tjDecompress2(az->dec, jpeg, (unsigned long)len, rgb, tw, 0, th, TJPF_RGB,
                      TJFLAG_FASTDCT) == 0 ||
        tjGetErrorCode(az->dec) == TJERR_WARNING) {
        if (tjCompress2(az->enc, rgb, tw, 0, th, TJPF_RGB, &out, &outlen, TJSAMP_420, 70,
                        TJFLAG_FASTDCT) == 0) {
            r->thumb = xmalloc(outlen);
            memcpy(r->thumb, out, outlen);
            r->thumb_len = outlen;
        }
    }
    tjFree(out);
    free(rgb);
}

static int decode_luma(struct camera_analyzer *az, const uint8_t *jpeg, size_t len,
                       struct plane *pl, struct camera_result *r)
{
    int w = 0, h = 0, sub = 0, cs = 0;
    if (len < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) {
        snprintf(r->detail, sizeof r->detail, "not a JPEG (%zu bytes)", len);
        return -1;
    }
    if (tjDecompressHeader3(az->dec, jpeg, (unsigned long)len, &w, &h, &sub, &cs) != 0 || w <= 0 ||
        h <= 0) {
        snprintf(r->detail, sizeof r->detail, "not a JPEG: %s", tjGetErrorStr2(az->dec));
        return -1;
    }
    if ((long)w * (long)h > CAMERA_ANALYZE_MAX_PIXELS) {
        snprintf(r->detail, sizeof r->detail, "picture too large (%dx%d)", w, h);
        return -1;
    }
    r->width = w;
    r->height = h;
    tjscalingfactor sf = pick_scale(w, CAMERA_ANALYZE_MIN_WIDTH, 0);
    pl->w = TJSCALED(w, sf);
    pl->h = TJSCALED(h, sf);
    size_t need = (size_t)pl->w * (size_t)pl->h;
    if (need > az->luma_cap) {
        free(az->luma);
        az->luma = xmalloc(need);
        az->luma_cap = need;
    }
    if (tjDecompress2(az->dec, jpeg, (unsigned long)len, az->luma, pl->w, 0, pl->h, TJPF_GRAY,
                      TJFLAG_FASTDCT) != 0 &&
        tjGetErrorCode(az->dec) != TJERR_WARNING) {
        snprintf(r->detail, sizeof r->detail, "corrupt JPEG: %s", tjGetErrorStr2(az->dec));
        return -1;
    }
    pl->p = az->luma;
    return 0;
}

int camera_analyze(struct camera_analyzer *az, const uint8_t *jpeg, size_t len,
                   const struct camera_job *job, struct camera_result *res)
{
    struct camera_analyzer *tmp = NULL;
    if (!az)
        az = tmp = camera_analyzer_new();
    res->device_id = job->device_id;
    res->same = job->same;
    struct plane pl;
    if (!az || decode_luma(az, jpeg, len, &pl, res) != 0) {
        if (!az)
            snprintf(res->detail, sizeof res->detail, "decoder unavailable");
        res->verdict = CAM_OFFLINE;
        camera_analyzer_free(tmp);
        return 0;
    }
    stats(&pl, res);
    sharpness(&pl, res);
    fingerprint(&pl, job, res);
    res->verdict = camera_classify(res, &job->th, res->detail, sizeof res->detail);
    if (job->want_thumb)
        make_thumb(az, jpeg, len, res->width, res->height, res);
    camera_analyzer_free(tmp);
    return 0;
}
