/* dc09.h - SIA DC-09 (IP event reporting) frames, SIA-DCS and Ademco Contact ID payloads.
 *
 * Pure functions over (buf, len): no I/O, no allocation, no logging. Everything a peer sends is
 * validated here; the session glue (dc09_server.c) only frames bytes and calls these.
 * Reference: ../shared/protocols/PROTOCOLS.md §1–2 (CRC-16/ARC, 0LLL length, +20/-40 s window,
 * AES-CBC with a zero IV, the pad and its '|' terminator, the ACK/NAK/DUH forms).
 *
 * Frame on the wire: LF crc(4 hex) 0LLL "id" seq [Rrcvr] [Lpref] #acct [ data ] [x]... [_ts] CR.
 * The functions below take the bytes between LF and CR (both excluded). */
#ifndef VIGIL_DC09_H
#define VIGIL_DC09_H

#include <stddef.h>
#include <stdint.h>

#define DC09_MAX_FRAME 4096 /* LF..CR, the length field allows 0xFFF plus header */
#define DC09_MAX_EXT 8

/* CRC-16/ARC (reflected 0x8005, init 0, no xorout); "123456789" -> 0xBB3D. */
uint16_t dc09_crc(const void *buf, size_t len);

enum dc09_token {
    DC09_TOK_SIA_DCS = 1,
    DC09_TOK_ADM_CID,
    DC09_TOK_NULL,
    DC09_TOK_ACK,
    DC09_TOK_NAK,
    DC09_TOK_DUH,
    DC09_TOK_RSP,
    DC09_TOK_OTHER, /* a well-formed token we do not support: reply DUH */
};

/* Extended data block [Xvalue]. Pointers are into the caller's buffer. */
struct dc09_ext {
    char letter;
    const char *value;
    size_t len;
};

/* The part after the opening '[' of the data block: "data]" "[ext]"... "_timestamp".
 * For an encrypted frame this is the decrypted plaintext with the pad already removed. */
struct dc09_body {
    const char *data; /* inside the brackets of the data block, e.g. "#1234|Nri1/BA12" */
    size_t data_len;
    struct dc09_ext ext[DC09_MAX_EXT];
    int next;
    int has_time;
    int64_t time_ms; /* the _HH:MM:SS,MM-DD-YYYY timestamp as ms since the epoch (UTC) */
};

struct dc09_frame {
    uint16_t crc; /* as received (already checked) */
    unsigned len; /* the length field (already checked) */
    enum dc09_token token;
    int encrypted; /* the token had a '*' prefix */
    unsigned seq;  /* 0..9999 */
    char rcvr[8];  /* "R" value without the R ("" when absent) */
    char line[8];  /* "L" value without the L ("" when absent) */
    char acct[17]; /* "#" value without the # ("" when absent) */
    /* Clear frames: the parsed body. Encrypted frames: body is empty and cipher points at the
     * hex ciphertext (even length, multiple of 32 hex digits). */
    struct dc09_body body;
    const char *cipher;
    size_t cipher_len;
};

/* Parse results (negative errno-style). */
#define DC09_E_CRC (-1001)    /* CRC mismatch: reply nothing, the panel retries */
#define DC09_E_LEN (-1002)    /* length field does not match */
#define DC09_E_FORMAT (-1003) /* malformed: NAK */

/* Parses the bytes between LF and CR. Validates the CRC, the length, the token, the seq, the
 * R/L/# fields (hex, bounded lengths) and, for clear frames, the body (brackets, extended blocks,
 * timestamp). Returns 0 or DC09_E_*; out is undefined on error. */
int dc09_frame_parse(const char *buf, size_t len, struct dc09_frame *out);

/* Parses a body as described for struct dc09_body. Returns 0 or DC09_E_FORMAT. */
int dc09_body_parse(const char *buf, size_t len, struct dc09_body *out);

/* AES-CBC, zero IV, 128/192/256-bit key. Decrypts the hex ciphertext of f into plain (cap
 * bytes), drops the pad up to and including the first '|' (tolerating devices that omit it: then
 * everything up to the first ']' that starts a plausible body is kept) and parses the rest into
 * f->body. Returns 0 or DC09_E_FORMAT (bad hex, wrong key, garbage). */
int dc09_decrypt(struct dc09_frame *f, const uint8_t *key, size_t keylen, char *plain, size_t cap);

/* Parses a key given as 32/48/64 hex digits, or as 16/24/32 ASCII characters. OUT key (32
 * bytes), *keylen. Returns 0 or -EINVAL. */
int dc09_key_parse(const char *s, uint8_t key[32], size_t *keylen);

/* Builds a complete reply frame (LF … CR) into out (cap bytes). Returns its length, or -ENOSPC.
 * - DC09_TOK_ACK / DC09_TOK_DUH echo seq, R, L and # of req; encrypted with key when req was
 *   encrypted and key is non-NULL (then "*ACK" with pad, '|', "]" and the receiver timestamp).
 * - DC09_TOK_NAK is the fixed form "NAK"0000R0L0A0[]_<receiver time>, never encrypted.
 * now_ms is the receiver's clock; pad_seed varies the pad bytes (deterministic for tests). */
int dc09_reply_build(char *out, size_t cap, enum dc09_token tok, const struct dc09_frame *req,
                     int64_t now_ms, const uint8_t *key, size_t keylen, uint32_t pad_seed);

/* Builds a PE->CSR frame (used by the load generator, tests and the fuzz corpus): token with
 * optional '*' when key is given, seq, rcvr/line/acct ("" to omit), data (NULL for "[]"),
 * optional timestamp (time_ms < 0: none). Returns length or -ENOSPC. */
int dc09_frame_build(char *out, size_t cap, const char *token, unsigned seq, const char *rcvr,
                     const char *line, const char *acct, const char *data, int64_t time_ms,
                     const uint8_t *key, size_t keylen, uint32_t pad_seed);

/* ---- SIA-DCS payload ("#acct|Nri1/BA12/TA003^text^") ---- */

#define SIA_MAX_EVENTS 8
struct sia_event {
    char code[3];  /* two letters, e.g. "BA" */
    char zone[8];  /* digits/letters after the code ("" when none) */
    char area[8];  /* from "ri" ("" when none) */
    char text[64]; /* from ^…^ ("" when none) */
};
struct sia_payload {
    char acct[17]; /* after '#' ("" when absent) */
    int n;
    struct sia_event ev[SIA_MAX_EVENTS];
};
/* Returns 0 or DC09_E_FORMAT. Unknown codes parse fine (the app decides DUH). */
int sia_parse(const char *data, size_t len, struct sia_payload *out);

/* ---- Ademco Contact ID ---- */

struct cid_event {
    char acct[17];
    int qualifier;  /* 1 new event / opening, 3 restore / closing, 6 status */
    unsigned code;  /* 100..999 */
    unsigned group; /* partition 0..99 */
    unsigned zone;  /* zone or user 0..999 */
};
/* The DC-09 ADM-CID data "#acct|QXYZ GG CCC" (spaces optional). Returns 0 or DC09_E_FORMAT. */
int cid_parse_dc09(const char *data, size_t len, struct cid_event *out);
/* The 16-digit DTMF message ACCT MT Q XYZ GG CCC S (spaces ignored), MT 18 or 98, with the
 * checksum (sum with 0 as 10, B–F as 11–15, multiple of 15). Returns 0, DC09_E_CRC on a bad
 * checksum, or DC09_E_FORMAT. */
int cid_parse_dtmf(const char *msg, size_t len, struct cid_event *out);
/* The checksum digit (1..15) for the first 15 digits (as characters). */
int cid_checksum_digit(const char *digits15);

#endif
