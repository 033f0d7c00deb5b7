/* sse.c - GET /api/v1/stream: Server-Sent Events from the hub, with Last-Event-ID replay and
 * heartbeats. The reader callback runs on the connection's own thread and may block. */
#include "app/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "http/http_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sse_client {
    struct hub *hub;
    struct app *app;
    char token[128];    /* re-checked every heartbeat: a disabled user's stream ends */
    perm_mask perms;    /* events needing a permission the client lacks are skipped */
    int64_t checked_ms; /* monotonic time of the last session check */
    uint64_t last;      /* id of the last event sent */
    int heartbeat_ms;
    struct buf out; /* frame(s) waiting to be written */
    size_t out_pos;
    int ended;
};

static void frame(struct sse_client *c, uint64_t id, const char *type, const char *json)
{
    buf_printf(&c->out, "id: %llu\nevent: %s\ndata: %s\n\n", (unsigned long long)id, type, json);
}

/* Event types that need more than stream.read: the permission that reads the same record
 * through the API (docs/security.md). A type not listed here is readable by every stream
 * client, so a new event type must be added here. */
static const struct {
    const char *type;
    enum perm perm;
} event_perms[] = {
    {"audit", PERM_AUDIT_READ},         {"user.changed", PERM_USER_READ},
    {"alarm", PERM_INCIDENT_READ},      {"incident", PERM_INCIDENT_READ},
    {"handoff", PERM_INCIDENT_READ},    {"duty", PERM_DUTY_READ},
    {"running_status", PERM_DUTY_READ}, {"handover", PERM_DUTY_READ},
    {"roster", PERM_DUTY_READ},         {"recording", PERM_RECORDING_READ},
    {"complaint", PERM_COMPLAINT_READ}, {"line_use.flagged", PERM_REGISTER_READ},
    {"ticket", PERM_TICKET_READ},       {"check", PERM_CHECK_READ},
    {"camera", PERM_SITE_READ},         {"device.status", PERM_SITE_READ},
};

/* An escalation is about an incident, a complaint or a ticket: it needs the permission that
 * reads its subject. */
static enum perm escalation_perm(const char *json)
{
    json_t *j = json ? json_loads(json, 0, NULL) : NULL;
    enum perm p = PERM_INCIDENT_READ;
    if (json_object_get(j, "complaint_id"))
        p = PERM_COMPLAINT_READ;
    else if (json_object_get(j, "ticket_id"))
        p = PERM_TICKET_READ;
    json_decref(j);
    return p;
}

static int may_see(const struct sse_client *c, const char *type, const char *json)
{
    if (strcmp(type, "escalation") == 0)
        return (c->perms & PERM_BIT(escalation_perm(json))) != 0;
    for (size_t i = 0; i < sizeof event_perms / sizeof event_perms[0]; i++)
        if (strcmp(event_perms[i].type, type) == 0)
            return (c->perms & PERM_BIT(event_perms[i].perm)) != 0;
    return 1;
}

/* 1 while the client's session or key is still valid (checked once per heartbeat). */
static int still_authorised(struct sse_client *c)
{
    int64_t now = clock_mono_ms();
    if (now - c->checked_ms < c->heartbeat_ms)
        return 1;
    struct actor who;
    c->checked_ms = now;
    if (app_authenticate(c->app, c->token, &who) != 0 || !(who.perms & PERM_BIT(PERM_STREAM_READ)))
        return 0;
    c->perms = who.perms;
    return 1;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *dst, size_t max)
{
    (void)pos;
    struct sse_client *c = cls;
    while (c->out_pos >= c->out.len) {
        buf_reset(&c->out);
        c->out_pos = 0;
        if (c->ended || !still_authorised(c))
            return MHD_CONTENT_READER_END_OF_STREAM;
        uint64_t id = 0;
        char *type = NULL, *json = NULL;
        int rc = hub_next(c->hub, c->last, c->heartbeat_ms, &id, &type, &json);
        if (rc == 0) {
            if (may_see(c, type, json))
                frame(c, id, type, json);
            c->last = id;
        } else if (rc == -ETIMEDOUT) {
            buf_append_str(&c->out, ": hb\n\n");
        } else if (rc == -ERANGE) {
            /* The client is further behind than the ring: say so, and go on from the oldest
             * event still held; the console reloads its lists on "reset". */
            char j[64];
            snprintf(j, sizeof j, "{\"resume_from\":%llu}", (unsigned long long)id);
            frame(c, id, "reset", j);
            c->last = id;
        } else {
            c->ended = 1;
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        free(type);
        free(json);
    }
    size_t n = c->out.len - c->out_pos;
    if (n > max)
        n = max;
    memcpy(dst, c->out.data + c->out_pos, n);
    c->out_pos += n;
    return (ssize_t)n;
}

static void sse_free(void *cls)
{
    struct sse_client *c = cls;
    memset(c->token, 0, sizeof c->token);
    hub_client_add(c->hub, -1);
    buf_cleanup(&c->out);
    free(c);
}

static uint64_t parse_last_id(const char *s, uint64_t newest)
{
    if (!s || !*s || strlen(s) > 20)
        return newest;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return newest;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    return v > newest ? newest : v;
}

void http_sse_open(struct http_req *req, struct http_resp *resp)
{
    struct hub *hub = http_server_hub(req->srv);
    struct sse_client *c = xcalloc(1, sizeof *c);
    c->hub = hub;
    c->app = req->app;
    c->perms = req->who.perms;
    c->checked_ms = clock_mono_ms();
    snprintf(c->token, sizeof c->token, "%s", req->token);
    c->heartbeat_ms = (int)http_server_conf(req->srv)->sse_heartbeat * 1000;
    buf_init(&c->out, 1 << 20);
    const char *lei = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Last-Event-ID");
    c->last = parse_last_id(lei, hub_last_id(hub));
    char iso[CLOCK_ISO_LEN];
    clock_format_iso(clock_now_ms(), iso, sizeof iso);
    buf_printf(&c->out,
               "retry: 3000\nevent: hello\ndata: {\"server_time\":\"%s\",\"last_id\":%llu}\n\n",
               iso, (unsigned long long)c->last);
    hub_client_add(hub, 1);
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, c, sse_free);
    MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    resp->status = 200;
    resp->raw = r;
}
