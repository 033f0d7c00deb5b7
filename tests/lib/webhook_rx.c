/* webhook_rx.c - a webhook receiver for the integration tests (webhook_rx.h). */
#include "lib/webhook_rx.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define WRX_MAX 256

struct wrx_req {
    long long incident_id; /* from the JSON body; -1 when it has none */
    int status;            /* what the receiver answered */
    char *body;
};

static struct {
    pthread_mutex_t mu;
    pthread_t thr;
    int fd; /* listening socket; -1 while stopped */
    int port;
    int stop;
    long long fail_incident;
    size_t n;
    struct wrx_req reqs[WRX_MAX];
} W = {.mu = PTHREAD_MUTEX_INITIALIZER, .fd = -1};

/* Content-Length of a request head (headers only, NUL-terminated), or 0. */
static long content_length(const char *head)
{
    for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, "Content-Length:", 15) == 0) {
            long v = strtol(p + 17, NULL, 10);
            return v > 0 && v < 60000 ? v : 0;
        }
    }
    return 0;
}

/* Reads one request into buf; returns its body (NUL-terminated) or NULL. */
static char *read_request(int c, char *buf, size_t cap)
{
    size_t len = 0;
    char *end = NULL;
    while (!end) {
        ssize_t k = recv(c, buf + len, cap - 1 - len, 0);
        if (k <= 0)
            return NULL;
        len += (size_t)k;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (!end && len + 1 >= cap)
            return NULL;
    }
    *end = '\0';
    long clen = content_length(buf);
    if (strstr(buf, "100-continue"))
        send(c, "HTTP/1.1 100 Continue\r\n\r\n", 25, MSG_NOSIGNAL);
    char *body = end + 4;
    size_t have = len - (size_t)(body - buf);
    if ((size_t)(body - buf) + (size_t)clen + 1 > cap)
        return NULL;
    while (have < (size_t)clen) {
        ssize_t k = recv(c, body + have, (size_t)clen - have, 0);
        if (k <= 0)
            return NULL;
        have += (size_t)k;
    }
    body[clen] = '\0';
    return body;
}

static void serve(int c)
{
    struct timeval tv = {.tv_sec = 3};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    static char buf[65536];
    char *body = read_request(c, buf, sizeof buf);
    if (!body)
        return;
    json_t *j = json_loads(body, 0, NULL);
    json_t *inc = json_object_get(j, "incident_id");
    long long id = json_is_integer(inc) ? (long long)json_integer_value(inc) : -1;
    json_decref(j);
    pthread_mutex_lock(&W.mu);
    int status = W.fail_incident && id == W.fail_incident ? 500 : 200;
    if (W.n < WRX_MAX) {
        W.reqs[W.n].incident_id = id;
        W.reqs[W.n].status = status;
        W.reqs[W.n].body = strdup(body);
        W.n++;
    }
    pthread_mutex_unlock(&W.mu);
    char resp[128];
    int n = snprintf(resp, sizeof resp,
                     "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status,
                     status == 200 ? "OK" : "Internal Server Error");
    send(c, resp, (size_t)n, MSG_NOSIGNAL);
}

static void *rx_main(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&W.mu);
        int stop = W.stop;
        pthread_mutex_unlock(&W.mu);
        if (stop)
            return NULL;
        struct pollfd p = {.fd = W.fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int c = accept(W.fd, NULL, NULL);
        if (c < 0)
            continue;
        serve(c);
        close(c);
    }
}

int wrx_start(int port)
{
    if (W.fd >= 0)
        return -EALREADY;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    W.fd = fd;
    W.port = ntohs(sa.sin_port);
    W.stop = 0;
    if (pthread_create(&W.thr, NULL, rx_main, NULL) != 0) {
        close(fd);
        W.fd = -1;
        return -EAGAIN;
    }
    return 0;
}

int wrx_port(void)
{
    return W.port;
}

void wrx_stop(void)
{
    if (W.fd < 0)
        return;
    pthread_mutex_lock(&W.mu);
    W.stop = 1;
    pthread_mutex_unlock(&W.mu);
    pthread_join(W.thr, NULL);
    close(W.fd);
    W.fd = -1;
}

void wrx_fail(long long incident_id)
{
    pthread_mutex_lock(&W.mu);
    W.fail_incident = incident_id;
    pthread_mutex_unlock(&W.mu);
}

int wrx_count(long long incident_id, int status)
{
    int n = 0;
    pthread_mutex_lock(&W.mu);
    for (size_t i = 0; i < W.n; i++)
        n += W.reqs[i].incident_id == incident_id && (!status || W.reqs[i].status == status);
    pthread_mutex_unlock(&W.mu);
    return n;
}

json_t *wrx_body(long long incident_id)
{
    json_t *j = NULL;
    pthread_mutex_lock(&W.mu);
    for (size_t i = W.n; i-- > 0 && !j;)
        if (W.reqs[i].incident_id == incident_id && W.reqs[i].status == 200)
            j = json_loads(W.reqs[i].body, 0, NULL);
    pthread_mutex_unlock(&W.mu);
    return j;
}

void wrx_cleanup(void)
{
    wrx_stop();
    pthread_mutex_lock(&W.mu);
    for (size_t i = 0; i < W.n; i++)
        free(W.reqs[i].body);
    W.n = 0;
    W.fail_incident = 0;
    pthread_mutex_unlock(&W.mu);
}
