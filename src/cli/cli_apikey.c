/* cli_apikey.c - vigilctl apikey add|list|revoke. */
#include "app/auth.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int apikey_add(struct cli_ctx *c, int argc, char **argv)
{
    const char *perms = NULL;
    for (int i = 3; i + 1 < argc; i++)
        if (strcmp(argv[i], "--perms") == 0)
            perms = argv[i + 1];
    if (argc < 3 || !perms) {
        fprintf(stderr, "usage: vigilctl apikey add NAME --perms PERM[,PERM...]\n"
                        "  (see `vigilctl perms` for the permission names)\n");
        return 2;
    }
    char key[AUTH_TOKEN_MAX];
    struct app_err err = {0};
    int rc = cli_open(c);
    if (!rc)
        rc = app_apikey_create(&c->app, &c->who, argv[2], perms, key, &err);
    if (rc) {
        cli_report("apikey add", rc, &err);
        return 1;
    }
    /* The key itself goes to stdout alone so scripts can capture it; it is shown only once. */
    printf("%s\n", key);
    fprintf(stderr, "API key %s created; store it now, it cannot be shown again\n", argv[2]);
    memset(key, 0, sizeof key);
    return 0;
}

static int apikey_list(struct cli_ctx *c)
{
    json_t *rows = NULL;
    int rc = cli_open(c);
    if (!rc)
        rc = app_apikey_list(&c->app, &rows);
    if (rc) {
        cli_report("apikey list", rc, NULL);
        return 1;
    }
    printf("%-4s %-24s %-8s %s\n", "ID", "NAME", "STATE", "PERMISSIONS");
    size_t i;
    json_t *k;
    json_array_foreach (rows, i, k) {
        printf("%-4lld %-24s %-8s %s\n", (long long)json_integer_value(json_object_get(k, "id")),
               json_string_value(json_object_get(k, "name")),
               json_is_null(json_object_get(k, "revoked_at")) ? "active" : "revoked",
               json_string_value(json_object_get(k, "perms")));
    }
    json_decref(rows);
    return 0;
}

static int run(struct cli_ctx *c, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "add") == 0)
        return apikey_add(c, argc, argv);
    if (strcmp(sub, "list") == 0)
        return apikey_list(c);
    if (strcmp(sub, "revoke") == 0 && argc >= 3) {
        int rc = cli_open(c);
        if (!rc)
            rc = app_apikey_revoke(&c->app, &c->who, argv[2]);
        if (rc) {
            cli_report("apikey revoke", rc, NULL);
            return 1;
        }
        printf("API key %s revoked\n", argv[2]);
        return 0;
    }
    fprintf(stderr, "usage: vigilctl apikey add NAME --perms P,... | list | revoke NAME\n");
    return 2;
}

const struct cli_cmd cli_cmd_apikey = {"apikey", "apikey add NAME --perms P,...|list|revoke NAME",
                                       "API keys for machine integrations", run};
