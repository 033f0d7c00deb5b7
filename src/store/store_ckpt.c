/* store_ckpt.c - WAL checkpoints on a thread of their own, so no COMMIT (and no ACK waiting for
 * it) pays for copying pages into the database file and fsyncing it.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages, on the
 * writer: that commit's jobs wait for the copy and an extra fsync. Here the writer's WAL hook
 * only wakes this thread, which runs a PASSIVE checkpoint on its own connection while the
 * writer goes on (WAL allows one checkpointer beside one writer). Durability does not change:
 * every commit is still fsync'ed in the WAL before anything is answered (store_sync.c).
 *
 * The WAL only starts over from its beginning when a checkpoint has copied every frame, and
 * under a steady stream of commits the thread's checkpoint rarely finishes between two commits.
 * So past CKPT_INLINE_PAGES the writer checkpoints inline, as SQLite would; by then the thread
 * has copied (and fsynced) most frames, so the inline one copies only the last few. */
#include "core/xmalloc.h"
#include "store/store_int.h"

#include "core/thread.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define CKPT_PAGES 1000        /* wake the checkpointer (SQLite's default threshold) */
#define CKPT_INLINE_PAGES 4000 /* the writer checkpoints itself (16 MiB of WAL) */

struct store_ckpt {
    sqlite3 *db; /* the checkpointer's connection */
    sqlite3 *wdb;
    pthread_t thr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int want, stop;
};

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct store_ckpt *k = arg;
    if (pages >= CKPT_INLINE_PAGES) {
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    } else if (pages >= CKPT_PAGES) {
        pthread_mutex_lock(&k->mu);
        if (!k->want) {
            k->want = 1;
            pthread_cond_signal(&k->cv);
        }
        pthread_mutex_unlock(&k->mu);
    }
    return SQLITE_OK;
}

static void *ckpt_main(void *arg)
{
    struct store_ckpt *k = arg;
    thread_name_set("vigil-ckpt");
    pthread_mutex_lock(&k->mu);
    for (;;) {
        while (!k->want && !k->stop)
            pthread_cond_wait(&k->cv, &k->mu);
        if (k->stop)
            break;
        k->want = 0;
        pthread_mutex_unlock(&k->mu);
        sqlite3_wal_checkpoint_v2(k->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&k->mu);
    }
    pthread_mutex_unlock(&k->mu);
    return NULL;
}

int store_ckpt_start(struct store_ckpt **out, const char *path, sqlite3 *wdb, char *err,
                     size_t errsz)
{
    struct store_ckpt *k = xcalloc(1, sizeof *k);
    k->wdb = wdb;
    pthread_mutex_init(&k->mu, NULL);
    pthread_cond_init(&k->cv, NULL);
    if (sqlite3_open_v2(path, &k->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(k->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "cannot open the checkpointer's connection: %s",
                 k->db ? sqlite3_errmsg(k->db) : "no memory");
        goto fail;
    }
    if (pthread_create(&k->thr, NULL, ckpt_main, k) != 0) {
        snprintf(err, errsz, "cannot start the checkpoint thread");
        goto fail;
    }
    sqlite3_wal_hook(wdb, wal_hook, k); /* replaces the automatic checkpoint */
    *out = k;
    return 0;
fail:
    sqlite3_close(k->db);
    pthread_mutex_destroy(&k->mu);
    pthread_cond_destroy(&k->cv);
    free(k);
    return -EIO;
}

void store_ckpt_stop(struct store_ckpt *k)
{
    if (!k)
        return;
    sqlite3_wal_hook(k->wdb, NULL, NULL);
    pthread_mutex_lock(&k->mu);
    k->stop = 1;
    pthread_cond_signal(&k->cv);
    pthread_mutex_unlock(&k->mu);
    pthread_join(k->thr, NULL);
    sqlite3_close(k->db);
    pthread_mutex_destroy(&k->mu);
    pthread_cond_destroy(&k->cv);
    free(k);
}
