/* store_model.c - SQL for the community model. Optional filters use "?N IS NULL OR col = ?N"
 * so every statement is a fixed, prepared string. */
#include "store/store_model.h"

#include "store/store_int.h"

#include <errno.h>
#include <stdint.h>

int store_site_id(struct store_conn *c, int64_t *id)
{
    return store_q_int(c, id, "SELECT id FROM site ORDER BY id LIMIT 1", "");
}

int store_site_brief(struct store_conn *c, json_t **site)
{
    return store_q_row(c, site, "SELECT id, name, address FROM site ORDER BY id LIMIT 1", "");
}

int store_site_get(struct store_conn *c, json_t **site)
{
    int rc = store_site_brief(c, site);
    if (rc)
        return rc;
    json_t *counts = NULL;
    rc = store_q_row(c, &counts,
                     "SELECT (SELECT count(*) FROM area) AS areas,"
                     " (SELECT count(*) FROM device) AS devices,"
                     " (SELECT count(*) FROM device WHERE status IN ('fault','offline'))"
                     "  AS devices_fault,"
                     " (SELECT count(*) FROM resident) AS residents,"
                     " (SELECT count(*) FROM user WHERE disabled = 0) AS users",
                     "");
    if (rc) {
        json_decref(*site);
        *site = NULL;
        return rc;
    }
    json_t *by_status = NULL;
    if (store_q_rows(c, &by_status,
                     "SELECT status, count(*) AS n FROM device GROUP BY status ORDER BY status",
                     "") == 0)
        json_object_set_new(counts, "devices_by_status", by_status);
    json_object_set_new(*site, "counts", counts);
    return 0;
}

int store_site_insert(struct store_conn *c, const char *name, const char *address, const char *tz,
                      int64_t now, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO site(name, address, timezone, created_at)"
                        " VALUES(?1, ?2, ?3, ?4)",
                        "sssi", name, address, tz, now);
}

#define AREA_COLS "SELECT id, parent_id, kind, name, code, building, floor, elevator_no FROM area "

int store_area_insert(struct store_conn *c, int64_t site_id, const struct store_area *a,
                      int64_t now, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO area(site_id, parent_id, kind, name, code, building, floor,"
                        " elevator_no, created_at) VALUES(?1, nullif(?2, 0), ?3, ?4, ?5, ?6,"
                        " nullif(?7, -9223372036854775808), ?8, ?9)",
                        "iissssisi", site_id, a->parent_id, a->kind, a->name, a->code, a->building,
                        a->floor, a->elevator_no, now);
}

int store_area_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, AREA_COLS "WHERE id = ?1", "i", id);
}

int store_area_list(struct store_conn *c, const char *kind, int64_t parent_id, int64_t limit,
                    int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM area WHERE (?1 IS NULL OR kind = ?1)"
                         " AND (?2 = 0 OR parent_id = ?2)",
                         "si", kind, parent_id);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        AREA_COLS "WHERE (?1 IS NULL OR kind = ?1) AND (?2 = 0 OR parent_id = ?2)"
                                  " ORDER BY id LIMIT ?3 OFFSET ?4",
                        "siii", kind, parent_id, limit, offset);
}

#define DEVICE_COLS                                                                                \
    "SELECT d.id, d.area_id, a.name AS area_name, d.kind, d.name, d.code, d.address, d.status,"    \
    " d.status_changed_at AS \"status_changed_at:time\" FROM device d JOIN area a"                 \
    " ON a.id = d.area_id "

/* The area ?1 and every area below it (a building's floors, lobby and elevators). */
#define SUBTREE                                                                                    \
    "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT a.id FROM area a JOIN sub"                  \
    " ON a.parent_id = sub.id) "

int store_device_insert(struct store_conn *c, const struct store_device *d, int64_t now,
                        int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO device(area_id, kind, name, code, address, status,"
                        " status_changed_at, created_at) VALUES(?1, ?2, ?3, ?4, ?5,"
                        " coalesce(?6, 'normal'), ?7, ?7)",
                        "isssssi", d->area_id, d->kind, d->name, d->code, d->address, d->status,
                        now);
}

int store_device_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, DEVICE_COLS "WHERE d.id = ?1", "i", id);
}

int store_device_list(struct store_conn *c, int64_t area_id, const char *kind, const char *status,
                      int64_t limit, int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         SUBTREE "SELECT count(*) FROM device WHERE (?1 = 0 OR area_id IN"
                                 " (SELECT id FROM sub)) AND (?2 IS NULL OR kind = ?2) AND"
                                 " (?3 IS NULL OR status = ?3)",
                         "iss", area_id, kind, status);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        SUBTREE DEVICE_COLS "WHERE (?1 = 0 OR d.area_id IN (SELECT id FROM sub))"
                                            " AND (?2 IS NULL OR d.kind = ?2) AND (?3 IS NULL OR"
                                            " d.status = ?3) ORDER BY d.id LIMIT ?4 OFFSET ?5",
                        "issii", area_id, kind, status, limit, offset);
}

int store_device_set_status(struct store_conn *c, int64_t id, const char *status, int64_t now)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE device SET status = ?2, status_changed_at = ?3 WHERE id = ?1",
                          "isi", id, status, now);
    if (rc)
        return rc;
    return changes ? 0 : -ENOENT;
}

#define CONTACT_COLS "SELECT id, scope, role, name, phone, note FROM contact "

int store_contact_insert(struct store_conn *c, int64_t site_id, const char *scope, const char *role,
                         const char *name, const char *phone, const char *note, int64_t now,
                         int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO contact(site_id, scope, role, name, phone, note, created_at)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "isssssi", site_id, scope, role, name, phone, note, now);
}

int store_contact_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, CONTACT_COLS "WHERE id = ?1", "i", id);
}

int store_contact_list(struct store_conn *c, const char *scope, int64_t limit, int64_t offset,
                       json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total, "SELECT count(*) FROM contact WHERE (?1 IS NULL OR scope = ?1)",
                         "s", scope);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        CONTACT_COLS "WHERE (?1 IS NULL OR scope = ?1) ORDER BY scope DESC, id"
                                     " LIMIT ?2 OFFSET ?3",
                        "sii", scope, limit, offset);
}

#define RESIDENT_COLS "SELECT id, unit, name, phone, phone2, note FROM resident "

int store_resident_insert(struct store_conn *c, int64_t site_id, const char *unit, const char *name,
                          const char *phone, const char *phone2, const char *note, int64_t now,
                          int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO resident(site_id, unit, name, phone, phone2, note,"
                        " created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "isssssi", site_id, unit, name, phone, phone2, note, now);
}

int store_resident_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, RESIDENT_COLS "WHERE id = ?1", "i", id);
}

int store_resident_list(struct store_conn *c, const char *q, int64_t limit, int64_t offset,
                        json_t **rows, int64_t *total)
{
    /* instr() rather than LIKE so '%' and '_' in the query are plain characters. */
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM resident WHERE ?1 IS NULL OR"
                         " substr(unit, 1, length(?1)) = ?1 OR instr(name, ?1) > 0",
                         "s", q);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        RESIDENT_COLS "WHERE ?1 IS NULL OR substr(unit, 1, length(?1)) = ?1 OR"
                                      " instr(name, ?1) > 0 ORDER BY unit, id LIMIT ?2 OFFSET ?3",
                        "sii", q, limit, offset);
}
