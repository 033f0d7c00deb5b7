// The daemon writes its automatic texts in English (src/app/ticket.c,
// checks.c, camera_rules.c, src/proto/camera/camera_analyze.c): duty-log
// entries, camera-ticket titles and the camera checks' detail. The known
// shapes are said here in the console's language; anything else as written.

import { t, tEnum, lang } from './i18n.js';

const num = (s) => String(s);

// "blurred (sharpness 32.3 < 100.0)", "HTTP 404", "timeout after 5000 ms" …
export function cameraDetail(s) {
  const d = String(s || '');
  let m = /^ok \(sharpness ([\d.]+), mean luma ([\d.]+)\)$/.exec(d);
  if (m) return t('eq.cd.ok', { sharp: num(m[1]), luma: num(m[2]) });
  m = /^blurred \(sharpness ([\d.]+) < ([\d.]+)\)$/.exec(d);
  if (m) return t('eq.cd.blurred', { sharp: m[1], min: m[2] });
  m = /^too dark \(mean luma ([\d.]+) < ([\d.]+)\)$/.exec(d);
  if (m) return t('eq.cd.dark', { luma: m[1], min: m[2] });
  m = /^overexposed \(mean luma ([\d.]+), ([\d.]+)% clipped\)$/.exec(d);
  if (m) return t('eq.cd.overexposed', { luma: m[1], pct: m[2] });
  m = /^picture unchanged over (\d+) fetches$/.exec(d);
  if (m) return t('eq.cd.frozen', { n: m[1] });
  m = /^almost uniform picture \(stddev ([\d.]+) < ([\d.]+)\)$/.exec(d);
  if (m) return t('eq.cd.covered', { sd: m[1], min: m[2] });
  m = /^timeout after (\d+) ms$/.exec(d);
  if (m) return t('eq.cd.timeout', { ms: m[1] });
  m = /^HTTP (\d+)$/.exec(d);
  if (m) return t('eq.cd.http', { status: m[1] });
  m = /^snapshot larger than (\d+) bytes$/.exec(d);
  if (m) return t('eq.cd.tooLarge', { n: m[1] });
  m = /^(not a JPEG|corrupt JPEG)\b/.exec(d);
  if (m) return `${t('eq.cd.notJpeg')} (${d})`;
  return d;
}

// A ticket's title in the console's language: the English one the daemon
// stored beside it (`title_en`, for a failed check item's ticket) in English,
// a camera-health title ("camera 南门摄像机: blurred") said in either
// language, anything else (typed by a person, or older) as written.
export function ticketTitle(s, en) {
  if (en && lang() === 'en') return String(en);
  const m = /^camera (.*): (\w+)$/s.exec(String(s || ''));
  return m ? t('eq.auto.cameraTicket', { name: m[1], problem: tEnum('cam.state', m[2]) }) : String(s || '');
}

// A ticket timeline note or move ("assigned to engineer (ACME)", "replaced: …").
function ticketMove(s) {
  let m = /^assigned to (\S+)(?: \((.*)\))?$/s.exec(s);
  if (m) return t('eq.auto.assigned', { who: m[1] }) + (m[2] ? `（${m[2]}）` : '');
  m = /^(repaired|replaced): (.*) \(on behalf of (.*)\)$/s.exec(s);
  if (m) return `${tEnum('eqRepairResult', m[1])}：${m[2]}${t('eq.auto.onBehalf', { who: m[3] })}`;
  m = /^(repaired|replaced): (.*)$/s.exec(s);
  if (m) return `${tEnum('eqRepairResult', m[1])}：${m[2]}`;
  m = /^repair rejected: (.*)$/s.exec(s);
  if (m) return `${tEnum('eqTicketAction', 'rejected')}：${m[1]}`;
  m = /^(verified|closed)(?:: (.*))?$/s.exec(s);
  if (m) return tEnum('eqTicketAction', m[1]) + (m[2] ? `：${m[2]}` : '');
  m = /^escalated to the (shift leader|supervisor and manager): not repaired by its due time \((\d+) min late\)$/.exec(s);
  if (m) return t('eq.auto.escalated', { to: t(m[1] === 'shift leader' ? 'eq.auto.escLeader' : 'eq.auto.escMajor'), min: m[2] });
  m = /^camera picture recovered \(was (\w+)\): (.*); awaiting verification$/s.exec(s);
  if (m) return t('eq.auto.cameraRecoveredNote', { was: tEnum('cam.state', m[1]), detail: cameraDetail(m[2]) });
  return null;
}

export function ticketNote(s) {
  const x = ticketMove(String(s || ''));
  return x === null ? String(s || '') : x;
}

// A duty-log entry written by the equipment modules, or null if not one of theirs.
// e: the entry's row; its ticket's titles (ticket_title, ticket_title_en) say the
// quoted title in English when it is that ticket's.
export function equipmentEntry(s, e = {}) {
  const title = (x) => ticketTitle(x, x === e.ticket_title ? e.ticket_title_en : null);
  let m = /^ticket #(\d+) reported \((\w+), (\w+)\): (.*)$/s.exec(s);
  if (m) return t('eq.auto.reported', { id: m[1], kind: tEnum('eqTicketKind', m[2]), priority: tEnum('eqPriority', m[3]), title: title(m[4]) });
  m = /^ticket #(\d+) \((.*)\) (.*)$/s.exec(s);
  if (m) {
    const move = ticketMove(m[3]);
    if (move !== null) return t('eq.auto.ticketMove', { id: m[1], title: title(m[2]), what: move });
  }
  m = /^ticket #(\d+): (.*)$/s.exec(s);
  if (m) return t('eq.auto.ticketNote', { id: m[1], note: ticketNote(m[2]) });
  m = /^(.*) filled and signed: (items failed, fault tickets opened|all items passed)$/s.exec(s);
  if (m) return t(m[2] === 'all items passed' ? 'eq.auto.checkPassed' : 'eq.auto.checkFailed', { sheet: m[1] });
  m = /^camera (.*): (\w+) over (\d+) checks \((.*)\); incident #(\d+), fault ticket #(\d+)$/s.exec(s);
  if (m) {
    return t('eq.auto.cameraProblem', { name: m[1], problem: tEnum('cam.state', m[2]), n: m[3], detail: cameraDetail(m[4]), incident: m[5], ticket: m[6] });
  }
  m = /^camera (.*) recovered \(was (\w+)\); fault ticket #(\d+) awaits verification$/s.exec(s);
  if (m) return t('eq.auto.cameraRecovered', { name: m[1], was: tEnum('cam.state', m[2]), ticket: m[3] });
  m = /^incident #(\d+) closed: fault ticket #(\d+) verified by (\S+)$/.exec(s);
  if (m) return t('eq.auto.incidentClosed', { incident: m[1], ticket: m[2], who: m[3] });
  return null;
}

// The note of the incident event written when a camera ticket's verification closes it.
export function incidentClosedNote(s) {
  const m = /^fault ticket #(\d+) verified by (\S+)$/.exec(String(s || ''));
  return m ? t('eq.auto.incidentClosedNote', { ticket: m[1], who: m[2] }) : null;
}
