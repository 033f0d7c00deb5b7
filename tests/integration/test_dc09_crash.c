/* test_dc09_crash.c - kill -9 during a flood of DC-09 frames loses nothing that was ACKed.
 *
 * Four panels (threads, one TCP connection and one account each) pipeline SIA-DCS frames and
 * record every seq whose ACK arrived. Once the flood is well under way the daemon gets SIGKILL;
 * it is restarted on the same data directory and every ACKed frame must be in
 * GET /api/v1/alarms (account + seq), each at most once, and every incident an alarm refers to
 * must exist and count exactly the alarms that refer to it. Three rounds on one directory. */
#include "lib/daemon.h"
#include "lib/dc09_client.h"
#include "lib/http.h"
#include "proto/dc09/dc09.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define PW "vigil-demo"
#define TOK 256
#define PANELS 4
#define ROUNDS 3
#define MAX_SEQ 9999
#define WINDOW 16      /* frames a panel sends ahead of its ACKs */
#define REPLY_MS 10000 /* a live receiver answers well within this (even under valgrind) */
#define ZONES 5        /* a few incidents per account, each joined many times */
#define KILL_AFTER_ACKS 100

static struct td_daemon D;
static atomic_int acks_total;
static atomic_int stop_sending; /* the panels end their flood */

/* One panel. No cmocka calls off the main thread: it only records. */
struct panel {
    pthread_t thr;
    int port;
    char acct[17];
    unsigned char acked[MAX_SEQ + 1];
    int sent, nacked;
    int bad; /* replies that are not an ACK for a frame in flight */
    char bad_reply[128];
};

/* The seq an ACK of p's account carries, or -1 when reply is something else. */
static int ack_seq(const struct panel *p, const char *reply)
{
    char tail[64];
    snprintf(tail, sizeof tail, "L0#%s[]", p->acct);
    size_t n = strlen(reply);
    if (dc09c_check(reply, n) != 0 || n < 17 + strlen(tail) || strncmp(reply + 8, "\"ACK\"", 5))
        return -1;
    int seq = 0;
    for (int i = 13; i < 17; i++) {
        if (reply[i] < '0' || reply[i] > '9')
            return -1;
        seq = seq * 10 + reply[i] - '0';
    }
    return strncmp(reply + 17, tail, strlen(tail)) == 0 ? seq : -1;
}

static void note_bad(struct panel *p, const char *reply)
{
    if (!p->bad++)
        snprintf(p->bad_reply, sizeof p->bad_reply, "%s", reply);
}

static void *panel_main(void *arg)
{
    struct panel *p = arg;
    struct dc09c c;
    if (dc09c_tcp(&c, p->port) != 0) {
        note_bad(p, "(connect failed)");
        return NULL;
    }
    char frame[512], reply[512], data[64];
    int inflight = 0;
    for (;;) {
        while (inflight < WINDOW && p->sent < MAX_SEQ && !atomic_load(&stop_sending)) {
            unsigned seq = (unsigned)p->sent + 1;
            snprintf(data, sizeof data, "#%s|Nri1/BA%03u", p->acct, seq % ZONES + 1);
            int n = dc09_frame_build(frame, sizeof frame, "SIA-DCS", seq, "", "0", p->acct, data,
                                     -1, NULL, 0, seq);
            if (n <= 0) {
                note_bad(p, "(frame build failed)");
                goto out;
            }
            if (dc09c_send(&c, frame, (size_t)n) != 0)
                goto out; /* the receiver is gone */
            p->sent++;
            inflight++;
        }
        if (inflight == 0)
            break;
        int rc = dc09c_recv(&c, reply, sizeof reply, REPLY_MS);
        if (rc < 0) {
            if (rc == -ETIMEDOUT)
                note_bad(p, "(no reply within 10 s)");
            break; /* killed: the connection was reset */
        }
        int seq = ack_seq(p, reply);
        if (seq < 1 || seq > p->sent || p->acked[seq]) {
            note_bad(p, reply);
            continue;
        }
        p->acked[seq] = 1;
        p->nacked++;
        inflight--;
        atomic_fetch_add(&acks_total, 1);
    }
out:
    dc09c_close(&c);
    return NULL;
}

/* Asserts every ACKed frame of p is stored once, and its incidents are consistent. */
static void verify_panel(const struct panel *p, const char *tok)
{
    static unsigned char seen[MAX_SEQ + 1];
    memset(seen, 0, sizeof seen);
    long long incidents[ZONES * 4] = {0};
    int ninc = 0, rows = 0;
    for (int offset = 0;; offset += 500) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/alarms?account=%s&limit=500&offset=%d", p->acct,
                 offset);
        struct th_resp r;
        th_get(D.port, tok, path, &r);
        assert_int_equal(r.status, 200);
        json_t *items = json_object_get(r.json, "items"), *row;
        size_t i, n = json_array_size(items);
        json_array_foreach (items, i, row) {
            long long seq = th_jint(row, "seq"), inc = th_jint(row, "incident_id");
            if (seq < 1 || seq > p->sent || seen[seq])
                fail_msg("#%s: stored seq %lld is unknown or twice (sent %d)", p->acct, seq,
                         p->sent);
            seen[seq] = 1;
            rows++;
            assert_true(inc > 0);
            int known = 0;
            for (int k = 0; k < ninc; k++)
                known |= incidents[k] == inc;
            if (!known) {
                assert_true(ninc < (int)(sizeof incidents / sizeof incidents[0]));
                incidents[ninc++] = inc;
            }
        }
        th_resp_free(&r);
        if (n < 500)
            break;
    }
    for (int seq = 1; seq <= p->sent; seq++)
        if (p->acked[seq] && !seen[seq])
            fail_msg("#%s seq %d was ACKed but is not stored after kill -9", p->acct, seq);
    long long counted = 0;
    for (int k = 0; k < ninc; k++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/incidents/%lld", incidents[k]);
        struct th_resp r;
        th_get(D.port, tok, path, &r);
        if (r.status != 200)
            fail_msg("#%s: incident %lld referenced by an alarm is missing (%ld)", p->acct,
                     incidents[k], r.status);
        assert_string_equal(th_jstr(r.json, "account"), p->acct);
        assert_string_equal(th_jstr(r.json, "type"), "intrusion");
        /* The count and the rows were committed together. */
        assert_int_equal(th_jint(r.json, "alarm_count"), th_jint(r.json, "alarms_total"));
        counted += th_jint(r.json, "alarm_count");
        th_resp_free(&r);
    }
    assert_int_equal(counted, rows);
    assert_true(ninc <= ZONES);
}

static void test_kill9_during_flood(void **state)
{
    (void)state;
    struct td_opts o = {.demo = 1, .dc09 = 1};
    assert_int_equal(td_daemon_start(&D, &o), 0);
    static struct panel panels[PANELS];
    int total_acked = 0;
    for (int round = 0; round < ROUNDS; round++) {
        atomic_store(&acks_total, 0);
        atomic_store(&stop_sending, 0);
        for (int i = 0; i < PANELS; i++) {
            struct panel *p = &panels[i];
            memset(p, 0, sizeof *p);
            p->port = D.dc09_port;
            snprintf(p->acct, sizeof p->acct, "DEAD%X%X", round, i);
            assert_int_equal(pthread_create(&p->thr, NULL, panel_main, p), 0);
        }
        /* Kill mid-flood (the panels send until their connection dies), at a different moment
         * each round, once ACKs are flowing. Bounded: a receiver that ACKs nothing fails. */
        long long t0 = td_now_ms(), kill_at = t0 + 400 + 250 * round;
        long long give_up = t0 + TD_TIMEOUT_MS;
        while ((atomic_load(&acks_total) < KILL_AFTER_ACKS || td_now_ms() < kill_at) &&
               td_now_ms() < give_up)
            td_nap(2);
        int acked_at_kill = atomic_load(&acks_total);
        int st = td_daemon_kill(&D, SIGKILL);
        atomic_store(&stop_sending, 1);
        for (int i = 0; i < PANELS; i++)
            assert_int_equal(pthread_join(panels[i].thr, NULL), 0);
        assert_int_equal(st, 128 + SIGKILL);
        assert_true(acked_at_kill >= KILL_AFTER_ACKS);
        int sent = 0, acked = 0;
        for (int i = 0; i < PANELS; i++) {
            if (panels[i].bad)
                fail_msg("panel #%s: %d unexpected replies, first \"%s\"", panels[i].acct,
                         panels[i].bad, panels[i].bad_reply);
            sent += panels[i].sent;
            acked += panels[i].nacked;
        }
        print_message("round %d: killed after %lld ms; %d frames sent, %d ACKed (%d when killed)\n",
                      round + 1, td_now_ms() - t0, sent, acked, acked_at_kill);
        assert_true(acked > 0);
        assert_true(sent > acked); /* killed mid-flood: some frames were still in flight */
        total_acked += acked;

        assert_int_equal(td_daemon_restart(&D), 0);
        char tok[TOK];
        th_login_ok(D.port, "operator", PW, tok, sizeof tok);
        for (int i = 0; i < PANELS; i++)
            verify_panel(&panels[i], tok);
    }
    assert_true(total_acked >= ROUNDS);
    char *log = td_daemon_log(&D);
    assert_false(td_has_sanitizer_report(log));
    free(log);
    td_daemon_stop_ok(&D);
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill9_during_flood),
    };
    return cmocka_run_group_tests(tests, NULL, group_teardown);
}
