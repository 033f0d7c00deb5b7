/* perm.c - the role -> permission table. */
#include "app/perm.h"

#include "core/buf.h"
#include "core/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const perm_names[PERM__COUNT] = {
    [PERM_SITE_READ] = "site.read",
    [PERM_SITE_WRITE] = "site.write",
    [PERM_DEVICE_STATUS] = "device.status",
    [PERM_RESIDENT_READ] = "resident.read",
    [PERM_RESIDENT_PII] = "resident.pii",
    [PERM_RESIDENT_WRITE] = "resident.write",
    [PERM_USER_READ] = "user.read",
    [PERM_USER_WRITE] = "user.write",
    [PERM_AUDIT_READ] = "audit.read",
    [PERM_APIKEY_MANAGE] = "apikey.manage",
    [PERM_ALARM_SUBMIT] = "alarm.submit",
    [PERM_STREAM_READ] = "stream.read",
    [PERM_INCIDENT_READ] = "incident.read",
    [PERM_INCIDENT_HANDLE] = "incident.handle",
    [PERM_HANDOFF_TAKE] = "handoff.take",
    [PERM_DUTY_READ] = "duty.read",
    [PERM_DUTY_WRITE] = "duty.write",
    [PERM_REGISTER_READ] = "register.read",
    [PERM_REGISTER_WRITE] = "register.write",
    [PERM_LINE_REVIEW] = "line.review",
    [PERM_COMPLAINT_READ] = "complaint.read",
    [PERM_COMPLAINT_WRITE] = "complaint.write",
    [PERM_HANDOVER_FORCE] = "handover.force",
    [PERM_ROSTER_WRITE] = "roster.write",
    [PERM_CHECK_READ] = "check.read",
    [PERM_CHECK_FILL] = "check.fill",
    [PERM_CHECK_TEMPLATE] = "check.template",
    [PERM_TICKET_READ] = "ticket.read",
    [PERM_TICKET_WRITE] = "ticket.write",
    [PERM_TICKET_REPAIR] = "ticket.repair",
    [PERM_TICKET_VERIFY] = "ticket.verify",
    [PERM_REPORT_READ] = "report.read",
    [PERM_RETENTION_MANAGE] = "retention.manage",
    [PERM_RECORDING_READ] = "recording.read",
    [PERM_RECORDING_WRITE] = "recording.write",
    [PERM_RECORDING_APPROVE] = "recording.approve",
};

#define B(p) PERM_BIT(PERM_##p)
/* Who needs what (S5: personal data only to roles with a need to know). The admin configures
 * the system but has no need to see residents' phone numbers; the manager, supervisor and
 * shift leader handle residents' complaints and escalations and may reveal them (audited). */
static const struct {
    const char *role;
    perm_mask perms;
} role_table[] = {
    {"operator", B(SITE_READ) | B(DEVICE_STATUS) | B(RESIDENT_READ) | B(STREAM_READ) |
                     B(INCIDENT_READ) | B(INCIDENT_HANDLE) | B(DUTY_READ) | B(DUTY_WRITE) |
                     B(REGISTER_READ) | B(REGISTER_WRITE) | B(COMPLAINT_READ) | B(COMPLAINT_WRITE) |
                     B(CHECK_READ) | B(CHECK_FILL) | B(TICKET_READ) | B(TICKET_WRITE) |
                     B(TICKET_VERIFY) | B(RECORDING_READ) | B(RECORDING_WRITE)},
    {"shift_leader", B(SITE_READ) | B(DEVICE_STATUS) | B(RESIDENT_READ) | B(RESIDENT_PII) |
                         B(STREAM_READ) | B(INCIDENT_READ) | B(INCIDENT_HANDLE) | B(HANDOFF_TAKE) |
                         B(DUTY_READ) | B(DUTY_WRITE) | B(REGISTER_READ) | B(REGISTER_WRITE) |
                         B(COMPLAINT_READ) | B(COMPLAINT_WRITE) | B(HANDOVER_FORCE) |
                         B(ROSTER_WRITE) | B(CHECK_READ) | B(CHECK_FILL) | B(TICKET_READ) |
                         B(TICKET_WRITE) | B(TICKET_VERIFY) | B(REPORT_READ) | B(RECORDING_READ) |
                         B(RECORDING_WRITE)},
    {"supervisor", B(SITE_READ) | B(DEVICE_STATUS) | B(RESIDENT_READ) | B(RESIDENT_PII) |
                       B(USER_READ) | B(STREAM_READ) | B(INCIDENT_READ) | B(INCIDENT_HANDLE) |
                       B(DUTY_READ) | B(DUTY_WRITE) | B(REGISTER_READ) | B(REGISTER_WRITE) |
                       B(LINE_REVIEW) | B(COMPLAINT_READ) | B(COMPLAINT_WRITE) | B(HANDOVER_FORCE) |
                       B(ROSTER_WRITE) | B(CHECK_READ) | B(CHECK_FILL) | B(TICKET_READ) |
                       B(TICKET_WRITE) | B(TICKET_REPAIR) | B(TICKET_VERIFY) | B(REPORT_READ) |
                       B(RECORDING_READ) | B(RECORDING_WRITE)},
    {"manager", B(SITE_READ) | B(RESIDENT_READ) | B(RESIDENT_PII) | B(RESIDENT_WRITE) |
                    B(USER_READ) | B(AUDIT_READ) | B(STREAM_READ) | B(INCIDENT_READ) |
                    B(INCIDENT_HANDLE) | B(DUTY_READ) | B(REGISTER_READ) | B(LINE_REVIEW) |
                    B(COMPLAINT_READ) | B(COMPLAINT_WRITE) | B(ROSTER_WRITE) | B(CHECK_READ) |
                    B(TICKET_READ) | B(TICKET_WRITE) | B(REPORT_READ) | B(RETENTION_MANAGE) |
                    B(RECORDING_READ) | B(RECORDING_APPROVE)},
    {"engineer", B(SITE_READ) | B(DEVICE_STATUS) | B(STREAM_READ) | B(INCIDENT_READ) |
                     B(CHECK_READ) | B(CHECK_FILL) | B(TICKET_READ) | B(TICKET_WRITE) |
                     B(TICKET_REPAIR)},
    {"elevator_tech", B(SITE_READ) | B(STREAM_READ) | B(INCIDENT_READ) | B(CHECK_READ) |
                          B(CHECK_FILL) | B(TICKET_READ) | B(TICKET_REPAIR)},
    {"guard",
     B(SITE_READ) | B(RESIDENT_READ) | B(STREAM_READ) | B(INCIDENT_READ) | B(HANDOFF_TAKE)},
    {"auditor", B(SITE_READ) | B(USER_READ) | B(AUDIT_READ) | B(STREAM_READ) | B(INCIDENT_READ) |
                    B(DUTY_READ) | B(REGISTER_READ) | B(COMPLAINT_READ) | B(CHECK_READ) |
                    B(TICKET_READ) | B(REPORT_READ) | B(RECORDING_READ)},
    {"admin", B(SITE_READ) | B(SITE_WRITE) | B(DEVICE_STATUS) | B(RESIDENT_READ) |
                  B(RESIDENT_WRITE) | B(USER_READ) | B(USER_WRITE) | B(AUDIT_READ) |
                  B(APIKEY_MANAGE) | B(STREAM_READ) | B(INCIDENT_READ) | B(CHECK_READ) |
                  B(CHECK_TEMPLATE) | B(TICKET_READ) | B(RETENTION_MANAGE)},
};
#undef B
#define NROLES ((int)(sizeof role_table / sizeof role_table[0]))

const char *perm_name(enum perm p)
{
    return (p >= 0 && p < PERM__COUNT) ? perm_names[p] : "?";
}

int perm_parse(const char *name, enum perm *out)
{
    for (int i = 0; i < PERM__COUNT; i++) {
        if (strcmp(perm_names[i], name) == 0) {
            *out = (enum perm)i;
            return 0;
        }
    }
    return -EINVAL;
}

int perm_parse_list(const char *csv, perm_mask *out, char *bad, size_t badsz)
{
    perm_mask m = 0;
    const char *p = csv;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char name[64];
        if (n == 0 || n >= sizeof name) {
            snprintf(bad, badsz, "%.*s", (int)(n < 63 ? n : 63), p);
            return -EINVAL;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        enum perm pm;
        if (perm_parse(name, &pm)) {
            snprintf(bad, badsz, "%s", name);
            return -EINVAL;
        }
        m |= PERM_BIT(pm);
        p += n + (comma ? 1 : 0);
    }
    if (!m) {
        snprintf(bad, badsz, "(empty)");
        return -EINVAL;
    }
    *out = m;
    return 0;
}

char *perm_mask_csv(perm_mask m)
{
    struct buf b;
    buf_init(&b, 4096);
    for (int i = 0; i < PERM__COUNT; i++) {
        if (m & PERM_BIT(i)) {
            if (b.len)
                buf_append_str(&b, ",");
            buf_append_str(&b, perm_names[i]);
        }
    }
    return buf_take(&b);
}

json_t *perm_mask_json(perm_mask m)
{
    json_t *a = json_array();
    for (int i = 0; i < PERM__COUNT; i++)
        if (m & PERM_BIT(i))
            json_array_append_new(a, json_string(perm_names[i]));
    return a;
}

int role_count(void)
{
    return NROLES;
}

const char *role_name(int i)
{
    return (i >= 0 && i < NROLES) ? role_table[i].role : NULL;
}

int role_valid(const char *name)
{
    return role_perms(name) != 0;
}

perm_mask role_perms(const char *name)
{
    for (int i = 0; i < NROLES; i++)
        if (strcmp(role_table[i].role, name) == 0)
            return role_table[i].perms;
    return 0;
}
