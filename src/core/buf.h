/* buf.h - a growable byte buffer with a hard cap (curl dynbuf's "toobig").
 *
 * All network input is accumulated in a struct buf so no peer can make Vigil allocate more
 * than the cap. Members are read-only outside buf.c. */
#ifndef VIGIL_BUF_H
#define VIGIL_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t alloc;
    size_t cap; /* the largest len allowed */
};

void buf_init(struct buf *b, size_t cap);
/* Frees the storage; b may be reused after buf_init. NULL-safe. */
void buf_cleanup(struct buf *b);
/* Appends n bytes. Returns 0, or -E2BIG (nothing appended) when len would pass the cap. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_append_str(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Hands the storage to the caller (caller frees) and leaves b empty. */
char *buf_take(struct buf *b);

#endif
