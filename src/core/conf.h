/* conf.h - the configuration table and its file format.
 *
 * Format: one `key = value` per line; `#` starts a comment; blank lines are ignored; values
 * may be double-quoted. Every key has a default (see conf_table in conf.c, also printed by
 * `vigild --print-config-help` and listed in docs/configuration.md). An unknown key, a bad
 * value or a duplicate key is an error naming the key and the line. */
#ifndef VIGIL_CONF_H
#define VIGIL_CONF_H

#include <stddef.h>
#include <stdio.h>

#define CONF_STR_MAX 256
#define CONF_LIST_MAX 256

/* A key that may be given several times (one entry per line). */
struct conf_list {
    int n;
    char v[CONF_LIST_MAX][CONF_STR_MAX];
};

struct conf {
    char http_listen[CONF_STR_MAX];
    char http_web_root[CONF_STR_MAX];
    long http_max_body;
    long http_max_connections;
    char site_timezone[CONF_STR_MAX];
    long session_idle_timeout;
    long session_max_lifetime;
    long login_max_failures;
    long login_lockout_base;
    long login_lockout_max;
    long argon2_memlimit_kib;
    long argon2_opslimit;
    char log_level[CONF_STR_MAX];
    long sse_heartbeat;
    long sse_ring_size;
    long store_busy_timeout_ms;
    long store_readers;
    char dc09_listen[CONF_STR_MAX];
    long dc09_window_past;
    long dc09_window_future;
    long dc09_max_connections;
    long dc09_idle_timeout;
    struct conf_list dc09_accounts;
    long alarm_supervision_grace;
    char alarm_checklist_dir[CONF_STR_MAX];
    long escalation_ack_p1, escalation_ack_p2, escalation_ack_p3, escalation_ack_p4;
    long escalation_entrapment_minutes;
    char escalation_webhook_url[CONF_STR_MAX];
    long escalation_webhook_timeout;
    long duty_min_operators;
    long duty_max_shift_hours;
    char duty_required_training[CONF_STR_MAX];
    long duty_attendance_grace;
    char retention_profile[CONF_STR_MAX];
    char retention_run_at[CONF_STR_MAX];
    long retention_batch;
    /* Per-type overrides of the profile's period ("" = the profile's): see app/retention.c. */
    char retention_duty_log[CONF_STR_MAX], retention_incident[CONF_STR_MAX],
        retention_alarm[CONF_STR_MAX], retention_complaint[CONF_STR_MAX],
        retention_handover[CONF_STR_MAX], retention_room_entry[CONF_STR_MAX],
        retention_recording_request[CONF_STR_MAX], retention_line_use[CONF_STR_MAX],
        retention_handoff[CONF_STR_MAX], retention_attendance[CONF_STR_MAX],
        retention_roster[CONF_STR_MAX], retention_training[CONF_STR_MAX],
        retention_audit[CONF_STR_MAX], retention_ticket[CONF_STR_MAX],
        retention_check_record[CONF_STR_MAX], retention_report[CONF_STR_MAX],
        retention_camera_history[CONF_STR_MAX];
    char report_schedule[CONF_STR_MAX];
    char report_schedule_at[CONF_STR_MAX];
    long report_catch_up_days;
    long ticket_due_fault, ticket_due_check_failure, ticket_due_camera_health, ticket_due_urgent;
    long ticket_escalate_major_after;
    char check_sheet_dir[CONF_STR_MAX];
    long camera_enabled;
    long camera_max_in_flight;
    long camera_max_snapshot_bytes;
    long camera_workers;
    long duty_status_interval;
    long duty_opening_check;
    long recording_keep_days;
    char recording_cut_at[CONF_STR_MAX];
    char complaint_due_hours[CONF_STR_MAX];
    long complaint_due_default, complaint_due_urgent, complaint_due_major;
    long complaint_return_visit_hours;
};

/* The hours a complaint of category may take (complaint.due_hours, else
 * complaint.due_hours_default). */
long conf_complaint_due_hours(const struct conf *c, const char *category);

/* Fills c with every key's default. */
void conf_defaults(struct conf *c);

/* Parses a config text of len bytes into c (which should hold defaults first). On error
 * returns -EINVAL and writes a message naming the line and key into err (size errsz). */
int conf_parse(struct conf *c, const char *text, size_t len, char *err, size_t errsz);

/* Reads and parses the file at path. Returns 0, -EINVAL (message in err) or -errno when the
 * file cannot be read. */
int conf_load_file(struct conf *c, const char *path, char *err, size_t errsz);

/* Sets one key from a string, validating it like the parser. Returns 0 or -EINVAL/-ENOENT. */
int conf_set(struct conf *c, const char *key, const char *value, char *err, size_t errsz);

/* A retention period: "Ny" (years) or "Nm" (months), at least one year. OUT *months (0 for "",
 * which means the profile's period). Returns 0, -ERANGE when shorter than a year, or -EINVAL. */
int conf_period_months(const char *v, int *months);

/* Writes the documented list of keys, defaults and ranges to f. */
void conf_print_help(FILE *f);

#endif
