/* test_dc09.c - the SIA DC-09 receiver of the real vigild, from a panel's side: every positive
 * vector ACKed (echoing seq, R, L and #acct) only once its alarm is visible in the API, with the
 * incident of the right type and priority; retransmissions answered again without a second row;
 * NAK, DUH and silence where PROTOCOLS.md §1.3 says; a bad frame never costs a good panel its
 * connection; pipelined and byte-by-byte TCP, UDP; AES-128/192/256 with hex and ASCII keys;
 * supervision (missing and restored); no ACK while the store cannot commit; a clean SIGTERM.
 *
 * The fixed-time vectors (2026-11-20, and older) lie outside any window the configuration
 * allows (dc09.window_past is capped at 3600 s), so they are sent twice: verbatim (NAK, nothing
 * stored) and re-stamped with the current time by an independent CRC-16/ARC (ACK). */
#include "lib/daemon.h"
#include "lib/dc09_client.h"
#include "lib/http.h"
#include "proto/dc09/dc09.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define PW "vigil-demo"
#define TOK 256
#define FRAME 8192
#define REPLY_MS 5000 /* an answer that comes at all comes well within this */
#define SILENCE_MS 1000

#define KEY128 "000102030405060708090A0B0C0D0E0F"
#define KEY192 "00112233445566778899AABBCCDDEEFF0011223344556677"
#define KEY256 "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4"
#define ASCII16 "AAAAAAAAAAAAAAAA"
#define ASCII24 "vigil-ascii-key-24-chars"
#define ASCII32 "vigil-ascii-key-of-32-characters"

static struct td_daemon D;
static char op[TOK];
static uint32_t pad_seed = 1;

static int group_setup(void **state)
{
    (void)state;
    struct td_opts o = {.demo = 1,
                        .dc09 = 1,
                        .config_extra = "dc09.account = 7A7A key=" KEY128 " name=aes128\n"
                                        "dc09.account = 7A7B key=" KEY192 "\n"
                                        "dc09.account = 7A7C key=" KEY256 "\n"
                                        "dc09.account = AAAC key=" ASCII16 "\n"
                                        "dc09.account = AAAD key=" ASCII24 "\n"
                                        "dc09.account = AAAE key=" ASCII32 "\n"
                                        "dc09.account = 5EED heartbeat=1 name=supervised\n"
                                        "alarm.supervision_grace = 0"};
    int rc = td_daemon_start(&D, &o);
    if (rc) {
        print_error("vigild did not start: %d (exit %d)\n", rc, D.exit_status);
        return rc;
    }
    if (D.dc09_port <= 0)
        return -1;
    th_login_ok(D.port, "operator", PW, op, sizeof op);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    td_daemon_cleanup(&D);
    td_cleanup_all();
    return 0;
}

/* ---- frames and replies ---- */

static int build(char *out, const char *token, unsigned seq, const char *rcvr, const char *line,
                 const char *acct, const char *data, int64_t ts, const uint8_t *key, size_t kl)
{
    int n =
        dc09_frame_build(out, FRAME, token, seq, rcvr, line, acct, data, ts, key, kl, pad_seed++);
    if (n <= 0)
        fail_msg("dc09_frame_build(%s %u #%s [%s]) = %d", token, seq, acct, data ? data : "", n);
    return n;
}

static void key_of(const char *text, uint8_t key[32], size_t *kl)
{
    assert_int_equal(dc09_key_parse(text, key, kl), 0);
}

static void tcp_open(struct dc09c *c)
{
    int rc = dc09c_tcp(c, D.dc09_port);
    if (rc)
        fail_msg("connect to the DC-09 port %d: %s", D.dc09_port, strerror(-rc));
}

/* Sends n bytes and returns the next reply (LF/CR stripped) in out; fails without one. */
static void xfer(struct dc09c *c, const char *frame, size_t n, char *out, size_t cap)
{
    assert_int_equal(dc09c_send(c, frame, n), 0);
    int rc = dc09c_recv(c, out, cap, REPLY_MS);
    if (rc < 0)
        fail_msg("no reply to %.*s: %s", (int)(n > 2 ? n - 2 : n), frame + 1, strerror(-rc));
}

/* The receiver time stamp "_HH:MM:SS,MM-DD-YYYY" at s is within a minute of now. */
static void assert_receiver_time(const char *s)
{
    struct tm tm = {0};
    int n = 0;
    if (sscanf(s, "_%2d:%2d:%2d,%2d-%2d-%4d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_year, &n) != 6 ||
        n != 20 || s[20])
        fail_msg("\"%s\" is not a DC-09 time stamp", s);
    tm.tm_mon -= 1;
    tm.tm_year -= 1900;
    long long diff = (long long)timegm(&tm) * 1000 - dc09c_now_ms();
    if (diff < -60000 || diff > 60000)
        fail_msg("receiver time \"%s\" is %lld ms off", s, diff);
}

/* Asserts an unencrypted reply: CRC and length right, then want (token, seq, R, L, #acct and
 * "[]"), then at most a receiver time stamp. */
static void assert_reply(const char *reply, const char *want)
{
    size_t n = strlen(reply), w = strlen(want);
    if (dc09c_check(reply, n) != 0 || n < 8 + w || strncmp(reply + 8, want, w) != 0)
        fail_msg("reply \"%s\" is not a well-formed %s", reply, want);
    if (reply[8 + w])
        assert_receiver_time(reply + 8 + w);
}

static void assert_echo(const char *reply, const char *tok, unsigned seq, const char *rcvr,
                        const char *line, const char *acct)
{
    char want[160];
    snprintf(want, sizeof want, "\"%s\"%04u%s%s%s%s%s%s[]", tok, seq, *rcvr ? "R" : "", rcvr,
             *line ? "L" : "", line, *acct ? "#" : "", acct);
    assert_reply(reply, want);
}

static void assert_ack(const char *reply, unsigned seq, const char *rcvr, const char *line,
                       const char *acct)
{
    assert_echo(reply, "ACK", seq, rcvr, line, acct);
}

/* The fixed NAK form with the receiver's time (so the panel can correct its clock). */
static void assert_nak(const char *reply)
{
    static const char want[] = "\"NAK\"0000R0L0A0[]";
    size_t n = strlen(reply);
    if (dc09c_check(reply, n) != 0 || n != 8 + strlen(want) + 20 ||
        strncmp(reply + 8, want, strlen(want)) != 0)
        fail_msg("reply \"%s\" is not a NAK", reply);
    assert_receiver_time(reply + 8 + strlen(want));
}

/* Asserts an encrypted ACK ("*ACK", echoing the addressing) that decrypts with key to "]" and a
 * current receiver time stamp. */
static void assert_encrypted_ack(const char *reply, unsigned seq, const char *rcvr,
                                 const char *line, const char *acct, const uint8_t *key, size_t kl)
{
    char want[160];
    snprintf(want, sizeof want, "\"*ACK\"%04u%s%s%s%s#%s[", seq, *rcvr ? "R" : "", rcvr,
             *line ? "L" : "", line, acct);
    size_t n = strlen(reply);
    if (dc09c_check(reply, n) != 0 || strncmp(reply + 8, want, strlen(want)) != 0)
        fail_msg("reply \"%s\" is not an encrypted ACK %s…", reply, want);
    struct dc09_frame f;
    assert_int_equal(dc09_frame_parse(reply, n, &f), 0);
    assert_int_equal(f.token, DC09_TOK_ACK);
    assert_true(f.encrypted);
    char plain[FRAME];
    if (dc09_decrypt(&f, key, kl, plain, sizeof plain) != 0)
        fail_msg("the encrypted ACK \"%s\" does not decrypt with the account's key", reply);
    assert_int_equal(f.body.data_len, 0);
    assert_true(f.body.has_time);
    long long diff = (long long)(f.body.time_ms - dc09c_now_ms());
    if (diff < -60000 || diff > 60000)
        fail_msg("the encrypted ACK's time stamp is %lld ms off", diff);
}

/* ---- the API ---- */

/* The account's alarms, newest first (at most 500): a new reference. */
static json_t *alarms_of(const char *acct)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/alarms?account=%s&limit=500", acct);
    struct th_resp r;
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    json_t *items = json_incref(json_object_get(r.json, "items"));
    th_resp_free(&r);
    assert_true(json_is_array(items));
    return items;
}

static long long alarm_total(const char *acct)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/alarms?account=%s&limit=1", acct);
    return th_total(D.port, op, path);
}

/* The newest alarm of acct with this seq and code (NULL: any), as a new reference, or NULL. */
static json_t *find_alarm(const char *acct, long long seq, const char *code)
{
    json_t *items = alarms_of(acct), *row, *hit = NULL;
    size_t i;
    json_array_foreach (items, i, row) {
        if (th_jint(row, "seq") == seq && (!code || strcmp(th_jstr(row, "code"), code) == 0)) {
            hit = json_incref(row);
            break;
        }
    }
    json_decref(items);
    return hit;
}

static json_t *get_incident(long long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/incidents/%lld", id);
    struct th_resp r;
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    /* No webhook is configured here: escalations reach the consoles only. */
    assert_true(json_is_false(json_object_get(r.json, "escalation_webhook")));
    json_t *inc = json_incref(r.json);
    th_resp_free(&r);
    return inc;
}

/* Asserts incident id is in GET /api/v1/incidents?type=TYPE with this priority. */
static void assert_incident_listed(long long id, const char *type, int prio)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/incidents?type=%s&limit=500", type);
    struct th_resp r;
    th_get(D.port, op, path, &r);
    assert_int_equal(r.status, 200);
    json_t *row;
    size_t i;
    int found = 0;
    json_array_foreach (json_object_get(r.json, "items"), i, row) {
        if (th_jint(row, "id") != id)
            continue;
        found = 1;
        assert_string_equal(th_jstr(row, "type"), type);
        assert_int_equal(th_jint(row, "priority"), prio);
    }
    th_resp_free(&r);
    if (!found)
        fail_msg("incident %lld is not listed under type %s", id, type);
}

/* Right after an ACK: the alarm must already be visible, with its incident. Returns the
 * incident id (0 when none is expected, type NULL). */
static long long assert_stored(const char *acct, long long seq, const char *code, const char *zone,
                               const char *kind, const char *type, int prio)
{
    json_t *a = find_alarm(acct, seq, code);
    if (!a)
        fail_msg("ACK for #%s seq %lld (%s) before its alarm was visible", acct, seq, code);
    assert_string_equal(th_jstr(a, "account"), acct);
    if (strcmp(zone, "-") == 0) /* "-": no zone */
        assert_null(th_jstr(a, "zone"));
    else
        assert_string_equal(th_jstr(a, "zone"), zone);
    assert_string_equal(th_jstr(a, "kind"), kind);
    long long inc = th_jint(a, "incident_id");
    json_decref(a);
    if (!type) {
        assert_int_equal(inc, 0);
        return 0;
    }
    assert_true(inc > 0);
    json_t *i = get_incident(inc);
    assert_string_equal(th_jstr(i, "type"), type);
    assert_int_equal(th_jint(i, "priority"), prio);
    assert_string_equal(th_jstr(i, "account"), acct);
    json_decref(i);
    assert_incident_listed(inc, type, prio);
    return inc;
}

/* ---- vectors ---- */

struct vector {
    const char *line;   /* CRC LEN body, LF/CR excluded */
    const char *reply;  /* the expected reply after its header ("NAK": the fixed NAK) */
    const char *acct;   /* whose alarms to count */
    long long seq;      /* of the alarms */
    const char *alarms; /* rows the frame adds: "CODE ZONE KIND [TYPE PRIO]" joined by '|' */
};

/* Fixed-time vectors are sent verbatim (NAK) and then re-stamped (the reply below). */
static const struct vector vectors[] = {
    /* PROTOCOLS.md §1.8 A */
    {"68AF0025\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]", "\"ACK\"0001L0#1234[]", "1234", 1,
     "BA 12 event intrusion 2"},
    {"99A80025\"SIA-DCS\"0001L0#1234[#1234|Nri1/QQ99]", "\"DUH\"0001L0#1234[]", "1234", 1, ""},
    {"A18D0027\"ADM-CID\"0001L0#7099[#7099|1131 01 003]", "\"ACK\"0001L0#7099[]", "7099", 1,
     "131 003 event intrusion 2"},
    {"1D85002B\"NULL\"0001L0#00653210[]_09:17:32,05-18-2016", "\"ACK\"0001L0#00653210[]",
     "00653210", 1, ""},
    {"596E0024\"NULL\"0000RC0FFDL1234#080027E62A64[]", "\"ACK\"0000RC0FFDL1234#080027E62A64[]",
     "080027E62A64", 0, ""},
    /* §1.8 C */
    {"821F003A\"NULL\"0000R0L0#AAAB[#0000|0000 00 000]_18:25:49,07-05-2020",
     "\"ACK\"0000R0L0#AAAB[]", "AAAB", 0, ""},
    {"CA2F0038\"NULL\"0000L0#7890[#0000|0000 00 000]_22:13:29,12-29-2022", "\"ACK\"0000L0#7890[]",
     "7890", 0, ""},
    /* "RR" (power-up): stored as a log entry, no incident. */
    {"F4D20029\"SIA-DCS\"0001RF3L77#1234[#1234|NRR|Atest]", "\"ACK\"0001RF3L77#1234[]", "1234", 1,
     "RR - log"},
    /* A real panel's encrypted frame; no key is configured for the account. */
    {"D0850078\"*ADM-CID\"6879R0L0#123F[64F7ADD9BA9377DBF2C014BC709329BEEE345B5F20C60B7EB9D2C6B8"
     "C222666B13D0B4A114B448B0AC555FCC658DB6EE",
     "NAK", "123F", 6879, ""},
    {"96ED0016\"SIA-DCS\"0001L0#1234[]", "NAK", "1234", 1, ""}, /* no event in the data */
    {"3BAC0029\"SIA-DCS\"0002#0123[#0123|Nti20:50:26RP99]", "\"ACK\"0002#0123[]", "0123", 2,
     "RP 99 test"},
    {"73580056\"SIA-DCS\"0002R1L232#78919[#78919|Nri1/BA012][X012W34.1][Y045N12.2]_14:12:04,09-"
     "25-2026",
     "\"ACK\"0002R1L232#78919[]", "78919", 2, "BA 012 event intrusion 2"},
    /* dc09-vectors.txt */
    {"189D003E\"SIA-DCS\"0042R1L1#A1B2C[#A1B2C|Nri2/FA007]_08:30:15,11-20-2026",
     "\"ACK\"0042R1L1#A1B2C[]", "A1B2C", 42, "FA 007 event fire 1"},
    {"89350026\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA012]", "\"ACK\"0001L0#1234[]", "1234", 1,
     "BA 012 event intrusion 2"},
    {"8B970048\"SIA-DCS\"0007L0#00C0FFEE[#00C0FFEE|Nri1/BA003/TA003]_08:30:15,11-20-2026",
     "\"ACK\"0007L0#00C0FFEE[]", "00C0FFEE", 7, "BA 003 event intrusion 2|TA 003 event tamper 3"},
    {"F3E7006E\"SIA-DCS\"0100R2L5#9F01[#9F01|Nri1/PA001][X121E28.4737][Y31N13.9042][ILobby B "
     "panic button]_08:30:15,11-20-2026",
     "\"ACK\"0100R2L5#9F01[]", "9F01", 100, "PA 001 event panic 1"},
    {"F319003B\"ADM-CID\"0003L0#5566[#5566|1110 01 004]_08:30:15,11-20-2026",
     "\"ACK\"0003L0#5566[]", "5566", 3, "110 004 event fire 1"},
    {"6E1E003B\"ADM-CID\"0004L0#5566[#5566|3110 01 004]_08:30:15,11-20-2026",
     "\"ACK\"0004L0#5566[]", "5566", 4, "110 004 restore fire 1"},
    {"46BF003B\"ADM-CID\"0005L0#5566[#5566|1602 00 000]_08:30:15,11-20-2026",
     "\"ACK\"0005L0#5566[]", "5566", 5, "602 000 test"},
    {"9A78002A\"NULL\"0000R1L1#A1B2C[]_08:30:15,11-20-2026", "\"ACK\"0000R1L1#A1B2C[]", "A1B2C", 0,
     ""},
};

/* Asserts the rows v adds (given the account's count before) and their incidents. */
static void check_rows(const struct vector *v, long long before)
{
    char spec[128];
    snprintf(spec, sizeof spec, "%s", v->alarms);
    long long want = before + (*spec ? 1 : 0);
    for (const char *p = spec; (p = strchr(p, '|')) != NULL; p++)
        want++;
    if (alarm_total(v->acct) != want)
        fail_msg("%s: #%s has %lld alarms, want %lld", v->line, v->acct, alarm_total(v->acct),
                 want);
    for (char *one = spec, *next; one && *one; one = next) {
        next = strchr(one, '|');
        if (next)
            *next++ = '\0';
        char code[8], zone[8], kind[16], type[16] = "";
        int prio = 0;
        assert_true(sscanf(one, "%7s %7s %15s %15s %d", code, zone, kind, type, &prio) >= 3);
        assert_stored(v->acct, v->seq, code, zone, kind, *type ? type : NULL, prio);
    }
}

static void test_vectors(void **state)
{
    (void)state;
    struct dc09c c;
    tcp_open(&c);
    char frame[FRAME], reply[FRAME];
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        /* The CRC and length of every vector agree with an independent CRC-16/ARC. */
        if (dc09c_check(v->line, strlen(v->line)) != 0)
            fail_msg("vector %s: CRC or length do not check out", v->line);
        long long before = alarm_total(v->acct);
        int n = dc09c_wrap(frame, sizeof frame, v->line);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        if (dc09c_restamp(frame, sizeof frame, v->line, 0) > 0) {
            assert_nak(reply); /* a week or more outside the ±window */
            assert_int_equal(alarm_total(v->acct), before);
            n = dc09c_restamp(frame, sizeof frame, v->line, dc09c_now_ms());
            xfer(&c, frame, (size_t)n, reply, sizeof reply);
        }
        if (strcmp(v->reply, "NAK") == 0)
            assert_nak(reply);
        else
            assert_reply(reply, v->reply);
        check_rows(v, before);
    }
    /* The restore joined the fire incident of zone 004 instead of opening one. */
    json_t *fire = find_alarm("5566", 3, "110"), *restore = find_alarm("5566", 4, "110");
    assert_non_null(fire);
    assert_non_null(restore);
    assert_int_equal(th_jint(fire, "incident_id"), th_jint(restore, "incident_id"));
    json_decref(fire);
    json_decref(restore);
    dc09c_close(&c);
}

/* Frames a panel would never send: replies of the receiver, sent to it. */
static void test_reply_tokens_are_not_stored(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "3C830025\"NAK\"0000R0L0A0[]_16:09:09,04-14-2015",
        "E4410025\"NAK\"0000R0L0A0[]_16:20:01,09-24-2025",
        "E5630025\"NAK\"0000R0L0A0[]_10:10:18,07-30-2024",
        "AD5B0025\"NAK\"0000R0L0A0[]_08:30:15,11-20-2026",
        "215B0029\"ACK\"0042R1L1#A1B2C[]_08:30:15,11-20-2026",
    };
    struct dc09c c;
    tcp_open(&c);
    long long before = alarm_total("A1B2C");
    char frame[FRAME], reply[FRAME];
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        int n = dc09c_wrap(frame, sizeof frame, lines[i]);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        if (strstr(lines[i], "\"ACK\""))
            assert_echo(reply, "DUH", 42, "1", "1", "A1B2C");
        else if (strncmp(reply + 8, "\"DUH\"", 5) != 0)
            assert_nak(reply); /* "A0" instead of "#acct": either answer is fair */
    }
    assert_int_equal(alarm_total("A1B2C"), before);
    dc09c_close(&c);
}

static void test_encrypted(void **state)
{
    (void)state;
    static const struct {
        const char *acct, *key, *vector;
    } accts[] = {
        {"7A7A", KEY128,
         "E7140078\"*ADM-CID\"0011R1L1#7A7A[3B3225B32A43DA2A80E5B8696E7774E1EF0013837ADE944ECAC7"
         "DC77F069B2BB22A5CD5474C4DA8EE2407411C8DC27F5"},
        {"7A7B", KEY192,
         "D1F90078\"*ADM-CID\"0011R1L1#7A7A[FCFD2BEC184A0715ED2E2DA50FBE537C3B3CEC539D05584A2A58"
         "F8C130864F3D3CD6CF28C83C2D54F53C8E033CD8C71E"},
        {"7A7C", KEY256,
         "A5B90078\"*ADM-CID\"0011R1L1#7A7A[CD8F389449509D4DBB486A1262D53727E66ABB71726F0DB500B3"
         "7B8E19CF038EFB0E57631FF36D7A71372214C975DF0B"},
        {"AAAC", ASCII16,
         "76D80055\"*NULL\"0000R0L0#AAAB[B4BC8B40D0E6D959D6BEA78E88CC0B2155741A3C44FBB96D476A3E"
         "557CAD64D9"},
        {"AAAD", ASCII24, NULL},
        {"AAAE", ASCII32, NULL},
    };
    struct dc09c c;
    tcp_open(&c);
    char frame[FRAME], reply[FRAME], plain[FRAME], data[64];
    for (size_t i = 0; i < sizeof accts / sizeof accts[0]; i++) {
        const char *acct = accts[i].acct;
        uint8_t key[32], other[32];
        size_t kl, ol;
        key_of(accts[i].key, key, &kl);
        key_of(i == 0 ? KEY192 : KEY128, other, &ol);
        if (accts[i].vector) {
            /* The published vector decrypts with its key (parser check) ... */
            const char *line = accts[i].vector;
            struct dc09_frame f;
            assert_int_equal(dc09c_check(line, strlen(line)), 0);
            assert_int_equal(dc09_frame_parse(line, strlen(line), &f), 0);
            assert_int_equal(dc09_decrypt(&f, key, kl, plain, sizeof plain), 0);
            assert_true(f.body.has_time);
            /* ... and, sent as is, is refused: its time stamp is long past. */
            int n = dc09c_wrap(frame, sizeof frame, line);
            xfer(&c, frame, (size_t)n, reply, sizeof reply);
            assert_nak(reply);
        }
        /* Fresh: an event and a NULL, encrypted with the account's key -> "*ACK". */
        snprintf(data, sizeof data, "#%s|1120 01 009", acct);
        int n = build(frame, "ADM-CID", 11, "1", "1", acct, data, dc09c_now_ms(), key, kl);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        assert_encrypted_ack(reply, 11, "1", "1", acct, key, kl);
        assert_stored(acct, 11, "120", "009", "event", "panic", 1);
        n = build(frame, "NULL", 0, "0", "0", acct, NULL, dc09c_now_ms(), key, kl);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        assert_encrypted_ack(reply, 0, "0", "0", acct, key, kl);
        /* A wrong key, a clear frame for an encrypting account: NAK, nothing stored. */
        long long before = alarm_total(acct);
        n = build(frame, "ADM-CID", 12, "1", "1", acct, data, dc09c_now_ms(), other, ol);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        assert_nak(reply);
        n = build(frame, "ADM-CID", 13, "1", "1", acct, data, dc09c_now_ms(), NULL, 0);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        assert_nak(reply);
        /* Encrypted frames need the time stamp. */
        n = build(frame, "ADM-CID", 14, "1", "1", acct, data, -1, key, kl);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        assert_nak(reply);
        assert_int_equal(alarm_total(acct), before);
    }
    dc09c_close(&c);
}

static void test_retransmission(void **state)
{
    (void)state;
    struct dc09c c;
    tcp_open(&c);
    char f1[FRAME], frame[FRAME], reply[FRAME];
    int n1 = build(f1, "SIA-DCS", 21, "", "0", "BEE1", "#BEE1|Nri1/BA005", -1, NULL, 0);
    xfer(&c, f1, (size_t)n1, reply, sizeof reply);
    assert_ack(reply, 21, "", "0", "BEE1");
    long long inc = assert_stored("BEE1", 21, "BA", "005", "event", "intrusion", 2);
    long long incidents = th_total(D.port, op, "/api/v1/incidents?limit=1");
    /* The same frame again (the ACK was "lost"): ACK again, no second row or incident. Also
     * over UDP and a new connection: the dedup is the store's, not the session's. */
    xfer(&c, f1, (size_t)n1, reply, sizeof reply);
    assert_ack(reply, 21, "", "0", "BEE1");
    struct dc09c u;
    assert_int_equal(dc09c_udp(&u, D.dc09_port), 0);
    xfer(&u, f1, (size_t)n1, reply, sizeof reply);
    assert_ack(reply, 21, "", "0", "BEE1");
    dc09c_close(&u);
    assert_int_equal(alarm_total("BEE1"), 1);
    assert_int_equal(th_total(D.port, op, "/api/v1/incidents?limit=1"), incidents);
    /* Re-sent with a time stamp (a panel retrying later): still the same message. */
    int n =
        build(frame, "SIA-DCS", 21, "", "0", "BEE1", "#BEE1|Nri1/BA005", dc09c_now_ms(), NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 21, "", "0", "BEE1");
    assert_int_equal(alarm_total("BEE1"), 1);
    /* A new seq from the same zone: a second row, joined to the open incident. */
    n = build(frame, "SIA-DCS", 22, "", "0", "BEE1", "#BEE1|Nri1/BA005", -1, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 22, "", "0", "BEE1");
    assert_int_equal(assert_stored("BEE1", 22, "BA", "005", "event", "intrusion", 2), inc);
    assert_int_equal(alarm_total("BEE1"), 2);
    assert_int_equal(th_total(D.port, op, "/api/v1/incidents?limit=1"), incidents);
    json_t *i = get_incident(inc);
    assert_int_equal(th_jint(i, "alarm_count"), 2);
    json_decref(i);
    dc09c_close(&c);
}

static void test_nak(void **state)
{
    (void)state;
    struct dc09c c;
    tcp_open(&c);
    char frame[FRAME], reply[FRAME];
    /* The length field wrong (dc09-vectors.txt), then malformed frames with a correct CRC and
     * length. */
    int n = dc09c_wrap(frame, sizeof frame, "89350099\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA012]");
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_nak(reply);
    static const char *const bad[] = {
        "\"SIA-DCS\"0001L0#BAD0[#BAD0|Nri1/BA012",                      /* no closing bracket */
        "\"SIA-DCS\"01L0#BAD0[#BAD0|Nri1/BA012]",                       /* seq not 4 digits */
        "SIA-DCS\"0001L0#BAD0[#BAD0|Nri1/BA012]",                       /* no opening quote */
        "\"SIA-DCS\"0001L0#BAD0",                                       /* no data block */
        "\"SIA-DCS\"0001L0#BADG[#BADG|Nri1/BA012]",                     /* account not hex */
        "\"SIA-DCS\"0001L0#BAD0[#BAD0|Nri1/BA012]_25:61:00,13-40-2026", /* no such time */
        "",                                                             /* nothing */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = dc09c_frame(frame, sizeof frame, bad[i]);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        if (strncmp(reply + 8, "\"NAK\"", 5) != 0)
            fail_msg("\"%s\" was answered \"%s\", not NAK", bad[i], reply);
        assert_nak(reply);
    }
    /* Malformed with a correct CRC and length: the body does not parse. */
    static const char *const bodies[] = {"#BAD0|Nri1/ba", "#BAD0|Nri1/BA^unterminated", "#BAD0|"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        n = build(frame, "SIA-DCS", 31, "", "0", "BAD0", bodies[i], -1, NULL, 0);
        xfer(&c, frame, (size_t)n, reply, sizeof reply);
        assert_nak(reply);
    }
    n = build(frame, "ADM-CID", 32, "", "0", "BAD0", "#BAD0|9999 01", -1, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_nak(reply);
    /* Outside +20 s / -40 s; just inside is fine. */
    int64_t now = dc09c_now_ms();
    n = build(frame, "SIA-DCS", 33, "", "0", "BAD0", "#BAD0|Nri1/BA001", now + 60000, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_nak(reply);
    n = build(frame, "SIA-DCS", 34, "", "0", "BAD0", "#BAD0|Nri1/BA001", now - 120000, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_nak(reply);
    /* An encrypted frame for an account without a key. */
    uint8_t key[32];
    size_t kl;
    key_of(KEY128, key, &kl);
    n = build(frame, "SIA-DCS", 35, "", "0", "BAD0", "#BAD0|Nri1/BA001", now, key, kl);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_nak(reply);
    assert_int_equal(alarm_total("BAD0"), 0);
    /* Just inside the window (the panel's clock 10 s ahead, then 30 s behind): ACK. */
    n = build(frame, "SIA-DCS", 36, "", "0", "BAD0", "#BAD0|Nri1/BA001", now + 10000, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 36, "", "0", "BAD0");
    n = build(frame, "SIA-DCS", 37, "", "0", "BAD0", "#BAD0|Nri1/BA002", now - 30000, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 37, "", "0", "BAD0");
    assert_int_equal(alarm_total("BAD0"), 2);
    dc09c_close(&c);
}

/* A CRC error gets no answer at all (the panel retries) and stores nothing. */
static void test_crc_error_is_silent(void **state)
{
    (void)state;
    struct dc09c c;
    tcp_open(&c);
    char frame[FRAME], reply[FRAME];
    int n = build(frame, "SIA-DCS", 41, "", "0", "CCC1", "#CCC1|Nri1/FA001", -1, NULL, 0);
    frame[4] = frame[4] == '0' ? '1' : '0'; /* one CRC digit */
    assert_int_equal(dc09c_send(&c, frame, (size_t)n), 0);
    int rc = dc09c_recv(&c, reply, sizeof reply, SILENCE_MS);
    if (rc != -ETIMEDOUT)
        fail_msg("a frame with a bad CRC was answered: %d \"%s\"", rc, rc > 0 ? reply : "");
    /* The vector with a wrong CRC, then a good frame: the first answer is the good frame's. */
    n = dc09c_wrap(frame, sizeof frame, "89300026\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA012]");
    assert_int_equal(dc09c_send(&c, frame, (size_t)n), 0);
    n = build(frame, "SIA-DCS", 42, "", "0", "CCC2", "#CCC2|Nri1/BA001", -1, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 42, "", "0", "CCC2");
    assert_int_equal(alarm_total("CCC1"), 0);
    json_t *a = find_alarm("1234", 1, "BA");
    assert_non_null(a); /* from test_vectors: the bad-CRC copy added nothing */
    json_decref(a);
    dc09c_close(&c);
}

/* A well-formed frame with an unknown SIA code: DUH echoing the addressing, nothing stored. */
static void test_duh_unknown_code(void **state)
{
    (void)state;
    struct dc09c c;
    tcp_open(&c);
    char frame[FRAME], reply[FRAME];
    int n =
        build(frame, "SIA-DCS", 51, "7", "3", "D0D0", "#D0D0|Nri1/QQ99", dc09c_now_ms(), NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_echo(reply, "DUH", 51, "7", "3", "D0D0");
    /* One unknown block spoils the frame: the known block before it is not stored either. */
    n = build(frame, "SIA-DCS", 52, "", "0", "D0D0", "#D0D0|Nri1/BA001/QQ02", -1, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_echo(reply, "DUH", 52, "", "0", "D0D0");
    /* An unsupported token is "cannot process" too. */
    n = build(frame, "SIA-XYZ", 53, "", "0", "D0D0", "#D0D0|Nri1/BA001", -1, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_echo(reply, "DUH", 53, "", "0", "D0D0");
    assert_int_equal(alarm_total("D0D0"), 0);
    dc09c_close(&c);
}

/* Garbage, a bad CRC and an oversized line do not close a good panel's connection. */
static void test_bad_input_keeps_connection(void **state)
{
    (void)state;
    struct dc09c c;
    tcp_open(&c);
    char frame[FRAME], reply[FRAME];
    static const char noise[] =
        "GET / HTTP/1.1\r\x01\x02\xff\x00\x7f garbage without a line feed\r";
    assert_int_equal(dc09c_send(&c, noise, sizeof noise - 1), 0);
    /* An unreadable CRC field counts as a CRC error (silence); a readable, matching CRC over
     * a body that is no frame is malformed (NAK). */
    static const char junk[] = "\nnot a frame at all\r";
    assert_int_equal(dc09c_send(&c, junk, sizeof junk - 1), 0);
    int n = dc09c_frame(frame, sizeof frame, "junk with a good CRC");
    assert_int_equal(dc09c_send(&c, frame, (size_t)n), 0);
    n = build(frame, "SIA-DCS", 61, "", "0", "600D", "#600D|Nri1/BA001", -1, NULL, 0);
    frame[3] = frame[3] == 'F' ? 'E' : 'F'; /* bad CRC: silence */
    assert_int_equal(dc09c_send(&c, frame, (size_t)n), 0);
    static char big[12000];
    big[0] = '\n';
    memset(big + 1, 'x', sizeof big - 1); /* an LF and 12 KB without a CR */
    assert_int_equal(dc09c_send(&c, big, sizeof big), 0);
    n = build(frame, "SIA-DCS", 62, "", "0", "600D", "#600D|Nri1/BA001", -1, NULL, 0);
    assert_int_equal(dc09c_send(&c, frame, (size_t)n), 0);
    /* Answers in order: NAK (junk), NAK (oversized), ACK (the good frame). */
    for (int k = 0; k < 3; k++) {
        int rc = dc09c_recv(&c, reply, sizeof reply, REPLY_MS);
        if (rc < 0)
            fail_msg("reply %d: %s", k + 1, strerror(-rc));
        if (k < 2)
            assert_nak(reply);
        else
            assert_ack(reply, 62, "", "0", "600D");
    }
    assert_stored("600D", 62, "BA", "001", "event", "intrusion", 2);
    assert_int_equal(alarm_total("600D"), 1);
    /* Still the same connection: another frame is answered. */
    n = build(frame, "SIA-DCS", 63, "", "0", "600D", "#600D|Nri1/BA002", -1, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 63, "", "0", "600D");
    dc09c_close(&c);
}

static void test_pipelined_and_split(void **state)
{
    (void)state;
    struct dc09c c;
    tcp_open(&c);
    char burst[FRAME], frame[FRAME], reply[FRAME], data[64];
    size_t len = 0;
    for (unsigned s = 71; s <= 78; s++) {
        snprintf(data, sizeof data, "#FEED|Nri1/BA%03u", s);
        len += (size_t)build(burst + len, "SIA-DCS", s, "", "0", "FEED", data, -1, NULL, 0);
    }
    assert_int_equal(dc09c_send(&c, burst, len), 0); /* eight frames, one write */
    for (unsigned s = 71; s <= 78; s++) {
        int rc = dc09c_recv(&c, reply, sizeof reply, REPLY_MS);
        if (rc < 0)
            fail_msg("ACK %u of the burst: %s", s, strerror(-rc));
        assert_ack(reply, s, "", "0", "FEED"); /* in order */
        char zone[8];
        snprintf(zone, sizeof zone, "%03u", s);
        assert_stored("FEED", s, "BA", zone, "event", "intrusion", 2);
    }
    /* One frame byte by byte, and the start of the next in the same write as the end. */
    int n =
        build(frame, "SIA-DCS", 79, "", "0", "FEED", "#FEED|Nri1/FA079", dc09c_now_ms(), NULL, 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(dc09c_send(&c, frame + i, 1), 0);
    assert_int_equal(dc09c_recv(&c, reply, sizeof reply, REPLY_MS) > 0, 1);
    assert_ack(reply, 79, "", "0", "FEED");
    assert_stored("FEED", 79, "FA", "079", "event", "fire", 1);
    n = build(frame, "SIA-DCS", 80, "", "0", "FEED", "#FEED|Nri1/FA080", -1, NULL, 0);
    int m = build(frame + n, "SIA-DCS", 81, "", "0", "FEED", "#FEED|Nri1/FA081", -1, NULL, 0);
    assert_int_equal(dc09c_send(&c, frame, (size_t)n - 5), 0);
    assert_int_equal(dc09c_send(&c, frame + n - 5, 5 + (size_t)m - 7), 0);
    assert_int_equal(dc09c_send(&c, frame + n + m - 7, 7), 0);
    assert_int_equal(dc09c_recv(&c, reply, sizeof reply, REPLY_MS) > 0, 1);
    assert_ack(reply, 80, "", "0", "FEED");
    assert_int_equal(dc09c_recv(&c, reply, sizeof reply, REPLY_MS) > 0, 1);
    assert_ack(reply, 81, "", "0", "FEED");
    assert_int_equal(alarm_total("FEED"), 11);
    dc09c_close(&c);
}

/* More frames in flight on one connection than the receiver keeps pending (256): it stops
 * reading until commits catch up, then resumes; every frame is answered, in order. */
static void test_backpressure(void **state)
{
    (void)state;
    enum { FRAMES = 1000 };
    static char burst[FRAMES * 64];
    char data[64], reply[FRAME];
    size_t len = 0;
    for (unsigned s = 1; s <= FRAMES; s++) {
        snprintf(data, sizeof data, "#B0B0|Nri1/BA%03u", s % 7);
        len += (size_t)build(burst + len, "SIA-DCS", s, "", "0", "B0B0", data, -1, NULL, 0);
        assert_true(len + 64 < sizeof burst);
    }
    struct dc09c c;
    tcp_open(&c);
    assert_int_equal(dc09c_send(&c, burst, len), 0);
    for (unsigned s = 1; s <= FRAMES; s++) {
        int rc = dc09c_recv(&c, reply, sizeof reply, REPLY_MS);
        if (rc < 0)
            fail_msg("ACK %u of %d: %s", s, FRAMES, strerror(-rc));
        assert_ack(reply, s, "", "0", "B0B0");
    }
    assert_int_equal(alarm_total("B0B0"), FRAMES);
    dc09c_close(&c);
}

static void test_udp(void **state)
{
    (void)state;
    struct dc09c u;
    assert_int_equal(dc09c_udp(&u, D.dc09_port), 0);
    char frame[FRAME], reply[FRAME];
    int n =
        build(frame, "SIA-DCS", 91, "2", "3", "0DB1", "#0DB1|Nri4/PA017", dc09c_now_ms(), NULL, 0);
    xfer(&u, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 91, "2", "3", "0DB1");
    assert_stored("0DB1", 91, "PA", "017", "event", "panic", 1);
    json_t *a = find_alarm("0DB1", 91, "PA");
    assert_non_null(strstr(th_jstr(a, "source"), "udp"));
    json_decref(a);
    /* NULL and Contact ID over UDP; a bad CRC gets no datagram back. */
    n = build(frame, "NULL", 0, "", "0", "0DB1", NULL, -1, NULL, 0);
    xfer(&u, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 0, "", "0", "0DB1");
    n = build(frame, "ADM-CID", 92, "", "0", "0DB1", "#0DB1|1110 01 002", -1, NULL, 0);
    xfer(&u, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 92, "", "0", "0DB1");
    assert_stored("0DB1", 92, "110", "002", "event", "fire", 1);
    n = build(frame, "SIA-DCS", 93, "", "0", "0DB1", "#0DB1|Nri1/BA001", -1, NULL, 0);
    frame[2] = frame[2] == '0' ? '1' : '0';
    assert_int_equal(dc09c_send(&u, frame, (size_t)n), 0);
    assert_int_equal(dc09c_recv(&u, reply, sizeof reply, SILENCE_MS), -ETIMEDOUT);
    assert_int_equal(alarm_total("0DB1"), 2);
    dc09c_close(&u);
}

/* Wait (at most 15 s) for the open comm_failure incident of acct; returns its id. */
static long long wait_comm_failure(const char *acct)
{
    long long deadline = td_now_ms() + 15000;
    while (td_now_ms() < deadline) {
        struct th_resp r;
        th_get(D.port, op, "/api/v1/incidents?type=comm_failure&open=1&limit=500", &r);
        assert_int_equal(r.status, 200);
        json_t *row;
        size_t i;
        long long id = 0;
        json_array_foreach (json_object_get(r.json, "items"), i, row)
            if (strcmp(th_jstr(row, "account"), acct) == 0)
                id = th_jint(row, "id");
        th_resp_free(&r);
        if (id)
            return id;
        td_nap(200);
    }
    return 0;
}

static void test_supervision(void **state)
{
    (void)state;
    struct dc09c c;
    tcp_open(&c);
    char frame[FRAME], reply[FRAME];
    long long t0 = td_now_ms(); /* the account is last seen after this */
    int n = build(frame, "NULL", 0, "", "0", "5EED", NULL, dc09c_now_ms(), NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 0, "", "0", "5EED");
    assert_int_equal(alarm_total("5EED"), 0); /* a link test is not an alarm */
    long long id = wait_comm_failure("5EED");
    if (!id)
        fail_msg("no comm_failure incident for the silent account 5EED within 15 s");
    /* heartbeat 1 s + grace 0: not before a second has passed. */
    assert_true(td_now_ms() - t0 >= 1000);
    json_t *i = get_incident(id);
    assert_string_equal(th_jstr(i, "state"), "new");
    assert_int_equal(th_jint(i, "priority"), 3);
    json_decref(i);
    /* The next NULL closes it as restored, in the same commit that precedes the ACK. */
    n = build(frame, "NULL", 0, "", "0", "5EED", NULL, -1, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 0, "", "0", "5EED");
    i = get_incident(id);
    assert_string_equal(th_jstr(i, "state"), "closed");
    int restored = 0;
    json_t *ev;
    size_t k;
    json_array_foreach (json_object_get(i, "events"), k, ev)
        restored |= strcmp(th_jstr(ev, "kind"), "restored") == 0;
    assert_true(restored);
    json_decref(i);
    dc09c_close(&c);
}

/* dc09.window_past / window_future at their cap (3600 s): frames 50 minutes off either way are
 * ACKed there (and refused by the default ±window), a vector stamped a week ago still is not. */
static void test_wide_window(void **state)
{
    (void)state;
    struct td_daemon W = {0};
    struct td_opts o = {
        .demo = 1, .dc09 = 1, .config_extra = "dc09.window_past = 3600\ndc09.window_future = 3600"};
    assert_int_equal(td_daemon_start(&W, &o), 0);
    struct dc09c w, d;
    assert_int_equal(dc09c_tcp(&w, W.dc09_port), 0);
    tcp_open(&d);
    char frame[FRAME], reply[FRAME];
    int64_t now = dc09c_now_ms();
    static const int64_t offs[] = {-3000000, 3000000};
    for (size_t i = 0; i < 2; i++) {
        unsigned seq = 121 + (unsigned)i;
        int n = build(frame, "SIA-DCS", seq, "", "0", "3A3A", "#3A3A|Nri1/BA001", now + offs[i],
                      NULL, 0);
        xfer(&w, frame, (size_t)n, reply, sizeof reply);
        assert_ack(reply, seq, "", "0", "3A3A");
        xfer(&d, frame, (size_t)n, reply, sizeof reply);
        assert_nak(reply);
    }
    int n = dc09c_wrap(frame, sizeof frame,
                       "189D003E\"SIA-DCS\"0042R1L1#A1B2C[#A1B2C|Nri2/FA007]_08:30:15,11-20-2026");
    xfer(&w, frame, (size_t)n, reply, sizeof reply);
    assert_nak(reply);
    n = dc09c_restamp(frame, sizeof frame,
                      "189D003E\"SIA-DCS\"0042R1L1#A1B2C[#A1B2C|Nri2/FA007]_08:30:15,11-20-2026",
                      now - 3500000);
    xfer(&w, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 42, "1", "1", "A1B2C");
    char tok[TOK];
    th_login_ok(W.port, "operator", PW, tok, sizeof tok);
    assert_int_equal(th_total(W.port, tok, "/api/v1/alarms?account=3A3A"), 2);
    assert_int_equal(th_total(W.port, tok, "/api/v1/alarms?account=A1B2C"), 1);
    dc09c_close(&w);
    dc09c_close(&d);
    td_daemon_stop_ok(&W);
    td_daemon_cleanup(&W);
}

/* While another process holds the write lock, the receiver cannot commit: no ACK (and no DUH),
 * so the panel retries; once the lock is gone the retry is ACKed and stored once. */
static void test_store_failure_no_ack(void **state)
{
    (void)state;
    struct td_daemon B = {0};
    struct td_opts o = {.demo = 1, .dc09 = 1, .config_extra = "store.busy_timeout_ms = 100"};
    assert_int_equal(td_daemon_start(&B, &o), 0);
    char tok[TOK];
    th_login_ok(B.port, "operator", PW, tok, sizeof tok);
    char db_path[TD_PATH + 32];
    snprintf(db_path, sizeof db_path, "%s/vigil.db", B.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);

    struct dc09c c;
    assert_int_equal(dc09c_tcp(&c, B.dc09_port), 0);
    char frame[FRAME], reply[FRAME];
    int n = build(frame, "SIA-DCS", 101, "", "0", "10CC", "#10CC|Nri1/FA001", -1, NULL, 0);
    assert_int_equal(dc09c_send(&c, frame, (size_t)n), 0);
    int rc = dc09c_recv(&c, reply, sizeof reply, 2000);
    if (rc != -ETIMEDOUT)
        fail_msg("answered while the store could not commit: %d \"%s\"", rc, rc > 0 ? reply : "");
    struct th_resp h; /* operators see the trouble: /healthz (the console's banner) */
    th_get(B.port, NULL, "/healthz", &h);
    assert_int_equal(h.status, 503);
    assert_string_equal(th_jstr(h.json, "status"), "degraded");
    th_resp_free(&h);

    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    xfer(&c, frame, (size_t)n, reply, sizeof reply); /* the panel's retry */
    assert_ack(reply, 101, "", "0", "10CC");
    assert_int_equal(th_total(B.port, tok, "/api/v1/alarms?account=10CC"), 1);
    th_get(B.port, NULL, "/healthz", &h);
    assert_int_equal(h.status, 200);
    th_resp_free(&h);
    dc09c_close(&c);
    char *log = td_daemon_log(&B);
    assert_non_null(strstr(log, "store_failed"));
    free(log);
    td_daemon_stop_ok(&B);
    td_daemon_cleanup(&B);
}

/* SIGTERM with panels connected (one mid-frame): exit 0, no sanitizer report. Last: it stops
 * the group's daemon. */
static void test_sigterm_with_panel_connected(void **state)
{
    (void)state;
    struct dc09c c, idle;
    tcp_open(&c);
    tcp_open(&idle);
    char frame[FRAME], reply[FRAME];
    int n = build(frame, "SIA-DCS", 111, "", "0", "5109", "#5109|Nri1/BA001", -1, NULL, 0);
    xfer(&c, frame, (size_t)n, reply, sizeof reply);
    assert_ack(reply, 111, "", "0", "5109");
    n = build(frame, "SIA-DCS", 112, "", "0", "5109", "#5109|Nri1/BA002", -1, NULL, 0);
    assert_int_equal(dc09c_send(&c, frame, (size_t)n / 2), 0);
    td_daemon_stop_ok(&D);
    assert_int_equal(dc09c_wait_closed(&c, 1000), 0);
    assert_int_equal(dc09c_wait_closed(&idle, 1000), 0);
    dc09c_close(&c);
    dc09c_close(&idle);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_reply_tokens_are_not_stored),
        cmocka_unit_test(test_encrypted),
        cmocka_unit_test(test_retransmission),
        cmocka_unit_test(test_nak),
        cmocka_unit_test(test_crc_error_is_silent),
        cmocka_unit_test(test_duh_unknown_code),
        cmocka_unit_test(test_bad_input_keeps_connection),
        cmocka_unit_test(test_pipelined_and_split),
        cmocka_unit_test(test_backpressure),
        cmocka_unit_test(test_udp),
        cmocka_unit_test(test_supervision),
        cmocka_unit_test(test_wide_window),
        cmocka_unit_test(test_store_failure_no_ack),
        cmocka_unit_test(test_sigterm_with_panel_connected),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
