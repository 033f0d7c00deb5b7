// 值班日志 Duty log (R3.4.11, R4.1): one calendar day of the site's time zone,
// oldest entry first. Entries are never edited or deleted: a mistake is fixed
// by a new entry that amends it (更正), and both stay visible with markers.
// Automatic entries (incidents, escalations, hand-offs) are the system's own
// and shown muted with a 系统 tag. Export as CSV and a printable paper sheet
// (#/duty-log/print) take the same day, category and shift: the day's shifts
// (the site's pattern and any roster slot an entry was written in) are tabs.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, formatTime, formatDateTime, formatNumber,
  formatSiteDay, siteDate, addDays, isDateString, toast, debounce } from '../ui.js';
import { runStatusPrompt } from '../runstatus-ui.js';
import { DUTY_CATEGORIES, dutyQuery, dutyCsv, loadDay, loadShifts, shiftLabel, sameInstant, categoryBadge, authorName, amendedBy, entryText } from '../duty-ui.js';

const MAX_BYTES = 4000;   // the server's limit on the text (UTF-8 bytes)
const utf8 = new TextEncoder();

export default function dutyLog(el, ctx) {
  let destroyed = false;
  const q = dutyQuery(ctx.params);
  const canWrite = ctx.can('duty.write');
  const canTickets = ctx.can('ticket.read');
  let entries = null;          // the whole day, every category
  let shiftEntries = null;     // {start, items}: every entry of the chosen shift
  let shifts = null;           // the day's shifts [{start,end,entries}]
  let known = null;            // ids already shown (new ones flash)
  let loadErr = null;
  let busy = false;
  // The form survives reloads and day changes.
  const draft = { category: 'routine', text: '', incident: '' };
  let amending = null;         // the entry being corrected

  // --- Header and day bar ------------------------------------------------------------

  // The CSV is made here from the entries on screen, so it says what the page says (the
  // system's entries in the console's language); GET /duty-log/export stays for integrations.
  const exportLink = h('a.btn.btn-ghost', { testid: 'duty-export', title: t('duty.exportTitle'), href: '#',
    onclick: (e) => downloadCsv(e) }, icon('download'), h('span', t('duty.export')));
  const printLink = h('a.btn.btn-ghost', { testid: 'duty-print' }, icon('print'), h('span', t('duty.print')));
  const dateIn = h('input.input.duty-date', { type: 'date', testid: 'duty-date', 'aria-label': t('duty.date'), required: true,
    onchange: (e) => { if (isDateString(e.target.value)) go(e.target.value); else e.target.value = q.date; } });
  const prevBtn = h('button.btn.btn-ghost.btn-icon-text', { type: 'button', testid: 'duty-prev', title: t('duty.prevDay'), onclick: () => go(addDays(q.date, -1)) },
    h('span.flip', icon('chevron')), h('span', t('duty.prevDay')));
  const nextBtn = h('button.btn.btn-ghost.btn-icon-text', { type: 'button', testid: 'duty-next', title: t('duty.nextDay'), onclick: () => go(addDays(q.date, 1)) },
    h('span', t('duty.nextDay')), icon('chevron'));
  const todayBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'duty-today', onclick: () => go(siteDate()) }, t('duty.today'));
  const dayLabel = h('div.duty-day', { testid: 'duty-day' });
  const catSel = h('select.select', { testid: 'duty-filter-category', 'aria-label': t('duty.filterCategory'),
    onchange: (e) => { q.category = e.target.value; sync(); renderList(); renderSummary(); } },
  h('option', { value: '' }, `${t('duty.filterCategory')}: ${t('common.all')}`),
  DUTY_CATEGORIES.map((c) => h('option', { value: c, selected: q.category === c }, tEnum('dutyCategory', c))));

  // 值班日志 per shift: the whole day or one shift of it (the paper log is one sheet a shift).
  const shiftBar = h('div.duty-shifts', { testid: 'duty-shifts', role: 'tablist', 'aria-label': t('duty.shift.label') });
  const listHost = h('div.duty-list-host', loadingState());
  const countEl = h('span.panel-meta', { testid: 'duty-count' });
  const summaryHost = h('div.duty-summary-host');
  const formHost = h('div.duty-form-host');

  const rs = runStatusPrompt(ctx);
  mount(el,
    pageHeader(t('duty.title'), t('duty.subtitle'), exportLink, printLink),
    rs.el,
    h('section.panel.duty-bar', { testid: 'duty-bar' },
      h('div.duty-nav', prevBtn, dateIn, nextBtn, todayBtn),
      dayLabel,
      h('div.filters', catSel),
      shiftBar),
    h('div.duty-grid',
      h('section.panel.duty-list-panel', { testid: 'duty-log' },
        h('div.panel-head', h('h2', t('duty.entries')), countEl),
        listHost),
      h('aside.duty-side', formHost, summaryHost)));

  function sync() {
    const today = siteDate();
    ctx.setParams({ date: q.date === today ? '' : q.date, category: q.category, shift: q.shift });
    dateIn.value = q.date;
    dateIn.max = today;
    nextBtn.disabled = q.date >= today;
    todayBtn.disabled = q.date === today;
    mount(dayLabel, h('span.duty-day-text', formatSiteDay(q.date)),
      q.date === today ? h('span.chip.duty-today-chip', t('duty.isToday')) : null);
    const cur = q.shift && shifts ? shifts.find((s) => sameInstant(s.start, q.shift)) : null;
    const shiftPart = cur ? '-' + shiftLabel(cur).replace(/[^0-9]+/g, '') : '';
    exportLink.setAttribute('download', `duty-log-${q.date}${shiftPart}${q.category ? '-' + q.category : ''}.csv`);
    const ps = new URLSearchParams({ date: q.date });
    if (q.category) ps.set('category', q.category);
    if (q.shift) ps.set('shift', q.shift);
    renderShifts();
    printLink.href = `#/duty-log/print?${ps}`;
  }

  function go(date) {
    if (date === q.date) return;
    q.date = date;
    q.shift = '';
    entries = null;
    shifts = null;
    known = null;
    sync();
    mount(listHost, loadingState());
    renderSummary();
    renderForm();
    load();
  }

  // --- Loading -------------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    const date = q.date;
    if (entries) listHost.classList.add('busy');
    try {
      const [items, day] = await Promise.all([loadDay({ date, category: '' }), loadShifts(date)]);
      if (destroyed || my !== seq) return;
      loadErr = null;
      entries = items;
      shifts = day;
      sync();
      loadShift();
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    listHost.classList.remove('busy');
    renderList();
    renderSummary();
  }

  // --- The shifts -------------------------------------------------------------------------

  function pickShift(start) {
    q.shift = start || '';
    sync();
    renderList();
    renderSummary();
    loadShift();
  }

  function renderShifts() {
    if (!shifts) { mount(shiftBar); return; }
    const tab = (label, start, n, testid) => h('button.btn.btn-ghost.btn-sm.duty-shift-tab', {
      type: 'button', role: 'tab', testid, 'aria-selected': String(start ? sameInstant(start, q.shift) : !q.shift),
      class: (start ? sameInstant(start, q.shift) : !q.shift) ? 'active' : '',
      dataset: { start: start || '' }, onclick: () => pickShift(start),
    }, h('span', label), n === null ? null : h('span.duty-shift-count', formatNumber(n)));
    mount(shiftBar,
      h('span.duty-shift-title', t('duty.shift.label')),
      tab(t('duty.shift.all'), '', null, 'duty-shift-all'),
      shifts.map((s) => tab(t('duty.shift.tab', { time: shiftLabel(s) }), s.start, s.entries, 'duty-shift')));
  }

  // Builds the CSV of what the list shows (day, shift, category) as a file to save.
  function downloadCsv(e) {
    if (!entries) { e.preventDefault(); return; }
    const base = inShift();
    const shown = q.category ? base.filter((x) => x.category === q.category) : base;
    if (exportLink.href.startsWith('blob:')) URL.revokeObjectURL(exportLink.href);
    exportLink.href = URL.createObjectURL(new Blob([dutyCsv(shown, shifts)], { type: 'text/csv;charset=utf-8' }));
    // the browser follows the link with its download attribute: no navigation
  }

  // The entries of the chosen shift (all of the day when none is chosen). A shift
  // that crosses midnight has entries on the next day too: they are loaded by
  // shift (shiftEntries); until then the day's part is shown.
  function inShift() {
    if (!entries) return [];
    if (!q.shift) return entries;
    if (shiftEntries && shiftEntries.start === q.shift) return shiftEntries.items;
    return entries.filter((e) => sameInstant(e.shift_start, q.shift));
  }

  let shiftSeq = 0;
  async function loadShift() {
    const want = q.shift;
    const my = ++shiftSeq;
    if (!want) { shiftEntries = null; return; }
    try {
      const items = await loadDay({ date: q.date, category: '', shift: want });
      if (destroyed || my !== shiftSeq || want !== q.shift) return;
      shiftEntries = { start: want, items };
      renderList();
      renderSummary();
    } catch (_) { /* the day's part of the shift stays shown */ }
  }

  // --- The list ---------------------------------------------------------------------------

  function entryEl(id) {
    return el.querySelector(`[data-testid="duty-entry"][data-id="${id}"]`);
  }

  // Scrolls to an entry of the day (clearing a filter that hides it).
  function reveal(id) {
    if (!entries || !entries.some((e) => e.id === id)) return;
    if (!entryEl(id)) { q.category = ''; q.shift = ''; catSel.value = ''; sync(); renderList(); renderSummary(); }
    const row = entryEl(id);
    if (!row) return;
    row.scrollIntoView({ block: 'center', behavior: 'smooth' });
    row.classList.remove('flash');
    void row.offsetWidth;
    row.classList.add('flash');
  }

  function ref(id) {
    const here = entries && entries.some((e) => e.id === id);
    return here
      ? h('button.duty-ref', { type: 'button', testid: 'duty-ref', dataset: { ref: String(id) }, onclick: () => reveal(id) }, `#${id}`)
      : h('span.duty-ref.duty-ref-away', { testid: 'duty-ref', dataset: { ref: String(id) }, title: t('duty.refElsewhere') }, `#${id}`);
  }

  function incidentLink(id, withIcon) {
    return h('a.duty-incident', { href: `#/incidents/${id}`, testid: 'duty-incident-link' },
      withIcon ? icon('bell') : null, t('duty.incidentLink', { id }));
  }

  function entryRow(e, fresh) {
    const by = amendedBy(e);
    const text = entryText(e);
    // The system's own entries name their incident ("事件 #12 …"): that is the link.
    const label = e.incident_id ? t('duty.incidentLink', { id: e.incident_id }) : '';
    const at = label ? text.indexOf(label) : -1;
    const inline = at >= 0;
    const linked = inline ? [text.slice(0, at), incidentLink(e.incident_id, false), text.slice(at + label.length)] : text;
    const cls = ['li.duty-entry', e.auto ? '.duty-auto' : '', by.length ? '.duty-amended' : '', e.amends_id ? '.duty-amending' : '', fresh ? '.flash' : ''].join('');
    return h(cls, { testid: 'duty-entry', dataset: { id: String(e.id), category: e.category || '', auto: String(!!e.auto), amended: String(by.length > 0), amends: e.amends_id ? String(e.amends_id) : '' } },
      h('div.duty-when',
        h('time.duty-time', { datetime: e.at, title: formatDateTime(e.at) },
          siteDate(new Date(e.at)) === q.date ? formatTime(new Date(e.at)) : `${siteDate(new Date(e.at)).slice(5)} ${formatTime(new Date(e.at))}`),
        h('span.duty-id', `#${e.id}`)),
      h('div.duty-body',
        h('div.duty-tags',
          categoryBadge(e.category),
          e.auto ? h('span.duty-sys', { testid: 'duty-system-tag', title: t('duty.systemTagTitle') }, t('duty.systemTag')) : null,
          e.amends_id ? h('span.duty-mark.duty-mark-amends', { testid: 'duty-amends-mark', dataset: { amends: String(e.amends_id) } },
            icon('amend'), h('span', t('duty.amendsMark')), ' ', ref(e.amends_id)) : null,
          by.length ? h('span.duty-mark.duty-mark-amended', { testid: 'duty-amended-mark', dataset: { by: by.join(',') } },
            icon('alert'), h('span', t('duty.amendedMark')), by.map((id, i) => [i ? ', ' : ' ', ref(id)])) : null),
        h('div.duty-text', { testid: 'duty-text', title: e.auto && text !== e.text ? t('duty.rawText', { text: e.text }) : null }, linked),
        (e.incident_id && !inline) || e.device_name || e.ticket_id ? h('div.duty-links',
          e.incident_id && !inline ? incidentLink(e.incident_id, true) : null,
          e.ticket_id && canTickets ? h('a.duty-ticket', { href: `#/tickets/${e.ticket_id}`, testid: 'duty-ticket-link' }, t('eq.ticketTitle', { id: e.ticket_id })) : null,
          e.device_name ? h('span.chip', e.device_name) : null) : null),
      h('div.duty-author', { testid: 'duty-author' },
        h('span.duty-author-name', authorName(e)),
        e.author && e.author !== 'system' && e.author_name ? h('span.duty-author-user', e.author) : null),
      h('div.duty-act',
        canWrite ? h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'duty-amend', title: t('duty.amendTitle'), onclick: () => startAmend(e) },
          icon('amend'), h('span', t('duty.amend'))) : null));
  }

  function renderList() {
    if (destroyed) return;
    if (loadErr && !entries) { mount(listHost, errorBanner(loadErr, () => load())); mount(countEl); return; }
    if (!entries) return;
    const base = inShift();
    const shown = q.category ? base.filter((e) => e.category === q.category) : base;
    const autoN = shown.filter((e) => e.auto).length;
    mount(countEl, t('duty.count', { total: formatNumber(shown.length), auto: formatNumber(autoN) }));
    countEl.dataset.total = String(shown.length);
    const first = known === null;
    if (first) known = new Set();
    const rows = shown.map((e) => {
      const fresh = !first && !known.has(e.id);
      return entryRow(e, fresh);
    });
    for (const e of entries) known.add(e.id);
    mount(listHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      shown.length === 0
        ? emptyState(q.category || q.shift ? t('duty.emptyFiltered') : t('duty.empty'), canWrite && q.date === siteDate() ? t('duty.emptyHint') : null)
        : h('ol.duty-list', rows));
  }

  function renderSummary() {
    if (!entries) { mount(summaryHost); return; }
    const n = (f) => inShift().filter(f).length;
    const row = (label, value, testid) => [h('dt', label), h('dd', { testid }, formatNumber(value))];
    mount(summaryHost, h('section.panel.duty-summary', { testid: 'duty-summary' },
      h('div.panel-head', h('h2', t('duty.summary')), h('span.chip.ref-chip', 'R4.1')),
      h('dl.kv.duty-kv',
        row(t('duty.summary.manual'), n((e) => !e.auto), 'duty-summary-manual'),
        row(t('duty.summary.auto'), n((e) => e.auto), 'duty-summary-auto'),
        row(t('duty.summary.amendments'), n((e) => e.amends_id), 'duty-summary-amendments')),
      h('ul.duty-cats', DUTY_CATEGORIES.map((c) => {
        const count = n((e) => e.category === c);
        return h('li', h('button.duty-cat-row', { type: 'button', class: q.category === c ? 'active' : '', disabled: count === 0 && q.category !== c,
          dataset: { category: c }, onclick: () => { q.category = q.category === c ? '' : c; catSel.value = q.category; sync(); renderList(); renderSummary(); } },
        categoryBadge(c), h('span.duty-cat-count', formatNumber(count))));
      }))));
  }

  // --- The form ---------------------------------------------------------------------------

  function startAmend(e) {
    amending = e;
    draft.category = e.category && DUTY_CATEGORIES.includes(e.category) ? e.category : 'other';
    draft.incident = e.incident_id ? String(e.incident_id) : '';
    draft.text = '';
    renderForm();
    const ta = formHost.querySelector('textarea');
    formHost.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    if (ta) ta.focus({ preventScroll: true });
  }

  function cancelAmend() {
    amending = null;
    draft.text = '';
    draft.incident = '';
    renderForm();
  }

  function renderForm() {
    if (!canWrite) {
      mount(formHost, h('section.panel', h('p.muted.duty-readonly', { testid: 'duty-readonly' }, t('duty.readOnly'))));
      return;
    }
    const today = siteDate();
    const errBox = h('div.form-banner', { testid: 'duty-form-error', role: 'alert', hidden: true });
    const cat = h('select.select', { id: 'duty-f-category', testid: 'duty-form-category', onchange: (ev) => { draft.category = ev.target.value; } },
      DUTY_CATEGORIES.map((c) => h('option', { value: c, selected: c === draft.category }, tEnum('dutyCategory', c))));
    const bytes = h('span.duty-bytes', { testid: 'duty-form-bytes' });
    const text = h('textarea.input.duty-textarea', { id: 'duty-f-text', testid: 'duty-form-text', rows: 5,
      placeholder: amending ? t('duty.form.amendPlaceholder') : t('duty.form.textPlaceholder'),
      oninput: (ev) => { draft.text = ev.target.value; count(); } });
    text.value = draft.text;
    const inc = h('input.input', { id: 'duty-f-incident', testid: 'duty-form-incident', type: 'number', min: '1', step: '1', inputmode: 'numeric',
      placeholder: t('duty.form.incidentPlaceholder'), value: draft.incident, oninput: (ev) => { draft.incident = ev.target.value; } });
    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'duty-form-submit' },
      icon(amending ? 'amend' : 'plus'), h('span', amending ? t('duty.form.submitAmend') : t('duty.form.submit')));

    function count() {
      const n = utf8.encode(draft.text).length;
      bytes.textContent = t('duty.form.bytes', { n: formatNumber(n) });
      bytes.classList.toggle('over', n > MAX_BYTES);
      bytes.hidden = n < MAX_BYTES * 0.75;
      submit.disabled = busy || !draft.text.trim() || n > MAX_BYTES;
    }
    count();

    const showErr = (msg, field) => {
      errBox.textContent = msg;
      errBox.hidden = false;
      for (const f of [cat, text, inc]) f.removeAttribute('aria-invalid');
      if (field) { field.setAttribute('aria-invalid', 'true'); field.focus(); }
    };

    const form = h('form.form.duty-form', { testid: 'duty-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (busy) return;
      const body = { category: draft.category, text: draft.text.trim() };
      if (!body.text) { showErr(t('form.required'), text); return; }
      if (utf8.encode(body.text).length > MAX_BYTES) { showErr(t('duty.form.tooLong'), text); return; }
      if (draft.incident.trim()) {
        const id = Number(draft.incident);
        if (!Number.isInteger(id) || id <= 0) { showErr(t('duty.form.incidentInvalid'), inc); return; }
        body.incident_id = id;
      }
      const orig = amending;
      if (orig) body.amends_id = orig.id;
      busy = true;
      submit.disabled = true;
      mount(submit, h('span', t('duty.form.saving')));
      try {
        const row = await api.post(`${api.API}/duty-log`, body);
        if (destroyed) return;
        busy = false;
        amending = null;
        draft.text = '';
        draft.incident = '';
        toast(orig ? t('duty.amendSaved', { id: row.id, orig: orig.id }) : t('duty.saved', { id: row.id }));
        renderForm();
        // A new entry is stamped now: show its day unless a correction of an
        // earlier day is being looked at (its 已更正 marker is the news there).
        const day = row && row.at ? siteDate(new Date(row.at)) : today;
        if (day !== q.date && !orig) go(day);
        else await load();
      } catch (err) {
        if (destroyed) return;
        busy = false;
        renderSubmit();
        const fields = err.fieldErrors ? err.fieldErrors() : {};
        if (fields.incident_id) showErr(`${err.title} ${t('duty.form.incidentUnknown')}`, inc);
        else if (fields.text) showErr(`${err.title} ${fields.text}`, text);
        else if (fields.category) showErr(`${err.title} ${fields.category}`, cat);
        else showErr([err.title, err.problem && err.problem.detail, fields.amends_id].filter(Boolean).join(' '));
      }
    } },
    amending ? h('div.duty-amend-box', { testid: 'duty-amend-box', dataset: { amends: String(amending.id) } },
      h('div.duty-amend-head',
        h('span', t('duty.form.original', { id: amending.id, time: formatDateTime(amending.at), author: authorName(amending) })),
        h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'duty-amend-cancel', onclick: cancelAmend }, t('duty.form.cancelAmend'))),
      h('blockquote.duty-quote', entryText(amending))) : null,
    h('div.field', h('label', { for: 'duty-f-category' }, t('duty.form.category')), cat),
    h('div.field', h('label.duty-text-label', { for: 'duty-f-text' }, h('span', t('duty.form.text')), bytes), text),
    h('div.field', h('label', { for: 'duty-f-incident' }, t('duty.form.incident')), inc),
    errBox,
    q.date !== today ? h('p.duty-note', { testid: 'duty-form-not-today' }, icon('clock'), h('span', t('duty.form.notToday', { today: formatSiteDay(today) }))) : null,
    h('div.form-actions', submit));

    function renderSubmit() {
      mount(submit, icon(amending ? 'amend' : 'plus'), h('span', amending ? t('duty.form.submitAmend') : t('duty.form.submit')));
      count();
    }

    mount(formHost, h('section.panel.duty-form-panel', { testid: 'duty-form-panel', class: amending ? 'is-amending' : '' },
      h('div.panel-head', h('h2', amending ? t('duty.form.amendTitle', { id: amending.id }) : t('duty.form.title')),
        h('span.chip.ref-chip', 'R3.4.11')),
      h('div.duty-form-wrap', form, h('p.duty-hint', t('duty.form.appendOnly')))));
  }

  // --- Start ------------------------------------------------------------------------------

  sync();
  renderForm();
  load();

  const reload = debounce(() => { if (!destroyed) load(); }, 250);
  return {
    onEvent(ev) {
      rs.onEvent(ev);
      if (ev.type === 'reset') { reload(); return; }
      if (ev.type !== 'duty') return;
      const d = ev.data && typeof ev.data === 'object' ? ev.data : {};
      // New entries are stamped now: they belong to today. A correction also
      // changes the entry it amends, which may be on the day being viewed.
      const day = d.at ? siteDate(new Date(d.at)) : siteDate();
      if (day === q.date || (q.shift && sameInstant(d.shift_start, q.shift))
        || (d.amends_id && entries && entries.some((e) => e.id === d.amends_id))) reload();
    },
    destroy() { destroyed = true; rs.destroy(); },
  };
}
