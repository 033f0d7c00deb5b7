/* dc09.h - SIA DC-09 (IP event reporting) frames, SIA-DCS and Ademco Contact ID payloads.
 *
 * Pure functions over (buf, len): no I/O, no allocation, no logging. Everything a peer sends is
 * validated here; the session glue (dc09_server.c) only frames bytes and calls these.
 * Reference: ../shared/protocols/PROTOCOLS.md §1–2 (CRC-16/ARC, 0LLL length, +20/-40 s window,
 * AES-CBC with a zero IV, the pad and its '|' terminator, the ACK/NAK/DUH forms).
 *
 * Frame on the wire: LF crc(4 hex) 0LLL "id" seq [Rrcvr] [Lpref] #acct [ data ] [x]... [_ts] CR.
 * The functions below take the bytes between LF and CR (both excluded); inputs need no NUL and
 * are never read past len. Thread-safe (no state). */
#ifndef VIGIL_DC09_H
#define VIGIL_DC09_H

#include <stddef.h>
#include <stdint.h>

/* LF..CR of the largest frame: the length field allows a region of 0xFFF bytes, plus LF, CRC (4),
 * length (4) and CR. The parser takes at most DC09_MAX_FRAME - 2 bytes (LF and CR excluded). */
#define DC09_MAX_FRAME (0xFFF + 10)
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
    DC09_TOK_OTHER, /* a well-formed token (1-15 of A-Z 0-9 '-') we do not support: reply DUH */
};

/* Extended data block [Xvalue], X an upper-case letter (unknown letters are kept; the value may
 * be empty). Pointers are into the caller's buffer. */
struct dc09_ext {
    char letter;
    const char *value;
    size_t len;
};

/* The part after the opening '[' of the data block: "data]" "[ext]"... "_timestamp".
 * For an encrypted frame this is the decrypted plaintext with the pad already removed.
 * The data runs to the first ']'. Every byte must be printable: 0x00-0x1F and 0x7F are refused,
 * bytes >= 0x80 pass (not checked as UTF-8). At most DC09_MAX_EXT blocks are kept; further
 * ones are checked and dropped. */
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
    char rcvr[8];  /* "R" value without the R: 1-6 hex digits ("" when absent) */
    char line[8];  /* "L" value without the L: 1-6 hex digits ("" when absent) */
    char acct[17]; /* "#" value without the #: 1-16 hex digits, case as sent ("" when absent).
                    * A NAK may use "A0" instead of "#0" (then acct is "0"). */
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

/* Parses the bytes between LF and CR. Validates the length, the CRC, the token, the seq, the
 * R/L/# fields (hex, bounded lengths) and, for clear frames, the body (brackets, extended blocks,
 * timestamp). The length is checked before the CRC. Returns 0, or
 *   DC09_E_LEN     length field not hex or not the region's length, or len > DC09_MAX_FRAME - 2
 *                  (so every pysiaalarm line with a wrong length is DC09_E_LEN, whatever its CRC);
 *   DC09_E_CRC     CRC field not hex (either case is accepted) or not the region's CRC;
 *   DC09_E_FORMAT  anything else, including len < 8 and an encrypted NAK.
 * out is undefined on error. */
int dc09_frame_parse(const char *buf, size_t len, struct dc09_frame *out);

/* Parses a body as described for struct dc09_body. A timestamp must be a real UTC date and time
 * in the years 1970..9999 (days per month and leap years checked). Returns 0 or DC09_E_FORMAT. */
int dc09_body_parse(const char *buf, size_t len, struct dc09_body *out);

/* AES-CBC, zero IV, 128/192/256-bit key (keylen 16/24/32). Decrypts the hex ciphertext of f into
 * plain (cap >= f->cipher_len / 2 bytes; DC09_MAX_FRAME always suffices), drops the pad and
 * parses the rest into f->body, whose pointers then point into plain. The pad never contains
 * '|', '[' or ']', so the body starts:
 *  - after the first '|' when it comes before the first ']' (the standard form);
 *  - at the first ']' (empty data) when no '|' comes before it: the device omitted the '|'
 *    (Hikvision/Ajax "*NULL");
 *  - at the '#' of "#<f->acct>|" when that stands right before the first '|': the device omitted
 *    the '|' before "#acct|..." data.
 * The timestamp is required (the replay defence); checking its window is the caller's job.
 * OpenSSL allocates a cipher context, freed before returning. Returns 0 or DC09_E_FORMAT (frame
 * not encrypted, cap too small, bad key length, bad hex, wrong key, garbage, no timestamp);
 * f->body is zeroed on error. */
int dc09_decrypt(struct dc09_frame *f, const uint8_t *key, size_t keylen, char *plain, size_t cap);

/* Parses a NUL-terminated key given as 32/48/64 hex digits (either case), or as 16/24/32
 * printable ASCII characters (0x20-0x7E). 32 characters that are all hex digits are read as hex
 * (AES-128); other 32-character strings as ASCII (AES-256). OUT key (32 bytes), *keylen.
 * Returns 0 or -EINVAL. */
int dc09_key_parse(const char *s, uint8_t key[32], size_t *keylen);

/* Builds a complete reply frame (LF … CR) into out (cap bytes). Every reply carries the receiver
 * timestamp _HH:MM:SS,MM-DD-YYYY (UTC, now_ms cut to the second).
 * - DC09_TOK_ACK / DC09_TOK_DUH echo seq, R, L and # of req (required); encrypted with key when
 *   req was encrypted and key is non-NULL (then "*ACK"/"*DUH", and pad, '|', "]" and the
 *   timestamp are encrypted; the pad is 1-16 alphanumerics making whole AES blocks).
 * - DC09_TOK_NAK is the fixed form "NAK"0000R0L0A0[]_<receiver time>, never encrypted (req and
 *   key are ignored and may be NULL).
 * now_ms is the receiver's clock; pad_seed varies the pad bytes (deterministic for tests).
 * Returns the length, -ENOSPC (cap too small; nothing is written past cap), or -EINVAL (another
 * token, no req, now_ms outside the years 1970..9999, bad key length). */
int dc09_reply_build(char *out, size_t cap, enum dc09_token tok, const struct dc09_frame *req,
                     int64_t now_ms, const uint8_t *key, size_t keylen, uint32_t pad_seed);

/* Builds a PE->CSR frame (used by the load generator, tests and the fuzz corpus): token with
 * optional '*' when key is given, seq, rcvr/line/acct ("" or NULL to omit), data (NULL for "[]";
 * NUL-terminated, without ']'), optional timestamp (time_ms < 0: none; an encrypted frame
 * without one is built, but receivers refuse it). Returns the length, -ENOSPC (cap too small, or
 * a region over 0xFFF bytes), or -EINVAL (token not 1-15 of A-Z 0-9 '-', seq > 9999, R/L not
 * 1-6 hex, acct not 1-16 hex, ']' in data, time past the year 9999, bad key length). */
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
/* Accepts ["#acct|" or "|"] then blocks separated by '|'. The first block, and blocks starting
 * with an N/O qualifier, hold events: the optional qualifier, then modifiers (two lower-case
 * letters and [0-9:]*; "ri" sets the area of the events after it) and events (two upper-case
 * letters, then [0-9A-Z]{0,7} as the zone), separated by '/' or not at all, and ^text^ for the
 * event before it (or the next one when none came yet). An "A" block is text for the last event;
 * other blocks are skipped. Text over 63 bytes is cut. Returns 0 or DC09_E_FORMAT (no event, more
 * than SIA_MAX_EVENTS, a field too long, a control byte, a stray character). Unknown codes parse
 * fine (the app decides DUH). */
int sia_parse(const char *data, size_t len, struct sia_payload *out);

/* ---- Ademco Contact ID ---- */

struct cid_event {
    char acct[17];
    int qualifier;  /* 1 new event / opening, 3 restore / closing, 6 status */
    unsigned code;  /* 100..999 */
    unsigned group; /* partition 0..99 */
    unsigned zone;  /* zone or user 0..999 */
};
/* The DC-09 ADM-CID data "#acct|QXYZ GG CCC" (spaces optional; "#acct|" optional, acct 1-16
 * hex). Q is 1, 3 or 6, XYZ 100..999, all decimal, nothing after CCC. Returns 0 or
 * DC09_E_FORMAT. */
int cid_parse_dc09(const char *data, size_t len, struct cid_event *out);
/* The 16-digit DTMF message ACCT MT Q XYZ GG CCC S (spaces ignored), MT 18 or 98, with the
 * checksum (sum with 0 as 10, B–F as 11–15, multiple of 15). ACCT and S use 0-9 and B-F (either
 * case; 'A' is no Contact ID digit), the other fields are decimal. Returns 0, DC09_E_CRC on a bad
 * checksum (checked before the fields' meaning), or DC09_E_FORMAT. */
int cid_parse_dtmf(const char *msg, size_t len, struct cid_event *out);
/* The checksum digit (1..15; sent as F for 15 and 0 for 10) for the first 15 digits (as
 * characters; exactly 15 are read, 0-9 B-F b-f). Returns DC09_E_FORMAT on another character. */
int cid_checksum_digit(const char *digits15);

#endif
