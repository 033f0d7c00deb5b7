/* xmalloc.h - allocation that never returns NULL.
 *
 * Vigil is a daemon: like redis, h2o and tmux it treats out-of-memory as fatal, so callers
 * never test for NULL. Every function here aborts the process on failure. */
#ifndef VIGIL_XMALLOC_H
#define VIGIL_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns a heap copy of s (caller frees). s may be NULL: returns NULL. */
char *xstrdup(const char *s);
/* Returns a NUL-terminated heap copy of the first n bytes of s (caller frees). */
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string (caller frees). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Frees *pp and sets it to NULL. */
#define FREE_NULL(p)                                                                               \
    do {                                                                                           \
        free(p);                                                                                   \
        (p) = NULL;                                                                                \
    } while (0)

#endif
