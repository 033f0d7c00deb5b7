// Shared pieces of the alarm console, the incident page and the history:
// type / priority / state badges, the location of an incident, elapsed time.

import { t, tEnum } from './i18n.js';
import { h, icon } from './ui.js';

export const INCIDENT_TYPES = ['fire', 'smoke_heat', 'intrusion', 'panic', 'elevator', 'trouble', 'tamper', 'comm_failure', 'other'];
export const INCIDENT_STATES = ['new', 'acknowledged', 'dispatched', 'verified', 'resolved', 'reset', 'closed'];
export const VERDICTS = ['real', 'false', 'test'];

// The server's state machine (src/app/incident.c): the moves out of each state.
export const MOVES = {
  new: ['acknowledged'],
  acknowledged: ['dispatched', 'verified'],
  dispatched: ['verified'],
  verified: ['resolved'],
  resolved: ['reset'],
  reset: ['closed'],
  closed: [],
};

const TYPE_ICONS = {
  fire: 'fire', smoke_heat: 'smoke', intrusion: 'intrusion', panic: 'panic', elevator: 'elevator',
  trouble: 'trouble', tamper: 'tamper', comm_failure: 'comm', other: 'other',
};

export function typeIcon(type, cls = '') { return icon(TYPE_ICONS[type] || 'other', cls); }

export function typeLabel(type) { return tEnum('incidentType', type); }

export function typeBadge(type) {
  return h(`span.type-badge.type-${type || 'other'}`, { testid: 'type-badge', dataset: { type: type || '' } },
    typeIcon(type), h('span', typeLabel(type)));
}

export function priorityBadge(p) {
  const n = Number.isFinite(p) ? p : 4;
  return h(`span.prio.prio-${Math.min(4, Math.max(1, n))}`, { testid: 'priority-badge', dataset: { priority: String(n) }, title: tEnum('priority', String(n)) }, `P${n}`);
}

export function stateBadge(state) {
  return h(`span.badge.ist.ist-${state || 'unknown'}`, { testid: 'state-badge', dataset: { state: state || '' } },
    h('span.dot', { 'aria-hidden': 'true' }), tEnum('incidentState', state));
}

export function verdictBadge(v) {
  if (!v) return null;
  return h(`span.chip.verdict.verdict-${v}`, { testid: 'verdict-badge', dataset: { verdict: v } }, tEnum('verdict', v));
}

export function unmappedBadge() {
  return h('span.chip.chip-unmapped', { testid: 'unmapped-badge', title: t('incident.unmappedHint') }, t('incident.unmapped'));
}

// Building / floor / elevator as short chips ("2号楼", "3层", "2-1号电梯").
export function locationChips(inc) {
  const out = [];
  if (inc.building) out.push(t('loc.building', { b: inc.building }));
  if (inc.floor !== null && inc.floor !== undefined && inc.floor !== '') {
    const f = Number(inc.floor);
    out.push(f < 0 ? t('loc.basement', { n: -f }) : t('loc.floor', { f: inc.floor }));
  }
  if (inc.elevator_no) out.push(t('loc.elevator', { no: inc.elevator_no }));
  return out;
}

export function zoneText(inc) {
  const parts = [];
  if (inc.account) parts.push(t('loc.account', { account: inc.account }));
  if (inc.zone) parts.push(t('loc.zone', { zone: inc.zone }));
  return parts.join(' · ');
}

// The main place name: the area, or for an unmapped alarm its account and zone.
export function placeName(inc) {
  if (inc.area_name) return inc.area_name;
  if (inc.device_name) return inc.device_name;
  return zoneText(inc) || t('common.none');
}

// A one-line summary ("火警 · 2号楼3层") for titles.
export function incidentHeadline(inc) {
  return `${typeLabel(inc.type)} · ${placeName(inc)}`;
}

// Location block: place, chips, device and account/zone.
export function locationBlock(inc, { compact = false } = {}) {
  const place = placeName(inc);
  // Chips the place name already says ("2号楼3层" has 2号楼 and 3层) are left out.
  const chips = locationChips(inc).filter((c) => !place.includes(c));
  const device = inc.device_name && inc.area_name
    ? h('div.loc-device', inc.device_kind ? `${inc.device_name}（${tEnum('deviceKind', inc.device_kind)}）` : inc.device_name)
    : null;
  const zone = zoneText(inc);
  return h('div.loc', { testid: 'incident-location' },
    h('div.loc-main',
      h('span.loc-place', place),
      chips.map((c) => h('span.loc-chip', c)),
      inc.unmapped ? unmappedBadge() : null),
    compact ? null : device,
    compact || !zone || zone === place ? null : h('div.loc-zone', zone));
}

// Elapsed time as m:ss / h:mm:ss / "2d 03:12".
export function formatElapsed(ms) {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const p2 = (n) => String(n).padStart(2, '0');
  if (d > 0) return t('time.daysElapsed', { d, hm: `${p2(hh)}:${p2(mm)}` });
  if (hh > 0) return `${hh}:${p2(mm)}:${p2(ss)}`;
  return `${p2(mm)}:${p2(ss)}`;
}

// An element whose text is the time since `iso`, refreshed by tickElapsed().
export function elapsedEl(iso, nowFn, cls = 'elapsed') {
  const start = Date.parse(iso || '');
  const el = h(`span.${cls}`, { testid: 'elapsed', dataset: { since: Number.isFinite(start) ? String(start) : '' } });
  el.textContent = Number.isFinite(start) ? formatElapsed(nowFn() - start) : t('common.none');
  return el;
}

export function tickElapsed(root, nowFn) {
  const n = nowFn();
  for (const el of root.querySelectorAll('[data-since]')) {
    const s = Number(el.dataset.since);
    if (Number.isFinite(s) && el.dataset.since !== '') el.textContent = formatElapsed(n - s);
  }
}
