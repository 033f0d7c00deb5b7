// 报修单详情 One fault ticket (#/tickets/ID): the facts, the timeline (every
// transition with who, when and the note) and the actions the user may take:
// assign (ticket.write), record the repair (ticket.repair), verify or reject
// and close (ticket.verify), add a note (ticket.write). Errors of a form are
// shown at its fields (problem+json).

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, pageHeader, loadingState, errorBanner, timeCell, toast } from '../ui.js';
import { ASSIGNEE_KINDS, ticketStateBadge, overdueFlag, duration } from '../equipment-ui.js';
import { ticketTitle, ticketNote, cameraDetail } from '../equipment-text.js';

export default function ticketPage(el, ctx) {
  const id = Number(ctx.sub);
  let destroyed = false;
  let busy = false;
  mount(el, loadingState());

  async function load() {
    try {
      const tk = await api.get(`${api.API}/tickets/${id}`);
      if (!destroyed) render(tk);
    } catch (err) {
      if (!destroyed) mount(el, pageHeader(t('eq.ticketTitle', { id })), errorBanner(err, load));
    }
  }

  // A small form: fields (inputs/selects keyed by API name) and a submit.
  function form(tk0, action, fields, label, testid, primary = true) {
    const errEl = h('div.field-error', { testid: `${testid}-error`, hidden: true });
    const btn = h(`button.btn.${primary ? 'btn-primary' : 'btn-ghost'}.eq-touch`, { type: 'submit', testid }, label);
    const f = h('form.tk-form', { testid: `${testid}-form`, onsubmit: async (e) => {
      e.preventDefault();
      if (busy) return;
      const body = {};
      for (const [k, input] of Object.entries(fields)) if (input.value.trim() !== '') body[k] = input.value.trim();
      busy = true;
      btn.disabled = true;
      errEl.hidden = true;
      try {
        const tk = await api.post(`${api.API}/tickets/${id}/${action}`, body);
        toast(t('eq.saved'));
        busy = false;
        render(tk);
      } catch (err) {
        busy = false;
        btn.disabled = false;
        errEl.textContent = formError(err, tk0);
        errEl.hidden = false;
      }
    } }, Object.entries(fields).map(([k, input]) => h('label.tk-field', h('span', t(`eq.field.${k}`)), input)), btn, errEl);
    return f;
  }

  // A refusal with its own problem type is said in the console's language.
  function formError(err, tk) {
    if (err.type === '/problems/same-person') return t('eq.err.samePerson');
    if (err.type === '/problems/not-assignee') return t('eq.err.notAssignee', { who: tk.assignee || '' });
    const fe = err.fieldErrors ? err.fieldErrors() : {};
    return Object.values(fe)[0] || (err.problem && err.problem.detail) || err.title;
  }

  function input(testid, attrs = {}) { return h('input.input.eq-touch', { testid, ...attrs }); }
  function select(testid, values, labelPrefix) {
    return h('select.select.eq-touch', { testid }, values.map((v) => h('option', { value: v }, tEnum(labelPrefix, v))));
  }

  // A user assignee records their own repair (or a supervisor does); an outside
  // maintainer's is recorded on their behalf by anyone with ticket.repair.
  function mayRepair(tk) {
    const u = ctx.user || {};
    return tk.assignee_kind === 'outside' || tk.assignee === u.username || u.role === 'supervisor';
  }

  function actions(tk) {
    const out = [];
    const open = tk.state !== 'closed';
    if ((tk.state === 'reported' || tk.state === 'assigned') && ctx.can('ticket.write')) {
      out.push(h('section.panel.tk-action', h('h3', t('eq.assign')),
        form(tk, 'assign', { assignee_kind: select('tk-assignee-kind', ASSIGNEE_KINDS, 'eqAssigneeKind'),
          assignee: input('tk-assignee', { placeholder: t('eq.assigneeHint') }),
          company: input('tk-company', { placeholder: t('eq.companyHint') }) }, t('eq.assign'), 'tk-assign')));
    }
    if (tk.state === 'assigned' && ctx.can('ticket.repair') && !mayRepair(tk)) {
      out.push(h('section.panel.tk-action', h('h3', t('eq.repair')),
        h('p.muted', { testid: 'tk-repair-not-yours' }, t('eq.err.notAssignee', { who: tk.assignee || '' }))));
    } else if (tk.state === 'assigned' && ctx.can('ticket.repair')) {
      out.push(h('section.panel.tk-action', h('h3', t('eq.repair')),
        form(tk, 'repair', { result: select('tk-result', ['repaired', 'replaced'], 'eqRepairResult'),
          note: input('tk-repair-note', { placeholder: t('eq.repairHint') }) }, t('eq.repair'), 'tk-repair')));
    }
    if (tk.state === 'repaired' && ctx.can('ticket.verify')) {
      out.push(h('section.panel.tk-action', h('h3', t('eq.verify')),
        form(tk, 'verify', { note: input('tk-verify-note') }, t('eq.verify'), 'tk-verify'),
        form(tk, 'reject', { reason: input('tk-reject-reason') }, t('eq.reject'), 'tk-reject', false)));
    }
    if (tk.state === 'verified' && ctx.can('ticket.verify')) {
      out.push(h('section.panel.tk-action', h('h3', t('eq.close')),
        form(tk, 'close', { note: input('tk-close-note') }, t('eq.close'), 'tk-close')));
    }
    if (open && ctx.can('ticket.write')) {
      out.push(h('section.panel.tk-action', h('h3', t('eq.addNote')),
        form(tk, 'note', { note: input('tk-note') }, t('eq.addNote'), 'tk-add-note', false)));
    }
    return out;
  }

  function fact(label, value) { return h('div.tk-fact', h('dt', label), h('dd', value || t('common.none'))); }

  function render(tk) {
    const assignee = tk.assignee ? `${tk.assignee}${tk.assignee_company ? ` (${tk.assignee_company})` : ''}` : '';
    mount(el,
      pageHeader(t('eq.ticketTitle', { id: tk.id }), ticketTitle(tk.title, tk.title_en), h('a.btn.btn-ghost', { href: '#/tickets' }, t('eq.backToTickets'))),
      h('div.tk-detail',
        h('section.panel.tk-facts', { testid: 'tk-facts' },
          h('div.tk-head', ticketStateBadge(tk.state), overdueFlag(tk), h('span.chip', tEnum('eqTicketKind', tk.kind)),
            h('span.chip', tEnum('eqPriority', tk.priority))),
          h('dl',
            fact(t('eq.device'), tk.device_name ? `${tk.device_name} · ${tk.area_name || ''}` : t('eq.siteWide')),
            fact(t('eq.detail'), tk.kind === 'camera_health' ? cameraDetail(tk.detail) : tk.detail),
            fact(t('eq.reported'), h('span', tk.reported_by, ' · ', timeCell(tk.reported_at))),
            fact(t('eq.due'), timeCell(tk.due_at)),
            fact(t('eq.assignee'), assignee ? `${tEnum('eqAssigneeKind', tk.assignee_kind)}: ${assignee}` : ''),
            fact(t('eq.repairDone'), tk.repair_note ? `${tEnum('eqRepairResult', tk.repair_result)}: ${tk.repair_note}` : ''),
            fact(t('eq.downtime'), h('span', { testid: 'tk-downtime' }, duration(tk.downtime_ms))),
            tk.check_record_id ? fact(t('eq.fromCheck'), h('a', { href: `#/checks?record=${tk.check_record_id}`, testid: 'tk-check-link' }, `#${tk.check_record_id}`)) : null,
            tk.incident_id && ctx.can('incident.read') ? fact(t('eq.incident'), h('a', { href: `#/incidents/${tk.incident_id}`, testid: 'tk-incident-link' }, `#${tk.incident_id}`)) : null)),
        h('section.panel.tk-timeline', { testid: 'tk-timeline' }, h('h3', t('eq.timeline')),
          h('ol', tk.timeline.map((e) => h('li.tk-event', { testid: 'tk-event', dataset: { action: e.action } },
            h('span.tk-event-action', tEnum('eqTicketAction', e.action)),
            h('span.tk-event-actor', e.actor_name || e.actor), timeCell(e.at),
            e.note ? h('div.tk-event-note', ticketNote(e.note)) : null)))),
        h('div.tk-actions', { testid: 'tk-actions' }, actions(tk))));
  }

  load();
  return {
    onEvent(ev) { if (ev.type === 'ticket' && ev.data && ev.data.id === id && !busy) load(); },
    destroy() { destroyed = true; },
  };
}
