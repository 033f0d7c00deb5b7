/* cli.h - vigilctl: verbs over a data directory, usable while vigild runs (SQLite WAL and the
 * same single-writer discipline per process; the store waits on the other's lock). */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include "app/app.h"

struct cli_ctx {
    const char *data;
    struct conf conf;
    struct store *st; /* opened lazily by cli_open */
    struct app app;
    struct actor who;
};

struct cli_cmd {
    const char *name;
    const char *usage;
    const char *help;
    int (*run)(struct cli_ctx *c, int argc, char **argv); /* argv[0] is the verb */
};

/* Opens the store and the app. Returns 0 or a negative errno (message printed). */
int cli_open(struct cli_ctx *c);
/* Reads a password (first line) from path, or stdin when path is NULL or "-". */
int cli_read_password(const char *path, char *out, size_t n);
/* Prints "vigilctl: <what>: <reason>" for an app error. */
void cli_report(const char *what, int rc, const struct app_err *err);

extern const struct cli_cmd cli_cmd_init, cli_cmd_user, cli_cmd_apikey, cli_cmd_backup,
    cli_cmd_audit, cli_cmd_perms, cli_cmd_dc09, cli_cmd_retention;

#endif
