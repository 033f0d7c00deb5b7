// 住户 Residents: masked list with search. Users with `resident.pii` can reveal a
// row (GET /residents/{id}?reveal=1, audited by the daemon) — S5 privacy.

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, table, debounce, toast, PAGE_SIZES } from '../ui.js';

export default function residents(el, ctx) {
  let destroyed = false;
  const p = ctx.params;
  const q = {
    q: p.get('q') || '',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  const canReveal = ctx.can('resident.pii');
  const revealed = new Map(); // id -> unmasked RESIDENT

  const listHost = h('div', loadingState());
  const search = h('input.input', { type: 'search', testid: 'resident-search', placeholder: t('residents.search'),
    'aria-label': t('residents.search'), value: q.q, oninput: debounce(() => { q.q = search.value.trim(); q.offset = 0; load(); }, 300) });
  const searchForm = h('form.search', { role: 'search', onsubmit: (e) => { e.preventDefault(); q.q = search.value.trim(); q.offset = 0; load(); } },
    icon('search', 'search-icon'), search);

  mount(el,
    pageHeader(t('residents.title'), t('residents.subtitle')),
    h('div.banner.banner-info', { testid: 'privacy-note' }, icon('shield'), h('div.banner-body', h('div.banner-detail', t('residents.privacy')))),
    h('section.panel', { testid: 'residents' },
      h('div.panel-head', searchForm),
      listHost));

  let current = null;

  async function reveal(r, btn) {
    btn.disabled = true;
    try {
      const full = await api.get(`${api.API}/residents/${encodeURIComponent(r.id)}`, { reveal: 1 });
      if (destroyed) return;
      revealed.set(r.id, full);
      render();
    } catch (err) {
      btn.disabled = false;
      toast(err.title, 'error');
    }
  }

  function cell(r, key, testid) {
    const full = revealed.get(r.id);
    const v = full ? full[key] : r[key];
    if (v === null || v === undefined || v === '') return null;
    return h(`span${full ? '.revealed' : '.masked'}`, { testid, class: key.startsWith('phone') ? 'mono' : '' }, v);
  }

  function render() {
    if (!current) return;
    const cols = [
      { key: 'unit', label: t('residents.col.unit'), cell: (r) => h('span.strong.mono', { testid: 'resident-unit' }, r.unit) },
      { key: 'name', label: t('residents.col.name'), cell: (r) => cell(r, 'name', 'resident-name') },
      { key: 'phone', label: t('residents.col.phone'), cell: (r) => cell(r, 'phone', 'resident-phone') },
      { key: 'phone2', label: t('residents.col.phone2'), cell: (r) => cell(r, 'phone2', 'resident-phone2') },
      { key: 'note', label: t('residents.col.note'), cell: (r) => { const f = revealed.get(r.id); return (f ? f.note : r.note) || null; }, cls: 'col-note' },
    ];
    if (canReveal) {
      cols.push({ key: 'actions', label: t('common.actions'), cls: 'col-actions', cell: (r) => {
        if (revealed.has(r.id)) {
          return h('div.row-actions',
            h('span.chip.chip-warn', { testid: 'resident-revealed' }, t('residents.revealed')),
            h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'resident-hide', onclick: () => { revealed.delete(r.id); render(); } },
              icon('eyeOff'), h('span', t('residents.hide'))));
        }
        const btn = h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'resident-reveal', title: t('residents.reveal'),
          onclick: () => reveal(r, btn) }, icon('eye'), h('span', t('residents.revealShort')));
        return btn;
      } });
    }
    mount(listHost,
      current.items.length === 0
        ? emptyState(t('residents.empty'))
        : table(cols, current.items, { testid: 'resident-table', rowTestid: 'resident-row',
          rowAttrs: (r) => ({ dataset: { id: String(r.id), masked: String(!revealed.has(r.id)) } }) }),
      pager({ limit: q.limit, offset: q.offset, total: current.total }, ({ limit, offset }) => { q.limit = limit; q.offset = offset; load(); }));
  }

  let seq = 0;
  async function load() {
    ctx.setParams({ q: q.q, limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
    const my = ++seq;
    if (!listHost.querySelector('table')) mount(listHost, loadingState());
    else listHost.classList.add('busy');
    try {
      const page = await api.list('residents', { q: q.q, limit: q.limit, offset: q.offset });
      if (destroyed || my !== seq) return;
      listHost.classList.remove('busy');
      revealed.clear();
      current = page;
      render();
    } catch (err) {
      if (destroyed || my !== seq) return;
      listHost.classList.remove('busy');
      mount(listHost, errorBanner(err, () => load()));
    }
  }

  load();
  return { destroy() { destroyed = true; revealed.clear(); } };
}
