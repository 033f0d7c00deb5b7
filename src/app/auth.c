/* auth.c - login, sessions, lockout with back-off, API keys. */
#include "app/auth.h"

#include "app/audit.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "store/store_auth.h"
#include "store/store_model.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_PREFIX "vs_"
#define APIKEY_PREFIX "vk_"
#define TOUCH_EVERY_MS 30000

int auth_password_hash(const struct conf *conf, const char *pw, char **out)
{
    char *h = xmalloc(crypto_pwhash_STRBYTES);
    if (crypto_pwhash_str_alg(h, pw, strlen(pw), (unsigned long long)conf->argon2_opslimit,
                              (size_t)conf->argon2_memlimit_kib * 1024,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        free(h);
        return -ENOMEM;
    }
    *out = h;
    return 0;
}

int auth_password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int auth_password_check(const char *pw, struct app_err *err)
{
    size_t n = strlen(pw);
    if (n < 8 || n > 128)
        return app_invalid(err, "password", "must be 8 to 128 bytes long");
    return 0;
}

static void token_new(const char *prefix, char *out)
{
    unsigned char rnd[32];
    randombytes_buf(rnd, sizeof rnd);
    size_t pl = strlen(prefix);
    memcpy(out, prefix, pl);
    sodium_bin2base64(out + pl, AUTH_TOKEN_MAX - pl, rnd, sizeof rnd,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void token_hash(const char *token, unsigned char out[STORE_HASH_LEN])
{
    crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

static json_t *user_json(const struct store_user *u)
{
    return json_pack("{sI ss ss ss sb so}", "id", (json_int_t)u->id, "username", u->username,
                     "display_name", u->display_name, "role", u->role, "disabled", u->disabled,
                     "permissions", perm_mask_json(role_perms(u->role)));
}

static void actor_from_user(struct actor *a, const struct store_user *u)
{
    memset(a, 0, sizeof *a);
    a->user_id = u->id;
    snprintf(a->name, sizeof a->name, "%s", u->username);
    snprintf(a->role, sizeof a->role, "%s", u->role);
    a->perms = role_perms(u->role);
}

/* ---- login ---- */

struct login_job {
    struct app *a;
    const char *username;
    const struct store_user *user; /* NULL on failure */
    unsigned char hash[STORE_HASH_LEN];
    int64_t now;
    int64_t failures; /* after this attempt */
    int64_t locked_until;
};

static int login_ok_job(struct store_conn *c, void *arg)
{
    struct login_job *j = arg;
    int64_t expires = j->now + j->a->conf->session_max_lifetime * 1000;
    int rc = store_session_insert(c, j->hash, j->user->id, j->now, expires);
    if (!rc)
        rc = store_login_failure_clear(c, j->username);
    struct actor who;
    actor_from_user(&who, j->user);
    char obj[96];
    snprintf(obj, sizeof obj, "user:%lld", (long long)j->user->id);
    if (!rc)
        rc = audit_append(c, &who, "auth.login", obj, "signed in");
    return rc;
}

static int login_fail_job(struct store_conn *c, void *arg)
{
    struct login_job *j = arg;
    int64_t failures, locked_until;
    int rc = store_login_failure_get(c, j->username, &failures, &locked_until);
    if (rc)
        return rc;
    const struct conf *cf = j->a->conf;
    failures++;
    locked_until = 0;
    if (failures >= cf->login_max_failures) {
        /* Back-off: base, 2x base, 4x base … up to the maximum. */
        int64_t secs = cf->login_lockout_base;
        for (int64_t k = cf->login_max_failures; k < failures && secs < cf->login_lockout_max; k++)
            secs *= 2;
        if (secs > cf->login_lockout_max)
            secs = cf->login_lockout_max;
        locked_until = j->now + secs * 1000;
    }
    j->failures = failures;
    j->locked_until = locked_until;
    rc = store_login_failure_set(c, j->username, failures, locked_until, j->now);
    if (rc)
        return rc;
    struct actor who;
    app_actor_system(&who, "anonymous");
    char obj[96];
    snprintf(obj, sizeof obj, "username:%.64s", j->username);
    return audit_append(c, &who, "auth.login_failed", obj, "failed sign-in %lld%s",
                        (long long)failures, locked_until ? ", locked out" : "");
}

int app_login(struct app *a, const char *username, const char *password, char *token, json_t **user,
              struct app_err *err)
{
    struct store_user u;
    int64_t failures = 0, locked_until = 0;
    int64_t now = clock_now_ms();
    int found = 0;
    size_t ulen = strlen(username);
    if (ulen == 0 || ulen > 64 || strlen(password) > 1024) {
        auth_password_verify(a->dummy_hash, "x");
        return -EKEYREJECTED;
    }
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_login_failure_get(c, username, &failures, &locked_until);
    if (!rc) {
        rc = store_user_by_name(c, username, &u);
        found = rc == 0;
        if (rc == -ENOENT)
            rc = 0;
    }
    store_read_end(a->st, c);
    if (rc)
        return rc;
    if (locked_until > now) {
        err->retry_after = (int)((locked_until - now + 999) / 1000);
        return -EAGAIN;
    }
    /* The same argon2id work whether or not the user exists or is disabled. */
    int ok = auth_password_verify(found ? u.pw_hash : a->dummy_hash, password);
    ok = ok && found && !u.disabled;

    struct login_job j = {.a = a, .username = username, .user = ok ? &u : NULL, .now = now};
    if (!ok) {
        rc = store_write(a->st, login_fail_job, &j);
        if (rc)
            return rc;
        if (j.locked_until > now) {
            err->retry_after = (int)((j.locked_until - now + 999) / 1000);
            return -EAGAIN;
        }
        return -EKEYREJECTED;
    }
    token_new(SESSION_PREFIX, token);
    token_hash(token, j.hash);
    rc = store_write(a->st, login_ok_job, &j);
    if (rc) {
        memset(token, 0, AUTH_TOKEN_MAX);
        return rc;
    }
    *user = user_json(&u);
    return 0;
}

/* ---- authentication of requests ---- */

struct session_job {
    unsigned char hash[STORE_HASH_LEN];
    int64_t now;
    int expire; /* 1: delete it, 0: touch it */
};

static int session_job(struct store_conn *c, void *arg)
{
    struct session_job *j = arg;
    return j->expire ? store_session_delete(c, j->hash) : store_session_touch(c, j->hash, j->now);
}

static int auth_apikey(struct app *a, const unsigned char hash[STORE_HASH_LEN], struct actor *out)
{
    struct store_apikey k;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_apikey_by_hash(c, hash, &k);
    store_read_end(a->st, c);
    if (rc == -ENOENT || (!rc && k.revoked_at))
        return -EPERM;
    if (rc)
        return rc;
    perm_mask m = 0;
    char bad[64];
    if (perm_parse_list(k.perms, &m, bad, sizeof bad))
        return -EPERM;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "apikey:%s", k.name);
    snprintf(out->role, sizeof out->role, "apikey");
    out->perms = m;
    out->is_apikey = 1;
    return 0;
}

int app_authenticate(struct app *a, const char *token, struct actor *out)
{
    if (!token || strlen(token) >= AUTH_TOKEN_MAX)
        return -EPERM;
    struct session_job j;
    token_hash(token, j.hash);
    if (strncmp(token, APIKEY_PREFIX, 3) == 0)
        return auth_apikey(a, j.hash, out);
    if (strncmp(token, SESSION_PREFIX, 3) != 0)
        return -EPERM;

    struct store_session s;
    struct store_user u;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_session_get(c, j.hash, &s);
    if (!rc)
        rc = store_user_by_id(c, s.user_id, &u);
    store_read_end(a->st, c);
    if (rc == -ENOENT)
        return -EPERM;
    if (rc)
        return rc;
    j.now = clock_now_ms();
    j.expire = u.disabled || s.expires_at <= j.now ||
               j.now - s.last_seen > a->conf->session_idle_timeout * 1000;
    if (j.expire) {
        store_write(a->st, session_job, &j);
        return -EPERM;
    }
    if (j.now - s.last_seen > TOUCH_EVERY_MS)
        store_write(a->st, session_job, &j); /* best effort: a failed touch only shortens it */
    actor_from_user(out, &u);
    return 0;
}

struct logout_job {
    const struct actor *who;
    unsigned char hash[STORE_HASH_LEN];
};

static int logout_job(struct store_conn *c, void *arg)
{
    struct logout_job *j = arg;
    int rc = store_session_delete(c, j->hash);
    char obj[64];
    snprintf(obj, sizeof obj, "user:%lld", (long long)j->who->user_id);
    return rc ? rc : audit_append(c, j->who, "auth.logout", obj, "signed out");
}

int app_logout(struct app *a, const struct actor *who, const char *token)
{
    if (who->is_apikey || !token)
        return 0;
    struct logout_job j = {.who = who};
    token_hash(token, j.hash);
    return store_write(a->st, logout_job, &j);
}

int app_me(struct app *a, const struct actor *who, json_t **out)
{
    json_t *site = NULL, *user;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_site_brief(c, &site);
    if (rc == -ENOENT) {
        site = json_object();
        rc = 0;
    }
    if (!rc) /* the configured zone is authoritative (site.timezone) */
        json_object_set_new(site, "timezone", json_string(a->conf->site_timezone));
    struct store_user u;
    if (!rc && who->user_id) {
        rc = store_user_by_id(c, who->user_id, &u);
        if (!rc)
            user = user_json(&u);
    } else if (!rc) {
        user = json_pack("{ss ss so}", "username", who->name, "role", who->role, "permissions",
                         perm_mask_json(who->perms));
    }
    store_read_end(a->st, c);
    if (rc) {
        json_decref(site);
        return rc;
    }
    *out = json_pack("{so so}", "user", user, "site", site);
    return 0;
}

struct purge_job {
    int64_t now, idle_before;
};

static int purge_job(struct store_conn *c, void *arg)
{
    struct purge_job *j = arg;
    return store_session_purge(c, j->now, j->idle_before);
}

int app_auth_housekeeping(struct app *a)
{
    struct purge_job j = {.now = clock_now_ms()};
    j.idle_before = j.now - a->conf->session_idle_timeout * 1000;
    return store_write(a->st, purge_job, &j);
}

/* ---- API keys ---- */

struct apikey_job {
    const struct actor *who;
    const char *name;
    const char *perms;
    unsigned char hash[STORE_HASH_LEN];
    int revoke;
};

static int apikey_job(struct store_conn *c, void *arg)
{
    struct apikey_job *j = arg;
    int64_t id = 0;
    int rc = j->revoke ? store_apikey_revoke(c, j->name, clock_now_ms())
                       : store_apikey_insert(c, j->name, j->hash, j->perms, clock_now_ms(), &id);
    if (rc)
        return rc;
    char obj[96];
    snprintf(obj, sizeof obj, "apikey:%.64s", j->name);
    if (j->revoke)
        return audit_append(c, j->who, "apikey.revoke", obj, "API key revoked");
    return audit_append(c, j->who, "apikey.create", obj, "API key created with %s", j->perms);
}

int app_apikey_create(struct app *a, const struct actor *who, const char *name,
                      const char *perms_csv, char *key, struct app_err *err)
{
    size_t n = strlen(name);
    if (n < 1 || n > 64)
        return app_invalid(err, "name", "must be 1 to 64 characters");
    perm_mask m;
    char bad[64];
    if (perm_parse_list(perms_csv, &m, bad, sizeof bad))
        return app_invalid(err, "perms", "unknown permission \"%s\"", bad);
    char *csv = perm_mask_csv(m);
    struct apikey_job j = {.who = who, .name = name, .perms = csv};
    token_new(APIKEY_PREFIX, key);
    token_hash(key, j.hash);
    int rc = store_write(a->st, apikey_job, &j);
    free(csv);
    if (rc)
        memset(key, 0, AUTH_TOKEN_MAX);
    return rc;
}

int app_apikey_revoke(struct app *a, const struct actor *who, const char *name)
{
    struct apikey_job j = {.who = who, .name = name, .revoke = 1};
    return store_write(a->st, apikey_job, &j);
}

int app_apikey_list(struct app *a, json_t **out)
{
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_apikey_list(c, out);
    store_read_end(a->st, c);
    return rc;
}
