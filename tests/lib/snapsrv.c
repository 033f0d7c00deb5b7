/* snapsrv.c - the test snapshot server. */
#include "lib/snapsrv.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SNAP_MAX_PATHS 32

struct entry {
    char path[128];
    struct snapsrv_path p;
    char user[64], pass[64];
    int next, hits;
};

struct snapsrv {
    struct MHD_Daemon *d;
    int port;
    pthread_mutex_t mu;
    struct entry e[SNAP_MAX_PATHS];
    int n;
    char rnd[32];
};

static struct entry *find(struct snapsrv *s, const char *path)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->e[i].path, path) == 0)
            return &s->e[i];
    return NULL;
}

static enum MHD_Result reply(struct MHD_Connection *c, int status, const void *body, size_t len,
                             const char *type)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", type);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

/* 1 when the request carries the right credentials; else queues the challenge. */
static int authorised(struct MHD_Connection *c, const struct entry *e, enum MHD_Result *ret)
{
    static const char realm[] = "camera";
    if (e->p.auth == SNAP_AUTH_BASIC) {
        char *pass = NULL;
        char *user = MHD_basic_auth_get_username_password(c, &pass);
        int ok = user && pass && strcmp(user, e->user) == 0 && strcmp(pass, e->pass) == 0;
        MHD_free(user);
        MHD_free(pass);
        if (ok)
            return 1;
        struct MHD_Response *r =
            MHD_create_response_from_buffer(6, (void *)"denied", MHD_RESPMEM_PERSISTENT);
        *ret = MHD_queue_basic_auth_fail_response(c, realm, r);
        MHD_destroy_response(r);
        return 0;
    }
    char *user = MHD_digest_auth_get_username(c);
    int ok = user && strcmp(user, e->user) == 0 &&
             MHD_digest_auth_check2(c, realm, e->user, e->pass, 300, MHD_DIGEST_ALG_MD5) == MHD_YES;
    MHD_free(user);
    if (ok)
        return 1;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(6, (void *)"denied", MHD_RESPMEM_PERSISTENT);
    *ret = MHD_queue_auth_fail_response2(c, realm, "opaque-vigil", r, MHD_NO, MHD_DIGEST_ALG_MD5);
    MHD_destroy_response(r);
    return 0;
}

static enum MHD_Result on_req(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct snapsrv *s = cls;
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_size;
    if (!*con_cls) { /* the headers only: wait for the end of the request */
        *con_cls = s;
        return MHD_YES;
    }
    pthread_mutex_lock(&s->mu);
    struct entry *e = find(s, url);
    struct entry copy;
    if (e) {
        e->hits++;
        copy = *e;
    }
    pthread_mutex_unlock(&s->mu);
    if (!e || copy.p.nframes == 0)
        return reply(c, 404, "no such camera", 14, "text/plain");
    if (copy.p.hang_ms > 0) {
        struct timespec ts = {copy.p.hang_ms / 1000, (copy.p.hang_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    enum MHD_Result ret = MHD_NO;
    if (copy.p.auth != SNAP_AUTH_NONE && !authorised(c, &copy, &ret))
        return ret;
    if (copy.p.status && copy.p.status != 200)
        return reply(c, copy.p.status, "error", 5, "text/plain");
    pthread_mutex_lock(&s->mu);
    e = find(s, url);
    int i = e->next++ % e->p.nframes;
    const uint8_t *body = e->p.frames[i];
    size_t len = e->p.lens[i];
    ret = reply(c, 200, body, len, "image/jpeg"); /* copied while the lock is held */
    pthread_mutex_unlock(&s->mu);
    return ret;
}

struct snapsrv *snapsrv_start(void)
{
    struct snapsrv *s = calloc(1, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    for (size_t i = 0; i < sizeof s->rnd; i++)
        s->rnd[i] = (char)(rand() & 0xff);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    s->d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, on_req, s, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_DIGEST_AUTH_RANDOM,
        sizeof s->rnd, s->rnd, MHD_OPTION_NONCE_NC_SIZE, 1000, MHD_OPTION_END);
    if (!s->d) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    return s;
}

int snapsrv_port(const struct snapsrv *s)
{
    return s->port;
}

void snapsrv_set(struct snapsrv *s, const struct snapsrv_path *p)
{
    pthread_mutex_lock(&s->mu);
    struct entry *e = find(s, p->path);
    if (!e && s->n < SNAP_MAX_PATHS) {
        e = &s->e[s->n++];
        memset(e, 0, sizeof *e);
        snprintf(e->path, sizeof e->path, "%s", p->path);
    }
    if (e) {
        e->p = *p;
        e->p.path = e->path;
        snprintf(e->user, sizeof e->user, "%s", p->user ? p->user : "");
        snprintf(e->pass, sizeof e->pass, "%s", p->pass ? p->pass : "");
        e->next = 0;
    }
    pthread_mutex_unlock(&s->mu);
}

int snapsrv_hits(struct snapsrv *s, const char *path)
{
    pthread_mutex_lock(&s->mu);
    struct entry *e = find(s, path);
    int n = e ? e->hits : 0;
    pthread_mutex_unlock(&s->mu);
    return n;
}

void snapsrv_stop(struct snapsrv *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->d);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
