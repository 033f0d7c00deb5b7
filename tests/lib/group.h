/* group.h - the usual cmocka group fixture of an integration test: one real vigild (the demo
 * community unless told otherwise) and a session per demo user the tests act as. */
#ifndef VIGIL_TEST_GROUP_H
#define VIGIL_TEST_GROUP_H

#include "lib/daemon.h"

#define TG_TOKEN 256 /* size of a session token buffer */

struct tg_login {
    const char *user; /* a demo account: operator, shift_leader, supervisor, manager, … */
    char *token;      /* TG_TOKEN bytes, filled by tg_start */
};

/* Starts d with o (NULL: {.demo = 1}) and signs in each user of logins (ending with a NULL user)
 * with the demo password, failing the setup when one cannot. Returns 0 or td_daemon_start's
 * error. */
int tg_start(struct td_daemon *d, const struct td_opts *o, const struct tg_login *logins);
/* The matching teardown: stops vigild if it still runs and removes every temporary directory.
 * Returns 0. */
int tg_stop(struct td_daemon *d);

#endif
