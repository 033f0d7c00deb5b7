/* cli_user.c - vigilctl user add|list|disable|enable|passwd. */
#include "app/auth.h"
#include "cli/cli.h"
#include "store/store_auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

static int user_add(struct cli_ctx *c, int argc, char **argv)
{
    if (argc < 3 || !opt(argc, argv, "--role")) {
        fprintf(stderr, "usage: vigilctl user add USERNAME --role ROLE [--name DISPLAY] "
                        "[--password-file FILE]\n");
        return 2;
    }
    char pw[256];
    if (cli_read_password(opt(argc, argv, "--password-file"), pw, sizeof pw))
        return 1;
    json_t *in = json_pack("{ss ss ss ss}", "username", argv[2], "display_name",
                           opt(argc, argv, "--name") ? opt(argc, argv, "--name") : argv[2], "role",
                           opt(argc, argv, "--role"), "password", pw);
    memset(pw, 0, sizeof pw);
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = cli_open(c);
    if (!rc)
        rc = app_user_create(&c->app, &c->who, in, &out, &err);
    json_decref(in);
    if (rc) {
        cli_report("user add", rc, &err);
        return 1;
    }
    printf("user %s created (id %lld, role %s)\n", argv[2],
           (long long)json_integer_value(json_object_get(out, "id")), opt(argc, argv, "--role"));
    json_decref(out);
    return 0;
}

static int user_list(struct cli_ctx *c)
{
    json_t *out = NULL;
    struct page pg = {.limit = 100000, .offset = 0};
    int rc = cli_open(c);
    if (!rc)
        rc = app_user_list(&c->app, &pg, &out);
    if (rc) {
        cli_report("user list", rc, NULL);
        return 1;
    }
    printf("%-6s %-20s %-14s %-8s %s\n", "ID", "USERNAME", "ROLE", "STATE", "NAME");
    size_t i;
    json_t *u;
    json_array_foreach (json_object_get(out, "items"), i, u) {
        printf("%-6lld %-20s %-14s %-8s %s\n",
               (long long)json_integer_value(json_object_get(u, "id")),
               json_string_value(json_object_get(u, "username")),
               json_string_value(json_object_get(u, "role")),
               json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active",
               json_string_value(json_object_get(u, "display_name")));
    }
    json_decref(out);
    return 0;
}

static int user_set_disabled(struct cli_ctx *c, const char *name, int disabled)
{
    struct store_user u;
    int rc = cli_open(c);
    if (rc)
        return 1;
    struct store_conn *rd = store_read_begin(c->st);
    rc = store_user_by_name(rd, name, &u);
    store_read_end(c->st, rd);
    struct app_err err = {0};
    json_t *out = NULL, *in = json_pack("{sb}", "disabled", disabled);
    if (!rc)
        rc = app_user_update(&c->app, &c->who, u.id, in, &out, &err);
    json_decref(in);
    json_decref(out);
    if (rc) {
        cli_report(disabled ? "user disable" : "user enable", rc, &err);
        return 1;
    }
    printf("user %s %s\n", name, disabled ? "disabled (sessions ended)" : "enabled");
    return 0;
}

static int user_passwd(struct cli_ctx *c, int argc, char **argv)
{
    char pw[256];
    if (cli_read_password(opt(argc, argv, "--password-file"), pw, sizeof pw))
        return 1;
    struct app_err err = {0};
    int rc = cli_open(c);
    if (!rc)
        rc = app_user_set_password(&c->app, &c->who, argv[2], pw, &err);
    memset(pw, 0, sizeof pw);
    if (rc) {
        cli_report("user passwd", rc, &err);
        return 1;
    }
    printf("password of %s changed (sessions ended)\n", argv[2]);
    return 0;
}

static int run(struct cli_ctx *c, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "add") == 0)
        return user_add(c, argc, argv);
    if (strcmp(sub, "list") == 0)
        return user_list(c);
    if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) && argc >= 3)
        return user_set_disabled(c, argv[2], strcmp(sub, "disable") == 0);
    if (strcmp(sub, "passwd") == 0 && argc >= 3)
        return user_passwd(c, argc, argv);
    fprintf(stderr, "usage: vigilctl user add|list|disable|enable|passwd ...\n");
    return 2;
}

const struct cli_cmd cli_cmd_user = {"user", "user add|list|disable|enable|passwd USERNAME",
                                     "manage staff accounts", run};
