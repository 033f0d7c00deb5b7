/* auth.h - passwords (argon2id), sessions, lockout, API keys, and the users use cases. */
#ifndef VIGIL_AUTH_H
#define VIGIL_AUTH_H

#include "app/app.h"

#define AUTH_TOKEN_MAX 96

/* Hashes pw with argon2id at the configured cost into a new heap string (caller frees).
 * Returns 0 or -ENOMEM. */
int auth_password_hash(const struct conf *conf, const char *pw, char **out);
/* 1 if pw matches hash (constant work whatever the result). */
int auth_password_verify(const char *hash, const char *pw);

/* Validates a new password: 8..128 bytes. Returns 0 or -EINVAL with err set. */
int auth_password_check(const char *pw, struct app_err *err);

/* Login. On success fills token (NUL-terminated, AUTH_TOKEN_MAX) and *user (new JSON, caller
 * decrefs). Unknown user, wrong password and disabled account all give -EKEYREJECTED with
 * the same work done; -EAGAIN while locked out (err->retry_after). Audited. */
int app_login(struct app *a, const char *username, const char *password, char *token, json_t **user,
              struct app_err *err);
/* Resolves a bearer token (session "vs_…" or API key "vk_…") into an actor. Refreshes the
 * session's idle timer. -EPERM when missing, unknown, expired, revoked or disabled. */
int app_authenticate(struct app *a, const char *token, struct actor *out);
/* Ends the session of token (no-op for API keys). Audited. */
int app_logout(struct app *a, const struct actor *who, const char *token);
/* {"user": USER, "site": SITE-lite} for /me. */
int app_me(struct app *a, const struct actor *who, json_t **out);

/* Users (audited). Input objects are shape-checked by the caller; values are checked here. */
int app_user_list(struct app *a, const struct page *pg, json_t **out);
int app_user_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                    struct app_err *err);
int app_user_update(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                    struct app_err *err);
/* Sets a new password (vigilctl passwd); ends the user's sessions. */
int app_user_set_password(struct app *a, const struct actor *who, const char *username,
                          const char *password, struct app_err *err);

/* API keys: creates one with the given permissions; OUT key (shown once, AUTH_TOKEN_MAX). */
int app_apikey_create(struct app *a, const struct actor *who, const char *name,
                      const char *perms_csv, char *key, struct app_err *err);
int app_apikey_revoke(struct app *a, const struct actor *who, const char *name);
int app_apikey_list(struct app *a, json_t **out);

/* Deletes expired sessions and stale lockout rows. */
int app_auth_housekeeping(struct app *a);

#endif
