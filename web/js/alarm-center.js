// The live incident queue, shared by the whole console (报警台, nav badge, top
// bar) and the audible alert.
//
// Loaded once per session from GET /api/v1/incidents?open=1, then kept up to
// date from the SSE stream (`incident` events carry the full row). The queue is
// reloaded only when the stream (re)connects or the server says `reset` (the
// client fell behind its ring of events) — there is no polling.

import * as api from './api.js';
import * as siren from './siren.js';

const MUTE_KEY = 'vigil.alarm.muted';
const MAX_QUEUE = 500;

const items = new Map();      // id -> incident row (every state but closed)
const arrived = new Map();    // id -> client ms when it came in live (for the flash)
const escalated = new Map();  // incident id -> level ('shift_leader' | 'major'), seen live
const listeners = new Set();
let loaded = false;
let loadError = null;
let active = false;
let loading = null;           // the in-flight refresh
let pendingEvents = null;     // events received while a refresh is in flight
let skewMs = 0;               // server clock - client clock (from the stream's hello)
let remindTimer = 0;
let lastSoundAt = 0;
let alerts = 0;               // sounds attempted (exposed for tests / diagnostics)
let muted = readMuted();

function readMuted() {
  try { return localStorage.getItem(MUTE_KEY) === '1'; } catch (_) { return false; }
}

function emit() { for (const fn of listeners) { try { fn(); } catch (e) { console.error(e); } } }

export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

// Server time now, in ms since the epoch.
export function now() { return Date.now() + skewMs; }

export function state() { return { loaded, error: loadError }; }

export function arrivedAt(id) { return arrived.get(id) || 0; }
export function escalation(id) { return escalated.get(id) || ''; }

// Priority (1 = most urgent) then age (oldest first) then id: the server's order.
function order(a, b) {
  return (a.priority || 9) - (b.priority || 9)
    || String(a.opened_at || '').localeCompare(String(b.opened_at || ''))
    || a.id - b.id;
}

export function queue() { return [...items.values()].sort(order); }

export function counts() {
  let fresh = 0, open = 0, p1 = 0, top = 9;
  for (const i of items.values()) {
    open += 1;
    if (i.state === 'new') { fresh += 1; top = Math.min(top, i.priority || 9); }
    if (i.priority === 1) p1 += 1;
  }
  return { new: fresh, open, p1, topNew: top === 9 ? 0 : top };
}

// --- Sound ----------------------------------------------------------------------

export function isMuted() { return muted; }
export function alertCount() { return alerts; }

export function setMuted(m) {
  muted = !!m;
  try { localStorage.setItem(MUTE_KEY, muted ? '1' : '0'); } catch (_) { /* ignore */ }
  if (!muted) siren.unlock();
  emit();
}

// 'muted' | 'on' | 'blocked' | 'unsupported'
export function soundState() {
  if (muted) return 'muted';
  const s = siren.audioState();
  return s === 'ready' ? 'on' : s;
}

siren.onAudioState(() => emit());

function patternFor(priority) {
  if (priority === 1) return 'siren';
  if (priority === 2) return 'urgent';
  return 'chime';
}

function sound(priority) {
  if (muted || !active) return;
  alerts += 1;
  lastSoundAt = Date.now();
  siren.play(patternFor(priority));
  emit();
}

// While an incident is still unacknowledged the alert repeats: P1 every 6 s,
// P2 every 12 s, P3/P4 every 30 s.
function remind() {
  if (!active || muted) return;
  const c = counts();
  if (!c.new) return;
  const every = c.topNew === 1 ? 6000 : c.topNew === 2 ? 12000 : 30000;
  if (Date.now() - lastSoundAt >= every - 250) sound(c.topNew);
}

// --- Loading and live updates ------------------------------------------------------

export function refresh() {
  if (loading) return loading;
  pendingEvents = [];
  loading = (async () => {
    try {
      const page = await api.list('incidents', { open: 1, limit: MAX_QUEUE });
      if (!active) return;
      items.clear();
      for (const row of page.items) if (row && row.state !== 'closed') items.set(row.id, row);
      loaded = true;
      loadError = null;
    } catch (err) {
      if (!active) return;
      loadError = err;
    } finally {
      const replay = pendingEvents || [];
      pendingEvents = null;
      loading = null;
      for (const ev of replay) apply(ev, false);
      if (active) emit();
    }
  })();
  return loading;
}

function apply(ev, live) {
  if (ev.type === 'hello') {
    const st = ev.data && ev.data.server_time ? Date.parse(ev.data.server_time) : NaN;
    if (Number.isFinite(st)) skewMs = st - Date.now();
    return;
  }
  if (ev.type === 'reset') { refresh(); return; }
  if (ev.type === 'escalation') {
    const d = ev.data || {};
    if (Number.isFinite(d.incident_id)) {
      if (escalated.get(d.incident_id) !== 'major') escalated.set(d.incident_id, d.level || 'shift_leader');
      if (live) emit();
    }
    return;
  }
  if (ev.type !== 'incident') return;
  const row = ev.data;
  if (!row || typeof row !== 'object' || !Number.isFinite(row.id)) return;
  if (pendingEvents) { pendingEvents.push(ev); return; }
  const before = items.get(row.id);
  if (row.state === 'closed') {
    items.delete(row.id);
    arrived.delete(row.id);
    escalated.delete(row.id);
  } else {
    items.set(row.id, row);
    const isNew = !before && row.state === 'new';
    const repeat = before && row.state === 'new' && (row.alarm_count || 0) > (before.alarm_count || 0);
    if (isNew) arrived.set(row.id, Date.now());
    if (live && (isNew || repeat)) sound(row.priority);
  }
  if (live) emit();
}

export function handleEvent(ev) {
  if (!active || !ev) return;
  apply(ev, true);
}

// A row the console got back from its own request (e.g. a transition).
export function upsert(row) {
  if (!row || !Number.isFinite(row.id)) return;
  apply({ type: 'incident', data: row }, true);
}

export function onStreamState(s) {
  if (active && s === 'connected') refresh();
}

export function start() {
  active = true;
  items.clear();
  arrived.clear();
  loaded = false;
  loadError = null;
  clearInterval(remindTimer);
  remindTimer = setInterval(remind, 1000);
  refresh();
}

export function stop() {
  active = false;
  clearInterval(remindTimer);
  items.clear();
  arrived.clear();
  loaded = false;
}
