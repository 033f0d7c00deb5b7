/* cli_misc.c - vigilctl init, backup, audit verify, perms. */
#include "app/audit.h"
#include "app/demo.h"
#include "cli/cli.h"
#include "core/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int init_run(struct cli_ctx *c, int argc, char **argv)
{
    const char *name = "我的社区";
    int demo = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--site-name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--demo") == 0)
            demo = 1;
        else {
            fprintf(stderr, "usage: vigilctl init [--site-name NAME] [--demo]\n");
            return 2;
        }
    }
    int rc = cli_open(c);
    if (rc)
        return 1;
    rc = demo ? app_demo_seed(&c->app) : app_site_init(&c->app, &c->who, name);
    if (rc < 0) {
        cli_report("init", rc, NULL);
        return 1;
    }
    printf("%s: %s (schema version %d)\n", c->data,
           rc == 1 ? "already initialised"
           : demo  ? "demo community created"
                   : "site created",
           store_schema_version());
    return 0;
}

static int backup_run(struct cli_ctx *c, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: vigilctl backup FILE\n");
        return 2;
    }
    char err[512];
    char *src = xasprintf("%s/vigil.db", c->data);
    int rc = store_backup(src, argv[1], err, sizeof err);
    free(src);
    if (rc) {
        fprintf(stderr, "vigilctl: backup: %s\n", err);
        return 1;
    }
    printf("backup written to %s\n", argv[1]);
    return 0;
}

static int audit_run(struct cli_ctx *c, int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "verify") != 0) {
        fprintf(stderr, "usage: vigilctl audit verify\n");
        return 2;
    }
    if (cli_open(c))
        return 1;
    struct audit_verdict v;
    unsigned char pk[AUDIT_PK_LEN];
    int have_pk = audit_key_public(&c->app, pk) == 0;
    struct store_conn *rd = store_read_begin(c->st);
    int rc = audit_verify(rd, have_pk ? pk : NULL, &v);
    store_read_end(c->st, rd);
    if (rc) {
        cli_report("audit verify", rc, NULL);
        return 1;
    }
    if (!v.ok) {
        printf("audit trail BROKEN at record %lld: %s (%lld records intact before it)\n",
               (long long)v.first_bad, v.reason, (long long)v.records);
        return 1;
    }
    if (v.checkpoint)
        printf("audit trail intact: %lld records after signed checkpoint %lld (records 1..%lld "
               "removed by retention)\n",
               (long long)v.records, (long long)v.checkpoint, (long long)v.removed);
    else
        printf("audit trail intact: %lld records\n", (long long)v.records);
    return 0;
}

static int perms_run(struct cli_ctx *c, int argc, char **argv)
{
    (void)c;
    (void)argc;
    (void)argv;
    /* The role x permission matrix, straight from the one table (docs/security.md). */
    printf("| permission |");
    for (int r = 0; r < role_count(); r++)
        printf(" %s |", role_name(r));
    printf("\n|---|");
    for (int r = 0; r < role_count(); r++)
        printf("---|");
    printf("\n");
    for (int p = 0; p < PERM__COUNT; p++) {
        printf("| %s |", perm_name((enum perm)p));
        for (int r = 0; r < role_count(); r++)
            printf(" %s |", role_perms(role_name(r)) & PERM_BIT(p) ? "✔" : "");
        printf("\n");
    }
    return 0;
}

const struct cli_cmd cli_cmd_init = {"init", "init [--site-name NAME] [--demo]",
                                     "create the data directory and the site", init_run};
const struct cli_cmd cli_cmd_backup = {"backup", "backup FILE",
                                       "consistent online copy of the database", backup_run};
const struct cli_cmd cli_cmd_audit = {"audit", "audit verify",
                                      "check the audit hash chain (exit 1 if broken)", audit_run};
const struct cli_cmd cli_cmd_perms = {"perms", "perms", "print the role/permission matrix",
                                      perms_run};
