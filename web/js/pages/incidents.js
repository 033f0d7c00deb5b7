// 事件历史 Incident history: every incident, newest first, filtered by state
// and type, paged. A row opens the incident page.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, table, timeCell, formatNumber, debounce, PAGE_SIZES } from '../ui.js';
import { INCIDENT_STATES, INCIDENT_TYPES, typeIcon, typeLabel, priorityBadge, stateBadge, verdictBadge, locationBlock } from '../incident-ui.js';

export default function incidents(el, ctx) {
  let destroyed = false;
  const p = ctx.params;
  const q = {
    state: INCIDENT_STATES.includes(p.get('state')) ? p.get('state') : '',
    type: INCIDENT_TYPES.includes(p.get('type')) ? p.get('type') : '',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let fresh = 0;

  const listHost = h('div', loadingState());
  const newHost = h('div');
  const stateSel = h('select.select', { testid: 'filter-state', 'aria-label': t('incidents.filterState'),
    onchange: (e) => { q.state = e.target.value; q.offset = 0; load(); } },
  h('option', { value: '' }, `${t('incidents.filterState')}: ${t('common.all')}`),
  INCIDENT_STATES.map((s) => h('option', { value: s, selected: q.state === s }, tEnum('incidentState', s))));
  const typeSel = h('select.select', { testid: 'filter-type', 'aria-label': t('incidents.filterType'),
    onchange: (e) => { q.type = e.target.value; q.offset = 0; load(); } },
  h('option', { value: '' }, `${t('incidents.filterType')}: ${t('common.all')}`),
  INCIDENT_TYPES.map((x) => h('option', { value: x, selected: q.type === x }, typeLabel(x))));
  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'incidents-refresh', onclick: () => load() }, icon('refresh'), h('span', t('common.refresh')));

  mount(el,
    pageHeader(t('incidents.title'), t('incidents.subtitle'), refreshBtn,
      h('a.btn.btn-primary', { href: '#/alarms' }, icon('bell'), h('span', t('nav.alarms')))),
    h('section.panel', { testid: 'incidents' },
      h('div.panel-head', h('h2', t('incidents.list')), h('div.filters', stateSel, typeSel), newHost),
      listHost));

  function renderNew() {
    mount(newHost, fresh > 0
      ? h('button.btn.btn-ghost.btn-sm.new-pill', { type: 'button', testid: 'incidents-new', onclick: () => { q.offset = 0; load(); } }, t('incidents.changed', { n: fresh }))
      : null);
  }

  let seq = 0;
  async function load() {
    ctx.setParams({ state: q.state, type: q.type, limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
    const my = ++seq;
    if (!listHost.querySelector('table')) mount(listHost, loadingState());
    else listHost.classList.add('busy');
    try {
      const page = await api.list('incidents', { state: q.state, type: q.type, limit: q.limit, offset: q.offset });
      if (destroyed || my !== seq) return;
      listHost.classList.remove('busy');
      fresh = 0;
      renderNew();
      const cols = [
        { key: 'id', label: '#', cell: (i) => h('a.mono', { href: `#/incidents/${i.id}`, testid: 'incident-link' }, String(i.id)), cls: 'col-id' },
        { key: 'priority', label: t('incidents.col.priority'), cell: (i) => priorityBadge(i.priority), cls: 'col-status' },
        { key: 'type', label: t('incidents.col.type'), cell: (i) => h('span.type-cell', { class: `type-${i.type}` }, typeIcon(i.type), h('span', typeLabel(i.type))) },
        { key: 'location', label: t('incidents.col.location'), cell: (i) => locationBlock(i) },
        { key: 'state', label: t('incidents.col.state'), cell: (i) => h('span.row-actions', stateBadge(i.state), verdictBadge(i.verdict)), cls: 'col-status' },
        { key: 'alarm_count', label: t('incidents.col.count'), cell: (i) => h('span.mono', formatNumber(i.alarm_count || 0)), cls: 'col-num' },
        { key: 'opened_at', label: t('incidents.col.opened'), cell: (i) => timeCell(i.opened_at), cls: 'col-time' },
        { key: 'acked', label: t('incidents.col.acked'), cell: (i) => i.acked_by ? h('div.cell-2', h('span', i.acked_by), h('span.cell-sub', timeCell(i.acked_at))) : null },
        { key: 'closed_at', label: t('incidents.col.closed'), cell: (i) => i.closed_at ? timeCell(i.closed_at) : null, cls: 'col-time' },
      ];
      mount(listHost,
        page.items.length === 0 ? emptyState(t('incidents.empty'))
          : table(cols, page.items, {
            testid: 'incident-table', rowTestid: 'incident-row',
            rowAttrs: (i) => ({ class: 'row-link', dataset: { id: String(i.id), state: i.state, type: i.type },
              onclick: (e) => { if (!e.target.closest('a')) location.hash = `#/incidents/${i.id}`; } }),
          }),
        pager({ limit: q.limit, offset: q.offset, total: page.total }, ({ limit, offset }) => { q.limit = limit; q.offset = offset; load(); }));
    } catch (err) {
      if (destroyed || my !== seq) return;
      listHost.classList.remove('busy');
      mount(listHost, errorBanner(err, () => load()));
    }
  }

  const autoReload = debounce(() => { if (!destroyed) load(); }, 800);
  load();
  return {
    onEvent(ev) {
      if (ev.type === 'reset') { autoReload(); return; }
      if (ev.type !== 'incident') return;
      if (q.offset === 0) autoReload();
      else { fresh += 1; renderNew(); }
    },
    destroy() { destroyed = true; },
  };
}
