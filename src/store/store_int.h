/* store_int.h - internals shared by the files of the store module only. */
#ifndef VIGIL_STORE_INT_H
#define VIGIL_STORE_INT_H

#include "store/store.h"

#include <sqlite3.h>

struct pending_event {
    char *type;
    json_t *data;               /* the event's value, or NULL when text is used */
    char *text;                 /* ready JSON text (text events; lazy ones once built) */
    int64_t key;                /* lazy events: what to build */
    store_event_build_fn build; /* NULL for ready events */
    int coalesce;               /* lazy, and may wait (store_conn_emit_coalesced) */
    int deferred;               /* coalesced and not built: published later */
};

/* Coalesced events: at most one per (type, key) per this many ms of clock_now_ms(). */
#define STORE_COALESCE_MS 200

#define STMT_CACHE 128

struct store_conn {
    sqlite3 *db;
    /* Prepared statements keyed by the address of their SQL text (always a string literal), so
     * the hot paths never re-prepare. */
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[STMT_CACHE];
    int writer;                   /* 1 for the writer's connection */
    struct pending_event *events; /* emitted by jobs of the open transaction */
    size_t nevents, events_alloc;
    struct store_conn *next_free; /* read pool link */
    struct co_slot *co;           /* coalesced events (writer only; store_coalesce.c) */
    size_t co_cap, co_n;
    int64_t co_next;            /* earliest due time of a deferred event, 0 when none (or sooner) */
    struct route_cache *route;  /* writer only (store_route.c); NULL elsewhere */
    uint64_t route_gen;         /* bumped to drop every cached routing answer */
    int64_t route_data_version; /* PRAGMA data_version when last checked */
};

/* The migrations: migrations[i] takes the schema from version i to i + 1. */
extern const char *const store_migrations[];
extern const int store_nmigrations;

/* A prepared statement for sql (a string literal: its address is the cache key), reset and
 * unbound. Release it with store_stmt_done. Returns NULL on a prepare error. */
sqlite3_stmt *store_stmt(struct store_conn *c, const char *sql);
void store_stmt_done(struct store_conn *c, sqlite3_stmt *s);
/* Finalizes every cached statement of c. */
void store_stmt_clear(struct store_conn *c);

/* Coalesced events (store_coalesce.c; writer thread only). */
/* 1 when a coalesced (type, key) must wait: one was published within the window or waits. */
int store_coalesce_defer(struct store_conn *c, const char *type, int64_t key, int64_t now);
/* After a successful COMMIT: notes the transaction's built lazy events as published and its
 * deferred ones as due at the end of their window. */
void store_coalesce_after_commit(struct store_conn *c, int64_t now);
/* Builds (from the committed state, outside a transaction) and hands to sink each deferred
 * event due by now (every one when all is set). */
void store_coalesce_flush(struct store_conn *c, int64_t now, int all, store_event_fn sink,
                          void *ctx);
void store_coalesce_cleanup(struct store_conn *c);

/* Routing lookups in memory (store_route.c; writer connection only). */
/* Registers vigil_route_forget() and the TEMP triggers that call it; allocates the cache. */
int store_route_setup(struct store_conn *c);
void store_route_cleanup(struct store_conn *c);
/* Drops every cached answer (a rollback, another connection's commit). */
void store_route_clear(struct store_conn *c);
/* In a transaction, after BEGIN: drops everything if another connection committed since. */
void store_route_check_version(struct store_conn *c);
/* _get: 0 (or -ENOENT for a cached missing mapping) when cached, 1 when not. */
int store_route_map_get(struct store_conn *c, const char *account, const char *zone,
                        int64_t *device_id, int64_t *area_id, char *type, size_t typesz);
void store_route_map_put(struct store_conn *c, const char *account, const char *zone, int rc,
                         int64_t device_id, int64_t area_id, const char *type);
int store_route_inc_get(struct store_conn *c, const char *account, const char *zone,
                        const char *type, int64_t *id);
void store_route_inc_put(struct store_conn *c, const char *account, const char *zone,
                         const char *type, int64_t id);

/* The background WAL checkpointer (store_ckpt.c): installs a WAL hook on the writer's wdb that
 * wakes a thread with its own connection to path instead of checkpointing inside COMMIT.
 * Stop it (after the writer thread has ended) with store_ckpt_stop. */
struct store_ckpt;
int store_ckpt_start(struct store_ckpt **out, const char *path, sqlite3 *wdb, char *err,
                     size_t errsz);
void store_ckpt_stop(struct store_ckpt *k);

/* A committed (or failed) batch on its way to the WAL sync thread (store_sync.c). */
struct store_synced {
    struct store_synced *next;
    struct store_job *jobs; /* the batch's jobs, NULL for events only */
    int committed;          /* completes only after the WAL is on disk */
    struct pending_event *events;
    size_t nevents;
};

/* Called on the sync thread, in commit order, once item is durable (sync_rc 0) or its fsync
 * failed (a negative errno); the callee frees item. */
typedef void (*store_sync_finish_fn)(void *ctx, struct store_synced *item, int sync_rc);

/* Starts the WAL sync thread for the main database of wdb (its -wal file must exist). */
struct store_sync;
int store_sync_start(struct store_sync **out, sqlite3 *wdb, store_sync_finish_fn finish, void *ctx,
                     char *err, size_t errsz);
/* 1 once a WAL fsync has failed (sticky until restart): every commit from then on fails. */
int store_sync_failed(struct store_sync *s);
/* Hands over a batch (writer thread); items finish in the order they were pushed. */
void store_sync_push(struct store_sync *s, struct store_synced *item);
void store_sync_stats(struct store_sync *s, uint64_t *syncs, uint64_t *ns_sum, uint64_t *ns_max,
                      uint64_t *failures);
/* Finishes every item pushed so far, then stops the thread (after the writer has ended). */
void store_sync_stop(struct store_sync *s);

/* Applies pending migrations on db. */
int store_migrate(sqlite3 *db, char *err, size_t errsz);

#endif
