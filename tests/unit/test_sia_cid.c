/* test_sia_cid.c - the DC-09 payloads (proto/dc09): SIA-DCS data (sia_parse) and Ademco Contact
 * ID, both the DC-09 ADM-CID form and the 16-digit DTMF message with its checksum
 * (PROTOCOLS.md §2.3). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/dc09/dc09.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parsers get exact-size heap copies (no NUL) so ASan catches any over-read. */
static int sia(const char *s, size_t n, struct sia_payload *out)
{
    char *b = malloc(n ? n : 1);
    assert_non_null(b);
    memcpy(b, s, n);
    int rc = sia_parse(b, n, out);
    free(b);
    return rc;
}

static int sia_str(const char *s, struct sia_payload *out)
{
    return sia(s, strlen(s), out);
}

static void check_ev(const struct sia_event *ev, const char *code, const char *zone,
                     const char *area, const char *text)
{
    assert_string_equal(ev->code, code);
    assert_string_equal(ev->zone, zone);
    assert_string_equal(ev->area, area);
    assert_string_equal(ev->text, text);
}

static void test_sia_examples(void **state)
{
    (void)state;
    struct sia_payload p;
    assert_int_equal(sia_str("#1234|Nri1/BA12", &p), 0);
    assert_string_equal(p.acct, "1234");
    assert_int_equal(p.n, 1);
    check_ev(&p.ev[0], "BA", "12", "1", "");

    assert_int_equal(sia_str("#00C0FFEE|Nri1/BA003/TA003", &p), 0);
    assert_string_equal(p.acct, "00C0FFEE");
    assert_int_equal(p.n, 2);
    check_ev(&p.ev[0], "BA", "003", "1", "");
    check_ev(&p.ev[1], "TA", "003", "1", ""); /* the area carries over */

    assert_int_equal(sia_str("#9F01|Nri1/PA001", &p), 0);
    assert_string_equal(p.acct, "9F01");
    assert_int_equal(p.n, 1);
    check_ev(&p.ev[0], "PA", "001", "1", "");

    assert_int_equal(sia_str("#A1B2C|Nri2/FA007", &p), 0);
    check_ev(&p.ev[0], "FA", "007", "2", "");

    assert_int_equal(sia_str("#1234|Nri1/QQ99", &p), 0); /* unknown codes parse */
    check_ev(&p.ev[0], "QQ", "99", "1", "");

    /* fioletoven: no '/' after the time modifier; an "A" text block. */
    assert_int_equal(sia_str("#0123|Nti20:50:26RP99", &p), 0);
    assert_int_equal(p.n, 1);
    check_ev(&p.ev[0], "RP", "99", "", "");
    assert_int_equal(sia_str("#1234|NRR|Atest", &p), 0);
    assert_int_equal(p.n, 1);
    check_ev(&p.ev[0], "RR", "", "", "test");

    /* pysiaalarm: ^text^ right after the zone; data without an account. */
    assert_int_equal(sia_str("#123456|Nri1CL0^VX FRONTE ^", &p), 0);
    check_ev(&p.ev[0], "CL", "0", "1", "VX FRONTE ");
    assert_int_equal(sia_str("|Nri1/CL501", &p), 0);
    assert_string_equal(p.acct, "");
    check_ev(&p.ev[0], "CL", "501", "1", "");
    assert_int_equal(sia_str("Nri1/WA000", &p), 0);
    assert_string_equal(p.acct, "");
    check_ev(&p.ev[0], "WA", "000", "1", "");
}

static void test_sia_forms(void **state)
{
    (void)state;
    struct sia_payload p;
    /* Codes without zone, an area change, text before and after events. */
    assert_int_equal(sia_str("#1234|Nri3/OP/CL", &p), 0);
    assert_int_equal(p.n, 2);
    check_ev(&p.ev[0], "OP", "", "3", "");
    check_ev(&p.ev[1], "CL", "", "3", "");
    assert_int_equal(sia_str("#1234|Nri1/BA1/ri2/BA2^second^", &p), 0);
    check_ev(&p.ev[0], "BA", "1", "1", "");
    check_ev(&p.ev[1], "BA", "2", "2", "second");
    assert_int_equal(sia_str("#1234|N^first^BA1", &p), 0);
    check_ev(&p.ev[0], "BA", "1", "", "first");
    assert_int_equal(sia_str("#1234|Nid12/pi3/ri4/BA1^a|b^", &p), 0); /* '|' inside ^text^ */
    check_ev(&p.ev[0], "BA", "1", "4", "a|b");
    /* Several blocks; unknown ones skipped; no qualifier; "O" for old events. */
    assert_int_equal(sia_str("#1234|Nri1/BA1|Nri2/BA2|X123|Otest|Amore", &p), 0);
    assert_int_equal(p.n, 2);
    check_ev(&p.ev[1], "BA", "2", "2", "more");
    assert_int_equal(sia_str("#1234|BA1", &p), 0);
    check_ev(&p.ev[0], "BA", "1", "", "");
    assert_int_equal(sia_str("#1234|NL01", &p), 0); /* "NL" is a code, not N + "L0" */
    check_ev(&p.ev[0], "NL", "01", "", "");
    assert_int_equal(sia_str("#1234|ONBA1||", &p), 0);
    check_ev(&p.ev[0], "NB", "A1", "", ""); /* O then code NB zone A1 */
    /* The longest text is cut to 63 characters; an 8-event payload is the maximum. */
    char buf[256] = "#1234|NBA1^";
    memset(buf + 11, 't', 100);
    memcpy(buf + 111, "^", 2);
    assert_int_equal(sia_str(buf, &p), 0);
    assert_int_equal(strlen(p.ev[0].text), 63);
    assert_int_equal(sia_str("#1234|NBA1/BA2/BA3/BA4/BA5/BA6/BA7/BA8", &p), 0);
    assert_int_equal(p.n, SIA_MAX_EVENTS);
    check_ev(&p.ev[7], "BA", "8", "", "");
    assert_int_equal(sia_str("#0123456789ABCDEF|NBA1234567", &p), 0);
    assert_string_equal(p.acct, "0123456789ABCDEF");
    check_ev(&p.ev[0], "BA", "1234567", "", "");
}

static void test_sia_invalid(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",                                           /* no event */
        "#1234|N",                                    /* no event */
        "#1234|Nri1",                                 /* no event */
        "#1234",                                      /* account without '|' */
        "#|NBA1",                                     /* empty account */
        "#12G4|NBA1",                                 /* non-hex account */
        "#01234567890ABCDEF|NBA1",                    /* 17-digit account */
        "#1234|Nri1/B",                               /* one-letter code */
        "#1234|Nr",                                   /* one-letter modifier */
        "#1234|N^open",                               /* unterminated text */
        "#1234|NBA12345678",                          /* 8-character zone */
        "#1234|Nri12345678/BA1",                      /* 8-character area */
        "#1234|N*BA1",                                /* stray character */
        "#1234|NBA1\n",                               /* control byte */
        "#1234|NBA1/BA2/BA3/BA4/BA5/BA6/BA7/BA8/BA9", /* 9 events */
    };
    struct sia_payload p;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = sia_str(bad[i], &p);
        if (rc != DC09_E_FORMAT)
            fail_msg("case %zu: rc %d: %s", i, rc, bad[i]);
        assert_int_equal(p.n, 0);
    }
    /* Every prefix of a long payload: no crash, no over-read. */
    const char *s = "#00C0FFEE|Nri1/BA003/ti12:00/TA003^text^|Amore|Nri2/FA1";
    for (size_t k = 0; k <= strlen(s); k++)
        (void)sia(s, k, &p);
}

static int cid(const char *s, struct cid_event *ev)
{
    size_t n = strlen(s);
    char *b = malloc(n ? n : 1);
    assert_non_null(b);
    memcpy(b, s, n);
    int rc = cid_parse_dc09(b, n, ev);
    free(b);
    return rc;
}

static void check_cid(const struct cid_event *ev, const char *acct, int q, unsigned code,
                      unsigned group, unsigned zone)
{
    assert_string_equal(ev->acct, acct);
    assert_int_equal(ev->qualifier, q);
    assert_int_equal(ev->code, code);
    assert_int_equal(ev->group, group);
    assert_int_equal(ev->zone, zone);
}

static void test_cid_dc09(void **state)
{
    (void)state;
    struct cid_event ev;
    assert_int_equal(cid("#7099|1131 01 003", &ev), 0);
    check_cid(&ev, "7099", 1, 131, 1, 3);
    assert_int_equal(cid("#5566|1110 01 004", &ev), 0);
    check_cid(&ev, "5566", 1, 110, 1, 4);
    assert_int_equal(cid("#5566|3110 01 004", &ev), 0); /* restore */
    check_cid(&ev, "5566", 3, 110, 1, 4);
    assert_int_equal(cid("#5566|1602 00 000", &ev), 0);
    check_cid(&ev, "5566", 1, 602, 0, 0);
    assert_int_equal(cid("#4F39|3401 01 057", &ev), 0);
    check_cid(&ev, "4F39", 3, 401, 1, 57);
    assert_int_equal(cid("#1234|6301 99 999", &ev), 0); /* status */
    check_cid(&ev, "1234", 6, 301, 99, 999);
    assert_int_equal(cid("#7099|113101003", &ev), 0); /* spaces are optional */
    check_cid(&ev, "7099", 1, 131, 1, 3);
    assert_int_equal(cid("|1131 01 003", &ev), 0);
    check_cid(&ev, "", 1, 131, 1, 3);
    static const char *bad[] = {
        "",
        "#7099|2131 01 003",              /* qualifier 2 */
        "#7099|0131 01 003",              /* qualifier 0 */
        "#7099|9131 01 003",              /* qualifier 9 */
        "#0000|0000 00 000",              /* the Hikvision NULL filler: no event */
        "#7099|1099 01 003",              /* code below 100 */
        "#7099|1131 0A 003",              /* hex digit */
        "#7099|1131 01 03",               /* one digit short */
        "#7099|1131 01 0033",             /* one digit more */
        "#7099|1131 01 003^x^",           /* trailing text */
        "#7099 1131 01 003",              /* no '|' */
        "#|1131 01 003",                  /* empty account */
        "#70G9|1131 01 003",              /* non-hex account */
        "#12345678901234567|1131 01 003", /* 17-digit account */
        "#7099|-131 01 003",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = cid(bad[i], &ev);
        if (rc != DC09_E_FORMAT)
            fail_msg("case %zu: rc %d: %s", i, rc, bad[i]);
    }
    const char *s = "#7099|1131 01 003";
    for (size_t k = 0; k < strlen(s); k++) {
        char *b = malloc(k ? k : 1);
        memcpy(b, s, k);
        assert_int_equal(cid_parse_dc09(b, k, &ev), DC09_E_FORMAT);
        free(b);
    }
}

static const struct {
    const char *msg;
    int q;
    unsigned code, group, zone;
} dtmf[] = {
    {"1234 18 1131 01 015 8", 1, 131, 1, 15}, {"1234 18 3131 01 015 6", 3, 131, 1, 15},
    {"1234 18 1401 02 003 5", 1, 401, 2, 3},  {"1234 18 3401 03 005 F", 3, 401, 3, 5},
    {"1234 18 1110 01 001 B", 1, 110, 1, 1},  {"1234 18 1130 01 003 7", 1, 130, 1, 3},
    {"1234 18 1120 01 000 1", 1, 120, 1, 0},  {"1234 18 1602 00 000 2", 1, 602, 0, 0},
    {"1234 18 1301 00 000 6", 1, 301, 0, 0},  {"1234181131010158", 1, 131, 1, 15},
};

static int dtmf_parse(const char *s, struct cid_event *ev)
{
    size_t n = strlen(s);
    char *b = malloc(n ? n : 1);
    assert_non_null(b);
    memcpy(b, s, n);
    int rc = cid_parse_dtmf(b, n, ev);
    free(b);
    return rc;
}

static void test_cid_dtmf(void **state)
{
    (void)state;
    struct cid_event ev;
    for (size_t i = 0; i < sizeof dtmf / sizeof dtmf[0]; i++) {
        int rc = dtmf_parse(dtmf[i].msg, &ev);
        if (rc != 0)
            fail_msg("%s: rc %d", dtmf[i].msg, rc);
        check_cid(&ev, "1234", dtmf[i].q, dtmf[i].code, dtmf[i].group, dtmf[i].zone);
        /* Any single digit changed breaks the sum (digit values 1..15 differ by less than 15). */
        char m[32];
        snprintf(m, sizeof m, "%s", dtmf[i].msg);
        for (size_t k = 0; m[k]; k++) {
            if (m[k] == ' ')
                continue;
            char orig = m[k];
            for (const char *c = "0123456789BCDEF"; *c; c++) {
                if (*c == orig)
                    continue;
                m[k] = *c;
                assert_int_equal(dtmf_parse(m, &ev), DC09_E_CRC);
            }
            m[k] = orig;
        }
    }
    assert_int_equal(dtmf_parse("1234 18 1131 01 015 9", &ev), DC09_E_CRC);
    /* Account digits B-F (either case), MT 98, all with their checksums. */
    char m[17];
    memcpy(m, "BCDE981131010150", 16);
    m[15] = "0123456789ABCDEF"[cid_checksum_digit(m) % 16];
    if (m[15] == 'A')
        m[15] = '0';
    m[16] = '\0';
    assert_int_equal(dtmf_parse(m, &ev), 0);
    check_cid(&ev, "BCDE", 1, 131, 1, 15);
    m[0] = 'b';
    assert_int_equal(dtmf_parse(m, &ev), 0);
    /* Invalid: hex 'A' (spandsp's example), MT 17 or qualifier 2 with a right checksum, length. */
    assert_int_equal(dtmf_parse("1234 56 7 89A 00 000 0", &ev), DC09_E_FORMAT);
    assert_int_equal(dtmf_parse("1234 17 1131 01 015 9", &ev), DC09_E_FORMAT);
    assert_int_equal(dtmf_parse("1234 18 2131 01 015 7", &ev), DC09_E_FORMAT);
    assert_int_equal(dtmf_parse("1234 18 1131 01 015", &ev), DC09_E_FORMAT);
    assert_int_equal(dtmf_parse("1234 18 1131 01 015 8 8", &ev), DC09_E_FORMAT);
    assert_int_equal(dtmf_parse("", &ev), DC09_E_FORMAT);
    assert_int_equal(dtmf_parse("1234*18*1131*01*015*8", &ev), DC09_E_FORMAT);
}

static void test_cid_checksum(void **state)
{
    (void)state;
    assert_int_equal(cid_checksum_digit("123418113101015"), 8);
    assert_int_equal(cid_checksum_digit("123418340103005"), 15); /* 75: already a multiple */
    assert_int_equal(cid_checksum_digit("111111111111111"), 15);
    /* 0 counts as 10: 1 + 14 x 10 = 141 -> 9 (it would be 14 if 0 counted as 0). */
    assert_int_equal(cid_checksum_digit("100000000000000"), 9);
    assert_int_equal(cid_checksum_digit("000000000000000"), 15);
    /* A checksum of 10 is sent as digit 0. */
    assert_int_equal(cid_checksum_digit("611111111111111"), 10);
    assert_int_equal(cid_checksum_digit("BCDEF1111111111"),
                     15 - (11 + 12 + 13 + 14 + 15 + 10) % 15);
    assert_int_equal(cid_checksum_digit("12341811310101A"), DC09_E_FORMAT);
    assert_int_equal(cid_checksum_digit("1234181131010 5"), DC09_E_FORMAT);
    /* Agrees with the parser for every example. */
    for (size_t i = 0; i < sizeof dtmf / sizeof dtmf[0]; i++) {
        char d[16];
        size_t n = 0;
        for (const char *p = dtmf[i].msg; *p && n < 16; p++)
            if (*p != ' ')
                d[n++] = *p;
        int s = cid_checksum_digit(d);
        char want = s == 10 ? '0' : "0123456789ABCDEF"[s];
        assert_int_equal(d[15], want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sia_examples), cmocka_unit_test(test_sia_forms),
        cmocka_unit_test(test_sia_invalid),  cmocka_unit_test(test_cid_dc09),
        cmocka_unit_test(test_cid_dtmf),     cmocka_unit_test(test_cid_checksum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
