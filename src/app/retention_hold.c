/* retention_hold.c - legal holds and the retention status (policy, last runs, holds). */
#include "app/audit.h"
#include "app/retention.h"
#include "core/clock.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct hjob {
    const struct actor *who;
    const struct ret_kind *k;
    int64_t id, record_id;
    const char *reason;
    json_t *row;
    struct app_err *err;
};

static int place_job(struct store_conn *c, void *arg)
{
    struct hjob *j = arg;
    int rc = store_ret_exists(c, j->k, j->record_id);
    if (rc == -ENOENT)
        return app_invalid(j->err, "record_id", "no %s record %lld", j->k->name,
                           (long long)j->record_id);
    struct ret_hold_new h = {.record_type = j->k->name,
                             .record_id = j->record_id,
                             .reason = j->reason,
                             .by = j->who->name,
                             .at = clock_now_ms()};
    if (!rc)
        rc = store_hold_insert(c, &h, &j->id);
    if (rc)
        return rc;
    char obj[64];
    snprintf(obj, sizeof obj, "%s:%lld", j->k->name, (long long)j->record_id);
    rc = audit_append(c, j->who, "retention.hold", obj, "legal hold %lld placed: %s",
                      (long long)j->id, j->reason);
    return rc;
}

int app_retention_hold_place(struct app *a, const struct actor *who, json_t *in, json_t **out,
                             struct app_err *err)
{
    const char *type = json_string_value(json_object_get(in, "record_type"));
    json_t *rid = json_object_get(in, "record_id");
    const char *reason = json_string_value(json_object_get(in, "reason"));
    struct hjob j = {.who = who, .k = retention_kind(type), .reason = reason, .err = err};
    if (!j.k)
        return app_invalid(err, "record_type", "unknown record type");
    if (!json_is_integer(rid) || json_integer_value(rid) <= 0)
        return app_invalid(err, "record_id", "must be a positive integer");
    if (!reason || !*reason || strlen(reason) > 500)
        return app_invalid(err, "reason", "must be 1 to 500 characters");
    j.record_id = json_integer_value(rid);
    int rc = store_write(a->st, place_job, &j);
    if (rc)
        return rc;
    *out =
        json_pack("{sI ss sI ss ss}", "id", (json_int_t)j.id, "record_type", j.k->name, "record_id",
                  (json_int_t)j.record_id, "reason", reason, "placed_by", who->name);
    return 0;
}

static int release_job(struct store_conn *c, void *arg)
{
    struct hjob *j = arg;
    int rc = store_hold_release(c, j->id, j->who->name, clock_now_ms(), &j->row);
    if (rc)
        return rc;
    char obj[64];
    snprintf(obj, sizeof obj, "%s:%lld", json_string_value(json_object_get(j->row, "record_type")),
             (long long)json_integer_value(json_object_get(j->row, "record_id")));
    rc = audit_append(c, j->who, "retention.release", obj, "legal hold %lld released",
                      (long long)j->id);
    return rc;
}

int app_retention_hold_release(struct app *a, const struct actor *who, int64_t id, json_t **out)
{
    struct hjob j = {.who = who, .id = id};
    int rc = store_write(a->st, release_job, &j);
    if (rc) {
        json_decref(j.row);
        return rc;
    }
    *out = j.row;
    return 0;
}

int app_retention_hold_list(struct app *a, int active, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_hold_list(c, active, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

static json_t *policy_json(struct app *a, const char *today)
{
    json_t *arr = json_array();
    for (const struct ret_kind *k = retention_kinds; k->name; k++) {
        const char *source;
        int months = retention_months(a->conf, k, &source);
        int64_t cutoff = 0;
        char iso[CLOCK_ISO_LEN] = "";
        if (retention_cutoff(today, months, &cutoff) == 0)
            clock_format_iso(cutoff, iso, sizeof iso);
        json_t *tables = json_array();
        json_array_append_new(tables, json_string(k->table));
        for (int i = 0; i < RET_MAX_DEPS && k->deps[i]; i++)
            json_array_append_new(tables, json_stringn(k->deps[i], strcspn(k->deps[i], ".")));
        json_array_append_new(arr, json_pack("{ss ss so si ss ss}", "type", k->name, "clause",
                                             k->clause, "tables", tables, "months", months,
                                             "source", source, "cutoff", iso));
    }
    return arr;
}

int app_retention_status(struct app *a, json_t **out)
{
    char today[11], pkhex[2 * AUDIT_PK_LEN + 1] = "";
    unsigned char pk[AUDIT_PK_LEN];
    if (retention_local_date(clock_now_ms(), today, sizeof today))
        return -EINVAL;
    if (audit_key_public(a, pk) == 0)
        sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    json_t *runs = NULL, *holds = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_ret_run_list(c, 10, &runs);
    if (!rc)
        rc = store_hold_list(c, 1, 500, 0, &holds, &total);
    store_read_end(a->st, c);
    if (rc) {
        json_decref(runs);
        return rc;
    }
    *out = json_pack("{ss ss sI ss ss so so so}", "profile", a->conf->retention_profile, "run_at",
                     a->conf->retention_run_at, "batch", (json_int_t)a->conf->retention_batch,
                     "today", today, "public_key", pkhex, "policy", policy_json(a, today), "runs",
                     runs, "holds", holds);
    return 0;
}
