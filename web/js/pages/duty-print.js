// 值班日志 printable sheet (#/duty-log/print?date=&category=&shift=): the paper duty
// log of a day or of one shift — site and date, a table time / author / category / entry, and the
// 交班人 / 接班人 signature lines. On screen it is a white sheet under a small
// toolbar; printed (css @media print) only the sheet is on the paper.

import { t, tEnum } from '../i18n.js';
import { h, mount, icon, loadingState, errorBanner, emptyState, formatTime, formatDateTime, formatNumber, formatSiteDay, timeZone, siteDate } from '../ui.js';
import { dutyQuery, loadDay, loadShifts, shiftLabel, sameInstant, authorName, amendedBy, entryText } from '../duty-ui.js';

export default function dutyPrint(el, ctx) {
  let destroyed = false;
  if (ctx.sub !== 'print') {
    mount(el, emptyState(t('app.pageNotFound')));
    return null;
  }
  const q = dutyQuery(ctx.params);
  const ps = new URLSearchParams({ date: q.date });
  if (q.category) ps.set('category', q.category);
  if (q.shift) ps.set('shift', q.shift);
  let shift = null; // the one shift printed, or null for the whole day
  const site = ctx.site || {};
  const user = ctx.user || {};

  const toolbar = h('div.print-toolbar', { testid: 'duty-print-toolbar' },
    h('a.btn.btn-ghost', { href: `#/duty-log?${ps}`, testid: 'duty-print-back' }, icon('back'), h('span', t('duty.print.back'))),
    h('span.print-hint', t('duty.print.hint')),
    h('button.btn.btn-primary', { type: 'button', testid: 'duty-print-now', onclick: () => window.print() }, icon('print'), h('span', t('duty.print'))));
  const sheetHost = h('div.paper-host', loadingState());
  mount(el, toolbar, sheetHost);

  function content(e) {
    const by = amendedBy(e);
    return [
      e.auto ? h('span.paper-tag', t('duty.print.system')) : null,
      e.amends_id ? h('span.paper-mark', t('duty.print.amends', { id: e.amends_id })) : null,
      h('span.paper-text', entryText(e)),
      e.incident_id ? h('span.paper-ref', t('duty.print.incident', { id: e.incident_id })) : null,
      by.length ? h('span.paper-mark', t('duty.print.amended', { refs: by.map((id) => `#${id}`).join(t('duty.print.refSep')) })) : null,
    ];
  }

  function sheet(entries) {
    const heading = site.name ? t('duty.print.heading', { site: site.name }) : t('duty.title');
    return h('article.paper', { testid: 'duty-paper' },
      h('header.paper-head',
        h('h1.paper-title', { testid: 'duty-paper-title' }, heading),
        h('div.paper-meta',
          h('span', { testid: 'duty-paper-date' }, t('duty.print.date', { date: q.date, day: formatSiteDay(q.date) })),
          h('span', { testid: 'duty-paper-shift' }, t('duty.print.shift', { shift: shift ? shiftLabel(shift) : t('duty.shift.all') })),
          h('span', t('duty.print.category', { category: q.category ? tEnum('dutyCategory', q.category) : t('common.all') })),
          h('span', t('duty.print.timezone', { tz: timeZone() })))),
      h('table.paper-table', { testid: 'duty-paper-table' },
        h('colgroup', h('col.pc-no'), h('col.pc-time'), h('col.pc-author'), h('col.pc-cat'), h('col.pc-text')),
        h('thead', h('tr',
          h('th', t('duty.print.col.no')), h('th', t('duty.print.col.time')), h('th', t('duty.print.col.author')),
          h('th', t('duty.print.col.category')), h('th', t('duty.print.col.text')))),
        h('tbody', entries.length === 0
          ? h('tr', h('td.paper-empty', { colspan: '5' }, t('duty.print.empty')))
          : entries.map((e) => h('tr', { testid: 'duty-paper-row', dataset: { id: String(e.id), auto: String(!!e.auto) }, class: e.auto ? 'paper-auto' : '' },
            h('td.paper-no', String(e.id)),
            // A night shift runs past midnight: its next-day entries carry their date.
            h('td.paper-time', siteDate(new Date(e.at)) === q.date ? formatTime(new Date(e.at))
              : `${siteDate(new Date(e.at)).slice(5)} ${formatTime(new Date(e.at))}`),
            h('td', authorName(e)),
            h('td', tEnum('dutyCategory', e.category)),
            h('td', content(e)))))),
      h('div.paper-total', t('duty.print.total', { total: formatNumber(entries.length) })),
      h('footer.paper-sign', { testid: 'duty-paper-sign' },
        h('div.sign-line', h('span.sign-label', t('duty.print.handoverBy')), h('span.sign-blank')),
        h('div.sign-line', h('span.sign-label', t('duty.print.takenBy')), h('span.sign-blank')),
        h('div.sign-line', h('span.sign-label', t('duty.print.handoverAt')), h('span.sign-blank'))),
      h('div.paper-foot',
        h('span', t('duty.print.printedAt', { time: formatDateTime(new Date()), who: user.display_name || user.username || '' })),
        h('span', t('duty.print.retention'))));
  }

  (async () => {
    try {
      const [items, day] = await Promise.all([loadDay(q), q.shift ? loadShifts(q.date) : []]);
      if (destroyed) return;
      shift = day.find((s) => sameInstant(s.start, q.shift)) || (q.shift ? { start: q.shift, end: q.shift } : null);
      document.title = `${t('nav.duty-log')} ${q.date} · ${t('app.name')}`;
      mount(sheetHost, sheet(items));
    } catch (err) {
      if (!destroyed) mount(sheetHost, errorBanner(err));
    }
  })();

  return { destroy() { destroyed = true; } };
}
