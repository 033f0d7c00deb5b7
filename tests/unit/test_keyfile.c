/* test_keyfile.c - secret key files (core/keyfile): create, read back, refuse a readable or
 * malformed file, and survive a stale temporary left by a crashed process with our pid. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/keyfile.h"
#include "lib/tmpdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char key[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    chmod(path, mode);
}

static void test_create_and_read(void **state)
{
    (void)state;
    char dir[TMPDIR_PATH_MAX], path[TMPDIR_PATH_MAX];
    tmpdir_new(dir);
    tmpdir_path(dir, "sign.key", path);
    unsigned char got[8];
    assert_int_equal(keyfile_read(path, got, sizeof got), -ENOENT);
    assert_int_equal(keyfile_create(path, key, sizeof key), 0);
    assert_int_equal(keyfile_create(path, key, sizeof key), -EEXIST);
    assert_int_equal(keyfile_read(path, got, sizeof got), 0);
    assert_memory_equal(got, key, sizeof key);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    chmod(path, 0644);
    assert_int_equal(keyfile_read(path, got, sizeof got), -EPERM);
    write_file(path, "0123zz\n", 0600);
    assert_int_equal(keyfile_read(path, got, sizeof got), -EINVAL);
    assert_int_equal(tmpdir_remove(dir), 0);
}

/* A crashed process with our pid left "<path>.<pid>.tmp" behind (here: readable by all, with
 * other content): creating the key still works, the key file is private and the stale temporary
 * is gone. */
static void test_stale_temporary(void **state)
{
    (void)state;
    char dir[TMPDIR_PATH_MAX], path[TMPDIR_PATH_MAX], tmp[TMPDIR_PATH_MAX + 32];
    tmpdir_new(dir);
    tmpdir_path(dir, "sign.key", path);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    write_file(tmp, "half-written garbage", 0644);
    assert_int_equal(keyfile_create(path, key, sizeof key), 0);
    unsigned char got[8];
    assert_int_equal(keyfile_read(path, got, sizeof got), 0);
    assert_memory_equal(got, key, sizeof key);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(lstat(tmp, &sb), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(tmpdir_remove(dir), 0);
}

/* The stale temporary is a symlink to another file: it is removed, not followed, and the other
 * file is untouched. */
static void test_stale_temporary_symlink(void **state)
{
    (void)state;
    char dir[TMPDIR_PATH_MAX], path[TMPDIR_PATH_MAX], other[TMPDIR_PATH_MAX];
    char tmp[TMPDIR_PATH_MAX + 32];
    tmpdir_new(dir);
    tmpdir_path(dir, "sign.key", path);
    tmpdir_path(dir, "other", other);
    write_file(other, "keep me\n", 0644);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    assert_int_equal(symlink(other, tmp), 0);
    assert_int_equal(keyfile_create(path, key, sizeof key), 0);
    char buf[32] = "";
    FILE *f = fopen(other, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "keep me\n");
    struct stat sb;
    assert_int_equal(lstat(tmp, &sb), -1);
    unsigned char got[8];
    assert_int_equal(keyfile_read(path, got, sizeof got), 0);
    assert_memory_equal(got, key, sizeof key);
    assert_int_equal(tmpdir_remove(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_read),
        cmocka_unit_test(test_stale_temporary),
        cmocka_unit_test(test_stale_temporary_symlink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
