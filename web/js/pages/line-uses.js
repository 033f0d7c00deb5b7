// 报警专线记录 Alarm line / fire telephone log (#/line-uses, R3.4.10): "keep the
// center's alarm line free; the fire-alarm telephone is used only in
// emergencies, and each use is recorded". The operator records each use with a
// quick form — line, in/out, caller, number, reason and whether it was an
// emergency, which has no default and must be chosen. A non-emergency use is
// flagged (待主管审阅) until a supervisor or manager (line.review) reviews it,
// with an optional note. The list is paged, newest first, and can show only
// the flagged uses.
//
// Live: `line_use.flagged` when a non-emergency use is recorded; every use
// also writes an automatic duty-log entry, whose `duty` event reloads the list
// (emergency uses have no event of their own, nor do reviews).

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import * as center from '../alarm-center.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, formatTime, formatDateTime, formatNumber,
  siteDate, toast, debounce, PAGE_SIZES } from '../ui.js';

export const LINES = ['alarm_line', 'fire_phone'];
export const DIRECTIONS = ['out', 'in'];
// The server's limits (UTF-8 bytes), src/http/api_register.c.
const LIMITS = { caller: 64, number: 32, reason: 500, note: 500 };
const utf8 = new TextEncoder();
const bytes = (s) => utf8.encode(s || '').length;
const DUTY_TEXT = /^(alarm line|fire telephone) used /;

export function lineUseState(u) {
  if (u.reviewed_at) return 'reviewed';
  return u.emergency ? 'emergency' : 'flagged';
}

export default function lineUsesPage(el, ctx) {
  const me = (ctx.user && ctx.user.username) || '';
  const myName = (ctx.user && (ctx.user.display_name || ctx.user.username)) || '';
  const canWrite = ctx.can('register.write');
  const canReview = ctx.can('line.review');
  const p = ctx.params;
  const q = {
    flagged: p.get('flagged') === '1',
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let destroyed = false;

  let rows = null;
  let total = 0;
  let flaggedN = null;
  let loadErr = null;
  let maxId = 0;
  const flashIds = new Set();
  const busyIds = new Set();
  const rowErrs = new Map();
  const reviewing = new Set();
  const notes = new Map();
  // The form: line and direction preset, emergency deliberately not.
  const draft = { line: 'alarm_line', direction: 'out', caller: myName, callerAuto: true, number: '', reason: '', emergency: null, incident: '' };
  let sending = false;

  // --- Frame ------------------------------------------------------------------------

  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'lu-refresh', onclick: () => load() },
    icon('refresh'), h('span', t('common.refresh')));
  const onlyFlagged = h('input', { type: 'checkbox', testid: 'lu-filter-flagged', checked: q.flagged,
    onchange: (e) => { q.flagged = e.target.checked; q.offset = 0; sync(); rows = null; mount(listHost, loadingState()); load(); } });
  const flaggedPill = h('button.lu-flag-pill', { type: 'button', testid: 'lu-flagged-count', hidden: true,
    onclick: () => { if (!q.flagged) { onlyFlagged.checked = true; onlyFlagged.dispatchEvent(new Event('change')); } } });
  const listHost = h('div.lu-list-host', loadingState());
  const sideHost = h('aside.lu-side');

  mount(el,
    pageHeader(t('lu.title'), t('lu.subtitle'), refreshBtn),
    h('div.lu-grid',
      h('section.panel.lu-panel', { testid: 'line-uses' },
        h('div.panel-head',
          h('h2', t('lu.list')),
          flaggedPill,
          h('label.lu-filter', onlyFlagged, h('span', t('lu.onlyFlagged')))),
        listHost),
      sideHost));

  function sync() {
    ctx.setParams({ flagged: q.flagged ? '1' : '', limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
  }

  // --- Loading ----------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    if (rows) listHost.classList.add('busy');
    try {
      const [pg, n] = await Promise.all([
        api.list('line-uses', { flagged: q.flagged ? 1 : undefined, limit: q.limit, offset: q.offset }),
        api.count('line-uses', { flagged: 1 }),
      ]);
      if (destroyed || my !== seq) return;
      if (rows !== null) for (const u of pg.items) if (u.id > maxId) flashIds.add(u.id);
      for (const u of pg.items) maxId = Math.max(maxId, u.id);
      rows = pg.items;
      total = pg.total;
      flaggedN = n;
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    listHost.classList.remove('busy');
    renderList();
  }

  // --- The list -----------------------------------------------------------------------

  function who(name) {
    if (!name) return t('common.none');
    return name === me ? t('re.you', { name }) : name;
  }

  function lineBadge(line) {
    return h(`span.lu-line.lu-line-${LINES.includes(line) ? line : 'other'}`, { testid: 'lu-line', dataset: { line: line || '' } },
      icon(line === 'fire_phone' ? 'fire' : 'phone'), h('span', tEnum('line', line)));
  }

  function stateBadge(u) {
    const st = lineUseState(u);
    if (st === 'flagged') {
      return h('span.badge.lu-badge.lu-badge-flagged', { testid: 'lu-flagged-badge', title: t('lu.flaggedTitle') },
        h('span.dot', { 'aria-hidden': 'true' }), t('lu.flagged'));
    }
    if (st === 'reviewed') {
      return h('span.badge.lu-badge.lu-badge-reviewed', { testid: 'lu-reviewed-badge' }, icon('check'), t('lu.reviewed'));
    }
    return h('span.badge.lu-badge.lu-badge-emergency', { testid: 'lu-emergency-badge' }, h('span.dot', { 'aria-hidden': 'true' }), t('lu.emergencyUse'));
  }

  function reviewForm(u) {
    const id = u.id;
    const busy = busyIds.has(id);
    const note = h('textarea.input.lu-review-note', { testid: 'lu-review-note', rows: 2, maxlength: LIMITS.note,
      placeholder: t('lu.reviewNotePlaceholder'), 'aria-label': t('lu.reviewNote'), dataset: { focusKey: `note:${id}` },
      oninput: (e) => notes.set(id, e.target.value) });
    note.value = notes.get(id) || '';
    return h('form.lu-review', { testid: 'lu-review-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); review(u); } },
      h('label.lu-review-label', t('lu.reviewNote')),
      note,
      h('div.lu-review-actions',
        h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'lu-review-cancel', disabled: busy,
          onclick: () => { reviewing.delete(id); rowErrs.delete(id); renderList(); } }, t('common.cancel')),
        h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'lu-review-submit', disabled: busy },
          icon('check'), h('span', busy ? t('lu.reviewing') : t('lu.reviewSubmit')))));
  }

  function row(u, today) {
    const st = lineUseState(u);
    const day = u.at ? siteDate(new Date(u.at)) : '';
    const err = rowErrs.get(u.id);
    const cls = ['li.lu-row', `.lu-row-${st}`, flashIds.has(u.id) ? '.flash' : ''].join('');
    return h(cls, { testid: 'lu-row', dataset: { id: String(u.id), state: st, line: u.line || '', emergency: String(!!u.emergency), flagged: String(!!u.flagged) } },
      h('div.lu-when',
        h('time.lu-time', { datetime: u.at, title: formatDateTime(u.at) }, u.at ? formatTime(new Date(u.at)) : t('common.none')),
        h('span.lu-day', day && day !== today ? day : t('re.today')),
        h('span.lu-id', `#${u.id}`)),
      h('div.lu-body',
        h('div.lu-head',
          lineBadge(u.line),
          h('span.chip.lu-dir', { testid: 'lu-direction', dataset: { direction: u.direction || '' } },
            h('span.lu-arrow', { 'aria-hidden': 'true' }, u.direction === 'in' ? '↙' : '↗'), tEnum('lineDir', u.direction)),
          h(`span.chip.lu-em.lu-em-${u.emergency ? 'yes' : 'no'}`, { testid: 'lu-emergency' }, u.emergency ? t('lu.emergency') : t('lu.nonEmergency')),
          u.incident_id ? h('a.lu-incident', { href: `#/incidents/${u.incident_id}`, testid: 'lu-incident' }, icon('bell'), h('span', t('lu.incident', { id: u.incident_id }))) : null),
        h('div.lu-party', { testid: 'lu-party' },
          h('span.lu-caller', { testid: 'lu-caller' }, u.caller),
          h('span.lu-number', { testid: 'lu-number' }, u.number)),
        h('div.lu-reason', { testid: 'lu-reason' }, u.reason),
        h('div.lu-by', { testid: 'lu-recorded-by' }, t('lu.recordedBy', { who: who(u.recorded_by), time: formatDateTime(u.at) })),
        u.reviewed_at ? h('div.lu-review-box', { testid: 'lu-review-result', dataset: { by: u.reviewed_by || '' } },
          h('span.lu-review-who', t('lu.reviewedBy', { who: who(u.reviewed_by), time: formatDateTime(u.reviewed_at) })),
          u.review_note ? h('span.lu-review-text', { testid: 'lu-review-text' }, u.review_note) : null) : null,
        err ? h('div.form-banner.lu-row-error', { testid: 'lu-row-error', role: 'alert' }, err) : null,
        canReview && st === 'flagged' && reviewing.has(u.id) ? reviewForm(u) : null),
      h('div.lu-state', { testid: 'lu-state' },
        stateBadge(u),
        canReview && st === 'flagged' && !reviewing.has(u.id)
          ? h('button.btn.btn-sm.btn-primary.lu-review-btn', { type: 'button', testid: 'lu-review', title: t('lu.reviewTitle'), disabled: busyIds.has(u.id),
            onclick: () => { reviewing.add(u.id); rowErrs.delete(u.id); renderList(); focusKey(`note:${u.id}`); } },
          icon('check'), h('span', t('lu.review')))
          : null));
  }

  function focusKey(k) {
    const n = [...listHost.querySelectorAll('[data-focus-key]')].find((x) => x.dataset.focusKey === k);
    if (n) n.focus();
  }

  function renderPill() {
    flaggedPill.hidden = flaggedN === null;
    if (flaggedN === null) return;
    flaggedPill.dataset.n = String(flaggedN);
    flaggedPill.classList.toggle('on', flaggedN > 0);
    flaggedPill.title = canReview ? t('lu.flaggedPillReview') : t('lu.flaggedTitle');
    mount(flaggedPill, h('span.dot', { 'aria-hidden': 'true' }), t('lu.flaggedCount', { n: formatNumber(flaggedN) }));
  }

  function renderList() {
    if (destroyed) return;
    renderPill();
    if (!rows) {
      if (loadErr) mount(listHost, errorBanner(loadErr, () => load()));
      return;
    }
    const ae = document.activeElement;
    const fk = ae && listHost.contains(ae) && ae.dataset ? ae.dataset.focusKey : null;
    const today = siteDate(new Date(center.now()));
    mount(listHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      rows.length === 0
        ? emptyState(q.flagged ? t('lu.emptyFlagged') : t('lu.empty'), !q.flagged && canWrite ? t('lu.emptyHint') : null)
        : h('ol.lu-rows', { testid: 'lu-list', dataset: { flagged: String(q.flagged) } }, rows.map((u) => row(u, today))),
      pager({ limit: q.limit, offset: q.offset, total }, (np) => { q.limit = np.limit; q.offset = np.offset; sync(); load(); }, 'lu-pager'));
    flashIds.clear();
    if (fk) focusKey(fk);
  }

  // --- Review -------------------------------------------------------------------------

  async function review(u) {
    const id = u.id;
    if (busyIds.has(id)) return;
    const note = (notes.get(id) || '').trim();
    if (bytes(note) > LIMITS.note) { rowErrs.set(id, t('lu.form.tooLong', { n: LIMITS.note })); renderList(); return; }
    busyIds.add(id);
    rowErrs.delete(id);
    renderList();
    try {
      const res = await api.post(`${api.API}/line-uses/${id}/review`, note ? { note } : {});
      if (destroyed) return;
      busyIds.delete(id);
      reviewing.delete(id);
      notes.delete(id);
      toast(t('lu.reviewedToast', { id }));
      // Stays in view, marked reviewed, until the list is reloaded (a load
      // already under way would bring it back flagged: it is dropped).
      seq += 1;
      listHost.classList.remove('busy');
      const i = rows.findIndex((x) => x.id === id);
      if (i >= 0 && res) rows[i] = res;
      if (flaggedN) flaggedN -= 1;
      renderList();
    } catch (err) {
      if (destroyed) return;
      busyIds.delete(id);
      reviewing.delete(id);
      rowErrs.set(id, err.status === 409 ? t('lu.reviewConflict') : [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '));
      renderList();
      if (err.status === 409 || err.status === 404) reload();
    }
  }

  // --- The form -------------------------------------------------------------------------

  function formPanel() {
    const fields = {};
    const errs = {};
    const errEl = (name) => {
      errs[name] = h('div.field-error', { testid: `lu-form-error-${name}`, id: `lu-f-${name}-err`, role: 'alert', hidden: true });
      return errs[name];
    };
    const clearErr = (name) => { if (errs[name]) { errs[name].hidden = true; fields[name].removeAttribute('aria-invalid'); } };
    const setErr = (name, msg) => {
      errs[name].textContent = msg;
      errs[name].hidden = false;
      fields[name].setAttribute('aria-invalid', 'true');
    };
    const banner = h('div.form-banner', { testid: 'lu-form-error', role: 'alert', hidden: true });

    // A group of toggle buttons acting as radios.
    const seg = (name, values, label, testid, onPick) => {
      const btns = values.map((v) => h('button.lu-seg-opt', { type: 'button', role: 'radio', testid: `${testid}-${v}`, dataset: { value: String(v) },
        onclick: () => { onPick(v); mark(); clearErr(name); } }, label(v)));
      const group = h('div.lu-seg', { role: 'radiogroup', testid, id: `lu-f-${name}`, 'aria-labelledby': `lu-f-${name}-label`,
        'aria-describedby': `lu-f-${name}-err` }, btns);
      function mark() {
        for (const b of btns) {
          const on = b.dataset.value === String(draft[name]);
          b.classList.toggle('active', on);
          b.setAttribute('aria-checked', String(on));
          b.tabIndex = on || (draft[name] === null && b === btns[0]) ? 0 : -1;
        }
        group.dataset.value = draft[name] === null ? '' : String(draft[name]);
      }
      group.addEventListener('keydown', (e) => {
        if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) return;
        e.preventDefault();
        const i = btns.indexOf(document.activeElement);
        const n = btns[(Math.max(0, i) + (e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? btns.length - 1 : 1)) % btns.length];
        n.click();
        n.focus();
      });
      mark();
      fields[name] = group;
      return { group, mark };
    };
    const labelFor = (name, text) => h('span.lu-label', { id: `lu-f-${name}-label` }, text);

    const line = seg('line', LINES, (v) => [icon(v === 'fire_phone' ? 'fire' : 'phone'), h('span', tEnum('line', v))], 'lu-form-line',
      (v) => { draft.line = v; });
    const dir = seg('direction', DIRECTIONS, (v) => tEnum('lineDir', v), 'lu-form-direction', (v) => {
      draft.direction = v;
      // The caller of an outgoing call is, by default, whoever is on duty here.
      if (draft.callerAuto) { draft.caller = v === 'out' ? myName : ''; caller.value = draft.caller; }
    });
    const warn = h('div.lu-warn', { testid: 'lu-form-warn', role: 'status', hidden: draft.emergency !== false }, icon('alert'), h('span', t('lu.form.nonEmergencyWarn')));
    const em = seg('emergency', [true, false], (v) => (v ? t('lu.form.yes') : t('lu.form.no')), 'lu-form-emergency', (v) => {
      draft.emergency = v;
      warn.hidden = v !== false;
    });
    em.group.classList.add('lu-seg-em');
    line.group.classList.add('lu-seg-line');

    const input = (name, attrs) => {
      const n = h('input.input', { id: `lu-f-${name}`, name, testid: `lu-form-${name}`, autocomplete: 'off', 'aria-describedby': `lu-f-${name}-err`, ...attrs,
        oninput: (ev) => { draft[name] = ev.target.value; if (name === 'caller') draft.callerAuto = false; clearErr(name); } });
      n.value = draft[name];
      fields[name] = n;
      return n;
    };
    const caller = input('caller', { placeholder: t('lu.form.callerPlaceholder'), maxlength: LIMITS.caller, required: true });
    const number = input('number', { placeholder: t('lu.form.numberPlaceholder'), maxlength: LIMITS.number, required: true, inputmode: 'tel' });
    const reason = h('textarea.input.lu-reason-input', { id: 'lu-f-reason', name: 'reason', testid: 'lu-form-reason', rows: 3, maxlength: LIMITS.reason,
      placeholder: t('lu.form.reasonPlaceholder'), required: true, 'aria-describedby': 'lu-f-reason-err',
      oninput: (ev) => { draft.reason = ev.target.value; clearErr('reason'); } });
    reason.value = draft.reason;
    fields.reason = reason;
    const incident = h('input.input', { id: 'lu-f-incident_id', name: 'incident_id', testid: 'lu-form-incident', type: 'number', min: '1', step: '1',
      inputmode: 'numeric', placeholder: t('lu.form.incidentPlaceholder'), 'aria-describedby': 'lu-f-incident_id-err',
      oninput: (ev) => { draft.incident = ev.target.value; clearErr('incident_id'); } });
    incident.value = draft.incident;
    fields.incident_id = incident;

    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'lu-form-submit' });
    const renderSubmit = () => {
      submit.disabled = sending;
      mount(submit, icon('plus'), h('span', sending ? t('lu.form.saving') : t('lu.form.submit')));
    };
    renderSubmit();

    const form = h('form.form.lu-form', { testid: 'lu-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (sending) return;
      banner.hidden = true;
      for (const k of Object.keys(errs)) clearErr(k);
      const body = {
        line: draft.line,
        direction: draft.direction,
        caller: draft.caller.trim(),
        number: draft.number.trim(),
        reason: draft.reason.trim(),
        emergency: draft.emergency,
      };
      let bad = null;
      const fail = (k, msg) => { setErr(k, msg); bad = bad || k; };
      for (const k of ['caller', 'number', 'reason']) {
        if (!body[k]) fail(k, t('form.required'));
        else if (bytes(body[k]) > LIMITS[k]) fail(k, t('lu.form.tooLong', { n: LIMITS[k] }));
      }
      if (body.emergency !== true && body.emergency !== false) fail('emergency', t('lu.form.emergencyRequired'));
      if (draft.incident.trim()) {
        const id = Number(draft.incident);
        if (!Number.isInteger(id) || id <= 0) fail('incident_id', t('lu.form.incidentInvalid'));
        else body.incident_id = id;
      }
      if (bad) { focusField(bad); return; }
      sending = true;
      renderSubmit();
      try {
        const res = await api.post(`${api.API}/line-uses`, body);
        if (destroyed) return;
        sending = false;
        toast(res && res.flagged ? t('lu.savedFlagged', { id: res.id }) : t('lu.saved', { id: res && res.id }), res && res.flagged ? 'error' : 'ok');
        // Ready for the next call: the same line and direction, the rest cleared.
        Object.assign(draft, { caller: draft.direction === 'out' ? myName : '', callerAuto: true, number: '', reason: '', emergency: null, incident: '' });
        if (res && rows && !q.offset && (!q.flagged || res.flagged) && !rows.some((x) => x.id === res.id)) {
          rows.unshift(res);
          if (rows.length > q.limit) rows.length = q.limit;
          total += 1;
          maxId = Math.max(maxId, res.id);
          flashIds.add(res.id);
          if (res.flagged && flaggedN !== null) flaggedN += 1;
          renderList();
        }
        renderSide();
        reload();
      } catch (err) {
        if (destroyed) return;
        sending = false;
        renderSubmit();
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        let first = null;
        for (const [k, msg] of Object.entries(fe)) {
          if (!errs[k]) continue;
          setErr(k, k === 'emergency' ? t('lu.form.emergencyRequired') : k === 'incident_id' ? t('lu.form.incidentUnknown') : (msg || t('form.invalid')));
          first = first || k;
        }
        if (first) focusField(first);
        else { banner.textContent = [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '); banner.hidden = false; }
      }
    } },
    h('div.field', labelFor('line', t('lu.form.line')), line.group, errEl('line')),
    h('div.field', labelFor('direction', t('lu.form.direction')), dir.group, errEl('direction')),
    h('div.lu-form-row',
      h('div.field', h('label', { for: 'lu-f-caller' }, t('lu.form.caller')), caller, errEl('caller')),
      h('div.field', h('label', { for: 'lu-f-number' }, t('lu.form.number')), number, errEl('number'))),
    h('div.field', h('label', { for: 'lu-f-reason' }, t('lu.form.reason')), reason, errEl('reason')),
    h('div.field.lu-em-field', labelFor('emergency', t('lu.form.emergency')), em.group, warn, errEl('emergency')),
    h('div.field', h('label', { for: 'lu-f-incident_id' }, t('lu.form.incident')), incident, errEl('incident_id')),
    banner,
    h('div.form-actions', submit));

    function focusField(k) {
      const f = fields[k];
      if (!f) return;
      const target = f.classList.contains('lu-seg') ? (f.querySelector('.active') || f.querySelector('button')) : f;
      target.focus();
    }

    return h('section.panel.lu-form-panel', { testid: 'lu-form-panel' },
      h('div.panel-head', h('h2', t('lu.form.title')), h('span.chip.ref-chip', 'R3.4.10')),
      h('div.lu-form-wrap', form, h('p.lu-hint', t('lu.form.hint'))));
  }

  function renderSide() {
    if (destroyed) return;
    const parts = [];
    if (canWrite) parts.push(formPanel());
    else {
      parts.push(h('section.panel', { testid: 'lu-readonly-panel' },
        h('div.panel-head', h('h2', t('lu.form.title')), h('span.chip.ref-chip', 'R3.4.10')),
        h('p.muted.lu-readonly', { testid: 'lu-readonly' }, canReview ? t('lu.readOnlyReview') : t('lu.readOnly'))));
    }
    mount(sideHost, parts);
  }

  // --- Start --------------------------------------------------------------------------

  sync();
  renderSide();
  load();

  const reload = debounce(() => { if (!destroyed) load(); }, 250);

  return {
    onEvent(ev) {
      if (ev.type === 'reset') { reload(); return; }
      if (ev.type === 'line_use.flagged') { reload(); return; }
      // Every use writes an automatic duty-log entry (src/app/register.c).
      if (ev.type === 'duty' && ev.data && ev.data.auto && DUTY_TEXT.test(String(ev.data.text || ''))) reload();
    },
    destroy() { destroyed = true; },
  };
}
