/* users.c - staff accounts: list, create, update, password (all audited). */
#include "app/audit.h"
#include "app/auth.h"
#include "core/clock.h"
#include "store/store_auth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int app_user_list(struct app *a, const struct page *pg, json_t **out)
{
    json_t *rows = NULL;
    int64_t total = 0;
    struct store_conn *c = store_read_begin(a->st);
    int rc = store_user_list(c, pg->limit, pg->offset, &rows, &total);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    size_t i;
    json_t *row;
    json_array_foreach (rows, i, row) {
        const char *role = json_string_value(json_object_get(row, "role"));
        json_object_set_new(row, "permissions", perm_mask_json(role_perms(role ? role : "")));
    }
    *out = app_list_json(rows, total, pg);
    return 0;
}

static int check_username(const char *s, struct app_err *err)
{
    size_t n = strlen(s);
    if (n < 2 || n > 32)
        return app_invalid(err, "username", "must be 2 to 32 characters");
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
              *p == '-'))
            return app_invalid(err, "username", "may hold only a-z, 0-9, '_', '.' and '-'");
    }
    return 0;
}

static int check_display_name(const char *s, struct app_err *err)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return app_invalid(err, "display_name", "must be 1 to 64 bytes");
    return 0;
}

static int check_role(const char *s, struct app_err *err)
{
    return role_valid(s) ? 0 : app_invalid(err, "role", "is not a known role");
}

struct user_job {
    const struct actor *who;
    const char *username, *display_name, *role, *pw_hash;
    int64_t id;
    int disabled; /* -1 unchanged */
    int by_name;
};

static void user_obj(char *obj, size_t n, int64_t id)
{
    snprintf(obj, n, "user:%lld", (long long)id);
}

static int user_create_job(struct store_conn *c, void *arg)
{
    struct user_job *j = arg;
    int rc = store_user_insert(c, j->username, j->display_name, j->role, j->pw_hash, clock_now_ms(),
                               &j->id);
    if (rc)
        return rc;
    char obj[48];
    user_obj(obj, sizeof obj, j->id);
    rc = audit_append(c, j->who, "user.create", obj, "created %s with role %s", j->username,
                      j->role);
    if (!rc)
        store_conn_emit(c, "user.changed", json_pack("{sI}", "id", (json_int_t)j->id));
    return rc;
}

int app_user_create(struct app *a, const struct actor *who, json_t *in, json_t **out,
                    struct app_err *err)
{
    const char *username = json_string_value(json_object_get(in, "username"));
    const char *display = json_string_value(json_object_get(in, "display_name"));
    const char *role = json_string_value(json_object_get(in, "role"));
    const char *pw = json_string_value(json_object_get(in, "password"));
    if (!username || !display || !role || !pw)
        return app_invalid(err, "", "username, display_name, role and password are required");
    int rc = check_username(username, err);
    if (!rc)
        rc = check_display_name(display, err);
    if (!rc)
        rc = check_role(role, err);
    if (!rc)
        rc = auth_password_check(pw, err);
    if (rc)
        return rc;
    char *hash = NULL;
    rc = auth_password_hash(a->conf, pw, &hash);
    if (rc)
        return rc;
    struct user_job j = {
        .who = who, .username = username, .display_name = display, .role = role, .pw_hash = hash};
    rc = store_write(a->st, user_create_job, &j);
    free(hash);
    if (rc == -EEXIST) {
        app_invalid(err, "username", "is already taken");
        return -EEXIST;
    }
    if (rc)
        return rc;
    *out = json_pack("{sI ss ss ss sb so}", "id", (json_int_t)j.id, "username", username,
                     "display_name", display, "role", role, "disabled", 0, "permissions",
                     perm_mask_json(role_perms(role)));
    return 0;
}

static int user_update_job(struct store_conn *c, void *arg)
{
    struct user_job *j = arg;
    struct store_user u;
    int rc = j->by_name ? store_user_by_name(c, j->username, &u) : store_user_by_id(c, j->id, &u);
    if (rc)
        return rc;
    j->id = u.id;
    rc = store_user_update(c, u.id, j->display_name, j->role, j->disabled, j->pw_hash,
                           clock_now_ms());
    if (rc)
        return rc;
    /* A disabled account, a new role or a new password ends the user's sessions. */
    if (j->disabled == 1 || j->pw_hash || (j->role && strcmp(j->role, u.role) != 0))
        rc = store_session_delete_user(c, u.id);
    if (rc)
        return rc;
    char obj[48];
    user_obj(obj, sizeof obj, u.id);
    if (j->pw_hash)
        rc = audit_append(c, j->who, "user.password", obj, "password set for %s", u.username);
    else
        rc = audit_append(c, j->who, "user.update", obj, "updated %s:%s%s%s%s", u.username,
                          j->display_name ? " display_name" : "", j->role ? " role=" : "",
                          j->role ? j->role : "",
                          j->disabled == 1   ? " disabled"
                          : j->disabled == 0 ? " enabled"
                                             : "");
    if (!rc)
        store_conn_emit(c, "user.changed", json_pack("{sI}", "id", (json_int_t)u.id));
    return rc;
}

int app_user_update(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                    struct app_err *err)
{
    struct user_job j = {.who = who, .id = id, .disabled = -1};
    json_t *v;
    int rc = 0;
    if ((v = json_object_get(in, "display_name"))) {
        j.display_name = json_string_value(v);
        rc = check_display_name(j.display_name, err);
    }
    if (!rc && (v = json_object_get(in, "role"))) {
        j.role = json_string_value(v);
        rc = check_role(j.role, err);
    }
    if (!rc && (v = json_object_get(in, "disabled")))
        j.disabled = json_is_true(v);
    if (rc)
        return rc;
    if (!j.display_name && !j.role && j.disabled < 0)
        return app_invalid(err, "", "nothing to change");
    if (j.disabled == 1 && id == who->user_id)
        return app_invalid(err, "disabled", "you cannot disable your own account");
    rc = store_write(a->st, user_update_job, &j);
    if (rc)
        return rc;
    struct store_user u;
    struct store_conn *c = store_read_begin(a->st);
    rc = store_user_by_id(c, id, &u);
    store_read_end(a->st, c);
    if (rc)
        return rc;
    *out = json_pack("{sI ss ss ss sb so}", "id", (json_int_t)u.id, "username", u.username,
                     "display_name", u.display_name, "role", u.role, "disabled", u.disabled,
                     "permissions", perm_mask_json(role_perms(u.role)));
    return 0;
}

int app_user_set_password(struct app *a, const struct actor *who, const char *username,
                          const char *password, struct app_err *err)
{
    int rc = auth_password_check(password, err);
    if (rc)
        return rc;
    char *hash = NULL;
    rc = auth_password_hash(a->conf, password, &hash);
    if (rc)
        return rc;
    struct user_job j = {
        .who = who, .username = username, .pw_hash = hash, .disabled = -1, .by_name = 1};
    rc = store_write(a->st, user_update_job, &j);
    free(hash);
    return rc;
}
