/* api_complaint.c - complaints and inquiries, with feedback and return visits. */
#include "app/complaint.h"
#include "core/clock.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

static const struct v_field create_spec[] = {
    {"channel", V_STR, 1, 16},       {"unit", V_STR, 1, 32},
    {"contact_name", V_STR, 1, 64},  {"contact_phone", V_STR, 0, 20},
    {"resident_id", V_INT, 0, 0},    {"category", V_STR, 1, 16},
    {"description", V_STR, 1, 4000}, {"urgency", V_STR, 0, 8},
    {"assignee", V_STR, 0, 32},      {NULL, 0, 0, 0},
};

API_HANDLER(api_complaint_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, create_spec, &err);
    if (!rc)
        rc = app_complaint_create(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_complaint_list)
{
    struct app_err err = {0};
    struct page pg;
    const char *state = NULL, *cat = NULL, *od = v_query(req, "overdue");
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = v_query_enum(req, "state", complaint_states, &state, &err);
    if (!rc)
        rc = v_query_enum(req, "category", complaint_categories, &cat, &err);
    if (!rc)
        rc = app_complaint_list(req->app, state, cat, od && strcmp(od, "1") == 0, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_complaint_get)
{
    const char *rv = v_query(req, "reveal");
    json_t *out = NULL;
    int rc = app_complaint_get(req->app, &req->who, req->id, rv && strcmp(rv, "1") == 0, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field assign_spec[] = {{"assignee", V_STR, 1, 32}, {NULL, 0, 0, 0}};
static const struct v_field resolve_spec[] = {{"result", V_STR, 1, 2000}, {NULL, 0, 0, 0}};
static const struct v_field visit_spec[] = {
    {"satisfaction", V_INT, 1, 0},
    {"note", V_STR, 0, 2000},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_complaint_assign)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, assign_spec, &err);
    if (!rc)
        rc = app_complaint_assign(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_complaint_resolve)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, resolve_spec, &err);
    if (!rc)
        rc = app_complaint_resolve(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_complaint_return_visit)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, visit_spec, &err);
    if (!rc)
        rc = app_complaint_return_visit(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_complaint_stats)
{
    struct app_err err = {0};
    int64_t from = 0, to = 0;
    const char *f = v_query(req, "from"), *t = v_query(req, "to");
    json_t *out = NULL;
    int rc = 0;
    if ((f && clock_parse_iso(f, &from)) || (t && clock_parse_iso(t, &to))) {
        app_invalid(&err, "from", "from and to must be ISO-8601 UTC times");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_complaint_stats(req->app, from, to, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}
