// 报修单 Fault tickets (#/tickets, S4, R2.3, R3.2, R3.4.4, R3.4.13): the list with
// state tabs, kind and overdue filters. One ticket with its timeline and the
// actions the user's permissions allow: #/tickets/ID (ticket.js).
//
// Live: `ticket` after every change reloads the list.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, pageHeader, loadingState, errorBanner, emptyState, pager, timeCell, PAGE_SIZES, icon } from '../ui.js';
import { TICKET_STATES, TICKET_KINDS, ticketStateBadge, overdueFlag, duration } from '../equipment-ui.js';
import { ticketTitle } from '../equipment-text.js';

const TABS = ['open', ...TICKET_STATES, ''];

export default function ticketsPage(el, ctx) {
  const p = ctx.params;
  const q = {
    state: p.get('state') === 'all' ? '' : (TICKET_STATES.includes(p.get('state')) ? p.get('state') : 'open'),
    kind: TICKET_KINDS.includes(p.get('kind')) ? p.get('kind') : '',
    overdue: p.get('overdue') === '1',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let destroyed = false;
  const listHost = h('div', loadingState());
  const tabs = h('div.tk-tabs', { role: 'tablist', testid: 'tk-tabs' });
  const kindSel = h('select.select.select-sm', { testid: 'tk-filter-kind', 'aria-label': t('eq.kind'),
    onchange: (e) => { q.kind = e.target.value; q.offset = 0; reload(); } },
  h('option', { value: '' }, `${t('eq.kind')}: ${t('common.all')}`),
  TICKET_KINDS.map((k) => h('option', { value: k, selected: q.kind === k }, tEnum('eqTicketKind', k))));
  const overdueBtn = h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'tk-filter-overdue', 'aria-pressed': String(q.overdue),
    onclick: () => { q.overdue = !q.overdue; overdueBtn.setAttribute('aria-pressed', String(q.overdue)); q.offset = 0; reload(); } },
  t('eq.overdueOnly'));
  const newBtn = ctx.can('ticket.write')
    ? h('a.btn.btn-primary', { href: '#/equipment', testid: 'tk-new' }, icon('plus'), h('span', t('eq.reportFault'))) : null;

  mount(el, pageHeader(t('eq.ticketsTitle'), t('eq.ticketsSubtitle'), newBtn),
    h('section.panel', { testid: 'tk-list' }, h('div.panel-head', tabs, h('div.filters', kindSel, overdueBtn)), listHost));

  function renderTabs() {
    mount(tabs, TABS.map((s) => h('button.tk-tab', { type: 'button', role: 'tab', testid: `tk-tab-${s || 'all'}`,
      'aria-selected': String(q.state === s), onclick: () => { q.state = s; q.offset = 0; reload(); } },
    s === '' ? t('common.all') : s === 'open' ? t('eq.openTickets') : tEnum('eqTicketState', s))));
  }

  function reload() {
    ctx.setParams({ state: q.state === 'open' ? '' : (q.state || 'all'), kind: q.kind, overdue: q.overdue ? '1' : '',
      limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
    renderTabs();
    load();
  }

  let seq = 0;
  async function load() {
    const my = ++seq;
    try {
      const pg = await api.list('tickets', { state: q.state || undefined, kind: q.kind || undefined,
        overdue: q.overdue ? 1 : undefined, limit: q.limit, offset: q.offset });
      if (destroyed || my !== seq) return;
      render(pg);
    } catch (err) {
      if (destroyed || my !== seq) return;
      mount(listHost, errorBanner(err, load));
    }
  }

  function render(pg) {
    if (!pg.items.length) { mount(listHost, emptyState(t('eq.noTickets'))); return; }
    const rows = pg.items.map((r) => h('a.tk-row', { href: `#/tickets/${r.id}`, testid: 'ticket-row', dataset: { id: r.id, state: r.state } },
      h('span.tk-id', `#${r.id}`),
      h('span.tk-title', ticketTitle(r.title, r.title_en)),
      h('span.tk-meta',
        h('span.tk-device', r.device_name || t('eq.siteWide')),
        h('span.tk-kind', tEnum('eqTicketKind', r.kind))),
      ticketStateBadge(r.state), overdueFlag(r),
      h('span.tk-meta.tk-meta-time',
        h('span.tk-when', { testid: 'tk-when', title: t('eq.reported') }, timeCell(r.reported_at)),
        h('span.tk-down', { testid: 'tk-down', title: t('eq.downtime') }, duration(r.downtime_ms)))));
    mount(listHost, h('div.tk-rows', rows),
      pager({ total: pg.total, limit: q.limit, offset: q.offset }, (s) => { q.limit = s.limit; q.offset = s.offset; reload(); }, 'tk-pager'));
  }

  reload();
  return {
    onEvent(ev) { if (ev.type === 'ticket' || ev.type === 'reset') load(); },
    destroy() { destroyed = true; },
  };
}
