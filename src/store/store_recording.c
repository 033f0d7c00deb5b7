/* store_recording.c - SQL for the recording access register (see store_recording.h). */
#include "store/store_recording.h"

#include "store/store_int.h"

#include <errno.h>
#include <string.h>

int store_recording_insert(struct store_conn *c, const struct store_recording_new *r, int64_t *id)
{
    return store_q_exec(
        c, id, NULL,
        "INSERT INTO recording_request(kind, state, requester_name, requester_org, requester_id,"
        " phone, purpose, area_id, cameras, footage_from, footage_to, expires_at, recorded_by,"
        " recorded_at) VALUES(?1, 'requested', ?2, ?3, nullif(?4, ''), nullif(?5, ''), ?6,"
        " nullif(?7, 0), ?8, ?9, ?10, ?11, ?12, ?13)",
        "ssssssisiiisi", r->kind, r->requester_name, r->requester_org ? r->requester_org : "",
        r->requester_id ? r->requester_id : "", r->phone ? r->phone : "", r->purpose, r->area_id,
        r->cameras, r->from, r->to, r->expires_at, r->by, r->now);
}

#define RECORDING_COLS                                                                             \
    "r.id, r.kind, r.state, r.requester_name, r.requester_org, r.requester_id, r.phone,"           \
    " r.purpose, r.area_id, a.name AS area, r.cameras, r.footage_from AS \"from:time\","           \
    " r.footage_to AS \"to:time\", r.expires_at AS \"expires_at:time\", r.expires_at AS"           \
    " expires_ms, r.recorded_by, r.recorded_at AS \"recorded_at:time\", r.decided_by,"             \
    " r.decided_at AS \"decided_at:time\", r.decision_note, r.viewed_by, r.viewed_at AS"           \
    " \"viewed_at:time\", r.view_note, r.lent_by, r.lent_at AS \"lent_at:time\", r.medium,"        \
    " r.copy_ref, r.due_back AS \"due_back:time\", r.due_back AS due_back_ms, r.returned_by,"      \
    " r.returned_at AS \"returned_at:time\", r.return_note, r.cancelled_by, r.cancelled_at AS"     \
    " \"cancelled_at:time\", r.cancel_note, r.kept_by, r.kept_at AS \"kept_at:time\","             \
    " r.keep_note FROM recording_request r LEFT JOIN area a ON"                                    \
    " a.id = r.area_id"

int store_recording_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, "SELECT " RECORDING_COLS " WHERE r.id = ?1", "i", id);
}

int store_recording_list(struct store_conn *c, int open, const char *state, int64_t limit,
                         int64_t offset, json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM recording_request WHERE (?1 = 0 OR state IN"
                         " ('requested', 'approved', 'lent')) AND (?2 IS NULL OR state = ?2)",
                         "is", (int64_t)open, state);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        "SELECT " RECORDING_COLS " WHERE (?1 = 0 OR r.state IN ('requested',"
                        " 'approved', 'lent')) AND (?2 IS NULL OR r.state = ?2) ORDER BY r.id"
                        " DESC LIMIT ?3 OFFSET ?4",
                        "isii", (int64_t)open, state, limit, offset);
}

int store_recording_step(struct store_conn *c, int64_t id, const char *from, const char *to,
                         const char *step, const char *by, int64_t now, const char *note)
{
    /* One statement per step: the column names are not bound parameters. */
    const char *sql = NULL;
    if (strcmp(step, "decided") == 0)
        sql = "UPDATE recording_request SET state = ?3, decided_by = ?4, decided_at = ?5,"
              " decision_note = nullif(?6, '') WHERE id = ?1 AND state = ?2";
    else if (strcmp(step, "viewed") == 0)
        sql = "UPDATE recording_request SET state = ?3, viewed_by = ?4, viewed_at = ?5,"
              " view_note = nullif(?6, '') WHERE id = ?1 AND state = ?2";
    else if (strcmp(step, "returned") == 0)
        sql = "UPDATE recording_request SET state = ?3, returned_by = ?4, returned_at = ?5,"
              " return_note = nullif(?6, '') WHERE id = ?1 AND state = ?2";
    else if (strcmp(step, "cancelled") == 0)
        sql = "UPDATE recording_request SET state = ?3, cancelled_by = ?4, cancelled_at = ?5,"
              " cancel_note = nullif(?6, '') WHERE id = ?1 AND state = ?2";
    else if (strcmp(step, "kept") == 0)
        sql = "UPDATE recording_request SET state = ?3, kept_by = ?4, kept_at = ?5,"
              " keep_note = nullif(?6, '') WHERE id = ?1 AND state = ?2";
    else
        return -EINVAL;
    int changes = 0;
    int rc =
        store_q_exec(c, NULL, &changes, sql, "isssis", id, from, to, by, now, note ? note : "");
    return rc ? rc : changes ? 0 : -EALREADY;
}

int store_recording_lend(struct store_conn *c, int64_t id, const char *by, int64_t now,
                         const char *medium, const char *copy_ref, int64_t due_back)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE recording_request SET state = 'lent', lent_by = ?2, lent_at = ?3,"
                          " medium = ?4, copy_ref = ?5, due_back = ?6 WHERE id = ?1 AND"
                          " state = 'approved' AND kind = 'lend'",
                          "isissi", id, by, now, medium, copy_ref, due_back);
    return rc ? rc : changes ? 0 : -EALREADY;
}

int store_recording_out(struct store_conn *c, int64_t now, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, requester_name, requester_org, lent_at AS \"lent_at:time\","
                        " due_back AS \"due_back:time\", due_back < ?1 AS \"overdue:bool\" FROM"
                        " recording_request WHERE state = 'lent' ORDER BY lent_at, id",
                        "i", now);
}
