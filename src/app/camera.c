/* camera.c - camera health: configuration, the N-persistence rule, tickets, incidents,
 * recovery. */
#include "app/camera.h"

#include "app/alarm.h"
#include "app/audit.h"
#include "app/dutylog.h"
#include "app/secret.h"
#include "app/site.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_alarm.h"
#include "store/store_model.h"

#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ---- */

/* Folds the threshold columns into "thresholds", parses "metrics". */
static void shape(json_t *row)
{
    static const char *const th[] = {"sharpness_min",  "dark_mean",  "bright_mean", "clip_max",
                                     "covered_stddev", "frozen_tol", "frozen_k",    NULL};
    json_t *t = json_object();
    for (int i = 0; th[i]; i++) {
        json_t *v = json_object_get(row, th[i]);
        if (v && !json_is_null(v))
            json_object_set(t, th[i], v);
        json_object_del(row, th[i]);
    }
    if (json_object_size(t))
        json_object_set_new(row, "thresholds", t);
    else
        json_decref(t);
    const char *m = json_string_value(json_object_get(row, "metrics"));
    if (m) {
        json_t *mj = json_loads(m, 0, NULL);
        json_object_set_new(row, "metrics", mj ? mj : json_null());
    }
    int64_t id = json_integer_value(json_object_get(row, "id"));
    if (json_is_string(json_object_get(row, "thumb_at"))) {
        char *u = xasprintf("/api/v1/cameras/%lld/snapshot", (long long)id);
        json_object_set_new(row, "snapshot_url", json_string(u));
        free(u);
    }
}

int app_camera_list(struct app *a, int problems, const struct page *pg, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    json_t *rows = NULL;
    int64_t total = 0;
    int rc = store_camera_list(c, problems, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r)
        shape(r);
    *out = app_list_json(rows, total, pg);
    return 0;
}

int app_camera_get(struct app *a, int64_t id, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    json_t *row = NULL, *hist = NULL;
    int rc = store_camera_get(c, id, &row);
    if (!rc)
        rc = store_camera_history(c, id, 50, &hist);
    store_read_end(a->st, c);
    if (rc) {
        json_decref(row);
        return rc;
    }
    shape(row);
    json_object_set_new(row, "history", hist);
    *out = row;
    return 0;
}

int app_camera_thumb(struct app *a, int64_t id, uint8_t **jpeg, size_t *len)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_camera_thumb(c, id, jpeg, len);
    store_read_end(a->st, c);
    return rc;
}

/* ---- configuration ---- */

static int num_field(json_t *t, const char *k, double lo, double hi, double *v, struct app_err *err)
{
    json_t *x = json_object_get(t, k);
    if (!x)
        return 0;
    if (!json_is_number(x) || !isfinite(json_number_value(x)) || json_number_value(x) < lo ||
        json_number_value(x) > hi)
        return app_invalid(err, k, "must be a number from %g to %g", lo, hi);
    *v = json_number_value(x);
    return 0;
}

static int parse_thresholds(json_t *t, struct camera_thresholds *th, struct app_err *err)
{
    static const char *const known[] = {"sharpness_min",  "dark_mean",  "bright_mean", "clip_max",
                                        "covered_stddev", "frozen_tol", "frozen_k",    NULL};
    const char *k;
    json_t *v;
    json_object_foreach (t, k, v)
        if (!str_in(k, known))
            return app_invalid(err, "thresholds", "unknown threshold \"%.40s\"", k);
    double fk = th->frozen_k;
    int rc = num_field(t, "sharpness_min", 0, 100000, &th->sharpness_min, err);
    if (!rc)
        rc = num_field(t, "dark_mean", 0, 255, &th->dark_mean, err);
    if (!rc)
        rc = num_field(t, "bright_mean", 0, 255, &th->bright_mean, err);
    if (!rc)
        rc = num_field(t, "clip_max", 0, 1, &th->clip_max, err);
    if (!rc)
        rc = num_field(t, "covered_stddev", 0, 128, &th->covered_stddev, err);
    if (!rc)
        rc = num_field(t, "frozen_tol", 0, 255, &th->frozen_tol, err);
    if (!rc)
        rc = num_field(t, "frozen_k", 2, 100, &fk, err);
    if (!rc && fk != floor(fk))
        rc = app_invalid(err, "frozen_k", "must be a whole number");
    if (!rc && th->dark_mean >= th->bright_mean)
        rc = app_invalid(err, "dark_mean", "must be below bright_mean");
    th->frozen_k = (int)fk;
    return rc;
}

static int check_url(const char *url, struct app_err *err)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return app_invalid(err, "url", "must be an http:// or https:// snapshot URL");
    const char *host = strstr(url, "://") + 3;
    if (!*host || *host == '/')
        return app_invalid(err, "url", "has no host");
    /* Credentials in the URL would be shown to every site.read holder with the camera list:
     * they belong in username/password, which are never returned. */
    size_t auth_len = strcspn(host, "/?#");
    if (memchr(host, '@', auth_len))
        return app_invalid(err, "url",
                           "must not contain a user name or password: use username "
                           "and password");
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return app_invalid(err, "url", "must not contain spaces or control characters");
    if (strlen(url) > 1000)
        return app_invalid(err, "url", "is longer than 1000 characters");
    return 0;
}

static int int_field(json_t *in, const char *k, int64_t lo, int64_t hi, int64_t *v,
                     struct app_err *err)
{
    json_t *x = json_object_get(in, k);
    if (!x)
        return 0;
    if (!json_is_integer(x) || json_integer_value(x) < lo || json_integer_value(x) > hi)
        return app_invalid(err, k, "must be a whole number from %lld to %lld", (long long)lo,
                           (long long)hi);
    *v = json_integer_value(x);
    return 0;
}

static int parse_cfg(json_t *in, struct store_camera_cfg *cfg, struct app_err *err)
{
    cfg->url = json_string_value(json_object_get(in, "url"));
    cfg->auth = json_string_value(json_object_get(in, "auth"));
    cfg->username = json_string_value(json_object_get(in, "username"));
    cfg->password = json_string_value(json_object_get(in, "password"));
    json_t *en = json_object_get(in, "enabled");
    cfg->enabled = en ? json_is_true(en) : 1;
    cfg->interval_s = 60;
    cfg->timeout_ms = 5000;
    cfg->persist = 3;
    camera_thresholds_default(&cfg->th);
    if (!cfg->auth)
        cfg->auth = "none";
    if (cfg->username && !cfg->username[0])
        cfg->username = NULL;
    int rc = cfg->url ? check_url(cfg->url, err) : app_invalid(err, "url", "is required");
    if (!rc && !str_in(cfg->auth, camera_auths))
        rc = app_invalid(err, "auth", "must be none, basic or digest");
    if (!rc && strcmp(cfg->auth, "none") != 0 && !cfg->username)
        rc = app_invalid(err, "username", "is required for %s authentication", cfg->auth);
    if (!rc)
        rc = int_field(in, "interval_s", 1, 86400, &cfg->interval_s, err);
    if (!rc)
        rc = int_field(in, "timeout_ms", 100, 60000, &cfg->timeout_ms, err);
    if (!rc)
        rc = int_field(in, "persist", 1, 100, &cfg->persist, err);
    json_t *t = json_object_get(in, "thresholds");
    if (!rc && t)
        rc = json_is_object(t) ? parse_thresholds(t, &cfg->th, err)
                               : app_invalid(err, "thresholds", "must be an object");
    return rc;
}

struct cfg_job {
    const struct actor *who;
    struct store_camera_cfg cfg;
    int op; /* 0 configure, 1 remove, 2 check now */
};

static int device_is_camera(struct store_conn *c, int64_t id)
{
    json_t *d = NULL;
    int rc = store_device_get(c, id, &d);
    if (!rc && strcmp(json_string_value(json_object_get(d, "kind")), "camera") != 0)
        rc = -ENOENT;
    json_decref(d);
    return rc;
}

static int cfg_job_run(struct store_conn *c, void *arg)
{
    struct cfg_job *j = arg;
    int64_t id = j->cfg.device_id;
    int rc = device_is_camera(c, id);
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "device:%lld", (long long)id);
    if (j->op == 2)
        return store_camera_check_now(c, id);
    if (j->op == 1) {
        rc = store_camera_delete(c, id);
        return rc ? rc : audit_append(c, j->who, "camera.unconfigure", obj, "snapshot checks off");
    }
    rc = store_camera_upsert(c, &j->cfg, clock_now_ms());
    if (!rc)
        rc = audit_append(c, j->who, "camera.configure", obj,
                          "%s auth=%s interval=%llds persist=%lld enabled=%d", j->cfg.url,
                          j->cfg.auth, (long long)j->cfg.interval_s, (long long)j->cfg.persist,
                          j->cfg.enabled);
    return rc;
}

int app_camera_configure(struct app *a, const struct actor *who, int64_t id, json_t *in,
                         json_t **out, struct app_err *err)
{
    struct cfg_job j = {.who = who};
    int rc = parse_cfg(in, &j.cfg, err);
    if (rc)
        return rc;
    j.cfg.device_id = id;
    /* The password is stored sealed (app/secret.h): never in clear in the database. */
    char *sealed = NULL;
    if (j.cfg.password && j.cfg.password[0]) {
        rc = secret_seal(a, j.cfg.password, &sealed);
        if (rc == -EINVAL)
            return app_invalid(err, "password", "must be at most %d bytes", SECRET_PLAIN_MAX);
        if (rc)
            return rc;
        j.cfg.password = sealed;
    }
    rc = store_write(a->st, cfg_job_run, &j);
    free(sealed);
    if (!rc)
        rc = app_camera_get(a, id, out);
    return rc;
}

int app_camera_unconfigure(struct app *a, const struct actor *who, int64_t id)
{
    struct cfg_job j = {.who = who, .op = 1, .cfg = {.device_id = id}};
    return store_write(a->st, cfg_job_run, &j);
}

int app_camera_check_now(struct app *a, const struct actor *who, int64_t id)
{
    struct cfg_job j = {.who = who, .op = 2, .cfg = {.device_id = id}};
    return store_write(a->st, cfg_job_run, &j);
}

int app_camera_due(struct app *a, int64_t now, const int64_t *busy, size_t nbusy, size_t max,
                   struct camera_job **jobs, size_t *n)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_camera_due(c, now, busy, nbusy, max, jobs, n);
    store_read_end(a->st, c);
    /* The key file is read once for the batch, and only when a password is sealed. */
    unsigned char key[SECRET_KEY_BYTES];
    int have_key = -1;
    for (size_t i = 0; !rc && i < *n; i++) {
        struct camera_job *j = &(*jobs)[i];
        if (have_key < 0 && secret_is_sealed(j->password_stored))
            have_key = secret_key_load(a, key) == 0;
        /* A password that does not open (the key file lost or replaced, say after restoring a
         * backup elsewhere) is sent empty: the camera answers 401, which the grid shows, and
         * re-entering the password seals it under the current key. */
        if (j->password_stored[0] && secret_open_with(have_key > 0 ? key : NULL, j->password_stored,
                                                      j->password, sizeof j->password) != 0)
            j->password[0] = '\0';
        sodium_memzero(j->password_stored, sizeof j->password_stored);
    }
    sodium_memzero(key, sizeof key);
    return rc;
}

static int seal_job(struct store_conn *c, void *arg)
{
    struct app *a = arg;
    json_t *rows = NULL;
    int rc = store_camera_passwords_unsealed(c, SECRET_PREFIX, &rows);
    size_t i, sealed = 0;
    json_t *r;
    json_array_foreach (rows, i, r) {
        char *s = NULL;
        if (rc || secret_seal(a, json_string_value(json_object_get(r, "password")), &s) != 0)
            continue; /* too long to seal, or no key: left as it is */
        rc = store_camera_password_set(c, json_integer_value(json_object_get(r, "device_id")), s);
        free(s);
        sealed += rc == 0;
    }
    json_decref(rows);
    if (!rc && sealed) {
        struct actor sys;
        app_actor_system(&sys, "system");
        rc = audit_append(c, &sys, "camera.seal", "camera", "%zu stored camera password(s) sealed",
                          sealed);
    }
    return rc;
}

int app_camera_seal_passwords(struct app *a)
{
    return store_write(a->st, seal_job, a);
}
