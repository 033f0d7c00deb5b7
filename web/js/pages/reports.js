// 报表 Reports for superiors (#/reports; R3.4.9). Choose daily / weekly / monthly
// and a date; the figures come from GET /api/v1/reports (JSON) and the sheet with
// its SVG charts from the same report as HTML (drawn by vigild, parsed here with
// DOMParser, never executed). Download CSV or JSON, open the printable A4 page,
// and browse the archive of reports the daemon generated on schedule.

import { t, lang } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, pageHeader, loadingState, errorBanner, emptyState, siteDate, isDateString, table, formatDateTime, formatNumber, icon } from '../ui.js';

const KINDS = ['daily', 'weekly', 'monthly'];
const fmtNum = (v, suffix = '') => (v === null || v === undefined ? t('common.none') : `${formatNumber(v)}${suffix}`);

// The URL of the report (on demand, or an archived one) in a format.
function reportUrl(sel, format) {
  const q = new URLSearchParams({ format, lang: lang() });
  if (sel.archiveId) return `${api.API}/reports/archive/${sel.archiveId}?${q}`;
  q.set('kind', sel.kind);
  q.set('date', sel.date);
  return `${api.API}/reports?${q}`;
}

export default function reportsPage(el, ctx) {
  let destroyed = false;
  const today = siteDate();
  const sel = { kind: KINDS.includes(ctx.params.get('kind')) ? ctx.params.get('kind') : 'daily',
    date: isDateString(ctx.params.get('date')) ? ctx.params.get('date') : today, archiveId: 0 };
  const kindSel = h('select', { testid: 'report-kind', 'aria-label': t('reports.kind') },
    KINDS.map((k) => h('option', { value: k, selected: k === sel.kind }, t(`reports.kind.${k}`))));
  const dateIn = h('input', { type: 'date', testid: 'report-date', value: sel.date, max: today, 'aria-label': t('reports.date') });
  const dateErr = h('div.field-error', { testid: 'report-date-error' });
  const show = h('button.btn.btn-primary', { type: 'submit', testid: 'report-show' }, t('reports.show'));
  const form = h('form.rp-form', { testid: 'report-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); choose(); } },
    h('label.field', h('span.field-label', t('reports.kind')), kindSel),
    h('label.field', h('span.field-label', t('reports.date')), dateIn, dateErr),
    show);
  const actions = h('div.rp-actions', { testid: 'report-actions' });
  const cards = h('div.rp-cards', { testid: 'report-cards' });
  const sheet = h('div.rp-sheet.report', { testid: 'report-sheet' }, loadingState());
  const heading = h('h2', { testid: 'report-heading' });
  const archiveHost = h('div', { testid: 'report-archive' }, loadingState());

  mount(el,
    pageHeader(t('reports.title'), t('reports.subtitle')),
    h('section.panel.rp-controls', form),
    h('section.panel.rp-view',
      h('div.panel-head', heading, h('span.chip.ref-chip', 'R3.4.9'), actions),
      cards, sheet),
    h('section.panel.rp-archive',
      h('div.panel-head', h('h2', t('reports.archive')), h('span.panel-meta', t('reports.archiveHint'))),
      archiveHost));

  function choose() {
    dateErr.textContent = '';
    if (!isDateString(dateIn.value)) { dateErr.textContent = t('reports.badDate'); return; }
    sel.kind = kindSel.value;
    sel.date = dateIn.value;
    sel.archiveId = 0;
    load();
  }

  function renderActions(rep) {
    const base = `vigil-${rep.kind}-${rep.label}`;
    mount(actions,
      h('a.btn.btn-ghost.btn-sm', { href: reportUrl(sel, 'csv'), download: `${base}.csv`, testid: 'report-csv' }, icon('download'), h('span', t('reports.csv'))),
      h('a.btn.btn-ghost.btn-sm', { href: reportUrl(sel, 'json'), download: `${base}.json`, testid: 'report-json' }, icon('download'), h('span', t('reports.json'))),
      h('a.btn.btn-ghost.btn-sm', { href: reportUrl(sel, 'html'), target: '_blank', rel: 'noopener', testid: 'report-print' }, icon('print'), h('span', t('reports.print'))));
  }

  function card(id, label, value) {
    return h('div.rp-card', { testid: `report-card-${id}` }, h('div.rp-card-label', label), h('div.rp-card-value', value));
  }

  function renderCards(rep) {
    const inc = rep.incidents || {};
    const ack = (rep.response && rep.response.to_acknowledge) || {};
    const cp = rep.complaints || {};
    const rate = inc.false_alarm_rate === null || inc.false_alarm_rate === undefined ? null : Math.round(inc.false_alarm_rate * 1000) / 10;
    mount(cards,
      card('alarms', t('reports.card.alarms'), fmtNum(rep.alarms && rep.alarms.total)),
      card('incidents', t('reports.card.incidents'), fmtNum(inc.total)),
      card('false-rate', t('reports.card.falseRate'), fmtNum(rate, '%')),
      card('ack-median', t('reports.card.ackMedian'), fmtNum(ack.median_s, t('reports.seconds'))),
      card('complaints', t('reports.card.complaints'), `${fmtNum(cp.received)} / ${fmtNum(cp.closed)}`),
      card('down', t('reports.card.down'), fmtNum(rep.facility && rep.facility.down_hours_total, t('reports.hours'))));
  }

  // The sheet: the <main> of the HTML rendering (tables and inline SVG charts).
  async function loadSheet() {
    const res = await fetch(reportUrl(sel, 'html'), { credentials: 'same-origin' });
    if (!res.ok) throw new api.ApiError(res.status, await res.json().catch(() => null));
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    for (const s of doc.querySelectorAll('script')) s.remove();
    const main = doc.querySelector('main');
    return main ? document.adoptNode(main) : emptyState();
  }

  let seq = 0;
  async function load() {
    const my = ++seq;
    sheet.classList.add('busy');
    try {
      const [rep, main] = await Promise.all([
        api.get(sel.archiveId ? `${api.API}/reports/archive/${sel.archiveId}` : `${api.API}/reports`,
          sel.archiveId ? { lang: lang() } : { kind: sel.kind, date: sel.date }),
        loadSheet(),
      ]);
      if (destroyed || my !== seq) return;
      heading.textContent = `${t(`reports.kind.${rep.kind}`)} · ${rep.label}`;
      heading.dataset.label = rep.label;
      heading.dataset.kind = rep.kind;
      renderActions(rep);
      renderCards(rep);
      mount(sheet,
        rep.complete ? null : h('div.banner.banner-info', { testid: 'report-running' }, icon('clock'), h('div.banner-body', t('reports.running'))),
        sel.archiveId ? h('div.banner.banner-info', { testid: 'report-archived' }, icon('archive'),
          h('div.banner-body', t('reports.archivedAt', { at: formatDateTime(rep.archive && rep.archive.generated_at) }))) : null,
        main);
    } catch (err) {
      if (destroyed || my !== seq) return;
      const fe = err.fieldErrors ? err.fieldErrors() : {};
      if (fe.date) dateErr.textContent = err.title + (err.problem && err.problem.detail ? ` — ${err.problem.detail}` : '');
      mount(cards);
      mount(actions);
      mount(sheet, errorBanner(err, load));
    }
    sheet.classList.remove('busy');
  }

  async function loadArchive() {
    try {
      const out = await api.get(`${api.API}/reports/archive`, { limit: 100 });
      if (destroyed) return;
      const items = (out && out.items) || [];
      if (!items.length) { mount(archiveHost, emptyState(t('reports.archiveEmpty'), t('reports.archiveEmptyHint'))); return; }
      mount(archiveHost, table([
        { key: 'kind', label: t('reports.col.kind'), cell: (r) => t(`reports.kind.${r.kind}`) },
        { key: 'label', label: t('reports.col.label') },
        { key: 'generated_at', label: t('reports.col.generated'), cell: (r) => formatDateTime(r.generated_at) },
        { key: 'open', label: '', cell: (r) => h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'archive-open',
          onclick: () => { sel.archiveId = r.id; load(); heading.scrollIntoView({ block: 'start' }); } }, t('reports.open')) },
      ], items, { rowTestid: 'archive-row', testid: 'archive-table', rowAttrs: (r) => ({ dataset: { id: String(r.id), label: r.label } }) }));
    } catch (err) {
      if (!destroyed) mount(archiveHost, errorBanner(err, loadArchive));
    }
  }

  load();
  loadArchive();
  return { destroy() { destroyed = true; } };
}
