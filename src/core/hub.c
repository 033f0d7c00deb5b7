/* hub.c - event ring with condition-variable wake-ups. */
#include "core/hub.h"

#include "core/xmalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct hub_event {
    uint64_t id;
    char *type;
    char *json;
};

struct hub {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct hub_event *ring;
    size_t size;
    uint64_t last; /* id of the newest event */
    int down;
    int clients;
};

struct hub *hub_new(size_t ring_size)
{
    struct hub *h = xcalloc(1, sizeof *h);
    h->size = ring_size ? ring_size : 1024;
    h->ring = xcalloc(h->size, sizeof *h->ring);
    pthread_mutex_init(&h->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&h->cv, &ca);
    pthread_condattr_destroy(&ca);
    return h;
}

void hub_shutdown(struct hub *h)
{
    pthread_mutex_lock(&h->mu);
    h->down = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

void hub_free(struct hub *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->size; i++) {
        free(h->ring[i].type);
        free(h->ring[i].json);
    }
    free(h->ring);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    free(h);
}

uint64_t hub_publish(struct hub *h, const char *type, const char *json)
{
    char *t = xstrdup(type), *j = xstrdup(json);
    pthread_mutex_lock(&h->mu);
    uint64_t id = ++h->last;
    struct hub_event *e = &h->ring[id % h->size];
    free(e->type);
    free(e->json);
    e->id = id;
    e->type = t;
    e->json = j;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    return id;
}

uint64_t hub_last_id(struct hub *h)
{
    pthread_mutex_lock(&h->mu);
    uint64_t id = h->last;
    pthread_mutex_unlock(&h->mu);
    return id;
}

int hub_next(struct hub *h, uint64_t after, int timeout_ms, uint64_t *id, char **type, char **json)
{
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_sec += timeout_ms / 1000;
    dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000L;
    }
    int rc = 0;
    pthread_mutex_lock(&h->mu);
    while (!h->down && h->last <= after && rc == 0)
        rc = pthread_cond_timedwait(&h->cv, &h->mu, &dl);
    if (h->down) {
        rc = -ESHUTDOWN;
    } else if (h->last <= after) {
        rc = -ETIMEDOUT;
    } else {
        uint64_t oldest = h->last >= h->size ? h->last - h->size + 1 : 1;
        if (after + 1 < oldest) {
            *id = oldest - 1;
            rc = -ERANGE;
        } else {
            struct hub_event *e = &h->ring[(after + 1) % h->size];
            *id = e->id;
            *type = xstrdup(e->type);
            *json = xstrdup(e->json);
            rc = 0;
        }
    }
    pthread_mutex_unlock(&h->mu);
    return rc;
}

void hub_client_add(struct hub *h, int delta)
{
    pthread_mutex_lock(&h->mu);
    h->clients += delta;
    pthread_mutex_unlock(&h->mu);
}

int hub_clients(struct hub *h)
{
    pthread_mutex_lock(&h->mu);
    int n = h->clients;
    pthread_mutex_unlock(&h->mu);
    return n;
}
