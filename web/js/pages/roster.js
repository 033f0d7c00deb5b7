// 排班与值守 Roster & coverage (#/roster; S1 24-hour monitoring, S3 staffing and
// training; GB 25201-2010 5.2). One week of the site's time zone from local
// midnight Monday: a row per person (shift leaders, operators) with their slots
// as bars across the days, and under it the coverage strip from GET /coverage —
// green where at least min_staff trained people are on duty, red gaps saying how
// many are ("在岗 1/2"). Bars longer than max_shift_hours and slots of people
// without the required training (they do not count) are marked, as are slots of
// one person that overlap (the server would count that person twice).
//
// roster.write (shift leader, supervisor, manager) adds slots — person, day,
// start and end in site time, with the 3×8 h pattern as quick buttons — and
// deletes them after a confirmation. `event: roster` reloads the page.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, formatNumber, siteDate, addDays, isDateString,
  formatSiteDay, toast, modal, debounce, timeZone } from '../ui.js';
import { People, personName, personCell, personField, configFrom, DEFAULT_CONFIG, latestTraining, qualified, rosterTabs, weekBar,
  mondayOf, weekDays, axisPos, dayHead, hm, parseHm, siteInstant, iso, rangeLabel, shortWhen, hours, dayMs, hourMs } from '../roster-ui.js';

const AROUND_DAYS = 28;          // people are learned from the roster four weeks either side
const QUICK = [[0, 480], [480, 960], [960, 1440]];
const NOTE_MAX = 200;            // bytes, src/http/api_roster.c
const utf8 = new TextEncoder();

export default function rosterPage(el, ctx) {
  const canWrite = ctx.can('roster.write');
  const today = siteDate();
  const pw = ctx.params.get('week');
  let monday = mondayOf(isDateString(pw) ? pw : today);
  let days = weekDays(monday);
  let destroyed = false;

  const people = new People(ctx);
  let slots = null;              // slots overlapping the week
  let cov = null;                // GET /coverage of the week
  let config = { ...DEFAULT_CONFIG };
  let latest = new Map();        // username -> course -> newest record
  let loadErr = null;
  let selected = null;           // slot id
  let flashId = null;
  let sending = false;
  const draft = { username: '', date: today >= monday && today <= addDays(monday, 6) ? today : monday, start: '', end: '', note: '' };

  // --- Frame ---------------------------------------------------------------------------

  const barHost = h('div.rs-bar-host');
  const weekHost = h('div.rs-week-host', loadingState());
  const weekMeta = h('span.panel-meta', { testid: 'roster-week-meta' });
  const pctEl = h('span.rs-pct', { testid: 'coverage-pct' });
  const covHost = h('div.rs-cov-host');
  const detailHost = h('div.rs-detail-host');
  const formHost = h('div.rs-form-host');
  const genHost = h('div.ros-gen-host');
  const sideHost = h('aside.rs-side', detailHost, formHost, genHost);

  mount(el,
    pageHeader(t('roster.title'), t('roster.subtitle'), rosterTabs('roster')),
    barHost,
    h('section.panel.rs-week-panel', { testid: 'roster-week' },
      h('div.panel-head', h('h2', t('roster.week')), pctEl, weekMeta),
      weekHost),
    h('div.rs-lower',
      h('section.panel.rs-cov-panel', { testid: 'coverage-panel' },
        h('div.panel-head', h('h2', t('roster.coverage')), h('span.chip.ref-chip', 'S1 · S3')),
        covHost),
      sideHost));

  function sync() {
    ctx.setParams({ week: monday === mondayOf(siteDate()) ? '' : monday });
    mount(barHost, weekBar({ monday, onGo: go, testid: 'roster' }));
  }

  function go(m) {
    if (m === monday) return;
    monday = m;
    days = weekDays(monday);
    slots = null;
    cov = null;
    selected = null;
    const td = siteDate();
    if (!(draft.date >= monday && draft.date <= addDays(monday, 6))) draft.date = td >= monday && td <= addDays(monday, 6) ? td : monday;
    sync();
    mount(weekHost, loadingState());
    mount(covHost);
    renderSide();
    load();
  }

  // --- Loading -------------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    const from = days[0].start; const to = days[6].end;
    if (slots) { weekHost.classList.add('busy'); covHost.classList.add('busy'); }
    try {
      const [r, c, tr] = await Promise.all([
        api.get(`${api.API}/roster`, { from: iso(from - AROUND_DAYS * dayMs), to: iso(to + AROUND_DAYS * dayMs) }),
        api.get(`${api.API}/coverage`, { from: iso(from), to: iso(to) }),
        api.get(`${api.API}/training`).catch(() => null),
      ]);
      if (destroyed || my !== seq) return;
      const all = (r && Array.isArray(r.items)) ? r.items : [];
      people.addSlots(all);
      slots = all.filter((s) => Date.parse(s.start) < to && Date.parse(s.end) > from);
      cov = c || null;
      config = configFrom(cov);
      if (tr && Array.isArray(tr.items)) { people.addTraining(tr.items); latest = latestTraining(tr.items); }
      loadErr = null;
      if (selected && !slots.some((s) => s.id === selected)) selected = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    weekHost.classList.remove('busy');
    covHost.classList.remove('busy');
    render();
  }

  // --- The week ------------------------------------------------------------------------

  const pct = (x) => `${(x * 100).toFixed(4)}%`;

  // The end of a period after its start: the time on the same day ("24:00" at
  // the next midnight), else the day and time.
  function endLabel(start, end) {
    const sd = siteDate(new Date(start));
    if (siteDate(new Date(end)) === sd) return hm(end);
    if (siteDate(new Date(end - 1)) === sd && hm(end) === '00:00') return '24:00';
    return shortWhen(end);
  }

  function flagsOf(s) {
    const long = cov && Array.isArray(cov.long_slots) ? cov.long_slots.includes(s.id)
      : Date.parse(s.end) - Date.parse(s.start) > config.max_shift_hours * hourMs;
    const untrained = cov && Array.isArray(cov.untrained_slots) ? cov.untrained_slots.includes(s.id) : !s.trained;
    const overlap = slots.some((o) => o.id !== s.id && o.username === s.username && Date.parse(o.start) < Date.parse(s.end) && Date.parse(o.end) > Date.parse(s.start));
    return { long, untrained, overlap };
  }

  function slotTitle(s, f) {
    const p = people.get(s.username);
    const bits = [`${personName({ ...p, display_name: s.display_name || p.display_name })}`,
      `${shortWhen(s.start)} – ${rangeLabel(s.start, s.end).split('–')[1]}`,
      t('roster.hoursN', { n: hours(Date.parse(s.end) - Date.parse(s.start)) })];
    if (f.untrained) bits.push(t('roster.flag.untrained'));
    if (f.long) bits.push(t('roster.flag.long', { n: config.max_shift_hours }));
    if (f.overlap) bits.push(t('roster.flag.overlap'));
    if (s.note) bits.push(s.note);
    return bits.join(' · ');
  }

  function bar(s) {
    const a = Date.parse(s.start); const b = Date.parse(s.end);
    const x0 = axisPos(days, a); const x1 = axisPos(days, b);
    const f = flagsOf(s);
    const cls = ['button.rs-bar', f.long ? '.is-long' : '', f.untrained ? '.is-untrained' : '', f.overlap ? '.is-overlap' : '',
      a < days[0].start ? '.clip-start' : '', b > days[6].end ? '.clip-end' : '', selected === s.id ? '.selected' : '', flashId === s.id ? '.flash' : ''].join('');
    const wide = x1 - x0 > 0.022;
    return h(cls, { type: 'button', testid: 'roster-slot',
      dataset: { id: String(s.id), username: s.username, start: s.start, end: s.end, long: String(f.long), untrained: String(f.untrained), overlap: String(f.overlap),
        expired: String(!!s.training_expired) },
      style: { left: pct(x0), width: pct(Math.max(x1 - x0, 0.002)) },
      title: slotTitle(s, f), 'aria-pressed': String(selected === s.id),
      onclick: () => { selected = selected === s.id ? null : s.id; renderWeek(); renderDetail(); } },
    wide ? h('span.rs-bar-time', rangeLabel(s.start, s.end, { short: true })) : null,
    f.untrained ? icon('alert', 'rs-bar-flag') : null,
    f.long ? icon('clock', 'rs-bar-flag') : null);
  }

  function nowLine() {
    const now = Date.now();
    if (now < days[0].start || now >= days[6].end) return null;
    return h('span.rs-now', { 'aria-hidden': 'true', style: { left: pct(axisPos(days, now)) } });
  }

  function dayHeads() {
    const td = siteDate();
    return h('div.rs-days', days.map((d) => {
      const head = dayHead(d.ymd);
      return h('div.rs-day', { class: d.ymd === td ? 'today' : '', dataset: { date: d.ymd } },
        h('span.rs-day-wd', head.weekday), h('span.rs-day-date', head.date));
    }));
  }

  // Green / red segments of the week from the coverage gaps.
  function segments() {
    if (!cov || !Array.isArray(cov.gaps)) return [];
    const from = days[0].start; const to = days[6].end;
    const out = [];
    let cursor = from;
    const gaps = cov.gaps.map((g) => ({ start: Math.max(from, Date.parse(g.start)), end: Math.min(to, Date.parse(g.end)), staffed: g.staffed }))
      .filter((g) => g.end > g.start).sort((x, y) => x.start - y.start);
    for (const g of gaps) {
      if (g.start > cursor) out.push({ kind: 'ok', start: cursor, end: g.start });
      out.push({ kind: 'gap', ...g });
      cursor = Math.max(cursor, g.end);
    }
    if (cursor < to) out.push({ kind: 'ok', start: cursor, end: to });
    return out;
  }

  function strip() {
    const min = cov && Number.isInteger(cov.min_staff) ? cov.min_staff : config.min_staff;
    return h('div.rs-strip', { testid: 'coverage-strip' },
      segments().map((g) => {
        const w = axisPos(days, g.end) - axisPos(days, g.start);
        const label = g.kind === 'gap' ? t('roster.staffed', { n: g.staffed, min }) : t('roster.covered', { min });
        const when = `${shortWhen(g.start)} – ${endLabel(g.start, g.end)}`;
        return h(`div.rs-seg.rs-seg-${g.kind}`, { testid: 'coverage-seg',
          dataset: { kind: g.kind, staffed: g.kind === 'gap' ? String(g.staffed) : '', start: iso(g.start), end: iso(g.end) },
          style: { left: pct(axisPos(days, g.start)), width: pct(w) }, title: `${when} · ${label}` },
        w > 0.055 ? h('span.rs-seg-text', label) : w > 0.018 && g.kind === 'gap' ? h('span.rs-seg-text', `${g.staffed}/${min}`) : null);
      }),
      nowLine());
  }

  function renderWeek() {
    if (destroyed) return;
    if (!slots) {
      if (loadErr) mount(weekHost, errorBanner(loadErr, () => load()));
      return;
    }
    const from = days[0].start; const to = days[6].end;
    const total = slots.reduce((n, s) => n + Math.min(to, Date.parse(s.end)) - Math.max(from, Date.parse(s.start)), 0);
    mount(weekMeta, t('roster.weekMeta', { n: formatNumber(slots.length), h: hours(total) }));
    weekMeta.dataset.n = String(slots.length);
    if (cov && cov.total_ms > 0) {
      const v = (cov.covered_ms / cov.total_ms) * 100;
      pctEl.textContent = t('roster.coveredPct', { pct: v.toFixed(1) });
      pctEl.dataset.pct = v.toFixed(1);
      pctEl.className = `rs-pct ${v >= 100 ? 'full' : v > 0 ? 'part' : 'none'}`;
    } else pctEl.textContent = '';

    const inWeek = new Set(slots.map((s) => s.username));
    const rows = slots.length ? people.sorted((p) => inWeek.has(p.username) || (!p.inactive && (!p.role || ['operator', 'shift_leader'].includes(p.role)))) : [];
    const byUser = new Map();
    for (const s of slots) { if (!byUser.has(s.username)) byUser.set(s.username, []); byUser.get(s.username).push(s); }
    const tracks = rows.map((p) => {
      const mine = byUser.get(p.username) || [];
      const hrs = mine.reduce((n, s) => n + Math.min(to, Date.parse(s.end)) - Math.max(from, Date.parse(s.start)), 0);
      const ok = qualified(latest, p.username, config.required_training);
      const expired = mine.some((s) => s.training_expired);
      return h('div.rs-row', { testid: 'roster-row', dataset: { username: p.username, slots: String(mine.length) } },
        h('div.rs-row-head',
          personCell({ ...p, display_name: p.display_name || (mine[0] && mine[0].display_name) || '' }, 'roster-person'),
          h('div.rs-row-side',
            h('span.rs-row-hours', { title: t('roster.hoursTitle') }, mine.length ? t('roster.hoursN', { n: hours(hrs) }) : t('roster.noSlots')),
            expired ? h('a.rs-untrained-chip.ros-expired', { href: `#/training?person=${encodeURIComponent(p.username)}`, testid: 'roster-person-expired',
              title: t('ros.expiredTitle', { courses: [...new Set(mine.flatMap((s) => s.expired_courses || []))].map((c) => tEnum('course', c)).join('、') }) }, t('ros.expired')) : null,
            ok ? null : h('a.rs-untrained-chip', { href: `#/training?person=${encodeURIComponent(p.username)}`, testid: 'roster-person-untrained', title: t('roster.untrainedPersonTitle') }, t('roster.untrainedPerson')))),
        h('div.rs-track', mine.map(bar), nowLine()));
    });

    mount(weekHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      h('div.rs-grid',
        h('div.rs-row.rs-row-headline', h('div.rs-row-head.rs-corner', t('roster.person')), dayHeads()),
        slots.length === 0
          ? h('div.rs-empty', { testid: 'roster-empty' },
            emptyState(t('roster.empty'), canWrite ? t('roster.emptyHintWrite') : t('roster.emptyHintRead')),
            canWrite ? h('p.center', h('button.btn.btn-primary', { type: 'button', testid: 'roster-empty-add', onclick: () => focusForm() },
              icon('plus'), h('span', t('roster.form.title')))) : null)
          : tracks,
        h('div.rs-row.rs-row-strip',
          h('div.rs-row-head.rs-strip-head', h('span', t('roster.coverageRow')),
            h('span.rs-strip-sub', t('roster.coverageRule', { min: config.min_staff }))),
          strip())),
      legend());
    flashId = null;
  }

  function legend() {
    const item = (cls, text, testid) => h('li', { testid }, h(`span.rs-key.${cls}`, { 'aria-hidden': 'true' }), h('span', text));
    return h('ul.rs-legend', { testid: 'roster-legend' },
      item('rs-key-slot', t('roster.legend.slot'), 'legend-slot'),
      item('rs-key-untrained', t('roster.legend.untrained'), 'legend-untrained'),
      item('rs-key-long', t('roster.legend.long', { n: config.max_shift_hours }), 'legend-long'),
      item('rs-key-overlap', t('roster.legend.overlap'), 'legend-overlap'),
      item('rs-key-ok', t('roster.legend.ok', { min: config.min_staff }), 'legend-ok'),
      item('rs-key-gap', t('roster.legend.gap', { min: config.min_staff }), 'legend-gap'));
  }

  // --- Coverage summary ------------------------------------------------------------------

  function renderCoverage() {
    if (destroyed || !slots) return;
    if (!cov) { mount(covHost, loadErr ? errorBanner(loadErr, () => load()) : null); return; }
    const gaps = segments().filter((g) => g.kind === 'gap');
    const gapMs = gaps.reduce((n, g) => n + g.end - g.start, 0);
    const v = cov.total_ms > 0 ? (cov.covered_ms / cov.total_ms) * 100 : 0;
    const longN = Array.isArray(cov.long_slots) ? cov.long_slots.length : 0;
    const untrainedN = Array.isArray(cov.untrained_slots) ? cov.untrained_slots.length : 0;
    const courses = config.required_training.map((c) => tEnum('course', c)).join(t('roster.listSep'));
    const shown = gaps.slice(0, 40);
    mount(covHost,
      h('div.rs-cov-top',
        h('div.rs-cov-big', { class: v >= 100 ? 'full' : v > 0 ? 'part' : 'none' },
          h('span.rs-cov-num', { testid: 'coverage-big' }, `${v.toFixed(1)}%`),
          h('span.rs-cov-cap', t('roster.coveredCap', { min: config.min_staff }))),
        h('dl.kv.rs-cov-kv',
          h('dt', t('roster.kv.covered')), h('dd', t('roster.hoursN', { n: hours(cov.covered_ms) })),
          h('dt', t('roster.kv.gaps')), h('dd', { testid: 'coverage-gap-count', dataset: { n: String(gaps.length) } }, t('roster.kv.gapsN', { n: formatNumber(gaps.length), h: hours(gapMs) })),
          h('dt', t('roster.kv.long', { n: config.max_shift_hours })), h('dd', { class: longN ? 'warn' : '' }, formatNumber(longN)),
          h('dt', t('roster.kv.untrained')), h('dd', { class: untrainedN ? 'bad' : '' }, formatNumber(untrainedN)))),
      h('p.rs-rule', icon('shield'), h('span', t('roster.rule', { min: config.min_staff, courses })), ' ',
        h('a', { href: '#/training' }, t('roster.toTraining'))),
      gaps.length === 0
        ? h('div.banner.banner-ok', { testid: 'coverage-full' }, icon('check'), h('div.banner-body', h('div.banner-title', t('roster.noGaps', { min: config.min_staff }))))
        : h('ol.rs-gaps', { testid: 'coverage-gaps' }, shown.map((g) => h('li.rs-gap', { testid: 'coverage-gap', dataset: { staffed: String(g.staffed), start: iso(g.start), end: iso(g.end) } },
          h('span.rs-gap-when', `${shortWhen(g.start)} – ${endLabel(g.start, g.end)}`),
          h('span.rs-gap-dur', t('roster.hoursN', { n: hours(g.end - g.start) })),
          h('span.rs-gap-staffed', t('roster.staffed', { n: g.staffed, min: config.min_staff })))),
        gaps.length > shown.length ? h('li.rs-gap.muted', t('roster.moreGaps', { n: gaps.length - shown.length })) : null));
  }

  function render() {
    renderWeek();
    renderCoverage();
    renderDetail();
    renderForm();
  }

  // --- Side: the selected slot and the form ---------------------------------------------

  function detailPanel() {
    const s = slots && selected ? slots.find((x) => x.id === selected) : null;
    if (!s) return null;
    const f = flagsOf(s);
    const p = people.get(s.username);
    return h('section.panel.rs-detail', { testid: 'roster-detail', dataset: { id: String(s.id) } },
      h('div.panel-head', h('h2', t('roster.detail.title', { id: s.id })),
        h('button.btn.btn-ghost.btn-sm.rs-detail-close', { type: 'button', testid: 'roster-detail-close', 'aria-label': t('common.close'),
          onclick: () => { selected = null; renderWeek(); renderDetail(); } }, '×')),
      h('div.rs-detail-body',
        personCell({ ...p, display_name: s.display_name || p.display_name, role: s.role || p.role }, 'roster-detail-person'),
        h('dl.kv.rs-detail-kv',
          h('dt', t('roster.detail.start')), h('dd', { testid: 'roster-detail-start' }, `${formatSiteDay(siteDate(new Date(s.start)))} ${hm(s.start)}`),
          h('dt', t('roster.detail.end')), h('dd', { testid: 'roster-detail-end' }, `${formatSiteDay(siteDate(new Date(s.end)))} ${hm(s.end)}`),
          h('dt', t('roster.detail.length')), h('dd', t('roster.hoursN', { n: hours(Date.parse(s.end) - Date.parse(s.start)) })),
          s.note ? [h('dt', t('roster.detail.note')), h('dd.rs-note', s.note)] : null),
        h('div.rs-detail-flags',
          f.untrained ? h('span.badge.rs-flag-untrained', { testid: 'roster-detail-untrained' }, icon('alert'), t('roster.flag.untrained')) : h('span.badge.rs-flag-ok', icon('check'), t('roster.flag.trained')),
          f.long ? h('span.badge.rs-flag-long', icon('clock'), t('roster.flag.long', { n: config.max_shift_hours })) : null,
          f.overlap ? h('span.badge.rs-flag-overlap', icon('alert'), t('roster.flag.overlap')) : null,
          s.training_expired ? h('span.badge.rs-flag-untrained', { testid: 'roster-detail-expired' }, icon('alert'),
            t('ros.expiredTitle', { courses: (s.expired_courses || []).map((c) => tEnum('course', c)).join('、') })) : null),
        canWrite ? h('div.form-actions',
          h('button.btn.btn-danger-ghost', { type: 'button', testid: 'roster-delete', onclick: () => confirmDelete(s) }, icon('archive'), h('span', t('roster.delete')))) : null));
  }

  function confirmDelete(s) {
    const name = personName({ ...people.get(s.username), display_name: s.display_name || people.get(s.username).display_name });
    const when = `${shortWhen(s.start)} – ${rangeLabel(s.start, s.end).split('–')[1]}`;
    const err = h('div.form-banner', { testid: 'roster-delete-error', role: 'alert', hidden: true });
    const ok = h('button.btn.btn-danger', { type: 'button', testid: 'confirm-ok', onclick: async () => {
      ok.disabled = true;
      try {
        await api.del(`${api.API}/roster/${s.id}`);
        dlg.close();
        if (destroyed) return;
        toast(t('roster.deleted', { name, when }));
        selected = null;
        load();
      } catch (ex) {
        ok.disabled = false;
        err.textContent = ex.status === 404 ? t('roster.deleteGone') : [ex.title, ex.problem && ex.problem.detail].filter(Boolean).join(' ');
        err.hidden = false;
        if (ex.status === 404) load();
      }
    } }, t('roster.delete'));
    const dlg = modal(t('roster.deleteTitle'), h('div',
      h('p', { testid: 'confirm-text' }, t('roster.deleteConfirm', { name, when })),
      err,
      h('div.form-actions', h('button.btn.btn-ghost', { type: 'button', testid: 'confirm-cancel', onclick: () => dlg.close() }, t('common.cancel')), ok)),
    { testid: 'confirm-dialog' });
  }

  function focusForm() {
    const f = sideHost.querySelector('[data-testid="roster-form-person"]');
    sideHost.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    if (f) f.focus({ preventScroll: true });
  }

  // The slot the form describes now: {start, end} Dates, or an error key.
  function planned() {
    if (!isDateString(draft.date)) return { error: 'roster.form.dateRequired', field: 'date' };
    const a = parseHm(draft.start); const b = parseHm(draft.end);
    if (a === null || a >= 1440) return { error: 'roster.form.startRequired', field: 'start' };
    if (b === null) return { error: 'roster.form.endRequired', field: 'end' };
    const start = siteInstant(draft.date, a);
    const end = siteInstant(draft.date, b > a ? b : b + 1440);   // an end not after the start is the next day
    return { start, end };
  }

  function formPanel() {
    const errs = {};
    const fields = {};
    const errEl = (k) => (errs[k] = h('div.field-error', { testid: `roster-form-error-${k}`, role: 'alert', hidden: true }));
    const clearErr = (k) => { if (errs[k]) errs[k].hidden = true; if (fields[k]) fields[k].removeAttribute('aria-invalid'); banner.hidden = true; };
    const setErr = (k, msg) => { errs[k].textContent = msg; errs[k].hidden = false; fields[k].setAttribute('aria-invalid', 'true'); };
    const banner = h('div.form-banner', { testid: 'roster-form-error', role: 'alert', hidden: true });

    const person = personField({ people, id: 'rs-f-person', testid: 'roster-form-person', value: draft.username,
      onChange: (v) => { draft.username = v; clearErr('username'); } });
    fields.username = person.el;
    fields.date = h('input.input', { id: 'rs-f-date', type: 'date', testid: 'roster-form-date', value: draft.date, required: true,
      onchange: (e) => { draft.date = e.target.value; clearErr('date'); preview(); }, oninput: (e) => { draft.date = e.target.value; preview(); } });
    fields.start = h('input.input', { id: 'rs-f-start', type: 'time', step: 60, testid: 'roster-form-start', value: draft.start, required: true,
      oninput: (e) => { draft.start = e.target.value; clearErr('start'); clearErr('end'); markQuick(); preview(); } });
    fields.end = h('input.input', { id: 'rs-f-end', type: 'time', step: 60, testid: 'roster-form-end', value: draft.end, required: true,
      oninput: (e) => { draft.end = e.target.value; clearErr('end'); markQuick(); preview(); } });
    fields.note = h('input.input', { id: 'rs-f-note', testid: 'roster-form-note', value: draft.note, maxlength: NOTE_MAX, placeholder: t('roster.form.notePlaceholder'),
      oninput: (e) => { draft.note = e.target.value; clearErr('note'); } });

    const fmtQ = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:00`;
    const quick = QUICK.map(([a, b]) => h('button.rs-quick', { type: 'button', testid: `roster-quick-${a / 60}`, dataset: { start: fmtQ(a), end: fmtQ(b % 1440) },
      title: t('roster.form.quickTitle', { from: fmtQ(a), to: fmtQ(b) }),
      onclick: () => {
        draft.start = fmtQ(a); draft.end = fmtQ(b % 1440);
        fields.start.value = draft.start; fields.end.value = draft.end;
        clearErr('start'); clearErr('end'); markQuick(); preview();
      } }, `${fmtQ(a).slice(0, 2)}–${fmtQ(b).slice(0, 2)}`));
    function markQuick() {
      for (const b of quick) {
        const on = b.dataset.start === draft.start && b.dataset.end === draft.end;
        b.classList.toggle('active', on);
        b.setAttribute('aria-pressed', String(on));
      }
    }
    markQuick();

    const previewEl = h('div.rs-preview', { testid: 'roster-form-preview', 'aria-live': 'polite' });
    function preview() {
      const pl = planned();
      if (pl.error) { mount(previewEl); previewEl.hidden = true; return; }
      const len = pl.end - pl.start;
      const long = len > config.max_shift_hours * hourMs;
      previewEl.hidden = false;
      previewEl.classList.toggle('warn', long);
      previewEl.dataset.start = iso(pl.start);
      previewEl.dataset.end = iso(pl.end);
      mount(previewEl, icon(long ? 'alert' : 'calendar'),
        h('span', `${formatSiteDay(draft.date)} ${rangeLabel(pl.start, pl.end)} · ${t('roster.hoursN', { n: hours(len) })}`),
        long ? h('span.rs-preview-warn', t('roster.form.longWarn', { n: config.max_shift_hours })) : null);
    }
    preview();

    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'roster-form-submit' });
    const renderSubmit = () => { submit.disabled = sending; mount(submit, icon('plus'), h('span', sending ? t('roster.form.saving') : t('roster.form.submit'))); };
    renderSubmit();

    const field = (k, label, control, extra) => h('div.field', { testid: `roster-field-${k}` },
      h('label', { for: control.id }, label), control, extra || null, errEl(k));

    const form = h('form.form.rs-form', { testid: 'roster-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (sending) return;
      for (const k of Object.keys(errs)) clearErr(k);
      const username = draft.username.trim();
      if (!username) { setErr('username', t('roster.form.personRequired')); fields.username.focus(); return; }
      const pl = planned();
      if (pl.error) { setErr(pl.field, t(pl.error)); fields[pl.field].focus(); return; }
      if (pl.end - pl.start > dayMs) { setErr('end', t('roster.form.tooLong')); fields.end.focus(); return; }
      const note = draft.note.trim();
      if (utf8.encode(note).length > NOTE_MAX) { setErr('note', t('roster.form.noteTooLong', { n: NOTE_MAX })); fields.note.focus(); return; }
      const body = { username, start: iso(pl.start), end: iso(pl.end) };
      if (note) body.note = note;
      sending = true;
      renderSubmit();
      try {
        const res = await api.post(`${api.API}/roster`, body);
        if (destroyed) return;
        sending = false;
        draft.note = '';
        const p = people.get(username);
        toast(t('roster.saved', { name: personName(p), when: `${shortWhen(pl.start)} – ${rangeLabel(pl.start, pl.end).split('–')[1]}` }));
        flashId = res && res.id;
        const m = mondayOf(draft.date);
        if (m !== monday) go(m);
        else { renderForm(true); load(); }
      } catch (err) {
        if (destroyed) return;
        sending = false;
        renderSubmit();
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        let first = null;
        for (const [k, msg] of Object.entries(fe)) {
          if (!errs[k]) continue;
          setErr(k, k === 'username' ? t('roster.form.personInvalid', { name: username }) : `${err.title}: ${msg}`);
          first = first || k;
        }
        if (first) fields[first].focus();
        else { banner.textContent = [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '); banner.hidden = false; }
      }
    } },
    field('username', t('roster.form.person'), person.el, person.extra),
    field('date', t('roster.form.date'), fields.date),
    h('div.field', h('span.rs-label', t('roster.form.quick')), h('div.rs-quicks', { role: 'group', 'aria-label': t('roster.form.quick'), testid: 'roster-quicks' }, quick)),
    h('div.rs-form-times',
      field('start', t('roster.form.start'), fields.start),
      field('end', t('roster.form.end'), fields.end)),
    previewEl,
    field('note', t('roster.form.note'), fields.note),
    banner,
    h('div.form-actions', submit));

    return h('section.panel.rs-form-panel', { testid: 'roster-form-panel' },
      h('div.panel-head', h('h2', t('roster.form.title')), h('span.chip.ref-chip', 'S1')),
      h('div.rs-form-wrap', form, h('p.rs-hint', t('roster.form.hint', { tz: timeZone() }))));
  }

  // The detail follows the selection; the form is rebuilt only when it must be
  // (the week changed, a slot was added, new people are known and nobody is typing).
  function renderDetail() {
    if (destroyed) return;
    mount(detailHost, detailPanel());
  }

  let formKey = null;
  function renderForm(force = false) {
    if (destroyed || sending) return;
    const key = `${people.listed}|${people.pickable().map((p) => `${p.username}:${p.display_name || ''}`).join(',')}`;
    if (!force && key === formKey) return;
    if (!force && formKey !== null && formHost.contains(document.activeElement)) return;
    formKey = key;
    mount(formHost, canWrite
      ? formPanel()
      : h('section.panel', { testid: 'roster-readonly-panel' },
        h('div.panel-head', h('h2', t('roster.form.title'))),
        h('p.muted.rs-readonly', { testid: 'roster-readonly' }, t('roster.readOnly'))));
  }

  function renderSide() {
    renderDetail();
    renderForm(true);
  }

  // --- Start ----------------------------------------------------------------------------

  // --- Generation from a shift pattern (S1) ----------------------------------------------
  // POST /roster/generate: a pattern (3×8 h, 2×12 h or one added here), local
  // dates from..to, and teams in rotation, one per line ("wang, li"). All or
  // nothing: an overlap refuses the whole request (problem roster-overlap).

  let patterns = [];
  const gen = { pattern: '', from: addDays(today, 1), to: addDays(today, 7), teams: '' };
  async function loadPatterns() {
    try {
      const r = await api.get(`${api.API}/shift-patterns`);
      patterns = r.items || [];
      if (!gen.pattern && patterns[0]) gen.pattern = String(patterns[0].id);
    } catch (_) { patterns = []; }
    if (!destroyed) renderGen();
  }

  function renderGen() {
    if (!canWrite) { mount(genHost); return; }
    const result = h('div.ros-gen-result', { testid: 'roster-gen-result', 'aria-live': 'polite' });
    const sel = h('select.select', { id: 'ros-gen-pattern', testid: 'roster-gen-pattern', onchange: (e) => { gen.pattern = e.target.value; } },
      patterns.map((p) => h('option', { value: String(p.id), selected: String(p.id) === gen.pattern },
        t('ros.patternLabel', { name: p.name, n: p.shifts, hours: p.hours, start: p.first_start }))));
    const from = h('input.input', { type: 'date', id: 'ros-gen-from', testid: 'roster-gen-from', value: gen.from, oninput: (e) => { gen.from = e.target.value; } });
    const to = h('input.input', { type: 'date', id: 'ros-gen-to', testid: 'roster-gen-to', value: gen.to, oninput: (e) => { gen.to = e.target.value; } });
    const teams = h('textarea.input', { id: 'ros-gen-teams', testid: 'roster-gen-teams', rows: 3, placeholder: t('ros.teamsPlaceholder'),
      oninput: (e) => { gen.teams = e.target.value; } });
    teams.value = gen.teams;
    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'roster-gen-submit' }, icon('plus'), h('span', t('ros.generate')));
    const form = h('form.ros-gen', { testid: 'roster-gen', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const list = gen.teams.split('\n').map((l) => l.split(/[,，\s]+/).filter(Boolean)).filter((l) => l.length);
      if (!list.length) { mount(result, h('div.field-error', { testid: 'roster-gen-error', role: 'alert' }, t('ros.err.teams'))); return; }
      submit.disabled = true;
      try {
        const res = await api.post(`${api.API}/roster/generate`, { pattern_id: Number(gen.pattern), from: gen.from, to: gen.to, teams: list });
        mount(result, h('div.ros-gen-ok', { testid: 'roster-gen-ok', dataset: { created: String(res.created) } }, icon('check'), h('span', t('ros.generated', { n: res.created }))));
        toast(t('ros.generated', { n: res.created }));
        load();
      } catch (err) {
        const type = String(err.type || '').replace('/problems/', '');
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        const text = type === 'roster-overlap' ? t('ros.err.overlap')
          : fe.teams ? t('ros.err.teamsBad') : fe.to || fe.from ? t('ros.err.dates') : [err.title, err.problem && err.problem.detail].filter(Boolean).join(' ');
        mount(result, h('div.field-error', { testid: 'roster-gen-error', role: 'alert', dataset: { type } }, text));
      }
      submit.disabled = false;
    } },
    h('label.hv-label', { for: 'ros-gen-pattern' }, t('ros.pattern')), sel,
    h('div.ros-gen-row', h('div.field', h('label', { for: 'ros-gen-from' }, t('ros.from')), from), h('div.field', h('label', { for: 'ros-gen-to' }, t('ros.to')), to)),
    h('label.hv-label', { for: 'ros-gen-teams' }, t('ros.teams')), teams,
    h('p.muted', t('ros.teamsHint')),
    result,
    h('div.form-actions', submit));
    const np = { name: '', first_start: '08:00', shifts: 3, hours: 8 };
    const npMsg = h('div', { testid: 'roster-pattern-result', 'aria-live': 'polite' });
    const npForm = h('details.ros-pattern-new', { testid: 'roster-pattern-new' },
      h('summary', t('ros.patternNew')),
      h('form.ros-gen', { novalidate: true, onsubmit: async (e) => {
        e.preventDefault();
        try {
          await api.post(`${api.API}/shift-patterns`, { name: np.name.trim(), first_start: np.first_start, shifts: Number(np.shifts), hours: Number(np.hours) });
          toast(t('ros.patternSaved'));
          loadPatterns();
        } catch (err) {
          const fe = err.fieldErrors ? err.fieldErrors() : {};
          mount(npMsg, h('div.field-error', { role: 'alert', testid: 'roster-pattern-error' },
            fe.hours ? t('ros.err.pattern24') : [err.title, err.problem && err.problem.detail].filter(Boolean).join(' ')));
        }
      } },
      h('div.ros-gen-row',
        h('div.field', h('label', { for: 'ros-np-name' }, t('ros.patternName')), h('input.input', { id: 'ros-np-name', testid: 'roster-pattern-name', maxlength: 32, oninput: (e) => { np.name = e.target.value; } })),
        h('div.field', h('label', { for: 'ros-np-start' }, t('ros.patternStart')), h('input.input', { id: 'ros-np-start', type: 'time', value: np.first_start, testid: 'roster-pattern-start', oninput: (e) => { np.first_start = e.target.value; } })),
        h('div.field', h('label', { for: 'ros-np-shifts' }, t('ros.patternShifts')), h('input.input', { id: 'ros-np-shifts', type: 'number', min: 1, max: 6, value: np.shifts, testid: 'roster-pattern-shifts', oninput: (e) => { np.shifts = e.target.value; } })),
        h('div.field', h('label', { for: 'ros-np-hours' }, t('ros.patternHours')), h('input.input', { id: 'ros-np-hours', type: 'number', min: 1, max: 24, value: np.hours, testid: 'roster-pattern-hours', oninput: (e) => { np.hours = e.target.value; } }))),
      npMsg,
      h('div.form-actions', h('button.btn.btn-ghost', { type: 'submit', testid: 'roster-pattern-submit' }, t('ros.patternAdd')))));
    // The site's pattern: which shifts the duty log uses outside roster slots.
    const current = patterns.find((p) => p.site);
    const siteSel = h('select.select', { id: 'ros-site-pattern', testid: 'roster-site-pattern' },
      patterns.map((p) => h('option', { value: String(p.id), selected: !!p.site },
        t('ros.patternLabel', { name: p.name, n: p.shifts, hours: p.hours, start: p.first_start })
        + (p.site ? ` · ${t('ros.sitePatternCurrent')}` : ''))));
    const siteMsg = h('div', { testid: 'roster-site-pattern-result', 'aria-live': 'polite' });
    const siteForm = h('form.ros-gen.ros-site-pattern', { testid: 'roster-site-pattern-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const id = Number(siteSel.value);
      if (current && id === current.id) return;
      try {
        const r = await api.put(`${api.API}/site/shift-pattern`, { pattern_id: id });
        patterns = r.items || patterns;
        const p = patterns.find((x) => x.id === id);
        toast(t('ros.sitePatternSaved', { name: p ? p.name : String(id) }));
        renderGen();
      } catch (err) {
        mount(siteMsg, h('div.field-error', { role: 'alert', testid: 'roster-site-pattern-error' },
          [err.title, err.problem && err.problem.detail].filter(Boolean).join(' ')));
      }
    } },
    h('label.hv-label', { for: 'ros-site-pattern' }, t('ros.sitePattern')),
    h('div.ros-gen-row', siteSel,
      h('button.btn.btn-ghost', { type: 'submit', testid: 'roster-site-pattern-save' }, t('ros.sitePatternSave'))),
    h('p.muted', t('ros.sitePatternHint')),
    siteMsg);
    mount(genHost, h('section.panel', { testid: 'roster-gen-panel' },
      h('div.panel-head', h('h2', t('ros.genTitle')), h('span.chip.ref-chip', 'S1')),
      h('div.panel-body', siteForm, form, npForm)));
  }

  sync();
  renderSide();
  if (canWrite) loadPatterns();
  load();
  people.loadUsers().then((ok) => { if (ok && !destroyed) { renderForm(); if (slots) renderWeek(); } });

  const reload = debounce(() => { if (!destroyed) load(); }, 250);
  const ticker = setInterval(() => {
    if (destroyed) return;
    // The now line moves; a new day or week is picked up by a reload.
    for (const n of el.querySelectorAll('.rs-now')) n.style.left = pct(axisPos(days, Date.now()));
  }, 60000);
  return {
    onEvent(ev) {
      if (ev.type === 'roster' || ev.type === 'reset') reload();
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}
