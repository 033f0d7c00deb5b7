// The open hand-offs to guard posts (R3.4.15), kept for the nav badge of 岗位交办
// for users who take them up (handoff.take): the number still waiting for a
// guard. Loaded from GET /api/v1/handoffs?open=1 when the session starts and
// whenever the stream (re)connects or says `reset`; kept up to date from the
// `handoff` events, which carry the whole hand-off. No polling.

import * as api from './api.js';

const MAX = 500;

const items = new Map();      // id -> open hand-off (not done)
const listeners = new Set();
let active = false;
let loading = null;
let pending = null;           // events received while a refresh is in flight

function emit() { for (const fn of listeners) { try { fn(); } catch (e) { console.error(e); } } }

export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

export function isActive() { return active; }

// waiting: not taken up yet; taken: taken up, no result yet.
export function counts() {
  let waiting = 0, taken = 0;
  for (const ho of items.values()) {
    if (ho.taken_at) taken += 1; else waiting += 1;
  }
  return { waiting, taken };
}

function apply(ho) {
  if (!ho || typeof ho !== 'object' || !Number.isFinite(ho.id)) return;
  if (pending) { pending.push(ho); return; }
  if (ho.done_at) items.delete(ho.id);
  else items.set(ho.id, ho);
}

export function refresh() {
  if (loading) return loading;
  pending = [];
  loading = (async () => {
    try {
      const { items: rows } = await api.listAll('handoffs', { open: 1 }, MAX);
      if (!active) return;
      items.clear();
      for (const ho of rows) if (ho && !ho.done_at) items.set(ho.id, ho);
    } catch (_) {
      /* the badge keeps what it had; the next (re)connect retries */
    } finally {
      const replay = pending || [];
      pending = null;
      loading = null;
      for (const ho of replay) apply(ho);
      if (active) emit();
    }
  })();
  return loading;
}

export function handleEvent(ev) {
  if (!active || !ev) return;
  if (ev.type === 'reset') { refresh(); return; }
  if (ev.type !== 'handoff') return;
  apply(ev.data);
  emit();
}

export function onStreamState(s) {
  if (active && s === 'connected') refresh();
}

export function start() {
  active = true;
  items.clear();
  refresh();
}

export function stop() {
  active = false;
  items.clear();
  emit();
}
