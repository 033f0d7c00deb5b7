// 摄像机画面巡检 Camera health (#/cameras, S4: clarity and stability of the
// picture). Vigil fetches each camera's snapshot on a schedule and checks it:
// offline, blurred (模糊), too dark (过暗), overexposed (过曝), frozen (画面冻结),
// covered lens (遮挡). A problem that persists over N checks opens a fault
// ticket and an equipment-trouble incident.
//
// The page: a grid with each camera's last snapshot, its state, the last
// check's verdict and time, and links to its ticket and incident; a filter to
// the problems only; for site.write holders, the settings form of one camera
// (snapshot URL, authentication, interval, thresholds). device.status holders
// may ask for a check now.
//
// Live: `camera` {device_id, state, ...} on each state change; `reset` reloads.
// The grid also refreshes every 30 s (checks that change nothing send no event).

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, icon, pageHeader, loadingState, errorBanner, emptyState, formatDateTime, toast,
  debounce, modal } from '../ui.js';
import { cameraDetail } from '../equipment-text.js';

const STATES = ['unknown', 'ok', 'offline', 'blurred', 'dark', 'overexposed', 'frozen', 'covered'];
const AUTHS = ['none', 'basic', 'digest'];
const THRESHOLDS = [
  ['sharpness_min', 0, 100000, 1],
  ['dark_mean', 0, 255, 1],
  ['bright_mean', 0, 255, 1],
  ['clip_max', 0, 1, 0.01],
  ['covered_stddev', 0, 128, 0.1],
  ['frozen_tol', 0, 255, 0.05],
  ['frozen_k', 2, 100, 1],
];

function isProblem(s) { return s && s !== 'ok' && s !== 'unknown'; }

function stateBadge(state, testid) {
  const cls = state === 'ok' ? 'cam-ok' : state === 'unknown' ? 'cam-unknown' : 'cam-bad';
  return h(`span.cam-badge.${cls}`, { testid }, tEnum('cam.state', state));
}

export default function camerasPage(el, ctx) {
  const canWrite = ctx.can('site.write');
  const canCheck = ctx.can('device.status');
  const canTicket = ctx.can('ticket.read');
  const canIncident = ctx.can('incident.read');
  const q = { problems: ctx.params.get('problems') === '1' };
  let destroyed = false;
  let rows = null;
  let total = 0;
  let loadErr = null;

  const refreshBtn = h('button.btn.btn-ghost', { type: 'button', testid: 'cam-refresh', onclick: () => load() },
    icon('refresh'), h('span', t('common.refresh')));
  const filterBtn = h('button.btn.btn-ghost.cam-filter', { type: 'button', testid: 'cam-filter-problems',
    'aria-pressed': String(q.problems),
    onclick: () => { q.problems = !q.problems; ctx.setParams({ problems: q.problems ? '1' : '' }); rows = null; render(); load(); } },
  icon('alert'), h('span', t('cam.filterProblems')));
  const metaEl = h('span.panel-meta', { testid: 'cam-count' });
  const gridHost = h('div.cam-grid-host', loadingState());

  mount(el,
    pageHeader(t('nav.cameras'), t('cam.subtitle'), filterBtn, refreshBtn),
    h('section.panel', { testid: 'cam-panel' },
      h('div.panel-head', h('h2', t('cam.grid')), metaEl),
      gridHost));

  let seq = 0;
  async function load() {
    const my = ++seq;
    try {
      const pg = await api.get(`${api.API}/cameras`, { problems: q.problems ? 1 : undefined, limit: 500 });
      if (destroyed || my !== seq) return;
      rows = pg.items;
      total = pg.total;
      loadErr = null;
    } catch (err) {
      if (destroyed || my !== seq) return;
      loadErr = err;
    }
    render();
  }

  function render() {
    filterBtn.setAttribute('aria-pressed', String(q.problems));
    filterBtn.classList.toggle('active', q.problems);
    if (loadErr) { mount(gridHost, errorBanner(loadErr, load)); return; }
    if (!rows) { mount(gridHost, loadingState()); return; }
    const bad = rows.filter((c) => isProblem(c.state) || isProblem(c.verdict)).length;
    metaEl.textContent = t('cam.count', { n: total, bad });
    if (!rows.length) {
      mount(gridHost, emptyState(q.problems ? t('cam.emptyProblems') : t('cam.empty'),
        q.problems ? t('cam.emptyProblemsHint') : t('cam.emptyHint')));
      return;
    }
    mount(gridHost, h('div.cam-grid', { testid: 'cam-grid' }, rows.map(card)));
  }

  function card(c) {
    const problem = isProblem(c.state) || isProblem(c.verdict);
    const thumb = c.snapshot_url
      ? h('img.cam-thumb', { src: `${c.snapshot_url}?t=${encodeURIComponent(c.thumb_at || '')}`, alt: c.name, loading: 'lazy', testid: 'cam-thumb' })
      : h('div.cam-thumb.cam-thumb-none', { testid: 'cam-thumb-none' }, icon('eyeOff'), h('span', c.configured ? t('cam.noSnapshot') : t('cam.notConfigured')));
    const links = [];
    if (c.ticket_id && canTicket) links.push(h('a.cam-link', { href: `#/tickets/${c.ticket_id}`, testid: 'cam-ticket' }, `${t('cam.ticket')} #${c.ticket_id}`));
    if (c.incident_id && canIncident) links.push(h('a.cam-link', { href: `#/incidents/${c.incident_id}`, testid: 'cam-incident' }, `${t('cam.incident')} #${c.incident_id}`));
    const actions = [];
    if (canCheck && c.configured) actions.push(h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'cam-check', onclick: () => checkNow(c) }, icon('refresh'), h('span', t('cam.checkNow'))));
    if (canWrite) actions.push(h('button.btn.btn-ghost.btn-sm', { type: 'button', testid: 'cam-settings', onclick: () => settings(c) }, icon('note'), h('span', t('cam.settings'))));
    return h(`article.cam-card${problem ? '.cam-card-bad' : ''}`, { testid: 'cam-card', 'data-id': c.id, 'data-state': c.state, 'data-verdict': c.verdict || '' },
      thumb,
      h('div.cam-body',
        h('div.cam-title', h('strong', c.name), c.code ? h('span.cam-code', c.code) : null),
        h('div.cam-area', c.area_name || ''),
        h('div.cam-states',
          stateBadge(c.state, 'cam-state'),
          c.verdict && c.verdict !== c.state ? h('span.cam-verdict', { testid: 'cam-verdict' }, `${t('cam.lastCheck')}: ${tEnum('cam.state', c.verdict)}${c.streak ? ` ×${c.streak}` : ''}`) : null),
        c.detail ? h('div.cam-detail', { testid: 'cam-detail', title: c.detail }, cameraDetail(c.detail)) : null,
        h('div.cam-time', c.last_check_at ? `${t('cam.checkedAt')} ${formatDateTime(c.last_check_at)}` : t('cam.neverChecked')),
        links.length ? h('div.cam-links', links) : null,
        actions.length ? h('div.cam-actions', actions) : null));
  }

  async function checkNow(c) {
    try {
      await api.post(`${api.API}/cameras/${c.id}/check`);
      toast(t('cam.checkQueued', { name: c.name }));
      setTimeout(() => { if (!destroyed) load(); }, 1500);
    } catch (err) {
      toast(err.title, 'error');
    }
  }

  function settings(c) {
    const th = c.thresholds || {};
    const f = {
      url: h('input.input', { name: 'url', value: c.url || '', placeholder: 'http://192.168.1.64/ISAPI/Streaming/channels/1/picture', testid: 'cam-f-url' }),
      auth: h('select.select', { name: 'auth', testid: 'cam-f-auth' }, AUTHS.map((a) => h('option', { value: a, selected: (c.auth || 'none') === a }, tEnum('cam.auth', a)))),
      username: h('input.input', { name: 'username', value: c.username || '', autocomplete: 'off', testid: 'cam-f-username' }),
      password: h('input.input', { name: 'password', type: 'password', autocomplete: 'new-password', placeholder: c.has_password ? t('cam.f.passwordKept') : '', testid: 'cam-f-password' }),
      interval_s: h('input.input', { name: 'interval_s', type: 'number', min: 1, max: 86400, value: c.interval_s || 60, testid: 'cam-f-interval' }),
      timeout_ms: h('input.input', { name: 'timeout_ms', type: 'number', min: 100, max: 60000, value: c.timeout_ms || 5000, testid: 'cam-f-timeout' }),
      persist: h('input.input', { name: 'persist', type: 'number', min: 1, max: 100, value: c.persist || 3, testid: 'cam-f-persist' }),
      enabled: h('input', { type: 'checkbox', checked: c.configured ? !!c.enabled : true, testid: 'cam-f-enabled' }),
    };
    const thIn = {};
    for (const [k, min, max, step] of THRESHOLDS) {
      thIn[k] = h('input.input', { name: k, type: 'number', min, max, step, value: th[k] !== undefined ? th[k] : '', placeholder: t('cam.f.default'), testid: `cam-f-${k}` });
    }
    const errs = {};
    const field = (k, input, hint) => {
      errs[k] = h('div.field-error', { testid: `cam-err-${k}`, hidden: true });
      return h('div.field', h('label', t(`cam.f.${k}`)), input, hint ? h('div.field-hint', hint) : null, errs[k]);
    };
    const banner = h('div.banner.banner-error', { hidden: true, testid: 'cam-form-error' });
    const save = h('button.btn.btn-primary', { type: 'submit', testid: 'cam-save' }, t('common.save'));
    const form = h('form.cam-form', { testid: 'cam-form', onsubmit: (e) => { e.preventDefault(); submit(); } },
      banner,
      field('url', f.url, t('cam.f.urlHint')),
      h('div.cam-form-row', field('auth', f.auth), field('username', f.username), field('password', f.password)),
      h('div.cam-form-row', field('interval_s', f.interval_s), field('timeout_ms', f.timeout_ms), field('persist', f.persist, t('cam.f.persistHint'))),
      h('label.cam-check-label', f.enabled, h('span', t('cam.f.enabled'))),
      h('fieldset.cam-thresholds', h('legend', t('cam.f.thresholds')),
        h('div.cam-form-grid', THRESHOLDS.map(([k]) => field(k, thIn[k])))),
      h('div.cam-form-actions', save));
    const dlg = modal(`${t('cam.settings')} · ${c.name}`, form, { testid: 'cam-modal' });

    async function submit() {
      for (const e of Object.values(errs)) { e.hidden = true; e.textContent = ''; }
      banner.hidden = true;
      const body = { url: f.url.value.trim(), auth: f.auth.value, enabled: f.enabled.checked };
      if (f.username.value.trim()) body.username = f.username.value.trim();
      if (f.password.value) body.password = f.password.value;
      for (const k of ['interval_s', 'timeout_ms', 'persist']) if (f[k].value !== '') body[k] = Number(f[k].value);
      const tv = {};
      for (const [k] of THRESHOLDS) if (thIn[k].value !== '') tv[k] = Number(thIn[k].value);
      if (Object.keys(tv).length) body.thresholds = tv;
      save.disabled = true;
      try {
        await api.request('PUT', `${api.API}/cameras/${c.id}`, { body });
        toast(t('cam.saved', { name: c.name }));
        if (dlg && dlg.close) dlg.close();
        load();
      } catch (err) {
        const fe = err.fieldErrors ? err.fieldErrors() : {};
        let shown = false;
        for (const [k, msg] of Object.entries(fe)) {
          if (!errs[k]) continue;
          errs[k].textContent = msg || t('form.invalid');
          errs[k].hidden = false;
          shown = true;
        }
        if (!shown) { banner.textContent = [err.title, err.problem && err.problem.detail].filter(Boolean).join(' '); banner.hidden = false; }
      } finally {
        save.disabled = false;
      }
    }
  }

  render();
  load();
  const reload = debounce(() => { if (!destroyed) load(); }, 300);
  const ticker = setInterval(() => { if (!destroyed && !document.hidden) load(); }, 30000);

  return {
    onEvent(ev) {
      if (ev.type === 'reset' || ev.type === 'camera') reload();
    },
    destroy() { destroyed = true; clearInterval(ticker); },
  };
}

export { STATES };
