// Small DOM helpers and shared widgets (states, badges, pager, table, toast, modal).

import { t, tEnum, lang } from './i18n.js';

// h('div.card#x', {attrs}, ...children) — tiny hyperscript.
export function h(sel, attrs, ...children) {
  const m = /^([a-z0-9-]+)?((?:[.#][\w-]+)*)$/i.exec(sel);
  const el = document.createElement((m && m[1]) || 'div');
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g)) {
      if (part[0] === '.') el.classList.add(part.slice(1));
      else el.id = part.slice(1);
    }
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className += (el.className ? ' ' : '') + v;
      else if (k === 'testid') el.dataset.testid = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (k === 'html') el.innerHTML = v; // only used for static, trusted SVG icons
      else if (v === true) el.setAttribute(k, '');
      else if (k in el && typeof v !== 'string') el[k] = v;
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
export function mount(el, ...children) { clear(el); append(el, children); return el; }

// --- Icons (static inline SVG, stroke style) -------------------------------

const ICONS = {
  overview: '<path d="M3 13h8V3H3zM13 21h8V11h-8zM3 21h8v-6H3zM13 3v6h8V3z"/>',
  areas: '<path d="M3 21V8l6-4 6 4v13"/><path d="M15 21V11l6 3v7"/><path d="M7 10h4M7 14h4M7 18h4"/>',
  contacts: '<path d="M5 4h11a2 2 0 0 1 2 2v14a1 1 0 0 1-1 1H5z"/><circle cx="11" cy="10" r="2.5"/><path d="M7.5 17c.6-2 2-3 3.5-3s2.9 1 3.5 3"/><path d="M18 7h2M18 11h2M18 15h2"/>',
  residents: '<path d="M3 11 12 4l9 7"/><path d="M5 10v10h14V10"/><path d="M10 20v-5h4v5"/>',
  users: '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.8-3.6 3.4-5.5 6.5-5.5s5.7 1.9 6.5 5.5"/><path d="M16 4.5a3.5 3.5 0 0 1 0 7M18.5 14.8c1.6.8 2.6 2.6 3 5.2"/>',
  audit: '<path d="M12 3 4 6v6c0 4.5 3.4 8.3 8 9 4.6-.7 8-4.5 8-9V6z"/><path d="m8.5 12 2.5 2.5 4.5-5"/>',
  logout: '<path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3"/><path d="M10 17l-5-5 5-5M5 12h11"/>',
  search: '<circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/>',
  refresh: '<path d="M20 11a8 8 0 0 0-14.5-4.5L4 8"/><path d="M4 4v4h4"/><path d="M4 13a8 8 0 0 0 14.5 4.5L20 16"/><path d="M20 20v-4h-4"/>',
  eye: '<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>',
  eyeOff: '<path d="M3 3l18 18"/><path d="M10.6 5.1A10 10 0 0 1 12 5c6.5 0 10 7 10 7a17 17 0 0 1-3.2 4.1M6.3 6.3C3.6 8.1 2 12 2 12s3.5 7 10 7a9.7 9.7 0 0 0 5.7-1.8"/><path d="M9.9 9.9a3 3 0 0 0 4.2 4.2"/>',
  plus: '<path d="M12 5v14M5 12h14"/>',
  phone: '<path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2"/>',
  alert: '<path d="M12 3 2 20h20z"/><path d="M12 10v4M12 17.5v.5"/>',
  check: '<path d="m5 12.5 4.5 4.5L19 7.5"/>',
  chevron: '<path d="m9 6 6 6-6 6"/>',
  shield: '<path d="M12 2 4 5.5v6.3c0 5.2 3.4 9.4 8 10.2 4.6-.8 8-5 8-10.2V5.5z"/><circle cx="12" cy="11" r="4"/><circle cx="12" cy="11" r="1.4" fill="currentColor"/>',
  fire: '<path d="M12 3c1 3.5 5 5.5 5 10a5 5 0 0 1-10 0c0-2 1-3.3 2-4.3.3 1.6 1 2.6 2 3 0-3 .5-6 1-8.7z"/>',
  police: '<path d="M12 3 4 6v5c0 5 3.5 9 8 10 4.5-1 8-5 8-10V6z"/><path d="m12 8 1.2 2.5 2.8.4-2 2 .5 2.8-2.5-1.3-2.5 1.3.5-2.8-2-2 2.8-.4z"/>',
  ambulance: '<rect x="2" y="7" width="13" height="10" rx="1"/><path d="M15 10h4l3 3v4h-7"/><circle cx="6.5" cy="18" r="1.8"/><circle cx="17.5" cy="18" r="1.8"/><path d="M8.5 9.5v5M6 12h5"/>',
  clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
  building: '<path d="M4 21V4h10v17M14 9h6v12"/><path d="M7 8h4M7 12h4M7 16h4M17 13h0M17 17h0"/>',
  floor: '<path d="M3 9 12 4l9 5-9 5z"/><path d="m3 14 9 5 9-5"/>',
  garage: '<path d="M3 20V9l9-5 9 5v11"/><path d="M7 20v-7h10v7M7 16h10"/>',
  lobby: '<path d="M4 21V5a1 1 0 0 1 1-1h14a1 1 0 0 1 1 1v16"/><path d="M10 21v-6h4v6"/>',
  elevator: '<rect x="5" y="3" width="14" height="18" rx="1.5"/><path d="m9.5 9 2.5-3 2.5 3M9.5 15l2.5 3 2.5-3"/>',
  perimeter: '<path d="M4 20V8M9 20V8M14 20V8M19 20V8M2 11h20M2 16h20"/><path d="m4 8-1-2 1-2 1 2zM19 8l-1-2 1-2 1 2z"/>',
  gate: '<path d="M3 21V6M21 21V6M3 10h18"/><path d="M7 10v11M11 10v11M15 10v11"/><path d="M3 6h18"/>',
  control_room: '<rect x="2" y="4" width="9" height="7" rx="1"/><rect x="13" y="4" width="9" height="7" rx="1"/><path d="M5 20h14M12 14v6"/>',
  public: '<circle cx="12" cy="8" r="3"/><path d="M12 11v10M8 21h8M6 15h12"/>',
  // Alarm handling.
  bell: '<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z"/><path d="M10 20.5a2 2 0 0 0 4 0"/><path d="M3 8.5a9 9 0 0 1 2.5-4.5M21 8.5A9 9 0 0 0 18.5 4"/>',
  history: '<path d="M3.5 12a8.5 8.5 0 1 0 2.5-6"/><path d="M3 4v4h4"/><path d="M12 8v4.5l3 2"/>',
  volume: '<path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4z"/><path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11"/>',
  volumeOff: '<path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4z"/><path d="m16 9.5 5 5M21 9.5l-5 5"/>',
  smoke: '<circle cx="12" cy="12" r="8.5"/><circle cx="12" cy="12" r="3"/><path d="M12 3.5v2M12 18.5v2M3.5 12h2M18.5 12h2"/>',
  intrusion: '<path d="M3 6v12M21 6v12"/><path d="M3 9h18M3 15h18" stroke-dasharray="2 2.5"/><circle cx="12" cy="12" r="2.2"/>',
  panic: '<circle cx="12" cy="12" r="9"/><path d="M12 7v6M12 16.5v.5"/>',
  trouble: '<path d="M14.5 6.5a4 4 0 0 0-5.3 5.1L4 16.8 7.2 20l5.2-5.2a4 4 0 0 0 5.1-5.3l-2.4 2.4-2.4-.6-.6-2.4z"/>',
  tamper: '<rect x="5" y="10.5" width="14" height="10" rx="1.5"/><path d="M8 10.5V7a4 4 0 0 1 7.5-2"/><path d="m11 14 2 2.5-1.5 1.5"/>',
  comm: '<path d="M9.5 14.5 7 17a3 3 0 0 1-4.2-4.2L5.5 10"/><path d="m14.5 9.5 2.5-2.5a3 3 0 0 1 4.2 4.2L18.5 14"/><path d="M4 4l16 16"/>',
  other: '<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.3 2.4c-.5.2-.8.6-.8 1.1v.5M12 16.5v.5"/>',
  back: '<path d="M19 12H5M11 6l-6 6 6 6"/>',
  note: '<path d="M5 3.5h10l4 4v13H5z"/><path d="M15 3.5v4h4M8.5 12h7M8.5 15.5h7M8.5 8.5h3"/>',
  keyboard: '<rect x="2.5" y="6" width="19" height="12" rx="1.5"/><path d="M6 9.5h.01M9.5 9.5h.01M13 9.5h.01M16.5 9.5h.01M6 13h.01M18 13h.01M9 15.5h6"/>',
  guard: '<circle cx="12" cy="5.5" r="2.3"/><path d="M9 21v-6l-2-1 1.5-5h7l1.5 5-2 1v6"/><path d="M10 21h4"/>',
  flag: '<path d="M5 21V4M5 4h11l-2 4 2 4H5"/>',
  reset: '<path d="M4 12a8 8 0 1 0 2.4-5.7"/><path d="M4 4v4.5h4.5"/>',
  done: '<circle cx="12" cy="12" r="9"/><path d="m8 12.5 2.8 2.8L16.5 9.5"/>',
  archive: '<rect x="3" y="4" width="18" height="4.5" rx="1"/><path d="M5 8.5V20h14V8.5M10 12.5h4"/>',
  dutylog: '<path d="M6 3.5h12a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H6z"/><path d="M6 3.5v17M3.5 7.5H6M3.5 12H6M3.5 16.5H6"/><path d="M10 8h6M10 11.5h6M10 15h4"/>',
  print: '<path d="M7 8V3.5h10V8"/><rect x="3" y="8" width="18" height="8.5" rx="1.5"/><path d="M7 13.5h10V20.5H7z"/><path d="M17.5 11h.01"/>',
  download: '<path d="M12 3.5v11.5M7 10.5l5 5 5-5"/><path d="M4 17v3.5h16V17"/>',
  calendar: '<rect x="3.5" y="5" width="17" height="15.5" rx="1.5"/><path d="M3.5 9.5h17M8 3v4M16 3v4"/>',
  training: '<path d="M2.5 9 12 4.5 21.5 9 12 13.5z"/><path d="M6.5 11v4.5c1.5 1.6 3.3 2.4 5.5 2.4s4-.8 5.5-2.4V11M21.5 9v5"/>',
  clockin: '<circle cx="12" cy="13" r="7.5"/><path d="M12 9.5V13l2.5 1.5M9.5 2.5h5M12 2.5v3"/>',
  door: '<path d="M4 21h16"/><path d="M6 21V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v17"/><path d="M14.5 12.5v.01"/>',
  amend: '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13.5 6.5 4 4"/>',
  handover: '<path d="M4 8h13l-3.5-3.5M20 16H7l3.5 3.5"/>',
  complaint: '<path d="M4 5h16v11H10l-4.5 3.5V16H4z"/><path d="M12 8v3.5M12 13.6v.1"/>',
};

export function icon(name, cls = '') {
  const span = document.createElement('span');
  span.className = `icon ${cls}`.trim();
  span.setAttribute('aria-hidden', 'true');
  span.innerHTML = `<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${ICONS[name] || ''}</svg>`;
  return span;
}

// --- States --------------------------------------------------------------------

export function loadingState(text) {
  return h('div.state.state-loading', { testid: 'loading', role: 'status' },
    h('div.spinner', { 'aria-hidden': 'true' }), h('span', text || t('common.loading')));
}

export function emptyState(text, hint) {
  return h('div.state.state-empty', { testid: 'empty-state' },
    h('div.state-icon', icon('check')), h('div.state-text', text || t('common.empty')),
    hint ? h('div.state-hint', hint) : null);
}

export function errorBanner(err, onRetry) {
  const title = err && err.title ? err.title : (err && err.message) || t('common.error');
  const detail = err && err.problem && err.problem.detail;
  return h('div.banner.banner-error', { testid: 'error-banner', role: 'alert' },
    icon('alert'),
    h('div.banner-body', h('div.banner-title', { testid: 'error-title' }, title), detail ? h('div.banner-detail', detail) : null),
    onRetry ? h('button.btn.btn-ghost.btn-sm', { type: 'button', onclick: onRetry, testid: 'error-retry' }, t('common.retry')) : null);
}

export function banner(kind, text, testid) {
  return h(`div.banner.banner-${kind}`, { testid: testid || `banner-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    icon(kind === 'ok' ? 'check' : 'alert'), h('div.banner-body', h('div.banner-title', text)));
}

// --- Badges --------------------------------------------------------------------

export function statusBadge(status) {
  return h(`span.badge.status-${status || 'unknown'}`, { testid: 'status-badge', dataset: { status: status || '' } },
    h('span.dot', { 'aria-hidden': 'true' }), tEnum('status', status));
}

export function chip(text, cls = '') {
  return h(`span.chip${cls ? '.' + cls : ''}`, text);
}

// --- Time ------------------------------------------------------------------------

let siteTz = 'Asia/Shanghai';
export function setTimeZone(tz) {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); siteTz = tz; } catch (_) { siteTz = 'Asia/Shanghai'; }
}
export function timeZone() { return siteTz; }

const fmtCache = new Map();
function fmt(kind) {
  const key = `${lang()}|${siteTz}|${kind}`;
  let f = fmtCache.get(key);
  if (!f) {
    const base = { timeZone: siteTz, hourCycle: 'h23' };
    const opts = {
      datetime: { ...base, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
      time: { ...base, hour: '2-digit', minute: '2-digit', second: '2-digit' },
      date: { ...base, year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' },
    }[kind];
    f = new Intl.DateTimeFormat(kind === 'datetime' ? 'en-CA' : lang(), opts);
    fmtCache.set(key, f);
  }
  return f;
}

// Date and time as YYYY-MM-DD HH:mm:ss in the site time zone, the same in both
// languages: unambiguous on a duty log and easy to compare at a glance.
export function formatDateTime(iso) {
  if (!iso) return t('common.none');
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = {};
  for (const part of fmt('datetime').formatToParts(d)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
export function formatTime(d) { return fmt('time').format(d); }

// --- Site calendar days ------------------------------------------------------------
// A day of a record such as the duty log is a calendar day in the site's time
// zone, whatever the browser's own zone is. Dates are 'YYYY-MM-DD' strings.

export function isDateString(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

// The site's calendar date of an instant.
export function siteDate(d = new Date()) {
  const p = {};
  for (const part of fmt('datetime').formatToParts(d instanceof Date ? d : new Date(d))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}`;
}

export function addDays(ymd, n) {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

// Site wall-clock time minus UTC at an instant, in ms.
function siteOffset(ms) {
  const p = {};
  for (const part of fmt('datetime').formatToParts(new Date(ms))) p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

// The instant the site's day `ymd` begins (its local midnight; on a day that
// starts inside a daylight-saving gap, the first instant of it).
export function siteDayStart(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  let at = wall - siteOffset(wall);
  const again = wall - siteOffset(at);
  if (again !== at && siteDate(new Date(again)) === ymd) at = again;
  return new Date(at);
}

// {from, to} of the site's day as ISO-8601 UTC (to = the start of the next day).
export function siteDayBounds(ymd) {
  const iso = (d) => d.toISOString().replace('.000Z', 'Z');
  return { from: iso(siteDayStart(ymd)), to: iso(siteDayStart(addDays(ymd, 1))) };
}

// The day written out in the current language with its weekday ("2026年5月1日 周五").
export function formatSiteDay(ymd) {
  const start = siteDayStart(ymd).getTime();
  const end = siteDayStart(addDays(ymd, 1)).getTime();
  return formatDate(new Date((start + end) / 2));
}
export function formatDate(d) { return fmt('date').format(d); }
export function formatNumber(n) { return new Intl.NumberFormat(lang()).format(n); }

export function timeCell(iso) {
  return h('time', { datetime: iso || '', title: iso || '' }, formatDateTime(iso));
}

// --- Pager ---------------------------------------------------------------------

export const PAGE_SIZES = [25, 50, 100];

// state: {limit, offset, total}; onChange({limit, offset})
export function pager(state, onChange, testid = 'pager') {
  const { limit, offset, total } = state;
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  const go = (o) => onChange({ limit, offset: Math.max(0, o) });
  const sizeSel = h('select.select.select-sm', { testid: 'pager-size', 'aria-label': t('pager.size'),
    onchange: (e) => onChange({ limit: Number(e.target.value), offset: 0 }) },
  PAGE_SIZES.map((n) => h('option', { value: n, selected: n === limit }, t('pager.sizeOption', { n }))));
  return h('div.pager', { testid },
    h('div.pager-info', h('span', { testid: 'list-total', dataset: { total: String(total) } }, total === 0 ? t('pager.total', { total }) : t('pager.range', { from, to, total }))),
    h('div.pager-controls',
      h('label.pager-size', h('span', t('pager.size')), sizeSel),
      h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'pager-first', disabled: page <= 1, onclick: () => go(0), title: t('pager.first') }, '«'),
      h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'pager-prev', disabled: page <= 1, onclick: () => go(offset - limit) }, t('pager.prev')),
      h('span.pager-page', { testid: 'pager-page' }, t('pager.page', { page, pages })),
      h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'pager-next', disabled: page >= pages, onclick: () => go(offset + limit) }, t('pager.next')),
      h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'pager-last', disabled: page >= pages, onclick: () => go((pages - 1) * limit), title: t('pager.last') }, '»')));
}

// --- Table -----------------------------------------------------------------------

// columns: [{key, label, cell(row) -> node|string, cls}]
export function table(columns, rows, { rowTestid, rowAttrs, testid } = {}) {
  return h('div.table-wrap',
    h('table.table', { testid },
      h('thead', h('tr', columns.map((c) => h('th', { class: c.cls || '', scope: 'col' }, c.label)))),
      h('tbody', rows.map((r) => h('tr', { testid: rowTestid, ...(rowAttrs ? rowAttrs(r) : {}) },
        columns.map((c) => {
          const v = c.cell ? c.cell(r) : r[c.key];
          return h('td', { class: c.cls || '', dataset: { col: c.key } }, v === null || v === undefined || v === '' ? t('common.none') : v);
        }))))));
}

// --- Toast ---------------------------------------------------------------------

export function toast(text, kind = 'ok') {
  let host = document.querySelector('.toasts');
  if (!host) { host = h('div.toasts', { 'aria-live': 'polite' }); document.body.appendChild(host); }
  const el = h(`div.toast.toast-${kind}`, { testid: 'toast', role: 'status' }, icon(kind === 'ok' ? 'check' : 'alert'), h('span', text));
  host.appendChild(el);
  setTimeout(() => { el.classList.add('leaving'); setTimeout(() => el.remove(), 300); }, 3500);
}

// --- Modal ---------------------------------------------------------------------

export function modal(title, body, { testid = 'modal', onClose } = {}) {
  const close = () => { overlay.remove(); document.removeEventListener('keydown', onKey); if (onClose) onClose(); };
  const onKey = (e) => { if (e.key === 'Escape') close(); };
  const overlay = h('div.modal-overlay', { onclick: (e) => { if (e.target === overlay) close(); } },
    h('div.modal', { role: 'dialog', 'aria-modal': 'true', 'aria-label': title, testid },
      h('div.modal-head', h('h2', title),
        h('button.btn.btn-icon.btn-ghost', { type: 'button', onclick: close, 'aria-label': t('common.close'), testid: 'modal-close' }, '×')),
      h('div.modal-body', body)));
  document.body.appendChild(overlay);
  document.addEventListener('keydown', onKey);
  const first = overlay.querySelector('input,select,button:not(.btn-icon)');
  if (first) setTimeout(() => first.focus(), 0);
  return { close, el: overlay };
}

// --- Page header ---------------------------------------------------------------

export function pageHeader(title, subtitle, ...actions) {
  return h('header.page-head',
    h('div', h('h1.page-title', { testid: 'page-title' }, title), subtitle ? h('p.page-sub', subtitle) : null),
    h('div.page-actions', actions));
}

// Debounce helper.
export function debounce(fn, ms) {
  let id = 0;
  return (...a) => { clearTimeout(id); id = setTimeout(() => fn(...a), ms); };
}
