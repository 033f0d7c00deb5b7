/* api_retention.c - the retention policy, runs and legal holds (R4.1-R4.7, S5). */
#include "app/retention.h"
#include "http/api.h"

#include <string.h>

API_HANDLER(api_retention_get)
{
    json_t *out = NULL;
    int rc = app_retention_status(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field run_spec[] = {
    {"dry_run", V_BOOL, 0, 0},
    {"as_of", V_STR, 0, 10},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_retention_run)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, run_spec, &err);
    struct retention_opts o = {
        .as_of = json_string_value(json_object_get(req->body, "as_of")),
        .dry_run = json_is_true(json_object_get(req->body, "dry_run")),
    };
    if (!rc)
        rc = app_retention_run(req->app, &req->who, &o, &out, &err);
    if (rc && out) /* a run that failed part-way is recorded; the answer is the error */
        json_decref(out);
    http_resp_result(resp, req, rc, 200, rc ? NULL : out, &err);
}

API_HANDLER(api_retention_hold_list)
{
    struct app_err err = {0};
    struct page pg;
    const char *all = v_query(req, "all");
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = app_retention_hold_list(req->app, !(all && strcmp(all, "1") == 0), &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field hold_spec[] = {
    {"record_type", V_STR, 1, 32},
    {"record_id", V_INT, 1, 0},
    {"reason", V_STR, 1, 500},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_retention_hold_place)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, hold_spec, &err);
    if (!rc)
        rc = app_retention_hold_place(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_retention_hold_release)
{
    json_t *out = NULL;
    int rc = app_retention_hold_release(req->app, &req->who, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}
