/* store.c - connections, the writer thread with group commit, the read pool, query helpers. */
#include "store/store_int.h"

#include "core/clock.h"
#include "core/xmalloc.h"

#include "core/thread.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCH 512

struct store {
    char *path;
    struct store_conn wconn;
    pthread_t writer;
    int writer_started;
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* writer waits for jobs */
    pthread_cond_t done_cv; /* callers wait for completion */
    struct store_job *head, *tail;
    int stopping;

    pthread_mutex_t rmu;
    pthread_cond_t rcv;
    struct store_conn *rfree;
    struct store_conn *rall;
    int nreaders;

    store_event_fn sink;
    void *sink_ctx;

    pthread_mutex_t stats_mu;
    struct store_stats stats;

    struct store_ckpt *ckpt; /* WAL checkpoints off the writer (store_ckpt.c) */
    struct store_sync *sync; /* WAL fsyncs off the writer (store_sync.c) */
};

int store_schema_version(void)
{
    return store_nmigrations;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -EIO;
}

/* Memory statistics make every SQLite allocation take a global mutex; nothing reads them. Must
 * run before SQLite initialises (when it has already, the call fails harmlessly). */
static void sqlite_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* vigil_iso(ms): the time as the API renders it (clock_format_iso), NULL when it cannot be. The
 * incident snapshot uses it inside json_object. */
static void sql_iso(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char iso[CLOCK_ISO_LEN];
    if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER &&
        clock_format_iso(sqlite3_value_int64(argv[0]), iso, sizeof iso) == 0)
        sqlite3_result_text(ctx, iso, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
}

static int open_conn(const char *path, int busy_ms, int create, sqlite3 **out, char *err,
                     size_t errsz)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return -EIO;
    }
    sqlite3_busy_timeout(db, busy_ms);
    sqlite3_create_function_v2(db, "vigil_iso", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_iso,
                               NULL, NULL, NULL);
    sqlite3_extended_result_codes(db, 1);
    /* WAL + synchronous=FULL: every connection starts so (migrations at start commit durably);
     * the writer then switches to NORMAL and leaves the WAL fsync to the sync thread, which
     * completes nothing before it (store_sync.c): the alarm path acknowledges stored events
     * only. */
    if (exec_sql(db, "PRAGMA journal_mode=WAL") || exec_sql(db, "PRAGMA synchronous=FULL") ||
        exec_sql(db, "PRAGMA foreign_keys=ON") || exec_sql(db, "PRAGMA trusted_schema=OFF")) {
        snprintf(err, errsz, "cannot configure %s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return -EIO;
    }
    *out = db;
    return 0;
}

static void events_free(struct pending_event *ev, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        free(ev[i].type);
        json_decref(ev[i].data);
        free(ev[i].text);
    }
}

static void events_clear(struct store_conn *c, size_t from)
{
    events_free(c->events, from, c->nevents);
    c->nevents = from;
}

/* Moves the writer's pending events into a new sync item (they go out once it is durable). */
static struct store_synced *item_new(struct store_conn *c)
{
    struct store_synced *it = xcalloc(1, sizeof *it);
    it->events = c->events;
    it->nevents = c->nevents;
    c->events = NULL;
    c->nevents = c->events_alloc = 0;
    return it;
}

static struct pending_event *event_push(struct store_conn *c, const char *type)
{
    if (c->nevents == c->events_alloc) {
        c->events_alloc = c->events_alloc ? c->events_alloc * 2 : 16;
        c->events = xrealloc(c->events, c->events_alloc * sizeof *c->events);
    }
    struct pending_event *e = &c->events[c->nevents++];
    memset(e, 0, sizeof *e);
    e->type = xstrdup(type);
    return e;
}

void store_conn_emit(struct store_conn *c, const char *type, json_t *data)
{
    if (!c->writer) {
        json_decref(data);
        return;
    }
    event_push(c, type)->data = data ? data : json_object();
}

void store_conn_emit_text(struct store_conn *c, const char *type, char *json)
{
    if (!c->writer) {
        free(json);
        return;
    }
    event_push(c, type)->text = json;
}

void store_conn_emit_lazy(struct store_conn *c, const char *type, int64_t key,
                          store_event_build_fn build)
{
    if (!c->writer)
        return;
    struct pending_event *e = event_push(c, type);
    e->key = key;
    e->build = build;
}

void store_conn_emit_coalesced(struct store_conn *c, const char *type, int64_t key,
                               store_event_build_fn build)
{
    if (!c->writer)
        return;
    struct pending_event *e = event_push(c, type);
    e->key = key;
    e->build = build;
    e->coalesce = 1;
}

/* Builds the lazy events of the transaction, keeping only the last of each (type, key); one
 * that is only coalesced may be deferred instead (store_coalesce.c). */
static void events_build(struct store_conn *c, int64_t now)
{
    size_t cap = 16;
    while (cap < c->nevents * 2)
        cap *= 2;
    struct {
        const char *type;
        int64_t key;
        size_t last; /* the event kept */
        int now;     /* an immediate one was emitted */
    } *seen = xcalloc(cap, sizeof *seen);
    for (size_t i = c->nevents; i-- > 0;) {
        struct pending_event *e = &c->events[i];
        if (!e->build)
            continue;
        size_t h = (size_t)((uint64_t)e->key * 0x9E3779B97F4A7C15ULL >> 40) % cap;
        while (seen[h].type && (seen[h].key != e->key || strcmp(seen[h].type, e->type) != 0))
            h = (h + 1) % cap;
        if (!seen[h].type) {
            seen[h].type = e->type;
            seen[h].key = e->key;
            seen[h].last = i;
        }
        seen[h].now |= !e->coalesce;
    }
    for (size_t h = 0; h < cap; h++) {
        if (!seen[h].type)
            continue;
        struct pending_event *e = &c->events[seen[h].last];
        if (!seen[h].now && store_coalesce_defer(c, e->type, e->key, now))
            e->deferred = 1;
        else
            e->text = e->build(c, e->key);
    }
    free(seen);
}

static void stats_commit(struct store *st, int ok, int64_t ns, size_t batch)
{
    pthread_mutex_lock(&st->stats_mu);
    st->stats.jobs += batch;
    if (ok) {
        st->stats.commits++;
        st->stats.commit_ns_sum += (uint64_t)ns;
        if ((uint64_t)ns > st->stats.commit_ns_max)
            st->stats.commit_ns_max = (uint64_t)ns;
    } else {
        st->stats.commit_failures++;
    }
    if (batch > st->stats.batch_max)
        st->stats.batch_max = batch;
    st->stats.healthy = ok;
    pthread_mutex_unlock(&st->stats_mu);
}

static int map_begin_error(sqlite3 *db)
{
    int e = sqlite3_errcode(db) & 0xff;
    return (e == SQLITE_BUSY || e == SQLITE_LOCKED) ? -EBUSY : -EIO;
}

/* Runs a statement without results through the statement cache: the per-job SAVEPOINT and
 * RELEASE are parsed once, not on every job as sqlite3_exec would. */
static int exec_cached(struct store_conn *c, const char *sql)
{
    sqlite3_stmt *s = store_stmt(c, sql);
    if (!s)
        return -EIO;
    int step = sqlite3_step(s);
    store_stmt_done(c, s);
    return step == SQLITE_DONE ? 0 : -EIO;
}

int store_nested(struct store_conn *c, store_tx_fn fn, void *arg)
{
    size_t mark = c->nevents;
    if (exec_cached(c, "SAVEPOINT nested"))
        return -EIO;
    int rc = fn(c, arg);
    if (rc < 0) {
        exec_cached(c, "ROLLBACK TO nested");
        events_clear(c, mark);
        store_route_clear(c);
    }
    if (exec_cached(c, "RELEASE nested") && rc >= 0)
        rc = -EIO;
    return rc;
}

/* Runs one batch of jobs in one transaction. Sets each job's rc; returns 1 when it committed
 * (its events are left on st->wconn for the sync item). */
static int run_batch(struct store *st, struct store_job *batch, size_t n)
{
    sqlite3 *db = st->wconn.db;
    int begin_rc = exec_sql(db, "BEGIN IMMEDIATE") ? map_begin_error(db) : 0;
    if (begin_rc) {
        for (struct store_job *j = batch; j; j = j->next)
            j->rc = begin_rc;
        stats_commit(st, 0, 0, n);
        return 0;
    }
    store_route_check_version(&st->wconn);
    for (struct store_job *j = batch; j; j = j->next) {
        size_t mark = st->wconn.nevents;
        if (exec_cached(&st->wconn, "SAVEPOINT job")) {
            j->rc = -EIO;
            continue;
        }
        j->rc = j->fn(&st->wconn, j->arg);
        if (j->rc < 0) {
            exec_cached(&st->wconn, "ROLLBACK TO job");
            events_clear(&st->wconn, mark);
            store_route_clear(&st->wconn);
        }
        exec_cached(&st->wconn, "RELEASE job");
    }
    int64_t now = clock_now_ms();
    events_build(&st->wconn, now);
    int64_t t0 = clock_mono_ns();
    int ok = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    int64_t dt = clock_mono_ns() - t0;
    if (!ok) {
        int crc = map_begin_error(db);
        exec_sql(db, "ROLLBACK");
        events_clear(&st->wconn, 0);
        store_route_clear(&st->wconn);
        for (struct store_job *j = batch; j; j = j->next)
            if (j->rc >= 0)
                j->rc = crc;
    }
    stats_commit(st, ok, dt, n);
    if (ok)
        store_coalesce_after_commit(&st->wconn, now);
    return ok;
}

/* Sync thread: a batch is durable (or its fsync failed): publish its events, then complete its
 * jobs, in commit order. */
static void finish_item(void *ctx, struct store_synced *it, int sync_rc)
{
    struct store *st = ctx;
    if (sync_rc) {
        pthread_mutex_lock(&st->stats_mu);
        st->stats.healthy = 0;
        pthread_mutex_unlock(&st->stats_mu);
        for (struct store_job *j = it->jobs; j; j = j->next)
            if (j->rc >= 0)
                j->rc = sync_rc;
    }
    for (size_t i = 0; st->sink && !sync_rc && i < it->nevents; i++) {
        const struct pending_event *e = &it->events[i];
        if (e->data || e->text)
            st->sink(st->sink_ctx, e->type, e->data, e->data ? NULL : e->text);
    }
    events_free(it->events, 0, it->nevents);
    free(it->events);
    /* Asynchronous jobs are handed back first, outside the lock (done may free them). */
    struct store_job *waiters = NULL;
    for (struct store_job *j = it->jobs; j;) {
        struct store_job *next = j->next;
        if (j->done) {
            j->done(j);
        } else {
            j->next = waiters;
            waiters = j;
        }
        j = next;
    }
    free(it);
    if (!waiters)
        return;
    pthread_mutex_lock(&st->mu);
    for (struct store_job *j = waiters; j; j = j->next)
        j->finished = 1;
    pthread_cond_broadcast(&st->done_cv);
    pthread_mutex_unlock(&st->mu);
}

/* Writer, st->mu held: waits for a job, or until the next deferred event may be due (the clock
 * may be pinned by tests: wake up at least every STORE_COALESCE_MS and look again). */
static void writer_wait(struct store *st)
{
    int64_t due = st->wconn.co_next;
    if (!due) {
        pthread_cond_wait(&st->work_cv, &st->mu);
        return;
    }
    int64_t ms = due - clock_now_ms();
    if (ms <= 0)
        return;
    if (ms > STORE_COALESCE_MS)
        ms = STORE_COALESCE_MS;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&st->work_cv, &st->mu, &ts);
}

/* Collects the deferred events on the writer, to go out through the sync thread behind the
 * commits before them (a snapshot must not overtake an older one of the same record). */
static void collect_event(void *ctx, const char *type, json_t *data, const char *text)
{
    struct store_conn *c = ctx;
    struct pending_event *e = event_push(c, type);
    e->data = json_incref(data);
    e->text = text ? xstrdup(text) : NULL;
}

/* Writer, st->mu not held: publishes the deferred events that are due. */
static void writer_flush_due(struct store *st, int all)
{
    if (!st->wconn.co_next)
        return;
    store_coalesce_flush(&st->wconn, clock_now_ms(), all, collect_event, &st->wconn);
    if (st->wconn.nevents)
        store_sync_push(st->sync, item_new(&st->wconn));
}

static void *writer_main(void *arg)
{
    struct store *st = arg;
    thread_name_set("vigil-writer");
    pthread_mutex_lock(&st->mu);
    for (;;) {
        /* Deferred events that are due (they go out through the sync thread, behind the
         * commits before them). */
        if (st->wconn.co_next && st->wconn.co_next <= clock_now_ms()) {
            pthread_mutex_unlock(&st->mu);
            writer_flush_due(st, 0);
            pthread_mutex_lock(&st->mu);
            continue;
        }
        if (!st->head && !st->stopping) {
            writer_wait(st);
            continue;
        }
        if (!st->head) {
            pthread_mutex_unlock(&st->mu);
            writer_flush_due(st, 1); /* the final snapshots before the store closes */
            pthread_mutex_lock(&st->mu);
            break;
        }
        /* Take up to MAX_BATCH jobs: everything that queued up during the last commit. */
        struct store_job *batch = st->head, *last = st->head;
        size_t n = 1;
        while (last->next && n < MAX_BATCH) {
            last = last->next;
            n++;
        }
        st->head = last->next;
        if (!st->head)
            st->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&st->mu);

        /* After a failed WAL fsync nothing more is committed (store_sync.c). */
        int committed = 0;
        if (store_sync_failed(st->sync)) {
            for (struct store_job *j = batch; j; j = j->next)
                j->rc = -EIO;
            stats_commit(st, 0, 0, n);
        } else {
            committed = run_batch(st, batch, n);
        }
        if (!committed)
            events_clear(&st->wconn, 0);
        struct store_synced *it = item_new(&st->wconn);
        it->jobs = batch;
        it->committed = committed;
        store_sync_push(st->sync, it); /* completes once the WAL is on disk */
        pthread_mutex_lock(&st->mu);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

static int enqueue(struct store *st, struct store_job *j)
{
    j->finished = 0;
    j->next = NULL;
    if (st->stopping)
        return -ESHUTDOWN;
    if (st->tail)
        st->tail->next = j;
    else
        st->head = j;
    st->tail = j;
    pthread_cond_signal(&st->work_cv);
    return 0;
}

int store_submit(struct store *st, struct store_job *job)
{
    pthread_mutex_lock(&st->mu);
    int rc = enqueue(st, job);
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int store_write(struct store *st, store_tx_fn fn, void *arg)
{
    struct store_job j = {.fn = fn, .arg = arg};
    pthread_mutex_lock(&st->mu);
    int rc = enqueue(st, &j);
    if (rc) {
        pthread_mutex_unlock(&st->mu);
        return rc;
    }
    while (!j.finished)
        pthread_cond_wait(&st->done_cv, &st->mu);
    pthread_mutex_unlock(&st->mu);
    return j.rc;
}

struct store_conn *store_read_begin(struct store *st)
{
    pthread_mutex_lock(&st->rmu);
    while (!st->rfree)
        pthread_cond_wait(&st->rcv, &st->rmu);
    struct store_conn *c = st->rfree;
    st->rfree = c->next_free;
    pthread_mutex_unlock(&st->rmu);
    exec_sql(c->db, "BEGIN");
    return c;
}

void store_read_end(struct store *st, struct store_conn *c)
{
    if (!c)
        return;
    if (!sqlite3_get_autocommit(c->db))
        exec_sql(c->db, "ROLLBACK");
    pthread_mutex_lock(&st->rmu);
    c->next_free = st->rfree;
    st->rfree = c;
    pthread_cond_signal(&st->rcv);
    pthread_mutex_unlock(&st->rmu);
}

void store_set_event_sink(struct store *st, store_event_fn fn, void *ctx)
{
    st->sink = fn;
    st->sink_ctx = ctx;
}

void store_stats_get(struct store *st, struct store_stats *out)
{
    pthread_mutex_lock(&st->stats_mu);
    *out = st->stats;
    pthread_mutex_unlock(&st->stats_mu);
    if (st->sync) {
        store_sync_stats(st->sync, &out->syncs, &out->sync_ns_sum, &out->sync_ns_max,
                         &out->sync_failures);
        if (store_sync_failed(st->sync))
            out->healthy = 0; /* sticky: a later commit does not make it healthy again */
    }
}

static int open_readers(struct store *st, const struct store_opts *o, char *err, size_t errsz)
{
    int n = o->readers > 0 ? o->readers : 4;
    for (int i = 0; i < n; i++) {
        struct store_conn *c = xcalloc(1, sizeof *c);
        int rc = open_conn(st->path, o->busy_timeout_ms, 0, &c->db, err, errsz);
        if (rc) {
            free(c);
            return rc;
        }
        exec_sql(c->db, "PRAGMA query_only=ON");
        c->next_free = st->rfree;
        st->rfree = c;
        st->nreaders++;
    }
    return 0;
}

int store_open(struct store **out, const char *path, const struct store_opts *opts, char *err,
               size_t errsz)
{
    struct store_opts def = {.busy_timeout_ms = 5000, .readers = 4};
    const struct store_opts *o = opts ? opts : &def;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_once);
    struct store *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    st->wconn.writer = 1;
    st->stats.healthy = 1;
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->work_cv, NULL);
    pthread_cond_init(&st->done_cv, NULL);
    pthread_mutex_init(&st->rmu, NULL);
    pthread_cond_init(&st->rcv, NULL);
    pthread_mutex_init(&st->stats_mu, NULL);

    int rc = open_conn(path, o->busy_timeout_ms, 1, &st->wconn.db, err, errsz);
    if (rc)
        goto out;
    rc = store_migrate(st->wconn.db, err, errsz);
    if (rc)
        goto out;
    /* The writer's page cache holds the hot b-tree pages (the alarm indexes, open incidents)
     * so a burst does not re-read them from the OS. WAL checkpoints (every 1,000 pages) run on
     * their own thread (store_ckpt.c), not inside a COMMIT whose ACKs would wait for them. */
    exec_sql(st->wconn.db, "PRAGMA cache_size=-65536");
    exec_sql(st->wconn.db, "PRAGMA temp_store=MEMORY");
    if (store_route_setup(&st->wconn)) {
        snprintf(err, errsz, "cannot set up the routing cache: %s", sqlite3_errmsg(st->wconn.db));
        rc = -EIO;
        goto out;
    }
    rc = open_readers(st, o, err, errsz);
    if (!rc)
        rc = store_ckpt_start(&st->ckpt, path, st->wconn.db, err, errsz);
    if (!rc)
        rc = store_sync_start(&st->sync, st->wconn.db, finish_item, st, err, errsz);
    if (rc)
        goto out;
    /* From here on the writer's COMMIT does not fsync: the sync thread does, before any job of
     * the commit completes (store_sync.c). Migrations above ran with FULL. */
    if (exec_sql(st->wconn.db, "PRAGMA synchronous=NORMAL")) {
        snprintf(err, errsz, "cannot configure the writer: %s", sqlite3_errmsg(st->wconn.db));
        rc = -EIO;
        goto out;
    }
    if (pthread_create(&st->writer, NULL, writer_main, st) != 0) {
        snprintf(err, errsz, "cannot start the writer thread");
        rc = -EAGAIN;
        goto out;
    }
    st->writer_started = 1;
out:
    if (rc) {
        store_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->writer_started) {
        pthread_mutex_lock(&st->mu);
        st->stopping = 1;
        pthread_cond_signal(&st->work_cv);
        pthread_mutex_unlock(&st->mu);
        pthread_join(st->writer, NULL);
    }
    store_sync_stop(st->sync); /* after the writer: completes what it handed over */
    store_ckpt_stop(st->ckpt);
    for (struct store_conn *c = st->rfree; c;) {
        struct store_conn *next = c->next_free;
        store_stmt_clear(c);
        sqlite3_close(c->db);
        free(c);
        c = next;
    }
    events_clear(&st->wconn, 0);
    free(st->wconn.events);
    store_coalesce_cleanup(&st->wconn);
    store_route_cleanup(&st->wconn);
    store_stmt_clear(&st->wconn);
    if (st->wconn.db) {
        /* Fold the WAL back into the main file so a clean stop leaves one file. */
        sqlite3_wal_checkpoint_v2(st->wconn.db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        sqlite3_close(st->wconn.db);
    }
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->work_cv);
    pthread_cond_destroy(&st->done_cv);
    pthread_mutex_destroy(&st->rmu);
    pthread_cond_destroy(&st->rcv);
    pthread_mutex_destroy(&st->stats_mu);
    free(st->path);
    free(st);
}

/* ---- query helpers ---- */

/* Values are bound SQLITE_STATIC (no copy): every store_q_* helper steps and resets the statement
 * before it returns, while the caller's arguments are still alive. */
static int bind_args(sqlite3_stmt *s, const char *fmt, va_list ap)
{
    int idx = 1;
    for (const char *f = fmt; f && *f; f++, idx++) {
        int rc;
        switch (*f) {
        case 'i':
            rc = sqlite3_bind_int64(s, idx, va_arg(ap, int64_t));
            break;
        case 's': {
            const char *v = va_arg(ap, const char *);
            rc = v ? sqlite3_bind_text(s, idx, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, idx);
            break;
        }
        case 'b': {
            const void *p = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            rc = sqlite3_bind_blob(s, idx, p, (int)n, SQLITE_STATIC);
            break;
        }
        case 'n':
            rc = sqlite3_bind_null(s, idx);
            break;
        default:
            return -EINVAL;
        }
        if (rc != SQLITE_OK)
            return -EIO;
    }
    return 0;
}

static size_t cache_slot(const char *sql)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 32) % STMT_CACHE;
}

sqlite3_stmt *store_stmt(struct store_conn *c, const char *sql)
{
    size_t i = cache_slot(sql);
    int hit = 0;
    for (size_t k = 0; k < STMT_CACHE; k++, i = (i + 1) % STMT_CACHE) {
        if (c->cache[i].sql == sql) {
            /* The same address with other text is a caller's reused buffer: never cache it. */
            if (strcmp(sqlite3_sql(c->cache[i].stmt), sql) == 0)
                return c->cache[i].stmt;
            hit = 1;
            break;
        }
        if (!c->cache[i].sql)
            break;
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
        return NULL;
    if (!hit && !c->cache[i].sql) {
        c->cache[i].sql = sql;
        c->cache[i].stmt = s;
    }
    /* A full cache (more than STMT_CACHE distinct statements) still works: the statement is
     * finalized by store_stmt_done instead of kept. */
    return s;
}

static int cached(struct store_conn *c, sqlite3_stmt *s)
{
    /* A linear scan of 128 pointers costs less than one sqlite3_step. */
    for (size_t i = 0; i < STMT_CACHE; i++)
        if (c->cache[i].stmt == s)
            return 1;
    return 0;
}

void store_stmt_done(struct store_conn *c, sqlite3_stmt *s)
{
    if (!s)
        return;
    if (cached(c, s)) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    } else {
        sqlite3_finalize(s);
    }
}

void store_stmt_clear(struct store_conn *c)
{
    for (size_t i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(c->cache[i].stmt);
        c->cache[i].sql = NULL;
        c->cache[i].stmt = NULL;
    }
}

static int prepare(struct store_conn *c, sqlite3_stmt **s, const char *sql, const char *fmt,
                   va_list ap)
{
    *s = store_stmt(c, sql);
    if (!*s)
        return -EIO;
    int rc = bind_args(*s, fmt, ap);
    if (rc) {
        store_stmt_done(c, *s);
        *s = NULL;
    }
    return rc;
}

static json_t *column_json(sqlite3_stmt *s, int i, const char *suffix)
{
    int t = sqlite3_column_type(s, i);
    if (t == SQLITE_NULL)
        return json_null();
    if (suffix && strcmp(suffix, "bool") == 0)
        return json_boolean(sqlite3_column_int64(s, i) != 0);
    if (suffix && strcmp(suffix, "time") == 0 && t == SQLITE_INTEGER) {
        char iso[CLOCK_ISO_LEN];
        if (clock_format_iso(sqlite3_column_int64(s, i), iso, sizeof iso) == 0)
            return json_string(iso);
        return json_null();
    }
    switch (t) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(s, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(s, i));
    case SQLITE_BLOB: {
        const unsigned char *p = sqlite3_column_blob(s, i);
        int n = sqlite3_column_bytes(s, i);
        char *hex = xmalloc((size_t)n * 2 + 1);
        for (int k = 0; k < n; k++)
            snprintf(hex + 2 * k, 3, "%02x", p[k]);
        json_t *v = json_string(hex);
        free(hex);
        return v;
    }
    default: {
        const char *txt = (const char *)sqlite3_column_text(s, i);
        json_t *v = json_stringn(txt, (size_t)sqlite3_column_bytes(s, i));
        return v ? v : json_null();
    }
    }
}

static json_t *row_json(sqlite3_stmt *s)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(s);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(s, i);
        const char *colon = strchr(name, ':');
        char key[64];
        size_t klen = colon ? (size_t)(colon - name) : strlen(name);
        if (klen >= sizeof key)
            klen = sizeof key - 1;
        memcpy(key, name, klen);
        key[klen] = '\0';
        /* Keys are column names from our own SQL (ASCII): no UTF-8 check needed. */
        json_object_set_new_nocheck(o, key, column_json(s, i, colon ? colon + 1 : NULL));
    }
    return o;
}

int store_q_rows(struct store_conn *c, json_t **rows, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *s;
    va_list ap;
    va_start(ap, fmt);
    int rc = prepare(c, &s, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    json_t *arr = json_array();
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, row_json(s));
    store_stmt_done(c, s);
    if (step != SQLITE_DONE) {
        json_decref(arr);
        return -EIO;
    }
    *rows = arr;
    return 0;
}

int store_q_row(struct store_conn *c, json_t **row, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *s;
    va_list ap;
    va_start(ap, fmt);
    int rc = prepare(c, &s, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *row = row_json(s);
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_q_int(struct store_conn *c, int64_t *out, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *s;
    va_list ap;
    va_start(ap, fmt);
    int rc = prepare(c, &s, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    store_stmt_done(c, s);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_q_exec(struct store_conn *c, int64_t *last_id, int *changes, const char *sql,
                 const char *fmt, ...)
{
    sqlite3_stmt *s;
    va_list ap;
    va_start(ap, fmt);
    int rc = prepare(c, &s, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    int step = sqlite3_step(s);
    int ext = sqlite3_extended_errcode(c->db);
    store_stmt_done(c, s);
    if (step == SQLITE_DONE || step == SQLITE_ROW) {
        if (last_id)
            *last_id = sqlite3_last_insert_rowid(c->db);
        if (changes)
            *changes = sqlite3_changes(c->db);
        return 0;
    }
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return -EEXIST;
    if ((ext & 0xff) == SQLITE_CONSTRAINT)
        return -EINVAL;
    if ((ext & 0xff) == SQLITE_BUSY)
        return -EBUSY;
    return -EIO;
}

/* ---- backup and inspection ---- */

int store_peek_version(const char *path, int *version)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -ENOENT;
    }
    sqlite3_stmt *s = NULL;
    int rc = -EIO;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        *version = sqlite3_column_int(s, 0);
        rc = 0;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rc;
}

int store_backup(const char *src_path, const char *dest_path, char *err, size_t errsz)
{
    sqlite3 *src = NULL, *dst = NULL;
    int rc = 0;
    if (access(dest_path, F_OK) == 0) {
        snprintf(err, errsz, "%s already exists; refusing to overwrite it", dest_path);
        return -EEXIST;
    }
    if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "cannot open %s: %s", src_path, sqlite3_errmsg(src));
        rc = -EIO;
        goto out;
    }
    sqlite3_busy_timeout(src, 5000);
    if (sqlite3_open_v2(dest_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errsz, "cannot create %s: %s", dest_path, sqlite3_errmsg(dst));
        rc = -EIO;
        goto out;
    }
    /* One step of -1 pages copies everything under a single read transaction: a consistent
     * snapshot even while vigild keeps committing. */
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(err, errsz, "backup failed: %s", sqlite3_errmsg(dst));
        rc = -EIO;
        goto out;
    }
    int step;
    while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
        sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        snprintf(err, errsz, "backup failed: %s", sqlite3_errstr(step));
        rc = -EIO;
    }
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    if (rc)
        unlink(dest_path);
    return rc;
}
