/* dc09_client.c - a SIA DC-09 panel for the integration tests (dc09_client.h). */
#include "lib/dc09_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t dc09c_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int open_socket(struct dc09c *c, int port, int type)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -errno;
    c->udp = type == SOCK_DGRAM;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int e = errno;
        close(c->fd);
        c->fd = -1;
        return -e;
    }
    if (!c->udp) {
        int one = 1; /* byte-by-byte tests: every write is its own segment */
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return 0;
}

int dc09c_tcp(struct dc09c *c, int port)
{
    return open_socket(c, port, SOCK_STREAM);
}

int dc09c_udp(struct dc09c *c, int port)
{
    return open_socket(c, port, SOCK_DGRAM);
}

int dc09c_send(struct dc09c *c, const void *data, size_t n)
{
    if (c->fd < 0)
        return -EBADF;
    if (c->udp)
        return send(c->fd, data, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -errno;
    const char *p = data;
    while (n > 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? -errno : -EPIPE;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Cuts one LF … CR reply out of c->buf. Returns its length, 0 when none is complete yet. */
static int take_reply(struct dc09c *c, char *out, size_t cap)
{
    char *lf = memchr(c->buf, '\n', c->len);
    if (!lf) {
        c->len = 0; /* nothing but noise so far */
        return 0;
    }
    size_t skip = (size_t)(lf - c->buf);
    memmove(c->buf, lf, c->len - skip);
    c->len -= skip;
    char *cr = memchr(c->buf, '\r', c->len);
    if (!cr)
        return 0;
    size_t n = (size_t)(cr - c->buf) - 1;
    int rc = n + 1 <= cap ? (int)n : -EMSGSIZE;
    if (rc >= 0) {
        memcpy(out, c->buf + 1, n);
        out[n] = '\0';
    }
    size_t used = n + 2;
    memmove(c->buf, c->buf + used, c->len - used);
    c->len -= used;
    return rc == 0 ? -EPROTO : rc; /* an empty LF CR is not a reply */
}

/* One UDP datagram: LF … CR stripped when present. */
static int udp_reply(struct dc09c *c, char *out, size_t cap)
{
    ssize_t r = recv(c->fd, c->buf, sizeof c->buf, 0);
    if (r < 0)
        return -errno;
    size_t a = 0, b = (size_t)r;
    if (b && c->buf[0] == '\n')
        a = 1;
    if (b > a && c->buf[b - 1] == '\r')
        b--;
    if (b - a + 1 > cap)
        return -EMSGSIZE;
    memcpy(out, c->buf + a, b - a);
    out[b - a] = '\0';
    return (int)(b - a);
}

int dc09c_recv(struct dc09c *c, char *out, size_t cap, int timeout_ms)
{
    if (c->fd < 0)
        return -EBADF;
    long long deadline = mono_ms() + timeout_ms;
    for (;;) {
        if (!c->udp && c->len) {
            int rc = take_reply(c, out, cap);
            if (rc != 0)
                return rc;
        }
        long long left = deadline - mono_ms();
        if (left < 0)
            return -ETIMEDOUT;
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -ETIMEDOUT;
        if (c->udp)
            return udp_reply(c, out, cap);
        if (c->len == sizeof c->buf)
            return -EMSGSIZE;
        ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
        if (r == 0)
            return -ECONNRESET;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno == ECONNRESET ? -ECONNRESET : -errno;
        c->len += (size_t)r;
    }
}

int dc09c_wait_closed(struct dc09c *c, int timeout_ms)
{
    long long deadline = mono_ms() + timeout_ms;
    char tmp[4096];
    for (;;) {
        long long left = deadline - mono_ms();
        if (left < 0)
            return -ETIMEDOUT;
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -ETIMEDOUT;
        ssize_t r = recv(c->fd, tmp, sizeof tmp, 0);
        if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
            return 0;
    }
}

void dc09c_close(struct dc09c *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->len = 0;
}

uint16_t dc09c_crc(const void *buf, size_t len)
{
    const unsigned char *p = buf;
    unsigned crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc & 1) ? (crc >> 1) ^ 0xA001u : crc >> 1;
    }
    return (uint16_t)crc;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = s[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                                         : -1;
        if (d < 0)
            return -1;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 0;
}

int dc09c_check(const char *line, size_t len)
{
    unsigned crc, n;
    if (len < 8 || hex4(line, &crc) || line[4] != '0' || hex4(line + 4, &n))
        return -1;
    return n == len - 8 && crc == dc09c_crc(line + 8, len - 8) ? 0 : -1;
}

int dc09c_wrap(char *out, size_t cap, const char *line)
{
    int n = snprintf(out, cap, "\n%s\r", line);
    return n > 0 && (size_t)n < cap ? n : -1;
}

int dc09c_frame(char *out, size_t cap, const char *body)
{
    size_t n = strlen(body);
    if (n > 0xFFF)
        return -1;
    int w = snprintf(out, cap, "\n%04X0%03X%s\r", (unsigned)dc09c_crc(body, n), (unsigned)n, body);
    return w > 0 && (size_t)w < cap ? w : -1;
}

int dc09c_restamp(char *out, size_t cap, const char *line, int64_t time_ms)
{
    size_t len = strlen(line);
    const size_t ts = 20; /* "_HH:MM:SS,MM-DD-YYYY" */
    if (len < 8 + ts || line[len - ts] != '_' || line[len - ts + 3] != ':' ||
        line[len - ts + 9] != ',')
        return -1;
    char body[8192];
    size_t blen = len - 8 - ts;
    if (blen + ts + 1 > sizeof body)
        return -1;
    memcpy(body, line + 8, blen);
    time_t t = (time_t)(time_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t w = strftime(body + blen, sizeof body - blen, "_%H:%M:%S,%m-%d-%Y", &tm);
    if (w != ts)
        return -1;
    blen += w;
    int n = snprintf(out, cap, "\n%04X0%03X%.*s\r", (unsigned)dc09c_crc(body, blen), (unsigned)blen,
                     (int)blen, body);
    return n > 0 && (size_t)n < cap ? n : -1;
}
