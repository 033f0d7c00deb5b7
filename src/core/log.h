/* log.h - one line per event on stderr: time, level, module and key=value fields.
 *
 * Only the edges (daemon, http handlers' error mapping, protocol sessions, CLI) log; lower
 * layers return codes. Messages must never contain secrets (passwords, tokens, keys). */
#ifndef VIGIL_LOG_H
#define VIGIL_LOG_H

enum log_level { LOG_LVL_DEBUG = 0, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERROR, LOG_LVL_OFF };

extern enum log_level log_threshold;

/* Parses "debug|info|warn|error|off". Returns 0 or -EINVAL. */
int log_level_parse(const char *s, enum log_level *out);
void log_set_level(enum log_level lvl);

/* Writes `TIME level=L mod=M msg` where fmt should produce `event key=value ...`. */
void log_write(enum log_level lvl, const char *mod, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The level is tested before the arguments are evaluated. */
#define log_msg(lvl, mod, ...)                                                                     \
    do {                                                                                           \
        if ((lvl) >= log_threshold)                                                                \
            log_write((lvl), (mod), __VA_ARGS__);                                                  \
    } while (0)
#define log_debug(mod, ...) log_msg(LOG_LVL_DEBUG, mod, __VA_ARGS__)
#define log_info(mod, ...) log_msg(LOG_LVL_INFO, mod, __VA_ARGS__)
#define log_warn(mod, ...) log_msg(LOG_LVL_WARN, mod, __VA_ARGS__)
#define log_error(mod, ...) log_msg(LOG_LVL_ERROR, mod, __VA_ARGS__)

#endif
