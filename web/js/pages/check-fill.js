// 填写检查表 Filling a check sheet (#/checks/TEMPLATE_ID) on a tablet: one large
// row per item — 合格/不合格 buttons, a reading with its unit and limits, a note —
// then 签名提交 (the signer is the logged-in user). The server validates
// strictly; its field errors are shown at the items. A failed item opens a
// fault ticket, linked from the result.

import { t, lang } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, pageHeader, loadingState, errorBanner, toast } from '../ui.js';
import { sheetName } from '../equipment-ui.js';

export default function checkFillPage(el, ctx) {
  const id = Number(ctx.sub);
  const period = ctx.params.get('period');
  let destroyed = false;
  let tpl = null;
  const answers = {};
  const rows = {};
  mount(el, loadingState());

  async function load() {
    try {
      tpl = await api.get(`${api.API}/checks/templates/${id}`);
      if (!destroyed) render();
    } catch (err) {
      if (!destroyed) mount(el, errorBanner(err, load));
    }
  }

  const text = (o) => (o ? (lang() === 'en' ? o.en : o['zh-CN']) : '');

  function limits(it) {
    if (it.min !== undefined && it.max !== undefined) return `${it.min} – ${it.max} ${it.unit}`;
    if (it.min !== undefined) return `≥ ${it.min} ${it.unit}`;
    return `≤ ${it.max} ${it.unit}`;
  }

  function itemRow(it) {
    const a = answers[it.id] = {};
    const err = h('div.field-error', { testid: `item-${it.id}-error`, hidden: true });
    const note = h('input.input.eq-touch.ck-note', { testid: `item-${it.id}-note`, placeholder: t('eq.failNote'), hidden: true,
      oninput: (e) => { a.note = e.target.value; } });
    let control;
    if (it.type === 'pass_fail') {
      const pass = h('button.btn.eq-touch.ck-pass', { type: 'button', testid: `item-${it.id}-pass`, 'aria-pressed': 'false' }, t('eq.pass'));
      const fail = h('button.btn.eq-touch.ck-fail', { type: 'button', testid: `item-${it.id}-fail`, 'aria-pressed': 'false' }, t('eq.fail'));
      const set = (r) => {
        a.result = r;
        pass.setAttribute('aria-pressed', String(r === 'pass'));
        fail.setAttribute('aria-pressed', String(r === 'fail'));
        note.hidden = r !== 'fail';
      };
      pass.onclick = () => set('pass');
      fail.onclick = () => set('fail');
      control = h('div.ck-choice', pass, fail);
    } else if (it.type === 'reading') {
      control = h('label.ck-reading', h('input.input.eq-touch', { testid: `item-${it.id}-value`, type: 'number', step: 'any', inputmode: 'decimal',
        oninput: (e) => { a.value = e.target.value; } }), h('span.ck-unit', it.unit), h('span.ck-limits', limits(it)));
    } else {
      control = h('textarea.input.ck-text', { testid: `item-${it.id}-text`, rows: 2, oninput: (e) => { a.text = e.target.value; } });
    }
    const row = h('li.ck-item', { testid: `item-${it.id}`, dataset: { type: it.type } },
      h('div.ck-item-text', text(it.text), it.required === false || it.type === 'note' ? h('span.ck-optional', t('eq.optional')) : null),
      control, it.type === 'pass_fail' ? note : null, err);
    rows[it.id] = { row, err };
    return row;
  }

  function body() {
    const out = {};
    for (const it of tpl.items) {
      const a = answers[it.id];
      if (it.type === 'pass_fail' && a.result) out[it.id] = a.note ? { result: a.result, note: a.note } : { result: a.result };
      if (it.type === 'reading' && a.value !== undefined && a.value !== '') {
        const n = Number(a.value);
        out[it.id] = { value: Number.isFinite(n) ? n : a.value };
      }
      if (it.type === 'note' && a.text) out[it.id] = { text: a.text };
    }
    const b = { template_id: tpl.id, answers: out };
    if (period) b.period_at = new Date(Math.max(Date.parse(period), 0)).toISOString();
    return b;
  }

  function showErrors(err) {
    for (const r of Object.values(rows)) { r.err.hidden = true; r.row.classList.remove('has-error'); }
    const fe = err.fieldErrors ? err.fieldErrors() : {};
    let shown = false;
    for (const [field, msg] of Object.entries(fe)) {
      const m = /^answers\.(.+)$/.exec(field);
      const r = m && rows[m[1]];
      if (r) { r.err.textContent = msg; r.err.hidden = false; r.row.classList.add('has-error'); r.row.scrollIntoView({ block: 'center' }); shown = true; }
    }
    return shown;
  }

  function render() {
    const formErr = h('div.field-error', { testid: 'fill-error', hidden: true });
    const submit = h('button.btn.btn-primary.eq-touch.ck-submit', { type: 'submit', testid: 'fill-submit' }, t('eq.signSubmit'));
    const result = h('div', { testid: 'fill-result' });
    mount(el,
      pageHeader(sheetName({ name_zh: tpl.name['zh-CN'], name_en: tpl.name.en, code: tpl.code }, lang()),
        t('eq.fillSubtitle', { clause: tpl.clause, version: tpl.version, user: ctx.user.display_name || ctx.user.username }),
        h('a.btn.btn-ghost', { href: '#/checks' }, t('eq.backToChecks'))),
      h('form.ck-sheet', { testid: 'fill-form', onsubmit: async (e) => {
        e.preventDefault();
        submit.disabled = true;
        formErr.hidden = true;
        try {
          const rec = await api.post(`${api.API}/checks/records`, body());
          toast(t('eq.signed'));
          mount(result, h('div.banner.banner-' + (rec.result === 'pass' ? 'ok' : 'error'), { testid: 'fill-done', dataset: { result: rec.result } },
            h('div.banner-body', h('div.banner-title', rec.result === 'pass' ? t('eq.allPassed') : t('eq.someFailed', { n: rec.failed_items })),
              rec.tickets.map((tk) => h('a.ck-ticket-link', { href: `#/tickets/${tk.ticket_id}`, testid: 'fill-ticket-link' }, `#${tk.ticket_id} ${tk.title}`)))));
          result.scrollIntoView({ block: 'center' });
        } catch (err) {
          submit.disabled = false;
          if (!showErrors(err)) {
            formErr.textContent = (err.problem && err.problem.detail) || err.title;
            formErr.hidden = false;
          }
        }
      } }, h('ol.ck-items', tpl.items.map(itemRow)), h('div.ck-foot', formErr, submit)),
      result);
  }

  load();
  return { destroy() { destroyed = true; } };
}
