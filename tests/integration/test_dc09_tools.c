/* test_dc09_tools.c - `vigilctl dc09 send`, the commissioning tool: it sends a real frame to
 * the real receiver, prints the answer and exits 0 only on an ACK. */
#include "lib/daemon.h"
#include "lib/dc09_client.h"
#include "lib/http.h"

#include <stdio.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static struct td_daemon D;

static int group_setup(void **state)
{
    (void)state;
    /* A 5 s idle timeout, so the half-open connection below is dropped within the test. */
    struct td_opts o = {.demo = 1, .dc09 = 1, .config_extra = "dc09.idle_timeout = 5"};
    return td_daemon_start(&D, &o);
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    return 0;
}

static void test_send_ack_and_duh(void **state)
{
    (void)state;
    char hp[64], tok[256];
    snprintf(hp, sizeof hp, "127.0.0.1:%d", D.dc09_port);
    th_login_ok(D.port, "operator", "vigil-demo", tok, sizeof tok);
    struct td_proc p;
    assert_int_equal(td_vigilctl(&D, NULL, &p, "dc09", "send", hp, "--account", "5A5A", "--code",
                                 "PA", "--zone", "007", "--seq", "31", NULL),
                     0);
    assert_non_null(strstr(p.out, "\"ACK\"0031"));
    td_proc_free(&p);
    /* Acknowledged means stored: the panic alarm and its incident are there. */
    assert_int_equal(th_total(D.port, tok, "/api/v1/alarms?account=5A5A"), 1);
    assert_int_equal(th_total(D.port, tok, "/api/v1/incidents?type=panic"), 1);
    /* A Contact ID event goes as ADM-CID. */
    assert_int_equal(td_vigilctl(&D, NULL, &p, "dc09", "send", hp, "--account", "5A5A", "--code",
                                 "1110 01 004", "--seq", "32", NULL),
                     0);
    td_proc_free(&p);
    assert_int_equal(th_total(D.port, tok, "/api/v1/incidents?type=fire"), 1);
    /* An unknown code is refused (DUH), stored nowhere, and the exit status says so. */
    assert_int_equal(td_vigilctl(&D, NULL, &p, "dc09", "send", hp, "--account", "5A5A", "--code",
                                 "QQ", "--seq", "33", NULL),
                     1);
    assert_non_null(strstr(p.out, "\"DUH\"0033"));
    td_proc_free(&p);
    assert_int_equal(th_total(D.port, tok, "/api/v1/alarms?account=5A5A"), 2);
}

/* A panel that stops half-way through a frame (or goes silent, or half-open) is closed after
 * dc09.idle_timeout, while another panel's alarms keep being acknowledged. */
static void test_stalled_connection_is_closed(void **state)
{
    (void)state;
    struct dc09c stalled, good;
    assert_int_equal(dc09c_tcp(&stalled, D.dc09_port), 0);
    assert_int_equal(dc09c_tcp(&good, D.dc09_port), 0);
    assert_int_equal(dc09c_send(&stalled, "\n1234003A\"SIA-DC", 16), 0);
    long long t0 = td_now_ms();
    char frame[256], reply[256];
    for (int i = 0; i < 3; i++) {
        char body[96];
        snprintf(body, sizeof body, "\"SIA-DCS\"%04dL0#6B6B[#6B6B|Nri1/BA00%d]", 40 + i, i);
        int n = dc09c_frame(frame, sizeof frame, body);
        assert_true(n > 0);
        assert_int_equal(dc09c_send(&good, frame, (size_t)n), 0);
        assert_true(dc09c_recv(&good, reply, sizeof reply, 5000) > 0);
        assert_non_null(strstr(reply, "\"ACK\""));
    }
    assert_int_equal(dc09c_wait_closed(&stalled, 12000), 0);
    long long waited = td_now_ms() - t0;
    assert_true(waited >= 4000); /* not before the timeout */
    dc09c_close(&stalled);
    dc09c_close(&good);
}

static void test_daemon_stops_cleanly(void **state)
{
    (void)state;
    td_daemon_stop_ok(&D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send_ack_and_duh),
        cmocka_unit_test(test_stalled_connection_is_closed),
        cmocka_unit_test(test_daemon_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
