/* site.c - use cases of the community model. */
#include "app/site.h"

#include "app/audit.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const area_kinds[] = {"building",  "floor",        "garage", "lobby",  "elevator",
                                  "perimeter", "control_room", "gate",   "public", NULL};
const char *const device_kinds[] = {"camera",
                                    "fire_panel",
                                    "fire_detector",
                                    "infrared_detector",
                                    "elevator_controller",
                                    "intercom",
                                    "gate_terminal",
                                    "alarm_line",
                                    NULL};
const char *const device_statuses[] = {"normal",      "fault",    "offline",
                                       "maintenance", "disabled", NULL};
const char *const contact_scopes[] = {"internal", "external", NULL};
const char *const contact_roles[] = {
    "shift_leader", "supervisor", "manager",   "engineering", "elevator_company",
    "fire",         "police",     "ambulance", "other",       NULL};

int str_in(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static const char *jstr(json_t *in, const char *k)
{
    return json_string_value(json_object_get(in, k));
}

static int check_text(const char *v, const char *field, size_t min, size_t max, int required,
                      struct app_err *err)
{
    if (!v)
        return required ? app_invalid(err, field, "is required") : 0;
    size_t n = strlen(v);
    if (n < min || n > max)
        return app_invalid(err, field, "must be %zu to %zu bytes", min, max);
    return 0;
}

static int check_phone(const char *v, const char *field, int required, struct app_err *err)
{
    if (!v)
        return required ? app_invalid(err, field, "is required") : 0;
    size_t n = strlen(v);
    if (n < 3 || n > 20)
        return app_invalid(err, field, "must be 3 to 20 characters");
    for (const char *p = v; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == ' '))
            return app_invalid(err, field, "may hold only digits, spaces, '+' and '-'");
    return 0;
}

/* Reads a row by id on a fresh snapshot (after a commit). */
static int read_back(struct app *a, int (*get)(struct store_conn *, int64_t, json_t **), int64_t id,
                     json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = get(c, id, out);
    store_read_end(a->st, c);
    return rc;
}

int app_site_get(struct app *a, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_site_get(c, out);
    store_read_end(a->st, c);
    if (!rc)
        json_object_set_new(*out, "timezone", json_string(a->conf->site_timezone));
    return rc;
}

/* ---- areas ---- */

int app_area_list(struct app *a, const struct area_filter *f, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_area_list(c, f->kind, f->parent_id, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

struct create_job {
    const struct actor *who;
    const void *rec;
    int64_t id;
    const char *label;
};

static int area_create_job(struct store_conn *c, void *arg)
{
    struct create_job *j = arg;
    const struct store_area *ar = j->rec;
    int64_t site_id;
    int rc = store_site_id(c, &site_id);
    if (!rc)
        rc = store_area_insert(c, site_id, ar, clock_now_ms(), &j->id);
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "area:%lld", (long long)j->id);
    return audit_append(c, j->who, "area.create", obj, "created %s area %s", ar->kind, ar->name);
}

int app_area_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                    struct app_err *err)
{
    struct store_area ar = {.kind = jstr(in, "kind"),
                            .name = jstr(in, "name"),
                            .code = jstr(in, "code"),
                            .building = jstr(in, "building"),
                            .elevator_no = jstr(in, "elevator_no"),
                            .parent_id = json_integer_value(json_object_get(in, "parent_id")),
                            .floor = INT64_MIN};
    json_t *fl = json_object_get(in, "floor");
    if (json_is_integer(fl))
        ar.floor = json_integer_value(fl);
    if (!str_in(ar.kind, area_kinds))
        return app_invalid(err, "kind",
                           "must be one of building, floor, garage, lobby, "
                           "elevator, perimeter, gate, control_room, public");
    int rc = check_text(ar.name, "name", 1, 200, 1, err);
    if (!rc)
        rc = check_text(ar.code, "code", 1, 64, 0, err);
    if (!rc)
        rc = check_text(ar.building, "building", 1, 64, 0, err);
    if (!rc)
        rc = check_text(ar.elevator_no, "elevator_no", 1, 32, 0, err);
    if (rc)
        return rc;
    if (strcmp(ar.kind, "elevator") == 0 && !ar.elevator_no)
        return app_invalid(err, "elevator_no", "an elevator needs its number");
    if (strcmp(ar.kind, "floor") == 0 && ar.floor == INT64_MIN)
        return app_invalid(err, "floor", "a floor needs its number");
    if (ar.floor != INT64_MIN && (ar.floor < -10 || ar.floor > 200))
        return app_invalid(err, "floor", "must be -10 to 200");
    struct create_job j = {.who = who, .rec = &ar};
    rc = store_write(a->st, area_create_job, &j);
    if (rc == -EINVAL)
        return app_invalid(err, "parent_id", "no such parent area");
    if (rc == -EEXIST) {
        app_invalid(err, "code", "is already used");
        return rc;
    }
    return rc ? rc : read_back(a, store_area_get, j.id, out);
}

/* ---- devices ---- */

int app_device_list(struct app *a, const struct device_filter *f, const struct page *pg,
                    json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc =
        store_device_list(c, f->area_id, f->kind, f->status, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

static int device_create_job(struct store_conn *c, void *arg)
{
    struct create_job *j = arg;
    const struct store_device *d = j->rec;
    int rc = store_device_insert(c, d, clock_now_ms(), &j->id);
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "device:%lld", (long long)j->id);
    return audit_append(c, j->who, "device.create", obj, "created %s %s", d->kind, d->name);
}

int app_device_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                      struct app_err *err)
{
    struct store_device d = {.area_id = json_integer_value(json_object_get(in, "area_id")),
                             .kind = jstr(in, "kind"),
                             .name = jstr(in, "name"),
                             .code = jstr(in, "code"),
                             .address = jstr(in, "address"),
                             .status = jstr(in, "status")};
    if (d.area_id <= 0)
        return app_invalid(err, "area_id", "is required");
    if (!str_in(d.kind, device_kinds))
        return app_invalid(err, "kind", "is not a known device kind");
    if (d.status && !str_in(d.status, device_statuses))
        return app_invalid(err, "status", "is not a known status");
    int rc = check_text(d.name, "name", 1, 200, 1, err);
    if (!rc)
        rc = check_text(d.code, "code", 1, 64, 0, err);
    if (!rc)
        rc = check_text(d.address, "address", 1, 128, 0, err);
    if (rc)
        return rc;
    struct create_job j = {.who = who, .rec = &d};
    rc = store_write(a->st, device_create_job, &j);
    if (rc == -EINVAL)
        return app_invalid(err, "area_id", "no such area");
    if (rc == -EEXIST) {
        app_invalid(err, "code", "is already used");
        return rc;
    }
    return rc ? rc : read_back(a, store_device_get, j.id, out);
}

struct status_job {
    const struct actor *who;
    int64_t id;
    const char *status;
};

static int device_status_job(struct store_conn *c, void *arg)
{
    struct status_job *j = arg;
    int rc = store_device_set_status(c, j->id, j->status, clock_now_ms());
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "device:%lld", (long long)j->id);
    rc = audit_append(c, j->who, "device.status", obj, "status set to %s", j->status);
    json_t *row = NULL;
    /* The event carries the whole device (name, area) so a live view needs no second read. */
    if (!rc)
        rc = store_device_get(c, j->id, &row);
    if (!rc)
        store_conn_emit(c, "device.status", row);
    return rc;
}

int app_device_set_status(struct app *a, const struct actor *who, int64_t id, json_t *in,
                          json_t **out, struct app_err *err)
{
    struct status_job j = {.who = who, .id = id, .status = jstr(in, "status")};
    if (!str_in(j.status, device_statuses))
        return app_invalid(err, "status",
                           "must be one of normal, fault, offline, maintenance, disabled");
    int rc = store_write(a->st, device_status_job, &j);
    return rc ? rc : read_back(a, store_device_get, id, out);
}

/* ---- contacts ---- */

int app_contact_list(struct app *a, const char *scope, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_contact_list(c, scope, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = app_list_json(rows, total, pg);
    return 0;
}

struct contact_rec {
    const char *scope, *role, *name, *phone, *note;
};

static int contact_create_job(struct store_conn *c, void *arg)
{
    struct create_job *j = arg;
    const struct contact_rec *r = j->rec;
    int64_t site_id;
    int rc = store_site_id(c, &site_id);
    if (!rc)
        rc = store_contact_insert(c, site_id, r->scope, r->role, r->name, r->phone, r->note,
                                  clock_now_ms(), &j->id);
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "contact:%lld", (long long)j->id);
    return audit_append(c, j->who, "contact.create", obj, "added %s contact %s", r->role, r->name);
}

int app_contact_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                       struct app_err *err)
{
    struct contact_rec r = {jstr(in, "scope"), jstr(in, "role"), jstr(in, "name"),
                            jstr(in, "phone"), jstr(in, "note")};
    if (!str_in(r.scope, contact_scopes))
        return app_invalid(err, "scope", "must be internal or external");
    if (!str_in(r.role, contact_roles))
        return app_invalid(err, "role", "is not a known contact role");
    int rc = check_text(r.name, "name", 1, 100, 1, err);
    if (!rc)
        rc = check_phone(r.phone, "phone", 1, err);
    if (!rc)
        rc = check_text(r.note, "note", 0, 500, 0, err);
    if (rc)
        return rc;
    struct create_job j = {.who = who, .rec = &r};
    rc = store_write(a->st, contact_create_job, &j);
    return rc ? rc : read_back(a, store_contact_get, j.id, out);
}

/* ---- residents (S5) ---- */

char *mask_phone(const char *phone)
{
    size_t n = strlen(phone);
    char *m = xstrdup(phone);
    /* A mobile number keeps 3 + 4 digits; a shorter one (an 8-digit landline) only its last 4,
     * else 7 of its 8 digits would show. */
    size_t keep_head = n >= 11 ? 3 : 0, keep_tail = n >= 8 ? 4 : (n > 2 ? 2 : 0);
    for (size_t i = keep_head; i + keep_tail < n; i++)
        m[i] = '*';
    return m;
}

char *mask_name(const char *name)
{
    /* Keep the first UTF-8 character (the family name), one '*' per further character. */
    size_t n = strlen(name), first = 0;
    if (n == 0)
        return xstrdup("");
    first = 1;
    while (first < n && ((unsigned char)name[first] & 0xC0) == 0x80)
        first++;
    size_t rest = 0;
    for (size_t i = first; i < n; i++)
        if (((unsigned char)name[i] & 0xC0) != 0x80)
            rest++;
    if (rest == 0)
        rest = 1;
    char *m = xmalloc(first + rest + 1);
    memcpy(m, name, first);
    memset(m + first, '*', rest);
    m[first + rest] = '\0';
    return m;
}

static void mask_field(json_t *row, const char *key, char *(*fn)(const char *))
{
    const char *v = json_string_value(json_object_get(row, key));
    if (!v)
        return;
    char *m = fn(v);
    json_object_set_new(row, key, json_string(m));
    free(m);
}

static void mask_resident(json_t *row)
{
    mask_field(row, "name", mask_name);
    mask_field(row, "phone", mask_phone);
    mask_field(row, "phone2", mask_phone);
    json_object_set_new(row, "note", json_null());
    json_object_set_new(row, "masked", json_true());
}

int app_resident_list(struct app *a, const char *q, const struct page *pg, json_t **out)
{
    json_t *rows = NULL, *row;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_resident_list(c, q, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    size_t i;
    json_array_foreach (rows, i, row)
        mask_resident(row);
    *out = app_list_json(rows, total, pg);
    return 0;
}

struct reveal_job {
    const struct actor *who;
    int64_t id;
    json_t *row;
};

static int reveal_job(struct store_conn *c, void *arg)
{
    struct reveal_job *j = arg;
    /* Read inside the job so the audit record and the data read are one atomic step. */
    int rc = store_resident_get(c, j->id, &j->row);
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "resident:%lld", (long long)j->id);
    rc = audit_append(c, j->who, "resident.reveal", obj, "personal data of unit %s read",
                      json_string_value(json_object_get(j->row, "unit")));
    if (rc) {
        json_decref(j->row);
        j->row = NULL;
    }
    return rc;
}

int app_resident_get(struct app *a, const struct actor *who, int64_t id, int reveal, json_t **out)
{
    if (!reveal) {
        int rc = read_back(a, store_resident_get, id, out);
        if (!rc)
            mask_resident(*out);
        return rc;
    }
    if (!(who->perms & PERM_BIT(PERM_RESIDENT_PII)))
        return -EACCES;
    struct reveal_job j = {.who = who, .id = id};
    int rc = store_write(a->st, reveal_job, &j);
    if (rc) {
        json_decref(j.row); /* read by the job, but its commit (and so the audit record) failed */
        return rc;
    }
    json_object_set_new(j.row, "masked", json_false());
    *out = j.row;
    return 0;
}

struct resident_rec {
    const char *unit, *name, *phone, *phone2, *note;
};

static int resident_create_job(struct store_conn *c, void *arg)
{
    struct create_job *j = arg;
    const struct resident_rec *r = j->rec;
    int64_t site_id;
    int rc = store_site_id(c, &site_id);
    if (!rc)
        rc = store_resident_insert(c, site_id, r->unit, r->name, r->phone, r->phone2, r->note,
                                   clock_now_ms(), &j->id);
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "resident:%lld", (long long)j->id);
    return audit_append(c, j->who, "resident.create", obj, "resident of unit %s added", r->unit);
}

int app_resident_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                        struct app_err *err)
{
    struct resident_rec r = {jstr(in, "unit"), jstr(in, "name"), jstr(in, "phone"),
                             jstr(in, "phone2"), jstr(in, "note")};
    int rc = check_text(r.unit, "unit", 1, 32, 1, err);
    if (!rc)
        rc = check_text(r.name, "name", 1, 64, 1, err);
    if (!rc)
        rc = check_phone(r.phone, "phone", 1, err);
    if (!rc)
        rc = check_phone(r.phone2, "phone2", 0, err);
    if (!rc)
        rc = check_text(r.note, "note", 0, 500, 0, err);
    if (rc)
        return rc;
    struct create_job j = {.who = who, .rec = &r};
    rc = store_write(a->st, resident_create_job, &j);
    if (rc)
        return rc;
    rc = read_back(a, store_resident_get, j.id, out);
    if (!rc)
        mask_resident(*out);
    return rc;
}
