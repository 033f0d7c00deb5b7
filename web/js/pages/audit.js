// 审计 Audit trail: paged list (newest first), filters, hash-chain verification.
// Summaries are said in the console's language (../audit-text.js); the text as
// the daemon stored and signed it stays on the cell (title, data-stored).

import { t, tEnum, has, catalogue } from '../i18n.js';
import * as api from '../api.js';
import { auditSummary } from '../audit-text.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, table, timeCell, banner, debounce, formatNumber, PAGE_SIZES } from '../ui.js';

export default function audit(el, ctx) {
  let destroyed = false;
  const p = ctx.params;
  const q = {
    action: p.get('action') || '',
    actor: p.get('actor') || '',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 50,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let fresh = 0;

  const listHost = h('div', loadingState());
  const verifyHost = h('div.verify-host', { testid: 'audit-verify-host' });
  const newHost = h('div');
  const verifyBtn = h('button.btn.btn-primary', { type: 'button', testid: 'audit-verify', onclick: () => verify() }, icon('audit'), h('span', t('audit.verify')));
  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'audit-refresh', onclick: () => load() }, icon('refresh'), h('span', t('common.refresh')));
  const applyFilters = debounce(() => { q.action = actionIn.value.trim(); q.actor = actorIn.value.trim(); q.offset = 0; load(); }, 350);
  const actionIn = h('input.input', { testid: 'audit-filter-action', placeholder: t('audit.filterAction'), 'aria-label': t('audit.filterAction'),
    value: q.action, oninput: applyFilters, list: 'audit-actions', autocomplete: 'off', spellcheck: 'false' });
  const actionList = h('datalist#audit-actions', Object.keys(catalogue['zh-CN']).filter((k) => k.startsWith('action.'))
    .map((k) => h('option', { value: k.slice(7) }, t(k))));
  const actorIn = h('input.input', { testid: 'audit-filter-actor', placeholder: t('audit.filterActor'), 'aria-label': t('audit.filterActor'), value: q.actor, oninput: applyFilters });

  mount(el,
    pageHeader(t('audit.title'), t('audit.subtitle'), refreshBtn, verifyBtn),
    verifyHost,
    h('section.panel', { testid: 'audit' },
      h('div.panel-head', h('div.filters', actionIn, actionList, actorIn), newHost),
      listHost));

  async function verify() {
    verifyBtn.disabled = true;
    mount(verifyBtn, icon('audit'), h('span', t('audit.verifying')));
    try {
      const r = await api.get(`${api.API}/audit/verify`);
      if (destroyed) return;
      const b = r && r.ok
        ? banner('ok', t('audit.verifyOk', { records: formatNumber(r.records || 0) }), 'audit-verify-result')
        : banner('error', t('audit.verifyBad', { id: r ? r.first_bad : '?', reason: (r && r.reason) || t('common.none') }), 'audit-verify-result');
      b.dataset.ok = String(!!(r && r.ok));
      mount(verifyHost, b);
    } catch (err) {
      if (!destroyed) mount(verifyHost, errorBanner(err));
    } finally {
      verifyBtn.disabled = false;
      mount(verifyBtn, icon('audit'), h('span', t('audit.verify')));
    }
  }

  function actionCell(a) {
    const key = `action.${a.action}`;
    return h('span.action', has(key) ? [h('span', tEnum('action', a.action)), h('code.muted', a.action)] : h('code', a.action));
  }

  // The summary in the console's language; the stored (signed) English text as the title.
  function summaryCell(a) {
    if (a.summary === null || a.summary === undefined || a.summary === '') return null;
    const stored = String(a.summary);
    const said = auditSummary(a.action, stored);
    return h('span.audit-summary', { testid: 'audit-summary', title: stored,
      dataset: { stored, translated: String(said !== null) } }, said === null ? stored : said);
  }

  function hashCell(a) {
    if (!a.hash) return null;
    return h('code.hash', { title: a.hash }, `${String(a.hash).slice(0, 12)}…`);
  }

  function renderNew() {
    mount(newHost, fresh > 0
      ? h('button.btn.btn-ghost.btn-sm.new-pill', { type: 'button', testid: 'audit-new', onclick: () => { q.offset = 0; load(); } }, t('audit.newEvents', { n: fresh }))
      : null);
  }

  let seq = 0;
  async function load() {
    ctx.setParams({ action: q.action, actor: q.actor, limit: q.limit === 50 ? '' : q.limit, offset: q.offset || '' });
    const my = ++seq;
    if (!listHost.querySelector('table')) mount(listHost, loadingState());
    else listHost.classList.add('busy');
    try {
      const page = await api.list('audit', { action: q.action, actor: q.actor, limit: q.limit, offset: q.offset });
      if (destroyed || my !== seq) return;
      listHost.classList.remove('busy');
      fresh = 0;
      renderNew();
      const cols = [
        { key: 'id', label: '#', cell: (a) => h('span.mono.muted', String(a.id)), cls: 'col-id' },
        { key: 'at', label: t('audit.col.at'), cell: (a) => timeCell(a.at), cls: 'col-time' },
        { key: 'actor', label: t('audit.col.actor'), cell: (a) => a.actor ? h('span.mono', a.actor) : null },
        { key: 'action', label: t('audit.col.action'), cell: actionCell },
        { key: 'object', label: t('audit.col.object'), cell: (a) => a.object ? h('code', a.object) : null },
        { key: 'summary', label: t('audit.col.summary'), cell: summaryCell, cls: 'col-note' },
        { key: 'hash', label: t('audit.col.hash'), cell: hashCell, cls: 'col-hash' },
      ];
      mount(listHost,
        page.items.length === 0 ? emptyState(t('audit.empty'))
          : table(cols, page.items, { testid: 'audit-table', rowTestid: 'audit-row', rowAttrs: (a) => ({ dataset: { id: String(a.id), action: a.action } }) }),
        pager({ limit: q.limit, offset: q.offset, total: page.total }, ({ limit, offset }) => { q.limit = limit; q.offset = offset; load(); }));
    } catch (err) {
      if (destroyed || my !== seq) return;
      listHost.classList.remove('busy');
      mount(listHost, errorBanner(err, () => load()));
    }
  }

  const autoReload = debounce(() => { if (!destroyed) load(); }, 1000);
  load();
  return {
    onEvent(ev) {
      if (ev.type !== 'audit') return;
      if (q.offset === 0 && !q.action && !q.actor) autoReload();
      else { fresh += 1; renderNew(); }
    },
    destroy() { destroyed = true; },
  };
}
