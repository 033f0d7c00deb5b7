/* metrics.c - Prometheus text metrics: requests by route and status, latency histograms,
 * store commit latency and batch sizes, SSE clients. */
#include "core/buf.h"
#include "core/xmalloc.h"
#include "http/http_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 128
static const double buckets[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
#define NB (sizeof buckets / sizeof buckets[0])

struct series {
    const char *route; /* static string from the route table */
    int status;
    uint64_t count;
    double sum;
    uint64_t bucket[NB];
};

struct http_metrics {
    pthread_mutex_t mu;
    struct series s[MAX_SERIES];
    size_t n;
    uint64_t dropped;
};

struct http_metrics *http_metrics_new(void)
{
    struct http_metrics *m = xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    return m;
}

void http_metrics_free(struct http_metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->mu);
    free(m);
}

void http_metrics_observe(struct http_metrics *m, const char *route, int status, int64_t ns)
{
    double secs = (double)ns / 1e9;
    pthread_mutex_lock(&m->mu);
    struct series *s = NULL;
    for (size_t i = 0; i < m->n; i++) {
        if (m->s[i].status == status && strcmp(m->s[i].route, route) == 0) {
            s = &m->s[i];
            break;
        }
    }
    if (!s && m->n < MAX_SERIES) {
        s = &m->s[m->n++];
        s->route = route;
        s->status = status;
    }
    if (s) {
        s->count++;
        s->sum += secs;
        for (size_t b = 0; b < NB; b++)
            if (secs <= buckets[b])
                s->bucket[b]++;
    } else {
        m->dropped++;
    }
    pthread_mutex_unlock(&m->mu);
}

char *http_metrics_render(struct http_metrics *m, struct app *a, struct hub *hub)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_append_str(&b, "# HELP vigil_http_requests_total HTTP requests by route and status.\n"
                       "# TYPE vigil_http_requests_total counter\n");
    pthread_mutex_lock(&m->mu);
    for (size_t i = 0; i < m->n; i++)
        buf_printf(&b, "vigil_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                   m->s[i].route, m->s[i].status, (unsigned long long)m->s[i].count);
    buf_append_str(&b, "# HELP vigil_http_request_duration_seconds Request latency.\n"
                       "# TYPE vigil_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < m->n; i++) {
        const struct series *s = &m->s[i];
        for (size_t k = 0; k < NB; k++)
            buf_printf(&b,
                       "vigil_http_request_duration_seconds_bucket{route=\"%s\",status=\"%d\","
                       "le=\"%g\"} %llu\n",
                       s->route, s->status, buckets[k], (unsigned long long)s->bucket[k]);
        buf_printf(&b,
                   "vigil_http_request_duration_seconds_bucket{route=\"%s\",status=\"%d\","
                   "le=\"+Inf\"} %llu\n",
                   s->route, s->status, (unsigned long long)s->count);
        buf_printf(&b, "vigil_http_request_duration_seconds_sum{route=\"%s\",status=\"%d\"} %.6f\n",
                   s->route, s->status, s->sum);
        buf_printf(&b,
                   "vigil_http_request_duration_seconds_count{route=\"%s\",status=\"%d\"} %llu\n",
                   s->route, s->status, (unsigned long long)s->count);
    }
    pthread_mutex_unlock(&m->mu);

    struct store_stats st;
    store_stats_get(a->st, &st);
    buf_printf(
        &b,
        "# HELP vigil_store_commits_total Store transactions committed.\n"
        "# TYPE vigil_store_commits_total counter\nvigil_store_commits_total %llu\n"
        "# HELP vigil_store_jobs_total Write jobs run (several share one commit).\n"
        "# TYPE vigil_store_jobs_total counter\nvigil_store_jobs_total %llu\n"
        "# HELP vigil_store_commit_failures_total Commits that failed.\n"
        "# TYPE vigil_store_commit_failures_total counter\n"
        "vigil_store_commit_failures_total %llu\n"
        "# HELP vigil_store_commit_seconds Time spent in COMMIT (the WAL fsync is apart).\n"
        "# TYPE vigil_store_commit_seconds summary\n"
        "vigil_store_commit_seconds_sum %.6f\nvigil_store_commit_seconds_count %llu\n"
        "# HELP vigil_store_commit_seconds_max Slowest commit so far.\n"
        "# TYPE vigil_store_commit_seconds_max gauge\n"
        "vigil_store_commit_seconds_max %.6f\n"
        "# HELP vigil_store_batch_max Largest number of jobs in one commit.\n"
        "# TYPE vigil_store_batch_max gauge\nvigil_store_batch_max %llu\n"
        "# HELP vigil_store_syncs_total WAL fsyncs; a commit completes after the next one.\n"
        "# TYPE vigil_store_syncs_total counter\nvigil_store_syncs_total %llu\n"
        "# HELP vigil_store_sync_seconds Time spent in the WAL fsync.\n"
        "# TYPE vigil_store_sync_seconds summary\n"
        "vigil_store_sync_seconds_sum %.6f\nvigil_store_sync_seconds_count %llu\n"
        "# HELP vigil_store_sync_seconds_max Slowest WAL fsync so far.\n"
        "# TYPE vigil_store_sync_seconds_max gauge\nvigil_store_sync_seconds_max %.6f\n"
        "# HELP vigil_store_sync_failures_total WAL fsyncs that failed (nothing acknowledged).\n"
        "# TYPE vigil_store_sync_failures_total counter\nvigil_store_sync_failures_total %llu\n"
        "# HELP vigil_store_healthy 1 when the last commit and WAL fsync succeeded.\n"
        "# TYPE vigil_store_healthy gauge\nvigil_store_healthy %d\n"
        "# HELP vigil_sse_clients Open event-stream clients.\n"
        "# TYPE vigil_sse_clients gauge\nvigil_sse_clients %d\n",
        (unsigned long long)st.commits, (unsigned long long)st.jobs,
        (unsigned long long)st.commit_failures, (double)st.commit_ns_sum / 1e9,
        (unsigned long long)st.commits, (double)st.commit_ns_max / 1e9,
        (unsigned long long)st.batch_max, (unsigned long long)st.syncs,
        (double)st.sync_ns_sum / 1e9, (unsigned long long)st.syncs, (double)st.sync_ns_max / 1e9,
        (unsigned long long)st.sync_failures, st.healthy, hub_clients(hub));
    return buf_take(&b);
}
