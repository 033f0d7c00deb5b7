/* main.c - vigilctl: global options, then one verb from the table. */
#include "cli/cli.h"

#include "core/log.h"
#include "core/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

static const struct cli_cmd *const commands[] = {
    &cli_cmd_init,  &cli_cmd_user,  &cli_cmd_apikey, &cli_cmd_backup,
    &cli_cmd_audit, &cli_cmd_perms, &cli_cmd_dc09,   &cli_cmd_retention,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: vigilctl [--data DIR] [--config FILE] VERB ...\n\nverbs:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-44s %s\n", commands[i]->usage, commands[i]->help);
    fprintf(f, "\nPasswords are read from standard input (or --password-file FILE), never from "
               "the command line.\n");
}

int cli_open(struct cli_ctx *c)
{
    if (c->st)
        return 0;
    char err[512];
    if (mkdir(c->data, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "vigilctl: cannot create %s: %s\n", c->data, strerror(errno));
        return -errno;
    }
    char *path = xasprintf("%s/vigil.db", c->data);
    struct store_opts so = {.busy_timeout_ms = (int)c->conf.store_busy_timeout_ms, .readers = 1};
    int rc = store_open(&c->st, path, &so, err, sizeof err);
    free(path);
    if (rc) {
        fprintf(stderr, "vigilctl: %s\n", err);
        return rc;
    }
    rc = app_init(&c->app, c->st, &c->conf);
    c->app.data_dir = c->data; /* the audit signing key lives there */
    if (rc)
        fprintf(stderr, "vigilctl: cannot initialise (%d)\n", rc);
    return rc;
}

int cli_read_password(const char *path, char *out, size_t n)
{
    FILE *f = (!path || strcmp(path, "-") == 0) ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "vigilctl: cannot read %s: %s\n", path, strerror(errno));
        return -errno;
    }
    int rc = fgets(out, (int)n, f) ? 0 : -EINVAL;
    if (f != stdin)
        fclose(f);
    if (rc) {
        fprintf(stderr, "vigilctl: no password given on %s\n", path ? path : "standard input");
        return rc;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

void cli_report(const char *what, int rc, const struct app_err *err)
{
    if (rc == -EINVAL && err && err->message[0])
        fprintf(stderr, "vigilctl: %s: %s%s%s\n", what, err->field, err->field[0] ? " " : "",
                err->message);
    else if (rc == -EEXIST)
        fprintf(stderr, "vigilctl: %s: already exists\n", what);
    else if (rc == -ENOENT)
        fprintf(stderr, "vigilctl: %s: not found\n", what);
    else
        fprintf(stderr, "vigilctl: %s failed: %s\n", what, strerror(-rc));
}

int main(int argc, char **argv)
{
    struct cli_ctx c = {.data = "./var"};
    const char *config = NULL;
    int i = 1;
    log_set_level(LOG_LVL_WARN);
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            c.data = argv[++i];
        } else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config = argv[++i];
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("vigilctl %s\n", VIGIL_VERSION);
            return 0;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "vigilctl: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    conf_defaults(&c.conf);
    char err[512];
    if (config && conf_load_file(&c.conf, config, err, sizeof err)) {
        fprintf(stderr, "vigilctl: config error: %s\n", err);
        return 2;
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    /* Local dates (the retention cutoffs) are the site's, as in vigild. */
    setenv("TZ", c.conf.site_timezone, 1);
    tzset();
    app_actor_system(&c.who, "vigilctl");
    int rc = 2;
    size_t k;
    for (k = 0; k < NCOMMANDS; k++) {
        if (strcmp(commands[k]->name, argv[i]) == 0) {
            rc = commands[k]->run(&c, argc - i, argv + i);
            break;
        }
    }
    if (k == NCOMMANDS) {
        fprintf(stderr, "vigilctl: unknown verb \"%s\"\n", argv[i]);
        usage(stderr);
    }
    store_close(c.st);
    app_cleanup(&c.app);
    return rc;
}
