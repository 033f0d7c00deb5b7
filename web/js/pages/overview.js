// 总览 Overview: site counts, devices by status and kind, devices needing
// attention, the live activity feed.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, statusBadge, formatNumber,
  formatTime, formatDateTime, timeCell, debounce } from '../ui.js';
import { DEVICE_KINDS, DEVICE_STATUSES } from '../enums.js';
import { overviewCard } from '../equipment-ui.js';
import { deskOverviewCard } from '../desk-overview.js';

const STATS = [
  { key: 'areas', icon: 'areas', href: '#/areas' },
  { key: 'devices', icon: 'control_room', href: '#/areas' },
  { key: 'devices_fault', icon: 'alert', href: '#/areas?status=fault', alert: true },
  { key: 'residents', icon: 'residents', href: '#/residents', perm: 'resident.read' },
  { key: 'users', icon: 'users', href: '#/users', perm: 'user.read' },
];

export function describeEvent(ev) {
  const d = (ev.data && typeof ev.data === 'object') ? ev.data : {};
  switch (ev.type) {
    case 'hello': return t('event.hello');
    case 'audit': return t('event.audit', { actor: d.actor || t('common.none'), action: tEnum('action', d.action), object: d.object || '' }).trim();
    case 'device.status': return t('event.device.status', { name: d.name || d.code || t('event.deviceRef', { id: d.id }), status: tEnum('status', d.status) });
    case 'user.changed': return t('event.user.changed', { name: d.display_name || d.username || t('event.userRef', { id: d.id }) });
    case 'alarm': return t('event.alarm', { account: d.account || '', zone: d.zone || t('common.none'), code: d.code || '', kind: tEnum('alarmKind', d.kind) });
    case 'incident': return t('event.incident', { id: d.id, type: tEnum('incidentType', d.type), state: tEnum('incidentState', d.state) });
    case 'reset': return t('event.reset');
    case 'escalation': return Number.isFinite(d.complaint_id)
      ? t('event.escalationComplaint', { id: d.complaint_id, to: d.to || d.level || '' })
      : t('event.escalation', { id: d.incident_id, to: d.to || d.level || '' });
    case 'complaint': return t('event.complaint', { id: d.id });
    case 'handover': return t('event.handover', { id: d.id, action: tEnum('hvAction', d.action) });
    case 'handoff': return t('event.handoff', { area: d.area_name || '' });
    case 'duty': return t('event.duty', { category: tEnum('dutyCategory', d.category) });
    case 'line_use.flagged': return t('event.line_use.flagged', { id: d.id });
    case 'roster': return tEnum('action', d.action);   // 添加排班 / 记录培训 / 上班打卡 …
    default: return ev.type;
  }
}

export default function overview(el, ctx) {
  let destroyed = false;
  let feedEl = null;
  let updatedEl = null;

  const refreshBtn = h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'overview-refresh', onclick: () => load() },
    icon('refresh'), h('span', t('common.refresh')));

  async function load() {
    refreshBtn.disabled = true;
    try {
      const site = await api.get(`${api.API}/site`);
      // The daemon may send counts.devices_by_status ([{status, n}]); else count per status.
      const given = site && site.counts && Array.isArray(site.counts.devices_by_status) ? site.counts.devices_by_status : null;
      const [byStatus, byKind, fault, offline] = await Promise.all([
        given
          ? DEVICE_STATUSES.map((s) => given.filter((x) => x && x.status === s).reduce((a, x) => a + (Number(x.n) || 0), 0))
          : Promise.all(DEVICE_STATUSES.map((s) => api.count('devices', { status: s }))),
        Promise.all(DEVICE_KINDS.map((k) => api.count('devices', { kind: k }))),
        api.list('devices', { status: 'fault', limit: 8 }),
        api.list('devices', { status: 'offline', limit: 8 }),
      ]);
      if (destroyed) return;
      render(site, byStatus, byKind, [...fault.items, ...offline.items], fault.total + offline.total);
    } catch (err) {
      if (destroyed) return;
      mount(el, pageHeader(t('overview.title'), t('overview.subtitle'), refreshBtn), errorBanner(err, () => load()));
    } finally {
      refreshBtn.disabled = false;
    }
  }

  function statCards(counts) {
    return h('section.stats', { testid: 'overview-stats' },
      STATS.map((s) => {
        const v = counts && Number.isFinite(counts[s.key]) ? counts[s.key] : null;
        const hot = s.alert && v > 0;
        const linkable = !s.perm || ctx.can(s.perm);
        return h(linkable ? 'a.stat' : 'div.stat', {
          href: linkable ? s.href : undefined, testid: `stat-${s.key}`, class: hot ? 'stat-alert' : '',
          dataset: { value: v === null ? '' : String(v) },
        },
        h('div.stat-icon', icon(s.icon)),
        h('div.stat-body', h('div.stat-value', v === null ? t('common.none') : formatNumber(v)), h('div.stat-label', t(`overview.stat.${s.key}`))));
      }));
  }

  function statusPanel(byStatus) {
    const total = byStatus.reduce((a, b) => a + b, 0);
    const normal = byStatus[0];
    const pct = total ? Math.round((normal / total) * 1000) / 10 : 0;
    return h('section.panel', { testid: 'status-breakdown' },
      h('div.panel-head', h('h2', t('overview.byStatus')),
        total ? h('span.panel-meta', t('overview.healthy', { pct: formatNumber(pct) })) : null),
      total === 0 ? emptyState(t('areas.devicesEmpty')) : [
        h('div.stackbar', { role: 'img', 'aria-label': t('overview.byStatus') },
          DEVICE_STATUSES.map((s, i) => byStatus[i] ? h(`span.seg.status-${s}`, { style: { flexGrow: String(byStatus[i]) }, title: `${tEnum('status', s)}: ${byStatus[i]}` }) : null)),
        h('ul.legend',
          DEVICE_STATUSES.map((s, i) => h('li',
            h('a', { href: `#/areas?status=${s}`, testid: `status-count-${s}`, dataset: { count: String(byStatus[i]) } },
              statusBadge(s), h('span.legend-count', formatNumber(byStatus[i])),
              h('span.legend-pct', total ? `${formatNumber(Math.round((byStatus[i] / total) * 1000) / 10)}%` : ''))))),
      ]);
  }

  function kindPanel(byKind) {
    const max = Math.max(1, ...byKind);
    return h('section.panel', { testid: 'kind-breakdown' },
      h('div.panel-head', h('h2', t('overview.byKind'))),
      h('ul.bars',
        DEVICE_KINDS.map((k, i) => h('li', { dataset: { kind: k } },
          h('a.bar-label', { href: `#/areas?kind=${k}` }, tEnum('deviceKind', k)),
          h('span.bar-track', h('span.bar-fill', { style: { width: `${(byKind[i] / max) * 100}%` } })),
          h('span.bar-value', formatNumber(byKind[i]))))));
  }

  function attentionPanel(devices, total) {
    return h('section.panel.panel-attention', { testid: 'attention' },
      h('div.panel-head', h('h2', t('overview.attention')),
        total ? h('span.count-pill.pill-alert', formatNumber(total)) : null,
        h('a.panel-link', { href: '#/areas' }, t('overview.viewAll'))),
      devices.length === 0
        ? emptyState(t('overview.attentionEmpty'))
        : h('ul.attention-list', devices.map((d) => h('li', { testid: 'attention-row', dataset: { status: d.status } },
          statusBadge(d.status),
          h('div.att-main', h('span.att-name', d.name), h('span.att-meta', [tEnum('deviceKind', d.kind), d.area_name].filter(Boolean).join(' · '))),
          h('span.att-time', timeCell(d.status_changed_at))))));
  }

  function feedItems() {
    const evs = ctx.events().slice(0, 14);
    if (!evs.length) return emptyState(t('overview.liveEmpty'));
    return h('ul.feed', evs.map((e) => h('li', { testid: 'feed-item', dataset: { type: e.type } },
      h('span.feed-time', formatTime(e.at)),
      h(`span.feed-type.ft-${e.type.replace('.', '-')}`, { 'aria-hidden': 'true' }),
      h('span.feed-text', describeEvent(e)))));
  }

  function feedPanel() {
    feedEl = h('div.feed-wrap', feedItems());
    return h('section.panel', { testid: 'live-feed' },
      h('div.panel-head', h('h2', t('overview.live'))),
      feedEl);
  }

  function sitePanel(site) {
    return h('section.panel', { testid: 'site-info' },
      h('div.panel-head', h('h2', t('overview.siteInfo'))),
      h('dl.kv',
        h('dt', t('top.site')), h('dd', site.name || t('common.none')),
        h('dt', t('overview.address')), h('dd', site.address || t('common.none')),
        h('dt', t('overview.timezone')), h('dd', site.timezone || t('common.none'))));
  }

  function render(site, byStatus, byKind, attention, attentionTotal) {
    updatedEl = h('span.updated', { testid: 'overview-updated' }, t('common.updatedAt', { time: formatDateTime(new Date().toISOString()) }));
    mount(el,
      pageHeader(t('overview.title'), site.name ? `${site.name} · ${t('overview.subtitle')}` : t('overview.subtitle'), updatedEl, refreshBtn),
      statCards(site.counts || {}),
      overviewCard(ctx, api),
      deskOverviewCard(ctx, api),
      h('div.grid-2',
        statusPanel(byStatus),
        kindPanel(byKind)),
      h('div.grid-3',
        attentionPanel(attention, attentionTotal),
        feedPanel(),
        sitePanel(site)));
  }

  const reload = debounce(() => { if (!destroyed) load(); }, 1500);

  mount(el, pageHeader(t('overview.title'), t('overview.subtitle'), refreshBtn), loadingState());
  load();

  return {
    onEvent(ev) {
      if (feedEl) mount(feedEl, feedItems());
      if (ev.type === 'device.status' || (ev.type === 'audit' && ev.data && /^(device|area|resident|user)\./.test(ev.data.action || ''))) reload();
    },
    destroy() { destroyed = true; },
  };
}
