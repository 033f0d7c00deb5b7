/* pump.c - the event pump: a queue and one thread that serialises and publishes. */
#include "http/pump.h"

#include "core/xmalloc.h"

#include "core/thread.h"

#include <pthread.h>
#include <stdlib.h>

struct item {
    char *type;
    json_t *data; /* or */
    char *text;
    struct item *next;
};

struct event_pump {
    struct hub *hub;
    pthread_t thr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct item *head, *tail;
    int stop;
};

static void *pump_main(void *arg)
{
    struct event_pump *p = arg;
    thread_name_set("vigil-pump");
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        struct item *batch = p->head;
        p->head = p->tail = NULL;
        if (!batch && p->stop)
            break;
        pthread_mutex_unlock(&p->mu);
        while (batch) {
            struct item *next = batch->next;
            char *s = batch->text ? batch->text : json_dumps(batch->data, JSON_COMPACT);
            hub_publish(p->hub, batch->type, s ? s : "{}");
            free(s);
            json_decref(batch->data);
            free(batch->type);
            free(batch);
            batch = next;
        }
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

struct event_pump *event_pump_new(struct hub *hub)
{
    struct event_pump *p = xcalloc(1, sizeof *p);
    p->hub = hub;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thr, NULL, pump_main, p) != 0)
        abort(); /* start-up: without it no console would ever update */
    return p;
}

void event_pump_sink(void *pump, const char *type, json_t *data, const char *json)
{
    struct event_pump *p = pump;
    struct item *it = xmalloc(sizeof *it);
    it->type = xstrdup(type);
    it->data = data ? json_incref(data) : NULL;
    it->text = data ? NULL : xstrdup(json);
    it->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = it;
    else
        p->head = it;
    p->tail = it;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void event_pump_free(struct event_pump *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thr, NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}
