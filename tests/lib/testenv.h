/* testenv.h - a store (and optionally the app) over a fresh database in a temp directory.
 *
 * Use as cmocka setup/teardown: testenv_setup opens only the store, testenv_setup_app also
 * initialises struct app with a cheap argon2id cost (8 MiB, 1 pass) so tests that hash
 * passwords stay fast. The fixed clock is pinned at TESTENV_T0 by both setups and returned to
 * the real clock by the teardown. */
#ifndef VIGIL_TEST_TESTENV_H
#define VIGIL_TEST_TESTENV_H

#include "app/app.h"
#include "core/conf.h"
#include "lib/tmpdir.h"
#include "store/store.h"

/* 2026-11-27T00:00:00Z */
#define TESTENV_T0 1795737600000LL

struct testenv {
    char dir[TMPDIR_PATH_MAX];
    char path[TMPDIR_PATH_MAX]; /* dir/vigil.db */
    struct store *st;           /* NULL while closed */
    struct conf conf;
    struct app app;
    int has_app;
};

/* cmocka fixtures: *state becomes a struct testenv *. Return 0, or -1 when setup failed. */
int testenv_setup(void **state);
int testenv_setup_app(void **state);
int testenv_teardown(void **state);

/* Closes the app (if any) and the store, leaving the database file for inspection. */
void testenv_close(struct testenv *e);
/* Opens the store again (and the app, if the setup had one). Returns store_open's result. */
int testenv_reopen(struct testenv *e);

#endif
