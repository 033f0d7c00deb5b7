/* test_perm.c - the role -> permission table and permission lists (app/perm). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/perm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static perm_mask has(const char *role, enum perm p)
{
    return role_perms(role) & PERM_BIT(p);
}

static const char *const all_roles[] = {"operator", "shift_leader", "supervisor",
                                        "manager",  "engineer",     "elevator_tech",
                                        "guard",    "auditor",      "admin"};
#define NROLES (sizeof all_roles / sizeof all_roles[0])

static void test_roles(void **state)
{
    (void)state;
    /* The regulation's roles, in its order, then the project's auditor and admin. */
    assert_int_equal(role_count(), NROLES);
    for (size_t i = 0; i < NROLES; i++) {
        assert_string_equal(role_name((int)i), all_roles[i]);
        assert_true(role_valid(all_roles[i]));
    }
    assert_null(role_name(-1));
    assert_null(role_name((int)NROLES));
    assert_false(role_valid("root"));
    assert_false(role_valid(""));
    assert_false(role_valid("Operator")); /* exact names only */
    assert_int_equal(role_perms("root"), 0);
}

static void test_regulation_facts(void **state)
{
    (void)state;
    /* S5: personal data only for roles with a need to know. */
    assert_false(has("operator", PERM_RESIDENT_PII));
    assert_true(has("manager", PERM_RESIDENT_PII));
    assert_true(has("supervisor", PERM_RESIDENT_PII));
    assert_true(has("shift_leader", PERM_RESIDENT_PII));
    assert_false(has("admin", PERM_RESIDENT_PII));
    assert_true(has("admin", PERM_USER_WRITE));
    assert_false(has("guard", PERM_RESIDENT_PII));
    /* The auditor reads the trail and changes nothing. */
    assert_true(has("auditor", PERM_AUDIT_READ));
    static const enum perm writes[] = {PERM_SITE_WRITE,  PERM_DEVICE_STATUS, PERM_RESIDENT_WRITE,
                                       PERM_USER_WRITE,  PERM_APIKEY_MANAGE, PERM_ALARM_SUBMIT,
                                       PERM_RESIDENT_PII};
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
        if (has("auditor", writes[i]))
            fail_msg("auditor holds %s", perm_name(writes[i]));
    /* Everyone may watch the live stream; nobody but the admin writes users. */
    for (size_t i = 0; i < NROLES; i++) {
        if (!has(all_roles[i], PERM_STREAM_READ))
            fail_msg("%s lacks stream.read", all_roles[i]);
        if (strcmp(all_roles[i], "admin") != 0 && has(all_roles[i], PERM_USER_WRITE))
            fail_msg("%s holds user.write", all_roles[i]);
        /* alarm.submit is for API keys of alarm integrations only. */
        if (has(all_roles[i], PERM_ALARM_SUBMIT))
            fail_msg("%s holds alarm.submit", all_roles[i]);
    }
}

static void test_matrix_matches_docs(void **state)
{
    (void)state;
    /* The matrix published in docs/security.md, row by row (permission order), columns in role
     * order. A change to the table must change the docs and this test together. */
    static const char *const matrix[PERM__COUNT] = {
        [PERM_SITE_READ] = "111111111",        [PERM_SITE_WRITE] = "000000001",
        [PERM_DEVICE_STATUS] = "111010001",    [PERM_RESIDENT_READ] = "111100101",
        [PERM_RESIDENT_PII] = "011100000",     [PERM_RESIDENT_WRITE] = "000100001",
        [PERM_USER_READ] = "001100011",        [PERM_USER_WRITE] = "000000001",
        [PERM_AUDIT_READ] = "000100011",       [PERM_APIKEY_MANAGE] = "000000001",
        [PERM_ALARM_SUBMIT] = "000000000",     [PERM_STREAM_READ] = "111111111",
        [PERM_INCIDENT_READ] = "111111111",    [PERM_INCIDENT_HANDLE] = "111100000",
        [PERM_HANDOFF_TAKE] = "010000100",     [PERM_DUTY_READ] = "111100010",
        [PERM_DUTY_WRITE] = "111000000",       [PERM_REGISTER_READ] = "111100010",
        [PERM_REGISTER_WRITE] = "111000000",   [PERM_LINE_REVIEW] = "001100000",
        [PERM_COMPLAINT_READ] = "111100010",   [PERM_COMPLAINT_WRITE] = "111100000",
        [PERM_HANDOVER_FORCE] = "011000000",   [PERM_ROSTER_WRITE] = "011100000",
        [PERM_CHECK_READ] = "111111011",       [PERM_CHECK_FILL] = "111011000",
        [PERM_CHECK_TEMPLATE] = "000000001",   [PERM_TICKET_READ] = "111111011",
        [PERM_TICKET_WRITE] = "111110000",     [PERM_TICKET_REPAIR] = "001011000",
        [PERM_TICKET_VERIFY] = "111000000",    [PERM_REPORT_READ] = "011100010",
        [PERM_RETENTION_MANAGE] = "000100001", [PERM_RECORDING_READ] = "111100010",
        [PERM_RECORDING_WRITE] = "111000000",  [PERM_RECORDING_APPROVE] = "000100000",
    };
    for (int p = 0; p < PERM__COUNT; p++) {
        for (size_t r = 0; r < NROLES; r++) {
            int want = matrix[p][r] == '1';
            int got = has(all_roles[r], (enum perm)p) != 0;
            if (want != got)
                fail_msg("%s %s %s", all_roles[r], got ? "holds" : "lacks",
                         perm_name((enum perm)p));
        }
    }
    /* No role carries a bit outside the known permissions. */
    for (size_t r = 0; r < NROLES; r++)
        assert_int_equal(role_perms(all_roles[r]) >> PERM__COUNT, 0);
}

static void test_names(void **state)
{
    (void)state;
    for (int p = 0; p < PERM__COUNT; p++) {
        enum perm back = PERM__COUNT;
        assert_int_equal(perm_parse(perm_name((enum perm)p), &back), 0);
        assert_int_equal(back, p);
    }
    assert_string_equal(perm_name(PERM_RESIDENT_PII), "resident.pii");
    assert_string_equal(perm_name(PERM_STREAM_READ), "stream.read");
    assert_string_equal(perm_name(PERM__COUNT), "?");
    enum perm out = PERM_SITE_READ;
    assert_int_equal(perm_parse("resident", &out), -EINVAL);
    assert_int_equal(perm_parse("RESIDENT.PII", &out), -EINVAL);
    assert_int_equal(perm_parse("", &out), -EINVAL);
    assert_int_equal(out, PERM_SITE_READ);
}

static void test_parse_list_good(void **state)
{
    (void)state;
    perm_mask m = 0;
    char bad[64] = "";
    assert_int_equal(perm_parse_list("site.read", &m, bad, sizeof bad), 0);
    assert_int_equal(m, PERM_BIT(PERM_SITE_READ));
    assert_int_equal(perm_parse_list("alarm.submit,stream.read,site.read", &m, bad, sizeof bad), 0);
    assert_int_equal(m, PERM_BIT(PERM_ALARM_SUBMIT) | PERM_BIT(PERM_STREAM_READ) |
                            PERM_BIT(PERM_SITE_READ));
    /* A repeated name is harmless. */
    assert_int_equal(perm_parse_list("audit.read,audit.read", &m, bad, sizeof bad), 0);
    assert_int_equal(m, PERM_BIT(PERM_AUDIT_READ));
}

static void test_parse_list_bad(void **state)
{
    (void)state;
    static const struct {
        const char *csv, *bad;
    } cases[] = {
        {"site.read,nope", "nope"},
        {"nope,site.read", "nope"},
        {"site.read, stream.read", " stream.read"},
        {"site.read,,stream.read", ""},
        {",site.read", ""},
        {"SITE.READ", "SITE.READ"},
        {"", "(empty)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        perm_mask m = 12345;
        char bad[64] = "unset";
        if (perm_parse_list(cases[i].csv, &m, bad, sizeof bad) != -EINVAL)
            fail_msg("\"%s\" should be rejected", cases[i].csv);
        assert_string_equal(bad, cases[i].bad);
        assert_int_equal(m, 12345); /* untouched on error */
    }
    /* A name too long for any permission is cut in the message, not overflowing it. */
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    perm_mask m = 0;
    char bad[16];
    assert_int_equal(perm_parse_list(longname, &m, bad, sizeof bad), -EINVAL);
    assert_int_equal(strlen(bad), sizeof bad - 1);
}

static void test_mask_csv_round_trip(void **state)
{
    (void)state;
    /* Combinations survive mask -> csv -> mask: every single permission, every pair, every
     * role's set, all of them, and a deterministic spread of others (exhaustive 2^N grows too
     * fast as permissions are added). */
    perm_mask all = PERM_BIT(PERM__COUNT) - 1, masks[4096];
    size_t n = 0;
    for (int i = 0; i < PERM__COUNT; i++)
        for (int j = i; j < PERM__COUNT; j++)
            masks[n++] = PERM_BIT(i) | PERM_BIT(j);
    for (size_t r = 0; r < NROLES; r++)
        masks[n++] = role_perms(all_roles[r]);
    masks[n++] = all;
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    while (n < sizeof masks / sizeof masks[0]) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        masks[n++] = (x & all) ? (x & all) : 1;
    }
    for (size_t k = 0; k < n; k++) {
        perm_mask m = masks[k];
        char *csv = perm_mask_csv(m);
        perm_mask back = 0;
        char bad[64];
        if (perm_parse_list(csv, &back, bad, sizeof bad) != 0)
            fail_msg("csv \"%s\" does not parse (%s)", csv, bad);
        if (back != m)
            fail_msg("mask %llx -> \"%s\" -> %llx", (unsigned long long)m, csv,
                     (unsigned long long)back);
        free(csv);
    }
    char *csv = perm_mask_csv(PERM_BIT(PERM_STREAM_READ) | PERM_BIT(PERM_SITE_READ));
    assert_string_equal(csv, "site.read,stream.read"); /* canonical order */
    free(csv);
    csv = perm_mask_csv(0);
    assert_string_equal(csv, "");
    free(csv);
    csv = perm_mask_csv(PERM_BIT(PERM_AUDIT_READ) | ((perm_mask)1 << 40)); /* unknown bits drop */
    assert_string_equal(csv, "audit.read");
    free(csv);
    csv = perm_mask_csv(role_perms("manager"));
    assert_string_equal(csv, "site.read,resident.read,resident.pii,resident.write,user.read,"
                             "audit.read,stream.read,incident.read,incident.handle,duty.read,"
                             "register.read,line.review,complaint.read,complaint.write,"
                             "roster.write,check.read,ticket.read,ticket.write,report.read,"
                             "retention.manage,recording.read,recording.approve");
    free(csv);
}

static void test_mask_json(void **state)
{
    (void)state;
    json_t *a = perm_mask_json(role_perms("auditor"));
    assert_true(json_is_array(a));
    assert_int_equal(json_array_size(a), 12);
    assert_string_equal(json_string_value(json_array_get(a, 0)), "site.read");
    assert_string_equal(json_string_value(json_array_get(a, 1)), "user.read");
    assert_string_equal(json_string_value(json_array_get(a, 2)), "audit.read");
    assert_string_equal(json_string_value(json_array_get(a, 3)), "stream.read");
    assert_string_equal(json_string_value(json_array_get(a, 4)), "incident.read");
    assert_string_equal(json_string_value(json_array_get(a, 5)), "duty.read");
    assert_string_equal(json_string_value(json_array_get(a, 6)), "register.read");
    assert_string_equal(json_string_value(json_array_get(a, 7)), "complaint.read");
    assert_string_equal(json_string_value(json_array_get(a, 8)), "check.read");
    assert_string_equal(json_string_value(json_array_get(a, 9)), "ticket.read");
    assert_string_equal(json_string_value(json_array_get(a, 10)), "report.read");
    json_decref(a);
    a = perm_mask_json(0);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_regulation_facts),
        cmocka_unit_test(test_matrix_matches_docs),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_parse_list_good),
        cmocka_unit_test(test_parse_list_bad),
        cmocka_unit_test(test_mask_csv_round_trip),
        cmocka_unit_test(test_mask_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
