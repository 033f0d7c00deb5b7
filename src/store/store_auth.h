/* store_auth.h - SQL for users, sessions, login failures and API keys. */
#ifndef VIGIL_STORE_AUTH_H
#define VIGIL_STORE_AUTH_H

#include "store/store.h"

#define STORE_HASH_LEN 32

struct store_user {
    int64_t id;
    char username[64];
    char display_name[128];
    char role[24];
    char pw_hash[160];
    int disabled;
};

/* OUT *u for the (case-insensitive) username. -ENOENT if none. */
int store_user_by_name(struct store_conn *c, const char *username, struct store_user *u);
int store_user_by_id(struct store_conn *c, int64_t id, struct store_user *u);
/* Inserts a user; OUT *id. -EEXIST when the username is taken. */
int store_user_insert(struct store_conn *c, const char *username, const char *display_name,
                      const char *role, const char *pw_hash, int64_t now, int64_t *id);
/* Updates the fields that are non-NULL (disabled < 0 = unchanged). -ENOENT if no such user. */
int store_user_update(struct store_conn *c, int64_t id, const char *display_name, const char *role,
                      int disabled, const char *pw_hash, int64_t now);
/* Rows of users: id, username, display_name, role, disabled, created_at. OUT *rows, *total. */
int store_user_list(struct store_conn *c, int64_t limit, int64_t offset, json_t **rows,
                    int64_t *total);
int store_user_count(struct store_conn *c, int64_t *n);

struct store_session {
    int64_t user_id;
    int64_t last_seen;
    int64_t expires_at;
};
int store_session_insert(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN],
                         int64_t user_id, int64_t now, int64_t expires_at);
int store_session_get(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN],
                      struct store_session *s);
int store_session_touch(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN],
                        int64_t now);
int store_session_delete(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN]);
int store_session_delete_user(struct store_conn *c, int64_t user_id);
/* Deletes sessions idle since before idle_before or past expiry, and login-failure rows that
 * are unlocked and a day old. */
int store_session_purge(struct store_conn *c, int64_t now, int64_t idle_before);

/* Login failures per attempted username (known or not, so lockout reveals nothing). */
int store_login_failure_get(struct store_conn *c, const char *username, int64_t *failures,
                            int64_t *locked_until);
int store_login_failure_set(struct store_conn *c, const char *username, int64_t failures,
                            int64_t locked_until, int64_t now);
int store_login_failure_clear(struct store_conn *c, const char *username);

struct store_apikey {
    int64_t id;
    char name[64];
    char perms[512];
    int64_t revoked_at; /* 0 when active */
};
int store_apikey_insert(struct store_conn *c, const char *name,
                        const unsigned char hash[STORE_HASH_LEN], const char *perms, int64_t now,
                        int64_t *id);
int store_apikey_by_hash(struct store_conn *c, const unsigned char hash[STORE_HASH_LEN],
                         struct store_apikey *k);
/* -ENOENT when there is no active key of that name. */
int store_apikey_revoke(struct store_conn *c, const char *name, int64_t now);
int store_apikey_list(struct store_conn *c, json_t **rows);

#endif
