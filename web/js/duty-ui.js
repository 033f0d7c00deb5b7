// Shared pieces of the 值班日志 duty log (R3.4.11, R4.1): categories, the day
// query, the entry text (automatic entries said in the console's language) and
// the amendment markers. Used by the day view and its printable sheet.

import { t, tEnum } from './i18n.js';
import * as api from './api.js';
import { h, siteDate, siteDayBounds, isDateString, formatTime, formatDateTime } from './ui.js';
import { equipmentEntry } from './equipment-text.js';

export const DUTY_CATEGORIES = ['routine', 'abnormal', 'equipment', 'alarm', 'visitor', 'complaint', 'handover', 'other'];

// The day and category a duty-log URL asks for (#/duty-log?date=…&category=…).
// ?shift= is the start of one shift of the day (ISO-8601 UTC), '' for the whole day.
export function dutyQuery(params) {
  const date = params.get('date');
  const cat = params.get('category');
  const shift = params.get('shift') || '';
  return {
    date: isDateString(date) ? date : siteDate(),
    category: DUTY_CATEGORIES.includes(cat) ? cat : '',
    shift: shift && !Number.isNaN(Date.parse(shift)) ? new Date(shift).toISOString() : '',
  };
}

// The API query of a day: its bounds in the site time zone, as UTC; or, for one
// shift, every entry of that shift, on whichever day (a night shift crosses midnight).
export function dayApiQuery(q) {
  if (q.shift) return { category: q.category || undefined, shift_start: q.shift };
  return { ...siteDayBounds(q.date), category: q.category || undefined };
}

// The day's shifts [{start,end,entries}]: the site's pattern and any roster slot recorded.
export async function loadShifts(date) {
  const { items } = await api.get('duty-log/shifts', siteDayBounds(date));
  return items;
}

// "08:00–16:00" in the site's time zone.
export function shiftLabel(s) {
  const hm = (iso) => formatTime(new Date(iso)).slice(0, 5);
  return `${hm(s.start)}–${hm(s.end)}`;
}

export function sameInstant(a, b) {
  return !!a && !!b && Date.parse(a) === Date.parse(b);
}

// A cell of the CSV export: quoted, and a leading = + - @ neutralised so a
// spreadsheet never runs it as a formula (as the server's CSVs do).
function csvCell(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return `"${/^[=+\-@]/.test(s) ? "'" : ''}${s.replace(/"/g, '""')}"`;
}

// The duty log as CSV in the console's language: header, category and the
// automatic entries' text as the page shows them (entryText), with the text as
// stored by the system in the last column. UTF-8 with a BOM so Excel reads the
// Chinese right; CRLF line ends.
export function dutyCsv(entries, shifts) {
  const shiftOf = (e) => (shifts || []).find((s) => sameInstant(s.start, e.shift_start));
  const head = ['id', 'local', 'utc', 'author', 'category', 'text', 'incident', 'device', 'amends', 'auto', 'shift', 'stored']
    .map((k) => t(`duty.csv.${k}`));
  const rows = entries.map((e) => {
    const sh = shiftOf(e);
    return [e.id, formatDateTime(e.at), e.at, authorName(e), tEnum('dutyCategory', e.category), entryText(e),
      e.incident_id || '', e.device_name || '', e.amends_id || '', e.auto ? t('common.yes') : t('common.no'),
      sh ? shiftLabel(sh) : '', e.auto ? e.text : ''];
  });
  return '\uFEFF' + [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// Every entry of the day, oldest first (the API pages by at most 500).
export async function loadDay(q) {
  const { items } = await api.listAll('duty-log', dayApiQuery(q), 20000);
  return items;
}

export function categoryBadge(cat) {
  return h(`span.duty-cat.duty-cat-${DUTY_CATEGORIES.includes(cat) ? cat : 'other'}`, { testid: 'duty-category', dataset: { category: cat || '' } },
    tEnum('dutyCategory', cat));
}

export function authorName(e) {
  if (e.author === 'system') return t('duty.systemAuthor');
  return e.author_name || e.author || t('common.none');
}

export function amendedBy(e) {
  return String(e.amended_by || '').split(',').map((x) => Number(x)).filter((n) => Number.isInteger(n) && n > 0);
}

// "fire SIA FA zone 003": the title the server gives a new incident.
export function incidentTitle(s) {
  const m = /^(\w+) (\S+) (\S+)(?: zone (\S+))?$/.exec(s);
  if (!m) return s;
  return [tEnum('incidentType', m[1]), `${m[2]} ${m[3]}`, m[4] ? t('loc.zone', { zone: m[4] }) : null].filter(Boolean).join(' · ');
}

// The system writes its entries in English (src/app/*.c dutylog_auto); the
// known shapes are said in the console's language, anything else as written.
export function entryText(e) {
  const s = String(e.text || '');
  if (!e.auto) return s;
  let m = /^incident #(\d+) opened: (.*) \(priority (\d)\)(, unmapped)?$/s.exec(s);
  if (m) {
    return t('duty.auto.opened', { id: m[1], title: incidentTitle(m[2]), priority: `P${m[3]}` })
      + (m[4] ? ` · ${t('incident.unmapped')}` : '');
  }
  m = /^incident #(\d+) (\w+) -> (\w+)(?: \((\w+)\))?$/.exec(s);
  if (m) {
    return t('duty.auto.moved', { id: m[1], from: tEnum('incidentState', m[2]), to: tEnum('incidentState', m[3]) })
      + (m[4] ? ` · ${tEnum('verdict', m[4])}` : '');
  }
  m = /^incident #(\d+) escalated to the (shift leader|supervisor and manager): (.*)$/s.exec(s);
  if (m) return t('duty.auto.escalated', { id: m[1], to: t(m[2] === 'shift leader' ? 'incident.esc.leader' : 'incident.esc.major'), reason: m[3] });
  m = /^incident #(\d+): account (\S+) communication restored, closed$/.exec(s);
  if (m) return t('duty.auto.restored', { id: m[1], account: m[2] });
  m = /^passed to the guard post (.+?): (.*)$/s.exec(s);
  if (m) return t('duty.auto.handoff', { area: m[1], text: m[2] });
  // The recording access register (src/app/recording.c).
  m = /^recording (view|lend) request #(\d+) recorded for (.*) \(cameras: (.*)\); awaiting the manager's decision$/s.exec(s);
  if (m) return t('duty.auto.rcRequested', { kind: tEnum('rcKind', m[1]), id: m[2], who: m[3], cameras: m[4] });
  m = /^recording request #(\d+) \((.*)\): copy (.*) lent on (usb|disc|other), due back as agreed$/s.exec(s);
  if (m) return t('duty.auto.rcLent', { id: m[1], who: m[2], copy: m[3], medium: tEnum('rcMedium', m[4]) });
  m = /^recording request #(\d+) \((.*?)\): (requested|approved|refused|viewed|lent|returned|cancelled|kept) -> (requested|approved|refused|viewed|lent|returned|cancelled|kept)(?:: (.*))?$/s.exec(s);
  if (m) {
    return t('duty.auto.rcStep', { id: m[1], who: m[2], from: tEnum('rcState', m[3]), to: tEnum('rcState', m[4]) })
      + (m[5] ? ` · ${m[5]}` : '');
  }
  // The control-room register and the alarm-line log (src/app/register.c).
  m = /^control-room visitor (.*) \((.*)\) entered: (.*); authorised by (\S+)$/s.exec(s);
  if (m) return t('duty.auto.visitorIn', { name: m[1], org: m[2] ? t('duty.auto.visitorOrg', { org: m[2] }) : '', purpose: m[3], by: m[4] });
  m = /^control-room visitor left \(register #(\d+)\)$/.exec(s);
  if (m) return t('duty.auto.visitorOut', { id: m[1] });
  m = /^(alarm line|fire telephone) used \((out|in), (.*) (\S+)\): (.*?)( \(not an emergency: flagged for the supervisor\))?$/s.exec(s);
  if (m) {
    return t('duty.auto.lineUse', { line: tEnum('line', m[1] === 'alarm line' ? 'alarm_line' : 'fire_phone'), dir: tEnum('lineDir', m[2]),
      caller: m[3], number: m[4], reason: m[5] }) + (m[6] ? t('duty.auto.lineUseFlagged') : '');
  }
  // Complaints and shift handovers (src/app/complaint.c, src/app/handover.c).
  m = /^complaint #(\d+) \((\w+), (\w+)\) from unit (.*)$/s.exec(s);
  if (m) return t('duty.auto.complaintNew', { id: m[1], category: tEnum('cpCategory', m[2]), urgency: tEnum('cpUrgency', m[3]), unit: m[4] });
  m = /^complaint #(\d+) escalated to the supervisor and manager \(major\)$/.exec(s);
  if (m) return t('duty.auto.complaintEscalated', { id: m[1] });
  m = /^complaint #(\d+) resolved: result given back to the resident$/.exec(s);
  if (m) return t('duty.auto.complaintResolved', { id: m[1] });
  m = /^complaint #(\d+) return visit done, closed$/.exec(s);
  if (m) return t('duty.auto.complaintClosed', { id: m[1] });
  m = /^handover #(\d+): signed by the outgoing operator( \(NOT all control handles confirmed in automatic position\))?$/.exec(s);
  if (m) return t('duty.auto.handoverOut', { id: m[1] }) + (m[2] ? t('duty.auto.handoverControls') : '');
  m = /^handover #(\d+): signed by the incoming operator: shift taken over$/.exec(s);
  if (m) return t('duty.auto.handoverIn', { id: m[1] });
  m = /^handover #(\d+): forced by the shift leader: (.*)$/s.exec(s);
  if (m) return t('duty.auto.handoverForced', { id: m[1], reason: m[2] });
  // The leader's override of the minimum staffing at handover (src/app/shift.c) and
  // the periodic running-status entry (src/app/runstatus.c).
  m = /^handover #(\d+): shift opened below the minimum \((\d+) of (\d+) trained operators rostered\) on the override of (\S+): (.*)$/s.exec(s);
  if (m) return t('hv.auto.belowMinimum', { id: m[1], staffed: m[2], min: m[3], who: m[4], reason: m[5] });
  m = /^running status: fire alarm controller (normal|fault); linkage (automatic|NOT automatic); power (main|backup); recording (on|OFF)(?:; faults: (.*?))?(?:; note: (.*))?$/s.exec(s);
  if (m) {
    return t('rs.auto.entry', {
      controller: t(m[1] === 'fault' ? 'rs.fault' : 'rs.normal'),
      linkage: t(m[2] === 'automatic' ? 'rs.auto' : 'rs.manual'),
      power: t(m[3] === 'main' ? 'rs.powerMain' : 'rs.powerBackup'),
      recording: t(m[4] === 'on' ? 'rs.recordingOn' : 'rs.recordingOff'),
    }) + (m[5] ? t('rs.auto.faults', { faults: m[5] }) : '') + (m[6] ? t('rs.auto.note', { note: m[6] }) : '');
  }
  // Fault tickets, check sheets and camera health (src/app/ticket.c, checks.c, camera_rules.c).
  const eq = equipmentEntry(s, e);
  return eq === null ? s : eq;
}
