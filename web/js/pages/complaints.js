// 投诉与咨询 Complaints and inquiries (#/complaints, R3.4.7, S7): "deal with a
// resident's complaint as fits, report major problems to the leaders at once,
// give the result back to the resident and keep a return-visit record".
//
// The page: the list (newest first) with the state tabs — 待处理 open, 处理中
// in progress, 待回访 resolved (the result was given back, the return visit is
// due), 已关闭 closed — an 超时 overdue filter, the due-time countdown on each
// row; the intake form for complaint.write (a major one escalates at once to
// the supervisor and the manager); the statistics by category. One complaint,
// its workflow and its contact data: #/complaints/ID (complaint.js).
//
// Contact data is personal (S5): the list always shows it masked.
//
// Live: `complaint` {id} after every change; `reset` reloads.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import * as center from '../alarm-center.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, formatTime, formatNumber,
  siteDate, toast, debounce, PAGE_SIZES } from '../ui.js';
import { CHANNELS, CATEGORIES, URGENCIES, STATES, LIMITS, bytes, dueHours, channelLabel, stateBadge, urgencyBadge,
  categoryChip, overdueBadge, countdownEl, tickCountdowns, stars } from '../complaint-ui.js';

const STAT_PERIODS = ['30', '7', '365'];

export default function complaintsPage(el, ctx) {
  const canWrite = ctx.can('complaint.write');
  const p = ctx.params;
  const q = {
    state: STATES.includes(p.get('state')) ? p.get('state') : '',
    overdue: p.get('overdue') === '1',
    category: CATEGORIES.includes(p.get('category')) ? p.get('category') : '',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let destroyed = false;

  let rows = null;
  let total = 0;
  let counts = null;             // {all, open, in_progress, resolved, closed, overdue}
  let loadErr = null;
  let maxId = 0;
  const flashIds = new Set();
  let stats = null;
  let statsErr = null;
  let period = '30';
  let assignees = null;          // active users, for roles with user.read
  const draft = { channel: 'phone', unit: '', contact_name: '', contact_phone: '', category: '', description: '', urgency: 'normal', assignee: '' };
  let sending = false;

  // --- Frame ------------------------------------------------------------------------

  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'cp-refresh', onclick: () => { load(); loadStats(); } },
    icon('refresh'), h('span', t('common.refresh')));
  const tabsHost = h('div.cp-tabs', { role: 'tablist', 'aria-label': t('cp.filterState'), testid: 'cp-tabs' });
  const overdueBtn = h('button.cp-overdue-filter', { type: 'button', testid: 'cp-filter-overdue', 'aria-pressed': String(q.overdue),
    onclick: () => { q.overdue = !q.overdue; q.offset = 0; sync(); reloadList(); } });
  const catSel = h('select.select.select-sm', { testid: 'cp-filter-category', 'aria-label': t('cp.filterCategory'),
    onchange: (e) => { q.category = e.target.value; q.offset = 0; sync(); reloadList(); } },
  h('option', { value: '' }, `${t('cp.filterCategory')}: ${t('common.all')}`),
  CATEGORIES.map((c) => h('option', { value: c, selected: q.category === c }, tEnum('cpCategory', c))));
  const listHost = h('div.cp-list-host', loadingState());
  const metaEl = h('span.panel-meta', { testid: 'cp-count' });
  const formHost = h('div.cp-form-host');
  const statsHost = h('div.cp-stats-host');

  mount(el,
    pageHeader(t('cp.title'), t('cp.subtitle'), refreshBtn),
    h('div.cp-grid',
      h('div.cp-main',
        h('section.panel.cp-list-panel', { testid: 'cp-list' },
          h('div.panel-head.cp-list-head', tabsHost, h('div.filters', overdueBtn, catSel)),
          h('div.cp-list-sub', h('h2', t('cp.list')), metaEl),
          listHost),
        statsHost),
      h('aside.cp-side', formHost)));

  function sync() {
    ctx.setParams({ state: q.state, overdue: q.overdue ? '1' : '', category: q.category,
      limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
    renderTabs();
  }

  function reloadList() {
    rows = null;
    mount(listHost, loadingState());
    load();
  }

  // --- Loading ----------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    if (rows) listHost.classList.add('busy');
    try {
      const [pg, ...n] = await Promise.all([
        api.list('complaints', { state: q.state, overdue: q.overdue ? 1 : undefined, category: q.category, limit: q.limit, offset: q.offset }),
        api.count('complaints', { category: q.category }),
        ...STATES.map((s) => api.count('complaints', { state: s, category: q.category })),
        api.count('complaints', { overdue: 1, category: q.category }),
      ]);
      if (destroyed || my !== seq) return;
      if (rows !== null) for (const c of pg.items) if (c.id > maxId) flashIds.add(c.id);
      for (const c of pg.items) maxId = Math.max(maxId, c.id);
      rows = pg.items;
      total = pg.total;
      counts = { all: n[0], overdue: n[STATES.length + 1] };
      STATES.forEach((s, i) => { counts[s] = n[i + 1]; });
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    listHost.classList.remove('busy');
    renderTabs();
    renderList();
  }

  let statSeq = 0;
  async function loadStats() {
    const my = ++statSeq;
    // `to` is now: the server counts as overdue what was due before `to`.
    const now = center.now();
    const query = { to: new Date(now + 60000).toISOString() };
    query.from = new Date(now - Number(period) * 86400000).toISOString();
    try {
      const res = await api.get(`${api.API}/complaints/stats`, query);
      if (destroyed || my !== statSeq) return;
      stats = Array.isArray(res && res.by_category) ? res.by_category : [];
      statsErr = null;
    } catch (err) {
      if (destroyed || my !== statSeq) return;
      statsErr = err;
    }
    renderStats();
  }

  async function loadAssignees() {
    if (!canWrite || !ctx.can('user.read')) return;
    try {
      const r = await api.listAll('users', null, 1000);
      if (destroyed) return;
      assignees = r.items.filter((u) => u && !u.disabled && ['operator', 'shift_leader', 'supervisor', 'manager'].includes(u.role));
    } catch (_) {
      assignees = null;
    }
    if (!destroyed && !sending) renderForm();
  }

  // --- Tabs -------------------------------------------------------------------------

  function renderTabs() {
    const tab = (state, label) => {
      const on = q.state === state;
      const n = counts ? counts[state || 'all'] : null;
      return h('button.cp-tab', { type: 'button', role: 'tab', 'aria-selected': String(on), class: on ? 'active' : '',
        testid: `cp-tab-${state || 'all'}`, dataset: { state, n: n === null ? '' : String(n) },
        onclick: () => { if (q.state === state) return; q.state = state; q.offset = 0; sync(); reloadList(); } },
      h('span', label), n === null ? null : h('span.cp-tab-n', formatNumber(n)));
    };
    mount(tabsHost, tab('', t('common.all')), STATES.map((s) => tab(s, tEnum('cpState', s))));
    const n = counts ? counts.overdue : null;
    overdueBtn.setAttribute('aria-pressed', String(q.overdue));
    overdueBtn.classList.toggle('active', q.overdue);
    overdueBtn.classList.toggle('has', !!n);
    overdueBtn.dataset.n = n === null ? '' : String(n);
    mount(overdueBtn, icon('clock'), h('span', t('cp.filterOverdue')), n === null ? null : h('span.cp-tab-n', formatNumber(n)));
  }

  // --- The list -----------------------------------------------------------------------

  function row(c, now) {
    const day = siteDate(new Date(c.opened_at));
    return h(`li.cp-row.cp-row-${c.state}${c.overdue ? '.cp-row-overdue' : ''}${c.urgency === 'major' ? '.cp-row-major' : ''}${flashIds.has(c.id) ? '.flash' : ''}`,
      { testid: 'cp-row', dataset: { id: String(c.id), state: c.state || '', overdue: String(!!c.overdue), urgency: c.urgency || '' } },
      h('a.cp-row-link', { href: `#/complaints/${c.id}`, testid: 'cp-row-link', 'aria-label': t('cp.openOne', { id: c.id }) },
        h('div.cp-when',
          h('span.cp-id', `#${c.id}`),
          h('time.cp-time', { datetime: c.opened_at }, formatTime(new Date(c.opened_at))),
          h('span.cp-day', day === siteDate(new Date(now)) ? t('re.today') : day)),
        h('div.cp-body',
          h('div.cp-head', categoryChip(c.category), urgencyBadge(c.urgency), channelLabel(c.channel),
            h('span.cp-unit', { testid: 'cp-unit' }, icon('building'), h('span', c.unit))),
          h('div.cp-desc', { testid: 'cp-desc' }, c.description),
          h('div.cp-meta',
            h('span', { testid: 'cp-contact' }, c.contact_name, c.contact_phone ? ` · ${c.contact_phone}` : ''),
            h('span.re-sep', '·'),
            c.assignee ? h('span', { testid: 'cp-assignee' }, t('cp.assigneeIs', { who: c.assignee }))
              : h('span.cp-unassigned', { testid: 'cp-assignee' }, t('cp.unassigned')))),
        h('div.cp-state',
          stateBadge(c.state),
          c.overdue ? overdueBadge() : null,
          c.state === 'closed' ? stars(c.satisfaction) : countdownEl(c, now))));
  }

  function renderList() {
    if (destroyed) return;
    if (loadErr && !rows) { mount(listHost, errorBanner(loadErr, () => load())); mount(metaEl); return; }
    if (!rows) return;
    metaEl.textContent = t('cp.count', { n: formatNumber(total) });
    metaEl.dataset.total = String(total);
    const now = center.now();
    const filtered = q.state || q.overdue || q.category;
    mount(listHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      rows.length === 0
        ? emptyState(filtered ? t('cp.emptyFiltered') : t('cp.empty'), canWrite && !filtered ? t('cp.emptyHint') : null)
        : h('ol.cp-rows', rows.map((c) => row(c, now))),
      total > 0 ? pager({ limit: q.limit, offset: q.offset, total }, (np) => { q.limit = np.limit; q.offset = np.offset; sync(); load(); }, 'cp-pager') : null);
    flashIds.clear();
  }

  // --- Statistics ---------------------------------------------------------------------

  function renderStats() {
    if (destroyed) return;
    const periodSel = h('select.select.select-sm', { testid: 'cp-stats-period', 'aria-label': t('cp.stats.period'),
      onchange: (e) => { period = e.target.value; loadStats(); } },
    STAT_PERIODS.map((d) => h('option', { value: d, selected: d === period }, t('cp.stats.lastDays', { n: d }))));
    let body;
    if (statsErr && !stats) body = errorBanner(statsErr, () => loadStats());
    else if (!stats) body = loadingState();
    else if (stats.length === 0) body = emptyState(t('cp.stats.empty'));
    else {
      const sum = (k) => stats.reduce((a, r) => a + (Number(r[k]) || 0), 0);
      const avg = (k) => {
        // Weighted by the complaints that have a value: results given, visits done.
        let n = 0, s = 0;
        for (const r of stats) {
          const v = Number(r[k]);
          const w = k === 'avg_satisfaction' ? Number(r.closed) || 0 : Number(r.total) || 0;
          if (r[k] !== null && r[k] !== undefined && Number.isFinite(v) && w > 0) { s += v * w; n += w; }
        }
        return n ? s / n : null;
      };
      const hours = (v) => {
        if (v === null || v === undefined || !Number.isFinite(Number(v))) return t('common.none');
        const n = Number(v);
        return n < 1 ? t('cp.stats.minutes', { n: formatNumber(Math.max(1, Math.round(n * 60))) }) : t('cp.stats.hours', { n: formatNumber(Math.round(n * 10) / 10) });
      };
      const sat = (v) => (v === null || v === undefined ? h('span.muted', t('common.none'))
        : h('span.cp-sat', stars(v, { size: 'sm' }), h('span.cp-sat-n', formatNumber(Math.round(Number(v) * 100) / 100))));
      const tr = (r, cls, testid, label) => h(`tr${cls}`, { testid, dataset: { category: r.category || '' } },
        h('th', { scope: 'row' }, label),
        h('td.num', { dataset: { col: 'total' } }, formatNumber(r.total || 0)),
        h('td.num', { dataset: { col: 'closed' } }, formatNumber(r.closed || 0)),
        h('td.num', { dataset: { col: 'overdue' }, class: r.overdue ? 'cp-stat-late' : '' }, formatNumber(r.overdue || 0)),
        h('td.num', { dataset: { col: 'avg_hours_to_result' } }, hours(r.avg_hours_to_result)),
        h('td', { dataset: { col: 'avg_satisfaction' } }, sat(r.avg_satisfaction)));
      body = h('div.table-wrap', h('table.table.cp-stats-table', { testid: 'cp-stats-table' },
        h('thead', h('tr',
          h('th', { scope: 'col' }, t('cp.stats.category')),
          h('th.num', { scope: 'col' }, t('cp.stats.total')),
          h('th.num', { scope: 'col' }, t('cp.stats.closed')),
          h('th.num', { scope: 'col' }, t('cp.stats.overdue')),
          h('th.num', { scope: 'col' }, t('cp.stats.hoursToResult')),
          h('th', { scope: 'col' }, t('cp.stats.satisfaction')))),
        h('tbody', stats.map((r) => tr(r, '', 'cp-stats-row', tEnum('cpCategory', r.category)))),
        h('tfoot', tr({ category: '', total: sum('total'), closed: sum('closed'), overdue: sum('overdue'),
          avg_hours_to_result: avg('avg_hours_to_result'), avg_satisfaction: avg('avg_satisfaction') }, '.cp-stats-total', 'cp-stats-total', t('cp.stats.all')))));
    }
    mount(statsHost, h('section.panel.cp-stats', { testid: 'cp-stats' },
      h('div.panel-head', h('h2', t('cp.stats.title')), h('span.chip.ref-chip', 'S7'), periodSel),
      body,
      h('p.cp-hint.cp-stats-hint', t('cp.stats.hint'))));
  }

  // --- The intake form ------------------------------------------------------------------

  function seg(name, values, labelOf, { testid, icons } = {}) {
    const wrap = h(`div.cp-seg.cp-seg-${name}`, { role: 'radiogroup', testid, 'aria-labelledby': `cp-f-${name}-label` });
    const paint = () => {
      for (const b of wrap.children) {
        const on = b.dataset.value === draft[name];
        b.classList.toggle('active', on);
        b.setAttribute('aria-checked', String(on));
      }
    };
    for (const v of values) {
      wrap.appendChild(h('button.cp-seg-opt', { type: 'button', role: 'radio', dataset: { value: v }, testid: `${testid}-${v}`,
        onclick: () => { draft[name] = v; paint(); onSegChange(name); } },
      icons && icons[v] ? icon(icons[v]) : null, h('span', labelOf(v))));
    }
    paint();
    return wrap;
  }

  let onSegChange = () => {};

  function renderForm() {
    if (destroyed) return;
    if (!canWrite) {
      mount(formHost, h('section.panel', { testid: 'cp-readonly-panel' },
        h('div.panel-head', h('h2', t('cp.form.title')), h('span.chip.ref-chip', 'R3.4.7')),
        h('p.muted.cp-readonly', { testid: 'cp-readonly' }, t('cp.readOnly'))));
      return;
    }
    const fields = {};
    const errs = {};
    const errEl = (name) => { errs[name] = h('div.field-error', { testid: `cp-form-error-${name}`, id: `cp-f-${name}-err`, role: 'alert', hidden: true }); return errs[name]; };
    const clearErr = (name) => { if (errs[name]) errs[name].hidden = true; if (fields[name]) fields[name].removeAttribute('aria-invalid'); };
    const setErr = (name, msg) => {
      errs[name].textContent = msg;
      errs[name].hidden = false;
      if (fields[name]) fields[name].setAttribute('aria-invalid', 'true');
    };
    const input = (name, attrs = {}) => {
      const n = h('input.input', { id: `cp-f-${name}`, name, testid: `cp-form-${name}`, autocomplete: 'off', 'aria-describedby': `cp-f-${name}-err`, ...attrs,
        oninput: (ev) => { draft[name] = ev.target.value; clearErr(name); } });
      n.value = draft[name];
      fields[name] = n;
      return n;
    };
    const field = (name, control, { label, optional, extra } = {}) => h('div.field', { testid: `cp-field-${name}` },
      h('label', { for: `cp-f-${name}`, id: `cp-f-${name}-label` }, label || t(`cp.form.${name}`), optional ? h('span.cp-optional', t('cp.form.optional')) : null),
      control, extra || null, errEl(name));

    const channel = seg('channel', CHANNELS, (v) => tEnum('cpChannel', v), { testid: 'cp-form-channel', icons: { phone: 'phone', intercom: 'door', walk_in: 'guard', other: 'other' } });
    fields.channel = channel;
    const unit = input('unit', { placeholder: t('cp.form.unitPlaceholder'), maxlength: LIMITS.unit, required: true });
    const name = input('contact_name', { placeholder: t('cp.form.contact_namePlaceholder'), maxlength: LIMITS.contact_name, required: true });
    const phone = input('contact_phone', { placeholder: t('cp.form.contact_phonePlaceholder'), maxlength: LIMITS.contact_phone, inputmode: 'tel' });
    const cat = h('select.select', { id: 'cp-f-category', testid: 'cp-form-category', required: true, 'aria-describedby': 'cp-f-category-err',
      onchange: (ev) => { draft.category = ev.target.value; clearErr('category'); renderDue(); } },
    h('option', { value: '', disabled: true, selected: !draft.category }, t('cp.form.categoryPick')),
    CATEGORIES.map((c) => h('option', { value: c, selected: c === draft.category }, tEnum('cpCategory', c))));
    fields.category = cat;
    const desc = h('textarea.input.cp-textarea', { id: 'cp-f-description', testid: 'cp-form-description', rows: 4, maxlength: LIMITS.description,
      placeholder: t('cp.form.descriptionPlaceholder'), required: true, 'aria-describedby': 'cp-f-description-err',
      oninput: (ev) => { draft.description = ev.target.value; clearErr('description'); } });
    desc.value = draft.description;
    fields.description = desc;
    const urgency = seg('urgency', URGENCIES, (v) => tEnum('cpUrgency', v), { testid: 'cp-form-urgency' });
    fields.urgency = urgency;
    const majorNote = h('div.cp-major-note', { testid: 'cp-major-warning', role: 'note' }, icon('alert'), h('span', t('cp.form.majorNote')));
    const dueNote = h('p.cp-due-note', { testid: 'cp-form-due' });
    function renderDue() {
      majorNote.hidden = draft.urgency !== 'major';
      dueNote.textContent = t('cp.form.dueHint', { n: dueHours(draft.urgency, draft.category) });
    }
    onSegChange = (n) => { clearErr(n); if (n === 'urgency') renderDue(); };
    renderDue();

    const list = assignees && assignees.length ? assignees : null;
    const assignee = input('assignee', { placeholder: t('cp.form.assigneePlaceholder'), maxlength: LIMITS.assignee, autocapitalize: 'none', spellcheck: 'false',
      list: list ? 'cp-f-assignees' : null });
    const assigneeExtra = list ? h('datalist', { id: 'cp-f-assignees' },
      list.map((u) => h('option', { value: u.username }, `${u.display_name || u.username} · ${tEnum('role', u.role)}`))) : null;

    const banner = h('div.form-banner', { testid: 'cp-form-banner', role: 'alert', hidden: true });
    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'cp-form-submit' });
    const renderSubmit = () => { submit.disabled = sending; mount(submit, icon('plus'), h('span', sending ? t('cp.form.saving') : t('cp.form.submit'))); };
    renderSubmit();

    const form = h('form.form.cp-form', { testid: 'cp-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (sending) return;
      banner.hidden = true;
      for (const k of Object.keys(errs)) clearErr(k);
      const body = {
        channel: draft.channel,
        unit: draft.unit.trim(),
        contact_name: draft.contact_name.trim(),
        contact_phone: draft.contact_phone.trim(),
        category: draft.category,
        description: draft.description.trim(),
        urgency: draft.urgency,
        assignee: draft.assignee.trim(),
      };
      let bad = null;
      for (const k of ['unit', 'contact_name', 'category', 'description']) {
        if (!body[k]) { setErr(k, k === 'category' ? t('cp.form.categoryRequired') : t('form.required')); bad = bad || k; }
      }
      for (const k of ['unit', 'contact_name', 'contact_phone', 'description', 'assignee']) {
        if (body[k] && bytes(body[k]) > LIMITS[k]) { setErr(k, t('cp.form.tooLong', { n: LIMITS[k] })); bad = bad || k; }
      }
      if (bad) { fields[bad].focus(); return; }
      if (!body.contact_phone) delete body.contact_phone;
      if (!body.assignee) delete body.assignee;
      sending = true;
      renderSubmit();
      try {
        const res = await api.post(`${api.API}/complaints`, body);
        if (destroyed) return;
        sending = false;
        Object.assign(draft, { unit: '', contact_name: '', contact_phone: '', category: '', description: '', urgency: 'normal', assignee: '' });
        toast(res && res.urgency === 'major' ? t('cp.savedMajor', { id: res.id }) : t('cp.saved', { id: res && res.id }));
        if (res && res.id) flashIds.add(res.id);
        renderForm();
        if (q.offset || (q.state && q.state !== 'open') || q.overdue) { q.state = ''; q.overdue = false; q.offset = 0; sync(); }
        load();
        loadStats();
      } catch (err) {
        if (destroyed) return;
        sending = false;
        renderSubmit();
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        let first = null;
        for (const [k, msg] of Object.entries(fe)) {
          if (!errs[k]) continue;
          setErr(k, k === 'assignee' ? t('cp.form.assigneeInvalid', { name: body.assignee || '' }) : (msg || t('form.invalid')));
          first = first || k;
        }
        if (first) fields[first].focus();
        else { banner.textContent = [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '); banner.hidden = false; }
      }
    } },
    field('channel', channel, { label: t('cp.form.channel') }),
    h('div.cp-form-row',
      field('unit', unit),
      field('contact_name', name)),
    field('contact_phone', phone, { optional: true }),
    field('category', cat),
    field('description', desc),
    field('urgency', urgency, { extra: [majorNote, dueNote] }),
    field('assignee', assignee, { optional: true, extra: assigneeExtra }),
    banner,
    h('div.form-actions', submit));

    mount(formHost, h('section.panel.cp-form-panel', { testid: 'cp-form-panel' },
      h('div.panel-head', h('h2', t('cp.form.title')), h('span.chip.ref-chip', 'R3.4.7')),
      h('div.cp-form-wrap', form, h('p.cp-hint', t('cp.form.hint')))));
  }

  // --- Start --------------------------------------------------------------------------

  sync();
  renderForm();
  renderStats();
  load();
  loadStats();
  loadAssignees();

  const reload = debounce(() => { if (!destroyed) { load(); loadStats(); } }, 250);
  const ticker = setInterval(() => { if (!destroyed) tickCountdowns(el, center.now()); }, 1000);

  return {
    onEvent(ev) {
      if (ev.type === 'reset' || ev.type === 'complaint') reload();
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}
