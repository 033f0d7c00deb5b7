/* store_handover.c - SQL for handovers. */
#include "store/store_handover.h"

#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>

int store_handover_facts(struct store_conn *c, int64_t now, json_t **summary)
{
    json_t *counts = NULL, *incidents = NULL, *faults = NULL, *visitors = NULL;
    int rc = store_q_row(
        c, &counts,
        "SELECT (SELECT count(*) FROM incident WHERE state <> 'closed') AS open_incidents,"
        " (SELECT count(*) FROM incident WHERE state = 'new') AS unacknowledged,"
        " (SELECT count(*) FROM device WHERE status IN ('fault','offline')) AS faulty_devices,"
        " (SELECT count(*) FROM room_entry WHERE time_out IS NULL) AS visitors_in_room,"
        " (SELECT count(*) FROM complaint WHERE state IN ('open','in_progress')) AS"
        " open_complaints,"
        " (SELECT count(*) FROM complaint WHERE state IN ('open','in_progress') AND due_at < ?1)"
        " AS overdue_complaints,"
        " (SELECT count(*) FROM complaint WHERE state = 'resolved') AS return_visits_due,"
        " (SELECT count(*) FROM line_use WHERE emergency = 0 AND reviewed_at IS NULL) AS"
        " line_uses_unreviewed,"
        " (SELECT count(*) FROM handoff WHERE done_at IS NULL) AS open_handoffs",
        "i", now);
    if (!rc)
        rc = store_q_rows(c, &incidents,
                          "SELECT id, type, priority, state, title FROM incident WHERE state <>"
                          " 'closed' ORDER BY priority, id LIMIT 50",
                          "");
    if (!rc)
        rc = store_q_rows(c, &faults,
                          "SELECT d.id, d.name, d.status, a.name AS area_name FROM device d JOIN"
                          " area a ON a.id = d.area_id WHERE d.status IN ('fault','offline')"
                          " ORDER BY d.id LIMIT 50",
                          "");
    if (!rc)
        rc = store_q_rows(c, &visitors,
                          "SELECT id, name, organisation, purpose, time_in AS \"time_in:time\""
                          " FROM room_entry WHERE time_out IS NULL ORDER BY id",
                          "");
    if (rc) {
        json_decref(counts);
        json_decref(incidents);
        json_decref(faults);
        json_decref(visitors);
        return rc;
    }
    *summary = json_pack("{so so so so}", "counts", counts, "open_incidents", incidents,
                         "faulty_devices", faults, "visitors_in_room", visitors);
    return 0;
}

int store_handover_insert(struct store_conn *c, int64_t now, const char *outgoing,
                          const char *summary, const char *note, int controls_auto, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO handover(started_at, outgoing, summary, note, controls_auto,"
                        " out_signed_at, state) VALUES(?1, ?2, ?3, coalesce(?4, ''), ?5, ?1,"
                        " 'pending')",
                        "isssi", now, outgoing, summary, note, (int64_t)controls_auto);
}

int store_handover_state(struct store_conn *c, int64_t id, char *state, size_t sn, char *outgoing,
                         size_t on)
{
    json_t *row = NULL;
    int rc = store_q_row(c, &row, "SELECT state, outgoing FROM handover WHERE id = ?1", "i", id);
    if (rc)
        return rc;
    snprintf(state, sn, "%s", json_string_value(json_object_get(row, "state")));
    snprintf(outgoing, on, "%s", json_string_value(json_object_get(row, "outgoing")));
    json_decref(row);
    return 0;
}

int store_handover_sign_in(struct store_conn *c, int64_t id, const char *incoming, int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE handover SET incoming = ?2, in_signed_at = ?3, state = 'signed'"
                        " WHERE id = ?1",
                        "isi", id, incoming, now);
}

int store_handover_force(struct store_conn *c, int64_t id, const char *by, const char *reason,
                         int64_t now)
{
    return store_q_exec(c, NULL, NULL,
                        "UPDATE handover SET forced_by = ?2, force_reason = ?3, in_signed_at ="
                        " ?4, state = 'forced' WHERE id = ?1",
                        "issi", id, by, reason, now);
}

#define HANDOVER_COLS                                                                              \
    "SELECT h.id, h.started_at AS \"started_at:time\", h.outgoing, o.display_name AS"              \
    " outgoing_name, h.incoming, i.display_name AS incoming_name, h.summary, h.note,"              \
    " h.controls_auto AS \"controls_auto:bool\", h.out_signed_at AS \"out_signed_at:time\","       \
    " h.in_signed_at AS \"in_signed_at:time\", h.forced_by, h.force_reason, h.override_by,"        \
    " h.override_reason, h.override_at AS \"override_at:time\", h.override_staffed, h.state FROM"  \
    " handover h LEFT JOIN user o ON o.username = h.outgoing LEFT JOIN user i ON i.username ="     \
    " h.incoming "

int store_handover_get(struct store_conn *c, int64_t id, json_t **row)
{
    return store_q_row(c, row, HANDOVER_COLS "WHERE h.id = ?1", "i", id);
}

int store_handover_list(struct store_conn *c, int pending, int64_t limit, int64_t offset,
                        json_t **rows, int64_t *total)
{
    int rc = store_q_int(c, total,
                         "SELECT count(*) FROM handover WHERE ?1 = 0 OR state ="
                         " 'pending'",
                         "i", (int64_t)pending);
    if (rc)
        return rc;
    return store_q_rows(c, rows,
                        HANDOVER_COLS "WHERE ?1 = 0 OR h.state = 'pending' ORDER BY h.id DESC"
                                      " LIMIT ?2 OFFSET ?3",
                        "iii", (int64_t)pending, limit, offset);
}
