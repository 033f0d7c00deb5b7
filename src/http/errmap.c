/* errmap.c - the only place that maps error codes to HTTP statuses and problem types, and
 * renders JSON responses. Titles come in zh-CN and en (Accept-Language). */
#include "core/log.h"
#include "core/xmalloc.h"
#include "http/http_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct problem {
    const char *slug;
    int status;
    const char *title[2]; /* [LANG_ZH], [LANG_EN] */
};

static const struct problem problems[] = {
    {"malformed-json", 400, {"请求体不是有效的 JSON", "The request body is not valid JSON"}},
    {"validation", 400, {"请求内容无效", "The request is invalid"}},
    {"bad-query", 400, {"查询参数无效", "A query parameter is invalid"}},
    {"bad-path", 400, {"请求路径无效", "The request path is invalid"}},
    {"unauthenticated", 401, {"请先登录", "Please sign in"}},
    {"invalid-credentials", 401, {"用户名或密码错误", "Wrong username or password"}},
    {"forbidden", 403, {"当前角色无权执行此操作", "Your role is not allowed to do this"}},
    {"not-found", 404, {"未找到", "Not found"}},
    {"method-not-allowed", 405, {"不支持该请求方法", "Method not allowed"}},
    {"conflict", 409, {"与现有记录冲突", "This conflicts with an existing record"}},
    {"payload-too-large", 413, {"请求体过大", "The request body is too large"}},
    {"unsupported-media-type",
     415,
     {"请求体必须是 application/json", "The request body must be application/json"}},
    {"locked-out",
     429,
     {"登录失败次数过多，请稍后再试", "Too many failed sign-ins; try again later"}},
    {"store-unavailable",
     503,
     {"数据存储暂时不可用，请稍后重试", "The data store is unavailable; try again shortly"}},
    {"shutting-down", 503, {"服务正在停止", "The service is shutting down"}},
    /* Refusals with their own type (app_refuse): the console keys on the type. */
    {"wrong-signature", 400, {"签名密码错误", "The signature (password) is wrong"}},
    {"same-signer",
     400,
     {"同一人不能同时签署交班和接班", "The same person cannot sign both sides of a handover"}},
    {"handover-pending", 409, {"已有一份交接班等待接班签名", "A handover is already pending"}},
    {"handover-closed", 409, {"该交接班已完成", "This handover is already completed"}},
    {"below-minimum",
     409,
     {"接班人员低于最低值班人数，需值班长批准", "The incoming shift is below the minimum staffing; "
                                                "a shift leader must override"}},
    {"override-not-allowed",
     403,
     {"只有值班长或主管可以批准低于最低人数接班",
      "Only a shift leader or supervisor may override the minimum staffing"}},
    {"override-not-needed",
     409,
     {"接班人员已达到最低人数，无需批准",
      "The incoming shift meets the minimum; no override needed"}},
    {"recording-overwritten",
     409,
     {"该时段录像已被覆盖（录像保存期已过）",
      "That footage has been overwritten (past the recorders' keeping period)"}},
    {"roster-overlap",
     409,
     {"排班与同一人的其他班次重叠", "The roster slot overlaps another slot of the same person"}},
    {"not-assignee",
     403,
     {"只有被指派的维修人员或主管可以登记维修",
      "Only the assignee or a supervisor may record the repair"}},
    {"same-person",
     409,
     {"登记维修的人不能验收同一维修", "The person who recorded the repair cannot verify it"}},
    {"internal", 500, {"内部错误", "Internal error"}},
};

static const struct problem *find_problem(const char *slug)
{
    for (size_t i = 0; i < sizeof problems / sizeof problems[0]; i++)
        if (strcmp(problems[i].slug, slug) == 0)
            return &problems[i];
    return &problems[sizeof problems / sizeof problems[0] - 1];
}

void http_resp_json(struct http_resp *r, int status, json_t *j)
{
    free(r->body);
    r->status = status;
    r->body = json_dumps(j, JSON_COMPACT);
    r->len = r->body ? strlen(r->body) : 0;
    r->content_type = "application/json";
    json_decref(j);
}

static json_t *problem_json(const struct problem *p, enum http_lang lang, const char *detail)
{
    char type[80];
    snprintf(type, sizeof type, "/problems/%s", p->slug);
    json_t *j = json_pack("{ss ss si}", "type", type, "title", p->title[lang], "status", p->status);
    if (detail && *detail)
        json_object_set_new(j, "detail", json_string(detail));
    return j;
}

void http_resp_problem(struct http_resp *r, enum http_lang lang, const char *slug,
                       const char *detail)
{
    const struct problem *p = find_problem(slug);
    http_resp_json(r, p->status, problem_json(p, lang, detail));
    r->content_type = "application/problem+json";
}

static const char *slug_for(int rc)
{
    switch (rc) {
    case -EINVAL:
        return "validation";
    case -EDOM:
        return "bad-query";
    case -ENOENT:
        return "not-found";
    case -EEXIST:
        return "conflict";
    case -EACCES:
        return "forbidden";
    case -EPERM:
        return "unauthenticated";
    case -EKEYREJECTED:
        return "invalid-credentials";
    case -EAGAIN:
        return "locked-out";
    case -EBUSY:
    case -EIO:
    case -ENOSPC:
        return "store-unavailable";
    case -ESHUTDOWN:
        return "shutting-down";
    default:
        return "internal";
    }
}

void http_resp_error(struct http_resp *r, const struct http_req *req, int rc,
                     const struct app_err *err)
{
    const struct problem *p = find_problem(err && err->type[0] ? err->type : slug_for(rc));
    if (p->status >= 500)
        log_error("http", "request_failed method=%s path=%s rc=%d err=\"%s\"", req->method,
                  req->path, rc, strerror(-rc));
    json_t *j = problem_json(p, req->lang, NULL);
    if (err && (err->field[0] || err->message[0])) {
        json_object_set_new(j, "detail", json_string(err->message));
        if (err->field[0])
            json_object_set_new(
                j, "errors", json_pack("[{ss ss}]", "field", err->field, "message", err->message));
    }
    if (err && err->extra_key[0])
        json_object_set_new(j, err->extra_key, json_string(err->extra_val));
    http_resp_json(r, p->status, j);
    r->content_type = "application/problem+json";
    if (rc == -EAGAIN && err)
        r->retry_after = err->retry_after > 0 ? err->retry_after : 1;
}

void http_resp_result(struct http_resp *r, const struct http_req *req, int rc, int status,
                      json_t *out, const struct app_err *err)
{
    if (rc) {
        json_decref(out);
        http_resp_error(r, req, rc, err);
    } else {
        http_resp_json(r, status, out);
    }
}
