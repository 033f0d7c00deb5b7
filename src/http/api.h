/* api.h - the handlers named by the route table (routes.c). Each parses its input, calls one
 * app_* function and renders the result or the error. */
#ifndef VIGIL_API_H
#define VIGIL_API_H

#include "http/http_int.h"

#define API_HANDLER(name) void name(struct http_req *req, struct http_resp *resp)

API_HANDLER(api_healthz);
API_HANDLER(api_metrics);
API_HANDLER(api_session_create);
API_HANDLER(api_session_delete);
API_HANDLER(api_me);
API_HANDLER(api_stream);

API_HANDLER(api_site_get);
API_HANDLER(api_area_list);
API_HANDLER(api_area_create);
API_HANDLER(api_device_list);
API_HANDLER(api_device_create);
API_HANDLER(api_device_patch);
API_HANDLER(api_contact_list);
API_HANDLER(api_contact_create);
API_HANDLER(api_resident_list);
API_HANDLER(api_resident_get);
API_HANDLER(api_resident_create);

API_HANDLER(api_user_list);
API_HANDLER(api_user_create);
API_HANDLER(api_user_patch);
API_HANDLER(api_audit_list);
API_HANDLER(api_audit_verify);

API_HANDLER(api_alarm_create);
API_HANDLER(api_alarm_list);
API_HANDLER(api_incident_list);
API_HANDLER(api_incident_get);
API_HANDLER(api_incident_transition);
API_HANDLER(api_incident_note);
API_HANDLER(api_alarm_map_list);
API_HANDLER(api_alarm_map_set);
API_HANDLER(api_incident_step);
API_HANDLER(api_incident_call);
API_HANDLER(api_handoff_create);
API_HANDLER(api_handoff_list);
API_HANDLER(api_handoff_take);
API_HANDLER(api_handoff_done);
API_HANDLER(api_duty_list);
API_HANDLER(api_duty_add);
API_HANDLER(api_duty_get);
API_HANDLER(api_duty_shifts);
API_HANDLER(api_room_entry_add);
API_HANDLER(api_room_entry_out);
API_HANDLER(api_room_entry_list);
API_HANDLER(api_line_use_add);
API_HANDLER(api_line_use_review);
API_HANDLER(api_line_use_list);
API_HANDLER(api_complaint_create);
API_HANDLER(api_complaint_list);
API_HANDLER(api_complaint_get);
API_HANDLER(api_complaint_assign);
API_HANDLER(api_complaint_resolve);
API_HANDLER(api_complaint_return_visit);
API_HANDLER(api_complaint_stats);
API_HANDLER(api_camera_list);
API_HANDLER(api_camera_get);
API_HANDLER(api_camera_put);
API_HANDLER(api_camera_delete);
API_HANDLER(api_camera_check);
API_HANDLER(api_camera_snapshot);
API_HANDLER(api_handover_start);
API_HANDLER(api_handover_sign);
API_HANDLER(api_handover_force);
API_HANDLER(api_handover_get);
API_HANDLER(api_handover_list);
API_HANDLER(api_handover_preview);
API_HANDLER(api_roster_list);
API_HANDLER(api_roster_add);
API_HANDLER(api_roster_delete);
API_HANDLER(api_coverage);
API_HANDLER(api_training_add);
API_HANDLER(api_training_list);
API_HANDLER(api_clock_in);
API_HANDLER(api_clock_out);
API_HANDLER(api_attendance);
API_HANDLER(api_duty_export);
API_HANDLER(api_retention_get);
API_HANDLER(api_retention_run);
API_HANDLER(api_retention_hold_list);
API_HANDLER(api_retention_hold_place);
API_HANDLER(api_retention_hold_release);
API_HANDLER(api_report_get);
API_HANDLER(api_report_archive_list);
API_HANDLER(api_report_archive_get);
API_HANDLER(api_ticket_create);
API_HANDLER(api_ticket_list);
API_HANDLER(api_ticket_get);
API_HANDLER(api_ticket_assign);
API_HANDLER(api_ticket_repair);
API_HANDLER(api_ticket_verify);
API_HANDLER(api_ticket_reject);
API_HANDLER(api_ticket_close);
API_HANDLER(api_ticket_note);
API_HANDLER(api_device_downtime);
API_HANDLER(api_check_template_list);
API_HANDLER(api_check_template_get);
API_HANDLER(api_check_template_put);
API_HANDLER(api_check_fill);
API_HANDLER(api_check_record_get);
API_HANDLER(api_check_record_list);
API_HANDLER(api_check_due);
API_HANDLER(api_check_calendar);
API_HANDLER(api_pattern_list);
API_HANDLER(api_pattern_add);
API_HANDLER(api_site_pattern_set);
API_HANDLER(api_recording_list);
API_HANDLER(api_recording_get);
API_HANDLER(api_recording_create);
API_HANDLER(api_recording_decide);
API_HANDLER(api_recording_view);
API_HANDLER(api_recording_lend);
API_HANDLER(api_recording_return);
API_HANDLER(api_recording_cancel);
API_HANDLER(api_recording_keep);
API_HANDLER(api_recording_contact);
API_HANDLER(api_roster_generate);
API_HANDLER(api_runstatus_add);
API_HANDLER(api_runstatus_due);
API_HANDLER(api_runstatus_list);
API_HANDLER(api_handover_override);
API_HANDLER(api_people);
API_HANDLER(api_clock_state);
API_HANDLER(api_complaint_counts);
API_HANDLER(api_incident_counts);

#endif
