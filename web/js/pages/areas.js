// 区域与设备 Areas & devices: area tree on the left, the devices of the chosen
// area on the right with kind / status filters and paging.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, statusBadge, pager, table,
  timeCell, toast, debounce, PAGE_SIZES } from '../ui.js';
import { DEVICE_KINDS, DEVICE_STATUSES, AREA_KINDS } from '../enums.js';

function buildTree(areas) {
  const byId = new Map(areas.map((a) => [a.id, { ...a, children: [] }]));
  const roots = [];
  for (const n of byId.values()) {
    const p = n.parent_id !== null && n.parent_id !== undefined ? byId.get(n.parent_id) : null;
    if (p && p !== n) p.children.push(n); else roots.push(n);
  }
  const order = (a, b) => (AREA_KINDS.indexOf(a.kind) - AREA_KINDS.indexOf(b.kind))
    || String(a.code || '').localeCompare(String(b.code || ''), undefined, { numeric: true })
    || String(a.name || '').localeCompare(String(b.name || ''), undefined, { numeric: true });
  const sortRec = (list) => { list.sort(order); for (const n of list) sortRec(n.children); };
  sortRec(roots);
  return { roots, byId };
}

export default function areas(el, ctx) {
  let destroyed = false;
  const p = ctx.params;
  const q = {
    area: p.get('area') || '',
    kind: DEVICE_KINDS.includes(p.get('kind')) ? p.get('kind') : '',
    status: DEVICE_STATUSES.includes(p.get('status')) ? p.get('status') : '',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let tree = null;
  const expanded = new Set();

  const treeHost = h('div.tree-host', loadingState());
  const devHost = h('div.dev-host', loadingState());
  const kindSel = h('select.select', { testid: 'filter-kind', 'aria-label': t('areas.filterKind'), onchange: (e) => { q.kind = e.target.value; q.offset = 0; loadDevices(); } },
    h('option', { value: '' }, `${t('areas.filterKind')}: ${t('common.all')}`),
    DEVICE_KINDS.map((k) => h('option', { value: k, selected: q.kind === k }, tEnum('deviceKind', k))));
  const statusSel = h('select.select', { testid: 'filter-status', 'aria-label': t('areas.filterStatus'), onchange: (e) => { q.status = e.target.value; q.offset = 0; loadDevices(); } },
    h('option', { value: '' }, `${t('areas.filterStatus')}: ${t('common.all')}`),
    DEVICE_STATUSES.map((s) => h('option', { value: s, selected: q.status === s }, tEnum('status', s))));
  const devTitle = h('h2', t('areas.devices'));
  const refreshBtn = h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'areas-refresh', onclick: () => { loadTree(); loadDevices(); } },
    icon('refresh'), h('span', t('common.refresh')));

  mount(el,
    pageHeader(t('areas.title'), t('areas.subtitle'), refreshBtn),
    h('div.split',
      h('aside.panel.tree-panel', { testid: 'area-tree' },
        h('div.panel-head', h('h2', t('areas.tree'))),
        treeHost),
      h('section.panel.dev-panel', { testid: 'devices' },
        h('div.panel-head', devTitle, h('div.filters', kindSel, statusSel)),
        devHost)));

  function syncParams() {
    ctx.setParams({ area: q.area, kind: q.kind, status: q.status, limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
  }

  async function loadTree() {
    try {
      const all = await api.listAll('areas');
      if (destroyed) return;
      tree = buildTree(all.items);
      if (expanded.size === 0) {
        for (const r of tree.roots) if (r.children.length) expanded.add(r.id);
        // Make the selected area visible.
        let n = q.area ? tree.byId.get(Number(q.area)) || tree.byId.get(q.area) : null;
        while (n && n.parent_id !== null && n.parent_id !== undefined) { expanded.add(n.parent_id); n = tree.byId.get(n.parent_id); }
      }
      renderTree();
      updateTitle();
    } catch (err) {
      if (!destroyed) mount(treeHost, errorBanner(err, () => loadTree()));
    }
  }

  function selectArea(id) {
    q.area = id === '' ? '' : String(id);
    q.offset = 0;
    renderTree();
    updateTitle();
    loadDevices();
  }

  function renderNode(n, depth) {
    const hasKids = n.children.length > 0;
    const open = expanded.has(n.id);
    const selected = String(n.id) === q.area;
    const meta = n.kind === 'elevator' && n.elevator_no ? `#${n.elevator_no}` : (n.code || '');
    return h('li', { role: 'treeitem', 'aria-expanded': hasKids ? String(open) : undefined, 'aria-selected': String(selected) },
      h('div.tree-row', { class: selected ? 'selected' : '', style: { paddingLeft: `${8 + depth * 16}px` } },
        hasKids
          ? h('button.tree-toggle', { type: 'button', 'aria-label': n.name, class: open ? 'open' : '',
            onclick: () => { if (open) expanded.delete(n.id); else expanded.add(n.id); renderTree(); } }, icon('chevron'))
          : h('span.tree-toggle.leaf'),
        h('button.tree-node', { type: 'button', testid: 'area-node', dataset: { id: String(n.id), kind: n.kind }, onclick: () => selectArea(n.id),
          title: n.kind === 'elevator' && n.elevator_no ? `${n.name} · ${t('areas.elevatorNo', { no: n.elevator_no })}` : n.name },
          icon(n.kind in KIND_ICON ? KIND_ICON[n.kind] : 'public', 'tree-icon'),
          h('span.tree-name', n.name),
          h('span.tree-kind', tEnum('areaKind', n.kind)),
          meta ? h('span.tree-meta', meta) : null)),
      hasKids && open ? h('ul', { role: 'group' }, n.children.map((c) => renderNode(c, depth + 1))) : null);
  }

  function renderTree() {
    if (!tree) return;
    if (!tree.roots.length) { mount(treeHost, emptyState(t('areas.treeEmpty'))); return; }
    mount(treeHost, h('ul.tree', { role: 'tree', 'aria-label': t('areas.tree') },
      h('li', { role: 'treeitem', 'aria-selected': String(q.area === '') },
        h('div.tree-row', { class: q.area === '' ? 'selected' : '', style: { paddingLeft: '8px' } },
          h('span.tree-toggle.leaf'),
          h('button.tree-node', { type: 'button', testid: 'area-all', onclick: () => selectArea('') },
            icon('overview', 'tree-icon'), h('span.tree-name', t('areas.allAreas'))))),
      tree.roots.map((r) => renderNode(r, 0))));
  }

  function updateTitle() {
    const a = q.area && tree ? (tree.byId.get(Number(q.area)) || tree.byId.get(q.area)) : null;
    mount(devTitle, t('areas.devices'), a ? h('span.sub', ` · ${a.name}`) : null);
  }

  async function setStatus(d, status) {
    try {
      await api.patch(`${api.API}/devices/${encodeURIComponent(d.id)}`, { status });
      toast(t('areas.statusSaved', { name: d.name, status: tEnum('status', status) }));
      loadDevices();
    } catch (err) {
      toast(err.title, 'error');
      loadDevices();
    }
  }

  let seq = 0;
  async function loadDevices() {
    syncParams();
    const my = ++seq;
    if (!devHost.querySelector('table')) mount(devHost, loadingState());
    else devHost.classList.add('busy');
    try {
      const page = await api.list('devices', { area_id: q.area, kind: q.kind, status: q.status, limit: q.limit, offset: q.offset });
      if (destroyed || my !== seq) return;
      devHost.classList.remove('busy');
      if (page.items.length === 0 && q.offset > 0 && page.total > 0) { q.offset = Math.max(0, (Math.ceil(page.total / q.limit) - 1) * q.limit); loadDevices(); return; }
      const canSet = ctx.can('device.status');
      const cols = [
        { key: 'status', label: t('areas.col.status'), cell: (d) => statusBadge(d.status), cls: 'col-status' },
        { key: 'name', label: t('areas.col.name'), cell: (d) => h('div.cell-2',
          h('span.strong', { testid: 'device-name' }, d.name), d.code ? h('code.cell-sub', { testid: 'device-code' }, d.code) : null) },
        { key: 'kind', label: t('areas.col.kind'), cell: (d) => tEnum('deviceKind', d.kind), cls: 'col-kind' },
        { key: 'area', label: t('areas.col.area'), cell: (d) => d.area_name },
        { key: 'changed', label: t('areas.col.changed'), cell: (d) => timeCell(d.status_changed_at), cls: 'col-time' },
      ];
      if (canSet) {
        cols.push({ key: 'actions', label: t('common.actions'), cls: 'col-actions', cell: (d) =>
          h('select.select.select-sm', { testid: 'device-set-status', 'aria-label': `${t('areas.setStatus')}: ${d.name}`,
            onchange: (e) => setStatus(d, e.target.value) },
          DEVICE_STATUSES.map((s) => h('option', { value: s, selected: s === d.status }, tEnum('status', s)))) });
      }
      const sel = q.area && tree ? (tree.byId.get(Number(q.area)) || tree.byId.get(q.area)) : null;
      if (page.items.length === 0 && sel && sel.children.length && !expanded.has(sel.id)) { expanded.add(sel.id); renderTree(); }
      mount(devHost,
        page.items.length === 0
          ? emptyState(t('areas.devicesEmpty'), sel && sel.children.length ? t('areas.pickChild') : null)
          : table(cols, page.items, { testid: 'device-table', rowTestid: 'device-row', rowAttrs: (d) => ({ dataset: { id: String(d.id), status: d.status, kind: d.kind } }) }),
        pager({ limit: q.limit, offset: q.offset, total: page.total }, ({ limit, offset }) => { q.limit = limit; q.offset = offset; loadDevices(); }));
    } catch (err) {
      if (destroyed || my !== seq) return;
      devHost.classList.remove('busy');
      mount(devHost, errorBanner(err, () => loadDevices()));
    }
  }

  loadTree();
  loadDevices();
  const reload = debounce(() => { if (!destroyed) loadDevices(); }, 800);

  return {
    onEvent(ev) {
      if (ev.type === 'device.status') reload();
      if (ev.type === 'audit' && ev.data && /^(area|device)\.create/.test(ev.data.action || '')) { loadTree(); reload(); }
    },
    destroy() { destroyed = true; },
  };
}

const KIND_ICON = {
  building: 'building', floor: 'floor', garage: 'garage', lobby: 'lobby', elevator: 'elevator',
  perimeter: 'perimeter', gate: 'gate', control_room: 'control_room', public: 'public',
};
