// The duty desk's strip on the overview (issue 4): staffing gaps, under-trained
// and over-long slots over the coming two weeks (GET /coverage, duty.read) and
// the visitors still in the control room (GET /room-entries?open=1,
// register.read), and the recording requests awaiting the manager (GET
// /recordings?state=requested, recording.read; marked for the manager, who
// decides them). Each links to its page.

import { t } from './i18n.js';
import { h, siteDate, siteDayStart, addDays } from './ui.js';

const DAYS = 14;

export function deskOverviewCard(ctx, api) {
  if (!ctx.can('duty.read') && !ctx.can('register.read')) return null;
  const stat = (href, testid) => h('a.stat', { href, testid },
    h('div.stat-body', h('div.stat-value', '…'), h('div.stat-label', '')));
  const cov = stat('#/roster', 'stat-coverage');
  const room = stat('#/room-entries', 'stat-room');
  const rec = stat('#/recordings', 'stat-recordings');
  const set = (el, value, label, hot) => {
    el.querySelector('.stat-value').textContent = String(value);
    el.querySelector('.stat-label').textContent = label;
    el.classList.toggle('stat-alert', !!hot);
  };
  (async () => {
    try {
      if (ctx.can('duty.read')) {
        const today = siteDate();
        const c = await api.get(`${api.API}/coverage`, { from: siteDayStart(today).toISOString(), to: siteDayStart(addDays(today, DAYS)).toISOString() });
        const gaps = (c.gaps || []).length, untrained = (c.untrained_slots || []).length, long = (c.long_slots || []).length;
        cov.dataset.gaps = String(gaps);
        cov.dataset.untrained = String(untrained);
        cov.dataset.long = String(long);
        set(cov, gaps, t('ov.coverage', { days: DAYS }), gaps || untrained || long);
        cov.title = t('ov.coverageDetail', { min: c.min_staff, untrained, long });
      } else cov.remove();
      if (ctx.can('register.read')) {
        const n = await api.count('room-entries', { open: 1 });
        room.dataset.open = String(n);
        set(room, n, t('ov.roomOpen'), false);
      } else room.remove();
      if (ctx.can('recording.read')) {
        const n = await api.count('recordings', { state: 'requested' });
        rec.dataset.pending = String(n);
        set(rec, n, t('ov.recordingsPending'), n > 0 && ctx.can('recording.approve'));
      } else rec.remove();
    } catch { /* the strip is a convenience; the pages show errors */ }
  })();
  return h('section.stats.eq-overview', { testid: 'overview-desk' }, cov, room, rec);
}
