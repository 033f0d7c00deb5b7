/* checksheet.c - check-sheet templates: validation, import from the data files, versions. */
#include "app/audit.h"
#include "app/checkperiod.h"
#include "app/checks.h"
#include "app/site.h"
#include "core/clock.h"
#include "store/store_check.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const item_types[] = {"pass_fail", "reading", "note", NULL};

static int ident_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* {"zh-CN","en"}, both 1..max bytes. */
static int texts_ok(json_t *t, size_t max)
{
    const char *zh = json_string_value(json_object_get(t, "zh-CN"));
    const char *en = json_string_value(json_object_get(t, "en"));
    return json_is_object(t) && json_object_size(t) == 2 && zh && *zh && en && *en &&
           strlen(zh) <= max && strlen(en) <= max;
}

static int reading_ok(json_t *it, size_t i, struct app_err *err)
{
    json_t *mn = json_object_get(it, "min"), *mx = json_object_get(it, "max");
    const char *unit = json_string_value(json_object_get(it, "unit"));
    char f[32];
    snprintf(f, sizeof f, "items[%zu]", i);
    if (!unit || !*unit || strlen(unit) > 16)
        return app_invalid(err, f, "a reading needs a unit (1 to 16 bytes)");
    if ((mn && !json_is_number(mn)) || (mx && !json_is_number(mx)) || (!mn && !mx))
        return app_invalid(err, f, "a reading needs numeric limits: min, max or both");
    if (mn && mx && json_number_value(mn) > json_number_value(mx))
        return app_invalid(err, f, "min is above max");
    return 0;
}

static const char *const item_keys[] = {"id",  "type",        "text",     "unit", "min",
                                        "max", "device_kind", "required", NULL};

static int item_ok(json_t *it, size_t i, json_t *seen, struct app_err *err)
{
    char f[32];
    snprintf(f, sizeof f, "items[%zu]", i);
    if (!json_is_object(it))
        return app_invalid(err, f, "must be an object");
    const char *key;
    json_t *v;
    json_object_foreach (it, key, v)
        if (!str_in(key, item_keys))
            return app_invalid(err, f, "unknown field %s", key);
    const char *id = json_string_value(json_object_get(it, "id"));
    const char *type = json_string_value(json_object_get(it, "type"));
    const char *dk = json_string_value(json_object_get(it, "device_kind"));
    json_t *req = json_object_get(it, "required");
    if (!ident_ok(id))
        return app_invalid(err, f, "id must be 1 to 64 of a-z 0-9 _");
    if (json_object_get(seen, id))
        return app_invalid(err, f, "id %s repeats", id);
    json_object_set_new(seen, id, json_true());
    if (!str_in(type, item_types))
        return app_invalid(err, f, "type must be pass_fail, reading or note");
    if (!texts_ok(json_object_get(it, "text"), 500))
        return app_invalid(err, f, "text must be {\"zh-CN\",\"en\"}, each 1 to 500 bytes");
    if (dk && !str_in(dk, device_kinds))
        return app_invalid(err, f, "device_kind is not a device kind");
    if (req && !json_is_boolean(req))
        return app_invalid(err, f, "required must be true or false");
    return strcmp(type, "reading") == 0 ? reading_ok(it, i, err) : 0;
}

static const char *const template_keys[] = {"code",     "recurrence", "clause", "name",
                                            "due_days", "items",      NULL};

int app_check_template_validate(json_t *in, json_t **norm, struct app_err *err)
{
    if (!json_is_object(in))
        return app_invalid(err, "", "a template is a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach (in, key, v)
        if (!str_in(key, template_keys))
            return app_invalid(err, key, "unknown field");
    const char *clause = json_string_value(json_object_get(in, "clause"));
    json_t *items = json_object_get(in, "items"), *dd = json_object_get(in, "due_days");
    if (!ident_ok(json_string_value(json_object_get(in, "code"))))
        return app_invalid(err, "code", "must be 1 to 64 of a-z 0-9 _");
    if (!str_in(json_string_value(json_object_get(in, "recurrence")), check_recurrences))
        return app_invalid(err, "recurrence",
                           "must be daily, weekly, monthly, quarterly or yearly");
    if (!clause || !*clause || strlen(clause) > 32)
        return app_invalid(err, "clause", "must be 1 to 32 bytes");
    if (!texts_ok(json_object_get(in, "name"), 200))
        return app_invalid(err, "name", "must be {\"zh-CN\",\"en\"}, each 1 to 200 bytes");
    if (dd && (!json_is_integer(dd) || json_integer_value(dd) < 0 || json_integer_value(dd) > 366))
        return app_invalid(err, "due_days", "must be 0 to 366");
    if (!json_is_array(items) || json_array_size(items) < 1 || json_array_size(items) > 100)
        return app_invalid(err, "items", "must be a list of 1 to 100 items");
    json_t *seen = json_object(), *it;
    size_t i;
    int rc = 0;
    json_array_foreach (items, i, it) {
        if (!rc)
            rc = item_ok(it, i, seen, err);
    }
    json_decref(seen);
    if (!rc)
        *norm = json_deep_copy(in);
    return rc;
}

struct tpl_job {
    const struct actor *who;
    json_t *tpl; /* validated */
    int64_t base_id;
    int64_t id;
    int added;
};

/* Stores tpl as a new version unless an identical version exists (import) or the base is not
 * the newest (edit). */
static int tpl_job(struct store_conn *c, void *arg)
{
    struct tpl_job *j = arg;
    const char *code = json_string_value(json_object_get(j->tpl, "code"));
    char *body = json_dumps(j->tpl, JSON_COMPACT | JSON_SORT_KEYS);
    int64_t version = 0;
    int seen = 0;
    int rc = store_check_template_state(c, code, body, &version, &seen);
    json_t *base = NULL;
    if (!rc && j->base_id) {
        rc = store_check_template_get(c, j->base_id, &base);
        if (!rc && !json_is_true(json_object_get(base, "latest")))
            rc = -EEXIST;
    }
    if (!rc && !seen) {
        json_t *name = json_object_get(j->tpl, "name");
        struct store_check_template t = {
            .code = code,
            .version = version + 1,
            .recurrence = json_string_value(json_object_get(j->tpl, "recurrence")),
            .clause = json_string_value(json_object_get(j->tpl, "clause")),
            .name_zh = json_string_value(json_object_get(name, "zh-CN")),
            .name_en = json_string_value(json_object_get(name, "en")),
            .body = body,
            .created_by = j->who->name,
            .created_at = clock_now_ms()};
        rc = store_check_template_insert(c, &t, &j->id);
        char obj[96];
        snprintf(obj, sizeof obj, "check_template:%s", code);
        if (!rc)
            rc = audit_append(c, j->who,
                              j->base_id ? "check.template.edit" : "check.template.import", obj,
                              "version %lld", (long long)t.version);
        j->added = !rc;
    }
    json_decref(base);
    free(body);
    return rc;
}

static int import_file(struct app *a, const char *path, char *err, size_t errsz)
{
    json_error_t jerr;
    json_t *in = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr), *norm = NULL;
    if (!in) {
        snprintf(err, errsz, "%s: line %d: %s", path, jerr.line, jerr.text);
        return -EINVAL;
    }
    struct app_err e = {0};
    int rc = app_check_template_validate(in, &norm, &e);
    json_decref(in);
    if (rc) {
        snprintf(err, errsz, "%s: %s %s", path, e.field, e.message);
        return rc;
    }
    struct actor sys;
    app_actor_system(&sys, "system");
    struct tpl_job j = {.who = &sys, .tpl = norm};
    rc = store_write(a->st, tpl_job, &j);
    json_decref(norm);
    if (rc)
        snprintf(err, errsz, "%s: cannot store (%d)", path, rc);
    return rc ? rc : j.added;
}

int app_check_import(struct app *a, const char *dir, char *err, size_t errsz)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errsz, "%s: %s", dir, strerror(errno));
        return -ENOENT;
    }
    int rc = 0, added = 0;
    struct dirent *e;
    while (rc >= 0 && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        rc = import_file(a, path, err, errsz);
        added += rc > 0;
    }
    closedir(d);
    return rc < 0 ? rc : added;
}

/* Replaces the row's "body" text by its parsed "items" (and due_days). */
static void expand(json_t *row)
{
    json_t *body = json_loads(json_string_value(json_object_get(row, "body")), 0, NULL);
    json_object_set(row, "items", body ? json_object_get(body, "items") : json_array());
    json_t *dd = body ? json_object_get(body, "due_days") : NULL;
    json_object_set_new(row, "due_days", json_integer(dd ? json_integer_value(dd) : 0));
    json_object_set_new(row, "name",
                        json_pack("{sO sO}", "zh-CN", json_object_get(row, "name_zh"), "en",
                                  json_object_get(row, "name_en")));
    json_object_del(row, "body");
    json_object_del(row, "since");
    json_decref(body);
}

int app_check_template_list(struct app *a, json_t **out)
{
    json_t *rows = NULL, *r;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_check_template_current(c, &rows);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    size_t i;
    json_array_foreach (rows, i, r)
        expand(r);
    *out = json_pack("{so}", "items", rows);
    return 0;
}

int app_check_template_get(struct app *a, int64_t id, json_t **out)
{
    json_t *row = NULL, *versions = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_check_template_get(c, id, &row);
    if (!rc)
        rc = store_check_template_versions(c, json_string_value(json_object_get(row, "code")),
                                           &versions);
    store_read_end(a->st, c);
    if (rc) {
        json_decref(row);
        return rc;
    }
    expand(row);
    json_object_set_new(row, "versions", versions);
    *out = row;
    return 0;
}

int app_check_template_update(struct app *a, const struct actor *who, int64_t id, json_t *in,
                              json_t **out, struct app_err *err)
{
    json_t *cur = NULL, *norm = NULL;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_check_template_get(c, id, &cur);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    /* The code and recurrence stay; name, items, clause and due_days may change. */
    json_t *next = json_pack("{sO sO}", "code", json_object_get(cur, "code"), "recurrence",
                             json_object_get(cur, "recurrence"));
    json_object_set(next, "clause",
                    json_object_get(in, "clause") ? json_object_get(in, "clause")
                                                  : json_object_get(cur, "clause"));
    json_object_set(next, "name", json_object_get(in, "name"));
    json_object_set(next, "items", json_object_get(in, "items"));
    if (json_object_get(in, "due_days"))
        json_object_set(next, "due_days", json_object_get(in, "due_days"));
    json_decref(cur);
    rc = app_check_template_validate(next, &norm, err);
    json_decref(next);
    if (rc)
        return rc;
    struct tpl_job j = {.who = who, .tpl = norm, .base_id = id};
    rc = store_write(a->st, tpl_job, &j);
    json_decref(norm);
    if (rc == -EEXIST) {
        app_invalid(err, "", "this is not the newest version of the template: reload it");
        return -EEXIST;
    }
    if (!rc && !j.added)
        return app_invalid(err, "items", "nothing changed");
    return rc ? rc : app_check_template_get(a, j.id, out);
}
