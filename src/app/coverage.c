/* coverage.c - sweep over slot boundaries. */
#include "app/coverage.h"

#include "core/xmalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct edge {
    int64_t at;
    int delta; /* +1 start, -1 end */
};

static int edge_cmp(const void *a, const void *b)
{
    const struct edge *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->delta - y->delta; /* ends before starts at the same instant: no false overlap */
}

static void add_gap(struct coverage_result *r, size_t *cap, int64_t s, int64_t e, int staffed)
{
    if (r->ngaps && r->gaps[r->ngaps - 1].end == s && r->gaps[r->ngaps - 1].staffed == staffed) {
        r->gaps[r->ngaps - 1].end = e; /* extend the previous gap */
        return;
    }
    if (r->ngaps == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        r->gaps = xrealloc(r->gaps, *cap * sizeof *r->gaps);
    }
    r->gaps[r->ngaps++] = (struct coverage_gap){s, e, staffed};
}

int coverage_compute(const struct coverage_slot *slots, size_t n, int64_t from, int64_t to,
                     int min_staff, int64_t max_shift_ms, struct coverage_result *out)
{
    memset(out, 0, sizeof *out);
    if (to <= from || min_staff < 1)
        return -EINVAL;
    struct edge *edges = xcalloc(n * 2 + 1, sizeof *edges);
    size_t ne = 0;
    out->long_slots = xcalloc(n + 1, sizeof *out->long_slots);
    out->untrained_slots = xcalloc(n + 1, sizeof *out->untrained_slots);
    for (size_t i = 0; i < n; i++) {
        const struct coverage_slot *s = &slots[i];
        if (s->end <= s->start)
            continue;
        if (max_shift_ms > 0 && s->end - s->start > max_shift_ms)
            out->long_slots[out->nlong++] = s->id;
        if (!s->trained) {
            out->untrained_slots[out->nuntrained++] = s->id;
            continue; /* an untrained person does not count towards the minimum */
        }
        int64_t a = s->start < from ? from : s->start, b = s->end > to ? to : s->end;
        if (a >= b)
            continue;
        edges[ne++] = (struct edge){a, +1};
        edges[ne++] = (struct edge){b, -1};
    }
    qsort(edges, ne, sizeof *edges, edge_cmp);
    size_t cap = 0;
    int on = 0;
    int64_t cursor = from;
    for (size_t i = 0; i <= ne; i++) {
        int64_t next = i < ne ? edges[i].at : to;
        if (next > cursor) {
            if (on < min_staff)
                add_gap(out, &cap, cursor, next, on);
            else
                out->covered_ms += next - cursor;
            cursor = next;
        }
        if (i < ne)
            on += edges[i].delta;
    }
    free(edges);
    return 0;
}

void coverage_result_cleanup(struct coverage_result *r)
{
    if (!r)
        return;
    free(r->gaps);
    free(r->long_slots);
    free(r->untrained_slots);
    memset(r, 0, sizeof *r);
}
