// 监控室出入登记 Control-room entry register (#/room-entries, R3.4.12): "no one
// unrelated to the center may enter it". Everyone else who comes in is
// registered with who authorised it — an active shift leader, supervisor or
// manager, named by username and checked by the server — and their leaving is
// recorded. The page shows who is in the room now (time in, how long, 离开),
// the history (paged, newest first) and the registration form.
//
// The authoriser: everyone who may register gets the active shift leaders,
// supervisors and managers as suggestions (GET /people?purpose=entry_authorisers,
// names and roles only, no user.read needed); they may also type the username,
// and the server says on the field when it is not one of them.
//
// There is no event of its own for the register: each entry and leaving writes
// an automatic 访客 duty-log entry, whose `duty` event makes the page reload.

import { t } from '../i18n.js';
import * as api from '../api.js';
import * as center from '../alarm-center.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, pager, table, formatTime, formatDateTime, formatNumber,
  siteDate, toast, debounce, PAGE_SIZES } from '../ui.js';
import { elapsedEl, tickElapsed, formatElapsed } from '../incident-ui.js';

const AUTHORISER_ROLES = ['shift_leader', 'supervisor', 'manager'];
// The server's limits (UTF-8 bytes), src/http/api_register.c.
const LIMITS = { name: 64, organisation: 100, purpose: 500, authorised_by: 32 };
const utf8 = new TextEncoder();
const bytes = (s) => utf8.encode(s || '').length;

export default function roomEntriesPage(el, ctx) {
  const me = (ctx.user && ctx.user.username) || '';
  const canWrite = ctx.can('register.write');
  const p = ctx.params;
  const q = {
    limit: PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : 25,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  let destroyed = false;

  let inRoom = null;             // open entries, newest first
  let hist = null;               // one page of the history
  let histTotal = 0;
  let loadErr = null;
  let authorisers = null;        // [{username, display_name, role}] from GET /people
  const busyIds = new Set();
  const confirming = new Set();  // ids whose 离开 waits for the confirmation
  const rowErrs = new Map();
  const flashIds = new Set();
  const draft = { name: '', organisation: '', purpose: '', authorised_by: '' };
  let sending = false;

  // --- Frame ------------------------------------------------------------------------

  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 're-refresh', onclick: () => load() },
    icon('refresh'), h('span', t('common.refresh')));
  const inCount = h('span.re-in-count', { testid: 're-in-count' });
  const inHost = h('div.re-in-host', loadingState());
  const histHost = h('div.re-hist-host', loadingState());
  const histMeta = h('span.panel-meta', { testid: 're-history-meta' });
  const sideHost = h('aside.re-side');

  mount(el,
    pageHeader(t('re.title'), t('re.subtitle'), refreshBtn),
    h('div.re-grid',
      h('div.re-main',
        h('section.panel.re-in-panel', { testid: 're-in-room' },
          h('div.panel-head', h('h2', icon('guard'), h('span', t('re.inRoom'))), inCount),
          inHost),
        h('section.panel.re-hist-panel', { testid: 're-history' },
          h('div.panel-head', h('h2', t('re.history')), histMeta),
          histHost)),
      sideHost));

  function sync() {
    ctx.setParams({ limit: q.limit === 25 ? '' : q.limit, offset: q.offset || '' });
  }

  // --- Loading ----------------------------------------------------------------------

  let seq = 0;
  async function load() {
    const my = ++seq;
    if (inRoom) { inHost.classList.add('busy'); histHost.classList.add('busy'); }
    try {
      const [o, pg] = await Promise.all([
        api.listAll('room-entries', { open: 1 }, 1000),
        api.list('room-entries', { limit: q.limit, offset: q.offset }),
      ]);
      if (destroyed || my !== seq) return;
      if (inRoom) for (const e of o.items) if (!inRoom.some((x) => x.id === e.id)) flashIds.add(e.id);
      inRoom = o.items.filter((e) => !e.time_out);
      hist = pg.items;
      histTotal = pg.total;
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    inHost.classList.remove('busy');
    histHost.classList.remove('busy');
    render();
  }

  async function loadAuthorisers() {
    if (!canWrite) return;
    try {
      // Names and roles only (GET /people), for operators without user.read too.
      const r = await api.get(`${api.API}/people`, { purpose: 'entry_authorisers' });
      if (destroyed) return;
      const rank = (u) => AUTHORISER_ROLES.indexOf(u.role);
      authorisers = r.items.filter((u) => u && !u.disabled && AUTHORISER_ROLES.includes(u.role))
        .sort((a, b) => rank(a) - rank(b) || String(a.username).localeCompare(String(b.username)));
    } catch (_) {
      authorisers = null;     // the plain field still works; the server checks the name
    }
    if (!destroyed && !sending) renderSide();
  }

  // --- Who is in the room -------------------------------------------------------------

  // Usernames: the register names the operator who registered or saw someone
  // out by account only.
  function who(name) {
    if (!name) return t('common.none');
    return name === me ? t('re.you', { name }) : name;
  }

  function authorisedBy(e) {
    return h('span.re-auth', { testid: 're-authorised-by', dataset: { username: e.authorised_by || '' } },
      e.authorised_by_name || e.authorised_by || t('common.none'));
  }

  function inRow(e) {
    const busy = busyIds.has(e.id);
    const err = rowErrs.get(e.id);
    const acts = [];
    if (canWrite && !confirming.has(e.id)) {
      acts.push(h('button.btn.btn-sm.re-leave', { type: 'button', testid: 're-leave', title: t('re.leaveTitle'), disabled: busy,
        onclick: () => { confirming.add(e.id); rowErrs.delete(e.id); renderIn(); focusKey(`yes:${e.id}`); } },
      icon('logout'), h('span', t('re.leave'))));
    }
    return h(`li.re-row${flashIds.has(e.id) ? '.flash' : ''}`, { testid: 're-in-row', dataset: { id: String(e.id), name: e.name || '' } },
      h('div.re-when',
        h('time.re-time', { datetime: e.time_in, title: formatDateTime(e.time_in) }, formatTime(new Date(e.time_in))),
        h('span.re-day', dayOf(e.time_in)),
        h('span.re-id', `#${e.id}`)),
      h('div.re-body',
        h('div.re-head',
          h('span.re-name', { testid: 're-name' }, e.name),
          e.organisation ? h('span.chip.re-org', { testid: 're-org' }, e.organisation) : null),
        h('div.re-purpose', { testid: 're-purpose' }, e.purpose),
        h('div.re-meta',
          h('span', t('re.authorisedByLabel')), ' ', authorisedBy(e),
          h('span.re-sep', '·'),
          h('span', { testid: 're-registered-by' }, t('re.registeredBy', { who: who(e.registered_by) }))),
        err ? h('div.form-banner.re-row-error', { testid: 're-row-error', role: 'alert' }, err) : null,
        canWrite && confirming.has(e.id) ? h('div.re-confirm', { testid: 're-leave-confirm' },
          h('span', t('re.leaveConfirm', { name: e.name })),
          h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 're-leave-cancel', disabled: busy,
            onclick: () => { confirming.delete(e.id); renderIn(); } }, t('common.cancel')),
          h('button.btn.btn-primary.btn-sm', { type: 'button', testid: 're-leave-yes', disabled: busy, dataset: { focusKey: `yes:${e.id}` },
            onclick: () => leave(e) }, icon('check'), h('span', busy ? t('re.leaving') : t('re.leaveYes')))) : null),
      h('div.re-stay',
        h('span.re-stay-label', t('re.inFor')),
        elapsedEl(e.time_in, center.now, 're-elapsed'),
        acts.length ? h('div.re-act', acts) : null));
  }

  function dayOf(iso) {
    const d = iso ? siteDate(new Date(iso)) : '';
    return d && d !== siteDate(new Date(center.now())) ? d : t('re.today');
  }

  function renderIn() {
    if (destroyed) return;
    if (!inRoom) {
      if (loadErr) mount(inHost, errorBanner(loadErr, () => load()));
      return;
    }
    inCount.textContent = t('re.inRoomCount', { n: formatNumber(inRoom.length) });
    inCount.dataset.n = String(inRoom.length);
    inCount.classList.toggle('on', inRoom.length > 0);
    mount(inHost,
      loadErr ? errorBanner(loadErr, () => load()) : null,
      inRoom.length === 0
        ? emptyState(t('re.inRoomEmpty'), canWrite ? t('re.inRoomEmptyHint') : null)
        : h('ol.re-rows', { testid: 're-in-list' }, inRoom.map(inRow)));
  }

  function focusKey(k) {
    const n = [...el.querySelectorAll('[data-focus-key]')].find((x) => x.dataset.focusKey === k);
    if (n) n.focus();
  }

  // --- History ----------------------------------------------------------------------

  function sameDay(a, b) {
    return !!a && !!b && siteDate(new Date(a)) === siteDate(new Date(b));
  }

  function renderHist() {
    if (destroyed || !hist) return;
    histMeta.textContent = t('re.historyMeta', { n: formatNumber(histTotal) });
    histMeta.dataset.total = String(histTotal);
    // Narrow enough for the page beside the form: times on one line, their
    // day (and who recorded them) below.
    const today = siteDate(new Date(center.now()));
    const timeCell = (iso, sub) => h('div.cell-2',
      h('time.re-hist-time', { datetime: iso, title: formatDateTime(iso) }, formatTime(new Date(iso))),
      sub ? h('span.cell-sub', sub) : null);
    const cols = [
      { key: 'name', label: t('re.col.name'), cell: (e) => h('div.cell-2', h('span.strong', e.name), e.organisation ? h('span.cell-sub', e.organisation) : null) },
      { key: 'purpose', label: t('re.col.purpose'), cls: 'col-note', cell: (e) => e.purpose },
      { key: 'authorised_by', label: t('re.col.authorisedBy'), cell: (e) => authorisedBy(e) },
      { key: 'time_in', label: t('re.col.timeIn'), cell: (e) => timeCell(e.time_in,
        [siteDate(new Date(e.time_in)) === today ? t('re.today') : siteDate(new Date(e.time_in)), `#${e.id}`, who(e.registered_by)].join(' · ')) },
      { key: 'time_out', label: t('re.col.timeOut'), cell: (e) => (e.time_out
        ? timeCell(e.time_out, [sameDay(e.time_in, e.time_out) ? '' : siteDate(new Date(e.time_out)), e.out_by ? t('re.outBy', { who: who(e.out_by) }) : ''].filter(Boolean).join(' · '))
        : h('span.badge.re-still-in', { testid: 're-still-in' }, h('span.dot', { 'aria-hidden': 'true' }), t('re.stillIn'))) },
      { key: 'duration', label: t('re.col.duration'), cls: 're-col-dur', cell: (e) => (e.time_out
        ? formatElapsed(Date.parse(e.time_out) - Date.parse(e.time_in))
        : elapsedEl(e.time_in, center.now, 're-elapsed')) },
    ];
    mount(histHost,
      hist.length === 0
        ? emptyState(t('re.historyEmpty'))
        : table(cols, hist, { testid: 're-history-table', rowTestid: 're-history-row',
          rowAttrs: (e) => ({ dataset: { id: String(e.id), out: String(!!e.time_out) } }) }),
      pager({ limit: q.limit, offset: q.offset, total: histTotal }, (np) => { q.limit = np.limit; q.offset = np.offset; sync(); load(); }, 're-pager'));
  }

  function render() {
    renderIn();
    renderHist();
    flashIds.clear();
  }

  // --- Leaving ----------------------------------------------------------------------

  async function leave(e) {
    if (busyIds.has(e.id)) return;
    busyIds.add(e.id);
    rowErrs.delete(e.id);
    renderIn();
    try {
      const res = await api.post(`${api.API}/room-entries/${e.id}/out`);
      if (destroyed) return;
      busyIds.delete(e.id);
      confirming.delete(e.id);
      const out = res && res.time_out ? res : { ...e, time_out: new Date(center.now()).toISOString() };
      toast(t('re.left', { name: e.name, d: formatElapsed(Date.parse(out.time_out) - Date.parse(e.time_in)) }));
      inRoom = inRoom.filter((x) => x.id !== e.id);
      if (hist) { const i = hist.findIndex((x) => x.id === e.id); if (i >= 0) hist[i] = out; }
      render();
      load();
    } catch (err) {
      if (destroyed) return;
      busyIds.delete(e.id);
      confirming.delete(e.id);
      rowErrs.set(e.id, err.status === 409 ? t('re.alreadyOut') : [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '));
      renderIn();
      if (err.status === 409 || err.status === 404) reload();
    }
  }

  // --- The registration form ----------------------------------------------------------

  function formPanel() {
    const fields = {};
    const errs = {};
    const field = (name, input, extra = null) => {
      fields[name] = input;
      errs[name] = h('div.field-error', { testid: `re-form-error-${name}`, id: `re-f-${name}-err`, role: 'alert', hidden: true });
      input.setAttribute('aria-describedby', `re-f-${name}-err`);
      return h('div.field', { testid: `re-field-${name}` }, h('label', { for: `re-f-${name}` }, t(`re.form.${name}`)), input, extra, errs[name]);
    };
    const input = (name, attrs = {}) => {
      const n = h('input.input', { id: `re-f-${name}`, name, testid: `re-form-${name}`, autocomplete: 'off', ...attrs,
        oninput: (ev) => { draft[name] = ev.target.value; clearErr(name); } });
      n.value = draft[name];
      return n;
    };
    const banner = h('div.form-banner', { testid: 're-form-error', role: 'alert', hidden: true });
    const clearErr = (name) => { errs[name].hidden = true; fields[name].removeAttribute('aria-invalid'); };
    const setErr = (name, msg) => {
      errs[name].textContent = msg;
      errs[name].hidden = false;
      fields[name].setAttribute('aria-invalid', 'true');
    };

    const name = input('name', { placeholder: t('re.form.namePlaceholder'), maxlength: LIMITS.name, required: true });
    const org = input('organisation', { placeholder: t('re.form.organisationPlaceholder'), maxlength: LIMITS.organisation });
    const purpose = h('textarea.input.re-purpose-input', { id: 're-f-purpose', name: 'purpose', testid: 're-form-purpose', rows: 3,
      placeholder: t('re.form.purposePlaceholder'), maxlength: LIMITS.purpose, required: true,
      oninput: (ev) => { draft.purpose = ev.target.value; clearErr('purpose'); } });
    purpose.value = draft.purpose;

    // The authoriser: a username. Suggestions (a datalist and quick picks) when
    // GET /people answered.
    const list = authorisers && authorisers.length ? authorisers : null;
    const auth = input('authorised_by', { placeholder: t('re.form.authorised_byPlaceholder'), maxlength: LIMITS.authorised_by,
      autocapitalize: 'none', spellcheck: 'false', required: true, list: list ? 're-f-authorisers' : null });
    auth.addEventListener('input', () => markPick());
    const picks = list ? list.map((u) => h('button.re-pick', { type: 'button', testid: 're-form-authoriser-pick', dataset: { username: u.username },
      title: `${t(`role.${u.role}`)} · ${u.username}`,
      onclick: () => { draft.authorised_by = u.username; auth.value = u.username; clearErr('authorised_by'); markPick(); } },
    h('span.re-pick-name', u.display_name || u.username), h('span.re-pick-user', u.username))) : [];
    function markPick() {
      for (const b of picks) {
        const on = b.dataset.username === auth.value.trim();
        b.classList.toggle('active', on);
        b.setAttribute('aria-pressed', String(on));
      }
    }
    markPick();
    const authExtra = [
      list ? h('datalist', { id: 're-f-authorisers' }, list.map((u) => h('option', { value: u.username }, `${u.display_name || u.username} · ${t(`role.${u.role}`)}`))) : null,
      list ? h('div.re-picks', { role: 'group', 'aria-label': t('re.form.suggestions'), testid: 're-form-authoriser-picks' }, picks) : null,
      h('p.re-field-hint', { testid: 're-form-authoriser-hint' }, list ? t('re.form.authoriserHintList') : t('re.form.authoriserHint')),
    ];

    const submit = h('button.btn.btn-primary', { type: 'submit', testid: 're-form-submit' });
    const renderSubmit = () => {
      submit.disabled = sending;
      mount(submit, icon('plus'), h('span', sending ? t('re.form.saving') : t('re.form.submit')));
    };
    renderSubmit();

    const form = h('form.form.re-form', { testid: 're-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (sending) return;
      banner.hidden = true;
      for (const k of Object.keys(errs)) clearErr(k);
      const body = {
        name: draft.name.trim(),
        organisation: draft.organisation.trim(),
        purpose: draft.purpose.trim(),
        authorised_by: draft.authorised_by.trim(),
      };
      let bad = null;
      for (const k of ['name', 'purpose', 'authorised_by']) {
        if (!body[k]) { setErr(k, k === 'authorised_by' ? t('re.form.authoriserRequired') : t('form.required')); bad = bad || k; }
      }
      for (const [k, max] of Object.entries(LIMITS)) {
        if (body[k] && bytes(body[k]) > max) { setErr(k, t('re.form.tooLong', { n: max })); bad = bad || k; }
      }
      if (bad) { fields[bad].focus(); return; }
      if (!body.organisation) delete body.organisation;
      sending = true;
      renderSubmit();
      try {
        const res = await api.post(`${api.API}/room-entries`, body);
        if (destroyed) return;
        sending = false;
        for (const k of Object.keys(draft)) draft[k] = '';
        toast(t('re.saved', { name: (res && res.name) || body.name }));
        if (res && inRoom && !inRoom.some((x) => x.id === res.id)) { inRoom.unshift(res); flashIds.add(res.id); renderIn(); flashIds.clear(); }
        renderSide();
        load();
      } catch (err) {
        if (destroyed) return;
        sending = false;
        renderSubmit();
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        let first = null;
        for (const [k, msg] of Object.entries(fe)) {
          if (!errs[k]) continue;
          setErr(k, k === 'authorised_by' ? t('re.form.authoriserInvalid', { name: body.authorised_by }) : (msg || t('form.invalid')));
          if (k === 'authorised_by' && msg) errs[k].title = msg;
          first = first || k;
        }
        if (first) fields[first].focus();
        else { banner.textContent = [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '); banner.hidden = false; }
      }
    } },
    h('div.re-rule', { testid: 're-form-rule', role: 'note' }, icon('shield'), h('span', t('re.form.rule'))),
    field('name', name),
    field('organisation', org),
    field('purpose', purpose),
    field('authorised_by', auth, authExtra),
    banner,
    h('div.form-actions', submit));

    return h('section.panel.re-form-panel', { testid: 're-form-panel' },
      h('div.panel-head', h('h2', t('re.form.title')), h('span.chip.ref-chip', 'R3.4.12')),
      h('div.re-form-wrap', form, h('p.re-hint', t('re.form.hint'))));
  }

  function renderSide() {
    if (destroyed) return;
    mount(sideHost, canWrite
      ? formPanel()
      : h('section.panel', { testid: 're-readonly-panel' },
        h('div.panel-head', h('h2', t('re.form.title')), h('span.chip.ref-chip', 'R3.4.12')),
        h('p.muted.re-readonly', { testid: 're-readonly' }, t('re.readOnly'))));
  }

  // --- Start --------------------------------------------------------------------------

  sync();
  renderSide();
  load();
  loadAuthorisers();

  const reload = debounce(() => { if (!destroyed) load(); }, 250);
  const ticker = setInterval(() => { if (!destroyed) tickElapsed(el, center.now); }, 1000);

  return {
    onEvent(ev) {
      if (ev.type === 'reset') { reload(); return; }
      // Every entry and leaving writes a 访客 duty-log entry (src/app/register.c).
      if (ev.type === 'duty' && ev.data && ev.data.category === 'visitor') reload();
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}
