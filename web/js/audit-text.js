// The 审计 audit trail's summaries in the console's language. The daemon writes
// each record's summary in English (src/app/*.c, audit_append(c, who, action,
// object, fmt, ...)) and signs it into the hash chain; the known shapes of each
// action are said here with the catalogue (web/js/i18n/audit.js and the terms
// the rest of the console uses), anything else as written. The page keeps the
// stored text reachable (the cell's title): that is the signed record.

import { t, tEnum } from './i18n.js';
import { cameraDetail, ticketTitle, ticketNote, incidentClosedNote } from './equipment-text.js';
import { incidentTitle as alarmTitle } from './duty-ui.js';

const note = (text, n) => (n ? t('audit.s.withNote', { text, note: n }) : text);
const arrow = (from, to) => `${from} → ${to}`;

// "fire SIA FA zone 003" (src/app/alarm.c make_title) or "camera health: 南门 blurred"
// (src/app/camera_rules.c): the title the server gives a new incident.
function incidentTitle(s) {
  let m = /^camera health: (.*) (\w+)$/s.exec(s);
  if (m) return t('audit.s.cameraHealthTitle', { name: m[1], problem: tEnum('cam.state', m[2]) });
  return alarmTitle(s);
}

// The reason of an incident's escalation (src/app/response.c, src/store/store_response.c).
function escalationReason(s) {
  const m = /^not acknowledged within (\d+)s \(priority (\d+)\)$/.exec(s);
  if (m) return t('audit.s.esc.notAcked', { seconds: m[1], priority: `P${m[2]}` });
  const fixed = { 'injured person': 'injured', 'entrapment over the time limit': 'entrapment', 'confirmed fire': 'fire' }[s];
  return fixed ? t(`audit.s.esc.${fixed}`) : s;
}

// action → (summary, regex match helper) → text, or null when the shape is not known.
const BY_ACTION = {
  // src/app/auth.c
  'auth.login': (s) => (s === 'signed in' ? t('audit.s.signedIn') : null),
  'auth.logout': (s) => (s === 'signed out' ? t('audit.s.signedOut') : null),
  'auth.login_failed': (s) => {
    const m = /^failed sign-in (\d+)(, locked out)?$/.exec(s);
    return m ? t('audit.s.loginFailed', { n: m[1] }) + (m[2] ? t('audit.s.lockedOut') : '') : null;
  },
  'apikey.create': (s) => {
    const m = /^API key created with (.*)$/s.exec(s);
    return m ? t('audit.s.apikeyCreated', { perms: m[1] }) : null;
  },
  'apikey.revoke': (s) => (s === 'API key revoked' ? t('audit.s.apikeyRevoked') : null),

  // src/app/demo.c, site.c, alarm.c
  'demo.seed': (s) => (s === 'demo community created' ? t('audit.s.demoSeed') : null),
  'site.create': (s) => {
    const m = /^site (.*) created$/s.exec(s);
    return m ? t('audit.s.siteCreated', { name: m[1] }) : null;
  },
  'area.create': (s) => {
    const m = /^created (\w+) area (.*)$/s.exec(s);
    return m ? t('audit.s.areaCreated', { kind: tEnum('areaKind', m[1]), name: m[2] }) : null;
  },
  'device.create': (s) => {
    const m = /^created (\w+) (.*)$/s.exec(s);
    return m ? t('audit.s.deviceCreated', { kind: tEnum('deviceKind', m[1]), name: m[2] }) : null;
  },
  'device.status': (s) => {
    const m = /^status set to (\w+)$/.exec(s);
    return m ? t('audit.s.deviceStatus', { status: tEnum('status', m[1]) }) : null;
  },
  'contact.create': (s) => {
    const m = /^added (\w+) contact (.*)$/s.exec(s);
    return m ? t('audit.s.contactCreated', { role: tEnum('contactRole', m[1]), name: m[2] }) : null;
  },
  'resident.reveal': (s) => {
    const m = /^personal data of unit (.*) read$/s.exec(s);
    return m ? t('audit.s.residentRevealed', { unit: m[1] }) : null;
  },
  'resident.create': (s) => {
    const m = /^resident of unit (.*) added$/s.exec(s);
    return m ? t('audit.s.residentCreated', { unit: m[1] }) : null;
  },
  'alarm_map.set': (s) => {
    const m = /^account (\S+) zone (\S*) -> device (\d+) area (\d+)$/.exec(s);
    return m ? t('audit.s.alarmMap', { account: m[1], zone: m[2], device: m[3], area: m[4] }) : null;
  },

  // src/app/users.c
  'user.create': (s) => {
    const m = /^created (.*) with role (\w+)$/s.exec(s);
    return m ? t('audit.s.userCreated', { user: m[1], role: tEnum('role', m[2]) }) : null;
  },
  'user.password': (s) => {
    const m = /^password set for (.*)$/s.exec(s);
    return m ? t('audit.s.userPassword', { user: m[1] }) : null;
  },
  'user.update': (s) => {
    const m = /^updated (.*?):( display_name)?(?: role=(\w+))?( disabled| enabled)?$/s.exec(s);
    if (!m) return null;
    const what = [
      m[2] ? t('audit.s.userDisplayName') : null,
      m[3] ? t('audit.s.userRole', { role: tEnum('role', m[3]) }) : null,
      m[4] ? t(m[4] === ' disabled' ? 'audit.s.userDisabled' : 'audit.s.userEnabled') : null,
    ].filter(Boolean);
    return what.length ? t('audit.s.userUpdatedWhat', { user: m[1], what: what.join(t('audit.s.list')) }) : t('audit.s.userUpdated', { user: m[1] });
  },

  // src/app/alarm.c, camera_rules.c, incident.c, ticket.c, checklist.c, response.c
  'incident.open': (s) => {
    const m = /^(.*) \(priority (\d)\)(, unmapped)?$/s.exec(s);
    if (!m) return null;
    return t('audit.s.incidentOpened', { title: incidentTitle(m[1]), priority: `P${m[2]}` }) + (m[3] ? ` · ${t('incident.unmapped')}` : '');
  },
  'incident.transition': (s) => {
    let m = /^(\w+) -> (\w+)(?: verdict (\w+))?$/.exec(s);
    if (m) return arrow(tEnum('incidentState', m[1]), tEnum('incidentState', m[2])) + (m[3] ? ` · ${tEnum('verdict', m[3])}` : '');
    m = /^(\w+) -> (\w+): (.*)$/s.exec(s);
    if (!m) return null;
    const closed = incidentClosedNote(m[3]);
    return note(arrow(tEnum('incidentState', m[1]), tEnum('incidentState', m[2])), closed === null ? m[3] : closed);
  },
  'incident.step': (s) => {
    const m = /^(\S+) (done|skipped)(?:: (.*))?$/s.exec(s);
    if (!m) return null;
    if (m[2] === 'skipped') return t('audit.s.stepSkipped', { step: m[1], reason: m[3] || t('common.none') });
    return m[3] ? t('audit.s.stepDoneNote', { step: m[1], note: m[3] }) : t('audit.s.stepDone', { step: m[1] });
  },
  'incident.note': (s) => (s === 'note added' ? t('audit.s.noteAdded') : null),
  'incident.call': (s) => {
    const m = /^called contact (\d+)$/.exec(s);
    return m ? t('audit.s.calledContact', { id: m[1] }) : null;
  },
  'incident.escalate': (s) => {
    const m = /^escalated to the (shift leader|supervisor and manager): (.*)$/s.exec(s);
    if (!m) return null;
    return t('audit.s.escalated', { to: t(m[1] === 'shift leader' ? 'incident.esc.leader' : 'incident.esc.major'), reason: escalationReason(m[2]) });
  },
  'handoff.create': (s) => (s === 'passed to the post' ? t('audit.s.handoffCreated') : null),
  'handoff.take': (s) => (s === 'taken up' ? t('audit.s.handoffTaken') : null),
  'handoff.done': (s) => (s === 'result reported' ? t('audit.s.handoffDone') : null),

  // src/app/dutylog.c, runstatus.c
  'duty.add': (s) => {
    const m = /^(\w+) entry$/.exec(s);
    return m ? t('audit.s.dutyEntry', { category: tEnum('dutyCategory', m[1]) }) : null;
  },
  'duty.amend': (s) => {
    const m = /^(\w+) entry amending an earlier one$/.exec(s);
    return m ? t('audit.s.dutyEntry', { category: tEnum('dutyCategory', m[1]) }) + t('audit.s.dutyAmends') : null;
  },
  'duty.running_status': (s) => {
    const m = /^running-status entry( \(controller fault\))?$/.exec(s);
    return m ? t('audit.s.runningStatus') + (m[1] ? t('audit.s.controllerFault') : '') : null;
  },

  // src/app/register.c
  'room_entry.in': (s) => {
    const m = /^visitor registered, authorised by (\S+)$/.exec(s);
    return m ? t('audit.s.visitorIn', { by: m[1] }) : null;
  },
  'room_entry.out': (s) => (s === 'visitor left the centre' ? t('audit.s.visitorOut') : null),
  'line_use.add': (s) => {
    const m = /^(\w+) (\w+) use recorded( \(not an emergency: flagged\))?$/.exec(s);
    return m ? t('audit.s.lineUse', { line: tEnum('line', m[1]), dir: tEnum('lineDir', m[2]) }) + (m[3] ? t('audit.s.lineUseFlagged') : '') : null;
  },
  'line_use.review': (s) => (s === 'reviewed' ? t('audit.s.lineReviewed') : null),

  // src/app/complaint.c: the summary is the action's last part.
  'complaint.create': (s) => (s === 'create' ? t('audit.s.cp.create') : null),
  'complaint.assign': (s) => (s === 'assign' ? t('audit.s.cp.assign') : null),
  'complaint.resolve': (s) => (s === 'resolve' ? t('audit.s.cp.resolve') : null),
  'complaint.return_visit': (s) => (s === 'return_visit' ? t('audit.s.cp.return_visit') : null),
  'complaint.reveal': (s) => (s === 'contact data read' ? t('audit.s.cpRevealed') : null),

  // src/app/handover.c, shift.c
  'handover.start': (s) => (s === 'outgoing signature' ? t('audit.s.hvOutgoing') : null),
  'handover.sign': (s) => (s === 'incoming signature' ? t('audit.s.hvIncoming') : null),
  'handover.force': (s) => (s === 'forced without the incoming signature' ? t('audit.s.hvForced') : null),
  'handover.override': (s) => {
    const m = /^shift opened below the minimum: (\d+) of (\d+) trained operators$/.exec(s);
    return m ? t('audit.s.hvBelowMinimum', { staffed: m[1], min: m[2] }) : null;
  },
  'roster.pattern': (s) => {
    const m = /^pattern (.*): (\d+) x (\d+) h$/s.exec(s);
    return m ? t('audit.s.pattern', { name: m[1], shifts: m[2], hours: m[3] }) : null;
  },
  'roster.site_pattern': (s) => {
    const m = /^the site works pattern #(\d+): (\d+) x (\d+) h from (\d\d:\d\d)$/.exec(s);
    return m ? t('audit.s.sitePattern', { id: m[1], shifts: m[2], hours: m[3], start: m[4] }) : null;
  },
  'roster.generate': (s) => {
    const m = /^(\d+) slots over (\d+) days from (\d+-\d\d-\d\d)$/.exec(s);
    return m ? t('audit.s.rosterGenerated', { n: m[1], days: m[2], from: m[3] }) : null;
  },

  // src/app/recording.c
  'recording.request': (s) => {
    const m = /^(view|lend) request by (.*?)(?:, (.*))?$/s.exec(s);
    return m ? t('audit.s.rcRequest', { kind: tEnum('rcKind', m[1]), who: m[2] }) + (m[3] ? t('audit.s.rcOrg', { org: m[3] }) : '') : null;
  },
  'recording.step': (s) => {
    const m = /^(\w+) -> (\w+)(?:: (.*))?$/s.exec(s);
    return m ? note(arrow(tEnum('rcState', m[1]), tEnum('rcState', m[2])), m[3]) : null;
  },
  'recording.reveal': (s) => (s === "requester's ID and phone read" ? t('audit.s.rcRevealed') : null),

  // src/app/ticket.c, checks.c, checksheet.c
  'ticket.report': (s) => {
    const m = /^(\w+) ticket reported: (.*)$/s.exec(s);
    return m ? t('audit.s.ticketReported', { kind: tEnum('eqTicketKind', m[1]), title: ticketTitle(m[2]) }) : null;
  },
  'ticket.note': (s) => (s === 'note added' ? t('audit.s.noteAdded') : s === 'note' ? tEnum('eqTicketAction', 'note') : null),
  'ticket.escalate': (s) => {
    const x = ticketNote(s);
    return x === s ? null : x;
  },
  'check.fill': (s) => {
    const m = /^(.*) signed, (\d+) failed item\(s\)$/s.exec(s);
    return m ? t('audit.s.checkFilled', { sheet: m[1], n: m[2] }) : null;
  },
  'check.template.edit': (s) => {
    const m = /^version (\d+)$/.exec(s);
    return m ? t('audit.s.templateVersion', { n: m[1] }) : null;
  },

  // src/app/camera.c, camera_rules.c
  'camera.configure': (s) => {
    const m = /^(.*) auth=(\w+) interval=(\d+)s persist=(\d+) enabled=([01])$/s.exec(s);
    return m ? t('audit.s.cameraConfigured', { url: m[1], auth: tEnum('cam.auth', m[2]), interval: m[3], persist: m[4],
      enabled: t(m[5] === '1' ? 'audit.s.cameraEnabled' : 'audit.s.cameraDisabled') }) : null;
  },
  'camera.unconfigure': (s) => (s === 'snapshot checks off' ? t('audit.s.cameraUnconfigured') : null),
  'camera.seal': (s) => {
    const m = /^(\d+) stored camera password\(s\) sealed$/.exec(s);
    return m ? t('audit.s.cameraSealed', { n: m[1] }) : null;
  },
  'camera.problem': (s) => {
    const m = /^(\w+) over (\d+) checks: (.*) \(incident #(\d+), ticket #(\d+)\)$/s.exec(s);
    return m ? t('audit.s.cameraProblem', { problem: tEnum('cam.state', m[1]), n: m[2], detail: cameraDetail(m[3]), incident: m[4], ticket: m[5] }) : null;
  },
  'camera.recovered': (s) => {
    const m = /^was (\w+); ticket #(\d+) incident #(\d+)$/.exec(s);
    return m ? t('audit.s.cameraRecovered', { was: tEnum('cam.state', m[1]), ticket: m[2], incident: m[3] }) : null;
  },

  // src/app/retention.c, retention_hold.c
  'retention.run': (s) => retentionRun(s, 'removed', 'audit.s.retentionRun'),
  'retention.dry_run': (s) => retentionRun(s, 'would remove', 'audit.s.retentionDry'),
  'retention.hold': (s) => {
    const m = /^legal hold (\d+) placed: (.*)$/s.exec(s);
    return m ? t('audit.s.holdPlaced', { id: m[1], reason: m[2] }) : null;
  },
  'retention.release': (s) => {
    const m = /^legal hold (\d+) released$/.exec(s);
    return m ? t('audit.s.holdReleased', { id: m[1] }) : null;
  },
};

// The same shape for the other ops of a few modules.
BY_ACTION['ticket.assign'] = ticketMove('assigned');
BY_ACTION['ticket.repair'] = ticketMove('repaired');
BY_ACTION['ticket.verify'] = ticketMove('verified');
BY_ACTION['ticket.reject'] = ticketMove('rejected');
BY_ACTION['ticket.close'] = ticketMove('closed');
BY_ACTION['check.template.import'] = BY_ACTION['check.template.edit'];
// src/app/roster.c: the summary is the action, then the username if one was given.
BY_ACTION['roster.add'] = rosterOp('roster.add', 'audit.s.rosterAdd');
BY_ACTION['roster.delete'] = rosterOp('roster.delete', null, 'audit.s.rosterDelete');
BY_ACTION['training.add'] = rosterOp('training.add', 'audit.s.trainingAdd');
BY_ACTION['attendance.in'] = rosterOp('attendance.in', null, 'audit.s.clockIn');
BY_ACTION['attendance.out'] = rosterOp('attendance.out', null, 'audit.s.clockOut');

function ticketMove(event) {
  return (s) => (s === event ? tEnum('eqTicketAction', event) : null);
}

// withWho: the text naming the user; bare: the text without one (or, if null, the
// action's name).
function rosterOp(action, withWho, bare = null) {
  return (s) => {
    if (s === action) return bare ? t(bare) : tEnum('action', action);
    if (!s.startsWith(`${action} `)) return null;
    const who = s.slice(action.length + 1);
    return withWho ? t(withWho, { who }) : `${bare ? t(bare) : tEnum('action', action)} · ${who}`;
  };
}

function retentionRun(s, verb, key) {
  const m = /^retention as of (\S+): (removed|would remove) (\d+) records, (\d+) held back(?:; failed: (.*))?$/s.exec(s);
  if (!m || m[2] !== verb) return null;
  return t(key, { date: m[1], n: m[3], held: m[4] }) + (m[5] !== undefined ? t('audit.s.retentionFailed', { error: m[5] }) : '');
}

// The summary of an audit record in the console's language, or null when its
// shape is not one this console knows (then the page shows it as written).
export function auditSummary(action, summary) {
  const s = String(summary ?? '');
  const fn = Object.prototype.hasOwnProperty.call(BY_ACTION, action) ? BY_ACTION[action] : null;
  if (!fn || !s) return null;
  const out = fn(s);
  return typeof out === 'string' && out ? out : null;
}

// The text to show: translated if known, else as stored.
export function auditSummaryText(a) {
  const x = auditSummary(a && a.action, a && a.summary);
  return x === null ? String((a && a.summary) ?? '') : x;
}
