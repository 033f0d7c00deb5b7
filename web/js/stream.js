// Live connection to GET /api/v1/stream (Server-Sent Events).
// States: 'connecting' | 'connected' | 'offline'. EventSource sends the session
// cookie and Last-Event-ID on its own; when the browser gives up (readyState
// CLOSED, e.g. the daemon restarted or answered non-200) we retry with backoff
// and ask /me whether the session is still valid.

import { API, me } from './api.js';

// 'reset': the client fell behind the server's ring of events; lists must be
// reloaded. 'alarm' / 'incident': every received message and every incident
// change; 'escalation' and 'handoff': escalations and hand-offs to posts;
// 'duty': a new duty-log entry (the whole row, or {id, category, incident_id}
// for the system's own); 'line_use.flagged': a non-emergency use of the alarm
// line or fire telephone, {id}; 'ticket' (the ticket after each change),
// 'check' (a signed sheet) and 'running_status' (a new running-status entry)
// for the equipment pages and the running-status prompt.
const EVENT_TYPES = ['hello', 'audit', 'device.status', 'user.changed', 'alarm', 'incident', 'escalation', 'handoff', 'duty', 'line_use.flagged', 'complaint', 'handover', 'roster', 'camera', 'ticket', 'check', 'running_status', 'recording', 'reset'];

export class LiveStream {
  constructor({ onState, onEvent, onUnauthenticated }) {
    this.onState = onState || (() => {});
    this.onEvent = onEvent || (() => {});
    this.onUnauthenticated = onUnauthenticated || (() => {});
    this.state = 'offline';
    this.es = null;
    this.retryMs = 1000;
    this.timer = 0;
    this.offlineTimer = 0;
    this.stopped = false;
    this.lastId = null;
  }

  setState(s) {
    if (s === this.state) return;
    this.state = s;
    this.onState(s);
  }

  start() {
    this.stopped = false;
    this.open();
  }

  open() {
    clearTimeout(this.timer);
    if (this.es) { this.es.close(); this.es = null; }
    this.setState('connecting');
    let es;
    try {
      es = new EventSource(`${API}/stream`, { withCredentials: true });
    } catch (_) {
      this.scheduleRetry();
      return;
    }
    this.es = es;
    let failures = 0;
    es.onopen = () => { failures = 0; this.retryMs = 1000; clearTimeout(this.offlineTimer); this.setState('connected'); };
    es.onerror = () => {
      if (this.stopped || es !== this.es) return;
      failures += 1;
      if (es.readyState === EventSource.CLOSED) {
        this.setState('offline');
        this.es = null;
        es.close();
        this.checkSessionThenRetry();
      } else if (failures >= 2) {
        // The browser keeps reconnecting by itself, but it has failed twice in
        // a row: tell the operator the live view is not live.
        clearTimeout(this.offlineTimer);
        this.setState('offline');
      } else {
        this.setState('connecting');
        clearTimeout(this.offlineTimer);
        this.offlineTimer = setTimeout(() => { if (es === this.es && this.state === 'connecting') this.setState('offline'); }, 5000);
      }
    };
    const handler = (ev) => {
      if (es !== this.es) return;
      if (this.state !== 'connected') this.setState('connected');
      if (ev.lastEventId) this.lastId = ev.lastEventId;
      let data = null;
      try { data = ev.data ? JSON.parse(ev.data) : null; } catch (_) { data = ev.data; }
      this.onEvent({ type: ev.type, id: ev.lastEventId, data });
    };
    for (const type of EVENT_TYPES) es.addEventListener(type, handler);
    es.onmessage = handler; // frames without an event: line
  }

  async checkSessionThenRetry() {
    try {
      await me();
    } catch (err) {
      if (err && err.status === 401) { this.stop(); this.onUnauthenticated(err); return; }
    }
    this.scheduleRetry();
  }

  scheduleRetry() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 30000);
    this.timer = setTimeout(() => { if (!this.stopped) this.open(); }, wait);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.offlineTimer);
    if (this.es) { this.es.close(); this.es = null; }
    this.setState('offline');
  }
}
