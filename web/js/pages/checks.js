// 检查计划 The calendar of checks (#/checks, R4.2-R4.7, R3.1): the sheets due or
// overdue now (periods without a record) with a Fill button, and this month's
// calendar: one row per sheet, one cell per period (done, failed, due,
// overdue, upcoming); a done or failed cell opens its signed record. One
// signed record, read-only (who signed, when, the template version, each
// item's result and the fault tickets it opened): #/checks?record=ID, the link
// a ticket opened by a failed item gives. Filling a sheet: #/checks/TEMPLATE_ID
// (check-fill.js).

import { t, lang } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, pageHeader, loadingState, errorBanner, emptyState, formatDateTime, siteDate, siteDayStart } from '../ui.js';
import { taskBadge, sheetName } from '../equipment-ui.js';
import { ticketTitle } from '../equipment-text.js';

// The site's calendar month `offset` months from the one `now` falls in (in the
// site's time zone, ui.js timeZone(), whatever the browser's own zone is):
// {from, to} its first instant and the next month's, `label` 'YYYY-MM'.
export function monthBounds(offset, now = new Date()) {
  const [y, m] = siteDate(now).split('-').map(Number);
  const first = (k) => new Date(Date.UTC(y, m - 1 + k, 1)).toISOString().slice(0, 10);
  const ymd = first(offset);
  return { from: siteDayStart(ymd), to: siteDayStart(first(offset + 1)), label: ymd.slice(0, 7) };
}

export default function checksPage(el, ctx) {
  let destroyed = false;
  let month = 0;
  const canFill = ctx.can('check.fill');
  const dueHost = h('div', loadingState());
  const calHost = h('div', loadingState());
  const monthLabel = h('span.ck-month', { testid: 'ck-month' });
  const nav = h('div.ck-month-nav',
    h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'ck-prev', onclick: () => { month--; loadCal(); } }, '‹'),
    monthLabel,
    h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'ck-next', onclick: () => { month++; loadCal(); } }, '›'));

  const recordId = Number(ctx.params.get('record')) || 0;
  const recordHost = recordId ? h('section.panel', { testid: 'ck-record' }, loadingState()) : null;

  mount(el, pageHeader(t('eq.checksTitle'), t('eq.checksSubtitle')),
    recordHost,
    h('section.panel', { testid: 'ck-due' }, h('div.panel-head', h('h2', t('eq.dueNow'))), dueHost),
    h('section.panel', { testid: 'ck-calendar' }, h('div.panel-head', h('h2', t('eq.calendar')), nav), calHost));

  async function loadDue() {
    try {
      const res = await api.get(`${api.API}/checks/due`);
      if (destroyed) return;
      if (!res.items.length) { mount(dueHost, emptyState(t('eq.nothingDue'))); return; }
      mount(dueHost, h('div.ck-tasks', res.items.map((task) => h('div.ck-task', { testid: 'ck-task', dataset: { code: task.code, status: task.status } },
        h('div.ck-task-name', sheetName(task, lang())), h('span.chip', task.clause), taskBadge(task.status),
        h('span.ck-task-due', t('eq.dueBy', { at: formatDateTime(task.due_at) })),
        canFill && task.status !== 'upcoming'
          ? h('a.btn.btn-primary.eq-touch', { href: `#/checks/${task.template_id}?period=${encodeURIComponent(task.period_start)}`, testid: `ck-fill-${task.code}` }, t('eq.fill'))
          : null))));
    } catch (err) {
      if (!destroyed) mount(dueHost, errorBanner(err, loadDue));
    }
  }

  async function loadCal() {
    const { from, to, label } = monthBounds(month);
    monthLabel.textContent = label;
    try {
      const res = await api.get(`${api.API}/checks/calendar`, { from: from.toISOString(), to: to.toISOString() });
      if (destroyed) return;
      const byCode = new Map();
      for (const c of res.items) {
        if (!byCode.has(c.code)) byCode.set(c.code, []);
        byCode.get(c.code).push(c);
      }
      if (!byCode.size) { mount(calHost, emptyState(t('eq.noSheets'))); return; }
      mount(calHost, h('div.ck-cal', [...byCode.values()].map((cells) => h('div.ck-cal-row', { testid: 'ck-cal-row', dataset: { code: cells[0].code } },
        h('div.ck-cal-name', sheetName(cells[0], lang()), h('span.chip', cells[0].clause)),
        h('div.ck-cal-cells', cells.map((c) => h(`${c.record_id ? 'a' : 'span'}.ck-cell.ck-status-${c.status}`, {
          testid: 'ck-cell', dataset: { status: c.status, record: c.record_id ? String(c.record_id) : '' },
          href: c.record_id ? `#/checks?record=${c.record_id}` : null,
          title: `${formatDateTime(c.period_start)} — ${t(`eqTaskStatus.${c.status}`)}${c.filled_by ? ` · ${c.filled_by}` : ''}` })))))));
    } catch (err) {
      if (!destroyed) mount(calHost, errorBanner(err, loadCal));
    }
  }

  const itemText = (it) => (it.text ? (lang() === 'en' ? it.text.en : it.text['zh-CN']) : it.id);
  function answerText(it, a) {
    if (!a) return t('common.none');
    const parts = [];
    if (a.result) parts.push(t(a.result === 'fail' ? 'eq.fail' : 'eq.pass'));
    if (a.value !== undefined && a.value !== null) parts.push(`${a.value}${it.unit ? ` ${it.unit}` : ''}`);
    if (a.note) parts.push(a.note);
    return parts.join(' · ') || t('common.none');
  }

  async function loadRecord() {
    try {
      const r = await api.get(`${api.API}/checks/records/${recordId}`);
      if (destroyed) return;
      const answers = new Map((r.answers || []).map((a) => [a.item, a]));
      const items = (r.template && r.template.items) || [];
      mount(recordHost,
        h('div.panel-head', h('h2', t('eq.recordTitle', { id: r.id, sheet: sheetName(r, lang()) })),
          h('a.btn.btn-ghost.btn-sm', { href: '#/checks', testid: 'ck-record-close' }, t('eq.backToChecks'))),
        h('p.ck-record-meta', { testid: 'ck-record-meta', dataset: { result: r.result } },
          t('eq.recordMeta', { who: r.filled_by_name || r.filled_by, at: formatDateTime(r.filled_at), period: formatDateTime(r.period_start), version: r.version }),
          ' ', taskBadge(r.result === 'fail' ? 'failed' : 'done')),
        h('ol.ck-record-items', items.map((it) => {
          const a = answers.get(it.id);
          return h(`li.ck-record-item${a && a.result === 'fail' ? '.ck-record-fail' : ''}`, { testid: 'ck-record-item', dataset: { item: it.id, result: (a && a.result) || '' } },
            h('span.ck-record-text', itemText(it)), h('span.ck-record-answer', answerText(it, a)));
        })),
        r.note ? h('p', r.note) : null,
        (r.tickets || []).length ? h('div.ck-record-tickets', h('strong', t('eq.recordTickets')), ' ',
          r.tickets.map((tk) => h('a.ck-ticket-link', { href: `#/tickets/${tk.ticket_id}`, testid: 'ck-record-ticket' }, `#${tk.ticket_id} ${ticketTitle(tk.title, tk.title_en)}`))) : null);
    } catch (err) {
      if (!destroyed) mount(recordHost, errorBanner(err, loadRecord));
    }
  }

  if (recordId) loadRecord();
  loadDue();
  loadCal();
  return {
    onEvent(ev) { if (ev.type === 'check' || ev.type === 'reset') { loadDue(); loadCal(); } },
    destroy() { destroyed = true; },
  };
}
