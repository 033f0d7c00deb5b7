/* api_response.c - checklist steps, call logging and hand-offs to posts. */
#include "app/checklist.h"
#include "app/response.h"
#include "http/api.h"

#include <string.h>

static const struct v_field step_spec[] = {
    {"step", V_STR, 1, 64}, {"status", V_STR, 1, 16}, {"reason", V_STR, 0, 500},
    {"facts", V_OBJ, 0, 0}, {NULL, 0, 0, 0},
};

API_HANDLER(api_incident_step)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, step_spec, &err);
    if (!rc)
        rc = app_incident_step(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field call_spec[] = {
    {"contact_id", V_INT, 1, 0},
    {"note", V_STR, 0, 300},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_incident_call)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, call_spec, &err);
    if (!rc)
        rc = app_incident_call(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

static const struct v_field handoff_spec[] = {
    {"area_id", V_INT, 1, 0},
    {"incident_id", V_INT, 0, 0},
    {"text", V_STR, 1, 1000},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_handoff_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, handoff_spec, &err);
    if (!rc)
        rc = app_handoff_create(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_handoff_list)
{
    struct app_err err = {0};
    struct page pg;
    json_t *out = NULL;
    const char *open = v_query(req, "open");
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = app_handoff_list(req->app, open && strcmp(open, "1") == 0, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_handoff_take)
{
    json_t *out = NULL;
    int rc = app_handoff_take(req->app, &req->who, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field done_spec[] = {
    {"result", V_STR, 1, 1000},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_handoff_done)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, done_spec, &err);
    if (!rc)
        rc = app_handoff_done(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}
