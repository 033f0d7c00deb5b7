// 交接班 Shift handover (#/handover, S2, R3.1): "on taking over a shift, both
// shifts complete the handover and sign; control handles stay in the automatic
// position in normal times".
//
// A handover waiting for its incoming signature comes first: what it carries
// (counts; the open incidents, faulty devices and visitors in the control room
// when it was signed), the outgoing signature and its time, the answer to the
// R3.1 question, the note, and beside the outgoing signature the incoming one:
// a password box for users with duty.write — the server refuses the person
// who signed out and a wrong password. A shift leader or supervisor
// (handover.force) can force it when the incoming person is absent, with a
// reason. With none pending: the preview of what a handover started now would
// carry (GET /api/v1/handovers/preview), the R3.1 question (yes or no must be
// chosen), a note and the outgoing signature (the password) → POST.
//
// Below, the history: each handover expandable, both signatures on one line;
// a signed or forced handover never changes (the database refuses it).
//
// Live: `handover` {id, action} after each step; the summary's own sources
// (incidents, devices, the register) refresh the preview on their events.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import * as handoverCenter from '../handover-center.js';
import { runStatusPrompt } from '../runstatus-ui.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, statusBadge, formatTime, formatDateTime,
  formatNumber, toast, debounce } from '../ui.js';
import { priorityBadge, stateBadge as incidentStateBadge, typeLabel } from '../incident-ui.js';

const NOTE_MAX = 4000;
const REASON_MAX = 500;
const utf8 = new TextEncoder();
const bytes = (s) => utf8.encode(s || '').length;
const COUNT_KEYS = ['open_incidents', 'unacknowledged', 'faulty_devices', 'visitors_in_room', 'open_complaints', 'overdue_complaints',
  'return_visits_due', 'line_uses_unreviewed', 'open_handoffs', 'running_status_missed', 'recordings_lent', 'recordings_overdue'];
// Counts that need the next shift's attention when not zero.
const ALERT_KEYS = new Set(['unacknowledged', 'faulty_devices', 'overdue_complaints', 'line_uses_unreviewed', 'running_status_missed',
  'recordings_overdue']);
const HISTORY_PAGE = 10;

// "fire SIA-DCS FA zone 015", the title the server gives an incident, said in
// the console's language ("火警 · SIA-DCS FA · 防区 015").
function incidentTitle(i) {
  const m = /^(\w+) (\S+) (\S+)(?: zone (\S+))?$/.exec(i.title || '');
  if (!m) return i.title || typeLabel(i.type);
  return [typeLabel(m[1]), `${m[2]} ${m[3]}`, m[4] ? t('loc.zone', { zone: m[4] }) : null].filter(Boolean).join(' · ');
}

export default function handoverPage(el, ctx) {
  const me = (ctx.user && ctx.user.username) || '';
  const myName = (ctx.user && (ctx.user.display_name || ctx.user.username)) || '';
  const canWrite = ctx.can('duty.write');
  const canForce = ctx.can('handover.force');
  let destroyed = false;

  let pending;                   // undefined: not loaded; null: none
  let preview = null;
  let previewErr = null;
  let hist = null;
  let histTotal = 0;
  let offset = 0;
  let loadErr = null;
  let justDone = null;           // the handover this page just completed
  const expanded = new Set();
  // The start form and the pending actions survive reloads.
  const start = { controls: null, note: '', password: '' };
  const sign = { password: '' };
  const force = { open: false, reason: '' };
  const over = { password: '', reason: '' };
  let busy = '';
  const errs = {};               // field -> message; 'banner' -> text

  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'hv-refresh', onclick: () => load() },
    icon('refresh'), h('span', t('common.refresh')));
  const topHost = h('div.hv-top-host', loadingState());
  const histHost = h('div.hv-hist-host', loadingState());
  const histMeta = h('span.panel-meta', { testid: 'hv-history-meta' });

  const rs = runStatusPrompt(ctx);
  mount(el,
    pageHeader(t('hv.title'), t('hv.subtitle'), refreshBtn),
    rs.el,
    topHost,
    h('section.panel.hv-history', { testid: 'hv-history' },
      h('div.panel-head', h('h2', t('hv.history')), h('span.chip.ref-chip', 'S2'), histMeta),
      histHost));

  // --- Loading --------------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    try {
      const [pend, page] = await Promise.all([
        api.list('handovers', { pending: 1, limit: 1 }),
        api.list('handovers', { limit: HISTORY_PAGE, offset }),
      ]);
      if (destroyed || my !== seq) return;
      const before = pending;
      pending = pend.items.find((x) => x && x.state === 'pending') || null;
      if (before && pending && before.id !== pending.id) { sign.password = ''; force.open = false; force.reason = ''; }
      hist = page.items;
      histTotal = page.total;
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    if (pending === null) loadPreview();
    render();
  }

  let pseq = 0;
  async function loadPreview() {
    const my = ++pseq;
    try {
      const res = await api.get(`${api.API}/handovers/preview`);
      if (destroyed || my !== pseq) return;
      preview = res || {};
      previewErr = null;
    } catch (err) {
      if (destroyed || my !== pseq) return;
      previewErr = err;
    }
    if (pending === null) renderTop();
  }

  // --- Shared pieces ----------------------------------------------------------------------

  function person(username, name) {
    if (!username) return t('common.none');
    return h('span.hv-person', h('span.hv-person-name', name || username), name && name !== username ? h('span.hv-person-user', username) : null);
  }

  function controlsBadge(v) {
    if (v === true) return h('span.badge.hv-ctl.hv-ctl-yes', { testid: 'hv-controls', dataset: { value: 'true' } }, icon('check'), h('span', t('hv.controlsYes')));
    return h('span.badge.hv-ctl.hv-ctl-no', { testid: 'hv-controls', dataset: { value: 'false' } }, icon('alert'), h('span', t('hv.controlsNo')));
  }

  function hoStateBadge(s) {
    return h(`span.badge.hv-st.hv-st-${s || 'unknown'}`, { testid: 'hv-state', dataset: { state: s || '' } },
      s === 'pending' ? h('span.dot', { 'aria-hidden': 'true' }) : icon(s === 'forced' ? 'alert' : 'check'), h('span', tEnum('hvState', s)));
  }

  // The two signatures side by side: the outgoing one, and the incoming one
  // (a signature, a forced takeover, or `incomingSlot` while pending).
  function signatures(ho, incomingSlot) {
    const outCard = h('div.hv-sig.hv-sig-out.signed', { testid: 'hv-sig-out' },
      h('div.hv-sig-role', icon('logout'), h('span', t('hv.outgoing'))),
      h('div.hv-sig-who', { testid: 'hv-sig-out-who', dataset: { username: ho.outgoing || '' } }, person(ho.outgoing, ho.outgoing_name)),
      h('div.hv-sig-line',
        h('span.hv-sig-ok', icon('check'), h('span', t('hv.signed'))),
        h('time.hv-sig-time', { testid: 'hv-sig-out-time', datetime: ho.out_signed_at || '' }, formatDateTime(ho.out_signed_at))));
    let inCard;
    if (ho.state === 'signed') {
      inCard = h('div.hv-sig.hv-sig-in.signed', { testid: 'hv-sig-in' },
        h('div.hv-sig-role', icon('door'), h('span', t('hv.incoming'))),
        h('div.hv-sig-who', { testid: 'hv-sig-in-who', dataset: { username: ho.incoming || '' } }, person(ho.incoming, ho.incoming_name)),
        h('div.hv-sig-line',
          h('span.hv-sig-ok', icon('check'), h('span', t('hv.signed'))),
          h('time.hv-sig-time', { testid: 'hv-sig-in-time', datetime: ho.in_signed_at || '' }, formatDateTime(ho.in_signed_at))));
    } else if (ho.state === 'forced') {
      inCard = h('div.hv-sig.hv-sig-in.forced', { testid: 'hv-sig-in' },
        h('div.hv-sig-role', icon('alert'), h('span', t('hv.forcedTitle'))),
        h('div.hv-sig-who', { testid: 'hv-sig-in-who', dataset: { username: ho.forced_by || '' } }, t('hv.forcedBy', { who: ho.forced_by || '' })),
        h('div.hv-force-reason', { testid: 'hv-force-reason' }, ho.force_reason || ''),
        h('div.hv-sig-line',
          h('time.hv-sig-time', { testid: 'hv-sig-in-time', datetime: ho.in_signed_at || '' }, formatDateTime(ho.in_signed_at))));
    } else {
      inCard = h('div.hv-sig.hv-sig-in.waiting', { testid: 'hv-sig-in' },
        h('div.hv-sig-role', icon('door'), h('span', t('hv.incoming'))),
        incomingSlot || h('div.hv-sig-wait', t('hv.awaitingIncoming')));
    }
    return h('div.hv-sigs', { testid: 'hv-signatures' }, outCard, h('div.hv-sig-arrow', { 'aria-hidden': 'true' }, icon('chevron')), inCard);
  }

  function summaryView(s, { testid = 'hv-summary' } = {}) {
    const sum = s && typeof s === 'object' ? s : {};
    const counts = sum.counts && typeof sum.counts === 'object' ? sum.counts : {};
    const tiles = COUNT_KEYS.filter((k) => k in counts).map((k) => {
      const n = Number(counts[k]) || 0;
      return h(`div.hv-count${n && ALERT_KEYS.has(k) ? '.alert' : ''}${n ? '.some' : ''}`, { testid: 'hv-count', dataset: { key: k, n: String(n) } },
        h('span.hv-count-n', formatNumber(n)), h('span.hv-count-label', t(`hv.count.${k}`)));
    });
    const incidents = Array.isArray(sum.open_incidents) ? sum.open_incidents : [];
    const faults = Array.isArray(sum.faulty_devices) ? sum.faulty_devices : [];
    const visitors = Array.isArray(sum.visitors_in_room) ? sum.visitors_in_room : [];
    const missed = sum.running_status && Array.isArray(sum.running_status.missed) ? sum.running_status.missed : null;
    // Recordings lent out and not yet returned (R3.4.3: followed up until returned).
    const lent = Array.isArray(sum.recordings_out) ? sum.recordings_out : null;
    const canRecordings = ctx.can('recording.read');
    const block = (key, title, items, rowFn) => h('div.hv-list', { testid: `hv-list-${key}`, dataset: { n: String(items.length) } },
      h('h3.hv-list-title', h('span', title), h('span.hv-list-n', formatNumber(items.length))),
      items.length ? h('ul', items.map(rowFn)) : h('p.hv-list-none', t('hv.none')));
    return h('div.hv-summary', { testid },
      tiles.length ? h('div.hv-counts', tiles) : null,
      h('div.hv-lists',
        block('incidents', t('hv.list.incidents'), incidents, (i) => h('li.hv-li.hv-li-one', { testid: 'hv-incident', dataset: { id: String(i.id) } },
          priorityBadge(i.priority),
          h('a', { href: `#/incidents/${i.id}` }, `#${i.id}`),
          h('span.hv-li-main', incidentTitle(i)),
          incidentStateBadge(i.state))),
        block('devices', t('hv.list.devices'), faults, (d) => h('li.hv-li.hv-li-one', { testid: 'hv-device', dataset: { id: String(d.id) } },
          h('span.hv-li-main', d.name), d.area_name ? h('span.hv-li-sub', d.area_name) : null, statusBadge(d.status))),
        block('visitors', t('hv.list.visitors'), visitors, (v) => h('li.hv-li', { testid: 'hv-visitor', dataset: { id: String(v.id) } },
          h('span.hv-li-main', v.name), v.organisation ? h('span.hv-li-sub', v.organisation) : null,
          h('span.hv-li-sub.hv-li-purpose', v.purpose || ''),
          v.time_in ? h('span.hv-li-time', t('hv.since', { time: formatTime(new Date(v.time_in)) })) : null)),
        lent ? block('recordings', t('hv.list.recordings'), lent, (r) => h(`li.hv-li${r.overdue ? '.hv-li-overdue' : ''}`,
          { testid: 'hv-recording', dataset: { id: String(r.id), overdue: String(!!r.overdue) } },
          canRecordings ? h('a', { href: `#/recordings/${r.id}`, testid: 'hv-recording-link' }, `#${r.id}`) : h('span', `#${r.id}`),
          h('span.hv-li-main', r.requester_name || ''), r.requester_org ? h('span.hv-li-sub', r.requester_org) : null,
          r.due_back ? h('span.hv-li-time', t('hv.recordingDue', { time: formatDateTime(r.due_back).slice(5, 16) })) : null,
          r.overdue ? h('span.badge.rc-overdue', { testid: 'hv-recording-overdue' }, t('hv.recordingOverdue')) : null)) : null,
        missed ? block('rs-missed', t('rs.missedTitle'), missed, (m) => h('li.hv-li.hv-li-one', { testid: 'hv-rs-missed', dataset: { start: m.start } },
          h('span.hv-li-main', `${formatDateTime(m.start)} – ${formatTime(new Date(m.end))}`))) : null));
  }

  // Below the minimum of trained operators (S1): the shift opens only on a
  // shift leader's override with a reason (POST …/override, password + reason).
  function staffingBox(ho) {
    const s = ho.staffing;
    if (ho.override_by) {
      return h('div.hv-staffing.overridden', { testid: 'hv-override-done' }, h('div', icon('alert'), h('span', t('hv.overrideDone', { who: ho.override_by, n: ho.override_staffed ?? 0 }))),
        h('div.hv-force-reason', { testid: 'hv-override-reason-text' }, ho.override_reason || ''));
    }
    if (!s || !s.below) return null;
    const msg = h('div', { testid: 'hv-below-text' }, icon('alert'), h('span', t('hv.belowMinimum', { staffed: s.staffed, min: s.min_staff })));
    if (!canForce) return h('div.hv-staffing', { testid: 'hv-below' }, msg, h('p.muted', t('hv.belowAskLeader')));
    const pw = h('input.input.hv-password', { type: 'password', id: 'hv-override-password', testid: 'hv-override-password', autocomplete: 'current-password',
      placeholder: t('hv.passwordPlaceholder'), oninput: (e) => { over.password = e.target.value; } });
    pw.value = over.password;
    const ta = h('textarea.input.hv-textarea', { id: 'hv-override-reason', testid: 'hv-override-reason', rows: 2, maxlength: REASON_MAX,
      placeholder: t('hv.overrideReasonPlaceholder'), oninput: (e) => { over.reason = e.target.value; } });
    ta.value = over.reason;
    return h('form.hv-staffing', { testid: 'hv-below', novalidate: true, onsubmit: (e) => { e.preventDefault(); doOverride(ho); } },
      msg,
      h('label.hv-label', { for: 'hv-override-reason' }, t('hv.overrideReason')), ta, fieldErr('overrideReason'),
      h('label.hv-label', { for: 'hv-override-password' }, t('hv.overridePassword')), pw, fieldErr('overridePassword'),
      h('div.hv-actions', h('button.btn.btn-danger.btn-sm', { type: 'submit', testid: 'hv-override-submit', disabled: !!busy },
        icon('alert'), h('span', t('hv.overrideSubmit')))));
  }

  async function doOverride(ho) {
    if (busy) return;
    clearErrs();
    const reason = over.reason.trim();
    if (!reason) { errs.overrideReason = t('hv.err.reason'); renderTop(); focusEl('hv-override-reason'); return; }
    if (!over.password) { errs.overridePassword = t('hv.err.passwordRequired'); renderTop(); focusEl('hv-override-password'); return; }
    busy = 'override';
    renderTop();
    try {
      const res = await api.post(`${api.API}/handovers/${ho.id}/override`, { password: over.password, reason });
      if (destroyed) return;
      busy = '';
      over.password = '';
      over.reason = '';
      if (res && res.id) pending = { ...pending, ...res };
      toast(t('hv.overrideToast'));
      renderTop();
      load();
    } catch (err) {
      if (destroyed) return;
      busy = '';
      over.password = '';
      showError(err, 'overridePassword');
      renderTop();
      if (errs.banner) load();
    }
  }

  function controlsRow(ho) {
    return h('div.hv-r31', { testid: 'hv-r31' },
      h('span.chip.ref-chip', 'R3.1'),
      h('span.hv-r31-q', t('hv.controlsQuestionShort')),
      controlsBadge(ho.controls_auto),
      ho.controls_auto === false ? h('span.hv-r31-warn', t('hv.controlsNoNote')) : null);
  }

  function noteBlock(ho) {
    return h('div.hv-note', { testid: 'hv-note' },
      h('span.hv-note-label', t('hv.note')),
      ho.note ? h('div.hv-note-text', ho.note) : h('span.muted', t('hv.noNote')));
  }

  function fieldErr(name) {
    return errs[name] ? h('div.field-error', { testid: `hv-error-${name}`, role: 'alert' }, errs[name]) : null;
  }

  function bannerErr() {
    return errs.banner ? h('div.form-banner', { testid: 'hv-form-error', role: 'alert' }, errs.banner) : null;
  }

  function clearErrs() { for (const k of Object.keys(errs)) delete errs[k]; }

  // A failed request: the field the server names, or a banner. The server's
  // own text for "the same person" and "already pending/done" is English
  // developer text: said here in the console's language.
  // The refusals come with stable problem types (docs/api.md); the title is
  // already in the console's language.
  function showError(err, passwordField) {
    const fe = err.fieldErrors ? err.fieldErrors() : {};
    const type = String(err.type || '').replace('/problems/', '');
    if (type === 'same-signer') errs[passwordField] = t('hv.err.samePerson');
    else if (type === 'wrong-signature') errs[passwordField] = t('hv.err.password');
    else if (type === 'handover-pending') errs.banner = `${err.title} ${t('hv.err.alreadyPending')}`;
    else if (type === 'handover-closed') errs.banner = `${err.title} ${t('hv.err.alreadyDone')}`;
    else if (type === 'below-minimum') errs.banner = t('hv.err.belowMinimum');
    else if (type === 'override-not-allowed') errs.banner = t('hv.belowAskLeader');
    else if (type === 'override-not-needed') errs.banner = err.title;
    else if (fe.controls_auto) errs.controls = t('hv.err.controls');
    else if (fe.reason) errs[passwordField === 'overridePassword' ? 'overrideReason' : 'reason'] = t('hv.err.reason');
    else if (fe.note) errs.note = t('hv.err.noteTooLong', { n: NOTE_MAX });
    else errs.banner = [err.title, err.problem && err.problem.detail].filter(Boolean).join(' ');
  }

  // --- The pending handover -----------------------------------------------------------------

  function signForm(ho) {
    if (!canWrite) return h('div.hv-sig-wait', { testid: 'hv-sign-readonly' }, t('hv.signReadOnly'));
    if (ho.outgoing === me) {
      return h('div.hv-sig-wait.hv-sig-self', { testid: 'hv-sign-self' }, icon('alert'), h('span', t('hv.signSelf')));
    }
    const pw = h('input.input.hv-password', { type: 'password', id: 'hv-sign-password', testid: 'hv-sign-password', autocomplete: 'current-password',
      'aria-invalid': errs.signPassword ? 'true' : null, placeholder: t('hv.passwordPlaceholder'),
      oninput: (e) => { sign.password = e.target.value; if (errs.signPassword) { delete errs.signPassword; e.target.removeAttribute('aria-invalid'); const fe = el.querySelector('[data-testid="hv-error-signPassword"]'); if (fe) fe.remove(); } } });
    pw.value = sign.password;
    return h('form.hv-sign-form', { testid: 'hv-sign-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); doSign(ho); } },
      h('div.hv-sig-who', person(me, myName)),
      h('label.hv-label', { for: 'hv-sign-password' }, t('hv.signLabel')),
      pw,
      fieldErr('signPassword'),
      h('p.hv-sig-hint', t('hv.signHint')),
      h('button.btn.btn-primary.hv-sign-btn', { type: 'submit', testid: 'hv-sign-submit', disabled: !!busy },
        icon('check'), h('span', busy === 'sign' ? t('hv.signing') : t('hv.signSubmit'))));
  }

  function forceBox(ho) {
    if (!canForce) return null;
    if (!force.open) {
      return h('div.hv-force', { testid: 'hv-force' },
        h('button.btn.btn-danger-ghost.btn-sm', { type: 'button', testid: 'hv-force-open', disabled: !!busy,
          onclick: () => { force.open = true; clearErrs(); renderTop(); const r = el.querySelector('#hv-force-reason'); if (r) r.focus(); } },
        icon('alert'), h('span', t('hv.force'))),
        h('span.hv-force-hint', t('hv.forceHint')));
    }
    const ta = h('textarea.input.hv-textarea', { id: 'hv-force-reason', testid: 'hv-force-reason-input', rows: 2, maxlength: REASON_MAX,
      placeholder: t('hv.forceReasonPlaceholder'), 'aria-invalid': errs.reason ? 'true' : null,
      oninput: (e) => { force.reason = e.target.value; } });
    ta.value = force.reason;
    return h('form.hv-force.open', { testid: 'hv-force-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); doForce(ho); } },
      h('div.hv-force-warn', icon('alert'), h('span', t('hv.forceWarn'))),
      h('label.hv-label', { for: 'hv-force-reason' }, t('hv.forceReason')),
      ta,
      fieldErr('reason'),
      h('div.hv-actions',
        h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'hv-force-cancel', disabled: !!busy,
          onclick: () => { force.open = false; delete errs.reason; renderTop(); } }, t('common.cancel')),
        h('button.btn.btn-danger.btn-sm', { type: 'submit', testid: 'hv-force-submit', disabled: !!busy },
          icon('alert'), h('span', busy === 'force' ? t('hv.forcing') : t('hv.forceSubmit')))));
  }

  function pendingPanel(ho) {
    return h('section.panel.hv-pending', { testid: 'hv-pending', dataset: { id: String(ho.id) } },
      h('div.panel-head',
        h('h2', h('span.hv-pending-dot', { 'aria-hidden': 'true' }), h('span', t('hv.pendingTitle', { id: ho.id }))),
        hoStateBadge('pending'),
        h('span.panel-meta', t('hv.startedAt', { time: formatDateTime(ho.started_at) }))),
      h('div.hv-pending-body',
        staffingBox(ho),
        signatures(ho, signForm(ho)),
        bannerErr(),
        controlsRow(ho),
        noteBlock(ho),
        h('h3.hv-section-title', t('hv.carries')),
        summaryView(ho.summary),
        forceBox(ho)));
  }

  async function doSign(ho) {
    if (busy) return;
    clearErrs();
    if (!sign.password) { errs.signPassword = t('hv.err.passwordRequired'); renderTop(); focusEl('hv-sign-password'); return; }
    busy = 'sign';
    renderTop();
    try {
      const res = await api.post(`${api.API}/handovers/${ho.id}/sign`, { password: sign.password });
      if (destroyed) return;
      done(res, t('hv.signedToast', { id: ho.id }));
    } catch (err) {
      if (destroyed) return;
      busy = '';
      sign.password = '';
      showError(err, 'signPassword');
      renderTop();
      if (errs.signPassword) focusEl('hv-sign-password');
      if (errs.banner) load();
    }
  }

  async function doForce(ho) {
    if (busy) return;
    clearErrs();
    const reason = force.reason.trim();
    if (!reason) { errs.reason = t('hv.err.reason'); renderTop(); focusEl('hv-force-reason'); return; }
    if (bytes(reason) > REASON_MAX) { errs.reason = t('hv.err.reasonTooLong', { n: REASON_MAX }); renderTop(); return; }
    busy = 'force';
    renderTop();
    try {
      // Below the minimum, the leader's reason for forcing is the override's too.
      const body = { reason };
      if (ho.staffing && ho.staffing.below && !ho.override_by) body.override_reason = reason;
      const res = await api.post(`${api.API}/handovers/${ho.id}/force`, body);
      if (destroyed) return;
      done(res, t('hv.forcedToast', { id: ho.id }));
    } catch (err) {
      if (destroyed) return;
      busy = '';
      showError(err, 'reason');
      renderTop();
      if (errs.banner) load();
    }
  }

  function done(res, msg) {
    busy = '';
    sign.password = '';
    force.open = false;
    force.reason = '';
    justDone = res && res.id ? res : null;
    if (justDone) expanded.add(justDone.id);
    pending = null;
    toast(msg);
    offset = 0;
    render();
    load();
    handoverCenter.refresh();
  }

  // --- Starting a handover ---------------------------------------------------------------------

  function startPanel() {
    const previewBox = previewErr && !preview ? errorBanner(previewErr, () => loadPreview())
      : preview ? summaryView(preview, { testid: 'hv-preview' }) : loadingState();
    const head = h('div.panel-head',
      h('h2', t('hv.startTitle')), h('span.chip.ref-chip', 'S2 · R3.1'),
      h('span.panel-meta', t('hv.previewLive')));
    if (!canWrite) {
      return h('section.panel.hv-start', { testid: 'hv-start' }, head,
        h('div.hv-start-body',
          h('p.hv-none-pending', { testid: 'hv-none-pending' }, icon('check'), h('span', t('hv.nonePending'))),
          h('h3.hv-section-title', t('hv.previewTitle')), previewBox,
          h('p.muted.hv-readonly', { testid: 'hv-readonly' }, t('hv.readOnly'))));
    }

    const opt = (v) => h(`label.hv-choice.hv-choice-${v ? 'yes' : 'no'}`, { class: start.controls === v ? 'active' : '' },
      h('input', { type: 'radio', name: 'hv-controls', value: String(v), testid: v ? 'hv-controls-yes' : 'hv-controls-no', checked: start.controls === v,
        onchange: () => { start.controls = v; delete errs.controls; renderTop(); } }),
      icon(v ? 'check' : 'alert'), h('span', v ? t('hv.controlsAnswerYes') : t('hv.controlsAnswerNo')));
    const question = h('fieldset.hv-question', { testid: 'hv-controls-question', 'aria-invalid': errs.controls ? 'true' : null },
      h('legend', h('span.chip.ref-chip', 'R3.1'), h('span', t('hv.controlsQuestion'))),
      h('div.hv-choices', opt(true), opt(false)),
      start.controls === false ? h('div.hv-r31-warn-box', { testid: 'hv-controls-no-warning' }, icon('alert'), h('span', t('hv.controlsNoWarn'))) : null,
      fieldErr('controls'));
    const note = h('textarea.input.hv-textarea', { id: 'hv-note', testid: 'hv-note-input', rows: 3, maxlength: NOTE_MAX,
      placeholder: t('hv.notePlaceholder'), oninput: (e) => { start.note = e.target.value; } });
    note.value = start.note;
    const pw = h('input.input.hv-password', { type: 'password', id: 'hv-out-password', testid: 'hv-out-password', autocomplete: 'current-password',
      'aria-invalid': errs.outPassword ? 'true' : null, placeholder: t('hv.passwordPlaceholder'),
      oninput: (e) => { start.password = e.target.value; if (errs.outPassword) { delete errs.outPassword; e.target.removeAttribute('aria-invalid'); const fe = el.querySelector('[data-testid="hv-error-outPassword"]'); if (fe) fe.remove(); } } });
    pw.value = start.password;

    const outSig = h('div.hv-sig.hv-sig-out.hv-sig-form', { testid: 'hv-sig-out' },
      h('div.hv-sig-role', icon('logout'), h('span', t('hv.outgoing'))),
      h('div.hv-sig-who', { testid: 'hv-sig-out-who', dataset: { username: me } }, person(me, myName)),
      h('label.hv-label', { for: 'hv-out-password' }, t('hv.outLabel')),
      pw,
      fieldErr('outPassword'),
      h('p.hv-sig-hint', t('hv.outHint')),
      h('button.btn.btn-primary.hv-sign-btn', { type: 'submit', testid: 'hv-start-submit', disabled: !!busy },
        icon('check'), h('span', busy === 'start' ? t('hv.signing') : t('hv.startSubmit'))));
    const inSig = h('div.hv-sig.hv-sig-in.waiting', { testid: 'hv-sig-in' },
      h('div.hv-sig-role', icon('door'), h('span', t('hv.incoming'))),
      h('div.hv-sig-wait', t('hv.inAfterOut')));

    return h('section.panel.hv-start', { testid: 'hv-start' }, head,
      h('form.hv-start-body', { testid: 'hv-start-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); doStart(); } },
        h('p.hv-none-pending', { testid: 'hv-none-pending' }, icon('check'), h('span', t('hv.nonePending'))),
        h('h3.hv-section-title', t('hv.previewTitle')),
        previewBox,
        question,
        h('div.field.hv-note-field', h('label', { for: 'hv-note' }, t('hv.note'), h('span.cp-optional', t('cp.form.optional'))), note, fieldErr('note')),
        h('div.hv-sigs', { testid: 'hv-signatures' }, outSig, h('div.hv-sig-arrow', { 'aria-hidden': 'true' }, icon('chevron')), inSig),
        bannerErr()));
  }

  async function doStart() {
    if (busy) return;
    clearErrs();
    let bad = null;
    if (start.controls !== true && start.controls !== false) { errs.controls = t('hv.err.controls'); bad = bad || 'controls'; }
    if (bytes(start.note) > NOTE_MAX) { errs.note = t('hv.err.noteTooLong', { n: NOTE_MAX }); bad = bad || 'note'; }
    if (!start.password) { errs.outPassword = t('hv.err.passwordRequired'); bad = bad || 'outPassword'; }
    if (bad) {
      renderTop();
      if (bad === 'outPassword') focusEl('hv-out-password');
      else if (bad === 'controls') { const r = el.querySelector('[data-testid="hv-controls-yes"]'); if (r) r.focus(); }
      return;
    }
    busy = 'start';
    renderTop();
    const body = { password: start.password, controls_auto: start.controls };
    if (start.note.trim()) body.note = start.note.trim();
    try {
      const res = await api.post(`${api.API}/handovers`, body);
      if (destroyed) return;
      busy = '';
      start.controls = null;
      start.note = '';
      start.password = '';
      justDone = null;
      toast(t('hv.startedToast', { id: res && res.id }));
      if (res && res.id) pending = res;
      render();
      load();
      handoverCenter.refresh();
    } catch (err) {
      if (destroyed) return;
      busy = '';
      start.password = '';
      showError(err, 'outPassword');
      renderTop();
      if (errs.outPassword) focusEl('hv-out-password');
      if (errs.banner) load();
    }
  }

  // --- History ---------------------------------------------------------------------------

  function histItem(ho) {
    const open = expanded.has(ho.id);
    const done = ho.state === 'signed' || ho.state === 'forced';
    const details = h('details.hv-item', { testid: 'hv-item', dataset: { id: String(ho.id), state: ho.state || '' }, open,
      class: justDone && justDone.id === ho.id ? 'flash' : '',
      ontoggle: (e) => { if (e.target.open) expanded.add(ho.id); else expanded.delete(ho.id); } },
    h('summary.hv-item-head', { testid: 'hv-item-toggle' },
      h('span.hv-item-id', `#${ho.id}`),
      h('time.hv-item-time', { datetime: ho.started_at || '' }, formatDateTime(ho.started_at)),
      hoStateBadge(ho.state),
      h('span.hv-item-who', { testid: 'hv-item-who' },
        h('span', ho.outgoing_name || ho.outgoing || ''), h('span.hv-item-arrow', '→'),
        h('span', ho.state === 'signed' ? (ho.incoming_name || ho.incoming || '') : ho.state === 'forced' ? t('hv.forcedBy', { who: ho.forced_by || '' }) : t('hv.awaitingShort'))),
      ho.controls_auto === false ? h('span.hv-item-ctl', { title: t('hv.controlsNo') }, icon('alert'), h('span', t('hv.controlsNoShort'))) : null,
      done ? h('span.hv-lock', { testid: 'hv-immutable', title: t('hv.immutableTitle') }, icon('tamper'), h('span', t('hv.immutable'))) : null),
    h('div.hv-item-body',
      signatures(ho, ho.state === 'pending' ? h('div.hv-sig-wait', t('hv.awaitingIncoming')) : null),
      controlsRow(ho),
      noteBlock(ho),
      h('h3.hv-section-title', t('hv.carried')),
      summaryView(ho.summary)));
    return h('li', details);
  }

  function renderHist() {
    if (destroyed) return;
    if (!hist) {
      if (loadErr) mount(histHost, errorBanner(loadErr, () => load()));
      return;
    }
    histMeta.textContent = t('hv.historyMeta', { n: formatNumber(histTotal) });
    histMeta.dataset.total = String(histTotal);
    mount(histHost,
      hist.length === 0 ? emptyState(t('hv.historyEmpty'))
        : h('ol.hv-items', { testid: 'hv-items' }, hist.map(histItem)),
      histTotal > HISTORY_PAGE ? pager({ limit: HISTORY_PAGE, offset, total: histTotal }, (np) => { offset = np.offset; load(); }, 'hv-pager') : null);
  }

  // --- The whole page ---------------------------------------------------------------------------

  function donePanel(ho) {
    return h('section.panel.hv-done', { testid: 'hv-done', dataset: { id: String(ho.id), state: ho.state || '' } },
      h('div.panel-head',
        h('h2', icon(ho.state === 'forced' ? 'alert' : 'check'), h('span', t(ho.state === 'forced' ? 'hv.doneForcedTitle' : 'hv.doneTitle', { id: ho.id }))),
        hoStateBadge(ho.state),
        h('button.btn.btn-ghost.btn-sm.panel-meta', { type: 'button', testid: 'hv-done-close', onclick: () => { justDone = null; renderTop(); } }, t('common.close'))),
      h('div.hv-pending-body', signatures(ho), controlsRow(ho),
        h('p.hv-immutable-note', icon('tamper'), h('span', t('hv.immutableTitle')))));
  }

  function renderTop() {
    if (destroyed) return;
    const focusId = document.activeElement && document.activeElement.id;
    if (pending === undefined) {
      mount(topHost, loadErr ? errorBanner(loadErr, () => load()) : loadingState());
      return;
    }
    mount(topHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      justDone && !pending ? donePanel(justDone) : null,
      pending ? pendingPanel(pending) : startPanel());
    if (focusId) focusEl(focusId);
  }

  function render() {
    renderTop();
    renderHist();
  }

  function focusEl(id) { const f = el.querySelector(`#${id}`); if (f) f.focus(); }

  // --- Start ---------------------------------------------------------------------------------

  load();
  const reload = debounce(() => { if (!destroyed && !busy) load(); }, 250);
  const reloadPreview = debounce(() => { if (!destroyed && pending === null) loadPreview(); }, 400);

  return {
    onEvent(ev) {
      rs.onEvent(ev);
      if (ev.type === 'reset' || ev.type === 'handover' || ev.type === 'roster') { reload(); return; }
      // What the preview counts changes with these.
      if (['incident', 'device.status', 'duty', 'complaint', 'handoff', 'line_use.flagged', 'recording'].includes(ev.type)) reloadPreview();
    },
    destroy() { destroyed = true; rs.destroy(); },
  };
}
