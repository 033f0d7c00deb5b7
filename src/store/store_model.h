/* store_model.h - SQL for the community model: site, areas, devices, contacts, residents.
 * List functions return JSON rows (caller decrefs) and the unpaged total. */
#ifndef VIGIL_STORE_MODEL_H
#define VIGIL_STORE_MODEL_H

#include "store/store.h"

/* The site (id, name, address) with "counts". -ENOENT before the site is created. */
int store_site_get(struct store_conn *c, json_t **site);
/* The site (id, name, address) only. -ENOENT before the site is created. */
int store_site_brief(struct store_conn *c, json_t **site);
int store_site_insert(struct store_conn *c, const char *name, const char *address, const char *tz,
                      int64_t now, int64_t *id);
int store_site_id(struct store_conn *c, int64_t *id);

struct store_area {
    int64_t parent_id; /* 0 = none */
    const char *kind, *name, *code, *building, *elevator_no;
    int64_t floor; /* INT64_MIN = none */
};
int store_area_insert(struct store_conn *c, int64_t site_id, const struct store_area *a,
                      int64_t now, int64_t *id);
int store_area_get(struct store_conn *c, int64_t id, json_t **row);
int store_area_list(struct store_conn *c, const char *kind, int64_t parent_id, int64_t limit,
                    int64_t offset, json_t **rows, int64_t *total);

struct store_device {
    int64_t area_id;
    const char *kind, *name, *code, *address, *status;
};
int store_device_insert(struct store_conn *c, const struct store_device *d, int64_t now,
                        int64_t *id);
int store_device_get(struct store_conn *c, int64_t id, json_t **row);
/* area_id (0 = all) matches the area and every area below it. */
int store_device_list(struct store_conn *c, int64_t area_id, const char *kind, const char *status,
                      int64_t limit, int64_t offset, json_t **rows, int64_t *total);
int store_device_set_status(struct store_conn *c, int64_t id, const char *status, int64_t now);

int store_contact_insert(struct store_conn *c, int64_t site_id, const char *scope, const char *role,
                         const char *name, const char *phone, const char *note, int64_t now,
                         int64_t *id);
int store_contact_get(struct store_conn *c, int64_t id, json_t **row);
int store_contact_list(struct store_conn *c, const char *scope, int64_t limit, int64_t offset,
                       json_t **rows, int64_t *total);

int store_resident_insert(struct store_conn *c, int64_t site_id, const char *unit, const char *name,
                          const char *phone, const char *phone2, const char *note, int64_t now,
                          int64_t *id);
int store_resident_get(struct store_conn *c, int64_t id, json_t **row);
/* q matches unit prefix or name substring (NULL = all). */
int store_resident_list(struct store_conn *c, const char *q, int64_t limit, int64_t offset,
                        json_t **rows, int64_t *total);

#endif
