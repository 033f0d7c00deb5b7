// 考勤 Attendance (#/attendance; S8 strict attendance). Everyone with duty.write
// clocks in and out with one big button (POST /attendance/clock-in | clock-out:
// 409 when already in, 404 when not in — both said plainly). The daemon has no
// route that tells whether one is clocked in now, so the page shows the state
// the last answer gave (this browser remembers it; an `audit` event of one's own
// clock-in elsewhere updates it). Below, the report of a chosen site day: each
// roster slot with 迟到 late / 早退 left early / 缺勤 absent as the server judges
// it (slots still to come are not judged).

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, formatNumber, formatTime, formatSiteDay,
  siteDate, siteDayBounds, addDays, isDateString, toast, debounce } from '../ui.js';
import { People, personCell, rosterTabs, mondayOf, rangeLabel, hm, hours } from '../roster-ui.js';

const STORE = 'vigil.clock.';

function remembered(username) {
  try {
    const v = JSON.parse(localStorage.getItem(STORE + username) || 'null');
    if (v && (v.state === 'in' || v.state === 'out')) return v;
  } catch (_) { /* storage unavailable */ }
  return null;
}
function remember(username, v) {
  try { localStorage.setItem(STORE + username, JSON.stringify(v)); } catch (_) { /* ignore */ }
}

export default function attendancePage(el, ctx) {
  const me = (ctx.user && ctx.user.username) || '';
  const canClock = ctx.can('duty.write');
  const canRoster = ctx.can('roster.write');
  const pd = ctx.params.get('date');
  let date = isDateString(pd) && pd <= siteDate() ? pd : siteDate();
  let destroyed = false;
  const people = new People(ctx);

  let clock = remembered(me);     // {state: 'in'|'out', at: ISO, source}
  let msg = null;                 // {kind: ok|conflict|notin|error, text}
  let busy = false;
  let rows = null;                // the report of `date`
  let mine = null;                // my slots today
  let loadErr = null;

  // --- Frame --------------------------------------------------------------------------

  const clockHost = h('div.att-clock-host');
  const dayHost = h('div.att-day-host');
  const reportHost = h('div.att-report-host', loadingState());
  const reportMeta = h('div.att-summary', { testid: 'attendance-summary' });

  mount(el,
    pageHeader(t('attendance.title'), t('attendance.subtitle'), rosterTabs('attendance')),
    canClock ? clockHost : null,
    h('section.panel.att-report-panel', { testid: 'attendance-report' },
      h('div.panel-head', h('h2', t('attendance.report')), h('span.chip.ref-chip', 'S8'), dayHost),
      reportMeta,
      reportHost));

  // --- Clocking -------------------------------------------------------------------------

  async function doClock(which) {
    if (busy) return;
    busy = true;
    msg = null;
    renderClock();
    try {
      const res = await api.post(`${api.API}/attendance/clock-${which}`);
      if (destroyed) return;
      const at = (res && (res.clock_in || res.clock_out)) || new Date().toISOString();
      clock = { state: which === 'in' ? 'in' : 'out', at, source: 'server' };
      msg = { kind: 'ok', text: which === 'in' ? t('attendance.inOk', { time: formatTime(new Date(at)) }) : t('attendance.outOk', { time: formatTime(new Date(at)) }) };
      toast(msg.text);
    } catch (err) {
      if (destroyed) return;
      if (which === 'in' && err.status === 409) {
        clock = { state: 'in', at: clock && clock.state === 'in' ? clock.at : '', source: 'conflict' };
        msg = { kind: 'conflict', text: t('attendance.alreadyIn'), detail: err.title };
      } else if (which === 'out' && err.status === 404) {
        clock = { state: 'out', at: clock && clock.state === 'out' ? clock.at : '', source: 'notin' };
        msg = { kind: 'notin', text: t('attendance.notIn'), detail: err.title };
      } else {
        msg = { kind: 'error', text: [err.title, err.problem && err.problem.detail].filter(Boolean).join(' ') };
      }
    }
    busy = false;
    if (clock) remember(me, clock);
    renderClock();
    loadReport();
  }

  function renderClock() {
    if (destroyed || !canClock) return;
    const st = clock ? clock.state : 'unknown';
    const when = clock && clock.at ? new Date(clock.at) : null;
    const whenText = when ? (siteDate(when) === siteDate() ? formatTime(when) : `${siteDate(when)} ${formatTime(when)}`) : '';
    const stateText = st === 'in'
      ? (whenText ? t('attendance.stateInSince', { time: whenText }) : t('attendance.stateIn'))
      : st === 'out' ? (whenText ? t('attendance.stateOutAt', { time: whenText }) : t('att.stateNotIn')) : t('attendance.stateUnknown');
    const next = st === 'in' ? 'out' : 'in';
    const btn = (which) => h(`button.btn.att-btn.att-btn-${which}${which === next ? '.att-btn-next' : ''}`, { type: 'button', testid: `clock-${which}`,
      disabled: busy, 'aria-describedby': 'att-state', onclick: () => doClock(which) },
    icon(which === 'in' ? 'clockin' : 'logout'), h('span.att-btn-text', t(which === 'in' ? 'attendance.clockIn' : 'attendance.clockOut')),
    h('span.att-btn-sub', which === 'in' ? t('attendance.clockInSub') : t('attendance.clockOutSub')));
    const slotsLine = mine === null ? null : mine.length === 0
      ? h('p.att-mine.muted', { testid: 'clock-my-slots' }, t('attendance.mineNone'))
      : h('p.att-mine', { testid: 'clock-my-slots' }, icon('calendar'),
        h('span', t('attendance.mine', { slots: mine.map((s) => rangeLabel(s.start, s.end)).join(t('roster.listSep')) })));
    mount(clockHost, h('section.panel.att-clock', { testid: 'clock-panel', dataset: { state: st } },
      h('div.att-clock-main',
        h('div.att-state', { id: 'att-state', testid: 'clock-state', dataset: { state: st } },
          h('span.att-state-label', t('attendance.stateLabel', { name: (ctx.user && (ctx.user.display_name || ctx.user.username)) || me })),
          h('span.att-state-text', h('span.att-dot', { 'aria-hidden': 'true' }), stateText),
          h('span.att-state-note', st === 'unknown' ? t('att.asking') : clock && clock.source === 'server' ? t('attendance.fromServer') : t('attendance.fromAnswer'))),
        h('div.att-btns', btn(next), btn(next === 'in' ? 'out' : 'in'))),
      msg ? h(`div.att-msg.att-msg-${msg.kind}`, { testid: 'clock-msg', dataset: { kind: msg.kind }, role: msg.kind === 'ok' ? 'status' : 'alert' },
        icon(msg.kind === 'ok' ? 'check' : 'alert'), h('span.att-msg-text', msg.text), msg.detail ? h('span.att-msg-detail', msg.detail) : null) : null,
      slotsLine));
  }

  // --- The report -------------------------------------------------------------------------

  function renderDay() {
    const today = siteDate();
    const dateIn = h('input.input.rs-date', { type: 'date', testid: 'attendance-date', value: date, max: today, 'aria-label': t('attendance.date'),
      onchange: (e) => { const v = e.target.value; if (isDateString(v) && v <= today) go(v); else e.target.value = date; } });
    mount(dayHost, h('div.att-daynav',
      h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'attendance-prev', title: t('duty.prevDay'), onclick: () => go(addDays(date, -1)) }, h('span.flip', icon('chevron'))),
      dateIn,
      h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'attendance-next', title: t('duty.nextDay'), disabled: date >= today, onclick: () => go(addDays(date, 1)) }, icon('chevron')),
      h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'attendance-today', disabled: date === today, onclick: () => go(today) }, t('duty.today')),
      h('span.att-day-text', { testid: 'attendance-day' }, formatSiteDay(date))));
  }

  function go(d) {
    if (d === date) return;
    date = d;
    rows = null;
    ctx.setParams({ date: date === siteDate() ? '' : date });
    renderDay();
    mount(reportHost, loadingState());
    mount(reportMeta);
    loadReport();
  }

  let seq = 0;
  async function loadReport() {
    const my = ++seq;
    const today = siteDate();
    if (rows) reportHost.classList.add('busy');
    try {
      const b = siteDayBounds(date);
      const tb = siteDayBounds(today);
      const [r, td] = await Promise.all([
        api.get(`${api.API}/attendance`, b),
        canClock && date !== today ? api.get(`${api.API}/attendance`, tb).catch(() => null) : null,
      ]);
      if (destroyed || my !== seq) return;
      rows = (r && Array.isArray(r.items)) ? r.items : [];
      people.addSlots(rows);
      const todays = date === today ? rows : (td && Array.isArray(td.items) ? td.items : null);
      mine = todays ? todays.filter((s) => s.username === me) : null;
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    reportHost.classList.remove('busy');
    renderReport();
    renderClock();
  }

  // The verdict of a slot: badges, and a word for the row.
  function verdict(s, now) {
    const start = Date.parse(s.start); const end = Date.parse(s.end);
    if (typeof s.absent !== 'boolean') return { key: 'upcoming', badges: [] };
    const running = now < end;
    if (s.absent) return running ? { key: 'notYet', badges: [['notYet', 'warn']] } : { key: 'absent', badges: [['absent', 'bad']] };
    const badges = [];
    if (s.late) badges.push(['late', 'warn']);
    if (s.left_early) badges.push(['leftEarly', 'warn']);
    if (badges.length) return { key: s.late ? 'late' : 'leftEarly', badges };
    return running && now >= start ? { key: 'onDuty', badges: [['onDuty', 'ok']] } : { key: 'ok', badges: [['ok', 'ok']] };
  }

  function renderReport() {
    if (destroyed) return;
    if (!rows) { if (loadErr) mount(reportHost, errorBanner(loadErr, () => loadReport())); return; }
    const now = Date.now();
    const judged = rows.map((s) => ({ s, v: verdict(s, now) }));
    const n = (f) => judged.filter(f).length;
    const counts = {
      slots: rows.length,
      late: n((x) => x.s.late === true),
      leftEarly: n((x) => x.s.left_early === true),
      absent: n((x) => x.v.key === 'absent'),
    };
    const stat = (k, cls) => h(`div.att-stat.${cls}`, { testid: `attendance-count-${k}`, dataset: { n: String(counts[k]) }, class: counts[k] && k !== 'slots' ? 'on' : '' },
      h('span.att-stat-n', formatNumber(counts[k])), h('span.att-stat-label', t(`attendance.count.${k}`)));
    mount(reportMeta, rows.length ? [stat('slots', 'att-stat-slots'), stat('late', 'att-stat-warn'), stat('leftEarly', 'att-stat-warn'), stat('absent', 'att-stat-bad')] : null);
    if (!rows.length) {
      mount(reportHost,
        loadErr ? errorBanner(loadErr, () => loadReport()) : null,
        h('div.att-empty', { testid: 'attendance-empty' },
          emptyState(t('attendance.empty'), canRoster ? t('attendance.emptyHintWrite') : t('attendance.emptyHintRead')),
          canRoster ? h('p.center', h('a.btn.btn-primary', { href: `#/roster?week=${mondayOf(date)}`, testid: 'attendance-to-roster' }, icon('calendar'), h('span', t('attendance.toRoster')))) : null));
      return;
    }
    mount(reportHost,
      loadErr ? errorBanner(loadErr, () => loadReport()) : null,
      h('div.table-wrap', h('table.table.att-table', { testid: 'attendance-table' },
        h('thead', h('tr',
          h('th', { scope: 'col' }, t('attendance.col.person')),
          h('th', { scope: 'col' }, t('attendance.col.slot')),
          h('th', { scope: 'col' }, t('attendance.col.length')),
          h('th', { scope: 'col' }, t('attendance.col.result')))),
        h('tbody', judged.map(({ s, v }) => h('tr', { testid: 'attendance-row',
          dataset: { id: String(s.id), username: s.username, verdict: v.key, late: String(s.late === true), leftEarly: String(s.left_early === true), absent: String(s.absent === true) } },
        h('td', personCell({ ...people.get(s.username), display_name: s.display_name || people.get(s.username).display_name, role: s.role || people.get(s.username).role }, 'attendance-person')),
        h('td.att-slot', h('span.att-slot-time', siteDate(new Date(s.start)) === date ? rangeLabel(s.start, s.end) : `${siteDate(new Date(s.start))} ${hm(s.start)}–${hm(s.end)}`),
          s.note ? h('span.att-slot-note', s.note) : null),
        h('td.att-len', t('roster.hoursN', { n: hours(Date.parse(s.end) - Date.parse(s.start)) })),
        h('td.att-result',
          v.key === 'upcoming' ? h('span.muted', { testid: 'attendance-badge', dataset: { kind: 'upcoming' } }, t('attendance.v.upcoming')) : null,
          v.badges.map(([k, cls]) => h(`span.badge.att-badge.att-badge-${cls}`, { testid: 'attendance-badge', dataset: { kind: k } }, t(`attendance.v.${k}`))))))))),
      h('p.rs-hint.att-note', t('attendance.note')));
  }

  // --- Start ----------------------------------------------------------------------------

  // The server says whether I am clocked in, and since when (GET /attendance/me);
  // what this browser remembered is only shown until it answers.
  async function loadClock() {
    if (!canClock) return;
    try {
      const res = await api.get(`${api.API}/attendance/me`);
      if (destroyed || busy) return;
      if (res.clocked_in) clock = { state: 'in', at: res.since || '', source: 'server' };
      else clock = { state: 'out', at: clock && clock.state === 'out' ? clock.at : '', source: 'server' };
      remember(me, clock);
      renderClock();
    } catch (_) { /* the remembered state stays */ }
  }

  renderClock();
  renderDay();
  loadReport();
  loadClock();

  const reload = debounce(() => { if (!destroyed) loadReport(); }, 250);
  return {
    onEvent(ev) {
      if (ev.type === 'roster' || ev.type === 'reset') reload();
      // One's own clock-in or -out from another browser.
      const d = ev.data && typeof ev.data === 'object' ? ev.data : {};
      if (ev.type === 'audit' && d.actor === me && (d.action === 'attendance.in' || d.action === 'attendance.out') && !busy) {
        const st = d.action === 'attendance.in' ? 'in' : 'out';
        if (!clock || clock.state !== st) {
          clock = { state: st, at: new Date().toISOString(), source: 'server' };
          remember(me, clock);
          renderClock();
        }
      }
    },
    destroy() { destroyed = true; },
  };
}
