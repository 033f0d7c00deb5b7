/* api_handover.c - shift handover with both signatures. */
#include "app/handover.h"
#include "http/api.h"

#include <string.h>

static const struct v_field start_spec[] = {
    {"password", V_STR, 1, 1024},
    {"controls_auto", V_BOOL, 1, 0},
    {"note", V_STR, 0, 4000},
    {NULL, 0, 0, 0},
};
static const struct v_field sign_spec[] = {
    {"password", V_STR, 1, 1024}, {"override_reason", V_STR, 0, 500}, {NULL, 0, 0, 0}};
static const struct v_field force_spec[] = {
    {"reason", V_STR, 1, 500}, {"override_reason", V_STR, 0, 500}, {NULL, 0, 0, 0}};

API_HANDLER(api_handover_start)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, start_spec, &err);
    if (!rc)
        rc = app_handover_start(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_handover_sign)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, sign_spec, &err);
    if (!rc)
        rc = app_handover_sign(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_handover_force)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, force_spec, &err);
    if (!rc)
        rc = app_handover_force(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_handover_get)
{
    json_t *out = NULL;
    int rc = app_handover_get(req->app, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_handover_list)
{
    struct app_err err = {0};
    struct page pg;
    json_t *out = NULL;
    const char *p = v_query(req, "pending");
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = app_handover_list(req->app, p && strcmp(p, "1") == 0, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_handover_preview)
{
    json_t *out = NULL;
    int rc = app_handover_preview(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}
