/* camera_fetch.c - the snapshot fetch loop (libcurl multi) and the analysis pool. */
#include "proto/camera/camera_fetch.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "proto/camera/camera_analyze.h"

#include "core/thread.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One check from dispatch to record. */
struct item {
    struct camera_job job;
    struct camera_result res;
    CURL *h;
    struct buf body;
    int too_big;
    char errbuf[CURL_ERROR_SIZE];
    struct item *next;  /* in a queue */
    struct item *fnext; /* in the in-flight list */
};

struct queue {
    struct item *head, *tail;
    size_t n;
};

struct camera_fetch {
    struct camera_fetch_opts o;
    struct camera_fetch_ops ops;
    CURLM *multi;
    pthread_t thr;
    pthread_t *workers;
    pthread_mutex_t mu;
    pthread_cond_t cv;    /* analysis queue not empty / stop */
    struct queue analyse; /* fetched snapshots waiting for a worker (mu) */
    struct queue done;    /* results waiting to be recorded (mu) */
    int stop, stop_workers, kicked;
    struct camera_fetch_stats stats; /* mu */
    /* fetch thread only */
    int64_t *busy; /* device ids from dispatch to record */
    size_t nbusy;
    struct item *inflight; /* transfers in the multi handle */
};

static void q_push(struct queue *q, struct item *it)
{
    it->next = NULL;
    if (q->tail)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    q->n++;
}

static struct item *q_pop(struct queue *q)
{
    struct item *it = q->head;
    if (it) {
        q->head = it->next;
        if (!q->head)
            q->tail = NULL;
        q->n--;
    }
    return it;
}

static void item_free(struct item *it)
{
    if (it->h)
        curl_easy_cleanup(it->h);
    buf_cleanup(&it->body);
    camera_result_clear(&it->res);
    memset(it->job.password, 0, sizeof it->job.password);
    free(it);
}

/* ---- analysis pool ---- */

static void *worker(void *arg)
{
    struct camera_fetch *f = arg;
    thread_name_set("vigil-camera");
    struct camera_analyzer *az = camera_analyzer_new();
    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (!f->stop_workers && !f->analyse.head)
            pthread_cond_wait(&f->cv, &f->mu);
        struct item *it = q_pop(&f->analyse);
        if (!it)
            break; /* stopping and nothing left */
        pthread_mutex_unlock(&f->mu);
        camera_analyze(az, (const uint8_t *)it->body.data, it->body.len, &it->job, &it->res);
        it->res.at = clock_now_ms();
        buf_cleanup(&it->body);
        pthread_mutex_lock(&f->mu);
        f->stats.analysed++;
        q_push(&f->done, it);
        curl_multi_wakeup(f->multi);
    }
    pthread_mutex_unlock(&f->mu);
    camera_analyzer_free(az);
    return NULL;
}

/* ---- fetching ---- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct item *it = ud;
    if (buf_append(&it->body, p, size * n) != 0) {
        it->too_big = 1;
        return 0; /* aborts the transfer (CURLE_WRITE_ERROR) */
    }
    return size * n;
}

static int dispatch(struct camera_fetch *f, struct camera_job *job)
{
    struct item *it = xcalloc(1, sizeof *it);
    it->job = *job;
    buf_init(&it->body, f->o.max_bytes);
    it->h = curl_easy_init();
    if (!it->h) {
        item_free(it);
        return -ENOMEM;
    }
    CURL *h = it->h;
    curl_easy_setopt(h, CURLOPT_URL, it->job.url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)it->job.timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)it->job.timeout_ms);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->o.max_bytes);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, it);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, it->errbuf);
    curl_easy_setopt(h, CURLOPT_PRIVATE, it);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "vigil-camera-health/1");
    if (strcmp(it->job.auth, "none") != 0) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH,
                         strcmp(it->job.auth, "digest") == 0 ? CURLAUTH_DIGEST : CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, it->job.username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, it->job.password);
    }
    if (curl_multi_add_handle(f->multi, h) != CURLM_OK) {
        item_free(it);
        return -EIO;
    }
    f->busy[f->nbusy++] = it->job.device_id;
    it->fnext = f->inflight;
    f->inflight = it;
    return 0;
}

static void fail(struct camera_fetch *f, struct item *it, CURLcode cc, long status)
{
    struct camera_result *r = &it->res;
    r->device_id = it->job.device_id;
    r->verdict = CAM_OFFLINE;
    r->same = it->job.same;
    r->at = clock_now_ms();
    if (it->too_big || cc == CURLE_FILESIZE_EXCEEDED)
        snprintf(r->detail, sizeof r->detail, "snapshot larger than %zu bytes", f->o.max_bytes);
    else if (cc == CURLE_OPERATION_TIMEDOUT)
        snprintf(r->detail, sizeof r->detail, "timeout after %d ms", it->job.timeout_ms);
    else if (cc != CURLE_OK)
        snprintf(r->detail, sizeof r->detail, "%.150s",
                 it->errbuf[0] ? it->errbuf : curl_easy_strerror(cc));
    else
        snprintf(r->detail, sizeof r->detail, "HTTP %ld", status);
    buf_cleanup(&it->body);
    pthread_mutex_lock(&f->mu);
    f->stats.failed++;
    q_push(&f->done, it);
    pthread_mutex_unlock(&f->mu);
}

/* Moves finished transfers to the analysis queue (or straight to done on failure). */
static void reap(struct camera_fetch *f)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct item *it = NULL;
        CURLcode cc = m->data.result;
        CURL *h = m->easy_handle;
        curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&it);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_multi_remove_handle(f->multi, h);
        curl_easy_cleanup(h);
        it->h = NULL;
        for (struct item **pp = &f->inflight; *pp; pp = &(*pp)->fnext)
            if (*pp == it) {
                *pp = it->fnext;
                break;
            }
        if (cc != CURLE_OK || status < 200 || status > 299) {
            fail(f, it, cc, status);
            continue;
        }
        pthread_mutex_lock(&f->mu);
        f->stats.fetched++;
        q_push(&f->analyse, it);
        pthread_cond_signal(&f->cv);
        pthread_mutex_unlock(&f->mu);
    }
}

static void unbusy(struct camera_fetch *f, int64_t id)
{
    for (size_t i = 0; i < f->nbusy; i++)
        if (f->busy[i] == id) {
            f->busy[i] = f->busy[--f->nbusy];
            return;
        }
}

/* Hands every finished result to the source, in one batch. */
static void record_done(struct camera_fetch *f)
{
    pthread_mutex_lock(&f->mu);
    struct queue q = f->done;
    memset(&f->done, 0, sizeof f->done);
    pthread_mutex_unlock(&f->mu);
    if (!q.n)
        return;
    struct camera_result *res = xcalloc(q.n, sizeof *res);
    size_t k = 0;
    for (struct item *it = q.head; it; it = it->next)
        res[k++] = it->res; /* shallow: the thumbnail stays owned by the item */
    int rc = f->ops.record(f->ops.ctx, res, k);
    if (rc)
        log_warn("camera", "record_failed n=%zu rc=%d", k, rc);
    free(res);
    struct item *it;
    while ((it = q_pop(&q)) != NULL) {
        unbusy(f, it->job.device_id);
        item_free(it);
    }
    pthread_mutex_lock(&f->mu);
    f->stats.recorded += k;
    pthread_mutex_unlock(&f->mu);
}

/* Asks for due cameras while there is room; returns how many were started. */
static size_t fill(struct camera_fetch *f)
{
    size_t room = (size_t)f->o.max_in_flight - f->nbusy;
    if (!room)
        return 0;
    struct camera_job *jobs = NULL;
    size_t n = 0, started = 0;
    if (f->ops.due(f->ops.ctx, clock_now_ms(), f->busy, f->nbusy, room, &jobs, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            if (dispatch(f, &jobs[i]) == 0)
                started++;
            memset(jobs[i].password, 0, sizeof jobs[i].password);
        }
    }
    free(jobs);
    return started;
}

static void *fetch_loop(void *arg)
{
    struct camera_fetch *f = arg;
    thread_name_set("vigil-camfetch");
    int64_t next_poll = 0;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        int stop = f->stop, kicked = f->kicked;
        f->kicked = 0;
        pthread_mutex_unlock(&f->mu);
        if (stop)
            break;
        int64_t now = clock_mono_ms();
        if (kicked || now >= next_poll) {
            /* A full batch means more may be due: ask again soon. */
            size_t started = fill(f);
            next_poll =
                now + (started && f->nbusy >= (size_t)f->o.max_in_flight ? 20 : f->o.poll_ms);
        }
        int running = 0;
        curl_multi_perform(f->multi, &running);
        reap(f);
        record_done(f);
        int wait = (int)(next_poll - clock_mono_ms());
        curl_multi_poll(f->multi, NULL, 0, wait < 1 ? 1 : wait > 1000 ? 1000 : wait, NULL);
    }
    return NULL;
}

int camera_fetch_start(struct camera_fetch **out, const struct camera_fetch_opts *o,
                       const struct camera_fetch_ops *ops)
{
    struct camera_fetch *f = xcalloc(1, sizeof *f);
    f->o = *o;
    if (f->o.max_in_flight < 1)
        f->o.max_in_flight = 1;
    if (f->o.workers < 1)
        f->o.workers = 1;
    if (f->o.poll_ms < 10)
        f->o.poll_ms = 10;
    f->ops = *ops;
    f->busy = xcalloc((size_t)f->o.max_in_flight, sizeof *f->busy);
    f->workers = xcalloc((size_t)f->o.workers, sizeof *f->workers);
    f->multi = curl_multi_init();
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (!f->multi) {
        f->stop = 1;
        camera_fetch_stop(f);
        return -ENOMEM;
    }
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->o.max_in_flight);
    int started = 0;
    for (; started < f->o.workers; started++)
        if (pthread_create(&f->workers[started], NULL, worker, f) != 0)
            break;
    if (started < f->o.workers || pthread_create(&f->thr, NULL, fetch_loop, f) != 0) {
        f->o.workers = started;
        f->stop = 1; /* no fetch thread to join */
        camera_fetch_stop(f);
        return -EAGAIN;
    }
    *out = f;
    return 0;
}

void camera_fetch_kick(struct camera_fetch *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->kicked = 1;
    pthread_mutex_unlock(&f->mu);
    curl_multi_wakeup(f->multi);
}

void camera_fetch_stats(struct camera_fetch *f, struct camera_fetch_stats *out)
{
    pthread_mutex_lock(&f->mu);
    *out = f->stats;
    pthread_mutex_unlock(&f->mu);
}

/* Abandons every transfer still in the multi handle. */
static void abandon(struct camera_fetch *f)
{
    while (f->inflight) {
        struct item *it = f->inflight;
        f->inflight = it->fnext;
        curl_multi_remove_handle(f->multi, it->h);
        item_free(it);
    }
}

void camera_fetch_stop(struct camera_fetch *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    int joined = f->stop; /* set before: the fetch thread never ran */
    f->stop = 1;
    pthread_mutex_unlock(&f->mu);
    if (!joined) {
        curl_multi_wakeup(f->multi);
        pthread_join(f->thr, NULL);
    }
    pthread_mutex_lock(&f->mu);
    f->stop_workers = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    for (int i = 0; i < f->o.workers; i++)
        pthread_join(f->workers[i], NULL);
    if (f->ops.record)
        record_done(f); /* analyses that finished while stopping */
    abandon(f);
    if (f->multi)
        curl_multi_cleanup(f->multi);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    free(f->workers);
    free(f->busy);
    free(f);
}
