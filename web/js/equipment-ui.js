// Shared bits of the equipment-care pages (tickets, check sheets, equipment):
// enumerations as the API spells them and small badges.

import { t, tEnum } from './i18n.js';
import { h } from './ui.js';

export const TICKET_STATES = ['reported', 'assigned', 'repaired', 'verified', 'closed'];
export const TICKET_KINDS = ['fault', 'check_failure', 'camera_health'];
export const ASSIGNEE_KINDS = ['engineer', 'elevator_tech', 'outside'];
export const TASK_STATUSES = ['overdue', 'due', 'failed', 'done', 'upcoming'];

export function ticketStateBadge(state) {
  return h(`span.badge.tk-state.tk-state-${state}`, { testid: 'tk-state', dataset: { state } },
    h('span.dot', { 'aria-hidden': 'true' }), tEnum('eqTicketState', state));
}

export function taskBadge(status) {
  return h(`span.badge.ck-status.ck-status-${status}`, { testid: 'ck-status', dataset: { status } },
    tEnum('eqTaskStatus', status));
}

export function overdueFlag(row) {
  return row && row.overdue ? h('span.badge.tk-overdue', { testid: 'tk-overdue' }, t('eq.overdue')) : null;
}

// "3 h 20 min", "2 d 4 h" from ms.
export function duration(ms) {
  const m = Math.max(0, Math.round((ms || 0) / 60000));
  const d = Math.floor(m / 1440);
  const hh = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  if (d) return t('eq.durDays', { d, h: hh });
  if (hh) return t('eq.durHours', { h: hh, m: mm });
  return t('eq.durMinutes', { m: mm });
}

// Name of a sheet in the current language.
export function sheetName(row, lang) {
  return lang === 'en' ? (row.name_en || row.code) : (row.name_zh || row.code);
}

// The overview's equipment strip: check sheets due/overdue and open tickets,
// filled in asynchronously (nothing when the user may read neither).
export function overviewCard(ctx, api) {
  if (!ctx.can('check.read') && !ctx.can('ticket.read')) return null;
  const checks = h('a.stat', { href: '#/checks', testid: 'stat-checks' },
    h('div.stat-body', h('div.stat-value', '…'), h('div.stat-label', t('eq.ovChecks'))));
  const tickets = h('a.stat', { href: '#/tickets', testid: 'stat-tickets' },
    h('div.stat-body', h('div.stat-value', '…'), h('div.stat-label', t('nav.tickets'))));
  (async () => {
    try {
      if (ctx.can('check.read')) {
        const res = await api.get(`${api.API}/checks/due`);
        const overdue = res.items.filter((x) => x.status === 'overdue').length;
        checks.querySelector('.stat-value').textContent = String(res.items.length);
        checks.querySelector('.stat-label').textContent = `${t('eq.ovChecks')} · ${t('eq.ovChecksDue', { due: res.items.length - overdue, overdue })}`;
        checks.dataset.overdue = String(overdue);
        if (overdue) checks.classList.add('stat-alert');
      } else checks.remove();
      if (ctx.can('ticket.read')) {
        const n = await api.count('tickets', { state: 'open' });
        tickets.querySelector('.stat-value').textContent = String(n);
        tickets.querySelector('.stat-label').textContent = t('eq.ovTickets', { n });
      } else tickets.remove();
    } catch { /* the strip is a convenience; the pages show errors */ }
  })();
  return h('section.stats.eq-overview', { testid: 'overview-equipment' }, checks, tickets);
}
