/* test_dc09_batch.c - the frames that one pass of the receiver's loop parses are stored by one
 * store job; when one of them cannot be stored the others still are and are ACKed, and only the
 * failing one goes unanswered (the panel sends it again). */
#include "lib/daemon.h"
#include "lib/dc09_client.h"
#include "lib/http.h"
#include "proto/dc09/dc09.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define PW "vigil-demo"
#define TOK 256
#define FRAME 8192
#define REPLY_MS 5000 /* an answer that comes at all comes well within this */

static int build(char *out, unsigned seq, const char *acct, const char *data)
{
    int n = dc09_frame_build(out, FRAME, "SIA-DCS", seq, "", "0", acct, data, -1, NULL, 0, seq);
    if (n <= 0)
        fail_msg("dc09_frame_build(%u #%s [%s]) = %d", seq, acct, data, n);
    return n;
}

/* An unencrypted ACK for seq and acct, CRC and length right. */
static void assert_ack(const char *reply, unsigned seq, const char *acct)
{
    char want[64];
    snprintf(want, sizeof want, "\"ACK\"%04uL0#%s[]", seq, acct);
    size_t n = strlen(reply), w = strlen(want);
    if (dc09c_check(reply, n) != 0 || n < 8 + w || strncmp(reply + 8, want, w) != 0)
        fail_msg("reply \"%s\" is not a well-formed %s", reply, want);
}

/* Frames that arrive together are stored by one store job; when one of them cannot be stored
 * the others still are and are ACKed, and only the failing one goes unanswered. A trigger made
 * from another connection refuses the alarms of one account. */
static void test_batch_one_frame_fails(void **state)
{
    (void)state;
    struct td_daemon B = {0};
    struct td_opts o = {.demo = 1, .dc09 = 1};
    assert_int_equal(td_daemon_start(&B, &o), 0);
    char tok[TOK];
    th_login_ok(B.port, "operator", PW, tok, sizeof tok);
    char db_path[TD_PATH + 32];
    snprintf(db_path, sizeof db_path, "%s/vigil.db", B.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TRIGGER refuse_20bb BEFORE INSERT ON alarm"
                                  " WHEN NEW.account = '20BB' BEGIN SELECT RAISE(ABORT, 'no'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);

    struct dc09c c;
    assert_int_equal(dc09c_tcp(&c, B.dc09_port), 0);
    char burst[4 * FRAME], reply[FRAME];
    size_t len = 0;
    const struct {
        unsigned seq;
        const char *acct, *data;
    } fr[] = {{201, "20AA", "#20AA|Nri1/BA001"},
              {202, "20BB", "#20BB|Nri1/BA001"},
              {203, "20AA", "#20AA|Nri1/BA002"}};
    for (size_t i = 0; i < 3; i++)
        len += (size_t)build(burst + len, fr[i].seq, fr[i].acct, fr[i].data);
    assert_int_equal(dc09c_send(&c, burst, len), 0); /* one write: one pass of the loop */
    for (unsigned want = 201; want <= 203; want += 2) {
        int rc = dc09c_recv(&c, reply, sizeof reply, REPLY_MS);
        if (rc <= 0)
            fail_msg("no ACK for seq %u: %d", want, rc);
        assert_ack(reply, want, "20AA");
    }
    int rc = dc09c_recv(&c, reply, sizeof reply, 1500);
    if (rc != -ETIMEDOUT)
        fail_msg("the refused frame was answered: %d \"%s\"", rc, rc > 0 ? reply : "");
    assert_int_equal(th_total(B.port, tok, "/api/v1/alarms?account=20AA"), 2);
    assert_int_equal(th_total(B.port, tok, "/api/v1/alarms?account=20BB"), 0);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER refuse_20bb", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    char frame[FRAME]; /* the panel's retry of the refused frame */
    int n = build(frame, fr[1].seq, fr[1].acct, fr[1].data);
    assert_int_equal(dc09c_send(&c, frame, (size_t)n), 0);
    assert_true(dc09c_recv(&c, reply, sizeof reply, REPLY_MS) > 0);
    assert_ack(reply, fr[1].seq, fr[1].acct);
    assert_int_equal(th_total(B.port, tok, "/api/v1/alarms?account=20BB"), 1);
    dc09c_close(&c);
    td_daemon_stop_ok(&B);
    td_daemon_cleanup(&B);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_one_frame_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
