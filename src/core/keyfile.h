/* keyfile.h - small secret files in the data directory (the audit signing key): hex text, one
 * line, mode 0600, created exclusively so two processes starting together agree on one key. */
#ifndef VIGIL_KEYFILE_H
#define VIGIL_KEYFILE_H

#include <stddef.h>

/* Reads exactly n bytes (2n hex digits, optional trailing newline) from path into out. Returns 0,
 * -ENOENT when the file does not exist, -EPERM when group or others may read it, -EINVAL when
 * its content is malformed, or another negative errno. */
int keyfile_read(const char *path, unsigned char *out, size_t n);

/* Creates path (O_EXCL, mode 0600) holding key (n bytes) as hex and syncs it, through the
 * temporary "<path>.<pid>.tmp" (a stale one left by a crashed process with the same pid is
 * removed first; one call per process at a time). Returns 0, -EEXIST when path already exists
 * (read it instead), or a negative errno. */
int keyfile_create(const char *path, const unsigned char *key, size_t n);

#endif
