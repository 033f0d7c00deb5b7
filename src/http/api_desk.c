/* api_desk.c - shift patterns and roster generation, running status, the handover override,
 * people lists, clock-in state and counts by state. */
#include "app/handover.h"
#include "app/runstatus.h"
#include "app/shift.h"
#include "core/clock.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

static void
body_call(struct http_req *req, struct http_resp *resp, const struct v_field *spec, int status,
          int (*fn)(struct app *, const struct actor *, json_t *, json_t **, struct app_err *))
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, spec, &err);
    if (!rc)
        rc = fn(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, status, out, &err);
}

API_HANDLER(api_pattern_list)
{
    json_t *out = NULL;
    int rc = app_pattern_list(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field pattern_spec[] = {
    {"name", V_STR, 1, 32},  {"first_start", V_STR, 1, 5},
    {"shifts", V_INT, 1, 0}, {"hours", V_INT, 1, 0},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_pattern_add)
{
    body_call(req, resp, pattern_spec, 201, app_pattern_add);
}

static const struct v_field site_pattern_spec[] = {
    {"pattern_id", V_INT, 1, 0},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_site_pattern_set)
{
    body_call(req, resp, site_pattern_spec, 200, app_site_pattern_set);
}

static const struct v_field generate_spec[] = {
    {"pattern_id", V_INT, 1, 0}, {"from", V_STR, 1, 10}, {"to", V_STR, 1, 10},
    {"teams", V_ARR, 1, 0},      {NULL, 0, 0, 0},
};

API_HANDLER(api_roster_generate)
{
    body_call(req, resp, generate_spec, 201, app_roster_generate);
}

static const struct v_field status_spec[] = {
    {"fire_controller", V_STR, 1, 16},
    {"linkage_auto", V_BOOL, 1, 0},
    {"power", V_STR, 1, 16},
    {"recording", V_BOOL, 1, 0},
    {"faults", V_STR, 0, 1000},
    {"note", V_STR, 0, 1000},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_runstatus_add)
{
    body_call(req, resp, status_spec, 201, app_runstatus_add);
}

API_HANDLER(api_runstatus_due)
{
    json_t *out = NULL;
    int rc = app_runstatus_due(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_runstatus_list)
{
    struct app_err err = {0};
    int64_t from = 0, to = 0;
    json_t *out = NULL;
    const char *f = v_query(req, "from"), *t = v_query(req, "to");
    int rc = 0;
    if (!f || !t || clock_parse_iso(f, &from) || clock_parse_iso(t, &to) || to <= from ||
        to - from > 366 * 86400000LL) {
        app_invalid(&err, "from", "give from and to as ISO-8601 UTC times, at most 366 days");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_runstatus_list(req->app, from, to, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field override_spec[] = {
    {"password", V_STR, 1, 1024}, {"reason", V_STR, 1, 500}, {NULL, 0, 0, 0}};

API_HANDLER(api_handover_override)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, override_spec, &err);
    if (!rc)
        rc = app_handover_override(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_people)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = app_people_list(req->app, v_query(req, "purpose"), &out);
    if (rc == -EDOM)
        app_invalid(&err, "purpose", "must be entry_authorisers or rosterable");
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_clock_state)
{
    json_t *out = NULL;
    int rc = app_clock_state(req->app, &req->who, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_complaint_counts)
{
    json_t *out = NULL;
    int rc = app_complaint_counts(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_incident_counts)
{
    json_t *out = NULL;
    int rc = app_incident_counts(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}
