/* keyfile.c - secret files as one line of hex, mode 0600. */
#include "core/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEYFILE_MAX 256

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static int decode(const char *text, size_t len, unsigned char *out, size_t n)
{
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    if (len != 2 * n)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -EINVAL;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

int keyfile_read(const char *path, unsigned char *out, size_t n)
{
    if (n == 0 || 2 * n + 2 > KEYFILE_MAX)
        return -EINVAL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -errno;
    struct stat sb;
    char buf[KEYFILE_MAX];
    ssize_t got = -1;
    int rc = 0;
    if (fstat(fd, &sb) != 0)
        rc = -errno;
    else if (!S_ISREG(sb.st_mode) || (sb.st_mode & 077))
        rc = -EPERM;
    else if ((got = read(fd, buf, sizeof buf)) < 0)
        rc = -errno;
    close(fd);
    if (!rc)
        rc = decode(buf, (size_t)got, out, n);
    memset(buf, 0, sizeof buf);
    return rc;
}

int keyfile_create(const char *path, const unsigned char *key, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char buf[KEYFILE_MAX];
    if (n == 0 || 2 * n + 2 > KEYFILE_MAX)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = hex[key[i] >> 4];
        buf[2 * i + 1] = hex[key[i] & 15];
    }
    buf[2 * n] = '\n';
    /* Written to a private temporary name and then linked into place: a reader never sees a
     * half-written key, and of two processes creating it at once exactly one link succeeds. */
    char tmp[4096];
    int tl = snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    if (tl <= 0 || (size_t)tl >= sizeof tmp)
        return -ENAMETOOLONG;
    /* A temporary of our own pid is a leftover of a crashed process that had the same pid (no
     * live process has it): remove it, whatever it is (unlink removes a symlink, not its
     * target), then create ours exclusively. */
    if (unlink(tmp) != 0 && errno != ENOENT) {
        int e = -errno;
        memset(buf, 0, sizeof buf);
        return e;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        memset(buf, 0, sizeof buf);
        return -errno;
    }
    int rc = 0;
    errno = 0;
    if (write(fd, buf, 2 * n + 1) != (ssize_t)(2 * n + 1) || fsync(fd) != 0)
        rc = errno ? -errno : -EIO;
    if (close(fd) != 0 && !rc)
        rc = -errno;
    if (!rc && link(tmp, path) != 0)
        rc = -errno;
    unlink(tmp);
    memset(buf, 0, sizeof buf);
    return rc;
}
