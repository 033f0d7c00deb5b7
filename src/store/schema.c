/* schema.c - versioned migrations, applied in order at start (PRAGMA user_version).
 *
 * Never edit a shipped migration: add a new one. Every table is STRICT; times are INTEGER ms
 * since the epoch, UTC. */
#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>

static const char migration_1[] =
    "CREATE TABLE site("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 200),"
    " address TEXT NOT NULL DEFAULT '',"
    " timezone TEXT NOT NULL,"
    " created_at INTEGER NOT NULL) STRICT;"

    "CREATE TABLE area("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES site(id),"
    " parent_id INTEGER REFERENCES area(id),"
    " kind TEXT NOT NULL CHECK(kind IN ('building','floor','garage','lobby','elevator',"
    "  'perimeter','gate','control_room','public')),"
    " name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 200),"
    " code TEXT UNIQUE,"
    " building TEXT,"
    " floor INTEGER,"
    " elevator_no TEXT,"
    " created_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX area_parent ON area(parent_id);"

    "CREATE TABLE device("
    " id INTEGER PRIMARY KEY,"
    " area_id INTEGER NOT NULL REFERENCES area(id),"
    " kind TEXT NOT NULL CHECK(kind IN ('camera','fire_panel','fire_detector',"
    "  'infrared_detector','elevator_controller','intercom','gate_terminal','alarm_line')),"
    " name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 200),"
    " code TEXT UNIQUE,"
    " address TEXT,"
    " status TEXT NOT NULL DEFAULT 'normal' CHECK(status IN ('normal','fault','offline',"
    "  'maintenance','disabled')),"
    " status_changed_at INTEGER,"
    " created_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX device_area ON device(area_id);"

    "CREATE TABLE user("
    " id INTEGER PRIMARY KEY,"
    " username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " display_name TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK(role IN ('operator','shift_leader','supervisor','manager',"
    "  'engineer','elevator_tech','guard','auditor','admin')),"
    " pw_hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0,1)),"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL) STRICT;"

    "CREATE TABLE session("
    " token_hash BLOB PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES user(id),"
    " created_at INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX session_user ON session(user_id);"

    "CREATE TABLE login_failure("
    " username TEXT PRIMARY KEY COLLATE NOCASE,"
    " failures INTEGER NOT NULL,"
    " locked_until INTEGER NOT NULL,"
    " last_at INTEGER NOT NULL) STRICT;"

    "CREATE TABLE apikey("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " key_hash BLOB NOT NULL UNIQUE,"
    " perms TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " revoked_at INTEGER,"
    " last_used_at INTEGER) STRICT;"

    "CREATE TABLE resident("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES site(id),"
    " unit TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " phone TEXT NOT NULL,"
    " phone2 TEXT,"
    " note TEXT,"
    " created_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX resident_unit ON resident(unit);"

    "CREATE TABLE contact("
    " id INTEGER PRIMARY KEY,"
    " site_id INTEGER NOT NULL REFERENCES site(id),"
    " scope TEXT NOT NULL CHECK(scope IN ('internal','external')),"
    " role TEXT NOT NULL CHECK(role IN ('shift_leader','supervisor','manager','engineering',"
    "  'elevator_company','fire','police','ambulance','other')),"
    " name TEXT NOT NULL,"
    " phone TEXT NOT NULL,"
    " note TEXT,"
    " created_at INTEGER NOT NULL) STRICT;"

    /* The audit trail: hash-chained, append-only. The triggers make a casual UPDATE/DELETE
     * through SQL fail; a determined edit of the file is caught by `vigilctl audit verify`. */
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " object TEXT NOT NULL,"
    " summary TEXT NOT NULL,"
    " prev_hash BLOB NOT NULL,"
    " hash BLOB NOT NULL) STRICT;"
    "CREATE INDEX audit_action ON audit(action);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;"

    /* The head of the chain, so removing the newest records is detected too. */
    "CREATE TABLE audit_head("
    " one INTEGER PRIMARY KEY CHECK(one = 1),"
    " last_id INTEGER NOT NULL,"
    " last_hash BLOB NOT NULL) STRICT;";

/* Version 2: alarm reception and incidents (R2.2, R3.3, R3.4.5, R3.4.6, S6). */
static const char migration_2[] =
    /* Alarm accounts: panels (DC-09 account numbers) and integrations. heartbeat_s > 0 asks for
     * supervision: silence past it opens a communication-failure incident. */
    "CREATE TABLE alarm_account("
    " account TEXT PRIMARY KEY,"
    " name TEXT NOT NULL DEFAULT '',"
    " heartbeat_s INTEGER NOT NULL DEFAULT 0 CHECK(heartbeat_s >= 0),"
    " last_seen INTEGER,"
    " missing INTEGER NOT NULL DEFAULT 0 CHECK(missing IN (0,1))) STRICT;"

    /* account + zone -> where it is. zone '*' is the account's default. */
    "CREATE TABLE alarm_map("
    " id INTEGER PRIMARY KEY,"
    " account TEXT NOT NULL,"
    " zone TEXT NOT NULL DEFAULT '*',"
    " device_id INTEGER REFERENCES device(id),"
    " area_id INTEGER REFERENCES area(id),"
    " type TEXT CHECK(type IN ('fire','smoke_heat','intrusion','panic','elevator','trouble',"
    "  'tamper','comm_failure','other')),"
    " note TEXT,"
    " UNIQUE(account, zone)) STRICT;"

    "CREATE TABLE incident("
    " id INTEGER PRIMARY KEY,"
    " type TEXT NOT NULL CHECK(type IN ('fire','smoke_heat','intrusion','panic','elevator',"
    "  'trouble','tamper','comm_failure','other')),"
    " priority INTEGER NOT NULL CHECK(priority BETWEEN 1 AND 5),"
    " state TEXT NOT NULL CHECK(state IN ('new','acknowledged','dispatched','verified',"
    "  'resolved','reset','closed')),"
    " verdict TEXT CHECK(verdict IN ('real','false','test')),"
    " account TEXT,"
    " zone TEXT,"
    " area_id INTEGER REFERENCES area(id),"
    " device_id INTEGER REFERENCES device(id),"
    " unmapped INTEGER NOT NULL DEFAULT 0 CHECK(unmapped IN (0,1)),"
    " title TEXT NOT NULL,"
    " source TEXT NOT NULL,"
    " alarm_count INTEGER NOT NULL DEFAULT 0,"
    " opened_at INTEGER NOT NULL,"
    " last_alarm_at INTEGER,"
    " updated_at INTEGER NOT NULL,"
    " acked_at INTEGER, acked_by TEXT,"
    " closed_at INTEGER) STRICT;"
    "CREATE INDEX incident_open ON incident(account, zone, type) WHERE state <> 'closed';"
    "CREATE INDEX incident_state ON incident(state, priority, opened_at);"

    /* Every message received, append-only. digest = SHA-256/128 of the message content (token,
     * account, data) so a retransmission (same account, seq and content) is recognised. */
    "CREATE TABLE alarm("
    " id INTEGER PRIMARY KEY,"
    " received_at INTEGER NOT NULL,"
    " protocol TEXT NOT NULL,"
    " account TEXT NOT NULL,"
    " receiver TEXT,"
    " line TEXT,"
    " seq INTEGER,"
    " code TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK(kind IN ('event','restore','status','test','log',"
    "  'supervision')),"
    " zone TEXT,"
    " partition TEXT,"
    " text TEXT,"
    " event_time INTEGER,"
    " digest BLOB NOT NULL,"
    " source TEXT NOT NULL,"
    " incident_id INTEGER REFERENCES incident(id)) STRICT;"
    "CREATE INDEX alarm_retx ON alarm(account, seq, received_at);"
    "CREATE INDEX alarm_incident ON alarm(incident_id);"
    "CREATE TRIGGER alarm_no_update BEFORE UPDATE ON alarm"
    " BEGIN SELECT RAISE(ABORT, 'received alarms are append-only'); END;"
    "CREATE TRIGGER alarm_no_delete BEFORE DELETE ON alarm"
    " BEGIN SELECT RAISE(ABORT, 'received alarms are append-only'); END;"

    /* The incident's timeline: transitions, notes, calls, escalations, repeats. */
    "CREATE TABLE incident_event("
    " id INTEGER PRIMARY KEY,"
    " incident_id INTEGER NOT NULL REFERENCES incident(id),"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " from_state TEXT,"
    " to_state TEXT,"
    " note TEXT) STRICT;"
    "CREATE INDEX incident_event_incident ON incident_event(incident_id, id);";

/* Version 3: checklists, escalations with a delivery queue, hand-offs to posts (R2.2, R3.4.5,
 * R3.4.6, R3.4.15). */
static const char migration_3[] =
    "CREATE TABLE incident_step("
    " incident_id INTEGER NOT NULL REFERENCES incident(id),"
    " step TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK(status IN ('done','skipped')),"
    " reason TEXT,"
    " facts TEXT,"
    " actor TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " PRIMARY KEY(incident_id, step)) STRICT;"

    /* One row per escalation; the webhook worker delivers them and survives restarts. */
    "CREATE TABLE escalation("
    " id INTEGER PRIMARY KEY,"
    " incident_id INTEGER NOT NULL REFERENCES incident(id),"
    " level TEXT NOT NULL CHECK(level IN ('shift_leader','major')),"
    " reason TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " delivered_at INTEGER,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_at INTEGER NOT NULL,"
    " last_error TEXT,"
    " UNIQUE(incident_id, level)) STRICT;"
    "CREATE INDEX escalation_pending ON escalation(next_attempt_at) WHERE delivered_at IS NULL;"

    "ALTER TABLE incident ADD COLUMN injured INTEGER NOT NULL DEFAULT 0;"

    /* R3.4.15: a finding passed to the guard at a post, and when it was taken up. */
    "CREATE TABLE handoff("
    " id INTEGER PRIMARY KEY,"
    " incident_id INTEGER REFERENCES incident(id),"
    " area_id INTEGER NOT NULL REFERENCES area(id),"
    " text TEXT NOT NULL,"
    " created_by TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " taken_by TEXT,"
    " taken_at INTEGER,"
    " result TEXT,"
    " done_at INTEGER) STRICT;";

/* Version 4: the duty log (R3.4.11, R4.1): append-only; a mistake is corrected by an amending
 * entry that points at the original. */
static const char migration_4[] =
    "CREATE TABLE duty_log("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " author TEXT NOT NULL,"
    " category TEXT NOT NULL CHECK(category IN ('routine','abnormal','equipment','alarm',"
    "  'visitor','complaint','handover','other')),"
    " text TEXT NOT NULL CHECK(length(text) BETWEEN 1 AND 4000),"
    " incident_id INTEGER REFERENCES incident(id),"
    " device_id INTEGER REFERENCES device(id),"
    " amends_id INTEGER REFERENCES duty_log(id),"
    " auto INTEGER NOT NULL DEFAULT 0 CHECK(auto IN (0,1))) STRICT;"
    "CREATE INDEX duty_log_at ON duty_log(at);"
    "CREATE TRIGGER duty_log_no_update BEFORE UPDATE ON duty_log"
    " BEGIN SELECT RAISE(ABORT, 'the duty log is append-only'); END;"
    "CREATE TRIGGER duty_log_no_delete BEFORE DELETE ON duty_log"
    " BEGIN SELECT RAISE(ABORT, 'the duty log is append-only'); END;";

/* Version 5: the control-room entry register (R3.4.12) and the alarm-line / fire-telephone log
 * (R3.4.10). */
static const char migration_5[] =
    "CREATE TABLE room_entry("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 64),"
    " organisation TEXT NOT NULL DEFAULT '',"
    " purpose TEXT NOT NULL CHECK(length(purpose) BETWEEN 1 AND 500),"
    " authorised_by TEXT NOT NULL,"
    " registered_by TEXT NOT NULL,"
    " time_in INTEGER NOT NULL,"
    " time_out INTEGER,"
    " out_by TEXT) STRICT;"
    "CREATE INDEX room_entry_open ON room_entry(time_in) WHERE time_out IS NULL;"

    "CREATE TABLE line_use("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " line TEXT NOT NULL CHECK(line IN ('fire_phone','alarm_line')),"
    " direction TEXT NOT NULL CHECK(direction IN ('out','in')),"
    " caller TEXT NOT NULL CHECK(length(caller) BETWEEN 1 AND 64),"
    " number TEXT NOT NULL CHECK(length(number) BETWEEN 1 AND 32),"
    " reason TEXT NOT NULL CHECK(length(reason) BETWEEN 1 AND 500),"
    " emergency INTEGER NOT NULL CHECK(emergency IN (0,1)),"
    " incident_id INTEGER REFERENCES incident(id),"
    " recorded_by TEXT NOT NULL,"
    " reviewed_by TEXT,"
    " reviewed_at INTEGER,"
    " review_note TEXT) STRICT;";

/* Version 6: complaints and inquiries with feedback and return visits (R3.4.7, S7); escalations
 * may now belong to a complaint as well as to an incident (one mechanism, one queue). */
static const char migration_6[] =
    "CREATE TABLE complaint("
    " id INTEGER PRIMARY KEY,"
    " opened_at INTEGER NOT NULL,"
    " channel TEXT NOT NULL CHECK(channel IN ('phone','intercom','walk_in','other')),"
    " resident_id INTEGER REFERENCES resident(id),"
    " unit TEXT NOT NULL CHECK(length(unit) BETWEEN 1 AND 32),"
    " contact_name TEXT NOT NULL CHECK(length(contact_name) BETWEEN 1 AND 64),"
    " contact_phone TEXT,"
    " category TEXT NOT NULL CHECK(category IN ('security','noise','facilities','parking',"
    "  'hygiene','neighbour','service','other')),"
    " description TEXT NOT NULL CHECK(length(description) BETWEEN 1 AND 4000),"
    " urgency TEXT NOT NULL CHECK(urgency IN ('normal','urgent','major')),"
    " assignee TEXT,"
    " due_at INTEGER NOT NULL,"
    " state TEXT NOT NULL CHECK(state IN ('open','in_progress','resolved','closed')),"
    " result TEXT,"
    " result_at INTEGER,"
    " result_by TEXT,"
    " return_visit_due INTEGER,"
    " return_visit_at INTEGER,"
    " return_visit_by TEXT,"
    " satisfaction INTEGER CHECK(satisfaction BETWEEN 1 AND 5),"
    " return_visit_note TEXT,"
    " created_by TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX complaint_state ON complaint(state, due_at);"

    "CREATE TABLE escalation_v6("
    " id INTEGER PRIMARY KEY,"
    " incident_id INTEGER REFERENCES incident(id),"
    " complaint_id INTEGER REFERENCES complaint(id),"
    " level TEXT NOT NULL CHECK(level IN ('shift_leader','major')),"
    " reason TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " delivered_at INTEGER,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_at INTEGER NOT NULL,"
    " last_error TEXT,"
    " CHECK((incident_id IS NULL) <> (complaint_id IS NULL)),"
    " UNIQUE(incident_id, level),"
    " UNIQUE(complaint_id, level)) STRICT;"
    "INSERT INTO escalation_v6(id, incident_id, level, reason, created_at, delivered_at,"
    " attempts, next_attempt_at, last_error) SELECT id, incident_id, level, reason, created_at,"
    " delivered_at, attempts, next_attempt_at, last_error FROM escalation;"
    "DROP TABLE escalation;"
    "ALTER TABLE escalation_v6 RENAME TO escalation;"
    "CREATE INDEX escalation_pending ON escalation(next_attempt_at) WHERE delivered_at IS NULL;";

/* Version 7: shift handover with both signatures (S2, R3.1). */
static const char migration_7[] =
    "CREATE TABLE handover("
    " id INTEGER PRIMARY KEY,"
    " started_at INTEGER NOT NULL,"
    " outgoing TEXT NOT NULL,"
    " incoming TEXT,"
    " summary TEXT NOT NULL,"
    " note TEXT NOT NULL DEFAULT '',"
    " controls_auto INTEGER NOT NULL CHECK(controls_auto IN (0,1)),"
    " out_signed_at INTEGER NOT NULL,"
    " in_signed_at INTEGER,"
    " forced_by TEXT,"
    " force_reason TEXT,"
    " state TEXT NOT NULL CHECK(state IN ('pending','signed','forced'))) STRICT;"
    "CREATE UNIQUE INDEX handover_one_pending ON handover(state) WHERE state = 'pending';"
    /* A signed or forced handover is immutable. */
    "CREATE TRIGGER handover_frozen BEFORE UPDATE ON handover WHEN old.state <> 'pending'"
    " BEGIN SELECT RAISE(ABORT, 'a signed handover cannot change'); END;"
    "CREATE TRIGGER handover_no_delete BEFORE DELETE ON handover"
    " BEGIN SELECT RAISE(ABORT, 'handovers are kept'); END;";

/* Version 8: roster, training records and attendance (S1, S3, S8, R2.1, R3.4.14). */
static const char migration_8[] =
    "CREATE TABLE roster_slot("
    " id INTEGER PRIMARY KEY,"
    " username TEXT NOT NULL,"
    " start_at INTEGER NOT NULL,"
    " end_at INTEGER NOT NULL,"
    " note TEXT,"
    " created_by TEXT NOT NULL,"
    " CHECK(end_at > start_at)) STRICT;"
    "CREATE INDEX roster_time ON roster_slot(start_at, end_at);"
    "CREATE TABLE training_record("
    " id INTEGER PRIMARY KEY,"
    " username TEXT NOT NULL,"
    " course TEXT NOT NULL CHECK(course IN ('system_operation','fire_knowledge',"
    "  'security_awareness')),"
    " attended_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL,"
    " recorded_by TEXT NOT NULL,"
    " CHECK(expires_at > attended_at)) STRICT;"
    "CREATE INDEX training_user ON training_record(username, course, expires_at);"
    "CREATE TABLE attendance("
    " id INTEGER PRIMARY KEY,"
    " username TEXT NOT NULL,"
    " clock_in INTEGER NOT NULL,"
    " clock_out INTEGER) STRICT;"
    "CREATE UNIQUE INDEX attendance_open ON attendance(username) WHERE clock_out IS NULL;";

/* Retention (R4.1-R4.7 one year, S5): legal holds, the record of each retention run, the signed
 * checkpoints that replace the removed head of the audit chain, and the retention gate. The
 * append-only triggers of the audit trail, the duty log, received alarms and handovers still
 * refuse every DELETE, except inside the retention job's own transaction, which sets the gate row
 * before it deletes and clears it before the transaction ends (app/retention.c); the gate is never
 * visible to another connection. */
static const char migration_retention[] =
    "CREATE TABLE retention_gate("
    " one INTEGER PRIMARY KEY CHECK(one = 1),"
    " opened_at INTEGER NOT NULL) STRICT;"

    "DROP TRIGGER audit_no_delete;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " WHEN NOT EXISTS (SELECT 1 FROM retention_gate)"
    " BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;"
    "DROP TRIGGER duty_log_no_delete;"
    "CREATE TRIGGER duty_log_no_delete BEFORE DELETE ON duty_log"
    " WHEN NOT EXISTS (SELECT 1 FROM retention_gate)"
    " BEGIN SELECT RAISE(ABORT, 'the duty log is append-only'); END;"
    "DROP TRIGGER alarm_no_delete;"
    "CREATE TRIGGER alarm_no_delete BEFORE DELETE ON alarm"
    " WHEN NOT EXISTS (SELECT 1 FROM retention_gate)"
    " BEGIN SELECT RAISE(ABORT, 'received alarms are append-only'); END;"
    "DROP TRIGGER handover_no_delete;"
    "CREATE TRIGGER handover_no_delete BEFORE DELETE ON handover"
    " WHEN NOT EXISTS (SELECT 1 FROM retention_gate)"
    " BEGIN SELECT RAISE(ABORT, 'handovers are kept'); END;"

    /* One signed checkpoint per removal of audit records: records first_id..last_id were removed,
     * the last of them had hash last_hash. signature = Ed25519 over the canonical encoding
     * (docs/retention.md) by the key whose public half is pubkey. */
    "CREATE TABLE audit_checkpoint("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " first_id INTEGER NOT NULL,"
    " last_id INTEGER NOT NULL,"
    " removed INTEGER NOT NULL,"
    " last_hash BLOB NOT NULL,"
    " pubkey BLOB NOT NULL,"
    " signature BLOB NOT NULL) STRICT;"
    "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint"
    " BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;"
    "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint"
    " BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;"

    /* A legal hold keeps a record (and, for an incident or a complaint, its dependents) past its
     * period until released. */
    "CREATE TABLE legal_hold("
    " id INTEGER PRIMARY KEY,"
    " record_type TEXT NOT NULL CHECK(record_type IN ('duty_log','incident','alarm',"
    "  'complaint','handover','room_entry','line_use','handoff','attendance','roster',"
    "  'training','audit','check_record','ticket','report','camera_history')),"
    " record_id INTEGER NOT NULL CHECK(record_id > 0),"
    " reason TEXT NOT NULL CHECK(length(reason) BETWEEN 1 AND 500),"
    " placed_by TEXT NOT NULL,"
    " placed_at INTEGER NOT NULL,"
    " released_by TEXT,"
    " released_at INTEGER) STRICT;"
    "CREATE UNIQUE INDEX legal_hold_active ON legal_hold(record_type, record_id)"
    " WHERE released_at IS NULL;"

    "CREATE TABLE retention_run("
    " id INTEGER PRIMARY KEY,"
    " started_at INTEGER NOT NULL,"
    " finished_at INTEGER NOT NULL,"
    " as_of TEXT NOT NULL CHECK(length(as_of) = 10),"
    " trigger TEXT NOT NULL CHECK(trigger IN ('schedule','manual')),"
    " actor TEXT NOT NULL,"
    " dry_run INTEGER NOT NULL CHECK(dry_run IN (0,1)),"
    " outcome TEXT NOT NULL CHECK(outcome IN ('ok','failed')),"
    " removed INTEGER NOT NULL,"
    " held INTEGER NOT NULL,"
    " detail TEXT NOT NULL CHECK(substr(detail, 1, 1) = '{'),"
    " error TEXT) STRICT;"
    "CREATE INDEX retention_run_as_of ON retention_run(trigger, as_of);"

    /* What the job's candidate queries and the "still referenced" checks look up. */
    "CREATE INDEX retention_incident_closed ON incident(closed_at) WHERE state = 'closed';"
    "CREATE INDEX retention_complaint_closed ON complaint(updated_at) WHERE state = 'closed';"
    "CREATE INDEX retention_alarm_unlinked ON alarm(received_at) WHERE incident_id IS NULL;"
    "CREATE INDEX retention_line_use_at ON line_use(at);"
    "CREATE INDEX retention_duty_log_incident ON duty_log(incident_id);"
    "CREATE INDEX retention_duty_log_amends ON duty_log(amends_id);"
    "CREATE INDEX retention_line_use_incident ON line_use(incident_id);"
    "CREATE INDEX retention_handoff_incident ON handoff(incident_id);";

/* Equipment care (branch maint): check-sheet templates and records (R4.2-R4.7, R3.1), fault
 * tickets with their timeline (S4, R2.3, R3.2, R3.4.4,
 * R3.4.13), the duty log links a ticket, escalations may name a ticket (the queue is rebuilt as
 * migration 6 did for complaints). */
static const char migration_maint[] =
    /* Check-sheet templates, one row per version (a record keeps the version it was filled
     * against); body is the template's JSON. */
    "CREATE TABLE check_template("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL CHECK(length(code) BETWEEN 1 AND 64),"
    " version INTEGER NOT NULL CHECK(version >= 1),"
    " recurrence TEXT NOT NULL CHECK(recurrence IN ('daily','weekly','monthly','quarterly',"
    "  'yearly')),"
    " clause TEXT NOT NULL,"
    " name_zh TEXT NOT NULL,"
    " name_en TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " created_by TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " UNIQUE(code, version)) STRICT;"
    "CREATE TRIGGER check_template_frozen BEFORE UPDATE ON check_template"
    " BEGIN SELECT RAISE(ABORT, 'a template version never changes: add a new one'); END;"

    /* A filled sheet: who signed it, when, for which period, each item's answer (JSON). */
    "CREATE TABLE check_record("
    " id INTEGER PRIMARY KEY,"
    " template_id INTEGER NOT NULL REFERENCES check_template(id),"
    " code TEXT NOT NULL,"
    " period_start INTEGER NOT NULL,"
    " period_end INTEGER NOT NULL,"
    " filled_by TEXT NOT NULL,"
    " filled_at INTEGER NOT NULL,"
    " result TEXT NOT NULL CHECK(result IN ('pass','fail')),"
    " failed_items INTEGER NOT NULL CHECK(failed_items >= 0),"
    " note TEXT,"
    " answers TEXT NOT NULL,"
    " CHECK(period_end > period_start)) STRICT;"
    "CREATE UNIQUE INDEX check_record_period ON check_record(code, period_start);"
    "CREATE TRIGGER check_record_frozen BEFORE UPDATE ON check_record"
    " BEGIN SELECT RAISE(ABORT, 'a signed check sheet never changes'); END;"

    "CREATE TABLE ticket("
    " id INTEGER PRIMARY KEY,"
    " device_id INTEGER REFERENCES device(id),"
    " kind TEXT NOT NULL CHECK(kind IN ('fault','check_failure','camera_health')),"
    " priority TEXT NOT NULL CHECK(priority IN ('normal','urgent')),"
    " title TEXT NOT NULL CHECK(length(title) BETWEEN 1 AND 200),"
    " detail TEXT CHECK(detail IS NULL OR length(detail) <= 4000),"
    " state TEXT NOT NULL CHECK(state IN ('reported','assigned','repaired','verified','closed')),"
    " reported_by TEXT NOT NULL,"
    " reported_at INTEGER NOT NULL,"
    " due_at INTEGER NOT NULL,"
    " assignee_kind TEXT CHECK(assignee_kind IN ('engineer','elevator_tech','outside')),"
    " assignee TEXT,"
    " assignee_company TEXT,"
    " assigned_at INTEGER,"
    " repair_result TEXT CHECK(repair_result IN ('repaired','replaced')),"
    " repair_note TEXT,"
    " repaired_by TEXT,"
    " repaired_at INTEGER,"
    " verified_by TEXT,"
    " verified_at INTEGER,"
    " closed_by TEXT,"
    " closed_at INTEGER,"
    " check_record_id INTEGER REFERENCES check_record(id),"
    " incident_id INTEGER REFERENCES incident(id),"
    " updated_at INTEGER NOT NULL,"
    " CHECK(verified_at IS NULL OR verified_at >= reported_at)) STRICT;"
    "CREATE INDEX ticket_state ON ticket(state, due_at);"
    "CREATE INDEX ticket_device ON ticket(device_id, reported_at);"
    /* At most one open ticket of a kind per device (app_ticket_open_in returns it). */
    "CREATE UNIQUE INDEX ticket_one_open ON ticket(device_id, kind)"
    " WHERE state <> 'closed' AND device_id IS NOT NULL;"

    "CREATE TABLE ticket_event("
    " id INTEGER PRIMARY KEY,"
    " ticket_id INTEGER NOT NULL REFERENCES ticket(id),"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " action TEXT NOT NULL CHECK(action IN ('reported','assigned','repaired','verified',"
    "  'rejected','closed','note','escalated')),"
    " from_state TEXT,"
    " to_state TEXT,"
    " note TEXT CHECK(note IS NULL OR length(note) <= 4000)) STRICT;"
    "CREATE INDEX ticket_event_ticket ON ticket_event(ticket_id, id);"
    /* The tickets a record's failed items opened (or found already open). */
    "CREATE TABLE check_ticket("
    " record_id INTEGER NOT NULL REFERENCES check_record(id),"
    " item TEXT NOT NULL,"
    " ticket_id INTEGER NOT NULL REFERENCES ticket(id),"
    " PRIMARY KEY(record_id, item)) STRICT;"
    "CREATE INDEX check_ticket_ticket ON check_ticket(ticket_id);"
    "CREATE TRIGGER ticket_event_no_update BEFORE UPDATE ON ticket_event"
    " BEGIN SELECT RAISE(ABORT, 'the ticket timeline is append-only'); END;"

    "ALTER TABLE duty_log ADD COLUMN ticket_id INTEGER REFERENCES ticket(id);"

    "CREATE TABLE escalation_maint("
    " id INTEGER PRIMARY KEY,"
    " incident_id INTEGER REFERENCES incident(id),"
    " complaint_id INTEGER REFERENCES complaint(id),"
    " ticket_id INTEGER REFERENCES ticket(id),"
    " level TEXT NOT NULL CHECK(level IN ('shift_leader','major')),"
    " reason TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " delivered_at INTEGER,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_at INTEGER NOT NULL,"
    " last_error TEXT,"
    " CHECK((incident_id IS NOT NULL) + (complaint_id IS NOT NULL) + (ticket_id IS NOT NULL) = 1),"
    " UNIQUE(incident_id, level),"
    " UNIQUE(complaint_id, level),"
    " UNIQUE(ticket_id, level)) STRICT;"
    "INSERT INTO escalation_maint(id, incident_id, complaint_id, level, reason, created_at,"
    " delivered_at, attempts, next_attempt_at, last_error) SELECT id, incident_id, complaint_id,"
    " level, reason, created_at, delivered_at, attempts, next_attempt_at, last_error FROM"
    " escalation;"
    "DROP TABLE escalation;"
    "ALTER TABLE escalation_maint RENAME TO escalation;"
    "CREATE INDEX escalation_pending ON escalation(next_attempt_at) WHERE delivered_at IS NULL;";

/* Reports for superiors (R3.4.9): the archive of generated reports, one per kind and period, and
 * the indexes the report queries need. */
static const char migration_reports[] =
    "CREATE TABLE report("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK(kind IN ('daily','weekly','monthly')),"
    " period_start INTEGER NOT NULL,"
    " period_end INTEGER NOT NULL,"
    " label TEXT NOT NULL CHECK(length(label) BETWEEN 1 AND 32),"
    " generated_at INTEGER NOT NULL,"
    " generated_by TEXT NOT NULL,"
    " data TEXT NOT NULL,"
    " CHECK(period_end > period_start),"
    " UNIQUE(kind, period_start)) STRICT;"
    "CREATE INDEX report_period ON report(period_start);"
    "CREATE INDEX alarm_received ON alarm(received_at);"
    "CREATE INDEX incident_opened ON incident(opened_at);"
    "CREATE INDEX complaint_opened ON complaint(opened_at);";

/* Camera health (S4: clarity and stability): per-camera snapshot configuration, thresholds and
 * health state (one row per configured camera), the last thumbnail, and the transitions. */
static const char migration_camera[] =
    "CREATE TABLE camera("
    " device_id INTEGER PRIMARY KEY REFERENCES device(id),"
    " url TEXT NOT NULL CHECK(length(url) BETWEEN 10 AND 1000),"
    " auth TEXT NOT NULL DEFAULT 'none' CHECK(auth IN ('none','basic','digest')),"
    " username TEXT, password TEXT,"
    " interval_s INTEGER NOT NULL DEFAULT 60 CHECK(interval_s BETWEEN 1 AND 86400),"
    " timeout_ms INTEGER NOT NULL DEFAULT 5000 CHECK(timeout_ms BETWEEN 100 AND 60000),"
    " persist INTEGER NOT NULL DEFAULT 3 CHECK(persist BETWEEN 1 AND 100),"
    " enabled INTEGER NOT NULL DEFAULT 1 CHECK(enabled IN (0,1)),"
    " sharpness_min REAL NOT NULL, dark_mean REAL NOT NULL, bright_mean REAL NOT NULL,"
    " clip_max REAL NOT NULL, covered_stddev REAL NOT NULL, frozen_tol REAL NOT NULL,"
    " frozen_k INTEGER NOT NULL CHECK(frozen_k BETWEEN 2 AND 100),"
    " state TEXT NOT NULL DEFAULT 'unknown' CHECK(state IN ('unknown','ok','offline','blurred',"
    "  'dark','overexposed','frozen','covered')),"
    " verdict TEXT CHECK(verdict IN ('ok','offline','blurred','dark','overexposed','frozen',"
    "  'covered')),"
    " detail TEXT,"
    " streak INTEGER NOT NULL DEFAULT 0,"
    " state_since INTEGER,"
    " ticket_id INTEGER REFERENCES ticket(id), incident_id INTEGER REFERENCES incident(id),"
    " checks INTEGER NOT NULL DEFAULT 0,"
    " last_check_at INTEGER, last_ok_at INTEGER,"
    " metrics TEXT,"
    " fp BLOB, same INTEGER NOT NULL DEFAULT 0,"
    " next_check_at INTEGER NOT NULL DEFAULT 0,"
    " thumb BLOB, thumb_at INTEGER,"
    " updated_at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX camera_due ON camera(next_check_at) WHERE enabled = 1;"
    "CREATE TABLE camera_history("
    " id INTEGER PRIMARY KEY,"
    " device_id INTEGER NOT NULL REFERENCES device(id),"
    " at INTEGER NOT NULL,"
    " from_state TEXT NOT NULL,"
    " to_state TEXT NOT NULL CHECK(to_state IN ('unknown','ok','offline','blurred','dark',"
    "  'overexposed','frozen','covered')),"
    " detail TEXT,"
    " ticket_id INTEGER REFERENCES ticket(id),"
    " incident_id INTEGER REFERENCES incident(id)) STRICT;"
    "CREATE INDEX camera_history_device ON camera_history(device_id, id);";

/* Duty desk, second part (issue 4): shift patterns for roster generation (S1), the leader's
 * override when a shift opens below the minimum (S1, S2), the periodic running-status entry of
 * the equipment (GB 25201-2010 5.2, R3.4.11), who assigned a complaint and when (R3.4.7). */
static const char migration_duty[] =
    "CREATE TABLE shift_pattern("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE CHECK(length(name) BETWEEN 1 AND 32),"
    " first_start INTEGER NOT NULL CHECK(first_start BETWEEN 0 AND 1439),"
    " shifts INTEGER NOT NULL CHECK(shifts BETWEEN 1 AND 6),"
    " hours INTEGER NOT NULL CHECK(hours BETWEEN 1 AND 24),"
    " created_by TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " CHECK(shifts * hours = 24)) STRICT;"
    "INSERT INTO shift_pattern(name, first_start, shifts, hours, created_by, created_at)"
    " VALUES('3x8', 480, 3, 8, 'system', 0), ('2x12', 480, 2, 12, 'system', 0);"

    "ALTER TABLE handover ADD COLUMN override_by TEXT;"
    "ALTER TABLE handover ADD COLUMN override_reason TEXT;"
    "ALTER TABLE handover ADD COLUMN override_at INTEGER;"
    "ALTER TABLE handover ADD COLUMN override_staffed INTEGER;"

    "CREATE TABLE running_status("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " author TEXT NOT NULL,"
    " duty_log_id INTEGER NOT NULL REFERENCES duty_log(id),"
    " fire_controller TEXT NOT NULL CHECK(fire_controller IN ('normal','fault')),"
    " linkage_auto INTEGER NOT NULL CHECK(linkage_auto IN (0,1)),"
    " power TEXT NOT NULL CHECK(power IN ('main','backup')),"
    " recording INTEGER NOT NULL CHECK(recording IN (0,1)),"
    " faults TEXT NOT NULL DEFAULT '' CHECK(length(faults) <= 1000),"
    " note TEXT NOT NULL DEFAULT '' CHECK(length(note) <= 1000)) STRICT;"
    "CREATE INDEX running_status_at ON running_status(at);"
    "CREATE TRIGGER running_status_no_update BEFORE UPDATE ON running_status"
    " BEGIN SELECT RAISE(ABORT, 'the duty log is append-only'); END;"
    /* Removed only with its duty-log entry, by the retention job (app/retention.c). */
    "CREATE TRIGGER running_status_no_delete BEFORE DELETE ON running_status"
    " WHEN NOT EXISTS (SELECT 1 FROM retention_gate)"
    " BEGIN SELECT RAISE(ABORT, 'the duty log is append-only'); END;"

    "ALTER TABLE complaint ADD COLUMN assigned_at INTEGER;"
    "ALTER TABLE complaint ADD COLUMN assigned_by TEXT;"
    "UPDATE complaint SET assigned_at = opened_at, assigned_by = created_by"
    " WHERE assignee IS NOT NULL;";

/* perf: the alarm table again, with its kind CHECK written as comparisons. SQLite evaluates a
 * CHECK's "x IN (more than two constants)" by building a temporary b-tree on every INSERT, which
 * was the most expensive single step of storing an alarm; the comparisons accept exactly the same
 * values. The rebuild keeps every row, index and trigger as they were. */
static const char migration_perf[] =
    "CREATE TABLE alarm_perf("
    " id INTEGER PRIMARY KEY,"
    " received_at INTEGER NOT NULL,"
    " protocol TEXT NOT NULL,"
    " account TEXT NOT NULL,"
    " receiver TEXT,"
    " line TEXT,"
    " seq INTEGER,"
    " code TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK(kind = 'event' OR kind = 'restore' OR kind = 'status' OR"
    "  kind = 'test' OR kind = 'log' OR kind = 'supervision'),"
    " zone TEXT,"
    " partition TEXT,"
    " text TEXT,"
    " event_time INTEGER,"
    " digest BLOB NOT NULL,"
    " source TEXT NOT NULL,"
    " incident_id INTEGER REFERENCES incident(id)) STRICT;"
    "INSERT INTO alarm_perf(id, received_at, protocol, account, receiver, line, seq, code, kind,"
    " zone, partition, text, event_time, digest, source, incident_id) SELECT id, received_at,"
    " protocol, account, receiver, line, seq, code, kind, zone, partition, text, event_time,"
    " digest, source, incident_id FROM alarm;"
    "DROP TABLE alarm;"
    "ALTER TABLE alarm_perf RENAME TO alarm;"
    "CREATE INDEX alarm_retx ON alarm(account, seq, received_at);"
    "CREATE INDEX alarm_incident ON alarm(incident_id);"
    "CREATE INDEX alarm_received ON alarm(received_at);"
    "CREATE INDEX retention_alarm_unlinked ON alarm(received_at) WHERE incident_id IS NULL;"
    "CREATE TRIGGER alarm_no_update BEFORE UPDATE ON alarm"
    " BEGIN SELECT RAISE(ABORT, 'received alarms are append-only'); END;"
    "CREATE TRIGGER alarm_no_delete BEFORE DELETE ON alarm"
    " WHEN NOT EXISTS (SELECT 1 FROM retention_gate)"
    " BEGIN SELECT RAISE(ABORT, 'received alarms are append-only'); END;";
/* Review fixes (branch fix2): a ticket's title in English beside the stored one, for titles the
 * daemon composes from bilingual sources (a failed check item: the sheet's and item's names);
 * NULL for a title a person typed and for tickets opened before. */
static const char migration_fix2[] =
    "ALTER TABLE ticket ADD COLUMN title_en TEXT"
    " CHECK(title_en IS NULL OR length(title_en) BETWEEN 1 AND 200);";
/* Duty desk, third part (branch desk3): each duty-log entry records the shift it was written in
 * (the author's roster slot covering it, else the period of the site's shift pattern; NULL for
 * entries written before), for the log per shift (R3.4.11); a training record may name the area
 * whose fire system the person was trained on (fire alarm knowledge per area, S3; NULL = the
 * whole site). */
static const char migration_desk3[] =
    "ALTER TABLE duty_log ADD COLUMN shift_start INTEGER;"
    "ALTER TABLE duty_log ADD COLUMN shift_end INTEGER"
    " CHECK(shift_end IS NULL OR (shift_start IS NOT NULL AND shift_end > shift_start));"
    "CREATE INDEX duty_log_shift ON duty_log(shift_start, at);"
    "ALTER TABLE training_record ADD COLUMN area_id INTEGER REFERENCES area(id);";
/* The site's shift pattern (S1, R3.4.11): the duty-log entries written outside any roster slot
 * (and the system's) take the period of this pattern; NULL = the first pattern defined (the
 * seeded 3 x 8 h), as before. A site working 2 x 12 h chooses it. */
static const char migration_sitepattern[] =
    "ALTER TABLE site ADD COLUMN shift_pattern_id INTEGER REFERENCES shift_pattern(id);";
/* The recording access register (R3.4.2, R3.4.3): a request to view or borrow recorded footage
 * (who asks, for what, which cameras and period), the manager's decision, then the viewing or
 * the loan and its return; every step stamped. expires_at: when the oldest part of that footage
 * is overwritten (kept recording.keep_days, the daily cut at recording.cut_at). */
static const char migration_recordings[] =
    "CREATE TABLE recording_request("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK(kind = 'view' OR kind = 'lend'),"
    " state TEXT NOT NULL CHECK(state = 'requested' OR state = 'approved' OR state = 'refused'"
    "  OR state = 'viewed' OR state = 'lent' OR state = 'returned' OR state = 'cancelled'"
    "  OR state = 'kept'),"
    " requester_name TEXT NOT NULL CHECK(length(requester_name) BETWEEN 1 AND 64),"
    " requester_org TEXT NOT NULL DEFAULT '' CHECK(length(requester_org) <= 100),"
    " requester_id TEXT CHECK(requester_id IS NULL OR length(requester_id) <= 32),"
    " phone TEXT CHECK(phone IS NULL OR length(phone) <= 20),"
    " purpose TEXT NOT NULL CHECK(length(purpose) BETWEEN 1 AND 500),"
    " area_id INTEGER REFERENCES area(id),"
    " cameras TEXT NOT NULL CHECK(length(cameras) BETWEEN 1 AND 200),"
    " footage_from INTEGER NOT NULL,"
    " footage_to INTEGER NOT NULL CHECK(footage_to > footage_from),"
    " expires_at INTEGER NOT NULL,"
    " recorded_by TEXT NOT NULL,"
    " recorded_at INTEGER NOT NULL,"
    " decided_by TEXT, decided_at INTEGER, decision_note TEXT,"
    " viewed_by TEXT, viewed_at INTEGER, view_note TEXT,"
    " lent_by TEXT, lent_at INTEGER,"
    " medium TEXT CHECK(medium IS NULL OR medium = 'usb' OR medium = 'disc' OR medium = 'other'),"
    " copy_ref TEXT CHECK(copy_ref IS NULL OR length(copy_ref) BETWEEN 1 AND 64),"
    " due_back INTEGER,"
    " returned_by TEXT, returned_at INTEGER, return_note TEXT,"
    " cancelled_by TEXT, cancelled_at INTEGER, cancel_note TEXT,"
    " kept_by TEXT, kept_at INTEGER, keep_note TEXT,"
    " CHECK(state <> 'lent' OR (lent_at IS NOT NULL AND due_back IS NOT NULL))) STRICT;"
    "CREATE INDEX recording_request_state ON recording_request(state, id);"
    "CREATE TRIGGER recording_request_no_delete BEFORE DELETE ON recording_request"
    " WHEN NOT EXISTS (SELECT 1 FROM retention_gate)"
    " BEGIN SELECT RAISE(ABORT, 'the recording register is append-only'); END;";

/* The recording register under the retention policy (R3.4.3 records, kept a year once closed):
 * legal_hold's CHECK learns the type. SQLite cannot change a CHECK, so the table is rebuilt with
 * every row, as it was, and its index. */
static const char migration_rechold[] =
    "CREATE TABLE legal_hold_new("
    " id INTEGER PRIMARY KEY,"
    " record_type TEXT NOT NULL CHECK(record_type IN ('duty_log','incident','alarm',"
    "  'complaint','handover','room_entry','line_use','handoff','attendance','roster',"
    "  'training','audit','check_record','ticket','report','camera_history',"
    "  'recording_request')),"
    " record_id INTEGER NOT NULL CHECK(record_id > 0),"
    " reason TEXT NOT NULL CHECK(length(reason) BETWEEN 1 AND 500),"
    " placed_by TEXT NOT NULL,"
    " placed_at INTEGER NOT NULL,"
    " released_by TEXT,"
    " released_at INTEGER) STRICT;"
    "INSERT INTO legal_hold_new SELECT id, record_type, record_id, reason, placed_by, placed_at,"
    " released_by, released_at FROM legal_hold;"
    "DROP TABLE legal_hold;"
    "ALTER TABLE legal_hold_new RENAME TO legal_hold;"
    "CREATE UNIQUE INDEX legal_hold_active ON legal_hold(record_type, record_id)"
    " WHERE released_at IS NULL;";

const char *const store_migrations[] = {
    migration_1,           migration_2,          migration_3,         migration_4,
    migration_5,           migration_6,          migration_7,         migration_8,
    migration_maint,       migration_reports,    migration_retention, migration_camera,
    migration_duty,        migration_perf,       migration_fix2,      migration_desk3,
    migration_sitepattern, migration_recordings, migration_rechold};

const int store_nmigrations = (int)(sizeof store_migrations / sizeof store_migrations[0]);

static int read_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *s = NULL;
    int rc = -EIO;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        *version = sqlite3_column_int(s, 0);
        rc = 0;
    }
    sqlite3_finalize(s);
    return rc;
}

int store_migrate(sqlite3 *db, char *err, size_t errsz)
{
    int version = 0, rc = 0;
    /* The version is read inside the write transaction so two processes starting on a fresh
     * data directory (vigild and vigilctl) cannot both apply the same migration. */
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "cannot lock the database: %s", sqlite3_errmsg(db));
        return -EBUSY;
    }
    if (read_version(db, &version)) {
        snprintf(err, errsz, "cannot read the schema version: %s", sqlite3_errmsg(db));
        rc = -EIO;
        goto out;
    }
    if (version > store_nmigrations) {
        snprintf(err, errsz,
                 "the database schema is version %d but this vigil knows only up to %d; "
                 "run a newer vigil (or restore a backup made by this version)",
                 version, store_nmigrations);
        rc = -EPROTO;
        goto out;
    }
    for (int v = version; v < store_nmigrations; v++) {
        char setv[64];
        snprintf(setv, sizeof setv, "PRAGMA user_version=%d", v + 1);
        if (sqlite3_exec(db, store_migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, setv, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, errsz, "migration %d failed: %s", v + 1, sqlite3_errmsg(db));
            rc = -EIO;
            goto out;
        }
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "migration failed to commit: %s", sqlite3_errmsg(db));
        rc = -EIO;
    }
out:
    if (rc)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
