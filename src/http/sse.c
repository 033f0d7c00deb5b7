/* sse.c - GET /api/v1/stream: Server-Sent Events from the hub, with Last-Event-ID replay and
 * heartbeats. The reader callback runs on the connection's own thread and may block. */
#include "core/buf.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "http/http_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sse_client {
    struct hub *hub;
    uint64_t last; /* id of the last event sent */
    int heartbeat_ms;
    struct buf out; /* frame(s) waiting to be written */
    size_t out_pos;
    int ended;
};

static void frame(struct sse_client *c, uint64_t id, const char *type, const char *json)
{
    buf_printf(&c->out, "id: %llu\nevent: %s\ndata: %s\n\n", (unsigned long long)id, type, json);
}

static ssize_t sse_read(void *cls, uint64_t pos, char *dst, size_t max)
{
    (void)pos;
    struct sse_client *c = cls;
    while (c->out_pos >= c->out.len) {
        buf_reset(&c->out);
        c->out_pos = 0;
        if (c->ended)
            return MHD_CONTENT_READER_END_OF_STREAM;
        uint64_t id = 0;
        char *type = NULL, *json = NULL;
        int rc = hub_next(c->hub, c->last, c->heartbeat_ms, &id, &type, &json);
        if (rc == 0) {
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
