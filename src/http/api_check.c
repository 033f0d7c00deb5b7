/* api_check.c - check-sheet templates, filled records, tasks due and the calendar. */
#include "app/checks.h"
#include "core/clock.h"
#include "http/api.h"

#include <errno.h>
#include <string.h>

API_HANDLER(api_check_template_list)
{
    json_t *out = NULL;
    int rc = app_check_template_list(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_check_template_get)
{
    json_t *out = NULL;
    int rc = app_check_template_get(req->app, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_check_template_put)
{
    struct app_err err = {0};
    json_t *out = NULL;
    static const char *const keys[] = {"name", "items", "clause", "due_days"};
    const char *key;
    json_t *v;
    int rc = 0;
    json_object_foreach (req->body, key, v) {
        int known = 0;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            known |= strcmp(key, keys[i]) == 0;
        if (!known && !rc)
            rc = app_invalid(&err, key, "unknown field");
    }
    if (!rc)
        rc = app_check_template_update(req->app, &req->who, req->id, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

static const struct v_field fill_spec[] = {
    {"template_id", V_INT, 1, 0}, {"answers", V_OBJ, 1, 0}, {"note", V_STR, 0, 2000},
    {"period_at", V_STR, 0, 32},  {NULL, 0, 0, 0},
};

API_HANDLER(api_check_fill)
{
    struct app_err err = {0};
    json_t *out = NULL;
    int rc = v_object(req->body, fill_spec, &err);
    if (!rc)
        rc = app_check_fill(req->app, &req->who, req->body, &out, &err);
    http_resp_result(resp, req, rc, 201, out, &err);
}

API_HANDLER(api_check_record_get)
{
    json_t *out = NULL;
    int rc = app_check_record_get(req->app, req->id, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

/* ?from=&to= as ISO UTC times (absent: 0). */
static int range(struct http_req *req, int64_t *from, int64_t *to, struct app_err *err)
{
    const char *f = v_query(req, "from"), *t = v_query(req, "to");
    *from = *to = 0;
    if (f && clock_parse_iso(f, from)) {
        app_invalid(err, "from", "must be an ISO-8601 UTC time");
        return -EDOM;
    }
    if (t && clock_parse_iso(t, to)) {
        app_invalid(err, "to", "must be an ISO-8601 UTC time");
        return -EDOM;
    }
    return 0;
}

API_HANDLER(api_check_record_list)
{
    struct app_err err = {0};
    struct page pg;
    int64_t from, to;
    const char *code = v_query(req, "code");
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = range(req, &from, &to, &err);
    if (!rc && code && strlen(code) > 64) {
        app_invalid(&err, "code", "longer than 64 bytes");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_check_record_list(req->app, code, from, to, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_check_due)
{
    json_t *out = NULL;
    int rc = app_check_due(req->app, &out);
    http_resp_result(resp, req, rc, 200, out, NULL);
}

API_HANDLER(api_check_calendar)
{
    struct app_err err = {0};
    int64_t from, to;
    json_t *out = NULL;
    int rc = range(req, &from, &to, &err);
    if (!rc && (!from || !to)) {
        app_invalid(&err, "from", "from and to are required");
        rc = -EDOM;
    }
    if (!rc)
        rc = app_check_calendar(req->app, from, to, &out, &err);
    if (rc == -EINVAL)
        rc = -EDOM;
    http_resp_result(resp, req, rc, 200, out, &err);
}
