/* tmpdir.c - temporary directories for tests. */
#include "lib/tmpdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tmpdir_new(char *dir)
{
    snprintf(dir, TMPDIR_PATH_MAX, "/tmp/vigil-test-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
}

void tmpdir_path(const char *dir, const char *name, char *out)
{
    int n = snprintf(out, TMPDIR_PATH_MAX, "%s/%s", dir, name);
    if (n < 0 || n >= TMPDIR_PATH_MAX) {
        fprintf(stderr, "tmpdir_path: path too long\n");
        abort();
    }
}

int tmpdir_remove(const char *dir)
{
    if (!dir || !*dir)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[TMPDIR_PATH_MAX];
        tmpdir_path(dir, e->d_name, p);
        if (unlink(p) != 0 && rc == 0)
            rc = -errno;
    }
    closedir(d);
    if (rmdir(dir) != 0 && rc == 0)
        rc = -errno;
    return rc;
}
