// 事件详情 Incident page (#/incidents/{id}): header, the actions valid for the
// current state (确认接警 → 通知区域保安 → 核实 → 处置完毕 → 复位 → 关闭), the
// response checklist the server gates closing on (R3.4.5, R3.4.6 …), notes,
// the timeline, the alarm messages, who to call (with one-click call logging)
// and hand-offs to guard posts (R3.4.15).

import { t, tEnum, lang } from '../i18n.js';
import * as api from '../api.js';
import * as center from '../alarm-center.js';
import { h, mount, icon, loadingState, errorBanner, emptyState, table, timeCell, formatTime, formatNumber, toast, debounce } from '../ui.js';
import { MOVES, VERDICTS, typeIcon, typeLabel, priorityBadge, stateBadge, verdictBadge, locationBlock, locationChips, placeName, zoneText,
  elapsedEl, tickElapsed, formatElapsed } from '../incident-ui.js';
import { incidentClosedNote } from '../equipment-text.js';

// The regulation clause each checklist follows (data/checklists/*.json).
const CLAUSES = {
  fire: 'R3.4.5', smoke_heat: 'R3.4.5', intrusion: 'R3.4.5', elevator: 'R3.4.6',
  panic: 'R3.3', tamper: 'R3.3', trouble: 'R3.3', comm_failure: 'R3.3', other: 'R3.3',
};

// Whom to call first, by incident type (besides the roles the checklist names).
const KEY_CONTACTS = {
  fire: ['shift_leader', 'manager', 'engineering', 'fire'],
  smoke_heat: ['shift_leader', 'engineering', 'fire'],
  intrusion: ['shift_leader', 'supervisor', 'police'],
  tamper: ['shift_leader', 'engineering'],
  panic: ['shift_leader', 'supervisor', 'police', 'ambulance'],
  elevator: ['shift_leader', 'elevator_company', 'engineering', 'ambulance'],
  trouble: ['engineering', 'shift_leader'],
  comm_failure: ['engineering', 'shift_leader'],
  other: ['shift_leader'],
};

const EMERGENCY = [
  { role: 'fire', number: '119', icon: 'fire', label: 'contacts.fireLine' },
  { role: 'police', number: '110', icon: 'police', label: 'contacts.policeLine' },
  { role: 'ambulance', number: '120', icon: 'ambulance', label: 'contacts.ambulanceLine' },
];

const ACTION_ICONS = { acknowledged: 'check', dispatched: 'guard', resolved: 'done', reset: 'reset', closed: 'archive' };

function local(obj) {
  if (!obj || typeof obj !== 'object') return obj ? String(obj) : '';
  return obj[lang()] || obj['zh-CN'] || obj.en || '';
}

export default function incidentPage(el, ctx) {
  const id = Number(ctx.sub);
  const canHandle = ctx.can('incident.handle');
  let destroyed = false;
  let inc = null;
  let contacts = null;
  let areas = null;
  let busy = false;
  // Drafts survive re-renders (live updates rebuild the page).
  let noteDraft = '';
  let handoffDraft = '';
  let handoffArea = '';
  const factDrafts = new Map();   // step -> {fact: value}
  const skipDrafts = new Map();   // step -> reason (present = the skip form is open)

  if (!Number.isInteger(id) || id <= 0) {
    mount(el, backBar(), emptyState(t('app.pageNotFound')));
    return null;
  }

  function backBar() {
    return h('nav.inc-back', { 'aria-label': t('incident.backNav') },
      h('a.btn.btn-ghost.btn-sm', { href: '#/alarms', testid: 'incident-back' }, icon('back'), h('span', t('incident.backToConsole'))),
      h('a.btn.btn-ghost.btn-sm', { href: '#/incidents' }, icon('history'), h('span', t('nav.incidents'))));
  }

  const actionErr = h('div', { testid: 'incident-action-error' });

  async function load() {
    try {
      const [detail, cs, as] = await Promise.all([
        api.get(`${api.API}/incidents/${id}`),
        contacts ? Promise.resolve(contacts) : api.listAll('contacts').then((r) => r.items).catch(() => []),
        areas || !canHandle ? Promise.resolve(areas) : api.listAll('areas').then((r) => r.items).catch(() => []),
      ]);
      if (destroyed) return;
      // A live update often repeats what the page already shows (our own
      // change, then its SSE echo): do not rebuild the page under the
      // operator's pointer for nothing.
      const same = inc && JSON.stringify(detail) === JSON.stringify(inc);
      inc = detail;
      contacts = cs;
      areas = as;
      document.title = `${t('incident.docTitle', { id })} · ${t('app.name')}`;
      if (!same) render();
    } catch (err) {
      if (destroyed) return;
      if (!inc) mount(el, backBar(), errorBanner(err, () => load()));
      else mount(actionErr, errorBanner(err, () => load()));
    }
  }

  // Runs one change; `apply(result)` gets the answer. Errors show the server's
  // problem title and detail above the actions.
  async function act(fn, apply) {
    if (busy) return;
    busy = true;
    mount(actionErr);
    setButtonsDisabled(true);
    try {
      const res = await fn();
      if (destroyed) return;
      busy = false;
      await apply(res);
    } catch (err) {
      if (destroyed) return;
      busy = false;
      setButtonsDisabled(false);
      mount(actionErr, errorBanner(err));
      actionErr.scrollIntoView({ block: 'nearest' });
    }
  }

  function transition(to, verdict) {
    const body = { to };
    if (verdict) body.verdict = verdict;
    const note = noteDraft.trim();
    if (note) body.note = note;
    return act(() => api.post(`${api.API}/incidents/${id}/transition`, body), async (row) => {
      noteDraft = '';
      center.upsert(row);
      toast(t('incident.moved', { state: tEnum('incidentState', row.state) }));
      await load();
    });
  }

  function addNote() {
    const note = noteDraft.trim();
    if (!note) return null;
    return act(() => api.post(`${api.API}/incidents/${id}/notes`, { note }), async (detail) => {
      noteDraft = '';
      toast(t('incident.noteAdded'));
      await showDetail(detail);
    });
  }

  function setStep(step, status, extra = {}) {
    return act(() => api.post(`${api.API}/incidents/${id}/steps`, { step, status, ...extra }), async (detail) => {
      factDrafts.delete(step);
      skipDrafts.delete(step);
      await showDetail(detail);
    });
  }

  function logCall(c) {
    return act(() => api.post(`${api.API}/incidents/${id}/calls`, { contact_id: c.id }), async (detail) => {
      toast(t('incident.callLogged', { name: c.name, phone: c.phone || '' }));
      await showDetail(detail);
    });
  }

  function handOff() {
    const text = handoffDraft.trim();
    const areaId = Number(handoffArea);
    if (!text || !areaId) return null;
    return act(() => api.post(`${api.API}/handoffs`, { area_id: areaId, text, incident_id: id }), async (ho) => {
      handoffDraft = '';
      toast(t('incident.handedOff', { area: (ho && ho.area_name) || '' }));
      await load();
    });
  }

  async function showDetail(detail) {
    if (detail && Array.isArray(detail.events)) { inc = detail; render(); } else await load();
  }

  function setButtonsDisabled(on) {
    for (const b of el.querySelectorAll('[data-action-button]')) b.disabled = on;
  }

  // --- Header ---------------------------------------------------------------------

  function header() {
    const p = Math.min(4, Math.max(1, inc.priority || 4));
    const closed = inc.state === 'closed';
    const timer = closed
      ? h('span.elapsed', formatElapsed(Date.parse(inc.closed_at || inc.updated_at) - Date.parse(inc.opened_at)))
      : elapsedEl(inc.opened_at, center.now, 'elapsed');
    return h(`section.panel.inc-head.aq-p${p}`, { testid: 'incident-header', dataset: { state: inc.state, type: inc.type, priority: String(p) } },
      h('div.inc-head-main',
        h('div.inc-type-icon', typeIcon(inc.type)),
        h('div.inc-head-text',
          h('div.inc-badges', priorityBadge(p), h('span.inc-prio-label', tEnum('priority', String(p))), stateBadge(inc.state), verdictBadge(inc.verdict),
            inc.injured ? h('span.chip.chip-injured', { testid: 'injured-badge' }, t('incident.injured')) : null,
            (inc.escalations || []).length ? h('span.chip.chip-escalated', { testid: 'escalated-badge' }, icon('alert'), t('incident.escalated')) : null),
          h('h1.inc-title', { testid: 'page-title' }, typeLabel(inc.type), h('span.inc-id', `#${inc.id}`)),
          locationBlock(inc))),
      h('div.inc-timer', { testid: 'incident-timer' },
        h('span.inc-timer-label', closed ? t('incident.duration') : t('incident.elapsed')), timer,
        h('span.inc-timer-sub', t('incident.openedShort', { time: inc.opened_at ? formatTime(new Date(inc.opened_at)) : t('common.none') }))));
  }

  function escalationBanners() {
    const list = Array.isArray(inc.escalations) ? inc.escalations : [];
    if (!list.length) return null;
    return h('div.esc-list', { testid: 'incident-escalations' }, list.map((e) => h('div.banner.banner-warn.esc-item', { testid: 'escalation', dataset: { level: e.level || '' } },
      icon('alert'),
      h('div.banner-body',
        h('div.banner-title', t(e.level === 'major' ? 'incident.esc.major' : 'incident.esc.leader')),
        h('div.banner-detail', h('span.mono', e.reason || ''), ' · ', timeCell(e.created_at),
          ' · ', h('span', { testid: 'escalation-delivery' }, e.delivered_at ? t('incident.esc.delivered')
            : inc.escalation_webhook === false ? t('incident.esc.streamOnly')
              : e.attempts ? t('incident.esc.retrying', { n: e.attempts }) : t('incident.esc.pending')))))));
  }

  function facts() {
    const row = (label, value, testid) => [h('dt', label), h('dd', { testid }, value === null || value === undefined || value === '' ? t('common.none') : value)];
    return h('section.panel', { testid: 'incident-facts' },
      h('div.panel-head', h('h2', t('incident.factsTitle'))),
      h('dl.kv.kv-facts',
        row(t('incident.openedAt'), timeCell(inc.opened_at)),
        row(t('incident.lastAlarmAt'), timeCell(inc.last_alarm_at)),
        row(t('incident.alarmCount'), h('span.mono', formatNumber(inc.alarm_count || 0)), 'incident-alarm-count'),
        row(t('incident.ackedAt'), inc.acked_at ? h('span', timeCell(inc.acked_at), inc.acked_by ? h('span.muted', ` · ${inc.acked_by}`) : null) : null),
        row(t('incident.device'), inc.device_name ? `${inc.device_name}${inc.device_kind ? `（${tEnum('deviceKind', inc.device_kind)}）` : ''}` : null),
        row(t('incident.accountZone'), zoneText(inc) ? h('span.mono', zoneText(inc)) : null),
        row(t('incident.source'), inc.source ? h('code', inc.source) : null),
        inc.closed_at ? row(t('incident.closedAt'), timeCell(inc.closed_at)) : null));
  }

  // --- Actions --------------------------------------------------------------------

  function openRequired() {
    return (inc.checklist || []).filter((s) => s.required && s.applies && s.status === 'open');
  }

  function actionButton(to, primary) {
    return h(`button.btn${primary ? '.btn-primary' : ''}`, {
      type: 'button', testid: `action-${to}`, dataset: { actionButton: '1' }, disabled: busy,
      onclick: () => transition(to),
    }, icon(ACTION_ICONS[to] || 'chevron'), h('span', tEnum('incidentAction', to)));
  }

  function verifyGroup(primary) {
    return h(`div.verify-group${primary ? '.verify-primary' : ''}`, { testid: 'verify-group', role: 'group', 'aria-label': t('incident.verifyLabel') },
      h('span.verify-label', icon('eye'), t('incident.verifyLabel')),
      VERDICTS.map((v) => h(`button.btn.btn-verdict.verdict-btn-${v}`, {
        type: 'button', testid: `action-verify-${v}`, dataset: { actionButton: '1' }, disabled: busy,
        onclick: () => transition('verified', v),
      }, tEnum('verdict', v))));
  }

  function actions() {
    const moves = MOVES[inc.state] || [];
    const panel = h('section.panel.inc-actions', { testid: 'incident-actions' },
      h('div.panel-head', h('h2', t('incident.actions')),
        h('span.panel-meta', { testid: 'incident-next' }, inc.state === 'closed' ? t('incident.closedHint') : t(`incident.next.${inc.state}`))));
    const body = h('div.inc-actions-body');
    if (!canHandle) {
      mount(body, h('p.muted.readonly-hint', { testid: 'incident-readonly' }, t('incident.readOnly')));
    } else if (!moves.length) {
      mount(body, h('p.muted.readonly-hint', t('incident.closedHint')));
    } else {
      const btns = [];
      moves.forEach((to, i) => {
        if (to === 'verified') btns.push(verifyGroup(i === 0));
        else btns.push(actionButton(to, i === 0));
      });
      const remaining = moves.includes('closed') ? openRequired() : [];
      const note = h('textarea.input.note-input', {
        id: 'incident-note-input', testid: 'incident-note', rows: 2, maxlength: 2000, placeholder: t('incident.notePlaceholder'),
        'aria-label': t('incident.note'), dataset: { focusKey: 'note' },
        oninput: (e) => { noteDraft = e.target.value; noteBtn.disabled = busy || !noteDraft.trim(); },
      });
      note.value = noteDraft;
      const noteBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'incident-note-add', dataset: { actionButton: '1' }, disabled: busy || !noteDraft.trim(), onclick: addNote },
        icon('note'), h('span', t('incident.addNote')));
      mount(body,
        h('div.action-row', btns),
        remaining.length ? h('div.close-gate', { testid: 'close-gate' }, icon('alert'),
          h('span', t('incident.closeGate', { n: remaining.length, steps: remaining.map((s) => local(s.text)).join('；') }))) : null,
        h('div.note-row', h('label.note-label', { for: 'incident-note-input' }, t('incident.note'), h('span.muted', ` · ${t('incident.noteHint')}`)),
          h('div.note-box', note, noteBtn)));
    }
    panel.appendChild(h('div.inc-actions-wrap', actionErr, body));
    return panel;
  }

  // --- Checklist --------------------------------------------------------------------

  function contactFor(role) {
    const list = Array.isArray(contacts) ? contacts : [];
    return list.find((c) => c.role === role) || null;
  }

  function defaultFact(fact) {
    const site = ctx.site || {};
    switch (fact) {
      case 'address': return [site.name, site.address].filter(Boolean).join('，');
      case 'location': return [placeName(inc), ...locationChips(inc)].join(' ');
      case 'caller_name': return (ctx.user && (ctx.user.display_name || ctx.user.username)) || '';
      default: return '';
    }
  }

  function factsForm(step) {
    const drafts = factDrafts.get(step.id) || {};
    return h('div.cl-facts', { testid: 'step-facts' }, step.facts.map((f) => {
      const v = f.id in drafts ? drafts[f.id] : defaultFact(f.id);
      const input = h('input.input.input-sm', {
        testid: 'step-fact', dataset: { fact: f.id, focusKey: `fact:${step.id}:${f.id}` }, maxlength: 200, value: v,
        oninput: (e) => { const d = factDrafts.get(step.id) || {}; d[f.id] = e.target.value; factDrafts.set(step.id, d); },
      });
      return h('label.cl-fact', h('span', local(f.label)), input);
    }));
  }

  function factValues(step) {
    const values = step.values && typeof step.values === 'object' ? step.values : {};
    const keys = Object.keys(values);
    if (!keys.length || !Array.isArray(step.facts)) return null;
    return h('dl.cl-values', step.facts.filter((f) => values[f.id]).map((f) => [h('dt', local(f.label)), h('dd', values[f.id])]));
  }

  function collectFacts(step) {
    const out = {};
    const drafts = factDrafts.get(step.id) || {};
    for (const f of step.facts || []) {
      const v = String(f.id in drafts ? drafts[f.id] : defaultFact(f.id)).trim();
      if (v) out[f.id] = v.slice(0, 200);
    }
    return out;
  }

  function stepRow(step, n) {
    const open = step.status === 'open';
    const na = !step.applies;
    const flag = !!step.flag;
    const c = step.contact ? contactFor(step.contact) : null;
    const tags = [];
    if (step.required) tags.push(h('span.cl-tag.cl-tag-req', t('checklist.required')));
    else tags.push(h('span.cl-tag', t('checklist.optional')));
    if (step.when === 'real') tags.push(h('span.cl-tag.cl-tag-when', t('checklist.whenReal')));
    if (step.when_flag === 'injured') tags.push(h('span.cl-tag.cl-tag-when', t('checklist.whenInjured')));

    let controls = null;
    if (canHandle && open && !na && inc.state !== 'closed') {
      if (skipDrafts.has(step.id)) {
        const reason = h('input.input.input-sm', {
          testid: 'step-skip-reason', placeholder: t('checklist.skipReason'), maxlength: 500, value: skipDrafts.get(step.id),
          dataset: { focusKey: `skip:${step.id}` },
          oninput: (e) => { skipDrafts.set(step.id, e.target.value); ok.disabled = busy || !e.target.value.trim(); },
          onkeydown: (e) => { if (e.key === 'Enter' && e.target.value.trim()) ok.click(); if (e.key === 'Escape') { skipDrafts.delete(step.id); render(); } },
        });
        const ok = h('button.btn.btn-sm', { type: 'button', testid: 'step-skip-confirm', dataset: { actionButton: '1' }, disabled: busy || !String(skipDrafts.get(step.id)).trim(),
          onclick: () => setStep(step.id, 'skipped', { reason: reason.value.trim() }) }, t('checklist.skipConfirm'));
        controls = h('div.cl-skip', reason, ok,
          h('button.btn.btn-ghost.btn-sm', { type: 'button', onclick: () => { skipDrafts.delete(step.id); render(); } }, t('common.cancel')));
      } else if (flag) {
        controls = h('div.cl-actions',
          h('button.btn.btn-sm.btn-danger-ghost', { type: 'button', testid: 'step-done', dataset: { actionButton: '1' }, disabled: busy,
            onclick: () => setStep(step.id, 'done') }, t('checklist.flagYes')));
      } else {
        controls = h('div.cl-actions',
          h('button.btn.btn-sm.btn-step', { type: 'button', testid: 'step-done', dataset: { actionButton: '1' }, disabled: busy,
            onclick: () => setStep(step.id, 'done', step.facts ? { facts: collectFacts(step) } : {}) }, icon('check'), h('span', t('checklist.done'))),
          h('button.btn.btn-sm.btn-ghost', { type: 'button', testid: 'step-skip', dataset: { actionButton: '1' }, disabled: busy,
            onclick: () => { skipDrafts.set(step.id, ''); render(); } }, t('checklist.skip')));
      }
    }

    const status = step.status === 'done'
      ? h('div.cl-status.cl-status-done', icon('check'), h('span', flag ? t('checklist.flagged') : t('checklist.doneBy', { actor: step.actor || '' })), step.at ? timeCell(step.at) : null)
      : step.status === 'skipped'
        ? h('div.cl-status.cl-status-skipped', h('span', t('checklist.skippedBy', { actor: step.actor || '', reason: step.reason || '' })), step.at ? timeCell(step.at) : null)
        : na ? h('div.cl-status.cl-status-na', t(step.when_flag ? 'checklist.naInjured' : 'checklist.naVerdict')) : null;

    const contactLine = step.contact ? h('div.cl-contact',
      icon('phone'),
      c && c.name && c.name.includes(tEnum('contactRole', step.contact)) ? null : h('span.cl-contact-role', tEnum('contactRole', step.contact)),
      c ? [h('span.cl-contact-name', c.name), c.phone ? h('a.phone', { href: `tel:${c.phone}` }, c.phone) : null,
        canHandle && inc.state !== 'closed' ? h('button.btn.btn-ghost.btn-sm.btn-call', { type: 'button', testid: 'step-call', dataset: { actionButton: '1' }, disabled: busy, onclick: () => logCall(c) },
          t('incident.logCall')) : null]
        : h('span.muted', t('incident.noContact'))) : null;

    return h(`li.cl-step.cl-${step.status}${na ? '.cl-na' : ''}`, { testid: 'checklist-step', dataset: { step: step.id, status: step.status, applies: String(!!step.applies), required: String(!!step.required) } },
      h('span.cl-num', step.status === 'done' ? icon('check') : String(n)),
      h('div.cl-body',
        h('div.cl-text', h('span', local(step.text)), tags),
        contactLine,
        open && !na && step.facts && canHandle && inc.state !== 'closed' ? factsForm(step) : factValues(step),
        status),
      controls);
  }

  function checklist() {
    const steps = Array.isArray(inc.checklist) ? inc.checklist : [];
    const req = steps.filter((s) => s.required && s.applies);
    const doneReq = req.filter((s) => s.status !== 'open').length;
    const pct = req.length ? Math.round((doneReq / req.length) * 100) : 100;
    return h('section.panel.inc-checklist', { testid: 'checklist' },
      h('div.panel-head', h('h2', t('checklist.title')), h('span.chip.ref-chip', CLAUSES[inc.type] || 'R3.3'),
        h('span.cl-progress', { testid: 'checklist-progress', dataset: { done: String(doneReq), total: String(req.length) } },
          h('span.cl-progress-bar', h('span.cl-progress-fill', { style: { width: `${pct}%` } })),
          h('span.cl-progress-text', t('checklist.progress', { done: doneReq, total: req.length })))),
      steps.length === 0 ? emptyState(t('checklist.empty'))
        : h('ol.cl-list', steps.map((s, i) => stepRow(s, i + 1))));
  }

  // --- Timeline and messages ----------------------------------------------------------

  function stepText(stepId) {
    const s = (inc.checklist || []).find((x) => x.id === stepId);
    return s ? local(s.text) : stepId;
  }

  function describe(ev) {
    switch (ev.kind) {
      case 'opened': return t('incident.ev.opened');
      case 'transition': return h('span.ev-move', tEnum('incidentState', ev.from_state), h('span.ev-arrow', '→'), h('strong', tEnum('incidentState', ev.to_state)));
      case 'note': return t('incident.ev.note');
      case 'restore': return t('incident.ev.restore');
      case 'restored': return t('incident.ev.restored');
      case 'call': return t('incident.ev.call');
      case 'escalated': return t('incident.ev.escalated');
      case 'handoff': return t('incident.ev.handoff');
      case 'step': {
        // The server writes "STEP STATUS[: REASON]".
        const m = /^(\S+)\s+(done|skipped)(?::\s*(.*))?$/s.exec(ev.note || '');
        if (!m) return t('incident.ev.step');
        return h('span', t(m[2] === 'done' ? 'incident.ev.stepDone' : 'incident.ev.stepSkipped'), h('strong', stepText(m[1])));
      }
      default: return ev.kind;
    }
  }

  function eventNote(ev) {
    if (!ev.note) return null;
    if (ev.kind === 'step') {
      const m = /^(\S+)\s+(done|skipped)(?::\s*(.*))?$/s.exec(ev.note);
      if (m) return m[3] ? h('div.tl-note', m[3]) : null;
    }
    if (ev.kind === 'transition' && ev.actor === 'system') {
      const x = incidentClosedNote(ev.note); // a camera ticket's verification closed it
      if (x) return h('div.tl-note', x);
    }
    const mono = ev.kind === 'opened' || ev.kind === 'restore' || ev.kind === 'escalated';
    return h(mono ? 'div.tl-note.mono' : 'div.tl-note', ev.note);
  }

  function timeline() {
    const evs = Array.isArray(inc.events) ? inc.events : [];
    return h('section.panel', { testid: 'incident-timeline' },
      h('div.panel-head', h('h2', t('incident.timeline')), h('span.count-pill', formatNumber(evs.length))),
      evs.length === 0 ? emptyState(t('incident.timelineEmpty')) : h('ol.timeline',
        evs.map((ev) => h(`li.tl-item.tl-${ev.kind}`, { testid: 'timeline-item', dataset: { kind: ev.kind || '', to: ev.to_state || '' } },
          h('span.tl-dot', { 'aria-hidden': 'true' }),
          h('div.tl-body',
            h('div.tl-line', h('span.tl-what', describe(ev)), h('span.tl-actor', ev.actor === 'system' ? t('incident.system') : ev.actor || t('common.none'))),
            eventNote(ev),
            h('div.tl-time', timeCell(ev.at)))))));
  }

  function alarmsPanel() {
    const rows = Array.isArray(inc.alarms) ? inc.alarms : [];
    const total = Number.isFinite(inc.alarms_total) ? inc.alarms_total : rows.length;
    const cols = [
      { key: 'received_at', label: t('incident.msg.at'), cell: (a) => timeCell(a.received_at), cls: 'col-time' },
      { key: 'protocol', label: t('incident.msg.protocol'), cell: (a) => a.protocol ? h('span.mono', a.protocol) : null },
      { key: 'code', label: t('incident.msg.code'), cell: (a) => h('code.msg-code', a.code) },
      { key: 'kind', label: t('incident.msg.kind'), cell: (a) => h(`span.chip.kind-${a.kind}`, tEnum('alarmKind', a.kind)) },
      { key: 'zone', label: t('incident.msg.zone'), cell: (a) => a.zone ? h('span.mono', a.zone) : null },
      { key: 'partition', label: t('incident.msg.partition'), cell: (a) => a.partition ? h('span.mono', a.partition) : null },
      { key: 'seq', label: t('incident.msg.seq'), cell: (a) => a.seq !== null && a.seq !== undefined ? h('span.mono.muted', String(a.seq)) : null },
      { key: 'text', label: t('incident.msg.text'), cell: (a) => a.text, cls: 'col-note' },
    ];
    return h('section.panel', { testid: 'incident-alarms' },
      h('div.panel-head', h('h2', t('incident.messages')),
        h('span.panel-meta', { testid: 'incident-alarms-total', dataset: { total: String(total) } },
          total > rows.length ? t('incident.messagesNewest', { n: rows.length, total }) : t('pager.total', { total }))),
      rows.length === 0 ? emptyState(t('incident.messagesEmpty'))
        : table(cols, rows, { testid: 'incident-alarm-table', rowTestid: 'incident-alarm-row', rowAttrs: (a) => ({ dataset: { id: String(a.id), code: a.code || '' } }) }));
  }

  // --- Side: contacts and hand-offs -------------------------------------------------------

  function contactsPanel() {
    const keys = [...new Set([...(inc.checklist || []).filter((s) => s.contact && s.applies).map((s) => s.contact), ...(KEY_CONTACTS[inc.type] || KEY_CONTACTS.other)])];
    const list = Array.isArray(contacts) ? contacts : [];
    const internal = list.filter((c) => c.scope !== 'external')
      .map((c) => ({ c, rank: keys.includes(c.role) ? keys.indexOf(c.role) : 99 }))
      .sort((a, b) => a.rank - b.rank || a.c.id - b.c.id);
    const external = EMERGENCY.map((e) => {
      const c = list.find((x) => x.scope === 'external' && x.role === e.role);
      return { ...e, contact: c, number: (c && c.phone) || e.number, key: keys.includes(e.role) };
    });
    const canCall = canHandle && inc.state !== 'closed';
    return h('section.panel.inc-contacts', { testid: 'incident-contacts' },
      h('div.panel-head', h('h2', t('incident.whoToCall'))),
      h('div.em-mini', external.map((e) => h(`div.em-mini-card.em-${e.role}${e.key ? '.em-key' : ''}`, { testid: `incident-emergency-${e.role}` },
        h('a.em-mini-link', { href: `tel:${e.number}` }, icon(e.icon, 'em-mini-icon'), h('span.em-mini-number', e.number), h('span.em-mini-label', t(e.label))),
        canCall && e.contact ? h('button.btn.btn-ghost.btn-sm.btn-call', { type: 'button', testid: 'contact-call', dataset: { actionButton: '1' }, disabled: busy, onclick: () => logCall(e.contact) }, t('incident.logCall')) : null))),
      h('div.contact-sub', t('incident.internalContacts')),
      internal.length === 0 ? emptyState(t('contacts.empty')) : h('ul.contact-list',
        internal.map(({ c, rank }) => h(`li${rank < 99 ? '.contact-key' : ''}`, { testid: 'incident-contact', dataset: { role: c.role, id: String(c.id) } },
          h('div.contact-who',
            h('span.contact-role', tEnum('contactRole', c.role), rank < 99 ? h('span.key-tag', t('incident.callFirst')) : null),
            h('span.contact-name', c.name)),
          h('div.contact-act',
            c.phone ? h('a.phone', { href: `tel:${c.phone}`, testid: 'incident-contact-phone' }, icon('phone'), c.phone) : h('span.muted', t('common.none')),
            canCall ? h('button.btn.btn-ghost.btn-sm.btn-call', { type: 'button', testid: 'contact-call', dataset: { actionButton: '1' }, disabled: busy, onclick: () => logCall(c), title: t('incident.logCallTitle') }, t('incident.logCall')) : null)))));
  }

  function handoffState(ho) {
    if (ho.done_at) return h('span.badge.ho-done', t('handoff.done'));
    if (ho.taken_at) return h('span.badge.ho-taken', t('handoff.taken', { who: ho.taken_by || '' }));
    return h('span.badge.ho-open', t('handoff.open'));
  }

  function handoffsPanel() {
    const list = Array.isArray(inc.handoffs) ? inc.handoffs : [];
    let form = null;
    if (canHandle && inc.state !== 'closed' && Array.isArray(areas) && areas.length) {
      if (!handoffArea) handoffArea = String(inc.area_id || (areas.find((a) => a.kind === 'gate') || areas[0]).id);
      const sel = h('select.select.select-sm', { testid: 'handoff-area', 'aria-label': t('handoff.area'), onchange: (e) => { handoffArea = e.target.value; } },
        areas.map((a) => h('option', { value: String(a.id), selected: String(a.id) === handoffArea }, a.name)));
      const text = h('input.input.input-sm', { testid: 'handoff-text', placeholder: t('handoff.placeholder'), maxlength: 1000, value: handoffDraft,
        dataset: { focusKey: 'handoff' }, oninput: (e) => { handoffDraft = e.target.value; btn.disabled = busy || !handoffDraft.trim(); } });
      const btn = h('button.btn.btn-sm', { type: 'button', testid: 'handoff-send', dataset: { actionButton: '1' }, disabled: busy || !handoffDraft.trim(), onclick: handOff },
        icon('guard'), h('span', t('handoff.send')));
      form = h('div.ho-form', sel, text, btn);
    }
    return h('section.panel.inc-handoffs', { testid: 'incident-handoffs' },
      h('div.panel-head', h('h2', t('handoff.title')), h('span.chip.ref-chip', 'R3.4.15'),
        h('a.panel-link', { href: '#/handoffs', testid: 'incident-handoffs-link' }, t('nav.handoffs'))),
      list.length ? h('ul.ho-list', list.map((ho) => h('li', { testid: 'handoff', dataset: { id: String(ho.id) } },
        h('div.ho-line', h('span.ho-area', ho.area_name || ''), handoffState(ho)),
        h('div.ho-text', ho.text),
        ho.result ? h('div.ho-result', t('handoff.result', { result: ho.result })) : null,
        h('div.ho-meta', ho.created_by || '', ' · ', timeCell(ho.created_at))))) : h('p.ho-empty', t('handoff.none')),
      form);
  }

  // --- Render ---------------------------------------------------------------------------

  function render() {
    if (destroyed || !inc) return;
    const ae = document.activeElement;
    const focusKey = ae && el.contains(ae) && ae.dataset ? ae.dataset.focusKey : null;
    const sel = focusKey && typeof ae.selectionStart === 'number' ? [ae.selectionStart, ae.selectionEnd] : null;
    mount(el,
      backBar(),
      header(),
      escalationBanners(),
      h('div.inc-grid',
        h('div.inc-col-main', actions(), checklist(), timeline(), alarmsPanel()),
        h('div.inc-col-side', facts(), contactsPanel(), handoffsPanel())));
    if (focusKey) {
      const n = [...el.querySelectorAll('[data-focus-key]')].find((x) => x.dataset.focusKey === focusKey);
      if (n) { n.focus({ preventScroll: true }); if (sel) { try { n.setSelectionRange(sel[0], sel[1]); } catch (_) { /* ignore */ } } }
    } else {
      const skip = el.querySelector('[data-testid="step-skip-reason"]');
      if (skip && !skip.value) skip.focus({ preventScroll: true });
    }
  }

  const reload = debounce(() => { if (!destroyed && !busy) load(); }, 250);
  const ticker = setInterval(() => { if (!destroyed) tickElapsed(el, center.now); }, 1000);

  mount(el, backBar(), loadingState());
  load();

  return {
    onEvent(ev) {
      const d = ev.data;
      if (ev.type === 'incident' && d && d.id === id) reload();
      else if ((ev.type === 'alarm' || ev.type === 'escalation' || ev.type === 'handoff') && d && d.incident_id === id) reload();
      else if (ev.type === 'reset') reload();
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}
