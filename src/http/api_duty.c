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

/* ?from=&to=&category=&shift_start= (the start of a recorded shift, ISO-8601 UTC). */
static int filter(struct http_req *req, struct duty_filter *f, struct app_err *err)
{
    int rc = period(req, &f->from, &f->to, err);
    if (!rc)
        rc = v_query_enum(req, "category", duty_categories, &f->category, err);
    const char *s = v_query(req, "shift_start");
    f->shift_start = 0;
    if (!rc && s && (clock_parse_iso(s, &f->shift_start) || f->shift_start <= 0)) {
        app_invalid(err, "shift_start", "must be an ISO-8601 UTC time (a shift's start)");
        rc = -EDOM;
    }
    return rc;
}

API_HANDLER(api_duty_list)
{
    struct app_err err = {0};
    struct page pg;
    struct duty_filter f = {0};
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = filter(req, &f, &err);
    if (!rc)
        rc = app_duty_list(req->app, &f, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

/* ?from=&to= (both required, at most 62 days): the shifts of the period, for the per-shift
 * view. */
API_HANDLER(api_duty_shifts)
{
    struct app_err err = {0};
    int64_t from, to;
    json_t *out = NULL;
    int rc = period(req, &from, &to, &err);
    if (!rc && (!from || !to || to - from > 62LL * 86400000)) {
        app_invalid(&err, !from ? "from" : "to", "from and to are required, at most 62 days apart");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_duty_shifts(req->app, from, to, &out);
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
    struct duty_filter f = {0};
    char *csv = NULL;
    int rc = filter(req, &f, &err);
    if (!rc)
        rc = app_duty_csv(req->app, &f, &csv);
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
