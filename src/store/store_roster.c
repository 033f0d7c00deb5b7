/* store_roster.c - SQL for roster, training and attendance. */
#include "store/store_roster.h"

#include "store/store_int.h"

#include <errno.h>

int store_slot_insert(struct store_conn *c, const char *username, int64_t start, int64_t end,
                      const char *note, const char *by, int64_t *id)
{
    return store_q_exec(c, id, NULL,
                        "INSERT INTO roster_slot(username, start_at, end_at, note, created_by)"
                        " VALUES(?1, ?2, ?3, ?4, ?5)",
                        "siiss", username, start, end, note, by);
}

int store_slot_overlaps(struct store_conn *c, const char *username, int64_t start, int64_t end,
                        int64_t *count)
{
    return store_q_int(c, count,
                       "SELECT count(*) FROM roster_slot WHERE username = ?1 AND start_at < ?3"
                       " AND end_at > ?2",
                       "sii", username, start, end);
}

int store_slot_delete(struct store_conn *c, int64_t id)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes, "DELETE FROM roster_slot WHERE id = ?1", "i", id);
    return rc ? rc : changes ? 0 : -ENOENT;
}

int store_slot_list(struct store_conn *c, int64_t from, int64_t to, const char *required,
                    json_t **rows)
{
    /* required is "a,b,c": a course counts when ',' || required || ',' contains it. */
    return store_q_rows(
        c, rows,
        "SELECT s.id, s.username, u.display_name, u.role, s.start_at AS \"start:time\","
        " s.end_at AS \"end:time\", s.start_at AS start_ms, s.end_at AS end_ms, s.note,"
        " (SELECT count(DISTINCT t.course) FROM training_record t WHERE t.username ="
        " s.username AND t.attended_at <= s.start_at AND t.expires_at > s.start_at AND"
        " instr(',' || ?3 || ',', ',' || t.course || ',') > 0) = (length(?3) -"
        " length(replace(?3, ',', '')) + (length(?3) > 0)) AS \"trained:bool\","
        " (SELECT group_concat(course) FROM (SELECT t.course FROM training_record t WHERE"
        " t.username = s.username AND t.attended_at <= s.start_at GROUP BY t.course HAVING"
        " max(t.expires_at) <= s.start_at ORDER BY t.course)) AS expired_courses FROM"
        " roster_slot s LEFT JOIN user u ON u.username = s.username WHERE s.start_at < ?2"
        " AND s.end_at > ?1 ORDER BY s.start_at, s.id",
        "iis", from, to, required);
}

int store_training_insert(struct store_conn *c, const char *username, const char *course,
                          int64_t area_id, int64_t attended, int64_t expires, const char *by,
                          int64_t *id)
{
    int64_t n = 0;
    int rc =
        area_id ? store_q_int(c, &n, "SELECT count(*) FROM area WHERE id = ?1", "i", area_id) : 0;
    if (!rc && area_id && !n)
        return -EINVAL;
    return rc ? rc
              : store_q_exec(c, id, NULL,
                             "INSERT INTO training_record(username, course, attended_at,"
                             " expires_at, recorded_by, area_id) VALUES(?1, ?2, ?3, ?4, ?5,"
                             " nullif(?6, 0))",
                             "ssiisi", username, course, attended, expires, by, area_id);
}

int store_training_list(struct store_conn *c, const char *username, int64_t area_id, int64_t now,
                        json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT t.id, t.username, t.course, t.area_id, a.name AS area_name,"
                        " t.attended_at AS \"attended_at:time\", t.expires_at AS"
                        " \"expires_at:time\", t.expires_at <= ?2 AS \"expired:bool\","
                        " t.recorded_by FROM training_record t LEFT JOIN area a ON a.id ="
                        " t.area_id WHERE (?1 IS NULL OR t.username = ?1) AND (?3 = 0 OR (?3 ="
                        " -1 AND t.area_id IS NULL) OR t.area_id = ?3) ORDER BY t.username,"
                        " t.course, t.expires_at DESC",
                        "sii", username, now, area_id);
}

int store_clock_in(struct store_conn *c, const char *username, int64_t now, int64_t *id)
{
    return store_q_exec(c, id, NULL, "INSERT INTO attendance(username, clock_in) VALUES(?1, ?2)",
                        "si", username, now);
}

int store_clock_out(struct store_conn *c, const char *username, int64_t now)
{
    int changes = 0;
    int rc = store_q_exec(c, NULL, &changes,
                          "UPDATE attendance SET clock_out = ?2 WHERE username = ?1 AND"
                          " clock_out IS NULL",
                          "si", username, now);
    return rc ? rc : changes ? 0 : -ENOENT;
}

int store_attendance_list(struct store_conn *c, int64_t from, int64_t to, json_t **rows)
{
    return store_q_rows(c, rows,
                        "SELECT id, username, clock_in AS \"clock_in:time\", clock_out AS"
                        " \"clock_out:time\", clock_in AS in_ms, coalesce(clock_out, 0) AS out_ms"
                        " FROM attendance WHERE clock_in < ?2 AND coalesce(clock_out, ?2) > ?1"
                        " ORDER BY clock_in",
                        "ii", from, to);
}
