// 录像调阅/外借登记 Recording access register (#/recordings, R3.4.3, R3.4.2):
// "viewing or borrowing a recording — police included — needs the consent of
// the management-office head and a procedure; the duty staff record it and
// follow it up until it is returned". Recordings are kept 7 days; the oldest
// day is cut every night at 01:00 (R3.4.2), so a request shows prominently
// when the footage it asks for will be overwritten.
//
// The flow (server: src/app, API /api/v1/recordings):
//   登记 requested (recording.write) → 批准 approved / 拒绝 refused (the
//   manager, recording.approve; a refusal needs a note) → for 调阅 a view:
//   已调阅 viewed; for 外借 a lend: 外借 lent (medium, copy ref, due back) →
//   已归还 returned. 撤销 cancelled from requested or approved (with a note).
//
// The list (this file's default export): tabs 未结 / per state / 全部 with
// counts, what needs attention (approvals, footage about to be overwritten,
// lends overdue), the registration form for recording.write. One record:
// #/recordings/ID (recordingPage below) with its steps, the actions the
// user's permissions and the state allow, and who must act otherwise.
//
// The requester's ID number and phone are personal data (S5): masked; the
// manager may show them in full (GET …/contact, audited on the server).
//
// Live: `recording` {id, state} after every change; `reset` reloads.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import * as center from '../alarm-center.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, formatDateTime, formatNumber,
  siteDate, isDateString, toast, debounce, PAGE_SIZES } from '../ui.js';
import { siteInstant, hm } from '../roster-ui.js';
import { formatSpan } from '../complaint-ui.js';

export const STATES = ['requested', 'approved', 'refused', 'viewed', 'lent', 'returned', 'kept', 'cancelled'];
const OPEN_STATES = ['requested', 'approved', 'lent'];
const KINDS = ['view', 'lend'];
const MEDIA = ['usb', 'disc', 'other'];
// The server's limits (UTF-8 bytes): the API contract of POST /recordings and its steps.
const LIMITS = { requester_name: 64, requester_org: 100, requester_id: 32, phone: 20, purpose: 500, cameras: 200, copy_ref: 64, note: 500 };
const HOUR = 3600 * 1000;
const MAX_SPAN = 24 * HOUR;
// The areas a request most often names first (the garage, the gates …), floors last.
const AREA_ORDER = ['garage', 'gate', 'perimeter', 'public', 'lobby', 'elevator', 'building', 'floor', 'control_room'];
const utf8 = new TextEncoder();
const bytes = (s) => utf8.encode(s || '').length;

// --- Shared pieces ------------------------------------------------------------------------

// Site wall-clock "YYYY-MM-DDTHH:mm" (a datetime-local value) of an instant, and back.
function toLocalInput(ms) {
  const d = new Date(ms);
  return `${siteDate(d)}T${hm(d)}`;
}
function fromLocalInput(v) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(v || '');
  if (!m || !isDateString(m[1])) return null;
  const hh = Number(m[2]);
  const mm = Number(m[3]);
  if (hh > 23 || mm > 59) return null;
  return siteInstant(m[1], hh * 60 + mm);
}
const isoOf = (d) => d.toISOString().replace('.000Z', 'Z');

// "12-03 01:00" in the site's zone (the year too when it is not this year's).
function shortWhen(iso) {
  if (!iso) return t('common.none');
  const full = formatDateTime(iso);
  const thisYear = formatDateTime(new Date(center.now())).slice(0, 4);
  return full.slice(0, 4) === thisYear ? full.slice(5, 16) : full.slice(0, 16);
}

function timeEl(iso, testid) {
  return h('time', { testid, datetime: iso || '', title: iso ? formatDateTime(iso) : null }, shortWhen(iso));
}

export function stateBadge(state) {
  return h(`span.badge.rc-st.rc-st-${STATES.includes(state) ? state : 'unknown'}`, { testid: 'rc-state', dataset: { state: state || '' } },
    h('span.dot', { 'aria-hidden': 'true' }), tEnum('rcState', state));
}

function kindChip(kind) {
  return h(`span.chip.rc-kind.rc-kind-${KINDS.includes(kind) ? kind : 'view'}`, { testid: 'rc-kind', dataset: { kind: kind || '' } },
    icon(kind === 'lend' ? 'archive' : 'eye'), h('span', tEnum('rcKind', kind)));
}

function overdueBadge() {
  return h('span.badge.rc-overdue', { testid: 'rc-overdue', title: t('rc.overdueTitle') }, icon('clock'), h('span', t('rc.overdue')));
}

// The footage's expiry matters while it has not been seen or copied yet.
function watchesExpiry(r) { return r && (r.state === 'requested' || r.state === 'approved'); }

// "录像将于 12-03 01:00 覆盖": red when less than 24 h are left or it is gone.
function expiryEl(r, now, { long = false } = {}) {
  if (!r || !r.expires_at) return null;
  const at = Date.parse(r.expires_at);
  const gone = !!r.expired || (Number.isFinite(at) && at <= now);
  const left = at - now;
  const level = gone ? 'expired' : (left < 24 * HOUR ? 'soon' : 'ok');
  const text = gone ? t('rc.expired', { time: shortWhen(r.expires_at) })
    : (long ? t('rc.expiresLong', { time: shortWhen(r.expires_at), left: formatSpan(left) }) : t('rc.expires', { time: shortWhen(r.expires_at) }));
  return h(`span.rc-expiry.rc-expiry-${level}`, { testid: 'rc-expiry', dataset: { level }, title: t('rc.expiryTitle', { time: formatDateTime(r.expires_at) }) },
    icon(level === 'ok' ? 'clock' : 'alert'), h('span', text));
}

function dueEl(r) {
  if (!r || r.state !== 'lent' || !r.due_back) return null;
  return h(`span.rc-due${r.overdue ? '.late' : ''}`, { testid: 'rc-due', dataset: { overdue: String(!!r.overdue) } },
    icon('clock'), h('span', t(r.overdue ? 'rc.dueWasAt' : 'rc.dueAt', { time: shortWhen(r.due_back) })));
}

// Who must act next, said for everyone (no dead end).
function waitingFor(r) {
  if (!r) return '';
  if (r.state === 'requested') return t('rc.wait.approve');
  if (r.state === 'approved') return t(r.kind === 'lend' ? 'rc.wait.lend' : 'rc.wait.view');
  if (r.state === 'lent') return t(r.overdue ? 'rc.wait.returnOverdue' : 'rc.wait.return');
  return '';
}

function period(r) {
  if (!r.from || !r.to) return t('common.none');
  const a = formatDateTime(r.from);
  const b = formatDateTime(r.to);
  return `${a.slice(0, 16)} – ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11, 16) : b.slice(0, 16)}`;
}

// A refusal of the server said plainly in the console's language.
function problemText(err, { field } = {}) {
  if (!err) return t('common.error');
  const p = err.problem || {};
  switch (err.type) {
    case '/problems/recording-overwritten':
      return p.oldest_kept ? t('rc.err.overwritten', { oldest: formatDateTime(p.oldest_kept) }) : [t('rc.err.overwrittenNoTime'), p.detail].filter(Boolean).join(' ');
    case '/problems/conflict': return t('rc.err.conflict');
    case '/problems/forbidden': return t('rc.err.forbidden');
    case '/problems/not-found': return t('rc.err.notFound');
    default: break;
  }
  if (err.status === 0) return t('rc.err.network');
  const fe = err.fieldErrors ? err.fieldErrors() : {};
  if (field && fe[field]) return fe[field];
  const first = Object.entries(fe)[0];
  if (first) return `${first[1] || t('form.invalid')}`;
  return [err.title, p.detail].filter(Boolean).join(' ');
}

// --- The list -------------------------------------------------------------------------------

export default function recordingsPage(el, ctx) {
  const canWrite = ctx.can('recording.write');
  const canApprove = ctx.can('recording.approve');
  const p = ctx.params;
  const tabParam = p.get('state');
  const q = {
    tab: tabParam === 'all' ? 'all' : (STATES.includes(tabParam) ? tabParam : 'open'),
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let destroyed = false;
  let rows = null;
  let total = 0;
  let openItems = null;          // every open record (for the counts and the attention strip)
  let counts = null;             // tab -> n
  let loadErr = null;
  let maxId = 0;
  const flashIds = new Set();
  let areas = null;
  let sending = false;
  const draft = blankDraft();

  function blankDraft() {
    const now = Math.floor(center.now() / 60000) * 60000;
    return { kind: 'view', requester_name: '', requester_org: '', requester_id: '', phone: '', purpose: '', area_id: '', cameras: '',
      from: toLocalInput(now - HOUR), to: toLocalInput(now) };
  }

  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'rc-refresh', onclick: () => load() },
    icon('refresh'), h('span', t('common.refresh')));
  const newBtn = canWrite ? h('button.btn.btn-primary', { type: 'button', testid: 'rc-new',
    onclick: () => { const f = el.querySelector('#rc-f-requester_name'); if (f) { f.scrollIntoView({ block: 'center' }); f.focus(); } } },
  icon('plus'), h('span', t('rc.form.title'))) : null;
  const tabsHost = h('div.cp-tabs.rc-tabs', { role: 'tablist', 'aria-label': t('rc.filter'), testid: 'rc-tabs' });
  const attnHost = h('div.rc-attn-host');
  const listHost = h('div.rc-list-host', loadingState());
  const metaEl = h('span.panel-meta', { testid: 'rc-count' });
  const formHost = h('div.rc-form-host');

  mount(el,
    pageHeader(t('rc.title'), t('rc.subtitle'), refreshBtn, newBtn),
    h('div.cp-grid.rc-grid',
      h('div.cp-main',
        attnHost,
        h('section.panel.rc-list-panel', { testid: 'rc-list' },
          h('div.panel-head.cp-list-head', tabsHost),
          h('div.cp-list-sub', h('h2', t('rc.list')), metaEl),
          listHost)),
      h('aside.cp-side', formHost)));

  function sync() {
    ctx.setParams({ state: q.tab === 'open' ? '' : q.tab, limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
    renderTabs();
  }

  // --- Loading --------------------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    if (rows) listHost.classList.add('busy');
    const query = { limit: q.limit, offset: q.offset };
    if (q.tab === 'open') query.open = 1;
    else if (q.tab !== 'all') query.state = q.tab;
    try {
      const closed = STATES.filter((s) => !OPEN_STATES.includes(s));
      const [pg, open, all, ...n] = await Promise.all([
        api.list('recordings', query),
        api.listAll('recordings', { open: 1 }, 1000),
        api.count('recordings', {}),
        ...closed.map((s) => api.count('recordings', { state: s })),
      ]);
      if (destroyed || my !== seq) return;
      if (rows !== null) for (const r of pg.items) if (r.id > maxId) flashIds.add(r.id);
      for (const r of pg.items) maxId = Math.max(maxId, r.id);
      rows = pg.items;
      total = pg.total;
      openItems = open.items.filter((r) => !r.closed);
      counts = { open: openItems.length, all };
      for (const s of OPEN_STATES) counts[s] = openItems.filter((r) => r.state === s).length;
      closed.forEach((s, i) => { counts[s] = n[i]; });
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    listHost.classList.remove('busy');
    renderTabs();
    renderAttention();
    renderList();
  }

  async function loadAreas() {
    if (!canWrite || !ctx.can('site.read')) return;
    try {
      const r = await api.listAll('areas', {}, 2000);
      if (destroyed) return;
      areas = r.items;
    } catch (_) {
      areas = null;            // the area stays optional; cameras are free text
    }
    if (!destroyed && !sending) renderForm();
  }

  // --- Tabs and what needs attention --------------------------------------------------------------

  function renderTabs() {
    const tab = (key, label) => {
      const on = q.tab === key;
      const n = counts ? counts[key] : null;
      return h('button.cp-tab', { type: 'button', role: 'tab', 'aria-selected': String(on), class: on ? 'active' : '',
        testid: `rc-tab-${key}`, dataset: { state: key, n: n === null || n === undefined ? '' : String(n) },
        onclick: () => { if (q.tab === key) return; q.tab = key; q.offset = 0; sync(); reloadList(); } },
      h('span', label), n === null || n === undefined ? null : h('span.cp-tab-n', formatNumber(n)));
    };
    mount(tabsHost, tab('open', t('rc.tab.open')), STATES.map((s) => tab(s, tEnum('rcState', s))), tab('all', t('common.all')));
  }

  function renderAttention() {
    if (destroyed || !openItems) return;
    const now = center.now();
    const pending = openItems.filter((r) => r.state === 'requested').length;
    const soon = openItems.filter((r) => watchesExpiry(r) && r.expires_at && !r.expired && Date.parse(r.expires_at) - now < 24 * HOUR).length;
    const gone = openItems.filter((r) => watchesExpiry(r) && (r.expired || (r.expires_at && Date.parse(r.expires_at) <= now))).length;
    const overdue = openItems.filter((r) => r.state === 'lent' && r.overdue).length;
    const out = openItems.filter((r) => r.state === 'lent').length;
    const item = (key, n, text, alert) => h(`div.rc-attn-item${n && alert ? '.alert' : ''}${n ? '.some' : ''}`, { testid: `rc-attn-${key}`, dataset: { n: String(n) } },
      h('span.rc-attn-n', formatNumber(n)), h('span.rc-attn-label', text));
    mount(attnHost, h('section.rc-attn', { testid: 'rc-attention' },
      item('pending', pending, canApprove ? t('rc.attn.pendingYou') : t('rc.attn.pending'), canApprove),
      item('soon', soon + gone, t('rc.attn.soon'), true),
      item('out', out, t('rc.attn.out'), false),
      item('overdue', overdue, t('rc.attn.overdue'), true)));
  }

  function reloadList() {
    rows = null;
    mount(listHost, loadingState());
    load();
  }

  // --- Rows -----------------------------------------------------------------------------------

  function row(r, now) {
    const wait = waitingFor(r);
    return h(`li.cp-row.rc-row.rc-row-${r.state}${r.overdue ? '.rc-row-overdue' : ''}${flashIds.has(r.id) ? '.flash' : ''}`,
      { testid: 'rc-row', dataset: { id: String(r.id), state: r.state || '', kind: r.kind || '', overdue: String(!!r.overdue) } },
      h('a.cp-row-link.rc-row-link', { href: `#/recordings/${r.id}`, testid: 'rc-row-link', 'aria-label': t('rc.openOne', { id: r.id }) },
        h('div.cp-when',
          h('span.cp-id', `#${r.id}`),
          kindChip(r.kind),
          h('span.cp-day', { title: formatDateTime(r.recorded_at) }, shortWhen(r.recorded_at))),
        h('div.cp-body',
          h('div.cp-head',
            h('span.rc-requester', { testid: 'rc-requester' }, r.requester_name),
            r.requester_org ? h('span.chip.rc-org', { testid: 'rc-org' }, r.requester_org) : null),
          h('div.cp-desc', { testid: 'rc-purpose' }, r.purpose),
          h('div.cp-meta',
            h('span.rc-where', { testid: 'rc-where' }, icon('eye'), h('span', [r.area, r.cameras].filter(Boolean).join(' · ') || t('common.none'))),
            h('span.re-sep', '·'),
            h('span.rc-period', { testid: 'rc-period' }, period(r))),
          wait ? h('div.rc-wait', { testid: 'rc-wait' }, wait) : null),
        h('div.cp-state',
          stateBadge(r.state),
          r.overdue ? overdueBadge() : null,
          watchesExpiry(r) ? expiryEl(r, now) : null,
          dueEl(r))));
  }

  function renderList() {
    if (destroyed) return;
    if (loadErr && !rows) {
      mount(listHost, errorBanner(loadErr.status === 403 ? { title: t('rc.err.forbidden') } : loadErr, () => load()));
      mount(metaEl);
      return;
    }
    if (!rows) return;
    metaEl.textContent = t('rc.count', { n: formatNumber(total) });
    metaEl.dataset.total = String(total);
    const now = center.now();
    const filtered = q.tab !== 'all';
    mount(listHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      rows.length === 0
        ? emptyState(q.tab === 'open' ? t('rc.emptyOpen') : (filtered ? t('rc.emptyFiltered') : t('rc.empty')), canWrite ? t('rc.emptyHint') : null)
        : h('ol.cp-rows.rc-rows', rows.map((r) => row(r, now))),
      total > 0 ? pager({ limit: q.limit, offset: q.offset, total }, (np) => { q.limit = np.limit; q.offset = np.offset; sync(); load(); }, 'rc-pager') : null);
    flashIds.clear();
  }

  // --- The registration form ------------------------------------------------------------------------

  function renderForm() {
    if (destroyed) return;
    const rule = h('div.re-rule.rc-rule', { testid: 'rc-rule', role: 'note' }, icon('shield'),
      h('div', h('div', t('rc.rule')), h('div.rc-rule-keep', t('rc.ruleKeep'))));
    if (!canWrite) {
      mount(formHost, h('section.panel', { testid: 'rc-readonly-panel' },
        h('div.panel-head', h('h2', t('rc.form.title')), h('span.chip.ref-chip', 'R3.4.3')),
        h('div.cp-form-wrap', rule,
          h('p.muted.cp-readonly.rc-readonly', { testid: 'rc-readonly' }, canApprove ? t('rc.readOnlyManager') : t('rc.readOnly')))));
      return;
    }
    const fields = {};
    const errs = {};
    const errEl = (name) => { errs[name] = h('div.field-error', { testid: `rc-form-error-${name}`, id: `rc-f-${name}-err`, role: 'alert', hidden: true }); return errs[name]; };
    const clearErr = (name) => { if (errs[name]) errs[name].hidden = true; if (fields[name]) fields[name].removeAttribute('aria-invalid'); };
    const setErr = (name, msg) => {
      errs[name].textContent = msg;
      errs[name].hidden = false;
      if (fields[name]) fields[name].setAttribute('aria-invalid', 'true');
    };
    const input = (name, attrs = {}) => {
      const n = h('input.input', { id: `rc-f-${name}`, name, testid: `rc-form-${name}`, autocomplete: 'off', 'aria-describedby': `rc-f-${name}-err`, ...attrs,
        oninput: (ev) => { draft[name] = ev.target.value; clearErr(name); if (name === 'from' || name === 'to') renderSpan(); } });
      n.value = draft[name];
      fields[name] = n;
      return n;
    };
    const field = (name, control, { optional, extra, label } = {}) => h('div.field', { testid: `rc-field-${name}` },
      h('label', { for: `rc-f-${name}`, id: `rc-f-${name}-label` }, label || t(`rc.form.${name}`), optional ? h('span.cp-optional', t('rc.form.optional')) : null),
      control, extra || null, errEl(name));

    // 调阅 / 外借
    const kind = h('div.cp-seg.rc-seg-kind', { role: 'radiogroup', testid: 'rc-form-kind', 'aria-labelledby': 'rc-f-kind-label', id: 'rc-f-kind' });
    const paintKind = () => {
      for (const b of kind.children) {
        const on = b.dataset.value === draft.kind;
        b.classList.toggle('active', on);
        b.setAttribute('aria-checked', String(on));
      }
      kindHint.textContent = t(draft.kind === 'lend' ? 'rc.form.kindHintLend' : 'rc.form.kindHintView');
    };
    const kindHint = h('p.cp-hint', { testid: 'rc-form-kind-hint' });
    for (const k of KINDS) {
      kind.appendChild(h('button.cp-seg-opt', { type: 'button', role: 'radio', dataset: { value: k }, testid: `rc-form-kind-${k}`,
        onclick: () => { draft.kind = k; paintKind(); } }, icon(k === 'lend' ? 'archive' : 'eye'), h('span', tEnum('rcKind', k))));
    }
    fields.kind = kind;
    paintKind();

    const name = input('requester_name', { placeholder: t('rc.form.requester_namePlaceholder'), maxlength: LIMITS.requester_name, required: true });
    const org = input('requester_org', { placeholder: t('rc.form.requester_orgPlaceholder'), maxlength: LIMITS.requester_org });
    const idNo = input('requester_id', { placeholder: t('rc.form.requester_idPlaceholder'), maxlength: LIMITS.requester_id, autocapitalize: 'characters', spellcheck: 'false' });
    const phone = input('phone', { placeholder: t('rc.form.phonePlaceholder'), maxlength: LIMITS.phone, inputmode: 'tel' });
    const purpose = h('textarea.input.cp-textarea', { id: 'rc-f-purpose', testid: 'rc-form-purpose', rows: 3, maxlength: LIMITS.purpose,
      placeholder: t('rc.form.purposePlaceholder'), required: true, 'aria-describedby': 'rc-f-purpose-err',
      oninput: (ev) => { draft.purpose = ev.target.value; clearErr('purpose'); } });
    purpose.value = draft.purpose;
    fields.purpose = purpose;

    const sorted = (areas || []).slice().sort((a, b) => {
      const ka = AREA_ORDER.indexOf(a.kind); const kb = AREA_ORDER.indexOf(b.kind);
      return (ka < 0 ? 99 : ka) - (kb < 0 ? 99 : kb) || String(a.name).localeCompare(String(b.name), 'zh-CN');
    });
    const groups = [];
    for (const a of sorted) {
      let g = groups.find((x) => x.kind === a.kind);
      if (!g) { g = { kind: a.kind, items: [] }; groups.push(g); }
      g.items.push(a);
    }
    const area = h('select.select', { id: 'rc-f-area', testid: 'rc-form-area', 'aria-describedby': 'rc-f-area-err',
      onchange: (ev) => { draft.area_id = ev.target.value; clearErr('area'); } },
    h('option', { value: '' }, t('rc.form.areaNone')),
    groups.map((g) => h('optgroup', { label: tEnum('areaKind', g.kind) },
      g.items.map((a) => h('option', { value: String(a.id), selected: String(a.id) === draft.area_id }, a.name)))));
    fields.area = area;
    const cameras = input('cameras', { placeholder: t('rc.form.camerasPlaceholder'), maxlength: LIMITS.cameras, required: true });

    const from = input('from', { type: 'datetime-local', required: true, step: 60 });
    const to = input('to', { type: 'datetime-local', required: true, step: 60 });
    const spanNote = h('p.cp-hint.rc-span-note', { testid: 'rc-form-span' });
    function renderSpan() {
      const a = fromLocalInput(draft.from);
      const b = fromLocalInput(draft.to);
      spanNote.classList.remove('bad');
      if (a && b && b > a) {
        spanNote.textContent = t('rc.form.spanIs', { d: formatSpan(b - a) });
        if (b - a > MAX_SPAN) spanNote.classList.add('bad');
      } else spanNote.textContent = t('rc.form.spanHint');
    }
    renderSpan();
    const quick = (hours) => h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: `rc-form-last-${hours}`,
      onclick: () => {
        const now = Math.floor(center.now() / 60000) * 60000;
        draft.from = toLocalInput(now - hours * HOUR);
        draft.to = toLocalInput(now);
        from.value = draft.from; to.value = draft.to;
        clearErr('from'); clearErr('to'); renderSpan();
      } }, t('rc.form.lastHours', { n: hours }));

    const banner = h('div.form-banner', { testid: 'rc-form-banner', role: 'alert', hidden: true });
    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'rc-form-submit' });
    const renderSubmit = () => { submit.disabled = sending; mount(submit, icon('plus'), h('span', sending ? t('rc.form.saving') : t('rc.form.submit'))); };
    renderSubmit();

    const form = h('form.form.cp-form.rc-form', { testid: 'rc-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (sending) return;
      banner.hidden = true;
      for (const k of Object.keys(errs)) clearErr(k);
      const body = {
        kind: draft.kind,
        requester_name: draft.requester_name.trim(),
        requester_org: draft.requester_org.trim(),
        requester_id: draft.requester_id.trim(),
        phone: draft.phone.trim(),
        purpose: draft.purpose.trim(),
        cameras: draft.cameras.trim(),
      };
      let bad = null;
      const fail = (k, msg) => { setErr(k, msg); bad = bad || k; };
      for (const k of ['requester_name', 'purpose', 'cameras']) if (!body[k]) fail(k, t('form.required'));
      for (const k of ['requester_name', 'requester_org', 'requester_id', 'phone', 'purpose', 'cameras']) {
        if (body[k] && bytes(body[k]) > LIMITS[k]) fail(k, t('rc.form.tooLong', { n: LIMITS[k] }));
      }
      const a = fromLocalInput(draft.from);
      const b = fromLocalInput(draft.to);
      const now = center.now();
      if (!a) fail('from', draft.from ? t('rc.form.badTime') : t('form.required'));
      if (!b) fail('to', draft.to ? t('rc.form.badTime') : t('form.required'));
      if (a && b) {
        if (b <= a) fail('to', t('rc.form.toBeforeFrom'));
        else if (b - a > MAX_SPAN) fail('to', t('rc.form.tooLongSpan'));
        else if (b.getTime() > now + 60000) fail('to', t('rc.form.toFuture'));
      }
      if (bad) { fields[bad].focus(); return; }
      // Up to now: a "to" within the current minute means the footage until now.
      body.from = isoOf(a);
      body.to = isoOf(b.getTime() > now ? new Date(Math.floor(now / 1000) * 1000) : b);
      if (draft.area_id) body.area_id = Number(draft.area_id);
      for (const k of ['requester_org', 'requester_id', 'phone']) if (!body[k]) delete body[k];
      sending = true;
      renderSubmit();
      try {
        const res = await api.post(`${api.API}/recordings`, body);
        if (destroyed) return;
        sending = false;
        Object.assign(draft, blankDraft(), { kind: draft.kind });
        toast(t('rc.saved', { id: res && res.id }));
        if (res && res.id) flashIds.add(res.id);
        renderForm();
        if (q.offset || !['open', 'all', 'requested'].includes(q.tab)) { q.tab = 'open'; q.offset = 0; sync(); }
        load();
      } catch (err) {
        if (destroyed) return;
        sending = false;
        renderSubmit();
        if (err.type === '/problems/recording-overwritten') {
          setErr('from', problemText(err));
          fields.from.focus();
          banner.textContent = problemText(err);
          banner.hidden = false;
          return;
        }
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        let first = null;
        for (const [k0, msg] of Object.entries(fe)) {
          const k = k0 === 'area_id' ? 'area' : k0;
          if (!errs[k]) continue;
          setErr(k, msg || t('form.invalid'));
          first = first || k;
        }
        if (first) fields[first].focus();
        else { banner.textContent = problemText(err); banner.hidden = false; }
      }
    } },
    rule,
    field('kind', kind, { extra: kindHint }),
    h('div.rc-form-row2',
      field('requester_name', name),
      field('requester_org', org, { optional: true })),
    h('div.rc-form-row2',
      field('requester_id', idNo, { optional: true }),
      field('phone', phone, { optional: true })),
    field('purpose', purpose),
    field('area', area, { optional: true }),
    field('cameras', cameras),
    h('div.rc-form-row2',
      field('from', from),
      field('to', to)),
    h('div.rc-quick', { testid: 'rc-form-quick' }, quick(1), quick(4), quick(24), spanNote),
    h('p.cp-hint.rc-tz-note', t('rc.form.tzNote', { tz: ctx.site && ctx.site.timezone ? ctx.site.timezone : '' })),
    banner,
    h('div.form-actions', submit));

    mount(formHost, h('section.panel.cp-form-panel.rc-form-panel', { testid: 'rc-form-panel' },
      h('div.panel-head', h('h2', t('rc.form.title')), h('span.chip.ref-chip', 'R3.4.3')),
      h('div.cp-form-wrap', form, h('p.cp-hint', t('rc.form.hint')))));
  }

  // --- Start ------------------------------------------------------------------------------------

  sync();
  renderForm();
  load();
  loadAreas();

  const reload = debounce(() => { if (!destroyed) load(); }, 250);
  // The expiry and the lends' due times move with the clock.
  const ticker = setInterval(() => { if (!destroyed && rows) { renderAttention(); renderList(); } }, 30000);

  return {
    onEvent(ev) {
      if (ev.type === 'reset' || ev.type === 'recording') reload();
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}

// --- One record -------------------------------------------------------------------------------

export function recordingPage(el, ctx) {
  const id = Number(ctx.sub);
  const me = (ctx.user && ctx.user.username) || '';
  const canWrite = ctx.can('recording.write');
  const canApprove = ctx.can('recording.approve');
  let destroyed = false;
  let r = null;
  let loadErr = null;
  let revealed = null;             // {requester_id, phone} while shown
  let revealing = false;
  let revealErr = null;
  let busy = '';                   // the step being sent
  const stepErr = {};              // step -> {field?, text}
  const draft = { decideNote: '', viewNote: '', medium: 'usb', copy_ref: '', due_back: '', returnNote: '', keepNote: '', cancelNote: '' };
  let cancelOpen = false;

  const back = h('a.btn.btn-ghost.btn-sm.cp-back', { href: '#/recordings', testid: 'rc-back' }, icon('back'), h('span', t('rc.back')));
  const host = h('div.cp-detail-host', loadingState());
  mount(el, h('div.cp-detail-top', back), host);

  if (!Number.isInteger(id) || id <= 0) {
    mount(host, errorBanner({ title: t('rc.err.notFound') }));
    return null;
  }

  let seq = 0;
  async function load() {
    const my = ++seq;
    try {
      const row = await api.get(`${api.API}/recordings/${id}`);
      if (destroyed || my !== seq) return;
      r = row;
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    render();
  }

  async function reveal() {
    if (revealing) return;
    revealing = true;
    revealErr = null;
    render();
    try {
      const res = await api.get(`${api.API}/recordings/${id}/contact`);
      if (destroyed) return;
      revealed = { requester_id: res && res.requester_id, phone: res && res.phone };
    } catch (err) {
      if (destroyed) return;
      revealErr = problemText(err);
    }
    revealing = false;
    render();
  }

  async function act(step, path, body) {
    if (busy) return;
    busy = step;
    delete stepErr[step];
    render();
    try {
      const row = await api.post(`${api.API}/recordings/${id}/${path}`, body);
      if (destroyed) return;
      busy = '';
      r = row || r;
      if (step === 'decide') draft.decideNote = '';
      if (step === 'view') draft.viewNote = '';
      if (step === 'lend') { draft.copy_ref = ''; draft.due_back = ''; }
      if (step === 'return') draft.returnNote = '';
      if (step === 'keep') draft.keepNote = '';
      if (step === 'cancel') { draft.cancelNote = ''; cancelOpen = false; }
      toast(t(`rc.done.${step === 'decide' ? (body.approve ? 'approve' : 'refuse') : step}`, { id }));
      render();
      load();
    } catch (err) {
      if (destroyed) return;
      busy = '';
      const fe = err.fieldErrors ? err.fieldErrors() : {};
      const field = Object.keys(fe)[0];
      stepErr[step] = { field: field === 'due_back' || field === 'copy_ref' || field === 'medium' || field === 'note' ? field : null, text: problemText(err) };
      render();
      if (err.status === 409 || err.status === 404) load();
    }
  }

  // --- Rendering --------------------------------------------------------------------------------

  function who(u) { return !u ? t('common.none') : (u === me ? t('re.you', { name: u }) : u); }

  function stamp(at, by) {
    return h('div.cp-stamp', h('time', { datetime: at || '' }, formatDateTime(at)), by ? h('span', ` · ${who(by)}`) : null);
  }

  function stepItem(key, n, title, st, content) {
    return h(`li.cp-step.cp-step-${st}.rc-step-${st}`, { testid: `rc-step-${key}`, dataset: { step: key, status: st } },
      h('div.cp-step-mark', { 'aria-hidden': 'true' }, st === 'done' ? icon('check') : (st === 'refused' || st === 'cancelled' ? icon('alert') : String(n))),
      h('div.cp-step-body',
        h('div.cp-step-title', h('span', title),
          st === 'done' ? h('span.cp-step-tag.done', t('rc.step.done'))
            : st === 'current' ? h('span.cp-step-tag.current', t('rc.step.current'))
              : st === 'refused' ? h('span.cp-step-tag.rc-tag-refused', tEnum('rcState', 'refused'))
                : st === 'cancelled' ? h('span.cp-step-tag.rc-tag-refused', tEnum('rcState', 'cancelled')) : null),
        content));
  }

  function errBox(step) {
    const e = stepErr[step];
    return e ? h('div.form-banner.cp-step-error', { testid: `rc-${step}-error`, role: 'alert' }, e.text) : null;
  }

  function textarea(key, idAttr, testid, placeholder, rows = 2) {
    const ta = h('textarea.input.cp-textarea', { id: idAttr, testid, rows, maxlength: LIMITS.note, placeholder,
      oninput: (e) => { draft[key] = e.target.value; } });
    ta.value = draft[key];
    return ta;
  }

  function waitLine(text) {
    return h('div.rc-waiting', { testid: 'rc-waiting' }, icon('clock'), h('span', text));
  }

  // The manager's decision: approve (note optional) or refuse (note required).
  function decideForm() {
    const ta = textarea('decideNote', 'rc-decide-note', 'rc-decide-note', t('rc.decideNotePlaceholder'), 3);
    if (stepErr.decide && stepErr.decide.field === 'note') ta.setAttribute('aria-invalid', 'true');
    const send = (approve) => {
      const note = draft.decideNote.trim();
      if (!approve && !note) { stepErr.decide = { field: 'note', text: t('rc.err.refuseNote') }; render(); focus('rc-decide-note'); return; }
      if (bytes(note) > LIMITS.note) { stepErr.decide = { field: 'note', text: t('rc.form.tooLong', { n: LIMITS.note }) }; render(); return; }
      act('decide', 'decide', note ? { approve, note } : { approve });
    };
    return h('form.cp-step-form', { testid: 'rc-decide-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); send(true); } },
      r.expired ? h('div.rc-warn', { testid: 'rc-decide-expired' }, icon('alert'), h('span', t('rc.decideExpired'))) : null,
      h('label.cp-step-label', { for: 'rc-decide-note' }, t('rc.decideNote')),
      ta,
      errBox('decide'),
      h('div.cp-step-actions',
        h('button.btn.btn-danger-ghost.btn-sm.rc-refuse', { type: 'button', testid: 'rc-refuse', disabled: !!busy, onclick: () => send(false) },
          icon('alert'), h('span', busy === 'decide' ? t('rc.sending') : t('rc.refuse'))),
        h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'rc-approve', disabled: !!busy },
          icon('check'), h('span', busy === 'decide' ? t('rc.sending') : t('rc.approve')))));
  }

  function viewForm() {
    const ta = textarea('viewNote', 'rc-view-note', 'rc-view-note', t('rc.viewNotePlaceholder'));
    return h('form.cp-step-form', { testid: 'rc-view-form', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const note = draft.viewNote.trim();
      if (bytes(note) > LIMITS.note) { stepErr.view = { text: t('rc.form.tooLong', { n: LIMITS.note }) }; render(); return; }
      act('view', 'view', note ? { note } : {});
    } },
    h('label.cp-step-label', { for: 'rc-view-note' }, t('rc.viewNote'), h('span.cp-optional', t('rc.form.optional'))),
    ta,
    errBox('view'),
    h('div.cp-step-actions',
      h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'rc-view-submit', disabled: !!busy },
        icon('eye'), h('span', busy === 'view' ? t('rc.sending') : t('rc.viewSubmit')))));
  }

  function lendForm() {
    if (!draft.due_back) {
      // Three days from now at the full hour, in the site's time.
      const at = Math.ceil((center.now() + 3 * 24 * HOUR) / HOUR) * HOUR;
      draft.due_back = toLocalInput(at);
    }
    const medium = h('div.cp-seg.rc-seg-medium', { role: 'radiogroup', testid: 'rc-lend-medium', 'aria-label': t('rc.medium') },
      MEDIA.map((m) => h(`button.cp-seg-opt${draft.medium === m ? '.active' : ''}`, { type: 'button', role: 'radio', dataset: { value: m },
        testid: `rc-lend-medium-${m}`, 'aria-checked': String(draft.medium === m),
        onclick: () => { draft.medium = m; for (const b of medium.children) { const on = b.dataset.value === m; b.classList.toggle('active', on); b.setAttribute('aria-checked', String(on)); } } },
      tEnum('rcMedium', m))));
    const ref = h('input.input', { id: 'rc-lend-ref', testid: 'rc-lend-ref', maxlength: LIMITS.copy_ref, autocomplete: 'off', placeholder: t('rc.copyRefPlaceholder'),
      'aria-invalid': stepErr.lend && stepErr.lend.field === 'copy_ref' ? 'true' : null,
      oninput: (e) => { draft.copy_ref = e.target.value; } });
    ref.value = draft.copy_ref;
    const due = h('input.input', { id: 'rc-lend-due', testid: 'rc-lend-due', type: 'datetime-local', step: 60,
      'aria-invalid': stepErr.lend && stepErr.lend.field === 'due_back' ? 'true' : null,
      oninput: (e) => { draft.due_back = e.target.value; } });
    due.value = draft.due_back;
    return h('form.cp-step-form', { testid: 'rc-lend-form', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const copyRef = draft.copy_ref.trim();
      if (!copyRef) { stepErr.lend = { field: 'copy_ref', text: t('rc.err.copyRef') }; render(); focus('rc-lend-ref'); return; }
      if (bytes(copyRef) > LIMITS.copy_ref) { stepErr.lend = { field: 'copy_ref', text: t('rc.form.tooLong', { n: LIMITS.copy_ref }) }; render(); return; }
      const d = fromLocalInput(draft.due_back);
      if (!d) { stepErr.lend = { field: 'due_back', text: t('rc.err.dueBack') }; render(); focus('rc-lend-due'); return; }
      if (d.getTime() <= center.now()) { stepErr.lend = { field: 'due_back', text: t('rc.err.duePast') }; render(); focus('rc-lend-due'); return; }
      act('lend', 'lend', { medium: draft.medium, copy_ref: copyRef, due_back: isoOf(d) });
    } },
    h('span.cp-step-label', t('rc.medium')),
    medium,
    h('div.rc-form-row2',
      h('div.rc-sub-field', h('label.cp-step-label', { for: 'rc-lend-ref' }, t('rc.copyRef')), ref),
      h('div.rc-sub-field', h('label.cp-step-label', { for: 'rc-lend-due' }, t('rc.dueBack')), due)),
    errBox('lend'),
    h('div.cp-step-actions',
      h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'rc-lend-submit', disabled: !!busy },
        icon('archive'), h('span', busy === 'lend' ? t('rc.sending') : t('rc.lendSubmit')))));
  }

  // 对方留存: the requester keeps the copy for good (police evidence); the manager closes the
  // loan with the reason (POST …/keep, recording.approve).
  function keepForm() {
    const ta = textarea('keepNote', 'rc-keep-note', 'rc-keep-note', t('rc.keepNotePlaceholder'));
    return h('form.cp-step-form', { testid: 'rc-keep-form', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const note = (draft.keepNote || '').trim();
      if (!note) { stepErr.keep = { text: t('rc.keepNoteRequired') }; render(); return; }
      if (bytes(note) > LIMITS.note) { stepErr.keep = { text: t('rc.form.tooLong', { n: LIMITS.note }) }; render(); return; }
      act('keep', 'keep', { note });
    } },
    h('label.cp-step-label', { for: 'rc-keep-note' }, t('rc.keepNote')),
    ta,
    errBox('keep'),
    h('div.cp-step-actions',
      h('button.btn.btn-ghost.btn-sm', { type: 'submit', testid: 'rc-keep-submit', disabled: !!busy },
        icon('archive'), h('span', busy === 'keep' ? t('rc.sending') : t('rc.keepSubmit')))));
  }

  function returnForm() {
    const ta = textarea('returnNote', 'rc-return-note', 'rc-return-note', t('rc.returnNotePlaceholder'));
    return h('form.cp-step-form', { testid: 'rc-return-form', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const note = draft.returnNote.trim();
      if (bytes(note) > LIMITS.note) { stepErr.return = { text: t('rc.form.tooLong', { n: LIMITS.note }) }; render(); return; }
      act('return', 'return', note ? { note } : {});
    } },
    h('label.cp-step-label', { for: 'rc-return-note' }, t('rc.returnNote'), h('span.cp-optional', t('rc.form.optional'))),
    ta,
    errBox('return'),
    h('div.cp-step-actions',
      h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'rc-return-submit', disabled: !!busy },
        icon('check'), h('span', busy === 'return' ? t('rc.sending') : t('rc.returnSubmit')))));
  }

  // 撤销: from requested or approved, by the duty staff, with a note.
  function cancelBox() {
    if (!cancelOpen) {
      return h('div.rc-cancel-row',
        h('button.btn.btn-ghost.btn-sm.rc-cancel', { type: 'button', testid: 'rc-cancel', disabled: !!busy,
          onclick: () => { cancelOpen = true; delete stepErr.cancel; render(); focus('rc-cancel-note'); } }, t('rc.cancel')));
    }
    const ta = textarea('cancelNote', 'rc-cancel-note', 'rc-cancel-note', t('rc.cancelNotePlaceholder'));
    return h('form.cp-step-form.rc-cancel-form', { testid: 'rc-cancel-form', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const note = draft.cancelNote.trim();
      if (!note) { stepErr.cancel = { field: 'note', text: t('rc.err.cancelNote') }; render(); focus('rc-cancel-note'); return; }
      if (bytes(note) > LIMITS.note) { stepErr.cancel = { text: t('rc.form.tooLong', { n: LIMITS.note }) }; render(); return; }
      act('cancel', 'cancel', { note });
    } },
    h('label.cp-step-label', { for: 'rc-cancel-note' }, t('rc.cancelNote')),
    ta,
    errBox('cancel'),
    h('div.cp-step-actions',
      h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'rc-cancel-back', disabled: !!busy,
        onclick: () => { cancelOpen = false; delete stepErr.cancel; render(); } }, t('common.cancel')),
      h('button.btn.btn-danger.btn-sm', { type: 'submit', testid: 'rc-cancel-submit', disabled: !!busy },
        h('span', busy === 'cancel' ? t('rc.sending') : t('rc.cancelSubmit')))));
  }

  function workflow(now) {
    const st = r.state;
    const isLend = r.kind === 'lend';
    const cancelled = st === 'cancelled';
    const decided = !!r.decided_at || ['approved', 'refused', 'viewed', 'lent', 'returned', 'kept'].includes(st);
    const approved = decided && st !== 'refused';

    const intake = stepItem('request', 1, t('rc.step.request'), 'done', [
      stamp(r.recorded_at, r.recorded_by),
    ]);

    let decideSt = 'next';
    if (st === 'refused') decideSt = 'refused';
    else if (decided) decideSt = 'done';
    else if (st === 'requested') decideSt = 'current';
    else if (cancelled) decideSt = 'skipped';
    const decide = stepItem('decide', 2, t('rc.step.decide'), decideSt, [
      decided ? h('div.cp-step-text', { testid: 'rc-decision' }, st === 'refused' ? t('rc.refusedBy', { who: who(r.decided_by) }) : t('rc.approvedBy', { who: who(r.decided_by) })) : null,
      r.decision_note ? h('blockquote.cp-quote', { testid: 'rc-decision-note' }, r.decision_note) : null,
      decided ? stamp(r.decided_at, null) : null,
      st === 'requested' && canApprove ? decideForm() : null,
      st === 'requested' && !canApprove ? waitLine(t('rc.wait.approve')) : null,
    ]);

    const steps = [intake, decide];
    if (!isLend) {
      const viewSt = st === 'viewed' ? 'done' : (st === 'approved' ? 'current' : 'next');
      steps.push(stepItem('view', 3, t('rc.step.view'), viewSt, [
        st === 'viewed' ? [
          h('div.cp-step-text', { testid: 'rc-viewed' }, t('rc.viewedBy', { who: who(r.viewed_by) })),
          r.view_note ? h('blockquote.cp-quote', { testid: 'rc-view-note-shown' }, r.view_note) : null,
          stamp(r.viewed_at, null),
        ] : null,
        st === 'approved' && r.expired ? h('div.rc-warn', { testid: 'rc-expired-warn' }, icon('alert'), h('span', t('rc.expiredAfterApproval'))) : null,
        st === 'approved' && canWrite ? viewForm() : null,
        st === 'approved' && !canWrite ? waitLine(t('rc.wait.view')) : null,
        !approved && !cancelled && st !== 'refused' ? h('div.cp-step-text.muted', t('rc.afterApproval')) : null,
      ]));
    } else {
      const lent = ['lent', 'returned', 'kept'].includes(st);
      const lendSt = lent ? 'done' : (st === 'approved' ? 'current' : 'next');
      steps.push(stepItem('lend', 3, t('rc.step.lend'), lendSt, [
        lent ? [
          h('div.cp-step-text', { testid: 'rc-lent' }, t('rc.lentBy', { who: who(r.lent_by) })),
          h('dl.kv.cp-kv.rc-lend-kv',
            h('dt', t('rc.medium')), h('dd', { testid: 'rc-medium' }, tEnum('rcMedium', r.medium)),
            h('dt', t('rc.copyRef')), h('dd', { testid: 'rc-copy-ref' }, r.copy_ref || t('common.none')),
            h('dt', t('rc.dueBack')), h('dd', { testid: 'rc-due-back' }, h('time', { datetime: r.due_back || '' }, formatDateTime(r.due_back)))),
          stamp(r.lent_at, null),
        ] : null,
        st === 'approved' && r.expired ? h('div.rc-warn', { testid: 'rc-expired-warn' }, icon('alert'), h('span', t('rc.expiredAfterApproval'))) : null,
        st === 'approved' && canWrite ? lendForm() : null,
        st === 'approved' && !canWrite ? waitLine(t('rc.wait.lend')) : null,
        !approved && !cancelled && st !== 'refused' ? h('div.cp-step-text.muted', t('rc.afterApproval')) : null,
      ]));
      const retSt = st === 'returned' || st === 'kept' ? 'done' : (st === 'lent' ? 'current' : 'next');
      steps.push(stepItem('return', 4, t('rc.step.return'), retSt, [
        st === 'returned' ? [
          h('div.cp-step-text', { testid: 'rc-returned' }, t('rc.returnedBy', { who: who(r.returned_by) })),
          r.return_note ? h('blockquote.cp-quote', { testid: 'rc-return-note-shown' }, r.return_note) : null,
          stamp(r.returned_at, null),
        ] : null,
        st === 'lent' ? h('div.cp-step-text', dueEl(r), r.overdue ? h('span.rc-overdue-text', { testid: 'rc-overdue-text' }, ' ', t('rc.overdueFor', { d: formatSpan(now - Date.parse(r.due_back)) })) : null) : null,
        st === 'kept' ? [
          h('div.cp-step-text', { testid: 'rc-kept' }, t('rc.keptBy', { who: who(r.kept_by) })),
          r.keep_note ? h('blockquote.cp-quote', { testid: 'rc-keep-note-shown' }, r.keep_note) : null,
          stamp(r.kept_at, null),
        ] : null,
        st === 'lent' && canWrite ? returnForm() : null,
        st === 'lent' && canApprove ? keepForm() : null,
        st === 'lent' && !canWrite && !canApprove ? waitLine(t(r.overdue ? 'rc.wait.returnOverdue' : 'rc.wait.return')) : null,
      ]));
    }
    if (cancelled) {
      steps.push(stepItem('cancel', steps.length + 1, t('rc.step.cancelled'), 'cancelled', [
        r.cancelled_by || r.cancelled_at ? h('div.cp-step-text', { testid: 'rc-cancelled' }, t('rc.cancelledBy', { who: who(r.cancelled_by) })) : null,
        r.cancel_note ? h('blockquote.cp-quote', { testid: 'rc-cancel-note-shown' }, r.cancel_note) : null,
        r.cancelled_at ? stamp(r.cancelled_at, null) : null,
      ]));
    }

    const canCancel = canWrite && (st === 'requested' || st === 'approved');
    return h('section.panel.cp-flow.rc-flow', { testid: 'rc-workflow' },
      h('div.panel-head', h('h2', t('rc.workflow')), h('span.chip.ref-chip', 'R3.4.3')),
      h('ol.cp-steps', steps),
      canCancel ? h('div.rc-cancel-wrap', cancelBox()) : null,
      r.closed ? h('p.muted.rc-closed', { testid: 'rc-closed' }, icon('check'), h('span', t(`rc.closedNote.${st}`))) : null,
      !canWrite && !canApprove ? h('p.muted.cp-readonly', { testid: 'rc-readonly' }, t('rc.readOnlyOne')) : null);
  }

  function contactPanel() {
    const idShown = revealed ? revealed.requester_id : r.requester_id_masked;
    const phoneShown = revealed ? revealed.phone : r.phone_masked;
    const hasPii = !!(r.requester_id_masked || r.phone_masked);
    return h('section.panel.cp-contact.rc-contact', { testid: 'rc-contact-panel', dataset: { revealed: String(!!revealed) } },
      h('div.panel-head', h('h2', t('rc.requester')), h('span.chip.ref-chip', 'S5'),
        canApprove && hasPii ? h('button.btn.btn-ghost.btn-sm.cp-reveal', { type: 'button', testid: revealed ? 'rc-hide' : 'rc-reveal', disabled: revealing,
          title: revealed ? null : t('rc.revealTitle'),
          onclick: () => { if (revealed) { revealed = null; render(); } else reveal(); } },
        icon(revealed ? 'eyeOff' : 'eye'), h('span', revealed ? t('rc.hide') : (revealing ? t('rc.revealing') : t('rc.reveal')))) : null),
      h('dl.kv.cp-kv',
        h('dt', t('rc.form.requester_name')), h('dd', { testid: 'rc-requester-name' }, r.requester_name),
        h('dt', t('rc.form.requester_org')), h('dd', { testid: 'rc-requester-org' }, r.requester_org || t('common.none')),
        h('dt', t('rc.form.requester_id')), h('dd', { testid: 'rc-requester-id', class: revealed ? 'cp-pii-on' : 'cp-pii' }, idShown || t('common.none')),
        h('dt', t('rc.form.phone')), h('dd', { testid: 'rc-phone', class: revealed ? 'cp-pii-on' : 'cp-pii' }, phoneShown || t('common.none'))),
      revealErr ? h('div.form-banner.cp-reveal-err', { testid: 'rc-reveal-error', role: 'alert' }, revealErr) : null,
      hasPii ? h('p.cp-hint.cp-pii-note', { testid: 'rc-pii-note' },
        revealed ? t('rc.revealedNote') : (canApprove ? t('rc.maskedNote') : t('rc.maskedNoteNoPerm'))) : null);
  }

  function render() {
    if (destroyed) return;
    if (!r) {
      if (loadErr) {
        const title = loadErr.status === 404 ? t('rc.err.notFound') : (loadErr.status === 403 ? t('rc.err.forbidden') : null);
        mount(host, errorBanner(title ? { title } : loadErr, title ? null : () => load()));
      }
      return;
    }
    const now = center.now();
    document.title = `${t('rc.one', { id: r.id })} · ${t('app.name')}`;
    const focusId = document.activeElement && document.activeElement.id;
    const wait = r.state === 'requested' && canApprove ? t('rc.wait.approveYou') : waitingFor(r);
    mount(host,
      h('header.page-head.cp-detail-head',
        h('div',
          h('h1.page-title', { testid: 'page-title' }, t(r.kind === 'lend' ? 'rc.oneLend' : 'rc.oneView', { id: r.id })),
          h('div.cp-detail-badges', { testid: 'rc-detail-badges' },
            kindChip(r.kind), stateBadge(r.state), r.overdue ? overdueBadge() : null,
            watchesExpiry(r) ? expiryEl(r, now, { long: true }) : null),
          wait ? h('p.rc-wait.rc-wait-head', { testid: 'rc-next' }, wait) : null)),
      loadErr ? errorBanner(loadErr, () => load()) : null,
      h('div.cp-detail-grid',
        h('div.cp-detail-main',
          h('section.panel.cp-facts.rc-facts', { testid: 'rc-facts' },
            h('div.panel-head', h('h2', t('rc.footage'))),
            h('div.cp-desc-full', { testid: 'rc-purpose-full' }, r.purpose),
            h('dl.kv.cp-kv',
              h('dt', t('rc.form.area')), h('dd', { testid: 'rc-area' }, r.area || t('common.none')),
              h('dt', t('rc.form.cameras')), h('dd', { testid: 'rc-cameras' }, r.cameras || t('common.none')),
              h('dt', t('rc.period')), h('dd', { testid: 'rc-period-full' },
                h('time', { datetime: r.from || '' }, formatDateTime(r.from)), ' – ', h('time', { datetime: r.to || '' }, formatDateTime(r.to))),
              h('dt', t('rc.expiresAt')), h('dd', { testid: 'rc-expires-at' },
                h('time', { datetime: r.expires_at || '' }, formatDateTime(r.expires_at)),
                r.expired ? h('span.rc-expired-inline', ' ', t('rc.alreadyOverwritten')) : null),
              h('dt', t('rc.recordedBy')), h('dd', who(r.recorded_by)))),
          workflow(now)),
        h('aside.cp-detail-side', contactPanel())));
    if (focusId) { const f = host.querySelector(`#${focusId}`); if (f) f.focus(); }
  }

  function focus(elId) { const f = host.querySelector(`#${elId}`); if (f) f.focus(); }

  load();
  const reload = debounce(() => { if (!destroyed && !busy) load(); }, 250);
  const ticker = setInterval(() => { if (!destroyed && r && !busy && !host.contains(document.activeElement)) render(); }, 30000);

  return {
    onEvent(ev) {
      if (ev.type === 'reset') { reload(); return; }
      if (ev.type === 'reset' || (ev.type === 'recording' && ev.data && Number(ev.data.id) === id)) reload();
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}
