/* cli_dc09.c - vigilctl dc09 send: sends one real SIA DC-09 frame to a receiver and prints the
 * answer, for commissioning a panel account or trying the console without a panel. */
#include "cli/cli.h"
#include "core/clock.h"
#include "proto/dc09/dc09.h"

#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *opt(int argc, char **argv, const char *name, const char *def)
{
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return def;
}

static int connect_to(const char *hostport)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    if (!colon || (size_t)(colon - hostport) >= sizeof host)
        return -1;
    snprintf(host, sizeof host, "%.*s", (int)(colon - hostport), hostport);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static int run(struct cli_ctx *c, int argc, char **argv)
{
    (void)c;
    if (argc < 3 || strcmp(argv[1], "send") != 0) {
        fprintf(stderr, "usage: vigilctl dc09 send HOST:PORT [--account 1234] [--code FA] "
                        "[--zone 001] [--seq 1] [--key HEX|ASCII]\n"
                        "  --code: a SIA code (FA fire, BA burglary, PA panic, TA tamper, RP "
                        "test) or a Contact ID event \"1110 01 004\" (sent as ADM-CID)\n");
        return 2;
    }
    const char *acct = opt(argc, argv, "--account", "1234");
    const char *code = opt(argc, argv, "--code", "FA");
    const char *zone = opt(argc, argv, "--zone", "001");
    unsigned seq = (unsigned)strtoul(opt(argc, argv, "--seq", "1"), NULL, 10) % 10000;
    const char *keytxt = opt(argc, argv, "--key", NULL);
    uint8_t key[32];
    size_t keylen = 0;
    if (keytxt && dc09_key_parse(keytxt, key, &keylen)) {
        fprintf(stderr, "vigilctl: --key must be 32/48/64 hex digits or 16/24/32 characters\n");
        return 2;
    }
    int cid = strchr(code, ' ') != NULL;
    char data[128], frame[DC09_MAX_FRAME + 2];
    if (cid)
        snprintf(data, sizeof data, "#%s|%s", acct, code);
    else
        snprintf(data, sizeof data, "#%s|Nri1/%s%s", acct, code, zone);
    int n =
        dc09_frame_build(frame, sizeof frame, cid ? "ADM-CID" : "SIA-DCS", seq, "", "0", acct, data,
                         clock_now_ms(), keylen ? key : NULL, keylen, (uint32_t)clock_mono_ns());
    int fd = n > 0 ? connect_to(argv[2]) : -1;
    if (fd < 0) {
        fprintf(stderr, "vigilctl: cannot connect to %s\n", argv[2]);
        return 1;
    }
    printf("sent:  %.*s\n", n - 2, frame + 1);
    ssize_t w = send(fd, frame, (size_t)n, MSG_NOSIGNAL);
    char reply[1024];
    ssize_t r = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (w == n && poll(&p, 1, 5000) == 1)
        r = recv(fd, reply, sizeof reply - 1, 0);
    close(fd);
    if (r <= 0) {
        printf("reply: none within 5 s (the receiver stays silent on a CRC error or when it "
               "cannot store the alarm)\n");
        return 1;
    }
    reply[r] = '\0';
    reply[strcspn(reply, "\r")] = '\0';
    printf("reply: %s\n", reply + (reply[0] == '\n'));
    return strstr(reply, "ACK\"") ? 0 : 1;
}

const struct cli_cmd cli_cmd_dc09 = {"dc09", "dc09 send HOST:PORT [--account A] [--code FA]",
                                     "send one SIA DC-09 alarm frame (commissioning, demos)", run};
