/* coverage.h - 24-hour coverage of the control room (S1, S3; GB 25201-2010 §5.2 and
 * GB 25506-2010 §4.2.1 ask for at least two trained operators on duty in a fire control room).
 *
 * A pure computation over roster slots: every instant of [from, to) must be covered by at least
 * `min_staff` slots whose person holds the required training; slots longer than `max_shift_ms`
 * are flagged. Times are ms since the epoch (UTC), so local-time days and DST never bend it. */
#ifndef VIGIL_COVERAGE_H
#define VIGIL_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

struct coverage_slot {
    int64_t id;
    int64_t start, end; /* [start, end) */
    int trained;        /* the person holds every required course at start */
};

struct coverage_gap {
    int64_t start, end; /* [start, end) where fewer than min_staff trained people are on duty */
    int staffed;        /* trained people on duty during the gap */
};

struct coverage_result {
    struct coverage_gap *gaps; /* caller frees with coverage_result_cleanup */
    size_t ngaps;
    int64_t *long_slots; /* ids of slots longer than the maximum */
    size_t nlong;
    int64_t *untrained_slots; /* ids of slots whose person lacks the required training */
    size_t nuntrained;
    int64_t covered_ms; /* time with at least min_staff trained people */
};

/* Computes coverage of [from, to). Slots may overlap, lie partly outside, or be empty. Returns
 * 0 or -EINVAL (to <= from, min_staff < 1). */
int coverage_compute(const struct coverage_slot *slots, size_t n, int64_t from, int64_t to,
                     int min_staff, int64_t max_shift_ms, struct coverage_result *out);
void coverage_result_cleanup(struct coverage_result *r);

#endif
