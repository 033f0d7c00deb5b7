/* alarm_codes.c - SIA and Contact ID event codes -> what Vigil does with them.
 * Sources: PROTOCOLS.md §2.2 (Contact ID table), the SIA DC-03 code list as used by public
 * receivers (e.g. the CID->SIA mapping FA/FH, BA/BH, PA/PH, TA/TR, AT/AR, RP). */
#include "app/alarm.h"

#include <errno.h>
#include <string.h>

const char *const incident_types[] = {"fire",    "smoke_heat", "intrusion",    "panic", "elevator",
                                      "trouble", "tamper",     "comm_failure", "other", NULL};

int incident_priority(const char *type)
{
    static const struct {
        const char *type;
        int prio;
    } t[] = {{"fire", 1},     {"smoke_heat", 1},   {"panic", 1},
             {"elevator", 1}, {"intrusion", 2},    {"tamper", 3},
             {"trouble", 3},  {"comm_failure", 3}, {"other", 4}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].type, type) == 0)
            return t[i].prio;
    return 4;
}

static const char *const kind_names[] = {"event", "restore", "status",
                                         "test",  "log",     "supervision"};

const char *alarm_kind_name(enum alarm_kind k)
{
    return (k >= ALARM_EVENT && k <= ALARM_SUPERVISION) ? kind_names[k] : "event";
}

int alarm_kind_parse(const char *s, enum alarm_kind *out)
{
    for (int i = 0; i <= ALARM_SUPERVISION; i++) {
        if (strcmp(kind_names[i], s) == 0) {
            *out = (enum alarm_kind)i;
            return 0;
        }
    }
    return -EINVAL;
}

/* SIA codes: two letters. */
static const struct {
    char code[3];
    enum alarm_kind kind;
    const char *type;
} sia_codes[] = {
    {"FA", ALARM_EVENT, "fire"},
    {"FH", ALARM_RESTORE, "fire"},
    {"FR", ALARM_RESTORE, "fire"},
    {"FS", ALARM_EVENT, "trouble"},
    {"FT", ALARM_EVENT, "trouble"},
    {"FJ", ALARM_RESTORE, "trouble"},
    {"GA", ALARM_EVENT, "other"},
    {"GH", ALARM_RESTORE, "other"},
    {"KA", ALARM_EVENT, "smoke_heat"},
    {"KH", ALARM_RESTORE, "smoke_heat"},
    {"SA", ALARM_EVENT, "smoke_heat"},
    {"SH", ALARM_RESTORE, "smoke_heat"},
    {"BA", ALARM_EVENT, "intrusion"},
    {"BH", ALARM_RESTORE, "intrusion"},
    {"BR", ALARM_RESTORE, "intrusion"},
    {"BV", ALARM_EVENT, "intrusion"},
    {"PA", ALARM_EVENT, "panic"},
    {"PH", ALARM_RESTORE, "panic"},
    {"PR", ALARM_RESTORE, "panic"},
    {"HA", ALARM_EVENT, "panic"},
    {"HH", ALARM_RESTORE, "panic"},
    {"MA", ALARM_EVENT, "panic"},
    {"MH", ALARM_RESTORE, "panic"},
    {"QA", ALARM_EVENT, "panic"},
    {"TA", ALARM_EVENT, "tamper"},
    {"TR", ALARM_RESTORE, "tamper"},
    {"TH", ALARM_RESTORE, "tamper"},
    {"AT", ALARM_EVENT, "trouble"},
    {"AR", ALARM_RESTORE, "trouble"},
    {"YT", ALARM_EVENT, "trouble"},
    {"YR", ALARM_RESTORE, "trouble"},
    {"YP", ALARM_EVENT, "trouble"},
    {"YQ", ALARM_RESTORE, "trouble"},
    {"YC", ALARM_EVENT, "comm_failure"},
    {"YK", ALARM_RESTORE, "comm_failure"},
    {"YS", ALARM_EVENT, "comm_failure"},
    {"ET", ALARM_EVENT, "trouble"},
    {"ER", ALARM_RESTORE, "trouble"},
    {"UT", ALARM_EVENT, "trouble"},
    {"UJ", ALARM_RESTORE, "trouble"},
    {"WA", ALARM_EVENT, "other"},
    {"WH", ALARM_RESTORE, "other"},
    {"RP", ALARM_TEST, ""},
    {"RX", ALARM_TEST, ""},
    {"RY", ALARM_TEST, ""},
    {"TX", ALARM_TEST, ""},
    {"OP", ALARM_LOG, ""},
    {"CL", ALARM_LOG, ""},
    {"OA", ALARM_LOG, ""},
    {"CA", ALARM_LOG, ""},
    {"OR", ALARM_LOG, ""},
    {"CG", ALARM_LOG, ""},
    {"BB", ALARM_LOG, ""},
    {"BU", ALARM_LOG, ""},
    {"FB", ALARM_LOG, ""},
    {"FU", ALARM_LOG, ""},
    {"NL", ALARM_LOG, ""},
    {"RR", ALARM_LOG, ""}, /* power-up */
    {"JA", ALARM_EVENT, "tamper"},
};

int alarm_classify_sia(const char *code, enum alarm_kind *kind, const char **type)
{
    for (size_t i = 0; i < sizeof sia_codes / sizeof sia_codes[0]; i++) {
        if (strcmp(sia_codes[i].code, code) == 0) {
            *kind = sia_codes[i].kind;
            *type = sia_codes[i].type;
            return 0;
        }
    }
    return -ENOENT;
}

static const char *cid_type(unsigned code)
{
    if ((code >= 110 && code <= 110) || code == 112 || code == 115 || code == 117 || code == 118)
        return "fire";
    if (code == 111 || code == 114 || code == 116 || code == 158)
        return "smoke_heat";
    if (code == 100 || code == 101 || (code >= 120 && code <= 129))
        return "panic";
    if (code == 137 || code == 144 || code == 145 || code == 383)
        return "tamper";
    if (code >= 130 && code <= 139)
        return "intrusion";
    if (code >= 350 && code <= 359)
        return "comm_failure";
    if (code >= 200 && code <= 399)
        return "trouble";
    return "other";
}

void alarm_classify_cid(int qualifier, unsigned code, enum alarm_kind *kind, const char **type)
{
    *type = cid_type(code);
    if (code >= 400 && code < 600) { /* open/close, access, bypass: a record, not an alarm */
        *kind = ALARM_LOG;
        *type = "";
    } else if (code >= 600 && code < 700) {
        *kind = ALARM_TEST;
        *type = "";
    } else if (qualifier == 3) {
        *kind = ALARM_RESTORE;
    } else if (qualifier == 6) {
        *kind = ALARM_STATUS;
    } else {
        *kind = ALARM_EVENT;
    }
}
