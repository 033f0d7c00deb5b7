/* dc09_client.h - a SIA DC-09 panel for the integration tests: TCP and UDP to 127.0.0.1, raw
 * bytes out, replies back framed LF … CR with a timeout, plus an independent CRC-16/ARC and a
 * re-stamper for the fixed-time vectors of PROTOCOLS.md and dc09-vectors.txt.
 *
 * No cmocka here: the functions return errors, so they may be used from any thread. */
#ifndef VIGIL_TEST_DC09_CLIENT_H
#define VIGIL_TEST_DC09_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#define DC09C_BUF 16384

struct dc09c {
    int fd;  /* -1 when closed */
    int udp; /* 1: a connected UDP socket, one frame per datagram */
    char buf[DC09C_BUF];
    size_t len; /* TCP bytes received but not yet returned as a reply */
};

/* Connects to 127.0.0.1:port over TCP (or a connected UDP socket). Returns 0 or -errno. */
int dc09c_tcp(struct dc09c *c, int port);
int dc09c_udp(struct dc09c *c, int port);
/* TCP: writes all n bytes. UDP: sends them as one datagram. Returns 0 or -errno. */
int dc09c_send(struct dc09c *c, const void *data, size_t n);
/* The next reply: the bytes between its LF and CR, NUL-terminated, into out (cap bytes).
 * Bytes before an LF are skipped. Returns the length, -ETIMEDOUT when none arrived within
 * timeout_ms, -ECONNRESET when the peer closed the connection, -EMSGSIZE, or another -errno. */
int dc09c_recv(struct dc09c *c, char *out, size_t cap, int timeout_ms);
/* Waits up to timeout_ms for the peer to close the TCP connection (discarding what it sends).
 * Returns 0 when it closed, -ETIMEDOUT when it is still open. */
int dc09c_wait_closed(struct dc09c *c, int timeout_ms);
void dc09c_close(struct dc09c *c);

/* CRC-16/ARC written independently of src/proto (reflected 0xA001, init 0). */
uint16_t dc09c_crc(const void *buf, size_t len);
/* 0 when line ("CRC(4) 0LLL body", LF/CR excluded) has a matching CRC and length, else -1. */
int dc09c_check(const char *line, size_t len);
/* Wraps a vector line as a frame on the wire: LF line CR. Returns the length or -1. */
int dc09c_wrap(char *out, size_t cap, const char *line);
/* Frames body (from the opening quote of the token on) as LF, CRC, 0LLL, body, CR with the
 * independent CRC: for malformed frames that must still pass the CRC. Returns the length or -1. */
int dc09c_frame(char *out, size_t cap, const char *body);
/* Copies a vector line whose body ends in "_HH:MM:SS,MM-DD-YYYY", replacing the time stamp
 * with time_ms (UTC) and recomputing CRC and length; wraps it LF … CR. Returns the length, or
 * -1 when the line has no time stamp or does not fit. */
int dc09c_restamp(char *out, size_t cap, const char *line, int64_t time_ms);
/* Wall-clock ms since the epoch. */
int64_t dc09c_now_ms(void);

#endif
