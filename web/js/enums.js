// Enumerations from docs/api.md (display order).

export const AREA_KINDS = ['building', 'floor', 'garage', 'lobby', 'elevator', 'perimeter', 'gate', 'control_room', 'public'];
export const DEVICE_KINDS = ['camera', 'fire_panel', 'fire_detector', 'infrared_detector', 'elevator_controller', 'intercom', 'gate_terminal', 'alarm_line'];
export const DEVICE_STATUSES = ['normal', 'fault', 'offline', 'maintenance', 'disabled'];
export const CONTACT_ROLES = ['shift_leader', 'supervisor', 'manager', 'engineering', 'elevator_company', 'fire', 'police', 'ambulance'];
export const ROLES = ['operator', 'shift_leader', 'supervisor', 'manager', 'engineer', 'elevator_tech', 'guard', 'auditor', 'admin'];
