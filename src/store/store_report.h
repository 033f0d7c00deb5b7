/* store_report.h - the aggregation queries of the reports for superiors (R3.4.9) and the archive
 * of generated reports. Every query covers the half-open period [from, to) in ms UTC; the app
 * (app/report.c) computes the period from the site's local calendar. All OUT JSON values are new
 * references the caller decrefs. */
#ifndef VIGIL_STORE_REPORT_H
#define VIGIL_STORE_REPORT_H

#include "store/store.h"

/* Devices that existed before to: [{id, name, kind, status (now), created_at, area}]. */
int store_report_devices(struct store_conn *c, int64_t to, json_t **rows);
/* Device status changes recorded in the audit trail before to, oldest first:
 * [{device_id, at, status}]. */
int store_report_device_changes(struct store_conn *c, int64_t to, json_t **rows);

/* Alarm messages of kind "event" received in [from, to). */
int store_report_alarm_count(struct store_conn *c, int64_t from, int64_t to, int64_t *n);
/* The same by the type of the incident they were routed to ("other" when none):
 * [{type, alarms}], most first. */
int store_report_alarms_by_type(struct store_conn *c, int64_t from, int64_t to, json_t **rows);
/* The same by the incident's area: [{area_id (null = unmapped), area, alarms}], most first. */
int store_report_alarms_by_area(struct store_conn *c, int64_t from, int64_t to, json_t **rows);
/* Incidents opened in [from, to) by type with their verdicts:
 * [{type, incidents, real, false_alarms, tests}]. */
int store_report_incidents_by_type(struct store_conn *c, int64_t from, int64_t to, json_t **rows);
/* Incidents opened in [from, to) with their response instants (ms or null):
 * [{id, type, priority, opened_at, acked_at, dispatched_at, closed_at}]; dispatched_at is the
 * first transition to "dispatched". */
int store_report_response(struct store_conn *c, int64_t from, int64_t to, json_t **rows);

/* Complaints: {received (opened in the period), closed (return visit in the period), overdue
 * (at `at`: opened and due before it and no result by then), visits, avg_satisfaction,
 * s1..s5 (return visits by satisfaction)}. */
int store_report_complaints(struct store_conn *c, int64_t from, int64_t to, int64_t at,
                            json_t **row);
/* ms from opening to closing (the return visit) of the complaints closed in [from, to). */
int store_report_complaint_close_times(struct store_conn *c, int64_t from, int64_t to,
                                       json_t **rows);
/* Duty desk: {handovers, signed, forced, pending (started in the period), room_entries
 * (entered in the period), room_open_at_end, line_uses, emergency, non_emergency,
 * non_emergency_unreviewed}. */
int store_report_duty(struct store_conn *c, int64_t from, int64_t to, json_t **row);

/* Fault tickets (branch maint's ticket table): {opened, closed, repaired (in the period),
 * open_at_end, overdue_at_end (`end`: not repaired by then and past due), fault, check_failure,
 * camera_health (opened, by kind)}. */
int store_report_tickets(struct store_conn *c, int64_t from, int64_t to, int64_t end, json_t **row);
/* Each ticket's time out of service clipped to [from, end): reported until verified (or end):
 * [{device_id, name, area, start, end}] ordered by device and start. */
int store_report_ticket_intervals(struct store_conn *c, int64_t from, int64_t end, json_t **rows);

/* The site's creation time (0 when there is no site yet). */
int store_report_site_created(struct store_conn *c, int64_t *at);

/* ---- the archive ---- */
struct store_report_row {
    const char *kind, *label, *generated_by, *data; /* data: the report's JSON text */
    int64_t period_start, period_end, generated_at;
};
/* -EEXIST when a report of this kind and period is already stored. OUT *id. */
int store_report_insert(struct store_conn *c, const struct store_report_row *r, int64_t *id);
/* 1 when a report of kind starting at period_start is stored, else 0 (negative on error). */
int store_report_exists(struct store_conn *c, const char *kind, int64_t period_start);
/* Newest period first, without the data: [{id, kind, label, period_start, period_end,
 * generated_at, generated_by}]; kind NULL = all. */
int store_report_list(struct store_conn *c, const char *kind, int64_t limit, int64_t offset,
                      json_t **rows, int64_t *total);
/* One stored report with its data as text in "data". -ENOENT when there is none. */
int store_report_get(struct store_conn *c, int64_t id, json_t **row);

#endif
