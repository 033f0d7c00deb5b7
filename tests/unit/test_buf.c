/* test_buf.c - the capped growable buffer (core/buf). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void test_append(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(buf_append(&b, "abc", 3), 0);
    assert_int_equal(buf_append_str(&b, "def"), 0);
    assert_int_equal(buf_append(&b, "g\0h", 3), 0); /* binary-safe */
    assert_int_equal(b.len, 9);
    assert_memory_equal(b.data, "abcdefg\0h", 9);
    assert_int_equal(b.data[9], '\0'); /* always NUL-terminated */
    assert_int_equal(buf_append(&b, "", 0), 0);
    assert_int_equal(b.len, 9);
    buf_cleanup(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    buf_cleanup(NULL);
}

static void test_grows(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    char chunk[100];
    for (int i = 0; i < 1000; i++) {
        memset(chunk, 'a' + i % 26, sizeof chunk);
        assert_int_equal(buf_append(&b, chunk, sizeof chunk), 0);
    }
    assert_int_equal(b.len, 100000);
    assert_true(b.alloc > b.len);
    for (size_t i = 0; i < b.len; i++)
        if (b.data[i] != 'a' + (char)((i / 100) % 26))
            fail_msg("byte %zu is '%c'", i, b.data[i]);
    assert_int_equal(b.data[b.len], '\0');
    buf_cleanup(&b);
}

static void test_printf(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(buf_printf(&b, "id=%d name=%s", 42, "vigil"), 0);
    assert_int_equal(buf_printf(&b, " %05.1f|%-3s|", 3.14159, "x"), 0);
    assert_string_equal(b.data, "id=42 name=vigil 003.1|x  |");
    assert_int_equal(b.len, strlen(b.data));
    /* Longer than the 512-byte fast path. */
    char big[1500];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_int_equal(buf_printf(&b, "<%s>", big), 0);
    assert_int_equal(b.len, 1501);
    assert_int_equal(b.data[0], '<');
    assert_int_equal(b.data[1500], '>');
    assert_int_equal(b.data[1501], '\0');
    buf_cleanup(&b);
}

static void test_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_append(&b, "0123456", 7), 0);
    /* One byte too many: refused, and nothing of it is appended. */
    assert_int_equal(buf_append(&b, "7890", 4), -E2BIG);
    assert_int_equal(b.len, 7);
    assert_string_equal(b.data, "0123456");
    assert_int_equal(buf_append_str(&b, "xxxxxxxxxxxxxxxxxxxx"), -E2BIG);
    assert_int_equal(buf_printf(&b, "%d", 1234), -E2BIG);
    assert_string_equal(b.data, "0123456");
    /* Exactly up to the cap is fine, then not a byte more. */
    assert_int_equal(buf_append(&b, "789", 3), 0);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    assert_int_equal(buf_append(&b, "!", 1), -E2BIG);
    assert_int_equal(buf_printf(&b, "%s", ""), 0);
    assert_int_equal(b.len, 10);
    /* A length that would overflow size_t arithmetic is refused, not wrapped. */
    assert_int_equal(buf_append(&b, "x", SIZE_MAX), -E2BIG);
    assert_int_equal(buf_append(&b, "x", SIZE_MAX - 5), -E2BIG);
    assert_int_equal(b.len, 10);
    buf_cleanup(&b);

    /* A cap of zero accepts only empty appends. */
    buf_init(&b, 0);
    assert_int_equal(buf_append(&b, "a", 1), -E2BIG);
    assert_null(b.data);
    buf_cleanup(&b);
}

static void test_printf_cap_large(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 600);
    char big[700];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(buf_printf(&b, "ab"), 0);
    assert_int_equal(buf_printf(&b, "%s", big), -E2BIG); /* the heap path honours the cap too */
    assert_string_equal(b.data, "ab");
    buf_cleanup(&b);
}

static void test_take(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    char *empty = buf_take(&b); /* never NULL, even before any append */
    assert_non_null(empty);
    assert_string_equal(empty, "");
    free(empty);

    assert_int_equal(buf_append_str(&b, "hello"), 0);
    char *s = buf_take(&b);
    assert_string_equal(s, "hello");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.alloc, 0);
    /* b is empty and reusable; the taken string is the caller's. */
    assert_int_equal(buf_append_str(&b, "again"), 0);
    assert_string_equal(b.data, "again");
    assert_string_equal(s, "hello");
    free(s);
    buf_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append),           cmocka_unit_test(test_grows),
        cmocka_unit_test(test_printf),           cmocka_unit_test(test_cap),
        cmocka_unit_test(test_printf_cap_large), cmocka_unit_test(test_take),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
