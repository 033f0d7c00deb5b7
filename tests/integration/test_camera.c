/* test_camera.c - automatic camera health (S4: clarity and stability) against the real daemon:
 * real JPEG pictures (tests/lib/camera_img.c) served by a local snapshot server
 * (tests/lib/snapsrv.c) with no, basic and digest authentication; every detection (blurred,
 * dark, overexposed, covered, frozen, offline: timeout, refused, HTTP error, not a JPEG), the
 * N-persistence rule, the fault ticket (kind camera_health) and the equipment-trouble incident,
 * the recovery record on both, the thumbnail, and
 * configuration validation. Checks are triggered with POST /cameras/{id}/check (the interval is
 * an hour), so no test depends on timing. */
#include "lib/camera_img.h"
#include "lib/daemon.h"
#include "lib/http.h"
#include "lib/snapsrv.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOK 256
static struct td_daemon D;
static struct snapsrv *S;
static char admin[TOK], op[TOK], eng[TOK];
static long long area_id;

enum { F_SHARP1, F_SHARP2, F_SHARP3, F_BLUR, F_BLUR2, F_DARK, F_BRIGHT, F_COVER, F_TEXT, F__N };
static uint8_t *frame[F__N];
static size_t flen[F__N];

static int group_setup(void **state)
{
    (void)state;
    for (int i = 0; i < F_TEXT; i++) {
        static const enum cimg_kind k[] = {CIMG_SHARP,   CIMG_SHARP, CIMG_SHARP,  CIMG_BLURRED,
                                           CIMG_BLURRED, CIMG_DARK,  CIMG_BRIGHT, CIMG_COVERED};
        if (cimg_make(k[i], 640, 360, (unsigned)i + 1, 85, &frame[i], &flen[i]))
            return -1;
    }
    frame[F_TEXT] = (uint8_t *)strdup("<html>login required</html>");
    flen[F_TEXT] = strlen((char *)frame[F_TEXT]);
    S = snapsrv_start();
    if (!S)
        return -1;
    struct td_opts o = {.demo = 1, .config_extra = "camera.max_in_flight = 8\n"};
    int rc = td_daemon_start(&D, &o);
    if (rc)
        return rc;
    th_login_ok(D.port, "admin", "vigil-demo", admin, sizeof admin);
    th_login_ok(D.port, "operator", "vigil-demo", op, sizeof op);
    th_login_ok(D.port, "engineer", "vigil-demo", eng, sizeof eng);
    struct th_resp r;
    th_get(D.port, admin, "/api/v1/areas?limit=1", &r);
    area_id = th_jint(json_array_get(json_object_get(r.json, "items"), 0), "id");
    th_resp_free(&r);
    return area_id > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    snapsrv_stop(S);
    for (int i = 0; i < F__N; i++)
        free(frame[i]);
    return 0;
}

/* A new camera device. */
static long long new_camera(const char *name)
{
    char body[256];
    json_t *out = NULL;
    snprintf(body, sizeof body, "{\"area_id\":%lld,\"kind\":\"camera\",\"name\":\"%s\"}", area_id,
             name);
    assert_int_equal(th_post(D.port, admin, "/api/v1/devices", body, &out), 201);
    long long id = th_jint(out, "id");
    json_decref(out);
    return id;
}

/* Serves frames f[0..n) in turn at path. */
static void serve(const char *path, const int *f, int n, enum snapsrv_auth auth, int status,
                  int hang_ms)
{
    static const uint8_t *fr[32][8];
    static size_t ln[32][8];
    static int slot;
    int k = slot++ % 32;
    for (int i = 0; i < n; i++) {
        fr[k][i] = frame[f[i]];
        ln[k][i] = flen[f[i]];
    }
    struct snapsrv_path p = {.path = path,
                             .frames = fr[k],
                             .lens = ln[k],
                             .nframes = n,
                             .status = status,
                             .auth = auth,
                             .user = "viewer",
                             .pass = "s3cret",
                             .hang_ms = hang_ms};
    snapsrv_set(S, &p);
}

static long put_camera(long long id, const char *extra, struct th_resp *r)
{
    char path[64], body[1024];
    snprintf(path, sizeof path, "/api/v1/cameras/%lld", id);
    snprintf(body, sizeof body, "{%s}", extra);
    th_send(D.port, "PUT", admin, path, body, r);
    return r->status;
}

/* Configures camera id to fetch path on the snapshot server, checked only on demand. */
static void configure(long long id, const char *path, const char *more)
{
    char extra[900];
    snprintf(extra, sizeof extra,
             "\"url\":\"http://127.0.0.1:%d%s\",\"interval_s\":3600,\"timeout_ms\":2000%s%s",
             snapsrv_port(S), path, more && *more ? "," : "", more ? more : "");
    struct th_resp r;
    put_camera(id, extra, &r);
    if (r.status != 200)
        fail_msg("PUT camera %lld: %ld %s", id, r.status, r.body);
    th_resp_free(&r);
}

static json_t *get_camera(long long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cameras/%lld", id);
    struct th_resp r;
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    json_t *j = json_incref(r.json);
    th_resp_free(&r);
    return j;
}

/* Asks for a check and waits (bounded) until it has been recorded; returns the camera. */
static json_t *check(long long id)
{
    json_t *c = get_camera(id);
    long long before = th_jint(c, "checks");
    json_decref(c);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cameras/%lld/check", id);
    assert_int_equal(th_post(D.port, op, path, NULL, NULL), 202);
    long long t0 = td_now_ms();
    while (td_now_ms() - t0 < TD_TIMEOUT_MS) {
        c = get_camera(id);
        if (th_jint(c, "checks") > before)
            return c;
        json_decref(c);
        td_nap(20);
    }
    fail_msg("camera %lld: no check recorded", id);
    return NULL;
}

static void expect(json_t *c, const char *verdict, const char *detail_part)
{
    if (strcmp(th_jstr(c, "verdict"), verdict) != 0 ||
        (detail_part && !strstr(th_jstr(c, "detail"), detail_part)))
        fail_msg("verdict %s (%s), wanted %s (%s)", th_jstr(c, "verdict"), th_jstr(c, "detail"),
                 verdict, detail_part ? detail_part : "");
}

/* One check of a camera that serves frames f; asserts the verdict. */
static void detect(const char *name, const int *f, int n, const char *verdict, const char *detail)
{
    char path[64];
    snprintf(path, sizeof path, "/%s.jpg", name);
    long long id = new_camera(name);
    serve(path, f, n, SNAP_AUTH_NONE, 0, 0);
    configure(id, path, NULL);
    json_t *c = check(id);
    expect(c, verdict, detail);
    json_decref(c);
}

static void test_detections(void **state)
{
    (void)state;
    const int sharp[] = {F_SHARP1, F_SHARP2, F_SHARP3};
    detect("sharp", sharp, 3, "ok", "ok");
    detect("blurred", (int[]){F_BLUR}, 1, "blurred", "sharpness");
    detect("dark", (int[]){F_DARK}, 1, "dark", "too dark");
    detect("bright", (int[]){F_BRIGHT}, 1, "overexposed", "overexposed");
    detect("covered", (int[]){F_COVER}, 1, "covered", "uniform");
    detect("html", (int[]){F_TEXT}, 1, "offline", "not a JPEG");
}

static void test_frozen(void **state)
{
    (void)state;
    long long id = new_camera("frozen");
    serve("/frozen.jpg", (int[]){F_SHARP1}, 1, SNAP_AUTH_NONE, 0, 0);
    configure(id, "/frozen.jpg", "\"persist\":1,\"thresholds\":{\"frozen_k\":3}");
    json_t *c = check(id);
    expect(c, "ok", NULL); /* the first picture: nothing to compare with */
    json_decref(c);
    c = check(id);
    expect(c, "ok", NULL); /* two identical pictures: not yet */
    json_decref(c);
    c = check(id);
    expect(c, "frozen", "unchanged over 3");
    assert_string_equal(th_jstr(c, "state"), "frozen"); /* persist 1: acted at once */
    json_decref(c);
    /* A live picture again. */
    serve("/frozen.jpg", (int[]){F_SHARP2, F_SHARP3}, 2, SNAP_AUTH_NONE, 0, 0);
    c = check(id);
    expect(c, "ok", NULL);
    assert_string_equal(th_jstr(c, "state"), "ok");
    json_decref(c);
}

static void test_offline(void **state)
{
    (void)state;
    struct th_resp r;
    long long id = new_camera("http500");
    serve("/500.jpg", (int[]){F_SHARP1}, 1, SNAP_AUTH_NONE, 500, 0);
    configure(id, "/500.jpg", NULL);
    json_t *c = check(id);
    expect(c, "offline", "HTTP 500");
    json_decref(c);

    id = new_camera("missing");
    configure(id, "/no-such-path.jpg", NULL);
    c = check(id);
    expect(c, "offline", "HTTP 404");
    json_decref(c);

    /* The camera answers after 3 s; the check gives up after 300 ms. */
    id = new_camera("slow");
    serve("/slow.jpg", (int[]){F_SHARP1}, 1, SNAP_AUTH_NONE, 0, 3000);
    char body[160];
    snprintf(body, sizeof body,
             "\"url\":\"http://127.0.0.1:%d/slow.jpg\",\"interval_s\":3600,\"timeout_ms\":300",
             snapsrv_port(S));
    assert_int_equal(put_camera(id, body, &r), 200);
    th_resp_free(&r);
    c = check(id);
    expect(c, "offline", "timeout");
    json_decref(c);

    /* Nothing listens there (port 1 on loopback). */
    id = new_camera("refused");
    assert_int_equal(
        put_camera(id, "\"url\":\"http://127.0.0.1:1/snap.jpg\",\"interval_s\":3600", &r), 200);
    th_resp_free(&r);
    c = check(id);
    expect(c, "offline", NULL);
    assert_true(json_is_null(json_object_get(c, "metrics"))); /* nothing was measured */
    json_decref(c);
}

static void auth_case(const char *name, enum snapsrv_auth a, const char *mode, const char *pass,
                      const char *verdict, const char *detail)
{
    char path[64], more[200];
    snprintf(path, sizeof path, "/%s.jpg", name);
    long long id = new_camera(name);
    serve(path, (int[]){F_SHARP1, F_SHARP2}, 2, a, 0, 0);
    snprintf(more, sizeof more, "\"auth\":\"%s\",\"username\":\"viewer\",\"password\":\"%s\"", mode,
             pass);
    configure(id, path, more);
    json_t *c = check(id);
    expect(c, verdict, detail);
    assert_true(json_is_true(json_object_get(c, "has_password")));
    assert_null(json_object_get(c, "password")); /* never returned */
    json_decref(c);
}

static void test_auth(void **state)
{
    (void)state;
    auth_case("basic-ok", SNAP_AUTH_BASIC, "basic", "s3cret", "ok", NULL);
    auth_case("basic-bad", SNAP_AUTH_BASIC, "basic", "wrong", "offline", "HTTP 401");
    auth_case("digest-ok", SNAP_AUTH_DIGEST, "digest", "s3cret", "ok", NULL);
    auth_case("digest-bad", SNAP_AUTH_DIGEST, "digest", "wrong", "offline", "HTTP 401");
    /* Without credentials the protected camera refuses. */
    long long id = new_camera("basic-none");
    serve("/basic-none.jpg", (int[]){F_SHARP1}, 1, SNAP_AUTH_BASIC, 0, 0);
    configure(id, "/basic-none.jpg", NULL);
    json_t *c = check(id);
    expect(c, "offline", "HTTP 401");
    json_decref(c);
}

static json_t *incident(long long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/incidents/%lld", id);
    struct th_resp r;
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    json_t *j = json_incref(r.json);
    th_resp_free(&r);
    return j;
}

/* 1 when some event of the incident's timeline has this kind. */
static int has_event(json_t *inc, const char *kind)
{
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(inc, "events"), i, e)
        if (strcmp(th_jstr(e, "kind"), kind) == 0)
            return 1;
    return 0;
}

static json_t *ticket(long long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tickets/%lld", id);
    struct th_resp r;
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    json_t *j = json_incref(r.json);
    th_resp_free(&r);
    return j;
}

/* 1 when some note on the ticket's timeline contains needle. */
static int ticket_noted(json_t *t, const char *needle)
{
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(t, "timeline"), i, e) {
        const char *n = th_jstr(e, "note");
        if (n && strstr(n, needle))
            return 1;
    }
    return 0;
}

static int duty_mentions(const char *needle)
{
    struct th_resp r;
    th_get(D.port, op, "/api/v1/duty-log?limit=200", &r);
    int found = r.body && strstr(r.body, needle) != NULL;
    th_resp_free(&r);
    return found;
}

static void test_persistence_and_recovery(void **state)
{
    (void)state;
    long long id = new_camera("lobby-cam-N3");
    serve("/n3.jpg", (int[]){F_BLUR, F_BLUR2}, 2, SNAP_AUTH_NONE, 0, 0);
    configure(id, "/n3.jpg", "\"persist\":3");
    struct th_sse sse;
    assert_int_equal(th_sse_open(D.port, op, NULL, &sse), 200);
    /* Two blurred checks: seen (verdict) but not acted on. */
    for (int i = 1; i <= 2; i++) {
        json_t *c = check(id);
        expect(c, "blurred", NULL);
        assert_string_equal(th_jstr(c, "state"), "unknown");
        assert_int_equal(th_jint(c, "streak"), i);
        assert_true(json_is_null(json_object_get(c, "incident_id")));
        json_decref(c);
    }
    /* The third: the problem has persisted over N = 3 checks. */
    json_t *c = check(id);
    assert_string_equal(th_jstr(c, "state"), "blurred");
    long long inc_id = th_jint(c, "incident_id"), tk_id = th_jint(c, "ticket_id");
    assert_true(inc_id > 0);
    assert_true(tk_id > 0);
    json_t *hist = json_object_get(c, "history");
    assert_int_equal(json_array_size(hist), 1);
    assert_string_equal(th_jstr(json_array_get(hist, 0), "to_state"), "blurred");
    json_decref(c);
    json_t *inc = incident(inc_id);
    assert_string_equal(th_jstr(inc, "type"), "trouble");
    assert_int_equal(th_jint(inc, "device_id"), id);
    assert_non_null(strstr(th_jstr(inc, "title"), "lobby-cam-N3"));
    json_decref(inc);
    json_t *tk = ticket(tk_id); /* the fault ticket, linked to the device and the incident */
    assert_string_equal(th_jstr(tk, "kind"), "camera_health");
    assert_int_equal(th_jint(tk, "device_id"), id);
    assert_int_equal(th_jint(tk, "incident_id"), inc_id);
    assert_string_equal(th_jstr(tk, "state"), "reported");
    json_decref(tk);
    assert_true(duty_mentions("lobby-cam-N3: blurred over 3 checks"));
    char needle[64];
    snprintf(needle, sizeof needle, "\"device_id\":%lld", id);
    assert_non_null(th_sse_find(&sse, "camera", needle, TD_TIMEOUT_MS));

    /* Still blurred: no second incident, no second ticket. */
    c = check(id);
    assert_int_equal(th_jint(c, "incident_id"), inc_id);
    assert_int_equal(th_jint(c, "ticket_id"), tk_id);
    json_decref(c);

    /* Refocused: recovery is recorded, the incident waits for the operator. */
    serve("/n3.jpg", (int[]){F_SHARP1, F_SHARP2}, 2, SNAP_AUTH_NONE, 0, 0);
    c = check(id);
    assert_string_equal(th_jstr(c, "state"), "ok");
    assert_int_equal(th_jint(c, "streak"), 0);
    assert_int_equal(json_array_size(json_object_get(c, "history")), 2);
    json_decref(c);
    inc = incident(inc_id);
    assert_true(has_event(inc, "restored"));
    assert_string_not_equal(th_jstr(inc, "state"), "closed");
    json_decref(inc);
    tk = ticket(tk_id); /* noted; closing it is the operator's verification */
    assert_true(ticket_noted(tk, "camera picture recovered (was blurred)"));
    assert_string_not_equal(th_jstr(tk, "state"), "closed");
    json_decref(tk);
    assert_true(duty_mentions("lobby-cam-N3 recovered (was blurred)"));
    struct th_resp r;
    th_get(D.port, admin, "/api/v1/audit?limit=200", &r);
    assert_non_null(strstr(r.body, "camera.recovered"));
    assert_non_null(strstr(r.body, "camera.problem"));
    th_resp_free(&r);
    th_sse_close(&sse);

    /* The ticket's lifecycle: the incident stays open through assignment and repair, and the
     * operator's verification closes it (by the system, naming the ticket and the verifier). */
    char path[96], note[96];
    snprintf(path, sizeof path, "/api/v1/tickets/%lld/assign", tk_id);
    assert_int_equal(th_post(D.port, op, path,
                             "{\"assignee_kind\":\"engineer\",\"assignee\":\"engineer\"}", NULL),
                     200);
    snprintf(path, sizeof path, "/api/v1/tickets/%lld/repair", tk_id);
    assert_int_equal(
        th_post(D.port, eng, path, "{\"result\":\"repaired\",\"note\":\"重新对焦\"}", NULL), 200);
    inc = incident(inc_id);
    assert_string_not_equal(th_jstr(inc, "state"), "closed");
    json_decref(inc);
    snprintf(path, sizeof path, "/api/v1/tickets/%lld/verify", tk_id);
    assert_int_equal(th_post(D.port, op, path, "{}", NULL), 200);
    inc = incident(inc_id);
    assert_string_equal(th_jstr(inc, "state"), "closed");
    snprintf(note, sizeof note, "fault ticket #%lld verified by operator", tk_id);
    json_t *last = json_array_get(json_object_get(inc, "events"),
                                  json_array_size(json_object_get(inc, "events")) - 1);
    assert_string_equal(th_jstr(last, "kind"), "transition");
    assert_string_equal(th_jstr(last, "to_state"), "closed");
    assert_string_equal(th_jstr(last, "actor"), "system");
    assert_string_equal(th_jstr(last, "note"), note);
    json_decref(inc);
    char entry[160];
    snprintf(entry, sizeof entry, "incident #%lld closed: %s", inc_id, note);
    assert_true(duty_mentions(entry));

    /* A single bad check after the recovery does not act again (N = 3). */
    serve("/n3.jpg", (int[]){F_DARK}, 1, SNAP_AUTH_NONE, 0, 0);
    c = check(id);
    assert_string_equal(th_jstr(c, "state"), "ok");
    expect(c, "dark", NULL);
    json_decref(c);
}

static void test_snapshot_and_list(void **state)
{
    (void)state;
    long long id = new_camera("thumb");
    serve("/thumb.jpg", (int[]){F_SHARP1, F_SHARP2}, 2, SNAP_AUTH_NONE, 0, 0);
    configure(id, "/thumb.jpg", NULL);
    json_decref(check(id));
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cameras/%lld/snapshot", id);
    struct th_resp r;
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(th_header(&r, "Content-Type"), "image/jpeg");
    assert_true(r.len > 100 && r.len < 40000);
    assert_int_equal((unsigned char)r.body[0], 0xFF);
    assert_int_equal((unsigned char)r.body[1], 0xD8);
    th_resp_free(&r);
    /* A camera never checked has no snapshot. */
    long long none = new_camera("never");
    snprintf(path, sizeof path, "/api/v1/cameras/%lld/snapshot", none);
    th_get(D.port, op, path, &r);
    th_assert_problem(&r, 404, "/problems/not-found");
    th_resp_free(&r);
    /* The list: every camera device; ?problems=1 only the troubled ones. */
    long long all = th_total(D.port, op, "/api/v1/cameras");
    long long bad = th_total(D.port, op, "/api/v1/cameras?problems=1");
    assert_true(all > bad);
    th_get(D.port, op, "/api/v1/cameras?problems=1&limit=500", &r);
    size_t i;
    json_t *it;
    json_array_foreach (json_object_get(r.json, "items"), i, it)
        assert_int_not_equal(th_jint(it, "id"), id);
    th_resp_free(&r);
    th_get(D.port, op, "/api/v1/cameras?problems=2", &r);
    th_assert_problem(&r, 400, "/problems/validation");
    th_resp_free(&r);
}

static void test_config_validation(void **state)
{
    (void)state;
    long long id = new_camera("config");
    struct th_resp r;
    static const char *const bad[] = {
        "\"url\":\"ftp://127.0.0.1/x.jpg\"",
        "\"url\":\"http:///x.jpg\"",
        "\"url\":\"http://127.0.0.1/a b.jpg\"",
        "\"url\":\"http://admin:secret@127.0.0.1/x.jpg\"",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"auth\":\"ntlm\"",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"auth\":\"digest\"",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"interval_s\":0",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"persist\":101",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"thresholds\":{\"sharpness\":3}",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"thresholds\":{\"clip_max\":2}",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"thresholds\":{\"frozen_k\":2.5}",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"thresholds\":{\"dark_mean\":200,\"bright_mean\":100}",
        "\"url\":\"http://127.0.0.1/x.jpg\",\"colour\":true",
        "\"interval_s\":60",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put_camera(id, bad[i], &r);
        if (r.status != 400)
            fail_msg("%s: %ld", bad[i], r.status);
        th_assert_problem(&r, 400, "/problems/validation");
        th_resp_free(&r);
    }
    json_t *c = get_camera(id); /* nothing was written */
    assert_true(json_is_false(json_object_get(c, "configured")));
    json_decref(c);
    /* Defaults, and the password kept when omitted. */
    assert_int_equal(put_camera(id,
                                "\"url\":\"http://127.0.0.1:1/x.jpg\",\"auth\":\"basic\","
                                "\"username\":\"u\",\"password\":\"p\",\"enabled\":false",
                                &r),
                     200);
    assert_true(json_is_true(json_object_get(r.json, "has_password")));
    assert_null(json_object_get(r.json, "password"));
    assert_int_equal(th_jint(r.json, "interval_s"), 60);
    assert_int_equal(th_jint(r.json, "persist"), 3);
    assert_non_null(json_object_get(json_object_get(r.json, "thresholds"), "sharpness_min"));
    th_resp_free(&r);
    assert_int_equal(put_camera(id,
                                "\"url\":\"http://127.0.0.1:1/x.jpg\",\"auth\":\"basic\","
                                "\"username\":\"u\",\"enabled\":false",
                                &r),
                     200);
    assert_true(json_is_true(json_object_get(r.json, "has_password")));
    th_resp_free(&r);
    /* Permissions: the operator reads but does not configure; not a camera: 404. */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cameras/%lld", id);
    th_send(D.port, "PUT", op, path, "{\"url\":\"http://127.0.0.1/x.jpg\"}", &r);
    th_assert_problem(&r, 403, "/problems/forbidden");
    th_resp_free(&r);
    json_t *dev = NULL;
    char body[160];
    snprintf(body, sizeof body, "{\"area_id\":%lld,\"kind\":\"intercom\",\"name\":\"door\"}",
             area_id);
    assert_int_equal(th_post(D.port, admin, "/api/v1/devices", body, &dev), 201);
    assert_int_equal(put_camera(th_jint(dev, "id"), "\"url\":\"http://127.0.0.1/x.jpg\"", &r), 404);
    th_resp_free(&r);
    json_decref(dev);
    /* Removal. */
    th_send(D.port, "DELETE", admin, path, NULL, &r);
    assert_int_equal(r.status, 204);
    th_resp_free(&r);
    th_send(D.port, "DELETE", admin, path, NULL, &r);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
}

/* One value from the daemon's database, read by a connection of our own (NULL when none). */
static char *db_text(const char *sql, long long id)
{
    char path[TD_PATH + 16];
    snprintf(path, sizeof path, "%s/vigil.db", D.dir);
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_int64(s, 1, id);
    char *v = NULL;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW && sqlite3_column_text(s, 0))
        v = strdup((const char *)sqlite3_column_text(s, 0));
    else if (step != SQLITE_ROW && step != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void assert_sealed(long long id)
{
    char *pw = db_text("SELECT password FROM camera WHERE device_id = ?1", id);
    assert_non_null(pw);
    if (strncmp(pw, "v1:", 3) != 0 || strstr(pw, "s3cret"))
        fail_msg("camera %lld: password stored as \"%s\"", id, pw);
    free(pw);
}

/* S5: a camera's password is stored sealed under the data directory's key (mode 0600), never in
 * clear, and the check still authenticates; a clear one left by an earlier version is sealed at
 * the next start (audited) and keeps working. */
static void test_sealed_passwords(void **state)
{
    (void)state;
    long long id = new_camera("sealed");
    serve("/sealed.jpg", (int[]){F_SHARP1, F_SHARP2}, 2, SNAP_AUTH_DIGEST, 0, 0);
    configure(id, "/sealed.jpg",
              "\"auth\":\"digest\",\"username\":\"viewer\",\"password\":\"s3cret\"");
    assert_sealed(id);
    char key[TD_PATH + 16];
    snprintf(key, sizeof key, "%s/secret.key", D.dir);
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    json_t *c = check(id);
    expect(c, "ok", NULL);
    json_decref(c);

    /* An earlier version's clear password. */
    assert_int_equal(td_daemon_stop(&D), 0);
    free(db_text("UPDATE camera SET password = 's3cret' WHERE device_id = ?1 RETURNING 1", id));
    char *pw = db_text("SELECT password FROM camera WHERE device_id = ?1", id);
    assert_string_equal(pw, "s3cret");
    free(pw);
    assert_int_equal(td_daemon_restart(&D), 0);
    assert_sealed(id);
    char *n = db_text("SELECT count(*) FROM audit WHERE action = 'camera.seal' AND ?1 > 0", id);
    assert_non_null(n);
    assert_true(strtol(n, NULL, 10) >= 1);
    free(n);
    c = check(id);
    expect(c, "ok", NULL);
    json_decref(c);
}

/* The fetcher stops cleanly with the daemon (no leak, no sanitizer report). */
static void test_clean_shutdown(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_validation),
        cmocka_unit_test(test_detections),
        cmocka_unit_test(test_frozen),
        cmocka_unit_test(test_offline),
        cmocka_unit_test(test_auth),
        cmocka_unit_test(test_persistence_and_recovery),
        cmocka_unit_test(test_snapshot_and_list),
        cmocka_unit_test(test_sealed_passwords),
        cmocka_unit_test(test_clean_shutdown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
