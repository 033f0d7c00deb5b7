/* api_ticket.c - fault tickets and device downtime. */
#include "app/ticket.h"
#include "core/clock.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

static const struct v_field create_spec[] = {
    {"device_id", V_INT, 0, 0},
    {"kind", V_STR, 0, 16},
    {"title", V_STR, 1, 200},
    {"detail", V_STR, 0, 4000},
    {"priority", V_STR, 0, 8},
    {"incident_id", V_INT, 0, 0},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_ticket_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int created = 0;
    int rc = v_object(req->body, create_spec, &err);
    if (!rc)
        rc = app_ticket_create(req->app, &req->who, req->body, &out, &created, &err);
    /* 200 with the ticket already open for this device and kind. */
    http_resp_result(resp, req, rc, created ? 201 : 200, out, &err);
}

static const char *const state_filters[] = {"reported", "assigned", "repaired", "verified",
                                            "closed",   "open",     NULL};

API_HANDLER(api_ticket_list)
{
    struct app_err err = {0};
    struct page pg;
    struct ticket_filter f = {.assignee = v_query(req, "assignee")};
    const char *od = v_query(req, "overdue");
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = v_query_enum(req, "state", state_filters, &f.state, &err);
    if (!rc)
        rc = v_query_enum(req, "kind", ticket_kinds, &f.kind, &err);
    if (!rc)
        rc = v_query_id(req, "device_id", &f.device_id, &err);
    if (!rc && f.assignee && strlen(f.assignee) > 64) {
        app_invalid(&err, "assignee", "longer than 64 bytes");
        rc = -EDOM;
    }
    f.overdue = od && strcmp(od, "1") == 0;
    if (!rc)
        rc = app_ticket_list(req->app, &f, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_ticket_get)
{
    json_t *out = NULL;
    int rc = app_ticket_get(req->app, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field assign_spec[] = {
    {"assignee_kind", V_STR, 1, 16},
    {"assignee", V_STR, 1, 64},
    {"company", V_STR, 0, 100},
    {"note", V_STR, 0, 2000},
    {NULL, 0, 0, 0},
};
static const struct v_field repair_spec[] = {
    {"result", V_STR, 1, 16}, {"note", V_STR, 1, 2000}, {NULL, 0, 0, 0}};
static const struct v_field note_opt_spec[] = {{"note", V_STR, 0, 2000}, {NULL, 0, 0, 0}};
static const struct v_field note_spec[] = {{"note", V_STR, 1, 2000}, {NULL, 0, 0, 0}};
static const struct v_field reject_spec[] = {{"reason", V_STR, 1, 2000}, {NULL, 0, 0, 0}};

static void act(struct http_req *req, struct http_resp *resp, const char *action,
                const struct v_field *spec)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, spec, &err);
    if (!rc)
        rc = app_ticket_act(req->app, &req->who, req->id, action, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_ticket_assign)
{
    act(req, resp, "assign", assign_spec);
}

API_HANDLER(api_ticket_repair)
{
    act(req, resp, "repair", repair_spec);
}

API_HANDLER(api_ticket_verify)
{
    act(req, resp, "verify", note_opt_spec);
}

API_HANDLER(api_ticket_reject)
{
    act(req, resp, "reject", reject_spec);
}

API_HANDLER(api_ticket_close)
{
    act(req, resp, "close", note_opt_spec);
}

API_HANDLER(api_ticket_note)
{
    act(req, resp, "note", note_spec);
}

API_HANDLER(api_device_downtime)
{
    struct app_err err = {0};
    int64_t from = 0, to = 0;
    const char *f = v_query(req, "from"), *t = v_query(req, "to");
    json_t *out = NULL;
    int rc = 0;
    if ((f && clock_parse_iso(f, &from)) || (t && clock_parse_iso(t, &to))) {
        app_invalid(&err, f && clock_parse_iso(f, &from) ? "from" : "to",
                    "from and to must be ISO-8601 UTC times");
        rc = -EDOM;
    } else if (to && to <= from) {
        app_invalid(&err, "to", "must be after from");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_device_downtime(req->app, req->id, from, to, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}
