/* store.h - the embedded SQLite store: the only module that includes sqlite3.h.
 *
 * One writer thread owns the write connection. Every change goes through store_write(), which
 * queues a job; the writer runs all queued jobs in one transaction (each inside its own
 * SAVEPOINT, so one failing job does not undo the others), commits once (WAL) and hands the
 * batch to the WAL sync thread, which fdatasyncs the WAL and only then publishes the batch's
 * events and wakes the callers (store_sync.c): durable on return. That is group commit: under
 * load many writes share one fsync. Readers may see a commit a moment before its fsync ends.
 * Readers take pooled query-only connections; WAL lets them read while the writer commits.
 *
 * Times are stored as INTEGER milliseconds since the epoch, UTC. */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_conn;

/* The newest schema version this binary knows. */
int store_schema_version(void);

struct store_opts {
    int busy_timeout_ms; /* wait for locks held by other processes (vigilctl) */
    int readers;         /* size of the read pool */
};

/* Opens (creating if needed) the database at path, applies pending migrations and starts the
 * writer thread. A database whose schema is newer than this binary is refused (-EPROTO).
 * OUT: *out (free with store_close). On error returns a negative errno and a message in err. */
int store_open(struct store **out, const char *path, const struct store_opts *opts, char *err,
               size_t errsz);
/* Drains the writer queue, stops the writer and closes every connection. NULL-safe. */
void store_close(struct store *st);

/* A job run on the writer thread inside the group transaction. Return 0 (or a positive
 * value) to keep its changes, a negative errno to roll them back. */
typedef int (*store_tx_fn)(struct store_conn *c, void *arg);

/* Runs fn in the writer thread and waits until its changes are durably committed (or rolled
 * back). Returns fn's result, or -EIO/-EBUSY when the transaction could not commit (then
 * nothing of fn's is stored). Must not be called from inside a job. */
int store_write(struct store *st, store_tx_fn fn, void *arg);

/* An asynchronous write: the caller owns the struct (it must live until done is called), sets
 * fn, arg and done, and submits it. The writer runs fn in the next group transaction and, once
 * the transaction has committed and its WAL fsync has ended (or either failed), sets rc as
 * store_write would return it and calls done(job) on the WAL sync thread. done must be quick (hand
 * the result to another thread) and may free the job. This is how the alarm receiver acknowledges
 * only committed alarms without blocking its event loop. */
struct store_job {
    store_tx_fn fn;
    void *arg;
    void (*done)(struct store_job *job);
    int rc;
    /* private */
    int finished;
    struct store_job *next;
};
/* Queues job. Returns 0, or -ESHUTDOWN when the store is closing (done is not called). */
int store_submit(struct store *st, struct store_job *job);

/* From inside a job: runs fn(c, arg) in a nested SAVEPOINT. When fn returns a negative errno its
 * changes and the events it emitted are rolled back and the rest of the job goes on (a job
 * that carries many independent items, such as a batch of alarm frames, keeps the others).
 * Returns fn's result, or -EIO when the savepoint itself fails. */
int store_nested(struct store_conn *c, store_tx_fn fn, void *arg);

/* Takes a read connection from the pool and opens a snapshot. Blocks while all are busy.
 * Release with store_read_end(). */
struct store_conn *store_read_begin(struct store *st);
void store_read_end(struct store *st, struct store_conn *c);

/* Called after a commit's WAL fsync, on the WAL sync thread, for each event its jobs emitted,
 * in commit order (never for a commit whose fsync failed).
 * Exactly one of data and json is non-NULL: data (a JSON value) is borrowed, the sink takes its
 * own reference if it keeps it; json is an event whose JSON text is ready (lazy events and
 * store_conn_emit_text), borrowed too (copy it to keep it). */
typedef void (*store_event_fn)(void *ctx, const char *type, json_t *data, const char *json);
void store_set_event_sink(struct store *st, store_event_fn fn, void *ctx);
/* From inside a job: queue an event to deliver once the transaction commits (dropped if the
 * job or the commit fails). Steals the reference to data. */
void store_conn_emit(struct store_conn *c, const char *type, json_t *data);

/* From inside a job: like store_conn_emit with the event's JSON text already made (an object;
 * the caller guarantees it is valid JSON). Steals json (malloc'd). */
void store_conn_emit_text(struct store_conn *c, const char *type, char *json);

/* Builds the data of a lazy event, on the writer, inside the transaction, just before COMMIT:
 * its JSON text (malloc'd; the store frees it), or NULL to drop the event. Building the text in
 * SQL (json_object) keeps the writer and the event pump out of per-field JSON work. */
typedef char *(*store_event_build_fn)(struct store_conn *c, int64_t key);
/* From inside a job: an event whose data is built once per transaction. When several jobs of
 * one group commit emit the same type and key (an alarm storm on one incident), only the last
 * is delivered, in its place, built from the final state: one snapshot instead of one per
 * job. */
void store_conn_emit_lazy(struct store_conn *c, const char *type, int64_t key,
                          store_event_build_fn build);
/* From inside a job: like store_conn_emit_lazy for a change that may wait (an incident's alarm
 * count): published right after the commit when no event of this type and key went out in the
 * last 200 ms (clock_now_ms), else once at the end of that window, built then from the committed
 * state (after a later commit or from the writer's timer; at the latest when the store closes).
 * A store_conn_emit_lazy of the same type and key in the transaction publishes at once. */
void store_conn_emit_coalesced(struct store_conn *c, const char *type, int64_t key,
                               store_event_build_fn build);

struct store_stats {
    uint64_t commits; /* transactions committed */
    uint64_t jobs;    /* jobs run */
    uint64_t commit_failures;
    uint64_t commit_ns_sum; /* time spent in COMMIT (without the fsync), ns */
    uint64_t commit_ns_max;
    uint64_t batch_max;
    uint64_t syncs; /* WAL fsyncs (one covers every commit before it) */
    uint64_t sync_ns_sum, sync_ns_max;
    uint64_t sync_failures;
    int healthy; /* 0 after the last commit or WAL fsync failed */
};
void store_stats_get(struct store *st, struct store_stats *out);

/* Copies the live database at src_path into dest_path with the SQLite backup API, as one
 * consistent snapshot, while other processes keep writing. dest_path must not exist. */
int store_backup(const char *src_path, const char *dest_path, char *err, size_t errsz);

/* Sets OUT *version to the schema version of the database file at path without migrating. */
int store_peek_version(const char *path, int *version);

/* ---- query helpers shared by the store_*.c files (and their tests) ----
 * A bind format string has one letter per parameter: 'i' int64_t, 's' const char * (NULL binds
 * NULL), 'b' (const void *, size_t) blob, 'n' NULL.
 * Column aliases may carry a type suffix: "x:time" renders an ms INTEGER as an ISO string,
 * "x:bool" renders 0/1 as false/true; the suffix is dropped from the key. */

/* SQL should be a string literal: its address keys the per-connection statement cache (other
 * text at a reused address is detected and prepared afresh).
 * Runs a SELECT; OUT *rows is a new JSON array of objects (caller decrefs). */
int store_q_rows(struct store_conn *c, json_t **rows, const char *sql, const char *fmt, ...);
/* Runs a SELECT expecting at most one row; OUT *row (caller decrefs). -ENOENT if none. */
int store_q_row(struct store_conn *c, json_t **row, const char *sql, const char *fmt, ...);
/* Runs a SELECT whose first column of the first row is an integer. -ENOENT if no row. */
int store_q_int(struct store_conn *c, int64_t *out, const char *sql, const char *fmt, ...);
/* Runs a statement that returns no rows. -EEXIST on a UNIQUE violation, -EINVAL on a CHECK or
 * foreign-key violation, -EIO otherwise. OUT (optional) *last_id, *changes. */
int store_q_exec(struct store_conn *c, int64_t *last_id, int *changes, const char *sql,
                 const char *fmt, ...);

#endif
