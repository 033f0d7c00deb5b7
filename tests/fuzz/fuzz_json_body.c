/* fuzz_json_body.c - libFuzzer target for the request-body path: jansson decoding with the
 * daemon's flags, then the shared shape validator (v_object) with a representative spec. */
#include "http/http_int.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct v_field spec[] = {
    {"unit", V_STR, 1, 32}, {"name", V_STR, 1, 64},     {"phone", V_STR, 1, 20},
    {"floor", V_INT, 0, 0}, {"disabled", V_BOOL, 0, 0}, {NULL, 0, 0, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *j =
        json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!j)
        return 0;
    struct app_err err = {0};
    (void)v_object(j, spec, &err);
    json_decref(j);
    return 0;
}
