/* cli_retention.c - vigilctl retention: run now, show the policy, legal holds. */
#include "app/retention.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_types(json_t *types, int dry)
{
    const char *name;
    json_t *t;
    json_object_foreach (types, name, t) {
        long long n = json_integer_value(json_object_get(t, dry ? "eligible" : "removed"));
        printf("  %-12s %s %lld, held %lld (records before %s)\n", name,
               dry ? "would remove" : "removed", n,
               (long long)json_integer_value(json_object_get(t, "held")),
               json_string_value(json_object_get(t, "cutoff")));
    }
}

static int run_now(struct cli_ctx *c, int argc, char **argv)
{
    struct retention_opts o = {0};
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0) {
            o.dry_run = 1;
        } else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc) {
            o.as_of = argv[++i];
        } else {
            fprintf(stderr, "usage: vigilctl retention run [--dry-run] [--as-of YYYY-MM-DD]\n");
            return 2;
        }
    }
    if (cli_open(c))
        return 1;
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = app_retention_run(&c->app, &c->who, &o, &out, &err);
    if (out) {
        printf("retention run %lld as of %s%s: %s %lld records, %lld held back\n",
               (long long)json_integer_value(json_object_get(out, "id")),
               json_string_value(json_object_get(out, "as_of")), o.dry_run ? " (dry run)" : "",
               o.dry_run ? "would remove" : "removed",
               (long long)json_integer_value(json_object_get(out, "removed")),
               (long long)json_integer_value(json_object_get(out, "held")));
        print_types(json_object_get(out, "types"), o.dry_run);
        if (rc)
            fprintf(stderr, "vigilctl: retention run failed: %s\n",
                    json_string_value(json_object_get(out, "error")));
        json_decref(out);
        return rc ? 1 : 0;
    }
    cli_report("retention run", rc, &err);
    return 1;
}

static int status(struct cli_ctx *c)
{
    if (cli_open(c))
        return 1;
    json_t *out = NULL;
    int rc = app_retention_status(&c->app, &out);
    if (rc) {
        cli_report("retention status", rc, NULL);
        return 1;
    }
    const char *pk = json_string_value(json_object_get(out, "public_key"));
    printf("profile %s, nightly at %s (site time), batches of %lld\naudit signing key: %s\n\n",
           json_string_value(json_object_get(out, "profile")),
           json_string_value(json_object_get(out, "run_at")),
           (long long)json_integer_value(json_object_get(out, "batch")),
           pk && *pk ? pk : "(none yet: created by the first removal of audit records)");
    printf("%-12s %-8s %7s  %-10s %s\n", "type", "clause", "months", "source", "removed before");
    size_t i;
    json_t *p;
    json_array_foreach (json_object_get(out, "policy"), i, p) {
        printf("%-12s %-8s %7lld  %-10s %s\n", json_string_value(json_object_get(p, "type")),
               json_string_value(json_object_get(p, "clause")),
               (long long)json_integer_value(json_object_get(p, "months")),
               json_string_value(json_object_get(p, "source")),
               json_string_value(json_object_get(p, "cutoff")));
    }
    json_t *holds = json_object_get(out, "holds");
    printf("\nactive legal holds: %zu\n", json_array_size(holds));
    json_array_foreach (holds, i, p) {
        printf("  #%lld %s %lld by %s: %s\n",
               (long long)json_integer_value(json_object_get(p, "id")),
               json_string_value(json_object_get(p, "record_type")),
               (long long)json_integer_value(json_object_get(p, "record_id")),
               json_string_value(json_object_get(p, "placed_by")),
               json_string_value(json_object_get(p, "reason")));
    }
    json_decref(out);
    return 0;
}

static int hold(struct cli_ctx *c, int argc, char **argv)
{
    long long id = 0;
    char *end = NULL;
    if (argc != 5 || (id = strtoll(argv[3], &end, 10)) <= 0 || *end) {
        fprintf(stderr, "usage: vigilctl retention hold TYPE ID REASON\n");
        return 2;
    }
    if (cli_open(c))
        return 1;
    json_t *in = json_pack("{ss sI ss}", "record_type", argv[2], "record_id", (json_int_t)id,
                           "reason", argv[4]);
    json_t *out = NULL;
    struct app_err err = {0};
    int rc = app_retention_hold_place(&c->app, &c->who, in, &out, &err);
    json_decref(in);
    if (rc) {
        cli_report("retention hold", rc, &err);
        return 1;
    }
    printf("legal hold %lld placed on %s %lld\n",
           (long long)json_integer_value(json_object_get(out, "id")), argv[2], id);
    json_decref(out);
    return 0;
}

static int release(struct cli_ctx *c, int argc, char **argv)
{
    long long id = 0;
    char *end = NULL;
    if (argc != 3 || (id = strtoll(argv[2], &end, 10)) <= 0 || *end) {
        fprintf(stderr, "usage: vigilctl retention release HOLD-ID\n");
        return 2;
    }
    if (cli_open(c))
        return 1;
    json_t *out = NULL;
    int rc = app_retention_hold_release(&c->app, &c->who, id, &out);
    if (rc) {
        cli_report("retention release", rc, NULL);
        return 1;
    }
    printf("legal hold %lld released\n", id);
    json_decref(out);
    return 0;
}

static int retention_run(struct cli_ctx *c, int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "";
    if (strcmp(verb, "run") == 0)
        return run_now(c, argc, argv);
    if (strcmp(verb, "status") == 0 && argc == 2)
        return status(c);
    if (strcmp(verb, "hold") == 0)
        return hold(c, argc, argv);
    if (strcmp(verb, "release") == 0)
        return release(c, argc, argv);
    fprintf(stderr, "usage: vigilctl retention run [--dry-run] [--as-of YYYY-MM-DD] | status | "
                    "hold TYPE ID REASON | release HOLD-ID\n");
    return 2;
}

const struct cli_cmd cli_cmd_retention = {
    "retention", "retention run|status|hold|release",
    "remove records past their period now (--dry-run, --as-of), show the policy, legal holds",
    retention_run};
