/* store_route.c - the alarm path's routing lookups kept in memory on the writer connection:
 * the mapping of (account, zone) and the open incident of (account, zone, type).
 *
 * Correctness rests on invalidation, not on the callers: TEMP triggers on the writer connection
 * call vigil_route_forget() on every change that could alter an answer (an incident inserted,
 * deleted or changing state, account, zone or type; a mapping or a device's area changing), so
 * no code path can forget to. The whole cache is also dropped when anything rolls back (a cached
 * answer may come from the rolled-back work) and when another connection (vigilctl) committed
 * (PRAGMA data_version, checked at each BEGIN). Count updates (UPDATE OF alarm_count) fire
 * nothing. Entries are direct-mapped: a collision replaces, memory stays fixed. */
#include "core/xmalloc.h"
#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTE_SLOTS 4096 /* per kind; a power of two */
#define KEY_MAX 17       /* account, zone, type: longer ones are not cached */

struct route_slot {
    uint64_t gen; /* valid while it equals the connection's route_gen */
    char account[KEY_MAX], zone[KEY_MAX], type[KEY_MAX];
    int found;    /* map: a row exists (else -ENOENT is cached) */
    int64_t a, b; /* map: device_id, area_id; incident: id */
    char mtype[KEY_MAX];
};

struct route_cache {
    struct route_slot map[ROUTE_SLOTS], inc[ROUTE_SLOTS];
};

static int key_ok(const char *s)
{
    return strlen(s) < KEY_MAX;
}

static size_t slot_of(const char *a, const char *z, const char *t)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *s[3] = {a, z, t}, **p = s; p < s + 3; p++) {
        for (const char *q = *p; *q; q++)
            h = (h ^ (unsigned char)*q) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    return (size_t)(h >> 20) & (ROUTE_SLOTS - 1);
}

void store_route_clear(struct store_conn *c)
{
    c->route_gen++;
}

static void sql_forget(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct store_conn *c = sqlite3_user_data(ctx);
    if (argc == 3 && c->route) { /* a new open incident: only its key's answer changes */
        const char *a = (const char *)sqlite3_value_text(argv[0]);
        const char *z = (const char *)sqlite3_value_text(argv[1]);
        const char *t = (const char *)sqlite3_value_text(argv[2]);
        if (a && z && t && key_ok(a) && key_ok(z) && key_ok(t)) {
            struct route_slot *s = &c->route->inc[slot_of(a, z, t)];
            s->gen = 0;
        } else {
            store_route_clear(c);
        }
    } else {
        store_route_clear(c);
    }
    sqlite3_result_null(ctx);
}

static const char route_triggers[] =
    "CREATE TEMP TRIGGER IF NOT EXISTS route_inc_ins AFTER INSERT ON main.incident"
    " BEGIN SELECT vigil_route_forget(NEW.account, NEW.zone, NEW.type); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS route_inc_upd"
    " AFTER UPDATE OF state, account, zone, type ON main.incident"
    " BEGIN SELECT vigil_route_forget(); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS route_inc_del AFTER DELETE ON main.incident"
    " BEGIN SELECT vigil_route_forget(); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS route_map_ins AFTER INSERT ON main.alarm_map"
    " BEGIN SELECT vigil_route_forget(); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS route_map_upd AFTER UPDATE ON main.alarm_map"
    " BEGIN SELECT vigil_route_forget(); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS route_map_del AFTER DELETE ON main.alarm_map"
    " BEGIN SELECT vigil_route_forget(); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS route_dev_upd AFTER UPDATE OF area_id ON main.device"
    " BEGIN SELECT vigil_route_forget(); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS route_dev_del AFTER DELETE ON main.device"
    " BEGIN SELECT vigil_route_forget(); END;";

int store_route_setup(struct store_conn *c)
{
    if (sqlite3_create_function(c->db, "vigil_route_forget", -1, SQLITE_UTF8, c, sql_forget, NULL,
                                NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, route_triggers, NULL, NULL, NULL) != SQLITE_OK)
        return -EIO;
    c->route = xcalloc(1, sizeof *c->route);
    c->route_gen = 1;
    return 0;
}

void store_route_cleanup(struct store_conn *c)
{
    free(c->route);
    c->route = NULL;
}

void store_route_check_version(struct store_conn *c)
{
    if (!c->route)
        return;
    sqlite3_stmt *s = store_stmt(c, "PRAGMA data_version");
    int64_t v = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    if (s)
        store_stmt_done(c, s);
    if (v != c->route_data_version || v < 0)
        store_route_clear(c);
    c->route_data_version = v;
}

int store_route_map_get(struct store_conn *c, const char *account, const char *zone,
                        int64_t *device_id, int64_t *area_id, char *type, size_t typesz)
{
    if (!c->route || !key_ok(account) || !key_ok(zone))
        return 1;
    struct route_slot *s = &c->route->map[slot_of(account, zone, "")];
    if (s->gen != c->route_gen || strcmp(s->account, account) || strcmp(s->zone, zone))
        return 1;
    if (!s->found)
        return -ENOENT;
    *device_id = s->a;
    *area_id = s->b;
    snprintf(type, typesz, "%s", s->mtype);
    return 0;
}

void store_route_map_put(struct store_conn *c, const char *account, const char *zone, int rc,
                         int64_t device_id, int64_t area_id, const char *type)
{
    if (!c->route || (rc && rc != -ENOENT) || !key_ok(account) || !key_ok(zone) || !key_ok(type))
        return;
    struct route_slot *s = &c->route->map[slot_of(account, zone, "")];
    s->gen = c->route_gen;
    memcpy(s->account, account, strlen(account) + 1);
    memcpy(s->zone, zone, strlen(zone) + 1);
    memcpy(s->mtype, type, strlen(type) + 1);
    s->found = rc == 0;
    s->a = device_id;
    s->b = area_id;
}

int store_route_inc_get(struct store_conn *c, const char *account, const char *zone,
                        const char *type, int64_t *id)
{
    if (!c->route || !key_ok(account) || !key_ok(zone) || !key_ok(type))
        return 1;
    struct route_slot *s = &c->route->inc[slot_of(account, zone, type)];
    if (s->gen != c->route_gen || strcmp(s->account, account) || strcmp(s->zone, zone) ||
        strcmp(s->type, type))
        return 1;
    *id = s->a;
    return 0;
}

void store_route_inc_put(struct store_conn *c, const char *account, const char *zone,
                         const char *type, int64_t id)
{
    if (!c->route || !key_ok(account) || !key_ok(zone) || !key_ok(type))
        return;
    struct route_slot *s = &c->route->inc[slot_of(account, zone, type)];
    s->gen = c->route_gen;
    memcpy(s->account, account, strlen(account) + 1);
    memcpy(s->zone, zone, strlen(zone) + 1);
    memcpy(s->type, type, strlen(type) + 1);
    s->a = id;
}
