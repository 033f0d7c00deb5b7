/* store_sync.c - pipelined durability: the WAL is fsync'ed on a thread of its own.
 *
 * With synchronous=FULL the writer waits inside every COMMIT for the WAL's fsync (1 to 6 ms on
 * this kind of disk, longer with more pages), and nothing else runs on it meanwhile: under a
 * flood, the writer sat idle most of each commit. Here the writer commits with
 * synchronous=NORMAL (the WAL pages are written, not fsync'ed) and hands the committed batch to
 * this thread, then starts the next batch at once. This thread fdatasync()s the WAL file and
 * only then completes the batch: the ACKs, HTTP replies and live events of a commit still wait
 * for its fsync, so what was answered is on disk exactly as before. One fdatasync covers every
 * commit written before it, so commits that queue up during one sync share the next.
 *
 * Why this is as safe as FULL: a commit is durable once its WAL frames (and the WAL header, if
 * the WAL started over) are on disk; fdatasync on our own descriptor of the -wal file flushes
 * every page of that file, whichever descriptor wrote it. WAL recovery ignores a torn tail, so
 * a power cut before the sync only loses commits nobody was told about. The directory is
 * fsync'ed once at start, for the -wal file's own entry. Checkpoints keep their own syncs
 * (store_ckpt.c runs FULL).
 *
 * The file is the one SQLite names (sqlite3_filename_wal: beside the real database, also when
 * the path given was a symlink), and before every sync it must still be that file: linked, and
 * the same inode as the name. Anything else, or one failed fdatasync, is permanent: Linux may
 * drop the unwritten pages and report the next fsync clean, so later commits could chain onto
 * lost frames. From then on every commit fails (nothing is acknowledged), the writer refuses
 * new work and /healthz says degraded until vigild is restarted (WAL recovery runs then). A
 * commit whose fsync failed is in the database but unanswered: like a lost ACK, the panel
 * sends it again. */
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_int.h"

#include "core/thread.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct store_sync {
    char wal[4096]; /* the -wal file's path, as SQLite names it */
    int wal_fd;
    dev_t dev; /* the -wal file's identity when it was opened */
    ino_t ino;
    atomic_int failed; /* sticky: see above */
    pthread_t thr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct store_synced *head, *tail;
    int stop;
    store_sync_finish_fn finish;
    void *ctx;
    uint64_t syncs, sync_ns_sum, sync_ns_max, failures; /* under mu */
};

/* fsyncs the directory holding path (for the entry of a file created in it). */
static int sync_dir(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = fsync(fd) ? -errno : 0;
    close(fd);
    return rc;
}

/* fdatasync of the -wal file, after checking it still is the database's: SQLite removes it
 * only when its last connection closes, which the daemon's own connections prevent; a file
 * unlinked or replaced behind our back is a failure (never reopened: SQLite may still be
 * writing to the unlinked one). */
static int sync_wal(struct store_sync *s)
{
    struct stat fd_st, path_st;
    if (fstat(s->wal_fd, &fd_st) != 0 || fd_st.st_nlink == 0 || stat(s->wal, &path_st) != 0 ||
        path_st.st_dev != s->dev || path_st.st_ino != s->ino)
        return -EIO;
    return fdatasync(s->wal_fd) == 0 ? 0 : errno ? -errno : -EIO;
}

static void *sync_main(void *arg)
{
    struct store_sync *s = arg;
    thread_name_set("vigil-walsync");
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->head && !s->stop)
            pthread_cond_wait(&s->cv, &s->mu);
        if (!s->head)
            break; /* stopping, and everything handed over is done */
        struct store_synced *items = s->head;
        s->head = s->tail = NULL;
        pthread_mutex_unlock(&s->mu);

        int need = 0;
        for (struct store_synced *it = items; it; it = it->next)
            need |= it->committed;
        int rc = atomic_load(&s->failed) ? -EIO : 0;
        int64_t t0 = clock_mono_ns();
        if (need && !rc)
            rc = sync_wal(s);
        if (need && rc)
            atomic_store(&s->failed, 1);
        int64_t dt = clock_mono_ns() - t0;

        pthread_mutex_lock(&s->mu);
        if (need) {
            s->syncs++;
            s->sync_ns_sum += (uint64_t)dt;
            if ((uint64_t)dt > s->sync_ns_max)
                s->sync_ns_max = (uint64_t)dt;
            s->failures += rc != 0;
        }
        pthread_mutex_unlock(&s->mu);

        /* In commit order; finish frees the item. */
        for (struct store_synced *it = items; it;) {
            struct store_synced *next = it->next;
            s->finish(s->ctx, it, it->committed ? rc : 0);
            it = next;
        }
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int store_sync_start(struct store_sync **out, sqlite3 *wdb, store_sync_finish_fn finish, void *ctx,
                     char *err, size_t errsz)
{
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(wdb, "main"));
    if (!wal || !*wal || strlen(wal) >= 4096) {
        snprintf(err, errsz, "cannot name the database's WAL file");
        return -EINVAL;
    }
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        snprintf(err, errsz, "cannot open %s for fsync: %s", wal, strerror(e));
        if (fd >= 0)
            close(fd);
        return -e;
    }
    int rc = sync_dir(wal);
    if (rc) {
        snprintf(err, errsz, "cannot fsync the directory of %s: %s", wal, strerror(-rc));
        close(fd);
        return rc;
    }
    struct store_sync *s = xcalloc(1, sizeof *s);
    snprintf(s->wal, sizeof s->wal, "%s", wal);
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->wal_fd = fd;
    s->finish = finish;
    s->ctx = ctx;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thr, NULL, sync_main, s) != 0) {
        snprintf(err, errsz, "cannot start the WAL sync thread");
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        close(fd);
        free(s);
        return -EAGAIN;
    }
    *out = s;
    return 0;
}

void store_sync_push(struct store_sync *s, struct store_synced *item)
{
    item->next = NULL;
    pthread_mutex_lock(&s->mu);
    if (s->tail)
        s->tail->next = item;
    else
        s->head = item;
    s->tail = item;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

int store_sync_failed(struct store_sync *s)
{
    return atomic_load(&s->failed);
}

void store_sync_stats(struct store_sync *s, uint64_t *syncs, uint64_t *ns_sum, uint64_t *ns_max,
                      uint64_t *failures)
{
    pthread_mutex_lock(&s->mu);
    *syncs = s->syncs;
    *ns_sum = s->sync_ns_sum;
    *ns_max = s->sync_ns_max;
    *failures = s->failures;
    pthread_mutex_unlock(&s->mu);
}

void store_sync_stop(struct store_sync *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thr, NULL);
    close(s->wal_fd);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
