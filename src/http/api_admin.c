/* api_admin.c - users and the audit trail. */
#include "app/audit.h"
#include "app/auth.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

API_HANDLER(api_user_list)
{
    struct app_err err = {0};
    struct page pg;
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = app_user_list(req->app, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field user_spec[] = {
    {"username", V_STR, 1, 32},
    {"display_name", V_STR, 1, 64},
    {"role", V_STR, 1, 24},
    {"password", V_STR, 1, 128},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_user_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, user_spec, &err);
    if (!rc)
        rc = app_user_create(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

static const struct v_field user_patch_spec[] = {
    {"display_name", V_STR, 0, 64},
    {"role", V_STR, 0, 24},
    {"disabled", V_BOOL, 0, 0},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_user_patch)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, user_patch_spec, &err);
    if (!rc)
        rc = app_user_update(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_audit_list)
{
    struct app_err err = {0};
    struct page pg;
    json_t *out = NULL;
    const char *action = v_query(req, "action"), *actor = v_query(req, "actor");
    int rc = v_page(req, &pg, &err);
    if (!rc && ((action && strlen(action) > 64) || (actor && strlen(actor) > 72))) {
        app_invalid(&err, action && strlen(action) > 64 ? "action" : "actor", "too long");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_audit_list(req->app, action, actor, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_audit_verify)
{
    json_t *out = NULL;
    int rc = app_audit_verify(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}
