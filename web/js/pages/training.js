// 培训记录 Training (#/training; S3 staffing and training, R2.1, R3.4.14). Per
// person and course (系统操作 / 消防报警知识 / 安全意识) the newest record with its
// expiry: expired ones red, those running out within 30 days amber. A person
// counts towards the roster's minimum staffing only while holding every required
// course (duty.required_training) unexpired — the 上岗资格 column. roster.write
// records training: one person, one or more courses attended on a day, valid for
// a number of months (the server counts 30 days a month).

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, formatNumber, siteDate, siteDayStart, isDateString,
  table, toast, debounce } from '../ui.js';
import { COURSES, People, personName, personCell, personField, latestTraining, trainingState, qualified, loadConfig, DEFAULT_CONFIG,
  rosterTabs, iso, dayMs } from '../roster-ui.js';

const MONTHS = [6, 12, 24];

export default function trainingPage(el, ctx) {
  const canWrite = ctx.can('roster.write');
  let destroyed = false;
  const people = new People(ctx);
  let records = null;
  let latest = new Map();
  let config = { ...DEFAULT_CONFIG };
  let loadErr = null;
  let sending = false;
  const draft = { username: ctx.params.get('person') || '', courses: new Set(), date: siteDate(), months: '12', area: '' };
  // 消防报警知识 per area: a fire_knowledge record may name the area (building, garage…)
  // whose fire system was trained; none = the whole site. The history filters by area.
  let areas = [];
  let areaFilter = ctx.params.get('area') || '';   // '' all, 'site' whole site, or an area id

  const matrixHost = h('div.tr-matrix-host', loadingState());
  const histHost = h('div.tr-hist-host');
  const matrixMeta = h('span.panel-meta', { testid: 'training-meta' });
  const histMeta = h('span.panel-meta');
  const areaSel = h('select.select.tr-area-filter', { testid: 'training-filter-area', 'aria-label': t('training.area.filter'),
    onchange: (e) => { areaFilter = e.target.value; ctx.setParams({ area: areaFilter }); renderHistory(); } });
  const formHost = h('aside.rs-side.tr-side');

  mount(el,
    pageHeader(t('training.title'), t('training.subtitle'), rosterTabs('training')),
    h('div.tr-grid',
      h('div.tr-main',
        h('section.panel.tr-matrix-panel', { testid: 'training-matrix' },
          h('div.panel-head', h('h2', t('training.matrix')), h('span.chip.ref-chip', 'S3 · R2.1'), matrixMeta),
          matrixHost),
        h('section.panel.tr-hist-panel', { testid: 'training-history' },
          h('div.panel-head', h('h2', t('training.history')), histMeta, h('div.filters', areaSel)),
          histHost)),
      formHost));

  // --- Loading -----------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    if (records) matrixHost.classList.add('busy');
    try {
      const now = Date.now();
      const [tr, r, cfg, ar] = await Promise.all([
        api.get(`${api.API}/training`),
        // Who is on the roster these weeks: the people to show even without a record.
        api.get(`${api.API}/roster`, { from: iso(now - 28 * dayMs), to: iso(now + 28 * dayMs) }).catch(() => null),
        loadConfig(),
        api.listAll('areas', {}, 2000).catch(() => null),
      ]);
      if (ar && Array.isArray(ar.items)) areas = ar.items;
      if (destroyed || my !== seq) return;
      records = (tr && Array.isArray(tr.items)) ? tr.items : [];
      if (r && Array.isArray(r.items)) people.addSlots(r.items);
      people.addTraining(records);
      latest = latestTraining(records);
      config = cfg;
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    matrixHost.classList.remove('busy');
    renderMatrix();
    renderHistory();
    renderForm();
  }

  // --- Per person and course -----------------------------------------------------------

  const day = (s) => (s ? siteDate(new Date(s)) : t('common.none'));

  function cell(username, course) {
    const m = latest.get(username);
    const rec = m && m.get(course);
    const st = trainingState(rec);
    return h(`div.tr-cell.tr-${st}`, { testid: 'training-cell', dataset: { username, course, state: st, id: rec ? String(rec.id) : '' },
      title: rec ? t('training.cellTitle', { attended: day(rec.attended_at), expires: day(rec.expires_at), by: rec.recorded_by || '' }) : '' },
    h('span.tr-state', t(`training.state.${st}`)),
    rec ? h('span.tr-exp', st === 'expired' ? t('training.expiredOn', { date: day(rec.expires_at) }) : t('training.validUntil', { date: day(rec.expires_at) })) : null);
  }

  function renderMatrix() {
    if (destroyed) return;
    if (!records) { if (loadErr) mount(matrixHost, errorBanner(loadErr, () => load())); return; }
    const list = people.sorted((p) => latest.has(p.username) || !p.inactive);
    const ok = list.filter((p) => qualified(latest, p.username, config.required_training)).length;
    let expired = 0;
    for (const m of latest.values()) for (const r of m.values()) if (trainingState(r) === 'expired') expired += 1;
    mount(matrixMeta, t('training.meta', { ok: formatNumber(ok), n: formatNumber(list.length), expired: formatNumber(expired) }));
    matrixMeta.dataset.qualified = String(ok);
    const cols = [
      { key: 'person', label: t('training.col.person'), cell: (p) => personCell(p, 'training-person-name') },
      ...COURSES.map((c) => ({ key: c, label: h('span.tr-col', tEnum('course', c), config.required_training.includes(c) ? h('span.tr-req', t('training.required')) : null),
        cell: (p) => cell(p.username, c) })),
      { key: 'qualified', label: t('training.col.qualified'), cell: (p) => {
        const q = qualified(latest, p.username, config.required_training);
        return h('div.tr-q',
          h(`span.badge.${q ? 'tr-q-yes' : 'tr-q-no'}`, { testid: 'training-qualified', dataset: { qualified: String(q) } },
            icon(q ? 'check' : 'alert'), q ? t('training.qualified') : t('training.notQualified')),
          // Fills the form with this person.
          canWrite ? h('button.btn.btn-ghost.btn-sm.tr-for', { type: 'button', testid: 'training-record-for', title: t('training.recordFor'), 'aria-label': `${t('training.recordFor')} · ${personName(p)}`,
            onclick: () => { draft.username = p.username; renderForm(true); const f = formHost.querySelector('[data-testid="training-form-courses"] input'); if (f) f.focus(); } },
          icon('plus')) : null);
      } },
    ];
    mount(matrixHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      h('p.rs-rule.tr-rule', icon('shield'), h('span', t('training.rule', { courses: config.required_training.map((c) => tEnum('course', c)).join(t('roster.listSep')), min: config.min_staff }))),
      list.length === 0
        ? emptyState(t('training.empty'), canWrite ? t('training.emptyHintWrite') : t('training.emptyHintRead'))
        : table(cols, list, { testid: 'training-table', rowTestid: 'training-person',
          rowAttrs: (p) => ({ dataset: { username: p.username, qualified: String(qualified(latest, p.username, config.required_training)) } }) }));
  }

  function areaLabel(r) {
    return r.area_id ? (r.area_name || `#${r.area_id}`) : t('training.area.site');
  }

  function renderAreaFilter() {
    const opts = [['', t('training.area.all')], ['site', t('training.area.site')], ...areas.map((a) => [String(a.id), a.name])];
    if (areaFilter && !opts.some(([v]) => v === areaFilter)) areaFilter = '';
    mount(areaSel, opts.map(([v, label]) => h('option', { value: v, selected: v === areaFilter }, label)));
    areaSel.value = areaFilter;
  }

  function renderHistory() {
    if (destroyed || !records) return;
    renderAreaFilter();
    const shown = areaFilter === '' ? records
      : areaFilter === 'site' ? records.filter((r) => !r.area_id)
        : records.filter((r) => String(r.area_id) === areaFilter);
    const rows = [...shown].sort((a, b) => Date.parse(b.attended_at) - Date.parse(a.attended_at) || b.id - a.id);
    histMeta.textContent = t('training.historyMeta', { n: formatNumber(rows.length) });
    if (!rows.length) { mount(histHost, h('p.muted.tr-none', { testid: 'training-records-empty' }, areaFilter ? t('training.area.empty') : t('training.historyEmpty'))); return; }
    mount(histHost, table([
      { key: 'username', label: t('training.col.person'), cell: (r) => { const p = people.get(r.username); return h('span', { title: r.username }, personName(p)); } },
      { key: 'course', label: t('training.col.course'), cell: (r) => tEnum('course', r.course) },
      { key: 'area', label: t('training.col.area'), cell: (r) => h('span', { testid: 'training-record-area', dataset: { area: r.area_id ? String(r.area_id) : '' } }, areaLabel(r)) },
      { key: 'attended_at', label: t('training.col.attended'), cls: 'col-time', cell: (r) => day(r.attended_at) },
      { key: 'expires_at', label: t('training.col.expires'), cls: 'col-time', cell: (r) => day(r.expires_at) },
      { key: 'state', label: t('training.col.state'), cell: (r) => {
        const st = trainingState(r);
        const newest = latest.get(r.username) && latest.get(r.username).get(r.course) === r;
        return h(`span.badge.tr-badge-${st}`, { dataset: { state: st } }, t(`training.state.${st}`), !newest ? h('span.tr-superseded', t('training.superseded')) : null);
      } },
      { key: 'recorded_by', label: t('training.col.by'), cell: (r) => r.recorded_by },
    ], rows, { testid: 'training-records', rowTestid: 'training-record',
      rowAttrs: (r) => ({ dataset: { id: String(r.id), username: r.username, course: r.course, area: r.area_id ? String(r.area_id) : '', expired: String(trainingState(r) === 'expired') } }) }));
  }

  // --- The form ----------------------------------------------------------------------------

  let formKey = null;
  function renderForm(force = false) {
    if (destroyed || sending) return;
    // The areas arrive with the first load: a new list of them redraws the form too.
    const key = `${people.listed}|${areas.length}|${people.pickable().map((p) => p.username).join(',')}`;
    if (!force && key === formKey) return;
    if (!force && formKey !== null && formHost.contains(document.activeElement)) return;
    formKey = key;
    if (!canWrite) {
      mount(formHost, h('section.panel', { testid: 'training-readonly-panel' },
        h('div.panel-head', h('h2', t('training.form.title'))),
        h('p.muted.rs-readonly', { testid: 'training-readonly' }, t('training.readOnly'))));
      return;
    }
    const errs = {};
    const fields = {};
    const errEl = (k) => (errs[k] = h('div.field-error', { testid: `training-form-error-${k}`, role: 'alert', hidden: true }));
    const banner = h('div.form-banner', { testid: 'training-form-error', role: 'alert', hidden: true });
    const clearErr = (k) => { errs[k].hidden = true; if (fields[k]) fields[k].removeAttribute('aria-invalid'); banner.hidden = true; };
    const setErr = (k, msg) => { errs[k].textContent = msg; errs[k].hidden = false; if (fields[k]) fields[k].setAttribute('aria-invalid', 'true'); };

    const person = personField({ people, id: 'tr-f-person', testid: 'training-form-person', value: draft.username,
      onChange: (v) => { draft.username = v; clearErr('username'); } });
    fields.username = person.el;
    const boxes = COURSES.map((c) => h('label.tr-course', { dataset: { course: c } },
      h('input', { type: 'checkbox', testid: `training-form-course-${c}`, value: c, checked: draft.courses.has(c),
        onchange: (e) => { if (e.target.checked) draft.courses.add(c); else draft.courses.delete(c); clearErr('course'); } }),
      h('span', tEnum('course', c)),
      config.required_training.includes(c) ? h('span.tr-req', t('training.required')) : null));
    fields.course = h('div.tr-courses', { role: 'group', 'aria-label': t('training.form.courses'), testid: 'training-form-courses' }, boxes);
    fields.area_id = h('select.select', { id: 'tr-f-area', testid: 'training-form-area', onchange: (e) => { draft.area = e.target.value; clearErr('area_id'); } },
      h('option', { value: '' }, t('training.area.site')),
      areas.map((a) => h('option', { value: String(a.id), selected: String(a.id) === draft.area }, a.name)));
    fields.date = h('input.input', { id: 'tr-f-date', type: 'date', testid: 'training-form-date', value: draft.date, max: siteDate(),
      onchange: (e) => { draft.date = e.target.value; clearErr('attended_at'); expiry(); } });
    fields.attended_at = fields.date;
    fields.months = h('input.input', { id: 'tr-f-months', type: 'number', min: 1, max: 60, step: 1, inputmode: 'numeric', testid: 'training-form-months', value: draft.months,
      oninput: (e) => { draft.months = e.target.value; clearErr('valid_months'); expiry(); markMonths(); } });
    fields.valid_months = fields.months;
    const monthBtns = MONTHS.map((n) => h('button.rs-quick', { type: 'button', dataset: { n: String(n) }, testid: `training-form-months-${n}`,
      onclick: () => { draft.months = String(n); fields.months.value = draft.months; clearErr('valid_months'); expiry(); markMonths(); } }, t('training.form.monthsN', { n })));
    function markMonths() { for (const b of monthBtns) b.classList.toggle('active', b.dataset.n === String(draft.months)); }
    markMonths();
    const expEl = h('p.rs-field-hint', { testid: 'training-form-expiry' });
    function expiry() {
      const n = Number(draft.months);
      if (!isDateString(draft.date) || !Number.isInteger(n) || n < 1 || n > 60) { expEl.textContent = ''; return; }
      const exp = siteDayStart(draft.date).getTime() + n * 30 * dayMs;
      expEl.textContent = t('training.form.expires', { date: siteDate(new Date(exp)) });
    }
    expiry();

    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'training-form-submit' });
    const renderSubmit = () => { submit.disabled = sending; mount(submit, icon('plus'), h('span', sending ? t('training.form.saving') : t('training.form.submit'))); };
    renderSubmit();
    const field = (k, label, control, extra, forId) => h('div.field', { testid: `training-field-${k}` },
      forId ? h('label', { for: forId }, label) : h('span.rs-label', label), control, extra || null, errEl(k));

    const form = h('form.form.tr-form', { testid: 'training-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (sending) return;
      for (const k of Object.keys(errs)) clearErr(k);
      const username = draft.username.trim();
      const courses = COURSES.filter((c) => draft.courses.has(c));
      const months = Number(draft.months);
      let bad = null;
      if (!username) { setErr('username', t('roster.form.personRequired')); bad = bad || 'username'; }
      if (!courses.length) { setErr('course', t('training.form.courseRequired')); bad = bad || 'course'; }
      if (!isDateString(draft.date)) { setErr('attended_at', t('training.form.dateRequired')); bad = bad || 'attended_at'; }
      else if (draft.date > siteDate()) { setErr('attended_at', t('training.form.dateFuture')); bad = bad || 'attended_at'; }
      if (!Number.isInteger(months) || months < 1 || months > 60) { setErr('valid_months', t('training.form.monthsInvalid')); bad = bad || 'valid_months'; }
      if (bad) { (bad === 'course' ? fields.course.querySelector('input') : fields[bad]).focus(); return; }
      sending = true;
      renderSubmit();
      const done = [];
      try {
        for (const c of courses) {
          const body = { username, course: c, attended_at: iso(siteDayStart(draft.date)), valid_months: months };
          if (c === 'fire_knowledge' && draft.area) body.area_id = Number(draft.area);
          await api.post(`${api.API}/training`, body);
          done.push(c);
          draft.courses.delete(c);
        }
        if (destroyed) return;
        sending = false;
        toast(t('training.saved', { name: personName(people.get(username)), courses: done.map((c) => tEnum('course', c)).join(t('roster.listSep')) }));
        renderForm(true);
        load();
      } catch (err) {
        if (destroyed) return;
        sending = false;
        renderSubmit();
        for (const b of boxes) b.querySelector('input').checked = draft.courses.has(b.dataset.course);
        if (done.length) load();
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        let first = null;
        for (const [k, msg] of Object.entries(fe)) {
          if (!errs[k]) continue;
          setErr(k, `${err.title}: ${msg}`);
          first = first || k;
        }
        if (first && fields[first]) fields[first].focus();
        else { banner.textContent = [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '); banner.hidden = false; }
      }
    } },
    field('username', t('training.form.person'), person.el, person.extra, 'tr-f-person'),
    field('course', t('training.form.courses'), fields.course),
    field('area_id', t('training.form.area'), fields.area_id, h('p.rs-field-hint', t('training.form.areaHint')), 'tr-f-area'),
    field('attended_at', t('training.form.date'), fields.date, null, 'tr-f-date'),
    field('valid_months', t('training.form.months'), fields.months, [h('div.rs-quicks', monthBtns), expEl], 'tr-f-months'),
    banner,
    h('div.form-actions', submit));

    mount(formHost, h('section.panel.rs-form-panel', { testid: 'training-form-panel' },
      h('div.panel-head', h('h2', t('training.form.title')), h('span.chip.ref-chip', 'S3')),
      h('div.rs-form-wrap', form, h('p.rs-hint', t('training.form.hint')))));
  }

  // --- Start -------------------------------------------------------------------------------

  renderForm(true);
  load();
  people.loadUsers().then((ok) => { if (ok && !destroyed) { renderForm(); renderMatrix(); } });

  const reload = debounce(() => { if (!destroyed) load(); }, 250);
  return {
    onEvent(ev) { if (ev.type === 'roster' || ev.type === 'reset') reload(); },
    destroy() { destroyed = true; },
  };
}
