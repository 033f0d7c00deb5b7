/* tmpdir.h - temporary directories for tests (under /tmp, removed afterwards).
 *
 * A test makes one directory with tmpdir_new(), builds file names in it with tmpdir_path() and
 * removes it with everything inside (one level deep, which is all the store leaves: the
 * database, its -wal and -shm files, backups) with tmpdir_remove(). */
#ifndef VIGIL_TEST_TMPDIR_H
#define VIGIL_TEST_TMPDIR_H

#include <stddef.h>

#define TMPDIR_PATH_MAX 256

/* Creates a fresh directory "/tmp/vigil-test-XXXXXX" and writes its path into dir (size
 * TMPDIR_PATH_MAX). Aborts the test program when it cannot. */
void tmpdir_new(char *dir);
/* Writes "dir/name" into out (size TMPDIR_PATH_MAX). */
void tmpdir_path(const char *dir, const char *name, char *out);
/* Removes the files in dir, then dir. NULL or "" is a no-op. Returns 0 or -errno. */
int tmpdir_remove(const char *dir);

#endif
