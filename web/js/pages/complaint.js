// One complaint (#/complaints/ID, R3.4.7, S7) and its workflow, one step after
// the other: 受理 intake → 分派 assigned to someone (in progress) → 结果反馈 the
// result given back to the resident (待回访, a return visit due in 3 days) →
// 回访 the return visit with the resident's satisfaction (1–5) and a note
// (closed). The server refuses the return visit before the result.
//
// The contact's name and phone are personal data (S5): masked, with 显示 for
// users with resident.pii — GET /api/v1/complaints/{id}?reveal=1, audited on
// the server; 隐藏 masks them again. A major complaint was escalated to the
// supervisor and the manager when it was taken in.
//
// Live: `complaint` {id} reloads the page when it is this one.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import * as center from '../alarm-center.js';
import { h, mount, icon, loadingState, errorBanner, formatDateTime, toast, debounce } from '../ui.js';
import { LIMITS, bytes, channelLabel, stateBadge, urgencyBadge, categoryChip, overdueBadge, countdownEl, tickCountdowns,
  stars } from '../complaint-ui.js';

const ACTIVE = ['open', 'in_progress'];

export default function complaintPage(el, ctx) {
  const id = Number(ctx.sub);
  const me = (ctx.user && ctx.user.username) || '';
  const canWrite = ctx.can('complaint.write');
  const canReveal = ctx.can('resident.pii');
  let destroyed = false;
  let c = null;
  let loadErr = null;
  let revealed = null;           // {contact_name, contact_phone} while shown
  let revealing = false;
  let revealErr = null;
  let busy = '';                 // the step being sent
  const stepErr = {};            // step -> message (banner)
  const draft = { assignee: '', result: '', satisfaction: 0, note: '' };
  let assignees = null;

  const back = h('a.btn.btn-ghost.btn-sm.cp-back', { href: '#/complaints', testid: 'cp-back' }, icon('back'), h('span', t('cp.back')));
  const host = h('div.cp-detail-host', loadingState());
  mount(el, h('div.cp-detail-top', back), host);

  if (!Number.isInteger(id) || id <= 0) {
    mount(host, errorBanner({ title: t('cp.notFound') }));
    return null;
  }

  let seq = 0;
  async function load() {
    const my = ++seq;
    try {
      const row = await api.get(`${api.API}/complaints/${id}`);
      if (destroyed || my !== seq) return;
      c = row;
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    render();
  }

  async function loadAssignees() {
    if (!canWrite || !ctx.can('user.read')) return;
    try {
      const r = await api.listAll('users', null, 1000);
      if (destroyed) return;
      assignees = r.items.filter((u) => u && !u.disabled && ['operator', 'shift_leader', 'supervisor', 'manager'].includes(u.role));
    } catch (_) {
      assignees = null;
    }
    if (!destroyed && c && !busy) render();
  }

  async function reveal() {
    if (revealing) return;
    revealing = true;
    revealErr = null;
    render();
    try {
      const row = await api.get(`${api.API}/complaints/${id}`, { reveal: 1 });
      if (destroyed) return;
      revealed = { contact_name: row.contact_name, contact_phone: row.contact_phone };
    } catch (err) {
      if (destroyed) return;
      revealErr = err.status === 403 ? t('cp.revealForbidden') : err.title;
    }
    revealing = false;
    render();
  }

  // --- Workflow actions ----------------------------------------------------------------

  async function act(step, path, body) {
    if (busy) return;
    busy = step;
    delete stepErr[step];
    render();
    try {
      const row = await api.post(`${api.API}/complaints/${id}/${path}`, body);
      if (destroyed) return;
      busy = '';
      c = row || c;
      if (step === 'assign') draft.assignee = '';
      if (step === 'resolve') draft.result = '';
      if (step === 'visit') { draft.note = ''; draft.satisfaction = 0; }
      toast(t(`cp.done.${step}`, { id }));
      render();
      load();
    } catch (err) {
      if (destroyed) return;
      busy = '';
      const fe = err.fieldErrors ? err.fieldErrors() : {};
      if (fe.assignee) stepErr[step] = { field: 'assignee', text: t('cp.form.assigneeInvalid', { name: body.assignee || '' }) };
      else if (fe.state) stepErr[step] = { text: `${err.title} ${t(step === 'visit' ? 'cp.err.visitBeforeResult' : 'cp.err.state')}` };
      else if (fe.satisfaction) stepErr[step] = { field: 'satisfaction', text: t('cp.err.satisfaction') };
      else stepErr[step] = { text: [err.title, err.problem && err.problem.detail].filter(Boolean).join(' ') };
      render();
      if (fe.state) load();
    }
  }

  // --- Rendering -------------------------------------------------------------------------

  function contactPanel() {
    const shown = revealed || { contact_name: c.contact_name, contact_phone: c.contact_phone };
    return h('section.panel.cp-contact', { testid: 'cp-contact-panel', dataset: { revealed: String(!!revealed) } },
      h('div.panel-head', h('h2', t('cp.contact')), h('span.chip.ref-chip', 'S5'),
        canReveal ? h('button.btn.btn-ghost.btn-sm.cp-reveal', { type: 'button', testid: revealed ? 'cp-hide' : 'cp-reveal', disabled: revealing,
          title: revealed ? null : t('cp.revealTitle'),
          onclick: () => { if (revealed) { revealed = null; render(); } else reveal(); } },
        icon(revealed ? 'eyeOff' : 'eye'), h('span', revealed ? t('cp.hide') : (revealing ? t('cp.revealing') : t('cp.reveal')))) : null),
      h('dl.kv.cp-kv',
        h('dt', t('cp.form.unit')), h('dd', { testid: 'cp-detail-unit' }, c.unit),
        h('dt', t('cp.form.contact_name')), h('dd', { testid: 'cp-contact-name', class: revealed ? 'cp-pii-on' : 'cp-pii' }, shown.contact_name || t('common.none')),
        h('dt', t('cp.form.contact_phone')), h('dd', { testid: 'cp-contact-phone', class: revealed ? 'cp-pii-on' : 'cp-pii' }, shown.contact_phone || t('common.none')),
        h('dt', t('cp.form.channel')), h('dd', channelLabel(c.channel)),
        c.resident_id ? [h('dt', t('cp.resident')), h('dd', `#${c.resident_id}`)] : null),
      revealErr ? h('div.form-banner.cp-reveal-err', { testid: 'cp-reveal-error', role: 'alert' }, revealErr) : null,
      h('p.cp-hint.cp-pii-note', { testid: 'cp-pii-note' },
        revealed ? t('cp.revealedNote') : (canReveal ? t('cp.maskedNote') : t('cp.maskedNoteNoPerm'))));
  }

  function stepItem(key, n, title, st, content) {
    return h(`li.cp-step.cp-step-${st}`, { testid: `cp-step-${key}`, dataset: { step: key, status: st } },
      h('div.cp-step-mark', { 'aria-hidden': 'true' }, st === 'done' ? icon('check') : String(n)),
      h('div.cp-step-body',
        h('div.cp-step-title', h('span', title),
          st === 'done' ? h('span.cp-step-tag.done', t('cp.step.done')) : st === 'current' ? h('span.cp-step-tag.current', t('cp.step.current')) : null),
        content));
  }

  function errBox(step) {
    const e = stepErr[step];
    return e ? h('div.form-banner.cp-step-error', { testid: `cp-${step}-error`, role: 'alert' }, e.text) : null;
  }

  function who(u) { return u === me ? t('re.you', { name: u }) : u; }

  function assignForm() {
    const list = assignees && assignees.length ? assignees : null;
    const inp = h('input.input', { id: 'cp-assign-input', testid: 'cp-assign-input', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
      maxlength: LIMITS.assignee, placeholder: t('cp.assignPlaceholder'), list: list ? 'cp-assignees' : null,
      'aria-invalid': stepErr.assign && stepErr.assign.field ? 'true' : null,
      oninput: (e) => { draft.assignee = e.target.value; } });
    inp.value = draft.assignee;
    const send = (name) => {
      const v = (name || draft.assignee).trim();
      if (!v) { stepErr.assign = { field: 'assignee', text: t('cp.err.assigneeRequired') }; render(); return; }
      draft.assignee = v;
      act('assign', 'assign', { assignee: v });
    };
    return h('form.cp-step-form', { testid: 'cp-assign-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); send(); } },
      h('label.cp-step-label', { for: 'cp-assign-input' }, c.assignee ? t('cp.reassignTo') : t('cp.assignTo')),
      h('div.cp-inline', inp,
        h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'cp-assign-submit', disabled: !!busy },
          icon('guard'), h('span', busy === 'assign' ? t('cp.sending') : (c.assignee ? t('cp.reassign') : t('cp.assign')))),
        c.assignee !== me ? h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'cp-assign-me', disabled: !!busy, onclick: () => send(me) }, t('cp.assignMe')) : null),
      list ? h('datalist', { id: 'cp-assignees' }, list.map((u) => h('option', { value: u.username }, `${u.display_name || u.username} · ${tEnum('role', u.role)}`))) : null,
      errBox('assign'));
  }

  function resolveForm() {
    const ta = h('textarea.input.cp-textarea', { id: 'cp-result-input', testid: 'cp-result-input', rows: 3, maxlength: LIMITS.result,
      placeholder: t('cp.resultPlaceholder'), oninput: (e) => { draft.result = e.target.value; } });
    ta.value = draft.result;
    return h('form.cp-step-form', { testid: 'cp-resolve-form', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const v = draft.result.trim();
      if (!v) { stepErr.resolve = { text: t('cp.err.resultRequired') }; render(); focus('cp-result-input'); return; }
      if (bytes(v) > LIMITS.result) { stepErr.resolve = { text: t('cp.form.tooLong', { n: LIMITS.result }) }; render(); return; }
      act('resolve', 'resolve', { result: v });
    } },
    h('label.cp-step-label', { for: 'cp-result-input' }, t('cp.resultLabel')),
    ta,
    errBox('resolve'),
    h('div.cp-step-actions',
      h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'cp-resolve-submit', disabled: !!busy },
        icon('check'), h('span', busy === 'resolve' ? t('cp.sending') : t('cp.resolve')))));
  }

  function starPicker() {
    const wrap = h('div.cp-star-pick', { role: 'radiogroup', testid: 'cp-visit-stars', 'aria-label': t('cp.satisfaction'),
      'aria-invalid': stepErr.visit && stepErr.visit.field === 'satisfaction' ? 'true' : null });
    const paint = (hover) => {
      const v = hover || draft.satisfaction;
      for (const b of wrap.querySelectorAll('button')) {
        const n = Number(b.dataset.value);
        b.classList.toggle('on', n <= v);
        b.setAttribute('aria-checked', String(n === draft.satisfaction));
      }
      label.textContent = v ? t(`cp.sat.${v}`) : t('cp.satPick');
    };
    const label = h('span.cp-star-label', { testid: 'cp-visit-stars-label' });
    for (let n = 1; n <= 5; n += 1) {
      wrap.appendChild(h('button.cp-star-btn', { type: 'button', role: 'radio', dataset: { value: String(n) }, testid: `cp-star-${n}`,
        title: t(`cp.sat.${n}`), 'aria-label': `${n} · ${t(`cp.sat.${n}`)}`,
        onclick: () => { draft.satisfaction = n; if (stepErr.visit && stepErr.visit.field === 'satisfaction') { delete stepErr.visit; render(); return; } paint(); },
        onmouseenter: () => paint(n), onmouseleave: () => paint(0) }, '★'));
    }
    paint(0);
    return h('div.cp-star-row', wrap, label);
  }

  function visitForm() {
    const ta = h('textarea.input.cp-textarea', { id: 'cp-visit-note', testid: 'cp-visit-note', rows: 2, maxlength: LIMITS.note,
      placeholder: t('cp.visitNotePlaceholder'), oninput: (e) => { draft.note = e.target.value; } });
    ta.value = draft.note;
    return h('form.cp-step-form', { testid: 'cp-visit-form', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      if (!draft.satisfaction) { stepErr.visit = { field: 'satisfaction', text: t('cp.err.satisfaction') }; render(); return; }
      const note = draft.note.trim();
      if (bytes(note) > LIMITS.note) { stepErr.visit = { text: t('cp.form.tooLong', { n: LIMITS.note }) }; render(); return; }
      act('visit', 'return-visit', note ? { satisfaction: draft.satisfaction, note } : { satisfaction: draft.satisfaction });
    } },
    h('span.cp-step-label', t('cp.satisfaction')),
    starPicker(),
    h('label.cp-step-label', { for: 'cp-visit-note' }, t('cp.visitNote')),
    ta,
    errBox('visit'),
    h('div.cp-step-actions',
      h('button.btn.btn-primary.btn-sm', { type: 'submit', testid: 'cp-visit-submit', disabled: !!busy },
        icon('phone'), h('span', busy === 'visit' ? t('cp.sending') : t('cp.visitSubmit')))));
  }

  function workflow(now) {
    const active = ACTIVE.includes(c.state);
    const resolved = c.state === 'resolved';
    const closed = c.state === 'closed';
    const stamp = (at, by) => h('div.cp-stamp', h('time', { datetime: at || '' }, formatDateTime(at)), by ? h('span', ` · ${who(by)}`) : null);

    const intake = stepItem('intake', 1, t('cp.step.intake'), 'done', [
      stamp(c.opened_at, c.created_by),
      c.urgency === 'major' ? h('div.cp-escalated', { testid: 'cp-escalated' }, icon('alert'), h('span', t('cp.escalatedNote'))) : null,
    ]);

    const assignSt = c.assignee && !active ? 'done' : (c.assignee ? 'done' : (active ? 'current' : 'skipped'));
    const assign = stepItem('assign', 2, t('cp.step.assign'), assignSt, [
      c.assignee ? h('div.cp-step-text', { testid: 'cp-assignee-now' }, t('cp.assigneeIs', { who: who(c.assignee) }),
        c.assigned_at ? h('span.muted', { testid: 'cp-assigned-by' }, ' ', t('cp.assignedAtBy', { time: formatDateTime(c.assigned_at), who: who(c.assigned_by || '') })) : null)
        : h('div.cp-step-text.muted', { testid: 'cp-assignee-now' }, active ? t('cp.unassigned') : t('cp.noAssignee')),
      active && canWrite ? assignForm() : null,
    ]);

    const resolveSt = c.result ? 'done' : (active ? (c.assignee ? 'current' : 'next') : 'next');
    const resolve = stepItem('resolve', 3, t('cp.step.result'), resolveSt, [
      c.result ? [h('blockquote.cp-quote', { testid: 'cp-result' }, c.result), stamp(c.result_at, c.result_by)] : null,
      !c.result && active ? h('div.cp-step-text.muted', t('cp.resultWaiting')) : null,
      active && canWrite ? resolveForm() : null,
    ]);

    const visitSt = closed ? 'done' : (resolved ? 'current' : 'next');
    const visit = stepItem('visit', 4, t('cp.step.visit'), visitSt, [
      closed ? [
        h('div.cp-visit-done', stars(c.satisfaction, { testid: 'cp-satisfaction', size: 'lg' }), h('span.cp-sat-text', t(`cp.sat.${c.satisfaction}`))),
        c.return_visit_note ? h('blockquote.cp-quote', { testid: 'cp-visit-note-shown' }, c.return_visit_note) : null,
        stamp(c.return_visit_at, c.return_visit_by),
      ] : null,
      resolved ? h('div.cp-step-text', countdownEl(c, now)) : null,
      !closed && !resolved ? h('div.cp-step-text.muted', { testid: 'cp-visit-locked' }, t('cp.visitLocked')) : null,
      resolved && canWrite ? visitForm() : null,
    ]);

    return h('section.panel.cp-flow', { testid: 'cp-workflow' },
      h('div.panel-head', h('h2', t('cp.workflow')), h('span.chip.ref-chip', 'R3.4.7')),
      h('ol.cp-steps', intake, assign, resolve, visit),
      !canWrite ? h('p.muted.cp-readonly', { testid: 'cp-readonly' }, t('cp.readOnlyOne')) : null);
  }

  function render() {
    if (destroyed) return;
    if (!c) {
      if (loadErr) mount(host, errorBanner(loadErr.status === 404 ? { title: t('cp.notFound') } : loadErr, loadErr.status === 404 ? null : () => load()));
      return;
    }
    document.title = `${t('cp.one', { id: c.id })} · ${t('app.name')}`;
    const now = center.now();
    const focusId = document.activeElement && document.activeElement.id;
    mount(host,
      h('header.page-head.cp-detail-head',
        h('div',
          h('h1.page-title', { testid: 'page-title' }, t('cp.one', { id: c.id })),
          h('div.cp-detail-badges', { testid: 'cp-detail-badges' },
            stateBadge(c.state), c.overdue ? overdueBadge() : null, urgencyBadge(c.urgency), categoryChip(c.category),
            ACTIVE.includes(c.state) || c.state === 'resolved' ? countdownEl(c, now) : null))),
      loadErr ? errorBanner(loadErr, () => load()) : null,
      h('div.cp-detail-grid',
        h('div.cp-detail-main',
          h('section.panel.cp-facts', { testid: 'cp-facts' },
            h('div.panel-head', h('h2', t('cp.description'))),
            h('div.cp-desc-full', { testid: 'cp-description' }, c.description),
            h('dl.kv.cp-kv',
              h('dt', t('cp.openedAt')), h('dd', h('time', { datetime: c.opened_at }, formatDateTime(c.opened_at))),
              h('dt', t('cp.dueAt')), h('dd', { testid: 'cp-due-at' }, h('time', { datetime: c.due_at || '' }, formatDateTime(c.due_at))),
              h('dt', t('cp.createdBy')), h('dd', who(c.created_by)),
              h('dt', t('cp.updatedAt')), h('dd', h('time', { datetime: c.updated_at || '' }, formatDateTime(c.updated_at))))),
          workflow(now)),
        h('aside.cp-detail-side', contactPanel())));
    if (focusId) { const f = host.querySelector(`#${focusId}`); if (f) f.focus(); }
  }

  function focus(elId) { const f = host.querySelector(`#${elId}`); if (f) f.focus(); }

  load();
  loadAssignees();
  const reload = debounce(() => { if (!destroyed && !busy) load(); }, 250);
  const ticker = setInterval(() => { if (!destroyed) tickCountdowns(el, center.now()); }, 1000);

  return {
    onEvent(ev) {
      if (ev.type === 'reset') { reload(); return; }
      if (ev.type === 'complaint' && ev.data && Number(ev.data.id) === id) reload();
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}
