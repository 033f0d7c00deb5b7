/* sia.c - the SIA-DCS data of a DC-09 frame (SIA DC-03 blocks): "#acct|Nri1/BA12/TA003^text^".
 *
 * Grammar accepted (lenient on input, every field bounded):
 *   payload := ["#" acct "|" | "|"] events-block { "|" block }
 *   block   := events-block | "A" text | other (skipped up to the next '|')
 *   events-block := ["N"|"O"] { "/" | modifier | event | "^" text "^" }
 *   modifier := 2 lower-case letters, then [0-9:]*   ("ri" sets the area of later events)
 *   event    := 2 upper-case letters (the code), then [0-9A-Z]{0,7} (the zone)
 * Text before any event goes to the next event, text after an event to the last one. */
#include "proto/dc09/dc09.h"

#include <string.h>

struct sia_state {
    const char *d;
    size_t len, i;
    char area[8];
    const char *pending; /* text seen before the first event */
    size_t pending_len;
    struct sia_payload *out;
};

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void set_text(struct sia_state *s, const char *t, size_t n)
{
    if (s->out->n == 0) {
        s->pending = t;
        s->pending_len = n;
        return;
    }
    char *dst = s->out->ev[s->out->n - 1].text;
    size_t cap = sizeof s->out->ev[0].text - 1;
    size_t k = n < cap ? n : cap;
    memcpy(dst, t, k);
    dst[k] = '\0';
}

/* A leading 'N' or 'O' is the block's qualifier unless it starts a code ("NL01"). */
static int is_qualifier(const struct sia_state *s)
{
    size_t i = s->i;
    if (i >= s->len || (s->d[i] != 'N' && s->d[i] != 'O'))
        return 0;
    if (i + 1 < s->len && is_upper(s->d[i + 1]))
        return i + 2 < s->len && is_upper(s->d[i + 2]);
    return 1;
}

static int modifier(struct sia_state *s)
{
    const char *name = s->d + s->i;
    if (s->i + 1 >= s->len || !is_lower(name[1]))
        return DC09_E_FORMAT;
    s->i += 2;
    size_t start = s->i;
    while (s->i < s->len && (is_digit(s->d[s->i]) || s->d[s->i] == ':'))
        s->i++;
    size_t n = s->i - start;
    if (name[0] == 'r' && name[1] == 'i') {
        if (n >= sizeof s->area)
            return DC09_E_FORMAT;
        memcpy(s->area, s->d + start, n);
        s->area[n] = '\0';
    }
    return 0;
}

static int event(struct sia_state *s)
{
    if (s->i + 1 >= s->len || !is_upper(s->d[s->i + 1]))
        return DC09_E_FORMAT;
    if (s->out->n == SIA_MAX_EVENTS)
        return DC09_E_FORMAT;
    struct sia_event *ev = &s->out->ev[s->out->n++];
    memcpy(ev->code, s->d + s->i, 2);
    s->i += 2;
    size_t start = s->i;
    while (s->i < s->len && (is_digit(s->d[s->i]) || is_upper(s->d[s->i])))
        s->i++;
    size_t n = s->i - start;
    if (n >= sizeof ev->zone)
        return DC09_E_FORMAT;
    memcpy(ev->zone, s->d + start, n);
    memcpy(ev->area, s->area, sizeof ev->area);
    if (s->pending) {
        set_text(s, s->pending, s->pending_len);
        s->pending = NULL;
    }
    return 0;
}

/* Events, modifiers and ^text^ up to the next '|' (not consumed) or the end. */
static int events_block(struct sia_state *s)
{
    if (is_qualifier(s))
        s->i++;
    while (s->i < s->len && s->d[s->i] != '|') {
        char c = s->d[s->i];
        int rc = 0;
        if (c == '/') {
            s->i++;
        } else if (c == '^') {
            const char *close = memchr(s->d + s->i + 1, '^', s->len - s->i - 1);
            if (!close)
                return DC09_E_FORMAT;
            set_text(s, s->d + s->i + 1, (size_t)(close - (s->d + s->i + 1)));
            s->i = (size_t)(close - s->d) + 1;
        } else if (is_lower(c)) {
            rc = modifier(s);
        } else if (is_upper(c)) {
            rc = event(s);
        } else {
            rc = DC09_E_FORMAT;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The rest of a block that is not events: "A" text, or anything else (skipped). */
static void other_block(struct sia_state *s)
{
    int text = s->d[s->i] == 'A';
    size_t start = s->i + 1;
    const char *bar = memchr(s->d + s->i, '|', s->len - s->i);
    s->i = bar ? (size_t)(bar - s->d) : s->len;
    if (text)
        set_text(s, s->d + start, s->i - start);
}

static int account(struct sia_state *s)
{
    if (s->len > 0 && s->d[0] == '|') {
        s->i = 1;
        return 0;
    }
    if (s->len == 0 || s->d[0] != '#')
        return 0;
    const char *bar = memchr(s->d, '|', s->len);
    size_t n = bar ? (size_t)(bar - s->d) - 1 : 0;
    if (n == 0 || n >= sizeof s->out->acct)
        return DC09_E_FORMAT;
    for (size_t k = 1; k <= n; k++) {
        char c = s->d[k];
        if (!is_digit(c) && !(c >= 'A' && c <= 'F') && !(c >= 'a' && c <= 'f'))
            return DC09_E_FORMAT;
    }
    memcpy(s->out->acct, s->d + 1, n);
    s->i = n + 2;
    return 0;
}

int sia_parse(const char *data, size_t len, struct sia_payload *out)
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < len; k++)
        if ((unsigned char)data[k] < 0x20 || data[k] == 0x7F)
            return DC09_E_FORMAT;
    struct sia_state s = {.d = data, .len = len, .out = out};
    int rc = account(&s);
    if (rc == 0)
        rc = events_block(&s);
    while (rc == 0 && s.i < s.len) {
        s.i++; /* the '|' */
        if (is_qualifier(&s))
            rc = events_block(&s);
        else if (s.i < s.len && s.d[s.i] != '|')
            other_block(&s);
    }
    if (rc == 0 && out->n == 0)
        rc = DC09_E_FORMAT; /* nothing to report */
    if (rc < 0)
        memset(out, 0, sizeof *out);
    return rc;
}
