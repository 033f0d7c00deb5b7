/* testenv.c - a temp-directory store and app for unit tests. */
#include "lib/testenv.h"

#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>

static int open_all(struct testenv *e)
{
    char err[256];
    struct store_opts o = {.busy_timeout_ms = (int)e->conf.store_busy_timeout_ms,
                           .readers = (int)e->conf.store_readers};
    int rc = store_open(&e->st, e->path, &o, err, sizeof err);
    if (rc) {
        fprintf(stderr, "testenv: store_open %s: %s\n", e->path, err);
        e->st = NULL;
        return rc;
    }
    if (e->has_app) {
        rc = app_init(&e->app, e->st, &e->conf);
        if (rc) {
            fprintf(stderr, "testenv: app_init: %d\n", rc);
            app_cleanup(&e->app);
            store_close(e->st);
            e->st = NULL;
        }
    }
    return rc;
}

static int setup(void **state, int with_app)
{
    struct testenv *e = calloc(1, sizeof *e);
    if (!e)
        return -1;
    tmpdir_new(e->dir);
    tmpdir_path(e->dir, "vigil.db", e->path);
    conf_defaults(&e->conf);
    e->conf.argon2_memlimit_kib = 8192;
    e->conf.argon2_opslimit = 1;
    e->has_app = with_app;
    clock_set_fixed(TESTENV_T0);
    *state = e;
    if (open_all(e) != 0) {
        tmpdir_remove(e->dir);
        free(e);
        *state = NULL;
        return -1;
    }
    return 0;
}

int testenv_setup(void **state)
{
    return setup(state, 0);
}

int testenv_setup_app(void **state)
{
    return setup(state, 1);
}

void testenv_close(struct testenv *e)
{
    if (e->has_app && e->st)
        app_cleanup(&e->app);
    store_close(e->st);
    e->st = NULL;
}

int testenv_reopen(struct testenv *e)
{
    testenv_close(e);
    return open_all(e);
}

int testenv_teardown(void **state)
{
    struct testenv *e = *state;
    clock_set_fixed(-1);
    if (!e)
        return 0;
    testenv_close(e);
    int rc = tmpdir_remove(e->dir);
    free(e);
    return rc ? -1 : 0;
}
