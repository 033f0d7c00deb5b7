// 记录保存 Retention (R4.1–R4.7, S5): the policy per record type, the last runs,
// legal holds (place, release) and a dry run. Visible to retention.manage.

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, table, timeCell, toast, formatNumber } from '../ui.js';

const TYPES = ['duty_log', 'incident', 'alarm', 'complaint', 'handover', 'room_entry', 'recording_request', 'line_use',
  'handoff', 'attendance', 'roster', 'training', 'ticket', 'check_record', 'report', 'camera_history', 'audit'];

function typeName(type) {
  const key = `retention.type.${type}`;
  const s = t(key);
  return s === key ? type : s;
}

function period(months) {
  return months % 12 === 0 ? t('retention.years', { n: months / 12 }) : t('retention.months', { n: months });
}

export default function retention(el) {
  let destroyed = false;
  let data = null;
  const host = h('div', loadingState());
  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'ret-refresh', onclick: () => load() }, icon('refresh'), h('span', t('common.refresh')));
  const dryBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'ret-dry-run', onclick: () => dryRun() }, icon('history'), h('span', t('retention.dryRun')));
  mount(el, pageHeader(t('retention.title'), t('retention.subtitle'), refreshBtn, dryBtn), host);

  function policyPanel() {
    const cols = [
      { key: 'type', label: t('retention.col.type'), cell: (p) => h('span', { title: p.type }, typeName(p.type)) },
      { key: 'clause', label: t('retention.col.clause'), cell: (p) => h('span.chip.ref-chip', p.clause) },
      { key: 'months', label: t('retention.col.period'), cell: (p) => h('strong', period(p.months)) },
      { key: 'source', label: t('retention.col.source'), cell: (p) => t(`retention.source.${p.source}`) },
      { key: 'cutoff', label: t('retention.col.cutoff'), cell: (p) => timeCell(p.cutoff), cls: 'col-time' },
      { key: 'tables', label: t('retention.col.tables'), cell: (p) => h('code.muted', (p.tables || []).join(', ')) },
    ];
    return h('section.panel', { testid: 'ret-policy' },
      h('div.panel-head', h('h2', t('retention.policy')),
        h('span.muted', t('retention.profileLine', { profile: t(`retention.profile.${data.profile}`), at: data.run_at }))),
      table(cols, data.policy, { testid: 'ret-policy-table', rowTestid: 'ret-policy-row', rowAttrs: (p) => ({ dataset: { type: p.type } }) }),
      h('p.muted.ret-key', data.public_key ? t('retention.key', { key: data.public_key }) : t('retention.noKey')));
  }

  function runsPanel() {
    const cols = [
      { key: 'finished_at', label: t('retention.col.when'), cell: (r) => timeCell(r.finished_at), cls: 'col-time' },
      { key: 'as_of', label: t('retention.col.asOf'), cell: (r) => h('span.mono', r.as_of) },
      { key: 'trigger', label: t('retention.col.trigger'), cell: (r) => t(`retention.trigger.${r.trigger}`) + (r.dry_run ? ` · ${t('retention.dry')}` : '') },
      { key: 'actor', label: t('retention.col.actor'), cell: (r) => h('span.mono', r.actor) },
      { key: 'removed', label: t('retention.col.removed'), cell: (r) => formatNumber(r.removed) },
      { key: 'held', label: t('retention.col.held'), cell: (r) => formatNumber(r.held) },
      { key: 'outcome', label: t('retention.col.outcome'), cell: (r) => h(`span.chip${r.outcome === 'ok' ? '' : '.ret-failed'}`, { title: r.error || '' }, t(`retention.outcome.${r.outcome}`)) },
    ];
    return h('section.panel', { testid: 'ret-runs' },
      h('div.panel-head', h('h2', t('retention.runs'))),
      data.runs.length === 0 ? emptyState(t('retention.noRuns'))
        : table(cols, data.runs, { testid: 'ret-runs-table', rowTestid: 'ret-run-row' }));
  }

  function holdForm() {
    const errBox = h('div.form-banner', { testid: 'ret-hold-error', role: 'alert', hidden: true });
    const typeSel = h('select.select', { testid: 'ret-hold-type', 'aria-label': t('retention.col.type') },
      TYPES.map((ty) => h('option', { value: ty }, typeName(ty))));
    const idIn = h('input.input', { testid: 'ret-hold-id', type: 'number', min: '1', inputmode: 'numeric', placeholder: t('retention.recordId'), 'aria-label': t('retention.recordId') });
    const reasonIn = h('input.input', { testid: 'ret-hold-reason', maxlength: '500', placeholder: t('retention.reason'), 'aria-label': t('retention.reason') });
    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'ret-hold-submit' }, t('retention.place'));
    async function onSubmit(e) {
      e.preventDefault();
      errBox.hidden = true;
      for (const x of [typeSel, idIn, reasonIn]) x.removeAttribute('aria-invalid');
      submit.disabled = true;
      try {
        await api.post(`${api.API}/retention/holds`, { record_type: typeSel.value, record_id: Number(idIn.value), reason: reasonIn.value.trim() });
        if (destroyed) return;
        toast(t('retention.placed'));
        load();
      } catch (err) {
        if (destroyed) return;
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        if (fe.record_type) typeSel.setAttribute('aria-invalid', 'true');
        if (fe.record_id) idIn.setAttribute('aria-invalid', 'true');
        if (fe.reason) reasonIn.setAttribute('aria-invalid', 'true');
        errBox.textContent = [err.title, ...Object.values(fe), err.problem && err.problem.detail].filter(Boolean).join(' ');
        errBox.hidden = false;
      } finally {
        submit.disabled = false;
      }
    }
    return h('form.ret-hold-form', { testid: 'ret-hold-form', onsubmit: onSubmit, novalidate: true }, typeSel, idIn, reasonIn, submit, errBox);
  }

  async function release(hold, btn) {
    btn.disabled = true;
    try {
      await api.post(`${api.API}/retention/holds/${hold.id}/release`);
      if (destroyed) return;
      toast(t('retention.released'));
      load();
    } catch (err) {
      if (destroyed) return;
      btn.disabled = false;
      toast(err.title, 'error');
    }
  }

  function holdsPanel() {
    const items = data.holds || [];
    const cols = [
      { key: 'record', label: t('retention.col.record'), cell: (x) => h('span', typeName(x.record_type), ' ', h('span.mono', `#${x.record_id}`)) },
      { key: 'reason', label: t('retention.reason'), cell: (x) => x.reason, cls: 'col-note' },
      { key: 'placed_by', label: t('retention.col.placedBy'), cell: (x) => h('span.mono', x.placed_by) },
      { key: 'placed_at', label: t('retention.col.placedAt'), cell: (x) => timeCell(x.placed_at), cls: 'col-time' },
      { key: 'act', label: '', cell: (x) => { const b = h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'ret-hold-release', onclick: () => release(x, b) }, t('retention.release')); return b; } },
    ];
    return h('section.panel', { testid: 'ret-holds' },
      h('div.panel-head', h('h2', t('retention.holds')), h('span.muted', t('retention.holdsHint'))),
      holdForm(),
      items.length === 0 ? emptyState(t('retention.noHolds'))
        : table(cols, items, { testid: 'ret-holds-table', rowTestid: 'ret-hold-row', rowAttrs: (x) => ({ dataset: { type: x.record_type, record: String(x.record_id) } }) }));
  }

  async function dryRun() {
    dryBtn.disabled = true;
    try {
      const r = await api.post(`${api.API}/retention/run`, { dry_run: true });
      if (destroyed) return;
      toast(t('retention.dryDone', { n: formatNumber(r.removed), held: formatNumber(r.held) }));
      load();
    } catch (err) {
      if (!destroyed) toast(err.title, 'error');
    } finally {
      dryBtn.disabled = false;
    }
  }

  async function load() {
    try {
      data = await api.get(`${api.API}/retention`);
      if (destroyed) return;
      mount(host, h('div.ret-grid', policyPanel(), holdsPanel(), runsPanel()));
    } catch (err) {
      if (!destroyed) mount(host, errorBanner(err, () => load()));
    }
  }

  load();
  return { destroy() { destroyed = true; } };
}
