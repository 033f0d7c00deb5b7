/* api_site.c - site, areas, devices, contacts and residents. */
#include "app/site.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

API_HANDLER(api_site_get)
{
    json_t *out = NULL;
    int rc = app_site_get(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_area_list)
{
    struct app_err err = {0};
    struct page pg;
    struct area_filter f = {0};
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = v_query_enum(req, "kind", area_kinds, &f.kind, &err);
    if (!rc)
        rc = v_query_id(req, "parent_id", &f.parent_id, &err);
    if (!rc)
        rc = app_area_list(req->app, &f, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field area_spec[] = {
    {"kind", V_STR, 1, 32},        {"name", V_STR, 1, 200},
    {"parent_id", V_INT, 0, 0},    {"code", V_STR, 0, 64},
    {"building", V_STR, 0, 64},    {"floor", V_INT, 0, 0},
    {"elevator_no", V_STR, 0, 32}, {NULL, 0, 0, 0},
};

API_HANDLER(api_area_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, area_spec, &err);
    if (!rc)
        rc = app_area_create(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_device_list)
{
    struct app_err err = {0};
    struct page pg;
    struct device_filter f = {0};
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = v_query_id(req, "area_id", &f.area_id, &err);
    if (!rc)
        rc = v_query_enum(req, "kind", device_kinds, &f.kind, &err);
    if (!rc)
        rc = v_query_enum(req, "status", device_statuses, &f.status, &err);
    if (!rc)
        rc = app_device_list(req->app, &f, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field device_spec[] = {
    {"area_id", V_INT, 1, 0}, {"kind", V_STR, 1, 32},     {"name", V_STR, 1, 200},
    {"code", V_STR, 0, 64},   {"address", V_STR, 0, 128}, {"status", V_STR, 0, 32},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_device_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, device_spec, &err);
    if (!rc)
        rc = app_device_create(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

static const struct v_field device_patch_spec[] = {
    {"status", V_STR, 1, 32},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_device_patch)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, device_patch_spec, &err);
    if (!rc)
        rc = app_device_set_status(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_contact_list)
{
    struct app_err err = {0};
    struct page pg;
    const char *scope = NULL;
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = v_query_enum(req, "scope", contact_scopes, &scope, &err);
    if (!rc)
        rc = app_contact_list(req->app, scope, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field contact_spec[] = {
    {"scope", V_STR, 1, 16}, {"role", V_STR, 1, 32},  {"name", V_STR, 1, 100},
    {"phone", V_STR, 1, 20}, {"note", V_STR, 0, 500}, {NULL, 0, 0, 0},
};

API_HANDLER(api_contact_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, contact_spec, &err);
    if (!rc)
        rc = app_contact_create(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_resident_list)
{
    struct app_err err = {0};
    struct page pg;
    json_t *out = NULL;
    const char *q = v_query(req, "q");
    int rc = v_page(req, &pg, &err);
    if (!rc && q && strlen(q) > 64) {
        app_invalid(&err, "q", "longer than 64 bytes");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_resident_list(req->app, q && *q ? q : NULL, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_resident_get)
{
    const char *rv = v_query(req, "reveal");
    int reveal = rv && (strcmp(rv, "1") == 0 || strcmp(rv, "true") == 0);
    json_t *out = NULL;
    int rc = app_resident_get(req->app, &req->who, req->id, reveal, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field resident_spec[] = {
    {"unit", V_STR, 1, 32},   {"name", V_STR, 1, 64},  {"phone", V_STR, 1, 20},
    {"phone2", V_STR, 0, 20}, {"note", V_STR, 0, 500}, {NULL, 0, 0, 0},
};

API_HANDLER(api_resident_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, resident_spec, &err);
    if (!rc)
        rc = app_resident_create(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}
