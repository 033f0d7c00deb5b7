/* api_alarm.c - alarms from integrations, the alarm list, incidents and mappings. */
#include "app/alarm.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

static const struct v_field alarm_spec[] = {
    {"account", V_STR, 1, 16}, {"code", V_STR, 1, 7},  {"zone", V_STR, 0, 7},
    {"type", V_STR, 0, 15},    {"kind", V_STR, 0, 12}, {"text", V_STR, 0, 127},
    {"seq", V_INT, 0, 0},      {NULL, 0, 0, 0},
};

API_HANDLER(api_alarm_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int dup = 0;
    int rc = v_object(req->body, alarm_spec, &err);
    if (!rc)
        rc = app_alarm_submit(req->app, &req->who, req->body, &out, &dup, &err);
    /* 201 once committed; a retransmission is answered 200 with the same ids. */
    http_resp_result(resp, req, rc, dup ? 200 : 201, out, &err);
}

API_HANDLER(api_alarm_list)
{
    struct app_err err = {0};
    struct page pg;
    int64_t incident = 0;
    json_t *out = NULL;
    const char *account = v_query(req, "account");
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = v_query_id(req, "incident_id", &incident, &err);
    if (!rc && account && strlen(account) > 16) {
        app_invalid(&err, "account", "longer than 16 bytes");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_alarm_list(req->app, account, incident, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const char *const states[] = {"new",      "acknowledged", "dispatched", "verified",
                                     "resolved", "reset",        "closed",     NULL};

API_HANDLER(api_incident_list)
{
    struct app_err err = {0};
    struct page pg;
    struct incident_filter f = {0};
    json_t *out = NULL;
    const char *open = v_query(req, "open");
    f.open = open && (strcmp(open, "1") == 0 || strcmp(open, "true") == 0);
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = v_query_enum(req, "state", states, &f.state, &err);
    if (!rc)
        rc = v_query_enum(req, "type", incident_types, &f.type, &err);
    if (!rc)
        rc = app_incident_list(req->app, &f, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_incident_get)
{
    json_t *out = NULL;
    int rc = app_incident_get(req->app, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field transition_spec[] = {
    {"to", V_STR, 1, 16},
    {"verdict", V_STR, 0, 8},
    {"note", V_STR, 0, 2000},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_incident_transition)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, transition_spec, &err);
    if (!rc)
        rc = app_incident_transition(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

static const struct v_field note_spec[] = {
    {"note", V_STR, 1, 2000},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_incident_note)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, note_spec, &err);
    if (!rc)
        rc = app_incident_note(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_alarm_map_list)
{
    json_t *out = NULL;
    int rc = app_alarm_map_list(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field map_spec[] = {
    {"account", V_STR, 1, 16}, {"zone", V_STR, 0, 7},  {"device_id", V_INT, 0, 0},
    {"area_id", V_INT, 0, 0},  {"type", V_STR, 0, 15}, {"note", V_STR, 0, 200},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_alarm_map_set)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, map_spec, &err);
    if (!rc)
        rc = app_alarm_map_set(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}
