/* site.h - the community model: site, areas, devices, contacts and residents (S5 masking).
 * Inputs are JSON objects already shape-checked by the caller (types and allowed fields);
 * values are checked here. Outputs are new JSON values the caller decrefs. */
#ifndef VIGIL_SITE_H
#define VIGIL_SITE_H

#include "app/app.h"

int app_site_get(struct app *a, json_t **out);

struct area_filter {
    const char *kind;
    int64_t parent_id;
};
int app_area_list(struct app *a, const struct area_filter *f, const struct page *pg, json_t **out);
int app_area_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                    struct app_err *err);

struct device_filter {
    int64_t area_id;
    const char *kind, *status;
};
int app_device_list(struct app *a, const struct device_filter *f, const struct page *pg,
                    json_t **out);
int app_device_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                      struct app_err *err);
int app_device_set_status(struct app *a, const struct actor *who, int64_t id, json_t *in,
                          json_t **out, struct app_err *err);

int app_contact_list(struct app *a, const char *scope, const struct page *pg, json_t **out);
int app_contact_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                       struct app_err *err);

/* Residents are personal data (S5): lists are always masked; app_resident_get unmasks only
 * when reveal is set, the actor holds resident.pii (else -EACCES), and then appends an audit
 * record of the read before returning the data. */
int app_resident_list(struct app *a, const char *q, const struct page *pg, json_t **out);
int app_resident_get(struct app *a, const struct actor *who, int64_t id, int reveal, json_t **out);
int app_resident_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                        struct app_err *err);

/* Masking helpers (exposed for tests): a new heap string, caller frees.
 * "13812341234" -> "138****1234"; "张三丰" -> "张**". */
char *mask_phone(const char *phone);
char *mask_name(const char *name);

/* Value lists shared with validators and docs. NULL-terminated. */
extern const char *const area_kinds[];
extern const char *const device_kinds[];
extern const char *const device_statuses[];
extern const char *const contact_scopes[];
extern const char *const contact_roles[];
/* 1 if s is one of list. */
int str_in(const char *s, const char *const *list);

#endif
