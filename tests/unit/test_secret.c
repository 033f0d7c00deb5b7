/* test_secret.c - sealed secrets (app/secret): a round trip, the key file (created once, 0600),
 * a legacy clear value passed through, and every way a stored value can fail to open: tampered,
 * another key, no key, malformed, too long for the buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/secret.h"
#include "lib/tmpdir.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_round_trip(void **state)
{
    (void)state;
    char dir[TMPDIR_PATH_MAX], key[TMPDIR_PATH_MAX];
    tmpdir_new(dir);
    tmpdir_path(dir, SECRET_KEY_FILE, key);
    struct app a = {.data_dir = dir};
    char *s1 = NULL, *s2 = NULL, out[64];
    assert_int_equal(secret_seal(&a, "s3cret 密码", &s1), 0);
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    assert_true(secret_is_sealed(s1));
    assert_null(strstr(s1, "s3cret"));
    assert_int_equal(strlen(s1), SECRET_SEALED_LEN(strlen("s3cret 密码")));
    /* A fresh nonce each time: the same secret never seals the same way twice. */
    assert_int_equal(secret_seal(&a, "s3cret 密码", &s2), 0);
    assert_string_not_equal(s1, s2);
    assert_int_equal(secret_open(&a, s1, out, sizeof out), 0);
    assert_string_equal(out, "s3cret 密码");
    assert_int_equal(secret_open(&a, s2, out, sizeof out), 0);
    assert_string_equal(out, "s3cret 密码");
    /* The empty secret and the longest one. */
    char *e = NULL;
    assert_int_equal(secret_seal(&a, "", &e), 0);
    assert_int_equal(secret_open(&a, e, out, sizeof out), 0);
    assert_string_equal(out, "");
    char longest[SECRET_PLAIN_MAX + 2], back[SECRET_PLAIN_MAX + 1], *l = NULL;
    memset(longest, 'x', SECRET_PLAIN_MAX);
    longest[SECRET_PLAIN_MAX] = '\0';
    assert_int_equal(secret_seal(&a, longest, &l), 0);
    assert_int_equal(secret_open(&a, l, back, sizeof back), 0);
    assert_string_equal(back, longest);
    assert_int_equal(secret_open(&a, l, out, sizeof out), -ENOSPC); /* out too small */
    assert_string_equal(out, "");
    longest[SECRET_PLAIN_MAX] = 'x';
    longest[SECRET_PLAIN_MAX + 1] = '\0';
    char *none = NULL;
    assert_int_equal(secret_seal(&a, longest, &none), -EINVAL);
    assert_null(none);
    free(s1);
    free(s2);
    free(e);
    free(l);
    tmpdir_remove(dir);
}

static void test_legacy_clear_value(void **state)
{
    (void)state;
    struct app a = {.data_dir = NULL};
    char out[16];
    assert_false(secret_is_sealed("s3cret"));
    assert_int_equal(secret_open(&a, "s3cret", out, sizeof out), 0);
    assert_string_equal(out, "s3cret");
    assert_int_equal(secret_open(&a, "a clear value far too long", out, sizeof out), -ENOSPC);
}

static void test_refusals(void **state)
{
    (void)state;
    char dir[TMPDIR_PATH_MAX], key[TMPDIR_PATH_MAX];
    tmpdir_new(dir);
    tmpdir_path(dir, SECRET_KEY_FILE, key);
    struct app a = {.data_dir = dir}, nodir = {.data_dir = NULL};
    char *s = NULL, out[64];
    assert_int_equal(secret_seal(&nodir, "x", &s), -ENOKEY);
    assert_int_equal(secret_seal(&a, "s3cret", &s), 0);

    /* One flipped hex digit anywhere in the box: refused, out left empty. */
    size_t len = strlen(s);
    for (size_t i = 3; i < len; i += 7) {
        char *t = strdup(s);
        t[i] = t[i] == '0' ? '1' : '0';
        snprintf(out, sizeof out, "junk");
        assert_int_equal(secret_open(&a, t, out, sizeof out), -EBADMSG);
        assert_string_equal(out, "");
        free(t);
    }
    /* Malformed: odd length, not hex, too short. */
    assert_int_equal(secret_open(&a, "v1:abc", out, sizeof out), -EBADMSG);
    assert_int_equal(secret_open(&a, "v1:zz", out, sizeof out), -EBADMSG);
    assert_int_equal(secret_open(&a, "v1:00", out, sizeof out), -EBADMSG);
    assert_int_equal(secret_open(&a, "v1:", out, sizeof out), -EBADMSG);

    /* The key file gone: -ENOKEY (opening never creates a key); another key: -EBADMSG. */
    assert_int_equal(unlink(key), 0);
    assert_int_equal(secret_open(&a, s, out, sizeof out), -ENOKEY);
    char *other = NULL;
    assert_int_equal(secret_seal(&a, "y", &other), 0); /* makes a new key */
    assert_int_equal(secret_open(&a, s, out, sizeof out), -EBADMSG);
    assert_int_equal(secret_open(&a, other, out, sizeof out), 0);
    assert_string_equal(out, "y");
    free(s);
    free(other);
    tmpdir_remove(dir);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_legacy_clear_value),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
