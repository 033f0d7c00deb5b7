// Shared pieces of 排班与值守 Roster & coverage (#/roster), 培训记录 Training
// (#/training) and 考勤 Attendance (#/attendance): site-time week and
// wall-clock helpers, the people who may stand duty, courses, the tab bar.
//
// The API (docs/api.md; src/app/roster.c):
//   GET  /roster?from&to          slots {id, username, display_name, role, start, end, note, trained}
//   GET  /coverage?from&to        {min_staff, max_shift_hours, required_training, covered_ms, total_ms,
//                                  gaps:[{start, end, staffed}], long_slots:[id], untrained_slots:[id]}
//   GET  /training?username=      records {id, username, course, attended_at, expires_at, expired, recorded_by}
//   GET  /attendance?from&to      the roster slots with late / left_early / absent (not for slots to come)
// Every change is sent on the live stream as `event: roster` {action}.

import { t, tEnum, lang } from './i18n.js';
import * as api from './api.js';
import { h, icon, timeZone, siteDate, siteDayStart, addDays, formatNumber } from './ui.js';

export const COURSES = ['system_operation', 'fire_knowledge', 'security_awareness'];
export const DUTY_ROLES = ['operator', 'shift_leader'];
// The server's defaults (src/core/conf.c), until GET /coverage says otherwise.
export const DEFAULT_CONFIG = { min_staff: 2, max_shift_hours: 8, required_training: ['system_operation', 'fire_knowledge'] };

const HOUR = 3600000;
const DAY_MS = 24 * HOUR;

// --- Site wall-clock time ----------------------------------------------------------------

const fmts = new Map();
function partsFmt() {
  const tz = timeZone();
  let f = fmts.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    fmts.set(tz, f);
  }
  return f;
}

// {year, month, day, hour, minute, second} (numbers) of an instant in the site's zone.
export function siteParts(d) {
  const p = {};
  for (const x of partsFmt().formatToParts(d instanceof Date ? d : new Date(d))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  if (p.hour === 24) p.hour = 0;
  return p;
}

function offsetAt(ms) {
  const p = siteParts(new Date(ms));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

// The instant of site wall-clock time `minutes` after the start of day `ymd`
// (1440 = the next day's midnight). A time inside a daylight-saving gap gives
// the instant just after it.
export function siteInstant(ymd, minutes) {
  if (minutes >= 1440) return siteInstant(addDays(ymd, Math.floor(minutes / 1440)), minutes % 1440);
  if (minutes === 0) return siteDayStart(ymd);
  const [y, m, d] = ymd.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  let at = wall - offsetAt(wall);
  const again = wall - offsetAt(at);
  if (again !== at) at = Math.max(at, again);
  return new Date(at);
}

// "HH:MM" in the site's zone.
export function hm(d) {
  const p = siteParts(d);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

// "HH:MM" → minutes after midnight, or null.
export function parseHm(s) {
  const m = /^(\d{1,2}):(\d{2})$/.exec(String(s || '').trim());
  if (!m) return null;
  const hh = Number(m[1]); const mm = Number(m[2]);
  if (hh > 24 || mm > 59 || (hh === 24 && mm > 0)) return null;
  return hh * 60 + mm;
}

export const iso = (d) => (d instanceof Date ? d : new Date(d)).toISOString();

// --- Weeks ----------------------------------------------------------------------------------

// The Monday of the site week that holds day `ymd`.
export function mondayOf(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();   // 0 = Sunday
  return addDays(ymd, -((dow + 6) % 7));
}

// The seven days of the week from `monday`, with the instants they start and end.
export function weekDays(monday) {
  const days = [];
  for (let i = 0; i < 7; i++) {
    const ymd = addDays(monday, i);
    days.push({ ymd, start: siteDayStart(ymd).getTime(), end: siteDayStart(addDays(ymd, 1)).getTime() });
  }
  return days;
}

// The position (0..1) of an instant on a week (or day) axis, day by day so that a
// 23- or 25-hour day still fills exactly its column.
export function axisPos(days, ms) {
  if (ms <= days[0].start) return 0;
  const last = days[days.length - 1];
  if (ms >= last.end) return 1;
  for (let i = 0; i < days.length; i++) {
    const d = days[i];
    if (ms < d.end) return (i + (ms - d.start) / (d.end - d.start)) / days.length;
  }
  return 1;
}

const dayFmts = new Map();
// "周一 11/30" / "Mon 11/30" for a column head.
export function dayHead(ymd) {
  const key = `${lang()}|${timeZone()}`;
  let f = dayFmts.get(key);
  if (!f) {
    f = { wd: new Intl.DateTimeFormat(lang(), { timeZone: timeZone(), weekday: 'short' }), md: new Intl.DateTimeFormat(lang(), { timeZone: timeZone(), month: 'numeric', day: 'numeric' }) };
    dayFmts.set(key, f);
  }
  const mid = new Date(siteDayStart(ymd).getTime() + 12 * HOUR);
  return { weekday: f.wd.format(mid), date: f.md.format(mid) };
}

// "11/30 周一 16:00" — a short site-time label of an instant.
export function shortWhen(d) {
  const ymd = siteDate(d instanceof Date ? d : new Date(d));
  const head = dayHead(ymd);
  return `${head.date} ${head.weekday} ${hm(d)}`;
}

// A slot's time range, "08:00–16:00", with 24:00 for an end at the next midnight and
// "(+1)" when it ends on a later day.
export function rangeLabel(start, end, { short = false } = {}) {
  const s = new Date(start); const e = new Date(end);
  const sDay = siteDate(s); const eDay = siteDate(e);
  let endText = hm(e);
  let plus = '';
  if (eDay !== sDay) {
    if (endText === '00:00' && eDay === addDays(sDay, 1)) endText = '24:00';
    else plus = t('roster.nextDayMark');
  }
  const cut = (x) => (short && x.endsWith(':00') ? x.slice(0, 2) : x);
  return `${cut(hm(s))}–${cut(endText)}${plus}`;
}

export function hours(ms) {
  const v = Math.round((ms / HOUR) * 10) / 10;
  return formatNumber(v);
}

export const dayMs = DAY_MS;
export const hourMs = HOUR;

// --- Configuration ---------------------------------------------------------------------------

export function configFrom(cov) {
  if (!cov || typeof cov !== 'object') return { ...DEFAULT_CONFIG };
  const req = typeof cov.required_training === 'string'
    ? cov.required_training.split(',').map((s) => s.trim()).filter(Boolean)
    : DEFAULT_CONFIG.required_training;
  return {
    min_staff: Number.isInteger(cov.min_staff) ? cov.min_staff : DEFAULT_CONFIG.min_staff,
    max_shift_hours: Number.isInteger(cov.max_shift_hours) ? cov.max_shift_hours : DEFAULT_CONFIG.max_shift_hours,
    required_training: req,
  };
}

// There is no settings route: the coverage of one hour carries them.
export async function loadConfig() {
  const now = Date.now();
  try {
    return configFrom(await api.get(`${api.API}/coverage`, { from: iso(now), to: iso(now + HOUR) }));
  } catch (_) {
    return { ...DEFAULT_CONFIG };
  }
}

// --- People ---------------------------------------------------------------------------------

// Who may stand duty: active operators and shift leaders. Only roles with user.read
// can list the users; the others learn the people from the roster and the training
// records around the week shown (and always know themselves).
export class People {
  constructor(ctx) {
    this.ctx = ctx;
    this.map = new Map();        // username -> {username, display_name, role, listed}
    this.listed = false;
    const me = ctx.user;
    if (me && DUTY_ROLES.includes(me.role)) this.add({ username: me.username, display_name: me.display_name, role: me.role });
  }

  add(p) {
    if (!p || !p.username) return;
    const old = this.map.get(p.username) || { username: p.username };
    this.map.set(p.username, {
      ...old,
      display_name: p.display_name || old.display_name || '',
      role: p.role || old.role || '',
      listed: old.listed || !!p.listed,
    });
  }

  addSlots(slots) { for (const s of slots || []) this.add({ username: s.username, display_name: s.display_name, role: s.role }); }
  addTraining(recs) { for (const r of recs || []) this.add({ username: r.username }); }

  // With user.read: all the users (disabled and other roles marked inactive).
  // Without (a shift leader): GET /people?purpose=rosterable, the active
  // operators and shift leaders by name and role only; the form still gets a
  // dropdown, and the server checks the name all the same.
  async loadUsers() {
    if (!this.ctx.can('user.read')) return this.loadRosterable();
    try {
      const r = await api.listAll('users', null, 2000);
      for (const u of r.items) {
        if (u && !u.disabled && DUTY_ROLES.includes(u.role)) this.add({ username: u.username, display_name: u.display_name, role: u.role, listed: true });
      }
      // Someone disabled or no longer on duty stays only while their records show them.
      for (const u of r.items) if (u && (u.disabled || !DUTY_ROLES.includes(u.role))) { const p = this.map.get(u.username); if (p) { p.role = u.role; p.inactive = true; } }
      this.listed = true;
      return true;
    } catch (_) {
      return false;
    }
  }

  async loadRosterable() {
    try {
      const r = await api.get(`${api.API}/people`, { purpose: 'rosterable' });
      for (const u of r.items || []) {
        if (u && DUTY_ROLES.includes(u.role)) this.add({ username: u.username, display_name: u.display_name, role: u.role, listed: true });
      }
      // Known from the roster or training records but not rosterable now.
      const ok = new Set((r.items || []).map((u) => u && u.username));
      for (const p of this.map.values()) if (!ok.has(p.username)) p.inactive = true;
      this.listed = true;
      return true;
    } catch (_) {
      return false;
    }
  }

  get(username) { return this.map.get(username) || { username, display_name: '', role: '' }; }

  // Shift leaders first, then operators, then unknown roles; by name.
  sorted(filter) {
    const rank = (p) => { const i = DUTY_ROLES.indexOf(p.role); return i < 0 ? 9 : -i; };
    return [...this.map.values()].filter((p) => !filter || filter(p))
      .sort((a, b) => rank(a) - rank(b) || String(a.username).localeCompare(String(b.username)));
  }

  // The people one may pick in a form: those who can stand duty, as far as known.
  pickable() { return this.sorted((p) => !p.inactive && (!p.role || DUTY_ROLES.includes(p.role))); }
}

export function personName(p) {
  return (p && (p.display_name || p.username)) || t('common.none');
}

export function personCell(p, testid = 'person') {
  return h('div.rs-person', { testid, dataset: { username: p.username } },
    h('span.rs-person-name', personName(p)),
    h('span.rs-person-meta',
      p.role ? h('span.rs-role', { dataset: { role: p.role } }, tEnum('role', p.role)) : null,
      p.display_name ? h('span.rs-person-user', p.username) : null));
}

// A field for the person: a select when the users can be listed, otherwise a
// username input with the known people as suggestions (the server checks it).
export function personField({ people, id, testid, value, onChange }) {
  const list = people.pickable();
  if (people.listed) {
    const sel = h('select.select', { id, name: 'username', testid, onchange: (e) => onChange(e.target.value) },
      h('option', { value: '' }, t('roster.form.personPick')),
      list.map((p) => h('option', { value: p.username, selected: p.username === value }, `${personName(p)} · ${tEnum('role', p.role)}`)));
    return { el: sel, extra: null };
  }
  const dl = `${id}-list`;
  const inp = h('input.input', { id, name: 'username', testid, value: value || '', list: dl, autocapitalize: 'none', spellcheck: 'false', autocomplete: 'off',
    placeholder: t('roster.form.personPlaceholder'), oninput: (e) => onChange(e.target.value) });
  const extra = [
    h('datalist', { id: dl }, list.map((p) => h('option', { value: p.username }, `${personName(p)}${p.role ? ' · ' + tEnum('role', p.role) : ''}`))),
    h('p.rs-field-hint', { testid: `${testid}-hint` }, t('roster.form.personHint')),
  ];
  return { el: inp, extra };
}

// --- Training ---------------------------------------------------------------------------------

const SOON_MS = 30 * DAY_MS;

// The newest record per person and course: Map username -> Map course -> record.
export function latestTraining(records) {
  const out = new Map();
  for (const r of records || []) {
    if (!r || !r.username || !r.course) continue;
    let m = out.get(r.username);
    if (!m) { m = new Map(); out.set(r.username, m); }
    const old = m.get(r.course);
    if (!old || Date.parse(r.expires_at) > Date.parse(old.expires_at)) m.set(r.course, r);
  }
  return out;
}

// 'valid' | 'soon' (expires within 30 days) | 'expired' | 'none'
export function trainingState(rec, now = Date.now()) {
  if (!rec) return 'none';
  const exp = Date.parse(rec.expires_at);
  if (rec.expired || exp <= now) return 'expired';
  return exp - now <= SOON_MS ? 'soon' : 'valid';
}

// Whether a person holds every required course, unexpired, now.
export function qualified(latest, username, required, now = Date.now()) {
  const m = latest.get(username);
  return required.every((c) => { const s = trainingState(m && m.get(c), now); return s === 'valid' || s === 'soon'; });
}

// --- Tabs -----------------------------------------------------------------------------------

const TABS = [
  { id: 'roster', icon: 'calendar' },
  { id: 'training', icon: 'training' },
  { id: 'attendance', icon: 'clockin' },
];

export function rosterTabs(active) {
  return h('nav.tabs.rs-tabs', { testid: 'roster-tabs', 'aria-label': t('roster.tabs') },
    TABS.map((x) => h('a.tab', { href: `#/${x.id}`, testid: `roster-tab-${x.id}`, class: x.id === active ? 'active' : '',
      'aria-current': x.id === active ? 'page' : null }, icon(x.icon), h('span', t(`nav.${x.id}`)))));
}

// The week bar: ‹ previous · date · next › · this week, and the week written out.
export function weekBar({ monday, onGo, testid = 'week' }) {
  const today = siteDate();
  const thisWeek = mondayOf(today);
  const dateIn = h('input.input.rs-date', { type: 'date', testid: `${testid}-date`, 'aria-label': t('roster.pickWeek'), value: monday,
    onchange: (e) => { const v = e.target.value; if (/^\d{4}-\d{2}-\d{2}$/.test(v)) onGo(mondayOf(v)); else e.target.value = monday; } });
  const a = dayHead(monday); const b = dayHead(addDays(monday, 6));
  return h('section.panel.rs-weekbar', { testid: `${testid}-bar` },
    h('div.rs-nav',
      h('button.btn.btn-ghost', { type: 'button', testid: `${testid}-prev`, onclick: () => onGo(addDays(monday, -7)) },
        h('span.flip', icon('chevron')), h('span', t('roster.prevWeek'))),
      dateIn,
      h('button.btn.btn-ghost', { type: 'button', testid: `${testid}-next`, onclick: () => onGo(addDays(monday, 7)) },
        h('span', t('roster.nextWeek')), icon('chevron')),
      h('button.btn.btn-ghost', { type: 'button', testid: `${testid}-this`, disabled: monday === thisWeek, onclick: () => onGo(thisWeek) }, t('roster.thisWeek'))),
    h('div.rs-week-label', { testid: `${testid}-label`, dataset: { monday } },
      h('span', t('roster.weekRange', { from: `${a.date} ${a.weekday}`, to: `${b.date} ${b.weekday}` })),
      monday === thisWeek ? h('span.chip.rs-now-chip', t('roster.isThisWeek')) : null,
      h('span.rs-tz', timeZone())));
}
