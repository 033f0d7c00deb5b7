/* api_duty.c - the duty log: list, add (and amend), export as CSV. */
#include "app/dutylog.h"
#include "app/site.h"
#include "core/clock.h"
#include "http/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ?from=&to= as ISO-8601 UTC times (the console sends the local day's bounds). */
static int period(struct http_req *req, int64_t *from, int64_t *to, struct app_err *err)
{
    const char *f = v_query(req, "from"), *t = v_query(req, "to");
    *from = 0;
    *to = 0;
    if ((f && clock_parse_iso(f, from)) || (t && clock_parse_iso(t, to))) {
        app_invalid(err, f && clock_parse_iso(f, from) ? "from" : "to",
                    "must be an ISO-8601 UTC time such as 2026-11-27T16:00:00Z");
        return -EDOM;
    }
    if (*to && *to <= *from) {
        app_invalid(err, "to", "must be after from");
        return -EDOM;
    }
    return 0;
}

API_HANDLER(api_duty_list)
{
    struct app_err err = {0};
    struct page pg;
    int64_t from, to;
    const char *cat = NULL;
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = period(req, &from, &to, &err);
    if (!rc)
        rc = v_query_enum(req, "category", duty_categories, &cat, &err);
    if (!rc)
        rc = app_duty_list(req->app, from, to, cat, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_duty_get)
{
    json_t *out = NULL;
    int rc = app_duty_get(req->app, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field duty_spec[] = {
    {"category", V_STR, 1, 16}, {"text", V_STR, 1, 4000},   {"incident_id", V_INT, 0, 0},
    {"device_id", V_INT, 0, 0}, {"amends_id", V_INT, 0, 0}, {NULL, 0, 0, 0},
};

API_HANDLER(api_duty_add)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, duty_spec, &err);
    if (!rc)
        rc = app_duty_add(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_duty_export)
{
    struct app_err err = {0};
    int64_t from, to;
    const char *cat = NULL;
    char *csv = NULL;
    int rc = period(req, &from, &to, &err);
    if (!rc)
        rc = v_query_enum(req, "category", duty_categories, &cat, &err);
    if (!rc)
        rc = app_duty_csv(req->app, from, to, cat, &csv);
    if (rc) {
        http_resp_error(resp, req, rc, &err);
        return;
    }
    resp->status = 200;
    resp->body = csv;
    resp->len = strlen(csv);
    resp->content_type = "text/csv; charset=utf-8";
    resp->disposition = "attachment; filename=\"duty-log.csv\"";
}
