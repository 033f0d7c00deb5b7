/* store_register.c - SQL for the entry register and the alarm-line log. */
#include "store/store_register.h"

#include "store/store_int.h"

#include <errno.h>

int store_room_entry_insert(struct store_conn *c, const char *name, const char *org,
                            const char *purpose, const char *authorised_by,
                            const char *registered_by, int64_t now, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO room_entry(name, organisation, purpose, authorised_by,"
                        " registered_by, time_in) VALUES(?1, coalesce(?2, ''), ?3, ?4, ?5, ?6)",
                        "sssssi", name, org, purpose, authorised_by, registered_by, now);
}

int store_room_entry_out(struct store_conn *c, int64_t id, const char *by, int64_t now)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE room_entry SET time_out = ?3, out_by = ?2 WHERE id = ?1 AND"
                          " time_out IS NULL",
                          "isi", id, by, now);
    if (rc || changes)
        return rc;
    int64_t n = 0;
    rc = store_q_int(c, &n, "SELECT count(*) FROM room_entry WHERE id = ?1", "i", id);
    return rc ? rc : n ? -EALREADY : -ENOENT;
}

#define ENTRY_COLS                                                                                 \
    "SELECT e.id, e.name, e.organisation, e.purpose, e.authorised_by, u.display_name AS"           \
    " authorised_by_name, e.registered_by, e.time_in AS \"time_in:time\", e.time_out AS"           \
    " \"time_out:time\", e.out_by FROM room_entry e LEFT JOIN user u ON u.username ="              \
    " e.authorised_by "

int store_room_entry_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, ENTRY_COLS "WHERE e.id = ?1", "i", id);
}

int store_room_entry_list(struct store_conn *c, int open, int64_t limit, int64_t offset,
                          json_t **rows, int64_t *total)
{
    int rc =
        store_q_int(c, total, "SELECT count(*) FROM room_entry WHERE ?1 = 0 OR time_out IS NULL",
                    "i", (int64_t)open);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        ENTRY_COLS "WHERE ?1 = 0 OR e.time_out IS NULL ORDER BY e.id DESC"
                                   " LIMIT ?2 OFFSET ?3",
                        "iii", (int64_t)open, limit, offset);
}

int store_line_use_insert(struct store_conn *c, const struct store_line_use *u, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO line_use(at, line, direction, caller, number, reason,"
                        " emergency, incident_id, recorded_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                        " nullif(?8, 0), ?9)",
                        "isssssiis", u->at, u->line, u->direction, u->caller, u->number, u->reason,
                        (int64_t)u->emergency, u->incident_id, u->recorded_by);
}

int store_line_use_review(struct store_conn *c, int64_t id, const char *by, const char *note,
                          int64_t now)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE line_use SET reviewed_by = ?2, review_note = ?3, reviewed_at ="
                          " ?4 WHERE id = ?1 AND reviewed_at IS NULL",
                          "issi", id, by, note, now);
    if (rc || changes)
        return rc;
    int64_t n = 0;
    rc = store_q_int(c, &n, "SELECT count(*) FROM line_use WHERE id = ?1", "i", id);
    return rc ? rc : n ? -EALREADY : -ENOENT;
}

#define LINE_COLS                                                                                  \
    "SELECT id, at AS \"at:time\", line, direction, caller, number, reason, emergency AS"          \
    " \"emergency:bool\", incident_id, recorded_by, reviewed_by, reviewed_at AS"                   \
    " \"reviewed_at:time\", review_note, (emergency = 0 AND reviewed_at IS NULL) AS"               \
    " \"flagged:bool\" FROM line_use "

int store_line_use_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, LINE_COLS "WHERE id = ?1", "i", id);
}

int store_line_use_list(struct store_conn *c, int flagged, int64_t limit, int64_t offset,
                        json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM line_use WHERE ?1 = 0 OR (emergency = 0 AND"
                         " reviewed_at IS NULL)",
                         "i", (int64_t)flagged);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        LINE_COLS "WHERE ?1 = 0 OR (emergency = 0 AND reviewed_at IS NULL)"
                                  " ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                        "iii", (int64_t)flagged, limit, offset);
}
