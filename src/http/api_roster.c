/* api_roster.c - roster, coverage, training and attendance. */
#include "app/roster.h"
#include "core/clock.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

/* Required ?from=&to= (ISO-8601 UTC). */
static int period(struct http_req *req, int64_t *from, int64_t *to, struct app_err *err)
{
    const char *f = v_query(req, "from"), *t = v_query(req, "to");
    if (!f || !t || clock_parse_iso(f, from) || clock_parse_iso(t, to) || *to <= *from) {
        app_invalid(err, "from", "give from and to as ISO-8601 UTC times, from before to");
        return -EDOM;
    }
    return 0;
}

API_HANDLER(api_roster_list)
{
    struct app_err err = {0};
    int64_t from, to;
    json_t *out = NULL;
    int rc = period(req, &from, &to, &err);
    if (!rc)
        rc = app_roster_list(req->app, from, to, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field slot_spec[] = {
    {"username", V_STR, 1, 32}, {"start", V_STR, 1, 32}, {"end", V_STR, 1, 32},
    {"note", V_STR, 0, 200},    {NULL, 0, 0, 0},
};

API_HANDLER(api_roster_add)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, slot_spec, &err);
    if (!rc)
        rc = app_slot_add(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_roster_delete)
{
    int rc = app_slot_delete(req->app, &req->who, req->id);
    if (rc)
        http_resp_error(resp, req, rc, NULL);
    else
        resp->status = 204;
}

API_HANDLER(api_coverage)
{
    struct app_err err = {0};
    int64_t from, to;
    json_t *out = NULL;
    int rc = period(req, &from, &to, &err);
    if (!rc)
        rc = app_coverage(req->app, from, to, &out);
    if (rc == -EDOM && !err.field[0])
        app_invalid(&err, "to", "a period of at most 62 days");
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field training_spec[] = {
    {"username", V_STR, 1, 32},    {"course", V_STR, 1, 32}, {"attended_at", V_STR, 1, 32},
    {"valid_months", V_INT, 1, 0}, {"area_id", V_INT, 0, 0}, {NULL, 0, 0, 0},
};

API_HANDLER(api_training_add)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, training_spec, &err);
    if (!rc)
        rc = app_training_add(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

/* ?username=&area_id= (an area's id, or "site" for the whole-site records). */
API_HANDLER(api_training_list)
{
    struct app_err err = {0};
    json_t *out = NULL;
    const char *u = v_query(req, "username"), *area = v_query(req, "area_id");
    int64_t area_id = 0;
    int rc = area && strcmp(area, "site") == 0 ? (area_id = -1, 0)
                                               : v_query_id(req, "area_id", &area_id, &err);
    if (!rc)
        rc = app_training_list(req->app, u && *u ? u : NULL, area_id, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_clock_in)
{
    json_t *out = NULL;
    int rc = app_clock(req->app, &req->who, 1, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_clock_out)
{
    json_t *out = NULL;
    int rc = app_clock(req->app, &req->who, 0, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_attendance)
{
    struct app_err err = {0};
    int64_t from, to;
    json_t *out = NULL;
    int rc = period(req, &from, &to, &err);
    if (!rc)
        rc = app_attendance_report(req->app, from, to, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}
