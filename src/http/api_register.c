/* api_register.c - the control-room entry register and the alarm-line log. */
#include "app/register.h"
#include "http/api.h"

#include <string.h>

static int flag(struct http_req *req, const char *key)
{
    const char *v = v_query(req, key);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static const struct v_field entry_spec[] = {
    {"name", V_STR, 1, 64},
    {"organisation", V_STR, 0, 100},
    {"purpose", V_STR, 1, 500},
    {"authorised_by", V_STR, 1, 32},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_room_entry_add)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, entry_spec, &err);
    if (!rc)
        rc = app_room_entry_add(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_room_entry_out)
{
    json_t *out = NULL;
    int rc = app_room_entry_out(req->app, &req->who, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_room_entry_list)
{
    struct app_err err = {0};
    struct page pg;
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = app_room_entry_list(req->app, flag(req, "open"), &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field line_spec[] = {
    {"line", V_STR, 1, 16},       {"direction", V_STR, 1, 8},
    {"caller", V_STR, 1, 64},     {"number", V_STR, 1, 32},
    {"reason", V_STR, 1, 500},    {"emergency", V_BOOL, 1, 0},
    {"incident_id", V_INT, 0, 0}, {NULL, 0, 0, 0},
};

API_HANDLER(api_line_use_add)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, line_spec, &err);
    if (!rc)
        rc = app_line_use_add(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

static const struct v_field review_spec[] = {
    {"note", V_STR, 0, 500},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_line_use_review)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, review_spec, &err);
    if (!rc)
        rc = app_line_use_review(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_line_use_list)
{
    struct app_err err = {0};
    struct page pg;
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = app_line_use_list(req->app, flag(req, "flagged"), &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}
