/* test_camera_analyze.c - the snapshot analyser (S4): every verdict on real JPEG pictures at
 * 1080p and 360p, the frozen-picture fingerprint, the thumbnail, and bytes that are not a
 * (whole) JPEG. */
#include "lib/camera_img.h"
#include "proto/camera/camera_analyze.h"

#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void job_init(struct camera_job *j)
{
    memset(j, 0, sizeof *j);
    j->device_id = 7;
    camera_thresholds_default(&j->th);
}

static enum camera_state verdict_of(enum cimg_kind k, int w, int h, struct camera_result *r)
{
    uint8_t *jpeg = NULL;
    size_t len = 0;
    assert_int_equal(cimg_make(k, w, h, 1, 85, &jpeg, &len), 0);
    struct camera_job j;
    job_init(&j);
    memset(r, 0, sizeof *r);
    assert_int_equal(camera_analyze(NULL, jpeg, len, &j, r), 0);
    free(jpeg);
    assert_int_equal(r->device_id, 7);
    return r->verdict;
}

static void each_verdict(int w, int h)
{
    struct camera_result r;
    assert_int_equal(verdict_of(CIMG_SHARP, w, h, &r), CAM_OK);
    assert_int_equal(r.width, w);
    assert_int_equal(r.height, h);
    assert_true(r.sharpness > 100);
    assert_int_equal(verdict_of(CIMG_BLURRED, w, h, &r), CAM_BLURRED);
    assert_non_null(strstr(r.detail, "sharpness"));
    assert_int_equal(verdict_of(CIMG_DARK, w, h, &r), CAM_DARK);
    assert_true(r.mean < 35);
    assert_int_equal(verdict_of(CIMG_BRIGHT, w, h, &r), CAM_OVEREXPOSED);
    assert_true(r.clipped > 0.5);
    assert_int_equal(verdict_of(CIMG_COVERED, w, h, &r), CAM_COVERED);
    assert_true(r.stddev < 6);
}

static void test_verdicts_1080p(void **state)
{
    (void)state;
    each_verdict(1920, 1080);
}

static void test_verdicts_360p(void **state)
{
    (void)state;
    each_verdict(640, 360);
}

/* The same bytes again are unchanged; a new frame of the same scene (other noise) is not. */
static void test_frozen(void **state)
{
    (void)state;
    uint8_t *a, *b;
    size_t la, lb;
    assert_int_equal(cimg_make(CIMG_SHARP, 640, 360, 1, 85, &a, &la), 0);
    assert_int_equal(cimg_make(CIMG_SHARP, 640, 360, 2, 85, &b, &lb), 0);
    struct camera_job j;
    job_init(&j);
    struct camera_result r = {0};
    camera_analyze(NULL, a, la, &j, &r);
    assert_true(r.has_fp);
    assert_int_equal(r.same, 1);
    assert_true(r.fp_diff < 0); /* nothing to compare with */
    for (int k = 2; k <= 3; k++) {
        memcpy(j.fp, r.fp, sizeof j.fp);
        j.has_fp = 1;
        j.same = r.same;
        memset(&r, 0, sizeof r);
        camera_analyze(NULL, a, la, &j, &r);
        assert_int_equal(r.same, k);
        assert_true(r.fp_diff == 0);
    }
    assert_int_equal(r.verdict, CAM_FROZEN); /* frozen_k = 3 */
    memset(&r, 0, sizeof r);
    camera_analyze(NULL, b, lb, &j, &r);
    assert_true(r.fp_diff > j.th.frozen_tol);
    assert_int_equal(r.same, 1);
    assert_int_equal(r.verdict, CAM_OK);
    free(a);
    free(b);
}

static void test_thumbnail(void **state)
{
    (void)state;
    uint8_t *a;
    size_t la;
    assert_int_equal(cimg_make(CIMG_SHARP, 1920, 1080, 1, 85, &a, &la), 0);
    struct camera_job j;
    job_init(&j);
    j.want_thumb = 1;
    struct camera_analyzer *az = camera_analyzer_new();
    assert_non_null(az);
    struct camera_result r = {0};
    camera_analyze(az, a, la, &j, &r);
    assert_non_null(r.thumb);
    assert_true(r.thumb_len > 500 && r.thumb_len < 40000);
    assert_int_equal(r.thumb[0], 0xFF);
    assert_int_equal(r.thumb[1], 0xD8);
    /* The thumbnail is itself a picture the analyser reads: at most 320 wide. */
    struct camera_result t = {0};
    job_init(&j);
    camera_analyze(az, r.thumb, r.thumb_len, &j, &t);
    assert_true(t.width > 0 && t.width <= CAMERA_THUMB_MAX_WIDTH);
    camera_result_clear(&r);
    assert_null(r.thumb);
    camera_analyzer_free(az);
    free(a);
}

static void test_not_a_jpeg(void **state)
{
    (void)state;
    struct camera_job j;
    job_init(&j);
    struct camera_result r = {0};
    static const uint8_t html[] = "<html>401</html>";
    camera_analyze(NULL, html, sizeof html - 1, &j, &r);
    assert_int_equal(r.verdict, CAM_OFFLINE);
    assert_non_null(strstr(r.detail, "not a JPEG"));
    assert_int_equal(r.width, 0);
    memset(&r, 0, sizeof r);
    camera_analyze(NULL, html, 0, &j, &r);
    assert_int_equal(r.verdict, CAM_OFFLINE);
    /* An SOI marker and garbage. */
    static const uint8_t junk[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1};
    memset(&r, 0, sizeof r);
    camera_analyze(NULL, junk, sizeof junk, &j, &r);
    assert_int_equal(r.verdict, CAM_OFFLINE);
    /* The first half of a real picture: never a crash; no thumbnail for a broken header. */
    uint8_t *a;
    size_t la;
    assert_int_equal(cimg_make(CIMG_SHARP, 640, 360, 1, 85, &a, &la), 0);
    for (size_t cut = 2; cut < la; cut = cut * 2 + 7) {
        memset(&r, 0, sizeof r);
        camera_analyze(NULL, a, cut, &j, &r);
        camera_result_clear(&r);
    }
    free(a);
}

static void test_classify_order(void **state)
{
    (void)state;
    struct camera_thresholds th;
    camera_thresholds_default(&th);
    char d[160];
    struct camera_result m = {.mean = 100, .stddev = 40, .sharpness = 500, .edges = 0.2, .same = 1};
    assert_int_equal(camera_classify(&m, &th, d, sizeof d), CAM_OK);
    m.same = 3;
    assert_int_equal(camera_classify(&m, &th, d, sizeof d), CAM_FROZEN);
    m.sharpness = 5; /* frozen wins over blurred */
    assert_int_equal(camera_classify(&m, &th, d, sizeof d), CAM_FROZEN);
    m.same = 1;
    assert_int_equal(camera_classify(&m, &th, d, sizeof d), CAM_BLURRED);
    m.mean = 20; /* dark wins over blurred */
    assert_int_equal(camera_classify(&m, &th, d, sizeof d), CAM_DARK);
    m.stddev = 1;
    m.edges = 0; /* uniform: covered wins over dark */
    assert_int_equal(camera_classify(&m, &th, d, sizeof d), CAM_COVERED);
    m = (struct camera_result){
        .mean = 200, .stddev = 40, .sharpness = 500, .clipped = 0.6, .edges = 0.2, .same = 1};
    assert_int_equal(camera_classify(&m, &th, d, sizeof d), CAM_OVEREXPOSED);
    th.frozen_k = 0; /* frozen detection off */
    m = (struct camera_result){
        .mean = 100, .stddev = 40, .sharpness = 500, .edges = 0.2, .same = 50};
    assert_int_equal(camera_classify(&m, &th, d, sizeof d), CAM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdicts_1080p), cmocka_unit_test(test_verdicts_360p),
        cmocka_unit_test(test_frozen),         cmocka_unit_test(test_thumbnail),
        cmocka_unit_test(test_not_a_jpeg),     cmocka_unit_test(test_classify_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
