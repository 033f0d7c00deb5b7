/* routes.c - the route table: every route with the permission it needs. docs/api.md and the
 * matrix in docs/security.md follow this table. */
#include "http/api.h"

#define R(m, p, auth, perm, body, fn)                                                              \
    {                                                                                              \
        m, p, auth, perm, body, fn, #fn                                                            \
    }

const struct route http_routes[] = {
    R("GET", "/healthz", AUTH_PUBLIC, 0, 0, api_healthz),
    R("GET", "/metrics", AUTH_PUBLIC, 0, 0, api_metrics),
    R("POST", "/api/v1/session", AUTH_PUBLIC, 0, 1, api_session_create),
    R("DELETE", "/api/v1/session", AUTH_ANY, 0, 0, api_session_delete),
    R("GET", "/api/v1/me", AUTH_ANY, 0, 0, api_me),
    R("GET", "/api/v1/stream", AUTH_PERM, PERM_STREAM_READ, 0, api_stream),

    R("GET", "/api/v1/site", AUTH_PERM, PERM_SITE_READ, 0, api_site_get),
    R("GET", "/api/v1/areas", AUTH_PERM, PERM_SITE_READ, 0, api_area_list),
    R("POST", "/api/v1/areas", AUTH_PERM, PERM_SITE_WRITE, 1, api_area_create),
    R("GET", "/api/v1/devices", AUTH_PERM, PERM_SITE_READ, 0, api_device_list),
    R("POST", "/api/v1/devices", AUTH_PERM, PERM_SITE_WRITE, 1, api_device_create),
    R("PATCH", "/api/v1/devices/{id}", AUTH_PERM, PERM_DEVICE_STATUS, 1, api_device_patch),
    R("GET", "/api/v1/contacts", AUTH_PERM, PERM_SITE_READ, 0, api_contact_list),
    R("POST", "/api/v1/contacts", AUTH_PERM, PERM_SITE_WRITE, 1, api_contact_create),
    R("GET", "/api/v1/residents", AUTH_PERM, PERM_RESIDENT_READ, 0, api_resident_list),
    R("GET", "/api/v1/residents/{id}", AUTH_PERM, PERM_RESIDENT_READ, 0, api_resident_get),
    R("POST", "/api/v1/residents", AUTH_PERM, PERM_RESIDENT_WRITE, 1, api_resident_create),

    R("GET", "/api/v1/users", AUTH_PERM, PERM_USER_READ, 0, api_user_list),
    R("POST", "/api/v1/users", AUTH_PERM, PERM_USER_WRITE, 1, api_user_create),
    R("PATCH", "/api/v1/users/{id}", AUTH_PERM, PERM_USER_WRITE, 1, api_user_patch),
    R("GET", "/api/v1/audit", AUTH_PERM, PERM_AUDIT_READ, 0, api_audit_list),
    R("GET", "/api/v1/audit/verify", AUTH_PERM, PERM_AUDIT_READ, 0, api_audit_verify),

    R("POST", "/api/v1/alarms", AUTH_PERM, PERM_ALARM_SUBMIT, 1, api_alarm_create),
    R("GET", "/api/v1/alarms", AUTH_PERM, PERM_INCIDENT_READ, 0, api_alarm_list),
    R("GET", "/api/v1/incidents", AUTH_PERM, PERM_INCIDENT_READ, 0, api_incident_list),
    R("GET", "/api/v1/incidents/{id}", AUTH_PERM, PERM_INCIDENT_READ, 0, api_incident_get),
    R("POST", "/api/v1/incidents/{id}/transition", AUTH_PERM, PERM_INCIDENT_HANDLE, 1,
      api_incident_transition),
    R("POST", "/api/v1/incidents/{id}/notes", AUTH_PERM, PERM_INCIDENT_HANDLE, 1,
      api_incident_note),
    R("POST", "/api/v1/incidents/{id}/steps", AUTH_PERM, PERM_INCIDENT_HANDLE, 1,
      api_incident_step),
    R("POST", "/api/v1/incidents/{id}/calls", AUTH_PERM, PERM_INCIDENT_HANDLE, 1,
      api_incident_call),
    R("POST", "/api/v1/handoffs", AUTH_PERM, PERM_INCIDENT_HANDLE, 1, api_handoff_create),
    R("GET", "/api/v1/handoffs", AUTH_PERM, PERM_INCIDENT_READ, 0, api_handoff_list),
    R("POST", "/api/v1/handoffs/{id}/take", AUTH_PERM, PERM_HANDOFF_TAKE, 0, api_handoff_take),
    R("POST", "/api/v1/handoffs/{id}/done", AUTH_PERM, PERM_HANDOFF_TAKE, 1, api_handoff_done),
    R("GET", "/api/v1/duty-log", AUTH_PERM, PERM_DUTY_READ, 0, api_duty_list),
    R("POST", "/api/v1/duty-log", AUTH_PERM, PERM_DUTY_WRITE, 1, api_duty_add),
    R("GET", "/api/v1/duty-log/export", AUTH_PERM, PERM_DUTY_READ, 0, api_duty_export),
    R("GET", "/api/v1/duty-log/{id}", AUTH_PERM, PERM_DUTY_READ, 0, api_duty_get),
    R("GET", "/api/v1/room-entries", AUTH_PERM, PERM_REGISTER_READ, 0, api_room_entry_list),
    R("POST", "/api/v1/room-entries", AUTH_PERM, PERM_REGISTER_WRITE, 1, api_room_entry_add),
    R("POST", "/api/v1/room-entries/{id}/out", AUTH_PERM, PERM_REGISTER_WRITE, 0,
      api_room_entry_out),
    R("GET", "/api/v1/line-uses", AUTH_PERM, PERM_REGISTER_READ, 0, api_line_use_list),
    R("POST", "/api/v1/line-uses", AUTH_PERM, PERM_REGISTER_WRITE, 1, api_line_use_add),
    R("POST", "/api/v1/line-uses/{id}/review", AUTH_PERM, PERM_LINE_REVIEW, 1, api_line_use_review),
    R("GET", "/api/v1/complaints", AUTH_PERM, PERM_COMPLAINT_READ, 0, api_complaint_list),
    R("POST", "/api/v1/complaints", AUTH_PERM, PERM_COMPLAINT_WRITE, 1, api_complaint_create),
    R("GET", "/api/v1/complaints/stats", AUTH_PERM, PERM_COMPLAINT_READ, 0, api_complaint_stats),
    R("GET", "/api/v1/complaints/{id}", AUTH_PERM, PERM_COMPLAINT_READ, 0, api_complaint_get),
    R("POST", "/api/v1/complaints/{id}/assign", AUTH_PERM, PERM_COMPLAINT_WRITE, 1,
      api_complaint_assign),
    R("POST", "/api/v1/complaints/{id}/resolve", AUTH_PERM, PERM_COMPLAINT_WRITE, 1,
      api_complaint_resolve),
    R("POST", "/api/v1/complaints/{id}/return-visit", AUTH_PERM, PERM_COMPLAINT_WRITE, 1,
      api_complaint_return_visit),
    R("GET", "/api/v1/alarm-map", AUTH_PERM, PERM_SITE_READ, 0, api_alarm_map_list),
    R("PUT", "/api/v1/alarm-map", AUTH_PERM, PERM_SITE_WRITE, 1, api_alarm_map_set),
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];
