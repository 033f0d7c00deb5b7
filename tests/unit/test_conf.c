/* test_conf.c - the configuration table and the `key = value` file format (core/conf). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/conf.h"
#include "lib/assert_ext.h"
#include "lib/tmpdir.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int parse(struct conf *c, const char *text, char *err, size_t errsz)
{
    conf_defaults(c);
    err[0] = '\0';
    return conf_parse(c, text, strlen(text), err, errsz);
}

static void test_defaults(void **state)
{
    (void)state;
    struct conf c;
    memset(&c, 0xAB, sizeof c); /* conf_defaults must set every field, whatever was there */
    conf_defaults(&c);
    assert_string_equal(c.http_listen, "127.0.0.1:8080");
    assert_string_equal(c.http_web_root, "web");
    assert_int_equal(c.http_max_body, 65536);
    assert_int_equal(c.http_max_connections, 256);
    assert_string_equal(c.site_timezone, "Asia/Shanghai");
    assert_int_equal(c.session_idle_timeout, 1800);
    assert_int_equal(c.session_max_lifetime, 43200);
    assert_int_equal(c.login_max_failures, 5);
    assert_int_equal(c.login_lockout_base, 30);
    assert_int_equal(c.login_lockout_max, 900);
    assert_int_equal(c.argon2_memlimit_kib, 65536);
    assert_int_equal(c.argon2_opslimit, 2);
    assert_string_equal(c.log_level, "info");
    assert_int_equal(c.sse_heartbeat, 15);
    assert_int_equal(c.sse_ring_size, 16384);
    assert_int_equal(c.store_busy_timeout_ms, 5000);
    assert_int_equal(c.store_readers, 4);
}

static void test_parse_valid(void **state)
{
    (void)state;
    static const char text[] = "# Vigil test configuration\n"
                               "\n"
                               "   # an indented comment\n"
                               "http.listen = 0.0.0.0:9090\n"
                               "http.web_root = \"/srv/vigil web\"\n"
                               "\t\n"
                               "site.timezone=Europe/Berlin   # trailing comment\n"
                               "login.max_failures = 1\n"
                               "login.lockout_max = 86400\r\n"
                               "log.level = \"debug\"  # quoted, then a comment\n"
                               "sse.ring_size = 16\n"
                               "  store.readers   =   64  \n"
                               "# the last line has no newline\n"
                               "sse.heartbeat = 300";
    struct conf c;
    char err[256];
    assert_int_equal(parse(&c, text, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_string_equal(c.http_listen, "0.0.0.0:9090");
    assert_string_equal(c.http_web_root, "/srv/vigil web");
    assert_string_equal(c.site_timezone, "Europe/Berlin");
    assert_int_equal(c.login_max_failures, 1);
    assert_int_equal(c.login_lockout_max, 86400);
    assert_string_equal(c.log_level, "debug");
    assert_int_equal(c.sse_ring_size, 16);
    assert_int_equal(c.store_readers, 64);
    assert_int_equal(c.sse_heartbeat, 300);
    /* Keys the file does not mention keep their defaults. */
    assert_int_equal(c.http_max_body, 65536);
    assert_int_equal(c.session_idle_timeout, 1800);
    assert_int_equal(c.argon2_opslimit, 2);
}

static void test_parse_quoted_hash(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    /* Inside quotes '#' is part of the value, with or without a comment after the quotes. */
    assert_int_equal(parse(&c, "http.web_root = \"/srv/#1\"\n", err, sizeof err), 0);
    assert_string_equal(c.http_web_root, "/srv/#1");
    assert_int_equal(parse(&c, "http.web_root = \"/srv/#2\" # the web root\n", err, sizeof err), 0);
    assert_string_equal(c.http_web_root, "/srv/#2");
    assert_int_equal(parse(&c, "http.web_root = \"\"\n", err, sizeof err), 0);
    assert_string_equal(c.http_web_root, "");
    /* An unterminated quote, or text after the closing quote, is an error. */
    assert_int_equal(parse(&c, "\nhttp.web_root = \"/srv\n", err, sizeof err), -EINVAL);
    assert_contains(err, "line 2");
    assert_contains(err, "http.web_root");
    assert_int_equal(parse(&c, "http.web_root = \"/srv\" x\n", err, sizeof err), -EINVAL);
    assert_contains(err, "line 1");
}

static void test_unknown_key(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    static const char text[] = "# comment\n"
                               "http.listen = 127.0.0.1:1\n"
                               "\n"
                               "http.lisen = 127.0.0.1:2\n"
                               "sse.heartbeat = 20\n";
    assert_int_equal(parse(&c, text, err, sizeof err), -EINVAL);
    assert_contains(err, "http.lisen");
    assert_contains(err, "line 4");
    /* Lines after the error are not applied. */
    assert_int_equal(c.sse_heartbeat, 15);
}

static void test_missing_equals(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    assert_int_equal(parse(&c, "sse.heartbeat = 20\nsse.ring_size 32\n", err, sizeof err), -EINVAL);
    assert_contains(err, "line 2");
}

static void test_int_range(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    assert_int_equal(parse(&c, "\n\nlogin.max_failures = 0\n", err, sizeof err), -EINVAL);
    assert_contains(err, "login.max_failures");
    assert_contains(err, "line 3");
    assert_contains(err, "range");
    assert_int_equal(c.login_max_failures, 5); /* untouched */
    assert_int_equal(parse(&c, "login.max_failures = 101\n", err, sizeof err), -EINVAL);
    assert_contains(err, "login.max_failures");
    assert_int_equal(parse(&c, "sse.ring_size = -16\n", err, sizeof err), -EINVAL);
    assert_contains(err, "sse.ring_size");
    /* Both ends of the range are allowed. */
    assert_int_equal(parse(&c, "login.max_failures = 1\n", err, sizeof err), 0);
    assert_int_equal(c.login_max_failures, 1);
    assert_int_equal(parse(&c, "login.max_failures = 100\n", err, sizeof err), 0);
    assert_int_equal(c.login_max_failures, 100);
}

static void test_int_not_numeric(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "sse.heartbeat = ten\n", "sse.heartbeat = 10s\n",  "sse.heartbeat = 1.5\n",
        "sse.heartbeat = \n",    "sse.heartbeat = 0x10\n", "sse.heartbeat = 99999999999999999999\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct conf c;
        char err[256];
        assert_int_equal(parse(&c, bad[i], err, sizeof err), -EINVAL);
        assert_contains(err, "sse.heartbeat");
        assert_contains(err, "line 1");
        assert_int_equal(c.sse_heartbeat, 15);
    }
}

static void test_duplicate_key(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    assert_int_equal(
        parse(&c, "sse.heartbeat = 10\n# again\nsse.heartbeat = 10\n", err, sizeof err), -EINVAL);
    assert_contains(err, "sse.heartbeat");
    assert_contains(err, "line 3");
}

static void test_bad_log_level(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    assert_int_equal(parse(&c, "log.level = verbose\n", err, sizeof err), -EINVAL);
    assert_contains(err, "log.level");
    assert_contains(err, "line 1");
    assert_string_equal(c.log_level, "info");
    static const char *const good[] = {"debug", "info", "warn", "error", "off"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "log.level = %s\n", good[i]);
        assert_int_equal(parse(&c, line, err, sizeof err), 0);
        assert_string_equal(c.log_level, good[i]);
    }
}

static void test_bad_listen(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "localhost",       ":8080",        "127.0.0.1:",    "127.0.0.1:http",
        "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80x", "\"\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct conf c;
        char line[128], err[256];
        snprintf(line, sizeof line, "\nhttp.listen = %s\n", bad[i]);
        assert_int_equal(parse(&c, line, err, sizeof err), -EINVAL);
        assert_contains(err, "http.listen");
        assert_contains(err, "line 2");
        assert_string_equal(c.http_listen, "127.0.0.1:8080");
    }
    static const char *const good[] = {"127.0.0.1:0", "0.0.0.0:65535", "[::1]:8080",
                                       "localhost:80"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct conf c;
        char line[128], err[256];
        snprintf(line, sizeof line, "http.listen = %s\n", good[i]);
        assert_int_equal(parse(&c, line, err, sizeof err), 0);
        assert_string_equal(c.http_listen, good[i]);
    }
}

static void test_bad_timezone(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    assert_int_equal(parse(&c, "site.timezone = ../../etc/passwd\n", err, sizeof err), -EINVAL);
    assert_contains(err, "site.timezone");
    assert_int_equal(parse(&c, "site.timezone = America/Argentina/Buenos_Aires\n", err, sizeof err),
                     0);
    assert_string_equal(c.site_timezone, "America/Argentina/Buenos_Aires");
}

static void test_string_too_long(void **state)
{
    (void)state;
    char text[CONF_STR_MAX + 64];
    int n = snprintf(text, sizeof text, "http.web_root = ");
    memset(text + n, 'a', CONF_STR_MAX);
    text[n + CONF_STR_MAX] = '\0';
    struct conf c;
    char err[256];
    assert_int_equal(parse(&c, text, err, sizeof err), -EINVAL);
    assert_contains(err, "http.web_root");
    assert_string_equal(c.http_web_root, "web");
}

static void test_conf_set(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    conf_defaults(&c);
    assert_int_equal(conf_set(&c, "store.readers", "8", err, sizeof err), 0);
    assert_int_equal(c.store_readers, 8);
    assert_int_equal(conf_set(&c, "store.readers", "65", err, sizeof err), -EINVAL);
    assert_contains(err, "store.readers");
    assert_int_equal(c.store_readers, 8);
    assert_int_equal(conf_set(&c, "store.writers", "1", err, sizeof err), -ENOENT);
    assert_contains(err, "store.writers");
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int dir_setup(void **state)
{
    static char dir[TMPDIR_PATH_MAX];
    tmpdir_new(dir);
    *state = dir;
    return 0;
}

static int dir_teardown(void **state)
{
    return tmpdir_remove(*state);
}

static void test_load_file(void **state)
{
    const char *dir = *state;
    char path[TMPDIR_PATH_MAX], err[512];
    struct conf c;

    tmpdir_path(dir, "missing.conf", path);
    conf_defaults(&c);
    assert_int_equal(conf_load_file(&c, path, err, sizeof err), -ENOENT);
    assert_contains(err, path);

    tmpdir_path(dir, "good.conf", path);
    write_file(path, "# ok\nhttp.listen = 127.0.0.1:0\nsession.idle_timeout = 60\n");
    conf_defaults(&c);
    assert_int_equal(conf_load_file(&c, path, err, sizeof err), 0);
    assert_string_equal(c.http_listen, "127.0.0.1:0");
    assert_int_equal(c.session_idle_timeout, 60);

    tmpdir_path(dir, "bad.conf", path);
    write_file(path, "http.listen = 127.0.0.1:0\nnope = 1\n");
    conf_defaults(&c);
    assert_int_equal(conf_load_file(&c, path, err, sizeof err), -EINVAL);
    assert_contains(err, path);
    assert_contains(err, "nope");
    assert_contains(err, "line 2");
}

/* Complaint due times by category (R3.4.7): known categories, each once, hours 1..720. */
static void test_complaint_due_hours(void **state)
{
    (void)state;
    struct conf c;
    char err[256];
    conf_defaults(&c);
    assert_int_equal(conf_complaint_due_hours(&c, "security"), 8);
    assert_int_equal(conf_complaint_due_hours(&c, "noise"), 24);
    assert_int_equal(c.complaint_return_visit_hours, 72);
    assert_int_equal(parse(&c,
                           "complaint.due_hours = noise=12,parking=48\n"
                           "complaint.due_hours_default = 36\n"
                           "complaint.return_visit_hours = 48\n",
                           err, sizeof err),
                     0);
    assert_int_equal(conf_complaint_due_hours(&c, "noise"), 12);
    assert_int_equal(conf_complaint_due_hours(&c, "parking"), 48);
    assert_int_equal(conf_complaint_due_hours(&c, "security"), 36);
    assert_int_equal(c.complaint_return_visit_hours, 48);
    static const char *const bad[] = {
        "complaint.due_hours = weather=8\n", "complaint.due_hours = noise=0\n",
        "complaint.due_hours = noise=721\n", "complaint.due_hours = noise=8,noise=9\n",
        "complaint.due_hours = noise=8,\n",  "complaint.due_hours = noise\n",
        "complaint.due_hours = noise=x\n",   "complaint.return_visit_hours = 0\n",
        "duty.status_interval = 5\n",        "duty.opening_check = 0\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        conf_defaults(&c);
        if (parse(&c, bad[i], err, sizeof err) != -EINVAL)
            fail_msg("accepted: %s", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_complaint_due_hours),
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_quoted_hash),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_missing_equals),
        cmocka_unit_test(test_int_range),
        cmocka_unit_test(test_int_not_numeric),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_bad_log_level),
        cmocka_unit_test(test_bad_listen),
        cmocka_unit_test(test_bad_timezone),
        cmocka_unit_test(test_string_too_long),
        cmocka_unit_test(test_conf_set),
        cmocka_unit_test_setup_teardown(test_load_file, dir_setup, dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
