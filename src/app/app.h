/* app.h - the application core: the regulation's rules over the store. No I/O here besides
 * the store; the HTTP and CLI edges call these functions and render their results.
 *
 * Error convention for every app_* function: 0 on success, or a negative errno that
 * http/errmap.c turns into a problem type:
 *   -EINVAL validation (err->field, err->message say what), -ENOENT not found,
 *   -EEXIST conflict, -EACCES forbidden, -EPERM unauthenticated,
 *   -EKEYREJECTED invalid credentials, -EAGAIN locked out (err->retry_after seconds),
 *   -EBUSY / -EIO the store cannot commit now. */
#ifndef VIGIL_APP_H
#define VIGIL_APP_H

#include "app/perm.h"
#include "core/conf.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct app {
    struct store *st;
    const struct conf *conf;
    char *dummy_hash;     /* verified against for unknown users, so timing reveals nothing */
    json_t *checklists;   /* incident type -> checklist (app/checklist.c), set at start-up */
    const char *data_dir; /* borrowed; holds the audit signing key (NULL: no key available) */
};

/* Who is acting: a signed-in user, an API key, or the system itself (name "system"). */
struct actor {
    int64_t user_id; /* 0 for API keys and the system */
    char name[72];   /* username, "apikey:NAME", "system" or "vigilctl" */
    char role[24];
    perm_mask perms;
    int is_apikey;
};

struct app_err {
    char field[64];
    char message[200];
    int retry_after;
    char type[40]; /* a specific problem type (errmap.c), or "" for the errno's generic one */
    /* One extra member of the problem document when key is set (e.g. "oldest_kept"). */
    char extra_key[24];
    char extra_val[48];
};

/* Sets err's field and message; returns -EINVAL for `return app_invalid(...)`. */
int app_invalid(struct app_err *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like app_invalid, but the refusal has its own stable problem type (a slug listed in
 * http/errmap.c, e.g. "below-minimum"), so clients need not read the English message. Returns
 * -EINVAL (the job rolls back like any refusal); the HTTP status is the type's own. */
int app_refuse(struct app_err *err, const char *type, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Initialises a (borrowing st and conf, which must outlive it). Returns 0 or -ENOMEM. */
int app_init(struct app *a, struct store *st, const struct conf *conf);
void app_cleanup(struct app *a);

/* The actor used for work the daemon does by itself. */
void app_actor_system(struct actor *out, const char *name);

/* Pagination shared by list functions. */
struct page {
    int64_t limit, offset;
};

/* Wraps rows into {"items": rows, "total": N, "limit": L, "offset": O} (steals rows). */
json_t *app_list_json(json_t *rows, int64_t total, const struct page *pg);

#endif
