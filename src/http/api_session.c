/* api_session.c - health, metrics, sign-in/out, /me and the event stream. */
#include "app/auth.h"
#include "core/xmalloc.h"
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

API_HANDLER(api_healthz)
{
    struct store_stats st;
    store_stats_get(req->app->st, &st);
    http_resp_json(resp, st.healthy ? 200 : 503,
                   json_pack("{ss ss ss}", "status", st.healthy ? "ok" : "degraded", "store",
                             st.healthy ? "ok" : "commit-failing", "version", VIGIL_VERSION));
}

API_HANDLER(api_metrics)
{
    char *base =
        http_metrics_render(http_server_metrics(req->srv), req->app, http_server_hub(req->srv));
    struct buf b;
    buf_init(&b, 4 << 20);
    buf_append_str(&b, base);
    free(base);
    http_server_metrics_extra(req->srv, &b);
    resp->status = 200;
    resp->len = b.len;
    resp->body = buf_take(&b);
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

static const struct v_field login_spec[] = {
    {"username", V_STR, 1, 64},
    {"password", V_STR, 1, 1024},
    {NULL, 0, 0, 0},
};

API_HANDLER(api_session_create)
{
    struct app_err err = {0};
    int rc = v_object(req->body, login_spec, &err);
    char token[AUTH_TOKEN_MAX] = "";
    json_t *user = NULL;
    if (!rc)
        rc = app_login(req->app, json_string_value(json_object_get(req->body, "username")),
                       json_string_value(json_object_get(req->body, "password")), token, &user,
                       &err);
    if (rc) {
        http_resp_error(resp, req, rc, &err);
        return;
    }
    long life = req->app->conf->session_max_lifetime;
    resp->set_cookie = xasprintf("vigil_session=%s; Path=/; HttpOnly; SameSite=Strict; "
                                 "Max-Age=%ld",
                                 token, life);
    http_resp_json(
        resp, 200,
        json_pack("{ss sI so}", "token", token, "expires_in", (json_int_t)life, "user", user));
    memset(token, 0, sizeof token);
}

API_HANDLER(api_session_delete)
{
    int rc = app_logout(req->app, &req->who, req->token);
    if (rc) {
        http_resp_error(resp, req, rc, NULL);
        return;
    }
    resp->status = 204;
    resp->set_cookie = xstrdup("vigil_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

API_HANDLER(api_me)
{
    json_t *out = NULL;
    int rc = app_me(req->app, &req->who, &out);
    if (rc)
        http_resp_error(resp, req, rc, NULL);
    else
        http_resp_json(resp, 200, out);
}

API_HANDLER(api_stream)
{
    http_sse_open(req, resp);
}
