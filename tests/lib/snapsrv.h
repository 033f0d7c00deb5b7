/* snapsrv.h - a camera snapshot server for the camera-health tests (libmicrohttpd on
 * 127.0.0.1, an ephemeral port): each path serves a list of frames in turn (one per request),
 * optionally behind basic or digest authentication, with an HTTP status, or hanging for a while
 * (timeouts). Thread-safe: paths may be changed while the daemon fetches. */
#ifndef VIGIL_TEST_SNAPSRV_H
#define VIGIL_TEST_SNAPSRV_H

#include <stddef.h>
#include <stdint.h>

struct snapsrv;

enum snapsrv_auth { SNAP_AUTH_NONE = 0, SNAP_AUTH_BASIC, SNAP_AUTH_DIGEST };

struct snapsrv_path {
    const char *path;             /* "/cam1.jpg" */
    const uint8_t *const *frames; /* borrowed until the next set or snapsrv_stop */
    const size_t *lens;
    int nframes; /* served in turn; 0 = 404 */
    int status;  /* 0 = 200 */
    enum snapsrv_auth auth;
    const char *user, *pass;
    int hang_ms; /* > 0: wait this long before answering */
};

/* Starts the server; returns NULL on failure. */
struct snapsrv *snapsrv_start(void);
int snapsrv_port(const struct snapsrv *s);
/* Adds or replaces the path's behaviour (copies the description, not the frames). */
void snapsrv_set(struct snapsrv *s, const struct snapsrv_path *p);
/* Requests answered for path (any status). */
int snapsrv_hits(struct snapsrv *s, const char *path);
void snapsrv_stop(struct snapsrv *s);

#endif
