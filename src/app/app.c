/* app.c - application context and small shared helpers. */
#include "app/app.h"

#include "app/auth.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int app_invalid(struct app_err *err, const char *field, const char *fmt, ...)
{
    if (err) {
        snprintf(err->field, sizeof err->field, "%s", field ? field : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

int app_refuse(struct app_err *err, const char *type, const char *field, const char *fmt, ...)
{
    if (err) {
        snprintf(err->type, sizeof err->type, "%s", type);
        snprintf(err->field, sizeof err->field, "%s", field ? field : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

int app_init(struct app *a, struct store *st, const struct conf *conf)
{
    memset(a, 0, sizeof *a);
    if (sodium_init() < 0)
        return -ENOMEM;
    a->st = st;
    a->conf = conf;
    /* A hash of random bytes at the configured cost: verifying an unknown user against it
     * costs what verifying a real one does. */
    unsigned char rnd[24];
    char pw[64];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
    return auth_password_hash(conf, pw, &a->dummy_hash);
}

void app_cleanup(struct app *a)
{
    if (!a)
        return;
    free(a->dummy_hash);
    a->dummy_hash = NULL;
    json_decref(a->checklists);
    a->checklists = NULL;
}

void app_actor_system(struct actor *out, const char *name)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->role, sizeof out->role, "system");
    out->perms = ~(perm_mask)0;
}

json_t *app_list_json(json_t *rows, int64_t total, const struct page *pg)
{
    return json_pack("{so sI sI sI}", "items", rows, "total", (json_int_t)total, "limit",
                     (json_int_t)pg->limit, "offset", (json_int_t)pg->offset);
}
