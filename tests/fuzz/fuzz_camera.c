/* fuzz_camera.c - libFuzzer target for camera_analyze (snapshot bytes from the network), with
 * checks on what it reports. The first byte picks the options (thumbnail, a previous
 * fingerprint); the rest is the snapshot. */
#include "proto/camera/camera_analyze.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct camera_analyzer *az;
    if (!az)
        az = camera_analyzer_new();
    if (size < 1 || size > (1 << 20))
        return 0;
    struct camera_job job;
    memset(&job, 0, sizeof job);
    camera_thresholds_default(&job.th);
    job.want_thumb = data[0] & 1;
    job.has_fp = (data[0] >> 1) & 1;
    job.same = data[0] >> 4;
    memset(job.fp, data[0], sizeof job.fp);
    uint8_t *buf = malloc(size - 1 ? size - 1 : 1); /* exact size: reads past len are caught */
    memcpy(buf, data + 1, size - 1);
    struct camera_result r;
    memset(&r, 0, sizeof r);
    if (camera_analyze(az, buf, size - 1, &job, &r) != 0 || r.verdict >= CAM__COUNT ||
        r.verdict == CAM_UNKNOWN || strnlen(r.detail, sizeof r.detail) == sizeof r.detail)
        abort();
    if (r.width && (isnan(r.mean) || r.mean < 0 || r.mean > 255 || r.clipped < 0 || r.clipped > 1 ||
                    r.sharpness < 0 || !r.has_fp))
        abort();
    if (!r.width && (r.verdict != CAM_OFFLINE || r.thumb))
        abort();
    camera_result_clear(&r);
    free(buf);
    return 0;
}
