// 岗位交办 Post tasks (#/handoffs, R3.4.15): "pass suspicious findings to the
// guard on duty at the post concerned to follow up". Serves both sides:
//  - the center (incident.handle) passes an observation to a post — gates
//    first, then the other areas — without an incident (hand-offs that belong
//    to an incident are made on the incident page and show up here as well);
//  - the guards (handoff.take) take up the waiting ones (接收) and report the
//    result of the ones they took (回报结果); a shift leader (who also has
//    incident.handle) may report for a guard, as the server allows.
// The list shows the open hand-offs (or all of them, paged), each with its post,
// text, incident, who passed it and when, and its state: waiting (for how long)
// / taken by X at T (and how long that took) / done with the result. Live from
// the `handoff` events, which carry the whole hand-off. A hand-off finished
// while the open list is on screen stays there, marked done, until the list is
// reloaded, so the center sees the result arrive.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import * as center from '../alarm-center.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, formatTime, formatDateTime, formatNumber,
  siteDate, toast, debounce, PAGE_SIZES } from '../ui.js';
import { elapsedEl, tickElapsed, formatElapsed } from '../incident-ui.js';

const MAX_BYTES = 1000;                 // the server's limit on text and result (UTF-8 bytes)
const LATE_MS = 5 * 60 * 1000;          // waiting longer than this: call the post
const utf8 = new TextEncoder();
const bytes = (s) => utf8.encode(s || '').length;

// Posts in the picker: gates (门岗) first, then the other kinds of area.
const KIND_ORDER = ['gate', 'perimeter', 'public', 'garage', 'building', 'lobby', 'elevator', 'floor', 'control_room'];
const KIND_ICONS = new Set(['gate', 'perimeter', 'public', 'garage', 'building', 'lobby', 'elevator', 'floor', 'control_room']);

export function handoffState(ho) {
  return ho.done_at ? 'done' : ho.taken_at ? 'taken' : 'waiting';
}

const STATE_RANK = { waiting: 0, taken: 1, done: 2 };

function span(fromIso, toIso) {
  const a = Date.parse(fromIso || '');
  const b = Date.parse(toIso || '');
  return Number.isFinite(a) && Number.isFinite(b) ? formatElapsed(b - a) : t('common.none');
}

export default function handoffsPage(el, ctx) {
  const me = (ctx.user && ctx.user.username) || '';
  const canCreate = ctx.can('incident.handle');
  const canTake = ctx.can('handoff.take');
  const p = ctx.params;
  const q = {
    view: p.get('view') === 'all' ? 'all' : 'open',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let destroyed = false;

  let open = null;              // id -> open hand-off (every one, for the counts and the open view)
  const doneHere = new Map();   // finished while the open view was on screen: kept, marked done
  let pageRows = null;          // the all view: one page, newest first
  let pageTotal = 0;
  let maxId = 0;                // the newest hand-off seen (to tell a new one from an old one)
  let loadErr = null;
  let pending = null;           // events that arrive while a load is in flight
  const flashIds = new Set();

  let areas = null;             // for the picker and the post icons
  let areasErr = null;
  const byArea = new Map();

  // Row actions and drafts survive the re-renders live updates cause.
  const busyIds = new Set();
  const rowErrs = new Map();    // id -> message
  const reporting = new Set();  // ids whose report form is open
  const reportDrafts = new Map();
  const draft = { area: '', text: '' };
  let sending = false;

  // --- Frame ------------------------------------------------------------------------

  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'handoffs-refresh', onclick: () => load() },
    icon('refresh'), h('span', t('common.refresh')));
  const tabsHost = h('div.tabs', { role: 'tablist', 'aria-label': t('handoffs.list') });
  const countsHost = h('div.ho-counts', { testid: 'handoffs-counts' });
  const listHost = h('div.ho-list-host', loadingState());
  const sideHost = h('aside.ho-side');

  mount(el,
    pageHeader(t('handoffs.title'), t('handoffs.subtitle'), refreshBtn),
    h('div.ho-grid',
      h('section.panel.ho-panel', { testid: 'handoffs' },
        h('div.panel-head', tabsHost, countsHost),
        listHost),
      sideHost));

  function sync() {
    ctx.setParams(q.view === 'all'
      ? { view: 'all', limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' }
      : {});
  }

  function setView(v) {
    if (q.view === v) return;
    q.view = v;
    q.offset = 0;
    doneHere.clear();
    sync();
    renderTabs();
    if (v === 'all') { pageRows = null; mount(listHost, loadingState()); load(); } else renderList();
  }

  // --- Loading ----------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    if (open) listHost.classList.add('busy');
    pending = pending || [];
    try {
      const [o, pg] = await Promise.all([
        api.listAll('handoffs', { open: 1 }, 500),
        q.view === 'all' ? api.list('handoffs', { limit: q.limit, offset: q.offset }) : Promise.resolve(null),
      ]);
      if (destroyed || my !== seq) return;
      open = new Map(o.items.filter((x) => x && !x.done_at).map((x) => [x.id, x]));
      doneHere.clear();
      if (pg) { pageRows = pg.items; pageTotal = pg.total; }
      for (const x of [...o.items, ...(pg ? pg.items : [])]) maxId = Math.max(maxId, x.id);
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    listHost.classList.remove('busy');
    const replay = pending || [];
    pending = null;
    for (const ho of replay) upsert(ho, true, false);
    renderTabs();
    renderList();
    updateGuard();
  }

  async function loadAreas() {
    if (!ctx.can('site.read')) return;
    try {
      const r = await api.listAll('areas');
      if (destroyed) return;
      areas = r.items;
      areasErr = null;
      for (const a of areas) byArea.set(a.id, a);
    } catch (err) {
      if (destroyed) return;
      areasErr = err;
    }
    renderList();
    renderSide();
  }

  // A hand-off from an event or from our own request: update it where it is shown.
  function upsert(ho, live, render = true) {
    if (!ho || typeof ho !== 'object' || !Number.isFinite(ho.id)) return;
    if (pending) { pending.push(ho); return; }
    if (!open) return;
    const isNew = ho.id > maxId;
    maxId = Math.max(maxId, ho.id);
    const wasOpen = open.has(ho.id);
    if (ho.done_at) {
      open.delete(ho.id);
      if (wasOpen || doneHere.has(ho.id)) doneHere.set(ho.id, ho);
    } else {
      open.set(ho.id, ho);
    }
    if (pageRows) {
      const i = pageRows.findIndex((x) => x.id === ho.id);
      if (i >= 0) pageRows[i] = ho;
      else if (isNew) {
        pageTotal += 1;
        if (q.offset === 0) { pageRows.unshift(ho); if (pageRows.length > q.limit) pageRows.length = q.limit; }
      }
    }
    if (live) flashIds.add(ho.id);
    if (render) { renderTabs(); renderList(); updateGuard(); }
  }

  // --- Tabs and counts ----------------------------------------------------------------

  function counts() {
    let waiting = 0, taken = 0, mine = 0;
    for (const ho of (open ? open.values() : [])) {
      if (ho.taken_at) { taken += 1; if (ho.taken_by === me) mine += 1; } else waiting += 1;
    }
    return { waiting, taken, mine, open: waiting + taken };
  }

  function renderTabs() {
    const c = counts();
    const tab = (v, label, n) => h('button.tab', {
      type: 'button', role: 'tab', testid: `handoffs-tab-${v}`, 'aria-selected': String(q.view === v), class: q.view === v ? 'active' : '',
      onclick: () => setView(v),
    }, label, n !== null ? h('span.tab-count', formatNumber(n)) : null);
    mount(tabsHost, tab('open', t('handoffs.tab.open'), open ? c.open : null), tab('all', t('handoffs.tab.all'), pageRows && q.view === 'all' ? pageTotal : null));
    mount(countsHost, open ? [
      h('span.ho-count.ho-count-waiting', { testid: 'handoffs-count-waiting', dataset: { n: String(c.waiting) }, class: c.waiting ? 'on' : '' },
        h('span.dot', { 'aria-hidden': 'true' }), t('handoffs.count.waiting', { n: formatNumber(c.waiting) })),
      h('span.ho-count.ho-count-taken', { testid: 'handoffs-count-taken', dataset: { n: String(c.taken) } },
        h('span.dot', { 'aria-hidden': 'true' }), t('handoffs.count.taken', { n: formatNumber(c.taken) })),
      canTake && c.mine ? h('span.ho-count.ho-count-mine', { testid: 'handoffs-count-mine', dataset: { n: String(c.mine) } },
        t('handoffs.count.mine', { n: formatNumber(c.mine) })) : null,
    ] : null);
  }

  // --- The list -----------------------------------------------------------------------

  function shownRows() {
    if (q.view === 'all') return pageRows || [];
    return [...open.values(), ...doneHere.values()]
      .sort((a, b) => STATE_RANK[handoffState(a)] - STATE_RANK[handoffState(b)] || b.id - a.id);
  }

  function canReport(ho) {
    return canTake && handoffState(ho) === 'taken' && (ho.taken_by === me || canCreate);
  }

  function postLabel(ho) {
    const a = byArea.get(ho.area_id);
    const kind = a && KIND_ICONS.has(a.kind) ? a.kind : 'areas';
    return h('span.ho-post', { testid: 'handoff-post', title: a ? tEnum('areaKind', a.kind) : null },
      icon(kind), h('span', ho.area_name || `#${ho.area_id}`));
  }

  function who(name) {
    if (!name) return t('common.none');
    return name === me ? t('handoffs.you', { name }) : name;
  }

  function stateBlock(ho) {
    const st = handoffState(ho);
    const badge = h(`span.badge.ho-badge.ho-badge-${st}`, { testid: 'handoff-state-badge', dataset: { state: st } },
      h('span.dot', { 'aria-hidden': 'true' }), t(`handoffs.state.${st}`));
    if (st === 'waiting') {
      return [badge, h('div.ho-st-line.ho-waiting-for', { testid: 'handoff-waiting' },
        h('span', t('handoffs.waitingFor')), ' ', elapsedEl(ho.created_at, center.now, 'ho-elapsed'))];
    }
    const taken = h('div.ho-st-taken', { testid: 'handoff-taken', dataset: { takenBy: ho.taken_by || '' } },
      h('div.ho-st-line.ho-st-who', icon('guard'), h('span', t('handoffs.takenBy', { who: who(ho.taken_by) }))),
      h('div.ho-st-line.ho-st-sub',
        h('time', { datetime: ho.taken_at, title: formatDateTime(ho.taken_at) }, t('handoffs.takenAt', { time: formatTime(new Date(ho.taken_at)) })),
        ' · ',
        h('span', { testid: 'handoff-take-time' }, t('handoffs.takeTime', { d: span(ho.created_at, ho.taken_at) }))));
    if (st === 'taken') return [badge, taken];
    return [badge, taken,
      h('div.ho-st-line.ho-st-sub', { testid: 'handoff-done' },
        h('time', { datetime: ho.done_at, title: formatDateTime(ho.done_at) }, t('handoffs.doneAt', { time: formatTime(new Date(ho.done_at)) })),
        ' · ', h('span', t('handoffs.doneTime', { d: span(ho.created_at, ho.done_at) })))];
  }

  function reportForm(ho) {
    const id = ho.id;
    const text = h('textarea.input.ho-report-text', {
      testid: 'handoff-report-text', rows: 3, maxlength: 1000, placeholder: t('handoffs.reportPlaceholder'),
      'aria-label': t('handoffs.result'), dataset: { focusKey: `report:${id}` },
      oninput: (e) => { reportDrafts.set(id, e.target.value); count(); },
    });
    text.value = reportDrafts.get(id) || '';
    const n = h('span.ho-bytes', { testid: 'handoff-report-bytes' });
    const submit = h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'handoff-report-submit' }, icon('check'), h('span', t('handoffs.reportSubmit')));
    function count() {
      const b = bytes(text.value);
      n.textContent = t('handoffs.form.bytes', { n: formatNumber(b) });
      n.classList.toggle('over', b > MAX_BYTES);
      n.hidden = b < MAX_BYTES * 0.75;
      submit.disabled = busyIds.has(id) || !text.value.trim() || b > MAX_BYTES;
    }
    count();
    return h('form.ho-report', { testid: 'handoff-report-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); report(ho); } },
      h('label.ho-report-label', h('span', t('handoffs.result')), n),
      text,
      h('div.ho-report-actions',
        h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'handoff-report-cancel', onclick: () => { reporting.delete(id); rowErrs.delete(id); renderList(); } },
          t('common.cancel')),
        submit));
  }

  function row(ho, today) {
    const st = handoffState(ho);
    const mine = !!ho.taken_by && ho.taken_by === me && st !== 'done';
    const busy = busyIds.has(ho.id);
    const day = ho.created_at ? siteDate(new Date(ho.created_at)) : '';
    const late = st === 'waiting' && center.now() - Date.parse(ho.created_at) > LATE_MS;
    const cls = ['li.ho-row', `.ho-row-${st}`, mine ? '.ho-mine' : '', late ? '.ho-late' : '', flashIds.has(ho.id) ? '.flash' : ''].join('');
    const acts = [];
    if (canTake && st === 'waiting') {
      acts.push(h('button.btn.btn-primary.btn-sm', { type: 'button', testid: 'handoff-take', title: t('handoffs.takeTitle'), disabled: busy, onclick: () => take(ho) },
        icon('guard'), h('span', t('handoffs.take'))));
    }
    if (canReport(ho) && !reporting.has(ho.id)) {
      acts.push(h(`button.btn.btn-sm${ho.taken_by === me ? '.btn-primary' : '.btn-ghost'}`, { type: 'button', testid: 'handoff-report', disabled: busy,
        title: ho.taken_by === me ? null : t('handoffs.reportForTitle', { who: ho.taken_by || '' }),
        onclick: () => { reporting.add(ho.id); rowErrs.delete(ho.id); renderList(); const ta = listHost.querySelector(`[data-focus-key="report:${ho.id}"]`); if (ta) ta.focus(); } },
      icon('note'), h('span', t('handoffs.report'))));
    }
    const err = rowErrs.get(ho.id);
    return h(cls, { testid: 'handoff-row', dataset: { id: String(ho.id), state: st, area: String(ho.area_id), mine: String(mine) },
      title: late ? t('handoffs.lateTitle') : null },
    h('div.ho-when',
      h('time.ho-time', { datetime: ho.created_at, title: formatDateTime(ho.created_at) }, ho.created_at ? formatTime(new Date(ho.created_at)) : t('common.none')),
      h('span.ho-day', day && day !== today ? day : t('handoffs.today')),
      h('span.ho-id', `#${ho.id}`)),
    h('div.ho-body',
      h('div.ho-head',
        postLabel(ho),
        ho.incident_id
          ? h('a.ho-incident', { href: `#/incidents/${ho.incident_id}`, testid: 'handoff-incident' }, icon('bell'), h('span', t('handoffs.incident', { id: ho.incident_id })))
          : h('span.chip.ho-obs', { testid: 'handoff-observation', title: t('handoffs.observationTitle') }, t('handoffs.observation')),
        mine ? h('span.chip.ho-mine-chip', { testid: 'handoff-mine' }, t('handoffs.mine')) : null),
      h('div.ho-text', { testid: 'handoff-text' }, ho.text),
      h('div.ho-by', { testid: 'handoff-by' }, t('handoffs.passedBy', { who: who(ho.created_by), time: formatDateTime(ho.created_at) })),
      ho.result ? h('div.ho-result-box', { testid: 'handoff-result' },
        h('span.ho-result-label', t('handoffs.result')), h('span.ho-result-text', { testid: 'handoff-result-text' }, ho.result)) : null,
      err ? h('div.form-banner.ho-row-error', { testid: 'handoff-row-error', role: 'alert' }, err) : null,
      canReport(ho) && reporting.has(ho.id) ? reportForm(ho) : null),
    h('div.ho-state', { testid: 'handoff-state' }, stateBlock(ho),
      acts.length ? h('div.ho-act', acts) : null));
  }

  function renderList() {
    if (destroyed) return;
    if (!open) {
      if (loadErr) mount(listHost, errorBanner(loadErr, () => load()));
      return;
    }
    const ae = document.activeElement;
    const focusKey = ae && listHost.contains(ae) && ae.dataset ? ae.dataset.focusKey : null;
    const sel = focusKey && typeof ae.selectionStart === 'number' ? [ae.selectionStart, ae.selectionEnd] : null;
    const rows = shownRows();
    const today = siteDate(new Date(center.now()));
    mount(listHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      rows.length === 0
        ? emptyState(q.view === 'open' ? t('handoffs.empty.open') : t('handoffs.empty.all'), canCreate ? t('handoffs.emptyHint') : null)
        : h('ol.ho-rows', { testid: 'handoff-list', dataset: { view: q.view } }, rows.map((ho) => row(ho, today))),
      q.view === 'all' && pageRows ? pager({ limit: q.limit, offset: q.offset, total: pageTotal }, (np) => { q.limit = np.limit; q.offset = np.offset; sync(); load(); }, 'handoffs-pager') : null);
    flashIds.clear();
    if (focusKey) {
      const n = [...listHost.querySelectorAll('[data-focus-key]')].find((x) => x.dataset.focusKey === focusKey);
      if (n) { n.focus({ preventScroll: true }); if (sel) { try { n.setSelectionRange(sel[0], sel[1]); } catch (_) { /* ignore */ } } }
    }
  }

  // --- Actions ------------------------------------------------------------------------

  async function take(ho) {
    if (busyIds.has(ho.id)) return;
    busyIds.add(ho.id);
    rowErrs.delete(ho.id);
    renderList();
    try {
      const res = await api.post(`${api.API}/handoffs/${ho.id}/take`);
      if (destroyed) return;
      busyIds.delete(ho.id);
      toast(t('handoffs.takenToast', { area: (res && res.area_name) || ho.area_name || '' }));
      upsert(res, false);
    } catch (err) {
      if (destroyed) return;
      busyIds.delete(ho.id);
      rowErrs.set(ho.id, err.status === 409 ? t('handoffs.takeConflict') : [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '));
      renderList();
      if (err.status === 409 || err.status === 404) reload();
    }
  }

  async function report(ho) {
    const id = ho.id;
    const text = (reportDrafts.get(id) || '').trim();
    if (busyIds.has(id)) return;
    if (!text) { rowErrs.set(id, t('handoffs.reportRequired')); renderList(); return; }
    if (bytes(text) > MAX_BYTES) { rowErrs.set(id, t('handoffs.form.tooLong')); renderList(); return; }
    busyIds.add(id);
    rowErrs.delete(id);
    renderList();
    try {
      const res = await api.post(`${api.API}/handoffs/${id}/done`, { result: text });
      if (destroyed) return;
      busyIds.delete(id);
      reporting.delete(id);
      reportDrafts.delete(id);
      toast(t('handoffs.reported', { area: (res && res.area_name) || ho.area_name || '' }));
      upsert(res, false);
    } catch (err) {
      if (destroyed) return;
      busyIds.delete(id);
      const fields = err.fieldErrors ? err.fieldErrors() : {};
      rowErrs.set(id, [err.title, fields.result, err.problem && err.problem.detail].filter(Boolean).join(' '));
      renderList();
    }
  }

  // --- Side: the form to pass an observation to a post, or what this role does ---------------

  function postGroups() {
    const groups = new Map();
    for (const a of areas || []) {
      if (!groups.has(a.kind)) groups.set(a.kind, []);
      groups.get(a.kind).push(a);
    }
    const rank = (k) => { const i = KIND_ORDER.indexOf(k); return i < 0 ? KIND_ORDER.length : i; };
    return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]));
  }

  function createPanel() {
    if (!areas) {
      return h('section.panel.ho-form-panel', { testid: 'ho-form-panel' },
        h('div.panel-head', h('h2', t('handoffs.form.title')), h('span.chip.ref-chip', 'R3.4.15')),
        areasErr ? h('div.ho-form-wrap', errorBanner(areasErr, () => loadAreas())) : loadingState());
    }
    const errBox = h('div.form-banner', { testid: 'ho-form-error', role: 'alert', hidden: true });
    const groups = postGroups();
    const gates = (groups.find(([k]) => k === 'gate') || [null, []])[1];
    const sel = h('select.select', { id: 'ho-f-area', testid: 'ho-form-area', required: true,
      onchange: (e) => { draft.area = e.target.value; markQuick(); sel.removeAttribute('aria-invalid'); } },
    h('option', { value: '', selected: !draft.area }, t('handoffs.form.postPlaceholder')),
    groups.map(([kind, list]) => h('optgroup', { label: tEnum('areaKind', kind) },
      list.map((a) => h('option', { value: String(a.id), selected: String(a.id) === draft.area }, a.name)))));
    const quick = gates.map((a) => h('button.ho-quick', { type: 'button', testid: 'ho-form-quick', dataset: { id: String(a.id) },
      onclick: () => { draft.area = String(a.id); sel.value = draft.area; sel.removeAttribute('aria-invalid'); markQuick(); text.focus(); } },
    icon('gate'), h('span', a.name)));
    function markQuick() {
      for (const b of quick) {
        const on = b.dataset.id === draft.area;
        b.classList.toggle('active', on);
        b.setAttribute('aria-pressed', String(on));
      }
    }
    markQuick();
    const n = h('span.ho-bytes', { testid: 'ho-form-bytes' });
    const text = h('textarea.input.ho-form-text', { id: 'ho-f-text', testid: 'ho-form-text', rows: 4, placeholder: t('handoffs.form.textPlaceholder'),
      oninput: (e) => { draft.text = e.target.value; count(); text.removeAttribute('aria-invalid'); } });
    text.value = draft.text;
    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'ho-form-submit' });
    function renderSubmit() { mount(submit, icon('guard'), h('span', sending ? t('handoffs.form.sending') : t('handoffs.form.submit'))); }
    function count() {
      const b = bytes(draft.text);
      n.textContent = t('handoffs.form.bytes', { n: formatNumber(b) });
      n.classList.toggle('over', b > MAX_BYTES);
      n.hidden = b < MAX_BYTES * 0.75;
      submit.disabled = sending || !draft.text.trim() || b > MAX_BYTES;
    }
    renderSubmit();
    count();
    const showErr = (msg, field) => {
      errBox.textContent = msg;
      errBox.hidden = false;
      if (field) { field.setAttribute('aria-invalid', 'true'); field.focus(); }
    };
    const form = h('form.form.ho-create-form', { testid: 'ho-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (sending) return;
      errBox.hidden = true;
      const areaId = Number(draft.area);
      const body = draft.text.trim();
      if (!areaId) { showErr(t('handoffs.form.needPost'), sel); return; }
      if (!body) { showErr(t('form.required'), text); return; }
      if (bytes(body) > MAX_BYTES) { showErr(t('handoffs.form.tooLong'), text); return; }
      sending = true;
      renderSubmit();
      count();
      try {
        const res = await api.post(`${api.API}/handoffs`, { area_id: areaId, text: body });
        if (destroyed) return;
        sending = false;
        draft.text = '';
        toast(t('handoffs.sent', { area: (res && res.area_name) || '' }));
        if (q.view === 'all' && q.offset) { q.offset = 0; sync(); }
        upsert(res, true);
        if (q.view === 'all' && pageRows && !pageRows.some((x) => x.id === res.id)) load();
        renderSide();
      } catch (err) {
        if (destroyed) return;
        sending = false;
        renderSubmit();
        count();
        const fields = err.fieldErrors ? err.fieldErrors() : {};
        if (fields.area_id) showErr(`${err.title} ${fields.area_id}`, sel);
        else if (fields.text) showErr(`${err.title} ${fields.text}`, text);
        else showErr([err.title, err.problem && err.problem.detail].filter(Boolean).join(' '));
      }
    } },
    gates.length ? h('div.field',
      h('span.ho-quick-label', t('handoffs.form.gates')),
      h('div.ho-quicks', { role: 'group', 'aria-label': t('handoffs.form.gates') }, quick)) : null,
    h('div.field', h('label', { for: 'ho-f-area' }, t('handoffs.form.post')), sel),
    h('div.field', h('label.ho-text-label', { for: 'ho-f-text' }, h('span', t('handoffs.form.text')), n), text),
    errBox,
    h('div.form-actions', submit));
    return h('section.panel.ho-form-panel', { testid: 'ho-form-panel' },
      h('div.panel-head', h('h2', t('handoffs.form.title')), h('span.chip.ref-chip', 'R3.4.15')),
      h('div.ho-form-wrap', form, h('p.ho-hint', t('handoffs.form.hint'))));
  }

  function guardPanel() {
    const c = counts();
    return h('section.panel.ho-guard-panel', { testid: 'ho-guard-panel' },
      h('div.panel-head', h('h2', t('handoffs.guard.title')), canCreate ? null : h('span.chip.ref-chip', 'R3.4.15')),
      h('div.ho-guard-body',
        h('ol.ho-steps',
          h('li', t('handoffs.guard.step1')),
          h('li', t('handoffs.guard.step2')),
          h('li', t('handoffs.guard.step3'))),
        open ? h('p.ho-guard-mine', { testid: 'ho-guard-mine' }, c.mine ? t('handoffs.guard.mine', { n: formatNumber(c.mine) }) : t('handoffs.guard.none')) : null));
  }

  // The whole side: at the start and once the areas are in (and after sending,
  // to clear the form). Live updates only refresh the guard's panel, never the
  // form under the operator's cursor.
  function renderSide() {
    if (destroyed) return;
    const parts = [];
    if (canCreate) parts.push(createPanel());
    if (canTake) parts.push(guardPanel());
    if (!canCreate && !canTake) {
      parts.push(h('section.panel', { testid: 'ho-readonly-panel' },
        h('div.panel-head', h('h2', t('handoffs.form.title')), h('span.chip.ref-chip', 'R3.4.15')),
        h('p.muted.ho-readonly', { testid: 'handoffs-readonly' }, t('handoffs.readOnly'))));
    }
    mount(sideHost, parts);
  }

  function updateGuard() {
    const g = sideHost.querySelector('[data-testid="ho-guard-panel"]');
    if (g) g.replaceWith(guardPanel());
  }

  // --- Start --------------------------------------------------------------------------

  sync();
  renderTabs();
  renderSide();
  load();
  loadAreas();

  const reload = debounce(() => { if (!destroyed) load(); }, 250);
  const ticker = setInterval(() => {
    if (destroyed) return;
    tickElapsed(listHost, center.now);
    const now = center.now();
    for (const r of listHost.querySelectorAll('[data-testid="handoff-row"][data-state="waiting"]')) {
      const ho = open && open.get(Number(r.dataset.id));
      const late = !!ho && now - Date.parse(ho.created_at) > LATE_MS;
      if (late !== r.classList.contains('ho-late')) {
        r.classList.toggle('ho-late', late);
        if (late) r.title = t('handoffs.lateTitle'); else r.removeAttribute('title');
      }
    }
  }, 1000);

  return {
    onEvent(ev) {
      if (ev.type === 'reset') { reload(); return; }
      if (ev.type === 'handoff') upsert(ev.data, true);
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}
