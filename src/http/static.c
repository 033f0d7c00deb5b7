/* static.c - serves the web console from web_root. Paths are checked segment by segment
 * (no "..", no hidden files, no backslashes) and the resolved file must stay under web_root. */
#include "core/xmalloc.h"
#include "http/http_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *ext;
    const char *type;
} mime[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".wav", "audio/wav"},
    {".mp3", "audio/mpeg"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *mime_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof mime / sizeof mime[0]; i++)
            if (strcmp(dot, mime[i].ext) == 0)
                return mime[i].type;
    return "application/octet-stream";
}

/* 1 if every segment of path is a plain name (no "", ".", "..", dotfiles, backslashes). */
static int path_safe(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\') || strstr(path, "//"))
        return 0;
    for (const char *p = path + 1; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 && !slash)
            break; /* trailing slash */
        if (n == 0 || p[0] == '.')
            return 0;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20)
                return 0;
        p += n + (slash ? 1 : 0);
    }
    return 1;
}

void http_static_serve(struct http_server *s, struct http_req *req, struct http_resp *resp)
{
    const char *root = http_server_web_root(s);
    const char *path = req->path;
    if (!path_safe(path)) {
        http_resp_problem(resp, req->lang, "not-found", NULL);
        return;
    }
    char full[PATH_MAX], real[PATH_MAX];
    size_t plen = strlen(path);
    int n = snprintf(full, sizeof full, "%s%s%s", root, path,
                     path[plen - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof full || !realpath(full, real)) {
        http_resp_problem(resp, req->lang, "not-found", NULL);
        return;
    }
    size_t rl = strlen(root);
    struct stat sb;
    if (strncmp(real, root, rl) != 0 || (real[rl] != '/' && real[rl] != '\0') ||
        stat(real, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (16 << 20)) {
        http_resp_problem(resp, req->lang, "not-found", NULL);
        return;
    }
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        http_resp_problem(resp, req->lang, "not-found", NULL);
        return;
    }
    char *data = xmalloc((size_t)sb.st_size + 1);
    size_t got = 0;
    while (got < (size_t)sb.st_size) {
        ssize_t r = read(fd, data + got, (size_t)sb.st_size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    resp->status = 200;
    resp->body = data;
    resp->len = got;
    resp->content_type = mime_for(real);
}
