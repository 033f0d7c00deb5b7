// The pending shift handover (S2, R3.1), for the banner on every page: while
// the outgoing operator has signed and the incoming one has not, every user
// with duty.read sees 交接班待接班签名 below the top bar, linking to #/handover.
// Loaded from GET /api/v1/handovers?pending=1 when the session starts, on every
// (re)connect of the stream (its `hello`), on `reset` and on each `handover`
// event ({id, action}). No polling.

import { t } from './i18n.js';
import * as api from './api.js';
import { h, icon, formatTime } from './ui.js';

let active = false;
let pending = null;            // the HANDOVER waiting for its incoming signature
let seq = 0;
const listeners = new Set();

function emit() {
  paint();
  for (const fn of listeners) { try { fn(pending); } catch (e) { console.error(e); } }
}

export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

export function current() { return active ? pending : null; }

export async function refresh() {
  if (!active) return;
  const my = ++seq;
  try {
    const { items } = await api.list('handovers', { pending: 1, limit: 1 });
    if (!active || my !== seq) return;
    pending = items.find((x) => x && x.state === 'pending') || null;
  } catch (_) {
    return;   /* the banner keeps what it had; the next event or reconnect retries */
  }
  emit();
}

export function handleEvent(ev) {
  if (!active || !ev) return;
  if (ev.type === 'handover' || ev.type === 'reset' || ev.type === 'hello') refresh();
}

export function start() {
  active = true;
  pending = null;
  refresh();
}

export function stop() {
  active = false;
  pending = null;
  seq += 1;
  emit();
}

// Puts the banner into the application shell (or takes it away). The shell
// calls this after each render; the center after each change.
export function paint() {
  const shell = document.querySelector('[data-testid="app-shell"]');
  if (!shell) return;
  const old = shell.querySelector('[data-testid="handover-banner"]');
  const p = active ? pending : null;
  if (!p) { if (old) old.remove(); return; }
  const at = p.out_signed_at || p.started_at;
  const banner = h('a.handover-banner', { href: '#/handover', testid: 'handover-banner', role: 'status', dataset: { id: String(p.id) } },
    h('span.handover-banner-icon', icon('guard')),
    h('span.handover-banner-title', t('hv.banner')),
    h('span.handover-banner-detail', t('hv.bannerDetail', { id: p.id, who: p.outgoing_name || p.outgoing || '', time: at ? formatTime(new Date(at)) : '' })),
    p.controls_auto === false ? h('span.handover-banner-warn', { testid: 'handover-banner-controls' }, icon('alert'), h('span', t('hv.bannerControls'))) : null,
    h('span.handover-banner-go', h('span', t('hv.bannerGo')), icon('chevron')));
  if (old) old.replaceWith(banner);
  else {
    const top = shell.querySelector('[data-testid="topbar"]');
    shell.insertBefore(banner, top ? top.nextSibling : shell.firstChild);
  }
}
