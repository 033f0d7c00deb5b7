/* fuzz_conf.c - libFuzzer target for the configuration parser (conf_parse). */
#include "core/conf.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct conf c;
    char err[256];
    conf_defaults(&c);
    (void)conf_parse(&c, (const char *)data, size, err, sizeof err);
    return 0;
}
