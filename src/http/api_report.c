/* api_report.c - reports for superiors (R3.4.9): computed on demand or read from the archive,
 * as JSON (the canonical form), CSV or a printable HTML page. */
#include "app/report.h"
#include "app/report_render.h"
#include "http/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const formats[] = {"json", "csv", "html", NULL};
static const char *const langs[] = {"zh-CN", "en", NULL};

struct render_opts {
    const char *format;
    int en;
};

static int render_opts(struct http_req *req, struct render_opts *o, struct app_err *err)
{
    const char *lang = NULL;
    int rc = v_query_enum(req, "format", formats, &o->format, err);
    if (!rc)
        rc = v_query_enum(req, "lang", langs, &lang, err);
    if (!o->format)
        o->format = "json";
    o->en = lang ? strcmp(lang, "en") == 0 : req->lang == LANG_EN;
    return rc;
}

/* Renders rep (stolen) in the asked format. */
static void send_report(struct http_req *req, struct http_resp *resp, const struct render_opts *o,
                        json_t *rep)
{
    if (strcmp(o->format, "json") == 0) {
        http_resp_json(resp, 200, rep);
        return;
    }
    char *text = NULL;
    int csv = strcmp(o->format, "csv") == 0;
    int rc = csv ? report_render_csv(rep, o->en, &text) : report_render_html(rep, o->en, &text);
    json_decref(rep);
    if (rc) {
        http_resp_error(resp, req, -EIO, NULL);
        return;
    }
    resp->status = 200;
    resp->body = text;
    resp->len = strlen(text);
    resp->content_type = csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8";
    if (csv)
        resp->disposition = "attachment; filename=\"vigil-report.csv\"";
}

API_HANDLER(api_report_get)
{
    struct app_err err = {0};
    struct render_opts o;
    const char *kind = NULL, *date = v_query(req, "date");
    json_t *rep = NULL;
    int rc = render_opts(req, &o, &err);
    if (!rc)
        rc = v_query_enum(req, "kind", report_kinds, &kind, &err);
    if (!rc)
        rc = app_report_build(req->app, kind ? kind : "daily", date, &rep, &err);
    if (rc == -EINVAL)
        rc = -EDOM; /* every input here is a query parameter */
    if (rc) {
        http_resp_error(resp, req, rc, &err);
        return;
    }
    send_report(req, resp, &o, rep);
}

API_HANDLER(api_report_archive_list)
{
    struct app_err err = {0};
    struct page pg;
    const char *kind = NULL;
    json_t *out = NULL;
    int rc = v_page(req, &pg, &err);
    if (!rc)
        rc = v_query_enum(req, "kind", report_kinds, &kind, &err);
    if (!rc)
        rc = app_report_archive_list(req->app, kind, &pg, &out);
    http_resp_result(resp, req, rc, 200, out, &err);
}

API_HANDLER(api_report_archive_get)
{
    struct app_err err = {0};
    struct render_opts o;
    json_t *rep = NULL;
    int rc = render_opts(req, &o, &err);
    if (!rc)
        rc = app_report_archive_get(req->app, req->id, &rep);
    if (rc) {
        http_resp_error(resp, req, rc, &err);
        return;
    }
    send_report(req, resp, &o, rep);
}
