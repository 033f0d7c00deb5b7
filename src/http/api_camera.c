/* api_camera.c - camera health: configuration, state, last snapshot, check now. */
#include "app/camera.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

API_HANDLER(api_camera_list)
{
    struct app_err err = {0};
    struct page pg;
    const char *p = v_query(req, "problems");
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc && p && strcmp(p, "0") != 0 && strcmp(p, "1") != 0)
        rc = app_invalid(&err, "problems", "must be 0 or 1");
    if (!rc)
        rc = app_camera_list(req->app, p && strcmp(p, "1") == 0, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_camera_get)
{
    json_t *out = NULL;
    int rc = app_camera_get(req->app, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field camera_spec[] = {
    {"url", V_STR, 1, 1000},     {"auth", V_STR, 0, 8},
    {"username", V_STR, 0, 120}, {"password", V_STR, 0, 120},
    {"interval_s", V_INT, 0, 0}, {"timeout_ms", V_INT, 0, 0},
    {"persist", V_INT, 0, 0},    {"enabled", V_BOOL, 0, 0},
    {"thresholds", V_OBJ, 0, 0}, {NULL, 0, 0, 0},
};

API_HANDLER(api_camera_put)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, camera_spec, &err);
    if (!rc)
        rc = app_camera_configure(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_camera_delete)
{
    int rc = app_camera_unconfigure(req->app, &req->who, req->id);
    if (rc) {
        http_resp_error(resp, req, rc, NULL);
        return;
    }
    resp->status = 204;
}

API_HANDLER(api_camera_check)
{
    int rc = app_camera_check_now(req->app, &req->who, req->id);
    if (rc) {
        http_resp_error(resp, req, rc, NULL);
        return;
    }
    http_resp_json(resp, 202, json_pack("{sI ss}", "id", (json_int_t)req->id, "check", "queued"));
}

API_HANDLER(api_camera_snapshot)
{
    uint8_t *jpeg = NULL;
    size_t len = 0;
    int rc = app_camera_thumb(req->app, req->id, &jpeg, &len);
    if (rc) {
        http_resp_error(resp, req, rc, NULL);
        return;
    }
    resp->status = 200;
    resp->body = (char *)jpeg;
    resp->len = len;
    resp->content_type = "image/jpeg";
}
