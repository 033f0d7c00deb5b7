/* webhook.c - the escalation delivery worker. */
#include "proto/webhook/webhook.h"

#include "app/response.h"
#include "core/log.h"
#include "core/xmalloc.h"

#include "core/thread.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct webhook {
    struct app *app;
    char *url;
    long timeout_s;
    pthread_t thr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, kicked;
};

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

/* POSTs one escalation; returns 0 on a 2xx answer, else -EIO with err set. */
static int post(struct webhook *w, CURL *h, json_t *e, char *err, size_t errsz)
{
    char *body = json_dumps(e, JSON_COMPACT);
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, w->url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, w->timeout_s);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode cc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    free(body);
    if (cc != CURLE_OK) {
        snprintf(err, errsz, "%s", curl_easy_strerror(cc));
        return -EIO;
    }
    if (status < 200 || status > 299) {
        snprintf(err, errsz, "HTTP %ld", status);
        return -EIO;
    }
    return 0;
}

static void deliver_due(struct webhook *w, CURL *h)
{
    json_t *rows = NULL;
    if (app_escalation_pending(w->app, 50, &rows) != 0)
        return;
    size_t i;
    json_t *e;
    json_array_foreach (rows, i, e) {
        char err[200] = "";
        int64_t id = json_integer_value(json_object_get(e, "id"));
        int64_t attempts = json_integer_value(json_object_get(e, "attempts"));
        int rc = post(w, h, e, err, sizeof err);
        if (rc)
            log_warn("webhook", "delivery_failed escalation=%lld attempt=%lld err=\"%s\"",
                     (long long)id, (long long)attempts + 1, err);
        else
            log_info("webhook", "delivered escalation=%lld", (long long)id);
        app_escalation_mark(w->app, id, rc == 0, attempts, rc ? err : NULL);
    }
    json_decref(rows);
}

static void *worker(void *arg)
{
    struct webhook *w = arg;
    thread_name_set("vigil-webhook");
    CURL *h = curl_easy_init();
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec dl;
        clock_gettime(CLOCK_REALTIME, &dl);
        dl.tv_sec += 2; /* also wakes for retries that fall due */
        while (!w->stop && !w->kicked && pthread_cond_timedwait(&w->cv, &w->mu, &dl) != ETIMEDOUT) {
        }
        if (w->stop)
            break;
        w->kicked = 0;
        pthread_mutex_unlock(&w->mu);
        if (h)
            deliver_due(w, h);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    curl_easy_cleanup(h);
    return NULL;
}

int webhook_start(struct webhook **out, struct app *a, const char *url, long timeout_s)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return -EINVAL;
    struct webhook *w = xcalloc(1, sizeof *w);
    w->app = a;
    w->url = xstrdup(url);
    w->timeout_s = timeout_s;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thr, NULL, worker, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w->url);
        free(w);
        return -EAGAIN;
    }
    *out = w;
    return 0;
}

void webhook_kick(struct webhook *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->kicked = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void webhook_stop(struct webhook *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thr, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w->url);
    free(w);
}
