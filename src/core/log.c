/* log.c - key=value lines on stderr, one write(2) per line so threads never interleave. */
#include "core/log.h"

#include "core/clock.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum log_level log_threshold = LOG_LVL_INFO;

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

int log_level_parse(const char *s, enum log_level *out)
{
    for (int i = 0; i <= LOG_LVL_OFF; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -EINVAL;
}

void log_set_level(enum log_level lvl)
{
    log_threshold = lvl;
}

void log_write(enum log_level lvl, const char *mod, const char *fmt, ...)
{
    char line[2048];
    char ts[CLOCK_ISO_LEN];
    if (clock_format_iso(clock_now_ms(), ts, sizeof ts) != 0)
        snprintf(ts, sizeof ts, "-");
    int n = snprintf(line, sizeof line, "%s level=%s mod=%s ", ts, level_names[lvl], mod);
    if (n < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m > 0 ? (size_t)m : 0);
    if (len >= sizeof line - 1)
        len = sizeof line - 2;
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
