/* validate.c - shared input validators for handlers (kore-style validators). */
#include "http/http_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct v_field *spec_find(const struct v_field *spec, const char *name)
{
    for (; spec->name; spec++)
        if (strcmp(spec->name, name) == 0)
            return spec;
    return NULL;
}

static const char *type_name(enum v_type t)
{
    return t == V_STR   ? "a string"
           : t == V_INT ? "an integer"
           : t == V_OBJ ? "an object"
           : t == V_ARR ? "an array"
                        : "true or false";
}

int v_object(json_t *obj, const struct v_field *spec, struct app_err *err)
{
    if (!json_is_object(obj))
        return app_invalid(err, "", "the body must be a JSON object");
    const char *key;
    json_t *val;
    json_object_foreach (obj, key, val) {
        const struct v_field *f = spec_find(spec, key);
        if (!f)
            return app_invalid(err, key, "unknown field");
        if (json_is_null(val) && !f->required)
            continue;
        int ok = (f->type == V_STR && json_is_string(val)) ||
                 (f->type == V_INT && json_is_integer(val)) ||
                 (f->type == V_BOOL && json_is_boolean(val)) ||
                 (f->type == V_OBJ && json_is_object(val)) ||
                 (f->type == V_ARR && json_is_array(val));
        if (!ok)
            return app_invalid(err, key, "must be %s", type_name(f->type));
        if (f->type == V_STR) {
            size_t max = f->max_len ? f->max_len : 256;
            if (json_string_length(val) > max)
                return app_invalid(err, key, "longer than %zu bytes", max);
        }
    }
    for (; spec->name; spec++) {
        json_t *v = json_object_get(obj, spec->name);
        if (spec->required && (!v || json_is_null(v)))
            return app_invalid(err, spec->name, "is required");
    }
    /* Optional fields sent as null mean "absent": drop them so app code sees NULL. */
    void *tmp;
    json_object_foreach_safe (obj, tmp, key, val) {
        if (json_is_null(val))
            json_object_del(obj, key);
    }
    return 0;
}

/* Query errors are -EDOM so errmap reports them as /problems/bad-query. */
static int bad_query(struct app_err *err, const char *key, const char *msg)
{
    app_invalid(err, key, "%s", msg);
    return -EDOM;
}

const char *v_query(struct http_req *req, const char *key)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

static int parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s || strlen(s) > 18)
        return -EINVAL;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -EINVAL;
    int64_t v = strtoll(s, NULL, 10);
    if (v < min || v > max)
        return -EINVAL;
    *out = v;
    return 0;
}

int v_page(struct http_req *req, struct page *pg, struct app_err *err)
{
    pg->limit = 50;
    pg->offset = 0;
    const char *l = v_query(req, "limit"), *o = v_query(req, "offset");
    if (l && parse_int(l, 1, 500, &pg->limit))
        return bad_query(err, "limit", "must be a whole number from 1 to 500");
    if (o && parse_int(o, 0, INT64_MAX / 2, &pg->offset))
        return bad_query(err, "offset", "must be a whole number of at least 0");
    return 0;
}

int v_query_enum(struct http_req *req, const char *key, const char *const *list, const char **out,
                 struct app_err *err)
{
    const char *v = v_query(req, key);
    *out = NULL;
    if (!v)
        return 0;
    for (const char *const *p = list; *p; p++) {
        if (strcmp(*p, v) == 0) {
            *out = *p;
            return 0;
        }
    }
    return bad_query(err, key, "is not an allowed value");
}

int v_query_id(struct http_req *req, const char *key, int64_t *out, struct app_err *err)
{
    const char *v = v_query(req, key);
    *out = 0;
    if (v && parse_int(v, 1, INT64_MAX, out))
        return bad_query(err, key, "must be a positive whole number");
    return 0;
}
