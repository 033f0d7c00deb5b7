/* store_coalesce.c - coalesced lazy events across commits (writer thread only).
 *
 * A coalesced event (store_conn_emit_coalesced: an incident whose alarm count went up) is
 * published right after its commit when none of its (type, key) was published in the last
 * STORE_COALESCE_MS; otherwise it is marked due at the end of that window and published then,
 * once, built from the committed data of that moment (the writer's timer or its next commit).
 * Any immediate lazy event of the same (type, key) publishes at once and clears the mark. */
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

struct co_slot {
    char *type; /* NULL: empty */
    int64_t key;
    int64_t last_pub; /* clock_now_ms() of the last publication */
    int64_t due;      /* 0, or when the deferred snapshot must go out */
    store_event_build_fn build;
};

static size_t co_hash(const char *type, int64_t key, size_t cap)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL;
    for (const char *p = type; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return (size_t)(h >> 17) & (cap - 1);
}

static struct co_slot *co_find(struct store_conn *c, const char *type, int64_t key, int add);

/* Keeps the table small: drops entries neither due nor published within the window. */
static void co_rehash(struct store_conn *c, int64_t now)
{
    struct co_slot *old = c->co;
    size_t oldcap = c->co_cap;
    size_t live = 0;
    for (size_t i = 0; i < oldcap; i++)
        live += old[i].type && (old[i].due || now - old[i].last_pub < STORE_COALESCE_MS);
    c->co_cap = 64;
    while (c->co_cap < live * 4)
        c->co_cap *= 2;
    c->co = xcalloc(c->co_cap, sizeof *c->co);
    c->co_n = 0;
    for (size_t i = 0; i < oldcap; i++) {
        struct co_slot *o = &old[i];
        if (!o->type)
            continue;
        if (o->due || now - o->last_pub < STORE_COALESCE_MS) {
            struct co_slot *n = co_find(c, o->type, o->key, 1);
            n->last_pub = o->last_pub;
            n->due = o->due;
            n->build = o->build;
        }
        free(o->type);
    }
    free(old);
}

static struct co_slot *co_find(struct store_conn *c, const char *type, int64_t key, int add)
{
    if (!c->co_cap) {
        if (!add)
            return NULL;
        c->co_cap = 64;
        c->co = xcalloc(c->co_cap, sizeof *c->co);
    }
    if (add && (c->co_n + 1) * 2 > c->co_cap)
        co_rehash(c, clock_now_ms());
    for (size_t h = co_hash(type, key, c->co_cap);; h = (h + 1) & (c->co_cap - 1)) {
        struct co_slot *s = &c->co[h];
        if (!s->type) {
            if (!add)
                return NULL;
            s->type = xstrdup(type);
            s->key = key;
            s->last_pub = INT64_MIN / 2;
            c->co_n++;
            return s;
        }
        if (s->key == key && strcmp(s->type, type) == 0)
            return s;
    }
}

int store_coalesce_defer(struct store_conn *c, const char *type, int64_t key, int64_t now)
{
    struct co_slot *s = co_find(c, type, key, 0);
    return s && (s->due || now - s->last_pub < STORE_COALESCE_MS);
}

void store_coalesce_after_commit(struct store_conn *c, int64_t now)
{
    for (size_t i = 0; i < c->nevents; i++) {
        struct pending_event *e = &c->events[i];
        if (!e->build || !(e->text || e->deferred))
            continue;
        struct co_slot *s = co_find(c, e->type, e->key, 1);
        if (e->text) { /* published now: a later change within the window waits */
            s->last_pub = now;
            s->due = 0;
        } else if (!s->due) {
            s->due = s->last_pub + STORE_COALESCE_MS;
            s->build = e->build;
            if (!c->co_next || s->due < c->co_next)
                c->co_next = s->due;
        }
    }
}

void store_coalesce_flush(struct store_conn *c, int64_t now, int all, store_event_fn sink,
                          void *ctx)
{
    if (!c->co_next || (!all && c->co_next > now))
        return;
    c->co_next = 0;
    for (size_t i = 0; i < c->co_cap; i++) {
        struct co_slot *s = &c->co[i];
        if (!s->type || !s->due)
            continue;
        if (!all && s->due > now) {
            if (!c->co_next || s->due < c->co_next)
                c->co_next = s->due;
            continue;
        }
        s->due = 0;
        s->last_pub = now;
        char *text = s->build(c, s->key); /* outside a transaction: the committed state */
        if (text && sink)
            sink(ctx, s->type, NULL, text);
        free(text);
    }
}

void store_coalesce_cleanup(struct store_conn *c)
{
    for (size_t i = 0; i < c->co_cap; i++)
        free(c->co[i].type);
    free(c->co);
    c->co = NULL;
    c->co_cap = c->co_n = 0;
    c->co_next = 0;
}
