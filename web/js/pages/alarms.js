// 报警台 Alarm console: the live queue of open incidents by priority then age,
// updated from the SSE stream. One key press acknowledges (确认接警): the top
// unacknowledged incident is selected; Enter or A acknowledges the selected
// one; ↑/↓ move the selection; O opens the incident page; M mutes the sound.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import * as center from '../alarm-center.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, formatTime, formatNumber, toast } from '../ui.js';
import { typeIcon, typeLabel, priorityBadge, stateBadge, locationBlock, elapsedEl, tickElapsed, incidentHeadline } from '../incident-ui.js';

const FLASH_MS = 8000;

export default function alarms(el, ctx) {
  const canHandle = ctx.can('incident.handle');
  let destroyed = false;
  let selectedId = null;
  let manual = false;        // the operator moved the selection by hand
  let lastAck = 0;
  const acking = new Set();

  const summaryHost = h('section.aq-summary', { testid: 'alarm-summary' });
  const errHost = h('div', { testid: 'alarm-error-host' });
  const listbox = h('div.aq-list', {
    role: 'listbox', tabindex: '0', testid: 'alarm-queue', 'aria-label': t('alarms.queue'),
  });
  const bodyHost = h('div.aq-body', loadingState());
  const countEl = h('span.count-pill', { testid: 'alarm-queue-count' });

  const kbd = (k) => h('kbd', k);
  const hints = h('div.kbd-hints', { testid: 'alarm-hints', 'aria-label': t('alarms.hints') },
    icon('keyboard', 'kbd-icon'),
    h('span', kbd('↑'), kbd('↓'), ' ', t('alarms.hint.move')),
    canHandle ? h('span', kbd('Enter'), '/', kbd('A'), ' ', t('alarms.hint.ack')) : null,
    h('span', kbd('O'), ' ', t('alarms.hint.open')),
    h('span', kbd('M'), ' ', t('alarms.hint.mute')));

  mount(el,
    pageHeader(t('alarms.title'), t('alarms.subtitle'),
      h('a.btn.btn-ghost', { href: '#/incidents', testid: 'alarm-history-link' }, icon('history'), h('span', t('alarms.history')))),
    summaryHost,
    errHost,
    h('section.panel.aq-panel', { testid: 'alarm-queue-panel' },
      h('div.panel-head', h('h2', t('alarms.queue')), countEl, hints),
      bodyHost));

  function select(id, byHand) {
    selectedId = id;
    if (byHand) manual = true;
    for (const r of listbox.querySelectorAll('.aq-row')) {
      const on = Number(r.dataset.id) === id;
      r.classList.toggle('selected', on);
      r.setAttribute('aria-selected', String(on));
      if (on) { listbox.setAttribute('aria-activedescendant', r.id); r.scrollIntoView({ block: 'nearest' }); }
    }
  }

  function reconcile(list) {
    if (selectedId !== null && !list.some((i) => i.id === selectedId)) { selectedId = null; manual = false; }
    if (!manual || selectedId === null) {
      const top = list.find((i) => i.state === 'new') || list[0];
      selectedId = top ? top.id : null;
    }
  }

  function openIncident(id) { location.hash = `#/incidents/${id}`; }

  async function ack(id) {
    if (!canHandle) { toast(t('common.forbidden'), 'error'); return; }
    if (acking.has(id) || Date.now() - lastAck < 400) return;
    acking.add(id);
    lastAck = Date.now();
    render();
    try {
      const row = await api.post(`${api.API}/incidents/${id}/transition`, { to: 'acknowledged' });
      if (destroyed) return;
      manual = false;
      mount(errHost);
      center.upsert(row);
      toast(t('alarms.acked', { what: incidentHeadline(row) }));
    } catch (err) {
      if (destroyed) return;
      mount(errHost, errorBanner(err));
    } finally {
      acking.delete(id);
      if (!destroyed) render();
    }
  }

  function summary(list) {
    const c = center.counts();
    const working = list.filter((i) => i.state !== 'new').length;
    const tile = (key, value, cls, ic) => h(`div.aq-tile${cls ? '.' + cls : ''}`, { testid: `alarm-stat-${key}`, dataset: { value: String(value) } },
      h('div.aq-tile-icon', icon(ic)),
      h('div.aq-tile-body', h('div.aq-tile-value', formatNumber(value)), h('div.aq-tile-label', t(`alarms.stat.${key}`))));
    return [
      tile('new', c.new, c.new ? (c.topNew === 1 ? 'tile-p1' : 'tile-alert') : '', 'bell'),
      tile('working', working, working ? 'tile-work' : '', 'guard'),
      tile('p1', c.p1, c.p1 ? 'tile-p1-soft' : '', 'fire'),
      tile('open', c.open, '', 'flag'),
    ];
  }

  function row(inc) {
    const p = Math.min(4, Math.max(1, inc.priority || 4));
    const sel = inc.id === selectedId;
    const fresh = Date.now() - center.arrivedAt(inc.id) < FLASH_MS;
    const busy = acking.has(inc.id);
    const ackBtn = inc.state === 'new' && canHandle
      ? h('button.btn.btn-ack', { type: 'button', testid: 'alarm-ack', disabled: busy, title: t('alarms.ackTitle'),
        onclick: (e) => { e.stopPropagation(); select(inc.id, true); ack(inc.id); } },
      icon('check'), h('span', busy ? t('alarms.acking') : t('incidentAction.acknowledged')))
      : null;
    const openLink = h('a.btn.btn-ghost.btn-sm', { href: `#/incidents/${inc.id}`, testid: 'alarm-open', onclick: (e) => e.stopPropagation() },
      h('span', t('alarms.details')), icon('chevron'));
    return h('div.aq-row', {
      id: `aq-${inc.id}`, role: 'option', 'aria-selected': String(sel), testid: 'alarm-row',
      class: [`aq-p${p}`, `aq-st-${inc.state}`, sel ? 'selected' : '', fresh ? 'flash' : '', inc.type === 'fire' ? 'aq-fire' : ''].filter(Boolean).join(' '),
      dataset: { id: String(inc.id), state: inc.state, priority: String(p), type: inc.type },
      onclick: () => select(inc.id, true),
      ondblclick: () => openIncident(inc.id),
    },
    h('div.aq-prio', priorityBadge(p), h('span.aq-prio-label', tEnum('priority', String(p)))),
    h('div.aq-type', typeIcon(inc.type, 'aq-type-icon'),
      h('div.aq-type-text', h('span.aq-type-label', typeLabel(inc.type)), h('span.aq-id', `#${inc.id}`))),
    h('div.aq-loc', locationBlock(inc)),
    h('div.aq-count', inc.alarm_count > 1
      ? h('span.repeat', { testid: 'alarm-repeats', dataset: { count: String(inc.alarm_count) }, title: t('alarms.repeatsTitle', { n: inc.alarm_count }) }, t('alarms.repeats', { n: inc.alarm_count }))
      : h('span.once', t('alarms.once'))),
    h('div.aq-time', elapsedEl(inc.opened_at, center.now, 'elapsed'),
      h('span.aq-at', t('alarms.openedAt', { time: inc.opened_at ? formatTime(new Date(inc.opened_at)) : t('common.none') }))),
    h('div.aq-state', stateBadge(inc.state),
      inc.acked_by && inc.state !== 'new' ? h('span.aq-by', t('alarms.ackedBy', { user: inc.acked_by })) : null,
      center.escalation(inc.id) ? h('span.chip.chip-escalated', { testid: 'alarm-escalated', dataset: { level: center.escalation(inc.id) } },
        icon('alert'), t(center.escalation(inc.id) === 'major' ? 'alarms.escalatedMajor' : 'alarms.escalated')) : null),
    h('div.aq-actions', ackBtn, openLink));
  }

  function render() {
    if (destroyed) return;
    const st = center.state();
    const list = center.queue();
    mount(summaryHost, summary(list));
    countEl.textContent = formatNumber(list.length);
    countEl.dataset.count = String(list.length);
    if (!st.loaded) {
      mount(bodyHost, st.error ? errorBanner(st.error, () => center.refresh()) : loadingState());
      return;
    }
    reconcile(list);
    if (!list.length) {
      mount(listbox);
      listbox.removeAttribute('aria-activedescendant');
      mount(bodyHost, h('div.aq-clear', { testid: 'alarm-clear' },
        h('div.aq-clear-icon', icon('shield')),
        h('div.aq-clear-title', t('alarms.clear')),
        h('div.aq-clear-hint', t('alarms.clearHint'))), listbox);
      return;
    }
    const hadFocus = document.activeElement === listbox;
    mount(listbox,
      h('div.aq-head', { 'aria-hidden': 'true' },
        ['prio', 'type', 'loc', 'count', 'time', 'state', 'actions'].map((k) => h('span', t(`alarms.col.${k}`)))),
      list.map(row));
    if (bodyHost.firstChild !== listbox) mount(bodyHost, listbox);
    const selRow = listbox.querySelector('.aq-row.selected');
    if (selRow) listbox.setAttribute('aria-activedescendant', selRow.id);
    if (hadFocus) listbox.focus({ preventScroll: true });
  }

  function move(delta) {
    const list = center.queue();
    if (!list.length) return;
    let i = list.findIndex((x) => x.id === selectedId);
    if (i < 0) i = 0;
    else i = Math.max(0, Math.min(list.length - 1, i + delta));
    select(list[i].id, true);
  }

  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const tg = e.target;
    if (tg && (tg.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(tg.tagName))) return;
    if (document.querySelector('.modal-overlay')) return;
    const k = e.key;
    const list = center.queue();
    const inc = list.find((x) => x.id === selectedId) || null;
    if (k === 'ArrowDown' || k === 'ArrowUp') {
      e.preventDefault();
      move(k === 'ArrowDown' ? 1 : -1);
    } else if (k === 'Home' || k === 'End') {
      if (!list.length) return;
      e.preventDefault();
      select(list[k === 'Home' ? 0 : list.length - 1].id, true);
    } else if (k === 'Enter' || k === 'a' || k === 'A') {
      // Enter on a focused button or link does what that control does.
      if (k === 'Enter' && tg && tg !== listbox && /^(A|BUTTON)$/.test(tg.tagName)) return;
      if (!inc) return;
      e.preventDefault();
      if (inc.state === 'new') ack(inc.id);
      else if (k === 'Enter') openIncident(inc.id);
    } else if (k === 'o' || k === 'O') {
      if (!inc) return;
      e.preventDefault();
      openIncident(inc.id);
    } else if (k === 'm' || k === 'M') {
      e.preventDefault();
      center.setMuted(!center.isMuted());
    }
  }

  document.addEventListener('keydown', onKey);
  const unsub = center.onChange(render);
  const ticker = setInterval(() => { if (!destroyed) tickElapsed(el, center.now); }, 1000);
  render();
  listbox.focus({ preventScroll: true });

  return {
    destroy() {
      destroyed = true;
      document.removeEventListener('keydown', onKey);
      unsub();
      clearInterval(ticker);
    },
  };
}
