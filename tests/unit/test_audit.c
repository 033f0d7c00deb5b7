/* test_audit.c - the hash-chained audit trail: append, verify, and tampering with the file
 * (app/audit over store/store_audit). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/audit.h"
#include "core/clock.h"
#include "lib/assert_ext.h"
#include "lib/testenv.h"

#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREC 10

struct append_job {
    int first, n; /* appends records first .. first + n - 1 */
};

static int append_job(struct store_conn *c, void *arg)
{
    struct append_job *j = arg;
    struct actor who;
    app_actor_system(&who, "tester");
    for (int i = j->first; i < j->first + j->n; i++) {
        char obj[32];
        snprintf(obj, sizeof obj, "thing:%d", i);
        int rc =
            audit_append(c, &who, i % 2 ? "test.odd" : "test.even", obj, "record number %d", i);
        if (rc)
            return rc;
        clock_advance(1000);
    }
    return 0;
}

/* Appends NREC records, in several transactions. */
static void append_records(struct testenv *e)
{
    for (int first = 1; first <= NREC; first += 4) {
        struct append_job j = {.first = first, .n = first + 4 > NREC ? NREC - first + 1 : 4};
        assert_int_equal(store_write(e->st, append_job, &j), 0);
    }
}

static void verify(struct testenv *e, struct audit_verdict *v)
{
    struct store_conn *c = store_read_begin(e->st);
    int rc = audit_verify(c, NULL, v);
    store_read_end(e->st, c);
    assert_int_equal(rc, 0);
}

/* Closes the store, runs sql directly on the file (as an attacker with file access would),
 * reopens and verifies. */
static void tamper_and_verify(struct testenv *e, const char *sql, struct audit_verdict *v)
{
    testenv_close(e);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char copy[256];
        snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        fail_msg("tampering failed: %s", copy);
    }
    sqlite3_close(db);
    assert_int_equal(testenv_reopen(e), 0);
    verify(e, v);
}

static void test_append_verify(void **state)
{
    struct testenv *e = *state;
    struct audit_verdict v;
    verify(e, &v); /* an empty trail is fine */
    assert_true(v.ok);
    assert_int_equal(v.records, 0);

    append_records(e);
    verify(e, &v);
    assert_true(v.ok);
    assert_int_equal(v.records, NREC);
    assert_int_equal(v.first_bad, 0);

    /* Records are numbered 1..N with the clock's time, and the head names the last one. */
    struct store_conn *c = store_read_begin(e->st);
    json_t *rows = NULL;
    assert_int_equal(store_q_rows(c, &rows,
                                  "SELECT id, at, actor, action, object, summary FROM audit"
                                  " ORDER BY id",
                                  ""),
                     0);
    int64_t head = -1;
    unsigned char head_hash[AUDIT_HASH_LEN];
    assert_int_equal(store_audit_head(c, &head, head_hash), 0);
    store_read_end(e->st, c);
    assert_int_equal(json_array_size(rows), NREC);
    assert_int_equal(head, NREC);
    for (int i = 0; i < NREC; i++) {
        json_t *r = json_array_get(rows, (size_t)i);
        char want[64];
        assert_int_equal(json_integer_value(json_object_get(r, "id")), i + 1);
        assert_int_equal(json_integer_value(json_object_get(r, "at")), TESTENV_T0 + i * 1000);
        assert_string_equal(json_string_value(json_object_get(r, "actor")), "tester");
        snprintf(want, sizeof want, "record number %d", i + 1);
        assert_string_equal(json_string_value(json_object_get(r, "summary")), want);
    }
    json_decref(rows);

    /* The chain survives a restart. */
    assert_int_equal(testenv_reopen(e), 0);
    verify(e, &v);
    assert_true(v.ok);
    assert_int_equal(v.records, NREC);
}

static void test_triggers_refuse_changes(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    testenv_close(e);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE audit SET summary = 'x' WHERE id = 3", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit WHERE id = 3", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(testenv_reopen(e), 0);
    struct audit_verdict v;
    verify(e, &v);
    assert_true(v.ok);
    assert_int_equal(v.records, NREC);
}

static void test_tamper_alter_middle(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    struct audit_verdict v;
    tamper_and_verify(e,
                      "DROP TRIGGER audit_no_update;"
                      "UPDATE audit SET summary = 'nothing happened' WHERE id = 5",
                      &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 5);
    assert_int_equal(v.records, 4); /* the good records before it */
    assert_true(v.reason[0] != '\0');
}

static void test_tamper_alter_each_field(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    static const char *const edits[] = {
        "UPDATE audit SET at = at + 1 WHERE id = 7",
        "UPDATE audit SET actor = 'someone' WHERE id = 7",
        "UPDATE audit SET action = 'test.even' WHERE id = 7",
        "UPDATE audit SET object = 'thing:8' WHERE id = 7",
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        /* Each edit is undone by restoring the saved row, then the next one is tried. */
        char sql[512];
        snprintf(sql, sizeof sql,
                 "DROP TRIGGER IF EXISTS audit_no_update;"
                 "CREATE TABLE IF NOT EXISTS saved AS SELECT * FROM audit WHERE id = 7;"
                 "UPDATE audit SET (at, actor, action, object) = (SELECT at, actor, action,"
                 " object FROM saved) WHERE id = 7;"
                 "%s",
                 edits[i]);
        struct audit_verdict v;
        tamper_and_verify(e, sql, &v);
        if (v.ok || v.first_bad != 7)
            fail_msg("\"%s\": ok=%d first_bad=%lld", edits[i], v.ok, (long long)v.first_bad);
    }
}

static void test_tamper_alter_and_rehash(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    testenv_close(e);
    /* A smarter attacker alters record 5 and recomputes its hash, so the record checks out on
     * its own; the link from record 6 no longer does. */
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(e->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT at, actor, action, object, prev_hash FROM audit"
                                        " WHERE id = 5",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    struct audit_rec r = {.id = 5,
                          .at = sqlite3_column_int64(q, 0),
                          .actor = (const char *)sqlite3_column_text(q, 1),
                          .action = (const char *)sqlite3_column_text(q, 2),
                          .object = (const char *)sqlite3_column_text(q, 3),
                          .summary = "nothing happened"};
    assert_int_equal(sqlite3_column_bytes(q, 4), AUDIT_HASH_LEN);
    memcpy(r.prev_hash, sqlite3_column_blob(q, 4), AUDIT_HASH_LEN);
    audit_hash(&r, r.hash);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit SET summary = ?1, hash = ?2 WHERE id = 5",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, r.summary, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 2, r.hash, AUDIT_HASH_LEN, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_int_equal(testenv_reopen(e), 0);
    struct audit_verdict v;
    verify(e, &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 6); /* where the chain visibly breaks */
    assert_int_equal(v.records, 5);
}

static void test_tamper_delete_middle(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    struct audit_verdict v;
    tamper_and_verify(e, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 4", &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 4); /* the missing record */
    assert_int_equal(v.records, 3);
}

static void test_tamper_delete_and_renumber(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    /* Closing the gap by renumbering does not help: record 4 now links to the removed one. */
    struct audit_verdict v;
    tamper_and_verify(e,
                      "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_no_update;"
                      "DELETE FROM audit WHERE id = 4;"
                      "UPDATE audit SET id = id - 1 WHERE id > 4;"
                      "UPDATE audit_head SET last_id = last_id - 1",
                      &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 4);
}

static void test_tamper_delete_newest(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    struct audit_verdict v;
    tamper_and_verify(e, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 10", &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 10);
    assert_int_equal(v.records, 9);
    tamper_and_verify(e, "DELETE FROM audit WHERE id >= 8", &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 8); /* the first of the removed ones */
    assert_int_equal(v.records, 7);
    tamper_and_verify(e, "DELETE FROM audit", &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 1);
    assert_int_equal(v.records, 0);
}

static void test_tamper_swap(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    /* Swap everything but the ids of records 3 and 6 (each keeps its own valid hash). */
    struct audit_verdict v;
    tamper_and_verify(e,
                      "DROP TRIGGER audit_no_update;"
                      "CREATE TABLE s AS SELECT * FROM audit WHERE id IN (3, 6);"
                      "UPDATE audit SET (at, actor, action, object, summary, prev_hash, hash) ="
                      " (SELECT at, actor, action, object, summary, prev_hash, hash FROM s"
                      "  WHERE s.id = 9 - audit.id) WHERE id IN (3, 6);"
                      "DROP TABLE s",
                      &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 3);
    assert_int_equal(v.records, 2);
}

static void test_tamper_swap_ids(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    /* Reorder by swapping the ids of records 2 and 8. */
    struct audit_verdict v;
    tamper_and_verify(e,
                      "DROP TRIGGER audit_no_update;"
                      "UPDATE audit SET id = 100 WHERE id = 2;"
                      "UPDATE audit SET id = 2 WHERE id = 8;"
                      "UPDATE audit SET id = 8 WHERE id = 100",
                      &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 2);
}

static void test_tamper_head(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    struct audit_verdict v;
    /* A head whose hash is not the last record's: the last record is suspect. */
    tamper_and_verify(e, "UPDATE audit_head SET last_hash = zeroblob(32)", &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, NREC);
    /* Records beyond the head (appended behind its back, or the head rolled back): the first
     * record the head does not account for. */
    tamper_and_verify(e,
                      "UPDATE audit_head SET (last_id, last_hash) ="
                      " (SELECT id, hash FROM audit WHERE id = 8)",
                      &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 9);
    assert_int_equal(v.records, NREC);
    /* No head row at all, with records present: the verdict still names a record. */
    tamper_and_verify(e, "DELETE FROM audit_head", &v);
    assert_false(v.ok);
    assert_int_equal(v.first_bad, 1);
}

static void test_append_after_reopen(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    /* The chain continues from the stored head after a restart. */
    assert_int_equal(testenv_reopen(e), 0);
    struct append_job j = {.first = 100, .n = 3};
    assert_int_equal(store_write(e->st, append_job, &j), 0);
    struct audit_verdict v;
    verify(e, &v);
    assert_true(v.ok);
    assert_int_equal(v.records, NREC + 3);
}

static int append_then_fail_job(struct store_conn *c, void *arg)
{
    int rc = append_job(c, arg);
    return rc ? rc : -EINVAL;
}

static void test_failed_job_leaves_no_record(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    struct append_job bad = {.first = 50, .n = 2};
    assert_int_equal(store_write(e->st, append_then_fail_job, &bad), -EINVAL);
    struct append_job good = {.first = 60, .n = 1};
    assert_int_equal(store_write(e->st, append_job, &good), 0);
    struct audit_verdict v;
    verify(e, &v);
    assert_true(v.ok);
    assert_int_equal(v.records, NREC + 1);
}

/* ---- the hash ---- */

static void base_rec(struct audit_rec *r)
{
    memset(r, 0, sizeof *r);
    r->id = 42;
    r->at = TESTENV_T0;
    r->actor = "alice";
    r->action = "resident.reveal";
    r->object = "resident:7";
    r->summary = "personal data of unit 1-203 read";
    for (int i = 0; i < AUDIT_HASH_LEN; i++)
        r->prev_hash[i] = (unsigned char)i;
}

static void be(unsigned char *out, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

/* The encoding documented in audit.h, written out independently. */
static void reference_hash(const struct audit_rec *r, unsigned char out[AUDIT_HASH_LEN])
{
    unsigned char msg[1024];
    size_t n = 0;
    memcpy(msg, r->prev_hash, AUDIT_HASH_LEN);
    n += AUDIT_HASH_LEN;
    be(msg + n, (uint64_t)r->id, 8);
    n += 8;
    be(msg + n, (uint64_t)r->at, 8);
    n += 8;
    const char *s[4] = {r->actor, r->action, r->object, r->summary};
    for (int i = 0; i < 4; i++) {
        size_t len = strlen(s[i]);
        be(msg + n, len, 4);
        n += 4;
        memcpy(msg + n, s[i], len);
        n += len;
    }
    crypto_hash_sha256(out, msg, n);
}

static void test_hash(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    struct audit_rec r;
    unsigned char h1[AUDIT_HASH_LEN], h2[AUDIT_HASH_LEN], want[AUDIT_HASH_LEN];
    base_rec(&r);
    audit_hash(&r, h1);
    audit_hash(&r, h2);
    assert_memory_equal(h1, h2, AUDIT_HASH_LEN); /* deterministic */
    reference_hash(&r, want);
    assert_memory_equal(h1, want, AUDIT_HASH_LEN); /* the documented encoding */

    /* Any change to any field changes the hash. */
    for (int field = 0; field < 8; field++) {
        base_rec(&r);
        switch (field) {
        case 0:
            r.id++;
            break;
        case 1:
            r.at++;
            break;
        case 2:
            r.actor = "alicf";
            break;
        case 3:
            r.action = "resident.revea";
            break;
        case 4:
            r.object = "resident:8";
            break;
        case 5:
            r.summary = "personal data of unit 1-204 read";
            break;
        case 6:
            r.prev_hash[31] ^= 1;
            break;
        default:
            r.prev_hash[0] ^= 0x80;
            break;
        }
        audit_hash(&r, h2);
        if (memcmp(h1, h2, AUDIT_HASH_LEN) == 0)
            fail_msg("changing field %d left the hash unchanged", field);
    }
    /* The stored hash field is not an input. */
    base_rec(&r);
    memset(r.hash, 0xee, sizeof r.hash);
    audit_hash(&r, h2);
    assert_memory_equal(h1, h2, AUDIT_HASH_LEN);

    /* Length prefixes keep field boundaries: moving a byte between fields changes the hash. */
    base_rec(&r);
    r.actor = "ab";
    r.action = "c";
    audit_hash(&r, h1);
    r.actor = "a";
    r.action = "bc";
    audit_hash(&r, h2);
    assert_memory_not_equal(h1, h2, AUDIT_HASH_LEN);
}

static void test_stored_hashes_match(void **state)
{
    struct testenv *e = *state;
    append_records(e);
    /* Each stored record's hash is audit_hash over its fields and the previous stored hash. */
    struct store_conn *c = store_read_begin(e->st);
    json_t *rows = NULL;
    assert_int_equal(store_q_rows(c, &rows,
                                  "SELECT id, at, actor, action, object, summary, prev_hash,"
                                  " hash FROM audit ORDER BY id",
                                  ""),
                     0);
    store_read_end(e->st, c);
    unsigned char prev[AUDIT_HASH_LEN] = {0};
    size_t i;
    json_t *row;
    json_array_foreach (rows, i, row) {
        struct audit_rec r = {
            .id = json_integer_value(json_object_get(row, "id")),
            .at = json_integer_value(json_object_get(row, "at")),
            .actor = json_string_value(json_object_get(row, "actor")),
            .action = json_string_value(json_object_get(row, "action")),
            .object = json_string_value(json_object_get(row, "object")),
            .summary = json_string_value(json_object_get(row, "summary")),
        };
        unsigned char stored_prev[AUDIT_HASH_LEN], stored[AUDIT_HASH_LEN], h[AUDIT_HASH_LEN];
        /* Blobs come back as hex. */
        assert_int_equal(sodium_hex2bin(stored_prev, sizeof stored_prev,
                                        json_string_value(json_object_get(row, "prev_hash")), 64,
                                        NULL, NULL, NULL),
                         0);
        assert_int_equal(sodium_hex2bin(stored, sizeof stored,
                                        json_string_value(json_object_get(row, "hash")), 64, NULL,
                                        NULL, NULL),
                         0);
        assert_memory_equal(stored_prev, prev, AUDIT_HASH_LEN);
        memcpy(r.prev_hash, prev, AUDIT_HASH_LEN);
        audit_hash(&r, h);
        assert_memory_equal(h, stored, AUDIT_HASH_LEN);
        memcpy(prev, stored, AUDIT_HASH_LEN);
    }
    json_decref(rows);
}

struct last_event {
    int n;
    char type[32];
    json_t *data;
};

static void event_sink(void *ctx, const char *type, json_t *data, const char *json)
{
    struct last_event *le = ctx;
    (void)json; /* audit events are JSON values */
    le->n++;
    snprintf(le->type, sizeof le->type, "%s", type);
    json_decref(le->data);
    le->data = json_incref(data); /* borrowed: keep our own reference */
}

static void test_events_and_list(void **state)
{
    struct testenv *e = *state;
    struct last_event le = {0};
    store_set_event_sink(e->st, event_sink, &le);
    append_records(e);
    store_set_event_sink(e->st, NULL, NULL);
    /* One "audit" event per record, after its commit. */
    assert_int_equal(le.n, NREC);
    assert_string_equal(le.type, "audit");
    assert_int_equal(json_integer_value(json_object_get(le.data, "id")), NREC);
    assert_string_equal(json_string_value(json_object_get(le.data, "action")), "test.even");
    assert_string_equal(json_string_value(json_object_get(le.data, "object")), "thing:10");
    assert_string_equal(json_string_value(json_object_get(le.data, "actor")), "tester");
    json_decref(le.data);

    struct page pg = {.limit = 3, .offset = 0};
    struct store_conn *c = store_read_begin(e->st);
    json_t *rows = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(c, "test.odd", NULL, pg.limit, pg.offset, &rows, &total), 0);
    store_read_end(e->st, c);
    assert_int_equal(total, NREC / 2);
    assert_int_equal(json_array_size(rows), 3);
    /* Newest first, with ISO times. */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "id")), 9);
    char iso[CLOCK_ISO_LEN];
    assert_int_equal(clock_format_iso(TESTENV_T0 + 8000, iso, sizeof iso), 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "at")), iso);
    json_decref(rows);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testenv_setup, testenv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_append_verify),
        T(test_triggers_refuse_changes),
        T(test_tamper_alter_middle),
        T(test_tamper_alter_each_field),
        T(test_tamper_alter_and_rehash),
        T(test_tamper_delete_middle),
        T(test_tamper_delete_and_renumber),
        T(test_tamper_delete_newest),
        T(test_tamper_swap),
        T(test_tamper_swap_ids),
        T(test_tamper_head),
        T(test_append_after_reopen),
        T(test_failed_job_leaves_no_record),
        cmocka_unit_test(test_hash),
        T(test_stored_hashes_match),
        T(test_events_and_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
