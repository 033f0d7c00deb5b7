// 运行状态记录 Running-status prompt (GB 25201-2010 §5.2, R3.4.11): every
// period of the configured interval (2 h by default, from local midnight) the
// operator records the state of the equipment: fire alarm controller normal or
// in fault, linkage in automatic mode, power on main or backup, surveillance
// recording, the faults seen, a note. While the current period has no entry
// (GET /api/v1/running-status/due) a banner on the duty pages prompts for it;
// its button opens the form in a dialog (POST /api/v1/running-status). The
// entry is a duty-log entry too. Users without duty.write see nothing.

import { t } from './i18n.js';
import * as api from './api.js';
import { h, mount, icon, modal, toast, formatTime } from './ui.js';

const RECHECK_MS = 60 * 1000;

export function runStatusPrompt(ctx) {
  const canWrite = ctx.can('duty.write');
  const host = h('div.rstat-host', { testid: 'rs-host' });
  let destroyed = false;
  let due = null;
  let dialog = null;
  let timer = 0;

  async function check() {
    if (!canWrite || destroyed) return;
    try {
      due = await api.get(`${api.API}/running-status/due`);
    } catch { due = null; }
    if (!destroyed) render();
  }

  function render() {
    if (!due || !due.due) { mount(host); return; }
    const end = new Date(due.period_end);
    mount(host, h('div.rstat-banner', { testid: 'rs-banner', role: 'status' },
      icon('alert'),
      h('div.rstat-banner-text',
        h('strong', t('rs.dueTitle')),
        h('span', t('rs.dueText', { start: formatTime(new Date(due.period_start)), end: formatTime(end), n: due.interval_minutes }))),
      h('span.chip.ref-chip', 'GB 25201 §5.2'),
      h('button.btn.btn-primary.btn-sm', { type: 'button', testid: 'rs-open', onclick: openForm }, icon('plus'), h('span', t('rs.fill')))));
  }

  function choice(name, value, label, state) {
    return h('label.hv-choice', { class: state[name] === value ? 'active' : '' },
      h('input', { type: 'radio', name: `rs-${name}`, value: String(value), testid: `rs-${name}-${value}`, checked: state[name] === value,
        onchange: () => { state[name] = value; } }),
      h('span', label));
  }

  function openForm() {
    const st = { fire_controller: 'normal', linkage_auto: true, power: 'main', recording: true };
    const errs = h('div.rstat-errors');
    const faults = h('textarea.input', { id: 'rs-faults', testid: 'rs-faults', rows: 2, maxlength: 1000, placeholder: t('rs.faultsPlaceholder') });
    const note = h('textarea.input', { id: 'rs-note', testid: 'rs-note', rows: 2, maxlength: 1000 });
    const row = (label, ...choices) => h('fieldset.rstat-row', h('legend', label), h('div.hv-choices', choices));
    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'rs-submit' }, icon('check'), h('span', t('rs.submit')));
    const form = h('form.rstat-form', { testid: 'rs-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      mount(errs);
      const body = { ...st };
      if (faults.value.trim()) body.faults = faults.value.trim();
      if (note.value.trim()) body.note = note.value.trim();
      if (body.fire_controller === 'fault' && !body.faults) {
        mount(errs, h('div.field-error', { testid: 'rs-error-faults', role: 'alert' }, t('rs.err.faults'))); return;
      }
      submit.disabled = true;
      try {
        await api.post(`${api.API}/running-status`, body);
        if (dialog) dialog.close();
        toast(t('rs.saved'));
        check();
      } catch (err) {
        submit.disabled = false;
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        const field = Object.keys(fe)[0];
        mount(errs, h('div.field-error', { testid: field ? `rs-error-${field}` : 'rs-error', role: 'alert' },
          field === 'faults' ? t('rs.err.faults') : [err.title, err.problem && err.problem.detail].filter(Boolean).join(' ')));
      }
    } },
    row(t('rs.fireController'), choice('fire_controller', 'normal', t('rs.normal'), st), choice('fire_controller', 'fault', t('rs.fault'), st)),
    row(t('rs.linkage'), choice('linkage_auto', true, t('rs.auto'), st), choice('linkage_auto', false, t('rs.manual'), st)),
    row(t('rs.power'), choice('power', 'main', t('rs.powerMain'), st), choice('power', 'backup', t('rs.powerBackup'), st)),
    row(t('rs.recording'), choice('recording', true, t('rs.recordingOn'), st), choice('recording', false, t('rs.recordingOff'), st)),
    h('label.hv-label', { for: 'rs-faults' }, t('rs.faults')), faults,
    h('label.hv-label', { for: 'rs-note' }, t('rs.note')), note,
    errs,
    h('div.hv-actions', submit));
    // Radio groups re-mark the active choice on change.
    form.addEventListener('change', () => form.querySelectorAll('label.hv-choice').forEach((l) => {
      l.classList.toggle('active', l.querySelector('input').checked);
    }));
    dialog = modal(t('rs.formTitle'), form, { testid: 'rs-dialog', onClose: () => { dialog = null; } });
  }

  check();
  timer = setInterval(check, RECHECK_MS);
  return {
    el: host,
    onEvent(ev) { if (ev.type === 'running_status' || ev.type === 'reset') check(); },
    destroy() { destroyed = true; clearInterval(timer); if (dialog) dialog.close(); },
  };
}
