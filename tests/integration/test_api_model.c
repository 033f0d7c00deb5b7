/* test_api_model.c - the community model through the API: site counts, list filters and
 * pagination, creation by the admin, device status by the engineer, masked residents and
 * audited reveals, and staff accounts (create, conflicts, weak passwords, disable). */
#include "lib/daemon.h"
#include "lib/http.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define PW "vigil-demo"
#define TOK 256

static struct td_daemon D;
static char admin[TOK], manager[TOK], operator[TOK], engineer[TOK];

static int group_setup(void **state)
{
    (void)state;
    struct td_opts o = {.demo = 1};
    int rc = td_daemon_start(&D, &o);
    if (rc) {
        print_error("vigild did not start: %d (exit %d)\n", rc, D.exit_status);
        return rc;
    }
    th_login_ok(D.port, "admin", PW, admin, sizeof admin);
    th_login_ok(D.port, "manager", PW, manager, sizeof manager);
    th_login_ok(D.port, "operator", PW, operator, sizeof operator);
    th_login_ok(D.port, "engineer", PW, engineer, sizeof engineer);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    return 0;
}

/* The newest audit record (GET /api/v1/audit?limit=1), as a new reference (caller decrefs). */
static json_t *newest_audit(const char *query)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/audit?limit=1%s%s", query ? "&" : "", query ? query : "");
    struct th_resp r;
    th_get(D.port, admin, path, &r);
    assert_int_equal(r.status, 200);
    json_t *rec = json_incref(json_array_get(json_object_get(r.json, "items"), 0));
    th_resp_free(&r);
    assert_non_null(rec);
    return rec;
}

static void assert_audit(json_t *rec, const char *action, const char *object, const char *actor)
{
    assert_string_equal(th_jstr(rec, "action"), action);
    assert_string_equal(th_jstr(rec, "object"), object);
    assert_string_equal(th_jstr(rec, "actor"), actor);
    assert_non_null(th_jstr(rec, "at"));
    assert_int_equal(strlen(th_jstr(rec, "hash")), 64);
}

/* Id of the first item of a list whose key equals value, or 0. */
static long long find_item(const char *token, const char *path, const char *key, const char *value)
{
    struct th_resp r;
    th_get(D.port, token, path, &r);
    assert_int_equal(r.status, 200);
    long long id = 0;
    size_t i;
    json_t *row;
    json_array_foreach (json_object_get(r.json, "items"), i, row) {
        const char *v = th_jstr(row, key);
        if (v && strcmp(v, value) == 0) {
            id = th_jint(row, "id");
            break;
        }
    }
    th_resp_free(&r);
    return id;
}

/* Runs first, while the demo community is untouched. */
static void test_site_counts_match_the_lists(void **state)
{
    (void)state;
    struct th_resp r;
    th_get(D.port, operator, "/api/v1/site", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(th_jstr(r.json, "name"));
    assert_string_equal(th_jstr(r.json, "timezone"), "Asia/Shanghai");
    json_t *c = json_object_get(r.json, "counts");
    assert_int_equal(th_jint(c, "areas"), th_total(D.port, operator, "/api/v1/areas"));
    assert_int_equal(th_jint(c, "devices"), th_total(D.port, operator, "/api/v1/devices"));
    assert_int_equal(th_jint(c, "devices_fault"),
                     th_total(D.port, operator, "/api/v1/devices?status=fault") +
                         th_total(D.port, operator, "/api/v1/devices?status=offline"));
    assert_int_equal(th_jint(c, "residents"), th_total(D.port, operator, "/api/v1/residents"));
    assert_int_equal(th_jint(c, "users"), th_total(D.port, admin, "/api/v1/users"));
    /* The demo community: 3 buildings of 10 areas and 12 devices each, plus the grounds. */
    assert_int_equal(th_jint(c, "areas"), 36);
    assert_int_equal(th_jint(c, "devices"), 54);
    assert_int_equal(th_jint(c, "devices_fault"), 2);
    assert_int_equal(th_jint(c, "residents"), 36);
    assert_int_equal(th_jint(c, "users"), 9);
    th_resp_free(&r);
}

static void assert_all(const char *path, const char *key, const char *value, long long total)
{
    struct th_resp r;
    th_get(D.port, operator, path, &r);
    assert_int_equal(r.status, 200);
    if (total >= 0)
        assert_int_equal(th_jint(r.json, "total"), total);
    json_t *items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), th_jint(r.json, "total"));
    size_t i;
    json_t *row;
    json_array_foreach (items, i, row) {
        json_t *v = json_object_get(row, key);
        if (json_is_integer(v))
            assert_int_equal(json_integer_value(v), strtoll(value, NULL, 10));
        else
            assert_string_equal(json_string_value(v), value);
    }
    th_resp_free(&r);
}

static void test_list_filters(void **state)
{
    (void)state;
    assert_all("/api/v1/areas?kind=building", "kind", "building", 3);
    long long b1 = find_item(operator, "/api/v1/areas?kind=building", "code", "B1");
    assert_true(b1 > 0);
    char path[128], id[32];
    snprintf(id, sizeof id, "%lld", b1);
    snprintf(path, sizeof path, "/api/v1/areas?parent_id=%lld", b1);
    assert_all(path, "parent_id", id, 9); /* lobby, 2 elevators, 6 floors */
    snprintf(path, sizeof path, "/api/v1/areas?parent_id=%lld&kind=elevator", b1);
    assert_all(path, "kind", "elevator", 2);

    long long garage = find_item(operator, "/api/v1/areas?kind=garage", "code", "GARAGE-B1");
    assert_true(garage > 0);
    snprintf(id, sizeof id, "%lld", garage);
    snprintf(path, sizeof path, "/api/v1/devices?area_id=%lld", garage);
    assert_all(path, "area_id", id, 5);
    assert_all("/api/v1/devices?kind=fire_detector", "kind", "fire_detector", 18);
    assert_all("/api/v1/devices?status=maintenance", "status", "maintenance", 1);
    assert_all("/api/v1/devices?kind=camera&status=fault", "code", "CAM-G03", 1);
    assert_all("/api/v1/devices?kind=intercom&status=offline", "kind", "intercom", 0);
    assert_all("/api/v1/contacts?scope=external", "scope", "external", 3);
    assert_all("/api/v1/contacts?scope=internal", "scope", "internal", 5);
}

static void test_pagination(void **state)
{
    (void)state;
    struct th_resp all;
    th_get(D.port, operator, "/api/v1/devices?limit=500", &all);
    assert_int_equal(all.status, 200);
    json_t *items = json_object_get(all.json, "items");
    long long total = th_jint(all.json, "total");
    assert_int_equal(json_array_size(items), total);
    assert_true(total > 20);
    assert_int_equal(th_jint(all.json, "limit"), 500);

    /* Pages of 7 cover the whole list once, in the same order. */
    size_t seen = 0;
    for (long long off = 0; off < total + 7; off += 7) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/devices?limit=7&offset=%lld", off);
        struct th_resp r;
        th_get(D.port, operator, path, &r);
        assert_int_equal(r.status, 200);
        assert_int_equal(th_jint(r.json, "total"), total);
        assert_int_equal(th_jint(r.json, "limit"), 7);
        assert_int_equal(th_jint(r.json, "offset"), off);
        json_t *page = json_object_get(r.json, "items");
        long long want = total - off < 0 ? 0 : (total - off > 7 ? 7 : total - off);
        assert_int_equal(json_array_size(page), want);
        size_t i;
        json_t *row;
        json_array_foreach (page, i, row)
            assert_int_equal(th_jint(row, "id"), th_jint(json_array_get(items, seen++), "id"));
        th_resp_free(&r);
    }
    assert_int_equal(seen, total);
    th_resp_free(&all);

    /* The default page is 50. */
    struct th_resp r;
    th_get(D.port, operator, "/api/v1/devices", &r);
    assert_int_equal(th_jint(r.json, "limit"), 50);
    assert_int_equal(th_jint(r.json, "offset"), 0);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), total < 50 ? total : 50);
    th_resp_free(&r);
}

static long long create(const char *token, const char *path, const char *body, long status)
{
    struct th_resp r;
    th_send(D.port, "POST", token, path, body, &r);
    if (r.status != status)
        print_error("POST %s gave %ld %s\n", path, r.status, r.body);
    assert_int_equal(r.status, status);
    long long id = th_jint(r.json, "id");
    th_resp_free(&r);
    return id;
}

static void test_admin_creates_area_device_contact(void **state)
{
    (void)state;
    long long areas = th_total(D.port, operator, "/api/v1/areas");
    long long audit = th_total(D.port, admin, "/api/v1/audit");
    long long area =
        create(admin, "/api/v1/areas",
               "{\"kind\":\"public\",\"name\":\"Test Plaza\",\"code\":\"T-PLAZA\"}", 201);
    assert_true(area > 0);
    assert_int_equal(find_item(operator, "/api/v1/areas?kind=public", "code", "T-PLAZA"), area);
    assert_int_equal(th_total(D.port, operator, "/api/v1/areas"), areas + 1);
    char obj[64];
    snprintf(obj, sizeof obj, "area:%lld", area);
    json_t *rec = newest_audit("action=area.create");
    assert_audit(rec, "area.create", obj, "admin");
    json_decref(rec);

    char body[256];
    snprintf(body, sizeof body,
             "{\"area_id\":%lld,\"kind\":\"camera\",\"name\":\"Plaza cam\",\"code\":\"CAM-TP\"}",
             area);
    struct th_resp r;
    th_send(D.port, "POST", admin, "/api/v1/devices", body, &r);
    assert_int_equal(r.status, 201);
    long long dev = th_jint(r.json, "id");
    assert_string_equal(th_jstr(r.json, "status"), "normal");
    assert_string_equal(th_jstr(r.json, "area_name"), "Test Plaza");
    th_resp_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/devices?area_id=%lld", area);
    assert_all(path, "code", "CAM-TP", 1);
    snprintf(obj, sizeof obj, "device:%lld", dev);
    rec = newest_audit("action=device.create");
    assert_audit(rec, "device.create", obj, "admin");
    json_decref(rec);

    long long contact = create(admin, "/api/v1/contacts",
                               "{\"scope\":\"external\",\"role\":\"police\",\"name\":\"Local "
                               "station\",\"phone\":\"010-12345678\"}",
                               201);
    assert_int_equal(
        find_item(operator, "/api/v1/contacts?scope=external", "name", "Local station"), contact);
    snprintf(obj, sizeof obj, "contact:%lld", contact);
    rec = newest_audit("action=contact.create");
    assert_audit(rec, "contact.create", obj, "admin");
    json_decref(rec);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit + 3);

    /* A code is unique; an unknown parent or area is refused; the operator may not create. */
    th_send(D.port, "POST", admin, "/api/v1/areas",
            "{\"kind\":\"public\",\"name\":\"Again\",\"code\":\"T-PLAZA\"}", &r);
    th_assert_problem(&r, 409, "/problems/conflict");
    th_resp_free(&r);
    th_send(D.port, "POST", admin, "/api/v1/areas",
            "{\"kind\":\"public\",\"name\":\"Orphan\",\"parent_id\":999999}", &r);
    th_assert_problem(&r, 400, "/problems/validation");
    th_resp_free(&r);
    th_send(D.port, "POST", admin, "/api/v1/devices",
            "{\"area_id\":999999,\"kind\":\"camera\",\"name\":\"Nowhere\"}", &r);
    th_assert_problem(&r, 400, "/problems/validation");
    th_resp_free(&r);
    th_send(D.port, "POST", operator, "/api/v1/areas", "{\"kind\":\"public\",\"name\":\"No\"}", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit + 3);
    assert_int_equal(th_total(D.port, operator, "/api/v1/areas"), areas + 1);
    th_get(D.port, operator, "/api/v1/site", &r);
    assert_int_equal(th_jint(json_object_get(r.json, "counts"), "areas"), areas + 1);
    th_resp_free(&r);
}

static void test_engineer_sets_device_status(void **state)
{
    (void)state;
    long long dev = find_item(operator, "/api/v1/devices?limit=500", "code", "IR-P2");
    assert_true(dev > 0);
    long long audit = th_total(D.port, admin, "/api/v1/audit");
    long long maint = th_total(D.port, operator, "/api/v1/devices?status=maintenance");
    char path[64], obj[64];
    snprintf(path, sizeof path, "/api/v1/devices/%lld", dev);
    struct th_resp r;
    th_send(D.port, "PATCH", engineer, path, "{\"status\":\"maintenance\"}", &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(th_jint(r.json, "id"), dev);
    assert_string_equal(th_jstr(r.json, "status"), "maintenance");
    assert_non_null(th_jstr(r.json, "status_changed_at"));
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, operator, "/api/v1/devices?status=maintenance"), maint + 1);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit + 1);
    snprintf(obj, sizeof obj, "device:%lld", dev);
    json_t *rec = newest_audit(NULL);
    assert_audit(rec, "device.status", obj, "engineer");
    assert_non_null(strstr(th_jstr(rec, "summary"), "maintenance"));
    json_decref(rec);

    /* The elevator technician may look but not change. */
    char tech[TOK];
    th_login_ok(D.port, "elevator_tech", PW, tech, sizeof tech);
    audit = th_total(D.port, admin, "/api/v1/audit");
    th_send(D.port, "PATCH", tech, path, "{\"status\":\"normal\"}", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit);
    assert_int_equal(th_total(D.port, operator, "/api/v1/devices?status=maintenance"), maint + 1);
}

/* 1 for "139****1234": three digits, four stars, four digits. */
static int masked_phone(const char *p)
{
    if (!p || strlen(p) != 11)
        return 0;
    for (int i = 0; i < 11; i++) {
        int star = i >= 3 && i < 7;
        if (star ? p[i] != '*' : !isdigit((unsigned char)p[i]))
            return 0;
    }
    return 1;
}

static void test_residents_masked_for_every_role(void **state)
{
    (void)state;
    static const struct {
        const char *role;
        int may_read;
    } roles[] = {
        {"admin", 1}, {"operator", 1}, {"shift_leader", 1},  {"supervisor", 1}, {"manager", 1},
        {"guard", 1}, {"engineer", 0}, {"elevator_tech", 0}, {"auditor", 0},
    };
    for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
        char tok[TOK];
        th_login_ok(D.port, roles[k].role, PW, tok, sizeof tok);
        struct th_resp r;
        th_get(D.port, tok, "/api/v1/residents?limit=500", &r);
        if (!roles[k].may_read) {
            th_assert_problem(&r, 403, "/problems/forbidden");
            th_resp_free(&r);
            continue;
        }
        assert_int_equal(r.status, 200);
        json_t *items = json_object_get(r.json, "items");
        assert_true(json_array_size(items) >= 36);
        size_t i;
        json_t *row;
        json_array_foreach (items, i, row) {
            assert_true(json_is_true(json_object_get(row, "masked")));
            const char *unit = th_jstr(row, "unit");
            if (unit && isdigit((unsigned char)unit[0]) && unit[1] == '-' &&
                strlen(th_jstr(row, "phone")) == 11) {
                if (!masked_phone(th_jstr(row, "phone")))
                    print_error("%s sees phone %s\n", roles[k].role, th_jstr(row, "phone"));
                assert_true(masked_phone(th_jstr(row, "phone")));
            }
            assert_non_null(strchr(th_jstr(row, "phone"), '*'));
            assert_non_null(strchr(th_jstr(row, "name"), '*'));
            assert_true(json_is_null(json_object_get(row, "note")));
        }
        th_resp_free(&r);
        /* One resident without ?reveal is masked too. */
        th_get(D.port, tok, "/api/v1/residents/1", &r);
        assert_int_equal(r.status, 200);
        assert_true(json_is_true(json_object_get(r.json, "masked")));
        assert_true(masked_phone(th_jstr(r.json, "phone")));
        th_resp_free(&r);
    }
}

static void test_reveal_is_permitted_and_audited(void **state)
{
    (void)state;
    struct th_resp masked, r;
    th_get(D.port, operator, "/api/v1/residents/3", &masked);
    assert_int_equal(masked.status, 200);
    const char *mp = th_jstr(masked.json, "phone");
    assert_true(masked_phone(mp));

    long long audit = th_total(D.port, admin, "/api/v1/audit");
    long long reveals = th_total(D.port, admin, "/api/v1/audit?action=resident.reveal");
    th_get(D.port, manager, "/api/v1/residents/3?reveal=1", &r);
    assert_int_equal(r.status, 200);
    assert_true(json_is_false(json_object_get(r.json, "masked")));
    char phone[32];
    snprintf(phone, sizeof phone, "%s", th_jstr(r.json, "phone"));
    assert_int_equal(strlen(phone), 11);
    assert_null(strchr(phone, '*'));
    assert_memory_equal(phone, mp, 3);
    assert_memory_equal(phone + 7, mp + 7, 4);
    assert_null(strchr(th_jstr(r.json, "name"), '*'));
    assert_string_equal(th_jstr(r.json, "unit"), th_jstr(masked.json, "unit"));
    th_resp_free(&r);
    th_resp_free(&masked);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit + 1);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit?action=resident.reveal"), reveals + 1);
    json_t *rec = newest_audit(NULL);
    assert_audit(rec, "resident.reveal", "resident:3", "manager");
    json_decref(rec);

    /* The operator may not reveal: 403 and nothing appended. */
    th_get(D.port, operator, "/api/v1/residents/3?reveal=1", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    assert_null(strstr(r.body, phone));
    th_resp_free(&r);
    th_get(D.port, operator, "/api/v1/residents/3?reveal=true", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit + 1);
    /* Revealing a resident that does not exist appends nothing either. */
    th_get(D.port, manager, "/api/v1/residents/999999?reveal=1", &r);
    th_assert_problem(&r, 404, "/problems/not-found");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit + 1);
}

static void test_user_lifecycle(void **state)
{
    (void)state;
    long long users = th_total(D.port, admin, "/api/v1/users");
    struct th_resp r;
    th_send(D.port, "POST", admin, "/api/v1/users",
            "{\"username\":\"newop\",\"display_name\":\"New Operator\",\"role\":\"operator\","
            "\"password\":\"correct-horse-1\"}",
            &r);
    assert_int_equal(r.status, 201);
    long long id = th_jint(r.json, "id");
    assert_true(id > 0);
    assert_string_equal(th_jstr(r.json, "username"), "newop");
    assert_string_equal(th_jstr(r.json, "role"), "operator");
    assert_true(json_is_false(json_object_get(r.json, "disabled")));
    assert_null(json_object_get(r.json, "password"));
    assert_null(json_object_get(r.json, "pw_hash"));
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, admin, "/api/v1/users"), users + 1);
    char obj[48];
    snprintf(obj, sizeof obj, "user:%lld", id);
    json_t *rec = newest_audit(NULL);
    assert_audit(rec, "user.create", obj, "admin");
    json_decref(rec);

    char tok[TOK];
    th_login_ok(D.port, "newop", "correct-horse-1", tok, sizeof tok);

    th_send(D.port, "POST", admin, "/api/v1/users",
            "{\"username\":\"newop\",\"display_name\":\"Again\",\"role\":\"guard\","
            "\"password\":\"another-pass-2\"}",
            &r);
    th_assert_problem(&r, 409, "/problems/conflict");
    assert_string_equal(th_jstr(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                        "username");
    th_resp_free(&r);
    th_send(D.port, "POST", admin, "/api/v1/users",
            "{\"username\":\"weakling\",\"display_name\":\"Weak\",\"role\":\"guard\","
            "\"password\":\"short\"}",
            &r);
    th_assert_problem(&r, 400, "/problems/validation");
    assert_string_equal(th_jstr(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                        "password");
    th_resp_free(&r);
    assert_int_equal(th_total(D.port, admin, "/api/v1/users"), users + 1);
    assert_int_equal(th_login(D.port, "weakling", "short", NULL, 0), 401);

    /* Disabling ends the account's sessions and its sign-ins. */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld", id);
    th_send(D.port, "PATCH", admin, path, "{\"disabled\":true}", &r);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "disabled")));
    th_resp_free(&r);
    th_get(D.port, tok, "/api/v1/me", &r);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
    th_send(D.port, "POST", NULL, "/api/v1/session",
            "{\"username\":\"newop\",\"password\":\"correct-horse-1\"}", &r);
    th_assert_problem(&r, 401, "/problems/invalid-credentials");
    th_resp_free(&r);
    rec = newest_audit("action=user.update");
    assert_audit(rec, "user.update", obj, "admin");
    assert_non_null(strstr(th_jstr(rec, "summary"), "disabled"));
    json_decref(rec);

    /* Enabled again, the same password works; the admin cannot disable itself. */
    th_send(D.port, "PATCH", admin, path, "{\"disabled\":false}", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    th_login_ok(D.port, "newop", "correct-horse-1", tok, sizeof tok);
    /* A new role ends the sessions too; the next sign-in carries the new permissions. */
    th_send(D.port, "PATCH", admin, path, "{\"role\":\"auditor\"}", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_jstr(r.json, "role"), "auditor");
    th_resp_free(&r);
    th_get(D.port, tok, "/api/v1/me", &r);
    th_assert_problem(&r, 401, "/problems/unauthenticated");
    th_resp_free(&r);
    th_login_ok(D.port, "newop", "correct-horse-1", tok, sizeof tok);
    th_get(D.port, tok, "/api/v1/audit", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    th_get(D.port, tok, "/api/v1/residents", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    th_send(D.port, "PATCH", admin, "/api/v1/users/1", "{\"disabled\":true}", &r);
    th_assert_problem(&r, 400, "/problems/validation");
    th_resp_free(&r);
    th_get(D.port, admin, "/api/v1/me", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
}

#define WRITERS 4
#define WRITES 15

struct writer {
    int n;
    int created; /* 201s */
    int other;   /* anything else */
};

/* Creates WRITES contacts. No cmocka assertions off the main thread: it only counts. */
static void *writer_main(void *arg)
{
    struct writer *w = arg;
    for (int i = 0; i < WRITES; i++) {
        char body[160];
        snprintf(body, sizeof body,
                 "{\"scope\":\"internal\",\"role\":\"other\",\"name\":\"Writer %d/%d\","
                 "\"phone\":\"1390000%04d\"}",
                 w->n, i, w->n * 100 + i);
        struct th_resp r;
        struct th_req rq = {.method = "POST", .path = "/api/v1/contacts", .token = admin};
        rq.body = body;
        if (th_request(D.port, &rq, &r) == 0 && r.status == 201)
            w->created++;
        else
            w->other++;
        th_resp_free(&r);
    }
    return NULL;
}

/* Concurrent writers share group commits; every write lands once and the chain holds. */
static void test_concurrent_writes_keep_the_chain(void **state)
{
    (void)state;
    long long contacts = th_total(D.port, admin, "/api/v1/contacts");
    long long audit = th_total(D.port, admin, "/api/v1/audit");
    pthread_t t[WRITERS];
    struct writer w[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        w[i] = (struct writer){.n = i};
        assert_int_equal(pthread_create(&t[i], NULL, writer_main, &w[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].created, WRITES);
        assert_int_equal(w[i].other, 0);
    }
    assert_int_equal(th_total(D.port, admin, "/api/v1/contacts"), contacts + WRITERS * WRITES);
    assert_true(th_total(D.port, admin, "/api/v1/audit?action=contact.create") >= WRITERS * WRITES);
    assert_int_equal(th_total(D.port, admin, "/api/v1/audit"), audit + WRITERS * WRITES);
    struct th_resp r;
    th_get(D.port, admin, "/api/v1/audit/verify", &r);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    assert_int_equal(th_jint(r.json, "records"), audit + WRITERS * WRITES);
    th_resp_free(&r);
}

static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_site_counts_match_the_lists),
        cmocka_unit_test(test_list_filters),
        cmocka_unit_test(test_pagination),
        cmocka_unit_test(test_admin_creates_area_device_contact),
        cmocka_unit_test(test_engineer_sets_device_status),
        cmocka_unit_test(test_residents_masked_for_every_role),
        cmocka_unit_test(test_reveal_is_permitted_and_audited),
        cmocka_unit_test(test_user_lifecycle),
        cmocka_unit_test(test_concurrent_writes_keep_the_chain),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
