/* store_desk.h - SQL for the duty desk's second part: shift patterns, running-status entries,
 * the handover override, people lists, clock-in state and counts by state. */
#ifndef VIGIL_STORE_DESK_H
#define VIGIL_STORE_DESK_H

#include "store/store.h"

struct store_pattern {
    int64_t id;
    int first_start; /* minute of the local day the first shift starts */
    int shifts, hours;
};
int store_pattern_list(struct store_conn *c, json_t **rows);
/* -ENOENT when there is no such pattern. */
int store_pattern_get(struct store_conn *c, int64_t id, struct store_pattern *out);
/* The site's pattern: the one chosen (store_site_pattern_set), else the first one defined (the
 * seeded 3 x 8 h). -ENOENT when none. */
int store_pattern_default(struct store_conn *c, struct store_pattern *out);
/* Makes pattern_id the site's pattern; -ENOENT when there is no site yet. */
int store_site_pattern_set(struct store_conn *c, int64_t pattern_id);
/* -EEXIST when the name is taken. */
int store_pattern_insert(struct store_conn *c, const char *name, int first_start, int shifts,
                         int hours, const char *by, int64_t now, int64_t *id);

struct store_runstatus {
    int64_t at, duty_log_id;
    const char *author, *fire_controller, *power, *faults, *note;
    int linkage_auto, recording;
};
int store_runstatus_insert(struct store_conn *c, const struct store_runstatus *r, int64_t *id);
/* Entries with from <= at < to, oldest first (at most 20000). */
int store_runstatus_list(struct store_conn *c, int64_t from, int64_t to, json_t **rows);
/* OUT *at of the latest entry before `before`, 0 when none. */
int store_runstatus_last(struct store_conn *c, int64_t before, int64_t *at);

/* Records a leader's override on a pending handover. */
int store_handover_override(struct store_conn *c, int64_t id, const char *by, const char *reason,
                            int staffed, int64_t now);
/* OUT *overridden: 1 when the handover carries an override. */
int store_handover_overridden(struct store_conn *c, int64_t id, int *overridden);

/* OUT *at: when the last completed handover was completed (0 when none). */
int store_handover_last_done(struct store_conn *c, int64_t *at);

/* Active users whose role is in roles (a comma list): username, display_name, role. */
int store_people_list(struct store_conn *c, const char *roles, json_t **rows);
/* OUT *row {clock_in} of the open attendance of username, or -ENOENT. */
int store_clock_open(struct store_conn *c, const char *username, json_t **row);

/* {"open":n,"in_progress":n,"resolved":n,"closed":n,"overdue":n} at now. */
int store_complaint_counts(struct store_conn *c, int64_t now, json_t **row);
/* {state: n} for every incident state, and "open" (not closed). */
int store_incident_counts(struct store_conn *c, json_t **row);

#endif
