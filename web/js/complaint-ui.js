// Shared pieces of 投诉与咨询 complaints and inquiries (R3.4.7, S7): the
// server's vocabularies (src/app/complaint.c), badges, the due-time countdown
// and the satisfaction stars. Used by the list (#/complaints) and one
// complaint's page (#/complaints/ID).

import { t, tEnum } from './i18n.js';
import { h, icon, formatDateTime } from './ui.js';

export const CHANNELS = ['phone', 'intercom', 'walk_in', 'other'];
export const CATEGORIES = ['security', 'noise', 'facilities', 'parking', 'hygiene', 'neighbour', 'service', 'other'];
export const URGENCIES = ['normal', 'urgent', 'major'];
export const STATES = ['open', 'in_progress', 'resolved', 'closed'];
// The server's limits (UTF-8 bytes), src/http/api_complaint.c.
export const LIMITS = { unit: 32, contact_name: 64, contact_phone: 20, description: 4000, assignee: 32, result: 2000, note: 2000 };

const HOUR = 3600 * 1000;
const utf8 = new TextEncoder();
export const bytes = (s) => utf8.encode(s || '').length;

// How long the server gives a complaint before it is overdue (due_in() in
// src/app/complaint.c), in hours: shown on the intake form.
export function dueHours(urgency, category) {
  if (urgency === 'major') return 1;
  if (urgency === 'urgent') return 4;
  return category === 'security' ? 8 : 24;
}

const CHANNEL_ICONS = { phone: 'phone', intercom: 'door', walk_in: 'guard', other: 'other' };

export function channelLabel(ch) {
  return h('span.cp-channel', { testid: 'cp-channel', dataset: { channel: ch || '' } },
    icon(CHANNEL_ICONS[ch] || 'other'), h('span', tEnum('cpChannel', ch)));
}

export function stateBadge(state) {
  return h(`span.badge.cp-st.cp-st-${STATES.includes(state) ? state : 'unknown'}`, { testid: 'cp-state', dataset: { state: state || '' } },
    h('span.dot', { 'aria-hidden': 'true' }), tEnum('cpState', state));
}

export function urgencyBadge(u) {
  if (!u || u === 'normal') {
    return h('span.cp-urg.cp-urg-normal', { testid: 'cp-urgency', dataset: { urgency: u || 'normal' } }, tEnum('cpUrgency', 'normal'));
  }
  return h(`span.cp-urg.cp-urg-${u}`, { testid: 'cp-urgency', dataset: { urgency: u } },
    u === 'major' ? icon('alert') : null, h('span', tEnum('cpUrgency', u)));
}

export function categoryChip(c) {
  return h(`span.chip.cp-cat.cp-cat-${CATEGORIES.includes(c) ? c : 'other'}`, { testid: 'cp-category', dataset: { category: c || '' } },
    tEnum('cpCategory', c));
}

export function overdueBadge(title) {
  return h('span.badge.cp-overdue', { testid: 'cp-overdue-badge', title: title || t('cp.overdueTitle') },
    icon('clock'), h('span', t('cp.overdue')));
}

// A span of time as "3小时12分" / "3h 12m"; under an hour with seconds.
export function formatSpan(ms) {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  if (d > 0) return t('cp.span.dh', { d, h: hh });
  if (hh > 0) return t('cp.span.hm', { h: hh, m: mm });
  return t('cp.span.ms', { m: mm, s: s % 60 });
}

// What the complaint waits for now and until when: the result (open,
// in progress) or the return visit (resolved); nothing once closed.
export function deadline(c) {
  if (!c) return null;
  if (c.state === 'open' || c.state === 'in_progress') {
    const at = Date.parse(c.due_at || '');
    return Number.isFinite(at) ? { kind: 'result', at } : null;
  }
  if (c.state === 'resolved') {
    const at = Date.parse(c.return_visit_due || '');
    return Number.isFinite(at) ? { kind: 'visit', at } : null;
  }
  return null;
}

function countdownText(kind, at, now) {
  const left = at - now;
  const span = formatSpan(left);
  if (kind === 'visit') return left >= 0 ? t('cp.visitDueIn', { d: span }) : t('cp.visitOverdueBy', { d: span });
  return left >= 0 ? t('cp.dueIn', { d: span }) : t('cp.overdueBy', { d: span });
}

// A ticking countdown to the deadline; tickCountdowns() refreshes it.
export function countdownEl(c, now) {
  const dl = deadline(c);
  if (!dl) return null;
  const late = now > dl.at;
  return h(`span.cp-due${late ? '.late' : ''}`, { testid: 'cp-due', title: `${t(dl.kind === 'visit' ? 'cp.visitDueAt' : 'cp.dueAt')} ${formatDateTime(new Date(dl.at))}`,
    dataset: { due: String(dl.at), kind: dl.kind, late: String(late) } },
  icon('clock'), h('span.cp-due-text', countdownText(dl.kind, dl.at, now)));
}

export function tickCountdowns(root, now) {
  for (const el of root.querySelectorAll('[data-testid="cp-due"][data-due]')) {
    const at = Number(el.dataset.due);
    if (!Number.isFinite(at)) continue;
    const late = now > at;
    el.classList.toggle('late', late);
    el.dataset.late = String(late);
    const txt = el.querySelector('.cp-due-text');
    if (txt) txt.textContent = countdownText(el.dataset.kind, at, now);
  }
}

// Satisfaction 1–5 as stars (read-only).
export function stars(n, { testid = 'cp-stars', size = '' } = {}) {
  const v = Number(n);
  if (!Number.isFinite(v) || v <= 0) return h('span.muted', { testid }, t('common.none'));
  const full = Math.round(v);
  return h(`span.cp-stars${size ? '.cp-stars-' + size : ''}`, { testid, dataset: { value: String(v) }, title: t('cp.starsTitle', { n: v }), 'aria-label': t('cp.starsTitle', { n: v }) },
    [1, 2, 3, 4, 5].map((i) => h(`span.cp-star${i <= full ? '.on' : ''}`, { 'aria-hidden': 'true' }, '★')));
}
