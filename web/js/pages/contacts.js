// 通讯录 Contacts: internal staff (班长, 保安主管, 管理处经理, 工程, 电梯维保) and
// the external emergency numbers (119 火警, 110 报警, 120 急救).

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, table, PAGE_SIZES } from '../ui.js';

// National emergency numbers, shown when the site has not configured its own entry.
const EMERGENCY = [
  { role: 'fire', number: '119', icon: 'fire', label: 'contacts.fireLine' },
  { role: 'police', number: '110', icon: 'police', label: 'contacts.policeLine' },
  { role: 'ambulance', number: '120', icon: 'ambulance', label: 'contacts.ambulanceLine' },
];

export default function contacts(el, ctx) {
  let destroyed = false;
  const p = ctx.params;
  const q = {
    scope: p.get('scope') === 'external' ? 'external' : 'internal',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  const totals = { internal: null, external: null };

  const emHost = h('div.emergency', { testid: 'emergency' });
  const tabsHost = h('div.tabs', { role: 'tablist' });
  const listHost = h('div', loadingState());

  mount(el,
    pageHeader(t('contacts.title'), t('contacts.subtitle')),
    h('section.panel', h('div.panel-head', h('h2', t('contacts.emergency'))), emHost),
    h('section.panel', { testid: 'contacts' }, h('div.panel-head', tabsHost), listHost));

  function renderTabs() {
    mount(tabsHost, ['internal', 'external'].map((s) => h('button.tab', {
      type: 'button', role: 'tab', testid: `tab-${s}`, 'aria-selected': String(q.scope === s), class: q.scope === s ? 'active' : '',
      onclick: () => { if (q.scope !== s) { q.scope = s; q.offset = 0; renderTabs(); load(); } },
    }, t(`contacts.${s}`), totals[s] !== null ? h('span.tab-count', String(totals[s])) : null)));
  }

  async function loadEmergency() {
    try {
      const all = await api.listAll('contacts', { scope: 'external' });
      if (destroyed) return;
      totals.external = all.total;
      renderTabs();
      mount(emHost, EMERGENCY.map((e) => {
        const c = all.items.find((x) => x.role === e.role);
        const number = (c && c.phone) || e.number;
        return h(`a.em-card.em-${e.role}`, { href: `tel:${number}`, testid: `emergency-${e.role}` },
          icon(e.icon, 'em-icon'),
          h('div.em-body',
            h('div.em-number', number),
            h('div.em-label', t(e.label), c && c.name && c.name !== t(e.label) && !t(e.label).includes(c.name) ? h('span.em-name', ` · ${c.name}`) : null)));
      }));
    } catch (err) {
      if (!destroyed) mount(emHost, errorBanner(err, () => loadEmergency()));
    }
  }

  let seq = 0;
  async function load() {
    ctx.setParams({ scope: q.scope === 'internal' ? '' : q.scope, limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
    const my = ++seq;
    mount(listHost, loadingState());
    try {
      const page = await api.list('contacts', { scope: q.scope, limit: q.limit, offset: q.offset });
      if (destroyed || my !== seq) return;
      if (totals[q.scope] !== page.total) { totals[q.scope] = page.total; renderTabs(); }
      const cols = [
        { key: 'role', label: t('contacts.col.role'), cell: (c) => h(`span.chip.role-${c.role}`, tEnum('contactRole', c.role)) },
        { key: 'name', label: t('contacts.col.name'), cell: (c) => h('span.strong', c.name) },
        { key: 'phone', label: t('contacts.col.phone'), cell: (c) => c.phone ? h('a.phone', { href: `tel:${c.phone}`, testid: 'contact-phone' }, icon('phone'), c.phone) : null },
        { key: 'note', label: t('contacts.col.note'), cell: (c) => c.note, cls: 'col-note' },
      ];
      mount(listHost,
        page.items.length === 0 ? emptyState(t('contacts.empty'))
          : table(cols, page.items, { testid: 'contact-table', rowTestid: 'contact-row', rowAttrs: (c) => ({ dataset: { id: String(c.id), role: c.role } }) }),
        pager({ limit: q.limit, offset: q.offset, total: page.total }, ({ limit, offset }) => { q.limit = limit; q.offset = offset; load(); }));
    } catch (err) {
      if (!destroyed && my === seq) mount(listHost, errorBanner(err, () => load()));
    }
  }

  renderTabs();
  loadEmergency();
  load();
  return { destroy() { destroyed = true; } };
}
