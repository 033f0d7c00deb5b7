/* test_dc09_crypt.c - DC-09 encryption, keys and replies (proto/dc09): the encrypted vectors of
 * dc09-vectors.txt (AES-128/192/256) and the Hikvision "*NULL" of PROTOCOLS.md §1.8 C, wrong
 * keys, the pad and its '|', ACK/DUH/NAK replies, and frame building round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/dc09/dc09.h"
#include "proto/dc09/dc09_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_2026 1795163415000LL /* 08:30:15,11-20-2026 */

static const struct enc_vec {
    const char *key;
    size_t keylen;
    const char *line;
} enc[] = {
    {"000102030405060708090A0B0C0D0E0F", 16,
     "E7140078\"*ADM-CID\"0011R1L1#7A7A[3B3225B32A43DA2A80E5B8696E7774E1EF0013837ADE944ECAC7DC77F0"
     "69B2BB22A5CD5474C4DA8EE2407411C8DC27F5"},
    {"00112233445566778899AABBCCDDEEFF0011223344556677", 24,
     "D1F90078\"*ADM-CID\"0011R1L1#7A7A[FCFD2BEC184A0715ED2E2DA50FBE537C3B3CEC539D05584A2A58F8C130"
     "864F3D3CD6CF28C83C2D54F53C8E033CD8C71E"},
    {"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 32,
     "A5B90078\"*ADM-CID\"0011R1L1#7A7A[CD8F389449509D4DBB486A1262D53727E66ABB71726F0DB500B37B8E19"
     "CF038EFB0E57631FF36D7A71372214C975DF0B"},
};

static const char *hikvision = "76D80055\"*NULL\"0000R0L0#AAAB[B4BC8B40D0E6D959D6BEA78E88CC0B2155"
                               "741A3C44FBB96D476A3E557CAD64D9";

static void must_parse(const char *s, size_t n, struct dc09_frame *f)
{
    int rc = dc09_frame_parse(s, n, f);
    if (rc != 0)
        fail_msg("rc %d: %.*s", rc, (int)n, s);
}

static void key_of(const char *s, uint8_t key[32], size_t *keylen)
{
    assert_int_equal(dc09_key_parse(s, key, keylen), 0);
}

static void test_decrypt_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
        uint8_t key[32];
        size_t keylen;
        char plain[DC09_MAX_FRAME];
        struct dc09_frame f;
        key_of(enc[i].key, key, &keylen);
        assert_int_equal(keylen, enc[i].keylen);
        must_parse(enc[i].line, strlen(enc[i].line), &f);
        assert_int_equal(dc09_decrypt(&f, key, keylen, plain, sizeof plain), 0);
        const char *want = "#7A7A|1120 01 009";
        assert_int_equal(f.body.data_len, strlen(want));
        assert_memory_equal(f.body.data, want, f.body.data_len);
        assert_int_equal(f.body.has_time, 1);
        assert_int_equal(f.body.time_ms, T_2026);
        assert_int_equal(f.body.next, 0);
        struct cid_event ev;
        assert_int_equal(cid_parse_dc09(f.body.data, f.body.data_len, &ev), 0);
        assert_string_equal(ev.acct, "7A7A");
        assert_int_equal(ev.qualifier, 1);
        assert_int_equal(ev.code, 120);
        assert_int_equal(ev.group, 1);
        assert_int_equal(ev.zone, 9);
        /* The plain text needs cipher_len / 2 bytes, no more. */
        assert_int_equal(dc09_decrypt(&f, key, keylen, plain, f.cipher_len / 2), 0);
        assert_int_equal(dc09_decrypt(&f, key, keylen, plain, f.cipher_len / 2 - 1), DC09_E_FORMAT);
    }
}

static void test_decrypt_hikvision(void **state)
{
    (void)state;
    uint8_t key[32];
    size_t keylen;
    char plain[64];
    struct dc09_frame f;
    key_of("AAAAAAAAAAAAAAAA", key, &keylen);
    assert_int_equal(keylen, 16);
    assert_int_equal(key[0], 0x41);
    assert_int_equal(key[15], 0x41);
    must_parse(hikvision, strlen(hikvision), &f);
    assert_int_equal(f.token, DC09_TOK_NULL);
    /* "ppppppppppp]_18:24:52,07-05-2020": no '|' after the pad. */
    assert_int_equal(dc09_decrypt(&f, key, keylen, plain, sizeof plain), 0);
    assert_int_equal(f.body.data_len, 0);
    assert_int_equal(f.body.has_time, 1);
    assert_int_equal(f.body.time_ms, 1593973492000LL); /* 2020-07-05 18:24:52 UTC */
}

static void test_decrypt_wrong_key(void **state)
{
    (void)state;
    uint8_t key[32];
    size_t keylen;
    char plain[DC09_MAX_FRAME];
    struct dc09_frame f;
    for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
        must_parse(enc[i].line, strlen(enc[i].line), &f);
        for (size_t j = 0; j < sizeof enc / sizeof enc[0]; j++) {
            if (j == i)
                continue;
            key_of(enc[j].key, key, &keylen);
            assert_int_equal(dc09_decrypt(&f, key, keylen, plain, sizeof plain), DC09_E_FORMAT);
            assert_null(f.body.data);
            assert_int_equal(f.body.has_time, 0);
        }
        key_of(enc[i].key, key, &keylen);
        key[keylen - 1] ^= 1; /* one bit off */
        assert_int_equal(dc09_decrypt(&f, key, keylen, plain, sizeof plain), DC09_E_FORMAT);
        assert_int_equal(dc09_decrypt(&f, key, 20, plain, sizeof plain), DC09_E_FORMAT);
        assert_int_equal(dc09_decrypt(&f, key, 0, plain, sizeof plain), DC09_E_FORMAT);
    }
    must_parse(hikvision, strlen(hikvision), &f);
    key_of("AAAAAAAAAAAAAAAB", key, &keylen);
    assert_int_equal(dc09_decrypt(&f, key, keylen, plain, sizeof plain), DC09_E_FORMAT);
    /* A clear frame has nothing to decrypt. */
    const char *clear = "96ED0016\"SIA-DCS\"0001L0#1234[]";
    must_parse(clear, strlen(clear), &f);
    assert_int_equal(dc09_decrypt(&f, key, keylen, plain, sizeof plain), DC09_E_FORMAT);
}

static void test_key_parse(void **state)
{
    (void)state;
    uint8_t key[32];
    size_t keylen = 0;
    key_of("000102030405060708090a0b0c0d0e0f", key, &keylen);
    assert_int_equal(keylen, 16);
    for (int i = 0; i < 16; i++)
        assert_int_equal(key[i], i);
    key_of("00112233445566778899AABBCCDDEEFF0011223344556677", key, &keylen);
    assert_int_equal(keylen, 24);
    assert_int_equal(key[10], 0xAA);
    key_of("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", key, &keylen);
    assert_int_equal(keylen, 32);
    assert_int_equal(key[0], 0x60);
    assert_int_equal(key[31], 0xF4);
    /* ASCII: 16, 24, 32 printable characters. */
    key_of("Ajax-hub-pass-16", key, &keylen);
    assert_int_equal(keylen, 16);
    assert_memory_equal(key, "Ajax-hub-pass-16", 16);
    key_of("twenty-four characters!!", key, &keylen);
    assert_int_equal(keylen, 24);
    /* 32 characters that are not all hex: an ASCII AES-256 key. */
    key_of("0123456789ABCDEF0123456789ABCDEG", key, &keylen);
    assert_int_equal(keylen, 32);
    assert_int_equal(key[31], 'G');
    static const char *bad[] = {
        "",
        "AAAAAAAAAAAAAAA",                                                    /* 15 */
        "AAAAAAAAAAAAAAAAA",                                                  /* 17 */
        "0123456789ABCDEF0123456789ABCDEF0",                                  /* 33 */
        "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4FF", /* 66 */
        "AAAAAAAA\tAAAAAAA",                                                  /* control */
        "AAAAAAAA\xc3\xa9"
        "AAAAAA", /* not ASCII */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(dc09_key_parse(bad[i], key, &keylen), -EINVAL);
    assert_int_equal(dc09_key_parse(NULL, key, &keylen), -EINVAL);
}

/* Encrypts 'p' x (1..16) || rest, a whole number of blocks, into a frame with the given header. */
static int frame_from_plain(char *line, size_t cap, const char *head, const char *rest,
                            const uint8_t *key, size_t keylen)
{
    size_t r = strlen(rest), pad = 16 - r % 16, n = pad + r;
    uint8_t buf[256];
    assert_true(n <= sizeof buf);
    memset(buf, 'p', pad);
    memcpy(buf + pad, rest, r);
    assert_int_equal(dc09_aes_cbc(1, key, keylen, buf, n, buf), 0);
    char region[600];
    size_t k = (size_t)snprintf(region, sizeof region, "%s", head);
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(region + k, sizeof region - k, "%02X", buf[i]);
    return snprintf(line, cap, "%04X%04X%s", dc09_crc(region, k), (unsigned)k, region);
}

static int decrypt_plain(const char *rest, const char **data, size_t *dlen)
{
    uint8_t key[32];
    size_t keylen;
    char line[700];
    static char out[256];
    struct dc09_frame f;
    key_of("000102030405060708090A0B0C0D0E0F", key, &keylen);
    int n = frame_from_plain(line, sizeof line, "\"*SIA-DCS\"0001L0#1234[", rest, key, keylen);
    must_parse(line, (size_t)n, &f);
    int rc = dc09_decrypt(&f, key, keylen, out, sizeof out);
    *data = f.body.data;
    *dlen = f.body.data_len;
    return rc;
}

static void test_pad_forms(void **state)
{
    (void)state;
    const char *d;
    size_t n;
    /* The standard form: pad '|' data. */
    assert_int_equal(decrypt_plain("|#1234|Nri1/BA12]_08:30:15,11-20-2026", &d, &n), 0);
    assert_int_equal(n, 15);
    assert_memory_equal(d, "#1234|Nri1/BA12", n);
    /* A device that omits the '|' before "#acct|" data: recognised by the frame's account. */
    assert_int_equal(decrypt_plain("#1234|Nri1/BA12]_08:30:15,11-20-2026", &d, &n), 0);
    assert_int_equal(n, 15);
    assert_memory_equal(d, "#1234|Nri1/BA12", n);
    /* ... but only its own account: another one is taken for pad. */
    assert_int_equal(decrypt_plain("#9999|Nri1/BA12]_08:30:15,11-20-2026", &d, &n), 0);
    assert_int_equal(n, 9);
    assert_memory_equal(d, "Nri1/BA12", n);
    /* A '|' after the first ']' is not a pad terminator. */
    assert_int_equal(decrypt_plain("][Ia|b]_08:30:15,11-20-2026", &d, &n), 0);
    assert_int_equal(n, 0);
    /* The time stamp is required; no ']' at all; a control byte; an invalid stamp. */
    assert_int_equal(decrypt_plain("|#1234|Nri1/BA12]", &d, &n), DC09_E_FORMAT);
    assert_int_equal(decrypt_plain("|#1234|Nri1/BA12_08:30:15,11-20-2026", &d, &n), DC09_E_FORMAT);
    assert_int_equal(decrypt_plain("|#1234|Nri1/BA1\x01]_08:30:15,11-20-2026", &d, &n),
                     DC09_E_FORMAT);
    assert_int_equal(decrypt_plain("|#1234|Nri1/BA12]_08:30:15,02-30-2026", &d, &n), DC09_E_FORMAT);
}

static void test_ack_vector(void **state)
{
    (void)state;
    const char *req = "189D003E\"SIA-DCS\"0042R1L1#A1B2C[#A1B2C|Nri2/FA007]_08:30:15,11-20-2026";
    struct dc09_frame f;
    must_parse(req, strlen(req), &f);
    char out[128];
    int n = dc09_reply_build(out, sizeof out, DC09_TOK_ACK, &f, T_2026, NULL, 0, 0);
    const char *want = "\n215B0029\"ACK\"0042R1L1#A1B2C[]_08:30:15,11-20-2026\r";
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, (size_t)n);
    /* Milliseconds do not show. */
    n = dc09_reply_build(out, sizeof out, DC09_TOK_ACK, &f, T_2026 + 999, NULL, 0, 0);
    assert_memory_equal(out, want, (size_t)n);
    /* A key does not encrypt the reply to a clear request. */
    uint8_t key[32];
    size_t keylen;
    key_of(enc[0].key, key, &keylen);
    n = dc09_reply_build(out, sizeof out, DC09_TOK_ACK, &f, T_2026, key, keylen, 7);
    assert_memory_equal(out, want, (size_t)n);
    /* DUH echoes the same addressing. */
    n = dc09_reply_build(out, sizeof out, DC09_TOK_DUH, &f, T_2026, NULL, 0, 0);
    struct dc09_frame r;
    assert_true(n > 2);
    must_parse(out + 1, (size_t)n - 2, &r);
    assert_int_equal(r.token, DC09_TOK_DUH);
    assert_int_equal(r.seq, 42);
    assert_string_equal(r.rcvr, "1");
    assert_string_equal(r.line, "1");
    assert_string_equal(r.acct, "A1B2C");
    assert_int_equal(r.body.data_len, 0);
    assert_int_equal(r.body.time_ms, T_2026);
    /* A request without R: the ACK has none either. */
    const char *noR = "3BAC0029\"SIA-DCS\"0002#0123[#0123|Nti20:50:26RP99]";
    must_parse(noR, strlen(noR), &f);
    n = dc09_reply_build(out, sizeof out, DC09_TOK_ACK, &f, T_2026, NULL, 0, 0);
    assert_true(n > 2);
    must_parse(out + 1, (size_t)n - 2, &r);
    assert_memory_equal(out + 9, "\"ACK\"0002#0123[]_08:30:15,11-20-2026\r", (size_t)n - 9);
}

static void test_nak(void **state)
{
    (void)state;
    static const struct {
        int64_t ms;
        const char *want;
    } naks[] = {
        {T_2026, "\nAD5B0025\"NAK\"0000R0L0A0[]_08:30:15,11-20-2026\r"},
        {1429027749000LL, "\n3C830025\"NAK\"0000R0L0A0[]_16:09:09,04-14-2015\r"},
        {1758730801000LL, "\nE4410025\"NAK\"0000R0L0A0[]_16:20:01,09-24-2025\r"},
        {1722334218000LL, "\nE5630025\"NAK\"0000R0L0A0[]_10:10:18,07-30-2024\r"},
    };
    uint8_t key[32];
    size_t keylen;
    key_of(enc[0].key, key, &keylen);
    struct dc09_frame f;
    must_parse(enc[0].line, strlen(enc[0].line), &f);
    for (size_t i = 0; i < sizeof naks / sizeof naks[0]; i++) {
        char out[128];
        int n = dc09_reply_build(out, sizeof out, DC09_TOK_NAK, NULL, naks[i].ms, NULL, 0, 0);
        assert_int_equal(n, strlen(naks[i].want));
        assert_memory_equal(out, naks[i].want, (size_t)n);
        /* Never encrypted, whatever the request and the key; nothing of the request echoed. */
        n = dc09_reply_build(out, sizeof out, DC09_TOK_NAK, &f, naks[i].ms, key, keylen, 3);
        assert_memory_equal(out, naks[i].want, (size_t)n);
    }
}

static void test_encrypted_ack(void **state)
{
    (void)state;
    const int64_t now = 1795163477123LL; /* 08:31:17.123 */
    for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
        uint8_t key[32];
        size_t keylen;
        key_of(enc[i].key, key, &keylen);
        struct dc09_frame req, ack;
        must_parse(enc[i].line, strlen(enc[i].line), &req);
        char out[256], again[256], other[256], plain[128];
        int n = dc09_reply_build(out, sizeof out, DC09_TOK_ACK, &req, now, key, keylen, 1234);
        assert_true(n > 0);
        assert_int_equal(out[0], '\n');
        assert_int_equal(out[n - 1], '\r');
        assert_memory_equal(out + 9, "\"*ACK\"0011R1L1#7A7A[", 20);
        must_parse(out + 1, (size_t)n - 2, &ack);
        assert_int_equal(ack.token, DC09_TOK_ACK);
        assert_int_equal(ack.encrypted, 1);
        assert_int_equal(ack.seq, 11);
        assert_string_equal(ack.acct, "7A7A");
        assert_int_equal(ack.cipher_len, 64); /* pad (10) '|' ']' '_' stamp (19) = 32 bytes */
        assert_int_equal(dc09_decrypt(&ack, key, keylen, plain, sizeof plain), 0);
        assert_int_equal(ack.body.data_len, 0);
        assert_int_equal(ack.body.has_time, 1);
        assert_int_equal(ack.body.time_ms, now - 123);
        /* The pad: ten characters, none of '|' '[' ']', then the '|'. */
        assert_int_equal(plain[10], '|');
        for (int k = 0; k < 10; k++)
            assert_null(memchr("|[]", plain[k], 3));
        /* Deterministic in the seed; another seed, another cipher text. */
        assert_int_equal(
            dc09_reply_build(again, sizeof again, DC09_TOK_ACK, &req, now, key, keylen, 1234), n);
        assert_memory_equal(again, out, (size_t)n);
        assert_int_equal(
            dc09_reply_build(other, sizeof other, DC09_TOK_ACK, &req, now, key, keylen, 1235), n);
        assert_memory_not_equal(other + 29, out + 29, (size_t)n - 30);
        /* No key: a clear ACK (the app decides what to do when it has none). */
        n = dc09_reply_build(out, sizeof out, DC09_TOK_ACK, &req, now, NULL, 0, 0);
        must_parse(out + 1, (size_t)n - 2, &ack);
        assert_int_equal(ack.encrypted, 0);
        /* Encrypted DUH. */
        n = dc09_reply_build(out, sizeof out, DC09_TOK_DUH, &req, now, key, keylen, 9);
        must_parse(out + 1, (size_t)n - 2, &ack);
        assert_int_equal(ack.token, DC09_TOK_DUH);
        assert_int_equal(ack.encrypted, 1);
        assert_int_equal(dc09_decrypt(&ack, key, keylen, plain, sizeof plain), 0);
    }
}

static void test_reply_errors(void **state)
{
    (void)state;
    struct dc09_frame f;
    must_parse(enc[0].line, strlen(enc[0].line), &f);
    uint8_t key[32];
    size_t keylen;
    key_of(enc[0].key, key, &keylen);
    char out[256];
    assert_int_equal(dc09_reply_build(out, sizeof out, DC09_TOK_RSP, &f, T_2026, NULL, 0, 0),
                     -EINVAL);
    assert_int_equal(dc09_reply_build(out, sizeof out, DC09_TOK_SIA_DCS, &f, T_2026, NULL, 0, 0),
                     -EINVAL);
    assert_int_equal(dc09_reply_build(out, sizeof out, DC09_TOK_ACK, NULL, T_2026, NULL, 0, 0),
                     -EINVAL);
    assert_int_equal(dc09_reply_build(out, sizeof out, DC09_TOK_NAK, NULL, -1, NULL, 0, 0),
                     -EINVAL);
    assert_int_equal(dc09_reply_build(out, sizeof out, DC09_TOK_ACK, &f, T_2026, key, 17, 0),
                     -EINVAL);
    /* Every capacity short of the frame: -ENOSPC and no write past it (exact heap buffers). */
    for (int tok = 0; tok < 3; tok++) {
        enum dc09_token t = tok == 0 ? DC09_TOK_ACK : tok == 1 ? DC09_TOK_NAK : DC09_TOK_DUH;
        const uint8_t *k = tok == 2 ? key : NULL;
        int full = dc09_reply_build(out, sizeof out, t, &f, T_2026, k, keylen, 5);
        assert_true(full > 0);
        for (int cap = 0; cap <= full; cap++) {
            char *b = malloc(cap ? (size_t)cap : 1);
            assert_non_null(b);
            int n = dc09_reply_build(b, (size_t)cap, t, &f, T_2026, k, keylen, 5);
            assert_int_equal(n, cap == full ? full : -ENOSPC);
            if (n > 0)
                assert_memory_equal(b, out, (size_t)n);
            free(b);
        }
    }
}

static void build_and_check(const char *token, const char *data, int64_t ms, const uint8_t *key,
                            size_t keylen, uint32_t seed)
{
    char out[DC09_MAX_FRAME], plain[DC09_MAX_FRAME];
    int n = dc09_frame_build(out, sizeof out, token, 4321, "C0FFD", "1234", "080027E62A64", data,
                             ms, key, keylen, seed);
    if (n <= 0)
        fail_msg("build %s: %d", token, n);
    struct dc09_frame f;
    must_parse(out + 1, (size_t)n - 2, &f);
    assert_int_equal(f.encrypted, key != NULL);
    assert_int_equal(f.seq, 4321);
    assert_string_equal(f.rcvr, "C0FFD");
    assert_string_equal(f.line, "1234");
    assert_string_equal(f.acct, "080027E62A64");
    if (key) {
        assert_int_equal(dc09_decrypt(&f, key, keylen, plain, sizeof plain), 0);
        /* '|' data ']' ['_' stamp] after 1..16 pad bytes: a whole block of pad when the rest
         * is already a multiple of 16. */
        size_t m = 1 + strlen(data ? data : "") + 1 + (ms >= 0 ? 1 + 19 : 0);
        size_t pad = 16 - m % 16;
        assert_int_equal(f.cipher_len / 2, m + pad);
        assert_int_equal(plain[pad], '|');
        for (size_t k = 0; k < pad; k++)
            assert_null(memchr("|[]", plain[k], 3));
    }
    size_t dlen = data ? strlen(data) : 0;
    assert_int_equal(f.body.data_len, dlen);
    assert_memory_equal(f.body.data, data ? data : "", dlen);
    assert_int_equal(f.body.has_time, ms >= 0);
    if (ms >= 0)
        assert_int_equal(f.body.time_ms, ms - ms % 1000);
}

static void test_frame_build_round_trip(void **state)
{
    (void)state;
    uint8_t keys[3][32];
    size_t kl[3];
    for (int i = 0; i < 3; i++)
        key_of(enc[i].key, keys[i], &kl[i]);
    build_and_check("SIA-DCS", "#080027E62A64|Nri1/BA12", T_2026, NULL, 0, 0);
    build_and_check("SIA-DCS", "#080027E62A64|Nri1/BA12", -1, NULL, 0, 0);
    build_and_check("NULL", NULL, -1, NULL, 0, 0);
    build_and_check("NULL", NULL, 0, NULL, 0, 0);
    build_and_check("ADM-CID", "#080027E62A64|1131 01 003", 253402300799999LL, NULL, 0, 0);
    /* Encrypted, every key size, data lengths across two block boundaries (pad 1..16). */
    char data[64] = "#080027E62A64|";
    for (int i = 0; i < 3; i++)
        for (size_t d = 14; d < 50; d++) {
            memset(data + 14, 'X', d - 14);
            data[d] = '\0';
            build_and_check("SIA-DCS", data, T_2026 + (int64_t)d * 1001, keys[i], kl[i],
                            (uint32_t)d);
        }
    build_and_check("NULL", NULL, T_2026, keys[0], kl[0], 0);
    /* The first dc09-vectors.txt frame, byte for byte. */
    char out[128];
    int n = dc09_frame_build(out, sizeof out, "SIA-DCS", 42, "1", "1", "A1B2C", "#A1B2C|Nri2/FA007",
                             T_2026, NULL, 0, 0);
    const char *want =
        "\n189D003E\"SIA-DCS\"0042R1L1#A1B2C[#A1B2C|Nri2/FA007]_08:30:15,11-20-2026\r";
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, (size_t)n);
    n = dc09_frame_build(out, sizeof out, "SIA-DCS", 2, "", NULL, "0123", "#0123|Nti20:50:26RP99",
                         -1, NULL, 0, 0);
    want = "\n3BAC0029\"SIA-DCS\"0002#0123[#0123|Nti20:50:26RP99]\r";
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, (size_t)n);
}

static void test_frame_build_errors(void **state)
{
    (void)state;
    char out[DC09_MAX_FRAME];
    uint8_t key[32] = {0};
    assert_int_equal(dc09_frame_build(out, sizeof out, "sia", 1, "", "", "", NULL, -1, NULL, 0, 0),
                     -EINVAL);
    assert_int_equal(dc09_frame_build(out, sizeof out, "", 1, "", "", "", NULL, -1, NULL, 0, 0),
                     -EINVAL);
    assert_int_equal(dc09_frame_build(out, sizeof out, NULL, 1, "", "", "", NULL, -1, NULL, 0, 0),
                     -EINVAL);
    assert_int_equal(
        dc09_frame_build(out, sizeof out, "NULL", 10000, "", "", "", NULL, -1, NULL, 0, 0),
        -EINVAL);
    assert_int_equal(
        dc09_frame_build(out, sizeof out, "NULL", 1, "1234567", "", "", NULL, -1, NULL, 0, 0),
        -EINVAL);
    assert_int_equal(
        dc09_frame_build(out, sizeof out, "NULL", 1, "", "G", "", NULL, -1, NULL, 0, 0), -EINVAL);
    assert_int_equal(dc09_frame_build(out, sizeof out, "NULL", 1, "", "", "12345678901234567", NULL,
                                      -1, NULL, 0, 0),
                     -EINVAL);
    assert_int_equal(
        dc09_frame_build(out, sizeof out, "NULL", 1, "", "", "", "a]b", -1, NULL, 0, 0), -EINVAL);
    assert_int_equal(dc09_frame_build(out, sizeof out, "NULL", 1, "", "", "", NULL, -1, key, 15, 0),
                     -EINVAL);
    assert_int_equal(dc09_frame_build(out, sizeof out, "NULL", 1, "", "", "", NULL,
                                      253402300800000LL, NULL, 0, 0),
                     -EINVAL);
    /* Too long for the 0xFFF length field, clear and encrypted. */
    char *big = malloc(5000), *wide = malloc(5000);
    assert_non_null(big);
    assert_non_null(wide);
    memset(big, 'x', 4999);
    big[4999] = '\0';
    assert_int_equal(dc09_frame_build(wide, 5000, "NULL", 1, "", "", "", big, -1, NULL, 0, 0),
                     -ENOSPC);
    big[0xFFF - 11] = '\0'; /* "NULL"0001[ + data + ] = 0x1000 */
    assert_int_equal(dc09_frame_build(wide, 5000, "NULL", 1, "", "", "", big, -1, NULL, 0, 0),
                     -ENOSPC);
    big[0xFFF - 12] = '\0'; /* exactly 0xFFF: the largest frame, which parses */
    assert_int_equal(dc09_frame_build(wide, 5000, "NULL", 1, "", "", "", big, -1, NULL, 0, 0),
                     DC09_MAX_FRAME);
    struct dc09_frame f;
    assert_int_equal(dc09_frame_parse(wide + 1, DC09_MAX_FRAME - 2, &f), 0);
    assert_int_equal(f.body.data_len, 0xFFF - 12);
    big[2040] = '\0'; /* 2043+ bytes of plain text: over 0xFFF in hex */
    assert_int_equal(dc09_frame_build(out, sizeof out, "NULL", 1, "", "", "", big, -1, key, 16, 0),
                     -ENOSPC);
    free(big);
    free(wide);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decrypt_vectors),
        cmocka_unit_test(test_decrypt_hikvision),
        cmocka_unit_test(test_decrypt_wrong_key),
        cmocka_unit_test(test_key_parse),
        cmocka_unit_test(test_pad_forms),
        cmocka_unit_test(test_ack_vector),
        cmocka_unit_test(test_nak),
        cmocka_unit_test(test_encrypted_ack),
        cmocka_unit_test(test_reply_errors),
        cmocka_unit_test(test_frame_build_round_trip),
        cmocka_unit_test(test_frame_build_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
