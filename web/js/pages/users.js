// 用户 Users (admin): list, create, disable / enable.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, table, timeCell, toast, modal, PAGE_SIZES } from '../ui.js';
import { ROLES } from '../enums.js';

export default function users(el, ctx) {
  let destroyed = false;
  const p = ctx.params;
  const q = {
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  const canWrite = ctx.can('user.write');
  const listHost = h('div', loadingState());
  const createBtn = canWrite
    ? h('button.btn.btn-primary', { type: 'button', testid: 'user-create', onclick: () => openCreate() }, icon('plus'), h('span', t('users.create')))
    : null;

  mount(el, pageHeader(t('users.title'), t('users.subtitle'), createBtn), h('section.panel', { testid: 'users' }, listHost));

  function openCreate() {
    const fields = {};
    const errs = {};
    const field = (name, input) => {
      fields[name] = input;
      errs[name] = h('div.field-error', { testid: `user-form-error-${name}`, hidden: true });
      return h('div.field', h('label', { for: `uf-${name}` }, t(`users.field.${name === 'display_name' ? 'display' : name}`)), input, errs[name]);
    };
    const banner = h('div.form-banner', { testid: 'user-form-error', role: 'alert', hidden: true });
    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 'user-form-submit' }, t('common.save'));
    const form = h('form.form', { testid: 'user-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      banner.hidden = true;
      for (const k of Object.keys(errs)) { errs[k].hidden = true; fields[k].removeAttribute('aria-invalid'); }
      const body = {
        username: fields.username.value.trim(),
        display_name: fields.display_name.value.trim(),
        role: fields.role.value,
        password: fields.password.value,
      };
      let missing = false;
      for (const [k, v] of Object.entries(body)) {
        if (!v) { errs[k].textContent = t('form.required'); errs[k].hidden = false; fields[k].setAttribute('aria-invalid', 'true'); missing = true; }
      }
      if (missing) return;
      submit.disabled = true;
      try {
        const u = await api.post(`${api.API}/users`, body);
        dlg.close();
        toast(t('users.created', { name: (u && (u.display_name || u.username)) || body.username }));
        load();
      } catch (err) {
        submit.disabled = false;
        banner.textContent = err.title;
        banner.hidden = false;
        const fe = err.fieldErrors();
        for (const [k, msg] of Object.entries(fe)) {
          if (errs[k]) { errs[k].textContent = msg || t('form.invalid'); errs[k].hidden = false; fields[k].setAttribute('aria-invalid', 'true'); }
        }
        if (err.type === '/problems/conflict' && errs.username) {
          errs.username.textContent = err.title; errs.username.hidden = false; fields.username.setAttribute('aria-invalid', 'true');
        }
      }
    } },
    field('username', h('input.input', { id: 'uf-username', testid: 'user-form-username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' })),
    field('display_name', h('input.input', { id: 'uf-display_name', testid: 'user-form-display' })),
    field('role', h('select.select', { id: 'uf-role', testid: 'user-form-role' }, ROLES.map((r) => h('option', { value: r, selected: r === 'operator' }, tEnum('role', r))))),
    field('password', h('input.input', { id: 'uf-password', type: 'password', testid: 'user-form-password', autocomplete: 'new-password' })),
    banner,
    h('div.form-actions',
      h('button.btn.btn-ghost', { type: 'button', onclick: () => dlg.close() }, t('common.cancel')),
      submit));
    const dlg = modal(t('users.createTitle'), form, { testid: 'user-create-dialog' });
  }

  function confirmToggle(u) {
    const name = u.display_name || u.username;
    if (u.disabled) { setDisabled(u, false); return; }
    const ok = h('button.btn.btn-danger', { type: 'button', testid: 'confirm-ok', onclick: () => { dlg.close(); setDisabled(u, true); } }, t('users.disable'));
    const dlg = modal(t('users.disable'), h('div',
      h('p', t('users.confirmDisable', { name })),
      h('div.form-actions', h('button.btn.btn-ghost', { type: 'button', testid: 'confirm-cancel', onclick: () => dlg.close() }, t('common.cancel')), ok)),
    { testid: 'confirm-dialog' });
  }

  async function setDisabled(u, disabled) {
    try {
      await api.patch(`${api.API}/users/${encodeURIComponent(u.id)}`, { disabled });
      toast(t('users.saved', { name: u.display_name || u.username }));
      load();
    } catch (err) {
      toast(err.title, 'error');
    }
  }

  let seq = 0;
  async function load() {
    ctx.setParams({ limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
    const my = ++seq;
    if (!listHost.querySelector('table')) mount(listHost, loadingState());
    try {
      const page = await api.list('users', { limit: q.limit, offset: q.offset });
      if (destroyed || my !== seq) return;
      const cols = [
        { key: 'username', label: t('users.col.username'), cell: (u) => h('span.mono.strong', { testid: 'user-username' }, u.username) },
        { key: 'display_name', label: t('users.col.display'), cell: (u) => [u.display_name, u.id === ctx.user.id ? h('span.muted', ` ${t('users.you')}`) : null] },
        { key: 'role', label: t('users.col.role'), cell: (u) => h(`span.chip.role-chip`, { dataset: { role: u.role } }, tEnum('role', u.role)) },
        { key: 'status', label: t('users.col.status'), cell: (u) => h(`span.badge.${u.disabled ? 'status-disabled' : 'status-normal'}`, { testid: 'user-status' },
          h('span.dot'), u.disabled ? t('users.disabled') : t('users.active')) },
        { key: 'created', label: t('users.col.created'), cell: (u) => timeCell(u.created_at), cls: 'col-time' },
      ];
      if (canWrite) {
        cols.push({ key: 'actions', label: t('common.actions'), cls: 'col-actions', cell: (u) => u.id === ctx.user.id ? null
          : h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'user-toggle', class: u.disabled ? '' : 'btn-danger-ghost',
            onclick: () => confirmToggle(u) }, u.disabled ? t('users.enable') : t('users.disable')) });
      }
      mount(listHost,
        page.items.length === 0 ? emptyState(t('users.empty'))
          : table(cols, page.items, { testid: 'user-table', rowTestid: 'user-row', rowAttrs: (u) => ({ dataset: { id: String(u.id), username: u.username, disabled: String(!!u.disabled) } }) }),
        pager({ limit: q.limit, offset: q.offset, total: page.total }, ({ limit, offset }) => { q.limit = limit; q.offset = offset; load(); }));
    } catch (err) {
      if (!destroyed && my === seq) mount(listHost, errorBanner(err, () => load()));
    }
  }

  load();
  return {
    onEvent(ev) { if (ev.type === 'user.changed') load(); },
    destroy() { destroyed = true; },
  };
}
