/* test_dc09.c - DC-09 frames (proto/dc09): the CRC, frame and body parsing against the
 * independent vectors of PROTOCOLS.md §1.8 and dc09-vectors.txt, the time stamp, malformed,
 * truncated and oversized input. Encryption and replies: test_dc09_crypt.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/clock.h"
#include "proto/dc09/dc09.h"
#include "proto/dc09/dc09_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_2026 1795163415000LL /* 08:30:15,11-20-2026 */

/* The parser must never need a NUL: parse from an exact-size heap copy so ASan sees any
 * over-read. The caller frees *held after using the frame (its pointers point into it). */
static int parse_exact(const char *s, size_t n, struct dc09_frame *f, char **held)
{
    *held = malloc(n ? n : 1);
    assert_non_null(*held);
    memcpy(*held, s, n);
    return dc09_frame_parse(*held, n, f);
}

static int parse_str(const char *s)
{
    struct dc09_frame f;
    char *held;
    int rc = parse_exact(s, strlen(s), &f, &held);
    free(held);
    return rc;
}

/* "CRC LEN region" with the right CRC and length, for content checks past both. */
static int parse_region(const char *region)
{
    char line[DC09_MAX_FRAME + 16];
    size_t n = strlen(region);
    assert_true(n + 9 < sizeof line);
    snprintf(line, sizeof line, "%04X%04X%s", dc09_crc(region, n), (unsigned)n, region);
    return parse_str(line);
}

static void test_crc(void **state)
{
    (void)state;
    assert_int_equal(dc09_crc("123456789", 9), 0xBB3D);
    assert_int_equal(dc09_crc("", 0), 0);
    /* PROTOCOLS.md §1.2: ARC 0x68AF, where CCITT/XMODEM would give 0x1695. */
    const char *r = "\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]";
    assert_int_equal(dc09_crc(r, strlen(r)), 0x68AF);
}

struct ext_want {
    char letter;
    const char *value;
};

static const struct vec {
    const char *line;
    enum dc09_token tok;
    int enc;
    unsigned seq;
    const char *rcvr, *lpref, *acct;
    const char *data; /* NULL: encrypted */
    int64_t time_ms;  /* -1: none */
    size_t cipher_len;
    struct ext_want ext[3];
} vecs[] = {
    /* PROTOCOLS.md §1.8 A */
    {"68AF0025\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]",
     DC09_TOK_SIA_DCS,
     0,
     1,
     "",
     "0",
     "1234",
     "#1234|Nri1/BA12",
     -1,
     0,
     {{0}}},
    {"99A80025\"SIA-DCS\"0001L0#1234[#1234|Nri1/QQ99]",
     DC09_TOK_SIA_DCS,
     0,
     1,
     "",
     "0",
     "1234",
     "#1234|Nri1/QQ99",
     -1,
     0,
     {{0}}},
    {"A18D0027\"ADM-CID\"0001L0#7099[#7099|1131 01 003]",
     DC09_TOK_ADM_CID,
     0,
     1,
     "",
     "0",
     "7099",
     "#7099|1131 01 003",
     -1,
     0,
     {{0}}},
    {"1D85002B\"NULL\"0001L0#00653210[]_09:17:32,05-18-2016",
     DC09_TOK_NULL,
     0,
     1,
     "",
     "0",
     "00653210",
     "",
     1463563052000LL,
     0,
     {{0}}},
    {"596E0024\"NULL\"0000RC0FFDL1234#080027E62A64[]",
     DC09_TOK_NULL,
     0,
     0,
     "C0FFD",
     "1234",
     "080027E62A64",
     "",
     -1,
     0,
     {{0}}},
    {"3C830025\"NAK\"0000R0L0A0[]_16:09:09,04-14-2015",
     DC09_TOK_NAK,
     0,
     0,
     "0",
     "0",
     "0",
     "",
     1429027749000LL,
     0,
     {{0}}},
    /* PROTOCOLS.md §1.8 C */
    {"821F003A\"NULL\"0000R0L0#AAAB[#0000|0000 00 000]_18:25:49,07-05-2020",
     DC09_TOK_NULL,
     0,
     0,
     "0",
     "0",
     "AAAB",
     "#0000|0000 00 000",
     1593973549000LL,
     0,
     {{0}}},
    {"76D80055\"*NULL\"0000R0L0#AAAB[B4BC8B40D0E6D959D6BEA78E88CC0B2155741A3C44FBB96D476A3E557CAD6"
     "4D9",
     DC09_TOK_NULL,
     1,
     0,
     "0",
     "0",
     "AAAB",
     NULL,
     -1,
     64,
     {{0}}},
    {"CA2F0038\"NULL\"0000L0#7890[#0000|0000 00 000]_22:13:29,12-29-2022",
     DC09_TOK_NULL,
     0,
     0,
     "",
     "0",
     "7890",
     "#0000|0000 00 000",
     1672352009000LL,
     0,
     {{0}}},
    {"D0850078\"*ADM-CID\"6879R0L0#123F[64F7ADD9BA9377DBF2C014BC709329BEEE345B5F20C60B7EB9D2C6B8C2"
     "22666B13D0B4A114B448B0AC555FCC658DB6EE",
     DC09_TOK_ADM_CID,
     1,
     6879,
     "0",
     "0",
     "123F",
     NULL,
     -1,
     96,
     {{0}}},
    {"F4D20029\"SIA-DCS\"0001RF3L77#1234[#1234|NRR|Atest]",
     DC09_TOK_SIA_DCS,
     0,
     1,
     "F3",
     "77",
     "1234",
     "#1234|NRR|Atest",
     -1,
     0,
     {{0}}},
    {"96ED0016\"SIA-DCS\"0001L0#1234[]", DC09_TOK_SIA_DCS, 0, 1, "", "0", "1234", "", -1, 0, {{0}}},
    {"E4410025\"NAK\"0000R0L0A0[]_16:20:01,09-24-2025",
     DC09_TOK_NAK,
     0,
     0,
     "0",
     "0",
     "0",
     "",
     1758730801000LL,
     0,
     {{0}}},
    {"3BAC0029\"SIA-DCS\"0002#0123[#0123|Nti20:50:26RP99]",
     DC09_TOK_SIA_DCS,
     0,
     2,
     "",
     "",
     "0123",
     "#0123|Nti20:50:26RP99",
     -1,
     0,
     {{0}}},
    {"E5630025\"NAK\"0000R0L0A0[]_10:10:18,07-30-2024",
     DC09_TOK_NAK,
     0,
     0,
     "0",
     "0",
     "0",
     "",
     1722334218000LL,
     0,
     {{0}}},
    {"73580056\"SIA-DCS\"0002R1L232#78919[#78919|Nri1/BA012][X012W34.1][Y045N12.2]_14:12:04,09-25-"
     "2026",
     DC09_TOK_SIA_DCS,
     0,
     2,
     "1",
     "232",
     "78919",
     "#78919|Nri1/BA012",
     1790345524000LL,
     0,
     {{'X', "012W34.1"}, {'Y', "045N12.2"}}},
    /* dc09-vectors.txt */
    {"189D003E\"SIA-DCS\"0042R1L1#A1B2C[#A1B2C|Nri2/FA007]_08:30:15,11-20-2026",
     DC09_TOK_SIA_DCS,
     0,
     42,
     "1",
     "1",
     "A1B2C",
     "#A1B2C|Nri2/FA007",
     T_2026,
     0,
     {{0}}},
    {"89350026\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA012]",
     DC09_TOK_SIA_DCS,
     0,
     1,
     "",
     "0",
     "1234",
     "#1234|Nri1/BA012",
     -1,
     0,
     {{0}}},
    {"8B970048\"SIA-DCS\"0007L0#00C0FFEE[#00C0FFEE|Nri1/BA003/TA003]_08:30:15,11-20-2026",
     DC09_TOK_SIA_DCS,
     0,
     7,
     "",
     "0",
     "00C0FFEE",
     "#00C0FFEE|Nri1/BA003/TA003",
     T_2026,
     0,
     {{0}}},
    {"F3E7006E\"SIA-DCS\"0100R2L5#9F01[#9F01|Nri1/PA001][X121E28.4737][Y31N13.9042][ILobby B "
     "panic button]_08:30:15,11-20-2026",
     DC09_TOK_SIA_DCS,
     0,
     100,
     "2",
     "5",
     "9F01",
     "#9F01|Nri1/PA001",
     T_2026,
     0,
     {{'X', "121E28.4737"}, {'Y', "31N13.9042"}, {'I', "Lobby B panic button"}}},
    {"F319003B\"ADM-CID\"0003L0#5566[#5566|1110 01 004]_08:30:15,11-20-2026",
     DC09_TOK_ADM_CID,
     0,
     3,
     "",
     "0",
     "5566",
     "#5566|1110 01 004",
     T_2026,
     0,
     {{0}}},
    {"6E1E003B\"ADM-CID\"0004L0#5566[#5566|3110 01 004]_08:30:15,11-20-2026",
     DC09_TOK_ADM_CID,
     0,
     4,
     "",
     "0",
     "5566",
     "#5566|3110 01 004",
     T_2026,
     0,
     {{0}}},
    {"46BF003B\"ADM-CID\"0005L0#5566[#5566|1602 00 000]_08:30:15,11-20-2026",
     DC09_TOK_ADM_CID,
     0,
     5,
     "",
     "0",
     "5566",
     "#5566|1602 00 000",
     T_2026,
     0,
     {{0}}},
    {"9A78002A\"NULL\"0000R1L1#A1B2C[]_08:30:15,11-20-2026",
     DC09_TOK_NULL,
     0,
     0,
     "1",
     "1",
     "A1B2C",
     "",
     T_2026,
     0,
     {{0}}},
    {"215B0029\"ACK\"0042R1L1#A1B2C[]_08:30:15,11-20-2026",
     DC09_TOK_ACK,
     0,
     42,
     "1",
     "1",
     "A1B2C",
     "",
     T_2026,
     0,
     {{0}}},
    {"AD5B0025\"NAK\"0000R0L0A0[]_08:30:15,11-20-2026",
     DC09_TOK_NAK,
     0,
     0,
     "0",
     "0",
     "0",
     "",
     T_2026,
     0,
     {{0}}},
    {"E7140078\"*ADM-CID\"0011R1L1#7A7A[3B3225B32A43DA2A80E5B8696E7774E1EF0013837ADE944ECAC7DC77F0"
     "69B2BB22A5CD5474C4DA8EE2407411C8DC27F5",
     DC09_TOK_ADM_CID,
     1,
     11,
     "1",
     "1",
     "7A7A",
     NULL,
     -1,
     96,
     {{0}}},
    {"D1F90078\"*ADM-CID\"0011R1L1#7A7A[FCFD2BEC184A0715ED2E2DA50FBE537C3B3CEC539D05584A2A58F8C130"
     "864F3D3CD6CF28C83C2D54F53C8E033CD8C71E",
     DC09_TOK_ADM_CID,
     1,
     11,
     "1",
     "1",
     "7A7A",
     NULL,
     -1,
     96,
     {{0}}},
    {"A5B90078\"*ADM-CID\"0011R1L1#7A7A[CD8F389449509D4DBB486A1262D53727E66ABB71726F0DB500B37B8E19"
     "CF038EFB0E57631FF36D7A71372214C975DF0B",
     DC09_TOK_ADM_CID,
     1,
     11,
     "1",
     "1",
     "7A7A",
     NULL,
     -1,
     96,
     {{0}}},
};

#define NVECS (sizeof vecs / sizeof vecs[0])

static void check_vec(const struct vec *v, const struct dc09_frame *f, const char *held)
{
    size_t n = strlen(v->line);
    unsigned crc;
    assert_int_equal(sscanf(v->line, "%4X", &crc), 1);
    assert_int_equal(f->crc, crc);
    assert_int_equal(f->len, n - 8);
    assert_int_equal(f->token, v->tok);
    assert_int_equal(f->encrypted, v->enc);
    assert_int_equal(f->seq, v->seq);
    assert_string_equal(f->rcvr, v->rcvr);
    assert_string_equal(f->line, v->lpref);
    assert_string_equal(f->acct, v->acct);
    if (v->enc) {
        assert_int_equal(f->cipher_len, v->cipher_len);
        assert_ptr_equal(f->cipher + f->cipher_len, held + n); /* the hex runs to the end */
        assert_null(f->body.data);
        return;
    }
    assert_null(f->cipher);
    assert_int_equal(f->body.data_len, strlen(v->data));
    assert_memory_equal(f->body.data, v->data, f->body.data_len);
    assert_int_equal(f->body.has_time, v->time_ms >= 0);
    if (v->time_ms >= 0)
        assert_int_equal(f->body.time_ms, v->time_ms);
    int next = 0;
    while (next < 3 && v->ext[next].letter)
        next++;
    assert_int_equal(f->body.next, next);
    for (int k = 0; k < next; k++) {
        assert_int_equal(f->body.ext[k].letter, v->ext[k].letter);
        assert_int_equal(f->body.ext[k].len, strlen(v->ext[k].value));
        assert_memory_equal(f->body.ext[k].value, v->ext[k].value, f->body.ext[k].len);
    }
}

static void test_positive_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < NVECS; i++) {
        struct dc09_frame f;
        char *held;
        int rc = parse_exact(vecs[i].line, strlen(vecs[i].line), &f, &held);
        if (rc != 0)
            fail_msg("vector %zu: rc %d: %s", i, rc, vecs[i].line);
        check_vec(&vecs[i], &f, held);
        free(held);
    }
}

static void test_negative_vectors(void **state)
{
    (void)state;
    /* dc09-vectors.txt */
    assert_int_equal(parse_str("89300026\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA012]"), DC09_E_CRC);
    assert_int_equal(parse_str("89350099\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA012]"), DC09_E_LEN);
    /* PROTOCOLS.md §1.8 D (pysiaalarm): every length field is wrong, some CRCs too. */
    static const char *d[] = {
        "E5D50078\"SIA-DCS\"6002L0#AAA[|Nri1/CL501]_14:12:04,09-25-2019",
        "97F90078\"SIA-DCS\"6002L0#AAA[|Nri2/JC12]_12:58:23,09-15-2021",
        "87570078\"SIA-DCS\"6002L0#AAA[|Nri1/CL501][M0026B9E4268B]_14:12:04,09-25-2019",
        "5B090059\"SIA-DCS\"0004L0#1111[#1111|Nri1/PA501][X006E07.7777777][Y49N06.6666666]_20:45:"
        "46,04-22-2021",
        "57150047\"ADM-CID\"0247R4F39L4F39#4F39[#4F39|3401 01 057]",
        "9618004D\"SIA-DCS\"7960L0#123456[#123456|Nri1CL0^VX FRONTE ^]_22:40:48,04-11-2021",
        "C4160279\"SIA-DCS\"5268L0#AAA[Nri1/WA000]_08:40:47,07-08-2020",
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        assert_int_equal(parse_str(d[i]), DC09_E_LEN);
    /* With their lengths corrected, the "CRC ok" ones are good frames. */
    char fixed[128];
    snprintf(fixed, sizeof fixed, "%.4s0034%s", d[0], d[0] + 8);
    assert_int_equal(parse_str(fixed), 0);
    snprintf(fixed, sizeof fixed, "%.4s0043%s", d[2], d[2] + 8);
    assert_int_equal(parse_str(fixed), 0);
    /* ... and the one with a wrong CRC fails the CRC once its length is right. */
    snprintf(fixed, sizeof fixed, "%.4s%04X%s", d[6], (unsigned)strlen(d[6] + 8), d[6] + 8);
    assert_int_equal(parse_str(fixed), DC09_E_CRC);
    /* Non-hex CRC or length fields. */
    assert_int_equal(parse_str("68AG0025\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]"), DC09_E_CRC);
    assert_int_equal(parse_str("68AF00 25\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]"), DC09_E_LEN);
    assert_int_equal(parse_str("68AF-025\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]"), DC09_E_LEN);
}

static void test_lowercase_hex(void **state)
{
    (void)state;
    assert_int_equal(parse_str("68af0025\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]"), 0);
    assert_int_equal(parse_str("68aF0025\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]"), 0);
    assert_int_equal(parse_str("3c830025\"NAK\"0000R0L0A0[]_16:09:09,04-14-2015"), 0);
    assert_int_equal(parse_str("821f003a\"NULL\"0000R0L0#AAAB[#0000|0000 00 000]_18:25:49,07-05-"
                               "2020"),
                     0);
    /* The CRC covers the bytes as sent: lower-casing the account changes it. */
    assert_int_equal(parse_str("596E0024\"NULL\"0000RC0FFDL1234#080027e62a64[]"), DC09_E_CRC);
    assert_int_equal(parse_region("\"NULL\"0000RC0FFDL1234#080027e62a64[]"), 0);
}

static void test_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {
        "SIA-DCS\"0001L0#1234[]",                               /* no opening quote */
        "\"SIA-DCS0001L0#1234[]",                               /* no closing quote */
        "\"\"0001L0#1234[]",                                    /* empty token */
        "\"*\"0001L0#1234[]",                                   /* empty encrypted token */
        "\"sia-dcs\"0001L0#1234[]",                             /* lower-case token */
        "\"SIA DCS\"0001L0#1234[]",                             /* space in the token */
        "\"ABCDEFGHIJKLMNOP\"0001L0#1234[]",                    /* 16-character token */
        "\"SIA-DCS\"001L0#1234[]",                              /* 3-digit seq */
        "\"SIA-DCS\"00A1L0#1234[]",                             /* non-digit seq */
        "\"SIA-DCS\"0001R1234567L0#1234[]",                     /* 7-digit receiver */
        "\"SIA-DCS\"0001RL0#1234[]",                            /* empty receiver */
        "\"SIA-DCS\"0001L#1234[]",                              /* empty line */
        "\"SIA-DCS\"0001LG#1234[]",                             /* non-hex line */
        "\"SIA-DCS\"0001L0#[]",                                 /* empty account */
        "\"SIA-DCS\"0001L0#12345678901234567[]",                /* 17-digit account */
        "\"SIA-DCS\"0001L0#12G4[]",                             /* non-hex account */
        "\"SIA-DCS\"0001A0[]",                                  /* A form only in a NAK */
        "\"SIA-DCS\"0001L0#1234",                               /* no data block */
        "\"SIA-DCS\"0001L0#1234x[]",                            /* junk before the data block */
        "\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12",               /* no closing bracket */
        "\"SIA-DCS\"0001L0#1234[]x",                            /* junk after the data */
        "\"SIA-DCS\"0001L0#1234[][]",                           /* empty extended block */
        "\"SIA-DCS\"0001L0#1234[][x1]",                         /* lower-case extended letter */
        "\"SIA-DCS\"0001L0#1234[][X1",                          /* unterminated extended block */
        "\"SIA-DCS\"0001L0#1234[]_",                            /* empty time stamp */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,11-20-202",          /* short time stamp */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,11-20-20260",        /* long time stamp */
        "\"SIA-DCS\"0001L0#1234[]_24:00:00,11-20-2026",         /* hour 24 */
        "\"SIA-DCS\"0001L0#1234[]_08:60:15,11-20-2026",         /* minute 60 */
        "\"SIA-DCS\"0001L0#1234[]_08:30:60,11-20-2026",         /* second 60 */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,13-20-2026",         /* month 13 */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,00-20-2026",         /* month 0 */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,11-00-2026",         /* day 0 */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,11-31-2026",         /* 31 November */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,02-29-2026",         /* 29 February, not a leap year */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,02-29-2100",         /* 2100 is not a leap year */
        "\"SIA-DCS\"0001L0#1234[]_08:30:15,12-31-1969",         /* before the epoch */
        "\"SIA-DCS\"0001L0#1234[]_08-30-15,11-20-2026",         /* wrong separators */
        "\"SIA-DCS\"0001L0#1234[]_8:30:15,11-20-20260",         /* misplaced fields */
        "\"SIA-DCS\"0001L0#1234[]_+8:30:15,11-20-2026",         /* sign */
        "\"SIA-DCS\"0001L0#1234[a\tb]",                         /* control byte in the data */
        "\"*NAK\"0000R0L0A0[00112233445566778899AABBCCDDEEFF]", /* NAK is never encrypted */
        "\"*SIA-DCS\"0001L0#1234[]",                            /* no cipher text */
        "\"*SIA-DCS\"0001L0#1234[00112233445566778899AABBCCDDEE]",   /* not a whole block */
        "\"*SIA-DCS\"0001L0#1234[00112233445566778899AABBCCDDEG]",   /* not hex */
        "\"*SIA-DCS\"0001L0#1234[00112233445566778899AABBCCDDEEFF]", /* trailing ']' */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse_region(bad[i]);
        if (rc != DC09_E_FORMAT)
            fail_msg("case %zu: rc %d: %s", i, rc, bad[i]);
    }
    assert_int_equal(parse_str(""), DC09_E_FORMAT);
    assert_int_equal(parse_str("68AF002"), DC09_E_FORMAT);
    assert_int_equal(parse_str("68AF0000"), DC09_E_CRC); /* empty region: CRC 0 */
    assert_int_equal(parse_str("00000000"), DC09_E_FORMAT);
}

static void test_lenient(void **state)
{
    (void)state;
    static const char *good[] = {
        "\"SIA-DCS\"0001L0#1234[]_23:59:59,12-31-9999",         /* the last representable second */
        "\"SIA-DCS\"0001L0#1234[]_00:00:00,01-01-1970",         /* the epoch */
        "\"SIA-DCS\"0001L0#1234[]_12:00:00,02-29-2024",         /* leap day */
        "\"SIA-DCS\"0001L0#1234[]_12:00:00,02-29-2000",         /* leap day (divisible by 400) */
        "\"SIA-DCS\"0001[]",                                    /* no R, L or account */
        "\"SIA-DCS\"0001R123456L654321#0123456789ABCDEF[]",     /* every field at its maximum */
        "\"SIA-DCS\"0001L0#abcdef[]",                           /* lower-case account */
        "\"NAK\"0001R0L0#0[]",                                  /* Swissdotnet's NAK form */
        "\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12][Q][Z9]",       /* unknown, empty-valued blocks */
        "\"SIA-DCS\"0001L0#1234[a[b]",                          /* '[' inside the data */
        "\"SIA-DCS\"0001L0#1234[\xc3\xa9]",                     /* UTF-8 in the data */
        "\"X-NEW-TOKEN\"0001L0#1234[]",                         /* well-formed unknown token */
        "\"*RSP\"0001L0#1234[00112233445566778899AABBCCDDEEff", /* lower-case cipher hex */
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int rc = parse_region(good[i]);
        if (rc != 0)
            fail_msg("case %zu: rc %d: %s", i, rc, good[i]);
    }
    struct dc09_frame f;
    char *held;
    const char *t = "\"X-NEW-TOKEN\"0001L0#1234[]";
    char line[64];
    snprintf(line, sizeof line, "%04X%04X%s", dc09_crc(t, strlen(t)), (unsigned)strlen(t), t);
    assert_int_equal(parse_exact(line, strlen(line), &f, &held), 0);
    assert_int_equal(f.token, DC09_TOK_OTHER);
    free(held);
    /* Outside a NAK, 'A' is a hex digit of the line: "L0A0" is line 0x0A0 and no account. */
    t = "\"SIA-DCS\"0001L0A0[]";
    snprintf(line, sizeof line, "%04X%04X%s", dc09_crc(t, strlen(t)), (unsigned)strlen(t), t);
    assert_int_equal(parse_exact(line, strlen(line), &f, &held), 0);
    assert_string_equal(f.line, "0A0");
    assert_string_equal(f.acct, "");
    free(held);
}

static void test_ext_limit(void **state)
{
    (void)state;
    char region[512] = "\"SIA-DCS\"0001L0#1234[#1234|Nri1/BA12]";
    for (int i = 0; i < DC09_MAX_EXT + 3; i++) {
        size_t n = strlen(region);
        snprintf(region + n, sizeof region - n, "[%c%d]", 'A' + i, i);
    }
    size_t rn = strlen(region);
    snprintf(region + rn, sizeof region - rn, "_08:30:15,11-20-2026");
    char line[600];
    snprintf(line, sizeof line, "%04X%04X%s", dc09_crc(region, strlen(region)),
             (unsigned)strlen(region), region);
    struct dc09_frame f;
    char *held;
    assert_int_equal(parse_exact(line, strlen(line), &f, &held), 0);
    assert_int_equal(f.body.next, DC09_MAX_EXT); /* the rest are checked and dropped */
    assert_int_equal(f.body.ext[DC09_MAX_EXT - 1].letter, 'A' + DC09_MAX_EXT - 1);
    assert_int_equal(f.body.has_time, 1);
    assert_int_equal(f.body.time_ms, T_2026);
    free(held);
}

static void test_body_parse(void **state)
{
    (void)state;
    struct dc09_body b;
    assert_int_equal(dc09_body_parse("]", 1, &b), 0);
    assert_int_equal(b.data_len, 0);
    assert_int_equal(b.has_time, 0);
    const char *s = "#1|x][X1][Y]_08:30:15,11-20-2026";
    assert_int_equal(dc09_body_parse(s, strlen(s), &b), 0);
    assert_int_equal(b.data_len, 4);
    assert_ptr_equal(b.data, s);
    assert_int_equal(b.next, 2);
    assert_int_equal(b.ext[1].letter, 'Y');
    assert_int_equal(b.ext[1].len, 0);
    assert_int_equal(b.time_ms, T_2026);
    assert_int_equal(dc09_body_parse("", 0, &b), DC09_E_FORMAT);
    assert_int_equal(dc09_body_parse("abc", 3, &b), DC09_E_FORMAT);
    /* A length that stops inside the buffer is honoured (no NUL needed). */
    assert_int_equal(dc09_body_parse("]_08:30:15,11-20-2026", 1, &b), 0);
    assert_int_equal(b.has_time, 0);
}

/* Every day of every month of a leap and a common year: the last day parses, the next not. */
static void test_days_per_month(void **state)
{
    (void)state;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const int years[] = {2023, 2024, 2100, 2400};
    for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
        int yr = years[y];
        int leap = (yr % 4 == 0 && yr % 100 != 0) || yr % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= 32; d++) {
                char region[64];
                snprintf(region, sizeof region, "\"NULL\"0000[]_00:00:00,%02d-%02d-%04d", m, d, yr);
                int rc = parse_region(region);
                if ((rc == 0) != (d <= last))
                    fail_msg("%04d-%02d-%02d: rc %d", yr, m, d, rc);
            }
        }
    }
}

/* The civil-date helpers against core/clock's independent ISO-8601 conversion: every day of
 * 1970..2517 (2000-02-29 and 2400-02-29 end 400-year eras), then every 97th day up to 9999; the
 * second of the day moves from day to day. */
static void test_time_vs_clock(void **state)
{
    (void)state;
    const int64_t day = 86400000;
    for (int64_t d = 0; d < 2932897; d += d < 200000 ? 1 : 97) {
        int64_t ms = d * day + (d * 7919) % day;
        char iso[CLOCK_ISO_LEN], ts[DC09_TS_LEN + 1], want[DC09_TS_LEN + 1];
        int64_t back = -1;
        assert_int_equal(clock_format_iso(ms, iso, sizeof iso), 0);
        /* YYYY-MM-DDTHH:MM:SS.mmmZ -> HH:MM:SS,MM-DD-YYYY */
        snprintf(want, sizeof want, "%.8s,%.2s-%.2s-%.4s", iso + 11, iso + 5, iso + 8, iso);
        assert_int_equal(dc09_time_format(ms, ts), 0);
        assert_string_equal(ts, want);
        assert_int_equal(dc09_time_parse(ts, &back), 0);
        assert_int_equal(back, ms - ms % 1000);
    }
    char ts[DC09_TS_LEN + 1];
    assert_int_equal(dc09_time_format(-1, ts), -1);
    assert_int_equal(dc09_time_format(253402300800000LL, ts), -1);
    assert_int_equal(dc09_time_format(253402300799999LL, ts), 0);
    assert_string_equal(ts, "23:59:59,12-31-9999");
}

/* Each prefix of each vector (and each vector without its first bytes) fails without reading
 * past its end; the exact-size copies let ASan check that. */
static void test_truncated(void **state)
{
    (void)state;
    for (size_t i = 0; i < NVECS; i++) {
        size_t n = strlen(vecs[i].line);
        for (size_t k = 0; k < n; k++) {
            struct dc09_frame f;
            char *held;
            assert_int_not_equal(parse_exact(vecs[i].line, k, &f, &held), 0);
            free(held);
            assert_int_not_equal(parse_exact(vecs[i].line + n - k, k, &f, &held), 0);
            free(held);
        }
    }
}

static void test_oversized(void **state)
{
    (void)state;
    size_t n = DC09_MAX_FRAME * 4;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'A', n);
    struct dc09_frame f;
    assert_int_equal(dc09_frame_parse(big, n, &f), DC09_E_LEN);
    assert_int_equal(dc09_frame_parse(big, DC09_MAX_FRAME - 1, &f), DC09_E_LEN);
    /* The largest frame the parser takes: DC09_MAX_FRAME - 2 bytes between LF and CR. */
    size_t rn = DC09_MAX_FRAME - 2 - 8;
    memcpy(big + 8, "\"NULL\"0000#1234[", 16);
    memset(big + 24, 'x', rn - 16 - 1);
    big[8 + rn - 1] = ']';
    char head[9];
    snprintf(head, sizeof head, "%04X%04X", dc09_crc(big + 8, rn), (unsigned)rn);
    memcpy(big, head, 8);
    assert_int_equal(dc09_frame_parse(big, 8 + rn, &f), 0);
    assert_int_equal(f.body.data_len, rn - 17);
    /* One byte more is too long for DC09_MAX_FRAME, whatever the length field says. */
    big[8 + rn] = ']';
    assert_int_equal(dc09_frame_parse(big, 8 + rn + 1, &f), DC09_E_LEN);
    /* An all-bracket or all-quote buffer with valid header fields. */
    memset(big + 8, '[', rn);
    snprintf(head, sizeof head, "%04X%04X", dc09_crc(big + 8, rn), (unsigned)rn);
    memcpy(big, head, 8);
    assert_int_equal(dc09_frame_parse(big, 8 + rn, &f), DC09_E_FORMAT);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc),
        cmocka_unit_test(test_positive_vectors),
        cmocka_unit_test(test_negative_vectors),
        cmocka_unit_test(test_lowercase_hex),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_lenient),
        cmocka_unit_test(test_ext_limit),
        cmocka_unit_test(test_body_parse),
        cmocka_unit_test(test_days_per_month),
        cmocka_unit_test(test_time_vs_clock),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_oversized),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
