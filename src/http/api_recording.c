/* api_recording.c - the recording access register (R3.4.3; app/recording.h). */
#include "app/recording.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

static const char *const states[] = {"requested", "approved",  "refused", "viewed", "lent",
                                     "returned",  "cancelled", "kept",    NULL};

API_HANDLER(api_recording_list)
{
    struct app_err err = {0};
    struct page pg;
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    const char *open = v_query(req, "open"), *state = v_query(req, "state");
    int known = 0;
    for (const char *const *s = states; state && *s; s++)
        known |= strcmp(state, *s) == 0;
    if (!rc && state && !known) {
        app_invalid(&err, "state",
                    "must be requested, approved, refused, viewed, lent, returned, cancelled or "
                    "kept");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_recording_list(req->app, open && (!strcmp(open, "1") || !strcmp(open, "true")),
                                state, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_recording_get)
{
    json_t *out = NULL;
    int rc = app_recording_get(req->app, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

static const struct v_field create_spec[] = {
    {"kind", V_STR, 1, 8},
    {"requester_name", V_STR, 1, 64},
    {"requester_org", V_STR, 0, 100},
    {"requester_id", V_STR, 0, 32},
    {"phone", V_STR, 0, 20},
    {"purpose", V_STR, 1, 500},
    {"area_id", V_INT, 0, 0},
    {"cameras", V_STR, 1, 200},
    {"from", V_STR, 1, 40},
    {"to", V_STR, 1, 40},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_recording_create)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, create_spec, &err);
    if (!rc)
        rc = app_recording_create(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

static const struct v_field decide_spec[] = {
    {"approve", V_BOOL, 1, 0}, {"note", V_STR, 0, 500}, {NULL, 0, 0, 0}};
static const struct v_field note_spec[] = {{"note", V_STR, 0, 500}, {NULL, 0, 0, 0}};
static const struct v_field lend_spec[] = {{"medium", V_STR, 1, 8},
                                           {"copy_ref", V_STR, 1, 64},
                                           {"due_back", V_STR, 1, 40},
                                           {"note", V_STR, 0, 500},
                                           {NULL, 0, 0, 0}};

static void step(struct http_req *req, struct http_resp *resp, const struct v_field *spec,
                 const char *name)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, spec, &err);
    if (!rc)
        rc = app_recording_step(req->app, &req->who, req->id, name, req->body, &out, &err);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_recording_decide)
{
    step(req, resp, decide_spec, "decide");
}

API_HANDLER(api_recording_view)
{
    step(req, resp, note_spec, "view");
}

API_HANDLER(api_recording_lend)
{
    step(req, resp, lend_spec, "lend");
}

API_HANDLER(api_recording_return)
{
    step(req, resp, note_spec, "return");
}

API_HANDLER(api_recording_keep)
{
    step(req, resp, note_spec, "keep");
}

API_HANDLER(api_recording_cancel)
{
    step(req, resp, note_spec, "cancel");
}

API_HANDLER(api_recording_contact)
{
    json_t *out = NULL;
    int rc = app_recording_contact(req->app, &req->who, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}
