// Page registry: order = navigation order. `perm` is the permission the page
// needs (docs/api.md); entries the user may not open are not shown. The first
// page the user may open is the start page: the alarm console (报警台) for
// everyone with incident.read. `detail` is the page for #/ID/SUB (one record;
// for the duty log, its printable sheet #/duty-log/print).

import alarms from './alarms.js';
import incidents from './incidents.js';
import incident from './incident.js';
import overview from './overview.js';
import areas from './areas.js';
import contacts from './contacts.js';
import residents from './residents.js';
import users from './users.js';
import audit from './audit.js';
import dutyLog from './duty-log.js';
import dutyPrint from './duty-print.js';
import handover from './handover.js';
import complaints from './complaints.js';
import complaint from './complaint.js';
import handoffs from './handoffs.js';
import roomEntries from './room-entries.js';
import lineUses from './line-uses.js';
import recordings, { recordingPage } from './recordings.js';
import roster from './roster.js';
import training from './training.js';
import attendance from './attendance.js';
import retention from './retention.js';
import reports from './reports.js';
import equipment from './equipment.js';
import checks from './checks.js';
import checkFill from './check-fill.js';
import tickets from './tickets.js';
import ticket from './ticket.js';
import cameras from './cameras.js';

export const PAGES = [
  { id: 'alarms', perm: 'incident.read', icon: 'bell', section: 'alarm', render: alarms, badge: true },
  { id: 'incidents', perm: 'incident.read', icon: 'history', section: 'alarm', render: incidents, detail: { id: 'incident', render: incident } },
  { id: 'handoffs', perm: 'incident.read', icon: 'guard', section: 'alarm', render: handoffs, badge: true },
  { id: 'duty-log', perm: 'duty.read', icon: 'dutylog', section: 'duty', render: dutyLog, detail: { id: 'duty-log-print', render: dutyPrint } },
  { id: 'handover', perm: 'duty.read', icon: 'handover', section: 'duty', render: handover },
  { id: 'complaints', perm: 'complaint.read', icon: 'complaint', section: 'duty', render: complaints, detail: { id: 'complaint', render: complaint } },
  { id: 'room-entries', perm: 'register.read', icon: 'door', section: 'duty', render: roomEntries },
  { id: 'line-uses', perm: 'register.read', icon: 'phone', section: 'duty', render: lineUses },
  { id: 'recordings', perm: 'recording.read', icon: 'archive', section: 'duty', render: recordings, detail: { id: 'recording', render: recordingPage } },
  { id: 'roster', perm: 'duty.read', icon: 'calendar', section: 'duty', render: roster },
  { id: 'training', perm: 'duty.read', icon: 'training', section: 'duty', render: training },
  { id: 'attendance', perm: 'duty.read', icon: 'clockin', section: 'duty', render: attendance },
  { id: 'overview', perm: 'site.read', icon: 'overview', section: 'monitor', render: overview },
  { id: 'equipment', perm: 'site.read', icon: 'control_room', section: 'monitor', render: equipment },
  { id: 'checks', perm: 'check.read', icon: 'calendar', section: 'monitor', render: checks, detail: { id: 'check-fill', render: checkFill } },
  { id: 'tickets', perm: 'ticket.read', icon: 'alert', section: 'monitor', render: tickets, detail: { id: 'ticket', render: ticket } },
  { id: 'cameras', perm: 'site.read', icon: 'eye', section: 'monitor', render: cameras },
  { id: 'areas', perm: 'site.read', icon: 'areas', section: 'monitor', render: areas },
  { id: 'contacts', perm: 'site.read', icon: 'contacts', section: 'monitor', render: contacts },
  { id: 'reports', perm: 'report.read', icon: 'print', section: 'records', render: reports },
  { id: 'residents', perm: 'resident.read', icon: 'residents', section: 'records', render: residents },
  { id: 'users', perm: 'user.read', icon: 'users', section: 'system', render: users },
  { id: 'audit', perm: 'audit.read', icon: 'audit', section: 'system', render: audit },
  { id: 'retention', perm: 'retention.manage', icon: 'history', section: 'system', render: retention },
];
